//! `tejun check`: lints as warnings with file:line:col, JSON for CI, `--deny warnings`,
//! and `[lints]` in tejun.toml to allow or deny one lint.

mod common;

use common::Site;

const PAGE: &str =
    "+++\ntitle = \"ページ\"\n+++\n\n+++\nid = \"a\"\ntitle = \"手順\"\n+++\n\n「19」の操作からやり直してください。\n";

fn site(config_extra: &str) -> Site {
    Site::new(&[
        ("tejun.toml", &format!("languages = [\"ja\"]\n{config_extra}")),
        ("content/_index.md", "+++\ntitle = \"ホーム\"\n+++\n"),
        ("content/page.md", PAGE),
    ])
}

#[test]
fn lints_are_warnings_with_their_position() {
    let site = site("");
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(0), "warnings alone pass");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning[hand-typed-step-number]"), "{stderr}");
    assert!(stderr.contains("content/page.md:10:1"), "{stderr}");
    assert!(stderr.contains("[](step:download)"), "the hint says how to fix it: {stderr}");
    // `build` does not lint.
    assert!(site.run(&["build"]).status.success());
}

#[test]
fn json_output_and_deny_warnings() {
    let site = site("");
    let output = site.run(&["check", "--format", "json"]);
    let line = String::from_utf8(output.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(json["severity"], "warning");
    assert_eq!(json["code"], "hand-typed-step-number");
    assert_eq!((json["line"].as_u64(), json["column"].as_u64()), (Some(10), Some(1)));
    assert!(json["hint"].as_str().unwrap().contains("[](step:"));
    assert_eq!(site.run(&["check", "--deny", "warnings"]).status.code(), Some(1));
}

#[test]
fn lints_can_be_allowed_or_denied_in_tejun_toml() {
    let allowed = site("[lints]\nhand-typed-step-number = \"allow\"\n");
    let output = allowed.run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
    let denied = site("[lints]\nhand-typed-step-number = \"deny\"\n");
    assert_eq!(denied.run(&["check"]).status.code(), Some(1));
    let misspelt = site("[lints]\nhand-typed-number = \"allow\"\n");
    let output = misspelt.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `hand-typed-step-number`?"));
}

#[test]
fn the_example_manual_checks_clean() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tejun"))
        .args(["check", "--deny", "warnings", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
