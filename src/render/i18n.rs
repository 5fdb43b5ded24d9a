//! The words the manual itself says, per language: labels of the theme (目次, 次へ …)
//! and the text generated for cross-references (手順 19, steps 19–23, 図 3, 表 2).
//! HTML, search and print all take their wording from here, so they agree.

use serde::Serialize;

use crate::model::{AlertKind, Block};

/// Interface strings handed to templates as `ui`.
#[derive(Debug, Serialize)]
pub struct Ui {
    pub step: &'static str,
    pub figure: &'static str,
    pub table: &'static str,
    pub contents: &'static str,
    pub on_this_page: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub home: &'static str,
    pub language: &'static str,
    pub menu: &'static str,
    pub skip_to_content: &'static str,
    pub result: &'static str,
    pub permalink: &'static str,
    pub this_step_in: &'static str,
    pub pages_in_chapter: &'static str,
    pub choose_language: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub no_results: &'static str,
    pub note: &'static str,
    pub tip: &'static str,
    pub important: &'static str,
    pub warning: &'static str,
    pub caution: &'static str,
    /// Link to the page's PDF handout.
    pub pdf_page: &'static str,
    /// Link to the whole manual as one PDF.
    pub pdf_manual: &'static str,
    /// What a PDF's title page calls the date it was made from.
    pub pdf_date: &'static str,
    /// Before the source language's name, on a translated step whose source changed.
    pub stale_note: &'static str,
    /// The link to the source step.
    pub stale_link: &'static str,
    /// The list of a page's footnotes.
    pub footnotes: &'static str,
    /// A footnote's link back to where it is referred to.
    pub footnote_back: &'static str,
}

const JA: Ui = Ui {
    step: "手順",
    figure: "図",
    table: "表",
    contents: "目次",
    on_this_page: "このページの内容",
    previous: "前へ",
    next: "次へ",
    home: "ホーム",
    language: "言語",
    menu: "メニュー",
    skip_to_content: "本文へ移動",
    result: "結果",
    permalink: "この手順へのリンク",
    this_step_in: "この手順を別の言語で読む",
    pages_in_chapter: "この章の手順",
    choose_language: "言語を選んでください",
    search: "検索",
    search_placeholder: "手順を検索（/）",
    no_results: "見つかりませんでした",
    note: "注記",
    tip: "ヒント",
    important: "重要",
    warning: "警告",
    caution: "注意",
    pdf_page: "この手順の PDF",
    pdf_manual: "マニュアル全体の PDF",
    pdf_date: "更新日",
    stale_note: "この手順は、翻訳された後に原文が変更されています。",
    stale_link: "原文の手順を読む",
    footnotes: "脚注",
    footnote_back: "本文に戻る",
};

const EN: Ui = Ui {
    step: "Step",
    figure: "Figure",
    table: "Table",
    contents: "Contents",
    on_this_page: "On this page",
    previous: "Previous",
    next: "Next",
    home: "Home",
    language: "Language",
    menu: "Menu",
    skip_to_content: "Skip to content",
    result: "Result",
    permalink: "Link to this step",
    this_step_in: "Read this step in another language",
    pages_in_chapter: "Procedures in this chapter",
    choose_language: "Choose a language",
    search: "Search",
    search_placeholder: "Search the steps (/)",
    no_results: "No results",
    note: "Note",
    tip: "Tip",
    important: "Important",
    warning: "Warning",
    caution: "Caution",
    pdf_page: "This procedure as PDF",
    pdf_manual: "Whole manual as PDF",
    pdf_date: "Updated",
    stale_note: "This step was changed in the original after it was translated.",
    stale_link: "Read the original step",
    footnotes: "Footnotes",
    footnote_back: "Back to the text",
};

/// Japanese is written out; other languages read English until translated.
pub fn ui(lang: &str) -> &'static Ui {
    if is_japanese(lang) { &JA } else { &EN }
}

fn is_japanese(lang: &str) -> bool {
    lang == "ja" || lang.starts_with("ja-")
}

/// The language's own name, for the language switch.
pub fn language_name(lang: &str) -> String {
    match lang.split('-').next().unwrap_or(lang) {
        "ja" => "日本語".into(),
        "en" => "English".into(),
        "zh" => "中文".into(),
        "ko" => "한국어".into(),
        "fr" => "Français".into(),
        "de" => "Deutsch".into(),
        "es" => "Español".into(),
        "pt" => "Português".into(),
        "vi" => "Tiếng Việt".into(),
        _ => lang.to_string(),
    }
}

pub fn alert_label(lang: &str, kind: AlertKind) -> &'static str {
    let ui = ui(lang);
    match kind {
        AlertKind::Note => ui.note,
        AlertKind::Tip => ui.tip,
        AlertKind::Important => ui.important,
        AlertKind::Warning => ui.warning,
        AlertKind::Caution => ui.caution,
    }
}

/// An alert's label and the blocks to show under it. An alert that starts with a
/// word for a kind of note alone in bold — the writer's own (Docusaurus' `:::warning
/// 注意`, a Word style named 危険, 【注意】, `> [!NOTE]` over `> **Note:**`) — is
/// labelled with that word, shown once: writers choose 注意, 警告 and 危険 by how
/// grave the danger is. Any other alert has its kind's label.
pub fn alert_heading<'b>(lang: &str, kind: AlertKind, blocks: &'b [Block]) -> (&'b str, &'b [Block]) {
    if let Some((first, rest)) = blocks.split_first()
        && let Some(word) = first.note_word()
    {
        return (word, rest);
    }
    (alert_label(lang, kind), blocks)
}

/// A manual's version as its title page and footer show it: a number the writer gave
/// (`2.1`) as 「第 2.1 版」 / "Version 2.1", anything else (`第 3 版`, `2025 年度版`)
/// as written.
pub fn version(lang: &str, version: &str) -> String {
    let number =
        version.starts_with(|c: char| c.is_ascii_digit()) && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    match (number, is_japanese(lang)) {
        (false, _) => version.to_string(),
        (true, true) => format!("第 {version} 版"),
        (true, false) => format!("Version {version}"),
    }
}

/// 「手順 19」 / "Step 19", as a step's own label.
pub fn step_label(lang: &str, number: u32) -> String {
    [ui(lang).step, " ", itoa::Buffer::new().format(number)].concat()
}

/// The steps a section holds, for a page's contents: 手順 1〜7 / Steps 1–7.
pub fn step_span_label(lang: &str, first: u32, last: u32) -> String {
    match (is_japanese(lang), first == last) {
        (true, true) => format!("手順 {first}"),
        (true, false) => format!("手順 {first}〜{last}"),
        (false, true) => format!("Step {first}"),
        (false, false) => format!("Steps {first}–{last}"),
    }
}

/// 「図 3」 / "Figure 3", as a caption's label.
pub fn figure_label(lang: &str, number: u32) -> String {
    [ui(lang).figure, " ", itoa::Buffer::new().format(number)].concat()
}

/// Text of a reference to a step (or range): 手順 19 / step 19, 手順 19〜23 / steps 19–23,
/// with the page named when the step is on another page.
pub fn step_reference(lang: &str, number: u32, range_end: Option<u32>, other_page_title: Option<&str>) -> String {
    let ja = is_japanese(lang);
    let numbers = match range_end {
        Some(end) if end != number && ja => format!("手順 {number}〜{end}"),
        Some(end) if end != number => format!("steps {number}–{end}"),
        _ if ja => ["手順 ", itoa::Buffer::new().format(number)].concat(),
        _ => ["step ", itoa::Buffer::new().format(number)].concat(),
    };
    match other_page_title {
        Some(title) if ja => format!("「{title}」の{numbers}"),
        Some(title) => format!("{numbers} of “{title}”"),
        None => numbers,
    }
}

/// 「表 3」 / "Table 3", as a caption's label.
pub fn table_label(lang: &str, number: u32) -> String {
    [ui(lang).table, " ", itoa::Buffer::new().format(number)].concat()
}

/// Text of a reference to a figure: 図 3 / Figure 3, with the page when elsewhere.
pub fn figure_reference(lang: &str, number: u32, other_page_title: Option<&str>) -> String {
    on_page(lang, figure_label(lang, number), other_page_title)
}

/// Text of a reference to a table: 表 3 / Table 3, with the page when elsewhere.
pub fn table_reference(lang: &str, number: u32, other_page_title: Option<&str>) -> String {
    on_page(lang, table_label(lang, number), other_page_title)
}

/// `label` of another page: 「題」の図 3 / Figure 3 of “Title”.
fn on_page(lang: &str, label: String, other_page_title: Option<&str>) -> String {
    match other_page_title {
        Some(title) if is_japanese(lang) => format!("「{title}」の{label}"),
        Some(title) => format!("{label} of “{title}”"),
        None => label,
    }
}

/// What print adds after a reference to say where the target is: 手順 19（7 ページ）,
/// step 19 (page 7). The page number is only known once typst has laid the document
/// out, so this gives the text before and after it.
pub fn page_reference(lang: &str) -> (&'static str, &'static str) {
    if is_japanese(lang) { ("（", " ページ）") } else { (" (page ", ")") }
}

/// A reference with its page, as print shows it.
pub fn with_page(lang: &str, reference: &str, page: u32) -> String {
    let (before, after) = page_reference(lang);
    format!("{reference}{before}{page}{after}")
}

/// A date on a title page: 2025年4月1日 / 1 April 2025.
pub fn date(lang: &str, (year, month, day): (i32, u8, u8)) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if is_japanese(lang) {
        format!("{year}年{month}月{day}日")
    } else {
        let name = MONTHS.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("");
        format!("{day} {name} {year}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_number_reads_as_an_edition_and_other_versions_as_written() {
        assert_eq!(version("ja", "2.1"), "第 2.1 版");
        assert_eq!(version("en", "2.1"), "Version 2.1");
        assert_eq!(version("ja", "第 3 版"), "第 3 版");
        assert_eq!(version("en", "v2.1"), "v2.1");
        assert_eq!(version("ja", "2025 年度版"), "2025 年度版");
    }

    #[test]
    fn reference_text_in_both_languages() {
        assert_eq!(step_reference("ja", 19, None, None), "手順 19");
        assert_eq!(step_reference("en", 19, None, None), "step 19");
        assert_eq!(step_reference("ja", 19, Some(23), None), "手順 19〜23");
        assert_eq!(step_reference("en", 19, Some(23), None), "steps 19–23");
        assert_eq!(
            step_reference("ja", 3, None, Some("利用者の電子証明書を取得する")),
            "「利用者の電子証明書を取得する」の手順 3"
        );
        assert_eq!(figure_reference("en", 2, None), "Figure 2");
        assert_eq!(figure_reference("ja", 2, None), "図 2");
        assert_eq!(step_span_label("en", 1, 7), "Steps 1–7");
        assert_eq!(step_span_label("ja", 8, 12), "手順 8〜12");
        assert_eq!(step_span_label("en", 3, 3), "Step 3");
    }

    #[test]
    fn print_wording() {
        assert_eq!(with_page("ja", &step_reference("ja", 19, None, None), 7), "手順 19（7 ページ）");
        assert_eq!(with_page("en", &step_reference("en", 19, None, None), 7), "step 19 (page 7)");
        assert_eq!(with_page("ja", &figure_reference("ja", 3, None), 2), "図 3（2 ページ）");
        assert_eq!(date("ja", (2025, 4, 1)), "2025年4月1日");
        assert_eq!(date("en", (2025, 4, 1)), "1 April 2025");
    }
}
