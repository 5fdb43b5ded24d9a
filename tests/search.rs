//! Search: the browser client under Node runs the tokenizer vectors the Rust indexer
//! runs, and real queries against the example manual's built index; headless
//! Chromium types a query into a page opened from `file://` and follows a result.

mod common;

use std::process::Command;

use common::{Site, attr, node, select};

fn build_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_tejun"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    out
}

#[test]
fn client_tokenizes_like_the_indexer() {
    node::<&str>(&["--test", "tests/search/client.test.js"], &[]);
}

#[test]
fn real_queries_on_the_example_manual() {
    let out = build_example();
    node(&["--test", "tests/search/queries.test.js"], &[("TEJUN_PUBLIC", &out.path().join("public"))]);
}

#[test]
fn every_page_has_a_search_box_pointing_at_its_language_index() {
    let site = Site::new(&[
        ("tejun.toml", common::CONFIG),
        ("content/a/page.ja.md", "+++\ntitle = \"ページ\"\n+++\n\n+++\nid = \"x\"\ntitle = \"暗証番号\"\n+++\n"),
        ("content/a/page.en.md", "+++\ntitle = \"Page\"\n+++\n\n+++\nid = \"x\"\ntitle = \"PIN\"\n+++\n"),
    ]);
    site.build();
    let html = site.html("ja/a/page.html");
    assert_eq!(attr(&html, "#search-input", "data-index"), ["../../searchindex.ja.js"]);
    assert_eq!(attr(&html, "#search-input", "data-lang-root"), ["../"]);
    assert_eq!(select(&html, "#search-results").len(), 1);
    // The first file of the index comes with the page, which does not wait for it: a
    // first query then loads only the shards it needs.
    assert_eq!(
        attr(&html, "script[src]", "src"),
        ["../../static/tejun.js", "../../searchindex.ja.js", "../../static/search.js"]
    );
    assert_eq!(attr(&html, "script[async]", "src"), ["../../searchindex.ja.js"]);
    for lang in ["ja", "en"] {
        for name in ["", ".t0", ".e0"] {
            let index = std::fs::read_to_string(site.public().join(format!("searchindex.{lang}{name}.js"))).unwrap();
            let registers = format!(
                "window.tejunSearchIndex=window.tejunSearchIndex||{{}};window.tejunSearchIndex[\"{lang}{name}\"]="
            );
            assert!(index.starts_with(&registers), "{index}");
        }
    }
}

#[test]
fn browser_search_from_file_url_follows_a_result_to_the_highlighted_step() {
    let out = build_example();
    node(&["tests/e2e/search.e2e.js"], &[("TEJUN_PUBLIC", &out.path().join("public"))]);
}

/// Words a reader sees only in raw HTML blocks and in footnotes are found, on their page.
#[test]
fn text_in_raw_html_and_footnotes_is_found() {
    let page = "+++\ntitle = \"移行した手順\"\n+++\n\n<div class=\"note\">ファイアウォールの<b>例外設定</b>が必要です。</div>\n\n\
        <details><summary>プロキシサーバーを使う場合</summary>\n\n設定を確認します[^proxy]。\n\n</details>\n\n\
        [^proxy]: 社内ネットワーク管理者に問い合わせてください。\n\n| 種類 |\n|---|\n| Tokens<br>Passwords |\n";
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n[pdf]\nenabled = false\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/migrated.md", page),
    ]);
    site.build();
    let script = r#"
        const assert = require("node:assert/strict");
        const { openIndex } = require("./tests/search/files.js");
        (async () => {
          const ja = openIndex(process.env.TEJUN_PUBLIC, "ja");
          // A `<br>` parts two words.
          for (const query of ["例外設定", "プロキシサーバー", "ネットワーク管理者", "passwords"]) {
            const urls = (await ja.search(query, 10)).map((r) => r.url);
            assert.deepEqual(urls, ["migrated.html"], query);
          }
        })().catch((e) => { console.error(e); process.exit(1); });
    "#;
    node(&["-e", script], &[("TEJUN_PUBLIC", &site.public())]);
}
