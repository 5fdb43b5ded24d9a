//! The fonts PDFs are set in: found once per build, shared by every document.
//!
//! typst brings no fonts of its own here (its embedded ones are Latin only and would
//! hide a missing Japanese font behind boxes), so the fonts come from the system
//! (`fontdb`, through typst-kit) and from the files and folders `[pdf] fonts` names,
//! which are preferred. Before anything is compiled, [`Fonts::missing`] checks that
//! some font has every character a document uses: typst itself would quietly print
//! a box for each, and nobody reads the PDFs of every build.

use std::collections::BTreeSet;
use std::path::Path;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, is_default_ignorable};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontSource, FontStore};

use crate::config::PdfConfig;
use crate::diagnostic::Diagnostic;

/// Families tried first for Japanese text, in order: what Debian, Windows and macOS
/// ship, sans-serif before serif since procedures are read, not studied.
const JAPANESE: &[&str] = &[
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "BIZ UDPGothic",
    "IPAexGothic",
    "IPAPGothic",
    "IPAGothic",
    "Yu Gothic",
    "Meiryo",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "MS PGothic",
    "TakaoPGothic",
    "VL PGothic",
    "Noto Serif CJK JP",
    "IPAexMincho",
];
const SIMPLIFIED_CHINESE: &[&str] = &["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC"];
const TRADITIONAL_CHINESE: &[&str] = &["Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC"];
const KOREAN: &[&str] = &["Noto Sans CJK KR", "Source Han Sans KR", "Malgun Gothic", "Apple SD Gothic Neo"];
const LATIN: &[&str] =
    &["Noto Sans", "Source Sans 3", "Liberation Sans", "Arial", "Helvetica", "Nimbus Sans", "DejaVu Sans"];
const MONO: &[&str] = &[
    "DejaVu Sans Mono",
    "Noto Sans Mono",
    "Liberation Mono",
    "Cascadia Mono",
    "Consolas",
    "Menlo",
    "Noto Sans Mono CJK JP",
];

pub struct Fonts {
    store: FontStore,
    /// Families of the configured fonts, in the order `tejun.toml` lists them.
    configured: Vec<String>,
    /// How many fonts the store has.
    len: usize,
}

/// A font file or a font read from one, whichever a configured path gave.
struct Shared(Box<dyn FontSource>);

impl FontSource for Shared {
    fn load(&self) -> Option<Font> {
        self.0.load()
    }
}

impl Fonts {
    /// Finds the configured fonts and, unless `system_fonts = false`, the system's.
    /// Only the fonts' tables of contents are read here; a font's data is read
    /// when a document first uses it.
    pub fn load(config: &PdfConfig, root: &Path) -> Result<Fonts, Diagnostic> {
        let mut store = FontStore::new();
        let mut configured = Vec::new();
        let mut len = 0;
        let no_font = |shown: &str, why: String| {
            Diagnostic::error("pdf-font", format!("[pdf] fonts: {why}")).with_hint(format!(
                "name font files (.ttf, .otf, .ttc) or folders of them, relative to tejun.toml; `{shown}` is neither"
            ))
        };
        for path in &config.fonts {
            let shown = path.strip_prefix(root).unwrap_or(path).display().to_string();
            let found: Vec<(Box<dyn FontSource>, FontInfo)> = if path.is_dir() {
                typst_kit::fonts::scan(path).map(|(p, info)| (Box::new(p) as Box<dyn FontSource>, info)).collect()
            } else {
                let data = std::fs::read(path).map_err(|e| no_font(&shown, format!("cannot read {shown}: {e}")))?;
                Font::iter(Bytes::new(data))
                    .map(|font| {
                        let info = font.info().clone();
                        (Box::new(font) as Box<dyn FontSource>, info)
                    })
                    .collect()
            };
            if found.is_empty() {
                return Err(no_font(&shown, format!("no font in {shown}")));
            }
            for (source, info) in found {
                if !configured.contains(&info.family) {
                    configured.push(info.family.clone());
                }
                store.push((Shared(source), info));
                len += 1;
            }
        }
        if config.system_fonts {
            let system: Vec<_> = typst_kit::fonts::system().collect();
            len += system.len();
            store.extend(system);
        }
        Ok(Fonts { store, configured, len })
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The families to set a language in, most preferred first: the configured
    /// fonts, then the usual fonts of the language's script that are installed. For
    /// Latin-script languages the Japanese fonts follow, since English manuals of
    /// Japanese software quote Japanese labels.
    pub fn families(&self, lang: &str) -> Vec<String> {
        let lang = lang.to_ascii_lowercase();
        let primary = lang.split('-').next().unwrap_or("");
        let defaults: Vec<&[&str]> = match primary {
            "ja" => vec![JAPANESE],
            "zh" if lang.contains("hant") || lang.contains("tw") || lang.contains("hk") => {
                vec![TRADITIONAL_CHINESE, JAPANESE]
            }
            "zh" => vec![SIMPLIFIED_CHINESE, JAPANESE],
            "ko" => vec![KOREAN, JAPANESE],
            _ => vec![LATIN, JAPANESE],
        };
        self.available(defaults.into_iter().flatten().copied())
    }

    pub fn mono_families(&self) -> Vec<String> {
        self.available(MONO.iter().copied())
    }

    fn available<'a>(&self, defaults: impl Iterator<Item = &'a str>) -> Vec<String> {
        let book = self.store.book();
        let mut families = self.configured.clone();
        for family in defaults {
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

/// The message for characters no font has, with how to get a font that has them.
pub fn missing_message(lang: &str, missing: &[char]) -> (String, String) {
    let shown: Vec<String> = missing.iter().take(8).map(|c| format!("「{c}」 U+{:04X}", *c as u32)).collect();
    let more = if missing.len() > 8 { format!(" and {} more", missing.len() - 8) } else { String::new() };
    let message = format!(
        "the {} PDFs need characters that no available font has: {}{more}",
        language_description(lang),
        shown.join(", ")
    );
    let cjk = missing.iter().any(|&c| super::markup::is_cjk(c) || ('\u{AC00}'..='\u{D7AF}').contains(&c));
    let hint = if cjk {
        "install a CJK font — on Debian or Ubuntu: `apt-get install fonts-noto-cjk` — or put a font \
         file such as IPAexGothic in a folder of the site and name it in tejun.toml: [pdf] fonts = [\"fonts\"]"
    } else {
        "install a font that has them (on Debian: `apt-get install fonts-noto`), or put one in a folder \
         of the site and name it in tejun.toml: [pdf] fonts = [\"fonts\"]"
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
    fn the_message_names_the_language_a_few_characters_and_the_package() {
        let missing: Vec<char> = "ご契約先暗証番号の入力".chars().collect();
        let (message, hint) = missing_message("ja", &missing);
        assert!(message.starts_with("the 日本語 (ja) PDFs need characters that no available font has: 「ご」 U+3054"));
        assert!(message.ends_with("and 3 more"), "{message}");
        assert!(hint.contains("apt-get install fonts-noto-cjk"));
    }
}
