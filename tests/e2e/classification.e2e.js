// A manual's classification (社外秘) in headless Chromium, from file://: on screen it
// sits in the top bar beside the manual's title; a page printed from the browser
// keeps it at the top of the sheet, while the rest of the top bar (menu, search,
// language switch) is left off paper.
// Run by `cargo test` (tests/pdf.rs) with TEJUN_PUBLIC set to the built fixture and
// TEJUN_PAGE, TEJUN_MARKING to the page and the marking it shows.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");

const { newPage, run } = require("./browser.js");

const url = "file://" + path.join(process.env.TEJUN_PUBLIC, process.env.TEJUN_PAGE);
const marking = process.env.TEJUN_MARKING;

// Whether each selector's first element shows, and its box.
const boxes = (page, selectors) => page.evaluate((selectors) => selectors.map((selector) => {
  const element = document.querySelector(selector);
  const box = element && element.getBoundingClientRect();
  return { selector, shown: !!box && box.width > 0 && box.height > 0, top: box ? box.top : 0, right: box ? box.right : 0 };
}), selectors);

run("classification", async (browser) => {
  const { page, errors } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(url);
  assert.equal((await page.textContent(".topbar > .classification")).trim(), marking);
  const [stamp, title, search] = await boxes(page, [".classification", ".manual-title", ".search"]);
  assert.ok(stamp.shown && title.shown && search.shown, "on screen: the marking, the title and search");
  assert.ok(stamp.top < 60, `the marking is in the top bar: ${stamp.top}`);

  await page.emulateMedia({ media: "print" });
  const [printed, heading, ...gone] = await boxes(page, [".classification", "h1", ".search", ".menu-button", ".langswitch"]);
  assert.ok(printed.shown, "the marking is printed");
  assert.ok(printed.top < heading.top, `above the page's title: ${printed.top} < ${heading.top}`);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  assert.ok(printed.right > width * 0.8, `at the right: ${printed.right} of ${width}`);
  for (const box of gone) assert.ok(!box.shown, `${box.selector} is not printed`);
  assert.deepEqual(errors, []);
});
