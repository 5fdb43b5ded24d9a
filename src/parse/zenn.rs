//! Part of parse (text in, Markdown out, no I/O): what Zenn adds to Markdown inside
//! a line — an image's width after its address (`![画面](login.png =250x)`), which
//! CommonMark would not read as an image at all, and embeds (`@[youtube](ID)`,
//! `@[card](https://…)`), which become links to what they embed.

use std::ops::Range;

/// The parts of `line` to replace, and what with.
pub fn find(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = sizes(line);
    found.extend(embeds(line));
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// ` =250x`, ` =250x100` or ` =x100` at the end of a link's or image's address:
/// taken out.
fn sizes(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    for (close, _) in line.match_indices(')') {
        let Some(open) = line[..close].rfind("](") else { continue };
        let destination = &line[open + 2..close];
        let Some(at) = destination.rfind(" =") else { continue };
        let Some((width, height)) = destination[at + 2..].split_once('x') else { continue };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let sized = width.len() + height.len() > 0 && digits(width) && digits(height);
        if sized && !destination[..at].contains(')') {
            found.push((open + 2 + at..close, String::new()));
            // On an image, kept as the attribute list parse reads after any image.
            if is_image(&line[..open]) {
                let height = if height.is_empty() { String::new() } else { format!(" height={height}") };
                let width = if width.is_empty() { String::new() } else { format!("width={width}") };
                found.push((close + 1..close + 1, format!("{{{}}}", format!("{width}{height}").trim())));
            }
        }
    }
    found
}

/// Whether the brackets that end `before` (`![画面` of `![画面](a.png =250x)`)
/// open with `![`: an image's, not a link's.
fn is_image(before: &str) -> bool {
    let mut depth = 0;
    for (at, byte) in before.bytes().enumerate().rev() {
        match byte {
            b']' => depth += 1,
            b'[' if depth == 0 => return at > 0 && before.as_bytes()[at - 1] == b'!',
            b'[' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// `@[youtube](ID)` and `@[name](https://…)`: a link to the video or the address.
fn embeds(line: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = line[from..].find("@[").map(|at| from + at) {
        from = start + 2;
        let Some((name, rest)) = line[start + 2..].split_once("](") else { continue };
        let Some((argument, _)) = rest.split_once(')') else { continue };
        let address = match name {
            "youtube" if !argument.contains('/') => format!("https://www.youtube.com/watch?v={argument}"),
            _ if argument.starts_with("https://") || argument.starts_with("http://") => argument.to_string(),
            _ => continue,
        };
        let end = start + 2 + name.len() + 2 + argument.len() + 1;
        found.push((start..end, format!("<{address}>")));
        from = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(line: &str) -> String {
        let mut out = line.to_string();
        for (range, text) in find(line).into_iter().rev() {
            out.replace_range(range, &text);
        }
        out
    }

    #[test]
    fn image_widths_and_embeds() {
        assert_eq!(
            rewritten("![ログイン画面](images/login.png =250x)"),
            "![ログイン画面](images/login.png){width=250}"
        );
        assert_eq!(
            rewritten("![a](a.png =250x100) と ![b](b.png =x80)"),
            "![a](a.png){width=250 height=100} と ![b](b.png){height=80}"
        );
        // A link's size is dropped; an image inside a link's text keeps its own.
        assert_eq!(rewritten("[a](a.html =250x)"), "[a](a.html)");
        assert_eq!(rewritten("[![[x] y](a.png =90x)](a.png)"), "[![[x] y](a.png){width=90}](a.png)");
        assert_eq!(
            rewritten("@[youtube](WRVsOCh907o) と @[card](https://zenn.dev/about)"),
            "<https://www.youtube.com/watch?v=WRVsOCh907o> と <https://zenn.dev/about>"
        );
        assert_eq!(rewritten("(a =1x) と 2 =3x) と @[speakerdeck](abc)"), "(a =1x) と 2 =3x) と @[speakerdeck](abc)");
        assert_eq!(rewritten("see [x](y) then (z =2x)"), "see [x](y) then (z =2x)");
    }
}
