//! Stage 4, resolve: ordinary links inside the manual, as writers migrating from
//! GitHub, Hugo or mdBook wrote them — `#debugging-pods`, `install.md#prerequisites`,
//! `../_index.md`. They become links to the pages' HTML files, and a `#fragment`
//! that names no id on its page (a heading renamed since, a typo) is a warning with
//! the nearest id, since the browser would silently land at the top of the page.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, nearest};
use crate::load;
use crate::model::{Block, Inline, LinkTarget, Page, PageId};
use crate::parse::markdown::{github_id, plain_text};
use crate::parse::wikilinks;
use crate::resolve::join_inside;

/// The ids a reader can land on in each page of the manual: its sections and
/// headings, steps (`step-ID`), figures (`fig-ID`) and the `id`/`name` attributes of
/// raw HTML.
pub trait Anchors {
    fn has(&self, page: PageId, anchor: &str) -> bool;
    /// Every id of the page, for a suggestion.
    fn all(&self, page: PageId) -> Vec<String>;
    /// Whether `anchor` is the id GitHub gives the page's title as a heading (`# 題`,
    /// which pages from GitHub, mdBook or Obsidian start with): the top of the page.
    fn is_title(&self, page: PageId, anchor: &str) -> bool;
}

/// The ids of a page other than its steps' and figures', which resolving lists
/// anyway: its sections and headings and the `id`/`name` attributes of raw HTML.
pub fn other_anchors(page: &Page) -> FxHashSet<String> {
    let mut anchors = FxHashSet::default();
    collect_block_anchors(&page.intro, &mut anchors);
    for section in &page.sections {
        anchors.insert(section.anchor.clone());
        if let Some(heading) = &section.heading {
            collect_inline_anchors(&heading.content, &mut anchors);
        }
        collect_block_anchors(&section.intro, &mut anchors);
        for step in &section.steps {
            collect_block_anchors(&step.body, &mut anchors);
        }
    }
    for footnote in &page.footnotes {
        collect_block_anchors(&footnote.blocks, &mut anchors);
    }
    anchors
}

/// The text of each of the page's headings by its ids — its own, and a MyST target's
/// (`(label)=`) written right above it — which a link with no text of its own to it
/// shows (`` {ref}`label` ``, `[](#id)`).
pub fn heading_texts(page: &Page) -> FxHashMap<String, String> {
    let mut texts = FxHashMap::default();
    // A target's label, until the next block shows whether a heading is under it.
    let mut label: Option<String> = None;
    let heading = |id: &str, content: &[Inline], label: &mut Option<String>, texts: &mut FxHashMap<String, String>| {
        let text = plain_text(content);
        if let Some(label) = label.take() {
            texts.insert(label, text.clone());
        }
        texts.entry(id.to_string()).or_insert(text);
    };
    let blocks = |blocks: &[Block], label: &mut Option<String>, texts: &mut FxHashMap<String, String>| {
        for block in blocks {
            match block {
                Block::Heading { id, content, .. } => heading(id, content, label, texts),
                Block::Html(html) => *label = target_label(html).map(str::to_string),
                _ => *label = None,
            }
        }
    };
    blocks(&page.intro, &mut label, &mut texts);
    for section in &page.sections {
        if let Some(title) = &section.heading {
            let text = plain_text(&title.content);
            if let Some(label) = label.take() {
                texts.insert(label, text.clone());
            }
            texts.entry(section.anchor.clone()).or_insert(text);
        }
        blocks(&section.intro, &mut label, &mut texts);
        for step in &section.steps {
            label = None;
            blocks(&step.body, &mut label, &mut texts);
        }
    }
    texts
}

/// The label of the anchor a MyST target becomes, `<div id="label"></div>`.
fn target_label(html: &str) -> Option<&str> {
    html.trim().strip_prefix("<div id=\"")?.strip_suffix("\"></div>").filter(|label| !label.contains('"'))
}

static HTML_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\s(?:id|name)\s*=\s*["']?([^"'\s>]+)"#).expect("valid pattern"));

fn collect_block_anchors(blocks: &[Block], anchors: &mut FxHashSet<String>) {
    for block in blocks {
        match block {
            Block::Heading { id, content, .. } => {
                anchors.insert(id.clone());
                collect_inline_anchors(content, anchors);
            }
            Block::Html(html) => anchors.extend(html_ids(html)),
            Block::Paragraph(inlines) | Block::Plain(inlines) => collect_inline_anchors(inlines, anchors),
            Block::List(list) => list.items.iter().for_each(|item| collect_block_anchors(&item.blocks, anchors)),
            Block::Alert { blocks, .. } | Block::Quote(blocks) => collect_block_anchors(blocks, anchors),
            Block::Definitions(items) => items.iter().for_each(|item| collect_block_anchors(&item.blocks, anchors)),
            Block::Variant(variant) => collect_block_anchors(&variant.blocks, anchors),
            Block::Table(table) => {
                table.head.iter().chain(table.rows.iter().flatten()).for_each(|c| collect_inline_anchors(c, anchors))
            }
            Block::Figure(_) | Block::Code(_) | Block::Rule => {}
        }
    }
}

/// The `id` and `name` attributes of a piece of raw HTML.
pub fn html_ids(html: &str) -> impl Iterator<Item = String> + '_ {
    HTML_ID.captures_iter(html).map(|c| c[1].to_string())
}

/// The ids raw HTML gives inside a run of text (Word's bookmarks, `<a name>`).
pub fn collect_inline_anchors(inlines: &[Inline], anchors: &mut impl Extend<String>) {
    for inline in inlines {
        match inline {
            Inline::Html(html) => anchors.extend(html_ids(html)),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => collect_inline_anchors(c, anchors),
            Inline::Link(link) => collect_inline_anchors(&link.content, anchors),
            _ => {}
        }
    }
}

/// What a link's destination is, seen from a page in `lang` whose relative paths
/// start at `dir`.
pub struct LinkContext<'a> {
    pub page_id: PageId,
    pub lang: &'a str,
    pub dir: &'a str,
    pub languages: &'a [String],
    pub by_key: &'a FxHashMap<(String, String), PageId>,
    pub anchors: &'a dyn Anchors,
}

impl LinkContext<'_> {
    /// The page and fragment a link inside the manual goes to, and a warning when
    /// the page or the fragment does not exist. `None` for links that leave the
    /// manual or point at files that are not pages.
    pub fn target(&self, dest: &str) -> Option<(Option<LinkTarget>, Option<Diagnostic>)> {
        if let Some(wiki) = dest.strip_prefix(wikilinks::SCHEME) {
            return Some(self.wiki_target(wiki));
        }
        // `~/articles/setup.md`, as Microsoft Learn's pages write it: from `content/`.
        if let Some(from_root) = dest.strip_prefix("~/") {
            return LinkContext { dir: "", ..*self }.target(from_root);
        }
        // `/guide/install.md`, as Hugo's and Docusaurus' pages write it: from `content/`;
        // and `/guide/install`, `/guide/`, a page's address there, when a page has it
        // (any other is an address of the server's).
        let names_page = |path: &str| path.split(['#', '?']).next().is_some_and(load::is_markdown);
        if let Some(from_root) = dest.strip_prefix('/').filter(|rest| !rest.starts_with(['/', '#', '?'])) {
            let from_content = LinkContext { dir: "", ..*self };
            if names_page(from_root) {
                return from_content.target(from_root);
            }
            if let Some(found @ (Some(_), _)) = from_content.target(from_root) {
                return Some(found);
            }
        }
        if is_outside(dest) {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(percent_decoded(fragment))),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        let page = if path.is_empty() {
            fragment.as_ref()?;
            self.page_id
        } else {
            let stem = match load::markdown_stem(path).or_else(|| path.strip_suffix(".html")) {
                Some(stem) => percent_decoded(stem),
                None => self.page_address(path)?,
            };
            match self.page_for(&stem) {
                Some(page) => page,
                None if let Some((page, lang)) = self.translation_for(&stem) => {
                    // Better the page in another language than a dead link.
                    let warning = Diagnostic::warning(
                        "untranslated-link",
                        format!("`{path}` has no {} version; the link goes to the {lang} page", self.lang),
                    )
                    .with_hint(format!("translate the page into {}, or link to another page", self.lang));
                    return Some((
                        Some(LinkTarget { page, fragment: fragment.filter(|f| !f.is_empty()) }),
                        Some(warning),
                    ));
                }
                None => {
                    let keys = self.by_key.keys().filter(|(l, _)| l == self.lang).map(|(_, k)| k.as_str());
                    let hint = match nearest(path, keys) {
                        Some(near) => format!("did you mean the page `{near}`? Paths are relative to this file"),
                        None => "paths are relative to this file; pages are content/PATH.LANG.md".to_string(),
                    };
                    let warning = Diagnostic::warning("broken-link", format!("`{path}` is not a page of the manual"))
                        .with_hint(hint);
                    return Some((None, Some(warning)));
                }
            }
        };
        // An id another tool made for the heading (VitePress keeps 「」, MkDocs and
        // Docusaurus write `_` or drop `-`, Confluence puts the page's title before
        // it) is the heading's when only one of the page's ids is the same but for
        // case and punctuation.
        let fragment = fragment.map(|fragment| match self.anchors.has(page, &fragment) {
            true => fragment,
            false => {
                let ids = self.anchors.all(page);
                same_but_for_punctuation(&fragment, &ids)
                    .or_else(|| confluence_heading(&fragment, &ids))
                    .unwrap_or(fragment)
            }
        });
        let fragment = fragment.filter(|f| !self.names_top(page, f));
        let warning = fragment.as_ref().filter(|f| !f.is_empty() && !self.anchors.has(page, f)).map(|fragment| {
            let hint = match nearest(fragment, self.anchors.all(page).iter().map(String::as_str)) {
                Some(near) => format!("did you mean `#{near}`?"),
                None => {
                    "headings get ids as on GitHub (lowercase, spaces as -); `## Title {#id}` names one".to_string()
                }
            };
            let on = if page == self.page_id { "this page" } else { "the page it links to" };
            Diagnostic::warning("broken-fragment", format!("`#{fragment}` names no heading, step or figure on {on}"))
                .with_hint(hint)
        });
        Some((Some(LinkTarget { page, fragment: fragment.filter(|f| !f.is_empty()) }), warning))
    }

    /// Whether `fragment` names nothing on `page` but its title, the heading it
    /// started with: the link goes to the page's top.
    fn names_top(&self, page: PageId, fragment: &str) -> bool {
        !self.anchors.has(page, fragment) && self.anchors.is_title(page, fragment)
    }

    /// The page and heading a wiki link (`設定#プロキシ`, `#プロキシ`) names: the page
    /// by its file name anywhere in the manual, the heading by its text.
    fn wiki_target(&self, target: &str) -> (Option<LinkTarget>, Option<Diagnostic>) {
        let (name, heading) = target.split_once('#').map_or((target, None), |(n, h)| (n.trim(), Some(h.trim())));
        let page = match name.is_empty() {
            // A place not on this page may be on another (MyST's `{ref}` names any).
            true => heading
                .filter(|h| !self.anchors.has(self.page_id, h))
                .and_then(|h| self.page_with(h))
                .unwrap_or(self.page_id),
            false => match self.page_named(name) {
                Some(page) => page,
                None => {
                    let names = self.by_key.keys().filter(|(l, _)| l == self.lang).map(|(_, key)| last_segment(key));
                    let hint = match nearest(name, names) {
                        Some(near) => format!("did you mean `[[{near}]]`? A wiki link names a page by its file name"),
                        None => "a wiki link names a page by its file name, without .md".to_string(),
                    };
                    let warning =
                        Diagnostic::warning("broken-link", format!("no page of the manual is named `{name}`"))
                            .with_hint(hint);
                    return (None, Some(warning));
                }
            },
        };
        // Obsidian names a heading by its text; its id is GitHub's for the text.
        let fragment = heading.filter(|h| !h.is_empty()).map(|heading| match self.anchors.has(page, heading) {
            true => heading.to_string(),
            false => github_id(heading),
        });
        let fragment = fragment.filter(|f| !self.names_top(page, f));
        let warning = fragment.as_ref().filter(|f| !self.anchors.has(page, f)).map(|_| {
            let heading = heading.unwrap_or_default();
            Diagnostic::warning("broken-fragment", format!("`#{heading}` names no heading, step or figure on the page"))
                .with_hint("write the heading's text as it is on the page, or its id")
        });
        (Some(LinkTarget { page, fragment }), warning)
    }

    /// The page path (without `.md`) a link names by the page's address rather than
    /// its file, as VitePress, Docusaurus and MkDocs let writers do: `install`,
    /// `../guide/install`, and a folder for its index page, `../guide/`. `None` when
    /// no page, in any language, has that address: a file without an extension
    /// (`LICENSE`) or a folder of the site's files.
    fn page_address(&self, path: &str) -> Option<String> {
        let path = percent_decoded(path);
        let stem = match path.strip_suffix('/') {
            Some(folder) => format!("{folder}/_index"),
            None if !last_segment(&path).contains('.') => path,
            None => return None,
        };
        (self.page_for(&stem).is_some() || self.translation_for(&stem).is_some()).then_some(stem)
    }

    /// The first page in the link's language, in path order, with the id `anchor`.
    fn page_with(&self, anchor: &str) -> Option<PageId> {
        self.by_key
            .iter()
            .filter(|((lang, _), page)| lang == self.lang && self.anchors.has(**page, anchor))
            .min_by_key(|((_, key), _)| key.as_str())
            .map(|(_, page)| *page)
    }

    /// The page whose file is named `name` (`設定`, `guide/設定`; a space may be a
    /// `-` in the file name, as GitHub's wikis write it) in the link's language; of
    /// several, the one with the shortest path, as Obsidian takes it.
    fn page_named(&self, name: &str) -> Option<PageId> {
        let name = load::markdown_stem(name).unwrap_or(name);
        let hyphenated = name.replace(' ', "-");
        let names = |key: &str| {
            [name, hyphenated.as_str()].iter().any(|name| {
                let tail = key.len().checked_sub(name.len() + 1).and_then(|at| key.get(at..));
                key.eq_ignore_ascii_case(name)
                    || tail.is_some_and(|tail| tail.starts_with('/') && tail[1..].eq_ignore_ascii_case(name))
            })
        };
        self.by_key
            .iter()
            .filter(|((lang, key), _)| lang == self.lang && names(key))
            .min_by_key(|((_, key), _)| (key.len(), key.as_str()))
            .map(|(_, page)| *page)
    }

    /// The page `stem` names in another language, the first in the site's order that
    /// has it, when the link's own language does not.
    fn translation_for(&self, stem: &str) -> Option<(PageId, &str)> {
        let key = self.page_key(stem)?.0;
        self.languages.iter().filter(|l| *l != self.lang).find_map(|lang| {
            let page = self.by_key.get(&(lang.clone(), key.clone()))?;
            Some((*page, lang.as_str()))
        })
    }

    /// The page a relative `.md`/`.html` path (without the extension) names:
    /// `install`, `../guide/install.en`, `guide/_index`, `index`.
    fn page_for(&self, stem: &str) -> Option<PageId> {
        let (key, lang) = self.page_key(stem)?;
        self.by_key.get(&(lang, key)).copied()
    }

    /// The page key and language a path names: its language suffix, else the link's.
    fn page_key(&self, stem: &str) -> Option<(String, String)> {
        let joined = join_inside(self.dir, stem)?;
        let (key, lang) = match joined.rsplit_once('.') {
            Some((key, lang)) if self.languages.iter().any(|l| l == lang) => (key.to_string(), lang.to_string()),
            _ => (joined, self.lang.to_string()),
        };
        // `README.md` and `guide/guide.md` introduce their folder as `index.md` does
        // (mdBook, GitHub, Docusaurus).
        let key = match key.rsplit_once('/') {
            Some((folder, "_index")) => folder.to_string(),
            None if key == "_index" => String::new(),
            _ => load::introduced_folder(&key).map_or(key.clone(), str::to_string),
        };
        Some((key, lang))
    }
}

fn last_segment(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Whether a link leaves the manual: a scheme (`https:`, `mailto:`), or an absolute
/// or protocol-relative path.
fn is_outside(dest: &str) -> bool {
    let before_path = dest.split(['/', '?', '#']).next().unwrap_or_default();
    before_path.contains(':') || dest.starts_with('/') || dest.starts_with('\\')
}

/// The one id of `ids` that is `fragment` once both are lowercase and without
/// anything but letters and digits (of any script); `None` when none or several are.
fn same_but_for_punctuation(fragment: &str, ids: &[String]) -> Option<String> {
    let loose =
        |id: &str| -> String { id.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect() };
    let wanted = loose(fragment);
    if wanted.is_empty() {
        return None;
    }
    let mut same = ids.iter().filter(|id| loose(id) == wanted);
    match (same.next(), same.next()) {
        (Some(id), None) => Some(id.clone()),
        _ => None,
    }
}

/// The id of `ids` that a Confluence heading id names: Confluence writes the page's
/// title, `-` and the heading's text, both without spaces
/// (`#Proxyguide-Certificates(証明書)`), and Pandoc's `-t gfm` keeps such links but
/// not the ids. The heading is the one whose id is the same as what follows a `-`
/// but for case and punctuation, tried from the first `-` on (a title may have one).
/// A fragment in GitHub's form (`#old-name`) is a heading renamed, not one of these.
fn confluence_heading(fragment: &str, ids: &[String]) -> Option<String> {
    if fragment.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return None;
    }
    fragment.match_indices('-').find_map(|(at, _)| same_but_for_punctuation(&fragment[at + 1..], ids))
}

/// `%E6%89%8B` → 手; anything that is not a valid escape stays as written.
pub fn percent_decoded(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
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
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_links_and_escapes() {
        assert!(is_outside("https://example.com/a.md#x"));
        assert!(is_outside("mailto:a@example.com"));
        assert!(is_outside("/abs/path.md"));
        assert!(!is_outside("guide/install.md#a:b"));
        assert!(!is_outside("#section"));
        assert_eq!(percent_decoded("%E6%89%8B%E9%A0%86-1"), "手順-1");
        assert_eq!(percent_decoded("100%-sure"), "100%-sure");
    }
}
