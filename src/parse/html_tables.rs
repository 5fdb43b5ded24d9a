//! Part of parse (text in, text out, no I/O): tables written as raw HTML — as Pandoc
//! writes a Word document's for GitHub (`pandoc -t gfm`, a table with a list in a
//! cell), and as Confluence and HTML exports have them — read as GitHub tables, so
//! that the PDFs print them as tables rather than their words one after another, and
//! the HTML has tejun's look for them. A table with cells that span rows or
//! columns, or tables inside it, stays raw HTML.
//!
//! A cell's paragraphs and list items become lines of their own (`<br>`, a list's
//! items after `・` or their numbers); its inline markup (`<strong>`, `<code>`,
//! `<a href>`) stays, as inline HTML.

use super::pandoc_tables::github_table_placed;

/// A raw HTML table as a GitHub table.
#[derive(Debug, PartialEq)]
pub struct TableText {
    pub markdown: String,
    /// Where the text and inline tags copied from the HTML are: (offset in
    /// `markdown`, offset in the HTML), in the order of both, so that what is found
    /// in a cell (an image without alt text) is reported at its place in the file.
    pub places: Vec<(usize, usize)>,
}

/// The GitHub table for `html`, a raw HTML block that is one `<table>`; `None` when
/// it is not one tejun reads.
pub fn markdown(html: &str) -> Option<TableText> {
    let leading = html.len() - html.trim_start().len();
    let trimmed = html.trim();
    if !starts_with_tag(trimmed, "table") || !trimmed.to_ascii_lowercase().ends_with("</table>") {
        return None;
    }
    let mut reader = Reader::default();
    for token in tokens(trimmed) {
        reader.token(token)?;
    }
    let mut table = reader.table()?;
    table.places.iter_mut().for_each(|(_, at)| *at += leading);
    Some(table)
}

/// Whether `text` starts with the tag `name` (`<table>`, `<TABLE class="x">`).
fn starts_with_tag(text: &str, name: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else { return false };
    // `get`: what follows `<` may be Japanese, cut mid-character at the name's length.
    rest.get(..name.len()).is_some_and(|head| head.eq_ignore_ascii_case(name))
        && rest[name.len()..].starts_with(|c: char| c == '>' || c.is_whitespace() || c == '/')
}

#[derive(Debug, PartialEq)]
pub(super) enum Token<'t> {
    /// A tag: its name in lowercase, whether it closes, the whole tag, and where it
    /// starts.
    Tag { name: String, closing: bool, text: &'t str, at: usize },
    /// Text, and where it starts.
    Text(&'t str, usize),
}

/// The tags and the text between them.
pub(super) fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < html.len() {
        let Some(open) = html[at..].find('<').map(|i| at + i) else {
            found.push(Token::Text(&html[at..], at));
            break;
        };
        if open > at {
            found.push(Token::Text(&html[at..open], at));
        }
        let Some(close) = html[open..].find('>').map(|i| open + i + 1) else {
            found.push(Token::Text(&html[open..], open));
            break;
        };
        let text = &html[open..close];
        let inner = text[1..text.len() - 1].trim();
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        found.push(Token::Tag { name, closing, text, at: open });
        at = close;
    }
    found
}

/// A table read so far: its rows, which are the header's, and the cell being read.
#[derive(Default)]
struct Reader {
    rows: Vec<Row>,
    in_head: bool,
    caption: Option<String>,
    /// Inside `<caption>`, `<colgroup>` …: what is no cell's.
    outside_cells: usize,
    cell: Option<Cell>,
    /// The lists the cell is inside: for each, the number of its next item (`None`
    /// for a bulleted list).
    lists: Vec<Option<usize>>,
    /// Nothing is in the list item just opened yet: its first paragraph (`<li><p>`,
    /// as Pandoc writes a loose list) goes on the item's line.
    item_opened: bool,
    depth: usize,
}

struct Row {
    cells: Vec<Cell>,
    /// In `<thead>`.
    in_head: bool,
    /// Every cell a `<th>`.
    all_th: bool,
}

struct Cell {
    text: String,
    header: bool,
    /// (offset in `text`, offset in the HTML) of what was copied into it.
    places: Vec<(usize, usize)>,
}

impl Cell {
    /// Copies `text`, which starts at `at` in the HTML.
    fn copy(&mut self, text: &str, at: usize) {
        self.places.push((self.text.len(), at));
        self.text.push_str(text);
    }

    /// The cell with the white space around its text taken off.
    fn trimmed(mut self) -> Cell {
        let lead = self.text.len() - self.text.trim_start().len();
        self.text = self.text.trim().to_string();
        let len = self.text.len();
        for (place, _) in &mut self.places {
            *place = place.saturating_sub(lead).min(len);
        }
        self
    }
}

impl Reader {
    fn token(&mut self, token: Token<'_>) -> Option<()> {
        match token {
            Token::Text(text, at) => {
                if let Some(cell) = &mut self.cell {
                    self.item_opened &= text.trim().is_empty();
                    let before = cell.text.len();
                    push_text(&mut cell.text, text);
                    let added = &cell.text[before..];
                    if !added.trim().is_empty() {
                        let spaces = |text: &str| text.len() - text.trim_start().len();
                        cell.places.push((before + spaces(added), at + spaces(text)));
                    }
                } else if self.outside_cells > 0
                    && let Some(caption) = &mut self.caption
                {
                    push_text(caption, text);
                }
            }
            Token::Tag { name, closing, text, at } => self.tag(&name, closing, text, at)?,
        }
        Some(())
    }

    fn tag(&mut self, name: &str, closing: bool, text: &str, at: usize) -> Option<()> {
        match (name, closing) {
            ("table", false) => {
                self.depth += 1;
                // A table inside a cell is more than a GitHub table holds.
                (self.depth == 1).then_some(())?;
            }
            ("table", true) => self.depth = self.depth.checked_sub(1)?,
            ("thead", opening) => self.in_head = !opening,
            ("tr", false) => self.rows.push(Row { cells: Vec::new(), in_head: self.in_head, all_th: true }),
            ("th" | "td", false) => {
                let spans =
                    ["rowspan", "colspan"].iter().any(|key| attribute(text, key).is_some_and(|v| v.trim() != "1"));
                if spans || self.rows.is_empty() {
                    return None;
                }
                self.cell = Some(Cell { text: String::new(), header: name == "th", places: Vec::new() });
            }
            ("th" | "td", true) => {
                let cell = self.cell.take()?;
                let row = self.rows.last_mut()?;
                row.all_th &= cell.header;
                row.cells.push(cell.trimmed());
            }
            ("caption", false) => {
                self.outside_cells += 1;
                self.caption = Some(String::new());
            }
            ("colgroup", false) => self.outside_cells += 1,
            ("caption" | "colgroup", true) => self.outside_cells = self.outside_cells.saturating_sub(1),
            _ if self.cell.is_some() => self.cell_tag(name, closing, text, at),
            _ => {}
        }
        Some(())
    }

    /// A tag inside a cell: blocks start lines, inline markup stays.
    fn cell_tag(&mut self, name: &str, closing: bool, text: &str, at: usize) {
        let Some(cell) = &mut self.cell else { return };
        let item_opened = std::mem::take(&mut self.item_opened);
        let new_line = |cell: &mut Cell| {
            cell.text.truncate(cell.text.trim_end().len());
            if !cell.text.is_empty() && !cell.text.ends_with("<br>") {
                cell.text.push_str("<br>");
            }
        };
        match (name, closing) {
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote", false) if !item_opened => {
                new_line(cell)
            }
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote", false) => {
                self.item_opened = true
            }
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "blockquote", true) => {}
            ("br", _) => {
                cell.text.truncate(cell.text.trim_end().len());
                cell.text.push_str("<br>");
            }
            ("ul", false) => self.lists.push(None),
            ("ol", false) => self.lists.push(Some(1)),
            ("ul" | "ol", true) => {
                self.lists.pop();
            }
            ("li", false) => {
                new_line(cell);
                match self.lists.last_mut() {
                    Some(Some(number)) => {
                        cell.text.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => cell.text.push('・'),
                }
                self.item_opened = true;
            }
            ("li", true) | ("col", _) => {}
            _ => cell.copy(text, at),
        }
    }

    /// The GitHub table, its caption above it as Pandoc marks one (`Table: 題`, which
    /// numbers it): the header is the first row of `<thead>`, else a first row of
    /// `<th>` cells, else empty.
    fn table(self) -> Option<TableText> {
        // A table without a cell is nothing to read.
        self.rows.iter().any(|row| !row.cells.is_empty()).then_some(())?;
        let first = self.rows.first()?;
        let has_header = first.in_head || (first.all_th && !self.rows.iter().any(|row| row.in_head));
        let (header, body) = self.rows.split_at(usize::from(has_header));
        let mut out = String::new();
        if let Some(caption) = self.caption.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            out.push_str(&format!("Table: {caption}\n\n"));
        }
        let header = header.first().map_or(&[][..], |row| &row.cells);
        let texts = |cells: &[Cell]| cells.iter().map(|cell| cell.text.clone()).collect::<Vec<String>>();
        let body: Vec<Vec<String>> = body.iter().map(|row| texts(&row.cells)).collect();
        let (table, starts) = github_table_placed(&texts(header), &body, &[]);
        let cells = header.iter().chain(self.rows[usize::from(has_header)..].iter().flat_map(|row| &row.cells));
        let mut places = Vec::new();
        for (cell, start) in cells.zip(starts) {
            places.extend(cell.places.iter().map(|&(place, at)| (out.len() + start + place, at)));
        }
        out.push_str(&table);
        Some(TableText { markdown: out, places })
    }
}

/// Text of a cell, its white space (line breaks included) one space, none at the
/// start of a line of the cell.
fn push_text(into: &mut String, text: &str) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let line_start = into.is_empty() || into.ends_with([' ', '・']) || into.ends_with("<br>");
    if text.starts_with(char::is_whitespace) && !line_start {
        into.push(' ');
    }
    if words.is_empty() {
        return;
    }
    into.push_str(&words.join(" "));
    if text.ends_with(char::is_whitespace) {
        into.push(' ');
    }
}

/// The value of attribute `key` in the tag `tag`.
pub(crate) fn attribute<'t>(tag: &'t str, key: &str) -> Option<&'t str> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.match_indices(key).find(|(at, _)| {
        lower[..*at].ends_with(char::is_whitespace) && lower[at + key.len()..].trim_start().starts_with('=')
    })?;
    let rest = tag[at.0 + key.len()..].trim_start().strip_prefix('=')?.trim_start();
    match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next(),
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pandoc -t gfm` (2.17) for a Word table with a list in a cell.
    const FROM_WORD: &str = "<table>\n<colgroup>\n<col style=\"width: 30%\" />\n<col style=\"width: 69%\" />\n</colgroup>\n<thead>\n<tr class=\"header\">\n<th>欄</th>\n<th>入力する内容</th>\n</tr>\n</thead>\n<tbody>\n<tr class=\"odd\">\n<td>利用者ID</td>\n<td><p>半角英数字で入力します。</p>\n<ul>\n<li>8文字以上</li>\n<li>記号は使えません</li>\n</ul></td>\n</tr>\n<tr class=\"even\">\n<td>パスワード</td>\n<td>大文字と<strong>小文字</strong>を区別します。a | b</td>\n</tr>\n</tbody>\n</table>\n";

    #[test]
    fn word_tables_from_pandoc_become_github_tables() {
        assert_eq!(
            markdown(FROM_WORD).unwrap().markdown,
            "| 欄 | 入力する内容 |\n| --- | --- |\n| 利用者ID | 半角英数字で入力します。<br>・8文字以上<br>・記号は使えません |\n| パスワード | 大文字と<strong>小文字</strong>を区別します。a \\| b |"
        );
    }

    /// `pandoc -t gfm` (3.1) for a Word table with a picture beside a loose list, each
    /// item a `<p>`.
    const WITH_PICTURE: &str = "<table>\n<tbody>\n<tr class=\"odd\">\n<td><img src=\"media/image1.png\" style=\"width:2.5in;height:1.56in\" /></td>\n<td><ol type=\"1\">\n<li><p>「設定」 <img src=\"media/image2.png\" /> をクリックします。</p></li>\n<li><p>保存します。</p>\n<p>終わりです。</p></li>\n</ol></td>\n</tr>\n</tbody>\n</table>";

    #[test]
    fn a_loose_lists_items_start_their_lines_with_their_first_paragraph() {
        let table = markdown(WITH_PICTURE).unwrap().markdown;
        let cells: Vec<&str> = table.lines().nth(2).unwrap().split(" | ").collect();
        assert_eq!(
            cells[1],
            "1. 「設定」 <img src=\"media/image2.png\" /> をクリックします。<br>2. 保存します。<br>終わりです。 |"
        );
    }

    /// Each piece of a cell copied from the HTML is placed where it was.
    #[test]
    fn the_copied_pieces_are_placed_where_they_are_in_the_html() {
        let html = format!("  {WITH_PICTURE}");
        let table = markdown(&html).unwrap();
        assert!(table.places.len() >= 5, "{:?}", table.places);
        assert!(table.places.windows(2).all(|pair| pair[0].0 < pair[1].0 && pair[0].1 < pair[1].1));
        for &(place, at) in &table.places {
            let piece: String = table.markdown[place..].chars().take(4).collect();
            assert!(html[at..].starts_with(&piece), "{piece:?} at {place} is {:?} at {at}", &html[at..]);
        }
        let images: Vec<usize> = html.match_indices("<img").map(|(at, _)| at).collect();
        let placed: Vec<usize> = table.places.iter().map(|&(_, at)| at).filter(|at| images.contains(at)).collect();
        assert_eq!(placed, images);
    }

    #[test]
    fn tables_without_a_head_with_a_caption_and_numbered_lists() {
        let html = "<TABLE border=1><caption>設定値</caption><tr><th>項目</th><th>値</th></tr><tr><td>ポート</td><td><ol><li>一つ目</li><li>二つ目</li></ol></td></tr><tr><td>ホスト</td></tr></TABLE>";
        assert_eq!(
            markdown(html).unwrap().markdown,
            "Table: 設定値\n\n| 項目 | 値 |\n| --- | --- |\n| ポート | 1. 一つ目<br>2. 二つ目 |\n| ホスト |  |"
        );
        let plain = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>";
        assert_eq!(markdown(plain).unwrap().markdown, "|  |  |\n| --- | --- |\n| a | b |\n| c | d |");
    }

    #[test]
    fn any_sequence_of_table_tags_is_a_table_or_html_never_a_panic() {
        let pieces = [
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            "<th>",
            "<thead>",
            "</thead>",
            "あ|い",
            "<p>",
            "<li>",
            "<ol>",
            "<td colspan=2>",
            "<caption>",
            "<",
            "</table>",
        ];
        for [a, b, c, d] in crate::testing::sequences(&pieces) {
            let html = format!("<table>{a}{b}{c}{d}</table>");
            if let Some(TableText { markdown: table, .. }) = markdown(&html) {
                assert!(table.lines().any(|line| line.starts_with("| ---")), "{html}: {table}");
            }
        }
    }

    #[test]
    fn tables_a_github_table_cannot_hold_stay_html() {
        for html in [
            "<table><tr><td rowspan=\"2\">a</td><td>b</td></tr><tr><td>c</td></tr></table>",
            "<table><tr><td colspan=2>a</td></tr></table>",
            "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>",
            "<table></table>",
            "<tablex><tr><td>a</td></tr></tablex>",
            "<table><tr><td>a</td></tr></table>\n後の文",
            "<table><td>a</td></table>",
            "<table><tr><td>a<",
        ] {
            assert_eq!(markdown(html), None, "{html}");
        }
        assert!(markdown("<table><tr><td colspan=\"1\">a</td></tr></table>").is_some());
    }
}
