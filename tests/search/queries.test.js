// Real queries against the example manual's built index (TEJUN_PUBLIC points at the
// build output). Run by `cargo test` (tests/search.rs).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");

const { openIndex } = require("./files.js");
const { queries } = JSON.parse(fs.readFileSync(path.join(__dirname, "queries.json"), "utf8"));
const publicDir = process.env.TEJUN_PUBLIC;

const loadIndex = (lang) => openIndex(publicDir, lang);

test("the build output is given", () => assert.ok(publicDir, "set TEJUN_PUBLIC to a built site"));

const searchers = {};
for (const { lang, query, expect, ordered } of queries) {
  test(`${lang}: ${query}`, async () => {
    searchers[lang] = searchers[lang] || loadIndex(lang);
    const got = (await searchers[lang].search(query, 100)).map((r) => r.url);
    if (ordered) assert.deepEqual(got, expect);
    else assert.deepEqual([...got].sort(), [...expect].sort());
  });
}

test("every result names its page, step number and a snippet with the match marked", async () => {
  const ja = searchers.ja || loadIndex("ja");
  const [first] = await ja.search("暗証番号");
  assert.equal(first.pageTitle, "管理者が利用者の電子証明書を再発行する");
  assert.equal(first.step, 5);
  assert.match(first.titleHtml, /<mark>暗証番号<\/mark>/);
  assert.match(first.snippetHtml, /<mark>暗証番号<\/mark>/);
});
