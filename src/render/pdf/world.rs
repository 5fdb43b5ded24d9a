//! What typst sees of the outside world while it compiles one document: the
//! generated source, the manual's images (already in memory) and the fonts. Nothing
//! here reads the disk, so compiling is as pure as the other renderers, and typst's
//! `today()` is unavailable, so no PDF depends on the day it was built.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::fonts::Fonts;
use super::markup::ASSET_ROOT;

/// Image bytes by their path inside `content/`.
pub type Images = HashMap<String, Bytes>;

pub struct PdfWorld<'a> {
    pub library: &'a LazyHash<Library>,
    pub fonts: &'a Fonts,
    pub images: &'a Images,
    pub main: Source,
}

impl<'a> PdfWorld<'a> {
    pub fn new(library: &'a LazyHash<Library>, fonts: &'a Fonts, images: &'a Images, source: String) -> Self {
        // Every document is `/main.typ`: typst interns file ids for good, so one id
        // serves every compile of every build.
        let id = match VirtualPath::new("/main.typ") {
            Ok(path) => RootedPath::new(VirtualRoot::Project, path).intern(),
            Err(_) => unreachable!("`/main.typ` is a valid virtual path"),
        };
        PdfWorld { library, fonts, images, main: Source::new(id, source) }
    }
}

impl World for PdfWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().get_with_slash();
        path.strip_prefix(ASSET_ROOT).and_then(|asset| self.images.get(asset)).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
