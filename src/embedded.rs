//! Pictures written into a page as `data:` URLs, as Google Docs' Markdown export writes
//! every picture (`![][image1]` … `[image1]: <data:image/png;base64,…>`). Part of
//! resolve, pure (text in, bytes out): each is decoded once, named by its content and
//! measured, and the page keeps its bytes; the renderers publish it as a file of its
//! own under `assets/embedded/`, which the HTML links and the PDFs place like any
//! other image (typst cannot read a `data:` URL).

use std::hash::Hasher;

use rustc_hash::FxHasher;

/// The folder inside `assets/` that embedded pictures are published in.
pub const FOLDER: &str = "embedded/";

/// A decoded picture: the name it is published under and its bytes.
pub struct Embedded {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The picture a `data:` URL holds, if it is one in a format tejun places.
pub fn decode(src: &str) -> Option<Embedded> {
    if !src.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:")) {
        return None;
    }
    let url = data_url::DataUrl::process(src).ok()?;
    let mime = url.mime_type();
    if mime.type_ != "image" {
        return None;
    }
    let extension = match mime.subtype.as_str() {
        "png" => "png",
        "jpeg" | "jpg" => "jpg",
        "gif" => "gif",
        "webp" => "webp",
        "svg+xml" => "svg",
        _ => return None,
    };
    let (bytes, _) = url.decode_to_vec().ok()?;
    let name = format!("{FOLDER}{:016x}.{extension}", content_hash(&bytes));
    Some(Embedded { name, bytes })
}

impl Embedded {
    /// Width and height in pixels, and the picture's own coordinates (an SVG's
    /// viewBox), as `load` gives them for files.
    pub fn size(&self) -> (Option<(u32, u32)>, Option<[f64; 4]>) {
        let pixels = |size: Option<(u32, u32)>| size.map(|(w, h)| [0.0, 0.0, f64::from(w), f64::from(h)]);
        if self.name.ends_with(".svg") {
            let text = String::from_utf8_lossy(&self.bytes);
            let size = crate::load::svg_size(&text);
            return (size, crate::load::svg_view_box(&text).or_else(|| pixels(size)));
        }
        let size = imagesize::blob_size(&self.bytes)
            .ok()
            .and_then(|size| Some((u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?)));
        (size, pixels(size))
    }
}

/// A figure id for a picture written into the page: `embedded-` and eight hex
/// digits of its URL (the URL itself is kilobytes of base64).
pub fn figure_id(src: &str) -> String {
    format!("embedded-{:08x}", content_hash(src.as_bytes()) as u32)
}

/// Stable across runs and machines, so that names and ids stay put between builds.
fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 2 PNG.
    const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGNQcGiAIAY4CwAyVAVBwNQB+AAAAABJRU5ErkJggg==";

    #[test]
    fn pictures_in_data_urls_are_decoded_named_by_content_and_measured() {
        let png = decode(PNG).expect("a PNG");
        assert!(png.name.starts_with("embedded/") && png.name.ends_with(".png"), "{}", png.name);
        assert_eq!(png.size().0, Some((3, 2)));
        assert_eq!(decode(PNG).map(|again| again.name), Some(png.name.clone()));
        let svg = decode(
            "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%2040%2020'%3E%3C/svg%3E",
        )
        .expect("an SVG, percent-encoded");
        assert!(svg.name.ends_with(".svg"));
        assert_eq!(svg.size(), (Some((40, 20)), Some([0.0, 0.0, 40.0, 20.0])));
        for other in
            ["images/a.png", "https://example.com/a.png", "data:text/plain;base64,aGk=", "data:image/png;base64"]
        {
            assert!(decode(other).is_none(), "{other}");
        }
        assert_eq!(figure_id(PNG), figure_id(PNG));
        assert!(figure_id(PNG).starts_with("embedded-") && figure_id(PNG).len() == "embedded-".len() + 8);
    }
}
