// Callouts in headless Chromium, from file://: at a wide and a narrow window the
// drawn box sits on the same image pixels (it scales with the screenshot) while
// the numbered marker keeps its size, and pointing at a sub-step highlights its
// callout. Run by `cargo test`
// (tests/screenshots.rs) with TEJUN_PUBLIC set to the built fixture.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");

const { newPage, run } = require("./browser.js");

const page_url = "file://" + path.join(process.env.TEJUN_PUBLIC, "ja/p.html");

run("callouts", async (browser) => {
  for (const width of [1280, 420]) {
    const { page, errors } = await newPage(browser, { width, height: 900 });
    await page.goto(page_url);
    const placed = await page.evaluate(() => {
      const img = document.querySelector("#fig-download img").getBoundingClientRect();
      const box = document.querySelector(".callout-box").getBoundingClientRect();
      const marker = document.querySelector(".callout[data-callout='2'] circle").getBoundingClientRect();
      return { img: [img.left, img.top, img.width, img.height], box: [box.left, box.top, box.width, box.height],
        marker: [marker.left + marker.width / 2, marker.top + marker.height / 2, marker.width] };
    });
    // The image's own pixels, drawn inside its 1-pixel border.
    const [left, top, w, h] = placed.img;
    const scale = (w - 2) / 320;
    const expected = [left + 1 + 40 * scale, top + 1 + 120 * scale, 90 * scale, 30 * scale];
    placed.box.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 2.5, `width ${width}: box ${placed.box} vs ${expected}`));
    assert.ok(Math.abs(placed.marker[0] - (left + 1 + 250 * scale)) < 1.5, `width ${width}: marker x`);
    assert.ok(Math.abs(placed.marker[1] - (top + 1 + 60 * scale)) < 1.5, `width ${width}: marker y`);
    assert.ok(Math.abs(placed.marker[2] - 24) < 1, `width ${width}: the marker is 24 px across, not ${placed.marker[2]}`);
    if (width === 1280) assert.ok(w > 400, "the screenshot is scaled up on a wide window");
    if (width === 420) assert.ok(w < 300, "the screenshot is scaled down on a narrow window");

    const active = () => page.$$eval(".is-active", (els) => els.map((e) => e.getAttribute("data-callout") || "li"));
    await page.hover("ol.substeps > li:nth-child(2)");
    assert.deepEqual(await active(), ["2", "li"], "the sub-step and its callout");
    await page.hover(".callout[data-callout='1'] .callout-number");
    assert.deepEqual(await active(), ["1", "li"], "and back: the callout and its sub-step");
    assert.equal(await page.$eval(".is-active .substep-marker", (e) => e.textContent), "①");
    assert.deepEqual(errors, [], "no script errors");
    await page.close();
  }
});
