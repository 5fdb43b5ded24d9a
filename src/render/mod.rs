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

/// Where a content file (screenshot, icon) is copied: one copy serves every language.
pub fn asset_output_path(asset: &str) -> String {
    format!("assets/{asset}")
}

/// A relative link from one output file to another, both given from the output
/// root, so the site works under any sub-path and from `file://`.
pub fn relative_href(from_file: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from_file.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_file) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dirs.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut href = "../".repeat(from_dirs.len() - common);
    for dir in &to_dirs[common..] {
        href.push_str(dir);
        href.push('/');
    }
    href.push_str(to_file[0]);
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
    }
}
