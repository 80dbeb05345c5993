//! The neighbourhood of one body: its ancestors up to the root, its children, its
//! secretariat (and the bodies it is secretariat for) and one hop of typed relations both
//! ways, laid out in layers by layout-rs.
//!
//! The number of boxes is capped so that no page gets an unreadable diagram: beyond the
//! cap, children and relations are summed up in a "+N more" box that links to the lists
//! on the page.

use std::collections::HashMap;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::metrics::TextMetrics;
use super::{Cubic, Diagram, Edge, EdgeKind, LegendKey, Node, NodeStyle, Point, Route};
use crate::graph::{NodeId, OrgGraph};

/// At most this many children are drawn; the rest become "+N more".
pub const MAX_CHILDREN: usize = 6;
/// At most this many related bodies and organisations are drawn.
pub const MAX_RELATED: usize = 8;

/// The words a diagram needs, in the site's language.
pub struct Texts<'a> {
    /// "+{n} more".
    pub more: &'a str,
    pub hierarchy: &'a str,
    pub secretariat: &'a str,
    pub relation: &'a dyn Fn(&str) -> String,
    /// Who chairs a body, "Formand: Betina Svinggaard (A)", for its box's tooltip.
    pub chairs: &'a dyn Fn(NodeId) -> Option<&'a str>,
    /// For the dashed boxes of dissolved and superseded bodies.
    pub ended: &'a str,
    /// Title and description, with `{title}` for the body's title.
    pub title: &'a str,
    pub description: &'a str,
}

/// Where nodes link to, relative to the page that shows the diagram.
pub trait Hrefs {
    fn entity(&self, n: NodeId) -> String;
    /// A section of the body's own page, e.g. `#children`.
    fn section(&self, anchor: &str) -> String;
}

#[derive(Debug, Clone)]
enum Member {
    Entity(NodeId),
    More { count: usize, anchor: &'static str },
}

/// Builds and lays out the neighbourhood diagram of body `n`.
pub fn build(
    g: &OrgGraph,
    n: NodeId,
    metrics: &TextMetrics,
    texts: &Texts,
    hrefs: &dyn Hrefs,
    cache: Option<&LayoutCache>,
) -> Diagram {
    let mut members: Vec<Member> = Vec::new();
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut add = |members: &mut Vec<Member>, id: NodeId| -> usize {
        *index.entry(id).or_insert_with(|| {
            members.push(Member::Entity(id));
            members.len() - 1
        })
    };
    let mut edges: Vec<(usize, usize, EdgeKind, bool)> = Vec::new();

    let mut chain = g.ancestors(n);
    chain.reverse();
    chain.push(n);
    let chain: Vec<usize> = chain.into_iter().map(|a| add(&mut members, a)).collect();
    for pair in chain.windows(2) {
        edges.push((pair[0], pair[1], EdgeKind::Hierarchy, false));
    }
    let me = *chain.last().expect("the chain holds the body itself");

    if let Some(s) = g.secretariat(n) {
        let s = add(&mut members, s);
        edges.push((s, me, EdgeKind::Secretariat, true));
    }

    for served in g.secretariat_for(n) {
        let served = add(&mut members, served);
        edges.push((me, served, EdgeKind::Secretariat, true));
    }

    let children = g.children(n);
    let shown = if children.len() > MAX_CHILDREN { MAX_CHILDREN - 1 } else { children.len() };
    for &c in &children[..shown] {
        let c = add(&mut members, c);
        edges.push((me, c, EdgeKind::Hierarchy, false));
    }
    if children.len() > shown {
        members.push(Member::More { count: children.len() - shown, anchor: "#children" });
        edges.push((me, members.len() - 1, EdgeKind::Hierarchy, false));
    }

    let outgoing = g.relations_out(n).into_iter().map(|(r, t)| (r.kind.get_ref().clone(), t, true));
    let incoming = g.relations_in(n).into_iter().map(|(s, r)| (r.kind.get_ref().clone(), s, false));
    let related: Vec<_> = outgoing.chain(incoming).filter(|(_, other, _)| *other != n).collect();
    let shown = if related.len() > MAX_RELATED { MAX_RELATED - 1 } else { related.len() };
    for (kind, other, out) in &related[..shown] {
        let other = add(&mut members, *other);
        let (from, to) = if *out { (me, other) } else { (other, me) };
        edges.push((from, to, EdgeKind::Relation(kind.clone()), true));
    }
    if related.len() > shown {
        members.push(Member::More { count: related.len() - shown, anchor: "#relations" });
        edges.push((me, members.len() - 1, EdgeKind::Relation(String::new()), false));
    }

    let nodes: Vec<Node> = members
        .iter()
        .map(|m| match m {
            Member::Entity(id) => {
                let style = if *id == n {
                    NodeStyle::Current
                } else if g.body(*id).is_some_and(|b| b.meta.status_shown().is_ended()) {
                    NodeStyle::Ended
                } else if g.is_body(*id) {
                    NodeStyle::Body
                } else {
                    NodeStyle::Organisation
                };
                let mut node = Node::sized(metrics, g.title(*id), style);
                node.href = Some(hrefs.entity(*id));
                if let Some(chairs) = (texts.chairs)(*id) {
                    node.tooltip = format!("{}\n{chairs}", node.tooltip);
                }
                node
            }
            Member::More { count, anchor } => {
                let mut node =
                    Node::sized(metrics, &texts.more.replace("{n}", &count.to_string()), NodeStyle::More);
                node.href = Some(hrefs.section(anchor));
                node
            }
        })
        .collect();
    let title = g.title(n);
    let mut diagram = Diagram {
        id: "nb".to_owned(),
        title: texts.title.replace("{title}", title),
        description: texts.description.replace("{title}", title),
        width: 0.0,
        height: 0.0,
        nodes,
        edges: Vec::new(),
        captions: Vec::new(),
        legend: legend(&edges, texts),
    };
    match cache {
        Some(cache) => cache.lay_out(&mut diagram, &edges),
        None => lay_out(&mut diagram, &edges),
    }
    diagram.explain_ended(texts.ended);
    diagram
}

/// One legend entry per kind of edge drawn, in a fixed order.
fn legend(edges: &[(usize, usize, EdgeKind, bool)], texts: &Texts) -> Vec<(LegendKey, String)> {
    let mut kinds: Vec<EdgeKind> = edges
        .iter()
        .map(|e| e.2.clone())
        .filter(|k| !matches!(k, EdgeKind::Relation(r) if r.is_empty()))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| {
            let label = match &k {
                EdgeKind::Hierarchy => texts.hierarchy.to_owned(),
                EdgeKind::Secretariat => texts.secretariat.to_owned(),
                EdgeKind::Relation(r) => (texts.relation)(r),
            };
            (LegendKey::Edge(k), label)
        })
        .collect()
}

/// Layouts kept between builds of `mandat serve`, keyed by what a layout depends on: the
/// sizes and styles of the boxes and the edges between them (not labels or links). An
/// unchanged neighbourhood is not laid out again.
#[derive(Default)]
pub struct LayoutCache {
    laid: std::sync::Mutex<HashMap<u64, Laid>>,
}

/// A finished layout: where each box went, each edge's route, the drawing's size.
#[derive(Clone)]
struct Laid {
    positions: Vec<(f64, f64)>,
    edges: Vec<Edge>,
    size: (f64, f64),
}

impl LayoutCache {
    const LIMIT: usize = 100_000;

    fn key(diagram: &Diagram, edges: &[(usize, usize, EdgeKind, bool)]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for node in &diagram.nodes {
            (node.width.to_bits(), node.height.to_bits(), node.style).hash(&mut h);
        }
        edges.hash(&mut h);
        h.finish()
    }

    fn lay_out(&self, diagram: &mut Diagram, edges: &[(usize, usize, EdgeKind, bool)]) {
        let key = Self::key(diagram, edges);
        let cached = self.laid.lock().ok().and_then(|m| m.get(&key).cloned());
        if let Some(laid) = cached {
            for (node, (x, y)) in diagram.nodes.iter_mut().zip(laid.positions) {
                node.x = x;
                node.y = y;
            }
            diagram.edges = laid.edges;
            (diagram.width, diagram.height) = laid.size;
            return;
        }
        lay_out(diagram, edges);
        if let Ok(mut map) = self.laid.lock() {
            if map.len() >= Self::LIMIT {
                map.clear();
            }
            let positions = diagram.nodes.iter().map(|n| (n.x, n.y)).collect();
            map.insert(
                key,
                Laid { positions, edges: diagram.edges.clone(), size: (diagram.width, diagram.height) },
            );
        }
    }
}

/// Records where layout-rs puts boxes and edges instead of drawing them.
#[derive(Default)]
struct Capture {
    boxes: HashMap<usize, (LPoint, LPoint)>,
    routes: HashMap<usize, Vec<(LPoint, LPoint)>>,
}

fn tag(properties: &Option<String>, prefix: char) -> Option<usize> {
    properties.as_deref()?.strip_prefix(prefix)?.parse().ok()
}

impl RenderBackend for Capture {
    fn draw_rect(
        &mut self,
        xy: LPoint,
        size: LPoint,
        _: &StyleAttr,
        properties: Option<String>,
        _: Option<ClipHandle>,
    ) {
        if let Some(i) = tag(&properties, 'n') {
            self.boxes.insert(i, (xy, size));
        }
    }
    fn draw_line(&mut self, _: LPoint, _: LPoint, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: LPoint, _: LPoint, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: LPoint, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        path: &[(LPoint, LPoint)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        if let Some(i) = tag(&properties, 'e') {
            self.routes.insert(i, path.to_vec());
        }
    }
    fn create_clip(&mut self, _: LPoint, _: LPoint, _: usize) -> ClipHandle {
        0
    }
}

/// Places `diagram.nodes` and routes `edges` with layout-rs, then moves everything so
/// the top-left corner is at the origin.
fn lay_out(diagram: &mut Diagram, edges: &[(usize, usize, EdgeKind, bool)]) {
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    // Its self-check can take exponential time on diamond-shaped graphs.
    vg.dag.set_validate(false);
    let handles: Vec<_> = diagram
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let element = Element::create_with_properties(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::TopToBottom,
                LPoint::new(node.width, node.height),
                format!("n{i}"),
            );
            vg.add_node(element)
        })
        .collect();
    for (i, (from, to, _, _)) in edges.iter().enumerate() {
        vg.add_edge(Arrow::simple_with_properties("", format!("e{i}")), handles[*from], handles[*to]);
    }
    let mut capture = Capture::default();
    let small = diagram.nodes.len() <= 40;
    vg.do_it(false, !small, false, &mut capture);

    for (i, node) in diagram.nodes.iter_mut().enumerate() {
        if let Some((xy, _)) = capture.boxes.get(&i) {
            node.x = xy.x;
            node.y = xy.y;
        }
    }
    diagram.edges = edges
        .iter()
        .enumerate()
        .map(|(i, (from, to, kind, arrow))| {
            // layout-rs drops an edge that runs against another between the same boxes;
            // such an edge is drawn straight, and bent apart from its twin below.
            let (a, b) = (&diagram.nodes[*from], &diagram.nodes[*to]);
            let mut route = match capture.routes.get(&i).and_then(|path| cubics(path)) {
                Some(cubics) => Route::Curve(cubics),
                None => straight(a, b),
            };
            // layout-rs turns edges around to keep its graph acyclic; turn them back.
            let starts_at = |n: usize, p: Option<Point>| p.is_some_and(|p| diagram.nodes[n].touches(p, 3.0));
            if !starts_at(*from, route.start()) && starts_at(*to, route.start()) {
                route = route.reversed();
            }
            Edge { kind: kind.clone(), route, from: *from, to: *to, arrow: *arrow }
        })
        .collect();
    separate_parallel_edges(&mut diagram.edges, &diagram.nodes);
    normalise(diagram);
}

/// Edges between the same two boxes (a parent that is also the secretariat) would be
/// drawn on top of each other, or cross where layout-rs bends one: each becomes a line of
/// its own, side by side. Their ends share out what the smaller box offers across the
/// line; where that is too little for the spacing, the lines bow apart in the middle.
fn separate_parallel_edges(edges: &mut [Edge], nodes: &[Node]) {
    const SPACING: f64 = 16.0;
    let key = |e: &Edge| (e.from.min(e.to), e.from.max(e.to));
    let mut counts: HashMap<(usize, usize), usize> = HashMap::new();
    for e in edges.iter() {
        *counts.entry(key(e)).or_default() += 1;
    }
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for e in edges.iter_mut() {
        let total = counts[&key(e)];
        if total < 2 {
            continue;
        }
        let k = seen.entry(key(e)).or_default();
        let middle = (total - 1) as f64 / 2.0;
        let shift = (*k as f64 - middle) * SPACING;
        *k += 1;
        // Offsets are measured in one direction between the two boxes, whichever way an
        // edge runs, so twins going opposite ways still land on opposite sides.
        let (low, high) = (&nodes[key(e).0], &nodes[key(e).1]);
        let room = across(low, high).0.min(across(high, low).0);
        let scale = (room / (middle * SPACING)).min(1.0);
        let route = offset_straight(low, high, shift * scale, shift);
        e.route = if e.from == key(e).0 { route } else { route.reversed() };
    }
}

/// How far box `n` reaches across the line from its centre to `other`'s (less a margin
/// for the line), and that line's unit normal.
fn across(n: &Node, other: &Node) -> (f64, (f64, f64)) {
    let (ca, cb) = (n.center(), other.center());
    let (dx, dy) = (cb.x - ca.x, cb.y - ca.y);
    let len = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
    let (nx, ny) = (-dy / len, dx / len);
    ((n.width / 2.0 * nx.abs() + n.height / 2.0 * ny.abs() - 4.0).max(0.0), (nx, ny))
}

/// A straight edge from border to border of two boxes, as a curve so it can be bent.
fn straight(a: &Node, b: &Node) -> Route {
    offset_straight(a, b, 0.0, 0.0)
}

/// An edge between two boxes whose ends are moved `ends` across its direction and whose
/// middle is moved `middle` (a bow, when the boxes are too small for the ends alone).
fn offset_straight(a: &Node, b: &Node, ends: f64, middle: f64) -> Route {
    let (ca, cb) = (a.center(), b.center());
    let (_, (nx, ny)) = across(a, b);
    let moved = |p: Point, by: f64| Point::new(p.x + nx * by, p.y + ny * by);
    let (pa, pb) = (moved(ca, ends), moved(cb, ends));
    let (p, q) = (exit(a, pa, pb), exit(b, pb, pa));
    // A cubic's midpoint is (p + 3 c1 + 3 c2 + q) / 8: control points moved this far
    // put it `middle` across.
    let bow = (8.0 * middle - 2.0 * ends) / 6.0 - ends;
    let at = |f: f64| moved(Point::new(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f), bow);
    Route::Curve(vec![Cubic { from: p, c1: at(1.0 / 3.0), c2: at(2.0 / 3.0), to: q }])
}

/// Where the ray from `from` (inside box `n`) towards `towards` leaves the box.
fn exit(n: &Node, from: Point, towards: Point) -> Point {
    let (dx, dy) = (towards.x - from.x, towards.y - from.y);
    let along = |d: f64, start: f64, low: f64, high: f64| {
        if d > f64::EPSILON {
            (high - start) / d
        } else if d < -f64::EPSILON {
            (low - start) / d
        } else {
            f64::INFINITY
        }
    };
    let t = along(dx, from.x, n.x, n.x + n.width).min(along(dy, from.y, n.y, n.y + n.height)).clamp(0.0, 1.0);
    Point::new(from.x + dx * t, from.y + dy * t)
}

/// layout-rs's path `[(start, c1), (c2, end), (c2, end) …]`, where later segments are
/// smooth continuations (SVG `S`), as explicit cubic segments.
fn cubics(path: &[(LPoint, LPoint)]) -> Option<Vec<Cubic>> {
    let p = |q: &LPoint| Point::new(q.x, q.y);
    let (first, second) = (path.first()?, path.get(1)?);
    let mut out = vec![Cubic { from: p(&first.0), c1: p(&first.1), c2: p(&second.0), to: p(&second.1) }];
    for next in &path[2..] {
        let prev = *out.last().expect("one segment is in");
        let c1 = Point::new(2.0 * prev.to.x - prev.c2.x, 2.0 * prev.to.y - prev.c2.y);
        out.push(Cubic { from: prev.to, c1, c2: p(&next.0), to: p(&next.1) });
    }
    Some(out)
}

/// Shifts the drawing so nothing lies left of or above the origin, and sets its size.
pub(crate) fn normalise(d: &mut Diagram) {
    let mut points: Vec<Point> = Vec::new();
    for node in &d.nodes {
        points.push(Point::new(node.x, node.y));
        points.push(Point::new(node.x + node.width, node.y + node.height));
    }
    for edge in &mut d.edges {
        points.extend(edge.route.points_mut().into_iter().map(|p| *p));
    }
    points.extend(d.captions.iter().map(|c| Point::new(c.x, c.y)));
    let min_x = points.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
    let min_y = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
    let max_x = points.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
    let max_y = points.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
    if !min_x.is_finite() {
        return;
    }
    for node in &mut d.nodes {
        node.x -= min_x;
        node.y -= min_y;
    }
    for p in d.edges.iter_mut().flat_map(|e| e.route.points_mut()) {
        p.x -= min_x;
        p.y -= min_y;
    }
    for c in &mut d.captions {
        c.x -= min_x;
        c.y -= min_y;
    }
    d.width = (max_x - min_x).ceil();
    d.height = (max_y - min_y).ceil();
}
