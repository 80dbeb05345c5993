//! What a change does to the organisation: two versions of the content compared body by
//! body, in the terms a reviewer thinks in (moved, seat added, task edited), not TOML.
//!
//! The [`Report`] is typed data only: what changed and the old and new values (ids,
//! counts, roles, dates). Wording it in the site's language is the renderer's job
//! (`render::report` for the terminal and Markdown, `render::changes` for `/changes/`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::graph::OrgGraph;
use crate::mentions::Mentions;
pub use crate::model::EntityKind;
use crate::model::{Body, Content, Count, Date, Item, Organisation, Seat, Spanned, Status};

/// All changes between two versions.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Report {
    /// What the versions are, e.g. `HEAD` and `working tree`.
    pub from: String,
    pub to: String,
    pub summary: Counts,
    pub entities: Vec<EntityChange>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub changed: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

/// One body or organisation that changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntityChange {
    pub change: ChangeKind,
    pub kind: EntityKind,
    /// The id in the newer version (the older one for removed entities).
    pub id: String,
    /// The id in the older version, for renamed entities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    pub title: String,
    /// Titles from the root down to the parent, where the entity sits (or sat).
    pub path: Vec<String>,
    pub details: Vec<Detail>,
}

/// One change to one field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Detail {
    pub field: Field,
    pub change: Change,
    /// For `text`: the heading of the section ("" for the text before the first heading).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// For `edited`: the words, each kept, deleted or inserted; long unchanged stretches
    /// are shortened to `…`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Word>,
}

/// Which field changed: the front-matter key, singular for lists; `chair` for seats
/// with a chairing role, `text` for a section of the Markdown.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Parent,
    Kind,
    ShortName,
    Status,
    MandatePublished,
    Secretariat,
    Established,
    Approved,
    ApprovedBy,
    Revised,
    Ends,
    Ended,
    Term,
    CaseRef,
    LegalBasis,
    Contact,
    Replaces,
    Purpose,
    Meetings,
    Task,
    Competence,
    Seat,
    Chair,
    Relation,
    Url,
    Member,
    Alias,
    FormerName,
    Text,
}

impl Field {
    /// The key as written in front matter and in the JSON report; also the key of its
    /// label in the language's `[labels.fields]`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Parent => "parent",
            Field::Kind => "kind",
            Field::ShortName => "short_name",
            Field::Status => "status",
            Field::MandatePublished => "mandate_published",
            Field::Secretariat => "secretariat",
            Field::Established => "established",
            Field::Approved => "approved",
            Field::ApprovedBy => "approved_by",
            Field::Revised => "revised",
            Field::Ends => "ends",
            Field::Ended => "ended",
            Field::CaseRef => "case_ref",
            Field::Term => "term",
            Field::LegalBasis => "legal_basis",
            Field::Contact => "contact",
            Field::Replaces => "replaces",
            Field::Purpose => "purpose",
            Field::Meetings => "meetings",
            Field::Task => "task",
            Field::Competence => "competence",
            Field::Seat => "seat",
            Field::Chair => "chair",
            Field::Relation => "relation",
            Field::Url => "url",
            Field::Member => "member",
            Field::Alias => "alias",
            Field::FormerName => "former_name",
            Field::Text => "text",
        }
    }
}

/// What happened to a field.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    /// Text with a word diff in `words`.
    Edited,
    /// The entity has another place in the hierarchy.
    Moved,
}

impl Change {
    /// The key of its label in the language's `[labels.changes]`.
    pub fn key(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Edited => "edited",
            Change::Moved => "moved",
        }
    }
}

/// An old or new value, as data: ids with the title they had in their version.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Value {
    Text {
        text: String,
    },
    Flag {
        value: bool,
    },
    Date {
        date: Date,
    },
    Status {
        status: Status,
    },
    Entity(EntityRef),
    /// Where an entity sits: its ancestors from the root down; empty at the top level.
    Place {
        path: Vec<EntityRef>,
    },
    Seat {
        /// `None` for a seat held in personal capacity.
        from: Option<EntityRef>,
        #[serde(serialize_with = "count_range")]
        count: Count,
        each: bool,
        role: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        person: Vec<PersonRef>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Who holds a seat, when nothing else about it changed: "chair: A → B".
    People {
        person: Vec<PersonRef>,
    },
    Relation {
        relation: String,
        to: EntityRef,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

/// A count as numbers, `{ "min": 2, "max": 3 }`, so tools need not parse "2-3".
fn count_range<S: serde::Serializer>(count: &Count, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut range = s.serialize_struct("Count", 2)?;
    range.serialize_field("min", &count.min)?;
    range.serialize_field("max", &count.max)?;
    range.end()
}

/// A seat's holder: a person with a file (`id`), or a name as written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntityRef {
    pub id: String,
    pub title: String,
}

impl Value {
    fn text(text: &str) -> Value {
        Value::Text { text: text.to_owned() }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Word {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

impl Detail {
    fn new(field: Field, change: Change, old: Option<Value>, new: Option<Value>) -> Detail {
        Detail { field, change, section: None, old, new, words: Vec::new() }
    }

    fn edited(field: Field, old: &str, new: &str) -> Detail {
        Detail {
            words: word_diff(old, new),
            ..Detail::new(field, Change::Edited, Some(Value::text(old)), Some(Value::text(new)))
        }
    }
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

/// Compares two versions of the content. Both must have validated without errors.
pub fn compare(from_label: &str, old: &Content, to_label: &str, new: &Content) -> Report {
    let (old_graph, new_graph) =
        (OrgGraph::build(old, &Mentions::none(old)), OrgGraph::build(new, &Mentions::none(new)));
    let old_side = Side { graph: &old_graph };
    let new_side = Side { graph: &new_graph };
    let renames = find_renames(old, new);
    let ids = Ids { renames: &renames };
    let renamed_to: HashSet<&str> = renames.values().map(String::as_str).collect();
    let sides = (&old_side, &new_side);
    let mut entities = Vec::new();
    let bodies = |a: &Body, b: &Body| compare_bodies(a, b, &old_side, &new_side, &ids);
    compare_all(EntityKind::Body, &old.bodies, &new.bodies, sides, &ids, &renamed_to, bodies, &mut entities);
    let organisations =
        |a: &Organisation, b: &Organisation| compare_organisations(a, b, &old_side, &new_side, &ids);
    compare_all(
        EntityKind::Organisation,
        &old.organisations,
        &new.organisations,
        sides,
        &ids,
        &renamed_to,
        organisations,
        &mut entities,
    );

    entities.sort_by(|a, b| {
        (a.kind, a.change, a.title.to_lowercase(), &a.id).cmp(&(
            b.kind,
            b.change,
            b.title.to_lowercase(),
            &b.id,
        ))
    });
    let mut summary = Counts::default();
    for e in &entities {
        match e.change {
            ChangeKind::Added => summary.added += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Renamed => summary.renamed += 1,
            ChangeKind::Changed => summary.changed += 1,
        }
    }
    Report { from: from_label.to_owned(), to: to_label.to_owned(), summary, entities }
}

/// What diffing needs of a body or an organisation.
trait Named {
    fn id(&self) -> &str;
    fn title(&self) -> &str;
    fn markdown(&self) -> &str;
    fn parent(&self) -> Option<&str>;
    fn kind(&self) -> Option<&String>;
    fn short_name(&self) -> Option<&String>;
    fn aliases(&self) -> Vec<String>;
}

/// Bodies and organisations keep these fields under the same names.
macro_rules! named {
    ($($entity:ty),*) => {$(
        impl Named for $entity {
            fn id(&self) -> &str {
                &self.id
            }
            fn title(&self) -> &str {
                self.meta.title.get_ref()
            }
            fn markdown(&self) -> &str {
                self.text.markdown()
            }
            fn parent(&self) -> Option<&str> {
                self.meta.parent.as_ref().map(|p| p.get_ref().as_str())
            }
            fn kind(&self) -> Option<&String> {
                self.meta.kind.as_ref()
            }
            fn short_name(&self) -> Option<&String> {
                self.meta.short_name.as_ref()
            }
            fn aliases(&self) -> Vec<String> {
                self.meta.aliases.iter().map(|a| a.get_ref().clone()).collect()
            }
        }
    )*};
}

named!(Body, Organisation);

/// Added, removed, renamed and changed entities of one kind.
#[allow(clippy::too_many_arguments)]
fn compare_all<E: Named>(
    kind: EntityKind,
    old: &[E],
    new: &[E],
    (old_side, new_side): (&Side, &Side),
    ids: &Ids,
    renamed_to: &HashSet<&str>,
    details: impl Fn(&E, &E) -> Vec<Detail>,
    out: &mut Vec<EntityChange>,
) {
    let new_by_id: HashMap<&str, &E> = new.iter().map(|e| (e.id(), e)).collect();
    let old_ids: HashSet<&str> = old.iter().map(|e| e.id()).collect();
    let change = |change, entity: &E, old_id: Option<String>, path: Vec<String>, details| EntityChange {
        change,
        kind,
        id: entity.id().to_owned(),
        old_id,
        title: entity.title().to_owned(),
        path,
        details,
    };
    for a in old {
        match new_by_id.get(ids.map(a.id())) {
            Some(b) => {
                let found = details(a, b);
                let renamed = b.id() != a.id();
                if renamed || !found.is_empty() {
                    let kind = if renamed { ChangeKind::Renamed } else { ChangeKind::Changed };
                    out.push(change(
                        kind,
                        b,
                        renamed.then(|| a.id().to_owned()),
                        new_side.path(b.id()),
                        found,
                    ));
                }
            }
            None => out.push(change(ChangeKind::Removed, a, None, old_side.path(a.id()), Vec::new())),
        }
    }
    for b in new.iter().filter(|b| !old_ids.contains(b.id()) && !renamed_to.contains(b.id())) {
        out.push(change(ChangeKind::Added, b, None, new_side.path(b.id()), Vec::new()));
    }
}

/// A version of the organisation, for looking up titles and paths.
struct Side<'g, 'c> {
    graph: &'g OrgGraph<'c>,
}

impl Side<'_, '_> {
    fn entity(&self, id: &str) -> EntityRef {
        let title = self.graph.find(id).map_or_else(|| id.to_owned(), |n| self.graph.title(n).to_owned());
        EntityRef { id: id.to_owned(), title }
    }

    fn people(&self, seat: &Seat) -> Vec<PersonRef> {
        seat.person
            .iter()
            .map(|p| match self.graph.person(p.get_ref()) {
                Some(person) => {
                    PersonRef { id: Some(person.id.clone()), name: person.meta.name.get_ref().clone() }
                }
                None => PersonRef { id: None, name: p.get_ref().clone() },
            })
            .collect()
    }

    /// Titles from the root down to the parent.
    fn path(&self, id: &str) -> Vec<String> {
        self.place(id).into_iter().map(|e| e.title).collect()
    }

    /// The ancestors from the root down to the parent.
    fn place(&self, id: &str) -> Vec<EntityRef> {
        let Some(n) = self.graph.find(id) else { return Vec::new() };
        let mut path: Vec<EntityRef> = self
            .graph
            .ancestors(n)
            .into_iter()
            .map(|a| EntityRef { id: self.graph.id(a).to_owned(), title: self.graph.title(a).to_owned() })
            .collect();
        path.reverse();
        path
    }
}

/// Ids of the older version translated into the newer one, across renames.
struct Ids<'r> {
    renames: &'r HashMap<String, String>,
}

impl Ids<'_> {
    fn map<'a>(&'a self, old: &'a str) -> &'a str {
        self.renames.get(old).map_or(old, String::as_str)
    }
}

/// An entity whose id (file) changed: gone from the old version, new in the newer one,
/// and either the same title or the same text.
fn find_renames(old: &Content, new: &Content) -> HashMap<String, String> {
    let mut renames = HashMap::new();
    renames_of(&old.bodies, &new.bodies, &mut renames);
    renames_of(&old.organisations, &new.organisations, &mut renames);
    renames
}

fn renames_of<E: Named>(old: &[E], new: &[E], renames: &mut HashMap<String, String>) {
    let old_ids: HashSet<&str> = old.iter().map(|e| e.id()).collect();
    let new_ids: HashSet<&str> = new.iter().map(|e| e.id()).collect();
    let same = |a: &E, b: &E| {
        a.title().eq_ignore_ascii_case(b.title())
            || (!a.markdown().trim().is_empty() && a.markdown().trim() == b.markdown().trim())
    };
    let mut taken = HashSet::new();
    for a in old.iter().filter(|a| !new_ids.contains(a.id())) {
        if let Some(b) =
            new.iter().find(|b| !old_ids.contains(b.id()) && !taken.contains(b.id()) && same(a, b))
        {
            taken.insert(b.id());
            renames.insert(a.id().to_owned(), b.id().to_owned());
        }
    }
}

/// A field with one value: added, removed or changed.
fn scalar(out: &mut Vec<Detail>, field: Field, old: Option<Value>, new: Option<Value>) {
    let change = match (&old, &new) {
        (None, None) => return,
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Removed,
        (Some(o), Some(n)) if o != n => Change::Changed,
        _ => return,
    };
    out.push(Detail::new(field, change, old, new));
}

fn text(value: Option<&String>) -> Option<Value> {
    value.map(|t| Value::text(t))
}

fn date(value: Option<Date>) -> Option<Value> {
    value.map(|date| Value::Date { date })
}

/// Long free text: an edit shows the words that changed.
fn prose(out: &mut Vec<Detail>, field: Field, old: Option<&String>, new: Option<&String>) {
    match (old, new) {
        (Some(o), Some(n)) if o != n => out.push(Detail::edited(field, o, n)),
        (o, n) => scalar(out, field, text(o), text(n)),
    }
}

/// A list whose members have no identity of their own (aliases, replaces): added and removed.
fn set(out: &mut Vec<Detail>, field: Field, old: &[Value], new: &[Value]) {
    for o in old.iter().filter(|o| !new.contains(o)) {
        out.push(Detail::new(field, Change::Removed, Some(o.clone()), None));
    }
    for n in new.iter().filter(|n| !old.contains(n)) {
        out.push(Detail::new(field, Change::Added, None, Some(n.clone())));
    }
}

/// A reference to another entity, compared across renames: the old id is translated
/// before comparing, and each side is titled from its own version.
fn reference(
    out: &mut Vec<Detail>,
    field: Field,
    old: Option<&Spanned<String>>,
    new: Option<&Spanned<String>>,
    (old_side, new_side): (&Side, &Side),
    ids: &Ids,
) {
    if old.map(|r| ids.map(r.get_ref())) != new.map(|r| r.get_ref().as_str()) {
        let entity =
            |side: &Side, r: Option<&Spanned<String>>| r.map(|r| Value::Entity(side.entity(r.get_ref())));
        scalar(out, field, entity(old_side, old), entity(new_side, new));
    }
}

/// Entities listed by id (replaces, group members), titled from the newer version.
fn references(
    out: &mut Vec<Detail>,
    field: Field,
    old: &[Spanned<String>],
    new: &[Spanned<String>],
    side: &Side,
    ids: &Ids,
) {
    let values = |list: &[Spanned<String>], map: bool| -> Vec<Value> {
        list.iter()
            .map(|r| Value::Entity(side.entity(if map { ids.map(r.get_ref()) } else { r.get_ref() })))
            .collect()
    };
    set(out, field, &values(old, true), &values(new, false));
}

fn compare_parent(
    out: &mut Vec<Detail>,
    old_id: &str,
    new_id: &str,
    old_parent: Option<&str>,
    new_parent: Option<&str>,
    (old_side, new_side): (&Side, &Side),
    ids: &Ids,
) {
    if old_parent.map(|p| ids.map(p)) != new_parent {
        out.push(Detail::new(
            Field::Parent,
            Change::Moved,
            Some(Value::Place { path: old_side.place(old_id) }),
            Some(Value::Place { path: new_side.place(new_id) }),
        ));
    }
}

/// What bodies and organisations share: title, place, kind, short name.
fn compare_identity<E: Named>(out: &mut Vec<Detail>, a: &E, b: &E, sides: (&Side, &Side), ids: &Ids) {
    scalar(out, Field::Title, Some(Value::text(a.title())), Some(Value::text(b.title())));
    compare_parent(out, a.id(), b.id(), a.parent(), b.parent(), sides, ids);
    scalar(out, Field::Kind, text(a.kind()), text(b.kind()));
    scalar(out, Field::ShortName, text(a.short_name()), text(b.short_name()));
}

/// … and other names and the text, which come last.
fn compare_names_and_text<E: Named>(out: &mut Vec<Detail>, a: &E, b: &E) {
    let aliases = |e: &E| e.aliases().iter().map(|t| Value::text(t)).collect::<Vec<_>>();
    set(out, Field::Alias, &aliases(a), &aliases(b));
    compare_text(out, a.markdown(), b.markdown());
}

fn compare_bodies(a: &Body, b: &Body, old: &Side, new: &Side, ids: &Ids) -> Vec<Detail> {
    let (ma, mb) = (&a.meta, &b.meta);
    let mut out = Vec::new();
    compare_identity(&mut out, a, b, (old, new), ids);
    let status = |s: Status| Some(Value::Status { status: s });
    scalar(&mut out, Field::Status, status(ma.status), status(mb.status));
    let flag = |value: bool| Some(Value::Flag { value });
    scalar(&mut out, Field::MandatePublished, flag(ma.mandate_published), flag(mb.mandate_published));
    reference(
        &mut out,
        Field::Secretariat,
        ma.secretariat.as_ref(),
        mb.secretariat.as_ref(),
        (old, new),
        ids,
    );
    scalar(&mut out, Field::Established, date(ma.established), date(mb.established));
    scalar(&mut out, Field::Approved, date(ma.approved), date(mb.approved));
    reference(&mut out, Field::ApprovedBy, ma.approved_by.as_ref(), mb.approved_by.as_ref(), (old, new), ids);
    scalar(&mut out, Field::Revised, date(ma.revised), date(mb.revised));
    let spanned = |d: &Option<Spanned<Date>>| date(d.as_ref().map(|d| *d.get_ref()));
    scalar(&mut out, Field::Ends, spanned(&ma.ends), spanned(&mb.ends));
    scalar(&mut out, Field::Ended, spanned(&ma.ended), spanned(&mb.ended));
    scalar(&mut out, Field::CaseRef, text(ma.case_ref.as_ref()), text(mb.case_ref.as_ref()));
    prose(&mut out, Field::Term, ma.term.as_ref(), mb.term.as_ref());
    let basis = |l: &Option<crate::model::LegalBasis>| {
        l.as_ref().map(|l| {
            Value::text(
                &[Some(l.text.as_str()), l.url.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" – "),
            )
        })
    };
    scalar(&mut out, Field::LegalBasis, basis(&ma.legal_basis), basis(&mb.legal_basis));
    let contact = |c: &Option<crate::model::Contact>| {
        c.as_ref().map(|c| {
            let parts = [c.name.as_deref(), c.email.as_deref(), c.phone.as_deref(), c.url.as_deref()];
            Value::text(&parts.into_iter().flatten().collect::<Vec<_>>().join(", "))
        })
    };
    scalar(&mut out, Field::Contact, contact(&ma.contact), contact(&mb.contact));
    references(&mut out, Field::Replaces, &ma.replaces, &mb.replaces, new, ids);
    prose(&mut out, Field::Purpose, ma.purpose.as_ref(), mb.purpose.as_ref());
    prose(&mut out, Field::Meetings, ma.meetings.as_ref(), mb.meetings.as_ref());
    let former = |m: &crate::model::BodyMeta| {
        m.former_names.iter().map(|f| Value::text(f.title.get_ref())).collect::<Vec<_>>()
    };
    set(&mut out, Field::FormerName, &former(ma), &former(mb));
    compare_items(&mut out, Field::Task, &ma.tasks, &mb.tasks);
    compare_items(&mut out, Field::Competence, &ma.competences, &mb.competences);
    compare_seats(&mut out, &ma.members, &mb.members, (old, new), ids);
    compare_relations(&mut out, a, b, (old, new), ids);
    compare_names_and_text(&mut out, a, b);
    out
}

fn compare_organisations(
    a: &Organisation,
    b: &Organisation,
    old: &Side,
    new: &Side,
    ids: &Ids,
) -> Vec<Detail> {
    let (ma, mb) = (&a.meta, &b.meta);
    let mut out = Vec::new();
    compare_identity(&mut out, a, b, (old, new), ids);
    let url = |u: &Option<crate::model::WebUrl>| u.as_deref().map(Value::text);
    scalar(&mut out, Field::Url, url(&ma.url), url(&mb.url));
    references(&mut out, Field::Member, &ma.members, &mb.members, new, ids);
    compare_names_and_text(&mut out, a, b);
    out
}

/// Items in order, nested ones after their parent.
fn flatten(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        out.push(item.text.clone());
        flatten(&item.items, out);
    }
}

/// Aligns two lists of items; a removed item next to an added one that is much alike is
/// an edit, shown word by word.
fn compare_items(out: &mut Vec<Detail>, field: Field, old: &[Item], new: &[Item]) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten(old, &mut a);
    flatten(new, &mut b);
    if a == b {
        return;
    }
    let removed = |t: &String| Detail::new(field, Change::Removed, Some(Value::text(t)), None);
    let added = |t: &String| Detail::new(field, Change::Added, None, Some(Value::text(t)));
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    for op in diff {
        let (gone, came) = match op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Delete { old_index, old_len, .. } => {
                (&a[old_index..old_index + old_len], &b[0..0])
            }
            similar::DiffOp::Insert { new_index, new_len, .. } => {
                (&a[0..0], &b[new_index..new_index + new_len])
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (&a[old_index..old_index + old_len], &b[new_index..new_index + new_len])
            }
        };
        let paired = gone.len().min(came.len());
        for (o, n) in gone.iter().zip(came) {
            if similarity(o, n) >= 0.5 {
                out.push(Detail::edited(field, o, n));
            } else {
                out.push(removed(o));
                out.push(added(n));
            }
        }
        out.extend(gone[paired..].iter().map(removed));
        out.extend(came[paired..].iter().map(added));
    }
}

fn similarity(a: &str, b: &str) -> f32 {
    TextDiff::from_words(a, b).ratio()
}

/// Roles whose seats are reported as `chair`, a change a reviewer looks for first.
pub const CHAIR_ROLES: &[&str] = &["chair", "co-chair", "vice-chair"];

fn seat_value(seat: &Seat, side: &Side, from_id: Option<&str>) -> Value {
    Value::Seat {
        from: from_id.map(|id| side.entity(id)),
        count: seat.count,
        each: seat.each,
        role: seat.role().to_owned(),
        person: side.people(seat),
        note: seat.note.clone(),
    }
}

fn from_id(seat: &Seat) -> Option<&str> {
    seat.from.as_ref().map(|f| f.get_ref().as_str())
}

/// Seats are matched by where they come from and their role; a seat held in personal
/// capacity by its role and position.
fn compare_seats(out: &mut Vec<Detail>, old: &[Seat], new: &[Seat], sides: (&Side, &Side), ids: &Ids) {
    let (old_side, new_side) = sides;
    let key = |s: &Seat, map: bool| {
        let from = from_id(s).map(|from| (if map { ids.map(from) } else { from }).to_owned());
        (from, s.role().to_owned(), s.position.clone())
    };
    let mut unmatched_new: Vec<&Seat> = new.iter().collect();
    let field = |s: &Seat| if CHAIR_ROLES.contains(&s.role()) { Field::Chair } else { Field::Seat };
    for s in old {
        let k = key(s, true);
        match unmatched_new.iter().position(|n| key(n, false) == k) {
            Some(pos) => {
                let n = unmatched_new.remove(pos);
                // Both titled from the newer version, so a renamed organisation alone is no change.
                let (before, after) =
                    (seat_value(s, new_side, k.0.as_deref()), seat_value(n, new_side, from_id(n)));
                // Who holds a seat is compared as people, from each side's files: a
                // new chair is the change, not the seat it sits in.
                let (old_people, new_people) = (old_side.people(s), new_side.people(n));
                let same_seat = Seat { person: n.person.clone(), ..s.clone() };
                if old_people != new_people && seat_value(&same_seat, new_side, k.0.as_deref()) == after {
                    out.push(Detail::new(
                        field(n),
                        Change::Changed,
                        Some(Value::People { person: old_people }),
                        Some(Value::People { person: new_people }),
                    ));
                } else if before != after {
                    out.push(Detail::new(field(n), Change::Changed, Some(before), Some(after)));
                }
            }
            None => out.push(Detail::new(
                field(s),
                Change::Removed,
                Some(seat_value(s, old_side, from_id(s))),
                None,
            )),
        }
    }
    for n in unmatched_new {
        out.push(Detail::new(field(n), Change::Added, None, Some(seat_value(n, new_side, from_id(n)))));
    }
}

fn compare_relations(out: &mut Vec<Detail>, a: &Body, b: &Body, sides: (&Side, &Side), ids: &Ids) {
    let (old_side, new_side) = sides;
    let value = |side: &Side, r: &crate::model::Relation, to: &str| Value::Relation {
        relation: r.kind.get_ref().clone(),
        to: side.entity(to),
        note: r.note.clone(),
    };
    let mut unmatched: Vec<&crate::model::Relation> = b.meta.relations.iter().collect();
    for r in &a.meta.relations {
        let to = ids.map(r.to.get_ref());
        match unmatched.iter().position(|n| n.kind.get_ref() == r.kind.get_ref() && n.to.get_ref() == to) {
            Some(pos) => {
                let n = unmatched.remove(pos);
                if n.note != r.note {
                    out.push(Detail::new(
                        Field::Relation,
                        Change::Changed,
                        Some(value(new_side, r, to)),
                        Some(value(new_side, n, n.to.get_ref())),
                    ));
                }
            }
            None => out.push(Detail::new(
                Field::Relation,
                Change::Removed,
                Some(value(old_side, r, r.to.get_ref())),
                None,
            )),
        }
    }
    for n in unmatched {
        out.push(Detail::new(Field::Relation, Change::Added, None, Some(value(new_side, n, n.to.get_ref()))));
    }
}

/// The Markdown split into sections by heading: heading text → section text. Text before
/// the first heading is the section "".
fn sections(markdown: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        if !in_code && trimmed.starts_with('#') {
            let heading = trimmed.trim_start_matches('#');
            if heading.is_empty() || heading.starts_with(' ') {
                current = heading.trim().to_owned();
                out.entry(current.clone()).or_default();
                continue;
            }
        }
        let section = out.entry(current.clone()).or_default();
        section.push_str(line);
        section.push('\n');
    }
    out.retain(|heading, text| !heading.is_empty() || !text.trim().is_empty());
    out
}

fn compare_text(out: &mut Vec<Detail>, old: &str, new: &str) {
    if old.trim() == new.trim() {
        return;
    }
    let (a, b) = (sections(old), sections(new));
    let with_section = |mut d: Detail, heading: &str| {
        d.section = Some(heading.to_owned());
        d
    };
    for (heading, text) in &a {
        match b.get(heading) {
            None => out.push(with_section(
                Detail::new(Field::Text, Change::Removed, Some(Value::text(&excerpt(text))), None),
                heading,
            )),
            Some(t) if t.trim() != text.trim() => {
                let mut d = Detail::new(Field::Text, Change::Edited, None, None);
                d.words = word_diff(text.trim(), t.trim());
                out.push(with_section(d, heading));
            }
            Some(_) => {}
        }
    }
    for (heading, text) in b.iter().filter(|(h, _)| !a.contains_key(*h)) {
        out.push(with_section(
            Detail::new(Field::Text, Change::Added, None, Some(Value::text(&excerpt(text)))),
            heading,
        ));
    }
}

/// The first words of a section, for added and removed sections.
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 30 { words.join(" ") } else { format!("{} …", words[..30].join(" ")) }
}

/// Words kept in context around a change.
const CONTEXT: usize = 6;

/// Word-level changes from `old` to `new`, with long unchanged stretches shortened.
pub fn word_diff(old: &str, new: &str) -> Vec<Word> {
    let diff = TextDiff::from_words(old, new);
    let mut runs: Vec<Word> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Equal,
            ChangeTag::Delete => WordOp::Delete,
            ChangeTag::Insert => WordOp::Insert,
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(Word { op, text: change.value().to_owned() }),
        }
    }
    let mut runs = coalesce(runs);
    let count = runs.len();
    for (i, run) in runs.iter_mut().enumerate() {
        if run.op != WordOp::Equal {
            continue;
        }
        let words: Vec<&str> = run.text.split_whitespace().collect();
        let (first, last) = (i == 0, i + 1 == count);
        let keep = if first || last { CONTEXT } else { 2 * CONTEXT };
        if words.len() <= keep {
            continue;
        }
        let lead = if run.text.starts_with(char::is_whitespace) { " " } else { "" };
        let trail = if run.text.ends_with(char::is_whitespace) { " " } else { "" };
        run.text = if first {
            format!("… {}{trail}", words[words.len() - CONTEXT..].join(" "))
        } else if last {
            format!("{lead}{} …", words[..CONTEXT].join(" "))
        } else {
            format!(
                "{lead}{} … {}{trail}",
                words[..CONTEXT].join(" "),
                words[words.len() - CONTEXT..].join(" ")
            )
        };
    }
    runs
}

/// Joins changes separated only by spaces, so "[-ad hoc-]{+efter behov+}" reads as one
/// replacement instead of two.
fn coalesce(runs: Vec<Word>) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut Vec<Word>, deleted: &mut String, inserted: &mut String| {
        // Both buffers end in the same spaces; take them from one that has words.
        let words = if deleted.trim().is_empty() { &*inserted } else { &*deleted };
        let space = words[words.trim_end().len()..].to_owned();
        let (d, i) = (deleted.trim_end().to_owned(), inserted.trim_end().to_owned());
        if !d.is_empty() {
            out.push(Word { op: WordOp::Delete, text: d });
        }
        if !i.is_empty() {
            out.push(Word { op: WordOp::Insert, text: i });
        }
        if !space.is_empty() && (!deleted.trim().is_empty() || !inserted.trim().is_empty()) {
            out.push(Word { op: WordOp::Equal, text: space });
        }
        deleted.clear();
        inserted.clear();
    };
    for run in runs {
        match run.op {
            WordOp::Delete => deleted.push_str(&run.text),
            WordOp::Insert => inserted.push_str(&run.text),
            WordOp::Equal if run.text.trim().is_empty() && (!deleted.is_empty() || !inserted.is_empty()) => {
                deleted.push_str(&run.text);
                inserted.push_str(&run.text);
            }
            WordOp::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                match out.last_mut() {
                    Some(last) if last.op == WordOp::Equal => last.text.push_str(&run.text),
                    _ => out.push(run),
                }
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_split_by_spaces_read_as_one() {
        let words = word_diff("møder ad hoc. Der", "møder efter behov. Der");
        let ops: Vec<_> = words.iter().map(|w| (w.op, w.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (WordOp::Equal, "møder "),
                (WordOp::Delete, "ad hoc."),
                (WordOp::Insert, "efter behov."),
                (WordOp::Equal, " Der")
            ]
        );
    }

    #[test]
    fn word_diffs_keep_context_short() {
        let old = "one two three four five six seven eight nine ten eleven twelve thirteen";
        let new = "one two three four five six seven eight nine TEN eleven twelve thirteen";
        let words = word_diff(old, new);
        let shown: String = words
            .iter()
            .map(|w| match w.op {
                WordOp::Equal => w.text.clone(),
                WordOp::Delete => format!("[-{}-]", w.text),
                WordOp::Insert => format!("{{+{}+}}", w.text),
            })
            .collect();
        assert_eq!(shown, "… four five six seven eight nine [-ten-]{+TEN+} eleven twelve thirteen");
    }

    #[test]
    fn sections_split_at_headings_outside_code() {
        let s = sections("Intro\n\n## A\ntext a\n```\n# not a heading\n```\n## B\ntext b\n");
        assert_eq!(s.keys().collect::<Vec<_>>(), ["", "A", "B"]);
        assert!(s["A"].contains("# not a heading"));
    }
}
