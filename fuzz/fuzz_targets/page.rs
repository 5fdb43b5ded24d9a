//! Any bytes as one Markdown page: decode, parse, resolve, render the HTML and the
//! search index, and run the lints. Nothing may panic or hang.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tejun::output::MemorySink;

const CONFIG: &str = "languages = [\"en\"]\n[title]\nen = \"Fuzz\"\n";

fuzz_target!(|data: &[u8]| {
    let Some((manual, diagnostics, config, sources)) = common::one_page_manual(data, CONFIG) else { return };
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
