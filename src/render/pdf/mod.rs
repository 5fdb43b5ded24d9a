//! PDF handouts: `LANG/PATH.pdf` for every procedure and `LANG/manual.pdf` for the
//! whole manual, typeset by the typst compiler embedded as a library — no browser,
//! no LaTeX, nothing to install but fonts.
//!
//! The resolved model is written out as Typst markup ([`markup`]), which typst
//! compiles in memory ([`world`]) with fonts found once per build ([`fonts`]) and
//! images read once. Numbers come from the model, so print says 「手順 19」 where HTML
//! does; references add the page typst laid the target out on: 「手順 19（7 ページ）」.
//!
//! Only procedures get a PDF of their own: chapter and home pages are introductions
//! and lists of links, a sheet or two of print that only makes sense in
//! `manual.pdf`, where they head their chapters and the manual.
//!
//! Before anything is compiled, every language's text is checked against the fonts'
//! coverage: installed fonts are searched only for characters the configured and
//! built-in fonts lack, and a character no font has is a warning at the line that
//! uses it (an error with `[pdf] missing_glyphs = "deny"`), rather than a box in a
//! PDF nobody proofreads.
//!
//! Without the `pdf` cargo feature only the paths below exist, and the build says
//! once that PDFs need the feature.

#[cfg(feature = "pdf")]
mod anchors;
#[cfg(feature = "pdf")]
mod cache;
#[cfg(feature = "pdf")]
mod fonts;
#[cfg(feature = "pdf")]
pub mod markup;
#[cfg(feature = "pdf")]
mod parts;
#[cfg(feature = "pdf")]
mod world;

use crate::config::Config;
use crate::model::{Manual, Page, PageKind};

#[cfg(feature = "pdf")]
pub use render::{Inputs, render};

/// Stack for a compile: typst's layout and PDF export recurse by document depth and
/// length (a 450-page manual needs more than 4 MiB). Untouched stack costs no memory.
#[cfg(feature = "pdf")]
const STACK: usize = 256 << 20;

/// Whether this build writes PDFs: the feature is compiled in and `[pdf]` allows it.
/// Where compiled PDFs are kept between builds, inside the site's folder.
pub const CACHE_DIR: &str = ".tejun-cache/pdf";

pub fn enabled(config: &Config) -> bool {
    cfg!(feature = "pdf") && config.pdf.enabled
}

/// Where a page's PDF goes inside the output folder (`ja/certificates/obtain.pdf`,
/// `chrome/ja/certificates/obtain.pdf` in a variant's manual); procedures only.
pub fn page_pdf_path(manual: &Manual, page: &Page) -> Option<String> {
    (page.kind == PageKind::Procedure).then(|| format!("{}{}/{}.pdf", manual.edition.prefix, page.lang, page.key))
}

/// Where a language's whole manual goes: `ja/manual.pdf`.
pub fn manual_pdf_path(manual: &Manual, lang: &str) -> String {
    format!("{}{lang}/manual.pdf", manual.edition.prefix)
}

#[cfg(feature = "pdf")]
mod render {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use rayon::prelude::*;
    use typst::diag::{Severity, SourceDiagnostic};
    use typst::foundations::{Bytes, Smart};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt, WorldExt};
    use typst_layout::PagedDocument;
    use typst_pdf::PdfOptions;

    use super::cache::Cache;
    use super::fonts::{self, Fonts};
    use super::markup::{self, Document, ManualMarkup, Style};
    use super::parts;
    use super::world::{Images, PdfWorld};
    use super::{CACHE_DIR, STACK, manual_pdf_path, page_pdf_path};
    use crate::config::{Config, LintLevel, PdfCache};
    use crate::dates::{self, Day};
    use crate::diagnostic::Diagnostic;
    use crate::load::Assets;
    use crate::model::{ImageUse, Manual, PageId};
    use crate::output::Sink;
    use crate::progress;
    use crate::redact::RedactedCopy;
    use crate::source::{FileId, Sources};
    use crate::variants;

    /// What PDFs need from outside the model, read before rendering: the fonts, the
    /// bytes of every image the pages show, and each page's date for title pages.
    pub struct Inputs {
        pub fonts: Fonts,
        pub images: Images,
        pub dates: Vec<Option<Day>>,
    }

    impl Inputs {
        pub fn load(
            config: &Config,
            manual: &Manual,
            assets: &Assets,
            redacted: &[RedactedCopy],
            sources: &Sources,
        ) -> Result<Inputs, Diagnostic> {
            let ((fonts, images), dates) = rayon::join(
                || rayon::join(|| Fonts::load(&config.pdf, config.file), || read_images(manual, assets, redacted)),
                || dates::page_dates(config, manual, sources, assets),
            );
            Ok(Inputs { fonts: fonts?, images: images?, dates: dates? })
        }
    }

    /// The bytes of every image the pages show, by the name the markup uses: the
    /// redacted copy of a screenshot with `redact` boxes, never its original.
    fn read_images(manual: &Manual, assets: &Assets, redacted: &[RedactedCopy]) -> Result<Images, Diagnostic> {
        let mut wanted: Vec<&str> = manual
            .pages
            .iter()
            .flat_map(|page| page.images())
            .filter(|(_, image): &(ImageUse, _)| image.published.is_none())
            .filter_map(|(_, image)| image.asset.as_deref())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut images: Images = wanted
            .into_par_iter()
            .filter_map(|rel| assets.get(rel).map(|asset| (rel, asset)))
            .map(|(rel, asset)| {
                std::fs::read(&asset.path)
                    .map(|bytes| (rel.to_string(), Bytes::new(bytes)))
                    .map_err(|e| Diagnostic::error("io", format!("cannot read content/{rel}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        for (name, bytes) in redacted {
            images.insert(name.clone(), Bytes::new(bytes.as_ref().clone()));
        }
        Ok(images)
    }

    /// One PDF to make.
    struct Job {
        path: String,
        lang: String,
        /// The page of a one-page handout; `None` for `manual.pdf`.
        page: Option<PageId>,
        /// The page's Markdown file, to point errors at.
        file: Option<FileId>,
        /// The whole document (to check its characters and key the cache).
        document: Document,
        /// The pieces of `manual.pdf`, to typeset it in parts when it is large.
        manual: Option<ManualMarkup>,
    }

    /// Writes every procedure's PDF and each language's `manual.pdf`, for each
    /// variant's manual in `editions` (which share their pages' ids). `sources` are
    /// the Markdown, to point at the line of a character no font has. Returns the
    /// warnings.
    pub fn render(
        editions: &[Manual],
        config: &Config,
        inputs: &mut Inputs,
        sources: &Sources,
        sink: &dyn Sink,
    ) -> Result<Vec<Diagnostic>, Diagnostic> {
        let mut targets = Vec::new();
        for (edition, manual) in editions.iter().enumerate() {
            targets.extend(edition_targets(manual)?.into_iter().map(|target| Target { edition, ..target }));
        }
        let mut jobs = make_jobs(editions, config, &inputs.fonts, &inputs.dates, &targets);
        let mut missing = missing_characters(&inputs.fonts, &jobs);
        if !missing.is_empty() && inputs.fonts.add_installed() {
            // The installed fonts that fill the gaps join the documents' font lists.
            jobs = make_jobs(editions, config, &inputs.fonts, &inputs.dates, &targets);
            missing = missing_characters(&inputs.fonts, &jobs);
        }
        let warnings = missing_glyph_diagnostics(&editions[0], sources, &missing, config.pdf.missing_glyphs);
        if let Some(error) = warnings.iter().find(|d| d.is_error()) {
            return Err(error.clone());
        }

        let inputs = &*inputs;
        let library = LazyHash::new(Library::builder().build());
        let cache =
            (config.pdf.cache != PdfCache::Off).then(|| Cache::new(&config.root.join(CACHE_DIR), &inputs.fonts));
        progress::PDFS.start(jobs.len());
        let _watch = MemoryWatch::start();
        let result = run_jobs(&jobs, |job| {
            progress::PDFS.working_on(&job.path);
            let key = cache.as_ref().map(|cache| cache.key(&job.document.source, &inputs.images));
            let cached = cache.as_ref().zip(key.as_deref()).and_then(|(cache, key)| cache.get(key));
            let bytes = match cached {
                Some(bytes) => {
                    progress::PDFS.reused_one();
                    bytes
                }
                None => {
                    let bytes = compile(job, &library, inputs)?;
                    if let (Some(cache), Some(key)) = (&cache, &key)
                        && config.pdf.cache == PdfCache::On
                    {
                        cache.put(key, &bytes);
                    }
                    bytes
                }
            };
            sink.write(&job.path, &bytes)
                .map_err(|e| Diagnostic::error("io", format!("cannot write {}: {e}", job.path)))?;
            progress::PDFS.finished_one();
            Ok(())
        });
        // typst memoizes across compiles; a long-running `serve` must not keep it all.
        typst::comemo::evict(0);
        result.map(|()| warnings)
    }

    /// Keeps typst's memoized results from outgrowing [`MEMORY_LIMIT`] while PDFs are
    /// typeset: a large manual's compile would otherwise hold every intermediate
    /// result until it ends. Past the limit, the caches are emptied; typst computes
    /// again what it needs, which costs time, not correctness.
    struct MemoryWatch {
        /// Dropped to stop the watch: its thread wakes at once rather than at its
        /// next check, which would hold every build up by as long as a check's wait.
        stop: Option<std::sync::mpsc::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    /// The resident memory above which typst's caches are emptied.
    const MEMORY_LIMIT: u64 = 1 << 30;

    impl MemoryWatch {
        fn start() -> MemoryWatch {
            let (stop, stopped) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::Builder::new()
                .name("pdf-memory".into())
                .spawn(move || {
                    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                        stopped.recv_timeout(std::time::Duration::from_millis(100))
                    {
                        if resident_bytes().is_some_and(|bytes| bytes > MEMORY_LIMIT) {
                            typst::comemo::evict(0);
                        }
                    }
                })
                .ok();
            MemoryWatch { stop: Some(stop), thread }
        }
    }

    impl Drop for MemoryWatch {
        fn drop(&mut self) {
            drop(self.stop.take());
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }

    /// This process's resident memory, where the system says (Linux).
    fn resident_bytes() -> Option<u64> {
        let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        Some(pages * 4096)
    }

    /// A PDF to make: of which variant's manual, where, in which language, and of
    /// which page (`None` for the whole manual).
    struct Target {
        edition: usize,
        path: String,
        lang: String,
        page: Option<PageId>,
    }

    /// Every PDF of one manual: each language's manual, then each procedure's handout.
    fn edition_targets(manual: &Manual) -> Result<Vec<Target>, Diagnostic> {
        let mut targets = Vec::new();
        for language in &manual.languages {
            targets.push(Target {
                edition: 0,
                path: manual_pdf_path(manual, &language.code),
                lang: language.code.clone(),
                page: None,
            });
        }
        for (id, page) in manual.pages.iter().enumerate() {
            if let Some(path) = page_pdf_path(manual, page) {
                if path == manual_pdf_path(manual, &page.lang) {
                    return Err(Diagnostic::error(
                        "pdf-path",
                        format!("the page's PDF would be {path}, which is the whole manual's PDF"),
                    )
                    .in_file(page.file)
                    .with_hint("rename the page: `manual` is taken by the manual's PDF"));
                }
                targets.push(Target { edition: 0, path, lang: page.lang.clone(), page: Some(id) });
            }
        }
        Ok(targets)
    }

    /// The Typst source of every PDF, set in the fonts `fonts` has now.
    fn make_jobs(
        editions: &[Manual],
        config: &Config,
        fonts: &Fonts,
        dates: &[Option<Day>],
        targets: &[Target],
    ) -> Vec<Job> {
        let mono = fonts.mono_families();
        let families: HashMap<&str, Vec<String>> =
            config.languages.iter().map(|l| (l.code.as_str(), fonts.families(&l.code))).collect();
        let date_of =
            |pages: &mut dyn Iterator<Item = PageId>| pages.filter_map(|p| dates.get(p).copied().flatten()).max();
        targets
            .par_iter()
            .map(|Target { edition, path, lang, page }| {
                let manual = &editions[*edition];
                let variant = variants::edition_label(config, &manual.edition, lang);
                let style = |lang: &str, date| Style {
                    paper: config.pdf.paper,
                    fonts: &families[lang],
                    mono_fonts: &mono,
                    date,
                    show_stale: config.translations.show_stale,
                    variant: variant.as_deref(),
                    classification: config.classification(lang),
                    version: config.version.as_deref(),
                };
                let (document, manual_markup) = match *page {
                    Some(id) => {
                        (markup::page_document(manual, id, &style(lang, date_of(&mut std::iter::once(id)))), None)
                    }
                    None => {
                        let pages = manual.language(lang).map_or(&[][..], |l| &l.reading_order[..]);
                        let markup = ManualMarkup::new(manual, lang, &style(lang, date_of(&mut pages.iter().copied())));
                        (markup.part(0..markup.units.len(), &markup::Numbering::default()), Some(markup))
                    }
                };
                Job {
                    path: path.clone(),
                    lang: lang.clone(),
                    page: *page,
                    file: page.map(|id| manual.pages[id].file),
                    document,
                    manual: manual_markup,
                }
            })
            .collect()
    }

    /// Runs `work` on every job, a thread per core; stops at the first error.
    ///
    /// The manuals go one after the other on one thread, since each holds a
    /// laid-out document in memory (about 0.7 MB a page; a large one typesets its
    /// parts on every core in its later passes), and typst's caches are emptied
    /// after each; the pages fill in on the other threads and then on that one.
    ///
    /// Plain threads, not rayon's: typst parallelizes inside a compile with rayon,
    /// and a rayon worker waiting for that would start another whole compile on top
    /// of its stack — dozens deep on a large manual, until the stack overflows.
    /// Threads outside the pool just wait. Their stacks are large because typst
    /// recurses deeply through long documents.
    fn run_jobs(jobs: &[Job], work: impl Fn(&Job) -> Result<(), Diagnostic> + Sync) -> Result<(), Diagnostic> {
        let (manuals, pages): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|job| job.page.is_none());
        let next_page = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let failed = Mutex::new(None);
        let fail = |error| {
            stop.store(true, Ordering::Relaxed);
            failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(error);
        };
        let do_pages = || {
            while let Some(job) = pages.get(next_page.fetch_add(1, Ordering::Relaxed)) {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if let Err(error) = work(job) {
                    fail(error);
                }
            }
        };
        let do_manuals = || {
            for job in &manuals {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let result = work(job);
                typst::comemo::evict(0);
                if let Err(error) = result {
                    fail(error);
                }
            }
            do_pages();
        };
        let threads = threads().max(2);
        std::thread::scope(|scope| {
            let builder = || std::thread::Builder::new().stack_size(STACK);
            if builder().spawn_scoped(scope, do_manuals).is_err() {
                // No thread could be made: do the work here, on a smaller stack.
                do_manuals();
            }
            let mut helpers = 0;
            for _ in 1..threads {
                helpers += usize::from(builder().spawn_scoped(scope, do_pages).is_ok());
            }
            if helpers == 0 {
                do_pages();
            }
        });
        failed.into_inner().unwrap_or_else(|e| e.into_inner()).map_or(Ok(()), Err)
    }

    /// How many compiles run at once: one per core.
    fn threads() -> usize {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }

    /// Per language, the characters no font has. Each language's manual holds every
    /// page of that language.
    fn missing_characters(fonts: &Fonts, jobs: &[Job]) -> Vec<(String, Vec<char>)> {
        let found: Vec<(String, Vec<char>)> = jobs
            .par_iter()
            .filter(|job| job.page.is_none())
            .map(|job| (job.lang.clone(), fonts.missing(&job.document.source[job.document.text_start..])))
            .filter(|(_, missing)| !missing.is_empty())
            .collect();
        // Each variant's manual of a language: one list per language.
        let mut by_language: Vec<(String, Vec<char>)> = Vec::new();
        for (lang, chars) in found {
            match by_language.iter_mut().find(|(l, _)| *l == lang) {
                Some((_, all)) => {
                    all.extend(chars);
                    all.sort_unstable();
                    all.dedup();
                }
                None => by_language.push((lang, chars)),
            }
        }
        by_language
    }

    /// One diagnostic per file that first uses characters no font has, at the first
    /// of them, naming each with its line. Characters in no page (a title from
    /// `tejun.toml`) are reported without a place.
    fn missing_glyph_diagnostics(
        manual: &Manual,
        sources: &Sources,
        missing: &[(String, Vec<char>)],
        level: LintLevel,
    ) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        if level == LintLevel::Allow {
            return diagnostics;
        }
        for (lang, chars) in missing {
            let order = manual.language(lang).map_or(&[][..], |l| &l.reading_order[..]);
            // For each character, the first file and offset where it is written.
            type CharsAt = Vec<(char, usize)>;
            let mut by_file: Vec<(Option<FileId>, CharsAt)> = Vec::new();
            for &c in chars {
                let found = order.iter().find_map(|&p| {
                    let file = manual.pages[p].file;
                    sources.get(file).text.find(c).map(|at| (file, at))
                });
                let (file, at) = match found {
                    Some((file, at)) => (Some(file), at),
                    None => (None, 0),
                };
                match by_file.iter_mut().find(|(f, _)| *f == file) {
                    Some((_, list)) => list.push((c, at)),
                    None => by_file.push((file, vec![(c, at)])),
                }
            }
            for (file, mut list) in by_file {
                list.sort_by_key(|&(_, at)| at);
                let lined: Vec<(char, Option<usize>)> =
                    list.iter().map(|&(c, at)| (c, file.map(|f| sources.line_col(f, at).0))).collect();
                let (message, hint) = fonts::missing_message(lang, &lined);
                let mut diagnostic = match level {
                    LintLevel::Deny => Diagnostic::error("missing-glyph", message),
                    _ => Diagnostic::warning("missing-glyph", message),
                }
                .with_hint(hint);
                if let Some(file) = file {
                    let (c, at) = list[0];
                    diagnostic = diagnostic.at(file, at..at + c.len_utf8());
                }
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }

    /// A job's PDF: one document, or, for a manual of more markup than a part
    /// holds, parts typeset and joined.
    fn compile(job: &Job, library: &LazyHash<Library>, inputs: &Inputs) -> Result<Vec<u8>, Diagnostic> {
        compile_with(job, library, inputs, parts::PART_BYTES)
    }

    fn compile_with(
        job: &Job,
        library: &LazyHash<Library>,
        inputs: &Inputs,
        part_bytes: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        if let Some(markup) = &job.manual {
            let parts = parts::split(markup, part_bytes);
            if parts.len() > 1 {
                // Tags do not survive the join: the parts are exported untagged.
                let compile_part = |document: &Document, export: bool| {
                    compile_document(job, document, library, inputs, export.then_some(false))
                };
                return parts::typeset(markup, &parts, threads(), &compile_part);
            }
        }
        let (_, pdf) = compile_document(job, &job.document, library, inputs, Some(true))?;
        Ok(pdf.unwrap_or_default())
    }

    /// Lays out `document` of `job` and, when `tagged` says how, exports it.
    fn compile_document(
        job: &Job,
        document: &Document,
        library: &LazyHash<Library>,
        inputs: &Inputs,
        tagged: Option<bool>,
    ) -> Result<(PagedDocument, Option<Vec<u8>>), Diagnostic> {
        let world = PdfWorld::new(library, &inputs.fonts, &inputs.images, document.source.clone());
        let laid = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| typst_error(job, document, &world, &errors))?;
        let Some(tagged) = tagged else {
            return Ok((laid, None));
        };
        let options = PdfOptions {
            ident: Smart::Custom(job.path.clone()),
            creator: Smart::Custom(Some("tejun".to_string())),
            tagged,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&laid, &options).map_err(|errors| typst_error(job, document, &world, &errors))?;
        Ok((laid, Some(pdf)))
    }

    /// typst's first error, at the image it is about when it is about one (a file
    /// that is not an image), else as a problem with the PDF.
    fn typst_error(job: &Job, document: &Document, world: &PdfWorld, errors: &[SourceDiagnostic]) -> Diagnostic {
        let Some(error) = errors.iter().find(|e| e.severity == Severity::Error).or(errors.first()) else {
            return Diagnostic::error("pdf", format!("typst could not make {}", job.path));
        };
        let range = world.range(error.span);
        let image = range
            .and_then(|range| document.images.iter().find(|(at, _, _)| at.start <= range.start && range.end <= at.end));
        if let Some((_, file, span)) = image {
            return Diagnostic::error("pdf-image", format!("cannot put this image in {}: {}", job.path, error.message))
                .at(*file, span.clone())
                .with_hint("use a PNG, JPEG, GIF, WebP or SVG file that opens in an image viewer");
        }
        let mut message = format!("typst could not make {}: {}", job.path, error.message);
        for hint in &error.hints {
            message.push_str(&format!(" ({})", hint.v));
        }
        let mut diagnostic = Diagnostic::error("pdf", message)
            .with_hint("this is likely a bug in tejun's PDF writer: please report it with the page; `[pdf] enabled = false` in tejun.toml builds the HTML meanwhile");
        if let Some(file) = job.file {
            diagnostic = diagnostic.in_file(file);
        }
        diagnostic
    }
    /// A manual typeset in parts must read as the same manual typeset whole: the
    /// same text on every sheet (page numbers of references across parts and the
    /// contents included), the same outline, links to the same sheets.
    #[cfg(test)]
    mod parts_tests {
        use std::collections::BTreeMap;

        use lopdf::{Document as Pdf, Object, ObjectId};

        use super::*;
        use crate::config::PdfConfig;
        use crate::testing;

        /// A home page and seven pages in two chapters, each of twelve steps that
        /// refer to steps on pages before and after it and to a figure-less page.
        fn long_manual() -> crate::model::Manual {
            let keys = [
                "setup/install",
                "setup/login",
                "setup/profile",
                "daily/transfer",
                "daily/approve",
                "daily/report",
                "daily/close",
            ];
            let mut files = vec![(
                "en".to_string(),
                String::new(),
                "+++\ntitle = \"Home\"\n+++\n\nStart at [](page:setup/install).\n".to_string(),
            )];
            for (n, key) in keys.iter().enumerate() {
                let other = keys[(n + 3) % keys.len()];
                let before = keys[(n + keys.len() - 1) % keys.len()];
                let mut text =
                    format!("+++\ntitle = \"Page {n}\"\n+++\n\nAn introduction to page {n}.\n\n## Part one\n\n");
                for step in 1..=12 {
                    if step == 7 {
                        text.push_str("## Part two\n\n");
                    }
                    text.push_str(&format!(
                        "+++\nid = \"s{step}\"\ntitle = \"Do thing {step} on page {n}\"\n+++\n\nRedo [](step:{other}/s{}) and then [](step:{before}/s{step}); see [](page:{other}). {}\n\n",
                        13 - step,
                        "Words to fill the sheet with a paragraph that wraps over lines. ".repeat(6)
                    ));
                    // Ordinary links, as migrated pages write them, go to a heading
                    // of another part and to one later in the page.
                    match step {
                        2 => text
                            .push_str(&format!("Read [part two](../{other}.md#part-two) and [the check](#check).\n\n")),
                        10 => text.push_str("### Check\n\nLook again.\n\n"),
                        _ => {}
                    }
                }
                files.push(("en".to_string(), key.to_string(), text));
            }
            let files: Vec<(&str, &str, &str)> =
                files.iter().map(|(l, k, t)| (l.as_str(), k.as_str(), t.as_str())).collect();
            let (manual, diagnostics, _) = testing::manual(&files, &[]);
            assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
            manual
        }

        /// The manual's markup in English on A4, and the fonts it is set in.
        fn english_markup(manual: &crate::model::Manual) -> (ManualMarkup, Fonts) {
            let fonts = Fonts::load(&PdfConfig::default(), None).unwrap();
            let families = fonts.families("en");
            (ManualMarkup::new(manual, "en", &Style::plain(&families)), fonts)
        }

        fn manual_pdf(manual: &crate::model::Manual, part_bytes: usize) -> Vec<u8> {
            let (markup, fonts) = english_markup(manual);
            let document = markup.part(0..markup.units.len(), &markup::Numbering::default());
            let job = Job {
                path: "en/manual.pdf".into(),
                lang: "en".into(),
                page: None,
                file: None,
                document,
                manual: Some(markup),
            };
            let inputs = Inputs { fonts, images: Images::new(), dates: Vec::new() };
            let library = LazyHash::new(Library::builder().build());
            compile_with(&job, &library, &inputs, part_bytes).expect("compiles")
        }

        fn text(pdf: &[u8]) -> String {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("manual.pdf");
            std::fs::write(&path, pdf).unwrap();
            let out = std::process::Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext runs (apt-get install poppler-utils)");
            String::from_utf8(out.stdout).unwrap()
        }

        /// Each page's index by its object.
        fn page_numbers(pdf: &Pdf) -> BTreeMap<ObjectId, usize> {
            pdf.page_iter().enumerate().map(|(index, id)| (id, index)).collect()
        }

        /// The page a destination (an array or a name) goes to.
        fn target(pdf: &Pdf, dest: &Object, pages: &BTreeMap<ObjectId, usize>) -> Option<usize> {
            let dest = match pdf.dereference(dest).ok()?.1 {
                Object::String(name, _) => named(pdf, name)?,
                other => other.clone(),
            };
            let page = dest.as_array().ok()?.first()?.as_reference().ok()?;
            pages.get(&page).copied()
        }

        fn named(pdf: &Pdf, name: &[u8]) -> Option<Object> {
            let names = pdf.catalog().ok()?.get(b"Names").ok()?;
            let tree = pdf.dereference(names).ok()?.1.as_dict().ok()?.get(b"Dests").ok()?;
            let mut stack = vec![pdf.dereference(tree).ok()?.1.as_dict().ok()?.clone()];
            while let Some(node) = stack.pop() {
                if let Ok(entries) = node.get(b"Names").and_then(|n| n.as_array()) {
                    for pair in entries.chunks(2) {
                        if pair[0].as_str().ok() == Some(name) {
                            return Some(pdf.dereference(&pair[1]).ok()?.1.clone());
                        }
                    }
                }
                if let Ok(kids) = node.get(b"Kids").and_then(|k| k.as_array()) {
                    stack.extend(kids.iter().filter_map(|k| pdf.dereference(k).ok()?.1.as_dict().ok().cloned()));
                }
            }
            None
        }

        /// The outline's titles, depth and pages, in order.
        fn outline(bytes: &[u8]) -> Vec<(usize, String, Option<usize>)> {
            let pdf = Pdf::load_mem(bytes).unwrap();
            let pages = page_numbers(&pdf);
            let mut items = Vec::new();
            let root = pdf.catalog().unwrap().get(b"Outlines").unwrap();
            let root = pdf.dereference(root).unwrap().1.as_dict().unwrap();
            let mut stack: Vec<(usize, ObjectId)> =
                root.get(b"First").ok().and_then(|f| f.as_reference().ok()).map(|f| (0, f)).into_iter().collect();
            while let Some((depth, id)) = stack.pop() {
                let item = pdf.get_dictionary(id).unwrap();
                let title = item.get(b"Title").unwrap().as_str().unwrap();
                let title = match title.strip_prefix(&[0xFE, 0xFF]) {
                    Some(utf16) => {
                        let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                        String::from_utf16(&units).unwrap()
                    }
                    None => String::from_utf8(title.to_vec()).unwrap(),
                };
                let page = item.get(b"Dest").ok().and_then(|d| target(&pdf, d, &pages));
                items.push((depth, title, page));
                if let Ok(next) = item.get(b"Next").and_then(|n| n.as_reference()) {
                    stack.push((depth, next));
                }
                if let Ok(first) = item.get(b"First").and_then(|n| n.as_reference()) {
                    stack.push((depth + 1, first));
                }
            }
            items
        }

        /// For each page, the pages its links go to.
        fn links(bytes: &[u8]) -> Vec<Vec<Option<usize>>> {
            let pdf = Pdf::load_mem(bytes).unwrap();
            let pages = page_numbers(&pdf);
            pdf.page_iter()
                .map(|page| {
                    let annotations = pdf.get_page_annotations(page).unwrap_or_default();
                    annotations.iter().filter_map(|a| a.get(b"Dest").ok()).map(|d| target(&pdf, d, &pages)).collect()
                })
                .collect()
        }

        #[test]
        fn a_manual_typeset_in_parts_reads_as_the_manual_in_one() {
            let manual = long_manual();
            let whole = manual_pdf(&manual, usize::MAX);
            let (markup, _) = english_markup(&manual);
            let part_bytes = 12 * 1024;
            assert!(parts::split(&markup, part_bytes).len() >= 4, "the manual is typeset in several parts");
            let parted = manual_pdf(&manual, part_bytes);

            let (whole_text, parted_text) = (text(&whole), text(&parted));
            assert!(whole_text.matches('\x0c').count() > 20, "{whole_text}");
            assert!(whole_text.contains("(page "), "references print their page: {whole_text}");
            assert!(whole_text.contains("the check (page "), "links print their page: {whole_text}");
            let first_difference = whole_text.lines().zip(parted_text.lines()).enumerate().find(|(_, (a, b))| a != b);
            assert!(first_difference.is_none(), "line {first_difference:?} differs");
            assert_eq!(whole_text.lines().count(), parted_text.lines().count());
            let whole_outline = outline(&whole);
            assert!(whole_outline.len() > 90, "{whole_outline:?}");
            assert!(whole_outline.iter().all(|(_, _, page)| page.is_some()), "{whole_outline:?}");
            assert_eq!(whole_outline, outline(&parted));
            let whole_links = links(&whole);
            assert!(whole_links.iter().flatten().count() > 150, "{whole_links:?}");
            assert!(whole_links.iter().flatten().all(|page| page.is_some()), "{whole_links:?}");
            assert_eq!(whole_links, links(&parted));
        }
    }
}

/// Compiles generated documents with the fonts of this machine: what the PDFs say is
/// what typst makes of the markup, not what the markup looks like.
#[cfg(all(test, feature = "pdf"))]
mod compile_tests {
    use typst::layout::{Frame, FrameItem};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt};
    use typst_layout::PagedDocument;

    use super::fonts::Fonts;
    use super::markup::{self, Style};
    use super::world::{Images, PdfWorld};
    use crate::config::PdfConfig;
    use crate::testing;

    fn text_of(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => text_of(&group.frame, out),
                FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }

    /// An English manual of the one page `text`, the fonts and the families it is set in.
    fn english_page(text: &str) -> (crate::model::Manual, Fonts, Vec<String>) {
        let (manual, diagnostics, _) = testing::manual(&[("en", "p", text)], &[]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let fonts = Fonts::load(&PdfConfig::default(), None).unwrap();
        let families = fonts.families("en");
        (manual, fonts, families)
    }

    /// The memory watch empties typst's caches while documents compile: the PDFs must
    /// come out the same, byte for byte.
    #[test]
    fn emptying_the_caches_during_a_compile_changes_nothing() {
        let steps: String = (1..=60)
            .map(|n| {
                format!("+++\nid = \"s{n}\"\ntitle = \"Step {n}\"\n+++\n\nSee [](step:s{}) and **OK** {n}.\n\n", 61 - n)
            })
            .collect();
        let page = format!("+++\ntitle = \"Long\"\n+++\n\n{steps}");
        let (manual, fonts, families) = english_page(&page);
        let style = Style::plain(&families);
        let library = LazyHash::new(Library::builder().build());
        let images = Images::new();
        let compile = || {
            let document = markup::manual_document(&manual, "en", &style);
            let world = PdfWorld::new(&library, &fonts, &images, document.source);
            let compiled = typst::compile::<PagedDocument>(&world).output.expect("compiles");
            typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).expect("exports")
        };
        let quiet = compile();
        typst::comemo::evict(0);
        let stop = std::sync::atomic::AtomicBool::new(false);
        let evicted = std::thread::scope(|scope| {
            let evicting = scope.spawn(|| {
                let mut times = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    typst::comemo::evict(0);
                    times += 1;
                    std::thread::yield_now();
                }
                times
            });
            let pdf = compile();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(evicting.join().unwrap() > 1, "the caches were emptied during the compile");
            pdf
        });
        assert!(quiet == evicted, "the same bytes");
    }

    #[test]
    fn nasty_text_prints_as_written() {
        // Nothing Markdown would read differently, so that title, text and code agree.
        let nasty = r#"#set page(width: 1cm) $x$ @r [a] \ // c /* c */ = h ~ -- ... 'q' "q" #{ } ; \u{41} `"#;
        let page = format!(
            "+++\ntitle = \"{}\"\n+++\n\n{nasty}\n\n```\n{nasty}\n```\n",
            nasty.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let (manual, fonts, families) = english_page(&page);
        let style = Style::plain(&families);
        let document = markup::page_document(&manual, 0, &style);
        let library = LazyHash::new(Library::builder().build());
        let images = Images::new();
        let world = PdfWorld::new(&library, &fonts, &images, document.source);
        let compiled = typst::compile::<PagedDocument>(&world).output.expect("compiles");
        let mut text = String::new();
        for page in compiled.pages() {
            text_of(&page.frame, &mut text);
        }
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        // The title (on the title page and in the header), the paragraph and the code.
        assert!(squeeze(&text).matches(&squeeze(nasty)).count() >= 3, "{text}");
    }
}
