//! Part of parse (blocks in, blocks out, no I/O): notes as Japanese Word manuals type
//! them, a paragraph that starts with the note's word in 【】 — 【注意】振込の取消は
//! 当日中のみです。 — or that word alone over what it says, and the same in a box
//! (a table of one cell, as Word writers draw one). Pandoc brings these over as
//! plain paragraphs and tables; read so, they are alerts as any other tool's notes
//! are, coloured on screen, boxed on paper, and labelled with the writer's word.

use crate::model::{AlertKind, Block, Fold, Inline, Table};

/// Makes the typed notes of `items` alerts; `block` gives an item's block, if it
/// is one.
pub fn read<T>(items: &mut Vec<T>, block: fn(&mut T) -> Option<&mut Block>) {
    let mut at = 0;
    while at < items.len() {
        let Some(found) = block(&mut items[at]) else {
            at += 1;
            continue;
        };
        let Some((kind, word, rest)) = typed_note(found) else {
            at += 1;
            continue;
        };
        let mut blocks = vec![Block::Paragraph(vec![Inline::Strong(vec![Inline::Text(word)])])];
        if rest.is_empty() {
            // The word alone: what it says is the block under it.
            match items.get_mut(at + 1).and_then(block) {
                Some(next) if !matches!(next, Block::Heading { .. } | Block::Rule) => {
                    blocks.push(std::mem::replace(next, Block::Rule));
                    items.remove(at + 1);
                }
                _ => {
                    at += 1;
                    continue;
                }
            }
        } else {
            blocks.push(Block::Paragraph(rest));
        }
        if let Some(found) = block(&mut items[at]) {
            *found = Block::Alert { kind, blocks, fold: Fold::None };
        }
        at += 1;
    }
}

/// When `blocks`, an alert's, start with a typed note, puts the note's word and
/// text in their place, the word leading in bold as an alert's title: the alert's
/// label is the writer's word. Whether they did.
pub fn open_first(blocks: &mut Vec<Block>) -> bool {
    let Some(Block::Alert { blocks: typed, fold: Fold::None, .. }) = blocks.first_mut() else { return false };
    if typed.first().and_then(Block::note_word).is_none() {
        return false;
    }
    let typed = std::mem::take(typed);
    blocks.splice(0..1, typed);
    true
}

/// A typed note's kind, its word and the text after the word, when `block` is
/// one: a paragraph, or a table of one cell.
fn typed_note(block: &Block) -> Option<(AlertKind, String, Vec<Inline>)> {
    match block {
        Block::Paragraph(inlines) => noted(inlines),
        Block::Table(table) => boxed(table).and_then(noted),
        _ => None,
    }
}

/// The one cell of a table that is only a box around text.
fn boxed(table: &Table) -> Option<&[Inline]> {
    let header_only = table.rows.is_empty() && table.head.len() == 1;
    let one_row = table.rows.len() == 1 && table.rows[0].len() == 1 && table.head.iter().all(|h| h.is_empty());
    if table.caption.is_some() || !(header_only || one_row) {
        return None;
    }
    Some(if header_only { &table.head[0] } else { &table.rows[0][0] })
}

/// The brackets Word writers put a note's word in: 【注意】, ［注意］, ＜注意＞.
const BRACKETS: [(char, char); 3] = [('【', '】'), ('［', '］'), ('＜', '＞')];

/// The kind, word and rest of inlines that start with `【注意】`, plain or in bold.
fn noted(inlines: &[Inline]) -> Option<(AlertKind, String, Vec<Inline>)> {
    let (first, in_bold) = match inlines.first()? {
        Inline::Text(text) => (text, None),
        Inline::Strong(content) => match content.first()? {
            Inline::Text(text) => (text, Some(content)),
            _ => return None,
        },
        _ => return None,
    };
    let (word, after) = BRACKETS.iter().find_map(|&(open, close)| first.strip_prefix(open)?.split_once(close))?;
    let kind = AlertKind::named(word)?;
    // `【注意】に書いたとおり…` names the note in a sentence.
    if after.starts_with(['に', 'の', 'は', 'を', 'が', 'と', 'で', 'へ', 'も', 'や']) {
        return None;
    }
    let after = after.trim_start_matches([' ', '\u{3000}', ':', '：']);
    let mut rest = Vec::with_capacity(inlines.len());
    match in_bold {
        Some(content) => {
            let mut bold: Vec<Inline> = content[1..].to_vec();
            if !after.is_empty() {
                bold.insert(0, Inline::Text(after.to_string()));
            }
            if !bold.is_empty() {
                rest.push(Inline::Strong(bold));
            }
        }
        None if !after.is_empty() => rest.push(Inline::Text(after.to_string())),
        None => {}
    }
    rest.extend_from_slice(&inlines[1..]);
    let leading_breaks = rest.iter().take_while(|inline| matches!(inline, Inline::SoftBreak | Inline::HardBreak));
    let breaks = leading_breaks.count();
    rest.drain(..breaks);
    if let Some(Inline::Text(text)) = rest.first_mut() {
        let trimmed = text.trim_start_matches([' ', '\u{3000}']);
        if trimmed.len() != text.len() {
            *text = trimmed.to_string();
        }
    }
    Some((kind, word.trim().to_string(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::{TopItem, top_level_items};

    fn blocks(text: &str) -> Vec<Block> {
        let mut diagnostics = Vec::new();
        let items = top_level_items(text, 0, &mut diagnostics);
        items
            .into_iter()
            .map(|item| match item {
                TopItem::Block(block) => block,
                TopItem::Heading { level, id, content, .. } => Block::Heading { level, content, id },
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// An alert's kind, its first paragraph's text and what follows, in short.
    fn alert(block: &Block) -> (AlertKind, Vec<String>) {
        let Block::Alert { kind, blocks, .. } = block else { panic!("not an alert: {block:?}") };
        let shown = blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph(inlines) => crate::parse::markdown::plain_text(inlines),
                Block::List(list) => format!("list of {}", list.items.len()),
                other => format!("{other:?}"),
            })
            .collect();
        (*kind, shown)
    }

    #[test]
    fn a_paragraph_that_starts_with_a_note_s_word_in_brackets_is_that_note() {
        let found = blocks(
            "【注意】振込の取消は当日中のみです。\n\n**【重要】** 暗証番号は他人に教えないでください。\n\n\
             【参考】\n\n- 手数料は別表のとおりです。\n- 土日は翌営業日です。\n\n\
             【危険】\n\n## 次の見出し\n\n【お知らせ】本文。\n\n【注意】に書いた文は、\n\n\
             ［補足］全角の角括弧。\n\n＜警告＞山括弧。\n\n【禁止】濡れた手で触れないでください。\n\n【注意事項】\n\n1. 一つ目。\n",
        );
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(alert(&found[0]), (AlertKind::Warning, strings(&["注意", "振込の取消は当日中のみです。"])));
        assert_eq!(
            alert(&found[1]),
            (AlertKind::Important, strings(&["重要", "暗証番号は他人に教えないでください。"]))
        );
        assert_eq!(alert(&found[2]), (AlertKind::Note, strings(&["参考", "list of 2"])));
        // Alone over a heading, the word stays a paragraph; so do words that name no note.
        assert!(matches!(&found[3], Block::Paragraph(_)), "{:?}", found[3]);
        assert!(matches!(&found[4], Block::Heading { .. }));
        assert!(matches!(&found[5], Block::Paragraph(_)));
        assert!(matches!(&found[6], Block::Paragraph(_)), "a sentence that names a note: {:?}", found[6]);
        assert_eq!(alert(&found[7]), (AlertKind::Note, strings(&["補足", "全角の角括弧。"])));
        assert_eq!(alert(&found[8]), (AlertKind::Warning, strings(&["警告", "山括弧。"])));
        assert_eq!(alert(&found[9]).0, AlertKind::Caution);
        assert_eq!(alert(&found[10]), (AlertKind::Warning, strings(&["注意事項", "list of 1"])));
        assert_eq!(found.len(), 11);
    }

    #[test]
    fn a_box_of_one_cell_that_starts_with_a_note_s_word_is_that_note() {
        let found = blocks(
            "| 【警告】 画面右上の「×」はクリックしないでください。 |\n|---|\n\n\
             | |\n|---|\n| 【ヒント】<br>検索欄に口座番号を入れます。 |\n\n\
             | 【注意】 | 二列の表 |\n|---|---|\n",
        );
        assert_eq!(alert(&found[0]).0, AlertKind::Warning);
        assert_eq!(alert(&found[0]).1[1], "画面右上の「×」はクリックしないでください。");
        assert_eq!(
            alert(&found[1]),
            (AlertKind::Tip, vec!["ヒント".to_string(), "検索欄に口座番号を入れます。".to_string()])
        );
        assert!(matches!(&found[2], Block::Table(_)), "a table of two cells stays one");
    }
}
