//! The text of every file the build read, kept so diagnostics can show the line and
//! turn byte offsets into line and column numbers counted from the start of the file;
//! and the scans over text that load, parse and render share (its lines, the first
//! byte of a kind), none of which does I/O.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Index of a file in [`Sources`].
pub type FileId = usize;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown to the user: relative to the site root where possible.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    /// Where each line starts, worked out the first time a diagnostic needs a line:
    /// most builds never do, and the pass over every byte of every page was made on
    /// the thread that gathers what the reading threads read.
    line_starts: OnceLock<Vec<usize>>,
}

/// Cheap to clone: `serve` keeps the files it read between builds and hands each
/// build its own copy of the list.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
    by_name: HashMap<String, FileId>,
}

impl Sources {
    /// Adds a file, or gives the file of that name its new text: a file read again
    /// keeps its id, so what was parsed from the others still points at the right ones.
    pub fn add(&mut self, name: impl Into<String>, path: &Path, text: String) -> FileId {
        let name = name.into();
        let file = Arc::new(SourceFile::new(name.clone(), path, text));
        match self.by_name.get(&name) {
            Some(&id) => {
                self.files[id] = file;
                id
            }
            None => {
                self.files.push(file);
                self.by_name.insert(name, self.files.len() - 1);
                self.files.len() - 1
            }
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let file = &self.files[id];
        let offset = floor_char_boundary(&file.text, offset.min(file.text.len()));
        let line = file.line_index(offset);
        let line_start = file.line_starts()[line];
        let column = file.text[line_start..offset].chars().count();
        (line + 1, column + 1)
    }
}

impl SourceFile {
    fn new(name: String, path: &Path, text: String) -> SourceFile {
        SourceFile { name, path: path.to_path_buf(), text, line_starts: OnceLock::new() }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let line_starts = self.line_starts();
        let start = *line_starts.get(line)?;
        let end = line_starts.get(line + 1).copied().unwrap_or(self.text.len());
        Some(start..end)
    }
}

/// Where the first byte of `bytes` that `wanted` holds for is: sixteen at a time
/// without branches, which the compiler turns into vector instructions, the last
/// few as part of the last sixteen. Escaping text for HTML and JSON and reading front
/// matter ask this of millions of strings.
#[inline]
pub fn first_wanted(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let any = |chunk: &[u8]| chunk.iter().fold(false, |any, &b| any | wanted(b));
    let mut chunks = bytes.chunks_exact(16);
    for (n, chunk) in (&mut chunks).enumerate() {
        if any(chunk) {
            return chunk.iter().position(|&b| wanted(b)).map(|i| n * 16 + i);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    if done > 0 && !any(&bytes[bytes.len() - 16..]) {
        return None;
    }
    chunks.remainder().iter().position(|&b| wanted(b)).map(|i| done + i)
}

/// `text`'s lines, newlines included, each with its offset in `text`: what
/// `split_inclusive('\n')` gives, with the newlines found by memchr's SIMD search
/// rather than one search set up per line. Parsing and the lints go through every
/// line of every page.
pub fn lines_with_offsets(text: &str) -> LinesWithOffsets<'_> {
    LinesWithOffsets { text, start: 0, newlines: memchr::memchr_iter(b'\n', text.as_bytes()) }
}

pub struct LinesWithOffsets<'t> {
    text: &'t str,
    start: usize,
    newlines: memchr::Memchr<'t>,
}

impl<'t> Iterator for LinesWithOffsets<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<(usize, &'t str)> {
        if self.start >= self.text.len() {
            return None;
        }
        let end = self.newlines.next().map_or(self.text.len(), |newline| newline + 1);
        let start = std::mem::replace(&mut self.start, end);
        Some((start, &self.text[start..end]))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl<'a> codespan_reporting::files::Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files.get(id).map(|f| f.name.as_str()).ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files.get(id).map(|f| f.text.as_str()).ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        let file = self.files.get(id).ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index.min(file.text.len())))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self.files.get(id).ok_or(codespan_reporting::files::Error::FileMissing)?;
        file.line_range(line_index).ok_or(codespan_reporting::files::Error::LineTooLarge {
            given: line_index,
            max: file.line_starts().len() - 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_wanted_finds_the_first_wanted_byte_at_any_length_and_place() {
        let controls = |b: u8| b < 0x20 || b == b'"';
        for len in 0..40 {
            let plain = "あ".repeat(len / 3) + &"x".repeat(len % 3);
            assert_eq!(first_wanted(plain.as_bytes(), controls), None, "{plain:?}");
            for at in 0..len {
                for wanted in [b'\n', b'"', 0] {
                    let mut bytes = b"y".repeat(len);
                    bytes[at] = wanted;
                    if at + 1 < len {
                        bytes[len - 1] = b'"';
                    }
                    assert_eq!(first_wanted(&bytes, controls), Some(at), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn lines_with_offsets_are_split_inclusive_with_offsets() {
        for text in ["", "\n", "a", "a\n", "a\nb", "一行目\n\n三行目\r\n", "\n\nx\n"] {
            let mut offset = 0;
            let expected: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .map(|line| {
                    offset += line.len();
                    (offset - line.len(), line)
                })
                .collect();
            assert_eq!(lines_with_offsets(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn line_and_column_count_characters_from_the_start_of_the_file() {
        let mut sources = Sources::default();
        let id = sources.add("a.md", Path::new("a.md"), "+++\ntitle = 1\n+++\n手順 x\n".into());
        assert_eq!(sources.line_col(id, 0), (1, 1));
        assert_eq!(sources.line_col(id, 4), (2, 1));
        let x = sources.get(id).text.find('x').unwrap();
        assert_eq!(sources.line_col(id, x), (4, 4));
    }
}
