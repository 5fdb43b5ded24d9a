//! Variants: one source, a manual per combination of values. A fixture manual for
//! downloading a certificate marks a step, a section and runs of blocks for Google
//! Chrome; each manual is numbered on its own, has its own search index and PDFs,
//! and the variant switch lands on the same page and step. Errors name the place
//! and, for a reference into content a manual leaves out, the manual.

mod common;

use std::process::Command;

use common::{Site, assert_links_resolve, attr, index_entries, node, select, text, texts};
use scraper::Html;

const CONFIG: &str = "languages = [\"ja\", \"en\"]\ndefault_language = \"ja\"\n\n[title]\nja = \"証明書マニュアル\"\nen = \"Certificate manual\"\n\n[pdf]\nenabled = false\n\n[variants.browser]\nvalues = [\"edge\", \"chrome\"]\ntitle = { ja = \"ブラウザー\", en = \"Browser\" }\nja = [\"Microsoft Edge\", \"Google Chrome\"]\nen = [\"Microsoft Edge\", \"Google Chrome\"]\n";

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\"><rect width=\"320\" height=\"200\" fill=\"#ddd\"/></svg>";

/// A page in the shape of a real procedure: a browser-specific introduction, a
/// Chrome-only step in the middle of the numbering, an alternative sub-step run in
/// a step's body, a Chrome-only section, a code sample that shows `:::` as text,
/// and references whose numbers differ between the manuals.
const DOWNLOAD_JA: &str = r#"+++
title = "証明書をダウンロードする"
+++

証明書をダウンロードして保存します。

::: browser=edge

Microsoft Edge では、ダウンロードが終わると右上にメッセージが表示されます。

:::

::: browser=chrome

Google Chrome では、ダウンロードが終わると左下にファイル名が表示されます。

![Chrome のダウンロードバー](images/chrome-bar.svg)

:::

## 準備

+++
id = "open"
title = "ブラウザーを開きます"
+++

お使いのブラウザーを開きます。

+++
id = "keep"
title = "**保存** を選びます"
only = { browser = "chrome" }
+++

「このファイルを保存しますか」と表示されたら **保存** をクリックします。

+++
id = "download"
title = "証明書をダウンロードします"
image = "images/download.svg"
alt = "ダウンロード画面"
+++

1. **ダウンロード** をクリックします。
::: browser=edge
2. 右上のメッセージの **開く** をクリックします。
:::
::: browser=chrome
2. 左下のファイル名をクリックします。
:::

```text
::: browser=chrome
これはコードです
:::
```

## Google Chrome の設定 {browser=chrome}

Chrome の設定を確認します。

+++
id = "chrome-settings"
title = "Chrome の設定を開きます"
+++

設定画面を開きます。

## 確認

+++
id = "check"
title = "確認します"
+++

うまくいかない場合は [](step:download) からやり直します（[](fig:download)）。
"#;

const DOWNLOAD_EN: &str = r#"+++
title = "Download the certificate"
+++

Download the certificate and save it.

::: browser=edge

In Microsoft Edge, a message appears at the top right when the download ends.

:::

::: browser=chrome

In Google Chrome, the file name appears at the bottom left when the download ends.

![The Chrome download bar](images/chrome-bar.svg)

:::

## Before you start

+++
id = "open"
title = "Open your browser"
+++

Open your browser.

+++
id = "keep"
title = "Choose **Keep**"
only = { browser = "chrome" }
+++

When asked whether to keep the file, click **Keep**.

+++
id = "download"
title = "Download the certificate"
image = "images/download.svg"
alt = "The download screen"
+++

1. Click **Download**.
::: browser=edge
2. Click **Open** in the message at the top right.
:::
::: browser=chrome
2. Click the file name at the bottom left.
:::

## Google Chrome settings {browser=chrome}

Check Chrome's settings.

+++
id = "chrome-settings"
title = "Open Chrome's settings"
+++

Open the settings.

## Check

+++
id = "check"
title = "Check"
+++

If it fails, redo from [](step:download) ([](fig:download)).
"#;

/// A second page points into the first: at a step every manual has, and, inside a
/// Chrome container, at the Chrome-only step.
const INSTALL_JA: &str = r#"+++
title = "証明書をインストールする"
+++

+++
id = "install"
title = "インストールします"
+++

ダウンロードは [](step:download/download) で済ませておきます。

::: browser=chrome

保存の確認は [](step:download/keep) のとおりです。

:::
"#;

const INSTALL_EN: &str = r#"+++
title = "Install the certificate"
+++

+++
id = "install"
title = "Install it"
+++

Download it first ([](step:download/download)).

::: browser=chrome

Keeping the file is [](step:download/keep).

:::
"#;

fn fixture() -> Site {
    Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n\n証明書の手順です。\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n\nCertificate procedures.\n"),
        ("content/download.ja.md", DOWNLOAD_JA),
        ("content/download.en.md", DOWNLOAD_EN),
        ("content/install.ja.md", INSTALL_JA),
        ("content/install.en.md", INSTALL_EN),
        ("content/images/download.svg", SVG),
        ("content/images/chrome-bar.svg", SVG),
    ])
}

fn step_ids(html: &Html) -> Vec<String> {
    attr(html, "li.step", "id")
}

fn step_labels(html: &Html) -> Vec<String> {
    texts(html, "li.step .step-number")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn each_manual_is_numbered_on_its_own_and_the_default_keeps_the_usual_paths() {
    let site = fixture();
    let output = site.run(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stderr(&output);
    assert!(
        summary.trim_end().lines().last().unwrap().starts_with("    Finished 6 pages (ja 3, en 3) in 2 variants in "),
        "{summary}"
    );
    let edge = site.html("ja/download.html");
    let chrome = site.html("chrome/ja/download.html");

    assert_eq!(step_ids(&edge), ["step-open", "step-download", "step-check"]);
    assert_eq!(step_ids(&chrome), ["step-open", "step-keep", "step-download", "step-chrome-settings", "step-check"]);
    assert_eq!(step_labels(&edge), ["手順 1", "手順 2", "手順 3"]);
    assert_eq!(step_labels(&chrome), ["手順 1", "手順 2", "手順 3", "手順 4", "手順 5"]);

    // The Chrome-only figure in the introduction comes first in Chrome's numbering.
    assert_eq!(texts(&edge, "figure .figure-label"), ["図 1"]);
    assert_eq!(texts(&chrome, "figure .figure-label"), ["図 1", "図 2"]);
    assert_eq!(attr(&chrome, "figure", "id"), ["fig-chrome-bar", "fig-download"]);

    // The same reference says what each manual numbers.
    let check = |html: &Html| texts(html, "#step-check a.xref");
    assert_eq!(check(&edge), ["手順 2", "図 1"]);
    assert_eq!(check(&chrome), ["手順 3", "図 2"]);

    // Containers hold their blocks in their manual only; the section too.
    let body = |html: &Html| select(html, "main").iter().map(text).collect::<String>();
    assert!(body(&edge).contains("右上にメッセージが表示されます"));
    assert!(!body(&edge).contains("左下にファイル名"));
    assert!(body(&chrome).contains("左下にファイル名が表示されます"));
    assert!(!body(&chrome).contains("右上にメッセージが表示されます"));
    assert_eq!(texts(&edge, "h2.section-title").len(), 2, "{:?}", texts(&edge, "h2.section-title"));
    assert!(texts(&chrome, "h2.section-title").iter().any(|t| t.contains("Google Chrome の設定")));
    // The alternative sub-steps: each manual has its own ②.
    let substeps = |html: &Html| texts(html, "#step-download ol.substeps .substep-body");
    assert_eq!(substeps(&edge), ["ダウンロード をクリックします。", "右上のメッセージの 開く をクリックします。"]);
    assert_eq!(substeps(&chrome), ["ダウンロード をクリックします。", "左下のファイル名をクリックします。"]);
    // `:::` inside code is code.
    let code = texts(&chrome, "#step-download pre");
    assert_eq!(code.len(), 1);
    assert!(code[0].contains("::: browser=chrome"), "{code:?}");
    assert_eq!(texts(&edge, "#step-download pre"), code);

    // A reference into another page follows that page's numbers in each manual.
    let install_edge = site.html("ja/install.html");
    let install_chrome = site.html("chrome/ja/install.html");
    assert_eq!(texts(&install_edge, "a.xref"), ["「証明書をダウンロードする」の手順 2"]);
    assert_eq!(
        texts(&install_chrome, "a.xref"),
        ["「証明書をダウンロードする」の手順 3", "「証明書をダウンロードする」の手順 2"]
    );
    assert_eq!(attr(&install_chrome, "a.xref", "href")[0], "download.html#step-download");

    // Every link of every manual resolves, from the chrome folder too, and the
    // language switch stays in its manual.
    assert!(assert_links_resolve(&site.public()) > 0);
    assert_eq!(attr(&chrome, ".langswitch a", "href"), ["../en/download.html"]);
    assert_eq!(attr(&chrome, "link[rel=stylesheet]", "href")[0], "../../static/tejun.css");
    assert!(site.public().join("chrome/index.html").is_file());
}

#[test]
fn the_variant_switch_links_the_same_page_and_says_where_each_left_out_step_lands() {
    let site = fixture();
    site.build();
    let edge = site.html("en/download.html");
    let chrome = site.html("chrome/en/download.html");
    assert_eq!(attr(&edge, ".variantswitch", "aria-label"), ["Browser"]);
    assert_eq!(texts(&edge, ".variantswitch li"), ["Microsoft Edge", "Google Chrome"]);
    assert_eq!(texts(&edge, ".variantswitch [aria-current]"), ["Microsoft Edge"]);
    assert_eq!(texts(&chrome, ".variantswitch [aria-current]"), ["Google Chrome"]);
    assert_eq!(attr(&edge, ".variantswitch a", "href"), ["../chrome/en/download.html"]);
    assert_eq!(attr(&chrome, ".variantswitch a", "href"), ["../../en/download.html"]);

    // Chrome's own steps land on the step before them in Edge.
    let fallback: serde_json::Value =
        serde_json::from_str(&attr(&chrome, ".variantswitch a", "data-fallback")[0]).unwrap();
    assert_eq!(
        fallback,
        serde_json::json!({
            "step-keep": "step-open",
            "google-chrome-settings": "step-download",
            "step-chrome-settings": "step-download"
        })
    );
    assert!(attr(&edge, ".variantswitch a", "data-fallback").is_empty(), "Chrome has every Edge step");

    // The search box loads the manual's own index.
    assert_eq!(attr(&edge, "#search-input", "data-index"), ["../searchindex.en.js"]);
    assert_eq!(attr(&chrome, "#search-input", "data-index"), ["../searchindex.en.js"]);
    assert!(site.public().join("chrome/searchindex.en.js").is_file());
}

#[test]
fn each_manual_has_its_own_search_index_with_its_own_numbers() {
    let site = fixture();
    site.build();
    let edge = index_entries(&site.public().join("searchindex.ja.js"));
    let chrome = index_entries(&site.public().join("chrome/searchindex.ja.js"));
    let step =
        |entries: &[(u64, String, String, String)], anchor: &str| entries.iter().find(|e| e.1 == anchor).map(|e| e.0);
    assert_eq!(step(&edge, "step-download"), Some(2));
    assert_eq!(step(&chrome, "step-download"), Some(3));
    assert_eq!(step(&edge, "step-keep"), None);
    assert_eq!(step(&chrome, "step-keep"), Some(2));
    let all_text = |entries: &[(u64, String, String, String)]| {
        entries.iter().map(|e| format!("{} {}", e.2, e.3)).collect::<String>()
    };
    assert!(!all_text(&edge).contains("左下にファイル名"));
    assert!(all_text(&chrome).contains("左下にファイル名"));
    // The reference reads as each manual numbers it.
    let check =
        |entries: &[(u64, String, String, String)]| entries.iter().find(|e| e.1 == "step-check").unwrap().3.clone();
    assert!(check(&edge).contains("手順 2"), "{}", check(&edge));
    assert!(check(&chrome).contains("手順 3"), "{}", check(&chrome));
}

#[test]
fn in_chromium_the_switch_lands_on_the_same_step_or_the_nearest_earlier_one_and_search_stays_inside() {
    let site = fixture();
    site.build();
    node(&["tests/e2e/variants.e2e.js"], &[("TEJUN_PUBLIC", &site.public())]);
}

#[test]
fn pdfs_are_made_per_manual_with_their_numbers_and_name_the_browser() {
    let site = fixture();
    site.write("tejun.toml", &CONFIG.replace("enabled = false", "enabled = true\ndate = 2025-04-01"));
    site.build();
    let text = |path: &str| {
        let output = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(site.public().join(path))
            .arg("-")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run pdftotext ({e}): install poppler-utils (apt-get install poppler-utils)")
            });
        assert!(output.status.success(), "{path}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect::<String>()
    };
    let edge = text("ja/download.pdf");
    let chrome = text("chrome/ja/download.pdf");
    assert!(edge.contains("MicrosoftEdge") && !edge.contains("GoogleChrome—"), "the title page names the browser");
    assert!(chrome.starts_with("証明書マニュアル—GoogleChrome"), "{chrome}");
    // Every sheet after the title page names it in its header too.
    let second_sheet = |path: &str| {
        let output = Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-f", "2", "-l", "2"])
            .arg(site.public().join(path))
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect::<String>()
    };
    assert!(
        second_sheet("chrome/ja/download.pdf").starts_with("証明書マニュアル—GoogleChrome"),
        "{}",
        second_sheet("chrome/ja/download.pdf")
    );
    assert!(second_sheet("ja/download.pdf").starts_with("証明書マニュアル—MicrosoftEdge"));
    assert!(!edge.contains("保存を選びます"));
    assert!(chrome.contains("保存を選びます"));
    // References carry each manual's number and the page of print it is on.
    let reference = regex::Regex::new(r"手順(\d)（(\d)ページ）からやり直します").unwrap();
    assert_eq!(&reference.captures(&edge).expect("a reference with its page")[1], "2");
    assert_eq!(&reference.captures(&chrome).expect("a reference with its page")[1], "3");
    let manual = text("chrome/en/manual.pdf");
    assert!(manual.contains("GoogleChrome"));
    assert!(manual.contains("ChooseKeep"));
    assert!(!text("en/manual.pdf").contains("ChooseKeep"));
}

#[test]
fn check_resolves_every_manual_and_names_the_one_a_reference_breaks_in() {
    let site = fixture();
    // A reference outside any container to the Chrome-only step.
    site.write(
        "content/install.en.md",
        &INSTALL_EN.replace("Download it first", "Keep it ([](step:download/keep)); download it first"),
    );
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error[reference-to-dropped-content]"), "{err}");
    assert!(err.contains("Microsoft Edge (browser=edge)"), "names the manual: {err}");
    assert!(err.contains("content/install.en.md:10:"), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "reported once, not once per manual: {err}");

    // A lint finds a hand-typed number once, not once per manual.
    let site = fixture();
    site.write(
        "content/download.ja.md",
        &DOWNLOAD_JA.replace("うまくいかない場合は", "うまくいかない場合は「手順 2」の操作から、または"),
    );
    let output = site.run(&["check"]);
    let err = stderr(&output);
    assert_eq!(err.matches("warning[hand-typed-step-number]").count(), 1, "{err}");
}

#[test]
fn unknown_dimensions_and_values_are_errors_at_their_place_with_a_suggestion() {
    let site = fixture();
    site.write(
        "content/download.ja.md",
        &DOWNLOAD_JA
            .replace("only = { browser = \"chrome\" }", "only = { browser = \"chrom\" }")
            .replace("::: browser=edge\n\nMicrosoft", "::: brwoser=edge\n\nMicrosoft")
            .replace("{browser=chrome}", "{browser=firefox}"),
    );
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: Vec<serde_json::Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let found: Vec<(String, u64, u64, String)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "unknown-variant")
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 3, "{diagnostics:#?}");
    assert_eq!(found[0].0, "there is no variant dimension `brwoser`");
    assert_eq!((found[0].1, found[0].2), (7, 5));
    assert!(found[0].3.starts_with("did you mean `browser`?"));
    assert_eq!(found[1].0, "`chrom` is not a value of `browser`");
    assert_eq!((found[1].1, found[1].2), (33, 20));
    assert!(found[1].3.starts_with("did you mean `chrome`?"), "{}", found[1].3);
    assert_eq!(found[2].0, "`firefox` is not a value of `browser`");
    assert!(found[2].3.contains("edge, chrome"));
}

#[test]
fn misplaced_and_unclosed_containers_are_errors() {
    let page = "+++\ntitle = \"P\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\n+++\n\n::: browser=chrome\n\nChrome.\n\n+++\nid = \"b\"\ntitle = \"B\"\n+++\n\n- item\n\n  ::: browser=edge\n\n:::\n\n### Sub {browser=chrome}\n\n::: chrome\n\nOnly a value.\n\n:::\n";
    let site = Site::new(&[("tejun.toml", CONFIG), ("content/p.ja.md", page)]);
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    for (code, at) in [
        ("unclosed-container", "content/p.ja.md:10:1"),
        ("misplaced-variant-mark", "content/p.ja.md:21:3"),
        ("unmatched-container-end", "content/p.ja.md:23:1"),
        ("misplaced-variant-mark", "content/p.ja.md:25:1"),
        ("invalid-variant-mark", "content/p.ja.md:27:5"),
    ] {
        let found = err.split("\n\n").any(|d| d.contains(&format!("error[{code}]")) && d.contains(at));
        assert!(found, "{code} at {at}:\n{err}");
    }
    assert!(err.contains("`::: browser=chrome`"), "the hint shows a mark: {err}");
    assert!(err.contains("write `::: browser=chrome` (a Pandoc div"), "the value's mark, for `::: chrome`: {err}");
}

#[test]
fn a_value_in_two_neighbouring_alternatives_is_a_warning() {
    let site = fixture();
    // The Edge container was copied for Chrome and its mark not changed.
    site.write(
        "content/download.ja.md",
        &DOWNLOAD_JA.replacen(
            "::: browser=chrome

Google Chrome では",
            "::: browser=edge

Google Chrome では",
            1,
        ),
    );
    let output = site.run(&["check"]);
    let err = stderr(&output);
    assert_eq!(err.matches("warning[overlapping-alternatives]").count(), 1, "{err}");
    assert!(err.contains("content/download.ja.md:13:13"), "{err}");
    assert_eq!(stderr(&fixture().run(&["check"])).matches("overlapping-alternatives").count(), 0);
}

#[test]
fn variant_tables_in_tejun_toml_are_checked() {
    let bad = "languages = [\"ja\", \"en\"]\n[variants.browser]\nvalues = [\"edge\", \"chrome\", \"edge\"]\nja = [\"Edge\"]\nfr = [\"Edge\", \"Chrome\"]\n[variants.role]\nvalues = [\"chrome\"]\n";
    let site = Site::new(&[("tejun.toml", bad), ("content/p.ja.md", "+++\ntitle = \"P\"\n+++\n")]);
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("`edge` is listed twice in [variants.browser]"), "{err}");
    assert!(err.contains("`ja` in [variants.browser] must list one label per value (3)"), "{err}");
    assert!(err.contains("unknown key `fr` in [variants.browser]"), "{err}");
    assert!(err.contains("`chrome` is a value of both [variants.browser] and [variants.role]"), "{err}");
    // Content marked for a dimension the site never declared.
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        (
            "content/p.ja.md",
            "+++\ntitle = \"P\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\nonly = { browser = \"chrome\" }\n+++\n",
        ),
    ]);
    let err = stderr(&site.run(&["check"]));
    assert!(err.contains("there is no variant dimension `browser`"), "{err}");
    assert!(err.contains("[variants.browser]"), "the hint shows how to declare it: {err}");
}

#[test]
fn two_dimensions_make_every_combination_and_each_switch_keeps_the_other_value() {
    let site = fixture();
    site.write(
        "tejun.toml",
        &format!("{CONFIG}\n[variants.role]\nvalues = [\"user\", \"admin\"]\nja = [\"利用者\", \"管理者\"]\nen = [\"User\", \"Administrator\"]\n"),
    );
    site.write(
        "content/install.ja.md",
        &format!("{INSTALL_JA}\n+++\nid = \"approve\"\ntitle = \"承認します\"\nonly = {{ role = \"admin\" }}\n+++\n"),
    );
    site.build();
    for folder in ["", "admin/", "chrome/", "chrome_admin/"] {
        assert!(site.public().join(format!("{folder}ja/install.html")).is_file(), "{folder}");
    }
    let page = site.html("chrome_admin/ja/install.html");
    assert_eq!(step_ids(&page), ["step-install", "step-approve"]);
    assert_eq!(step_ids(&site.html("chrome/ja/install.html")), ["step-install"]);
    let switches: Vec<Vec<String>> = select(&page, ".variantswitch")
        .iter()
        .map(|nav| {
            nav.select(&scraper::Selector::parse("a").unwrap())
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(switches, [vec!["../../admin/ja/install.html"], vec!["../../chrome/ja/install.html"]]);
    assert!(assert_links_resolve(&site.public()) > 0);
}

/// Shared steps written once in a partial, a Chrome-only step among them: each page
/// that includes them numbers them with its own, in each manual, and references to
/// them follow.
#[test]
fn shared_steps_in_a_partial_are_numbered_in_each_page_and_manual_that_includes_them() {
    let login = "+++\nid = \"login\"\ntitle = \"ログインします\"\n+++\n\n「ログイン」をクリックします。\n\n::: browser=chrome\n\nChrome では右上のアイコンを確かめます。\n\n:::\n\n+++\nid = \"allow-popups\"\ntitle = \"ポップアップを許可します\"\nonly = { browser = \"chrome\" }\n+++\n\n+++\nid = \"open-menu\"\ntitle = \"メニューを開きます\"\n+++\n";
    let first = "+++\ntitle = \"証明書を申請する\"\nweight = 1\n+++\n\n{{#include common/_login.ja.md}}\n\n+++\nid = \"apply\"\ntitle = \"申請します\"\n+++\n\nメニューは[](step:open-menu)で開きました。\n";
    let second = "+++\ntitle = \"証明書を失効させる\"\nweight = 2\n+++\n\n+++\nid = \"prepare\"\ntitle = \"番号を控えます\"\n+++\n\n{{#include common/_login.ja.md}}\n\n+++\nid = \"revoke\"\ntitle = \"失効させます\"\n+++\n\n[](step:apply/login)からやり直します。\n";
    let site = Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/common/_login.ja.md", login),
        ("content/apply.ja.md", first),
        ("content/revoke.ja.md", second),
    ]);
    let output = site.run(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let labels = |path: &str| {
        let html = site.html(path);
        step_ids(&html)
            .into_iter()
            .zip(step_labels(&html))
            .map(|(id, label)| format!("{id} {label}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(labels("ja/apply.html"), ["step-login 手順 1", "step-open-menu 手順 2", "step-apply 手順 3"]);
    assert_eq!(
        labels("chrome/ja/apply.html"),
        ["step-login 手順 1", "step-allow-popups 手順 2", "step-open-menu 手順 3", "step-apply 手順 4"]
    );
    assert_eq!(
        labels("ja/revoke.html"),
        ["step-prepare 手順 1", "step-login 手順 2", "step-open-menu 手順 3", "step-revoke 手順 4"]
    );
    let login_body = |path: &str| texts(&site.html(path), "#step-login .step-body p").join(" ");
    assert!(login_body("chrome/ja/revoke.html").contains("右上のアイコン"));
    assert!(!login_body("ja/revoke.html").contains("右上のアイコン"));
    assert_eq!(texts(&site.html("ja/apply.html"), "#step-apply a.xref"), ["手順 2"]);
    assert_eq!(texts(&site.html("chrome/ja/apply.html"), "#step-apply a.xref"), ["手順 3"]);
    assert_eq!(texts(&site.html("ja/revoke.html"), "#step-revoke a.xref"), ["「証明書を申請する」の手順 1"]);
    // The partial is no page, in either manual.
    assert!(!site.public().join("ja/common/_login.html").exists());
    assert!(!site.public().join("chrome/ja/common/_login.html").exists());
    assert_links_resolve(&site.public());
}

/// An administrator's page, `only = { role = "admin" }` in its front matter: in the
/// administrators' manuals only — their contents, search and PDFs — and the switch on
/// it leads the other manuals' readers to their home page. A reference to it from a
/// page every manual has is an error naming the manual that leaves it out, and a
/// value that is no value of the dimension is one at its place.
#[test]
fn a_page_only_some_manuals_have_is_left_out_of_the_others() {
    let site = fixture();
    let role = "\n[variants.role]\nvalues = [\"user\", \"admin\"]\nja = [\"利用者\", \"管理者\"]\nen = [\"User\", \"Administrator\"]\n";
    site.write("tejun.toml", &format!("{CONFIG}{role}"));
    let admin = |lang: &str, title: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nonly = {{ role = \"admin\" }}\n+++\n\n## {title}\n\n+++\nid = \"approve\"\ntitle = \"{title}\"\n+++\n\n{lang}\n"
        )
    };
    site.write("content/approve.ja.md", &admin("承認します。", "申請を承認する"));
    site.write("content/approve.en.md", &admin("Approve it.", "Approve a request"));
    site.build();
    let public = site.public();
    for folder in ["admin/", "chrome_admin/"] {
        assert!(public.join(format!("{folder}ja/approve.html")).is_file(), "{folder}");
    }
    for folder in ["", "chrome/"] {
        assert!(!public.join(format!("{folder}ja/approve.html")).exists(), "{folder}");
    }
    let toc = |path: &str| attr(&site.html(path), ".toc a", "href");
    assert!(toc("admin/ja/download.html").contains(&"approve.html".to_string()));
    assert!(!toc("ja/download.html").iter().any(|href| href.contains("approve")), "{:?}", toc("ja/download.html"));
    let titles = |path: &str| -> Vec<String> { index_entries(&public.join(path)).into_iter().map(|e| e.2).collect() };
    assert!(titles("admin/searchindex.ja.js").contains(&"申請を承認する".to_string()));
    assert!(!titles("searchindex.ja.js").contains(&"申請を承認する".to_string()));
    let page = site.html("admin/ja/approve.html");
    let role_switch = &select(&page, ".variantswitch")[1];
    let hrefs: Vec<&str> =
        role_switch.select(&scraper::Selector::parse("a").unwrap()).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs, ["../../ja/index.html"], "the user manual's home");
    assert!(assert_links_resolve(&public) > 0);

    site.write(
        "content/install.ja.md",
        &INSTALL_JA.replace("ダウンロードは", "[](step:approve/approve)の後、ダウンロードは"),
    );
    let output = site.run(&["check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("error[reference-to-dropped-content]"), "{err}");
    assert!(err.contains("利用者 (browser=edge role=user)"), "names the manual: {err}");
    assert!(
        err.contains("inside a container for the manuals that have its target (`::: role=admin` … `:::`)"),
        "{err}"
    );

    site.write("content/install.ja.md", INSTALL_JA);
    site.write(
        "content/approve.en.md",
        &admin("Approve it.", "Approve a request").replace("only = { role = \"admin\" }\n", ""),
    );
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains(
            "warning[translation-in-other-manuals]: this page is for every manual, its ja version for role=admin"
        ),
        "{err}"
    );

    site.write("content/approve.ja.md", &admin("承認します。", "申請を承認する").replace("\"admin\" }", "\"admn\" }"));
    let output = site.run(&["check"]);
    let err = stderr(&output);
    assert!(err.contains("`admn` is not a value of `role`"), "{err}");
    assert!(err.contains("content/approve.ja.md:3:"), "at its place: {err}");
}
