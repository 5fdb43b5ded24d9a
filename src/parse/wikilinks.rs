//! Part of parse (text in, Markdown out, no I/O): wiki links, as Obsidian, Foam,
//! GitHub's wikis and Backlog write them — `[[設定]]`, `[[設定#接続の設定|接続]]`,
//! `![[login.png]]`. Each becomes a Markdown link or image whose destination is
//! `wiki:` and the name, which resolve looks for by file name anywhere in the
//! manual, as those tools do, instead of relative to the page. MyST's `{doc}` and
//! `{ref}` roles are read here too, `{ref}` as a wiki link to a place.

use std::ops::Range;

/// What a wiki link's destination starts with in the Markdown it becomes.
pub const SCHEME: &str = "wiki:";

/// The files an embed (`![[…]]`) shows as an image.
const IMAGE_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"];

/// An image's or link's destination as the writer wrote it: `![[login.png]]` for
/// a wiki embed's.
pub fn as_written(destination: &str) -> std::borrow::Cow<'_, str> {
    match destination.strip_prefix(SCHEME) {
        Some(name) => format!("[[{name}]]").into(),
        None => destination.into(),
    }
}

/// The wiki links in `line` outside inline code, and the Markdown each stands for.
pub fn find(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = line[from..].find("[[").map(|at| from + at) {
        let Some(close) = line[open + 2..].find("]]").map(|at| open + 2 + at) else { break };
        let inner = &line[open + 2..close];
        let embed = open > 0 && line.as_bytes()[open - 1] == b'!';
        let start = if embed { open - 1 } else { open };
        let escaped = line[..start].ends_with('\\');
        // An odd number of backticks before it: inside inline code.
        let in_code = line[..open].bytes().filter(|&b| b == b'`').count() % 2 == 1;
        match (escaped || in_code).then_some(()).map_or_else(|| markdown(inner, embed), |_| None) {
            Some(markdown) => {
                found.push((start..close + 2, markdown));
                from = close + 2;
            }
            None => from = open + 2,
        }
    }
    found
}

/// MyST's (Sphinx's) cross-reference roles in `line` and the Markdown for each:
/// `` {doc}`install` `` and `` {doc}`設定 <install>` `` link to a page (its title
/// shown when no text is given, a leading `/` starting from `content/`), and
/// `` {ref}`proxy-settings` `` to the place a target (`(proxy-settings)=`) names
/// on any page of the manual.
pub fn roles(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    for role in ["{doc}`", "{ref}`"] {
        for (start, _) in line.match_indices(role) {
            let body_start = start + role.len();
            let Some(length) = line[body_start..].find('`') else { continue };
            let body = &line[body_start..body_start + length];
            let (text, target) = match body.rfind('<').filter(|_| body.ends_with('>')) {
                Some(open) => (body[..open].trim(), body[open + 1..body.len() - 1].trim()),
                None => ("", body.trim()),
            };
            if target.is_empty() || target.contains(['<', '>', '\n']) {
                continue;
            }
            let destination = match (role, target.strip_prefix('/')) {
                ("{ref}`", _) => format!("<{SCHEME}#{target}>"),
                (_, Some(from_root)) => format!("page:{}", from_root.trim_end_matches(".md")),
                _ if target.ends_with(".md") => format!("<{target}>"),
                _ => format!("<{target}.md>"),
            };
            // A bare `{ref}` shows the heading it goes to, as Sphinx does: resolving
            // fills in the text of a link that has none.
            found.push((start..body_start + length + 1, format!("[{}]({destination})", escaped(text))));
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// The Markdown for the wiki link whose brackets hold `inner`: `名前`, `名前|見出し`,
/// `名前#見出し`, `#見出し`; an embed of an image is that image.
fn markdown(inner: &str, embed: bool) -> Option<String> {
    let (target, label) = inner.split_once('|').map_or((inner, None), |(t, l)| (t.trim(), Some(l.trim())));
    let target = target.trim();
    let (name, heading) = target.split_once('#').map_or((target, None), |(n, h)| (n.trim(), Some(h.trim())));
    let unusable = |c: char| matches!(c, '[' | ']' | '<' | '>' | '\n') || c.is_control();
    // Other tools' contents marks, `[[_TOC_]]` and `[[toc]]`, are no links.
    let is_contents_mark = heading.is_none() && matches!(name.to_ascii_lowercase().as_str(), "_toc_" | "toc");
    if target.is_empty() || target.contains(unusable) || is_contents_mark {
        return None;
    }
    let destination = format!("<{SCHEME}{target}>");
    let extension = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    if embed && IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        // `![[login.png|300]]` and `|300x200` give a size, not words.
        let alt = name.rsplit('/').next().unwrap_or(name).rsplit_once('.').map_or(name, |(stem, _)| stem);
        // Kept as Obsidian writes it in Markdown, `![login|300](…)`, which parse reads.
        let size = label.filter(|label| image_size(label).is_some()).map(|label| format!("|{label}"));
        return Some(format!("![{}{}]({destination})", escaped(alt), size.unwrap_or_default()));
    }
    let shown = match (label, heading) {
        (Some(label), _) if !label.is_empty() => label.to_string(),
        (_, Some(heading)) if name.is_empty() => heading.to_string(),
        (_, Some(heading)) => format!("{name} > {heading}"),
        _ => name.to_string(),
    };
    Some(format!("[{}]({destination})", escaped(&shown)))
}

/// Obsidian's size of an image, `300` or `300x200`: its width and its height,
/// empty when not given.
pub(super) fn image_size(text: &str) -> Option<(&str, &str)> {
    let (width, height) = text.split_once('x').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!width.is_empty() && digits(width) && digits(height)).then_some((width, height))
}

/// `text` with the characters Markdown would read in a link's text escaped: what
/// the marks of other tools put between brackets.
pub(super) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '!' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(line: &str) -> Vec<(&str, String)> {
        find(line).into_iter().map(|(range, markdown)| (&line[range], markdown)).collect()
    }

    #[test]
    fn links_headings_labels_and_embeds() {
        assert_eq!(
            rewritten("詳しくは [[接続の設定]] と [[設定#プロキシ|プロキシの設定]] を見ます。"),
            [
                ("[[接続の設定]]", "[接続の設定](<wiki:接続の設定>)".to_string()),
                ("[[設定#プロキシ|プロキシの設定]]", "[プロキシの設定](<wiki:設定#プロキシ>)".to_string()),
            ]
        );
        assert_eq!(rewritten("[[設定#プロキシ]]")[0].1, "[設定 > プロキシ](<wiki:設定#プロキシ>)");
        assert_eq!(rewritten("[[#手順の前に]]")[0].1, "[手順の前に](<wiki:#手順の前に>)");
        assert_eq!(
            rewritten("![[images/login screen.png|300]]")[0].1,
            "![login screen|300](<wiki:images/login screen.png>)"
        );
        assert_eq!(rewritten("![[a.png|300x200]]")[0].1, "![a|300x200](<wiki:a.png>)");
        assert_eq!(rewritten("![[a.png|画面]]")[0].1, "![a](<wiki:a.png>)");
        assert_eq!(rewritten("![[設定]]")[0].1, "[設定](<wiki:設定>)", "a page embedded is linked");
        assert_eq!(rewritten("[[a_b*c]]")[0].1, r"[a\_b\*c](<wiki:a_b*c>)");
    }

    #[test]
    fn myst_roles() {
        let line = "{doc}`install` と {doc}`設定 <../setup/index>` と {doc}`/guide/start` と {ref}`proxy` と {ref}`プロキシ <proxy>`";
        let got: Vec<String> = roles(line).into_iter().map(|(_, markdown)| markdown).collect();
        assert_eq!(
            got,
            [
                "[](<install.md>)",
                "[設定](<../setup/index.md>)",
                "[](page:guide/start)",
                "[](<wiki:#proxy>)",
                "[プロキシ](<wiki:#proxy>)"
            ]
        );
    }

    #[test]
    fn what_is_not_a_wiki_link() {
        assert!(rewritten("`[[code]]` と \\[[escaped]] と [[_TOC_]] と [[toc]] と [[]] と [[open").is_empty());
        assert_eq!(rewritten("`a` [[b]]").len(), 1, "after inline code closes");
    }
}
