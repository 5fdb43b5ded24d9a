// tejun search: the client side of the index that `tejun build` writes as
// searchindex.LANG.js. It cuts text into terms exactly as the build does
// (src/render/search/tokenize.rs; the same vectors in tests/search/vectors.json run
// against both), so it loads with a plain <script> tag and works from file://.
(function (global) {
  "use strict";

  // ---- Tokenizing: must match the Rust indexer step for step ----

  var WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

  function isCjk(cp) {
    return (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309d && cp <= 0x309f) ||
      (cp >= 0x30a1 && cp <= 0x30fa) || (cp >= 0x30fc && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3134f) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f) ||
      (cp >= 0xac00 && cp <= 0xd7a3);
  }

  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  // "cjk", "word" or null for one character.
  function kindOf(ch) {
    if (isCjk(ch.codePointAt(0))) return "cjk";
    return WORD_CHAR.test(ch) ? "word" : null;
  }

  // Runs of normalized text with their UTF-16 offsets: {kind, text, start, end}.
  function spans(normalized) {
    var out = [];
    var kind = null, start = 0, text = "", offset = 0;
    for (var ch of normalized) {
      var k = kindOf(ch);
      if (k !== kind) {
        if (kind) out.push({ kind: kind, text: text, start: start, end: offset });
        kind = k; text = ""; start = offset;
      }
      if (k) text += ch;
      offset += ch.length;
    }
    if (kind) out.push({ kind: kind, text: text, start: start, end: offset });
    return out;
  }

  function runs(normalized) {
    return spans(normalized).map(function (s) { return [s.kind, s.text]; });
  }

  function bigrams(text) {
    var chars = Array.from(text), out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  function indexTerms(normalized) {
    var terms = [];
    spans(normalized).forEach(function (s) {
      if (s.kind === "word") terms.push(stem(s.text));
      else terms.push.apply(terms, bigrams(s.text));
    });
    return terms;
  }

  // ---- Porter (1980) stemmer, the same rules as the Rust one ----

  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    var b = word;
    function cons(i) {
      var c = b.charAt(i);
      if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
      if (c === "y") return i === 0 || !cons(i - 1);
      return true;
    }
    function measure(len) {
      var m = 0, i = 0;
      while (i < len && cons(i)) i++;
      for (;;) {
        while (i < len && !cons(i)) i++;
        if (i >= len) return m;
        while (i < len && cons(i)) i++;
        m++;
      }
    }
    function hasVowel(len) {
      for (var i = 0; i < len; i++) if (!cons(i)) return true;
      return false;
    }
    function doubleCons(len) {
      return len >= 2 && b.charAt(len - 1) === b.charAt(len - 2) && cons(len - 1);
    }
    function cvc(len) {
      if (len < 3 || !cons(len - 3) || cons(len - 2) || !cons(len - 1)) return false;
      var c = b.charAt(len - 1);
      return c !== "w" && c !== "x" && c !== "y";
    }
    function ends(s) { return b.length >= s.length && b.slice(b.length - s.length) === s; }
    function stemLen(s) { return b.length - s.length; }
    function replace(s, w) { b = b.slice(0, stemLen(s)) + w; }
    function longestRule(rules, minMeasure) {
      var best = null;
      rules.forEach(function (r) { if (ends(r[0]) && (!best || r[0].length > best[0].length)) best = r; });
      if (best && measure(stemLen(best[0])) > minMeasure) replace(best[0], best[1]);
    }

    // Step 1a
    if (ends("sses")) replace("sses", "ss");
    else if (ends("ies")) replace("ies", "i");
    else if (ends("ss")) { /* unchanged */ }
    else if (ends("s")) replace("s", "");
    // Step 1b
    if (ends("eed")) {
      if (measure(stemLen("eed")) > 0) replace("eed", "ee");
    } else {
      var removed = null;
      if (ends("ed") && hasVowel(stemLen("ed"))) removed = "ed";
      else if (ends("ing") && hasVowel(stemLen("ing"))) removed = "ing";
      if (removed) {
        replace(removed, "");
        var len = b.length, last = b.charAt(len - 1);
        if (ends("at") || ends("bl") || ends("iz")) b += "e";
        else if (doubleCons(len) && last !== "l" && last !== "s" && last !== "z") b = b.slice(0, -1);
        else if (measure(len) === 1 && cvc(len)) b += "e";
      }
    }
    // Step 1c
    if (ends("y") && hasVowel(stemLen("y"))) replace("y", "i");
    // Step 2
    longestRule([["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"],
      ["abli", "able"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"],
      ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"],
      ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"]], 0);
    // Step 3
    longestRule([["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""],
      ["ness", ""]], 0);
    // Step 4
    var step4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
      "ate", "iti", "ous", "ive", "ize"];
    var suffix = null;
    step4.forEach(function (s) { if (ends(s) && (!suffix || s.length > suffix.length)) suffix = s; });
    if (suffix) {
      var l = stemLen(suffix), before = b.charAt(l - 1);
      var allowed = suffix !== "ion" || (l > 0 && (before === "s" || before === "t"));
      if (allowed && measure(l) > 1) b = b.slice(0, l);
    }
    // Step 5
    if (ends("e")) {
      var el = stemLen("e"), m = measure(el);
      if (m > 1 || (m === 1 && !cvc(el))) b = b.slice(0, -1);
    }
    if (measure(b.length) > 1 && doubleCons(b.length) && b.charAt(b.length - 1) === "l") b = b.slice(0, -1);
    return b;
  }

  // ---- Searching ----

  function decodeGaps(encoded) {
    if (!encoded) return [];
    var out = [], doc = 0;
    encoded.split(",").forEach(function (gap, i) {
      doc = i === 0 ? parseInt(gap, 36) : doc + parseInt(gap, 36);
      out.push(doc);
    });
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  // What a query asks for: every term must match. A word term is a stem; a CJK term
  // is a run that must appear as written.
  function queryTerms(query) {
    var seen = {};
    return spans(normalize(query)).map(function (s) {
      return s.kind === "word" ? { kind: "word", value: stem(s.text) } : { kind: "cjk", value: s.text };
    }).filter(function (t) {
      var key = t.kind + ":" + t.value;
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
  }

  function Searcher(index) {
    this.index = index;
    this.lowerTitles = [];
    this.lowerTexts = [];
    this.titleTerms = [];
  }

  Searcher.prototype.lowerTitle = function (doc) {
    var cached = this.lowerTitles[doc];
    if (cached === undefined) cached = this.lowerTitles[doc] = this.index.docs[doc][3].toLowerCase();
    return cached;
  };

  Searcher.prototype.lowerText = function (doc) {
    var cached = this.lowerTexts[doc];
    if (cached === undefined) cached = this.lowerTexts[doc] = this.index.docs[doc][4].toLowerCase();
    return cached;
  };

  Searcher.prototype.contains = function (doc, text) {
    return this.lowerTitle(doc).indexOf(text) >= 0 || this.lowerText(doc).indexOf(text) >= 0;
  };

  Searcher.prototype.docsFor = function (term) {
    var self = this, terms = this.index.terms;
    if (term.kind === "word") return decodeGaps(terms[term.value]);
    var pairs = bigrams(term.value), candidates = null;
    if (pairs.length === 0) {
      candidates = [];
      for (var d = 0; d < this.index.docs.length; d++) candidates.push(d);
    }
    for (var i = 0; i < pairs.length; i++) {
      var docs = decodeGaps(terms[pairs[i]]);
      candidates = candidates === null ? docs : intersect(candidates, docs);
      if (candidates.length === 0) return [];
    }
    return candidates.filter(function (doc) { return self.contains(doc, term.value); });
  };

  Searcher.prototype.inTitle = function (doc, term) {
    if (term.kind === "cjk") return this.lowerTitle(doc).indexOf(term.value) >= 0;
    var set = this.titleTerms[doc];
    if (!set) {
      set = this.titleTerms[doc] = {};
      indexTerms(this.lowerTitle(doc)).forEach(function (t) { set[t] = true; });
    }
    return set[term.value] === true;
  };

  // Results, best first: matches in a title rank above matches in the text, then
  // reading order.
  Searcher.prototype.search = function (query, limit) {
    var terms = queryTerms(query);
    if (terms.length === 0) return [];
    var matches = null;
    for (var i = 0; i < terms.length; i++) {
      var docs = this.docsFor(terms[i]);
      matches = matches === null ? docs : intersect(matches, docs);
      if (matches.length === 0) return [];
    }
    var self = this;
    var scored = matches.map(function (doc) {
      var score = 0;
      terms.forEach(function (t) { score += self.inTitle(doc, t) ? 10 : 1; });
      return { doc: doc, score: score };
    });
    scored.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return scored.slice(0, limit || 50).map(function (s) { return self.result(s.doc, terms); });
  };

  Searcher.prototype.result = function (doc, terms) {
    var entry = this.index.docs[doc], page = this.index.pages[entry[0]];
    return {
      doc: doc,
      url: page[0] + (entry[2] ? "#" + entry[2] : ""),
      pageTitle: page[1],
      step: entry[1],
      anchor: entry[2],
      title: entry[3],
      titleHtml: highlight(entry[3], terms, 0, entry[3].length),
      snippetHtml: snippet(entry[4], terms),
    };
  };

  // ---- Snippets with the matches marked ----

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where the terms occur in `text`, as sorted [start, end) pairs of UTF-16 offsets.
  function matchRanges(text, terms) {
    var lower = text.toLowerCase();
    if (lower.length !== text.length) return [];
    var ranges = [];
    terms.forEach(function (t) {
      if (t.kind === "cjk") {
        for (var at = lower.indexOf(t.value); at >= 0; at = lower.indexOf(t.value, at + t.value.length)) {
          ranges.push([at, at + t.value.length]);
        }
      }
    });
    spans(lower).forEach(function (s) {
      if (s.kind !== "word") return;
      var stemmed = stem(s.text);
      terms.forEach(function (t) { if (t.kind === "word" && t.value === stemmed) ranges.push([s.start, s.end]); });
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    return ranges;
  }

  function highlight(text, terms, from, to) {
    var out = "", at = from;
    matchRanges(text, terms).forEach(function (r) {
      var start = Math.max(r[0], at), end = Math.min(r[1], to);
      if (end <= start) return;
      out += escapeHtml(text.slice(at, start)) + "<mark>" + escapeHtml(text.slice(start, end)) + "</mark>";
      at = end;
    });
    return out + escapeHtml(text.slice(at, to));
  }

  var SNIPPET = 90;

  function snippet(text, terms) {
    if (!text) return "";
    var ranges = matchRanges(text, terms);
    var first = ranges.length ? ranges[0][0] : 0;
    var from = Math.max(0, first - 30);
    var to = Math.min(text.length, from + SNIPPET);
    var html = highlight(text, terms, from, to);
    return (from > 0 ? "…" : "") + html + (to < text.length ? "…" : "");
  }

  var api = {
    normalize: normalize,
    runs: runs,
    indexTerms: indexTerms,
    stem: stem,
    queryTerms: queryTerms,
    decodeGaps: decodeGaps,
    Searcher: Searcher,
  };

  if (typeof module === "object" && module.exports) module.exports = api;
  global.tejunSearch = api;

  // ---- The search box ----

  if (typeof document === "undefined") return;

  function setUp() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var lang = input.getAttribute("data-lang");
    var searcher = null, loading = false, active = -1, results = [];

    function load() {
      var indexes = global.tejunSearchIndex || {};
      if (indexes[lang]) {
        searcher = new Searcher(indexes[lang]);
        return;
      }
      if (loading) return;
      loading = true;
      var script = document.createElement("script");
      script.src = input.getAttribute("data-index");
      script.onload = function () {
        var loaded = (global.tejunSearchIndex || {})[lang];
        if (loaded) searcher = new Searcher(loaded);
        update();
      };
      document.head.appendChild(script);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function select(i) {
      var items = list.querySelectorAll(".search-result");
      if (!items.length) return;
      active = (i + items.length) % items.length;
      items.forEach(function (item, n) { item.setAttribute("aria-selected", n === active ? "true" : "false"); });
      items[active].scrollIntoView({ block: "nearest" });
    }

    function update() {
      var query = input.value.trim();
      if (!query) return close();
      if (!searcher) {
        load();
        if (!searcher) return;
      }
      results = searcher.search(query, 30);
      var root = input.getAttribute("data-lang-root") || "";
      var stepLabel = input.getAttribute("data-step-label") || "Step";
      list.innerHTML = results.length
        ? results.map(function (r, n) {
          return '<a class="search-result" role="option" aria-selected="false" id="search-result-' + n +
            '" href="' + escapeHtml(root + r.url) + '">' +
            '<span class="search-result-page">' + escapeHtml(r.pageTitle) + "</span>" +
            '<span class="search-result-heading">' +
            (r.step ? '<span class="search-result-step">' + escapeHtml(stepLabel + " " + r.step) + "</span> " : "") +
            '<span class="search-result-title">' + r.titleHtml + "</span></span>" +
            (r.snippetHtml ? '<span class="search-result-snippet">' + r.snippetHtml + "</span>" : "") + "</a>";
        }).join("")
        : '<p class="search-empty">' + escapeHtml(input.getAttribute("data-no-results") || "No results") + "</p>";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function open(i) {
      var items = list.querySelectorAll(".search-result");
      var item = items[i >= 0 ? i : 0];
      if (!item) return;
      close();
      location.href = item.href;
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active - 1); }
      else if (event.key === "Enter") { event.preventDefault(); open(active); }
      else if (event.key === "Escape") { close(); input.blur(); }
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".search-result")) close();
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".search")) close();
    });
    document.addEventListener("keydown", function (event) {
      var tag = (document.activeElement && document.activeElement.tagName) || "";
      if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})(typeof window !== "undefined" ? window : globalThis);
