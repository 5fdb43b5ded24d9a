//! PDF handouts: how long making every PDF of a site takes and how much memory it
//! needs, apart from the rest of the build.
//!
//! The figures come from a child process (this benchmark binary again, with
//! `--pdf-child SITE`), so that its peak memory is its own: it loads and resolves
//! the site, notes its peak RSS so far, then finds the fonts, reads the images and
//! writes every PDF (`tejun::render::pdf::render`) into a sink that only counts
//! bytes. It prints `key: value` lines that the parent reads; the parent adds the
//! child's wall time and peak RSS from `wait4`.

use std::io;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tejun::build::{Timings, load_site};
use tejun::output::Sink;
use tejun::source::Sources;

/// The flag that makes the benchmark binary a PDF child.
const CHILD: &str = "--pdf-child";

/// Runs as the child when the arguments say so; `None` otherwise.
pub fn child(args: &[String]) -> Option<ExitCode> {
    let at = args.iter().position(|a| a == CHILD)?;
    let Some(site) = args.get(at + 1) else {
        eprintln!("{CHILD} needs the site's folder");
        return Some(ExitCode::FAILURE);
    };
    match make_pdfs(Path::new(site)) {
        Ok(()) => Some(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("error: {error}");
            Some(ExitCode::FAILURE)
        }
    }
}

/// Counts what it is given and keeps nothing.
#[derive(Default)]
struct Counter {
    files: AtomicU64,
    bytes: AtomicU64,
    /// Printed pages in all, and of the `manual.pdf`s.
    pages: AtomicU64,
    manual_pages: AtomicU64,
    largest: Mutex<(u64, String)>,
}

impl Sink for Counter {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let pages = page_count(bytes);
        self.pages.fetch_add(pages, Ordering::Relaxed);
        if path.ends_with("/manual.pdf") {
            self.manual_pages.fetch_add(pages, Ordering::Relaxed);
        }
        let mut largest = self.largest.lock().expect("no panics while holding the lock");
        if bytes.len() as u64 > largest.0 {
            *largest = (bytes.len() as u64, path.to_string());
        }
        Ok(())
    }

    fn copy(&self, _path: &str, _from: &Path) -> io::Result<()> {
        Ok(())
    }
}

/// The page count of a PDF as typst writes it: its page tree's root, `/Type/Pages/Count N`,
/// is a plain object (0 when not found).
fn page_count(pdf: &[u8]) -> u64 {
    const ROOT: &[u8] = b"/Type/Pages/Count ";
    let Some(at) = pdf.windows(ROOT.len()).position(|w| w == ROOT) else { return 0 };
    let digits: Vec<u8> = pdf[at + ROOT.len()..].iter().copied().take_while(u8::is_ascii_digit).collect();
    String::from_utf8_lossy(&digits).parse().unwrap_or(0)
}

fn make_pdfs(site: &Path) -> Result<(), String> {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let loaded = load_site(site, &mut sources, &mut diagnostics, &mut Timings::default());
    let mut site = loaded.ok_or_else(|| format!("the site has errors: {diagnostics:?}"))?;
    // Measured even where the site's tejun.toml turns PDFs off for its HTML builds.
    site.config.pdf.enabled = true;
    // Every run typesets: the figures are of compiling, not of the cache.
    site.config.pdf.cache = tejun::config::PdfCache::Off;
    println!("peak before pdf: {}", own_peak_rss().unwrap_or(0));
    let start = Instant::now();
    let redacted = tejun::redact::published_copies(&site.manual, &site.assets).map_err(|d| d.message)?;
    let mut inputs = tejun::render::pdf::Inputs::load(&site.config, &site.manual, &site.assets, &redacted, &sources)
        .map_err(|d| d.message)?;
    let fonts = start.elapsed();
    let counter = Counter::default();
    tejun::render::pdf::render(site.editions(), &site.config, &mut inputs, &sources, &counter)
        .map_err(|d| d.message)?;
    let total = start.elapsed();
    println!("fonts and images ms: {:.1}", fonts.as_secs_f64() * 1e3);
    println!("pdf ms: {:.1}", total.as_secs_f64() * 1e3);
    println!("pdf files: {}", counter.files.load(Ordering::Relaxed));
    println!("pdf bytes: {}", counter.bytes.load(Ordering::Relaxed));
    println!("pdf pages: {}", counter.pages.load(Ordering::Relaxed));
    println!("manual pages: {}", counter.manual_pages.load(Ordering::Relaxed));
    let (size, path) = counter.largest.into_inner().expect("no panics while holding the lock");
    println!("largest: {path} {size}");
    Ok(())
}

/// This process's peak RSS in bytes, from `/proc/self/status` (Linux).
fn own_peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line["VmHWM:".len()..].trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

/// One child run: its figures and wall time and peak RSS.
struct Run {
    wall: Duration,
    peak: Option<u64>,
    lines: Vec<(String, String)>,
}

impl Run {
    fn value(&self, key: &str) -> Option<&str> {
        self.lines.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn ms(&self, key: &str) -> f64 {
        self.value(key).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
    }
}

/// Makes the PDFs of the site at `root` in a child process `runs` times (after a
/// warm-up unless `quick`) and prints the figures.
/// No warm-up run: a compile keeps nothing between processes but the fonts in the
/// page cache, and a large manual's PDFs take minutes.
pub fn report(name: &str, root: &Path, runs: usize) -> Result<(), String> {
    println!("-- PDF handouts, {name} (fonts, images, typesetting, PDF; in process, nothing written) --");
    let runs: Vec<Run> = (0..runs).map(|_| run_child(root)).collect::<Result<_, _>>()?;
    let mut sorted: Vec<&Run> = runs.iter().collect();
    sorted.sort_by(|a, b| a.ms("pdf ms").total_cmp(&b.ms("pdf ms")));
    let median = sorted[(sorted.len() - 1) / 2];
    let times: Vec<String> = runs.iter().map(|r| format!("{:.3} s", r.ms("pdf ms") / 1e3)).collect();
    println!("pdf files: {}", median.value("pdf files").unwrap_or("?"));
    let bytes: f64 = median.value("pdf bytes").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    println!("pdf size: {:.2} MB (largest: {})", bytes / 1e6, median.value("largest").unwrap_or("?"));
    let pages: f64 = median.value("pdf pages").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    println!(
        "printed pages: {pages} ({} in the manual.pdf files); {:.0} pages per second (median run)",
        median.value("manual pages").unwrap_or("?"),
        pages / (median.ms("pdf ms") / 1e3)
    );
    println!("pdf times: {}", times.join(", "));
    println!("pdf time min: {:.3} s", sorted[0].ms("pdf ms") / 1e3);
    println!("pdf time median: {:.3} s", median.ms("pdf ms") / 1e3);
    println!("of which fonts and images (median run): {:.1} ms", median.ms("fonts and images ms"));
    println!(
        "child wall median (load + resolve + pdf): {:.3} s",
        sorted.iter().map(|r| r.wall).nth((sorted.len() - 1) / 2).unwrap_or_default().as_secs_f64()
    );
    let before: Option<u64> = median.value("peak before pdf").and_then(|v| v.parse().ok());
    match (runs.iter().filter_map(|r| r.peak).max(), before) {
        (Some(peak), Some(before)) => {
            println!(
                "pdf peak RSS: {:.2} MB (whole child; {:.2} MB before the PDFs)",
                peak as f64 / 1e6,
                before as f64 / 1e6
            )
        }
        (Some(peak), None) => println!("pdf peak RSS: {:.2} MB (whole child)", peak as f64 / 1e6),
        _ => println!("pdf peak RSS: not measured on this platform"),
    }
    Ok(())
}

fn run_child(root: &Path) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the benchmark binary: {e}"))?;
    let mut command = Command::new(exe);
    command.arg(CHILD).arg(root).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start the PDF child: {e}"))?;
    let (output, peak) = wait(child).map_err(|e| format!("waiting for the PDF child: {e}"))?;
    let wall = start.elapsed();
    let stdout = String::from_utf8_lossy(&output.0).into_owned();
    if !output.2 {
        return Err(format!("making the PDFs of {} failed:\n{}", root.display(), String::from_utf8_lossy(&output.1)));
    }
    let lines = stdout
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    Ok(Run { wall, peak, lines })
}

/// A finished child's stdout, stderr and whether it succeeded.
type Finished = (Vec<u8>, Vec<u8>, bool);

/// Collects the child's output, then reaps it with `wait4` for its own peak RSS.
#[cfg(unix)]
fn wait(mut child: std::process::Child) -> io::Result<(Finished, Option<u64>)> {
    use std::io::Read;

    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut err_pipe = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        if let Some(pipe) = err_pipe.as_mut() {
            let _ = pipe.read_to_end(&mut buffer);
        }
        buffer
    });
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout)?;
    }
    stderr.extend(reader.join().unwrap_or_default());
    let (status, peak) = crate::measure::wait_with_peak_memory(child)?;
    Ok(((stdout, stderr, status.success()), peak))
}

#[cfg(not(unix))]
fn wait(child: std::process::Child) -> io::Result<(Finished, Option<u64>)> {
    let output = child.wait_with_output()?;
    Ok(((output.stdout, output.stderr, output.status.success()), None))
}
