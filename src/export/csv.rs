//! `/data/*.csv`: one table per kind of thing, for spreadsheets. UTF-8 with a header row;
//! quoting of commas, quotes and line breaks is the `csv` crate's. Lists inside a cell
//! (a seat's people) are joined with "; ".

use std::io::Write;

use super::{DataFile, Source};
use crate::error::Error;
use crate::graph::{Edge, NodeId};
use crate::model::{Count, Date};
use crate::render::strings::Vocabulary;

pub const TABLES: &[DataFile] = &[
    DataFile { name: "bodies.csv", write: bodies },
    DataFile { name: "organisations.csv", write: organisations },
    DataFile { name: "seats.csv", write: seats },
    DataFile { name: "people.csv", write: people },
    DataFile { name: "relations.csv", write: relations },
];

fn table<const N: usize>(
    name: &str,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(header).map_err(|e| super::io(name, e))?;
    for row in rows {
        w.write_record(&row).map_err(|e| super::io(name, e))?;
    }
    w.flush().map_err(|e| super::io(name, e))
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_owned()
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn max(c: Count) -> String {
    c.max.map(|m| m.to_string()).unwrap_or_default()
}

fn sorted_nodes<'s>(source: &'s Source, bodies: bool) -> impl Iterator<Item = NodeId> + 's {
    source.nodes.iter().copied().filter(move |&n| source.graph.is_body(n) == bodies)
}

fn bodies(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let header = [
        "id",
        "title",
        "short_name",
        "kind",
        "status",
        "parent_id",
        "parent_title",
        "secretariat_id",
        "established",
        "approved",
        "ends",
        "ended",
        "seats",
        "members_min",
        "members_max",
        "url",
    ];
    let rows = sorted_nodes(source, true).filter_map(|n| {
        let b = g.body(n)?;
        let m = &b.meta;
        let parent = g.parent(n);
        let total = m.members.iter().map(|s| s.count).reduce(Count::plus);
        Some([
            b.id.clone(),
            m.title.get_ref().clone(),
            opt(m.short_name.as_deref()),
            opt(m.kind.as_deref()),
            m.status_shown().as_str().to_owned(),
            opt(parent.map(|p| g.id(p))),
            opt(parent.map(|p| g.title(p))),
            opt(m.secretariat.as_ref().map(|s| s.get_ref().as_str())),
            date(m.established),
            date(m.approved),
            date(m.ends.as_ref().map(|d| *d.get_ref())),
            date(m.ended.as_ref().map(|d| *d.get_ref())),
            m.members.len().to_string(),
            total.map(|t| t.min.to_string()).unwrap_or_default(),
            total.map(max).unwrap_or_default(),
            source.entity_url(n),
        ])
    });
    table("bodies.csv", header, rows, out)
}

fn organisations(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let header =
        ["id", "title", "short_name", "kind", "parent_id", "parent_title", "members", "website", "url"];
    let rows = sorted_nodes(source, false).filter_map(|n| {
        let o = g.organisation(n)?;
        let m = &o.meta;
        let parent = g.parent(n);
        Some([
            o.id.clone(),
            m.title.get_ref().clone(),
            opt(m.short_name.as_deref()),
            opt(m.kind.as_deref()),
            opt(parent.map(|p| g.id(p))),
            opt(parent.map(|p| g.title(p))),
            m.members.iter().map(|x| x.get_ref().as_str()).collect::<Vec<_>>().join("; "),
            opt(m.url.as_deref()),
            source.entity_url(n),
        ])
    });
    table("organisations.csv", header, rows, out)
}

fn seats(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let header = [
        "body_id",
        "body_title",
        "seat",
        "from_id",
        "from_title",
        "role",
        "count_min",
        "count_max",
        "each",
        "capacity",
        "position",
        "nominated_by_id",
        "deputies",
        "people",
        "person_ids",
        "since",
        "until",
        "note",
    ];
    let rows = sorted_nodes(source, true).filter_map(|n| g.body(n)).flat_map(|b| {
        b.meta.members.iter().enumerate().map(move |(i, s)| {
            let from = s.from.as_ref().map(|f| f.get_ref().as_str());
            let people: Vec<(String, Option<&str>)> = s
                .person
                .iter()
                .map(|p| match g.person(p.get_ref()) {
                    Some(person) => (person.meta.name.get_ref().clone(), Some(person.id.as_str())),
                    None => (p.get_ref().clone(), None),
                })
                .collect();
            [
                b.id.clone(),
                b.meta.title.get_ref().clone(),
                (i + 1).to_string(),
                opt(from),
                opt(from.and_then(|f| g.find(f)).map(|f| g.title(f))),
                source.strings.label(Vocabulary::Roles, s.role()),
                s.count.min.to_string(),
                max(s.count),
                s.each.to_string(),
                s.capacity.as_str().to_owned(),
                opt(s.position.as_deref()),
                opt(s.nominated_by.as_ref().map(|x| x.get_ref().as_str())),
                s.deputies.map(|d| d.to_string()).unwrap_or_default(),
                people.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join("; "),
                people.iter().filter_map(|(_, id)| *id).collect::<Vec<_>>().join("; "),
                date(s.since),
                date(s.until),
                opt(s.note.as_deref()),
            ]
        })
    });
    table("seats.csv", header, rows, out)
}

fn people(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let header = ["id", "name", "title", "organisation_id", "party", "seats", "body_ids", "website", "url"];
    let rows = g.content().people.iter().enumerate().map(|(index, p)| {
        let m = &p.meta;
        let held = g.seats_held(index);
        let mut bodies: Vec<&str> = held.iter().map(|s| g.id(s.body)).collect();
        bodies.sort_unstable();
        bodies.dedup();
        [
            p.id.clone(),
            m.name.get_ref().clone(),
            opt(m.title.as_deref()),
            opt(m.organisation.as_ref().map(|o| o.get_ref().as_str())),
            opt(m.party.as_deref()),
            held.len().to_string(),
            bodies.join("; "),
            opt(m.url.as_deref()),
            source.person_url(&p.id),
        ]
    });
    table("people.csv", header, rows, out)
}

/// Every stated edge: parent, secretariat, approved by, replaces, seat, relation, group
/// member. `label` is a relation's type or a seat's role.
fn relations(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let header = ["from_id", "from_title", "type", "label", "to_id", "to_title", "note"];
    let rows = source.edges.iter().copied().map(|(from, to, edge)| {
        let body = g.body(from);
        let (relation, note) = match edge {
            Edge::Relation(i) => {
                body.and_then(|b| b.meta.relations.get(i)).map_or((String::new(), String::new()), |r| {
                    (r.kind.get_ref().clone(), opt(r.note.as_deref()))
                })
            }
            Edge::Seat(i) => {
                body.and_then(|b| b.meta.members.get(i)).map_or((String::new(), String::new()), |s| {
                    (source.strings.label(Vocabulary::Roles, s.role()), opt(s.note.as_deref()))
                })
            }
            _ => (String::new(), String::new()),
        };
        [
            g.id(from).to_owned(),
            g.title(from).to_owned(),
            edge.kind().to_owned(),
            relation,
            g.id(to).to_owned(),
            g.title(to).to_owned(),
            note,
        ]
    });
    table("relations.csv", header, rows, out)
}
