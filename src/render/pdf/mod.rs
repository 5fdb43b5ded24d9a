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
//! coverage; a character no font has is an error naming the language and how to get
//! a font, rather than a box in a PDF nobody proofreads.
//!
//! Without the `pdf` cargo feature only the paths below exist, and the build says
//! once that PDFs need the feature.

#[cfg(feature = "pdf")]
mod fonts;
#[cfg(feature = "pdf")]
pub mod markup;
#[cfg(feature = "pdf")]
mod world;

use std::time::SystemTime;

use crate::config::Config;
use crate::model::{Page, PageKind};

#[cfg(feature = "pdf")]
pub use render::{Inputs, render};

/// Whether this build writes PDFs: the feature is compiled in and `[pdf]` allows it.
pub fn enabled(config: &Config) -> bool {
    cfg!(feature = "pdf") && config.pdf.enabled
}

/// Where a page's PDF goes inside the output folder (`ja/certificates/obtain.pdf`);
/// procedures only.
pub fn page_pdf_path(page: &Page) -> Option<String> {
    (page.kind == PageKind::Procedure).then(|| format!("{}/{}.pdf", page.lang, page.key))
}

/// Where a language's whole manual goes: `ja/manual.pdf`.
pub fn manual_pdf_path(lang: &str) -> String {
    format!("{lang}/manual.pdf")
}

/// The day (UTC) of a file time: (year, month, day).
pub fn civil_date(time: SystemTime) -> (i32, u8, u8) {
    let seconds = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => -(before.duration().as_secs() as i64),
    };
    // Howard Hinnant's days-to-civil algorithm.
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(feature = "pdf")]
mod render {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::SystemTime;

    use rayon::prelude::*;
    use typst::diag::{Severity, SourceDiagnostic};
    use typst::foundations::{Bytes, Smart};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt, WorldExt};
    use typst_layout::PagedDocument;
    use typst_pdf::PdfOptions;

    use super::fonts::{self, Fonts};
    use super::markup::{self, Document, Style};
    use super::world::{Images, PdfWorld};
    use super::{civil_date, manual_pdf_path, page_pdf_path};
    use crate::config::Config;
    use crate::diagnostic::Diagnostic;
    use crate::load::Assets;
    use crate::model::{ImageUse, Manual, PageId};
    use crate::output::Sink;
    use crate::source::FileId;

    /// What PDFs need from outside the model, read before rendering: the fonts and
    /// the bytes of every image the pages show.
    pub struct Inputs {
        pub fonts: Fonts,
        pub images: Images,
    }

    impl Inputs {
        pub fn load(config: &Config, manual: &Manual, assets: &Assets) -> Result<Inputs, Diagnostic> {
            let (fonts, images) =
                rayon::join(|| Fonts::load(&config.pdf, &config.root), || read_images(manual, assets));
            Ok(Inputs { fonts: fonts?, images: images? })
        }
    }

    fn read_images(manual: &Manual, assets: &Assets) -> Result<Images, Diagnostic> {
        let mut wanted: Vec<&str> = manual
            .pages
            .iter()
            .flat_map(|page| page.images())
            .filter_map(|(_, image): (ImageUse, _)| image.asset.as_deref())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
            .into_par_iter()
            .filter_map(|rel| assets.get(rel).map(|asset| (rel, asset)))
            .map(|(rel, asset)| {
                std::fs::read(&asset.path)
                    .map(|bytes| (rel.to_string(), Bytes::new(bytes)))
                    .map_err(|e| Diagnostic::error("io", format!("cannot read content/{rel}: {e}")))
            })
            .collect()
    }

    /// One PDF to make.
    struct Job {
        path: String,
        lang: String,
        /// The page of a one-page handout; `None` for `manual.pdf`.
        page: Option<PageId>,
        /// The page's Markdown file, to point errors at.
        file: Option<FileId>,
        document: Document,
    }

    /// Writes every procedure's PDF and each language's `manual.pdf`.
    /// `modified` holds each page's newest source file time, for title pages.
    pub fn render(
        manual: &Manual,
        config: &Config,
        inputs: &Inputs,
        modified: &[Option<SystemTime>],
        sink: &dyn Sink,
    ) -> Result<(), Diagnostic> {
        let mono = inputs.fonts.mono_families();
        let families: HashMap<&str, Vec<String>> =
            manual.languages.iter().map(|l| (l.code.as_str(), inputs.fonts.families(&l.code))).collect();
        let date_of = |pages: &mut dyn Iterator<Item = PageId>| {
            config.pdf.date.or_else(|| pages.filter_map(|p| modified.get(p).copied().flatten()).max().map(civil_date))
        };
        let style =
            |lang: &str, date| Style { paper: config.pdf.paper, fonts: &families[lang], mono_fonts: &mono, date };

        let mut jobs: Vec<(String, String, Option<PageId>)> = Vec::new();
        for language in &manual.languages {
            jobs.push((manual_pdf_path(&language.code), language.code.clone(), None));
        }
        for (id, page) in manual.pages.iter().enumerate() {
            if let Some(path) = page_pdf_path(page) {
                if path == manual_pdf_path(&page.lang) {
                    return Err(Diagnostic::error(
                        "pdf-path",
                        format!("the page's PDF would be {path}, which is the whole manual's PDF"),
                    )
                    .in_file(page.file)
                    .with_hint("rename the page: `manual` is taken by the manual's PDF"));
                }
                jobs.push((path, page.lang.clone(), Some(id)));
            }
        }
        let jobs: Vec<Job> = jobs
            .into_par_iter()
            .map(|(path, lang, page)| {
                let document = match page {
                    Some(id) => markup::page_document(manual, id, &style(&lang, date_of(&mut std::iter::once(id)))),
                    None => {
                        let pages = manual.language(&lang).map_or(&[][..], |l| &l.reading_order[..]);
                        markup::manual_document(manual, &lang, &style(&lang, date_of(&mut pages.iter().copied())))
                    }
                };
                Job { path, lang, page, file: page.map(|id| manual.pages[id].file), document }
            })
            .collect();

        check_fonts(manual, &inputs.fonts, &jobs)?;

        let library = LazyHash::new(Library::builder().build());
        let result = run_jobs(&jobs, |job| {
            let bytes = compile(job, &library, inputs)?;
            sink.write(&job.path, &bytes)
                .map_err(|e| Diagnostic::error("io", format!("cannot write {}: {e}", job.path)))
        });
        // typst memoizes across compiles; a long-running `serve` must not keep it all.
        typst::comemo::evict(0);
        result
    }

    /// Runs `work` on every job, a thread per core; stops at the first error.
    ///
    /// The manuals go one after the other on one thread, since each holds its whole
    /// laid-out document in memory (about 1 MB a page), and typst's caches are
    /// emptied after each; the pages fill in on the other threads and then on that
    /// one.
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
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
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

    /// Stack for a compile: typst's layout and PDF export recurse by document depth
    /// and length (a 450-page manual needs more than 4 MiB). Untouched stack costs
    /// no memory.
    const STACK: usize = 256 << 20;

    /// Every character of every language's manual — which holds each of its pages —
    /// must be in some font.
    fn check_fonts(manual: &Manual, fonts: &Fonts, jobs: &[Job]) -> Result<(), Diagnostic> {
        let problems: Vec<(String, Vec<char>)> = jobs
            .par_iter()
            .filter(|job| job.page.is_none())
            .map(|job| (job.lang.clone(), fonts.missing(&job.document.source[job.document.text_start..])))
            .filter(|(_, missing)| !missing.is_empty())
            .collect();
        let Some((lang, missing)) = problems.first() else { return Ok(()) };
        let (mut message, hint) = fonts::missing_message(lang, missing);
        for (other, missing) in &problems[1..] {
            message.push_str(&format!("; so do the {other} PDFs ({} characters)", missing.len()));
        }
        let mut error = Diagnostic::error("pdf-font", message).with_hint(hint);
        // Point at the first page that uses one of the characters.
        let first_page = jobs.iter().filter(|job| job.lang == *lang).find_map(|job| {
            let page = job.page?;
            job.document.source.contains(&missing[..]).then_some(page)
        });
        if let Some(page) = first_page.or_else(|| {
            manual.language(lang)?.reading_order.iter().copied().find(|&p| {
                let page = &manual.pages[p];
                page.front.title.contains(&missing[..])
            })
        }) {
            error = error.in_file(manual.pages[page].file);
        }
        Err(error)
    }

    fn compile(job: &Job, library: &LazyHash<Library>, inputs: &Inputs) -> Result<Vec<u8>, Diagnostic> {
        let world = PdfWorld::new(library, &inputs.fonts, &inputs.images, job.document.source.clone());
        let document =
            typst::compile::<PagedDocument>(&world).output.map_err(|errors| typst_error(job, &world, &errors))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.path.clone()),
            creator: Smart::Custom(Some("tejun".to_string())),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| typst_error(job, &world, &errors))
    }

    /// typst's first error, at the image it is about when it is about one (a file
    /// that is not an image), else as a problem with the PDF.
    fn typst_error(job: &Job, world: &PdfWorld, errors: &[SourceDiagnostic]) -> Diagnostic {
        let Some(error) = errors.iter().find(|e| e.severity == Severity::Error).or(errors.first()) else {
            return Diagnostic::error("pdf", format!("typst could not make {}", job.path));
        };
        let range = world.range(error.span);
        let image = range.and_then(|range| {
            job.document.images.iter().find(|(at, _, _)| at.start <= range.start && range.end <= at.end)
        });
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_times_become_utc_days() {
        use std::time::Duration;
        assert_eq!(civil_date(SystemTime::UNIX_EPOCH), (1970, 1, 1));
        // 2024-02-29T23:59:59Z and a second later.
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_251_199);
        assert_eq!(civil_date(leap), (2024, 2, 29));
        assert_eq!(civil_date(leap + Duration::from_secs(1)), (2024, 3, 1));
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
    use crate::config::{PAPERS, PdfConfig};
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

    #[test]
    fn nasty_text_prints_as_written() {
        // Nothing Markdown would read differently, so that title, text and code agree.
        let nasty = r#"#set page(width: 1cm) $x$ @r [a] \ // c /* c */ = h ~ -- ... 'q' "q" #{ } ; \u{41} `"#;
        let page = format!(
            "+++\ntitle = \"{}\"\n+++\n\n{nasty}\n\n```\n{nasty}\n```\n",
            nasty.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let (manual, diagnostics, _) = testing::manual(&[("en", "p", &page)], &[]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let fonts = Fonts::load(&PdfConfig::default(), std::path::Path::new(".")).unwrap();
        let families = fonts.families("en");
        let style = Style { paper: PAPERS[1], fonts: &families, mono_fonts: &[], date: None };
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
