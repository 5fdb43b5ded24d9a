//! The HTML manual: one file per page and language through the theme's tera
//! templates, the language chooser at the root, and the theme's static files.
//!
//! The table of contents lists every chapter and opens the chapters that hold the
//! current page. It is rendered once per language, folder depth (links differ only by
//! their `../` prefix) and open chapter, not once per page, and each page marks its
//! own entry with `aria-current`. Listing every page of a 2,000-page manual on every
//! page would make the output twenty times larger (the whole tree is on the home
//! page) and a sidebar nobody can scan.

mod layout;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Inline, Language, Manual, Page, PageId, PageKind, Step, TocNode};
use crate::output::Sink;
use crate::render::highlight::{self, Highlighter};
use crate::render::i18n::{self, Ui};
use crate::render::markdown::{self, HtmlWriter, escape};
use crate::render::sanitize;
use crate::render::sanitize::Sanitizer;
use crate::render::step_partial::StepParts;
use crate::render::{pdf, relative_href, root_prefix, search, step_partial};
use crate::theme::Theme;

/// Writes every page of every variant's manual in `editions`, each manual's
/// language chooser (the default one's at the root) and the theme's static files.
pub fn render(editions: &[Manual], config: &Config, theme: &Theme, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let tools = Tools::new(config, theme)?;
    for manual in editions {
        let tocs = Tocs::default();
        let renderer = Renderer { manual, editions, config, tools: &tools, tocs: &tocs };
        renderer.render_all_tocs()?;
        // A page's translations side by side: a thread that highlights a page's code
        // blocks then finds their lines parsed for the translation's, which repeat
        // them. In the manual's order, languages went to different threads.
        let mut order: Vec<PageId> = (0..manual.pages.len()).collect();
        order.sort_by_key(|&id| (&manual.pages[id].key, manual.pages[id].kind));
        order.into_par_iter().try_for_each(|id| {
            let page = &manual.pages[id];
            let html = renderer.page(id)?;
            let path = manual.page_path(page);
            sink.write(&path, &html).map_err(|e| write_error(&path, e))
        })?;
        let chooser = renderer.language_chooser()?;
        let path = format!("{}index.html", manual.edition.prefix);
        sink.write(&path, &chooser).map_err(|e| write_error(&path, e))?;
    }
    for (path, bytes) in static_files(theme) {
        sink.write(&path, &bytes).map_err(|e| write_error(&path, e))?;
    }
    Ok(())
}

/// The theme's static files and the highlighting stylesheet, by output path.
pub fn static_files(theme: &Theme) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> =
        theme.static_files.iter().map(|(name, bytes)| (format!("static/{name}"), bytes.clone())).collect();
    files.push(("static/syntax.css".to_string(), highlight::stylesheet().as_bytes().to_vec()));
    files
}

/// One page at a time, for `tejun serve`, which renders a page when it is asked
/// for, from the build it keeps: the tools are made once per build and each
/// manual's tables of contents as pages need them.
pub struct OnRequest {
    tools: Tools,
    tocs: Vec<Tocs>,
}

/// What an output file of the HTML manual is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlFile {
    /// Page `PageId` of the manual of `editions[usize]`.
    Page(usize, PageId),
    /// The language chooser of that manual.
    Chooser(usize),
}

impl OnRequest {
    pub fn new(editions: &[Manual], config: &Config, theme: &Theme) -> Result<OnRequest, Diagnostic> {
        Ok(OnRequest { tools: Tools::new(config, theme)?, tocs: editions.iter().map(|_| Tocs::default()).collect() })
    }

    /// Every HTML file of the manuals, by output path.
    pub fn files(editions: &[Manual]) -> HashMap<String, HtmlFile> {
        let mut files = HashMap::new();
        for (edition, manual) in editions.iter().enumerate() {
            for (id, page) in manual.pages.iter().enumerate() {
                files.insert(manual.page_path(page), HtmlFile::Page(edition, id));
            }
            files.insert(format!("{}index.html", manual.edition.prefix), HtmlFile::Chooser(edition));
        }
        files
    }

    pub fn render(&self, file: HtmlFile, editions: &[Manual], config: &Config) -> Result<Vec<u8>, Diagnostic> {
        let edition = match file {
            HtmlFile::Page(edition, _) | HtmlFile::Chooser(edition) => edition,
        };
        let renderer =
            Renderer { manual: &editions[edition], editions, config, tools: &self.tools, tocs: &self.tocs[edition] };
        match file {
            HtmlFile::Page(_, id) => renderer.page(id),
            HtmlFile::Chooser(_) => renderer.language_chooser(),
        }
    }
}

/// A page's HTML, as bytes: they go to a file as they are, and a buffer the size of a
/// page spares growing one from tera's 2 KB and checking the UTF-8 tera wrote.
fn render_template(tera: &Tera, template: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
    let mut html = Vec::with_capacity(64 * 1024);
    tera.render_to(template, context, &mut html).map_err(|e| template_error(template, e))?;
    Ok(html)
}

fn write_error(path: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {path}: {err}"))
}

fn template_error(name: &str, err: tera::Error) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Diagnostic::error("template", format!("template {name}: {message}"))
        .with_hint("fix the template in the site's templates/ or themes/ folder, or delete it to use the built-in one")
}

pub fn make_tera(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = templates_only(theme)?;
    if theme.templates.get(step_partial::NAME).is_some_and(|source| source == step_partial::SOURCE) {
        tera.register_native(step_partial::NAME, step_partial::StepPartial);
    }
    Ok(tera)
}

/// With the built-in templates every page is written by [`layout`], and only the
/// language chooser is left to tera: compiling all the templates cost a build twelve
/// million instructions.
fn chooser_only(theme: &Theme) -> Result<Arc<Tera>, Diagnostic> {
    const CHOOSER: &str = "language-chooser.html";
    let source = theme.templates.get(CHOOSER).expect("the built-in theme has a language chooser");
    let mut tera = Tera::default();
    tera.set_escape_fn(escape);
    tera.add_raw_template(CHOOSER, source).map_err(|e| template_error(CHOOSER, e))?;
    Ok(Arc::new(tera))
}

/// The theme's templates, every one rendered from its source.
fn templates_only(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every link unreadable.
    tera.set_escape_fn(escape);
    tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| template_error("loading", e))?;
    Ok(tera)
}

/// A page's context goes to tera as a `serde_json` value. Serializing the views
/// copied every string of the page (each step's HTML) into it and then dropped the
/// views; [`IntoValue`] moves them in instead. `view!` declares a view struct and
/// its conversion, field by field, so that neither can lose a field.
trait IntoValue {
    fn into_value(self) -> serde_json::Value;
}

macro_rules! view {
    (
        $(#[$attr:meta])*
        struct $name:ident $(<$life:lifetime>)? {
            $($(#[$field_attr:meta])* $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$attr])*
        struct $name $(<$life>)? {
            $($(#[$field_attr])* $field: $type,)*
        }

        impl $(<$life>)? IntoValue for $name $(<$life>)? {
            fn into_value(self) -> serde_json::Value {
                // Collected at once: a map built from all its entries is sorted and
                // laid out in one go, where inserting searched it for each field.
                let fields = [$((stringify!($field).to_string(), self.$field.into_value()),)*];
                serde_json::Value::Object(fields.into_iter().collect())
            }
        }
    };
}

impl IntoValue for String {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::String(self)
    }
}

impl IntoValue for &str {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::String(self.to_string())
    }
}

impl IntoValue for bool {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::Bool(self)
    }
}

impl IntoValue for u32 {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::from(self)
    }
}

impl IntoValue for usize {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::from(self)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> serde_json::Value {
        self.map_or(serde_json::Value::Null, IntoValue::into_value)
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> serde_json::Value {
        serde_json::Value::Array(self.into_iter().map(IntoValue::into_value).collect())
    }
}

/// The interface's words: the same for every page of a language, and few.
impl IntoValue for &'static Ui {
    fn into_value(self) -> serde_json::Value {
        serde_json::to_value(self).expect("the interface's words are strings")
    }
}

/// What rendering pages takes besides the manual: made once per build.
struct Tools {
    tera: Arc<Tera>,
    /// Whether procedure pages are made by [`layout`] rather than tera.
    layout: bool,
    /// Whether chapter and home pages are made by [`layout`] rather than tera.
    listing: bool,
    /// Whether tables of contents are made by [`layout::toc`] rather than tera.
    toc: bool,
    highlighter: Highlighter,
    sanitizer: Option<Sanitizer>,
}

impl Tools {
    fn new(config: &Config, theme: &Theme) -> Result<Tools, Diagnostic> {
        Ok(Tools {
            tera: if theme.templates_are_builtin() { chooser_only(theme)? } else { COMPILED.get(theme)? },
            layout: layout::applies(theme),
            listing: layout::listing_applies(theme),
            toc: layout::toc_applies(theme),
            highlighter: Highlighter::default(),
            sanitizer: (!config.markdown.unsafe_html).then(Sanitizer::default),
        })
    }
}

/// Templates compiled once for as long as they stay the same.
struct TemplateCache(Mutex<Option<(Templates, Arc<Tera>)>>);

/// A theme's templates by name.
type Templates = BTreeMap<String, String>;

impl TemplateCache {
    const fn new() -> TemplateCache {
        TemplateCache(Mutex::new(None))
    }

    /// [`make_tera`] for `theme`, or the templates compiled last when the theme's
    /// are the same.
    fn get(&self, theme: &Theme) -> Result<Arc<Tera>, Diagnostic> {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((templates, tera)) = last.as_ref()
            && *templates == theme.templates
        {
            return Ok(Arc::clone(tera));
        }
        let tera = Arc::new(make_tera(theme)?);
        *last = Some((theme.templates.clone(), Arc::clone(&tera)));
        Ok(tera)
    }
}

/// The templates this process compiled last: `tejun serve` builds on every save, and
/// compiling them took 6–20 ms of the 100–140 a save's build takes on a manual of
/// 2,000 pages.
static COMPILED: TemplateCache = TemplateCache::new();

/// Every page of every manual of `editions`, rendered with `tera`, and procedure
/// pages with [`layout`] when `layout` is set (for tests that compare templates).
#[cfg(test)]
pub(crate) fn pages_with(editions: &[Manual], config: &Config, tera: Tera, layout: bool) -> Vec<Vec<u8>> {
    let tools = Tools {
        tera: Arc::new(tera),
        layout,
        listing: layout,
        toc: layout,
        highlighter: Highlighter::default(),
        sanitizer: None,
    };
    let mut pages = Vec::new();
    for manual in editions {
        let tocs = Tocs::default();
        let renderer = Renderer { manual, editions, config, tools: &tools, tocs: &tocs };
        pages.extend((0..manual.pages.len()).map(|id| renderer.page(id).expect("renders")));
    }
    pages
}

/// [`make_tera`] without the templates written as functions.
#[cfg(test)]
pub(crate) fn tera_from_sources(theme: &Theme) -> Tera {
    templates_only(theme).expect("the theme's templates parse")
}

/// One manual's tables of contents, rendered once each: (language, folder depth,
/// open folder) → the table of contents for pages there.
#[derive(Default)]
struct Tocs(Mutex<HashMap<TocKey, std::sync::Arc<str>>>);

struct Renderer<'a> {
    manual: &'a Manual,
    /// Every variant's manual, for the variant switch.
    editions: &'a [Manual],
    config: &'a Config,
    tools: &'a Tools,
    tocs: &'a Tocs,
}

#[derive(Serialize)]
pub(crate) struct TocView {
    title: String,
    href: Option<String>,
    /// Whether the node is a chapter (it may be shown closed, without children).
    chapter: bool,
    open: bool,
    children: Vec<TocView>,
}

/// Which table of contents a page shows: its language, folder depth and folder.
type TocKey = (String, usize, String);

fn toc_key(page: &Page) -> TocKey {
    let html_path = page.html_path();
    let folder = match page.kind {
        PageKind::Home => "",
        PageKind::Chapter => page.key.as_str(),
        PageKind::Procedure => page.key.rsplit_once('/').map_or("", |(dir, _)| dir),
    };
    (page.lang.clone(), html_path.matches('/').count(), folder.to_string())
}

/// Whether a chapter holds the open folder (or is it).
fn is_open(chapter: &str, open_folder: &str) -> bool {
    open_folder == chapter || open_folder.strip_prefix(chapter).is_some_and(|rest| rest.starts_with('/'))
}

view! {
    struct Link {
        title: String,
        href: String,
    }
}

view! {
    #[derive(Serialize, Clone)]
    struct LanguageLink {
        code: String,
        name: String,
        href: String,
        current: bool,
        /// Whether the page exists in that language (otherwise the link goes to its home).
        translated: bool,
    }
}

view! {
    /// The links to the same page in the manuals for the other values of a dimension.
    struct VariantSwitch {
        dimension: String,
        title: String,
        options: Vec<VariantLink>,
    }
}

view! {
    struct VariantLink {
        value: String,
        label: String,
        href: String,
        current: bool,
        /// JSON: for each step of this page the other manual leaves out, the nearest
        /// earlier step it has (`""`: the top of the page), so the switch lands there.
        fallback: Option<String>,
    }
}

/// A step as the templates see it. Its HTML is written when it is asked for: by the
/// page layout straight into the page ([`StepParts`]), for a template into its
/// values ([`IntoValue`]); made into strings first, every step's HTML was copied
/// twice more.
struct StepView<'a> {
    step: &'a Step,
    writer: &'a HtmlWriter<'a>,
    anchor: String,
    /// On a translated step whose source changed since: the source step.
    stale_href: Option<String>,
    translations: Vec<LanguageLink>,
}

impl StepView<'_> {
    fn write_figure(&self, out: &mut String) {
        if let (Some(image), Some(number)) = (&self.step.image, self.step.figure_number) {
            let caption = self.step.caption.as_deref().unwrap_or(&self.step.title);
            self.writer.figure_with_callouts(&self.step.id, image, number, Some(caption), &self.step.callouts, out);
        }
    }
}

impl IntoValue for StepView<'_> {
    fn into_value(self) -> serde_json::Value {
        let (step, writer) = (self.step, self.writer);
        let figure_html = markdown::exact_string(|out| self.write_figure(out));
        let fields = [
            ("id", step.id.clone().into_value()),
            ("anchor", self.anchor.into_value()),
            ("number", step.number.into_value()),
            ("label", i18n::step_label(writer.lang, step.number).into_value()),
            // Plain text, for attributes.
            ("title", step.title.clone().into_value()),
            ("title_html", writer.inlines_to_string(&step.title_inlines).into_value()),
            ("figure_html", figure_html.into_value()),
            ("body_html", writer.blocks_to_string(&step.body).into_value()),
            ("result_html", step.result_inlines.as_ref().map(|result| writer.inlines_to_string(result)).into_value()),
            ("stale_href", self.stale_href.into_value()),
            ("translations", self.translations.into_value()),
        ];
        serde_json::Value::Object(fields.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }
}

impl StepParts for StepView<'_> {
    fn anchor(&self) -> &str {
        &self.anchor
    }

    fn number(&self, html: &mut String) {
        html.push_str(itoa::Buffer::new().format(self.step.number));
    }

    fn translations(&self, each: &mut dyn FnMut(&str, &str, &str)) {
        for link in &self.translations {
            each(&link.href, &link.code, &link.name);
        }
    }

    fn has_translations(&self) -> bool {
        !self.translations.is_empty()
    }

    fn stale_href(&self) -> &str {
        self.stale_href.as_deref().unwrap_or_default()
    }

    fn title_html(&self, html: &mut String) {
        self.writer.inlines(&self.step.title_inlines, html);
    }

    fn figure_html(&self, html: &mut String) {
        self.write_figure(html);
    }

    fn body_html(&self, html: &mut String) {
        self.writer.blocks(&self.step.body, html);
    }

    fn result_html(&self, html: &mut String) {
        if let Some(result) = &self.step.result_inlines {
            self.writer.inlines(result, html);
        }
    }
}

view! {
    struct SectionView<'a> {
        title_html: Option<String>,
        anchor: String,
        /// 手順 1〜7 / Steps 1–7.
        step_range: Option<String>,
        intro_html: String,
        steps: Vec<StepView<'a>>,
    }
}

view! {
    /// A titled section as the page's own contents list shows it: made in Rust, as a
    /// template filter over `page.sections` would copy every step of the page.
    struct SectionLink {
        title_html: String,
        anchor: String,
        step_range: Option<String>,
    }
}

view! {
    struct ChildView {
        title: String,
        href: Option<String>,
        description: Option<String>,
        children: Vec<ChildView>,
    }
}

view! {
    struct PageView<'a> {
        title: String,
        description: Option<String>,
        kind: &'static str,
        key: String,
        intro_html: String,
        sections: Vec<SectionView<'a>>,
        /// The sections with a title, for the page's own contents ("on this page").
        titled_sections: Vec<SectionLink>,
        step_count: usize,
        /// Chapters and pages below this one (home and chapter pages).
        children: Vec<ChildView>,
        /// The footnotes' section, after the last section; empty without footnotes.
        footnotes_html: String,
    }
}

view! {
    struct PageContext<'a> {
        lang: &'a str,
        manual_title: &'a str,
        /// The manual's marking (社外秘), shown beside its title.
        classification: Option<&'a str>,
        /// The manual's version as the footer shows it (第 2.1 版).
        version: Option<String>,
        ui: &'static Ui,
        /// `../` to the output root, for static files.
        root: String,
        /// `../` to the language's folder, for search results.
        lang_root: String,
        home_href: String,
        page: PageView<'a>,
        toc_html: String,
        languages: Vec<LanguageLink>,
        /// One switch per variant dimension; empty without variants.
        variants: Vec<VariantSwitch>,
        /// This manual's search index for the page's language.
        search_index: String,
        previous: Option<Link>,
        next: Option<Link>,
        /// Links to the PDF handouts, when the build makes them.
        pdf: Option<PdfLinks>,
    }
}

view! {
    struct PdfLinks {
        /// The page's own PDF (procedures only).
        page: Option<String>,
        manual: String,
    }
}

impl Renderer<'_> {
    /// Renders every table of contents the manual's pages show, in parallel, as
    /// `build` needs them all.
    fn render_all_tocs(&self) -> Result<(), Diagnostic> {
        let mut wanted: Vec<TocKey> = self.manual.pages.iter().map(toc_key).collect();
        wanted.sort();
        wanted.dedup();
        let rendered: Vec<(TocKey, std::sync::Arc<str>)> = wanted
            .into_par_iter()
            .map(|key| Ok((key.clone(), self.render_toc(&key)?.into())))
            .collect::<Result<_, _>>()?;
        self.tocs.0.lock().unwrap_or_else(|e| e.into_inner()).extend(rendered);
        Ok(())
    }

    fn render_toc(&self, (lang, depth, folder): &TocKey) -> Result<String, Diagnostic> {
        let language = self.manual.language(lang).expect("pages are in configured languages");
        let prefix = "../".repeat(*depth);
        let toc: Vec<TocView> = language.toc.iter().map(|n| self.toc_view(n, &prefix, folder)).collect();
        if self.tools.toc {
            return Ok(layout::toc(&toc));
        }
        let mut context = Context::new();
        context.insert("toc", &toc);
        context.insert("ui", i18n::ui(lang));
        context.insert("lang", lang);
        self.tools.tera.render("partials/toc.html", &context).map_err(|e| template_error("partials/toc.html", e))
    }

    /// The table of contents for pages at `key`, rendered now if no page needed it yet.
    fn toc(&self, key: &TocKey) -> Result<std::sync::Arc<str>, Diagnostic> {
        if let Some(toc) = self.tocs.0.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            return Ok(toc.clone());
        }
        let toc: std::sync::Arc<str> = self.render_toc(key)?.into();
        self.tocs.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone(), toc.clone());
        Ok(toc)
    }

    fn toc_view(&self, node: &TocNode, prefix: &str, open_folder: &str) -> TocView {
        let page = node.page.map(|id| &self.manual.pages[id]);
        let chapter = !node.children.is_empty() || page.is_none_or(|p| p.kind == PageKind::Chapter);
        let open = chapter && is_open(&node.key, open_folder);
        TocView {
            title: node.title.clone(),
            href: page.map(|p| format!("{prefix}{}", p.html_path())),
            chapter,
            open,
            children: if open {
                node.children.iter().map(|c| self.toc_view(c, prefix, open_folder)).collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The shared table of contents with this page's entry marked.
    fn toc_for(&self, page: &Page) -> Result<String, Diagnostic> {
        let html_path = page.html_path();
        let key = toc_key(page);
        let depth = key.1;
        let toc = self.toc(&key)?;
        if page.kind == PageKind::Home {
            return Ok(toc.to_string());
        }
        let marker = format!("href=\"{}{}\"", "../".repeat(depth), escape(&html_path));
        // memchr's search: the standard library's took a quarter as long as the rest
        // of the page's layout.
        Ok(match memchr::memmem::find(toc.as_bytes(), marker.as_bytes()) {
            Some(at) => {
                let end = at + marker.len();
                let mut html = String::with_capacity(toc.len() + 24);
                html.push_str(&toc[..end]);
                html.push_str(" aria-current=\"page\"");
                html.push_str(&toc[end..]);
                html
            }
            None => toc.to_string(),
        })
    }

    fn page(&self, id: PageId) -> Result<Vec<u8>, Diagnostic> {
        let page = &self.manual.pages[id];
        let language = self.manual.language(&page.lang).expect("pages are in configured languages");
        let from = self.manual.page_path(page);
        let writer = HtmlWriter {
            manual: self.manual,
            lang: &page.lang,
            from: &from,
            highlighter: &self.tools.highlighter,
            sanitizer: self.tools.sanitizer.as_ref(),
            footnotes_referred: Default::default(),
            in_table_cell: Default::default(),
        };
        let template = match page.kind {
            PageKind::Home => "home.html",
            PageKind::Chapter => "chapter.html",
            PageKind::Procedure => "page.html",
        };
        let (previous, next) = self.neighbours(id, language, &from);
        let context = PageContext {
            lang: &page.lang,
            manual_title: &language.title,
            classification: self.config.classification(&page.lang),
            version: self.config.version.as_deref().map(|version| i18n::version(&page.lang, version)),
            ui: i18n::ui(&page.lang),
            root: root_prefix(&from),
            lang_root: "../".repeat(page.html_path().matches('/').count()),
            home_href: relative_href(&from, &self.manual.home_path(&page.lang)),
            page: self.page_view(id, &writer),
            toc_html: self.toc_for(page)?,
            languages: self.language_links(id, &from),
            variants: self.variant_switches(id, &from),
            search_index: relative_href(&from, &search::index_path(self.manual, &page.lang)),
            previous,
            next,
            pdf: pdf::enabled(self.config).then(|| PdfLinks {
                page: pdf::page_pdf_path(self.manual, page).map(|path| relative_href(&from, &path)),
                manual: relative_href(&from, &pdf::manual_pdf_path(self.manual, &page.lang)),
            }),
        };
        match page.kind {
            PageKind::Procedure if self.tools.layout => return Ok(layout::procedure_page(&context)),
            PageKind::Chapter if self.tools.listing => return Ok(layout::chapter_page(&context)),
            PageKind::Home if self.tools.listing => return Ok(layout::home_page(&context)),
            _ => {}
        }
        let context = Context::from_value(context.into_value()).map_err(|e| template_error(template, e))?;
        render_template(&self.tools.tera, template, &context)
    }

    fn page_view<'w>(&'w self, id: PageId, writer: &'w HtmlWriter<'w>) -> PageView<'w> {
        let page = &self.manual.pages[id];
        let translations: Vec<(LanguageLink, &Page)> = self
            .language_links(id, writer.from)
            .into_iter()
            .filter(|l| !l.current)
            .filter_map(|l| {
                let translation = self.manual.translation(id, &l.code)?;
                Some((l, &self.manual.pages[translation]))
            })
            .collect();
        let sections: Vec<SectionView> = page
            .sections
            .iter()
            .map(|section| SectionView {
                // The title is a link to the section itself (and in "on this page"): a
                // link written in the heading would be a link inside a link.
                title_html: section.heading.as_ref().map(|h| writer.inlines_to_string(&without_links(&h.content))),
                anchor: section.anchor.clone(),
                step_range: match (section.steps.first(), section.steps.last()) {
                    (Some(first), Some(last)) => Some(i18n::step_span_label(&page.lang, first.number, last.number)),
                    _ => None,
                },
                intro_html: writer.blocks_to_string(&section.intro),
                steps: section.steps.iter().map(|step| self.step_view(step, &translations, writer)).collect(),
            })
            .collect();
        let children = match page.kind {
            PageKind::Procedure => Vec::new(),
            PageKind::Home => {
                self.manual.language(&page.lang).map_or_else(Vec::new, |l| self.child_views(&l.toc, writer.from))
            }
            PageKind::Chapter => find_node(&self.manual.language(&page.lang).expect("configured").toc, id)
                .map_or_else(Vec::new, |node| self.child_views(&node.children, writer.from)),
        };
        PageView {
            title: page.front.title.clone(),
            description: page.front.description.clone(),
            kind: match page.kind {
                PageKind::Home => "home",
                PageKind::Chapter => "chapter",
                PageKind::Procedure => "procedure",
            },
            key: page.key.clone(),
            intro_html: writer.blocks_to_string(&page.intro),
            titled_sections: sections
                .iter()
                .zip(&page.sections)
                .filter_map(|(s, section)| {
                    let heading = section.heading.as_ref()?;
                    // The heading's anchors (Pandoc's `<span id="_Ref200" class="anchor">`)
                    // stay in the heading: in the list they would be ids twice over.
                    let title_html = match without_anchors(&heading.content) {
                        Some(content) => writer.inlines_to_string(&without_links(&content)),
                        None => s.title_html.clone()?,
                    };
                    Some(SectionLink { title_html, anchor: s.anchor.clone(), step_range: s.step_range.clone() })
                })
                .collect(),
            sections,
            step_count: page.steps().count(),
            children,
            // Last: numbers link back to the references written before.
            footnotes_html: writer.footnotes(&page.footnotes),
        }
    }

    fn child_views(&self, nodes: &[TocNode], from: &str) -> Vec<ChildView> {
        nodes
            .iter()
            .map(|node| {
                let page = node.page.map(|id| &self.manual.pages[id]);
                ChildView {
                    title: node.title.clone(),
                    href: page.map(|p| relative_href(from, &self.manual.page_path(p))),
                    description: page.and_then(|p| p.front.description.clone()),
                    children: self.child_views(&node.children, from),
                }
            })
            .collect()
    }

    /// A step, with links to the same step in the translations that have it.
    fn step_view<'w>(
        &self,
        step: &'w Step,
        translations: &[(LanguageLink, &Page)],
        writer: &'w HtmlWriter<'w>,
    ) -> StepView<'w> {
        let anchor = ["step-", step.id.as_str()].concat();
        StepView {
            step,
            writer,
            stale_href: step.stale_since.filter(|_| self.config.translations.show_stale).map(|source| {
                let source_path = self.manual.page_path(&self.manual.pages[source]);
                format!("{}#step-{}", relative_href(writer.from, &source_path), step.id)
            }),
            translations: translations
                .iter()
                .filter(|(_, page)| page.find_step(&step.id).is_some())
                .map(|(link, _)| LanguageLink { href: [link.href.as_str(), "#", &anchor].concat(), ..link.clone() })
                .collect(),
            anchor,
        }
    }

    /// Links to this page in every language (to the language's home page where the
    /// page is not translated).
    fn language_links(&self, id: PageId, from: &str) -> Vec<LanguageLink> {
        let page = &self.manual.pages[id];
        self.manual
            .languages
            .iter()
            .map(|language| {
                let translation = self.manual.translation(id, &language.code);
                let href = match translation {
                    Some(t) => relative_href(from, &self.manual.page_path(&self.manual.pages[t])),
                    None => relative_href(from, &self.manual.home_path(&language.code)),
                };
                LanguageLink {
                    code: language.code.clone(),
                    name: i18n::language_name(&language.code),
                    href,
                    current: language.code == page.lang,
                    translated: translation.is_some(),
                }
            })
            .collect()
    }

    /// For each dimension, a link per value to this page in the manual that has that
    /// value and this manual's values in the other dimensions.
    fn variant_switches(&self, id: PageId, from: &str) -> Vec<VariantSwitch> {
        let page = &self.manual.pages[id];
        let current = &self.manual.edition.values;
        self.config
            .variants
            .iter()
            .enumerate()
            .map(|(d, dimension)| VariantSwitch {
                dimension: dimension.name.clone(),
                title: dimension.title(&page.lang),
                options: dimension
                    .values
                    .iter()
                    .filter_map(|value| {
                        let mut wanted = current.clone();
                        wanted[d].1 = value.clone();
                        let other = self.editions.iter().find(|m| m.edition.values == wanted)?;
                        // A page only some manuals have: the others' home page.
                        let other_page = other.by_key.get(&(page.lang.clone(), page.key.clone()));
                        let (href, fallback) = match other_page.map(|&other_id| &other.pages[other_id]) {
                            Some(other_page) => (other.page_path(other_page), anchor_fallback(page, other_page)),
                            None => (other.home_path(&page.lang), None),
                        };
                        Some(VariantLink {
                            value: value.clone(),
                            label: dimension.label(&page.lang, value),
                            href: relative_href(from, &href),
                            current: *value == current[d].1,
                            fallback,
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    fn neighbours(&self, id: PageId, language: &Language, from: &str) -> (Option<Link>, Option<Link>) {
        let Some(at) = language.reading_order.iter().position(|&p| p == id) else {
            return (None, None);
        };
        let link = |other: PageId| {
            let page = &self.manual.pages[other];
            Link { title: page.front.title.clone(), href: relative_href(from, &self.manual.page_path(page)) }
        };
        let previous = at.checked_sub(1).map(|i| link(language.reading_order[i]));
        let next = language.reading_order.get(at + 1).map(|&p| link(p));
        (previous, next)
    }

    /// `index.html` at the root: sends readers to their language's home page.
    fn language_chooser(&self) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ChooserContext<'a> {
            default_language: &'a str,
            default_href: String,
            languages: Vec<LanguageLink>,
            ui: &'static Ui,
            manual_title: String,
            /// `../` to the output root, for static files.
            root: String,
        }
        let default = &self.config.default_language;
        let languages = self
            .manual
            .languages
            .iter()
            .map(|l| LanguageLink {
                code: l.code.clone(),
                name: i18n::language_name(&l.code),
                href: format!("{}/index.html", l.code),
                current: &l.code == default,
                translated: l.home.is_some(),
            })
            .collect();
        let context = ChooserContext {
            default_language: default,
            default_href: format!("{default}/index.html"),
            languages,
            ui: i18n::ui(default),
            manual_title: self.manual.language(default).map(|l| l.title.clone()).unwrap_or_default(),
            root: root_prefix(&format!("{}index.html", self.manual.edition.prefix)),
        };
        let context = Context::from_serialize(&context).map_err(|e| template_error("language-chooser.html", e))?;
        render_template(&self.tools.tera, "language-chooser.html", &context)
    }
}

/// `{"step-a": "step-b"}` for each section and step of `page` that `other` (the same
/// page in another variant's manual) lacks: the nearest earlier section or step it
/// has, or `""` for the top of the page.
fn anchor_fallback(page: &Page, other: &Page) -> Option<String> {
    let mut map = serde_json::Map::new();
    let mut last_shared = String::new();
    let mut visit = |anchor: String, shared: bool| {
        if shared {
            last_shared = anchor;
        } else {
            map.insert(anchor, serde_json::Value::String(last_shared.clone()));
        }
    };
    for section in &page.sections {
        if section.heading.is_some() {
            visit(section.anchor.clone(), other.sections.iter().any(|s| s.anchor == section.anchor));
        }
        for step in &section.steps {
            visit(format!("step-{}", step.id), other.find_step(&step.id).is_some());
        }
    }
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

fn find_node(nodes: &[TocNode], id: PageId) -> Option<&TocNode> {
    nodes.iter().find_map(|n| if n.page == Some(id) { Some(n) } else { find_node(&n.children, id) })
}

/// `inlines` without the empty elements that only give an id (`<span id="_Ref200"
/// class="anchor"></span>`, `<a name="setup"></a>`), as Word's bookmarks come
/// through Pandoc; `None` when there are none.
fn without_anchors(inlines: &[Inline]) -> Option<Vec<Inline>> {
    let is_anchor = |pair: &[Inline]| {
        let [Inline::Html(open), Inline::Html(close)] = pair else { return false };
        let (Some((name, false)), Some((closed, true))) = (sanitize::inline_tag(open), sanitize::inline_tag(close))
        else {
            return false;
        };
        let open = open.to_ascii_lowercase();
        matches!(name.as_str(), "span" | "a")
            && name == closed
            && (open.contains(" id=") || open.contains(" name="))
            && !open.contains(" href=")
    };
    if !inlines.windows(2).any(is_anchor) {
        return None;
    }
    let mut kept = Vec::with_capacity(inlines.len());
    let mut at = 0;
    while at < inlines.len() {
        if inlines.get(at..at + 2).is_some_and(is_anchor) {
            at += 2;
        } else {
            kept.push(inlines[at].clone());
            at += 1;
        }
    }
    Some(kept)
}

/// `inlines` with each link replaced by its content.
fn without_links(inlines: &[Inline]) -> std::borrow::Cow<'_, [Inline]> {
    fn has_link(inlines: &[Inline]) -> bool {
        inlines.iter().any(|inline| match inline {
            Inline::Link(_) => true,
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => has_link(c),
            _ => false,
        })
    }
    fn unlink(inlines: &[Inline], out: &mut Vec<Inline>) {
        for inline in inlines {
            match inline {
                Inline::Link(link) => unlink(&link.content, out),
                Inline::Strong(c) => out.push(Inline::Strong(unlinked(c))),
                Inline::Emphasis(c) => out.push(Inline::Emphasis(unlinked(c))),
                Inline::Strikethrough(c) => out.push(Inline::Strikethrough(unlinked(c))),
                other => out.push(other.clone()),
            }
        }
    }
    fn unlinked(inlines: &[Inline]) -> Vec<Inline> {
        let mut out = Vec::new();
        unlink(inlines, &mut out);
        out
    }
    if has_link(inlines) { std::borrow::Cow::Owned(unlinked(inlines)) } else { std::borrow::Cow::Borrowed(inlines) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_compiled_again_only_when_they_change() {
        let cache = TemplateCache::new();
        let first = cache.get(&Theme::builtin()).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.get(&Theme::builtin()).unwrap()));
        let mut changed = Theme::builtin();
        changed.templates.insert("partials/footer.html".into(), "<footer>changed</footer>\n".into());
        let second = cache.get(&changed).unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert_eq!(second.render("partials/footer.html", &Context::new()).unwrap(), "<footer>changed</footer>\n");
        let mut broken = Theme::builtin();
        broken.templates.insert("partials/footer.html".into(), "{% if %}".into());
        assert!(cache.get(&broken).is_err(), "a template that does not parse is an error, not the last good one");
    }
}
