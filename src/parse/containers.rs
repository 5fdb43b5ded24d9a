//! Variant marks in Markdown: `::: browser=chrome` … `:::` containers around blocks,
//! and `{browser=chrome}` at the end of a section's heading. Part of parse: reads
//! text only, and leaves checking dimensions and values against `tejun.toml` to
//! `variants`.
//!
//! CommonMark has no containers, so their lines are found before pulldown-cmark
//! reads the page: a line starting with `:::` that is not inside code, raw HTML or
//! a `+++` block. The parser then sees each as a thematic break of the same length,
//! which ends a paragraph or list the way the container does, keeps every offset,
//! and tells the builder where the container starts and ends.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::Diagnostic;
use crate::model::{AlertKind, Condition, ConditionTerm, Span};
use crate::source::FileId;

/// A container's opening or closing line.
#[derive(Debug)]
pub struct Fence {
    /// The line, without its line break.
    pub span: Span,
    pub line: String,
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

/// Every line starting with `:::` (after at most three spaces) outside code, raw
/// HTML and `+++` blocks.
pub fn fence_lines(text: &str) -> Vec<Fence> {
    // Most pages have no container: memchr's SIMD search tells for a fraction of
    // what `str::contains`'s scalar search spent on every page.
    if memchr::memmem::find(text.as_bytes(), b":::").is_none() {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        if indent <= 3 && content[indent..].starts_with(":::") {
            candidates.push(Fence { span: offset..offset + content.len(), line: content.to_string() });
        }
        offset += line.len();
    }
    if candidates.is_empty() {
        return candidates;
    }
    let verbatim: Vec<Span> = Parser::new_ext(text, super::markdown::options())
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_))))
        .map(|(_, range)| range)
        .collect();
    candidates.retain(|fence| !verbatim.iter().any(|range| range.contains(&fence.span.start)));
    candidates
}

/// The text with each fence line turned into a thematic break (`***` and spaces).
pub fn mask<'t>(text: &'t str, fences: &[Fence]) -> Cow<'t, str> {
    if fences.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for fence in fences {
        let line = &mut bytes[fence.span.clone()];
        let mut in_colons = true;
        for byte in line.iter_mut() {
            match *byte {
                b' ' if in_colons => {}
                b':' if in_colons => *byte = b'*',
                _ => {
                    in_colons = false;
                    *byte = b' ';
                }
            }
        }
    }
    Cow::Owned(String::from_utf8(bytes).expect("only whole lines of ASCII replaced whole lines"))
}

/// What another tool's `:::` line opens.
#[derive(Debug, PartialEq)]
pub enum Admonition {
    /// A note, tip or warning, and its title (empty when it has none).
    Alert(AlertKind, String),
    /// Zenn's `:::details 題`: what follows, folded away under the title.
    Details(String),
}

/// The admonition opened by `line`, as other tools write them: Docusaurus and
/// VuePress (`:::tip`, `:::warning 注意`, `:::danger[Title]`), Qiita (`:::note info`,
/// `:::note warn`, `:::note alert`) and Zenn (`:::message`, `:::message alert`,
/// `:::details 題`). Pages brought from them keep their notes as tejun's alerts
/// (`> [!TIP]`); a variant mark always has a `=`, so the two never meet.
pub fn admonition(line: &str) -> Option<Admonition> {
    let rest = line.trim_start().trim_start_matches(':').trim();
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
        ("details", _) => return Some(Admonition::Details(bracketless(after).to_string())),
        _ => return None,
    };
    Some(Admonition::Alert(kind, bracketless(title).to_string()))
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
        let fences = fence_lines(text);
        let lines: Vec<&str> = fences.iter().map(|f| f.line.as_str()).collect();
        assert_eq!(lines, ["::: browser=chrome", ":::"]);
        let masked = mask(text, &fences);
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with("***               \nChrome.\n***\n"), "{masked}");
        assert!(masked.ends_with("```\n:::\n```\n\n    ::: indented code\n"));
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
    fn admonitions_of_other_tools() {
        let read = |line| match admonition(line) {
            Some(Admonition::Alert(kind, title)) => Some((kind.as_str(), title)),
            Some(Admonition::Details(title)) => Some(("details", title)),
            None => None,
        };
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
    }
}
