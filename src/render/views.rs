//! What templates see: plain, serializable views of bodies and organisations, with every
//! label translated, every date formatted and every link already relative to the page.

use serde::Serialize;

use crate::graph::{NodeId, OrgGraph};
use crate::model::{Date, Item, Status};
use crate::render::strings::{Strings, Vocabulary};

/// A link to a body or organisation page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub href: String,
    /// Set when the target is not active, e.g. "Afløst".
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DateView {
    /// `2019-09-19`, for `<time datetime>`.
    pub iso: String,
    pub text: String,
}

/// Who holds a seat: a link to their page, or a name as the mandate writes it.
#[derive(Debug, Clone, Serialize)]
pub struct PersonLink<'c> {
    pub name: &'c str,
    pub href: Option<String>,
    pub party: Option<&'c str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeatView<'c> {
    /// Whom the seat represents; `None` for a seat in personal capacity.
    pub from: Option<LinkView>,
    pub count: String,
    /// Deputies per seat, as a count: "1".
    pub deputies: Option<String>,
    pub each: bool,
    pub role: String,
    pub role_key: String,
    /// "I personlig egenskab", "Født medlem"; `None` for a representative.
    pub capacity: Option<String>,
    pub position: Option<String>,
    pub nominated_by: Option<LinkView>,
    pub people: Vec<PersonLink<'c>>,
    pub since: Option<DateView>,
    pub until: Option<DateView>,
    pub note: Option<String>,
    /// Whether the `seat_details` component has a line to show. The seat tables call it
    /// only then: most seats have none, and a component call costs more than its row.
    pub has_details: bool,
}

impl<'c> SeatView<'c> {
    /// The lines of `seat_details`: the capacity beside whom the seat represents (where
    /// it represents no one, the capacity stands in that column), nomination, term, note.
    pub fn with_details_flag(mut self) -> SeatView<'c> {
        self.has_details = (self.capacity.is_some() && self.from.is_some())
            || self.nominated_by.is_some()
            || self.since.is_some()
            || self.until.is_some()
            || self.note.is_some();
        self
    }
}

/// A seat on a person's page. The seat is a field of its own, not flattened into this:
/// serde serialises a flattened struct as a map, with a new string for each of its keys,
/// and a large organisation has a hundred thousand of these.
#[derive(Debug, Clone, Serialize)]
pub struct PersonSeatView<'c> {
    pub body: LinkView,
    pub seat: SeatView<'c>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView<'c> {
    pub id: String,
    pub edit_url: Option<String>,
    /// The list of people.
    pub breadcrumbs: Vec<LinkView>,
    pub name: String,
    pub title: Option<String>,
    pub organisation: Option<LinkView>,
    pub party: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub seats: Vec<PersonSeatView<'c>>,
    pub text_html: String,
}

/// People under one initial on `/people/`: the letter for the page's contents, and the
/// letter's section, rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleGroup {
    pub letter: String,
    pub section: String,
}

/// A person on `/people/`: only what the list shows, since a large site lists tens of
/// thousands of people with their seats on the one page.
#[derive(Debug, Clone, Serialize)]
pub struct PersonEntry {
    pub href: String,
    pub name: String,
    pub title: Option<String>,
    pub party: Option<String>,
    pub seats: Vec<RoleIn>,
}

/// "Formand" in a body.
#[derive(Debug, Clone, Serialize)]
pub struct RoleIn {
    pub role: String,
    pub body: LinkView,
}

/// One dated event of a body: established, approved, amended, a deliverable due …
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub date: DateView,
    pub what: String,
    pub text: Option<String>,
    pub by: Option<LinkView>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub date: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormerNameView {
    pub title: String,
    pub until: Option<DateView>,
}

/// A text that may link to a page elsewhere.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub text: String,
}

/// One entry of a nested list, flattened so that templates need no recursion: Tera
/// limits how deep components may nest, and a deep hierarchy would pass any limit. After
/// the entry comes either a list of its children, or the end of its item and of
/// `closes` enclosing levels.
#[derive(Debug, Clone, Serialize)]
pub struct Nested<T> {
    #[serde(flatten)]
    pub entry: T,
    pub children_follow: bool,
    pub closes: usize,
}

/// Entries in depth-first order with their depth (0 at the top) as a flattened list.
pub fn nest<T>(entries: Vec<(T, usize)>) -> Vec<Nested<T>> {
    let depths: Vec<usize> = entries.iter().map(|(_, d)| *d).collect();
    entries
        .into_iter()
        .enumerate()
        .map(|(i, (entry, depth))| {
            let next = depths.get(i + 1).copied().unwrap_or(0);
            Nested { entry, children_follow: next > depth, closes: depth.saturating_sub(next) }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationItem {
    pub link: LinkView,
    pub note: Option<String>,
}

/// Relations of one type, under its label.
#[derive(Debug, Clone, Serialize)]
pub struct RelationGroup {
    pub label: String,
    pub items: Vec<RelationItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BodyView<'c> {
    pub id: String,
    /// Where the page's source file can be edited, when the site says (`edit_url`).
    pub edit_url: Option<String>,
    pub title: String,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub status: String,
    pub status_key: &'static str,
    pub mandate_published: bool,
    pub breadcrumbs: Vec<LinkView>,
    pub parent: Option<LinkView>,
    pub secretariat: Option<LinkView>,
    pub chairs: Vec<SeatView<'c>>,
    pub established: Option<DateView>,
    pub ends: Option<DateView>,
    pub ended: Option<DateView>,
    pub approved: Option<DateView>,
    pub approved_by: Option<LinkView>,
    pub revised: Option<DateView>,
    pub case_ref: Option<String>,
    pub term: Option<String>,
    /// Dates of the mandate's life, in order: when amendments or deliverables exist.
    pub timeline: Vec<TimelineEntry>,
    pub former_names: Vec<FormerNameView>,
    pub legal_basis: Option<ExternalLink>,
    pub contact: Option<ContactView>,
    pub replaces: Vec<LinkView>,
    pub replaced_by: Vec<LinkView>,
    pub aliases: Vec<String>,
    pub purpose: Option<String>,
    pub meetings: Option<String>,
    pub seats: Vec<SeatView<'c>>,
    /// "16 medlemmer", "14–16 medlemmer", "mindst 5 medlemmer": members, not observers.
    pub seat_total: Option<String>,
    /// Whether any seat names a holder or a position: the seat table's person column.
    pub seat_holders: bool,
    pub documents: Vec<DocumentView>,
    pub tasks: Vec<Nested<ItemView>>,
    pub competences: Vec<Nested<ItemView>>,
    pub text_html: String,
    pub children: Vec<LinkView>,
    pub relations_out: Vec<RelationGroup>,
    pub relations_in: Vec<RelationGroup>,
    /// Back-links, bodies apart from organisations: an organisation named in 40 texts
    /// would otherwise get one long mixed list.
    pub mentioned_by_bodies: Vec<LinkView>,
    pub mentioned_by_organisations: Vec<LinkView>,
    pub secretariat_for: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoldingView<'c> {
    pub body: LinkView,
    pub people: Vec<PersonLink<'c>>,
    pub role: String,
    pub count: String,
    pub each: bool,
    pub via: Option<LinkView>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView<'c> {
    pub id: String,
    pub edit_url: Option<String>,
    pub title: String,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub url: Option<String>,
    pub aliases: Vec<String>,
    pub breadcrumbs: Vec<LinkView>,
    pub parent: Option<LinkView>,
    pub sub_organisations: Vec<LinkView>,
    pub bodies_under: Vec<LinkView>,
    pub member_of: Vec<LinkView>,
    pub group_members: Vec<LinkView>,
    pub holdings: Vec<HoldingView<'c>>,
    /// Whether any holding names who fills it: the holdings table's person column.
    pub holders: bool,
    pub contact: Option<ContactView>,
    pub secretariat_for: Vec<LinkView>,
    /// Back-links, bodies apart from organisations: an organisation named in 40 texts
    /// would otherwise get one long mixed list.
    pub mentioned_by_bodies: Vec<LinkView>,
    pub mentioned_by_organisations: Vec<LinkView>,
    pub text_html: String,
}

/// A node of the hierarchy on the front page.
#[derive(Debug, Clone, Serialize)]
pub struct TreeView {
    pub link: LinkView,
    pub kind: Option<String>,
}

/// One line of the A–Z lists.
/// Makes links from one page: every href is relative to where that page is.
pub struct Linker<'g, 'c> {
    pub graph: &'g OrgGraph<'c>,
    pub strings: &'g Strings,
    /// `../` once per folder level of the page.
    pub root: String,
}

impl<'c> Linker<'_, 'c> {
    pub fn person_href(&self, id: &str) -> String {
        format!("{}people/{id}/index.html", self.root)
    }

    /// A seat's `person` entry: a link when it names a person's file.
    pub fn person(&self, entry: &'c str) -> PersonLink<'c> {
        match self.graph.person(entry) {
            Some(p) => PersonLink {
                name: p.meta.name.get_ref(),
                href: Some(self.person_href(&p.id)),
                party: p.meta.party.as_deref(),
            },
            None => PersonLink { name: entry, href: None, party: None },
        }
    }

    pub fn href(&self, n: NodeId) -> String {
        let folder = self.graph.node(n).kind.folder();
        format!("{}{folder}/{}/index.html", self.root, self.graph.id(n))
    }

    pub fn link(&self, n: NodeId) -> LinkView {
        let status = self.graph.body(n).map(|b| b.meta.status_shown()).filter(|s| *s != Status::Active);
        LinkView {
            title: self.graph.title(n).to_owned(),
            href: self.href(n),
            status: status.map(|s| self.strings.label(Vocabulary::Status, s.as_str())),
        }
    }

    pub fn links(&self, nodes: impl IntoIterator<Item = NodeId>) -> Vec<LinkView> {
        nodes.into_iter().map(|n| self.link(n)).collect()
    }

    pub fn date(&self, date: Option<Date>) -> Option<DateView> {
        date.map(|d| DateView { iso: d.to_string(), text: self.strings.date(d) })
    }

    pub fn kind(&self, kind: Option<&String>) -> Option<String> {
        kind.map(|k| self.strings.label(Vocabulary::Kinds, k))
    }
}

pub fn items(items: &[Item]) -> Vec<Nested<ItemView>> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Item, usize)> = items.iter().rev().map(|i| (i, 0)).collect();
    while let Some((item, depth)) = stack.pop() {
        out.push((ItemView { text: item.text.clone() }, depth));
        stack.extend(item.items.iter().rev().map(|c| (c, depth + 1)));
    }
    nest(out)
}

/// Counts are shown with an en dash: "2–3", "1+".
pub fn count_text(count: crate::model::Count) -> String {
    count.to_string().replace('-', "–")
}
