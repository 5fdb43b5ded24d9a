// Every page of a built site in headless Chromium on a phone's screen, from file://:
// none is wider than the screen, so the reader never scrolls sideways to read a line
// (code and wide tables scroll inside their own boxes). Run by `cargo test`
// (tests/example.rs) with TEJUN_PUBLIC set to the built example manual.
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

run("layout", async (browser) => {
  const files = htmlFiles(publicDir);
  assert.ok(files.length > 0, `no pages in ${publicDir}`);
  const { page, errors } = await newPage(browser, { width: 360, height: 800 });
  for (const file of files) {
    await page.goto("file://" + file);
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
