// End to end in headless Chromium, from file://: type a query, check the results,
// follow one with the keyboard, and check the step is highlighted; then switch
// language and land on the same step; a common word's results come in two screens. Run by `cargo test` (tests/search.rs) with
// TEJUN_PUBLIC set to a built example manual.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");

const { newPage, run, texts } = require("./browser.js");

const publicDir = process.env.TEJUN_PUBLIC;
const shots = process.env.TEJUN_SCREENSHOTS;
const url = (rel) => "file://" + path.join(publicDir, rel);

run("search", async (browser) => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(url("ja/certificates/reissue.html"));
  // The index's first file comes with the page, before the box is used.
  assert.ok(await page.evaluate(() => Boolean((window.tejunSearchIndex || {}).ja)), "the page loads searchindex.ja.js");

  // "/" focuses the box; typing searches as you type.
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("暗証番号");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 4);
  // The box used it, and loaded only shards.
  assert.deepEqual(await page.$$eval("script[src*=searchindex]", (s) => s.map((e) => e.getAttribute("src"))
    .filter((src) => !/\.[te]\d+\.js$/.test(src))), ["../../searchindex.ja.js"]);
  assert.deepEqual(await texts(page, ".search-result-step"), ["手順 5", "手順 5", "手順 6", "手順 11"]);
  assert.deepEqual(await texts(page, ".search-result-page"), [
    "管理者が利用者の電子証明書を再発行する", "利用者が電子証明書を取得する",
    "利用者が電子証明書を取得する", "管理者が利用者の電子証明書を再発行する"]);
  assert.deepEqual(await texts(page, ".search-result-snippet mark, .search-result-title mark"),
    await page.$$eval(".search-result mark", (m) => m.map(() => "暗証番号")));
  if (shots) await page.screenshot({ path: path.join(shots, "search-ja.png") });

  // Arrows move, Enter opens; the step is the target and is highlighted.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.deepEqual(await page.$$eval(".search-result", (r) => r.map((e) => e.getAttribute("aria-selected"))),
    ["false", "true", "false", "false"]);
  await page.keyboard.press("Enter");
  await page.waitForURL(/obtain\.html#step-enter-ids$/);
  await page.waitForFunction(() => document.querySelector(":target") !== null);
  assert.equal(await page.evaluate(() => document.querySelector(":target").id), "step-enter-ids");
  const shadow = await page.evaluate(() => getComputedStyle(document.querySelector(":target")).boxShadow);
  assert.notEqual(shadow, "none", "the step the result points at is highlighted");
  if (shots) await page.screenshot({ path: path.join(shots, "search-target.png") });

  // The language switch lands on the same step of the translation.
  await page.click(".langswitch a[hreflang=en]");
  await page.waitForURL(/en\/certificates\/obtain\.html#step-enter-ids$/);

  // English: stemmed words, from another page.
  await page.fill("#search-input", "allowing");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 2);
  assert.deepEqual(await texts(page, ".search-result-step"), ["Step 4", "Step 15"]);
  await page.fill("#search-input", "zzzz");
  await page.waitForSelector(".search-empty");
  assert.deepEqual(await texts(page, ".search-empty"), ["No results"]);

  // A common word: the first screen of ten shows at once, then the list fills up to
  // thirty, the first ten unchanged.
  await page.evaluate(() => {
    window.shownLists = [];
    new MutationObserver(() => {
      const shown = [...document.querySelectorAll(".search-result")].map((a) => a.getAttribute("href"));
      if (shown.length) window.shownLists.push(shown);
    }).observe(document.getElementById("search-results"), { childList: true });
  });
  await page.fill("#search-input", "the");
  await page.waitForFunction(() => window.shownLists.some((shown) => shown.length > 10));
  const lists = await page.evaluate(() => window.shownLists);
  assert.equal(lists[0].length, 10, "the first screen");
  const all = lists[lists.length - 1];
  assert.ok(all.length > 10 && all.length <= 30, `${all.length} results in all`);
  assert.deepEqual(all.slice(0, 10), lists[0]);

  assert.deepEqual(errors, [], "no script errors");
});
