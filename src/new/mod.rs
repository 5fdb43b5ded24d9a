//! `tejun new DIR`: a new manual that builds as it is, in Japanese and English, whose
//! one procedure shows what a writer needs first: steps, a screenshot, sub-steps, a
//! warning and a cross-reference. The files are compiled in (from `src/new/site/`),
//! so the command works anywhere the binary does.
//!
//! It never overwrites: an existing folder must be empty, since a writer who names
//! the wrong folder must not lose work.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

macro_rules! files {
    ($(($to:literal, $from:literal)),* $(,)?) => {
        &[$(($to, include_str!(concat!("site/", $from)))),*]
    };
}

/// Path in the new site → contents.
const FILES: &[(&str, &str)] = files![
    ("tejun.toml", "tejun.toml"),
    // Not stored as `.gitignore`, which would make git ignore it here.
    (".gitignore", "gitignore"),
    ("content/_index.ja.md", "content/_index.ja.md"),
    ("content/_index.en.md", "content/_index.en.md"),
    ("content/guide/_index.ja.md", "content/guide/_index.ja.md"),
    ("content/guide/_index.en.md", "content/guide/_index.en.md"),
    ("content/guide/change-password.ja.md", "content/guide/change-password.ja.md"),
    ("content/guide/change-password.en.md", "content/guide/change-password.en.md"),
    ("content/guide/images/settings.svg", "content/guide/images/settings.svg"),
];

/// Writes a new manual into `dir` (made if missing) and returns the files written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Diagnostic::error("not-empty", format!("{} is not empty", dir.display()))
                    .with_hint("name a new folder, or an empty one: tejun new never overwrites files"));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if dir.exists() && !dir.is_dir() => {
            return Err(Diagnostic::error("not-a-folder", format!("{} is a file, not a folder: {e}", dir.display()))
                .with_hint("name a new folder"));
        }
        Err(e) => return Err(io_error(dir, e)),
    }
    let mut written = Vec::with_capacity(FILES.len());
    for (path, contents) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        // `create_new`: should anything appear in the folder meanwhile, leave it be.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut file| std::io::Write::write_all(&mut file, contents.as_bytes()))
            .map_err(|e| io_error(&target, e))?;
        written.push(target);
    }
    Ok(written)
}

fn io_error(path: &Path, error: std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {}: {error}", path.display()))
        .with_hint("check that the folder is writable, or name another one")
}
