//! The floor: what any Markdown site generator must at least do with the synthetic
//! manual — read each page, parse it with pulldown-cmark, write its HTML to a file of
//! its own — on one thread, in this process. tejun's build is measured against it.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// The floor and tejun's build in alternating rounds, `runs` of each after one of
/// each to warm up, so that a machine whose speed drifts (a shared VM's does by a
/// fifth within minutes) slows both alike; returns their medians (floor, tejun).
/// `tejun` runs one build into a fresh folder. Each round is printed with the time
/// tejun's own stages took, so that time outside them (starting, exiting, waiting
/// for the machine) shows.
pub fn alternating(
    content: &Path,
    output: &Path,
    runs: usize,
    mut tejun: impl FnMut() -> Result<crate::measure::Run, String>,
) -> Result<(Duration, Duration), String> {
    let mut pages = Vec::new();
    collect(content, &mut pages).map_err(|e| format!("cannot list {}: {e}", content.display()))?;
    pages.sort();
    let (mut floor_times, mut tejun_times) = (Vec::new(), Vec::new());
    for round in 0..=runs.max(1) {
        let run = tejun()?;
        let tejun_time = run.wall;
        let floor_time = once(&pages, output)?;
        let stages: f64 = run.stages.iter().map(|(_, ms)| ms).sum();
        println!(
            "round {round}{}: tejun {:.3} s (its stages {:.3} s), floor {:.3} s",
            if round == 0 { " (warm-up)" } else { "" },
            tejun_time.as_secs_f64(),
            stages / 1000.0,
            floor_time.as_secs_f64()
        );
        if round > 0 {
            tejun_times.push(tejun_time);
            floor_times.push(floor_time);
        }
    }
    crate::measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", output.display()))?;
    Ok((median(floor_times), median(tejun_times)))
}

/// Reads, parses and writes every page of `pages` into `output` once; the wall time.
fn once(pages: &[std::path::PathBuf], output: &Path) -> Result<Duration, String> {
    crate::measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", output.display()))?;
    crate::measure::settle_disk();
    let start = Instant::now();
    for (i, page) in pages.iter().enumerate() {
        let text = fs::read_to_string(page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        let mut html = String::with_capacity(text.len() * 2);
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()),
        );
        let dir = output.join(format!("{:03}", i / 100));
        if i % 100 == 0 {
            fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(dir.join(format!("{i}.html")), html).map_err(|e| format!("cannot write: {e}"))?;
    }
    Ok(start.elapsed())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Every Markdown file under `dir`, in the order the folders list them.
pub fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}
