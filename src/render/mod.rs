//! Stage 5, render: pure functions of the resolved manual. Each renderer hands the
//! files it makes to an [`crate::output::Sink`]; none of them reads the disk or can
//! fail on content, which `resolve` has already checked.

pub mod highlight;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod pdf;
pub mod sanitize;
pub mod search;
mod step_partial;

/// Where the first byte of `bytes` that `wanted` holds for is: sixteen at a time
/// without branches, which the compiler turns into vector instructions, the last
/// few as part of the last sixteen. Escaping text for HTML and JSON asks this of
/// millions of strings.
#[inline]
pub fn first_wanted(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let any = |chunk: &[u8]| chunk.iter().fold(false, |any, &b| any | wanted(b));
    let mut chunks = bytes.chunks_exact(16);
    for (n, chunk) in (&mut chunks).enumerate() {
        if any(chunk) {
            return chunk.iter().position(|&b| wanted(b)).map(|i| n * 16 + i);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    if done > 0 && !any(&bytes[bytes.len() - 16..]) {
        return None;
    }
    chunks.remainder().iter().position(|&b| wanted(b)).map(|i| done + i)
}

/// Where a content file (screenshot, icon) is copied: one copy serves every language.
pub fn asset_output_path(asset: &str) -> String {
    ["assets/", asset].concat()
}

/// A relative link from one output file to another, both given from the output
/// root, so the site works under any sub-path and from `file://`.
pub fn relative_href(from_file: &str, to: &str) -> String {
    let from_dir = from_file.rfind('/').map_or("", |slash| &from_file[..=slash]);
    // How many bytes of whole folders the two paths share: up to the last `/` before
    // they differ. Pages link thousands of times; this allocates only the result.
    let mut shared = 0;
    for (at, (a, b)) in from_dir.bytes().zip(to.bytes()).enumerate() {
        if a != b {
            break;
        }
        if a == b'/' {
            shared = at + 1;
        }
    }
    let up = from_dir[shared..].matches('/').count();
    let mut href = String::with_capacity(3 * up + to.len() - shared);
    for _ in 0..up {
        href.push_str("../");
    }
    href.push_str(&to[shared..]);
    href
}

/// `../` once per folder between an output file and the output root.
pub fn root_prefix(from_file: &str) -> String {
    "../".repeat(from_file.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_name_files() {
        assert_eq!(relative_href("ja/certificates/reissue.html", "ja/certificates/obtain.html"), "obtain.html");
        assert_eq!(relative_href("ja/index.html", "ja/certificates/obtain.html"), "certificates/obtain.html");
        assert_eq!(
            relative_href("ja/certificates/obtain.html", "en/certificates/obtain.html"),
            "../../en/certificates/obtain.html"
        );
        assert_eq!(relative_href("ja/a/b.html", "assets/a/images/x.svg"), "../../assets/a/images/x.svg");
        assert_eq!(relative_href("index.html", "ja/index.html"), "ja/index.html");
        assert_eq!(root_prefix("ja/certificates/obtain.html"), "../../");
        assert_eq!(relative_href("ja/a/b.html", "ja/ab/c.html"), "../ab/c.html");
        assert_eq!(relative_href("ja/x.html", "ja"), "../ja");
        assert_eq!(relative_href("x.html", "ja/"), "ja/");
    }

    /// The folders split and compared one by one, as a reader would work it out.
    fn by_segments(from_file: &str, to: &str) -> String {
        let from: Vec<&str> = from_file.split('/').collect();
        let from = &from[..from.len() - 1];
        let to: Vec<&str> = to.split('/').collect();
        let (to_dirs, to_file) = to.split_at(to.len() - 1);
        let common = from.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
        let mut href = "../".repeat(from.len() - common);
        for dir in &to_dirs[common..] {
            href.push_str(dir);
            href.push('/');
        }
        href + to_file[0]
    }

    #[test]
    fn relative_links_agree_with_comparing_folder_by_folder() {
        let paths = [
            "index.html",
            "ja/index.html",
            "ja/a/b.html",
            "ja/ab/c.html",
            "ja/a/bc/d.html",
            "en/a/b.html",
            "ja/a.html",
            "ja",
            "ja/",
            "assets/images/x.svg",
            "ja/a/b/c/d.html",
            "j/a.html",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(relative_href(from, to), by_segments(from, to), "{from} → {to}");
            }
        }
    }

    #[test]
    fn first_wanted_finds_the_first_wanted_byte_at_any_length_and_place() {
        let controls = |b: u8| b < 0x20 || b == b'"';
        for len in 0..40 {
            let plain = "あ".repeat(len / 3) + &"x".repeat(len % 3);
            assert_eq!(first_wanted(plain.as_bytes(), controls), None, "{plain:?}");
            for at in 0..len {
                for wanted in [b'\n', b'"', 0] {
                    let mut bytes = b"y".repeat(len);
                    bytes[at] = wanted;
                    if at + 1 < len {
                        bytes[len - 1] = b'"';
                    }
                    assert_eq!(first_wanted(&bytes, controls), Some(at), "{bytes:?}");
                }
            }
        }
    }
}
