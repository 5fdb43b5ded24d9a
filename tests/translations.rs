//! `tejun translations` and stale translations: a Japanese manual with an English
//! translation that fell behind in places, the report, and stamping that changes
//! nothing but the `source` lines (a Windows writer's file with a BOM and CRLF).

mod common;

use common::{CONFIG, Site, attr, texts};

const JA: &str = "+++\ntitle = \"証明書を取得する\"\n+++\n\n+++\nid = \"open\"\ntitle = \"画面を開きます\"\n+++\n\n「OK」をクリックします。\n\n+++\nid = \"select\"\ntitle = \"証明書を選択します\"\n+++\n\n一覧から選びます。\n\n+++\nid = \"install\"\ntitle = \"インストールします\"\n+++\n\n+++\nid = \"finish\"\ntitle = \"閉じます\"\n+++\n";

/// The English page, CRLF and a BOM, with `source` lines given per step.
fn english(open: &str, select: &str) -> String {
    let text = format!(
        "+++\ntitle = \"Obtain the certificate\" # kept as written\nweight = 1\n+++\n\n+++\nid = \"open\"\n{open}title = \"Open the screen\"\n+++\n\nClick **OK**.\n\n+++\nid = \"select\"\n{select}title = \"Select the certificate\"\n+++\n\nPick it from the list.\n\n+++\nid = \"install\"\ntitle = \"Install it\"\n+++\n"
    );
    format!("\u{FEFF}{}", text.replace('\n', "\r\n"))
}

fn site(en: &str) -> Site {
    let site = Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/guide/_index.ja.md", "+++\ntitle = \"ガイド\"\n+++\n"),
        ("content/guide/_index.en.md", "+++\ntitle = \"Guide\"\n+++\n"),
        ("content/guide/obtain.ja.md", JA),
    ]);
    std::fs::write(site.root().join("content/guide/obtain.en.md"), en).unwrap();
    site
}

fn statuses(site: &Site) -> Vec<(String, String)> {
    let output = site.run(&["translations", "--format", "json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let page = json["pages"].as_array().unwrap().iter().find(|p| p["page"] == "guide/obtain").unwrap();
    page["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_string(), s["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_report_stamping_and_the_stale_lint_work_together() {
    let site = site(&english("", "source = \"garbage\"\n"));
    let expect = |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(
        statuses(&site),
        expect(&[("open", "untracked"), ("select", "stale"), ("install", "untracked"), ("finish", "missing")])
    );
    let table = String::from_utf8(site.run(&["translations"]).stdout).unwrap();
    assert!(table.contains("en: 0 current, 1 stale, 2 untracked, 1 missing"), "{table}");
    assert!(table.contains("step select: stale"), "{table}");

    // check warns at the `source` line of the stale step.
    let check = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    let at = english("", "source = \"garbage\"\n").trim_start_matches('\u{FEFF}').replace("\r\n", "\n");
    let line = at[..at.find("source = ").unwrap()].matches('\n').count() + 1;
    assert!(check.contains(&format!("content/guide/obtain.en.md:{line}:10")), "{check}");
    assert!(check.contains("warning[stale-translation]: step `select` changed in ja"), "{check}");

    // The reader of the English page sees a note on the stale step, linking to the
    // Japanese one; `[translations] show_stale = false` hides it.
    site.build();
    let html = site.html("en/guide/obtain.html");
    assert_eq!(attr(&html, ".stale-note a", "href"), ["../../ja/guide/obtain.html#step-select"]);
    assert_eq!(attr(&html, "#step-select .stale-note a", "href").len(), 1, "on the stale step only");
    assert_eq!(
        texts(&html, ".stale-note")[0],
        "This step was changed in the original after it was translated. Read the original step"
    );
    site.write("tejun.toml", &format!("{CONFIG}\n[translations]\nshow_stale = false\n"));
    site.build();
    assert!(attr(&site.html("en/guide/obtain.html"), ".stale-note a", "href").is_empty());
    let pdf = std::process::Command::new("pdftotext")
        .arg(site.public().join("en/guide/obtain.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert!(text.contains("Select the certificate") && !text.contains("changed in the original"), "{text}");
    site.write("tejun.toml", CONFIG);

    // Stamping one step changes that step only.
    let output = site.run(&["translations", "--stamp", "guide/obtain#select"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let statuses_now = statuses(&site);
    assert_eq!(statuses_now[1], ("select".to_string(), "current".to_string()));
    assert_eq!(statuses_now[0].1, "untracked");

    // Stamping the page records every step, changing nothing else, BOM and CRLF kept.
    assert!(site.run(&["translations", "--stamp", "guide/obtain"]).status.success());
    let stamped = std::fs::read_to_string(site.root().join("content/guide/obtain.en.md")).unwrap();
    let hash_of = |id: &str| {
        let block = &stamped[stamped.find(&format!("id = \"{id}\"")).unwrap()..];
        let value = &block[block.find("source = \"").unwrap() + 10..];
        value[..12].to_string()
    };
    let (open, select) = (hash_of("open"), hash_of("select"));
    let page = &stamped[stamped.find("weight = 1\r\nsource = \"").expect("the page's own source line") + 22..][..12];
    let expected = english(&format!("source = \"{open}\"\n"), &format!("source = \"{select}\"\n"))
        .replace("id = \"install\"\r\n", &format!("id = \"install\"\r\nsource = \"{}\"\r\n", hash_of("install")))
        .replace("weight = 1\r\n", &format!("weight = 1\r\nsource = \"{page}\"\r\n"));
    assert_eq!(stamped, expected, "only source lines were added");
    assert_eq!(
        statuses(&site),
        expect(&[("open", "current"), ("select", "current"), ("install", "current"), ("finish", "missing")])
    );
    let check = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    assert!(!check.contains("stale-translation"), "{check}");
    site.build();
    assert!(attr(&site.html("en/guide/obtain.html"), ".stale-note", "class").is_empty(), "the note is gone");

    // The page's own text is tracked too: its introduction changes in Japanese.
    let page_text = |site: &Site| {
        let output = site.run(&["translations", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let page = json["pages"].as_array().unwrap().iter().find(|p| p["page"] == "guide/obtain").unwrap().clone();
        page["text"].as_str().unwrap().to_string()
    };
    assert_eq!(page_text(&site), "current");
    site.write(
        "content/guide/obtain.ja.md",
        &JA.replacen("+++\n\n+++\nid = \"open\"", "+++\n\n管理者が行います。\n\n+++\nid = \"open\"", 1),
    );
    assert_eq!(page_text(&site), "stale");
    assert_eq!(statuses(&site)[0].1, "current", "the steps are not affected");
    let check = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    assert!(check.contains("the page's text outside its steps changed in ja"), "{check}");
    site.write("content/guide/obtain.ja.md", JA);

    // Re-wrapping the Japanese is no change; editing it makes the step stale again.
    site.write("content/guide/obtain.ja.md", &JA.replace("「OK」をクリックします。", "「OK」を\nクリックします。"));
    assert_eq!(statuses(&site)[0].1, "current");
    site.write("content/guide/obtain.ja.md", &JA.replace("「OK」をクリックします。", "「OK」を2回クリックします。"));
    assert_eq!(statuses(&site)[0].1, "stale");

    // A page that does not exist is named with the nearest one.
    let output = site.run(&["translations", "--stamp", "guide/obtian"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `guide/obtain`?"));
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=writer", "-c", "user.email=writer@example.com"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git ({e}): apt-get install git"));
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn in_git_check_shows_how_the_source_step_changed_since_the_translation() {
    let site = site(&english("", ""));
    assert!(site.run(&["translations", "--stamp", "guide/obtain"]).status.success());
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "."]);
    git(site.root(), &["commit", "-q", "-m", "translated"]);
    // Two later edits of the Japanese step, committed and not.
    site.write("content/guide/obtain.ja.md", &JA.replace("「OK」をクリックします。", "「OK」を2回クリックします。"));
    git(site.root(), &["commit", "-q", "-am", "twice"]);
    site.write("content/guide/obtain.ja.md", &JA.replace("「OK」をクリックします。", "「OK」を3回クリックします。"));
    let output = site.run(&["check", "--format", "json"]);
    let warnings: Vec<serde_json::Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let stale: Vec<&serde_json::Value> = warnings.iter().filter(|d| d["code"] == "stale-translation").collect();
    assert_eq!(stale.len(), 1, "{warnings:?}");
    let hint = stale[0]["hint"].as_str().unwrap();
    assert!(hint.contains("the source step changed since the translation:"), "{hint}");
    assert!(hint.contains("  - 「OK」をクリックします。\n  + 「OK」を3回クリックします。"), "{hint}");
}

/// A translation in YAML front matter and one with none (its title its heading):
/// stamping writes `source` as each is written, and both are current after it.
#[test]
fn stamping_writes_yaml_into_yaml_and_gives_a_page_without_front_matter_a_block() {
    let yaml_en = "---\ntitle: Obtain the certificate\nsidebar_position: 1\n---\n\n+++\nid = \"open\"\ntitle = \"Open the screen\"\n+++\n\nClick **OK**.\n\n+++\nid = \"select\"\ntitle = \"Select\"\n+++\n\n+++\nid = \"install\"\ntitle = \"Install it\"\n+++\n\n+++\nid = \"finish\"\ntitle = \"Close\"\n+++\n";
    let site = site(yaml_en);
    let stamp = site.run(&["translations", "--stamp", "guide/obtain"]);
    assert!(stamp.status.success(), "{}", String::from_utf8_lossy(&stamp.stderr));
    let stamped = std::fs::read_to_string(site.root().join("content/guide/obtain.en.md")).unwrap();
    let front: Vec<&str> = stamped.lines().take(5).collect();
    assert_eq!(front[..3], ["---", "title: Obtain the certificate", "sidebar_position: 1"]);
    assert!(front[3].starts_with("source: \"") && front[4] == "---", "{stamped}");
    assert!(statuses(&site).iter().all(|(_, status)| status == "current"), "{:?}", statuses(&site));
    let check = site.run(&["check", "--deny", "warnings"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // Stamping again after the source changed replaces the value in place.
    site.write("content/guide/obtain.ja.md", &JA.replace("証明書を取得する", "証明書を取得します"));
    assert!(site.run(&["translations", "--stamp", "guide/obtain"]).status.success());
    let again = std::fs::read_to_string(site.root().join("content/guide/obtain.en.md")).unwrap();
    assert_eq!(again.matches("source:").count(), 1, "{again}");
    assert_ne!(again, stamped);

    let bare_en = "# Obtain the certificate\n\n+++\nid = \"open\"\ntitle = \"Open the screen\"\n+++\n\nClick **OK**.\n";
    site.write("content/guide/obtain.en.md", bare_en);
    assert!(site.run(&["translations", "--stamp", "guide/obtain"]).status.success());
    let stamped = std::fs::read_to_string(site.root().join("content/guide/obtain.en.md")).unwrap();
    let (block, rest) = stamped.split_once("\n+++\n\n").unwrap();
    assert!(block.starts_with("+++\nsource = \"") && block.lines().count() == 2, "{stamped}");
    assert!(rest.starts_with("# Obtain the certificate\n\n+++\nid = \"open\"\nsource = "), "{stamped}");
    site.build();
    assert_eq!(texts(&site.html("en/guide/obtain.html"), "main h1"), ["Obtain the certificate"]);
}

/// A translation that includes one of its steps from a partial: stamping writes
/// `source` into the steps of the page's own file, keeps the include as written,
/// and leaves the partial alone.
#[test]
fn stamping_a_page_that_includes_a_step_keeps_the_include() {
    let en = "+++\ntitle = \"Obtain the certificate\"\n+++\n\n{{#include _open.en.md}}\n\n+++\nid = \"select\"\ntitle = \"Select\"\n+++\n\nPick it.\n";
    let open = "+++\nid = \"open\"\ntitle = \"Open the screen\"\n+++\n\nClick **OK**.\n";
    let site = site(en);
    site.write("content/guide/_open.en.md", open);
    let stamp = site.run(&["translations", "--stamp", "guide/obtain"]);
    assert!(stamp.status.success(), "{}", String::from_utf8_lossy(&stamp.stderr));
    let stamped = std::fs::read_to_string(site.root().join("content/guide/obtain.en.md")).unwrap();
    let sources: Vec<&str> = stamped.lines().filter(|line| line.starts_with("source = ")).collect();
    assert_eq!(sources.len(), 2, "the page's and its own step's: {stamped}");
    let expected = en
        .replacen("certificate\"\n", &format!("certificate\"\n{}\n", sources[0]), 1)
        .replace("id = \"select\"\n", &format!("id = \"select\"\n{}\n", sources[1]));
    assert_eq!(stamped, expected);
    assert_eq!(std::fs::read_to_string(site.root().join("content/guide/_open.en.md")).unwrap(), open);
    let statuses = statuses(&site);
    assert!(statuses.contains(&("select".to_string(), "current".to_string())), "{statuses:?}");
    site.build();
    assert_eq!(texts(&site.html("en/guide/obtain.html"), "main .step-title"), ["Open the screen", "Select"]);
}
