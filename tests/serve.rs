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

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mandat"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
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

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// Sends a request line exactly as written, so no client tidies the path first.
fn raw_status(base: &str, path: &str) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or("").to_owned()
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
        assert_eq!(raw_status(base, path), "HTTP/1.1 404 Not Found", "{path}");
    }
}

#[test]
fn content_types_are_right() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let server = start(site.path());
    let agent = ureq::agent();
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/bodies/board/diagram.svg", "image/svg+xml; charset=utf-8"),
        ("/search-index.js", "text/javascript; charset=utf-8"),
        ("/__mandat/live.js", "text/javascript; charset=utf-8"),
    ] {
        let response = agent.get(&format!("{}{path}", server.base)).call().unwrap();
        assert_eq!(response.headers().get("content-type").unwrap().to_str().unwrap(), expected, "{path}");
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
