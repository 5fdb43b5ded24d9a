//! The model's blocks and inlines → HTML fragments.
//!
//! Written by hand rather than through pulldown-cmark's HTML writer because the
//! model adds what Markdown does not have: numbered figures, ①② sub-steps,
//! localized alerts and generated cross-reference text with relative links.

use crate::model::{
    AlertKind, Align, Block, Callout, CodeBlock, Fold, Footnote, Image, Inline, Length, LinkTarget, List, Manual,
    RefKind, Reference, Table,
};
use crate::render::highlight::Highlighter;
use crate::render::sanitize::{Sanitizer, has_raw_html, is_safe_url, track_open_elements};
use crate::render::{i18n, relative_href};
use crate::source::{ByteSet, first_of};

thread_local! {
    /// Where fragments are written before they are copied out at their final length:
    /// a string grown from empty is copied on each doubling, and a page has hundreds.
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// What `write` writes, in a string of its own exact length.
pub fn exact_string(write: impl FnOnce(&mut String)) -> String {
    // Taken out while in use, so that a fragment written inside another starts anew.
    let mut scratch = SCRATCH.take();
    scratch.clear();
    write(&mut scratch);
    let fragment = String::from(scratch.as_str());
    SCRATCH.set(scratch);
    fragment
}

/// Where the HTML of a block goes in raw HTML that spans blocks: characters of
/// Unicode's private use area, which no cleaning removes.
const SLOT_START: char = '\u{E000}';
const SLOT_END: char = '\u{E001}';

/// How many of `blocks`, from the first, one raw HTML element spans: from an HTML
/// block that leaves an element open through the HTML block that closes the last
/// one it left open, or to the end. `None` when the first block leaves nothing open,
/// and when markers could be mistaken for the page's own text.
fn html_span(blocks: &[Block]) -> Option<usize> {
    let Some(Block::Html(first)) = blocks.first() else { return None };
    let mut open = Vec::new();
    track_open_elements(first, &mut open);
    if open.is_empty() {
        return None;
    }
    let mut len = blocks.len();
    for (n, block) in blocks.iter().enumerate().skip(1) {
        if let Block::Html(html) = block {
            track_open_elements(html, &mut open);
            if open.is_empty() {
                len = n + 1;
                break;
            }
        }
    }
    let markers_in_html =
        blocks[..len].iter().any(|block| matches!(block, Block::Html(html) if html.contains([SLOT_START, SLOT_END])));
    (len > 1 && !markers_in_html).then_some(len)
}

/// Renders the Markdown of one page, for its language and output location.
pub struct HtmlWriter<'a> {
    pub manual: &'a Manual,
    pub lang: &'a str,
    /// The page's own output path (`ja/certificates/obtain.html`), links are relative to it.
    pub from: &'a str,
    pub highlighter: &'a Highlighter,
    /// Cleans raw HTML; `None` when the site trusts it (`unsafe_html`).
    pub sanitizer: Option<&'a Sanitizer>,
    /// Which footnotes (by number) have been referred to so far on the page.
    pub footnotes_referred: std::cell::RefCell<Vec<bool>>,
    /// Whether a table's cell is being written, whose long names may break after
    /// their dots and slashes ([`crate::render::wrap`]).
    pub in_table_cell: std::cell::Cell<bool>,
}

impl HtmlWriter<'_> {
    pub fn blocks_to_string(&self, blocks: &[Block]) -> String {
        exact_string(|out| self.blocks(blocks, out))
    }

    pub fn blocks(&self, blocks: &[Block], out: &mut String) {
        let mut at = 0;
        while at < blocks.len() {
            if let Some(sanitizer) = self.sanitizer
                && let Some(len) = html_span(&blocks[at..])
            {
                self.html_spanning(sanitizer, &blocks[at..at + len], out);
                at += len;
            } else {
                self.block(&blocks[at], out);
                at += 1;
            }
        }
    }

    /// Blocks inside an element that raw HTML blocks open and close around them
    /// (`<details>`, Markdown, `</details>`), cleaned as one: each block alone would
    /// have the element closed at once and the Markdown put after it. The Markdown's
    /// own HTML goes in after the cleaning, in place of a marker the cleaning keeps
    /// as text, so that it is not cleaned of what tejun writes itself.
    fn html_spanning(&self, sanitizer: &Sanitizer, run: &[Block], out: &mut String) {
        let mut skeleton = String::new();
        let mut parts = Vec::new();
        for block in run {
            match block {
                Block::Html(html) => skeleton.push_str(&self.resolve_markers(html)),
                block => {
                    skeleton.push_str(&format!("{SLOT_START}{}{SLOT_END}", parts.len()));
                    parts.push(exact_string(|part| self.block(block, part)));
                }
            }
        }
        let cleaned = sanitizer.clean(&skeleton);
        let mut rest = cleaned.as_str();
        while let Some(start) = rest.find(SLOT_START) {
            out.push_str(&rest[..start]);
            let after = &rest[start + SLOT_START.len_utf8()..];
            let end = after.find(SLOT_END).unwrap_or(after.len());
            if let Some(part) = after[..end].parse::<usize>().ok().and_then(|n| parts.get(n)) {
                out.push_str(part);
            }
            rest = after.get(end + SLOT_END.len_utf8()..).unwrap_or("");
        }
        out.push_str(rest);
    }

    fn block(&self, block: &Block, out: &mut String) {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                self.inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::Plain(inlines) => self.inlines(inlines, out),
            Block::Html(html) => {
                let html = self.resolve_markers(html);
                // A whole table (one with merged cells stays raw HTML) scrolls in its
                // box on a phone, as a Markdown table does, rather than widen the page.
                let table = is_whole_table(&html);
                if table {
                    out.push_str("<div class=\"table-wrap\">");
                }
                match self.sanitizer {
                    Some(sanitizer) => out.push_str(&sanitizer.clean(&html)),
                    None => out.push_str(&html),
                }
                if table {
                    out.push_str("</div>\n");
                }
            }
            Block::Heading { level, content, id } => {
                let level = (*level).clamp(3, 6);
                out.push_str(&format!("<h{level} id=\"{}\">", escape(id)));
                self.inlines(content, out);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::List(list) => self.list(list, out),
            Block::Alert { kind, blocks, fold: Fold::None } => {
                out.push_str(&format!(
                    "<div class=\"alert alert-{}\" role=\"note\"><p class=\"alert-title\">",
                    kind.as_str()
                ));
                let (label, body) = i18n::alert_heading(self.lang, *kind, blocks);
                escape_into(label, out);
                out.push_str("</p>\n");
                self.blocks(body, out);
                out.push_str("</div>\n");
            }
            Block::Alert { kind, blocks, fold } => self.folded_alert(*kind, blocks, *fold == Fold::Open, out),
            Block::Quote(blocks) => {
                out.push_str("<blockquote>\n");
                self.blocks(blocks, out);
                out.push_str("</blockquote>\n");
            }
            Block::Code(code) => self.code(code, out),
            Block::Table(table) => self.table(table, out),
            Block::Definitions(items) => {
                out.push_str("<dl>\n");
                for item in items {
                    out.push_str(if item.term { "<dt>" } else { "<dd>" });
                    self.blocks(&item.blocks, out);
                    out.push_str(if item.term { "</dt>\n" } else { "</dd>\n" });
                }
                out.push_str("</dl>\n");
            }
            Block::Figure(figure) => {
                self.figure(&figure.id, &figure.image, figure.number, figure.caption.as_deref(), out)
            }
            Block::Rule => out.push_str("<hr>\n"),
            // Each variant's manual has its containers opened up already.
            Block::Variant(variant) => self.blocks(&variant.blocks, out),
        }
    }

    /// An alert folded under its kind and title (its first paragraph, when that is
    /// all in bold): the kind's colour shows while it is folded.
    fn folded_alert(&self, kind: AlertKind, blocks: &[Block], open: bool, out: &mut String) {
        let open = if open { " open" } else { "" };
        out.push_str(&format!(
            "<div class=\"alert alert-{}\" role=\"note\"><details class=\"alert-fold\"{open}><summary><span class=\"alert-title\">",
            kind.as_str()
        ));
        let (label, blocks) = i18n::alert_heading(self.lang, kind, blocks);
        escape_into(label, out);
        out.push_str("</span>");
        let rest = match blocks.split_first() {
            Some((Block::Paragraph(title), rest)) if matches!(title.as_slice(), [Inline::Strong(_)]) => {
                out.push(' ');
                self.inlines(title, out);
                rest
            }
            _ => blocks,
        };
        out.push_str("</summary>\n");
        self.blocks(rest, out);
        out.push_str("</details></div>\n");
    }

    /// A code block, under the name of the file it shows when it has one.
    fn code(&self, code: &CodeBlock, out: &mut String) {
        let Some(title) = &code.title else {
            return self.highlighter.code_block(code.lang.as_deref(), &code.code, out);
        };
        out.push_str("<div class=\"code-block\"><p class=\"code-title\">");
        escape_into(title, out);
        out.push_str("</p>\n");
        self.highlighter.code_block(code.lang.as_deref(), &code.code, out);
        out.push_str("</div>\n");
    }

    fn list(&self, list: &List, out: &mut String) {
        match (list.start, list.substeps) {
            (Some(start), true) => {
                out.push_str("<ol class=\"substeps\"");
                if start != 1 {
                    out.push_str(&format!(" start=\"{start}\""));
                }
                out.push_str(">\n");
                for (i, item) in list.items.iter().enumerate() {
                    out.push_str("<li><span class=\"substep-marker\" aria-hidden=\"true\">");
                    out.push_str(&circled_number(start + i as u64));
                    out.push_str("</span><div class=\"substep-body\">");
                    self.blocks(&item.blocks, out);
                    out.push_str("</div></li>\n");
                }
                out.push_str("</ol>\n");
                return;
            }
            (Some(1), false) => out.push_str("<ol>\n"),
            (Some(start), false) => out.push_str(&format!("<ol start=\"{start}\">\n")),
            (None, _) => out.push_str("<ul>\n"),
        }
        for item in &list.items {
            out.push_str("<li>");
            if let Some(checked) = item.checked {
                out.push_str(if checked {
                    "<input type=\"checkbox\" disabled checked> "
                } else {
                    "<input type=\"checkbox\" disabled> "
                });
            }
            self.blocks(&item.blocks, out);
            out.push_str("</li>\n");
        }
        out.push_str(if list.start.is_some() { "</ol>\n" } else { "</ul>\n" });
    }

    fn table(&self, table: &Table, out: &mut String) {
        let cell = |tag: &str, column: usize, inlines: &[Inline], out: &mut String| {
            let align = match table.align.get(column) {
                Some(Align::Left) => " style=\"text-align:left\"",
                Some(Align::Center) => " style=\"text-align:center\"",
                Some(Align::Right) => " style=\"text-align:right\"",
                _ => "",
            };
            out.push_str(&format!("<{tag}{align}>"));
            self.in_table_cell.set(true);
            self.inlines(inlines, out);
            self.in_table_cell.set(false);
            out.push_str(&format!("</{tag}>"));
        };
        out.push_str("<div class=\"table-wrap\"><table");
        if let Some(caption) = &table.caption {
            out.push_str(" id=\"table-");
            escape_into(&caption.id, out);
            out.push_str("\"><caption><span class=\"table-label\">");
            escape_into(&i18n::table_label(self.lang, caption.number), out);
            out.push_str("</span> ");
            escape_into(&caption.text, out);
            out.push_str("</caption");
        }
        out.push_str(">\n");
        if !table.head.is_empty() {
            out.push_str("<thead><tr>");
            for (i, c) in table.head.iter().enumerate() {
                cell("th", i, c, out);
            }
            out.push_str("</tr></thead>\n");
        }
        out.push_str("<tbody>\n");
        for row in &table.rows {
            out.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                cell("td", i, c, out);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
    }

    /// A numbered figure; `caption` overrides the image's alt text (a step's caption).
    pub fn figure(&self, id: &str, image: &Image, number: u32, caption: Option<&str>, out: &mut String) {
        self.figure_with_callouts(id, image, number, caption, &[], out);
    }

    /// A numbered figure with its callouts drawn over it: an SVG laid exactly over
    /// the image, its marks placed in percentages of it, so they stay on their pixels
    /// at every width and print with it. The numbers are text, read out like the
    /// sub-steps'.
    pub fn figure_with_callouts(
        &self,
        id: &str,
        image: &Image,
        number: u32,
        caption: Option<&str>,
        callouts: &[Callout],
        out: &mut String,
    ) {
        let width = super::requested_width(image);
        out.push_str(if width.is_some() { "<figure class=\"figure sized\"" } else { "<figure class=\"figure\"" });
        push_width(out, width);
        out.push_str(" id=\"fig-");
        escape_into(id, out);
        out.push_str("\">");
        match image.frame {
            Some(frame) if !callouts.is_empty() => {
                out.push_str("<div class=\"callout-frame\">");
                self.img(image, "screenshot", None, caption, out);
                callout_overlay(callouts, frame, out);
                out.push_str("</div>");
            }
            _ => self.img(image, "screenshot", None, caption, out),
        }
        out.push_str("<figcaption><span class=\"figure-label\">");
        escape_into(&i18n::figure_label(self.lang, number), out);
        out.push_str("</span> ");
        escape_into(caption.unwrap_or(&image.alt), out);
        out.push_str("</figcaption></figure>\n");
    }

    /// An `<img>`; `width`, the one the writer gave, is CSS's to apply (on screen).
    fn img(&self, image: &Image, class: &str, width: Option<Length>, fallback_alt: Option<&str>, out: &mut String) {
        let src = match image.published_asset() {
            Some(asset) => super::asset_href(self.from, asset),
            None if self.sanitizer.is_some() && !is_safe_url(&image.src, true) => String::new(),
            None => image.src.clone(),
        };
        let alt = if image.alt.is_empty() { fallback_alt.unwrap_or_default() } else { &image.alt };
        out.push_str("<img");
        push_attribute(out, "class", class);
        push_width(out, width);
        push_attribute(out, "src", &src);
        push_attribute(out, "alt", alt);
        if let Some((width, height)) = image.size {
            push_attribute(out, "width", itoa::Buffer::new().format(width));
            push_attribute(out, "height", itoa::Buffer::new().format(height));
        }
        if !image.title.is_empty() {
            push_attribute(out, "title", &image.title);
        }
        out.push_str(" decoding=\"async\">");
    }

    pub fn inlines_to_string(&self, inlines: &[Inline]) -> String {
        exact_string(|out| self.inlines(inlines, out))
    }

    pub fn inlines(&self, inlines: &[Inline], out: &mut String) {
        match self.sanitizer {
            Some(sanitizer) if has_raw_html(inlines) => {
                let mut html = String::new();
                self.inlines_as_they_are(inlines, &mut html);
                out.push_str(&sanitizer.clean(&html));
            }
            _ => self.inlines_as_they_are(inlines, out),
        }
    }

    /// Inlines inside an inline that [`inlines`](Self::inlines) has looked into for
    /// raw HTML already: there is none, or the whole will be cleaned.
    fn inlines_as_they_are(&self, inlines: &[Inline], out: &mut String) {
        for (at, inline) in inlines.iter().enumerate() {
            if let Inline::SoftBreak = inline
                && soft_break_is_nothing(self.manual, self.lang, inlines, at)
            {
                continue;
            }
            self.inline(inline, out);
        }
    }

    fn inline(&self, inline: &Inline, out: &mut String) {
        let wrap = |tag: &str, content: &[Inline], out: &mut String| {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            self.inlines_as_they_are(content, out);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        };
        match inline {
            Inline::Text(text) if self.in_table_cell.get() => escape_breakable_into(text, out),
            Inline::Text(text) => escape_into(text, out),
            Inline::Code(code) => {
                out.push_str("<code>");
                match self.in_table_cell.get() {
                    true => escape_breakable_into(code, out),
                    false => escape_into(code, out),
                }
                out.push_str("</code>");
            }
            Inline::Strong(content) => wrap("strong", content, out),
            Inline::Emphasis(content) => wrap("em", content, out),
            Inline::Strikethrough(content) => wrap("del", content, out),
            Inline::Link(link) => {
                let dest = match (&link.target, &link.asset) {
                    (Some(target), _) => self.link_href(target),
                    (None, Some(asset)) => {
                        let rest = link.dest.find(['?', '#']).map_or("", |at| &link.dest[at..]);
                        super::asset_href(self.from, asset) + rest
                    }
                    (None, None) if self.sanitizer.is_none() || is_safe_url(&link.dest, false) => link.dest.clone(),
                    (None, None) => "#".to_string(),
                };
                out.push_str("<a");
                push_attribute(out, "href", &dest);
                if !link.title.is_empty() {
                    push_attribute(out, "title", &link.title);
                }
                out.push('>');
                self.inlines_as_they_are(&link.content, out);
                out.push_str("</a>");
            }
            Inline::Ref(reference) => self.reference(reference, out),
            Inline::Image(image) if !super::shows_at_size(image) => self.img(image, "icon", None, None, out),
            Inline::Image(image) => {
                let width = super::requested_width(image);
                let class = if width.is_some() { "picture sized" } else { "picture" };
                self.img(image, class, width, None, out)
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br>\n"),
            Inline::Html(html) => out.push_str(&self.resolve_markers(html)),
            Inline::FootnoteRef(number) => {
                out.push_str(&format!("<sup class=\"footnote-ref\"><a href=\"#fn-{number}\""));
                if self.first_reference_to(*number) {
                    out.push_str(&format!(" id=\"fnref-{number}\""));
                }
                out.push_str(&format!(">{number}</a></sup>"));
            }
        }
    }

    /// Raw HTML with the addresses `resolve` pointed at a page (`tejun-page:ID#…`)
    /// or a file of the site (`tejun-asset:PATH`) made relative to this page.
    fn resolve_markers<'h>(&self, html: &'h str) -> std::borrow::Cow<'h, str> {
        if !html.contains("tejun-") {
            return std::borrow::Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find("tejun-") {
            out.push_str(&rest[..at]);
            let marker = &rest[at..];
            let end = marker.find(['"', '\'', '>', ' ', '\t', '\n']).unwrap_or(marker.len());
            // As written in the HTML: what followed the path is escaped already.
            match self.marker_href(&marker[..end]) {
                Some(href) => out.push_str(&href),
                None => out.push_str(&marker[..end]),
            }
            rest = &marker[end..];
        }
        out.push_str(rest);
        std::borrow::Cow::Owned(out)
    }

    fn marker_href(&self, marker: &str) -> Option<String> {
        if let Some(target) = marker.strip_prefix("tejun-page:") {
            let (page, fragment) = match target.split_once('#') {
                Some((page, fragment)) => (page, Some(fragment.to_string())),
                None => (target, None),
            };
            let page = page.parse().ok().filter(|&page| page < self.manual.pages.len())?;
            return Some(self.link_href(&LinkTarget { page, fragment }));
        }
        let asset = marker.strip_prefix("tejun-asset:")?;
        let end = asset.find(['?', '#']).unwrap_or(asset.len());
        Some(super::asset_href(self.from, &asset[..end]) + &asset[end..])
    }

    /// Whether this is the first reference to footnote `number` on the page, the
    /// one its way back leads to (ids are unique).
    fn first_reference_to(&self, number: u32) -> bool {
        let mut referred = self.footnotes_referred.borrow_mut();
        let index = number as usize;
        if referred.len() <= index {
            referred.resize(index + 1, false);
        }
        !std::mem::replace(&mut referred[index], true)
    }

    /// The page's footnotes, each with a link back to its first reference; empty
    /// without any.
    pub fn footnotes(&self, footnotes: &[Footnote]) -> String {
        if footnotes.is_empty() {
            return String::new();
        }
        let ui = i18n::ui(self.lang);
        let mut out = String::from("<section class=\"footnotes\" aria-labelledby=\"footnotes-title\">\n");
        out.push_str("<h2 class=\"footnotes-title\" id=\"footnotes-title\">");
        escape_into(ui.footnotes, &mut out);
        out.push_str("</h2>\n<ol>\n");
        for footnote in footnotes {
            let number = footnote.number;
            out.push_str(&format!("<li id=\"fn-{number}\" value=\"{number}\">"));
            let mut content = self.blocks_to_string(&footnote.blocks);
            if footnote.referred {
                let back = format!(
                    " <a class=\"footnote-back\" href=\"#fnref-{number}\" aria-label=\"{}\">↩</a>",
                    escape(ui.footnote_back)
                );
                // Inside the last paragraph, as GitHub puts it, so that it follows the text.
                match content.strip_suffix("</p>\n") {
                    Some(paragraph) => content = format!("{paragraph}{back}</p>\n"),
                    None => content.push_str(&back),
                }
            }
            out.push_str(&content);
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        out
    }

    /// A link to a page of the manual (written as `other.md#install`), as a link to
    /// its HTML file.
    fn link_href(&self, target: &LinkTarget) -> String {
        let path = self.manual.page_path(&self.manual.pages[target.page]);
        let page = relative_href(self.from, &path);
        match (&target.fragment, path == self.from) {
            (Some(fragment), true) => format!("#{fragment}"),
            (Some(fragment), false) => format!("{page}#{fragment}"),
            (None, _) => page,
        }
    }

    fn reference(&self, reference: &Reference, out: &mut String) {
        let Some(target) = &reference.target else {
            // Unresolved references stop the build in `resolve`; show the text anyway.
            self.inlines_as_they_are(&reference.content, out);
            return;
        };
        let page_href = || relative_href(self.from, &self.manual.page_path(&self.manual.pages[target.page]));
        let href = match &target.anchor {
            Some(anchor) if target.other_page => format!("{}#{anchor}", page_href()),
            Some(anchor) => format!("#{anchor}"),
            None => page_href(),
        };
        let class = match reference.kind {
            RefKind::Step => "xref xref-step",
            RefKind::Figure => "xref xref-figure",
            RefKind::Table => "xref xref-table",
            RefKind::Page => "xref xref-page",
        };
        out.push_str("<a");
        push_attribute(out, "class", class);
        push_attribute(out, "href", &href);
        if let Some(title) = &target.title {
            push_attribute(out, "title", title);
        }
        out.push('>');
        if reference.content.is_empty() {
            let text = reference_text(self.manual, self.lang, reference);
            push_number_kept_together(&text, &reference_number(self.lang, reference), out);
        } else {
            self.inlines_as_they_are(&reference.content, out);
        }
        out.push_str("</a>");
    }
}

/// A reference's generated `text` with its number (`number`, 「手順 19」, "step 19"),
/// where it leads or ends the text, in an element that does not break across lines;
/// the rest (the other page's title) wraps like any text.
fn push_number_kept_together(text: &str, number: &str, out: &mut String) {
    let (before, after) = match (number.is_empty(), text.strip_prefix(number), text.strip_suffix(number)) {
        (false, Some(after), _) => ("", after),
        (false, None, Some(before)) => (before, ""),
        _ => return escape_into(text, out),
    };
    escape_into(before, out);
    out.push_str("<span class=\"xref-number\">");
    escape_into(number, out);
    out.push_str("</span>");
    escape_into(after, out);
}

/// The number part of a resolved step, figure or table reference's text (「手順 19」,
/// "Figure 3"): its text as it reads on its own page. Empty for a page reference.
fn reference_number(lang: &str, reference: &Reference) -> String {
    let Some(target) = &reference.target else { return String::new() };
    match reference.kind {
        RefKind::Step => i18n::step_reference(lang, target.number, target.range_end, None),
        RefKind::Figure => i18n::figure_reference(lang, target.number, None),
        RefKind::Table => i18n::table_reference(lang, target.number, None),
        RefKind::Page => String::new(),
    }
}

/// The generated text of a resolved reference, in the page's language.
pub fn reference_text(manual: &Manual, lang: &str, reference: &Reference) -> String {
    let Some(target) = &reference.target else { return String::new() };
    let page_title = manual.pages[target.page].front.title.as_str();
    let other = target.other_page.then_some(page_title);
    match reference.kind {
        RefKind::Step => i18n::step_reference(lang, target.number, target.range_end, other),
        RefKind::Figure => i18n::figure_reference(lang, target.number, other),
        RefKind::Table => i18n::table_reference(lang, target.number, other),
        RefKind::Page => page_title.to_string(),
    }
}

/// The SVG of a screenshot's callouts, laid over the image: a box around each
/// `box`, and a numbered marker at each box's top-left corner or `at` point. Places
/// are percentages of the image (`frame`, in the image's own coordinates: its
/// viewBox or its pixels), so the marks stay on their pixels at every width; the
/// markers are of one size on screen, as on paper, so that a screenshot shown small
/// (a step's `width`, a phone) keeps numbers a reader can read.
fn callout_overlay(callouts: &[Callout], [left, top, width, height]: [f64; 4], out: &mut String) {
    const RADIUS_PX: f64 = 12.0;
    let across = |x: f64| percent((x - left) / width * 100.0);
    let down = |y: f64| percent((y - top) / height * 100.0);
    out.push_str("<svg class=\"callouts\" role=\"group\">");
    for (i, callout) in callouts.iter().enumerate() {
        let n = i + 1;
        out.push_str(&format!("<g class=\"callout\" data-callout=\"{n}\">"));
        // Just outside a box's corner, so the marker does not hide a small button;
        // inside it at the image's left or top edge, so it stays on the image.
        let (x, y, shift) = match callout {
            Callout::Box(r) => {
                out.push_str(&format!(
                    "<rect class=\"callout-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
                    across(r.x),
                    down(r.y),
                    percent(r.width / width * 100.0),
                    percent(r.height / height * 100.0)
                ));
                let near_edge = |at: f64, start: f64, size: f64| (at - start) / size < 0.04;
                let shift = |edge: bool| if edge { RADIUS_PX } else { -0.6 * RADIUS_PX };
                (r.x, r.y, (shift(near_edge(r.x, left, width)), shift(near_edge(r.y, top, height))))
            }
            Callout::Point { x, y, .. } => (*x, *y, (0.0, 0.0)),
        };
        let (x, y) = (across(x), down(y));
        if shift != (0.0, 0.0) {
            out.push_str(&format!("<g transform=\"translate({} {})\">", shift.0, shift.1));
        }
        out.push_str(&format!(
            "<circle class=\"callout-marker\" cx=\"{x}\" cy=\"{y}\" r=\"{RADIUS_PX}\"/><text class=\"callout-number\" x=\"{x}\" y=\"{y}\" font-size=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            RADIUS_PX * 1.8,
            circled_number(n as u64)
        ));
        if shift != (0.0, 0.0) {
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
}

/// A percentage as an SVG length, to a thousandth of a percent.
fn percent(value: f64) -> String {
    let rounded = format!("{value:.3}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    format!("{}%", if trimmed == "-0" { "0" } else { trimmed })
}

pub fn circled_number(n: u64) -> String {
    let c = match n {
        1..=20 => char::from_u32(0x2460 + n as u32 - 1),
        21..=35 => char::from_u32(0x3251 + n as u32 - 21),
        36..=50 => char::from_u32(0x32B1 + n as u32 - 36),
        _ => None,
    };
    c.map_or_else(|| format!("({n})"), String::from)
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// The width the writer gave an image, as the `style` its rule reads.
fn push_width(out: &mut String, width: Option<Length>) {
    if let Some(width) = width {
        push_attribute(out, "style", &format!("--width: {}", css_length(width)));
    }
}

/// A length as CSS writes it: `300px`, `40%`, `63.5mm`.
fn css_length(length: Length) -> String {
    let (number, unit) = match length {
        Length::Pixels(px) => (px, "px"),
        Length::Percent(share) => (share, "%"),
        Length::Millimetres(mm) => (mm, "mm"),
    };
    let number = format!("{number:.2}");
    format!("{}{unit}", number.trim_end_matches('0').trim_end_matches('.'))
}

/// ` name="value"`, the value escaped: written in place, as pages hold thousands.
fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(value, out);
    out.push('"');
}

pub fn escape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = first_of(rest.as_bytes(), NEEDS_ESCAPE) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// `text` escaped, with a `<wbr>` wherever a long name or path may break
/// ([`crate::render::wrap`]): the browser breaks there only when the table's column
/// cannot hold the whole word, where `overflow-wrap` broke it anywhere.
fn escape_breakable_into(text: &str, out: &mut String) {
    for (i, piece) in crate::render::wrap::unbreakable_pieces(text).enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        escape_into(piece, out);
    }
}

/// The bytes [`escape_into`] replaces.
const NEEDS_ESCAPE: ByteSet<5> = ByteSet { below: 0, needles: *b"&<>\"'" };

/// Whether the writer's line break at `inlines[at]` (a soft break) is no space at
/// all: between two Japanese characters (CSS Text's segment break rules, which
/// Chrome and Edge do not follow: they show a space there).
pub fn soft_break_is_nothing(manual: &Manual, lang: &str, inlines: &[Inline], at: usize) -> bool {
    // Between two runs of text nearly always: a look at their ends.
    if let (Some(Inline::Text(before)), Some(Inline::Text(after))) =
        (at.checked_sub(1).map(|p| &inlines[p]), inlines.get(at + 1))
    {
        return before.chars().next_back().is_some_and(is_cjk) && after.chars().next().is_some_and(is_cjk);
    }
    last_char(manual, lang, &inlines[..at]).is_some_and(is_cjk)
        && first_char(manual, lang, &inlines[at + 1..]).is_some_and(is_cjk)
}

/// The first character the reader sees in `inlines`, if it is text.
fn first_char(manual: &Manual, lang: &str, inlines: &[Inline]) -> Option<char> {
    edge_char(manual, lang, inlines, false)
}

/// The last character the reader sees in `inlines`, if it is text.
fn last_char(manual: &Manual, lang: &str, inlines: &[Inline]) -> Option<char> {
    edge_char(manual, lang, inlines, true)
}

/// The first (or, `from_end`, the last) character the reader sees in `inlines`.
fn edge_char(manual: &Manual, lang: &str, inlines: &[Inline], from_end: bool) -> Option<char> {
    let edge = |text: &str| if from_end { text.chars().next_back() } else { text.chars().next() };
    for k in 0..inlines.len() {
        let inline = &inlines[if from_end { inlines.len() - 1 - k } else { k }];
        let found = match inline {
            Inline::Text(text) | Inline::Code(text) => edge(text),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => edge_char(manual, lang, c, from_end),
            Inline::Link(link) => edge_char(manual, lang, &link.content, from_end),
            Inline::Ref(r) if r.content.is_empty() => edge(&reference_text(manual, lang, r)),
            Inline::Ref(r) => edge_char(manual, lang, &r.content, from_end),
            Inline::Html(_) => continue,
            Inline::Image(_) | Inline::SoftBreak | Inline::HardBreak | Inline::FootnoteRef(_) => return None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Characters of scripts written without spaces between words (Chinese characters,
/// kana, full-width forms and CJK punctuation; not Hangul, which uses spaces), where
/// a line break in the source is no space (CSS Text's segment break rules).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF     // radicals
        | 0x3000..=0x303F   // CJK symbols and punctuation: 、。「」
        | 0x3040..=0x30FF   // hiragana, katakana
        | 0x31F0..=0x31FF   // katakana extensions
        | 0x3400..=0x4DBF   // extension A
        | 0x4E00..=0x9FFF   // unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFE30..=0xFE4F   // compatibility forms
        | 0xFF00..=0xFFEF   // full-width and half-width forms: （）！ｶﾀｶﾅ
        | 0x20000..=0x3FFFF // supplementary ideographs
    )
}

/// Whether a raw HTML block runs from a `<table>` to a `</table>`: a table (or a few).
fn is_whole_table(html: &str) -> bool {
    let trimmed = html.trim();
    let starts = trimmed.get(..6).is_some_and(|start| start.eq_ignore_ascii_case("<table"))
        && trimmed[6..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace());
    let ends =
        trimmed.len() >= 8 && trimmed.get(trimmed.len() - 8..).is_some_and(|end| end.eq_ignore_ascii_case("</table>"));
    starts && ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circled_numbers() {
        assert_eq!(circled_number(1), "①");
        assert_eq!(circled_number(20), "⑳");
        assert_eq!(circled_number(21), "㉑");
        assert_eq!(circled_number(50), "㊿");
        assert_eq!(circled_number(51), "(51)");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;&#x27;");
        assert_eq!(escape("手順"), "手順");
        // Past and across the 16-byte stretches it passes over, from every start.
        let naive = |text: &str| {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;")
        };
        let long = "「利用者ＩＤ」欄に & と <b> を入力します、\"確認\"をクリック'。".repeat(3);
        for cut in (0..long.len()).filter(|&cut| long.is_char_boundary(cut)) {
            assert_eq!(escape(&long[cut..]), naive(&long[cut..]));
        }
        assert_eq!(escape(&"a".repeat(40)), "a".repeat(40));
        assert_eq!(escape(&format!("{}<", "b".repeat(31))), format!("{}&lt;", "b".repeat(31)));
    }
}
