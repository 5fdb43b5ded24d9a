//! Runs the pipeline: config → load → parse → resolve → render → output. Each stage
//! collects diagnostics; the build stops before rendering if any is an error, and the
//! output folder is only replaced once every file has been written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{Config, PdfCache};
use crate::diagnostic::{self, Diagnostic};
use crate::history;
use crate::lint;
use crate::load::{self, Assets};
use crate::model::{Manual, Page};
use crate::output::{self, Sink, Staging};
use crate::parse::{self, PageInfo};
use crate::redact::{self, RedactedCopy};
use crate::render;
use crate::resolve;
use crate::source::{FileId, Sources};
use crate::theme::Theme;
use crate::variants;

/// What a run found, and what it read (to show the diagnostics' source lines).
pub struct Outcome {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// The site that was built, when it got that far.
    pub site: Option<Site>,
    /// How long each stage took, in seconds, for `--timings`.
    pub timings: Vec<(&'static str, f64)>,
}

/// Records how long each stage takes.
#[derive(Default)]
pub struct Timings {
    last: Option<Instant>,
    pub stages: Vec<(&'static str, f64)>,
}

impl Timings {
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last {
            self.stages.push((stage, (now - last).as_secs_f64()));
        }
        self.last = Some(now);
    }
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        !diagnostic::has_errors(&self.diagnostics)
    }

    /// Pages built (0 when the build stopped).
    pub fn pages(&self) -> usize {
        match &self.site {
            Some(site) if self.succeeded() => site.manual.pages.len(),
            _ => 0,
        }
    }
}

/// A manual read, parsed and resolved: everything a renderer needs.
pub struct Site {
    pub config: Config,
    pub theme: Theme,
    /// The whole manual, every variant's content in it: what lints, translation
    /// reports and counts read. Without variants, it is the one manual.
    pub manual: Manual,
    /// With variants, one manual per combination of values, the default first.
    variant_manuals: Vec<Manual>,
    pub assets: Assets,
}

impl Site {
    /// The manuals to render: one per combination of variant values.
    pub fn editions(&self) -> &[Manual] {
        if self.variant_manuals.is_empty() { std::slice::from_ref(&self.manual) } else { &self.variant_manuals }
    }
}

/// Reads and resolves the site at `root`; `None` if any error was found.
pub fn load_site(
    root: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> Option<Site> {
    let mut reuse = Reuse { sources: std::mem::take(sources), ..Reuse::default() };
    let site = read_site(root, &mut reuse, false, diagnostics, timings);
    *sources = reuse.sources;
    site.filter(|_| !diagnostic::has_errors(diagnostics))
}

/// What `tejun serve` keeps from one build for the next, so that a save costs
/// reading and parsing the files that changed, not the whole manual. Resolving is
/// done again in whole every time: a step added on one page renumbers references on
/// any other, and resolving is what finds them.
#[derive(Default)]
pub struct Reuse {
    sources: Sources,
    earlier: load::Earlier,
    /// What each page's file parsed into, when it was last read.
    parsed: Arc<HashMap<FileId, Parsed>>,
    /// A copy of `parsed` being made while the server waits for a save
    /// ([`Reuse::prepare`]): resolving changes the pages it is given, and taking them
    /// from here saves copying them between the save and the reload.
    spare: Option<JoinHandle<HashMap<FileId, Parsed>>>,
}

impl Reuse {
    /// Reads and parses `content/REL` again next time, whatever its stamp says.
    pub fn forget(&mut self, rel: &str) {
        self.earlier.forget(rel);
    }

    /// The paths (from the site's folder) of the files the pages include, and of
    /// those they looked for and did not find: a change at any of them is a change
    /// to the pages.
    pub fn included_paths(&self) -> std::collections::BTreeSet<String> {
        self.earlier.included_paths()
    }

    /// Starts copying the parsed pages for the next build to resolve, on a thread of
    /// its own; the next build waits for it to finish.
    pub fn prepare(&mut self) {
        let parsed = Arc::clone(&self.parsed);
        let copy = move || parsed.par_iter().map(|(file, parsed)| (*file, parsed.clone())).collect();
        self.spare = std::thread::Builder::new().name("copy-parsed".into()).spawn(copy).ok();
    }

    /// What was parsed last time, and its copy if one was prepared.
    fn take_parsed(&mut self) -> (HashMap<FileId, Parsed>, HashMap<FileId, Parsed>) {
        // Joined first: the copying thread holds the other reference to `parsed`.
        let spare = self.spare.take().and_then(|copying| copying.join().ok()).unwrap_or_default();
        let parsed = Arc::try_unwrap(std::mem::take(&mut self.parsed)).unwrap_or_else(|shared| (*shared).clone());
        (parsed, spare)
    }
}

/// [`load_site`] for `tejun serve`: reads and parses only what changed since the
/// builds `reuse` remembers. Returns the site and the files read, for diagnostics.
pub fn load_site_again(
    root: &Path,
    reuse: &mut Reuse,
    diagnostics: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> (Option<Site>, Sources) {
    let site = read_site(root, reuse, true, diagnostics, timings);
    (site.filter(|_| !diagnostic::has_errors(diagnostics)), reuse.sources.clone())
}

/// Reads and resolves the site at `root` as far as it can: a page with errors (a
/// file in Shift_JIS, a broken reference) is left out or left unresolved, and the
/// rest is there, so that lints can still report on every other page. `None` only
/// when `tejun.toml` or the theme cannot be read. With `keep`, what was parsed is
/// kept in `reuse` for the next call.
fn read_site(
    root: &Path,
    reuse: &mut Reuse,
    keep: bool,
    diagnostics: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> Option<Site> {
    timings.lap("start");
    let config = Config::load(root, &mut reuse.sources).map_err(|d| diagnostics.extend(d)).ok()?;
    let theme = Theme::load(&config, &mut reuse.sources).map_err(|d| diagnostics.extend(d));
    let (loaded, found) = load::load_again(&config, &mut reuse.sources, &mut reuse.earlier);
    diagnostics.extend(found);
    timings.lap("load");
    let mut pages = parse_pages(&loaded, reuse, keep, diagnostics);
    for page in pages.iter_mut().filter(|page| page.front.weight.is_none()) {
        page.front.weight = loaded.order.get(&page.key).copied();
    }
    diagnostics.extend(variants::check(&pages, &config));
    timings.lap("parse");
    let sources = &reuse.sources;
    let (manual, variant_manuals) = resolve_editions(&config, pages, &loaded.assets, sources, diagnostics);
    timings.lap("resolve");
    let theme = theme.ok()?;
    if config.pdf.enabled && !cfg!(feature = "pdf") {
        diagnostics.push(
            Diagnostic::warning("pdf-unavailable", "no PDFs were made: this tejun was built without the `pdf` feature")
                .with_hint("build tejun with its default features, or set `[pdf] enabled = false` in tejun.toml"),
        );
    }
    Some(Site { config, theme, manual, variant_manuals, assets: loaded.assets })
}

/// What a page's file parsed into: the page, unless it had errors, and what was found.
type Parsed = (Option<Page>, Vec<Diagnostic>);

/// Parses the pages `load` read; with `keep`, the others come from `reuse`, and what
/// was parsed is kept there. Resolving changes the pages it is given, so a kept page
/// goes to it as a copy: the one [`Reuse::prepare`] made, or one made now.
fn parse_pages(loaded: &load::Loaded, reuse: &mut Reuse, keep: bool, diagnostics: &mut Vec<Diagnostic>) -> Vec<Page> {
    let (mut earlier, mut spare) = reuse.take_parsed();
    let cached: Vec<Option<(Parsed, Option<Parsed>)>> = loaded
        .pages
        .iter()
        .map(|source| {
            let unchanged = keep && !loaded.read.contains(&source.file);
            let kept = earlier.remove(&source.file).filter(|_| unchanged)?;
            Some((kept, spare.remove(&source.file)))
        })
        .collect();
    let sources = &reuse.sources;
    let parsed: Vec<(Option<Parsed>, Parsed)> = loaded
        .pages
        .par_iter()
        .zip(cached)
        .map(|(source, cached)| match cached {
            Some((kept, Some(copy))) => (Some(kept), copy),
            Some((kept, None)) => {
                let copy = kept.clone();
                (Some(kept), copy)
            }
            None => {
                let info = PageInfo {
                    file: source.file,
                    key: source.key.clone(),
                    lang: source.lang.clone(),
                    kind: source.kind,
                };
                let parsed = parse::parse_page(&sources.get(source.file).text, info);
                (keep.then(|| parsed.clone()), parsed)
            }
        })
        .collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut kept_pages = HashMap::new();
    for (source, (kept, (page, found))) in loaded.pages.iter().zip(parsed) {
        if let Some(kept) = kept {
            kept_pages.insert(source.file, kept);
        }
        diagnostics.extend(found);
        pages.extend(page);
    }
    reuse.parsed = Arc::new(kept_pages);
    pages
}

/// Resolves the manual, and with variants each combination's manual on its own:
/// (the whole manual, the variants' manuals). Parsed once, resolved per combination.
fn resolve_editions(
    config: &Config,
    pages: Vec<Page>,
    assets: &Assets,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Manual, Vec<Manual>) {
    let editions = variants::editions(config);
    if editions.len() == 1 {
        let (manual, found) = resolve::resolve(config, pages, assets, sources);
        diagnostics.extend(found);
        return (manual, Vec::new());
    }
    let mut manuals = Vec::with_capacity(editions.len());
    let mut found = Vec::with_capacity(editions.len());
    for edition in &editions {
        let (mut manual, in_edition) = resolve::resolve(config, variants::select(&pages, edition), assets, sources);
        manual.edition = edition.clone();
        manuals.push(manual);
        found.push(in_edition);
    }
    // Resolved together, variants' alternatives clash (two steps `download`); what
    // it finds is only used to tell a reference into dropped content from a typo.
    let (whole, in_whole) = resolve::resolve(config, pages, assets, sources);
    diagnostics.extend(variants::merge_diagnostics(config, &editions, found, &in_whole));
    (whole, manuals)
}

/// Renders every output file of the site into `sink`; returns the warnings.
pub fn render_site(site: &Site, sources: &Sources, sink: &dyn Sink) -> Result<Vec<Diagnostic>, Diagnostic> {
    // Redacted once: the HTML links these copies and the PDFs show them.
    let copies = redact::published_copies(&site.manual, &site.assets)?;
    write_pages(site, &copies, sink)?;
    #[cfg(feature = "pdf")]
    if render::pdf::enabled(&site.config) {
        let mut inputs = render::pdf::Inputs::load(&site.config, &site.manual, &site.assets, &copies, sources)?;
        return render::pdf::render(site.editions(), &site.config, &mut inputs, sources, sink);
    }
    #[cfg(not(feature = "pdf"))]
    let _ = sources;
    Ok(Vec::new())
}

/// What a reader's browser needs: the HTML, the search index, the theme's files and
/// the content's images, without the PDFs. `tejun serve` makes the same files one at
/// a time, as they are asked for; its tests compare them with these.
pub fn render_pages(site: &Site, sink: &dyn Sink) -> Result<(), Diagnostic> {
    write_pages(site, &redact::published_copies(&site.manual, &site.assets)?, sink)
}

/// [`render_pages`] with the screenshots' redacted copies made already.
fn write_pages(site: &Site, copies: &[RedactedCopy], sink: &dyn Sink) -> Result<(), Diagnostic> {
    // The search index is built beside the pages rather than after them: most of its
    // work is one thread's per language.
    let (html, search) = rayon::join(
        || render::html::render(site.editions(), &site.config, &site.theme, sink),
        || site.editions().par_iter().try_for_each(|manual| render::search::render(manual, sink)),
    );
    html?;
    search?;
    for (name, bytes) in copies {
        let path = render::asset_output_path(name);
        sink.write(&path, bytes).map_err(|e| Diagnostic::error("io", format!("cannot write {path}: {e}")))?;
    }
    // A screenshot with secrets in it is published only as its redacted copies.
    let withheld = redact::only_redacted(&site.manual);
    site.assets.par_iter().filter(|(rel, _)| !withheld.contains(*rel)).try_for_each(|(rel, asset)| {
        let path = render::asset_output_path(rel);
        sink.copy(&path, &asset.path).map_err(|e| Diagnostic::error("io", format!("cannot copy content/{rel}: {e}")))
    })
}

/// `tejun build`: the whole site into `output` (default `ROOT/public`); `cache` lets
/// unchanged PDFs come from the last build's. `waiting` is called when another
/// build is writing the same output folder and this one waits.
pub fn build(root: &Path, output: Option<&Path>, cache: bool, waiting: &(dyn Fn() + Sync)) -> Outcome {
    let mut reuse = Reuse::default();
    let mut diagnostics = Vec::new();
    let mut timings = Timings::default();
    let mut site = read_site(root, &mut reuse, false, &mut diagnostics, &mut timings);
    let sources = reuse.sources;
    if let Some(site) = &mut site
        && !cache
    {
        site.config.pdf.cache = PdfCache::Off;
    }
    if let Some(site) = &site {
        let output: PathBuf = output.map_or_else(|| root.join("public"), Path::to_path_buf);
        // The lints `check` runs: a build shows their warnings, and a denied one stops
        // it. They run beside the rendering, which is thrown away if one is denied.
        let render = !diagnostic::has_errors(&diagnostics);
        let (found, staged) = rayon::join(
            || lints(site, &sources),
            || render.then(|| stage_site(site, &sources, &output, waiting, &mut timings)),
        );
        timings.lap("lint, render and write");
        diagnostics.extend(found);
        match staged {
            Some(Ok((staging, warnings))) if !diagnostic::has_errors(&diagnostics) => {
                diagnostics.extend(warnings);
                if let Err(d) = replace_output(staging, &output, &mut timings) {
                    diagnostics.push(d);
                }
            }
            Some(Ok((staging, _))) => staging.abandon(),
            Some(Err(d)) => diagnostics.push(d),
            None => {}
        }
    }
    diagnostic::sort(&mut diagnostics);
    Outcome { sources, diagnostics, site, timings: timings.stages }
}

/// Renders the site into a staging folder beside `output`; returns it with the
/// warnings.
fn stage_site(
    site: &Site,
    sources: &Sources,
    output: &Path,
    waiting: &(dyn Fn() + Sync),
    timings: &mut Timings,
) -> Result<(Staging, Vec<Diagnostic>), Diagnostic> {
    output::check_output_dir(output, &site.config.root)
        .map_err(|m| Diagnostic::error("output", m).with_hint("pass another folder with --output"))?;
    let staging = Staging::new(output, waiting).map_err(|e| {
        Diagnostic::error("io", format!("cannot create a staging folder next to {}: {e}", output.display()))
    })?;
    timings.lap("lock");
    match render_site(site, sources, &staging) {
        Ok(warnings) => Ok((staging, warnings)),
        Err(d) => {
            staging.abandon();
            Err(d)
        }
    }
}

/// Puts the staged site in place of `output`.
fn replace_output(staging: Staging, output: &Path, timings: &mut Timings) -> Result<(), Diagnostic> {
    let replace_error =
        |e: std::io::Error| Diagnostic::error("io", format!("cannot replace {}: {e}", output.display()));
    staging.sync().map_err(replace_error)?;
    timings.lap("sync");
    staging.commit().map_err(replace_error)?;
    timings.lap("swap");
    Ok(())
}

/// The lints at the levels `tejun.toml` sets, stale translations explained from the
/// site's git history where it has the translated version.
fn lints(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = lint::apply_levels(lint::lint(&site.manual, sources, &site.assets), &site.config.lints);
    history::explain_stale_translations(&site.manual, sources, &site.config.root, &mut found);
    found
}

/// `tejun check`: everything `build` validates, plus the lints, writing nothing.
/// Everything that can be found is reported in one run: the lints look at every
/// page that could be read, even when others have errors. With `cache`, PDFs in the
/// cache are taken as compiled; nothing is added to it.
pub fn check(root: &Path, cache: bool) -> Outcome {
    let mut reuse = Reuse::default();
    let mut diagnostics = Vec::new();
    let mut timings = Timings::default();
    let mut site = read_site(root, &mut reuse, false, &mut diagnostics, &mut timings);
    let sources = reuse.sources;
    if let Some(site) = &mut site {
        site.config.pdf.cache = match site.config.pdf.cache {
            PdfCache::On if cache => PdfCache::ReadOnly,
            _ => PdfCache::Off,
        };
        // Rendering finds what only rendering can (a PDF that does not compile); its
        // findings count only where the lints denied nothing, as in a build.
        let rendered = !diagnostic::has_errors(&diagnostics);
        let (found, render) =
            rayon::join(|| lints(site, &sources), || rendered.then(|| render_site(site, &sources, &output::Discard)));
        diagnostics.extend(found);
        match render {
            _ if diagnostic::has_errors(&diagnostics) => {}
            Some(Ok(warnings)) => diagnostics.extend(warnings),
            Some(Err(d)) => diagnostics.push(d),
            None => {}
        }
    }
    diagnostic::sort(&mut diagnostics);
    Outcome { sources, diagnostics, site, timings: timings.stages }
}
