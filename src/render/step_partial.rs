//! Part of stage 5, render: the built-in theme's `partials/step.html` as a function.
//! A manual renders it once per step — 40,000 times at 2,000 pages — and tera looks
//! each of its eighteen variables up through every frame of the page; this takes a
//! tenth of a build's instructions off. When a site keeps the built-in partial,
//! tera calls this instead ([`tera::NativeTemplate`]); a site's own
//! `partials/step.html` is rendered as written. The template stays the reference: a
//! test renders manuals both ways and compares them byte for byte, and anything this
//! does not expect (a field of another type) is left to the template.

use std::borrow::Cow;
use std::io::Write;

use tera::{Map, Value, Variables};

use crate::render::markdown::escape_into;

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

/// The step as the template writes it; `None` where a value is not what the
/// template is rendered with (then nothing of `html` is used).
fn render(step: &Map<String, Value>, ui: &Map<String, Value>, html: &mut String) -> Option<()> {
    let anchor = text(step.get("anchor")?)?;
    html.push_str("<li class=\"step\" id=\"");
    escape_into(&anchor, html);
    html.push_str("\">\n<div class=\"step-head\">\n<a class=\"step-number\" href=\"#");
    escape_into(&anchor, html);
    html.push_str("\" title=\"");
    escaped(html, ui, "permalink")?;
    html.push_str("\"><span class=\"step-label\">");
    escaped(html, ui, "step")?;
    html.push_str("</span> <span class=\"step-num\">");
    escaped(html, step, "number")?;
    html.push_str("</span></a>\n<h3 class=\"step-title\">");
    raw(html, step, "title_html")?;
    html.push_str("</h3>\n");
    if truthy(step.get("translations")) {
        html.push_str("<span class=\"step-translations\" title=\"");
        escaped(html, ui, "this_step_in")?;
        html.push_str("\">");
        for translation in step.get("translations")?.as_array()? {
            let translation = translation.as_object()?;
            let code = text(translation.get("code")?)?;
            html.push_str("<a class=\"step-translation\" href=\"");
            escaped(html, translation, "href")?;
            html.push_str("\" hreflang=\"");
            escape_into(&code, html);
            html.push_str("\" lang=\"");
            escape_into(&code, html);
            html.push_str("\">");
            escaped(html, translation, "name")?;
            html.push_str("</a>");
        }
        html.push_str("</span>");
    }
    html.push_str("\n</div>\n");
    if truthy(step.get("stale_href")) {
        html.push_str("<p class=\"stale-note\" role=\"note\">");
        escaped(html, ui, "stale_note")?;
        html.push_str(" <a href=\"");
        escaped(html, step, "stale_href")?;
        html.push_str("\">");
        escaped(html, ui, "stale_link")?;
        html.push_str("</a></p>");
    }
    html.push('\n');
    raw(html, step, "figure_html")?;
    html.push('\n');
    if truthy(step.get("body_html")) {
        html.push_str("<div class=\"step-body\">\n");
        raw(html, step, "body_html")?;
        html.push_str("\n</div>");
    }
    html.push('\n');
    if truthy(step.get("result_html")) {
        html.push_str("<p class=\"step-result\"><span class=\"step-result-label\">");
        escaped(html, ui, "result")?;
        html.push_str("</span> ");
        raw(html, step, "result_html")?;
        html.push_str("</p>");
    }
    html.push_str("\n</li>\n");
    Some(())
}

/// `{{ map.key }}`: the field, escaped.
fn escaped(html: &mut String, map: &Map<String, Value>, key: &str) -> Option<()> {
    escape_into(&text(map.get(key)?)?, html);
    Some(())
}

/// `{{ map.key | safe }}`: the field as it is.
fn raw(html: &mut String, map: &Map<String, Value>, key: &str) -> Option<()> {
    html.push_str(&text(map.get(key)?)?);
    Some(())
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
        let from_source = as_text(pages_with(editions, config, tera_from_sources(&theme)));
        let native = as_text(pages_with(editions, config, make_tera(&theme).unwrap()));
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
        let pages = pages_with(std::slice::from_ref(&manual), &testing::config(), make_tera(&theme).unwrap());
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
