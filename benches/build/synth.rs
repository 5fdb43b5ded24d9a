//! The synthetic bilingual manual.
//!
//! Every page is first *planned* — sections, step ids, which steps have a screenshot,
//! sub-steps, an alert, a code block, which cross-references they make — from a seed
//! that depends only on the page. Both languages are then written from the same plan,
//! each with its own text, so step ids, figures and references line up across
//! translations exactly as tejun requires.
//!
//! Layout (`P` = pages per language):
//!
//! ```text
//! tejun.toml
//! content/_index.{ja,en}.md                   home page
//! content/images/shot-{1..8}.svg              screenshots shared by all pages
//! content/ch-001/_index.{ja,en}.md            a chapter per 40 pages
//! content/ch-001/page-0001.{ja,en}.md         pages 1 … P, numbered across chapters
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use crate::text::{EN, JA, Rng, Vocab};

/// Bump whenever the generated files change, so that cached sites are regenerated.
const GENERATOR_VERSION: u32 = 2;
/// Written last into the site folder: its presence means the site is complete.
const MARKER: &str = ".tejun-bench";
pub const PAGES_PER_CHAPTER: usize = 40;
/// Number of shared screenshots in `content/images/`.
const SHOTS: usize = 8;

static LANGUAGES: [(&str, &Vocab); 2] = [("ja", &JA), ("en", &EN)];

const TEJUN_TOML: &str = r#"languages = ["ja", "en"]
default_language = "ja"

[title]
ja = "合成マニュアル"
en = "Synthetic manual"

# The build figures are the HTML manual's and the search index's; the PDF block of
# the benchmark turns PDFs on for itself.
[pdf]
enabled = false
"#;

/// Seed salts, so that the different streams of random numbers do not repeat each other.
const SALT_PLAN: u64 = 1;
const SALT_ID: u64 = 2;
const SALT_TEXT: u64 = 3;
const SALT_CHAPTER: u64 = 4;

/// Words of step ids; a step's id is one of these and its number (`enter-pin-7`).
#[rustfmt::skip]
const ID_WORDS: &[&str] = &[
    "open-login", "select-certificate", "enter-pin", "enter-password", "confirm-details",
    "click-next", "choose-user", "issue-certificate", "download", "install", "approve",
    "check-status", "open-menu", "allow-access", "enter-one-time-password", "register-payee",
    "change-limit", "print-result", "log-out", "start-browser",
];

/// What to generate: `pages` pages in *each* language, `steps` steps in each page.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub pages: usize,
    pub steps: usize,
}

impl Params {
    pub fn chapters(self) -> usize {
        self.pages.div_ceil(PAGES_PER_CHAPTER)
    }

    pub fn languages(self) -> usize {
        LANGUAGES.len()
    }

    /// The language codes of the site, default language first.
    pub fn language_codes(self) -> Vec<&'static str> {
        LANGUAGES.iter().map(|(code, _)| *code).collect()
    }

    fn marker_text(self) -> String {
        format!("generator = {GENERATOR_VERSION}\npages = {}\nsteps = {}\n", self.pages, self.steps)
    }
}

/// Make sure `dir` holds the complete site for `params`. Returns `false` when a
/// complete site was already there (nothing written), `true` when it was generated.
pub fn ensure(dir: &Path, params: Params) -> io::Result<bool> {
    let marker = dir.join(MARKER);
    if fs::read_to_string(&marker).ok() == Some(params.marker_text()) {
        return Ok(false);
    }
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    generate(dir, params)?;
    fs::write(marker, params.marker_text())?;
    Ok(true)
}

fn generate(dir: &Path, params: Params) -> io::Result<()> {
    let content = dir.join("content");
    fs::create_dir_all(content.join("images"))?;
    fs::write(dir.join("tejun.toml"), TEJUN_TOML)?;
    for (index, (lang, vocab)) in LANGUAGES.iter().enumerate() {
        fs::write(content.join(format!("_index.{lang}.md")), home_page(lang, index, vocab))?;
    }
    for shot in 1..=SHOTS {
        fs::write(content.join(format!("images/shot-{shot}.svg")), screenshot_svg(shot))?;
    }
    for chapter in 1..=params.chapters() {
        let chapter_dir = content.join(chapter_name(chapter));
        fs::create_dir_all(&chapter_dir)?;
        for (index, (lang, vocab)) in LANGUAGES.iter().enumerate() {
            let text = chapter_index(chapter, index, vocab);
            fs::write(chapter_dir.join(format!("_index.{lang}.md")), text)?;
        }
    }
    for page in (0..params.pages).map(PageId) {
        let plan = PagePlan::new(params, page);
        for (index, (lang, vocab)) in LANGUAGES.iter().enumerate() {
            let text = plan.write(index, vocab);
            fs::write(content.join(format!("{}.{lang}.md", page.path())), text)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Plan: the shape of a page, shared by its translations
// ---------------------------------------------------------------------------------

/// A page, by its 0-based index over the whole manual.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PageId(usize);

impl PageId {
    fn chapter(self) -> usize {
        self.0 / PAGES_PER_CHAPTER + 1
    }

    /// Position in its chapter, from 1.
    fn weight(self) -> usize {
        self.0 % PAGES_PER_CHAPTER + 1
    }

    /// The path used in references and, with `.LANG.md`, the file name under `content/`.
    fn path(self) -> String {
        format!("{}/page-{:04}", chapter_name(self.chapter()), self.0 + 1)
    }
}

fn chapter_name(chapter: usize) -> String {
    format!("ch-{chapter:03}")
}

/// The id of a step, a pure function of page and position, so that any page can
/// refer to a step of any other page without planning it.
fn step_id(page: PageId, step: usize) -> String {
    let mut rng = Rng::seeded(&[SALT_ID, page.0 as u64, step as u64]);
    format!("{}-{}", rng.pick(ID_WORDS), step + 1)
}

#[derive(Clone, Copy)]
enum Alert {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Alert {
    fn random(rng: &mut Rng) -> Alert {
        match rng.below(20) {
            0..=11 => Alert::Note,
            12..=15 => Alert::Warning,
            16 => Alert::Tip,
            17 => Alert::Important,
            _ => Alert::Caution,
        }
    }

    fn marker(self) -> &'static str {
        match self {
            Alert::Note => "NOTE",
            Alert::Tip => "TIP",
            Alert::Important => "IMPORTANT",
            Alert::Warning => "WARNING",
            Alert::Caution => "CAUTION",
        }
    }

    fn is_warning(self) -> bool {
        matches!(self, Alert::Warning | Alert::Caution | Alert::Important)
    }
}

#[derive(Clone, Copy)]
enum Code {
    Toml,
    Sh,
}

/// A cross-reference made by a step (indexes are step positions in the page).
enum Ref {
    Step(usize),
    Range(usize, usize),
    Fig(usize),
    Page(PageId),
    PageStep(PageId, usize),
}

struct StepPlan {
    id: String,
    /// Screenshot number in `content/images/`.
    image: Option<usize>,
    caption: bool,
    result: bool,
    /// Number of body sentences before the references.
    sentences: usize,
    /// Number of sub-steps (0 = no ordered list).
    substeps: usize,
    alert: Option<Alert>,
    code: Option<Code>,
    refs: Vec<Ref>,
}

struct SectionPlan {
    steps: std::ops::Range<usize>,
    intro: bool,
}

struct PagePlan {
    page: PageId,
    intro_sentences: usize,
    sections: Vec<SectionPlan>,
    steps: Vec<StepPlan>,
}

impl PagePlan {
    fn new(params: Params, page: PageId) -> PagePlan {
        let mut rng = Rng::seeded(&[SALT_PLAN, page.0 as u64]);
        let mut steps: Vec<StepPlan> = (0..params.steps).map(|i| StepPlan::new(&mut rng, page, i)).collect();
        for i in 0..steps.len() {
            let refs = plan_refs(&mut rng, params, page, i, &steps);
            steps[i].refs = refs;
        }
        PagePlan { page, intro_sentences: rng.between(2, 3), sections: plan_sections(&mut rng, params.steps), steps }
    }
}

impl StepPlan {
    fn new(rng: &mut Rng, page: PageId, index: usize) -> StepPlan {
        let image = rng.chance(7, 10).then(|| rng.between(1, SHOTS));
        StepPlan {
            id: step_id(page, index),
            caption: image.is_some() && rng.one_in(10),
            image,
            result: rng.one_in(3),
            sentences: rng.between(1, 3),
            substeps: if rng.one_in(2) { rng.between(2, 3) } else { 0 },
            alert: rng.one_in(5).then(|| Alert::random(rng)),
            code: rng.one_in(20).then(|| if rng.one_in(2) { Code::Toml } else { Code::Sh }),
            refs: Vec::new(),
        }
    }
}

/// The references of step `i`: back to an earlier step (1 in 4), to a range of earlier
/// steps (1 in 15), to a screenshot of the page (1 in 12), to another page or a step
/// of another page (1 in 10).
fn plan_refs(rng: &mut Rng, params: Params, page: PageId, i: usize, steps: &[StepPlan]) -> Vec<Ref> {
    let mut refs = Vec::new();
    if i >= 1 && rng.one_in(4) {
        refs.push(Ref::Step(rng.below(i)));
    }
    if i >= 3 && rng.one_in(15) {
        let first = rng.below(i - 1);
        refs.push(Ref::Range(first, rng.between(first + 1, i - 1)));
    }
    if rng.one_in(12) {
        let figures: Vec<usize> = (0..steps.len()).filter(|&j| j != i && steps[j].image.is_some()).collect();
        if !figures.is_empty() {
            refs.push(Ref::Fig(*rng.pick(&figures)));
        }
    }
    if params.pages > 1 && rng.one_in(10) {
        let mut other = rng.below(params.pages - 1);
        if other >= page.0 {
            other += 1;
        }
        let other = PageId(other);
        refs.push(if rng.one_in(2) { Ref::Page(other) } else { Ref::PageStep(other, rng.below(params.steps)) });
    }
    refs
}

/// 3 or 4 sections (fewer if there are fewer steps), the steps spread evenly.
fn plan_sections(rng: &mut Rng, steps: usize) -> Vec<SectionPlan> {
    let count = rng.between(3, 4).min(steps);
    (0..count)
        .map(|k| SectionPlan { steps: k * steps / count..(k + 1) * steps / count, intro: rng.chance(2, 3) })
        .collect()
}

// ---------------------------------------------------------------------------------
// Writing: one language of a planned page
// ---------------------------------------------------------------------------------

impl PagePlan {
    fn write(&self, lang: usize, vocab: &Vocab) -> String {
        let mut rng = Rng::seeded(&[SALT_TEXT, self.page.0 as u64, lang as u64]);
        let rng = &mut rng;
        let mut out = String::with_capacity(16 * 1024);
        let title = vocab.fill(rng, vocab.page_titles) + &(vocab.page_title_number)(self.page.0 + 1);
        let description = vocab.fill(rng, vocab.descriptions);
        front_matter(&mut out, &title, Some(self.page.weight()), &description);
        paragraph(&mut out, &vocab.paragraph(rng, self.intro_sentences));
        for section in &self.sections {
            let _ = writeln!(out, "## {}\n", vocab.fill(rng, vocab.section_titles));
            if section.intro {
                let sentences = rng.between(1, 2);
                paragraph(&mut out, &vocab.paragraph(rng, sentences));
            }
            for step in &self.steps[section.steps.clone()] {
                self.write_step(&mut out, step, rng, vocab);
            }
        }
        out
    }

    fn write_step(&self, out: &mut String, step: &StepPlan, rng: &mut Rng, vocab: &Vocab) {
        out.push_str("+++\n");
        toml_line(out, "id", &step.id);
        toml_line(out, "title", &vocab.fill(rng, vocab.step_titles));
        if let Some(shot) = step.image {
            toml_line(out, "image", &format!("../images/shot-{shot}.svg"));
            if step.caption {
                toml_line(out, "caption", &vocab.fill(rng, vocab.captions));
            }
            toml_line(out, "alt", &vocab.fill(rng, vocab.alts));
        }
        if step.result {
            toml_line(out, "result", &vocab.fill(rng, vocab.results));
        }
        out.push_str("+++\n\n");

        let mut body = vocab.paragraph(rng, step.sentences);
        for reference in &step.refs {
            body.push_str(vocab.sentence_gap);
            body.push_str(&self.reference_sentence(reference, rng, vocab));
        }
        paragraph(out, &body);
        for n in 1..=step.substeps {
            let _ = writeln!(out, "{n}. {}", vocab.fill(rng, vocab.substeps));
        }
        if step.substeps > 0 {
            out.push('\n');
        }
        if let Some(alert) = step.alert {
            write_alert(out, alert, rng, vocab);
        }
        if let Some(code) = step.code {
            write_code(out, code, rng, vocab);
        }
    }

    fn reference_sentence(&self, reference: &Ref, rng: &mut Rng, vocab: &Vocab) -> String {
        let id = |j: usize| &self.steps[j].id;
        let (templates, link) = match *reference {
            Ref::Step(j) => (vocab.ref_step, format!("[](step:{})", id(j))),
            Ref::Range(a, b) => (vocab.ref_range, format!("[](step:{}..{})", id(a), id(b))),
            Ref::Fig(j) => (vocab.ref_fig, format!("[](fig:{})", id(j))),
            Ref::Page(p) => (vocab.ref_page, format!("[](page:{})", p.path())),
            Ref::PageStep(p, s) => (vocab.ref_page_step, format!("[](step:{}/{})", p.path(), step_id(p, s))),
        };
        vocab.fill(rng, templates).replace("{ref}", &link)
    }
}

fn write_alert(out: &mut String, alert: Alert, rng: &mut Rng, vocab: &Vocab) {
    let templates = if alert.is_warning() { vocab.warnings } else { vocab.notes };
    let _ = writeln!(out, "> [!{}]", alert.marker());
    for _ in 0..rng.between(1, 2) {
        let _ = writeln!(out, "> {}", vocab.fill(rng, templates));
    }
    out.push('\n');
}

fn write_code(out: &mut String, code: Code, rng: &mut Rng, vocab: &Vocab) {
    match code {
        Code::Toml => {
            let _ = write!(
                out,
                "```toml\n{}\n[proxy]\nhost = \"proxy{}.example.co.jp\"\nport = {}\n\
                 timeout_seconds = {}\nbypass = [\"*.intra.example.co.jp\", \"localhost\"]\n```\n\n",
                vocab.code_comments[0],
                rng.between(1, 9),
                8000 + rng.below(100),
                rng.between(10, 90),
            );
        }
        Code::Sh => {
            let _ = write!(
                out,
                "```sh\n{}\ncertutil -user -store My | findstr /i \"BizIB\"\n\
                 curl -fsS --proxy http://proxy{}.example.co.jp:{} https://www.example.co.jp/\n```\n\n",
                vocab.code_comments[1],
                rng.between(1, 9),
                8000 + rng.below(100),
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Home page, chapters, images
// ---------------------------------------------------------------------------------

/// The home page; seeded as "chapter 0".
fn home_page(lang: &str, index: usize, vocab: &Vocab) -> String {
    let mut rng = Rng::seeded(&[SALT_CHAPTER, 0, index as u64]);
    let mut out = String::new();
    let (title, description) = match lang {
        "ja" => ("合成マニュアル", "tejun のベンチマーク用に生成した手順書"),
        _ => ("Synthetic manual", "Procedures generated for the tejun benchmark"),
    };
    front_matter(&mut out, title, None, description);
    paragraph(&mut out, &vocab.paragraph(&mut rng, 3));
    out
}

fn chapter_index(chapter: usize, lang: usize, vocab: &Vocab) -> String {
    let mut rng = Rng::seeded(&[SALT_CHAPTER, chapter as u64, lang as u64]);
    let mut out = String::new();
    let title = (vocab.chapter_title_number)(chapter) + &vocab.fill(&mut rng, vocab.chapter_titles);
    let description = vocab.fill(&mut rng, vocab.descriptions);
    front_matter(&mut out, &title, Some(chapter), &description);
    paragraph(&mut out, &vocab.paragraph(&mut rng, 2));
    out
}

/// A small mock screenshot: a title bar, a few fields and a button.
fn screenshot_svg(shot: usize) -> String {
    let width = 560 + 40 * shot;
    let height = 320 + 20 * (shot % 4);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">\n\
         <rect width=\"{width}\" height=\"{height}\" fill=\"#f4f6f8\"/>\n\
         <rect width=\"{width}\" height=\"40\" fill=\"#1f4e79\"/>\n\
         <text x=\"16\" y=\"26\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#fff\">Screen {shot}</text>\n"
    );
    for row in 0..(2 + shot % 3) {
        let y = 70 + 50 * row;
        let _ = writeln!(
            svg,
            "<rect x=\"40\" y=\"{y}\" width=\"{}\" height=\"32\" fill=\"#fff\" stroke=\"#99a\"/>",
            width - 80
        );
    }
    let _ = write!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"120\" height=\"36\" rx=\"4\" fill=\"#2e75b6\"/>\n</svg>\n",
        width - 160,
        height - 56
    );
    svg
}

// ---------------------------------------------------------------------------------
// Markdown and TOML helpers
// ---------------------------------------------------------------------------------

fn front_matter(out: &mut String, title: &str, weight: Option<usize>, description: &str) {
    out.push_str("+++\n");
    toml_line(out, "title", title);
    if let Some(weight) = weight {
        let _ = writeln!(out, "weight = {weight}");
    }
    toml_line(out, "description", description);
    out.push_str("+++\n\n");
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(text);
    out.push_str("\n\n");
}

/// `key = "value"` with the value as a TOML basic string.
fn toml_line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = \"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\"\n");
}
