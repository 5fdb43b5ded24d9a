//! Stage 2, load (for `tejun check`): what a stale translation was translated from.
//! When the site is in git, the version of the source step whose hash the
//! translation recorded is looked for in the source file's history (newest first,
//! the last 50 commits that touched it), and `check` shows how that step changed
//! since, as a short diff. Without git, or when no version matches, the warning
//! stands without it.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::diagnostic::Diagnostic;
use crate::model::Manual;
use crate::parse::{PageInfo, parse_page};
use crate::source::Sources;
use crate::translations;

/// How many commits of a source file are searched for the translated version.
const COMMITS: usize = 50;
/// How many changed lines a diff shows.
const LINES: usize = 8;

/// Adds to each `stale-translation` warning about a step how the source step
/// changed since the translated version, where git has that version.
pub fn explain_stale_translations(manual: &Manual, sources: &Sources, root: &Path, diagnostics: &mut [Diagnostic]) {
    for page in &manual.pages {
        for step in page.steps() {
            let (Some(source_id), Some((recorded, span))) = (step.stale_since, &step.source) else { continue };
            let Some(diagnostic) = diagnostics
                .iter_mut()
                .find(|d| d.code == "stale-translation" && d.file == Some(page.file) && d.span.as_ref() == Some(span))
            else {
                continue;
            };
            let source_page = &manual.pages[source_id];
            let file = sources.get(source_page.file);
            let Some(old) = translated_version(root, &file.path, source_page, &step.id, recorded) else { continue };
            let Some(new) = source_page.counterpart(step).map(|s| step_text(s, &file.text)) else { continue };
            let diff = short_diff(&old, &new);
            if !diff.is_empty() {
                let hint = diagnostic.hint.take().unwrap_or_default();
                diagnostic.hint = Some(format!("{hint}\nthe source step changed since the translation:\n{diff}"));
            }
        }
    }
}

/// The step as a reader of its source sees it: title, result, caption, alt, body.
fn step_text(step: &crate::model::Step, file_text: &str) -> String {
    let mut text = format!("title: {}\n", step.title);
    for (label, value) in [("result", &step.result), ("caption", &step.caption), ("alt", &step.alt)] {
        if let Some(value) = value {
            text.push_str(&format!("{label}: {value}\n"));
        }
    }
    text.push_str(file_text.get(step.body_span.clone()).unwrap_or_default().trim());
    text
}

/// The text of step `id` in the newest version of `path` whose hash is `recorded`.
fn translated_version(root: &Path, path: &Path, page: &crate::model::Page, id: &str, recorded: &str) -> Option<String> {
    let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let log = git(root, &["log", &format!("-{COMMITS}"), "--format=%H", "--", &relative])?;
    for commit in log.lines() {
        let Some(bytes) = git_bytes(root, &["show", &format!("{commit}:./{relative}")]) else { continue };
        let Ok(text) = crate::load::decode(bytes) else { continue };
        let info = PageInfo { file: page.file, key: page.key.clone(), lang: page.lang.clone(), kind: page.kind };
        let (Some(old_page), _) = parse_page(&text, info) else { continue };
        if let Some(step) = old_page.find_step(id)
            && translations::step_hash(step, &text) == recorded
        {
            return Some(step_text(step, &text));
        }
    }
    None
}

/// What `git ARGS` prints, run in `root`; `None` when git is missing or fails (the
/// site is not in a repository).
pub(crate) fn git(root: &Path, args: &[&str]) -> Option<String> {
    git_bytes(root, args).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn git_bytes(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output =
        Command::new("git").current_dir(root).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    output.status.success().then_some(output.stdout)
}

/// The lines only in `old` (`- `) and only in `new` (`+ `), in order, at most
/// [`LINES`] of them.
fn short_diff(old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    let new_lines: Vec<&str> = new.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    out.extend(old_lines.iter().filter(|l| !new_lines.contains(l)).map(|l| format!("  - {l}")));
    out.extend(new_lines.iter().filter(|l| !old_lines.contains(l)).map(|l| format!("  + {l}")));
    let more = out.len().saturating_sub(LINES);
    out.truncate(LINES);
    if more > 0 {
        out.push(format!("  … and {more} more lines"));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_diff_shows_removed_then_added_lines() {
        let old = "title: 開きます\n1. 「OK」をクリックします。\n2. 閉じます。";
        let new = "title: 開きます\n1. 「OK」を2回クリックします。\n2. 閉じます。";
        assert_eq!(short_diff(old, new), "  - 1. 「OK」をクリックします。\n  + 1. 「OK」を2回クリックします。");
        assert_eq!(short_diff(old, old), "");
    }
}
