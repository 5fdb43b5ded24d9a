//! Where on paper each of a page's ids lands, so that an ordinary link into the
//! manual (`install.md#proxy`, `#_Ref200`, `[設定](settings.md)`) prints with the
//! page it goes to, as a step reference does.
//!
//! typst knows the page of a labelled element only, and its labels are written in
//! the markup, where the writer's ids (Japanese heading text, Word's bookmarks) do
//! not all fit. So each id is given the label of the element it is on or comes
//! after in reading order: the page's title (`p3`), a section's heading (`p3-h0`), a
//! step (`p3-s2`), a figure (`p3-f1`), a numbered table (`p3-t1`), or a heading
//! inside text, which is labelled here by its order on the page (`p3-b4`). An id in
//! a paragraph or a raw HTML block (`<a id="top">`) prints with the page of the
//! heading, step, figure or table before it, which is where a reader following the
//! link starts reading.

use rustc_hash::FxHashMap;

use crate::links::{collect_inline_anchors, html_ids};
use crate::model::{Block, Page, PageId};
use crate::parse::markdown::github_id;

/// One page's ids and the labels they print at.
#[derive(Default)]
pub struct PageLabels {
    /// The label of the page itself, where a link without a fragment goes.
    top: String,
    /// Every id a link may name, by the label it prints at.
    by_id: FxHashMap<String, String>,
    /// The label of each heading inside text, by the heading's id.
    headings: FxHashMap<String, String>,
}

impl PageLabels {
    /// The labels of page `id`'s ids, in the order the page is written.
    pub fn of(page: &Page, id: PageId) -> PageLabels {
        let labels = PageLabels { top: format!("p{id}"), ..PageLabels::default() };
        let mut walk = Walk { page: id, current: labels.top.clone(), labels, headings: 0 };
        walk.add(github_id(&page.front.title));
        walk.blocks(&page.intro);
        for (number, section) in page.sections.iter().enumerate() {
            if section.heading.is_some() {
                walk.current = format!("p{id}-h{number}");
            }
            walk.add(section.anchor.clone());
            if let Some(heading) = &section.heading {
                walk.inlines_anchors(&heading.content);
            }
            walk.blocks(&section.intro);
            for step in &section.steps {
                walk.current = format!("p{id}-s{}", step.number);
                walk.add(format!("step-{}", step.id));
                if let Some(number) = step.figure_number {
                    let label = format!("p{id}-f{number}");
                    walk.labels.by_id.entry(format!("fig-{}", step.id)).or_insert(label);
                }
                walk.blocks(&step.body);
            }
        }
        walk.labels
    }

    /// The label a link to `fragment` (or to the page, with none) goes to.
    pub fn label(&self, fragment: Option<&str>) -> Option<String> {
        match fragment {
            None | Some("") => Some(self.top.clone()),
            Some(fragment) => self.by_id.get(fragment).cloned(),
        }
    }

    /// The label of the heading inside text whose id is `id`.
    pub fn heading(&self, id: &str) -> Option<&str> {
        self.headings.get(id).map(String::as_str)
    }
}

struct Walk {
    page: PageId,
    labels: PageLabels,
    /// The label of the last labelled element passed, which an id after it prints at.
    current: String,
    /// How many headings inside text have been labelled.
    headings: usize,
}

impl Walk {
    /// `id` prints at the current label, unless an element before it has the id.
    fn add(&mut self, id: String) {
        self.labels.by_id.entry(id).or_insert_with(|| self.current.clone());
    }

    fn inlines_anchors(&mut self, inlines: &[crate::model::Inline]) {
        let mut ids = Vec::new();
        collect_inline_anchors(inlines, &mut ids);
        ids.into_iter().for_each(|id| self.add(id));
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { id, content, .. } => {
                if !self.labels.headings.contains_key(id) {
                    let label = format!("p{}-b{}", self.page, self.headings);
                    self.headings += 1;
                    self.labels.headings.insert(id.clone(), label.clone());
                    self.current = label;
                }
                self.add(id.clone());
                self.inlines_anchors(content);
            }
            Block::Figure(figure) => {
                self.current = format!("p{}-f{}", self.page, figure.number);
                self.add(format!("fig-{}", figure.id));
            }
            Block::Html(html) => html_ids(html).for_each(|id| self.add(id)),
            Block::Paragraph(inlines) | Block::Plain(inlines) => self.inlines_anchors(inlines),
            Block::List(list) => list.items.iter().for_each(|item| self.blocks(&item.blocks)),
            Block::Alert { blocks, .. } | Block::Quote(blocks) => self.blocks(blocks),
            Block::Definitions(items) => items.iter().for_each(|item| self.blocks(&item.blocks)),
            Block::Variant(variant) => self.blocks(&variant.blocks),
            Block::Table(table) => {
                if let Some(caption) = &table.caption {
                    self.current = format!("p{}-t{}", self.page, caption.number);
                    self.add(format!("table-{}", caption.id));
                }
                table.head.iter().chain(table.rows.iter().flatten()).for_each(|cell| self.inlines_anchors(cell))
            }
            Block::Code(_) | Block::Rule => {}
        }
    }
}
