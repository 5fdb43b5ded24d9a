//! Problems found in a site, each tied to a file and a byte span, and their rendering
//! for people (the line, a caret, a hint) and for CI (JSON).
//!
//! Every stage returns diagnostics rather than failing on the first one, so one build
//! reports everything a writer has to fix.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term;
use serde::Serialize;

use crate::source::{FileId, Sources};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `unknown-reference`.
    pub code: &'static str,
    pub message: String,
    pub file: Option<FileId>,
    pub span: Option<Range<usize>>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), file: None, span: None, hint: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = Some(file);
        self
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any diagnostic in the list stops the build.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Sorts diagnostics by file and position so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.as_ref().map(|s| s.start), a.severity, &a.message).cmp(&(
            b.file,
            b.span.as_ref().map(|s| s.start),
            b.severity,
            &b.message,
        ))
    });
}

/// Human-readable rendering in the style of rustc: `file:line:col`, the source line,
/// a caret under the problem, and the hint.
pub fn render_human(diagnostic: &Diagnostic, sources: &Sources) -> String {
    let config = term::Config::default();
    term::emit_into_string(&config, sources, &to_codespan(diagnostic, sources))
        .unwrap_or_else(|_| diagnostic.message.clone())
}

/// The same, coloured for a terminal.
pub fn render_colored(diagnostic: &Diagnostic, sources: &Sources) -> String {
    let mut buffer = term::termcolor::Buffer::ansi();
    let config = term::Config::default();
    match term::emit_to_write_style(&mut buffer, &config, sources, &to_codespan(diagnostic, sources)) {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        Err(_) => render_human(diagnostic, sources),
    }
}

fn to_codespan(diagnostic: &Diagnostic, sources: &Sources) -> CsDiagnostic<usize> {
    let mut cs = match diagnostic.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_code(diagnostic.code)
    .with_message(&diagnostic.message);
    match (diagnostic.file, &diagnostic.span) {
        (Some(file), Some(span)) => {
            let place = sources.place(file, span.clone());
            let mut labels = vec![Label::primary(place.file, place.span)];
            if let Some((page, at)) = place.included_at {
                labels.push(Label::secondary(page, at).with_message("included here"));
            }
            cs = cs.with_labels(labels);
        }
        (Some(file), None) => {
            cs = cs.with_notes(vec![format!("in {}", sources.get(file).name)]);
        }
        _ => {}
    }
    if let Some(hint) = &diagnostic.hint {
        cs = cs.with_notes(vec![format!("help: {hint}")]);
    }
    cs
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
    /// For a problem in text put in from another file (`file`), the page that put
    /// it in, as `file:line:column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    included_at: Option<String>,
}

/// One JSON object per diagnostic, for CI.
pub fn render_json(diagnostic: &Diagnostic, sources: &Sources) -> String {
    let place = match (diagnostic.file, &diagnostic.span) {
        (Some(file), Some(span)) => Some(sources.place(file, span.clone())),
        _ => None,
    };
    let position = place.as_ref().map(|place| sources.shown_line_col(place.file, place.span.start));
    let included_at = place.as_ref().and_then(|place| place.included_at.as_ref()).map(|(page, at)| {
        let (line, column) = sources.shown_line_col(*page, at.start);
        format!("{}:{line}:{column}", sources.get(*page).name)
    });
    let json = JsonDiagnostic {
        severity: diagnostic.severity,
        code: diagnostic.code,
        file: place.as_ref().map(|place| place.file).or(diagnostic.file).map(|f| sources.get(f).name.as_str()),
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
        message: &diagnostic.message,
        hint: diagnostic.hint.as_deref(),
        included_at,
    };
    serde_json::to_string(&json).expect("diagnostics serialize")
}

/// The closest candidate to a misspelt name, if any is close enough to suggest.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score > 0.4)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Turns a TOML error into a diagnostic at the right place in the file: `base` is the
/// offset of the TOML text inside the file, so positions count from the file's start,
/// not from the front-matter block. Unknown keys get a "did you mean".
pub fn from_toml_error(
    error: &toml::de::Error,
    file: FileId,
    base: usize,
    known_keys: &[&str],
    what: &str,
) -> Diagnostic {
    let message = error.message().trim().to_string();
    let span = error.span().map(|s| base + s.start..base + s.end.max(s.start + 1)).unwrap_or(base..base + 1);
    if let Some(key) = unknown_field(&message) {
        let mut diagnostic = Diagnostic::error("unknown-key", format!("unknown key `{key}` in {what}")).at(file, span);
        // Inside a table, the message lists that table's keys; at the top, the keys
        // tejun reads (it accepts other generators' keys too, which are no help here).
        let expected = expected_fields(&message);
        let top_level = expected.is_empty() || known_keys.iter().all(|key| expected.contains(key));
        let known: Vec<&str> = if top_level { known_keys.to_vec() } else { expected };
        let hint = match nearest(key, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Allowed keys: {}", known.join(", ")),
            None => format!("allowed keys: {}", known.join(", ")),
        };
        diagnostic.hint = Some(hint);
        return diagnostic;
    }
    if let Some(key) = missing_field(&message) {
        return Diagnostic::error("missing-key", format!("{what} has no `{key}`"))
            .at(file, span)
            .with_hint(format!("add a line `{key} = …`"));
    }
    Diagnostic::error("invalid-toml", format!("invalid TOML in {what}: {message}"))
        .at(file, span)
        .with_hint("check the TOML syntax: strings need quotes, `key = value` one per line")
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The names after "expected" in serde's unknown-field message.
fn expected_fields(message: &str) -> Vec<&str> {
    let Some((_, expected)) = message.split_once("expected") else { return Vec::new() };
    expected.split('`').skip(1).step_by(2).collect()
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_names_only() {
        assert_eq!(nearest("titel", ["id", "title", "image"]), Some("title"));
        assert_eq!(nearest("download", ["downlaod", "install"]), Some("downlaod"));
        assert_eq!(nearest("zzzz", ["id", "title"]), None);
    }
}
