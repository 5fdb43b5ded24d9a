//! PDF handouts, read back with poppler (`pdftotext`, `pdfinfo`, `pdftohtml`): the
//! numbers are the HTML's, every reference names the page its target is really on,
//! Japanese extracts as written, and `[pdf]` settings take effect.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{CONFIG, Site, assert_links_resolve, attr, pdf_sheet, pdf_text, poppler, read_tree, select, text, texts};
use regex::Regex;
use scraper::Html;

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

/// The first sheet of `pdf` whose text has `text` (spaces and line breaks aside).
fn sheet_containing(pdf: &Path, text: &str) -> usize {
    (1..=page_count(pdf))
        .find(|&sheet| squeeze(&page_text(pdf, sheet)).contains(text))
        .unwrap_or_else(|| panic!("`{text}` is on no sheet of {}", pdf.display()))
}

/// The size of `pdf`'s sheet `page`, in points (width, height).
fn sheet_size(pdf: &Path, page: usize) -> (f64, f64) {
    let page = page.to_string();
    let output = Command::new("pdfinfo").args(["-f", &page, "-l", &page]).arg(pdf).output().expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&output.stdout);
    let size = Regex::new(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts")
        .unwrap()
        .captures(&info)
        .expect("a size")
        .extract::<2>()
        .1;
    (size[0].parse().unwrap(), size[1].parse().unwrap())
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
            .args(["build", "--no-cache", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
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

    site.write("tejun.toml", &format!("version = \"2.1\"\n{CONFIG}\n[pdf]\npaper = \"a5\"\ndate = 2025-04-01\n"));
    site.build();
    let first = site.public().join("ja/guide/first.pdf");
    let (width, height) = sheet_size(&first, 1);
    assert!((width - 419.5).abs() < 1.0 && (height - 595.3).abs() < 1.0, "A5 is 148 × 210 mm: {width} × {height}");
    let cover = squeeze(&page_text(&first, 1));
    assert!(cover.contains("テスト手順書") && cover.contains("最初の手順"), "{cover}");
    assert!(cover.contains("第2.1版更新日:2025年4月1日"), "the version beside the date: {cover}");
    let en = squeeze(&page_text(&site.public().join("en/manual.pdf"), 1));
    assert!(en.contains("Version2.1Updated:1April2025"), "{en}");
    assert_eq!(texts(&site.html("ja/guide/first.html"), "footer .version"), ["第 2.1 版"]);
    assert_eq!(texts(&site.html("en/index.html"), "footer .version"), ["Version 2.1"]);
    let pages = page_count(&first);
    assert!(squeeze(&page_text(&first, 2)).contains(&format!("2/{pages}")), "page numbers");
}

/// A folder with no fonts, for builds that must not see the installed ones.
fn no_installed_fonts() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `tejun build` on `site` with the installed-font search pointed at `font_dirs`
/// (`None`: the machine's own) and extra environment.
fn build_with(site: &Path, output: &Path, font_dirs: Option<&Path>, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tejun"));
    command.args(["build", "--no-cache", "--root"]).arg(site).arg("--output").arg(output);
    if let Some(dirs) = font_dirs {
        command.env("TEJUN_SYSTEM_FONT_DIRS", dirs);
    }
    command.env_remove("SOURCE_DATE_EPOCH");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// The fonts of a PDF as `pdffonts` lists them: (name, embedded).
fn pdf_fonts(pdf: &Path) -> Vec<(String, bool)> {
    let output = Command::new("pdffonts").arg(pdf).output().expect("pdffonts runs (apt-get install poppler-utils)");
    assert!(output.status.success(), "pdffonts {}", pdf.display());
    let listing = String::from_utf8(output.stdout).unwrap();
    listing
        .lines()
        .skip(2)
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type... emb sub uni object-id generation: `emb` is the 5th from the end.
            (columns[0].to_string(), columns[columns.len() - 5] == "yes")
        })
        .collect()
}

#[test]
fn without_installed_fonts_the_example_makes_the_same_pdfs_in_the_built_in_fonts() {
    let noto = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert!(noto.is_file(), "this test compares with a machine that has Noto CJK: apt-get install fonts-noto-cjk");
    let empty = no_installed_fonts();
    let public = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pdf-no-fonts-{}", std::process::id()));
    let output = build_with(Path::new(env!("CARGO_MANIFEST_DIR")), &public, Some(empty.path()), &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let reissue = pdf_text(&public.join("ja/certificates/reissue.pdf"));
    assert!(squeeze(&reissue).contains("ご契約先暗証番号"), "{reissue}");
    for pdf in pdfs(&public) {
        let fonts = pdf_fonts(&public.join(&pdf));
        assert!(!fonts.is_empty(), "{pdf} has fonts");
        for (name, embedded) in &fonts {
            assert!(embedded, "{pdf}: {name} is not embedded");
            assert!(name.contains("BIZUDPGothic") || name.contains("BIZUDGothic"), "{pdf}: {name} is not built in");
        }
        assert_eq!(
            std::fs::read(public.join(&pdf)).unwrap(),
            std::fs::read(example().join(&pdf)).unwrap(),
            "{pdf} differs from the build that could see the installed fonts"
        );
    }
    let code = pdf_fonts(&public.join("ja/manual.pdf"));
    assert!(code.iter().any(|(name, _)| name.contains("BIZUDPGothic-Bold")), "bold headings: {code:?}");
    std::fs::remove_dir_all(&public).unwrap();
}

#[test]
fn installed_fonts_fill_only_what_the_built_in_fonts_lack() {
    let site = fixture(CONFIG);
    // Hangul is in Noto Sans CJK, not in the built-in fonts.
    site.write("content/guide/second.en.md", "+++\ntitle = \"Second\"\nweight = 2\n+++\n\nKorean: 한국어.\n");
    let output = build_with(site.root(), &site.public(), None, &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("missing-glyph"), "Noto CJK has Hangul: {stderr}");
    let fonts = pdf_fonts(&site.public().join("en/guide/second.pdf"));
    assert!(fonts.iter().any(|(name, _)| name.contains("NotoSansCJK")), "{fonts:?}");
    assert!(fonts.iter().any(|(name, _)| name.contains("BIZUDPGothic")), "the rest stays built in: {fonts:?}");
    let first = pdf_fonts(&site.public().join("en/guide/first.pdf"));
    assert!(first.iter().all(|(name, _)| name.contains("BIZUD")), "pages without Hangul: {first:?}");
}

#[test]
fn a_character_no_font_has_is_a_warning_at_its_line_or_an_error_when_denied() {
    let site = fixture(CONFIG);
    let page = "+++\ntitle = \"Second\"\nweight = 2\n+++\n\nIt works:\n\n```console\n$ echo done\ndone 😀\n```\n";
    site.write("content/guide/second.en.md", page);
    let empty = no_installed_fonts();
    let output = build_with(site.root(), &site.public(), Some(empty.path()), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "an emoji does not fail the build: {stderr}");
    assert!(stderr.contains("warning[missing-glyph]"), "{stderr}");
    assert!(stderr.contains("content/guide/second.en.md:10:6"), "at the emoji: {stderr}");
    assert!(stderr.contains("「😀」 U+1F600 (line 10)"), "{stderr}");
    assert!(stderr.contains("English (en) PDFs"), "{stderr}");
    assert!(site.public().join("en/guide/second.pdf").is_file());
    assert!(squeeze(&pdf_text(&site.public().join("en/guide/second.pdf"))).contains("$echodone"));

    let before = read_tree(&site.public());
    site.write("tejun.toml", &format!("{CONFIG}\n[pdf]\nmissing_glyphs = \"deny\"\n"));
    let output = build_with(site.root(), &site.public(), Some(empty.path()), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "denied: {stderr}");
    assert!(stderr.contains("error[missing-glyph]") && stderr.contains("second.en.md:10:6"), "{stderr}");
    assert_eq!(read_tree(&site.public()), before, "the last good output stays");
}

#[test]
fn configured_fonts_come_first_and_bad_ones_are_errors_at_their_line() {
    use std::io::Read;
    let site = fixture(&format!("{CONFIG}\n[pdf]\nfonts = [\"fonts\"]\n"));
    // A font of our own: the built-in monospace face, unpacked, to set the text.
    let packed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/pdf/builtin-fonts/BIZUDGothic-Regular.ttf.gz"),
    )
    .unwrap();
    let mut font = Vec::new();
    flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut font).unwrap();
    std::fs::create_dir_all(site.root().join("fonts")).unwrap();
    std::fs::write(site.root().join("fonts/house.ttf"), &font).unwrap();
    let empty = no_installed_fonts();
    let output = build_with(site.root(), &site.public(), Some(empty.path()), &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let fonts = pdf_fonts(&site.public().join("ja/guide/first.pdf"));
    assert!(fonts.iter().any(|(name, _)| name.ends_with("BIZUDGothic-Regular")), "{fonts:?}");
    assert!(
        fonts.iter().all(|(name, _)| !name.ends_with("BIZUDPGothic-Regular")),
        "the configured font sets the text: {fonts:?}"
    );

    for (config, message) in [
        ("[pdf]\nfonts = [\"fonts\", \"nowhere.ttf\"]\n", "[pdf] fonts: cannot read nowhere.ttf"),
        ("[pdf]\nfonts = [\"tejun.toml\"]\n", "[pdf] fonts: not a font file tejun.toml"),
    ] {
        let text = format!("{CONFIG}\n{config}");
        site.write("tejun.toml", &text);
        let output = build_with(site.root(), &site.public(), Some(empty.path()), &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        let line = text.lines().position(|l| l.starts_with("fonts")).unwrap() + 1;
        assert!(stderr.contains(&format!("tejun.toml:{line}:")), "at its line in tejun.toml: {stderr}");
    }
}

/// The date on a title page, as `pdftotext` reads it.
fn cover_date(pdf: &Path) -> String {
    let cover = squeeze(&page_text(pdf, 1));
    let at = cover.find("更新日:").unwrap_or_else(|| panic!("no date: {cover}"));
    cover[at + "更新日:".len()..].chars().take_while(|&c| c != '日').chain(['日']).collect()
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", "2021-05-06T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2021-05-06T12:00:00Z")
        .env("GIT_AUTHOR_NAME", "writer")
        .env("GIT_AUTHOR_EMAIL", "writer@example.com")
        .env("GIT_COMMITTER_NAME", "writer")
        .env("GIT_COMMITTER_EMAIL", "writer@example.com")
        .output()
        .unwrap_or_else(|e| panic!("cannot run git ({e}): apt-get install git"));
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn dates_come_from_source_date_epoch_or_git_and_two_clones_build_the_same_bytes() {
    let site = fixture(CONFIG);
    let first = |public: &Path| public.join("ja/guide/first.pdf");
    // 2023-11-14T22:13:20Z.
    let output = build_with(site.root(), &site.public(), None, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(cover_date(&first(&site.public())), "2023年11月14日");
    let output = build_with(site.root(), &site.public(), None, &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("SOURCE_DATE_EPOCH"), "a malformed value is named");
    assert!(!output.status.success());

    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "tejun.toml", "content"]);
    git(site.root(), &["commit", "-q", "-m", "manual"]);
    let clones = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut built = Vec::new();
    for (n, clone) in clones.iter().enumerate() {
        let dir = clone.path().join("site");
        git(clone.path(), &["clone", "-q", site.root().to_str().unwrap(), "site"]);
        // Checkouts made on different days.
        let day = if n == 0 { "2024-01-02 03:04" } else { "2025-06-07 08:09" };
        let touched = Command::new("find").arg(&dir).args(["-exec", "touch", "-d", day, "{}", "+"]).status().unwrap();
        assert!(touched.success());
        let public = clone.path().join("public");
        let output = build_with(&dir, &public, None, &[]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(cover_date(&first(&public)), "2021年5月6日", "the commit's date, not the checkout's");
        built.push(read_tree(&public));
    }
    assert!(built[0] == built[1], "two clones of one commit build byte-identical sites");

    // A page git does not know yet is dated by its file.
    let dir = clones[0].path().join("site");
    std::fs::write(
        dir.join("content/guide/third.ja.md"),
        "+++\ntitle = \"下書き\"\nweight = 3\n+++\n\n+++\nid = \"a\"\ntitle = \"手順\"\n+++\n",
    )
    .unwrap();
    let touched = Command::new("touch")
        .args(["-d", "2026-02-03 10:00"])
        .arg(dir.join("content/guide/third.ja.md"))
        .status()
        .unwrap();
    assert!(touched.success());
    let public = clones[0].path().join("public");
    let output = build_with(&dir, &public, None, &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(cover_date(&public.join("ja/guide/third.pdf")), "2026年2月3日");
    assert_eq!(cover_date(&first(&public)), "2021年5月6日");
}

/// The PDFs of a build, and the summary line that says how many were unchanged.
fn build_summary(site: &Site, args: &[&str]) -> String {
    let output = site.run(&[&["build"], args].concat());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stderr).trim_end().lines().last().unwrap_or_default().to_string()
}

#[test]
fn unchanged_pdfs_come_from_the_cache_byte_for_byte_and_a_change_typesets_only_its_pdfs() {
    let site = fixture(&format!("{CONFIG}\n[pdf]\ndate = 2025-04-01\n"));
    let first = build_summary(&site, &[]);
    assert!(first.contains(", 6 PDFs in "), "{first}");
    let fresh = read_tree(&site.public());
    let cached = build_summary(&site, &[]);
    assert!(cached.contains(", 6 PDFs (6 unchanged) in "), "{cached}");
    assert_eq!(read_tree(&site.public()), fresh, "cached PDFs are the ones a compile makes");
    assert_eq!(std::fs::read_dir(site.root().join(".tejun-cache/pdf")).unwrap().count(), 6);

    // One English page changes: its handout and the English manual are typeset again.
    let page = site.root().join("content/guide/first.en.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("These English words", "These changed English words")).unwrap();
    let edited = build_summary(&site, &[]);
    assert!(edited.contains(", 6 PDFs (4 unchanged) in "), "{edited}");
    assert!(pdf_text(&site.public().join("en/guide/first.pdf")).contains("changed"));

    // --no-cache typesets everything; `[pdf] cache = false` keeps no cache at all.
    assert!(!build_summary(&site, &["--no-cache"]).contains("unchanged"));
    let site = fixture(&format!("{CONFIG}\n[pdf]\ncache = false\n"));
    build_summary(&site, &[]);
    assert!(!build_summary(&site, &[]).contains("unchanged"));
    assert!(!site.root().join(".tejun-cache").exists());
    // check writes nothing, the cache included.
    let site = fixture(CONFIG);
    assert!(site.run(&["check"]).status.success());
    assert!(!site.root().join(".tejun-cache").exists());
}

#[test]
fn footnotes_print_at_the_foot_of_the_sheet_once_each() {
    let page = "+++\ntitle = \"脚注\"\n+++\n\n+++\nid = \"open\"\ntitle = \"開きます\"\n+++\n\n\
        「証明書」画面を開きます[^admin]。旧版では[^old]「設定」の下にあります。\n\n\
        +++\nid = \"renew\"\ntitle = \"更新します\"\n+++\n\n**更新**をクリックします[^admin]。\n\n\
        [^admin]: 管理者の権限が必要です。\n[^old]: バージョン 2 以前。\n[^unused]: 参照されない脚注。\n";
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/notes.md", page),
    ]);
    site.build();
    let text = squeeze(&pdf_text(&site.public().join("ja/notes.pdf")));
    assert_in_order(
        &text,
        &[
            "画面を開きます1。旧版では2「設定」",
            "更新をクリックします1。",
            "1管理者の権限が必要です。",
            "2バージョン2以前。",
        ]
        .map(String::from),
        "marks in the text, notes at the foot",
    );
    assert_eq!(text.matches("管理者の権限が必要です").count(), 1, "a note referred to twice prints once: {text}");
    assert!(!text.contains("参照されない脚注"), "a note nothing refers to has no place on paper: {text}");
}

#[test]
fn the_words_of_raw_html_blocks_are_printed() {
    let page = "+++\ntitle = \"移行\"\n+++\n\n<div class=\"note\">ファイアウォールの<b>例外設定</b>が<br>必要です。</div>\n\n\
        <details><summary>プロキシを使う場合</summary>\n\n設定を確認します。\n\n</details>\n\n<!-- 画像を差し替える -->\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/migrated.md", page)]);
    site.build();
    let text = squeeze(&pdf_text(&site.public().join("ja/migrated.pdf")));
    assert_in_order(
        &text,
        &["ファイアウォールの例外設定が必要です。", "プロキシを使う場合", "設定を確認します。"].map(String::from),
        "raw HTML's words where they were written",
    );
    assert!(!text.contains("差し替える"), "comments are not printed: {text}");
}

/// The words of `pdf`'s page `page` with their boxes (x min, y min, x max, y max).
fn word_boxes(pdf: &Path, page: usize) -> Vec<(String, [f64; 4])> {
    let page = page.to_string();
    let xhtml = poppler("pdftotext", &["-bbox", "-f", &page, "-l", &page], pdf);
    xhtml
        .split("<word ")
        .skip(1)
        .map(|word| {
            let number = |name: &str| -> f64 {
                let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                word[at..].split('"').next().unwrap().parse().unwrap()
            };
            let text = word.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (text, [number("xMin"), number("yMin"), number("xMax"), number("yMax")])
        })
        .collect()
}

#[test]
fn ruby_readings_print_above_their_text_and_are_not_searched_as_part_of_it() {
    // Furigana as HTML writes them (and Word's ruby, saved as a web page): for a
    // word, with the brackets a browser without ruby shows; one for each kanji.
    let page = "+++\ntitle = \"提出\"\n+++\n\n\
        <ruby>暗証<rp>（</rp><rt>あんしょう</rt><rp>）</rp></ruby>番号を入力し、<ruby>捺<rt>なつ</rt>印<rt>いん</rt></ruby>します。\n\n\
        +++\nid = \"submit\"\ntitle = \"<ruby>稟議<rt>りんぎ</rt></ruby>書を提出します\"\n+++\n\n\
        <div>\n<p><ruby>押印<rp>(</rp><rt>おういん</rt><rp>)</rp></ruby>は不要です。</p>\n</div>\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/submit.md", page)]);
    site.build();

    let html = Html::parse_document(&std::fs::read_to_string(site.public().join("ja/submit.html")).unwrap());
    assert_eq!(texts(&html, ".intro ruby rt"), ["あんしょう", "なつ", "いん"], "the browser shows them");
    assert_eq!(texts(&html, ".step-title ruby rt"), ["りんぎ"]);

    let entries = common::index_entries(&site.public().join("searchindex.ja.js"));
    let texts_and_titles: Vec<(&str, &str)> =
        entries.iter().map(|(_, _, title, text)| (title.as_str(), text.as_str())).collect();
    assert_eq!(
        texts_and_titles,
        [("ホーム", ""), ("提出", "暗証番号を入力し、捺印します。"), ("稟議書を提出します", "押印は不要です。")],
        "search reads the words as they are written, not with their readings in them"
    );

    let pdf = site.public().join("ja/submit.pdf");
    let text = squeeze(&pdf_text(&pdf));
    assert_in_order(
        &text,
        &["暗証番号を入力し、捺印します。", "稟議書を提出します", "押印は不要です。"].map(String::from),
        "the text reads on as written",
    );
    assert!(!text.contains('（') && !text.contains('('), "no brackets for browsers without ruby: {text}");
    let words = word_boxes(&pdf, 2);
    let find =
        |text: &str| words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text} in {words:?}")).1;
    for (reading, base) in [("あんしょう", "暗証"), ("いん", "印"), ("りんぎ", "稟議")] {
        let (reading, base) = (find(reading), find(base));
        assert!(reading[3] <= base[1] + 1.0, "{reading:?} is above {base:?}");
        assert!(base[1] - reading[1] < 12.0, "{reading:?} is right above {base:?}, not on a line of its own");
        let middle = |bounds: [f64; 4]| (bounds[0] + bounds[2]) / 2.0;
        assert!((middle(reading) - middle(base)).abs() < 2.0, "{reading:?} is centred over {base:?}");
    }
}

#[test]
fn a_long_setting_name_in_a_table_does_not_run_over_the_next_cells() {
    let page = "+++\ntitle = \"設定項目\"\n+++\n\n\
        | 項目名 | 説明 | 既定値 | 設定可能な値 | 備考 | 変更の反映 | 対象バージョン |\n|---|---|---|---|---|---|---|\n\
        | connection.timeout.milliseconds | サーバーへの接続がタイムアウトするまでの時間 | 30000 | 1000〜600000 | 長くすると応答待ちが増えます | 再起動後 | 2.3 以降 |\n\
        | proxy.server.address.with.port | プロキシサーバーのアドレスとポート番号 | なし | host:port 形式 | 社内ネットワークでは必須です | 即時 | すべて |\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/settings.md", page)]);
    site.build();
    let pdf = site.public().join("ja/settings.pdf");
    let words = word_boxes(&pdf, 2);
    let names: Vec<&(String, [f64; 4])> = words.iter().filter(|(text, _)| text.matches('.').count() >= 2).collect();
    assert_eq!(
        names.iter().map(|(text, _)| text.as_str()).collect::<Vec<_>>(),
        ["connection.timeout.milliseconds", "proxy.server.address.with.port"],
        "each name whole, on one line"
    );
    assert_no_word_runs_into_another(&words);
}

/// Every word box of an A4 sheet's `words` inside its right margin (21 mm) and clear
/// of every other on its line.
fn assert_inside_the_margins_and_apart(words: &[(String, [f64; 4])]) {
    let right_edge = 595.3 - 21.0 / 25.4 * 72.0;
    for (word, bounds) in words {
        assert!(bounds[2] <= right_edge + 1.0, "`{word}` {bounds:?} is past the margin at {right_edge:.1}");
    }
    assert_no_word_runs_into_another(words);
}

/// Every word box of `words` clear of every other on its line.
fn assert_no_word_runs_into_another(words: &[(String, [f64; 4])]) {
    for (a, box_a) in words {
        for (b, box_b) in words {
            let same_line = box_a[1] < box_b[3] && box_b[1] < box_a[3];
            let overlap = box_a[0] < box_b[2] - 0.5 && box_b[0] < box_a[2] - 0.5;
            assert!(a == b && box_a == box_b || !(same_line && overlap), "`{a}` {box_a:?} runs into `{b}` {box_b:?}");
        }
    }
}

#[test]
fn names_too_long_to_fit_whole_break_after_their_dots_and_stay_inside_the_page() {
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/settings.md", common::CROWDED_TABLE)]);
    site.build();
    let words = word_boxes(&site.public().join("ja/settings.pdf"), 2);
    let text: Vec<&str> = words.iter().map(|(text, _)| text.as_str()).collect();
    assert!(text.contains(&"proxy.") && text.contains(&"corporate."), "the name breaks after its dots: {text:?}");
    assert!(text.contains(&"2.0") && text.contains(&"2025-04-01"), "numbers stay whole: {text:?}");
    assert_inside_the_margins_and_apart(&words);
}

#[test]
fn a_crowded_table_is_set_smaller_so_its_headers_and_descriptions_stay_readable() {
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/fields.md", common::FIELD_TABLE)]);
    site.build();
    let words = word_boxes(&site.public().join("ja/fields.pdf"), 2);
    let text: Vec<&str> = words.iter().map(|(text, _)| text.as_str()).collect();
    for header in ["項目名", "桁数", "必須", "初期値", "入力規則", "説明", "備考"] {
        assert!(text.contains(&header), "the header `{header}` on one line: {text:?}");
    }
    assert!(text.contains(&"YYYYMMDD"), "the format whole, clear of the next cell: {text:?}");
    assert!(text.contains(&"beneficiary_"), "the long ID breaks after an underscore: {text:?}");
    let description = text.iter().find(|word| word.starts_with("振込を")).expect("the first description");
    assert!(description.chars().count() >= 4, "at least four characters a line: {text:?}");
    assert_inside_the_margins_and_apart(&words);
}

/// A record layout as bank file specifications print it: fourteen columns, too many
/// for a portrait sheet even in small type.
const RECORD_LAYOUT: &str = "\
    | No | 項目名 | 項目ID | 属性 | 桁数 | 開始位置 | 必須 | 初期値 | 入力規則 | 説明 | 備考 | 対応版 | 区分 | 変更履歴 |\n\
    |---:|---|---|---|---:|---:|:-:|---|---|---|---|---|---|---|\n\
    | 1 | データ区分 | record_type | 数字 | 1 | 1 | ○ | 1 | 半角数字 | ヘッダーレコードを表します。 | 固定値 | 2.0 以降 | 共通 | 2024 年 4 月に追加 |\n\
    | 2 | 種別コード | transfer_kind_code | 数字 | 2 | 2 | ○ | 21 | 半角数字 | 総合振込は 21、給与振込は 11 です。 | 賞与は 12 | 1.0 以降 | 振込 | なし |\n\
    | 3 | 依頼人名 | requester_name_kana | 文字 | 40 | 15 | ○ | なし | 半角カナ、英大文字 | 依頼人の名義（カナ）です。 | 左詰め、残りは空白 | 1.0 以降 | 共通 | 2025 年 1 月に桁数を変更 |\n";

#[test]
fn a_table_too_wide_for_a_portrait_sheet_prints_on_a_sheet_turned_sideways() {
    let page = format!(
        "+++\ntitle = \"全銀フォーマットの項目\"\n+++\n\nヘッダーレコードの項目は次のとおりです。\n\n{RECORD_LAYOUT}\n\
         データレコードは別表を参照してください。\n\n\
         1. 項目を確認します。\n\n{}\n",
        RECORD_LAYOUT.lines().map(|line| format!("   {line}")).collect::<Vec<_>>().join("\n")
    );
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/zengin.md", &page)]);
    site.build();
    let pdf = site.public().join("ja/zengin.pdf");
    let portrait = |(width, height): (f64, f64)| width < height;
    assert!(portrait(sheet_size(&pdf, 2)), "the page starts on a portrait sheet");
    assert!(squeeze(&page_text(&pdf, 2)).contains("ヘッダーレコードの項目は次のとおりです。"));

    let (width, height) = sheet_size(&pdf, 3);
    assert!((width - 841.9).abs() < 1.0 && (height - 595.3).abs() < 1.0, "A4 turned sideways: {width} × {height}");
    let words = word_boxes(&pdf, 3);
    let text: Vec<&str> = words.iter().map(|(text, _)| text.as_str()).collect();
    for header in ["項目名", "開始位置", "入力規則", "説明", "変更履歴"] {
        assert!(text.contains(&header), "the header `{header}` on one line: {text:?}");
    }
    assert!(text.contains(&"record_type"), "whole IDs: {text:?}");
    assert!(text.windows(3).any(|w| w == ["3", "/", "4"]), "the page number: {text:?}");
    let right_edge = width - 21.0 / 25.4 * 72.0;
    for (word, bounds) in &words {
        assert!(bounds[2] <= right_edge + 1.0, "`{word}` {bounds:?} is past the margin at {right_edge:.1}");
    }
    assert_no_word_runs_into_another(&words);

    assert!(portrait(sheet_size(&pdf, 4)), "the page goes on upright");
    let after = squeeze(&page_text(&pdf, 4));
    assert!(after.contains("データレコードは別表を参照してください。"), "{after}");
    assert!(after.contains("requester_"), "a table in a list item stays on the item's sheet: {after}");
}

#[test]
fn a_step_or_section_that_opens_with_a_sideways_table_takes_its_title_onto_that_sheet() {
    // Two steps fill most of the first sheet; the third is nothing but the record
    // layout, so its title would otherwise be left at the foot of the upright sheet.
    let filler = "振込データの作成前に、依頼人の口座と振込指定日を確認します。".repeat(12);
    let page = format!(
        "+++\ntitle = \"総合振込の準備\"\n+++\n\n\
         +++\nid = \"check-account\"\ntitle = \"依頼人口座を確認します\"\n+++\n\n{filler}\n\n{filler}\n\n{filler}\n\n\
         +++\nid = \"check-date\"\ntitle = \"振込指定日を確認します\"\n+++\n\n{filler}\n\n{filler}\n\n{filler}\n\n\
         +++\nid = \"record-layout\"\ntitle = \"ヘッダーレコードの項目を確認します\"\n+++\n\n{RECORD_LAYOUT}\n\
         +++\nid = \"upload\"\ntitle = \"振込データを送信します\"\n+++\n\n送信ボタンをクリックします。\n"
    );
    // A section whose heading stands over nothing but the table.
    let reference = format!(
        "+++\ntitle = \"レコードの形式\"\n+++\n\n{filler}\n\n{filler}\n\n{filler}\n\n{filler}\n\n{filler}\n\n\
         ## ヘッダーレコード\n\n{RECORD_LAYOUT}\n## データレコード\n\n別表を参照してください。\n"
    );
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/prepare.md", &page),
        ("content/reference.md", &reference),
    ]);
    site.build();
    let pdf = site.public().join("ja/reference.pdf");
    let table = sheet_containing(&pdf, "開始位置");
    let (width, height) = sheet_size(&pdf, table);
    assert!(width > height, "the table is on a sideways sheet");
    assert!(squeeze(&page_text(&pdf, table)).contains("ヘッダーレコードNo項目名"), "under the section's heading");
    assert!(!squeeze(&page_text(&pdf, table - 1)).contains("ヘッダーレコード"), "not left on the sheet before");

    let pdf = site.public().join("ja/prepare.pdf");
    let sheet_with = |text: &str| sheet_containing(&pdf, text);
    let landscape = |sheet: usize| {
        let (width, height) = sheet_size(&pdf, sheet);
        width > height
    };
    let title = sheet_with("ヘッダーレコードの項目を確認します");
    assert!(landscape(title), "the step's title is on the sideways sheet, sheet {title}");
    assert_eq!(sheet_with("開始位置"), title, "with the table under it");
    assert!(!landscape(sheet_with("振込指定日を確認します")), "the steps before stay upright");
    let next = sheet_with("振込データを送信します");
    assert!(!landscape(next) && next == title + 1, "the next step goes on upright, sheet {next}");
}

#[test]
fn a_raw_html_table_with_merged_cells_prints_as_a_table_with_its_cells_spanning() {
    // A fee table as Word and Confluence export it: a heading cell over two columns,
    // another down two rows, an amount across both columns of its row.
    let page = "+++\ntitle = \"振込の料金\"\n+++\n\n<table>\n<caption>振込手数料一覧</caption>\n<thead>\n\
        <tr><th rowspan=\"2\">区分</th><th colspan=\"2\">手数料</th></tr>\n<tr><th>当行宛</th><th>他行宛</th></tr>\n\
        </thead>\n<tbody>\n<tr><td>3 万円未満</td><td>110 円</td><td>330 円</td></tr>\n\
        <tr><td>3 万円以上</td><td colspan=\"2\">440 円（一律）</td></tr>\n</tbody>\n</table>\n\n後の段落。\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/fees.md", page)]);
    site.build();
    let words = word_boxes(&site.public().join("ja/fees.pdf"), 2);
    let at = |text: &str| words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text}: {words:?}")).1;
    let same = |a: f64, b: f64| (a - b).abs() < 1.0;
    assert!(same(at("当行宛")[0], at("110")[0]) && same(at("他行宛")[0], at("330")[0]), "columns: {words:?}");
    assert!(same(at("手数料")[0], at("当行宛")[0]), "the merged heading starts over its first column");
    assert!(same(at("440")[0], at("110")[0]), "the merged amount starts in its first column");
    assert!(same(at("区分")[1], at("手数料")[1]) && at("当行宛")[1] > at("手数料")[1] + 5.0, "rows: {words:?}");
    assert!(at("後の段落。")[1] > at("440")[1], "the paragraph after the table");
    assert!(at("振込手数料一覧")[1] < at("区分")[1], "the caption above the table");
}

#[test]
fn a_table_without_a_header_prints_its_first_row_like_the_others() {
    // A table Pandoc writes between two rules of dashes (a Word or Confluence table
    // whose first row is no header), beside one with a header.
    let page = "+++\ntitle = \"Settings\"\n+++\n\n\
        | Setting | Value |\n|---|---|\n| Setting | Value |\n\n\
        ----------- -------\nTimeout     30\nTimeout     60\n----------- -------\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"en\"]\n"), ("content/settings.md", page)]);
    site.build();
    let html = Html::parse_document(&std::fs::read_to_string(site.public().join("en/settings.html")).unwrap());
    assert_eq!(texts(&html, "table th"), ["Setting", "Value"], "only the first table has a header");
    let words = word_boxes(&site.public().join("en/settings.pdf"), 2);
    let widths = |text: &str| -> Vec<f64> {
        words.iter().filter(|(word, _)| word == text).map(|(_, bounds)| bounds[2] - bounds[0]).collect()
    };
    let (setting, timeout) = (widths("Setting"), widths("Timeout"));
    assert_eq!((setting.len(), timeout.len()), (2, 2), "{words:?}");
    assert!(setting[0] > setting[1] + 0.4, "the header's word is bold, so wider: {setting:?}");
    assert!((timeout[0] - timeout[1]).abs() < 0.1, "the first row is not bold: {timeout:?}");
}

#[test]
fn raw_html_lists_print_their_items_indented_under_bullets_and_numbers() {
    // A page saved from an HTML wiki: its lists and glossary kept as HTML.
    let page = "+++\ntitle = \"Certificates\"\n+++\n\n\
        <ul>\n<li>Open Edge\n<ol>\n<li>Settings</li>\n<li>Privacy</li>\n</ol>\n</li>\n<li>Restart</li>\n</ul>\n\n\
        <dl>\n<dt>Certificate</dt>\n<dd>A file that proves who you are</dd>\n</dl>\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"en\"]\n"), ("content/certificates.md", page)]);
    site.build();
    let html = Html::parse_document(&std::fs::read_to_string(site.public().join("en/certificates.html")).unwrap());
    assert_eq!(texts(&html, "ul > li > ol > li"), ["Settings", "Privacy"], "the browser shows the HTML as it is");
    let words = word_boxes(&site.public().join("en/certificates.pdf"), 2);
    let left =
        |text: &str| words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text}: {words:?}")).1[0];
    let markers: Vec<&str> =
        words.iter().map(|(word, _)| word.as_str()).filter(|w| ["•", "1.", "2."].contains(w)).collect();
    assert_eq!(markers, ["•", "1.", "2.", "•"], "{words:?}");
    assert!(left("•") < left("Open") && left("1.") < left("Settings"), "each marker before its item");
    assert_eq!(left("Open"), left("Restart"), "items of one list line up");
    assert!(left("Settings") > left("Open") + 5.0, "the inner list is indented: {words:?}");
    assert_eq!(left("Settings"), left("Privacy"));
    assert!(left("A") > left("Certificate") + 5.0, "the definition is indented under its term: {words:?}");
    assert_ne!(
        words.iter().find(|(word, _)| word == "Certificate").unwrap().1[1],
        words.iter().find(|(word, _)| word == "A").unwrap().1[1],
        "on a line of its own"
    );
}

#[test]
fn a_code_block_prints_the_file_it_shows_above_it() {
    let page =
        "+++\ntitle = \"設定\"\n+++\n\n次の内容で保存します。\n\n```ruby:app/models/user.rb\nclass User\nend\n```\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/code.md", page)]);
    site.build();
    let text = squeeze(&pdf_text(&site.public().join("ja/code.pdf")));
    assert_in_order(
        &text,
        &["次の内容で保存します。", "app/models/user.rb", "classUser"].map(String::from),
        "the file's name between the text and its code",
    );
}

#[test]
fn every_content_tab_prints_under_its_label_and_mkdocs_notes_are_alerts() {
    let page = "+++\ntitle = \"保存\"\n+++\n\n!!! warning \"作業の前に\"\n    管理者だけが行えます。\n\n\
        === \"Edge\"\n\n    右上の「…」をクリックします。\n\n=== \"Chrome\"\n\n    右上の「︙」をクリックします。\n\n終わりです。\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/save.md", page)]);
    site.build();
    let text = squeeze(&pdf_text(&site.public().join("ja/save.pdf")));
    assert_in_order(
        &text,
        &[
            "警告",
            "作業の前に",
            "管理者だけが行えます。",
            "Edge",
            "右上の「…」",
            "Chrome",
            "右上の「︙」",
            "終わりです。",
        ]
        .map(String::from),
        "the alert, then each tab's label and content",
    );
}

#[test]
fn folded_callouts_print_whole_under_their_title() {
    let page = "+++\ntitle = \"承認\"\n+++\n\n> [!tip]- 折りたたみ\n> 畳まれていた内容。\n\n\
        ::: {.callout-caution collapse=\"true\"}\n元に戻せません。\n:::\n\n終わりです。\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/approve.md", page)]);
    site.build();
    let text = squeeze(&pdf_text(&site.public().join("ja/approve.pdf")));
    assert_in_order(
        &text,
        &["ヒント", "折りたたみ", "畳まれていた内容。", "注意", "元に戻せません。", "終わりです。"].map(String::from),
        "each folded alert's kind, title and content",
    );
}

#[test]
fn inline_html_breaks_lines_in_table_cells_and_frames_keys() {
    let page = "+++\ntitle = \"入力\"\n+++\n\n| 項目 | 入力できる文字 |\n|---|---|\n\
        | ユーザーID | 半角英数字<br>8文字以上 |\n| 暗証番号 | 数字<br/>4桁 |\n\n\
        <kbd>Ctrl</kbd>+<kbd>C</kbd>でコピーし、H<sub>2</sub>O と<b>太字<i>斜体</b>の後</i>も印刷します。<b>閉じないタグ\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/input.md", page)]);
    site.build();
    let pdf = site.public().join("ja/input.pdf");
    let words = word_boxes(&pdf, 2);
    let top =
        |text: &str| words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text} in {words:?}")).1[1];
    assert!(top("文字以上") > top("半角英数字") + 5.0, "<br> starts a new line in the cell: {words:?}");
    assert!(top("4桁") > top("数字") + 5.0, "<br/> too");
    let text = squeeze(&pdf_text(&pdf));
    assert_in_order(
        &text,
        &["Ctrl+Cでコピーし、H2Oと太字斜体の後も印刷します。閉じないタグ"].map(String::from),
        "the words of every element, in order",
    );
}

/// Every link in `pdf` to a place inside it, as (its text, the sheet it goes to).
fn internal_links(pdf: &Path) -> Vec<(String, usize)> {
    let xml = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout"], pdf);
    let link = Regex::new(r##"<a href="[^"#]*\.html#(\d+)">([^<]*)</a>"##).unwrap();
    link.captures_iter(&xml).map(|c| (squeeze(&c[2]), c[1].parse().unwrap())).collect()
}

#[test]
fn links_into_the_manual_print_with_the_page_they_land_on() {
    // Pages as migrated from a wiki or Word: ordinary links to other pages, to their
    // headings, to headings of the same page and to Word's bookmarks, with enough
    // text between them that they land on different sheets.
    let filler = "社内ネットワークの利用規程に従い、接続する前に端末の状態を確認してください。\n\n".repeat(45);
    let setup = format!(
        "+++\ntitle = \"初期設定\"\nweight = 1\n+++\n\n\
         先に[ネットワークの確認](#ネットワークの確認)をします。無線は[こちら](#_Ref200)。\n\n\
         ## ネットワークの確認\n\n{filler}### 有線の場合\n\nLAN ケーブルを挿します。\n\n{filler}\
         ### 無線の場合\n\n<span id=\"_Ref200\" class=\"anchor\"></span>社内 Wi-Fi を選びます。\n\n\
         ## プロキシの設定 {{#proxy}}\n\n+++\nid = \"proxy\"\ntitle = \"プロキシを設定する\"\n+++\n\n\
         詳しくは[証明書の取得](obtain.md)を、ケーブルは[有線の場合](#有線の場合)を参照。\n"
    );
    let obtain = "+++\ntitle = \"証明書の取得\"\nweight = 2\n+++\n\n\
         ## [初期設定](setup.md)の後で\n\n+++\nid = \"download\"\ntitle = \"[プロキシ](setup.md#proxy)を確かめてダウンロードする\"\n+++\n\n\
         [プロキシの設定](setup.md#proxy)と[無線](setup.md#_Ref200)が必要です。\n";
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n"),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n\nまず[初期設定](setup.md)をします。\n"),
        ("content/setup.md", &setup),
        ("content/obtain.md", obtain),
    ]);
    site.build();
    let manual = site.public().join("ja/manual.pdf");
    let lands = |text: &str| sheet_containing(&manual, text);
    let expected = [
        ("初期設定", lands("初期設定先に")),
        ("ネットワークの確認", lands("ネットワークの確認社内")),
        ("こちら", lands("社内Wi-Fiを選びます")),
        ("有線の場合", lands("LANケーブルを挿します")),
        ("証明書の取得", lands("証明書の取得初期設定の後で")),
        ("プロキシの設定", lands("プロキシの設定手順1")),
        ("無線", lands("社内Wi-Fiを選びます")),
    ];
    assert!(
        expected[1].1 < expected[3].1 && expected[3].1 < expected[2].1,
        "the targets are on three sheets: {expected:?}"
    );
    let text = squeeze(&pdf_text(&manual));
    let links = internal_links(&manual);
    for (words, sheet) in expected {
        let printed = format!("{words}（{sheet}ページ）");
        assert!(text.contains(&printed), "`{printed}` is printed: {text}");
        assert!(links.contains(&(printed.clone(), sheet)), "`{printed}` is a link to sheet {sheet}: {links:?}");
    }
    // In a heading the link is its text: the bookmarks and contents show the title.
    let outline = poppler("pdftohtml", &["-xml", "-i", "-q", "-stdout"], &manual);
    assert!(outline.contains(">初期設定の後で</item>"), "{outline}");
    assert!(outline.contains(">手順 1 プロキシを確かめてダウンロードする</item>"), "{outline}");
    assert!(text.contains("手順1プロキシを確かめてダウンロードするプロキシの設定（"), "{text}");
    assert!(text.contains("証明書の取得初期設定の後で手順1"), "{text}");

    // A handout has the pages of its own page; a link to another page reads as in HTML.
    let handout = site.public().join("ja/setup.pdf");
    let text = squeeze(&pdf_text(&handout));
    let wired = sheet_containing(&handout, "LANケーブルを挿します");
    assert!(text.contains(&format!("有線の場合（{wired}ページ）を参照")), "{text}");
    assert!(text.contains("詳しくは証明書の取得を、"), "{text}");
}

#[test]
fn aligned_raw_html_stays_aligned_on_screen_and_on_paper() {
    // As Word's HTML exports and old intranet pages set a revision date on the right
    // and 社外秘 in the middle, one block or around Markdown.
    let page = "+++\ntitle = \"規程\"\n+++\n\n<p align=\"right\">改訂日</p>\n\n<div align=\"center\">\n\n機密区分\n\n</div>\n\n\
        <p style=\"margin-top: 2em; text-align: right\">情報システム部</p>\n\n<center>中央の文字</center>\n\n本文です。\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/rules.md", page)]);
    site.build();
    let html = site.html("ja/rules.html");
    assert_eq!(attr(&html, "main p[align]", "align"), ["right"]);
    assert_eq!(texts(&html, "main div[align='center'] > p"), ["機密区分"]);
    assert_eq!(attr(&html, "main p[style]", "style"), ["text-align: right"], "only the alignment of a style");
    assert_eq!(texts(&html, "main center"), ["中央の文字"]);

    let words = word_boxes(&site.public().join("ja/rules.pdf"), 2);
    let place =
        |text: &str| words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text}: {words:?}")).1;
    let left = place("本文です。")[0];
    let right = place("改訂日")[2];
    assert!(right > 500.0 && left < 80.0, "{words:?}");
    assert!((place("情報システム部")[2] - right).abs() < 1.0, "right-aligned: {words:?}");
    for centred in ["機密区分", "中央の文字"] {
        let [x0, _, x1, _] = place(centred);
        assert!(((x0 + x1) / 2.0 - (left + right) / 2.0).abs() < 2.0, "{centred} is centred: {words:?}");
    }
}

#[test]
fn text_in_colour_keeps_its_colour_on_screen_and_on_paper() {
    // 赤字, as Word's HTML and old intranet pages mark what must not be missed.
    let page = "+++\ntitle = \"保存\"\n+++\n\n作業の前に <font color=\"red\" face=\"ＭＳ ゴシック\">必ず保存</font> してください。\n\n\
        <span style=\"font-size: 9pt; color: #C00000\">赤字の注意</span> と \
        <span style=\"background-color: yellow\">黄色の印</span> と <span lang=\"EN-US\">plain</span>\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/save.md", page)]);
    site.build();
    let html = site.html("ja/save.html");
    assert_eq!(attr(&html, "main font", "color"), ["red"]);
    assert_eq!(attr(&html, "main span[style]", "style"), ["color: #c00000", "background-color: #ffff00"]);

    let pdf = site.public().join("ja/save.pdf");
    let words = word_boxes(&pdf, 2);
    let sheet = pdf_sheet(&pdf, 2, 100);
    // How many pixels of each word are of the colour `is` tells.
    let count = |text: &str, is: &dyn Fn([u8; 3]) -> bool| {
        let [x0, y0, x1, y1] =
            words.iter().find(|(word, _)| word == text).unwrap_or_else(|| panic!("{text}: {words:?}")).1;
        let px = |points: f64| (points * 100.0 / 72.0) as u32;
        (px(x0)..=px(x1))
            .flat_map(|x| (px(y0)..=px(y1)).map(move |y| (x, y)))
            .filter(|&(x, y)| is(sheet.get_pixel(x, y).0))
            .count()
    };
    let red = |[r, g, b]: [u8; 3]| r > 150 && g < 90 && b < 90;
    let yellow = |[r, g, b]: [u8; 3]| r > 220 && g > 220 && b < 120;
    for coloured in ["必ず保存", "赤字の注意"] {
        assert!(count(coloured, &red) > 20, "{coloured} is red");
    }
    for plain in ["作業の前に", "してください。", "plain"] {
        assert_eq!(count(plain, &red), 0, "{plain} is not red");
    }
    assert!(count("黄色の印", &yellow) > 100, "a marker's yellow behind 黄色の印");
    assert_eq!(count("plain", &yellow), 0);
}

#[test]
fn bold_and_underlined_spans_stay_so_on_screen_and_on_paper() {
    // Word's HTML sets bold and underline on a run with a style, not `<b>` or `<u>`.
    // The same words three times: plain, bold, underlined.
    let page = "+++\ntitle = \"保存\"\n+++\n\n注意書き\n\n\
        <span style=\"font-weight: bold; font-family: 'ＭＳ ゴシック'\">注意書き</span>\n\n\
        <span style=\"text-decoration: underline\">注意書き</span>\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/save.md", page)]);
    site.build();
    let html = site.html("ja/save.html");
    assert_eq!(attr(&html, "main span[style]", "style"), ["font-weight: bold", "text-decoration: underline"]);

    let pdf = site.public().join("ja/save.pdf");
    let boxes: Vec<[f64; 4]> =
        word_boxes(&pdf, 2).into_iter().filter(|(word, _)| word == "注意書き").map(|(_, place)| place).collect();
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    let sheet = pdf_sheet(&pdf, 2, 150);
    let px = |points: f64| (points * 150.0 / 72.0) as u32;
    // The dark pixels of each pixel row of the nth line, from just above its box to
    // a little under it (an underline sits on the box's foot), and the box's width.
    let rows = |nth: usize| {
        let [x0, y0, x1, y1] = boxes[nth];
        let row = |y: u32| (px(x0)..=px(x1)).filter(|&x| sheet.get_pixel(x, y).0.iter().all(|&c| c < 110)).count();
        ((px(y0) - 2..=px(y1) + 6).map(row).collect::<Vec<_>>(), px(x1) - px(x0))
    };
    let ((plain, width), (bold, _), (underlined, _)) = (rows(0), rows(1), rows(2));
    let sum = |rows: &[usize]| rows.iter().sum::<usize>() as f64;
    let ruled = |rows: &[usize]| rows.iter().any(|&dark| dark as f64 > 0.9 * width as f64);
    // The same words plain give the same count: bold strokes are wider.
    assert!(sum(&bold) > sum(&plain) * 1.15, "bold is darker: {bold:?} against {plain:?}");
    assert!(
        ruled(&underlined) && !ruled(&plain) && !ruled(&bold),
        "a line under the underlined words only: {underlined:?}"
    );
    let glyphs = sum(&underlined) - *underlined.iter().max().unwrap_or(&0) as f64;
    assert!(glyphs < sum(&plain) * 1.05, "underlined, not bold: {underlined:?} against {plain:?}");
}

#[test]
fn captioned_tables_are_numbered_and_referenced_on_screen_and_on_paper() {
    // Tables as Word users caption them (表 1 above, typed) and as Pandoc writes a
    // caption (`: 題` under the table); a step's small table without one is no 表.
    let filler = "振込の前に、振込先の口座番号と受取人名を通帳で確認してください。\n\n".repeat(50);
    let fees = |lang: &str| {
        let (title, intro, first, limits, step) = if lang == "ja" {
            (
                "振込手数料",
                "手数料は [](table:fees)、限度額は [](table:limits) を参照。",
                "表 1 振込手数料 {#fees}",
                ": 1日あたりの限度額 {#limits}",
                "限度額を確かめます",
            )
        } else {
            (
                "Transfer fees",
                "See [](table:fees) for fees and [](table:limits) for limits.",
                "Table 1. Transfer fees {#fees}",
                ": Daily limits {#limits}",
                "Check the limit",
            )
        };
        format!(
            "+++\ntitle = \"{title}\"\nweight = 1\n+++\n\n{intro}\n\n{first}\n\n| 金額 | 手数料 |\n|---|---:|\n| 3万円未満 | 110円 |\n| 3万円以上 | 330円 |\n\n\
             | 曜日 | 受付 |\n|---|---|\n| 平日 | 9:00 |\n\n## {title}\n\n{filler}+++\nid = \"check\"\ntitle = \"{step}\"\n+++\n\n\
             | 区分 | 限度額 |\n|---|---:|\n| 個人 | 100万円 |\n\n{limits}\n"
        )
    };
    let other = |lang: &str| {
        let (title, text) = if lang == "ja" {
            ("承認", "[](table:fees/fees) の手数料がかかります。")
        } else {
            ("Approval", "The fees of [](table:fees/fees) apply.")
        };
        format!("+++\ntitle = \"{title}\"\nweight = 2\n+++\n\n{text}\n")
    };
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\", \"en\"]\n"),
        ("content/fees.ja.md", &fees("ja")),
        ("content/fees.en.md", &fees("en")),
        ("content/approve.ja.md", &other("ja")),
        ("content/approve.en.md", &other("en")),
    ]);
    site.build();
    let html = site.html("ja/fees.html");
    assert_eq!(attr(&html, "main table[id]", "id"), ["table-fees", "table-limits"]);
    assert_eq!(texts(&html, "main table caption"), ["表 1 振込手数料", "表 2 1日あたりの限度額"]);
    assert_eq!(texts(&html, "main table caption .table-label"), ["表 1", "表 2"]);
    assert_eq!(select(&html, "main table").len(), 3, "the table without a caption is a table, unnumbered");
    assert!(select(&html, "#step-check table#table-limits").len() == 1, "Pandoc's caption under the step's table");
    assert!(!html.html().contains("{#"), "the written id is not shown");
    assert_eq!(texts(&html, ".intro a.xref-table"), ["表 1", "表 2"]);
    assert_eq!(attr(&html, ".intro a.xref-table", "href"), ["#table-fees", "#table-limits"]);
    let en = site.html("en/fees.html");
    assert_eq!(texts(&en, "main table caption"), ["Table 1 Transfer fees", "Table 2 Daily limits"]);
    assert_eq!(texts(&en, ".intro a.xref-table"), ["Table 1", "Table 2"]);
    let approve = site.html("ja/approve.html");
    assert_eq!(texts(&approve, "main a.xref-table"), ["「振込手数料」の表 1"]);
    assert_eq!(attr(&approve, "main a.xref-table", "href"), ["fees.html#table-fees"]);
    assert_links_resolve(&site.public());

    // On paper: the caption above its table, and each reference with the sheet the
    // table is on, a link there.
    let manual = site.public().join("ja/manual.pdf");
    let text = squeeze(&pdf_text(&manual));
    let first = sheet_containing(&manual, "表1振込手数料");
    let second = sheet_containing(&manual, "表21日あたりの限度額");
    assert!(first < second, "the tables are on two sheets: {first}, {second}");
    assert!(text.contains("表1振込手数料金額手数料3万円未満110円"), "the caption is above its table: {text}");
    assert!(text.contains("表21日あたりの限度額区分限度額個人100万円"), "above the step's table too: {text}");
    let links = internal_links(&manual);
    for (printed, sheet) in [(format!("表1（{first}ページ）"), first), (format!("表2（{second}ページ）"), second)]
    {
        assert!(text.contains(&printed), "`{printed}` is printed: {text}");
        assert!(links.contains(&(printed.clone(), sheet)), "`{printed}` is a link to sheet {sheet}: {links:?}");
    }
    assert!(text.contains(&format!("「振込手数料」の表1（{first}ページ）の手数料")), "{text}");
    let en_text = squeeze(&pdf_text(&site.public().join("en/manual.pdf")));
    assert!(en_text.contains("SeeTable1(page") && en_text.contains("Table1Transferfees"), "{en_text}");

    // A reference to a table that is not there is an error with the id meant.
    site.write("content/approve.ja.md", &other("ja").replace("table:fees/fees", "table:fees/fee"));
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("no table `fee` on page `fees`") && stderr.contains("did you mean `fees`?"), "{stderr}");
}

/// Red pixels (a stamp's) in the top eighth of `sheet`, in its left and right halves.
fn red_at_the_top(sheet: &image::RgbImage) -> (usize, usize) {
    let (width, height) = sheet.dimensions();
    let mut halves = (0, 0);
    for (x, y, pixel) in sheet.enumerate_pixels() {
        let [r, g, b] = pixel.0;
        if y < height / 8 && r > 150 && g < 110 && b < 110 {
            if x < width / 2 { halves.0 += 1 } else { halves.1 += 1 }
        }
    }
    halves
}

#[test]
fn the_classification_marks_every_page_and_is_stamped_on_every_sheet() {
    let site = fixture(&format!(
        "{CONFIG}\n[classification]\nja = \"社外秘\"\nen = \"Confidential\"\n\n[pdf]\npaper = \"a5\"\n"
    ));
    site.build();
    for (lang, marking) in [("ja", "社外秘"), ("en", "Confidential")] {
        for page in ["index.html", "guide/index.html", "guide/first.html"] {
            let html = site.html(&format!("{lang}/{page}"));
            assert_eq!(texts(&html, ".topbar > .classification"), [marking], "{lang}/{page}");
        }
        // On screen in the top bar, and on a page printed from the browser.
        let (public, page) = (site.public(), format!("{lang}/guide/first.html"));
        let env =
            [("TEJUN_PUBLIC", public.as_os_str()), ("TEJUN_PAGE", page.as_ref()), ("TEJUN_MARKING", marking.as_ref())];
        common::node(&["tests/e2e/classification.e2e.js"], &env);
        for pdf in ["guide/first.pdf", "manual.pdf"] {
            let pdf = site.public().join(lang).join(pdf);
            for sheet in 1..=page_count(&pdf) {
                assert!(page_text(&pdf, sheet).contains(marking), "sheet {sheet} of {} lacks {marking}", pdf.display());
            }
            // A red stamp at the top right of the title page as of the others.
            for sheet in [1, 2] {
                let (left, right) = red_at_the_top(&pdf_sheet(&pdf, sheet, 60));
                assert!(left == 0 && right > 20, "sheet {sheet} of {}: red {left} left, {right} right", pdf.display());
            }
            // In the running header, right of the page's title and clear of it, even
            // on A5.
            let words = word_boxes(&pdf, 2);
            let stamp = words.iter().find(|(word, _)| word == marking).expect("the marking on sheet 2").1;
            for (word, [x0, y0, x1, y1]) in words.iter().filter(|(word, _)| word != marking) {
                let apart = *x1 <= stamp[0] || *x0 >= stamp[2] || *y1 <= stamp[1] || *y0 >= stamp[3];
                assert!(apart, "`{word}` overlaps the marking on sheet 2 of {}", pdf.display());
            }
            // On the header's line, beside the manual's title at its left.
            let title = if lang == "ja" { "テスト手順書" } else { "Test" };
            let title = words.iter().find(|(word, _)| word == title).expect("the header's title").1;
            let middle = |[_, y0, _, y1]: [f64; 4]| (y0 + y1) / 2.0;
            assert!((middle(stamp) - middle(title)).abs() < 2.0, "the marking {stamp:?}, the header {title:?}");
        }
    }
    // Without one, nothing is marked.
    site.write("tejun.toml", CONFIG);
    site.build();
    let first = site.public().join("ja/guide/first.pdf");
    assert_eq!(red_at_the_top(&pdf_sheet(&first, 1, 60)), (0, 0));
    assert!(select(&site.html("ja/guide/first.html"), ".classification").is_empty());
    // A language the manual is not in is an error at its line.
    site.write("tejun.toml", &format!("{CONFIG}\n[classification]\nfr = \"Confidentiel\"\n"));
    let output = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && stderr.contains("[classification] has `fr`"), "{stderr}");
}
