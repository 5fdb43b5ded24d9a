//! Part of parse (text in, text out, no I/O): emoji shortcodes (`:warning:`,
//! `:bulb:`) as GitHub, Qiita and MkDocs' emoji extension show them, the emoji in
//! their place. Pages brought from those tools mark notes and checks with them.
//! Only GitHub's names are read (the `emojis` crate has its table); anything else
//! between two colons (`10:30:00`, `:not-a-name:`) stays as written.

use std::borrow::Cow;

/// Whether `text` may hold a shortcode: asked of a whole page first, as the web
/// address check is, so that runs of text on pages without one are not searched.
pub fn may_hold_shortcodes(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|colon| name_at(bytes, colon + 1).is_some())
}

/// `text` with each shortcode that names an emoji replaced by it.
pub fn replaced(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(colon) = memchr::memchr(b':', &bytes[from..]).map(|at| from + at) {
        let Some(end) = name_at(bytes, colon + 1) else {
            from = colon + 1;
            continue;
        };
        match emojis::get_by_shortcode(&text[colon + 1..end]) {
            Some(emoji) => {
                out.push_str(&text[copied..colon]);
                out.push_str(emoji.as_str());
                copied = end + 1;
                from = end + 1;
            }
            // The closing colon may open the next one: `:a:warning:`.
            None => from = end,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The end of a shortcode's name starting at `start` (where its closing colon is):
/// lowercase letters, digits, `_`, `+` and `-`, closed by a colon.
fn name_at(bytes: &[u8], start: usize) -> Option<usize> {
    let length = bytes
        .get(start..)?
        .iter()
        .take(48)
        .take_while(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'+' | b'-'))
        .count();
    (length > 0 && bytes.get(start + length) == Some(&b':')).then_some(start + length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_emoji_and_everything_else_stays() {
        assert_eq!(replaced(":warning: 削除できません"), "⚠\u{fe0f} 削除できません");
        assert_eq!(replaced("ヒント:bulb:と:memo:"), "ヒント💡と📝");
        assert_eq!(replaced(":+1: :white_check_mark:"), "👍 ✅");
        assert_eq!(replaced("10:30:00 に :unknown-name: を"), "10:30:00 に :unknown-name: を");
        assert_eq!(replaced("a:zz:warning:"), "a:zz⚠\u{fe0f}");
        assert_eq!(replaced("Note: see https://example.com"), "Note: see https://example.com");
        assert!(matches!(replaced("no codes"), Cow::Borrowed(_)));
        assert!(may_hold_shortcodes("x :memo: y"));
        assert!(!may_hold_shortcodes("時刻 10: 30、https://example.com/:"));
    }
}
