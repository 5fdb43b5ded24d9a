//! Stage 1, config: reads `tejun.toml` into a raw, serde-shaped form and then checks it
//! into a [`Config`] the rest of the program can trust (languages known, a title for
//! each, the default language among them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{self, Diagnostic};
use crate::source::{FileId, Sources};

pub const CONFIG_FILE: &str = "tejun.toml";

const KNOWN_KEYS: &[&str] = &[
    "languages",
    "default_language",
    "source_language",
    "title",
    "classification",
    "version",
    "theme",
    "markdown",
    "lints",
    "pdf",
    "translations",
    "variants",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    languages: Option<Vec<String>>,
    default_language: Option<String>,
    source_language: Option<String>,
    title: Option<Localized>,
    /// The marking every page and sheet carries (社外秘), for all languages or per
    /// language.
    classification: Option<Localized>,
    /// The manual's version or edition (`2.1`, `第 3 版`).
    version: Option<String>,
    theme: Option<String>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    lints: BTreeMap<String, toml::Spanned<LintLevel>>,
    #[serde(default)]
    pdf: RawPdf,
    #[serde(default)]
    translations: TranslationsConfig,
    /// `[variants.NAME]`, checked by hand: its keys are languages besides `values`
    /// and `title`.
    #[serde(default)]
    variants: BTreeMap<String, toml::Table>,
}

/// `[variants.browser]`: one way the manual varies, and the values it can take.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    /// The first is the default: its manual is at the usual paths.
    pub values: Vec<String>,
    /// Language → one label per value, for the variant switch and print.
    pub labels: BTreeMap<String, Vec<String>>,
    /// Language → what the dimension is called (`ブラウザー`).
    pub titles: BTreeMap<String, String>,
}

impl Dimension {
    /// The label of a value in a language: as configured, else the value itself.
    pub fn label(&self, lang: &str, value: &str) -> String {
        let index = self.values.iter().position(|v| v == value);
        index
            .and_then(|i| self.labels.get(lang).and_then(|labels| labels.get(i)))
            .cloned()
            .unwrap_or_else(|| value.to_string())
    }

    pub fn title(&self, lang: &str) -> String {
        self.titles.get(lang).cloned().unwrap_or_else(|| self.name.clone())
    }
}

/// `[translations]`: what readers see of translations that fell behind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationsConfig {
    /// A note on each stale step in HTML, and a mark in the PDF's margin (default on).
    #[serde(default = "yes")]
    pub show_stale: bool,
}

impl Default for TranslationsConfig {
    fn default() -> Self {
        TranslationsConfig { show_stale: true }
    }
}

fn yes() -> bool {
    true
}

/// `[markdown]`: how Markdown is turned into HTML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML through as written. Off by default: raw HTML is cleaned to an
    /// allow-list, so a pasted `<script>` or `onclick` never reaches readers.
    #[serde(default)]
    pub unsafe_html: bool,
}

/// What `[lints]` says about one lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Allow,
    Warn,
    Deny,
}

/// A string given once for every language, or per language as a table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Localized {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The site's folder: `tejun.toml`, `content/`, `themes/`, `templates/`.
    pub root: PathBuf,
    pub file: Option<FileId>,
    /// In the order the language switch shows them.
    pub languages: Vec<LanguageConfig>,
    pub default_language: String,
    /// The language the others are translated from (default: `default_language`).
    pub source_language: String,
    /// The manual's version or edition as written (`2.1`, `第 3 版`), shown in the
    /// pages' footer and on the PDFs' title pages.
    pub version: Option<String>,
    pub theme: String,
    pub markdown: MarkdownConfig,
    /// Lint code → level, for the lints `tejun.toml` names.
    pub lints: BTreeMap<String, LintLevel>,
    pub pdf: PdfConfig,
    pub translations: TranslationsConfig,
    /// The dimensions the manual varies in, in name order; empty for one manual.
    pub variants: Vec<Dimension>,
}

#[derive(Debug, Clone)]
pub struct LanguageConfig {
    pub code: String,
    pub title: String,
    /// The marking of the manual in this language (社外秘, Confidential), shown in
    /// every page's top bar and stamped on every printed sheet.
    pub classification: Option<String>,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The marking of the manual in `lang` (`classification` in tejun.toml), if any.
    pub fn classification(&self, lang: &str) -> Option<&str> {
        self.languages.iter().find(|l| l.code == lang).and_then(|l| l.classification.as_deref())
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// Reads and checks `ROOT/tejun.toml`.
    pub fn load(root: &Path, sources: &mut Sources) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                return Err(vec![
                    Diagnostic::error("config-missing", format!("cannot read {}: {err}", path.display())).with_hint(
                        "run tejun in the site's folder or pass --root DIR; `tejun new DIR` makes a new site",
                    ),
                ]);
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n");
        let file = sources.add(CONFIG_FILE, &path, text);
        Config::parse(root, file, &sources.get(file).text.clone())
    }

    /// Checks the text of `tejun.toml`; no I/O.
    pub fn parse(root: &Path, file: FileId, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|err| vec![diagnostic::from_toml_error(&err, file, 0, KNOWN_KEYS, CONFIG_FILE)])?;
        raw.validate(root, file, text)
    }
}

impl RawConfig {
    fn validate(self, root: &Path, file: FileId, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let at_key = |key: &str| {
            let start = text.find(key).unwrap_or(0);
            start..start + key.len().max(1)
        };
        let codes = self.languages.unwrap_or_else(|| vec!["en".to_string()]);
        for code in &codes {
            if !is_language_code(code) {
                errors.push(
                    Diagnostic::error("invalid-language", format!("`{code}` is not a language code"))
                        .at(file, at_key("languages"))
                        .with_hint("use codes such as \"ja\", \"en\", \"zh-Hant\""),
                );
            }
        }
        if codes.is_empty() {
            errors.push(
                Diagnostic::error("invalid-language", "`languages` is empty")
                    .at(file, at_key("languages"))
                    .with_hint("list at least one language, e.g. languages = [\"ja\", \"en\"]"),
            );
        }
        // `default_language` and `source_language` must each be one of `languages`.
        let mut check_listed = |key: &str, code: &str| {
            if !codes.is_empty() && !codes.iter().any(|c| c == code) {
                errors.push(
                    Diagnostic::error("invalid-language", format!("{key} `{code}` is not in `languages`"))
                        .at(file, at_key(key))
                        .with_hint(format!("use one of: {}", codes.join(", "))),
                );
            }
        };
        let default_language = self.default_language.unwrap_or_else(|| codes.first().cloned().unwrap_or_default());
        check_listed("default_language", &default_language);
        let source_language = self.source_language.unwrap_or_else(|| default_language.clone());
        check_listed("source_language", &source_language);
        let languages = codes
            .iter()
            .map(|code| LanguageConfig {
                code: code.clone(),
                title: match &self.title {
                    Some(Localized::One(title)) => title.clone(),
                    Some(Localized::PerLanguage(titles)) => {
                        titles.get(code).or_else(|| titles.get(&default_language)).cloned().unwrap_or_default()
                    }
                    None => String::new(),
                },
                classification: match &self.classification {
                    Some(Localized::One(marking)) => Some(marking.trim().to_string()),
                    Some(Localized::PerLanguage(markings)) => markings.get(code).map(|m| m.trim().to_string()),
                    None => None,
                }
                .filter(|marking| !marking.is_empty()),
            })
            .collect::<Vec<_>>();
        for (table, localized) in [("title", &self.title), ("classification", &self.classification)] {
            let Some(Localized::PerLanguage(values)) = localized else { continue };
            for code in values.keys().filter(|c| !codes.contains(c)) {
                errors.push(
                    Diagnostic::error(
                        "invalid-language",
                        format!("[{table}] has `{code}`, which is not in `languages`"),
                    )
                    .at(file, at_key(code))
                    .with_hint(format!("add \"{code}\" to `languages` or remove the {table}")),
                );
            }
        }
        let known_lints = || crate::lint::LINTS.iter().map(|(code, _)| *code);
        for (code, level) in &self.lints {
            if !known_lints().any(|known| known == code) {
                let at = text.find(code.as_str()).unwrap_or(level.span().start);
                let mut error = Diagnostic::error("unknown-lint", format!("there is no lint `{code}`"))
                    .at(file, at..at + code.len());
                error.hint = Some(match diagnostic::nearest(code, known_lints()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the lints are: {}", known_lints().collect::<Vec<_>>().join(", ")),
                });
                errors.push(error);
            }
        }
        let pdf = self.pdf.validate(root, file, text, &mut errors);
        let variants = validate_variants(self.variants, &codes, file, text, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            root: root.to_path_buf(),
            file: Some(file),
            languages,
            default_language,
            source_language,
            version: self.version.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()),
            theme: self.theme.unwrap_or_else(|| "default".to_string()),
            markdown: self.markdown,
            lints: self.lints.into_iter().map(|(code, level)| (code, level.into_inner())).collect(),
            pdf,
            translations: self.translations,
            variants,
        })
    }
}

/// Checks each `[variants.NAME]` table: `values` (lowercase ASCII, distinct in the
/// whole site, since a manual's folder is named after its values), `title` and a
/// label per value for each language.
fn validate_variants(
    raw: BTreeMap<String, toml::Table>,
    languages: &[String],
    file: FileId,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Dimension> {
    let mut dimensions = Vec::new();
    let mut seen_values: BTreeMap<String, String> = BTreeMap::new();
    for (name, table) in raw {
        let header = format!("[variants.{name}]");
        let table_at = text.find(&header).or_else(|| text.find(&format!("variants.{name}"))).unwrap_or(0);
        let at_key = |key: &str| {
            let start = text[table_at..].find(key).map_or(table_at, |at| table_at + at);
            start..start + key.len().max(1)
        };
        let mut error = |key: &str, message: String, hint: String| {
            errors.push(Diagnostic::error("invalid-variants", message).at(file, at_key(key)).with_hint(hint));
        };
        if !is_variant_name(&name) {
            error(
                &name,
                format!("`{name}` cannot name a variant dimension"),
                "use lowercase ASCII letters, digits and -, e.g. [variants.browser]".into(),
            );
            continue;
        }
        let strings = |value: &toml::Value| -> Option<Vec<String>> {
            value.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect()
        };
        let values = match table.get("values").map(strings) {
            Some(Some(values)) if !values.is_empty() => values,
            _ => {
                error(
                    "values",
                    format!("{header} needs `values`, a list of at least one value"),
                    "write e.g. values = [\"edge\", \"chrome\"]; the first is the default".into(),
                );
                continue;
            }
        };
        for (i, value) in values.iter().enumerate() {
            if !is_variant_name(value) {
                error(
                    "values",
                    format!("`{value}` cannot be a value of {header}"),
                    "use lowercase ASCII letters, digits and -, e.g. \"chrome\"".into(),
                );
            } else if values[..i].contains(value) {
                error("values", format!("`{value}` is listed twice in {header}"), "list each value once".into());
            } else if let Some(other) = seen_values.insert(value.clone(), name.clone()) {
                error(
                    "values",
                    format!("`{value}` is a value of both [variants.{other}] and {header}"),
                    "give the values different names: a variant's manual is in a folder named after its values".into(),
                );
            }
        }
        let mut dimension = Dimension { name: name.clone(), values, labels: BTreeMap::new(), titles: BTreeMap::new() };
        for (key, value) in &table {
            match key.as_str() {
                "values" => {}
                "title" => match value {
                    toml::Value::String(title) => {
                        dimension.titles = languages.iter().map(|l| (l.clone(), title.clone())).collect()
                    }
                    toml::Value::Table(titles) => {
                        for (lang, title) in titles {
                            match title.as_str() {
                                Some(title) if languages.contains(lang) => {
                                    dimension.titles.insert(lang.clone(), title.to_string());
                                }
                                _ => error(
                                    lang,
                                    format!("`title.{lang}` in {header} is not a title in one of `languages`"),
                                    format!("write title = {{ {} = \"…\" }}", languages.join(" = \"…\", ")),
                                ),
                            }
                        }
                    }
                    _ => error(
                        "title",
                        format!("`title` in {header} is not text"),
                        "write title = \"Browser\" or title = { ja = \"ブラウザー\", en = \"Browser\" }".into(),
                    ),
                },
                lang if languages.iter().any(|l| l == lang) => match strings(value) {
                    Some(labels) if labels.len() == dimension.values.len() => {
                        dimension.labels.insert(lang.to_string(), labels);
                    }
                    _ => error(
                        lang,
                        format!("`{lang}` in {header} must list one label per value ({})", dimension.values.len()),
                        format!(
                            "write {lang} = [{}]",
                            dimension.values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
                        ),
                    ),
                },
                other => {
                    let known = ["values", "title"].into_iter().chain(languages.iter().map(String::as_str));
                    let hint = match diagnostic::nearest(other, known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "a variant table has `values`, `title` and one list of labels per language ({})",
                            languages.join(", ")
                        ),
                    };
                    error(other, format!("unknown key `{other}` in {header}"), hint);
                }
            }
        }
        dimensions.push(dimension);
    }
    dimensions
}

fn is_variant_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `[pdf]`: the printed handouts.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfConfig {
    /// Write `LANG/PATH.pdf` per procedure and `LANG/manual.pdf` (default on).
    pub enabled: bool,
    /// Keep compiled PDFs in `.tejun-cache/pdf/` and reuse unchanged ones (default on).
    pub cache: PdfCache,
    pub paper: Paper,
    /// Font files or folders of them, preferred over the built-in fonts.
    pub fonts: Vec<FontFile>,
    /// Whether installed fonts may fill in characters the configured and built-in
    /// fonts lack (default on).
    pub system_fonts: bool,
    /// The date printed on title pages as (year, month, day), instead of the one
    /// `SOURCE_DATE_EPOCH` or the site's history gives.
    pub date: Option<(i32, u8, u8)>,
    /// What a character no font has is: a warning (the default) or an error.
    pub missing_glyphs: LintLevel,
}

/// How a run uses the cache of compiled PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfCache {
    /// Typeset every PDF (`[pdf] cache = false`, `build --no-cache`).
    Off,
    /// Reuse what is there, add nothing: `check`, which writes nothing.
    ReadOnly,
    On,
}

/// A font file or folder named in `[pdf] fonts`, with where `tejun.toml` names it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontFile {
    /// Absolute, or relative to the current folder as `--root` was.
    pub path: PathBuf,
    /// As written in `tejun.toml`.
    pub written: String,
    /// The string's place in `tejun.toml`, for errors about the file.
    pub span: std::ops::Range<usize>,
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            enabled: true,
            paper: PAPERS[1],
            fonts: Vec::new(),
            system_fonts: true,
            cache: PdfCache::On,
            date: None,
            missing_glyphs: LintLevel::Warn,
        }
    }
}

/// A paper size: the name written in `tejun.toml` and the sheet in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub name: &'static str,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// B sizes are JIS (182 × 257 mm for B5), as Japanese offices and printers mean them.
pub const PAPERS: &[Paper] = &[
    Paper { name: "a3", width_mm: 297.0, height_mm: 420.0 },
    Paper { name: "a4", width_mm: 210.0, height_mm: 297.0 },
    Paper { name: "a5", width_mm: 148.0, height_mm: 210.0 },
    Paper { name: "a6", width_mm: 105.0, height_mm: 148.0 },
    Paper { name: "b4", width_mm: 257.0, height_mm: 364.0 },
    Paper { name: "b5", width_mm: 182.0, height_mm: 257.0 },
    Paper { name: "b6", width_mm: 128.0, height_mm: 182.0 },
    Paper { name: "iso-b4", width_mm: 250.0, height_mm: 353.0 },
    Paper { name: "iso-b5", width_mm: 176.0, height_mm: 250.0 },
    Paper { name: "letter", width_mm: 215.9, height_mm: 279.4 },
    Paper { name: "legal", width_mm: 215.9, height_mm: 355.6 },
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPdf {
    enabled: Option<bool>,
    paper: Option<String>,
    fonts: Option<Vec<toml::Spanned<String>>>,
    system_fonts: Option<bool>,
    cache: Option<bool>,
    /// A TOML date (`date = 2025-04-01`) or the same as a string.
    date: Option<toml::Value>,
    missing_glyphs: Option<LintLevel>,
}

impl RawPdf {
    fn validate(self, root: &Path, file: FileId, text: &str, errors: &mut Vec<Diagnostic>) -> PdfConfig {
        // Where a key of the `[pdf]` table is written, for errors about its value.
        let at_key = |key: &str| {
            let table = text.find("[pdf]").unwrap_or(0);
            let start = text[table..].find(key).map_or(table, |at| table + at);
            start..start + key.len()
        };
        let mut pdf = PdfConfig {
            enabled: self.enabled.unwrap_or(true),
            system_fonts: self.system_fonts.unwrap_or(true),
            cache: if self.cache.unwrap_or(true) { PdfCache::On } else { PdfCache::Off },
            missing_glyphs: self.missing_glyphs.unwrap_or(LintLevel::Warn),
            ..PdfConfig::default()
        };
        if let Some(name) = self.paper {
            let wanted = name.to_ascii_lowercase();
            let wanted = wanted.strip_prefix("us-").unwrap_or(&wanted);
            let wanted = wanted.strip_prefix("jis-").unwrap_or(wanted);
            match PAPERS.iter().find(|p| p.name == wanted) {
                Some(paper) => pdf.paper = *paper,
                None => {
                    let names = || PAPERS.iter().map(|p| p.name);
                    let list = names().collect::<Vec<_>>().join(", ");
                    let hint = match diagnostic::nearest(wanted, names()) {
                        Some(near) => format!("did you mean `{near}`? Paper sizes: {list}"),
                        None => format!("paper sizes: {list}"),
                    };
                    errors.push(
                        Diagnostic::error("invalid-pdf", format!("unknown paper size `{name}` in [pdf]"))
                            .at(file, at_key("paper"))
                            .with_hint(hint),
                    );
                }
            }
        }
        pdf.fonts = (self.fonts.unwrap_or_default().into_iter())
            .map(|font| FontFile { path: root.join(font.get_ref()), span: font.span(), written: font.into_inner() })
            .collect();
        pdf.date = match self.date {
            None => None,
            Some(value) => {
                let date = match &value {
                    toml::Value::Datetime(d) => d.date.map(|d| (i32::from(d.year), d.month, d.day)),
                    toml::Value::String(s) => parse_date(s),
                    _ => None,
                };
                if date.is_none() {
                    errors.push(
                        Diagnostic::error("invalid-pdf", format!("[pdf] date {value} is not a date"))
                            .at(file, at_key("date"))
                            .with_hint("write it as date = 2025-04-01 (year-month-day)"),
                    );
                }
                date
            }
        };
        pdf
    }
}

/// `2025-04-01` → (2025, 4, 1), checking that the day exists.
fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&month).then_some(())?;
    (1..=days[usize::from(month) - 1]).contains(&day).then_some((year, month, day))
}

/// `ja`, `en`, `zh-Hant`, `pt-BR`: two or three lowercase letters, then optional subtags.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut sources = Sources::default();
        let file = sources.add("tejun.toml", Path::new("tejun.toml"), text.to_string());
        Config::parse(Path::new("."), file, text)
    }

    #[test]
    fn per_language_titles_and_default_language() {
        let config = parse(
            "languages = [\"ja\", \"en\"]\ndefault_language = \"ja\"\n[title]\nja = \"手順書\"\nen = \"Manual\"\n",
        )
        .unwrap();
        assert_eq!(config.default_language, "ja");
        assert_eq!(config.languages[0].title, "手順書");
        assert_eq!(config.languages[1].code, "en");
        assert_eq!(config.languages[1].title, "Manual");
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line_with_a_suggestion() {
        let text = "languages = [\"ja\"]\ndefault_langauge = \"ja\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors[0].code, "unknown-key");
        assert!(errors[0].message.contains("default_langauge"));
        assert_eq!(errors[0].hint.as_deref().unwrap().split('?').next(), Some("did you mean `default_language`"));
        let span = errors[0].span.clone().unwrap();
        assert_eq!(&text[span.start..span.start + 16], "default_langauge");
    }

    #[test]
    fn markdown_and_lint_settings() {
        let config = parse("[markdown]\nunsafe_html = true\n[lints]\nmixed-width = \"allow\"\n").unwrap();
        assert!(config.markdown.unsafe_html);
        assert_eq!(config.lints.get("mixed-width"), Some(&LintLevel::Allow));
        let errors = parse("[lints]\nmixed-widht = \"allow\"\n").unwrap_err();
        assert_eq!(errors[0].code, "unknown-lint");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `mixed-width`?"));
        let errors = parse("[markdown]\nunsafe_htm = true\n").unwrap_err();
        assert_eq!(errors[0].code, "unknown-key");
        assert_eq!(errors[0].hint.as_deref().unwrap().split('?').next(), Some("did you mean `unsafe_html`"));
    }

    #[test]
    fn the_source_language_defaults_to_the_default_language_and_must_be_listed() {
        assert_eq!(parse("languages = [\"ja\", \"en\"]\n").unwrap().source_language, "ja");
        assert_eq!(parse("languages = [\"ja\", \"en\"]\nsource_language = \"en\"\n").unwrap().source_language, "en");
        let errors = parse("languages = [\"ja\", \"en\"]\nsource_language = \"fr\"\n").unwrap_err();
        assert_eq!(errors[0].message, "source_language `fr` is not in `languages`");
    }

    #[test]
    fn pdf_settings() {
        let config = parse("languages = [\"ja\"]\n").unwrap();
        assert_eq!(config.pdf, PdfConfig::default());
        assert_eq!(config.pdf.paper.name, "a4");
        let config = parse(
            "[pdf]\nenabled = false\npaper = \"B5\"\nfonts = [\"fonts\"]\ndate = 2025-04-01\nsystem_fonts = false\n",
        )
        .unwrap();
        assert!(!config.pdf.enabled && !config.pdf.system_fonts);
        assert_eq!((config.pdf.paper.width_mm, config.pdf.paper.height_mm), (182.0, 257.0));
        assert_eq!(config.pdf.fonts[0].path, Path::new("./fonts"));
        assert_eq!(config.pdf.fonts[0].written, "fonts");
        assert_eq!(
            &"[pdf]\nenabled = false\npaper = \"B5\"\nfonts = [\"fonts\"]"[config.pdf.fonts[0].span.clone()],
            "\"fonts\""
        );
        assert_eq!(config.pdf.missing_glyphs, LintLevel::Warn);
        assert_eq!(parse("[pdf]\nmissing_glyphs = \"deny\"\n").unwrap().pdf.missing_glyphs, LintLevel::Deny);
        assert_eq!(config.pdf.date, Some((2025, 4, 1)));
        assert_eq!(parse("[pdf]\ndate = \"2024-02-29\"\n").unwrap().pdf.date, Some((2024, 2, 29)));
        assert_eq!(parse("[pdf]\npaper = \"us-letter\"\n").unwrap().pdf.paper.name, "letter");

        let text = "[pdf]\npaper = \"a44\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors[0].code, "invalid-pdf");
        assert!(errors[0].hint.as_deref().unwrap().starts_with("did you mean `a4`?"));
        assert_eq!(&text[errors[0].span.clone().unwrap()], "paper");
        let errors = parse("[pdf]\ndate = \"2023-02-29\"\n").unwrap_err();
        assert_eq!(errors[0].code, "invalid-pdf");
        let errors = parse("[pdf]\nenable = false\n").unwrap_err();
        assert_eq!(errors[0].code, "unknown-key");
        assert_eq!(errors[0].hint.as_deref().unwrap().split('?').next(), Some("did you mean `enabled`"));
    }

    #[test]
    fn default_language_must_be_listed() {
        let errors = parse("languages = [\"ja\"]\ndefault_language = \"en\"\n").unwrap_err();
        assert_eq!(errors[0].code, "invalid-language");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("ja"));
        assert!(is_language_code("zh-Hant"));
        assert!(!is_language_code("Japanese"));
        assert!(!is_language_code("j"));
    }
}
