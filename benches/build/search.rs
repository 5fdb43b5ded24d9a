//! The search block: how large each language's index is, how long it takes to build,
//! and how fast the browser client loads it and answers queries.
//!
//! - **size**, from every file of the index the build wrote (`searchindex.LANG.js`
//!   and its shards `searchindex.LANG.tN.js`, `.eN.js`), each gzipped alone (flate2,
//!   default level) and summed: raw and gzipped, the text indexed (UTF-8 bytes of
//!   every entry's title and text, read back from the entry shards), both sizes as a
//!   ratio of that text, the entry shards and the term shards apart, the number of
//!   each and the largest, the first load, the number of entries and of steps, and
//!   gzipped MB per 10,000 steps — the yardstick, with a target of at most 1.
//! - **build**, in process through the library: the site is loaded once
//!   (`tejun::build::load_site`), then `tejun::render::search::build_index` and the
//!   serialization of its result to JSON (`serde_json`, as the build writes it) are
//!   timed per language, min and median of [`BUILD_RUNS`].
//! - **Node** (`benches/search/node.js`): loading the first file (read it, run it in
//!   a `vm` context), and the queries of `benches/search/queries.json`, each run 5
//!   times (`benches/search/settings.js`): the median and the worst of the per-query
//!   medians (target: median under 10 ms), and the worst first run (its shards still
//!   to load); then, per query on a cold `Searcher`, the gzipped size of every file it
//!   loaded, first load included, and the worst (target: at most 300 KB).
//! - **Chromium** (`benches/search/browser.js`, playwright-core from
//!   `tests/e2e/node_modules` driving `/usr/bin/chromium`): the same timings from a
//!   page opened from `file://`, the files loaded by `<script>` elements; and each
//!   query alone on a fresh page, from loading the first file to its first screen of
//!   results, the ten the search box shows before it asks for the rest (target for
//!   the worst: under 150 ms).
//!
//! The size and build figures come from a child process, the benchmark binary run
//! with [`CHILD_FLAG`] (see [`run_child`] for why). Without Node, Chromium or
//! playwright-core that part prints `skipped:` and how to install it. The scripts
//! print `key: value` lines, echoed here with the language and the runtime in front.

use std::fs;
use std::hint::black_box;
use std::io::{self, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use tejun::build::{Timings, load_site};
use tejun::render::search::build_index;
use tejun::source::Sources;

use crate::mb;

/// Timed runs of `build_index` per language.
const BUILD_RUNS: usize = 3;
/// The query-time target of the issue, in ms (median after load).
const QUERY_TARGET_MS: f64 = 10.0;

/// What a language's index files hold.
struct IndexSize {
    raw: u64,
    /// Every file gzipped alone, summed.
    gzip: u64,
    first_gzip: u64,
    /// The entry shards and the term shards: how many, gzipped in all, the largest.
    entry_shards: (usize, u64, u64),
    term_shards: (usize, u64, u64),
    /// UTF-8 bytes of every entry's title and text.
    text: u64,
    entries: usize,
    steps: usize,
}

/// The full search block for the built site at `site` (output in `output`).
pub fn report(site: &Path, output: &Path, langs: &[&str]) -> Result<(), String> {
    println!("== search ==");
    run_child(site, output)?;
    let queries = scripts().join("queries.json");
    println!("queries: {}", crate::shown(&queries));
    println!("-- Node: benches/search/node.js --");
    for &lang in langs {
        if !run_script(lang, "node", &["node.js"], output, &queries)? {
            break;
        }
    }
    println!("-- Chromium: benches/search/browser.js --");
    for &lang in langs {
        if !run_script(lang, "chromium", &["browser.js"], output, &queries)? {
            break;
        }
    }
    Ok(())
}

/// The quick run's check: every language's first index file is there and not empty.
pub fn check_files(output: &Path, langs: &[&str]) -> Result<(), String> {
    println!("== search ==");
    for &lang in langs {
        let path = output.join(format!("searchindex.{lang}.js"));
        match fs::metadata(&path) {
            Ok(meta) if meta.len() > 0 => println!("{lang} index first load: {} bytes", meta.len()),
            _ => return Err(format!("the build wrote no search index {}", path.display())),
        }
    }
    println!("(figures only in `cargo bench --bench build`)");
    Ok(())
}

/// The contents of a file.
type Bytes = Vec<u8>;

/// The files of the index of `lang` in `output`, in order: the first load, then the
/// term shards and the entry shards by number.
fn index_files(output: &Path, lang: &str) -> Result<(Bytes, Vec<Bytes>, Vec<Bytes>), String> {
    let read = |name: &str| {
        let path = output.join(format!("searchindex.{lang}{name}.js"));
        fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let first = read("")?;
    let manifest = index_json(&first)?;
    let count = |key: &str| {
        manifest.get(key).map_or(0, |v| v.as_u64().map_or_else(|| v.as_array().map_or(0, Vec::len), |n| n as usize))
    };
    let terms = (0..count("terms")).map(|n| read(&format!(".t{n}"))).collect::<Result<_, _>>()?;
    let entries = (0..count("shards")).map(|n| read(&format!(".e{n}"))).collect::<Result<_, _>>()?;
    Ok((first, terms, entries))
}

fn index_size(output: &Path, lang: &str) -> Result<IndexSize, String> {
    let (first, terms, entries) = index_files(output, lang)?;
    let (mut text, mut steps, mut count) = (0, 0, 0);
    for shard in &entries {
        let shard = index_json(shard)?;
        let column = |key: &str| shard.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        for value in column("t").iter().chain(column("x").iter()) {
            text += value.as_str().map_or(0, str::len) as u64;
        }
        let numbers = column("s");
        count += numbers.len();
        steps += numbers.iter().filter(|s| s.as_u64().unwrap_or(0) > 0).count();
    }
    let shards = |files: &[Vec<u8>]| {
        let sizes: Vec<u64> = files.iter().map(|f| gzipped_len(f)).collect();
        (files.len(), sizes.iter().sum(), sizes.iter().copied().max().unwrap_or(0))
    };
    let (entry_shards, term_shards) = (shards(&entries), shards(&terms));
    let first_gzip = gzipped_len(&first);
    let raw = [&first].into_iter().chain(&terms).chain(&entries).map(|f| f.len() as u64).sum();
    Ok(IndexSize {
        raw,
        gzip: first_gzip + entry_shards.1 + term_shards.1,
        first_gzip,
        entry_shards,
        term_shards,
        text,
        entries: count,
        steps,
    })
}

/// Size of `bytes` gzipped at flate2's default level.
fn gzipped_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("writing into a Vec does not fail");
    encoder.finish().expect("writing into a Vec does not fail").len() as u64
}

/// The JSON of `window.tejunSearchIndex["ja.e0"]={…};`.
fn index_json(script: &[u8]) -> Result<Value, String> {
    let script = std::str::from_utf8(script).map_err(|e| format!("not UTF-8: {e}"))?;
    let (_, json) = script.split_once("]=").ok_or("no `window.tejunSearchIndex[NAME]=` in the file")?;
    let json = json.trim_end().trim_end_matches(';');
    serde_json::from_str(json).map_err(|e| format!("the index is not JSON: {e}"))
}

fn report_size(lang: &str, size: &IndexSize) {
    let ratio = |bytes: u64| bytes as f64 / size.text as f64;
    let per_10k_steps = size.gzip as f64 / 1e6 / size.steps.max(1) as f64 * 1e4;
    let verdict = if per_10k_steps <= 1.0 { "met" } else { "MISSED" };
    println!("{lang} entries: {} (pages, sections and steps)", size.entries);
    println!("{lang} steps: {}", size.steps);
    println!("{lang} text indexed: {} MB (titles and text of the entries)", mb(size.text));
    println!("{lang} index raw: {} MB (every file)", mb(size.raw));
    println!("{lang} index gzip: {} MB (every file gzipped alone, summed)", mb(size.gzip));
    println!("{lang} first load gzip: {:.1} KB (searchindex.{lang}.js)", size.first_gzip as f64 / 1e3);
    let (count, total, largest) = size.entry_shards;
    println!(
        "{lang} entry shards: {count}, {} MB gzip, largest {:.1} KB (pages, anchors, titles, text)",
        mb(total),
        largest as f64 / 1e3
    );
    let (count, total, largest) = size.term_shards;
    println!(
        "{lang} term shards: {count}, {} MB gzip, largest {:.1} KB (the inverted index)",
        mb(total),
        largest as f64 / 1e3
    );
    println!("{lang} raw / text: {:.2}", ratio(size.raw));
    println!("{lang} gzip / text: {:.2}", ratio(size.gzip));
    println!("{lang} gzip MB per 10,000 steps: {per_10k_steps:.2} (target ≤ 1: {verdict})");
}

/// The hidden first argument that makes the benchmark binary run [`print_in_process`]
/// on the site and output folder that follow it, and nothing else.
pub const CHILD_FLAG: &str = "--search-in-process";

/// Runs [`print_in_process`] in a child process, the benchmark binary itself, and
/// echoes what it prints. Not in this process: the site and the parsed indexes take
/// hundreds of MB, and Linux counts a parent's peak RSS in the `ru_maxrss` of every
/// child it starts afterwards, which would inflate the peak memory measured for the
/// example manual.
fn run_child(site: &Path, output: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the benchmark binary: {e}"))?;
    let mut command = Command::new(exe);
    command.arg(CHILD_FLAG).arg(site).arg(output);
    let result = command.output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !result.status.success() {
        let stderr = String::from_utf8_lossy(&result.stderr);
        return Err(format!("{command:?} failed ({}):\n{stderr}", result.status));
    }
    print!("{}", String::from_utf8_lossy(&result.stdout));
    Ok(())
}

/// The child's side of [`run_child`]: the size of each index file in `output`, then,
/// through the library, the site loaded and each language's index built and
/// serialized, timed.
pub fn print_in_process(site: &Path, output: &Path) -> Result<(), String> {
    let start = Instant::now();
    let mut diagnostics = Vec::new();
    let loaded = load_site(site, &mut Sources::default(), &mut diagnostics, &mut Timings::default());
    let site = loaded.ok_or_else(|| format!("cannot load {}: {} diagnostics", site.display(), diagnostics.len()))?;
    let load_time = start.elapsed();
    for language in &site.manual.languages {
        report_size(&language.code, &index_size(output, &language.code)?);
    }
    println!("site loaded in process: {:.2} s (load_site, not part of the figures below)", secs(load_time));
    for language in &site.manual.languages {
        let (lang, order) = (&language.code, &language.reading_order);
        let build = time_runs(|| drop(black_box(build_index(&site.manual, lang, order))));
        let index = build_index(&site.manual, lang, order);
        let serialize = time_runs(|| drop(black_box(index.files(lang))));
        println!("{lang} build_index min: {:.1} ms", ms(build.0));
        println!("{lang} build_index median: {:.1} ms", ms(build.1));
        println!("{lang} serialize median: {:.1} ms (SearchIndex::files: every file's script)", ms(serialize.1));
        println!("{lang} terms: {}", index.terms.len());
    }
    Ok(())
}

/// Min and median of [`BUILD_RUNS`] runs of `once`.
fn time_runs(mut once: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..BUILD_RUNS)
        .map(|_| {
            let start = Instant::now();
            once();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[BUILD_RUNS / 2])
}

/// Runs `node ARGS… OUTPUT LANG QUERIES` in `benches/search/` and echoes its lines as
/// `LANG RUNTIME key: value`. Returns false (after printing `skipped:`) when Node,
/// Chromium or playwright-core is missing, so the caller can stop asking.
fn run_script(lang: &str, runtime: &str, args: &[&str], output: &Path, queries: &Path) -> Result<bool, String> {
    let mut command = Command::new("node");
    command.args(args).arg(output).arg(lang).arg(queries).current_dir(scripts());
    let shown = format!("{command:?}");
    let result = match command.output() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            println!("skipped: node not found; install Node.js 18 or newer (apt-get install nodejs)");
            return Ok(false);
        }
        Err(e) => return Err(format!("cannot run {shown}: {e}")),
        Ok(result) => result,
    };
    let stderr = String::from_utf8_lossy(&result.stderr);
    match result.status.code() {
        Some(0) => {}
        Some(2) => {
            println!("skipped: {}", stderr.trim());
            return Ok(false);
        }
        _ => return Err(format!("{shown} failed ({}):\n{stderr}", result.status)),
    }
    for line in String::from_utf8_lossy(&result.stdout).lines() {
        println!("{lang} {runtime} {line}{}", target_note(line));
    }
    Ok(true)
}

/// After `query median: X ms …`, whether it met the target.
fn target_note(line: &str) -> String {
    let Some(rest) = line.strip_prefix("query median: ") else { return String::new() };
    match rest.split_once(" ms").and_then(|(value, _)| value.parse::<f64>().ok()) {
        Some(value) if value < QUERY_TARGET_MS => format!(" (target < {QUERY_TARGET_MS} ms: met)"),
        Some(_) => format!(" (target < {QUERY_TARGET_MS} ms: MISSED)"),
        None => String::new(),
    }
}

fn scripts() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/search"))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}
