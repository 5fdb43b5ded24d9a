// Content tabs in headless Chromium, from file://: each set shows one block at a
// time under a row of tabs; choosing "Chrome" chooses it in every set of the page
// and on the next page; a link into a hidden tab shows it; paper shows every block
// and every folded text.
// Run by `cargo test` (tests/migrated.rs) with TEJUN_PUBLIC set to the built fixture.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");

const { newPage, run, texts } = require("./browser.js");

const publicDir = process.env.TEJUN_PUBLIC;
const url = (rel) => "file://" + path.join(publicDir, rel);

const visibleBlocks = (page) => page.$$eval(".tabbed-block", (blocks) =>
  blocks.filter((b) => b.getBoundingClientRect().height > 0).map((b) => b.getAttribute("aria-labelledby")));

run("tabs", async (browser) => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(url("ja/cert.html"));
  assert.deepEqual(await texts(page, ".tabbed-tabs [role=tab]"), ["Edge", "Chrome", "Edge", "Chrome"]);
  assert.deepEqual(await texts(page, ".tabbed-tabs [aria-selected=true]"), ["Edge", "Edge"]);
  assert.deepEqual(await visibleBlocks(page), ["tab-0-0", "tab-1-0"], "the first tab of each set");
  assert.equal(await page.isVisible(".tabbed-label"), false, "labels are the tabs now");

  await page.click("#tab-0-1");
  assert.deepEqual(await texts(page, ".tabbed-tabs [aria-selected=true]"), ["Chrome", "Chrome"], "every set follows");
  assert.deepEqual(await visibleBlocks(page), ["tab-0-1", "tab-1-1"]);
  assert.ok((await page.textContent("[aria-labelledby=tab-0-1]")).includes("ls *.p12"));

  await page.keyboard.press("ArrowLeft");
  assert.deepEqual(await texts(page, ".tabbed-tabs [aria-selected=true]"), ["Edge", "Edge"], "arrow keys move");

  // The choice holds on the next page.
  await page.click("#tab-1-1");
  await page.reload();
  assert.deepEqual(await texts(page, ".tabbed-tabs [aria-selected=true]"), ["Chrome", "Chrome"]);

  // A link to something in a hidden tab shows that tab.
  await page.click("#tab-1-0");
  await page.click("a[href='#chrome-folder']");
  // The tab opens on `hashchange`, which the browser fires after the click returns:
  // on a busy machine the check would otherwise run first.
  await page.waitForFunction(() => document.getElementById("chrome-folder").getBoundingClientRect().height > 0,
    null, { timeout: 5000 });
  assert.deepEqual(await visibleBlocks(page), ["tab-0-0", "tab-1-1"], "only the set holding the target");
  assert.ok(await page.isVisible("#chrome-folder"));

  // On paper every block is printed under its label.
  await page.click("#tab-1-0");
  await page.emulateMedia({ media: "print" });
  assert.equal((await visibleBlocks(page)).length, 4);
  assert.deepEqual(await page.$$eval(".tabbed-label", (ls) => ls.filter((l) => l.getBoundingClientRect().height > 0).length), 4);

  // Folded text is printed unfolded, and folded again after.
  const open = () => page.$$eval("details", (all) => all.map((d) => d.open));
  assert.deepEqual(await open(), [false, true]);
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.deepEqual(await open(), [true, true], "the browser asks to print");
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  assert.deepEqual(await open(), [false, true], "as the reader left them");

  assert.deepEqual(errors, [], "no script errors");
});
