//! Where `tejun check`'s CPU goes, by part of the pipeline: one run under `perf record`
//! with DWARF call graphs, and each sample given to the outermost part of tejun on its
//! stack — so that a sample in pulldown-cmark or the allocator counts for the part that
//! called it, and a rayon worker's sample for the part whose closure it runs. Printed
//! as shares of the samples, with three costs that cut across the parts: highlighting
//! code, the kernel giving the process fresh memory, and copying memory.
//!
//! Needs `perf` (Debian: `apt-get install linux-perf`) and permission to use it (root,
//! or `kernel.perf_event_paranoid` at most 2); otherwise it prints `skipped:` and why.

use std::path::Path;
use std::process::{Command, Stdio};

/// Samples per second: a prime, so that sampling does not beat with a periodic task.
const FREQUENCY: u32 = 1999;

/// Parts of the pipeline, each by the paths of the code that does it. A sample is the
/// work of the part that the outermost frame naming one names.
const PARTS: &[(&str, &[&str])] = &[
    ("load (read and decode the files)", &["tejun::load::"]),
    ("parse (Markdown and front matter into the model)", &["tejun::parse::"]),
    ("resolve (numbers, references, links, variants)", &["tejun::resolve::", "tejun::links::", "tejun::variants::"]),
    ("lints", &["tejun::lint::", "tejun::translations::"]),
    ("search index", &["tejun::render::search::"]),
    (
        "pages' HTML (templates, steps' Markdown, highlighting)",
        &[
            "tejun::render::html",
            "tejun::render::step_partial::",
            "tejun::render::markdown::",
            "tejun::render::highlight::",
            "tejun::redact::",
            "tera::",
        ],
    ),
    ("PDF", &["tejun::render::pdf::"]),
];

/// Costs found inside every part: (what, frames that show it anywhere on the stack,
/// or with `innermost` only as the frame the sample was taken in).
const ACROSS: &[(&str, &[&str], bool)] = &[
    ("highlighting code", &["tejun::render::highlight::"], false),
    ("the kernel giving fresh memory (page faults)", &["exc_page_fault"], false),
    ("copying memory (memcpy, memmove)", &["__memcpy", "__memmove"], true),
];

/// Profiles one `tejun check --no-cache --root SITE`, with perf's files in `dir`,
/// and prints the breakdown; prints `skipped:` when perf is missing or refused.
pub fn report(binary: &Path, site: &Path, dir: &Path) -> Result<(), String> {
    println!(
        "-- where check's CPU goes (perf record --call-graph dwarf; each sample in the outermost part on its stack) --"
    );
    let data = dir.join("check.perf.data");
    // A file from an earlier run must not pass for this one's.
    let _ = std::fs::remove_file(&data);
    let record = Command::new("perf")
        .args(["record", "-q", "-F", &FREQUENCY.to_string(), "--call-graph", "dwarf,40960", "-o"])
        .arg(&data)
        .arg("--")
        .arg(binary)
        .args(["check", "--no-cache", "--root"])
        .arg(site)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output();
    let record = match record {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("skipped: perf not found (apt-get install linux-perf)");
            return Ok(());
        }
        Err(e) => return Err(format!("cannot run perf: {e}")),
        Ok(output) => output,
    };
    // `check` exits 1 when the site has warnings; perf passes that on. No data is what fails.
    if !data.is_file() {
        println!("skipped: perf record wrote nothing: {}", String::from_utf8_lossy(&record.stderr).trim());
        return Ok(());
    }
    let script = Command::new("perf")
        .args(["script", "-F", "tid,ip,sym", "-i"])
        .arg(&data)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run perf script: {e}"))?;
    let text = String::from_utf8_lossy(&script.stdout);
    let samples = samples(&text);
    if samples.is_empty() {
        println!("skipped: perf script gave no samples");
        return Ok(());
    }
    print_breakdown(&breakdown(&samples), samples.len());
    let _ = std::fs::remove_file(&data);
    Ok(())
}

/// `perf script -F tid,ip,sym`: a header line per sample, then its frames one per
/// indented line (`ADDRESS SYMBOL`, innermost first), then a blank line. Each sample's
/// symbols, innermost first.
fn samples(script: &str) -> Vec<Vec<&str>> {
    script
        .split("\n\n")
        .map(|sample| {
            sample
                .lines()
                .filter(|line| line.starts_with('\t') || line.starts_with(' '))
                .filter_map(|frame| frame.trim().split_once(' ').map(|(_, symbol)| symbol))
                .collect::<Vec<&str>>()
        })
        .filter(|frames| !frames.is_empty())
        .collect()
}

/// Samples per part (in the order of [`PARTS`], then the rest) and per cost across.
struct Breakdown {
    parts: Vec<usize>,
    elsewhere: usize,
    across: Vec<usize>,
}

fn breakdown(samples: &[Vec<&str>]) -> Breakdown {
    let mut counts = Breakdown { parts: vec![0; PARTS.len()], elsewhere: 0, across: vec![0; ACROSS.len()] };
    for frames in samples {
        match part_of(frames) {
            Some(part) => counts.parts[part] += 1,
            None => counts.elsewhere += 1,
        }
        for (i, (_, patterns, innermost)) in ACROSS.iter().enumerate() {
            let shows = |frame: &&str| patterns.iter().any(|p| frame.contains(p));
            let found = if *innermost { frames.first().is_some_and(shows) } else { frames.iter().any(shows) };
            counts.across[i] += usize::from(found);
        }
    }
    counts
}

/// The part of the outermost frame that belongs to one.
fn part_of(frames: &[&str]) -> Option<usize> {
    frames.iter().rev().find_map(|frame| PARTS.iter().position(|(_, paths)| paths.iter().any(|p| frame.contains(p))))
}

fn print_breakdown(counts: &Breakdown, total: usize) {
    let share = |n: usize| 100.0 * n as f64 / total as f64;
    println!(
        "samples: {total} ({:.2} s of CPU at {FREQUENCY} Hz, slowed by perf's unwinding)",
        total as f64 / f64::from(FREQUENCY)
    );
    let mut parts: Vec<(&str, usize)> = PARTS.iter().map(|(name, _)| *name).zip(counts.parts.iter().copied()).collect();
    parts.sort_by_key(|(_, samples)| std::cmp::Reverse(*samples));
    for (name, n) in parts.into_iter().filter(|(_, n)| *n > 0) {
        println!("  {name}: {:.1} %", share(n));
    }
    println!("  elsewhere (start, exit, stacks perf cut short): {:.1} %", share(counts.elsewhere));
    let across: Vec<String> =
        ACROSS.iter().zip(&counts.across).map(|((name, _, _), &n)| format!("{name} {:.1} %", share(n))).collect();
    println!("across the parts: {}", across.join(", "));
}

/// What [`report`] reads, checked on a made-up `perf script` output: the quick run of
/// the benchmark (`cargo test --benches`) has no perf to run.
pub fn check_reading() -> Result<(), String> {
    const SCRIPT: &str = "\
123 \n\
\t  1 __memmove_avx512_unaligned_erms\n\
\t  2 tejun::render::markdown::escape_into\n\
\t  3 tejun::render::html::Renderer::page\n\
\t  4 std::thread::main\n\
\n\
124 \n\
\t  5 pulldown_cmark::parse::Parser::next\n\
\t  6 tejun::parse::markdown::top_level_items\n\
\t  7 rayon_core::registry::main_loop\n\
\n\
124 \n\
\t  8 clear_page_erms\n\
\t  9 exc_page_fault\n\
\t  a tejun::render::highlight::Generator::line\n\
\t  b tejun::render::search::render::{{closure}}\n\
\n\
125 \n\
\t  c _dl_start\n\
\n\
126 \n\
\t  d __memcmp_evex_movbe\n\
\t  e tejun::lint::lint\n";
    let samples = samples(SCRIPT);
    let counts = breakdown(&samples);
    let part = |name: &str| PARTS.iter().position(|(n, _)| n.starts_with(name)).map(|i| counts.parts[i]);
    let found = (samples.len(), part("pages"), part("parse"), part("search"), part("lints"), counts.elsewhere);
    let expected = (5, Some(1), Some(1), Some(1), Some(1), 1);
    if found != expected || counts.across != [1, 1, 1] {
        return Err(format!(
            "profile: reading perf script gave {found:?} and {:?}, expected {expected:?} and [1, 1, 1]",
            counts.across
        ));
    }
    Ok(())
}
