//! `mandat serve` end to end: serving, live rebuilds, the last good site while content is
//! broken, traversal attempts, clean shutdown on Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `mandat serve` in `dir` with `args` after `serve --port 0`, as a user would type them.
fn start_in(dir: &Path, args: &[&std::ffi::OsStr]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mandat"))
        .current_dir(dir)
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line
        .split(" at ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the address")
        .trim_end_matches('/')
        .to_owned();
    Server { child, base }
}

fn start(root: &Path) -> Server {
    start_in(Path::new("/"), &["--root".as_ref(), root.as_os_str()])
}

/// A response as the test reads it: status, headers (names lower-cased), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends a request line exactly as written, so no client tidies the path first.
fn request(base: &str, path: &str) -> Response {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Response { status, headers, body: body.to_owned() }
}

/// GET that follows one redirect, as a browser would.
fn get(url: &str) -> (u16, String) {
    let (base, path) = split_url(url);
    let mut response = request(base, path);
    if response.status == 301 || response.status == 302 {
        let location = response.header("location").unwrap_or("/").to_owned();
        response = request(base, &location);
    }
    (response.status, response.body)
}

fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.len() - url.trim_start_matches("http://").len();
    let slash = url[after_scheme..].find('/').map_or(url.len(), |i| i + after_scheme);
    (&url[..slash], if slash == url.len() { "/" } else { &url[slash..] })
}

fn raw_status(base: &str, path: &str) -> u16 {
    request(base, path).status
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(2), "not within 2 s: {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
    started.elapsed()
}

#[test]
fn serves_rebuilds_keeps_the_last_good_site_and_refuses_traversal() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let server = start(site.path());
    let base = &server.base;

    let (status, index) = get(&format!("{base}/"));
    assert_eq!(status, 200);
    assert!(index.contains("<script src=\"/__mandat/live.js\"></script>"), "live reload is injected");
    let (status, page) = get(&format!("{base}/bodies/working-group"));
    assert_eq!(status, 200, "a folder without / is redirected");
    assert!(page.contains("Working Group on Everything"));
    let (status, missing) = get(&format!("{base}/no/such/page/"));
    assert_eq!(status, 404);
    assert!(missing.contains("Page not found"), "the site's own 404 page");

    // An edit is served within 2 seconds.
    let file = site.path().join("content/bodies/working-group.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("title = \"Working Group on Everything\"", "title = \"Working Group on Most Things\""),
    )
    .unwrap();
    let took = wait_for("the edit", || {
        get(&format!("{base}/bodies/working-group/")).1.contains("Working Group on Most Things")
    });
    eprintln!("edit served after {took:?}");

    // A broken file: the last good page stays, the problem is reported.
    std::fs::write(&file, "+++\ntitle = \"Broken\nparent = \"board\"\n+++\n").unwrap();
    wait_for("the problem", || get(&format!("{base}/__mandat/status")).1.contains("malformed TOML"));
    assert!(get(&format!("{base}/bodies/working-group/")).1.contains("Working Group on Most Things"));

    // Fixed again: back to normal.
    std::fs::write(&file, &text).unwrap();
    wait_for("the fix", || get(&format!("{base}/__mandat/status")).1.contains("\"problems\":null"));
    assert!(get(&format!("{base}/bodies/working-group/")).1.contains("Working Group on Everything"));

    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/bodies/../../Cargo.toml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    ] {
        assert_eq!(raw_status(base, path), 404, "{path}");
    }
}

#[test]
fn content_types_are_right() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let server = start(site.path());
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/bodies/board/diagram.svg", "image/svg+xml; charset=utf-8"),
        ("/search/index.js", "text/javascript; charset=utf-8"),
        ("/__mandat/live.js", "text/javascript; charset=utf-8"),
    ] {
        assert_eq!(request(&server.base, path).header("content-type"), Some(expected), "{path}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let mut server = start(site.path());
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Every way the README and users start the preview must see edits: from inside the site
/// with no `--root`, `--root .`, a relative `--root`, an absolute one, and a site folder
/// reached through a symbolic link.
#[test]
fn rebuilds_however_it_was_started() {
    let parent = tempfile::tempdir().unwrap();
    let site = parent.path().join("site");
    copy_dir(&fixture("full"), &site);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&site, parent.path().join("link")).unwrap();
    let absolute = site.clone().into_os_string();
    let mut ways: Vec<(&str, &Path, Vec<&std::ffi::OsStr>)> = vec![
        ("no --root, inside the site", &site, vec![]),
        ("--root .", &site, vec!["--root".as_ref(), ".".as_ref()]),
        ("--root site", parent.path(), vec!["--root".as_ref(), "site".as_ref()]),
        ("absolute --root", Path::new("/"), vec!["--root".as_ref(), absolute.as_os_str()]),
    ];
    let link = parent.path().join("link");
    if cfg!(unix) {
        ways.push(("inside a symlinked folder", &link, vec![]));
        ways.push(("--root link", parent.path(), vec!["--root".as_ref(), "link".as_ref()]));
    }
    let file = site.join("content/bodies/working-group.md");
    let original = std::fs::read_to_string(&file).unwrap();
    for (i, (way, dir, args)) in ways.iter().enumerate() {
        std::fs::write(&file, &original).unwrap();
        let server = start_in(dir, args);
        let title = format!("Working Group number {i}");
        std::fs::write(&file, original.replace("Working Group on Everything", &title)).unwrap();
        let base = &server.base;
        wait_for(way, || get(&format!("{base}/bodies/working-group/")).1.contains(&title));
    }
}

/// `//bodies/x` is redirected to a path (`/bodies/x/`), never to `//bodies/x/`, which a
/// browser reads as the host `bodies`.
#[test]
fn redirects_never_name_another_host() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let server = start(site.path());
    for path in ["//bodies/working-group", "/bodies//working-group", "///bodies/working-group?x=1"] {
        let response = request(&server.base, path);
        assert_eq!(response.status, 301, "{path}");
        let location = response.header("location").unwrap();
        assert!(
            location.starts_with("/bodies/working-group/") && !location.starts_with("//"),
            "{path} → {location}"
        );
    }
}

/// A browser keeps its connections open between requests (keep-alive) and opens several
/// at once. Idle open connections must never hold up a new one: tiny_http's pool once
/// queued a connection behind busy ones, and a page never finished loading.
#[test]
fn open_idle_connections_never_hold_up_a_request() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let server = start(site.path());
    let address = server.base.trim_start_matches("http://").to_owned();
    // Each answered once and then left open, as a browser leaves them.
    let idle: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).unwrap();
            write!(stream, "GET /style.css HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut first = [0u8; 12];
            stream.read_exact(&mut first).unwrap();
            assert_eq!(&first, b"HTTP/1.1 200");
            stream
        })
        .collect();
    // A new connection is answered (a read that waits for good fails instead of hanging).
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer while other connections are open");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.100}");
    drop(idle);
}
