//! Which translated steps fell behind their source. A translated step records the
//! version of the source-language step it was made from as `source = "…"`: a short
//! hash of that step's title, result, caption, alt text and body Markdown. When the
//! source step is edited, its hash changes and the translation is stale.
//!
//! The hash is part of the content format, so it must never change between tejun
//! versions (a test pins it):
//!
//! 1. Each field is normalized: a byte order mark is dropped; every run of
//!    whitespace (spaces, tabs, line breaks of any kind, blank lines, U+3000) between
//!    two Chinese or Japanese characters (U+3001–U+30FF, U+3400–U+4DBF,
//!    U+4E00–U+9FFF, U+F900–U+FAFF, U+FF00–U+FFEF, U+20000–U+3FFFF) is dropped, since
//!    Japanese is wrapped without spaces, and every other run becomes one space;
//!    leading and trailing whitespace goes. Re-wrapping a paragraph or saving with
//!    CRLF is therefore no change.
//! 2. The fields are joined in the order title, result, caption, alt, body, each
//!    followed by U+001F (unit separator); a missing field is empty.
//! 3. The UTF-8 bytes are hashed with 64-bit FNV-1a (offset basis
//!    0xcbf29ce484222325, prime 0x100000001b3); the hash is the first 12 of its 16
//!    lowercase hex digits.
//!
//! A translated page records the same for the page's own text in its front matter:
//! the fields are the page's title, its description, two empty fields, and its
//! Markdown outside the front matter and the steps (introduction, section headings
//! and their text), the pieces joined by a line break.
//!
//! FNV-1a is written here rather than taken from a crate because its definition is
//! the contract: a few lines that cannot change with a dependency's release.
//!
//! `resolve` uses the hashes to mark stale steps and pages, the lints report them,
//! `tejun translations` reports where each translated step stands ([`report`]), and
//! `--stamp` writes the current hashes into the translated files ([`stamp`]) — the
//! one place tejun writes into `content/`.

use crate::diagnostic::{Diagnostic, nearest};
use crate::model::{FrontSyntax, Manual, Page, Span, Step};
use crate::source::Sources;

/// The `source` hash of a source-language step, given the text of its file. The
/// title, result and caption count as their plain text (the model keeps them so),
/// the body as its Markdown.
pub fn step_hash(step: &Step, file_text: &str) -> String {
    let body = file_text.get(step.body_span.clone()).unwrap_or_default();
    fields_hash(&[
        &step.title,
        step.result.as_deref().unwrap_or_default(),
        step.caption.as_deref().unwrap_or_default(),
        step.alt.as_deref().unwrap_or_default(),
        body,
    ])
}

/// The `source` hash of a source-language page's own text: its title and
/// description, and its Markdown outside the front matter and the steps (the
/// introduction, section headings and their text), as one body field.
pub fn page_hash(page: &Page, file_text: &str) -> String {
    let mut prose = String::new();
    let mut from = page.front.span.end.min(file_text.len());
    for step in page.steps() {
        if let Some(between) = file_text.get(from..step.span.start) {
            prose.push_str(between);
            prose.push('\n');
        }
        from = step.body_span.end.max(from);
    }
    prose.push_str(file_text.get(from..).unwrap_or_default());
    fields_hash(&[&page.front.title, page.front.description.as_deref().unwrap_or_default(), "", "", &prose])
}

/// The hash of fields, as the module documentation defines it.
pub fn fields_hash(fields: &[&str]) -> String {
    let mut joined = String::new();
    for field in fields {
        joined.push_str(&normalize_whitespace(field));
        joined.push('\u{1F}');
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in joined.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")[..12].to_string()
}

fn normalize_whitespace(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let joins = out.chars().next_back().is_some_and(is_cjk) && word.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Chinese and Japanese characters, between which line breaks are no spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pinned() {
        // These values are the content format: changing them makes every stamped
        // translation stale.
        assert_eq!(fields_hash(&[]), "cbf29ce48422");
        assert_eq!(fields_hash(&["a", "", "", "", "b"]), "7cab1542e947");
        assert_eq!(fields_hash(&["電子証明書を選択します", "", "", "", "1. 選択します。"]), "7b171ceceb30");
    }

    #[test]
    fn whitespace_never_counts_and_fields_keep_their_place() {
        let base = fields_hash(&["Open the page", "", "", "", "Click **OK**.\nThen wait."]);
        assert_eq!(
            base,
            fields_hash(&["Open  the page ", "", "", "", "\u{FEFF}Click **OK**.\r\n\r\n  Then   wait.\r\n"])
        );
        assert_ne!(base, fields_hash(&["Open the page", "", "", "", "Click **Cancel**.\nThen wait."]));
        // Japanese re-wrapped: no spaces between its characters.
        let ja = fields_hash(&["開きます", "", "", "", "「OK」を\nクリックします。"]);
        assert_eq!(ja, fields_hash(&["開きます", "", "", "", "「OK」をクリック\r\nします。"]));
        assert_eq!(ja, fields_hash(&["開きます", "", "", "", "「OK」を　クリックします。"]), "U+3000 too");
        assert_ne!(ja, fields_hash(&["開きます", "", "", "", "「OK」をダブルクリックします。"]));
        // The same text in another field is another hash.
        assert_ne!(fields_hash(&["a", "", "", "", ""]), fields_hash(&["", "a", "", "", ""]));
        assert_ne!(fields_hash(&["ab", "", "", "", ""]), fields_hash(&["a", "b", "", "", ""]));
    }
}

/// Where a translated step stands against its source step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// `source` is the source step's hash now.
    Current,
    /// The source step changed since (or `source` is malformed).
    Stale,
    /// No `source`: not tracked.
    Untracked,
    /// The translation has no such step (or no such page).
    Missing,
}

impl Status {
    /// As the report and its JSON write it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Stale => "stale",
            Status::Untracked => "untracked",
            Status::Missing => "missing",
        }
    }
}

/// One step of one translation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepStatus {
    pub id: String,
    pub status: Status,
}

/// One page in one translated language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageStatus {
    pub page: String,
    pub lang: String,
    /// The page's own text: introduction, section headings and their text.
    pub text: Status,
    pub steps: Vec<StepStatus>,
}

/// Every translated page's steps against the source language's, in reading order,
/// as `resolve` marked them.
pub fn report(manual: &Manual) -> Vec<PageStatus> {
    let Some(source_language) = manual.language(&manual.source_language) else { return Vec::new() };
    let status = |recorded: bool, stale: bool| match (recorded, stale) {
        (false, _) => Status::Untracked,
        (true, true) => Status::Stale,
        (true, false) => Status::Current,
    };
    let mut report = Vec::new();
    for &source_id in &source_language.reading_order {
        let source_page = &manual.pages[source_id];
        for language in manual.languages.iter().filter(|l| l.code != manual.source_language) {
            let translation =
                manual.by_key.get(&(language.code.clone(), source_page.key.clone())).map(|&id| &manual.pages[id]);
            let steps = source_page
                .steps()
                .map(|source_step| StepStatus {
                    id: source_step.id.clone(),
                    status: translation
                        .and_then(|page| page.counterpart(source_step))
                        .map_or(Status::Missing, |step| status(step.source.is_some(), step.stale_since.is_some())),
                })
                .collect();
            let text = translation
                .map_or(Status::Missing, |page| status(page.front.source.is_some(), page.stale_since.is_some()));
            report.push(PageStatus { page: source_page.key.clone(), lang: language.code.clone(), text, steps });
        }
    }
    report
}

/// How many steps stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub current: usize,
    pub stale: usize,
    pub untracked: usize,
    pub missing: usize,
}

impl Counts {
    pub fn of<'a>(steps: impl IntoIterator<Item = &'a StepStatus>) -> Counts {
        let mut counts = Counts::default();
        for step in steps {
            *match step.status {
                Status::Current => &mut counts.current,
                Status::Stale => &mut counts.stale,
                Status::Untracked => &mut counts.untracked,
                Status::Missing => &mut counts.missing,
            } += 1;
        }
        counts
    }
}

/// The steps' counts per translated language, in the order of `report`.
pub fn totals(report: &[PageStatus]) -> Vec<(String, Counts)> {
    let mut languages: Vec<&str> = Vec::new();
    for page in report {
        if !languages.contains(&page.lang.as_str()) {
            languages.push(&page.lang);
        }
    }
    languages
        .into_iter()
        .map(|lang| (lang.to_string(), Counts::of(report.iter().filter(|p| p.lang == lang).flat_map(|p| &p.steps))))
        .collect()
}

/// The edits that record the current hashes in a translated page's step blocks:
/// (offset, length to replace, text), in the page's normalized text. `only` limits
/// them to one step.
pub fn stamp_edits(
    translation: &Page,
    source_page: &Page,
    source_text: &str,
    translation_text: &str,
    only: Option<&str>,
) -> Vec<(usize, usize, String)> {
    let mut edits = Vec::new();
    if only.is_none() {
        // A new line goes before the front matter's closing `+++` (or `---`); a page
        // without front matter gets a block for it.
        let block = &translation_text[translation.front.span.clone()];
        let closing = translation.front.span.start + block.trim_end().rfind('\n').map_or(block.len(), |at| at + 1);
        let hash = page_hash(source_page, source_text);
        let edit = source_edit(translation.front.source.as_ref(), hash, closing, translation.front.syntax);
        edits.extend(edit);
    }
    for step in translation.steps().filter(|s| only.is_none_or(|id| s.id == id)) {
        let Some(source_step) = source_page.counterpart(step) else { continue };
        // A new line goes after the `id` line.
        let after_id = translation_text[step.id_span.end..]
            .find('\n')
            .map_or(translation_text.len(), |at| step.id_span.end + at + 1);
        edits.extend(source_edit(
            step.source.as_ref(),
            step_hash(source_step, source_text),
            after_id,
            FrontSyntax::Toml,
        ));
    }
    edits
}

/// The edit that records `hash`: none when it is recorded already, the value
/// replaced when another is, else a `source` line of its own at `new_line_at`, in
/// the block's syntax (a page without front matter gets a block at its start).
fn source_edit(
    recorded: Option<&(String, Span)>,
    hash: String,
    new_line_at: usize,
    syntax: FrontSyntax,
) -> Option<(usize, usize, String)> {
    match (recorded, syntax) {
        (Some((value, _)), _) if *value == hash => None,
        (Some((_, span)), _) => Some((span.start, span.len(), format!("\"{hash}\""))),
        (None, FrontSyntax::Toml) => Some((new_line_at, 0, format!("source = \"{hash}\"\n"))),
        (None, FrontSyntax::Yaml) => Some((new_line_at, 0, format!("source: \"{hash}\"\n"))),
        (None, FrontSyntax::Absent) => Some((0, 0, format!("+++\nsource = \"{hash}\"\n+++\n\n"))),
    }
}

/// `tejun translations --stamp PAGE[#STEP]`: records the source steps' current
/// hashes in every translation of PAGE (or in one step of them), changing nothing
/// else in the files. This is the one command that writes into `content/`; each file
/// is replaced by a rename, so an interrupted stamp leaves it whole. Returns the
/// files changed.
pub fn stamp(manual: &Manual, sources: &Sources, target: &str) -> Result<Vec<String>, Diagnostic> {
    let (key, step) = match target.split_once('#') {
        Some((key, step)) => (key.trim_matches('/'), Some(step)),
        None => (target.trim_matches('/'), None),
    };
    let source_language = &manual.source_language;
    let source_id = manual.by_key.get(&(source_language.clone(), key.to_string())).copied().ok_or_else(|| {
        let keys = manual.by_key.keys().filter(|(l, _)| l == source_language).map(|(_, k)| k.as_str());
        let hint = match nearest(key, keys) {
            Some(near) => format!("did you mean `{near}`? Pages are written as references write them"),
            None => "write the page as references do, e.g. certificates/obtain".to_string(),
        };
        Diagnostic::error("unknown-page", format!("no {source_language} page `{key}` to stamp")).with_hint(hint)
    })?;
    let source_page = &manual.pages[source_id];
    if let Some(id) = step.filter(|id| source_page.find_step(id).is_none()) {
        return Err(
            Diagnostic::error("unknown-reference", format!("no step `{id}` on page `{key}`")).in_file(source_page.file)
        );
    }
    let source_text = &sources.get(source_page.file).text;
    let mut changed = Vec::new();
    for page in manual.pages.iter().filter(|p| p.key == key && p.lang != *source_language) {
        let file = sources.get(page.file);
        // Made on the text parsed; a page that includes files has them at their
        // places in the file (an edit inside included text is not this file's).
        let edits: Vec<_> = stamp_edits(page, source_page, source_text, &file.text, step)
            .into_iter()
            .filter_map(|(at, length, text)| Some((file.written_offset(at)?, length, text)))
            .collect();
        if edits.is_empty() {
            continue;
        }
        let io_error = |e: std::io::Error| Diagnostic::error("io", format!("cannot stamp {}: {e}", file.name));
        let raw = std::fs::read_to_string(&file.path).map_err(io_error)?;
        let temporary = file.path.with_extension("md.tejun-stamp");
        std::fs::write(&temporary, apply_to_raw(&raw, edits)).map_err(io_error)?;
        std::fs::rename(&temporary, &file.path).map_err(io_error)?;
        changed.push(file.name.clone());
    }
    Ok(changed)
}

/// Applies edits made on the normalized text (no BOM, LF) to the file as it is on
/// disk, keeping its BOM and CRLF line endings and every other byte.
pub fn apply_to_raw(raw: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    let crlf = raw.contains("\r\n");
    let mut out = raw.to_string();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    for (start, length, text) in edits {
        let raw_start = raw_offset(raw, start);
        let raw_end = raw_offset(raw, start + length);
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        out.replace_range(raw_start..raw_end, &text);
    }
    out
}

/// The byte in `raw` where the normalized text's byte `offset` is.
fn raw_offset(raw: &str, offset: usize) -> usize {
    let body = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let bom = raw.len() - body.len();
    let bytes = body.as_bytes();
    let (mut at, mut normalized) = (0, 0);
    while at < bytes.len() && normalized < offset {
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at += 1;
            continue;
        }
        at += 1;
        normalized += 1;
    }
    bom + at
}

#[cfg(test)]
mod stamp_tests {
    use super::*;

    #[test]
    fn edits_keep_the_bom_crlf_and_everything_else() {
        let raw = "\u{FEFF}+++\r\ntitle = \"x\" # comment\r\n+++\r\n\r\n+++\r\nid = \"a\"\r\ntitle = \"Open\"\r\n+++\r\n\r\nText.\r\n";
        let normalized = raw.trim_start_matches('\u{FEFF}').replace("\r\n", "\n");
        let after_id = normalized.find("id = \"a\"\n").unwrap() + "id = \"a\"\n".len();
        let stamped = apply_to_raw(raw, vec![(after_id, 0, "source = \"0123456789ab\"\n".to_string())]);
        assert_eq!(
            stamped,
            "\u{FEFF}+++\r\ntitle = \"x\" # comment\r\n+++\r\n\r\n+++\r\nid = \"a\"\r\nsource = \"0123456789ab\"\r\ntitle = \"Open\"\r\n+++\r\n\r\nText.\r\n"
        );
        // Replacing a value in place.
        let normalized = stamped.trim_start_matches('\u{FEFF}').replace("\r\n", "\n");
        let at = normalized.find("\"0123456789ab\"").unwrap();
        let again = apply_to_raw(&stamped, vec![(at, 14, "\"ba9876543210\"".to_string())]);
        assert_eq!(again, stamped.replace("0123456789ab", "ba9876543210"));
        // A file with LF only stays LF.
        assert_eq!(apply_to_raw("a\nb\n", vec![(2, 0, "x\n".to_string())]), "a\nx\nb\n");
    }
}
