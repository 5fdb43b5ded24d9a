//! `tejun serve`: the writer's preview. It builds the manual into memory, serves it
//! over HTTP, watches the site's files, rebuilds what a save touched and tells the
//! open pages to reload.
//!
//! Why it is built this way:
//!
//! - **Builds to the model, swapped in whole; pages made on request.** A save re-reads
//!   and re-parses only the files that changed ([`build::Reuse`]: a file's size and
//!   time, and what the watcher names), then resolves the whole manual again, since
//!   a step added on one page renumbers references on any other. The build stops
//!   there: pages, and a manual's search files, are rendered from the resolved model
//!   when a browser asks for them ([`served`]), so a save on a manual of thousands of
//!   pages costs its own page, not all of them. PDFs are not made at all: they take
//!   longer than the rest together and are not what a writer watches while writing.
//!   Only a build that succeeded replaces the served one, in one pointer swap
//!   ([`state::Shared`]); everything a request gets is made from that one build, so
//!   no page is ever of an older build than the one announced.
//! - **Only the built site is served.** A request path is looked up among the files
//!   the build publishes, never turned into a path on the disk (an image is read from
//!   the file the build listed for it), so no request path, however it is encoded,
//!   can reach `tejun.toml` or anything else outside the output.
//! - **Errors go to the browser.** A failed build keeps the last good pages and lays
//!   an overlay with the diagnostics (file:line:col, message, hint) over them; the
//!   next good build clears it.
//! - **Server-sent events over plain HTTP/1.1** carry the reload: one long response
//!   per open page, with no WebSocket handshake and no async runtime. tiny_http is
//!   enough for a local preview and keeps the dependency tree small.
//! - The live-reload script is added to HTML as it is served ([`http`]), so nothing
//!   of the preview ever reaches `tejun build`'s output.

mod http;
mod overlay;
mod served;
mod state;
mod watch;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::build::{self, Outcome, Reuse};
use crate::diagnostic::{self, Diagnostic};
use served::Served;
use state::{Shared, Snapshot};
use watch::Change;

/// The default port, as mdBook's.
pub const DEFAULT_PORT: u16 = 3000;

/// How many threads answer requests. Pages come from memory, so a few suffice; each
/// open page's event stream has a thread of its own.
const WORKERS: usize = 4;

/// What `tejun serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    /// 127.0.0.1 unless the writer asks for another address.
    pub bind: IpAddr,
    /// Open the manual in the default browser once it is served.
    pub open: bool,
}

/// What the server tells the person running it. The library reports; the binary
/// decides how to print.
pub enum Notice<'a> {
    /// A build of `pages` pages finished (the first one, or one after `changed`
    /// files changed); `outcome` has what it found.
    Built {
        outcome: &'a Outcome,
        pages: usize,
        changed: &'a [String],
        elapsed: Duration,
    },
    /// The server is listening at `url`.
    Listening {
        url: &'a str,
        /// Bound to an address other machines may reach.
        exposed: bool,
    },
    Warning(String),
}

/// Builds, serves and rebuilds until the process is stopped. Returns only when the
/// server cannot start: the folder is not a site, or the address cannot be bound.
pub fn run(options: &Options, notice: &mut dyn FnMut(Notice)) -> Result<Infallible, Diagnostic> {
    let root = std::path::absolute(&options.root).unwrap_or_else(|_| options.root.clone());
    // Watching starts before the first build, so a save made during it is not lost.
    let mut watcher = watch::Watcher::new(&root).map_err(|e| {
        Diagnostic::error("watch", format!("cannot watch {} for changes: {e}", root.display()))
            .with_hint("on Linux, raise fs.inotify.max_user_watches (sysctl) or close other programs that watch files")
    })?;
    let instance = instance_id();
    let mut number = 0;
    let started = Instant::now();
    let build_started = SystemTime::now();
    let mut reuse = Reuse::default();
    let (first, outcome) = build_snapshot(&root, &mut reuse, None, &instance, number);
    let pages = first.site.as_ref().map_or(0, |s| s.page_count());
    notice(Notice::Built { outcome: &outcome, pages, changed: &[], elapsed: started.elapsed() });
    if outcome.diagnostics.iter().any(|d| d.code == "config-missing") {
        return Err(Diagnostic::error("config-missing", format!("{} is not a tejun site", root.display()))
            .with_hint("pass the site's folder with --root DIR, or make a new site with `tejun new DIR`"));
    }
    drop(outcome);
    let shared = Arc::new(Shared::new(first));

    let address = SocketAddr::new(options.bind, options.port);
    let server = tiny_http::Server::http(address).map_err(|e| {
        Diagnostic::error("serve", format!("cannot listen on {address}: {e}"))
            .with_hint("another program may be using the port: pass --port N, or --port 0 for any free port")
    })?;
    let server = Arc::new(server);
    let bound = server.server_addr().to_ip().unwrap_or(address);
    let url = url_for(bound);
    for _ in 0..WORKERS {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(request, &shared);
            }
        });
    }
    notice(Notice::Listening { url: &url, exposed: !bound.ip().is_loopback() });
    let opened = if options.open { open_browser(&url) } else { Ok(()) };
    if let Err(e) = opened {
        notice(Notice::Warning(format!("cannot open a browser ({e}); open {url} yourself")));
    }

    watcher.watch_included(&reuse.included_paths());
    reuse.prepare();
    let mut since = build_started;
    loop {
        let changes = watcher.next_changes(since, &mut |w| notice(Notice::Warning(w)));
        number += 1;
        let started = Instant::now();
        since = SystemTime::now();
        forget_changed(&mut reuse, &changes);
        let previous = shared.current();
        let (snapshot, outcome) = build_snapshot(&root, &mut reuse, Some(&previous), &instance, number);
        drop(previous);
        let pages = snapshot.site.as_ref().map_or(0, |s| s.page_count());
        let replaced = shared.publish(snapshot);
        let changed: Vec<String> = changes.iter().map(Change::to_string).collect();
        notice(Notice::Built { outcome: &outcome, pages, changed: &changed, elapsed: started.elapsed() });
        // Freeing a large manual's model and copying its pages for the next build take
        // a while: they are done while the writer reads, and the watcher is free to
        // notice the next save meanwhile.
        std::thread::spawn(move || drop((outcome, replaced)));
        watcher.watch_included(&reuse.included_paths());
        reuse.prepare();
    }
}

/// Makes the next build read again what the watcher saw change, beyond what the
/// files' sizes and times tell. After a change to `tejun.toml`, or when events were
/// lost, nothing read before is trusted.
fn forget_changed(reuse: &mut Reuse, changes: &[Change]) {
    for change in changes {
        match change {
            Change::Config | Change::Unknown => *reuse = Reuse::default(),
            Change::Content(path) => reuse.forget(path.strip_prefix("content/").unwrap_or(path)),
            // Templates and static files are read whole by every build.
            Change::Theme(_) => {}
        }
    }
}

/// Builds the site into memory, reading and parsing only the files that changed
/// since the builds `reuse` remembers and rendering pages only when they are asked
/// for ([`served`]). A failed build keeps the previous build's site and carries the
/// errors, for the overlay.
fn build_snapshot(
    root: &Path,
    reuse: &mut Reuse,
    previous: Option<&Snapshot>,
    instance: &str,
    number: u64,
) -> (Snapshot, Outcome) {
    let mut diagnostics = Vec::new();
    let mut timings = build::Timings::default();
    let (site, sources) = build::load_site_again(root, reuse, &mut diagnostics, &mut timings);
    let served = site.and_then(|site| Served::new(site).map_err(|d| diagnostics.push(d)).ok());
    diagnostic::sort(&mut diagnostics);
    let outcome = Outcome { sources, diagnostics, site: None, timings: timings.stages };
    let id = format!("{instance}-{number}");
    let snapshot = match served {
        Some(served) if outcome.succeeded() => Snapshot::built(id, served),
        _ => {
            let problems = overlay::problems(&outcome.diagnostics, &outcome.sources);
            Snapshot::failed(id, previous, problems)
        }
    };
    (snapshot, outcome)
}

/// Tells this server's builds from those of a server that ran before it on the same
/// port, so a page left open across a restart reloads.
fn instance_id() -> String {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", nanos % (1 << 40), std::process::id())
}

fn url_for(address: SocketAddr) -> String {
    // A browser cannot open the unspecified address; the machine's own can be.
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_an_address_a_browser_can_open() {
        assert_eq!(url_for("127.0.0.1:3000".parse().unwrap()), "http://127.0.0.1:3000/");
        assert_eq!(url_for("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080/");
        assert_eq!(url_for("[::]:8080".parse().unwrap()), "http://[::1]:8080/");
        assert_eq!(url_for("[::1]:8080".parse().unwrap()), "http://[::1]:8080/");
    }
}
