// A built site's search index read from disk the way a page loads it: each file run
// as a script in one vm context (a page's global), each shard only when the Searcher
// asks for it. Shared by the search tests and the search benchmark.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const search = require(path.join(__dirname, "../../themes/default/static/search.js"));

// The path of the file `name` ("" for the first load, ".t3", ".e0" …) of the index of
// `lang` in `publicDir` (`prefix`: a variant's folder, "chrome/").
function indexFile(publicDir, lang, name, prefix) {
  return path.join(publicDir, `${prefix || ""}searchindex.${lang}${name}.js`);
}

// A Searcher over the index of `lang`; its `loaded` lists the shards it read.
function openIndex(publicDir, lang, prefix) {
  const context = vm.createContext({ window: {} });
  const load = (name) => {
    vm.runInContext(fs.readFileSync(indexFile(publicDir, lang, name, prefix), "utf8"), context);
    return context.window.tejunSearchIndex[lang + name];
  };
  const searcher = new search.Searcher(load(""), load);
  searcher.loaded.push("");
  return searcher;
}

// Every entry of the index of `lang`, in order: {path, pageTitle, step, anchor, title, text}.
function allEntries(publicDir, lang, prefix) {
  const searcher = openIndex(publicDir, lang, prefix);
  const names = searcher.manifest.shards.map((_, n) => `.e${n}`);
  names.forEach((name) => { searcher.shards[name] = searcher.load(name); });
  return Array.from({ length: searcher.manifest.entries }, (_, doc) => searcher.entry(doc));
}

module.exports = { indexFile, openIndex, allEntries };
