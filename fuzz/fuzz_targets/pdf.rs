//! Any bytes as one Markdown page, printed: decode, parse, resolve, make the page's
//! handout and the manual's PDF with typst. Nothing may panic, and a page tejun
//! accepts must always print: a writer's text never breaks the Typst markup tejun
//! makes of it, so any error from typst here is tejun's, not the page's.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tejun::output::MemorySink;

/// No installed fonts (they differ from machine to machine and take a second to
/// scan), no dates from git, no cache on disk.
const CONFIG: &str = "languages = [\"en\"]\n[title]\nen = \"Fuzz\"\n\
    [pdf]\nsystem_fonts = false\ndate = 2026-01-01\ncache = false\n";

fuzz_target!(|data: &[u8]| {
    let Some((manual, diagnostics, config, sources)) = common::one_page_manual(data, CONFIG) else { return };
    if diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let assets = Default::default();
    let mut inputs =
        tejun::render::pdf::Inputs::load(&config, &manual, &assets, &[], &sources).expect("the built-in fonts");
    let sink = MemorySink::default();
    if let Err(error) = tejun::render::pdf::render(std::slice::from_ref(&manual), &config, &mut inputs, &sources, &sink)
    {
        panic!("a page tejun accepts does not print: {}", tejun::diagnostic::render_human(&error, &sources));
    }
});
