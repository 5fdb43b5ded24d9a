// Search in headless Chromium: open PUBLIC/LANG/index.html from file://, load
// searchindex.LANG.js the way the search box does (a <script> element), build a
// Searcher, then time a fixed list of queries inside the page (timing.js, the same
// code as under Node). Prints `key: value` lines; run by benches/build.rs. Exits
// with 2 and says how to install what is missing when Chromium or playwright-core is.
// Chromium coarsens performance.now() to 0.1 ms in a page that is not cross-origin
// isolated (a file:// page is not), so the query times come in steps of 0.1 ms.
//
//   node benches/search/browser.js PUBLIC LANG QUERIES.json
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const { ROUNDS, LIMIT } = require("./settings.js");

const root = path.resolve(__dirname, "../..");
const { launch } = require(path.join(root, "tests/e2e/browser.js"));

const [publicDir, lang, queriesFile] = process.argv.slice(2);
if (!queriesFile) {
  console.error("usage: node browser.js PUBLIC LANG QUERIES.json");
  process.exit(1);
}
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"))[lang];

// Inside the page: a <script> for the index, timed to its onload, then a Searcher.
function loadIndex(lang) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const script = document.createElement("script");
    script.src = `../searchindex.${lang}.js`;
    script.onerror = () => reject(new Error(`cannot load ${script.src}`));
    script.onload = () => {
      const loaded = performance.now();
      window.benchSearcher = new tejunSearch.Searcher(window.tejunSearchIndex[lang]);
      resolve({ load: loaded - start, construct: performance.now() - loaded });
    };
    document.head.appendChild(script);
  });
}

async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto("file://" + path.join(publicDir, lang, "index.html"));
    await page.addScriptTag({ path: path.join(__dirname, "timing.js") });
    const loaded = await page.evaluate(loadIndex, lang);
    const figures = await page.evaluate(
      ({ queries, rounds, limit }) => window.tejunBench.timeQueries(window.benchSearcher, queries, rounds, limit),
      { queries, rounds: ROUNDS, limit: LIMIT },
    );
    if (errors.length) throw new Error(`script errors in the page: ${errors.join("; ")}`);
    const lines = [
      `version: ${browser.version()}`,
      `load: ${loaded.load.toFixed(1)} ms (<script> inserted to onload: fetch, parse, run)`,
      `new Searcher: ${loaded.construct.toFixed(3)} ms`,
      ...require("./timing.js").report(figures),
    ];
    console.log(lines.join("\n"));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
