//! Build benchmark: how long `tejun build` takes on a large manual, and how much memory.
//!
//! ```text
//! cargo bench --bench build                                  # 1,000 pages × 20 steps
//! cargo bench --bench build -- --pages 200 --steps 10 --runs 5
//! cargo bench --bench build -- --generate-only --pages 20    # write the site, no build
//! ```
//!
//! Options (after `--`):
//!
//! - `--pages N` — pages **per language** (default 1000). The manual is bilingual, so the
//!   default is 1,000 Japanese + 1,000 English = 2,000 page files, in chapters of 40.
//! - `--steps N` — steps per page (default 20).
//! - `--runs N` — measured builds (default 3), after one warm-up build.
//! - `--keep` — keep the build outputs (`public/`, `example-public/`) afterwards; by
//!   default they are deleted once measured, since they can take hundreds of MB.
//! - `--generate-only` — write the synthetic site and print its size, build nothing.
//!
//! Scenario 1 generates a synthetic bilingual manual (see `build/synth.rs`) into
//! `target/bench/synthetic-<pages>x<steps>/`, about 10 KB of Markdown per page file
//! (≈ 20 MB at the defaults). The site is reused by later runs with the same parameters
//! (a marker file records them); delete the folder to force regeneration. Then it runs
//! the release binary, `tejun build --root SITE --output SITE/public`, once to warm up
//! and `--runs` times measured, and prints one figure per line: page files, steps,
//! Markdown size, output size, wall time (min and median), pages and Markdown MB per
//! second, and peak memory (maximum RSS of the tejun process, from `wait4`). The output
//! folder is removed before every build, so each one does the same work.
//!
//! Scenario 2 builds the example manual of this repository (`content/` at the crate
//! root) into `target/bench/example-public/` and prints its time and memory.
//!
//! Sizes are in MB = 10⁶ bytes. The child's stdout and stderr go to
//! `target/bench/*.log`; a failed build stops the benchmark and prints its stderr.
//!
//! Run by `cargo test --benches` (which passes no `--bench` flag), it becomes a quick
//! smoke test: a 4-page site, one build, no warm-up.

#[path = "build/measure.rs"]
mod measure;
#[path = "build/synth.rs"]
mod synth;
#[path = "build/text.rs"]
mod text;

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use measure::Run;
use synth::Params;

const USAGE: &str = "\
usage: cargo bench --bench build -- [--pages N] [--steps N] [--runs N] [--keep] [--generate-only]

  --pages N          pages per language (default 1000: 1,000 ja + 1,000 en page files)
  --steps N          steps per page (default 20)
  --runs N           measured builds after one warm-up build (default 3)
  --keep             keep the build outputs instead of deleting them after measuring
  --generate-only    only write the synthetic site and print its size";

struct Options {
    pages: usize,
    steps: usize,
    runs: usize,
    keep: bool,
    generate_only: bool,
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
            keep: false,
            generate_only: false,
            quick,
            help: false,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--pages" => options.pages = number(&arg, args.next())?,
                "--steps" => options.steps = number(&arg, args.next())?,
                "--runs" => options.runs = number(&arg, args.next())?,
                "--keep" => options.keep = true,
                "--generate-only" => options.generate_only = true,
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

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = Options::parse(env::args().skip(1))?;
    if options.help {
        println!("{USAGE}");
        return Ok(());
    }
    if options.quick {
        println!("(quick smoke run; `cargo bench --bench build` runs the real benchmark)");
    }
    let bench_dir = target_dir().join("bench");
    let params = Params {
        pages: options.pages,
        steps: options.steps,
    };
    let site = bench_dir.join(format!("synthetic-{}x{}", params.pages, params.steps));

    let markdown_bytes = prepare_synthetic(&site, params)?;
    if options.generate_only {
        return Ok(());
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_tejun"));
    println!("tejun: {}", shown(binary));
    bench_synthetic(binary, &site, &bench_dir, params, markdown_bytes, &options)?;
    bench_example(binary, &bench_dir, &options)
}

/// `CARGO_TARGET_DIR` if set, else `target/` beside Cargo.toml.
fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// Generates the synthetic site unless it is already there; prints what it holds and
/// returns its Markdown size in bytes.
fn prepare_synthetic(site: &Path, params: Params) -> Result<u64, String> {
    let start = Instant::now();
    let generated =
        synth::ensure(site, params).map_err(|e| format!("cannot generate {}: {e}", shown(site)))?;
    let how = if generated {
        format!("generated in {:.2} s", start.elapsed().as_secs_f64())
    } else {
        "reused; delete the folder to regenerate".to_string()
    };
    let (md_files, md_bytes) = measure::tree_size(&site.join("content"), ".md")
        .map_err(|e| format!("cannot measure {}: {e}", shown(site)))?;
    let page_files = params.pages * params.languages();

    println!(
        "== synthetic manual: {} pages per language × {} steps ==",
        params.pages, params.steps
    );
    println!("site: {} ({how})", shown(site));
    println!("pages per language: {}", params.pages);
    println!("pages (files): {page_files} (ja + en)");
    println!("chapters: {}", params.chapters());
    println!(
        "steps total: {} (both languages)",
        page_files * params.steps
    );
    println!(
        "markdown: {} MB ({md_files} .md files, {md_bytes} bytes)",
        mb(md_bytes)
    );
    println!(
        "markdown per page file: {:.1} KB",
        md_bytes as f64 / page_files as f64 / 1e3
    );
    Ok(md_bytes)
}

fn bench_synthetic(
    binary: &Path,
    site: &Path,
    bench_dir: &Path,
    params: Params,
    markdown_bytes: u64,
    options: &Options,
) -> Result<(), String> {
    let output = site.join("public");
    let logs = bench_dir.join("synthetic");
    let runs = measure_builds(binary, site, &output, &logs, options)?;
    let median = report_runs(&runs, &output)?;
    let page_files = (params.pages * params.languages()) as f64;
    let seconds = median.as_secs_f64();
    println!(
        "pages per second: {:.0} (page files / median)",
        page_files / seconds
    );
    println!(
        "markdown MB per second: {:.2}",
        markdown_bytes as f64 / 1e6 / seconds
    );
    report_memory(&runs);
    finish(&output, options)
}

fn bench_example(binary: &Path, bench_dir: &Path, options: &Options) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("== example manual: {} ==", shown(root));
    let content = root.join("content");
    if !content.is_dir() {
        println!("skipped: {} does not exist yet", shown(&content));
        return Ok(());
    }
    let (md_files, md_bytes) = measure::tree_size(&content, ".md")
        .map_err(|e| format!("cannot measure {}: {e}", shown(&content)))?;
    println!("markdown: {} MB ({md_files} .md files)", mb(md_bytes));
    let output = bench_dir.join("example-public");
    let runs = measure_builds(binary, root, &output, &bench_dir.join("example"), options)?;
    report_runs(&runs, &output)?;
    report_memory(&runs);
    finish(&output, options)
}

/// A warm-up build (unless quick), then `options.runs` measured ones, each into an
/// empty output folder.
fn measure_builds(
    binary: &Path,
    root: &Path,
    output: &Path,
    logs: &Path,
    options: &Options,
) -> Result<Vec<Run>, String> {
    let build = || {
        measure::remove_tree(output)
            .map_err(|e| format!("cannot remove {}: {e}", shown(output)))?;
        measure::build(binary, root, output, logs)
    };
    if !options.quick {
        build()?;
    }
    (0..options.runs).map(|_| build()).collect()
}

/// Prints output size and wall times; returns the median wall time.
fn report_runs(runs: &[Run], output: &Path) -> Result<Duration, String> {
    let (min, median) = measure::min_and_median(runs);
    let walls: Vec<String> = runs.iter().map(|r| seconds(r.wall)).collect();
    let (out_files, out_bytes) = measure::tree_size(output, "")
        .map_err(|e| format!("cannot measure {}: {e}", shown(output)))?;
    println!(
        "output: {} MB ({out_files} files in {})",
        mb(out_bytes),
        shown(output)
    );
    println!("wall times: {}", walls.join(", "));
    println!("wall min: {}", seconds(min));
    println!("wall median: {}", seconds(median));
    Ok(median)
}

/// Prints the highest peak RSS of the tejun process over the measured runs.
fn report_memory(runs: &[Run]) {
    match measure::peak_rss(runs) {
        Some(bytes) => println!("peak RSS: {} MB", mb(bytes)),
        None => println!("peak RSS: not measured on this platform"),
    }
}

fn finish(output: &Path, options: &Options) -> Result<(), String> {
    if options.keep {
        println!("kept: {}", shown(output));
        Ok(())
    } else {
        measure::remove_tree(output).map_err(|e| format!("cannot remove {}: {e}", shown(output)))
    }
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
