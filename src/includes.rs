//! Stage 2, load: other files' text put into a page where the page says so, as the
//! tools pages come from do before they read the Markdown — mdBook's `{{#include}}`
//! (with `{{#rustdoc_include}}` and `{{#playground}}`), MkDocs' snippets (`--8<--`),
//! MyST's `{include}` and `{literalinclude}`, Liquid's `{% include %}` and `{%
//! include_relative %}` (GitBook, Jekyll), the `readfile` shortcode of Hugo's docs
//! themes, Docusaurus' partials (`import Login from './_login.md';` and `<Login
//! />`) and Microsoft Learn's `[!INCLUDE [題](includes/a.md)]` and code snippets
//! (`[!code-csharp[](Program.cs#snippet)]`, `:::code source="…" id="…":::`). A page is parsed
//! with the text in; [`Written`] keeps the file as written, so a problem in included
//! text is shown at the line that includes it.
//!
//! This module reads nothing itself: [`expand`] is given a function that reads a file
//! by its path from the site's folder, which `load` supplies.

use std::ops::Range;

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::resolve::join_inside;
use crate::source::{Written, closes_fence, fence_opening, lines_with_offsets};

/// Included files may include others, this deep.
const MAX_DEPTH: usize = 8;

/// A page with the files it includes put in.
#[derive(Debug)]
pub struct Expanded {
    pub text: String,
    pub written: Written,
    /// Every path looked at for a file to put in, nested ones too, found or not, by
    /// its path from the site's folder: a file made or changed at any of them changes
    /// the page.
    pub looked_at: Vec<String>,
    pub problems: Vec<Problem>,
    /// Every file put in, as (path from the site's folder, text): where problems in
    /// the text put in are shown ([`Written::traced`] numbers them in this order).
    pub files: Vec<(String, String)>,
}

/// A file that could not be put in, at the span of the text parsed that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// Reads a file by its path from the site's folder (`content/guide/main.rs`); `Err`
/// says why it could not be read, `Ok(None)` that there is no such file.
pub type Read<'r> = &'r (dyn Fn(&str) -> Result<Option<String>, String> + Sync);

/// Whether `text` may name a file to include: what pages without any pay for.
/// Every mark but MkDocs' starts with `{`, which most pages have none of; the searches
/// go at memchr's SIMD speed (one Aho-Corasick search for all the marks took ten times
/// as long).
pub fn may_include(text: &str) -> bool {
    static SNIPPETS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("8<-"));
    static IMPORTS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("import "));
    static WORDS: LazyLock<[Finder<'static>; 3]> =
        LazyLock::new(|| [Finder::new("include"), Finder::new("readfile"), Finder::new("{{#playground")]);
    static DOCFX: LazyLock<[Finder<'static>; 5]> = LazyLock::new(|| {
        [
            Finder::new("[!INCLUDE"),
            Finder::new("[!include"),
            Finder::new("[!code"),
            Finder::new("[!CODE"),
            Finder::new(":::code "),
        ]
    });
    let bytes = text.as_bytes();
    SNIPPETS.find(bytes).is_some()
        || IMPORTS.find(bytes).is_some()
        || DOCFX.iter().any(|mark| mark.find(bytes).is_some())
        || (memchr::memchr(b'{', bytes).is_some() && WORDS.iter().any(|word| word.find(bytes).is_some()))
}

/// `text`, the page at `page` (its path from the site's folder), with what it
/// includes put in; `None` when it includes nothing.
pub fn expand(text: &str, page: &str, read: Read) -> Option<Expanded> {
    if !may_include(text) {
        return None;
    }
    let directives = directives(text);
    if directives.is_empty() {
        return None;
    }
    let mut expander = Expander { read, looked_at: Vec::new(), stack: vec![page.to_string()], files: Vec::new() };
    let mut out = String::with_capacity(text.len() * 2);
    let mut written = Written::new(text.to_string());
    let mut problems = Vec::new();
    let mut copied = 0;
    for directive in directives {
        written.copied(out.len(), copied);
        out.push_str(&text[copied..directive.span.start]);
        match expander.text_for(&directive, text, page) {
            Ok(inserted) => {
                written.put_in(out.len(), directive.span.clone());
                written.traced(out.len(), &inserted.origins);
                out.push_str(&inserted.text);
            }
            Err((message, hint)) => {
                // Blank, so that the page's reading does not report the mark again
                // (as a Hugo shortcode or a Liquid tag it does not run).
                written.put_in(out.len(), directive.span.clone());
                let blank: String =
                    text[directive.span.clone()].chars().map(|c| if c == '\n' { c } else { ' ' }).collect();
                problems.push(Problem { span: out.len()..out.len() + blank.len(), message, hint });
                out.push_str(&blank);
            }
        }
        copied = directive.span.end;
    }
    written.copied(out.len(), copied);
    out.push_str(&text[copied..]);
    Some(Expanded { text: out, written, looked_at: expander.looked_at, problems, files: expander.files })
}

/// A place that names a file to put in, or text to put in as it is.
#[derive(Debug, Clone, PartialEq)]
struct Directive {
    /// What the included text replaces.
    span: Range<usize>,
    what: What,
    /// The line's indentation when the directive is all its line holds: the included
    /// lines after the first get it too, so they stay in a list item.
    indent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    File {
        syntax: Syntax,
        path: String,
        part: Part,
        code: Option<Code>,
    },
    /// An escaped directive (`\{{#include a.rs}}`, `;--8<-- "a.md"`), shown as this.
    Literal(String),
}

/// Which tool's directive, which says where its paths start.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Syntax {
    MdBook,
    Snippets,
    Myst,
    /// Liquid's `include_relative`, GitBook's `include "./a.md"`, Hugo's `readfile`:
    /// from the page's folder.
    Relative,
    /// Jekyll's `{% include name %}`, from `_includes/`; left to be reported as a
    /// Liquid tag when there is no such file, as most are templates of a theme.
    JekyllInclude,
    /// A Docusaurus partial: from the page's folder, or from the site's with `@site/`.
    Docusaurus,
    /// Microsoft Learn's `[!INCLUDE]`: from the page's folder, or from `content/`
    /// with `~/`; the included file's front matter is left out.
    Docfx,
    /// Microsoft Learn's code snippets, `[!code-csharp[](a.cs)]` and `:::code
    /// source="a.cs":::`: found as `[!INCLUDE]`'s files are, and dedented.
    DocfxCode,
}

/// Which lines of the file.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Whole,
    /// Lines from the first to the last, counted from 1, both included.
    Lines(Vec<(usize, Option<usize>)>),
    /// mdBook's `ANCHOR: name` … `ANCHOR_END: name`.
    Anchor(String),
    /// MkDocs' `--8<-- [start:name]` … `--8<-- [end:name]`.
    Section(String),
    /// MyST's `:start-after:` and `:end-before:` (and `:start-line:`, `:end-line:`
    /// as lines counted from 0).
    Between {
        after: Option<String>,
        before: Option<String>,
        lines: Option<(usize, Option<usize>)>,
    },
    /// DocFX's tagged lines: between comments `// <name>` and `// </name>` (`#`,
    /// `'`, `--`, `<!-- -->` as the language writes comments), or C#'s `#region
    /// name` and its `#endregion`.
    Tag(String),
}

/// A code block made of the file (`{literalinclude}`, `readfile code="true"`).
#[derive(Debug, Clone, PartialEq)]
struct Code {
    language: Option<String>,
    caption: Option<String>,
}

/// Every directive in `text`, in order, none overlapping.
fn directives(text: &str) -> Vec<Directive> {
    let partials = partial_imports(text);
    let mut found = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut in_snippet_block = false;
    // A MyST include directive being read, with its fence's character and length.
    let mut myst: Option<(Directive, u8, usize)> = None;
    for (offset, line) in lines_with_offsets(text) {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let trimmed = &content[indent..];
        let span = offset..offset + content.len();
        let alone = (indent > 0).then(|| content[..indent].to_string());
        if let Some((mut directive, fence_char, fence_len)) = myst.take() {
            if closes_fence(trimmed, fence_char, fence_len) {
                directive.span.end = span.end;
                found.push(directive);
            } else {
                if let Some((key, value)) = option_line(trimmed) {
                    add_option(&mut directive.what, key, value);
                    directive.span.end = span.end;
                }
                // A directive with content: ends at its closing fence all the same.
                myst = Some((directive, fence_char, fence_len));
            }
            continue;
        }
        if in_snippet_block {
            // The block's lines go, each path line for its file.
            in_snippet_block = !is_scissors(trimmed);
            let what = match snippet_path(trimmed) {
                (path, part) if in_snippet_block && !path.is_empty() && !trimmed.starts_with(';') => {
                    What::File { syntax: Syntax::Snippets, path, part, code: None }
                }
                _ => What::Literal(String::new()),
            };
            let span = if matches!(what, What::File { .. }) { offset + indent..span.end } else { span };
            found.push(Directive { span, what, indent: alone });
            continue;
        }
        // Microsoft Learn's marks are not read in code, as DocFX does not.
        let in_code = fence.is_some();
        match fence {
            Some((c, len)) if closes_fence(trimmed, c, len) => fence = None,
            Some(_) => {}
            None => {
                if let Some((what, fence_char, fence_len)) = myst_opening(trimmed) {
                    let directive = Directive { span: offset + indent..span.end, what, indent: alone.clone() };
                    myst = Some((directive, fence_char, fence_len));
                    continue;
                }
                if let Some(opening) = fence_opening(trimmed).filter(|_| indent <= 3) {
                    fence = Some(opening);
                }
            }
        }
        if is_scissors(trimmed) {
            in_snippet_block = true;
            found.push(Directive { span, what: What::Literal(String::new()), indent: None });
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(';').filter(|rest| is_scissors_line(rest)) {
            let what = What::Literal(rest.to_string());
            found.push(Directive { span: offset + indent..span.end, what, indent: None });
            continue;
        }
        if !partials.is_empty()
            && let Some(what) = partial_use(trimmed, &partials)
        {
            let start = if what == What::Literal(String::new()) { offset } else { offset + indent };
            found.push(Directive { span: start..span.end, what, indent: alone });
            continue;
        }
        if let Some((path, part)) = snippet_line(trimmed) {
            let what = What::File { syntax: Syntax::Snippets, path, part, code: None };
            found.push(Directive { span: offset + indent..span.end, what, indent: alone });
            continue;
        }
        if !in_code && let Some(what) = docfx_code_line(trimmed) {
            found.push(Directive { span: offset + indent..span.end, what, indent: alone });
            continue;
        }
        inline_directives(text, span, indent, in_code, &mut found);
    }
    found
}

/// The Markdown files an MDX page imports (`import Login from './_login.md';`), by
/// the name it gives them.
fn partial_imports(text: &str) -> Vec<(String, String)> {
    if !text.contains("import ") {
        return Vec::new();
    }
    text.lines().filter_map(|line| partial_import(line.trim())).collect()
}

fn partial_import(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("import ")?;
    let (name, rest) = rest.split_once(" from ")?;
    let name = name.trim();
    let rest = rest.trim().trim_end_matches(';').trim();
    let quote = rest.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let path = rest[1..].strip_suffix(quote)?;
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (is_name && (path.ends_with(".md") || path.ends_with(".mdx"))).then(|| (name.to_string(), path.to_string()))
}

/// What a line of an MDX page that imports partials stands for: nothing for the
/// import itself, the file for `<Login />`.
fn partial_use(line: &str, partials: &[(String, String)]) -> Option<What> {
    if let Some((_, path)) = partial_import(line) {
        return partials.iter().any(|(_, p)| *p == path).then(|| What::Literal(String::new()));
    }
    let tag = line.strip_prefix('<')?.strip_suffix("/>")?.trim();
    let name = tag.split_whitespace().next()?;
    let (_, path) = partials.iter().find(|(n, _)| n == name)?;
    Some(What::File { syntax: Syntax::Docusaurus, path: path.clone(), part: Part::Whole, code: None })
}

/// MyST's ```` ```{include} path ```` or `:::{literalinclude} path`.
fn myst_opening(line: &str) -> Option<(What, u8, usize)> {
    let c = *line.as_bytes().first().filter(|&&c| c == b'`' || c == b'~' || c == b':')?;
    let run = line.bytes().take_while(|&b| b == c).count();
    if run < 3 {
        return None;
    }
    let rest = line[run..].trim_start();
    let (code, path) = if let Some(path) = rest.strip_prefix("{include}") {
        (None, path)
    } else if let Some(path) = rest.strip_prefix("{literalinclude}") {
        (Some(Code { language: None, caption: None }), path)
    } else {
        return None;
    };
    let path = path.trim().to_string();
    let part = match code {
        Some(_) => Part::Whole,
        None => Part::Between { after: None, before: None, lines: None },
    };
    Some((What::File { syntax: Syntax::Myst, path, part, code }, c, run))
}

/// `:key: value` under a MyST directive's fence.
fn option_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let (key, value) = rest.split_once(':')?;
    (!key.is_empty() && !key.contains(' ')).then(|| (key, value.trim()))
}

/// What a MyST option says of the lines to take or the code block to make; the
/// others (`:linenos:`, `:emphasize-lines:`) change nothing here.
fn add_option(what: &mut What, key: &str, value: &str) {
    let What::File { part, code, .. } = what else { return };
    let number = || value.parse::<usize>().ok();
    match key {
        "language" | "lang" => {
            if let Some(code) = code {
                code.language = Some(value.to_string());
            }
        }
        "caption" => {
            if let Some(code) = code {
                code.caption = Some(value.to_string());
            }
        }
        "lines" => {
            if let Some(ranges) = line_list(value) {
                *part = Part::Lines(ranges);
            }
        }
        "start-after" | "start-at" | "end-before" | "end-at" | "start-line" | "end-line" => {
            if !matches!(part, Part::Between { .. }) {
                *part = Part::Between { after: None, before: None, lines: None };
            }
            let Part::Between { after, before, lines } = part else { return };
            match key {
                "start-after" | "start-at" => *after = Some(value.to_string()),
                "end-before" | "end-at" => *before = Some(value.to_string()),
                "start-line" => *lines = Some((number().unwrap_or(0), lines.and_then(|(_, end)| end))),
                _ => *lines = Some((lines.map_or(0, |(start, _)| start), number())),
            }
        }
        _ => {}
    }
}

/// Sphinx's `1,3,5-10,20-`: lines counted from 1.
fn line_list(value: &str) -> Option<Vec<(usize, Option<usize>)>> {
    value
        .split(',')
        .map(|item| {
            let item = item.trim();
            match item.split_once('-') {
                Some((first, last)) => {
                    let first = if first.is_empty() { 1 } else { first.trim().parse().ok()? };
                    let last = if last.trim().is_empty() { None } else { Some(last.trim().parse().ok()?) };
                    Some((first, last))
                }
                None => item.parse().ok().map(|n| (n, Some(n))),
            }
        })
        .collect()
}

/// `--8<--` (with any number of dashes each side) alone.
fn is_scissors(line: &str) -> bool {
    let dashes = line.bytes().take_while(|&b| b == b'-').count();
    dashes >= 1
        && line[dashes..].strip_prefix("8<").is_some_and(|rest| {
            let after = rest.bytes().take_while(|&b| b == b'-').count();
            after >= 1 && rest[after..].trim().is_empty()
        })
}

/// A line starting with `--8<--`, alone or naming a file.
fn is_scissors_line(line: &str) -> bool {
    is_scissors(line) || snippet_line(line).is_some()
}

/// MkDocs' `--8<-- "path"`, the path and the part.
fn snippet_line(line: &str) -> Option<(String, Part)> {
    let dashes = line.bytes().take_while(|&b| b == b'-').count();
    let rest = line[dashes..].strip_prefix("8<").filter(|_| dashes >= 1)?;
    let after = rest.bytes().take_while(|&b| b == b'-').count();
    let rest = rest[after..].trim();
    if after == 0 || rest.len() < 2 {
        return None;
    }
    let quote = rest.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let path = rest[1..].strip_suffix(quote)?;
    Some(snippet_path(path))
}

/// A snippet's path and part: `a.md:3:8` lines 3 to 8, `a.md:name` a section.
fn snippet_path(written: &str) -> (String, Part) {
    let mut pieces = written.split(':');
    let path = pieces.next().unwrap_or_default().trim().to_string();
    let rest: Vec<&str> = pieces.collect();
    let part = match rest.as_slice() {
        [] => Part::Whole,
        [name] if name.parse::<usize>().is_err() && !name.is_empty() => Part::Section(name.to_string()),
        // `a.md:3` and `a.md:3:` to the end, `a.md::8` from the start.
        [first, rest @ ..] => {
            let first = first.parse().unwrap_or(1);
            Part::Lines(vec![(first, rest.first().and_then(|last| last.parse().ok()))])
        }
    };
    (path, part)
}

/// mdBook's, Liquid's, Hugo's and (outside code) Microsoft Learn's directives
/// inside the line `span`.
fn inline_directives(text: &str, line: Range<usize>, indent: usize, in_code: bool, found: &mut Vec<Directive>) {
    let content = &text[line.clone()];
    if !in_code {
        docfx_directives(content, line.start, indent, found);
    }
    let mut from = 0;
    while let Some(open) = content[from..].find('{').map(|at| from + at) {
        let rest = &content[open..];
        let parsed = if rest.starts_with("{{#") {
            mdbook(rest)
        } else if rest.starts_with("{%") {
            liquid(rest)
        } else if rest.starts_with("{{<") || rest.starts_with("{{%") {
            readfile(rest)
        } else {
            None
        };
        let Some((length, what)) = parsed else {
            from = open + 1;
            continue;
        };
        let mut start = line.start + open;
        let mut what = what;
        if content[..open].ends_with('\\') && matches!(what, What::File { syntax: Syntax::MdBook, .. }) {
            start -= 1;
            what = What::Literal(rest[..length].to_string());
        }
        let end = line.start + open + length;
        let alone = start == line.start + indent && end == line.end;
        let indent = (alone && indent > 0).then(|| content[..indent].to_string());
        found.push(Directive { span: start..end, what, indent });
        from = open + length;
    }
}

/// Microsoft Learn's `[!INCLUDE [題](path)]` and `[!code-LANG[](path)]` in the line
/// `content`, which starts at `line_start` in the page.
fn docfx_directives(content: &str, line_start: usize, indent: usize, found: &mut Vec<Directive>) {
    let mut from = 0;
    while let Some(open) = content[from..].find("[!").map(|at| from + at) {
        from = open + 2;
        let rest = &content[open..];
        let Some((length, what)) = docfx_include(rest).or_else(|| docfx_code(rest)) else { continue };
        let (start, end) = (line_start + open, line_start + open + length);
        let alone = open == indent && open + length == content.trim_end().len();
        let indent = (alone && indent > 0).then(|| content[..indent].to_string());
        found.push(Directive { span: start..end, what, indent });
        from = open + length;
    }
}

/// `[!INCLUDE [題](path)]` (any case, with or without the space) at the start of
/// `rest`: its length and what it puts in.
fn docfx_include(rest: &str) -> Option<(usize, What)> {
    let after = rest.get(..9).filter(|mark| mark.eq_ignore_ascii_case("[!include"))?;
    let (length, path) = docfx_link(rest, after.len())?;
    Some((length, What::File { syntax: Syntax::Docfx, path, part: Part::Whole, code: None }))
}

/// A code snippet, `[!code-csharp[名前](Program.cs#L12-L16 "題")]` or
/// `[!code[](a.cs?name=snippet)]`, at the start of `rest`: its length and the code
/// block it puts in, in the language named or the file's.
fn docfx_code(rest: &str) -> Option<(usize, What)> {
    rest.get(..6).filter(|mark| mark.eq_ignore_ascii_case("[!code"))?;
    let (language, name_at) = match rest[6..].strip_prefix('-') {
        Some(after) => {
            let length = after.find('[')?;
            (Some(after[..length].trim().to_string()).filter(|l| !l.is_empty()), 7 + length)
        }
        None => (None, 6),
    };
    let (length, target) = docfx_link(rest, name_at)?;
    // The title after the path is a tooltip: the block shows no title.
    let target = target.split_once(" \"").map_or(target.as_str(), |(path, _)| path).trim();
    let (path, part) = docfx_code_target(target);
    let code = Some(Code { language, caption: None });
    Some((length, What::File { syntax: Syntax::DocfxCode, path: path.to_string(), part, code }))
}

/// `[name](target)]` from byte `at` of `rest`: the whole mark's length from the
/// start of `rest`, and the target.
fn docfx_link(rest: &str, at: usize) -> Option<(usize, String)> {
    let inner = rest[at..].trim_start();
    let title_end = inner.strip_prefix('[')?.find("](")? + 1;
    let path_end = inner[title_end + 2..].find(')')? + title_end + 2;
    let path = inner[title_end + 2..path_end].trim().trim_matches(['<', '>']);
    let close = inner[path_end + 1..].strip_prefix(']')?;
    (!path.is_empty()).then(|| (rest.len() - close.len(), path.to_string()))
}

/// A code snippet's path and the lines it names: `#L12-L16`, `#L12`, `#tag`,
/// `?start=12&end=16`, `?range=2,5-7,9-`, `?name=tag` (`highlight` and `dedent` are
/// read past: lines are not highlighted, and snippets are dedented anyway).
fn docfx_code_target(target: &str) -> (&str, Part) {
    let (before, fragment) = target.split_once('#').unwrap_or((target, ""));
    let (path, query) = before.split_once('?').unwrap_or((before, ""));
    let mut part = docfx_fragment(fragment);
    let (mut start, mut end) = (None, None);
    for (key, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
        match key {
            "name" => part = Part::Tag(value.to_string()),
            "range" => part = line_list(value).map_or(part, Part::Lines),
            "start" => start = value.parse().ok(),
            "end" => end = value.parse().ok(),
            _ => {}
        }
    }
    if start.is_some() || end.is_some() {
        part = Part::Lines(vec![(start.unwrap_or(1), end)]);
    }
    (path.trim(), part)
}

/// `L12-L16` and `L12` are lines; any other fragment names a tag.
fn docfx_fragment(fragment: &str) -> Part {
    let line = |s: &str| s.strip_prefix(['L', 'l']).and_then(|n| n.parse::<usize>().ok());
    match fragment.split_once('-') {
        _ if fragment.is_empty() => Part::Whole,
        Some((first, last)) if line(first).is_some() && line(last).is_some() => {
            Part::Lines(vec![(line(first).unwrap_or(1), line(last))])
        }
        None if line(fragment).is_some() => Part::Lines(vec![(line(fragment).unwrap_or(1), line(fragment))]),
        _ => Part::Tag(fragment.to_string()),
    }
}

/// Microsoft Learn's `:::code language="csharp" source="~/a.cs" id="snippet"
/// range="3-5":::`, a line of its own.
fn docfx_code_line(line: &str) -> Option<What> {
    let inner = line.strip_prefix(":::code")?.trim_end().strip_suffix(":::")?;
    if !inner.starts_with(char::is_whitespace) {
        return None;
    }
    let (mut path, mut language, mut part) = (None, None, Part::Whole);
    for (key, value) in shortcode_arguments(inner) {
        match key {
            Some("source") => path = Some(value),
            Some("language") => language = Some(value).filter(|l| !l.is_empty()),
            Some("id") => part = Part::Tag(value),
            Some("range") if !matches!(part, Part::Tag(_)) => part = line_list(&value).map_or(part, Part::Lines),
            _ => {}
        }
    }
    let code = Some(Code { language, caption: None });
    Some(What::File { syntax: Syntax::DocfxCode, path: path.filter(|p| !p.is_empty())?, part, code })
}

/// `{{#include path:part}}` and the other two at the start of `rest`: its length.
fn mdbook(rest: &str) -> Option<(usize, What)> {
    let end = rest.get(3..)?.find("}}")? + 3;
    let inner = rest[3..end].trim();
    let (name, args) = inner.split_once(char::is_whitespace)?;
    if !matches!(name, "include" | "rustdoc_include" | "playground") {
        return None;
    }
    let target = args.split_whitespace().next()?;
    let (path, part) = match target.split_once(':') {
        None => (target, Part::Whole),
        Some((path, part)) => (path, mdbook_part(part)),
    };
    let what = What::File { syntax: Syntax::MdBook, path: path.to_string(), part, code: None };
    Some((end + 2, what))
}

/// `2`, `2:`, `:10`, `2:10` or an anchor's name.
fn mdbook_part(part: &str) -> Part {
    let number = |s: &str| s.trim().parse::<usize>().ok();
    match part.split_once(':') {
        None => match number(part) {
            Some(line) => Part::Lines(vec![(line, Some(line))]),
            None => Part::Anchor(part.to_string()),
        },
        Some((first, last)) => Part::Lines(vec![(number(first).unwrap_or(1), number(last))]),
    }
}

/// `{% include "./a.md" %}`, `{% include_relative a.md %}`, `{% include a.html %}`.
fn liquid(rest: &str) -> Option<(usize, What)> {
    let end = rest.get(2..)?.find("%}")? + 2;
    let inner = rest[2..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
    let (name, args) = inner.split_once(char::is_whitespace)?;
    let args = args.trim();
    let (path, quoted) = match args.chars().next()? {
        q @ ('"' | '\'') => (args[1..].split(q).next()?, true),
        _ => (args.split_whitespace().next()?, false),
    };
    let syntax = match name {
        "include_relative" => Syntax::Relative,
        "include" if quoted || path.starts_with("./") || path.starts_with("../") => Syntax::Relative,
        "include" => Syntax::JekyllInclude,
        _ => return None,
    };
    Some((end + 2, What::File { syntax, path: path.to_string(), part: Part::Whole, code: None }))
}

/// Hugo's `{{< readfile file="a.md" >}}`, `{{% readfile "a.md" %}}` (Docsy), with
/// `code="true" lang="yaml"` for a code block, and `{{% include "a.md" %}}` (Relearn,
/// Geekdoc, with `type="code" language="yaml"`).
fn readfile(rest: &str) -> Option<(usize, What)> {
    let close = if rest.starts_with("{{<") { ">}}" } else { "%}}" };
    let end = rest.get(3..)?.find(close)? + 3;
    let inner = rest[3..end].trim().trim_end_matches('/').trim();
    let args = inner.strip_prefix("readfile").or_else(|| inner.strip_prefix("include"))?;
    if !args.starts_with(char::is_whitespace) {
        return None;
    }
    let mut path = None;
    let (mut code, mut language) = (false, None);
    for (key, value) in shortcode_arguments(args) {
        match key {
            None | Some("file") => path = path.or(Some(value)),
            // Docsy's `code="true"`, Geekdoc's `type="code"`.
            Some("code") => code = value == "true",
            Some("type") => code = value == "code",
            Some("lang" | "language") => language = Some(value),
            _ => {}
        }
    }
    let code = code.then_some(Code { language, caption: None });
    Some((end + close.len(), What::File { syntax: Syntax::Relative, path: path?, part: Part::Whole, code }))
}

/// A shortcode's arguments: `key="value"` or a quoted value alone.
fn shortcode_arguments(args: &str) -> Vec<(Option<&str>, String)> {
    let mut found = Vec::new();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (key, after_key) = match rest.find(['=', '"', ' ']) {
            Some(at) if rest.as_bytes()[at] == b'=' => (Some(&rest[..at]), &rest[at + 1..]),
            _ => (None, rest),
        };
        let (value, after) = match after_key.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((value, after)) => (value, after),
                None => (quoted, ""),
            },
            None => after_key.split_once(' ').unwrap_or((after_key, "")),
        };
        found.push((key, value.to_string()));
        rest = after.trim_start();
    }
    found
}

/// Reads and selects the text of included files, following their own includes.
struct Expander<'r> {
    read: Read<'r>,
    looked_at: Vec<String>,
    /// The page, then each file being put in.
    stack: Vec<String>,
    /// Every file whose text was put in, as (path from the site's folder, text).
    files: Vec<(String, String)>,
}

/// Text to put in, with where each stretch of it comes from, so that a problem
/// found in it is shown in the file it was written in.
#[derive(Debug, Default, Clone)]
struct Traced {
    text: String,
    /// From each offset of `text` on, up to the next: the file (of
    /// [`Expander::files`]) and the offset in it, or `None` for text made here (a
    /// code fence, indentation, a literal).
    origins: Vec<(usize, Option<(usize, usize)>)>,
}

impl Traced {
    fn made(text: &str) -> Traced {
        let mut traced = Traced::default();
        traced.push_made(text);
        traced
    }

    fn push_made(&mut self, text: &str) {
        self.mark(None);
        self.text.push_str(text);
    }

    /// Pushes `piece`, which is a slice of `file`'s text `whole`.
    fn push_from(&mut self, piece: &str, file: usize, whole: &str) {
        let at = piece.as_ptr() as usize - whole.as_ptr() as usize;
        self.mark(Some((file, at)));
        self.text.push_str(piece);
    }

    fn push_traced(&mut self, other: &Traced, range: Range<usize>) {
        let first = other.origins.partition_point(|&(at, _)| at <= range.start).saturating_sub(1);
        for &(at, origin) in other.origins[first..].iter().take_while(|(at, _)| *at < range.end) {
            let from = at.max(range.start);
            let origin = origin.map(|(file, offset)| (file, offset + (from - at)));
            self.mark(origin);
            self.text.push_str(&other.text[from..other.next_origin(at).min(range.end)]);
        }
    }

    /// Where the stretch that starts at `at` ends.
    fn next_origin(&self, at: usize) -> usize {
        let next = self.origins.partition_point(|&(start, _)| start <= at);
        self.origins.get(next).map_or(self.text.len(), |&(start, _)| start)
    }

    /// Text pushed from here on comes from `origin`.
    fn mark(&mut self, origin: Option<(usize, usize)>) {
        let at = self.text.len();
        if let Some(last) = self.origins.last_mut().filter(|(start, _)| *start == at) {
            last.1 = origin;
        } else {
            self.origins.push((at, origin));
        }
    }
}

impl Expander<'_> {
    /// The text `directive` stands for in the file at `from`.
    fn text_for(&mut self, directive: &Directive, text: &str, from: &str) -> Result<Traced, (String, String)> {
        let (syntax, path, part, code) = match &directive.what {
            What::Literal(literal) => return Ok(Traced::made(literal)),
            What::File { syntax, path, part, code } => (*syntax, path, part, code),
        };
        let written = &text[directive.span.clone()];
        let (found, contents) = self.find(syntax, path, from).map_err(|problem| (problem, hint(syntax)))?;
        let Some(contents) = contents else {
            return match syntax {
                // A theme's template: reported as a Liquid tag tejun does not run.
                Syntax::JekyllInclude => Ok(Traced::made(written)),
                _ => Err((format!("`{path}` in `{written}` is not a file of the site"), hint(syntax))),
            };
        };
        if self.stack.contains(&found) {
            let chain = self.stack.join(" → ");
            return Err((
                format!("`{found}` includes itself ({chain} → {found})"),
                "take the include out of one of them".into(),
            ));
        }
        if self.stack.len() > MAX_DEPTH {
            return Err((
                format!("`{found}` is included {MAX_DEPTH} files deep"),
                "include the files from fewer levels".into(),
            ));
        }
        let body = match syntax {
            Syntax::Docfx => &contents[front_matter_length(&contents)..],
            _ => &contents,
        };
        let lines = select(body, part).map_err(|problem| (format!("{problem} in `{found}`"), hint_for_part(part)))?;
        let file = match self.files.iter().position(|(path, _)| *path == found) {
            Some(file) => file,
            None => {
                self.files.push((found.clone(), contents.clone()));
                self.files.len() - 1
            }
        };
        let mut selected = Traced::default();
        for line in lines {
            selected.push_from(line, file, &contents);
        }
        if syntax == Syntax::Docfx {
            selected = rebased(&selected, found.rsplit_once('/').map_or("", |(folder, _)| folder));
        }
        self.stack.push(found.clone());
        let nested = self.nested(&selected, &found);
        self.stack.pop();
        let mut inserted = nested?;
        if syntax == Syntax::DocfxCode {
            inserted = dedented(&inserted);
        }
        if let Some(code) = code {
            inserted = code_block(&inserted, code, &found);
        }
        let kept = inserted.text.trim_end_matches('\n').len();
        Ok(indented(&inserted, kept, directive.indent.as_deref()))
    }

    /// `text`, a file at `path`, with the files it includes put in; a problem in
    /// one is a problem of the directive that included it.
    fn nested(&mut self, traced: &Traced, path: &str) -> Result<Traced, (String, String)> {
        let text = &traced.text;
        let mut out = Traced::default();
        if !may_include(text) {
            out.push_traced(traced, 0..text.len());
            return Ok(out);
        }
        let mut copied = 0;
        for directive in directives(text) {
            out.push_traced(traced, copied..directive.span.start);
            let inserted = self
                .text_for(&directive, text, path)
                .map_err(|(message, hint)| (format!("in the text included from `{path}`: {message}"), hint))?;
            out.push_traced(&inserted, 0..inserted.text.len());
            copied = directive.span.end;
        }
        out.push_traced(traced, copied..text.len());
        Ok(out)
    }

    /// The file `path` names, written in the file at `from`: its path from the
    /// site's folder and its text, the first of the places the tool would look.
    fn find(&mut self, syntax: Syntax, path: &str, from: &str) -> Result<(String, Option<String>), String> {
        let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
        let candidates = candidates(syntax, path, folder);
        if candidates.is_empty() {
            return Err(format!("`{path}` is outside the site's folder"));
        }
        for candidate in &candidates {
            if !self.looked_at.contains(candidate) {
                self.looked_at.push(candidate.clone());
            }
            if let Some(text) = (self.read)(candidate)? {
                return Ok((candidate.clone(), Some(text)));
            }
        }
        Ok((candidates[0].clone(), None))
    }
}

/// Where a tool looks for `path` written in a file of `folder` (a path from the
/// site's folder): the page's folder first, `content/` for a path starting with
/// `/`, and the site's folder, where MkDocs starts (its `docs/` is `content/`).
fn candidates(syntax: Syntax, path: &str, folder: &str) -> Vec<String> {
    let join = |base: &str, path: &str| join_inside(base, path).filter(|path| !path.is_empty());
    let mut found: Vec<Option<String>> = match (syntax, path.strip_prefix('/')) {
        (_, Some(absolute)) => vec![join("content", absolute), normalized(absolute)],
        (Syntax::Docfx | Syntax::DocfxCode, None) if path.starts_with("~/") => vec![join("content", &path[2..])],
        (Syntax::Docusaurus, None) if path.starts_with("@site/") => {
            let path = &path["@site/".len()..];
            vec![normalized(path), path.strip_prefix("docs/").and_then(|rest| join("content", rest))]
        }
        (Syntax::Snippets, None) => vec![
            normalized(path),
            join("content", path),
            join(folder, path),
            path.strip_prefix("docs/").and_then(|rest| join("content", rest)),
        ],
        (Syntax::JekyllInclude, None) => {
            vec![join("_includes", path), join("content/_includes", path), join(folder, path)]
        }
        _ => vec![join(folder, path), join("content", path)],
    };
    let mut unique = Vec::new();
    for candidate in found.drain(..).flatten() {
        if !unique.contains(&candidate) {
            unique.push(candidate);
        }
    }
    unique
}

/// `path` from the site's folder without `.` and `..`, unless it leaves the folder.
fn normalized(path: &str) -> Option<String> {
    join_inside("", path).filter(|path| !path.is_empty())
}

/// `traced`, the text of a file in `folder` (from the site's folder) that Microsoft
/// Learn's `[!INCLUDE]` puts in, with its relative links and pictures made to start
/// at `content/` (`~/articles/setup.md`): DocFX reads them from the included file,
/// not from the page it is put into.
fn rebased(traced: &Traced, folder: &str) -> Traced {
    let Some(folder) = folder.strip_prefix("content").filter(|rest| rest.is_empty() || rest.starts_with('/')) else {
        return traced.clone();
    };
    let text = &traced.text;
    let mut out = Traced::default();
    let mut copied = 0;
    for destination in destinations(text) {
        let written = &text[destination.clone()];
        let relative = !written.starts_with(['/', '#', '~']) && !written.split('/').next().unwrap_or("").contains(':');
        let Some(joined) = relative.then(|| join_inside(folder, written)).flatten() else { continue };
        out.push_traced(traced, copied..destination.start);
        out.push_made(&format!("~/{joined}"));
        copied = destination.end;
    }
    out.push_traced(traced, copied..text.len());
    out
}

/// Where the addresses of links and pictures are in `text`: after `](` and in a
/// `:::image`'s `source="…"`.
fn destinations(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for (at, mark) in text.match_indices("](").chain(text.match_indices("source=\"")) {
        let start = at + mark.len();
        let start = if text[start..].starts_with('<') { start + 1 } else { start };
        let end = text[start..].find(['"', ')', '>', ' ', '\n']).map_or(text.len(), |length| start + length);
        if end > start {
            found.push(start..end);
        }
    }
    found.sort_by_key(|range| range.start);
    found
}

/// How long the YAML front matter block (`---` … `---`) at the start of `text` is,
/// as Microsoft Learn's included files have one (`ms.topic: include`).
fn front_matter_length(text: &str) -> usize {
    let mut lines = lines_with_offsets(text);
    if lines.next().is_none_or(|(_, line)| line.trim_end() != "---") {
        return 0;
    }
    lines.find(|(_, line)| line.trim_end() == "---").map_or(0, |(at, line)| at + line.len())
}

fn hint(syntax: Syntax) -> String {
    let from = match syntax {
        Syntax::Snippets => "the site's folder (where tejun.toml is), then from content/ and the page's folder",
        _ => "the page's folder, then from content/ (a path starting with / from content/)",
    };
    format!("check the path: it is read from {from}")
}

fn hint_for_part(part: &Part) -> String {
    match part {
        Part::Anchor(name) => format!("mark the lines in the file with `ANCHOR: {name}` and `ANCHOR_END: {name}`"),
        Part::Section(name) => {
            format!("mark the lines in the file with `--8<-- [start:{name}]` and `--8<-- [end:{name}]`")
        }
        Part::Tag(name) => format!(
            "mark the lines in the file with comments `<{name}>` and `</{name}>` (`// <{name}>` in C#, \
             `# <{name}>` in Python or PowerShell), or with `#region {name}` and `#endregion`"
        ),
        _ => "check the line numbers or the text named against the file".to_string(),
    }
}

/// The lines of `text` that `part` names.
fn select<'t>(text: &'t str, part: &Part) -> Result<Vec<&'t str>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let take = |first: usize, last: usize| lines[first.min(lines.len())..last.min(lines.len())].to_vec();
    match part {
        Part::Whole => Ok(without_section_marks(text)),
        Part::Lines(ranges) => {
            let mut out = Vec::new();
            for &(first, last) in ranges {
                let first = first.max(1);
                if first > lines.len() {
                    return Err(format!("there is no line {first}: the file has {} lines", lines.len()));
                }
                out.extend(take(first - 1, last.unwrap_or(lines.len()).max(first - 1)));
            }
            Ok(out)
        }
        Part::Anchor(name) => {
            marked(&lines, name, &format!("ANCHOR: {name}"), &format!("ANCHOR_END: {name}"), |line| {
                line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
            })
        }
        Part::Section(name) => {
            marked(&lines, name, &format!("[start:{name}]"), &format!("[end:{name}]"), is_section_mark)
        }
        Part::Tag(name) => tagged(&lines, name),
        Part::Between { after, before, lines: numbers } => {
            let (mut first, mut last) = match numbers {
                Some((start, end)) => (*start, end.unwrap_or(lines.len())),
                None => (0, lines.len()),
            };
            if let Some(after) = after {
                let at = (first..last.min(lines.len())).find(|&i| lines[i].contains(after.as_str()));
                first = at.ok_or_else(|| format!("no line holds `{after}`"))? + 1;
            }
            if let Some(before) = before {
                let at = (first..last.min(lines.len())).find(|&i| lines[i].contains(before.as_str()));
                last = at.ok_or_else(|| format!("no line holds `{before}`"))?;
            }
            Ok(take(first, last.max(first)))
        }
    }
}

/// The lines between the line holding `start` and the one holding `end`, without
/// the lines that mark parts.
fn marked<'t>(
    lines: &[&'t str],
    name: &str,
    start: &str,
    end: &str,
    is_mark: fn(&str) -> bool,
) -> Result<Vec<&'t str>, String> {
    let first = lines.iter().position(|line| ends_name(line, start)).ok_or_else(|| format!("no part `{name}`"))?;
    let last = lines[first + 1..].iter().position(|line| ends_name(line, end)).map_or(lines.len(), |at| first + 1 + at);
    Ok(lines[first + 1..last].iter().filter(|line| !is_mark(line)).copied().collect())
}

/// Whether `line` holds `mark` not followed by more of a name (`ANCHOR: all` is
/// not `ANCHOR: all_lines`).
fn ends_name(line: &str, mark: &str) -> bool {
    line.match_indices(mark)
        .any(|(at, _)| !line[at + mark.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-'))
}

fn is_section_mark(line: &str) -> bool {
    line.contains("8<-") && (line.contains("[start:") || line.contains("[end:"))
}

/// The lines DocFX's tag `name` marks (any case): from the comment `<name>` to the
/// first `</name>`, without other tags' comments, or from `#region name` to its
/// `#endregion`, without the regions inside.
fn tagged<'t>(lines: &[&'t str], name: &str) -> Result<Vec<&'t str>, String> {
    // `#1` finds `<snippet1>` too, as DocFX reads it.
    let prefixed = format!("snippet{name}");
    let opened_by = |line: &str, name: &str| {
        let opens = |mark: Option<TagMark>| mark.is_some_and(|mark| mark.same_as(&TagMark::Open(name)));
        opens(tag_mark(line)) || opens(region_mark(line))
    };
    let (first, name) = [name, prefixed.as_str()]
        .into_iter()
        .find_map(|name| Some((lines.iter().position(|line| opened_by(line, name))?, name)))
        .ok_or_else(|| format!("no tag `{name}`"))?;
    let by_region = region_mark(lines[first]).is_some();
    let mut depth = 0usize;
    let mut last = lines.len();
    for (at, line) in lines.iter().enumerate().skip(first + 1) {
        if by_region {
            match region_mark(line) {
                Some(TagMark::Open(_)) => depth += 1,
                Some(TagMark::Close(_)) if depth == 0 => {
                    last = at;
                    break;
                }
                Some(TagMark::Close(_)) => depth -= 1,
                None => {}
            }
        } else if tag_mark(line).is_some_and(|mark| mark.same_as(&TagMark::Close(name))) {
            last = at;
            break;
        }
    }
    // Marks of the kind that found the part are left out, others' stay code.
    let is_mark = |line: &&&str| if by_region { region_mark(line).is_some() } else { tag_mark(line).is_some() };
    Ok(lines[first + 1..last].iter().filter(|line| !is_mark(line)).copied().collect())
}

/// A line that opens or closes a tag or region, with its name.
#[derive(Debug, PartialEq)]
enum TagMark<'l> {
    Open(&'l str),
    Close(&'l str),
}

impl TagMark<'_> {
    fn same_as(&self, other: &TagMark) -> bool {
        match (self, other) {
            (TagMark::Open(a), TagMark::Open(b)) | (TagMark::Close(a), TagMark::Close(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }
}

/// A comment that is only a tag, `// <name>` or `<!-- </name> -->`, in the comment
/// marks of the languages DocFX reads tags in.
fn tag_mark(line: &str) -> Option<TagMark<'_>> {
    let line = line.trim();
    let comment = ["//", "<!--", "/*", "#", "'", "--", "REM ", "rem ", "::", ";", "%"]
        .iter()
        .find_map(|leader| line.strip_prefix(leader))?;
    let comment = comment.trim_end_matches("-->").trim_end_matches("*/").trim();
    let inner = comment.strip_prefix('<')?.strip_suffix('>')?.trim();
    let (close, name) = match inner.strip_prefix('/') {
        Some(name) => (true, name.trim()),
        None => (false, inner),
    };
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    match (is_name, close) {
        (false, _) => None,
        (true, false) => Some(TagMark::Open(name)),
        (true, true) => Some(TagMark::Close(name)),
    }
}

/// C#'s `#region name` and `#endregion`, Visual Basic's `#Region "name"` and `#End
/// Region`.
fn region_mark(line: &str) -> Option<TagMark<'_>> {
    let line = line.trim();
    let lower = line.get(..10).unwrap_or(line).to_ascii_lowercase();
    if lower.starts_with("#endregion") || lower.starts_with("#end regio") {
        return Some(TagMark::Close(""));
    }
    let name = line.get(..7).filter(|mark| mark.eq_ignore_ascii_case("#region"))?;
    Some(TagMark::Open(line[name.len()..].trim().trim_matches('"')))
}

/// `traced` without the indentation all its lines that hold anything share, as
/// DocFX shows a snippet cut from inside a class.
fn dedented(traced: &Traced) -> Traced {
    let text = &traced.text;
    let common = text
        .split('\n')
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    if common == 0 {
        return traced.clone();
    }
    let mut out = Traced::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let cut = if line.trim().is_empty() { line.len() - line.trim_start_matches([' ', '\t']).len() } else { common };
        out.push_traced(traced, start + cut..start + line.len());
        start += line.len();
    }
    out
}

/// A whole file without MkDocs' section marks, which snippets leave out wherever
/// they are.
fn without_section_marks(text: &str) -> Vec<&str> {
    if !text.contains("8<-") {
        return vec![text];
    }
    text.split_inclusive('\n').filter(|line| !is_section_mark(line)).collect()
}

/// `text` as a fenced code block, in the language the option or the file's
/// extension names, titled with the caption.
fn code_block(traced: &Traced, code: &Code, path: &str) -> Traced {
    let text = &traced.text;
    let language = code.language.clone().or_else(|| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase())
    });
    let longest = text.split('\n').map(|line| line.trim_start().bytes().take_while(|&b| b == b'`').count()).max();
    let fence = "`".repeat(longest.unwrap_or(0).max(2) + 1);
    let mut info = language.unwrap_or_default();
    if let Some(caption) = &code.caption {
        info.push_str(&format!(" title=\"{}\"", caption.replace('"', "'")));
    }
    let mut out = Traced::made(&format!("{fence}{info}\n"));
    out.push_traced(traced, 0..text.trim_end_matches('\n').len());
    out.push_made(&format!("\n{fence}"));
    out
}

/// The first `length` bytes of `traced` with `indent` before each line after the
/// first that holds anything.
fn indented(traced: &Traced, length: usize, indent: Option<&str>) -> Traced {
    let mut out = Traced::default();
    let mut start = 0;
    for (index, line) in traced.text[..length].split_inclusive('\n').enumerate() {
        if index > 0 && !line.trim().is_empty() {
            out.push_made(indent.unwrap_or_default());
        }
        out.push_traced(traced, start..start + line.len());
        start += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn expand_with(text: &str, files: &[(&str, &str)]) -> Expanded {
        expand_with_maybe(text, files).expect("the page includes something")
    }

    #[test]
    fn mdbook_includes_whole_files_lines_and_anchors_inside_code() {
        let code = "fn main() {\n    // ANCHOR: greet\n    println!(\"hi\");\n    // ANCHOR_END: greet\n}\n";
        let files = [("content/guide/main.rs", code), ("content/version.txt", "1.4.2\n")];
        let page = "```rust\n{{#include main.rs}}\n```\n\n```rust\n{{#include main.rs:greet}}\n```\n\n\
                    ```rust\n{{#include main.rs:2:3}}\n```\n\nVersion {{#include ../version.txt}} is out. \\{{#include x.rs}}\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            format!(
                "```rust\n{}\n```\n\n```rust\n    println!(\"hi\");\n```\n\n```rust\n    // ANCHOR: greet\n    println!(\"hi\");\n```\n\nVersion 1.4.2 is out. {{{{#include x.rs}}}}\n",
                code.trim_end()
            )
        );
        assert!(expanded.problems.is_empty(), "{:?}", expanded.problems);
        assert_eq!(expanded.looked_at, ["content/guide/main.rs", "content/version.txt"]);
        // A file not found is looked for in each place it may be made later.
        let missing = expand_with("{{#include gone.rs}}", &files);
        assert_eq!(missing.looked_at, ["content/guide/gone.rs", "content/gone.rs"]);
    }

    #[test]
    fn mkdocs_snippets_take_the_line_s_indentation_and_sections() {
        let login = "1. Open the portal.\n2. Sign in.\n";
        let sections =
            "intro\n<!-- --8<-- [start:warn] -->\n!!! warning\n    Keep the key.\n<!-- --8<-- [end:warn] -->\n";
        let files = [("snippets/login.md", login), ("content/parts.md", sections)];
        let page =
            "Steps:\n\n--8<-- \"snippets/login.md\"\n\n- item\n\n    --8<-- \"parts.md:warn\"\n;--8<-- \"x.md\"\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            "Steps:\n\n1. Open the portal.\n2. Sign in.\n\n- item\n\n    !!! warning\n        Keep the key.\n--8<-- \"x.md\"\n"
        );
        let block = expand_with("--8<--\nsnippets/login.md\n;skipped.md\n--8<--\nafter\n", &files);
        assert_eq!(block.text, "\n1. Open the portal.\n2. Sign in.\n\n\nafter\n");
    }

    #[test]
    fn myst_includes_and_literal_includes_with_their_options() {
        let script = "#!/bin/sh\n# setup\nset -e\ncurl -O https://example.com/a\n# end\n";
        let files = [("content/guide/setup.sh", script), ("content/shared/note.md", "Note **this**.\n")];
        let page = "```{include} /shared/note.md\n```\n\n```{literalinclude} setup.sh\n:language: bash\n:start-after: # setup\n:end-before: # end\n:caption: Setup\n```\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            "Note **this**.\n\n```bash title=\"Setup\"\nset -e\ncurl -O https://example.com/a\n```\n"
        );
        let in_item = expand_with("1. Run:\n\n   ```{literalinclude} setup.sh\n   :lines: 3-4\n   ```\n", &files);
        assert_eq!(in_item.text, "1. Run:\n\n   ```sh\n   set -e\n   curl -O https://example.com/a\n   ```\n");
        let lines = expand_with(":::{literalinclude} setup.sh\n:lines: 1,3-\n:::\n", &files);
        assert_eq!(lines.text, "```sh\n#!/bin/sh\nset -e\ncurl -O https://example.com/a\n# end\n```\n");
    }

    /// A C# sample as Microsoft's repositories keep them: snippets marked by tag
    /// comments and regions inside a class.
    const PROGRAM_CS: &str = "using System;\n\nclass Program\n{\n    // <snippet_Main>\n    static void Main()\n    {\n        // <snippet_Print>\n        Console.WriteLine(\"こんにちは\");\n        // </snippet_Print>\n    }\n    // </snippet_Main>\n\n    #region Helpers\n    static int Twice(int n)\n    {\n        #region Inner\n        return n * 2;\n        #endregion\n    }\n    #endregion\n}\n";

    #[test]
    fn microsoft_learn_code_snippets_take_tagged_regions_and_lines_dedented() {
        let setup = "param($Name)\n# <Snippet1>\nInstall-Module -Name Az\nImport-Module Az\n# </Snippet1>\n";
        let files = [("content/guide/Program.cs", PROGRAM_CS), ("content/samples/setup.ps1", setup)];
        let page = "[!code-csharp[Main](Program.cs#snippet_Main \"Program.cs\")]\n\n\
                    [!code-csharp[](Program.cs?name=helpers)]\n\n\
                    1. Print:\n\n   [!code[](Program.cs#L8-L10)]\n\n\
                    :::code language=\"powershell\" source=\"~/samples/setup.ps1\" id=\"1\" highlight=\"1\":::\n\n\
                    :::code language=\"powershell\" source=\"../samples/setup.ps1\" range=\"1,3-\":::\n\n\
                    [!code-csharp[](Program.cs?start=15&end=16)]\n";
        let expanded = expand_with(page, &files);
        assert!(expanded.problems.is_empty(), "{:?}", expanded.problems);
        assert_eq!(
            expanded.text,
            "```csharp\nstatic void Main()\n{\n    Console.WriteLine(\"こんにちは\");\n}\n```\n\n\
             ```csharp\nstatic int Twice(int n)\n{\n    return n * 2;\n}\n```\n\n\
             1. Print:\n\n   ```cs\n   // <snippet_Print>\n   Console.WriteLine(\"こんにちは\");\n   // </snippet_Print>\n   ```\n\n\
             ```powershell\nInstall-Module -Name Az\nImport-Module Az\n```\n\n\
             ```powershell\nparam($Name)\nInstall-Module -Name Az\nImport-Module Az\n# </Snippet1>\n```\n\n\
             ```csharp\nstatic int Twice(int n)\n{\n```\n"
        );
    }

    #[test]
    fn microsoft_learn_marks_in_code_stay_code_and_a_missing_tag_says_how_to_mark_one() {
        let files = [("content/guide/Program.cs", PROGRAM_CS), ("content/guide/includes/a.md", "A.\n")];
        let page = "```markdown\n[!code-csharp[](Program.cs)]\n[!INCLUDE [a](includes/a.md)]\n```\n\n\
                    [!code-csharp[](Program.cs#snippet_Gone)]\n";
        let expanded = expand_with(page, &files);
        assert!(
            expanded
                .text
                .starts_with("```markdown\n[!code-csharp[](Program.cs)]\n[!INCLUDE [a](includes/a.md)]\n```\n")
        );
        let [problem] = expanded.problems.as_slice() else { panic!("{:?}", expanded.problems) };
        assert_eq!(problem.message, "no tag `snippet_Gone` in `content/guide/Program.cs`");
        assert!(problem.hint.contains("`// <snippet_Gone>`"), "{}", problem.hint);
        assert_eq!(&expanded.text[problem.span.clone()].trim(), &"");
    }

    #[test]
    fn microsoft_learn_includes_leave_out_front_matter_and_keep_their_links_and_pictures() {
        let shared = "---\ntitle: include file\nms.topic: include\n---\nSee [setup](../setup.md), [top](#top) and \
                      [site](https://example.com/a.md).\n\n:::image source=\"../media/a.png\" alt-text=\"A\":::\n";
        let files = [("content/guide/includes/shared.md", shared), ("content/common/note.md", "Note.\n")];
        let page = "[!INCLUDE [shared](includes/shared.md)]\n\n- [!include[note](~/common/note.md)]\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            "See [setup](~/guide/setup.md), [top](#top) and [site](https://example.com/a.md).\n\n\
             :::image source=\"~/guide/media/a.png\" alt-text=\"A\":::\n\n- Note.\n"
        );
    }

    #[test]
    fn liquid_and_hugo_includes_read_from_the_page_s_folder() {
        let files = [("content/guide/part.md", "Part.\n"), ("content/guide/conf.yaml", "a: 1\n")];
        let page = "{% include \"./part.md\" %}\n{% include_relative part.md %}\n{% include footer.html %}\n\
                    {{< readfile file=\"conf.yaml\" code=\"true\" lang=\"yaml\" >}}\n{{% readfile \"part.md\" %}}\n\
                    {{% include \"part.md\" %}}\n{{< include file=\"conf.yaml\" type=\"code\" language=\"yml\" >}}\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            "Part.\nPart.\n{% include footer.html %}\n```yaml\na: 1\n```\nPart.\nPart.\n```yml\na: 1\n```\n"
        );
        assert!(expanded.problems.is_empty());
    }

    #[test]
    fn docusaurus_partials_are_imported_and_used_by_name() {
        let files = [("content/guide/_login.mdx", "Sign in with **your ID**.\n"), ("content/shared/_end.md", "End.\n")];
        let page = "import Tabs from '@theme/Tabs';\nimport Login from './_login.mdx';\nimport End from \"@site/docs/shared/_end.md\";\n\n# Steps\n\n1. Open.\n\n   <Login />\n\n<End/>\n<Other />\n";
        let expanded = expand_with(page, &files);
        assert_eq!(
            expanded.text,
            "import Tabs from '@theme/Tabs';\n\n\n\n# Steps\n\n1. Open.\n\n   Sign in with **your ID**.\n\nEnd.\n<Other />\n"
        );
        assert!(expanded.problems.is_empty(), "{:?}", expanded.problems);
    }

    #[test]
    fn missing_files_cycles_and_parts_are_problems_at_the_directive() {
        let files = [("content/guide/a.md", "A {{#include b.md}}\n"), ("content/guide/b.md", "{{#include a.md}}\n")];
        let page =
            "x {{#include gone.rs}} y\n{{#include a.md}}\n{{#include a.md:nope}}\n--8<-- \"../../../etc/passwd\"\n";
        let expanded = expand_with(page, &files);
        // Each problem is at the mark that names the file, in the file as written.
        let mut sources = crate::source::Sources::default();
        let (text, written) = (expanded.text.clone(), expanded.written.clone());
        let included = (std::path::Path::new(""), expanded.files.clone());
        let file = sources.add_expanded("page.md", std::path::Path::new("page.md"), text, written, included);
        let shown = |span: &Range<usize>| page[sources.get(file).shown_span(span.clone())].to_string();
        let problems: Vec<(String, &str)> =
            expanded.problems.iter().map(|p| (shown(&p.span), p.message.as_str())).collect();
        assert_eq!(problems[0].0, "{{#include gone.rs}}");
        assert_eq!(problems[0].1, "`gone.rs` in `{{#include gone.rs}}` is not a file of the site");
        assert_eq!(problems[1].0, "{{#include a.md}}");
        assert!(problems[1].1.contains("includes itself"), "{}", problems[1].1);
        assert_eq!(problems[2].0, "{{#include a.md:nope}}");
        assert_eq!(problems[2].1, "no part `nope` in `content/guide/a.md`");
        assert_eq!(problems[3].1, "`../../../etc/passwd` is outside the site's folder");
        // The marks are blanked, their places those of the marks in the file.
        assert!(expanded.text.starts_with("x                      y\n"), "{}", expanded.text);
    }

    #[test]
    fn marks_cut_short_or_backwards_are_text_or_problems_never_a_panic() {
        let files = [("content/guide/a.rs", "one\ntwo // ANCHOR_END: x\nthree // ANCHOR: x\nfour\n")];
        let marks = [
            "{%}",
            "{% include",
            "{{%}}",
            "{{<}}",
            "{{<readfile>}}",
            "{{#}}",
            "{{#include}}",
            "{{#include a.rs:9:2}}",
            "{{#include a.rs:3:1}}",
            "{{#include a.rs:x}}",
            "{{#include a.rs:0:0}}",
            "{{#include a.rs:99}}",
            "{{#include a.rs::}}",
            "```{include}",
            "```{literalinclude} a.rs\n:lines: 4-2,x\n",
            "--8<--",
            "--8<-- \"",
            "--8<-- \"a.rs:3:1\"",
            "  --8<-- 'a.rs:x'",
            ";--8<--",
            ":::{include} a.rs\n:start-line: 9\n:::",
            "{{< readfile file=\"a.rs >}}",
            "{% include_relative %}",
            "{{#include ../../../../x}}",
            "\\{{#include}}",
            "{{#include a.rs}}あ{{#include a.rs:2}}",
            "　{{#include a.rs}}",
            "```\n{{#include a.rs}}",
            "[!code",
            "[!code-",
            "[!code-cs[",
            "[!code-cs[](",
            "[!code-cs[](a.rs)",
            "[!code[](a.rs#)]",
            "[!code[](a.rs#L9-L2)]",
            "[!code[](a.rs#L0)]",
            "[!code[](a.rs?start=x&end=)]",
            "[!code[](a.rs?range=,-)]",
            "[!code[](a.rs#あ)]",
            "[!code-あ[い](う)]",
            ":::code:::",
            ":::code source=\"\" :::",
            ":::code source=\"a.rs\" id=\"\":::",
            ":::code source=\"a.rs\" range=\"9-1\":::",
        ];
        for mark in marks {
            for text in [mark.to_string(), format!("前\n{mark}\n後"), format!("- 項目\n\n    {mark}\n")] {
                if let Some(expanded) = expand_with_maybe(&text, &files) {
                    for problem in &expanded.problems {
                        assert!(expanded.text.get(problem.span.clone()).is_some(), "{text:?}: {problem:?}");
                    }
                }
            }
        }
    }

    fn expand_with_maybe(text: &str, files: &[(&str, &str)]) -> Option<Expanded> {
        let files: HashMap<String, String> = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        let read = move |path: &str| Ok(files.get(path).cloned());
        expand(text, "content/guide/page.md", &read)
    }

    /// Every character put in from a file is placed at that character of that file,
    /// through line ranges, anchors, nested includes, indentation into a list item
    /// and code fences; what tejun made to put it in (indentation, fences) and the
    /// page's own text stay on the page.
    #[test]
    fn text_put_in_is_placed_in_the_file_it_was_written_in() {
        let login = "ログインします。\n\n{{#include note.md}}\n\n[](step:nowhere) に戻ります。\n";
        let note = "> [!NOTE]\n> 暗証番号は**6 桁**です。\n";
        let code = "fn main() {\n    // ANCHOR: greet\n    println!(\"hi\");\n    // ANCHOR_END: greet\n}\n";
        let files =
            [("content/guide/_login.md", login), ("content/guide/note.md", note), ("content/guide/main.rs", code)];
        let page = "# 手順\n\n1. 開きます。\n\n   {{#include _login.md}}\n\n```rust\n{{#include main.rs:greet}}\n```\n\n\
                    {{#include main.rs:1:2}}\n\n--8<-- \"content/guide/note.md\"\n";
        let expanded = expand_with(page, &files);
        let mut sources = crate::source::Sources::default();
        let included = (std::path::Path::new(""), expanded.files.clone());
        let file = sources.add_expanded(
            "page.md",
            std::path::Path::new("page.md"),
            expanded.text.clone(),
            expanded.written.clone(),
            included,
        );
        let (mut put_in, mut made) = (String::new(), String::new());
        for (at, c) in expanded.text.char_indices() {
            let place = sources.place(file, at..at + c.len_utf8());
            if place.file == file {
                assert!(place.included_at.is_none());
                made.push(c);
                continue;
            }
            let source = sources.get(place.file);
            assert_eq!(source.text[place.span.clone()].chars().next(), Some(c), "{at} in {}", source.name);
            assert_eq!(place.span.len(), c.len_utf8());
            let (_, at_page) = place.included_at.expect("put in from a file");
            let mark = &page[at_page];
            assert!(mark.contains("include") || mark.contains("--8<--"), "{mark:?}");
            put_in.push(c);
        }
        // Everything of the files but the marks and the lines they leave out.
        for text in [
            "ログインします。",
            "暗証番号は**6 桁**です。",
            "[](step:nowhere) に戻ります。",
            "println!(\"hi\");",
            "fn main() {",
        ] {
            assert!(put_in.contains(text), "{text:?} not placed in its file: {put_in:?}");
            assert!(!made.contains(text), "{text:?} placed on the page");
        }
        // A span placed across text put in from two files ends with its line.
        let start = expanded.text.find("ログインします").expect("put in");
        let end = expanded.text.find("暗証番号").expect("put in");
        let place = sources.place(file, start..end);
        assert_eq!(&sources.get(place.file).text[place.span], "ログインします。");
        // Any span of the page is a span of characters of the file it is shown in.
        let boundaries: Vec<usize> =
            (0..=expanded.text.len()).filter(|&at| expanded.text.is_char_boundary(at)).collect();
        for (i, &start) in boundaries.iter().enumerate() {
            for &end in &boundaries[i..] {
                let place = sources.place(file, start..end);
                let shown = sources.get(place.file).shown();
                assert!(shown.get(place.span.clone()).is_some(), "{start}..{end} → {place:?}");
            }
        }
    }

    #[test]
    fn pages_without_directives_are_not_copied() {
        let read = |_: &str| -> Result<Option<String>, String> { panic!("nothing to read") };
        assert!(expand("An include of nothing. {% raw %}\n", "content/a.md", &read).is_none());
        assert!(expand("# Title\n\nText.\n", "content/a.md", &read).is_none());
    }
}
