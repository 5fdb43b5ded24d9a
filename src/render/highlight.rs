//! Code blocks highlighted with syntect as CSS classes (`hl-…`), so one stylesheet
//! covers screen, print and dark mode. The grammars are bat's (the `two-face`
//! crate): syntect's own set lacks the languages real manuals use most — shell,
//! PowerShell, Dockerfile, INI, TOML. The set is loaded on first use only: most
//! manuals have few code blocks and loading costs milliseconds.
//!
//! `console` (and `shell-session`) blocks are terminal sessions: lines that start
//! with a prompt (`$ `, `# `, `PS> `, `C:\>`) are commands, highlighted as shell,
//! and the rest is output, left plain.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::render::markdown::escape_into;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Names writers give languages that the grammars know by another token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("shell-script", "sh"),
    ("zsh", "sh"),
    ("powershell", "ps1"),
    ("pwsh", "ps1"),
    ("ps", "ps1"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("conf", "ini"),
    ("cfg", "ini"),
    ("properties", "ini"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("patch", "diff"),
    ("golang", "go"),
    ("js", "js"),
    ("ts", "ts"),
    ("c++", "cpp"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("bat", "bat"),
    ("cmd", "bat"),
    ("batch", "bat"),
    // Microsoft Learn's names for its command lines' languages.
    ("azurecli", "sh"),
    ("azurecli-interactive", "sh"),
    ("azurepowershell", "ps1"),
    ("azurepowershell-interactive", "ps1"),
];

/// Terminal sessions: prompts, then output.
const SESSIONS: &[&str] = &["console", "shell-session", "terminal", "sh-session"];
const PROMPTS: &[&str] = &["$ ", "# ", "% ", "> ", "PS> "];

/// The grammars, loaded on first use and shared by every build of the process
/// (`serve` builds many).
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// Highlights code blocks, each line once per build and thread for each state the
/// grammar reaches it in: a grammar like bash's takes tens of microseconds a line,
/// and manuals repeat their commands (a translation keeps them all).
pub struct Highlighter {
    /// Which highlighter the lines in [`PARSED`] are this thread's memory of.
    id: u64,
}

impl Default for Highlighter {
    fn default() -> Highlighter {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Highlighter { id: NEXT.fetch_add(1, Ordering::Relaxed) }
    }
}

thread_local! {
    /// The lines a thread parsed for highlighter `.0`: a line → how it was parsed, once
    /// per state it started in. Per thread, as a parser state holds what syntect does
    /// not let threads share; emptied when another highlighter (a new build) uses it.
    static PARSED: RefCell<(u64, FxHashMap<String, Vec<ParsedLine>>)> = RefCell::new((u64::MAX, FxHashMap::default()));
}

/// A line parsed before: the state the parser was in, what it made of the line and the
/// state it left. The state names the grammar, so equal states mean equal results.
struct ParsedLine {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
    /// The line's HTML for each stack of scopes it was written after.
    written: Vec<WrittenLine>,
}

/// A parsed line as HTML: what the open scopes were, the spans it opened (less those
/// it closed) and the scopes it left open. Equal stacks and operations make equal
/// HTML; making it again for each of a manual's repeated lines cost as much as
/// finding the lines in the memory.
struct WrittenLine {
    scopes_before: ScopeStack,
    html: String,
    opened: isize,
    scopes_after: ScopeStack,
}

/// The HTML of a code block, line by line, as syntect's `ClassedHTMLGenerator` makes
/// it, with each line's parse and HTML taken from the highlighter's memory when it can.
struct Generator<'h> {
    highlighter: &'h Highlighter,
    state: ParseState,
    scopes: ScopeStack,
    open_spans: isize,
    html: String,
}

impl Generator<'_> {
    /// `line` ends with its newline, as the grammars (`extra_newlines`) expect.
    fn line(&mut self, line: &str) -> Option<()> {
        self.open_spans += self.highlighter.write_line(&mut self.state, &mut self.scopes, line, &mut self.html)?;
        Some(())
    }

    fn finish(mut self) -> String {
        for _ in 0..self.open_spans {
            self.html.push_str("</span>");
        }
        self.html
    }
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
    }

    pub fn code_block(&self, lang: Option<&str>, code: &str, out: &mut String) {
        let highlighted = lang.and_then(|lang| self.highlight(lang, code));
        match lang {
            Some(lang) => {
                out.push_str("<pre class=\"code\"><code class=\"language-");
                escape_into(lang, out);
                out.push_str("\">");
            }
            None => out.push_str("<pre class=\"code\"><code>"),
        }
        match highlighted {
            Some(html) => out.push_str(&html),
            None => escape_into(code, out),
        }
        out.push_str("</code></pre>\n");
    }

    /// The grammar for a code block's language, by its name, alias or extension.
    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let lower = lang.to_ascii_lowercase();
        let token = ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lang, |(_, token)| token);
        self.syntaxes().find_syntax_by_token(token)
    }

    fn generator(&self, syntax: &SyntaxReference) -> Generator<'_> {
        Generator {
            highlighter: self,
            state: ParseState::new(syntax),
            scopes: ScopeStack::new(),
            open_spans: 0,
            html: String::new(),
        }
    }

    /// Writes `line` as HTML after `scopes`, parsing it from `state`, or takes what
    /// parsing and writing it from there gave before; the spans it opened.
    fn write_line(
        &self,
        state: &mut ParseState,
        scopes: &mut ScopeStack,
        line: &str,
        out: &mut String,
    ) -> Option<isize> {
        PARSED.with_borrow_mut(|(owner, lines)| {
            if *owner != self.id {
                *owner = self.id;
                lines.clear();
            }
            let seen = match lines.get_mut(line) {
                Some(seen) => seen,
                None => lines.entry(line.to_string()).or_default(),
            };
            let parsed = match seen.iter().position(|p| p.before == *state) {
                Some(at) => &mut seen[at],
                None => {
                    let before = state.clone();
                    let mut after = state.clone();
                    let ops = after.parse_line(line, self.syntaxes()).ok()?;
                    seen.push(ParsedLine { before, ops, after, written: Vec::new() });
                    seen.last_mut().expect("just pushed")
                }
            };
            *state = parsed.after.clone();
            if let Some(written) = parsed.written.iter().find(|w| w.scopes_before == *scopes) {
                out.push_str(&written.html);
                *scopes = written.scopes_after.clone();
                return Some(written.opened);
            }
            let scopes_before = scopes.clone();
            let (html, opened) = line_tokens_to_classed_spans(line, &parsed.ops, CLASS_STYLE, scopes).ok()?;
            out.push_str(&html);
            parsed.written.push(WrittenLine { scopes_before, html, opened, scopes_after: scopes.clone() });
            Some(opened)
        })
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        if SESSIONS.contains(&lang.to_ascii_lowercase().as_str()) {
            return self.session(code);
        }
        let mut generator = self.generator(self.syntax(lang)?);
        for line in LinesWithEndings::from(code) {
            generator.line(line)?;
        }
        Some(generator.finish())
    }

    /// A terminal session: each command after its prompt highlighted as shell, the
    /// prompt and the output apart, so readers see what to type.
    fn session(&self, code: &str) -> Option<String> {
        let shell = self.syntax("sh")?;
        let mut out = String::new();
        for line in LinesWithEndings::from(code) {
            let prompt =
                PROMPTS.iter().find(|p| line.starts_with(**p)).map(|p| p.len()).or_else(|| windows_prompt(line));
            match prompt {
                Some(length) => {
                    out.push_str("<span class=\"hl-prompt\">");
                    escape_into(&line[..length], &mut out);
                    out.push_str("</span>");
                    let mut generator = self.generator(shell);
                    generator.line(&line[length..])?;
                    out.push_str(&generator.finish());
                }
                None => {
                    out.push_str("<span class=\"hl-output\">");
                    escape_into(line, &mut out);
                    out.push_str("</span>");
                }
            }
        }
        Some(out)
    }
}

/// `C:\Users\me>` at the start of a line: the length of the prompt.
fn windows_prompt(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let drive = bytes.first()?.is_ascii_alphabetic() && bytes.get(1) == Some(&b':') && bytes.get(2) == Some(&b'\\');
    if !drive {
        return None;
    }
    line.find('>').map(|end| end + 1)
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers
/// whose system is dark.
pub fn stylesheet() -> &'static str {
    // Loading syntect's themes takes longer than a preview's rebuild may; they never change.
    static STYLESHEET: OnceLock<String> = OnceLock::new();
    STYLESHEET.get_or_init(|| {
        let themes = ThemeSet::load_defaults();
        let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE).unwrap_or_default();
        let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap_or_default();
        format!("{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_unknown_ones_are_escaped() {
        let highlighter = Highlighter::default();
        let mut out = String::new();
        highlighter.code_block(Some("rust"), "fn main() {}\n", &mut out);
        assert!(out.contains("class=\"hl-"), "{out}");
        let mut out = String::new();
        highlighter.code_block(Some("no-such-language"), "<b>\n", &mut out);
        assert_eq!(out, "<pre class=\"code\"><code class=\"language-no-such-language\">&lt;b&gt;\n</code></pre>\n");
    }

    /// What syntect's own generator makes of `code`, without any memory of lines.
    fn as_syntect_does(lang: &str, code: &str) -> String {
        let highlighter = Highlighter::default();
        let syntax = highlighter.syntax(lang).unwrap();
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, highlighter.syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn a_line_seen_before_is_highlighted_as_in_its_new_place() {
        // The same lines inside and outside a heredoc and multi-line strings, in blocks
        // of three languages, one highlighter for all, as in a build.
        let blocks = [
            ("sh", "echo \"start\"\ncurl -fsS https://example.co.jp/\n"),
            (
                "sh",
                "cat <<EOF\ncurl -fsS https://example.co.jp/\necho \"start\"\nEOF\ncurl -fsS https://example.co.jp/\n",
            ),
            ("sh", "echo \"start\ncurl -fsS https://example.co.jp/\n\"\necho \"start\"\n"),
            ("toml", "[proxy]\nhost = \"proxy\"\n"),
            ("toml", "text = \"\"\"\n[proxy]\nhost = \"proxy\"\n\"\"\"\n[proxy]\n"),
            ("python", "s = '''\necho \"start\"\n'''\necho = 1\n"),
        ];
        let highlighter = Highlighter::default();
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(highlighter.highlight(lang, code).unwrap(), as_syntect_does(lang, code), "{lang}: {code}");
            }
        }
        let heredoc = highlighter.highlight("sh", blocks[1].1).unwrap();
        let plain = highlighter.highlight("sh", blocks[0].1).unwrap();
        assert_ne!(heredoc.lines().nth(1), plain.lines().nth(1), "a heredoc line is not a command");
    }

    #[test]
    fn the_languages_real_manuals_use_are_highlighted() {
        let highlighter = Highlighter::default();
        let samples = [
            ("shell", "kubectl get pods --namespace=kube-system\n"),
            ("sh", "export KUBECONFIG=$HOME/.kube/config\n"),
            ("bash", "for f in *.yaml; do kubectl apply -f \"$f\"; done\n"),
            ("powershell", "Get-ChildItem -Path C:\\Windows | Where-Object { $_.Length -gt 1kb }\n"),
            ("dockerfile", "FROM debian:12\nRUN apt-get update\n"),
            ("ini", "[server]\nport = 8080\n"),
            ("conf", "[server]\nport = 8080\n"),
            ("toml", "[pdf]\npaper = \"a4\"\n"),
            ("diff", "--- a/x\n+++ b/x\n-old\n+new\n"),
            ("sql", "SELECT id FROM users WHERE name = 'a';\n"),
            ("xml", "<config><item key=\"a\"/></config>\n"),
            ("yaml", "apiVersion: v1\nkind: Pod\n"),
            ("json", "{\"a\": 1}\n"),
            ("go", "package main\nfunc main() {}\n"),
            ("python", "def f():\n    return 1\n"),
            ("bat", "@echo off\nset A=1\n"),
        ];
        for (lang, code) in samples {
            let mut out = String::new();
            highlighter.code_block(Some(lang), code, &mut out);
            assert!(out.matches("class=\"hl-").count() >= 2, "{lang} is not highlighted: {out}");
        }
    }

    #[test]
    fn console_sessions_set_commands_apart_from_output() {
        let highlighter = Highlighter::default();
        let mut out = String::new();
        let session =
            "$ kubectl get pods\nNAME    READY   STATUS\nweb-0   1/1     Running\nPS> Get-Date\nC:\\Users\\me>dir\n";
        highlighter.code_block(Some("console"), session, &mut out);
        assert_eq!(out.matches("<span class=\"hl-prompt\">").count(), 3, "{out}");
        assert!(out.contains("<span class=\"hl-prompt\">$ </span>"), "{out}");
        assert!(out.contains("<span class=\"hl-output\">NAME    READY   STATUS\n</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-prompt\">C:\\Users\\me&gt;</span>"), "{out}");
        assert!(!out.contains("<span class=\"hl-output\">$"), "{out}");
    }
}
