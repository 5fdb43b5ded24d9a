//! How search text becomes terms. The browser client (`themes/default/static/search.js`)
//! implements exactly the same steps, and one file of test vectors
//! (`tests/search/vectors.json`) runs against both, because a query only finds what
//! the build indexed if both sides cut text into the same terms.
//!
//! 1. Normalize: NFKC (full-width ＩＤ → ID, half-width ｶﾀｶﾅ → カタカナ), then lowercase.
//! 2. Split into runs: CJK characters (kana, kanji, hangul), word characters (letters,
//!    digits and combining marks of other scripts), and separators (everything else).
//! 3. A word run becomes its English (Porter) stem; a CJK run becomes its overlapping
//!    bigrams and then its last character alone, so that every character of the run
//!    starts a term: a one-character query is the union of the terms that start with it
//!    (「図」 → 図; 「暗証番号」 → 暗証, 証番, 番号, 号). A hit on bigrams is confirmed
//!    against the text, so a query matches only where it is written as typed.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then lowercase.
pub fn normalize(text: &str) -> String {
    lowercase(&text.nfkc().collect::<String>())
}

/// `str::to_lowercase`, quicker on Japanese text: kana, kanji and CJK punctuation
/// (U+3000–U+9FFF) have no lowercase, which the standard library finds out for each
/// by a search in its case tables.
pub fn lowercase(text: &str) -> String {
    // The standard library lowercases a final sigma as ς, by looking at its neighbours.
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Characters that stay as they are, from `kept` to `at`, are copied as one slice.
    let (mut kept, mut at) = (0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'A'..=b'Z' => {}
            0..=0x7F => {
                at += 1;
                continue;
            }
            // The lead bytes of U+3000–U+9FFF, three bytes each.
            0xE3..=0xE9 => {
                at += 3;
                continue;
            }
            _ => {}
        }
        let c = text[at..].chars().next().expect("a character starts here");
        let mut lower = c.to_lowercase();
        if lower.len() == 1 && lower.next() == Some(c) {
            at += c.len_utf8();
            continue;
        }
        out.push_str(&text[kept..at]);
        out.extend(c.to_lowercase());
        at += c.len_utf8();
        kept = at;
    }
    out.push_str(&text[kept..]);
    out
}

/// Capitals whose lowercase the word pattern's tables (an older Unicode than the
/// standard library's case tables) count as letters, and not them.
const LOWERCASE_CHANGES_KIND: [char; 2] = ['\u{A7D2}', '\u{A7D4}'];

/// Whether `text` may cut into other runs than its lowercase does ([`lowercase`] cuts
/// the same runs otherwise): it has a capital of [`LOWERCASE_CHANGES_KIND`], or a
/// capital sigma, whose lowercase depends on its neighbours in and outside a word.
pub fn lowercase_may_change_kinds(text: &str) -> bool {
    // The first bytes of Σ and of U+A000–U+AFFF, which Japanese text never has.
    memchr::memchr2_iter(0xCE, 0xEA, text.as_bytes()).any(|at| {
        let c = text[at..].chars().next().expect("a character starts at a lead byte");
        c == 'Σ' || LOWERCASE_CHANGES_KIND.contains(&c)
    })
}

/// Kana, kanji, hangul and the marks that belong to them (々, ー).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007
        | 0x3041..=0x3096
        | 0x309D..=0x309F
        | 0x30A1..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3134F
        | 0x1100..=0x11FF
        | 0x3130..=0x318F
        | 0xAC00..=0xD7A3)
}

static WORD_CHAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{L}\p{N}\p{M}]$").expect("valid pattern"));

/// [`is_word_char`] as the client's pattern defines it, one regex match a character.
fn matches_word_char(c: char) -> bool {
    let mut buffer = [0u8; 4];
    !is_cjk(c) && WORD_CHAR.is_match(c.encode_utf8(&mut buffer))
}

static WORD_CHARS: CharTable = CharTable::new(matches_word_char);

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    WORD_CHARS.get(c)
}

/// A property of characters answered from a table per block of 256 characters of the
/// Basic Multilingual Plane, each block's made the first time one of its characters
/// is asked about: text uses few blocks, and an index asks millions of times what a
/// regex or the normalization tables would answer many times slower.
pub struct CharTable<T: 'static = bool> {
    property: fn(char) -> T,
    blocks: [OnceLock<[T; 256]>; 256],
}

impl<T: Copy + Default> CharTable<T> {
    pub const fn new(property: fn(char) -> T) -> CharTable<T> {
        CharTable { property, blocks: [const { OnceLock::new() }; 256] }
    }

    #[inline]
    pub fn get(&self, c: char) -> T {
        let code = u32::from(c);
        let Some(block) = self.blocks.get((code >> 8) as usize) else {
            return (self.property)(c);
        };
        let table = block.get_or_init(|| {
            let first = code & !0xFF;
            std::array::from_fn(|i| char::from_u32(first + i as u32).map_or_else(T::default, self.property))
        });
        table[(code & 0xFF) as usize]
    }
}

/// A run of normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    Word(String),
    Cjk(String),
}

/// Where the word and CJK runs of normalized text are, as (is CJK, byte range);
/// separators fall between them.
fn spans(normalized: &str) -> Vec<(bool, Range<usize>)> {
    let mut out = Vec::new();
    let mut open: Option<(bool, usize)> = None;
    for (i, c) in normalized.char_indices() {
        let kind = kind_of(c);
        if let Some((cjk, start)) = open.filter(|(cjk, _)| Some(*cjk) != kind) {
            out.push((cjk, start..i));
            open = None;
        }
        if open.is_none() {
            open = kind.map(|cjk| (cjk, i));
        }
    }
    if let Some((cjk, start)) = open {
        out.push((cjk, start..normalized.len()));
    }
    out
}

/// [`kind_of`] of characters outside ASCII, from a table.
static KINDS: CharTable<Option<bool>> = CharTable::new(kind_of);

/// `Some(true)` for a CJK character, `Some(false)` for a word character, `None` for
/// a separator; ASCII asked first, as most separators and much text are.
fn kind_of(c: char) -> Option<bool> {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric().then_some(false);
    }
    if is_cjk(c) {
        Some(true)
    } else if is_word_char(c) {
        Some(false)
    } else {
        None
    }
}

/// Cuts normalized text into word and CJK runs, dropping separators.
pub fn runs(normalized: &str) -> Vec<Run> {
    spans(normalized)
        .into_iter()
        .map(|(cjk, range)| {
            let text = normalized[range].to_string();
            if cjk { Run::Cjk(text) } else { Run::Word(text) }
        })
        .collect()
}

/// A piece of normalized text that becomes one index term: a word (the term is its
/// stem) or a CJK bigram or run end (the term is the piece itself), with its one or
/// two characters as one number, 21 bits a character (`first << 21 | second`), made
/// as the run is read: an index hashes millions of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Word(&'a str),
    Cjk(CjkTerm<'a>, u64),
}

/// A CJK term as where it stands in the text, sliced only when asked for: most of a
/// run's bigrams are known by their number already, and checking both ends of a
/// slice for every bigram of Japanese text cost a build nearly 1 % of its
/// instructions.
#[derive(Clone, Copy)]
pub struct CjkTerm<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl<'a> CjkTerm<'a> {
    pub fn as_str(self) -> &'a str {
        &self.text[self.start..self.end]
    }
}

impl PartialEq for CjkTerm<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for CjkTerm<'_> {}

impl std::fmt::Debug for CjkTerm<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Calls `f` with each piece of the text in order, as slices of it: an index walks
/// millions, and allocates only for the words it has not stemmed yet. One pass that
/// reads each character once: what [`runs`] cuts, and each CJK run's bigrams as it
/// goes.
pub fn for_each_piece<'a>(normalized: &'a str, f: &mut impl FnMut(Piece<'a>)) {
    let bytes = normalized.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let (c, width, kind) = char_at(normalized, at);
        let start = at;
        at += width;
        match kind {
            None => {}
            Some(false) => {
                at = word_end(normalized, at);
                f(Piece::Word(&normalized[start..at]));
            }
            Some(true) => {
                let (mut last, mut start) = (c, start);
                while let Some((c, width)) = cjk_at(normalized, at) {
                    let key = (u64::from(u32::from(last)) << 21) | u64::from(u32::from(c));
                    f(Piece::Cjk(CjkTerm { text: normalized, start, end: at + width }, key));
                    (last, start) = (c, at);
                    at += width;
                }
                f(Piece::Cjk(CjkTerm { text: normalized, start, end: at }, u64::from(u32::from(last))));
            }
        }
    }
}

/// The character at byte `at`, its width and its kind ([`kind_of`]).
#[inline(always)]
fn char_at(text: &str, at: usize) -> (char, usize, Option<bool>) {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        return (char::from(b), 1, ASCII_WORD[usize::from(b)].then_some(false));
    }
    let c = text[at..].chars().next().expect("a character starts here");
    (c, c.len_utf8(), KINDS.get(c))
}

/// Where the word run that goes on at byte `at` ends: ASCII letters and digits are
/// stepped over a byte at a time, and most words are only those.
#[inline]
fn word_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let b = bytes[at];
        if ASCII_WORD[usize::from(b)] {
            at += 1;
        } else if b.is_ascii() {
            break;
        } else {
            match char_at(text, at) {
                (_, width, Some(false)) => at += width,
                _ => break,
            }
        }
    }
    at
}

/// The CJK character at byte `at`, if one is there, and its width.
#[inline]
fn cjk_at(text: &str, at: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(at) {
        Some(b) if !b.is_ascii() => match char_at(text, at) {
            (c, width, Some(true)) => Some((c, width)),
            _ => None,
        },
        _ => None,
    }
}

/// Which bytes are ASCII letters and digits, the word characters of ASCII.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The index terms of normalized text: word stems, CJK bigrams and run ends.
pub fn index_terms(normalized: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_piece(normalized, &mut |piece| {
        terms.push(match piece {
            Piece::Word(word) => stem(word),
            Piece::Cjk(term, _) => term.as_str().to_string(),
        })
    });
    terms
}

/// The English stem of a lowercase word (Porter, 1980). Words with anything but
/// a–z are left as they are.
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = Stemmer { b: word.as_bytes().to_vec() };
    w.step1a();
    w.step1b();
    w.step1c();
    w.step2();
    w.step3();
    w.step4();
    w.step5();
    String::from_utf8(w.b).expect("ASCII in, ASCII out")
}

struct Stemmer {
    b: Vec<u8>,
}

impl Stemmer {
    fn is_consonant(&self, i: usize) -> bool {
        match self.b[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !self.is_consonant(i - 1),
            _ => true,
        }
    }

    /// Porter's m: the number of vowel–consonant sequences in the first `len` letters.
    fn measure(&self, len: usize) -> usize {
        let mut m = 0;
        let mut i = 0;
        while i < len && self.is_consonant(i) {
            i += 1;
        }
        loop {
            while i < len && !self.is_consonant(i) {
                i += 1;
            }
            if i >= len {
                return m;
            }
            while i < len && self.is_consonant(i) {
                i += 1;
            }
            m += 1;
        }
    }

    fn has_vowel(&self, len: usize) -> bool {
        (0..len).any(|i| !self.is_consonant(i))
    }

    fn ends_double_consonant(&self, len: usize) -> bool {
        len >= 2 && self.b[len - 1] == self.b[len - 2] && self.is_consonant(len - 1)
    }

    /// consonant–vowel–consonant at the end, the last not w, x or y.
    fn ends_cvc(&self, len: usize) -> bool {
        len >= 3
            && self.is_consonant(len - 3)
            && !self.is_consonant(len - 2)
            && self.is_consonant(len - 1)
            && !matches!(self.b[len - 1], b'w' | b'x' | b'y')
    }

    fn ends_with(&self, suffix: &str) -> bool {
        self.b.ends_with(suffix.as_bytes())
    }

    fn stem_len(&self, suffix: &str) -> usize {
        self.b.len() - suffix.len()
    }

    fn replace_end(&mut self, suffix: &str, with: &str) {
        let len = self.stem_len(suffix);
        self.b.truncate(len);
        self.b.extend_from_slice(with.as_bytes());
    }

    /// Replaces the longest matching suffix of `rules` when the stem's measure is
    /// above `min_measure`; only the longest match is considered.
    fn longest_rule(&mut self, rules: &[(&str, &str)], min_measure: usize) {
        let longest = rules.iter().filter(|(s, _)| self.ends_with(s)).max_by_key(|(s, _)| s.len());
        if let Some((suffix, with)) = longest
            && self.measure(self.stem_len(suffix)) > min_measure
        {
            self.replace_end(suffix, with);
        }
    }

    fn step1a(&mut self) {
        if self.ends_with("sses") {
            self.replace_end("sses", "ss");
        } else if self.ends_with("ies") {
            self.replace_end("ies", "i");
        } else if self.ends_with("ss") {
        } else if self.ends_with("s") {
            self.replace_end("s", "");
        }
    }

    fn step1b(&mut self) {
        if self.ends_with("eed") {
            if self.measure(self.stem_len("eed")) > 0 {
                self.replace_end("eed", "ee");
            }
            return;
        }
        let removed = ["ed", "ing"].into_iter().find(|s| self.ends_with(s) && self.has_vowel(self.stem_len(s)));
        let Some(suffix) = removed else { return };
        self.replace_end(suffix, "");
        let len = self.b.len();
        if self.ends_with("at") || self.ends_with("bl") || self.ends_with("iz") {
            self.b.push(b'e');
        } else if self.ends_double_consonant(len) && !matches!(self.b[len - 1], b'l' | b's' | b'z') {
            self.b.pop();
        } else if self.measure(len) == 1 && self.ends_cvc(len) {
            self.b.push(b'e');
        }
    }

    fn step1c(&mut self) {
        if self.ends_with("y") && self.has_vowel(self.stem_len("y")) {
            self.replace_end("y", "i");
        }
    }

    fn step2(&mut self) {
        self.longest_rule(
            &[
                ("ational", "ate"),
                ("tional", "tion"),
                ("enci", "ence"),
                ("anci", "ance"),
                ("izer", "ize"),
                ("abli", "able"),
                ("alli", "al"),
                ("entli", "ent"),
                ("eli", "e"),
                ("ousli", "ous"),
                ("ization", "ize"),
                ("ation", "ate"),
                ("ator", "ate"),
                ("alism", "al"),
                ("iveness", "ive"),
                ("fulness", "ful"),
                ("ousness", "ous"),
                ("aliti", "al"),
                ("iviti", "ive"),
                ("biliti", "ble"),
            ],
            0,
        );
    }

    fn step3(&mut self) {
        self.longest_rule(
            &[
                ("icate", "ic"),
                ("ative", ""),
                ("alize", "al"),
                ("iciti", "ic"),
                ("ical", "ic"),
                ("ful", ""),
                ("ness", ""),
            ],
            0,
        );
    }

    fn step4(&mut self) {
        const SUFFIXES: &[&str] = &[
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
            "iti", "ous", "ive", "ize",
        ];
        let Some(suffix) = SUFFIXES.iter().filter(|s| self.ends_with(s)).max_by_key(|s| s.len()) else { return };
        let len = self.stem_len(suffix);
        let allowed = *suffix != "ion" || (len > 0 && matches!(self.b[len - 1], b's' | b't'));
        if allowed && self.measure(len) > 1 {
            self.b.truncate(len);
        }
    }

    fn step5(&mut self) {
        if self.ends_with("e") {
            let len = self.stem_len("e");
            let m = self.measure(len);
            if m > 1 || (m == 1 && !self.ends_cvc(len)) {
                self.b.pop();
            }
        }
        let len = self.b.len();
        if self.measure(len) > 1 && self.ends_double_consonant(len) && self.b[len - 1] == b'l' {
            self.b.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn a_cjk_piece_carries_its_characters_as_one_number() {
        let mut pieces = Vec::new();
        for_each_piece("暗証番号 と カナ x 𠮷野家 ー", &mut |piece| pieces.push(piece));
        let mut cjk = 0;
        for piece in pieces {
            if let Piece::Cjk(term, key) = piece {
                let term = term.as_str();
                let expected = term.chars().fold(0, |key, c| (key << 21) | u64::from(u32::from(c)));
                assert_eq!(key, expected, "{term}");
                cjk += 1;
            }
        }
        assert_eq!(cjk, 4 + 1 + 2 + 3 + 1, "暗証 証番 番号 号, と, カナ ナ, 𠮷野 野家 家, ー");
    }

    /// The vectors shared with the browser client's tests.
    fn vectors() -> Value {
        serde_json::from_str(include_str!("../../../tests/search/vectors.json")).expect("valid vectors")
    }

    fn pairs(value: &Value) -> Vec<(String, Value)> {
        value.as_array().unwrap().iter().map(|p| (p[0].as_str().unwrap().to_string(), p[1].clone())).collect()
    }

    #[test]
    fn normalization_vectors() {
        for (input, expected) in pairs(&vectors()["normalize"]) {
            assert_eq!(normalize(&input), expected.as_str().unwrap(), "normalize({input:?})");
        }
    }

    #[test]
    fn stem_vectors() {
        for (word, expected) in pairs(&vectors()["stem"]) {
            assert_eq!(stem(&word), expected.as_str().unwrap(), "stem({word:?})");
        }
    }

    #[test]
    fn index_term_vectors() {
        for (input, expected) in pairs(&vectors()["terms"]) {
            let expected: Vec<String> = serde_json::from_value(expected).unwrap();
            assert_eq!(index_terms(&normalize(&input)), expected, "terms({input:?})");
        }
    }

    #[test]
    fn the_word_character_table_answers_as_the_pattern_does() {
        for code in (0x80..0x3_0000).step_by(7).chain(0x3000..0x3100).chain(0xFF00..0xFFF0) {
            if let Some(c) = char::from_u32(code) {
                assert_eq!(is_word_char(c), matches_word_char(c), "U+{code:04X}");
            }
        }
        assert!(is_word_char('é') && is_word_char('\u{302A}') && !is_word_char('」') && !is_word_char('、'));
    }

    #[test]
    fn run_vectors() {
        for (input, expected) in pairs(&vectors()["runs"]) {
            let got: Vec<Vec<String>> = runs(&normalize(&input))
                .into_iter()
                .map(|r| match r {
                    Run::Word(w) => vec!["word".to_string(), w],
                    Run::Cjk(c) => vec!["cjk".to_string(), c],
                })
                .collect();
            let expected: Vec<Vec<String>> = serde_json::from_value(expected).unwrap();
            assert_eq!(got, expected, "runs({input:?})");
        }
    }

    #[test]
    fn lowercase_is_the_standard_librarys() {
        for c in '\u{3000}'..='\u{9FFF}' {
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lowercase");
        }
        for text in ["ＩＤ ID Äpfel ΟΔΟΣ ΣΑ Σ aΣ İstanbul ǅ Ⅻ ⓐⒶ 暗証番号をクリック ＡＢＣ ÀÉÎ", "ΜΑΣ. ΌΣΟΣ, ΣΣ Σa", ""]
        {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
        let every: String = (0..0x11000).filter_map(char::from_u32).filter(|&c| c != 'Σ').collect();
        assert_eq!(lowercase(&every), every.to_lowercase());
    }

    /// The pieces of each run as [`runs`] cuts them: a word whole, a CJK run as its
    /// bigrams and its last character.
    fn pieces_of_runs(text: &str) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        for (cjk, range) in spans(text) {
            let run = &text[range.clone()];
            if !cjk {
                pieces.push(Piece::Word(run));
                continue;
            }
            let chars: Vec<(usize, char)> = run.char_indices().collect();
            for pair in chars.windows(2) {
                let ((start, first), (next, second)) = (pair[0], pair[1]);
                let key = (u64::from(u32::from(first)) << 21) | u64::from(u32::from(second));
                pieces.push(Piece::Cjk(CjkTerm { text: run, start, end: next + second.len_utf8() }, key));
            }
            let (start, last) = *chars.last().expect("a run has a character");
            pieces.push(Piece::Cjk(CjkTerm { text: run, start, end: run.len() }, u64::from(u32::from(last))));
        }
        pieces
    }

    #[test]
    fn pieces_are_the_runs_bigrams_and_words() {
        let texts = [
            "",
            "暗証番号",
            "図",
            "「暗証番号」欄にabcを入力し、［次へ］をクリック。",
            "ＩＤ id2 café naïve 번호입력 x",
            "a番b号c 々ー ー",
            "  trailing space 語  ",
            "\u{20000}\u{20001}𠀂 mixed𠀃word",
        ];
        for text in texts {
            let mut pieces = Vec::new();
            for_each_piece(text, &mut |piece| pieces.push(piece));
            assert_eq!(pieces, pieces_of_runs(text), "{text:?}");
        }
        // Every kind of character next to every other, from a few of each.
        let sample = ['a', 'Z', '9', ' ', '、', 'é', 'ß', '\u{301}', 'あ', 'ー', '漢', '가', '𠀀', '!', '\u{A7D3}'];
        for a in sample {
            for b in sample {
                for c in sample {
                    let text: String = [a, b, c, a].iter().collect();
                    let mut pieces = Vec::new();
                    for_each_piece(&text, &mut |piece| pieces.push(piece));
                    assert_eq!(pieces, pieces_of_runs(&text), "{text:?}");
                }
            }
        }
    }

    /// What the index relies on to lowercase only words, one at a time: text and its
    /// lowercase cut into the same runs, unless it has a character of
    /// [`LOWERCASE_CHANGES_KIND`].
    #[test]
    fn lowercasing_keeps_each_character_a_word_cjk_or_separator_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let kind = kind_of(c);
            if kind == Some(true) {
                assert!(c.to_lowercase().eq([c]), "CJK {c:?} has a lowercase");
            }
            let keeps_kind = c.to_lowercase().all(|lower| kind_of(lower) == kind);
            assert_eq!(keeps_kind, !LOWERCASE_CHANGES_KIND.contains(&c), "{c:?}");
            assert_eq!(lowercase_may_change_kinds(&format!("ab {c} 番号")), !keeps_kind || c == 'Σ', "{c:?}");
        }
    }
}
