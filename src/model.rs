//! The document model: the one contract between the pipeline's stages.
//!
//! `parse` builds it from Markdown, `resolve` fills in what needs the whole manual
//! (step and figure numbers, reference targets, image sizes, translations), and every
//! renderer and lint reads the same tree. Nodes keep the byte span of their source so
//! that anything found wrong later can still be reported at its file, line and column.

use rustc_hash::FxHashMap;
use std::ops::Range;

use crate::source::FileId;

/// Byte offsets into a source file (after the BOM is dropped and CRLF folded to LF,
/// which changes neither lines nor columns).
pub type Span = Range<usize>;

/// Index of a page in [`Manual::pages`].
pub type PageId = usize;

/// What a Markdown file is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    /// `content/_index.LANG.md`: the manual's front page.
    Home,
    /// `content/**/_index.LANG.md`: a chapter's introduction.
    Chapter,
    /// Any other `NAME.LANG.md`: a procedure.
    Procedure,
}

/// One page in one language, as parsed and (after `resolve`) numbered.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: FileId,
    /// Path inside `content/` without language and extension: `certificates/obtain`;
    /// a chapter is its folder (`certificates`), the home page is `""`.
    pub key: String,
    pub lang: String,
    pub kind: PageKind,
    pub front: FrontMatter,
    /// Set by `resolve` on a translated page whose own text (introduction, section
    /// headings and their text) changed in the source since: the source page.
    pub stale_since: Option<PageId>,
    /// Blocks before the first section or step.
    pub intro: Vec<Block>,
    pub sections: Vec<Section>,
    /// `[^label]: …` definitions, in the order of their numbers.
    pub footnotes: Vec<Footnote>,
    /// The classes of Pandoc's divs written `::: section`, and where: one that is a
    /// variant's value (`::: chrome`) is a variant mark without its dimension.
    pub div_classes: Vec<(String, Span)>,
    /// The files raw HTML on the page shows or links to (`<img src>`, `<a href>`),
    /// as paths inside `content/`: set by `resolve`, which points the HTML at them.
    pub html_assets: Vec<String>,
    /// Pictures written into the page as `data:` URLs: the name they are published
    /// under inside `assets/` and their bytes, decoded by `resolve`.
    pub embedded_images: Vec<(String, std::sync::Arc<Vec<u8>>)>,
}

/// A footnote of a page, shown at the end of the page (in print, at the foot of the
/// page that refers to it). Numbered per page in the order of first reference;
/// one that nothing refers to comes after those that are.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub number: u32,
    /// Whether the page refers to it.
    pub referred: bool,
    pub blocks: Vec<Block>,
}

impl Page {
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.sections.iter().flat_map(|s| s.steps.iter())
    }

    pub fn steps_mut(&mut self) -> impl Iterator<Item = &mut Step> {
        self.sections.iter_mut().flat_map(|s| s.steps.iter_mut())
    }

    pub fn find_step(&self, id: &str) -> Option<&Step> {
        self.steps().find(|s| s.id == id)
    }

    /// The step of this page (another language's) that `step` lines up with: the
    /// one with its id and its variant condition, since alternatives for different
    /// variants share an id; else the first with its id.
    pub fn counterpart(&self, step: &Step) -> Option<&Step> {
        let same_condition = |other: &&Step| match (&other.only, &step.only) {
            (None, None) => true,
            (Some(a), Some(b)) => a.same_as(b),
            _ => false,
        };
        self.steps().filter(|s| s.id == step.id).find(same_condition).or_else(|| self.find_step(&step.id))
    }

    /// Every image of the page in document order (a step's screenshot before the
    /// images in its body), with what it is there for.
    pub fn images(&self) -> Vec<(ImageUse<'_>, &Image)> {
        let mut out = Vec::new();
        collect_images(&self.intro, &mut out);
        for section in &self.sections {
            collect_images(&section.intro, &mut out);
            for step in &section.steps {
                if let Some(image) = &step.image {
                    out.push((ImageUse::Screenshot(step), image));
                }
                collect_images(&step.body, &mut out);
            }
        }
        for footnote in &self.footnotes {
            collect_images(&footnote.blocks, &mut out);
        }
        out
    }

    /// The output path of the page's HTML inside its language folder.
    pub fn html_path(&self) -> String {
        match self.kind {
            PageKind::Home => "index.html".to_string(),
            // Concatenated: `format!` costs several times as much, once per page for
            // every link to it.
            PageKind::Chapter => [self.key.as_str(), "/index.html"].concat(),
            PageKind::Procedure => [self.key.as_str(), ".html"].concat(),
        }
    }
}

/// Why an image is on a page.
#[derive(Debug, Clone, Copy)]
pub enum ImageUse<'a> {
    /// A step's `image`: figure `fig:STEP-ID`.
    Screenshot(&'a Step),
    /// An image alone in its paragraph.
    Figure(&'a Figure),
    /// An image inside running text.
    Icon,
}

fn collect_images<'a>(blocks: &'a [Block], out: &mut Vec<(ImageUse<'a>, &'a Image)>) {
    for block in blocks {
        match block {
            Block::Figure(figure) => out.push((ImageUse::Figure(figure), &figure.image)),
            Block::Paragraph(inlines) | Block::Plain(inlines) | Block::Heading { content: inlines, .. } => {
                collect_icons(inlines, out)
            }
            Block::List(list) => list.items.iter().for_each(|item| collect_images(&item.blocks, out)),
            Block::Definitions(items) => items.iter().for_each(|item| collect_images(&item.blocks, out)),
            Block::Alert { blocks, .. } | Block::Quote(blocks) => collect_images(blocks, out),
            Block::Variant(variant) => collect_images(&variant.blocks, out),
            Block::Table(table) => {
                table.head.iter().chain(table.rows.iter().flatten()).for_each(|c| collect_icons(c, out))
            }
            Block::Code(_) | Block::Rule | Block::Html(_) => {}
        }
    }
}

fn collect_icons<'a>(inlines: &'a [Inline], out: &mut Vec<(ImageUse<'a>, &'a Image)>) {
    for inline in inlines {
        match inline {
            Inline::Image(image) => out.push((ImageUse::Icon, image)),
            Inline::Strong(content) | Inline::Emphasis(content) | Inline::Strikethrough(content) => {
                collect_icons(content, out)
            }
            Inline::Link(link) => collect_icons(&link.content, out),
            Inline::Ref(reference) => collect_icons(&reference.content, out),
            _ => {}
        }
    }
}

/// The page's own front matter: TOML between `+++` lines, YAML between `---`
/// lines as other tools write it, or none (the title from the page's first
/// heading or its file name).
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub weight: Option<i64>,
    pub description: Option<String>,
    /// `source = "…"`: the hash of the source-language page's own text (outside its
    /// steps) this translation was made from, and where it is written.
    pub source: Option<(String, Span)>,
    /// `only = { role = "admin" }`: the manuals the page is in; every one without.
    pub only: Option<Condition>,
    /// The whole `+++` (or `---`) block; empty at the start of a page without one.
    pub span: Span,
    pub syntax: FrontSyntax,
}

/// How a page's front matter is written, for the one command that adds to it
/// (`translations --stamp`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum FrontSyntax {
    #[default]
    Toml,
    Yaml,
    /// The page has none.
    Absent,
}

/// A level-2 heading and what follows it. The first section of a page may have no
/// heading when steps start before any heading.
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: Option<Heading>,
    /// `## … {browser=chrome}`: the section, its text and its steps are only in
    /// the manuals this admits.
    pub only: Option<Condition>,
    /// `section-N` unless the writer named it with `{#id}`.
    pub anchor: String,
    pub intro: Vec<Block>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub content: Vec<Inline>,
    pub span: Span,
}

/// One numbered step: its own TOML block and the Markdown after it.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    /// The title as plain text (Markdown markup removed), for search, bookmarks and
    /// lints; `title_inlines` is what readers see.
    pub title: String,
    pub title_inlines: Vec<Inline>,
    /// The step's screenshot; its figure id is the step id.
    pub image: Option<Box<Image>>,
    /// Plain text, like `title`.
    pub caption: Option<String>,
    pub caption_inlines: Option<Vec<Inline>>,
    /// Plain text, like `title`.
    pub result: Option<String>,
    pub result_inlines: Option<Vec<Inline>>,
    /// The screenshot's alt text as written.
    pub alt: Option<String>,
    /// `source = "…"`: the hash of the source-language step this translation was
    /// made from, and where it is written.
    pub source: Option<(String, Span)>,
    /// The step's Markdown after its `+++` block, up to the next step or section.
    pub body_span: Span,
    /// Set by `resolve` on a translated step whose `source` is not its source
    /// step's hash now: the source language's page.
    pub stale_since: Option<PageId>,
    pub body: Vec<Block>,
    /// `only = { browser = "chrome" }`: the step is only in the manuals this admits.
    pub only: Option<Condition>,
    /// Markers drawn over the screenshot, numbered ① ② in order like the sub-steps.
    pub callouts: Vec<Callout>,
    /// Boxes of the screenshot blacked out in every published copy.
    pub redact: Vec<Region>,
    /// The whole `+++` block.
    pub span: Span,
    pub id_span: Span,
    /// 1-based, continuous through the page; set by `resolve`.
    pub number: u32,
    /// Figure number of the screenshot; set by `resolve`.
    pub figure_number: Option<u32>,
}

/// A screenshot marker, in the image's own pixels (an SVG's viewBox units).
#[derive(Debug, Clone, PartialEq)]
pub enum Callout {
    /// `{ box = [x, y, w, h] }`: a rectangle around what to click, its number at its corner.
    Box(Region),
    /// `{ at = [x, y] }`: a numbered marker on a point.
    Point { x: f64, y: f64, span: Span },
}

impl Callout {
    pub fn span(&self) -> &Span {
        match self {
            Callout::Box(region) => &region.span,
            Callout::Point { span, .. } => span,
        }
    }

    /// The centre of its numbered marker of `radius`: on the point, or just outside a
    /// box's top-left corner (so it does not hide a small button), kept in the image.
    pub fn marker_center(&self, radius: f64) -> (f64, f64) {
        match self {
            Callout::Box(region) => ((region.x - 0.6 * radius).max(radius), (region.y - 0.6 * radius).max(radius)),
            Callout::Point { x, y, .. } => (*x, *y),
        }
    }
}

/// A rectangle on an image: x, y, width, height, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// Inline content of a tight list item, shown without a paragraph.
    Plain(Vec<Inline>),
    /// Headings below the section level (and any inside containers).
    Heading {
        level: u8,
        content: Vec<Inline>,
        /// Its anchor: `{#id}` as written, else GitHub's id for its text.
        id: String,
    },
    List(List),
    Alert {
        kind: AlertKind,
        blocks: Vec<Block>,
        fold: Fold,
    },
    Quote(Vec<Block>),
    Code(Box<CodeBlock>),
    Table(Box<Table>),
    /// A definition list (`用語` and `: 説明` under it), as MkDocs, Pandoc and PHP
    /// Markdown Extra write glossaries: terms and their definitions, in order.
    Definitions(Vec<DefinitionItem>),
    Figure(Box<Figure>),
    Rule,
    Html(String),
    /// `::: browser=chrome` … `:::`: blocks only in the manuals the condition admits.
    /// Only the whole manual (for lints) keeps these; each variant's manual has them
    /// replaced by their blocks or dropped.
    Variant(Box<VariantBlock>),
}

/// A code block, with what its opening fence says beside the language.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub lang: Option<String>,
    /// The file it shows, as Qiita and Zenn (` ```ruby:app.rb `), Docusaurus and
    /// MkDocs (`title="app.rb"`) or Zola (`name=app.rb`) write it.
    pub title: Option<String>,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantBlock {
    pub condition: Condition,
    pub blocks: Vec<Block>,
    /// The opening `:::` line.
    pub span: Span,
}

/// Which variants some content is for: every term must hold (`browser=chrome
/// role=admin` is Chrome and administrator).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Condition {
    pub terms: Vec<ConditionTerm>,
}

/// One dimension and the values it may have: `browser = ["edge", "chrome"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionTerm {
    pub dimension: String,
    pub dimension_span: Span,
    /// Each value with where it is written.
    pub values: Vec<(String, Span)>,
}

impl Condition {
    /// Whether the manual with these `(dimension, value)` pairs has the content.
    pub fn admits(&self, combination: &[(&str, &str)]) -> bool {
        self.terms.iter().all(|term| {
            combination
                .iter()
                .find(|(dimension, _)| *dimension == term.dimension)
                .is_some_and(|(_, value)| term.values.iter().any(|(v, _)| v == value))
        })
    }

    /// The same condition, wherever it is written.
    pub fn same_as(&self, other: &Condition) -> bool {
        let key = |c: &Condition| {
            let mut terms: Vec<(String, Vec<String>)> = c
                .terms
                .iter()
                .map(|t| {
                    let mut values: Vec<String> = t.values.iter().map(|(v, _)| v.clone()).collect();
                    values.sort();
                    (t.dimension.clone(), values)
                })
                .collect();
            terms.sort();
            terms
        };
        key(self) == key(other)
    }

    /// `browser=chrome role=admin,user`, as a container line writes it.
    pub fn to_text(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                let values: Vec<&str> = t.values.iter().map(|(v, _)| v.as_str()).collect();
                format!("{}={}", t.dimension, values.join(","))
            })
            .collect();
        terms.join(" ")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of an ordered list; `None` for a bullet list.
    pub start: Option<u64>,
    /// An ordered list directly in a step's body: shown as ① ② ③.
    pub substeps: bool,
    pub items: Vec<ListItem>,
}

/// A term (its content one [`Block::Plain`]) or a definition of the term before it.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionItem {
    pub term: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub checked: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Block {
    /// The word for a kind of note this paragraph is, alone in bold, without a colon
    /// after it (`**注意**`, `**Note:**`): how an alert's own label is written at its
    /// start.
    pub fn note_word(&self) -> Option<&str> {
        let Block::Paragraph(title) = self else { return None };
        let [Inline::Strong(content)] = title.as_slice() else { return None };
        let [Inline::Text(text)] = content.as_slice() else { return None };
        let word = text.trim().trim_end_matches([':', '：']).trim_end();
        AlertKind::named(word).map(|_| word)
    }
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Note => "note",
            AlertKind::Tip => "tip",
            AlertKind::Important => "important",
            AlertKind::Warning => "warning",
            AlertKind::Caution => "caution",
        }
    }

    /// The alert a word names, in the words tools and Japanese Word styles use:
    /// `note`, `warning`, 注意, 危険, 参考 …
    pub fn named(word: &str) -> Option<AlertKind> {
        let word = word.trim().to_lowercase();
        Some(match word.as_str() {
            "note" | "info" | "information" | "seealso" | "admonition" | "memo" | "メモ" | "注" | "注記" | "参考"
            | "参考情報" | "補足" | "補足説明" | "備考" => AlertKind::Note,
            "tip" | "tips" | "hint" | "ヒント" | "ポイント" => AlertKind::Tip,
            "important" | "重要" | "お願い" | "留意事項" | "留意点" => AlertKind::Important,
            "warning" | "warn" | "attention" | "警告" | "注意" | "ご注意" | "注意事項" => AlertKind::Warning,
            "danger" | "error" | "caution" | "危険" | "禁止" => AlertKind::Caution,
            _ => return None,
        })
    }
}

/// Whether an alert folds its content under its title, as Obsidian's `> [!tip]-`
/// and Quarto's `collapse="true"` do. Paper shows every alert whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fold {
    /// Always open: GitHub's alerts and most tools' notes.
    #[default]
    None,
    /// Folded until the reader opens it (`> [!tip]-`).
    Closed,
    /// Open, and the reader can fold it (`> [!tip]+`).
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// A table with a caption is numbered, as Word and LaTeX number them; one without
    /// is not (a step's small table of values is no 表 3).
    pub caption: Option<TableCaption>,
}

/// What a numbered table is called and where links find it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableCaption {
    /// The caption's text, without a number the writer typed in it.
    pub text: String,
    /// The id `[](table:ID)` names, the anchor being `table-ID`: the one written at
    /// the caption's end (`{#fees}`), or the caption's text.
    pub id: String,
    /// Set by `resolve`.
    pub number: u32,
}

/// An image alone in its paragraph (or a step's screenshot): numbered and captioned.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image file's stem; the anchor is `fig-ID`.
    pub id: String,
    pub image: Image,
    /// Set by `resolve`.
    pub number: u32,
    /// What the writer gave as the caption apart from the alt text: a raw HTML
    /// `<figcaption>`, or the line typed under the picture as Word users do
    /// (`図 3 ログイン画面`), without its number, which tejun gives. Without one the
    /// alt text is the caption.
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// As written, relative to the Markdown file.
    pub src: String,
    pub alt: String,
    pub title: String,
    pub span: Span,
    /// Set by `resolve`: where the file is inside `content/` and its pixel size.
    pub asset: Option<String>,
    pub size: Option<(u32, u32)>,
    /// Set by `resolve`: the coordinates callouts and redactions are written in (an
    /// SVG's viewBox, else the pixels), as x, y, width, height.
    pub frame: Option<[f64; 4]>,
    /// Set by `resolve` on a screenshot with `redact` boxes: the redacted copy that is
    /// published instead of the file (`images/x.redacted-1a2b3c4d.png`).
    pub published: Option<String>,
    /// The size the writer gave the image, as other tools write it: Pandoc's and
    /// MkDocs' `{width=50%}`, Obsidian's `![[a.png|300]]`, Zenn's `=250x`.
    pub requested: RequestedSize,
    /// Written as raw HTML, `<img src="…">`: a file that is not there is a warning,
    /// as any raw HTML's address is, and the address stays as written.
    pub from_html: bool,
}

/// A width and a height a writer asked an image to show at; either may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RequestedSize {
    pub width: Option<Length>,
    pub height: Option<Length>,
}

/// A length as HTML and Pandoc write one: CSS pixels (96 to the inch), a share of the
/// width there is, or a length on paper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    Pixels(f64),
    Percent(f64),
    Millimetres(f64),
}

impl Length {
    /// `300`, `300px`, `50%`, `6.5in`, `8cm`, `80mm`, `12pt`; `None` for anything else
    /// (`auto`, `20em`, which says nothing without a font) and for nothing at all.
    pub fn read(text: &str) -> Option<Length> {
        let text = text.trim().trim_matches(['"', '\'']);
        let at = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
        let number: f64 = text[..at].parse().ok().filter(|n: &f64| n.is_finite() && *n > 0.0)?;
        let unit = text[at..].trim().to_ascii_lowercase();
        let length = match unit.as_str() {
            "" | "px" => Length::Pixels(number),
            "%" => Length::Percent(number.min(100.0)),
            "in" => Length::Millimetres(number * 25.4),
            "cm" => Length::Millimetres(number * 10.0),
            "mm" => Length::Millimetres(number),
            "pt" => Length::Millimetres(number * 25.4 / 72.0),
            _ => return None,
        };
        Some(length)
    }
}

impl Image {
    /// What readers get of the image, inside the output's `assets/`: the redacted
    /// copy where there is one, else the file.
    pub fn published_asset(&self) -> Option<&str> {
        self.published.as_deref().or(self.asset.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Link(Box<Link>),
    /// `[](step:…)`, `[](fig:…)`, `[](page:…)`.
    Ref(Box<Reference>),
    /// An image inside running text: an icon, not numbered.
    Image(Box<Image>),
    SoftBreak,
    HardBreak,
    Html(String),
    /// `[^label]` where the page defines `label`: the footnote's number. (One the
    /// page does not define stays text, as on GitHub.)
    FootnoteRef(u32),
}

/// Whether a piece of inline HTML opens (`Some(true)`) or closes (`Some(false)`) a
/// ruby annotation: `<rt>`, the reading a browser shows above the text (furigana),
/// or `<rp>`, the brackets it shows around it when it cannot. Text that is only
/// read, as search and plain titles take it, leaves both out: 「暗証番号」, not
/// 「暗証あんしょう番号」.
pub fn ruby_annotation(html: &str) -> Option<bool> {
    let (opens, rest) = match html.strip_prefix("</") {
        Some(rest) => (false, rest),
        None => (true, html.strip_prefix('<')?),
    };
    let name = rest.get(..2)?;
    let after = rest[2..].chars().next()?;
    let is_annotation = name.eq_ignore_ascii_case("rt") || name.eq_ignore_ascii_case("rp");
    (is_annotation && (after == '>' || after == '/' || after.is_ascii_whitespace())).then_some(opens)
}

/// An ordinary link. The rarer, larger inline nodes are boxed so that the common
/// ones (text, breaks) stay small: a large manual has millions of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub dest: String,
    pub title: String,
    pub content: Vec<Inline>,
    pub span: Span,
    /// Set by `resolve` for a link to a page of the manual (`other.md#install`,
    /// `#debugging-pods`), which is then written as a link to its HTML.
    pub target: Option<LinkTarget>,
    /// Set by `resolve` for a link to a file of the site that is not a page (a form
    /// to download): its path inside `content/`, as in [`crate::load::Assets`].
    pub asset: Option<String>,
}

/// Where a link inside the manual goes.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTarget {
    pub page: PageId,
    pub fragment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Step,
    Figure,
    Table,
    Page,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub kind: RefKind,
    /// The page path, when the reference names another page (`certificates/obtain`).
    pub page: Option<String>,
    /// Step or figure id; for a range `step:A..B`, the first.
    pub id: String,
    /// The last step of a range.
    pub range_end: Option<String>,
    /// What the writer put between the brackets; empty means "generate it".
    pub content: Vec<Inline>,
    pub span: Span,
    /// Set by `resolve`.
    pub target: Option<RefTarget>,
}

/// Where a reference points, in terms every renderer can use.
#[derive(Debug, Clone, PartialEq)]
pub struct RefTarget {
    pub page: PageId,
    /// `step-ID` or `fig-ID`; `None` for a page.
    pub anchor: Option<String>,
    /// Step or figure number (first of a range).
    pub number: u32,
    pub range_end: Option<u32>,
    /// Whether the target is on another page than the reference.
    pub other_page: bool,
    /// The target step's title (for tooltips and search snippets).
    pub title: Option<String>,
}

/// A page of the manual's tree in one language: the home page's children are
/// chapters and pages, in reading order.
#[derive(Debug, Clone)]
pub struct TocNode {
    /// The page's path, or the chapter's folder.
    pub key: String,
    /// `None` for a folder without an `_index` file.
    pub page: Option<PageId>,
    pub title: String,
    pub children: Vec<TocNode>,
}

/// The resolved manual: all pages in all languages, numbered and cross-linked.
#[derive(Debug, Clone)]
pub struct Manual {
    pub pages: Vec<Page>,
    pub languages: Vec<Language>,
    /// `(lang, key)` → page.
    pub by_key: FxHashMap<(String, String), PageId>,
    /// The language the others are translated from.
    pub source_language: String,
    /// Which variant of the manual this is (the default one, or the only one, when
    /// `tejun.toml` declares no variants).
    pub edition: Edition,
}

/// One combination of variant values, and where its manual goes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edition {
    /// `(dimension, value)` for each dimension, in `tejun.toml`'s order.
    pub values: Vec<(String, String)>,
    /// The folder inside the output: `""` for the default combination, else its
    /// values other than the defaults joined with `_`, and a `/` (`chrome/`).
    pub prefix: String,
}

impl Edition {
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.values.iter().map(|(d, v)| (d.as_str(), v.as_str())).collect()
    }

    /// `browser=chrome`, for messages; `browser=edge role=user` with two dimensions.
    pub fn describe(&self) -> String {
        let pairs: Vec<String> = self.values.iter().map(|(d, v)| format!("{d}={v}")).collect();
        pairs.join(" ")
    }
}

/// One language edition of the manual.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub title: String,
    pub home: Option<PageId>,
    /// Chapters and pages below the home page.
    pub toc: Vec<TocNode>,
    /// Every page in reading order (home first), for previous/next.
    pub reading_order: Vec<PageId>,
}

impl Manual {
    /// Where a page's HTML goes inside the output folder: `ja/certificates/obtain.html`,
    /// `chrome/ja/certificates/obtain.html` in a variant's manual.
    pub fn page_path(&self, page: &Page) -> String {
        format!("{}{}/{}", self.edition.prefix, page.lang, page.html_path())
    }

    /// A language's home page: `ja/index.html`.
    pub fn home_path(&self, lang: &str) -> String {
        format!("{}{lang}/index.html", self.edition.prefix)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The same page in another language, if it was written.
    pub fn translation(&self, page: PageId, lang: &str) -> Option<PageId> {
        let key = self.pages[page].key.clone();
        self.by_key.get(&(lang.to_string(), key)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::ruby_annotation;

    #[test]
    fn ruby_annotations_are_told_from_other_tags() {
        for (html, expected) in [
            ("<rt>", Some(true)),
            ("</rt>", Some(false)),
            ("<RP>", Some(true)),
            ("</rp >", Some(false)),
            ("<rt class=\"kana\">", Some(true)),
            ("<ruby>", None),
            ("</ruby>", None),
            ("<rtc>", None),
            ("<r>", None),
            ("<b>", None),
            ("<!-- rt -->", None),
            ("<", None),
        ] {
            assert_eq!(ruby_annotation(html), expected, "{html}");
        }
    }
}
