//! Where a long name, path or address in a table's cell may break across lines
//! (`proxy.` / `example.co.jp`), for the HTML and the PDFs alike. Part of render.
//!
//! Unicode's line breaking, which browsers and typst follow, breaks neither after a
//! dot nor after a slash inside a word, so a table of settings with more columns than
//! the page has room for either broke its names anywhere (the browser's
//! `overflow-wrap: anywhere`) or ran them over the next cells (typst).

/// The characters a long word in a table's cell may break after
/// (`proxy.host.example.co.jp`, `C:\Users\…`, `https://…?a=1&b=2`).
const BREAK_AFTER: [u8; 8] = [b'.', b'/', b'\\', b'_', b'?', b'&', b'=', b'@'];

/// `text` in the pieces a table's cell may break it into: each ends after one of
/// [`BREAK_AFTER`] between two letters or digits, but not inside a number (`2.0`).
pub fn unbreakable_pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (2..bytes.len())
            .find(|&at| {
                let (before, mark, after) = (bytes[at - 2], bytes[at - 1], bytes[at]);
                BREAK_AFTER.contains(&mark)
                    && before.is_ascii_alphanumeric()
                    && after.is_ascii_alphanumeric()
                    && !(before.is_ascii_digit() && after.is_ascii_digit())
            })
            .unwrap_or(bytes.len());
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::unbreakable_pieces;

    #[test]
    fn names_break_after_their_dots_and_slashes_but_numbers_and_schemes_stay_whole() {
        let pieces = |text| unbreakable_pieces(text).collect::<Vec<_>>();
        assert_eq!(pieces("proxy8.example.co.jp"), ["proxy8.", "example.", "co.", "jp"]);
        assert_eq!(pieces("C:\\Users\\田中\\AppData"), ["C:\\Users\\田中\\AppData"]);
        assert_eq!(pieces("C:\\Users\\tanaka"), ["C:\\Users\\", "tanaka"]);
        assert_eq!(pieces("https://example.com/a?b=1&c=2"), ["https://example.", "com/", "a?", "b=", "1&", "c=", "2"]);
        assert_eq!(pieces("版 2.0 と 192.168.0.1"), ["版 2.0 と 192.168.0.1"]);
        assert_eq!(pieces("user_name@example"), ["user_", "name@", "example"]);
        assert_eq!(pieces(""), Vec::<&str>::new());
    }
}
