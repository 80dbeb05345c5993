//! The preview server behind `mandat serve`: the site held in memory, rebuilt when a file
//! changes, pages reloaded in the browser, problems shown over the page. Pages ask
//! `/__mandat/status` what was built (`serve/live.js` polls it): no connection is held
//! open per tab. `respond` answers a request as plain data (`Reply`); `cmd/serve.rs` runs
//! the HTTP server (hyper) around it.
//!
//! Files are served from the in-memory `SiteFiles` only, looked up by their normalised path,
//! so nothing outside the site can be reached however the path is spelled (`..`,
//! `%2e%2e`, symlinks). The last good site keeps being served while the content is
//! invalid.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::incremental::SiteFiles;

/// Where the live-reload pieces are served; no site file can live there.
const LIVE_PREFIX: &str = "/__mandat/";
const LIVE_JS: &str = include_str!("serve/live.js");

/// What the server shows: the last good site, and the problems of the newest attempt.
#[derive(Default)]
struct State {
    site: Arc<SiteFiles>,
    /// The diagnostics of the last rebuild, if it failed.
    problems: Option<String>,
    /// Counts rebuilds, so polling browsers know something happened.
    generation: u64,
}

/// The server's state, shared by the requests and the rebuilds.
#[derive(Clone, Default)]
pub struct Shared {
    state: Arc<Mutex<State>>,
}

impl Shared {
    /// A successful rebuild: serve it, and tell browsers to reload.
    pub fn publish(&self, site: Arc<SiteFiles>) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.site = site;
        state.problems = None;
        state.generation += 1;
    }

    /// A failed rebuild: keep the last good site, show the problems.
    pub fn fail(&self, problems: String) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.problems = Some(problems);
        state.generation += 1;
    }

    fn snapshot(&self) -> (Arc<SiteFiles>, Option<String>, u64) {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (state.site.clone(), state.problems.clone(), state.generation)
    }
}

/// Maps a request path to a key of the site, or `None` if it cannot name a site file.
pub fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// The answer to one request, as plain data; `cmd/serve.rs` hands it to the HTTP server.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn ok(content_type: String, body: Vec<u8>) -> Reply {
        Reply { status: 200, headers: vec![("Content-Type", content_type)], body }
    }
}

fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript" || mime.subtype() == "xml" || mime.subtype() == "svg" => {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

/// HTML pages get the live-reload script; everything else is served as built.
fn with_live_reload(key: &str, bytes: &[u8]) -> Vec<u8> {
    if !key.ends_with(".html") {
        return bytes.to_vec();
    }
    let html = String::from_utf8_lossy(bytes);
    let script = format!("<script src=\"{LIVE_PREFIX}live.js\"></script>\n</body>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at + "</body>".len()..]).into_bytes(),
        None => bytes.to_vec(),
    }
}

/// Answers one request for `url` (its path and query).
pub fn respond(url: &str, shared: &Shared) -> Reply {
    if let Some(live) = url.strip_prefix(LIVE_PREFIX) {
        return live_request(live, shared);
    }
    let (site, _, _) = shared.snapshot();
    let found = site_path(url).and_then(|key| {
        if let Some(bytes) = site.get(&key) {
            return Some(Ok((key, bytes)));
        }
        // `/bodies/x` → `/bodies/x/`, so that relative links resolve. The address is
        // made from the normalised path: `//bodies/x/` would name a host `bodies`.
        site.contains_key(&format!("{key}/index.html")).then(|| Err(folder_location(&key, url)))
    });
    match found {
        Some(Ok((key, bytes))) => {
            let mut reply = Reply::ok(content_type(&key), with_live_reload(&key, bytes));
            reply.headers.push(("Cache-Control", "no-store".into()));
            reply
        }
        Some(Err(location)) => Reply { status: 301, headers: vec![("Location", location)], body: Vec::new() },
        None => {
            let page = site
                .get("404.html")
                .map(|b| with_live_reload("404.html", b))
                .unwrap_or_else(|| b"Not found".to_vec());
            Reply { status: 404, ..Reply::ok("text/html; charset=utf-8".into(), page) }
        }
    }
}

/// `/bodies/x/` (with the request's query) for the folder `key`, percent-encoded.
fn folder_location(key: &str, url: &str) -> String {
    const SEGMENT: &AsciiSet =
        &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`');
    let path: Vec<String> =
        key.split('/').map(|part| utf8_percent_encode(part, SEGMENT).to_string()).collect();
    let query = url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("/{}/{query}", path.join("/"))
}

fn live_request(what: &str, shared: &Shared) -> Reply {
    match what {
        "live.js" => Reply::ok("text/javascript; charset=utf-8".into(), LIVE_JS.into()),
        "status" => {
            let (_, problems, generation) = shared.snapshot();
            let body = serde_json::json!({ "generation": generation, "problems": problems }).to_string();
            Reply::ok("application/json".into(), body.into_bytes())
        }
        _ => Reply { status: 404, ..Reply::ok("text/plain; charset=utf-8".into(), b"Not found".to_vec()) },
    }
}

/// Is a changed path one the site is built from?
pub fn is_source(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(first.as_deref(), Some("content" | "themes" | "mandat.toml"))
}

/// The size and modification time of every source file: reading files while building
/// raises file-system events too, and a rebuild is only worth it when this changed.
pub fn fingerprint(root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (path, _) in watched(root) {
        for entry in walkdir::WalkDir::new(&path)
            .max_depth(if path == root { 1 } else { usize::MAX })
            .sort_by_file_name()
        {
            let Ok(entry) = entry else { continue };
            if !is_source(root, entry.path()) {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                entry.path().hash(&mut hasher);
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// Times a closure, for "rebuilt in N ms".
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// The folders and files a server watches.
pub fn watched(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = vec![(root.join("content"), true)];
    if root.join("themes").is_dir() {
        out.push((root.join("themes"), true));
    }
    // The root itself, not recursively, so that `mandat.toml` is seen even when created.
    out.push((root.to_path_buf(), false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_traversal_is_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/bodies/kg/").as_deref(), Some("bodies/kg/index.html"));
        assert_eq!(site_path("/bodies/kg/index.html?x=1#y").as_deref(), Some("bodies/kg/index.html"));
        assert_eq!(site_path("/bodies//./kg/diagram.svg").as_deref(), Some("bodies/kg/diagram.svg"));
        assert_eq!(site_path("/s%C3%B8g/").as_deref(), Some("søg/index.html"));
        for evil in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/a/..%2f..%2fetc/passwd",
            "/a%5c..%5cx",
            "/%00",
        ] {
            assert_eq!(site_path(evil), None, "{evil}");
        }
    }

    #[test]
    fn live_reload_goes_before_the_end_of_the_body() {
        let html = with_live_reload("index.html", b"<html><body>x</body></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body>x<script src=\"/__mandat/live.js\"></script>\n</body></html>"
        );
        assert_eq!(with_live_reload("style.css", b"body{}"), b"body{}");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("bodies/x/diagram.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("fonts/sans.ttf"), "font/ttf");
    }

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/bodies/x.md")));
        assert!(is_source(root, Path::new("/site/mandat.toml")));
        assert!(is_source(root, Path::new("/site/themes/own/static/x.css")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/.git/index")));
    }
}
