//! Answers requests from the current build in memory: pages with the live-reload
//! script added, the other files as they are, the event stream that tells pages to
//! reload, and the current errors as JSON.
//!
//! Request paths are checked strictly before they are looked up: anything that is not
//! a plain `/a/b.html` (dot segments, encoded slashes or dots that decode to them,
//! empty segments, control characters, absolute URLs) is refused with 400. The lookup
//! itself is in the built files only, so even a path that slipped through could name
//! nothing outside the output.

use std::io::{Cursor, Write};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::overlay;
use super::state::{Shared, Snapshot};
use crate::render::markdown::escape;

/// The preview's own paths; no built file can be there, since output paths never
/// start with an underscore-prefixed top folder of this name.
const PREFIX: &str = "/__tejun/";

/// How often an idle event stream sends a comment, which is how a stream whose page
/// has gone finds out and ends.
const KEEPALIVE: Duration = Duration::from_secs(10);

const LIVERELOAD_JS: &str = include_str!("livereload.js");

pub fn handle(request: Request, shared: &Arc<Shared>) {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let response = text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        send(request, response);
        return;
    }
    let url = request.url().to_string();
    let Ok(path) = site_path(&url) else {
        send(request, text(400, "bad request path\n"));
        return;
    };
    if let Some(internal) = url.strip_prefix(PREFIX) {
        match internal.split('?').next().unwrap_or("") {
            "events" if !head => return events(request, shared),
            "events" => {
                send(request, bytes(200, "text/event-stream", Vec::new()));
            }
            "errors" => {
                let snapshot = shared.current();
                let json = serde_json::json!({ "build": snapshot.id, "problems": snapshot.problems });
                send(request, bytes(200, "application/json", json.to_string().into_bytes()));
            }
            _ => {
                send(request, text(404, "not found\n"));
            }
        }
        return;
    }
    let snapshot = shared.current();
    send(request, file_response(&snapshot, &url, &path));
}

fn file_response(snapshot: &Snapshot, url: &str, path: &str) -> Response<Cursor<Vec<u8>>> {
    let Some(site) = &snapshot.site else {
        // Nothing has built yet: every page is the error, until the writer fixes it.
        return html(503, page("The manual could not be built", ""), snapshot);
    };
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    match site.get(&key) {
        Some(Ok(contents)) => {
            let kind = content_type(&key);
            let contents = Arc::unwrap_or_clone(contents);
            if kind.starts_with("text/html") {
                return html(200, contents, snapshot);
            }
            return bytes(200, kind, contents);
        }
        Some(Err(error)) => {
            // A template that fails on this page only: the sample the build rendered passed.
            let body = format!("<pre>{}</pre>", escape(&error.message));
            return html(500, page("This page could not be made", &body), snapshot);
        }
        None => {}
    }
    if site.contains(&format!("{key}/index.html")) {
        // A folder named without its slash: its pages' relative links need the slash.
        let location = format!("{}/", url.split(['?', '#']).next().unwrap_or(url));
        return text(302, "").with_header(header("Location", &location));
    }
    let body = if key.ends_with(".pdf") {
        "<p>The preview does not make PDFs, which take much longer than the pages: \
         run <code>tejun build</code> to make them.</p>"
            .to_string()
    } else {
        format!("<p>There is no <code>/{}</code> in the manual. <a href=\"/\">Go to the start</a>.</p>", escape(path))
    };
    html(404, page("Not found", &body), snapshot)
}

/// A minimal page for the preview's own answers, with the reload script added as to
/// any page, so it turns into the real page once that exists.
fn page(title: &str, body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} — tejun</title></head>\
         <body><h1>{title}</h1>{body}</body></html>\n"
    )
    .into_bytes()
}

/// An HTML response with the reload script (and the error overlay, if the latest
/// build failed) added before `</body>`.
fn html(status: u16, contents: Vec<u8>, snapshot: &Snapshot) -> Response<Cursor<Vec<u8>>> {
    bytes(status, "text/html; charset=utf-8", inject(contents, snapshot))
}

fn inject(mut contents: Vec<u8>, snapshot: &Snapshot) -> Vec<u8> {
    let mut snippet = String::new();
    if !snapshot.problems.is_empty() {
        snippet.push_str(&overlay::html(&snapshot.problems, snapshot.has_site()));
    }
    snippet.push_str(&format!(
        "<script id=\"tejun-livereload\" data-build=\"{}\">{LIVERELOAD_JS}</script>",
        escape(&snapshot.id)
    ));
    let at = find_body_end(&contents).unwrap_or(contents.len());
    contents.splice(at..at, snippet.into_bytes());
    contents
}

/// Where the last `</body>` starts, in any letter case.
fn find_body_end(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body>";
    html.windows(TAG.len()).rposition(|w| w.eq_ignore_ascii_case(TAG))
}

/// A long response that stays open and carries one event per build. It runs on a
/// thread of its own, so open pages do not take the request threads.
fn events(request: Request, shared: &Arc<Shared>) {
    let (receiver, current) = shared.subscribe();
    let hello = current.hello();
    drop(current);
    std::thread::spawn(move || {
        let mut writer = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                    Connection: close\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
        let mut next = format!("{head}{hello}");
        loop {
            if writer.write_all(next.as_bytes()).and_then(|()| writer.flush()).is_err() {
                return;
            }
            next = match receiver.recv_timeout(KEEPALIVE) {
                Ok(event) => event.to_string(),
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
        }
    });
}

/// Why a request path was refused.
#[derive(Debug, PartialEq)]
pub struct BadPath;

/// The path of a request inside the site, decoded (`/ja/a%20b.html` → `ja/a b.html`;
/// `/` → ``; `/ja/` → `ja/`), or [`BadPath`] for anything that is not a plain path
/// inside it.
pub fn site_path(target: &str) -> Result<String, BadPath> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let raw = raw.strip_prefix('/').ok_or(BadPath)?;
    let lower = raw.to_ascii_lowercase();
    // Encoded separators only ever serve to hide a path from a check like this one.
    if lower.contains("%2f") || lower.contains("%5c") || raw.contains('\\') {
        return Err(BadPath);
    }
    let decoded = String::from_utf8(percent_decode(raw)?).map_err(|_| BadPath)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(BadPath);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        // Only the last segment may be empty: `/ja/` names a folder's index.
        if segment.is_empty() && i != last || *segment == "." || *segment == ".." || segment.contains(':') {
            return Err(BadPath);
        }
    }
    Ok(decoded)
}

fn percent_decode(text: &str) -> Result<Vec<u8>, BadPath> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(BadPath)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadPath)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| BadPath)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// The media type of a built file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Answers `request` and has the browser close the connection. tiny_http reads each
/// open connection on a thread of its own, and connections that come together can be
/// left waiting for one of those threads to end; a browser keeps its connections
/// open, so a page with a dozen images sometimes never finished loading. One request
/// a connection costs nothing on a preview's loopback.
fn send(request: Request, response: Response<Cursor<Vec<u8>>>) {
    let head = *request.method() == Method::Head;
    let status = response.status_code();
    let mut out = format!("HTTP/1.1 {} {}\r\n", status.0, status.default_reason_phrase());
    for header in response.headers() {
        out.push_str(&format!("{}: {}\r\n", header.field, header.value));
    }
    let body = response.into_reader().into_inner();
    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut writer = request.into_writer();
    // A browser that has gone needs no answer.
    let _ = writer
        .write_all(out.as_bytes())
        .and_then(|()| if head { Ok(()) } else { writer.write_all(&body) })
        .and_then(|()| writer.flush());
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header names and values are plain ASCII")
}

fn bytes(status: u16, kind: &str, body: Vec<u8>) -> Response<Cursor<Vec<u8>>> {
    let length = body.len();
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", kind),
            // A preview must always show the latest build.
            header("Cache-Control", "no-store"),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(body),
        Some(length),
        None,
    )
}

fn text(status: u16, body: &str) -> Response<Cursor<Vec<u8>>> {
    bytes(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_decoded() {
        assert_eq!(site_path("/"), Ok(String::new()));
        assert_eq!(site_path("/ja/"), Ok("ja/".into()));
        assert_eq!(site_path("/ja/index.html?x=1#y"), Ok("ja/index.html".into()));
        assert_eq!(site_path("/assets/a%20b.svg"), Ok("assets/a b.svg".into()));
        assert_eq!(site_path("/ja/%E6%89%8B%E9%A0%86.html"), Ok("ja/手順.html".into()));
        assert_eq!(site_path("/__tejun/events"), Ok("__tejun/events".into()));
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        for bad in [
            "/../tejun.toml",
            "/ja/../../tejun.toml",
            "/%2e%2e/tejun.toml",
            "/%2E%2E/tejun.toml",
            "/.%2e/tejun.toml",
            "/ja/..%2ftejun.toml",
            "/ja%2f..%2f..%2ftejun.toml",
            "/..%5ctejun.toml",
            "/..\\tejun.toml",
            "//etc/passwd",
            "/ja//index.html",
            "/./ja/index.html",
            "/ja/.",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "/%e6",
            "/%",
            "http://example.com/ja/index.html",
            "etc/passwd",
            "*",
            "",
        ] {
            assert_eq!(site_path(bad), Err(BadPath), "{bad}");
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("ja/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/tejun.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("static/tejun.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("assets/a/b.SVG"), "image/svg+xml");
        assert_eq!(content_type("assets/a.woff2"), "font/woff2");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let snapshot = Snapshot::failed("b1".into(), None, Vec::new());
        let html = String::from_utf8(inject(b"<body><p>x</p></BODY>\n</html>".to_vec(), &snapshot)).unwrap();
        let script = html.find("<script id=\"tejun-livereload\" data-build=\"b1\">").unwrap();
        assert!(script > html.find("<p>x</p>").unwrap() && script < html.find("</BODY>").unwrap());
        let bare = String::from_utf8(inject(b"<p>no body</p>".to_vec(), &snapshot)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }
}
