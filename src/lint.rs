//! Lints: what builds but is probably wrong in a manual that lives for years — a step
//! number typed by hand where a reference belongs, a Cyrillic letter inside a katakana
//! word, a step translated in one language and not the other.
//!
//! Lints read the resolved model and the source text (for exact positions); they never
//! change anything and never stop a build. Each has a stable code that `tejun.toml`
//! can allow (`[lints] mixed-width = "allow"`) or deny.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::config::LintLevel;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Assets;
use crate::model::{Image, ImageUse, Manual, Page, PageId, PageKind, Span, Step, TocNode};
use crate::parse::markdown::{is_generated_alt, typed_caption};
use crate::source::{Sources, lines_with_offsets};
use crate::translations;

/// Every lint, with what it looks for.
pub const LINTS: &[(&str, &str)] = &[
    ("hand-typed-step-number", "a step number typed by hand where a reference belongs"),
    ("hand-typed-figure-number", "a figure number typed by hand where a reference belongs"),
    ("mixed-script", "letters of another script inside a Japanese word"),
    ("missing-translation", "a page present in one language and missing in another"),
    ("missing-step-translation", "a step present in one language and missing in another"),
    ("step-order", "steps in a different order across languages"),
    ("missing-figure-translation", "a figure in one language without its counterpart"),
    ("missing-alt", "an image without alt text"),
    ("unused-image", "an image file no page uses"),
    ("empty-step", "a step with no text and no screenshot"),
    ("mixed-width", "full-width and half-width forms of the same term on one page"),
    ("missing-chapter-index", "a chapter folder without an _index file to title it"),
    ("missing-home", "a language without content/_index.LANG.md, the manual's home page"),
    ("stale-translation", "a translated step whose source step changed after it was translated"),
    ("unredacted-copy", "an image redacted in one step and published whole elsewhere"),
];

/// Applies `[lints]` from tejun.toml: allowed lints are dropped, denied ones become errors.
pub fn apply_levels(found: Vec<Diagnostic>, levels: &BTreeMap<String, LintLevel>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .filter_map(|mut d| match levels.get(d.code) {
            Some(LintLevel::Allow) => None,
            Some(LintLevel::Deny) => {
                d.severity = Severity::Error;
                Some(d)
            }
            _ => Some(d),
        })
        .collect()
}

/// Runs every lint over the manual.
pub fn lint(manual: &Manual, sources: &Sources, assets: &Assets) -> Vec<Diagnostic> {
    // A page's images are listed in the pass that lints it, while it is in the cache:
    // a pass of its own over the whole manual read every page from memory once more.
    let (images, per_page): (Vec<Vec<PageImage>>, Vec<Vec<Diagnostic>>) = manual
        .pages
        .par_iter()
        .map(|page| {
            let images = page.images();
            let text = &sources.get(page.file).text;
            let prose = prose_lines(page, text);
            let mut found = Vec::new();
            hand_typed_numbers(page, text, &prose, &mut found);
            mixed_script(page, text, &mut found);
            mixed_width(page, &prose, &mut found);
            images_without_alt(page, text, &images, &mut found);
            empty_steps(page, &mut found);
            (images, found)
        })
        .unzip();
    let mut found: Vec<Diagnostic> = per_page.into_iter().flatten().collect();
    translations(manual, sources, &images, &mut found);
    unused_images(manual, &images, assets, &mut found);
    unredacted_copies(manual, &images, &mut found);
    chapters_without_index(manual, &mut found);
    homes_made_up(manual, sources, &mut found);
    stale_translations(manual, sources, &mut found);
    found
}

/// Translated steps that `resolve` found stale: their `source` hash is not the source
/// step's hash now (the source was edited after the translation, or the hash is
/// garbage).
fn stale_translations(manual: &Manual, sources: &Sources, found: &mut Vec<Diagnostic>) {
    for page in &manual.pages {
        if let (Some(source_id), Some((_, span))) = (page.stale_since, &page.front.source) {
            let source_page = &manual.pages[source_id];
            let source_file = sources.get(source_page.file);
            let current = translations::page_hash(source_page, &source_file.text);
            found.push(warn(
                "stale-translation",
                page,
                span.clone(),
                format!(
                    "the page's text outside its steps changed in {} after this translation was made ({})",
                    source_page.lang, source_file.name
                ),
                format!(
                    "update the introduction and sections, then record it with `source = \"{current}\"` \
                     (or `tejun translations --stamp {}`)",
                    page.key
                ),
            ));
        }
        for step in page.steps() {
            let (Some(source_id), Some((_, span))) = (step.stale_since, &step.source) else { continue };
            let source_page = &manual.pages[source_id];
            let Some(source_step) = source_page.counterpart(step) else { continue };
            let source_file = sources.get(source_page.file);
            let current = translations::step_hash(source_step, &source_file.text);
            let (line, _) = sources.line_col(source_page.file, source_step.span.start);
            found.push(warn(
                "stale-translation",
                page,
                span.clone(),
                format!(
                    "step `{}` changed in {} after this translation was made ({}:{line})",
                    step.id, source_page.lang, source_file.name
                ),
                format!(
                    "update the translation, then record it with `source = \"{current}\"` \
                     (or `tejun translations --stamp {}#{}`)",
                    page.key, step.id
                ),
            ));
        }
    }
}

/// Languages whose home page `load` made up, for want of `content/_index.LANG.md`.
fn homes_made_up(manual: &Manual, sources: &Sources, found: &mut Vec<Diagnostic>) {
    for page in manual.pages.iter().filter(|page| page.kind == PageKind::Home) {
        let file = sources.get(page.file);
        if file.generated {
            found.push(
                Diagnostic::warning(
                    "missing-home",
                    format!("the manual has no {} home page: {} does not exist", page.lang, file.name),
                )
                .with_hint(format!(
                    "add {} with +++ title = \"…\" +++ and an introduction; meanwhile the home page is \
                     titled \"{}\" and lists the contents",
                    file.name, page.front.title
                )),
            );
        }
    }
}

/// Chapter folders with no `_index.LANG.md`: the contents show a title made from the
/// folder's name meanwhile. Reported at the folder's first page.
fn chapters_without_index(manual: &Manual, found: &mut Vec<Diagnostic>) {
    fn walk(nodes: &[TocNode], lang: &str, manual: &Manual, found: &mut Vec<Diagnostic>) {
        for node in nodes {
            if node.page.is_none() {
                let mut message =
                    format!("the chapter folder content/{}/ has no _index.{lang}.md to give it a title", node.key);
                let mut diagnostic = Diagnostic::warning("missing-chapter-index", "");
                if let Some(first) = first_page(&node.children) {
                    diagnostic = diagnostic.in_file(manual.pages[first].file);
                    message.push_str(" (this page is in it)");
                }
                diagnostic.message = message;
                found.push(diagnostic.with_hint(format!(
                    "add content/{}/_index.{lang}.md with +++ title = \"…\" +++; the contents say \"{}\" meanwhile",
                    node.key, node.title
                )));
            }
            walk(&node.children, lang, manual, found);
        }
    }
    fn first_page(nodes: &[TocNode]) -> Option<PageId> {
        nodes.iter().find_map(|n| n.page.or_else(|| first_page(&n.children)))
    }
    for language in &manual.languages {
        walk(&language.toc, &language.code, manual, found);
    }
}

fn warn(code: &'static str, page: &Page, span: Span, message: String, hint: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(code, message).at(page.file, span).with_hint(hint)
}

/// The Markdown a lint may look at: outside front matter, step blocks and code.
/// Each line as (its offset in `text`, the line).
fn prose_lines<'t>(page: &Page, text: &'t str) -> Vec<(usize, &'t str)> {
    let mut skip: Vec<Span> = page.steps().map(|s| s.span.clone()).collect();
    if let Some(end) = text.strip_prefix("+++").and_then(|rest| rest.find("\n+++")) {
        skip.push(0..end + 7);
    }
    skip.sort_by_key(|span| span.start);
    // The lines come in order: the spans that end before a line are behind it.
    let mut next_skip = 0;
    let mut lines = Vec::new();
    let mut in_code = false;
    for (start, line) in lines_with_offsets(text) {
        let indented = line.trim_start();
        if indented.starts_with("```") || indented.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        while skip.get(next_skip).is_some_and(|span| span.end <= start) {
            next_skip += 1;
        }
        if in_code || skip.get(next_skip).is_some_and(|span| span.contains(&start)) {
            continue;
        }
        lines.push((start, line));
    }
    lines
}

static HAND_TYPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"「[0-9０-９]+」の操作|手順\s*[0-9０-９]+|(?i:\bsteps?\s+[0-9]+\b)|図\s*[0-9０-９]+(?:[-－][0-9０-９]+)?|(?i:\bfig(?:ures?|s)?\.?\s*[0-9]+\b)",
    )
    .expect("valid pattern")
});

/// Words after which "step 8" is a step of the text, not step number 8: "during the
/// first step 8 replicas are removed", "in this step 2 files change".
const STEP_AS_NOUN: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "next",
    "last",
    "final",
    "previous",
    "this",
    "that",
    "each",
    "every",
    "same",
    "following",
    "initial",
    "one",
    "single",
    "another",
];

fn hand_typed_numbers(page: &Page, text: &str, prose: &[(usize, &str)], found: &mut Vec<Diagnostic>) {
    for &(start, line) in lines_with_hand_typed_words(text, prose) {
        for m in HAND_TYPED.find_iter(line) {
            let is_figure =
                m.as_str().starts_with('図') || m.as_str().get(..3).is_some_and(|w| w.eq_ignore_ascii_case("fig"));
            if is_figure {
                // 地図 3 枚, 意図: 図 ending a word is no figure. A caption typed under its
                // picture is the figure's caption, not a reference.
                let ends_word = line[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c));
                if !ends_word && typed_caption(&without_tags(line)).is_none() {
                    found.push(warn(
                        "hand-typed-figure-number",
                        page,
                        start + m.start()..start + m.end(),
                        format!("`{}` types a figure number by hand", m.as_str()),
                        "refer to the figure instead, e.g. [](fig:login): the number then follows when figures move",
                    ));
                }
                continue;
            }
            let before = line[..m.start()].trim_end();
            let word = before.rsplit(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default();
            if m.as_str().is_ascii() && STEP_AS_NOUN.contains(&word.to_ascii_lowercase().as_str()) {
                continue;
            }
            found.push(warn(
                "hand-typed-step-number",
                page,
                start + m.start()..start + m.end(),
                format!("`{}` types a step number by hand", m.as_str()),
                "refer to the step instead, e.g. [](step:download): the number then follows when steps move",
            ));
        }
    }
}

/// `line` without its HTML tags (`<figcaption><p>図 2 完了画面</p></figcaption>`).
fn without_tags(line: &str) -> String {
    let mut text = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    text.push_str(rest);
    text.trim().to_string()
}

/// What every match of [`HAND_TYPED`] holds: literals only, which the regex crate
/// finds with SIMD, where `\b` (Unicode word boundaries) puts the whole pattern on
/// its slowest engine over Japanese text.
static HAND_TYPED_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"」の操作|手順|図|(?i:step|fig)").expect("valid pattern"));

/// The lines of `prose` that hold one of [`HAND_TYPED_WORDS`], found with one search
/// of the page: only these (a few in a hundred) can hold a hand-typed number.
fn lines_with_hand_typed_words<'p, 't>(text: &str, prose: &'p [(usize, &'t str)]) -> Vec<&'p (usize, &'t str)> {
    let mut lines: Vec<&(usize, &str)> = Vec::new();
    for m in HAND_TYPED_WORDS.find_iter(text).filter(|m| could_be_hand_typed(text, m)) {
        let Some(line) = prose.partition_point(|(start, _)| *start <= m.start()).checked_sub(1).map(|i| &prose[i])
        else {
            continue;
        };
        let (start, content) = line;
        if m.end() <= start + content.len() && lines.last().is_none_or(|last| !std::ptr::eq(*last, line)) {
            lines.push(line);
        }
    }
    lines
}

/// Whether `word`, a match of [`HAND_TYPED_WORDS`], stands where [`HAND_TYPED`] needs
/// it: a digit before `」の操作`, one after `手順` (past any spaces), a space after `step`
/// or `steps`. Most matches on an English page are references, `[](step:…)`, and
/// searching each of their lines again with `HAND_TYPED` cost a build 1 % of its
/// instructions.
fn could_be_hand_typed(text: &str, word: &regex::Match) -> bool {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let after = &text[word.end()..];
    match word.as_str() {
        "」の操作" => text[..word.start()].chars().next_back().is_some_and(is_digit),
        "手順" | "図" => after.trim_start_matches(char::is_whitespace).starts_with(is_digit),
        fig if fig.eq_ignore_ascii_case("fig") => {
            let after = ["ures", "ure", "s"].iter().find_map(|end| after.strip_prefix(end)).unwrap_or(after);
            after.strip_prefix('.').unwrap_or(after).trim_start_matches(char::is_whitespace).starts_with(is_digit)
        }
        // `(?i:s)` is also the long s.
        _ => after.strip_prefix(['s', 'S', 'ſ']).unwrap_or(after).starts_with(char::is_whitespace),
    }
}

static MIXED_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Hiragana}\p{Katakana}\p{Han}ー]+[\p{Cyrillic}\p{Greek}]+[\p{Hiragana}\p{Katakana}\p{Han}ー\p{Cyrillic}\p{Greek}]*|[\p{Cyrillic}\p{Greek}]+[\p{Hiragana}\p{Katakana}\p{Han}ー]+")
        .expect("valid pattern")
});

fn mixed_script(page: &Page, text: &str, found: &mut Vec<Diagnostic>) {
    // Greek and Cyrillic letters start with the bytes 0xCD–0xD3 in UTF-8, or 0xE1 (the
    // extended Greek): text without them, nearly all, needs no regex. Looked for as byte
    // arithmetic in a pass with no early exit, which the compiler vectorizes: the
    // regex's automaton took ten times as long over Japanese text.
    let may_have_letters = |b: u8| u8::from(b.wrapping_sub(0xCD) <= 0xD3 - 0xCD) | u8::from(b == 0xE1);
    if text.bytes().fold(0, |found, b| found | may_have_letters(b)) == 0 {
        return;
    }
    for m in MIXED_SCRIPT.find_iter(text) {
        let foreign: String = m.as_str().chars().filter(|c| is_cyrillic_or_greek(*c)).collect();
        found.push(warn(
            "mixed-script",
            page,
            m.range(),
            format!("`{}` mixes Japanese with the Cyrillic or Greek letters «{foreign}»", m.as_str()),
            "these look alike but are other letters; retype the word in Japanese",
        ));
    }
}

fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x03FF | 0x0400..=0x04FF | 0x1F00..=0x1FFF)
}

static FULL_WIDTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[Ａ-Ｚａ-ｚ０-９]+|[ｦ-ﾟ]+").expect("valid pattern"));

/// ＩＤ and ID (or ｶﾀｶﾅ and カタカナ) on one page: readers and search see two terms.
fn mixed_width(page: &Page, prose: &[(usize, &str)], found: &mut Vec<Diagnostic>) {
    let mut reported = BTreeSet::new();
    // Full-width letters, digits and kana all start with the byte 0xEF in UTF-8.
    for (start, line) in prose.iter().filter(|(_, line)| line.as_bytes().contains(&0xEF)) {
        for m in FULL_WIDTH.find_iter(line) {
            let narrow: String = m.as_str().nfkc().collect();
            if narrow == m.as_str() || reported.contains(&narrow) {
                continue;
            }
            let elsewhere = prose.iter().any(|(_, other)| other.contains(&narrow));
            if elsewhere {
                reported.insert(narrow.clone());
                found.push(warn(
                    "mixed-width",
                    page,
                    start + m.start()..start + m.end(),
                    format!("`{}` is also written `{narrow}` on this page", m.as_str()),
                    format!("write `{narrow}` everywhere (or allow the lint: [lints] mixed-width = \"allow\")"),
                ));
            }
        }
    }
}

/// A page's images as [`Page::images`] lists them, walked for once: several lints
/// look at them, and walking every block of every page again for each showed.
type PageImages<'a> = [PageImage<'a>];
type PageImage<'a> = (ImageUse<'a>, &'a Image);

fn images_without_alt(page: &Page, text: &str, images: &PageImages, found: &mut Vec<Diagnostic>) {
    let hint = "describe what the image shows, for readers who cannot see it and for search";
    for &(role, image) in images.iter().filter(|(_, image)| image.alt.trim().is_empty()) {
        let written = text.get(image.span.clone()).unwrap_or_default();
        if is_generated_alt(written) {
            found.push(warn(
                "missing-alt",
                page,
                image.span.clone(),
                "this image's alt text is the description Word made up for it, which tejun leaves out".into(),
                format!("write what the image shows in its place: {hint}"),
            ));
            continue;
        }
        found.push(match role {
            ImageUse::Screenshot(step) => warn(
                "missing-alt",
                page,
                image.span.clone(),
                format!("the screenshot of step `{}` has no alt text", step.id),
                format!("add alt = \"…\" to the step block: {hint}"),
            ),
            _ => warn(
                "missing-alt",
                page,
                image.span.clone(),
                "image without alt text".into(),
                format!("write ![what it shows](…): {hint}"),
            ),
        });
    }
}

/// A step whose title says what to do ("Copy the certificate to your folder.") is
/// complete on its own; only a step with nothing at all to read is empty.
fn empty_steps(page: &Page, found: &mut Vec<Diagnostic>) {
    let empty = |s: &&Step| s.title.trim().is_empty() && s.body.is_empty() && s.image.is_none() && s.result.is_none();
    for step in page.steps().filter(empty) {
        found.push(warn(
            "empty-step",
            page,
            step.id_span.clone(),
            format!("step `{}` has no title, text, screenshot or result", step.id),
            "say what the reader does in this step, or remove it",
        ));
    }
}

/// Pages, steps, their order and figures, compared with the default language's (or
/// the first language that has the page).
fn translations(manual: &Manual, sources: &Sources, images: &[Vec<PageImage>], found: &mut Vec<Diagnostic>) {
    let mut by_key: BTreeMap<(&str, PageKind), Vec<PageId>> = BTreeMap::new();
    for (id, page) in manual.pages.iter().enumerate() {
        by_key.entry((page.key.as_str(), page.kind)).or_default().push(id);
    }
    let languages: Vec<&str> = manual.languages.iter().map(|l| l.code.as_str()).collect();
    let groups: Vec<Vec<PageId>> = by_key.into_values().collect();
    let per_group: Vec<Vec<Diagnostic>> = groups
        .par_iter()
        .map(|ids| {
            let mut found = Vec::new();
            compare_translations(manual, sources, images, ids, &languages, &mut found);
            found
        })
        .collect();
    found.extend(per_group.into_iter().flatten());
}

/// The versions `ids` of one page: the languages it lacks, and what each translation
/// lacks or has in another order than the first version.
fn compare_translations(
    manual: &Manual,
    sources: &Sources,
    images: &[Vec<PageImage>],
    ids: &[PageId],
    languages: &[&str],
    found: &mut Vec<Diagnostic>,
) {
    let reference = &manual.pages[ids[0]];
    for lang in languages {
        if !ids.iter().any(|&id| manual.pages[id].lang == *lang) {
            found.push(
                Diagnostic::warning(
                    "missing-translation",
                    format!("{} has no {lang} version", sources.get(reference.file).name),
                )
                .in_file(reference.file)
                .with_hint(format!("write the page in {lang} too, with the same step ids")),
            );
        }
    }
    let reference_figures = figure_ids(&images[ids[0]]);
    for &other in &ids[1..] {
        let other_figures = figure_ids(&images[other]);
        let other = &manual.pages[other];
        compare_steps(reference, other, found);
        compare_steps(other, reference, found);
        compare_order(reference, other, found);
        compare_figures(reference, &reference_figures, other, &other_figures, found);
        compare_figures(other, &other_figures, reference, &reference_figures, found);
    }
}

fn compare_steps(page: &Page, other: &Page, found: &mut Vec<Diagnostic>) {
    for step in page.steps().filter(|s| other.find_step(&s.id).is_none()) {
        found.push(warn(
            "missing-step-translation",
            page,
            step.id_span.clone(),
            format!("step `{}` is not in the {} version of this page", step.id, other.lang),
            format!("add the step with id = \"{}\" to the {} page, or remove it here", step.id, other.lang),
        ));
    }
}

fn compare_order(page: &Page, other: &Page, found: &mut Vec<Diagnostic>) {
    let position: HashMap<&str, usize> = other.steps().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let common: Vec<(&Step, usize)> =
        page.steps().filter_map(|s| position.get(s.id.as_str()).map(|&p| (s, p))).collect();
    if let Some(pair) = common.windows(2).find(|w| w[0].1 > w[1].1) {
        let step = pair[1].0;
        found.push(warn(
            "step-order",
            other,
            other.find_step(&step.id).map_or(0..0, |s| s.id_span.clone()),
            format!(
                "step `{}` comes before `{}` here but after it in the {} version",
                step.id, pair[0].0.id, page.lang
            ),
            "put the steps in the same order in every language: their numbers must match",
        ));
    }
}

/// Figure ids of a page: step screenshots and images alone in their paragraph.
fn figure_ids<'p>(images: &PageImages<'p>) -> Vec<(&'p str, Span)> {
    images
        .iter()
        .filter_map(|&(role, image)| match role {
            ImageUse::Screenshot(step) => Some((step.id.as_str(), image.span.clone())),
            ImageUse::Figure(figure) => Some((figure.id.as_str(), image.span.clone())),
            ImageUse::Icon => None,
        })
        .collect()
}

fn compare_figures(
    page: &Page,
    figures: &[(&str, Span)],
    other: &Page,
    other_figures: &[(&str, Span)],
    found: &mut Vec<Diagnostic>,
) {
    let theirs: BTreeSet<&str> = other_figures.iter().map(|(id, _)| *id).collect();
    for (id, span) in figures.iter().filter(|(id, _)| !theirs.contains(id)) {
        found.push(warn(
            "missing-figure-translation",
            page,
            span.clone(),
            format!("figure `{id}` has no counterpart in the {} version of this page", other.lang),
            "give both languages the same figures, so figure numbers match",
        ));
    }
}

/// An image one step redacts and another use shows whole: whatever the boxes hide
/// is published there.
fn unredacted_copies(manual: &Manual, images: &[Vec<PageImage>], found: &mut Vec<Diagnostic>) {
    let mut redacted: BTreeMap<&str, (&Page, &str)> = BTreeMap::new();
    for page in &manual.pages {
        for step in page.steps().filter(|s| !s.redact.is_empty()) {
            if let Some(asset) = step.image.as_ref().and_then(|i| i.asset.as_deref()) {
                redacted.entry(asset).or_insert((page, &step.id));
            }
        }
    }
    if redacted.is_empty() {
        return;
    }
    for (page, images) in manual.pages.iter().zip(images) {
        for &(_, image) in images.iter().filter(|(_, image)| image.published.is_none()) {
            let Some(&(redacting_page, step)) = image.asset.as_deref().and_then(|asset| redacted.get(asset)) else {
                continue;
            };
            found.push(warn(
                "unredacted-copy",
                page,
                image.span.clone(),
                format!(
                    "content/{} is published whole here, though step `{step}` of `{}` redacts it",
                    image.asset.as_deref().unwrap_or_default(),
                    redacting_page.key
                ),
                "give this use the same `redact` boxes (a step's), or use a copy of the image without the secret",
            ));
        }
    }
}

fn unused_images(manual: &Manual, images: &[Vec<PageImage>], assets: &Assets, found: &mut Vec<Diagnostic>) {
    let shown = images.iter().flatten().filter_map(|(_, image)| image.asset.as_deref());
    let in_html = manual.pages.iter().flat_map(|page| page.html_assets.iter().map(String::as_str));
    let used: BTreeSet<&str> = shown.chain(in_html).collect();
    for (rel, asset) in assets {
        if asset.size.is_some() && !used.contains(rel.as_str()) {
            found.push(
                Diagnostic::warning("unused-image", format!("content/{rel} is not used by any page"))
                    .with_hint("remove it, or show it with ![alt](path) or a step's image = \"…\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assets, manual};

    fn page(title: &str, body: &str) -> String {
        format!("+++\ntitle = \"{title}\"\n+++\n\n{body}")
    }

    fn step(id: &str, extra: &str, body: &str) -> String {
        format!("+++\nid = \"{id}\"\ntitle = \"{id}\"\n{extra}+++\n\n{body}\n\n")
    }

    /// (code, the source text the warning points at).
    fn lints(files: &[(&str, &str, &str)], asset_paths: &[&str]) -> Vec<(&'static str, String)> {
        let (manual, errors, sources) = manual(files, asset_paths);
        assert!(errors.is_empty(), "{errors:?}");
        let mut found: Vec<_> = lint(&manual, &sources, &assets(asset_paths))
            .into_iter()
            .map(|d| {
                let text = match (d.file, d.span) {
                    (Some(f), Some(s)) => sources.get(f).text[s].to_string(),
                    _ => d.message.clone(),
                };
                (d.code, text)
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn hand_typed_step_numbers() {
        let ja = page(
            "p",
            &step("a", "", "アプリ画面の「×」をクリックした場合は「19」の操作からやり直してください。手順19 も参照。"),
        );
        let en = page(
            "p",
            &step(
                "a",
                "",
                "Start again from step 19. See [](step:a). Steps 3 are fine? No. During the first step 8 replicas \
                 are removed; in this step 2 files change.",
            ),
        );
        let found = lints(&[("ja", "p", &ja), ("en", "p", &en)], &[]);
        assert_eq!(
            found,
            [
                ("hand-typed-step-number", "Steps 3".to_string()),
                ("hand-typed-step-number", "step 19".to_string()),
                ("hand-typed-step-number", "「19」の操作".to_string()),
                ("hand-typed-step-number", "手順19".to_string()),
            ]
        );
    }

    #[test]
    fn hand_typed_figure_numbers_but_not_typed_captions() {
        let ja = page(
            "p",
            &step(
                "a",
                "",
                "図 2 に示すとおり、完了画面が表示されます。地図 3 枚と意図 4 は別です。\n\n![](a.png)\n\n図 3 ログイン画面\n\n\
                 <figure>\n<img src=\"a.png\" alt=\"画面\">\n<figcaption><p>図 5 完了画面</p></figcaption>\n</figure>\n",
            ),
        );
        let en = page("p", &step("a", "", "As Figure 12 shows, see also fig. 3. A config 3 file.\n"));
        let found = lints(&[("ja", "p", &ja), ("en", "p", &en)], &["a.png"]);
        let figures: Vec<_> = found.into_iter().filter(|(code, _)| *code == "hand-typed-figure-number").collect();
        assert_eq!(
            figures,
            [
                ("hand-typed-figure-number", "Figure 12".to_string()),
                ("hand-typed-figure-number", "fig. 3".to_string()),
                ("hand-typed-figure-number", "図 2".to_string()),
            ]
        );
    }

    #[test]
    fn every_line_with_a_hand_typed_number_is_among_those_the_page_search_finds() {
        let texts = [
            "手順\n3 手順 4\nnothing\n",
            "step\n5 and steps 6\nStep\n\nstep 2\n",
            "x 手順 1 手順 2\n手順3\n「１」の操作\nstep 9 then STEP 10\n",
            "「1」の\n操作\nsteps\n\n12\n手順 \n 7\n",
            "a ſtep 4 (long s)\nはstep 5\nStep 6件\n",
            "See [](step:a) and [](step:b).\nsteps: 3\nstep\u{3000}8 and STEPS\t9\n手順：3\n手順\u{3000}４\n「x」の操作\n",
            "ſteps 2\nstepS 3\nstepſ 4\nsteps3 step3\n「１２」の操作 and 」の操作\n",
            "図\n3 図 4\n地図 5\n図　６ と図2-1\nFigure 3. Fig. 4, figs 5 FIGURES 6\nconfig 7 fig\n8 ﬁg 9 FİG 10\n",
        ];
        for text in texts {
            let mut all = Vec::new();
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                all.push((offset, line));
                offset += line.len();
            }
            // Every line, then every other line (as if the rest were code or steps).
            for prose in [all.clone(), all.iter().copied().step_by(2).collect()] {
                let alone: Vec<&(usize, &str)> = prose.iter().filter(|(_, line)| HAND_TYPED.is_match(line)).collect();
                // More lines come (those with the words but no number): they are
                // searched again alone.
                let found = lines_with_hand_typed_words(text, &prose);
                let matching: Vec<&(usize, &str)> =
                    found.into_iter().filter(|(_, line)| HAND_TYPED.is_match(line)).collect();
                assert_eq!(matching, alone, "{text:?}");
            }
        }
    }

    #[test]
    fn cyrillic_inside_katakana() {
        let ja = page("p", &step("a", "", "「変更・利用者ワнтаムパスワード」画面が表示されます。"));
        let found = lints(&[("ja", "p", &ja), ("en", "p", &page("p", &step("a", "", "x")))], &[]);
        assert_eq!(found, [("mixed-script", "利用者ワнтаムパスワード".to_string())]);
    }

    #[test]
    fn greek_inside_kanji_and_kana() {
        // Basic Greek, and a letter of the Greek Extended block (three bytes in UTF-8).
        let ja = page("p", &step("a", "", "暗証Α番号を入力し、ᾹパスワードをWindows で確認します。"));
        let found = lints(&[("ja", "p", &ja), ("en", "p", &page("p", &step("a", "", "x")))], &[]);
        assert_eq!(
            found,
            [("mixed-script", "Ᾱパスワードを".to_string()), ("mixed-script", "暗証Α番号を入力し".to_string())]
        );
    }

    #[test]
    fn full_and_half_width_forms_of_one_term() {
        let ja = page("p", &step("a", "", "ＩＤを入力します。\n\nIDは画面に表示されます。ｶﾀｶﾅとカタカナ。"));
        let found = lints(&[("ja", "p", &ja), ("en", "p", &page("p", &step("a", "", "x")))], &[]);
        assert_eq!(found, [("mixed-width", "ＩＤ".to_string()), ("mixed-width", "ｶﾀｶﾅ".to_string())]);
    }

    #[test]
    fn translations_steps_order_and_figures() {
        let ja = page(
            "p",
            &(step("a", "image = \"s.svg\"\nalt = \"x\"\n", "x") + &step("b", "", "x") + &step("c", "", "x")),
        );
        let en = page("p", &(step("b", "", "x") + &step("a", "", "x")));
        let found = lints(&[("ja", "p", &ja), ("en", "p", &en), ("ja", "only-ja", &page("q", "text"))], &["s.svg"]);
        assert_eq!(
            found,
            [
                ("missing-figure-translation", "\"s.svg\"".to_string()),
                ("missing-step-translation", "\"c\"".to_string()),
                ("missing-translation", "only-ja.ja.md has no en version".to_string()),
                ("step-order", "\"a\"".to_string()),
            ]
        );
    }

    #[test]
    fn images_without_alt_unused_images_and_empty_steps() {
        let title_only = "+++\nid = \"copy\"\ntitle = \"Copy the certificate to your folder.\"\n+++\n\n";
        let body = step("a", "image = \"s.svg\"\n", "![](icon.svg) text")
            + "+++\nid = \"empty\"\ntitle = \" \"\n+++\n\n"
            + title_only;
        let ja = page("p", &body);
        let en = page("p", &body);
        let found = lints(&[("ja", "p", &ja), ("en", "p", &en)], &["s.svg", "icon.svg", "unused.png"]);
        let codes: Vec<_> = found.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            codes,
            ["empty-step", "empty-step", "missing-alt", "missing-alt", "missing-alt", "missing-alt", "unused-image"]
        );
        assert!(found.contains(&("unused-image", "content/unused.png is not used by any page".to_string())));
        assert!(found.contains(&("missing-alt", "\"s.svg\"".to_string())));
        assert!(found.contains(&("missing-alt", "![](icon.svg)".to_string())));
    }

    #[test]
    fn a_chapter_folder_without_an_index_is_named_with_its_stand_in_title() {
        let text = page("install", &step("a", "", "Install it."));
        let (manual, _, sources) = manual(&[("en", "02-getting_started/install", &text)], &[]);
        let found = lint(&manual, &sources, &assets(&[]));
        let chapter: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "missing-chapter-index").collect();
        assert_eq!(chapter.len(), 1, "{found:?}");
        assert_eq!(
            chapter[0].message,
            "the chapter folder content/02-getting_started/ has no _index.en.md to give it a title (this page is in it)"
        );
        assert!(chapter[0].hint.as_deref().unwrap().ends_with("the contents say \"Getting started\" meanwhile"));
        assert_eq!(chapter[0].file, Some(manual.pages[0].file));
    }

    #[test]
    fn a_translated_step_whose_source_changed_is_stale() {
        let ja_step = |body: &str| format!("+++\nid = \"a\"\ntitle = \"開きます\"\n+++\n\n{body}\n");
        let ja = page("p", &ja_step("「OK」を\nクリックします。"));
        // The hash of the Japanese step as it is now.
        let (manual, _, sources) = manual(&[("ja", "p", &ja)], &[]);
        let step = manual.pages[0].find_step("a").unwrap();
        let hash = translations::step_hash(step, &sources.get(manual.pages[0].file).text);
        let en = |source: &str| {
            page("p", &format!("+++\nid = \"a\"\ntitle = \"Open\"\nsource = \"{source}\"\n+++\n\nClick OK.\n"))
        };
        let stale = |ja: &str, en: &str| {
            lints(&[("ja", "p", ja), ("en", "p", en)], &[])
                .into_iter()
                .filter(|(code, _)| *code == "stale-translation")
                .count()
        };
        assert_eq!(stale(&ja, &en(&hash)), 0, "current");
        assert_eq!(stale(&page("p", &ja_step("「OK」をクリック\r\n\r\nします。")), &en(&hash)), 0, "blank lines");
        assert_eq!(stale(&page("p", &ja_step("「OK」を2回クリックします。")), &en(&hash)), 1, "a word added");
        assert_eq!(stale(&page("p", &ja_step("「OK」をクリック\r\nします。  ")), &en(&hash)), 0, "re-wrapped only");
        assert_eq!(stale(&page("p", &ja_step("「キャンセル」をクリックします。")), &en(&hash)), 1, "edited");
        assert_eq!(stale(&ja, &en("garbage")), 1, "a malformed hash is simply stale");
        let found = lints(&[("ja", "p", &ja), ("en", "p", &en("garbage"))], &[]);
        assert!(found.contains(&("stale-translation", "\"garbage\"".to_string())), "at the source line: {found:?}");
    }

    #[test]
    fn the_example_manual_is_clean() {
        let (site, sources) = crate::testing::example_site();
        let found = lint(&site.manual, &sources, &site.assets);
        assert!(found.is_empty(), "{found:#?}");
    }
}
