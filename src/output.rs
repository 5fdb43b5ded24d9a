//! Stage 6, output: the one place that writes files.
//!
//! A build writes into a fresh staging folder beside the output folder and swaps it
//! in only when everything succeeded, so a failed build never leaves a half-written
//! site behind and the last good output stays in place. Renderers write through the
//! [`Sink`] trait, which tests can satisfy in memory.
//!
//! Publishers run builds from cron jobs, which get killed and overlap, so:
//! - the staged files are flushed to disk (one `syncfs`) before they replace an
//!   output folder, and the swap is one `renameat2(RENAME_EXCHANGE)` on Linux — there
//!   is no moment without a complete output folder, whatever is killed when
//!   (elsewhere, or on file systems without it, two renames);
//! - a build holds a lock on the output folder (`flock` on `.NAME.tejun-lock`
//!   beside it) from staging to swap; a second build waits for it, and a build killed
//!   midway releases it with its process;
//! - so every staging folder found while holding the lock was left by a killed
//!   build, and is removed.
//!
//! A file that comes out as it is in the output folder is hard-linked into the
//! staging folder rather than written again: it keeps its date (a deploy with
//! `rsync` copies only what changed), and neither the new file nor the removal of
//! the old one costs the file system an inode — on a manual of thousands of pages
//! most of what a rebuild used to spend writing.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Somewhere renderers put files, by path relative to the output root (`ja/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    fn copy(&self, path: &str, from: &Path) -> io::Result<()>;
}

/// A staging folder that replaces the output folder on [`Staging::commit`]. It holds
/// the output folder's lock until it is committed or dropped.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// The output folder when it is a folder of its own, whose unchanged files the
    /// staging folder links to.
    previous: Option<PathBuf>,
    /// Folders already made, so each file costs one system call, not a `mkdir` too.
    made: Mutex<HashSet<PathBuf>>,
    _lock: File,
}

impl Staging {
    /// Locks `output` (calling `waiting` first if another build holds it), removes
    /// what killed builds left, and makes an empty staging folder next to `output`
    /// (same filesystem, so the swap is a rename).
    pub fn new(output: &Path, waiting: &dyn Fn()) -> io::Result<Staging> {
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let lock = lock(&parent.join(format!(".{name}.tejun-lock")), waiting)?;
        let prefix = format!(".{name}.tejun-staging-");
        remove_stale(parent, &prefix)?;
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir(&dir)?;
        let previous = std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()).then(|| output.to_path_buf());
        Ok(Staging { output: output.to_path_buf(), dir, previous, made: Mutex::default(), _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes the staged files through to the disk, so that the swap never puts a
    /// folder whose files a power cut would lose in place of a good one. With no
    /// output folder yet there is nothing to lose, and the flush (a tenth of a first
    /// build of thousands of pages) is left to the system.
    pub fn sync(&self) -> io::Result<()> {
        if std::fs::symlink_metadata(&self.output).is_err() {
            return Ok(());
        }
        sync_filesystem(&self.dir)
    }

    /// Puts the staged site in place of the output folder, then removes the old one.
    pub fn commit(self) -> io::Result<()> {
        if std::fs::symlink_metadata(&self.output).is_err() {
            std::fs::rename(&self.dir, &self.output)?;
            if let Some(parent) = self.output.parent() {
                sync_folder(parent);
            }
            return Ok(());
        }
        if exchange(&self.dir, &self.output)? {
            // The old site is where the staging folder was.
        } else {
            let old = PathBuf::from(format!("{}-old", self.dir.display()));
            std::fs::rename(&self.output, &old)?;
            if let Err(err) = std::fs::rename(&self.dir, &self.output) {
                let _ = std::fs::rename(&old, &self.output);
                return Err(err);
            }
            std::fs::rename(&old, &self.dir)?;
        }
        if let Some(parent) = self.output.parent() {
            sync_folder(parent);
        }
        std::fs::remove_dir_all(&self.dir)
    }

    /// Throws the staged files away; the output folder is untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// The full path of `path`, with its folder made.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let mut made = self.made.lock().expect("no panics while holding the lock");
            if !made.contains(parent) {
                std::fs::create_dir_all(parent)?;
                made.insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }
}

impl Staging {
    /// The output folder's `path`, when it holds exactly `bytes`.
    fn unchanged(&self, path: &str, bytes: &[u8]) -> Option<PathBuf> {
        use std::io::Read;
        let old = self.previous.as_ref()?.join(path);
        let mut file = File::open(&old).ok()?;
        let metadata = file.metadata().ok()?;
        if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
            return None;
        }
        let mut content = Vec::with_capacity(bytes.len());
        file.read_to_end(&mut content).ok()?;
        (content == bytes).then_some(old)
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.prepare(path)?;
        if let Some(old) = self.unchanged(path, bytes)
            && std::fs::hard_link(&old, &target).is_ok()
        {
            return Ok(());
        }
        write_new(&target, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
    }
}

/// Writes `bytes` to a new file at `path`. A file already there (written before in
/// this build) is replaced, never written through: it may be a link to the output
/// folder's.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let create = || File::options().write(true).create_new(true).open(path);
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()?
        }
        other => other?,
    };
    file.write_all(bytes)
}

/// Files kept in memory, for tests and for `check`, which writes nothing.
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files.lock().expect("no panics while holding the lock").insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
    }
}

/// Discards what it is given: `check` renders everything to catch template errors
/// without writing or keeping the files.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _path: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _path: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from).map(|_| ())
    }
}

/// Takes the lock file's exclusive lock, waiting for another build that holds it.
#[cfg(unix)]
fn lock(path: &Path, waiting: &dyn Fn()) -> io::Result<File> {
    use std::os::fd::AsRawFd;
    let file = File::options().create(true).truncate(false).write(true).open(path)?;
    let fd = file.as_raw_fd();
    // SAFETY: flock on a descriptor this function owns; no memory is shared.
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(file);
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
        return Err(err);
    }
    waiting();
    loop {
        // SAFETY: as above.
        if unsafe { libc::flock(fd, libc::LOCK_EX) } == 0 {
            return Ok(file);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Without `flock`, builds are not serialized; the lock file is still made, so its
/// name is reserved.
#[cfg(not(unix))]
fn lock(path: &Path, _waiting: &dyn Fn()) -> io::Result<File> {
    File::options().create(true).truncate(false).write(true).open(path)
}

/// Removes the staging folders (and their old sites) that killed builds left.
fn remove_stale(parent: &Path, prefix: &str) -> io::Result<()> {
    for entry in std::fs::read_dir(parent)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            if entry.file_type()?.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
        }
    }
    Ok(())
}

/// Swaps two paths atomically; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c_path = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS | libc::EINVAL | libc::ENOTSUP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Flushes the file system holding `dir` (Linux: `syncfs`, one call for every file
/// written; elsewhere `sync`).
#[cfg(target_os = "linux")]
fn sync_filesystem(dir: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let folder = File::open(dir)?;
    // SAFETY: syncfs on a descriptor this function owns.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn sync_filesystem(_dir: &Path) -> io::Result<()> {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    Ok(())
}

#[cfg(not(unix))]
fn sync_filesystem(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Makes a rename in `folder` durable. Best effort: some systems cannot open a
/// folder for this, and the swap has happened either way.
fn sync_folder(folder: &Path) {
    if let Ok(folder) = File::open(if folder.as_os_str().is_empty() { Path::new(".") } else { folder }) {
        let _ = folder.sync_all();
    }
}

/// Refuses output folders whose replacement would destroy the site itself.
pub fn check_output_dir(output: &Path, root: &Path) -> Result<(), String> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (output, root) = (absolute(output), absolute(root));
    if root.starts_with(&output) {
        return Err(format!("the output folder {} contains the site itself", output.display()));
    }
    if output.join(crate::config::CONFIG_FILE).exists() || output.join("content").is_dir() {
        return Err(format!("{} looks like a tejun site, not build output", output.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unchanged files are links to the last output's (same inode, same date);
    /// writing a path again in the same build never writes through such a link.
    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_and_never_written_through() {
        use std::os::unix::fs::MetadataExt;
        let base = std::env::temp_dir().join(format!("tejun-output-link-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let output = base.join("public");
        std::fs::create_dir_all(output.join("ja")).unwrap();
        std::fs::write(output.join("ja/same.html"), "same").unwrap();
        std::fs::write(output.join("ja/changed.html"), "before").unwrap();
        std::fs::write(output.join("ja/twice.html"), "first").unwrap();
        let inode = |path: &Path| std::fs::metadata(path).unwrap().ino();
        let (same, changed) = (inode(&output.join("ja/same.html")), inode(&output.join("ja/changed.html")));

        let staging = Staging::new(&output, &|| panic!("nobody else holds the lock")).unwrap();
        staging.write("ja/same.html", b"same").unwrap();
        staging.write("ja/changed.html", b"after!").unwrap();
        staging.write("ja/twice.html", b"first").unwrap();
        staging.write("ja/twice.html", b"second").unwrap();
        assert_eq!(std::fs::read_to_string(output.join("ja/twice.html")).unwrap(), "first", "the output is untouched");
        staging.commit().unwrap();

        assert_eq!(inode(&output.join("ja/same.html")), same);
        assert_ne!(inode(&output.join("ja/changed.html")), changed);
        assert_eq!(std::fs::read_to_string(output.join("ja/changed.html")).unwrap(), "after!");
        assert_eq!(std::fs::read_to_string(output.join("ja/twice.html")).unwrap(), "second");
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn commit_replaces_and_abandon_keeps_the_output() {
        let base = std::env::temp_dir().join(format!("tejun-output-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let output = base.join("public");
        std::fs::create_dir_all(&output).unwrap();
        std::fs::write(output.join("old.html"), "old").unwrap();

        let staging = Staging::new(&output, &|| panic!("nobody else holds the lock")).unwrap();
        staging.write("ja/index.html", b"new").unwrap();
        staging.abandon();
        assert_eq!(std::fs::read_to_string(output.join("old.html")).unwrap(), "old");

        // A killed build's staging folder, which the next build removes.
        std::fs::create_dir_all(base.join(".public.tejun-staging-1/ja")).unwrap();
        let staging = Staging::new(&output, &|| panic!("nobody else holds the lock")).unwrap();
        staging.write("ja/index.html", b"new").unwrap();
        staging.sync().unwrap();
        staging.commit().unwrap();
        assert!(!output.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(output.join("ja/index.html")).unwrap(), "new");
        let mut left: Vec<String> =
            std::fs::read_dir(&base).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [".public.tejun-lock", "public"], "no staging folders left behind");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
