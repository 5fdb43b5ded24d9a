// Search in Node: how long loading searchindex.LANG.js takes (read the file, run it
// in a vm context as a <script> would) and the time of each query of a fixed list.
// Prints `key: value` lines; run by benches/build.rs.
//
//   node benches/search/node.js PUBLIC LANG QUERIES.json
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { performance } = require("node:perf_hooks");

const search = require(path.join(__dirname, "../../themes/default/static/search.js"));
const { timeQueries, report } = require("./timing.js");
const { ROUNDS, LIMIT } = require("./settings.js");

const [publicDir, lang, queriesFile] = process.argv.slice(2);
if (!queriesFile) {
  console.error("usage: node node.js PUBLIC LANG QUERIES.json");
  process.exit(1);
}
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"))[lang];

// Loads the index as the page does, minus the network, into `context` (a fresh
// global, as a page has); returns the Searcher with the timings.
function load(context) {
  const start = performance.now();
  const source = fs.readFileSync(path.join(publicDir, `searchindex.${lang}.js`), "utf8");
  const read = performance.now();
  vm.runInContext(source, context);
  const ran = performance.now();
  const searcher = new search.Searcher(context.window.tejunSearchIndex[lang]);
  const constructed = performance.now();
  return { searcher, read: read - start, run: ran - read, construct: constructed - ran };
}

const loaded = load(vm.createContext({ window: {} }));
const lines = [
  `version: ${process.version}`,
  `load: ${(loaded.read + loaded.run).toFixed(1)} ms (read ${loaded.read.toFixed(1)} ms + run the script ` +
    `${loaded.run.toFixed(1)} ms)`,
  `new Searcher: ${loaded.construct.toFixed(3)} ms`,
  ...report(timeQueries(loaded.searcher, queries, ROUNDS, LIMIT)),
];
console.log(lines.join("\n"));
