//! `tejun new DIR` writes a manual that builds as it is and shows what a writer needs
//! first, and never overwrites anything.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{assert_links_resolve, attr, select, text, texts};
use scraper::Html;

fn tejun(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tejun")).args(args).arg(dir).output().expect("tejun runs")
}

fn page(dir: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(dir.join("public").join(path)).unwrap())
}

#[test]
fn a_new_manual_builds_cleanly_with_steps_in_both_languages() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("manual");
    let new = tejun(&["new"], &dir);
    assert!(new.status.success(), "{}", String::from_utf8_lossy(&new.stderr));
    assert!(String::from_utf8_lossy(&new.stdout).contains("tejun serve"), "it says what to do next");
    assert!(dir.join("tejun.toml").is_file() && dir.join(".gitignore").is_file());

    let check = tejun(&["check", "--root"], &dir);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(said.starts_with("     Checked ") && said.lines().count() == 1, "no warnings either:\n{said}");
    let build = tejun(&["build", "--root"], &dir);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(assert_links_resolve(&dir.join("public")) > 0);

    for (lang, step, warning, reference) in [("ja", "手順 1", "警告", "手順 2"), ("en", "Step 1", "Warning", "step 2")]
    {
        let html = page(&dir, &format!("{lang}/guide/change-password.html"));
        assert_eq!(attr(&html, "li.step", "id"), ["step-open-settings", "step-enter-passwords", "step-save"]);
        assert_eq!(texts(&html, ".step .step-number")[0], step, "{lang}");
        let figure = select(&html, "#step-open-settings figure img");
        assert_eq!(figure.len(), 1, "{lang}: the step's screenshot");
        assert!(figure[0].value().attr("alt").is_some_and(|a| !a.is_empty()));
        assert_eq!(select(&html, "#step-enter-passwords ol > li").len(), 3, "{lang}: three sub-steps");
        let alert = select(&html, "#step-enter-passwords .alert");
        assert!(alert.iter().any(|a| text(a).contains(warning)), "{lang}: a warning");
        let references: Vec<String> =
            select(&html, "#step-save a[href='#step-enter-passwords']").iter().map(text).collect();
        assert_eq!(references, [reference], "{lang}: a cross-reference that became a number");
    }
    let home = page(&dir, "en/index.html");
    assert!(select(&home, "a").iter().any(|a| text(a) == "Changing your password"));
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "mine").unwrap();
    let new = tejun(&["new"], dir.path());
    assert_eq!(new.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&new.stderr);
    assert!(stderr.contains("is not empty") && stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing was written");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.md")).unwrap(), "mine");

    let file = dir.path().join("notes.md");
    let new = tejun(&["new"], &file);
    assert_eq!(new.status.code(), Some(1), "a file is no folder");
}

#[test]
fn new_accepts_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let new = tejun(&["new"], dir.path());
    assert!(new.status.success(), "{}", String::from_utf8_lossy(&new.stderr));
    assert!(dir.path().join("content/guide/change-password.ja.md").is_file());
}
