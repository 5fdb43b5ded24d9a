//! One build as `tejun serve` serves it: the resolved site, and its output files made
//! when a browser asks for them.
//!
//! A save must reach the open page quickly however large the manual is, and the
//! page is one file of thousands: so a build stops at the resolved model (every
//! number and reference already final, since resolving is done whole), and each
//! page is rendered from that model on its first request. What every page needs
//! and is cheap (the theme's static files, screenshots' redacted copies) is made
//! with the build; images are read from `content/` when asked for; the search files
//! of a language of a manual (a variant's has its own) are made in one go on the
//! first request for any of them — a page loads the first one, so that is the first
//! page of the language shown after a save; on the 2,000-page synthetic manual a few
//! hundred milliseconds after the page, which does not wait for it.
//!
//! A template error would otherwise only show on the page that hits it, so the
//! build renders one page of each kind and every language chooser before it is
//! served, and a build whose sample fails is a failed build, with the overlay.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::build::Site;
use crate::diagnostic::Diagnostic;
use crate::model::PageKind;
use crate::output::MemorySink;
use crate::redact;
use crate::render::{self, html::HtmlFile, html::OnRequest};

/// Output path → contents, for files made whole at once.
type Files = BTreeMap<String, Arc<Vec<u8>>>;

pub struct Served {
    site: Site,
    html: OnRequest,
    pages: HashMap<String, HtmlFile>,
    /// The theme's static files and the redacted copies, made with the build.
    made: Files,
    /// Content files published as they are: output path → file in `content/`. Listed
    /// on the first request for one, since it takes a walk through every page.
    assets: OnceLock<HashMap<String, PathBuf>>,
    /// Per edition and language: the output folder's `searchindex.LANG.`, and the
    /// search files, once asked for.
    search: Vec<SearchFiles>,
    /// Pages rendered so far, so a page asked for twice is rendered once.
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

struct SearchFiles {
    edition: usize,
    language: usize,
    /// What the files' paths start with.
    prefix: String,
    files: OnceLock<Result<Files, Diagnostic>>,
}

impl Served {
    /// Prepares `site` for serving; an error if its templates fail on the sample.
    pub fn new(site: Site) -> Result<Served, Diagnostic> {
        let editions = site.editions();
        let html = OnRequest::new(editions, &site.config, &site.theme)?;
        let pages = OnRequest::files(editions);
        let mut made: Files =
            render::html::static_files(&site.theme).into_iter().map(|(path, bytes)| (path, Arc::new(bytes))).collect();
        for (name, bytes) in redact::published_copies(&site.manual, &site.assets)? {
            made.insert(render::asset_output_path(&name), bytes);
        }
        let search = editions
            .iter()
            .enumerate()
            .flat_map(|(edition, manual)| {
                manual.languages.iter().enumerate().map(move |(language, l)| SearchFiles {
                    edition,
                    language,
                    prefix: format!("{}searchindex.{}.", manual.edition.prefix, l.code),
                    files: OnceLock::new(),
                })
            })
            .collect();
        let served = Served { site, html, pages, made, assets: OnceLock::new(), search, rendered: Mutex::default() };
        served.render_samples()?;
        Ok(served)
    }

    /// Renders each edition's language chooser and first page of each kind, which
    /// between them use every template.
    fn render_samples(&self) -> Result<(), Diagnostic> {
        let editions = self.site.editions();
        for (edition, manual) in editions.iter().enumerate() {
            self.html.render(HtmlFile::Chooser(edition), editions, &self.site.config)?;
            for kind in [PageKind::Home, PageKind::Chapter, PageKind::Procedure] {
                if let Some(id) = manual.pages.iter().position(|p| p.kind == kind) {
                    self.html.render(HtmlFile::Page(edition, id), editions, &self.site.config)?;
                }
            }
        }
        Ok(())
    }

    /// Whether the build has a file at `path`, without rendering a page for it.
    pub fn contains(&self, path: &str) -> bool {
        self.pages.contains_key(path)
            || self.made.contains_key(path)
            || self.assets().contains_key(path)
            || self
                .search_part(path)
                .is_some_and(|part| self.search_files(part).as_ref().is_ok_and(|f| f.contains_key(path)))
    }

    /// The file at `path`, made now if it was not yet; `None` if the build has none
    /// there, an error if making it failed.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
        if let Some(&file) = self.pages.get(path) {
            return Some(self.page(path, file));
        }
        if let Some(bytes) = self.made.get(path) {
            return Some(Ok(Arc::clone(bytes)));
        }
        if let Some(file) = self.assets().get(path) {
            let read = std::fs::read(file).map(Arc::new);
            return Some(read.map_err(|e| Diagnostic::error("io", format!("cannot read {}: {e}", file.display()))));
        }
        let part = self.search_part(path)?;
        match self.search_files(part) {
            Ok(files) => files.get(path).map(|bytes| Ok(Arc::clone(bytes))),
            Err(error) => Some(Err(error.clone())),
        }
    }

    fn assets(&self) -> &HashMap<String, PathBuf> {
        self.assets.get_or_init(|| {
            let withheld = redact::only_redacted(&self.site.manual);
            self.site
                .assets
                .iter()
                .filter(|(rel, _)| !withheld.contains(*rel))
                .map(|(rel, asset)| (render::asset_output_path(rel), asset.path.clone()))
                .collect()
        })
    }

    fn page(&self, path: &str, file: HtmlFile) -> Result<Arc<Vec<u8>>, Diagnostic> {
        if let Some(html) = self.rendered.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
            return Ok(Arc::clone(html));
        }
        let html = Arc::new(self.html.render(file, self.site.editions(), &self.site.config)?);
        self.rendered.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), Arc::clone(&html));
        Ok(html)
    }

    /// The search files (of `self.search`) that `path` would be one of. No path has
    /// two parts' prefixes: a variant's output folder comes before `searchindex.`.
    fn search_part(&self, path: &str) -> Option<usize> {
        self.search.iter().position(|part| path.starts_with(&part.prefix))
    }

    fn search_files(&self, part: usize) -> &Result<Files, Diagnostic> {
        let SearchFiles { edition, language, files, .. } = &self.search[part];
        files.get_or_init(|| {
            let sink = MemorySink::default();
            let manual = &self.site.editions()[*edition];
            render::search::render_language(manual, &manual.languages[*language], &sink)?;
            let files = sink.files.into_inner().unwrap_or_else(|e| e.into_inner());
            Ok(files.into_iter().map(|(path, bytes)| (path, Arc::new(bytes))).collect())
        })
    }

    /// How many pages the manual has, for the terminal.
    pub fn page_count(&self) -> usize {
        self.site.manual.pages.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build;
    use crate::source::Sources;

    fn every_path(served: &Served) -> Vec<String> {
        let mut paths: Vec<String> =
            served.pages.keys().chain(served.made.keys()).chain(served.assets().keys()).cloned().collect();
        for part in 0..served.search.len() {
            paths.extend(served.search_files(part).as_ref().unwrap().keys().cloned());
        }
        paths.sort();
        paths
    }

    /// Every file `build` writes (but the PDFs), with the same bytes, and no other.
    #[test]
    fn serves_what_build_writes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Sources::default();
        let mut diagnostics = Vec::new();
        let site = build::load_site(root, &mut sources, &mut diagnostics, &mut build::Timings::default())
            .expect("the example manual builds");
        let sink = MemorySink::default();
        build::render_pages(&site, &sink).unwrap();
        let built = sink.files.into_inner().unwrap();
        let served = Served::new(site).unwrap();
        let paths = every_path(&served);
        assert_eq!(paths, built.keys().cloned().collect::<Vec<_>>());
        for (path, bytes) in &built {
            assert!(served.contains(path), "{path}");
            let got = served.get(path).unwrap().unwrap();
            assert!(**got == *bytes, "{path} differs from what build writes");
        }
        assert!(served.get("ja/no-such-page.html").is_none());
        assert!(served.get("searchindex.xx.js").is_none());
    }
}
