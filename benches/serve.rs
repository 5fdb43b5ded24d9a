//! Save-to-reload latency of `tejun serve`: the time from a page file being written
//! (the write has returned and the file is closed) to the reload event arriving on an
//! open page's event stream, which is the moment the browser starts reloading.
//!
//! ```text
//! cargo bench --bench serve                          # the example manual and the large one
//! cargo bench --bench serve -- --saves 40            # more saves per scenario
//! cargo bench --bench serve -- --synthetic DIR       # another generated manual
//! ```
//!
//! Scenario 1 is the example manual of this repository; scenario 2 the synthetic
//! manual of the build benchmark (2,000 page files), which that benchmark generates
//! with `cargo bench --bench build -- --generate-only --pages 1000` into
//! `$TMPDIR/tejun-bench/synthetic-1000x20/`. It is skipped, with that hint, when
//! missing. Each site is copied to a scratch folder first, since the saves change a
//! page.
//!
//! For each, the release binary serves the copy on a free port; after one warm-up
//! save, `--saves` saves (default 20) alternate between writing the page in place and
//! writing a temporary file and renaming it over the page, as many editors do. Each
//! adds a line, so every save changes the site. The next save waits until the reload
//! has arrived and the server is idle again. Printed per save style: min, median and
//! max latency to the reload event, and to the saved page's HTML received whole
//! (asked for as soon as the reload arrives, as the browser does: the page is made
//! on that request); and the server's own build times (the `built … in N ms`
//! lines), which the latency contains together with the wait for the files to be
//! quiet (50 ms, see `src/serve/watch.rs`).
//!
//! Run by `cargo test --benches` (no `--bench` flag), it is a quick smoke test: the
//! example manual only, four saves.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo bench --bench serve -- [--saves N] [--synthetic DIR]";

/// A save whose reload has not come after this long counts as lost.
const TIMEOUT: Duration = Duration::from_secs(30);

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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let mut saves = if quick { 4 } else { 20 };
    let mut synthetic = std::env::temp_dir().join("tejun-bench").join("synthetic-1000x20");
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--saves" => {
                saves = args.next().and_then(|n| n.parse().ok()).filter(|&n| n >= 2).ok_or(USAGE)?;
            }
            "--synthetic" => synthetic = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--bench" => {}
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if quick {
        println!("(quick smoke run; `cargo bench --bench serve` runs the real benchmark)");
    }
    let scratch = std::env::temp_dir().join(format!("tejun-serve-bench-{}", std::process::id()));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = (|| {
        scenario("example manual", repository, "content/certificates/reissue.ja.md", &scratch, saves)?;
        if quick {
            return Ok(());
        }
        if !synthetic.join("tejun.toml").is_file() {
            println!(
                "\n== synthetic manual: skipped ==\nno site at {}: generate it with\n  \
                 cargo bench --bench build -- --generate-only --pages 1000",
                synthetic.display()
            );
            return Ok(());
        }
        let page = first_page(&synthetic.join("content")).ok_or("the synthetic manual has no page")?;
        let page = page.strip_prefix(&synthetic).map_err(|e| e.to_string())?.to_string_lossy().into_owned();
        scenario("synthetic manual", &synthetic, &page, &scratch, saves)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn scenario(name: &str, site: &Path, page: &str, scratch: &Path, saves: usize) -> Result<(), String> {
    let copy = scratch.join(name.replace(' ', "-"));
    for part in ["tejun.toml", "content", "themes", "templates", "static"] {
        copy_tree(&site.join(part), &copy.join(part)).map_err(|e| format!("copying {}: {e}", site.display()))?;
    }
    let pages = count_pages(&copy.join("content"));
    println!("\n== {name}: {pages} page files, saving {page} ==");
    let mut server = Server::start(&copy)?;
    let events = server.events()?;
    let url = page_url(page).ok_or_else(|| format!("{page} is not a page file"))?;
    let target = copy.join(page);
    let original = std::fs::read_to_string(&target).map_err(|e| e.to_string())?;
    let text = |i: usize| format!("{original}\nEdit {i}.\n");
    save(&mut server, &events, &target, &url, &text(0), false)?;
    server.build_times.clear();
    let (mut in_place, mut renamed, mut page_in_place, mut page_renamed) = (vec![], vec![], vec![], vec![]);
    for i in 1..=saves {
        let rename = i % 2 == 0;
        let (reload, page) = save(&mut server, &events, &target, &url, &text(i), rename)?;
        if rename {
            renamed.push(reload);
            page_renamed.push(page);
        } else {
            in_place.push(reload);
            page_in_place.push(page);
        }
    }
    report("save → reload, written in place", &mut in_place);
    report("save → page, written in place", &mut page_in_place);
    report("save → reload, temp file renamed", &mut renamed);
    report("save → page, temp file renamed", &mut page_renamed);
    let mut builds = std::mem::take(&mut server.build_times);
    report("the server's build (part of the above)", &mut builds);
    Ok(())
}

/// Saves `text` into `target` (in place, or through a renamed temporary file) and
/// returns how long the reload took to arrive, and the page at `url` after it.
fn save(
    server: &mut Server,
    events: &Events,
    target: &Path,
    url: &str,
    text: &str,
    rename: bool,
) -> Result<(Duration, Duration), String> {
    let started = if rename {
        let temporary = target.with_file_name(".tejun-bench-save.tmp");
        std::fs::write(&temporary, text).map_err(|e| e.to_string())?;
        std::fs::rename(&temporary, target).map_err(|e| e.to_string())?;
        Instant::now()
    } else {
        std::fs::write(target, text).map_err(|e| e.to_string())?;
        Instant::now()
    };
    let reload = events.next_reload(started)?;
    server.fetch(url)?;
    let page = started.elapsed();
    // Let the server finish (it frees the previous build after the reload) so each
    // save starts from an idle server.
    server.wait_for_build()?;
    std::thread::sleep(Duration::from_millis(100));
    Ok((reload, page))
}

/// Where the HTML of the page file `content/DIR/NAME.LANG.md` is served: `/LANG/DIR/NAME.html`.
fn page_url(page: &str) -> Option<String> {
    let path = page.strip_prefix("content/")?.strip_suffix(".md")?;
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let (name, lang) = file.rsplit_once('.')?;
    let dir = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    Some(format!("/{lang}/{dir}{name}.html"))
}

fn report(what: &str, times: &mut [Duration]) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:>40}: median {:6.1} ms   min {:6.1} ms   max {:6.1} ms   ({} saves)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

struct Server {
    child: Child,
    address: String,
    lines: Receiver<String>,
    build_times: Vec<Duration>,
}

impl Server {
    fn start(root: &Path) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tejun"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run tejun: {e}"))?;
        let (sender, lines) = channel();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let mut server = Server { child, address: String::new(), lines, build_times: Vec::new() };
        let started = Instant::now();
        loop {
            let line = server.line()?;
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                server.address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
                println!("first build and start: {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
                return Ok(server);
            }
        }
    }

    fn line(&self) -> Result<String, String> {
        self.lines.recv_timeout(TIMEOUT).map_err(|_| "tejun serve stopped or fell silent".to_string())
    }

    /// Waits for the server's report of the build that a save caused.
    fn wait_for_build(&mut self) -> Result<(), String> {
        loop {
            let line = self.line()?;
            if let Some(ms) = line.strip_prefix("built ").and_then(|l| l.split(" in ").nth(1)) {
                let ms: f64 = ms.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(f64::NAN);
                self.build_times.push(Duration::from_secs_f64(ms / 1000.0));
                return Ok(());
            }
        }
    }

    /// Asks for `url` and reads the whole answer, which must be a page.
    fn fetch(&self, url: &str) -> Result<(), String> {
        let mut stream = TcpStream::connect(&self.address).map_err(|e| e.to_string())?;
        write!(stream, "GET {url} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address)
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        std::io::Read::read_to_end(&mut stream, &mut answer).map_err(|e| e.to_string())?;
        let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
        if !head.starts_with("HTTP/1.1 200") || !String::from_utf8_lossy(&answer).contains("</html>") {
            return Err(format!("{url}: no page in the answer: {head}"));
        }
        Ok(())
    }

    fn events(&self) -> Result<Events, String> {
        let mut stream = TcpStream::connect(&self.address).map_err(|e| e.to_string())?;
        write!(stream, "GET /__tejun/events HTTP/1.1\r\nHost: {}\r\n\r\n", self.address).map_err(|e| e.to_string())?;
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.starts_with("event: reload") && sender.send(Instant::now()).is_err() {
                    return;
                }
            }
        });
        Ok(Events { reloads: receiver })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    reloads: Receiver<Instant>,
}

impl Events {
    fn next_reload(&self, since: Instant) -> Result<Duration, String> {
        loop {
            let at = self.reloads.recv_timeout(TIMEOUT).map_err(|_| "a save brought no reload")?;
            // A reload from before this save would be a leftover; there should be none.
            if at >= since {
                return Ok(at - since);
            }
        }
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap_or(Path::new(".")))?;
        return std::fs::copy(from, to).map(|_| ());
    }
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        copy_tree(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}

fn count_pages(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .map(|p| if p.is_dir() { count_pages(&p) } else { usize::from(is_page(&p)) })
        .sum()
}

fn is_page(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with(".md") && !name.starts_with("_index")
}

/// The first procedure page, in path order.
fn first_page(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).ok()?.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    entries.iter().find(|p| p.is_file() && is_page(p)).cloned().or_else(|| entries.iter().find_map(|p| first_page(p)))
}
