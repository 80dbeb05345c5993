//! Writes a [`Diagram`] as SVG: every node a link with a tooltip, the whole an image with
//! a title and description, colours and fonts left to CSS classes.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use super::metrics::TextMetrics;
use super::{Diagram, EdgeKind, FONT_SIZE, LINE_HEIGHT, LegendKey, Node, Point, Route};

const MARGIN: f64 = 8.0;
const LEGEND_LINE: f64 = 36.0;
const LEGEND_ROW: f64 = 22.0;
const ARROW: f64 = 8.0;

/// How the SVG will be used.
pub enum Embedding<'a> {
    /// Inside an HTML page, which links the diagram stylesheet itself.
    Inline,
    /// A file of its own, with the diagram stylesheet embedded (`mandat diff --svg`,
    /// which may be saved anywhere).
    Standalone { css: &'a str },
    /// A file of the site, linking the site's diagram stylesheet at `href` (relative to
    /// the file) instead of carrying a copy: 10,000 copies would be 40 MB.
    Linked { href: &'a str },
}

/// Numbers are written with one decimal: stable across platforms and small.
fn n(v: f64) -> String {
    let v = (v * 10.0).round() / 10.0;
    if v == v.trunc() { format!("{}", v as i64) } else { format!("{v:.1}") }
}

pub fn write(d: &Diagram, metrics: &TextMetrics, embedding: Embedding) -> String {
    let legend = legend_layout(d, metrics);
    let width = d.width.max(legend.width) + 2.0 * MARGIN;
    let height = d.height + legend.height + 2.0 * MARGIN;
    let id = &d.id;
    let mut s = String::with_capacity(1024 + d.nodes.len() * 400);
    match embedding {
        Embedding::Inline => {}
        Embedding::Standalone { .. } => s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        Embedding::Linked { href } => {
            let _ = writeln!(
                s,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/css\" href=\"{}\"?>",
                escape(href)
            );
        }
    }
    // A standalone file is an image. Inline, the links inside must stay reachable for
    // screen readers, which `role="img"` would hide (its children are presentational),
    // so the drawing is a named group there.
    let role = match embedding {
        Embedding::Inline => "group",
        Embedding::Standalone { .. } | Embedding::Linked { .. } => "img",
    };
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"{role}\" aria-labelledby=\"{id}-title {id}-desc\">",
        w = n(width),
        h = n(height),
    );
    let _ = writeln!(s, "<title id=\"{id}-title\">{}</title>", escape(d.title.as_str()));
    let _ = writeln!(s, "<desc id=\"{id}-desc\">{}</desc>", escape(d.description.as_str()));
    if let Embedding::Standalone { css } = embedding {
        let _ = writeln!(s, "<style>\n{}</style>", css.replace("]]>", "]]&gt;"));
    }
    let _ = writeln!(s, "<g transform=\"translate({m} {m})\">", m = n(MARGIN));
    s.push_str("<g class=\"d-edges\">\n");
    for edge in &d.edges {
        let class = edge.kind.class();
        let _ = writeln!(s, "<path class=\"d-edge {class}\" d=\"{}\"/>", path_data(&edge.route));
        if edge.arrow
            && let (Some(tip), Some(from)) = (edge.route.end(), edge.route.before_end())
        {
            let _ = writeln!(s, "<path class=\"d-head {class}\" d=\"{}\"/>", arrowhead(from, tip));
        }
    }
    s.push_str("</g>\n<g class=\"d-nodes\">\n");
    for node in &d.nodes {
        write_node(&mut s, node);
    }
    s.push_str("</g>\n");
    for caption in &d.captions {
        // Captions are set larger than labels; their baseline sits about one line down.
        let _ = writeln!(
            s,
            "<text class=\"d-caption\" x=\"{}\" y=\"{}\">{}</text>",
            n(caption.x),
            n(caption.y + FONT_SIZE * 1.1),
            escape(caption.text.as_str())
        );
    }
    write_legend(&mut s, &legend, d.height);
    s.push_str("</g>\n</svg>\n");
    s
}

fn write_node(s: &mut String, node: &Node) {
    let class = node.style.class();
    if let Some(href) = &node.href {
        let _ = write!(s, "<a href=\"{}\">", escape(href.as_str()));
    } else {
        s.push_str("<g>");
    }
    let _ = write!(
        s,
        "<title>{}</title><rect class=\"d-node {class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>",
        escape(node.tooltip.as_str()),
        n(node.x),
        n(node.y),
        n(node.width),
        n(node.height),
    );
    let cx = n(node.x + node.width / 2.0);
    let text_height = node.lines.len() as f64 * LINE_HEIGHT;
    // The baseline of a line sits about 0.8 em below its top.
    let first =
        node.y + (node.height - text_height) / 2.0 + (LINE_HEIGHT - FONT_SIZE) / 2.0 + FONT_SIZE * 0.8;
    let _ = write!(s, "<text class=\"{}\" x=\"{cx}\" y=\"{}\">", node.style.label_class(), n(first));
    for (i, line) in node.lines.iter().enumerate() {
        let dy = if i == 0 { "0".to_owned() } else { n(LINE_HEIGHT) };
        let _ = write!(s, "<tspan x=\"{cx}\" dy=\"{dy}\">{}</tspan>", escape(line.as_str()));
    }
    s.push_str("</text>");
    s.push_str(if node.href.is_some() { "</a>\n" } else { "</g>\n" });
}

fn path_data(route: &Route) -> String {
    let p = |pt: &Point| format!("{} {}", n(pt.x), n(pt.y));
    match route {
        Route::Curve(segments) => {
            let mut d = segments.first().map(|s| format!("M {}", p(&s.from))).unwrap_or_default();
            for s in segments {
                let _ = write!(d, " C {}, {}, {}", p(&s.c1), p(&s.c2), p(&s.to));
            }
            d
        }
        Route::Lines(points) => points
            .iter()
            .enumerate()
            .map(|(i, pt)| format!("{} {}", if i == 0 { "M" } else { "L" }, p(pt)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A filled triangle with its tip at `tip`, pointing away from `from`.
fn arrowhead(from: Point, tip: Point) -> String {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let len = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
    let (ux, uy) = (dx / len, dy / len);
    let base = Point::new(tip.x - ux * ARROW, tip.y - uy * ARROW);
    let (px, py) = (-uy * ARROW / 2.0, ux * ARROW / 2.0);
    format!(
        "M {} {} L {} {} L {} {} Z",
        n(tip.x),
        n(tip.y),
        n(base.x + px),
        n(base.y + py),
        n(base.x - px),
        n(base.y - py)
    )
}

struct LegendLayout {
    items: Vec<(LegendKey, String, Point)>,
    width: f64,
    height: f64,
}

/// Legend entries in rows under the diagram, as wide as the diagram allows.
fn legend_layout(d: &Diagram, metrics: &TextMetrics) -> LegendLayout {
    if d.legend.is_empty() {
        return LegendLayout { items: Vec::new(), width: 0.0, height: 0.0 };
    }
    let max_width = d.width.max(320.0);
    let (mut x, mut y, mut widest) = (0.0, LEGEND_ROW, 0.0f64);
    let mut items = Vec::new();
    for (kind, label) in &d.legend {
        let item_width = LEGEND_LINE + 6.0 + metrics.face(false).width(label, FONT_SIZE * 0.9) + 18.0;
        if x > 0.0 && x + item_width > max_width {
            x = 0.0;
            y += LEGEND_ROW;
        }
        items.push((kind.clone(), label.clone(), Point::new(x, y)));
        x += item_width;
        widest = widest.max(x);
    }
    LegendLayout { items, width: widest, height: y + 8.0 }
}

fn write_legend(s: &mut String, legend: &LegendLayout, top: f64) {
    if legend.items.is_empty() {
        return;
    }
    let _ = writeln!(s, "<g class=\"d-legend\" transform=\"translate(0 {})\">", n(top));
    for (key, label, at) in &legend.items {
        let y = at.y - 5.0;
        match key {
            LegendKey::Edge(kind) => {
                let class = kind.class();
                let (a, b) = (Point::new(at.x, y), Point::new(at.x + LEGEND_LINE, y));
                let _ = write!(
                    s,
                    "<path class=\"d-edge {class}\" d=\"M {} {} L {} {}\"/>",
                    n(a.x),
                    n(a.y),
                    n(b.x),
                    n(b.y)
                );
                if !matches!(kind, EdgeKind::Hierarchy) {
                    let _ = write!(s, "<path class=\"d-head {class}\" d=\"{}\"/>", arrowhead(a, b));
                }
            }
            LegendKey::Node(style) => {
                let _ = write!(
                    s,
                    "<rect class=\"d-node {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" rx=\"2\"/>",
                    style.class(),
                    n(at.x + 4.0),
                    n(y - 6.0),
                    n(LEGEND_LINE - 8.0)
                );
            }
        }
        let _ = writeln!(
            s,
            "<text class=\"d-legend-label\" x=\"{}\" y=\"{}\">{}</text>",
            n(at.x + LEGEND_LINE + 6.0),
            n(at.y),
            escape(label.as_str())
        );
    }
    s.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{Edge, NodeStyle};

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(3.04), "3");
        assert_eq!(n(3.06), "3.1");
        assert_eq!(n(-0.5), "-0.5");
    }

    #[test]
    fn writes_links_titles_and_escapes_text() {
        let metrics = crate::diagram::test_metrics();
        let mut a = Node::sized(&metrics, "A & <B>", NodeStyle::Current);
        a.href = Some("../a/index.html?x=1&y=2".into());
        let mut b = Node::sized(&metrics, "Bø", NodeStyle::Body);
        b.y = 80.0;
        let d = Diagram {
            id: "nb".into(),
            title: "Diagram of A & B".into(),
            description: "Shows \"A\"".into(),
            width: 200.0,
            height: 120.0,
            edges: vec![Edge {
                kind: EdgeKind::Relation("advises".into()),
                route: Route::Lines(vec![Point::new(10.0, 30.0), Point::new(10.0, 80.0)]),
                from: 0,
                to: 1,
                arrow: true,
            }],
            nodes: vec![a, b],
            captions: vec![crate::diagram::Caption { x: 0.0, y: 0.0, text: "Group <1>".into() }],
            legend: vec![(LegendKey::Edge(EdgeKind::Relation("advises".into())), "Advises".into())],
        };
        let svg = write(&d, &metrics, Embedding::Inline);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
        assert!(svg.contains("role=\"group\" aria-labelledby=\"nb-title nb-desc\""));
        assert!(svg.contains("<title id=\"nb-title\">Diagram of A &amp; B</title>"));
        assert!(svg.contains("<a href=\"../a/index.html?x=1&amp;y=2\"><title>A &amp; &lt;B&gt;</title>"));
        assert!(svg.contains("class=\"d-edge d-rel d-rel-advises\" d=\"M 10 30 L 10 80\""));
        assert!(svg.contains("class=\"d-head d-rel d-rel-advises\""));
        assert!(svg.contains(">Advises</text>"));
        assert!(svg.contains("<text class=\"d-caption\" x=\"0\" y=\"15.4\">Group &lt;1&gt;</text>"), "{svg}");
        let standalone = write(&d, &metrics, Embedding::Standalone { css: ".d-node{fill:#fff}" });
        assert!(
            standalone.starts_with("<?xml") && standalone.contains("<style>\n.d-node{fill:#fff}</style>")
        );
        assert!(standalone.contains("role=\"img\" aria-labelledby=\"nb-title nb-desc\""));
        let linked = write(&d, &metrics, Embedding::Linked { href: "../../diagram.css" });
        assert!(linked.contains("<?xml-stylesheet type=\"text/css\" href=\"../../diagram.css\"?>"));
        assert!(!linked.contains("<style>") && linked.contains("role=\"img\""));
    }
}
