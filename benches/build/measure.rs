//! Running `tejun build` and `tejun check` and measuring them: wall time and peak
//! memory of the child process, the stage timings tejun reports, and the size of file
//! trees.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// One measured run of tejun.
pub struct Run {
    pub wall: Duration,
    /// Peak resident set size of the tejun process alone, in bytes (`None` where the
    /// platform does not report it).
    pub max_rss: Option<u64>,
    /// Stage name and milliseconds, as printed by `tejun build --timings` (empty when
    /// tejun printed none).
    pub stages: Vec<(String, f64)>,
}

/// One `tejun build --timings --root ROOT --output OUTPUT`. It is an error when tejun
/// fails or writes nothing.
pub fn build(binary: &Path, root: &Path, output: &Path, logs: &Path) -> Result<Run, String> {
    let mut command = Command::new(binary);
    // Every run does the whole work: no PDF comes from the last run's cache.
    command.arg("build").arg("--no-cache").arg("--timings").arg("--root").arg(root).arg("--output").arg(output);
    run(command, logs, Some(output))
}

/// One `tejun check --root ROOT`: the whole build in memory, nothing written. It is an
/// error when tejun exits non-zero (it does on any error in the site).
pub fn check(binary: &Path, root: &Path, logs: &Path) -> Result<Run, String> {
    let mut command = Command::new(binary);
    command.arg("check").arg("--no-cache").arg("--root").arg(root);
    run(command, logs, None)
}

/// Runs `command` with its output in `LOGS.stdout.log` and `LOGS.stderr.log`. It is an
/// error when it fails or, given `output`, writes no file there; the error carries the
/// command, what went wrong and the child's stderr and stdout.
pub fn run(mut command: Command, logs: &Path, output: Option<&Path>) -> Result<Run, String> {
    let stdout_log = log_path(logs, "stdout");
    let stderr_log = log_path(logs, "stderr");
    command.stdin(Stdio::null()).stdout(create_log(&stdout_log)?).stderr(create_log(&stderr_log)?);
    let shown = format!("{command:?}");

    settle_disk();
    let start = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    let (status, max_rss) = wait_with_peak_memory(child).map_err(|e| format!("waiting for {shown}: {e}"))?;
    let wall = start.elapsed();

    // A build that "succeeds" without writing anything would give meaningless figures.
    let wrote_nothing = |output: &Path| tree_size(output, "").is_ok_and(|(files, _)| files == 0);
    let problem = match output {
        _ if !status.success() => format!("failed ({status})"),
        Some(output) if wrote_nothing(output) => {
            format!("exited successfully but wrote no file into {}", output.display())
        }
        _ => {
            let stages = parse_stages(&fs::read_to_string(&stderr_log).unwrap_or_default());
            return Ok(Run { wall, max_rss, stages });
        }
    };
    Err(format!(
        "{shown} {problem}\n--- stderr ({}) ---\n{}\n--- stdout ({}) ---\n{}",
        stderr_log.display(),
        tail_of(&stderr_log),
        stdout_log.display(),
        tail_of(&stdout_log),
    ))
}

/// The `--timings` lines of tejun's stderr, `   render and write:   906.9 ms`; other
/// lines (diagnostics) are skipped.
fn parse_stages(stderr: &str) -> Vec<(String, f64)> {
    stderr
        .lines()
        .filter_map(|line| {
            let (stage, value) = line.trim().rsplit_once(':')?;
            let ms = value.trim().strip_suffix(" ms")?.trim().parse().ok()?;
            Some((stage.trim().to_string(), ms))
        })
        .collect()
}

fn log_path(logs: &Path, stream: &str) -> PathBuf {
    let mut name = logs.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{stream}.log"));
    logs.with_file_name(name)
}

fn create_log(path: &Path) -> Result<File, String> {
    File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

/// The last 20,000 bytes of a log, enough for any error report.
fn tail_of(path: &Path) -> String {
    const LIMIT: usize = 20_000;
    let bytes = fs::read(path).unwrap_or_default();
    let start = bytes.len().saturating_sub(LIMIT);
    let text = String::from_utf8_lossy(&bytes[start..]);
    if start > 0 { format!("[… first {start} bytes left out …]\n{text}") } else { text.into() }
}

/// Waits for the child with `wait4`, which reports the resource usage of that child
/// alone (`getrusage(RUSAGE_CHILDREN)` would mix in every earlier run).
#[cfg(unix)]
pub fn wait_with_peak_memory(child: Child) -> io::Result<(ExitStatus, Option<u64>)> {
    use std::os::unix::process::ExitStatusExt;

    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child, not yet reaped (std's Child is never waited on);
        // both pointers are valid for the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    // Dropping a std Child neither waits nor kills; the process is already reaped.
    drop(child);
    Ok((ExitStatus::from_raw(status), Some(max_rss_bytes(usage.ru_maxrss))))
}

#[cfg(not(unix))]
pub fn wait_with_peak_memory(mut child: Child) -> io::Result<(ExitStatus, Option<u64>)> {
    Ok((child.wait()?, None))
}

/// `ru_maxrss` is in KiB on Linux and the BSDs, in bytes on macOS.
#[cfg(unix)]
fn max_rss_bytes(ru_maxrss: libc::c_long) -> u64 {
    let value = ru_maxrss.max(0) as u64;
    if cfg!(target_os = "macos") { value } else { value * 1024 }
}

/// Number of files and their total size under `dir`, counting only names ending
/// with `suffix` (all files when it is empty). A missing `dir` counts as empty.
pub fn tree_size(dir: &Path, suffix: &str) -> io::Result<(u64, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() && entry.file_name().to_string_lossy().ends_with(suffix) {
                files += 1;
                bytes += entry.metadata()?.len();
            }
        }
    }
    Ok((files, bytes))
}

/// Writes what earlier runs left in memory to the disk before a run starts, so that a
/// run is not timed while the kernel writes out the hundreds of MB the tool before it
/// wrote (on two cores that takes one of them for seconds).
pub fn settle_disk() {
    #[cfg(unix)]
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe {
        libc::sync()
    };
}

/// Folders set aside by [`set_aside`], to be removed by [`remove_set_aside`].
static SET_ASIDE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Empties the place of `dir` for the next run by renaming it, not deleting it: the
/// folders are removed only at the end, by [`remove_set_aside`].
///
/// Why: ext4 without a journal does not reuse an inode freed in the last minute (five,
/// while its table is not yet written back), and finds a free one by reading every
/// such inode it passes. A build that creates thousands of files right after
/// thousands were deleted then spends a third of its time in the kernel; deleting the
/// output between runs made every tool's figures (the floor's, tejun's, Hugo's) swing
/// with what the run before had deleted.
pub fn set_aside(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let mut aside = SET_ASIDE.lock().unwrap_or_else(|e| e.into_inner());
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut n = aside.len();
    let target = loop {
        let target = dir.with_file_name(format!(".{name}.aside-{}-{n}", std::process::id()));
        if !target.exists() {
            break target;
        }
        n += 1;
    };
    fs::rename(dir, &target)?;
    aside.push(target);
    Ok(())
}

/// Removes every folder [`set_aside`] renamed.
pub fn remove_set_aside() -> io::Result<()> {
    let folders = std::mem::take(&mut *SET_ASIDE.lock().unwrap_or_else(|e| e.into_inner()));
    folders.iter().try_for_each(|dir| remove_tree(dir))
}

/// Removes a directory tree if it exists.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Smallest and median of the wall times (`runs` must not be empty).
pub fn min_and_median(runs: &[Run]) -> (Duration, Duration) {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    walls.sort();
    let n = walls.len();
    let median = if n % 2 == 1 { walls[n / 2] } else { (walls[n / 2 - 1] + walls[n / 2]) / 2 };
    (walls[0], median)
}

/// The run whose wall time is the median (the lower middle one of an even number;
/// `runs` must not be empty).
pub fn median_run(runs: &[Run]) -> &Run {
    let mut sorted: Vec<&Run> = runs.iter().collect();
    sorted.sort_by_key(|r| r.wall);
    sorted[(sorted.len() - 1) / 2]
}

/// The highest peak RSS over the runs.
pub fn peak_rss(runs: &[Run]) -> Option<u64> {
    runs.iter().filter_map(|r| r.max_rss).max()
}
