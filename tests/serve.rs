//! `tejun serve` from the outside: the real binary on a fixture site, spoken to over
//! raw TCP. Every wait is bounded and polls; the server is killed when a test ends,
//! however it ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{CONFIG, Site, select, text, texts};
use scraper::Html;

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200"><rect width="320" height="200" fill="#eee"/></svg>"##;

/// Long enough for a debug build on a busy machine; the waits poll, so they end as
/// soon as the condition holds.
const WAIT: Duration = Duration::from_secs(20);

fn procedure(lang: &str, title: &str, body: &str) -> String {
    let step = if lang == "ja" { "開く" } else { "Open" };
    format!(
        "+++\ntitle = \"{title}\"\nweight = 10\n+++\n\n{body}\n\n## {step}\n\n+++\nid = \"open\"\ntitle = \"{step} {title}\"\nimage = \"images/a.svg\"\n+++\n\n1. one\n2. two\n\n+++\nid = \"finish\"\ntitle = \"Finish {title}\"\n+++\n\nBack to [](step:open).\n"
    )
}

fn fixture() -> Site {
    Site::new(&[
        ("tejun.toml", CONFIG),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\n\nようこそ。\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n"),
        ("content/guide/_index.ja.md", "+++\ntitle = \"ガイド\"\nweight = 10\n+++\n"),
        ("content/guide/_index.en.md", "+++\ntitle = \"Guide\"\nweight = 10\n+++\n"),
        ("content/guide/first.ja.md", &procedure("ja", "最初", "はじめに。")),
        ("content/guide/first.en.md", &procedure("en", "First", "Introduction.")),
        ("content/guide/images/a.svg", SVG),
    ])
}

// ---------------------------------------------------------------------------------
// The harness

struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, from the URL the server printed.
    address: String,
    url: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, args: &[&str]) -> Server {
        let mut server = Server::spawn(root, args);
        let url = server.wait_for_output("a URL", |out, _| {
            out.split_whitespace().find(|w| w.starts_with("http://")).map(str::to_string)
        });
        server.address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        server.url = url;
        server
    }

    fn spawn(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tejun"))
            .args(["serve", "--root"])
            .arg(root)
            .args(if args.contains(&"--port") { &[][..] } else { &["--port", "0"][..] })
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tejun runs");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Server { child, address: String::new(), url: String::new(), stdout, stderr }
    }

    /// Polls the server's output until `found` finds something in it (stdout, stderr).
    fn wait_for_output<T>(&self, what: &str, mut found: impl FnMut(&str, &str) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            let (out, err) = (self.stdout.lock().unwrap().clone(), self.stderr.lock().unwrap().clone());
            if let Some(value) = found(&out, &err) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} from tejun serve in {WAIT:?}\nstdout:\n{out}\nstderr:\n{err}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn request(&self, raw: &str) -> Response {
        let mut stream = TcpStream::connect(&self.address).expect("the server accepts connections");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("a complete response");
        Response::parse(&bytes)
    }

    fn send(&self, method: &str, target: &str) -> Response {
        self.request(&format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address))
    }

    fn get(&self, target: &str) -> Response {
        self.send("GET", target)
    }

    /// The page at `target` once `ready` holds for it.
    fn get_when(&self, target: &str, what: &str, ready: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get(target);
            if ready(&response) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "{target}: {what} did not happen in {WAIT:?}; last answer {}:\n{}\nstderr:\n{}",
                response.status,
                response.text(),
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Subscribes to the reload events.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(stream, "GET /__tejun/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.address)
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "event stream: {status}");
        let mut content_type = None;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some((_, value)) = line.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
                content_type = Some(value.trim().to_string());
            }
        }
        assert_eq!(content_type.as_deref(), Some("text/event-stream"));
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            let (mut kind, mut data) = (String::new(), String::new());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !kind.is_empty()
                        && sender
                            .send(Event { kind: std::mem::take(&mut kind), data: std::mem::take(&mut data) })
                            .is_err()
                    {
                        return;
                    }
                } else if let Some(value) = line.strip_prefix("event: ") {
                    kind = value.to_string();
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = value.to_string();
                }
            }
        });
        Events { receiver }
    }

    fn assert_running(&mut self) {
        assert!(self.child.try_wait().unwrap().is_none(), "tejun serve has stopped:\n{}", self.stderr.lock().unwrap());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a pipe into a string on a thread of its own, so the server never blocks on
/// a full pipe.
fn collect(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { return };
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    text
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
        let head = std::str::from_utf8(&bytes[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response { status, headers, body: bytes[end + 4..].to_vec() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }
}

struct Event {
    kind: String,
    data: String,
}

impl Event {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{}: {e}: {}", self.kind, self.data))
    }
}

struct Events {
    receiver: Receiver<Event>,
}

impl Events {
    /// The next event of `kind`, skipping others.
    fn wait_for(&self, kind: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receiver.recv_timeout(left) {
                Ok(event) if event.kind == kind => return event,
                Ok(_) => {}
                Err(_) => panic!("no `{kind}` event in {WAIT:?}"),
            }
        }
    }

    /// Every event that arrives within `quiet` of the previous one.
    fn drain(&self, quiet: Duration) -> Vec<Event> {
        std::iter::from_fn(|| self.receiver.recv_timeout(quiet).ok()).collect()
    }
}

fn build_id(page: &Html) -> String {
    select(page, "script#tejun-livereload")[0].value().attr("data-build").unwrap().to_string()
}

// ---------------------------------------------------------------------------------
// The tests

#[test]
fn serves_the_manual_on_loopback_with_the_reload_script_added() {
    let site = fixture();
    let server = Server::start(site.root(), &[]);
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    assert!(!server.stderr.lock().unwrap().contains("warning"), "{}", server.stderr.lock().unwrap());

    let page = server.get("/en/guide/first.html");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let html = page.html();
    assert_eq!(common::attr(&html, "li.step", "id"), ["step-open", "step-finish"]);
    let text = page.text();
    let script = text.find("<script id=\"tejun-livereload\"").expect("the reload script");
    assert!(
        text[script..].find("</script>").map(|end| script + end + 9) == text.rfind("</body>"),
        "script right before </body>"
    );
    assert!(text.contains("/__tejun/events"));

    // `/` and folders serve their index.html; a folder without its slash is redirected.
    assert!(server.get("/").text().contains("en/index.html"));
    assert_eq!(server.get("/en/").body, server.get("/en/index.html").body);
    let folder = server.get("/en");
    assert_eq!((folder.status, folder.header("location")), (302, Some("/en/")));
    let missing = server.get("/en/nothing.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("tejun-livereload"), "a missing page reloads once it exists");

    // Serving writes nothing, and a build has no trace of the preview.
    assert!(!site.public().exists());
    site.build();
    for (path, bytes) in common::read_tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("tejun-livereload") && !text.contains("__tejun"), "{path} has the reload script");
    }
}

#[test]
fn head_and_content_types() {
    let site = fixture();
    for (path, bytes) in [
        ("static/font.woff2", &b"wOF2fake"[..]),
        ("static/data.json", b"{\"a\": 1}"),
        ("static/handout.pdf", b"%PDF-1.7 fake"),
        ("static/photo.png", b"\x89PNG\r\n\x1a\nfake"),
        ("static/photo.jpg", b"\xff\xd8\xff\xe0fake"),
    ] {
        std::fs::create_dir_all(site.root().join("static")).unwrap();
        std::fs::write(site.root().join(path), bytes).unwrap();
    }
    let server = Server::start(site.root(), &[]);
    for (path, kind) in [
        ("/en/index.html", "text/html; charset=utf-8"),
        ("/static/tejun.css", "text/css; charset=utf-8"),
        ("/static/tejun.js", "text/javascript; charset=utf-8"),
        ("/assets/guide/images/a.svg", "image/svg+xml"),
        ("/static/photo.png", "image/png"),
        ("/static/photo.jpg", "image/jpeg"),
        ("/static/handout.pdf", "application/pdf"),
        ("/static/font.woff2", "font/woff2"),
        ("/static/data.json", "application/json"),
    ] {
        let get = server.get(path);
        assert_eq!((get.status, get.header("content-type")), (200, Some(kind)), "{path}");
        let head = server.send("HEAD", path);
        assert_eq!((head.status, head.header("content-type")), (200, Some(kind)), "HEAD {path}");
        assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()), "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body");
    }
    assert_eq!(server.get("/static/photo.png").body, b"\x89PNG\r\n\x1a\nfake");
    let post = server.send("POST", "/en/index.html");
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, HEAD")));
}

/// A browser loading a page opens several connections at once and keeps them open
/// for more requests unless told to close; the server's connection threads must not
/// all end up waiting on open connections while new ones queue (a page with a dozen
/// images sometimes never finished loading). Twelve clients at once, each asking
/// for three files the way a browser does: every answer comes, and says to close.
#[test]
fn many_connections_at_once_are_all_answered() {
    let site = fixture();
    let server = Server::start(site.root(), &[]);
    let address = server.address.clone();
    let clients: Vec<_> = (0..12)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                let mut stream: Option<BufReader<TcpStream>> = None;
                for target in ["/en/index.html", "/static/tejun.css", "/static/tejun.js"] {
                    let reader = stream.get_or_insert_with(|| {
                        let stream = TcpStream::connect(&address).unwrap();
                        stream.set_read_timeout(Some(WAIT)).unwrap();
                        BufReader::new(stream)
                    });
                    let request = format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: keep-alive\r\n\r\n");
                    reader.get_mut().write_all(request.as_bytes()).unwrap();
                    let (status, close) = read_kept_alive_response(reader);
                    statuses.push(status);
                    assert!(close, "{target}: the answer tells the browser to close the connection");
                    stream = None;
                }
                statuses
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().expect("every request is answered in time"), [200, 200, 200]);
    }
}

/// Reads one response off a kept-alive connection, by its `Content-Length`; its
/// status and whether it says `Connection: close`.
fn read_kept_alive_response(reader: &mut BufReader<TcpStream>) -> (u16, bool) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("an answer in time");
    let status = status_line.split(' ').nth(1).expect("a status line").parse().unwrap();
    let (mut length, mut close) = (0, false);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap(),
            "connection" => close = value.trim().eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (status, close)
}

#[test]
fn requests_outside_the_site_are_refused() {
    let site = fixture();
    site.write("secret.txt", "do not serve");
    let server = Server::start(site.root(), &[]);
    for target in [
        "/../tejun.toml",
        "/../../../../etc/passwd",
        "/en/../../tejun.toml",
        "/%2e%2e/tejun.toml",
        "/%2E%2E/tejun.toml",
        "/.%2e/tejun.toml",
        "/%2e%2e%2ftejun.toml",
        "/en/..%2f..%2ftejun.toml",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/..%5c..%5ctejun.toml",
        "/..\\tejun.toml",
        "//etc/passwd",
        "///etc/passwd",
        "/C:/Windows/win.ini",
        "/en/%00",
        "/%ff",
        "/%zz",
        "http://127.0.0.1/../tejun.toml",
        "../tejun.toml",
        "/tejun.toml",
        "/secret.txt",
        "/content/guide/first.en.md",
        "/content/guide/images/a.svg",
        "/public/index.html",
    ] {
        let response = server.get(target);
        assert!(matches!(response.status, 400 | 404), "{target}: {}", response.status);
        let text = response.text();
        assert!(!text.contains("default_language") && !text.contains("do not serve"), "{target} leaked a file");
        let head = server.send("HEAD", target);
        assert!(matches!(head.status, 400 | 404), "HEAD {target}: {}", head.status);
    }
    assert_eq!(server.get("/en/index.html").status, 200, "still serving");
}

#[test]
fn a_save_reloads_the_open_page_with_the_new_content() {
    let site = fixture();
    let server = Server::start(site.root(), &[]);
    let before = build_id(&server.get("/en/guide/first.html").html());
    let events = server.events();
    assert_eq!(events.wait_for("hello").json()["build"], before.as_str(), "the page is of the current build");

    site.write("content/guide/first.en.md", &procedure("en", "Edited", "Introduction."));
    let reload = events.wait_for("reload").json();
    let after = server.get("/en/guide/first.html").html();
    assert_eq!(reload["build"], build_id(&after).as_str(), "the reload announces the build now served");
    assert_ne!(build_id(&after), before);
    assert_eq!(text(&select(&after, "h1")[0]), "Edited");
    server.wait_for_output("a rebuild report", |out, _| out.contains("first.en.md changed").then_some(()));
}

#[test]
fn renamed_saves_bursts_new_and_deleted_pages_and_new_images_are_picked_up() {
    let site = fixture();
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    events.wait_for("hello");
    let title = |r: &Response| select(&r.html(), "h1").first().map(text).unwrap_or_default();

    // An editor that saves by writing a temporary file and renaming it over the page.
    let page = site.root().join("content/guide/first.en.md");
    let temporary = site.root().join("content/guide/.first.en.md.tmp");
    std::fs::write(&temporary, procedure("en", "Renamed", "Introduction.")).unwrap();
    std::fs::rename(&temporary, &page).unwrap();
    events.wait_for("reload");
    server.get_when("/en/guide/first.html", "the renamed save", |r| title(r) == "Renamed");

    // A burst of saves: the last one wins, and it costs a build or two, not thirty.
    for i in 0..30 {
        site.write("content/guide/first.en.md", &procedure("en", &format!("Burst {i}"), "Introduction."));
    }
    events.wait_for("reload");
    let page = server.get_when("/en/guide/first.html", "the last save of the burst", |r| title(r) == "Burst 29");
    let reloads = 1 + events.drain(Duration::from_millis(1000)).iter().filter(|e| e.kind == "reload").count();
    assert!(reloads <= 4, "{reloads} reloads for one burst of saves");
    assert_eq!(page.status, 200);

    // A new page with a new image, in both languages.
    site.write("content/guide/images/new.svg", SVG);
    let new_page = |lang: &str| {
        format!(
            "+++\ntitle = \"New {lang}\"\nweight = 20\n+++\n\n+++\nid = \"only\"\ntitle = \"Only\"\nimage = \"images/new.svg\"\n+++\n\nText.\n"
        )
    };
    site.write("content/guide/second.en.md", &new_page("en"));
    site.write("content/guide/second.ja.md", &new_page("ja"));
    let second = server.get_when("/en/guide/second.html", "the new page", |r| r.status == 200);
    assert_eq!(title(&second), "New en");
    let image = server.get("/assets/guide/images/new.svg");
    assert_eq!((image.status, image.header("content-type")), (200, Some("image/svg+xml")));

    // Deleting it takes it away.
    std::fs::remove_file(site.root().join("content/guide/second.en.md")).unwrap();
    std::fs::remove_file(site.root().join("content/guide/second.ja.md")).unwrap();
    server.get_when("/en/guide/second.html", "the deleted page's 404", |r| r.status == 404);
    assert_eq!(server.get("/en/guide/first.html").status, 200);
}

/// A page that refers to the first page's last step, and nothing else.
fn referring(lang: &str, title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nweight = 20\n+++\n\nRedo from [](step:guide/first/finish) ({lang}).\n")
}

/// The number a page shows for the step referred to: the digits of its reference.
fn referred_number(page: &Response) -> String {
    let html = page.html();
    let reference = select(&html, "a.xref-step");
    assert_eq!(reference.len(), 1, "one reference on the page:\n{}", page.text());
    let href = reference[0].value().attr("href").unwrap();
    assert!(href.ends_with("first.html#step-finish"), "the reference leads to the step: {href}");
    text(&reference[0]).chars().filter(char::is_ascii_digit).collect()
}

/// The number the first page gives its step `finish`.
fn finish_number(page: &Response) -> String {
    select(&page.html(), "#step-finish .step-num").first().map(text).unwrap_or_default()
}

#[test]
fn moving_a_referenced_step_renumbers_every_page_that_refers_to_it() {
    let site = fixture();
    let others = ["second", "third", "fourth"];
    for (i, name) in others.iter().enumerate() {
        site.write(&format!("content/guide/{name}.en.md"), &referring("en", &format!("Other {i}")));
        site.write(&format!("content/guide/{name}.ja.md"), &referring("ja", &format!("ほか {i}")));
    }
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    events.wait_for("hello");
    let pages: Vec<String> = ["en", "ja"]
        .iter()
        .flat_map(|lang| others.iter().map(move |name| format!("/{lang}/guide/{name}.html")))
        .collect();
    let before = finish_number(&server.get("/en/guide/first.html"));
    assert_eq!(before, finish_number(&server.get("/ja/guide/first.html")));
    for page in &pages {
        // Each page is served (and so made) once before the save.
        assert_eq!(referred_number(&server.get(page)), before, "{page} before the save");
    }

    // Two steps go in before the one referred to, in both languages; only the first
    // page's files change.
    let inserted = |lang: &str| {
        procedure(lang, if lang == "en" { "First" } else { "最初" }, "Introduction.").replace(
            "+++\nid = \"finish\"",
            "+++\nid = \"check\"\ntitle = \"Check\"\n+++\n\nText.\n\n+++\nid = \"wait\"\ntitle = \"Wait\"\n+++\n\nText.\n\n+++\nid = \"finish\"",
        )
    };
    site.write("content/guide/first.en.md", &inserted("en"));
    site.write("content/guide/first.ja.md", &inserted("ja"));
    let moved = |r: &Response| !finish_number(r).is_empty() && finish_number(r) != before;
    let after = finish_number(&server.get_when("/en/guide/first.html", "the step moving", moved));
    let after_ja = finish_number(&server.get_when("/ja/guide/first.html", "the step moving", moved));
    assert_eq!(after_ja, after);
    assert_eq!(after.parse::<u32>().unwrap(), before.parse::<u32>().unwrap() + 2);
    for page in &pages {
        assert_eq!(referred_number(&server.get(page)), after, "{page} after the save");
    }

    // The step moves back to where it was: every page follows again.
    site.write("content/guide/first.en.md", &procedure("en", "First", "Introduction."));
    site.write("content/guide/first.ja.md", &procedure("ja", "最初", "はじめに。"));
    let back = |r: &Response| finish_number(r) == before;
    server.get_when("/en/guide/first.html", "the step moving back", back);
    server.get_when("/ja/guide/first.html", "the step moving back", back);
    for page in &pages {
        assert_eq!(referred_number(&server.get(page)), before, "{page} after moving back");
    }
}

#[test]
fn a_build_error_shows_as_an_overlay_and_clears_when_fixed() {
    let site = fixture();
    let mut server = Server::start(site.root(), &[]);
    let events = server.events();
    events.wait_for("hello");

    // A broken reference: the overlay names the same place as `tejun check`.
    let broken = procedure("en", "First", "See [](step:opne) first.");
    site.write("content/guide/first.en.md", &broken);
    let failed = events.wait_for("failed").json();
    let check = site.run(&["check", "--format", "json"]);
    let expected: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&check.stdout).lines().next().unwrap()).unwrap();
    let line = broken.lines().position(|l| l.contains("step:opne")).unwrap() + 1;
    assert_eq!(expected["line"], line);
    let location = format!("content/guide/first.en.md:{line}:{}", expected["column"]);
    let problem = &failed["problems"][0];
    assert_eq!(problem["location"], location.as_str());
    assert_eq!(problem["message"], expected["message"]);
    assert!(failed["html"].as_str().unwrap().contains(&location));

    // The page is the last good build, with the overlay over it.
    let page = server.get("/en/guide/first.html");
    assert_eq!(page.status, 200);
    let html = page.html();
    assert_eq!(text(&select(&html, "h1")[0]), "First");
    assert_eq!(
        select(&html, "#tejun-error-overlay .tejun-location").iter().map(text).collect::<Vec<_>>(),
        [location.as_str()]
    );
    assert!(text(&select(&html, "#tejun-error-overlay .tejun-message")[0]).contains("opne"));
    assert!(!select(&html, "#tejun-error-overlay .tejun-hint").is_empty(), "the hint is shown");
    assert!(text(&select(&html, "#tejun-error-overlay mark")[0]).contains("opne"), "the text at fault is marked");
    let errors: serde_json::Value = serde_json::from_str(&server.get("/__tejun/errors").text()).unwrap();
    assert_eq!(errors["problems"][0]["location"], location.as_str());

    // Broken TOML in tejun.toml too; the server keeps running.
    site.write("tejun.toml", "languages = [\"ja\", \"en\"\n");
    let failed = events.wait_for("failed").json();
    assert!(failed["problems"][0]["location"].as_str().unwrap().starts_with("tejun.toml:"), "{failed}");
    server.assert_running();

    // Fixing both reloads the page, without the overlay.
    site.write("tejun.toml", CONFIG);
    site.write("content/guide/first.en.md", &procedure("en", "Fixed", "Introduction."));
    events.wait_for("reload");
    let page = server.get_when("/en/guide/first.html", "the fixed page", |r| {
        select(&r.html(), "h1").first().map(text).as_deref() == Some("Fixed")
    });
    assert!(select(&page.html(), "#tejun-error-overlay").is_empty(), "the overlay is gone");
    let errors: serde_json::Value = serde_json::from_str(&server.get("/__tejun/errors").text()).unwrap();
    assert_eq!(errors["problems"], serde_json::json!([]));
}

#[test]
fn a_site_whose_first_build_fails_is_served_as_its_errors_until_fixed() {
    let site = fixture();
    site.write("content/guide/first.en.md", "+++\ntitle = \"First\"\ntitel = \"typo\"\n+++\n");
    let server = Server::start(site.root(), &[]);
    let page = server.get("/en/guide/first.html");
    assert_eq!(page.status, 503);
    let html = page.html();
    assert_eq!(text(&select(&html, ".tejun-location")[0]), "content/guide/first.en.md:3:1");
    assert!(text(&select(&html, ".tejun-hint")[0]).contains("did you mean `title`"));
    assert!(text(&select(&html, ".tejun-overlay-note")[0]).starts_with("Nothing has been built yet"));
    assert!(!select(&html, "script#tejun-livereload").is_empty());
    site.write("content/guide/first.en.md", &procedure("en", "First", "Introduction."));
    server.get_when("/en/guide/first.html", "the fixed page", |r| r.status == 200);
}

#[test]
fn binding_beyond_loopback_is_asked_for_and_warned_about() {
    let site = fixture();
    let server = Server::start(site.root(), &["--bind", "0.0.0.0"]);
    server.wait_for_output("a warning", |_, err| err.contains("warning: listening on 0.0.0.0").then_some(()));
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    assert_eq!(server.get("/en/index.html").status, 200);
}

#[test]
fn a_busy_port_or_a_folder_that_is_no_site_is_an_error() {
    let site = fixture();
    let first = Server::start(site.root(), &[]);
    let port = first.address.rsplit(':').next().unwrap().to_string();
    let mut second = Server::spawn(site.root(), &["--port", &port]);
    let status = wait_for_exit(&mut second.child);
    assert!(!status.success());
    second.wait_for_output("an error", |_, err| err.contains("cannot listen").then_some(()));

    let empty = tempfile::tempdir().unwrap();
    let mut server = Server::spawn(empty.path(), &[]);
    assert!(!wait_for_exit(&mut server.child).success());
    server.wait_for_output("an error", |_, err| err.contains("tejun new").then_some(()));
}

fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "tejun serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn in_a_browser_a_save_keeps_the_reader_on_their_step_and_an_error_overlays_the_page() {
    let site = fixture();
    let mut long = String::from("+++\ntitle = \"Long\"\nweight = 20\n+++\n\nIntroduction.\n");
    for i in 1..=12 {
        long.push_str(&format!(
            "\n+++\nid = \"s{i}\"\ntitle = \"Step {i}\"\n+++\n\n{}\n\n{}\n",
            "Some text for this step. ".repeat(30),
            "And a second paragraph. ".repeat(20)
        ));
    }
    long.push_str("\nBack to [](step:s1).\n");
    site.write("content/guide/long.en.md", &long);
    let server = Server::start(site.root(), &[]);
    let output = Command::new("node")
        .arg("tests/e2e/serve.e2e.js")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TEJUN_URL", format!("{}en/guide/long.html", server.url))
        .env("TEJUN_PAGE", site.root().join("content/guide/long.en.md"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): the browser tests need Node.js 18 or newer"));
    assert!(
        output.status.success(),
        "the browser test failed:\n{}\n{}\nserver:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        server.stderr.lock().unwrap()
    );
}

#[test]
fn the_stale_translation_note_follows_saves() {
    let site = fixture();
    let stamp = site.run(&["translations", "--stamp", "guide/first"]);
    assert!(stamp.status.success(), "{}", String::from_utf8_lossy(&stamp.stderr));
    let server = Server::start(site.root(), &[]);
    let has_note = |response: &Response| !select(&response.html(), "#step-open .stale-note").is_empty();
    assert!(!has_note(&server.get("/en/guide/first.html")), "stamped: current");

    // The Japanese step is edited: the English page says so after the save.
    site.write("content/guide/first.ja.md", &procedure("ja", "最初", "はじめに。").replace("1. one", "1. ひとつめ"));
    server.get_when("/en/guide/first.html", "the note appearing", has_note);

    // The translation is updated and stamped: the note goes.
    assert!(site.run(&["translations", "--stamp", "guide/first"]).status.success());
    server.get_when("/en/guide/first.html", "the note going", |r| !has_note(r));
}

#[test]
fn with_variants_the_default_manual_is_served_and_the_switch_leads_to_the_others() {
    let site = fixture();
    site.write(
        "tejun.toml",
        &format!("{CONFIG}\n[variants.browser]\nvalues = [\"edge\", \"chrome\"]\nen = [\"Microsoft Edge\", \"Google Chrome\"]\n"),
    );
    site.write(
        "content/guide/first.en.md",
        &procedure(
            "en",
            "First",
            "Introduction.\n\n::: browser=chrome\n\nIn Google Chrome, click the file name.\n\n:::",
        ),
    );
    let server = Server::start(site.root(), &[]);
    let edge = server.get("/en/guide/first.html");
    assert_eq!(edge.status, 200);
    let edge = edge.html();
    assert!(!text(&select(&edge, "main")[0]).contains("In Google Chrome"));
    assert_eq!(common::texts(&edge, ".variantswitch [aria-current]"), ["Microsoft Edge"]);
    let href = common::attr(&edge, ".variantswitch a", "href");
    assert_eq!(href, ["../../chrome/en/guide/first.html"]);
    let chrome = server.get("/chrome/en/guide/first.html");
    assert_eq!(chrome.status, 200);
    let chrome = chrome.html();
    assert!(text(&select(&chrome, "main")[0]).contains("In Google Chrome, click the file name."));
    assert_eq!(common::texts(&chrome, ".variantswitch [aria-current]"), ["Google Chrome"]);
    assert_eq!(server.get("/chrome/searchindex.en.js").status, 200);
    // The shards beside it, which the search box loads as the reader types.
    assert_eq!(server.get("/chrome/searchindex.en.t0.js").status, 200);
    assert_eq!(server.get("/chrome/searchindex.en.e0.js").status, 200);
}

#[test]
fn a_save_redraws_callouts_and_redactions() {
    let site = fixture();
    let page = |region: &str| {
        format!(
            "+++\ntitle = \"Shot\"\n+++\n\n+++\nid = \"shot\"\ntitle = \"Look\"\nimage = \"images/a.svg\"\nalt = \"A screen\"\ncallouts = [{{ box = {region} }}]\nredact = [{region}]\n+++\n\n1. Click it.\n"
        )
    };
    site.write("content/guide/shot.en.md", &page("[10, 10, 50, 20]"));
    let server = Server::start(site.root(), &[]);
    let drawn = |html: &Html| {
        let x = common::attr(html, ".callout-box", "x");
        let src = common::attr(html, "#fig-shot img", "src");
        (x, src)
    };
    let (x, src) = drawn(&server.get("/en/guide/shot.html").html());
    assert_eq!(x, ["3.125%"], "10 of the image's 320");
    assert!(src[0].contains(".redacted-"), "{src:?}");
    // The page is /en/guide/shot.html; its image links are relative to that folder.
    let cover = |src: &str| {
        let ups = src.matches("../").count();
        let base: Vec<&str> = ["en", "guide"][..2 - ups].to_vec();
        let path = format!("/{}{}", base.iter().map(|d| format!("{d}/")).collect::<String>(), src.replace("../", ""));
        server.get(&path).text()
    };
    assert!(cover(&src[0]).contains("<rect x=\"10\" y=\"10\" width=\"50\" height=\"20\" fill=\"#000\""));

    let events = server.events();
    events.wait_for("hello");
    site.write("content/guide/shot.en.md", &page("[100, 50, 60, 30]"));
    events.wait_for("reload");
    let (x, new_src) = drawn(&server.get("/en/guide/shot.html").html());
    assert_eq!(x, ["31.25%"], "100 of 320");
    assert_ne!(new_src, src, "the new boxes are a new published file");
    assert!(cover(&new_src[0]).contains("<rect x=\"100\" y=\"50\" width=\"60\" height=\"30\" fill=\"#000\""));
}

/// MkDocs' snippets are read from the site folder, outside `content/`: the folder of
/// an included file there is watched too, so saving it updates the page that
/// includes it, without a save of the page.
#[test]
fn a_save_of_a_snippet_outside_content_updates_the_page() {
    let site = fixture();
    site.write("snippets/proxy.md", "The proxy is proxy1.example.co.jp.\n");
    site.write("content/guide/first.en.md", &procedure("en", "First", "Set it:\n\n--8<-- \"snippets/proxy.md\""));
    let server = Server::start(site.root(), &[]);
    let intro = |response: &Response| texts(&response.html(), "main .intro p");
    assert_eq!(intro(&server.get("/en/guide/first.html")), ["Set it:", "The proxy is proxy1.example.co.jp."]);

    site.write("snippets/proxy.md", "The proxy is proxy2.example.co.jp.\n");
    server.get_when("/en/guide/first.html", "the snippet's new text", |r| {
        intro(r) == ["Set it:", "The proxy is proxy2.example.co.jp."]
    });
}

#[test]
fn a_save_of_an_included_file_updates_the_pages_that_include_it() {
    let site = fixture();
    let page = procedure("en", "First", "Run:\n\n```sh\n{{#include parts/setup.sh}}\n```");
    site.write("content/guide/parts/setup.sh", "./install --quiet\n");
    site.write("content/guide/first.en.md", &page);
    let server = Server::start(site.root(), &[]);
    let code = |response: &Response| -> Vec<String> { texts(&response.html(), "main pre.code") };
    assert_eq!(code(&server.get("/en/guide/first.html")), ["./install --quiet"]);

    site.write("content/guide/parts/setup.sh", "./install --quiet --proxy proxy.example.co.jp\n");
    server.get_when("/en/guide/first.html", "the included file's new text", |r| {
        code(r) == ["./install --quiet --proxy proxy.example.co.jp"]
    });

    // A file not there yet is an error at the line that includes it, until it is made.
    let later = procedure("en", "First", "Then:\n\n```sh\n{{#include parts/later.sh}}\n```");
    site.write("content/guide/first.en.md", &later);
    let line = later.lines().position(|l| l.contains("later.sh")).unwrap() + 1;
    let overlaid = server.get_when("/en/guide/first.html", "the overlay", |r| {
        !select(&r.html(), "#tejun-error-overlay .tejun-location").is_empty()
    });
    let location = texts(&overlaid.html(), "#tejun-error-overlay .tejun-location");
    assert_eq!(location, [format!("content/guide/first.en.md:{line}:1")]);
    site.write("content/guide/parts/later.sh", "./finish\n");
    server.get_when("/en/guide/first.html", "the file made later", |r| code(r) == ["./finish"]);

    // A mistake in included Markdown is shown in its own file, with the line that put it in.
    site.write("content/guide/parts/_note.md", "Then see [](step:nowhere).\n");
    let noted = procedure("en", "First", "Done.\n\n{{#include parts/_note.md}}");
    site.write("content/guide/first.en.md", &noted);
    let line = noted.lines().position(|l| l.contains("_note.md")).unwrap() + 1;
    let overlaid = server.get_when("/en/guide/first.html", "the overlay of the note", |r| {
        texts(&r.html(), "#tejun-error-overlay .tejun-location").iter().any(|l| l.contains("_note.md"))
    });
    let location = texts(&overlaid.html(), "#tejun-error-overlay .tejun-location");
    assert_eq!(
        location,
        [format!("content/guide/parts/_note.md:1:10, included at content/guide/first.en.md:{line}:1")]
    );
}
