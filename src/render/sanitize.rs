//! Raw HTML in Markdown, cleaned to an allow-list (ammonia's) unless `tejun.toml`
//! says `[markdown] unsafe_html = true`: a `<script>`, an `onclick` or a
//! `javascript:` link pasted into a manual never reaches its readers.
//!
//! pulldown-cmark hands inline HTML over one tag at a time (`<kbd>`, text, `</kbd>`),
//! and a lone tag cannot be cleaned on its own, so a paragraph that holds inline HTML
//! is rendered whole and then cleaned; paragraphs without raw HTML are left alone.

use ammonia::Builder;

use crate::model::Inline;

pub struct Sanitizer {
    builder: Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = Builder::default();
        builder
            // Accessibility attributes too: migrated pages carry `role` and `aria-*`.
            .add_generic_attributes(["class", "id", "title", "lang", "dir", "role"])
            .add_generic_attribute_prefixes(["aria-"])
            // `style` only as tejun writes it for an image's size (`--width: 300px`),
            // which images in a paragraph with raw HTML keep through the cleaning.
            .add_tag_attributes("img", ["width", "height", "decoding", "loading", "style"])
            // A paragraph's or heading's alignment, as Word's and HTML exports write a
            // revision date on the right (`<p align="right">`) or 社外秘 centred; `style`
            // only for `text-align`.
            .add_tag_attributes("p", ["align", "style"])
            .add_tag_attributes("div", ["align", "style"])
            .add_tag_attributes("h1", ["align"])
            .add_tag_attributes("h2", ["align"])
            .add_tag_attributes("h3", ["align"])
            .add_tag_attributes("h4", ["align"])
            // Text in colour, as Japanese manuals mark what must not be missed in red
            // (赤字): `<font color="red">`, `<span style="color: #c00">`, a marker's
            // yellow `background-color`.
            .add_tag_attributes("font", ["color"])
            .add_tag_attributes("span", ["style"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("img", "style") => is_width_property(value).then(|| value.into()),
                ("font", "color") => text_color(value).map(|_| value.into()),
                (_, "style") => kept_style(value).map(Into::into),
                (_, "align") => ALIGNMENTS.contains(&value.trim().to_ascii_lowercase().as_str()).then(|| value.into()),
                _ => Some(value.into()),
            })
            // `<a name="install"></a>`, the anchors of old pages, Word's and Pandoc's:
            // links to `#install` land there (a `name` adds nothing an `id` could not).
            .add_tag_attributes("a", ["name"])
            .add_tag_attributes("details", ["open"])
            .add_tags(["figure", "figcaption", "mark", "kbd", "samp", "var", "details", "summary", "center", "font"])
            .link_rel(None);
        Sanitizer { builder }
    }
}

impl Sanitizer {
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

/// The alignments `align` and `text-align` may name.
const ALIGNMENTS: [&str; 4] = ["left", "center", "right", "justify"];

/// The value a `style` attribute gives `property`, in lowercase.
fn style_value(style: &str, property: &str) -> Option<String> {
    crate::parse::html_pictures::style_value(style, property).map(str::to_ascii_lowercase)
}

/// How an inline tag of raw HTML has its text look, as far as tejun keeps it: Word's
/// HTML and old intranet pages mark what must not be missed in red, on a marker's
/// yellow, in bold or underlined with a `<span style>` rather than `<b>` or `<u>`.
#[derive(Debug, Default, PartialEq)]
pub struct Look {
    /// The text colour, as `#rrggbb`.
    pub color: Option<String>,
    /// The background colour, as `#rrggbb`.
    pub background: Option<String>,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

/// How a `style` attribute has its text look.
fn style_look(style: &str) -> Look {
    let bold = style_value(style, "font-weight").is_some_and(|weight| {
        matches!(weight.as_str(), "bold" | "bolder") || weight.parse::<u16>().is_ok_and(|weight| weight >= 600)
    });
    let italic = style_value(style, "font-style").is_some_and(|value| matches!(value.as_str(), "italic" | "oblique"));
    let decoration = style_value(style, "text-decoration-line").or_else(|| style_value(style, "text-decoration"));
    Look {
        color: style_value(style, "color").and_then(|value| text_color(&value)),
        background: style_value(style, "background-color").and_then(|value| css_color(&value)),
        bold,
        italic,
        underline: decoration.is_some_and(|value| value.split_whitespace().any(|word| word == "underline")),
    }
}

/// The `text-align` a `style` attribute sets, if it sets one tejun keeps.
fn text_align(style: &str) -> Option<&'static str> {
    let value = style_value(style, "text-align")?;
    ALIGNMENTS.into_iter().find(|align| *align == value)
}

/// What tejun keeps of a `style` attribute: the alignment, the colours, bold, italic
/// and underline.
fn kept_style(style: &str) -> Option<String> {
    let mut kept = Vec::new();
    if let Some(align) = text_align(style) {
        kept.push(format!("text-align: {align}"));
    }
    let look = style_look(style);
    kept.extend(look.color.map(|color| format!("color: {color}")));
    kept.extend(look.background.map(|background| format!("background-color: {background}")));
    kept.extend(look.bold.then(|| "font-weight: bold".to_string()));
    kept.extend(look.italic.then(|| "font-style: italic".to_string()));
    kept.extend(look.underline.then(|| "text-decoration: underline".to_string()));
    (!kept.is_empty()).then(|| kept.join("; "))
}

/// How an opening inline tag has its text look (`<font color="red">`, `<span
/// style="color: #c00; background-color: yellow; font-weight: bold">`).
pub fn tag_look(html: &str) -> Look {
    let Some(Piece::Tag { name, closing: false, attributes, .. }) = pieces(html.trim_start()).next() else {
        return Look::default();
    };
    match name.as_str() {
        "font" => {
            Look { color: attribute_value(attributes, "color").and_then(|value| text_color(&value)), ..Look::default() }
        }
        "span" => style_look(&attribute_value(attributes, "style").unwrap_or_default()),
        _ => Look::default(),
    }
}

/// A text colour worth keeping, as `#rrggbb`: not black or white nor nearly, which
/// Word writes on every run (`color: black`) and which the dark theme would make
/// unreadable; the theme's own colour serves for those.
fn text_color(value: &str) -> Option<String> {
    let color = css_color(value)?;
    let channels: Vec<u8> = (0..3).map(|i| u8::from_str_radix(&color[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0)).collect();
    let (darkest, lightest) = (channels.iter().min().copied()?, channels.iter().max().copied()?);
    (lightest > 0x30 && darkest < 0xe0).then_some(color)
}

/// A colour as CSS writes it — `#c00`, `#cc0000`, `rgb(204, 0, 0)` or one of the
/// names pages use — as `#rrggbb`; `None` for anything else.
fn css_color(value: &str) -> Option<String> {
    let value = value.trim().to_ascii_lowercase();
    if let Some(hex) = value.strip_prefix('#').filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())) {
        return match hex.len() {
            3 => Some(hex.chars().flat_map(|c| [c, c]).collect::<String>()),
            6 => Some(hex.to_string()),
            _ => None,
        }
        .map(|hex| format!("#{hex}"));
    }
    if let Some(channels) = value.strip_prefix("rgb(").and_then(|rest| rest.strip_suffix(')')) {
        let channels: Vec<u8> = channels.split(',').map(|c| c.trim().parse().ok()).collect::<Option<_>>()?;
        return (channels.len() == 3).then(|| format!("#{:02x}{:02x}{:02x}", channels[0], channels[1], channels[2]));
    }
    const NAMED: [(&str, &str); 16] = [
        ("red", "#ff0000"),
        ("darkred", "#8b0000"),
        ("maroon", "#800000"),
        ("orange", "#ffa500"),
        ("yellow", "#ffff00"),
        ("green", "#008000"),
        ("lime", "#00ff00"),
        ("blue", "#0000ff"),
        ("navy", "#000080"),
        ("purple", "#800080"),
        ("fuchsia", "#ff00ff"),
        ("magenta", "#ff00ff"),
        ("gray", "#808080"),
        ("grey", "#808080"),
        ("black", "#000000"),
        ("white", "#ffffff"),
    ];
    NAMED.iter().find(|(name, _)| *name == value).map(|(_, hex)| hex.to_string())
}

/// How a block of raw HTML is aligned, when its outer element says so
/// (`<p align="right">`, `<div style="text-align: center">`, `<center>`): what print
/// sets it as. `None` for the left, as text is anyway.
pub fn alignment(html: &str) -> Option<&'static str> {
    let Piece::Tag { name, closing: false, attributes, .. } = pieces(html.trim_start()).next()? else { return None };
    if name == "center" {
        return Some("center");
    }
    let align = match attribute_value(attributes, "align") {
        Some(align) => ALIGNMENTS.into_iter().find(|known| *known == align.trim()),
        None => attribute_value(attributes, "style").and_then(|style| text_align(&style)),
    };
    align.filter(|align| matches!(*align, "center" | "right"))
}

/// The value of attribute `key` in a tag's `attributes` (quoted or not), in lowercase.
fn attribute_value(attributes: &str, key: &str) -> Option<String> {
    crate::parse::html_tables::attribute(attributes, key).map(str::to_ascii_lowercase)
}

/// Whether `style` is an image's size as the renderer writes it: `--width: ` and a
/// number of pixels, per cent or millimetres.
fn is_width_property(style: &str) -> bool {
    let Some(length) = style.strip_prefix("--width: ") else { return false };
    let Some(number) = ["px", "%", "mm"].iter().find_map(|unit| length.strip_suffix(unit)) else { return false };
    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Updates `open`, the elements left open by the raw HTML before, with those `html`
/// opens and closes. Pages brought from GitHub or Docusaurus wrap Markdown in HTML
/// (`<details><summary>…</summary>`, a blank line, Markdown, `</details>`), which
/// pulldown-cmark hands over as separate blocks; the renderer needs to know which
/// blocks an element spans to clean them as one. A light scan, not a parser: void
/// and self-closed elements open nothing, a closing tag closes back to its element
/// when that is open and is ignored otherwise.
pub fn track_open_elements(html: &str, open: &mut Vec<String>) {
    for piece in pieces(html) {
        let Piece::Tag { name, closing, self_closed, .. } = piece else { continue };
        if closing {
            if let Some(position) = open.iter().rposition(|element| *element == name) {
                open.truncate(position);
            }
        } else if !self_closed && !VOID_ELEMENTS.contains(&name.as_str()) {
            open.push(name);
        }
    }
}

/// A piece of raw HTML, as the scans here read it.
enum Piece<'h> {
    Text(&'h str),
    /// A start or end tag: its name in lowercase, whether it is an end tag (`</p>`),
    /// and whether it closes itself (`<br/>`).
    Tag {
        name: String,
        closing: bool,
        self_closed: bool,
        /// What follows the name, through the `>`: the attributes.
        attributes: &'h str,
    },
}

/// The text and tags of `html`. Comments, declarations and what `<script>` and
/// `<style>` hold are left out; a `<` that starts no tag is text.
fn pieces(html: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let at = rest.find('<');
            if at != Some(0) {
                let end = at.unwrap_or(rest.len());
                let text = &rest[..end];
                rest = &rest[end..];
                return (!text.is_empty()).then_some(Piece::Text(text));
            }
            let after = &rest[1..];
            if let Some(comment) = after.strip_prefix("!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let closing = after.starts_with('/');
            let name_start = usize::from(closing);
            let name_len = after[name_start..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .unwrap_or(after.len() - name_start);
            let name = after[name_start..name_start + name_len].to_ascii_lowercase();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                if closing || after.starts_with(['!', '?']) {
                    rest = after.find('>').map_or("", |end| &after[end + 1..]);
                    continue;
                }
                rest = after;
                return Some(Piece::Text("<"));
            }
            let (tag_len, self_closed) = tag_end(&after[name_start + name_len..]);
            let attributes = &after[name_start + name_len..name_start + name_len + tag_len];
            rest = &after[name_start + name_len + tag_len..];
            if !closing && RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
                rest = closing_tag(rest, &name).map_or("", |end| &rest[end..]);
                continue;
            }
            return Some(Piece::Tag { name, closing, self_closed, attributes });
        }
    })
}

const VOID_ELEMENTS: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose content is text, not tags.
const RAW_TEXT_ELEMENTS: [&str; 4] = ["script", "style", "textarea", "title"];

/// The length of the rest of a tag after its name, through its `>` (quoted values may
/// hold one), and whether it ends `/>`.
fn tag_end(after_name: &str) -> (usize, bool) {
    let mut quote = None;
    for (at, c) in after_name.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return (at + 1, after_name[..at].ends_with('/')),
            _ => {}
        }
    }
    (after_name.len(), false)
}

/// Where the text after `</name>` starts in `text`, if it has one.
fn closing_tag(text: &str, name: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find(&format!("</{name}"))?;
    Some(at + 2 + name.len() + tag_end(&text[at + 2 + name.len()..]).0)
}

/// The text a reader sees in a raw HTML block, for print and search, which cannot
/// show HTML: tags dropped (and what `<script>`, `<style>` and comments hold, and a
/// ruby's reading, [`crate::model::ruby_annotation`]),
/// a line break where a block element or `<br>` ends a line, the common character
/// references decoded. A `<div>` note pasted from a wiki keeps its words on paper.
pub fn text_of(html: &str) -> String {
    let lines: Vec<String> = lines_of(html).into_iter().map(|line| line.text).collect();
    lines.join("\n")
}

/// A line of a raw HTML block's text, as paper prints it.
#[derive(Debug, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// Whether all its words are in bold elements (`<strong>`, `<b>`, a heading, a
    /// `<summary>`, a `<dt>`).
    pub bold: bool,
    /// How many lists, quotes and definitions (`<dd>`) it is inside: how far it is
    /// indented.
    pub depth: usize,
    /// A list item's bullet (`•`) or number (`2.`), on its first line.
    pub marker: Option<String>,
}

/// What a raw HTML block's lists are, as its lines are read.
enum Nesting {
    Bullets,
    /// A numbered list and the number of its last item.
    Numbers(u64),
    Quote,
    Definitions,
    /// A definition (`<dd>`), indented under its term.
    Definition,
}

/// [`text_of`]'s lines, with what print needs to set them: bold, indented, marked.
pub fn lines_of(html: &str) -> Vec<TextLine> {
    let mut lines = Vec::new();
    let mut line = TextLine { text: String::new(), bold: true, depth: 0, marker: None };
    let mut bold_depth = 0usize;
    let mut in_annotation = false;
    let mut nesting: Vec<Nesting> = Vec::new();
    let mut marker = None;
    let end_line = |line: &mut TextLine, lines: &mut Vec<TextLine>| {
        let words = line.text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        let ended = std::mem::replace(line, TextLine { text: String::new(), bold: true, depth: 0, marker: None });
        if !words.is_empty() {
            lines.push(TextLine { text: words, ..ended });
        }
    };
    for piece in pieces(html) {
        match piece {
            Piece::Text(_) if in_annotation => {}
            Piece::Text(words) => {
                if words.trim().is_empty() {
                    line.text.push(' ');
                    continue;
                }
                if line.text.trim().is_empty() {
                    line.depth = nesting.iter().filter(|n| !matches!(n, Nesting::Definitions)).count();
                    line.marker = marker.take();
                }
                if bold_depth == 0 {
                    line.bold = false;
                }
                for (index, part) in words.split('\n').enumerate() {
                    if index > 0 {
                        line.text.push(' ');
                    }
                    decode_into(part, &mut line.text);
                }
            }
            Piece::Tag { name, closing, .. } => {
                if name == "rt" || name == "rp" {
                    in_annotation = !closing;
                }
                if BOLD_ELEMENTS.contains(&name.as_str()) {
                    bold_depth = if closing { bold_depth.saturating_sub(1) } else { bold_depth + 1 };
                }
                let list_element = LIST_ELEMENTS.contains(&name.as_str());
                if name == "br" || (closing || list_element) && LINE_ENDING_ELEMENTS.contains(&name.as_str()) {
                    end_line(&mut line, &mut lines);
                } else if closing && (name == "td" || name == "th") {
                    line.text.push(' ');
                }
                if list_element {
                    nest(&mut nesting, &name, closing, &mut marker);
                }
            }
        }
    }
    end_line(&mut line, &mut lines);
    lines
}

/// A raw HTML block that is one table whose cells span rows or columns (as Word and
/// Confluence write a fee table): tejun reads simpler ones as Markdown tables, and
/// print sets this one as a table too rather than its words line by line.
#[derive(Debug, PartialEq)]
pub struct SpannedTable {
    /// Its `<caption>`'s words, printed in bold above it.
    pub caption: String,
    pub rows: Vec<Vec<SpannedCell>>,
    /// How many of the first rows are the header (`<thead>`, or rows of `<th>` only).
    pub header_rows: usize,
    pub columns: usize,
}

#[derive(Debug, PartialEq)]
pub struct SpannedCell {
    pub rowspan: usize,
    pub colspan: usize,
    pub header: bool,
    pub lines: Vec<TextLine>,
}

/// The table `html` is, when it is one `<table>` and nothing else, with no table
/// inside it; its spans kept inside the table, and `columns` counting the columns
/// the widest row reaches with the cells spanning into it from above.
pub fn spanned_table(html: &str) -> Option<SpannedTable> {
    let trimmed = html.trim();
    let lower_end = trimmed.get(trimmed.len().saturating_sub(8)..)?;
    if !lower_end.eq_ignore_ascii_case("</table>") {
        return None;
    }
    let mut pieces = pieces(trimmed);
    if !matches!(pieces.next(), Some(Piece::Tag { ref name, closing: false, .. }) if name == "table") {
        return None;
    }
    let mut rows: Vec<Vec<SpannedCell>> = Vec::new();
    let (mut in_head, mut head_rows) = (false, 0);
    // The cell being read: its spans, whether it is a `<th>`, and its HTML less
    // the attributes.
    let mut cell: Option<(usize, usize, bool, String)> = None;
    let mut ended = false;
    let (mut caption, mut in_caption) = (String::new(), false);
    for piece in pieces {
        match piece {
            Piece::Tag { name, closing, .. } if name == "caption" => in_caption = !closing,
            Piece::Text(text) if in_caption => decode_into(text, &mut caption),
            // Words or another table after the table's end: not one table.
            Piece::Text(text) if ended && text.trim().is_empty() => {}
            _ if ended => return None,
            // A table inside a cell.
            Piece::Tag { name, closing: false, .. } if name == "table" => return None,
            Piece::Tag { name, closing: true, .. } if name == "table" => ended = true,
            Piece::Tag { name, closing, attributes, .. } if name == "td" || name == "th" => {
                if let Some(done) = cell.take() {
                    push_cell(&mut rows, done);
                }
                if !closing {
                    let span = |key| span_attribute(attributes, key);
                    cell = Some((span("rowspan"), span("colspan"), name == "th", String::new()));
                }
            }
            Piece::Tag { name, closing, .. } if name == "tr" => {
                if let Some(done) = cell.take() {
                    push_cell(&mut rows, done);
                }
                if !closing {
                    rows.push(Vec::new());
                    if in_head {
                        head_rows = rows.len();
                    }
                }
            }
            Piece::Tag { name, closing, .. } if name == "thead" => in_head = !closing,
            Piece::Tag { name, closing, self_closed, .. } => {
                if let Some((_, _, _, html)) = &mut cell {
                    html.push_str(if closing { "</" } else { "<" });
                    html.push_str(&name);
                    html.push_str(if self_closed { "/>" } else { ">" });
                }
            }
            Piece::Text(text) => {
                if let Some((_, _, _, html)) = &mut cell {
                    html.push_str(text);
                }
            }
        }
    }
    if let Some(done) = cell.take() {
        push_cell(&mut rows, done);
    }
    rows.retain(|row| !row.is_empty());
    let spans = rows.iter().flatten().any(|cell| cell.rowspan > 1 || cell.colspan > 1);
    if rows.is_empty() || !spans {
        return None;
    }
    let header_rows = match head_rows {
        0 => rows.iter().take_while(|row| row.iter().all(|cell| cell.header)).count(),
        rows_in_head => rows_in_head.min(rows.len()),
    };
    let columns = fit_spans(&mut rows, header_rows);
    // No sheet of paper holds more; such a table prints as its lines.
    let caption = caption.split_whitespace().collect::<Vec<_>>().join(" ");
    (columns <= MAX_PRINTED_COLUMNS).then_some(SpannedTable { caption, rows, header_rows, columns })
}

const MAX_PRINTED_COLUMNS: usize = 40;

fn push_cell(rows: &mut Vec<Vec<SpannedCell>>, (rowspan, colspan, header, html): (usize, usize, bool, String)) {
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    let row = rows.last_mut().expect("a row");
    row.push(SpannedCell { rowspan, colspan, header, lines: lines_of(&html) });
}

/// `rowspan="2"`'s value in a tag's attributes: 1 when it is missing or no number.
fn span_attribute(attributes: &str, key: &str) -> usize {
    let lower = attributes.to_ascii_lowercase();
    let Some(at) = lower.find(key) else { return 1 };
    let value = lower[at + key.len()..].trim_start().strip_prefix('=').unwrap_or_default().trim_start();
    let digits: String = value.trim_start_matches(['"', '\'']).chars().take_while(char::is_ascii_digit).collect();
    // Past the widest table printed, a span would only pad the table with empty cells.
    digits.parse().unwrap_or(1).clamp(1, MAX_PRINTED_COLUMNS + 1)
}

/// The columns of `rows` laid out as a browser lays them out, each cell in the first
/// place its row leaves free; a row span cut at the end of the table or of its
/// header (which typst keeps apart), a short row filled with empty cells (typst would
/// take the next row's first cells into it), and the number of columns.
fn fit_spans(rows: &mut [Vec<SpannedCell>], header_rows: usize) -> usize {
    // How many more rows each column is taken by a cell from above.
    let mut taken: Vec<usize> = Vec::new();
    let mut columns = 0;
    let row_count = rows.len();
    let mut filled = Vec::with_capacity(row_count);
    for (r, row) in rows.iter_mut().enumerate() {
        let last_row = if r < header_rows { header_rows } else { row_count };
        let mut column = 0;
        for cell in row.iter_mut() {
            while taken.get(column).is_some_and(|&rows| rows > 0) {
                column += 1;
            }
            cell.rowspan = cell.rowspan.min(last_row - r);
            if taken.len() < column + cell.colspan {
                taken.resize(column + cell.colspan, 0);
            }
            for slot in &mut taken[column..column + cell.colspan] {
                *slot = cell.rowspan;
            }
            column += cell.colspan;
        }
        columns = columns.max(column).max(taken.len());
        filled.push(taken.iter().filter(|&&rows| rows > 0).count());
        for slot in &mut taken {
            *slot = slot.saturating_sub(1);
        }
    }
    for (row, filled) in rows.iter_mut().zip(filled) {
        let empty = || SpannedCell { rowspan: 1, colspan: 1, header: false, lines: Vec::new() };
        row.extend(std::iter::repeat_with(empty).take(columns.saturating_sub(filled)));
    }
    columns
}

/// Follows a list element's start or end tag in `nesting`; an item's start sets
/// `marker` for its first line.
fn nest(nesting: &mut Vec<Nesting>, name: &str, closing: bool, marker: &mut Option<String>) {
    let opened = match name {
        "ul" => Nesting::Bullets,
        "ol" => Nesting::Numbers(0),
        "blockquote" => Nesting::Quote,
        "dl" => Nesting::Definitions,
        "dd" => Nesting::Definition,
        _ => {
            if name == "li" && !closing {
                *marker = Some(match nesting.last_mut() {
                    Some(Nesting::Numbers(number)) => {
                        *number += 1;
                        format!("{number}.")
                    }
                    _ => "•".to_string(),
                });
            }
            return;
        }
    };
    if !closing {
        nesting.push(opened);
    } else if let Some(at) =
        nesting.iter().rposition(|open| std::mem::discriminant(open) == std::mem::discriminant(&opened))
    {
        nesting.truncate(at);
    }
}

/// The element a piece of inline HTML opens or closes (`<kbd>`, `</kbd>`, `<br/>`),
/// in lowercase, and whether it closes it; `None` for a comment or text.
pub fn inline_tag(html: &str) -> Option<(String, bool)> {
    match pieces(html).next()? {
        Piece::Tag { name, closing, .. } => Some((name, closing)),
        Piece::Text(_) => None,
    }
}

/// Elements whose text is bold on paper.
const BOLD_ELEMENTS: [&str; 10] = ["strong", "b", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "dt"];

/// Elements whose end ends a line of text; of [`LIST_ELEMENTS`], their start too.
const LINE_ENDING_ELEMENTS: [&str; 20] = [
    "p",
    "div",
    "li",
    "tr",
    "summary",
    "details",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
];

/// The elements of lists and quotes: they indent or mark the lines in them, and
/// those of [`LINE_ENDING_ELEMENTS`] end a line where they start too (a `<dt>`
/// only that).
const LIST_ELEMENTS: [&str; 7] = ["ul", "ol", "li", "blockquote", "dl", "dt", "dd"];

/// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;` and numeric
/// references decoded; any other stays as written.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| match &rest[1..end] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            number => {
                let code = match number.strip_prefix("#x").or(number.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.strip_prefix('#').and_then(|n| n.parse().ok()),
                };
                code.and_then(char::from_u32)
            }
        });
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Whether inline content holds raw HTML anywhere.
pub fn has_raw_html(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Html(_) => true,
        Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => has_raw_html(c),
        Inline::Link(link) => has_raw_html(&link.content),
        Inline::Ref(reference) => has_raw_html(&reference.content),
        _ => false,
    })
}

/// Whether a link or image address is safe to put in front of readers: relative,
/// a fragment, or http(s), mailto or tel (and inline data for images).
pub fn is_safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
                || (image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg"))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_size_as_tejun_writes_it_is_kept_and_any_other_style_dropped() {
        let clean = |html: &str| Sanitizer::default().clean(html);
        let sized = "<img style=\"--width: 62.5mm\" src=\"a.png\">";
        assert_eq!(clean(sized), sized);
        for style in ["width: 300px", "--width: 1px; background: url(x)", "--width: 3em", "--width: px"] {
            let html = format!("<img style=\"{style}\" src=\"a.png\">");
            assert_eq!(clean(&html), "<img src=\"a.png\">", "{style}");
        }
        assert_eq!(clean("<span style=\"--width: 3px\">a</span>"), "<span>a</span>");
    }

    #[test]
    fn a_table_with_spanned_cells_is_read_with_its_spans_and_short_rows_filled() {
        let html = "<table>\n<caption>振込 &amp; 手数料</caption>\n<thead>\n<tr><th rowspan=\"2\">区分</th><th colspan=\"2\">手数料</th></tr>\n\
            <tr><th>当行宛</th><th>他行宛</th></tr>\n</thead>\n<tbody>\n\
            <tr><td>3 万円未満</td><td>110 円</td><td>330 円</td></tr>\n\
            <tr><td>3 万円以上</td><td colspan='2'>440 円<br>（一律）</td></tr>\n\
            <tr><td>窓口</td></tr>\n</tbody>\n</table>\n";
        let table = spanned_table(html).expect("a spanned table");
        assert_eq!((table.columns, table.header_rows, table.caption.as_str()), (3, 2, "振込 & 手数料"));
        let spans: Vec<Vec<(usize, usize)>> =
            table.rows.iter().map(|row| row.iter().map(|c| (c.rowspan, c.colspan)).collect()).collect();
        assert_eq!(
            spans,
            [vec![(2, 1), (1, 2)], vec![(1, 1), (1, 1)], vec![(1, 1); 3], vec![(1, 1), (1, 2)], vec![(1, 1); 3]]
        );
        let texts: Vec<String> = table.rows[3][1].lines.iter().map(|line| line.text.clone()).collect();
        assert_eq!(texts, ["440 円", "（一律）"]);
        assert!(spanned_table("<table><tr><td>a</td><td>b</td></tr></table>").is_none(), "no spans: a Markdown table");
        assert!(
            spanned_table("<table><tr><td colspan=2><table><tr><td>x</td></tr></table></td></tr></table>").is_none()
        );
        assert!(spanned_table("<div><table><tr><td colspan=2>a</td></tr></table></div>").is_none());
        let two = "<table><tr><td colspan=2>a</td></tr></table>\n<table><tr><td>b</td></tr></table>";
        assert!(spanned_table(two).is_none(), "two tables in one block print as their lines");
        let wide = "<table><tr><td colspan=\"100000\">a</td></tr><tr><td>b</td></tr></table>";
        assert!(spanned_table(wide).is_none(), "wider than any sheet: its lines");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let s = Sanitizer::default();
        assert_eq!(s.clean("<p onclick=\"x()\">a<script>alert(1)</script></p>"), "<p>a</p>");
        assert_eq!(s.clean("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
        assert_eq!(s.clean("<kbd class=\"k\">Ctrl</kbd>"), "<kbd class=\"k\">Ctrl</kbd>");
    }

    #[test]
    fn alignment_is_kept_as_an_attribute_or_text_align() {
        let sanitizer = Sanitizer::default();
        assert_eq!(sanitizer.clean("<p align=\"right\">改訂</p>"), "<p align=\"right\">改訂</p>");
        assert_eq!(
            sanitizer.clean("<div style=\"font-family: serif; text-align: Center\">社外秘</div>"),
            "<div style=\"text-align: center\">社外秘</div>"
        );
        assert_eq!(sanitizer.clean("<p style=\"margin: 0\" align=\"middle\">x</p>"), "<p>x</p>");
        assert_eq!(sanitizer.clean("<center>中央</center>"), "<center>中央</center>");
        assert_eq!(alignment("<p align=\"right\">改訂</p>"), Some("right"));
        assert_eq!(alignment("<P ALIGN=center>x</P>"), Some("center"));
        assert_eq!(alignment("<div style=\"text-align:right\">x</div>"), Some("right"));
        assert_eq!(alignment("<center>x</center>"), Some("center"));
        assert_eq!(alignment("<p align=\"left\">x</p>"), None);
        assert_eq!(alignment("<p data-align=\"right\">x</p>"), None);
    }

    #[test]
    fn colours_of_text_are_kept_and_read_for_print() {
        let sanitizer = Sanitizer::default();
        assert_eq!(
            sanitizer.clean("<font color=\"red\" face=\"MS Gothic\">必ず</font>"),
            "<font color=\"red\">必ず</font>"
        );
        assert_eq!(
            sanitizer
                .clean("<span style=\"font-family: x; color: #C00; background-color: expression(alert(1))\">赤</span>"),
            "<span style=\"color: #cc0000\">赤</span>"
        );
        assert_eq!(sanitizer.clean("<span style=\"position: fixed\">x</span>"), "<span>x</span>");
        let colors = |html: &str| {
            let look = tag_look(html);
            (look.color, look.background)
        };
        assert_eq!(colors("<font color=red>"), (Some("#ff0000".into()), None));
        assert_eq!(
            colors("<span style=\"color: rgb(0, 0, 255); background-color: yellow\">"),
            (Some("#0000ff".into()), Some("#ffff00".into()))
        );
        assert_eq!(colors("<span lang=\"EN-US\">"), (None, None));
        // Word's `color: black` on every run is the text's own colour.
        assert_eq!(
            sanitizer.clean("<span style=\"color:black\">x</span><font color=\"#fff\">y</font>"),
            "<span>x</span><font>y</font>"
        );
        assert_eq!(colors("<span style=\"color: #111; background-color: #fff\">"), (None, Some("#ffffff".into())));
        assert_eq!(colors("</font>"), (None, None));
    }

    #[test]
    fn bold_italic_and_underline_of_a_span_are_kept() {
        let sanitizer = Sanitizer::default();
        assert_eq!(
            sanitizer.clean(
                "<span style=\"font-weight: 700; font-family: Meiryo; text-decoration: underline solid\">x</span>"
            ),
            "<span style=\"font-weight: bold; text-decoration: underline\">x</span>"
        );
        assert_eq!(
            sanitizer.clean("<span style=\"font-weight: normal; font-style: italic\">x</span>"),
            "<span style=\"font-style: italic\">x</span>"
        );
        let look = tag_look("<span style=\"font-weight:bold;text-decoration-line:underline\">");
        assert!(look.bold && look.underline && !look.italic, "{look:?}");
        assert_eq!(tag_look("<span style=\"font-weight: 400\">"), Look::default());
    }

    #[test]
    fn accessibility_attributes_are_kept() {
        let s = Sanitizer::default();
        let html =
            "<div role=\"note\" aria-label=\"注意\" aria-describedby=\"x\"><span aria-hidden=\"true\">⚠</span></div>";
        assert_eq!(s.clean(html), html);
        assert_eq!(s.clean("<div ariax=\"1\" data-x=\"2\">a</div>"), "<div>a</div>", "only the aria- prefix");
    }

    fn left_open(blocks: &[&str]) -> Vec<String> {
        let mut open = Vec::new();
        for html in blocks {
            track_open_elements(html, &mut open);
        }
        open
    }

    #[test]
    fn elements_left_open_by_raw_html() {
        assert_eq!(left_open(&["<details><summary>詳細</summary>\n"]), ["details"]);
        assert_eq!(left_open(&["<details><summary>詳細</summary>\n", "</details>\n"]), Vec::<String>::new());
        assert_eq!(left_open(&["<DIV class=\"a>b\" title='c>d'>\n<p>x<br>y<img src=z /></p>"]), ["div"]);
        assert_eq!(left_open(&["<div>", "<section>", "</DIV>"]), Vec::<String>::new(), "closes what is inside too");
        assert_eq!(left_open(&["<div>", "</span>"]), ["div"], "a stray closing tag changes nothing");
        assert_eq!(left_open(&["<!-- <div> -->", "<br/>", "<hr>", "<custom-el x=1/>"]), Vec::<String>::new());
        assert_eq!(left_open(&["<script>if (a <b) document.write('<div>')</script><div>"]), ["div"]);
        assert_eq!(left_open(&["a < b and <3 and </> and <", "<div"]), ["div"], "not tags; a tag cut off");
    }

    #[test]
    fn the_text_of_raw_html() {
        assert_eq!(
            text_of("<div class=\"note\">HTML の<b>注意</b>書き<br>改行あり</div>\n"),
            "HTML の注意書き\n改行あり"
        );
        assert_eq!(text_of("<details><summary>詳細</summary>\n"), "詳細");
        assert_eq!(inline_tag("<KBD class=\"k\">"), Some(("kbd".into(), false)));
        assert_eq!(inline_tag("</kbd>"), Some(("kbd".into(), true)));
        assert_eq!(inline_tag("<br/>"), Some(("br".into(), false)));
        assert_eq!(inline_tag("<!-- note -->"), None);
        assert_eq!(text_of("<!-- TODO: 差し替え -->\n"), "");
        assert_eq!(
            text_of(
                "<p>A &amp; B &lt;tag&gt; &#x3042;&#12354; &nbsp;&unknown; a < b</p><script>x('<p>')</script><style>p{}</style>"
            ),
            "A & B <tag> ああ &unknown; a < b"
        );
        assert_eq!(text_of("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>"), "1 2\n3");
        let lines = lines_of("<details><summary>詳細</summary>\n<p><b>注意</b>書き</p><p><strong>Edge</strong></p>");
        let bold: Vec<(&str, bool)> = lines.iter().map(|line| (line.text.as_str(), line.bold)).collect();
        assert_eq!(bold, [("詳細", true), ("注意書き", false), ("Edge", true)]);
    }

    #[test]
    fn raw_html_lists_and_definitions_are_lines_indented_and_marked() {
        let html = "<ul>\n<li>Edge を開きます\n<ol>\n<li>設定</li>\n<li>プライバシー</li>\n</ol>\n</li>\n\
            <li><p>再起動します</p></li>\n</ul>\n<dl><dt>証明書</dt><dd>本人を確かめる<b>電子</b>ファイル</dd></dl>\n\
            <blockquote>引用</blockquote><p>終わり</p>";
        let lines = lines_of(html);
        let lines: Vec<(&str, bool, usize, Option<&str>)> =
            lines.iter().map(|line| (line.text.as_str(), line.bold, line.depth, line.marker.as_deref())).collect();
        assert_eq!(
            lines,
            [
                ("Edge を開きます", false, 1, Some("•")),
                ("設定", false, 2, Some("1.")),
                ("プライバシー", false, 2, Some("2.")),
                ("再起動します", false, 1, Some("•")),
                ("証明書", true, 0, None),
                ("本人を確かめる電子ファイル", false, 1, None),
                ("引用", false, 1, None),
                ("終わり", false, 0, None),
            ]
        );
        assert_eq!(text_of("<dl><dt>用語</dt><dd>説明</dd></dl>"), "用語\n説明", "a term and its definition are lines");
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("obtain.html#step-a", false));
        assert!(is_safe_url("https://example.com", false));
        assert!(is_safe_url("#x", false));
        assert!(!is_safe_url("javascript:alert(1)", false));
        assert!(!is_safe_url(" JaVa\tScRiPt:alert(1)", false));
        assert!(!is_safe_url("vbscript:x", false));
        assert!(is_safe_url("data:image/png;base64,AAAA", true));
        assert!(!is_safe_url("data:text/html,<script>", true));
        assert!(!is_safe_url("data:image/svg+xml,<svg onload=alert(1)>", true));
    }
}
