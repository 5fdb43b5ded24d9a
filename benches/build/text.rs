//! Deterministic pseudo-random text for the synthetic manual.
//!
//! A tiny xorshift64* generator (no external crate) and, per language, a vocabulary of
//! words and sentence templates taken from the kind of bank manual tejun is made for
//! (certificates, passwords, approvals, screens and buttons). Templates contain
//! placeholders that [`Vocab::fill`] replaces with random words:
//!
//! | placeholder | replaced by |
//! |---|---|
//! | `{noun}`   | a thing the reader handles (電子証明書, the payee account) |
//! | `{screen}` | the name of a screen (管理者メニュー, Administrator Menu) |
//! | `{button}` | a button label, usually written as a bold UI label |
//! | `{field}`  | the label of an input field |
//! | `{num}`    | a small number |
//!
//! The same seed always gives the same text, so the generated site is byte-identical
//! from one run to the next.

/// xorshift64* — small, fast and good enough for filler text.
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence depends on every part of `parts` (page, step, language …).
    pub fn seeded(parts: &[u64]) -> Rng {
        let mut state = 0x7e1f_5eed_0dd5_eed5_u64;
        for &part in parts {
            state = splitmix64(state ^ part);
        }
        // xorshift must never hold zero.
        Rng(state | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// True with probability `k / n`.
    pub fn chance(&mut self, k: usize, n: usize) -> bool {
        self.below(n) < k
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One step of the splitmix64 sequence, used to spread seeds over all 64 bits.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The words and templates of one language.
pub struct Vocab {
    nouns: &'static [&'static str],
    screens: &'static [&'static str],
    buttons: &'static [&'static str],
    fields: &'static [&'static str],
    /// Running text of a step, a page or a section introduction.
    pub sentences: &'static [&'static str],
    /// Items of a step's ordered list (its sub-steps).
    pub substeps: &'static [&'static str],
    pub step_titles: &'static [&'static str],
    pub section_titles: &'static [&'static str],
    /// Page titles; the page number is appended by the generator.
    pub page_titles: &'static [&'static str],
    pub chapter_titles: &'static [&'static str],
    pub descriptions: &'static [&'static str],
    pub alts: &'static [&'static str],
    pub captions: &'static [&'static str],
    pub results: &'static [&'static str],
    pub notes: &'static [&'static str],
    pub warnings: &'static [&'static str],
    /// Sentences around a cross-reference; `{ref}` is replaced by the link.
    pub ref_step: &'static [&'static str],
    pub ref_range: &'static [&'static str],
    pub ref_fig: &'static [&'static str],
    pub ref_page: &'static [&'static str],
    pub ref_page_step: &'static [&'static str],
    /// `format!`-style pieces that differ by language.
    pub page_title_number: fn(usize) -> String,
    pub chapter_title_number: fn(usize) -> String,
    /// The comment line opening a ```` ```toml ```` and a ```` ```sh ```` block.
    pub code_comments: [&'static str; 2],
    /// What goes between two sentences: nothing in Japanese, a space in English.
    pub sentence_gap: &'static str,
}

impl Vocab {
    /// A random template of `templates` with its placeholders filled in.
    pub fn fill(&self, rng: &mut Rng, templates: &[&str]) -> String {
        let template = *rng.pick(templates);
        let mut out = String::with_capacity(template.len() * 2);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').expect("unclosed placeholder in a template");
            self.push_word(rng, &after[..close], &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// `count` sentences joined as one paragraph.
    pub fn paragraph(&self, rng: &mut Rng, count: usize) -> String {
        let mut sentences = Vec::with_capacity(count);
        for _ in 0..count {
            sentences.push(self.fill(rng, self.sentences));
        }
        sentences.join(self.sentence_gap)
    }

    fn push_word(&self, rng: &mut Rng, placeholder: &str, out: &mut String) {
        let word = match placeholder {
            "noun" => *rng.pick(self.nouns),
            "screen" => *rng.pick(self.screens),
            "button" => *rng.pick(self.buttons),
            "field" => *rng.pick(self.fields),
            "num" => {
                out.push_str(&rng.between(2, 90).to_string());
                return;
            }
            // Left for the caller (e.g. `{ref}`).
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
                return;
            }
        };
        out.push_str(word);
    }
}

#[rustfmt::skip]
pub static JA: Vocab = Vocab {
    nouns: &[
        "電子証明書", "ご契約先暗証番号", "利用者暗証番号", "ワンタイムパスワード",
        "確認用パスワード", "利用者ID", "ご契約先ID", "振込先口座", "支払口座", "取引履歴",
        "承認待ちの取引", "利用者情報", "管理者権限", "登録内容", "有効期限", "振込金額",
        "振込手数料", "1日あたりの限度額", "ログインパスワード", "認証コード", "入出金明細",
        "受付番号", "操作履歴", "契約情報", "お客様カード", "メールアドレス", "ハードウェアトークン",
        "総合振込データ", "給与・賞与振込データ", "口座情報", "承認者", "依頼者",
    ],
    screens: &[
        "管理者ログイン", "利用者情報選択", "利用者情報変更", "電子証明書発行", "重要なお知らせ",
        "管理者メニュー", "振込内容確認", "承認待ち一覧", "取引結果", "利用者ログイン",
        "資格情報が必要です", "パスワード変更", "残高照会", "入出金明細照会", "契約先管理情報変更",
        "電子証明書取得開始", "トップページ", "管理者ステータス", "振込先登録", "限度額変更",
    ],
    buttons: &[
        "OK", "次へ", "戻る", "ログイン", "許可", "実行", "確認", "登録", "変更", "取得",
        "承認", "閉じる", "キャンセル", "検索", "印刷", "ダウンロード", "開く", "確定",
    ],
    fields: &[
        "利用者名", "口座番号", "支店名", "金額", "振込指定日", "メールアドレス", "電話番号",
        "備考", "受取人名", "暗証番号", "選択", "科目", "摘要", "利用者区分",
    ],
    sentences: &[
        "「{screen}」画面が表示されます。",
        "{noun}を入力し、**{button}**をクリックします。",
        "「{field}」欄に{noun}を入力します。",
        "内容を確認し、**{button}**ボタンをクリックしてください。",
        "画面の指示に従って{noun}を選択します。",
        "※{noun}は、ご利用開始の際に「{screen}」画面で登録したものです。",
        "{noun}を失念された場合は、お取引店窓口でのお手続きが必要になります。",
        "一定回数誤って入力するとロックがかかり、一切のお取引ができなくなります。",
        "なお、操作画面は Microsoft Edge で表示していますが、Google Chrome でも操作可能です。",
        "「{field}」は全角で入力してください（最大{num}文字）。",
        "処理には数分かかることがあります。画面を閉じずにそのままお待ちください。",
        "{noun}の有効期限は、発行日から{num}日間です。",
        "この操作は、管理者権限を持つ利用者のみが行えます。",
        "必要に応じて「{field}」欄にチェックを入れます。",
        "表示されている{noun}に誤りがないことを確認します。",
        "「{screen}」画面の右上にある**{button}**をクリックすると、前の画面に戻ります。",
        "ここで、{noun}と{noun}が一致していることを確認してください。",
        "{noun}が既に登録されている場合は、その詳細が画面に表示されます。",
        "引き続き、利用者が使用するパソコンで{noun}の取得をおこなってください。",
        "画面下のタスクバーにある「Windows セキュリティ」アイコンをクリックすると、前面に表示されます。",
        "入力が完了したら、**{button}**をクリックします。",
        "「{screen}」画面で{noun}と{noun}を確認し、問題がなければ**{button}**をクリックします。",
    ],
    substeps: &[
        "「{field}」欄に{noun}を入力します。",
        "**{button}**をクリックします。",
        "一覧から{noun}を選択します。",
        "「{screen}」の右にある＋をクリックします。",
        "「{field}」欄にチェックを入れます。",
        "{noun}を確認し、**{button}**ボタンをクリックします。",
        "メニューの「**{screen}**」にマウスのカーソルを合わせます。",
    ],
    step_titles: &[
        "「{screen}」画面を開きます",
        "{noun}を入力します",
        "{noun}を選択します",
        "「{screen}」画面が表示されます",
        "{noun}を確認します",
        "「{screen}」画面に戻ります",
        "{noun}を登録します",
        "{noun}と{noun}を入力します",
    ],
    section_titles: &[
        "管理者権限でログインする",
        "{noun}を変更する",
        "{noun}を登録する",
        "{noun}を確認する",
        "{noun}を取得する",
        "「{screen}」画面で操作する",
        "{noun}を再発行する",
    ],
    page_titles: &[
        "{noun}を再発行する", "{noun}を変更する", "{noun}を登録する", "{noun}を照会する",
        "{noun}を承認する", "{noun}を削除する",
    ],
    chapter_titles: &["{noun}の管理", "{noun}の設定", "{noun}に関する操作"],
    descriptions: &[
        "管理者が利用者の{noun}を変更し、利用者が新しい{noun}を取得する手順",
        "「{screen}」画面から{noun}を登録する手順",
        "{noun}と{noun}を確認する手順",
    ],
    alts: &[
        "「{screen}」画面。「{field}」欄と{button}ボタンがある",
        "「{screen}」画面で{noun}を選択しているところ",
        "{noun}の入力欄が表示された「{screen}」画面",
    ],
    captions: &["「{screen}」画面", "{noun}の入力"],
    results: &[
        "「{screen}」が表示されます。",
        "「{screen}」画面に{noun}が表示されます。",
        "{noun}の登録が完了します。",
    ],
    notes: &[
        "※{noun}は、「{screen}」画面で確認できます。",
        "この画面が表示されない場合、表示されている画面の後ろ側に出力されていることがあります。",
        "{noun}が分からない場合は、管理者にお問い合わせください。",
        "Google Chrome の場合は、左下に表示されるファイル名をクリックします。",
    ],
    warnings: &[
        "画面右上の「×」は絶対にクリックしないでください。",
        "{noun}を{num}回続けて誤るとロックされ、お取引店窓口でのお手続きが必要になります。",
        "この操作は取り消せません。内容をよく確認してから**{button}**をクリックしてください。",
    ],
    ref_step: &[
        "うまくいかない場合は、{ref}からやり直してください。",
        "{ref}で入力した{noun}を使用します。",
        "{ref}と同じ操作をおこないます。",
    ],
    ref_range: &["{ref}の操作を繰り返します。", "必要に応じて{ref}をやり直します。"],
    ref_fig: &["画面の見かたは{ref}を参照してください。", "{ref}と同じ画面が表示されます。"],
    ref_page: &["詳しくは「{ref}」を参照してください。", "事前に「{ref}」を済ませておきます。"],
    ref_page_step: &["{ref}が完了している必要があります。", "{noun}は{ref}で確認できます。"],
    page_title_number: |n| format!("（{n}）"),
    chapter_title_number: |n| format!("第 {n} 章 "),
    code_comments: ["# 接続設定の例", "# 証明書と接続を確認する"],
    sentence_gap: "",
};

#[rustfmt::skip]
pub static EN: Vocab = Vocab {
    nouns: &[
        "electronic certificate", "contract PIN", "user PIN", "one-time password",
        "confirmation password", "user ID", "contract ID", "payee account", "debit account",
        "transaction history", "pending transaction", "user information", "administrator rights",
        "registration details", "expiry date", "transfer amount", "transfer fee", "daily limit",
        "login password", "authentication code", "statement", "reference number",
        "operation log", "contract information", "customer card", "email address",
        "hardware token", "bulk transfer data", "payroll data", "account information",
        "approver", "requester",
    ],
    screens: &[
        "Administrator Login", "Select User", "Change User Information", "Issue Certificate",
        "Important Notice", "Administrator Menu", "Confirm Transfer", "Pending Approvals",
        "Transaction Result", "User Login", "Credentials Required", "Change Password",
        "Balance Inquiry", "Statement Inquiry", "Change Contract Information",
        "Start Certificate Download", "Home", "Administrator Status", "Register Payee",
        "Change Limits",
    ],
    buttons: &[
        "OK", "Next", "Back", "Log in", "Allow", "Run", "Confirm", "Register", "Change", "Get",
        "Approve", "Close", "Cancel", "Search", "Print", "Download", "Open", "Submit",
    ],
    fields: &[
        "User name", "Account number", "Branch", "Amount", "Transfer date", "Email address",
        "Phone number", "Remarks", "Payee name", "PIN", "Select", "Account type", "Memo",
        "User type",
    ],
    sentences: &[
        "The \"{screen}\" screen appears.",
        "Enter the {noun} and click **{button}**.",
        "Enter the {noun} in the \"{field}\" field.",
        "Check the details and click the **{button}** button.",
        "Follow the instructions on the screen and select the {noun}.",
        "The {noun} is the one you registered on the \"{screen}\" screen when you started using the service.",
        "If you have forgotten the {noun}, you need to complete a procedure at your branch.",
        "After a number of wrong entries the account is locked and no transaction can be made.",
        "The screens are shown in Microsoft Edge; Google Chrome works the same way.",
        "Enter the \"{field}\" in full-width characters (at most {num} characters).",
        "Processing can take a few minutes. Do not close the window while you wait.",
        "The {noun} is valid for {num} days from the date of issue.",
        "Only a user with administrator rights can do this.",
        "If needed, tick the \"{field}\" box.",
        "Make sure that the {noun} shown is correct.",
        "Click **{button}** at the top right of the \"{screen}\" screen to go back to the previous screen.",
        "Here, check that the {noun} matches the {noun}.",
        "If a {noun} is already registered, its details are shown on the screen.",
        "Then get the {noun} on the computer that the user works on.",
        "Click the \"Windows Security\" icon in the taskbar to bring the window to the front.",
        "When you have finished, click **{button}**.",
        "On the \"{screen}\" screen, check the {noun} and the {noun}, then click **{button}**.",
    ],
    substeps: &[
        "Enter the {noun} in the \"{field}\" field.",
        "Click **{button}**.",
        "Select the {noun} in the list.",
        "Click + to the right of \"{screen}\".",
        "Tick the \"{field}\" box.",
        "Check the {noun} and click the **{button}** button.",
        "Point to \"**{screen}**\" in the menu.",
    ],
    step_titles: &[
        "Open the \"{screen}\" screen",
        "Enter the {noun}",
        "Select the {noun}",
        "The \"{screen}\" screen appears",
        "Check the {noun}",
        "Return to the \"{screen}\" screen",
        "Register the {noun}",
        "Enter the {noun} and the {noun}",
    ],
    section_titles: &[
        "Log in with administrator rights",
        "Change the {noun}",
        "Register the {noun}",
        "Check the {noun}",
        "Get the {noun}",
        "Work on the \"{screen}\" screen",
        "Reissue the {noun}",
    ],
    page_titles: &[
        "Reissue the {noun}", "Change the {noun}", "Register the {noun}", "Look up the {noun}",
        "Approve the {noun}", "Delete the {noun}",
    ],
    chapter_titles: &["Managing the {noun}", "Setting up the {noun}", "Working with the {noun}"],
    descriptions: &[
        "How an administrator changes a user's {noun} and the user gets a new {noun}",
        "How to register the {noun} on the \"{screen}\" screen",
        "How to check the {noun} and the {noun}",
    ],
    alts: &[
        "The \"{screen}\" screen with the \"{field}\" field and the {button} button",
        "The \"{screen}\" screen with a {noun} selected",
        "The \"{screen}\" screen showing the {noun} field",
    ],
    captions: &["The \"{screen}\" screen", "Entering the {noun}"],
    results: &[
        "The \"{screen}\" screen appears.",
        "The {noun} is shown on the \"{screen}\" screen.",
        "The {noun} is registered.",
    ],
    notes: &[
        "You can check the {noun} on the \"{screen}\" screen.",
        "If this screen does not appear, it may have opened behind the current window.",
        "If you do not know the {noun}, ask your administrator.",
        "In Google Chrome, click the file name shown at the bottom left.",
    ],
    warnings: &[
        "Never click the \"×\" at the top right of the window.",
        "After {num} wrong entries of the {noun} the account is locked and you need to visit your branch.",
        "This cannot be undone. Check the details carefully before you click **{button}**.",
    ],
    ref_step: &[
        "If this fails, start again from {ref}.",
        "Use the {noun} that you entered in {ref}.",
        "Do the same as in {ref}.",
    ],
    ref_range: &["Repeat {ref}.", "If needed, redo {ref}."],
    ref_fig: &["See {ref} for the layout of the screen.", "The same screen as in {ref} appears."],
    ref_page: &["For details, see \"{ref}\".", "Complete \"{ref}\" first."],
    ref_page_step: &["{ref} must be completed first.", "You can check the {noun} in {ref}."],
    page_title_number: |n| format!(" ({n})"),
    chapter_title_number: |n| format!("Chapter {n}: "),
    code_comments: ["# Example connection settings", "# Check the certificate and the connection"],
    sentence_gap: " ",
};
