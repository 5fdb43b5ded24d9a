//! Markdown events → the model's blocks and inlines.
//!
//! pulldown-cmark's event stream is folded into a tree with an explicit stack rather
//! than recursion, and containers nested deeper than [`MAX_DEPTH`] are flattened into
//! their parent, so no input — 10,000 nested quotes included — can overflow the
//! stack here or in the renderers that walk the tree later.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};

use crate::diagnostic::Diagnostic;
use crate::model::{
    AlertKind, Align, Block, CodeBlock, Condition, DefinitionItem, Figure, Footnote, Image, Inline, Length, Link, List,
    ListItem, RefKind, Reference, RequestedSize, Span, Table, TableCaption, ruby_annotation,
};
use crate::parse::html_pictures::{html_figure, html_image, html_paragraph, unwrapped};
use crate::parse::{autolink, containers, shortcodes, typed_notes};
use crate::source::{ByteSet, FileId, first_of};

/// Containers deeper than this are merged into their parent.
pub const MAX_DEPTH: usize = 48;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
}

/// What the document holds at its top level: the places where sections and steps
/// begin, and the blocks in between.
#[derive(Debug)]
pub enum TopItem {
    /// A `+++` block; the span covers both fences.
    Meta(Span),
    Heading {
        level: u8,
        /// `{#id}` as written, else GitHub's id for the heading's text, unique in
        /// the page.
        id: String,
        content: Vec<Inline>,
        span: Span,
        /// `{browser=chrome}` at the end of the heading.
        condition: Option<Condition>,
    },
    Block(Block),
    /// A `::: browser=chrome` line: the blocks up to its `:::` are only for that.
    Open(Condition, Span),
    /// A `:::note`, `:::warning 題`, `:::details 題` line (another tool's
    /// admonition): the blocks up to its `:::` are an alert or folded away.
    OpenAdmonition(containers::Admonition, Span),
    /// The `:::` line that ends the innermost open container.
    Close(Span),
    /// The class of a Pandoc div written `::: section`, and where, just before the
    /// div's [`TopItem::OpenAdmonition`].
    DivClass(String, Span),
    /// A footnote's definition, wherever it was written (at the end of the page
    /// usually, but inside a list or a quote too).
    Footnote(Footnote),
}

/// The warning for a Hugo shortcode or a Liquid tag (GitBook, Jekyll) tejun does
/// not read, which shows as written.
fn unread_template(file: FileId, span: &Span, name: &str, liquid: bool) -> Diagnostic {
    let (code, what, reads) = match liquid {
        false => (
            "hugo-shortcode",
            format!("Hugo's shortcode `{name}`"),
            "Hugo's notice, hint, alert, callout, admonition, details, tabs, tab, ref, relref and figure",
        ),
        true => (
            "liquid-tag",
            format!("the tag `{{% {name} %}}`"),
            "GitBook's hint, tabs, tab, code, content-ref, embed and file, and Jekyll's highlight and raw",
        ),
    };
    Diagnostic::warning(code, format!("{what} is not run by tejun, and shows as written"))
        .at(file, span.clone())
        .with_hint(format!("write it in Markdown (an image, a link) or raw HTML; tejun reads {reads}"))
}

pub fn top_level_items(text: &str, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Vec<TopItem> {
    let prepared = containers::prepare(text);
    for (span, name) in &prepared.unread_shortcodes {
        diagnostics.push(unread_template(file, span, name, text[span.clone()].starts_with("{%")));
    }
    if let Some((opening, closing)) = containers::unclosed_comment(text) {
        diagnostics.push(
            Diagnostic::warning(
                "unclosed-comment",
                "this comment is never closed, so everything after it to the end of the page is hidden",
            )
            .at(file, opening)
            .with_hint(format!("close it with `{closing}` where the comment should end")),
        );
    }
    let mut spare = Spare::default();
    let scripts = memchr::memchr2(b'^', b'~', prepared.text.as_bytes()).is_some();
    let root = Frame::new(Kind::Root, &mut spare, scripts);
    let mut builder = Builder {
        text,
        file,
        stack: vec![root],
        spare,
        items: Vec::new(),
        diagnostics,
        heading_ids: HashSet::new(),
        addresses: autolink::may_hold_addresses(&prepared.text),
        shortcodes: shortcodes::may_hold_shortcodes(&prepared.text),
        highlights: memchr::memmem::find(prepared.text.as_bytes(), b"==").is_some(),
        scripts,
        footnotes: HashMap::new(),
        footnote_definitions: Vec::new(),
    };
    for (event, range) in Parser::new_ext(&prepared.text, options()).into_offset_iter() {
        match event {
            Event::Rule if let Some(fence) = prepared.fence_at(range.start) => builder.container_line(fence),
            _ => builder.event(event, prepared.original(range)),
        }
    }
    let footnotes = builder.footnotes();
    attach_table_captions(&mut builder.items, TopItem::block_mut);
    typed_notes::read(&mut builder.items, TopItem::block_mut);
    builder.items.extend(footnotes);
    builder.items
}

impl TopItem {
    fn block_mut(&mut self) -> Option<&mut Block> {
        match self {
            TopItem::Block(block) => Some(block),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Kind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
        attrs: Vec<(String, Option<String>)>,
    },
    Quote(Option<BlockQuoteKind>),
    Code {
        lang: Option<String>,
        title: Option<String>,
        fenced: bool,
        /// MyST's `{code-block}`: its options open the code.
        directive: bool,
    },
    Html,
    List {
        start: Option<u64>,
    },
    Item,
    Table(Vec<Align>),
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    Link {
        dest: String,
        title: String,
    },
    Image {
        dest: String,
        title: String,
    },
    Meta,
    /// A footnote's definition: its label.
    Footnote(String),
    /// A definition list, its terms and their definitions.
    Definitions,
    DefinitionTerm,
    DefinitionDetails,
    /// Too deep, or a construct we show as its content only (super/subscript).
    Transparent,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    text: String,
    items: Vec<ListItem>,
    cells: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    head: Vec<Vec<Inline>>,
    checked: Option<bool>,
    definitions: Vec<DefinitionItem>,
    /// Whether the page may have Pandoc's `^superscript^` or `~subscript~`.
    scripts: bool,
}

/// The vectors of closed frames, emptied, for the frames opened next. A page opens
/// thousands of frames; each growing its vectors from nothing and handing them to the
/// model with room to spare (four inlines' room for one) made the parsed manual an
/// eighth larger, and every later pass over it slower.
#[derive(Default)]
struct Spare {
    blocks: Vec<Vec<Block>>,
    inlines: Vec<Vec<Inline>>,
    items: Vec<Vec<ListItem>>,
}

/// `buffer`'s elements in a vector of their number, `buffer` emptied with its room
/// kept: the copy is the point, so not `mem::take`.
#[allow(clippy::drain_collect)]
fn exact<T>(buffer: &mut Vec<T>) -> Vec<T> {
    buffer.drain(..).collect()
}

impl Frame {
    fn new(kind: Kind, spare: &mut Spare, scripts: bool) -> Self {
        Frame {
            kind,
            blocks: spare.blocks.pop().unwrap_or_default(),
            inlines: spare.inlines.pop().unwrap_or_default(),
            text: String::new(),
            items: spare.items.pop().unwrap_or_default(),
            cells: Vec::new(),
            rows: Vec::new(),
            head: Vec::new(),
            checked: None,
            definitions: Vec::new(),
            scripts,
        }
    }

    /// Inline content collected so far becomes a tight paragraph before a block.
    fn flush_inlines(&mut self) {
        if !self.inlines.is_empty() {
            self.scripts_to_tags();
            let inlines = exact(&mut self.inlines);
            self.blocks.push(block_from_inlines(inlines, false));
        }
    }

    /// Its vectors made exact for the model, their buffers kept in `spare`. Inline
    /// content before the end of a quote or item becomes its last block first.
    fn finish(&mut self, spare: &mut Spare) {
        self.scripts_to_tags();
        if matches!(self.kind, Kind::Quote(_) | Kind::Item | Kind::Footnote(_) | Kind::DefinitionDetails) {
            self.flush_inlines();
        }
        fn keep<T>(spare: &mut Vec<Vec<T>>, buffer: &mut Vec<T>) {
            if buffer.capacity() > 0 {
                let exact = if buffer.is_empty() { Vec::new() } else { exact(buffer) };
                spare.push(std::mem::replace(buffer, exact));
            }
        }
        attach_table_captions(&mut self.blocks, |block| Some(block));
        typed_notes::read(&mut self.blocks, |block| Some(block));
        // Inside a GitHub alert (`> [!WARNING]`), 【危険】 is its title, not a note in it.
        if matches!(self.kind, Kind::Quote(Some(_))) {
            typed_notes::open_first(&mut self.blocks);
        }
        keep(&mut spare.blocks, &mut self.blocks);
        keep(&mut spare.inlines, &mut self.inlines);
        keep(&mut spare.items, &mut self.items);
    }

    /// Pandoc's `^superscript^` and `~subscript~` in the runs of text so far, once
    /// they are whole ([`scripted`]). Asked of every frame, most on pages without.
    #[inline(always)]
    fn scripts_to_tags(&mut self) {
        if self.scripts {
            self.split_scripts();
        }
    }

    fn split_scripts(&mut self) {
        let mut at = 0;
        while at < self.inlines.len() {
            let pieces = match &self.inlines[at] {
                Inline::Text(text) => scripted(text),
                _ => Vec::new(),
            };
            at += match pieces.len() {
                0 => 1,
                n => {
                    self.inlines.splice(at..=at, pieces);
                    n
                }
            };
        }
    }

    fn push_block(&mut self, block: Block) {
        self.flush_inlines();
        self.blocks.push(block);
    }

    fn push_inline(&mut self, inline: Inline) {
        if let (Inline::Text(new), Some(Inline::Text(last))) = (&inline, self.inlines.last_mut()) {
            last.push_str(new);
            return;
        }
        self.inlines.push(inline);
    }
}

/// What a closed frame hands to its parent.
enum Output {
    Block(Block),
    Inline(Inline),
    Item(ListItem),
    Definition(DefinitionItem),
    Cell(Vec<Inline>),
    Row(Vec<Vec<Inline>>),
    Head(Vec<Vec<Inline>>),
    Top(TopItem),
    /// A flattened container's content.
    Spill(Vec<Block>, Vec<Inline>),
    Nothing,
}

struct Builder<'d> {
    text: &'d str,
    file: FileId,
    stack: Vec<Frame>,
    spare: Spare,
    items: Vec<TopItem>,
    diagnostics: &'d mut Vec<Diagnostic>,
    /// Heading ids given so far.
    heading_ids: HashSet<String>,
    /// Whether the page may hold web addresses written as text, to link.
    addresses: bool,
    /// Whether the page may hold emoji shortcodes (`:warning:`).
    shortcodes: bool,
    /// Whether the page may have `==highlighted==` text.
    highlights: bool,
    /// Whether the page may have Pandoc's `^superscript^` or `~subscript~`.
    scripts: bool,
    /// Footnote labels (lowercased) and their numbers, in the order first referred to.
    footnotes: HashMap<String, u32>,
    /// Footnotes defined, as (label, content), in the order written.
    footnote_definitions: Vec<(String, Vec<Block>)>,
}

/// GitHub's anchor for a heading (as github-slugger makes it): lowercase, spaces to
/// `-`, punctuation and symbols dropped, letters of every script kept.
pub fn github_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// A one-line value written in Markdown (a step's title, caption or result), as
/// inline content; `offset` is where `text` starts in the file, so that references
/// in it are reported at their place. Text that Markdown would read as a block (a
/// list, a heading) stays as written.
pub fn inline_markdown(text: &str, file: FileId, offset: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<Inline> {
    // Most titles are plain words: a Markdown parser for each of thousands of them
    // costs more than all the rest of parsing their pages.
    if is_plain_text(text) {
        return vec![Inline::Text(text.to_string())];
    }
    parsed_inline_markdown(text, file, offset, diagnostics)
}

/// Whether Markdown reads `text` as exactly itself, in one paragraph: nothing in it
/// can start markup, a block or an entity, and nothing is trimmed or replaced.
fn is_plain_text(text: &str) -> bool {
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else { return false };
    !first.is_whitespace()
        && !last.is_whitespace()
        && !first.is_ascii_digit()
        && !matches!(first, '-' | '+')
        && !has_markup_or_control(text.as_bytes())
}

/// Whether `text` has a character that can start markup (`*`, `[`, `<` …), a control
/// character or `://` (an autolink). Every such character is ASCII or, for the C1
/// controls, 0xC2 and a second byte, and thousands of titles are asked.
fn has_markup_or_control(text: &[u8]) -> bool {
    let mut from = 0;
    while let Some(found) = first_of(&text[from..], MARKUP_OR_CONTROL) {
        let at = from + found;
        let starts_markup = match text[at] {
            0xC2 => matches!(text.get(at + 1), Some(0x80..=0x9F)),
            b':' => text[at + 1..].starts_with(b"//"),
            _ => true,
        };
        if starts_markup {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The bytes [`has_markup_or_control`] looks at: markup, controls, the C1 controls'
/// first byte and the colon of `://`.
const MARKUP_OR_CONTROL: ByteSet<21> = ByteSet { below: 0x20, needles: *b"\\`*_[]<>!&#~|$^{}=\x7F\xC2:" };

fn parsed_inline_markdown(text: &str, file: FileId, offset: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<Inline> {
    let mut found = Vec::new();
    let items = top_level_items(text, file, &mut found);
    let mut inlines = match <[TopItem; 1]>::try_from(items) {
        Ok([TopItem::Block(Block::Paragraph(inlines))]) => inlines,
        _ => return vec![Inline::Text(text.to_string())],
    };
    shift_spans(&mut inlines, offset);
    diagnostics.extend(found.into_iter().map(|mut d| {
        d.span = d.span.map(|span| span.start + offset..span.end + offset);
        d
    }));
    inlines
}

fn shift_spans(inlines: &mut [Inline], offset: usize) {
    let shift = |span: &mut Span| *span = span.start + offset..span.end + offset;
    for inline in inlines {
        match inline {
            Inline::Ref(reference) => {
                shift(&mut reference.span);
                shift_spans(&mut reference.content, offset);
            }
            Inline::Link(link) => {
                shift(&mut link.span);
                shift_spans(&mut link.content, offset);
            }
            Inline::Image(image) => shift(&mut image.span),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => shift_spans(c, offset),
            _ => {}
        }
    }
}

/// A fenced code block's language and the file it shows, from its info string as
/// the tools pages come from write them: ` ```ruby:app/user.rb ` (Qiita, Zenn),
/// ` ```js title="src/index.js" ` (Docusaurus, MkDocs), ` ```rust,name=mod.rs `
/// (Zola; `rust,linenos` is Rust), Zenn's ` ```diff_js ` (a diff of JavaScript,
/// highlighted as a diff), and MyST's ` ```{code-block} python `, whose options
/// (`:caption: app.py`) open the code and are read by [`directive_options`].
fn code_info(info: &str) -> (Option<String>, Option<String>, bool) {
    let info = info.trim();
    let directive =
        ["{code-block}", "{code}", "{sourcecode}", "{code-cell}"].iter().find_map(|name| info.strip_prefix(name));
    let info = directive.map_or(info, str::trim);
    if let Some((lang, title)) = directive.is_none().then(|| containers::pandoc_code_attributes(info)).flatten() {
        return (lang, title, false);
    }
    let first = info.split_whitespace().next().unwrap_or_default();
    let names_a_language = !first.split(',').next().unwrap_or_default().contains('=') && !first.starts_with('[');
    let (word, attributes) = if names_a_language { (first, &info[first.len()..]) } else { ("", info) };
    let mut pieces = word.split(',');
    let lang_piece = pieces.next().unwrap_or_default();
    let (lang, colon_title) = lang_piece.split_once(':').unwrap_or((lang_piece, ""));
    // VitePress' `ts:line-numbers` asks for line numbers; it names no file.
    let colon_title = match colon_title.split(['=', '{']).next() {
        Some("line-numbers" | "no-line-numbers") => "",
        _ => colon_title,
    };
    let lang = if lang.starts_with("diff_") { "diff" } else { lang };
    // Pandoc's `{.python}`, and a MyST directive tejun does not read (`{mermaid}`).
    let lang = lang.strip_prefix('{').and_then(|l| l.strip_suffix('}')).map_or(lang, |l| l.trim_start_matches('.'));
    // The lines VuePress and VitePress highlight, `js{4,7-9}`.
    let lang = lang.find(['{', '[']).filter(|&at| at > 0).map_or(lang, |at| &lang[..at]);
    // Most info strings are a bare language: no `=`, no attribute to look for.
    let title = Some(colon_title).filter(|t| !t.is_empty()).or_else(|| {
        info.contains('=').then(|| {
            pieces
                .find_map(|piece| attribute_value(piece, "name"))
                .or_else(|| ["title", "name", "filename"].iter().find_map(|key| attribute_value(attributes, key)))
        })?
    });
    // VitePress names a code group's block in brackets: ` ```sh [npm] `.
    let title = title.or_else(|| {
        let after_lang = &info[info.find(lang).map_or(0, |at| at + lang.len())..];
        let open = after_lang.find('[')?;
        after_lang[open + 1..].split_once(']').map(|(label, _)| label.trim())
    });
    let owned = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    (owned(lang), title.and_then(owned), directive.is_some())
}

/// A MyST code directive's code without the options that open it, and its
/// `:caption:` (the file it shows, as Sphinx prints it).
fn directive_options(code: &str) -> (&str, Option<String>) {
    let mut caption = None;
    let mut rest = code;
    while let Some(line) = rest.lines().next() {
        let Some((name, value)) = line.strip_prefix(':').and_then(|l| l.split_once(':')) else { break };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            break;
        }
        if name == "caption" {
            caption = Some(value.trim().to_string()).filter(|c| !c.is_empty());
        }
        rest = rest[line.len()..].strip_prefix('\n').unwrap_or_default();
    }
    // A blank line may part the options from the code.
    (rest.strip_prefix('\n').filter(|_| rest.len() < code.len()).unwrap_or(rest), caption)
}

/// The value of `key=value`, `key="a value"` or `key='a value'` among `attributes`.
fn attribute_value<'a>(attributes: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attributes;
    while let Some(at) = rest.find(key) {
        let before_is_boundary =
            rest[..at].chars().next_back().is_none_or(|c| c.is_whitespace() || c == ',' || c == '{');
        let after = &rest[at + key.len()..];
        if let (true, Some(value)) = (before_is_boundary, after.strip_prefix('=')) {
            return Some(match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..].split(quote).next().unwrap_or_default(),
                _ => value.split(|c: char| c.is_whitespace() || c == ',' || c == '}').next().unwrap_or_default(),
            });
        }
        rest = after;
    }
    None
}

/// Whether a fenced code block, as written (the span of its Start…End), ends with a
/// closing fence: a later line of only the opening fence's character, at least as
/// many (after the `>` and indentation of the quote or list it is in).
pub(super) fn fence_is_closed(block: &str) -> bool {
    let mut lines = block.trim_end_matches(['\n', '\r']).lines();
    let opening = lines.next().unwrap_or_default().trim_start();
    let Some(mark) = opening.chars().next() else { return false };
    let length = opening.chars().take_while(|&c| c == mark).count();
    let Some(last) = lines.last() else { return false };
    let last = last.trim_start_matches([' ', '\t', '>']).trim_end();
    last.chars().all(|c| c == mark) && last.chars().count() >= length
}

/// Whether a `+++` fence opens the text at `offset` (a block pulldown-cmark did not
/// see as one because it is never closed).
pub fn starts_with_fence(text: &str, offset: usize) -> bool {
    // Asked at most blocks' starts: most are not `+`.
    if !text.as_bytes()[offset..].starts_with(b"+++") {
        return false;
    }
    let line = text[offset..].lines().next().unwrap_or_default().trim_end();
    line.len() >= 3 && line.bytes().all(|b| b == b'+')
}

impl Builder<'_> {
    /// A container's opening or closing line, which must be at the top level.
    fn container_line(&mut self, fence: &containers::Fence) {
        if self.stack.len() > 1 {
            self.diagnostics.push(containers::nested_mark(self.file, fence.marks(), "container"));
            return;
        }
        let admonition = fence.admonition.clone().or_else(|| containers::admonition(&fence.line));
        let item = if fence.closing {
            TopItem::Close(fence.marks())
        } else if let Some(admonition) = admonition {
            TopItem::OpenAdmonition(admonition, fence.marks())
        } else if let Some((class, at)) = containers::bare_class(&fence.line) {
            let start = fence.span.start + at;
            if let Some(kind) = containers::misspelt_kind(class) {
                self.diagnostics.push(
                    Diagnostic::warning("unknown-note-kind", format!("`{class}` is no kind of note tejun knows"))
                        .at(self.file, start..start + class.len())
                        .with_hint(format!(
                            "did you mean `:::{kind}`? Otherwise it is a Pandoc div of class `{class}`, which \
                             shows its content as it is"
                        )),
                );
            }
            self.items.push(TopItem::DivClass(class.to_string(), start..start + class.len()));
            TopItem::OpenAdmonition(containers::class_div(class), fence.marks())
        } else {
            match containers::opening(&fence.line, fence.span.start, self.file, self.diagnostics) {
                Some(condition) => TopItem::Open(condition, fence.marks()),
                None => TopItem::Close(fence.marks()),
            }
        };
        self.items.push(item);
    }

    /// The heading's id: as written, or GitHub's, with `-1`, `-2` … for repeats.
    fn heading_id(&mut self, written: Option<String>, content: &[Inline]) -> String {
        let id = written.unwrap_or_else(|| {
            let base = github_id(&plain_text(content));
            let base = if base.is_empty() { "section".to_string() } else { base };
            let mut id = base.clone();
            let mut repeat = 0;
            while self.heading_ids.contains(&id) {
                repeat += 1;
                id = format!("{base}-{repeat}");
            }
            id
        });
        self.heading_ids.insert(id.clone());
        id
    }

    /// Running text, with the web addresses in it as links (outside links).
    fn text(&mut self, text: String, range: Span) {
        let addresses = autolink::find(&text);
        let in_link = || self.stack.iter().any(|frame| matches!(frame.kind, Kind::Link { .. } | Kind::Image { .. }));
        if addresses.is_empty() || in_link() {
            self.push_text(text);
            return;
        }
        let mut copied = 0;
        for (at, href) in addresses {
            if copied < at.start {
                self.push_text(text[copied..at.start].to_string());
            }
            let span = (range.start + at.start).min(range.end)..(range.start + at.end).min(range.end);
            self.top().push_inline(Inline::Link(Box::new(Link {
                dest: href,
                title: String::new(),
                content: vec![Inline::Text(text[at.clone()].to_string())],
                span,
                target: None,
                asset: None,
            })));
            copied = at.end;
        }
        if copied < text.len() {
            self.push_text(text[copied..].to_string());
        }
    }

    /// Running text, with the emoji its shortcodes name (`:warning:`) and its
    /// `==highlighted==` words.
    fn push_text(&mut self, text: String) {
        let text = match self.shortcodes.then(|| shortcodes::replaced(&text)) {
            Some(Cow::Owned(replaced)) => replaced,
            _ => text,
        };
        if self.highlights && text.contains("==") {
            for inline in highlighted(&text) {
                self.top().push_inline(inline);
            }
            return;
        }
        self.top().push_inline(Inline::Text(text));
    }

    /// The number of the footnote `label` names: the next one when it is new.
    /// Labels match without regard to case, as link labels do.
    fn footnote_number(&mut self, label: &str) -> u32 {
        let next = self.footnotes.len() as u32 + 1;
        *self.footnotes.entry(label.to_lowercase()).or_insert(next)
    }

    /// The footnotes defined, numbered: those referred to by their first reference,
    /// the others after them. A label defined twice keeps its first definition.
    fn footnotes(&mut self) -> Vec<TopItem> {
        let mut defined = HashSet::new();
        let definitions = std::mem::take(&mut self.footnote_definitions);
        let referred = self.footnotes.len() as u32;
        let mut footnotes: Vec<Footnote> = definitions
            .into_iter()
            .filter(|(label, _)| defined.insert(label.to_lowercase()))
            .map(|(label, blocks)| {
                let number = self.footnote_number(&label);
                Footnote { number, referred: number <= referred, blocks }
            })
            .collect();
        footnotes.sort_by_key(|footnote| footnote.number);
        footnotes.into_iter().map(TopItem::Footnote).collect()
    }

    fn top(&mut self) -> &mut Frame {
        self.stack.last_mut().expect("the root frame is never popped")
    }

    fn event(&mut self, event: Event<'_>, range: Span) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => self.end(range),
            Event::Text(text) => {
                if matches!(self.top().inlines.last(), Some(Inline::SoftBreak)) && starts_line_of_its_own(&text) {
                    *self.top().inlines.last_mut().expect("checked above") = Inline::HardBreak;
                }
                let (addresses, rewrites) = (self.addresses, self.shortcodes || self.highlights);
                match self.top().kind {
                    Kind::Code { .. } | Kind::Html | Kind::Meta => self.top().text.push_str(&text),
                    _ if addresses => self.text(text.into_string(), range),
                    _ if rewrites => self.push_text(text.into_string()),
                    _ => self.top().push_inline(Inline::Text(text.into_string())),
                }
            }
            Event::Code(code) => self.top().push_inline(Inline::Code(code.into_string())),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.top().push_inline(Inline::Code(math.into_string()))
            }
            Event::Html(html) => match self.top().kind {
                Kind::Html => self.top().text.push_str(&html),
                _ => self.top().push_block(Block::Html(html.into_string())),
            },
            Event::InlineHtml(html) => match html_image(&html, range) {
                Some(image) => self.top().push_inline(Inline::Image(Box::new(image))),
                None => self.top().push_inline(Inline::Html(html.into_string())),
            },
            Event::FootnoteReference(label) => {
                let number = self.footnote_number(&label);
                self.top().push_inline(Inline::FootnoteRef(number))
            }
            Event::SoftBreak => self.top().push_inline(Inline::SoftBreak),
            Event::HardBreak => self.top().push_inline(Inline::HardBreak),
            Event::Rule => self.deliver(Output::Block(Block::Rule)),
            Event::TaskListMarker(checked) => self.top().checked = Some(checked),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let kind = match tag {
            Tag::Paragraph => Kind::Paragraph,
            Tag::Heading { level, id, attrs, .. } => Kind::Heading {
                level: heading_level(level),
                id: id.map(|i| i.into_string()),
                attrs: attrs.into_iter().map(|(k, v)| (k.into_string(), v.map(|v| v.into_string()))).collect(),
            },
            Tag::BlockQuote(kind) => Kind::Quote(kind),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                let (lang, title, directive) = code_info(&info);
                Kind::Code { lang, title, fenced: true, directive }
            }
            Tag::CodeBlock(CodeBlockKind::Indented) => {
                Kind::Code { lang: None, title: None, fenced: false, directive: false }
            }
            Tag::HtmlBlock => Kind::Html,
            Tag::List(start) => Kind::List { start },
            Tag::Item => Kind::Item,
            Tag::Table(align) => Kind::Table(align.into_iter().map(convert_align).collect()),
            Tag::TableHead => Kind::TableHead,
            Tag::TableRow => Kind::TableRow,
            Tag::TableCell => Kind::TableCell,
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strikethrough,
            Tag::Link { dest_url, title, .. } => {
                Kind::Link { dest: dest_url.into_string(), title: title.into_string() }
            }
            Tag::Image { dest_url, title, .. } => {
                Kind::Image { dest: dest_url.into_string(), title: title.into_string() }
            }
            Tag::MetadataBlock(_) => Kind::Meta,
            Tag::FootnoteDefinition(label) => Kind::Footnote(label.into_string()),
            Tag::DefinitionList => Kind::Definitions,
            Tag::DefinitionListTitle => Kind::DefinitionTerm,
            Tag::DefinitionListDefinition => Kind::DefinitionDetails,
            Tag::Superscript | Tag::Subscript => Kind::Transparent,
        };
        let is_container = matches!(
            kind,
            Kind::Quote(_)
                | Kind::List { .. }
                | Kind::Item
                | Kind::Definitions
                | Kind::DefinitionDetails
                | Kind::Emphasis
                | Kind::Strong
                | Kind::Strikethrough
                | Kind::Link { .. }
        );
        let kind = if is_container && self.stack.len() > MAX_DEPTH { Kind::Transparent } else { kind };
        self.stack.push(Frame::new(kind, &mut self.spare, self.scripts));
    }

    fn end(&mut self, range: Span) {
        let frame = self.stack.pop().expect("every End follows a Start");
        let depth = self.stack.len();
        let output = self.close(frame, range, depth);
        self.deliver(output);
    }

    fn close(&mut self, mut frame: Frame, span: Span, depth: usize) -> Output {
        frame.finish(&mut self.spare);
        // A screenshot's size in a table's cell, or linked (`[![画面](a.png){width=50%}](a.png)`).
        if matches!(frame.kind, Kind::TableCell | Kind::Link { .. }) {
            take_image_attributes(&mut frame.inlines);
        }
        match frame.kind {
            Kind::Root => Output::Nothing,
            // Asked of every paragraph: its length tells first.
            Kind::Paragraph if span.len() <= 12 && is_contents_marker(&self.text[span.clone()]) => Output::Nothing,
            Kind::Paragraph => {
                if starts_with_fence(self.text, span.start) {
                    let fence_end = span.start + self.text[span.start..].find('\n').unwrap_or(span.len());
                    self.diagnostics.push(if depth == 1 {
                        Diagnostic::error("unterminated-block", "this `+++` block is never closed")
                            .at(self.file, span.start..fence_end)
                            .with_hint("end the TOML with a line `+++`, followed by an empty line")
                    } else {
                        nested_step(self.file, span.start..fence_end)
                    });
                }
                if is_word_contents_line(&frame.inlines) {
                    return Output::Nothing;
                }
                Output::Block(block_from_inlines(frame.inlines, true))
            }
            Kind::Heading { level, id, attrs } => {
                let id = self.heading_id(id, &frame.inlines);
                let condition = containers::heading_condition(self.text, &span, &attrs, self.file, self.diagnostics);
                if depth == 1 {
                    Output::Top(TopItem::Heading { level, id, content: frame.inlines, span, condition })
                } else {
                    if condition.is_some() {
                        let line = containers::first_line(self.text, &span);
                        self.diagnostics.push(containers::nested_mark(self.file, line, "heading"));
                    }
                    Output::Block(Block::Heading { level, content: frame.inlines, id })
                }
            }
            // Nothing left of it: Word's contents, indented a level.
            Kind::Quote(None) if frame.blocks.is_empty() && frame.inlines.is_empty() => Output::Nothing,
            Kind::Quote(kind) => Output::Block(match kind.and_then(alert_kind) {
                Some(kind) => {
                    Block::Alert { kind, blocks: frame.blocks, fold: containers::quote_fold(self.text, &span) }
                }
                None => Block::Quote(frame.blocks),
            }),
            Kind::Code { lang, title, fenced, directive } => {
                // A fence tejun wrote for another tool's mark (Jekyll's `{% highlight %}`) closes.
                let written = self.text[span.clone()].trim_start().starts_with(['`', '~']);
                if fenced && written && !fence_is_closed(&self.text[span.clone()]) {
                    let opening = span.start..span.start + self.text[span.clone()].find('\n').unwrap_or(span.len());
                    let rest = if depth == 1 { "the page" } else { "the list item or quote" };
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "unclosed-code-fence",
                            format!("this code block is never closed, so everything after it to the end of {rest} is shown as code"),
                        )
                        .at(self.file, opening)
                        .with_hint("close it with a line of the same fence (``` or ~~~), at least as long as this one"),
                    );
                }
                let (code, title) = match directive {
                    true => {
                        let (code, caption) = directive_options(&frame.text);
                        (code.to_string(), title.or(caption))
                    }
                    false => (frame.text, title),
                };
                Output::Block(Block::Code(Box::new(CodeBlock { lang, title, code })))
            }
            // Raw HTML that shows a picture is read as Markdown's would be, so that the
            // PDFs print it: a `<figure>` with its caption; `<img src="a.png"
            // width="320">` alone, or in a `<p>` or `<div>` of its own, an image alone
            // in its paragraph (a figure); running text with pictures, a paragraph.
            Kind::Html => {
                let html = &frame.text;
                let read = html_figure(html, span.start)
                    .map(|figure| Block::Figure(Box::new(figure)))
                    .or_else(|| {
                        let image = html_image(unwrapped(html), span.clone())?;
                        Some(block_from_inlines(vec![Inline::Image(Box::new(image))], true))
                    })
                    .or_else(|| html_paragraph(html, span.start).map(|inlines| block_from_inlines(inlines, true)));
                Output::Block(read.unwrap_or(Block::Html(frame.text)))
            }
            Kind::Footnote(label) => {
                self.footnote_definitions.push((label, frame.blocks));
                Output::Nothing
            }
            Kind::List { start } => Output::Block(Block::List(List { start, substeps: false, items: frame.items })),
            Kind::Item => Output::Item(ListItem { checked: frame.checked, blocks: frame.blocks }),
            Kind::Definitions => Output::Block(Block::Definitions(frame.definitions)),
            Kind::DefinitionTerm => {
                Output::Definition(DefinitionItem { term: true, blocks: vec![Block::Plain(frame.inlines)] })
            }
            Kind::DefinitionDetails => Output::Definition(DefinitionItem { term: false, blocks: frame.blocks }),
            Kind::Table(align) => Output::Block(Block::Table(Box::new(Table {
                align,
                head: frame.head,
                rows: frame.rows,
                caption: None,
            }))),
            // A header of empty cells is none: GitHub's tables must have one, and the
            // tables read from other tools' marks without one get it empty.
            Kind::TableHead => Output::Head(if frame.cells.iter().all(Vec::is_empty) { vec![] } else { frame.cells }),
            Kind::TableRow => Output::Row(frame.cells),
            Kind::TableCell => Output::Cell(frame.inlines),
            Kind::Emphasis => Output::Inline(Inline::Emphasis(frame.inlines)),
            Kind::Strong => Output::Inline(Inline::Strong(frame.inlines)),
            Kind::Strikethrough => Output::Inline(Inline::Strikethrough(frame.inlines)),
            Kind::Link { dest, title } => match parse_reference(&dest) {
                Some(Ok((kind, page, id, range_end))) => Output::Inline(Inline::Ref(Box::new(Reference {
                    kind,
                    page,
                    id,
                    range_end,
                    content: frame.inlines,
                    span,
                    target: None,
                }))),
                Some(Err(problem)) => {
                    self.diagnostics.push(
                        Diagnostic::error("invalid-reference", problem.0).at(self.file, span).with_hint(problem.1),
                    );
                    Output::Spill(Vec::new(), frame.inlines)
                }
                None => Output::Inline(Inline::Link(Box::new(Link {
                    dest,
                    title,
                    content: frame.inlines,
                    span,
                    target: None,
                    asset: None,
                }))),
            },
            Kind::Image { dest, title } => {
                let (alt, requested) = obsidian_size(plain_text(&frame.inlines));
                Output::Inline(Inline::Image(Box::new(Image {
                    src: dest,
                    alt: written_alt(alt),
                    title,
                    span,
                    asset: None,
                    size: None,
                    published: None,
                    requested,
                    from_html: false,
                    frame: None,
                })))
            }
            Kind::Meta if depth == 1 => Output::Top(TopItem::Meta(span)),
            Kind::Meta => {
                self.diagnostics.push(nested_step(self.file, span));
                Output::Nothing
            }
            Kind::Transparent => {
                let mut blocks = frame.blocks;
                let inlines = frame.inlines;
                if !frame.items.is_empty() {
                    blocks.extend(frame.items.into_iter().flat_map(|i| i.blocks));
                }
                blocks.extend(frame.definitions.into_iter().flat_map(|d| d.blocks));
                Output::Spill(blocks, inlines)
            }
        }
    }

    /// The block delivered last at the level being read, when nothing has been
    /// written after it: what a caption next to it belongs to.
    fn last_block(&mut self) -> Option<&mut Block> {
        if self.stack.len() == 1 {
            return match self.items.last_mut() {
                Some(TopItem::Block(block)) => Some(block),
                _ => None,
            };
        }
        let frame = self.top();
        if frame.inlines.is_empty() { frame.blocks.last_mut() } else { None }
    }

    /// Whether `block` is the caption a writer typed under the figure just before it
    /// (`図 3 ログイン画面`, as Word users do), now that figure's caption.
    fn captions_figure_before(&mut self, block: &Block) -> bool {
        let Some(text) = caption_text(block) else { return false };
        let Some(Block::Figure(figure)) = self.last_block() else { return false };
        if figure.caption.is_some() {
            return false;
        }
        let Some(caption) = typed_caption(&text) else { return false };
        figure.caption = (!caption.is_empty()).then(|| caption.to_string());
        true
    }

    fn deliver_block(&mut self, block: Block, at_root: bool) {
        if at_root {
            self.items.push(TopItem::Block(block));
        } else {
            self.top().push_block(block);
        }
    }

    fn deliver(&mut self, output: Output) {
        let at_root = self.stack.len() == 1;
        match output {
            Output::Nothing => {}
            Output::Top(item) => self.items.push(item),
            Output::Block(block) if self.captions_figure_before(&block) => {}
            Output::Block(block) => self.deliver_block(block, at_root),
            Output::Inline(inline) => self.top().push_inline(inline),
            Output::Item(item) => {
                let parent = self.top();
                if matches!(parent.kind, Kind::List { .. }) {
                    parent.items.push(item);
                } else {
                    for block in item.blocks {
                        self.deliver(Output::Block(block));
                    }
                }
            }
            Output::Definition(item) => {
                let parent = self.top();
                if matches!(parent.kind, Kind::Definitions) {
                    parent.definitions.push(item);
                } else {
                    for block in item.blocks {
                        self.deliver(Output::Block(block));
                    }
                }
            }
            Output::Cell(cell) => self.top().cells.push(cell),
            Output::Row(row) => self.top().rows.push(row),
            Output::Head(head) => self.top().head = head,
            Output::Spill(blocks, inlines) => {
                for block in blocks {
                    self.deliver(Output::Block(block));
                }
                for inline in inlines {
                    self.top().push_inline(inline);
                }
            }
        }
    }
}

/// Whether a paragraph is only the mark other tools replace with a table of
/// contents (`[TOC]` in Python-Markdown and Backlog, `[[_TOC_]]` in GitLab and Azure
/// DevOps, `[[toc]]` in VuePress, `${toc}` in Typora): tejun shows the page's own
/// contents, so the mark goes.
fn is_contents_marker(paragraph: &str) -> bool {
    let paragraph = paragraph.trim();
    paragraph.len() <= 9
        && ["[toc]", "[[_toc_]]", "[[toc]]", "${toc}"].iter().any(|mark| paragraph.eq_ignore_ascii_case(mark))
}

/// Whether a paragraph is a line of the table of contents Word wrote into the
/// document, as Pandoc brings it: links to Word's `_Toc` bookmarks, each a
/// heading's number, text and page (`[2.1 証明書の取得 7](#_Toc1563)`). Every page
/// has its own contents, and the page numbers were Word's. A link to a bookmark
/// without a page number (`[付録へ](#_Toc1234)`) is a cross-reference.
fn is_word_contents_line(inlines: &[Inline]) -> bool {
    let ends_with_page = |link: &Link| {
        let text = plain_text(&link.content);
        let text = text.trim_end();
        let number = text.trim_end_matches(|c: char| c.is_ascii_digit());
        number.len() < text.len() && number.ends_with(char::is_whitespace)
    };
    let mut links = 0;
    for inline in inlines {
        match inline {
            Inline::Link(link) if link.dest.starts_with("#_Toc") && ends_with_page(link) => links += 1,
            Inline::SoftBreak | Inline::HardBreak => {}
            Inline::Text(text) if text.trim().is_empty() => {}
            _ => return false,
        }
    }
    links > 0
}

fn nested_step(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error("nested-step", "a `+++` step block cannot be inside a list or quote")
        .at(file, span)
        .with_hint("start the step block at the beginning of a line, outside lists and quotes")
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn convert_align(align: Alignment) -> Align {
    match align {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn alert_kind(kind: BlockQuoteKind) -> Option<AlertKind> {
    Some(match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    })
}

/// Running text with its `==highlighted==` words (Obsidian, Typora, MkDocs' mark)
/// as `<mark>`: a `==` opens before a character that is not a space or `=`, and
/// the next `==` after one closes, neither inside an ASCII word.
fn highlighted(text: &str) -> Vec<Inline> {
    let mut inlines = Vec::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(open) = text[from..].find("==").map(|at| from + at) {
        let content_start = open + 2;
        // Not inside an ASCII word (`a==b`); Japanese has no spaces to ask for.
        let opens = text[content_start..].chars().next().is_some_and(|c| !c.is_whitespace() && c != '=')
            && !text[..open].ends_with(|c: char| c == '=' || c.is_ascii_alphanumeric());
        let close =
            opens.then(|| text[content_start..].find("==").map(|at| content_start + at)).flatten().filter(|&close| {
                !text[..close].ends_with(char::is_whitespace)
                    && !text[close + 2..].starts_with(|c: char| c == '=' || c.is_ascii_alphanumeric())
            });
        let Some(close) = close else {
            from = content_start;
            continue;
        };
        push_tagged(&mut inlines, &text[copied..open], "mark", &text[content_start..close]);
        copied = close + 2;
        from = copied;
    }
    if copied < text.len() {
        inlines.push(Inline::Text(text[copied..].to_string()));
    }
    inlines
}

/// The text `before` a marked run, then `content` inside the HTML element `tag`.
fn push_tagged(inlines: &mut Vec<Inline>, before: &str, tag: &str, content: &str) {
    if !before.is_empty() {
        inlines.push(Inline::Text(before.to_string()));
    }
    inlines.push(Inline::Html(format!("<{tag}>")));
    inlines.push(Inline::Text(content.to_string()));
    inlines.push(Inline::Html(format!("</{tag}>")));
}

/// `text` with Pandoc's `^superscript^` and `~subscript~` (as Pandoc writes Word's:
/// `m^2^`, `手数料^※1^`, `H~2~O`) as `<sup>` and `<sub>`, which the HTML, the PDFs and
/// search then show as they show those tags written as HTML; empty when it has
/// none. As in Pandoc, a script holds no space. A superscript holds a letter, a
/// digit or a character that is not ASCII (not `^_^`); a subscript only ASCII
/// letters, digits, `+` and `-`, so that times and ranges written with `~`
/// (`9:00~17:00、10:00~15:00`) stay as written. `~text~` that GitHub strikes through
/// is struck through before this sees it.
fn scripted(text: &str) -> Vec<Inline> {
    let mut inlines = Vec::new();
    let (mut copied, mut from) = (0, 0);
    while let Some(open) = memchr::memchr2(b'^', b'~', &text.as_bytes()[from..]).map(|at| from + at) {
        let mark = text.as_bytes()[open];
        let content_start = open + 1;
        let close = memchr::memchr(mark, &text.as_bytes()[content_start..]).map(|at| content_start + at);
        let script = close.filter(|&close| {
            let content = &text[content_start..close];
            let alone = !text[..open].ends_with(char::from(mark)) && !text[close + 1..].starts_with(char::from(mark));
            alone
                && !content.is_empty()
                && match mark {
                    b'^' => {
                        !content.contains(char::is_whitespace)
                            && content.chars().any(|c| c.is_alphanumeric() || !c.is_ascii())
                    }
                    _ => content.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-'),
                }
        });
        let Some(close) = script else {
            from = content_start;
            continue;
        };
        let tag = if mark == b'^' { "sup" } else { "sub" };
        push_tagged(&mut inlines, &text[copied..open], tag, &text[content_start..close]);
        copied = close + 1;
        from = copied;
    }
    if copied > 0 && copied < text.len() {
        inlines.push(Inline::Text(text[copied..].to_string()));
    }
    inlines
}

/// A paragraph that holds one image and nothing else is a figure.
fn block_from_inlines(mut inlines: Vec<Inline>, loose: bool) -> Block {
    take_image_attributes(&mut inlines);
    drop_spans_around_images(&mut inlines);
    let mut meaningful = inlines.iter().filter(|i| !is_blank(i));
    if let (Some(Inline::Image(_)), None) = (meaningful.next(), meaningful.next()) {
        let image = inlines
            .into_iter()
            .find_map(|i| match i {
                Inline::Image(image) => Some(image),
                _ => None,
            })
            .expect("checked above");
        return Block::Figure(Box::new(Figure { id: figure_id(&image.src), image: *image, number: 0, caption: None }));
    }
    if loose { Block::Paragraph(inlines) } else { Block::Plain(inlines) }
}

/// Whether a line of a paragraph that starts with `text` is a line of its own: one
/// that starts with a mark Japanese writers start lines with — a bullet (`・`, `●`,
/// `■` …), `※`, a circled number (`①`), an enclosed one (`(1)`, `（ア）`, `（三）`,
/// and `（注）`, `（例）`), a number with a full-width period (`１．`) or a
/// letter's (`a.`, `ア．`, as Pandoc writes Word's lettered lists). Qiita, Zenn and
/// Word show such lines apart; CommonMark would run them on.
fn starts_line_of_its_own(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return false };
    let is_label = |c: char| {
        c.is_ascii_alphanumeric()
            || c.is_numeric()
            || ('ア'..='ン').contains(&c)
            || "一二三四五六七八九十注例".contains(c)
    };
    match first {
        '・' | '･' | '●' | '○' | '◆' | '◇' | '■' | '□' | '★' | '☆' | '▶' | '►' | '※' | '✓' | '✔' => {
            true
        }
        '\u{2460}'..='\u{2473}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}' | '\u{2776}'..='\u{2793}' => true,
        '(' | '（' => {
            let label: String = chars.by_ref().take_while(|&c| c != ')' && c != '）').collect();
            let closed = text.contains([')', '）']);
            closed && (1..=3).contains(&label.chars().count()) && label.chars().all(is_label)
        }
        c if c.is_ascii_alphabetic() || ('ア'..='ン').contains(&c) => {
            let ascii = c.is_ascii();
            match (chars.next(), chars.next()) {
                (Some('.' | ')'), Some(' ' | '\t')) => true,
                (Some('．' | '）' | '.' | ')'), Some(_)) => !ascii,
                _ => false,
            }
        }
        // `１．`, `2．`, `３）`: numbers as Japanese writers number lines (CommonMark
        // reads `2.` and `2)` itself, as lists).
        c if c.is_numeric() => {
            let rest = chars.as_str().trim_start_matches(|c: char| c.is_numeric());
            let full_width = !c.is_ascii();
            rest.starts_with(['．', '）']) || (full_width && rest.starts_with(['.', ')']))
        }
        _ => false,
    }
}

/// Takes the attribute list Pandoc, kramdown and MkDocs write after an image
/// (`![画面](login.png){width=50%}`, `{: .shadow}`) out of the text after it, so
/// that a screenshot alone in its paragraph stays a figure, and keeps the width and
/// height it gives. Pandoc wraps a long list over lines (`{width="6.5in"` /
/// `height="3.2in"}`, as it writes every image of a Word document).
fn take_image_attributes(inlines: &mut [Inline]) {
    for at in 1..inlines.len() {
        let starts_list = matches!(&inlines[at], Inline::Text(text) if text.starts_with('{'));
        if !matches!(inlines[at - 1], Inline::Image(_)) || !starts_list {
            continue;
        }
        let mut joined = String::new();
        for inline in &inlines[at..] {
            match inline {
                Inline::Text(text) => joined.push_str(text),
                Inline::SoftBreak => joined.push('\n'),
                _ => break,
            }
            if joined.contains('}') {
                break;
            }
        }
        let joined = joined.replace('\n', " ");
        let Some(mut length) = attribute_list_length(&joined) else { continue };
        if let Inline::Image(image) = &mut inlines[at - 1] {
            image.requested = requested_size(&joined[1..length - 1]);
        }
        for inline in &mut inlines[at..] {
            match inline {
                Inline::Text(text) if text.len() <= length => {
                    length -= text.len();
                    text.clear();
                }
                Inline::Text(text) => {
                    text.drain(..length);
                    length = 0;
                }
                Inline::SoftBreak => {
                    length -= 1;
                    *inline = Inline::Text(String::new());
                }
                _ => {}
            }
            if length == 0 {
                break;
            }
        }
    }
}

/// The caption a writer typed under a picture with its number, as Word numbers
/// them, and the text after the number: `図 3 ログイン画面`, `図 2-1：設定画面`,
/// `Figure 3. Login screen`, `Fig. 3: …`, or only `図 3`. A sentence that starts
/// with a figure's number (`図 3 に示すように…。`) is none.
pub fn typed_caption(text: &str) -> Option<&str> {
    typed_numbered_caption(text, &["図", "Figure", "Fig.", "Fig"])
}

/// [`typed_caption`] for a caption that starts with one of `words` (`表`, `Table`).
fn typed_numbered_caption<'t>(text: &'t str, words: &[&str]) -> Option<&'t str> {
    let text = text.trim();
    let rest = words.iter().find_map(|word| text.strip_prefix(word))?;
    let rest = rest.trim_start_matches([' ', '\u{3000}']);
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let number_end = rest.find(|c: char| !is_digit(c) && !matches!(c, '-' | '－' | '.' | '．')).unwrap_or(rest.len());
    let number = rest[..number_end].trim_end_matches(['.', '．', '-', '－']);
    if !number.starts_with(is_digit) {
        return None;
    }
    let after = &rest[number.len()..];
    let caption = after.trim_start_matches([' ', '\u{3000}', ':', '：', '.', '．', '-', '－', '—', ')', '）']).trim();
    let separated = after.len() > caption.len() || after.is_empty();
    // A particle right after the number, before anything but kana of the same word
    // (`に示す`, `は設定画面です`, `の、`, not `はじめに`).
    const PARTICLES: &[&str] = &["に", "の", "は", "を", "で", "が", "より", "から"];
    let links_a_sentence = PARTICLES.iter().any(|particle| {
        caption.strip_prefix(particle).is_some_and(|rest| !rest.starts_with(|c| ('ぁ'..='ゖ').contains(&c)))
    });
    let sentence = caption.ends_with(['。', '.']) || links_a_sentence || caption.chars().count() > 60;
    (separated && !sentence).then_some(caption)
}

/// Which of its two neighbours a table's caption is.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// The table before it: the caption is under its table.
    Before,
    /// The table after it: the caption is above its table.
    After,
}

/// Makes each paragraph that reads as a table's caption ([`TableCaption::read`])
/// next to a table that caption, and no paragraph. A caption next to one table
/// without a caption is that table's. One between two is placed as the other
/// captions written the same way are placed, under or above their tables; where
/// they do not tell, it is the caption of the table after it (style guides put a
/// table's title above it, and so do Japanese manuals), but for Pandoc's `: 題`,
/// which Pandoc writes under its table. `block` gives an item's block, if it is one
/// (the page's top level holds headings and step marks too; they part tables from
/// captions).
fn attach_table_captions<T>(items: &mut Vec<T>, block: fn(&mut T) -> Option<&mut Block>) {
    let is_table = |item: &mut T| matches!(block(item), Some(Block::Table(table)) if table.caption.is_none());
    if !items.iter_mut().any(is_table) {
        return;
    }
    let tables: Vec<bool> = items.iter_mut().map(is_table).collect();
    let next_to_table = |at: usize| (at > 0 && tables[at - 1]) || tables.get(at + 1) == Some(&true);
    let mut captions: Vec<(usize, TableCaption, Side)> = Vec::new();
    for (at, item) in items.iter_mut().enumerate() {
        if !next_to_table(at) {
            continue;
        }
        let Some(text) = block(item).and_then(|block| caption_text(block)) else { continue };
        let Some(caption) = TableCaption::read(&text) else { continue };
        let written_under = text.trim_start().starts_with(':');
        captions.push((at, caption, if written_under { Side::Before } else { Side::After }));
    }
    if captions.is_empty() {
        return;
    }
    let placed = place_table_captions(&tables, &captions);
    let mut taken = vec![false; items.len()];
    for ((at, caption, _), table_at) in captions.into_iter().zip(placed) {
        let Some(table_at) = table_at else { continue };
        // Word's caption line Pandoc kept as a paragraph on the table's other side
        // when it wrote the caption as `: 題` too: shown once, as the caption.
        let other_side = (2 * table_at).checked_sub(at).filter(|&other| other < items.len());
        if let Some(other) = other_side
            && !taken[other]
            && block(&mut items[other]).and_then(|block| caption_text(block)).is_some_and(|t| t.trim() == caption.text)
        {
            taken[other] = true;
        }
        if let Some(Block::Table(table)) = block(&mut items[table_at]) {
            table.caption = Some(caption);
            taken[at] = true;
        }
    }
    let mut index = 0;
    items.retain(|_| {
        index += 1;
        !taken[index - 1]
    });
}

/// Which table each caption of `captions` (its place, and the side its form
/// prefers) belongs to, of the places `tables` marks: first those next to only one
/// table not yet taken, then the others, on the side most of those of their form
/// were on.
fn place_table_captions(tables: &[bool], captions: &[(usize, TableCaption, Side)]) -> Vec<Option<usize>> {
    let mut taken = vec![false; tables.len()];
    let mut placed: Vec<Option<usize>> = vec![None; captions.len()];
    // How many captions of each form (Pandoc's `:`, the others) are under or above
    // their tables.
    let mut sides = [[0usize; 2]; 2];
    let free = |taken: &[bool], at: Option<usize>| at.filter(|&at| tables.get(at) == Some(&true) && !taken[at]);
    let neighbours = |taken: &[bool], at: usize| (free(taken, at.checked_sub(1)), free(taken, Some(at + 1)));
    let mut settled = false;
    while !settled {
        settled = true;
        for (index, (at, _, form)) in captions.iter().enumerate() {
            if placed[index].is_some() {
                continue;
            }
            let (table_at, side) = match neighbours(&taken, *at) {
                (Some(before), None) => (before, Side::Before),
                (None, Some(after)) => (after, Side::After),
                _ => continue,
            };
            placed[index] = Some(table_at);
            taken[table_at] = true;
            sides[*form as usize][side as usize] += 1;
            settled = false;
        }
    }
    for (index, (at, _, form)) in captions.iter().enumerate() {
        let (Some(before), Some(after)) = neighbours(&taken, *at) else { continue };
        if placed[index].is_some() {
            continue;
        }
        let [under, above] = sides[*form as usize];
        let side = match under.cmp(&above) {
            std::cmp::Ordering::Greater => Side::Before,
            std::cmp::Ordering::Less => Side::After,
            std::cmp::Ordering::Equal => *form,
        };
        let table_at = if side == Side::Before { before } else { after };
        placed[index] = Some(table_at);
        taken[table_at] = true;
    }
    placed
}

/// The text of a paragraph that could be a caption: text, bold and italics only.
fn caption_text(block: &Block) -> Option<String> {
    let Block::Paragraph(inlines) = block else { return None };
    let plain = inlines
        .iter()
        .all(|inline| matches!(inline, Inline::Text(_) | Inline::SoftBreak | Inline::Strong(_) | Inline::Emphasis(_)));
    plain.then(|| plain_text(inlines))
}

impl TableCaption {
    /// A table's caption as writers and tools put it next to the table: Pandoc's
    /// `: 題` or `Table: 題`, or one typed with its number as Word numbers tables
    /// (`表 3 手数料一覧`, `Table 2. Fees`); with the id links name written at its
    /// end (`{#fees}`, or pandoc-crossref's `{#tbl:fees}`), else the caption's
    /// GitHub id. `None` for any other paragraph (`表 3 に示すとおり…。`).
    pub fn read(text: &str) -> Option<TableCaption> {
        let text = text.trim();
        const WORDS: &[&str] = &["表", "Table", "Tab."];
        let marked =
            text.strip_prefix("Table:").or_else(|| text.strip_prefix(':').filter(|r| r.starts_with([' ', '\u{3000}'])));
        let caption = match marked.map(str::trim) {
            // Pandoc's mark around the caption Word numbered: `Table: 表 3 手数料`.
            Some(marked) => typed_numbered_caption(marked, WORDS).unwrap_or(marked),
            None => typed_numbered_caption(text, WORDS)?,
        };
        let (caption, written_id) = match caption.strip_suffix('}').and_then(|c| c.rsplit_once("{#")) {
            Some((caption, id)) => {
                let id = id.split_whitespace().next().unwrap_or_default();
                (caption.trim_end(), Some(id.strip_prefix("tbl:").unwrap_or(id).to_string()))
            }
            None => (caption, None),
        };
        let id = written_id.filter(|id| !id.is_empty()).unwrap_or_else(|| github_id(caption));
        (!caption.is_empty() && !id.is_empty()).then(|| TableCaption { text: caption.to_string(), id, number: 0 })
    }
}

/// `alt`, unless Word made it up: Word describes every picture pasted into it
/// ("A screenshot of a computer Description automatically generated",
/// 「テキスト が含まれている画像 自動的に生成された説明」), and Pandoc brings that
/// over as alt text, which then stood as the figure's caption and in search.
pub(super) fn written_alt(alt: String) -> String {
    if is_generated_alt(&alt) { String::new() } else { alt }
}

/// Whether `text` holds the words Word ends a description it made up with.
pub fn is_generated_alt(text: &str) -> bool {
    const GENERATED: &[&str] = &[
        "Description automatically generated",
        "自動的に生成された説明",
        "AI-generated content may be incorrect",
        "AI 生成コンテンツは誤りを含む可能性があります",
    ];
    GENERATED.iter().any(|mark| text.contains(mark))
}

/// Obsidian's size at the end of an image's alt text, `![画面|300](a.png)` or
/// `|300x200`: taken out of the text.
fn obsidian_size(alt: String) -> (String, RequestedSize) {
    let Some((text, size)) = alt.rsplit_once('|') else { return (alt, RequestedSize::default()) };
    let Some((width, height)) = super::wikilinks::image_size(size.trim()) else {
        return (alt, RequestedSize::default());
    };
    let requested = RequestedSize { width: Length::read(width), height: Length::read(height) };
    (text.trim_end().to_string(), requested)
}

/// The `width` and `height` of an attribute list's words (`width="6.5in" .shadow`).
fn requested_size(words: &str) -> RequestedSize {
    let mut size = RequestedSize::default();
    for word in words.split_whitespace() {
        match word.split_once('=') {
            Some(("width", value)) => size.width = Length::read(value),
            Some(("height", value)) => size.height = Length::read(value),
            _ => {}
        }
    }
    size
}

/// A Pandoc span around an image, without an id: the image. Pandoc reads every
/// picture of a Confluence page saved as HTML so (`[![画面](a.png){…}]{.confluence-
/// embedded-file-wrapper}`), and the brackets showed around it, an icon in running
/// text where a screenshot alone in its paragraph is a figure.
fn drop_spans_around_images(inlines: &mut [Inline]) {
    for at in 1..inlines.len() {
        let opens = matches!(&inlines[at - 1], Inline::Text(text) if text.ends_with('['));
        if !opens || !matches!(inlines[at], Inline::Image(_)) {
            continue;
        }
        let Some(after) = (at + 1..inlines.len()).find(|&i| !matches!(&inlines[i], Inline::Text(t) if t.is_empty()))
        else {
            continue;
        };
        let Inline::Text(text) = &mut inlines[after] else { continue };
        let Some(length) = text.strip_prefix(']').and_then(attribute_list_length) else { continue };
        if text[1..1 + length].contains('#') {
            continue;
        }
        text.drain(..1 + length);
        if let Inline::Text(before) = &mut inlines[at - 1] {
            before.pop();
        }
    }
}

/// The length of the attribute list `{…}` that `text` starts with: words that are
/// `key=value`, `.class` or `#id`, after an optional `:`.
fn attribute_list_length(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('{')?;
    let close = inner.find('}')?;
    let words = inner[..close].trim().trim_start_matches(':');
    let is_attribute = |word: &str| {
        word.starts_with(['.', '#']) && word.len() > 1 || word.split_once('=').is_some_and(|(key, _)| !key.is_empty())
    };
    let mut words = words.split_whitespace().peekable();
    (words.peek().is_some() && words.all(is_attribute)).then_some(close + 2)
}

pub(super) fn is_blank(inline: &Inline) -> bool {
    match inline {
        Inline::SoftBreak | Inline::HardBreak => true,
        Inline::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

/// A figure in running text is named after its file: `images/login.png` → `login`,
/// `<画面 1.png>` and `%E7%94%BB%E9%9D%A2%201.png` → `画面-1` (an id has no spaces).
pub fn figure_id(src: &str) -> String {
    if src.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) {
        return crate::embedded::figure_id(src);
    }
    let src = src.strip_prefix(super::wikilinks::SCHEME).unwrap_or(src);
    let file = src.rsplit('/').next().unwrap_or(src);
    let file = file.split(['?', '#']).next().unwrap_or(file);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let stem = crate::links::percent_decoded(stem);
    stem.split_whitespace().collect::<Vec<_>>().join("-")
}

/// The text of inline content without markup (alt text, titles, search).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    append_plain_text(inlines, &mut out);
    out
}

fn append_plain_text(inlines: &[Inline], out: &mut String) {
    let mut in_annotation = false;
    for inline in inlines {
        match inline {
            Inline::Html(html) => in_annotation = ruby_annotation(html).unwrap_or(in_annotation),
            _ if in_annotation => {}
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => append_plain_text(c, out),
            Inline::Link(link) => append_plain_text(&link.content, out),
            Inline::Ref(r) => append_plain_text(&r.content, out),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::FootnoteRef(_) => {}
        }
    }
}

type ParsedRef = (RefKind, Option<String>, String, Option<String>);

/// `step:ID`, `step:A..B`, `step:PATH/ID`, `fig:ID`, `fig:PATH/ID`, `table:ID`,
/// `table:PATH/ID`, `page:PATH`.
/// `None` for an ordinary link; an error names what is wrong and how to write it.
fn parse_reference(dest: &str) -> Option<Result<ParsedRef, (String, String)>> {
    let (scheme, body) = dest.split_once(':')?;
    let kind = match scheme {
        "step" => RefKind::Step,
        "fig" => RefKind::Figure,
        "table" => RefKind::Table,
        "page" => RefKind::Page,
        _ => return None,
    };
    let body = body.trim();
    let invalid = |what: &str| {
        Err((
            format!("`{dest}` is not a valid {what} reference"),
            match kind {
                RefKind::Step => "write [](step:ID), [](step:FIRST..LAST) or [](step:PAGE/ID)",
                RefKind::Figure => "write [](fig:ID) or [](fig:PAGE/ID)",
                RefKind::Table => "write [](table:ID) or [](table:PAGE/ID)",
                RefKind::Page => "write [](page:PATH), the page's path inside content/ without .md",
            }
            .to_string(),
        ))
    };
    if kind == RefKind::Page {
        let path = body.trim_matches('/');
        if path.is_empty() || !path.split('/').all(is_path_segment) {
            return Some(invalid("page"));
        }
        return Some(Ok((kind, Some(path.to_string()), String::new(), None)));
    }
    let (first, range_end) = match body.split_once("..") {
        Some((first, last)) if kind == RefKind::Step => (first, Some(last.to_string())),
        Some(_) => return Some(invalid(kind_name(kind))),
        None => (body, None),
    };
    let (page, id) = match first.rsplit_once('/') {
        Some((page, id)) => (Some(page.trim_matches('/').to_string()), id),
        None => (None, first),
    };
    let valid_id = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
    if !valid_id(id)
        || range_end.as_deref().is_some_and(|end| !valid_id(end))
        || page.as_deref().is_some_and(|p| p.is_empty() || !p.split('/').all(is_path_segment))
    {
        return Some(invalid(kind_name(kind)));
    }
    Some(Ok((kind, page, id.to_string(), range_end)))
}

fn kind_name(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Step => "step",
        RefKind::Figure => "figure",
        RefKind::Table => "table",
        RefKind::Page => "page",
    }
}

fn is_path_segment(segment: &str) -> bool {
    !segment.is_empty() && segment != "." && segment != ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> (Vec<TopItem>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let items = top_level_items(text, 0, &mut diagnostics);
        (items, diagnostics)
    }

    #[test]
    fn metadata_blocks_and_headings_are_top_level_markers() {
        let (items, _) = items("+++\ntitle = \"x\"\n+++\n\n## A\n\n+++\nid = \"a\"\n+++\n\ntext\n");
        assert!(matches!(items[0], TopItem::Meta(ref s) if s.start == 0));
        assert!(matches!(items[1], TopItem::Heading { level: 2, .. }));
        assert!(matches!(items[2], TopItem::Meta(_)));
        assert!(matches!(items[3], TopItem::Block(Block::Paragraph(_))));
    }

    #[test]
    fn image_alone_is_a_figure_image_in_text_is_inline() {
        let (items, _) = items("![Login screen](images/login.png)\n\nClick ![icon](i/edge.svg) twice.\n");
        match &items[0] {
            TopItem::Block(Block::Figure(f)) => {
                assert_eq!(f.id, "login");
                assert_eq!(f.image.alt, "Login screen");
            }
            other => panic!("{other:?}"),
        }
        match &items[1] {
            TopItem::Block(Block::Paragraph(inlines)) => {
                assert!(inlines.iter().any(|i| matches!(i, Inline::Image(_))))
            }
            other => panic!("{other:?}"),
        }
        // An id has no spaces, and an escaped name is the name.
        assert_eq!(figure_id("img/画面 1.PNG"), "画面-1");
        assert_eq!(figure_id("img/%E7%94%BB%E9%9D%A2%201.PNG?v=2"), "画面-1");
    }

    #[test]
    fn code_info_strings_of_other_tools_give_language_and_file() {
        let info = |i: &str| {
            let (lang, title, _) = code_info(i);
            (lang.unwrap_or_default(), title.unwrap_or_default())
        };
        let pair = |l: &str, t: &str| (l.to_string(), t.to_string());
        assert_eq!(info("ruby"), pair("ruby", ""));
        assert_eq!(info("ruby:app/models/user.rb"), pair("ruby", "app/models/user.rb"));
        assert_eq!(info(":設定.txt"), pair("", "設定.txt"));
        assert_eq!(info("diff_python:a.py"), pair("diff", "a.py"));
        assert_eq!(info("js title=\"src/index.js\" {2,3}"), pair("js", "src/index.js"));
        assert_eq!(info("bash title='my script.sh'"), pair("bash", "my script.sh"));
        assert_eq!(info("py linenums=\"1\" title=\"a.py\""), pair("py", "a.py"));
        assert_eq!(info("rust,linenos"), pair("rust", ""));
        assert_eq!(info("{.python .numberLines startFrom=\"3\"}"), pair("python", ""));
        assert_eq!(info("{.yaml filename=\"config.yml\"}"), pair("yaml", "config.yml"));
        assert_eq!(
            info(
                "{.syntaxhighlighter-pre syntaxhighlighter-params=\"brush: bash; gutter: false; theme: Confluence\" theme=\"Confluence\"}"
            ),
            pair("bash", "")
        );
        assert_eq!(info("{mermaid}"), pair("mermaid", ""));
        assert_eq!(info("rust,linenos,name=mod.rs"), pair("rust", "mod.rs"));
        assert_eq!(info("title=\"only.txt\""), pair("", "only.txt"));
        assert_eq!(info("text subtitle=x"), pair("text", ""));
        assert_eq!(info(""), pair("", ""));
        assert_eq!(info("{code-block} python"), pair("python", ""));
        assert_eq!(info("{.python}"), pair("python", ""));
        assert_eq!(info("{mermaid}"), pair("mermaid", ""));
        assert_eq!(info("sh [npm]"), pair("sh", "npm"));
        assert_eq!(info("js{4,7-9} [config.js]"), pair("js", "config.js"));
        assert_eq!(info("ts:line-numbers {1}"), pair("ts", ""));
        assert_eq!(info("ts:no-line-numbers"), pair("ts", ""));
        assert_eq!(info("js{4}"), pair("js", ""));
        assert_eq!(info("[only a label]"), pair("", "only a label"));
        assert!(code_info("{code-block} python").2);
        assert_eq!(
            directive_options(":caption: app.py\n:linenos:\n\nprint(1)\n"),
            ("print(1)\n", Some("app.py".into()))
        );
        assert_eq!(directive_options("print(1)\n"), ("print(1)\n", None));
        assert_eq!(directive_options("\nprint(1)\n"), ("\nprint(1)\n", None), "a blank line of the code's own");
    }

    #[test]
    fn references_parse_with_span() {
        let text = "Redo from [](step:download).\n";
        let (items, diagnostics) = items(text);
        assert!(diagnostics.is_empty());
        let TopItem::Block(Block::Paragraph(inlines)) = &items[0] else { panic!() };
        let Inline::Ref(r) = &inlines[1] else { panic!("{inlines:?}") };
        assert_eq!(r.kind, RefKind::Step);
        assert_eq!(r.id, "download");
        assert_eq!(&text[r.span.clone()], "[](step:download)");
    }

    #[test]
    fn reference_forms() {
        let parse = |d: &str| parse_reference(d).unwrap().unwrap();
        assert_eq!(parse("step:a..b"), (RefKind::Step, None, "a".into(), Some("b".into())));
        assert_eq!(
            parse("step:certificates/obtain/download"),
            (RefKind::Step, Some("certificates/obtain".into()), "download".into(), None)
        );
        assert_eq!(parse("page:certificates/obtain").1.as_deref(), Some("certificates/obtain"));
        assert!(parse_reference("https://example.com").is_none());
        assert!(parse_reference("step:").unwrap().is_err());
        assert!(parse_reference("page:../x").unwrap().is_err());
    }

    /// The shortcut for plain titles gives what the parser gives, and is not taken
    /// for anything the parser would read otherwise.
    #[test]
    fn lines_that_start_with_a_mark_are_lines_of_their_own() {
        let starts = [
            "・項目",
            "※ 注意",
            "① 書く",
            "(1) 入れる",
            "（ア）選ぶ",
            "（注）数日",
            "a. item",
            "ア．選ぶ",
            "１．出す",
            "2．待つ",
            "３）閉じる",
            "■ 見出し",
        ];
        for text in starts {
            assert!(starts_line_of_its_own(text), "{text}");
        }
        let runs_on = ["2024年に", "１０月", "3.14 は", "(詳しくは後述", "a.b.c", "I think", "(123456)", "かな", ""];
        for text in runs_on {
            assert!(!starts_line_of_its_own(text), "{text}");
        }
    }

    #[test]
    fn plain_text_is_read_as_the_parser_reads_it() {
        let parsed = |text: &str| parsed_inline_markdown(text, 0, 0, &mut Vec::new());
        let plain = [
            "Return to the \"Start Certificate Download\" screen",
            "電子証明書を取得する",
            "「ログイン」画面が表示されます。",
            "Click OK (or press Enter); it's done.",
            "One-time password: 6 digits / 30 s, 100% sure?",
            "ＩＤ・パスワード方式（ご契約先暗証番号）",
            "a",
            "Σ final sigma ς",
            "e.g. www example com",
        ];
        for text in plain {
            assert!(is_plain_text(text), "{text}");
            assert_eq!(parsed(text), vec![Inline::Text(text.to_string())], "{text}");
        }
        let markup = [
            "**OK** をクリック",
            "Use `tejun build`",
            "See [](step:open)",
            "1. first",
            "2) second",
            "- item",
            "+ item",
            "# Heading",
            "> quote",
            " leading space",
            "trailing space ",
            "\u{3000}全角スペース",
            "a &amp; b",
            "a <b>bold</b>",
            "x\ny",
            "tab\there",
            "nul\u{0}here",
            "~~struck~~",
            "https://example.com",
            "escaped \\* star",
            "",
            "---",
            "+++",
            "snake_case_name",
            "a | b",
        ];
        for text in markup {
            assert!(!is_plain_text(text), "{text:?}");
        }
    }

    #[test]
    fn pandoc_scripts_are_found_where_pandoc_finds_them() {
        let tagged = |text: &str| -> String {
            let inlines = scripted(text);
            if inlines.is_empty() {
                return text.to_string();
            }
            inlines
                .iter()
                .map(|inline| match inline {
                    Inline::Text(text) | Inline::Html(text) => text.as_str(),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(tagged("a^b^c^d^"), "a<sup>b</sup>c<sup>d</sup>");
        assert_eq!(tagged("x~i+1~ と 10^-3^"), "x<sub>i+1</sub> と 10<sup>-3</sup>");
        assert_eq!(tagged("手数料^注1^"), "手数料<sup>注1</sup>");
        for as_written in ["^^", "~~", "a^ b^", "a~~b~~", "^^x^^", "~/.ssh/config~", "1~日~3", "x^-^"] {
            assert_eq!(tagged(as_written), as_written);
        }
    }

    #[test]
    fn image_sizes_are_read_as_their_tools_write_them() {
        assert_eq!(Length::read("300"), Some(Length::Pixels(300.0)));
        assert_eq!(Length::read("\"6.5in\""), Some(Length::Millimetres(165.1)));
        assert_eq!(Length::read("50%"), Some(Length::Percent(50.0)));
        assert_eq!(Length::read("150%"), Some(Length::Percent(100.0)));
        for nothing in ["auto", "20em", "", "0", "-3px", "px", "1e400"] {
            assert_eq!(Length::read(nothing), None, "{nothing}");
        }
        let size = requested_size(": .shadow width=\"8cm\" height=90");
        assert_eq!((size.width, size.height), (Some(Length::Millimetres(80.0)), Some(Length::Pixels(90.0))));
        let (alt, size) = obsidian_size("ログイン画面|300x200".to_string());
        assert_eq!(
            (alt.as_str(), size.width, size.height),
            ("ログイン画面", Some(Length::Pixels(300.0)), Some(Length::Pixels(200.0)))
        );
        for words in ["a|b", "月|火|水", "x|", "|x300"] {
            assert_eq!(obsidian_size(words.to_string()), (words.to_string(), RequestedSize::default()));
        }
    }

    #[test]
    fn alt_text_word_made_up_is_none() {
        for generated in [
            "A screenshot of a computer Description automatically generated",
            "Graphical user interface, text, application Description automatically generated with medium confidence",
            "グラフィカル ユーザー インターフェイス, テキスト, アプリケーション 自動的に生成された説明",
            "A screenshot of a computer AI-generated content may be incorrect.",
            "テキスト が含まれている画像 AI 生成コンテンツは誤りを含む可能性があります。",
        ] {
            assert_eq!(written_alt(generated.to_string()), "", "{generated}");
            let (found, _) = items(&format!("![{generated}](a.png)\n\n<img src=\"b.png\" alt=\"{generated}\">\n"));
            for item in found {
                let TopItem::Block(Block::Figure(figure)) = item else { panic!("{item:?}") };
                assert_eq!(figure.image.alt, "");
            }
        }
        assert_eq!(written_alt("ログイン画面".to_string()), "ログイン画面");
    }

    #[test]
    fn the_contents_word_wrote_are_left_out() {
        let text = "[1 はじめに 1](#_Toc100)\n[2 設定 2](#_Toc200)\n\n> [2.1 証明書 3](#_Toc300)\n\n\
            本文です。[設定](#_Toc200)を参照。\n\n[設定へ](#_Ref200)\n\n[付録へ](#_Toc1234)\n";
        let (found, _) = items(text);
        let texts: Vec<String> = found
            .iter()
            .map(|item| match item {
                TopItem::Block(Block::Paragraph(inlines)) => plain_text(inlines),
                TopItem::Block(Block::Quote(blocks)) => format!("> {}", blocks.len()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["本文です。設定を参照。", "設定へ", "付録へ"]);
    }

    #[test]
    fn captions_typed_with_their_number_are_told_from_sentences() {
        for (line, caption) in [
            ("図 3 ログイン画面", "ログイン画面"),
            ("図3：設定画面", "設定画面"),
            ("図 2-1　証明書の選択", "証明書の選択"),
            ("図１．完了画面", "完了画面"),
            ("図 4 はじめに表示される画面", "はじめに表示される画面"),
            ("図 5 もう一つの完了画面", "もう一つの完了画面"),
            ("Figure 3. Login screen", "Login screen"),
            ("Fig. 3: The dialog", "The dialog"),
            ("図 6", ""),
        ] {
            assert_eq!(typed_caption(line), Some(caption), "{line}");
        }
        for sentence in [
            "図 3 に示すように、証明書を選択します。",
            "図 3 に示す画面",
            "図3は設定画面です",
            "図 3 の、右上",
            "Figure 3 shows the login screen.",
            "図解します",
            "図面",
            "Figures",
            "図3に示す",
        ] {
            assert_eq!(typed_caption(sentence), None, "{sentence}");
        }
    }

    /// The blocks of a page's items, which must all be blocks.
    fn top_blocks(items: &[TopItem]) -> Vec<&Block> {
        items
            .iter()
            .map(|item| match item {
                TopItem::Block(block) => block,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_caption_next_to_a_table_numbers_it_and_other_paragraphs_stay_text() {
        let text = "表 1 振込手数料 {#fees}\n\n| 金額 | 手数料 |\n|---|---|\n| 3万円未満 | 110円 |\n\n\
            表 1 に示すとおりです。\n\n\
            | a | b |\n|---|---|\n| 1 | 2 |\n\n: 限度額\n\n\
            | c |\n|---|\n| 3 |\n\n\
            **手数料一覧**\n\n| d |\n|---|\n| 4 |\n\n\
            1. 確認します。\n\n   Table: Limits {#tbl:limits}\n\n   | e |\n   |---|\n   | 5 |\n";
        let (found, _) = items(text);
        let blocks = top_blocks(&found);
        let caption = |block: &Block| match block {
            Block::Table(table) => table.caption.as_ref().map(|c| (c.text.clone(), c.id.clone())),
            other => panic!("not a table: {other:?}"),
        };
        assert_eq!(caption(blocks[0]), Some(("振込手数料".to_string(), "fees".to_string())));
        assert!(matches!(blocks[1], Block::Paragraph(_)), "a sentence stays one: {:?}", blocks[1]);
        assert_eq!(caption(blocks[2]), Some(("限度額".to_string(), "限度額".to_string())), "Pandoc's caption under it");
        assert_eq!(caption(blocks[3]), None, "a table without a caption is not numbered");
        assert!(matches!(blocks[4], Block::Paragraph(_)), "bold text above a table stays text");
        assert_eq!(caption(blocks[5]), None);
        let Block::List(list) = blocks[6] else { panic!("{:?}", blocks[6]) };
        assert_eq!(list.items[0].blocks.len(), 2, "{:?}", list.items[0].blocks);
        assert_eq!(caption(&list.items[0].blocks[1]), Some(("Limits".to_string(), "limits".to_string())));
        assert_eq!(blocks.len(), 7);
    }

    #[test]
    fn a_caption_between_two_tables_is_placed_as_the_page_s_other_captions_are() {
        let captions = |text: &str| -> Vec<Option<String>> {
            let (found, _) = items(text);
            top_blocks(&found)
                .into_iter()
                .map(|block| match block {
                    Block::Table(table) => table.caption.as_ref().map(|c| c.text.clone()),
                    Block::Paragraph(_) => Some("(paragraph)".to_string()),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let layout = "| 氏名 | 山田 |\n|---|---|\n\n";
        let fees = "| 金額 | 手数料 |\n|---|---|\n| 3万円未満 | 110円 |\n\n";
        // A layout table with no caption, then a table captioned above, as Japanese
        // manuals caption tables: the caption is the second's.
        let above = format!("{layout}表 1 振込手数料\n\n{fees}");
        assert_eq!(captions(&above), [None, Some("振込手数料".into())]);
        // Captions typed under their tables: the last one tells the first.
        let under = format!("{layout}表 1 氏名\n\n{fees}表 2 振込手数料\n");
        assert_eq!(captions(&under), [Some("氏名".into()), Some("振込手数料".into())]);
        // Pandoc's `: 題` is written under its table, and placed by its own kind.
        let pandoc = format!("表 1 氏名\n\n{layout}{fees}: 振込手数料\n\n{layout}");
        assert_eq!(captions(&pandoc), [Some("氏名".into()), Some("振込手数料".into()), None]);
        // A caption for a table taken already stays a paragraph.
        let twice = format!("表 1 氏名\n\n{layout}表 2 住所\n");
        assert_eq!(captions(&twice), [Some("氏名".into()), Some("(paragraph)".into())]);
        // Word's caption line above, Pandoc's `: 題` under: one caption, shown once.
        let both = format!("振込手数料\n\n{fees}: 振込手数料\n\n手数料は税込みです。\n");
        assert_eq!(captions(&both), [Some("振込手数料".into()), Some("(paragraph)".into())]);
    }

    #[test]
    fn table_captions_as_writers_and_tools_write_them() {
        let read = |text: &str| TableCaption::read(text).map(|c| (c.text, c.id));
        let pair = |text: &str, id: &str| Some((text.to_string(), id.to_string()));
        assert_eq!(read("Table: 表 2 限度額"), pair("限度額", "限度額"), "Pandoc around Word's number");
        assert_eq!(read("表２－１：設定値一覧"), pair("設定値一覧", "設定値一覧"));
        assert_eq!(read("Table 3. Transfer fees"), pair("Transfer fees", "transfer-fees"));
        assert_eq!(read(": Fees {#tbl:fees}"), pair("Fees", "fees"));
        assert_eq!(read("表 3 は手数料の一覧です"), None);
        assert_eq!(read(":ok"), None, "a colon without a space is no Pandoc caption");
        assert_eq!(read("表"), None);
    }

    #[test]
    fn a_typed_caption_under_a_figure_is_its_caption_and_an_html_figure_is_a_figure() {
        let text = "![](media/image1.png)\n\n図 3 ログイン画面\n\n![画面](b.png)\n\n図 4 に示すとおりです\n\n\
            - ![](c.png)\n\n  Figure 9: The dialog\n\n\
            <figure>\n<img src=\"media/image2.png\" alt=\"完了\" />\n<figcaption><p>図 2 完了画面</p></figcaption>\n</figure>\n\n\
            <figure><img src=\"x.png\"><img src=\"y.png\"></figure>\n\n\
            <figure><video src=\"x.mp4\"></video></figure>\n";
        let (found, _) = items(text);
        let blocks = top_blocks(&found);
        let caption = |block: &Block| match block {
            Block::Figure(figure) => Some((figure.image.src.clone(), figure.caption.clone())),
            _ => None,
        };
        assert_eq!(caption(blocks[0]), Some(("media/image1.png".to_string(), Some("ログイン画面".to_string()))));
        assert_eq!(caption(blocks[1]), Some(("b.png".to_string(), None)));
        assert!(matches!(blocks[2], Block::Paragraph(_)), "a sentence stays one: {:?}", blocks[2]);
        let Block::List(list) = blocks[3] else { panic!("{:?}", blocks[3]) };
        assert_eq!(caption(&list.items[0].blocks[0]), Some(("c.png".to_string(), Some("The dialog".to_string()))));
        assert_eq!(list.items[0].blocks.len(), 1);
        let Block::Figure(html) = blocks[4] else { panic!("{:?}", blocks[4]) };
        assert_eq!((html.image.alt.as_str(), html.caption.as_deref()), ("完了", Some("完了画面")));
        assert_eq!(&text[html.image.span.clone()], "<img src=\"media/image2.png\" alt=\"完了\" />");
        assert!(matches!(blocks[5], Block::Html(_)) && matches!(blocks[6], Block::Html(_)), "{blocks:?}");
        assert_eq!(blocks.len(), 7);
    }

    /// The byte check says what the character checks it stands for say.
    #[test]
    fn markup_and_controls_are_found_byte_by_byte() {
        const MARKUP: &[char] =
            &['\\', '`', '*', '_', '[', ']', '<', '>', '!', '&', '#', '~', '|', '$', '^', '{', '}', '='];
        let by_chars = |t: &str| t.contains(MARKUP) || t.contains(|c: char| c.is_control()) || t.contains("://");
        // Short, and past the sixteen bytes the search takes at a time.
        let mut texts: Vec<String> = (0u32..0x800)
            .filter_map(char::from_u32)
            .flat_map(|c| [format!("a{c}b"), format!("「利用者情報選択」画面{c}b"), format!("ab:cdefghijklmnopq{c}")])
            .collect();
        texts.extend(
            ["http://x", "a:/b", "a:", ":", "a://", "\u{85}", "\u{a0}", "é:/", "ﾟ", "\u{2028}"].into_iter().flat_map(
                |t| [t.to_string(), format!("「利用者情報選択」画面{t}"), format!("「利用者情報選択」{t}画面")],
            ),
        );
        for text in &texts {
            assert_eq!(has_markup_or_control(text.as_bytes()), by_chars(text), "{text:?}");
        }
    }

    /// The CommonMark CJK-friendly amendment's examples (its README and the issue
    /// that proposed it), and CommonMark's own examples that must not change.
    #[test]
    fn emphasis_follows_the_cjk_friendly_amendment() {
        let html = |markdown: &str| {
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, Parser::new_ext(markdown, options()));
            out
        };
        for (markdown, expected) in [
            ("これは**「重要」**です", "<p>これは<strong>「重要」</strong>です</p>\n"),
            ("**テスト。**テスト", "<p><strong>テスト。</strong>テスト</p>\n"),
            ("オプション**--cloud-provider**フラグ", "<p>オプション<strong>--cloud-provider</strong>フラグ</p>\n"),
            (
                "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。",
                "<p><strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。</p>\n",
            ),
            (
                "**该星号不会被识别，而是直接显示。**这是因为它没有被识别为强调符号。",
                "<p><strong>该星号不会被识别，而是直接显示。</strong>这是因为它没有被识别为强调符号。</p>\n",
            ),
            (
                "**この文は太字になります（This sentence will be bolded）。**この文が後に続いても大丈夫です。",
                "<p><strong>この文は太字になります（This sentence will be bolded）。</strong>この文が後に続いても大丈夫です。</p>\n",
            ),
            ("*斜体のテキスト【補足情報】。*この文", "<p><em>斜体のテキスト【補足情報】。</em>この文</p>\n"),
            (
                "**重要提示（Important Notice）：**请注意。",
                "<p><strong>重要提示（Important Notice）：</strong>请注意。</p>\n",
            ),
            ("**한국어 구문(괄호 포함)**을 강조.", "<p><strong>한국어 구문(괄호 포함)</strong>을 강조.</p>\n"),
            (
                "패키지를 발행하려면 **`npm publish`**를 실행하십시오.",
                "<p>패키지를 발행하려면 <strong><code>npm publish</code></strong>를 실행하십시오.</p>\n",
            ),
            // CommonMark's own examples, unchanged.
            ("a * foo bar*", "<p>a * foo bar*</p>\n"),
            ("a*\"foo\"*", "<p>a*\"foo\"*</p>\n"),
            ("**foo bar **", "<p>**foo bar **</p>\n"),
            ("foo**bar**", "<p>foo<strong>bar</strong></p>\n"),
            ("*(*foo*)*", "<p><em>(<em>foo</em>)</em></p>\n"),
            ("*$*alpha.", "<p>*$*alpha.</p>\n"),
            ("**foo \"*bar*\" foo**", "<p><strong>foo \"<em>bar</em>\" foo</strong></p>\n"),
            ("foo_bar_", "<p>foo_bar_</p>\n"),
        ] {
            assert_eq!(html(markdown), expected, "{markdown}");
        }
    }

    #[test]
    fn a_comment_never_closed_is_a_warning_at_its_opening_line() {
        let text = "Intro.\n\n%%\n下書き：あとで直す\n\n## 次の節\n\n本文。\n";
        let (found, diagnostics) = items(text);
        assert_eq!(found.len(), 1, "Obsidian hides the rest of the page: {found:?}");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!((diagnostics[0].code, diagnostics[0].span.clone()), ("unclosed-comment", Some(8..10)));
        assert!(diagnostics[0].hint.as_deref().is_some_and(|hint| hint.contains("`%%`")));
        for closed in [
            "%%
下書き
%%

本文。
",
            "本文 %%メモ%% です。
",
            "本文 %% です。
",
            "```matlab
%% セル
x = 1;
```
",
            "import Tabs from '@theme/Tabs';

{/* メモ
続き */}

本文。
",
        ] {
            let (_, diagnostics) = items(closed);
            assert!(diagnostics.is_empty(), "{closed}: {diagnostics:?}");
        }
    }

    #[test]
    fn an_unclosed_code_fence_is_a_warning_at_its_opening_line() {
        let text = "Intro.\n\n```shell\nkubectl get pods\n\n## Next section\n\nMore text.\n";
        let (_, diagnostics) = items(text);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, "unclosed-code-fence");
        assert_eq!(diagnostics[0].span, Some(8..16));
        assert!(diagnostics[0].message.ends_with("to the end of the page is shown as code"));
        for closed in [
            "```shell\nls\n```\n",
            "````\n```\nnested\n```\n````",
            "~~~\ncode\n~~~~~\n",
            "```\n```",
            "- item\n\n  ```\n  code\n  ```\n",
            "> [!NOTE]\n> ```\n> code\n> ```\n",
        ] {
            assert!(items(closed).1.is_empty(), "{closed:?}: {:?}", items(closed).1);
        }
        let (_, diagnostics) = items("````\ncode\n```\n");
        assert_eq!(diagnostics.len(), 1, "a shorter fence does not close it");
        let (_, diagnostics) = items("- item\n\n  ```\n  code\n- next\n");
        assert!(diagnostics[0].message.ends_with("the list item or quote is shown as code"), "{diagnostics:?}");
    }

    #[test]
    fn alerts_and_tight_lists() {
        let (items, _) = items("> [!WARNING]\n> Do not click.\n\n1. one\n2. two\n");
        assert!(matches!(&items[0], TopItem::Block(Block::Alert { kind: AlertKind::Warning, .. })));
        let TopItem::Block(Block::List(list)) = &items[1] else { panic!() };
        assert_eq!(list.start, Some(1));
        assert!(matches!(list.items[0].blocks[0], Block::Plain(_)));
    }

    /// Pages made of every sequence of four lines from a set of container lines,
    /// indented content, code fences and Japanese text, with and without a last line
    /// break: none panics, and every place reported is a place in the page.
    #[test]
    fn container_lines_in_any_order_give_places_in_the_page() {
        let lines = [
            "!!! note \"題\"",
            "=== \"Edge\"",
            "???+ tip",
            "    本文です。",
            "\t* タブの行",
            "        code",
            "    ```",
            "```{note}",
            ":::{warning}",
            ":::",
            ":class: x",
            "",
            "日本語の段落 [x](#y)",
            "    !!! warning\r",
            "{{% notice tip %}}",
            "{{< /notice >}}",
            "[x]({{< ref \"a.md\" >}}) {{< youtube 題 >}}",
            "\t\t日本",
            "<Tabs>",
            "  <TabItem value=\"a\" label=\"題\">",
            "</TabItem>",
            "> [!tip]- 題の行",
            "{% hint style=\"info\" %}",
            "{% highlight ruby %}",
            "<aside>",
            "前の [[設定#見出し|ラベル]] と ![[画 像.png]]",
            "* TOC",
            "{:toc}",
            "![画 面](a.png =250x) @[card](https://x.jp)",
            "+---+---+",
            "| 表 | b |",
            "  ---- ----",
        ];
        let mut checked = 0;
        for sequence in crate::testing::sequences::<4>(&lines) {
            let page = sequence.join("\n");
            for text in [page.clone(), page + "\n"] {
                let (items, diagnostics) = items(&text);
                let in_page = |span: &Span| {
                    span.start <= span.end
                        && span.end <= text.len()
                        && text.is_char_boundary(span.start)
                        && text.is_char_boundary(span.end)
                };
                for diagnostic in &diagnostics {
                    let span = diagnostic.span.clone().unwrap_or_default();
                    assert!(in_page(&span), "{span:?} of {} in {text:?}", diagnostic.code);
                }
                for item in &items {
                    let span = match item {
                        TopItem::Heading { span, .. }
                        | TopItem::Meta(span)
                        | TopItem::Open(_, span)
                        | TopItem::OpenAdmonition(_, span)
                        | TopItem::Close(span) => span.clone(),
                        _ => 0..0,
                    };
                    assert!(in_page(&span), "{span:?} in {text:?}");
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 2 * lines.len().pow(4));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let text = ">".repeat(10_000) + " deep\n";
        let (items, _) = items(&text);
        fn depth(block: &Block) -> usize {
            match block {
                Block::Quote(blocks) => 1 + blocks.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        let TopItem::Block(block) = &items[0] else { panic!() };
        assert!(depth(block) <= MAX_DEPTH);
    }
}
