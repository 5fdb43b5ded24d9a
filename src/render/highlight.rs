//! Code blocks highlighted with syntect as CSS classes (`hl-…`), so one stylesheet
//! covers screen, print and dark mode. The grammars are bat's (the `two-face`
//! crate): syntect's own set lacks the languages real manuals use most — shell,
//! PowerShell, Dockerfile, INI, TOML. The set is loaded on first use only: most
//! manuals have few code blocks and loading costs milliseconds.
//!
//! `console` (and `shell-session`) blocks are terminal sessions: lines that start
//! with a prompt (`$ `, `# `, `PS> `, `C:\>`) are commands, highlighted as shell,
//! and the rest is output, left plain.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
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
];

/// Terminal sessions: prompts, then output.
const SESSIONS: &[&str] = &["console", "shell-session", "terminal", "sh-session"];
const PROMPTS: &[&str] = &["$ ", "# ", "% ", "> ", "PS> "];

/// The grammars, loaded on first use and shared by every build of the process
/// (`serve` builds many).
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// Highlights code blocks, each text once per build: a bilingual manual has every
/// block twice (the translation keeps the code), and manuals repeat their commands.
#[derive(Default)]
pub struct Highlighter {
    /// (language, code) → the highlighted HTML, `None` for a language without grammar.
    done: Mutex<FxHashMap<(String, String), Option<Arc<str>>>>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
    }

    pub fn code_block(&self, lang: Option<&str>, code: &str, out: &mut String) {
        let highlighted = lang.and_then(|lang| self.highlight_once(lang, code));
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

    fn highlight_once(&self, lang: &str, code: &str) -> Option<Arc<str>> {
        let key = (lang.to_string(), code.to_string());
        if let Some(done) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return done.clone();
        }
        let html: Option<Arc<str>> = self.highlight(lang, code).map(Arc::from);
        self.done.lock().unwrap_or_else(|e| e.into_inner()).insert(key, html.clone());
        html
    }

    /// The grammar for a code block's language, by its name, alias or extension.
    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let lower = lang.to_ascii_lowercase();
        let token = ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lang, |(_, token)| token);
        self.syntaxes().find_syntax_by_token(token)
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        if SESSIONS.contains(&lang.to_ascii_lowercase().as_str()) {
            return self.session(code);
        }
        let syntax = self.syntax(lang)?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, self.syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
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
                    let mut generator = ClassedHTMLGenerator::new_with_class_style(shell, self.syntaxes(), CLASS_STYLE);
                    generator.parse_html_for_line_which_includes_newline(&line[length..]).ok()?;
                    out.push_str(&generator.finalize());
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
