//! Code blocks highlighted with syntect as CSS classes (`hl-…`), so one stylesheet
//! covers screen, print and dark mode. The syntax set is loaded on first use only:
//! most manuals have few code blocks and loading costs milliseconds.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::render::markdown::escape_into;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
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

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers
/// whose system is dark.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap_or_default();
    format!("{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
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
}
