//! No bad input gets through: every file of the corpus in `tests/corpus/` (and a few
//! generated monsters: 50 MB, 10,000 nested lists and quotes) either builds or gets
//! its diagnostic — never a panic, never a hang.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// Corpus file → the diagnostic code it must produce (`None`: it must build cleanly).
const CORPUS: &[(&str, Option<&str>)] = &[
    // Titled after its file, with a warning.
    ("empty.md", None),
    ("yaml-front-matter.md", None),
    ("invalid-yaml.md", Some("invalid-front-matter")),
    ("binary.md", Some("not-utf8")),
    ("shift_jis.md", Some("not-utf8")),
    ("utf16.md", Some("not-utf8")),
    ("bom-crlf.md", None),
    ("front-matter-only.md", None),
    ("unterminated-front-matter.md", Some("unterminated-block")),
    ("unterminated-step.md", Some("unterminated-block")),
    ("invalid-toml.md", Some("invalid-toml")),
    ("unknown-key.md", Some("unknown-key")),
    ("missing-id.md", Some("missing-key")),
    ("duplicate-id.md", Some("duplicate-step-id")),
    ("uppercase-id.md", Some("invalid-step-id")),
    ("unknown-reference.md", Some("unknown-reference")),
    ("backwards-range.md", Some("backwards-range")),
    ("missing-image.md", Some("missing-image")),
    ("path-outside.md", Some("path-outside-site")),
    ("absolute-path.md", Some("path-outside-site")),
    ("step-in-quote.md", Some("nested-step")),
    ("empty-reference.md", Some("invalid-reference")),
    ("wrong-type.md", Some("invalid-toml")),
];

/// What one `tejun check --format json` run did.
struct Run {
    status: Option<i32>,
    codes: Vec<String>,
    stderr: String,
    took: Duration,
}

/// Runs `tejun check --format json` on a site, killing it if it runs too long.
fn check(site: &Site, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tejun"))
        .args(["check", "--format", "json", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("tejun check hung: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let codes = out
        .join()
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    Run { status: status.code(), codes, stderr: err.join().unwrap(), took: started.elapsed() }
}

fn site_with(page: &[u8]) -> Site {
    site_configured(page, "languages = [\"en\"]\n")
}

fn site_configured(page: &[u8], config: &str) -> Site {
    let site = Site::new(&[("tejun.toml", config)]);
    let path = site.root().join("content/page.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, page).unwrap();
    site
}

fn assert_outcome(name: &str, run: &Run, expected: Option<&str>) {
    assert_ne!(run.status, Some(101), "{name}: tejun panicked:\n{}", run.stderr);
    match expected {
        None => assert_eq!(run.status, Some(0), "{name}: expected a clean build, got {:?}\n{}", run.codes, run.stderr),
        Some(code) => {
            assert_eq!(run.status, Some(1), "{name}: expected failure with {code}\n{}", run.stderr);
            assert!(run.codes.iter().any(|c| c == code), "{name}: expected {code}, got {:?}", run.codes);
        }
    }
}

#[test]
fn every_corpus_file_gets_its_diagnostic_or_builds() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut listed: Vec<&str> = CORPUS.iter().map(|(name, _)| *name).collect();
    listed.sort();
    let mut present: Vec<String> =
        std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    present.sort();
    assert_eq!(listed, present, "every corpus file has an expected outcome");
    for (name, expected) in CORPUS {
        let run = check(&site_with(&std::fs::read(corpus.join(name)).unwrap()), Duration::from_secs(30));
        assert_outcome(name, &run, *expected);
    }
}

#[test]
fn encodings_are_named_with_how_to_convert() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for (name, encoding, iconv) in [("shift_jis.md", "Shift_JIS", "SHIFT_JIS"), ("utf16.md", "UTF-16", "UTF-16LE")] {
        let site = site_with(&std::fs::read(corpus.join(name)).unwrap());
        let output = site.run(&["check"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("it looks like {encoding}")), "{name}: {stderr}");
        assert!(stderr.contains(&format!("iconv -f {iconv} -t UTF-8")), "{name}: {stderr}");
    }
}

#[test]
fn huge_and_deeply_nested_files_neither_panic_nor_hang() {
    let step = "+++\nid = \"a\"\ntitle = \"t\"\n+++\n\n";
    let mut big = format!("+++\ntitle = \"big\"\n+++\n\n{step}");
    let paragraph = "「ご契約先暗証番号」を入力し、**ログイン** ボタンをクリックします。[](step:a) を参照。\n\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(paragraph);
    }
    let nested_lists: String = std::iter::once("+++\ntitle = \"lists\"\n+++\n\n".to_string())
        .chain((0..10_000).map(|depth| format!("{}- x\n", "  ".repeat(depth.min(400)))))
        .collect();
    let nested_quotes = format!("+++\ntitle = \"quotes\"\n+++\n\n{} deep\n", ">".repeat(10_000));
    let many_fences = format!("+++\ntitle = \"fences\"\n+++\n\n{}", "+++\nid\n".repeat(5_000));
    // Typesetting a 50 MB page would make a 25,000-page PDF: that is slow, not stuck,
    // and says nothing about the parser, so these sites build HTML and search only.
    let html_only = "languages = [\"en\"]\n[pdf]\nenabled = false\n";
    for (name, text, expected) in [
        ("50 MB", big, None),
        ("10,000 nested lists", nested_lists, None),
        ("10,000 nested quotes", nested_quotes, None),
        ("5,000 broken step blocks", many_fences, Some("invalid-toml")),
    ] {
        let run = check(&site_configured(text.as_bytes(), html_only), Duration::from_secs(240));
        assert_outcome(name, &run, expected);
        eprintln!("{name}: {:.1} s", run.took.as_secs_f64());
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_is_refused() {
    let site = site_with(b"+++\ntitle = \"x\"\n+++\n\n![secret](images/passwd.svg)\n");
    std::fs::create_dir_all(site.root().join("content/images")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("content/images/passwd.svg")).unwrap();
    let run = check(&site, Duration::from_secs(30));
    assert_outcome("symlink", &run, Some("path-outside-site"));
}

/// Pages the fuzzer (`fuzz/`) once made tejun panic on, kept in `tests/fuzzed/`: each
/// builds or gets its diagnostic.
#[test]
fn pages_that_once_panicked_build_or_get_their_diagnostic() {
    let fuzzed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzzed");
    let mut pages: Vec<_> = std::fs::read_dir(&fuzzed).unwrap().map(|entry| entry.unwrap().path()).collect();
    pages.sort();
    assert!(!pages.is_empty());
    for page in pages {
        let run = check(&site_with(&std::fs::read(&page).unwrap()), Duration::from_secs(30));
        assert!(matches!(run.status, Some(0 | 1)), "{}: exit {:?}\n{}", page.display(), run.status, run.stderr);
    }
}
