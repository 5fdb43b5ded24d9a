//! Part of parse (text in, ranges out, no I/O): web addresses written as plain text
//! (`https://example.com/faq`) become links, as GitHub makes them (its "extended
//! autolinks"); pulldown-cmark knows only `<https://…>`. Pages brought from GitHub
//! and manuals that quote a bank's support address are full of them.
//!
//! Two differences from GitHub. An address ends at the first character that is not
//! ASCII: Japanese text follows an address without a space
//! (`https://example.com/をご覧ください`), and GitHub takes the whole run into the
//! link; addresses with Japanese in them are written percent-encoded anyway. And
//! only `http://` and `https://` addresses are found, not `www.example.com` without
//! a scheme: looking for those too made parsing a manual without any addresses a
//! hundredth slower, for a form manuals hardly use.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

/// The web addresses in `text`: where each is, and the address to link to.
pub fn find(text: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = next_start(text, at) {
        let end = trim_trailing(&text[start..address_end(text.as_bytes(), start)]) + start;
        let address = &text[start..end];
        let scheme = if address.starts_with("https://") { 8 } else { 7 };
        if has_host(&address[scheme..]) {
            found.push((start..end, address.to_string()));
            at = end;
        } else {
            at = start + scheme;
        }
    }
    found
}

/// Whether `text` may hold an address: asked of a whole page first, since asked of
/// each run of text alone it cost several times as much on a manual with none.
pub fn may_hold_addresses(text: &str) -> bool {
    SCHEME_END.find(text.as_bytes()).is_some()
}

static SCHEME_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("://"));

/// Where the next `http://` or `https://` that starts a word is, at or after `from`.
fn next_start(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(colon) = SCHEME_END.find(&text.as_bytes()[at..]).map(|n| at + n) {
        let start = [colon.checked_sub(5), colon.checked_sub(4)]
            .into_iter()
            .flatten()
            .find(|&start| matches!(&text.as_bytes()[start..colon], b"https" | b"http"));
        // An address starts a word: not inside `xhttp://`.
        if let Some(start) = start
            && text[..start].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return Some(start);
        }
        at = colon + 3;
    }
    None
}

/// Where the address that starts at `start` ends: at whitespace, `<`, or the first
/// character that is not ASCII.
fn address_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'<' || !b.is_ascii())
        .map_or(bytes.len(), |n| start + n)
}

/// The length of `address` without the punctuation that ends the sentence around
/// it, as GitHub trims it: `.,:;!?*_~'"` at the end, and a `)` that closes nothing
/// inside the address.
fn trim_trailing(address: &str) -> usize {
    let mut end = address.len();
    loop {
        let Some(last) = address[..end].chars().next_back() else { return end };
        let unbalanced_paren = last == ')' && address[..end].matches(')').count() > address[..end].matches('(').count();
        if matches!(last, '.' | ',' | ':' | ';' | '!' | '?' | '*' | '_' | '~' | '\'' | '"') || unbalanced_paren {
            end -= 1;
        } else {
            return end;
        }
    }
}

/// Whether what follows the scheme starts with a host name: letters, digits, `-`,
/// `_` and `.`.
fn has_host(rest: &str) -> bool {
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text).into_iter().map(|(range, href)| (&text[range], href)).collect()
    }

    #[test]
    fn addresses_in_japanese_and_english_text() {
        assert_eq!(
            links("詳細は https://www.example-bank.co.jp/support/ をご覧ください。"),
            [("https://www.example-bank.co.jp/support/", "https://www.example-bank.co.jp/support/".to_string())]
        );
        assert_eq!(
            links("詳細はhttps://example.com/faqをご覧ください。"),
            [("https://example.com/faq", "https://example.com/faq".into())]
        );
        assert_eq!(
            links("See https://example.com/path."),
            [("https://example.com/path", "https://example.com/path".into())]
        );
        assert_eq!(
            links("(see https://en.wikipedia.org/wiki/Foo_(bar)) and http://a.example/x?y=1&z=2!"),
            [
                ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)".into()),
                ("http://a.example/x?y=1&z=2", "http://a.example/x?y=1&z=2".into())
            ]
        );
        assert_eq!(links("http://localhost:8080/"), [("http://localhost:8080/", "http://localhost:8080/".into())]);
    }

    #[test]
    fn what_is_not_an_address() {
        assert!(links("no address here, www.example.com neither").is_empty());
        assert!(links("xhttps://example.com and ftp://example.com").is_empty(), "not at a word's start; other schemes");
        assert!(links("https:// alone, http://<b> and https://例え.jp").is_empty(), "no host");
        assert!(!may_hold_addresses("「19」の操作から: step:download"));
    }
}
