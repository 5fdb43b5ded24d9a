//! Part of parse (text in, what it means out, no I/O): the `{% … %}` tags (Liquid)
//! of GitBook and Jekyll, as pages synced from GitBook or brought from a GitHub
//! Pages site are full of them. tejun runs no templates; it reads the tags those
//! pages use for what Markdown has no syntax for — GitBook's notes (`hint`), tabs
//! (`tabs`, `tab`), the file a code block shows (`code`), links to pages
//! (`content-ref`), embedded addresses and files (`embed`, `file`); Jekyll's
//! `highlight` and `raw` — and reports any other, so the writer knows what to
//! rewrite.

use std::ops::Range;

use crate::parse::containers::Admonition;
use crate::parse::hugo::{self, Arguments, Line};
use crate::parse::wikilinks;

/// A tag, `{% name args %}` or `{%- name args -%}`: its name and its arguments.
fn tag(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("{%")?.strip_suffix("%}")?;
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner).trim();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| (name, inner[name_end..].trim()))
}

/// The line `line` is, when it is only a tag tejun reads for the blocks around it.
pub fn block_line(line: &str) -> Option<Line> {
    let (name, args) = tag(line.trim())?;
    let args = Arguments::read(args);
    let line = match name {
        "hint" => Line::Open(Admonition::Alert(hugo::alert_kind(args.named("style").unwrap_or("info")), String::new())),
        "tab" => Line::Open(Admonition::Tab {
            label: args.named("title").unwrap_or_default().to_string(),
            selected: false,
            new_set: false,
            first: true,
            last: true,
        }),
        "code" => Line::Open(Admonition::CodeTitle(args.named("title").unwrap_or_default().to_string())),
        "endhint" | "endtab" | "endcode" => Line::Close,
        "tabs" => Line::Tabs(true),
        "endtabs" => Line::Tabs(false),
        // Around a link to the page (`[設定](settings.md)`), which stays.
        "content-ref" | "endcontent-ref" | "endembed" | "raw" | "endraw" => Line::Blank,
        "highlight" => Line::Replaced(format!("```{}", args.positional(0).unwrap_or_default())),
        "endhighlight" => Line::Replaced("```".to_string()),
        _ => return None,
    };
    Some(line)
}

/// A tag's range in its line, and its Markdown or its name.
pub type TagText = (Range<usize>, String);

/// The tags inside `line` that stand for Markdown — GitBook's `{% embed url="…" %}`
/// (a link to the address) and `{% file src="…" %}` (a link to the file) — with
/// that Markdown; and, by range and name, the tags tejun does not read.
pub fn inline(line: &str) -> (Vec<TagText>, Vec<TagText>) {
    let (mut read, mut unread) = (Vec::new(), Vec::new());
    for (range, name, args) in tags_in(line) {
        let args = Arguments::read(args);
        let markdown = match name {
            "embed" => args.named("url").map(|url| format!("<{url}>")),
            "file" => args.named("src").map(|src| {
                let name = args.named("caption").unwrap_or_else(|| src.rsplit('/').next().unwrap_or(src));
                format!("[{}](<{src}>)", wikilinks::escaped(name))
            }),
            _ => None,
        };
        match markdown {
            Some(markdown) => read.push((range, markdown)),
            None => unread.push((range, name.to_string())),
        }
    }
    (read, unread)
}

/// Every tag in `line`: where it is, its name and arguments.
fn tags_in(line: &str) -> Vec<(Range<usize>, &str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = line[from..].find("{%").map(|at| from + at) {
        let Some(end) = line[start..].find("%}").map(|at| start + at + 2) else { break };
        if let Some((name, args)) = tag(&line[start..end]) {
            found.push((start..end, name, args));
        }
        from = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AlertKind;

    #[test]
    fn gitbook_hints_tabs_code_and_jekyll_highlight() {
        assert_eq!(
            block_line("{% hint style=\"warning\" %}"),
            Some(Line::Open(Admonition::Alert(AlertKind::Warning, String::new())))
        );
        assert_eq!(
            block_line("{% hint style=\"success\" %}"),
            Some(Line::Open(Admonition::Alert(AlertKind::Tip, String::new())))
        );
        assert_eq!(
            block_line("{% hint style=\"danger\" %}"),
            Some(Line::Open(Admonition::Alert(AlertKind::Caution, String::new())))
        );
        assert_eq!(block_line("  {% endhint %}"), Some(Line::Close));
        assert_eq!(block_line("{% tabs %}"), Some(Line::Tabs(true)));
        assert!(
            matches!(block_line("{% tab title=\"Windows\" %}"), Some(Line::Open(Admonition::Tab { label, .. })) if label == "Windows")
        );
        assert_eq!(
            block_line("{% code title=\"setup.sh\" overflow=\"wrap\" lineNumbers=\"true\" %}"),
            Some(Line::Open(Admonition::CodeTitle("setup.sh".into())))
        );
        assert_eq!(block_line("{%- highlight ruby linenos -%}"), Some(Line::Replaced("```ruby".into())));
        assert_eq!(block_line("{% content-ref url=\"settings.md\" %}"), Some(Line::Blank));
        assert_eq!(block_line("{% include note.html %}"), None);
        assert_eq!(block_line("text {% hint %}"), None);
    }

    #[test]
    fn embeds_and_files_are_links_and_other_tags_are_reported() {
        let line = r#"{% embed url="https://www.youtube.com/watch?v=x" %} {% file src="../.gitbook/assets/申込書.pdf" %} {% include footer.html %}"#;
        let (read, unread) = inline(line);
        let read: Vec<String> = read.into_iter().map(|(range, md)| format!("{}→{md}", &line[range])).collect();
        assert_eq!(
            read,
            [
                r#"{% embed url="https://www.youtube.com/watch?v=x" %}→<https://www.youtube.com/watch?v=x>"#,
                r#"{% file src="../.gitbook/assets/申込書.pdf" %}→[申込書.pdf](<../.gitbook/assets/申込書.pdf>)"#,
            ]
        );
        assert_eq!(unread.into_iter().map(|(_, name)| name).collect::<Vec<_>>(), ["include"]);
    }
}
