//! Part of parse (text in, order out, no I/O): mdBook's `SUMMARY.md`, which orders
//! a book's pages — its links, in the order written, nested lists for chapters —
//! so that a book brought from mdBook keeps its order.

use pulldown_cmark::{Event, Parser, Tag};

/// The Markdown files the summary links to (from `content/`, without `./`), in
/// order; draft chapters (`[Later]()`) and links out are left out.
pub fn pages(text: &str) -> Vec<String> {
    Parser::new(text)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let path = dest_url.split('#').next().unwrap_or_default().trim_start_matches("./");
                let inside = path.ends_with(".md") && !path.contains("://") && !path.starts_with('/');
                inside.then(|| path.to_string())
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_order() {
        let summary = "# Summary\n\n[はじめに](README.md)\n\n# 利用者ガイド\n\n- [インストール](guide/install.md)\n- [コマンド](cli/README.md)\n    - [init](./cli/init.md)\n    - [`build`](cli/build.md#options)\n        - [下書き]()\n- [外部](https://example.com/x.md)\n\n---\n\n[付録](appendix.md)\n";
        assert_eq!(
            pages(summary),
            ["README.md", "guide/install.md", "cli/README.md", "cli/init.md", "cli/build.md", "appendix.md"]
        );
    }
}
