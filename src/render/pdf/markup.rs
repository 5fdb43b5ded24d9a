//! The resolved model written out as Typst markup, one document per PDF.
//!
//! Everything the writer wrote is escaped: text goes into markup with a backslash
//! before every ASCII punctuation mark (typst reads `\` + any character as that
//! character), and strings that typst functions take (code, paths, titles) go in as
//! string literals. Markup is built from function calls (`#strong[…]`, `#list(…)`)
//! rather than typst's own shorthands, which depend on line starts and indentation.
//!
//! Numbers are written out, never counted by typst: a step is 「手順 19」 and a figure
//! 「図 3」 because the model says so, which is what keeps print and HTML equal. Only
//! the page a reference points at is left to typst, since it is known only after
//! layout. Labels are `p{page}-s{step}`, `p{page}-f{figure}`, `p{page}`,
//! `p{page}-h{section}`, `p{page}-b{heading}` (a heading inside text, [`super::anchors`])
//! and `c{chapter}`, unique in a document that holds the whole manual.
//!
//! A large manual is typeset in parts ([`ManualMarkup::part`]), each its own
//! document: references and contents entries look their target up by name
//! (`tejun-page("p3-s2")`), which is typst's layout when the target is in the same
//! document, else the page an earlier pass found ([`Numbering`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::anchors::PageLabels;
use crate::config::Paper;
use crate::model::{
    AlertKind, Align, Block, Callout, Image, Inline, Length, Link, List, Manual, Page, PageId, RefKind, Reference,
    Section, Span, Step, Table, TocNode,
};
use crate::render::markdown::{self, circled_number, is_cjk, reference_text};
use crate::render::wrap::unbreakable_pieces;
use crate::render::{i18n, sanitize};
use crate::source::FileId;

/// The functions the generated markup calls.
const PREAMBLE: &str = include_str!("preamble.typ");

/// Where output documents keep images, inside typst's virtual file system.
pub const ASSET_ROOT: &str = "/assets/";

/// What typst can place as an image, by file extension.
const IMAGE_FORMATS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"];

/// How a document looks, apart from its content.
pub struct Style<'a> {
    pub paper: Paper,
    /// Font families for the document's language, most preferred first.
    pub fonts: &'a [String],
    /// Font families for code.
    pub mono_fonts: &'a [String],
    /// The date on the title page, when one is known.
    pub date: Option<(i32, u8, u8)>,
    /// Whether steps whose source changed after translation are marked.
    pub show_stale: bool,
    /// Which variant's manual this is (`Google Chrome`), when the site has variants.
    pub variant: Option<&'a str>,
    /// The marking stamped on every sheet, the title page's too (社外秘).
    pub classification: Option<&'a str>,
    /// The manual's version, on the title page.
    pub version: Option<&'a str>,
}

#[cfg(test)]
impl<'a> Style<'a> {
    /// A4 in `fonts`, no date, variant, marking or version: what tests start from.
    pub fn plain(fonts: &'a [String]) -> Style<'a> {
        Style {
            paper: crate::config::PAPERS[1],
            fonts,
            mono_fonts: &[],
            date: None,
            show_stale: true,
            variant: None,
            classification: None,
            version: None,
        }
    }
}

/// One document's Typst source.
pub struct Document {
    pub source: String,
    /// Where the generated part of `source` starts, after the preamble.
    pub text_start: usize,
    /// Where each image is called in `source`, and where that image was written in
    /// the Markdown, so that typst's complaint about an image names the writer's line.
    pub images: Vec<(Range<usize>, FileId, Span)>,
}

/// Text that breaks only between its words: each space-separated word in a box, so
/// a large title never splits 「マニュ|アル」 or "Reiss|ue". A word too long for a line
/// is left breakable.
fn unbroken_words(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| if word.chars().count() <= 16 { format!("#box[{}]", escaped(word)) } else { escaped(word) })
        .collect();
    words.join(" ")
}

/// The handout of one page: a title page, then its text and steps.
pub fn page_document(manual: &Manual, id: PageId, style: &Style) -> Document {
    let page = &manual.pages[id];
    let manual_title = manual.language(&page.lang).map_or("", |l| l.title.as_str());
    let mut writer = Writer::new(manual, &page.lang, Some(id), style);
    writer.settings(&page.front.title, manual_title, &page.front.title);
    let titled = page.sections.iter().filter(|s| s.heading.is_some()).count();
    let contents = (titled > 1).then(|| {
        format!(
            "[#text(weight: \"bold\")[{}] #outline(title: none, target: heading.where(level: 2), depth: 2)]",
            escaped(i18n::ui(&page.lang).on_this_page)
        )
    });
    let title = format!("#heading(level: 1)[{}]<p{id}>", escaped(&page.front.title));
    writer.title_page(manual_title, &title, page.front.description.as_deref(), contents);
    writer.out.push_str("#pagebreak()\n");
    writer.page_body(id, 1);
    writer.finish()
}

/// The whole manual in one language as one document: title page, contents, then
/// every page in the order of the table of contents.
pub fn manual_document(manual: &Manual, lang: &str, style: &Style) -> Document {
    let markup = ManualMarkup::new(manual, lang, style);
    markup.part(0..markup.units.len(), &Numbering::default())
}

/// How a document gets the page numbers it prints: its own pages' from typst's
/// layout; in a manual typeset in parts, the other parts' from an earlier pass.
#[derive(Default)]
pub struct Numbering {
    /// Pages of the manual before this document's first one.
    pub offset: usize,
    /// The manual's number of pages; `None`: this document's own.
    pub total: Option<usize>,
    /// The page of each label in another part that this document names.
    pub elsewhere: Vec<(String, usize)>,
    /// The page printed for a label in no part known yet (a first pass's guess).
    pub unknown: usize,
}

impl Numbering {
    /// The definitions the page footer, references and contents call.
    fn markup(&self) -> String {
        let mut out = format!("#let tejun-offset = {}\n#let tejun-unknown = {}\n", self.offset, self.unknown);
        match self.total {
            Some(total) => out.push_str(&format!("#let tejun-total() = {total}\n")),
            None => out.push_str("#let tejun-total() = counter(page).final().first()\n"),
        }
        let pages: Vec<String> =
            self.elsewhere.iter().map(|(label, page)| format!("{}: {page}", string(label))).collect();
        if pages.is_empty() {
            out.push_str("#let tejun-pages = (:)\n");
        } else {
            out.push_str(&format!("#let tejun-pages = ({})\n", pages.join(", ")));
        }
        out.push_str(concat!(
            "#let tejun-page(name) = context {\n",
            "  let found = query(label(name))\n",
            "  if found.len() > 0 { found.first().location().page() + tejun-offset } else { tejun-pages.at(name, default: tejun-unknown) }\n",
            "}\n",
            "#let tejun-link(name, body) = context {\n",
            "  link(if query(label(name)).len() > 0 { label(name) } else { \"",
        ));
        out.push_str(GOTO_SCHEME);
        out.push_str(concat!(
            "\" + name }, body)\n",
            "}\n",
            "#let tejun-contents-entry(level, name, body) = tejun-link(name, tejun-contents-line(level, body, tejun-page(name)))\n",
        ));
        out
    }
}

/// The URI scheme of a link to a label in another part of a manual typeset in
/// parts, made a link inside the joined PDF.
pub const GOTO_SCHEME: &str = "tejun-goto:";

/// A whole manual's markup, in pieces that make either one document or parts: its
/// settings, its front (title page and home page), its contents and its units (a
/// page or a chapter heading each), each unit starting a sheet.
pub struct ManualMarkup {
    /// Preamble, numbering, settings, front and units, one after the other.
    source: String,
    numbering: Range<usize>,
    settings: Range<usize>,
    front: Range<usize>,
    /// Where each unit starts in `source`; the last ends with it.
    pub units: Vec<usize>,
    contents: String,
    /// The labels the contents name.
    contents_labels: Vec<String>,
    images: Vec<(Range<usize>, FileId, Span)>,
    /// Each label a reference names, with where in `source` it does.
    referenced: Vec<(usize, String)>,
    /// The unit of each page's and chapter's labels, by label prefix.
    label_units: HashMap<String, usize>,
}

impl ManualMarkup {
    pub fn new(manual: &Manual, lang: &str, style: &Style) -> ManualMarkup {
        let language = manual.language(lang);
        let manual_title = language.map_or("", |l| l.title.as_str());
        let mut writer = Writer::new(manual, lang, None, style);
        let (numbering, settings) = writer.settings(manual_title, manual_title, "");
        let front_start = writer.out.len();
        let home = language.and_then(|l| l.home);
        let description = home.and_then(|h| manual.pages[h].front.description.as_deref());
        let title = format!("#text(size: 24pt, weight: \"bold\")[{}]", unbroken_words(manual_title));
        writer.title_page("", &title, description, None);
        if let Some(home) = home {
            writer.out.push_str(&format!("#metadata(none)<p{home}>\n"));
        }
        // The home page's introduction leads into the contents, on the same sheet.
        writer.out.push_str("#pagebreak()\n");
        let mut written = vec![false; manual.pages.len()];
        if let Some(home) = home {
            written[home] = true;
            writer.page_body(home, 0);
        }
        let front = front_start..writer.out.len();
        if let Some(language) = language {
            for node in &language.toc {
                writer.toc_node(node, 1, &mut written);
            }
            // Pages the table of contents does not hold still belong in the manual.
            for &id in &language.reading_order {
                if !written[id] {
                    written[id] = true;
                    writer.page_section(id, 1);
                }
            }
        }
        let contents = writer.contents();
        let contents_labels = writer.contents.iter().map(|entry| entry.label.clone()).collect();
        ManualMarkup {
            numbering,
            settings,
            front,
            units: writer.units,
            contents,
            contents_labels,
            images: writer.images,
            referenced: writer.referenced,
            label_units: writer.label_units,
            source: writer.out,
        }
    }

    /// Where unit `unit` is in the source.
    fn unit_range(&self, unit: usize) -> Range<usize> {
        self.units[unit]..self.units.get(unit + 1).copied().unwrap_or(self.source.len())
    }

    /// The markup's size in bytes from unit `unit` on to the next, to share units
    /// out among parts of similar size.
    pub fn unit_len(&self, unit: usize) -> usize {
        self.unit_range(unit).len()
    }

    /// The front's and contents' size in bytes.
    pub fn front_len(&self) -> usize {
        self.front.len() + self.contents.len()
    }

    /// The labels the references in `units` name, and the contents' when the part
    /// holds the front.
    pub fn labels_named(&self, units: &Range<usize>) -> Vec<&str> {
        let span = self.span(units);
        let mut labels: Vec<&str> =
            self.referenced.iter().filter(|(at, _)| span.contains(at)).map(|(_, label)| label.as_str()).collect();
        if units.start == 0 {
            labels.extend(self.referenced.iter().filter(|(at, _)| self.front.contains(at)).map(|(_, l)| l.as_str()));
            labels.extend(self.contents_labels.iter().map(String::as_str));
        }
        labels.sort_unstable();
        labels.dedup();
        labels
    }

    /// Where in the source the unit holding `label` starts (`p3-s2` is page 3's);
    /// `None` for the front's labels.
    pub fn label_at(&self, label: &str) -> Option<usize> {
        let prefix = label.split('-').next()?;
        self.label_units.get(prefix).map(|&unit| self.units[unit])
    }

    /// Where in the source `units` start.
    pub fn start_of(&self, units: &Range<usize>) -> usize {
        self.span(units).start
    }

    /// Where the units are in the source.
    fn span(&self, units: &Range<usize>) -> Range<usize> {
        if units.is_empty() {
            return self.source.len()..self.source.len();
        }
        self.units[units.start]..self.unit_range(units.end - 1).end
    }

    /// One document of `units` (the front and contents first when they start at 0),
    /// numbered as `numbering` says; all units and the default numbering make the
    /// manual's one document.
    pub fn part(&self, units: Range<usize>, numbering: &Numbering) -> Document {
        let mut out = String::with_capacity(self.span(&units).len() + self.front_len() + 64 * 1024);
        let mut images = Vec::new();
        let mut copy = |range: Range<usize>, out: &mut String| {
            let shift = out.len() as isize - range.start as isize;
            images.extend(self.images.iter().filter(|(at, _, _)| range.start <= at.start && at.end <= range.end).map(
                |(at, file, span)| {
                    let at = (at.start as isize + shift) as usize..(at.end as isize + shift) as usize;
                    (at, *file, span.clone())
                },
            ));
            out.push_str(&self.source[range]);
        };
        copy(0..self.numbering.start, &mut out);
        out.push_str(&numbering.markup());
        copy(self.settings.clone(), &mut out);
        if units.start == 0 {
            copy(self.front.clone(), &mut out);
            out.push_str(&self.contents);
        }
        copy(self.span(&units), &mut out);
        Document { source: out, text_start: PREAMBLE.len(), images }
    }
}

/// A heading the manual's contents list.
struct ContentsEntry {
    level: usize,
    label: String,
    /// The heading's text, as markup.
    title: String,
}

struct Writer<'a> {
    manual: &'a Manual,
    lang: &'a str,
    /// The page of a one-page handout; `None` when the document is the whole manual
    /// (in one language), which holds every page a reference can point at.
    only: Option<PageId>,
    style: &'a Style<'a>,
    out: String,
    images: Vec<(Range<usize>, FileId, Span)>,
    /// The page being written, for labels and for where images were written.
    page: PageId,
    /// Bold is a UI label (boxed) except in alerts, where it is emphasis.
    in_alert: bool,
    /// In the cells of a table whose long names and addresses cannot all fit whole,
    /// which break after their dots and slashes ([`crate::render::wrap`]).
    break_long_words: bool,
    /// How many containers (list items, alerts, quotes, footnotes) the writing is
    /// in: a table can turn its page sideways only outside them, as typst sets a
    /// page only at the top of the document.
    nesting: usize,
    /// A sheet turned sideways is open for the table written next: the step or
    /// section it opens went onto that sheet with its title, not left at the foot
    /// of the upright one before.
    sheet_turned: bool,
    /// Where each page or chapter heading starts a sheet in `out`.
    units: Vec<usize>,
    /// The headings the manual's contents list, in order.
    contents: Vec<ContentsEntry>,
    /// Each label a reference names, with where in `out` it does.
    referenced: Vec<(usize, String)>,
    /// The chapters without a page so far, which number their labels.
    chapters: usize,
    /// The unit each page's and chapter's labels are in, by label prefix (`p3`, `c2`).
    label_units: HashMap<String, usize>,
    /// The footnotes written so far, as (page, number).
    footnotes_written: HashSet<(PageId, u32)>,
    /// The labels of the pages' ids, for the pages written or linked to so far.
    page_labels: HashMap<PageId, PageLabels>,
    /// The labels given to headings inside text so far: a heading whose id is
    /// written twice (in a footnote and where it refers) is labelled once.
    headings_labelled: HashSet<String>,
    /// Writing a heading: a link in one prints as its text, without the page, which
    /// would stand in the bookmarks and the contents.
    in_heading: bool,
}

impl<'a> Writer<'a> {
    fn new(manual: &'a Manual, lang: &'a str, only: Option<PageId>, style: &'a Style<'a>) -> Self {
        Writer {
            manual,
            lang,
            only,
            style,
            out: String::with_capacity(16 * 1024),
            images: Vec::new(),
            page: only.unwrap_or(0),
            in_alert: false,
            break_long_words: false,
            sheet_turned: false,
            nesting: 0,
            units: Vec::new(),
            contents: Vec::new(),
            referenced: Vec::new(),
            chapters: 0,
            label_units: HashMap::new(),
            footnotes_written: HashSet::new(),
            page_labels: HashMap::new(),
            headings_labelled: HashSet::new(),
            in_heading: false,
        }
    }

    fn finish(self) -> Document {
        Document { source: self.out, text_start: PREAMBLE.len(), images: self.images }
    }

    /// The preamble, the numbering of one whole document and the document's set
    /// and show rules; returns where the numbering and the rules are in `out`.
    fn settings(&mut self, title: &str, manual_title: &str, running_title: &str) -> (Range<usize>, Range<usize>) {
        let style = self.style;
        let paper = style.paper;
        let (margin_x, margin_y) = margins_mm(paper);
        let primary = self.lang.split('-').next().unwrap_or(self.lang).to_ascii_lowercase();
        let japanese = primary == "ja";
        let out = &mut self.out;
        out.push_str(PREAMBLE);
        let numbering = out.len();
        out.push_str(&Numbering::default().markup());
        let numbering = numbering..out.len();
        let date = match style.date {
            Some((year, month, day)) => format!("datetime(year: {year}, month: {month}, day: {day})"),
            None => "none".to_string(),
        };
        out.push_str(&format!("#set document(title: {}, date: {date})\n", string(title)));
        out.push_str(&format!(
            "#set page(width: {:.1}mm, height: {:.1}mm, margin: (x: {margin_x:.1}mm, top: {:.1}mm, bottom: {margin_y:.1}mm),\n",
            paper.width_mm,
            paper.height_mm,
            margin_y + 4.0
        ));
        // The marking (社外秘) ends the running header, right of the page's title;
        // the title page, which has no header, carries it at the same corner.
        let stamp = style.classification.map(|marking| format!("tejun-classification[{}]", escaped(marking)));
        let (columns, stamp_cell) = match &stamp {
            Some(stamp) => ("(1fr, auto, auto)", format!(", {stamp}")),
            None => ("(1fr, auto)", String::new()),
        };
        out.push_str(&format!(
            "  header: context if here().page() + tejun-offset > 1 {{ set text(size: 8pt, fill: tejun-soft); grid(columns: {columns}, column-gutter: 1em, align: horizon, [{}], [{}]{stamp_cell}); v(-0.4em); line(length: 100%, stroke: 0.4pt + tejun-border) }},\n",
            // Every sheet says which variant's manual it is from: handouts get mixed.
            escaped(&match style.variant {
                Some(variant) => format!("{manual_title} — {variant}"),
                None => manual_title.to_string(),
            }),
            escaped(running_title)
        ));
        out.push_str(
            "  footer: context if here().page() + tejun-offset > 1 { set text(size: 8pt, fill: tejun-soft); align(center)[#(here().page() + tejun-offset) / #tejun-total()] },\n",
        );
        if let Some(stamp) = &stamp {
            out.push_str(&format!(
                "  foreground: context if here().page() + tejun-offset == 1 {{ place(top + right, dx: -{margin_x:.1}mm, dy: {:.1}mm, {stamp}) }},\n",
                margin_y * 0.45,
            ));
        }
        out.push_str(")\n");
        out.push_str(&format!(
            "#set text(lang: {}, font: {}, size: {BODY_SIZE}pt, hyphenate: false)\n",
            string(&primary),
            string_array(style.fonts)
        ));
        out.push_str(&format!(
            "#set par(justify: {japanese}, leading: {}, spacing: 1.1em)\n",
            if japanese { "0.85em" } else { "0.7em" }
        ));
        let mono: Vec<String> = style.mono_fonts.iter().chain(style.fonts).cloned().collect();
        out.push_str(&format!("#show raw: set text(font: {}, size: 8.5pt)\n", string_array(&mono)));
        out.push_str(concat!(
            "#show raw.where(block: true): it => block(width: 100%, fill: luma(247), stroke: 0.5pt + tejun-border, inset: 8pt, radius: 3pt, it)\n",
            "#show link: set text(fill: tejun-accent)\n",
            "#set table(stroke: 0.5pt + tejun-border, inset: 6pt)\n",
            // Justified, a narrow cell of Japanese spreads its few characters apart.
            "#show table.cell: set par(justify: false)\n",

            "#set list(indent: 0.4em, body-indent: 0.6em)\n",
            "#set enum(indent: 0.4em, body-indent: 0.6em)\n",
            // Steps are the headings left out of the contents but bookmarked.
            "#show heading: it => if not it.outlined and it.bookmarked == true {\n",
            "  block(above: 1.6em, below: 0.9em, sticky: true, text(size: 11.5pt, weight: \"bold\", it.body))\n",
            "} else {\n",
            "  let size = (20pt, 15pt, 13pt, 11.5pt).at(calc.min(it.level, 4) - 1)\n",
            "  block(above: 1.8em, below: 1em, sticky: true, width: 100%, {\n",
            "    text(size: size, weight: \"bold\", it.body)\n",
            "    if it.level <= 2 { v(-0.5em); line(length: 100%, stroke: 0.8pt + tejun-accent) }\n",
            "  })\n",
            "}\n",
            "#show outline.entry.where(level: 1): set text(weight: \"bold\")\n",
        ));
        let settings = numbering.end..out.len();
        (numbering, settings)
    }

    /// The first sheet: the manual's title over the title (markup), a description,
    /// optionally a table of contents, and the date.
    fn title_page(&mut self, over_title: &str, title: &str, description: Option<&str>, contents: Option<String>) {
        let ui = i18n::ui(self.lang);
        let over_title = match (over_title, self.style.variant) {
            (over_title, None) => over_title.to_string(),
            ("", Some(variant)) => variant.to_string(),
            (over_title, Some(variant)) => format!("{over_title} — {variant}"),
        };
        let description = description.map_or("none".to_string(), |d| format!("[{}]", escaped(d)));
        let version = self.style.version.map(|version| escaped(&i18n::version(self.lang, version)));
        let date =
            self.style.date.map(|date| format!("{}: {}", escaped(ui.pdf_date), escaped(&i18n::date(self.lang, date))));
        let date = match (version, date) {
            (Some(version), Some(date)) => format!("[{version}#h(2em){date}]"),
            (Some(one), None) | (None, Some(one)) => format!("[{one}]"),
            (None, None) => "none".to_string(),
        };
        self.out.push_str(&format!(
            "#tejun-title-page([{}], [{title}], {description}, {}, {date})\n",
            escaped(&over_title),
            contents.as_deref().unwrap_or("none"),
        ));
    }

    /// A chapter or page of the table of contents and everything below it.
    fn toc_node(&mut self, node: &TocNode, level: usize, written: &mut [bool]) {
        match node.page {
            Some(id) if !written[id] => {
                written[id] = true;
                self.page_section(id, level);
            }
            Some(_) => {}
            None => {
                self.units.push(self.out.len());
                self.chapters += 1;
                let label = format!("c{}", self.chapters);
                self.label_units.insert(label.clone(), self.units.len() - 1);
                let title = escaped(&node.title);
                self.out.push_str(&format!("#pagebreak(weak: true)\n#heading(level: {level})[{title}]<{label}>\n"));
                self.contents.push(ContentsEntry { level, label, title });
            }
        }
        for child in &node.children {
            self.toc_node(child, level + 1, written);
        }
    }

    /// A page inside the whole manual: a new sheet, its title as a heading, its body.
    fn page_section(&mut self, id: PageId, level: usize) {
        let page = &self.manual.pages[id];
        self.units.push(self.out.len());
        self.label_units.insert(format!("p{id}"), self.units.len() - 1);
        let title = escaped(&page.front.title);
        self.out.push_str(&format!("#pagebreak(weak: true)\n#heading(level: {level})[{title}]<p{id}>\n"));
        self.contents.push(ContentsEntry { level, label: format!("p{id}"), title });
        if let Some(description) = &page.front.description {
            self.out.push_str(&format!("#text(fill: tejun-soft)[{}]\n\n", escaped(description)));
        }
        self.page_body(id, level);
    }

    /// A page's introduction, sections and steps; sections are headings one level
    /// below `level`, steps two.
    fn page_body(&mut self, id: PageId, level: usize) {
        self.page = id;
        let page: &'a Page = &self.manual.pages[id];
        self.blocks(&page.intro);
        for (number, section) in page.sections.iter().enumerate() {
            self.section(section, number, level + 1);
        }
    }

    fn section(&mut self, section: &Section, number: usize, level: usize) {
        if let Some(heading) = &section.heading {
            self.turn_sheet_for(&section.intro);
            self.out.push_str(&format!("#heading(level: {level})["));
            let start = self.out.len();
            self.heading_inlines(&heading.content);
            let title = self.out[start..].to_string();
            let label = format!("p{}-h{number}", self.page);
            self.out.push_str(&format!("]<{label}>\n"));
            if self.only.is_none() {
                self.contents.push(ContentsEntry { level, label, title });
            }
        }
        self.blocks(&section.intro);
        for step in &section.steps {
            self.step(step, level + 1);
        }
    }

    /// A step: its number and title kept on one sheet with its screenshot, then its
    /// text and result.
    fn step(&mut self, step: &Step, level: usize) {
        let ui = i18n::ui(self.lang);
        let page = self.page;
        if step.image.is_none() {
            // A screenshot keeps its title on the upright sheet; a title alone goes
            // with the table that is all its step shows.
            self.turn_sheet_for(&step.body);
        }
        self.out.push_str("#block(breakable: false, width: 100%)[\n");
        self.out.push_str(&format!(
            "#heading(level: {level}, outlined: false, bookmarked: true)[#tejun-step-number[{}] #h(0.3em)",
            escaped(&i18n::step_label(self.lang, step.number)),
        ));
        self.heading_inlines(&step.title_inlines);
        self.out.push_str(&format!("]<p{page}-s{}>\n", step.number));
        if step.stale_since.is_some() && self.style.show_stale {
            // A mark in the left margin beside the step, and the note under its title.
            self.out.push_str(&format!("#tejun-stale[{}]\n", escaped(ui.stale_note)));
        }
        if let (Some(image), Some(number)) = (&step.image, step.figure_number) {
            self.figure(image, number, step.caption.as_deref().unwrap_or(&step.title), &step.callouts);
        }
        self.out.push_str("]\n");
        self.blocks(&step.body);
        if let Some(result) = &step.result_inlines {
            self.out.push_str(&format!("#tejun-result([→ {}], [", escaped(ui.result)));
            self.inlines(result);
            self.out.push_str("])\n");
        }
    }

    fn figure(&mut self, image: &Image, number: u32, caption: &str, callouts: &[Callout]) {
        let page = self.page;
        self.out.push_str("#tejun-figure(");
        match (image.frame, self.figure_width_mm(image)) {
            (Some(frame), Some(mm)) if !callouts.is_empty() && self.placeable(image).is_some() => {
                // The callouts go over the image at the image's scale, as in HTML.
                self.out.push_str("box[#");
                self.image(image, ImageFit::Figure);
                self.callouts(callouts, frame, mm / frame[2]);
                self.out.push(']');
            }
            _ => self.image(image, ImageFit::Figure),
        }
        self.out.push_str(&format!(
            ", [{}], [{}])<p{page}-f{number}>\n",
            escaped(&i18n::figure_label(self.lang, number)),
            escaped(caption)
        ));
    }

    /// Boxes and numbered markers placed over an image whose own coordinates are
    /// `frame`, `scale` millimetres per unit, in the colour HTML draws them.
    fn callouts(&mut self, callouts: &[Callout], [left, top, _, _]: [f64; 4], scale: f64) {
        const RADIUS_MM: f64 = 2.6;
        for (i, callout) in callouts.iter().enumerate() {
            if let Callout::Box(r) = callout {
                self.out.push_str(&format!(
                    "#place(top + left, dx: {:.2}mm, dy: {:.2}mm, rect(width: {:.2}mm, height: {:.2}mm, stroke: 1.2pt + tejun-callout, radius: 0.6mm))",
                    (r.x - left) * scale,
                    (r.y - top) * scale,
                    r.width * scale,
                    r.height * scale
                ));
            }
            let (x, y) = callout.marker_center(RADIUS_MM / scale);
            self.out.push_str(&format!(
                "#place(top + left, dx: {:.2}mm, dy: {:.2}mm, circle(radius: {RADIUS_MM}mm, fill: white, inset: 0pt, align(center + horizon, text(size: {:.2}mm, fill: tejun-callout, weight: \"bold\", top-edge: \"bounds\", bottom-edge: \"bounds\")[{}])))",
                (x - left) * scale - RADIUS_MM,
                (y - top) * scale - RADIUS_MM,
                RADIUS_MM * 1.9,
                crate::render::markdown::circled_number(i as u64 + 1)
            ));
        }
    }

    /// The image's file as the PDF gets it, when typst can place its format.
    fn placeable<'i>(&self, image: &'i Image) -> Option<&'i str> {
        image.published_asset().filter(|asset| {
            let extension = asset.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            IMAGE_FORMATS.contains(&extension.as_str())
        })
    }

    /// An `image(…)` call, or the alt text in a frame where typst cannot place the
    /// file (a remote URL, an unknown format).
    fn image(&mut self, image: &Image, fit: ImageFit) {
        let Some(asset) = self.placeable(image) else {
            let alt = if image.alt.is_empty() { &image.src } else { &image.alt };
            self.out.push_str(&format!(
                "box(stroke: 0.5pt + tejun-border, inset: (x: 0.4em, y: 0.2em), text(fill: tejun-soft)[{}])",
                escaped(alt)
            ));
            return;
        };
        let start = self.out.len();
        let path = string(&format!("{ASSET_ROOT}{asset}"));
        match fit {
            ImageFit::Figure => {
                let width = self.figure_width(image);
                self.out.push_str(&format!("image({path}, width: {width})"));
            }
            // As wide as a figure would be, or as the cell or line holds.
            ImageFit::Picture => {
                let width =
                    self.figure_width_mm(image).map_or_else(|| "size.width".to_string(), |mm| format!("{mm:.1}mm"));
                self.out.push_str(&format!("box(layout(size => image({path}, width: calc.min({width}, size.width))))"));
            }
            ImageFit::Icon => self.out.push_str(&format!("box(baseline: 0.2em, image({path}, height: 1.15em))")),
        }
        let file = self.manual.pages[self.page].file;
        self.images.push((start..self.out.len(), file, image.span.clone()));
    }

    /// A screenshot at about 70% of its size on a 96-dpi screen (640 pixels print 118
    /// mm wide), or at the size the writer gave it (pixels scaled alike), never wider
    /// than the text nor taller than about half the sheet, so that a step's heading
    /// and screenshot fit on one sheet.
    fn figure_width(&self, image: &Image) -> String {
        self.figure_width_mm(image).map_or_else(|| "70%".to_string(), |mm| format!("{mm:.1}mm"))
    }

    fn figure_width_mm(&self, image: &Image) -> Option<f64> {
        let paper = self.style.paper;
        let (margin_x, margin_y) = margins_mm(paper);
        let text_width = paper.width_mm - 2.0 * margin_x;
        let text_height = paper.height_mm - 2.0 * margin_y - 20.0;
        let size = image.size.filter(|(w, h)| *w > 0 && *h > 0);
        let screen_mm = |px: f64| px * 25.4 / 96.0 * 0.7;
        let mut mm = match (crate::render::requested_width(image), size) {
            (Some(Length::Pixels(px)), _) => screen_mm(px),
            (Some(Length::Millimetres(mm)), _) => mm,
            (Some(Length::Percent(share)), _) => text_width * share / 100.0,
            (None, Some((width, _))) => screen_mm(f64::from(width)),
            (None, None) => return None,
        }
        .min(text_width);
        let tallest = text_height * 0.5;
        if let Some((width, height)) = size
            && mm * f64::from(height) / f64::from(width) > tallest
        {
            mm = tallest * f64::from(width) / f64::from(height);
        }
        Some((mm * 10.0).round() / 10.0)
    }

    fn blocks(&mut self, blocks: &[Block]) {
        let mut at = 0;
        while at < blocks.len() {
            if let Some((align, end)) = aligned_blocks(blocks, at) {
                self.wrap(&format!("#align({align})[\n"), &blocks[at + 1..end], "]\n");
                at = end + 1;
                continue;
            }
            self.block(&blocks[at]);
            at += 1;
        }
    }

    /// `before`, `blocks`, `after`: blocks as the content argument of a call.
    fn wrap(&mut self, before: &str, blocks: &[Block], after: &str) {
        self.out.push_str(before);
        self.nesting += 1;
        self.blocks(blocks);
        self.nesting -= 1;
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out.push_str(after);
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(inlines) => {
                self.inlines(inlines);
                self.out.push_str("\n\n");
            }
            Block::Plain(inlines) => {
                self.inlines(inlines);
                self.out.push('\n');
            }
            Block::Heading { level, content, id } => {
                let size = match level {
                    0..=3 => "12pt",
                    4 => "11pt",
                    _ => "10pt",
                };
                self.out.push_str(&format!("#tejun-subheading({size})["));
                self.heading_inlines(content);
                self.out.push(']');
                if let Some(label) = self.subheading_label(id) {
                    self.out.push_str(&format!("<{label}>"));
                }
                self.out.push('\n');
            }
            Block::List(list) => self.list(list),
            // Paper shows a folded alert whole.
            Block::Alert { kind, blocks, .. } => {
                let was = std::mem::replace(&mut self.in_alert, true);
                let (label, body) = i18n::alert_heading(self.lang, *kind, blocks);
                let before = format!("#tejun-alert({}, [{}], [", string(alert_key(*kind)), escaped(label));
                self.wrap(&before, body, "])\n");
                self.in_alert = was;
            }
            Block::Quote(blocks) => self.wrap("#quote(block: true)[", blocks, "]\n"),
            Block::Code(code) => {
                if let Some(title) = &code.title {
                    // The file's name stays on the sheet of its code.
                    self.out.push_str(&format!(
                        "#block(sticky: true, below: 4pt, text(size: 8.5pt, weight: \"bold\")[{}])\n",
                        escaped(title)
                    ));
                }
                let lang = code.lang.as_deref().map_or_else(String::new, |l| format!(", lang: {}", string(l)));
                self.out.push_str(&format!("#raw(block: true{lang}, {})\n", string(code.code.trim_end_matches('\n'))));
            }
            Block::Table(table) => self.table(table),
            // A term in bold, its definitions indented under it.
            Block::Definitions(items) => {
                for item in items {
                    match item.term {
                        true => {
                            self.wrap("#block(above: 0.9em, below: 0.5em, sticky: true, strong[", &item.blocks, "])\n")
                        }
                        false => self.wrap("#pad(left: 1.5em)[", &item.blocks, "]\n"),
                    }
                }
            }
            Block::Figure(figure) => {
                self.figure(&figure.image, figure.number, figure.caption.as_deref().unwrap_or(&figure.image.alt), &[])
            }
            Block::Rule => self.out.push_str("#line(length: 100%, stroke: 0.5pt + tejun-border)\n"),
            Block::Html(html) => self.raw_html(html),
            Block::Variant(variant) => variant.blocks.iter().for_each(|block| self.block(block)),
        }
    }

    /// Raw HTML cannot be typeset; its words are printed, line by line, a `<summary>`
    /// or a tab's label in bold, the items of its lists indented under their bullets
    /// or numbers, a definition under its term.
    fn raw_html(&mut self, html: &str) {
        if let Some(table) = sanitize::spanned_table(html) {
            self.spanned_table(&table);
            return;
        }
        let lines = sanitize::lines_of(html);
        let words = |line: &sanitize::TextLine| html_words(&line.text, line.bold);
        if lines.iter().all(|line| line.depth == 0 && line.marker.is_none()) {
            if !lines.is_empty() {
                let lines = lines.iter().map(words).collect::<Vec<String>>().join("#linebreak()");
                match sanitize::alignment(html) {
                    Some(align) => self.out.push_str(&format!("#align({align})[{lines}]\n\n")),
                    None => self.out.push_str(&format!("{lines}\n\n")),
                }
            }
            return;
        }
        self.out.push_str("#tejun-html-lines(\n");
        for line in &lines {
            let marker = line.marker.as_deref().map_or_else(|| "none".to_string(), string);
            self.out.push_str(&format!("  ({}, {marker}, [{}]),\n", line.depth, words(line)));
        }
        self.out.push_str(")\n\n");
    }

    /// A raw HTML table whose cells span rows or columns, as a table: its header rows
    /// (bold, as its `<th>` cells are) repeated on each sheet it runs onto, a cell's
    /// lines (`<br>`, its paragraphs and list items) kept.
    fn spanned_table(&mut self, table: &sanitize::SpannedTable) {
        if !table.caption.is_empty() {
            self.out.push_str(&format!("#block(sticky: true)[#strong[{}]]\n", escaped(&table.caption)));
        }
        self.out.push_str(&format!("#table(columns: {},\n", table.columns));
        for (r, row) in table.rows.iter().enumerate() {
            if r == 0 && table.header_rows > 0 {
                self.out.push_str("  table.header(\n");
            }
            self.out.push_str("  ");
            for cell in row {
                let bold = cell.header || r < table.header_rows;
                let lines: Vec<String> = cell
                    .lines
                    .iter()
                    .map(|line| match &line.marker {
                        Some(marker) => html_words(&format!("{marker} {}", line.text), bold || line.bold),
                        None => html_words(&line.text, bold || line.bold),
                    })
                    .collect();
                let content = lines.join("#linebreak()");
                match (cell.rowspan, cell.colspan) {
                    (1, 1) => self.out.push_str(&format!("[{content}], ")),
                    (rows, columns) => {
                        self.out.push_str(&format!("table.cell(rowspan: {rows}, colspan: {columns})[{content}], "))
                    }
                }
            }
            self.out.push('\n');
            if r + 1 == table.header_rows {
                self.out.push_str("  ),\n");
            }
        }
        self.out.push_str(")\n");
    }

    fn list(&mut self, list: &List) {
        match (list.start, list.substeps) {
            (Some(start), true) => {
                self.out.push_str("#tejun-substeps(\n");
                for (i, item) in list.items.iter().enumerate() {
                    let marker = circled_number(start + i as u64);
                    self.wrap(&format!("  ([{}], [", escaped(&marker)), &item.blocks, "]),\n");
                }
                self.out.push_str(")\n");
            }
            (start, _) => {
                match start {
                    Some(start) => self.out.push_str(&format!("#enum(start: {start},\n")),
                    None => self.out.push_str("#list(\n"),
                }
                for item in &list.items {
                    let check = match item.checked {
                        Some(true) => "☑ ",
                        Some(false) => "☐ ",
                        None => "",
                    };
                    self.wrap(&format!("  [{check}"), &item.blocks, "],\n");
                }
                self.out.push_str(")\n");
            }
        }
    }

    fn table(&mut self, table: &Table) {
        let (columns, layout) = self.table_layout(table);
        let align: Vec<&str> = (0..columns)
            .map(|c| match table.align.get(c) {
                Some(Align::Left) => "left",
                Some(Align::Center) => "center",
                Some(Align::Right) => "right",
                _ => "auto",
            })
            .collect();
        let smaller = layout.size < BODY_SIZE;
        if layout.sideways && !std::mem::take(&mut self.sheet_turned) {
            self.turn_sheet();
        }
        if let Some(caption) = &table.caption {
            self.out.push_str(&format!(
                "#tejun-table-caption([{}], [{}])<p{}-t{}>\n",
                escaped(&i18n::table_label(self.lang, caption.number)),
                escaped(&caption.text),
                self.page,
                caption.number
            ));
        }
        if smaller {
            self.out.push_str(&format!("#[#set text(size: {}pt)\n", layout.size));
        }
        self.out.push_str(&format!("#table(columns: {}, align: ({},),\n", layout.columns, align.join(", ")));
        self.break_long_words = layout.break_long_words;
        if !table.head.is_empty() {
            self.out.push_str("  table.header(");
            self.cells(&table.head, columns, true);
            self.out.push_str("),\n");
        }
        for row in &table.rows {
            self.out.push_str("  ");
            self.cells(row, columns, false);
            self.out.push('\n');
        }
        self.out.push_str(")\n");
        if smaller {
            self.out.push_str("]\n");
        }
        if layout.sideways {
            self.out.push_str("]\n");
        }
        self.break_long_words = false;
    }

    /// How many columns `table` has and how it prints where the writing is.
    fn table_layout(&self, table: &Table) -> (usize, TableLayout) {
        let columns = table.head.len().max(table.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let paper = self.style.paper;
        let (margin_x, _) = margins_mm(paper);
        // In ems of the 10pt text (a point is 0.3528 mm), less a little for indents.
        let ems = |text_width_mm: f64| text_width_mm / 3.528 * 0.95;
        let sideways = (self.nesting == 0).then(|| ems(paper.height_mm - 2.0 * margin_x));
        let pictures = |image: &Image| self.figure_width_mm(image);
        (columns, table_layout(table, columns, ems(paper.width_mm - 2.0 * margin_x), sideways, &pictures))
    }

    /// Opens a sheet of its own, turned sideways, for the table that comes first in
    /// `blocks` when that table prints sideways. The title written next goes on that
    /// sheet with the table.
    fn turn_sheet_for(&mut self, blocks: &[Block]) {
        if matches!(blocks.first(), Some(Block::Table(table)) if self.table_layout(table).1.sideways) {
            self.turn_sheet();
            self.sheet_turned = true;
        }
    }

    /// A sheet of its own, turned: its header and page number as on the others.
    /// The table that turned it closes it.
    fn turn_sheet(&mut self) {
        self.out.push_str("#page(flipped: true)[\n");
    }

    /// One row's cells, `bold` in a header: a table without one (Pandoc's between two
    /// rules of dashes, HTML's without `<th>`) starts with a row like the others.
    fn cells(&mut self, cells: &[Vec<Inline>], columns: usize, bold: bool) {
        let (open, close) = if bold { ("[#strong[", "]], ") } else { ("[", "], ") };
        for c in 0..columns {
            self.out.push_str(open);
            if let Some(cell) = cells.get(c) {
                self.inlines(cell);
            }
            self.out.push_str(close);
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        // Inline HTML's elements open here close here too, or at the end.
        let mut open_elements: Vec<(&'static str, &'static str)> = Vec::new();
        // Past the end of a ruby printed whole.
        let mut ruby_end = 0;
        for (i, inline) in inlines.iter().enumerate() {
            if i < ruby_end {
                continue;
            }
            if let Inline::Html(html) = inline {
                if let Some(end) = ruby_closed_at(inlines, i) {
                    self.ruby(&inlines[i + 1..end]);
                    ruby_end = end + 1;
                    continue;
                }
                self.inline_html(html, &mut open_elements);
                continue;
            }
            if let Inline::SoftBreak = inline {
                // typst makes a line break in markup a space; between two Japanese
                // characters the writer's line break is no space at all.
                if !markdown::soft_break_is_nothing(self.manual, self.lang, inlines, i) {
                    self.out.push(' ');
                }
                continue;
            }
            if let (Inline::Text(text), Some(Inline::Ref(previous))) = (inline, i.checked_sub(1).map(|p| &inlines[p])) {
                // 「手順 7（5 ページ） の操作」: the space the writer left after the
                // reference looks stray once the page in brackets closes it.
                let mut chars = text.chars();
                if self.page_added(previous) && chars.next() == Some(' ') && chars.next().is_some_and(is_cjk) {
                    escape_into(&text[1..], &mut self.out);
                    continue;
                }
            }
            self.inline(inline);
        }
        for (_, closing) in open_elements {
            self.out.push_str(closing);
        }
    }

    /// A tag of inline HTML as typst markup: `<br>` a line break, `<kbd>` a key,
    /// `<b>`, `<i>`, `<sup>`, `<sub>`, `<u>`, `<s>`, `<mark>` what they show on
    /// screen, `<font color>` and a `<span>`'s colours, bold, italic and underline
    /// in them; other tags are dropped, their text kept. Japanese manuals break
    /// lines in table cells with `<br>`, name keys with `<kbd>` and mark what must
    /// not be missed in red.
    fn inline_html(&mut self, html: &str, open_elements: &mut Vec<(&'static str, &'static str)>) {
        let Some((name, closing)) = sanitize::inline_tag(html) else { return };
        if name == "br" {
            self.out.push_str("#linebreak()");
            return;
        }
        let element = match (name.as_str(), closing) {
            ("font" | "span", false) => {
                if let Some((opening, closes)) = look_markup(html) {
                    self.out.push_str(&opening);
                    open_elements.push((if name == "font" { "font" } else { "span" }, closes));
                }
                return;
            }
            ("font", true) => "font",
            ("span", true) => "span",
            _ => {
                let Some(&(element, opening)) = INLINE_ELEMENTS.iter().find(|(element, _)| *element == name) else {
                    return;
                };
                if !closing {
                    self.out.push_str(opening);
                    open_elements.push((element, "]"));
                    return;
                }
                element
            }
        };
        // Elements opened since, left open, close with it.
        if let Some(position) = open_elements.iter().rposition(|(open, _)| *open == element) {
            for (_, closing) in open_elements.drain(position..) {
                self.out.push_str(closing);
            }
        }
    }

    /// What is between `<ruby>` and `</ruby>`, as the text with its reading in small
    /// type above it, for each reading (`<ruby>暗証<rt>あんしょう</rt></ruby>`, or
    /// one a kanji, as Word writes them). `<rp>`'s brackets are for browsers that
    /// cannot show a reading above; on paper it is above.
    fn ruby(&mut self, content: &[Inline]) {
        let (mut base, mut reading) = (Vec::new(), Vec::new());
        let (mut in_reading, mut in_brackets) = (false, false);
        for inline in content {
            let tag = match inline {
                Inline::Html(html) => sanitize::inline_tag(html),
                _ => None,
            };
            match tag.as_ref().map(|(name, closing)| (name.as_str(), *closing)) {
                Some(("rp", closing)) => in_brackets = !closing,
                Some(("rt", false)) => in_reading = true,
                Some(("rt", true)) => {
                    self.ruby_pair(&std::mem::take(&mut base), &std::mem::take(&mut reading));
                    in_reading = false;
                }
                _ if in_brackets => {}
                _ if in_reading => reading.push(inline.clone()),
                _ => base.push(inline.clone()),
            }
        }
        if !base.is_empty() || !reading.is_empty() {
            self.ruby_pair(&base, &reading);
        }
    }

    fn ruby_pair(&mut self, base: &[Inline], reading: &[Inline]) {
        self.out.push_str("#tejun-ruby[");
        self.inlines(base);
        self.out.push_str("][");
        self.inlines(reading);
        self.out.push(']');
    }

    /// Whether a reference is printed with a page in full-width brackets.
    fn page_added(&self, reference: &Reference) -> bool {
        let (_, after) = i18n::page_reference(self.lang);
        after.ends_with('）') && reference.target.as_ref().is_some_and(|t| self.in_document(t.page))
    }

    /// Whether a page is in this document, so that references to it get its page.
    fn in_document(&self, page: PageId) -> bool {
        match self.only {
            Some(only) => page == only,
            None => self.manual.pages[page].lang == self.lang,
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            // An empty box between the pieces: a line may break at a box, and unlike
            // a zero-width space it adds nothing to the text a reader copies.
            Inline::Text(text) if self.break_long_words => {
                for (i, piece) in unbreakable_pieces(text).enumerate() {
                    if i > 0 {
                        self.out.push_str(BREAK_HERE);
                    }
                    escape_into(piece, &mut self.out);
                }
            }
            Inline::Text(text) => escape_into(text, &mut self.out),
            Inline::Code(code) if self.break_long_words => {
                let pieces: Vec<String> =
                    unbreakable_pieces(code).map(|piece| format!("#raw({})", string(piece))).collect();
                self.out.push_str(&pieces.join(BREAK_HERE));
            }
            Inline::Code(code) => self.out.push_str(&format!("#raw({})", string(code))),
            Inline::Strong(content) => {
                self.out.push_str(if self.in_alert { "#strong[" } else { "#tejun-ui[" });
                self.inlines(content);
                self.out.push(']');
            }
            Inline::Emphasis(content) => {
                self.out.push_str("#emph[");
                self.inlines(content);
                self.out.push(']');
            }
            Inline::Strikethrough(content) => {
                self.out.push_str("#strike[");
                self.inlines(content);
                self.out.push(']');
            }
            Inline::Link(link) if link.target.as_ref().is_some_and(|target| self.in_document(target.page)) => {
                self.link_inside(link)
            }
            Inline::Link(link) => {
                let dest = link.dest.trim();
                // Only addresses that mean the same from a sheet of paper or a PDF
                // on any disk are links: no relative paths, no `javascript:`.
                let scheme = dest.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
                if !matches!(scheme.as_deref(), Some("http" | "https" | "mailto" | "tel")) {
                    self.inlines(&link.content);
                } else {
                    self.out.push_str(&format!("#link({})[", string(dest)));
                    if link.content.is_empty() {
                        escape_into(dest, &mut self.out);
                    } else {
                        self.inlines(&link.content);
                    }
                    self.out.push(']');
                }
            }
            Inline::Ref(reference) => self.reference(reference),
            Inline::Image(image) => {
                self.out.push('#');
                let fit = if crate::render::shows_at_size(image) { ImageFit::Picture } else { ImageFit::Icon };
                self.image(image, fit);
            }
            Inline::SoftBreak => self.out.push(' '),
            Inline::HardBreak => self.out.push_str("#linebreak()"),
            // Read with their neighbours, in `inlines`.
            Inline::Html(_) => {}
            Inline::FootnoteRef(number) => self.footnote(*number),
        }
    }

    /// A heading's text, where links print without their pages.
    fn heading_inlines(&mut self, inlines: &[Inline]) {
        let was = std::mem::replace(&mut self.in_heading, true);
        self.inlines(inlines);
        self.in_heading = was;
    }

    /// The labels of page `page`'s ids, worked out the first time they are asked for.
    fn labels_of(&mut self, page: PageId) -> &PageLabels {
        self.page_labels.entry(page).or_insert_with(|| PageLabels::of(&self.manual.pages[page], page))
    }

    /// The label of the heading inside text with id `id` on the page being written,
    /// the first time it is written.
    fn subheading_label(&mut self, id: &str) -> Option<String> {
        let label = self.labels_of(self.page).heading(id)?.to_string();
        self.headings_labelled.insert(label.clone()).then_some(label)
    }

    /// A link to a page of this document, or to an id on one: a link to where it
    /// lands, with its page, as a reference prints — 「設定（7 ページ）」.
    fn link_inside(&mut self, link: &Link) {
        let Some(target) = &link.target else { return };
        let label = self.labels_of(target.page).label(target.fragment.as_deref());
        match label.filter(|_| !self.in_heading) {
            Some(label) => self.linked_with_page(label, |writer| writer.inlines(&link.content)),
            None => self.inlines(&link.content),
        }
    }

    /// A footnote at the foot of the sheet that refers to it first; a later reference
    /// gives its number again.
    fn footnote(&mut self, number: u32) {
        let page = self.page;
        let label = format!("tejun-fn-{page}-{number}");
        if !self.footnotes_written.insert((page, number)) {
            self.out.push_str(&format!("#footnote(<{label}>)"));
            return;
        }
        let Some(footnote) = self.manual.pages[page].footnotes.iter().find(|f| f.number == number) else { return };
        self.out.push_str("#footnote[");
        self.nesting += 1;
        self.blocks(&footnote.blocks);
        self.nesting -= 1;
        self.out.push_str(&format!("]<{label}>"));
    }

    /// A cross-reference: the HTML's text, and, when the target is in this
    /// document, a link to it and the page it is on.
    fn reference(&mut self, reference: &Reference) {
        let Some(target) = &reference.target else {
            self.inlines(&reference.content);
            return;
        };
        let here = self.in_document(target.page);
        let text = |writer: &mut Self| {
            if reference.content.is_empty() {
                escape_into(&reference_text(writer.manual, writer.lang, reference), &mut writer.out);
            } else {
                writer.inlines(&reference.content);
            }
        };
        if !here {
            // A handout of one page cannot know the page numbers of another PDF: the
            // reference reads as in HTML (「…」の手順 3), and manual.pdf has the page.
            text(self);
            return;
        }
        let label = match reference.kind {
            RefKind::Step => format!("p{}-s{}", target.page, target.number),
            RefKind::Figure => format!("p{}-f{}", target.page, target.number),
            RefKind::Table => format!("p{}-t{}", target.page, target.number),
            RefKind::Page => format!("p{}", target.page),
        };
        self.linked_with_page(label, text);
    }

    /// `text`, written by `write`, as a link to `label` followed by its page:
    /// 「手順 19（7 ページ）」.
    fn linked_with_page(&mut self, label: String, write: impl FnOnce(&mut Self)) {
        let (before, after) = i18n::page_reference(self.lang);
        let name = string(&label);
        self.referenced.push((self.out.len(), label));
        self.out.push_str(&format!("#tejun-link({name})["));
        write(self);
        self.out.push_str(&format!("{}#tejun-page({name}){}]", escaped(before), escaped(after)));
    }

    /// The manual's contents: a heading and a line for each heading down to the
    /// third level, linked, with its page.
    /// None when the manual is its home page alone.
    fn contents(&self) -> String {
        let mut entries = self.contents.iter().filter(|entry| entry.level <= 3).peekable();
        if entries.peek().is_none() {
            return String::new();
        }
        let mut out = format!("#heading(level: 1, outlined: false)[{}]\n", escaped(i18n::ui(self.lang).contents));
        for entry in entries {
            out.push_str(&format!(
                "#tejun-contents-entry({}, {}, [{}])\n",
                entry.level,
                string(&entry.label),
                entry.title
            ));
        }
        out
    }
}

/// The markup that sets the text after an opening `<font>` or `<span>` as it looks
/// (`#highlight(fill: …)[#text(fill: …)[#strong[`), and what closes it; `None` when
/// it sets nothing tejun keeps.
fn look_markup(html: &str) -> Option<(String, &'static str)> {
    let look = sanitize::tag_look(html);
    let openings: Vec<String> = [
        look.background.map(|background| format!("#highlight(fill: rgb(\"{background}\"))[")),
        look.color.map(|color| format!("#text(fill: rgb(\"{color}\"))[")),
        look.bold.then(|| "#strong[".to_string()),
        look.italic.then(|| "#emph[".to_string()),
        look.underline.then(|| "#underline[".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!openings.is_empty()).then(|| (openings.concat(), &"]]]]]"[..openings.len()]))
}

/// Markdown inside an aligned element of raw HTML (`<div align="center">`, a blank
/// line, `**社外秘**`, `</div>`, as pages from GitHub and HTML exports centre a line):
/// the alignment and where the block that closes the element is, when `blocks[at]`
/// opens one and a later block of the same list closes it, neither with text.
fn aligned_blocks(blocks: &[Block], at: usize) -> Option<(&'static str, usize)> {
    let Block::Html(opening) = &blocks[at] else { return None };
    let align = sanitize::alignment(opening)?;
    let mut open = Vec::new();
    sanitize::track_open_elements(opening, &mut open);
    let depth = open.len().checked_sub(1)?;
    if !sanitize::lines_of(opening).is_empty() {
        return None;
    }
    for (offset, block) in blocks[at + 1..].iter().enumerate() {
        let Block::Html(html) = block else { continue };
        sanitize::track_open_elements(html, &mut open);
        if open.len() <= depth {
            return sanitize::lines_of(html).is_empty().then_some((align, at + 1 + offset));
        }
    }
    None
}

/// Where the `</ruby>` is that closes a `<ruby>` at `inlines[at]`, if it is one and
/// it is closed.
fn ruby_closed_at(inlines: &[Inline], at: usize) -> Option<usize> {
    let is_tag = |inline: &Inline, closing: bool| match inline {
        Inline::Html(html) => sanitize::inline_tag(html).is_some_and(|(name, c)| name == "ruby" && c == closing),
        _ => false,
    };
    if !is_tag(&inlines[at], false) {
        return None;
    }
    inlines[at + 1..].iter().position(|inline| is_tag(inline, true)).map(|offset| at + 1 + offset)
}

#[derive(Clone, Copy)]
enum ImageFit {
    Figure,
    /// An image in running text taller than an icon (a screenshot in a table's cell).
    Picture,
    Icon,
}

/// A sheet's margins in millimetres, at the sides and at the top and bottom: a tenth
/// and about a thirteenth of the sheet, within what A6 to A3 print well with.
fn margins_mm(paper: Paper) -> (f64, f64) {
    ((paper.width_mm * 0.1).clamp(12.0, 22.0), (paper.height_mm * 0.075).clamp(14.0, 24.0))
}

/// A line of raw HTML's words as markup, in bold when it is.
fn html_words(text: &str, bold: bool) -> String {
    let text = escaped(text);
    if bold { format!("#strong[{text}]") } else { text }
}

fn alert_key(kind: AlertKind) -> &'static str {
    kind.as_str()
}

/// How a table prints: its `columns` (typst's), whether its cells' long words
/// break after their dots and slashes, its text size in points, and whether it is
/// on a sheet of its own turned sideways (landscape).
struct TableLayout {
    columns: String,
    break_long_words: bool,
    size: f64,
    sideways: bool,
}

/// The body text's size, and a crowded table's: one whose columns cannot all have
/// two or three characters of Japanese a line at the body's size (ten columns of a
/// data file's fields, a description among them) is set smaller, as such tables are
/// in Word, rather than leave its description a character a line.
const BODY_SIZE: f64 = 10.0;
const CROWDED_TABLE_SIZE: f64 = 9.0;

/// How much more room than a portrait sheet has a table must want to be turned
/// sideways: a column or two a character short is better than a sheet of its own.
const TURN_WHEN_OVER: f64 = 1.1;

/// How `table` prints in `available` ems of the body text: at the body's size, or
/// smaller when it is crowded there ([`CROWDED_TABLE_SIZE`]). A table still well
/// over crowded at the smaller size with its long names broken (fourteen columns of
/// a record layout) goes on a sheet turned sideways, `sideways` ems wide, when it
/// may (`None` inside a list item or an alert), as a writer would in Word.
/// `pictures` gives how wide, in millimetres, an image shown at its size in a cell
/// prints (a screenshot).
fn table_layout(
    table: &Table,
    columns: usize,
    available: f64,
    sideways: Option<f64>,
    pictures: &dyn Fn(&Image) -> Option<f64>,
) -> TableLayout {
    let scale = BODY_SIZE / CROWDED_TABLE_SIZE;
    let body = ColumnWidths::measure(table, columns, BODY_SIZE, pictures);
    if !body.crowded(available) {
        return body.layout(available, BODY_SIZE, false);
    }
    let small = ColumnWidths::measure(table, columns, CROWDED_TABLE_SIZE, pictures);
    match sideways {
        Some(sideways) if small.crowded_broken(available * scale * TURN_WHEN_OVER) => match body.crowded(sideways) {
            false => body.layout(sideways, BODY_SIZE, true),
            true => small.layout(sideways * scale, CROWDED_TABLE_SIZE, true),
        },
        _ => small.layout(available * scale, CROWDED_TABLE_SIZE, false),
    }
}

/// What each column of a table needs, in ems of its text: at least (its longest
/// word), at least when long words break after their dots and slashes, and all its
/// text on one line.
struct ColumnWidths {
    least: Vec<f64>,
    least_broken: Vec<f64>,
    wanted: Vec<f64>,
    /// Each column's header on one line.
    header: Vec<f64>,
    /// A cell's inset, 6pt on each side, and a tenth of an em: a column exactly as
    /// wide as its text breaks its line at a rounding.
    inset: f64,
}

impl ColumnWidths {
    fn measure(table: &Table, columns: usize, size: f64, pictures: &dyn Fn(&Image) -> Option<f64>) -> ColumnWidths {
        // Widths in ems: each ASCII character as wide as it is in the built-in font,
        // anything else a kanji's em; code is in 8.5 pt of a font whose Latin letters
        // are half an em.
        let code_scale = 8.5 / size;
        let width = |text: &str, code: bool| -> f64 {
            if code {
                text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum::<f64>() * code_scale
            } else {
                text.chars().map(|c| ascii_width(c).unwrap_or(1.0)).sum()
            }
        };
        let inset = 12.0 / size + 0.1;
        let mut widths = ColumnWidths {
            least: vec![inset + 1.0; columns],
            least_broken: vec![inset + 1.0; columns],
            wanted: vec![inset + 1.0; columns],
            header: vec![0.0; columns],
            inset,
        };
        for (c, cell) in table.head.iter().enumerate().take(columns) {
            widths.header[c] = width(&crate::parse::markdown::plain_text(cell), false) + inset;
        }
        for row in std::iter::once(&table.head).chain(&table.rows) {
            for (c, cell) in row.iter().enumerate().take(columns) {
                let text = crate::parse::markdown::plain_text(cell);
                let code = cell.iter().all(|inline| matches!(inline, Inline::Code(_)));
                let words = || text.split(|ch: char| ch.is_whitespace() || !ch.is_ascii());
                let longest = words().map(|word| width(word, code)).fold(0.0, f64::max);
                widths.least[c] = widths.least[c].max(longest + inset);
                let piece = words().flat_map(unbreakable_pieces).map(|piece| width(piece, code)).fold(0.0, f64::max);
                widths.least_broken[c] = widths.least_broken[c].max(piece + inset);
                widths.wanted[c] = widths.wanted[c].max(width(&text, code) + inset);
                // A screenshot wants its width and gets the column's when that is less.
                let picture_mm = cell_pictures(cell).filter_map(pictures).fold(0.0, f64::max);
                if picture_mm > 0.0 {
                    let ems = picture_mm / (size * MM_PER_POINT);
                    widths.wanted[c] = widths.wanted[c].max(ems + inset);
                    let least = ems.min(PICTURE_LEAST_EMS) + inset;
                    widths.least[c] = widths.least[c].max(least);
                    widths.least_broken[c] = widths.least_broken[c].max(least);
                }
            }
        }
        widths
    }

    /// Each column `least` wide, and as far as its text goes, three characters, or
    /// its header's if that is four (開始位置 reads badly as 開始位 over 置).
    fn comfortable(&self, least: &[f64]) -> Vec<f64> {
        let three = 3.0 + self.inset;
        let short_header = |header: f64| if header <= 4.0 + self.inset { header } else { 0.0 };
        (0..least.len()).map(|c| least[c].max(self.wanted[c].min(three.max(short_header(self.header[c]))))).collect()
    }

    /// Whether the columns, their long words whole, cannot all be comfortable.
    fn crowded(&self, available: f64) -> bool {
        total(&self.comfortable(&self.least)) > available
    }

    /// Whether the columns cannot all be comfortable even with their long words
    /// broken after their dots and underscores.
    fn crowded_broken(&self, available: f64) -> bool {
        total(&self.comfortable(&self.least_broken)) > available
    }

    /// Typst's `columns`: auto columns, which typst sizes to their content, unless
    /// a cell holds a word it cannot break (a setting's name, a path) that the width
    /// typst would leave its column cannot hold: auto columns that do not fit are all
    /// narrowed alike, and such a word ran over the next cells. Then the widths are
    /// worked out as browsers lay out tables, in ems of `available`: each column at
    /// least its longest word; then, as far as there is room, two or three characters
    /// of Japanese a line; the rest shared after how much text each has. A long name
    /// kept whole that leaves the columns of text less than that (an ID beside a
    /// description) breaks after its dots and underscores instead. A table on a
    /// sheet turned `sideways` always has its widths worked out: it is there for
    /// want of room, which typst's even narrowing spends badly.
    fn layout(self, available: f64, size: f64, sideways: bool) -> TableLayout {
        let break_long_words = self.crowded(available) && total(&self.least_broken) < total(&self.least);
        let least = if break_long_words { &self.least_broken } else { &self.least };
        let (comfortable, wanted) = (self.comfortable(least), &self.wanted);
        let typst_share = available / least.len() as f64;
        let typst_sizes = !sideways && (least.iter().all(|&w| w <= typst_share) || total(wanted) <= available);
        let columns = if typst_sizes || total(least) > available {
            least.len().to_string()
        } else {
            let widths = if total(&comfortable) >= available {
                grow(least, &comfortable, available - total(least))
            } else {
                grow(&comfortable, wanted, available - total(&comfortable))
            };
            let widths: Vec<String> = widths.iter().map(|w| format!("{w:.2}em")).collect();
            format!("({},)", widths.join(", "))
        };
        TableLayout { columns, break_long_words, size, sideways }
    }
}

/// A point in millimetres.
const MM_PER_POINT: f64 = 0.3528;

/// How narrow, in ems, a column may make a screenshot before the table counts as crowded.
const PICTURE_LEAST_EMS: f64 = 6.0;

/// The images in a cell's text that print at their size, not as icons.
fn cell_pictures(cell: &[Inline]) -> impl Iterator<Item = &Image> {
    cell.iter().filter_map(|inline| match inline {
        Inline::Image(image) if crate::render::shows_at_size(image) => Some(&**image),
        Inline::Link(link) => link.content.iter().find_map(|inline| match inline {
            Inline::Image(image) if crate::render::shows_at_size(image) => Some(&**image),
            _ => None,
        }),
        _ => None,
    })
}

fn total(widths: &[f64]) -> f64 {
    widths.iter().sum()
}

/// Each of `from` grown toward `to` by a share of `room` after how far it has to go.
fn grow(from: &[f64], to: &[f64], room: f64) -> Vec<f64> {
    let gap: f64 = from.iter().zip(to).map(|(f, t)| t - f).sum();
    from.iter().zip(to).map(|(f, t)| if gap > 0.0 { f + room * (t - f) / gap } else { *f }).collect()
}

/// How wide a printable ASCII character is, in ems, in the built-in BIZ UDPGothic
/// (its bold, which a header's cells are in; the regular is at most 0.05 em
/// narrower). Latin letters run from a third of an em (`i`) to a whole one (`M`): a
/// column sized for an average letter let `YYYYMMDD` run into the next.
fn ascii_width(c: char) -> Option<f64> {
    const HUNDREDTHS: [u8; 95] = [
        33, 37, 52, 94, 80, 100, 91, 32, 50, 51, 50, 84, 33, 48, 33, 50, 76, 63, 76, // ` ` to `2`
        76, 76, 76, 76, 76, 76, 76, 34, 34, 84, 84, 84, 80, 98, 78, 77, 81, 85, 70, // `3` to `E`
        67, 86, 84, 44, 56, 76, 61, 100, 84, 88, 76, 90, 76, 73, 70, 86, 76, 100, 82, // `F` to `X`
        74, 75, 55, 50, 55, 50, 31, 50, 66, 73, 64, 73, 69, 51, 67, 72, 32, 40, 66, // `Y` to `k`
        36, 96, 72, 70, 73, 73, 49, 59, 49, 72, 60, 90, 62, 64, 58, 54, 44, 54, 50, // `l` to `~`
    ];
    let index = u32::from(c).checked_sub(0x20)?;
    HUNDREDTHS.get(index as usize).map(|&h| f64::from(h) / 100.0)
}

/// Where a line may break inside a word, and nothing else: an empty inline box.
const BREAK_HERE: &str = "#box[]";

/// Inline HTML elements printed as on screen, and the markup each opens (a `]`
/// closes it). A superscript or subscript the font has no glyphs for (`※1`) is made
/// smaller and raised or lowered by set amounts: by the Japanese fonts' metrics it
/// would sit on the line and read as text, not as a note's mark.
const INLINE_ELEMENTS: [(&str, &str); 13] = [
    ("kbd", "#tejun-kbd["),
    ("b", "#strong["),
    ("strong", "#strong["),
    ("i", "#emph["),
    ("em", "#emph["),
    ("sup", "#super(baseline: -0.45em, size: 0.7em)["),
    ("sub", "#sub(baseline: 0.15em, size: 0.7em)["),
    ("u", "#underline["),
    ("ins", "#underline["),
    ("s", "#strike["),
    ("del", "#strike["),
    ("strike", "#strike["),
    ("mark", "#highlight["),
];

/// Text for typst markup: a backslash before every ASCII punctuation mark, so that
/// none of `# * _ $ < > @ [ ] \ \` = - + / ~ ' "` … starts markup.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

/// A typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A typst array of strings; a trailing comma keeps a single one an array.
fn string_array(items: &[String]) -> String {
    if items.is_empty() {
        return "()".to_string();
    }
    let items: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("({},)", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    pub const NASTY: &str = r#"#set page(width: 1cm) *b* _i_ $x$ <l> @r [a] \ `t` // c /* c */ = h - l + e 1. ~ -- ... 'q' "q" http://x.y #{ } ; \u{41}"#;

    pub fn style() -> Style<'static> {
        Style { date: Some((2025, 4, 1)), ..Style::plain(&[]) }
    }

    /// Unescapes what `escaped` wrote, as typst's lexer reads it.
    fn unescape(markup: &str) -> String {
        let mut out = String::new();
        let mut chars = markup.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' { chars.next().unwrap() } else { c });
        }
        out
    }

    #[test]
    fn text_is_escaped_for_markup_and_for_strings() {
        let markup = escaped(NASTY);
        assert_eq!(unescape(&markup), NASTY);
        assert_eq!(escaped("手順「OK」"), "手順「OK」");
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        let (errors, _) = typst::syntax::parse(&format!("{markup}\n#raw({})", string(NASTY))).errors_and_warnings();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn soft_breaks_between_japanese_characters_join_without_a_space() {
        let page =
            "+++\ntitle = \"t\"\n+++\n\n日本語の\n文章です。English\nwords and 日本語\nmixed. **ボタン**\nを押す。\n";
        let (manual, _, _) = testing::manual(&[("ja", "p", page)], &[]);
        let source = page_document(&manual, 0, &style()).source;
        assert!(
            source.contains("日本語の文章です。English words and 日本語 mixed\\. #tejun-ui[ボタン]を押す。"),
            "{source}"
        );
    }

    #[test]
    fn numbers_come_from_the_model_and_references_get_their_page() {
        let page = "+++\ntitle = \"t\"\n+++\n\n+++\nid = \"a\"\ntitle = \"A\"\nimage = \"i.png\"\n+++\n\n1. x\n2. y\n\n+++\nid = \"b\"\ntitle = \"B\"\n+++\n\nRedo [](step:a), see [](fig:a).\n";
        let (manual, diagnostics, _) = testing::manual(&[("ja", "p", page)], &["i.png"]);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        let source = page_document(&manual, 0, &style()).source;
        assert!(source.contains("[#tejun-step-number[手順 2] #h(0.3em)B]<p0-s2>"), "{source}");
        assert!(source.contains("[図 1], [A])<p0-f1>"), "{source}");
        assert!(source.contains("([①], [x]),\n  ([②], [y]),"), "{source}");
        assert!(source.contains("#tejun-link(\"p0-s1\")[手順 1（#tejun-page(\"p0-s1\") ページ）]"), "{source}");
        assert!(source.contains("#tejun-link(\"p0-f1\")[図 1（#tejun-page(\"p0-f1\") ページ）]"), "{source}");
        // Step heading and screenshot stay on one sheet.
        assert!(source.contains("#block(breakable: false, width: 100%)[\n#heading(level: 3, outlined: false"));
        let (errors, _) = typst::syntax::parse(&source).errors_and_warnings();
        assert!(errors.is_empty(), "{errors:?}");
    }
}
