//! Screenshots as data: callouts written in a step block are drawn by tejun over the
//! screenshot, in the image's own coordinates, numbered like the sub-steps; what is
//! wrong with them is reported at its place.

mod common;

use common::{Site, attr, texts};

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
fn callouts_are_drawn_over_the_screenshot_in_its_own_coordinates() {
    let site = site(
        "image = \"images/shot.svg\"\nalt = \"画面\"\ncallouts = [{ box = [40, 120, 90, 30] }, { at = [250, 60] }]\n",
        "1. **ダウンロード** をクリックします。\n2. **保存** をクリックします。",
    );
    site.build();
    let html = site.html("ja/p.html");
    assert_eq!(attr(&html, "#fig-download .callout-frame svg.callouts", "viewBox"), ["0 0 320 200"]);
    assert_eq!(attr(&html, "#fig-download .callout-frame img", "width"), ["320"]);
    assert_eq!(texts(&html, ".callouts .callout-number"), ["①", "②"], "the sub-steps' numbers, as text");
    assert_eq!(texts(&html, "ol.substeps .substep-marker"), ["①", "②"]);
    let rect: Vec<String> =
        ["x", "y", "width", "height"].iter().map(|a| attr(&html, ".callout-box", a)[0].clone()).collect();
    assert_eq!(rect, ["40", "120", "90", "30"]);
    assert_eq!(attr(&html, ".callout[data-callout='2'] circle", "cx"), ["250"]);
    assert_eq!(attr(&html, ".callout[data-callout='2'] circle", "cy"), ["60"]);
    assert!(attr(&html, ".callout[data-callout='2'] rect", "x").is_empty(), "a point has no box");
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
    assert!(err.contains("error[redaction-not-applied]"), "a redaction that is not burned in stops the build: {err}");

    let (code, err) = check("callouts = [{ at = [10, 10] }]\n", "");
    assert_eq!(code, Some(1));
    assert!(err.contains("error[callout-without-image]"), "{err}");

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
