//! `mandat serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};

use super::{SiteArgs, exit, report_failure};
use crate::diagnostic;
use crate::incremental::{Rebuilder, Rebuilt, Watched};
use crate::serve::{Reply, Shared, fingerprint, is_source, respond, timed, watched};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default keeps the preview on this machine; give
    /// 0.0.0.0 to show it to others on the network
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the site in the browser
    #[arg(long)]
    pub open: bool,
}

/// Builds the site into `shared` (only what the edit changed, where it can); prints the
/// time, or the problems.
fn rebuild(
    root: &Path,
    files: Option<&[PathBuf]>,
    shared: &Shared,
    rebuilder: &mut Rebuilder,
    color: diagnostic::Color,
) -> bool {
    let (result, took) = timed(|| match files {
        Some(files) => rebuilder.rebuild_files(root, files),
        None => rebuilder.rebuild(root),
    });
    match result {
        // Saved unchanged: the pages in the browser are the newest.
        Ok(Rebuilt::Site { changed: 0, incremental: true, .. }) => true,
        Ok(Rebuilt::Site { files, changed, incremental, warnings }) => {
            if let Some(sources) = rebuilder.sources() {
                let _ = diagnostic::emit_human(&warnings, sources, color);
            }
            let total = files.len();
            shared.publish(files);
            let how = if incremental { "only the edit's" } else { "all" };
            eprintln!("rebuilt {how} files in {} ms ({changed} of {total} changed)", took.as_millis());
            true
        }
        Ok(Rebuilt::Invalid(loaded)) => {
            let _ = diagnostic::emit_human(
                &loaded.diagnostics.iter().filter(|d| !d.is_error()).cloned().collect::<Vec<_>>(),
                &loaded.sources,
                color,
            );
            let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let _ = diagnostic::emit_human(&errors, &loaded.sources, color);
            eprintln!(
                "the content has {}; still serving the last good site",
                super::plural(errors.len(), "error", "errors")
            );
            shared.fail(diagnostic::render_human(&errors, &loaded.sources));
            false
        }
        Err(e) => {
            eprintln!("error: {e}; still serving the last good site");
            shared.fail(e.to_string());
            false
        }
    }
}

/// Answers requests until Ctrl-C, each connection on its own task: an open keep-alive
/// connection holds no thread, so a browser's six parallel connections never wait on
/// each other.
async fn serve(listener: tokio::net::TcpListener, shared: Shared, stop: Arc<tokio::sync::Notify>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    eprintln!("warning: cannot accept a connection: {e}");
                    continue;
                }
            },
            _ = stop.notified() => return,
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let url = request.uri().path_and_query().map_or("/", |p| p.as_str());
                    let reply = respond(url, &shared);
                    async move { Ok::<_, std::convert::Infallible>(into_response(reply)) }
                });
            let io = hyper_util::rt::TokioIo::new(stream);
            // A connection the browser drops is nothing to report.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

fn into_response(reply: Reply) -> hyper::Response<http_body_util::Full<hyper::body::Bytes>> {
    let mut response = hyper::Response::new(http_body_util::Full::new(hyper::body::Bytes::from(reply.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

pub fn run(args: &ServeArgs) -> u8 {
    let shown = args.site.root.clone();
    if !shown.join("content").is_dir() {
        return report_failure(&crate::Error::NotASite { root: shown });
    }
    // The watcher reports absolute paths with symbolic links resolved; a root given as
    // `.`, `site` or through a link must be resolved the same way, or no event would be
    // recognised as a source file and the preview would never rebuild.
    let root = match std::fs::canonicalize(&shown) {
        Ok(root) => root,
        Err(e) => return report_failure(&crate::Error::io(&shown, e)),
    };
    let shared = Shared::default();
    let mut rebuilder = Rebuilder::default();
    rebuild(&root, None, &shared, &mut rebuilder, args.site.color);

    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return exit::FAILURE;
        }
    };
    let listener =
        match runtime.block_on(tokio::net::TcpListener::bind(SocketAddr::new(args.bind, args.port))) {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("error: cannot listen on {}:{}: {e}", args.bind, args.port);
                return exit::FAILURE;
            }
        };
    // The handler goes in before the address is announced: whoever reads the address
    // may press Ctrl-C at once (a notification waits for the server if it comes first).
    let stop = Arc::new(tokio::sync::Notify::new());
    let stopper = stop.clone();
    if let Err(e) = ctrlc::set_handler(move || stopper.notify_one()) {
        eprintln!("warning: cannot handle Ctrl-C: {e}");
    }
    let address = listener.local_addr().map_or_else(|_| "?".to_owned(), |a| a.to_string());
    let url = format!("http://{address}/");

    let (watch_root, watch_shared, color) = (root.clone(), shared.clone(), args.site.color);
    let mut built_from = fingerprint(&root);
    let debouncer = new_debouncer(Duration::from_millis(120), move |events: DebounceEventResult| {
        let Ok(events) = events else { return };
        let paths: Vec<PathBuf> =
            events.iter().filter(|e| is_source(&watch_root, &e.path)).map(|e| e.path.clone()).collect();
        if paths.is_empty() {
            return;
        }
        // Reading files raises events too: a rebuild is only worth it when a file's size or
        // time changed. Edited content files are read alone; anything else walks the site.
        match rebuilder.sort_out(&watch_root, &paths) {
            Watched::Unchanged => {}
            Watched::Files(files) => {
                // A failed build keeps nothing to compare with: the files it read are
                // then told apart from edits by the fingerprint, as below.
                if !rebuild(&watch_root, Some(&files), &watch_shared, &mut rebuilder, color) {
                    built_from = fingerprint(&watch_root);
                }
            }
            Watched::Other => {
                let now = fingerprint(&watch_root);
                if now != built_from {
                    built_from = now;
                    rebuild(&watch_root, None, &watch_shared, &mut rebuilder, color);
                }
            }
        }
    });
    let mut debouncer = match debouncer {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", root.display());
            return exit::FAILURE;
        }
    };
    for (path, recursive) in watched(&root) {
        let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        if let Err(e) = debouncer.watcher().watch(&path, mode) {
            eprintln!("warning: cannot watch {}: {e}", path.display());
        }
    }
    println!("serving {} at {url} (Ctrl-C to stop)", shown.display());
    if args.open
        && let Err(e) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {e}");
    }

    runtime.block_on(serve(listener, shared, stop));
    eprintln!("stopped");
    exit::OK
}
