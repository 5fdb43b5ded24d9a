// tejun search: the client side of the index that `tejun build` writes as
// searchindex.LANG.js and its shards (src/render/search/mod.rs says what each file
// holds). It cuts text into terms exactly as the build does
// (src/render/search/tokenize.rs; the same vectors in tests/search/vectors.json run
// against both). Every file is a script that registers itself in
// window.tejunSearchIndex, loaded with a plain <script> element, so search works from
// file:// too; a query loads only the term shards of its terms and the entry shards
// of the results it shows (and of the CJK hits it must confirm).
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

  // A CJK run's terms: its bigrams, then its last character alone, so that every
  // character of the run starts a term.
  function cjkTerms(text) {
    var chars = Array.from(text);
    return bigrams(text).concat([chars[chars.length - 1]]);
  }

  function indexTerms(normalized) {
    var terms = [];
    spans(normalized).forEach(function (s) {
      if (s.kind === "word") terms.push(stem(s.text));
      else terms.push.apply(terms, cjkTerms(s.text));
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

  // ---- Where a term is: the term shards ----

  // FNV-1a over the code points of a term's key, the first character of a CJK term
  // or a word's whole stem, as shard_of in src/render/search/mod.rs: every term that
  // starts with one CJK character is in one shard.
  function shardOf(term, count) {
    var key = isCjk(term.codePointAt(0)) ? String.fromCodePoint(term.codePointAt(0)) : term;
    var hash = 0x811c9dc5;
    for (var ch of key) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return hash % count;
  }

  // Postings, as encode_postings writes them: per entry one base-32 number, the gap
  // to the previous entry times two plus one when the term is in the entry's title;
  // the last digit of a number from LAST, the digits before it from MORE.
  var LAST = "0123456789abcdefghijklmnopqrstuv", MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGITS = {};
  for (var d = 0; d < 32; d++) { DIGITS[LAST[d]] = d; DIGITS[MORE[d]] = 32 + d; }

  // {docs, titled}: the entries that hold the term, and those of them that hold it in
  // their title, both sorted.
  function decodePostings(encoded) {
    var docs = [], titled = [], next = 0, n = 0;
    for (var i = 0; i < encoded.length; i++) {
      var digit = DIGITS[encoded[i]];
      if (digit >= 32) { n = n * 32 + digit - 32; continue; }
      n = n * 32 + digit;
      var doc = next + (n >> 1);
      docs.push(doc);
      if (n & 1) titled.push(doc);
      next = doc + 1;
      n = 0;
    }
    return { docs: docs, titled: titled };
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  // ---- What a query asks for ----

  // Every term must match. A word term is a stem; a CJK term is a run that must
  // appear as written.
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

  // The bigrams whose postings stand for a CJK run of three or more characters: the
  // first and the last, each moved inwards off a hiragana start when it can be
  // (particles start the largest shards). Any subset finds a superset of the entries
  // and the hits are confirmed against the text; two bigrams from both ends of a run
  // rarely let a wrong entry through, and each more would cost a shard to load (on a
  // cold page, each file costs a few milliseconds however small it is).
  var MAX_BIGRAMS = 2;

  function isHiragana(ch) {
    var cp = ch.codePointAt(0);
    return cp >= 0x3041 && cp <= 0x309f;
  }

  function chosenBigrams(run) {
    var pairs = bigrams(run);
    if (pairs.length <= MAX_BIGRAMS) return pairs;
    var chosen = [];
    for (var k = 0; k < MAX_BIGRAMS; k++) {
      var at = Math.round(k * (pairs.length - 1) / (MAX_BIGRAMS - 1));
      for (var step = 0; step < pairs.length; step++) {
        var near = [at + step, at - step].filter(function (i) {
          return i >= 0 && i < pairs.length && chosen.indexOf(pairs[i]) < 0 && !isHiragana(pairs[i]);
        });
        if (near.length) { at = near[0]; break; }
      }
      if (chosen.indexOf(pairs[at]) < 0) chosen.push(pairs[at]);
    }
    return chosen;
  }

  // How to find one query term: `keys` are the index terms to look up (a one-character
  // CJK term: every term that starts with it, `prefix`); `exact` when the postings
  // are the answer, false when hits must be confirmed against the text.
  function plan(term) {
    if (term.kind === "word") return { term: term, keys: [term.value], exact: true };
    var length = Array.from(term.value).length;
    if (length === 1) return { term: term, prefix: term.value, keys: [], exact: true };
    return { term: term, keys: chosenBigrams(term.value), exact: length === 2 };
  }

  // ---- Searching ----

  // A searcher over one language's index. `manifest` is the first load
  // (searchindex.LANG.js); `load(name)` loads the shard searchindex.LANG{name}.js and
  // resolves to what it registers. `loaded` lists the names of the shards loaded, in
  // order.
  function Searcher(manifest, load) {
    this.manifest = manifest;
    this.load = load;
    this.loaded = [];
    this.pending = {};
    this.shards = {};
    this.postings = {};
    this.lowerTitles = [];
    this.lowerTexts = [];
  }

  // Loads the shards named (those not loaded yet) at once.
  Searcher.prototype.need = function (names) {
    var self = this;
    return Promise.all(names.map(function (name) {
      if (!self.pending[name]) {
        self.loaded.push(name);
        self.pending[name] = Promise.resolve(self.load(name)).then(function (shard) {
          if (!shard) throw new Error("the search index has no shard " + name);
          self.shards[name] = shard;
        });
      }
      return self.pending[name];
    }));
  };

  Searcher.prototype.termShard = function (term) {
    return ".t" + shardOf(term, this.manifest.terms);
  };

  // The entry shard that holds entry `doc`.
  Searcher.prototype.entryShard = function (doc) {
    var starts = this.manifest.shards, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return ".e" + lo;
  };

  // The postings of index term `key`, following a reference `=TERM` to a term with
  // the same postings (which may be in another shard).
  Searcher.prototype.lookup = async function (key) {
    var name = this.termShard(key);
    await this.need([name]);
    // Own keys only: a word such as "constructor" is no posting.
    var shard = this.shards[name];
    if (!Object.prototype.hasOwnProperty.call(shard, key)) return { docs: [], titled: [] };
    var value = shard[key];
    if (value.charAt(0) === "=") return this.lookup(value.slice(1));
    var cached = this.postings[key];
    if (!cached) cached = this.postings[key] = decodePostings(value);
    return cached;
  };

  // The postings of one planned query term: the intersection of its keys, or for a
  // one-character term the union of every term that starts with it.
  Searcher.prototype.find = async function (planned) {
    if (planned.prefix === undefined) {
      var all = await Promise.all(planned.keys.map(this.lookup, this));
      return all.reduce(function (a, b) {
        return { docs: intersect(a.docs, b.docs), titled: intersect(a.titled, b.titled) };
      });
    }
    var name = this.termShard(planned.prefix);
    await this.need([name]);
    // A character whose terms point into many shards has their union stored under
    // "*" and the character (PREFIX_UNION_SPREAD in src/render/search/mod.rs).
    var union = "*" + planned.prefix, shard = this.shards[name];
    if (Object.prototype.hasOwnProperty.call(shard, union)) {
      return this.postings[union] || (this.postings[union] = decodePostings(shard[union]));
    }
    var keys = Object.keys(this.shards[name]).filter(function (key) {
      return String.fromCodePoint(key.codePointAt(0)) === planned.prefix;
    });
    return this.unionOf(await Promise.all(keys.map(this.lookup, this)));
  };

  // The union of many postings at once: entry by entry, 1 where some hold it, 2
  // where some hold it in the title (cheaper than merging them two by two).
  Searcher.prototype.unionOf = function (postings) {
    var marks = new Uint8Array(this.manifest.entries), docs = [], titled = [];
    postings.forEach(function (p) {
      p.docs.forEach(function (doc) { marks[doc] |= 1; });
      p.titled.forEach(function (doc) { marks[doc] |= 2; });
    });
    for (var doc = 0; doc < marks.length; doc++) {
      if (marks[doc]) docs.push(doc);
      if (marks[doc] & 2) titled.push(doc);
    }
    return { docs: docs, titled: titled };
  };

  // Entry `doc` from its (loaded) shard; a step's anchor is stored without the
  // "step-" every step's has.
  Searcher.prototype.entry = function (doc) {
    var shard = this.shards[this.entryShard(doc)], i = doc - shard.first;
    var page = shard.pages[shard.p[i]], step = shard.s[i];
    return { path: page[0], pageTitle: page[1], step: step, anchor: (step ? "step-" : "") + shard.a[i],
      title: shard.t[i], text: shard.x[i] };
  };

  Searcher.prototype.lowerTitle = function (doc) {
    var cached = this.lowerTitles[doc];
    if (cached === undefined) cached = this.lowerTitles[doc] = this.entry(doc).title.toLowerCase();
    return cached;
  };

  Searcher.prototype.lowerText = function (doc) {
    var cached = this.lowerTexts[doc];
    if (cached === undefined) cached = this.lowerTexts[doc] = this.entry(doc).text.toLowerCase();
    return cached;
  };

  // Results, best first: matches in a title rank above matches in the text (10 points
  // a term against 1), then reading order. Resolves to at most `limit` results.
  Searcher.prototype.search = async function (query, limit) {
    limit = limit || 50;
    var plans = queryTerms(query).map(plan);
    if (plans.length === 0) return [];
    var self = this;
    // The term shards of every key of every term at once, then each term's postings
    // (which may point into more shards).
    var keys = [].concat.apply([], plans.map(function (p) { return p.prefix !== undefined ? [p.prefix] : p.keys; }));
    await this.need(distinct(keys.map(this.termShard, this)));
    var found = await Promise.all(plans.map(this.find, this));
    var matches = null;
    for (var i = 0; i < found.length; i++) {
      matches = matches === null ? found[i].docs : intersect(matches, found[i].docs);
      if (matches.length === 0) return [];
    }
    var ranked = await this.rank(matches, plans, found, limit);
    var terms = plans.map(function (p) { return p.term; });
    await this.need(distinct(ranked.map(this.entryShard, this)));
    return ranked.map(function (doc) { return self.result(doc, terms); });
  };

  // The first `limit` of `matches` in rank order. Each entry's score is known from the
  // postings' title marks, except for CJK terms still to confirm, whose marks only
  // bound it: those entries are confirmed, in rank order, only until `limit` results
  // are certain, loading just their entry shards.
  Searcher.prototype.rank = async function (matches, plans, found, limit) {
    var titled = found.map(function (f) { return new Set(f.titled); });
    var buckets = new Map();
    matches.forEach(function (doc) {
      var score = 0;
      titled.forEach(function (set) { score += set.has(doc) ? 10 : 1; });
      if (!buckets.has(score)) buckets.set(score, []);
      buckets.get(score).push(doc);
    });
    var confirming = plans.filter(function (p) { return !p.exact; });
    var scores = Array.from(buckets.keys()).sort(function (a, b) { return b - a; });
    var out = [], confirmed = new Set();
    for (var s = 0; s < scores.length && out.length < limit; s++) {
      var bucket = buckets.get(scores[s]);
      for (var i = 0; i < bucket.length && out.length < limit; i++) {
        var doc = bucket[i];
        if (confirming.length === 0 || confirmed.has(doc)) { out.push(doc); continue; }
        if (!this.shards[this.entryShard(doc)]) {
          await this.loadAhead(scores.slice(s).map(function (score, k) {
            return buckets.get(score).slice(k === 0 ? i : 0);
          }), limit - out.length, confirmed);
        }
        var score = this.confirm(doc, plans, titled);
        confirmed.add(doc);
        if (score === scores[s]) out.push(doc);
        else if (score > 0) insertSorted(buckets.get(score) || newBucket(buckets, scores, score), doc);
      }
    }
    return out;
  };

  // Loads at once the entry shards of the next `count` entries still to confirm, in
  // rank order (`ahead`: the rest of the buckets, best first), so that confirming
  // takes as few rounds of loading as it can.
  Searcher.prototype.loadAhead = function (ahead, count, confirmed) {
    var names = [];
    for (var b = 0; b < ahead.length && count > 0; b++) {
      for (var j = 0; j < ahead[b].length && count > 0; j++) {
        if (confirmed.has(ahead[b][j])) continue;
        var name = this.entryShard(ahead[b][j]);
        if (names.indexOf(name) < 0) names.push(name);
        count--;
      }
    }
    return this.need(names);
  };

  // The score of entry `doc` once its text is loaded, or 0 when a CJK term is not
  // written in it as typed.
  Searcher.prototype.confirm = function (doc, plans, titled) {
    var score = 0;
    for (var i = 0; i < plans.length; i++) {
      var p = plans[i];
      if (p.exact) { score += titled[i].has(doc) ? 10 : 1; continue; }
      if (this.lowerTitle(doc).indexOf(p.term.value) >= 0) score += 10;
      else if (this.lowerText(doc).indexOf(p.term.value) >= 0) score += 1;
      else return 0;
    }
    return score;
  };

  function distinct(names) {
    return names.filter(function (name, i) { return names.indexOf(name) === i; });
  }

  function newBucket(buckets, scores, score) {
    buckets.set(score, []);
    scores.push(score);
    scores.sort(function (a, b) { return b - a; });
    return buckets.get(score);
  }

  function insertSorted(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < value) lo = mid + 1; else hi = mid;
    }
    list.splice(lo, 0, value);
  }

  Searcher.prototype.result = function (doc, terms) {
    var entry = this.entry(doc);
    return {
      doc: doc,
      url: entry.path + (entry.anchor ? "#" + entry.anchor : ""),
      pageTitle: entry.pageTitle,
      step: entry.step,
      anchor: entry.anchor,
      title: entry.title,
      titleHtml: highlight(entry.title, matchRanges(entry.title, terms), 0, entry.title.length),
      snippetHtml: snippet(entry.text, terms),
    };
  };

  // ---- Snippets with the matches marked ----

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Stems of the words seen in results' text: the same words come back in result
  // after result, and a first query runs its code cold.
  var stems = new Map();
  function stemCached(word) {
    var cached = stems.get(word);
    if (cached === undefined) {
      if (stems.size > 10000) stems.clear();
      stems.set(word, (cached = stem(word)));
    }
    return cached;
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
    // A stem starts with its word's first letter (the stemmer changes endings only),
    // so only words that start like a term are stemmed: a result's first snippets
    // are made while the stemmer still runs cold.
    var firsts = terms.filter(function (t) { return t.kind === "word"; }).map(function (t) { return t.value.charAt(0); });
    if (firsts.length) {
      spans(lower).forEach(function (s) {
        if (s.kind !== "word" || firsts.indexOf(s.text.charAt(0)) < 0) return;
        var stemmed = stemCached(s.text);
        terms.forEach(function (t) { if (t.kind === "word" && t.value === stemmed) ranges.push([s.start, s.end]); });
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    return ranges;
  }

  // `text` from `from` to `to`, escaped, with the `ranges` of matches in it marked.
  function highlight(text, ranges, from, to) {
    var out = "", at = from;
    ranges.forEach(function (r) {
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
    var html = highlight(text, ranges, from, to);
    return (from > 0 ? "…" : "") + html + (to < text.length ? "…" : "");
  }

  var api = {
    normalize: normalize,
    runs: runs,
    indexTerms: indexTerms,
    stem: stem,
    queryTerms: queryTerms,
    shardOf: shardOf,
    decodePostings: decodePostings,
    Searcher: Searcher,
  };

  if (typeof module === "object" && module.exports) module.exports = api;
  global.tejunSearch = api;

  // ---- The search box ----

  // Results shown at once, and in all. Also what benches/search/settings.js asks for.
  var FIRST_SCREEN = 10, MAX_RESULTS = 30;

  if (typeof document === "undefined") return;

  function setUp() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var lang = input.getAttribute("data-lang");
    var searcher = null, active = -1, results = [], asked = 0;

    // Loads searchindex.LANG{name}.js, beside the file the box names, with a <script>
    // element (which works from file://, where fetch does not). The page loads the
    // first file itself, so a first query costs a round of loading less (when the box
    // is used before that file has come, it is asked for twice).
    var base = input.getAttribute("data-index").replace(/\.js$/, "");
    function loadScript(name) {
      var key = lang + name, indexes = global.tejunSearchIndex || {};
      if (indexes[key]) return Promise.resolve(indexes[key]);
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.onload = function () { resolve((global.tejunSearchIndex || {})[key]); };
        script.onerror = function () { reject(new Error("cannot load " + script.src)); };
        document.head.appendChild(script);
      });
    }

    var ready = null;
    function load() {
      if (!ready) {
        ready = loadScript("").then(function (manifest) { searcher = new Searcher(manifest, loadScript); });
      }
      return ready;
    }

    function close() {
      asked++;
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

    // Searches as the reader types; a query answered after a later one was asked is
    // not shown. The first screen of results shows as soon as its entries are loaded;
    // the rest follow, since a common word's results are spread over many shards and
    // each file costs a round trip even from the disk.
    function update() {
      var query = input.value.trim(), ticket = ++asked;
      if (!query) return close();
      load().then(function () { return searcher.search(query, FIRST_SCREEN); }).then(function (found) {
        if (ticket !== asked) return;
        show(found);
        if (found.length < FIRST_SCREEN) return;
        return searcher.search(query, MAX_RESULTS).then(function (all) {
          if (ticket === asked) show(all, true);
        });
      });
    }

    // `more`: the same query's longer list, which keeps the reader's selection.
    function show(found, more) {
      results = found;
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
      if (more && active >= 0) {
        list.querySelectorAll(".search-result")[active].setAttribute("aria-selected", "true");
      } else {
        active = -1;
      }
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
