//! Screenshots as data: callouts written in a step block are drawn by tejun over the
//! screenshot, in the image's own coordinates, numbered like the sub-steps; what is
//! wrong with them is reported at its place.

mod common;

use common::{Site, attr, node, pdf_images, pdf_sheet, plain_png, texts};

const CONFIG: &str = "languages = [\"ja\"]\n\n[pdf]\nenabled = false\n";
const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\"><rect width=\"320\" height=\"200\" fill=\"#eee\"/><rect x=\"40\" y=\"120\" width=\"90\" height=\"30\" fill=\"#0b5cad\"/></svg>";

fn page(step_fields: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"ダウンロード\"\n+++\n\n+++\nid = \"download\"\ntitle = \"ダウンロードします\"\n{step_fields}+++\n\n{body}\n"
    )
}

fn site(step_fields: &str, body: &str) -> Site {
    Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/p.ja.md", &page(step_fields, body)),
        ("content/images/shot.svg", SVG),
    ])
}

#[test]
fn callouts_are_placed_over_the_screenshot_in_percentages_of_its_own_coordinates() {
    let site = site(
        "image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ box = [40, 120, 90, 30] }, { at = [250, 60] }]\n",
        "1. **ダウンロード** をクリックします。\n2. **保存** をクリックします。",
    );
    site.build();
    let html = site.html("ja/p.html");
    assert_eq!(attr(&html, "#fig-download .callout-frame img", "width"), ["320"]);
    assert_eq!(texts(&html, ".callouts .callout-number"), ["①", "②"], "the sub-steps' numbers, as text");
    assert_eq!(texts(&html, "ol.substeps .substep-marker"), ["①", "②"]);
    let rect: Vec<String> =
        ["x", "y", "width", "height"].iter().map(|a| attr(&html, ".callout-box", a)[0].clone()).collect();
    assert_eq!(rect, ["12.5%", "60%", "28.125%", "15%"], "40, 120, 90, 30 of 320 × 200");
    assert_eq!(attr(&html, ".callout[data-callout='2'] circle", "cx"), ["78.125%"]);
    assert_eq!(attr(&html, ".callout[data-callout='2'] circle", "cy"), ["30%"]);
    assert!(attr(&html, ".callout[data-callout='2'] rect", "x").is_empty(), "a point has no box");
}

#[test]
fn in_chromium_callouts_stay_on_their_pixels_at_two_widths_and_answer_the_sub_steps() {
    // Shown at 60 % of the column: larger than its pixels on a wide window, smaller
    // on a narrow one.
    let site = site(
        "image = \"images/shot.svg\"\nalt = \"画面\"\nwidth = \"60%\"\ncallouts = [{ box = [40, 120, 90, 30] }, { at = [250, 60] }]\n",
        "1. **ダウンロード** をクリックします。\n2. **保存** をクリックします。",
    );
    site.build();
    node(&["tests/e2e/callouts.e2e.js"], &[("TEJUN_PUBLIC", &site.public())]);
}

/// The PDF page with the step, rendered by poppler, has the callout box drawn around
/// the button the box names, at the image's scale.
#[test]
fn in_the_pdf_the_callouts_are_drawn_on_the_same_pixels() {
    let site = site(
        "image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ box = [40, 120, 90, 30] }, { at = [250, 60] }]\n",
        "1. **ダウンロード** をクリックします。\n2. **保存** をクリックします。",
    );
    site.write("tejun.toml", "languages = [\"ja\"]\n\n[pdf]\ndate = 2025-04-01\n");
    site.build();
    let page = pdf_sheet(&site.public().join("ja/p.pdf"), 2, 150);
    let is = |p: &image::Rgb<u8>, rgb: [u8; 3]| {
        p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < if rgb == [0xee; 3] { 4 } else { 40 })
    };
    let bbox_in = |rgb: [u8; 3], area: (u32, u32, u32, u32)| {
        let hits: Vec<(u32, u32)> = page
            .enumerate_pixels()
            .filter(|&(x, y, p)| (area.0..=area.2).contains(&x) && (area.1..=area.3).contains(&y) && is(p, rgb))
            .map(|(x, y, _)| (x, y))
            .collect();
        assert!(!hits.is_empty(), "no pixels of {rgb:?} on the page");
        let xs = hits.iter().map(|h| h.0);
        let ys = hits.iter().map(|h| h.1);
        (xs.clone().min().unwrap(), ys.clone().min().unwrap(), xs.max().unwrap(), ys.max().unwrap())
    };
    // The button (#0b5cad, image pixels 40–130 × 120–150) gives the image's place and
    // scale; the red of the callouts is looked for over the image only, not in the
    // text's ① ②.
    let everywhere = (0, 0, page.width() - 1, page.height() - 1);
    let button = bbox_in([0x0b, 0x5c, 0xad], everywhere);
    let scale = f64::from(button.2 - button.0) / 90.0;
    let origin = (f64::from(button.0) - 40.0 * scale, f64::from(button.1) - 120.0 * scale);
    let margin = 20.0;
    let image_area = (
        (origin.0 - margin).max(0.0) as u32,
        (origin.1 - margin).max(0.0) as u32,
        (origin.0 + 320.0 * scale + margin) as u32,
        (origin.1 + 200.0 * scale + margin) as u32,
    );
    let red = bbox_in([0xd7, 0x19, 0x1c], image_area);
    let near = |a: u32, b: f64| (f64::from(a) - b).abs() < 4.0 * scale.max(1.0);
    // The red reaches from the box's corner marker (radius 2.6 mm) to the point marker ②.
    let marker_radius = 2.6 / 25.4 * 150.0;
    // The box's marker sits just outside its top-left corner.
    assert!(near(red.0, origin.0 + 40.0 * scale - 1.6 * marker_radius), "left edge {red:?} vs button {button:?}");
    assert!(near(red.3, origin.1 + 150.0 * scale), "bottom edge of the box {red:?} vs button {button:?}");
    assert!(near(red.2, origin.0 + 250.0 * scale + marker_radius), "the ② marker's right edge {red:?}");
    assert!(near(red.1, origin.1 + 60.0 * scale - marker_radius), "the ② marker's top {red:?}");
}

#[test]
fn callouts_outside_the_image_without_an_image_or_miscounted_are_reported() {
    let check = |fields: &str, body: &str| {
        let output = site(fields, body).run(&["check"]);
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (code, err) = check(
        "image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ box = [300, 120, 90, 30] }]\nredact = [[0, 190, 50, 20]]\n",
        "クリックします。",
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("error[callout-outside-image]: this callout box reaches outside the 320×200 image"), "{err}");
    assert!(err.contains("content/p.ja.md:10:13"), "{err}");
    assert!(err.contains("this redaction reaches outside"), "{err}");

    let (code, err) = check("callouts = [{ at = [10, 10] }]\n", "");
    assert_eq!(code, Some(1));
    assert!(err.contains("error[callout-without-image]"), "{err}");

    // Boxes to hide on a picture that is no file of the site (written into the page,
    // or on another server) cannot be burned in: an error, never the picture as it is.
    for image in [format!("data:image/svg+xml,{}", SVG.replace('#', "%23")), "https://example.com/shot.png".to_string()]
    {
        let (code, err) = check(
            &format!("image = \"{}\"\nalt = \"画面\"\nredact = [[40, 120, 90, 30]]\n", image.replace('"', "\\\"")),
            "",
        );
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains("error[unredactable-image]: tejun can only redact a screenshot that is a file of the site"),
            "{err}"
        );
    }
    // A missing file is that error alone.
    let (code, err) = check("image = \"images/gone.png\"\nalt = \"画面\"\nredact = [[40, 120, 90, 30]]\n", "");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[missing-image]") && !err.contains("unredactable-image"), "{err}");

    let (code, err) = check("image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ boxx = [1, 1, 2, 2] }]\n", "");
    assert_eq!(code, Some(1));
    assert!(err.contains("unknown key `boxx`") && err.contains("did you mean `box`?"), "{err}");

    let (code, err) =
        check("image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ at = [10, 10] }]\n", "1. 一つ目\n2. 二つ目");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning[callouts-substeps-mismatch]: step `download` has 1 callouts and 2 sub-steps"),
        "{err}"
    );
}

/// A screenshot with a pattern no fill could fake: every pixel's colour says where it is.
fn pattern_png() -> Vec<u8> {
    let image =
        image::RgbaImage::from_fn(320, 200, |x, y| image::Rgba([(x % 251) as u8 + 1, (y % 251) as u8 + 1, 77, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const ID_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\" font-size=\"14\"><rect width=\"320\" height=\"200\" fill=\"#fff\"/><text x=\"20\" y=\"40\">ご契約先 ID</text><rect x=\"120\" y=\"26\" width=\"120\" height=\"20\" fill=\"#eef\"/><text x=\"126\" y=\"41\">1732-990017</text><text x=\"20\" y=\"120\">利用者番号を確認します</text></svg>";

fn redaction_site() -> Site {
    let site = Site::new(&[
        ("tejun.toml", "languages = [\"ja\"]\n\n[pdf]\ndate = 2025-04-01\n"),
        (
            "content/p.ja.md",
            "+++\ntitle = \"ログイン\"\n+++\n\n+++\nid = \"first\"\ntitle = \"一つ目\"\nimage = \"images/shot.png\"\nalt = \"画面\"\nredact = [[40, 120, 90, 30]]\n+++\n\n本文。\n\n+++\nid = \"second\"\ntitle = \"二つ目\"\nimage = \"images/shot.png\"\nalt = \"画面\"\nredact = [[200, 10, 50, 50], [0, 0, 10, 10]]\n+++\n\n本文。\n\n+++\nid = \"id\"\ntitle = \"ID を入力します\"\nimage = \"images/id.svg\"\nalt = \"ID の入力欄\"\nredact = [[118, 24, 124, 24]]\ncallouts = [{ box = [118, 24, 124, 24] }]\n+++\n\nID を入力します。\n",
        ),
        ("content/images/id.svg", ID_SVG),
    ]);
    std::fs::write(site.root().join("content/images/shot.png"), pattern_png()).unwrap();
    site
}

/// Asserts that `published` is the original with exactly `boxes` black.
fn assert_redacted(published: &image::RgbaImage, boxes: &[[u32; 4]]) {
    let original = image::load_from_memory(&pattern_png()).unwrap().into_rgba8();
    assert_eq!(published.dimensions(), original.dimensions());
    for (x, y, pixel) in published.enumerate_pixels() {
        let hidden = boxes.iter().any(|[bx, by, w, h]| (*bx..bx + w).contains(&x) && (*by..by + h).contains(&y));
        if hidden {
            assert_eq!(*pixel, image::Rgba([0, 0, 0, 255]), "({x}, {y}) is inside a box");
        } else {
            assert_eq!(pixel, original.get_pixel(x, y), "({x}, {y}) is outside every box");
        }
    }
}

#[test]
fn redactions_are_burned_into_every_published_copy_and_the_original_is_not_published() {
    let site = redaction_site();
    site.build();
    let html = site.html("ja/p.html");
    let sources = attr(&html, "li.step figure img", "src");
    assert_eq!(sources.len(), 3);
    assert!(sources.iter().all(|s| s.contains(".redacted-")), "{sources:?}");
    assert_ne!(sources[0], sources[1], "one image redacted two ways is two files");
    let public = site.public();
    assert!(!public.join("assets/images/shot.png").exists(), "the original is not published");
    assert!(!public.join("assets/images/id.svg").exists(), "the original is not published");
    let published = |src: &str| public.join("ja").join(src);
    assert_redacted(&image::open(published(&sources[0])).unwrap().into_rgba8(), &[[40, 120, 90, 30]]);
    assert_redacted(&image::open(published(&sources[1])).unwrap().into_rgba8(), &[[200, 10, 50, 50], [0, 0, 10, 10]]);
    let svg = std::fs::read_to_string(published(&sources[2])).unwrap();
    assert!(!svg.contains("1732-990017"), "{svg}");
    assert!(svg.contains("ご契約先 ID") && svg.contains("利用者番号を確認します"), "the rest stays: {svg}");
    // Nothing of the originals anywhere in the output, PDFs included.
    for (path, bytes) in common::read_tree(&public) {
        assert!(bytes.windows(11).all(|w| w != b"1732-990017"), "{path} holds the hidden ID");
    }

    // The PDF is made from the redacted copies: the ID's text is not in it, and the
    // screenshots typst placed are black inside the boxes.
    let pdf = public.join("ja/p.pdf");
    let text =
        std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&pdf).arg("-").output().unwrap_or_else(
            |e| panic!("cannot run pdftotext ({e}): install poppler-utils (apt-get install poppler-utils)"),
        );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("ご契約先") && !text.contains("1732"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("pdfimages")
        .arg("-png")
        .arg(&pdf)
        .arg(dir.path().join("img"))
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run pdfimages ({e}): install poppler-utils (apt-get install poppler-utils)")
        });
    assert!(status.success());
    let mut rasters: Vec<image::RgbaImage> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| image::open(e.unwrap().path()).unwrap().into_rgba8())
        .filter(|i| i.dimensions() == (320, 200))
        // Alpha masks come out as images of their own, grey.
        .filter(|i| i.pixels().any(|p| p.0[0] != p.0[1] || p.0[1] != p.0[2]))
        .collect();
    assert_eq!(rasters.len(), 2, "both screenshots are in the PDF");
    rasters.sort_by_key(|i| i.get_pixel(0, 0).0);
    assert_redacted(&rasters[0], &[[200, 10, 50, 50], [0, 0, 10, 10]]);
    assert_redacted(&rasters[1], &[[40, 120, 90, 30]]);
}

#[test]
fn an_image_redacted_in_one_step_and_shown_whole_elsewhere_is_a_warning() {
    let site = redaction_site();
    let page = std::fs::read_to_string(site.root().join("content/p.ja.md")).unwrap();
    site.write("content/p.ja.md", &format!("{page}\n![全体](images/shot.png)\n"));
    let output = site.run(&["check"]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(err.matches("warning[unredacted-copy]").count(), 1, "{err}");
    assert!(
        err.contains("content/images/shot.png is published whole here, though step `first` of `p` redacts it"),
        "{err}"
    );
    assert!(err.contains("content/p.ja.md:36:1"), "{err}");
    assert_eq!(String::from_utf8_lossy(&redaction_site().run(&["check"]).stderr).matches("unredacted-copy").count(), 0);
}

#[test]
fn an_svgs_callouts_are_in_its_view_box_units() {
    let scaled = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 640 400\"><rect width=\"640\" height=\"400\" fill=\"#eee\"/></svg>";
    let site = site(
        "image = \"images/scaled.svg\"\nalt = \"画面\"\ncallouts = [{ box = [560, 340, 60, 40] }]\n",
        "クリックします。",
    );
    site.write("content/images/scaled.svg", scaled);
    site.build();
    let html = site.html("ja/p.html");
    let rect: Vec<String> =
        ["x", "y", "width", "height"].iter().map(|a| attr(&html, ".callout-box", a)[0].clone()).collect();
    assert_eq!(rect, ["87.5%", "85%", "9.375%", "10%"], "560, 340, 60, 40 of 640 × 400");
    assert_eq!(attr(&html, ".callout-frame img", "width"), ["320"]);
    site.write(
        "content/p.ja.md",
        &page("image = \"images/scaled.svg\"\nalt = \"画面\"\ncallouts = [{ box = [620, 380, 40, 40] }]\n", ""),
    );
    let err = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    assert!(err.contains("reaches outside the 640×400 image"), "{err}");
}

/// A step's `width` sizes its screenshot, callouts and all, on screen and on paper;
/// one that says nothing, or has no image to size, is a warning at it.
#[test]
fn a_steps_width_sizes_its_screenshot_on_screen_and_on_paper() {
    let page = "+++\ntitle = \"証明書\"\n+++\n\n\
        +++\nid = \"open\"\ntitle = \"画面を開きます\"\nimage = \"images/open.png\"\nalt = \"画面\"\nwidth = \"50%\"\n\
        callouts = [{ box = [100, 100, 200, 100] }]\n+++\n\n1. **開く** をクリックします。\n\n\
        +++\nid = \"close\"\ntitle = \"閉じます\"\nimage = \"images/close.png\"\nalt = \"画面\"\nwidth = 200\n+++\n\n\
        +++\nid = \"done\"\ntitle = \"完了です\"\nwidth = \"wide\"\n+++\n";
    let site = Site::new(&[("tejun.toml", "languages = [\"ja\"]\n"), ("content/p.ja.md", page)]);
    std::fs::create_dir_all(site.root().join("content/images")).unwrap();
    std::fs::write(site.root().join("content/images/open.png"), plain_png(800, 500)).unwrap();
    std::fs::write(site.root().join("content/images/close.png"), plain_png(600, 300)).unwrap();
    let output = site.run(&["build"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("warning[invalid-width]").count(), 1, "{stderr}");
    let line = page.lines().position(|line| line == "width = \"wide\"").unwrap() + 1;
    assert!(stderr.contains(&format!("content/p.ja.md:{line}:9")), "{stderr}");

    let html = site.html("ja/p.html");
    assert_eq!(attr(&html, "figure.sized", "style"), ["--width: 50%", "--width: 200px"]);
    assert_eq!(attr(&html, "figure.sized", "id"), ["fig-open", "fig-close"]);
    assert_eq!(attr(&html, "#fig-open .callout-box", "x"), ["12.5%"]);
    // Half of the 168 mm an A4 sheet has for text; pixels at 70 % of a 96-dpi screen's.
    let printed = pdf_images(&site.public().join("ja/p.pdf"));
    let width_of = |pixels: (u32, u32)| printed.iter().find(|(w, h, _)| (*w, *h) == pixels).map(|image| image.2);
    let screen_mm = 200.0 * 25.4 / 96.0 * 0.7;
    for (pixels, expected) in [((800, 500), 84.0), ((600, 300), screen_mm)] {
        let width = width_of(pixels).unwrap_or_else(|| panic!("{pixels:?} in {printed:?}"));
        assert!((width - expected).abs() < 1.0, "{pixels:?} prints {width:.1} mm wide, not {expected:.1} mm");
    }
}
