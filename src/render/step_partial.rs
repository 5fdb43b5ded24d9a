//! Part of stage 5, render: the built-in theme's `partials/step.html` as a function.
//! A manual renders it once per step — 40,000 times at 2,000 pages — and tera looks
//! each of its eighteen variables up through every frame of the page; this takes a
//! tenth of a build's instructions off. When a site keeps the built-in partial,
//! tera calls this instead ([`tera::NativeTemplate`]); a site's own
//! `partials/step.html` is rendered as written. The template stays the reference: a
//! test renders manuals both ways and compares them byte for byte, and anything this
//! does not expect (a field of another type) is left to the template. Its writer,
//! [`write_step`], also writes the steps of the procedure pages that
//! `render::html`'s layout makes without tera.

use std::borrow::Cow;
use std::io::Write;

use tera::{Map, Value, Variables};

use crate::render::markdown::{escape, escape_into};

/// The template this stands for.
pub const NAME: &str = "partials/step.html";

/// The built-in template's source, to tell whether the theme still has it.
pub const SOURCE: &str = include_str!("../../themes/default/templates/partials/step.html");

pub struct StepPartial;

impl tera::NativeTemplate for StepPartial {
    fn render(&self, variables: &dyn Variables, write: &mut dyn Write) -> tera::Result<bool> {
        let (Some(step), Some(ui)) = (variables.find("step"), variables.find("ui")) else {
            return Ok(false);
        };
        let (Some(step), Some(ui)) = (step.as_object(), ui.as_object()) else {
            return Ok(false);
        };
        let mut html = String::with_capacity(2048);
        if render(step, ui, &mut html).is_none() {
            return Ok(false);
        }
        write.write_all(html.as_bytes()).map_err(tera::Error::io_error)?;
        Ok(true)
    }
}

/// What the template prints of a step, borrowed from the step's values.
struct StepFields<'a> {
    anchor: Cow<'a, str>,
    number: Cow<'a, str>,
    title_html: Cow<'a, str>,
    /// The same step in other languages: (href, language code, language name).
    translations: Vec<(Cow<'a, str>, Cow<'a, str>, Cow<'a, str>)>,
    /// Empty where the template's `{% if %}` would skip it, like the next three.
    stale_href: Cow<'a, str>,
    figure_html: Cow<'a, str>,
    body_html: Cow<'a, str>,
    result_html: Cow<'a, str>,
}

/// What the template prints of a step: [`StepFields`] holds it as text, and the
/// page layout's steps write their HTML straight into the page.
pub trait StepParts {
    fn anchor(&self) -> &str;
    /// The number, escaped.
    fn number(&self, html: &mut String);
    /// The same step in other languages, each as (href, language code, language name).
    fn translations(&self, each: &mut dyn FnMut(&str, &str, &str));
    fn has_translations(&self) -> bool;
    /// Empty where the template's `{% if %}` would skip it.
    fn stale_href(&self) -> &str;
    fn title_html(&self, html: &mut String);
    fn figure_html(&self, html: &mut String);
    /// Nothing where the template would skip it, like the result.
    fn body_html(&self, html: &mut String);
    fn result_html(&self, html: &mut String);
}

impl StepParts for StepFields<'_> {
    fn anchor(&self) -> &str {
        &self.anchor
    }

    fn number(&self, html: &mut String) {
        escape_into(&self.number, html);
    }

    fn translations(&self, each: &mut dyn FnMut(&str, &str, &str)) {
        for (href, code, name) in &self.translations {
            each(href, code, name);
        }
    }

    fn has_translations(&self) -> bool {
        !self.translations.is_empty()
    }

    fn stale_href(&self) -> &str {
        &self.stale_href
    }

    fn title_html(&self, html: &mut String) {
        html.push_str(&self.title_html);
    }

    fn figure_html(&self, html: &mut String) {
        html.push_str(&self.figure_html);
    }

    fn body_html(&self, html: &mut String) {
        html.push_str(&self.body_html);
    }

    fn result_html(&self, html: &mut String) {
        html.push_str(&self.result_html);
    }
}

/// The interface's words the template prints around a step, escaped for HTML: once
/// a page rather than once a step.
pub struct StepWords<'a> {
    pub permalink: Cow<'a, str>,
    pub step: Cow<'a, str>,
    pub this_step_in: Cow<'a, str>,
    pub stale_note: Cow<'a, str>,
    pub stale_link: Cow<'a, str>,
    pub result: Cow<'a, str>,
}

impl StepWords<'static> {
    /// The words of one language's interface.
    pub fn of(ui: &'static crate::render::i18n::Ui) -> StepWords<'static> {
        StepWords {
            permalink: escape(ui.permalink).into(),
            step: escape(ui.step).into(),
            this_step_in: escape(ui.this_step_in).into(),
            stale_note: escape(ui.stale_note).into(),
            stale_link: escape(ui.stale_link).into(),
            result: escape(ui.result).into(),
        }
    }
}

/// The step as the template writes it; `None` where a value is not what the
/// template is rendered with (then nothing of `html` is used).
fn render(step: &Map<String, Value>, ui: &Map<String, Value>, html: &mut String) -> Option<()> {
    let when = |key: &str| -> Option<Cow<'_, str>> {
        if truthy(step.get(key)) { text(step.get(key)?) } else { Some(Cow::Borrowed("")) }
    };
    let mut translations = Vec::new();
    if truthy(step.get("translations")) {
        for translation in step.get("translations")?.as_array()? {
            let translation = translation.as_object()?;
            let field = |key: &str| text(translation.get(key)?);
            translations.push((field("href")?, field("code")?, field("name")?));
        }
    }
    let fields = StepFields {
        anchor: text(step.get("anchor")?)?,
        number: text(step.get("number")?)?,
        title_html: text(step.get("title_html")?)?,
        translations,
        stale_href: when("stale_href")?,
        figure_html: text(step.get("figure_html")?)?,
        body_html: when("body_html")?,
        result_html: when("result_html")?,
    };
    let word = |key: &str| text(ui.get(key)?).map(|word| Cow::Owned(escape(&word)));
    let words = StepWords {
        permalink: word("permalink")?,
        step: word("step")?,
        this_step_in: word("this_step_in")?,
        stale_note: word("stale_note")?,
        stale_link: word("stale_link")?,
        result: word("result")?,
    };
    write_step(&fields, &words, html);
    Some(())
}

/// `partials/step.html`.
pub fn write_step(step: &impl StepParts, ui: &StepWords, html: &mut String) {
    html.push_str("<li class=\"step\" id=\"");
    escape_into(step.anchor(), html);
    html.push_str("\">\n<div class=\"step-head\">\n<a class=\"step-number\" href=\"#");
    escape_into(step.anchor(), html);
    html.push_str("\" title=\"");
    html.push_str(&ui.permalink);
    html.push_str("\"><span class=\"step-label\">");
    html.push_str(&ui.step);
    html.push_str("</span> <span class=\"step-num\">");
    step.number(html);
    html.push_str("</span></a>\n<h3 class=\"step-title\">");
    step.title_html(html);
    html.push_str("</h3>\n");
    if step.has_translations() {
        html.push_str("<span class=\"step-translations\" title=\"");
        html.push_str(&ui.this_step_in);
        html.push_str("\">");
        step.translations(&mut |href, code, name| {
            html.push_str("<a class=\"step-translation\" href=\"");
            escape_into(href, html);
            html.push_str("\" hreflang=\"");
            escape_into(code, html);
            html.push_str("\" lang=\"");
            escape_into(code, html);
            html.push_str("\">");
            escape_into(name, html);
            html.push_str("</a>");
        });
        html.push_str("</span>");
    }
    html.push_str("\n</div>\n");
    if !step.stale_href().is_empty() {
        html.push_str("<p class=\"stale-note\" role=\"note\">");
        html.push_str(&ui.stale_note);
        html.push_str(" <a href=\"");
        escape_into(step.stale_href(), html);
        html.push_str("\">");
        html.push_str(&ui.stale_link);
        html.push_str("</a></p>");
    }
    html.push('\n');
    step.figure_html(html);
    html.push('\n');
    wrapped_unless_empty(html, &["<div class=\"step-body\">\n"], |html| step.body_html(html), "\n</div>");
    html.push('\n');
    let result_open = ["<p class=\"step-result\"><span class=\"step-result-label\">", &ui.result, "</span> "];
    wrapped_unless_empty(html, &result_open, |html| step.result_html(html), "</p>");
    html.push_str("\n</li>\n");
}

/// `open`, what `write` writes and `close`; nothing if `write` writes nothing, as
/// the template's `{% if %}` around a value.
fn wrapped_unless_empty(html: &mut String, open: &[&str], write: impl FnOnce(&mut String), close: &str) {
    let before = html.len();
    for part in open {
        html.push_str(part);
    }
    let start = html.len();
    write(html);
    if html.len() == start {
        html.truncate(before);
    } else {
        html.push_str(close);
    }
}

/// A value as `{{ … }}` prints it, for the kinds a step's fields are.
fn text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Whether `{% if … %}` takes the branch: tera's truth, with a missing value false.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Manual;
    use crate::render::html::{make_tera, pages_with, tera_from_sources};
    use crate::testing;
    use crate::theme::Theme;

    /// Each page as the template renders it and as [`StepPartial`] does.
    fn both_ways(editions: &[Manual], config: &Config) -> (Vec<String>, Vec<String>) {
        let theme = Theme::builtin();
        let as_text = |pages: Vec<Vec<u8>>| pages.into_iter().map(|p| String::from_utf8(p).unwrap()).collect();
        let from_source = as_text(pages_with(editions, config, tera_from_sources(&theme), false));
        let native = as_text(pages_with(editions, config, make_tera(&theme).unwrap(), false));
        (from_source, native)
    }

    #[test]
    fn the_example_manual_comes_out_as_from_the_template() {
        let (site, _) = testing::example_site();
        let (from_source, native) = both_ways(site.editions(), &site.config);
        assert!(from_source.iter().filter(|page| page.contains("<li class=\"step\"")).count() > 5);
        let pages = site.editions().iter().flat_map(|manual| &manual.pages);
        for (page, (expected, got)) in pages.zip(from_source.iter().zip(&native)) {
            assert_eq!(got, expected, "{} {}", page.lang, page.key);
        }
    }

    #[test]
    fn every_branch_of_the_template_comes_out_the_same() {
        // Japanese first: the English steps are translations, one of them stale.
        let ja = "+++\ntitle = \"振込 & <承認>\"\n+++\n\n## 準備\n\n+++\nid = \"open\"\ntitle = \"「OK」を<押す>\"\n\
                  image = \"s.png\"\ncaption = \"画面 \\\"A\\\"\"\n+++\n\n本文 *強調* と [](step:empty)。\n\n> [!NOTE]\n> 注記\n\n\
                  +++\nid = \"empty\"\ntitle = \"本文なし\"\nresult = \"完了 <b>します</b>\"\n+++\n\n\
                  +++\nid = \"only-ja\"\ntitle = \"日本語だけ\"\n+++\n\n```sh\necho \"a & b\"\n```\n";
        let en = "+++\ntitle = \"Transfer\"\n+++\n\n## Before\n\n+++\nid = \"open\"\ntitle = \"Press \\\"OK\\\"\"\n\
                  image = \"s.png\"\nsource = \"000000000000\"\n+++\n\nBody.\n\n+++\nid = \"empty\"\ntitle = \"No body\"\n+++\n";
        let (manual, diagnostics, _) = testing::manual(&[("ja", "p", ja), ("en", "p", en)], &["s.png"]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let en_page = manual.pages.iter().find(|p| p.lang == "en").unwrap();
        assert!(en_page.find_step("open").unwrap().stale_since.is_some(), "a stale step is in the fixture");
        let (from_source, native) = both_ways(std::slice::from_ref(&manual), &testing::config());
        for (expected, got) in from_source.iter().zip(&native) {
            assert_eq!(got, expected);
        }
        let ja_html = &native[manual.pages.iter().position(|p| p.lang == "ja").unwrap()];
        for part in ["step-translations", "step-result", "figure", "&lt;押す&gt;", "step-body"] {
            assert!(ja_html.contains(part), "{part} is rendered in the fixture");
        }
        assert!(native.iter().any(|page| page.contains("stale-note")), "the stale note is rendered in the fixture");
    }

    #[test]
    fn a_site_with_its_own_step_partial_gets_it() {
        let mut theme = Theme::builtin();
        theme.templates.insert(NAME.to_string(), "<li>{{ step.number }}: {{ step.title }}</li>\n".to_string());
        let (manual, _, _) =
            testing::manual(&[("ja", "p", "+++\ntitle = \"P\"\n+++\n\n+++\nid = \"a\"\ntitle = \"開く\"\n+++\n")], &[]);
        let pages = pages_with(std::slice::from_ref(&manual), &testing::config(), make_tera(&theme).unwrap(), false);
        let html = String::from_utf8(pages[0].clone()).unwrap();
        assert!(html.contains("<li>1: 開く</li>"), "{html}");
    }

    #[test]
    fn a_step_of_another_shape_is_left_to_the_template() {
        let mut step = Map::new();
        step.insert("anchor".into(), Value::Bool(true));
        let mut ui = Map::new();
        ui.insert("permalink".into(), Value::String("link".into()));
        assert!(render(&step, &ui, &mut String::new()).is_none());
    }
}
