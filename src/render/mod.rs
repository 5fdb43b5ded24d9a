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
pub mod wrap;

use crate::model::{Image, Length};

/// An image in running text no taller than this many pixels is an icon, shown as
/// tall as the text (a toolbar's button); a taller one (a screenshot in a table's
/// cell) shows at its size, as in any browser.
const ICON_MAX_HEIGHT: u32 = 48;

/// How wide the writer asked `image` to show: its width, else its height turned
/// into a width by the image's own shape (Zenn's `=x100`).
pub fn requested_width(image: &Image) -> Option<Length> {
    if let Some(width) = image.requested.width {
        return Some(width);
    }
    let (width, height) = image.size.filter(|&(w, h)| w > 0 && h > 0)?;
    let shape = f64::from(width) / f64::from(height);
    match image.requested.height? {
        Length::Pixels(px) => Some(Length::Pixels(px * shape)),
        Length::Millimetres(mm) => Some(Length::Millimetres(mm * shape)),
        // A share of a height no one has set says nothing.
        Length::Percent(_) => None,
    }
}

/// Whether an image in running text shows at its size rather than as an icon: the
/// writer gave it one, or it is taller than an icon.
pub fn shows_at_size(image: &Image) -> bool {
    requested_width(image).is_some() || image.size.is_some_and(|(_, height)| height > ICON_MAX_HEIGHT)
}

/// Where a content file (screenshot, icon) is copied: one copy serves every language.
pub fn asset_output_path(asset: &str) -> String {
    ["assets/", asset].concat()
}

/// A relative link from the output file `from_file` to the copy of a content file,
/// with the characters a file name may have and an address may not (a space, `%`,
/// `#`, `?`) percent-encoded: `login%20screen.png` stays one.
pub fn asset_href(from_file: &str, asset: &str) -> String {
    let href = relative_href(from_file, &asset_output_path(asset));
    if !href.contains([' ', '%', '#', '?']) {
        return href;
    }
    let mut encoded = String::with_capacity(href.len() + 8);
    for c in href.chars() {
        match c {
            ' ' => encoded.push_str("%20"),
            '%' => encoded.push_str("%25"),
            '#' => encoded.push_str("%23"),
            '?' => encoded.push_str("%3F"),
            c => encoded.push(c),
        }
    }
    encoded
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
    let up = from_dir[shared..].bytes().filter(|&b| b == b'/').count();
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

    #[test]
    fn asset_links_encode_what_a_file_name_may_have() {
        assert_eq!(asset_href("ja/a.html", "images/ログイン画面.svg"), "../assets/images/ログイン画面.svg");
        assert_eq!(
            asset_href("ja/a.html", "images/login screen #2 (100%)?.png"),
            "../assets/images/login%20screen%20%232%20(100%25)%3F.png"
        );
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
}
