// The browser client tokenizes exactly as the Rust indexer: the same vectors.
// Run by `cargo test` (tests/search.rs) with `node --test`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");

const search = require(path.join(__dirname, "../../themes/default/static/search.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "vectors.json"), "utf8"));

test("normalization vectors", () => {
  for (const [input, expected] of vectors.normalize) assert.equal(search.normalize(input), expected, input);
});

test("run vectors", () => {
  for (const [input, expected] of vectors.runs) assert.deepEqual(search.runs(search.normalize(input)), expected, input);
});

test("index term vectors", () => {
  for (const [input, expected] of vectors.terms) {
    assert.deepEqual(search.indexTerms(search.normalize(input)), expected, input);
  }
});

test("stem vectors", () => {
  for (const [word, expected] of vectors.stem) assert.equal(search.stem(word), expected, word);
});

test("gaps decode as the indexer encodes them", () => {
  assert.deepEqual(search.decodeGaps("3,1,6,14"), [3, 4, 10, 50]);
  assert.deepEqual(search.decodeGaps(""), []);
});

// A tiny index in the shape the build writes.
function tinyIndex() {
  const docs = [
    [0, 1, "step-a", "「ご契約先暗証番号」を入力します", "ログイン ボタンをクリックします。"],
    [0, 2, "step-b", "確認します", "値を返す関数を呼びます。"],
    [0, 3, "step-c", "Reissue the certificate", "Click Allow."],
    [0, 4, "step-d", "関数", "値を返す。す関数"],
  ];
  const terms = {};
  docs.forEach(([, , , title, text], doc) => {
    for (const term of new Set(search.indexTerms(search.normalize(title + " " + text)))) {
      (terms[term] = terms[term] || []).push(doc);
    }
  });
  const encoded = {};
  for (const [term, list] of Object.entries(terms)) {
    encoded[term] = list.map((d, i) => (i ? d - list[i - 1] : d).toString(36)).join(",");
  }
  return { pages: [["page.html", "Page"]], docs, terms: encoded };
}

test("CJK hits are confirmed against the text, not just the bigrams", () => {
  const searcher = new search.Searcher(tinyIndex());
  assert.deepEqual(searcher.search("値を返す関数").map((r) => r.anchor), ["step-b"]);
  assert.deepEqual(searcher.search("暗証番号").map((r) => r.anchor), ["step-a"]);
  assert.deepEqual(searcher.search("関").map((r) => r.anchor), ["step-d", "step-b"], "one character: title first");
});

test("words are stemmed, all words must match, titles rank first", () => {
  const searcher = new search.Searcher(tinyIndex());
  assert.deepEqual(searcher.search("reissuing").map((r) => r.anchor), ["step-c"]);
  assert.deepEqual(searcher.search("ＣＥＲＴＩＦＩＣＡＴＥＳ allowed").map((r) => r.anchor), ["step-c"]);
  assert.deepEqual(searcher.search("certificate nothing"), []);
  const [result] = searcher.search("allow");
  assert.equal(result.url, "page.html#step-c");
  assert.equal(result.snippetHtml, "Click <mark>Allow</mark>.");
  assert.equal(searcher.search("暗証番号")[0].titleHtml, "「ご契約先<mark>暗証番号</mark>」を入力します");
});
