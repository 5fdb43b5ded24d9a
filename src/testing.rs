//! Helpers for unit tests: a manual resolved from Markdown strings, no files.

use std::path::{Path, PathBuf};

use crate::config::{Config, LanguageConfig};
use crate::diagnostic::Diagnostic;
use crate::load::{Asset, Assets};
use crate::model::{Manual, PageKind};
use crate::parse::{PageInfo, parse_page};
use crate::resolve::resolve;
use crate::source::Sources;

pub fn config() -> Config {
    Config {
        root: PathBuf::from("."),
        file: None,
        languages: vec![
            LanguageConfig { code: "ja".into(), title: "手順書".into(), classification: None },
            LanguageConfig { code: "en".into(), title: "Manual".into(), classification: None },
        ],
        default_language: "ja".into(),
        source_language: "ja".into(),
        version: None,
        theme: "default".into(),
        markdown: Default::default(),
        lints: Default::default(),
        pdf: Default::default(),
        translations: Default::default(),
        variants: Vec::new(),
    }
}

/// Image assets of 640×400 pixels at the given paths.
pub fn assets(paths: &[&str]) -> Assets {
    paths
        .iter()
        .map(|a| {
            (
                a.to_string(),
                Asset { path: PathBuf::from(a), size: Some((640, 400)), frame: Some([0.0, 0.0, 640.0, 400.0]) },
            )
        })
        .collect()
}

/// Parses (lang, key, text) triples, which must parse cleanly, and resolves them.
pub fn manual(files: &[(&str, &str, &str)], asset_paths: &[&str]) -> (Manual, Vec<Diagnostic>, Sources) {
    let mut sources = Sources::default();
    let mut pages = Vec::new();
    for (lang, key, text) in files {
        let file = sources.add(format!("{key}.{lang}.md"), Path::new(key), text.to_string());
        let kind = if key.is_empty() { PageKind::Home } else { PageKind::Procedure };
        let (page, d) = parse_page(text, PageInfo { file, key: key.to_string(), lang: lang.to_string(), kind });
        assert!(d.is_empty(), "{d:?}");
        pages.push(page.expect("parsed"));
    }
    let (manual, diagnostics) = resolve(&config(), pages, &assets(asset_paths), &sources);
    (manual, diagnostics, sources)
}

/// The example manual in `content/`, read and resolved, and the files it read.
pub fn example_site() -> (crate::build::Site, Sources) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let site = crate::build::load_site(root, &mut sources, &mut diagnostics, &mut Default::default())
        .expect("the example builds");
    (site, sources)
}

/// Every sequence of `N` of `pieces`, a piece as often as it comes, in order: the
/// tests that feed a reader every arrangement of a few awkward lines or marks.
pub fn sequences<'a, const N: usize>(pieces: &[&'a str]) -> impl Iterator<Item = [&'a str; N]> {
    let pieces = pieces.to_vec();
    (0..pieces.len().pow(N as u32)).map(move |mut number| {
        let mut sequence = [""; N];
        for slot in sequence.iter_mut().rev() {
            *slot = pieces[number % pieces.len()];
            number /= pieces.len();
        }
        sequence
    })
}
