//! Containers in Markdown: variant marks (`::: browser=chrome` … `:::` around blocks,
//! `{browser=chrome}` at the end of a section's heading), and the notes, folds and
//! tabs other tools write as containers (`:::note`, MkDocs' `!!! note` and `===
//! "Edge"`, MyST's ```` ```{note} ````, Hugo's `{{% notice %}}`, GitBook's `{% hint
//! %}`, Notion's `<aside>`), and the lines other tools' marks make other Markdown
//! of (Obsidian's callouts, wiki links, kramdown's attribute lists). Part of parse:
//! reads text only, and leaves checking dimensions and values against `tejun.toml`
//! to `variants`.
//!
//! CommonMark has no containers, so their lines are found before pulldown-cmark
//! reads the page, outside code, raw HTML and `+++` blocks, and [`prepare`] gives
//! it the page with each such line a thematic break of the same length, which ends
//! a paragraph or list the way the container does; the builder asks where each
//! container starts and ends. MkDocs' content is indented four spaces, which
//! CommonMark reads as code: the prepared page has it without, and maps every
//! offset back to its place in the file.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

use crate::diagnostic::Diagnostic;
use crate::model::{AlertKind, Block, Condition, ConditionTerm, Fold, Span, VariantBlock};
use crate::parse::{confluence, docfx, html_tables, hugo, liquid, pandoc_tables, wikilinks, zenn};
use crate::source::{FileId, closes_fence, fence_opening, lines_with_offsets};

/// A container's opening or closing line.
#[derive(Debug)]
pub struct Fence {
    /// The line in the file, without its line break.
    pub span: Span,
    pub line: String,
    /// Where the line starts in the text pulldown-cmark reads, which has it as
    /// `***` and spaces, as long as `line`.
    pub at: usize,
    /// What an MkDocs line (`!!! note`, `=== "Edge"`) or a MyST directive opens;
    /// read from `line` for a `:::` line.
    pub admonition: Option<Admonition>,
    /// Whether it closes a container without being `:::` (the end of an MkDocs
    /// block, a MyST directive's closing fence).
    pub closing: bool,
}

impl Fence {
    /// The line from its `:::`, without the indentation: where errors point.
    pub fn marks(&self) -> Span {
        self.span.start + self.line.len() - self.line.trim_start().len()..self.span.end
    }
}

/// The first line of `span` in `text` (a heading's, without its line break).
pub fn first_line(text: &str, span: &Span) -> Span {
    let line = text[span.clone()].lines().next().unwrap_or_default();
    span.start..span.start + line.len()
}

/// A page as pulldown-cmark reads it: each container line a thematic break of its
/// length (`***`), which ends the paragraph or list before it as the container does;
/// the content of MkDocs' indented blocks without its indentation, and a `***` line
/// after it. The maps give every offset back its place in the file.
pub struct Prepared<'t> {
    pub text: Cow<'t, str>,
    /// The container lines, in the order of the text.
    pub fences: Vec<Fence>,
    /// From each rewriting's offsets to the text it rewrote, the first from the file's.
    maps: Vec<OffsetMap>,
    /// The file: the `***` line after the last line of a file without a line break
    /// at its end is at its end, and a place inside text put in for other text (an
    /// Obsidian callout's title, now on a line of its own) is on a character of it.
    file: &'t str,
    /// Hugo shortcodes tejun does not read, where they are in the file, and their names.
    pub unread_shortcodes: Vec<(Span, String)>,
}

/// More rewritings than this leave deeper blocks as the indented code they look like.
const MAX_NESTING: usize = 8;

/// The text pulldown-cmark reads for the page `text`. An MkDocs block inside
/// another shows itself only once the outer block's indentation is gone, so the
/// text is read again after each rewriting.
pub fn prepare(text: &str) -> Prepared<'_> {
    let mut prepared = Prepared {
        text: Cow::Borrowed(text),
        fences: Vec::new(),
        maps: Vec::new(),
        file: text,
        unread_shortcodes: Vec::new(),
    };
    for _ in 0..MAX_NESTING {
        let marks = marks(&prepared.text);
        if marks.iter().all(Mark::changes_nothing) {
            prepared.note_unread_shortcodes(&marks);
            break;
        }
        prepared.rewrite(&marks);
    }
    // A line is read again after each rewriting.
    prepared.unread_shortcodes.sort_by_key(|(span, _)| span.start);
    prepared.unread_shortcodes.dedup();
    prepared
}

/// A line found in one reading.
struct Mark {
    line: Span,
    kind: MarkKind,
}

enum MarkKind {
    /// A `:::` line, read by the builder, unless what it opens is known already
    /// (a Quarto callout titled by the heading under it).
    Colons(Option<Admonition>),
    /// A MyST directive's code fence (```` ```{note} ````), opening or closing it.
    Directive(Option<Admonition>),
    /// An MkDocs opening line, and the offset where the lines indented under it end.
    Indented(Admonition, usize),
    /// Docusaurus' `<TabItem label="Edge">`, the offset where its `</TabItem>` line
    /// starts, and the columns of indentation its content gives up (MDX reads no
    /// indented code, and writers indent the content under the tag).
    JsxTab { tab: Admonition, end: usize, columns: usize },
    /// An MkDocs block indented by `indent` spaces (in a list item, where a container
    /// cannot be), and the offset where its content ends: a note or a fold read as a
    /// GitHub alert, `> [!NOTE]` and the content quoted (the builder folds a fold's,
    /// [`quote_fold`]); a content tab (`html`) as the raw HTML a tab at the top of the
    /// page is made of, around the content.
    QuotedAlert { kind: Option<AlertKind>, title: String, indent: usize, end: usize, html: Option<Admonition> },
    /// A table of Pandoc's (grid, multiline, simple) or of raw HTML, the lines up to
    /// `end` read as the GitHub table `table`, and where the pieces it copied are
    /// in those lines (offsets from the line's start; see [`html_tables::TableText`]).
    Table { end: usize, table: String, places: Vec<(usize, usize)> },
    /// A line read as a blank one: a MyST directive's option (`:class: tip`), an
    /// MDX `import` line, Docusaurus' `</TabItem>` (its tab ends before it).
    Blank,
    /// Hugo's `{{< tabs >}}` (`true`) or `{{< /tabs >}}`, Docusaurus' `<Tabs>` or
    /// `</Tabs>`, read as a blank line: the tabs inside are marked first and last of
    /// their set.
    TabSet(bool),
    /// A line with parts read as other text: Hugo's `ref` and `relref` and the
    /// links they stand for, a MyST target (`(label)=`) and the anchor it is; and
    /// the shortcodes tejun does not read, left as written.
    Rewritten { replacements: Vec<(Span, String)>, unread: Vec<(Span, String)> },
}

impl Mark {
    /// Whether the mark leaves the text as it is: Hugo shortcodes tejun does not read.
    fn changes_nothing(&self) -> bool {
        matches!(&self.kind, MarkKind::Rewritten { replacements, .. } if replacements.is_empty())
    }
}

impl Prepared<'_> {
    /// Keeps where the shortcodes tejun does not read are, to report them.
    fn note_unread_shortcodes(&mut self, marks: &[Mark]) {
        for mark in marks {
            if let MarkKind::Rewritten { unread, .. } = &mark.kind {
                for (span, name) in unread {
                    let span = self.original(mark.line.start + span.start..mark.line.start + span.end);
                    self.unread_shortcodes.push((span, name.clone()));
                }
            }
        }
    }

    /// The container line `at` is on in the text read (a thematic break's start,
    /// after the line's indentation), if it is one.
    pub fn fence_at(&self, at: usize) -> Option<&Fence> {
        let index = self.fences.partition_point(|fence| fence.at + fence.line.len() <= at);
        self.fences.get(index).filter(|fence| fence.at <= at)
    }

    /// Where `range` of the text read is in the file.
    pub fn original(&self, range: Span) -> Span {
        if self.maps.is_empty() {
            return range;
        }
        let file_len = self.file.len();
        let mut start = self.maps.iter().rev().fold(range.start, |at, map| map.original(at)).min(file_len);
        // An end belongs to what is before it, not to the line after.
        let mut end = match range.end {
            0 => 0,
            end => self.maps.iter().rev().fold(end - 1, |at, map| map.original(at)) + 1,
        }
        .clamp(start, file_len);
        while !self.file.is_char_boundary(start) {
            start -= 1;
        }
        while !self.file.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }

    /// Masks the lines `marks` names, takes the indentation off MkDocs blocks'
    /// content and ends each with a `***` line.
    fn rewrite(&mut self, marks: &[Mark]) {
        self.note_unread_shortcodes(marks);
        let current = &self.text;
        let mut next = String::with_capacity(current.len() + 4 * marks.len());
        let mut map = OffsetMap::default();
        let mut fences = Vec::with_capacity(self.fences.len() + marks.len());
        let mut earlier = std::mem::take(&mut self.fences).into_iter().peekable();
        let mut marks = marks.iter().peekable();
        // Where the content being taken out of its indentation ends, and how many
        // columns each line gives up.
        let mut content_end: Option<(usize, usize)> = None;
        let mut quoted: Option<(usize, usize)> = None;
        // The closing tags of the fold or tab (made as raw HTML) whose content is
        // being taken out of its indentation; `None` while the content is a quote's.
        let mut html_closing: Option<String> = None;
        // Whether the line before is the last of a quote made for a note: the next
        // note right under it would go on in the same quote.
        let mut after_quote = false;
        let mut table_end: Option<usize> = None;
        let mut offset = 0;
        for line in current.split_inclusive('\n') {
            if let Some(end) = table_end {
                if offset < end {
                    offset += line.len();
                    continue;
                }
                table_end = None;
            }
            if let Some((indent, end)) = quoted {
                if offset < end {
                    // The content, without the note's indentation and its own four
                    // columns, after `> ` (a blank line: `>`, so the quote goes on);
                    // a fold's at the fold's indentation.
                    let blank = line.trim().is_empty();
                    let kept_from = match blank {
                        true => line.trim_end_matches(['\n', '\r']).len(),
                        false => bytes_of_columns(line, indent + 4),
                    };
                    map.point(next.len(), offset);
                    if !blank || html_closing.is_none() {
                        next.push_str(&" ".repeat(indent));
                    }
                    if html_closing.is_none() {
                        next.push_str(if blank { ">" } else { "> " });
                    }
                    map.point(next.len(), offset + kept_from);
                    next.push_str(&line[kept_from..]);
                    offset += line.len();
                    after_quote = html_closing.is_none();
                    continue;
                }
                quoted = None;
                if let Some(closing) = html_closing.take() {
                    map.point(next.len(), offset);
                    next.push_str(&closing);
                }
            }
            let quote_before = std::mem::take(&mut after_quote);
            if let Some((end, _)) = content_end.filter(|&(end, _)| end <= offset) {
                fences.push(self.closing_line(&mut next, &mut map, end));
                content_end = None;
            }
            while let Some(mut fence) = earlier.next_if(|fence| fence.at == offset) {
                fence.at = next.len();
                fences.push(fence);
            }
            if let Some(mark) = marks.next_if(|mark| mark.line.start == offset) {
                map.point(next.len(), offset);
                let (admonition, end) = match &mark.kind {
                    MarkKind::Indented(admonition, end) => (Some(admonition.clone()), Some((*end, 4))),
                    MarkKind::JsxTab { tab, end, columns } => (Some(tab.clone()), Some((*end, *columns))),
                    MarkKind::Directive(admonition) => (admonition.clone(), None),
                    MarkKind::Colons(admonition) => (admonition.clone(), None),
                    MarkKind::Table { end, table, places } => {
                        for &(place, at) in places {
                            map.point(next.len() + place, offset + at);
                        }
                        next.push_str(table);
                        next.push('\n');
                        table_end = Some(*end);
                        offset += line.len();
                        continue;
                    }
                    MarkKind::Blank | MarkKind::TabSet(_) => {
                        next.push_str(&" ".repeat(mark.line.len()));
                        next.push_str(&line[mark.line.len()..]);
                        offset += line.len();
                        continue;
                    }
                    MarkKind::QuotedAlert { kind, title, indent, end, html } => {
                        if quote_before {
                            next.push('\n');
                        }
                        match html.as_ref().and_then(|html| html_lines(html, *indent)) {
                            Some((opening, closing)) => {
                                next.push_str(&opening);
                                html_closing = Some(closing);
                            }
                            None => next.push_str(&alert_opening(*kind, title, *indent)),
                        }
                        quoted = Some((*indent, *end));
                        offset += line.len();
                        continue;
                    }
                    MarkKind::Rewritten { replacements, .. } => {
                        let mut copied = 0;
                        for (span, target) in replacements {
                            map.point(next.len(), offset + copied);
                            next.push_str(&line[copied..span.start]);
                            map.point(next.len(), offset + span.start);
                            next.push_str(target);
                            copied = span.end;
                        }
                        map.point(next.len(), offset + copied);
                        next.push_str(&line[copied..]);
                        offset += line.len();
                        continue;
                    }
                };
                fences.push(Fence {
                    span: self.original(mark.line.clone()),
                    line: current[mark.line.clone()].to_string(),
                    at: next.len(),
                    closing: matches!(mark.kind, MarkKind::Directive(None)),
                    admonition,
                });
                next.push_str(&masked_line(line));
                content_end = end.or(content_end);
            } else {
                let cut = match content_end {
                    Some((_, columns)) if line.trim().is_empty() => {
                        bytes_of_columns(line, columns).min(line.trim_end_matches(['\n', '\r']).len())
                    }
                    Some((_, columns)) => bytes_of_columns(line, columns),
                    None => 0,
                };
                map.point(next.len(), offset + cut);
                next.push_str(&line[cut..]);
            }
            offset += line.len();
        }
        if let Some(closing) = html_closing {
            if !next.ends_with('\n') {
                next.push('\n');
            }
            map.point(next.len(), offset);
            next.push_str(&closing);
        }
        if let Some((end, _)) = content_end {
            fences.push(self.closing_line(&mut next, &mut map, end));
        }
        fences.extend(earlier);
        self.fences = fences;
        self.maps.push(map);
        self.text = Cow::Owned(next);
    }

    /// A `***` line after an MkDocs block's content, which ends at `end`.
    fn closing_line(&self, next: &mut String, map: &mut OffsetMap, end: usize) -> Fence {
        if !next.is_empty() && !next.ends_with('\n') {
            next.push('\n');
        }
        map.point(next.len(), end);
        let at = next.len();
        next.push_str("***\n");
        let place = self.original(end..end);
        Fence { span: place, line: ":::".to_string(), at, admonition: None, closing: true }
    }
}

/// The lines that open a GitHub alert for an indented MkDocs note: `> [!WARNING]`,
/// and its title in bold; without a kind, a quote under the title.
fn alert_opening(kind: Option<AlertKind>, title: &str, indent: usize) -> String {
    let indent = " ".repeat(indent);
    let mut lines = match kind {
        Some(kind) => format!("{indent}> [!{}]\n", kind.as_str().to_ascii_uppercase()),
        None if title.is_empty() => format!("{indent}>\n"),
        None => String::new(),
    };
    if !title.is_empty() {
        let mut escaped = String::with_capacity(title.len());
        for c in title.chars() {
            if c.is_ascii_punctuation() {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        lines.push_str(&format!("{indent}> **{escaped}**\n{indent}>\n"));
    }
    lines
}

/// The lines around an indented MkDocs tab's content, each a block of raw HTML of its
/// own (blank lines around it): what [`super::container_blocks`] puts around a tab at
/// the top of the page. `None` for other admonitions.
fn html_lines(admonition: &Admonition, indent: usize) -> Option<(String, String)> {
    let empty = VariantBlock { condition: Condition::default(), blocks: Vec::new(), span: 0..0 };
    let blocks = super::container_blocks((empty, Some(admonition.clone())));
    let [Block::Html(opening), Block::Html(closing)] = blocks.as_slice() else { return None };
    let indented = |html: &str| html.lines().map(|line| format!("{}{line}\n", " ".repeat(indent))).collect::<String>();
    Some((format!("{}\n", indented(opening)), format!("\n{}\n", indented(closing))))
}

/// `line` as a thematic break of the same length: its indentation, `***` for its
/// first three characters (`:::`, `!!!`, a code fence, `{{<`) and spaces, its line
/// break kept. Every container line is at least three characters long.
fn masked_line(line: &str) -> String {
    let content = line.trim_end_matches(['\n', '\r']);
    let indent = content.len() - content.trim_start_matches(' ').len();
    let mut masked = String::with_capacity(line.len());
    masked.push_str(&content[..indent]);
    for (index, c) in content[indent..].chars().enumerate() {
        let mark = if index < 3 { '*' } else { ' ' };
        (0..c.len_utf8()).for_each(|_| masked.push(mark));
    }
    masked.push_str(&line[content.len()..]);
    masked
}

/// Offsets of a rewritten text to those of the text it was made from: at each
/// point, a start in both, from where they advance together.
#[derive(Default)]
struct OffsetMap {
    points: Vec<(usize, usize)>,
}

impl OffsetMap {
    fn point(&mut self, rewritten: usize, original: usize) {
        let same_shift =
            self.points.last().is_some_and(|&(r, o)| o.wrapping_sub(r) == original.wrapping_sub(rewritten));
        if !same_shift {
            self.points.push((rewritten, original));
        }
    }

    fn original(&self, at: usize) -> usize {
        match self.points.partition_point(|&(rewritten, _)| rewritten <= at) {
            0 => at,
            index => {
                let (rewritten, original) = self.points[index - 1];
                // Text the rewriting put in (a `***` line) is where the next text is.
                let next = self.points.get(index).map_or(usize::MAX, |&(_, next)| next);
                (original + (at - rewritten)).min(next)
            }
        }
    }
}

/// The container lines of `text` outside code, raw HTML and `+++` blocks: every
/// line starting with `:::` (after at most three spaces), MkDocs' `!!!`, `???` and
/// `===` lines at the start of a line with the end of the lines indented under
/// them, the fences of MyST's directives with the options after them, Hugo's
/// shortcodes and Liquid's tags alone on a line or inside one, Obsidian's callouts,
/// Notion's asides, wiki links and kramdown's attribute lists.
fn marks(text: &str) -> Vec<Mark> {
    let Some(kinds) = kinds_of_marks(text) else {
        return Vec::new();
    };
    let Kinds { colons, mkdocs, directives, jsx, targets, callouts, asides, mdx, comments, attribute_lists, .. } =
        kinds;
    let mut candidates = Vec::new();
    let mut jsx_lines = Vec::new();
    let mut offset = 0;
    let mut quoted_before = false;
    let mut last_line: Option<Span> = None;
    // How many bytes at the start of this line end a Pandoc span wrapped from the last.
    let mut span_ends_here: Option<usize> = None;
    let mut hidden_block = None;
    // The code fence the line is in: in code, nothing is hidden, and a line there
    // (MATLAB's `%%`) opens nothing.
    let mut fence = None;
    let mut docfx = kinds.docfx.then(docfx::Reader::default);
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let span = offset..offset + content.len();
        let was_quoted = std::mem::replace(&mut quoted_before, content[indent..].starts_with('>'));
        let previous_line = last_line.replace(span.clone());
        let wrapped = (kinds.spans && content.contains("]{"))
            .then(|| wrapped_pandoc_span(content, &text[offset + line.len()..]))
            .flatten();
        let after_blank = previous_line.as_ref().is_none_or(|line| text[line.clone()].trim().is_empty());
        let in_code = (mdx || comments) && hidden_block.is_none() && in_fence(&mut fence, &content[indent..]);
        if (mdx || comments) && !in_code && hides(&mut hidden_block, &content[indent..], indent, after_blank, &kinds) {
            candidates.push(Mark { line: span, kind: MarkKind::Blank });
        } else if let Some(end) = span_ends_here.take() {
            let kind = MarkKind::Rewritten { replacements: vec![(0..end, String::new())], unread: Vec::new() };
            candidates.push(Mark { line: span, kind });
        } else if let Some(reading) = docfx.as_mut().and_then(|docfx| docfx.line(content, &text[offset + line.len()..]))
        {
            let kind = match reading {
                docfx::Reading::Blank => MarkKind::Blank,
                docfx::Reading::Replaced(replacements) => MarkKind::Rewritten { replacements, unread: Vec::new() },
            };
            candidates.push(Mark { line: span, kind });
        } else if colons && indent <= 3 && content[indent..].starts_with(":::") {
            candidates.push(Mark { line: span, kind: MarkKind::Colons(None) });
        } else if let Some(admonition) = mkdocs.then(|| mkdocs_opening(content)).flatten() {
            candidates.push(Mark { line: span, kind: MarkKind::Indented(admonition, 0) });
        } else if let (true, 1.., Some(admonition)) =
            (mkdocs, indent, mkdocs.then(|| mkdocs_opening(&content[indent..])).flatten())
        {
            let (kind, title, html) = match admonition {
                Admonition::Alert(kind, title) | Admonition::FoldedAlert { kind, title, .. } => {
                    (Some(kind), title, None)
                }
                Admonition::Tab { ref label, .. } => (None, label.clone(), Some(admonition)),
                _ => (None, String::new(), None),
            };
            candidates.push(Mark { line: span, kind: MarkKind::QuotedAlert { kind, title, indent, end: 0, html } });
        } else if let Some(opening) = (callouts && !was_quoted).then(|| callout_opening(content)).flatten() {
            let kind = MarkKind::Rewritten { replacements: vec![(0..content.len(), opening)], unread: Vec::new() };
            candidates.push(Mark { line: span, kind });
        } else if attribute_lists && indent <= 3 && is_attribute_list_line(&content[indent..]) {
            // kramdown's contents mark, `* TOC` with `{:toc}` under it, goes whole.
            let is_contents = content.contains("toc}") && !content.contains("no_toc");
            if let Some(previous) = previous_line.clone().filter(|line| is_contents && is_toc_item(&text[line.clone()]))
            {
                candidates.push(Mark { line: previous, kind: MarkKind::Blank });
            }
            candidates.push(Mark { line: span.clone(), kind: MarkKind::Blank });
        } else if let Some(line) = (asides && indent <= 3).then(|| aside_line(content, &text[span.end..])).flatten() {
            jsx_lines.push((span, line));
        } else if let Some(mark) = inline_mark(content, span.clone(), indent, &kinds, wrapped.as_ref()) {
            if let Some((_, _, end)) = wrapped {
                span_ends_here = Some(end);
            }
            candidates.push(mark);
        } else if let Some(line) = (jsx && indent <= 3).then(|| jsx_line(&content[indent..])).flatten() {
            jsx_lines.push((span, line));
        } else if let Some(label) = targets.then(|| myst_target(content)).flatten() {
            // A line of raw HTML goes on to the next blank line: the heading under
            // the target would be taken into it.
            let anchor = format!("<div id=\"{label}\"></div>\n");
            let kind = MarkKind::Rewritten { replacements: vec![(0..content.len(), anchor)], unread: Vec::new() };
            candidates.push(Mark { line: span, kind });
        }
        offset += line.len();
    }
    if kinds.tables {
        candidates.extend(pandoc_tables::find(text).into_iter().map(|table| Mark {
            line: table.lines.clone(),
            kind: MarkKind::Table { end: table.lines.end, table: table.markdown, places: Vec::new() },
        }));
    }
    if candidates.is_empty() && jsx_lines.is_empty() && !directives && !kinds.html_tables {
        return candidates;
    }
    let (mut verbatim, mut html) = (Vec::new(), Vec::new());
    for (event, range) in Parser::new_ext(text, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                match myst_directive(info.trim()).and_then(|(name, title)| myst_admonition(name, title)) {
                    Some(admonition) => candidates.extend(directive_fences(text, range, admonition)),
                    None => verbatim.push(range),
                }
            }
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => verbatim.push(range),
            Event::Start(Tag::HtmlBlock) => html.push(range),
            _ => {}
        }
    }
    let inside = |ranges: &[Span], at: usize| ranges.iter().any(|range| range.contains(&at));
    candidates.retain(|mark| !inside(&verbatim, mark.line.start) && !inside(&html, mark.line.start));
    if kinds.html_tables {
        candidates.extend(html.iter().filter_map(|range| html_table(text, range)));
    }
    // Docusaurus' tags are raw HTML to CommonMark; only code holds them as text.
    jsx_lines.retain(|(span, _)| !inside(&verbatim, span.start));
    candidates.extend(jsx_marks(text, jsx_lines));
    candidates.sort_by_key(|mark| mark.line.start);
    for mark in &mut candidates {
        match &mut mark.kind {
            MarkKind::Indented(_, end) => *end = indented_content_end(text, mark.line.end, 0),
            MarkKind::QuotedAlert { indent, end, .. } => *end = indented_content_end(text, mark.line.end, *indent),
            _ => {}
        }
    }
    // A line inside an MkDocs block's content is read once the block is rewritten.
    let mut content_end = 0;
    candidates.retain(|mark| {
        let outside = mark.line.start >= content_end;
        if let (
            true,
            MarkKind::Indented(_, end)
            | MarkKind::QuotedAlert { end, .. }
            | MarkKind::JsxTab { end, .. }
            | MarkKind::Table { end, .. },
        ) = (outside, &mark.kind)
        {
            content_end = *end;
        }
        outside
    });
    group_tabs(text, &mut candidates);
    group_tab_sets(&mut candidates);
    let options = directive_options(text, &candidates);
    candidates.extend(options);
    let titles = callout_titles(text, &mut candidates);
    candidates.extend(titles);
    candidates.sort_by_key(|mark| mark.line.start);
    candidates
}

/// Which kinds of marks a page may have, by the strings they start with; `None`
/// for most pages, which have none.
#[derive(Clone, Copy)]
struct Kinds {
    colons: bool,
    mkdocs: bool,
    directives: bool,
    /// Hugo's shortcodes, Liquid's tags.
    templates: bool,
    jsx: bool,
    targets: bool,
    /// Obsidian's callouts, `> [!tip] 題`.
    callouts: bool,
    /// Notion's callouts, `<aside>` … `</aside>`.
    asides: bool,
    /// MDX's `import` and `export` blocks and `{/* comments */}`.
    mdx: bool,
    /// Obsidian's comments, `%%…%%`.
    comments: bool,
    /// Wiki links, `[[設定]]`.
    wikilinks: bool,
    /// kramdown's attribute lists alone on a line, `{: .no_toc }`, `{:toc}`.
    attribute_lists: bool,
    /// Zenn's image widths (`=250x)`) and embeds (`@[card](…)`).
    zenn: bool,
    /// MyST's `{doc}` and `{ref}` roles.
    roles: bool,
    /// Pandoc's bracketed spans, `[下線]{.underline}` (Word's underlines).
    spans: bool,
    /// Pandoc's tables (grid, multiline, simple).
    tables: bool,
    /// Tables in raw HTML, `<table>`.
    html_tables: bool,
    /// List items typed with a full-width space after the marker, `1.　設定`.
    full_width_items: bool,
    /// Microsoft Learn's marks: `:::image`, `:::zone`, tabs (`#tab/`), `[!div]`, `[!VIDEO]`.
    docfx: bool,
}

fn kinds_of_marks(text: &str) -> Option<Kinds> {
    use memchr::memmem::Finder;
    // memchr's SIMD search, each searcher built once: a pass over the page for each
    // costs less than one pass looking at every line's start, and than a search for
    // all of them at once (aho-corasick), both measured. Marks that start with a
    // byte rare in manuals (`{`, `<`, `[`) share one search for the byte.
    static FINDERS: std::sync::LazyLock<[Finder<'static>; 6]> = std::sync::LazyLock::new(|| {
        [":::", "!!!", "???", "===", "```{", ")="].map(|needle| Finder::new(needle.as_bytes()))
    });
    let bytes = text.as_bytes();
    let [colons, warning, folded, tab, directive, target] = &*FINDERS;
    let mut kinds = Kinds {
        colons: colons.find(bytes).is_some(),
        mkdocs: warning.find(bytes).is_some() || folded.find(bytes).is_some() || tab.find(bytes).is_some(),
        directives: directive.find(bytes).is_some(),
        targets: target.find(bytes).is_some(),
        templates: false,
        jsx: false,
        callouts: false,
        asides: false,
        mdx: may_have_esm(text),
        comments: memchr::memmem::find(text.as_bytes(), b"%%").is_some(),
        wikilinks: false,
        attribute_lists: false,
        zenn: false,
        roles: false,
        spans: false,
        tables: pandoc_tables::may_have(text),
        html_tables: false,
        full_width_items: has_full_width_items(text),
        docfx: false,
    };
    kinds.docfx = kinds.colons && docfx::may_have_colon_marks(text) || docfx::may_have_tabs(text);
    for at in memchr::memchr3_iter(b'{', b'<', b'[', bytes) {
        let rest = &bytes[at..];
        match rest {
            // Hugo's `{{`, Liquid's `{%`, kramdown's `{:`.
            [b'{', b'{' | b'%', ..] => kinds.templates = true,
            [b'{', b':', ..] => kinds.attribute_lists = true,
            [b'{', b'.' | b'#', ..] if at > 0 && bytes[at - 1] == b']' => kinds.spans = true,
            [b'{', b'd', b'o', b'c', b'}', b'`', ..] | [b'{', b'r', b'e', b'f', b'}', b'`', ..] => kinds.roles = true,
            [b'<', b'T', b'a', b'b', ..] => kinds.jsx = true,
            [b'{', b'/', b'*', ..] => kinds.mdx = true,
            [b'<', b't', b'a', b'b', b'l', b'e', ..] | [b'<', b'T', b'A', b'B', b'L', b'E', ..] => {
                kinds.html_tables = true
            }
            [b'<', b'a', b's', b'i', b'd', b'e', b'>', ..] => kinds.asides = true,
            [b'[', b'[', ..] => kinds.wikilinks = true,
            [b'[', ..] if at > 0 && bytes[at - 1] == b'@' => kinds.zenn = true,
            // Many manuals have GitHub's alerts, which pulldown-cmark reads itself.
            [b'[', b'!', ..] if !is_github_alert_mark(&text[at..]) => {
                kinds.callouts = true;
                kinds.docfx |= docfx::is_quote_mark(&text[at..]);
            }
            _ => {}
        }
    }
    kinds.zenn |=
        memchr::memchr_iter(b'=', bytes).any(|at| at > 0 && bytes[at - 1] == b' ' && is_zenn_size(&bytes[at + 1..]));
    let any = kinds.colons || kinds.mkdocs || kinds.directives || kinds.templates || kinds.jsx || kinds.targets;
    let others = kinds.callouts || kinds.asides || kinds.mdx || kinds.comments || kinds.wikilinks;
    let others = others || kinds.attribute_lists || kinds.zenn || kinds.docfx;
    let tables = kinds.tables || kinds.html_tables;
    (any || others || kinds.roles || kinds.spans || tables || kinds.full_width_items).then_some(kinds)
}

/// Whether a line of `text` is a list item typed with a full-width space after its
/// marker. The space is E3 80 80 in UTF-8, and its last two bytes are what is looked
/// for: searched whole, every 、。「」 (E3 80 8x) was a candidate to check.
fn has_full_width_items(text: &str) -> bool {
    static TAIL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\x80\x80"));
    let bytes = text.as_bytes();
    TAIL.find_iter(bytes).any(|tail| {
        let Some(at) = tail.checked_sub(1).filter(|&at| bytes[at] == 0xE3) else { return false };
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |n| n + 1);
        full_width_space_after_marker(&text[line_start..]) == Some(at - line_start)
    })
}

/// Where the full-width space is in a list item typed with one after its marker
/// (`1.　設定を開きます`, `-　項目`), as Japanese input leaves it: CommonMark needs an
/// ASCII space there, and without one the items ran on as one paragraph.
fn full_width_space_after_marker(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let marker = match rest.as_bytes().first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 9 || !matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    rest[marker..].starts_with('\u{3000}').then_some(indent + marker)
}

/// The opening and closing fence of a MyST directive written as code
/// (```` ```{note} ```` … ```` ``` ````) that spans `range`; an unclosed one only
/// opens, and is reported as a container never closed.
fn directive_fences(text: &str, range: Span, admonition: Admonition) -> Vec<Mark> {
    let block = &text[range.clone()];
    let opening = range.start..range.start + block.find('\n').unwrap_or(block.len());
    let mut marks = vec![Mark { line: opening.clone(), kind: MarkKind::Directive(Some(admonition)) }];
    if super::markdown::fence_is_closed(block) {
        let body = block.trim_end_matches(['\n', '\r']);
        let last_start = range.start + body.rfind('\n').map_or(0, |i| i + 1);
        if last_start > opening.start {
            marks.push(Mark { line: last_start..range.start + body.len(), kind: MarkKind::Directive(None) });
        }
    }
    marks
}

/// Quarto's callouts titled by a heading right under their opening line (`:::
/// {.callout-note}`, `## 題`): the title goes to the callout, and the heading line
/// is read as a blank one, which it returns.
fn callout_titles(text: &str, marks: &mut [Mark]) -> Vec<Mark> {
    let mut headings = Vec::new();
    for mark in marks.iter_mut() {
        let MarkKind::Colons(known @ None) = &mut mark.kind else { continue };
        let rest = text[mark.line.clone()].trim_start().trim_start_matches(':').trim();
        let (kind, title, fold) = match pandoc_attributes(rest).map(|a| pandoc_div(&a)) {
            Some(Admonition::Alert(kind, title)) => (kind, title, Fold::None),
            Some(Admonition::FoldedAlert { kind, title, fold }) => (kind, title, fold),
            _ => continue,
        };
        let next_start = text[mark.line.end..].find('\n').map_or(text.len(), |i| mark.line.end + i + 1);
        let Some((offset, line)) = lines_with_offsets(&text[next_start..]).find(|(_, line)| !line.trim().is_empty())
        else {
            continue;
        };
        let content = line.trim_end_matches(['\n', '\r']);
        let hashes = content.bytes().take_while(|&b| b == b'#').count();
        let heading = content[hashes..].strip_prefix(' ').map(str::trim);
        if let (true, Some(heading), true) = ((1..=6).contains(&hashes), heading, title.is_empty()) {
            let title = heading.to_string();
            *known = Some(match fold {
                Fold::None => Admonition::Alert(kind, title),
                fold => Admonition::FoldedAlert { kind, title, fold },
            });
            let start = next_start + offset;
            headings.push(Mark { line: start..start + content.len(), kind: MarkKind::Blank });
        }
    }
    headings
}

/// The option lines (`:class: tip`, `:open:`) right after each MyST directive's
/// opening line.
fn directive_options(text: &str, marks: &[Mark]) -> Vec<Mark> {
    let mut options = Vec::new();
    for mark in marks {
        let line = &text[mark.line.clone()];
        let is_myst = match mark.kind {
            MarkKind::Directive(Some(_)) => true,
            MarkKind::Colons(_) => myst_directive(line.trim_start().trim_start_matches(':').trim()).is_some(),
            _ => false,
        };
        if !is_myst {
            continue;
        }
        let mut offset = text[mark.line.end..].find('\n').map_or(text.len(), |i| mark.line.end + i + 1);
        for next in text[offset..].split_inclusive('\n') {
            let content = next.trim_end_matches(['\n', '\r']);
            if !is_directive_option(content) {
                break;
            }
            options.push(Mark { line: offset..offset + content.len(), kind: MarkKind::Blank });
            offset += next.len();
        }
    }
    options
}

/// `:name:` or `:name: value`.
fn is_directive_option(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(':') else { return false };
    let Some((name, _)) = rest.split_once(':') else { return false };
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Where the lines indented under the line ending at `line_end`, itself indented
/// `base` spaces, end: after the last line indented by four columns more or further
/// before a line that is not, blank lines between them included.
fn indented_content_end(text: &str, line_end: usize, base: usize) -> usize {
    let after_line = text[line_end..].find('\n').map_or(text.len(), |i| line_end + i + 1);
    let mut end = after_line;
    let mut offset = after_line;
    for line in text[after_line..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.trim().is_empty() {
            if columns_of_indentation(content) < base + 4 {
                break;
            }
            end = offset + line.len();
        }
        offset += line.len();
    }
    end
}

/// How many bytes of `line`'s indentation make `columns` columns (a tab to the next
/// multiple of four), or all of it when it has fewer.
fn bytes_of_columns(line: &str, columns: usize) -> usize {
    let mut seen = 0;
    for (at, byte) in line.bytes().enumerate() {
        if seen >= columns {
            return at;
        }
        match byte {
            b' ' => seen += 1,
            b'\t' => seen += 4 - seen % 4,
            _ => return at,
        }
    }
    line.len()
}

/// The columns `line`'s indentation takes, a tab to the next multiple of four.
fn columns_of_indentation(line: &str) -> usize {
    let mut columns = 0;
    for byte in line.bytes() {
        match byte {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => break,
        }
    }
    columns
}

/// The mark a line with Hugo shortcodes, Liquid tags or wiki links is: a container
/// line when it holds only a shortcode or tag (and is not indented as code), else
/// the links and others inside it, and `wrapped`, a Pandoc span at its end that ends
/// on the next line ([`wrapped_pandoc_span`]).
fn inline_mark(
    content: &str,
    span: Span,
    indent: usize,
    kinds: &Kinds,
    wrapped: Option<&(usize, String, usize)>,
) -> Option<Mark> {
    let Kinds { templates, wikilinks, zenn, roles, spans, .. } = *kinds;
    let has_templates = templates && (content.contains("{{") || content.contains("{%"));
    let block_line = || hugo::block_line(content).or_else(|| liquid::block_line(content));
    if let Some(line) = (has_templates && indent <= 3).then(block_line).flatten() {
        let kind = match line {
            hugo::Line::Open(admonition) => MarkKind::Directive(Some(admonition)),
            hugo::Line::Close => MarkKind::Directive(None),
            hugo::Line::Tabs(opening) => MarkKind::TabSet(opening),
            hugo::Line::Blank => MarkKind::Blank,
            hugo::Line::Replaced(markdown) => {
                MarkKind::Rewritten { replacements: vec![(0..content.len(), markdown)], unread: Vec::new() }
            }
        };
        return Some(Mark { line: span, kind });
    }
    let (mut replacements, mut unread) = match has_templates {
        true => (hugo::links(content), hugo::others(content)),
        false => (Vec::new(), Vec::new()),
    };
    if has_templates && content.contains("{%") {
        let (read, others) = liquid::inline(content);
        replacements.extend(read);
        unread.extend(others);
    }
    if roles && content.contains("}`") {
        replacements.extend(wikilinks::roles(content));
    }
    if zenn && (content.contains(" =") || content.contains("@[")) {
        replacements.extend(zenn::find(content));
    }
    if spans && content.contains("]{") {
        replacements.extend(pandoc_spans(content));
    }
    if kinds.comments && content.contains("%%") {
        replacements.extend(obsidian_comments(content));
    }
    if let Some((start, replacement, _)) = wrapped {
        replacements.push((*start..content.len(), replacement.clone()));
    }
    // Three ASCII spaces for the full-width one: the same length, so every place in
    // the line stays where it was.
    if let Some(at) = kinds.full_width_items.then(|| full_width_space_after_marker(content)).flatten() {
        replacements.push((at..at + '\u{3000}'.len_utf8(), "   ".to_string()));
    }
    if wikilinks && content.contains("[[") {
        // A link inside a shortcode is the shortcode's.
        let links: Vec<_> = wikilinks::find(content)
            .into_iter()
            .filter(|(range, _)| {
                let overlaps = |other: &Span| other.start < range.end && range.start < other.end;
                !replacements.iter().chain(&unread).any(|(other, _)| overlaps(other))
            })
            .collect();
        replacements.extend(links);
    }
    replacements.sort_by_key(|(range, _)| range.start);
    drop_overlapping(&mut replacements);
    (!replacements.is_empty() || !unread.is_empty())
        .then_some(Mark { line: span, kind: MarkKind::Rewritten { replacements, unread } })
}

/// What MDX or Obsidian reads as code or a comment and never shows, going on from
/// one line to the next.
#[derive(Clone, Copy, PartialEq)]
enum Hidden {
    /// MDX's `import …` and `export …` (ESM), to the next blank line.
    Esm,
    /// MDX's `{/* … */}`, to the line it closes on.
    MdxComment,
    /// Obsidian's `%%` on a line of its own (or starting one) to the next `%%`.
    ObsidianComment,
}

/// Whether the line `trimmed` (indented `indent`) is one MDX or Obsidian hides — an
/// ESM block's, or a comment's — keeping `block` up to date. An ESM block starts at
/// a blank line with `import … from '…'` or `export const …`; a line of prose that
/// starts with "import" or "export" is no ESM. Comments within a line are
/// [`obsidian_comments`].
fn hides(block: &mut Option<Hidden>, trimmed: &str, indent: usize, after_blank: bool, kinds: &Kinds) -> bool {
    match *block {
        Some(Hidden::Esm) if trimmed.is_empty() => *block = None,
        Some(Hidden::Esm) => return true,
        Some(Hidden::MdxComment) => {
            if trimmed.trim_end().ends_with("*/}") {
                *block = None;
            }
            return true;
        }
        Some(Hidden::ObsidianComment) => {
            if trimmed.contains("%%") {
                *block = None;
            }
            return true;
        }
        None if kinds.mdx && indent == 0 && after_blank && is_esm(trimmed) => {
            *block = Some(Hidden::Esm);
            return true;
        }
        None if kinds.mdx && indent <= 3 && trimmed.starts_with("{/*") => {
            if !trimmed.trim_end().ends_with("*/}") {
                *block = Some(Hidden::MdxComment);
            }
            return true;
        }
        None if kinds.comments
            && indent <= 3
            && trimmed.strip_prefix("%%").is_some_and(|rest| !rest.contains("%%")) =>
        {
            *block = Some(Hidden::ObsidianComment);
            return true;
        }
        None => {}
    }
    false
}

/// The line of `text` that opens a comment never closed, which hides the rest of
/// the page: Obsidian's `%%` (as Obsidian hides it), MDX's `{/*`; and the mark that
/// would close it.
pub fn unclosed_comment(text: &str) -> Option<(Span, &'static str)> {
    // Most pages have neither mark: one search each, not the scan for every kind.
    let finds = |mark: &[u8]| memchr::memmem::find(text.as_bytes(), mark).is_some();
    if !finds(b"%%") && !finds(b"{/*") {
        return None;
    }
    let kinds = kinds_of_marks(text).filter(|kinds| kinds.mdx || kinds.comments)?;
    let (mut block, mut fence, mut opening) = (None, None, 0..0);
    let (mut offset, mut after_blank) = (0, true);
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let was_open = block.is_some();
        let in_code = !was_open && in_fence(&mut fence, &content[indent..]);
        if !in_code && hides(&mut block, &content[indent..], indent, after_blank, &kinds) && !was_open {
            opening = offset + indent..offset + content.len();
        }
        after_blank = content.trim().is_empty();
        offset += line.len();
    }
    match block? {
        Hidden::ObsidianComment => Some((opening, "%%")),
        Hidden::MdxComment => Some((opening, "*/}")),
        Hidden::Esm => None,
    }
}

/// Whether the line `trimmed` is a code fence's or a line in code, keeping `fence`
/// (the one open) up to date.
fn in_fence(fence: &mut Option<(u8, usize)>, trimmed: &str) -> bool {
    match *fence {
        Some((c, len)) => {
            if closes_fence(trimmed, c, len) {
                *fence = None;
            }
            true
        }
        None => {
            *fence = fence_opening(trimmed);
            fence.is_some()
        }
    }
}

/// Obsidian's comments within `line`, `%%…%%`, each to be dropped; not in inline
/// code (after an odd number of backticks, as [`wikilinks::find`] tells).
fn obsidian_comments(line: &str) -> Vec<(Span, String)> {
    let in_code = |at: usize| line.as_bytes()[..at].iter().filter(|&&b| b == b'`').count() % 2 == 1;
    let marks: Vec<usize> = memchr::memmem::find_iter(line.as_bytes(), b"%%").filter(|&at| !in_code(at)).collect();
    let mut comments = Vec::new();
    let mut pairs = marks.iter();
    while let (Some(&open), Some(&close)) = (pairs.next(), pairs.next()) {
        if close >= open + 2 {
            comments.push((open..close + 2, String::new()));
        }
    }
    comments
}

/// Whether `line` starts an MDX `import` or `export`: `import Tabs from
/// '@theme/Tabs';`, `import './styles.css';`, `export const toc = […];`,
/// `export default function Layout(…) {`.
fn is_esm(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("import ") {
        return rest.contains(" from '") || rest.contains(" from \"") || rest.starts_with(['\'', '"']);
    }
    let Some(rest) = line.strip_prefix("export ") else { return false };
    let declares = ["const ", "let ", "var ", "function ", "async function ", "class ", "default ", "{"]
        .iter()
        .any(|keyword| rest.starts_with(keyword));
    declares && rest.contains(['=', '(', '{', ';'])
}

/// Whether a line of `text` may start an MDX `import` or `export`.
fn may_have_esm(text: &str) -> bool {
    use memchr::memmem::Finder;
    static STARTS: std::sync::LazyLock<[Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| ["\nimport ", "\nexport "].map(|needle| Finder::new(needle.as_bytes())));
    let bytes = text.as_bytes();
    text.starts_with("import ") || text.starts_with("export ") || STARTS.iter().any(|start| start.find(bytes).is_some())
}

/// The label of a MyST target line, `(label)=`, which names the heading or block
/// after it for links (`[…](#label)`, `[…](page.md#label)`).
fn myst_target(line: &str) -> Option<&str> {
    let label = line.trim_end().strip_prefix('(')?.strip_suffix(")=")?;
    let valid = !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    valid.then_some(label)
}

/// A line of Docusaurus' tabs, or an MDX `import` line, which shows nothing; or
/// Notion's `<aside>` (with the kind of alert it is) or `</aside>`.
enum Jsx {
    Tabs(bool),
    Item(Admonition),
    ItemEnd,
    Import,
    Aside(Option<AlertKind>),
}

/// Whether `line` is only a kramdown attribute list: `{: .no_toc }`, `{:toc}`,
/// `{: #id .class key="value"}`.
fn is_attribute_list_line(line: &str) -> bool {
    let Some(inner) = line.trim_end().strip_prefix("{:").and_then(|rest| rest.strip_suffix('}')) else { return false };
    !inner.contains(['{', '}'])
}

/// Whether `line` is the list item kramdown's contents mark stands in: `* TOC`,
/// `- TOC`, `1. TOC`.
fn is_toc_item(line: &str) -> bool {
    let line = line.trim();
    let item = line.strip_prefix(['*', '-', '+']).or_else(|| line.strip_prefix("1.")).unwrap_or_default();
    item.trim().eq_ignore_ascii_case("toc") || item.trim().eq_ignore_ascii_case("table of contents")
}

/// Whether `rest` (after a ` =`) is the rest of a Zenn image's size: `250x)`,
/// `250x100)`, `x100)`.
fn is_zenn_size(rest: &[u8]) -> bool {
    let width = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(rest) = rest[width..].strip_prefix(b"x") else { return false };
    let height = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    width + height > 0 && rest.get(height) == Some(&b')')
}

/// Whether `rest`, from a `[!`, is a GitHub alert's mark (`[!WARNING]`) with
/// nothing after it on its line.
fn is_github_alert_mark(rest: &str) -> bool {
    let Some((word, after)) = rest[2..].split_once(']') else { return false };
    let line_rest = after.split('\n').next().unwrap_or_default();
    matches!(word, "NOTE" | "TIP" | "IMPORTANT" | "WARNING" | "CAUTION") && line_rest.trim().is_empty()
}

/// The GitHub alert that stands for an Obsidian callout's first line (`> [!tip]
/// 題`, `> [!warning]- 題`, folded in Obsidian, `> [!info]`): `> [!TIP]` and the
/// title in bold on the lines after it. `None` for a line that is already a GitHub
/// alert's, and for any other.
fn callout_opening(line: &str) -> Option<String> {
    let (indent, kind_word, after) = callout_parts(line)?;
    let title = after.strip_prefix(['-', '+']).unwrap_or(after).trim();
    // GitHub's five kinds as GitHub means them (Obsidian's `caution` is a warning).
    let kind = match kind_word.to_ascii_lowercase().as_str() {
        "caution" => AlertKind::Caution,
        _ => mkdocs_kind(kind_word),
    };
    Some(alert_opening(Some(kind), title, indent).trim_end_matches('\n').to_string())
}

/// An Obsidian callout's first line in parts: its indentation, its type (`tip`) and
/// what follows the type's `]` (the fold mark and title, `- 題`).
fn callout_parts(line: &str) -> Option<(usize, &str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line[indent..].strip_prefix('>')?.trim_start().strip_prefix("[!")?;
    let (kind_word, after) = rest.split_once(']')?;
    let is_word = !kind_word.is_empty() && kind_word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !is_word || is_github_alert_mark(&line[line.len() - rest.len() - 2..]) {
        return None;
    }
    Some((indent, kind_word, after))
}

/// Whether the alert quoted at `span` of the file `text` folds: an Obsidian callout
/// `> [!tip]- 題` is folded until the reader opens it, `> [!tip]+ 題` open and
/// foldable, and so are MkDocs' `??? tip` and `???+ tip` in a list item, which tejun
/// quotes. The quote may start after a list item's marker on its line (`1. > [!tip]-`),
/// or inside the `???` it was rewritten from: both the rest of the line and the whole
/// line are read.
pub fn quote_fold(text: &str, span: &Span) -> Fold {
    let line_start = text[..span.start].rfind('\n').map_or(0, |at| at + 1);
    match alert_fold(&text[first_line(text, span)]) {
        Fold::None => alert_fold(&text[first_line(text, &(line_start..span.end))]),
        fold => fold,
    }
}

/// [`quote_fold`] for the line a quote starts on.
fn alert_fold(line: &str) -> Fold {
    let trimmed = line.trim_start();
    if trimmed.starts_with("???+") {
        return Fold::Open;
    }
    if trimmed.starts_with("???") {
        return Fold::Closed;
    }
    match callout_parts(line).map(|(_, _, after)| after.as_bytes().first()) {
        Some(Some(b'-')) => Fold::Closed,
        Some(Some(b'+')) => Fold::Open,
        _ => Fold::None,
    }
}

/// Keeps, of replacements sorted by where they start, those that begin after the
/// last kept one ends: two marks may claim the same text (`` {doc}`a}{ref}`b` `` is
/// a `{doc}` and a `{ref}` role), and the line can be rewritten only once.
fn drop_overlapping(replacements: &mut Vec<(Span, String)>) {
    let mut kept_end = 0;
    replacements.retain(|(range, _)| {
        let keep = range.start >= kept_end;
        if keep {
            kept_end = range.end;
        }
        keep
    });
}

/// Notion's callout lines: `<aside>` alone on its line, an alert of the kind its
/// icon (the first character of the next line with text, `after`) says, and
/// `</aside>`, its end.
fn aside_line(line: &str, after: &str) -> Option<Jsx> {
    match line.trim() {
        "</aside>" => Some(Jsx::Aside(None)),
        "<aside>" => {
            let icon = after.lines().map(str::trim).find(|line| !line.is_empty()).and_then(|line| line.chars().next());
            let kind = match icon {
                Some('💡') => AlertKind::Tip,
                Some('⚠' | '🚧') => AlertKind::Warning,
                Some('❗' | '‼' | '🚨' | '⛔' | '🚫' | '❌') => AlertKind::Caution,
                Some('📌' | '⭐' | '🔑') => AlertKind::Important,
                _ => AlertKind::Note,
            };
            Some(Jsx::Aside(Some(kind)))
        }
        _ => None,
    }
}

/// What `line` (without its indentation) is of Docusaurus' tabs: `<Tabs>`,
/// `<TabItem value="edge" label="Edge" default>`, their end tags, or an `import …
/// from '…';` line (which MDX pages need for the tags).
fn jsx_line(line: &str) -> Option<Jsx> {
    let line = line.trim_end();
    if line.starts_with("import ") && (line.contains(" from ") || line.ends_with(';')) {
        return Some(Jsx::Import);
    }
    match line {
        "</Tabs>" => return Some(Jsx::Tabs(false)),
        "</TabItem>" => return Some(Jsx::ItemEnd),
        _ => {}
    }
    let tag = line.strip_prefix('<')?.strip_suffix('>')?;
    if tag.ends_with('/') {
        return None;
    }
    let (name, attributes) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
    match name {
        "Tabs" => Some(Jsx::Tabs(true)),
        "TabItem" => {
            let attribute = |key: &str| {
                let at = attributes.find(&format!("{key}="))? + key.len() + 1;
                let value = attributes[at..].trim_start_matches(['{', '\'', '"']);
                value.split(['"', '\'', '}']).next()
            };
            let label = attribute("label").or(attribute("value")).unwrap_or_default().to_string();
            let selected = attributes.split_whitespace().any(|word| word == "default");
            Some(Jsx::Item(Admonition::Tab { label, selected, new_set: false, first: true, last: true }))
        }
        _ => None,
    }
}

/// The marks of Docusaurus' lines: each `<TabItem>` with its content up to its
/// `</TabItem>`, the rest read as blank lines.
fn jsx_marks(text: &str, lines: Vec<(Span, Jsx)>) -> Vec<Mark> {
    let item_ends: Vec<usize> =
        lines.iter().filter(|(_, line)| matches!(line, Jsx::ItemEnd)).map(|(span, _)| span.start).collect();
    let mut marks = Vec::with_capacity(lines.len());
    for (span, line) in lines {
        let kind = match line {
            Jsx::Tabs(opening) => MarkKind::TabSet(opening),
            Jsx::ItemEnd | Jsx::Import => MarkKind::Blank,
            Jsx::Aside(kind) => MarkKind::Directive(kind.map(Admonition::Callout)),
            Jsx::Item(tab) => {
                let Some(&end) = item_ends.iter().find(|&&end| end > span.end) else { continue };
                let content_start = text[span.end..].find('\n').map_or(end, |i| span.end + i + 1).min(end);
                let columns = text[content_start..end]
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .map(columns_of_indentation)
                    .min()
                    .unwrap_or(0);
                MarkKind::JsxTab { tab, end, columns }
            }
        };
        marks.push(Mark { line: span, kind });
    }
    marks
}

/// Marks the tabs between Hugo's `{{< tabs >}}` and `{{< /tabs >}}` (or Docusaurus'
/// `<Tabs>` and `</Tabs>`) first and last of their set.
fn group_tab_sets(marks: &mut [Mark]) {
    let mut in_set = false;
    let mut next_is_first = false;
    let mut last_tab: Option<usize> = None;
    for index in 0..marks.len() {
        match &mut marks[index].kind {
            MarkKind::TabSet(true) => (in_set, next_is_first, last_tab) = (true, true, None),
            MarkKind::TabSet(false) => {
                if let Some(tab) = last_tab
                    && let MarkKind::Directive(Some(Admonition::Tab { last, .. }))
                    | MarkKind::JsxTab { tab: Admonition::Tab { last, .. }, .. } = &mut marks[tab].kind
                {
                    *last = true;
                }
                in_set = false;
            }
            MarkKind::Directive(Some(Admonition::Tab { first, last, .. }))
            | MarkKind::JsxTab { tab: Admonition::Tab { first, last, .. }, .. }
                if in_set =>
            {
                (*first, *last) = (next_is_first, false);
                next_is_first = false;
                last_tab = Some(index);
            }
            _ => {}
        }
    }
}

/// Marks each content tab as the first or last of its set (each is both to begin with): tabs follow each other
/// with only blank lines between, unless one starts a new set (`===!`).
fn group_tabs(text: &str, marks: &mut [Mark]) {
    // Where the tab before ends, and its indentation (a tab in a list item is in a
    // set with those at its indentation only).
    let mut previous: Option<(usize, usize)> = None;
    for index in 0..marks.len() {
        let line_start = marks[index].line.start;
        let (first, new_set, end, indent) = match &mut marks[index].kind {
            MarkKind::Indented(Admonition::Tab { first, new_set, .. }, end) => (first, *new_set, *end, 0),
            MarkKind::QuotedAlert { html: Some(Admonition::Tab { first, new_set, .. }), end, indent, .. } => {
                (first, *new_set, *end, *indent)
            }
            _ => {
                previous = None;
                continue;
            }
        };
        let follows =
            previous.is_some_and(|(previous, before)| before == indent && text[previous..line_start].trim().is_empty());
        *first = new_set || !follows;
        let starts_a_set = *first;
        previous = Some((end, indent));
        if let (false, Some(before)) = (starts_a_set, index.checked_sub(1))
            && let MarkKind::Indented(Admonition::Tab { last, .. }, _)
            | MarkKind::QuotedAlert { html: Some(Admonition::Tab { last, .. }), .. } = &mut marks[before].kind
        {
            *last = false;
        }
    }
}

/// The admonition an MkDocs line opens: `!!! note "題"` (Python-Markdown),
/// `??? tip "題"` and `???+ tip` folded and unfolded (PyMdown Details), `=== "Edge"`
/// a content tab (PyMdown Tabbed; `===!` starts a new set of tabs, `===+` is the tab
/// shown first).
fn mkdocs_opening(line: &str) -> Option<Admonition> {
    let marker_end = line.find(|c: char| !matches!(c, '!' | '?' | '=' | '+')).unwrap_or(line.len());
    let (marker, rest) = line.split_at(marker_end);
    let rest = rest.trim();
    let quoted = quoted_title(rest);
    match marker {
        "!!!" | "???" | "???+" => {
            // Types are English words (`note`, `warning inline end`), then a title in
            // quotes or nothing: a line `!!! 重要 !!!` is a writer's shout, not a note.
            let types = rest.split('"').next().unwrap_or_default().trim();
            let is_type = |word: &str| word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !types.split_whitespace().all(is_type) || (quoted.is_none() && rest.contains('"')) {
                return None;
            }
            let kind_word = types.split_whitespace().next()?;
            let title = quoted.unwrap_or_default().to_string();
            if marker == "!!!" {
                return Some(Admonition::Alert(mkdocs_kind(kind_word), title));
            }
            let fold = if marker == "???+" { Fold::Open } else { Fold::Closed };
            Some(Admonition::FoldedAlert { kind: mkdocs_kind(kind_word), title, fold })
        }
        "===" | "===!" | "===+" | "===!+" | "===+!" => Some(Admonition::Tab {
            label: quoted?.to_string(),
            selected: marker.contains('+'),
            new_set: marker.contains('!'),
            first: true,
            last: true,
        }),
        _ => None,
    }
}

/// `"題"` at the end of `rest`, without its quotes.
fn quoted_title(rest: &str) -> Option<&str> {
    let open = rest.find('"')?;
    let close = rest.rfind('"').filter(|&close| close > open)?;
    rest[close + 1..].trim().is_empty().then(|| &rest[open + 1..close])
}

/// tejun's alert for an MkDocs admonition type (Material for MkDocs' list; a type
/// it does not know is styled as a note there too).
fn mkdocs_kind(word: &str) -> AlertKind {
    match word.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => AlertKind::Tip,
        "important" => AlertKind::Important,
        "warning" | "caution" | "attention" => AlertKind::Warning,
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => AlertKind::Caution,
        _ => AlertKind::Note,
    }
}

/// What another tool's container line opens.
#[derive(Debug, Clone, PartialEq)]
pub enum Admonition {
    /// A note, tip or warning, and its title (empty when it has none).
    Alert(AlertKind, String),
    /// MkDocs' `??? note "題"` (`???+`, open) and Quarto's callout with
    /// `collapse="true"` (`"false"`, open): an alert folded under its title.
    FoldedAlert { kind: AlertKind, title: String, fold: Fold },
    /// Zenn's `:::details 題`, MyST's `{dropdown} 題`: what follows, folded away
    /// under the title (or not, when `open`).
    Details { title: String, open: bool },
    /// One of MkDocs' content tabs (`=== "Edge"`), and its place in its set.
    Tab { label: String, selected: bool, new_set: bool, first: bool, last: bool },
    /// VitePress' `::: code-group`: each code block inside a tab of one set, under
    /// the name on its fence (` ```sh [npm] `).
    CodeGroup,
    /// GitBook's `{% code title="setup.sh" %}`: the code block inside shows that
    /// file (nothing, when the title is empty).
    CodeTitle(String),
    /// Notion's `<aside>`: an alert of the kind its icon says, without the icon.
    Callout(AlertKind),
    /// Pandoc's fenced div that is no note (`::: {#intro .lead}`, a Word style
    /// `::: {custom-style="Body Text"}`): its blocks, as they are.
    Div,
    /// Confluence's expand macro as Pandoc reads it (`::: {#expander-1
    /// .expand-container}`): folded under its first paragraph, the macro's control.
    Expand,
}

/// The admonition opened by `line`, as other tools write them: Docusaurus,
/// VuePress and VitePress (`:::tip`, `:::warning 注意`, `:::danger[Title]`,
/// `::: code-group`), Qiita (`:::note info`,
/// `:::note warn`, `:::note alert`) and Zenn (`:::message`, `:::message alert`,
/// `:::details 題`). Pages brought from them keep their notes as tejun's alerts
/// (`> [!TIP]`); a variant mark always has a `=`, so the two never meet.
pub fn admonition(line: &str) -> Option<Admonition> {
    let rest = line.trim_start().trim_start_matches(':').trim();
    if let Some((name, title)) = myst_directive(rest) {
        return myst_admonition(name, title);
    }
    if let Some(attributes) = pandoc_attributes(rest) {
        return Some(pandoc_div(&attributes));
    }
    let word_end = rest.find(|c: char| c.is_whitespace() || c == '[' || c == '{').unwrap_or(rest.len());
    let (word, after) = rest.split_at(word_end);
    let after = after.trim();
    let qualifier = after.split_whitespace().next().unwrap_or_default();
    let (kind, title) = match (word.to_ascii_lowercase().as_str(), qualifier) {
        ("note", "info") | ("message", "info") => (AlertKind::Note, after[qualifier.len()..].trim()),
        ("note", "warn") => (AlertKind::Warning, after[qualifier.len()..].trim()),
        ("note" | "message", "alert") => (AlertKind::Caution, after[qualifier.len()..].trim()),
        ("note" | "message" | "info", _) => (AlertKind::Note, after),
        ("tip", _) => (AlertKind::Tip, after),
        ("important", _) => (AlertKind::Important, after),
        ("warning" | "warn", _) => (AlertKind::Warning, after),
        ("caution" | "danger" | "alert", _) => (AlertKind::Caution, after),
        ("details", _) => return Some(Admonition::Details { title: bracketless(after).to_string(), open: false }),
        ("code-group", "") => return Some(Admonition::CodeGroup),
        _ => return None,
    };
    Some(Admonition::Alert(kind, bracketless(title).to_string()))
}

/// MyST's (Sphinx's) `{note} 題` after a `:::` or a code fence: the directive's
/// name and the rest. A variant mark in braces (`{browser=chrome}`) is not one.
fn myst_directive(rest: &str) -> Option<(&str, &str)> {
    let (name, title) = rest.strip_prefix('{')?.split_once('}')?;
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    is_name.then(|| (name, title.trim()))
}

/// The admonition a MyST directive makes: Sphinx's admonitions, `{admonition} 題`
/// (a note with that title) and sphinx-design's `{dropdown} 題` (folded).
fn myst_admonition(name: &str, title: &str) -> Option<Admonition> {
    let kind = match name.to_ascii_lowercase().as_str() {
        "note" | "seealso" | "admonition" => AlertKind::Note,
        "tip" | "hint" => AlertKind::Tip,
        "important" => AlertKind::Important,
        "warning" | "caution" | "attention" => AlertKind::Warning,
        "danger" | "error" => AlertKind::Caution,
        "dropdown" => return Some(Admonition::Details { title: title.to_string(), open: false }),
        _ => return None,
    };
    Some(Admonition::Alert(kind, title.to_string()))
}

/// Pandoc's attributes after `:::` (`{.callout-note title="題"}`, `{#intro .lead}`,
/// `{custom-style="Note"}`): classes, the id and the other keys' values. `None`
/// for a variant mark in braces (`{browser=chrome}`), which has none of Pandoc's.
#[derive(Debug, Default, PartialEq)]
struct PandocAttributes {
    classes: Vec<String>,
    id: Option<String>,
    values: Vec<(String, String)>,
}

impl PandocAttributes {
    fn value(&self, key: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn pandoc_attributes(rest: &str) -> Option<PandocAttributes> {
    let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
    let mut attributes = PandocAttributes::default();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let end = token_end(rest);
        let token = &rest[..end];
        if let Some(class) = token.strip_prefix('.') {
            attributes.classes.push(class.to_string());
        } else if let Some(id) = token.strip_prefix('#') {
            attributes.id = Some(id.to_string());
        } else if let Some((key, value)) = token.split_once('=') {
            attributes.values.push((key.to_string(), value.trim_matches(['"', '\'']).to_string()));
        }
        rest = rest[end..].trim_start();
    }
    const PANDOC_KEYS: &[&str] = &["custom-style", "title", "collapse", "icon", "appearance", "lang"];
    let pandoc = !attributes.classes.is_empty()
        || attributes.id.is_some()
        || attributes.values.iter().any(|(key, _)| PANDOC_KEYS.contains(&key.as_str()));
    pandoc.then_some(attributes)
}

/// Pandoc's attributes on a code fence (` ``` {.python .numberLines} `, and as Pandoc
/// reads a Confluence page saved as HTML, `{.syntaxhighlighter-pre
/// syntaxhighlighter-params="brush: bash; gutter: false"}`): the language (the
/// Confluence macro's brush, else the first class that is not Pandoc's own) and the
/// file the block shows (Quarto's `filename`, or a `title`).
pub fn pandoc_code_attributes(info: &str) -> Option<(Option<String>, Option<String>)> {
    const NOT_LANGUAGES: [&str; 3] = ["numberLines", "sourceCode", "syntaxhighlighter-pre"];
    let attributes = pandoc_attributes(info.trim())?;
    let brush = attributes.value("syntaxhighlighter-params").and_then(|params| {
        params.split(';').find_map(|param| param.trim().strip_prefix("brush:")).map(|brush| brush.trim().to_string())
    });
    let lang = brush.or_else(|| attributes.classes.iter().find(|c| !NOT_LANGUAGES.contains(&c.as_str())).cloned());
    let title = attributes.value("filename").or(attributes.value("title")).map(str::to_string);
    Some((lang, title))
}

/// A raw HTML block that is a table GitHub's tables can hold, at most three spaces
/// in, read as one ([`html_tables`]).
fn html_table(text: &str, range: &Span) -> Option<Mark> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
    let indent = &text[line_start..range.start];
    if indent.len() > 3 || !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    let table = html_tables::markdown(&text[range.clone()])?;
    let end = line_start + text[line_start..range.end].trim_end_matches(['\n', '\r']).len();
    let places = table.places.iter().map(|&(place, at)| (place, at + indent.len())).collect();
    Some(Mark { line: line_start..end, kind: MarkKind::Table { end, table: table.markdown, places } })
}

/// Pandoc's bracketed spans in `line` (`[下線]{.underline}`, as Pandoc writes
/// Word's underlines and styles) and what each becomes: the text underlined or
/// marked for `.underline` and `.mark`, else the text. Not inside code spans.
fn pandoc_spans(line: &str) -> Vec<(Span, String)> {
    let mut found: Vec<(Span, String)> = Vec::new();
    for (close, _) in line.match_indices("]{") {
        let Some((open, text)) = span_before(line, close) else { continue };
        let Some(attributes_end) = line[close + 1..].find('}').map(|at| close + 1 + at + 1) else { continue };
        if found.last().is_some_and(|(span, _)| span.end > open) {
            continue;
        }
        let Some(attributes) = pandoc_attributes(&line[close + 1..attributes_end]) else { continue };
        found.push((open..attributes_end, span_replacement(text, &attributes)));
    }
    found
}

/// The span whose text ends at `close` (the `]` of a `]{`) in `line`: where its `[`
/// is, and its text. `None` inside a code span, for an image's brackets, and for
/// text with a `]` in it.
fn span_before(line: &str, close: usize) -> Option<(usize, &str)> {
    let open = line[..close].rfind('[')?;
    let text = &line[open + 1..close];
    let in_code = line[..open].matches('`').count() % 2 == 1;
    (!in_code && !line[..open].ends_with('!') && !text.contains(']')).then_some((open, text))
}

/// What a Pandoc span becomes: its text, underlined or marked for `.underline` and
/// `.mark`, after a place for its id; nothing for an empty one without an id (an
/// icon's, as Pandoc reads a page saved as HTML).
fn span_replacement(text: &str, attributes: &PandocAttributes) -> String {
    let has = |class: &str| attributes.classes.iter().any(|c| c == class);
    let replacement = match () {
        _ if has("underline") || has("ul") => format!("<u>{text}</u>"),
        _ if has("mark") => format!("<mark>{text}</mark>"),
        _ => text.to_string(),
    };
    // Word's bookmarks (`[]{#_Toc123 .anchor}`), which its cross-references link
    // to: a place with that id (a span, which may stand inside a heading's link).
    match attributes.id.as_deref().filter(|id| !id.contains(['"', '<', '>'])) {
        Some(id) => format!("<span id=\"{id}\"></span>{replacement}"),
        None => replacement,
    }
}

/// A Pandoc span at the end of `line` whose attributes Pandoc's wrapping at 72
/// columns carried onto the next line, `next` (`[]{.aui-icon .aui-icon-small` and
/// `.confluence-information-macro-icon}`): where it starts in `line`, what it becomes
/// ([`span_replacement`]), and how many bytes of `next` end it.
fn wrapped_pandoc_span(line: &str, next: &str) -> Option<(usize, String, usize)> {
    let close = line.rfind("]{")?;
    let (open, text) = span_before(line, close)?;
    if line[close..].contains('}') {
        return None;
    }
    let next_line = next.split('\n').next().unwrap_or_default();
    let end = next_line.find('}')?;
    let continued = next_line[..end].trim();
    if continued.is_empty() || continued.contains(['{', '[', ']']) {
        return None;
    }
    let attributes = pandoc_attributes(&format!("{} {continued}}}", &line[close + 1..]))?;
    Some((open, span_replacement(text, &attributes), end + 1))
}

/// Where the attribute token at the start of `rest` ends: at a space outside quotes.
fn token_end(rest: &str) -> usize {
    let mut quote = None;
    for (at, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return at,
            _ => {}
        }
    }
    rest.len()
}

/// What a Pandoc div is: Quarto's callouts (`.callout-tip`), Confluence's
/// information macros as Pandoc reads a Confluence page saved as HTML
/// (`.confluence-information-macro-note`), a note's class (`.warning`) or a Word
/// style named for one (`custom-style="Warning"`, `注意`) an alert titled with
/// `title`; any other div its blocks as they are.
fn pandoc_div(attributes: &PandocAttributes) -> Admonition {
    let title = attributes.value("title").unwrap_or_default().to_string();
    let named = attributes.classes.iter().map(|class| class.strip_prefix("callout-").unwrap_or(class));
    let kind = match confluence::macro_of(attributes.classes.iter().map(String::as_str)) {
        Some(confluence::Macro::Expand) => return Admonition::Expand,
        Some(confluence::Macro::Alert(kind)) => Some(kind),
        None => named.chain(attributes.value("custom-style")).find_map(AlertKind::named),
    };
    // A Word style's own word (注意, 危険) is the alert's label, as the writer chose it.
    let title = match attributes.value("custom-style") {
        Some(style) if title.is_empty() && !style.is_ascii() && AlertKind::named(style).is_some() => {
            style.trim().to_string()
        }
        _ => title,
    };
    let fold = match attributes.value("collapse") {
        Some("true") => Fold::Closed,
        Some("false") => Fold::Open,
        _ => Fold::None,
    };
    match kind {
        Some(kind) if fold != Fold::None => Admonition::FoldedAlert { kind, title, fold },
        Some(kind) => Admonition::Alert(kind, title),
        None => Admonition::Div,
    }
}

/// Pandoc's short form of a div with one class and nothing else, `::: section`, as
/// it writes `<div class="section">` read from HTML (a Confluence export's
/// `::: confluence-information-macro-body`): the class and where it starts in
/// `line`. A variant mark has a `=`, and a word [`admonition`] knows is read first.
pub fn bare_class(line: &str) -> Option<(&str, usize)> {
    let rest = line.trim_start().trim_start_matches(':').trim_start();
    let class = rest.trim_end();
    let is_class = class.starts_with(|c: char| c.is_ascii_alphabetic())
        && class.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    is_class.then(|| (class, line.len() - rest.len()))
}

/// The kinds of note [`admonition`] reads after `:::`, for [`misspelt_kind`].
const ADMONITION_WORDS: [&str; 11] =
    ["note", "tip", "info", "important", "warning", "caution", "danger", "alert", "details", "message", "code-group"];

/// The kind of note a [`bare_class`] is one letter away from (`::: tpi`, `:::warnnig`):
/// a typo, more likely than a Pandoc div of that class.
pub fn misspelt_kind(class: &str) -> Option<&'static str> {
    let class = class.to_ascii_lowercase();
    ADMONITION_WORDS.into_iter().find(|word| strsim::damerau_levenshtein(&class, word) == 1)
}

/// The div of [`bare_class`]: an alert when the class names one (`::: information`).
pub fn class_div(class: &str) -> Admonition {
    pandoc_div(&PandocAttributes { classes: vec![class.to_string()], ..PandocAttributes::default() })
}

/// A title without the brackets Docusaurus writes it in (`:::tip[題]`).
fn bracketless(title: &str) -> &str {
    title.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(title).trim()
}

/// The condition on an opening line (`::: browser=chrome`, `::: {browser=chrome}`);
/// `None` for a closing line (`:::`). `offset` is where the line starts.
pub fn opening(line: &str, offset: usize, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Option<Condition> {
    let rest_at = line.len() - line.trim_start().trim_start_matches(':').len();
    let rest = &line[rest_at..];
    if rest.trim().is_empty() {
        return None;
    }
    let mut condition = Condition::default();
    for (at, token) in tokens(rest) {
        let token_span = offset + rest_at + at..offset + rest_at + at + token.len();
        let token = token.trim_matches(['{', '}']);
        match term(token, token_span.start + usize::from(rest[at..].starts_with('{'))) {
            Some(term) => condition.terms.push(term),
            None if token.is_empty() => {}
            None => diagnostics.push(
                Diagnostic::error(
                    "invalid-variant-mark",
                    format!("`{token}` does not say which variant the container is for"),
                )
                .at(file, token_span)
                .with_hint(
                    "write `::: dimension=value`, e.g. `::: browser=chrome`, with the dimensions and values \
                         [variants] declares in tejun.toml; for a note or a tip, write `:::note` or `:::tip`",
                ),
            ),
        }
    }
    Some(condition)
}

/// Whitespace-separated words with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

/// `browser=chrome,edge` written at `at`: the dimension and each value with its place.
fn term(token: &str, at: usize) -> Option<ConditionTerm> {
    let (dimension, values) = token.split_once('=')?;
    let mut term = ConditionTerm {
        dimension: dimension.to_string(),
        dimension_span: at..at + dimension.len(),
        values: Vec::new(),
    };
    let mut value_at = at + dimension.len() + 1;
    for value in values.split(',') {
        let bare = value.trim_matches(['"', '\'']);
        let quote = value.len() - value.trim_start_matches(['"', '\'']).len();
        if !bare.is_empty() {
            term.values.push((bare.to_string(), value_at + quote..value_at + quote + bare.len()));
        }
        value_at += value.len() + 1;
    }
    Some(term)
}

/// The condition in a heading's attributes (`## Chrome の場合 {browser=chrome}`), if
/// it has one: every `key=value` attribute. `span` is the heading's.
pub fn heading_condition(
    text: &str,
    span: &Span,
    attrs: &[(String, Option<String>)],
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Condition> {
    if attrs.iter().all(|(_, value)| value.is_none()) {
        return None;
    }
    let heading = &text[span.clone()];
    let braces = heading.rfind('{').unwrap_or(0);
    let mut condition = Condition::default();
    for (key, value) in attrs {
        let Some(value) = value else { continue };
        let written = format!("{key}=");
        let at = heading[braces..].find(&written).map_or(span.start + braces, |i| span.start + braces + i);
        match term(&format!("{key}={value}"), at) {
            Some(term) => condition.terms.push(term),
            None => diagnostics.push(
                Diagnostic::error("invalid-variant-mark", format!("`{key}` is not a variant mark"))
                    .at(file, at..at + key.len()),
            ),
        }
    }
    Some(condition)
}

/// A mark where it cannot work: inside a list or quote, or on a heading below `##`.
pub fn nested_mark(file: FileId, span: Span, what: &str) -> Diagnostic {
    let (message, hint) = match what {
        "heading" => (
            "only a section's `##` heading can be marked with a variant".to_string(),
            "mark the heading and the blocks after it with a container: a line `::: browser=chrome` before, a line `:::` after",
        ),
        _ => (
            format!("a variant {what} cannot be inside a list or quote"),
            "start the `:::` lines at the beginning of a line, outside the list or quote, with a blank line before",
        ),
    };
    Diagnostic::error("misplaced-variant-mark", message).at(file, span).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_lines_outside_code_are_found_and_masked_in_place() {
        let text = "::: browser=chrome\nChrome.\n:::\n\n```\n:::\n```\n\n    ::: indented code\n";
        let prepared = prepare(text);
        let lines: Vec<&str> = prepared.fences.iter().map(|f| f.line.as_str()).collect();
        assert_eq!(lines, ["::: browser=chrome", ":::"]);
        assert_eq!(prepared.text.len(), text.len());
        assert!(prepared.text.starts_with("***               \nChrome.\n***\n"), "{}", prepared.text);
        assert!(prepared.text.ends_with("```\n:::\n```\n\n    ::: indented code\n"));
        assert_eq!(prepared.fences[1].at, 27);
        assert_eq!(prepared.original(3..20), 3..20);
    }

    #[test]
    fn mkdocs_blocks_lose_their_indentation_and_end_with_a_line_keeping_offsets() {
        let text = "!!! note \"題\"\n    一行目\n\n        code\n    ```\n    !!! x\n    ```\n\nafter\n";
        let prepared = prepare(text);
        assert_eq!(prepared.text, "***           \n一行目\n\n    code\n```\n!!! x\n```\n***\n\nafter\n");
        let lines: Vec<&str> = prepared.fences.iter().map(|f| f.line.as_str()).collect();
        assert_eq!(lines, ["!!! note \"題\"", ":::"], "`!!!` in code is not a line");
        assert!(matches!(&prepared.fences[0].admonition, Some(Admonition::Alert(AlertKind::Note, t)) if t == "題"));
        let find = |needle: &str| prepared.text.find(needle).unwrap();
        let place = |needle: &str| {
            let at = find(needle);
            &text[prepared.original(at..at + needle.len())]
        };
        assert_eq!(place("一行目"), "一行目");
        assert_eq!(place("code"), "code");
        assert_eq!(place("!!! x"), "!!! x");
        assert_eq!(place("after"), "after");
        let body = find("一行目")..find("code") + 5;
        assert_eq!(&text[prepared.original(body)], "一行目\n\n        code\n", "an end stays on its line");
    }

    #[test]
    fn nested_mkdocs_blocks_and_sets_of_tabs() {
        let text = "=== \"Edge\"\n\n    !!! tip\n        Edge.\n\n=== \"Chrome\"\n    Chrome.\n\n===! \"New\"\n    x\n";
        let prepared = prepare(text);
        let tabs: Vec<(String, bool, bool)> = prepared
            .fences
            .iter()
            .filter_map(|f| match &f.admonition {
                Some(Admonition::Tab { label, first, last, .. }) => Some((label.clone(), *first, *last)),
                _ => None,
            })
            .collect();
        assert_eq!(tabs, [("Edge".into(), true, false), ("Chrome".into(), false, true), ("New".into(), true, true)]);
        let tip = prepared.fences.iter().find(|f| matches!(f.admonition, Some(Admonition::Alert(AlertKind::Tip, _))));
        assert_eq!(&text[tip.unwrap().span.clone()], "!!! tip");
        let at = prepared.text.find("Edge.").unwrap();
        assert_eq!(&text[prepared.original(at..at + 5)], "Edge.");
        let mut ats: Vec<usize> = prepared.fences.iter().map(|f| f.at).collect();
        assert!(ats.windows(2).all(|w| w[0] < w[1]), "in the text's order: {ats:?}");
        ats.iter_mut().for_each(|at| *at = prepared.text[*at..].find('\n').unwrap() + *at);
        for fence in &prepared.fences {
            let line = prepared.text[fence.at..].lines().next().unwrap();
            assert!(line.trim_end().chars().all(|c| c == '*') && line.starts_with("***"), "{line:?}");
        }
    }

    #[test]
    fn a_fold_in_a_list_item_is_a_quoted_alert_kept_in_place() {
        let text = "1. 開きます。\n    ??? note \"<旧版>\"\n        中身です。\n\n        二段落目。\n2. 閉じます。\n";
        let prepared = prepare(text);
        let opening = "    > [!NOTE]\n    > **\\<旧版\\>**\n";
        assert!(prepared.text.contains(opening), "{}", prepared.text);
        assert!(prepared.text.contains("\n    > 二段落目。\n2. 閉じます。"), "{}", prepared.text);
        let quote = prepared.text.find("> [!NOTE]").unwrap();
        let span = prepared.original(quote..prepared.text.len());
        assert_eq!(quote_fold(text, &span), Fold::Closed, "the builder folds it, reading the `???` line");
        for words in ["中身です。", "二段落目。", "2. 閉じます。"] {
            let at = prepared.text.find(words).unwrap();
            assert_eq!(&text[prepared.original(at..at + words.len())], words);
        }
    }

    #[test]
    fn tabs_in_a_list_item_are_a_set_of_their_own() {
        let text = "1. 開きます。\n    === \"Edge\"\n        エッジ。\n    === \"Chrome\"\n        クローム。\n2. 次。\n    === \"Edge\"\n        別の組。\n";
        let prepared = prepare(text);
        assert_eq!(prepared.text.matches("<div class=\"tabbed-set\">").count(), 2, "{}", prepared.text);
        let at = prepared.text.find("クローム。").unwrap();
        assert_eq!(&text[prepared.original(at..at + "クローム。".len())], "クローム。");
        let sets =
            prepared.text.split("<div class=\"tabbed-set\">").skip(1).map(|set| set.matches("tabbed-label").count());
        assert_eq!(sets.collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn a_single_bare_word_is_a_pandoc_class_and_one_letter_off_a_kind_of_note_a_typo() {
        assert_eq!(bare_class("::: section"), Some(("section", 4)));
        assert_eq!(
            bare_class("::::  confluence-information-macro-body  "),
            Some(("confluence-information-macro-body", 6))
        );
        for line in ["::: browser=chrome", "::: a b", ":::", "::: {.x}", "::: 注意", "::: -x"] {
            assert_eq!(bare_class(line), None, "{line}");
        }
        assert_eq!(misspelt_kind("tpi"), Some("tip"));
        assert_eq!(misspelt_kind("Warnig"), Some("warning"));
        assert_eq!(misspelt_kind("section"), None);
        assert_eq!(misspelt_kind("table-wrap"), None);
    }

    #[test]
    fn opening_lines_read_dimensions_values_and_their_places() {
        let mut diagnostics = Vec::new();
        let line = "::: browser=chrome,edge role=admin";
        let condition = opening(line, 100, 0, &mut diagnostics).unwrap();
        assert!(diagnostics.is_empty());
        assert_eq!(condition.to_text(), "browser=chrome,edge role=admin");
        let browser = &condition.terms[0];
        assert_eq!(browser.dimension_span, 104..111);
        assert_eq!(&line[browser.values[1].1.start - 100..browser.values[1].1.end - 100], "edge");
        let braced = opening("::: {browser=chrome}", 0, 0, &mut diagnostics).unwrap();
        assert_eq!(braced.terms[0].dimension_span, 5..12);
        assert!(opening(":::", 0, 0, &mut diagnostics).is_none());
        assert!(opening("::::  ", 0, 0, &mut diagnostics).is_none());
        opening("::: tpi", 0, 0, &mut diagnostics);
        assert_eq!(diagnostics[0].code, "invalid-variant-mark");
        assert_eq!(diagnostics[0].span, Some(4..7));
    }

    #[test]
    fn bracketed_spans_in_any_order_are_replaced_inside_the_line() {
        let pieces = [
            "[下線]{.underline}",
            "[]{#_Toc1 .anchor}",
            "`[code]{.x}`",
            "![画]{.y}",
            "[a]{",
            "]{.z}",
            "[",
            "{#i}",
            "あ",
        ];
        for sequence in crate::testing::sequences::<3>(&pieces) {
            let line = sequence.concat();
            let mut end = 0;
            for (span, _) in pandoc_spans(&line) {
                assert!(span.start >= end && line.get(span.clone()).is_some(), "{line}: {span:?}");
                end = span.end;
            }
        }
        let replaced = pandoc_spans("「[保存]{.underline}」と[]{#_Toc1 .anchor}見出し");
        let texts: Vec<&str> = replaced.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(texts, ["<u>保存</u>", "<span id=\"_Toc1\"></span>"]);
    }

    #[test]
    fn admonitions_of_other_tools() {
        let read = |line| match admonition(line) {
            Some(Admonition::Alert(kind, title)) => Some((kind.as_str(), title)),
            Some(Admonition::FoldedAlert { kind, title, fold }) => Some((kind.as_str(), format!("{title} ({fold:?})"))),
            Some(Admonition::Details { title, .. }) => Some(("details", title)),
            Some(Admonition::Tab { label, .. }) => Some(("tab", label)),
            Some(Admonition::CodeGroup) => Some(("code-group", String::new())),
            Some(Admonition::CodeTitle(title)) => Some(("code", title)),
            Some(Admonition::Callout(kind)) => Some(("callout", kind.as_str().to_string())),
            Some(Admonition::Div) => Some(("div", String::new())),
            Some(Admonition::Expand) => Some(("expand", String::new())),
            None => None,
        };
        assert_eq!(read("::: {#expander-1 .expand-container}"), Some(("expand", String::new())));
        assert_eq!(read("::: code-group"), Some(("code-group", String::new())));
        assert_eq!(read("::: code-group extra"), None);
        assert_eq!(read(":::note"), Some(("note", String::new())));
        assert_eq!(read("::: tip"), Some(("tip", String::new())));
        assert_eq!(read(":::warning 注意してください"), Some(("warning", "注意してください".into())));
        assert_eq!(read(":::danger[削除は取り消せません]"), Some(("caution", "削除は取り消せません".into())));
        assert_eq!(read(":::note info"), Some(("note", String::new())));
        assert_eq!(read(":::note warn"), Some(("warning", String::new())));
        assert_eq!(read(":::note alert"), Some(("caution", String::new())));
        assert_eq!(read(":::message alert 重要なお知らせ"), Some(("caution", "重要なお知らせ".into())));
        assert_eq!(read(":::message"), Some(("note", String::new())));
        assert_eq!(read("::: browser=chrome"), None);
        assert_eq!(read(":::"), None);
        assert_eq!(read(":::details 詳しい手順"), Some(("details", "詳しい手順".into())));
        assert_eq!(read(":::detail"), None);
        let mkdocs = |line: &str| mkdocs_opening(line).map(|a| format!("{a:?}"));
        assert_eq!(mkdocs("!!! 重要 !!!"), None, "a shout");
        assert_eq!(mkdocs("!!!注意!!!"), None);
        assert_eq!(mkdocs("!!! note inline end \"題\""), Some("Alert(Note, \"題\")".into()));
        assert_eq!(mkdocs("!!! warning \"題"), None, "an unclosed title");
        assert_eq!(mkdocs("=== 見出し"), None);
        assert_eq!(read(":::{warning}"), Some(("warning", String::new())));
        assert_eq!(read(":::{admonition} 移行の注意"), Some(("note", "移行の注意".into())));
        assert_eq!(read(":::{dropdown} 詳しく"), Some(("details", "詳しく".into())));
        assert_eq!(read("::: {browser=chrome}"), None);
        assert_eq!(read("::: {browser=chrome os=windows}"), None);
        assert_eq!(read(":::{figure}"), None);
        // Pandoc's and Quarto's divs.
        assert_eq!(read("::: {.callout-tip}"), Some(("tip", String::new())));
        assert_eq!(
            read("::: {.callout-important title=\"必ず読む\" collapse=\"true\"}"),
            Some(("important", "必ず読む (Closed)".into()))
        );
        assert_eq!(read("::: {.callout-tip collapse=\"false\"}"), Some(("tip", " (Open)".into())));
        assert_eq!(read(":::: {.warning}"), Some(("warning", String::new())));
        assert_eq!(read("::: {custom-style=\"Heading 3\"}"), Some(("div", String::new())));
        // The style's own word titles it, so that it is labelled 危険, not 注意.
        assert_eq!(read("::: {custom-style=\"危険\"}"), Some(("caution", "危険".into())));
        assert_eq!(read("::: {custom-style=\"Warning\"}"), Some(("warning", String::new())));
        assert_eq!(read("::: {#a .b lang=ja}"), Some(("div", String::new())));
    }
}
