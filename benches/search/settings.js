// How the search benchmark runs its queries, for node.js and browser.js alike: every
// query ROUNDS times, asking for at most LIMIT results (what the search box asks for).
module.exports = { ROUNDS: 5, LIMIT: 30 };
