//! Watches the site's inputs and turns the file system's many events into "these
//! files changed, build now".
//!
//! Only the inputs are watched: `tejun.toml` (through the site folder, without
//! recursion, so an editor that replaces the file by renaming another over it is
//! seen) and, recursively, `content/`, `themes/`, `templates/` and `static/`. The site
//! folder itself is not watched recursively: it may hold `target/`, `public/` or
//! `.git/`, whose churn must not cost a watch each or trigger builds. A watched folder
//! made (or replaced) later is picked up from the site folder's events. Files that
//! pages include from outside those folders (MkDocs' snippets, from the site
//! folder) are watched through their own folders, without recursion, as builds find
//! them ([`Watcher::watch_included`]).
//!
//! Events are first classified into a small [`Change`] (Zola does the same), then
//! gathered until the files have been quiet for [`QUIET`]: an editor's save is often
//! several events (write a temporary file, rename it over the page, touch a backup),
//! and a burst of saves should cost one build. Events that come in during a build
//! wait in the channel and start the next one, so nothing is lost and a burst never
//! turns into a build per event.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;

/// How long the inputs must stay unchanged before a build starts.
pub const QUIET: Duration = Duration::from_millis(50);

/// The longest a build waits for quiet: under a long stream of changes (a `git
/// checkout` of a large manual), build now and again rather than never.
pub const MAX_WAIT: Duration = Duration::from_millis(400);

/// The folders, inside the site folder, whose files make the site.
const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

/// What a file system event means for the build.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    /// A page, image or other file in `content/`, or a file a page includes from
    /// elsewhere, by its path from the site folder.
    Content(String),
    /// A template or static file (`themes/`, `templates/`, `static/`).
    Theme(String),
    /// Events were lost (the kernel's queue overflowed, or the watch failed):
    /// build, since anything may have changed.
    Unknown,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Config => f.write_str(CONFIG_FILE),
            Change::Content(path) | Change::Theme(path) => f.write_str(path),
            Change::Unknown => f.write_str("(events were lost)"),
        }
    }
}

pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    /// Files pages include from outside the watched folders, by their path from the
    /// site folder, and the folders watched for them.
    included: BTreeSet<String>,
    included_dirs: BTreeSet<PathBuf>,
}

impl Watcher {
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut this = Watcher {
            root: root.to_path_buf(),
            watcher,
            events,
            included: BTreeSet::new(),
            included_dirs: BTreeSet::new(),
        };
        for dir in WATCHED_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                this.watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(this)
    }

    /// Watches the files at `paths` (from the site folder) that are outside the
    /// watched folders, through their folders: pages include them, so a change to one
    /// changes a page. A folder that is not there yet is watched once a build finds it.
    pub fn watch_included(&mut self, paths: &BTreeSet<String>) {
        let outside = |path: &&String| {
            let first = path.split('/').next().unwrap_or_default();
            !WATCHED_DIRS.contains(&first) && path.as_str() != CONFIG_FILE
        };
        for path in paths.iter().filter(outside) {
            self.included.insert(path.clone());
            let Some(dir) = self.root.join(path).parent().map(Path::to_path_buf) else { continue };
            // The site folder is watched already, without recursion.
            let unwatched = dir != self.root && dir.is_dir() && !self.included_dirs.contains(&dir);
            if unwatched && self.watcher.watch(&dir, RecursiveMode::NonRecursive).is_ok() {
                self.included_dirs.insert(dir);
            }
        }
    }

    /// Waits for a change to the site, then for the files to be quiet, and returns
    /// what changed. `since` is when the last build started: a change of metadata
    /// counts only if the file was modified after it, since the build itself reading
    /// a file just saved updates its access time.
    pub fn next_changes(&mut self, since: SystemTime, warn: &mut dyn FnMut(String)) -> Vec<Change> {
        let mut changes = BTreeSet::new();
        // Set by the first change: when to build at the latest.
        let mut deadline: Option<Instant> = None;
        let mut quiet_until = Instant::now();
        loop {
            let event = match deadline {
                None => self.events.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => match quiet_until.min(deadline).checked_duration_since(Instant::now()) {
                    Some(wait) if !wait.is_zero() => self.events.recv_timeout(wait),
                    _ => break,
                },
            };
            let relevant = match event {
                Ok(Ok(event)) => self.classify(&event, since, &mut changes),
                Ok(Err(error)) => {
                    warn(format!("watching for changes: {error}"));
                    changes.insert(Change::Unknown);
                    true
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    warn("stopped watching for changes; restart tejun serve to see new changes".to_string());
                    // Keep serving the last build; there is nothing left to wait for.
                    loop {
                        std::thread::park();
                    }
                }
            };
            if relevant {
                quiet_until = Instant::now() + QUIET;
                deadline.get_or_insert(Instant::now() + MAX_WAIT);
            }
        }
        changes.into_iter().collect()
    }

    /// Notes what `event` changed; false if it changed nothing the build reads.
    fn classify(&mut self, event: &Event, since: SystemTime, changes: &mut BTreeSet<Change>) -> bool {
        let mut relevant = false;
        if event.need_rescan() {
            changes.insert(Change::Unknown);
            relevant = true;
        }
        match event.kind {
            // The build's own reading of files opens them; only a write that ends counts.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return relevant,
            EventKind::Modify(ModifyKind::Metadata(_)) if !event.paths.iter().any(|p| modified_since(p, since)) => {
                return relevant;
            }
            _ => {}
        }
        for path in &event.paths {
            let Ok(relative) = path.strip_prefix(&self.root) else { continue };
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let included = || Some(parts.join("/")).filter(|path| self.included.contains(path)).map(Change::Content);
            let Some(change) = change_for(&parts).or_else(included) else { continue };
            // A watched folder made or moved into place after the start.
            if parts.len() == 1 && path.is_dir() {
                let _ = self.watcher.watch(path, RecursiveMode::Recursive);
            }
            changes.insert(change);
            relevant = true;
        }
        relevant
    }
}

/// What a path (split into its parts, from the site folder) is to the build, if
/// anything: hidden files and editor leftovers in the watched folders are not.
fn change_for(parts: &[String]) -> Option<Change> {
    let (first, rest) = parts.split_first()?;
    if rest.is_empty() && first == CONFIG_FILE {
        return Some(Change::Config);
    }
    if !WATCHED_DIRS.contains(&first.as_str()) || rest.iter().any(|p| crate::load::is_ignored(p)) {
        return None;
    }
    let path = parts.join("/");
    Some(if first == "content" { Change::Content(path) } else { Change::Theme(path) })
}

fn modified_since(path: &Path, since: SystemTime) -> bool {
    match std::fs::metadata(path).and_then(|m| m.modified()) {
        Ok(modified) => modified >= since,
        // Gone, or unreadable: let the build find out.
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    #[test]
    fn only_the_sites_inputs_are_changes() {
        assert_eq!(change_for(&parts("tejun.toml")), Some(Change::Config));
        assert_eq!(change_for(&parts("content/a/b.ja.md")), Some(Change::Content("content/a/b.ja.md".into())));
        assert_eq!(change_for(&parts("content")), Some(Change::Content("content".into())));
        assert_eq!(change_for(&parts("templates/page.html")), Some(Change::Theme("templates/page.html".into())));
        assert_eq!(change_for(&parts("themes/x/static/a.css")), Some(Change::Theme("themes/x/static/a.css".into())));
        for ignored in [
            "public/ja/index.html",
            "target/debug/tejun",
            ".git/index",
            "content/.b.ja.md.swp",
            "content/b.ja.md~",
            "content/.#b.ja.md",
            "content/a/.hidden/b.md",
            "tejun.toml~",
            "README.md",
        ] {
            assert_eq!(change_for(&parts(ignored)), None, "{ignored}");
        }
    }
}
