//! Compiled PDFs kept between builds, by content: a PDF whose Typst source, images
//! and fonts are what they were, made by the same tejun executable, is copied from
//! the cache instead of typeset again. Part of render: the one place a renderer
//! reads and writes files outside the output, which `output` cannot do for it since
//! what to read is known only once a document's source is.
//!
//! Typesetting is deterministic, so a cached PDF is byte for byte the one a compile
//! would make. The cache is a folder of `HASH.pdf` files (`.tejun-cache/pdf/` in the
//! site by default) that can be deleted at any time; entries are written to a
//! temporary file and renamed, so a killed build never leaves half a PDF there.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use super::fonts::Fonts;
use super::world::Images;

pub struct Cache {
    dir: PathBuf,
    /// What every document shares: tejun's version and the fonts.
    base: u64,
}

impl Cache {
    pub fn new(dir: &Path, fonts: &Fonts) -> Cache {
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        // Another build of tejun may typeset differently at the same version.
        let executable = std::env::current_exe().and_then(std::fs::metadata);
        if let Ok(metadata) = executable {
            metadata.len().hash(&mut hasher);
            metadata.modified().ok().hash(&mut hasher);
        }
        fonts.fingerprint().hash(&mut hasher);
        Cache { dir: dir.to_path_buf(), base: hasher.finish() }
    }

    /// The key of a document: its source and the bytes of the images it names.
    pub fn key(&self, source: &str, images: &Images) -> String {
        let mut hasher = DefaultHasher::new();
        self.base.hash(&mut hasher);
        source.hash(&mut hasher);
        let mut used: Vec<(&String, &typst::foundations::Bytes)> =
            images.iter().filter(|(name, _)| source.contains(name.as_str())).collect();
        used.sort_by(|a, b| a.0.cmp(b.0));
        for (name, bytes) in used {
            name.hash(&mut hasher);
            bytes.as_slice().hash(&mut hasher);
        }
        // A second, differently seeded hash makes the key 128 bits.
        let first = hasher.finish();
        first.hash(&mut hasher);
        format!("{first:016x}{:016x}", hasher.finish())
    }

    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join(format!("{key}.pdf"))).ok()
    }

    /// Keeps a compiled PDF; a cache that cannot be written only costs time later.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            let temporary = self.dir.join(format!(".{key}.{}.part", std::process::id()));
            std::fs::write(&temporary, bytes)?;
            std::fs::rename(&temporary, self.dir.join(format!("{key}.pdf")))
        };
        let _ = write();
    }
}
