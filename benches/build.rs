//! Build benchmark: how long `tejun build` takes on a large manual, how much memory it
//! needs, and how much of that time is tejun's own work rather than the filesystem's.
//!
//! ```text
//! cargo bench --bench build                                  # 1,000 pages × 20 steps
//! cargo bench --bench build -- --pages 200 --steps 10 --runs 5
//! cargo bench --bench build -- --output-dir /dev/shm/tejun-out   # output on tmpfs
//! cargo bench --bench build -- --generate-only --pages 20    # write the site, no build
//! ```
//!
//! Options (after `--`):
//!
//! - `--pages N` — pages **per language** (default 1000). The manual is bilingual, so the
//!   default is 1,000 Japanese + 1,000 English = 2,000 page files, in chapters of 40.
//! - `--steps N` — steps per page (default 20).
//! - `--runs N` — measured runs of `build` and of `check` (default 3), each after one
//!   warm-up run.
//! - `--dir DIR` — where the synthetic site, the build outputs and the logs go (default
//!   `$TMPDIR/tejun-bench`, see below).
//! - `--output-dir DIR` — write the builds into `DIR/synthetic-public` and
//!   `DIR/example-public` instead (e.g. on a tmpfs such as `/dev/shm`, to take the disk
//!   out); only those two folders are emptied and removed.
//! - `--keep` — keep the build outputs afterwards; by default they are deleted once
//!   measured, since they can take hundreds of MB.
//! - `--generate-only` — write the synthetic site and print its size, build nothing.
//!
//! **Why the temp dir.** The benchmark creates thousands of files per build. How fast a
//! filesystem creates files varies enormously: on one sandboxed machine, creating 2,000
//! empty files took 1.1 s inside the repository and 0.08 s in `/tmp`, which made the
//! figures measure the sandbox rather than tejun. So everything goes to
//! `std::env::temp_dir()` by default (`$TMPDIR`, usually `/tmp`); `--dir` and
//! `--output-dir` measure elsewhere, and the folders used are printed.
//!
//! Scenario 1 generates a synthetic bilingual manual (see `build/synth.rs`) into
//! `DIR/synthetic-<pages>x<steps>/`, about 10 KB of Markdown per page file (≈ 20 MB at
//! the defaults). The site is reused by later runs with the same parameters (a marker
//! file records them); delete the folder to force regeneration. Then it measures:
//!
//! - **full builds**: the release binary, `tejun build --timings --root SITE --output
//!   SITE/public`, once to warm up and `--runs` times measured, each into a new
//!   output folder so each does the same work (the last run's is renamed aside, and
//!   every folder set aside is deleted at the end: see `measure::set_aside` for why
//!   not between runs; before each timed run the disk is synced, so no run pays for
//!   writing out the files of the one before; the floor and the peers are measured the
//!   same way). Printed: page files, steps, Markdown
//!   size, output size, wall time (min and median), pages and Markdown MB per second,
//!   peak memory (maximum RSS of the tejun process, from `wait4`), and the stage times
//!   tejun reports for the run with the median wall time (load, parse, resolve, render
//!   and write).
//! - **floor**: what any generator must do — read each page, parse it with
//!   pulldown-cmark, write its HTML to a file — on one thread (`build/floor.rs`), in
//!   `--runs` rounds alternating with tejun's build (after one round to warm up), so
//!   that the machine's drifting speed weighs on both alike; the median of each, and
//!   tejun's as a multiple of the floor's.
//! - **peers** (see `build/peers.rs`): Hugo and mdBook, when installed, on the same
//!   pages converted for them, built in turns with tejun (tejun, Hugo, mdBook, tejun,
//!   …); their median and peak memory, and tejun's median over the same rounds over
//!   theirs (target: at most 0.1).
//! - **render only**: `tejun check --root SITE` the same way. `check` loads, parses,
//!   resolves and renders every page in memory but writes nothing, so it is tejun's own
//!   work; the build's median minus check's median is what writing the files costs.
//! - **profile** (see `build/profile.rs`): one `check` under `perf record`, its samples
//!   shared out among the pipeline's parts (load, parse, resolve, lints, search index,
//!   pages' HTML), and what highlighting, page faults and copying memory take across
//!   them; `skipped:` without perf (`apt-get install linux-perf`).
//! - **search** (see `build/search.rs`): per language, the size of the index files
//!   (`searchindex.LANG.js` and its shards) raw and gzipped and as a ratio of the text
//!   indexed, gzipped MB per 10,000 steps, the time `build_index` takes in process,
//!   what each query of `benches/search/queries.json` transfers (the files it loads,
//!   gzipped), and the time the browser client (`themes/default/static/search.js`)
//!   takes to answer those queries, warm and on a cold page, under Node and in
//!   headless Chromium (`benches/search/*.js`; without Node, Chromium or
//!   playwright-core from `npm ci --prefix tests/e2e`, that part prints `skipped:`).
//!
//! - **PDF handouts** (see `build/pdf.rs`): the time and peak memory to make every PDF
//!   of the site (fonts, images, typesetting), in a child process of its own.
//!
//! Scenario 2 does the same, without the search block, for the example manual of this
//! repository (`content/` at the crate root), built into `DIR/example-public/`.
//!
//! Sizes are in MB = 10⁶ bytes. The child's stdout and stderr go to `DIR/*.log`; a
//! failed build or check stops the benchmark and prints its stderr.
//!
//! Run by `cargo test --benches` (which passes no `--bench` flag), it becomes a quick
//! smoke test: a 4-page site, one run of each, no warm-up, only a check that the search
//! indexes were written, in a folder of its own
//! (`$TMPDIR/tejun-bench-smoke-<pid>`, so that concurrent test runs do not trip over
//! each other), removed after a successful run unless `--dir` or `--keep` is given.

#[path = "../src/allocator.rs"]
mod allocator;
#[path = "build/floor.rs"]
mod floor;
#[path = "build/measure.rs"]
mod measure;
#[path = "build/pdf.rs"]
mod pdf;
#[path = "build/peers.rs"]
mod peers;
#[path = "build/profile.rs"]
mod profile;
#[path = "build/search.rs"]
mod search;
#[path = "build/synth.rs"]
mod synth;
#[path = "build/text.rs"]
mod text;
#[path = "build/variants.rs"]
mod variants;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use measure::Run;
use synth::Params;

/// The allocator of the tejun binary, so that what the benchmark times in process
/// (the floor, the search index) allocates as it does in a build.
#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

const USAGE: &str = "\
usage: cargo bench --bench build -- [--pages N] [--steps N] [--runs N] [--dir DIR]
                                    [--output-dir DIR] [--keep] [--generate-only]

  --pages N          pages per language (default 1000: 1,000 ja + 1,000 en page files)
  --steps N          steps per page (default 20)
  --runs N           measured runs of build and of check after a warm-up (default 3)
  --dir DIR          site, outputs and logs (default: the temp dir's tejun-bench/)
  --output-dir DIR   build into DIR/synthetic-public and DIR/example-public instead
  --keep             keep the build outputs instead of deleting them after measuring
  --generate-only    only write the synthetic site and print its size
  --variants         also build the synthetic manual with a two-value dimension
                     (Edge and Chrome) and print its cost against the plain one
  --pdf              also make the synthetic manual's PDFs (minutes and gigabytes at the
                     default size: manual.pdf takes about 1 MB of memory per printed page)";

struct Options {
    pages: usize,
    steps: usize,
    runs: usize,
    dir: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    keep: bool,
    generate_only: bool,
    /// Measure the synthetic manual's PDFs too.
    pdf: bool,
    /// Measure the synthetic manual with a two-value variant dimension too.
    variants: bool,
    /// `cargo bench` passes `--bench`; without it we run as a quick smoke test.
    quick: bool,
    help: bool,
}

impl Options {
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let args: Vec<String> = args.into_iter().collect();
        let quick = !args.iter().any(|a| a == "--bench");
        let mut options = Options {
            pages: if quick { 4 } else { 1000 },
            steps: if quick { 6 } else { 20 },
            runs: if quick { 1 } else { 3 },
            dir: None,
            output_dir: None,
            keep: false,
            generate_only: false,
            pdf: false,
            variants: false,
            quick,
            help: false,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--pages" => options.pages = number(&arg, args.next())?,
                "--steps" => options.steps = number(&arg, args.next())?,
                "--runs" => options.runs = number(&arg, args.next())?,
                "--dir" => options.dir = Some(folder(&arg, args.next())?),
                "--output-dir" => options.output_dir = Some(folder(&arg, args.next())?),
                "--keep" => options.keep = true,
                "--generate-only" => options.generate_only = true,
                "--pdf" => options.pdf = true,
                "--variants" => options.variants = true,
                "--bench" => {}
                "-h" | "--help" => options.help = true,
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// The value after `flag`, a number of at least 1.
fn number(flag: &str, value: Option<String>) -> Result<usize, String> {
    match value.as_deref().map(str::parse::<usize>) {
        Some(Ok(n)) if n >= 1 => Ok(n),
        _ => Err(format!("{flag} needs a number of at least 1\n\n{USAGE}")),
    }
}

/// The value after `flag`, a folder (made absolute, so that it is the same for tejun).
fn folder(flag: &str, value: Option<String>) -> Result<PathBuf, String> {
    match value.filter(|v| !v.is_empty()) {
        Some(dir) => std::path::absolute(&dir).map_err(|e| format!("{flag} {dir}: {e}")),
        None => Err(format!("{flag} needs a folder\n\n{USAGE}")),
    }
}

/// Where the benchmark reads and writes.
struct Places {
    /// `--dir`: the synthetic site, the example manual's output (by default) and logs.
    dir: PathBuf,
    /// The synthetic site.
    site: PathBuf,
    synthetic_output: PathBuf,
    example_output: PathBuf,
    /// `dir` is a quick run's own folder, to be removed after a successful run (a failed
    /// one leaves it, logs included, for a look).
    scratch: bool,
}

impl Places {
    fn new(options: &Options, params: Params) -> Places {
        let scratch = options.quick && options.dir.is_none() && !options.keep && !options.generate_only;
        let dir = match &options.dir {
            Some(dir) => dir.clone(),
            None if options.quick => env::temp_dir().join(format!("tejun-bench-smoke-{}", std::process::id())),
            None => env::temp_dir().join("tejun-bench"),
        };
        let site = dir.join(format!("synthetic-{}x{}", params.pages, params.steps));
        let (synthetic_output, example_output) = match &options.output_dir {
            Some(out) => (out.join("synthetic-public"), out.join("example-public")),
            None => (site.join("public"), dir.join("example-public")),
        };
        Places { dir, site, synthetic_output, example_output, scratch }
    }
}

fn main() -> ExitCode {
    if let Some(code) = pdf::child(&env::args().collect::<Vec<_>>()) {
        return code;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = env::args().skip(1).collect();
    if let [flag, site, output] = args.as_slice()
        && flag == search::CHILD_FLAG
    {
        return search::print_in_process(Path::new(site), Path::new(output));
    }
    let options = Options::parse(args)?;
    if options.help {
        println!("{USAGE}");
        return Ok(());
    }
    if options.quick {
        println!("(quick smoke run; `cargo bench --bench build` runs the real benchmark)");
    }
    let params = Params { pages: options.pages, steps: options.steps };
    let places = Places::new(&options, params);
    fs::create_dir_all(&places.dir).map_err(|e| format!("cannot create {}: {e}", shown(&places.dir)))?;
    println!("bench folder: {}", shown(&places.dir));
    let result = run_in(&places, params, &options);
    measure::remove_set_aside().map_err(|e| format!("cannot remove the outputs of earlier runs: {e}"))?;
    if places.scratch && result.is_ok() {
        measure::remove_tree(&places.dir).map_err(|e| format!("cannot remove {}: {e}", shown(&places.dir)))?;
    }
    result
}

fn run_in(places: &Places, params: Params, options: &Options) -> Result<(), String> {
    let markdown_bytes = prepare_synthetic(&places.site, params)?;
    if options.generate_only {
        return Ok(());
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_tejun"));
    println!("tejun: {}", shown(binary));
    bench_synthetic(binary, places, params, markdown_bytes, options)?;
    bench_example(binary, places, options)
}

/// Generates the synthetic site unless it is already there; prints what it holds and
/// returns its Markdown size in bytes.
fn prepare_synthetic(site: &Path, params: Params) -> Result<u64, String> {
    let start = Instant::now();
    let generated = synth::ensure(site, params).map_err(|e| format!("cannot generate {}: {e}", shown(site)))?;
    let how = if generated {
        format!("generated in {:.2} s", start.elapsed().as_secs_f64())
    } else {
        "reused; delete the folder to regenerate".to_string()
    };
    let (md_files, md_bytes) =
        measure::tree_size(&site.join("content"), ".md").map_err(|e| format!("cannot measure {}: {e}", shown(site)))?;
    let page_files = params.pages * params.languages();

    println!("== synthetic manual: {} pages per language × {} steps ==", params.pages, params.steps);
    println!("site: {} ({how})", shown(site));
    println!("pages per language: {}", params.pages);
    println!("pages (files): {page_files} (ja + en)");
    println!("chapters: {}", params.chapters());
    println!("steps total: {} (both languages)", page_files * params.steps);
    println!("markdown: {} MB ({md_files} .md files, {md_bytes} bytes)", mb(md_bytes));
    println!("markdown per page file: {:.1} KB", md_bytes as f64 / page_files as f64 / 1e3);
    Ok(md_bytes)
}

fn bench_synthetic(
    binary: &Path,
    places: &Places,
    params: Params,
    markdown_bytes: u64,
    options: &Options,
) -> Result<(), String> {
    let (site, output) = (&places.site, &places.synthetic_output);
    println!("output folder: {}", shown(output));
    let logs = places.dir.join("synthetic");
    let runs = measure_builds(binary, site, output, &logs, options)?;
    let median = report_runs(&runs, output)?;
    let page_files = (params.pages * params.languages()) as f64;
    let seconds = median.as_secs_f64();
    println!("pages per second: {:.0} (page files / median)", page_files / seconds);
    println!("markdown MB per second: {:.2}", markdown_bytes as f64 / 1e6 / seconds);
    report_memory("peak RSS", &runs);
    report_stages(&runs);
    let floor_output = output.with_file_name("floor-public");
    let build = || {
        measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", shown(output)))?;
        measure::build(binary, site, output, &logs)
    };
    let (floor, alongside) = floor::alternating(&site.join("content"), &floor_output, options.runs, build)?;
    println!(
        "floor (pulldown-cmark parse + HTML + one file per page, one thread): {:.3} s; build / floor: {:.2}× \
         (medians of {} rounds alternating the two: build {:.3} s)",
        floor.as_secs_f64(),
        alongside.as_secs_f64() / floor.as_secs_f64(),
        options.runs.max(1),
        alongside.as_secs_f64()
    );
    if !options.quick {
        let tejun = || {
            measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", shown(output)))?;
            measure::build(binary, site, output, &logs)
        };
        peers::report(site, &places.dir.join("peers"), tejun, options.runs)?;
    }
    let logs = places.dir.join("synthetic-check");
    bench_check(binary, site, &logs, median, options)?;
    if options.quick {
        profile::check_reading()?;
    } else {
        profile::report(binary, site, &places.dir)?;
    }
    let langs = params.language_codes();
    if options.quick {
        search::check_files(output, &langs)?;
    } else {
        search::report(site, output, &langs)?;
    }
    if options.variants || options.quick {
        bench_variants(binary, places, median, options)?;
    }
    if options.pdf || options.quick {
        pdf::report("synthetic manual", site, options.runs)?;
    } else {
        println!("synthetic manual PDFs: not measured (add --pdf)");
    }
    finish(output, options)
}

/// The synthetic manual with `[variants.browser]`: two manuals from one source. Its
/// build against the plain site's median (`plain`), and the same for `check`.
fn bench_variants(binary: &Path, places: &Places, plain: Duration, options: &Options) -> Result<(), String> {
    let site = places.site.with_file_name(format!(
        "{}-variants",
        places.site.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    variants::ensure(&places.site, &site).map_err(|e| format!("cannot write {}: {e}", shown(&site)))?;
    println!("== synthetic manual, two variants (browser = edge, chrome) ==");
    println!("site: {}", shown(&site));
    let output = site.join("public");
    let runs = measure_builds(binary, &site, &output, &places.dir.join("variants"), options)?;
    let median = report_runs(&runs, &output)?;
    println!(
        "build time against one manual: {:.2}× ({} / {})",
        median.as_secs_f64() / plain.as_secs_f64(),
        seconds(median),
        seconds(plain)
    );
    report_memory("peak RSS", &runs);
    report_stages(&runs);
    finish(&output, options)
}

fn bench_example(binary: &Path, places: &Places, options: &Options) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("== example manual: {} ==", shown(root));
    let content = root.join("content");
    if !content.is_dir() {
        println!("skipped: {} does not exist yet", shown(&content));
        return Ok(());
    }
    let (md_files, md_bytes) =
        measure::tree_size(&content, ".md").map_err(|e| format!("cannot measure {}: {e}", shown(&content)))?;
    println!("markdown: {} MB ({md_files} .md files)", mb(md_bytes));
    let output = &places.example_output;
    println!("output folder: {}", shown(output));
    let runs = measure_builds(binary, root, output, &places.dir.join("example"), options)?;
    let median = report_runs(&runs, output)?;
    report_memory("peak RSS", &runs);
    report_stages(&runs);
    let logs = places.dir.join("example-check");
    bench_check(binary, root, &logs, median, options)?;
    if !options.quick {
        pdf::report("example manual", root, options.runs)?;
    }
    finish(output, options)
}

/// A warm-up build (unless quick), then `options.runs` measured ones, each into a
/// new output folder.
fn measure_builds(
    binary: &Path,
    root: &Path,
    output: &Path,
    logs: &Path,
    options: &Options,
) -> Result<Vec<Run>, String> {
    let build = || {
        measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", shown(output)))?;
        measure::build(binary, root, output, logs)
    };
    repeat(build, options)
}

/// A warm-up run (unless quick), then `options.runs` measured ones.
fn repeat(mut once: impl FnMut() -> Result<Run, String>, options: &Options) -> Result<Vec<Run>, String> {
    if !options.quick {
        once()?;
    }
    (0..options.runs).map(|_| once()).collect()
}

/// Measures `tejun check` on `root` and prints it as its own block, with how much
/// longer the build took (`build_median`): the cost of writing the files.
fn bench_check(
    binary: &Path,
    root: &Path,
    logs: &Path,
    build_median: Duration,
    options: &Options,
) -> Result<(), String> {
    let runs = repeat(|| measure::check(binary, root, logs), options)?;
    let (min, median) = measure::min_and_median(&runs);
    println!("-- render only (tejun check: load, parse, resolve, render; writes nothing) --");
    println!("check wall times: {}", wall_times(&runs));
    println!("check wall min: {}", seconds(min));
    println!("check wall median: {}", seconds(median));
    report_memory("check peak RSS", &runs);
    let writing = build_median.as_secs_f64() - median.as_secs_f64();
    println!("build minus check (median): {writing:.3} s (writing the files)");
    Ok(())
}

/// Prints output size and wall times; returns the median wall time.
fn report_runs(runs: &[Run], output: &Path) -> Result<Duration, String> {
    let (min, median) = measure::min_and_median(runs);
    let (out_files, out_bytes) =
        measure::tree_size(output, "").map_err(|e| format!("cannot measure {}: {e}", shown(output)))?;
    println!("output: {} MB ({out_files} files)", mb(out_bytes));
    println!("wall times: {}", wall_times(runs));
    println!("wall min: {}", seconds(min));
    println!("wall median: {}", seconds(median));
    Ok(median)
}

/// Prints the highest peak RSS of the tejun process over the measured runs.
fn report_memory(key: &str, runs: &[Run]) {
    match measure::peak_rss(runs) {
        Some(bytes) => println!("{key}: {} MB", mb(bytes)),
        None => println!("{key}: not measured on this platform"),
    }
}

/// Prints the stages `--timings` reported for the build with the median wall time;
/// nothing if tejun printed none.
fn report_stages(runs: &[Run]) {
    for (stage, ms) in &measure::median_run(runs).stages {
        println!("stage {stage}: {ms:.1} ms (median build)");
    }
}

fn finish(output: &Path, options: &Options) -> Result<(), String> {
    if options.keep {
        println!("kept: {}", shown(output));
        Ok(())
    } else {
        measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", shown(output)))
    }
}

fn wall_times(runs: &[Run]) -> String {
    let walls: Vec<String> = runs.iter().map(|r| seconds(r.wall)).collect();
    walls.join(", ")
}

fn mb(bytes: u64) -> String {
    format!("{:.2}", bytes as f64 / 1e6)
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// A path relative to the crate root when it is inside it.
fn shown(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match path.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}
