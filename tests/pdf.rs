//! PDF handouts, read back with poppler (`pdftotext`, `pdfinfo`, `pdftohtml`): the
//! numbers are the HTML's, every reference names the page its target is really on,
//! Japanese extracts as written, and `[pdf]` settings take effect.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{CONFIG, Site, assert_links_resolve, attr, read_tree, select, text, texts};
use regex::Regex;
use scraper::Html;

/// Runs a poppler tool and returns its output; fails saying what to install when
/// poppler is missing.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool).args(args).arg(pdf).arg("-").output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install poppler-utils (Debian: apt-get install poppler-utils)")
    });
    assert!(output.status.success(), "{tool} {}: {}", pdf.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn pdf_text(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    poppler("pdftotext", &["-enc", "UTF-8", "-f", &page, "-l", &page], pdf)
}

fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs (apt-get install poppler-utils)");
    let info = String::from_utf8_lossy(&output.stdout);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages:");
    line["Pages:".len()..].trim().parse().unwrap()
}

/// Text without any whitespace: pdftotext breaks lines where typst did and puts
/// spaces where Japanese meets Latin, neither of which the checks care about.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that `needles` occur in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[String], what: &str) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle.as_str()) {
            Some(at) => from += at + needle.len(),
            None => panic!("{what}: `{needle}` is not in the PDF (after byte {from})"),
        }
    }
}

/// The example manual, built once for every test here that reads it.
fn example() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let public = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pdf-example-{}", std::process::id()));
        let output = Command::new(env!("CARGO_BIN_EXE_tejun"))
            .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
            .arg(&public)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        public
    })
}

fn html(public: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(public.join(path)).unwrap())
}

const PAGES: [&str; 2] = ["certificates/reissue", "certificates/obtain"];

/// A page's step heads (「手順 1」 and title) and figure captions as the HTML shows
/// them, squeezed.
fn html_numbers(public: &Path, lang: &str, page: &str) -> (Vec<String>, Vec<String>) {
    let html = html(public, &format!("{lang}/{page}.html"));
    let steps = select(&html, "li.step")
        .iter()
        .map(|step| {
            let number = text(&step.select(&scraper::Selector::parse(".step-number").unwrap()).next().unwrap());
            let title = text(&step.select(&scraper::Selector::parse(".step-title").unwrap()).next().unwrap());
            squeeze(&format!("{number}{title}"))
        })
        .collect();
    let figures = texts(&html, "figure figcaption").iter().map(|c| squeeze(c)).collect();
    (steps, figures)
}

#[test]
fn example_step_and_figure_numbers_match_the_html() {
    let public = example();
    for lang in ["ja", "en"] {
        let manual = squeeze(&pdf_text(&public.join(format!("{lang}/manual.pdf"))));
        let mut in_manual = Vec::new();
        for page in PAGES {
            let (steps, figures) = html_numbers(public, lang, page);
            assert!(steps.len() >= 12 && figures.len() >= 10, "{lang}/{page}: {steps:?} {figures:?}");
            let pdf = squeeze(&pdf_text(&public.join(format!("{lang}/{page}.pdf"))));
            assert_in_order(&pdf, &steps, &format!("{lang}/{page}.pdf steps"));
            assert_in_order(&pdf, &figures, &format!("{lang}/{page}.pdf figures"));
            in_manual.extend(steps);
        }
        assert_in_order(&manual, &in_manual, &format!("{lang}/manual.pdf"));
    }
    let steps: usize = PAGES.iter().map(|p| html_numbers(public, "ja", p).0.len()).sum();
    assert_eq!(steps, 28);
}

/// Where each page of the manual starts in a PDF, from its bookmarks.
fn page_starts(public: &Path, lang: &str, pdf: &Path) -> Vec<(usize, &'static str)> {
    let outline = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout"], pdf);
    let item = Regex::new(r#"<item page="(\d+)">([^<]*)</item>"#).unwrap();
    let mut starts = Vec::new();
    for page in PAGES {
        let title = texts(&html(public, &format!("{lang}/{page}.html")), "h1")[0].clone();
        let found = item.captures_iter(&outline).find(|c| c[2].trim() == title);
        let at = found.unwrap_or_else(|| panic!("{}: no bookmark {title}", pdf.display()))[1].parse().unwrap();
        starts.push((at, page));
    }
    starts.sort();
    starts
}

/// Every 「手順 N（P ページ）」 / "step N (page P)" in a PDF: page P holds step N of the
/// page the reference names (「title」の / of “title”), or else of the page the
/// reference is written in. Returns how many were checked.
fn check_references(public: &Path, lang: &str, pdf_path: &str) -> usize {
    let pattern = if lang == "ja" {
        r"(?:「([^」]+)」の)?(手順|図)(\d+)(?:〜\d+)?（(\d+)ページ）"
    } else {
        r"(step|steps|Figure)(\d+)(?:–\d+)?(?:of“([^”]+)”)?\(page(\d+)\)"
    };
    let pattern = Regex::new(pattern).unwrap();
    let pdf = public.join(pdf_path);
    let titles: Vec<(String, &str)> =
        PAGES.iter().map(|p| (squeeze(&texts(&html(public, &format!("{lang}/{p}.html")), "h1")[0]), *p)).collect();
    let starts = if pdf_path.ends_with("manual.pdf") {
        page_starts(public, lang, &pdf)
    } else {
        let page = PAGES.iter().find(|p| pdf_path.contains(*p)).expect("one of the pages");
        vec![(1, *page)]
    };
    let mut checked = 0;
    for sheet in 1..=page_count(&pdf) {
        let text = squeeze(&page_text(&pdf, sheet));
        let writing_page = starts.iter().filter(|(at, _)| *at <= sheet).map(|(_, p)| *p).next_back();
        for found in pattern.captures_iter(&text) {
            let (kind, number, title, page) = if lang == "ja" {
                (&found[2], &found[3], found.get(1).map(|m| m.as_str()), &found[4])
            } else {
                (&found[1], &found[2], found.get(3).map(|m| m.as_str()), &found[4])
            };
            let target = match title {
                Some(title) => titles.iter().find(|(t, _)| t == title).map(|(_, p)| *p),
                None => writing_page,
            }
            .unwrap_or_else(|| panic!("{pdf_path}: cannot tell which page `{}` points at", &found[0]));
            let (steps, figures) = html_numbers(public, lang, target);
            let number: usize = number.parse().unwrap();
            let head = if kind == "図" || kind == "Figure" { &figures[number - 1] } else { &steps[number - 1] };
            let page: usize = page.parse().unwrap();
            let on_page = squeeze(&page_text(&pdf, page));
            assert!(on_page.contains(head.as_str()), "{pdf_path}: `{}` but page {page} lacks `{head}`", &found[0]);
            checked += 1;
        }
    }
    checked
}

#[test]
fn example_cross_references_name_the_page_their_target_is_on() {
    let public = example();
    for lang in ["ja", "en"] {
        let own = check_references(public, lang, &format!("{lang}/certificates/obtain.pdf"));
        assert!(own >= 3, "{lang}: only {own} references with a page in obtain.pdf");
        let manual = check_references(public, lang, &format!("{lang}/manual.pdf"));
        assert!(manual > own, "{lang}: manual.pdf adds pages to references between pages ({manual})");
    }
    // A handout of one page writes a reference to another page as the HTML does.
    let obtain = squeeze(&pdf_text(&public.join("ja/certificates/obtain.pdf")));
    assert!(obtain.contains("「管理者が利用者の電子証明書を再発行する」の手順4の注記"), "{obtain}");
}

#[test]
fn example_japanese_text_extracts_as_written() {
    let public = example();
    // Kinsoku: no line starts with closing punctuation.
    for pdf in ["ja/certificates/reissue.pdf", "ja/certificates/obtain.pdf", "ja/manual.pdf"] {
        let text = poppler("pdftotext", &["-enc", "UTF-8", "-layout"], &public.join(pdf));
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with(['、', '。', '」', '）', '，', '．']),
                "{pdf}: a line starts with `{line}`"
            );
        }
    }
    let reissue = pdf_text(&public.join("ja/certificates/reissue.pdf"));
    assert!(reissue.contains("ご契約先暗証番号"), "{reissue}");
    assert!(!reissue.contains('\u{FFFD}'), "no replacement characters");
    let obtain = squeeze(&pdf_text(&public.join("ja/certificates/obtain.pdf")));
    assert!(obtain.contains("①法人（事業主）のお客様をクリックします。"), "sub-steps, UI labels: {obtain}");
    assert!(obtain.contains("警告アプリ画面の右上の×は絶対にクリックしないでください。"), "the warning");
}

#[test]
fn example_manual_has_a_title_page_contents_and_bookmarks() {
    let public = example();
    let manual = public.join("ja/manual.pdf");
    let cover = squeeze(&page_text(&manual, 1));
    assert!(cover.contains("おかやましんきんBizIB電子証明書再発行マニュアル"), "{cover}");
    assert!(cover.contains("更新日:"), "the date: {cover}");
    let contents = squeeze(&page_text(&manual, 2));
    for title in
        ["目次", "電子証明書の再発行", "管理者が利用者の電子証明書を再発行する", "利用者が電子証明書を取得する"]
    {
        assert!(contents.contains(title), "contents lack {title}: {contents}");
    }
    let pages = page_count(&manual);
    let last = page_text(&manual, pages);
    assert!(squeeze(&last).contains(&format!("{pages}/{pages}")), "page numbers in the footer: {last}");
    // Bookmarks: pdftohtml prints the outline.
    let outline = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout"], &manual);
    let outline = &outline[outline.find("<outline>").expect("manual.pdf has bookmarks")..];
    for entry in
        ["電子証明書の再発行", "利用者が電子証明書を取得する", "手順 7 「電子証明書取得開始」画面が表示されます"]
    {
        assert!(outline.contains(entry), "no bookmark {entry}: {outline}");
    }
    assert!(page_count(&public.join("en/manual.pdf")) > 10);
}

fn fixture(config: &str) -> Site {
    let page = |lang: &str| {
        let (title, soft, redo) = if lang == "ja" {
            ("最初の手順", "ここは一行目の文章で\nここから二行目です。", "やり直す場合は [](step:download) から。")
        } else {
            ("First procedure", "These English words\nare joined by a space.", "To redo, start from [](step:download).")
        };
        format!(
            "+++\ntitle = \"{title}\"\nweight = 1\n+++\n\n{soft}\n\n## Section {{#s}}\n\n+++\nid = \"open\"\ntitle = \"Open\"\nimage = \"images/a.svg\"\n+++\n\n1. one\n2. **OK**\n\nNasty: #set page(width: 1cm) \\*no\\* \\_no\\_ $x^2$ \\<label> @ref [a] \\\\ `tick` // not a comment = no ~ -- 'q' \"q\"\n\n+++\nid = \"download\"\ntitle = \"Download\"\n+++\n\n> [!WARNING]\n> {redo}\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {{}}\n```\n"
        )
    };
    let second = "+++\ntitle = \"Second\"\nweight = 2\n+++\n\nSee [](step:guide/first/download).\n";
    Site::new(&[
        ("tejun.toml", config),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n\nようこそ。\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n"),
        ("content/guide/_index.ja.md", "+++\ntitle = \"ガイド\"\n+++\n"),
        ("content/guide/_index.en.md", "+++\ntitle = \"Guide\"\n+++\n"),
        ("content/guide/first.ja.md", &page("ja")),
        ("content/guide/first.en.md", &page("en")),
        ("content/guide/second.ja.md", second),
        ("content/guide/second.en.md", second),
        (
            "content/guide/images/a.svg",
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="#ccc"/></svg>"##,
        ),
    ])
}

fn pdfs(public: &Path) -> Vec<String> {
    read_tree(public).into_keys().filter(|p| p.ends_with(".pdf")).collect()
}

#[test]
fn every_page_links_to_its_pdf_and_the_manual() {
    let site = fixture(CONFIG);
    site.build();
    let public = site.public();
    assert_eq!(
        pdfs(&public),
        [
            "en/guide/first.pdf",
            "en/guide/second.pdf",
            "en/manual.pdf",
            "ja/guide/first.pdf",
            "ja/guide/second.pdf",
            "ja/manual.pdf"
        ],
        "procedures and the manual, per language; chapter and home pages are in manual.pdf"
    );
    let first = site.html("ja/guide/first.html");
    assert_eq!(attr(&first, ".pdf-links a", "href"), ["first.pdf", "../manual.pdf"]);
    assert_eq!(texts(&first, ".pdf-links a"), ["この手順の PDF", "マニュアル全体の PDF"]);
    assert_eq!(attr(&site.html("ja/guide/index.html"), ".pdf-links a", "href"), ["../manual.pdf"]);
    assert_eq!(attr(&site.html("en/index.html"), ".pdf-links a", "href"), ["manual.pdf"]);
    assert_eq!(
        texts(&site.html("en/guide/first.html"), ".pdf-links a"),
        ["This procedure as PDF", "Whole manual as PDF"]
    );
    assert_links_resolve(&public);
}

#[test]
fn soft_line_breaks_between_japanese_characters_are_no_space() {
    let site = fixture(CONFIG);
    site.build();
    let ja = pdf_text(&site.public().join("ja/guide/first.pdf"));
    assert!(ja.contains("文章でここから二行目です。"), "{ja}");
    let en = pdf_text(&site.public().join("en/guide/first.pdf"));
    assert!(en.contains("words are joined"), "{en}");
}

#[test]
fn markup_characters_in_the_text_print_as_written() {
    let site = fixture(CONFIG);
    site.build();
    let text = pdf_text(&site.public().join("en/guide/first.pdf"));
    let nasty =
        "Nasty: #set page(width: 1cm) *no* _no_ $x^2$ <label> @ref [a] \\ tick // not a comment = no ~ -- 'q' \"q\"";
    assert!(squeeze(&text).contains(&squeeze(nasty)), "{text}");
    // The code block and the table are there too.
    assert!(squeeze(&text).contains("fnmain(){}"), "{text}");
    assert!(squeeze(&text).contains("AB12"), "{text}");
    let ja = squeeze(&pdf_text(&site.public().join("ja/guide/first.pdf")));
    assert!(ja.contains("警告やり直す場合は手順2（"), "{ja}");
    assert!(ja.contains("①one②OK"), "{ja}");
}

#[test]
fn pdf_settings_turn_pdfs_off_set_the_paper_and_the_date() {
    let site = fixture(&format!("{CONFIG}\n[pdf]\nenabled = false\n"));
    site.build();
    assert!(pdfs(&site.public()).is_empty(), "no PDFs when [pdf] enabled = false");
    assert!(select(&site.html("ja/guide/first.html"), ".pdf-links").is_empty(), "and no links to them");
    assert_links_resolve(&site.public());

    site.write("tejun.toml", &format!("{CONFIG}\n[pdf]\npaper = \"a5\"\ndate = 2025-04-01\n"));
    site.build();
    let first = site.public().join("ja/guide/first.pdf");
    let info = Command::new("pdfinfo").arg(&first).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let size = Regex::new(r"Page size: +([\d.]+) x ([\d.]+) pts")
        .unwrap()
        .captures(&info)
        .expect("a page size")
        .extract::<2>()
        .1;
    let size: Vec<f64> = size.iter().map(|v| v.parse().unwrap()).collect();
    assert!((size[0] - 419.5).abs() < 1.0 && (size[1] - 595.3).abs() < 1.0, "A5 is 148 × 210 mm: {info}");
    let cover = squeeze(&page_text(&first, 1));
    assert!(cover.contains("テスト手順書") && cover.contains("最初の手順"), "{cover}");
    assert!(cover.contains("更新日:2025年4月1日"), "{cover}");
    let en = squeeze(&page_text(&site.public().join("en/manual.pdf"), 1));
    assert!(en.contains("Updated:1April2025"), "{en}");
    let pages = page_count(&first);
    assert!(squeeze(&page_text(&first, 2)).contains(&format!("2/{pages}")), "page numbers");
}

/// A Latin font file on this machine, for a site whose only font cannot write
/// Japanese.
fn latin_font() -> PathBuf {
    let candidates = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no Latin font found ({candidates:?}): apt-get install fonts-dejavu-core"))
}

#[test]
fn characters_no_font_has_are_an_error_naming_the_language_and_the_fix() {
    let site = fixture(&format!("{CONFIG}\n[pdf]\nsystem_fonts = false\nfonts = [\"fonts\"]\n"));
    std::fs::create_dir_all(site.root().join("fonts")).unwrap();
    std::fs::copy(latin_font(), site.root().join("fonts/latin.ttf")).unwrap();
    let output = site.run(&["build"]);
    assert!(!output.status.success(), "a Japanese manual with only a Latin font fails");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("日本語 (ja) PDFs need characters that no available font has"), "{stderr}");
    assert!(stderr.contains("apt-get install fonts-noto-cjk"), "{stderr}");
    assert!(stderr.contains("content/"), "names a file that uses them: {stderr}");
    assert!(!site.public().exists(), "nothing written");

    // The same font is enough for an English manual.
    site.write("tejun.toml", "languages = [\"en\"]\n[pdf]\nsystem_fonts = false\nfonts = [\"fonts/latin.ttf\"]\n");
    for path in [
        "content/_index.ja.md",
        "content/guide/_index.ja.md",
        "content/guide/first.ja.md",
        "content/guide/second.ja.md",
    ] {
        std::fs::remove_file(site.root().join(path)).unwrap();
    }
    site.build();
    assert!(site.public().join("en/guide/first.pdf").is_file());

    // A font path that does not exist is named.
    site.write("tejun.toml", "languages = [\"en\"]\n[pdf]\nfonts = [\"nowhere\"]\n");
    let stderr = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(stderr.contains("[pdf] fonts: cannot read nowhere"), "{stderr}");
}
