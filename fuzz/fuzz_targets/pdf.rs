//! Any bytes as one Markdown page, printed: decode, parse, resolve, make the page's
//! handout and the manual's PDF with typst. Nothing may panic, and a page tejun
//! accepts must always print: a writer's text never breaks the Typst markup tejun
//! makes of it, so any error from typst here is tejun's, not the page's.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tejun::config::Config;
use tejun::model::PageKind;
use tejun::output::MemorySink;
use tejun::parse::{PageInfo, parse_page};
use tejun::source::Sources;

/// No installed fonts (they differ from machine to machine and take a second to
/// scan), no dates from git, no cache on disk.
const CONFIG: &str = "languages = [\"en\"]\n[title]\nen = \"Fuzz\"\n\
    [pdf]\nsystem_fonts = false\ndate = 2026-01-01\ncache = false\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = tejun::load::decode(data.to_vec()) else { return };
    let mut sources = Sources::default();
    let file = sources.add("content/page.md", Path::new("content/page.md"), text.clone());
    let info = PageInfo { file, key: "page".into(), lang: "en".into(), kind: PageKind::Procedure };
    let (page, _) = parse_page(&text, info);
    let Some(page) = page else { return };
    let config_file = sources.add("tejun.toml", Path::new("tejun.toml"), CONFIG.to_string());
    let config = Config::parse(Path::new("."), config_file, CONFIG).expect("a valid configuration");
    let assets = Default::default();
    let (manual, diagnostics) = tejun::resolve::resolve(&config, vec![page], &assets, &sources);
    if diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let mut inputs =
        tejun::render::pdf::Inputs::load(&config, &manual, &assets, &[], &sources).expect("the built-in fonts");
    let sink = MemorySink::default();
    if let Err(error) = tejun::render::pdf::render(std::slice::from_ref(&manual), &config, &mut inputs, &sources, &sink)
    {
        panic!("a page tejun accepts does not print: {}", tejun::diagnostic::render_human(&error, &sources));
    }
});
