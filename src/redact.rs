//! Redaction: the published copy of a screenshot with its `redact` boxes burned in,
//! so that what a box hides reaches no reader — not in the HTML's image, not in the
//! PDF, not in the bytes of either. Part of render: it reads the image files the
//! model names and hands back new bytes; `output` writes them.
//!
//! - PNG and JPEG: decoded, every pixel in each box set to black, encoded again (which
//!   also drops the original's metadata).
//! - SVG: every `<text>` whose extent touches a box is removed whole, every shape or
//!   embedded image lying inside a box is removed, and an opaque black rectangle is
//!   drawn over each box last. Extents are estimated from the elements' attributes and
//!   their ancestors' `transform`s (text from its position, font size and characters),
//!   erring towards removing more text than the box covers.
//!
//! Results are cached by the original's content and the boxes, so `serve` redacts a
//! screenshot again only when the file or its boxes changed. [`published_name`] and
//! [`FORMATS`] read no file: `resolve` uses them to name the copy the renderers link.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use image::{ImageFormat, Rgba};

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Assets;
use crate::model::{Manual, Region};

/// The formats a redaction can be burned into.
pub const FORMATS: &[&str] = &["png", "jpg", "jpeg", "svg"];

/// The published file for an image redacted with `boxes`: beside the original, named
/// after the boxes, so one image redacted two ways is two files.
pub fn published_name(asset: &str, boxes: &[Region]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for region in boxes {
        for byte in format!("{},{},{},{};", region.x, region.y, region.width, region.height).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let (stem, extension) = asset.rsplit_once('.').unwrap_or((asset, ""));
    format!("{stem}.redacted-{:08x}.{extension}", hash as u32)
}

/// A redacted copy (or a picture written into a page, see [`crate::embedded`]): its
/// name inside `assets/` and its bytes.
pub type RedactedCopy = (String, Arc<Vec<u8>>);

/// Every redacted copy the manual publishes, and the pictures pages hold as `data:`
/// URLs: the files made rather than copied. `manual` is the whole manual, with every
/// variant's steps.
pub fn published_copies(manual: &Manual, assets: &Assets) -> Result<Vec<RedactedCopy>, Diagnostic> {
    let mut wanted: Vec<(&str, &str, &[Region])> = Vec::new();
    for page in &manual.pages {
        for step in page.steps() {
            if let Some(image) = &step.image
                && let (Some(name), Some(asset)) = (&image.published, &image.asset)
                && !wanted.iter().any(|(n, ..)| n == name)
            {
                wanted.push((name, asset, &step.redact));
            }
        }
    }
    // Decoded by `resolve`; a picture on several pages is written once.
    let mut embedded: Vec<RedactedCopy> =
        manual.pages.iter().flat_map(|page| page.embedded_images.iter().cloned()).collect();
    embedded.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    embedded.dedup_by(|a, b| a.0 == b.0);
    let redacted: Vec<RedactedCopy> = wanted
        .into_par_iter()
        .map(|(name, asset, boxes)| {
            let file = assets.get(asset).map(|a| a.path.clone()).unwrap_or_default();
            let bytes = std::fs::read(&file)
                .map_err(|e| Diagnostic::error("io", format!("cannot read content/{asset}: {e}")))?;
            let extension = asset.rsplit_once('.').map_or("", |(_, e)| e);
            let redacted = redact(&bytes, extension, boxes).map_err(|message| {
                Diagnostic::error("redaction", format!("cannot redact content/{asset}: {message}"))
                    .with_hint("check that the file is a valid image of its kind")
            })?;
            Ok((name.to_string(), redacted))
        })
        .collect::<Result<_, _>>()?;
    Ok(redacted.into_iter().chain(embedded).collect())
}

/// The images every use of which is redacted: their files are not published at all.
pub fn only_redacted(manual: &Manual) -> HashSet<String> {
    // Only a step's screenshot is redacted: without one, walking every image is spared.
    let redacts =
        |page: &crate::model::Page| page.steps().any(|s| s.image.as_ref().is_some_and(|i| i.published.is_some()));
    if !manual.pages.iter().any(redacts) {
        return HashSet::new();
    }
    // Every inline of every page is visited: by page in parallel, borrowing the names.
    let uses: Vec<(HashSet<&str>, HashSet<&str>)> = manual
        .pages
        .par_iter()
        .map(|page| {
            let (mut redacted, mut plain) = (HashSet::new(), HashSet::new());
            for (_, image) in page.images() {
                if let Some(asset) = &image.asset {
                    if image.published.is_some() {
                        redacted.insert(asset.as_str())
                    } else {
                        plain.insert(asset.as_str())
                    };
                }
            }
            (redacted, plain)
        })
        .collect();
    let plain: HashSet<&str> = uses.iter().flat_map(|(_, plain)| plain.iter().copied()).collect();
    uses.iter()
        .flat_map(|(redacted, _)| redacted.iter())
        .filter(|a| !plain.contains(*a))
        .map(|a| a.to_string())
        .collect()
}

type CacheKey = (u64, String);

fn cache() -> &'static Mutex<HashMap<CacheKey, Arc<Vec<u8>>>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<Vec<u8>>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// `bytes` (a file with `extension`) with `boxes` burned in.
pub fn redact(bytes: &[u8], extension: &str, boxes: &[Region]) -> Result<Arc<Vec<u8>>, String> {
    let key = (content_hash(bytes), format!("{extension}:{}", published_name("", boxes)));
    if let Some(done) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(done.clone());
    }
    let redacted = Arc::new(match extension.to_ascii_lowercase().as_str() {
        "svg" => redact_svg(bytes, boxes)?,
        "png" => redact_raster(bytes, ImageFormat::Png, boxes)?,
        "jpg" | "jpeg" => redact_raster(bytes, ImageFormat::Jpeg, boxes)?,
        other => return Err(format!("cannot redact a .{other} image; save the screenshot as PNG, JPEG or SVG")),
    });
    cache().lock().unwrap_or_else(|e| e.into_inner()).insert(key, redacted.clone());
    Ok(redacted)
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn redact_raster(bytes: &[u8], format: ImageFormat, boxes: &[Region]) -> Result<Vec<u8>, String> {
    let mut image = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| format!("cannot read the image: {e}"))?
        .into_rgba8();
    let (width, height) = image.dimensions();
    for region in boxes {
        let x0 = region.x.floor().max(0.0) as u32;
        let y0 = region.y.floor().max(0.0) as u32;
        let x1 = ((region.x + region.width).ceil().max(0.0) as u32).min(width);
        let y1 = ((region.y + region.height).ceil().max(0.0) as u32).min(height);
        for y in y0..y1 {
            for x in x0..x1 {
                image.put_pixel(x, y, Rgba([0, 0, 0, 255]));
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => image::DynamicImage::ImageRgba8(image)
            .into_rgb8()
            .write_to(&mut out, ImageFormat::Jpeg)
            .map_err(|e| format!("cannot write the redacted image: {e}"))?,
        _ => image.write_to(&mut out, format).map_err(|e| format!("cannot write the redacted image: {e}"))?,
    }
    Ok(out.into_inner())
}

/// A 2-D affine transform `[a, b, c, d, e, f]` as SVG writes it.
type Affine = [f64; 6];

const IDENTITY: Affine = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: &Affine, n: &Affine) -> Affine {
    [
        m[0] * n[0] + m[2] * n[1],
        m[1] * n[0] + m[3] * n[1],
        m[0] * n[2] + m[2] * n[3],
        m[1] * n[2] + m[3] * n[3],
        m[0] * n[4] + m[2] * n[5] + m[4],
        m[1] * n[4] + m[3] * n[5] + m[5],
    ]
}

/// `translate(…) scale(…) matrix(…) rotate(…)`, composed left to right.
fn parse_transform(text: &str) -> Affine {
    let mut result = IDENTITY;
    for part in text.split(')') {
        let Some((name, args)) = part.split_once('(') else { continue };
        let numbers: Vec<f64> =
            args.split([',', ' ']).filter(|s| !s.is_empty()).filter_map(|s| s.trim().parse().ok()).collect();
        let get = |i: usize, default: f64| numbers.get(i).copied().unwrap_or(default);
        let step = match name.trim() {
            "translate" => [1.0, 0.0, 0.0, 1.0, get(0, 0.0), get(1, 0.0)],
            "scale" => [get(0, 1.0), 0.0, 0.0, get(1, get(0, 1.0)), 0.0, 0.0],
            "matrix" if numbers.len() == 6 => [numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5]],
            "rotate" => {
                let (sin, cos) = get(0, 0.0).to_radians().sin_cos();
                let (cx, cy) = (get(1, 0.0), get(2, 0.0));
                let about = [1.0, 0.0, 0.0, 1.0, cx, cy];
                let back = [1.0, 0.0, 0.0, 1.0, -cx, -cy];
                multiply(&multiply(&about, &[cos, sin, -sin, cos, 0.0, 0.0]), &back)
            }
            _ => IDENTITY,
        };
        result = multiply(&result, &step);
    }
    result
}

/// The box around `(x, y, w, h)` after `m`.
fn transform_box(m: &Affine, (x, y, w, h): (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    let corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)];
    let points: Vec<(f64, f64)> =
        corners.iter().map(|&(px, py)| (m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5])).collect();
    let min_x = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let max_x = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let min_y = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max_y = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    (min_x, min_y, max_x - min_x, max_y - min_y)
}

fn touches(a: (f64, f64, f64, f64), region: &Region) -> bool {
    a.0 < region.x + region.width && a.0 + a.2 > region.x && a.1 < region.y + region.height && a.1 + a.3 > region.y
}

fn inside(a: (f64, f64, f64, f64), region: &Region) -> bool {
    a.0 >= region.x && a.1 >= region.y && a.0 + a.2 <= region.x + region.width && a.1 + a.3 <= region.y + region.height
}

fn number(node: roxmltree::Node, name: &str) -> Option<f64> {
    let value = node.attribute(name)?;
    value.trim().trim_end_matches("px").split([' ', ',']).next()?.parse().ok()
}

/// The font size in force at `node`: its own or an ancestor's attribute or
/// `style="font-size: …"`, else 16.
fn font_size(node: roxmltree::Node) -> f64 {
    let in_style = |n: roxmltree::Node| {
        let style = n.attribute("style")?;
        let value = style.split(';').find_map(|rule| rule.trim().strip_prefix("font-size"))?;
        value.trim_start_matches([' ', ':']).trim().trim_end_matches("px").parse().ok()
    };
    node.ancestors().find_map(|n| in_style(n).or_else(|| number(n, "font-size"))).unwrap_or(16.0)
}

/// Where a `<text>` is drawn, from its position, anchor, font size and characters
/// (CJK and full-width ones a full em, others 0.6 em), in its own coordinates.
fn text_extent(node: roxmltree::Node) -> (f64, f64, f64, f64) {
    let size = font_size(node);
    let x = number(node, "x").unwrap_or(0.0);
    let y = number(node, "y").unwrap_or(0.0);
    let text: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    let width: f64 = text.chars().map(|c| if (c as u32) < 0x2E80 { 0.6 } else { 1.0 }).sum::<f64>() * size;
    let anchor = node.ancestors().find_map(|n| n.attribute("text-anchor")).unwrap_or("start");
    let left = match anchor {
        "middle" => x - width / 2.0,
        "end" => x - width,
        _ => x,
    };
    (left, y - size, width, size * 1.3)
}

/// The extent of a shape in its own coordinates, when it can be told.
fn shape_extent(node: roxmltree::Node) -> Option<(f64, f64, f64, f64)> {
    let n = |name| number(node, name);
    match node.tag_name().name() {
        "rect" | "image" | "foreignObject" | "use" => {
            Some((n("x").unwrap_or(0.0), n("y").unwrap_or(0.0), n("width")?, n("height")?))
        }
        "circle" => {
            let r = n("r")?;
            Some((n("cx").unwrap_or(0.0) - r, n("cy").unwrap_or(0.0) - r, 2.0 * r, 2.0 * r))
        }
        "ellipse" => {
            let (rx, ry) = (n("rx")?, n("ry")?);
            Some((n("cx").unwrap_or(0.0) - rx, n("cy").unwrap_or(0.0) - ry, 2.0 * rx, 2.0 * ry))
        }
        "line" => {
            let (x1, y1, x2, y2) = (n("x1")?, n("y1")?, n("x2")?, n("y2")?);
            Some((x1.min(x2), y1.min(y2), (x2 - x1).abs(), (y2 - y1).abs()))
        }
        "path" | "polygon" | "polyline" => {
            let data = node.attribute("d").or_else(|| node.attribute("points"))?;
            let numbers: Vec<f64> = data
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|s| s.parse().ok())
                .collect();
            // Absolute coordinates as x y pairs; relative paths make this a guess,
            // and a guess that misses leaves the shape under the cover.
            let xs = numbers.iter().step_by(2);
            let ys = numbers.iter().skip(1).step_by(2);
            let (min_x, max_x) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            let (min_y, max_y) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            (min_x.is_finite() && min_y.is_finite()).then_some((min_x, min_y, max_x - min_x, max_y - min_y))
        }
        _ => None,
    }
}

/// The transform from `node`'s own coordinates to the image's.
fn transform_of(node: roxmltree::Node) -> Affine {
    let mut chain: Vec<Affine> = node
        .ancestors()
        .filter(|n| n.is_element())
        .filter_map(|n| n.attribute("transform").map(parse_transform))
        .collect();
    chain.reverse();
    chain.iter().fold(IDENTITY, |m, t| multiply(&m, t))
}

fn redact_svg(bytes: &[u8], boxes: &[Region]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8".to_string())?;
    let document = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .map_err(|e| format!("cannot read the SVG: {e}"))?;
    let root = document.root_element();
    let mut removed: Vec<std::ops::Range<usize>> = Vec::new();
    for node in root.descendants().filter(|n| n.is_element()) {
        if removed.iter().any(|r| r.contains(&node.range().start)) {
            continue;
        }
        let name = node.tag_name().name();
        let to_image = transform_of(node);
        let remove = match name {
            // The text, and each `<tspan>` placed on its own, wherever it is drawn.
            "text" => std::iter::once(node)
                .chain(
                    node.descendants()
                        .filter(|n| n.has_tag_name("tspan") && (n.has_attribute("x") || n.has_attribute("y"))),
                )
                .any(|part| boxes.iter().any(|b| touches(transform_box(&to_image, text_extent(part)), b))),
            "title" | "desc" | "metadata" => false,
            _ => shape_extent(node).is_some_and(|extent| {
                let extent = transform_box(&to_image, extent);
                boxes
                    .iter()
                    .any(|b| inside(extent, b) || (matches!(name, "image" | "foreignObject") && touches(extent, b)))
            }),
        };
        if remove {
            removed.push(node.range());
        }
    }
    // The covers go last in the root, so nothing is drawn over them.
    let closing = text[..root.range().end].rfind("</").ok_or("the SVG has no closing tag")?;
    let mut out = String::with_capacity(text.len() + 64 * boxes.len());
    let mut at = 0;
    removed.sort_by_key(|r| r.start);
    for range in &removed {
        out.push_str(&text[at..range.start]);
        at = range.end;
    }
    out.push_str(&text[at..closing]);
    for region in boxes {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#000\" fill-opacity=\"1\" stroke=\"none\"/>",
            region.x, region.y, region.width, region.height
        ));
    }
    out.push_str(&text[closing..]);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(x: f64, y: f64, width: f64, height: f64) -> Region {
        Region { x, y, width, height, span: 0..0 }
    }

    #[test]
    fn svg_text_and_shapes_inside_a_box_are_removed_and_covered() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" font-size="12"><rect width="200" height="100" fill="#fff"/><text x="10" y="30">ご契約先 ID</text><g transform="translate(100,0)"><text x="10" y="30">1732-5501</text><rect x="8" y="20" width="60" height="14" fill="#eee"/></g><text x="10" y="80">OK</text></svg>"##;
        let out = String::from_utf8(redact_svg(svg.as_bytes(), &[region(105.0, 15.0, 80.0, 22.0)]).unwrap()).unwrap();
        assert!(!out.contains("1732-5501"), "{out}");
        let spans = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="0" y="90" style="fill:#000; font-size: 10px">Label<tspan x="120" y="30">SECRET</tspan></text></svg>"##;
        let spans =
            String::from_utf8(redact_svg(spans.as_bytes(), &[region(110.0, 15.0, 60.0, 20.0)]).unwrap()).unwrap();
        assert!(!spans.contains("SECRET"), "a tspan placed in the box takes its text with it: {spans}");
        assert!(out.contains("ご契約先 ID") && out.contains(">OK<"), "{out}");
        assert!(!out.contains("<rect x=\"8\""), "the field inside the box goes: {out}");
        assert!(out.contains("<rect width=\"200\""), "the background stays: {out}");
        assert!(out.ends_with("<rect x=\"105\" y=\"15\" width=\"80\" height=\"22\" fill=\"#000\" fill-opacity=\"1\" stroke=\"none\"/></svg>"), "{out}");
        roxmltree::Document::parse(&out).expect("still an SVG");
    }

    #[test]
    fn png_pixels_in_a_box_are_black_and_the_rest_unchanged() {
        let mut source = image::RgbaImage::from_pixel(20, 10, Rgba([200, 30, 30, 255]));
        source.put_pixel(0, 0, Rgba([1, 2, 3, 255]));
        let mut png = std::io::Cursor::new(Vec::new());
        source.write_to(&mut png, ImageFormat::Png).unwrap();
        let out_png = redact(png.get_ref(), "png", &[region(5.0, 2.0, 10.0, 5.0)]).unwrap();
        let decoded = image::load_from_memory(&out_png).unwrap().into_rgba8();
        for (x, y, pixel) in decoded.enumerate_pixels() {
            let inside = (5..15).contains(&x) && (2..7).contains(&y);
            let expected = if inside { Rgba([0, 0, 0, 255]) } else { *source.get_pixel(x, y) };
            assert_eq!(*pixel, expected, "({x}, {y})");
        }
        assert_ne!(
            published_name("a/b.png", &[region(1.0, 2.0, 3.0, 4.0)]),
            published_name("a/b.png", &[region(1.0, 2.0, 3.0, 5.0)])
        );
        assert!(published_name("a/b.png", &[region(1.0, 2.0, 3.0, 4.0)]).starts_with("a/b.redacted-"));
    }
}
