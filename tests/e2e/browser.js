// Starts Debian's Chromium through playwright-core (no browser download), with the
// flags this closed network needs. Shared by the browser tests and benchmarks; exits
// with status 2 and what to install when Chromium or playwright-core is missing.
"use strict";
const fs = require("node:fs");

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function missing(what) {
  console.error(what);
  process.exit(2);
}

if (!fs.existsSync(executablePath)) {
  missing(`Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM`);
}
let playwright;
try {
  playwright = require("playwright-core");
} catch (e) {
  missing("playwright-core is missing: run `npm ci --prefix tests/e2e`");
}

function launch() {
  return playwright.chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// A page of `browser` whose script errors are collected in `errors`.
async function newPage(browser, viewport) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, errors };
}

// The text of every element `selector` matches, whitespace squeezed.
async function texts(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim()));
}

// Runs `body(browser)` in a fresh Chromium, closes it whatever happens, and says
// "NAME e2e: ok" or prints the failure and exits with status 1.
function run(name, body) {
  (async () => {
    const browser = await launch();
    try {
      await body(browser);
      console.log(`${name} e2e: ok`);
    } finally {
      await browser.close();
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { launch, newPage, run, texts };
