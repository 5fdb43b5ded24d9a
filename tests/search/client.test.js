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

test("a stem starts with its word's first letter, which snippets rely on to skip words", () => {
  // Every suffix the stemmer rewrites, alone and after a short stem, and the vectors.
  const suffixes = ("sses ies ss s eed ed ing at bl iz y ational tional enci anci izer abli alli entli eli ousli " +
    "ization ation ator alism iveness fulness ousness aliti iviti biliti icate ative alize iciti ical ful ness al " +
    "ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize e ll").split(" ");
  const words = vectors.stem.map(([word]) => word);
  for (const suffix of suffixes) words.push(suffix, "b" + suffix, "tr" + suffix, "rel" + suffix, "y" + suffix);
  for (const word of words) {
    const stemmed = search.stem(word);
    assert.ok(stemmed === "" || stemmed.charAt(0) === word.charAt(0), `${word} → ${stemmed}`);
  }
});

test("shard vectors", () => {
  for (const [term, count, expected] of vectors.shards) assert.equal(search.shardOf(term, count), expected, term);
});

test("postings decode as the indexer encodes them", () => {
  assert.deepEqual(search.decodePostings("61yq"), { docs: [3, 4, 50], titled: [4] });
  assert.deepEqual(search.decodePostings(""), { docs: [], titled: [] });
});

// Postings encoded as encode_postings in src/render/search/mod.rs does.
function encodePostings(list) {
  const LAST = "0123456789abcdefghijklmnopqrstuv", MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  let out = "", next = 0;
  for (const [doc, titled] of list) {
    let n = ((doc - next) << 1) | (titled ? 1 : 0), digits = LAST[n % 32];
    for (n = Math.floor(n / 32); n > 0; n = Math.floor(n / 32)) digits = MORE[n % 32] + digits;
    out += digits;
    next = doc + 1;
  }
  return out;
}

// A tiny index in the shape the build writes: one term shard, one entry shard, and
// a Searcher over it that records what it loads.
function tinyIndex(extraTerms = {}) {
  const docs = [
    [0, 1, "step-a", "「ご契約先暗証番号」を入力します", "ログイン ボタンをクリックします。"],
    [0, 2, "step-b", "確認します", "値を返す関数を呼びます。"],
    [0, 3, "step-c", "Reissue the certificate", "Click Allow."],
    [0, 4, "step-d", "関数", "値を返す。す関数"],
  ];
  const terms = {};
  docs.forEach(([, , , title, text], doc) => {
    const inTitle = new Set(search.indexTerms(search.normalize(title)));
    for (const term of new Set(search.indexTerms(search.normalize(title + " " + text)))) {
      (terms[term] = terms[term] || []).push([doc, inTitle.has(term)]);
    }
  });
  const postings = {};
  for (const [term, list] of Object.entries(terms)) postings[term] = encodePostings(list);
  Object.assign(postings, extraTerms);
  const files = {
    "": { entries: docs.length, terms: 1, shards: [0] },
    ".t0": postings,
    ".e0": {
      first: 0, page: 0, pages: [["page.html", "Page"]],
      p: docs.map((d) => d[0]), s: docs.map((d) => d[1]), a: docs.map((d) => d[2].replace(/^step-/, "")),
      t: docs.map((d) => d[3]), x: docs.map((d) => d[4]),
    },
  };
  return new search.Searcher(files[""], (name) => files[name]);
}

const anchors = async (searcher, query) => (await searcher.search(query)).map((r) => r.anchor);

test("CJK hits are confirmed against the text, not just the bigrams", async () => {
  const searcher = tinyIndex();
  assert.deepEqual(await anchors(searcher, "値を返す関数"), ["step-b"]);
  assert.deepEqual(await anchors(searcher, "暗証番号"), ["step-a"]);
  assert.deepEqual(await anchors(searcher, "関"), ["step-d", "step-b"], "one character: title first");
  assert.deepEqual(await anchors(searcher, "す"), ["step-a", "step-b", "step-d"], "one character at a run's end");
  assert.deepEqual(await anchors(searcher, "図"), []);
});

test("a one-character query takes the character's union where the index stores one", async () => {
  // The build stores the union of a character's postings under "*" and the character
  // when its terms point into many shards; this one holds only step-b, so a client
  // that took it returns step-b alone (without it, "関" finds step-d and step-b).
  const searcher = tinyIndex({ "*関": encodePostings([[1, false]]) });
  assert.deepEqual(await anchors(searcher, "関"), ["step-b"]);
  assert.deepEqual(searcher.loaded, [".t0", ".e0"]);
  assert.deepEqual(await anchors(searcher, "関数"), ["step-d", "step-b"], "longer queries use the terms");
});

test("words are stemmed, all words must match, titles rank first", async () => {
  const searcher = tinyIndex();
  assert.deepEqual(await anchors(searcher, "reissuing"), ["step-c"]);
  assert.deepEqual(await anchors(searcher, "ＣＥＲＴＩＦＩＣＡＴＥＳ allowed"), ["step-c"]);
  assert.deepEqual(await searcher.search("certificate nothing"), []);
  assert.deepEqual(await searcher.search("constructor toString"), [], "no posting from Object.prototype");
  const [result] = await searcher.search("allow");
  assert.equal(result.url, "page.html#step-c");
  assert.equal(result.snippetHtml, "Click <mark>Allow</mark>.");
  assert.equal((await searcher.search("暗証番号"))[0].titleHtml, "「ご契約先<mark>暗証番号</mark>」を入力します");
});

test("a query loads the term shard it needs, and entry shards only for its results", async () => {
  const searcher = tinyIndex();
  assert.deepEqual(await searcher.search("天気"), []);
  assert.deepEqual(searcher.loaded, [".t0"]);
  await searcher.search("関数");
  assert.deepEqual(searcher.loaded, [".t0", ".e0"]);
});
