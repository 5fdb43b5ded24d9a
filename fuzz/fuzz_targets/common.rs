//! What both targets do first: any bytes as the one Markdown page of a manual in
//! English, decoded, parsed and resolved.

use std::path::Path;

use tejun::config::Config;
use tejun::diagnostic::Diagnostic;
use tejun::model::{Manual, PageKind};
use tejun::parse::{PageInfo, parse_page};
use tejun::source::Sources;

/// The manual of `data` as its one page, under the settings `config`; `None` when
/// the bytes are not text or the page is no page.
pub fn one_page_manual(data: &[u8], config: &str) -> Option<(Manual, Vec<Diagnostic>, Config, Sources)> {
    let text = tejun::load::decode(data.to_vec()).ok()?;
    let mut sources = Sources::default();
    let file = sources.add("content/page.md", Path::new("content/page.md"), text.clone());
    let info = PageInfo { file, key: "page".into(), lang: "en".into(), kind: PageKind::Procedure };
    let page = parse_page(&text, info).0?;
    let config_file = sources.add("tejun.toml", Path::new("tejun.toml"), config.to_string());
    let config = Config::parse(Path::new("."), config_file, config).expect("a valid configuration");
    let (manual, diagnostics) = tejun::resolve::resolve(&config, vec![page], &Default::default(), &sources);
    Some((manual, diagnostics, config, sources))
}
