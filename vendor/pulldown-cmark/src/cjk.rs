//! tejun's change to pulldown-cmark 0.13.6: the CommonMark CJK-friendly amendment
//! (https://github.com/tats-u/markdown-cjk-friendly, specification.md) for `*`
//! delimiter runs, so that `これは**「重要」**です` and `**テスト。**テスト` are bold.
//! Upstream merged the amendment (pulldown-cmark #1059) but has not released it.
//!
//! Only the flanking rules for `*` change; `_` (never intraword) and `~` keep
//! CommonMark's. "CJK character" is approximated by the blocks whose East Asian
//! Width is W, F or H (kana, kanji, Hangul, CJK symbols and punctuation, full-width
//! and half-width forms), without the emoji blocks.

use crate::puncttable::is_punctuation;

/// What precedes a delimiter run: the last character, looking through a
/// non-emoji variation selector (U+FE00–U+FE0E) to the character it modifies.
/// `None` at the start of the text.
pub(crate) fn before(text: &str) -> Before {
    let mut chars = text.chars().rev();
    match chars.next() {
        None => Before::Whitespace,
        Some(c) if ('\u{E0100}'..='\u{E01EF}').contains(&c) => Before::Ideographic,
        Some(c) if ('\u{FE00}'..='\u{FE0E}').contains(&c) => chars.next().map_or(Before::Whitespace, Before::Char),
        Some(c) => Before::Char(c),
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Before {
    Whitespace,
    /// An ideographic variation selector, which only follows a kanji.
    Ideographic,
    Char(char),
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x2E80..=0x2FDF      // CJK radicals, Kangxi radicals
        | 0x2FF0..=0x303E      // ideographic description, CJK symbols and punctuation
        | 0x3041..=0x33FF      // kana, Bopomofo, Hangul compatibility Jamo, Kanbun, enclosed CJK, compatibility
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xA960..=0xA97F      // Hangul Jamo extended A
        | 0xAC00..=0xD7FF      // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE10..=0xFE19      // vertical forms
        | 0xFE30..=0xFE6F      // CJK compatibility forms, small form variants
        | 0xFF00..=0xFFEF      // full-width and half-width forms
        | 0x16FE0..=0x18CFF    // ideographic symbols, Tangut
        | 0x1B000..=0x1B2FF    // kana supplement and extended
        | 0x20000..=0x3FFFD    // CJK extensions B and later
    )
}

fn is_non_cjk_punctuation(c: char) -> bool {
    is_punctuation(c) && !is_cjk(c)
}

/// Left-flanking: (1) not followed by whitespace, and (2a) not followed by a
/// non-CJK punctuation character, or (2b) followed by one and preceded by
/// whitespace, non-CJK punctuation, a CJK character or an ideographic variation
/// selector.
pub(crate) fn star_is_left_flanking(before: Before, next: char) -> bool {
    if next.is_whitespace() {
        return false;
    }
    if !is_non_cjk_punctuation(next) {
        return true;
    }
    match before {
        Before::Whitespace | Before::Ideographic => true,
        Before::Char(prev) => prev.is_whitespace() || is_non_cjk_punctuation(prev) || is_cjk(prev),
    }
}

/// Right-flanking: (1) not preceded by whitespace, and (2a) not preceded by
/// non-CJK punctuation, or (2b) preceded by it and followed by whitespace, non-CJK
/// punctuation or a CJK character. The end of the line counts as whitespace.
pub(crate) fn star_is_right_flanking(before: Before, next: Option<char>) -> bool {
    let prev = match before {
        Before::Whitespace => return false,
        Before::Ideographic => return true,
        Before::Char(prev) if prev.is_whitespace() => return false,
        Before::Char(prev) => prev,
    };
    if !is_non_cjk_punctuation(prev) {
        return true;
    }
    match next {
        None => true,
        Some(next) => next.is_whitespace() || is_non_cjk_punctuation(next) || is_cjk(next),
    }
}
