//! Stage 6, output: the one place that writes files.
//!
//! A build writes into a fresh staging folder beside the output folder and swaps it
//! in only when everything succeeded, so a failed build never leaves a half-written
//! site behind and the last good output stays in place. Renderers write through the
//! [`Sink`] trait, which tests can satisfy in memory.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Somewhere renderers put files, by path relative to the output root (`ja/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    fn copy(&self, path: &str, from: &Path) -> io::Result<()>;
}

/// A staging folder that replaces the output folder on [`Staging::commit`].
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders already made, so each file costs one system call, not a `mkdir` too.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Makes an empty staging folder next to `output` (same filesystem, so the swap
    /// is a rename).
    pub fn new(output: &Path) -> io::Result<Staging> {
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let dir = parent.join(format!(".{name}.tejun-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging { output: output.to_path_buf(), dir, made: Mutex::default() })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged site in place of the output folder.
    pub fn commit(self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(err) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(err);
        }
        if had_output {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
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

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.prepare(path)?, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.prepare(path)?).map(|_| ())
    }
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

    #[test]
    fn commit_replaces_and_abandon_keeps_the_output() {
        let base = std::env::temp_dir().join(format!("tejun-output-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let output = base.join("public");
        std::fs::create_dir_all(&output).unwrap();
        std::fs::write(output.join("old.html"), "old").unwrap();

        let staging = Staging::new(&output).unwrap();
        staging.write("ja/index.html", b"new").unwrap();
        staging.abandon();
        assert_eq!(std::fs::read_to_string(output.join("old.html")).unwrap(), "old");

        let staging = Staging::new(&output).unwrap();
        staging.write("ja/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!output.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(output.join("ja/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&base).unwrap().count(), 1, "no staging folders left behind");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
