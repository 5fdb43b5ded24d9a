//! The synthetic manual with a two-value dimension: `[variants.browser]` (Edge, the
//! default, and Chrome), derived from the synthetic site by rewriting its Markdown.
//! Every page's introduction gets an Edge and a Chrome container, and every seventh
//! step a Chrome-only step before it, which shifts the numbers after it in the Chrome
//! manual only. Nothing references the new steps, so the site builds as it is; the
//! figure to compare is its build time against the plain synthetic site's.

use std::fs;
use std::io;
use std::path::Path;

const VARIANTS: &str = "\n[variants.browser]\nvalues = [\"edge\", \"chrome\"]\nja = [\"Microsoft Edge\", \"Google Chrome\"]\nen = [\"Microsoft Edge\", \"Google Chrome\"]\n";

/// Writes the variant site into `dir` from the synthetic site at `plain`, unless it
/// is there already for the same plain site.
pub fn ensure(plain: &Path, dir: &Path) -> io::Result<()> {
    let marker = dir.join(".tejun-bench");
    let source_marker = fs::read_to_string(plain.join(".tejun-bench"))?;
    if fs::read_to_string(&marker).ok().as_deref() == Some(source_marker.as_str()) {
        return Ok(());
    }
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    let config = fs::read_to_string(plain.join("tejun.toml"))?;
    fs::write(dir.join("tejun.toml"), config + VARIANTS)?;
    copy_content(&plain.join("content"), &dir.join("content"))?;
    fs::write(marker, source_marker)
}

fn copy_content(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_content(&path, &target)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(&path)?;
            let is_page = !entry.file_name().to_string_lossy().starts_with("_index");
            fs::write(&target, if is_page { with_variants(&text) } else { text })?;
        } else {
            fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

/// The page with an Edge and a Chrome container after its front matter and a
/// Chrome-only step before every seventh step.
fn with_variants(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2048);
    let mut fences = 0;
    let mut steps = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            fences += 1;
            // Odd fences after the front matter's two open a step block.
            if fences > 2 && fences % 2 == 1 {
                steps += 1;
                if steps % 7 == 0 {
                    out.push_str(&format!(
                        "+++\nid = \"chrome-only-{steps}\"\ntitle = \"Chrome: keep the file\"\nonly = {{ browser = \"chrome\" }}\n+++\n\nIn Google Chrome, click **Keep** when asked.\n\n"
                    ));
                }
            }
        }
        out.push_str(line);
        if fences == 2 && line.trim_end() == "+++" {
            out.push_str("\n::: browser=edge\n\nMicrosoft Edge shows the download at the top right.\n\n:::\n\n::: browser=chrome\n\nGoogle Chrome shows the download at the bottom left.\n\n:::\n");
        }
    }
    out
}
