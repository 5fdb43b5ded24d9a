// How the search benchmark runs its queries, for node.js and browser.js alike: every
// query ROUNDS times, asking for at most LIMIT results (what the search box asks for
// in all); a cold query asks for FIRST, the search box's first screen, which it shows
// before it asks for the rest (FIRST_SCREEN and MAX_RESULTS in search.js).
module.exports = { ROUNDS: 5, LIMIT: 30, FIRST: 10 };
