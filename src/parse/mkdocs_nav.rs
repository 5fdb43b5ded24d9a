//! Part of parse (text in, order out, no I/O): the `nav:` of MkDocs' `mkdocs.yml`,
//! which orders a site's pages and groups them under section titles, so that a site
//! brought from MkDocs keeps its order. Its paths are from MkDocs' `docs/`, which is
//! tejun's `content/`.

use serde_yaml::Value;

/// A page the nav lists, in order: its path from `content/` and the titles of the
/// sections it is in, outermost first.
#[derive(Debug, PartialEq)]
pub struct NavPage {
    pub path: String,
    pub sections: Vec<String>,
}

/// The pages `nav:` lists in `text` (an `mkdocs.yml`), in order; none when it has
/// no `nav:`. Addresses out of the site are left out. `Err` is where YAML could not
/// be read (line, column, what).
pub fn pages(text: &str) -> Result<Vec<NavPage>, (usize, usize, String)> {
    let config: Value = serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error.location().map_or((1, 1), |at| (at.line(), at.column()));
        (line, column, error.to_string())
    })?;
    let mut found = Vec::new();
    if let Some(nav) = config.get("nav") {
        walk(nav, &mut Vec::new(), &mut found);
    }
    Ok(found)
}

/// The items of `nav`: a path, `Title: path`, or `Section: [items]`.
fn walk(nav: &Value, sections: &mut Vec<String>, found: &mut Vec<NavPage>) {
    match nav {
        Value::Sequence(items) => items.iter().for_each(|item| walk(item, sections, found)),
        Value::String(path) => add(path, sections, found),
        Value::Mapping(entries) => {
            for (title, value) in entries {
                match value {
                    Value::String(path) => add(path, sections, found),
                    Value::Sequence(_) => {
                        sections.push(title.as_str().unwrap_or_default().to_string());
                        walk(value, sections, found);
                        sections.pop();
                    }
                    _ => {}
                }
            }
        }
        Value::Tagged(tagged) => walk(&tagged.value, sections, found),
        _ => {}
    }
}

fn add(path: &str, sections: &[String], found: &mut Vec<NavPage>) {
    let path = path.trim().trim_start_matches("./");
    let inside = (path.ends_with(".md") || path.ends_with(".mdx")) && !path.contains("://") && !path.starts_with('/');
    if inside {
        found.push(NavPage { path: path.to_string(), sections: sections.to_vec() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_order_with_their_sections() {
        let config = "site_name: 社内マニュアル\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - index.md\n  - 'はじめに': intro.md\n  - ユーザーガイド:\n      - user/install.md\n      - 設定: user/settings.md\n      - 詳細:\n          - user/advanced/proxy.md\n  - GitHub: https://github.com/example/manual\n  - 付録: appendix.md\n";
        let pages = pages(config).unwrap();
        let listed: Vec<(&str, Vec<&str>)> =
            pages.iter().map(|p| (p.path.as_str(), p.sections.iter().map(String::as_str).collect())).collect();
        assert_eq!(
            listed,
            [
                ("index.md", vec![]),
                ("intro.md", vec![]),
                ("user/install.md", vec!["ユーザーガイド"]),
                ("user/settings.md", vec!["ユーザーガイド"]),
                ("user/advanced/proxy.md", vec!["ユーザーガイド", "詳細"]),
                ("appendix.md", vec![]),
            ]
        );
        assert_eq!(super::pages("site_name: x\n").unwrap(), []);
        let (line, _, _) = super::pages("site_name: x\nnav:\n  - [unclosed\n").unwrap_err();
        assert_eq!(line, 4);
    }
}
