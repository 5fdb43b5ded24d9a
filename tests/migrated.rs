//! Pages as writers bring them from another documentation project: headings linked
//! GitHub-style, `.md` links with fragments, raw HTML with ARIA attributes, code
//! fences left open, chapter folders without an `_index` file. The fixture is shaped
//! like a task page of a large public project's docs, converted by hand.

mod common;

use common::{CONFIG, Site, assert_links_resolve, attr, node, pdf_images, pdf_text, plain_png, poppler, select, texts};

const DEBUG_PODS_EN: &str = r#"+++
title = "Debug Pods"
weight = 10
+++

This page shows how to debug Pods stuck in `Pending`. Start with [Debugging Pods](#debugging-pods)
or [install kubectl first](../install-kubectl.md#install-kubectl-binary-with-curl-on-linux).

## Before you begin

<div role="note" aria-label="Prerequisites" aria-describedby="cluster">You need a cluster.</div>

## Debugging Pods

+++
id = "describe"
title = "Describe the Pod"
+++

```shell
kubectl describe pods ${POD_NAME}
```

During the first step 8 replicas will be reduced to 0.

### Examining pod logs

<a id="legacy-anchor"></a>

+++
id = "copy"
title = "Copy the certificate to your folder."
+++

## Debugging Pods

See [the logs](#examining-pod-logs), [the old anchor](#legacy-anchor), [a typo](#debuging-pods) and
[another page](../install-kubectl.md#no-such-heading).

```yaml
apiVersion: v1
kind: Pod
"#;

const DEBUG_PODS_JA: &str = r#"+++
title = "Pod のデバッグ"
weight = 10
+++

[Pod のデバッグ](#pod-のデバッグ) を参照してください。これは**「重要」**です。**テスト。**テスト、
オプション**--cloud-provider**フラグ。

## Pod のデバッグ

+++
id = "describe"
title = "Pod の詳細を表示します"
+++

```shell
kubectl describe pods ${POD_NAME}
```

+++
id = "copy"
title = "証明書をフォルダーにコピーします。"
+++
"#;

const INSTALL_EN: &str = r#"+++
title = "Install kubectl"
weight = 1
+++

## Install kubectl binary with curl on Linux

+++
id = "download"
title = "Download the binary"
+++

Back to [debugging](02-debug_tools/debug-pods.md).
"#;

fn site() -> Site {
    Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/tasks/_index.ja.md", "+++\ntitle = \"タスク\"\n+++\n"),
        ("content/tasks/_index.en.md", "+++\ntitle = \"Tasks\"\n+++\n"),
        ("content/tasks/install-kubectl.en.md", INSTALL_EN),
        ("content/tasks/install-kubectl.ja.md", &INSTALL_EN.replace("Install kubectl\"", "kubectl のインストール\"")),
        ("content/tasks/02-debug_tools/debug-pods.en.md", DEBUG_PODS_EN),
        ("content/tasks/02-debug_tools/debug-pods.ja.md", DEBUG_PODS_JA),
    ])
}

/// A site in `lang` without PDFs: a home page titled `home`, and `files`.
fn html_site(lang: &str, home: &str, files: &[(&str, &str)]) -> Site {
    let config = format!("languages = [\"{lang}\"]\n[pdf]\nenabled = false\n");
    let home = format!("+++\ntitle = \"{home}\"\n+++\n");
    let mut all = vec![("tejun.toml", config.as_str()), ("content/_index.md", home.as_str())];
    all.extend_from_slice(files);
    Site::new(&all)
}

/// Each alert of a page's main part: its classes and its text.
fn alerts(html: &scraper::Html) -> Vec<(String, String)> {
    select(html, "main .alert")
        .iter()
        .map(|alert| (alert.value().attr("class").unwrap_or_default().to_string(), common::text(alert)))
        .collect()
}

/// Builds `site`, which must succeed; what the build printed.
fn built(site: &Site) -> std::process::Output {
    let output = site.run(&["build"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// `file:line:col` of the first occurrence of `needle` in `text`.
fn position(file: &str, text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} is not in {file}"));
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{file}:{line}:{column}")
}

#[test]
fn headings_get_github_ids_and_md_links_become_html_links() {
    let site = site();
    site.build();
    let html = site.html("en/tasks/02-debug_tools/debug-pods.html");
    assert_eq!(
        attr(&html, "section.section", "id"),
        ["before-you-begin", "debugging-pods", "debugging-pods-1"],
        "GitHub's ids, -1 for the repeat"
    );
    assert_eq!(attr(&html, "h3", "id"), ["examining-pod-logs"]);
    let hrefs = attr(&html, "a", "href");
    for expected in [
        "#debugging-pods",
        "../install-kubectl.html#install-kubectl-binary-with-curl-on-linux",
        "#examining-pod-logs",
        "#legacy-anchor",
    ] {
        assert!(hrefs.iter().any(|h| h == expected), "{expected} in {hrefs:?}");
    }
    let ja = site.html("ja/tasks/02-debug_tools/debug-pods.html");
    assert_eq!(attr(&ja, "section.section", "id"), ["pod-のデバッグ"], "Japanese is kept");
    // Emphasis next to Japanese punctuation, as the CJK-friendly amendment reads it.
    let strong = texts(&ja, ".page-intro strong, .content > p strong, p strong");
    for bold in ["「重要」", "テスト。", "--cloud-provider"] {
        assert!(strong.iter().any(|s| s == bold), "{bold} in {strong:?}");
    }
    let install = site.html("en/tasks/install-kubectl.html");
    assert!(attr(&install, "a", "href").contains(&"02-debug_tools/debug-pods.html".to_string()));

    // Raw HTML keeps its accessibility attributes.
    let note = select(&html, "div[role=note]");
    assert_eq!(note.len(), 1);
    assert_eq!(note[0].value().attr("aria-label"), Some("Prerequisites"));
    assert_eq!(note[0].value().attr("aria-describedby"), Some("cluster"));

    // A chapter folder without _index has a readable title meanwhile.
    let toc = texts(&html, ".toc a, .toc span");
    assert!(toc.iter().any(|t| t == "Debug tools"), "{toc:?}");
    assert!(!toc.iter().any(|t| t.contains("02-debug_tools")), "{toc:?}");
    // Fragments that name nothing still make links; every other link resolves.
    assert_links_resolve_except(&site, &["#debuging-pods", "../install-kubectl.html#no-such-heading"]);
}

fn assert_links_resolve_except(site: &Site, broken: &[&str]) {
    let html = site.html("en/tasks/02-debug_tools/debug-pods.html");
    let hrefs = attr(&html, "a", "href");
    for link in broken {
        assert!(hrefs.iter().any(|h| h == link), "{link} in {hrefs:?}");
    }
    // Rebuild without the broken links to check everything else resolves.
    let fixed = DEBUG_PODS_EN.replace("#debuging-pods", "#debugging-pods").replace("#no-such-heading", "");
    site.write("content/tasks/02-debug_tools/debug-pods.en.md", &fixed);
    site.build();
    assert!(assert_links_resolve(&site.public()) > 20);
    site.write("content/tasks/02-debug_tools/debug-pods.en.md", DEBUG_PODS_EN);
}

#[test]
fn check_reports_what_a_reader_would_find_broken_and_nothing_else() {
    let site = site();
    let output = site.run(&["check", "--format", "json"]);
    let found: Vec<serde_json::Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let at = |d: &serde_json::Value| format!("{}:{}:{}", d["file"].as_str().unwrap_or(""), d["line"], d["column"]);
    let summary: Vec<(String, String)> =
        found.iter().map(|d| (d["code"].as_str().unwrap().to_string(), at(d))).collect();
    let en = "content/tasks/02-debug_tools/debug-pods.en.md";
    let mut expected = vec![
        ("broken-fragment".to_string(), position(en, DEBUG_PODS_EN, "[a typo](#debuging-pods)")),
        ("broken-fragment".to_string(), position(en, DEBUG_PODS_EN, "[another page](../install-kubectl.md#no")),
        ("unclosed-code-fence".to_string(), position(en, DEBUG_PODS_EN, "```yaml")),
    ];
    for lang in ["en", "ja"] {
        expected.push((
            "missing-chapter-index".to_string(),
            format!("content/tasks/02-debug_tools/debug-pods.{lang}.md:null:null"),
        ));
    }
    let mut summary_sorted = summary.clone();
    summary_sorted.sort();
    expected.sort();
    assert_eq!(summary_sorted, expected, "{found:#?}");
    let typo = found.iter().find(|d| d["message"].as_str().unwrap().contains("#debuging-pods")).unwrap();
    assert_eq!(typo["hint"], "did you mean `#debugging-pods`?");
    let chapter = found.iter().find(|d| d["code"] == "missing-chapter-index").unwrap();
    assert!(chapter["hint"].as_str().unwrap().contains("\"Debug tools\""), "{chapter}");
}

#[test]
fn one_bad_file_does_not_hide_the_problems_of_the_others() {
    let site = site();
    // A page saved in Shift_JIS by accident: 「手順」 is 0x8E 0xE8 0x8F 0x87.
    let mut shift_jis = b"+++\ntitle = \"".to_vec();
    shift_jis.extend_from_slice(&[0x8E, 0xE8, 0x8F, 0x87]);
    shift_jis.extend_from_slice(b"\"\n+++\n");
    std::fs::write(site.root().join("content/tasks/legacy.ja.md"), shift_jis).unwrap();
    // Elsewhere: a reference to nothing, and a step number typed by hand.
    let install =
        INSTALL_EN.replace("Back to [debugging]", "Redo step 19, then see [](step:downlaod). Back to [debugging]");
    site.write("content/tasks/install-kubectl.en.md", &install);
    let output = site.run(&["check", "--format", "json"]);
    assert!(!output.status.success());
    let codes: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["code"].as_str().unwrap().to_string())
        .collect();
    for code in ["not-utf8", "unknown-reference", "hand-typed-step-number", "broken-fragment", "unclosed-code-fence"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    // build reports the same and writes nothing.
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("hand-typed-step-number") && stderr.contains("Shift_JIS"), "{stderr}");
    assert!(!site.public().exists());
}

#[test]
fn step_titles_and_results_are_inline_markdown_everywhere() {
    let site = site();
    let page = INSTALL_EN.replace(
        "title = \"Download the binary\"",
        "title = \"Run `kubectl apply` on **all** nodes, as in [](step:fetch)\"\nresult = \"`kubectl version` prints *both* versions.\"",
    )
    .replace("Back to [debugging]", "+++\nid = \"fetch\"\ntitle = \"Fetch `kubectl`\"\n+++\n\nBack to [debugging]");
    site.write("content/tasks/install-kubectl.en.md", &page);
    site.build();
    let html = site.html("en/tasks/install-kubectl.html");
    let title = &select(&html, "#step-download .step-title")[0];
    assert_eq!(
        title.inner_html(),
        "Run <code>kubectl apply</code> on <strong>all</strong> nodes, as in \
         <a class=\"xref xref-step\" href=\"#step-fetch\" title=\"Fetch kubectl\"><span class=\"xref-number\">step 2</span></a>"
    );
    let result = &select(&html, "#step-download .step-result")[0];
    assert!(
        result.inner_html().contains("<code>kubectl version</code> prints <em>both</em> versions."),
        "{}",
        result.inner_html()
    );
    assert_eq!(texts(&html, "#step-fetch .step-title"), ["Fetch kubectl"]);

    // The PDF sets the same title, code and all, without the markup.
    let pdf = pdf_text(&site.public().join("en/tasks/install-kubectl.pdf"));
    let text: String = pdf.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("Runkubectlapplyonallnodes,asinstep2(page"), "{text}");
    assert!(text.contains("kubectlversionprintsbothversions."), "{text}");
    assert!(!text.contains('`') && !text.contains("**"), "{text}");

    // Search shows the title as text, the reference as its words.
    let index: String = std::fs::read_dir(site.public())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap().to_str().unwrap().starts_with("searchindex.en."))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    assert!(
        index.contains("run kubectl apply on all nodes, as in step 2")
            || index.contains("Run kubectl apply on all nodes, as in step 2"),
        "search title"
    );
    assert!(!index.contains("`kubectl"), "no backticks in the search index");

    // A reference to nothing in a title is an error at its place.
    site.write("content/tasks/install-kubectl.en.md", &page.replace("[](step:fetch)", "[](page:nowhere)"));
    let output = site.run(&["check"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let written = page.replace("[](step:fetch)", "[](page:nowhere)");
    let at = written.find("[](page:nowhere)").unwrap();
    let line = written[..at].matches('\n').count() + 1;
    let column = written[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    assert!(stderr.contains(&format!("content/tasks/install-kubectl.en.md:{line}:{column}")), "{stderr}");
    assert!(stderr.contains("no en page `nowhere`"), "{stderr}");
}

#[test]
fn build_prints_the_warnings_check_would_and_a_summary_like_cargo() {
    let site = site();
    let output = site.run(&["build"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for code in ["broken-fragment", "unclosed-code-fence", "missing-chapter-index"] {
        assert!(stderr.contains(&format!("warning[{code}]")), "{code}: {stderr}");
    }
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("    Finished 8 pages (ja 4, en 4), 6 PDFs in "), "{last}");
    // How many of each kind, the most first: what a writer with hundreds works through.
    let kinds = "5 warnings (2 broken-fragment, 2 missing-chapter-index, 1 unclosed-code-fence)";
    assert!(last.ends_with(&format!("s into {}, {kinds}", site.public().display())), "{last}");
    assert!(output.stdout.is_empty(), "stdout stays free for scripts");
    let check = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(stderr.lines().last().unwrap(), format!("     Checked 8 pages (ja 4, en 4), {kinds}"));
    let denied = site.run(&["check", "--deny", "warnings"]);
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert_eq!(
        stderr.lines().last().unwrap(),
        "error: 5 problems found (2 broken-fragment, 2 missing-chapter-index, 1 unclosed-code-fence)"
    );

    let quiet = site.run(&["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(stderr.contains("warning[broken-fragment]") && !stderr.contains("Finished"), "{stderr}");
}

#[test]
fn a_long_build_shows_its_progress_on_a_terminal() {
    // Enough procedures that the PDFs take more than the second before progress shows.
    let mut files = vec![
        ("tejun.toml".to_string(), "languages = [\"en\"]\n".to_string()),
        ("content/_index.en.md".to_string(), "+++\ntitle = \"Home\"\n+++\n".to_string()),
    ];
    for n in 0..300 {
        let mut page = format!("+++\ntitle = \"Procedure {n}\"\n+++\n\n");
        for s in 0..12 {
            page.push_str(&format!(
                "+++\nid = \"s{s}\"\ntitle = \"Do thing {s}\"\n+++\n\nRun `tool --flag {s}` and check the output.\n\n"
            ));
        }
        files.push((format!("content/p{n}.en.md"), page));
    }
    let site = Site::new(&files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect::<Vec<_>>());
    let command = format!("{} build --root {}", env!("CARGO_BIN_EXE_tejun"), site.root().display());
    // script(1) (util-linux, in every Debian) gives the build a terminal.
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("script runs (apt-get install bsdutils)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(screen.contains("Building [") && screen.contains("PDFs: "), "{screen}");
    assert!(screen.contains("Finished 301 pages (en 301), 301 PDFs"), "{screen}");
}

/// A troubleshooting page as GitHub and Docusaurus pages write them: Markdown inside
/// `<details>` and `<div>`, with a blank line between the tags and the Markdown.
const TROUBLESHOOTING_JA: &str = r#"+++
title = "トラブルシューティング"
+++

よくある問題と対処です。

<details>
<summary>ログインできない場合</summary>

1. パスワードを確認します。
2. 次のコマンドでロックを解除します。

   ```shell
   sudo faillock --user taro --reset
   ```

それでも解決しない場合は管理者に連絡してください。

</details>

<div class="note" onclick="steal()">

**注意**: 解除は一日に三回までです。<script>alert(1)</script>

</div>

<details><summary>証明書の有効期限</summary>

有効期限は **1 年** です。
"#;

#[test]
fn markdown_inside_raw_html_stays_inside_it_and_is_cleaned() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n[pdf]\nenabled = false\n"),
        ("content/troubleshooting.md", TROUBLESHOOTING_JA),
    ]);
    site.build();
    let html = site.html("ja/troubleshooting.html");
    let details = select(&html, "main details");
    assert_eq!(details.len(), 2, "{}", html.html());
    assert_eq!(texts(&html, "main details > summary"), ["ログインできない場合", "証明書の有効期限"]);
    assert_eq!(
        texts(&html, "main details:first-of-type > ol > li"),
        ["パスワードを確認します。", "次のコマンドでロックを解除します。 sudo faillock --user taro --reset"]
    );
    assert_eq!(select(&html, "main details:first-of-type > ol pre.code code").len(), 1, "highlighted code inside");
    assert_eq!(texts(&html, "main details:first-of-type > p"), ["それでも解決しない場合は管理者に連絡してください。"]);
    // What follows the closing tag is outside; an element left open holds the rest.
    assert_eq!(texts(&html, "main div.note > p > strong"), ["注意"]);
    assert!(select(&html, "main details div.note").is_empty(), "the note is after the first details");
    assert_eq!(texts(&html, "main details:last-of-type > p > strong"), ["1 年"]);
    assert!(select(&html, "main script, main [onclick]").is_empty(), "cleaned as any raw HTML");
}

/// Footnotes as GitHub writes them: referred to twice, from a step and from the
/// introduction, one with two paragraphs and a step reference, one never referred
/// to, and a reference to a label nothing defines.
const RENEWAL_EN: &str = r#"+++
title = "Renew the certificate"
+++

Certificates expire after a year[^expiry].

+++
id = "open"
title = "Open the certificate screen"
+++

Open **Certificates**[^admin]. Older versions[^OLD] show it under **Settings**.

+++
id = "renew"
title = "Renew"
+++

Click **Renew**[^admin]. An undefined note[^nothing] stays as written.

[^expiry]: 365 days from the day it was issued.
[^admin]: You need administrator rights.

    Ask your administrator, then go back to [](step:open).
[^old]: Version 2 and before.
[^unused]: Nothing refers to this one.
"#;

#[test]
fn footnotes_are_numbered_per_page_and_link_both_ways() {
    let site = html_site("en", "Certificates", &[("content/renewal.md", RENEWAL_EN)]);
    site.build();
    let html = site.html("en/renewal.html");
    // References: numbered in the order first referred to; labels ignore case.
    assert_eq!(texts(&html, "main sup.footnote-ref a"), ["1", "2", "3", "2"]);
    assert_eq!(attr(&html, "main sup.footnote-ref a", "href"), ["#fn-1", "#fn-2", "#fn-3", "#fn-2"]);
    assert_eq!(attr(&html, "main sup.footnote-ref a", "id"), ["fnref-1", "fnref-2", "fnref-3"], "one id each");
    assert_eq!(
        texts(&html, "#step-renew .step-body p"),
        ["Click Renew2. An undefined note[^nothing] stays as written."]
    );
    // The list: every definition, the unreferred one last and without a way back.
    assert_eq!(attr(&html, "section.footnotes li", "id"), ["fn-1", "fn-2", "fn-3", "fn-4"]);
    assert_eq!(texts(&html, "section.footnotes li:last-child"), ["Nothing refers to this one."]);
    assert_eq!(attr(&html, "section.footnotes a.footnote-back", "href"), ["#fnref-1", "#fnref-2", "#fnref-3"]);
    assert_eq!(
        texts(&html, "#fn-2 > p"),
        ["You need administrator rights.", "Ask your administrator, then go back to step 1. ↩"]
    );
    assert_eq!(attr(&html, "#fn-2 a.xref", "href"), ["#step-open"], "references in footnotes resolve");
    assert_eq!(texts(&html, "section.footnotes h2"), ["Footnotes"]);
    assert_links_resolve(&site.public());
}

#[test]
fn pages_brought_without_a_home_page_get_one_and_check_says_to_write_it() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\", \"en\"]\n[pdf]\nenabled = false\n"),
        ("content/setup/install.ja.md", "+++\ntitle = \"インストール\"\n+++\n\n手順です。\n"),
        ("content/setup/install.en.md", "+++\ntitle = \"Install\"\n+++\n\nSteps.\n"),
    ]);
    site.build();
    let ja = site.html("ja/index.html");
    assert_eq!(texts(&ja, "main h1"), ["ホーム"], "no title in tejun.toml");
    assert_eq!(attr(&ja, ".home-contents a", "href"), ["setup/install.html"]);
    let en = site.html("en/index.html");
    assert_eq!(texts(&en, "main h1"), ["Home"]);
    site.write(
        "tejun.toml",
        "languages = [\"ja\", \"en\"]\n[title]\nja = \"証明書マニュアル\"\nen = \"Certificates\"\n",
    );
    site.build();
    assert_eq!(texts(&site.html("ja/index.html"), "main h1"), ["証明書マニュアル"], "the manual's title");
    assert_links_resolve(&site.public());

    let output = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning[missing-home]").count(), 2, "{stderr}");
    assert!(stderr.contains("content/_index.en.md does not exist"), "{stderr}");
    assert!(!stderr.contains("missing-translation"), "{stderr}");

    site.write("content/_index.en.md", "+++\ntitle = \"Certificate manual\"\n+++\n\nWelcome.\n");
    let output = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning[missing-home]").count(), 1, "only ja now: {stderr}");
    site.build();
    assert_eq!(texts(&site.html("en/index.html"), "main h1"), ["Certificate manual"]);
}

/// Pages as other tools keep them: YAML front matter with the tools' own keys,
/// or none, the title in the first heading.
const DOCUSAURUS_PAGE: &str = "---\nid: install\ntitle: \"Install: Linux\"\nsidebar_position: 2\ndescription: >\n  Installing on\n  Linux.\ntags:\n  - linux\nhide_table_of_contents: true\n---\n\n# Install: Linux\n\nRun the installer.\n\n## Check\n\nRun `tejun --version`.\n";
const MKDOCS_PAGE: &str = "# Getting started {#start}\n\nRead this first.\n\n## Next\n\nThen [install](install.md).\n";
const JEKYLL_PAGE: &str = "---\nlayout: default\ntitle: FAQ\nnav_order: 3\nparent: Guide\n---\n\nQuestions.\n";
const JEKYLL_DRAFT: &str = "---\ntitle: Upcoming\ndraft: true\n---\n\nNot yet.\n";

#[test]
fn yaml_front_matter_and_pages_without_any_build_as_they_are() {
    let site = html_site(
        "en",
        "Home",
        &[
            ("content/install.md", DOCUSAURUS_PAGE),
            ("content/start.md", MKDOCS_PAGE),
            ("content/faq.md", JEKYLL_PAGE),
            ("content/upcoming.md", JEKYLL_DRAFT),
            ("content/notes.md", "Some notes.\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning")).collect();
    assert_eq!(
        warnings,
        [
            "warning[missing-title]: the page has no title; it is titled `notes` after its file",
            "warning[draft-page]: this page is a draft (`draft: true`) and is left out of the build",
        ]
    );
    let install = site.html("en/install.html");
    assert_eq!(texts(&install, "main h1"), ["Install: Linux"]);
    assert_eq!(texts(&install, "main .lead"), ["Installing on Linux."]);
    assert_eq!(texts(&install, "main h2"), ["Check"], "the heading that repeats the title is the title");
    assert!(texts(&install, "main p").iter().all(|p| !p.contains("sidebar_position")), "no YAML shows");
    let start = site.html("en/start.html");
    assert_eq!(texts(&start, "main h1"), ["Getting started"]);
    assert_eq!(texts(&start, "main h2"), ["Next"]);
    assert_eq!(texts(&start, "main .intro p"), ["Read this first."]);
    assert_eq!(texts(&site.html("en/notes.html"), "main h1"), ["notes"]);
    assert!(!site.public().join("en/upcoming.html").exists());
    // Pages with an order (sidebar_position, nav_order) come first, in it.
    let contents = texts(&site.html("en/index.html"), ".home-contents a");
    assert_eq!(contents, ["Install: Linux", "FAQ", "notes", "Getting started"], "then the others by path");
    assert_links_resolve(&site.public());
}

#[test]
fn a_link_to_a_page_not_yet_translated_goes_to_the_written_one_with_a_warning() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\", \"en\"]\n[pdf]\nenabled = false\n"),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/guide/faq.ja.md", "+++\ntitle = \"よくある質問\"\n+++\n\n## ログイン {#login}\n\n本文。\n"),
        ("content/guide/setup.ja.md", "+++\ntitle = \"設定\"\n+++\n\n[よくある質問](faq.md#login)\n"),
        (
            "content/guide/setup.en.md",
            "+++\ntitle = \"Setup\"\n+++\n\nSee [the FAQ](faq.md#login) and [nothing](nowhere.md).\n",
        ),
    ]);
    let output = site.run(&["build"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning[untranslated-link]: `faq.md` has no en version; the link goes to the ja page"),
        "{stderr}"
    );
    assert!(stderr.contains("content/guide/setup.en.md:5:5"), "{stderr}");
    assert!(stderr.contains("`nowhere.md` is not a page of the manual"), "{stderr}");
    let en = site.html("en/guide/setup.html");
    assert_eq!(attr(&en, ".intro a", "href"), ["../../ja/guide/faq.html#login", "nowhere.md"]);
    assert_eq!(attr(&site.html("ja/guide/setup.html"), ".intro a", "href"), ["faq.html#login"]);
}

/// Links as VitePress, Docusaurus and MkDocs let writers write them: a page by its
/// address (no `.md`, from the folder or from the site's root), a folder for its
/// index page. Each goes to the page's file, so the manual works from `file://`;
/// an address no page has stays as written.
#[test]
fn links_to_a_page_by_its_address_go_to_its_file() {
    let setup = "+++\ntitle = \"設定\"\n+++\n\n\
        - [インストール](install)\n\
        - [準備](./install#インストールの前に)\n\
        - [ルートから](/guide/install)\n\
        - [ルートから HTML](/guide/install.html)\n\
        - [ガイド](/guide/)\n\
        - [ガイドへ戻る](../guide/)\n\
        - [ホーム](../)\n\
        - [ライセンス](LICENSE)\n\
        - [ログイン](/cgi-bin/login)\n\
        - <a href=\"install\">HTML で</a>\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/guide/_index.md", "+++\ntitle = \"ガイド\"\n+++\n"),
            (
                "content/guide/install.md",
                "+++\ntitle = \"インストール\"\n+++\n\n## インストールの前に\n\n準備します。\n",
            ),
            ("content/guide/setup.md", setup),
            ("content/guide/LICENSE", "MIT\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "every link is found: {stderr}");
    let html = site.html("ja/guide/setup.html");
    assert_eq!(
        attr(&html, "main .intro a", "href"),
        [
            "install.html",
            "install.html#インストールの前に",
            "install.html",
            "install.html",
            "index.html",
            "index.html",
            "../index.html",
            "../../assets/guide/LICENSE",
            "/cgi-bin/login",
            "install.html"
        ]
    );
    site.write("content/guide/setup.md", &setup.replace("](install)", "](instal)"));
    let output = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning[broken-link]: `instal` is no file of the site"), "{stderr}");
}

/// Old pages, Word's through Pandoc and Qiita's mark places with `<a name>`: links
/// to them land there, from the page and from another.
#[test]
fn anchors_named_in_raw_html_are_kept_for_the_links_to_them() {
    let old = "+++\ntitle = \"旧手順\"\n+++\n\n[導入へ](#install)\n\n<a name=\"install\"></a>\n\n## 導入\n\n本文。\n";
    let other = "+++\ntitle = \"案内\"\n+++\n\n[旧手順の導入](old.md#install)\n";
    let site = html_site("ja", "ホーム", &[("content/old.md", old), ("content/other.md", other)]);
    let output = built(&site);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = site.html("ja/old.html");
    assert_eq!(select(&html, "main a[name=\"install\"]").len(), 1, "{}", html.html());
    assert_eq!(attr(&site.html("ja/other.html"), "main .intro a", "href"), ["old.html#install"]);
    assert_links_resolve(&site.public());
}

#[test]
fn web_addresses_written_as_text_become_links() {
    let page = "+++\ntitle = \"サポート\"\n+++\n\n詳細は https://www.example-bank.co.jp/support/ をご覧ください。\
        窓口はhttps://example.com/branchesで検索できます。\n\n\
        Already a link: [https://example.com/a](https://example.com/a), in code: `https://example.com/b`, \
        and (see https://example.com/c).\n";
    let site = html_site("ja", "ホーム", &[("content/support.md", page)]);
    site.build();
    let html = site.html("ja/support.html");
    assert_eq!(
        attr(&html, ".intro a", "href"),
        [
            "https://www.example-bank.co.jp/support/",
            "https://example.com/branches",
            "https://example.com/a",
            "https://example.com/c"
        ]
    );
    assert_eq!(texts(&html, ".intro a")[1], "https://example.com/branches", "Japanese after it is not part of it");
    assert_eq!(texts(&html, ".intro code"), ["https://example.com/b"]);
    assert!(texts(&html, ".intro p")[0].ends_with("で検索できます。"));
}

/// Raw HTML sizing a screenshot and centring a link, as GitHub pages write it, and a
/// form to download: files are published under `assets/`, so each address must be
/// pointed there.
const FORMS_JA: &str = r#"+++
title = "申込書"
+++

<p align="center"><img src="images/form-screen.svg" alt="申込画面" width="320"></p>

<p><img class="confluence-embedded-image" data-image-src="attachments/1/form.png" src="images/form-screen.svg" alt="書き出し"></p>

[申込書（PDF）](files/application.pdf#page=2)をダウンロードし、記入したら[手順](procedure.md)に従って提出します。
<a href="procedure.md#submit">提出方法</a>と<a href='files/application.pdf'>申込書</a>。

<img src="images/old-screen.png" alt="古い画面"> [古い申込書](files/old.pdf)
"#;

#[test]
fn files_named_by_links_and_raw_html_are_found_where_they_are_published() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="#9cf"/></svg>"##;
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/guide/_index.md", "+++\ntitle = \"ガイド\"\n+++\n"),
            ("content/guide/forms.md", FORMS_JA),
            ("content/guide/procedure.md", "+++\ntitle = \"手続き\"\n+++\n\n## 提出 {#submit}\n\n窓口へ。\n"),
            ("content/guide/images/form-screen.svg", svg),
            ("content/guide/files/application.pdf", "%PDF-1.4 (a form)\n"),
        ],
    );
    let output = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("raw HTML names `images/old-screen.png`, which is no file of the site"), "{stderr}");
    assert!(
        stderr.contains("`files/old.pdf` is no file of the site (looked for content/guide/files/old.pdf)"),
        "{stderr}"
    );
    assert!(stderr.contains("content/guide/forms.md:12:46"), "at the link: {stderr}");
    assert!(!stderr.contains("unused-image"), "an image shown by raw HTML is used: {stderr}");
    assert_eq!(stderr.matches("warning[broken-link]").count(), 2, "`data-image-src` names no file shown: {stderr}");

    site.build();
    let html = site.html("ja/guide/forms.html");
    assert_eq!(
        attr(&html, ".intro img", "src"),
        [
            "../../assets/guide/images/form-screen.svg",
            "../../assets/guide/images/form-screen.svg",
            "images/old-screen.png"
        ]
    );
    // An `<img>` alone in its paragraph is a figure, as `![…](…)` is, at its width.
    assert_eq!(texts(&html, ".intro figcaption"), ["図 1 申込画面", "図 2 書き出し"]);
    assert_eq!(attr(&html, ".intro figure", "style"), ["--width: 320px"]);
    assert_eq!(
        attr(&html, ".intro a", "href"),
        [
            "../../assets/guide/files/application.pdf#page=2",
            "procedure.html",
            "procedure.html#submit",
            "../../assets/guide/files/application.pdf",
            "files/old.pdf"
        ]
    );
    let public = site.public();
    assert!(public.join("assets/guide/files/application.pdf").is_file());
    assert!(public.join("assets/guide/images/form-screen.svg").is_file());
}

/// Notes as Docusaurus, Qiita and Zenn write them, and a heading that is a link, as
/// READMEs have them.
const ADMONITIONS_JA: &str = r#"+++
title = "他のツールの注記"
+++

## [設定ファイル](settings.md)の場所

:::note
設定は自動で保存されます。
:::

:::warning 注意してください
**削除**は取り消せません。
:::

:::danger[データが消えます]
初期化するとすべて消えます。
:::

:::note warn
Qiita の警告です。
:::

:::message alert
Zenn の警告です。
:::

:::details 詳しい手順 <script>
1. **設定**を開きます。
2. 保存します。
:::
"#;

#[test]
fn admonitions_of_other_tools_are_alerts_and_heading_links_do_not_nest() {
    let site = html_site(
        "ja",
        "ホーム",
        &[("content/notes.md", ADMONITIONS_JA), ("content/settings.md", "+++\ntitle = \"設定\"\n+++\n\n本文。\n")],
    );
    built(&site);
    let html = site.html("ja/notes.html");
    assert_eq!(
        attr(&html, "main .alert", "class"),
        [
            "alert alert-note",
            "alert alert-warning",
            "alert alert-caution",
            "alert alert-warning",
            "alert alert-caution"
        ]
    );
    assert_eq!(texts(&html, "main .alert-title"), ["注記", "警告", "注意", "警告", "注意"]);
    assert_eq!(texts(&html, "main .alert > p:nth-child(2) > strong"), ["注意してください", "データが消えます"]);
    assert_eq!(texts(&html, "main .alert-warning > p:last-child"), ["削除は取り消せません。", "Qiita の警告です。"]);
    assert!(select(&html, "main a a").is_empty(), "no link inside a link: {}", html.html());
    assert_eq!(texts(&html, "main details > summary"), ["詳しい手順 <script>"], "Zenn's details, its title as text");
    assert_eq!(texts(&html, "main details > ol > li"), ["設定を開きます。", "保存します。"]);
    assert!(select(&html, "main script").is_empty());
    assert_eq!(texts(&html, "h2.section-title a.heading-anchor"), ["設定ファイルの場所"]);
    assert_eq!(texts(&html, ".on-this-page a, .section-title a"), ["設定ファイルの場所"]);
}

#[test]
fn hugo_front_matter_builds_drafts_are_left_out_and_typos_are_still_errors() {
    let hugo = "+++\ntitle = \"Hugo のページ\"\ndate = 2024-01-01T10:00:00+09:00\ndraft = false\ntags = [\"setup\"]\nweight = 2\n\
        linkTitle = \"Hugo\"\n[params]\nauthor = \"taro\"\n+++\n\n本文。\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/hugo.md", hugo),
            ("content/draft.md", "+++\ntitle = \"下書き\"\ndraft = true\n+++\n\n書きかけ。\n"),
        ],
    );
    let output = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning[draft-page]") && stderr.contains("content/draft.md:1:1"), "{stderr}");
    assert_eq!(texts(&site.html("ja/hugo.html"), "main h1"), ["Hugo のページ"]);
    assert!(!site.public().join("ja/draft.html").exists(), "a draft is not published");
    assert_eq!(attr(&site.html("ja/index.html"), ".home-contents a", "href"), ["hugo.html"]);

    site.write("content/hugo.md", &hugo.replace("weight = 2", "wieght = 2"));
    let output = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("unknown key `wieght`"), "{stderr}");
    assert!(
        stderr.contains("did you mean `weight`? Allowed keys: title, weight, description, source, draft"),
        "{stderr}"
    );
}

#[test]
fn image_paths_written_percent_encoded_or_in_angle_brackets_find_their_files() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#9cf"/></svg>"##;
    let page = "+++\ntitle = \"画像\"\n+++\n\n![エディターが貼った](images/login%20screen.svg)\n\n\
        ![山括弧](<images/login screen.svg>)\n\n![エンコード](images/%E3%83%AD%E3%82%B0%E3%82%A4%E3%83%B3%E7%94%BB%E9%9D%A2.svg)\n\n\
        [](fig:login-screen-1) と [](fig:ログイン画面)。\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[("content/a.md", page), ("content/images/login screen.svg", svg), ("content/images/ログイン画面.svg", svg)],
    );
    let output = site.run(&["check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    site.build();
    let html = site.html("ja/a.html");
    assert_eq!(
        attr(&html, "main img", "src"),
        [
            "../assets/images/login%20screen.svg",
            "../assets/images/login%20screen.svg",
            "../assets/images/ログイン画面.svg"
        ]
    );
    assert_eq!(attr(&html, "main img", "width"), ["200", "200", "200"], "sized from the file");
    // Named after the file as its name is, without spaces, each figure its own id.
    assert_eq!(attr(&html, "main figure", "id"), ["fig-login-screen", "fig-login-screen-1", "fig-ログイン画面"]);
    assert_eq!(texts(&html, "main a.xref"), ["図 2", "図 3"]);
    assert_eq!(attr(&html, "main a.xref", "href"), ["#fig-login-screen-1", "#fig-ログイン画面"]);
    assert_links_resolve(&site.public());
}

/// Code blocks as Qiita, Zenn, Docusaurus and Zola write the file they show.
const CODE_TITLES_JA: &str = r#"+++
title = "設定ファイル"
+++

モデルを作ります。

```ruby:app/models/user.rb
class User
end
```

```js title="src/index.js" {2}
const a = 1;
console.log(a);
```

```diff_python:migrate.py
- old = 1
+ new = 2
```

```rust,linenos,name=main.rs
fn main() {}
```

```text
題のないブロック
```
"#;

#[test]
fn code_blocks_show_the_file_written_on_their_fence_and_are_highlighted() {
    let site = html_site("ja", "ホーム", &[("content/code.md", CODE_TITLES_JA)]);
    built(&site);
    let html = site.html("ja/code.html");
    assert_eq!(
        texts(&html, "main .code-block > p.code-title"),
        ["app/models/user.rb", "src/index.js", "migrate.py", "main.rs"]
    );
    assert_eq!(
        attr(&html, "main .code-block > pre.code > code", "class"),
        ["language-ruby", "language-js", "language-diff", "language-rust"]
    );
    for code in select(&html, "main .code-block > pre.code > code") {
        assert!(
            code.select(&scraper::Selector::parse("span").unwrap()).next().is_some(),
            "highlighted: {}",
            code.html()
        );
    }
    assert_eq!(texts(&html, "main pre.code > code.language-text"), ["題のないブロック"]);
    assert_eq!(select(&html, "main pre.code").len(), 5);
}

/// A page as Material for MkDocs writes it: admonitions and folded notes whose
/// content is indented under them, content tabs for two browsers (twice, and one
/// holding a note and code with a blank line in it), a list after a block.
const MKDOCS_JA: &str = r#"+++
title = "証明書の取得"
+++

## 準備

!!! warning "作業の前に"
    証明書の取得は**管理者**だけが行えます。

    1. 管理者でログインします。
    2. 「設定」を開きます。

??? note "旧バージョンの場合"
    メニューの位置が違います。

???+ tip
    ブラウザーを最新にしておきます。

=== "Edge"

    右上の「…」をクリックします。

    !!! note
        Edge では「設定」が下にあります。

=== "Chrome"

    右上の「︙」をクリックします。

    ```shell
    cd ~/Downloads

    ls *.p12
    ```

1. ダウンロードを待ちます。
2. 完了を確認します。

    !!! note "補足"
        完了の通知は**管理者**にも届きます。

        届かないときは迷惑メールを確認します。

3. 閉じます。

## 保存

=== "Edge"
    「ダウンロード」に保存されます。

=== "Chrome"
    <span id="chrome-folder">「ダウンロード」フォルダーに保存されます。</span>

[Chrome の保存先](#chrome-folder)
"#;

#[test]
fn mkdocs_admonitions_folds_and_content_tabs_keep_their_content_inside() {
    let site = html_site("ja", "ホーム", &[("content/cert.md", MKDOCS_JA)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "nothing to warn about: {stderr}");
    let html = site.html("ja/cert.html");
    assert_eq!(
        attr(&html, "main .alert", "class"),
        ["alert alert-warning", "alert alert-note", "alert alert-tip", "alert alert-note", "alert alert-note"]
    );
    assert_eq!(texts(&html, "main .alert-warning > ol > li"), ["管理者でログインします。", "「設定」を開きます。"]);
    assert_eq!(texts(&html, "main .alert-warning > p > strong"), ["作業の前に", "管理者"]);
    // `???` folds a note under its kind and title, as Material for MkDocs shows it.
    assert_eq!(texts(&html, "main .alert > details.alert-fold > summary"), ["注記 旧バージョンの場合", "ヒント"]);
    assert_eq!(texts(&html, "main .alert > details[open] > summary"), ["ヒント"], "???+ is unfolded");
    assert_eq!(texts(&html, "main details > p"), ["メニューの位置が違います。", "ブラウザーを最新にしておきます。"]);
    let sets = select(&html, "main .tabbed-set");
    assert_eq!(sets.len(), 2);
    assert_eq!(texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"), ["Edge", "Chrome", "Edge", "Chrome"]);
    assert_eq!(
        texts(&html, "main .tabbed-block .alert-note > p:not(.alert-title)"),
        ["Edge では「設定」が下にあります。"]
    );
    let code: Vec<String> = select(&html, "main .tabbed-block pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["cd ~/Downloads\n\nls *.p12\n"], "code keeps its blank line and loses the tab's indentation");
    assert_eq!(
        texts(&html, "main .tabbed-set + ol > li > p:first-child"),
        ["ダウンロードを待ちます。", "完了を確認します。", "閉じます。"],
        "one list, a note inside its second item"
    );
    assert_eq!(
        texts(&html, "main .tabbed-set + ol > li:nth-child(2) > .alert-note > p:not(.alert-title)"),
        ["完了の通知は管理者にも届きます。", "届かないときは迷惑メールを確認します。"]
    );
    // A title that is a word for a note is the note's label, as MkDocs shows it.
    assert_eq!(texts(&html, "main .tabbed-set + ol > li:nth-child(2) > .alert-note > .alert-title"), ["補足"]);
    assert!(select(&html, "main pre.code").len() == 1, "no content read as indented code");
    assert_links_resolve(&site.public());
    node(&["tests/e2e/tabs.e2e.js"], &[("TEJUN_PUBLIC", &site.public())]);
}

/// MkDocs' blocks in list items one right under another, without a blank line
/// between, as Python-Markdown reads them: each its own note or tab.
const MKDOCS_BLOCKS_IN_A_LIST_JA: &str = r#"+++
title = "ブラウザーの設定"
+++

1. ブラウザーを開きます。
    === "Edge"
        右上の「…」をクリックします。
    === "Chrome"
        右上の「︙」をクリックします。
2. 設定を確認します。
    !!! note
        設定は自動で保存されます。
    !!! warning "注意"
        共有のパソコンでは保存しません。
    ??? tip "旧バージョン"
        メニューの位置が違います。
3. 閉じます。
"#;

#[test]
fn mkdocs_blocks_right_under_one_another_in_a_list_item_stay_apart() {
    let site = html_site("ja", "ホーム", &[("content/browser.md", MKDOCS_BLOCKS_IN_A_LIST_JA)]);
    let output = built(&site);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = site.html("ja/browser.html");
    assert_eq!(texts(&html, "main ol > li > .tabbed-set > .tabbed-block > .tabbed-label"), ["Edge", "Chrome"]);
    assert_eq!(
        texts(&html, "main ol > li > .tabbed-set > .tabbed-block > p:not(.tabbed-label)"),
        ["右上の「…」をクリックします。", "右上の「︙」をクリックします。"]
    );
    assert_eq!(select(&html, "main .tabbed-set").len(), 1, "the two tabs one set");
    assert_eq!(
        texts(&html, "main ol > li > .alert-tip > details.alert-fold:not([open]) > summary"),
        ["ヒント 旧バージョン"]
    );
    assert_eq!(texts(&html, "main ol > li > .alert > details > p"), ["メニューの位置が違います。"]);
    assert_eq!(
        attr(&html, "main ol > li > .alert", "class"),
        ["alert alert-note", "alert alert-warning", "alert alert-tip"]
    );
    assert_eq!(
        texts(&html, "main ol > li > .alert > p:not(.alert-title)"),
        ["設定は自動で保存されます。", "共有のパソコンでは保存しません。"]
    );
    assert_eq!(texts(&html, "main ol > li > .alert-warning > .alert-title"), ["注意"]);
    let text: String = select(&html, "main").iter().flat_map(|m| m.text()).collect();
    assert!(!text.contains("[!"), "no alert mark shown as text: {text}");
    assert_eq!(select(&html, "main > article ol").len(), 1, "one list of three items");
    assert_eq!(select(&html, "main > article ol > li").len(), 3);
}

/// A page as Sphinx with MyST writes it: directives as code fences and as `:::`
/// fences, with options, one inside another, a dropdown, and a code block with a
/// caption.
const MYST_JA: &str = r#"+++
title = "環境の準備"
+++

## 始める前に

```{note}
この手順は**管理者**向けです。
```

:::{warning} データの扱い
:class: dropdown

作業中のデータは消えます。
:::

````{admonition} 旧バージョンの場合
:class: tip

```bash
old-command --all
```

```{tip}
新しいバージョンに上げてください。
```
````

```{dropdown} 詳しい説明
折りたたまれた本文。
```

```{code-block} python
:caption: setup.py
:linenos:

print("ready")
```

```{mermaid}
graph TD
```

(proxy-settings)=
### プロキシの設定

[プロキシの設定](#proxy-settings)を先に済ませます。
"#;

#[test]
fn myst_directives_are_alerts_and_folds_and_their_options_are_not_text() {
    let site = html_site("ja", "ホーム", &[("content/setup.md", MYST_JA)]);
    let output = built(&site);
    let html = site.html("ja/setup.html");
    assert_eq!(
        attr(&html, "main .alert", "class"),
        ["alert alert-note", "alert alert-warning", "alert alert-note", "alert alert-tip"]
    );
    assert_eq!(texts(&html, "main .alert-note > p > strong"), ["管理者", "旧バージョンの場合"]);
    assert_eq!(
        texts(&html, "main .alert-warning > p:not(.alert-title)"),
        ["データの扱い", "作業中のデータは消えます。"]
    );
    assert_eq!(
        texts(&html, "main .alert-note .alert-tip > p:not(.alert-title)"),
        ["新しいバージョンに上げてください。"]
    );
    assert_eq!(texts(&html, "main .alert-note pre.code"), ["old-command --all"]);
    assert_eq!(texts(&html, "main details > summary"), ["詳しい説明"]);
    assert_eq!(texts(&html, "main details > p"), ["折りたたまれた本文。"]);
    assert_eq!(texts(&html, "main .code-block > .code-title"), ["setup.py"]);
    let code: Vec<String> = select(&html, "main .code-block code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["print(\"ready\")\n"]);
    assert!(!html.html().contains(":class:") && !html.html().contains(":linenos:"), "options are not text");
    assert_eq!(attr(&html, "main pre.code > code", "class").last().unwrap(), "language-mermaid", "others stay code");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "the target's link resolves: {stderr}");
    assert_eq!(select(&html, "main #proxy-settings").len(), 1, "a MyST target is an anchor");
    assert!(texts(&html, "main p").iter().all(|p| !p.contains(")=")), "and no text");
}

/// A glossary as MkDocs (def_list), Pandoc and PHP Markdown Extra write it, with a
/// reference to a step in a definition.
const GLOSSARY_JA: &str = r#"+++
title = "用語集"
+++

+++
id = "issue"
title = "証明書を発行します"
+++

発行します。

## 用語

電子証明書
:   利用者を確かめるファイルです。[](step:issue)で発行します。

ワンタイムパスワード
:   一度だけ使えるパスワードです。

    **トークン**に表示されます。

:   メールで届くこともあります。
"#;

#[test]
fn definition_lists_are_terms_and_their_definitions_on_screen_on_paper_and_in_search() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/glossary.md", GLOSSARY_JA),
    ]);
    site.build();
    let html = site.html("ja/glossary.html");
    assert_eq!(texts(&html, "main dl > dt"), ["電子証明書", "ワンタイムパスワード"]);
    assert_eq!(
        texts(&html, "main dl > dd"),
        [
            "利用者を確かめるファイルです。手順 1で発行します。",
            "一度だけ使えるパスワードです。 トークンに表示されます。",
            "メールで届くこともあります。"
        ]
    );
    assert_eq!(attr(&html, "main dd a.xref", "href"), ["#step-issue"]);
    let text: String = pdf_text(&site.public().join("ja/glossary.pdf")).split_whitespace().collect();
    for words in ["電子証明書利用者を確かめるファイルです。手順1", "ワンタイムパスワード一度だけ使えるパスワードです。"]
    {
        assert!(text.contains(words), "{words} in {text}");
    }
    let script = r#"
        const assert = require("node:assert/strict");
        const { openIndex } = require("./tests/search/files.js");
        (async () => {
          const ja = openIndex(process.env.TEJUN_PUBLIC, "ja");
          const urls = (await ja.search("ワンタイムパスワード", 10)).map((r) => r.url);
          assert.deepEqual(urls, ["glossary.html#用語"]);
        })().catch((e) => { console.error(e); process.exit(1); });
    "#;
    node(&["-e", script], &[("TEJUN_PUBLIC", &site.public())]);
}

#[test]
fn emoji_shortcodes_are_emoji_and_table_of_contents_marks_go() {
    let page = "+++\ntitle = \"絵文字\"\n+++\n\n[TOC]\n\n## 注意\n\n\
        :warning: 削除できません。:bulb: 10:30:00 に :white_check_mark: 完了。`:memo:` はコード。\n\n\
        [[_TOC_]]\n\n[詳しく](https://example.com/:memo:/) :no-such-code:\n";
    let site = html_site("ja", "ホーム", &[("content/emoji.md", page)]);
    built(&site);
    let html = site.html("ja/emoji.html");
    assert_eq!(
        texts(&html, "main .section-intro > p"),
        ["⚠\u{fe0f} 削除できません。💡 10:30:00 に ✅ 完了。:memo: はコード。", "詳しく :no-such-code:"]
    );
    assert_eq!(texts(&html, "main code"), [":memo:"]);
    assert_eq!(attr(&html, "main .section-intro a", "href"), ["https://example.com/:memo:/"]);
    assert!(!html.root_element().text().any(|t| t.to_lowercase().contains("toc]")), "{}", html.html());
}

/// Qiita's and GitHub's notes start with an emoji: `:warning:` at the start of a
/// line under a paragraph is no definition of it (the definition's colon is followed
/// by a space), there or in a list item.
#[test]
fn a_line_that_starts_with_an_emoji_shortcode_is_no_definition() {
    let page = "+++\ntitle = \"絵文字\"\n+++\n\n振込を取り消します。\n\n:warning: 取り消しは当日中だけです。\n\n\
        - 承認者に連絡します。\n  :bulb: メールでも構いません。\n\n電子証明書\n: 利用者を確かめるファイルです。\n";
    let site = html_site("ja", "ホーム", &[("content/emoji.md", page)]);
    built(&site);
    let html = site.html("ja/emoji.html");
    assert_eq!(texts(&html, "main .intro > p"), ["振込を取り消します。", "⚠\u{fe0f} 取り消しは当日中だけです。"]);
    assert_eq!(texts(&html, "main .intro > ul > li"), ["承認者に連絡します。 💡 メールでも構いません。"]);
    assert_eq!(texts(&html, "main dl > dt"), ["電子証明書"], "a definition with its space is one");
    assert_eq!(texts(&html, "main dl > dd"), ["利用者を確かめるファイルです。"]);
}

/// A page brought from a Hugo documentation site: the themes' notes (Relearn's
/// `notice`, hugo-book's `hint`, Docsy's `alert`), a fold, tabs, links through
/// `ref` and `relref`, and a shortcode tejun cannot run.
const HUGO_JA: &str = r#"+++
title = "インストール"
date = 2024-04-01
+++

## 準備

{{% notice warning %}}
作業の前に**バックアップ**を取ります。
{{% /notice %}}

{{< hint info >}}
管理者の権限が要ります。
{{< /hint >}}

{{% alert title="注意" color="danger" %}}
途中で電源を切らないでください。
{{% /alert %}}

{{< details "プロキシを使う場合" >}}
プロキシの設定を先に済ませます。
{{< /details >}}

{{< tabs "browsers" >}}
{{< tab "Edge" >}}
右上の「…」をクリックします。
{{< /tab >}}
{{< tab "Chrome" >}}
右上の「︙」をクリックします。
{{< /tab >}}
{{< /tabs >}}

[設定]({{< ref "settings.md" >}})と[プロキシ]({{< relref "settings#proxy" >}})、[設定の先頭]({{< ref "/settings.md" >}})を参照します。[ホーム]({{< ref "/_index.md" >}})、[プロキシ](/settings.md#proxy)。

{{< youtube w7Ft2ymGmfc >}}

{{< figure src="images/login.svg" alt="ID とパスワードの欄" caption="ログイン画面" >}}

```go-html-template
{{< notice info >}}コードの中はそのまま{{< /notice >}}
```
"#;

#[test]
fn hugo_shortcodes_for_notes_folds_tabs_and_links_are_read_and_others_reported() {
    let settings = "+++\ntitle = \"設定\"\n+++\n\n## プロキシ {#proxy}\n\n本文。\n";
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#;
    let site = html_site(
        "ja",
        "ホーム",
        &[("content/install.md", HUGO_JA), ("content/settings.md", settings), ("content/images/login.svg", svg)],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning")).collect();
    assert_eq!(
        warnings,
        ["warning[hugo-shortcode]: Hugo's shortcode `youtube` is not run by tejun, and shows as written"]
    );
    assert!(stderr.contains(&position("content/install.md", HUGO_JA, "{{< youtube")), "{stderr}");
    let html = site.html("ja/install.html");
    assert_eq!(attr(&html, "main .alert", "class"), ["alert alert-warning", "alert alert-note", "alert alert-caution"]);
    assert_eq!(texts(&html, "main .alert-warning > p > strong"), ["バックアップ"]);
    // Its title names its kind, 注意, which shows once.
    assert_eq!(texts(&html, "main .alert-caution > p"), ["注意", "途中で電源を切らないでください。"]);
    assert_eq!(texts(&html, "main details > summary"), ["プロキシを使う場合"]);
    assert_eq!(texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"), ["Edge", "Chrome"]);
    assert_eq!(select(&html, "main .tabbed-set").len(), 1);
    assert_eq!(
        attr(&html, "main .section-intro > p > a", "href"),
        ["settings.html", "settings.html#proxy", "settings.html", "index.html", "settings.html#proxy"]
    );
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["{{< notice info >}}コードの中はそのまま{{< /notice >}}\n"]);
    assert!(
        html.html().contains("{{&lt; youtube w7Ft2ymGmfc &gt;}}") || html.html().contains("{{< youtube"),
        "shown as written"
    );
    assert_links_resolve(&site.public());
}

/// A page from a Docusaurus site (MDX in a `.md` file): the imports its tabs need,
/// `<Tabs>` with indented `<TabItem>`s, a list and code in them.
const DOCUSAURUS_JA: &str = r#"+++
title = "ブラウザーの設定"
+++

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

## 設定を開く

<Tabs groupId="browser">
  <TabItem value="edge" label="Edge" default>
    1. 右上の「…」をクリックします。
    2. **設定**を選びます。
  </TabItem>
  <TabItem value="chrome" label="Chrome">

    ```text
    chrome://settings
    ```

    を開きます。
  </TabItem>
</Tabs>

```js
import Tabs from '@theme/Tabs';
```
"#;

#[test]
fn docusaurus_tabs_are_content_tabs_and_their_imports_go() {
    let site = html_site("ja", "ホーム", &[("content/browser.md", DOCUSAURUS_JA)]);
    built(&site);
    let html = site.html("ja/browser.html");
    assert_eq!(texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"), ["Edge", "Chrome"]);
    assert_eq!(attr(&html, "main .tabbed-block", "class"), ["tabbed-block tabbed-selected", "tabbed-block"]);
    assert_eq!(texts(&html, "main .tabbed-block ol > li"), ["右上の「…」をクリックします。", "設定を選びます。"]);
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["chrome://settings\n", "import Tabs from '@theme/Tabs';\n"], "in code an import stays");
    assert_eq!(texts(&html, "main .tabbed-block p"), ["Edge", "Chrome", "を開きます。"]);
    assert!(texts(&html, "main p").iter().all(|p| !p.contains("import")), "no import line shows");
}

/// An `.mdx` page as Docusaurus sites have them: imports and an export (one over
/// several lines) MDX runs and never shows, comments on a line and over several,
/// admonitions titled with their own kind's name, and prose that starts with the
/// words "import" and "export".
const DOCUSAURUS_MDX_EN: &str = r#"---
title: Export the settings
---

import Admonition from '@theme/Admonition';
import './settings.css';

export const Highlight = ({children, color}) => (
  <span style={{backgroundColor: color}}>
    {children}
  </span>
);

{/* TODO: screenshots for the new menu */}

:::tip Tip
Export before you update.
:::

> [!NOTE]
> **Note:**
>
> The file holds no passwords.

:::warning Keep the file safe
It names every server.
:::

{/*
  Draft, not yet reviewed:
  export default settings from the old console.
*/}

export default settings to a file, then
import them on the new machine.

```js
export const toc = [];
```
"#;

#[test]
fn mdx_imports_exports_and_comments_go_and_an_alert_titled_with_its_kind_shows_it_once() {
    let site = html_site("en", "Home", &[("content/export.mdx", DOCUSAURUS_MDX_EN)]);
    built(&site);
    let html = site.html("en/export.html");
    assert_eq!(
        texts(&html, "main p"),
        [
            "Tip",
            "Export before you update.",
            "Note",
            "The file holds no passwords.",
            "Warning",
            "Keep the file safe",
            "It names every server.",
            "export default settings to a file, then import them on the new machine."
        ],
        "the alerts' kinds once, a title of their own kept, the prose as written"
    );
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["export const toc = [];\n"], "in code an export stays");
    let main: String = select(&html, "main").iter().map(|m| m.text().collect::<String>()).collect();
    for hidden in ["@theme", "settings.css", "children", "TODO", "Draft"] {
        assert!(!main.contains(hidden), "`{hidden}` shows: {main}");
    }
}

/// A page from a VitePress site: a code group, fences that highlight lines, number
/// them or name a file, and its notes.
const VITEPRESS_JA: &str = r#"+++
title = "インストール"
+++

## 入手する

::: code-group

```sh [npm]
npm install tejun
```

```sh [yarn]
yarn add tejun
```

```sh
pnpm add tejun
```

:::

::: tip 補足
設定は次のとおりです。
:::

```js{2} [config.js]
export default {
  lang: 'ja',
}
```

```ts:line-numbers {1}
const x: number = 1
```
"#;

#[test]
fn vitepress_code_groups_are_tabs_and_fences_name_their_files() {
    let site = html_site("ja", "ホーム", &[("content/install.md", VITEPRESS_JA)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    let html = site.html("ja/install.html");
    assert_eq!(select(&html, "main .tabbed-set").len(), 1);
    assert_eq!(texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"), ["npm", "yarn", "sh"]);
    let in_tabs: Vec<String> =
        select(&html, "main .tabbed-block pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(in_tabs, ["npm install tejun\n", "yarn add tejun\n", "pnpm add tejun\n"]);
    assert!(select(&html, "main .tabbed-block .code-title").is_empty(), "the label names the block once");
    assert_eq!(texts(&html, "main .alert-tip > .alert-title"), ["補足"]);
    assert_eq!(texts(&html, "main .code-title"), ["config.js"]);
    assert_eq!(
        attr(&html, "main pre.code > code", "class")[3..],
        ["language-js".to_string(), "language-ts".to_string()],
        "`js{{2}}` and `ts:line-numbers` are JavaScript and TypeScript"
    );
    assert!(!select(&html, "main pre.code > code.language-js span").is_empty(), "highlighted");
}

/// A page synced from GitBook, with a Jekyll tag or two among its Liquid.
const GITBOOK_JA: &str = r#"+++
title = "はじめに"
+++

## 準備

{% hint style="warning" %}
**重要**：作業の前にバックアップを取ります。
{% endhint %}

{% tabs %}
{% tab title="Windows" %}
1. スタートメニューを開きます。
2. **設定**を選びます。
{% endtab %}

{% tab title="Mac" %}
システム設定を開きます。
{% endtab %}
{% endtabs %}

{% code title="setup.sh" lineNumbers="true" %}
```bash
./setup.sh --all
```
{% endcode %}

{% content-ref url="settings.md" %}
[settings.md](settings.md)
{% endcontent-ref %}

動画：{% embed url="https://www.youtube.com/watch?v=abc" %}、申込書：{% file src="files/申込書.pdf" %}

{% include footer.html %}

{% highlight ruby %}
puts "こんにちは"
{% endhighlight %}

```liquid
{% hint style="info" %}コードの中はそのまま{% endhint %}
```
"#;

#[test]
fn gitbook_tags_are_notes_tabs_code_titles_and_links_and_others_reported() {
    let settings = "+++\ntitle = \"設定\"\n+++\n\n本文。\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/start.md", GITBOOK_JA),
            ("content/settings.md", settings),
            ("content/files/申込書.pdf", "%PDF-1.4\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning")).collect();
    assert_eq!(warnings, ["warning[liquid-tag]: the tag `{% include %}` is not run by tejun, and shows as written"]);
    assert!(stderr.contains(&position("content/start.md", GITBOOK_JA, "{% include")), "{stderr}");
    let html = site.html("ja/start.html");
    assert_eq!(attr(&html, "main .alert", "class"), ["alert alert-warning"]);
    assert_eq!(texts(&html, "main .alert-warning > p > strong"), ["重要"]);
    assert_eq!(texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"), ["Windows", "Mac"]);
    assert_eq!(texts(&html, "main .tabbed-block ol > li"), ["スタートメニューを開きます。", "設定を選びます。"]);
    assert_eq!(texts(&html, "main .code-title"), ["setup.sh"]);
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(
        code,
        ["./setup.sh --all\n", "puts \"こんにちは\"\n", "{% hint style=\"info\" %}コードの中はそのまま{% endhint %}\n"]
    );
    assert_eq!(attr(&html, "main pre.code > code", "class")[1], "language-ruby", "Jekyll's highlight is a code block");
    assert_eq!(
        attr(&html, "main .section-intro > p > a", "href"),
        ["settings.html", "https://www.youtube.com/watch?v=abc", "../assets/files/申込書.pdf"]
    );
    let paragraphs = texts(&html, "main .section-intro > p");
    assert!(paragraphs.iter().all(|p| !p.contains("{% hint") && !p.contains("{% tab") && !p.contains("content-ref")));
    assert!(paragraphs.iter().any(|p| p.contains("{% include footer.html %}")), "shown as written: {paragraphs:?}");
    assert_links_resolve(&site.public());
}

/// Callouts as Obsidian and Notion export them, beside GitHub's alerts.
const CALLOUTS_JA: &str = r#"+++
title = "メモ"
+++

## 注意点

> [!warning] 締め切り
> 17 時までに承認します。

> [!tip]- 折りたたみ
> 畳まれていた内容。

> [!faq]+ よくある質問
> 開いた内容。

> [!info]
> 種類だけの注記。

> [!NOTE]
> GitHub の注記。

1. 申請します。

   > [!caution] 取り消し
   > 承認後は取り消せません。

2. 承認を待ちます。

<aside>
💡 Notion のヒントです。**設定**から変更できます。

</aside>

<aside>
📄 Notion の注記です。
</aside>

```md
> [!tip] コードの中
```
"#;

#[test]
fn obsidian_and_notion_callouts_are_alerts() {
    let site = html_site("ja", "ホーム", &[("content/memo.md", CALLOUTS_JA)]);
    built(&site);
    let html = site.html("ja/memo.html");
    assert_eq!(
        attr(&html, "main .alert", "class"),
        [
            "alert alert-warning",
            "alert alert-tip",
            "alert alert-note",
            "alert alert-note",
            "alert alert-note",
            "alert alert-caution",
            "alert alert-tip",
            "alert alert-note"
        ]
    );
    assert_eq!(texts(&html, "main .alert > p > strong"), ["締め切り", "取り消し", "設定"]);
    // `-` folds the callout until the reader opens it, `+` shows it open and foldable;
    // the kind's title stays in sight, its colour around it.
    let folds = select(&html, "main .alert > details.alert-fold");
    let open: Vec<bool> = folds.iter().map(|fold| fold.value().attr("open").is_some()).collect();
    assert_eq!(open, [false, true]);
    assert_eq!(texts(&html, "main .alert > details > summary"), ["ヒント 折りたたみ", "注記 よくある質問"]);
    assert_eq!(texts(&html, "main .alert > details > summary strong"), ["折りたたみ", "よくある質問"]);
    assert_eq!(texts(&html, "main .alert > details > p"), ["畳まれていた内容。", "開いた内容。"]);
    assert_eq!(texts(&html, "main ol > li > .alert-caution > p").last().unwrap(), "承認後は取り消せません。");
    assert_eq!(texts(&html, "main ol > li").len(), 2, "the list goes on after the callout in its item");
    assert_eq!(texts(&html, "main .alert-tip > p").last().unwrap(), "Notion のヒントです。設定から変更できます。");
    assert!(texts(&html, "main p").iter().all(|p| !p.contains("[!")), "no marker shows");
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["> [!tip] コードの中\n"]);
}

/// An Obsidian vault: notes in folders linking each other by name, headings by
/// their text, screenshots kept in a folder of attachments.
const VAULT_GUIDE_JA: &str = r#"+++
title = "利用ガイド"
+++

## ログイン

詳しくは [[接続の設定]] と [[接続の設定#Proxy Settings|プロキシ]]、[[#ログアウト]] を見ます。

![[login screen.png]]

申込書は [[申込書.pdf]] です。[[ない設定]] もあります。`[[コードの中]]`

## ログアウト

[[FAQ]] に答えがあります。
"#;

#[test]
fn wiki_links_find_pages_headings_and_attachments_by_name() {
    let settings = "+++\ntitle = \"接続の設定\"\n+++\n\n## Proxy Settings\n\n本文。\n";
    let faq = "+++\ntitle = \"よくある質問\"\n+++\n\n本文。\n";
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 32, image::Rgb([200, 30, 30])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/guide/利用ガイド.md", VAULT_GUIDE_JA),
            ("content/settings/接続の設定.md", settings),
            ("content/faq.md", faq),
            ("content/attachments/申込書.pdf", "%PDF-1.4\n"),
        ],
    );
    std::fs::write(site.root().join("content/attachments/login screen.png"), png.into_inner()).unwrap();
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning[broken")).collect();
    assert_eq!(warnings, ["warning[broken-link]: no page of the manual is named `ない設定`"]);
    assert!(stderr.contains(&position("content/guide/利用ガイド.md", VAULT_GUIDE_JA, "[[ない設定]]")), "{stderr}");
    let html = site.html("ja/guide/利用ガイド.html");
    assert_eq!(
        attr(&html, "main .section-intro a", "href"),
        [
            "../settings/接続の設定.html",
            "../settings/接続の設定.html#proxy-settings",
            "#ログアウト",
            "../../assets/attachments/申込書.pdf",
            "#",
            "../faq.html"
        ]
    );
    assert_eq!(texts(&html, "main .section-intro a")[..3], ["接続の設定", "プロキシ", "ログアウト"]);
    assert_eq!(attr(&html, "main figure img", "src"), ["../../assets/attachments/login%20screen.png"]);
    assert_eq!(attr(&html, "main figure", "id"), ["fig-login-screen"], "an id has no spaces");
    assert_eq!(texts(&html, "main code"), ["[[コードの中]]"]);
    site.write("content/guide/利用ガイド.md", &VAULT_GUIDE_JA.replace("[[ない設定]]", ""));
    site.build();
    assert_links_resolve(&site.public());
}

/// An Obsidian note with its comments, which Obsidian never shows — within a line,
/// over several and on lines of their own — and links to its own title, which the
/// note starts with as a heading, as Obsidian and GitHub let writers link to it.
const OBSIDIAN_NOTE_JA: &str = r#"# 証明書の更新

本文 %%非表示のメモ%% です。%%もう一つ%%

%%
下書き:
担当は田中
%%

%% 複数行の
コメント %%

[[#証明書の更新|先頭へ]]、[[証明書の更新|このノート]]、[先頭](#証明書の更新)。

`%%コードの中%%` はそのままです。

```matlab
%% 区切り
x = 1;
```
後の段落です。
"#;

#[test]
fn obsidian_comments_go_and_links_to_a_notes_title_go_to_its_top() {
    let other = "# 別のノート\n\n[更新の手順](証明書の更新.md#証明書の更新)\n";
    let site =
        html_site("ja", "ホーム", &[("content/証明書の更新.md", OBSIDIAN_NOTE_JA), ("content/別のノート.md", other)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let html = site.html("ja/証明書の更新.html");
    assert_eq!(
        texts(&html, "main .intro p"),
        ["本文 です。", "先頭へ、このノート、先頭。", "%%コードの中%% はそのままです。", "後の段落です。"]
    );
    assert_eq!(texts(&html, "main pre.code"), ["%% 区切り x = 1;"], "in code, MATLAB's `%%` is code");
    assert_eq!(attr(&html, "main .intro a", "href"), ["証明書の更新.html", "証明書の更新.html", "証明書の更新.html"]);
    assert_eq!(attr(&site.html("ja/別のノート.html"), "main .intro a", "href"), ["証明書の更新.html"]);
    assert_links_resolve(&site.public());
}

/// A Jekyll page (kramdown) and an Obsidian note: attribute lists, the contents
/// mark, images with attributes, highlighted words.
const KRAMDOWN_JA: &str = r#"+++
title = "設定の手順"
+++

* TOC
{:toc}

## 概要
{: .no_toc }

==必ず==管理者が操作します。a==b と `==code==` はそのまま。

![設定画面](images/settings.png){width=50%}

![アイコン](images/settings.png){: .icon} をクリックします。
"#;

#[test]
fn attribute_lists_contents_marks_and_highlights_of_other_tools() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#;
    let site = html_site(
        "ja",
        "ホーム",
        &[("content/settings.md", &KRAMDOWN_JA.replace(".png", ".svg")), ("content/images/settings.svg", svg)],
    );
    built(&site);
    let html = site.html("ja/settings.html");
    let text: String =
        html.root_element().select(&scraper::Selector::parse("main").unwrap()).flat_map(|m| m.text()).collect();
    assert!(!text.contains("{:") && !text.contains("TOC") && !text.contains("{width"), "{text}");
    assert_eq!(texts(&html, "main h2"), ["概要"]);
    assert_eq!(texts(&html, "main mark"), ["必ず"]);
    assert_eq!(texts(&html, "main .section-intro > p")[0], "必ず管理者が操作します。a==b と ==code== はそのまま。");
    assert_eq!(texts(&html, "main figure figcaption"), ["図 1 設定画面"]);
    assert_eq!(attr(&html, "main p img", "class"), ["icon"]);
}

#[test]
fn index_and_readme_pages_and_docusaurus_categories_introduce_their_folders() {
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/guide/index.md", "# ガイド\n\nガイドの概要。[準備](../setup/README.md)から。\n"),
            ("content/guide/login.md", "# ログイン\n\n[ガイド](index.md)、[チュートリアル](../tutorial/first.md)。\n"),
            ("content/setup/README.md", "# 準備\n\n準備の概要。\n"),
            ("content/setup/install.md", "# インストール\n\n本文。\n"),
            (
                "content/tutorial/_category_.json",
                "{\n  \"label\": \"チュートリアル\",\n  \"position\": 1,\n  \"link\": { \"type\": \"generated-index\" }\n}\n",
            ),
            ("content/tutorial/first.md", "---\nsidebar_position: 1\n---\n\n# はじめの一歩\n\n本文。\n"),
            ("content/api/_category_.yml", "label: API リファレンス\nposition: 2\n"),
            ("content/api/list.md", "# 一覧\n\n本文。\n"),
        ],
    );
    // The site's own home page is `_index.md`; a README at the top would be a page.
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("missing-chapter-index"), "{stderr}");
    let login = site.html("ja/guide/login.html");
    assert_eq!(texts(&login, ".toc .toc-chapter > a"), ["チュートリアル", "API リファレンス", "ガイド", "準備"]);
    assert_eq!(attr(&login, "main .intro a", "href"), ["index.html", "../tutorial/first.html"]);
    assert_eq!(texts(&site.html("ja/guide/index.html"), "main h1"), ["ガイド"]);
    assert_eq!(attr(&site.html("ja/guide/index.html"), "main .intro a", "href"), ["../setup/index.html"]);
    assert_eq!(texts(&site.html("ja/setup/index.html"), "main h1"), ["準備"]);
    assert_eq!(texts(&site.html("ja/tutorial/index.html"), "main h1"), ["チュートリアル"]);
    assert!(!site.public().join("assets/tutorial/_category_.json").exists(), "not published");
    assert_links_resolve(&site.public());

    // An `index.md` beside an `_index.md` would be written over it.
    site.write("content/guide/_index.md", "+++\ntitle = \"ガイド\"\n+++\n");
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[index-beside-index]") && stderr.contains("content/guide/index.md"), "{stderr}");
}

/// An mdBook book: its `SUMMARY.md` orders it, against the files' names.
const MDBOOK_SUMMARY: &str = "# Summary\n\n[はじめに](README.md)\n\n# 利用者ガイド\n\n- [使い方](guide/usage.md)\n- [インストール](guide/install.md)\n- [コマンド](cli/README.md)\n    - [init](cli/init.md)\n    - [build](./cli/build.md)\n    - [下書き]()\n";

#[test]
fn an_mdbook_summary_orders_the_pages_and_is_no_page() {
    let config = "languages = [\"ja\"]\n[pdf]\nenabled = false\n";
    let site = Site::new(&[
        ("tejun.toml", config),
        ("content/SUMMARY.md", MDBOOK_SUMMARY),
        ("content/README.md", "# はじめに\n\nこの本について。\n"),
        ("content/guide/install.md", "# インストール\n\n本文。\n"),
        ("content/guide/usage.md", "# 使い方\n\n本文。\n"),
        ("content/cli/README.md", "# コマンド\n\n概要。\n"),
        ("content/cli/build.md", "# build\n\n本文。\n"),
        ("content/cli/init.md", "# init\n\n本文。\n"),
        ("content/appendix.md", "# 付録\n\n一覧にないページ。\n"),
    ]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!site.public().join("ja/SUMMARY.html").exists(), "the summary is no page");
    let contents = |page: &str| texts(&site.html(page), ".toc a, .toc span");
    assert_eq!(contents("ja/cli/init.html"), ["Guide", "コマンド", "init", "build", "付録"]);
    assert_eq!(contents("ja/guide/install.html"), ["Guide", "使い方", "インストール", "コマンド", "付録"]);
    assert_eq!(texts(&site.html("ja/index.html"), "main h1"), ["はじめに"]);
    assert_links_resolve(&site.public());
}

/// A Zenn article: an image with its width, embeds, a message and folded text.
const ZENN_JA: &str = r#"+++
title = "ログインの手順"
+++

## ログイン

![ログイン画面](images/login.svg =250x)

動画：@[youtube](WRVsOCh907o)

@[card](https://zenn.dev/about)

:::message
ログインには管理者の承認が必要です。
:::

```js:app.js
const a = b =250x) // code stays
```
"#;

#[test]
fn zenn_image_widths_and_embeds() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#;
    let site = html_site("ja", "ホーム", &[("content/login.md", ZENN_JA), ("content/images/login.svg", svg)]);
    built(&site);
    let html = site.html("ja/login.html");
    assert_eq!(texts(&html, "main figure figcaption"), ["図 1 ログイン画面"]);
    assert_eq!(attr(&html, "main figure img", "src"), ["../assets/images/login.svg"]);
    assert_eq!(
        attr(&html, "main .section-intro p a", "href"),
        ["https://www.youtube.com/watch?v=WRVsOCh907o", "https://zenn.dev/about"]
    );
    assert_eq!(texts(&html, "main .alert-note > p")[1], "ログインには管理者の承認が必要です。");
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["const a = b =250x) // code stays\n"]);
}

#[test]
fn myst_roles_and_links_without_text_show_where_they_go() {
    let setup = "+++\ntitle = \"準備\"\n+++\n\n(proxy-settings)=\n## プロキシの設定\n\n本文。\n";
    let guide = "+++\ntitle = \"ガイド\"\n+++\n\n{doc}`setup` を済ませ、{doc}`設定の章 <setup>`、{ref}`proxy-settings`、{ref}`プロキシ <proxy-settings>` を読みます。[](setup.md) も同じ。\n";
    let site = html_site("ja", "ホーム", &[("content/setup.md", setup), ("content/guide.md", guide)]);
    let output = built(&site);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = site.html("ja/guide.html");
    // A bare `{ref}` shows the heading under its target, as Sphinx does.
    assert_eq!(texts(&html, "main .intro a"), ["準備", "設定の章", "プロキシの設定", "プロキシ", "準備"]);
    assert_eq!(
        attr(&html, "main .intro a", "href"),
        ["setup.html", "setup.html", "setup.html#proxy-settings", "setup.html#proxy-settings", "setup.html"]
    );
    // The heading under the target is a heading (raw HTML for the target took it in).
    let setup = site.html("ja/setup.html");
    assert_eq!(texts(&setup, "main h2"), ["プロキシの設定"]);
    assert_eq!(attr(&setup, "main div[id]", "id"), ["proxy-settings"]);
}

/// MkDocs' tabs and folds indented into the steps of a numbered list.
const MKDOCS_LIST_JA: &str = r#"+++
title = "設定"
+++

1. 設定を開きます。

    === "Windows"

        スタートメニューから **設定** を開きます。

    === "Mac"

        ```sh
        open -a "System Settings"
        ```

2. 次に進みます。

    ??? note "旧バージョンの場合"

        メニューの位置が違います。

3. 終わりです。
"#;

#[test]
fn mkdocs_tabs_and_folds_in_list_items_stay_in_their_item_under_their_titles() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/settings.md", MKDOCS_LIST_JA),
    ]);
    built(&site);
    let html = site.html("ja/settings.html");
    assert_eq!(texts(&html, "main ol > li").len(), 3, "one list, its three steps");
    // Tabs and folds in an item are as at the top of a page.
    let labels = texts(&html, "main ol > li:nth-child(1) > .tabbed-set > .tabbed-block > .tabbed-label");
    assert_eq!(labels, ["Windows", "Mac"]);
    assert_eq!(
        texts(&html, "main ol > li .tabbed-block > p:not(.tabbed-label)"),
        ["スタートメニューから 設定 を開きます。"]
    );
    let code: Vec<String> = select(&html, "main ol > li pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["open -a \"System Settings\"\n"], "the code in the tab, not its indentation");
    let summary = texts(&html, "main ol > li:nth-child(2) > .alert-note > details:not([open]) > summary");
    assert_eq!(summary, ["注記 旧バージョンの場合"]);
    assert_eq!(texts(&html, "main ol > li:nth-child(2) > .alert > details > p"), ["メニューの位置が違います。"]);
    let text: String = pdf_text(&site.public().join("ja/settings.pdf")).split_whitespace().collect();
    assert!(text.contains("注記旧バージョンの場合メニューの位置が違います。"), "printed unfolded: {text}");
}

/// An mdBook page that takes its code from files beside it, shared steps from a
/// partial and a note from MkDocs' snippets folder outside `content/`.
const INCLUDING_JA: &str = r#"# インストール

1. 設定ファイルの `[proxy]` を書きます。

   ```toml
   {{#include config/tejun.toml:proxy}}
   ```

2. スクリプトの 2〜3 行目を実行します。

   ```sh
   {{#include ../scripts/setup.sh:2:3}}
   ```

{{#include _login.md}}

--8<-- "snippets/support.md"

書き方の例：`\{{#include file.rs}}`
"#;

const LOGIN_PARTIAL: &str = r#"## ログイン

+++
id = "login"
title = "管理画面にログインします"
+++

「ログイン」をクリックします。
"#;

const TEJUN_TOML_WITH_ANCHORS: &str =
    "title = \"x\"\n# ANCHOR: proxy\n[proxy]\nhost = \"proxy.example.co.jp\"\n# ANCHOR_END: proxy\n";

#[test]
fn files_other_tools_include_are_put_in_and_partials_are_no_pages() {
    let usage = "# 使い方\n\n[Docusaurus の例](docusaurus.mdx)\n\n```{literalinclude} /scripts/setup.sh\n:lines: 1\n:caption: setup.sh\n```\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/guide/_index.md", "# ガイド\n"),
            ("content/guide/install.md", INCLUDING_JA),
            ("content/guide/usage.md", usage),
            ("content/guide/docusaurus.mdx", "import Login from './_login.md';\n\n# Docusaurus\n\n<Login />\n"),
            ("content/guide/_login.md", LOGIN_PARTIAL),
            ("content/guide/config/tejun.toml", TEJUN_TOML_WITH_ANCHORS),
            ("content/scripts/setup.sh", "#!/bin/sh\nset -e\n./install --quiet\necho done\n"),
            ("snippets/support.md", "> [!NOTE]\n> 困ったときはサポート窓口へ。\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let html = site.html("ja/guide/install.html");
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["[proxy]\nhost = \"proxy.example.co.jp\"\n", "set -e\n./install --quiet\n"]);
    // The code stays in its list item.
    assert_eq!(select(&html, "main ol > li pre.code").len(), 2);
    assert_eq!(texts(&html, "main .step-title"), ["管理画面にログインします"]);
    assert_eq!(attr(&html, "main li.step", "id"), ["step-login"]);
    assert_eq!(texts(&html, "main .alert-note > p")[1], "困ったときはサポート窓口へ。");
    assert!(texts(&html, "main p code").contains(&"{{#include file.rs}}".to_string()));
    let usage = site.html("ja/guide/usage.html");
    let code: Vec<String> = select(&usage, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["#!/bin/sh\n"]);
    assert_eq!(texts(&usage, "main .code-block .code-title"), ["setup.sh"]);
    assert_eq!(attr(&usage, "main p a", "href"), ["docusaurus.html"]);
    let docusaurus = site.html("ja/guide/docusaurus.html");
    assert_eq!(texts(&docusaurus, "main .step-title"), ["管理画面にログインします"]);
    assert!(!texts(&docusaurus, "main p").iter().any(|p| p.contains("import")));
    // The partial is part of the page, not one of its own, in the contents or search.
    assert!(!site.public().join("ja/guide/_login.html").exists());
    assert!(!texts(&html, ".toc a, .toc span").iter().any(|t| t == "ログイン"), "{:?}", texts(&html, ".toc a"));
    assert_links_resolve(&site.public());
}

#[test]
fn a_missing_include_points_at_its_mark_and_a_problem_in_included_text_at_its_own_line() {
    let page = "# 手順\n\n本文。\n\n```sh\n{{#include scripts/gone.sh}}\n```\n\n--8<-- \"parts/bad.md\"\n\n{{% readfile \"gone.md\" %}}\n\n{% include \"./gone.md\" %}\n";
    let bad = "+++\nid = \"open\"\ntitle = \"開きます\"\n+++\n\n[戻る](step:no-such-step) を参照。\n";
    let site = html_site("ja", "ホーム", &[("content/page.md", page), ("content/parts/bad.md", bad)]);
    let output = site.run(&["check"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let missing = position("content/page.md", page, "{{#include scripts/gone.sh}}");
    assert!(stderr.contains("broken-include") && stderr.contains(&missing), "{missing}: {stderr}");
    assert!(
        stderr.contains("`scripts/gone.sh` in `{{#include scripts/gone.sh}}` is not a file of the site"),
        "{stderr}"
    );
    // The broken reference is shown where it is written, and where it was put in.
    let reference = position("content/parts/bad.md", bad, "[戻る](step:no-such-step)");
    let snippet = position("content/page.md", page, "--8<--");
    assert!(stderr.contains("no-such-step") && stderr.contains(&reference), "{reference}: {stderr}");
    assert!(stderr.contains(&snippet) && stderr.contains("included here"), "{snippet}: {stderr}");
    // A Hugo shortcode or a Liquid tag that includes nothing is reported once.
    assert_eq!(stderr.matches("error[broken-include]").count(), 3, "{stderr}");
    assert!(!stderr.contains("hugo-shortcode") && !stderr.contains("liquid-tag"), "{stderr}");
}

/// Shared steps with a mistake in them: each page that puts them in reports it at
/// the partial's own line, with its line that put them in — through a list item's
/// indentation and a partial included by the partial — in the terminal and in JSON.
#[test]
fn problems_in_a_shared_partial_are_shown_in_the_partial_for_each_page_that_includes_it() {
    let login = "+++\nid = \"login\"\ntitle = \"ログインします\"\n+++\n\n{{#include _warning.md}}\n\n\
                 ログイン画面で ID を入力します。\n";
    let warning = "> [!WARNING]\n> 暗証番号を 3 回まちがえると、[](step:unlock) が必要です。\n";
    let transfer = "# 振込\n\n{{#include _login.md}}\n\n+++\nid = \"send\"\ntitle = \"振り込みます\"\n+++\n\n[](step:login) のあと振り込みます。\n";
    let inquiry =
        "# 照会\n\n手順の前に：\n\n1. 画面を開きます。\n\n   {{#include _warning.md}}\n\n{{#include _login.md}}\n";
    let files = [
        ("content/_login.md", login),
        ("content/_warning.md", warning),
        ("content/transfer.md", transfer),
        ("content/inquiry.md", inquiry),
    ];
    let site = html_site("ja", "ホーム", &files);
    let output = site.run(&["check", "--format", "json"]);
    assert!(!output.status.success());
    let found: Vec<serde_json::Value> =
        String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let at = |d: &serde_json::Value| format!("{}:{}:{}", d["file"].as_str().unwrap_or(""), d["line"], d["column"]);
    let mut references: Vec<(String, String)> = found
        .iter()
        .filter(|d| d["code"] == "unknown-reference")
        .map(|d| (at(d), d["included_at"].as_str().unwrap_or("on the page").to_string()))
        .collect();
    references.sort();
    let unlock = position("content/_warning.md", warning, "[](step:unlock)");
    let mut expected = vec![
        (unlock.clone(), position("content/transfer.md", transfer, "{{#include _login.md}}")),
        (unlock.clone(), position("content/inquiry.md", inquiry, "{{#include _warning.md}}")),
        (unlock.clone(), position("content/inquiry.md", inquiry, "{{#include _login.md}}")),
    ];
    expected.sort();
    assert_eq!(references, expected, "{found:#?}");
    // The terminal shows the partial's line and the including line under it.
    let stderr = String::from_utf8_lossy(&site.run(&["check"]).stderr).to_string();
    assert_eq!(stderr.matches(&format!("┌─ {unlock}")).count(), 3, "{stderr}");
    assert_eq!(stderr.matches("included here").count(), 3, "{stderr}");
    assert!(stderr.contains("暗証番号を 3 回まちがえると、[](step:unlock) が必要です。"), "{stderr}");
}

const MKDOCS_YML: &str = "site_name: 社内マニュアル\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - ホーム: index.md\n  - はじめに: intro.md\n  - ユーザーガイド:\n      - 設定: user/settings.md\n      - user/install.md\n  - 付録: appendix.md\n";

#[test]
fn mkdocs_nav_orders_the_pages_and_titles_their_folders() {
    let config = "languages = [\"ja\"]\n[pdf]\nenabled = false\n";
    let files = [
        ("tejun.toml", config),
        ("mkdocs.yml", MKDOCS_YML),
        ("content/index.md", "# 社内マニュアル\n\nようこそ。\n"),
        ("content/intro.md", "# はじめに\n\n本文。\n"),
        ("content/user/install.md", "# インストール\n\n本文。\n"),
        ("content/user/settings.md", "# 設定\n\n本文。\n"),
        ("content/appendix.md", "# 付録\n\n本文。\n"),
        ("content/about.md", "# このサイトについて\n\nnav にないページ。\n"),
    ];
    let site = Site::new(&files);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let contents = texts(&site.html("ja/user/install.html"), ".toc a, .toc span");
    assert_eq!(contents, ["はじめに", "ユーザーガイド", "設定", "インストール", "付録", "このサイトについて"]);
    assert_links_resolve(&site.public());

    // YAML that cannot be read orders nothing, with a warning at its place.
    let broken = MKDOCS_YML.replace("  - 付録: appendix.md\n", "  - 付録: [appendix.md\n");
    site.write("mkdocs.yml", &broken);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid-mkdocs-nav") && stderr.contains("mkdocs.yml:"), "{stderr}");
    let contents = texts(&site.html("ja/user/install.html"), ".toc a, .toc span");
    assert_eq!(contents, ["このサイトについて", "付録", "はじめに", "User", "インストール", "設定"]);
}

#[test]
fn heading_links_written_with_other_tools_ids_find_their_heading() {
    let target = "# 管理画面\n\n## 「管理者メニュー」画面で操作する\n\n本文。\n\n## Debugging Pods\n\n本文。\n\n## Set up\n\n本文。\n\n## Setup\n\n本文。\n\n## Pods\n\n本文。\n";
    let linking = "# リンク\n\n\
        [VitePress](admin.md#「管理者メニュー」画面で操作する)、\
        [符号化](admin.md#%E3%80%8C%E7%AE%A1%E7%90%86%E8%80%85%E3%83%A1%E3%83%8B%E3%83%A5%E3%83%BC%E3%80%8D%E7%94%BB%E9%9D%A2%E3%81%A7%E6%93%8D%E4%BD%9C%E3%81%99%E3%82%8B)、\
        [MkDocs](admin.md#debugging_pods)、[あいまい](admin.md#set_up)、\
        [Confluence](admin.md#Kanri-gamen-DebuggingPods)、[Confluence](#リンク-本文（本文）)、[改名](admin.md#old-pods)\n\n\
        ## 本文（本文）\n";
    let site = html_site("ja", "ホーム", &[("content/admin.md", target), ("content/links.md", linking)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let html = site.html("ja/links.html");
    assert_eq!(
        attr(&html, "main p a", "href"),
        [
            "admin.html#管理者メニュー画面で操作する",
            "admin.html#管理者メニュー画面で操作する",
            "admin.html#debugging-pods",
            "admin.html#set_up",
            "admin.html#debugging-pods",
            "#本文本文",
            "admin.html#old-pods",
        ]
    );
    // Two headings are `set up` but for punctuation: the link is not guessed; nor is
    // a heading renamed (`pods` is not what `#old-pods` was).
    assert!(stderr.contains("broken-fragment") && stderr.contains("`#set_up`"), "{stderr}");
    assert!(stderr.contains("`#old-pods`"), "{stderr}");
    assert_eq!(stderr.matches("warning[broken-fragment]").count(), 2, "{stderr}");
}

/// A page as Pandoc writes a Word document and as Quarto writes notes: fenced
/// divs with attributes, callouts titled by a heading, Word's underlines.
const PANDOC_JA: &str = r#"# Word から来た手順

::: {custom-style="Body Text"}
本文のスタイルの段落です。
:::

::: {.callout-note}
## 注意事項
Quarto の注記です。
:::

::: {.callout-warning title="停止に注意"}
作業中はサーバーが止まります。
:::

::: {.callout-caution collapse="true"}
元に戻せません。
:::

::: {#intro .lead}
導入文です。
:::

::: {custom-style="注意"}
Word の「注意」スタイルです。
:::

::: {.note}
Pandoc の div です。
:::

「[保存]{.underline}」を押し、[省略可]{.smallcaps}の欄は空けます。`[そのまま]{.underline}`

## []{#_Toc1234 .anchor}付録

[付録へ](#_Toc1234)
"#;

#[test]
fn pandoc_divs_and_quarto_callouts_are_alerts_and_word_underlines_stay_underlined() {
    let site = html_site("ja", "ホーム", &[("content/word.md", PANDOC_JA)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    let html = site.html("ja/word.html");
    let alerts = alerts(&html);
    assert_eq!(
        alerts,
        [
            // The heading is a word for a note: the label, once.
            ("alert alert-note".to_string(), "注意事項 Quarto の注記です。".to_string()),
            ("alert alert-warning".to_string(), "警告 停止に注意 作業中はサーバーが止まります。".to_string()),
            ("alert alert-caution".to_string(), "注意 元に戻せません。".to_string()),
            // A Word style's own word labels its note: 注意 is not 警告.
            ("alert alert-warning".to_string(), "注意 Word の「注意」スタイルです。".to_string()),
            ("alert alert-note".to_string(), "注記 Pandoc の div です。".to_string()),
        ]
    );
    // `collapse="true"` folds the callout under its kind, as Quarto shows it.
    assert_eq!(texts(&html, "main .alert-caution > details.alert-fold:not([open]) > summary"), ["注意"]);
    assert_eq!(texts(&html, "main .alert-caution > details > p"), ["元に戻せません。"]);
    // The heading is the callout's title, not a section; plain divs are their text.
    assert_eq!(texts(&html, "main h2"), ["付録"]);
    // Word's bookmark is an anchor the cross-reference to it goes to.
    assert_eq!(attr(&html, "main h2 span[id]", "id"), ["_Toc1234"]);
    assert_eq!(attr(&html, "main section p a", "href"), ["#_Toc1234"]);
    let paragraphs = texts(&html, "main .intro > p");
    assert_eq!(paragraphs[..2], ["本文のスタイルの段落です。", "導入文です。"]);
    assert_eq!(texts(&html, "main p u"), ["保存"]);
    assert!(paragraphs[2].starts_with("「保存」を押し、省略可の欄は空けます。"), "{paragraphs:?}");
    assert_eq!(texts(&html, "main p code"), ["[そのまま]{.underline}"]);
}

/// Notes as Japanese Word manuals type them, as Pandoc brings them over: the note's
/// word in 【】 at a paragraph's start, alone over a list, in bold in a list item,
/// in a box (a table of one cell), and in a paragraph of Word's 注意 style.
const WORD_NOTES_JA: &str = r#"# 振込データの作成

【注意】振込データは当日 15 時までに承認してください。

1.  「振込データ作成」を選択します。

    **【重要】** 受取人の口座番号を必ず確認してください。

2.  **確定** をクリックします。

| 【警告】 画面右上の「×」で閉じないでください。ログアウトされずに残ります。 |
|---|

【参考】

- 手数料は別表のとおりです。
- 土日は翌営業日の扱いです。

::: {custom-style="注意"}
【注意】取消は当日中のみです。
:::

【お知らせ】の欄は読むだけです。
"#;

#[test]
fn notes_typed_as_word_manuals_type_them_are_alerts_labelled_with_the_writer_s_word() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/transfer.md", WORD_NOTES_JA),
    ]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    let html = site.html("ja/transfer.html");
    let alert = |class: &str, text: &str| (format!("alert alert-{class}"), text.to_string());
    assert_eq!(
        alerts(&html),
        [
            alert("warning", "注意 振込データは当日 15 時までに承認してください。"),
            alert("important", "重要 受取人の口座番号を必ず確認してください。"),
            alert("warning", "警告 画面右上の「×」で閉じないでください。ログアウトされずに残ります。"),
            alert("note", "参考 手数料は別表のとおりです。 土日は翌営業日の扱いです。"),
            alert("warning", "注意 取消は当日中のみです。"),
        ]
    );
    // The writer's word is the label, once: not repeated in bold, nor 【】 left.
    assert_eq!(texts(&html, "main .alert-title"), ["注意", "重要", "警告", "参考", "注意"]);
    assert!(select(&html, "main .alert strong").is_empty());
    assert!(!texts(&html, "main .alert").concat().contains('【'));
    // The box is the note, not a table; the list stays in its note; the important
    // note stays in its list item.
    assert!(select(&html, "main table").is_empty());
    assert_eq!(select(&html, "main .alert-note li").len(), 2);
    assert_eq!(select(&html, "main ol > li .alert-important").len(), 1);
    // A word in 【】 that names no note is text.
    assert!(texts(&html, "main p").contains(&"【お知らせ】の欄は読むだけです。".to_string()));
    // On paper each note is an alert box labelled with the same word.
    let printed: String = pdf_text(&site.public().join("ja/transfer.pdf")).split_whitespace().collect();
    for words in [
        "注意振込データは当日15時までに承認してください。",
        "警告画面右上の「×」で閉じないでください。",
        "参考•手数料は別表",
    ] {
        assert!(printed.contains(words), "`{words}` is not printed: {printed}");
    }
    assert!(!printed.contains("【注意】"), "{printed}");
}

/// Superscripts and subscripts as `pandoc -t markdown` writes Word's, among text
/// that only looks like them: times and ranges written with `~`, a power with a
/// space, GitHub's struck-through words.
const PANDOC_SCRIPTS_JA: &str = r#"+++
title = "振込手数料"
+++

床面積 25 m^2^ の店舗では、手数料^※1^ がかかります。水は H~2~O です。

受付は 9:00~17:00、土曜は 10:00~15:00 です。2^10 と 2^20 は 2 のべき乗です。^_^

~~旧手数料~~ と ~取り消し~ は消した語です。`x^2^` はコードです。

+++
id = "check-co2"
title = "CO~2~ 排出量を確認します"
+++

画面の値（t-CO~2~）を控えます。
"#;

#[test]
fn pandoc_superscripts_and_subscripts_are_sup_and_sub_and_look_alikes_stay_text() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/fees.md", PANDOC_SCRIPTS_JA),
    ]);
    built(&site);
    let html = site.html("ja/fees.html");
    assert_eq!(texts(&html, "main .intro sup"), ["2", "※1"]);
    assert_eq!(texts(&html, "main .intro sub"), ["2"]);
    let paragraphs = texts(&html, "main .intro > p");
    assert_eq!(
        paragraphs[1], "受付は 9:00~17:00、土曜は 10:00~15:00 です。2^10 と 2^20 は 2 のべき乗です。^_^",
        "as written"
    );
    assert_eq!(texts(&html, "main .intro del"), ["旧手数料", "取り消し"], "struck through as on GitHub");
    assert_eq!(texts(&html, "main .intro code"), ["x^2^"]);
    assert_eq!(texts(&html, "main .step-title sub"), ["2"], "in a step's title");
    assert_eq!(texts(&html, "main .step sub"), ["2", "2"], "and in its text");
    // On paper as on screen: the marks are gone, the words run on.
    let printed: String = pdf_text(&site.public().join("ja/fees.pdf")).split_whitespace().collect();
    for words in ["25m2の店舗では、手数料※1がかかります。水はH2Oです。", "CO2排出量を確認します", "（t-CO2）"]
    {
        assert!(printed.contains(words), "`{words}` in {printed}");
    }
    assert!(printed.contains("9:00~17:00") && !printed.contains("m^2^"), "{printed}");
    // A note's mark the font has no superscript glyphs for is raised all the same.
    let boxes = poppler("pdftotext", &["-bbox", "-f", "2", "-l", "2"], &site.public().join("ja/fees.pdf"));
    let bottom = |word: &str| -> f64 {
        let line = boxes.lines().find(|line| line.ends_with(&format!(">{word}</word>"))).expect(word);
        let at = line.find("yMax=\"").expect("yMax") + 6;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(bottom("※1") < bottom("の店舗では、手数料") - 2.0, "{boxes}");
}

/// What `pandoc -t markdown` (2.17) makes of a Confluence page saved as HTML: the
/// page in plain divs around every heading, the information macros as divs of their
/// classes, the icons as empty spans whose attributes Pandoc wrapped onto the next
/// line, `::: confluence-information-macro-body` (one class, no braces), a table
/// without a header in a `::: table-wrap`, a code macro's language in its
/// attributes, a picture in a span, an expand macro.
const CONFLUENCE_PANDOC_JA: &str = r#"::: {#page}
::: {#main .aui-page-panel}
::: {#main-header}
# [業務マニュアル : 振込データの承認]{#title-text} {#title-heading .pagetitle}
:::

::: {#content .view}
::: {#main-content .wiki-content .group}
## 準備 {#id-振込データの承認-準備}

::: {.confluence-information-macro .confluence-information-macro-information}
[]{.aui-icon .aui-icon-small .aui-iconfont-info
.confluence-information-macro-icon}

::: confluence-information-macro-body
承認には**承認者**の権限が必要です。
:::
:::

::: table-wrap
  ---------- ------------
  項目       内容
  承認期限   当日 15 時
  ---------- ------------
:::

## 手順 {#id-振込データの承認-手順}

1.  「承認待ち一覧」を開きます。
2.  振込データを選び、**承認**をクリックします。

::: {.confluence-information-macro .confluence-information-macro-note}
[]{.aui-icon .aui-icon-small .aui-iconfont-warning
.confluence-information-macro-icon}

::: confluence-information-macro-body
承認した後は取り消せません。
:::
:::

::: {.confluence-information-macro .confluence-information-macro-tip}
[]{.aui-icon .aui-icon-small .aui-iconfont-approve
.confluence-information-macro-icon}

::: confluence-information-macro-body
一覧は[準備](#id-振込データの承認-準備)で絞り込めます。
:::
:::

::: {.confluence-information-macro .confluence-information-macro-warning}
[]{.aui-icon .aui-icon-small .aui-iconfont-error
.confluence-information-macro-icon}

::: confluence-information-macro-body
期限を過ぎたデータは承認できません。
:::
:::

## 確認 {#id-振込データの承認-確認}

::: {.code .panel .pdl style="border-width: 1px;"}
::: {.codeContent .panelContent .pdl}
``` {.syntaxhighlighter-pre syntaxhighlighter-params="brush: bash; gutter: false; theme: Confluence" theme="Confluence"}
curl -fsS https://www.example.co.jp/status
```
:::
:::

[![承認済み一覧](attachments/65538/65539.png){.confluence-embedded-image
image-src="attachments/65538/65539.png"}]{.confluence-embedded-file-wrapper}

状態: [完了]{.status-macro .aui-lozenge .aui-lozenge-success}

::: {#expander-1234 .expand-container}
::: {#expander-control-1234 .expand-control}
[ ]{.expand-control-icon
.icon}[承認できないときは]{.expand-control-text}
:::

::: {#expander-content-1234 .expand-content}
承認者の権限を管理者に確認します。
:::
:::
:::
:::
:::
:::
"#;

/// The same page as `pandoc -t gfm` writes it: the divs as raw HTML, each tag a
/// block of its own, and no heading ids (GitHub makes its own).
const CONFLUENCE_GFM_JA: &str = r#"<div id="page">

<div id="main" class="aui-page-panel">

<div id="main-header">

# <span id="title-text">業務マニュアル : 振込データの承認</span>

</div>

<div id="content" class="view">

<div id="main-content" class="wiki-content group">

## 準備

<div
class="confluence-information-macro confluence-information-macro-information">

<span
class="aui-icon aui-icon-small aui-iconfont-info confluence-information-macro-icon"></span>

<div class="confluence-information-macro-body">

承認には**承認者**の権限が必要です。

</div>

</div>

<div class="table-wrap">

|          |            |
|----------|------------|
| 項目     | 内容       |
| 承認期限 | 当日 15 時 |

</div>

## 手順

1.  「承認待ち一覧」を開きます。
2.  振込データを選び、**承認**をクリックします。

<div
class="confluence-information-macro confluence-information-macro-note">

<span
class="aui-icon aui-icon-small aui-iconfont-warning confluence-information-macro-icon"></span>

<div class="confluence-information-macro-body">

承認した後は取り消せません。

</div>

</div>

<div
class="confluence-information-macro confluence-information-macro-tip">

<span
class="aui-icon aui-icon-small aui-iconfont-approve confluence-information-macro-icon"></span>

<div class="confluence-information-macro-body">

一覧は[準備](#id-振込データの承認-準備)で絞り込めます。

</div>

</div>

<div
class="confluence-information-macro confluence-information-macro-warning">

<span
class="aui-icon aui-icon-small aui-iconfont-error confluence-information-macro-icon"></span>

<div class="confluence-information-macro-body">

期限を過ぎたデータは承認できません。

</div>

</div>

## 確認

<div class="code panel pdl" style="border-width: 1px;">

<div class="codeContent panelContent pdl">

``` syntaxhighlighter-pre
curl -fsS https://www.example.co.jp/status
```

</div>

</div>

<span
class="confluence-embedded-file-wrapper"><img src="attachments/65538/65539.png" class="confluence-embedded-image"
data-image-src="attachments/65538/65539.png" alt="承認済み一覧" /></span>

状態: <span
class="status-macro aui-lozenge aui-lozenge-success">完了</span>

<div id="expander-1234" class="expand-container">

<div id="expander-control-1234" class="expand-control">

<span class="expand-control-icon icon"> </span><span
class="expand-control-text">承認できないときは</span>

</div>

<div id="expander-content-1234" class="expand-content">

承認者の権限を管理者に確認します。

</div>

</div>

</div>

</div>

</div>

</div>
"#;

#[test]
fn a_confluence_page_through_pandoc_builds_with_its_macros_as_alerts() {
    let site = html_site(
        "ja",
        "ホーム",
        &[("content/markdown.md", CONFLUENCE_PANDOC_JA), ("content/gfm.md", CONFLUENCE_GFM_JA)],
    );
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(40, 20, image::Rgb([128, 128, 128]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    std::fs::create_dir_all(site.root().join("content/attachments/65538")).unwrap();
    std::fs::write(site.root().join("content/attachments/65538/65539.png"), png.into_inner()).unwrap();
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("error"), "{stderr}");
    // GitHub's Markdown keeps no heading ids, and the link to Confluence's
    // (`#id-振込データの承認-準備`) finds the heading by its text.
    assert_eq!(stderr.matches("warning[").count(), 0, "{stderr}");
    assert_eq!(attr(&site.html("ja/gfm.html"), "main .alert a", "href"), ["#準備"]);
    assert_eq!(attr(&site.html("ja/gfm.html"), "main section", "id")[0], "準備");
    for page in ["ja/markdown.html", "ja/gfm.html"] {
        let html = site.html(page);
        assert_eq!(texts(&html, "main h1"), ["業務マニュアル : 振込データの承認"], "{page}");
        assert_eq!(texts(&html, "main h2.section-title"), ["準備", "手順", "確認"], "{page}");
        let alerts = alerts(&html);
        // By the macros' colours: Info blue, Note yellow, Tip green, Warning red.
        assert_eq!(
            alerts,
            [
                ("alert alert-note".to_string(), "注記 承認には承認者の権限が必要です。".to_string()),
                ("alert alert-warning".to_string(), "警告 承認した後は取り消せません。".to_string()),
                ("alert alert-tip".to_string(), "ヒント 一覧は準備で絞り込めます。".to_string()),
                ("alert alert-caution".to_string(), "注意 期限を過ぎたデータは承認できません。".to_string()),
            ],
            "{page}"
        );
        assert_eq!(texts(&html, "main td"), ["項目", "内容", "承認期限", "当日 15 時"], "{page}");
        assert!(select(&html, "main thead").is_empty(), "{page}: a table without a header has no empty header row");
        assert!(select(&html, "main .aui-icon").is_empty(), "{page}: no icons left");
        // The expand macro folds its content under its control's text.
        assert_eq!(texts(&html, "main details > summary"), ["承認できないときは"], "{page}");
        assert_eq!(texts(&html, "main details > p"), ["承認者の権限を管理者に確認します。"], "{page}");
        let words = common::text(&select(&html, "main")[0]);
        assert!(!words.contains(":::") && !words.contains("]{") && !words.contains("aui-icon"), "{page}: {words}");
    }
    let html = site.html("ja/markdown.html");
    // The code macro's brush, and the picture a figure (the span around it gone).
    assert_eq!(texts(&html, "main pre code.language-bash"), ["curl -fsS https://www.example.co.jp/status"]);
    assert_eq!(attr(&html, "main figure img", "src"), ["../assets/attachments/65538/65539.png"]);
    assert_eq!(texts(&html, "main figcaption"), ["図 1 承認済み一覧"]);
    assert!(texts(&html, "main p").iter().any(|p| p == "状態: 完了"));
    assert_eq!(attr(&html, "main .alert a", "href"), ["#id-振込データの承認-準備"]);
    assert_eq!(attr(&html, "main section", "id")[0], "id-振込データの承認-準備");
}

#[test]
fn pandoc_divs_of_one_class_show_their_content_and_a_misspelt_note_kind_is_a_warning() {
    let page =
        "# 手順\n\n::: section\n本文です。\n:::\n\n::: tpi\n打ち間違い。\n:::\n\n::: information\n情報です。\n:::\n";
    let site = html_site("ja", "ホーム", &[("content/divs.md", page)]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
    assert!(stderr.contains("warning[unknown-note-kind]: `tpi` is no kind of note tejun knows"), "{stderr}");
    assert!(stderr.contains("content/divs.md:7:5") && stderr.contains("did you mean `:::tip`?"), "{stderr}");
    let html = site.html("ja/divs.html");
    assert_eq!(texts(&html, "main .intro > p"), ["本文です。", "打ち間違い。"]);
    assert_eq!(texts(&html, "main .alert.alert-note p:not(.alert-title)"), ["情報です。"]);
}

/// What `pandoc -t markdown` (2.17) makes of a Word document with two tables: a
/// multiline table and a grid table with a list in a cell; and a simple table, and
/// a grid table shown as code, as a page about Pandoc would have it.
const PANDOC_TABLES_JA: &str = r#"# 証明書の更新手順

## 準備

1.  管理者でログインします。
2.  「設定」メニューを開きます。

  -----------------------------------------------------------------------
  項目                    説明                    既定値
  ----------------------- ----------------------- -----------------------
  ホスト名                接続先のサーバー名      proxy.example.co.jp

  ポート                  接続先のポート番号      8080
  -----------------------------------------------------------------------

## 手順

以下の表に従って入力します。

+---------------------+------------------------------------------------+
| 欄                  | 入力する内容                                   |
+=====================+================================================+
| 利用者ID            | 半角英数字で入力します。                       |
|                     |                                                |
|                     | -   8文字以上                                  |
|                     | -   記号は使えません                           |
+---------------------+------------------------------------------------+
| パスワード          | 大文字と小文字を区別します。                   |
+---------------------+------------------------------------------------+

注意: **保存**を押すまで反映されません。

  右寄せ     左寄せ
  --------  --------
        12  十二
       123  百二十三

```text
+---+---+
| a | b |
+---+---+
```
"#;

#[test]
fn tables_pandoc_writes_for_word_documents_are_tables_on_screen_and_on_paper() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/word.md", PANDOC_TABLES_JA),
    ]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let html = site.html("ja/word.html");
    let rows = |table: &scraper::ElementRef| -> Vec<Vec<String>> {
        let row = scraper::Selector::parse("tr").unwrap();
        let cell = scraper::Selector::parse("th, td").unwrap();
        table.select(&row).map(|tr| tr.select(&cell).map(|c| common::text(&c)).collect()).collect()
    };
    let tables: Vec<Vec<Vec<String>>> = select(&html, "main table").iter().map(rows).collect();
    let strings = |rows: &[&[&str]]| -> Vec<Vec<String>> {
        rows.iter().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
    };
    assert_eq!(
        tables,
        [
            strings(&[
                &["項目", "説明", "既定値"],
                &["ホスト名", "接続先のサーバー名", "proxy.example.co.jp"],
                &["ポート", "接続先のポート番号", "8080"],
            ]),
            strings(&[
                &["欄", "入力する内容"],
                &["利用者ID", "半角英数字で入力します。- 8文字以上- 記号は使えません"],
                &["パスワード", "大文字と小文字を区別します。"],
            ]),
            strings(&[&["右寄せ", "左寄せ"], &["12", "十二"], &["123", "百二十三"]]),
        ]
    );
    // The list in the cell is on lines of its own; the table before is no heading.
    assert_eq!(select(&html, "main table td br").len(), 2);
    assert_eq!(texts(&html, "main h2"), ["準備", "手順"]);
    let code: Vec<String> = select(&html, "main pre").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["+---+---+\n| a | b |\n+---+---+\n"]);
    let printed = pdf_text(&site.public().join("ja/word.pdf"));
    assert!(printed.contains("接続先のサーバー名") && printed.contains("百二十三"), "{printed}");
    assert!(!printed.contains("-----") && !printed.contains("+==="), "{printed}");
}

/// What `pandoc -t markdown --extract-media=.` (2.17) makes of a Word document
/// with a lettered sub-list, a footnote, an underline and a picture (its size in an
/// attribute list Pandoc wraps over two lines).
const PANDOC_WORD_JA: &str = r#"# ログイン手順

## 概要

本書では、**管理画面**へのログイン方法を説明します[^1]。

## 手順

1.  ブラウザーを起動します。
2.  アドレスバーに URL を入力します。
    a.  社内ネットワークの場合は `https://intra.example.co.jp`
    b.  社外の場合は VPN に接続してから入力します
3.  ログイン画面が表示されます。

![ログイン画面](./media/rId22.png){width="0.5555555555555556in"
height="0.2777777777777778in"}

ログイン画面

[下線付きの注意]{.underline}：パスワードは定期的に変更してください。

行1\
行2

[^1]: 管理者権限が必要です。
"#;

/// Lines a Japanese writer starts with marks, one under the other.
const MARKED_LINES_JA: &str = r#"# 手書きの箇条

手順は次のとおりです。
(1) 電源を入れます。
(2) ログインします。

注意事項：
・パスワードを他人に教えないでください。
・離席時は画面をロックしてください。
※ 詳しくは管理者に問い合わせてください。

① 申請書を書く
② 上長の承認を得る
（注）承認には数日かかります。

作業の流れ：
1．申請書を出す
2．承認を待つ
"#;

/// Items typed with Japanese input on, a full-width space after the marker: a list,
/// as the writer meant (they ran on as one paragraph), sub-steps in a step; in code
/// they stay as typed.
const FULL_WIDTH_ITEMS_JA: &str = "+++\ntitle = \"設定\"\n+++\n\n## 設定する\n\n\
+++\nid = \"open\"\ntitle = \"設定を開きます\"\n+++\n\n\
1.　メニューを開きます。\n2.　「設定」をクリックします。\n\n\
-　自動で保存されます。\n-　元に戻せます。\n\n\
```text\n1.　コードの中\n```\n";

#[test]
fn items_typed_with_a_full_width_space_after_the_marker_are_lists() {
    let site = html_site("ja", "ホーム", &[("content/settings.md", FULL_WIDTH_ITEMS_JA)]);
    built(&site);
    let html = site.html("ja/settings.html");
    assert_eq!(texts(&html, "#step-open ol.substeps .substep-marker"), ["①", "②"]);
    assert_eq!(
        texts(&html, "#step-open ol.substeps .substep-body"),
        ["メニューを開きます。", "「設定」をクリックします。"]
    );
    assert_eq!(texts(&html, "#step-open ul > li"), ["自動で保存されます。", "元に戻せます。"]);
    let code: Vec<String> = select(&html, "#step-open pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(code, ["1.\u{3000}コードの中\n"]);
}

#[test]
fn word_pictures_are_figures_and_lines_starting_with_marks_stay_lines() {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(40, 20, image::Rgb([128, 128, 128]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/word.md", PANDOC_WORD_JA),
        ("content/marks.md", MARKED_LINES_JA),
    ]);
    std::fs::create_dir_all(site.root().join("content/media")).unwrap();
    std::fs::write(site.root().join("content/media/rId22.png"), png.into_inner()).unwrap();
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let word = site.html("ja/word.html");
    assert_eq!(texts(&word, "main figure figcaption"), ["図 1 ログイン画面"]);
    assert!(!select(&word, "main").iter().map(common::text).any(|t| t.contains("width=")));
    // Pandoc's lettered items, each on its line of the step they belong to.
    assert_eq!(select(&word, "main ol > li:nth-child(2) br").len(), 2);
    let marks = site.html("ja/marks.html");
    let lines = |html: &scraper::Html| -> Vec<usize> {
        select(html, "main .intro > p")
            .iter()
            .map(|p| p.select(&scraper::Selector::parse("br").unwrap()).count())
            .collect()
    };
    assert_eq!(lines(&marks), [2, 3, 2, 2]);
    let printed = pdf_text(&site.public().join("ja/marks.pdf"));
    let printed_lines: Vec<&str> = printed.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for line in ["(1) 電源を入れます。", "・パスワードを他人に教えないでください。", "② 上長の承認を得る"]
    {
        assert!(printed_lines.contains(&line), "{line}: {printed}");
    }
}

/// What `pandoc -t gfm` (2.17) makes of the same Word document: a pipe table, and
/// an HTML table for the one with a list in a cell; and a table with a cell that
/// spans two columns, which stays HTML.
const PANDOC_GFM_JA: &str = r#"# 証明書の更新手順

## 準備

1.  管理者でログインします。
2.  「設定」メニューを開きます。

| 項目     | 説明               | 既定値              |
|----------|--------------------|---------------------|
| ホスト名 | 接続先のサーバー名 | proxy.example.co.jp |
| ポート   | 接続先のポート番号 | 8080                |

## 手順

以下の表に従って入力します。

<table>
<colgroup>
<col style="width: 30%" />
<col style="width: 69%" />
</colgroup>
<thead>
<tr class="header">
<th>欄</th>
<th>入力する内容</th>
</tr>
</thead>
<tbody>
<tr class="odd">
<td>利用者ID</td>
<td><p>半角英数字で入力します。</p>
<ul>
<li>8文字以上</li>
<li>記号は使えません</li>
</ul></td>
</tr>
<tr class="even">
<td>パスワード</td>
<td>大文字と小文字を区別します。</td>
</tr>
</tbody>
</table>

注意: **保存**を押すまで反映されません。

<table>
<tr><th colspan="2">結合したセル</th></tr>
<tr><td>a</td><td>b</td></tr>
</table>
"#;

#[test]
fn html_tables_print_as_tables_and_one_with_merged_cells_stays_html_on_screen() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/word.md", PANDOC_GFM_JA),
    ]);
    built(&site);
    let html = site.html("ja/word.html");
    let tables = select(&html, "main table");
    assert_eq!(tables.len(), 3);
    let th = scraper::Selector::parse("th").unwrap();
    assert_eq!(tables[0].select(&th).map(|c| common::text(&c)).collect::<Vec<_>>(), ["項目", "説明", "既定値"]);
    let (row, cell) = (scraper::Selector::parse("tr").unwrap(), scraper::Selector::parse("th, td").unwrap());
    let rows: Vec<Vec<String>> =
        tables[1].select(&row).map(|tr| tr.select(&cell).map(|c| common::text(&c)).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["欄", "入力する内容"],
            vec!["利用者ID", "半角英数字で入力します。・8文字以上・記号は使えません"],
            vec!["パスワード", "大文字と小文字を区別します。"],
        ]
    );
    assert_eq!(tables[1].select(&scraper::Selector::parse("td br").unwrap()).count(), 2);
    assert_eq!(select(&html, "main .table-wrap").len(), 3, "in tejun's wrapper, the raw one with merged cells too");
    assert_eq!(attr(&html, "main table th[colspan]", "colspan"), ["2"], "the spanning cell stays");
    // On paper the Word table is a table: each row's cells side by side.
    let printed = poppler("pdftotext", &["-layout"], &site.public().join("ja/word.pdf"));
    let row = printed.lines().find(|line| line.contains("利用者 ID")).unwrap_or_else(|| panic!("{printed}"));
    assert!(row.contains("半角英数字で入力します。"), "{row:?}");
}

/// A Notion export: each page's file beside the folder of its sub-pages, named
/// with an id, linked percent-encoded.
#[test]
fn a_page_beside_a_folder_of_its_name_is_that_folders_chapter_listed_once() {
    let top = "# 社内手順\n\n- [ログイン](%E7%A4%BE%E5%86%85%E6%89%8B%E9%A0%86%208f2a1c/%E3%83%AD%E3%82%B0%E3%82%A4%E3%83%B3%2077ab12.md)\n";
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/社内手順 8f2a1c.md", top),
            ("content/社内手順 8f2a1c/ログイン 77ab12.md", "# ログイン\n\n本文。\n"),
            ("content/社内手順 8f2a1c/ログイン 77ab12/詳細 99cd00.md", "# 詳細\n\n本文。\n"),
            ("content/社内手順 8f2a1c/ログアウト 12ef34.md", "# ログアウト\n\n本文。\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    let html = site.html("ja/社内手順 8f2a1c/ログイン 77ab12/詳細 99cd00.html");
    assert_eq!(texts(&html, ".toc a"), ["社内手順", "ログアウト", "ログイン", "詳細"]);
    assert_eq!(texts(&html, ".toc > ul > li.toc-chapter > a"), ["社内手順"]);
    assert_eq!(texts(&html, ".pagenav-previous .pagenav-title"), ["ログイン"]);
    assert_links_resolve(&site.public());
}

#[test]
fn a_docusaurus_page_named_after_its_folder_introduces_it() {
    let site = html_site(
        "ja",
        "ホーム",
        &[
            ("content/start.md", "# はじめに\n\n[チュートリアル](tutorial/tutorial.md) から読みます。\n"),
            ("content/tutorial/tutorial.md", "---\ntitle: チュートリアル\n---\n\n概要。\n"),
            ("content/tutorial/basics.md", "# 基本\n\n本文。\n"),
        ],
    );
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(site.public().join("ja/tutorial/index.html").is_file());
    assert!(!site.public().join("ja/tutorial/tutorial.html").exists());
    let start = site.html("ja/start.html");
    assert_eq!(attr(&start, "main p a", "href"), ["tutorial/index.html"]);
    assert_eq!(texts(&start, ".toc li.toc-chapter > a"), ["チュートリアル"]);
    assert_links_resolve(&site.public());
}

/// Google Docs' Markdown export: headings in bold, ASCII punctuation escaped, and every
/// picture written into the page as a `data:` URL, most as reference definitions at
/// the end. The pictures are published as files, placed in the PDF, sized in the
/// HTML; the title is the heading's text.
#[test]
fn a_google_docs_export_keeps_its_pictures_and_its_title_reads_without_markup() {
    let screen = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACgAAAAUCAIAAABwJOjsAAAAJElEQVR4nGM4o6Q0IIhh1OJRi0ctHrV41OJRi0ctHrV45FgMAJxAUi7vNQYmAAAAAElFTkSuQmCC";
    let icon = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAwAAAAMCAIAAADZF8uwAAAAE0lEQVR4nGM4o6REEDGMKhqMigAXJ5kBDInYzQAAAABJRU5ErkJggg==";
    let page = format!(
        "# **振込の手順**\n\nログイン後、メニューから「振込」を選びます\\.\n\n![][image1]\n\n\
         1\\. 振込先を選び、![][image2] をクリックします\\.\n\n![振込画面](<{screen}>)\n\n\
         [image1]: <{screen}>\n\n[image2]: <{icon}>\n"
    );
    let config = "languages = [\"ja\"]\n";
    let home = "+++\ntitle = \"ホーム\"\n+++\n";
    let site = Site::new(&[("tejun.toml", config), ("content/_index.md", home), ("content/transfer.md", &page)]);
    built(&site);
    let html = site.html("ja/transfer.html");
    assert_eq!(texts(&html, "h1"), ["振込の手順"]);
    assert!(texts(&html, ".toc a, .toc span").iter().any(|t| t == "振込の手順"), "{:?}", texts(&html, ".toc a"));
    // One file for the picture used twice, one for the icon, each at its size.
    let sources = attr(&html, "figure img", "src");
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0], sources[1]);
    assert!(sources[0].starts_with("../assets/embedded/") && sources[0].ends_with(".png"), "{sources:?}");
    assert_eq!(
        (attr(&html, "figure img", "width"), attr(&html, "figure img", "height")),
        (vec!["40".to_string(); 2], vec!["20".to_string(); 2])
    );
    let icons = attr(&html, "p img", "src");
    assert_eq!(icons.len(), 1);
    let file = |src: &str| site.public().join("ja").join(src);
    assert_eq!(imagesize::size(file(&sources[0])).map(|s| (s.width, s.height)).ok(), Some((40, 20)));
    assert_eq!(imagesize::size(file(&icons[0])).map(|s| (s.width, s.height)).ok(), Some((12, 12)));
    assert_eq!(std::fs::read_dir(site.public().join("assets/embedded")).unwrap().count(), 2);
    let written = std::fs::read_to_string(site.public().join("ja/transfer.html")).unwrap();
    assert!(!written.contains("base64"), "the pages link the pictures' files");
    assert_links_resolve(&site.public());
    // The PDF places the pictures, not their URLs.
    let pdf = site.public().join("ja/transfer.pdf");
    let sizes: Vec<(u32, u32)> = pdf_images(&pdf).into_iter().map(|(width, height, _)| (width, height)).collect();
    assert!(sizes.contains(&(40, 20)) && sizes.contains(&(12, 12)), "{sizes:?}");
    assert!(!pdf_text(&pdf).contains("base64"), "{}", pdf_text(&pdf));
}

/// A page brought from several tools, each writing an image's size its own way, and
/// screenshots in a table's cells as Word users put them there.
const SIZED_IMAGES_JA: &str = r#"---
title: 画面の一覧
---

| 画面 | 説明 |
|---|---|
| ![ログイン画面](images/login.png) | ログイン画面です。ここで利用者 ID を入力します。 |

［OK］![OK](images/button.png)を押します。

![確認ダイアログ](images/dialog.png){width=40%}

![ワンタイムパスワード](images/otp.png =250x)

![[certificate.png|200]]

![完了画面](images/complete.png){width="2.5in"
height="1.56in"}

<p align="center">
  <img src="images/menu.png" alt="メニュー" width="50%">
</p>
"#;

#[test]
fn images_show_at_the_size_the_writer_gave_and_screenshots_in_cells_are_not_icons() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/screens.md", SIZED_IMAGES_JA),
    ]);
    for (name, width, height) in [
        ("login", 800, 500),
        ("button", 80, 28),
        ("dialog", 420, 260),
        ("otp", 600, 300),
        ("certificate", 300, 200),
        ("complete", 640, 400),
        ("menu", 500, 250),
    ] {
        std::fs::create_dir_all(site.root().join("content/images")).unwrap();
        std::fs::write(site.root().join(format!("content/images/{name}.png")), plain_png(width, height)).unwrap();
    }
    built(&site);
    let html = site.html("ja/screens.html");
    // In a table's cell a screenshot shows at its size; a button in a line is an icon.
    assert_eq!(attr(&html, "main td img", "class"), ["picture"]);
    assert_eq!(attr(&html, "main p img", "class"), ["icon"]);
    // Each figure as wide as it was asked to be, in the units it was asked in.
    assert_eq!(
        attr(&html, "main figure", "style"),
        ["--width: 40%", "--width: 250px", "--width: 200px", "--width: 63.5mm", "--width: 50%"]
    );
    // Raw HTML's `<img>`, alone in its paragraph, is a figure like the others.
    assert_eq!(
        texts(&html, "main figcaption"),
        ["図 1 確認ダイアログ", "図 2 ワンタイムパスワード", "図 3 certificate", "図 4 完了画面", "図 5 メニュー"]
    );
    assert!(!texts(&html, "main").concat().contains("width"), "no attribute list is left as text");
    // On paper: pixels at 70% of a 96-dpi screen's size, as every screenshot prints,
    // a share of the 168 mm of text an A4 sheet has, inches as inches.
    let printed = pdf_images(&site.public().join("ja/screens.pdf"));
    let width_of = |pixels: (u32, u32)| {
        printed.iter().find(|(w, h, _)| (*w, *h) == pixels).unwrap_or_else(|| panic!("{pixels:?} in {printed:?}")).2
    };
    let screen_mm = |px: f64| px * 25.4 / 96.0 * 0.7;
    for (pixels, expected) in [
        ((420, 260), 0.4 * 168.0),
        ((600, 300), screen_mm(250.0)),
        ((300, 200), screen_mm(200.0)),
        ((640, 400), 63.5),
        ((500, 250), 0.5 * 168.0),
        ((800, 500), screen_mm(800.0).min(168.0 / 2.0)),
    ] {
        let width = width_of(pixels);
        // The screenshot in a cell shares the table with its description: at most half.
        let fits =
            if pixels == (800, 500) { width <= expected && width > 60.0 } else { (width - expected).abs() < 1.0 };
        assert!(fits, "{pixels:?} prints {width:.1} mm wide, not {expected:.1} mm");
    }
    let icon_height = width_of((80, 28)) * 28.0 / 80.0;
    assert!(icon_height < 5.0, "an icon is as tall as the text: {printed:?}");
}

/// A Word document's table as `pandoc -t gfm` writes it when a cell holds a list:
/// raw HTML, a picture sized in `style`, a loose list (each item a `<p>`) with an
/// icon in its text; and a step of an HTML export with pictures in its running text.
const PANDOC_PICTURES_JA: &str = r#"---
title: 証明書の設定
---

<table>
<colgroup>
<col style="width: 40%" />
<col style="width: 60%" />
</colgroup>
<thead>
<tr class="header">
<th>画面</th>
<th>操作</th>
</tr>
</thead>
<tbody>
<tr class="odd">
<td><img src="media/image1.png" style="width:2.5in;height:1.56in" alt="設定画面" /></td>
<td><ol type="1">
<li><p>「設定」 <img src="media/image2.png" style="width:0.2in;height:0.2in" alt="歯車" /> をクリックします。</p></li>
<li><p>「保存」をクリックします。</p></li>
</ol></td>
</tr>
</tbody>
</table>

<p>［更新］<img src="media/image3.png" alt="更新"> を押すと、&ldquo;確認&rdquo;ではなく次の画面&#x304C;表示されます。<br>
<img src="media/image4.png" width="300"></p>
"#;

#[test]
fn pictures_in_raw_html_text_and_tables_print_at_their_size_and_are_reported_where_they_are() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/settings.md", PANDOC_PICTURES_JA),
    ]);
    std::fs::create_dir_all(site.root().join("content/media")).unwrap();
    for (n, width, height) in [(1, 400, 250), (2, 20, 20), (3, 24, 24), (4, 500, 300)] {
        std::fs::write(site.root().join(format!("content/media/image{n}.png")), plain_png(width, height)).unwrap();
    }
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The one picture without alt text is reported at its tag, not elsewhere in the block.
    assert_eq!(stderr.matches("warning[missing-alt]").count(), 1, "{stderr}");
    let at = position("content/settings.md", PANDOC_PICTURES_JA, "<img src=\"media/image4.png\"");
    assert!(stderr.contains(&at), "at {at}: {stderr}");

    let html = site.html("ja/settings.html");
    // A loose list's item is one line: its number, then its paragraph.
    let cell = select(&html, "main td").into_iter().nth(1).expect("the second cell");
    let lines: Vec<String> = cell
        .inner_html()
        .split("<br>")
        .map(|line| {
            let text: String = scraper::Html::parse_fragment(line).root_element().text().collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    assert_eq!(lines, ["1. 「設定」 をクリックします。", "2. 「保存」をクリックします。"]);
    assert_eq!(attr(&html, "main td img", "alt"), ["設定画面", "歯車"]);
    assert_eq!(attr(&html, "main td img", "style"), ["--width: 63.5mm", "--width: 5.08mm"]);
    // The HTML export's paragraph: its text, its icon, and its picture at 300 px.
    let paragraph = select(&html, "main p").into_iter().find(|p| common::text(p).contains("を押すと")).unwrap();
    assert_eq!(common::text(&paragraph), "［更新］ を押すと、“確認”ではなく次の画面が表示されます。");
    assert_eq!(attr(&html, "main p img", "class"), ["icon", "picture sized"]);
    assert_eq!(attr(&html, "main p img.picture", "style"), ["--width: 300px"]);

    // Every picture is printed, each at the size it was given.
    let printed = pdf_images(&site.public().join("ja/settings.pdf"));
    let width_of = |pixels: (u32, u32)| {
        printed.iter().find(|(w, h, _)| (*w, *h) == pixels).unwrap_or_else(|| panic!("{pixels:?} in {printed:?}")).2
    };
    for (pixels, expected) in [((400, 250), 63.5), ((20, 20), 5.08), ((500, 300), 300.0 * 25.4 / 96.0 * 0.7)] {
        let width = width_of(pixels);
        assert!((width - expected).abs() < 1.0, "{pixels:?} prints {width:.1} mm wide, not {expected:.1} mm");
    }
    assert!(width_of((24, 24)) < 5.0, "an icon is as tall as the text: {printed:?}");
    let text = pdf_text(&site.public().join("ja/settings.pdf"));
    assert!(text.contains("1. 「設定」") && text.contains("次の画面が表示されます"), "{text}");
}

/// A Word document's pictures as Pandoc brings them: with Word's caption, Pandoc 3
/// writes a `<figure>` of raw HTML for GitHub; without Word's caption style, the
/// writer's caption is the line typed under the picture, number and all.
const WORD_FIGURES_JA: &str = r#"---
title: ログインの手順
---

ログイン画面を開きます（[](fig:image1)）。

<figure>
<img src="media/image1.png" style="width:5.5in;height:3.4in" alt="テキスト が含まれている画像 自動的に生成された説明" />
<figcaption><p>図 1 ログイン画面</p></figcaption>
</figure>

![](media/image2.png){width="3in"}

図 5 完了画面

図 2 に示すとおり、完了画面が表示されます。
"#;

#[test]
fn word_figures_keep_their_captions_and_tejun_numbers_them() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/login.md", WORD_FIGURES_JA),
    ]);
    std::fs::create_dir_all(site.root().join("content/media")).unwrap();
    std::fs::write(site.root().join("content/media/image1.png"), plain_png(800, 500)).unwrap();
    std::fs::write(site.root().join("content/media/image2.png"), plain_png(600, 300)).unwrap();
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let at = position("content/login.md", WORD_FIGURES_JA, "<img src=\"media/image1.png\"");
    assert!(stderr.contains("the description Word made up") && stderr.contains(&at), "{stderr}");
    let html = site.html("ja/login.html");
    // Word's made-up description is no alt text: the caption stands in for it.
    assert_eq!(attr(&html, "#fig-image1 img", "alt"), ["ログイン画面"]);
    // Word's caption, not its made-up alt text; the writer's number gives way to tejun's.
    assert_eq!(texts(&html, "main figcaption"), ["図 1 ログイン画面", "図 2 完了画面"]);
    assert_eq!(attr(&html, "main figure", "id"), ["fig-image1", "fig-image2"]);
    assert!(texts(&html, "main p").iter().any(|p| p == "ログイン画面を開きます（図 1）。"));
    // The line typed under the picture is its caption, not a paragraph; a sentence stays.
    let paragraphs = texts(&html, "main p");
    assert!(!paragraphs.iter().any(|p| p.starts_with("図 5")), "{paragraphs:?}");
    assert!(paragraphs.iter().any(|p| p.starts_with("図 2 に示すとおり")), "{paragraphs:?}");
    // Both pictures print, numbered, at their size.
    let pdf = site.public().join("ja/login.pdf");
    let printed = pdf_images(&pdf);
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert!((printed[0].2 - 5.5 * 25.4).abs() < 1.0 && (printed[1].2 - 3.0 * 25.4).abs() < 1.0, "{printed:?}");
    let text = pdf_text(&pdf);
    assert!(text.contains("図 1 ログイン画面") && text.contains("図 2 完了画面"), "{text}");
    assert!(!text.contains("自動的に生成"), "{text}");
}

/// Word's bookmarks as Pandoc writes them: empty `<span class="anchor">`s with the
/// bookmark's id, in and before headings, and the links to them.
const WORD_BOOKMARKS_JA: &str = r#"---
title: 利用ガイド
---

<span id="_Toc100" class="anchor"></span>

# はじめに

詳しくは「[設定](#_Ref200)」と[操作手順](#_Toc300)を参照してください。

## <span id="_Ref200" class="anchor"></span>設定

設定します。

## 操作手順<span id="_Toc300" class="anchor"></span>

操作します。[はじめに](#_Toc100)へ戻る。
"#;

#[test]
fn word_bookmarks_in_headings_are_ids_once_and_links_land_on_them() {
    let site = html_site("ja", "ホーム", &[("content/guide.md", WORD_BOOKMARKS_JA)]);
    let output = built(&site);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every id of every page once, every link to one there.
    assert!(assert_links_resolve(&site.public()) > 0);
    let html = site.html("ja/guide.html");
    assert_eq!(texts(&html, "nav.on-this-page li"), ["はじめに", "設定", "操作手順"]);
    for (id, heading) in [("_Ref200", "設定"), ("_Toc300", "操作手順")] {
        let target = select(&html, &format!("h2 [id=\"{id}\"]"));
        assert_eq!(target.len(), 1, "{id}");
        let h2 = target[0].ancestors().filter_map(scraper::ElementRef::wrap).find(|e| e.value().name() == "h2");
        assert_eq!(h2.map(|h2| common::text(&h2)), Some(heading.to_string()));
    }
}

/// A procedure as Microsoft Learn's Markdown (DocFX) writes it: YAML front matter
/// with its `ms.` keys, an anchor in the title, screenshots as `:::image`, a shared
/// prerequisite put in with `[!INCLUDE]` from `includes/`, tabs written as headings
/// linking to `#tab/…`, zones, and the marks of a quote.
const LEARN_VPN_JA: &str = r#"---
title: VPN に接続する
description: 在宅勤務で社内ネットワークに接続する手順です。
ms.author: yamada
ms.date: 09/27/2025
ms.topic: how-to
---
# <a name="connect-to-vpn"></a>VPN に接続する

> [!NOTE]
> VPN の申請は[証明書の取得](~/articles/certificate.md)の後で行います。

## 前提条件

[!INCLUDE [前提条件](includes/prereq.md)]

## 接続する

1. タスク バーの :::image type="icon" source="media/vpn/gear.png" alt-text="歯車"::: を選択します。

1. **[新しい接続]** を選択します。

   :::image type="content" source="media/vpn/new connection.png" alt-text="新しい接続の画面。" lightbox="media/vpn/new connection.png" border="false":::

1. 証明書を選択します。

    :::image type="complex" source="media/vpn/certificate.png" alt-text="証明書の選択画面":::
       一覧の一番上の証明書が選択されている画面の説明。
    :::image-end:::

## ブラウザーの設定

# [Microsoft Edge](#tab/edge)

**[設定]** > **[プライバシー]** を開きます。

```yaml
proxy: auto
---
```

# [Google Chrome](#tab/chrome)

**[設定]** > **[セキュリティ]** を開きます。

---

設定は以上です。

:::zone pivot="windows"

Windows では **[スタート]** を選択します。

:::zone-end

:::zone pivot="macos"

macOS では **Finder** を開きます。

:::zone-end

:::zone target="chromeless"

サイドパネル用の文章。

:::zone-end

> [!VIDEO https://learn.example.com/video/vpn-setup]

## 次のステップ

> [!div class="nextstepaction"]
> [証明書を取得する](certificate.md)
"#;

const LEARN_PREREQ_JA: &str = r#"---
title: include file
ms.topic: include
---
- 社内ネットワークのアカウントが必要です。
- 証明書は[証明書の取得](../certificate.md)で用意します。

  :::image type="content" source="../media/vpn/certificate.png" alt-text="証明書の一覧":::
"#;

#[test]
fn microsoft_learn_pages_build_as_they_are() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/articles/_index.md", "+++\ntitle = \"記事\"\n+++\n"),
        ("content/articles/vpn.md", LEARN_VPN_JA),
        ("content/articles/certificate.md", "---\ntitle: 証明書の取得\n---\n\n証明書を取得します。\n"),
        ("content/articles/includes/prereq.md", LEARN_PREREQ_JA),
    ]);
    let media = site.root().join("content/articles/media/vpn");
    std::fs::create_dir_all(&media).unwrap();
    for (name, width) in [("gear.png", 16), ("new connection.png", 800), ("certificate.png", 600)] {
        std::fs::write(media.join(name), plain_png(width, width / 2 + 8)).unwrap();
    }
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    // What an included folder holds is text for pages, not a page.
    assert!(!site.public().join("ja/articles/includes").exists());
    let html = site.html("ja/articles/vpn.html");
    let main = texts(&html, "main").concat();
    for written in [":::", "[!", "#tab/", "ms.topic", "include file", "画面の説明", "サイドパネル用"] {
        assert!(!main.contains(written), "`{written}` shows: {main}");
    }
    // Screenshots are numbered figures captioned by their alt text, the included
    // one too, its path read from the included file; the icon stays in the line.
    assert_eq!(
        texts(&html, "main figcaption"),
        ["図 1 証明書の一覧", "図 2 新しい接続の画面。", "図 3 証明書の選択画面"]
    );
    assert_eq!(
        attr(&html, "main figure img", "src"),
        ["certificate.png", "new%20connection.png", "certificate.png"]
            .map(|name| format!("../../assets/articles/media/vpn/{name}"))
    );
    assert_eq!(attr(&html, "main li > p img", "alt"), ["歯車"]);
    // The included text's link and the `~/` link go to the page.
    assert_eq!(attr(&html, "main .alert a", "href"), ["certificate.html"]);
    assert_eq!(attr(&html, "main ul > li a", "href"), ["certificate.html"]);
    // Tabs and the zones of pivots one after the other are sets of tabs; the `---`
    // in code stays code.
    assert_eq!(
        texts(&html, "main .tabbed-set > .tabbed-block > .tabbed-label"),
        ["Microsoft Edge", "Google Chrome", "windows", "macos"]
    );
    assert_eq!(select(&html, "main .tabbed-set").len(), 2);
    assert!(texts(&html, "main .tabbed-block pre").concat().contains("proxy: auto ---"));
    assert!(texts(&html, "main p").contains(&"設定は以上です。".to_string()));
    // A video is a link to it; the next step's link is no quote.
    assert_eq!(attr(&html, "main p > a[href^='https']", "href"), ["https://learn.example.com/video/vpn-setup"]);
    assert!(select(&html, "main blockquote").is_empty());
    let next_step = select(&html, "main section#次のステップ .section-intro > p > a");
    assert_eq!(next_step.iter().map(|a| a.value().attr("href").unwrap()).collect::<Vec<_>>(), ["certificate.html"]);
    // On paper: every picture, and each tab's content under its label.
    let pdf = site.public().join("ja/articles/vpn.pdf");
    assert_eq!(pdf_images(&pdf).len(), 4);
    let text: String = pdf_text(&pdf).split_whitespace().collect();
    for printed in [
        "図1証明書の一覧",
        "MicrosoftEdge[設定]>[プライバシー]",
        "GoogleChrome[設定]>[セキュリティ]",
        "windowsWindowsでは",
    ] {
        assert!(text.contains(printed), "`{printed}` is not printed: {text}");
    }
    assert_links_resolve(&site.public());
}

/// A procedure from Microsoft Learn whose code comes from the samples beside it:
/// tagged snippets, line ranges and C# regions, in `[!code-…]` and `:::code`.
const LEARN_AUTOMATE_JA: &str = r#"---
title: PowerShell で VPN 接続を自動化する
ms.topic: how-to
---
# PowerShell で VPN 接続を自動化する

1. モジュールをインストールします。

   :::code language="powershell" source="~/samples/vpn/setup.ps1" id="install" highlight="2":::

1. 接続を作成します。

   [!code-powershell[](../samples/vpn/setup.ps1?range=7-8 "setup.ps1")]

1. 接続を確かめるコードは次のとおりです。

   [!code-csharp[確認](../../samples/Check.cs#snippet_Check)]

社内ポータルでは次のように書きます。

```markdown
[!code-csharp[](Check.cs)]
```
"#;

const SETUP_PS1: &str = "param($Server)\n\
# <install>\n\
Install-Module -Name VpnClient -Scope CurrentUser\n\
Import-Module VpnClient\n\
# </install>\n\
\n\
Add-VpnConnection -Name \"社内VPN\" -ServerAddress $Server\n\
Get-VpnConnection -Name \"社内VPN\"\n";

const CHECK_CS: &str = "namespace Vpn;\n\npublic class Check\n{\n    // <snippet_Check>\n    public static bool IsConnected(string name)\n    {\n        #region Query\n        return Status(name) == \"Connected\";\n        #endregion\n    }\n    // </snippet_Check>\n}\n";

#[test]
fn microsoft_learn_code_snippets_are_code_blocks_from_the_samples() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/articles/_index.md", "+++\ntitle = \"記事\"\n+++\n"),
        ("content/articles/automate.md", LEARN_AUTOMATE_JA),
        ("content/samples/vpn/setup.ps1", SETUP_PS1),
        ("samples/Check.cs", CHECK_CS),
    ]);
    let output = built(&site);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning") && !stderr.contains("error"), "{stderr}");
    let html = site.html("ja/articles/automate.html");
    let code: Vec<String> = select(&html, "main pre.code").iter().map(|c| c.text().collect()).collect();
    assert_eq!(
        code,
        [
            "Install-Module -Name VpnClient -Scope CurrentUser\nImport-Module VpnClient\n",
            "Add-VpnConnection -Name \"社内VPN\" -ServerAddress $Server\nGet-VpnConnection -Name \"社内VPN\"\n",
            // The snippet's tag lines go and it is dedented; the region in it stays code.
            "public static bool IsConnected(string name)\n{\n    #region Query\n    return Status(name) == \"Connected\";\n    #endregion\n}\n",
            "[!code-csharp[](Check.cs)]\n",
        ]
    );
    assert_eq!(
        attr(&html, "main pre.code > code", "class"),
        ["language-powershell", "language-powershell", "language-csharp", "language-markdown"]
    );
    // In the steps they were written in, and highlighted in their language.
    assert_eq!(select(&html, "main li pre.code").len(), 3);
    for block in select(&html, "main li pre.code > code") {
        assert!(block.children().any(|child| child.value().as_element().is_some()), "not highlighted: {block:?}");
    }
    let pdf = site.public().join("ja/articles/automate.pdf");
    let text: String = pdf_text(&pdf).split_whitespace().collect();
    for printed in ["Install-Module-NameVpnClient", "Add-VpnConnection-Name", "publicstaticboolIsConnected"] {
        assert!(text.contains(printed), "`{printed}` is not printed: {text}");
    }
    assert!(!text.contains("snippet_Check>"), "{text}");
}

#[test]
fn a_code_snippet_s_missing_tag_is_an_error_at_its_mark_that_says_how_to_mark_one() {
    let page = "# 手順\n\n1. 実行します。\n\n   [!code-csharp[](Check.cs#snippet_Gone)]\n";
    let site = html_site("ja", "ホーム", &[("content/page.md", page), ("content/Check.cs", CHECK_CS)]);
    let output = site.run(&["check"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let at = position("content/page.md", page, "[!code-csharp");
    assert!(stderr.contains("error[broken-include]") && stderr.contains(&at), "{at}: {stderr}");
    assert!(stderr.contains("no tag `snippet_Gone` in `content/Check.cs`"), "{stderr}");
    assert!(stderr.contains("`// <snippet_Gone>`"), "{stderr}");
}
