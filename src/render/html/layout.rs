//! Part of stage 5, render: the built-in theme's procedure page — `page.html` in
//! `base.html`, with their partials — as a function of the page's views. A manual is
//! mostly procedure pages; giving each to tera meant turning all its views, every
//! step's HTML included, into `serde_json` values, looking each variable up through
//! the page's frames and dropping the values again, a tenth of a build's work. The
//! chapter and home pages too (`chapter.html`, `home.html`): the home page lists every
//! page of the manual, and tera took a hundredth of a build's instructions on the two
//! of a manual of 2,000 pages.
//! Each kind of page is written here only while the site keeps every template it is
//! made of as built in ([`applies`], [`listing_applies`], [`toc_applies`]); the
//! templates stay the reference: a test renders manuals both ways and compares them
//! byte for byte. Each function below is the template it is named after.

use super::{ChildView, LanguageLink, Link, PageContext, SectionView, TocView, VariantSwitch};
use crate::render::markdown::escape_into;
use crate::render::step_partial::{StepWords, write_step};
use crate::theme::Theme;

/// The templates a procedure page is made of.
pub const TEMPLATES: &[&str] = &[
    "page.html",
    "base.html",
    "partials/head.html",
    "partials/header.html",
    "partials/search.html",
    "partials/variantswitch.html",
    "partials/langswitch.html",
    "partials/sidebar.html",
    "partials/pagenav.html",
    "partials/footer.html",
    "partials/page-header.html",
    "partials/pdf-links.html",
    "partials/sections.html",
    "partials/step.html",
];

/// Whether the site renders procedure pages with the built-in templates.
pub fn applies(theme: &Theme) -> bool {
    TEMPLATES.iter().all(|name| theme.is_builtin_template(name))
}

/// The templates chapter and home pages are made of besides those of [`TEMPLATES`]
/// but `page.html`: their sections hold steps too.
pub const LISTING_TEMPLATES: &[&str] = &["chapter.html", "home.html", "partials/cards.html"];

/// Whether the site renders chapter and home pages with the built-in templates.
pub fn listing_applies(theme: &Theme) -> bool {
    let shared = TEMPLATES.iter().filter(|name| **name != "page.html");
    LISTING_TEMPLATES.iter().chain(shared).all(|name| theme.is_builtin_template(name))
}

/// The templates a table of contents is made of.
pub const TOC_TEMPLATES: &[&str] = &["partials/toc.html", "partials/macros.html"];

/// Whether the site renders tables of contents with the built-in templates.
pub fn toc_applies(theme: &Theme) -> bool {
    TOC_TEMPLATES.iter().all(|name| theme.is_builtin_template(name))
}

/// `partials/toc.html`: a table of contents, rendered once for each chapter a page
/// can be in and language — a hundred times for a manual of fifty chapters, where
/// tera took a twentieth of the build.
pub fn toc(nodes: &[TocView]) -> String {
    let mut html = String::with_capacity(64 * nodes.len() + 64);
    html.push_str("<div class=\"toc\">");
    toc_nodes(nodes, &mut html);
    html.push_str("</div>\n");
    html
}

/// The `toc_nodes` macro of `partials/macros.html`.
fn toc_nodes(nodes: &[TocView], html: &mut String) {
    html.push_str("\n<ul>");
    for node in nodes {
        html.push_str("\n<li");
        if node.chapter {
            html.push_str(if node.open { " class=\"toc-chapter open\"" } else { " class=\"toc-chapter\"" });
        }
        html.push('>');
        link_or_span(&node.href, &node.title, html);
        if !node.children.is_empty() {
            toc_nodes(&node.children, html);
        }
        html.push_str("</li>");
    }
    html.push_str("\n</ul>\n");
}

/// A procedure page's HTML.
pub fn procedure_page(c: &PageContext) -> Vec<u8> {
    let mut html = String::with_capacity(64 * 1024);
    base(c, page, &mut html);
    html.into_bytes()
}

/// `chapter.html` in `base.html`.
pub fn chapter_page(c: &PageContext) -> Vec<u8> {
    let mut html = String::with_capacity(16 * 1024 + 128 * c.page.children.len());
    base(c, chapter, &mut html);
    html.into_bytes()
}

/// `home.html` in `base.html`.
pub fn home_page(c: &PageContext) -> Vec<u8> {
    let cards: usize = c.page.children.iter().map(|chapter| 1 + chapter.children.len()).sum();
    let mut html = String::with_capacity(16 * 1024 + 128 * cards);
    base(c, home, &mut html);
    html.into_bytes()
}

/// `<a href="{{ href }}">{{ title }}</a>`.
fn link(href: &str, title: &str, html: &mut String) {
    html.push_str("<a href=\"");
    e(html, href);
    html.push_str("\">");
    e(html, title);
    html.push_str("</a>");
}

/// A link to `href` when there is one, else `<span>{{ title }}</span>`.
fn link_or_span(href: &Option<String>, title: &str, html: &mut String) {
    match given(href) {
        Some(href) => link(href, title, html),
        None => {
            html.push_str("<span>");
            e(html, title);
            html.push_str("</span>");
        }
    }
}

/// `{{ value }}`.
fn e(html: &mut String, text: &str) {
    escape_into(text, html);
}

/// `{% if value %}` on an optional string: its text when the branch is taken.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.is_empty())
}

/// `base.html`, with `content` as its block `content`.
fn base(c: &PageContext, content: fn(&PageContext, &mut String), html: &mut String) {
    html.push_str("<!DOCTYPE html>\n<html lang=\"");
    e(html, c.lang);
    html.push_str("\">\n<head>\n");
    head(c, html);
    html.push_str("\n</head>\n<body class=\"kind-");
    e(html, c.page.kind);
    if !c.variants.is_empty() {
        html.push_str(" has-variants");
    }
    html.push_str("\">\n<a class=\"skip-link\" href=\"#content\">");
    e(html, c.ui.skip_to_content);
    html.push_str("</a>\n<input type=\"checkbox\" id=\"nav-toggle\" class=\"nav-toggle\" hidden>\n");
    header(c, html);
    html.push_str("\n<div class=\"layout\">\n");
    sidebar(c, html);
    html.push_str("\n<main id=\"content\" class=\"content\">\n");
    content(c, html);
    html.push('\n');
    pagenav(c, html);
    html.push_str("\n</main>\n</div>\n");
    footer(c, html);
    html.push_str("\n<script src=\"");
    e(html, &c.root);
    html.push_str("static/tejun.js\"></script>\n<script src=\"");
    e(html, &c.search_index);
    html.push_str("\" async></script>\n<script src=\"");
    e(html, &c.root);
    html.push_str("static/search.js\"></script>\n</body>\n</html>\n");
}

fn head(c: &PageContext, html: &mut String) {
    html.push_str(
        "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    if c.page.kind == "home" {
        e(html, c.manual_title);
    } else {
        e(html, &c.page.title);
        html.push_str(" | ");
        e(html, c.manual_title);
    }
    html.push_str("</title>\n");
    if let Some(description) = given(&c.page.description) {
        html.push_str("<meta name=\"description\" content=\"");
        e(html, description);
        html.push_str("\">");
    }
    html.push('\n');
    for l in c.languages.iter().filter(|l| !l.current && l.translated) {
        html.push_str("<link rel=\"alternate\" hreflang=\"");
        e(html, &l.code);
        html.push_str("\" href=\"");
        e(html, &l.href);
        html.push_str("\">\n");
    }
    html.push_str("<link rel=\"stylesheet\" href=\"");
    e(html, &c.root);
    html.push_str("static/tejun.css\">\n<link rel=\"stylesheet\" href=\"");
    e(html, &c.root);
    html.push_str("static/syntax.css\">\n");
}

fn header(c: &PageContext, html: &mut String) {
    html.push_str("<header class=\"topbar\">\n<label for=\"nav-toggle\" class=\"menu-button\" title=\"");
    e(html, c.ui.menu);
    html.push_str("\"><span class=\"menu-icon\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">");
    e(html, c.ui.menu);
    html.push_str("</span></label>\n<a class=\"manual-title\" href=\"");
    e(html, &c.home_href);
    html.push_str("\">");
    e(html, c.manual_title);
    html.push_str("</a>\n");
    if let Some(classification) = c.classification {
        html.push_str("<span class=\"classification\">");
        e(html, classification);
        html.push_str("</span>\n");
    }
    search(c, html);
    html.push('\n');
    variantswitch(&c.variants, html);
    html.push('\n');
    langswitch(c, html);
    html.push_str("\n</header>\n");
}

fn search(c: &PageContext, html: &mut String) {
    html.push_str("<div class=\"search\" role=\"search\">\n<input type=\"search\" id=\"search-input\" class=\"search-input\" placeholder=\"");
    e(html, c.ui.search_placeholder);
    html.push_str("\" aria-label=\"");
    e(html, c.ui.search);
    html.push_str(
        "\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-controls=\"search-results\" \
         aria-expanded=\"false\" aria-autocomplete=\"list\" data-lang=\"",
    );
    e(html, c.lang);
    html.push_str("\" data-index=\"");
    e(html, &c.search_index);
    html.push_str("\" data-lang-root=\"");
    e(html, &c.lang_root);
    html.push_str("\" data-step-label=\"");
    e(html, c.ui.step);
    html.push_str("\" data-no-results=\"");
    e(html, c.ui.no_results);
    html.push_str("\">\n<div id=\"search-results\" class=\"search-results\" role=\"listbox\" aria-label=\"");
    e(html, c.ui.search);
    html.push_str("\" hidden></div>\n</div>\n");
}

fn variantswitch(variants: &[VariantSwitch], html: &mut String) {
    for v in variants {
        html.push_str("\n<nav class=\"variantswitch\" aria-label=\"");
        e(html, &v.title);
        html.push_str("\" data-dimension=\"");
        e(html, &v.dimension);
        html.push_str("\">\n<span class=\"variantswitch-title\">");
        e(html, &v.title);
        html.push_str("</span>\n<ul>\n");
        for o in &v.options {
            html.push_str("<li>");
            if o.current {
                html.push_str("<span class=\"variantswitch-current\" aria-current=\"true\" data-variant=\"");
                e(html, &o.value);
                html.push_str("\">");
                e(html, &o.label);
                html.push_str("</span>");
            } else {
                html.push_str("<a href=\"");
                e(html, &o.href);
                html.push_str("\" data-variant=\"");
                e(html, &o.value);
                html.push('"');
                if let Some(fallback) = given(&o.fallback) {
                    html.push_str(" data-fallback=\"");
                    e(html, fallback);
                    html.push('"');
                }
                html.push('>');
                e(html, &o.label);
                html.push_str("</a>");
            }
            html.push_str("</li>\n");
        }
        html.push_str("\n</ul>\n</nav>\n");
    }
    html.push('\n');
}

fn langswitch(c: &PageContext, html: &mut String) {
    if c.languages.len() > 1 {
        html.push_str("\n<nav class=\"langswitch\" aria-label=\"");
        e(html, c.ui.language);
        html.push_str("\">\n<ul>\n");
        for l in &c.languages {
            language_item(l, html);
        }
        html.push_str("\n</ul>\n</nav>\n");
    }
    html.push('\n');
}

fn language_item(l: &LanguageLink, html: &mut String) {
    html.push_str("<li>");
    if l.current {
        html.push_str("<span class=\"langswitch-current\" aria-current=\"true\" lang=\"");
        e(html, &l.code);
        html.push_str("\">");
        e(html, &l.name);
        html.push_str("</span>");
    } else {
        html.push_str("<a href=\"");
        e(html, &l.href);
        html.push_str("\" hreflang=\"");
        e(html, &l.code);
        html.push_str("\" lang=\"");
        e(html, &l.code);
        html.push_str("\" data-keep-step=\"");
        html.push_str(if l.translated { "true" } else { "false" });
        html.push_str("\">");
        e(html, &l.name);
        html.push_str("</a>");
    }
    html.push_str("</li>\n");
}

fn sidebar(c: &PageContext, html: &mut String) {
    html.push_str("<nav id=\"sidebar\" class=\"sidebar\" aria-label=\"");
    e(html, c.ui.contents);
    html.push_str("\">\n<p class=\"sidebar-title\"><a href=\"");
    e(html, &c.home_href);
    html.push_str("\">");
    e(html, c.ui.contents);
    html.push_str("</a></p>\n");
    html.push_str(&c.toc_html);
    html.push_str("\n</nav>\n<label for=\"nav-toggle\" class=\"sidebar-backdrop\" aria-hidden=\"true\"></label>\n");
}

fn pagenav(c: &PageContext, html: &mut String) {
    if c.previous.is_some() || c.next.is_some() {
        html.push_str("\n<nav class=\"pagenav\" aria-label=\"");
        e(html, c.ui.previous);
        html.push_str(" / ");
        e(html, c.ui.next);
        html.push_str("\">\n");
        if let Some(previous) = &c.previous {
            neighbour(previous, "pagenav-previous\" rel=\"prev", c.ui.previous, html);
        }
        html.push('\n');
        if let Some(next) = &c.next {
            neighbour(next, "pagenav-next\" rel=\"next", c.ui.next, html);
        }
        html.push_str("\n</nav>\n");
    }
    html.push('\n');
}

/// One of `pagenav.html`'s links; `class` runs on into the `rel` attribute.
fn neighbour(link: &Link, class: &str, label: &str, html: &mut String) {
    html.push_str("<a class=\"");
    html.push_str(class);
    html.push_str("\" href=\"");
    e(html, &link.href);
    html.push_str("\"><span class=\"pagenav-label\">");
    e(html, label);
    html.push_str("</span><span class=\"pagenav-title\">");
    e(html, &link.title);
    html.push_str("</span></a>");
}

fn footer(c: &PageContext, html: &mut String) {
    html.push_str("<footer class=\"footer\">\n<p>");
    e(html, c.manual_title);
    html.push_str("</p>\n");
    if let Some(version) = &c.version {
        html.push_str("<p class=\"version\">");
        e(html, version);
        html.push_str("</p>\n");
    }
    html.push_str("</footer>\n");
}

/// `page.html`'s `content` block.
fn page(c: &PageContext, html: &mut String) {
    html.push_str("\n<article class=\"procedure\">\n");
    page_header(c, html);
    html.push('\n');
    if c.page.titled_sections.len() > 1 {
        html.push_str("\n<nav class=\"on-this-page\" aria-label=\"");
        e(html, c.ui.on_this_page);
        html.push_str("\">\n<p class=\"on-this-page-title\">");
        e(html, c.ui.on_this_page);
        html.push_str("</p>\n<ol>\n");
        for section in &c.page.titled_sections {
            html.push_str("<li><a href=\"#");
            e(html, &section.anchor);
            html.push_str("\">");
            html.push_str(&section.title_html);
            html.push_str("</a>");
            if let Some(range) = given(&section.step_range) {
                html.push_str(" <span class=\"step-range\">");
                e(html, range);
                html.push_str("</span>");
            }
            html.push_str("</li>\n");
        }
        html.push_str("\n</ol>\n</nav>\n");
    }
    html.push('\n');
    sections(c, html);
    html.push_str("\n</article>\n");
}

/// `chapter.html`'s `content` block.
fn chapter(c: &PageContext, html: &mut String) {
    html.push_str("\n<article class=\"chapter\">\n");
    page_header(c, html);
    html.push('\n');
    if !c.page.children.is_empty() {
        html.push_str("\n<nav class=\"chapter-contents\" aria-label=\"");
        e(html, c.ui.pages_in_chapter);
        html.push_str("\">\n<h2>");
        e(html, c.ui.pages_in_chapter);
        html.push_str("</h2>\n");
        cards(&c.page.children, html);
        html.push_str("\n</nav>\n");
    }
    html.push('\n');
    sections(c, html);
    html.push_str("\n</article>\n");
}

/// `home.html`'s `content` block.
fn home(c: &PageContext, html: &mut String) {
    html.push_str("\n<article class=\"home\">\n");
    page_header(c, html);
    html.push('\n');
    sections(c, html);
    // A manual that is its home page alone has no contents to list.
    if c.page.children.is_empty() {
        html.push_str("\n</article>\n");
        return;
    }
    html.push_str("\n<nav class=\"home-contents\" aria-label=\"");
    e(html, c.ui.contents);
    html.push_str("\">\n<h2>");
    e(html, c.ui.contents);
    html.push_str("</h2>\n");
    for chapter in &c.page.children {
        html.push_str("\n<section class=\"home-chapter\">\n<h3>");
        match given(&chapter.href) {
            Some(href) => link(href, &chapter.title, html),
            None => e(html, &chapter.title),
        }
        html.push_str("</h3>\n");
        if let Some(description) = given(&chapter.description) {
            html.push_str("<p class=\"chapter-description\">");
            e(html, description);
            html.push_str("</p>");
        }
        html.push('\n');
        if !chapter.children.is_empty() {
            cards(&chapter.children, html);
        }
        html.push_str("\n</section>\n");
    }
    html.push_str("\n</nav>\n</article>\n");
}

/// `partials/cards.html`.
fn cards(children: &[ChildView], html: &mut String) {
    html.push_str("<ul class=\"cards\">\n");
    for child in children {
        html.push_str("<li class=\"card\">");
        link_or_span(&child.href, &child.title, html);
        if let Some(description) = given(&child.description) {
            html.push_str("<p>");
            e(html, description);
            html.push_str("</p>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("\n</ul>\n");
}

fn page_header(c: &PageContext, html: &mut String) {
    html.push_str("<header class=\"page-header\">\n<h1>");
    e(html, &c.page.title);
    html.push_str("</h1>\n");
    if let Some(description) = given(&c.page.description) {
        html.push_str("<p class=\"lead\">");
        e(html, description);
        html.push_str("</p>");
    }
    html.push('\n');
    pdf_links(c, html);
    html.push_str("\n</header>\n");
    if !c.page.intro_html.is_empty() {
        html.push_str("<div class=\"intro\">");
        html.push_str(&c.page.intro_html);
        html.push_str("</div>");
    }
    html.push('\n');
}

fn pdf_links(c: &PageContext, html: &mut String) {
    if let Some(pdf) = &c.pdf {
        html.push_str("<p class=\"pdf-links\">");
        if let Some(page) = given(&pdf.page) {
            html.push_str("<a class=\"pdf-link\" href=\"");
            e(html, page);
            html.push_str("\" type=\"application/pdf\">");
            e(html, c.ui.pdf_page);
            html.push_str("</a>");
        }
        html.push_str("<a class=\"pdf-link\" href=\"");
        e(html, &pdf.manual);
        html.push_str("\" type=\"application/pdf\">");
        e(html, c.ui.pdf_manual);
        html.push_str("</a></p>");
    }
    html.push('\n');
}

fn sections(c: &PageContext, html: &mut String) {
    let words = StepWords::of(c.ui);
    for section in &c.page.sections {
        section_html(section, &words, html);
    }
    html.push_str(&c.page.footnotes_html);
    html.push('\n');
}

fn section_html(section: &SectionView, words: &StepWords, html: &mut String) {
    html.push_str("\n<section class=\"section\" id=\"");
    e(html, &section.anchor);
    html.push_str("\">\n");
    if let Some(title) = given(&section.title_html) {
        html.push_str("<h2 class=\"section-title\"><a class=\"heading-anchor\" href=\"#");
        e(html, &section.anchor);
        html.push_str("\">");
        html.push_str(title);
        html.push_str("</a></h2>");
    }
    html.push('\n');
    if !section.intro_html.is_empty() {
        html.push_str("<div class=\"section-intro\">");
        html.push_str(&section.intro_html);
        html.push_str("</div>");
    }
    html.push('\n');
    if !section.steps.is_empty() {
        html.push_str("\n<ol class=\"steps\">\n");
        for step in &section.steps {
            write_step(step, words, html);
        }
        html.push_str("\n</ol>\n");
    }
    html.push_str("\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Manual, PageKind};
    use crate::render::html::{make_tera, pages_with, tera_from_sources};
    use crate::testing;

    /// Every page as the templates render it and as the site renders it with [`layout`].
    fn both_ways(editions: &[Manual], config: &Config) -> Vec<(String, String)> {
        let theme = Theme::builtin();
        assert!(applies(&theme));
        let as_text =
            |pages: Vec<Vec<u8>>| pages.into_iter().map(|p| String::from_utf8(p).unwrap()).collect::<Vec<_>>();
        let from_source = as_text(pages_with(editions, config, tera_from_sources(&theme), false));
        let native = as_text(pages_with(editions, config, make_tera(&theme).unwrap(), true));
        from_source.into_iter().zip(native).collect()
    }

    fn assert_same(editions: &[Manual], config: &Config) -> Vec<String> {
        let pages = editions.iter().flat_map(|manual| &manual.pages);
        let mut procedures = Vec::new();
        for (page, (expected, got)) in pages.zip(both_ways(editions, config)) {
            if got != expected {
                let at = expected.bytes().zip(got.bytes()).take_while(|(a, b)| a == b).count();
                let around = |text: &str| {
                    text[text.floor_char_boundary(at.saturating_sub(80))..].chars().take(160).collect::<String>()
                };
                panic!(
                    "{} {} differs at byte {at}:\nexpected: {:?}\n     got: {:?}",
                    page.lang,
                    page.key,
                    around(&expected),
                    around(&got)
                );
            }
            if page.kind == PageKind::Procedure {
                procedures.push(got);
            }
        }
        assert!(!procedures.is_empty());
        procedures
    }

    #[test]
    fn the_example_manual_comes_out_as_from_the_templates() {
        let (site, _) = testing::example_site();
        assert!(site.editions().len() > 1, "the example has variants: the switch is rendered");
        assert_same(site.editions(), &site.config);
    }

    #[test]
    fn a_manual_with_variants_comes_out_the_same() {
        let (_dir, site) = site(&[
            (
                "tejun.toml",
                "languages = [\"ja\", \"en\"]\n[variants.browser]\nvalues = [\"edge\", \"chrome\"]\n\
                 title = { ja = \"ブラウザー\", en = \"Browser\" }\nja = [\"Edge\", \"Chrome\"]\nen = [\"Edge\", \"Chrome\"]\n",
            ),
            (
                "content/p.ja.md",
                "+++\ntitle = \"P\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\n+++\n\n\
                 +++\nid = \"b\"\ntitle = \"B\"\nonly = { browser = \"chrome\" }\n+++\n\n::: browser=edge\nEdge だけ。\n:::\n",
            ),
            ("content/p.en.md", "+++\ntitle = \"P\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\n+++\n"),
        ]);
        assert_eq!(site.editions().len(), 2);
        let procedures = assert_same(site.editions(), &site.config);
        assert!(procedures.iter().any(|page| page.contains("has-variants")));
        assert!(procedures.iter().any(|page| page.contains("data-fallback=")), "a step only one variant has");
    }

    #[test]
    fn every_branch_of_the_templates_comes_out_the_same() {
        let ja = "+++\ntitle = \"振込 & <承認>\"\ndescription = \"説明 \\\"引用\\\"\"\n+++\n\nはじめに **太字**。\n\n\
                  +++\nid = \"first\"\ntitle = \"見出しの前\"\n+++\n\n## 準備 <1>\n\n節の説明。\n\n\
                  +++\nid = \"open\"\ntitle = \"「OK」を<押す>\"\nimage = \"s.png\"\nresult = \"完了 <b>します</b>\"\n+++\n\n\
                  本文 [](step:first)。\n\n## 取得\n\n+++\nid = \"get\"\ntitle = \"取得\"\n+++\n\n## 手順なし\n\n文だけ。\n";
        let en = "+++\ntitle = \"Transfer\"\ndescription = \"\"\n+++\n\n## Before\n\n+++\nid = \"open\"\ntitle = \"Press\"\n\
                  image = \"s.png\"\nsource = \"000000000000\"\n+++\n\nBody.\n";
        let other = "+++\ntitle = \"次のページ\"\n+++\n\n+++\nid = \"only\"\ntitle = \"一つ\"\n+++\n";
        let (manual, diagnostics, _) =
            testing::manual(&[("ja", "a", ja), ("en", "a", en), ("ja", "b", other)], &["s.png"]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut config = testing::config();
        for pdf in [true, false] {
            config.pdf.enabled = pdf;
            let procedures = assert_same(std::slice::from_ref(&manual), &config);
            let ja =
                procedures.iter().find(|page| page.contains("<h1>振込 &amp; &lt;承認&gt;</h1>")).expect("the ja page");
            for part in
                ["on-this-page", "step-range", "class=\"intro\"", "class=\"lead\"", "pagenav-next", "langswitch"]
            {
                assert!(ja.contains(part), "{part} is rendered in the fixture");
            }
            assert_eq!(ja.contains("pdf-links"), pdf && cfg!(feature = "pdf"));
            assert!(procedures.iter().any(|page| page.contains("stale-note")));
        }
        let (_dir, one_language) = site(&[
            ("tejun.toml", "languages = [\"ja\"]\nclassification = \"社外秘 <&>\"\nversion = \"2.1\"\n"),
            ("content/a.md", &ja.replace("s.png", "s.svg")),
            ("content/s.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 40\"/>"),
            ("content/b.md", other),
        ]);
        let procedures = assert_same(one_language.editions(), &one_language.config);
        assert!(procedures.iter().all(|page| !page.contains("langswitch")), "one language: no switch");
        let marking = "<span class=\"classification\">社外秘 &lt;&amp;&gt;</span>";
        assert!(procedures.iter().all(|page| page.contains(marking)), "the marking beside the title");
        assert!(procedures.iter().all(|page| page.contains("<p class=\"version\">第 2.1 版</p>")), "the version");
        // A manual that is its home page alone: no contents to list.
        let home = "+++\ntitle = \"ホーム\"\n+++\n\n本文。\n";
        let (_dir, alone) = site(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/_index.md", home)]);
        for (expected, got) in both_ways(alone.editions(), &alone.config) {
            assert!(!got.contains("home-contents"));
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn chapter_and_home_pages_come_out_the_same() {
        let page = |title: &str, description: &str| {
            format!(
                "+++\ntitle = \"{title}\"\ndescription = \"{description}\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\n+++\n"
            )
        };
        let (_dir, site) = site(&[
            ("tejun.toml", "languages = [\"ja\"]\n"),
            ("content/_index.md", "+++\ntitle = \"ホーム <&>\"\n+++\n\nはじめに。\n"),
            (
                "content/open/_index.md",
                "+++\ntitle = \"口座 & 契約\"\ndescription = \"口座の\\\"手続き\\\"\"\n+++\n\n章の説明。\n",
            ),
            ("content/open/first.md", &page("申し込む <1>", "最初に")),
            ("content/open/second.md", &page("確認する", "")),
            ("content/open/deeper/page.md", &page("奥", "")),
            ("content/bare/only.md", &page("索引なし", "")),
            ("content/empty/_index.md", "+++\ntitle = \"空の章\"\n+++\n"),
        ]);
        let pages = both_ways(site.editions(), &site.config);
        for (expected, got) in &pages {
            assert_eq!(got, expected);
        }
        let native: Vec<&str> = pages.iter().map(|(_, got)| got.as_str()).collect();
        let home = native.iter().find(|page| page.contains("class=\"home\"")).expect("a home page");
        for part in [
            "<h3><a href=\"open/index.html\">口座 &amp; 契約</a></h3>",
            "<p class=\"chapter-description\">口座の&quot;手続き&quot;</p>",
            "<h3>Bare</h3>",
            "<li class=\"card\"><a href=\"open/first.html\">申し込む &lt;1&gt;</a><p>最初に</p></li>",
        ] {
            assert!(home.contains(part), "{part} in the home page:\n{home}");
        }
        let chapters: Vec<&&str> = native.iter().filter(|page| page.contains("class=\"chapter\"")).collect();
        assert_eq!(chapters.len(), 2, "two chapters have an _index page");
        assert!(chapters.iter().any(|page| page.contains("<li class=\"card\"><span>Deeper</span></li>")));
        assert!(chapters.iter().any(|page| !page.contains("chapter-contents")), "a chapter without pages");
    }

    /// A site in a folder of its own, read and resolved.
    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::build::Site) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (mut sources, mut diagnostics) = (Default::default(), Vec::new());
        let site = crate::build::load_site(dir.path(), &mut sources, &mut diagnostics, &mut Default::default())
            .unwrap_or_else(|| panic!("{diagnostics:?}"));
        (dir, site)
    }

    #[test]
    fn a_site_with_a_template_of_its_own_gets_the_templates() {
        let mut theme = Theme::builtin();
        theme.templates.insert("partials/footer.html".into(), "<footer>ours</footer>\n".into());
        assert!(!applies(&theme));
        assert!(!listing_applies(&theme));
        assert!(applies(&Theme::builtin()));
        assert!(listing_applies(&Theme::builtin()));
        // Each kind of page goes to the templates only for its own.
        let mut theme = Theme::builtin();
        theme.templates.insert("page.html".into(), "ours".into());
        assert!(!applies(&theme));
        assert!(listing_applies(&theme));
        let mut theme = Theme::builtin();
        theme.templates.insert("partials/cards.html".into(), "ours".into());
        assert!(applies(&theme));
        assert!(!listing_applies(&theme));
        assert!(!theme.templates_are_builtin());
    }
}
