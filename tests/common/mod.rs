//! Fixture sites for integration tests: write a small site into a temporary folder,
//! run the real `tejun` binary on it, and read the output back as parsed HTML.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

/// A page of settings in a table of ten columns whose longest words together are
/// wider than A4 or a browser's column of text: a setting's name, a host, a Windows
/// path in code, a version and a date.
pub const CROWDED_TABLE: &str = "+++\ntitle = \"設定一覧\"\n+++\n\n\
    | 項目 | 値 | 説明 | 既定値 | 範囲 | 単位 | 備考 | 対象 | 版 | 更新 |\n|---|---|---|---|---|---|---|---|---|---|\n\
    | proxy.host.name.for.the.corporate.network | proxy8.example.co.jp | 接続に使うプロキシのホスト名です。 | \
    `C:\\Users\\tanaka\\AppData\\Local\\BizIB\\certificates` | - | - | 管理者に確認 | 全員 | 2.0 | 2025-04-01 |\n";

/// A data file's fields as a bank's manual lists them: ten columns, IDs with
/// underscores, a format in capitals, a description of a sentence or two.
pub const FIELD_TABLE: &str = "+++\ntitle = \"振込データの項目\"\n+++\n\n\
    | No | 項目名 | 項目ID | 型 | 桁数 | 必須 | 初期値 | 入力規則 | 説明 | 備考 |\n\
    |---:|---|---|---|---:|:-:|---|---|---|---|\n\
    | 1 | 振込指定日 | transfer_date | 日付 | 8 | ○ | 当日 | YYYYMMDD 形式 | 振込を実行する日です。営業日を指定します。 | 15 時以降は翌営業日扱い |\n\
    | 2 | 仕向銀行番号 | sender_bank_code | 数字 | 4 | ○ | なし | 半角数字 | 振込元の金融機関コードです。 | 全銀協の統一コード |\n\
    | 3 | 受取人名 | beneficiary_name_kana | 文字 | 30 | ○ | なし | 半角カナ、英大文字 | 受取人の口座名義（カナ）です。 | 濁点は 1 文字に数えます |\n\
    | 5 | EDI 情報 | edi_information | 文字 | 20 | | 空白 | 半角英数字 | 受取人に通知する情報です。 | XML 形式の場合は別表 |\n";

pub const CONFIG: &str =
    "languages = [\"ja\", \"en\"]\ndefault_language = \"ja\"\n\n[title]\nja = \"テスト手順書\"\nen = \"Test manual\"\n";

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with the given files (path relative to the site root → text).
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site { dir: tempfile::tempdir().expect("temporary folder") };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Runs `tejun ARGS --root SITE`.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_tejun"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("tejun runs")
    }

    /// Builds and insists it succeeded.
    pub fn build(&self) {
        let output = self.run(&["build"]);
        assert!(output.status.success(), "tejun build failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }

    pub fn html(&self, path: &str) -> Html {
        let text = std::fs::read_to_string(self.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        Html::parse_document(&text)
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text(element: &scraper::ElementRef) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text).collect()
}

pub fn attr(html: &Html, css: &str, name: &str) -> Vec<String> {
    select(html, css).iter().filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir(dir) {
        let rel = entry.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        files.insert(rel, std::fs::read(&entry).unwrap());
    }
    files
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

/// Checks that every `href` and `src` in every HTML file under `public` is relative,
/// names a file (not a folder), and that the file exists — the site works from
/// `file://`. Returns how many links were checked.
pub fn assert_links_resolve(public: &Path) -> usize {
    let mut checked = 0;
    for (rel, bytes) in read_tree(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        let mut ids = std::collections::BTreeSet::new();
        for element in select(&html, "[id]") {
            let id = element.value().attr("id").unwrap();
            assert!(ids.insert(id), "{rel}: the id {id:?} is given twice, so a link to it may land on either");
        }
        let base = Path::new(&rel).parent().unwrap().to_path_buf();
        for element in select(&html, "[href], [src]") {
            let link = element.value().attr("href").or(element.value().attr("src")).unwrap();
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            assert!(!link.starts_with('/'), "{rel}: absolute link {link}");
            let path = link.split('#').next().unwrap();
            if path.is_empty() {
                let id = &link[1..];
                assert!(
                    id.is_empty() || !select(&html, &format!("[id=\"{id}\"], a[name=\"{id}\"]")).is_empty(),
                    "{rel}: anchor {link} has no target"
                );
                continue;
            }
            assert!(!path.ends_with('/'), "{rel}: link to a folder: {link}");
            let target = normalize(&base.join(percent_decoded(path)));
            assert!(public.join(&target).is_file(), "{rel}: {link} → {} does not exist", target.display());
            if let (Some(fragment), true) = (link.split_once('#').map(|x| x.1), path.ends_with(".html")) {
                let target_html = Html::parse_document(&std::fs::read_to_string(public.join(&target)).unwrap());
                assert!(
                    !select(&target_html, &format!("[id=\"{fragment}\"], a[name=\"{fragment}\"]")).is_empty(),
                    "{rel}: {link} points at a missing anchor"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// `path` as a browser reads it from an address: `%20` is a space.
fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("addresses encode UTF-8")
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                assert!(out.pop(), "link leaves the output folder: {}", path.display());
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Runs `node ARGS` from the repository root with `env` set; fails with how to install
/// Node when it is missing, and with the script's output when it fails.
pub fn node<V: AsRef<std::ffi::OsStr>>(args: &[&str], env: &[(&str, V)]) {
    let mut command = std::process::Command::new("node");
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run node ({e}): the browser and search tests need Node.js 18 or newer (apt-get install nodejs)")
    });
    assert!(
        output.status.success(),
        "node {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs a poppler tool on `pdf` and returns its output; fails saying what to install
/// when poppler is missing.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = std::process::Command::new(tool).args(args).arg(pdf).arg("-").output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install poppler-utils (Debian: apt-get install poppler-utils)")
    });
    assert!(output.status.success(), "{tool} {}: {}", pdf.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The images `pdf` places, as `pdfimages -list` lists them: each one's pixels,
/// width and height, and how wide it prints, in millimetres.
pub fn pdf_images(pdf: &Path) -> Vec<(u32, u32, f64)> {
    // `pdfimages -list` takes no output root (`-`, as `poppler` passes, exits 99).
    let listed = std::process::Command::new("pdfimages").arg("-list").arg(pdf).output().unwrap_or_else(|e| {
        panic!("cannot run pdfimages ({e}): install poppler-utils (Debian: apt-get install poppler-utils)")
    });
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    let image = |line: &str| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let number = |at: usize| fields.get(at)?.parse::<f64>().ok();
        let (width, height, ppi) = (number(3)?, number(4)?, number(12)?);
        Some((width as u32, height as u32, width / ppi * 25.4))
    };
    listed.lines().skip(2).filter_map(image).collect()
}

/// A screenshot of `width` × `height` pixels, of one colour, as PNG.
pub fn plain_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([70, 130, 180]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The text of `pdf`, as `pdftotext` reads it.
/// Sheet `page` of `pdf` as pdftoppm renders it at `dpi`.
pub fn pdf_sheet(pdf: &Path, page: usize, dpi: u32) -> image::RgbImage {
    let dir = tempfile::tempdir().unwrap();
    let (page, dpi) = (page.to_string(), dpi.to_string());
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi, "-f", &page, "-l", &page, "-png"])
        .arg(pdf)
        .arg(dir.path().join("sheet"))
        .status()
        .unwrap_or_else(|e| panic!("cannot run pdftoppm ({e}): install poppler-utils (apt-get install poppler-utils)"));
    assert!(status.success(), "pdftoppm {}", pdf.display());
    let file = std::fs::read_dir(dir.path()).unwrap().next().expect("pdftoppm wrote the sheet").unwrap().path();
    image::open(file).unwrap().into_rgb8()
}

pub fn pdf_text(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// The entries of a built search index, as (step number, anchor, title, text).
pub fn index_entries(path: &Path) -> Vec<(u64, String, String, String)> {
    let json = |path: &Path| -> serde_json::Value {
        let script = std::fs::read_to_string(path).unwrap();
        serde_json::from_str(&script[script.find("]=").unwrap() + 2..script.rfind(';').unwrap()]).unwrap()
    };
    let manifest = json(path);
    let base = path.to_str().unwrap().strip_suffix(".js").unwrap();
    let mut entries = Vec::new();
    for n in 0..manifest["shards"].as_array().unwrap().len() {
        let shard = json(Path::new(&format!("{base}.e{n}.js")));
        let column = |key: &str| shard[key].as_array().unwrap().clone();
        let (steps, anchors, titles, texts) = (column("s"), column("a"), column("t"), column("x"));
        for i in 0..steps.len() {
            let step = steps[i].as_u64().unwrap();
            let anchor = format!("{}{}", if step > 0 { "step-" } else { "" }, anchors[i].as_str().unwrap());
            entries.push((
                step,
                anchor,
                titles[i].as_str().unwrap().to_string(),
                texts[i].as_str().unwrap().to_string(),
            ));
        }
    }
    entries
}
