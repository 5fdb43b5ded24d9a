// Times a fixed list of queries against a tejunSearch.Searcher. Shared by node.js
// (required) and browser.js (added to the page as a script), so that both measure
// exactly the same thing.
(function (global) {
  "use strict";

  function median(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var n = sorted.length;
    return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  // `rounds` passes over `queries`, each query timed with performance.now() until its
  // results resolve. Per query: the median of its runs and its first run (cold: the
  // shards it needs still to load, the Searcher's caches empty). Returns the median
  // and the worst of the per-query medians, the worst first run, and which queries
  // they were.
  async function timeQueries(searcher, queries, rounds, limit) {
    var times = queries.map(function () { return []; });
    var results = [];
    for (var round = 0; round < rounds; round++) {
      for (var i = 0; i < queries.length; i++) {
        var start = performance.now();
        results[i] = (await searcher.search(queries[i], limit)).length;
        times[i].push(performance.now() - start);
      }
    }
    var medians = times.map(median);
    var slowest = 0, coldest = 0;
    for (var q = 1; q < queries.length; q++) {
      if (medians[q] > medians[slowest]) slowest = q;
      if (times[q][0] > times[coldest][0]) coldest = q;
    }
    return {
      queries: queries.length,
      rounds: rounds,
      limit: limit,
      median: median(medians),
      worst: medians[slowest],
      worstQuery: queries[slowest],
      worstResults: results[slowest],
      firstWorst: times[coldest][0],
      firstWorstQuery: queries[coldest],
      empty: results.filter(function (n) { return n === 0; }).length,
    };
  }

  // The figures as `key: value` lines.
  function report(figures) {
    return [
      "queries: " + figures.queries + " (" + figures.rounds + " runs each, at most " + figures.limit + " results; " +
        figures.empty + " without results)",
      "query median: " + figures.median.toFixed(3) + " ms (median over queries of each query's median)",
      "query worst: " + figures.worst.toFixed(3) + " ms",
      "slowest query: " + JSON.stringify(figures.worstQuery) + " (" + figures.worstResults + " results shown)",
      "first-run worst: " + figures.firstWorst.toFixed(3) + " ms (" + JSON.stringify(figures.firstWorstQuery) +
        ", its shards loaded by this run)",
    ];
  }

  var api = { timeQueries: timeQueries, report: report, median: median };
  if (typeof module === "object" && module.exports) module.exports = api;
  global.tejunBench = api;
})(typeof window !== "undefined" ? window : globalThis);
