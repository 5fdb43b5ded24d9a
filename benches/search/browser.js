// Search in headless Chromium: open PUBLIC/LANG/index.html from file://, load
// searchindex.LANG.js and its shards the way the search box does (<script> elements),
// then time a fixed list of queries inside the page (timing.js, the same code as
// under Node). First, each query alone on a page of its own, cold: from the query to
// the search box's first screen of results (FIRST), shards included, COLD_TRIALS
// times each on pages of their own (the queries in turn, so that a moment the machine
// is slow falls on one trial of several); a query's cold time is the median of its
// trials and the worst of these is the cold first query. Every page loads its
// language's first file (searchindex.LANG.js) with the page, as it loads search.js;
// a page of a theme that does not has it loaded by the query, and the time includes
// it. Prints `key: value` lines; run by benches/build.rs. Exits with 2 and says how
// to install what is missing when Chromium or playwright-core is.
// Chromium coarsens performance.now() to 0.1 ms in a page that is not cross-origin
// isolated (a file:// page is not), so the query times come in steps of 0.1 ms.
//
//   node benches/search/browser.js PUBLIC LANG QUERIES.json
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const { ROUNDS, LIMIT, FIRST } = require("./settings.js");

const root = path.resolve(__dirname, "../..");
const { launch } = require(path.join(root, "tests/e2e/browser.js"));

// The bound on the first query of a cold page, in ms.
const COLD_TARGET_MS = 150;
// How many fresh pages each query is timed on: one time alone is as much this
// machine's moment as the page's (a 2-core VM varied by two to one between runs).
const COLD_TRIALS = 5;

const [publicDir, lang, queriesFile] = process.argv.slice(2);
if (!queriesFile) {
  console.error("usage: node browser.js PUBLIC LANG QUERIES.json");
  process.exit(1);
}
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"))[lang];

// Inside the page: how the search box loads a file of the index, as a <script>
// element.
function scriptLoader(lang) {
  const base = `../searchindex.${lang}`;
  return (name) => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = base + name + ".js";
    script.onerror = () => reject(new Error(`cannot load ${script.src}`));
    script.onload = () => resolve(window.tejunSearchIndex[lang + name]);
    document.head.appendChild(script);
  });
}

// Inside the page: a Searcher whose shards load as <script> elements, as the search
// box's do; resolves once the first file is loaded, with the time it took.
function openSearcher(lang) {
  const load = window.benchLoad(lang);
  const start = performance.now();
  return load("").then((manifest) => {
    window.benchSearcher = new tejunSearch.Searcher(manifest, load);
    return performance.now() - start;
  });
}

// Inside a fresh page: one query, timed with the first file when the page did not
// load it.
async function coldQuery({ lang, query, limit }) {
  const start = performance.now();
  const manifest = (window.tejunSearchIndex || {})[lang];
  if (manifest) {
    window.benchSearcher = new tejunSearch.Searcher(manifest, window.benchLoad(lang));
  } else {
    await window.benchOpen(lang);
  }
  const results = await window.benchSearcher.search(query, limit);
  return { ms: performance.now() - start, results: results.length, withPage: Boolean(manifest) };
}

async function freshPage(browser, errors) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto("file://" + path.join(publicDir, lang, "index.html"));
  await page.addScriptTag({ content: `window.benchLoad = ${scriptLoader}; window.benchOpen = ${openSearcher};` });
  return page;
}

async function main() {
  const browser = await launch();
  try {
    const errors = [];
    const trials = queries.map(() => []);
    for (let trial = 0; trial < COLD_TRIALS; trial++) {
      for (const [q, query] of queries.entries()) {
        const page = await freshPage(browser, errors);
        trials[q].push(await page.evaluate(coldQuery, { lang, query, limit: FIRST }));
        await page.close();
      }
    }
    const { median: medianOf } = require("./timing.js");
    const cold = queries.map((query, q) => ({
      query,
      ms: medianOf(trials[q].map((t) => t.ms)),
      trials: trials[q].map((t) => t.ms),
      results: trials[q][0].results,
      withPage: trials[q].every((t) => t.withPage),
    }));
    const slowest = cold.reduce((a, b) => (Math.max(...b.trials) > Math.max(...a.trials) ? b : a));
    const page = await freshPage(browser, errors);
    await page.addScriptTag({ path: path.join(__dirname, "timing.js") });
    const load = await page.evaluate(openSearcher, lang);
    const figures = await page.evaluate(
      ({ queries, rounds, limit }) => window.tejunBench.timeQueries(window.benchSearcher, queries, rounds, limit),
      { queries, rounds: ROUNDS, limit: LIMIT },
    );
    if (errors.length) throw new Error(`script errors in the page: ${errors.join("; ")}`);
    const worst = cold.reduce((a, b) => (b.ms > a.ms ? b : a));
    const median = medianOf(cold.map((c) => c.ms));
    const verdict = worst.ms < COLD_TARGET_MS ? "met" : "MISSED";
    const lines = [
      `version: ${browser.version()}`,
      `load: ${load.toFixed(1)} ms (searchindex.${lang}.js: <script> inserted to onload)`,
      ...require("./timing.js").report(figures),
      ...cold.map((c) => `cold ${JSON.stringify(c.query)}: ${c.ms.toFixed(1)} ms (${c.results} results; ` +
        `median of ${c.trials.map((t) => t.toFixed(1)).join(", ")})`),
      `cold first query median: ${median.toFixed(1)} ms (a fresh page: ` +
        `${cold.every((c) => c.withPage) ? "the first file loaded with the page; " : "first file, "}` +
        `shards, query, the first ${FIRST} results)`,
      `cold first query worst: ${worst.ms.toFixed(1)} ms (${JSON.stringify(worst.query)}, the median of its ` +
        `${COLD_TRIALS} trials; target < ${COLD_TARGET_MS} ms: ${verdict})`,
      `cold first query slowest trial: ${Math.max(...slowest.trials).toFixed(1)} ms (${JSON.stringify(slowest.query)})`,
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
