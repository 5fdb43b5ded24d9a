//! Between parse and resolve: one source, a manual per variant. `tejun.toml`
//! declares dimensions (`[variants.browser]`); content is marked with conditions on
//! steps, sections and `:::` containers. This module checks every condition
//! against the declared dimensions, lists the combinations of values (each an
//! [`Edition`], the default one first), and selects each edition's pages from the
//! parsed ones, which `resolve` then numbers on their own: a Chrome-only step
//! shifts the numbers after it in the Chrome manual only. No I/O.
//!
//! Selection keeps every page (conditions mark content inside pages), so a page has
//! the same [`PageId`](crate::model::PageId) in every edition, which the variant
//! switch and the PDFs' dates rely on.

use rayon::prelude::*;

use crate::config::{Config, Dimension};
use crate::diagnostic::{Diagnostic, nearest};
use crate::model::{Block, Condition, Edition, Page, Span};

/// Every combination of values, the default (each dimension's first value) first;
/// one edition with no values when the site declares no variants.
pub fn editions(config: &Config) -> Vec<Edition> {
    let mut combinations: Vec<Vec<usize>> = vec![Vec::new()];
    for dimension in &config.variants {
        combinations = combinations
            .into_iter()
            .flat_map(|combination| {
                (0..dimension.values.len()).map(move |value| {
                    let mut next = combination.clone();
                    next.push(value);
                    next
                })
            })
            .collect();
    }
    combinations.into_iter().map(|combination| edition(&config.variants, &combination)).collect()
}

fn edition(dimensions: &[Dimension], combination: &[usize]) -> Edition {
    let values: Vec<(String, String)> = dimensions
        .iter()
        .zip(combination)
        .map(|(dimension, &value)| (dimension.name.clone(), dimension.values[value].clone()))
        .collect();
    let folder: Vec<&str> = dimensions
        .iter()
        .zip(combination)
        .filter(|&(_, &value)| value != 0)
        .map(|(dimension, &value)| dimension.values[value].as_str())
        .collect();
    let prefix = if folder.is_empty() { String::new() } else { format!("{}/", folder.join("_")) };
    Edition { values, prefix }
}

/// What readers are told the manual is for (`Google Chrome`), in a language; `None`
/// when the site has no variants.
pub fn edition_label(config: &Config, edition: &Edition, lang: &str) -> Option<String> {
    if edition.values.is_empty() {
        return None;
    }
    let labels: Vec<String> = config
        .variants
        .iter()
        .zip(&edition.values)
        .map(|(dimension, (_, value))| dimension.label(lang, value))
        .collect();
    Some(labels.join(" / "))
}

/// Every condition in the pages, checked against the declared dimensions: an
/// unknown dimension or value is an error at the place it is written, and a value
/// in two alternatives next to each other a warning.
pub fn check(pages: &[Page], config: &Config) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut found = Vec::new();
            for_each_condition(page, &mut |condition| {
                check_condition(condition, page.file, &config.variants, &mut found)
            });
            for_each_block_list(page, &mut |blocks| overlapping_alternatives(blocks, page.file, &mut found));
            found.extend(
                page.div_classes.iter().filter_map(|(class, span)| value_as_class(class, span, page.file, config)),
            );
            found
        })
        .collect();
    found.extend(translations_in_other_manuals(pages, &config.source_language));
    found
}

/// A page and its translations are in the same manuals: `only` on a translation that
/// its source page has not (or another `only`) would give a manual the page in one
/// language only. Reported on the translation.
fn translations_in_other_manuals(pages: &[Page], source_language: &str) -> Vec<Diagnostic> {
    let marked = |page: &Page| page.front.only.as_ref().map_or_else(|| "every manual".to_string(), Condition::to_text);
    let sources: rustc_hash::FxHashMap<&str, &Page> =
        pages.iter().filter(|page| page.lang == source_language).map(|page| (page.key.as_str(), page)).collect();
    let mut found = Vec::new();
    for page in pages.iter().filter(|page| page.lang != source_language) {
        let Some(other) = sources.get(page.key.as_str()).copied() else { continue };
        let same = match (&page.front.only, &other.front.only) {
            (None, None) => true,
            (Some(one), Some(another)) => one.same_as(another),
            _ => false,
        };
        if !same {
            let at = page
                .front
                .only
                .as_ref()
                .and_then(|only| only.terms.first())
                .map_or(page.front.span.start..page.front.span.start, |term| term.dimension_span.clone());
            found.push(
                Diagnostic::warning(
                    "translation-in-other-manuals",
                    format!("this page is for {}, its {} version for {}", marked(page), other.lang, marked(other)),
                )
                .at(page.file, at)
                .with_hint("mark the page and its translations with the same `only`"),
            );
        }
    }
    found
}

/// Consecutive containers of one dimension are alternatives (`::: browser=edge`,
/// then `::: browser=chrome`); a value in two of them is most likely a copy that
/// was not changed.
fn overlapping_alternatives(blocks: &[Block], file: usize, found: &mut Vec<Diagnostic>) {
    let mut run: Vec<(&str, &str)> = Vec::new();
    for block in blocks {
        let Block::Variant(variant) = block else {
            run.clear();
            continue;
        };
        let [term] = variant.condition.terms.as_slice() else {
            run.clear();
            continue;
        };
        if run.first().is_some_and(|(dimension, _)| *dimension != term.dimension) {
            run.clear();
        }
        for (value, span) in &term.values {
            if run.iter().any(|(_, seen)| seen == value) {
                found.push(
                    Diagnostic::warning(
                        "overlapping-alternatives",
                        format!("`{}={value}` is in the container just before this one too", term.dimension),
                    )
                    .at(file, span.clone())
                    .with_hint("alternatives next to each other are for different values: change one, or join the two"),
                );
            }
        }
        run.extend(term.values.iter().map(|(value, _)| (term.dimension.as_str(), value.as_str())));
    }
}

/// Every list of blocks a container can be in, containers' own included.
fn for_each_block_list(page: &Page, visit: &mut impl FnMut(&[Block])) {
    fn blocks(list: &[Block], visit: &mut impl FnMut(&[Block])) {
        visit(list);
        for block in list {
            if let Block::Variant(variant) = block {
                blocks(&variant.blocks, visit);
            }
        }
    }
    blocks(&page.intro, visit);
    for section in &page.sections {
        blocks(&section.intro, visit);
        for step in &section.steps {
            blocks(&step.body, visit);
        }
    }
}

/// Every condition of the page: its own, sections', steps' and containers'.
fn for_each_condition(page: &Page, visit: &mut impl FnMut(&Condition)) {
    page.front.only.iter().for_each(&mut *visit);
    for section in &page.sections {
        section.only.iter().for_each(&mut *visit);
        section.steps.iter().filter_map(|step| step.only.as_ref()).for_each(&mut *visit);
    }
    for_each_block_list(page, &mut |blocks| {
        for block in blocks {
            if let Block::Variant(variant) = block {
                visit(&variant.condition);
            }
        }
    });
}

/// `::: chrome`, read as a Pandoc div of class `chrome`, where `chrome` is a value
/// of a dimension: the writer meant `::: browser=chrome`.
fn value_as_class(class: &str, span: &Span, file: usize, config: &Config) -> Option<Diagnostic> {
    let dimension = config.variants.iter().find(|d| d.name == class || d.values.iter().any(|v| v == class))?;
    let value = if dimension.name == class { &dimension.values[0] } else { class };
    Some(
        Diagnostic::error("invalid-variant-mark", format!("`{class}` does not say which variant the container is for"))
            .at(file, span.clone())
            .with_hint(format!(
                "write `::: {}={value}` (a Pandoc div of that class would be `::: {{.{class}}}`)",
                dimension.name
            )),
    )
}

fn check_condition(condition: &Condition, file: usize, dimensions: &[Dimension], found: &mut Vec<Diagnostic>) {
    for term in &condition.terms {
        let Some(dimension) = dimensions.iter().find(|d| d.name == term.dimension) else {
            let names = || dimensions.iter().map(|d| d.name.as_str());
            let hint = match nearest(&term.dimension, names()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if dimensions.is_empty() => format!(
                    "tejun.toml declares no variants; declare this one with\n[variants.{}]\nvalues = [\"…\", \"…\"]",
                    term.dimension
                ),
                None => format!("tejun.toml declares: {}", names().collect::<Vec<_>>().join(", ")),
            };
            found.push(
                Diagnostic::error("unknown-variant", format!("there is no variant dimension `{}`", term.dimension))
                    .at(file, term.dimension_span.clone())
                    .with_hint(hint),
            );
            continue;
        };
        if term.values.is_empty() {
            found.push(
                Diagnostic::error("unknown-variant", format!("`{}` is given no value", term.dimension))
                    .at(file, term.dimension_span.clone())
                    .with_hint(format!("write {}={}", term.dimension, dimension.values[0])),
            );
        }
        for (value, span) in &term.values {
            if dimension.values.contains(value) {
                continue;
            }
            let values = || dimension.values.iter().map(String::as_str);
            let list = values().collect::<Vec<_>>().join(", ");
            let hint = match nearest(value, values()) {
                Some(near) => format!("did you mean `{near}`? The values of `{}` are: {list}", dimension.name),
                None => format!("the values of `{}` are: {list}", dimension.name),
            };
            found.push(
                Diagnostic::error("unknown-variant", format!("`{value}` is not a value of `{}`", dimension.name))
                    .at(file, span.clone())
                    .with_hint(hint),
            );
        }
    }
}

/// The pages of one edition: content its values do not admit is dropped, and its
/// containers are opened up into the blocks around them.
pub fn select(pages: &[Page], edition: &Edition) -> Vec<Page> {
    let combination = edition.pairs();
    let admitted = |page: &&Page| page.front.only.as_ref().is_none_or(|only| only.admits(&combination));
    pages.par_iter().filter(admitted).map(|page| select_page(page, &combination)).collect()
}

fn select_page(page: &Page, combination: &[(&str, &str)]) -> Page {
    let admits = |only: &Option<Condition>| only.as_ref().is_none_or(|c| c.admits(combination));
    let mut page = page.clone();
    page.intro = select_blocks(std::mem::take(&mut page.intro), combination);
    page.sections.retain(|section| admits(&section.only));
    for section in &mut page.sections {
        section.intro = select_blocks(std::mem::take(&mut section.intro), combination);
        section.steps.retain(|step| admits(&step.only));
        for step in &mut section.steps {
            step.body = select_blocks(std::mem::take(&mut step.body), combination);
        }
    }
    page
}

fn select_blocks(blocks: Vec<Block>, combination: &[(&str, &str)]) -> Vec<Block> {
    if !blocks.iter().any(|b| matches!(b, Block::Variant(_))) {
        return blocks;
    }
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Variant(variant) if variant.condition.admits(combination) => {
                out.extend(select_blocks(variant.blocks, combination))
            }
            Block::Variant(_) => {}
            block => out.push(block),
        }
    }
    out
}

/// The diagnostics of every edition's resolve, each reported once: what every
/// edition found as it is, what only some found naming them. `whole` is what
/// resolving every variant's content together found: a reference to a step that
/// exists there but not in an edition points into content that edition drops.
pub fn merge_diagnostics(
    config: &Config,
    editions: &[Edition],
    found: Vec<Vec<Diagnostic>>,
    whole: &[Diagnostic],
) -> Vec<Diagnostic> {
    if found.len() == 1 {
        return found.into_iter().next().unwrap_or_default();
    }
    let mut merged: Vec<(Diagnostic, Vec<usize>)> = Vec::new();
    for (edition, diagnostics) in found.into_iter().enumerate() {
        for diagnostic in diagnostics {
            match merged.iter_mut().find(|(d, _)| *d == diagnostic) {
                Some((_, in_editions)) => in_editions.push(edition),
                None => merged.push((diagnostic, vec![edition])),
            }
        }
    }
    let lang = &config.default_language;
    let name = |edition: usize| {
        let label = edition_label(config, &editions[edition], lang).unwrap_or_default();
        format!("{label} ({})", editions[edition].describe())
    };
    merged
        .into_iter()
        .map(|(mut diagnostic, in_editions)| {
            if in_editions.len() == editions.len() {
                return diagnostic;
            }
            let names: Vec<String> = in_editions.iter().map(|&e| name(e)).collect();
            let dropped = matches!(diagnostic.code, "unknown-reference" | "unknown-page")
                && !whole
                    .iter()
                    .any(|w| w.code == diagnostic.code && w.file == diagnostic.file && w.span == diagnostic.span);
            if dropped {
                diagnostic.code = "reference-to-dropped-content";
                let target = diagnostic.message.strip_prefix("no ").unwrap_or(&diagnostic.message).to_string();
                diagnostic.message =
                    format!("the manual for {} leaves out {target}, which this points to", names.join(" and "));
                let having: Vec<&Edition> =
                    (0..editions.len()).filter(|e| !in_editions.contains(e)).map(|e| &editions[e]).collect();
                diagnostic.hint = Some(format!(
                    "put the reference inside a container for the manuals that have its target \
                     (`::: {}` … `:::`), or give every variant the target",
                    container_mark(config, &having)
                ));
            } else {
                diagnostic.message = format!("{} (in the manual for {})", diagnostic.message, names.join(" and "));
            }
            diagnostic
        })
        .collect()
}

/// The container mark for the content only `editions` have: each dimension in which
/// they do not have every value, with the values they have (`role=admin`).
fn container_mark(config: &Config, editions: &[&Edition]) -> String {
    let terms: Vec<String> = config
        .variants
        .iter()
        .enumerate()
        .filter_map(|(d, dimension)| {
            let values: Vec<&str> = dimension
                .values
                .iter()
                .map(String::as_str)
                .filter(|value| editions.iter().any(|edition| edition.values[d].1 == *value))
                .collect();
            (values.len() < dimension.values.len()).then(|| format!("{}={}", dimension.name, values.join(",")))
        })
        .collect();
    if terms.is_empty() { "dimension=value".to_string() } else { terms.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;
    use std::path::Path;

    fn config(text: &str) -> Config {
        let mut sources = Sources::default();
        let file = sources.add("tejun.toml", Path::new("tejun.toml"), text.to_string());
        Config::parse(Path::new("."), file, text).unwrap()
    }

    #[test]
    fn every_combination_is_an_edition_and_the_default_keeps_the_usual_paths() {
        let config = config(
            "languages = [\"ja\", \"en\"]\n[variants.browser]\nvalues = [\"edge\", \"chrome\"]\n\
             ja = [\"Microsoft Edge\", \"Google Chrome\"]\n[variants.role]\nvalues = [\"user\", \"admin\"]\n",
        );
        let editions = editions(&config);
        let prefixes: Vec<&str> = editions.iter().map(|e| e.prefix.as_str()).collect();
        assert_eq!(prefixes, ["", "admin/", "chrome/", "chrome_admin/"]);
        assert_eq!(editions[3].describe(), "browser=chrome role=admin");
        assert_eq!(edition_label(&config, &editions[2], "ja").as_deref(), Some("Google Chrome / user"));
        assert_eq!(edition_label(&config, &editions[2], "en").as_deref(), Some("chrome / user"));
        let plain = self::config("languages = [\"ja\"]\n");
        assert_eq!(self::editions(&plain), [Edition::default()]);
        assert_eq!(edition_label(&plain, &Edition::default(), "ja"), None);
    }
}
