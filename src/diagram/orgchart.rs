//! Organisation charts: the parent hierarchy as a classic org chart.
//!
//! Every subtree is laid out as a block, bottom up. A parent stands over its children's
//! blocks in a row with right-angle connectors; a parent whose children are all leaves
//! lists them in a column under itself; and a parent whose row would be too wide stacks
//! its children's blocks in rows under a connector running down its left side, as printed
//! org charts do. So a chart keeps a shape a screen and a sheet of paper can hold, however
//! wide a level is. On the front page the top-level trees are
//! grouped by the region or organisation they belong to, each group with a caption.
//! Charts deeper than `max_depth` levels or larger than `max_nodes` boxes are cut, and a
//! "+N more" box links to the page below the cut.
//!
//! Blocks are rectangles: a subtree never tucks under its neighbour's. That costs some
//! width on irregular trees and keeps the layout simple and always free of overlaps.

use std::collections::HashMap;

use super::metrics::TextMetrics;
use super::neighbourhood::{Hrefs, normalise};
use super::{Caption, Diagram, Edge, EdgeKind, LegendKey, Node, NodeStyle, Point, Route};
use crate::graph::{NodeId, OrgGraph};

const H_GAP: f64 = 12.0;
const V_GAP: f64 = 30.0;
const HANG_INDENT: f64 = 22.0;
const HANG_GAP: f64 = 8.0;
/// How wide a parent's children may spread in one row before they wrap into rows: the
/// chart is laid out with each, and the one closest to [`ASPECT`] is kept.
const WRAP_WIDTHS: [f64; 4] = [1000.0, 1500.0, 2200.0, 3200.0];
/// Width over height a chart aims at: landscape, like a screen or a turned sheet.
const ASPECT: f64 = 1.5;
/// Rows of trees may be this much wider than a wrapped row of children.
const ROW_EXTRA: f64 = 100.0;
const TREE_GAP: f64 = 28.0;
/// Room above a group of trees for its caption.
const CAPTION_HEIGHT: f64 = 26.0;
const GROUP_GAP: f64 = 22.0;

pub struct Options<'a> {
    pub id: &'a str,
    pub title: String,
    pub description: String,
    /// Levels shown, counting the roots as 1.
    pub max_depth: usize,
    /// Boxes at most; the depth is reduced until the chart fits.
    pub max_nodes: usize,
    /// "+{n} more".
    pub more: &'a str,
    pub legend: &'a str,
    /// For the dashed boxes of dissolved and superseded bodies.
    pub ended: &'a str,
    /// Styles that override the usual ones, by id (a diff marks added, removed, moved).
    pub marks: Option<&'a HashMap<String, NodeStyle>>,
    /// Group the trees by the region or organisation they belong to, with captions;
    /// this names the group of trees that belong to none. `None`: no groups.
    pub groups: Option<&'a str>,
    /// Legend label of organisation boxes, when the chart has any.
    pub organisation: &'a str,
}

/// How a parent's children are arranged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Arrangement {
    /// Side by side in the row below, the parent centred over them.
    Row,
    /// Leaves listed in a column under the parent.
    Column,
    /// Blocks in rows under the parent, joined by a line down its left side.
    Grid,
}

/// A box of the chart and the boxes under it.
struct TreeNode {
    node: Node,
    children: Vec<usize>,
    arrangement: Arrangement,
}

/// A subtree's block: its size, and where the centre of its top box is from its left.
#[derive(Debug, Clone, Copy)]
struct Size {
    width: f64,
    height: f64,
    anchor: f64,
}

struct Tree {
    nodes: Vec<TreeNode>,
}

impl Tree {
    /// Decides each parent's arrangement and returns every block's size, bottom up.
    fn measure(&mut self, wrap: f64) -> Vec<Size> {
        let mut sizes = vec![Size { width: 0.0, height: 0.0, anchor: 0.0 }; self.nodes.len()];
        // Children always come after their parent, so reverse order is bottom up.
        for n in (0..self.nodes.len()).rev() {
            let t = &self.nodes[n];
            let (w, h) = (t.node.width, t.node.height);
            let kids: Vec<Size> = t.children.iter().map(|&c| sizes[c]).collect();
            let leaves = t.children.iter().all(|&c| self.nodes[c].children.is_empty());
            let row_width =
                kids.iter().map(|k| k.width).sum::<f64>() + H_GAP * kids.len().saturating_sub(1) as f64;
            let arrangement = if kids.len() >= 2 && leaves {
                Arrangement::Column
            } else if kids.len() >= 2 && row_width > wrap {
                Arrangement::Grid
            } else {
                Arrangement::Row
            };
            self.nodes[n].arrangement = arrangement;
            sizes[n] = match (arrangement, kids.is_empty()) {
                (_, true) => Size { width: w, height: h, anchor: w / 2.0 },
                (Arrangement::Column, _) => Size {
                    width: kids.iter().map(|k| HANG_INDENT + k.width).fold(w, f64::max),
                    height: h + kids.iter().map(|k| HANG_GAP + k.height).sum::<f64>(),
                    anchor: w / 2.0,
                },
                (Arrangement::Grid, _) => {
                    let rows = grid_rows(&kids, wrap);
                    let width = rows.iter().map(|r| r.width).fold(0.0, f64::max);
                    Size {
                        width: w.max(HANG_INDENT + width),
                        height: h + rows.iter().map(|r| V_GAP + r.height).sum::<f64>(),
                        anchor: w / 2.0,
                    }
                }
                (Arrangement::Row, _) => {
                    // The parent is centred over its first and last child.
                    let mut x = 0.0;
                    let anchors: Vec<f64> = kids
                        .iter()
                        .map(|k| {
                            let a = x + k.anchor;
                            x += k.width + H_GAP;
                            a
                        })
                        .collect();
                    let centre = (anchors[0] + anchors[anchors.len() - 1]) / 2.0;
                    // A parent wider than its children's span moves them right.
                    let shift = (w / 2.0 - centre).max(0.0);
                    Size {
                        width: (row_width + shift).max(centre + shift + w / 2.0),
                        height: h + V_GAP + kids.iter().map(|k| k.height).fold(0.0, f64::max),
                        anchor: centre + shift,
                    }
                }
            };
        }
        sizes
    }

    /// Puts `children` of `n` side by side from (`left`, `top`), each joined to the parent
    /// by a connector from `from` down to a bus in the gap above the row, along it, and
    /// down to the child.
    #[allow(clippy::too_many_arguments)]
    fn place_row(
        &self,
        n: usize,
        children: &[usize],
        (left, top): (f64, f64),
        from: (f64, f64),
        sizes: &[Size],
        wrap: f64,
        out: &mut Placed,
    ) {
        let bus = top - V_GAP / 2.0;
        let mut cx = left;
        for &c in children {
            self.place(c, (cx, top), sizes, wrap, out);
            let centre = cx + sizes[c].anchor;
            let points = vec![
                Point::new(from.0, from.1),
                Point::new(from.0, bus),
                Point::new(centre, bus),
                Point::new(centre, top),
            ];
            out.edges.push(hierarchy_edge(n, c, points));
            cx += sizes[c].width + H_GAP;
        }
    }

    /// Puts the block of `n` with its top-left corner at (`left`, `top`).
    fn place(&self, n: usize, (left, top): (f64, f64), sizes: &[Size], wrap: f64, out: &mut Placed) {
        let t = &self.nodes[n];
        let size = sizes[n];
        let (w, h) = (t.node.width, t.node.height);
        let (x, y) = (left + size.anchor - w / 2.0, top);
        out.at[n] = (x, y);
        let bottom = y + h;
        match t.arrangement {
            Arrangement::Column => {
                let spine = x + HANG_INDENT / 2.0;
                let mut cy = bottom;
                for &c in &t.children {
                    cy += HANG_GAP;
                    let child = &self.nodes[c].node;
                    self.place(c, (x + HANG_INDENT, cy), sizes, wrap, out);
                    let mid = cy + child.height / 2.0;
                    out.edges.push(hierarchy_edge(
                        n,
                        c,
                        vec![
                            Point::new(spine, bottom),
                            Point::new(spine, mid),
                            Point::new(x + HANG_INDENT, mid),
                        ],
                    ));
                    cy += sizes[c].height;
                }
            }
            Arrangement::Grid => {
                let trunk = x + HANG_INDENT / 2.0;
                let kids: Vec<Size> = t.children.iter().map(|&c| sizes[c]).collect();
                let mut row_top = bottom + V_GAP;
                let mut i = 0;
                for row in grid_rows(&kids, wrap) {
                    let children = &t.children[i..i + row.count];
                    self.place_row(
                        n,
                        children,
                        (x + HANG_INDENT, row_top),
                        (trunk, bottom),
                        sizes,
                        wrap,
                        out,
                    );
                    i += row.count;
                    row_top += row.height + V_GAP;
                }
            }
            Arrangement::Row => {
                let px = x + w / 2.0;
                let first_anchor = t.children.first().map_or(0.0, |&c| sizes[c].anchor);
                let last = t.children.iter().map(|&c| sizes[c].width + H_GAP).sum::<f64>() - H_GAP;
                let last_anchor = t.children.last().map_or(0.0, |&c| last - sizes[c].width + sizes[c].anchor);
                // The children's span is centred under the parent.
                let left = px - (first_anchor + last_anchor) / 2.0;
                self.place_row(n, &t.children, (left, bottom + V_GAP), (px, bottom), sizes, wrap, out);
            }
        }
    }
}

/// A right-angle connector from parent `from` to child `to` along `points`.
fn hierarchy_edge(from: usize, to: usize, points: Vec<Point>) -> Edge {
    Edge { kind: EdgeKind::Hierarchy, route: Route::Lines(points), from, to, arrow: false }
}

/// Where each box of a tree went, and the connectors.
struct Placed {
    at: Vec<(f64, f64)>,
    edges: Vec<Edge>,
}

/// One row of a grid: how many blocks, and its size.
struct GridRow {
    count: usize,
    width: f64,
    height: f64,
}

/// Blocks filled into rows no wider than `wrap` (or the widest block).
fn grid_rows(blocks: &[Size], wrap: f64) -> Vec<GridRow> {
    let limit = blocks.iter().map(|b| b.width).fold(wrap, f64::max);
    let mut rows: Vec<GridRow> = Vec::new();
    for b in blocks {
        match rows.last_mut() {
            Some(row) if row.width + H_GAP + b.width <= limit => {
                row.count += 1;
                row.width += H_GAP + b.width;
                row.height = row.height.max(b.height);
            }
            _ => rows.push(GridRow { count: 1, width: b.width, height: b.height }),
        }
    }
    rows
}

/// The chart of the trees under `roots`.
pub fn build(
    g: &OrgGraph,
    roots: &[NodeId],
    metrics: &TextMetrics,
    hrefs: &dyn Hrefs,
    options: &Options,
) -> Diagram {
    let mut depth = options.max_depth.max(1);
    while depth > 1 && roots.iter().map(|&r| count(g, r, depth)).sum::<usize>() > options.max_nodes {
        depth -= 1;
    }
    let groups = match options.groups {
        Some(other) => group_roots(g, roots, other),
        None => vec![(None, roots.to_vec())],
    };
    let mut trees: Vec<Vec<Tree>> = groups
        .iter()
        .map(|(_, members)| {
            members
                .iter()
                .map(|&root| {
                    let mut tree = Tree { nodes: Vec::new() };
                    add(g, root, 1, depth, &mut tree, metrics, hrefs, options);
                    tree
                })
                .collect()
        })
        .collect();
    let captions: Vec<Option<&str>> = if groups.len() > 1 {
        groups.iter().map(|(c, _)| c.as_deref()).collect()
    } else {
        vec![None; groups.len()]
    };
    let distance = |d: &Diagram| (d.width.max(1.0) / d.height.max(1.0) / ASPECT).ln().abs();
    let mut best: Option<Diagram> = None;
    for wrap in WRAP_WIDTHS {
        // Each layout decides every parent's arrangement afresh.
        let mut candidate = lay_out(&mut trees, &captions, wrap, options);
        normalise(&mut candidate);
        let better =
            best.as_ref().is_none_or(|b| candidate.width <= MAX_WIDTH && distance(&candidate) < distance(b));
        if better {
            best = Some(candidate);
        }
    }
    let mut diagram = best.expect("at least one layout");
    if diagram.nodes.iter().any(|n| n.style == NodeStyle::Organisation) {
        diagram.legend.push((LegendKey::Node(NodeStyle::Organisation), options.organisation.to_owned()));
    }
    diagram.explain_ended(options.ended);
    diagram
}

/// Charts are at most this wide whenever a narrower layout exists.
const MAX_WIDTH: f64 = 4000.0;

/// The groups of trees, each under its caption, with children wrapping at `wrap`. Trees
/// fill rows within a group, and groups fill rows of the chart, no wider than `wrap`
/// allows unless one block alone is wider.
fn lay_out(groups: &mut [Vec<Tree>], captions: &[Option<&str>], wrap: f64, options: &Options) -> Diagram {
    let mut diagram = Diagram {
        id: options.id.to_owned(),
        title: options.title.clone(),
        description: options.description.clone(),
        width: 0.0,
        height: 0.0,
        nodes: Vec::new(),
        edges: Vec::new(),
        captions: Vec::new(),
        legend: vec![(LegendKey::Edge(EdgeKind::Hierarchy), options.legend.to_owned())],
    };
    let mut shelf = Shelf::new(wrap + ROW_EXTRA, GROUP_GAP);
    for (trees, caption) in groups.iter_mut().zip(captions) {
        let (mut nodes, mut edges): (Vec<Node>, Vec<Edge>) = (Vec::new(), Vec::new());
        let below_caption = if caption.is_some() { CAPTION_HEIGHT } else { 0.0 };
        let mut row = Shelf::new(wrap + ROW_EXTRA, TREE_GAP);
        let mut width = 0.0f64;
        for tree in trees.iter_mut() {
            let sizes = tree.measure(wrap);
            let (x, y) = row.put(sizes[0].width, sizes[0].height);
            let mut placed = Placed { at: vec![(0.0, 0.0); tree.nodes.len()], edges: Vec::new() };
            tree.place(0, (x, y + below_caption), &sizes, wrap, &mut placed);
            let offset = nodes.len();
            nodes.extend(tree.nodes.iter().zip(placed.at).map(|(t, (nx, ny))| Node {
                x: nx,
                y: ny,
                ..t.node.clone()
            }));
            edges.extend(placed.edges.into_iter().map(|mut e| {
                e.from += offset;
                e.to += offset;
                e
            }));
            width = width.max(x + sizes[0].width);
        }
        let (gx, gy) = shelf.put(width, below_caption + row.height());
        if let Some(text) = caption {
            diagram.captions.push(Caption { x: gx, y: gy, text: (*text).to_owned() });
        }
        let offset = diagram.nodes.len();
        diagram.nodes.extend(nodes.into_iter().map(|n| Node { x: n.x + gx, y: n.y + gy, ..n }));
        diagram.edges.extend(edges.into_iter().map(|mut e| {
            for p in e.route.points_mut() {
                p.x += gx;
                p.y += gy;
            }
            e.from += offset;
            e.to += offset;
            e
        }));
    }
    diagram
}

/// Fills blocks into rows of at most `width`, left to right, a row below the other.
struct Shelf {
    width: f64,
    gap: f64,
    x: f64,
    top: f64,
    row_height: f64,
}

impl Shelf {
    fn new(width: f64, gap: f64) -> Shelf {
        Shelf { width, gap, x: 0.0, top: 0.0, row_height: 0.0 }
    }

    /// Where a block of this size goes (its top-left corner).
    fn put(&mut self, width: f64, height: f64) -> (f64, f64) {
        if self.x > 0.0 && self.x + width > self.width {
            self.x = 0.0;
            self.top += self.row_height + self.gap;
            self.row_height = 0.0;
        }
        let at = (self.x, self.top);
        self.x += width + self.gap;
        self.row_height = self.row_height.max(height);
        at
    }

    /// The height of everything put so far.
    fn height(&self) -> f64 {
        self.top + self.row_height
    }
}

/// The roots by what they belong to: an organisation that is a root is its own group; a
/// body is in the group of the region its tree names most (through seats and mentions in
/// its texts, each counted at its top organisation), or else of the organisation it names
/// most, if that is at least half of what it names. Groups are sorted by title; those that belong to none come last,
/// captioned `other`.
fn group_roots(g: &OrgGraph, roots: &[NodeId], other: &str) -> Vec<(Option<String>, Vec<NodeId>)> {
    let top = |n: NodeId| g.ancestors(n).last().copied().unwrap_or(n);
    let home = |root: NodeId| -> Option<NodeId> {
        if !g.is_body(root) {
            return Some(root);
        }
        let mut counts: HashMap<NodeId, usize> = HashMap::new();
        let mut seats = 0;
        // What the bodies of the tree name: where their seats come from, and what their
        // texts mention.
        for n in std::iter::once(root).chain(g.descendants(root)) {
            for named in g.seats(n).into_iter().map(|(_, from)| from).chain(g.mentions_of(n)) {
                *counts.entry(top(named)).or_default() += 1;
                seats += 1;
            }
        }
        let is_region =
            |n: &NodeId| g.organisation(*n).and_then(|o| o.meta.kind.as_deref()) == Some("region");
        let most = |filter: &dyn Fn(&NodeId) -> bool| {
            counts
                .iter()
                .filter(|(n, _)| filter(n) && !g.is_body(**n))
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| g.title(*b.0).cmp(g.title(*a.0))))
                .map(|(n, c)| (*n, *c))
        };
        most(&is_region).or_else(|| most(&|_| true).filter(|(_, c)| 2 * c >= seats)).map(|(n, _)| n)
    };
    let mut groups: Vec<(Option<NodeId>, Vec<NodeId>)> = Vec::new();
    for &root in roots {
        let key = home(root);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(root),
            None => groups.push((key, vec![root])),
        }
    }
    // A group's own organisation leads it.
    for (key, members) in &mut groups {
        if let Some(k) = key {
            members.sort_by_key(|m| m != k);
        }
    }
    groups.sort_by(|(a, _), (b, _)| {
        (a.is_none(), a.map(|n| g.title(n).to_lowercase()))
            .cmp(&(b.is_none(), b.map(|n| g.title(n).to_lowercase())))
    });
    groups
        .into_iter()
        .map(|(key, members)| {
            (Some(key.map_or_else(|| other.to_owned(), |k| g.title(k).to_owned())), members)
        })
        .collect()
}

/// Nodes shown under `n` down to `depth` levels, `n` included.
fn count(g: &OrgGraph, n: NodeId, depth: usize) -> usize {
    if depth <= 1 {
        return 1;
    }
    1 + shown_children(g, n).into_iter().map(|c| count(g, c, depth - 1)).sum::<usize>()
}

/// The children an org chart shows: bodies, and organisations with bodies below them.
fn shown_children(g: &OrgGraph, n: NodeId) -> Vec<NodeId> {
    g.children(n).into_iter().filter(|&c| g.holds_bodies(c)).collect()
}

#[allow(clippy::too_many_arguments)]
fn add(
    g: &OrgGraph,
    n: NodeId,
    level: usize,
    depth: usize,
    tree: &mut Tree,
    metrics: &TextMetrics,
    hrefs: &dyn Hrefs,
    options: &Options,
) -> usize {
    let usual = match g.body(n) {
        Some(b) if b.meta.status_shown().is_ended() => NodeStyle::Ended,
        Some(_) => NodeStyle::Body,
        None => NodeStyle::Organisation,
    };
    let style = options.marks.and_then(|m| m.get(g.id(n))).copied().unwrap_or(usual);
    let mut node = Node::sized(metrics, g.title(n), style);
    node.href = Some(hrefs.entity(n));
    let me = tree.nodes.len();
    tree.nodes.push(TreeNode { node, children: Vec::new(), arrangement: Arrangement::Row });
    let children = shown_children(g, n);
    if children.is_empty() {
        return me;
    }
    let kids: Vec<usize> = if level >= depth {
        let hidden = children.len() + children.iter().map(|&c| g.descendants(c).len()).sum::<usize>();
        let mut node =
            Node::sized(metrics, &options.more.replace("{n}", &hidden.to_string()), NodeStyle::More);
        node.href = Some(hrefs.entity(n));
        tree.nodes.push(TreeNode { node, children: Vec::new(), arrangement: Arrangement::Row });
        vec![tree.nodes.len() - 1]
    } else {
        children.into_iter().map(|c| add(g, c, level + 1, depth, tree, metrics, hrefs, options)).collect()
    };
    tree.nodes[me].children = kids;
    me
}
