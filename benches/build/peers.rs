//! Hugo and mdBook on the synthetic manual, beside tejun: the same pages, converted
//! to what each reads, built the way a team would publish them.
//!
//! - **Hugo** (`hugo`, as Debian ships it): one multilingual site (`content/ja`,
//!   `content/en`) with a minimal layout that, like tejun's pages, lists every page
//!   of the language on every page.
//! - **mdBook** (`mdbook`, `cargo install mdbook`): one book per language with a
//!   `SUMMARY.md` of every chapter and page, and its defaults: search index and
//!   print page.
//!
//! Pages are converted as plain Markdown: each step's `+++` block becomes a level-3
//! heading with its screenshot; the rest (text, lists, tables, code, references as
//! links) is left as written. tejun and the peers build in turns, each into a new
//! folder, one warm-up round and `--runs` measured ones; the figures are each tool's
//! median wall time and peak memory, and tejun's median over the same rounds over
//! each peer's. A tool that is not installed is skipped with how to install it.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::measure::{self, Run};
use crate::{mb, seconds};

/// How much faster than its peers tejun means to be: its time over theirs.
const TARGET_RATIO: f64 = 0.1;

/// One page of the synthetic manual, as the peers read it.
struct Page {
    /// Path inside `content/` without the language and `.md`: `ch-001/page-0001`,
    /// `ch-001/_index`, `_index`.
    stem: String,
    lang: String,
    title: String,
    weight: usize,
    body: String,
}

/// A tool measured beside tejun.
struct Peer {
    name: String,
    output: std::path::PathBuf,
    logs: std::path::PathBuf,
    command: Box<dyn Fn() -> Command>,
    runs: Vec<Run>,
}

/// Builds the manual with tejun (`tejun`, one measured build into a new folder) and
/// with every installed peer, in turns — tejun, Hugo, mdBook, tejun, … — one warm-up
/// round and `runs` measured ones, so that a machine that slows down or speeds up
/// during the minutes this takes weighs on all of them alike; prints each peer's
/// median against tejun's median over the same rounds.
pub fn report(
    site: &Path,
    dir: &Path,
    mut tejun: impl FnMut() -> Result<Run, String>,
    runs: usize,
) -> Result<(), String> {
    println!("== peers: the same manual in Hugo and mdBook (alternating runs) ==");
    let pages = read_pages(&site.join("content")).map_err(|e| format!("cannot read {}: {e}", site.display()))?;
    let mut peers = Vec::new();
    match version("hugo", &["version"]) {
        Some(version) => peers.push(hugo(dir, &pages, version)?),
        None => println!("hugo: skipped: not installed (`apt-get install hugo`)"),
    }
    match version("mdbook", &["--version"]) {
        Some(version) => peers.push(mdbook(dir, &pages, version)?),
        None => println!("mdbook: skipped: not installed (`cargo install mdbook`)"),
    }
    if peers.is_empty() {
        return Ok(());
    }
    let mut tejun_runs = Vec::new();
    for round in 0..=runs {
        let run = tejun()?;
        if round > 0 {
            tejun_runs.push(run);
        }
        for peer in &mut peers {
            measure::set_aside(&peer.output)
                .map_err(|e| format!("cannot move {} aside: {e}", peer.output.display()))?;
            let run = measure::run((peer.command)(), &peer.logs, Some(&peer.output))?;
            if round > 0 {
                peer.runs.push(run);
            }
        }
    }
    let (_, tejun_median) = measure::min_and_median(&tejun_runs);
    println!(
        "tejun: median {}, peak {} (in these rounds)",
        seconds(tejun_median),
        memory(measure::peak_rss(&tejun_runs))
    );
    for peer in &peers {
        compare(&peer.name, &peer.runs, &peer.output, tejun_median);
    }
    Ok(())
}

/// One multilingual Hugo site.
fn hugo(dir: &Path, pages: &[Page], version: String) -> Result<Peer, String> {
    let root = dir.join("hugo");
    write_hugo(&root, pages).map_err(|e| format!("cannot write {}: {e}", root.display()))?;
    let output = root.join("public");
    let destination = output.clone();
    Ok(Peer {
        name: format!("Hugo ({version})"),
        output,
        logs: dir.join("hugo-log"),
        command: Box::new(move || {
            let mut command = Command::new("hugo");
            command.arg("--quiet").arg("--source").arg(&root).arg("--destination").arg(&destination);
            command
        }),
        runs: Vec::new(),
    })
}

/// One book per language, both built by one command, so one run is the whole manual.
fn mdbook(dir: &Path, pages: &[Page], version: String) -> Result<Peer, String> {
    let languages = languages(pages);
    for lang in &languages {
        let root = dir.join(format!("mdbook-{lang}"));
        write_mdbook(&root, lang, pages).map_err(|e| format!("cannot write {}: {e}", root.display()))?;
    }
    let output = dir.join("mdbook-public");
    let mut script = String::from("set -e");
    for lang in &languages {
        let root = dir.join(format!("mdbook-{lang}"));
        script.push_str(&format!("; mdbook build '{}' --dest-dir '{}'", root.display(), output.join(lang).display()));
    }
    Ok(Peer {
        name: format!("mdBook ({version}, {} books)", languages.len()),
        output,
        logs: dir.join("mdbook-log"),
        command: Box::new(move || {
            let mut command = Command::new("sh");
            command.arg("-c").arg(&script);
            command
        }),
        runs: Vec::new(),
    })
}

/// The tool's version line, if it runs.
fn version(tool: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(tool).args(args).output().ok().filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next().unwrap_or("").split(" BuildDate").next().unwrap_or("").trim().to_string())
}

fn compare(tool: &str, runs: &[Run], output: &Path, tejun: Duration) {
    let (_, median) = measure::min_and_median(runs);
    let size = measure::tree_size(output, "").map(|(_, bytes)| mb(bytes)).unwrap_or_default();
    let ratio = tejun.as_secs_f64() / median.as_secs_f64();
    let verdict = if ratio <= TARGET_RATIO { "met" } else { "MISSED" };
    println!(
        "{tool}: median {}, peak {}, output {size} MB; tejun / it: {ratio:.3} ({:.1}× faster; target ≤ {TARGET_RATIO}: {verdict})",
        seconds(median),
        memory(measure::peak_rss(runs)),
        1.0 / ratio,
    );
}

fn memory(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "unknown".to_string(), |b| format!("{:.0} MiB", b as f64 / (1 << 20) as f64))
}

fn languages(pages: &[Page]) -> Vec<String> {
    let mut languages: Vec<String> = pages.iter().map(|p| p.lang.clone()).collect();
    languages.sort();
    languages.dedup();
    languages
}

/// Every `NAME.LANG.md` under `content`, in path order.
fn read_pages(content: &Path) -> std::io::Result<Vec<Page>> {
    let mut files = Vec::new();
    crate::floor::collect(content, &mut files)?;
    files.sort();
    let mut pages = Vec::new();
    for file in files {
        let rel = file.strip_prefix(content).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        let Some((stem, lang)) = rel.strip_suffix(".md").and_then(|r| r.rsplit_once('.')) else { continue };
        let text = fs::read_to_string(&file)?;
        let (front, body) = split_front_matter(&text);
        pages.push(Page {
            stem: stem.to_string(),
            lang: lang.to_string(),
            title: toml_string(front, "title").unwrap_or_else(|| stem.to_string()),
            weight: toml_string(front, "weight").and_then(|w| w.parse().ok()).unwrap_or(0),
            body: plain_markdown(body),
        });
    }
    Ok(pages)
}

/// (the front matter's lines, the rest).
fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("+++\n") else { return ("", text) };
    match rest.find("\n+++\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

/// A key's value in simple TOML lines (`key = "value"` or `key = 3`), unescaped.
fn toml_string(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| {
            let v = v.trim();
            v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v).replace("\\\"", "\"")
        })
    })
}

/// The page's Markdown with each step's `+++` block turned into a heading and its
/// screenshot.
fn plain_markdown(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        if line != "+++" {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "+++").collect();
        let block = block.join("\n");
        let title = toml_string(&block, "title").unwrap_or_default();
        out.push_str(&format!("### {title}\n\n"));
        if let Some(image) = toml_string(&block, "image") {
            let alt = toml_string(&block, "alt").unwrap_or_default();
            out.push_str(&format!("![{alt}]({image})\n\n"));
        }
    }
    out
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

const HUGO_PAGE: &str = r#"<!DOCTYPE html>
<html lang="{{ .Lang }}"><head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title></head>
<body><nav><ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"#;

fn write_hugo(root: &Path, pages: &[Page]) -> std::io::Result<()> {
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let mut config = String::from(
        "baseURL = \"http://example.org/\"\ntitle = \"Synthetic manual\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n",
    );
    let languages = languages(pages);
    config.push_str(&format!("defaultContentLanguage = \"{}\"\n", languages[0]));
    for (i, lang) in languages.iter().enumerate() {
        config.push_str(&format!("[languages.{lang}]\ncontentDir = \"content/{lang}\"\nweight = {}\n", i + 1));
    }
    write(&root.join("hugo.toml"), &config)?;
    for layout in ["_default/single.html", "_default/list.html", "index.html"] {
        write(&root.join("layouts").join(layout), HUGO_PAGE)?;
    }
    for page in pages {
        let text = format!("+++\ntitle = {:?}\nweight = {}\n+++\n\n{}", page.title, page.weight, page.body);
        write(&root.join("content").join(&page.lang).join(format!("{}.md", page.stem)), &text)?;
    }
    Ok(())
}

fn write_mdbook(root: &Path, lang: &str, pages: &[Page]) -> std::io::Result<()> {
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let pages: Vec<&Page> = pages.iter().filter(|p| p.lang == lang).collect();
    let home = pages.iter().find(|p| p.stem == "_index");
    let title = home.map_or("Manual", |p| p.title.as_str());
    write(&root.join("book.toml"), &format!("[book]\ntitle = {title:?}\nlanguage = \"{lang}\"\nsrc = \"src\"\n"))?;
    let file = |page: &Page| page.stem.replace("_index", "index") + ".md";
    let mut summary = String::from("# Summary\n\n");
    if let Some(home) = home {
        summary.push_str(&format!("[{}]({})\n\n", home.title.replace(['[', ']'], ""), file(home)));
    }
    for page in &pages {
        if page.stem == "_index" {
            continue;
        }
        let indent = if page.stem.ends_with("/_index") { "" } else { "  " };
        summary.push_str(&format!("{indent}- [{}]({})\n", page.title.replace(['[', ']'], ""), file(page)));
        write(&root.join("src").join(file(page)), &format!("# {}\n\n{}", page.title, page.body))?;
    }
    if let Some(home) = home {
        write(&root.join("src").join(file(home)), &format!("# {}\n\n{}", home.title, home.body))?;
    }
    write(&root.join("src/SUMMARY.md"), &summary)
}
