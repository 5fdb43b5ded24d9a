//! Stage 2, load (for PDFs only): the day each page last changed, for title pages.
//!
//! A checkout's file times are the day it was cloned, so two clones of one commit
//! would print different dates and make different PDFs. The date therefore comes,
//! in this order, from `[pdf] date`, from `SOURCE_DATE_EPOCH` (the reproducible-builds
//! convention), from the newest commit that touched the page's files when the site
//! is in a git repository, and only then from file times (a file git does not know
//! yet, such as a page being written, uses its file time).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::Assets;
use crate::model::Manual;
use crate::source::Sources;

/// A day as (year, month, day), in UTC.
pub type Day = (i32, u8, u8);

/// Each page's date, by page id; an error for a malformed `SOURCE_DATE_EPOCH`.
pub fn page_dates(
    config: &Config,
    manual: &Manual,
    sources: &Sources,
    assets: &Assets,
) -> Result<Vec<Option<Day>>, Diagnostic> {
    if let Some(day) = config.pdf.date {
        return Ok(vec![Some(day); manual.pages.len()]);
    }
    if let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let seconds = value.to_str().and_then(|s| s.trim().parse::<i64>().ok()).ok_or_else(|| {
            Diagnostic::error("source-date-epoch", format!("SOURCE_DATE_EPOCH={value:?} is not a number of seconds"))
                .with_hint("set it to seconds since 1970 (`git log -1 --format=%ct`), or unset it")
        })?;
        return Ok(vec![Some(civil_date_of_seconds(seconds)); manual.pages.len()]);
    }
    let committed = commit_times(&config.root);
    let time_of = |path: &Path| -> Option<i64> {
        let relative = path.strip_prefix(&config.root).unwrap_or(path);
        if let Some(time) = committed.as_ref().and_then(|times| times.get(relative)) {
            return Some(*time);
        }
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
        Some(seconds_since_epoch(modified))
    };
    Ok(manual
        .pages
        .par_iter()
        .map(|page| {
            let images = page.images().into_iter().filter_map(|(_, image)| assets.get(image.asset.as_deref()?));
            let files = std::iter::once(sources.get(page.file).path.clone()).chain(images.map(|a| a.path.clone()));
            files.filter_map(|path| time_of(&path)).max().map(civil_date_of_seconds)
        })
        .collect())
}

/// When each file under `root` was last committed (seconds since 1970), by its path
/// relative to `root`; `None` when `root` is not in a git repository or git is not
/// installed. One `git log` walks the history once, newest first.
fn commit_times(root: &Path) -> Option<HashMap<PathBuf, i64>> {
    let log = crate::history::git(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--format=\u{1}%ct",
            "--name-only",
            "--no-renames",
            "--relative",
            "--",
            ".",
        ],
    )?;
    Some(parse_log(&log))
}

/// Reads `git log --format=\x01%ct --name-only`: a time line, then the commit's files.
fn parse_log(log: &str) -> HashMap<PathBuf, i64> {
    let mut times = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(time) = line.strip_prefix('\u{1}') {
            current = time.trim().parse::<i64>().ok();
        } else if let (Some(time), false) = (current, line.is_empty()) {
            // Newest first: the first time seen for a file is its last change.
            times.entry(PathBuf::from(line)).or_insert(time);
        }
    }
    times
}

fn seconds_since_epoch(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => -(before.duration().as_secs() as i64),
    }
}

/// The day (UTC) of a moment given in seconds since 1970.
pub fn civil_date_of_seconds(seconds: i64) -> Day {
    // Howard Hinnant's days-to-civil algorithm.
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_become_utc_days() {
        assert_eq!(civil_date_of_seconds(0), (1970, 1, 1));
        // 2024-02-29T23:59:59Z and a second later.
        assert_eq!(civil_date_of_seconds(1_709_251_199), (2024, 2, 29));
        assert_eq!(civil_date_of_seconds(1_709_251_200), (2024, 3, 1));
        assert_eq!(civil_date_of_seconds(-1), (1969, 12, 31));
    }

    #[test]
    fn the_newest_commit_of_each_file_wins() {
        let log =
            "\u{1}300\n\ncontent/a.ja.md\ncontent/images/日本.png\n\u{1}200\n\ncontent/a.ja.md\ncontent/b.en.md\n";
        let times = parse_log(log);
        assert_eq!(times[Path::new("content/a.ja.md")], 300);
        assert_eq!(times[Path::new("content/images/日本.png")], 300);
        assert_eq!(times[Path::new("content/b.en.md")], 200);
        assert_eq!(times.len(), 3);
    }
}
