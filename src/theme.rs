//! Part of stage 2, load: the theme. The default theme is compiled into the binary,
//! so `tejun build` works anywhere; a site overrides it one file at a time with
//! `themes/NAME/templates/…` and then `templates/…` (templates), and
//! `themes/NAME/static/…` and then `static/…` (files copied as they are).

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $name)))),*]
    };
}

/// The built-in theme's templates and partials, by name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin![
    "templates/base.html",
    "templates/page.html",
    "templates/chapter.html",
    "templates/home.html",
    "templates/language-chooser.html",
    "templates/partials/head.html",
    "templates/partials/header.html",
    "templates/partials/sidebar.html",
    "templates/partials/toc.html",
    "templates/partials/macros.html",
    "templates/partials/step.html",
    "templates/partials/pagenav.html",
    "templates/partials/langswitch.html",
    "templates/partials/variantswitch.html",
    "templates/partials/footer.html",
    "templates/partials/search.html",
    "templates/partials/page-header.html",
    "templates/partials/sections.html",
    "templates/partials/cards.html",
    "templates/partials/pdf-links.html",
];

const BUILTIN_STATIC: &[(&str, &str)] = builtin!["static/tejun.css", "static/tejun.js", "static/search.js"];

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`page.html`, `partials/step.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path inside `static/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The theme compiled into the binary.
    pub fn builtin() -> Theme {
        let strip = |name: &str, prefix: &str| name.strip_prefix(prefix).unwrap_or(name).to_string();
        Theme {
            templates: BUILTIN_TEMPLATES
                .iter()
                .map(|(name, text)| (strip(name, "templates/"), text.to_string()))
                .collect(),
            static_files: BUILTIN_STATIC
                .iter()
                .map(|(name, text)| (strip(name, "static/"), text.as_bytes().to_vec()))
                .collect(),
        }
    }

    /// Whether the template `name` (`page.html`, `partials/step.html`) is the
    /// built-in theme's, unchanged.
    pub fn is_builtin_template(&self, name: &str) -> bool {
        let builtin = BUILTIN_TEMPLATES.iter().find(|(path, _)| path.strip_prefix("templates/") == Some(name));
        matches!((builtin, self.templates.get(name)), (Some((_, source)), Some(ours)) if source == ours)
    }

    /// Whether every template is the built-in theme's, unchanged: the site has no
    /// template of its own.
    pub fn templates_are_builtin(&self) -> bool {
        self.templates.len() == BUILTIN_TEMPLATES.len()
            && self.templates.keys().all(|name| self.is_builtin_template(name))
    }

    /// The built-in theme with the site's own files laid over it.
    pub fn load(config: &Config, sources: &mut Sources) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::builtin();
        let theme_dir = config.root.join("themes").join(&config.theme);
        if config.theme != "default" && !theme_dir.is_dir() {
            return Err(vec![
                Diagnostic::error(
                    "unknown-theme",
                    format!("theme `{}` not found at {}", config.theme, theme_dir.display()),
                )
                .with_hint("create the folder, or remove `theme` from tejun.toml to use the default theme"),
            ]);
        }
        let mut errors = Vec::new();
        for dir in [theme_dir.join("templates"), config.root.join("templates")] {
            for (name, path) in files_under(&dir) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        sources.add(
                            path.strip_prefix(&config.root).unwrap_or(&path).display().to_string(),
                            &path,
                            text.clone(),
                        );
                        theme.templates.insert(name, text);
                    }
                    Err(err) => {
                        errors.push(Diagnostic::error("io", format!("cannot read template {}: {err}", path.display())))
                    }
                }
            }
        }
        for dir in [theme_dir.join("static"), config.root.join("static")] {
            for (name, path) in files_under(&dir) {
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        theme.static_files.insert(name, bytes);
                    }
                    Err(err) => errors.push(Diagnostic::error("io", format!("cannot read {}: {err}", path.display()))),
                }
            }
        }
        if errors.is_empty() { Ok(theme) } else { Err(errors) }
    }
}

/// Files under `dir` as (relative path with `/`, full path), sorted; none if absent.
fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            (name, e.path().to_path_buf())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `themes/default/` is compiled in; a forgotten one would only be
    /// noticed on sites that do not carry the theme folder themselves.
    #[test]
    fn every_theme_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let theme = Theme::builtin();
        for (name, _) in files_under(&dir.join("templates")) {
            assert!(theme.templates.contains_key(&name), "templates/{name} is not in BUILTIN_TEMPLATES");
        }
        for (name, _) in files_under(&dir.join("static")) {
            assert!(theme.static_files.contains_key(&name), "static/{name} is not in BUILTIN_STATIC");
        }
        assert_eq!(theme.templates.len(), files_under(&dir.join("templates")).len());
    }
}
