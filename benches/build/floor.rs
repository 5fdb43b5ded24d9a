//! The floor: what any Markdown site generator must at least do with the synthetic
//! manual — read each page, parse it with pulldown-cmark, write its HTML to a file of
//! its own — on one thread, in this process. tejun's build is measured against it.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// Reads, parses and writes every `.md` file under `content` into `output`, `runs`
/// times; returns the median wall time.
pub fn measure(content: &Path, output: &Path, runs: usize) -> Result<Duration, String> {
    let mut pages = Vec::new();
    collect(content, &mut pages).map_err(|e| format!("cannot list {}: {e}", content.display()))?;
    pages.sort();
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
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
        times.push(start.elapsed());
    }
    crate::measure::set_aside(output).map_err(|e| format!("cannot move {} aside: {e}", output.display()))?;
    times.sort();
    Ok(times[times.len() / 2])
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
