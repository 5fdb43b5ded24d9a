//! Part of parse (text in, text out, no I/O): the tables Pandoc writes when it
//! converts a Word document to Markdown — grid tables (`+----+----+`), multiline
//! tables (columns under runs of dashes, rows apart) and simple tables — which
//! CommonMark reads as text and rules. Each becomes a GitHub table, which the HTML,
//! the PDFs and search read as a table: a cell's lines wrapped by Pandoc are joined
//! again, and its paragraphs and list items are lines of their own (`<br>`).
//!
//! Columns are found where Pandoc put them, in display columns (a Japanese character
//! takes two), as it aligns them.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

/// A table found: the lines it takes (from the start of the first to the end of the
/// last, without its line break) and the GitHub table for them.
#[derive(Debug, PartialEq)]
pub struct Table {
    pub lines: Range<usize>,
    pub markdown: String,
}

/// Whether `text` may hold one of Pandoc's tables: a line starting with `+-` or
/// `+=`, or runs of dashes with a space between.
pub fn may_have(text: &str) -> bool {
    use memchr::memmem::Finder;
    // Built once: a searcher made for each page cost more than the search.
    static MARKS: std::sync::LazyLock<[Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| [Finder::new("+-"), Finder::new("- -")]);
    MARKS.iter().any(|mark| mark.find(text.as_bytes()).is_some())
}

/// The tables in `text`, in order.
pub fn find(text: &str) -> Vec<Table> {
    let lines: Vec<(usize, &str)> = crate::source::lines_with_offsets(text)
        .map(|(offset, line)| (offset, line.trim_end_matches(['\n', '\r'])))
        .collect();
    let mut tables = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        // A fenced div's `:::` line, as Pandoc writes one around a table (`::: table-wrap`
        // from a page saved as HTML), stands where a blank line would.
        let previous_blank = index == 0 || lines[index - 1].1.trim().is_empty() || is_fence(lines[index - 1].1);
        let found = grid(&lines[index..]).or_else(|| previous_blank.then(|| dashed(&lines[index..])).flatten());
        match found {
            Some((mut count, mut markdown)) => {
                // Pandoc's caption, `: 題` (or `Table: 題`) after a blank line under
                // the table, the numbered table's caption; taken out when the paragraph
                // above the table says it already (Pandoc writes a Word caption both
                // ways), which then is the caption if it has Word's number.
                let after = lines
                    .get(index + count)
                    .filter(|(_, line)| line.trim().is_empty())
                    .and(lines.get(index + count + 1));
                if let Some(caption) = after.and_then(|(_, line)| table_caption(line)) {
                    let above = lines[..index].iter().rev().find(|(_, line)| !line.trim().is_empty());
                    if above.is_none_or(|(_, line)| line.trim() != caption) {
                        markdown = format!("Table: {caption}\n\n{markdown}");
                    }
                    count += 2;
                }
                let (start, _) = lines[index];
                let (last_offset, last) = lines[index + count - 1];
                tables.push(Table { lines: start..last_offset + last.len(), markdown });
                index += count;
            }
            None => index += 1,
        }
    }
    tables
}

/// The caption a line gives the table above it: `: 題`, `Table: 題`.
fn table_caption(line: &str) -> Option<&str> {
    let line = line.trim();
    let caption = line.strip_prefix("Table:").or_else(|| line.strip_prefix(':'))?.trim();
    (!caption.is_empty()).then_some(caption)
}

/// A cell's alignment, from the colons of a grid table's rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// The lines of a cell, as written in one row.
type Cell = Vec<String>;

/// A grid table starting at the first of `lines`: how many lines it takes and its
/// GitHub table.
fn grid(lines: &[(usize, &str)]) -> Option<(usize, String)> {
    let first = lines.first()?.1;
    let indent = first.len() - first.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let (columns, aligns) = grid_rule(&first[indent..])?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut header_rows = 0;
    let mut current: Option<Vec<Cell>> = None;
    let mut count = 1;
    for (_, line) in &lines[1..] {
        let Some(line) = line.get(indent..).filter(|l| l.starts_with('|') || l.starts_with('+')) else { break };
        count += 1;
        if line.starts_with('+') {
            grid_rule(line)?;
            rows.extend(current.take());
            if line.contains('=') {
                header_rows = rows.len();
            }
            continue;
        }
        let row_line = line.trim_end();
        if row_line.len() < 2 || !row_line.ends_with('|') {
            return None;
        }
        let row = current.get_or_insert_with(|| vec![Vec::new(); columns.len() - 1]);
        for (cell, text) in row.iter_mut().zip(split_by_columns(line, &columns)) {
            cell.push(text);
        }
    }
    // A table ends at a rule.
    if current.is_some() || rows.is_empty() {
        return None;
    }
    let header = match header_rows {
        0 => vec![Vec::new(); columns.len() - 1],
        count => merge_rows(&rows[..count]),
    };
    let body = rows.split_off(header_rows);
    let body: Vec<Vec<String>> = body.iter().map(|row| texts(row)).collect();
    Some((count, github_table(&texts(&header), &body, &aligns)))
}

/// A grid table's rule (`+---+:--:+`, `+===+`): the display columns of its `+`s and
/// each column's alignment.
fn grid_rule(line: &str) -> Option<(Vec<usize>, Vec<Align>)> {
    let line = line.trim_end();
    if !line.starts_with('+') || !line.ends_with('+') || line.len() < 3 {
        return None;
    }
    let mut columns = vec![0];
    let mut aligns = Vec::new();
    for (at, segment) in line[1..line.len() - 1].split('+').scan(1, |at, s| {
        let start = *at;
        *at += s.len() + 1;
        Some((start, s))
    }) {
        if segment.is_empty() || !segment.bytes().all(|b| matches!(b, b'-' | b'=' | b':')) {
            return None;
        }
        aligns.push(match (segment.starts_with(':'), segment.ends_with(':')) {
            (true, true) => Align::Center,
            (true, false) => Align::Left,
            (false, true) => Align::Right,
            _ => Align::None,
        });
        columns.push(at + segment.len());
    }
    Some((columns, aligns))
}

/// The text of each column of a grid table's line, between the display columns of
/// the `+`s of its rules.
fn split_by_columns(line: &str, columns: &[usize]) -> Vec<String> {
    let mut cells = vec![String::new(); columns.len() - 1];
    let mut column = 0;
    for c in line.chars() {
        let cell = columns.windows(2).position(|pair| pair[0] < column && column < pair[1]);
        if let Some(cell) = cell {
            cells[cell].push(c);
        }
        column += c.width().unwrap_or(0).max(usize::from(c == '\t'));
    }
    cells.iter().map(|cell| cell.trim().to_string()).collect()
}

/// Header rows written over several rows of the grid, one row of cells.
fn merge_rows(rows: &[Vec<Cell>]) -> Vec<Cell> {
    let mut merged = rows[0].clone();
    for row in &rows[1..] {
        for (into, cell) in merged.iter_mut().zip(row) {
            into.push(String::new());
            into.extend(cell.iter().cloned());
        }
    }
    merged
}

/// A multiline or simple table starting at the first of `lines` (after a blank
/// line): columns under runs of dashes.
fn dashed(lines: &[(usize, &str)]) -> Option<(usize, String)> {
    let first = lines.first()?.1;
    if first.len() - first.trim_start_matches(' ').len() > 3 || is_fence(first) {
        return None;
    }
    // A multiline table starts with a rule of dashes alone, above its header.
    if is_dashes(first) {
        let separator = lines.iter().skip(1).position(|(_, line)| dash_runs(line).is_some())? + 1;
        let columns = dash_runs(lines[separator].1)?;
        let end = lines.iter().skip(separator + 1).position(|(_, line)| is_dashes(line))? + separator + 1;
        let header_lines = &lines[1..separator];
        if header_lines.iter().any(|(_, line)| line.trim().is_empty()) {
            return None;
        }
        let header = cells_of(header_lines, &columns);
        let rows: Vec<Vec<Cell>> = lines[separator + 1..end]
            .split(|(_, line)| line.trim().is_empty())
            .filter(|row| !row.is_empty())
            .map(|row| cells_of(row, &columns))
            .collect();
        let rows: Vec<Vec<String>> = rows.iter().map(|row| texts(row)).collect();
        return Some((end + 1, github_table(&texts(&header), &rows, &[])));
    }
    // A table without a header starts and ends with its runs of dashes: a row a line,
    // or rows apart as in a multiline table (Pandoc writes a Word table so when its
    // first row is not marked as the header).
    if let Some(columns) = dash_runs(first) {
        let end = lines.iter().skip(1).position(|(_, line)| dash_runs(line).is_some() || is_fence(line))? + 1;
        let body = &lines[1..end];
        if dash_runs(lines[end].1).is_none() || body.iter().all(|(_, line)| line.trim().is_empty()) {
            return None;
        }
        let apart = body.iter().any(|(_, line)| line.trim().is_empty());
        let rows: Vec<Vec<Cell>> = match apart {
            true => body
                .split(|(_, line)| line.trim().is_empty())
                .filter(|row| !row.is_empty())
                .map(|row| cells_of(row, &columns))
                .collect(),
            false => body.iter().map(|line| cells_of(std::slice::from_ref(line), &columns)).collect(),
        };
        let rows: Vec<Vec<String>> = rows.iter().map(|row| texts(row)).collect();
        return Some((end + 1, github_table(&[], &rows, &[])));
    }
    // A simple table: a header line, its dashes, a row a line, up to a blank line.
    let columns = dash_runs(lines.get(1)?.1)?;
    if first.trim().is_empty() || columns.len() < 2 {
        return None;
    }
    let header = cells_of(&lines[..1], &columns);
    let body_end = lines
        .iter()
        .skip(2)
        .position(|(_, line)| line.trim().is_empty() || is_fence(line))
        .map_or(lines.len(), |at| at + 2);
    // A closing row of dashes belongs to the table.
    let rows_end = if body_end > 2 && dash_runs(lines[body_end - 1].1).is_some() { body_end - 1 } else { body_end };
    if rows_end <= 2 {
        return None;
    }
    let rows: Vec<Vec<Cell>> =
        lines[2..rows_end].iter().map(|line| cells_of(std::slice::from_ref(line), &columns)).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|row| texts(row)).collect();
    Some((body_end, github_table(&texts(&header), &rows, &[])))
}

/// A fenced div's opening or closing line (`:::`, `::: table-wrap`).
fn is_fence(line: &str) -> bool {
    line.trim_start().starts_with(":::")
}

/// A line of dashes alone (a multiline table's top or bottom rule).
fn is_dashes(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 3 && line.bytes().all(|b| b == b'-')
}

/// The display columns of two or more runs of dashes with spaces between (a simple or
/// multiline table's separator): where each column starts and where the next one does.
fn dash_runs(line: &str) -> Option<Vec<Range<usize>>> {
    if line.trim().is_empty() || !line.trim().bytes().all(|b| b == b'-' || b == b' ') {
        return None;
    }
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut start = None;
    for (at, b) in line.bytes().chain(std::iter::once(b' ')).enumerate() {
        match (b, start) {
            (b'-', None) => start = Some(at),
            (b' ', Some(s)) => {
                runs.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    // Each column reaches to where the next one starts; the last, to the line's end.
    let starts: Vec<usize> = runs.iter().map(|run| run.start).collect();
    let columns = starts
        .iter()
        .enumerate()
        .map(|(index, &start)| start..starts.get(index + 1).copied().unwrap_or(usize::MAX))
        .collect::<Vec<_>>();
    (columns.len() >= 2 && runs.iter().all(|run| run.len() >= 2)).then_some(columns)
}

/// The cells of `lines` under dashed `columns`: each line's characters by display
/// column (a character starting in a column is that column's).
fn cells_of(lines: &[(usize, &str)], columns: &[Range<usize>]) -> Vec<Cell> {
    let mut cells = vec![Vec::new(); columns.len()];
    for (_, line) in lines {
        let mut texts = vec![String::new(); columns.len()];
        let mut column = 0;
        for c in line.chars() {
            let first_column = columns.first().map_or(0, |range| range.start);
            let index = columns.iter().position(|range| range.contains(&column)).unwrap_or(0);
            if column >= first_column || !c.is_whitespace() {
                texts[index].push(c);
            }
            column += c.width().unwrap_or(0).max(usize::from(c == '\t'));
        }
        for (cell, text) in cells.iter_mut().zip(texts) {
            cell.push(text.trim().to_string());
        }
    }
    cells
}

/// The GitHub table of a header row and body rows of cells written as one line of
/// Markdown each (`<br>` between its lines), their `|` escaped here. Rows shorter
/// than the longest are filled with empty cells; columns without an alignment have
/// none. Also what [`super::html_tables`] writes.
pub fn github_table(header: &[String], rows: &[Vec<String>], aligns: &[Align]) -> String {
    github_table_placed(header, rows, aligns).0
}

/// [`github_table`], and where each cell given starts in it (the header's, then each
/// row's).
pub fn github_table_placed(header: &[String], rows: &[Vec<String>], aligns: &[Align]) -> (String, Vec<usize>) {
    let columns = rows.iter().map(Vec::len).chain([header.len(), 1]).max().unwrap_or(1);
    let mut out = String::new();
    let mut starts = Vec::new();
    let mut line = |out: &mut String, cells: &[String]| {
        out.push('|');
        for column in 0..columns {
            out.push(' ');
            if column < cells.len() {
                starts.push(out.len());
            }
            out.push_str(&escape_pipes(cells.get(column).map_or("", String::as_str)));
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(&mut out, header);
    out.push('|');
    for column in 0..columns {
        out.push_str(match aligns.get(column).copied().unwrap_or(Align::None) {
            Align::None => " --- |",
            Align::Left => " :-- |",
            Align::Center => " :-: |",
            Align::Right => " --: |",
        });
    }
    out.push('\n');
    for row in rows {
        line(&mut out, row);
    }
    out.pop();
    (out, starts)
}

/// The text of each cell of a row read from Pandoc's table ([`cell_text`]).
fn texts(cells: &[Cell]) -> Vec<String> {
    cells.iter().map(cell_text).collect()
}

/// A cell's lines as one line of a GitHub table: lines Pandoc wrapped joined (with a
/// space between words, none between Japanese characters), paragraphs and list
/// items on lines of their own.
fn cell_text(lines: &Cell) -> String {
    let mut out = String::new();
    let mut new_line = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            new_line = !out.is_empty();
            continue;
        }
        let starts_item = is_list_item(line);
        if !out.is_empty() {
            if new_line || starts_item {
                out.push_str("<br>");
            } else if joins_with_space(&out, line) {
                out.push(' ');
            }
        }
        out.push_str(&tidy_list_item(line));
        new_line = false;
    }
    out
}

/// A list item's marker with one space after it, as Pandoc pads it to a tab stop.
fn tidy_list_item(line: &str) -> String {
    match line.find(' ').filter(|_| is_list_item(line)) {
        Some(at) => format!("{} {}", &line[..at], line[at..].trim_start()),
        None => line.to_string(),
    }
}

/// `|` escaped for a GitHub table's cell, unless Pandoc escaped it already.
fn escape_pipes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

fn is_list_item(line: &str) -> bool {
    let bullet = line.strip_prefix(['-', '*', '+']).is_some_and(|rest| rest.starts_with(' '));
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && line[digits..].starts_with(['.', ')']) && line[digits + 1..].starts_with(' ');
    bullet || numbered
}

/// Whether two wrapped lines join with a space: not between Japanese characters.
fn joins_with_space(before: &str, after: &str) -> bool {
    let wide = |c: Option<char>| c.is_some_and(|c| c.width().unwrap_or(1) == 2);
    !(wide(before.chars().next_back()) && wide(after.chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pandoc 2.17's `markdown` output for a Word document's tables.
    const FROM_WORD: &str = "前の段落。\n\n  -----------------------------------------------------------------------\n  項目                    説明                    既定値\n  ----------------------- ----------------------- -----------------------\n  ホスト名                接続先のサーバー名      proxy.example.co.jp\n\n  ポート                  接続先のポート番号      8080\n  -----------------------------------------------------------------------\n\n+---------------------+------------------------------------------------+\n| 欄                  | 入力する内容                                   |\n+=====================+================================================+\n| 利用者ID            | 半角英数字で入力します。                       |\n|                     |                                                |\n|                     | -   8文字以上                                  |\n|                     | -   記号は使えません                           |\n+---------------------+------------------------------------------------+\n| パスワード          | 大文字と小文字を区別し                         |\n|                     | ます。A \\| B                                   |\n+---------------------+------------------------------------------------+\n\n後の段落。\n";

    #[test]
    fn multiline_and_grid_tables_from_word_become_github_tables() {
        let tables = find(FROM_WORD);
        let markdown: Vec<&str> = tables.iter().map(|t| t.markdown.as_str()).collect();
        assert_eq!(
            markdown,
            [
                "| 項目 | 説明 | 既定値 |\n| --- | --- | --- |\n| ホスト名 | 接続先のサーバー名 | proxy.example.co.jp |\n| ポート | 接続先のポート番号 | 8080 |",
                "| 欄 | 入力する内容 |\n| --- | --- |\n| 利用者ID | 半角英数字で入力します。<br>- 8文字以上<br>- 記号は使えません |\n| パスワード | 大文字と小文字を区別します。A \\| B |",
            ]
        );
        let spans: Vec<&str> = tables.iter().map(|t| &FROM_WORD[t.lines.clone()]).collect();
        assert!(spans[0].starts_with("  ----") && spans[0].ends_with("-----"), "{:?}", spans[0]);
        assert!(spans[1].starts_with("+----") && spans[1].ends_with("---+"), "{:?}", spans[1]);
    }

    #[test]
    fn simple_tables_and_what_is_no_table() {
        let simple = "\n  Right     Left     Center\n  -------   ------   ----------\n       12   12          12\n      123   123        123\n\nText.\n";
        assert_eq!(
            find(simple).iter().map(|t| t.markdown.as_str()).collect::<Vec<_>>(),
            ["| Right | Left | Center |\n| --- | --- | --- |\n| 12 | 12 | 12 |\n| 123 | 123 | 123 |"]
        );
        // A rule, a setext heading, a list of dashes and a grid never closed.
        for text in [
            "Text\n\n---\n\nMore\n",
            "Heading\n-------\n\nText\n",
            "- - -\n",
            "+---+---+\n| a | b |\n",
            "a +- b\n",
            "+---+\n|\n+---+\n",
        ] {
            assert_eq!(find(text), [], "{text:?}");
        }
    }

    #[test]
    fn tables_without_a_header_start_and_end_with_their_dashes_and_may_be_in_a_div() {
        let lines = "\n  ---------- ------------\n  項目       内容\n  承認期限   当日 15 時\n  ---------- ------------\n\nText.\n";
        let apart = "\n  ---------- ------------\n  項目       内容は\n             二行です\n\n  承認期限   当日\n  ---------- ------------\n";
        let in_div = "::: table-wrap\n  ------ ------\n  a      1\n  ------ ------\n:::\n";
        let header_in_div = "::: {.wide}\n  項目   値\n  ------ ------\n  a      1\n:::\n";
        let found =
            |text: &str| find(text).into_iter().map(|t| (text[t.lines].to_string(), t.markdown)).collect::<Vec<_>>();
        assert_eq!(found(lines)[0].1, "|  |  |\n| --- | --- |\n| 項目 | 内容 |\n| 承認期限 | 当日 15 時 |");
        assert_eq!(found(apart)[0].1, "|  |  |\n| --- | --- |\n| 項目 | 内容は二行です |\n| 承認期限 | 当日 |");
        assert_eq!(
            found(in_div),
            [(
                "  ------ ------\n  a      1\n  ------ ------".to_string(),
                "|  |  |\n| --- | --- |\n| a | 1 |".to_string()
            )]
        );
        assert_eq!(
            found(header_in_div),
            [(
                "  項目   値\n  ------ ------\n  a      1".to_string(),
                "| 項目 | 値 |\n| --- | --- |\n| a | 1 |".to_string()
            )]
        );
        // Runs of dashes alone, and a table never closed, are no table.
        for text in ["\n-- --\n", "\n  ------ ------\n  a      1\n\nText.\n"] {
            assert_eq!(find(text), [], "{text:?}");
        }
    }

    #[test]
    fn captions_go_above_the_table_once() {
        let word = "設定値の一覧\n\n  -----------\n  項目  値\n  ----- -----\n  a     1\n\n  -----------\n\n  : 設定値の一覧\n\n後の文。\n";
        let tables = find(word);
        assert_eq!(tables[0].markdown, "| 項目 | 値 |\n| --- | --- |\n| a | 1 |");
        assert!(word[tables[0].lines.clone()].ends_with(": 設定値の一覧"));
        let written = "+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n\nTable: 値の表\n";
        assert_eq!(find(written)[0].markdown, "Table: 値の表\n\n| a | b |\n| --- | --- |\n| 1 | 2 |");
    }

    #[test]
    fn any_four_lines_of_table_marks_give_tables_inside_the_text() {
        let lines = [
            "+---+---+",
            "+===+:==:+",
            "| 表 | b |",
            "|   | あいう |",
            "  -----------",
            "  ----- -----",
            "  項目  値",
            "",
            ": 題",
            "日本語の段落",
            "+--+",
            "\t| x |",
        ];
        for sequence in crate::testing::sequences::<4>(&lines) {
            let text = sequence.join("\n");
            for table in find(&text) {
                assert!(text.get(table.lines.clone()).is_some(), "{text:?}");
                assert!(table.markdown.lines().nth(1).is_some_and(|l| l.contains("--")), "{text:?}");
            }
        }
    }

    #[test]
    fn grid_tables_keep_alignments_and_may_have_no_header() {
        let text = "+------+-----:+\n| a    |   1  |\n+------+------+\n| b    |   2  |\n+------+------+\n";
        let tables = find(text);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].markdown, "|  |  |\n| --- | --: |\n| a | 1 |\n| b | 2 |");
    }
}
