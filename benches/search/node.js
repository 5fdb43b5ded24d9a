// Search in Node: what each query transfers, how long loading the first file takes
// (read it, run it in a vm context as a <script> would) and the time of each query of
// a fixed list. Prints `key: value` lines; run by benches/build.rs.
//
// Transferred: every query runs on a Searcher of its own, cold, and the files it
// loaded (the first load included) are gzipped (zlib level 6, as flate2's default
// in the size figures) and summed: what a server that gzips would send for it.
//
//   node benches/search/node.js PUBLIC LANG QUERIES.json
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { performance } = require("node:perf_hooks");

const { indexFile, openIndex } = require(path.join(__dirname, "../../tests/search/files.js"));
const { timeQueries, report } = require("./timing.js");
const { ROUNDS, LIMIT } = require("./settings.js");

// The bound on what one query may transfer, gzipped.
const TRANSFER_TARGET_KB = 300;

const [publicDir, lang, queriesFile] = process.argv.slice(2);
if (!queriesFile) {
  console.error("usage: node node.js PUBLIC LANG QUERIES.json");
  process.exit(1);
}
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"))[lang];

const gzipped = {};
function gzippedKb(name) {
  if (gzipped[name] === undefined) {
    const bytes = fs.readFileSync(indexFile(publicDir, lang, name));
    gzipped[name] = zlib.gzipSync(bytes, { level: 6 }).length / 1e3;
  }
  return gzipped[name];
}

async function transferred() {
  const lines = [];
  let worst = null;
  for (const query of queries) {
    const searcher = openIndex(publicDir, lang);
    const results = (await searcher.search(query, LIMIT)).length;
    const kb = searcher.loaded.reduce((sum, name) => sum + gzippedKb(name), 0);
    const shards = searcher.loaded.filter((n) => n.startsWith(".t")).length + " term + " +
      searcher.loaded.filter((n) => n.startsWith(".e")).length + " entry shards";
    lines.push(`transferred ${JSON.stringify(query)}: ${kb.toFixed(1)} KB gzip (${shards}, ${results} results)`);
    if (!worst || kb > worst.kb) worst = { query, kb };
  }
  const verdict = worst.kb <= TRANSFER_TARGET_KB ? "met" : "MISSED";
  lines.push(`transferred first load: ${gzippedKb("").toFixed(1)} KB gzip (searchindex.${lang}.js)`);
  lines.push(`transferred worst: ${worst.kb.toFixed(1)} KB gzip (${JSON.stringify(worst.query)}; ` +
    `target ≤ ${TRANSFER_TARGET_KB} KB: ${verdict})`);
  return lines;
}

async function main() {
  const start = performance.now();
  const searcher = openIndex(publicDir, lang);
  const loaded = performance.now() - start;
  const lines = [
    `version: ${process.version}`,
    `load: ${loaded.toFixed(1)} ms (read and run searchindex.${lang}.js, new Searcher)`,
    ...report(await timeQueries(searcher, queries, ROUNDS, LIMIT)),
    ...(await transferred()),
  ];
  console.log(lines.join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
