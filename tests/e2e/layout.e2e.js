// Every page of a built site in headless Chromium, from file://: on a phone's screen
// none is wider than the screen, so the reader never scrolls sideways to read a line
// (code and wide tables scroll inside their own boxes); on a phone and on a desktop
// no word of a table's cells (a setting's name, a version, a date) is broken in the
// middle, no short Japanese header is broken between its characters, and the
// page's title, description and PDF links do not overlap. Run by `cargo test`
// (tests/example.rs, tests/build.rs) with TEJUN_PUBLIC set to the built site.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const { newPage, run } = require("./browser.js");

const publicDir = process.env.TEJUN_PUBLIC;

function htmlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(full);
    return entry.name.endsWith(".html") ? [full] : [];
  }).sort();
}

// The words of table cells (runs of Latin letters, digits and punctuation) that the
// browser has set on more than one line. A hyphen ends a word: a line may break
// after it, as in any text.
function brokenWords(page) {
  return page.evaluate(() => {
    const broken = [];
    for (const cell of document.querySelectorAll("td, th")) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of node.data.matchAll(/[\x21-\x2c\x2e-\x7e]{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(word[0]);
        }
      }
    }
    return broken;
  });
}

// The short Japanese headers of tables (必須, 初期値: four characters or fewer)
// that the browser has set on more than one line, a character or two a line.
function brokenHeaders(page) {
  return page.evaluate(() => [...document.querySelectorAll("th")].filter((th) => {
    const text = th.textContent.trim();
    if (!/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]{2,4}$/u.test(text)) return false;
    const range = document.createRange();
    range.selectNodeContents(th);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
  }).map((th) => th.textContent.trim()));
}

run("layout", async (browser) => {
  const files = htmlFiles(publicDir);
  assert.ok(files.length > 0, `no pages in ${publicDir}`);
  const { page, errors } = await newPage(browser, { width: 1280, height: 800 });
  for (const file of files) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("file://" + file);
    assert.deepEqual(await brokenWords(page), [], `${path.relative(publicDir, file)}: words broken in table cells`);
    assert.deepEqual(await brokenHeaders(page), [], `${path.relative(publicDir, file)}: table headers broken`);
    const overlapping = await page.$$eval(".page-header > *", (parts) => parts.slice(1).flatMap((part, i) => {
      const above = parts[i];
      const overlaps = part.getBoundingClientRect().top < above.getBoundingClientRect().bottom - 1;
      return overlaps ? [`${part.className} over the ${above.tagName.toLowerCase()} above it`] : [];
    }));
    assert.deepEqual(overlapping, [], `${path.relative(publicDir, file)}: the title, description and PDF links overlap`);
    await page.setViewportSize({ width: 360, height: 800 });
    assert.deepEqual(await brokenWords(page), [], `${path.relative(publicDir, file)}: on a phone, words broken in table cells`);
    const wide = await page.evaluate(() => {
      const screen = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= screen) return [];
      // The innermost elements that reach past the screen's right edge.
      return [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > screen + 1)
        .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > screen + 1))
        .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">${e.textContent.trim().slice(0, 60)}`);
    });
    assert.deepEqual(wide, [], `${path.relative(publicDir, file)} is wider than a 360-pixel screen`);
  }
  assert.deepEqual(errors, [], "no script errors");
});
