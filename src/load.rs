//! Stage 2, load: the one stage that reads the content tree. It walks `content/`,
//! decodes each Markdown file (a BOM and CRLF are accepted; other encodings are named
//! in the error), works out page path, language and kind from the file name, and
//! notes every other file as an asset with its pixel size.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{Config, is_language_code};
use crate::diagnostic::Diagnostic;
use crate::includes;
use crate::model::PageKind;
use crate::source::{FileId, Sources};

/// A Markdown file, read and named.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub file: FileId,
    pub key: String,
    pub lang: String,
    pub kind: PageKind,
}

/// A file in `content/` that is not Markdown (screenshots, icons, downloads).
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    /// Width and height in pixels, for images.
    pub size: Option<(u32, u32)>,
    /// The image's own coordinates, which callouts and redactions are written in:
    /// an SVG's viewBox (x, y, width, height), else its pixels from (0, 0).
    pub frame: Option<[f64; 4]>,
}

/// Assets by their path inside `content/`, with `/` separators.
pub type Assets = BTreeMap<String, Asset>;

#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<PageSource>,
    /// The place mdBook's `SUMMARY.md` gives each page it lists, by page key: the
    /// weight of those that have none of their own.
    pub order: HashMap<String, i64>,
    /// The pages whose files were read again ([`Earlier`]): only these need parsing.
    pub read: std::collections::HashSet<FileId>,
    pub assets: Assets,
}

/// A file a page includes, and its stamp when it was read (`None`: it was missing).
type Included = (String, Option<Stamp>);

/// What earlier loads read, for `tejun serve`: a file whose size and modification
/// time have not changed is not read again and keeps its [`FileId`], so what was
/// parsed from it can be used again.
#[derive(Debug, Default)]
pub struct Earlier {
    /// Each page's stamp and file, and the stamps of the files it includes.
    pages: HashMap<String, (Stamp, FileId, Vec<Included>)>,
    assets: HashMap<String, (Stamp, Asset)>,
}

impl Earlier {
    /// Reads `content/REL` again on the next load, whatever its stamp says: the
    /// watcher saw it change.
    pub fn forget(&mut self, rel: &str) {
        self.pages.remove(rel);
        self.assets.remove(rel);
    }

    /// Every place a page looked for a file to include, found or not, by its path
    /// from the site's folder.
    pub fn included_paths(&self) -> BTreeSet<String> {
        self.pages.values().flat_map(|(_, _, includes)| includes.iter().map(|(path, _)| path.clone())).collect()
    }
}

/// Size and modification time.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()))
}

/// What became of one Markdown file in a load.
enum Read {
    /// Not read: its stamp, and those of the files it includes, are the ones they
    /// had when it became this file.
    Unchanged(FileId, Vec<(String, Option<Stamp>)>),
    /// Read, and with the files it includes put in if it includes any.
    Text(String, Option<includes::Expanded>),
    Unreadable(DecodeError),
}

/// Reads every file under `content/`.
pub fn load(config: &Config, sources: &mut Sources) -> (Loaded, Vec<Diagnostic>) {
    load_again(config, sources, &mut Earlier::default())
}

/// [`load`], reading only the files that changed since `earlier` (whose file ids
/// are in `sources`), and recording what it read there.
pub fn load_again(config: &Config, sources: &mut Sources, earlier: &mut Earlier) -> (Loaded, Vec<Diagnostic>) {
    let content = config.content_dir();
    let mut diagnostics = Vec::new();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error("content-missing", format!("{} is not a folder", content.display()))
                .with_hint("put the manual's Markdown files in a `content/` folder next to tejun.toml"),
        );
        return (Loaded::default(), diagnostics);
    }
    let (mut markdown, others) = list_files(&content, &mut diagnostics);
    // mdBook's table of contents orders the pages; it is not one.
    let summary = markdown.iter().position(|rel| rel == SUMMARY).map(|at| markdown.remove(at));
    // Docusaurus' partials (`_login.md`) are only text for other pages to include.
    markdown.retain(|rel| !is_partial(rel));
    let included = IncludedFiles::new(&config.root);
    // Decoded on the reading threads: checking and validating every byte is as much
    // work as reading them.
    let read: Vec<_> = markdown
        .par_iter()
        .map(|rel| {
            let path = content.join(rel);
            let stamp = stamp(&path);
            let read = match earlier.pages.get(rel.as_str()) {
                Some((before, file, includes))
                    if stamp == Some(*before)
                        && includes.iter().all(|(path, before)| included.stamp(path) == *before) =>
                {
                    Read::Unchanged(*file, includes.clone())
                }
                _ => match std::fs::read(&path).map_err(|e| DecodeError::from(e.to_string())).and_then(decode) {
                    Ok(text) => {
                        let expanded = includes::expand(&text, &format!("content/{rel}"), &|path| included.read(path));
                        Read::Text(text, expanded)
                    }
                    Err(problem) => Read::Unreadable(problem),
                },
            };
            (rel, stamp, read)
        })
        .collect();
    let mut loaded = Loaded::default();
    let mut pages = HashMap::with_capacity(read.len());
    let mut included_pages = HashSet::new();
    for (rel, stamp, read) in read {
        let (file, includes) = match read {
            Read::Unchanged(file, includes) => (file, includes),
            Read::Text(text, None) => {
                let file = sources.add(format!("content/{rel}"), &content.join(rel), text);
                loaded.read.insert(file);
                (file, Vec::new())
            }
            Read::Text(_, Some(expanded)) => {
                let name = format!("content/{rel}");
                let written = expanded.written;
                let put_in = (config.root.as_path(), expanded.files);
                let file = sources.add_expanded(name, &content.join(rel), expanded.text, written, put_in);
                loaded.read.insert(file);
                diagnostics.extend(expanded.problems.into_iter().map(|problem| {
                    Diagnostic::error("broken-include", problem.message).at(file, problem.span).with_hint(problem.hint)
                }));
                let stamps = expanded.looked_at.into_iter().map(|path| {
                    let stamp = included.stamp(&path);
                    (path, stamp)
                });
                (file, stamps.collect())
            }
            Read::Unreadable(problem) => {
                unreadable(rel, &content, problem, sources, &mut diagnostics);
                continue;
            }
        };
        // The files it includes are those of the places looked at that hold one.
        let found = includes.iter().filter(|(_, stamp)| stamp.is_some());
        included_pages.extend(found.filter_map(|(path, _)| path.strip_prefix("content/")).map(str::to_string));
        let Some((key, lang, kind)) = name_page(rel, config, &mut diagnostics) else {
            continue;
        };
        if let Some(stamp) = stamp {
            pages.insert(rel.clone(), (stamp, file, includes));
        }
        loaded.pages.push(PageSource { file, key, lang, kind });
    }
    // A Markdown file another page includes is part of that page, not one of its own.
    if !included_pages.is_empty() {
        let names: HashMap<FileId, &str> = pages.iter().map(|(rel, (_, file, _))| (*file, rel.as_str())).collect();
        loaded.pages.retain(|page| !names.get(&page.file).is_some_and(|rel| included_pages.contains(*rel)));
    }
    earlier.pages = pages;
    index_pages_introduce_their_folders(&mut loaded.pages, &mut diagnostics);
    if summary.is_some() {
        add_summary_order(config, &content, sources, &mut loaded);
    } else {
        add_mkdocs_order(config, &content, sources, &mut loaded, &mut diagnostics);
    }
    let others = add_category_chapters(config, &content, others, sources, &mut loaded);
    add_missing_homes(config, &content, sources, &mut loaded);
    let assets: Vec<_> = others
        .into_par_iter()
        .map(|rel| {
            let path = content.join(&rel);
            let stamp = stamp(&path);
            let asset = match earlier.assets.get(&rel) {
                Some((before, asset)) if stamp == Some(*before) => asset.clone(),
                _ => {
                    let (size, frame) = image_size(&path);
                    Asset { path, size, frame }
                }
            };
            (rel, stamp, asset)
        })
        .collect();
    earlier.assets = assets
        .iter()
        .filter_map(|(rel, stamp, asset)| stamp.map(|stamp| (rel.clone(), (stamp, asset.clone()))))
        .collect();
    loaded.assets = assets.into_iter().map(|(rel, _, asset)| (rel, asset)).collect();
    (loaded, diagnostics)
}

/// Whether the Markdown file `rel` is a partial: its name starts with `_` and it is
/// no `_index` page, or it is in a folder named `includes`, where Microsoft Learn's
/// sites keep the text their pages include (`[!INCLUDE …]`).
fn is_partial(rel: &str) -> bool {
    let (folders, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let underscored = name.starts_with('_')
        && markdown_stem(name).is_some_and(|stem| stem != "_index" && !stem.starts_with("_index."));
    underscored || folders.split('/').any(|folder| folder == "includes")
}

/// The files pages include, each read once however many pages include it.
struct IncludedFiles {
    root: PathBuf,
    read: Mutex<HashMap<String, Result<Option<String>, String>>>,
}

impl IncludedFiles {
    fn new(root: &Path) -> IncludedFiles {
        IncludedFiles { root: root.to_path_buf(), read: Mutex::default() }
    }

    /// The text of the file at `path` from the site's folder; `Ok(None)` when
    /// there is no such file.
    fn read(&self, path: &str) -> Result<Option<String>, String> {
        if let Some(read) = self.read.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
            return read.clone();
        }
        let full = self.root.join(path);
        let read = match std::fs::read(&full) {
            Ok(bytes) => decode(bytes).map(Some).map_err(|problem| format!("{path}: {}", problem.0)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || full.is_dir() => Ok(None),
            Err(e) => Err(format!("cannot read {path}: {e}")),
        };
        self.read.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), read.clone());
        read
    }

    fn stamp(&self, path: &str) -> Option<Stamp> {
        stamp(&self.root.join(path))
    }
}

/// `index.md` (MkDocs, Docusaurus), `README.md` (mdBook, GitHub) and a page named
/// after its folder (`guide/guide.md`, Docusaurus) introduce their folder, as
/// `_index.md` does, when the folder has no `_index` page in their
/// language: the first of them in name order. An `index.md` beside an `_index.md`
/// would be written over it: an error.
fn index_pages_introduce_their_folders(pages: &mut [PageSource], diagnostics: &mut Vec<Diagnostic>) {
    let introduced: HashSet<(String, String)> = pages
        .iter()
        .filter(|page| page.kind != PageKind::Procedure)
        .map(|page| (page.lang.clone(), page.key.clone()))
        .collect();
    let mut promoted = HashSet::new();
    let mut candidates: Vec<(usize, String)> = pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.kind == PageKind::Procedure)
        .filter_map(|(index, page)| Some((index, introduced_folder(&page.key)?.to_string())))
        .collect();
    // `index` before `README` and the folder's name, then by folder.
    candidates.sort_by_key(|(index, folder)| (folder.clone(), !pages[*index].key.ends_with("index")));
    for (index, folder) in candidates {
        let page = &mut pages[index];
        let key = (page.lang.clone(), folder.clone());
        if introduced.contains(&key) && page.key.ends_with("index") {
            let place = if folder.is_empty() { String::new() } else { format!("{folder}/") };
            diagnostics.push(
                Diagnostic::error(
                    "index-beside-index",
                    format!("this page and content/{place}_index.md both make {place}index.html"),
                )
                .in_file(page.file)
                .with_hint("rename this file, or move its text into _index.md and delete it"),
            );
        }
        if introduced.contains(&key) || !promoted.insert(key) {
            continue;
        }
        page.kind = if folder.is_empty() { PageKind::Home } else { PageKind::Chapter };
        page.key = folder;
    }
}

/// A title for a chapter folder that has no `_index` file, until it gets one:
/// `02-getting_started` → "Getting started".
pub fn folder_title(folder: &str) -> String {
    let name = folder.trim_start_matches(|c: char| c.is_ascii_digit());
    let name = if name.len() < folder.len() { name.trim_start_matches(['-', '_', '.', ' ']) } else { name };
    let name = if name.is_empty() { folder } else { name };
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// mdBook's table of contents, `content/SUMMARY.md`.
const SUMMARY: &str = "SUMMARY.md";

/// The order mdBook's `SUMMARY.md` gives the pages it links to (their place in
/// it, by page key), and a chapter page for each folder of them that has none, at
/// the place of its first page and titled after the folder.
fn add_summary_order(config: &Config, content: &Path, sources: &mut Sources, loaded: &mut Loaded) {
    let Ok(text) = std::fs::read_to_string(content.join(SUMMARY)) else { return };
    let listed = crate::parse::summary::pages(&text).into_iter().map(|path| (path, Vec::new()));
    add_listed_order(config, content, listed, sources, loaded);
}

/// The order the `nav:` of MkDocs' `mkdocs.yml` beside `tejun.toml` gives the pages
/// it lists, as [`add_summary_order`]; a folder's chapter is titled after the
/// section its pages are in. YAML that cannot be read is a warning, and no order.
fn add_mkdocs_order(
    config: &Config,
    content: &Path,
    sources: &mut Sources,
    loaded: &mut Loaded,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some((path, text)) = ["mkdocs.yml", "mkdocs.yaml"].iter().find_map(|name| {
        let path = config.root.join(name);
        std::fs::read_to_string(&path).ok().map(|text| (path, text))
    }) else {
        return;
    };
    match crate::parse::mkdocs_nav::pages(&text) {
        Ok(pages) => {
            let listed = pages.into_iter().map(|page| (page.path, page.sections));
            add_listed_order(config, content, listed, sources, loaded);
        }
        Err((line, column, problem)) => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // The column counts characters: Japanese ones take three bytes.
            let line_start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
            let line_text = text.get(line_start..).unwrap_or_default();
            let at = line_start
                + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(at, _)| at);
            let file = sources.add(name.clone(), &path, text);
            diagnostics.push(
                Diagnostic::warning(
                    "invalid-mkdocs-nav",
                    format!("{name} cannot be read, so its nav orders nothing: {problem}"),
                )
                .at(file, at..at)
                .with_hint("fix the YAML, or give the pages a `weight` of their own"),
            );
        }
    }
}

/// The order a list of pages gives them (their place in it, by page key: a weight
/// for those without one), and a chapter page for each folder of them that has
/// none, at the place of its first page and titled after the innermost section the
/// list puts it under, else after the folder.
fn add_listed_order(
    config: &Config,
    content: &Path,
    listed: impl Iterator<Item = (String, Vec<String>)>,
    sources: &mut Sources,
    loaded: &mut Loaded,
) {
    let mut folders: Vec<(String, i64, Option<String>)> = Vec::new();
    for (place, (path, sections)) in listed.enumerate() {
        let place = place as i64 + 1;
        let Some((key, _, _)) = name_page(&path, config, &mut Vec::new()) else { continue };
        let key = introduced_folder(&key).map_or(key.clone(), str::to_string);
        let mut page_folders = Vec::new();
        let mut folder = key.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            folder = parent;
            page_folders.push(folder);
        }
        // The innermost section is the innermost folder's, when each folder has one.
        let titles = (page_folders.len() == sections.len()).then(|| sections.iter().rev());
        let mut titles = titles.into_iter().flatten();
        for folder in page_folders {
            let title = titles.next().cloned();
            if !folders.iter().any(|(known, _, _)| known == folder) {
                folders.push((folder.to_string(), place, title));
            }
        }
        loaded.order.entry(key).or_insert(place);
    }
    for (folder, place, title) in folders {
        loaded.order.entry(folder.clone()).or_insert(place);
        let title = title.unwrap_or_else(|| folder_title(folder.rsplit('/').next().unwrap_or(&folder)));
        add_chapters(config, content, &folder, &title, Some(place), sources, loaded);
    }
}

/// A chapter page titled `title` for `folder` in each language that has none.
fn add_chapters(
    config: &Config,
    content: &Path,
    folder: &str,
    title: &str,
    weight: Option<i64>,
    sources: &mut Sources,
    loaded: &mut Loaded,
) {
    for language in &config.languages {
        let has_page = loaded
            .pages
            .iter()
            .any(|page| page.kind != PageKind::Procedure && page.key == folder && page.lang == language.code);
        if folder.is_empty() || has_page {
            continue;
        }
        let mut text = format!("+++\ntitle = {}\n", toml::Value::String(title.to_string()));
        if let Some(weight) = weight {
            text.push_str(&format!("weight = {weight}\n"));
        }
        text.push_str("+++\n");
        let generated = format!("{folder}/_index.{}.md", language.code);
        let file = sources.add_generated(format!("content/{generated}"), &content.join(&generated), text);
        loaded.read.insert(file);
        let (key, lang) = (folder.to_string(), language.code.clone());
        loaded.pages.push(PageSource { file, key, lang, kind: PageKind::Chapter });
    }
}

/// The folder a page introduces by its name, `index` or `README` (`""` for the
/// top), or the folder's own name, as Docusaurus has it: `guide/index` and
/// `guide/guide` → `guide`.
pub fn introduced_folder(key: &str) -> Option<&str> {
    let (folder, name) = key.rsplit_once('/').unwrap_or(("", key));
    let named_after = !folder.is_empty() && folder.rsplit('/').next() == Some(name);
    (name == "index" || name.eq_ignore_ascii_case("readme") || named_after).then_some(folder)
}

/// Docusaurus' `_category_.json` (or `.yml`) gives a folder without an `_index`
/// page its title (`label`) and place (`position`): tejun makes the chapter page
/// from it. Returns the other files, the category files taken out.
fn add_category_chapters(
    config: &Config,
    content: &Path,
    others: Vec<String>,
    sources: &mut Sources,
    loaded: &mut Loaded,
) -> Vec<String> {
    let (categories, others): (Vec<String>, Vec<String>) = others.into_iter().partition(|rel| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        matches!(name, "_category_.json" | "_category_.yml" | "_category_.yaml")
    });
    for rel in categories {
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        let Some((label, position)) = read_category(&content.join(&rel)) else { continue };
        add_chapters(config, content, folder, &label, position, sources, loaded);
    }
    others
}

/// The `label` and `position` of a Docusaurus category file.
fn read_category(path: &Path) -> Option<(String, Option<i64>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    let label = value.get("label")?.as_str()?.trim().to_string();
    let position = value.get("position").and_then(|p| p.as_i64().or_else(|| p.as_f64().map(|n| n.round() as i64)));
    (!label.is_empty()).then_some((label, position))
}

/// A home page for each language without `content/_index.LANG.md`: every page's
/// header and the language chooser link to `LANG/index.html`, and pages brought over
/// from another tool often come without one. It has the manual's title and lists
/// the contents; `check` says to write one (`missing-home`).
fn add_missing_homes(config: &Config, content: &Path, sources: &mut Sources, loaded: &mut Loaded) {
    for language in &config.languages {
        if loaded.pages.iter().any(|page| page.kind == PageKind::Home && page.lang == language.code) {
            continue;
        }
        let rel = format!("_index.{}.md", language.code);
        // The word the theme uses for the home page where tejun.toml gives no title.
        let title = match language.title.as_str() {
            "" => crate::render::i18n::ui(&language.code).home,
            title => title,
        };
        let text = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title.to_string()));
        let file = sources.add_generated(format!("content/{rel}"), &content.join(&rel), text);
        loaded.read.insert(file);
        loaded.pages.push(PageSource { file, key: String::new(), lang: language.code.clone(), kind: PageKind::Home });
    }
}

/// A Markdown file that could not be read or decoded: an error in it, and no page.
fn unreadable(
    rel: &str,
    content: &Path,
    problem: DecodeError,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = sources.add(format!("content/{rel}"), &content.join(rel), String::new());
    diagnostics.push(Diagnostic::error("not-utf8", problem.0).in_file(file).with_hint(problem.1));
}

/// Markdown files and other files under `dir`, as sorted relative paths with `/`.
/// Hidden files and editor leftovers are skipped; links are not followed, so nothing
/// outside the site is read.
fn list_files(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> (Vec<String>, Vec<String>) {
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(Diagnostic::error("io", format!("cannot read content: {err}")));
                continue;
            }
        };
        let rel = relative_slash_path(dir, entry.path());
        if entry.path_is_symlink() && !link_stays_inside(dir, entry.path()) {
            let target = std::fs::read_link(entry.path()).map(|t| t.display().to_string()).unwrap_or_default();
            diagnostics.push(
                Diagnostic::error("path-outside-site", format!("content/{rel} links to {target}, outside the site"))
                    .with_hint("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
        if !is_file {
            continue;
        }
        if is_markdown(&rel) {
            markdown.push(rel);
        } else {
            others.push(rel);
        }
    }
    (markdown, others)
}

/// Whether a symbolic link resolves to a file inside the content folder.
fn link_stays_inside(dir: &Path, link: &Path) -> bool {
    match (std::fs::canonicalize(dir), std::fs::canonicalize(link)) {
        (Ok(dir), Ok(target)) => target.starts_with(dir),
        _ => false,
    }
}

/// Hidden files and editor leftovers (`.x.md.swp`, `x.md~`, `#x.md#`), which are not part
/// of the manual; `serve` ignores their changes for the same reason.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#') || name.ends_with(".swp")
}

fn relative_slash_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A problem decoding a file, and how to fix it.
#[derive(Debug)]
pub struct DecodeError(pub String, pub String);

impl From<String> for DecodeError {
    fn from(message: String) -> Self {
        DecodeError(message, "check that the file can be read".to_string())
    }
}

/// UTF-8 text with the BOM dropped and CRLF folded to LF; other encodings are named.
/// Takes the bytes as read, so that a file in UTF-8 becomes its text without a copy.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, DecodeError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // NUL is valid UTF-8, but no Markdown file holds one: it is binary or UTF-16. With
    // no NUL, binary data shows as control characters alone (see `looks_binary`).
    if memchr::memchr(0, &bytes).is_some() || too_many_controls(&bytes) {
        return Err(not_text(&bytes));
    }
    // Validated with SIMD: the standard library checks Japanese text a byte at a time,
    // and every page's text goes through here.
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(not_text(&bytes));
    }
    // SAFETY: `bytes` was just validated as UTF-8.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() { text.replace("\r\n", "\n") } else { text })
}

fn not_text(bytes: &[u8]) -> DecodeError {
    let encoding = guess_encoding(bytes);
    if encoding == BINARY {
        return DecodeError(
            "the file holds binary data, not text".to_string(),
            "a .md file must be Markdown text in UTF-8; rename or remove this file".to_string(),
        );
    }
    let iconv_name = match encoding {
        "UTF-16 (little-endian)" => "UTF-16LE",
        "UTF-16 (big-endian)" => "UTF-16BE",
        "Shift_JIS" => "SHIFT_JIS",
        _ => "ENCODING",
    };
    DecodeError(
        format!("the file is not UTF-8; it looks like {encoding}"),
        format!("save it as UTF-8 in your editor, or convert it: iconv -f {iconv_name} -t UTF-8 FILE > FILE.utf8"),
    )
}

const BINARY: &str = "binary data";

fn guess_encoding(bytes: &[u8]) -> &'static str {
    if looks_binary(bytes) {
        return BINARY;
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return "UTF-16 (little-endian)";
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return "UTF-16 (big-endian)";
    }
    let zeros = bytes.iter().filter(|&&b| b == 0).count();
    if zeros * 4 > bytes.len() {
        return if bytes.iter().step_by(2).filter(|&&b| b == 0).count() * 2 > zeros {
            "UTF-16 (big-endian)"
        } else {
            "UTF-16 (little-endian)"
        };
    }
    if looks_like_shift_jis(bytes) { "Shift_JIS" } else { "an unknown 8-bit encoding" }
}

/// NUL bytes or many control characters — unless the zeros sit at every other byte
/// on one side only, as in UTF-16 text without a BOM.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let utf16 = (zeros_even == 0) != (zeros_odd == 0);
    !utf16 && (zeros_even + zeros_odd > 0 || too_many_controls(bytes))
}

/// More than one byte in twenty of the file's start is a control character other than
/// NUL and the whitespace text holds.
fn too_many_controls(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    // Counted in bytes, 32 at a time, as arithmetic the compiler vectorizes.
    // As ranges: written as a list of bytes, the test became a bit test the compiler
    // vectorizes badly. Whitespace is 0x09–0x0D but for 0x0B (vertical tab).
    let is_control = |b: u8| {
        let whitespace = u8::from(b.wrapping_sub(0x09) <= 0x0D - 0x09) & u8::from(b != 0x0B);
        u8::from(b < 0x20) & u8::from(b != 0) & (whitespace ^ 1)
    };
    let chunks = sample.chunks(32);
    let controls: usize = chunks.map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + is_control(b)))).sum();
    controls * 20 > sample.len()
}

/// Every high byte pairs up as a Shift_JIS lead and trail byte.
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 || (0xA1..=0xDF).contains(&b) {
            i += 1;
        } else if matches!(b, 0x81..=0x9F | 0xE0..=0xFC) {
            match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFC) => {
                    pairs += 1;
                    i += 2;
                }
                _ => return false,
            }
        } else {
            return false;
        }
    }
    pairs > 0
}

/// Whether `rel` is a page's file: Markdown, or MDX as Docusaurus writes its pages
/// (read as Markdown; the JSX tejun knows is read, the rest shows as written).
pub fn is_markdown(rel: &str) -> bool {
    rel.ends_with(".md") || rel.ends_with(".mdx")
}

/// `rel` without its `.md` or `.mdx`.
pub fn markdown_stem(rel: &str) -> Option<&str> {
    rel.strip_suffix(".md").or_else(|| rel.strip_suffix(".mdx"))
}

/// Page path, language and kind from a file name such as `certificates/obtain.ja.md`.
fn name_page(rel: &str, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Option<(String, String, PageKind)> {
    let stem = markdown_stem(rel)?;
    let (dir, file_stem) = match stem.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", stem),
    };
    let (name, lang) = match file_stem.rsplit_once('.') {
        Some((name, lang)) if config.is_language(lang) => (name, lang.to_string()),
        Some((_, lang)) if is_language_code(lang) => {
            diagnostics.push(
                Diagnostic::error(
                    "unknown-language",
                    format!("content/{rel} is in language `{lang}`, which tejun.toml does not list"),
                )
                .with_hint(format!("add \"{lang}\" to `languages` in tejun.toml, or rename the file")),
            );
            return None;
        }
        _ => (file_stem, config.default_language.clone()),
    };
    let join = |dir: &str, name: &str| {
        if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
    };
    Some(match (name, dir) {
        ("_index", "") => (String::new(), lang, PageKind::Home),
        ("_index", dir) => (dir.to_string(), lang, PageKind::Chapter),
        (name, dir) => (join(dir, name), lang, PageKind::Procedure),
    })
}

/// Pixel size of an image (raster formats from their header, SVG from its root
/// element) and its own coordinates.
fn image_size(path: &Path) -> (Option<(u32, u32)>, Option<[f64; 4]>) {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let pixels = |size: Option<(u32, u32)>| size.map(|(w, h)| [0.0, 0.0, f64::from(w), f64::from(h)]);
    if extension == "svg" {
        let Ok(text) = std::fs::read_to_string(path) else { return (None, None) };
        let size = svg_size(&text);
        return (size, svg_view_box(&text).or_else(|| pixels(size)));
    }
    let size = imagesize::size(path)
        .ok()
        .and_then(|size| Some((u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?)));
    (size, pixels(size))
}

/// An SVG root element's viewBox: x, y, width, height.
pub fn svg_view_box(text: &str) -> Option<[f64; 4]> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let numbers: Vec<f64> = attribute(tag, "viewBox")?
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let [x, y, width, height] = <[f64; 4]>::try_from(numbers).ok()?;
    (width > 0.0 && height > 0.0).then_some([x, y, width, height])
}

/// Width and height of an SVG's root element, from its attributes or its viewBox.
pub fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let length = |name: &str| attribute(tag, name).and_then(|v| v.trim_end_matches("px").trim().parse::<f64>().ok());
    let (width, height) = match (length("width"), length("height")) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view_box = attribute(tag, "viewBox")?;
            let numbers: Vec<f64> = view_box
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            (*numbers.get(2)?, *numbers.get(3)?)
        }
    };
    (width > 0.0 && height > 0.0).then(|| (width.round() as u32, height.round() as u32))
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().last();
        let after = &rest[at + name.len()..];
        if before.is_some_and(char::is_whitespace) {
            let after = after.trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                let quote = value.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let value = &value[1..];
                    return value.find(quote).map(|end| &value[..end]);
                }
            }
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_without_an_index_get_a_readable_title() {
        assert_eq!(folder_title("getting-started"), "Getting started");
        assert_eq!(folder_title("02-getting_started"), "Getting started");
        assert_eq!(folder_title("証明書"), "証明書");
        assert_eq!(folder_title("2024"), "2024");
        assert_eq!(folder_title("api"), "Api");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        assert_eq!(decode(b"\xEF\xBB\xBF+++\r\ntitle = 1\r\n".to_vec()).unwrap(), "+++\ntitle = 1\n");
    }

    #[test]
    fn shift_jis_and_utf16_are_named() {
        // 「手順」 in Shift_JIS.
        let err = decode([0x8E, 0xE8, 0x8F, 0x87, b'\n'].to_vec()).unwrap_err();
        assert!(err.0.contains("Shift_JIS"), "{}", err.0);
        let err = decode(b"\xFF\xFEa\x00b\x00".to_vec()).unwrap_err();
        assert!(err.0.contains("UTF-16"), "{}", err.0);
    }

    #[test]
    fn binary_files_are_called_binary() {
        let err =
            decode([0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48].to_vec()).unwrap_err();
        assert!(err.0.contains("binary"), "{}", err.0);
        let err = decode(b"a\x00b\x00c\x00".to_vec()).unwrap_err();
        assert!(err.0.contains("UTF-16"), "{}", err.0);
    }

    #[test]
    fn control_characters_beyond_one_in_twenty_make_a_file_binary() {
        // 100 bytes: 5 controls is one in twenty, 6 is more. Tabs, newlines, form feeds
        // and carriage returns are text, whatever their number.
        let text_with = |controls: usize| {
            let mut bytes = b"\t\n\r\x0C".repeat(10);
            bytes.extend(std::iter::repeat_n(0x1B, controls));
            bytes.resize(100, b'a');
            bytes
        };
        assert!(!too_many_controls(&text_with(5)));
        assert!(too_many_controls(&text_with(6)));
        assert!(decode(text_with(5)).is_ok());
        assert!(decode(text_with(6)).unwrap_err().0.contains("binary"));
        // Only the first 8 KB count, wherever the controls stand in them.
        let mut long = vec![b'a'; 8192];
        long.extend(vec![0x01; 8192]);
        assert!(!too_many_controls(&long));
        let ending_with = |tail: &[u8]| [vec![b'a'; 8192 - tail.len()], tail.to_vec()].concat();
        assert!(too_many_controls(&ending_with(&[0x01, 0x7F].repeat(420))), "420 of 8,192 is more than one in 20");
        assert!(!too_many_controls(&ending_with(&[0x7F; 840])), "DEL is not one of the controls counted");
        // Byte by byte: 100 of one byte among 1,900 letters is one in twenty, 101 more.
        for b in 0..=255u8 {
            let counted = b < 0x20 && !matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r');
            let with = |n: usize| [vec![b; n], vec![b'a'; 2000 - n]].concat();
            assert!(!too_many_controls(&with(100)), "{b:#x}");
            assert_eq!(too_many_controls(&with(101)), counted, "{b:#x}");
        }
    }

    #[test]
    fn invalid_utf8_is_not_text_and_valid_japanese_is() {
        assert_eq!(decode("手順\r\n".as_bytes().to_vec()).unwrap(), "手順\n");
        let mut truncated = "手順".as_bytes().to_vec();
        truncated.pop();
        assert!(decode(truncated).is_err());
    }

    #[test]
    fn svg_size_from_attributes_or_view_box() {
        assert_eq!(svg_size(r#"<svg xmlns="x" width="640" height="400">"#), Some((640, 400)));
        assert_eq!(svg_size(r#"<svg viewBox="0 0 20 24">"#), Some((20, 24)));
        assert_eq!(svg_size(r#"<svg stroke-width="2" viewBox="0 0 20 24">"#), Some((20, 24)));
    }
}
