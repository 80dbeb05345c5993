//! Geometry of the diagrams on the sample site and on generated organisations: no two
//! boxes overlap, every label fits its box, every edge starts and ends on its boxes.

mod common;

use common::{Plain, TEXTS, metrics};

use std::path::Path;

use mandat::diagram::metrics::TextMetrics;
use mandat::diagram::neighbourhood;
use mandat::diagram::orgchart::{self, Options};
use mandat::diagram::svg::{self, Embedding};
use mandat::diagram::{Diagram, FONT_SIZE, NodeStyle};
use mandat::graph::OrgGraph;
use mandat::mentions::Mentions;

fn chart_options(id: &str) -> Options<'_> {
    Options {
        id,
        title: "Chart".into(),
        description: "All".into(),
        max_depth: 4,
        max_nodes: 150,
        more: "+{n} more",
        legend: "Set up under",
        ended: "Ended",
        marks: None,
        groups: None,
        organisation: "Organisation",
    }
}

/// Asserts the geometric promises of a diagram.
fn assert_sound(d: &Diagram, metrics: &TextMetrics) {
    for (i, a) in d.nodes.iter().enumerate() {
        for b in &d.nodes[i + 1..] {
            assert!(!a.overlaps(b), "{}: boxes overlap: {:?} and {:?}", d.title, a, b);
        }
        let face = metrics.face(a.style == NodeStyle::Current);
        for line in &a.lines {
            assert!(
                face.width(line, FONT_SIZE) <= a.width - 2.0 * 9.5,
                "{}: {line:?} does not fit {}",
                d.title,
                a.width
            );
        }
        assert!(
            a.x >= 0.0 && a.y >= 0.0 && a.x + a.width <= d.width + 0.5 && a.y + a.height <= d.height + 0.5
        );
    }
    assert_twins_apart(d);
    for e in &d.edges {
        let (start, end) = (e.route.start().unwrap(), e.route.end().unwrap());
        assert!(
            d.nodes[e.from].touches(start, 3.0),
            "{}: edge starts off its box: {start:?} {:?}",
            d.title,
            d.nodes[e.from]
        );
        assert!(
            d.nodes[e.to].touches(end, 3.0),
            "{}: edge ends off its box: {end:?} {:?}",
            d.title,
            d.nodes[e.to]
        );
    }
}

/// Two edges between the same boxes (a parent that is also the secretariat) are drawn
/// side by side: apart at both ends (6 px) and more in the middle (12 px), never crossing.
fn assert_twins_apart(d: &Diagram) {
    let ends = |e: &mandat::diagram::Edge| {
        let (mut a, mut b) = (e.route.start().unwrap(), e.route.end().unwrap());
        if e.from > e.to {
            std::mem::swap(&mut a, &mut b);
        }
        // The middle of the route (twins are single cubic curves).
        let middle = match &e.route {
            mandat::diagram::Route::Curve(c) if c.len() == 1 => {
                let c = c[0];
                mandat::diagram::Point::new(
                    (c.from.x + 3.0 * c.c1.x + 3.0 * c.c2.x + c.to.x) / 8.0,
                    (c.from.y + 3.0 * c.c1.y + 3.0 * c.c2.y + c.to.y) / 8.0,
                )
            }
            _ => mandat::diagram::Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
        };
        [a, middle, b]
    };
    for (i, e) in d.edges.iter().enumerate() {
        for f in &d.edges[i + 1..] {
            if (e.from.min(e.to), e.from.max(e.to)) != (f.from.min(f.to), f.from.max(f.to)) {
                continue;
            }
            for ((p, q), least) in ends(e).into_iter().zip(ends(f)).zip([6.0, 12.0, 6.0]) {
                let apart = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                assert!(apart >= least, "{}: twin edges {apart:.1} px apart at {p:?}", d.title);
            }
        }
    }
}

/// In greyscale print and without colour vision, each kind of line still looks different:
/// no two edge classes share a dash pattern.
#[test]
fn every_kind_of_line_has_its_own_dash_pattern() {
    let css = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/diagram.css"),
    )
    .unwrap();
    let light = css.split("@media").next().unwrap();
    let mut patterns: Vec<(String, String)> = Vec::new();
    for line in light.lines() {
        let Some((selector, rules)) = line.split_once('{') else { continue };
        let selector = selector.trim();
        let is_line =
            selector == ".d-hierarchy" || selector == ".d-secretariat" || selector.starts_with(".d-rel");
        if !is_line || selector.starts_with(".d-head") {
            continue;
        }
        let dash = rules
            .split(';')
            .find_map(|r| r.trim().strip_prefix("stroke-dasharray:"))
            .unwrap_or("none")
            .trim();
        let width =
            rules.split(';').find_map(|r| r.trim().strip_prefix("stroke-width:")).unwrap_or("").trim();
        patterns.push((selector.to_owned(), format!("{dash} {width}")));
    }
    assert!(patterns.len() >= 11, "{patterns:?}");
    for (i, (a, pa)) in patterns.iter().enumerate() {
        for (b, pb) in &patterns[i + 1..] {
            assert_ne!(pa, pb, "{a} and {b} look alike");
        }
    }
}

fn load(root: &Path) -> mandat::Loaded {
    let loaded = mandat::load(root).unwrap();
    assert!(!loaded.has_errors());
    loaded
}

#[test]
fn sample_site_diagrams_are_sound() {
    let loaded = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mentions = mandat::mentions::find(&loaded.content);
    let g = OrgGraph::build(&loaded.content, &mentions);
    let m = metrics();
    for n in g.nodes().filter(|&n| g.is_body(n)) {
        assert_sound(&neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None), &m);
    }
    assert_sound(&orgchart::build(&g, &g.hierarchy_roots(), &m, &Plain(&g), &chart_options("oc")), &m);
}

#[test]
fn generated_organisations_are_sound_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    mandat::synth::write(dir.path(), 1000, 7, false).unwrap();
    let loaded = load(dir.path());
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    for n in g.nodes().filter(|&n| g.is_body(n)).step_by(25) {
        let d = neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None);
        assert_sound(&d, &m);
        let cap = g.depth(n) + 1 + 1 + neighbourhood::MAX_CHILDREN + neighbourhood::MAX_RELATED;
        assert!(d.nodes.len() <= cap, "{} boxes", d.nodes.len());
    }
    let chart = orgchart::build(&g, &g.hierarchy_roots(), &m, &Plain(&g), &chart_options("oc"));
    assert_sound(&chart, &m);
    assert!(chart.nodes.len() <= 150, "{} boxes", chart.nodes.len());
    assert!(chart.nodes.iter().any(|n| n.style == NodeStyle::More), "deep levels are collapsed");
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let m = metrics();
    // Empty: no bodies at all.
    let empty = mandat::model::Content::default();
    let g = OrgGraph::build(&empty, &Mentions::none(&empty));
    let chart = orgchart::build(&g, &g.hierarchy_roots(), &m, &Plain(&g), &chart_options("oc"));
    assert!(chart.nodes.is_empty());
    let _ = svg::write(&chart, &m, Embedding::Inline);

    // A single body, and two bodies relating to each other in a cycle.
    let dir = tempfile::tempdir().unwrap();
    let bodies = dir.path().join("content/bodies");
    std::fs::create_dir_all(&bodies).unwrap();
    std::fs::write(bodies.join("solo.md"), "+++\ntitle = \"Solo\"\n+++\n").unwrap();
    std::fs::write(
        bodies.join("a.md"),
        "+++\ntitle = \"A\"\n[[relations]]\ntype = \"advises\"\nto = \"b\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        bodies.join("b.md"),
        "+++\ntitle = \"B\"\nparent = \"a\"\nsecretariat = \"a\"\n[[relations]]\ntype = \"reports-to\"\nto = \"a\"\n+++\n",
    )
    .unwrap();
    let loaded = load(dir.path());
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    for n in g.nodes() {
        assert_sound(&neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None), &m);
    }
}

#[test]
fn a_thousand_body_chart_lays_out_in_full() {
    let dir = tempfile::tempdir().unwrap();
    mandat::synth::write(dir.path(), 1000, 3, false).unwrap();
    let loaded = load(dir.path());
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    let options = Options { max_depth: 10, max_nodes: 5000, ..chart_options("oc") };
    let chart = orgchart::build(&g, &g.hierarchy_roots(), &m, &Plain(&g), &options);
    assert_eq!(chart.nodes.iter().filter(|n| n.style != NodeStyle::More).count(), 1000);
    assert_sound(&chart, &m);
}

#[test]
fn renders_are_identical_and_ids_are_prefixed() {
    let loaded = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    let n = g.find("sundhedsdirektoerkredsen").unwrap();
    let one = svg::write(&neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None), &m, Embedding::Inline);
    let two = svg::write(&neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None), &m, Embedding::Inline);
    assert_eq!(one, two);
    for id in one.split(" id=\"").skip(1) {
        assert!(id.starts_with("nb-"), "unprefixed id {}", &id[..20.min(id.len())]);
    }
}

#[test]
fn cached_layouts_are_the_same_as_fresh_ones() {
    let loaded = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
    let m = metrics();
    let cache = neighbourhood::LayoutCache::default();
    for n in g.nodes().filter(|&n| g.is_body(n)) {
        let fresh = neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), None);
        let first = neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), Some(&cache));
        let again = neighbourhood::build(&g, n, &m, &TEXTS, &Plain(&g), Some(&cache));
        assert_eq!(first, fresh);
        assert_eq!(again, fresh, "from the cache");
    }
}

/// The front chart keeps a shape a screen and a sheet of paper can hold, for any size of
/// organisation: at most 4,000 px wide and 3 × its height, with a root in the first
/// screenful (1,200 px) so the page opens on the top of the organisation.
#[test]
fn front_charts_keep_a_printable_shape_at_every_size() {
    let m = metrics();
    for bodies in [50, 300, 2000] {
        let dir = tempfile::tempdir().unwrap();
        mandat::synth::write(dir.path(), bodies, 11, false).unwrap();
        let loaded = load(dir.path());
        let g = OrgGraph::build(&loaded.content, &Mentions::none(&loaded.content));
        let options = Options { groups: Some("Other"), ..chart_options("oc") };
        let chart = orgchart::build(&g, &g.hierarchy_roots(), &m, &Plain(&g), &options);
        assert_sound(&chart, &m);
        let (w, h) = (chart.width, chart.height);
        eprintln!("front chart of {bodies} bodies: {w} × {h} px, {} boxes", chart.nodes.len());
        assert!(w <= 4000.0 && w <= 3.0 * h, "{bodies} bodies: {w} × {h} px");
        let roots: Vec<_> = g.hierarchy_roots().into_iter().map(|r| g.title(r).to_owned()).collect();
        let first_root = chart.nodes.iter().find(|n| roots.contains(&n.tooltip)).expect("a root box");
        assert!(first_root.x < 1200.0 && first_root.y < 1200.0, "{bodies} bodies: root at {first_root:?}");
    }
}
