//! Part of parse (text in, order out, no I/O): mdBook's `SUMMARY.md`, which orders
//! a book's pages — its links, in the order written, nested lists for chapters —
//! so that a book brought from mdBook keeps its order.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// One entry of the summary: the file it links to (from `content/`, without
/// `./`), its title there, and the title of the entry it is nested under.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub path: String,
    pub title: String,
    pub parent: Option<String>,
}

/// The summary's entries that link to Markdown files, in order; draft chapters
/// (`[Later]()`) and links out are left out.
pub fn entries(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    // The title of each open list item, innermost last.
    let mut items: Vec<Option<String>> = Vec::new();
    let mut link: Option<(String, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Item) => items.push(None),
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.into_string(), String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, title)) = &mut link {
                    title.push_str(&text);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, title)) = link.take() else { continue };
                let parent = items.iter().rev().skip(1).find_map(Clone::clone);
                if let Some(item) = items.last_mut() {
                    item.get_or_insert_with(|| title.clone());
                }
                let path = dest.split('#').next().unwrap_or_default().trim_start_matches("./");
                if path.ends_with(".md") && !path.contains("://") && !path.starts_with('/') {
                    entries.push(Entry { path: path.to_string(), title, parent });
                }
            }
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_order_with_the_chapters_they_are_under() {
        let summary = "# Summary\n\n[はじめに](README.md)\n\n# 利用者ガイド\n\n- [インストール](guide/install.md)\n- [コマンド](cli/README.md)\n    - [init](./cli/init.md)\n    - [`build`](cli/build.md#options)\n        - [下書き]()\n- [外部](https://example.com/x.md)\n\n---\n\n[付録](appendix.md)\n";
        let entries = entries(summary);
        let got: Vec<(&str, &str, Option<&str>)> =
            entries.iter().map(|e| (e.path.as_str(), e.title.as_str(), e.parent.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("README.md", "はじめに", None),
                ("guide/install.md", "インストール", None),
                ("cli/README.md", "コマンド", None),
                ("cli/init.md", "init", Some("コマンド")),
                ("cli/build.md", "build", Some("コマンド")),
                ("appendix.md", "付録", None),
            ]
        );
    }
}
