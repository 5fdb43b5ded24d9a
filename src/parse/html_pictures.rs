//! Part of parse (text in, model out, no I/O): raw HTML that shows a picture, read
//! as the Markdown that would show it — an `<img>` alone (a figure), a `<figure>`
//! with its `<figcaption>` (Pandoc 3's GitHub output for a captioned Word picture),
//! and running text with pictures in it (HTML exports) — so that the PDFs, which
//! cannot print raw HTML, print the pictures, and they are sized, numbered and
//! checked like any other.

use super::html_tables::{self, Token, tokens};
use super::markdown::{figure_id, is_blank, typed_caption, written_alt};
use crate::model::{Figure, Image, Inline, Length, RequestedSize, Span};

/// The image an HTML tag `<img …>` shows, with nothing else around it.
pub(super) fn html_image(html: &str, span: Span) -> Option<Image> {
    let tag = html.trim();
    let is_img = tag.get(..4)?.eq_ignore_ascii_case("<img") && tag[4..].starts_with(char::is_whitespace);
    if !is_img || !tag.ends_with('>') || tag[1..].contains('<') {
        return None;
    }
    let attribute = |key| html_tables::attribute(tag, key).map(str::trim);
    let src = attribute("src").filter(|src| !src.is_empty())?;
    // Pandoc writes a Word picture's size into `style` (`width:2.5in;height:1.56in`).
    let style = attribute("style").unwrap_or_default();
    let length = |key| attribute(key).or_else(|| style_value(style, key)).and_then(Length::read);
    let text = |key| attribute(key).map(unescaped_html).unwrap_or_default();
    Some(Image {
        src: unescaped_html(src),
        alt: written_alt(text("alt")),
        title: text("title"),
        span,
        asset: None,
        size: None,
        published: None,
        requested: RequestedSize { width: length("width"), height: length("height") },
        from_html: true,
        frame: None,
    })
}

/// The value of the CSS property `key` in the declarations `style`
/// (`width: 2.5in; height: 1.56in`).
pub(crate) fn style_value<'s>(style: &'s str, key: &str) -> Option<&'s str> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        property.trim().eq_ignore_ascii_case(key).then(|| value.trim())
    })
}

/// An attribute's value as text: the characters HTML escapes, unescaped
/// (`alt="申込 &amp; 変更"`).
fn unescaped_html(value: &str) -> String {
    decoded_references(value, true).unwrap_or_default()
}

/// A `<figure>` of raw HTML with one `<img>` and its `<figcaption>`, as Pandoc 3
/// writes a Word picture with a caption for GitHub: a numbered figure with that
/// caption, without the number the writer typed in it. `None` for any other HTML.
pub(super) fn html_figure(html: &str, start: usize) -> Option<Figure> {
    const FIGURE_TAGS: &[&str] =
        &["figure", "img", "figcaption", "p", "div", "span", "br", "a", "b", "strong", "i", "em"];
    let trimmed = html.trim();
    let opens = trimmed.get(..7).is_some_and(|tag| tag.eq_ignore_ascii_case("<figure"));
    if !opens || !trimmed.to_ascii_lowercase().ends_with("</figure>") {
        return None;
    }
    let offset = start + (trimmed.as_ptr() as usize - html.as_ptr() as usize);
    let (mut image, mut caption, mut in_caption) = (None, String::new(), false);
    for token in tokens(trimmed) {
        match token {
            Token::Tag { name, closing, text, at } => {
                FIGURE_TAGS.contains(&name.as_str()).then_some(())?;
                match name.as_str() {
                    "img" if image.is_some() => return None,
                    "img" => image = Some(html_image(text, offset + at..offset + at + text.len())?),
                    "figcaption" => in_caption = !closing,
                    "br" if in_caption => caption.push(' '),
                    _ => {}
                }
            }
            Token::Text(text, _) if in_caption => caption.push_str(&html_text(text)?),
            Token::Text(text, _) => text.trim().is_empty().then_some(())?,
        }
    }
    let image = image?;
    let caption = caption.split_whitespace().collect::<Vec<_>>().join(" ");
    let caption = typed_caption(&caption).unwrap_or(&caption);
    let caption = (!caption.is_empty()).then(|| caption.to_string());
    Some(Figure { id: figure_id(&image.src), image, number: 0, caption })
}

/// The tags of running text: a block of raw HTML that holds only these and text is
/// a paragraph.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "br", "cite", "code", "del", "em", "font", "i", "img", "ins", "kbd", "mark", "q", "rp",
    "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "u", "var", "wbr",
];

/// A block of raw HTML with a picture in running text (`<p>ボタン <img src="b.png">
/// を押すと…<br><img src="a.png"></p>`, as HTML exports write a step) as the
/// paragraph it shows: its text, its inline tags as inline HTML, and each `<img>` an
/// image, so that the PDFs print the pictures, which they cannot take from raw HTML.
/// `None` for anything else, which stays raw HTML; `start` is where `html` starts in
/// the file.
pub(super) fn html_paragraph(html: &str, start: usize) -> Option<Vec<Inline>> {
    let inner = unwrapped(html);
    if !inner.to_ascii_lowercase().contains("<img") {
        return None;
    }
    let offset = start + (inner.as_ptr() as usize - html.as_ptr() as usize);
    let mut inlines = Vec::new();
    for token in tokens(inner) {
        match token {
            Token::Tag { name, text, at, .. } => {
                INLINE_TAGS.contains(&name.as_str()).then_some(())?;
                let span = offset + at..offset + at + text.len();
                match html_image(text, span) {
                    Some(image) => inlines.push(Inline::Image(Box::new(image))),
                    None if name == "img" => return None,
                    None => inlines.push(Inline::Html(text.to_string())),
                }
            }
            Token::Text(text, _) => {
                let text = html_text(text)?;
                for (n, line) in text.split('\n').enumerate() {
                    if n > 0 {
                        inlines.push(Inline::SoftBreak);
                    }
                    if !line.is_empty() {
                        inlines.push(Inline::Text(line.to_string()));
                    }
                }
            }
        }
    }
    while inlines.first().is_some_and(is_blank) {
        inlines.remove(0);
    }
    while inlines.last().is_some_and(is_blank) {
        inlines.pop();
    }
    Some(inlines)
}

/// Text of raw HTML with its character references read (`&amp;`, `&nbsp;`,
/// `&#12354;`), its lines' indentation dropped; `None` when it names one tejun does
/// not know, which the raw HTML then shows.
fn html_text(text: &str) -> Option<String> {
    let out = decoded_references(text, false)?;
    let lines: Vec<&str> = out
        .split('\n')
        .enumerate()
        .map(|(n, line)| if n == 0 { line } else { line.trim_start_matches([' ', '\t']) })
        .collect();
    Some(lines.join("\n"))
}

/// `text` with its HTML character references read, each once. One tejun does not
/// know is left as written when `keep_unknown`, else the answer is `None`.
fn decoded_references(text: &str, keep_unknown: bool) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let reference = &rest[at..];
        let end = reference
            .find(';')
            .filter(|&end| end > 1 && reference[1..end].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'));
        let Some(end) = end else {
            out.push('&');
            rest = &reference[1..];
            continue;
        };
        match character_reference(&reference[1..end]) {
            Some(c) => out.push(c),
            None if keep_unknown => out.push_str(&reference[..=end]),
            None => return None,
        }
        rest = &reference[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The character an HTML character reference names (`amp`, `#12354`, `#x3042`).
fn character_reference(name: &str) -> Option<char> {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("times", '×'),
        ("rarr", '→'),
        ("larr", '←'),
        ("hellip", '…'),
        ("mdash", '—'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("laquo", '«'),
        ("raquo", '»'),
        ("middot", '·'),
        ("deg", '°'),
        ("ndash", '–'),
        ("yen", '¥'),
    ];
    if let Some(number) = name.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(value).filter(|&c| c != '\0');
    }
    NAMED.iter().find(|(entity, _)| *entity == name).map(|&(_, c)| c)
}

/// What an HTML block holds inside the one `<p>`, `<div>` or `<center>` around all
/// of it (`<p align="center"><img …></p>`, as READMEs center a picture), or all of it.
pub(super) fn unwrapped(html: &str) -> &str {
    let html = html.trim();
    for name in ["p", "div", "center"] {
        let Some(rest) = html.strip_prefix('<').and_then(|rest| rest.strip_prefix(name)) else { continue };
        if !rest.starts_with(|c: char| c == '>' || c.is_whitespace()) {
            continue;
        }
        let Some((_, inner)) = rest.split_once('>') else { continue };
        let close = format!("</{name}>");
        if let Some(inner) = inner.trim_end().strip_suffix(close.as_str()) {
            return inner.trim();
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_img_tag_alone_is_an_image() {
        let src = |html: &str| html_image(unwrapped(html), 0..0).map(|image| image.src);
        assert_eq!(src("<img src=\"a.png\" width=\"320\">"), Some("a.png".to_string()));
        assert_eq!(src("<p align=\"center\">\n  <IMG\n  SRC='b c.png' />\n</p>\n"), Some("b c.png".to_string()));
        assert_eq!(src("<div><img src=a.png></div>"), Some("a.png".to_string()));
        let alt = html_image("<img src=a.png alt=\"申込 &amp;amp; 変更 &quot;A&quot;\">", 0..0).map(|image| image.alt);
        assert_eq!(alt.as_deref(), Some("申込 &amp; 変更 \"A\""), "each character unescaped once");
        let alt = html_image("<img src=a.png alt=\"&unknown; &amp; &#x3042;\">", 0..0).map(|image| image.alt);
        assert_eq!(alt.as_deref(), Some("&unknown; & あ"), "what tejun does not know stays as written");
        for not_alone in [
            "<img src=a.png> <img src=b.png>",
            "<p>画面 <img src=a.png></p>",
            "<img alt=x>",
            "<imgs src=a>",
            "<pre><img src=a.png></pre>",
        ] {
            assert_eq!(src(not_alone), None, "{not_alone}");
        }
    }

    #[test]
    fn a_block_of_html_with_pictures_in_its_text_is_a_paragraph() {
        let html = "<p>ボタン <img src=\"b.png\"> を押すと、&amp;次の画面&#x3067;す。<br>\n  <img src=\"a.png\" width=\"300\"></p>";
        let inlines = html_paragraph(html, 100).expect("a paragraph");
        let image = |inline: &Inline| match inline {
            Inline::Image(image) => Some((image.src.clone(), image.span.clone(), image.requested.width)),
            _ => None,
        };
        let images: Vec<_> = inlines.iter().filter_map(image).collect();
        assert_eq!(
            images,
            [("b.png".to_string(), 113..130, None), ("a.png".to_string(), 184..213, Some(Length::Pixels(300.0)))]
        );
        let rest: Vec<&Inline> = inlines.iter().filter(|inline| image(inline).is_none()).collect();
        assert_eq!(
            rest,
            [
                &Inline::Text("ボタン ".to_string()),
                &Inline::Text(" を押すと、&次の画面です。".to_string()),
                &Inline::Html("<br>".to_string()),
                &Inline::SoftBreak,
            ]
        );
        for raw in [
            "<p>画面の説明です。<br>次へ</p>",
            "<div><table><tr><td><img src=a.png></td></tr></table></div>",
            "<p>&unknown; <img src=a.png></p>",
            "<!-- 画面 --><img src=a.png> 説明",
            "<p><img alt=x> 説明</p>",
        ] {
            assert_eq!(html_paragraph(raw, 0), None, "{raw}");
        }
    }
}
