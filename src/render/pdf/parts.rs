//! A large `manual.pdf` typeset in parts and joined, so that the memory it takes is
//! that of one part however long the manual is: typst holds a whole document's
//! layout until it is exported (about 0.7 MB a printed page).
//!
//! Each part is its own typst document ([`ManualMarkup::part`]) whose pages are
//! numbered on from the parts before it. A reference to a label in another part
//! prints the page an earlier pass found and links to `tejun-goto:LABEL`, made a
//! link inside the PDF when the parts are joined ([`join`]). The first pass lays the
//! parts out, in order, to learn their page counts and where every label is; the
//! next lays them out again with those numbers, in parallel, and exports them. A
//! number that moved a paragraph enough to change a page means one more pass; in
//! practice two do.
//!
//! The joined file has the parts' pages, links and named destinations, an outline
//! built from every part's headings (as typst builds one), and the first part's
//! metadata. It is not a tagged PDF: tags do not survive the join. Parts are joined
//! one at a time, their objects renumbered and written out as they are read, so the
//! join holds one part and the file made so far (about 6 KB a printed page).

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, StringFormat};
use typst::foundations::{NativeElement, StyleChain};
use typst::introspection::Introspector;
use typst::model::{HeadingElem, OutlineNode};
use typst_layout::PagedDocument;

use super::STACK;
use super::markup::{Document, GOTO_SCHEME, ManualMarkup, Numbering};
use crate::diagnostic::Diagnostic;

/// How much markup a part holds, in bytes: about 300 printed pages of steps with
/// screenshots, a few hundred MB while typst holds them.
pub const PART_BYTES: usize = 600 * 1024;

/// Passes over the parts at most: one to learn the pages, then until the pages
/// printed are the pages found.
const MAX_PASSES: usize = 4;

/// The units of each part: at most `part_bytes` of markup each, the front counted
/// in the first, and at least one unit each.
pub fn split(markup: &ManualMarkup, part_bytes: usize) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut size = markup.front_len();
    for unit in 0..markup.units.len() {
        let len = markup.unit_len(unit);
        if unit > start && size + len > part_bytes {
            parts.push(start..unit);
            start = unit;
            size = 0;
        }
        size += len;
    }
    parts.push(start..markup.units.len());
    parts
}

/// Where a label is: the page in the whole manual (from 0) and the point on it, in
/// typst's points from the top left.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Place {
    page: usize,
    x: f64,
    y: f64,
}

/// A heading of a part, for the joined file's outline.
struct Heading {
    title: String,
    level: NonZeroUsize,
    bookmarked: bool,
    place: Place,
}

/// One part as a pass laid it out: its pages, and where its labels and headings
/// are, on its own pages (from 0); its PDF in a pass that exports.
struct Part {
    pages: usize,
    labels: Vec<(String, Place)>,
    headings: Vec<Heading>,
    pdf: Option<Vec<u8>>,
}

/// What compiles a part: lays it out and, when asked to, exports it too.
pub type Compile<'a> = dyn Fn(&Document, bool) -> Result<(PagedDocument, Option<Vec<u8>>), Diagnostic> + Sync + 'a;

/// Markup per printed page of steps with screenshots, roughly: the first guess at
/// where a label further on will be.
const DEFAULT_BYTES_PER_PAGE: usize = 2 * 1024;

/// Lays out `parts` of `markup` in passes with `compile`, exports the last pass's
/// parts and joins them into one PDF.
///
/// The first pass goes through the parts in order on one thread (the handouts keep
/// the other cores busy meanwhile), so each part knows the pages before it and
/// where the labels in them are; only labels further on get a guess. The next
/// passes know everything from the pass before and typeset the parts in parallel.
pub fn typeset(
    markup: &ManualMarkup,
    parts: &[Range<usize>],
    threads: usize,
    compile: &Compile,
) -> Result<Vec<u8>, Diagnostic> {
    let lay_out = |index: usize, offset: usize, total, known: &HashMap<String, usize>, bytes_per_page, export| {
        let units = &parts[index];
        let start = markup.start_of(units);
        let elsewhere = markup
            .labels_named(units)
            .into_iter()
            .map(|label| {
                // A label further on, not found yet: a guess from the markup between.
                let guess =
                    || offset + 1 + markup.label_at(label).unwrap_or(start).saturating_sub(start) / bytes_per_page;
                (label.to_string(), known.get(label).copied().unwrap_or_else(guess))
            })
            .collect();
        let numbering = Numbering { offset, total, elsewhere, unknown: offset + 1 };
        let (laid, pdf) = compile(&markup.part(units.clone(), &numbering), export)?;
        Ok(Part { pages: laid.pages().len(), labels: labels(&laid), headings: headings(&laid), pdf })
    };
    let mut known: HashMap<String, usize> = HashMap::new();
    let mut first = Vec::new();
    let mut offset = 0;
    for (index, units) in parts.iter().enumerate() {
        let bytes_per_page = match offset {
            0 => DEFAULT_BYTES_PER_PAGE,
            pages => (markup.start_of(units) / pages).max(1),
        };
        let part = lay_out(index, offset, None, &known, bytes_per_page, false)?;
        known.extend(part.labels.iter().map(|(label, place)| (label.clone(), offset + place.page + 1)));
        offset += part.pages;
        first.push(part);
    }
    let mut laid_out = first;
    for pass in 1..MAX_PASSES {
        let offsets = page_offsets(&laid_out);
        let total = laid_out.iter().map(|part| part.pages).sum::<usize>();
        laid_out = in_parallel(parts.len(), threads, |index| {
            lay_out(index, offsets[index], Some(total), &known, DEFAULT_BYTES_PER_PAGE, true)
        })?;
        let found = label_pages(&laid_out);
        if (found == known && page_offsets(&laid_out) == offsets) || pass + 1 == MAX_PASSES {
            break;
        }
        known = found;
    }
    // What typst memoized for the parts is of no use to the join.
    typst::comemo::evict(0);
    let offsets = page_offsets(&laid_out);
    join(laid_out, &offsets)
        .map_err(|e| Diagnostic::error("pdf", format!("could not join the parts of the manual's PDF: {e}")))
}

/// The pages before each part.
fn page_offsets(parts: &[Part]) -> Vec<usize> {
    parts
        .iter()
        .scan(0, |pages, part| {
            let before = *pages;
            *pages += part.pages;
            Some(before)
        })
        .collect()
}

/// Each label's page in the whole manual, from 1.
fn label_pages(parts: &[Part]) -> HashMap<String, usize> {
    parts
        .iter()
        .zip(page_offsets(parts))
        .flat_map(|(part, offset)| {
            part.labels.iter().map(move |(label, place)| (label.clone(), offset + place.page + 1))
        })
        .collect()
}

/// `work` on 0..count, on `threads` threads of their own (typst's compile uses
/// rayon inside, see `run_jobs`); the results in order, or the first error.
fn in_parallel<T: Send>(
    count: usize,
    threads: usize,
    work: impl Fn(usize) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Diagnostic> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Mutex<Option<Result<T, Diagnostic>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let worker = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count || failed.load(Ordering::Relaxed) {
                return;
            }
            let result = work(index);
            failed.fetch_or(result.is_err(), Ordering::Relaxed);
            *results[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let spawned = (0..threads.clamp(1, count.max(1)))
            .filter(|_| std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, worker).is_ok())
            .count();
        if spawned == 0 {
            worker();
        }
    });
    let results: Vec<Option<Result<T, Diagnostic>>> =
        results.into_iter().map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
    if let Some(Some(Err(error))) = results.iter().find(|result| matches!(result, Some(Err(_)))) {
        return Err(error.clone());
    }
    Ok(results.into_iter().flatten().filter_map(Result::ok).collect())
}

/// Every label in a part laid out, and where.
fn labels(laid: &PagedDocument) -> Vec<(String, Place)> {
    let introspector = laid.introspector();
    introspector
        .query_labelled()
        .iter()
        .filter_map(|element| {
            let label = element.label()?.resolve().to_string();
            let position = introspector.position(element.location()?)?;
            Some((label, place(position)))
        })
        .collect()
}

fn place(position: typst::introspection::PagedPosition) -> Place {
    Place { page: position.page.get() - 1, x: position.point.x.to_pt(), y: position.point.y.to_pt() }
}

/// A part's headings in order, as typst's own outline takes them.
fn headings(laid: &PagedDocument) -> Vec<Heading> {
    let introspector = laid.introspector();
    introspector
        .query(&HeadingElem::ELEM.select())
        .iter()
        .filter_map(|element| {
            let heading = element.to_packed::<HeadingElem>()?;
            let position = introspector.position(element.location()?)?;
            let styles = StyleChain::default();
            Some(Heading {
                title: heading.body.plain_text().to_string(),
                level: heading.resolve_level(styles),
                bookmarked: heading.bookmarked.get(styles).unwrap_or_else(|| heading.outlined.get(styles)),
                place: place(position),
            })
        })
        .collect()
}

/// One PDF of the parts' pages in order, written part by part so that only one
/// part is in memory at a time: the first part's catalog and metadata, every
/// part's named destinations, links to other parts made links to the label's
/// place (a named destination of the label's name), and an outline of all headings.
fn join(mut parts: Vec<Part>, offsets: &[usize]) -> Result<Vec<u8>, lopdf::Error> {
    let mut headings = Vec::new();
    let mut places: HashMap<String, Place> = HashMap::new();
    for (part, &offset) in parts.iter_mut().zip(offsets) {
        let on_the_whole = |place: Place| Place { page: offset + place.page, ..place };
        let part_headings = std::mem::take(&mut part.headings);
        headings
            .extend(part_headings.into_iter().map(|heading| Heading { place: on_the_whole(heading.place), ..heading }));
        places.extend(std::mem::take(&mut part.labels).into_iter().map(|(label, place)| (label, on_the_whole(place))));
    }
    let mut out = Out::new();
    let page_tree = out.reserve();
    let mut pages: Vec<ObjectId> = Vec::new();
    let mut heights: Vec<f64> = Vec::new();
    let mut destinations: Vec<(Vec<u8>, Object)> = Vec::new();
    let mut linked: Vec<String> = Vec::new();
    let mut first: Option<(ObjectId, Dictionary, Dictionary)> = None;
    for part in parts {
        let mut pdf = Pdf::load_mem(part.pdf.as_deref().unwrap_or_default())?;
        drop(part);
        pdf.renumber_objects_with(out.next_id);
        let catalog_id = pdf.trailer.get(b"Root")?.as_reference()?;
        let part_pages: Vec<ObjectId> = pdf.page_iter().collect();
        heights.extend(part_pages.iter().map(|&page| page_height(&pdf, page)));
        pages.extend(&part_pages);
        destinations.extend(named_destinations(&pdf)?);
        linked.extend(link_parts(&mut pdf));
        for &page in &part_pages {
            pdf.get_dictionary_mut(page)?.set("Parent", page_tree);
        }
        let catalog = pdf.get_dictionary_mut(catalog_id)?;
        catalog.remove(b"Outlines");
        catalog.remove(b"Names");
        if first.is_some() {
            // The first part's metadata stands for the whole file.
            catalog.remove(b"Metadata");
            pdf.trailer.remove(b"Info");
        }
        pdf.prune_objects();
        for (&id, object) in &pdf.objects {
            let page_tree_node = object.as_dict().is_ok_and(|d| d.has_type(b"Pages"));
            if id != catalog_id && !page_tree_node {
                out.write(id, object)?;
            }
        }
        out.next_id = out.next_id.max(pdf.max_id + 1);
        if first.is_none() {
            first = Some((catalog_id, pdf.get_dictionary(catalog_id)?.clone(), pdf.trailer.clone()));
        }
    }
    let (catalog_id, mut catalog, trailer) = first.ok_or(lopdf::Error::ObjectNotFound((0, 0)))?;

    let destination = |place: Place| -> Object {
        // As typst points at a heading: 10 pt above it, from the bottom left.
        let y = heights[place.page] - (place.y - 10.0).max(0.0);
        vec![
            Object::Reference(pages[place.page]),
            Object::Name(b"XYZ".to_vec()),
            Object::Real(place.x as f32),
            Object::Real(y as f32),
            Object::Null,
        ]
        .into()
    };
    out.write(
        page_tree,
        &Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(pages.len() as i64)),
            ("Kids", Object::Array(pages.iter().map(|&page| Object::Reference(page)).collect())),
        ])),
    )?;
    destinations.extend(
        linked.into_iter().filter_map(|label| Some((label.as_bytes().to_vec(), destination(*places.get(&label)?)))),
    );
    destinations.sort_by(|a, b| a.0.cmp(&b.0));
    destinations.dedup_by(|a, b| a.0 == b.0);
    let names: Vec<Object> =
        destinations.into_iter().flat_map(|(name, dest)| [Object::String(name, StringFormat::Literal), dest]).collect();
    let dests = out.add(&Object::Dictionary(Dictionary::from_iter(vec![("Names", Object::Array(names))])))?;
    catalog.set("Pages", page_tree);
    catalog.set("Names", Dictionary::from_iter(vec![("Dests", Object::Reference(dests))]));
    if let Some(outline) = outline(&mut out, &headings, &destination)? {
        catalog.set("Outlines", outline);
    }
    out.write(catalog_id, &Object::Dictionary(catalog))?;
    Ok(out.finish(catalog_id, trailer))
}

/// The joined file as it is written: its bytes, and where each object starts.
struct Out {
    bytes: Vec<u8>,
    starts: Vec<Option<usize>>,
    next_id: u32,
}

impl Out {
    fn new() -> Out {
        Out { bytes: b"%PDF-1.7\n%\x80\x80\x80\x80\n".to_vec(), starts: Vec::new(), next_id: 1 }
    }

    /// A number for an object written later.
    fn reserve(&mut self) -> ObjectId {
        self.next_id += 1;
        (self.next_id - 1, 0)
    }

    fn add(&mut self, object: &Object) -> Result<ObjectId, lopdf::Error> {
        let id = self.reserve();
        self.write(id, object)?;
        Ok(id)
    }

    fn write(&mut self, (id, _): ObjectId, object: &Object) -> Result<(), lopdf::Error> {
        let index = id as usize;
        if self.starts.len() <= index {
            self.starts.resize(index + 1, None);
        }
        self.starts[index] = Some(self.bytes.len());
        self.bytes.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        lopdf::Writer::write_object(&mut self.bytes, object)?;
        self.bytes.extend_from_slice(b"\nendobj\n");
        Ok(())
    }

    /// The cross-reference table and the trailer: `catalog` as the root, and the
    /// first part's trailer's document information and identifier.
    fn finish(mut self, catalog: ObjectId, first: Dictionary) -> Vec<u8> {
        let xref = self.bytes.len();
        let size = self.starts.len().max(self.next_id as usize);
        self.bytes.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
        for index in 0..size {
            let entry = match self.starts.get(index).copied().flatten() {
                Some(start) => format!("{start:010} 00000 n\r\n"),
                None => "0000000000 65535 f\r\n".to_string(),
            };
            self.bytes.extend_from_slice(entry.as_bytes());
        }
        let mut trailer =
            Dictionary::from_iter(vec![("Size", Object::Integer(size as i64)), ("Root", Object::Reference(catalog))]);
        for key in [&b"Info"[..], b"ID"] {
            if let Ok(value) = first.get(key) {
                trailer.set(key, value.clone());
            }
        }
        self.bytes.extend_from_slice(b"trailer\n");
        let _ = lopdf::Writer::write_object(&mut self.bytes, &Object::Dictionary(trailer));
        self.bytes.extend_from_slice(format!("\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        self.bytes
    }
}

/// A page's height in points, from its media box (A4's when it has none).
fn page_height(pdf: &Pdf, page: ObjectId) -> f64 {
    let media_box = pdf.get_dictionary(page).and_then(|page| page.get(b"MediaBox")).and_then(|b| b.as_array());
    match media_box {
        Ok(values) if values.len() == 4 => values[3].as_float().map_or(841.89, f64::from),
        _ => 841.89,
    }
}

/// A part's named destinations (typst names the labelled headings), each with its
/// destination array.
fn named_destinations(pdf: &Pdf) -> Result<Vec<(Vec<u8>, Object)>, lopdf::Error> {
    let mut found = Vec::new();
    let Ok(names) = pdf.catalog()?.get(b"Names").and_then(|n| pdf.dereference(n)).and_then(|(_, n)| n.as_dict()) else {
        return Ok(found);
    };
    if let Ok(tree) = names.get(b"Dests").and_then(|d| pdf.dereference(d)).and_then(|(_, d)| d.as_dict()) {
        collect_names(pdf, tree, &mut found, 0);
    }
    Ok(found)
}

/// The entries of a name tree node and its children's.
fn collect_names(pdf: &Pdf, node: &Dictionary, found: &mut Vec<(Vec<u8>, Object)>, depth: usize) {
    if depth > 32 {
        return;
    }
    if let Ok(names) = node.get(b"Names").and_then(|n| n.as_array()) {
        for pair in names.chunks(2) {
            if let [Object::String(name, _), dest] = pair {
                let dest = pdf.dereference(dest).map_or_else(|_| dest.clone(), |(_, d)| d.clone());
                found.push((name.clone(), dest));
            }
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(|k| k.as_array()) {
        for kid in kids {
            if let Ok((_, Object::Dictionary(kid))) = pdf.dereference(kid) {
                collect_names(pdf, kid, found, depth + 1);
            }
        }
    }
}

/// Makes each link to `tejun-goto:LABEL` a link to the named destination `LABEL`;
/// returns the labels.
fn link_parts(pdf: &mut Pdf) -> Vec<String> {
    let mut labels = Vec::new();
    for object in pdf.objects.values_mut() {
        let Object::Dictionary(annotation) = object else { continue };
        let Some(label) = goto_label(annotation) else { continue };
        annotation.remove(b"A");
        annotation.set("Dest", Object::String(label.as_bytes().to_vec(), StringFormat::Literal));
        labels.push(label);
    }
    labels
}

/// The label a link annotation goes to in another part.
fn goto_label(annotation: &Dictionary) -> Option<String> {
    let action = annotation.get(b"A").ok()?.as_dict().ok()?;
    let uri = action.get(b"URI").ok()?.as_str().ok()?;
    let label = std::str::from_utf8(uri).ok()?.strip_prefix(GOTO_SCHEME)?;
    Some(label.to_string())
}

/// The document outline of every bookmarked heading, nested by level as typst
/// nests its own; `None` when there are none.
fn outline(
    out: &mut Out,
    headings: &[Heading],
    destination: &dyn Fn(Place) -> Object,
) -> Result<Option<ObjectId>, lopdf::Error> {
    let flat = headings.iter().map(|heading| (heading, heading.level, heading.bookmarked));
    let tree = OutlineNode::build_tree(flat);
    if tree.is_empty() {
        return Ok(None);
    }
    let root = out.reserve();
    let (first, last, count) = outline_items(out, &tree, root, destination)?;
    let outlines = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("First", Object::Reference(first)),
        ("Last", Object::Reference(last)),
        ("Count", Object::Integer(count)),
    ]);
    out.write(root, &Object::Dictionary(outlines))?;
    Ok(Some(root))
}

/// Writes `nodes` as outline items under `parent`, closed as typst's are; returns
/// the first, the last and how many there are.
fn outline_items(
    out: &mut Out,
    nodes: &[OutlineNode<&Heading>],
    parent: ObjectId,
    destination: &dyn Fn(Place) -> Object,
) -> Result<(ObjectId, ObjectId, i64), lopdf::Error> {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| out.reserve()).collect();
    for (index, node) in nodes.iter().enumerate() {
        let mut item = Dictionary::from_iter(vec![
            ("Title", text_string(&node.entry.title)),
            ("Parent", Object::Reference(parent)),
            ("Dest", destination(node.entry.place)),
        ]);
        if index > 0 {
            item.set("Prev", ids[index - 1]);
        }
        if let Some(&next) = ids.get(index + 1) {
            item.set("Next", next);
        }
        if !node.children.is_empty() {
            let (first, last, count) = outline_items(out, &node.children, ids[index], destination)?;
            item.set("First", first);
            item.set("Last", last);
            item.set("Count", -count);
        }
        out.write(ids[index], &Object::Dictionary(item))?;
    }
    Ok((ids[0], ids[ids.len() - 1], ids.len() as i64))
}

/// A PDF text string: UTF-16 with its byte order mark.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}
