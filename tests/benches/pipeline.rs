//! Stage benchmarks on synthetic organisations (`cargo bench`). Figures and the machine
//! they were taken on are recorded in BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[path = "../common/mod.rs"]
mod common;

use common::{Plain, TEXTS, metrics};
use divan::Bencher;
use mandat::diagram::neighbourhood;
use mandat::diagram::orgchart::{self, Options};
use mandat::graph::{NodeId, OrgGraph};
use mandat::mentions::Mentions;

static SITES: OnceLock<std::sync::Mutex<Vec<(usize, &'static Path)>>> = OnceLock::new();

fn main() {
    divan::main();
    for (_, dir) in SITES.get().map(|s| s.lock().unwrap().clone()).unwrap_or_default() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A synthetic site of `n` bodies, generated once per run (and removed at its end).
fn site(n: usize) -> &'static Path {
    let sites = SITES.get_or_init(Default::default);
    let mut sites = sites.lock().unwrap();
    if let Some((_, p)) = sites.iter().find(|(k, _)| *k == n) {
        return p;
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("mandat-bench-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    mandat::synth::write(&dir, n, 1, false).unwrap();
    let p: &'static Path = Box::leak(dir.into_boxed_path());
    sites.push((n, p));
    p
}

/// Walk, parse and validate.
#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn load(bencher: Bencher, n: usize) {
    let root = site(n);
    bencher.bench(|| mandat::load(root).unwrap());
}

/// Reading the files.
#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn walk(bencher: Bencher, n: usize) {
    let root = site(n);
    bencher.bench(|| mandat::walk::walk(root).unwrap().files.len());
}

/// Front matter and Markdown links of files already read.
#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn parse(bencher: Bencher, n: usize) {
    let root = site(n);
    bencher.bench_local(|| {
        let walked = mandat::walk::walk(root).unwrap();
        mandat::parse::parse(walked).content.bodies.len()
    });
}

/// The rules across files, on parsed content.
#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn validate(bencher: Bencher, n: usize) {
    let parsed = mandat::parse::parse(mandat::walk::walk(site(n)).unwrap());
    bencher.bench(|| mandat::validate::validate(&parsed.content, &parsed.unreadable).len());
}

#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn mentions(bencher: Bencher, n: usize) {
    let loaded = mandat::load(site(n)).unwrap();
    bencher.bench(|| mandat::mentions::find(&loaded.content).bodies.len());
}

#[divan::bench(args = [1000, 10000], sample_count = 10)]
fn graph(bencher: Bencher, n: usize) {
    let loaded = mandat::load(site(n)).unwrap();
    let mentions = mandat::mentions::find(&loaded.content);
    bencher.bench(|| OrgGraph::build(&loaded.content, &mentions).len());
}

/// One neighbourhood diagram, laid out: every 10th body of a 1,000-body organisation.
#[divan::bench(sample_count = 100)]
fn neighbourhood_diagram(bencher: Bencher) {
    let loaded = mandat::load(site(1000)).unwrap();
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    let bodies: Vec<NodeId> = g.nodes().filter(|&n| g.is_body(n)).step_by(10).collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % bodies.len();
        neighbourhood::build(&g, bodies[i], &m, &TEXTS, &Plain(&g), None)
    });
}

/// The front-page chart and the full chart of a 10,000-body organisation.
#[divan::bench(args = [false, true], sample_count = 10)]
fn org_chart_10000(bencher: Bencher, full: bool) {
    let loaded = mandat::load(site(10000)).unwrap();
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    let roots = g.hierarchy_roots();
    let options = Options {
        id: "oc",
        title: String::new(),
        description: String::new(),
        max_depth: if full { 100 } else { 4 },
        max_nodes: if full { usize::MAX } else { 150 },
        more: "+{n}",
        legend: "",
        ended: "",
        marks: None,
        groups: None,
        organisation: "Organisation",
    };
    bencher.bench(|| orgchart::build(&g, &roots, &m, &Plain(&g), &options).nodes.len());
}

/// The whole site in memory (load, mentions, graph, diagrams, every page), without
/// writing; the throughput divan prints is per file, so its inverse is the cost of a page.
#[divan::bench(args = [1000, 10000], sample_count = 5)]
fn render_site(bencher: Bencher, n: usize) {
    let root = site(n);
    let build = || {
        let loaded = mandat::load(root).unwrap();
        let memory = mandat::render::Memory::default();
        match mandat::build_site(root, loaded, false, None, &memory).unwrap() {
            mandat::Built::Site(files) => files,
            mandat::Built::Invalid(_) => panic!("the synthetic site is valid"),
        }
    };
    bencher.counter(divan::counter::ItemsCount::new(build())).bench(build);
}

/// Writing a built 1,000-body site to disk, atomically: into a new folder, and over the
/// same site again (the spare is reused and no file has changed).
#[divan::bench(args = ["fresh", "unchanged"], sample_count = 10)]
fn write_site(bencher: Bencher, into: &str) {
    let root = site(1000);
    let loaded = mandat::load(root).unwrap();
    let memory = mandat::render::Memory::default();
    assert!(matches!(
        mandat::build_site(root, loaded, false, None, &memory).unwrap(),
        mandat::Built::Site(_)
    ));
    let files = memory.into_output();
    if into == "fresh" {
        // Returning the folder leaves its removal out of the measurement.
        bencher.with_inputs(|| tempfile::tempdir().unwrap()).bench_values(|dir| {
            mandat::write::write_site(&dir.path().join("public"), &files).unwrap();
            dir
        });
    } else {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        mandat::write::write_site(&out, &files).unwrap();
        mandat::write::write_site(&out, &files).unwrap();
        bencher.bench(|| mandat::write::write_site(&out, &files).unwrap());
    }
}

/// `mandat import` of a 200-page kommissorium as text, against the import fixture site
/// (issue #16: under 2 s).
#[divan::bench(sample_count = 10)]
fn import_200_pages(bencher: Bencher) {
    let text = mandat::synth::long_kommissorium(200);
    let loaded = mandat::load(&common::fixture("import/site")).unwrap();
    bencher.bench(|| {
        let doc = mandat::import::read(mandat::import::Format::Text, text.as_bytes()).unwrap();
        mandat::import::import(&doc, "lang.txt", &loaded.content, None).unwrap()
    });
}
