//! Front matter as writers nearly always write it — `key = "text"` and `key = 12`, one
//! to a line — read without the TOML parser. A manual has a block per step, tens of
//! thousands of them, and the `toml` crate spends about fifteen thousand instructions
//! on each, most of it on what such a block never holds. Anything else (escapes,
//! arrays, tables, comments, quoted keys, a key twice) is left to `toml`, which also
//! words every error: [`read`] answers `None` and the caller parses the block as before.
//! Part of parse: text in, values out, no I/O.

use std::borrow::Cow;
use std::ops::Range;

use crate::source::{ByteSet, first_of, lines_with_offsets};

/// A value of a plain block.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'t> {
    /// A basic string whose only escapes are `\"` and `\\`: its text.
    Text(Cow<'t, str>),
    Integer(i64),
}

/// One `key = value` line: the key, the value, and the value's span in the block
/// (quotes included), as `toml::Spanned` gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'t> {
    pub key: &'t str,
    pub value: Value<'t>,
    pub span: Range<usize>,
}

/// The entries of `block`, if every line is blank or a plain `key = value` and no key
/// comes twice.
pub fn read(block: &str) -> Option<Vec<Entry<'_>>> {
    // A step's block has a handful of keys: room for them at once, not grown to it.
    let mut entries: Vec<Entry> = Vec::with_capacity(8);
    for (start, line) in lines_with_offsets(block) {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content.bytes().all(is_blank) {
            continue;
        }
        let entry = read_line(content, start)?;
        if entries.iter().any(|seen| seen.key == entry.key) {
            return None;
        }
        entries.push(entry);
    }
    Some(entries)
}

/// TOML's whitespace: space and tab.
fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// How many blanks `text` starts with.
fn blanks(text: &[u8]) -> usize {
    text.iter().take_while(|&&b| is_blank(b)).count()
}

fn read_line(line: &str, line_start: usize) -> Option<Entry<'_>> {
    let bytes = line.as_bytes();
    let key_start = blanks(bytes);
    let key_end = key_start
        + bytes[key_start..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count();
    let equals = key_end + blanks(&bytes[key_end..]);
    if key_start == key_end || bytes.get(equals) != Some(&b'=') {
        return None;
    }
    let value_start = equals + 1 + blanks(&bytes[equals + 1..]);
    let value_end = bytes.len() - bytes[value_start..].iter().rev().take_while(|&&b| is_blank(b)).count();
    if value_start == value_end {
        return None;
    }
    Some(Entry {
        key: &line[key_start..key_end],
        value: value(&line[value_start..value_end])?,
        span: line_start + value_start..line_start + value_end,
    })
}

/// A basic string whose only escapes are `\"` and `\\`, or a decimal integer without
/// sign, separators or leading zeros.
fn value(text: &str) -> Option<Value<'_>> {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return basic_string(inner).map(Value::Text);
    }
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if digits && (text == "0" || !text.starts_with('0')) {
        return text.parse().ok().map(Value::Integer);
    }
    None
}

/// The text of a basic string from what stands between its quotes: `None` for a
/// quote that ends it early, another escape, or a control character TOML refuses
/// (C1 controls too, to stay on the safe side of the `toml` crate).
fn basic_string(inner: &str) -> Option<Cow<'_, str>> {
    let bytes = inner.as_bytes();
    // Nearly every string has none of the bytes that need a closer look.
    let closer_look = ByteSet { below: 0x20, needles: [0x7F, 0xC2, b'"', b'\\'] };
    if first_of(bytes, closer_look).is_none() {
        return Some(Cow::Borrowed(inner));
    }
    let mut escapes = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\t' => {}
            0..0x20 | 0x7F => return None,
            0xC2 if bytes.get(i + 1).is_some_and(|next| (0x80..0xA0).contains(next)) => return None,
            b'"' | b'\\' => escapes = true,
            _ => {}
        }
    }
    if !escapes {
        return Some(Cow::Borrowed(inner));
    }
    let mut text = String::with_capacity(inner.len());
    // The text from `kept` on is still to copy; an escape drops its backslash.
    let (mut kept, mut at) = (0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\\')) => {
                text.push_str(&inner[kept..at]);
                kept = at + 1;
                at += 2;
            }
            b'\\' | b'"' => return None,
            _ => at += 1,
        }
    }
    text.push_str(&inner[kept..]);
    Some(Cow::Owned(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block `read` takes, TOML reads to the same keys, values and spans;
    /// every other block is refused.
    #[test]
    fn plain_blocks_read_as_toml_reads_them() {
        let plain = [
            "id = \"approve-1\"\ntitle = \"「利用者情報選択」画面に戻ります\"\n",
            "  title\t=\t\"Tabs\tand spaces\"  \nweight = 12\n\n",
            "title = \"\"\nweight = 0\n",
            "key_with-dash = \"x\"",
            "title = \"ＩＤ を入力 # not a comment\"\n",
            "description = \"How to register on the \\\"Select User\\\" screen\"\nweight = 3\n",
            "title = \"C:\\\\Users\\\\\"\n",
            "title = \"\\\"\\\\\\\"\"",
        ];
        for block in plain {
            let entries = read(block).unwrap_or_else(|| panic!("{block:?} is plain"));
            let table: toml::Table = toml::from_str(block).expect("valid TOML");
            assert_eq!(entries.len(), table.len(), "{block:?}");
            let spanned: std::collections::BTreeMap<String, toml::Spanned<toml::Value>> =
                toml::from_str(block).expect("valid TOML");
            for entry in entries {
                let theirs = &spanned[entry.key];
                assert_eq!(entry.span, theirs.span(), "{block:?} {}", entry.key);
                match (&entry.value, theirs.get_ref()) {
                    (Value::Text(ours), toml::Value::String(theirs)) => assert_eq!(ours.as_ref(), theirs),
                    (Value::Integer(ours), toml::Value::Integer(theirs)) => assert_eq!(ours, theirs),
                    (ours, theirs) => panic!("{block:?}: {ours:?} against {theirs:?}"),
                }
            }
        }
        let not_plain = [
            "title = \"tab\\tescape\"",
            "title = \"unicode \\u00e9\"",
            "title = \"ends early\" and more\"",
            "title = \"trailing backslash\\\"",
            "title = 'literal'",
            "title = \"\"\"multi\"\"\"",
            "callouts = [{ box = [1, 2, 3, 4] }]",
            "only = { browser = \"edge\" }",
            "title = \"x\" # comment",
            "# comment\ntitle = \"x\"",
            "\"title\" = \"x\"",
            "a.b = \"x\"",
            "title = \"x\"\ntitle = \"y\"",
            "weight = 012",
            "weight = +1",
            "weight = 1_000",
            "weight = 0x10",
            "weight = 1.5",
            "flag = true",
            "title = \"unclosed",
            "title =",
            "= \"x\"",
            "title \"x\"",
            "[table]",
            "title = \"bell\u{7}\"",
        ];
        for block in not_plain {
            assert_eq!(read(block), None, "{block:?}");
        }
    }
}
