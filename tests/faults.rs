//! A publisher's scheduled build gets killed and overlaps with the next one: the
//! output folder must always hold a complete site, what a killed build leaves must
//! be cleared by the next, and two builds at once must end with one complete site.

mod common;

use std::io::{BufRead, BufReader};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::read_tree;

/// A copy of the example manual (PDFs included, so a build takes a while), with
/// its output beside it in `public/`.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tejun.toml"), dir.path().join("tejun.toml")).unwrap();
    copy_tree(&root.join("content"), &dir.path().join("content"));
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn start_build(site: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tejun"))
        // Every PDF typeset each time, so that a build takes long enough to be killed
        // in all its stages, and nothing but the output is written beside it.
        .args(["build", "--no-cache", "--root"])
        .arg(site)
        // A fixed date, so that every complete site is byte for byte the same.
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) {
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// What is beside the output folder, apart from the site's own files.
fn around_output(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "tejun.toml" && name != "content")
        .collect();
    names.sort();
    names
}

/// A small xorshift generator: random kill times without a dependency, seeded
/// from the clock and printed so a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_last_good_site_complete() {
    let site = example_site();
    let root = site.path();
    let started = Instant::now();
    finish(start_build(root));
    let full = started.elapsed();
    let good = read_tree(&root.join("public"));
    assert!(good.keys().any(|k| k.ends_with("manual.pdf")) && good.len() > 20, "{:?}", good.keys());

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("seed {seed}, a build takes {full:?}");
    let mut random = Random(seed);
    let mut left_behind = 0;
    for round in 0..16 {
        let mut child = start_build(root);
        // Anywhere from the start to a little past the usual end of a build.
        let at = Duration::from_micros(random.next(full.as_micros() as u64 * 5 / 4));
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let now = read_tree(&root.join("public"));
        assert!(now == good, "round {round} (killed after {at:?}, seed {seed}): public/ is not the complete site");
        let around = around_output(root);
        assert!(around.len() <= 3, "round {round}: {around:?}");
        left_behind += around.iter().filter(|n| n.contains("tejun-staging")).count();
    }
    eprintln!("{left_behind} of 16 killed builds left a staging folder");
    finish(start_build(root));
    assert_eq!(around_output(root), [".public.tejun-lock", "public"], "the next build clears what killed ones left");
    assert!(read_tree(&root.join("public")) == good);
}

/// Holds the output folder's lock as another build would.
fn hold_lock(site: &Path) -> std::fs::File {
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.join(".public.tejun-lock"))
        .unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    file
}

#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let site = example_site();
    let root = site.path();
    let lock = hold_lock(root);
    let mut child = start_build(root);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("waiting for another tejun build"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it waits while the lock is held");
    assert!(!root.join("public").exists(), "and writes nothing meanwhile");
    drop(lock);
    assert!(child.wait().unwrap().success());
    assert!(root.join("public/ja/manual.pdf").is_file());
}

#[test]
fn two_builds_at_once_end_with_one_complete_site() {
    let site = example_site();
    let root = site.path();
    finish(start_build(root));
    let good = read_tree(&root.join("public"));
    let builds: Vec<Child> = (0..2).map(|_| start_build(root)).collect();
    for build in builds {
        finish(build);
    }
    assert!(read_tree(&root.join("public")) == good);
    assert_eq!(around_output(root), [".public.tejun-lock", "public"]);
}

#[test]
fn the_output_folder_is_never_missing_during_a_swap() {
    let site = example_site();
    let root = site.path();
    finish(start_build(root));
    let index: PathBuf = root.join("public/index.html");
    let mut child = start_build(root);
    let mut looks = 0u64;
    while child.try_wait().unwrap().is_none() {
        assert!(index.is_file(), "public/index.html vanished during a build");
        looks += 1;
    }
    assert!(child.wait().unwrap().success());
    assert!(looks > 100, "looked often enough: {looks}");
}
