//! The organisation as a graph: bodies and organisations are nodes, every kind of
//! connection between them is a typed edge.
//!
//! Built only from content that validated without errors, so every reference resolves
//! and parent edges form a forest. The queries here are what pages, diagrams and diffs
//! need; each returns nodes in a stable order (by title, then id) so output is
//! deterministic.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::mentions::{Mention, Mentions};
use crate::model::EntityKind;
use crate::model::{Body, Content, Organisation, Person, Relation, Seat};

pub use petgraph::graph::NodeIndex as NodeId;

/// A node: which entity, by kind and position in [`Content`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub kind: EntityKind,
    /// Index into `Content::bodies` or `Content::organisations`.
    pub index: usize,
}

/// An edge, pointing from the entity whose file states it to the entity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    /// child → parent
    Parent,
    /// body → its secretariat
    Secretariat,
    /// body → where the seat holders come from; the index is into `BodyMeta::members`.
    Seat(usize),
    /// body → related entity; the index is into `BodyMeta::relations`.
    Relation(usize),
    /// body → body it replaced
    Replaces,
    /// body → who approved its kommissorium
    ApprovedBy,
    /// group organisation → member organisation
    GroupMember,
    /// entity → entity its text links to with `[[id]]`
    Mention,
}

impl Edge {
    /// The edge's type as the exports name it.
    pub fn kind(self) -> &'static str {
        match self {
            Edge::Parent => "parent",
            Edge::Secretariat => "secretariat",
            Edge::Seat(_) => "seat",
            Edge::Relation(_) => "relation",
            Edge::Replaces => "replaces",
            Edge::ApprovedBy => "approved-by",
            Edge::GroupMember => "group-member",
            Edge::Mention => "mention",
        }
    }

    /// Edges of one entity in the order a reader expects them: the hierarchy first, then
    /// in the order of the file.
    fn order(self) -> (u8, usize) {
        match self {
            Edge::Parent => (0, 0),
            Edge::Secretariat => (1, 0),
            Edge::ApprovedBy => (2, 0),
            Edge::Replaces => (3, 0),
            Edge::Seat(i) => (4, i),
            Edge::Relation(i) => (5, i),
            Edge::GroupMember => (6, 0),
            Edge::Mention => (7, 0),
        }
    }
}

/// A seat an organisation holds in a body, directly or as a member of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub body: NodeIndex,
    /// Index into the body's `members`.
    pub seat: usize,
    /// The group organisation the seat is given to, when held through membership.
    pub via: Option<NodeIndex>,
}

/// A seat a named person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonSeat {
    pub body: NodeIndex,
    /// Index into the body's `members`.
    pub seat: usize,
}

/// People are not nodes: no diagram or hierarchy shows them, so they would only be
/// filtered out again everywhere. They are an index beside the graph, from a person to
/// the seats that name them.
pub struct OrgGraph<'c> {
    content: &'c Content,
    people: HashMap<&'c str, usize>,
    /// The seats that name people, by person (as `Content::people`), each person's
    /// chairs first, then by body; person `i`'s are `seats_held[held_from[i]..held_from[i + 1]]`.
    /// One list rather than a list per person: it is made and sorted in one go.
    seats_held: Vec<PersonSeat>,
    held_from: Vec<usize>,
    graph: DiGraph<Node, Edge>,
    by_id: HashMap<&'c str, NodeIndex>,
    /// Each node's place in display order (by title, case-insensitively, then id), so
    /// that queries sort by a number instead of lower-casing titles again and again.
    rank: Vec<usize>,
    /// Whether each node is a body or has one below it: what org charts and the
    /// hierarchy show. Worked out once, because asking each node's descendants is
    /// quadratic in the depth of the organisation.
    holds_bodies: Vec<bool>,
}

impl<'c> OrgGraph<'c> {
    /// Builds the graph. `content` must have passed validation without errors;
    /// references that do not resolve are left out rather than panicking. `mentions` are
    /// the auto-links found in texts, added to the `[[id]]` links as back-links.
    pub fn build(content: &'c Content, mentions: &Mentions) -> Self {
        let nodes = content.bodies.len() + content.organisations.len();
        let edges: usize = content
            .bodies
            .iter()
            .map(|b| 3 + b.meta.replaces.len() + b.meta.members.len() + b.meta.relations.len())
            .chain(content.organisations.iter().map(|o| 1 + o.meta.members.len()))
            .sum::<usize>()
            + mentions.bodies.iter().chain(&mentions.organisations).map(Vec::len).sum::<usize>();
        let mut graph = DiGraph::with_capacity(nodes, edges);
        let mut by_id = HashMap::with_capacity_and_hasher(nodes, Default::default());
        for (index, b) in content.bodies.iter().enumerate() {
            by_id.insert(b.id.as_str(), graph.add_node(Node { kind: EntityKind::Body, index }));
        }
        for (index, o) in content.organisations.iter().enumerate() {
            by_id
                .entry(o.id.as_str())
                .or_insert_with(|| graph.add_node(Node { kind: EntityKind::Organisation, index }));
        }
        let people = content.people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let mut g = OrgGraph {
            content,
            people,
            seats_held: Vec::new(),
            held_from: Vec::new(),
            graph,
            by_id,
            rank: Vec::new(),
            holds_bodies: Vec::new(),
        };
        g.rank = g.display_ranks();
        // (person, not a chair, body's rank, seat): the order each person's seats are shown in.
        let mut held: Vec<(usize, bool, usize, PersonSeat)> = Vec::new();
        for (i, b) in content.bodies.iter().enumerate() {
            let Some(from) = g.find(&b.id) else { continue };
            let m = &b.meta;
            g.link(from, m.parent.as_ref().map(|p| p.get_ref()), Edge::Parent);
            g.link(from, m.secretariat.as_ref().map(|p| p.get_ref()), Edge::Secretariat);
            g.link(from, m.approved_by.as_ref().map(|p| p.get_ref()), Edge::ApprovedBy);
            for r in &m.replaces {
                g.link(from, Some(r.get_ref()), Edge::Replaces);
            }
            for (i, seat) in m.members.iter().enumerate() {
                g.link(from, seat.from.as_ref().map(|f| f.get_ref()), Edge::Seat(i));
                let not_chair = !matches!(seat.role(), "chair" | "co-chair");
                for person in &seat.person {
                    if let Some(&p) = g.people.get(person.get_ref().as_str()) {
                        held.push((p, not_chair, g.rank[from.index()], PersonSeat { body: from, seat: i }));
                    }
                }
            }
            for (i, rel) in m.relations.iter().enumerate() {
                g.link(from, Some(rel.to.get_ref()), Edge::Relation(i));
            }
            g.mentions(from, &b.text, mentions.bodies.get(i).map_or(&[][..], Vec::as_slice));
        }
        for (i, o) in content.organisations.iter().enumerate() {
            // An organisation sharing a body's id was left out (validation reports it).
            let Some(from) = g.find(&o.id).filter(|&n| !g.is_body(n)) else { continue };
            g.link(from, o.meta.parent.as_ref().map(|p| p.get_ref()), Edge::Parent);
            for member in &o.meta.members {
                g.link(from, Some(member.get_ref()), Edge::GroupMember);
            }
            g.mentions(from, &o.text, mentions.organisations.get(i).map_or(&[][..], Vec::as_slice));
        }
        g.holds_bodies = g.bodies_at_or_below();
        held.sort_unstable_by_key(|&(person, not_chair, rank, s)| (person, not_chair, rank, s.seat));
        held.dedup_by_key(|&mut (person, _, _, s)| (person, s));
        g.held_from = (0..=content.people.len()).map(|p| held.partition_point(|h| h.0 < p)).collect();
        g.seats_held = held.into_iter().map(|h| h.3).collect();
        g
    }

    fn display_ranks(&self) -> Vec<usize> {
        let mut by_title: Vec<(String, &str, NodeIndex)> =
            self.nodes().map(|n| (self.title(n).to_lowercase(), self.id(n), n)).collect();
        by_title.sort_unstable();
        let mut rank = vec![0; by_title.len()];
        for (place, (_, _, n)) in by_title.into_iter().enumerate() {
            rank[n.index()] = place;
        }
        rank
    }

    fn link(&mut self, from: NodeIndex, to: Option<&String>, edge: Edge) {
        if let Some(to) = to.and_then(|t| self.find(t)) {
            self.graph.add_edge(from, to, edge);
        }
    }

    /// Links by `[[id]]` and auto-mentions, one edge per target.
    fn mentions(&mut self, from: NodeIndex, text: &crate::model::Text, auto: &[Mention]) {
        let own_id = self.id(from);
        let mut seen = HashSet::default();
        let targets =
            text.links.iter().map(|l| l.target.as_str()).chain(auto.iter().map(|m| m.target.as_str()));
        for target in targets {
            if target != own_id
                && seen.insert(target)
                && let Some(to) = self.find(target)
            {
                self.graph.add_edge(from, to, Edge::Mention);
            }
        }
    }

    pub fn content(&self) -> &'c Content {
        self.content
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    pub fn node(&self, n: NodeIndex) -> Node {
        self.graph[n]
    }

    pub fn id(&self, n: NodeIndex) -> &'c str {
        match self.graph[n] {
            Node { kind: EntityKind::Body, index } => &self.content.bodies[index].id,
            Node { kind: EntityKind::Organisation, index } => &self.content.organisations[index].id,
            Node { kind: EntityKind::Person, index } => &self.content.people[index].id,
        }
    }

    pub fn title(&self, n: NodeIndex) -> &'c str {
        match self.graph[n] {
            Node { kind: EntityKind::Body, index } => self.content.bodies[index].meta.title.get_ref(),
            Node { kind: EntityKind::Organisation, index } => {
                self.content.organisations[index].meta.title.get_ref()
            }
            Node { kind: EntityKind::Person, index } => self.content.people[index].meta.name.get_ref(),
        }
    }

    pub fn body(&self, n: NodeIndex) -> Option<&'c Body> {
        match self.graph[n] {
            Node { kind: EntityKind::Body, index } => Some(&self.content.bodies[index]),
            _ => None,
        }
    }

    pub fn organisation(&self, n: NodeIndex) -> Option<&'c Organisation> {
        match self.graph[n] {
            Node { kind: EntityKind::Organisation, index } => Some(&self.content.organisations[index]),
            _ => None,
        }
    }

    pub fn is_body(&self, n: NodeIndex) -> bool {
        self.graph[n].kind == EntityKind::Body
    }

    /// How many nodes there are: node indices run from 0 to this.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Every node, bodies first, each group in id order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// `nodes` in display order (by title, case-insensitively, then id), without repeats.
    pub fn sorted(&self, mut nodes: Vec<NodeIndex>) -> Vec<NodeIndex> {
        nodes.sort_unstable_by_key(|&n| self.rank[n.index()]);
        nodes.dedup();
        nodes
    }

    fn targets(&self, n: NodeIndex, want: impl Fn(Edge) -> bool) -> Vec<NodeIndex> {
        self.graph.edges_directed(n, Outgoing).filter(|e| want(*e.weight())).map(|e| e.target()).collect()
    }

    fn sources(&self, n: NodeIndex, want: impl Fn(Edge) -> bool) -> Vec<NodeIndex> {
        self.graph.edges_directed(n, Incoming).filter(|e| want(*e.weight())).map(|e| e.source()).collect()
    }

    pub fn parent(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.targets(n, |e| e == Edge::Parent).first().copied()
    }

    /// Nodes without a parent.
    pub fn roots(&self) -> Vec<NodeIndex> {
        self.sorted(self.graph.node_indices().filter(|&n| self.parent(n).is_none()).collect())
    }

    /// The tops of the body hierarchy: parentless nodes that are bodies or have bodies
    /// below them (an organisation such as KL that sets up a group). Organisations with
    /// no bodies below them are not part of the hierarchy of bodies.
    pub fn hierarchy_roots(&self) -> Vec<NodeIndex> {
        self.sorted(self.roots().into_iter().filter(|&n| self.holds_bodies(n)).collect())
    }

    /// Whether `n` is a body or has a body somewhere below it.
    pub fn holds_bodies(&self, n: NodeIndex) -> bool {
        self.holds_bodies.get(n.index()).copied().unwrap_or(false)
    }

    /// Marks every body and its ancestors, each walk stopping where an earlier one passed:
    /// linear in the number of nodes, however deep the organisation.
    fn bodies_at_or_below(&self) -> Vec<bool> {
        let mut marked = vec![false; self.graph.node_count()];
        for b in self.graph.node_indices().filter(|&n| self.is_body(n)) {
            let mut current = Some(b);
            while let Some(n) = current {
                if std::mem::replace(&mut marked[n.index()], true) {
                    break;
                }
                current = self.parent(n);
            }
        }
        marked
    }

    /// Parent, grandparent, … up to the root: breadcrumbs read this reversed.
    pub fn ancestors(&self, n: NodeIndex) -> Vec<NodeIndex> {
        let mut out = Vec::new();
        let mut current = self.parent(n);
        while let Some(p) = current {
            // Validation guarantees a forest; the bound keeps a bad graph from looping
            // without a search through the path at every step.
            if p == n || out.len() >= self.graph.node_count() {
                break;
            }
            out.push(p);
            current = self.parent(p);
        }
        out
    }

    pub fn children(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.sources(n, |e| e == Edge::Parent))
    }

    /// Bodies (and organisations) below `n`, depth first, each level in title order.
    pub fn descendants(&self, n: NodeIndex) -> Vec<NodeIndex> {
        let mut out = Vec::new();
        let mut seen = HashSet::from_iter([n]);
        let mut stack: Vec<NodeIndex> = self.children(n).into_iter().rev().collect();
        while let Some(c) = stack.pop() {
            if !seen.insert(c) {
                continue;
            }
            out.push(c);
            stack.extend(self.children(c).into_iter().rev());
        }
        out
    }

    /// How deep `n` sits: 0 for a root.
    pub fn depth(&self, n: NodeIndex) -> usize {
        self.ancestors(n).len()
    }

    pub fn secretariat(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.targets(n, |e| e == Edge::Secretariat).first().copied()
    }

    /// Bodies this node is the secretariat of.
    pub fn secretariat_for(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.sources(n, |e| e == Edge::Secretariat))
    }

    /// Bodies `n` replaced.
    pub fn replaces(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.targets(n, |e| e == Edge::Replaces))
    }

    /// Bodies that replaced `n`.
    pub fn replaced_by(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.sources(n, |e| e == Edge::Replaces))
    }

    /// Targets of `n`'s edges that carry an index into one of its lists, in list order.
    fn listed(&self, n: NodeIndex, index: impl Fn(Edge) -> Option<usize>) -> Vec<(usize, NodeIndex)> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(n, Outgoing)
            .filter_map(|e| Some((index(*e.weight())?, e.target())))
            .collect();
        out.sort_unstable_by_key(|(i, _)| *i);
        out
    }

    /// `n`'s own relations, in the order its file lists them: (relation, target).
    pub fn relations_out(&self, n: NodeIndex) -> Vec<(&'c Relation, NodeIndex)> {
        let Some(body) = self.body(n) else { return Vec::new() };
        let index = |e| if let Edge::Relation(i) = e { Some(i) } else { None };
        self.listed(n, index).into_iter().map(|(i, t)| (&body.meta.relations[i], t)).collect()
    }

    /// Relations other bodies state towards `n`: (source, relation), by source then order.
    pub fn relations_in(&self, n: NodeIndex) -> Vec<(NodeIndex, &'c Relation)> {
        let mut sources = self.sorted(self.sources(n, |e| matches!(e, Edge::Relation(_))));
        sources.dedup();
        sources
            .into_iter()
            .flat_map(|s| {
                self.relations_out(s).into_iter().filter(|(_, t)| *t == n).map(move |(r, _)| (s, r))
            })
            .collect()
    }

    /// `n`'s seats, in the order its file lists them: (seat, where from).
    pub fn seats(&self, n: NodeIndex) -> Vec<(&'c Seat, NodeIndex)> {
        let Some(body) = self.body(n) else { return Vec::new() };
        let index = |e| if let Edge::Seat(i) = e { Some(i) } else { None };
        self.listed(n, index).into_iter().map(|(i, t)| (&body.meta.members[i], t)).collect()
    }

    /// Group organisations `n` is a member of.
    pub fn groups_of(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.sources(n, |e| e == Edge::GroupMember))
    }

    /// Members of the group organisation `n`.
    pub fn group_members(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.targets(n, |e| e == Edge::GroupMember))
    }

    /// Every seat `n` holds across all bodies: seats given to `n` itself, and seats given
    /// `each` to a group `n` belongs to. Ordered by body title, then seat order.
    pub fn holdings(&self, n: NodeIndex) -> Vec<Holding> {
        let direct = self.graph.edges_directed(n, Incoming).filter_map(|e| match e.weight() {
            Edge::Seat(i) => Some(Holding { body: e.source(), seat: *i, via: None }),
            _ => None,
        });
        let through_groups = self.groups_of(n).into_iter().flat_map(|g| {
            self.graph.edges_directed(g, Incoming).filter_map(move |e| match e.weight() {
                Edge::Seat(i) if self.body(e.source()).is_some_and(|b| b.meta.members[*i].each) => {
                    Some(Holding { body: e.source(), seat: *i, via: Some(g) })
                }
                _ => None,
            })
        });
        let mut all: Vec<Holding> = direct.chain(through_groups).collect();
        all.sort_unstable_by_key(|h| (self.rank[h.body.index()], h.seat, h.via.map(|v| v.index())));
        all
    }

    /// Every edge that a file states (not the mentions found in texts), as (from, to,
    /// edge), sorted by the ids at both ends and then the edge: what the exports write.
    pub fn stated_edges(&self) -> Vec<(NodeIndex, NodeIndex, Edge)> {
        let mut edges: Vec<(NodeIndex, NodeIndex, Edge)> = self
            .graph
            .edge_references()
            .filter(|e| *e.weight() != Edge::Mention)
            .map(|e| (e.source(), e.target(), *e.weight()))
            .collect();
        edges.sort_by(|a, b| {
            (self.id(a.0), a.2.order(), self.id(a.1)).cmp(&(self.id(b.0), b.2.order(), self.id(b.1)))
        });
        edges
    }

    /// The person a seat's `person` entry names by id; `None` for a name as written.
    pub fn person(&self, id: &str) -> Option<&'c Person> {
        self.people.get(id).map(|&i| &self.content.people[i])
    }

    /// The seats that name the person at `index` of `Content::people`: chairs first,
    /// then by body.
    pub fn seats_held(&self, index: usize) -> &[PersonSeat] {
        match (self.held_from.get(index), self.held_from.get(index + 1)) {
            (Some(&from), Some(&to)) => &self.seats_held[from..to],
            _ => &[],
        }
    }

    /// Entities whose text links to `n`: its back-links.
    pub fn mentioned_by(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.sources(n, |e| e == Edge::Mention))
    }

    /// Entities `n`'s text links to.
    pub fn mentions_of(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.sorted(self.targets(n, |e| e == Edge::Mention))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::walk::{RawFile, Walked};

    /// A small organisation:
    ///
    /// ```text
    /// region (org) ── hospital (org)         group = {kommune-a, kommune-b}
    /// sku ─┬─ dak ─┬─ kg  (secretariat for sku and dak)
    ///      │       └─ fg
    ///      └─ (ssu replaces sku)
    /// kl (org) ── ssg
    /// ```
    fn fixture() -> Content {
        let files = [
            ("organisations/region", "title = \"Region\"\nkind = \"region\""),
            ("organisations/hospital", "title = \"Hospital\"\nparent = \"region\""),
            ("organisations/kommune-a", "title = \"Kommune A\""),
            ("organisations/kommune-b", "title = \"Kommune B\""),
            (
                "organisations/group",
                "title = \"Kommunerne\"\nkind = \"group\"\nmembers = [\"kommune-a\", \"kommune-b\"]",
            ),
            ("organisations/kl", "title = \"KL\""),
            ("bodies/sku", "title = \"SKU\"\nstatus = \"superseded\"\nsecretariat = \"kg\""),
            (
                "bodies/dak",
                "title = \"DAK\"\nparent = \"sku\"\nstatus = \"superseded\"\nsecretariat = \"kg\"",
            ),
            (
                "bodies/kg",
                "title = \"Koordinationsgruppen\"\nparent = \"dak\"\napproved_by = \"dak\"\nstatus = \"superseded\"\n\
                 [[members]]\nfrom = \"region\"\ncount = \"2-3\"\n[[members]]\nfrom = \"group\"\neach = true\nrole = \"chair\"\n\
                 [[members]]\nfrom = \"kommune-a\"\n\
                 [[relations]]\ntype = \"supports\"\nto = \"sku\"\n[[relations]]\ntype = \"advises\"\nto = \"ssu\"",
            ),
            ("bodies/fg", "title = \"Følgegruppe\"\nparent = \"dak\"\nstatus = \"superseded\""),
            (
                "bodies/ssu",
                "title = \"SSU\"\nreplaces = [\"sku\"]\n[[relations]]\ntype = \"coordinates-with\"\nto = \"ssg\"",
            ),
            ("bodies/ssg", "title = \"Sundhedsstrategisk Gruppe\"\nparent = \"kl\""),
        ];
        let walked = Walked {
            files: files
                .iter()
                .map(|(path, toml)| RawFile {
                    path: format!("content/{path}.md").into(),
                    kind: if path.starts_with("bodies") {
                        EntityKind::Body
                    } else {
                        EntityKind::Organisation
                    },
                    bytes: format!("+++\n{toml}\n+++\nSee [[ssu]] and [[ssu|again]].\n").into_bytes(),
                })
                .collect(),
            skipped: vec![],
            attachments: vec![],
        };
        let parsed = parse(walked);
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let problems = crate::validate::validate(&parsed.content, &parsed.unreadable);
        assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
        parsed.content
    }

    fn ids<'c>(g: &OrgGraph<'c>, nodes: impl IntoIterator<Item = NodeIndex>) -> Vec<&'c str> {
        nodes.into_iter().map(|n| g.id(n)).collect()
    }

    #[test]
    fn hierarchy_queries() {
        let content = fixture();
        let g = OrgGraph::build(&content, &Mentions::none(&content));
        let n = |id| g.find(id).unwrap();
        assert_eq!(g.len(), 12);
        assert_eq!(ids(&g, g.hierarchy_roots()), ["kl", "sku", "ssu"]);
        assert_eq!(
            ids(&g, g.roots()),
            ["kl", "kommune-a", "kommune-b", "group", "region", "sku", "ssu"],
            "by title: Kommunerne after Kommune B"
        );
        assert_eq!(ids(&g, g.ancestors(n("kg"))), ["dak", "sku"]);
        assert_eq!(
            ids(&g, g.children(n("dak"))),
            ["fg", "kg"],
            "sorted by title: Følgegruppe < Koordinationsgruppen"
        );
        assert_eq!(ids(&g, g.descendants(n("sku"))), ["dak", "fg", "kg"]);
        assert_eq!(g.depth(n("kg")), 2);
        assert_eq!(ids(&g, g.children(n("region"))), ["hospital"]);
    }

    #[test]
    fn relation_and_secretariat_queries() {
        let content = fixture();
        let g = OrgGraph::build(&content, &Mentions::none(&content));
        let n = |id| g.find(id).unwrap();
        let out: Vec<_> =
            g.relations_out(n("kg")).into_iter().map(|(r, t)| (r.kind.get_ref().as_str(), g.id(t))).collect();
        assert_eq!(out, [("supports", "sku"), ("advises", "ssu")]);
        let incoming: Vec<_> =
            g.relations_in(n("ssu")).into_iter().map(|(s, r)| (g.id(s), r.kind.get_ref().as_str())).collect();
        assert_eq!(incoming, [("kg", "advises")]);
        assert_eq!(ids(&g, g.secretariat(n("dak"))), ["kg"]);
        assert_eq!(ids(&g, g.secretariat_for(n("kg"))), ["dak", "sku"]);
        assert_eq!(ids(&g, g.replaced_by(n("sku"))), ["ssu"]);
        assert_eq!(ids(&g, g.replaces(n("ssu"))), ["sku"]);
    }

    #[test]
    fn seat_queries_include_seats_held_through_groups() {
        let content = fixture();
        let g = OrgGraph::build(&content, &Mentions::none(&content));
        let n = |id| g.find(id).unwrap();
        let seats: Vec<_> =
            g.seats(n("kg")).into_iter().map(|(s, from)| (s.count.to_string(), g.id(from))).collect();
        assert_eq!(seats, [("2-3".into(), "region"), ("1".into(), "group"), ("1".into(), "kommune-a")]);
        let held = g.holdings(n("kommune-a"));
        assert_eq!(held.len(), 2);
        assert_eq!((held[0].seat, held[0].via), (1, Some(n("group"))));
        assert_eq!((held[1].seat, held[1].via), (2, None));
        assert!(g.holdings(n("kommune-b")).iter().all(|h| h.via == Some(n("group"))));
        assert!(g.holdings(n("kl")).is_empty());
        assert_eq!(ids(&g, g.group_members(n("group"))), ["kommune-a", "kommune-b"]);
        assert_eq!(ids(&g, g.groups_of(n("kommune-b"))), ["group"]);
    }

    #[test]
    fn mentions_are_back_links_without_duplicates_or_self_links() {
        let content = fixture();
        let g = OrgGraph::build(&content, &Mentions::none(&content));
        let ssu = g.find("ssu").unwrap();
        let back = g.mentioned_by(ssu);
        assert_eq!(back.len(), 11, "every other entity links to ssu once");
        assert!(!back.contains(&ssu));
        assert_eq!(ids(&g, g.mentions_of(g.find("kg").unwrap())), ["ssu"]);
    }

    #[test]
    fn a_persons_seats_are_chairs_first_then_by_body_title_once_each() {
        let file = |path: &str, kind, toml: &str| RawFile {
            path: format!("content/{path}.md").into(),
            kind,
            bytes: format!("+++\n{toml}\n+++\n").into_bytes(),
        };
        let seat = "[[members]]\ncapacity = \"personal\"";
        let walked = Walked {
            files: vec![
                file(
                    "bodies/a",
                    EntityKind::Body,
                    &format!("title = \"Zeta\"\n{seat}\nrole = \"chair\"\nperson = \"ann\""),
                ),
                file(
                    "bodies/b",
                    EntityKind::Body,
                    &format!(
                        "title = \"Alpha\"\n{seat}\ncount = 3\nperson = [\"ann\", \"ann\", \"bo\"]\n\
                         {seat}\nrole = \"vice-chair\"\nperson = \"ann\""
                    ),
                ),
                file("people/ann", EntityKind::Person, "name = \"Ann\""),
                file("people/bo", EntityKind::Person, "name = \"Bo\""),
                file("people/cy", EntityKind::Person, "name = \"Cy\""),
            ],
            skipped: vec![],
            attachments: vec![],
        };
        let parsed = parse(walked);
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let content = parsed.content;
        let g = OrgGraph::build(&content, &Mentions::none(&content));
        let held = |person| g.seats_held(person).iter().map(|s| (g.id(s.body), s.seat)).collect::<Vec<_>>();
        assert_eq!(held(0), [("a", 0), ("b", 0), ("b", 1)], "Ann chairs Zeta; Alpha sorts first by title");
        assert_eq!(held(1), [("b", 0)]);
        assert!(held(2).is_empty(), "Cy holds no seat");
        assert!(held(3).is_empty(), "there is no fourth person");
    }
}
