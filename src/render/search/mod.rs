//! The search index, one per language, split into shards so that a query loads only
//! what it needs: at thousands of pages one file would be megabytes.
//!
//! Every file is a script that registers itself in `window.tejunSearchIndex` under its
//! name, loaded by a plain `<script>` element, so search works over HTTP and from
//! `file://` alike (no fetch). Beside `searchindex.LANG.js` (a variant's manual has
//! its own, in its folder, see [`index_path`]):
//!
//! - `searchindex.LANG.js`, the first load, tiny: how many term shards there are and
//!   the first entry of each entry shard.
//! - `searchindex.LANG.tN.js`, term shards: the inverted index, term → the entries that
//!   hold it ([`encode_postings`]). A term's shard is a hash of its key ([`shard_of`]): a
//!   word's stem, or the first character of a CJK term, so that every term starting
//!   with one character is in one shard and a one-character query loads one shard —
//!   and the shards its terms' references point into, unless the shard holds their
//!   union under `*` and the character ([`PREFIX_UNION_SPREAD`]).
//! - `searchindex.LANG.eN.js`, entry shards: consecutive entries with their pages,
//!   anchors, step numbers, titles and text, loaded only for the results shown and for
//!   the CJK hits to confirm.
//!
//! One entry per step (its title, body and result), per page introduction and per
//! section. The entries keep their text (NFKC-normalized, not lowercased) because the
//! client confirms CJK hits against it and cuts snippets from it. The postings mark
//! which entries hold the term in their title, so ranking (title matches first, then
//! reading order) needs no text.
//!
//! The text comes from the model, not from rendered HTML, so references read as the
//! reader sees them (「手順 7」).

pub mod tokenize;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::Diagnostic;
use crate::model::{Block, Inline, Language, Manual, Page, PageId, ruby_annotation};
use crate::output::Sink;
use crate::render::markdown::{reference_text, soft_break_is_nothing};
use crate::render::sanitize;

/// About how many bytes of encoded postings a term shard holds: the number of shards
/// is the total over this, so it grows with the manual.
const TERM_SHARD_BYTES: usize = 32_000;
/// A character whose terms' postings lie behind references in this many other term
/// shards gets the union of them, under [`UNION_MARK`] and the character, in its own
/// shard: 「を」 at 2,000 pages loaded nine shards. Few characters reach it (particles),
/// and their unions, dense, compress well.
const PREFIX_UNION_SPREAD: usize = 5;
/// What the key of a character's union starts with: no term starts with it.
const UNION_MARK: char = '*';
/// About how many characters of titles and text an entry shard holds. Small, because
/// the results shown may each be in a shard of their own; large enough to compress
/// well. Characters, not bytes: what gzip makes of a character is much the same in
/// any script, while UTF-8 spends three bytes on a kanji.
const ENTRY_SHARD_CHARS: usize = 28_000;

/// What every step's anchor starts with; left out of the entry shards.
const STEP_ANCHOR: &str = "step-";

/// The first file of a language's index, the one the search box names, inside the
/// output folder; each variant's manual has its own, in its folder. The shards are
/// beside it: the same name with `.tN` or `.eN` before `.js`.
pub fn index_path(manual: &Manual, lang: &str) -> String {
    format!("{}searchindex.{lang}.js", manual.edition.prefix)
}

/// Writes every language's index.
pub fn render(manual: &Manual, sink: &dyn Sink) -> Result<(), Diagnostic> {
    manual.languages.par_iter().try_for_each(|language| render_language(manual, language, sink))
}

/// Writes the index of one language.
pub fn render_language(manual: &Manual, language: &Language, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let index = build_index(manual, &language.code, &language.reading_order);
    let base = index_path(manual, &language.code);
    let base = base.strip_suffix(".js").expect("the index path ends in .js");
    index.each_file(&language.code).try_for_each(|(name, script)| {
        let path = format!("{base}{name}.js");
        sink.write(&path, script.as_bytes()).map_err(|e| Diagnostic::error("io", format!("cannot write {path}: {e}")))
    })
}

/// One searchable entry: (page number, step number or 0, anchor, title, text).
#[derive(Debug, Serialize, PartialEq)]
pub struct Entry(pub usize, pub u32, pub String, pub String, pub String);

/// An entry that holds a term: its number, and whether the term is in its title, in
/// one number (`number << 1 | in title`). An index holds millions; as a pair each
/// took twice the memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting(u32);

impl Posting {
    pub fn new(entry: u32, in_title: bool) -> Posting {
        Posting((entry << 1) | u32::from(in_title))
    }

    pub fn entry(self) -> u32 {
        self.0 >> 1
    }

    pub fn in_title(self) -> bool {
        self.0 & 1 == 1
    }
}

#[derive(Debug)]
pub struct SearchIndex {
    /// (page path inside the language folder, page title).
    pub pages: Vec<(String, String)>,
    pub docs: Vec<Entry>,
    /// Term → the numbers of the entries that hold it, each with whether it is in the
    /// entry's title.
    pub terms: BTreeMap<String, Vec<Posting>>,
}

/// The first load: what the client needs to find the shards.
#[derive(Serialize)]
struct Manifest {
    /// The number of entries.
    entries: usize,
    /// The number of term shards.
    terms: usize,
    /// The first entry of each entry shard.
    shards: Vec<usize>,
}

/// An entry shard: consecutive entries, column by column, and their pages.
#[derive(Serialize)]
struct EntryShard<'a> {
    /// The number of the first entry.
    first: usize,
    /// The number of the first page, and the pages of the entries from there on.
    page: usize,
    pages: &'a [(String, String)],
    /// Per entry: its page, counted from `page`; its step number (0 for a page or
    /// section); its anchor, a step's without the `step-` every step's has; its
    /// title; its text.
    p: Vec<usize>,
    s: Vec<u32>,
    a: Vec<&'a str>,
    t: Vec<&'a str>,
    x: Vec<&'a str>,
}

impl SearchIndex {
    /// Every file of the index, as (name between `searchindex.LANG` and `.js`, script):
    /// `""` for the first load, `.tN` and `.eN` for the shards.
    pub fn files(&self, lang: &str) -> Vec<(String, String)> {
        self.each_file(lang).collect()
    }

    /// [`SearchIndex::files`] made in parallel, each as it is wanted: a language's
    /// index is what a build finishes with, and the shards written one by one kept the
    /// other core waiting; all made before any was written, they were the build's
    /// largest allocation but the model.
    fn each_file<'s>(&'s self, lang: &'s str) -> impl IndexedParallelIterator<Item = (String, String)> + 's {
        let term_shards = self.term_shards();
        let entry_shards = self.entry_shards();
        let manifest = Manifest {
            entries: self.docs.len(),
            terms: term_shards.len(),
            shards: entry_shards.iter().map(|range| range.start).collect(),
        };
        let first = (String::new(), script(lang, "", &manifest));
        let terms = term_shards.into_par_iter().enumerate().map(move |(n, shard)| {
            let name = format!(".t{n}");
            let script = script_with(lang, &name, |out| write_term_shard(&shard, out));
            (name, script)
        });
        let entries = entry_shards.into_par_iter().enumerate().map(move |(n, range)| {
            let name = format!(".e{n}");
            let script = script_with(lang, &name, |out| self.entry_shard(range).write_json(out));
            (name, script)
        });
        rayon::iter::once(first).chain(terms).chain(entries)
    }

    /// The term shards: each term's postings, or a reference `=TERM` to a term with
    /// the same postings (the bigrams of one word often have the same), in the shard
    /// [`shard_of`] says; and the unions [`SearchIndex::prefix_unions`] makes.
    fn term_shards(&self) -> Vec<BTreeMap<Cow<'_, str>, String>> {
        self.term_shards_with(PREFIX_UNION_SPREAD)
    }

    fn term_shards_with(&self, union_spread: usize) -> Vec<BTreeMap<Cow<'_, str>, String>> {
        let encoded: Vec<(&str, String)> =
            self.terms.par_iter().map(|(term, docs)| (term.as_str(), encode_postings(docs))).collect();
        // Fx: SipHash over every term's postings, megabytes of them, showed.
        let mut first_with: FxHashMap<&str, &str> = FxHashMap::default();
        let mut values = Vec::with_capacity(encoded.len());
        let mut bytes = 0;
        for (term, postings) in &encoded {
            let canonical = *first_with.entry(postings.as_str()).or_insert(term);
            let value = if canonical != *term && canonical.len() + 1 < postings.len() {
                format!("={canonical}")
            } else {
                postings.clone()
            };
            bytes += term.len() + value.len() + 6;
            values.push((*term, value));
        }
        let count = bytes.div_ceil(TERM_SHARD_BYTES).max(1);
        let unions = self.prefix_unions(&values, count, union_spread);
        let mut shards = vec![BTreeMap::new(); count];
        for (term, value) in values {
            shards[shard_of(term, count)].insert(Cow::Borrowed(term), value);
        }
        for (character, union) in unions {
            let shard = shard_of(character.encode_utf8(&mut [0; 4]), count);
            shards[shard].insert(Cow::Owned(format!("{UNION_MARK}{character}")), union);
        }
        shards
    }

    /// For each CJK character whose terms (`values`, in order) refer into
    /// `union_spread` other shards or more: the union of their postings, which the
    /// client takes for a one-character query instead of loading those shards.
    fn prefix_unions(&self, values: &[(&str, String)], count: usize, union_spread: usize) -> Vec<(char, String)> {
        let mut unions = Vec::new();
        for group in values.chunk_by(|(a, _), (b, _)| a.chars().next() == b.chars().next()) {
            let Some(character) = group[0].0.chars().next().filter(|&c| tokenize::is_cjk(c)) else { continue };
            let own = shard_of(group[0].0, count);
            let others: BTreeSet<usize> = group
                .iter()
                .filter_map(|(_, value)| value.strip_prefix('='))
                .map(|canonical| shard_of(canonical, count))
                .filter(|&shard| shard != own)
                .collect();
            if others.len() < union_spread {
                continue;
            }
            let mut docs: BTreeMap<u32, bool> = BTreeMap::new();
            for (term, _) in group {
                for posting in &self.terms[*term] {
                    *docs.entry(posting.entry()).or_default() |= posting.in_title();
                }
            }
            let union: Vec<Posting> = docs.into_iter().map(|(doc, in_title)| Posting::new(doc, in_title)).collect();
            unions.push((character, encode_postings(&union)));
        }
        unions
    }

    /// The entry shards, as ranges of entry numbers of about [`ENTRY_SHARD_CHARS`]
    /// of titles and text each.
    fn entry_shards(&self) -> Vec<std::ops::Range<usize>> {
        let mut shards = Vec::new();
        let counts: Vec<usize> = self
            .docs
            .par_iter()
            .map(|Entry(_, _, _, title, text)| title.chars().count() + text.chars().count())
            .collect();
        let (mut start, mut chars) = (0, 0);
        for (n, count) in counts.into_iter().enumerate() {
            chars += count;
            if chars >= ENTRY_SHARD_CHARS {
                shards.push(start..n + 1);
                (start, chars) = (n + 1, 0);
            }
        }
        if start < self.docs.len() || shards.is_empty() {
            shards.push(start..self.docs.len());
        }
        shards
    }

    fn entry_shard(&self, range: std::ops::Range<usize>) -> EntryShard<'_> {
        let docs = &self.docs[range.clone()];
        let page = docs.first().map_or(0, |entry| entry.0);
        let last = docs.last().map_or(0, |entry| entry.0 + 1);
        EntryShard {
            first: range.start,
            page,
            pages: &self.pages[page..last.max(page)],
            p: docs.iter().map(|entry| entry.0 - page).collect(),
            s: docs.iter().map(|entry| entry.1).collect(),
            a: docs
                .iter()
                .map(|entry| entry.2.strip_prefix(STEP_ANCHOR).filter(|_| entry.1 > 0).unwrap_or(&entry.2))
                .collect(),
            t: docs.iter().map(|entry| entry.3.as_str()).collect(),
            x: docs.iter().map(|entry| entry.4.as_str()).collect(),
        }
    }
}

/// `window.tejunSearchIndex["LANG.NAME"]=JSON;`, the way every file of the index
/// registers itself (the first load as plain `"LANG"`).
fn script(lang: &str, name: &str, value: &impl Serialize) -> String {
    script_with(lang, name, |out| out.push_str(&serde_json::to_string(value).expect("the index serializes")))
}

/// [`script`] with the JSON written by `json` into the script itself: an entry shard's
/// text is most of the index, and copying it from a string of its own showed.
fn script_with(lang: &str, name: &str, json: impl FnOnce(&mut String)) -> String {
    let key = serde_json::to_string(&format!("{lang}{name}")).expect("a string serializes");
    let mut out = format!("window.tejunSearchIndex=window.tejunSearchIndex||{{}};window.tejunSearchIndex[{key}]=");
    json(&mut out);
    out.push_str(";\n");
    out
}

impl EntryShard<'_> {
    /// The shard as `serde_json` writes it (a test holds them equal), written here:
    /// the entries' text is most of the index, and serde_json looks at every byte of
    /// it for one to escape, which this does on sixteen at a time.
    #[cfg(test)]
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// [`to_json`](Self::to_json) at the end of `out`.
    fn write_json(&self, out: &mut String) {
        let text: usize = self.pages.iter().map(|(path, title)| path.len() + title.len()).sum::<usize>()
            + self.a.iter().chain(&self.t).chain(&self.x).map(|s| s.len() + 3).sum::<usize>();
        out.reserve(text + 16 * self.p.len() + 64);
        out.push_str(&format!("{{\"first\":{},\"page\":{},\"pages\":[", self.first, self.page));
        for (i, (path, title)) in self.pages.iter().enumerate() {
            out.push_str(if i == 0 { "[" } else { ",[" });
            push_json_string(out, path);
            out.push(',');
            push_json_string(out, title);
            out.push(']');
        }
        out.push_str("],\"p\":");
        push_json_list(out, &self.p, |out, n| out.push_str(itoa::Buffer::new().format(*n)));
        out.push_str(",\"s\":");
        push_json_list(out, &self.s, |out, n| out.push_str(itoa::Buffer::new().format(*n)));
        for (key, column) in [("a", &self.a), ("t", &self.t), ("x", &self.x)] {
            out.push_str(&format!(",\"{key}\":"));
            push_json_list(out, column, |out, text| push_json_string(out, text));
        }
        out.push('}');
    }
}

/// A term shard as `serde_json` writes it (a test holds them equal), written here:
/// postings are a third of the index, and serde_json looks at each of their bytes
/// for one to escape, which [`push_json_string`] does sixteen at a time.
fn write_term_shard(shard: &BTreeMap<Cow<'_, str>, String>, out: &mut String) {
    out.reserve(shard.iter().map(|(term, value)| term.len() + value.len() + 6).sum::<usize>() + 2);
    out.push('{');
    for (i, (term, value)) in shard.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, term);
        out.push(':');
        push_json_string(out, value);
    }
    out.push('}');
}

fn push_json_list<T>(out: &mut String, items: &[T], mut push: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push(out, item);
    }
    out.push(']');
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut rest = text;
    let needs_escape = crate::source::ByteSet { below: 0x20, needles: *b"\"\\" };
    while let Some(at) = crate::source::first_of(rest.as_bytes(), needs_escape) {
        out.push_str(&rest[..at]);
        match rest.as_bytes()[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            control => out.push_str(&format!("\\u{control:04x}")),
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// The term shard (of `count`) that holds `term`: FNV-1a over the code points of its
/// key — the first character of a CJK term, a word's whole stem. The client computes
/// the same (`shardOf` in search.js).
pub fn shard_of(term: &str, count: usize) -> usize {
    let mut chars = term.chars();
    let first = chars.next();
    let key: Vec<char> = match first {
        Some(c) if tokenize::is_cjk(c) => vec![c],
        _ => term.chars().collect(),
    };
    let mut hash: u32 = 0x811c_9dc5;
    for c in key {
        hash ^= c as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % count
}

/// Builds the index of the pages of one language, in reading order.
pub fn build_index(manual: &Manual, lang: &str, pages: &[PageId]) -> SearchIndex {
    // Page by page in parallel, and joined in order.
    let per_page: Vec<((String, String), Vec<Entry>)> = pages
        .par_iter()
        .enumerate()
        .map(|(number, &id)| {
            let page = &manual.pages[id];
            let mut docs = Vec::new();
            page_entries(manual, lang, page, number, &mut docs);
            ((page.html_path(), nfkc(&page.front.title)), docs)
        })
        .collect();
    let mut page_list = Vec::with_capacity(pages.len());
    let mut docs = Vec::with_capacity(per_page.iter().map(|(_, docs)| docs.len()).sum());
    for (page, entries) in per_page {
        page_list.push(page);
        docs.extend(entries);
    }
    // Entries are NFKC-normalized already: lowercasing, word by word ([`index_run`]),
    // completes `normalize`. Runs of entries are indexed in parallel, each into a map
    // of its own, and the maps are joined in order, so every term's entries stay
    // ascending.
    let runs: Vec<FxHashMap<String, Vec<Posting>>> =
        docs.par_chunks(ENTRIES_PER_RUN).enumerate().map(|(run, entries)| index_run(run, entries)).collect();
    let mut terms: FxHashMap<String, Vec<Posting>> = FxHashMap::default();
    for run in runs {
        for (term, mut postings) in run {
            match terms.get_mut(&term) {
                Some(all) => all.append(&mut postings),
                None => {
                    terms.insert(term, postings);
                }
            }
        }
    }
    SearchIndex { pages: page_list, docs, terms: terms.into_iter().collect() }
}

/// Entries indexed together, sharing their stems. Runs of 512 stemmed each word and
/// owned each term again every 512 entries, and had their maps joined: 2 % of a
/// build's instructions more; 24 runs still keep both cores busy at 100,000 entries.
const ENTRIES_PER_RUN: usize = 4096;

/// Term → (entry, in its title) for the entries of run number `run`.
fn index_run(run: usize, entries: &[Entry]) -> FxHashMap<String, Vec<Posting>> {
    let mut terms = RunTerms::new();
    for (i, Entry(_, _, _, title, text)) in entries.iter().enumerate() {
        let doc = (run * ENTRIES_PER_RUN + i) as u32;
        for (text, in_title) in [(title, true), (text, false)] {
            // Lowercasing keeps nearly every character a word, CJK or separator
            // character, so the pieces of most text as written are those of its
            // lowercase, and only words have a case: each is lowercased the first
            // time it comes.
            if tokenize::lowercase_may_change_kinds(text) {
                let lowered = tokenize::lowercase(text);
                tokenize::for_each_piece(&lowered, &mut |piece| terms.add_lowered(piece, doc, in_title));
            } else {
                tokenize::for_each_piece(text, &mut |piece| terms.add(piece, doc, in_title));
            }
        }
    }
    terms.into_map()
}

/// The terms of a run of entries, numbered as they come: each term is hashed once per
/// occurrence — a CJK term as the number its one or two characters make, not as a
/// string — and each word stemmed once per run.
struct RunTerms<'a> {
    /// A CJK term's characters, as [`tokenize::Piece::Cjk`] gives them → its number.
    cjk: FxHashMap<u64, usize>,
    /// The last CJK term seen in each of [`RECENT_SLOTS`] slots, by its characters'
    /// hash: Japanese text comes back to its commonest bigrams (endings, particles)
    /// every few characters, and this finds them with one comparison where the map
    /// took some fifty instructions.
    recent: Box<[(u64, u32)]>,
    /// A stem → its number.
    stems: FxHashMap<String, usize>,
    /// A word as written → the number of its stem: up to eight bytes, as the number
    /// they make ([`short_word`]), which compares in one instruction; longer, as text.
    short_words: FxHashMap<u64, usize>,
    words: FxHashMap<&'a str, usize>,
    /// By term number: the term, and the entries that hold it, ascending.
    terms: Vec<Cow<'a, str>>,
    postings: Vec<Vec<Posting>>,
}

/// A word of up to eight bytes as one number, its bytes from the lowest: no byte of a
/// word is zero, so the zeros after it tell words apart.
fn short_word(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // Read as two overlapping loads that cover the word, not copied into a padded
    // array: a copy of a length known only at run time is a call to memcpy, a million
    // times. The overlap holds the same bytes in both, so or-ing them is exact.
    let number = match len {
        0 => 0,
        1..=3 => {
            let byte = |i: usize| u64::from(bytes[i]) << (8 * i);
            byte(0) | byte(len / 2) | byte(len - 1)
        }
        4..=8 => {
            let four = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes")));
            four(0) | four(len - 4) << (8 * (len - 4))
        }
        _ => return None,
    };
    Some(number)
}

/// How many CJK terms [`RunTerms::recent`] holds: 64 KB.
const RECENT_SLOTS: usize = 4096;

impl<'a> RunTerms<'a> {
    fn new() -> RunTerms<'a> {
        RunTerms {
            cjk: FxHashMap::default(),
            // No key is all ones: each is one or two characters of 21 bits.
            recent: vec![(u64::MAX, 0); RECENT_SLOTS].into_boxed_slice(),
            stems: FxHashMap::default(),
            short_words: FxHashMap::default(),
            words: FxHashMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
        }
    }

    /// A piece of text as written: its word not lowercased yet. Inlined into the
    /// tokenizer's loop, which calls it millions of times.
    #[inline(always)]
    fn add(&mut self, piece: tokenize::Piece<'a>, doc: u32, in_title: bool) {
        let number = match piece {
            tokenize::Piece::Cjk(term, key) => self.cjk_number(key, || Cow::Borrowed(term.as_str())),
            tokenize::Piece::Word(word) => self.word_number(word),
        };
        self.post(number, doc, in_title);
    }

    /// A piece of lowercased text that is not kept: its word is looked up by its
    /// stem. A CJK term has no case, and is owned as it is new.
    fn add_lowered(&mut self, piece: tokenize::Piece<'_>, doc: u32, in_title: bool) {
        let number = match piece {
            tokenize::Piece::Cjk(term, key) => self.cjk_number(key, || Cow::Owned(term.as_str().to_string())),
            tokenize::Piece::Word(word) => self.stem_number(tokenize::stem(word)),
        };
        self.post(number, doc, in_title);
    }

    fn post(&mut self, number: usize, doc: u32, in_title: bool) {
        let postings = &mut self.postings[number];
        match postings.last_mut() {
            // The title is walked first: a term found there again stays a title term.
            Some(last) if last.entry() == doc => *last = Posting::new(doc, last.in_title() | in_title),
            _ => postings.push(Posting::new(doc, in_title)),
        }
    }

    /// The number of the CJK term of `key`; `term` gives its text when it is new.
    fn cjk_number(&mut self, key: u64, term: impl FnOnce() -> Cow<'a, str>) -> usize {
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (u64::BITS - RECENT_SLOTS.ilog2())) as usize;
        if self.recent[slot].0 == key {
            return self.recent[slot].1 as usize;
        }
        let number = match self.cjk.get(&key) {
            Some(&number) => number,
            None => {
                let number = self.new_term(term());
                self.cjk.insert(key, number);
                number
            }
        };
        self.recent[slot] = (key, number as u32);
        number
    }

    /// The number of a word's stem, lowercasing and stemming the word the first time
    /// it comes as written.
    fn word_number(&mut self, word: &'a str) -> usize {
        let key = short_word(word);
        let known = match key {
            Some(key) => self.short_words.get(&key),
            None => self.words.get(word),
        };
        if let Some(&number) = known {
            return number;
        }
        let number = self.stem_number(tokenize::stem(&tokenize::lowercase(word)));
        match key {
            Some(key) => self.short_words.insert(key, number),
            None => self.words.insert(word, number),
        };
        number
    }

    fn stem_number(&mut self, stem: String) -> usize {
        match self.stems.get(&stem) {
            Some(&number) => number,
            None => {
                let number = self.new_term(Cow::Owned(stem.clone()));
                self.stems.insert(stem, number);
                number
            }
        }
    }

    fn new_term(&mut self, term: Cow<'a, str>) -> usize {
        self.terms.push(term);
        self.postings.push(Vec::new());
        self.postings.len() - 1
    }

    fn into_map(self) -> FxHashMap<String, Vec<Posting>> {
        self.terms.into_iter().map(Cow::into_owned).zip(self.postings).collect()
    }
}

fn page_entries(manual: &Manual, lang: &str, page: &Page, number: usize, docs: &mut Vec<Entry>) {
    // One title and one text buffer for all the page's entries: each entry keeps
    // only its normalized copy, made at its final length.
    let (mut title, mut text) = (String::new(), String::new());
    if let Some(description) = &page.front.description {
        text.push_str(description);
    }
    blocks_text(manual, lang, &page.intro, &mut text);
    // Footnotes are found as the page's own text, wherever they are referred to.
    for footnote in &page.footnotes {
        separate(&mut text);
        blocks_text(manual, lang, &footnote.blocks, &mut text);
    }
    docs.push(Entry(number, 0, String::new(), nfkc(&page.front.title), nfkc(text.trim())));
    for section in &page.sections {
        if let Some(heading) = &section.heading {
            title.clear();
            text.clear();
            inlines_text(manual, lang, &heading.content, &mut title);
            blocks_text(manual, lang, &section.intro, &mut text);
            docs.push(Entry(number, 0, section.anchor.clone(), nfkc(title.trim()), nfkc(text.trim())));
        }
        for step in &section.steps {
            title.clear();
            text.clear();
            blocks_text(manual, lang, &step.body, &mut text);
            if let Some(result) = &step.result_inlines {
                separate(&mut text);
                inlines_text(manual, lang, result, &mut text);
            }
            inlines_text(manual, lang, &step.title_inlines, &mut title);
            docs.push(Entry(
                number,
                step.number,
                [STEP_ANCHOR, step.id.as_str()].concat(),
                nfkc(title.trim()),
                nfkc(text.trim()),
            ));
        }
    }
}

/// A character that NFKC leaves as it is wherever it stands: text of only such
/// characters is in NFKC.
fn stays_in_nfkc(c: char) -> bool {
    unicode_normalization::is_nfkc_quick(std::iter::once(c)) == unicode_normalization::IsNormalized::Yes
        && unicode_normalization::char::canonical_combining_class(c) == 0
}

static NFKC_AS_IT_IS: tokenize::CharTable = tokenize::CharTable::new(stays_in_nfkc);

/// NFKC of `text`, composing only the stretches that need it: a character that stays
/// in NFKC ([`stays_in_nfkc`]) neither changes nor composes with what stands before
/// it, so the text can be cut before any such character and each piece normalized
/// alone. A page with a few full-width letters (ＩＤ) is then mostly copied.
fn nfkc(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `copied`: how far `out` has the text; `stable`: where the last character that
    // stays in NFKC starts, the last place a piece to normalize can start.
    let (mut copied, mut stable) = (0, 0);
    let mut at = 0;
    while at < bytes.len() {
        let (stays, width) = stays_in_nfkc_at(text, at);
        if stays {
            stable = at;
            at += width;
            continue;
        }
        let mut end = at + width;
        while end < bytes.len() {
            let (stays, width) = stays_in_nfkc_at(text, end);
            if stays {
                break;
            }
            end += width;
        }
        if text[at..end].chars().all(is_full_width_ascii) {
            // （ＩＤ）→ (ID): each its ASCII character, which composes with nothing.
            out.push_str(&text[copied..at]);
            out.extend(text[at..end].chars().filter_map(|c| char::from_u32(u32::from(c) - 0xFEE0)));
        } else {
            out.push_str(&text[copied..stable]);
            out.extend(text[stable..end].nfkc());
        }
        (copied, stable, at) = (end, end, end);
    }
    out.push_str(&text[copied..]);
    out
}

/// The full-width forms of ASCII's printable characters (U+FF01–U+FF5E), which NFKC
/// makes ASCII: Japanese text is full of （）, ＩＤ and ：.
fn is_full_width_ascii(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// Whether the character at byte `at` stays in NFKC ([`stays_in_nfkc`]), and its
/// length. ASCII and U+4000–U+9FFF (kanji: three bytes led by E4–E9) are told by
/// their first byte, without decoding.
#[inline]
fn stays_in_nfkc_at(text: &str, at: usize) -> (bool, usize) {
    match text.as_bytes()[at] {
        b if b.is_ascii() => (true, 1),
        0xE4..=0xE9 => (true, 3),
        _ => {
            let c = text[at..].chars().next().expect("a character starts here");
            (NFKC_AS_IT_IS.get(c), c.len_utf8())
        }
    }
}

fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// The text a reader sees in `blocks`, on one line.
fn blocks_text(manual: &Manual, lang: &str, blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) | Block::Plain(inlines) | Block::Heading { content: inlines, .. } => {
                separate(out);
                inlines_text(manual, lang, inlines, out);
            }
            Block::List(list) => {
                for item in &list.items {
                    blocks_text(manual, lang, &item.blocks, out);
                }
            }
            Block::Alert { blocks, .. } | Block::Quote(blocks) => blocks_text(manual, lang, blocks, out),
            Block::Definitions(items) => items.iter().for_each(|item| blocks_text(manual, lang, &item.blocks, out)),
            Block::Variant(variant) => blocks_text(manual, lang, &variant.blocks, out),
            Block::Code(code) => {
                if let Some(title) = &code.title {
                    separate(out);
                    out.push_str(title);
                }
                separate(out);
                out.push_str(code.code.trim());
            }
            Block::Table(table) => {
                if let Some(caption) = &table.caption {
                    separate(out);
                    out.push_str(&caption.text);
                }
                for cell in table.head.iter().chain(table.rows.iter().flatten()) {
                    separate(out);
                    inlines_text(manual, lang, cell, out);
                }
            }
            Block::Figure(figure) => {
                separate(out);
                out.push_str(&figure.image.alt);
                if let Some(caption) = figure.caption.as_deref().filter(|caption| *caption != figure.image.alt) {
                    separate(out);
                    out.push_str(caption);
                }
            }
            Block::Html(html) => {
                let text = sanitize::text_of(html);
                if !text.is_empty() {
                    separate(out);
                    out.push_str(&text.replace('\n', " "));
                }
            }
            Block::Rule => {}
        }
    }
}

fn inlines_text(manual: &Manual, lang: &str, inlines: &[Inline], out: &mut String) {
    // Inside a ruby's reading: what is searched is the text it annotates.
    let mut in_annotation = false;
    for (at, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Html(html) if ruby_annotation(html).is_some() => {
                in_annotation = ruby_annotation(html) == Some(true)
            }
            _ if in_annotation => {}
            // As the page shows it: a line break between Japanese characters is none.
            Inline::SoftBreak if soft_break_is_nothing(manual, lang, inlines, at) => {}
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Strong(content) | Inline::Emphasis(content) | Inline::Strikethrough(content) => {
                inlines_text(manual, lang, content, out)
            }
            Inline::Link(link) => inlines_text(manual, lang, &link.content, out),
            Inline::Ref(reference) if reference.content.is_empty() => {
                out.push_str(&reference_text(manual, lang, reference))
            }
            Inline::Ref(reference) => inlines_text(manual, lang, &reference.content, out),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            // `a<br>b` is two words on screen.
            Inline::Html(html) if html.len() <= 6 && sanitize::inline_tag(html).is_some_and(|(n, _)| n == "br") => {
                out.push(' ')
            }
            Inline::Html(_) | Inline::FootnoteRef(_) => {}
        }
    }
}

/// The digits of [`encode_postings`]: the last digit of a number is one of the first
/// 32, every digit before it one of the other 32.
const LAST_DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE_DIGITS: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Postings as one string of numbers, one per entry, without separators: the gap to
/// the previous entry (the first counted from -1), times two, plus one when the term
/// is in the entry's title; each number in base 32, most significant digit first.
/// `[(0, false), (1, true), (5, false)]` → gaps 0, 0, 3 → `"016"`.
pub fn encode_postings(docs: &[Posting]) -> String {
    // Bytes, made a string once at the end: pushed as chars, each digit was encoded
    // as UTF-8 on its own, over millions of postings.
    let mut out = Vec::with_capacity(docs.len() + 8);
    let mut next = 0;
    for posting in docs {
        let number = ((posting.entry() - next) << 1) | u32::from(posting.in_title());
        next = posting.entry() + 1;
        // One digit, the common case: the postings of a frequent term are close.
        match LAST_DIGITS.get(number as usize) {
            Some(&digit) => out.push(digit),
            None => push_number(number, &mut out),
        }
    }
    String::from_utf8(out).expect("the digits are ASCII")
}

fn push_number(n: u32, out: &mut Vec<u8>) {
    // Digit by digit from the most significant: a copy of one to three bytes called
    // memcpy, millions of times.
    let digits = (u32::BITS - n.leading_zeros()).max(1).div_ceil(5);
    for digit in (1..digits).rev() {
        out.push(MORE_DIGITS[((n >> (5 * digit)) % 32) as usize]);
    }
    out.push(LAST_DIGITS[(n % 32) as usize]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_word_is_its_bytes_from_the_lowest() {
        let padded = |word: &str| {
            let mut bytes = [0; 8];
            bytes[..word.len()].copy_from_slice(word.as_bytes());
            u64::from_le_bytes(bytes)
        };
        let text = "abcdefghi\u{e9}\u{3042}xyz";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let Some(word) = text.get(start..end) else { continue };
                let expected = (word.len() <= 8).then(|| padded(word));
                assert_eq!(short_word(word), expected, "{word:?}");
            }
        }
    }

    #[test]
    fn postings_are_gaps_with_a_title_bit_in_base_32() {
        let postings =
            |pairs: &[(u32, bool)]| pairs.iter().map(|&(doc, title)| Posting::new(doc, title)).collect::<Vec<_>>();
        assert_eq!(encode_postings(&postings(&[(0, false), (1, true), (5, false)])), "016");
        // 3 → 6; 4 → gap 0, titled → 1; 50 → gap 45 → 90 = 2·32 + 26 → "yq".
        assert_eq!(encode_postings(&postings(&[(3, false), (4, true), (50, false)])), "61yq");
        assert_eq!(encode_postings(&[]), "");
    }

    #[test]
    fn numbers_of_every_length_read_back() {
        let read = |digits: &[u8]| {
            let (last, more) = digits.split_last().unwrap();
            let value = |table: &[u8; 32], d: &u8| table.iter().position(|t| t == d).unwrap() as u32;
            more.iter().fold(0, |n, d| (n << 5) | value(MORE_DIGITS, d)) << 5 | value(LAST_DIGITS, last)
        };
        for n in [0, 1, 31, 32, 33, 1023, 1024, 1025, 32767, 32768, 1 << 25, (1 << 30) - 1, 1 << 30, u32::MAX] {
            let mut out = Vec::new();
            push_number(n, &mut out);
            assert_eq!(out.len(), (n.max(1).ilog2() / 5 + 1) as usize, "{n}");
            assert_eq!(read(&out), n, "{n}: {}", String::from_utf8_lossy(&out));
        }
    }

    #[test]
    fn entry_shards_are_written_as_serde_json_writes_them() {
        let pages = vec![
            ("a/b.html".to_string(), "「引用」と \"quotes\"".to_string()),
            ("c\\d.html".to_string(), "タブ\tと改行\n、制御文字\u{1}、\u{7f} と \u{2028}".to_string()),
        ];
        let long = "証明書".repeat(40) + "\\";
        let controls: String = (0u8..0x20).map(char::from).chain("\"\\/\u{7f}é".chars()).collect();
        let shard = EntryShard {
            first: 120,
            page: 7,
            pages: &pages,
            p: vec![0, 0, 1],
            s: vec![0, 3, 12],
            a: vec!["", "enter-pin", "節/見出し"],
            t: vec!["Title \"one\"", "", "\u{0}\u{1f} end"],
            x: vec![&long, "plain text of a step, longer than thirty-two bytes", &controls],
        };
        assert_eq!(shard.to_json(), serde_json::to_string(&shard).unwrap());
        let empty = EntryShard { first: 0, page: 0, pages: &[], p: vec![], s: vec![], a: vec![], t: vec![], x: vec![] };
        assert_eq!(empty.to_json(), serde_json::to_string(&empty).unwrap());
        let (site, _) = crate::testing::example_site();
        for manual in site.editions() {
            for language in &manual.languages {
                let index = build_index(manual, &language.code, &language.reading_order);
                for range in index.entry_shards() {
                    let shard = index.entry_shard(range);
                    assert_eq!(shard.to_json(), serde_json::to_string(&shard).unwrap());
                }
            }
        }
    }

    #[test]
    fn term_shards_are_written_as_serde_json_writes_them() {
        let shard: BTreeMap<Cow<'_, str>, String> = [("手順", "016"), ("say \"hi\"\\", "=手順"), ("\u{1}tab\t", "0")]
            .into_iter()
            .map(|(term, value)| (Cow::Borrowed(term), value.to_string()))
            .collect();
        for shard in [shard, BTreeMap::new()] {
            let mut out = String::new();
            write_term_shard(&shard, &mut out);
            assert_eq!(out, serde_json::to_string(&shard).unwrap());
        }
        let (site, _) = crate::testing::example_site();
        let manual = &site.editions()[0];
        let language = &manual.languages[0];
        for shard in build_index(manual, &language.code, &language.reading_order).term_shards() {
            let mut out = String::new();
            write_term_shard(&shard, &mut out);
            assert_eq!(out, serde_json::to_string(&shard).unwrap());
        }
    }

    /// The shard vectors shared with the browser client's tests.
    #[test]
    fn shard_vectors() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/search/vectors.json")).expect("valid vectors");
        for vector in vectors["shards"].as_array().unwrap() {
            let (term, count) = (vector[0].as_str().unwrap(), vector[1].as_u64().unwrap() as usize);
            assert_eq!(shard_of(term, count) as u64, vector[2].as_u64().unwrap(), "{vector}");
        }
    }

    /// Each entry's terms as `index_terms` gives them, title terms marked.
    fn naive_postings(entries: &[Entry]) -> BTreeMap<String, Vec<Posting>> {
        let mut terms: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        for (doc, Entry(_, _, _, title, text)) in entries.iter().enumerate() {
            let mut in_entry: BTreeMap<String, bool> = BTreeMap::new();
            for term in tokenize::index_terms(&title.to_lowercase()) {
                in_entry.insert(term, true);
            }
            for term in tokenize::index_terms(&text.to_lowercase()) {
                in_entry.entry(term).or_insert(false);
            }
            for (term, in_title) in in_entry {
                terms.entry(term).or_default().push(Posting::new(doc as u32, in_title));
            }
        }
        terms
    }

    #[test]
    fn runs_of_entries_index_every_term_of_every_entry_once() {
        let texts = [
            ("暗証番号を入力します", "「暗証番号」欄に暗証番号を入力し、［次へ］をクリックします。"),
            ("Enter the PIN", "Entering the PIN: enter it twice. Entered PINs are checked."),
            ("", "番号 number numbers 番"),
            ("Click OK", "Password パスワード password passwords"),
            ("ＩＤを確認", "PASSWORD Passwords İstanbul ΟΔΟΣ'Α ΟΔΟΣ ǅemal Ǆ"),
            ("\u{A7D2}ab", "ab\u{A7D4}cd ab"),
        ];
        // More entries than one run holds, so that runs are joined.
        let entries: Vec<Entry> = (0..ENTRIES_PER_RUN * 2 + 7)
            .map(|n| {
                let (title, text) = texts[n % texts.len()];
                Entry(n / 10, n as u32, format!("step-{n}"), title.to_string(), format!("{text} {}", n % 3))
            })
            .collect();
        let runs: Vec<_> =
            entries.chunks(ENTRIES_PER_RUN).enumerate().map(|(run, chunk)| index_run(run, chunk)).collect();
        let mut joined: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        for run in runs {
            for (term, postings) in run {
                joined.entry(term).or_default().extend(postings);
            }
        }
        let expected = naive_postings(&entries);
        assert!(expected.len() > 20 && expected.contains_key("暗証") && expected.contains_key("enter"));
        assert_eq!(joined, expected);
    }

    #[test]
    fn a_character_whose_terms_point_into_other_shards_gets_their_union() {
        // Words that always come together around 「を」, so that bigrams share postings
        // with other words' and refer to them, in other shards; enough entries for
        // several shards.
        let before = ["暗証番号", "利用者", "確認用", "口座", "電子証明書", "振込先", "取引"];
        let after = ["入力", "選択", "クリック", "押下", "確認", "登録", "変更", "削除", "表示", "印刷", "保存"];
        let entries: Vec<Entry> = (0..30_000)
            .map(|n| {
                let text = format!("{}を{}します", before[n % before.len()], after[n % after.len()]);
                Entry(n, 1, format!("step-{n}"), String::new(), text)
            })
            .collect();
        let terms = naive_postings(&entries);
        let index = SearchIndex { pages: Vec::new(), docs: entries, terms };
        let shards = index.term_shards_with(1);
        assert!(shards.len() > 1);
        let unions: Vec<(&str, usize, &String)> = shards
            .iter()
            .enumerate()
            .flat_map(|(n, shard)| {
                shard.iter().filter(|(key, _)| key.starts_with('*')).map(move |(k, v)| (k.as_ref(), n, v))
            })
            .collect();
        assert!(unions.len() > 2, "{:?}", unions.iter().map(|(key, _, _)| key).collect::<Vec<_>>());
        for (key, shard, union) in unions {
            let character = &key[1..];
            assert_eq!(shard, shard_of(character, shards.len()), "{key}");
            let mut docs: BTreeMap<u32, bool> = BTreeMap::new();
            for (_, postings) in index.terms.iter().filter(|(term, _)| term.starts_with(character)) {
                for posting in postings {
                    *docs.entry(posting.entry()).or_default() |= posting.in_title();
                }
            }
            let expected: Vec<Posting> = docs.into_iter().map(|(doc, title)| Posting::new(doc, title)).collect();
            assert_eq!(*union, encode_postings(&expected), "{key}");
        }
        // At the real spread, an index this small has none.
        assert!(index.term_shards().iter().all(|shard| shard.keys().all(|key| !key.starts_with('*'))));
    }

    #[test]
    fn text_is_normalized_as_unicode_normalization_does() {
        for text in [
            "暗証番号を入力",
            "ＩＤ",
            "ｶﾀｶﾅ",
            "が",
            "か\u{3099}",
            "e\u{301}",
            "①",
            "㍻",
            "手順　１",
            "利用者ＩＤを入力し、ｶﾞｲﾄﾞを見ます",
            "e\u{327}\u{301}x",
            "가\u{11A8}각",
            "\u{1100}\u{1161}\u{11A8}",
            "\u{301}first",
            "ﬁle ²",
        ] {
            assert_eq!(nfkc(text), text.nfkc().collect::<String>(), "{text:?}");
        }
        // Random strings over the characters that change or compose: Latin with its
        // combining marks, kana with voicing marks, half- and full-width forms, jamo.
        let pool: Vec<char> = "aeouAEOUｶｷｸﾞﾟ゙゚かきくはひＡＢ１２가각。、 \u{300}\u{301}\u{308}\u{327}\u{3099}\u{309A}①㍻ﬁ²\u{1100}\u{1161}\u{11A8}"
            .chars()
            .collect();
        let mut seed: u32 = 1;
        for _ in 0..20_000 {
            let text: String = (0..8)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    pool[(seed >> 16) as usize % pool.len()]
                })
                .collect();
            assert_eq!(nfkc(&text), text.nfkc().collect::<String>(), "{text:?}");
        }
    }

    #[test]
    fn full_width_ascii_is_its_ascii_character_in_nfkc() {
        for c in ('\u{FF01}'..='\u{FF5E}').chain(['\u{FF00}', '\u{FF5F}']) {
            let expected: String = c.to_string().nfkc().collect();
            let ascii = char::from_u32(u32::from(c) - 0xFEE0).filter(|a| a.is_ascii_graphic()).map(String::from);
            assert_eq!(is_full_width_ascii(c), ascii.as_ref() == Some(&expected), "{c:?}");
            assert_eq!(nfkc(&format!("る{c}{c}a")), format!("る{c}{c}a").nfkc().collect::<String>());
        }
    }

    #[test]
    fn every_character_whose_first_byte_says_so_stays_in_nfkc() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(stays_in_nfkc_at(&text, 0), (c.is_ascii() || stays_in_nfkc(c), text.len()), "{c:?}");
        }
    }

    #[test]
    fn a_cjk_term_is_in_the_shard_of_its_first_character() {
        assert_eq!(shard_of("暗証", 64), shard_of("暗", 64));
        assert_eq!(shard_of("anything", 1), 0);
    }
}
