//! Raw HTML in Markdown, cleaned to an allow-list (ammonia's) unless `tejun.toml`
//! says `[markdown] unsafe_html = true`: a `<script>`, an `onclick` or a
//! `javascript:` link pasted into a manual never reaches its readers.
//!
//! pulldown-cmark hands inline HTML over one tag at a time (`<kbd>`, text, `</kbd>`),
//! and a lone tag cannot be cleaned on its own, so a paragraph that holds inline HTML
//! is rendered whole and then cleaned; paragraphs without raw HTML are left alone.

use ammonia::Builder;

use crate::model::Inline;

pub struct Sanitizer {
    builder: Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        let mut builder = Builder::default();
        builder
            // Accessibility attributes too: migrated pages carry `role` and `aria-*`.
            .add_generic_attributes(["class", "id", "title", "lang", "dir", "role"])
            .add_generic_attribute_prefixes(["aria-"])
            .add_tag_attributes("img", ["width", "height", "decoding", "loading"])
            .add_tags(["figure", "figcaption", "mark", "kbd", "samp", "var", "details", "summary"])
            .link_rel(None);
        Sanitizer { builder }
    }
}

impl Sanitizer {
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

/// Whether inline content holds raw HTML anywhere.
pub fn has_raw_html(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Html(_) => true,
        Inline::Strong(c) | Inline::Emphasis(c) | Inline::Strikethrough(c) => has_raw_html(c),
        Inline::Link(link) => has_raw_html(&link.content),
        Inline::Ref(reference) => has_raw_html(&reference.content),
        _ => false,
    })
}

/// Whether a link or image address is safe to put in front of readers: relative,
/// a fragment, or http(s), mailto or tel (and inline data for images).
pub fn is_safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
                || (image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg"))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let s = Sanitizer::default();
        assert_eq!(s.clean("<p onclick=\"x()\">a<script>alert(1)</script></p>"), "<p>a</p>");
        assert_eq!(s.clean("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
        assert_eq!(s.clean("<kbd class=\"k\">Ctrl</kbd>"), "<kbd class=\"k\">Ctrl</kbd>");
    }

    #[test]
    fn accessibility_attributes_are_kept() {
        let s = Sanitizer::default();
        let html =
            "<div role=\"note\" aria-label=\"注意\" aria-describedby=\"x\"><span aria-hidden=\"true\">⚠</span></div>";
        assert_eq!(s.clean(html), html);
        assert_eq!(s.clean("<div ariax=\"1\" data-x=\"2\">a</div>"), "<div>a</div>", "only the aria- prefix");
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("obtain.html#step-a", false));
        assert!(is_safe_url("https://example.com", false));
        assert!(is_safe_url("#x", false));
        assert!(!is_safe_url("javascript:alert(1)", false));
        assert!(!is_safe_url(" JaVa\tScRiPt:alert(1)", false));
        assert!(!is_safe_url("vbscript:x", false));
        assert!(is_safe_url("data:image/png;base64,AAAA", true));
        assert!(!is_safe_url("data:text/html,<script>", true));
        assert!(!is_safe_url("data:image/svg+xml,<svg onload=alert(1)>", true));
    }
}
