//! The layout stage: organisation diagrams as plain geometry, and one SVG writer for all.
//!
//! Two kinds of diagram share the [`Diagram`] type: the neighbourhood of a body (laid out
//! by layout-rs, a layered graph layout) and organisation charts (a tidy tree by
//! reingold-tilford, with right-angle connectors). Both are sized from the theme font's
//! real metrics and written by [`svg::write`], so colours and fonts come from CSS
//! classes and output is byte-identical for the same input.

pub mod metrics;
pub mod neighbourhood;
pub mod orgchart;
pub mod svg;

use metrics::TextMetrics;

pub const FONT_SIZE: f64 = 14.0;
pub const LINE_HEIGHT: f64 = 17.0;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 7.0;
/// Widest a label may be before it wraps (a single long word may reach 1.5 times this).
pub const MAX_TEXT_WIDTH: f64 = 150.0;
/// Lines of a box's label at most; a longer name ends in "…" and is whole in the tooltip.
pub const MAX_LINES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// A laid-out diagram, ready to be written as SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// Prefix of every id in the SVG, unique on the page that shows it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Headings over groups of boxes, e.g. the region a group of trees belongs to.
    pub captions: Vec<Caption>,
    /// What to explain under the diagram, with its label.
    pub legend: Vec<(LegendKey, String)>,
}

/// A heading in a diagram, with the top-left of its line at (x, y).
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// Something a legend entry explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegendKey {
    Edge(EdgeKind),
    /// A box of this style, e.g. the dashed boxes of dissolved and superseded bodies.
    Node(NodeStyle),
}

impl Diagram {
    /// Explains the boxes of ended bodies, if the diagram has any.
    pub fn explain_ended(&mut self, label: &str) {
        if self.nodes.iter().any(|n| n.style == NodeStyle::Ended) {
            self.legend.push((LegendKey::Node(NodeStyle::Ended), label.to_owned()));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeStyle {
    Body,
    Organisation,
    /// The body the diagram is about.
    Current,
    /// Dissolved or superseded.
    Ended,
    /// "+N more": stands for what was left out.
    More,
    /// In a diff chart: new, gone, or under a new parent.
    Added,
    Removed,
    Moved,
}

impl NodeStyle {
    /// The CSS class of the box.
    pub fn class(self) -> &'static str {
        match self {
            NodeStyle::Body => "d-body",
            NodeStyle::Organisation => "d-org",
            NodeStyle::Current => "d-current",
            NodeStyle::Ended => "d-ended",
            NodeStyle::More => "d-more",
            NodeStyle::Added => "d-added",
            NodeStyle::Removed => "d-removed",
            NodeStyle::Moved => "d-moved",
        }
    }

    /// The CSS class of the label, which must not inherit the box's stroke.
    pub fn label_class(self) -> &'static str {
        match self {
            NodeStyle::Current => "d-label d-label-current",
            NodeStyle::Ended => "d-label d-label-ended",
            _ => "d-label",
        }
    }
}

/// A box with a label, top-left at (x, y).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub lines: Vec<String>,
    pub href: Option<String>,
    /// Shown on hover: the full name and kind.
    pub tooltip: String,
    pub style: NodeStyle,
}

impl Node {
    /// A node of the right size for `label`, at the origin.
    pub fn sized(metrics: &TextMetrics, label: &str, style: NodeStyle) -> Node {
        // The current body's label is bold (diagram.css), so it is measured in bold.
        let metrics = metrics.face(style == NodeStyle::Current);
        let lines = metrics.wrap(label, FONT_SIZE, MAX_TEXT_WIDTH, MAX_LINES);
        let text_width = lines.iter().map(|l| metrics.width(l, FONT_SIZE)).fold(0.0, f64::max);
        Node {
            x: 0.0,
            y: 0.0,
            width: (text_width + 2.0 * PAD_X).ceil(),
            height: lines.len() as f64 * LINE_HEIGHT + 2.0 * PAD_Y,
            lines,
            href: None,
            tooltip: label.to_owned(),
            style,
        }
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// Is `p` on the border of this box (within `tolerance`)?
    pub fn touches(&self, p: Point, tolerance: f64) -> bool {
        let inside_x = p.x >= self.x - tolerance && p.x <= self.x + self.width + tolerance;
        let inside_y = p.y >= self.y - tolerance && p.y <= self.y + self.height + tolerance;
        let near_edge = (p.x - self.x).abs() <= tolerance
            || (p.x - self.x - self.width).abs() <= tolerance
            || (p.y - self.y).abs() <= tolerance
            || (p.y - self.y - self.height).abs() <= tolerance;
        inside_x && inside_y && near_edge
    }

    pub fn overlaps(&self, other: &Node) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

/// What an edge means; each kind has its own colour and dash (CSS) and legend entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Parent and child.
    Hierarchy,
    /// Secretariat → the body it serves.
    Secretariat,
    /// A typed relation, e.g. `participates-in`.
    Relation(String),
}

impl EdgeKind {
    pub fn class(&self) -> String {
        match self {
            EdgeKind::Hierarchy => "d-hierarchy".to_owned(),
            EdgeKind::Secretariat => "d-secretariat".to_owned(),
            EdgeKind::Relation(kind) if crate::model::KNOWN_RELATIONS.contains(&kind.as_str()) => {
                format!("d-rel d-rel-{kind}")
            }
            EdgeKind::Relation(_) => "d-rel".to_owned(),
        }
    }
}

/// One cubic Bézier segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cubic {
    pub from: Point,
    pub c1: Point,
    pub c2: Point,
    pub to: Point,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Joined Bézier segments.
    Curve(Vec<Cubic>),
    /// Straight segments through the points (right-angle connectors).
    Lines(Vec<Point>),
}

impl Route {
    pub fn start(&self) -> Option<Point> {
        match self {
            Route::Curve(c) => c.first().map(|s| s.from),
            Route::Lines(l) => l.first().copied(),
        }
    }

    pub fn end(&self) -> Option<Point> {
        match self {
            Route::Curve(c) => c.last().map(|s| s.to),
            Route::Lines(l) => l.last().copied(),
        }
    }

    /// The point the route comes from as it reaches its end, for the arrowhead.
    fn before_end(&self) -> Option<Point> {
        match self {
            Route::Curve(c) => c.last().map(|s| s.c2),
            Route::Lines(l) => l.len().checked_sub(2).map(|i| l[i]),
        }
    }

    /// The same route travelled the other way.
    pub fn reversed(&self) -> Route {
        match self {
            Route::Curve(c) => Route::Curve(
                c.iter().rev().map(|s| Cubic { from: s.to, c1: s.c2, c2: s.c1, to: s.from }).collect(),
            ),
            Route::Lines(l) => Route::Lines(l.iter().rev().copied().collect()),
        }
    }

    pub fn points_mut(&mut self) -> Vec<&mut Point> {
        match self {
            Route::Curve(c) => {
                c.iter_mut().flat_map(|s| [&mut s.from, &mut s.c1, &mut s.c2, &mut s.to]).collect()
            }
            Route::Lines(l) => l.iter_mut().collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub route: Route,
    /// Indices into `Diagram::nodes`.
    pub from: usize,
    pub to: usize,
    pub arrow: bool,
}

/// The default theme's font metrics, for tests.
#[cfg(test)]
pub(crate) fn test_metrics() -> TextMetrics {
    crate::theme::Theme::load(std::path::Path::new("/nonexistent"), &Default::default())
        .unwrap()
        .metrics()
        .unwrap()
}
