// End to end in headless Chromium against `tejun serve`: a save reloads the page and
// keeps the reader on the step they were reading, even when text above it grew; a
// build error shows as an overlay without a reload, and the fix clears it. Run by
// `cargo test` (tests/serve.rs) with TEJUN_URL (the served page) and TEJUN_PAGE (the
// Markdown file to edit) set.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const { launch } = require("./browser.js");

const url = process.env.TEJUN_URL;
const file = process.env.TEJUN_PAGE;
const shots = process.env.TEJUN_SCREENSHOTS;
const original = fs.readFileSync(file, "utf8");

async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.scrollY === 0);

    // The reader is on step 9, a little below the top of the window.
    const before = await page.evaluate(() => {
      const step = document.getElementById("step-s9");
      window.scrollTo(0, step.getBoundingClientRect().top + window.scrollY - 80);
      return { top: step.getBoundingClientRect().top, scrollY: window.scrollY };
    });
    assert.ok(before.scrollY > 300, `the page scrolled (${before.scrollY})`);

    // A save that adds text above the step reloads the page onto the same step.
    let reloaded = page.waitForEvent("load");
    const longer = original.replace("Introduction.", "Introduction.\n\n" + "A new paragraph. ".repeat(200));
    fs.writeFileSync(file, longer);
    await reloaded;
    await page.waitForFunction(() => document.body.textContent.includes("A new paragraph."));
    const after = await page.evaluate(() => ({
      top: document.getElementById("step-s9").getBoundingClientRect().top,
      scrollY: window.scrollY,
    }));
    assert.ok(Math.abs(after.top - before.top) <= 2, `step 9 stays in place: ${before.top} → ${after.top}`);
    assert.ok(after.scrollY > before.scrollY + 100, `the text above grew: ${before.scrollY} → ${after.scrollY}`);

    // A broken reference: the overlay appears at once, over the page as it was.
    const broken = longer.replace("Back to [](step:s1).", "Back to [](step:s99).");
    fs.writeFileSync(file, broken);
    await page.waitForSelector("#tejun-error-overlay", { state: "visible" });
    const location = await page.textContent("#tejun-error-overlay .tejun-location");
    assert.match(location, /^content\/guide\/long\.en\.md:\d+:\d+$/);
    assert.match(await page.textContent("#tejun-error-overlay .tejun-message"), /s99/);
    assert.ok(await page.evaluate(() => document.body.textContent.includes("A new paragraph.")));
    if (shots) await page.screenshot({ path: path.join(shots, "serve-error-overlay.png") });

    // The fix reloads the page without it.
    reloaded = page.waitForEvent("load");
    fs.writeFileSync(file, original);
    await reloaded;
    await page.waitForFunction(() => !document.body.textContent.includes("A new paragraph."));
    assert.equal(await page.$("#tejun-error-overlay"), null);
    assert.deepEqual(errors, []);
  } finally {
    fs.writeFileSync(file, original);
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
