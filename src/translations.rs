//! Which translated steps fell behind their source. A translated step records the
//! version of the source-language step it was made from as `source = "…"`: a short
//! hash of that step's title, result, caption, alt text and body Markdown. When the
//! source step is edited, its hash changes and the translation is stale.
//!
//! The hash is part of the content format, so it must never change between tejun
//! versions (a test pins it):
//!
//! 1. Each field is normalized: a byte order mark is dropped; every run of
//!    whitespace (spaces, tabs, line breaks of any kind, blank lines, U+3000) between
//!    two Chinese or Japanese characters (U+3001–U+30FF, U+3400–U+4DBF,
//!    U+4E00–U+9FFF, U+F900–U+FAFF, U+FF00–U+FFEF, U+20000–U+3FFFF) is dropped, since
//!    Japanese is wrapped without spaces, and every other run becomes one space;
//!    leading and trailing whitespace goes. Re-wrapping a paragraph or saving with
//!    CRLF is therefore no change.
//! 2. The fields are joined in the order title, result, caption, alt, body, each
//!    followed by U+001F (unit separator); a missing field is empty.
//! 3. The UTF-8 bytes are hashed with 64-bit FNV-1a (offset basis
//!    0xcbf29ce484222325, prime 0x100000001b3); the hash is the first 12 of its 16
//!    lowercase hex digits.
//!
//! FNV-1a is written here rather than taken from a crate because its definition is
//! the contract: a few lines that cannot change with a dependency's release.

use crate::model::Step;

/// The `source` hash of a source-language step, given the text of its file. The
/// title, result and caption count as their plain text (the model keeps them so),
/// the body as its Markdown.
pub fn step_hash(step: &Step, file_text: &str) -> String {
    let body = file_text.get(step.body_span.clone()).unwrap_or_default();
    fields_hash(&[
        &step.title,
        step.result.as_deref().unwrap_or_default(),
        step.caption.as_deref().unwrap_or_default(),
        step.alt.as_deref().unwrap_or_default(),
        body,
    ])
}

/// The hash of fields, as the module documentation defines it.
pub fn fields_hash(fields: &[&str]) -> String {
    let mut joined = String::new();
    for field in fields {
        joined.push_str(&normalize_whitespace(field));
        joined.push('\u{1F}');
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in joined.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")[..12].to_string()
}

fn normalize_whitespace(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let joins = out.chars().next_back().is_some_and(is_cjk) && word.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Chinese and Japanese characters, between which line breaks are no spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pinned() {
        // These values are the content format: changing them makes every stamped
        // translation stale.
        assert_eq!(fields_hash(&[]), "cbf29ce48422");
        assert_eq!(fields_hash(&["a", "", "", "", "b"]), "7cab1542e947");
        assert_eq!(fields_hash(&["電子証明書を選択します", "", "", "", "1. 選択します。"]), "7b171ceceb30");
    }

    #[test]
    fn whitespace_never_counts_and_fields_keep_their_place() {
        let base = fields_hash(&["Open the page", "", "", "", "Click **OK**.\nThen wait."]);
        assert_eq!(
            base,
            fields_hash(&["Open  the page ", "", "", "", "\u{FEFF}Click **OK**.\r\n\r\n  Then   wait.\r\n"])
        );
        assert_ne!(base, fields_hash(&["Open the page", "", "", "", "Click **Cancel**.\nThen wait."]));
        // Japanese re-wrapped: no spaces between its characters.
        let ja = fields_hash(&["開きます", "", "", "", "「OK」を\nクリックします。"]);
        assert_eq!(ja, fields_hash(&["開きます", "", "", "", "「OK」をクリック\r\nします。"]));
        assert_eq!(ja, fields_hash(&["開きます", "", "", "", "「OK」を　クリックします。"]), "U+3000 too");
        assert_ne!(ja, fields_hash(&["開きます", "", "", "", "「OK」をダブルクリックします。"]));
        // The same text in another field is another hash.
        assert_ne!(fields_hash(&["a", "", "", "", ""]), fields_hash(&["", "a", "", "", ""]));
        assert_ne!(fields_hash(&["ab", "", "", "", ""]), fields_hash(&["a", "b", "", "", ""]));
    }
}
