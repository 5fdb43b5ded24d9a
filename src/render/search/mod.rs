//! The search index, one per language: `searchindex.LANG.js`, loaded by a plain
//! `<script>` tag so search works over HTTP and from `file://` alike.
//!
//! One entry per step (its title, body and result), per page introduction and per
//! section. The entries keep their text (NFKC-normalized, not lowercased) because the
//! client confirms CJK hits against it and cuts snippets from it; the inverted index
//! maps each term — a word stem or a CJK bigram, see [`tokenize`] — to the entries
//! that hold it, as base-36 gaps between entry numbers.
//!
//! The text comes from the model, not from rendered HTML, so references read as the
//! reader sees them (「手順 7」).

pub mod tokenize;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::Diagnostic;
use crate::model::{Block, Inline, Manual, Page, PageId};
use crate::output::Sink;
use crate::render::markdown::reference_text;

/// The file a language's index is written to, inside the output folder; each
/// variant's manual has its own, in its folder.
pub fn index_path(manual: &Manual, lang: &str) -> String {
    format!("{}searchindex.{lang}.js", manual.edition.prefix)
}

/// Writes every language's index.
pub fn render(manual: &Manual, sink: &dyn Sink) -> Result<(), Diagnostic> {
    manual.languages.par_iter().try_for_each(|language| {
        let index = build_index(manual, &language.code, &language.reading_order);
        let path = index_path(manual, &language.code);
        sink.write(&path, index.to_script(&language.code).as_bytes())
            .map_err(|e| Diagnostic::error("io", format!("cannot write {path}: {e}")))
    })
}

/// One searchable entry: (page number, step number or 0, anchor, title, text).
#[derive(Debug, Serialize, PartialEq)]
pub struct Entry(pub usize, pub u32, pub String, pub String, pub String);

#[derive(Debug, Serialize)]
pub struct SearchIndex {
    /// (page path inside the language folder, page title).
    pub pages: Vec<(String, String)>,
    pub docs: Vec<Entry>,
    /// Term → base-36 gaps between the numbers of the entries that hold it.
    pub terms: BTreeMap<String, String>,
}

impl SearchIndex {
    fn to_script(&self, lang: &str) -> String {
        let json = serde_json::to_string(self).expect("the index serializes");
        format!(
            "window.tejunSearchIndex=window.tejunSearchIndex||{{}};window.tejunSearchIndex[{}]={json};\n",
            serde_json::to_string(lang).expect("a string serializes")
        )
    }
}

/// Builds the index of the pages of one language, in reading order.
pub fn build_index(manual: &Manual, lang: &str, pages: &[PageId]) -> SearchIndex {
    let mut docs = Vec::new();
    let mut page_list = Vec::with_capacity(pages.len());
    for (number, &id) in pages.iter().enumerate() {
        let page = &manual.pages[id];
        page_list.push((page.html_path(), nfkc(&page.front.title)));
        page_entries(manual, lang, page, number, &mut docs);
    }
    let doc_terms: Vec<Vec<String>> = docs
        .par_iter()
        // Entries are NFKC-normalized already: lowercasing completes `normalize`.
        .map(|Entry(_, _, _, title, text)| tokenize::distinct_terms(&format!("{title} {text}").to_lowercase()))
        .collect();
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (doc, terms) in doc_terms.into_iter().enumerate() {
        for term in terms {
            postings.entry(term).or_default().push(doc as u32);
        }
    }
    let terms = postings.into_par_iter().map(|(term, docs)| (term, encode_gaps(&docs))).collect();
    SearchIndex { pages: page_list, docs, terms }
}

fn page_entries(manual: &Manual, lang: &str, page: &Page, number: usize, docs: &mut Vec<Entry>) {
    let mut intro = String::new();
    if let Some(description) = &page.front.description {
        intro.push_str(description);
    }
    blocks_text(manual, lang, &page.intro, &mut intro);
    docs.push(Entry(number, 0, String::new(), nfkc(&page.front.title), nfkc(intro.trim())));
    for section in &page.sections {
        if let Some(heading) = &section.heading {
            let mut title = String::new();
            inlines_text(manual, lang, &heading.content, &mut title);
            let mut text = String::new();
            blocks_text(manual, lang, &section.intro, &mut text);
            docs.push(Entry(number, 0, section.anchor.clone(), nfkc(title.trim()), nfkc(text.trim())));
        }
        for step in &section.steps {
            let mut text = String::new();
            blocks_text(manual, lang, &step.body, &mut text);
            if let Some(result) = &step.result_inlines {
                separate(&mut text);
                inlines_text(manual, lang, result, &mut text);
            }
            let mut title = String::new();
            inlines_text(manual, lang, &step.title_inlines, &mut title);
            docs.push(Entry(number, step.number, format!("step-{}", step.id), nfkc(title.trim()), nfkc(text.trim())));
        }
    }
}

fn nfkc(text: &str) -> String {
    text.nfkc().collect()
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
            Block::Variant(variant) => blocks_text(manual, lang, &variant.blocks, out),
            Block::Code { code, .. } => {
                separate(out);
                out.push_str(code.trim());
            }
            Block::Table(table) => {
                for cell in table.head.iter().chain(table.rows.iter().flatten()) {
                    separate(out);
                    inlines_text(manual, lang, cell, out);
                }
            }
            Block::Figure(figure) => {
                separate(out);
                out.push_str(&figure.image.alt);
            }
            Block::Rule | Block::Html(_) => {}
        }
    }
}

fn inlines_text(manual: &Manual, lang: &str, inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
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
            Inline::Html(_) => {}
        }
    }
}

/// `[3, 4, 10]` → `"3,1,6"` in base 36.
fn encode_gaps(docs: &[u32]) -> String {
    let mut out = String::with_capacity(docs.len() * 2);
    let mut previous = 0;
    for (i, &doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_base36(doc - previous, &mut out);
        previous = doc;
    }
    out
}

fn push_base36(mut n: u32, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buffer = [0u8; 8];
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buffer[at..]).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_base36() {
        assert_eq!(encode_gaps(&[3, 4, 10, 50]), "3,1,6,14");
        assert_eq!(encode_gaps(&[0]), "0");
    }
}
