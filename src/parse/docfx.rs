//! Part of parse (text in, Markdown out, no I/O): what Microsoft Learn's Markdown
//! (DocFX) adds, as the many procedures written for or copied from Microsoft's
//! documentation have it — `:::image type="content" source="…" alt-text="…":::`
//! for a screenshot, tabs written as headings that link to `#tab/…` and end at a
//! `---` line, zones (`:::zone pivot="windows"` … `:::zone-end`), and a quote's
//! `[!div class="nextstepaction"]` and `[!VIDEO …]` marks. (Notes, `> [!NOTE]`, are
//! GitHub's alerts already; `[!INCLUDE …]` and the code snippets, `[!code-…]` and
//! `:::code`, are read by [`crate::includes`].)
//!
//! Each line is read as other Markdown: an image as `![alt](source)`, and tabs and
//! zones as the tab shortcodes of Hugo's themes, which the page's next reading takes
//! as content tabs (a zone's tab is labelled by its pivot; zones one after the
//! other are one set).

use std::ops::Range;

use crate::source::{closes_fence, fence_opening};

/// Whether `text`, which has `:::` in it, may have an image or a zone.
pub fn may_have_colon_marks(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b":::image ").is_some() || memchr::memmem::find(bytes, b":::zone").is_some()
}

/// Whether `text` may have tabs, whose headings link to `#tab/…`.
pub fn may_have_tabs(text: &str) -> bool {
    static TAB: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"](#tab/"));
    TAB.find(text.as_bytes()).is_some()
}

/// Whether `rest`, which starts with `[!`, is a quote's DocFX mark.
pub fn is_quote_mark(rest: &str) -> bool {
    ["[!div ", "[!DIV ", "[!VIDEO ", "[!video "].iter().any(|mark| rest.starts_with(mark))
}

/// What a line of DocFX Markdown is read as.
#[derive(Debug, PartialEq)]
pub enum Reading {
    /// These parts of the line, replaced by this Markdown.
    Replaced(Vec<(Range<usize>, String)>),
    /// A line that shows nothing: a complex image's long description (for screen
    /// readers, which the image's alt text serves here), a zone's marks, a `[!div]`.
    Blank,
}

/// Reads a page's lines in order, keeping what a line opened for the lines after it.
#[derive(Default)]
pub struct Reader {
    /// The level of the headings of the set of tabs open.
    tabs: Option<usize>,
    /// The zone open, if any.
    zone: Option<Zone>,
    /// Inside a complex image's long description.
    in_description: bool,
    /// The quote a `[!div]` opened, whose lines are its content without the quote.
    unquoting: bool,
    /// The code block the line is in: nothing there is DocFX's.
    fence: Option<(u8, usize)>,
    /// A zone of a pivot just ended and the next one follows: its tab is in the set.
    zone_set_open: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Zone {
    /// `pivot="…"`: a content tab.
    Tab,
    /// `target="docs"`: its content, as it is.
    Shown,
    /// `target="chromeless"`, for another kind of site: nothing.
    Hidden,
}

const OPEN_TABS: &str = "{{< tabs >}}\n";
const CLOSE_TABS: &str = "{{% /tab %}}\n{{< /tabs >}}";

impl Reader {
    /// What `line` (without its line break) is read as; `rest` is the text after
    /// it, where a zone looks for the next one.
    pub fn line(&mut self, line: &str, rest: &str) -> Option<Reading> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = &line[indent..];
        let zone_mark = indent <= 3 && trimmed.starts_with(":::zone");
        if self.zone == Some(Zone::Hidden) && !zone_mark {
            return Some(Reading::Blank);
        }
        if let Some((c, len)) = self.fence {
            if closes_fence(trimmed, c, len) {
                self.fence = None;
            }
            return None;
        }
        if let Some(opening) = fence_opening(trimmed) {
            self.fence = Some(opening);
            return None;
        }
        if self.in_description {
            self.in_description = !trimmed.starts_with(":::image-end:::");
            return Some(Reading::Blank);
        }
        if zone_mark {
            return Some(self.zone_line(line, indent, rest));
        }
        if let Some(reading) = self.tab_line(line, indent, rest) {
            return Some(reading);
        }
        if let Some(reading) = self.quote_line(line, indent, rest) {
            return Some(reading);
        }
        let images = self.images(line, rest);
        (!images.is_empty()).then_some(Reading::Replaced(images))
    }

    /// A zone's opening or closing line.
    fn zone_line(&mut self, line: &str, indent: usize, rest: &str) -> Reading {
        let (trimmed, whole) = (line[indent..].trim_end(), indent..line.len());
        if trimmed.starts_with(":::zone-end") {
            return match self.zone.take() {
                Some(Zone::Tab) if next_is_pivot(rest) => {
                    self.zone_set_open = true;
                    Reading::Replaced(vec![(whole, "{{% /tab %}}".into())])
                }
                Some(Zone::Tab) => Reading::Replaced(vec![(whole, CLOSE_TABS.into())]),
                _ => Reading::Blank,
            };
        }
        let attributes = attributes(trimmed.trim_start_matches(":::zone").trim_end_matches(':'));
        let value = |key: &str| attributes.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str());
        let Some(pivots) = value("pivot") else {
            self.zone = Some(if value("target") == Some("chromeless") { Zone::Hidden } else { Zone::Shown });
            return Reading::Blank;
        };
        let label: Vec<&str> = pivots.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let set = if std::mem::take(&mut self.zone_set_open) { "" } else { OPEN_TABS };
        self.zone = Some(Zone::Tab);
        Reading::Replaced(vec![(whole, format!("{set}{{{{% tab title=\"{}\" %}}}}", quoted(&label.join(", "))))])
    }

    /// A heading that is a tab (`# [Edge](#tab/edge)`), and the line that ends a set
    /// of them: `---`, a heading not deeper than the tabs', or the page's last.
    fn tab_line(&mut self, line: &str, indent: usize, rest: &str) -> Option<Reading> {
        let trimmed = &line[indent..];
        let heading = (indent <= 3).then(|| heading_level(trimmed)).flatten();
        if let Some((level, text)) = heading
            && let Some(label) = tab_label(text)
        {
            let before = if self.tabs.replace(level).is_some() { "{{% /tab %}}\n" } else { OPEN_TABS };
            let opening = format!("{before}{{{{% tab title=\"{}\" %}}}}", quoted(label));
            return Some(Reading::Replaced(vec![(0..line.len(), opening)]));
        }
        let level = self.tabs?;
        if indent <= 3 && trimmed.trim_end() == "---" {
            self.tabs = None;
            return Some(Reading::Replaced(vec![(0..line.len(), CLOSE_TABS.into())]));
        }
        if heading.is_some_and(|(heading, _)| heading <= level) {
            self.tabs = None;
            return Some(Reading::Replaced(vec![(0..0, format!("{CLOSE_TABS}\n\n"))]));
        }
        if rest.trim().is_empty() {
            self.tabs = None;
            let mut replaced = self.images(line, rest);
            replaced.push((line.len()..line.len(), format!("\n\n{CLOSE_TABS}")));
            return Some(Reading::Replaced(replaced));
        }
        None
    }

    /// A quote's `[!div class="nextstepaction"]` (its content is a link to the next
    /// page, a button on Microsoft Learn: here the link, without the quote) and
    /// `[!VIDEO address]` (a link to the video).
    fn quote_line(&mut self, line: &str, indent: usize, rest: &str) -> Option<Reading> {
        let trimmed = &line[indent..];
        let quoted = trimmed.strip_prefix('>').map(str::trim_start);
        let mark = quoted.unwrap_or(trimmed).trim_end();
        if let Some(address) = mark.strip_prefix("[!VIDEO ").or_else(|| mark.strip_prefix("[!video ")) {
            let address = address.strip_suffix(']')?.trim();
            return Some(Reading::Replaced(vec![(0..line.len(), format!("<{address}>"))]));
        }
        if quoted.is_some() && (mark.starts_with("[!div ") || mark.starts_with("[!DIV ")) && mark.ends_with(']') {
            self.unquoting = true;
            return Some(Reading::Blank);
        }
        match quoted {
            Some(content) if self.unquoting => {
                let mut replaced = vec![(indent..line.len() - content.len(), String::new())];
                replaced.extend(self.images(line, rest).into_iter().filter(|(range, _)| range.start > indent));
                Some(Reading::Replaced(replaced))
            }
            _ => {
                self.unquoting = false;
                None
            }
        }
    }

    /// Each `:::image …:::` in the line, as the Markdown image it shows (one whose
    /// closing `:::` was forgotten ends with the line); a complex one's long
    /// description, on the lines after it up to `:::image-end:::` in `rest`, is left
    /// out.
    fn images(&mut self, line: &str, rest: &str) -> Vec<(Range<usize>, String)> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(start) = line[from..].find(":::image ").map(|at| from + at) {
            let (inside, end) = match line[start + 9..].find(":::") {
                Some(at) => (start + 9..start + 9 + at, start + 9 + at + 3),
                None => (start + 9..line.len(), line.len()),
            };
            let attributes = attributes(&line[inside]);
            let value = |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let Some(source) = value("source") else {
                from = end;
                continue;
            };
            // Without its `:::image-end:::` the description would hide the rest of
            // the page; it shows instead.
            if value("type") == Some("complex") && rest.contains(":::image-end:::") {
                self.in_description = true;
            }
            let alt = value("alt-text").unwrap_or_default().trim();
            let alt: String =
                alt.chars().flat_map(|c| if matches!(c, '[' | ']' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
            let source = if source.contains([' ', '(', ')']) { format!("<{source}>") } else { source.to_string() };
            found.push((start..end, format!("![{alt}]({source})")));
            from = end;
        }
        found
    }
}

/// A line's ATX heading level and text.
fn heading_level(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let text = line[level..].strip_prefix([' ', '\t'])?;
    (1..=6).contains(&level).then_some((level, text.trim()))
}

/// The label of a tab's heading: `[Edge](#tab/edge)`, with an anchor before it as
/// Microsoft's translations write (`<a name="edge"></a>[Edge](#tab/edge)`).
fn tab_label(text: &str) -> Option<&str> {
    let text = match text.strip_prefix("<a ") {
        Some(anchor) => anchor.split_once("</a>")?.1.trim_start(),
        None => text,
    };
    let (label, target) = text.strip_prefix('[')?.rsplit_once("](")?;
    let target = target.strip_suffix(')')?;
    target.starts_with("#tab/").then_some(label.trim())
}

/// Whether the next line with text after a zone's end opens another pivot's zone.
fn next_is_pivot(rest: &str) -> bool {
    rest.lines().find(|line| !line.trim().is_empty()).is_some_and(|line| {
        let line = line.trim_start();
        line.starts_with(":::zone ") && line.contains("pivot")
    })
}

/// A label inside a shortcode's quotes.
fn quoted(label: &str) -> String {
    label.replace('"', "'")
}

/// The `key="value"` pairs of a DocFX mark, in order.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(close) => (&after[1..1 + close], &after[close + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if !key.is_empty() && !key.contains(char::is_whitespace) {
            found.push((key.to_string(), value.to_string()));
        }
        rest = next.trim_start();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line of `text` with what it is read as, the lines read as they are left out.
    fn read(text: &str) -> Vec<(String, Option<Reading>)> {
        let mut reader = Reader::default();
        let mut offset = 0;
        let mut found = Vec::new();
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            found.push((content.to_string(), reader.line(content, &text[offset + line.len()..])));
            offset += line.len();
        }
        found.retain(|(_, reading)| reading.is_some());
        found
    }

    /// The line as its reading rewrites it.
    fn rewritten(line: &str, reading: &Option<Reading>) -> String {
        match reading {
            Some(Reading::Replaced(replacements)) => {
                let mut out = String::new();
                let mut copied = 0;
                for (range, with) in replacements {
                    out.push_str(&line[copied..range.start]);
                    out.push_str(with);
                    copied = range.end;
                }
                out + &line[copied..]
            }
            Some(Reading::Blank) => String::new(),
            None => line.to_string(),
        }
    }

    fn all(text: &str) -> Vec<String> {
        read(text).iter().map(|(line, reading)| rewritten(line, reading)).collect()
    }

    #[test]
    fn images_are_markdown_images_and_a_long_description_is_left_out() {
        assert_eq!(
            all(concat!(
                "1. Select :::image type=\"icon\" source=\"media/gear.png\"::: and\n",
                "   :::image type=\"content\" source=\"media/new connection.png\" alt-text=\"The [New] pane\" lightbox=\"x.png\":::\n",
                ":::image type=\"complex\" source=\"a.png\" alt-text=\"Map\":::\n",
                "   A long description.\n",
                ":::image-end:::\n",
                "After.\n",
                ":::image type=\"content\" source=\"b.png\" alt-text=\"Unclosed\"\n",
            )),
            [
                "1. Select ![](media/gear.png) and",
                "   ![The \\[New\\] pane](<media/new connection.png>)",
                "![Map](a.png)",
                "",
                "",
                "![Unclosed](b.png)",
            ]
        );
        let endless = all(":::image type=\"complex\" source=\"a.png\" alt-text=\"Map\":::\nThe rest of the page.\n");
        assert_eq!(endless, ["![Map](a.png)"], "a description never ended hides nothing");
    }

    #[test]
    fn tabs_become_a_set_that_ends_at_a_rule_a_heading_or_the_page_end() {
        let text = "# [Edge](#tab/edge)\n\nEdge.\n\n```yaml\n---\n```\n\n# <a name=\"c\"></a>[Chrome](#tab/chrome)\n\nChrome.\n\n---\n\nAfter.\n";
        assert_eq!(
            all(text),
            [
                "{{< tabs >}}\n{{% tab title=\"Edge\" %}}",
                "{{% /tab %}}\n{{% tab title=\"Chrome\" %}}",
                "{{% /tab %}}\n{{< /tabs >}}",
            ]
        );
        let ended_by_heading = all("## [CLI](#tab/cli)\n\nCLI.\n\n### Deeper\n\n## Next\n");
        assert_eq!(ended_by_heading.last().unwrap(), "{{% /tab %}}\n{{< /tabs >}}\n\n## Next");
        assert_eq!(ended_by_heading.len(), 2, "a deeper heading stays in the tab: {ended_by_heading:?}");
        let ended_by_page = all("# [CLI](#tab/cli)\n\nCLI.\n");
        assert_eq!(ended_by_page.last().unwrap(), "CLI.\n\n{{% /tab %}}\n{{< /tabs >}}");
    }

    #[test]
    fn zones_of_pivots_one_after_the_other_are_one_set_and_other_sites_zones_go() {
        let text = concat!(
            ":::zone pivot=\"windows,linux\"\n\nA.\n\n:::zone-end\n\n",
            ":::zone pivot=\"macos\"\n\nB.\n\n:::zone-end\n\nBetween.\n\n",
            ":::zone target=\"chromeless\"\n\nHidden.\n\n```\ncode\n```\n\n:::zone-end\n",
            ":::zone target=\"docs\"\n\nShown.\n\n:::zone-end\n",
        );
        let found = read(text);
        let lines: Vec<String> = found.iter().map(|(line, reading)| rewritten(line, reading)).collect();
        assert_eq!(
            lines.iter().filter(|line| !line.is_empty()).collect::<Vec<_>>(),
            [
                "{{< tabs >}}\n{{% tab title=\"windows, linux\" %}}",
                "{{% /tab %}}",
                "{{% tab title=\"macos\" %}}",
                "{{% /tab %}}\n{{< /tabs >}}",
            ]
        );
        assert_eq!(
            lines.iter().filter(|line| line.is_empty()).count(),
            11,
            "every line of both targets' zones: {lines:?}"
        );
        assert!(!found.iter().any(|(line, _)| line == "Shown."), "a zone for this site keeps its text");
    }

    #[test]
    fn a_next_step_quote_is_its_link_and_a_video_a_link_to_it() {
        assert_eq!(
            all("> [!div class=\"nextstepaction\"]\n> [Next](next.md)\n\nText.\n> [!VIDEO https://example.com/v]\n"),
            ["", "[Next](next.md)", "<https://example.com/v>"]
        );
    }
}
