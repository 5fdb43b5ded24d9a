//! Stage 3, parse: the text of one Markdown file → one [`Page`], with no I/O.
//!
//! The page's front matter is the `+++` block at the very top; every later `+++` block
//! starts a step whose body runs to the next step, the next heading of level ≤ 2, or
//! the end. Level-2 headings start sections. Numbers and references are left to
//! `resolve`, which sees the whole manual.

mod autolink;
mod confluence;
pub mod containers;
mod docfx;
pub(crate) mod html_pictures;
pub mod html_tables;
mod hugo;
mod liquid;
pub mod markdown;
pub mod mkdocs_nav;
pub mod pandoc_tables;
mod plain_toml;
mod shortcodes;
pub mod summary;
mod typed_notes;
pub mod wikilinks;
mod yaml_front;
mod zenn;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use self::containers::Admonition;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{
    AlertKind, Block, Callout, Condition, ConditionTerm, Fold, Footnote, FrontMatter, FrontSyntax, Heading, Image,
    Inline, Length, Page, PageKind, Region, RequestedSize, Section, Span, Step, VariantBlock,
};
use crate::source::FileId;
use markdown::TopItem;

const PAGE_KEYS: &[&str] = &["title", "weight", "description", "source", "draft", "only"];
const STEP_KEYS: &[&str] =
    &["id", "title", "image", "width", "caption", "alt", "result", "source", "only", "callouts", "redact"];

// The other generators' keys at the end are read and never used.
#[allow(dead_code)]
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<String>,
    weight: Option<i64>,
    description: Option<String>,
    source: Option<Spanned<String>>,
    /// Hugo's and Zola's: a draft is left out of the build, as there.
    draft: Option<bool>,
    /// `only = { role = "admin" }`: the page is in those variants' manuals only.
    only: Option<Spanned<OnlyTable>>,
    // What Hugo and Zola pages carry besides: accepted so that their pages build as
    // they are, and not used. Any other key is still a typo to report.
    date: Option<IgnoredAny>,
    lastmod: Option<IgnoredAny>,
    updated: Option<IgnoredAny>,
    #[serde(rename = "publishDate")]
    publish_date: Option<IgnoredAny>,
    tags: Option<IgnoredAny>,
    categories: Option<IgnoredAny>,
    keywords: Option<IgnoredAny>,
    aliases: Option<IgnoredAny>,
    slug: Option<IgnoredAny>,
    url: Option<IgnoredAny>,
    author: Option<IgnoredAny>,
    authors: Option<IgnoredAny>,
    summary: Option<IgnoredAny>,
    toc: Option<IgnoredAny>,
    layout: Option<IgnoredAny>,
    template: Option<IgnoredAny>,
    #[serde(rename = "linkTitle")]
    link_title: Option<IgnoredAny>,
    menu: Option<IgnoredAny>,
    images: Option<IgnoredAny>,
    params: Option<IgnoredAny>,
    extra: Option<IgnoredAny>,
    taxonomies: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    title: Spanned<String>,
    image: Option<Spanned<String>>,
    /// How wide the image shows: `"60%"`, `"300px"`, `"80mm"`, or pixels, `300`.
    width: Option<Spanned<toml::Value>>,
    caption: Option<Spanned<String>>,
    alt: Option<String>,
    result: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    /// `only = { browser = "chrome" }` or `{ browser = ["edge", "chrome"] }`.
    only: Option<Spanned<OnlyTable>>,
    /// `callouts = [{ box = [x, y, w, h] }, { at = [x, y] }]`.
    callouts: Option<Vec<Spanned<RawCallout>>>,
    /// `redact = [[x, y, w, h], …]`.
    redact: Option<Vec<Spanned<[f64; 4]>>>,
}

/// An `only` table as written: dimension → a value or a list of values.
type OnlyTable = std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>;

impl RawFrontMatter {
    /// Front matter of plain lines ([`plain_toml`]); `None` for what needs TOML.
    fn from_plain(entries: Vec<plain_toml::Entry>) -> Option<RawFrontMatter> {
        let (mut title, mut weight, mut description, mut source) = (None, None, None, None);
        for plain_toml::Entry { key, value, span } in entries {
            match (key, value) {
                ("title", plain_toml::Value::Text(text)) => title = Some(text.into_owned()),
                ("weight", plain_toml::Value::Integer(number)) => weight = Some(number),
                ("description", plain_toml::Value::Text(text)) => description = Some(text.into_owned()),
                ("source", plain_toml::Value::Text(text)) => source = Some(Spanned::new(span, text.into_owned())),
                _ => return None,
            }
        }
        Some(RawFrontMatter { title, weight, description, source, ..RawFrontMatter::default() })
    }
}

impl RawStep {
    /// A step block of plain lines ([`plain_toml`]); `None` for what needs TOML.
    fn from_plain(entries: Vec<plain_toml::Entry>) -> Option<RawStep> {
        let mut texts: [Option<Spanned<String>>; 7] = Default::default();
        for plain_toml::Entry { key, value, span } in entries {
            let plain_toml::Value::Text(text) = value else { return None };
            let slot = ["id", "title", "image", "caption", "alt", "result", "source"].iter().position(|k| *k == key)?;
            texts[slot] = Some(Spanned::new(span, text.into_owned()));
        }
        let [id, title, image, caption, alt, result, source] = texts;
        Some(RawStep {
            id: id?,
            title: title?,
            image,
            width: None,
            caption,
            alt: alt.map(Spanned::into_inner),
            result,
            source,
            only: None,
            callouts: None,
            redact: None,
        })
    }
}

/// A front matter or step block: read as plain lines when `from_plain` takes them,
/// else by the TOML parser, which also words the errors.
fn read_block<T: serde::de::DeserializeOwned>(
    block: &str,
    from_plain: fn(Vec<plain_toml::Entry>) -> Option<T>,
) -> Result<T, toml::de::Error> {
    match plain_toml::read(block).and_then(from_plain) {
        Some(raw) => Ok(raw),
        None => toml::from_str(block),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCallout {
    #[serde(rename = "box")]
    rect: Option<[f64; 4]>,
    at: Option<[f64; 2]>,
}

/// Where a page file sits in the manual, as `load` worked it out from its name.
#[derive(Debug, Clone)]
pub struct PageInfo {
    pub file: FileId,
    pub key: String,
    pub lang: String,
    pub kind: PageKind,
}

/// Parses one page. Problems are returned as diagnostics; the page is returned
/// whenever its front matter could be read, so one run reports every problem.
pub fn parse_page(text: &str, info: PageInfo) -> (Option<Page>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // YAML's `---` lines would be a rule and a heading to Markdown: the body is read
    // with the block blanked, every offset where it is in the file.
    let yaml = yaml_front::block(text);
    let blanked = yaml.as_ref().map(|span| blank(text, span));
    let body = blanked.as_deref().unwrap_or(text);
    let items = markdown::top_level_items(body, info.file, &mut diagnostics);
    let mut items = items.into_iter().peekable();
    let front = match (&yaml, items.peek()) {
        (Some(span), _) => yaml_front_matter(text, span, info.file, &mut diagnostics),
        (None, Some(TopItem::Meta(span))) if span.start == 0 => {
            let span = span.clone();
            items.next();
            parse_front_matter(text, info.file, span, &mut diagnostics)
        }
        // An unclosed block at the top has been reported as such already.
        _ if markdown::starts_with_fence(text, 0) => None,
        _ => Some(Front { syntax: FrontSyntax::Absent, ..Front::default() }),
    };
    let mut items: Vec<TopItem> = items.collect();
    let front = front.map(|front| titled(front, body, &info, &mut items, &mut diagnostics));
    let section_sizes = steps_per_section(&items);
    let mut assembler = Assembler::new(body, info.file, section_sizes, &mut diagnostics);
    for item in items {
        assembler.item(item);
    }
    let Assembled { mut intro, mut sections, footnotes, div_classes } = assembler.finish();
    for_each_top_level_list(&mut intro, &mut sections, |blocks| *blocks = confluence::macros(std::mem::take(blocks)));
    let page = front.map(|front| Page {
        file: info.file,
        key: info.key,
        lang: info.lang,
        kind: info.kind,
        front,
        stale_since: None,
        intro,
        sections,
        footnotes,
        div_classes,
        html_assets: Vec::new(),
        embedded_images: Vec::new(),
    });
    (page, diagnostics)
}

/// Whether raw HTML is tags only, with nothing to read between them (`<div
/// id="page">`, `</div>`, an icon's empty `<span>`).
fn html_shows_nothing(html: &str) -> bool {
    html.split('<').all(|piece| piece.split_once('>').map_or(piece, |(_, after)| after).trim().is_empty())
}

/// Calls `f` with the page's introduction, each section's and each step's body.
fn for_each_top_level_list(intro: &mut Vec<Block>, sections: &mut [Section], mut f: impl FnMut(&mut Vec<Block>)) {
    f(intro);
    for section in sections {
        f(&mut section.intro);
        section.steps.iter_mut().for_each(|step| f(&mut step.body));
    }
}

/// What a page's front matter says, its title perhaps not yet known.
#[derive(Default)]
struct Front {
    title: Option<String>,
    weight: Option<i64>,
    description: Option<String>,
    source: Option<(String, Span)>,
    only: Option<Condition>,
    span: Span,
    syntax: FrontSyntax,
}

/// The front matter with its title: the one it names, else the page's first
/// heading when the page starts with a `# heading` (taken out of the body, as
/// mdBook, MkDocs and Obsidian take it), else the file's name, with a warning.
fn titled(
    front: Front,
    text: &str,
    info: &PageInfo,
    items: &mut Vec<TopItem>,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    // Pandoc wraps a page saved as HTML in plain divs (fenced, or raw HTML in GitHub's
    // Markdown): the heading inside them is still the first thing the page shows.
    let first = items
        .iter()
        .position(|item| match item {
            TopItem::OpenAdmonition(Admonition::Div, _) | TopItem::DivClass(..) => false,
            TopItem::Block(Block::Html(html)) => !html_shows_nothing(html),
            _ => true,
        })
        .unwrap_or(0);
    // Its text without markup: Google Docs writes every heading bold (`# **手順**`).
    let first_heading = match items.get(first) {
        Some(TopItem::Heading { level: 1, span, content, .. }) => {
            let plain = markdown::plain_text(content);
            Some(if plain.trim().is_empty() { heading_text(text, span) } else { plain.trim().to_string() })
        }
        _ => None,
    };
    // A first heading that repeats the title (Docusaurus and MkDocs pages often
    // have both) is the title once.
    if first_heading.is_some() && (front.title.is_none() || front.title == first_heading) {
        items.remove(first);
    }
    let title = front.title.or(first_heading);
    let title = title.unwrap_or_else(|| {
        let name = info.key.rsplit('/').next().filter(|name| !name.is_empty()).unwrap_or("index").to_string();
        diagnostics.push(
            Diagnostic::warning(
                "missing-title",
                format!("the page has no title; it is titled `{name}` after its file"),
            )
            .at(info.file, front.span.start..front.span.start)
            .with_hint("start the page with a heading, `# The page's title`, or give front matter a `title`"),
        );
        name
    });
    FrontMatter {
        title,
        weight: front.weight,
        description: front.description,
        source: front.source,
        only: front.only,
        span: front.span,
        syntax: front.syntax,
    }
}

/// A heading's text as written, without its `#` marks and `{#id}`: `# 手順 {#steps}`
/// is `手順`; a setext heading's first line.
fn heading_text(text: &str, span: &Span) -> String {
    let line = text[span.clone()].lines().next().unwrap_or_default().trim();
    let line = line.trim_start_matches('#').trim();
    let line = line.trim_end_matches('#').trim_end();
    let line = match line.rfind(" {") {
        Some(at) if line.ends_with('}') => line[..at].trim_end(),
        _ => line,
    };
    line.to_string()
}

/// `text` with the bytes of `span` spaces, its line breaks kept.
fn blank(text: &str, span: &Span) -> String {
    let mut blanked = String::with_capacity(text.len());
    blanked.push_str(&text[..span.start]);
    blanked.extend(text[span.clone()].bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
    blanked.push_str(&text[span.end..]);
    blanked
}

/// A page's YAML front matter; `None` when it cannot be read or the page is a draft.
fn yaml_front_matter(text: &str, span: &Span, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Option<Front> {
    let read = yaml_front::read(text, span, file).map_err(|error| diagnostics.push(error)).ok()?;
    if read.draft {
        diagnostics.push(draft_warning(file, span.start..span.start + 3, "draft: true"));
        return None;
    }
    Some(Front {
        title: read.title,
        weight: read.weight,
        description: read.description,
        source: read.source,
        only: read.only,
        span: span.clone(),
        syntax: FrontSyntax::Yaml,
    })
}

fn draft_warning(file: FileId, span: Span, written: &str) -> Diagnostic {
    Diagnostic::warning("draft-page", format!("this page is a draft (`{written}`) and is left out of the build"))
        .at(file, span)
        .with_hint(format!("remove `{written}` to publish it; pages linking to it meanwhile are errors"))
}

/// The TOML between a block's fences, and its offset in the file.
fn block_content<'t>(text: &'t str, span: &Span) -> (usize, &'t str) {
    let block = &text[span.clone()];
    let content_start = block.find('\n').map_or(block.len(), |i| i + 1);
    let closing = block.trim_end().rfind('\n').map_or(block.len(), |i| i + 1);
    let content_end = closing.max(content_start);
    (span.start + content_start, &block[content_start..content_end])
}

fn parse_front_matter(text: &str, file: FileId, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Option<Front> {
    let (offset, toml_text) = block_content(text, &span);
    match read_block(toml_text, RawFrontMatter::from_plain) {
        Ok(raw) if raw.draft == Some(true) => {
            diagnostics.push(draft_warning(file, span.start..span.start + 3, "draft = true"));
            None
        }
        Ok(raw) => Some(Front {
            title: raw.title.filter(|title| !title.trim().is_empty()),
            weight: raw.weight,
            description: raw.description,
            source: raw.source.map(|source| {
                let value = offset + source.span().start..offset + source.span().end;
                (source.into_inner(), value)
            }),
            only: raw.only.map(|only| condition(only, toml_text, offset, file, diagnostics)),
            span,
            syntax: FrontSyntax::Toml,
        }),
        Err(err) => {
            diagnostics.push(diagnostic::from_toml_error(&err, file, offset, PAGE_KEYS, "the page's front matter"));
            None
        }
    }
}

/// The condition an `only` table writes, a step's or a page's: `{ browser = "chrome" }`,
/// each key a dimension, each value one value or a list of them (`{ browser = ["edge",
/// "chrome"] }`). `offset` is where the TOML block `toml_text` starts in the file.
fn condition(
    only: Spanned<OnlyTable>,
    toml_text: &str,
    offset: usize,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Condition {
    let mut condition = Condition::default();
    let at = |span: std::ops::Range<usize>| offset + span.start..offset + span.end;
    for (dimension, value) in only.into_inner() {
        let value_span = at(value.span());
        let written = &toml_text[value.span()];
        let values: Option<Vec<(String, Span)>> = match value.into_inner() {
            toml::Value::String(one) => Some(vec![(one, value_span.clone())]),
            toml::Value::Array(many) => many
                .into_iter()
                .map(|v| {
                    let v = v.as_str()?.to_string();
                    let quoted = written
                        .find(&format!("\"{v}\""))
                        .map_or(value_span.clone(), |i| value_span.start + i + 1..value_span.start + i + 1 + v.len());
                    Some((v, quoted))
                })
                .collect(),
            _ => None,
        };
        let Some(values) = values else {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-variant-mark",
                    format!("`only.{}` is not a value or a list of values", dimension.get_ref()),
                )
                .at(file, value_span)
                .with_hint(format!(
                    "write only = {{ {0} = \"chrome\" }} or only = {{ {0} = [\"edge\", \"chrome\"] }}",
                    dimension.get_ref()
                )),
            );
            continue;
        };
        let dimension_span = at(dimension.span());
        condition.terms.push(ConditionTerm { dimension: dimension.into_inner(), dimension_span, values });
    }
    condition
}

/// An alert whose title (when it has one) leads its blocks in bold, as the title
/// of a GitHub alert written `> **題**` does. A note typed in it first (a Word
/// style 注意 over 【注意】…) is the alert, not a note in it.
fn titled_alert(kind: AlertKind, title: String, mut blocks: Vec<Block>, fold: Fold) -> Block {
    if (title.is_empty() || AlertKind::named(&title).is_some()) && typed_notes::open_first(&mut blocks) {
        return Block::Alert { kind, blocks, fold };
    }
    if !title.is_empty() {
        blocks.insert(0, Block::Paragraph(vec![Inline::Strong(vec![Inline::Text(title)])]));
    }
    Block::Alert { kind, blocks, fold }
}

/// A closed container's blocks: a variant's, as one; an admonition's as an alert
/// whose title (when it has one) leads in bold (folded, for MkDocs' `???`); a folded
/// one (`:::details`, `{dropdown}`) and a content tab as raw HTML around its blocks
/// (`<details>`, `<div class="tabbed-block">`), which the HTML keeps together and
/// print and search read.
fn container_blocks((container, admonition): (VariantBlock, Option<Admonition>)) -> Vec<Block> {
    match admonition {
        None => vec![Block::Variant(Box::new(container))],
        Some(Admonition::Alert(kind, title)) => vec![titled_alert(kind, title, container.blocks, Fold::None)],
        Some(Admonition::FoldedAlert { kind, title, fold }) => vec![titled_alert(kind, title, container.blocks, fold)],
        Some(Admonition::Details { title, open }) => {
            let open = if open { " open" } else { "" };
            let opening = format!("<details{open}><summary>{}</summary>\n", html_text(&title));
            wrapped(opening, container.blocks, "</details>\n")
        }
        Some(Admonition::Tab { label, selected, first, last, .. }) => {
            let set = if first { "<div class=\"tabbed-set\">\n" } else { "" };
            let selected = if selected { " tabbed-selected" } else { "" };
            let opening = format!(
                "{set}<div class=\"tabbed-block{selected}\"><p class=\"tabbed-label\"><strong>{}</strong></p>\n",
                html_text(&label)
            );
            wrapped(opening, container.blocks, if last { "</div>\n</div>\n" } else { "</div>\n" })
        }
        Some(Admonition::CodeGroup) => code_group(container.blocks),
        Some(Admonition::Callout(kind)) => {
            let mut blocks = container.blocks;
            if let Some(Block::Paragraph(inlines)) = blocks.first_mut()
                && let Some(Inline::Text(text)) = inlines.first_mut()
            {
                drop_leading_icon(text);
            }
            vec![Block::Alert { kind, blocks, fold: Fold::None }]
        }
        Some(Admonition::Div) => container.blocks,
        Some(Admonition::Expand) => {
            let mut blocks = container.blocks;
            let title = match blocks.first() {
                Some(Block::Paragraph(inlines) | Block::Plain(inlines)) => {
                    markdown::plain_text(inlines).trim().to_string()
                }
                _ => String::new(),
            };
            if !title.is_empty() {
                blocks.remove(0);
            }
            let container = VariantBlock { condition: container.condition, blocks, span: container.span };
            container_blocks((container, Some(Admonition::Details { title, open: false })))
        }
        Some(Admonition::CodeTitle(title)) => {
            let mut blocks = container.blocks;
            for block in &mut blocks {
                if let (Block::Code(code), false) = (block, title.is_empty()) {
                    code.title = Some(title.clone());
                }
            }
            blocks
        }
    }
}

/// Takes the emoji a Notion callout starts with (💡, ⚠️) off `text`: the alert's
/// kind says it, and fonts for print seldom have it.
fn drop_leading_icon(text: &mut String) {
    let Some(first) = text.chars().next() else { return };
    let mut end = first.len_utf8();
    if text[end..].starts_with('\u{fe0f}') {
        end += '\u{fe0f}'.len_utf8();
    }
    if emojis::get(&text[..end]).or_else(|| emojis::get(&text[..first.len_utf8()])).is_some() {
        let rest = text[end..].trim_start().len();
        text.drain(..text.len() - rest);
    }
}

/// VitePress' code group: one set of tabs, a tab for each code block under the
/// name on its fence (else its language), what follows a block inside its tab.
fn code_group(blocks: Vec<Block>) -> Vec<Block> {
    let mut tabs: Vec<(String, Vec<Block>)> = Vec::new();
    let mut before = Vec::new();
    for block in blocks {
        match block {
            Block::Code(mut code) => {
                let label =
                    code.title.take().or_else(|| code.lang.clone()).unwrap_or_else(|| (tabs.len() + 1).to_string());
                tabs.push((label, vec![Block::Code(code)]));
            }
            other => match tabs.last_mut() {
                Some((_, tab)) => tab.push(other),
                None => before.push(other),
            },
        }
    }
    let count = tabs.len();
    for (index, (label, blocks)) in tabs.into_iter().enumerate() {
        let tab =
            Admonition::Tab { label, selected: false, new_set: false, first: index == 0, last: index + 1 == count };
        let container = VariantBlock { condition: Condition::default(), blocks, span: 0..0 };
        before.extend(container_blocks((container, Some(tab))));
    }
    before
}

fn wrapped(opening: String, blocks: Vec<Block>, closing: &str) -> Vec<Block> {
    let mut all = Vec::with_capacity(blocks.len() + 2);
    all.push(Block::Html(opening));
    all.extend(blocks);
    all.push(Block::Html(closing.to_string()));
    all
}

fn html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// What [`Assembler`] made of a page's items, for its [`Page`].
struct Assembled {
    intro: Vec<Block>,
    sections: Vec<Section>,
    footnotes: Vec<Footnote>,
    div_classes: Vec<(String, Span)>,
}

/// Groups top-level items into the page introduction, sections and steps.
struct Assembler<'a> {
    text: &'a str,
    file: FileId,
    /// From [`steps_per_section`], for each section as it opens.
    section_sizes: std::vec::IntoIter<usize>,
    diagnostics: &'a mut Vec<Diagnostic>,
    intro: Vec<Block>,
    sections: Vec<Section>,
    section: Option<Section>,
    step: Option<Step>,
    /// The current step block failed to parse: its body is dropped with it.
    skipping_step: bool,
    /// Containers opened and not yet closed, innermost last: variant containers, and
    /// admonitions (with their kind and title) from other tools.
    containers: Vec<(VariantBlock, Option<Admonition>)>,
    footnotes: Vec<Footnote>,
    div_classes: Vec<(String, Span)>,
    /// Plain Pandoc divs closed where a section or step started, whose `:::` lines
    /// are still to come ([`Assembler::close_containers`]).
    divs_closed_early: usize,
}

impl<'a> Assembler<'a> {
    fn new(text: &'a str, file: FileId, section_sizes: Vec<usize>, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Assembler {
            text,
            file,
            section_sizes: section_sizes.into_iter(),
            diagnostics,
            intro: Vec::new(),
            sections: Vec::new(),
            section: None,
            step: None,
            skipping_step: false,
            containers: Vec::new(),
            footnotes: Vec::new(),
            div_classes: Vec::new(),
            divs_closed_early: 0,
        }
    }

    fn item(&mut self, item: TopItem) {
        match item {
            TopItem::Heading { level, id, content, span, condition } if level <= 2 => {
                self.close_containers("section");
                self.close_section(span.start);
                self.section = Some(Section {
                    heading: Some(Heading { content, span }),
                    only: condition,
                    anchor: id,
                    intro: Vec::new(),
                    steps: Vec::with_capacity(self.section_sizes.next().unwrap_or(0)),
                });
            }
            TopItem::Heading { level, content, id, span, condition } => {
                if condition.is_some() {
                    let line = containers::first_line(self.text, &span);
                    self.diagnostics.push(containers::nested_mark(self.file, line, "heading"));
                }
                self.block(Block::Heading { level, content, id })
            }
            TopItem::Meta(span) => {
                self.close_containers("step");
                self.close_step(span.start);
                self.step = self.parse_step(span);
                self.skipping_step = self.step.is_none();
            }
            TopItem::Block(block) => self.block(block),
            TopItem::Footnote(footnote) => self.footnotes.push(footnote),
            TopItem::DivClass(class, span) => self.div_classes.push((class, span)),
            TopItem::Open(condition, span) => {
                self.containers.push((VariantBlock { condition, blocks: Vec::new(), span }, None))
            }
            TopItem::OpenAdmonition(admonition, span) => {
                let container = VariantBlock { condition: Condition::default(), blocks: Vec::new(), span };
                self.containers.push((container, Some(admonition)))
            }
            TopItem::Close(span) => match self.containers.pop() {
                Some(container) => container_blocks(container).into_iter().for_each(|block| self.block(block)),
                None if self.divs_closed_early > 0 => self.divs_closed_early -= 1,
                None => self.diagnostics.push(
                    Diagnostic::error("unmatched-container-end", "this `:::` closes no container")
                        .at(self.file, span)
                        .with_hint("open the container before it with a line such as `::: browser=chrome`, or remove this line"),
                ),
            },
        }
    }

    /// Containers left open where a step or section starts (or the page ends) are
    /// errors; their blocks stay where they were written.
    ///
    /// A plain Pandoc div ([`Admonition::Div`]) is closed without a word: Pandoc
    /// wraps whole pages in them (a page saved as HTML, its `<div id="content">`
    /// around every heading), and they show nothing of their own. Their `:::` lines
    /// are then passed over when they come.
    fn close_containers(&mut self, before: &str) {
        while let Some(container) = self.containers.pop() {
            if let (_, Some(Admonition::Div | Admonition::Expand)) = container {
                self.divs_closed_early += 1;
                container_blocks(container).into_iter().for_each(|block| self.block(block));
                continue;
            }
            self.diagnostics.push(
                Diagnostic::error("unclosed-container", "this container is never closed")
                    .at(self.file, container.0.span.clone())
                    .with_hint(format!(
                        "end it with a line `:::` before the next {before}; a whole step is marked with \
                         `only = {{ … }}` in its block, a whole section with `{{…}}` after its heading"
                    )),
            );
            container_blocks(container).into_iter().for_each(|block| self.block(block));
        }
    }

    fn block(&mut self, block: Block) {
        if let Some((container, _)) = self.containers.last_mut() {
            container.blocks.push(block);
            return;
        }
        if let Some(step) = &mut self.step {
            step.body.push(block);
        } else if self.skipping_step {
        } else if let Some(section) = &mut self.section {
            section.intro.push(block);
        } else {
            self.intro.push(block);
        }
    }

    fn parse_step(&mut self, span: Span) -> Option<Step> {
        let (offset, toml_text) = block_content(self.text, &span);
        let raw = match read_block(toml_text, RawStep::from_plain) {
            Ok(raw) => raw,
            Err(err) => {
                self.diagnostics.push(diagnostic::from_toml_error(
                    &err,
                    self.file,
                    offset,
                    STEP_KEYS,
                    "the step block",
                ));
                return None;
            }
        };
        let id_span = offset + raw.id.span().start..offset + raw.id.span().end;
        let id = raw.id.into_inner();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            let suggestion = slug(&id);
            self.diagnostics.push(
                Diagnostic::error("invalid-step-id", format!("step id `{id}` may only use a-z, 0-9 and -"))
                    .at(self.file, id_span.clone())
                    .with_hint(if suggestion.is_empty() {
                        "name the step in lowercase ASCII, e.g. id = \"select-certificate\"".to_string()
                    } else {
                        format!("write id = \"{suggestion}\"")
                    }),
            );
        }
        let width = raw.width.and_then(|width| self.image_width(width, offset, raw.image.is_some()));
        let image = raw.image.map(|src| {
            let span = offset + src.span().start..offset + src.span().end;
            Image {
                src: src.into_inner(),
                alt: raw.alt.clone().unwrap_or_default(),
                title: String::new(),
                span,
                asset: None,
                size: None,
                published: None,
                requested: RequestedSize { width, height: None },
                from_html: false,
                frame: None,
            }
        });
        let only = raw.only.map(|only| condition(only, toml_text, offset, self.file, self.diagnostics));
        let at = |span: std::ops::Range<usize>| offset + span.start..offset + span.end;
        let region = |[x, y, width, height]: [f64; 4], span| Region { x, y, width, height, span };
        let mut callouts = Vec::new();
        for callout in raw.callouts.unwrap_or_default() {
            let span = at(callout.span());
            match callout.into_inner() {
                RawCallout { rect: Some(rect), at: None } => callouts.push(Callout::Box(region(rect, span))),
                RawCallout { rect: None, at: Some([x, y]) } => callouts.push(Callout::Point { x, y, span }),
                _ => self.diagnostics.push(
                    Diagnostic::error("invalid-callout", "a callout is either a box or a point")
                        .at(self.file, span)
                        .with_hint("write { box = [x, y, width, height] } or { at = [x, y] }, in the image's pixels"),
                ),
            }
        }
        let redact = raw
            .redact
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let span = at(r.span());
                region(r.into_inner(), span)
            })
            .collect();
        let body_start = span.end;
        let (title, title_inlines) = self.inline_value(raw.title, toml_text, offset);
        let (caption, caption_inlines) = self.optional_inline_value(raw.caption, toml_text, offset);
        let (result, result_inlines) = self.optional_inline_value(raw.result, toml_text, offset);
        Some(Step {
            id,
            title,
            title_inlines,
            image: image.map(Box::new),
            caption,
            caption_inlines,
            result,
            result_inlines,
            alt: raw.alt,
            source: raw.source.map(|source| {
                let span = offset + source.span().start..offset + source.span().end;
                (source.into_inner(), span)
            }),
            body_span: body_start..body_start,
            stale_since: None,
            body: Vec::new(),
            only,
            callouts,
            redact,
            span,
            id_span,
            number: 0,
            figure_number: None,
        })
    }

    /// A step's `width` as a length; a warning at it, and `None`, when it is none
    /// or the step has no image for it to size.
    fn image_width(&mut self, width: Spanned<toml::Value>, offset: usize, has_image: bool) -> Option<Length> {
        let span = offset + width.span().start..offset + width.span().end;
        let length = match width.get_ref() {
            toml::Value::String(text) => Length::read(text),
            toml::Value::Integer(pixels) if *pixels > 0 => Some(Length::Pixels(*pixels as f64)),
            _ => None,
        };
        let problem = match (length, has_image) {
            (None, _) => "is no width tejun reads",
            (Some(_), false) => "sizes the step's image, and this step has none",
            (Some(length), true) => return Some(length),
        };
        self.diagnostics.push(
            Diagnostic::warning("invalid-width", format!("`width` {problem}"))
                .at(self.file, span)
                .with_hint("give the step an `image`, and its width as pixels (300 or \"300px\"), a share of the page (\"60%\") or a length (\"80mm\", \"3in\")"),
        );
        None
    }

    /// A step field written in inline Markdown: its plain text and its inlines.
    /// References in it are reported at their place in the file (exactly when the
    /// TOML string has no escapes before them).
    fn inline_value(&mut self, value: Spanned<String>, toml_text: &str, offset: usize) -> (String, Vec<Inline>) {
        let span = value.span();
        let quotes = toml_text[span.clone()].chars().take_while(|&c| c == '"' || c == '\'').count();
        let text = value.into_inner();
        let inlines = markdown::inline_markdown(&text, self.file, offset + span.start + quotes, self.diagnostics);
        (markdown::plain_text(&inlines), inlines)
    }

    fn optional_inline_value(
        &mut self,
        value: Option<Spanned<String>>,
        toml_text: &str,
        offset: usize,
    ) -> (Option<String>, Option<Vec<Inline>>) {
        match value {
            Some(value) => {
                let (text, inlines) = self.inline_value(value, toml_text, offset);
                (Some(text), Some(inlines))
            }
            None => (None, None),
        }
    }

    /// Ends the current step; its body's Markdown runs to `body_end`.
    fn close_step(&mut self, body_end: usize) {
        self.skipping_step = false;
        let Some(mut step) = self.step.take() else { return };
        step.body_span.end = body_end.max(step.body_span.start);
        mark_substeps(&mut step.body);
        let section_sizes = &mut self.section_sizes;
        self.section
            .get_or_insert_with(|| Section {
                heading: None,
                only: None,
                anchor: "steps".to_string(),
                intro: Vec::new(),
                steps: Vec::with_capacity(section_sizes.next().unwrap_or(0)),
            })
            .steps
            .push(step);
    }

    fn close_section(&mut self, body_end: usize) {
        self.close_step(body_end);
        if let Some(section) = self.section.take() {
            self.sections.push(section);
        }
    }

    fn finish(mut self) -> Assembled {
        self.close_containers("step or section");
        self.close_section(self.text.len());
        Assembled {
            intro: self.intro,
            sections: self.sections,
            footnotes: self.footnotes,
            div_classes: self.div_classes,
        }
    }
}

/// How many steps each section of the page will hold, in order, counting the steps
/// before the first section heading as a section when there are any: a step is
/// large (600 bytes), and growing a section's list as its steps came copied them
/// over and over. Only the lists' first sizes depend on this, never what they hold.
fn steps_per_section(items: &[TopItem]) -> Vec<usize> {
    let mut sizes = vec![0];
    for item in items {
        match item {
            TopItem::Meta(span) if span.start == 0 => {} // the page's front matter
            TopItem::Meta(_) => *sizes.last_mut().expect("one at least") += 1,
            TopItem::Heading { level, .. } if *level <= 2 => sizes.push(0),
            _ => {}
        }
    }
    if sizes[0] == 0 {
        sizes.remove(0); // no section is made for no steps
    }
    sizes
}

/// Ordered lists directly in a step's body (or in a variant container there) are
/// its sub-steps.
fn mark_substeps(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::List(list) => list.substeps = list.start.is_some(),
            Block::Variant(variant) => mark_substeps(&mut variant.blocks),
            _ => {}
        }
    }
}

/// A step id the writer probably meant: lowercase ASCII with hyphens.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    fn parse(text: &str) -> (Option<Page>, Vec<Diagnostic>) {
        parse_page(text, PageInfo { file: 0, key: "p".into(), lang: "ja".into(), kind: PageKind::Procedure })
    }

    const PAGE: &str = "+++\ntitle = \"証明書\"\nweight = 10\n+++\n\nはじめに。\n\n## ログイン\n\n説明。\n\n+++\nid = \"open\"\ntitle = \"開きます\"\nimage = \"images/open.svg\"\nalt = \"画面\"\n+++\n\n1. 選択します。\n2. **OK** をクリックします。\n\n+++\nid = \"allow\"\ntitle = \"許可します\"\nresult = \"表示されます。\"\n+++\n\n[](step:open) に戻る。\n\n## 取得\n\n+++\nid = \"get\"\ntitle = \"取得します\"\n+++\n";

    #[test]
    fn each_section_s_steps_are_allocated_once_at_their_size() {
        let steps = |ids: &[&str]| -> String {
            ids.iter().map(|id| format!("+++\nid = \"{id}\"\ntitle = \"T\"\n+++\n\nBody.\n\n")).collect()
        };
        let bodies = [
            // Steps before the first heading, a heading below the section level among
            // steps, a section without steps.
            format!(
                "{}## S\n\n{}### Not a section\n\n{}## Empty\n\nText.\n\n# Also a section\n\n{}",
                steps(&["a", "b"]),
                steps(&["c", "d", "e"]),
                steps(&["f"]),
                steps(&["g", "h", "i", "j", "k"])
            ),
            format!("Intro.\n\n## S\n\n{}", steps(&["a", "b", "c"])),
        ];
        for body in bodies {
            let (page, diagnostics) = parse(&format!("+++\ntitle = \"P\"\n+++\n\n{body}"));
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            let sizes: Vec<(usize, usize)> =
                page.unwrap().sections.iter().map(|s| (s.steps.len(), s.steps.capacity())).collect();
            assert!(sizes.iter().all(|(len, capacity)| len == capacity), "{sizes:?}");
            assert!(sizes.iter().map(|(len, _)| len).sum::<usize>() >= 3, "{sizes:?}");
        }
    }

    #[test]
    fn front_matter_sections_and_steps() {
        let (page, diagnostics) = parse(PAGE);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let page = page.unwrap();
        assert_eq!(page.front.title, "証明書");
        assert_eq!(page.front.weight, Some(10));
        assert_eq!(page.intro.len(), 1);
        assert_eq!(page.sections.len(), 2);
        assert_eq!(page.sections[0].anchor, "ログイン", "GitHub's id for the heading");
        assert_eq!(page.sections[1].anchor, "取得");
        assert_eq!(page.sections[0].intro.len(), 1);
        let ids: Vec<_> = page.steps().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["open", "allow", "get"]);
        let open = page.find_step("open").unwrap();
        assert_eq!(open.image.as_ref().unwrap().src, "images/open.svg");
        assert_eq!(open.image.as_ref().unwrap().alt, "画面");
        let Block::List(list) = &open.body[0] else { panic!() };
        assert!(list.substeps);
        assert_eq!(page.find_step("allow").unwrap().result.as_deref(), Some("表示されます。"));
    }

    #[test]
    fn step_spans_point_into_the_file() {
        let (page, _) = parse(PAGE);
        let page = page.unwrap();
        let allow = page.find_step("allow").unwrap();
        assert!(PAGE[allow.span.clone()].starts_with("+++\nid = \"allow\""));
        assert_eq!(&PAGE[allow.id_span.clone()], "\"allow\"");
        let Block::Paragraph(inlines) = &allow.body[0] else { panic!() };
        let Inline::Ref(r) = &inlines[0] else { panic!() };
        assert_eq!(&PAGE[r.span.clone()], "[](step:open)");
    }

    #[test]
    fn unknown_step_key_is_reported_in_file_coordinates() {
        let text = "+++\ntitle = \"x\"\n+++\n\n+++\nid = \"a\"\ntitel = \"x\"\n+++\n";
        let (_, diagnostics) = parse(text);
        let d = &diagnostics[0];
        assert_eq!(d.code, "unknown-key");
        assert!(d.hint.as_deref().unwrap().contains("did you mean `title`"));
        assert!(text[d.span.clone().unwrap()].starts_with("titel"));
    }

    #[test]
    fn invalid_toml_position_counts_from_the_file_start() {
        let text = "+++\ntitle = \"x\"\n+++\n\n+++\nid = \"a\ntitle = \"y\"\n+++\n";
        let (_, diagnostics) = parse(text);
        let d = &diagnostics[0];
        assert_eq!(d.code, "invalid-toml");
        assert!(d.span.clone().unwrap().start >= text.find("id =").unwrap());
    }

    #[test]
    fn unterminated_blocks_are_errors_at_their_fence() {
        let (page, diagnostics) = parse("+++\ntitle = \"x\"\n");
        assert!(page.is_none());
        assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["unterminated-block"]);
        let text = "+++\ntitle = \"x\"\n+++\n\nIntro.\n\n+++\nid = \"a\"\ntitle = \"t\"\n\nbody\n";
        let (_, diagnostics) = parse(text);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "unterminated-block");
        assert_eq!(diagnostics[0].span, Some(29..32));
        assert_eq!(&text[29..32], "+++");
    }

    #[test]
    fn titles_without_front_matter_and_bad_ids() {
        let (page, diagnostics) = parse("# ログイン **手順** {#login}\n\n本文。\n\n## 準備\n");
        let page = page.unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(page.front.title, "ログイン 手順", "its text, without markup");
        assert_eq!(page.front.syntax, FrontSyntax::Absent);
        assert_eq!(page.intro.len(), 1, "the heading is the title, not a section");
        assert_eq!(page.sections.len(), 1);
        let (page, diagnostics) = parse("+++\nweight = 2\n+++\n\nTitle\n=====\n\nText.\n");
        assert_eq!((page.unwrap().front.title.as_str(), diagnostics.len()), ("Title", 0), "a setext heading");
        let (page, diagnostics) = parse("本文だけ。\n\n# 後の見出し\n");
        assert_eq!(diagnostics[0].code, "missing-title");
        assert_eq!(page.unwrap().sections.len(), 1, "a heading after text is a section");
        let (page, _) = parse("---\ntitle: 設定\nsidebar_position: 4\n---\n\n# 見出し\n\n本文。\n");
        let page = page.unwrap();
        assert_eq!((page.front.title.as_str(), page.front.weight), ("設定", Some(4)));
        assert_eq!(page.front.syntax, FrontSyntax::Yaml);
        assert_eq!(page.sections.len(), 1, "with a title, the first heading is a section");
        let (page, _) = parse("---\ntitle: 設定\n---\n\n# 設定\n\n本文。\n");
        assert_eq!(page.unwrap().sections.len(), 0, "a heading that repeats the title is the title");
        let (_, diagnostics) = parse("+++\ntitle = \"x\"\n+++\n\n+++\nid = \"Select Cert\"\ntitle = \"t\"\n+++\n");
        assert_eq!(diagnostics[0].code, "invalid-step-id");
        assert!(diagnostics[0].hint.as_deref().unwrap().contains("select-cert"));
    }

    #[test]
    fn steps_before_any_heading_get_an_untitled_section() {
        let (page, _) = parse("+++\ntitle = \"x\"\n+++\n\n+++\nid = \"a\"\ntitle = \"t\"\n+++\n\nbody\n");
        let page = page.unwrap();
        assert!(page.sections[0].heading.is_none());
        assert_eq!(page.sections[0].steps[0].body.len(), 1);
    }
}
