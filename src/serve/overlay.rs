//! The build errors as the browser shows them: laid over the last good page, with
//! what the terminal shows (file:line:col, the message, the line itself, the hint),
//! so a writer who only looks at the browser still sees what to fix.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::render::markdown::escape;
use crate::source::Sources;

/// One error, resolved to text: the build's sources are gone once it is served.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub code: &'static str,
    /// `content/guide/first.ja.md:12:5`, or just the file, or nothing.
    pub location: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// The line the problem is on, split around the problem.
    pub excerpt: Option<Excerpt>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    pub line: usize,
    pub before: String,
    pub marked: String,
    pub after: String,
}

/// The errors among `diagnostics` (warnings do not stop a build and stay in the
/// terminal).
pub fn problems(diagnostics: &[Diagnostic], sources: &Sources) -> Vec<Problem> {
    diagnostics.iter().filter(|d| d.is_error()).map(|d| problem(d, sources)).collect()
}

fn problem(diagnostic: &Diagnostic, sources: &Sources) -> Problem {
    let file = diagnostic.file.filter(|&f| f < sources.len());
    let (location, excerpt) = match (file, &diagnostic.span) {
        (Some(file), Some(span)) => {
            let place = sources.place(file, span.clone());
            let (line, column) = sources.shown_line_col(place.file, place.span.start);
            let source = sources.get(place.file);
            let mut location = format!("{}:{line}:{column}", source.name);
            if let Some((page, at)) = &place.included_at {
                let (line, column) = sources.shown_line_col(*page, at.start);
                location.push_str(&format!(", included at {}:{line}:{column}", sources.get(*page).name));
            }
            (Some(location), excerpt(source.shown(), &place.span))
        }
        (Some(file), None) => (Some(sources.get(file).name.clone()), None),
        _ => (None, None),
    };
    Problem {
        code: diagnostic.code,
        location,
        message: diagnostic.message.clone(),
        hint: diagnostic.hint.clone(),
        excerpt,
    }
}

/// The line holding the start of `span`, with the part of the span on that line
/// marked. (A caret would sit under the wrong character: Japanese is twice as wide.)
fn excerpt(text: &str, span: &std::ops::Range<usize>) -> Option<Excerpt> {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(span.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = floor(span.end).clamp(start, line_end);
    let line = text[..line_start].matches('\n').count() + 1;
    Some(Excerpt {
        line,
        before: text[line_start..start].trim_end_matches('\r').to_string(),
        marked: text[start..end].to_string(),
        after: text[end..line_end].trim_end_matches('\r').to_string(),
    })
}

/// The overlay: a fixed panel over the page, styled on its own so any theme can
/// host it. The reload script replaces it when a later build fails differently and
/// the next good build's pages come without it.
pub fn html(problems: &[Problem], showing_last_good: bool) -> String {
    let mut out = String::from(concat!(
        "<div id=\"tejun-error-overlay\" role=\"alert\" lang=\"en\">",
        "<style>",
        include_str!("overlay.css"),
        "</style>",
        "<div class=\"tejun-overlay-box\">",
        "<button type=\"button\" class=\"tejun-overlay-close\" aria-label=\"Hide\" ",
        "onclick=\"this.closest('#tejun-error-overlay').hidden=true\">×</button>",
    ));
    let count = problems.len();
    out.push_str(&format!(
        "<h2>The manual could not be built: {count} error{}</h2>",
        if count == 1 { "" } else { "s" }
    ));
    out.push_str(if showing_last_good {
        "<p class=\"tejun-overlay-note\">The page below is from the last build that worked. \
         Fix the file and save: the page reloads by itself.</p><ol>"
    } else {
        "<p class=\"tejun-overlay-note\">Nothing has been built yet. \
         Fix the file and save: the page reloads by itself.</p><ol>"
    });
    for problem in problems {
        out.push_str("<li class=\"tejun-problem\">");
        if let Some(location) = &problem.location {
            out.push_str(&format!("<code class=\"tejun-location\">{}</code> ", escape(location)));
        }
        out.push_str(&format!(
            "<span class=\"tejun-code\">error[{}]</span><p class=\"tejun-message\">{}</p>",
            escape(problem.code),
            escape(&problem.message)
        ));
        if let Some(e) = &problem.excerpt {
            out.push_str(&format!(
                "<pre class=\"tejun-excerpt\"><span class=\"tejun-line\">{}</span>{}<mark>{}</mark>{}</pre>",
                e.line,
                escape(&e.before),
                escape(&e.marked),
                escape(&e.after)
            ));
        }
        if let Some(hint) = &problem.hint {
            out.push_str(&format!("<p class=\"tejun-hint\">help: {}</p>", escape(hint)));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></div></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn problems_name_the_place_and_mark_the_text() {
        let mut sources = Sources::default();
        let text = "+++\ntitle = \"x\"\n+++\n\n手順は [](step:nope) から。\n";
        let file = sources.add("content/a.ja.md", Path::new("a.ja.md"), text.to_string());
        let at = text.find("step:nope").unwrap();
        let diagnostics = vec![
            Diagnostic::error("unknown-reference", "no step `nope`")
                .at(file, at..at + 9)
                .with_hint("did you mean `nop`?"),
            Diagnostic::warning("lint", "only a warning"),
        ];
        let problems = problems(&diagnostics, &sources);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location.as_deref(), Some("content/a.ja.md:5:8"));
        let excerpt = problems[0].excerpt.as_ref().unwrap();
        assert_eq!((excerpt.line, excerpt.before.as_str(), excerpt.marked.as_str()), (5, "手順は [](", "step:nope"));
        let html = html(&problems, true);
        assert!(html.contains("<code class=\"tejun-location\">content/a.ja.md:5:8</code>"));
        assert!(html.contains("<mark>step:nope</mark>"));
        assert!(html.contains("help: did you mean `nop`?"));
    }

    #[test]
    fn spans_past_the_end_or_inside_a_character_are_clamped() {
        let text = "日本語\n";
        let e = excerpt(text, &(1..100)).unwrap();
        assert_eq!((e.before.as_str(), e.marked.as_str(), e.after.as_str()), ("", "日本語", ""));
        assert!(excerpt("", &(5..6)).is_some());
    }
}
