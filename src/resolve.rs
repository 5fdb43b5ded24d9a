//! Stage 4, resolve: everything that needs the whole manual. Numbers steps and
//! figures, finds each image among the loaded assets, resolves every cross-reference,
//! builds each language's table of contents and reading order, and lines up the
//! languages. After it succeeds, renderers cannot fail on content. No I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, nearest};
use crate::embedded;
use crate::links::{self, LinkContext};
use crate::load::{self, Assets};
use crate::model::{
    Block, Callout, Edition, Image, Inline, Language, Manual, Page, PageId, PageKind, RefKind, RefTarget, Reference,
    Step, TocNode,
};
use crate::parse::wikilinks;
use crate::redact;
use crate::source::Sources;
use crate::translations;

/// What references can point at on one page.
#[derive(Default)]
struct PageIndex {
    /// Step id → (number, title, where its id is written: a second step with the id is
    /// reported at it).
    steps: FxHashMap<String, (u32, String, usize)>,
    /// Figure id → number.
    figures: FxHashMap<String, u32>,
    /// Numbered table's id → number.
    tables: FxHashMap<String, u32>,
    /// The page's other ids ([`links::other_anchors`]).
    anchors: FxHashSet<String>,
    /// What a link to the page with no text of its own shows: its title.
    title: String,
    /// What a link to one of its headings with no text of its own shows, by the
    /// heading's ids ([`links::heading_texts`]).
    headings: FxHashMap<String, String>,
}

/// Every page's index, as the ids a link's `#fragment` may name.
struct PageIndexes<'a>(&'a [PageIndex]);

impl links::Anchors for PageIndexes<'_> {
    fn has(&self, page: PageId, anchor: &str) -> bool {
        let index = &self.0[page];
        anchor.strip_prefix("step-").is_some_and(|id| index.steps.contains_key(id))
            || anchor.strip_prefix("fig-").is_some_and(|id| index.figures.contains_key(id))
            || anchor.strip_prefix("table-").is_some_and(|id| index.tables.contains_key(id))
            || index.anchors.contains(anchor)
    }

    fn all(&self, page: PageId) -> Vec<String> {
        let index = &self.0[page];
        let steps = index.steps.keys().map(|id| format!("step-{id}"));
        let figures = index.figures.keys().map(|id| format!("fig-{id}"));
        let tables = index.tables.keys().map(|id| format!("table-{id}"));
        steps.chain(figures).chain(tables).chain(index.anchors.iter().cloned()).collect()
    }

    fn is_title(&self, page: PageId, anchor: &str) -> bool {
        crate::parse::markdown::github_id(&self.0[page].title) == anchor
    }
}

/// Resolves the parsed pages into the manual.
pub fn resolve(config: &Config, mut pages: Vec<Page>, assets: &Assets, sources: &Sources) -> (Manual, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    pages.sort_by(|a, b| (&a.lang, &a.key, a.kind).cmp(&(&b.lang, &b.key, b.kind)));
    let by_key = index_pages(&pages, sources, &mut diagnostics);

    let per_page: Vec<(PageIndex, Vec<Diagnostic>)> = pages
        .par_iter_mut()
        .map(|page| {
            let mut found = Vec::new();
            let index = number_page(page, assets, sources, &mut found);
            (index, found)
        })
        .collect();
    let mut indexes = Vec::with_capacity(per_page.len());
    for (index, found) in per_page {
        indexes.push(index);
        diagnostics.extend(found);
    }
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();

    let found: Vec<Vec<Diagnostic>> = pages
        .par_iter_mut()
        .enumerate()
        .map(|(id, page)| {
            let resolver = Resolver {
                page_id: id,
                lang: page.lang.clone(),
                by_key: &by_key,
                indexes: &indexes,
                languages: &languages,
                assets,
            };
            let mut found = Vec::new();
            resolver.resolve_page(page, &mut found);
            found
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());

    let languages =
        config.languages.iter().map(|lang| build_language(&lang.code, &lang.title, &pages, &by_key)).collect();
    mark_stale_translations(&mut pages, &by_key, &config.source_language, sources);
    // Freed by both threads: on this one alone, the indexes' hundred thousand strings
    // kept the other idle for a fiftieth of a build.
    indexes.into_par_iter().for_each(drop);
    let manual = Manual {
        pages,
        languages,
        by_key,
        source_language: config.source_language.clone(),
        edition: Edition::default(),
    };
    (manual, diagnostics)
}

fn index_pages(
    pages: &[Page],
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> FxHashMap<(String, String), PageId> {
    let mut by_key = FxHashMap::with_capacity_and_hasher(pages.len(), Default::default());
    for (id, page) in pages.iter().enumerate() {
        if let Some(&first) = by_key.get(&(page.lang.clone(), page.key.clone())) {
            let first: &Page = &pages[first];
            diagnostics.push(
                Diagnostic::error("duplicate-page", format!("two {} pages have the path `{}`", page.lang, page.key))
                    .in_file(page.file)
                    .with_hint(format!(
                        "{} has the same path in the same language; rename or remove one of them",
                        sources.get(first.file).name
                    )),
            );
            continue;
        }
        by_key.insert((page.lang.clone(), page.key.clone()), id);
    }
    by_key
}

/// The folder a page's relative paths start from.
fn page_dir(page: &Page) -> &str {
    match page.kind {
        PageKind::Home => "",
        PageKind::Chapter => &page.key,
        PageKind::Procedure => page.key.rsplit_once('/').map_or("", |(dir, _)| dir),
    }
}

/// Numbers steps and figures in document order (a step's screenshot before the
/// figures in its body) and checks step ids and images.
fn number_page(page: &mut Page, assets: &Assets, sources: &Sources, diagnostics: &mut Vec<Diagnostic>) -> PageIndex {
    let file = page.file;
    let dir = page_dir(page).to_string();
    let mut index = PageIndex::default();
    let mut numbers = Numbers {
        figures: Counter { next: 1, index: &mut index.figures },
        tables: Counter { next: 1, index: &mut index.tables },
    };
    let mut images = ImageResolver { dir: &dir, assets, file, diagnostics, embedded: Vec::new() };
    visit_numbered(&mut page.intro, &mut numbers, &mut images);
    let mut step_number = 0;
    for section in &mut page.sections {
        visit_numbered(&mut section.intro, &mut numbers, &mut images);
        for step in &mut section.steps {
            step_number += 1;
            step.number = step_number;
            if let Some(&(_, _, first_id_at)) = index.steps.get(&step.id) {
                let (line, _) = sources.line_col(file, first_id_at);
                images.diagnostics.push(
                    Diagnostic::error("duplicate-step-id", format!("step id `{}` is used twice on this page", step.id))
                        .at(file, step.id_span.clone())
                        .with_hint(format!("the first step with this id is on line {line}; give this one another id")),
                );
            } else {
                index.steps.insert(step.id.clone(), (step.number, step.title.clone(), step.id_span.start));
            }
            if let Some(image) = &mut step.image {
                images.resolve(image);
                step.figure_number = Some(numbers.figures.take(&step.id));
                // A picture written into the page or on another server (a missing file
                // is an error already): published as it is, it would show what the boxes hide.
                let not_a_file = image.published.is_some() || is_external(&image.src);
                if let (None, Some(first), true) = (&image.asset, step.redact.first(), not_a_file) {
                    images.diagnostics.push(
                        Diagnostic::error(
                            "unredactable-image",
                            "tejun can only redact a screenshot that is a file of the site",
                        )
                        .at(file, first.span.clone())
                        .with_hint("save the screenshot into content/ and name its file in `image`"),
                    );
                }
                if let (Some(asset), Some(first)) = (&image.asset, step.redact.first()) {
                    let extension = asset.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
                    if redact::FORMATS.contains(&extension.as_str()) {
                        image.published = Some(redact::published_name(asset, &step.redact));
                    } else {
                        images.diagnostics.push(
                            Diagnostic::error(
                                "unredactable-image",
                                format!("tejun cannot redact a .{extension} image"),
                            )
                            .at(file, first.span.clone())
                            .with_hint("save the screenshot as PNG, JPEG or SVG"),
                        );
                    }
                }
            }
            check_callouts(step, file, images.diagnostics);
            visit_numbered(&mut step.body, &mut numbers, &mut images);
        }
    }
    for footnote in &mut page.footnotes {
        visit_numbered(&mut footnote.blocks, &mut numbers, &mut images);
    }
    page.embedded_images = images.embedded;
    index.anchors = links::other_anchors(page);
    index.headings = links::heading_texts(page);
    index.title = page.front.title.clone();
    index
}

/// A step's callouts and redactions: on its screenshot, inside it, and as many
/// callouts as sub-steps.
fn check_callouts(step: &Step, file: usize, diagnostics: &mut Vec<Diagnostic>) {
    let Some(image) = &step.image else {
        let first = step.callouts.first().map(Callout::span).or(step.redact.first().map(|r| &r.span));
        if let Some(span) = first {
            diagnostics.push(
                Diagnostic::error(
                    "callout-without-image",
                    format!("step `{}` has callouts or redactions but no image", step.id),
                )
                .at(file, span.clone())
                .with_hint("give the step its screenshot with image = \"…\", or remove the callouts"),
            );
        }
        return;
    };
    if let Some([left, top, width, height]) = image.frame {
        let outside = |x: f64, y: f64, w: f64, h: f64| {
            x < left || y < top || w < 0.0 || h < 0.0 || x + w > left + width || y + h > top + height
        };
        let shapes = step
            .callouts
            .iter()
            .map(|callout| match callout {
                Callout::Box(r) => (r.x, r.y, r.width, r.height, &r.span, "callout box"),
                &Callout::Point { x, y, ref span } => (x, y, 0.0, 0.0, span, "callout point"),
            })
            .chain(step.redact.iter().map(|r| (r.x, r.y, r.width, r.height, &r.span, "redaction")));
        for (x, y, w, h, span, what) in shapes {
            if outside(x, y, w, h) {
                diagnostics.push(
                    Diagnostic::error(
                        "callout-outside-image",
                        format!("this {what} reaches outside the {width}×{height} image `{}`", image.src),
                    )
                    .at(file, span.clone())
                    .with_hint(
                        "coordinates are the image's own pixels (an SVG's viewBox units), from its top-left corner",
                    ),
                );
            }
        }
    }
    let substeps: usize = step
        .body
        .iter()
        .filter_map(|b| match b {
            Block::List(list) if list.substeps => Some(list.items.len()),
            _ => None,
        })
        .sum();
    if !step.callouts.is_empty() && substeps > 0 && substeps != step.callouts.len() {
        diagnostics.push(
            Diagnostic::warning(
                "callouts-substeps-mismatch",
                format!("step `{}` has {} callouts and {substeps} sub-steps", step.id, step.callouts.len()),
            )
            .at(file, step.callouts[0].span().clone())
            .with_hint("callout ① marks sub-step ①: give each sub-step its callout, in order"),
        );
    }
}

/// Numbers figures, or tables, in the order they come on a page.
struct Counter<'a> {
    next: u32,
    index: &'a mut FxHashMap<String, u32>,
}

struct Numbers<'a> {
    figures: Counter<'a>,
    tables: Counter<'a>,
}

impl Counter<'_> {
    fn take(&mut self, id: &str) -> u32 {
        let number = self.next;
        self.next += 1;
        self.index.entry(id.to_string()).or_insert(number);
        number
    }

    /// [`Counter::take`] for a picture named after its file (or a table after its
    /// caption): the same file shown again on the page (or a step of its name) makes
    /// `login-1`, `login-2`, as repeated headings do, so that each has an id of its own.
    fn take_unique(&mut self, id: &mut String) -> u32 {
        if self.index.contains_key(id.as_str()) {
            let unused = (1..).map(|n| format!("{id}-{n}")).find(|candidate| !self.index.contains_key(candidate));
            *id = unused.expect("some number is unused");
        }
        self.take(id)
    }
}

/// Numbers the figures and captioned tables and resolves every image in `blocks`,
/// in document order.
fn visit_numbered(blocks: &mut [Block], numbers: &mut Numbers, images: &mut ImageResolver) {
    for block in blocks {
        match block {
            Block::Figure(figure) => {
                images.resolve(&mut figure.image);
                figure.number = numbers.figures.take_unique(&mut figure.id);
            }
            Block::List(list) => {
                for item in &mut list.items {
                    visit_numbered(&mut item.blocks, numbers, images);
                }
            }
            Block::Alert { blocks, .. } | Block::Quote(blocks) => visit_numbered(blocks, numbers, images),
            Block::Definitions(items) => {
                for item in items {
                    visit_numbered(&mut item.blocks, numbers, images);
                }
            }
            Block::Variant(variant) => visit_numbered(&mut variant.blocks, numbers, images),
            Block::Paragraph(inlines) | Block::Plain(inlines) | Block::Heading { content: inlines, .. } => {
                visit_inline_images(inlines, images)
            }
            Block::Table(table) => {
                if let Some(caption) = &mut table.caption {
                    caption.number = numbers.tables.take_unique(&mut caption.id);
                }
                for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                    visit_inline_images(cell, images);
                }
            }
            Block::Code(_) | Block::Rule | Block::Html(_) => {}
        }
    }
}

fn visit_inline_images(inlines: &mut [Inline], images: &mut ImageResolver) {
    for inline in inlines {
        match inline {
            Inline::Image(image) => images.resolve(image),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => visit_inline_images(c, images),
            Inline::Link(link) => visit_inline_images(&mut link.content, images),
            Inline::Ref(r) => visit_inline_images(&mut r.content, images),
            _ => {}
        }
    }
}

/// Finds an image's file among the assets, relative to the page's folder.
struct ImageResolver<'a> {
    dir: &'a str,
    assets: &'a Assets,
    file: usize,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The pictures written into the page as `data:` URLs, by published name.
    embedded: Vec<(String, std::sync::Arc<Vec<u8>>)>,
}

impl ImageResolver<'_> {
    fn resolve(&mut self, image: &mut Image) {
        if let Some(embedded) = embedded::decode(&image.src) {
            (image.size, image.frame) = embedded.size();
            if !self.embedded.iter().any(|(name, _)| *name == embedded.name) {
                self.embedded.push((embedded.name.clone(), std::sync::Arc::new(embedded.bytes)));
            }
            image.published = Some(embedded.name);
            return;
        }
        if let Some(name) = image.src.strip_prefix(wikilinks::SCHEME) {
            let rel = asset_named(self.assets, self.dir, name).unwrap_or_else(|| name.to_string());
            return self.found_or_missing(image, rel);
        }
        if is_external(&image.src) {
            return;
        }
        // `login%20screen.png`, as editors paste a file's path, names `login screen.png`.
        let path = links::percent_decoded(image.src.split(['?', '#']).next().unwrap_or_default());
        // `~/media/login.png`, as Microsoft Learn's pages write it: from `content/`.
        let (dir, path) = match path.strip_prefix("~/") {
            Some(from_root) => ("", from_root),
            None => (self.dir, path.as_str()),
        };
        let Some(rel) = join_inside(dir, path) else {
            // Raw HTML's address outside the site is its writer's to publish.
            if image.from_html {
                return;
            }
            self.diagnostics.push(
                Diagnostic::error("path-outside-site", format!("the image path `{}` leaves the site", image.src))
                    .at(self.file, image.span.clone())
                    .with_hint("keep images inside content/ and refer to them relative to the Markdown file"),
            );
            return;
        };
        self.found_or_missing(image, rel);
    }

    /// `image` is the file `rel` names inside `content/`, or a `missing-image` error.
    fn found_or_missing(&mut self, image: &mut Image, rel: String) {
        match self.assets.get(&rel) {
            Some(asset) => {
                image.size = asset.size;
                image.frame = asset.frame;
                image.asset = Some(rel);
            }
            None if image.from_html => self.diagnostics.push(
                Diagnostic::warning(
                    "broken-link",
                    format!("raw HTML names `{}`, which is no file of the site (looked for content/{rel})", image.src),
                )
                .at(self.file, image.span.clone())
                .with_hint("paths are relative to the Markdown file; put the file in content/"),
            ),
            None => {
                let near = nearest(&rel, self.assets.keys().map(String::as_str));
                let mut diagnostic = Diagnostic::error(
                    "missing-image",
                    format!("image `{}` not found (looked for content/{rel})", wikilinks::as_written(&image.src)),
                )
                .at(self.file, image.span.clone());
                diagnostic.hint = Some(match near {
                    Some(near) => format!("did you mean content/{near}?"),
                    None => "paths are relative to the Markdown file".to_string(),
                });
                self.diagnostics.push(diagnostic);
            }
        }
    }
}

/// The file of the site a wiki embed or link names (`login.png`,
/// `images/login.png`): beside the page, else anywhere in `content/` by its name,
/// the shortest path of several, as Obsidian finds attachments.
fn asset_named(assets: &Assets, dir: &str, name: &str) -> Option<String> {
    if let Some(rel) = join_inside(dir, name).filter(|rel| assets.contains_key(rel)) {
        return Some(rel);
    }
    let suffix = format!("/{name}");
    assets.keys().filter(|key| *key == name || key.ends_with(&suffix)).min_by_key(|key| key.len()).cloned()
}

fn is_external(src: &str) -> bool {
    src.starts_with("//")
        || src.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme.len() > 1
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `dir` joined with a relative path, normalised; `None` if it leaves the site or is absolute.
pub fn join_inside(dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') {
        return None;
    }
    // Written into the result as the parts come, `..` cutting the last one off: a
    // vector of the parts joined at the end cost a thousand instructions an image.
    let mut joined = String::with_capacity(dir.len() + path.len() + 1);
    let push = |joined: &mut String, part: &str| {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str(part);
    };
    for part in dir.split('/').filter(|part| !part.is_empty()) {
        push(&mut joined, part);
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if joined.is_empty() => return None,
            ".." => joined.truncate(joined.rfind('/').unwrap_or(0)),
            part => push(&mut joined, part),
        }
    }
    Some(joined)
}

struct Resolver<'a> {
    page_id: PageId,
    lang: String,
    by_key: &'a FxHashMap<(String, String), PageId>,
    indexes: &'a [PageIndex],
    languages: &'a [String],
    assets: &'a Assets,
}

impl Resolver<'_> {
    fn resolve_page(&self, page: &mut Page, diagnostics: &mut Vec<Diagnostic>) {
        let file = page.file;
        let dir = page_dir(page).to_string();
        let mut html_assets = Vec::new();
        for_each_html_block(page, &mut |html| self.resolve_html(html, file, &dir, &mut html_assets, diagnostics));
        let mut visit =
            |inlines: &mut Vec<Inline>| self.resolve_inlines(inlines, file, &dir, &mut html_assets, diagnostics);
        for_each_inlines(&mut page.intro, &mut visit);
        for section in &mut page.sections {
            if let Some(heading) = &mut section.heading {
                visit(&mut heading.content);
            }
            for_each_inlines(&mut section.intro, &mut visit);
            for step in &mut section.steps {
                visit(&mut step.title_inlines);
                step.caption_inlines.iter_mut().chain(&mut step.result_inlines).for_each(&mut visit);
                for_each_inlines(&mut step.body, &mut visit);
            }
        }
        for footnote in &mut page.footnotes {
            for_each_inlines(&mut footnote.blocks, &mut visit);
        }
        html_assets.sort();
        html_assets.dedup();
        page.html_assets = html_assets;
    }

    fn link_context<'c>(&'c self, dir: &'c str, anchors: &'c PageIndexes<'c>) -> LinkContext<'c> {
        LinkContext {
            page_id: self.page_id,
            lang: &self.lang,
            dir,
            languages: self.languages,
            by_key: self.by_key,
            anchors,
        }
    }

    /// The file of the site a relative address names, when it is not a page: its
    /// path inside `content/`, and what followed the path (`?…`, `#…`).
    fn asset_for<'d>(&self, dest: &'d str, dir: &str) -> Option<(String, &'d str)> {
        content_path(dest, dir).filter(|(rel, _)| self.assets.contains_key(rel))
    }

    /// Where inside `content/` a relative address that names no file of the site
    /// looked; `None` for addresses outside the site, fragments and folders.
    fn missing_file(&self, dest: &str, dir: &str) -> Option<String> {
        let (rel, _) = content_path(dest, dir).filter(|(rel, _)| !self.assets.contains_key(rel))?;
        (!dest.starts_with(['?', '#']) && !dest.split(['?', '#']).next().unwrap_or_default().ends_with('/'))
            .then_some(rel)
    }

    /// Raw HTML's `src` and `href` addresses, pointed at what they name: a page of
    /// the manual becomes `tejun-page:ID#fragment` and a file of the site
    /// `tejun-asset:PATH`, which the HTML renderer makes relative to each page (files
    /// are published under `assets/`, so `<img src="images/a.png">` as written would
    /// find nothing). A relative address that names nothing is a warning.
    fn resolve_html(
        &self,
        html: &mut String,
        file: usize,
        dir: &str,
        html_assets: &mut Vec<String>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        static URL_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
            // After a space: `data-image-src` (Confluence's exports), `data-src` (pictures
            // loaded late) name no file the page shows.
            Regex::new(r#"(?i)\s(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#).expect("a valid pattern")
        });
        let anchors = PageIndexes(self.indexes);
        let context = self.link_context(dir, &anchors);
        let mut resolved = String::new();
        let mut copied = 0;
        for captures in URL_ATTRIBUTE.captures_iter(html) {
            let Some(value) = captures.get(2).or(captures.get(3)).or(captures.get(4)) else { continue };
            let url = value.as_str();
            if url.is_empty() || url.starts_with('#') || is_external(url) {
                continue;
            }
            let replacement = match context.target(url) {
                Some((target, warning)) => {
                    diagnostics.extend(warning.map(|w| w.in_file(file)));
                    target.map(|target| match target.fragment {
                        Some(fragment) => format!("tejun-page:{}#{fragment}", target.page),
                        None => format!("tejun-page:{}", target.page),
                    })
                }
                None => match self.asset_for(url, dir) {
                    Some((rel, rest)) => {
                        let marker = format!("tejun-asset:{rel}{rest}");
                        html_assets.push(rel);
                        Some(marker)
                    }
                    None => {
                        if let Some(rel) = self.missing_file(url, dir) {
                            diagnostics.push(
                                Diagnostic::warning(
                                    "broken-link",
                                    format!("raw HTML names `{url}`, which is no file of the site (looked for content/{rel})"),
                                )
                                .in_file(file)
                                .with_hint("paths are relative to the Markdown file; put the file in content/"),
                            );
                        }
                        None
                    }
                },
            };
            if let Some(replacement) = replacement {
                resolved.push_str(&html[copied..value.start()]);
                resolved.push_str(&replacement);
                copied = value.end();
            }
        }
        if copied > 0 {
            resolved.push_str(&html[copied..]);
            *html = resolved;
        }
    }

    fn resolve_inlines(
        &self,
        inlines: &mut [Inline],
        file: usize,
        dir: &str,
        html_assets: &mut Vec<String>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Html(html) => self.resolve_html(html, file, dir, html_assets, diagnostics),
                Inline::Ref(reference) => match self.target(reference, dir) {
                    Ok(target) => reference.target = Some(target),
                    Err(diagnostic) => diagnostics.push(diagnostic.at(file, reference.span.clone())),
                },
                Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => {
                    self.resolve_inlines(c, file, dir, html_assets, diagnostics)
                }
                Inline::Link(link) => {
                    self.resolve_inlines(&mut link.content, file, dir, html_assets, diagnostics);
                    if let Some(rel) = self.wiki_file(&link.dest, dir) {
                        link.asset = Some(rel);
                        continue;
                    }
                    let anchors = PageIndexes(self.indexes);
                    match self.link_context(dir, &anchors).target(&link.dest) {
                        Some((target, warning)) => {
                            // `[](install.md)` would be a link no one sees: it shows the
                            // page's title, as `[](page:install)` does, and one to a
                            // heading the heading's (`` {ref}`label` ``), else its id.
                            if let Some(target) = target.as_ref()
                                && link
                                    .content
                                    .iter()
                                    .all(|inline| matches!(inline, Inline::Text(t) if t.trim().is_empty()))
                            {
                                let index = &self.indexes[target.page];
                                let text = match &target.fragment {
                                    None => index.title.clone(),
                                    Some(id) => index.headings.get(id).cloned().unwrap_or_else(|| id.clone()),
                                };
                                link.content = vec![Inline::Text(text)];
                            }
                            link.target = target;
                            diagnostics.extend(warning.map(|w| w.at(file, link.span.clone())));
                        }
                        None => {
                            link.asset = self.asset_for(&link.dest, dir).map(|(rel, _)| rel);
                            if link.asset.is_none()
                                && let Some(rel) = self.missing_file(&link.dest, dir)
                            {
                                diagnostics.push(
                                    Diagnostic::warning(
                                        "broken-link",
                                        format!("`{}` is no file of the site (looked for content/{rel})", link.dest),
                                    )
                                    .at(file, link.span.clone())
                                    .with_hint("paths are relative to the Markdown file; put the file in content/"),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The file a wiki link names when it names one of the site's files that is not
    /// a page (`[[申込書.pdf]]`).
    fn wiki_file(&self, dest: &str, dir: &str) -> Option<String> {
        let name = dest.strip_prefix(wikilinks::SCHEME)?;
        let is_file = name.rsplit('/').next().is_some_and(|n| n.contains('.') && !load::is_markdown(n));
        is_file.then(|| asset_named(self.assets, dir, name)).flatten()
    }

    fn find_page(&self, path: &str, dir: &str) -> Option<PageId> {
        let lookup = |key: String| self.by_key.get(&(self.lang.clone(), key)).copied();
        lookup(path.to_string()).or_else(|| join_inside(dir, path).and_then(lookup))
    }

    fn target(&self, reference: &Reference, dir: &str) -> Result<RefTarget, Diagnostic> {
        let page = match &reference.page {
            None => self.page_id,
            Some(path) => self.find_page(path, dir).ok_or_else(|| {
                let keys = self.by_key.keys().filter(|(l, _)| l == &self.lang).map(|(_, k)| k.as_str());
                let mut d = Diagnostic::error("unknown-page", format!("no {} page `{path}`", self.lang));
                d.hint = Some(match nearest(path, keys) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "page paths are relative to content/, without the language and .md".to_string(),
                });
                d
            })?,
        };
        let index = &self.indexes[page];
        let other_page = page != self.page_id;
        let where_ = || {
            if other_page {
                format!(" on page `{}`", reference.page.as_deref().unwrap_or_default())
            } else {
                " on this page".to_string()
            }
        };
        let missing = |kind: &str, id: &str, known: Vec<&str>| {
            let mut d = Diagnostic::error("unknown-reference", format!("no {kind} `{id}`{}", where_()));
            d.hint = Some(match nearest(id, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None if kind == "table" => {
                    format!(
                        "end the table's caption with {{#{id}}} (`Table: 手数料一覧 {{#{id}}}`), or fix the reference"
                    )
                }
                None => format!("give the {kind} `id = \"{id}\"`, or fix the reference"),
            });
            d
        };
        match reference.kind {
            RefKind::Page => Ok(RefTarget { page, anchor: None, number: 0, range_end: None, other_page, title: None }),
            RefKind::Figure | RefKind::Table => {
                let (numbers, kind, prefix) = match reference.kind {
                    RefKind::Figure => (&index.figures, "figure", "fig-"),
                    _ => (&index.tables, "table", "table-"),
                };
                let number = *numbers
                    .get(&reference.id)
                    .ok_or_else(|| missing(kind, &reference.id, numbers.keys().map(String::as_str).collect()))?;
                Ok(RefTarget {
                    page,
                    anchor: Some(format!("{prefix}{}", reference.id)),
                    number,
                    range_end: None,
                    other_page,
                    title: None,
                })
            }
            RefKind::Step => {
                let known = || index.steps.keys().map(String::as_str).collect::<Vec<_>>();
                let (number, title, _) =
                    index.steps.get(&reference.id).ok_or_else(|| missing("step", &reference.id, known()))?;
                let range_end = match &reference.range_end {
                    None => None,
                    Some(end) => {
                        let (last, _, _) = index.steps.get(end).ok_or_else(|| missing("step", end, known()))?;
                        if last < number {
                            return Err(Diagnostic::error(
                                "backwards-range",
                                format!(
                                    "the range runs backwards: `{}` is step {number}, `{end}` is step {last}",
                                    reference.id
                                ),
                            )
                            .with_hint(format!("write step:{end}..{}", reference.id)));
                        }
                        Some(*last)
                    }
                };
                Ok(RefTarget {
                    page,
                    anchor: Some(format!("step-{}", reference.id)),
                    number: *number,
                    range_end,
                    other_page,
                    title: Some(title.clone()),
                })
            }
        }
    }
}

/// Calls `visit` on every run of inline content in `blocks`.
/// Where inside `content/` a relative address points (`%20` read as a space), and
/// what followed its path (`?…`, `#…`); `None` for addresses that leave the site,
/// have a scheme or are only a fragment.
fn content_path<'d>(dest: &'d str, dir: &str) -> Option<(String, &'d str)> {
    if dest.is_empty() || is_external(dest) || dest.starts_with('#') {
        return None;
    }
    let end = dest.find(['?', '#']).unwrap_or(dest.len());
    Some((join_inside(dir, &links::percent_decoded(&dest[..end]))?, &dest[end..]))
}

/// Every raw HTML block of the page, in lists, quotes and footnotes too.
fn for_each_html_block(page: &mut Page, visit: &mut impl FnMut(&mut String)) {
    fn blocks(list: &mut [Block], visit: &mut impl FnMut(&mut String)) {
        for block in list {
            match block {
                Block::Html(html) => visit(html),
                Block::List(list) => list.items.iter_mut().for_each(|item| blocks(&mut item.blocks, visit)),
                Block::Alert { blocks: inner, .. } | Block::Quote(inner) => blocks(inner, visit),
                Block::Definitions(items) => items.iter_mut().for_each(|item| blocks(&mut item.blocks, visit)),
                Block::Variant(variant) => blocks(&mut variant.blocks, visit),
                _ => {}
            }
        }
    }
    blocks(&mut page.intro, visit);
    for section in &mut page.sections {
        blocks(&mut section.intro, visit);
        for step in &mut section.steps {
            blocks(&mut step.body, visit);
        }
    }
    for footnote in &mut page.footnotes {
        blocks(&mut footnote.blocks, visit);
    }
}

fn for_each_inlines(blocks: &mut [Block], visit: &mut impl FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) | Block::Plain(inlines) | Block::Heading { content: inlines, .. } => {
                visit(inlines)
            }
            Block::List(list) => {
                for item in &mut list.items {
                    for_each_inlines(&mut item.blocks, visit);
                }
            }
            Block::Alert { blocks, .. } | Block::Quote(blocks) => for_each_inlines(blocks, visit),
            Block::Definitions(items) => {
                for item in items {
                    for_each_inlines(&mut item.blocks, visit);
                }
            }
            Block::Variant(variant) => for_each_inlines(&mut variant.blocks, visit),
            Block::Table(table) => {
                for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                    visit(cell);
                }
            }
            Block::Figure(_) | Block::Code(_) | Block::Rule | Block::Html(_) => {}
        }
    }
}

/// Marks the translated pages and steps whose recorded `source` hash is not their
/// source's hash now (see `translations`).
fn mark_stale_translations(
    pages: &mut [Page],
    by_key: &FxHashMap<(String, String), PageId>,
    source_language: &str,
    sources: &Sources,
) {
    // (page, its source page, whether its own text is stale, its stale steps'
    // places in the page: alternatives for different variants share an id).
    let marks: Vec<(PageId, PageId, bool, Vec<usize>)> = (0..pages.len())
        .into_par_iter()
        .filter_map(|id| {
            let page = &pages[id];
            if page.lang == source_language {
                return None;
            }
            let &source_id = by_key.get(&(source_language.to_string(), page.key.clone()))?;
            let source_page = &pages[source_id];
            let text = &sources.get(source_page.file).text;
            let page_stale = page
                .front
                .source
                .as_ref()
                .is_some_and(|(recorded, _)| *recorded != translations::page_hash(source_page, text));
            let stale_steps = page
                .steps()
                .enumerate()
                .filter(|(_, step)| {
                    step.source
                        .as_ref()
                        .zip(source_page.counterpart(step))
                        .is_some_and(|((recorded, _), source)| *recorded != translations::step_hash(source, text))
                })
                .map(|(at, _)| at)
                .collect();
            Some((id, source_id, page_stale, stale_steps))
        })
        .collect();
    for (id, source, page_stale, stale_steps) in marks {
        if page_stale {
            pages[id].stale_since = Some(source);
        }
        for (_, step) in pages[id].steps_mut().enumerate().filter(|(at, _)| stale_steps.contains(at)) {
            step.stale_since = Some(source);
        }
    }
}

/// The table of contents and reading order of one language.
fn build_language(code: &str, title: &str, pages: &[Page], by_key: &FxHashMap<(String, String), PageId>) -> Language {
    let ids: Vec<PageId> = (0..pages.len()).filter(|&i| pages[i].lang == code).collect();
    let mut folders: BTreeSet<String> = BTreeSet::new();
    let mut procedures: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    for &id in &ids {
        let page = &pages[id];
        let folder = match page.kind {
            PageKind::Home => continue,
            PageKind::Chapter => page.key.clone(),
            PageKind::Procedure => {
                let folder = page.key.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                procedures.entry(folder.clone()).or_default().push(id);
                folder
            }
        };
        let mut path = folder.as_str();
        while !path.is_empty() {
            folders.insert(path.to_string());
            path = path.rsplit_once('/').map_or("", |(d, _)| d);
        }
    }
    let mut subfolders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for folder in &folders {
        let parent = folder.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        subfolders.entry(parent).or_default().push(folder.clone());
    }
    let tree = TreeBuilder { code, pages, by_key, procedures: &procedures, subfolders: &subfolders };
    let toc = tree.children("");
    let home = by_key.get(&(code.to_string(), String::new())).copied();
    let mut reading_order: Vec<PageId> = home.into_iter().collect();
    fn walk(nodes: &[TocNode], order: &mut Vec<PageId>) {
        for node in nodes {
            order.extend(node.page);
            walk(&node.children, order);
        }
    }
    walk(&toc, &mut reading_order);
    Language { code: code.to_string(), title: title.to_string(), home, toc, reading_order }
}

struct TreeBuilder<'a> {
    code: &'a str,
    pages: &'a [Page],
    by_key: &'a FxHashMap<(String, String), PageId>,
    procedures: &'a BTreeMap<String, Vec<PageId>>,
    subfolders: &'a BTreeMap<String, Vec<String>>,
}

impl TreeBuilder<'_> {
    fn children(&self, folder: &str) -> Vec<TocNode> {
        let mut nodes: Vec<(Option<i64>, String, TocNode)> = Vec::new();
        let subfolders = self.subfolders.get(folder).map_or(&[][..], Vec::as_slice);
        for &id in self.procedures.get(folder).into_iter().flatten() {
            let page = &self.pages[id];
            // A page beside a folder of its name (`setup.md` and `setup/`, as Notion
            // and mdBook lay them out) is that folder's chapter page, listed once.
            if subfolders.contains(&page.key) {
                continue;
            }
            nodes.push((
                page.front.weight,
                page.key.clone(),
                TocNode {
                    key: page.key.clone(),
                    page: Some(id),
                    title: page.front.title.clone(),
                    children: Vec::new(),
                },
            ));
        }
        for sub in subfolders {
            let chapter = self.by_key.get(&(self.code.to_string(), sub.clone())).copied();
            let (weight, title) = match chapter {
                Some(id) => (self.pages[id].front.weight, self.pages[id].front.title.clone()),
                None => (None, crate::load::folder_title(sub.rsplit('/').next().unwrap_or(sub))),
            };
            nodes.push((
                weight,
                sub.clone(),
                TocNode { key: sub.clone(), page: chapter, title, children: self.children(sub) },
            ));
        }
        nodes.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
        nodes.into_iter().map(|(_, _, node)| node).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::manual;

    /// Every kind of id a fragment may name is found — a step's, a figure's (a
    /// screenshot's and an image alone in its paragraph), a section's, a heading's, a
    /// raw HTML id — on this page and on another, and a missing one gets the nearest.
    #[test]
    fn fragments_name_steps_figures_sections_headings_and_html_ids() {
        let other = format!(
            "+++\ntitle = \"Other\"\n+++\n\n## Set up\n\n{}Body.\n\n![A chart](chart.png)\n",
            step("b", "image = \"shot.png\"\n")
        );
        let links = "[s](#step-a) [f](#fig-a) [h](#details) [x](#raw-id) [sec](#before) \
                     [o1](other.md#step-b) [o2](other.md#fig-b) [o3](other.md#fig-chart) [o4](other.md#set-up) \
                     [bad](other.md#step-c) [bad2](#fig-nope)";
        let page = format!(
            "+++\ntitle = \"Page\"\n+++\n\n## Before\n\n{}{links}\n\n### Details\n\n<a id=\"raw-id\"></a>\n",
            step("a", "image = \"shot.png\"\n")
        );
        let (_, diagnostics, _) = manual(&[("en", "page", &page), ("en", "other", &other)], &["shot.png", "chart.png"]);
        let broken: Vec<(&str, Option<&str>)> = diagnostics
            .iter()
            .filter(|d| d.code == "broken-fragment")
            .map(|d| (d.message.as_str(), d.hint.as_deref()))
            .collect();
        assert_eq!(
            broken,
            [
                ("`#step-c` names no heading, step or figure on the page it links to", Some("did you mean `#step-b`?")),
                ("`#fig-nope` names no heading, step or figure on this page", Some("did you mean `#fig-a`?")),
            ],
            "{diagnostics:?}"
        );
    }

    fn step(id: &str, extra: &str) -> String {
        format!("+++\nid = \"{id}\"\ntitle = \"{id} title\"\n{extra}+++\n\n")
    }

    fn refs(page: &Page) -> Vec<RefTarget> {
        let mut out = Vec::new();
        let mut blocks: Vec<Block> = page.intro.clone();
        for s in page.steps() {
            blocks.extend(s.body.clone());
        }
        for_each_inlines(&mut blocks, &mut |inlines: &mut Vec<Inline>| {
            for i in inlines.iter() {
                if let Inline::Ref(r) = i {
                    out.push(r.target.clone().unwrap());
                }
            }
        });
        out
    }

    #[test]
    fn steps_are_numbered_continuously_across_sections_and_figures_per_page() {
        let text = format!(
            "+++\ntitle = \"P\"\n+++\n\n![intro](images/a.svg)\n\n## One\n\n{}{}## Two\n\n{}![in body](images/b.svg)\n",
            step("a", "image = \"images/s.svg\"\n"),
            step("b", ""),
            step("c", "image = \"images/s.svg\"\n"),
        );
        let (manual, d, _) = manual(&[("ja", "p", &text)], &["images/a.svg", "images/b.svg", "images/s.svg"]);
        assert!(d.is_empty(), "{d:?}");
        let page = &manual.pages[0];
        let numbers: Vec<_> = page.steps().map(|s| (s.id.as_str(), s.number, s.figure_number)).collect();
        assert_eq!(numbers, [("a", 1, Some(2)), ("b", 2, None), ("c", 3, Some(3))]);
        let Block::Figure(intro) = &page.intro[0] else { panic!() };
        assert_eq!(intro.number, 1);
        let Block::Figure(body) = &page.find_step("c").unwrap().body[0] else { panic!() };
        assert_eq!(body.number, 4, "a step's screenshot comes before the figures in its body");
        assert_eq!(body.image.size, Some((640, 400)));
    }

    #[test]
    fn references_resolve_to_numbers_ranges_and_other_pages() {
        let a = format!(
            "+++\ntitle = \"A\"\n+++\n\n{}{}{}[](step:x..z) [](fig:x) [](step:b/other) [](page:b)\n",
            step("x", "image = \"s.svg\"\n"),
            step("y", ""),
            step("z", ""),
        );
        let b = format!("+++\ntitle = \"B\"\n+++\n\n{}{}", step("first", ""), step("other", ""));
        let (manual, d, _) = manual(&[("ja", "a", &a), ("ja", "b", &b)], &["s.svg"]);
        assert!(d.is_empty(), "{d:?}");
        let page = &manual.pages[manual.by_key[&("ja".into(), "a".into())]];
        let targets = refs(page);
        assert_eq!((targets[0].number, targets[0].range_end), (1, Some(3)));
        assert_eq!(targets[1].anchor.as_deref(), Some("fig-x"));
        assert_eq!((targets[2].number, targets[2].other_page), (2, true));
        assert_eq!(targets[2].anchor.as_deref(), Some("step-other"));
        assert_eq!(manual.pages[targets[3].page].front.title, "B");
    }

    #[test]
    fn reference_to_nothing_suggests_the_nearest_id() {
        let text = format!("+++\ntitle = \"A\"\n+++\n\n{}Redo [](step:downlod).\n", step("download", ""));
        let (_, d, sources) = manual(&[("ja", "a", &text)], &[]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "unknown-reference");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `download`?"));
        let span = d[0].span.clone().unwrap();
        assert_eq!(&text[span.clone()], "[](step:downlod)");
        assert_eq!(sources.line_col(0, span.start), (10, 6));
    }

    #[test]
    fn backwards_range_duplicate_ids_missing_images_and_escaping_paths() {
        let text = format!(
            "+++\ntitle = \"A\"\n+++\n\n{}{}{}[](step:b..a)\n\n![x](../../etc/passwd)\n",
            step("a", "image = \"nope.svg\"\n"),
            step("b", ""),
            step("a", ""),
        );
        let (_, d, _) = manual(&[("ja", "a", &text)], &["nope2.svg"]);
        let codes: BTreeSet<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            BTreeSet::from(["backwards-range", "duplicate-step-id", "missing-image", "path-outside-site"])
        );
    }

    #[test]
    fn toc_orders_by_weight_then_path_and_reading_order_follows_it() {
        let page = |title: &str, weight: Option<i64>| match weight {
            Some(w) => format!("+++\ntitle = \"{title}\"\nweight = {w}\n+++\n"),
            None => format!("+++\ntitle = \"{title}\"\n+++\n"),
        };
        let files = [
            ("ja", "", page("Home", None)),
            ("ja", "z-first", page("Z", Some(1))),
            ("ja", "a-second", page("A", Some(2))),
            ("ja", "b-unweighted", page("B", None)),
            ("en", "z-first", page("Z en", Some(1))),
        ];
        let files: Vec<(&str, &str, &str)> = files.iter().map(|(l, k, t)| (*l, *k, t.as_str())).collect();
        let (manual, _, _) = manual(&files, &[]);
        let ja = manual.language("ja").unwrap();
        let titles: Vec<_> = ja.toc.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["Z", "A", "B"]);
        let order: Vec<_> = ja.reading_order.iter().map(|&p| manual.pages[p].front.title.as_str()).collect();
        assert_eq!(order, ["Home", "Z", "A", "B"]);
        let z = manual.by_key[&("ja".into(), "z-first".into())];
        let z_en = manual.translation(z, "en").unwrap();
        assert_eq!(manual.pages[z_en].front.title, "Z en");
        assert_eq!(manual.translation(manual.by_key[&("ja".into(), "a-second".into())], "en"), None);
    }

    #[test]
    fn join_inside_keeps_paths_in_the_site() {
        assert_eq!(join_inside("a/b", "../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(join_inside("a", "./img/x.svg").as_deref(), Some("a/img/x.svg"));
        assert_eq!(join_inside("a", "../../x"), None);
        assert_eq!(join_inside("", "/etc/passwd"), None);
        // As the parts of both joined: empty and `.` parts dropped, `..` taking the one
        // before, a path that leaves the folders it names refused.
        let by_parts = |dir: &str, path: &str| -> Option<String> {
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for part in path.split('/') {
                match part {
                    "" | "." => {}
                    ".." => {
                        parts.pop()?;
                    }
                    part => parts.push(part),
                }
            }
            Some(parts.join("/"))
        };
        for dir in ["", "a", "a/b", "a//b/", "ja/ch-01"] {
            for path in
                ["x.png", "../x.png", "../../x.png", "./x/../y/./z.svg", "x//y", "..", "../..", "a/../../b", "x/"]
            {
                assert_eq!(join_inside(dir, path), by_parts(dir, path), "{dir} {path}");
            }
        }
        assert_eq!(join_inside("a", "b\\c"), None);
    }
}
