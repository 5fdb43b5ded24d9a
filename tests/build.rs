//! Builds small fixture sites with the real binary and inspects the HTML.

mod common;

use common::{CONFIG, Site, assert_links_resolve, attr, pdf_text, read_tree, select, text, texts};

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200"><rect width="320" height="200" fill="#eee"/></svg>"##;

const ICON_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#36c"/></svg>"##;

fn first_page(lang: &str) -> String {
    let (title, login, install, intro) = if lang == "ja" {
        (
            "最初の手順",
            "ログイン",
            "インストール",
            "やり直す場合は [](step:download) から。範囲は [](step:open..download)。図は [](fig:open)。",
        )
    } else {
        (
            "First procedure",
            "Log in",
            "Install",
            "To redo, start from [](step:download). Range: [](step:open..download). See [](fig:open).",
        )
    };
    format!(
        r#"+++
title = "{title}"
weight = 10
description = "{title} description"
+++

{intro}

## {login}

+++
id = "open"
title = "{title} open"
image = "images/a.svg"
alt = "screen a"
+++

1. one
2. **OK**

+++
id = "select"
title = "{title} select"
+++

> [!WARNING]
> careful

## {install} {{#install}}

+++
id = "download"
title = "{title} download"
result = "done"
+++

![Figure in the body](images/b.svg)

Go back to [](step:select) if needed, or [custom text](step:open).

+++
id = "finish"
title = "{title} finish"
image = "images/b.svg"
caption = "the end"
+++

Icon ![icon](images/icon.svg) inline.
"#
    )
}

fn second_page(lang: &str) -> String {
    let title = if lang == "ja" { "二番目の手順" } else { "Second procedure" };
    format!(
        "+++\ntitle = \"{title}\"\nweight = 20\n+++\n\nSee [](step:guide/first/download) and [](page:guide/first).\n\n+++\nid = \"only\"\ntitle = \"{title} only\"\n+++\n\nText.\n"
    )
}

fn fixture() -> Site {
    let first_ja = first_page("ja");
    let first_en = first_page("en");
    let second_ja = second_page("ja");
    let second_en = second_page("en");
    Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n\nようこそ。\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n"),
        (
            "content/guide/_index.ja.md",
            "+++\ntitle = \"ガイド\"\nweight = 10\ndescription = \"章の説明\"\n+++\n\n章の紹介。\n",
        ),
        ("content/guide/_index.en.md", "+++\ntitle = \"Guide\"\nweight = 10\n+++\n\nChapter intro.\n"),
        ("content/guide/first.ja.md", &first_ja),
        ("content/guide/first.en.md", &first_en),
        ("content/guide/second.ja.md", &second_ja),
        ("content/guide/second.en.md", &second_en),
        ("content/guide/images/a.svg", SVG),
        ("content/guide/images/b.svg", SVG),
        ("content/guide/images/icon.svg", ICON_SVG),
    ])
}

#[test]
fn steps_are_numbered_across_sections_with_anchors() {
    let site = fixture();
    site.build();
    let html = site.html("ja/guide/first.html");
    assert_eq!(attr(&html, "li.step", "id"), ["step-open", "step-select", "step-download", "step-finish"]);
    assert_eq!(texts(&html, ".step .step-number"), ["手順 1", "手順 2", "手順 3", "手順 4"]);
    assert_eq!(
        attr(&html, ".step .step-number", "href"),
        ["#step-open", "#step-select", "#step-download", "#step-finish"]
    );
    assert_eq!(attr(&html, "section.section", "id"), ["ログイン", "install"]);
    let en = site.html("en/guide/first.html");
    assert_eq!(texts(&en, ".step .step-number"), ["Step 1", "Step 2", "Step 3", "Step 4"]);
}

#[test]
fn figures_are_numbered_per_page_with_captions_and_sizes() {
    let site = fixture();
    site.build();
    let html = site.html("ja/guide/first.html");
    assert_eq!(attr(&html, "figure.figure", "id"), ["fig-open", "fig-b", "fig-finish"]);
    assert_eq!(
        texts(&html, "figure.figure figcaption"),
        ["図 1 最初の手順 open", "図 2 Figure in the body", "図 3 the end"]
    );
    let en = site.html("en/guide/first.html");
    assert_eq!(texts(&en, "figure figcaption .figure-label"), ["Figure 1", "Figure 2", "Figure 3"]);
    assert_eq!(attr(&html, "figure img", "width"), ["320", "320", "320"]);
    assert_eq!(attr(&html, "figure img", "height"), ["200", "200", "200"]);
    assert_eq!(attr(&html, "figure#fig-open img", "alt"), ["screen a"]);
    // An image inside running text is an icon, not a figure.
    assert_eq!(select(&html, "#step-finish .step-body img.icon").len(), 1);
    assert!(select(&html, "#step-finish .step-body figure").is_empty());
}

#[test]
fn references_generate_text_in_each_language() {
    let site = fixture();
    site.build();
    let ja = site.html("ja/guide/first.html");
    assert_eq!(texts(&ja, ".intro a.xref"), ["手順 3", "手順 1〜3", "図 1"]);
    assert_eq!(attr(&ja, ".intro a.xref", "href"), ["#step-download", "#step-open", "#fig-open"]);
    assert_eq!(texts(&ja, "#step-download .step-body a.xref"), ["手順 2", "custom text"]);
    let en = site.html("en/guide/first.html");
    assert_eq!(texts(&en, ".intro a.xref"), ["step 3", "steps 1–3", "Figure 1"]);

    let second_ja = site.html("ja/guide/second.html");
    assert_eq!(texts(&second_ja, ".intro a.xref"), ["「最初の手順」の手順 3", "最初の手順"]);
    assert_eq!(attr(&second_ja, ".intro a.xref", "href"), ["first.html#step-download", "first.html"]);
    let second_en = site.html("en/guide/second.html");
    assert_eq!(texts(&second_en, ".intro a.xref"), ["step 3 of “First procedure”", "First procedure"]);
    // The number is kept on one line; the page's title may wrap.
    assert_eq!(texts(&second_ja, ".intro a.xref .xref-number"), ["手順 3"]);
    assert_eq!(texts(&second_en, ".intro a.xref .xref-number"), ["step 3"]);
    assert_eq!(texts(&ja, ".intro a.xref .xref-number"), ["手順 3", "手順 1〜3", "図 1"]);
}

#[test]
fn inserting_a_step_renumbers_every_reference() {
    let site = fixture();
    site.build();
    let page = first_page("ja").replacen(
        "+++\nid = \"select\"",
        "+++\nid = \"inserted\"\ntitle = \"new\"\n+++\n\n+++\nid = \"select\"",
        1,
    );
    site.write("content/guide/first.ja.md", &page);
    site.build();
    let ja = site.html("ja/guide/first.html");
    assert_eq!(texts(&ja, ".intro a.xref")[..2], ["手順 4", "手順 1〜4"]);
    let second = site.html("ja/guide/second.html");
    assert_eq!(texts(&second, ".intro a.xref")[0], "「最初の手順」の手順 4");
}

#[test]
fn substeps_alerts_ui_labels_and_results() {
    let site = fixture();
    site.build();
    let html = site.html("ja/guide/first.html");
    assert_eq!(texts(&html, "#step-open ol.substeps .substep-marker"), ["①", "②"]);
    assert_eq!(texts(&html, "#step-open .step-body strong"), ["OK"]);
    assert_eq!(texts(&html, "#step-select .alert.alert-warning .alert-title"), ["警告"]);
    assert_eq!(texts(&site.html("en/guide/first.html"), "#step-select .alert-title"), ["Warning"]);
    assert_eq!(texts(&html, "#step-download .step-result"), ["結果 done"]);
}

#[test]
fn every_link_is_relative_names_a_file_and_resolves() {
    let site = fixture();
    site.build();
    let checked = assert_links_resolve(&site.public());
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn language_switch_lands_on_the_same_page_and_step() {
    let site = fixture();
    site.build();
    let ja = site.html("ja/guide/first.html");
    assert_eq!(attr(&ja, ".langswitch a", "href"), ["../../en/guide/first.html"]);
    assert_eq!(texts(&ja, ".langswitch .langswitch-current"), ["日本語"]);
    assert_eq!(attr(&ja, "#step-download .step-translation", "href"), ["../../en/guide/first.html#step-download"]);
    let en = site.html("en/guide/first.html");
    assert_eq!(attr(&en, ".langswitch a", "href"), ["../../ja/guide/first.html"]);
    assert_eq!(attr(&en, "html", "lang"), ["en"]);
}

#[test]
fn table_of_contents_previous_next_and_ui_strings() {
    let site = fixture();
    site.build();
    let ja = site.html("ja/guide/second.html");
    assert_eq!(texts(&ja, ".toc a"), ["ガイド", "最初の手順", "二番目の手順"]);
    assert_eq!(attr(&ja, ".toc a", "href"), ["../guide/index.html", "../guide/first.html", "../guide/second.html"]);
    assert_eq!(texts(&ja, ".toc a[aria-current=page]"), ["二番目の手順"]);
    assert_eq!(texts(&ja, ".sidebar-title"), ["目次"]);
    assert_eq!(texts(&ja, ".pagenav-previous .pagenav-label"), ["前へ"]);
    assert!(select(&ja, ".pagenav-next").is_empty(), "the last page has no next");
    let en = site.html("en/guide/first.html");
    assert_eq!(texts(&en, ".sidebar-title"), ["Contents"]);
    assert_eq!(texts(&en, ".pagenav-next .pagenav-title"), ["Second procedure"]);
    assert_eq!(texts(&en, ".pagenav-previous .pagenav-title"), ["Guide"]);
    let home = site.html("ja/index.html");
    assert_eq!(texts(&home, ".home-chapter h3"), ["ガイド"]);
    assert_eq!(texts(&home, ".home-chapter .card a"), ["最初の手順", "二番目の手順"]);
    assert_eq!(texts(&home, ".home-chapter .card p"), ["最初の手順 description"]);
    let root = std::fs::read_to_string(site.public().join("index.html")).unwrap();
    let root = scraper::Html::parse_document(&root);
    assert_eq!(attr(&root, ".chooser-languages a", "href"), ["ja/index.html", "en/index.html"]);
}

#[test]
fn a_template_override_replaces_one_partial() {
    let site = fixture();
    site.write(
        "templates/partials/footer.html",
        "<footer class=\"custom-footer\">{{ manual_title }} — custom</footer>\n",
    );
    site.build();
    let html = site.html("en/guide/first.html");
    assert_eq!(texts(&html, ".custom-footer"), ["Test manual — custom"]);
    assert!(select(&html, "footer.footer").is_empty());
    // Everything else still comes from the built-in theme.
    assert_eq!(select(&html, "li.step").len(), 4);
    // A theme folder overrides too, and templates/ wins over it.
    site.write(
        "themes/default/templates/partials/step.html",
        "<li class=\"step themed\" id=\"{{ step.anchor }}\">{{ step.title }}</li>\n",
    );
    site.build();
    let html = site.html("en/guide/first.html");
    assert_eq!(select(&html, "li.step.themed").len(), 4);
    assert_eq!(texts(&html, ".custom-footer"), ["Test manual — custom"]);
}

#[test]
fn rebuilds_are_byte_identical() {
    let site = fixture();
    site.build();
    let first = read_tree(&site.public());
    site.build();
    let second = read_tree(&site.public());
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
    assert!(first.contains_key("assets/guide/images/a.svg"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = fixture();
    site.build();
    let before = read_tree(&site.public());
    site.write("content/guide/second.ja.md", "+++\ntitle = \"x\"\n+++\n\nSee [](step:guide/first/downlaod).\n");
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/guide/second.ja.md:5:5"), "{stderr}");
    assert!(stderr.contains("did you mean `download`?"), "{stderr}");
    assert_eq!(read_tree(&site.public()), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("staging")), "{leftovers:?}");
}

#[test]
fn unknown_front_matter_key_points_at_its_line() {
    let site = fixture();
    site.write("content/guide/second.en.md", "+++\ntitle = \"x\"\nwieght = 3\n+++\n");
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/guide/second.en.md:3:1"), "{stderr}");
    assert!(stderr.contains("did you mean `weight`?"), "{stderr}");
}

#[test]
fn check_reports_json_and_writes_nothing() {
    let site = fixture();
    site.write("content/guide/second.en.md", "+++\ntitle = \"x\"\n+++\n\n[](fig:nothing)\n");
    let output = site.run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let all: Vec<serde_json::Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    // The lints of the other pages are reported too.
    let json = all.iter().find(|d| d["severity"] == "error").expect("an error");
    assert_eq!(all.iter().filter(|d| d["severity"] == "error").count(), 1, "{all:?}");
    assert_eq!(json["code"], "unknown-reference");
    assert_eq!(json["file"], "content/guide/second.en.md");
    assert_eq!((json["line"].as_u64(), json["column"].as_u64()), (Some(5), Some(1)));
    assert!(!site.public().exists());
}

#[test]
fn bom_crlf_and_default_language_files_build() {
    let site = Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.md", "\u{feff}+++\r\ntitle = \"ホーム\"\r\n+++\r\n\r\nようこそ。\r\n"),
        (
            "content/page.md",
            "+++\r\ntitle = \"ページ\"\r\n+++\r\n\r\n+++\r\nid = \"a\"\r\ntitle = \"手順\"\r\n+++\r\n\r\n[](step:a)\r\n",
        ),
    ]);
    site.build();
    let html = site.html("ja/page.html");
    assert_eq!(texts(&html, ".step-body a.xref"), ["手順 1"]);
    let text = text(&select(&html, "h1")[0]);
    assert_eq!(text, "ページ");
}

#[test]
fn the_table_of_contents_opens_the_current_chapter_only() {
    let page = |title: &str, weight: u32| format!("+++\ntitle = \"{title}\"\nweight = {weight}\n+++\n");
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"en\"]\n[title]\nen = \"Manual\"\n"),
        ("content/_index.md", &page("Home", 0)),
        ("content/alpha/_index.md", &page("Alpha", 1)),
        ("content/alpha/one.md", &page("Alpha one", 1)),
        ("content/alpha/two.md", &page("Alpha two", 2)),
        ("content/beta/_index.md", &page("Beta", 2)),
        ("content/beta/three.md", &page("Beta three", 1)),
        ("content/beta/deeper/_index.md", &page("Deeper", 2)),
        ("content/beta/deeper/four.md", &page("Deeper four", 1)),
    ]);
    site.build();
    let alpha = site.html("en/alpha/two.html");
    assert_eq!(texts(&alpha, ".toc a"), ["Alpha", "Alpha one", "Alpha two", "Beta"]);
    assert_eq!(texts(&alpha, ".toc li.toc-chapter.open > a"), ["Alpha"]);
    let deeper = site.html("en/beta/deeper/four.html");
    assert_eq!(texts(&deeper, ".toc a"), ["Alpha", "Beta", "Beta three", "Deeper", "Deeper four"]);
    assert_eq!(attr(&deeper, ".toc a", "href")[0], "../../alpha/index.html");
    assert_eq!(texts(&deeper, ".toc a[aria-current=page]"), ["Deeper four"]);
    // The home page lists everything, nested.
    let home = site.html("en/index.html");
    assert_eq!(texts(&home, ".home-chapter h3"), ["Alpha", "Beta"]);
    assert_eq!(texts(&home, ".home-chapter .card > a"), ["Alpha one", "Alpha two", "Beta three", "Deeper"]);
    assert_eq!(texts(&site.html("en/beta/deeper/index.html"), ".pagenav-next .pagenav-title"), ["Deeper four"]);
}

#[test]
fn tables_and_highlighted_code() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"en\"]\n"),
        (
            "content/page.md",
            "+++\ntitle = \"Page\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\n+++\n\n| Field | Value |\n|:--|--:|\n| ID | 1732 |\n\n```rust\nfn main() {}\n```\n\n```\n<plain>\n```\n",
        ),
    ]);
    site.build();
    let html = site.html("en/page.html");
    assert_eq!(texts(&html, "#step-a table th"), ["Field", "Value"]);
    assert_eq!(texts(&html, "#step-a table td"), ["ID", "1732"]);
    assert_eq!(attr(&html, "#step-a table td", "style"), ["text-align:left", "text-align:right"]);
    let code = select(&html, "#step-a pre.code code.language-rust");
    assert_eq!(code.len(), 1);
    assert!(
        !select(&html, "#step-a pre.code code.language-rust span[class^=hl-]").is_empty(),
        "rust code is highlighted"
    );
    assert_eq!(texts(&html, "#step-a pre.code code:not([class])"), ["<plain>"]);
    let css = std::fs::read_to_string(site.public().join("static/syntax.css")).unwrap();
    assert!(css.contains(".hl-"), "the highlighting stylesheet uses the same classes");
}

#[test]
fn two_files_for_one_page_is_an_error_naming_both() {
    let site = Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/page.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/page.ja.md", "+++\ntitle = \"B\"\n+++\n"),
    ]);
    let output = site.run(&["build"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("two ja pages have the path `page`"), "{stderr}");
    assert!(stderr.contains("content/page.ja.md") && stderr.contains("content/page.md"), "{stderr}");
}

#[test]
fn raw_html_is_sanitized_unless_the_site_opts_out() {
    let page = "+++\ntitle = \"P\"\n+++\n\n<div onclick=\"steal()\">block<script>alert(1)</script></div>\n\nPress <kbd>Ctrl</kbd> <img src=x onerror=\"alert(2)\"> and [this](javascript:alert(3)).\n\n\
        Deep in **bold _and [a link <img src=y onerror=\"alert(4)\">](other.md)_** too.\n";
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"en\"]\n"),
        ("content/page.md", page),
        ("content/x", ICON_SVG),
        ("content/y", ICON_SVG),
    ]);
    site.build();
    let html = site.html("en/page.html");
    assert!(select(&html, "main script").is_empty(), "no script in the content");
    assert_eq!(attr(&html, "main img", "src"), ["../assets/x", "../assets/y"], "an <img> is an image");
    assert!(select(&html, "main [onclick], main [onerror]").is_empty(), "no event handlers");
    assert_eq!(texts(&html, ".intro kbd"), ["Ctrl"]);
    assert_eq!(attr(&html, ".intro a", "href"), ["#", "other.md"]);
    assert_eq!(texts(&html, ".intro strong em a"), ["a link"], "raw HTML deep in other inlines is cleaned too");
    assert_eq!(texts(&html, ".intro div"), ["block"]);

    site.write("tejun.toml", "languages = [\"en\"]\n[markdown]\nunsafe_html = true\n");
    site.build();
    let html = site.html("en/page.html");
    assert_eq!(select(&html, "main script").len(), 1, "the site trusts its raw HTML");
    assert_eq!(attr(&html, ".intro a", "href"), ["javascript:alert(3)", "other.md"]);
}

/// Japanese wrapped in the source: Chrome and Edge show a line break between two
/// Japanese characters as a space, so the HTML has none there; between English
/// words it stays.
#[test]
fn line_breaks_in_the_source_between_japanese_characters_are_no_space() {
    let page = "+++\ntitle = \"改行\"\n+++\n\nこの文章は長いので、エディターの中で\n途中で改行しています。英語の word\nand 日本語の\n**混在**も\nあります。\n";
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n[pdf]\nenabled = false\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/a.md", page),
    ]);
    site.build();
    let html = site.html("ja/a.html");
    let paragraph: String = select(&html, ".intro p")[0].text().collect();
    assert_eq!(
        paragraph,
        "この文章は長いので、エディターの中で途中で改行しています。英語の word\nand 日本語の混在もあります。"
    );
    let script = r#"
        const assert = require("node:assert/strict");
        const { openIndex } = require("./tests/search/files.js");
        openIndex(process.env.TEJUN_PUBLIC, "ja").search("中で途中で", 10).then((results) => {
          assert.deepEqual(results.map((r) => r.url), ["a.html"]);
        }).catch((e) => { console.error(e); process.exit(1); });
    "#;
    common::node(&["-e", script], &[("TEJUN_PUBLIC", &site.public())]);
}

/// A fee table in raw HTML, as Confluence exports one with merged cells, wider than
/// a phone's screen.
const WIDE_HTML_TABLE: &str = "+++\ntitle = \"振込手数料\"\n+++\n\n<table>\n\
    <tr><th rowspan=\"2\">区分</th><th colspan=\"4\">手数料（税込）</th></tr>\n\
    <tr><th>当行同一店宛</th><th>当行本支店宛</th><th>他行宛（3 万円未満）</th><th>他行宛（3 万円以上）</th></tr>\n\
    <tr><td>インターネットバンキング</td><td>無料</td><td>110 円</td><td>330 円</td><td>440 円</td></tr>\n</table>\n";

/// Tables with more columns than the page has room for: in the browser the
/// settings' names break after their dots, versions and dates stay whole, the
/// fields' Japanese headers (必須, 初期値) stay on one line, and on a phone each table
/// (the raw HTML one too) scrolls in its box, the page no wider than the screen. The
/// pages have no description: their PDF links sit below the title, not over it.
#[test]
fn in_chromium_a_crowded_table_keeps_its_words_whole_and_scrolls_on_a_phone() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/settings.md", common::CROWDED_TABLE),
        ("content/fields.md", common::FIELD_TABLE),
        ("content/fees.md", WIDE_HTML_TABLE),
    ]);
    site.build();
    common::node(&["tests/e2e/layout.e2e.js"], &[("TEJUN_PUBLIC", &site.public())]);
}

/// A manual that is its home page alone (a first page, or one long page brought
/// over) lists no empty contents, on screen or on paper.
#[test]
fn a_manual_of_one_page_has_no_empty_contents() {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ご利用の手引き\"\n+++\n\nこのマニュアルは一ページです。\n"),
    ]);
    site.build();
    let html = site.html("ja/index.html");
    assert!(select(&html, "nav.home-contents").is_empty());
    assert_eq!(texts(&html, "main p:not(.pdf-links)"), ["このマニュアルは一ページです。"]);
    let text = pdf_text(&site.public().join("ja/manual.pdf"));
    assert!(text.contains("このマニュアルは一ページです。") && !text.contains("目次"), "{text}");
}
