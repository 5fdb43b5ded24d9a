//! The example manual that ships in `content/` builds, and reads like the reference
//! manual it was written from: 28 steps in both languages, lined up, with every
//! hand-typed step number turned into a working reference.

mod common;

use std::path::Path;
use std::process::Command;

use common::{assert_links_resolve, attr, select, texts};
use scraper::Html;

fn build_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_tejun"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    out
}

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join("public").join(path)).unwrap())
}

const PAGES: [&str; 2] = ["certificates/reissue.html", "certificates/obtain.html"];

#[test]
fn all_28_steps_in_both_languages_line_up() {
    let out = build_example();
    let mut total = [0, 0];
    for path in PAGES {
        let ja = page(out.path(), &format!("ja/{path}"));
        let en = page(out.path(), &format!("en/{path}"));
        let ja_ids = attr(&ja, "li.step", "id");
        assert_eq!(ja_ids, attr(&en, "li.step", "id"), "{path}: steps differ between languages");
        assert_eq!(attr(&ja, "figure", "id"), attr(&en, "figure", "id"), "{path}: figures differ");
        let numbers: Vec<String> = (1..=ja_ids.len()).map(|n| n.to_string()).collect();
        assert_eq!(texts(&ja, "li.step .step-num"), numbers);
        total[0] += ja_ids.len();
        total[1] += attr(&en, "li.step", "id").len();
    }
    assert_eq!(total, [28, 28]);
    let sections: usize =
        PAGES.iter().map(|p| select(&page(out.path(), &format!("ja/{p}")), "h2.section-title").len()).sum();
    assert_eq!(sections, 4, "four sections of steps; the introduction is the chapter page");
    assert!(!texts(&page(out.path(), "ja/certificates/index.html"), ".intro p").is_empty());
}

/// The reference manual's Chrome asides are the Chrome manual: in it the steps
/// that look different in Chrome show Chrome's screens, the Edge asides are gone,
/// and it has the Edge manual's 28 steps, lined up in both languages.
#[test]
fn the_chrome_manual_shows_chrome_where_edge_would_mislead() {
    let out = build_example();
    for lang in ["ja", "en"] {
        let edge = page(out.path(), &format!("{lang}/certificates/obtain.html"));
        let chrome = page(out.path(), &format!("chrome/{lang}/certificates/obtain.html"));
        assert_eq!(attr(&edge, "li.step", "id"), attr(&chrome, "li.step", "id"), "{lang}: the same steps");
        let screenshot = |html: &Html, step: &str| attr(html, &format!("#step-{step} figure img"), "src");
        assert_eq!(screenshot(&edge, "launch-browser"), ["../../assets/certificates/images/launch-edge.svg"]);
        assert_eq!(screenshot(&chrome, "launch-browser"), ["../../../assets/certificates/images/launch-chrome.svg"]);
        assert_eq!(
            screenshot(&chrome, "open-downloaded-file"),
            ["../../../assets/certificates/images/open-downloaded-file-chrome.svg"]
        );
        assert_eq!(
            screenshot(&edge, "open-downloaded-file"),
            ["../../assets/certificates/images/open-downloaded-file.svg"]
        );
        let main = |html: &Html| texts(html, "main").join(" ");
        assert!(
            !main(&chrome).contains("Microsoft Edge を起動します") && !main(&chrome).contains("Start Microsoft Edge")
        );
        assert!(!main(&edge).contains("Google Chrome を起動します") && !main(&edge).contains("Start Google Chrome"));
        let chapter = page(out.path(), &format!("chrome/{lang}/certificates/index.html"));
        assert!(main(&chapter).contains("Google Chrome"));
        assert!(!main(&chapter).contains("Microsoft Edge"));
    }
    assert!(out.path().join("public/chrome/ja/manual.pdf").is_file());
    assert!(out.path().join("public/chrome/searchindex.ja.js").is_file());
}

/// The screenshots are clean captures: tejun draws their callouts in both languages
/// and manuals, and the customer ID the reference manual hides reaches no output.
#[test]
fn callouts_are_drawn_from_data_and_the_contract_id_is_redacted_everywhere() {
    let out = build_example();
    for prefix in ["", "chrome/"] {
        for lang in ["ja", "en"] {
            let html = page(out.path(), &format!("{prefix}{lang}/certificates/reissue.html"));
            let numbers = texts(&html, "#step-select-certificate .callouts .callout-number");
            assert_eq!(numbers, ["①", "②"], "{prefix}{lang}");
            assert_eq!(texts(&html, "#step-select-certificate ol.substeps .substep-marker"), numbers);
            let src = attr(&html, "#step-select-certificate figure img", "src");
            assert!(src[0].contains("select-certificate.redacted-"), "{src:?}");
        }
    }
    let public = out.path().join("public");
    assert!(!public.join("assets/certificates/images/select-certificate.svg").exists());
    for (path, bytes) in common::read_tree(&public) {
        assert!(bytes.windows(10).all(|w| w != b"0012345678"), "{path} holds the contract ID");
    }
}

#[test]
fn redo_from_the_download_step_is_a_reference_in_both_languages() {
    let out = build_example();
    let ja = page(out.path(), "ja/certificates/obtain.html");
    let download = attr(&ja, "li.step", "id").iter().position(|id| id == "step-download").unwrap() + 1;
    let warning_refs = texts(&ja, ".alert-warning a.xref[href='#step-download']");
    assert_eq!(warning_refs, [format!("手順 {download}")]);
    let en = page(out.path(), "en/certificates/obtain.html");
    assert_eq!(texts(&en, ".alert-warning a.xref[href='#step-download']"), [format!("step {download}")]);
    // No hand-typed 「19」 survived.
    let body = texts(&ja, "main").join(" ");
    assert!(!body.contains("「19」"), "a hand-typed step number is left");
}

#[test]
fn the_typo_with_cyrillic_letters_is_fixed() {
    let out = build_example();
    for path in PAGES {
        let text = texts(&page(out.path(), &format!("ja/{path}")), "main").join(" ");
        assert!(!text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{path} has Cyrillic letters");
    }
    let text = texts(&page(out.path(), "ja/certificates/reissue.html"), "main").join(" ");
    assert!(text.contains("ワンタイムパスワード"));
}

#[test]
fn screenshots_are_figures_with_sizes_and_links_all_resolve() {
    let out = build_example();
    for path in PAGES {
        let ja = page(out.path(), &format!("ja/{path}"));
        for img in select(&ja, "figure img") {
            assert!(img.value().attr("width").is_some() && img.value().attr("height").is_some());
            assert!(!img.value().attr("alt").unwrap_or_default().is_empty(), "{path}: figure without alt");
        }
        assert!(select(&ja, "figure").len() >= 10);
    }
    assert!(assert_links_resolve(&out.path().join("public")) > 100);
}

/// A copy of the example manual to edit.
fn example_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("tejun.toml"), dir.path().join("tejun.toml")).unwrap();
    copy(&root.join("content"), &dir.path().join("content"));
    dir
}

fn tejun(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tejun")).args(args).arg("--root").arg(root).output().unwrap()
}

#[test]
fn the_english_translation_is_current_and_an_edit_in_japanese_makes_its_step_stale() {
    let site = example_copy();
    let root = site.path();
    let report = tejun(root, &["translations"]);
    let table = String::from_utf8_lossy(&report.stdout);
    assert!(table.contains("en: 30 current, 0 stale, 0 untracked, 0 missing"), "{table}");
    let text_current = table.lines().filter(|line| line.split_whitespace().nth(2) == Some("current")).count();
    assert_eq!(text_current, 4, "every page's own text is current too: {table}");

    // The writer changes a Japanese step.
    let ja = root.join("content/certificates/obtain.ja.md");
    let text = std::fs::read_to_string(&ja).unwrap();
    assert!(text.contains("「BizIB」のバナーをクリックします。"), "the step this test edits");
    std::fs::write(
        &ja,
        text.replacen("「BizIB」のバナーをクリックします。", "画面右上の「BizIB」のバナーをクリックします。", 1),
    )
    .unwrap();
    let check = String::from_utf8_lossy(&tejun(root, &["check"]).stderr).into_owned();
    assert_eq!(check.matches("warning[stale-translation]").count(), 1, "{check}");
    assert!(check.contains("content/certificates/obtain.en.md:"), "{check}");
    // The English reader sees it on that step, in HTML and in print.
    assert!(tejun(root, &["build"]).status.success());
    let html = Html::parse_document(&std::fs::read_to_string(root.join("public/en/certificates/obtain.html")).unwrap());
    let notes = select(&html, ".step .stale-note a");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].value().attr("href"), Some("../../ja/certificates/obtain.html#step-open-bizib-from-bank-site"));
    let pdf = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(root.join("public/en/certificates/obtain.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert_eq!(text.matches("This step was changed in the original after it was translated.").count(), 1, "{text}");

    // Once the English is updated, stamping records it and the warning goes.
    assert!(tejun(root, &["translations", "--stamp", "certificates/obtain"]).status.success());
    let check = tejun(root, &["check", "--deny", "warnings"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(tejun(root, &["build"]).status.success());
    let html = Html::parse_document(&std::fs::read_to_string(root.join("public/en/certificates/obtain.html")).unwrap());
    assert!(select(&html, ".stale-note").is_empty(), "the note is gone");
}

/// A page link reads as the linked page's title, which may be long: on a phone it
/// wraps like the text around it rather than pushing the page wider than the screen.
#[test]
fn on_a_phone_no_page_of_the_example_is_wider_than_the_screen() {
    let out = build_example();
    common::node(&["tests/e2e/layout.e2e.js"], &[("TEJUN_PUBLIC", &out.path().join("public"))]);
}
