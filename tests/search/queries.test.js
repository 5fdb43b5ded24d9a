// Real queries against the example manual's built index (TEJUN_PUBLIC points at the
// build output). Run by `cargo test` (tests/search.rs).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");
const vm = require("node:vm");

const search = require(path.join(__dirname, "../../themes/default/static/search.js"));
const { queries } = JSON.parse(fs.readFileSync(path.join(__dirname, "queries.json"), "utf8"));
const publicDir = process.env.TEJUN_PUBLIC;

function loadIndex(lang) {
  const context = { window: {} };
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(path.join(publicDir, `searchindex.${lang}.js`), "utf8"), context);
  return context.window.tejunSearchIndex[lang];
}

test("the build output is given", () => assert.ok(publicDir, "set TEJUN_PUBLIC to a built site"));

const searchers = {};
for (const { lang, query, expect, ordered } of queries) {
  test(`${lang}: ${query}`, () => {
    searchers[lang] = searchers[lang] || new search.Searcher(loadIndex(lang));
    const got = searchers[lang].search(query, 100).map((r) => r.url);
    if (ordered) assert.deepEqual(got, expect);
    else assert.deepEqual([...got].sort(), [...expect].sort());
  });
}

test("every result names its page, step number and a snippet with the match marked", () => {
  const ja = searchers.ja || new search.Searcher(loadIndex("ja"));
  const [first] = ja.search("暗証番号");
  assert.equal(first.pageTitle, "管理者が利用者の電子証明書を再発行する");
  assert.equal(first.step, 5);
  assert.match(first.titleHtml, /<mark>暗証番号<\/mark>/);
  assert.match(first.snippetHtml, /<mark>暗証番号<\/mark>/);
});
