// Variants in headless Chromium, from file://: the variant switch lands on the same
// step in the other manual, or on the nearest earlier step when that manual leaves
// the step out; search finds what the reader's manual says, in that manual; the
// language switch stays in the manual. Run by `cargo test` (tests/variants.rs) with
// TEJUN_PUBLIC set to the built fixture.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");

const { newPage, run, texts } = require("./browser.js");

const publicDir = process.env.TEJUN_PUBLIC;
const shots = process.env.TEJUN_SCREENSHOTS;
const url = (rel) => "file://" + path.join(publicDir, rel);
const inPublic = (rel) => new RegExp(path.join(publicDir, rel).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$");

run("variants", async (browser) => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 900 });

  // A step both manuals have: the same step.
  await page.goto(url("ja/download.html#step-download"));
  assert.equal(await page.textContent("#step-download .step-number"), "手順 2");
  await page.click(".variantswitch a[data-variant=chrome]");
  await page.waitForURL(inPublic("chrome/ja/download.html#step-download"));
  assert.equal(await page.textContent("#step-download .step-number"), "手順 3");
  if (shots) await page.screenshot({ path: path.join(shots, "variants-chrome.png") });

  // A Chrome-only step: Edge lands on the step before it.
  await page.goto(url("chrome/ja/download.html#step-keep"));
  await page.click(".variantswitch a[data-variant=edge]");
  await page.waitForURL(inPublic("ja/download.html#step-open"));

  // A Chrome-only section named in the address: the step before it.
  await page.goto(url("chrome/ja/download.html#google-chrome-の設定"));
  await page.click(".variantswitch a[data-variant=edge]");
  await page.waitForURL(inPublic("ja/download.html#step-download"));

  // No address fragment: the step on screen counts (the Chrome-only section's step).
  await page.setViewportSize({ width: 1280, height: 420 });
  await page.goto(url("chrome/ja/download.html"));
  await page.evaluate(() => document.getElementById("step-chrome-settings").scrollIntoView());
  assert.equal(await page.evaluate(() => {
    const steps = [...document.querySelectorAll(".step")];
    return steps.find((s) => s.getBoundingClientRect().bottom > 80).id;
  }), "step-chrome-settings", "the Chrome-only step is the one on screen");
  await page.click(".variantswitch a[data-variant=edge]");
  await page.waitForURL(inPublic("ja/download.html#step-download"));

  await page.setViewportSize({ width: 1280, height: 900 });

  // Search belongs to the manual the reader is in.
  await page.goto(url("chrome/ja/download.html"));
  await page.fill("#search-input", "左下");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const hrefs = await page.$$eval(".search-result a, a.search-result", (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.includes("/chrome/ja/")), hrefs.join("\n"));
  assert.ok((await texts(page, ".search-result-step")).includes("手順 3"));
  await page.goto(url("ja/download.html"));
  await page.fill("#search-input", "左下");
  await page.waitForSelector(".search-empty");

  // The language switch keeps the reader in the Chrome manual, on the same step.
  await page.goto(url("chrome/ja/download.html#step-keep"));
  await page.click(".langswitch a[hreflang=en]");
  await page.waitForURL(inPublic("chrome/en/download.html#step-keep"));
  assert.equal(await page.textContent("#step-keep .step-number"), "Step 2");

  assert.deepEqual(errors, [], "no script errors");
});
