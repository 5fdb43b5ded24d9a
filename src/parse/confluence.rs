//! Part of parse (blocks in, blocks out, no I/O): Confluence's information macros
//! as raw HTML, as Pandoc writes a Confluence page saved as HTML in GitHub's
//! Markdown (`pandoc -t gfm`): each tag a block of its own, Markdown between them.
//!
//! ```text
//! <div
//! class="confluence-information-macro confluence-information-macro-note">
//!
//! <span
//! class="aui-icon aui-icon-small aui-iconfont-warning confluence-information-macro-icon"></span>
//!
//! <div class="confluence-information-macro-body">
//!
//! 承認した後は取り消せません。
//!
//! </div>
//!
//! </div>
//! ```
//!
//! Each becomes the alert of its colour ([`macro_of`]),
//! its content without the tags around it and the icon: in HTML it was a plain
//! box, and on paper and in search its words only. An expand macro (`<div
//! class="expand-container">`) is folded under the text of its control, as
//! Confluence shows it.

use crate::model::{AlertKind, Block, Condition, Fold, Inline, VariantBlock};

use super::containers::Admonition;
use super::{container_blocks, html_shows_nothing};

/// What a Confluence macro's `<div>` opens.
pub enum Macro {
    Alert(AlertKind),
    Expand,
}

/// The macro a `<div>` of `classes` is, as Confluence saves it as HTML and Pandoc
/// keeps its classes (a fenced div's, or raw HTML's): an expand macro
/// (`expand-container`), or an information macro, the alert of its colour (Info is
/// blue, a note; Tip green; Note yellow, a warning; Warning red, a caution).
pub fn macro_of<'c>(classes: impl IntoIterator<Item = &'c str>) -> Option<Macro> {
    let mut alert = None;
    for class in classes {
        if class == "expand-container" {
            return Some(Macro::Expand);
        }
        alert = alert.or(match class.strip_prefix("confluence-information-macro-") {
            Some("information") => Some(AlertKind::Note),
            Some("tip") => Some(AlertKind::Tip),
            Some("note") => Some(AlertKind::Warning),
            Some("warning") => Some(AlertKind::Caution),
            _ => None,
        });
    }
    alert.map(Macro::Alert)
}

/// `blocks` with every information macro in them an alert, and every expand macro
/// folded.
pub fn macros(blocks: Vec<Block>) -> Vec<Block> {
    if !blocks.iter().any(|block| matches!(block, Block::Html(html) if opening_kind(html).is_some())) {
        return blocks;
    }
    let mut out = Vec::with_capacity(blocks.len());
    let mut rest = blocks.into_iter();
    while let Some(block) = rest.next() {
        let Some(kind) = (match &block {
            Block::Html(html) => opening_kind(html),
            _ => None,
        }) else {
            out.push(block);
            continue;
        };
        let mut inner = Vec::new();
        let mut depth = 1;
        for block in rest.by_ref() {
            if let Block::Html(html) = &block {
                depth += html.matches("<div").count();
                depth = depth.saturating_sub(html.matches("</div>").count());
            }
            if depth == 0 {
                break;
            }
            inner.push(block);
        }
        if depth > 0 {
            // Never closed: left as it was written.
            out.push(block);
            out.extend(inner);
            continue;
        }
        match kind {
            Macro::Alert(kind) => out.push(Block::Alert { kind, blocks: macros(content(inner)), fold: Fold::None }),
            Macro::Expand => out.extend(folded(macros(inner))),
        }
    }
    out
}

/// The macro an HTML block that is only a macro's opening `<div>` opens.
fn opening_kind(html: &str) -> Option<Macro> {
    let tag = html.trim();
    if !tag.starts_with("<div") || !tag.ends_with('>') || tag[1..].contains('<') {
        return None;
    }
    let classes = tag.split("class=\"").nth(1)?.split('"').next()?;
    macro_of(classes.split_whitespace())
}

/// An expand macro's blocks, without the `<div>`s of its control and its content,
/// folded under its control's text ([`Admonition::Expand`]).
fn folded(inner: Vec<Block>) -> Vec<Block> {
    let is_div_tag = |block: &Block| match block {
        Block::Html(html) => {
            let tag = html.trim_start();
            (tag.starts_with("<div") || tag.starts_with("</div")) && html_shows_nothing(html)
        }
        _ => false,
    };
    let blocks = inner.into_iter().filter(|block| !is_div_tag(block)).collect();
    container_blocks((VariantBlock { condition: Condition::default(), blocks, span: 0..0 }, Some(Admonition::Expand)))
}

/// What a macro holds, without its icon and the `<div>` around its body.
fn content(inner: Vec<Block>) -> Vec<Block> {
    let mut blocks: Vec<Block> = inner.into_iter().filter(|block| !is_icon(block)).collect();
    let is_body =
        |html: &str| html.trim_start().starts_with("<div") && html.contains("confluence-information-macro-body");
    if let Some(at) =
        blocks.iter().position(|block| matches!(block, Block::Html(html) if is_body(html) && html_shows_nothing(html)))
    {
        blocks.remove(at);
        if let Some(end) =
            blocks.iter().rposition(|block| matches!(block, Block::Html(html) if html.trim() == "</div>"))
        {
            blocks.remove(end);
        }
    }
    blocks
}

/// Whether a block is the macro's icon, an empty `<span class="aui-icon …">` (a
/// paragraph of it, or a block).
fn is_icon(block: &Block) -> bool {
    match block {
        Block::Html(html) => html.contains("aui-icon") && html_shows_nothing(html),
        Block::Paragraph(inlines) | Block::Plain(inlines) => {
            let is_tag = |inline: &Inline| match inline {
                Inline::Html(html) => html_shows_nothing(html),
                Inline::SoftBreak => true,
                Inline::Text(text) => text.trim().is_empty(),
                _ => false,
            };
            let names_icon = |inline: &Inline| matches!(inline, Inline::Html(html) if html.contains("aui-icon"));
            inlines.iter().all(is_tag) && inlines.iter().any(names_icon)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> Block {
        Block::Html(text.to_string())
    }

    fn paragraph(text: &str) -> Block {
        Block::Paragraph(vec![Inline::Text(text.to_string())])
    }

    #[test]
    fn a_macro_is_an_alert_of_its_content() {
        let blocks = vec![
            paragraph("前"),
            html("<div\nclass=\"confluence-information-macro confluence-information-macro-note\">\n"),
            Block::Paragraph(vec![
                Inline::Html("<span\nclass=\"aui-icon confluence-information-macro-icon\">".to_string()),
                Inline::Html("</span>".to_string()),
            ]),
            html("<div class=\"confluence-information-macro-body\">\n"),
            paragraph("取り消せません。"),
            html("<div class=\"other\">\n"),
            paragraph("中の div"),
            html("</div>\n"),
            html("</div>\n"),
            html("</div>\n"),
            paragraph("後"),
        ];
        assert_eq!(
            macros(blocks),
            [
                paragraph("前"),
                Block::Alert {
                    kind: AlertKind::Warning,
                    blocks: vec![
                        paragraph("取り消せません。"),
                        html("<div class=\"other\">\n"),
                        paragraph("中の div"),
                        html("</div>\n"),
                    ],
                    fold: Fold::None,
                },
                paragraph("後"),
            ]
        );
    }

    #[test]
    fn an_expand_macro_is_folded_under_its_control() {
        let blocks = vec![
            html("<div id=\"expander-1\" class=\"expand-container\">\n"),
            html("<div id=\"expander-control-1\" class=\"expand-control\">\n"),
            Block::Paragraph(vec![
                Inline::Html("<span class=\"expand-control-icon icon\">".to_string()),
                Inline::Text(" ".to_string()),
                Inline::Html("</span>".to_string()),
                Inline::Html("<span\nclass=\"expand-control-text\">".to_string()),
                Inline::Text("詳細を表示".to_string()),
                Inline::Html("</span>".to_string()),
            ]),
            html("</div>\n"),
            html("<div id=\"expander-content-1\" class=\"expand-content\">\n"),
            paragraph("折りたたまれた内容です。"),
            html("</div>\n"),
            html("</div>\n"),
        ];
        assert_eq!(
            macros(blocks),
            [
                html("<details><summary>詳細を表示</summary>\n"),
                paragraph("折りたたまれた内容です。"),
                html("</details>\n"),
            ]
        );
    }

    #[test]
    fn other_divs_and_unclosed_macros_stay_as_written() {
        let unclosed = vec![
            html("<div class=\"confluence-information-macro confluence-information-macro-tip\">\n"),
            paragraph("閉じていない"),
        ];
        assert_eq!(macros(unclosed.clone()), unclosed);
        let other = vec![html("<div class=\"panel\">\n"), paragraph("枠"), html("</div>\n")];
        assert_eq!(macros(other.clone()), other);
        let with_text = vec![html("<div class=\"confluence-information-macro-tip\">ヒント</div>\n")];
        assert_eq!(macros(with_text.clone()), with_text);
    }
}
