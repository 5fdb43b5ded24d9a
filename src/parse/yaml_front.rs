//! Part of parse (text in, values out, no I/O): front matter in YAML between `---`
//! lines, as Docusaurus, MkDocs, Jekyll, VitePress, Zenn and many Hugo sites write
//! it. tejun reads what it has a use for — `title`, `description`, the order
//! (`weight`, or Docusaurus' `sidebar_position`, Just the Docs' `nav_order`,
//! VuePress' `order`), `draft` and its own `source` — and leaves the tools' other
//! keys alone, so their pages build as they are.

use crate::diagnostic::Diagnostic;
use crate::model::{Condition, ConditionTerm, Span};
use crate::source::FileId;

/// What tejun reads of a YAML front matter.
#[derive(Debug, Default, PartialEq)]
pub struct YamlFront {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub description: Option<String>,
    pub draft: bool,
    /// `source: "…"` and where its value is written.
    pub source: Option<(String, Span)>,
    /// `only: { role: admin }`, each term and value placed at the `only:` line.
    pub only: Option<Condition>,
}

/// The keys that order pages, in the order they are preferred.
const ORDER_KEYS: [&str; 4] = ["weight", "sidebar_position", "nav_order", "order"];

/// Where the YAML front matter at the very start of `text` is, `---` lines
/// included, with the line break after the closing one.
pub fn block(text: &str) -> Option<Span> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let first_end = text[text_start..].find('\n')? + text_start;
    if text[text_start..first_end].trim_end() != "---" {
        return None;
    }
    let mut offset = first_end + 1;
    let mut first_key_seen = false;
    for line in text[offset..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some(0..offset + line.len());
        }
        // A page may start with a thematic break: YAML starts with a key.
        if !first_key_seen && !line.trim().is_empty() && !line.starts_with('#') {
            if !starts_with_key(line) {
                return None;
            }
            first_key_seen = true;
        }
        offset += line.len();
    }
    None
}

/// Whether `line` starts with `key:`.
fn starts_with_key(line: &str) -> bool {
    let key_end = line.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(line.len());
    key_end > 0 && line[key_end..].trim_start_matches([' ', '\t']).starts_with(':')
}

/// Reads the block `span` of `text`; a block that is not YAML is an error at its
/// place.
pub fn read(text: &str, span: &Span, file: FileId) -> Result<YamlFront, Diagnostic> {
    let block = &text[span.clone()];
    let content_start = block.find('\n').map_or(block.len(), |at| at + 1);
    let closing = block.trim_end().rfind('\n').map_or(block.len(), |at| at + 1).max(content_start);
    let content = &block[content_start..closing];
    let offset = span.start + content_start;
    let value: serde_yaml::Value = serde_yaml::from_str(content).map_err(|error| {
        let mut at = error.location().map_or(offset, |location| offset + location.index()).min(span.end);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        Diagnostic::error("invalid-front-matter", format!("the YAML front matter cannot be read: {error}"))
            .at(file, at..at)
            .with_hint("quote a value with `:` or `#` in it (`title: \"手順: 概要\"`)")
    })?;
    let mapping = match value {
        serde_yaml::Value::Mapping(mapping) => mapping,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        _ => {
            return Err(Diagnostic::error("invalid-front-matter", "the YAML front matter is not `key: value` lines")
                .at(file, span.start..span.start + 3)
                .with_hint("write `title: …` and the page's other keys, one per line"));
        }
    };
    let get = |key: &str| mapping.get(key).filter(|value| !value.is_null());
    let text_of = |value: &serde_yaml::Value| match value {
        serde_yaml::Value::String(text) => Some(text.trim().to_string()),
        serde_yaml::Value::Number(number) => Some(number.to_string()),
        serde_yaml::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    };
    let weight = ORDER_KEYS.iter().find_map(|key| match get(key)? {
        serde_yaml::Value::Number(number) => number.as_i64().or_else(|| number.as_f64().map(|n| n.round() as i64)),
        serde_yaml::Value::String(text) => text.trim().parse().ok(),
        _ => None,
    });
    let source = get("source").and_then(text_of).map(|hash| (hash, key_value_span(content, offset, "source")));
    let only = match get("only") {
        Some(only) => {
            let place = key_value_span(content, offset, "only").unwrap_or(span.start..span.start + 3);
            let read = condition(only, place.clone()).map_err(|hint| {
                Diagnostic::error("invalid-variant-mark", "`only` is not dimensions and their values")
                    .at(file, place)
                    .with_hint(hint)
            })?;
            Some(read)
        }
        None => None,
    };
    Ok(YamlFront {
        title: get("title").and_then(text_of).filter(|title| !title.is_empty()),
        weight,
        description: get("description").and_then(text_of).filter(|text| !text.is_empty()),
        draft: matches!(get("draft"), Some(serde_yaml::Value::Bool(true))),
        source: source.and_then(|(hash, span)| Some((hash, span?))),
        only,
    })
}

/// `only: { role: admin }` or `only: { browser: [edge, chrome] }` as a condition,
/// every place in it `place`; else how to write it.
fn condition(only: &serde_yaml::Value, place: Span) -> Result<Condition, &'static str> {
    const HINT: &str = "write `only: { role: admin }` or `only: { browser: [edge, chrome] }`";
    let serde_yaml::Value::Mapping(terms) = only else { return Err(HINT) };
    let value_text = |value: &serde_yaml::Value| value.as_str().map(|text| (text.to_string(), place.clone()));
    let terms = terms
        .iter()
        .map(|(dimension, values)| {
            let values = match values {
                serde_yaml::Value::Sequence(many) => many.iter().map(value_text).collect::<Option<Vec<_>>>(),
                one => value_text(one).map(|one| vec![one]),
            };
            Some(ConditionTerm {
                dimension: dimension.as_str()?.to_string(),
                dimension_span: place.clone(),
                values: values?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or(HINT)?;
    Ok(Condition { terms })
}

/// Where the value of the `key:` line is in the file (`content` starts at `offset`),
/// quotes included: for `translations --stamp` to replace, and for problems to point at.
fn key_value_span(content: &str, offset: usize, key: &str) -> Option<Span> {
    let mut at = offset;
    for line in content.split_inclusive('\n') {
        if let Some(value) = line.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')) {
            let value_start = at + key.len() + 1 + (value.len() - value.trim_start().len());
            return Some(value_start..value_start + value.trim().len());
        }
        at += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> YamlFront {
        read(text, &block(text).expect("a block"), 0).expect("read")
    }

    #[test]
    fn tools_keys_are_read_and_others_left() {
        let text = "---\ntitle: \"Install: Linux\"\nsidebar_position: 3\ndescription: >\n  Installing on\n  Linux.\ntags:\n  - linux\nslug: /install\n---\n\n# Body\n";
        assert_eq!(block(text), Some(0..text.find("\n\n# Body").unwrap() + 1));
        assert_eq!(
            front(text),
            YamlFront {
                title: Some("Install: Linux".into()),
                weight: Some(3),
                description: Some("Installing on Linux.".into()),
                ..YamlFront::default()
            }
        );
        let text = "---\ntitle: 設定\nnav_order: 2.6\ndraft: true\nsource: \"0123456789ab\"\n---\n";
        let read = front(text);
        assert_eq!((read.title.as_deref(), read.weight, read.draft), (Some("設定"), Some(3), true));
        let (hash, span) = read.source.unwrap();
        assert_eq!((hash.as_str(), &text[span]), ("0123456789ab", "\"0123456789ab\""));
        assert_eq!(front("---\n---\n"), YamlFront::default());
    }

    #[test]
    fn only_names_the_variants_a_page_is_in() {
        let text = "---\ntitle: 承認\nonly: { role: admin, browser: [edge, chrome] }\n---\n";
        let only = front(text).only.unwrap();
        let terms: Vec<(&str, Vec<&str>)> = only
            .terms
            .iter()
            .map(|t| (t.dimension.as_str(), t.values.iter().map(|(v, _)| v.as_str()).collect()))
            .collect();
        assert_eq!(terms, [("role", vec!["admin"]), ("browser", vec!["edge", "chrome"])]);
        assert_eq!(&text[only.terms[0].dimension_span.clone()], "{ role: admin, browser: [edge, chrome] }");
        let text = "---\nonly: admin\n---\n";
        let error = read(text, &block(text).unwrap(), 0).unwrap_err();
        assert_eq!((error.code, &text[error.span.unwrap()]), ("invalid-variant-mark", "admin"));
    }

    #[test]
    fn what_is_no_yaml_block_and_yaml_that_is_wrong() {
        assert_eq!(block("---\n\nA paragraph after a rule.\n"), None, "never closed");
        assert_eq!(block("Text\n---\n"), None);
        assert_eq!(block("---\n\n**注意** 本文。\n\n---\n"), None, "a thematic break, a paragraph and another");
        let text = "---\ntitle: [unclosed\n---\n";
        let error = read(text, &block(text).unwrap(), 0).unwrap_err();
        assert_eq!(error.code, "invalid-front-matter");
        assert!(error.span.unwrap().start >= 4);
        for text in ["---\ntitle: 「設定\n  - 手順: [\n---\n", "---\ntitle: \"設定\ndescription: 説明\n---\n"]
        {
            let span = read(text, &block(text).unwrap(), 0).unwrap_err().span.unwrap();
            assert!(text.is_char_boundary(span.start) && span.end <= text.len(), "{span:?} in {text:?}");
        }
    }
}
