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
    /// Made by tejun rather than read: a page the manual needs and does not have.
    pub generated: bool,
    /// The file as written, when `text` has other files' text put in it
    /// (`{{#include}}` and the like): diagnostics show it, and their places are moved
    /// onto it.
    written: Option<Box<Written>>,
    /// Where each line starts, worked out the first time a diagnostic needs a line:
    /// most builds never do, and the pass over every byte of every page was made on
    /// the thread that gathers what the reading threads read.
    line_starts: OnceLock<Vec<usize>>,
}

/// Where a problem is shown: a span of a file as written, and, for one in text
/// put in from another file, the span of the file that put it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub file: FileId,
    pub span: Range<usize>,
    pub included_at: Option<(FileId, Range<usize>)>,
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
        self.add_file(SourceFile::new(name.into(), path, text))
    }

    /// Adds a page whose `text` has other files' text put in it; `written` is the
    /// file as it is, and `included` the files put in (their names from the site's
    /// folder `root`, and their text), which problems in their text are shown in.
    pub fn add_expanded(
        &mut self,
        name: impl Into<String>,
        path: &Path,
        text: String,
        mut written: Written,
        (root, included): (&Path, Vec<(String, String)>),
    ) -> FileId {
        written.files = included
            .into_iter()
            .map(|(name, text)| match self.by_name.get(&name) {
                Some(&id) if self.files[id].text == text => id,
                _ => self.add(name.clone(), &root.join(&name), text),
            })
            .collect();
        self.add_file(SourceFile { written: Some(Box::new(written)), ..SourceFile::new(name.into(), path, text) })
    }

    /// Where a problem at `span` of file `id`'s text parsed is to be shown: in the
    /// file as written, or, inside text another file put in, in that file, with the
    /// place that put it in.
    pub fn place(&self, id: FileId, span: Range<usize>) -> Place {
        let file = &self.files[id];
        let shown = file.shown_span(span.clone());
        let origin = file.written.as_ref().and_then(|written| {
            let (inner, start) = written.origin(span.start)?;
            let last = written.origin(span.end.max(span.start + 1) - 1);
            let text = &self.files[inner].text;
            let start = floor_char_boundary(text, start.min(text.len()));
            let end = match last {
                Some((same, last)) if same == inner && last >= start => last + 1,
                // Ending in text put in from elsewhere: to the end of its line there.
                _ => text[start..].find('\n').map_or(text.len(), |at| start + at),
            };
            Some((inner, start..floor_char_boundary(text, end.min(text.len())).max(start)))
        });
        match origin {
            Some((inner, span)) => Place { file: inner, span, included_at: Some((id, shown)) },
            None => Place { file: id, span: shown, included_at: None },
        }
    }

    /// Adds a file tejun made up, as if it had been read from `path`.
    pub fn add_generated(&mut self, name: impl Into<String>, path: &Path, text: String) -> FileId {
        self.add_file(SourceFile { generated: true, ..SourceFile::new(name.into(), path, text) })
    }

    fn add_file(&mut self, file: SourceFile) -> FileId {
        let name = file.name.clone();
        let file = Arc::new(file);
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

    /// 1-based line and column (in characters) of a byte offset of the text parsed,
    /// in the file as written.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let file = &self.files[id];
        self.shown_line_col(id, file.shown_span(offset..offset).start)
    }

    /// 1-based line and column (in characters) of a byte offset of the file as
    /// written, as [`Sources::place`] gives them.
    pub fn shown_line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let file = &self.files[id];
        let shown = file.shown();
        let offset = floor_char_boundary(shown, offset.min(shown.len()));
        let line = file.line_index(offset);
        let line_start = file.line_starts()[line];
        let column = shown[line_start..offset].chars().count();
        (line + 1, column + 1)
    }
}

impl SourceFile {
    fn new(name: String, path: &Path, text: String) -> SourceFile {
        SourceFile {
            name,
            path: path.to_path_buf(),
            text,
            generated: false,
            written: None,
            line_starts: OnceLock::new(),
        }
    }

    /// The file as written, which diagnostics show.
    pub fn shown(&self) -> &str {
        self.written.as_ref().map_or(&self.text, |written| &written.text)
    }

    /// Where `span` of the text parsed is in the file as written: in text another
    /// file put in, the place that put it in.
    pub fn shown_span(&self, span: Range<usize>) -> Range<usize> {
        match &self.written {
            None => span,
            Some(written) => {
                let start = written.start(span.start);
                let end = if span.end <= span.start { start } else { written.end(span.end) };
                start..end.max(start)
            }
        }
    }

    /// Where byte `at` of the text parsed is in the file as written, unless another
    /// file put it in.
    pub fn written_offset(&self, at: usize) -> Option<usize> {
        match &self.written {
            None => Some(at),
            Some(written) => written.copied_offset(at),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(self.shown().match_indices('\n').map(|(i, _)| i + 1)).collect())
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
        let end = line_starts.get(line + 1).copied().unwrap_or(self.shown().len());
        Some(start..end)
    }
}

/// A file as written, beside the text parsed from it with other files' text put in:
/// the parsed text in pieces, each either copied from the file or put in for a span
/// of it (the line that includes a file).
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub text: String,
    /// Where each piece starts in the text parsed and where it is in the file; for
    /// text put in, the length of what it was put in for.
    pieces: Vec<(usize, usize, Option<usize>)>,
    /// Where the text put in comes from: from each offset of the text parsed on, up
    /// to the next, the file put in (of `files`) and the offset there, or `None` for
    /// text made to put in (a code fence, indentation).
    origins: Vec<(usize, Option<(usize, usize)>)>,
    /// The files put in, once `Sources` holds them.
    files: Vec<FileId>,
}

impl Written {
    pub fn new(text: String) -> Written {
        Written { text, pieces: Vec::new(), origins: Vec::new(), files: Vec::new() }
    }

    /// Text put in at `parsed` comes from where `origins` say, offsets counted from
    /// the start of that text, files numbered as the page's files put in.
    pub fn traced(&mut self, parsed: usize, origins: &[(usize, Option<(usize, usize)>)]) {
        self.origins.extend(origins.iter().map(|&(at, origin)| (parsed + at, origin)));
    }

    /// The file put in that byte `at` of the text parsed was written in, and where.
    fn origin(&self, at: usize) -> Option<(FileId, usize)> {
        // Only inside text put in: the pieces say where that is.
        self.piece(at).filter(|(_, _, put_in)| put_in.is_some())?;
        let index = self.origins.partition_point(|&(start, _)| start <= at).checked_sub(1)?;
        let (start, origin) = self.origins[index];
        let (file, offset) = origin?;
        Some((*self.files.get(file)?, offset + (at - start)))
    }

    /// The text parsed goes on from `parsed` with the file's own text from `written`.
    pub fn copied(&mut self, parsed: usize, written: usize) {
        self.pieces.push((parsed, written, None));
    }

    /// The text parsed goes on from `parsed` with text put in for `written`.
    pub fn put_in(&mut self, parsed: usize, written: Range<usize>) {
        self.pieces.push((parsed, written.start, Some(written.len())));
    }

    fn piece(&self, at: usize) -> Option<(usize, usize, Option<usize>)> {
        match self.pieces.partition_point(|&(parsed, _, _)| parsed <= at) {
            0 => None,
            index => self.pieces.get(index - 1).copied(),
        }
    }

    /// Where the span starting at `at` starts in the file: in text put in, where
    /// what it was put in for starts.
    fn start(&self, at: usize) -> usize {
        match self.piece(at) {
            None => at,
            Some((parsed, written, None)) => written + (at - parsed),
            Some((_, written, Some(_))) => written,
        }
        .min(self.text.len())
    }

    /// Where the span ending at `end` (after byte `end - 1`) ends in the file.
    fn end(&self, end: usize) -> usize {
        match self.piece(end - 1) {
            None => end,
            Some((parsed, written, None)) => written + (end - parsed),
            Some((_, written, Some(length))) => written + length,
        }
        .min(self.text.len())
    }

    fn copied_offset(&self, at: usize) -> Option<usize> {
        match self.piece(at) {
            None => Some(at),
            Some((parsed, written, None)) => Some(written + (at - parsed)),
            Some(_) => None,
        }
    }
}

/// The bytes a [`first_of`] search stops at: every byte below `below`, and the
/// `needles`.
#[derive(Debug, Clone, Copy)]
pub struct ByteSet<const N: usize> {
    pub below: u8,
    pub needles: [u8; N],
}

impl<const N: usize> ByteSet<N> {
    pub fn has(&self, b: u8) -> bool {
        b < self.below || self.needles.contains(&b)
    }
}

/// Where the first byte of `bytes` in `set` is. Escaping text for HTML and JSON and
/// reading front matter ask this of millions of strings. Sixteen bytes at a time with
/// SSE2's comparisons on x86-64: the same test written per byte, `b == b'&' | b ==
/// b'<' | …`, the compiler turned into a bit test and then into seventy vector
/// instructions a chunk, where this takes a dozen.
#[inline]
pub fn first_of<const N: usize>(bytes: &[u8], set: ByteSet<N>) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sixteen::first_of(bytes, set)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bytes.iter().position(|&b| set.has(b))
    }
}

#[cfg(target_arch = "x86_64")]
mod sixteen {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128,
    };

    use super::ByteSet;

    #[inline]
    pub fn first_of<const N: usize>(bytes: &[u8], set: ByteSet<N>) -> Option<usize> {
        if bytes.len() < 16 {
            return bytes.iter().position(|&b| set.has(b));
        }
        let mut chunks = bytes.chunks_exact(16);
        for (n, chunk) in (&mut chunks).enumerate() {
            let found = in_set(chunk, &set);
            if found != 0 {
                return Some(n * 16 + found.trailing_zeros() as usize);
            }
        }
        if chunks.remainder().is_empty() {
            return None;
        }
        // The last sixteen bytes, overlapping the chunks before: those hold none.
        let found = in_set(&bytes[bytes.len() - 16..], &set);
        (found != 0).then(|| bytes.len() - 16 + found.trailing_zeros() as usize)
    }

    /// A bit for each of the sixteen bytes of `chunk` in `set`, the first byte lowest.
    #[inline(always)]
    fn in_set<const N: usize>(chunk: &[u8], set: &ByteSet<N>) -> u32 {
        assert!(chunk.len() >= 16);
        // SAFETY: SSE2 is part of x86-64, and `chunk` holds the sixteen bytes an
        // unaligned load reads.
        unsafe {
            let bytes = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let mut hits = _mm_setzero_si128();
            for needle in set.needles {
                hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(needle as i8)));
            }
            if set.below > 0 {
                // Unsigned `b <= below - 1`: the smaller of the two is the byte itself.
                let highest = _mm_set1_epi8((set.below - 1) as i8);
                hits = _mm_or_si128(hits, _mm_cmpeq_epi8(_mm_min_epu8(bytes, highest), bytes));
            }
            _mm_movemask_epi8(hits) as u32
        }
    }
}

/// Whether `line` (without its indentation) is a fence closing one of `len` `c`s.
pub fn closes_fence(line: &str, c: u8, len: usize) -> bool {
    let run = line.bytes().take_while(|&b| b == c).count();
    run >= len && line[run..].trim().is_empty()
}

/// The character and length of the code fence `line` (without its indentation)
/// opens, if it opens one.
pub fn fence_opening(line: &str) -> Option<(u8, usize)> {
    let c = *line.as_bytes().first().filter(|&&c| c == b'`' || c == b'~')?;
    let run = line.bytes().take_while(|&b| b == c).count();
    (run >= 3).then_some((c, run))
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
        self.files.get(id).map(|f| f.shown()).ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        let file = self.files.get(id).ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index.min(file.shown().len())))
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
    fn first_of_finds_the_first_byte_of_the_set_at_any_length_and_place() {
        let sets = [ByteSet { below: 0x20, needles: [b'"', 0xC2] }, ByteSet { below: 0, needles: [b'"', b'\n'] }];
        for set in sets {
            for len in 0..40 {
                // Bytes above 0x7F count as negative in SSE2's signed comparisons.
                let plain = "あ".repeat(len / 3) + &"x".repeat(len % 3);
                assert_eq!(first_of(plain.as_bytes(), set), None, "{plain:?}");
                for at in 0..len {
                    for wanted in [b'\n', b'"', 0, 0x1F, 0x20, 0xC2, 0xFF] {
                        let mut bytes = b"y".repeat(len);
                        bytes[at] = wanted;
                        if at + 1 < len {
                            bytes[len - 1] = b'"';
                        }
                        let expected = bytes.iter().position(|&b| set.has(b));
                        assert_eq!(first_of(&bytes, set), expected, "{set:?} {bytes:?}");
                        if set.has(wanted) {
                            assert_eq!(expected, Some(at));
                        }
                    }
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
