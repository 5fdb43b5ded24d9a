//! Any bytes as one Markdown page: decode, parse, resolve, render the HTML and the
//! search index, and run the lints. Nothing may panic or hang.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tejun::config::Config;
use tejun::model::PageKind;
use tejun::output::MemorySink;
use tejun::parse::{PageInfo, parse_page};
use tejun::source::Sources;

const CONFIG: &str = "languages = [\"en\"]\n[title]\nen = \"Fuzz\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = tejun::load::decode(data.to_vec()) else { return };
    let mut sources = Sources::default();
    let file = sources.add("content/page.md", Path::new("content/page.md"), text.clone());
    let info = PageInfo { file, key: "page".into(), lang: "en".into(), kind: PageKind::Procedure };
    let (page, _) = parse_page(&text, info);
    let Some(page) = page else { return };
    let config_file = sources.add("tejun.toml", Path::new("tejun.toml"), CONFIG.to_string());
    let config = Config::parse(Path::new("."), config_file, CONFIG).expect("a valid configuration");
    let (manual, diagnostics) = tejun::resolve::resolve(&config, vec![page], &Default::default(), &sources);
    for d in &diagnostics {
        let _ = tejun::diagnostic::render_human(d, &sources);
    }
    let _ = tejun::lint::lint(&manual, &sources, &Default::default());
    if diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let sink = MemorySink::default();
    let _ = tejun::render::html::render(std::slice::from_ref(&manual), &config, &tejun::theme::Theme::builtin(), &sink);
    let _ = tejun::render::search::render(&manual, &sink);
});
