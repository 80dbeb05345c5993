//! Organisation charts: the parent hierarchy as a classic org chart.
//!
//! Each root's tree is laid out as a tidy tree with right-angle connectors; a parent whose
//! children are all leaves lists them in a column under itself, as printed org charts do,
//! which keeps wide levels compact. The trees are then packed in rows. Charts deeper than
//! `max_depth` levels or larger than `max_nodes` boxes are cut, and a "+N more" box links
//! to the page below the cut.
//!
//! The tidy layout is our own (subtree contours per row, O(boxes × depth)): the
//! `reingold-tilford` crate overlaps boxes of different widths when it centres the
//! siblings between two subtrees (seen in `tests/diagrams.rs` on a 1,000-body chart),
//! and `tidy-tree` keeps raw pointers into a struct that moves.

use std::collections::HashMap;

use super::metrics::TextMetrics;
use super::neighbourhood::{Hrefs, normalise};
use super::{Diagram, Edge, EdgeKind, LegendKey, Node, NodeStyle, Point, Route};
use crate::graph::{NodeId, OrgGraph};

const H_GAP: f64 = 12.0;
const V_GAP: f64 = 30.0;
const HANG_INDENT: f64 = 22.0;
const HANG_GAP: f64 = 8.0;
/// Rows of trees are at most this wide, unless one tree alone is wider.
const ROW_WIDTH: f64 = 1100.0;
const TREE_GAP: f64 = 28.0;

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
}

/// A box of the chart and the boxes hanging under it.
struct TreeNode {
    node: Node,
    children: Vec<usize>,
    /// Children listed in a column under this node instead of a row.
    hanging: bool,
}

struct Tree {
    nodes: Vec<TreeNode>,
}

impl Tree {
    /// Children laid out in the row below; hanging ones are part of their parent's block.
    fn row_children(&self, n: usize) -> &[usize] {
        let t = &self.nodes[n];
        if t.hanging { &[] } else { &t.children }
    }

    /// How far a node's block reaches left and right of the box's centre, gaps included:
    /// a parent with hanging children is the box and the column below it.
    fn reach(&self, n: usize) -> (f64, f64) {
        let t = &self.nodes[n];
        let half = t.node.width / 2.0;
        let mut right = half;
        if t.hanging {
            for &c in &t.children {
                right = right.max(HANG_INDENT + self.nodes[c].node.width - half);
            }
        }
        (half + H_GAP / 2.0, right + H_GAP / 2.0)
    }

    /// Centre x of every box relative to the root's centre (hanging boxes excepted).
    fn tidy_x(&self) -> Vec<f64> {
        let mut offset = vec![0.0; self.nodes.len()];
        self.contour(0, &mut offset);
        // Offsets are relative to the parent; make them relative to the root.
        let mut x = vec![0.0; self.nodes.len()];
        let mut stack = vec![0usize];
        while let Some(n) = stack.pop() {
            for &c in self.row_children(n) {
                x[c] = x[n] + offset[c];
                stack.push(c);
            }
        }
        x
    }

    /// Lays out the subtree of `n`; returns its contour (per row: reach to the left and
    /// to the right of `n`'s centre) and sets each child's offset from `n`.
    fn contour(&self, n: usize, offset: &mut [f64]) -> Contour {
        let (left, right) = self.reach(n);
        let children = self.row_children(n);
        let Some((&first, rest)) = children.split_first() else {
            return Contour { left: vec![left], right: vec![right] };
        };
        // Children side by side, each as close to the ones before as every row allows.
        let mut acc = self.contour(first, offset);
        let mut at = vec![0.0];
        for &c in rest {
            let next = self.contour(c, offset);
            let shift = acc.right.iter().zip(&next.left).map(|(r, l)| r + l).fold(0.0, f64::max);
            for (d, (l, r)) in next.left.iter().zip(&next.right).enumerate() {
                if d < acc.left.len() {
                    acc.left[d] = acc.left[d].max(l - shift);
                    acc.right[d] = acc.right[d].max(r + shift);
                } else {
                    acc.left.push(l - shift);
                    acc.right.push(r + shift);
                }
            }
            at.push(shift);
        }
        let centre = at.last().copied().unwrap_or(0.0) / 2.0;
        for (&c, a) in children.iter().zip(&at) {
            offset[c] = a - centre;
        }
        let mut contour = Contour { left: vec![left], right: vec![right] };
        contour.left.extend(acc.left.iter().map(|l| l + centre));
        contour.right.extend(acc.right.iter().map(|r| r - centre));
        contour
    }
}

/// How far a subtree reaches on each side of its root, row by row.
struct Contour {
    left: Vec<f64>,
    right: Vec<f64>,
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
    let mut diagram = Diagram {
        id: options.id.to_owned(),
        title: options.title.clone(),
        description: options.description.clone(),
        width: 0.0,
        height: 0.0,
        nodes: Vec::new(),
        edges: Vec::new(),
        legend: vec![(LegendKey::Edge(EdgeKind::Hierarchy), options.legend.to_owned())],
    };
    let (mut x, mut y, mut row_height) = (0.0, 0.0, 0.0f64);
    for &root in roots {
        let mut tree = Tree { nodes: Vec::new() };
        add(g, root, 1, depth, &mut tree, metrics, hrefs, options);
        let (nodes, edges, width, height) = place(&tree);
        if x > 0.0 && x + width > ROW_WIDTH {
            x = 0.0;
            y += row_height + TREE_GAP;
            row_height = 0.0;
        }
        let offset = diagram.nodes.len();
        diagram.nodes.extend(nodes.into_iter().map(|mut n| {
            n.x += x;
            n.y += y;
            n
        }));
        diagram.edges.extend(edges.into_iter().map(|mut e| {
            for p in e.route.points_mut() {
                p.x += x;
                p.y += y;
            }
            e.from += offset;
            e.to += offset;
            e
        }));
        x += width + TREE_GAP;
        row_height = row_height.max(height);
    }
    normalise(&mut diagram);
    diagram.explain_ended(options.ended);
    diagram
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
    g.children(n)
        .into_iter()
        .filter(|&c| g.is_body(c) || g.descendants(c).into_iter().any(|d| g.is_body(d)))
        .collect()
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
        Some(b) if b.meta.status.is_ended() => NodeStyle::Ended,
        Some(_) => NodeStyle::Body,
        None => NodeStyle::Organisation,
    };
    let style = options.marks.and_then(|m| m.get(g.id(n))).copied().unwrap_or(usual);
    let mut node = Node::sized(metrics, g.title(n), style);
    node.href = Some(hrefs.entity(n));
    let me = tree.nodes.len();
    tree.nodes.push(TreeNode { node, children: Vec::new(), hanging: false });
    let children = shown_children(g, n);
    if children.is_empty() {
        return me;
    }
    let kids: Vec<usize> = if level >= depth {
        let hidden = children.len() + children.iter().map(|&c| g.descendants(c).len()).sum::<usize>();
        let mut node =
            Node::sized(metrics, &options.more.replace("{n}", &hidden.to_string()), NodeStyle::More);
        node.href = Some(hrefs.entity(n));
        tree.nodes.push(TreeNode { node, children: Vec::new(), hanging: false });
        vec![tree.nodes.len() - 1]
    } else {
        children.into_iter().map(|c| add(g, c, level + 1, depth, tree, metrics, hrefs, options)).collect()
    };
    let all_leaves = kids.iter().all(|&k| tree.nodes[k].children.is_empty());
    tree.nodes[me].hanging = all_leaves && kids.len() >= 2;
    tree.nodes[me].children = kids;
    me
}

/// Positions of one tree's boxes and its connectors; returns them with the tree's size.
///
/// Rows are stacked: each row starts below the lowest box of the row above, hanging
/// columns included, so a column never reaches into the next row.
fn place(tree: &Tree) -> (Vec<Node>, Vec<Edge>, f64, f64) {
    let centres = tree.tidy_x();
    let mut nodes: Vec<Node> = tree.nodes.iter().map(|t| t.node.clone()).collect();
    let extent = |i: usize| {
        let t = &tree.nodes[i];
        let column: f64 = if t.hanging {
            t.children.iter().map(|&c| HANG_GAP + tree.nodes[c].node.height).sum()
        } else {
            0.0
        };
        t.node.height + column
    };
    // Rows by depth, breadth first from the root.
    let mut rows: Vec<Vec<usize>> = vec![vec![0]];
    while let Some(last) = rows.last() {
        let next: Vec<usize> = last.iter().flat_map(|&i| tree.row_children(i).iter().copied()).collect();
        if next.is_empty() {
            break;
        }
        rows.push(next);
    }
    let mut top = 0.0;
    let mut row_bottom = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut height = 0.0f64;
        for &i in row {
            nodes[i].x = centres[i] - nodes[i].width / 2.0;
            nodes[i].y = top;
            height = height.max(extent(i));
        }
        row_bottom.push(top + height);
        top += height + V_GAP;
    }
    let mut depth_of = vec![0usize; nodes.len()];
    for (d, row) in rows.iter().enumerate() {
        row.iter().for_each(|&i| depth_of[i] = d);
    }

    let mut edges = Vec::new();
    for (i, t) in tree.nodes.iter().enumerate() {
        let parent = nodes[i].clone();
        let bottom = parent.y + parent.height;
        if t.hanging {
            let spine = parent.x + HANG_INDENT / 2.0;
            let mut y = bottom;
            for &c in &t.children {
                y += HANG_GAP;
                nodes[c].x = parent.x + HANG_INDENT;
                nodes[c].y = y;
                let mid = y + nodes[c].height / 2.0;
                y += nodes[c].height;
                let route = Route::Lines(vec![
                    Point::new(spine, bottom),
                    Point::new(spine, mid),
                    Point::new(nodes[c].x, mid),
                ]);
                edges.push(Edge { kind: EdgeKind::Hierarchy, route, from: i, to: c, arrow: false });
            }
        } else {
            // Elbows run in the gap under the parent's row.
            let elbow = row_bottom[depth_of[i]] + V_GAP / 2.0;
            for &c in &t.children {
                let child = &nodes[c];
                let (px, cx) = (parent.x + parent.width / 2.0, child.x + child.width / 2.0);
                let route = Route::Lines(vec![
                    Point::new(px, bottom),
                    Point::new(px, elbow),
                    Point::new(cx, elbow),
                    Point::new(cx, child.y),
                ]);
                edges.push(Edge { kind: EdgeKind::Hierarchy, route, from: i, to: c, arrow: false });
            }
        }
    }
    let min_x = nodes.iter().map(|n| n.x).fold(f64::INFINITY, f64::min);
    for n in &mut nodes {
        n.x -= min_x;
    }
    for p in edges.iter_mut().flat_map(|e| e.route.points_mut()) {
        p.x -= min_x;
    }
    let width = nodes.iter().map(|n| n.x + n.width).fold(0.0, f64::max);
    let height = nodes.iter().map(|n| n.y + n.height).fold(0.0, f64::max);
    (nodes, edges, width, height)
}
