//! Part of parse (text in, what it means out, no I/O): Hugo's shortcodes, as pages
//! brought from a Hugo site are full of them. tejun does not run templates; it
//! reads the shortcodes the documentation themes use for what Markdown has no
//! syntax for: notes (`notice` in Learn and Relearn, `hint` in hugo-book, `alert` in
//! Docsy, `callout` in Hextra, `admonition` in LoveIt), folded text (`details`),
//! tabs (`tabs` and `tab`), links (`ref`, `relref`) and images (`figure`). Any other
//! shortcode is left as written and reported, so the writer knows what to rewrite.

use std::ops::Range;

use crate::model::AlertKind;
use crate::parse::containers::Admonition;

/// What a line holding only a shortcode does.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// Opens a note, a fold or a tab.
    Open(Admonition),
    /// Closes one (`{{< /notice >}}`).
    Close,
    /// Opens (`true`) or closes a set of tabs.
    Tabs(bool),
    /// Shows nothing: GitBook's `{% content-ref %}` around a link, Jekyll's `{% raw %}`.
    Blank,
    /// Stands for a line of Markdown: Jekyll's `{% highlight ruby %}` for ```` ```ruby ````.
    Replaced(String),
}

/// A shortcode written `{{< name args >}}` or `{{% name args %}}`: whether it is a
/// closing one, its name and its arguments.
fn shortcode(text: &str) -> Option<(bool, &str, &str)> {
    let inner = text
        .strip_prefix("{{<")
        .and_then(|t| t.strip_suffix(">}}"))
        .or_else(|| text.strip_prefix("{{%").and_then(|t| t.strip_suffix("%}}")))?
        .trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    valid.then(|| (closing, name, inner[name_end..].trim()))
}

/// The line `line` is, when it is only a shortcode tejun reads as a container.
pub fn block_line(line: &str) -> Option<Line> {
    let (closing, name, args) = shortcode(line.trim())?;
    let name = name.to_ascii_lowercase();
    if name == "tabs" {
        return Some(Line::Tabs(!closing));
    }
    if !CONTAINERS.contains(&name.as_str()) {
        return None;
    }
    if closing {
        return Some(Line::Close);
    }
    let args = Arguments::read(args);
    let admonition = match name.as_str() {
        "details" => Admonition::Details {
            title: args.named("title").or(args.positional(0)).unwrap_or_default().to_string(),
            open: args.positional.contains(&"open") || args.named("open") == Some("true"),
        },
        "tab" => Admonition::Tab {
            label: args.named("title").or(args.named("name")).or(args.positional(0)).unwrap_or_default().to_string(),
            selected: false,
            new_set: false,
            first: true,
            last: true,
        },
        _ => {
            let kind_word = ["style", "type", "color", "theme"]
                .iter()
                .find_map(|key| args.named(key))
                .or(args.positional(0))
                .unwrap_or("note");
            let title = args.named("title").or(if name == "admonition" { args.positional(1) } else { None });
            Admonition::Alert(alert_kind(kind_word), title.unwrap_or_default().to_string())
        }
    };
    Some(Line::Open(admonition))
}

/// The shortcodes read as containers, besides `tabs`.
const CONTAINERS: [&str; 7] = ["notice", "hint", "alert", "callout", "admonition", "details", "tab"];

/// tejun's alert for the kind or colour a theme's note is given.
pub(super) fn alert_kind(word: &str) -> AlertKind {
    match word.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "green" => AlertKind::Tip,
        "important" => AlertKind::Important,
        "warning" | "warn" | "caution" | "attention" | "orange" | "yellow" => AlertKind::Warning,
        "danger" | "error" | "alert" | "red" | "failure" => AlertKind::Caution,
        _ => AlertKind::Note,
    }
}

/// A shortcode's arguments: quoted or bare words, and `key=value` pairs.
pub(super) struct Arguments<'a> {
    positional: Vec<&'a str>,
    named: Vec<(&'a str, &'a str)>,
}

impl<'a> Arguments<'a> {
    pub(super) fn read(mut text: &'a str) -> Self {
        let mut arguments = Arguments { positional: Vec::new(), named: Vec::new() };
        loop {
            text = text.trim_start();
            if text.is_empty() {
                return arguments;
            }
            let key_end = text.find(|c: char| c.is_whitespace() || c == '=' || c == '"' || c == '`');
            let (key, value_text) = match key_end {
                Some(end) if text[end..].starts_with('=') => (Some(&text[..end]), &text[end + 1..]),
                _ => (None, text),
            };
            let (value, rest) = quoted_or_word(value_text);
            match key {
                Some(key) => arguments.named.push((key, value)),
                None => arguments.positional.push(value),
            }
            text = rest;
        }
    }

    pub(super) fn named(&self, key: &str) -> Option<&'a str> {
        self.named.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, value)| *value)
    }

    pub(super) fn positional(&self, index: usize) -> Option<&'a str> {
        self.positional.get(index).copied()
    }
}

/// A `"quoted"` or `` `raw` `` string, or a word, at the start of `text`, and the rest.
fn quoted_or_word(text: &str) -> (&str, &str) {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '`') {
        let inner = &text[1..];
        let end = inner.find(quote).unwrap_or(inner.len());
        return (&inner[..end], inner.get(end + 1..).unwrap_or_default());
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// The `{{< ref "…" >}}`, `{{< relref "…" >}}` and `{{< figure … >}}` in `line`,
/// and the Markdown each is for tejun. A link's path from the page stays as it is
/// (`install.md`), one from `content/` (`/docs/install`) is read from there
/// (`/docs/install.md`; `/` is the home page), a page named without `.md` gets it. A figure is an image
/// whose caption, alt text or title is its text: `![caption](src)`.
pub fn links(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    for (range, closing, name, args) in shortcodes_in(line) {
        let args = Arguments::read(args);
        let markdown = match (closing, name) {
            (false, "ref" | "relref") => args.positional(0).or(args.named("path")).map(link_target),
            (false, "figure") => args.named("src").map(|src| {
                let text = ["caption", "alt", "title"].iter().find_map(|key| args.named(key)).unwrap_or_default();
                // Its width as the attribute list parse reads after any image.
                let width =
                    args.named("width").filter(|w| !w.contains(['{', '}', ' '])).map(|w| format!("{{width={w}}}"));
                format!("![{}](<{src}>){}", super::wikilinks::escaped(text), width.unwrap_or_default())
            }),
            _ => None,
        };
        if let Some(markdown) = markdown {
            found.push((range, markdown));
        }
    }
    found
}

/// Every shortcode in `line`: where it is, whether it closes, its name and arguments.
fn shortcodes_in(line: &str) -> Vec<(Range<usize>, bool, &str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = line[from..].find("{{").map(|at| from + at) {
        let close = match line.as_bytes().get(start + 2) {
            Some(b'<') => ">}}",
            Some(b'%') => "%}}",
            _ => {
                from = start + 2;
                continue;
            }
        };
        let Some(end) = line[start..].find(close).map(|at| start + at + 3) else { break };
        if let Some((closing, name, args)) = shortcode(&line[start..end]) {
            found.push((start..end, closing, name, args));
        }
        from = end;
    }
    found
}

fn link_target(target: &str) -> String {
    let (path, fragment) = target.split_once('#').map_or((target, None), |(p, f)| (p, Some(f)));
    if path.is_empty() {
        return target.to_string();
    }
    if let Some(from_root) = path.strip_prefix('/') {
        // A path from `content/`, which links read as such: the home page too.
        let page = from_root.trim_end_matches(".md");
        let page = if page.is_empty() || page.ends_with('/') { format!("{page}_index") } else { page.to_string() };
        let fragment = fragment.map_or(String::new(), |fragment| format!("#{fragment}"));
        return format!("/{page}.md{fragment}");
    }
    let has_extension = path.rsplit('/').next().is_some_and(|name| name.contains('.'));
    let path = if has_extension || path.ends_with('/') { path.to_string() } else { format!("{path}.md") };
    match fragment {
        Some(fragment) => format!("{path}#{fragment}"),
        None => path,
    }
}

/// Where `line` has a shortcode tejun does not read (`{{< youtube id >}}`), by
/// byte range and name.
pub fn others(line: &str) -> Vec<(Range<usize>, String)> {
    let known = |name: &str| CONTAINERS.contains(&name) || matches!(name, "tabs" | "ref" | "relref" | "figure");
    shortcodes_in(line)
        .into_iter()
        .filter(|(_, _, name, _)| !known(name))
        .map(|(range, _, name, _)| (range, name.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(line: &str) -> Option<(AlertKind, String)> {
        match block_line(line)? {
            Line::Open(Admonition::Alert(kind, title)) => Some((kind, title)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn theme_notes_folds_and_tabs() {
        assert_eq!(alert("{{% notice warning %}}"), Some((AlertKind::Warning, String::new())));
        assert_eq!(alert("{{% notice style=\"tip\" title=\"ヒント\" %}}"), Some((AlertKind::Tip, "ヒント".into())));
        assert_eq!(alert("{{< hint danger >}}"), Some((AlertKind::Caution, String::new())));
        assert_eq!(alert("{{% alert title=\"注意\" color=\"warning\" %}}"), Some((AlertKind::Warning, "注意".into())));
        assert_eq!(alert("{{< callout type=\"info\" >}}"), Some((AlertKind::Note, String::new())));
        assert_eq!(alert("{{< admonition tip \"便利な使い方\" >}}"), Some((AlertKind::Tip, "便利な使い方".into())));
        assert_eq!(block_line("  {{< /notice >}}  "), Some(Line::Close));
        assert_eq!(block_line("{{</ hint >}}"), Some(Line::Close));
        assert_eq!(
            block_line("{{< details \"詳しく\" open >}}"),
            Some(Line::Open(Admonition::Details { title: "詳しく".into(), open: true }))
        );
        assert_eq!(block_line("{{< tabs \"browsers\" >}}"), Some(Line::Tabs(true)));
        assert_eq!(block_line("{{< /tabs >}}"), Some(Line::Tabs(false)));
        assert!(
            matches!(block_line("{{% tab title=\"Edge\" %}}"), Some(Line::Open(Admonition::Tab { label, .. })) if label == "Edge")
        );
        assert_eq!(block_line("{{< youtube w7Ft2ymGmfc >}}"), None);
        assert_eq!(block_line("text {{< notice >}}"), None);
    }

    #[test]
    fn ref_links_and_other_shortcodes() {
        let line = r#"[導入]({{< ref "install.md" >}})、[節]({{< relref "setup#proxy" >}})、[上]({{% ref "/docs/start/_index.md" %}}) {{< youtube x >}}"#;
        let links: Vec<String> =
            links(line).into_iter().map(|(range, target)| format!("{}→{target}", &line[range])).collect();
        assert_eq!(
            links,
            [
                r#"{{< ref "install.md" >}}→install.md"#,
                r#"{{< relref "setup#proxy" >}}→setup.md#proxy"#,
                r#"{{% ref "/docs/start/_index.md" %}}→/docs/start/_index.md"#,
            ]
        );
        let others: Vec<String> = others(line).into_iter().map(|(_, name)| name).collect();
        assert_eq!(others, ["youtube"]);
        let figure = r#"{{< figure src="images/login screen.png" alt="ログイン画面" caption="[ログイン] 画面" >}}"#;
        assert_eq!(super::links(figure)[0].1, r"![\[ログイン\] 画面](<images/login screen.png>)");
        let sized = r#"{{< figure src="a.png" width="50%" >}}"#;
        assert_eq!(super::links(sized)[0].1, "![](<a.png>){width=50%}");
    }
}
