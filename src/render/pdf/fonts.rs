//! The fonts PDFs are set in: gathered once per build, shared by every document.
//!
//! tejun carries its own fonts, so that a machine with no fonts installed makes a
//! Japanese PDF, and makes the same bytes as any other machine: Morisawa's BIZ UD
//! Gothic (SIL OFL 1.1, `builtin-fonts/OFL.txt`), a universal-design face whose
//! similar shapes stay apart (0 O o, 1 l I, ぱ ば, ソ ン) — what readers of IDs, PINs
//! and menu names in a procedure need, on screen and on paper. BIZ UDPGothic
//! (proportional Latin and kana, regular and bold) sets the text of every language;
//! BIZ UDGothic (half-width Latin at exactly half a kanji) sets code, so Japanese in
//! code lines up too. They are stored deflated and unpacked in memory on first use.
//!
//! Fonts are tried in this order: those `[pdf] fonts` names, the built-in ones, and
//! then installed fonts — and those only when the others lack a character the text
//! uses, so the installed fonts are not even searched for most manuals. A character
//! no font has is reported ([`Fonts::missing`]) rather than printed as a box in a
//! PDF nobody proofreads.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, is_default_ignorable};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use crate::config::{FontFile, PdfConfig};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The built-in fonts, deflated (`gzip -9n`).
const BUILT_IN: &[&[u8]] = &[
    include_bytes!("builtin-fonts/BIZUDPGothic-Regular.ttf.gz"),
    include_bytes!("builtin-fonts/BIZUDPGothic-Bold.ttf.gz"),
    include_bytes!("builtin-fonts/BIZUDGothic-Regular.ttf.gz"),
];
/// The built-in family for text, in every language.
pub const TEXT_FAMILY: &str = "BIZ UDPGothic";
/// The built-in family for code.
pub const MONO_FAMILY: &str = "BIZ UDGothic";

/// Installed families tried for characters the built-in fonts lack, by script: what
/// Debian, Windows and macOS ship, sans-serif first.
const JAPANESE: &[&str] =
    &["Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "Yu Gothic", "Meiryo", "Hiragino Sans"];
const SIMPLIFIED_CHINESE: &[&str] = &["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC"];
const TRADITIONAL_CHINESE: &[&str] = &["Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC"];
const KOREAN: &[&str] = &["Noto Sans CJK KR", "Source Han Sans KR", "Malgun Gothic", "Apple SD Gothic Neo"];
const LATIN: &[&str] = &["Noto Sans", "Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"];
const MONO: &[&str] = &["Noto Sans Mono", "DejaVu Sans Mono", "Liberation Mono", "Consolas", "Menlo"];
const SYMBOLS: &[&str] = &["Noto Color Emoji", "Noto Emoji", "Segoe UI Emoji", "Apple Color Emoji", "Symbola"];

/// Replaces the folders installed fonts are searched in (`:`-separated; `;` on
/// Windows), for builds that must not depend on what a machine has installed.
pub const SYSTEM_FONT_DIRS_VAR: &str = "TEJUN_SYSTEM_FONT_DIRS";

pub struct Fonts {
    store: FontStore,
    /// Families of the configured fonts, in the order `tejun.toml` lists them.
    configured: Vec<String>,
    /// How many fonts the store has.
    len: usize,
    /// Whether installed fonts may be added, and whether they have been.
    system_allowed: bool,
    system_added: bool,
}

impl Fonts {
    /// The configured fonts and the built-in ones. Configured font files are read
    /// here; a configured folder's fonts when a document first uses them.
    pub fn load(config: &PdfConfig, config_file: Option<FileId>) -> Result<Fonts, Diagnostic> {
        let mut store = FontStore::new();
        let mut configured = Vec::new();
        let mut len = 0;
        for font in &config.fonts {
            for (source, info) in configured_fonts(font, config_file)? {
                if !configured.contains(&info.family) {
                    configured.push(info.family.clone());
                }
                store.push((Shared(source), info));
                len += 1;
            }
        }
        for font in built_in() {
            store.push((font.clone(), font.info().clone()));
            len += 1;
        }
        Ok(Fonts { store, configured, len, system_allowed: config.system_fonts, system_added: false })
    }

    /// Adds the installed fonts, when `[pdf] system_fonts` allows, once. Returns
    /// whether any were added.
    pub fn add_installed(&mut self) -> bool {
        if !self.system_allowed || self.system_added {
            return false;
        }
        self.system_added = true;
        let installed: Vec<(FontPath, FontInfo)> = match std::env::var_os(SYSTEM_FONT_DIRS_VAR) {
            Some(dirs) => {
                std::env::split_paths(&dirs).flat_map(|dir| typst_kit::fonts::scan(&dir).collect::<Vec<_>>()).collect()
            }
            None => typst_kit::fonts::system().collect(),
        };
        let added = installed.len();
        self.len += added;
        self.store.extend(installed);
        added > 0
    }

    /// What tells these fonts from others: every font's description and coverage,
    /// in order (the built-in ones change only with tejun's version).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for index in 0..self.len {
            if let Some(info) = self.book().info(index) {
                info.hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The families to set a language in, most preferred first: the configured
    /// fonts, the built-in face, then the installed fonts of the language's script
    /// (when installed fonts were added).
    pub fn families(&self, lang: &str) -> Vec<String> {
        let lang = lang.to_ascii_lowercase();
        let primary = lang.split('-').next().unwrap_or("");
        let installed: Vec<&[&str]> = match primary {
            "ja" => vec![JAPANESE],
            "zh" if lang.contains("hant") || lang.contains("tw") || lang.contains("hk") => {
                vec![TRADITIONAL_CHINESE, JAPANESE]
            }
            "zh" => vec![SIMPLIFIED_CHINESE, JAPANESE],
            "ko" => vec![KOREAN, JAPANESE],
            _ => vec![LATIN, JAPANESE],
        };
        self.available(TEXT_FAMILY, installed.into_iter().flatten().chain(SYMBOLS).copied())
    }

    pub fn mono_families(&self) -> Vec<String> {
        self.available(MONO_FAMILY, MONO.iter().chain(SYMBOLS).copied())
    }

    fn available<'a>(&self, built_in: &'a str, installed: impl Iterator<Item = &'a str>) -> Vec<String> {
        let book = self.store.book();
        let mut families = self.configured.clone();
        for family in std::iter::once(built_in).chain(installed) {
            if book.contains_family(&family.to_lowercase()) && !families.iter().any(|f| f.eq_ignore_ascii_case(family))
            {
                families.push(family.to_string());
            }
        }
        families
    }

    /// The characters of `text` that no font has, in code point order.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let wanted: BTreeSet<char> =
            text.chars().filter(|&c| !c.is_whitespace() && !c.is_control() && !is_default_ignorable(c)).collect();
        let infos: Vec<&FontInfo> = (0..self.len).filter_map(|i| self.book().info(i)).collect();
        wanted.into_iter().filter(|&c| !infos.iter().any(|info| info.coverage.contains(c as u32))).collect()
    }
}

/// The built-in fonts, unpacked once per process (a few tens of milliseconds).
fn built_in() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        BUILT_IN
            .par_iter()
            .map(|packed| {
                let mut data = Vec::with_capacity(packed.len() * 2);
                flate2::read::GzDecoder::new(*packed)
                    .read_to_end(&mut data)
                    .expect("the built-in fonts are valid gzip files (checked by a test)");
                Font::new(Bytes::new(data), 0).expect("the built-in fonts are valid fonts (checked by a test)")
            })
            .collect()
    })
}

/// A font face: where typst reads it from, and what it is.
type Face = (Box<dyn FontSource>, FontInfo);

/// A configured font file, or the fonts of a configured folder.
fn configured_fonts(font: &FontFile, config_file: Option<FileId>) -> Result<Vec<Face>, Diagnostic> {
    let error = |why: String| {
        let error = Diagnostic::error("pdf-font", format!("[pdf] fonts: {why}")).with_hint(format!(
            "name font files (.ttf, .otf, .ttc) or folders of them, relative to tejun.toml; `{}` is neither",
            font.written
        ));
        match config_file {
            Some(file) => error.at(file, font.span.clone()),
            None => error,
        }
    };
    let path: &Path = &font.path;
    let found: Vec<Face> = if path.is_dir() {
        typst_kit::fonts::scan(path).map(|(p, info)| (Box::new(p) as Box<dyn FontSource>, info)).collect()
    } else {
        let data = std::fs::read(path).map_err(|e| error(format!("cannot read {}: {e}", font.written)))?;
        Font::iter(Bytes::new(data))
            .map(|font| {
                let info = font.info().clone();
                (Box::new(font) as Box<dyn FontSource>, info)
            })
            .collect()
    };
    if found.is_empty() {
        let what = if path.is_dir() { "no font file in the folder" } else { "not a font file" };
        return Err(error(format!("{what} {}", font.written)));
    }
    Ok(found)
}

/// A font file or a font read from one, whichever a configured path gave.
struct Shared(Box<dyn FontSource>);

impl FontSource for Shared {
    fn load(&self) -> Option<Font> {
        self.0.load()
    }
}

/// The message for characters no font has, listed with the line of each, and how
/// to get a font that has them.
pub fn missing_message(lang: &str, missing: &[(char, Option<usize>)]) -> (String, String) {
    let shown: Vec<String> = missing
        .iter()
        .take(8)
        .map(|&(c, line)| match line {
            Some(line) => format!("「{c}」 U+{:04X} (line {line})", c as u32),
            None => format!("「{c}」 U+{:04X}", c as u32),
        })
        .collect();
    let more = if missing.len() > 8 { format!(" and {} more", missing.len() - 8) } else { String::new() };
    let message = format!(
        "no font has these characters, so the {} PDFs show a blank box for each: {}{more}",
        language_description(lang),
        shown.join(", ")
    );
    let cjk =
        missing.iter().any(|&(c, _)| crate::render::markdown::is_cjk(c) || ('\u{AC00}'..='\u{D7AF}').contains(&c));
    let hint = if cjk {
        "install a font that has them — on Debian or Ubuntu: `apt-get install fonts-noto-cjk` — or put one \
         in a folder of the site and name it in tejun.toml: [pdf] fonts = [\"fonts\"]"
    } else {
        "install a font that has them (on Debian: `apt-get install fonts-noto-core fonts-noto-color-emoji`), \
         or put one in a folder of the site and name it in tejun.toml: [pdf] fonts = [\"fonts\"]"
    };
    (message, hint.to_string())
}

fn language_description(lang: &str) -> String {
    let name = crate::render::i18n::language_name(lang);
    if name == lang { format!("`{lang}`") } else { format!("{name} ({lang})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_language_the_characters_their_lines_and_the_package() {
        let missing: Vec<(char, Option<usize>)> =
            "ご契約先暗証番号の入力".chars().enumerate().map(|(i, c)| (c, (i > 0).then_some(i))).collect();
        let (message, hint) = missing_message("ja", &missing);
        assert!(
            message.starts_with("no font has these characters, so the 日本語 (ja) PDFs show a blank box for each: 「ご」 U+3054, 「契」 U+5951 (line 1)"),
            "{message}"
        );
        assert!(message.ends_with("and 3 more"), "{message}");
        assert!(hint.contains("apt-get install fonts-noto-cjk"));
    }

    #[test]
    fn the_built_in_fonts_unpack_and_cover_japanese_latin_and_code() {
        let fonts = Fonts::load(&PdfConfig { system_fonts: false, ..PdfConfig::default() }, None).unwrap();
        assert_eq!(fonts.families("ja"), [TEXT_FAMILY]);
        assert_eq!(fonts.families("en"), [TEXT_FAMILY]);
        assert_eq!(fonts.mono_families(), [MONO_FAMILY]);
        let families: Vec<(&str, bool)> =
            built_in().iter().map(|f| (f.info().family.as_str(), f.info().variant.weight.to_number() >= 700)).collect();
        assert_eq!(families, [(TEXT_FAMILY, false), (TEXT_FAMILY, true), (MONO_FAMILY, false)]);
        let text = "ご契約先ＩＤ（利用者番号）①②③〜「OK」 0O1lI ぱば ソン 髙﨑 — “quotes” é ß ≧ ※ →";
        assert_eq!(fonts.missing(text), Vec::<char>::new());
        assert_eq!(fonts.missing("emoji 😀 here"), ['😀']);
    }
}
