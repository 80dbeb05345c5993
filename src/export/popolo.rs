//! `/data/popolo.json`: the organisation in the Popolo open-government vocabulary
//! (<https://www.popoloproject.com/specs/>).
//!
//! Bodies and organisations are `organizations`, each seat a `post` of its body, and
//! `memberships` say who fills a post: the organisation it represents (a `member` of type
//! Organization) and each named person (`person_id`, or a `member` with the name as written
//! when the person has no file). What Popolo has no field for sits under the key
//! `mandat` of the object (documented in the README): the seat's count, capacity, deputies
//! and nomination, a body's status, a person's party.

use std::io::Write;

use serde::Serialize;

use super::Source;
use crate::error::Error;
use crate::graph::NodeId;
use crate::model::{Capacity, Count, Date, Seat};
use crate::render::strings::Vocabulary;

/// The document; each field a [`Streamed`] array.
#[derive(Serialize)]
struct Popolo<O, P, M, Q> {
    organizations: O,
    posts: P,
    memberships: M,
    persons: Q,
}

/// An array written from an iterator as it goes: at 10,000 bodies the document holds
/// some 175,000 objects, which built all at once took more memory than its 40 MB of JSON.
struct Streamed<F>(F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item: Serialize>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct Organization<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_names: Vec<OtherName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    classification: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contact_details: Vec<ContactDetail<'a>>,
    links: Vec<Link>,
    mandat: OrganizationExtra<'a>,
}

#[derive(Serialize)]
struct OrganizationExtra<'a> {
    /// `body` or `organisation`.
    entity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secretariat_id: Option<&'a str>,
}

#[derive(Serialize)]
struct OtherName<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    /// `short name`, `alias` or `former name`.
    note: &'static str,
}

#[derive(Serialize)]
struct Link {
    url: String,
    note: String,
}

#[derive(Serialize)]
struct ContactDetail<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

#[derive(Serialize)]
struct Post<'a> {
    id: String,
    label: String,
    role: String,
    organization_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    mandat: PostExtra<'a>,
}

#[derive(Serialize)]
struct PostExtra<'a> {
    /// The contract's role: `chair`, `member` ….
    role: &'a str,
    /// Whom the seat represents; absent for a seat in personal capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_behalf_of_id: Option<&'a str>,
    count: CountJson,
    /// The count is per member of the group `on_behalf_of_id`; absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    each: bool,
    /// Absent for the default, `representative`.
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nominated_by_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deputies: Option<CountJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// `{ "min": 2, "max": 3 }`; `max` is null for "at least".
#[derive(Serialize)]
struct CountJson {
    min: u32,
    max: Option<u32>,
}

impl From<Count> for CountJson {
    fn from(c: Count) -> Self {
        CountJson { min: c.min, max: c.max }
    }
}

#[derive(Serialize)]
struct Membership<'a> {
    id: String,
    role: String,
    organization_id: &'a str,
    post_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    person_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Option<Member<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_behalf_of_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
}

#[derive(Serialize)]
struct Member<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Person<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contact_details: Vec<ContactDetail<'a>>,
    links: Vec<Link>,
    mandat: PersonExtra<'a>,
}

#[derive(Serialize)]
struct PersonExtra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    party: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<&'a str>,
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub fn write(source: &Source, out: &mut dyn Write) -> Result<(), Error> {
    let g = source.graph;
    let seats = || {
        source.nodes.iter().filter_map(|&n| g.body(n)).flat_map(|body| {
            body.meta.members.iter().enumerate().map(move |(i, seat)| (post(source, &body.id, i, seat), seat))
        })
    };
    let people = &g.content().people;
    let doc = Popolo {
        organizations: Streamed(|| source.nodes.iter().map(|&n| organization(source, n))),
        posts: Streamed(|| seats().map(|(post, _)| post)),
        memberships: Streamed(|| seats().flat_map(|(post, seat)| seat_memberships(g, &post, seat))),
        persons: Streamed(|| people.iter().map(|p| person(source, p))),
    };
    let error = |e: &dyn std::fmt::Display| super::io("popolo.json", e);
    // serde_json writes a token at a time: into a buffer of a known type, not through a
    // call on `dyn Write` for each of the millions of tokens.
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer(&mut buffered, &doc).map_err(|e| error(&e))?;
    buffered.write_all(b"\n").and_then(|()| buffered.flush()).map_err(|e| error(&e))
}

fn person<'a>(source: &Source<'_, 'a>, p: &'a crate::model::Person) -> Person<'a> {
    let m = &p.meta;
    Person {
        id: &p.id,
        name: m.name.get_ref(),
        summary: m.title.as_deref(),
        email: m.email.as_deref(),
        contact_details: m
            .phone
            .iter()
            .map(|phone| ContactDetail { kind: "voice", value: phone, label: None })
            .collect(),
        links: std::iter::once(Link { url: source.person_url(&p.id), note: "page".into() })
            .chain(m.url.iter().map(|u| Link { url: u.as_str().to_owned(), note: "website".into() }))
            .collect(),
        mandat: PersonExtra {
            party: m.party.as_deref(),
            organization_id: m.organisation.as_ref().map(|o| o.get_ref().as_str()),
        },
    }
}

fn organization<'a>(source: &Source<'_, 'a>, n: NodeId) -> Organization<'a> {
    let g = source.graph;
    let entity = |short: &'a Option<String>, aliases: &'a [crate::model::Spanned<String>]| {
        short
            .iter()
            .map(|s| OtherName { name: s, end_date: None, note: "short name" })
            .chain(aliases.iter().map(|a| OtherName { name: a.get_ref(), end_date: None, note: "alias" }))
            .collect::<Vec<_>>()
    };
    let contact = |c: &'a Option<crate::model::Contact>| {
        let Some(c) = c else { return Vec::new() };
        let kinds = [("email", c.email.as_deref()), ("voice", c.phone.as_deref()), ("url", c.url.as_deref())];
        kinds
            .into_iter()
            .filter_map(|(kind, value)| {
                value.map(|value| ContactDetail { kind, value, label: c.name.as_deref() })
            })
            .collect()
    };
    let mut links = vec![Link { url: source.entity_url(n), note: "page".into() }];
    let parent_id = g.parent(n).map(|p| g.id(p));
    match (g.body(n), g.organisation(n)) {
        (Some(b), _) => {
            let m = &b.meta;
            let mut other_names = entity(&m.short_name, &m.aliases);
            other_names.extend(m.former_names.iter().map(|f| OtherName {
                name: f.title.get_ref(),
                end_date: date(f.until),
                note: "former name",
            }));
            links.extend(
                m.documents.iter().map(|d| Link { url: source.document_url(d), note: d.title.clone() }),
            );
            Organization {
                id: &b.id,
                name: m.title.get_ref(),
                other_names,
                classification: m.kind.as_deref(),
                parent_id,
                founding_date: date(m.established),
                dissolution_date: date(m.ended.as_ref().map(|d| *d.get_ref())),
                contact_details: contact(&m.contact),
                links,
                mandat: OrganizationExtra {
                    entity: "body",
                    status: Some(m.status_shown().as_str()),
                    secretariat_id: m.secretariat.as_ref().map(|s| s.get_ref().as_str()),
                },
            }
        }
        (None, Some(o)) => {
            let m = &o.meta;
            links.extend(m.url.iter().map(|u| Link { url: u.as_str().to_owned(), note: "website".into() }));
            Organization {
                id: &o.id,
                name: m.title.get_ref(),
                other_names: entity(&m.short_name, &m.aliases),
                classification: m.kind.as_deref(),
                parent_id,
                founding_date: None,
                dissolution_date: None,
                contact_details: contact(&m.contact),
                links,
                mandat: OrganizationExtra { entity: "organisation", status: None, secretariat_id: None },
            }
        }
        (None, None) => unreachable!("every node is a body or an organisation"),
    }
}

fn post<'a>(source: &Source<'_, 'a>, body: &'a str, index: usize, seat: &'a Seat) -> Post<'a> {
    let g = source.graph;
    let role = source.strings.label(Vocabulary::Roles, seat.role());
    let from = seat.from.as_ref().map(|f| f.get_ref().as_str());
    let whom = match from.and_then(|f| g.find(f)) {
        Some(f) => g.title(f).to_owned(),
        None => source.strings.label(Vocabulary::Capacities, seat.capacity.as_str()),
    };
    Post {
        id: format!("{body}/seat-{}", index + 1),
        label: format!("{role}, {whom}"),
        role,
        organization_id: body,
        start_date: None,
        end_date: None,
        mandat: PostExtra {
            role: seat.role(),
            on_behalf_of_id: from,
            count: seat.count.into(),
            each: seat.each,
            capacity: (seat.capacity != Capacity::Representative).then(|| seat.capacity.as_str()),
            position: seat.position.as_deref(),
            nominated_by_id: seat.nominated_by.as_ref().map(|n| n.get_ref().as_str()),
            deputies: seat.deputies.map(CountJson::from),
            note: seat.note.as_deref(),
        },
    }
}

/// Who fills a post: the organisation it represents, and each named person.
fn seat_memberships<'a>(
    g: &crate::graph::OrgGraph<'a>,
    post: &Post<'a>,
    seat: &'a Seat,
) -> Vec<Membership<'a>> {
    let body = post.organization_id;
    let from = seat.from.as_ref().map(|f| f.get_ref().as_str());
    let mut out = Vec::new();
    if let Some(from) = from.filter(|_| seat.capacity != Capacity::Personal) {
        out.push(Membership {
            id: format!("{}/organization", post.id),
            role: post.role.clone(),
            organization_id: body,
            post_id: post.id.clone(),
            person_id: None,
            member: Some(Member { kind: "Organization", id: Some(from), name: None }),
            on_behalf_of_id: None,
            start_date: None,
            end_date: None,
        });
    }
    for (k, entry) in seat.person.iter().enumerate() {
        let person = g.person(entry.get_ref());
        out.push(Membership {
            id: format!("{}/person-{}", post.id, k + 1),
            role: post.role.clone(),
            organization_id: body,
            post_id: post.id.clone(),
            person_id: person.map(|p| p.id.as_str()),
            member: match person {
                Some(_) => None,
                None => Some(Member { kind: "Person", id: None, name: Some(entry.get_ref()) }),
            },
            on_behalf_of_id: from,
            start_date: date(seat.since),
            end_date: date(seat.until),
        });
    }
    out
}
