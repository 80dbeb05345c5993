//! The content model: what a site's files say, as plain data.
//!
//! The structs mirror the front-matter contract in the README one to one, and reject
//! unknown keys, so a typo such as `parnet` is an error instead of a silently lost
//! parent. Values that name other entities are [`Spanned`] so that validation can point
//! at the exact place of a broken reference.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
pub use toml::Spanned;

use crate::diagnostic::FileId;
use crate::links::WikiLink;

/// Everything read from `content/`, sorted by id so every later stage is deterministic.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub bodies: Vec<Body>,
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    /// Files under `content/files/`, as paths relative to it (`/`-separated, sorted):
    /// what a document's `url` may name, and what `build` copies to `/files/`.
    pub attachments: Vec<String>,
}

/// What an entity is; also which folder under `content/` its file lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Body,
    Organisation,
    Person,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Body, EntityKind::Organisation, EntityKind::Person];

    /// The folder under `content/`, which is also the URL segment of its pages.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Body => "bodies",
            EntityKind::Organisation => "organisations",
            EntityKind::Person => "people",
        }
    }
}

impl Content {
    /// The content without its people: no person file, and no seat naming anyone. What
    /// a site that does not publish people renders, so no later stage can let a name
    /// slip out.
    pub fn without_people(mut self) -> Content {
        self.people.clear();
        for body in &mut self.bodies {
            for seat in &mut body.meta.members {
                seat.person.clear();
            }
        }
        self
    }

    /// Every text keeps its Markdown alone ([`Text::detach`]).
    pub fn detach_texts(&mut self) {
        use rayon::prelude::*;
        self.bodies.par_iter_mut().for_each(|b| b.text.detach());
        self.organisations.par_iter_mut().for_each(|o| o.text.detach());
        self.people.par_iter_mut().for_each(|p| p.text.detach());
    }

    /// Every body and organisation, bodies first, as what they have in common: for the
    /// code that treats both kinds alike (names, references, titles). People are not
    /// among them: their names are not auto-linked, and a seat names them, not a parent.
    pub fn entities(&self) -> impl Iterator<Item = Entity<'_>> {
        let bodies = self.bodies.iter().map(|b| Entity {
            kind: EntityKind::Body,
            id: &b.id,
            file: b.file,
            title: &b.meta.title,
            short_name: b.meta.short_name.as_deref(),
            kind_word: b.meta.kind.as_deref(),
            parent: b.meta.parent.as_ref(),
            aliases: &b.meta.aliases,
            former_names: &b.meta.former_names,
            text: &b.text,
        });
        let organisations = self.organisations.iter().map(|o| Entity {
            kind: EntityKind::Organisation,
            id: &o.id,
            file: o.file,
            title: &o.meta.title,
            short_name: o.meta.short_name.as_deref(),
            kind_word: o.meta.kind.as_deref(),
            parent: o.meta.parent.as_ref(),
            aliases: &o.meta.aliases,
            former_names: &[],
            text: &o.text,
        });
        bodies.chain(organisations)
    }
}

/// What bodies and organisations share, borrowed from either.
#[derive(Debug, Clone, Copy)]
pub struct Entity<'c> {
    pub kind: EntityKind,
    pub id: &'c str,
    pub file: FileId,
    pub title: &'c Spanned<String>,
    pub short_name: Option<&'c str>,
    /// The `kind` key: committee, municipality …
    pub kind_word: Option<&'c str>,
    pub parent: Option<&'c Spanned<String>>,
    pub aliases: &'c [Spanned<String>],
    pub former_names: &'c [FormerName],
    pub text: &'c Text,
}

impl<'c> Entity<'c> {
    /// Every name it goes or went by: title, aliases, former names.
    pub fn names(&self) -> impl Iterator<Item = &'c Spanned<String>> {
        std::iter::once(self.title).chain(self.aliases).chain(self.former_names.iter().map(|f| &f.title))
    }
}

/// A name a body had before, and until when.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormerName {
    pub title: Spanned<String>,
    pub until: Option<Date>,
}

/// A committee, board, group, forum … : one kommissorium.
#[derive(Debug, Clone)]
pub struct Body {
    /// The file stem, e.g. `koordinationsgruppen`.
    pub id: String,
    /// The file's path from the site root, `/`-separated: `content/bodies/x.md`.
    pub path: String,
    pub file: FileId,
    pub meta: BodyMeta,
    pub text: Text,
}

/// The Markdown part of a content file.
///
/// It is the end of the file's text, which it shares with [`Sources`] rather than copying
/// while problems may still be shown in the file: the texts are most of a site's memory.
///
/// [`Sources`]: crate::diagnostic::Sources
#[derive(Debug, Clone, Default)]
pub struct Text {
    /// The file's text, or only the Markdown once [`Text::detach`]ed.
    shared: std::sync::Arc<str>,
    /// Where the Markdown starts in `shared`.
    at: usize,
    /// Byte offset of the Markdown in the file, so spans of links found in it can be shown.
    pub start: usize,
    /// The `[[id]]` links in the Markdown, spans relative to it.
    pub links: Vec<WikiLink>,
}

impl Text {
    /// The Markdown from byte `start` of `file` to its end.
    pub fn in_file(file: std::sync::Arc<str>, start: usize) -> Text {
        let links = crate::links::wiki_links(&file[start..]);
        Text { shared: file, at: start, start, links }
    }

    /// Markdown that is not part of a file (a draft, a test).
    pub fn new(markdown: &str) -> Text {
        Text::in_file(markdown.into(), 0)
    }

    pub fn markdown(&self) -> &str {
        &self.shared[self.at..]
    }

    /// Keeps a copy of the Markdown alone, so that the file's text goes when the
    /// [`Sources`](crate::diagnostic::Sources) that shared it do: the front matter is most
    /// of a file, and a build needs only the model made from it.
    pub fn detach(&mut self) {
        if self.at > 0 {
            self.shared = self.markdown().into();
            self.at = 0;
        }
    }
}

/// A member organisation: a region, municipality, association, hospital, group ….
#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    /// As [`Body::path`].
    pub path: String,
    pub file: FileId,
    pub meta: OrganisationMeta,
    pub text: Text,
}

/// A named person who holds seats: `content/people/<id>.md`.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    /// As [`Body::path`].
    pub path: String,
    pub file: FileId,
    pub meta: PersonMeta,
    pub text: Text,
}

/// Front matter of a person.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonMeta {
    pub name: Spanned<String>,
    /// Job title or position: "Byrådsmedlem".
    pub title: Option<String>,
    /// The body or organisation the person belongs to.
    pub organisation: Option<Spanned<String>>,
    pub party: Option<String>,
    pub url: Option<WebUrl>,
    /// Shown on the person's page only when written here.
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Front matter of a body.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BodyMeta {
    pub title: Spanned<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub status: Status,
    /// False for bodies whose kommissorium is not published: their page is a short stub.
    #[serde(default = "default_true")]
    pub mandate_published: bool,
    pub established: Option<Date>,
    pub approved: Option<Date>,
    pub approved_by: Option<Spanned<String>>,
    /// The date of the current text, where the kommissorium is dated but not approved.
    pub revised: Option<Date>,
    /// The planned end of a time-limited body ("nedsat til …").
    pub ends: Option<Spanned<Date>>,
    /// When it stopped: for dissolved, concluded and superseded bodies.
    pub ended: Option<Spanned<Date>>,
    /// The secretariat's case or journal number.
    pub case_ref: Option<String>,
    /// The members' term of office, as the mandate words it.
    pub term: Option<String>,
    /// Names it had before: searched, auto-linked and shown as "former name".
    #[serde(default)]
    pub former_names: Vec<FormerName>,
    /// The law or decision the body rests on: text, or `{ text = "…", url = "https://…" }`.
    pub legal_basis: Option<LegalBasis>,
    /// Whom to ask about the body.
    pub contact: Option<Contact>,
    #[serde(default)]
    pub replaces: Vec<Spanned<String>>,
    pub secretariat: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub purpose: Option<String>,
    #[serde(default)]
    pub tasks: Vec<Item>,
    #[serde(default)]
    pub competences: Vec<Item>,
    pub meetings: Option<String>,
    #[serde(default)]
    pub members: Vec<Seat>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Tillægskommissorier and revisions, in the timeline.
    #[serde(default)]
    pub amendments: Vec<Amendment>,
    /// What the body must deliver, and when.
    #[serde(default)]
    pub deliverables: Vec<Deliverable>,
    /// The kommissorium as a PDF, rules of procedure, reports, minutes ….
    #[serde(default)]
    pub documents: Vec<Document>,
}

/// A document about a body: on the web, or a file under `content/files/`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: String,
    /// `https://…`, or a path relative to `content/files/` (checked by validate, which
    /// knows the files).
    pub url: Spanned<String>,
    pub kind: DocumentKind,
    pub date: Option<Date>,
}

impl Document {
    /// The web address, when `url` is one rather than a file of the site.
    pub fn web_url(&self) -> Option<&str> {
        let url = self.url.get_ref();
        (url.starts_with("https://") || url.starts_with("http://")).then_some(url.as_str())
    }

    /// The path under `content/files/` (and `/files/`) when `url` names a file of the
    /// site: written from `content/files/`, with or without a leading `files/`.
    pub fn file(&self) -> Option<&str> {
        if self.web_url().is_some() {
            return None;
        }
        let url = self.url.get_ref().trim_start_matches('/');
        Some(url.strip_prefix("files/").unwrap_or(url))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    Kommissorium,
    RulesOfProcedure,
    Minutes,
    Report,
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Kommissorium => "kommissorium",
            DocumentKind::RulesOfProcedure => "rules-of-procedure",
            DocumentKind::Minutes => "minutes",
            DocumentKind::Report => "report",
            DocumentKind::Other => "other",
        }
    }
}

/// A change to a mandate after it was approved.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub date: Date,
    /// The body or organisation that decided it.
    pub by: Option<Spanned<String>>,
    pub summary: String,
    pub url: Option<WebUrl>,
}

/// A report, proposal or other result a body owes, with its deadline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    pub title: String,
    pub due: Option<Date>,
    pub delivered: Option<Spanned<Date>>,
    pub url: Option<WebUrl>,
}

fn default_true() -> bool {
    true
}

/// Front matter of an organisation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationMeta {
    pub title: Spanned<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub parent: Option<Spanned<String>>,
    /// Who is in a group organisation (kind `group`), e.g. the 22 municipalities.
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
    pub url: Option<WebUrl>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Active,
    Draft,
    Dissolved,
    Superseded,
    /// Finished its work as planned: a time-limited body.
    Concluded,
}

impl Status {
    /// Bodies that no longer meet.
    pub fn is_ended(self) -> bool {
        matches!(self, Status::Dissolved | Status::Superseded | Status::Concluded)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Draft => "draft",
            Status::Dissolved => "dissolved",
            Status::Superseded => "superseded",
            Status::Concluded => "concluded",
        }
    }
}

impl BodyMeta {
    /// The status readers see: a body with an `ended` date is over even where its
    /// `status` was not updated (`check` warns), so it is never shown as active.
    pub fn status_shown(&self) -> Status {
        match self.status {
            Status::Active | Status::Draft if self.ended.is_some() => Status::Concluded,
            status => status,
        }
    }
}

/// The law or decision a body rests on ("§ 17, stk. 4 i lov om kommunernes styrelse").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalBasis {
    pub text: String,
    pub url: Option<WebUrl>,
}

impl<'de> Deserialize<'de> for LegalBasis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Linked {
            text: String,
            url: Option<WebUrl>,
        }
        // Written by hand: an untagged enum would say only "did not match any variant".
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LegalBasis;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a table { text = \"…\", url = \"https://…\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LegalBasis, E> {
                Ok(LegalBasis { text: v.to_owned(), url: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LegalBasis, A::Error> {
                let linked = Linked::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LegalBasis { text: linked.text, url: linked.url })
            }
        }
        d.deserialize_any(V)
    }
}

/// Whom to ask about a body; every part optional.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<WebUrl>,
}

/// A seat (or several) in a body's composition.
///
/// Read through [`SeatKeys`], so that the rules between a seat's own keys (a personal
/// seat needs no `from`, an ex-officio seat needs a `position` …) are reported at the
/// seat, like any other problem of its file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(try_from = "SeatKeys")]
pub struct Seat {
    /// The organisation or body the seat holders come from: whom the seat represents.
    /// Only a seat held in personal capacity may leave it out.
    pub from: Option<Spanned<String>>,
    pub count: Count,
    /// `count` is per member of the group organisation `from` ("2 from each municipality").
    pub each: bool,
    pub role: Option<Spanned<String>>,
    pub capacity: Capacity,
    /// The post that holds the seat (ex officio), or the holder's position.
    pub position: Option<String>,
    /// Who nominates the holder ("efter indstilling fra"): a body or organisation id.
    pub nominated_by: Option<Spanned<String>>,
    /// Deputies (suppleanter) per seat.
    pub deputies: Option<Count>,
    /// Who holds the seat: ids of people, or names as written; one per filled seat.
    /// Each carries the span of the whole `person` value.
    pub person: Vec<Spanned<String>>,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub note: Option<String>,
}

/// In what capacity a seat is held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capacity {
    /// On behalf of `from`.
    #[default]
    Representative,
    /// In the holder's own right (i personlig egenskab).
    Personal,
    /// By virtue of a post (født medlem).
    ExOfficio,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Representative => "representative",
            Capacity::Personal => "personal",
            Capacity::ExOfficio => "ex-officio",
        }
    }
}

/// A seat's keys as written, before the rules between them are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeatKeys {
    from: Option<Spanned<String>>,
    #[serde(default)]
    count: Count,
    #[serde(default)]
    each: bool,
    role: Option<Spanned<String>>,
    #[serde(default)]
    capacity: Capacity,
    position: Option<String>,
    nominated_by: Option<Spanned<String>>,
    deputies: Option<Count>,
    person: Option<Spanned<OneOrMany>>,
    since: Option<Date>,
    until: Option<Date>,
    note: Option<String>,
}

impl TryFrom<SeatKeys> for Seat {
    type Error = String;

    fn try_from(k: SeatKeys) -> Result<Seat, String> {
        if k.from.is_none() && k.capacity != Capacity::Personal {
            return Err("a seat needs `from` (whom it represents), or `capacity = \"personal\"` \
                        for a member in personal capacity"
                .to_owned());
        }
        if k.capacity == Capacity::ExOfficio && k.position.is_none() {
            return Err("an ex-officio seat needs `position`: the post that holds it, e.g. \
                        `position = \"prodekan for forskning\"`"
                .to_owned());
        }
        if let (Some(since), Some(until)) = (k.since, k.until)
            && until < since
        {
            return Err(format!(
                "`until = {until}` is before `since = {since}`: the term ends before it starts"
            ));
        }
        let person: Vec<Spanned<String>> = k
            .person
            .map(|p| {
                let span = p.span();
                p.into_inner().0.into_iter().map(|name| Spanned::new(span.clone(), name)).collect()
            })
            .unwrap_or_default();
        // With `each`, the count is per member of a group this file cannot see.
        if let Some(max) = k.count.max
            && !k.each
            && person.len() > max as usize
        {
            return Err(format!(
                "{} people are named for {} seat{}: `person` lists one per filled seat",
                person.len(),
                k.count,
                if max == 1 { "" } else { "s" }
            ));
        }
        Ok(Seat {
            from: k.from,
            count: k.count,
            each: k.each,
            role: k.role,
            capacity: k.capacity,
            position: k.position,
            nominated_by: k.nominated_by,
            deputies: k.deputies,
            person,
            since: k.since,
            until: k.until,
            note: k.note,
        })
    }
}

/// `person = "x"` or `person = ["x", "y"]`.
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a person's id or name, or a list of them: [\"id\", \"Name\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(OneOrMany(all))
            }
        }
        d.deserialize_any(V)
    }
}

impl Seat {
    pub const DEFAULT_ROLE: &'static str = "member";

    pub fn role(&self) -> &str {
        self.role.as_ref().map_or(Self::DEFAULT_ROLE, |r| r.get_ref())
    }
}

/// Roles with a known meaning; others are allowed but warned about as likely typos.
pub const KNOWN_ROLES: &[&str] =
    &["member", "chair", "vice-chair", "co-chair", "secretary", "observer", "participant"];

/// An address a published link may lead to: `https://` or `http://` and a host. Anything
/// else (`javascript:`, `data:`, a typo without a scheme) would be a link that runs code
/// or leads nowhere, so it is refused where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(text: &str) -> Result<WebUrl, String> {
        let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
        let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        let clean = !text.chars().any(|c| c.is_whitespace() || c.is_control());
        match host {
            Some(host) if !host.is_empty() && clean => Ok(WebUrl(text.to_owned())),
            _ => {
                Err(format!("`{text}` is not a web address: expected one starting with https:// or http://"))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for WebUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        WebUrl::parse(&text).map_err(de::Error::custom)
    }
}

/// Words secretariats write for the contract's words, in Danish and English: `check`
/// names the contract's word instead of guessing a spelling ("formand" → `chair`).
pub const SYNONYMS: &[(&str, &str)] = &[
    ("formand", "chair"),
    ("forperson", "chair"),
    ("formandskab", "chair"),
    ("chairman", "chair"),
    ("chairperson", "chair"),
    ("chairwoman", "chair"),
    ("næstformand", "vice-chair"),
    ("naestformand", "vice-chair"),
    ("vice chair", "vice-chair"),
    ("vicechair", "vice-chair"),
    ("deputy chair", "vice-chair"),
    ("medformand", "co-chair"),
    ("cochair", "co-chair"),
    ("medlem", "member"),
    ("sekretær", "secretary"),
    ("sekretaer", "secretary"),
    ("observatør", "observer"),
    ("observatoer", "observer"),
    ("deltager", "participant"),
    ("aktiv", "active"),
    ("igangværende", "active"),
    ("nedlagt", "dissolved"),
    ("ophørt", "dissolved"),
    ("closed", "dissolved"),
    ("afløst", "superseded"),
    ("erstattet", "superseded"),
    ("replaced", "superseded"),
    ("udkast", "draft"),
    ("afsluttet", "concluded"),
    ("finished", "concluded"),
    ("kladde", "draft"),
    ("deltager-i", "participates-in"),
    ("refererer-til", "reports-to"),
    ("rådgiver", "advises"),
    ("koordinerer-med", "coordinates-with"),
    ("understøtter", "supports"),
    ("bidrager-til", "contributes-to"),
    ("nedsat-af", "established-by"),
    ("følger", "follows"),
];

/// A typed edge from a body to another body or organisation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub to: Spanned<String>,
    pub note: Option<String>,
}

/// Relation types with a known meaning; others are allowed but warned about.
pub const KNOWN_RELATIONS: &[&str] = &[
    "participates-in",
    "reports-to",
    "advises",
    "coordinates-with",
    "sends-members-to",
    "supports",
    "contributes-to",
    "established-by",
    "follows",
];

/// How many seats: exactly `min` when `min == max`, a range, or at least `min` when
/// `max` is `None` ("1+": "one or more").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Count {
    pub min: u32,
    pub max: Option<u32>,
}

impl Default for Count {
    fn default() -> Self {
        Count { min: 1, max: Some(1) }
    }
}

impl Count {
    pub const EXPECTED: &'static str = "\"N\", \"N-M\" or \"N+\", e.g. \"2\", \"2-3\" or \"1+\"";

    /// Parses `"N"`, `"N-M"` with `0 <= N <= M` and `M >= 1`, or `"N+"` with `N >= 1`.
    pub fn parse(text: &str) -> Result<Count, String> {
        let number = |s: &str| {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{text}` is not a count: expected {}", Count::EXPECTED));
            }
            s.parse::<u32>().map_err(|_| format!("`{s}` is too large for a count"))
        };
        if let Some(at_least) = text.strip_suffix('+') {
            let min = number(at_least)?;
            if min == 0 {
                return Err(format!(
                    "count `{text}` is zero or more: a seat needs at least one place (write \"1+\")"
                ));
            }
            return Ok(Count { min, max: None });
        }
        let (min, max) = match text.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(text)?;
                (n, n)
            }
        };
        if min > max {
            return Err(format!(
                "count range `{text}` goes backwards: the first number must not exceed the second"
            ));
        }
        if max == 0 {
            return Err(format!(
                "count `{text}` is zero: a seat needs at least one place (use a range like \"0-2\" for optional seats)"
            ));
        }
        Ok(Count { min, max: Some(max) })
    }

    /// The sum of two counts: seats of a whole body.
    pub fn plus(self, other: Count) -> Count {
        Count { min: self.min + other.min, max: self.max.zip(other.max).map(|(a, b)| a + b) }
    }

    /// `n` times the count: a seat given to each of `n` members of a group.
    pub fn times(self, n: u32) -> Count {
        Count { min: self.min * n, max: self.max.map(|m| m * n) }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            None => write!(f, "{}+", self.min),
            Some(max) if max == self.min => write!(f, "{max}"),
            Some(max) => write!(f, "{}-{max}", self.min),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a count: {}", Count::EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                Count::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Count::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Count {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date as precise as the source says: a day (a TOML date, `2019-09-19`), or a month or
/// a year alone (quoted, `"2019-12"`, `"2019"`) where a mandate says no more. Partial
/// dates sort before the full dates within them ("2019" before "2019-01-05").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    /// Only with a month.
    pub day: Option<u8>,
}

impl Date {
    /// A full date, checked against the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, String> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(format!("month {month} does not exist")),
        };
        if day == 0 || day > days {
            return Err(format!("{year:04}-{month:02} has no day {day}"));
        }
        Ok(Date { year, month: Some(month), day: Some(day) })
    }

    /// `"2019-12"` or `"2019"`: a date known to the month or the year.
    pub fn partial(text: &str) -> Result<Date, String> {
        let four_digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
        let example = "write a month as \"2019-12\" and a year as \"2019\"";
        match text.split_once('-') {
            None if four_digits(text) => {
                Ok(Date { year: text.parse().map_err(|_| example.to_owned())?, month: None, day: None })
            }
            Some((year, month))
                if four_digits(year) && month.len() == 2 && month.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let m: u8 = month.parse().map_err(|_| example.to_owned())?;
                if !(1..=12).contains(&m) {
                    return Err(format!("month {m} does not exist: {example}"));
                }
                Ok(Date { year: year.parse().map_err(|_| example.to_owned())?, month: Some(m), day: None })
            }
            _ => Err(match Date::hint(text) {
                Some(hint) => hint,
                None => format!("`{text}` is not a date: {example}, a whole date without quotes: 2019-12-05"),
            }),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl Date {
    /// How to write `text` as a date, when it is a date in another form: day first
    /// (`19-09-2019`, `19.9.2019`, `19/09/2019`) or in quotes.
    pub fn hint(text: &str) -> Option<String> {
        let text = text.trim().trim_matches('"');
        let parts: Vec<&str> = text.split(['-', '.', '/']).collect();
        let numbers: Option<Vec<u16>> = parts.iter().map(|p| p.parse().ok()).collect();
        let [a, b, c] = numbers?[..] else { return None };
        let (year, month, day) = if parts[0].len() == 4 { (a, b, c) } else { (c, b, a) };
        let date = Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()?;
        Some(if parts[0].len() == 4 && text == date.to_string() {
            format!("write the date without quotes: {date}")
        } else {
            format!("write dates as {date} (year-month-day)")
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const EXPECTED: &str =
            "a date without quotes, like 2019-09-19, or a month or year in quotes: \"2019-09\", \"2019\"";
        impl<'de> Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::partial(v)
                    .map_err(|why| E::custom(format!("`{v}` is not a date the contract reads: {why}")))
            }
            // A TOML date reaches serde as a map with one private key.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Date, A::Error> {
                let value = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (value.date, value.time, value.offset) {
                    (Some(date), None, None) => {
                        Date::new(date.year, date.month, date.day).map_err(de::Error::custom)
                    }
                    _ => {
                        Err(de::Error::custom(format!("`{value}` is not a plain date: expected {EXPECTED}")))
                    }
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A task or competence: a sentence, optionally with nested sub-items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Written by hand: an untagged enum would turn every mistake into the unhelpful
        // "data did not match any variant".
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or a table { text = \"…\", items = [\"…\"] }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
                Ok(Item { text: v.to_owned(), items: Vec::new() })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let (mut text, mut items) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" if text.is_none() => text = Some(map.next_value()?),
                        "items" if items.is_none() => items = Some(map.next_value()?),
                        "text" | "items" => {
                            return Err(de::Error::custom(format!("duplicate key `{key}`")));
                        }
                        other => return Err(de::Error::unknown_field(other, &["text", "items"])),
                    }
                }
                Ok(Item {
                    text: text.ok_or_else(|| de::Error::missing_field("text"))?,
                    items: items.unwrap_or_default(),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Item, A::Error> {
                Err(de::Error::custom(
                    "a list inside a list: write nested items as { text = \"…\", items = [\"…\"] }",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detached_text_keeps_its_markdown_links_and_place_in_the_file() {
        let file: std::sync::Arc<str> = "+++\ntitle = \"KG\"\n+++\nSee [[dak]].\n".into();
        let mut text = Text::in_file(file.clone(), 21);
        assert_eq!(text.markdown(), "See [[dak]].\n");
        assert_eq!(std::sync::Arc::strong_count(&file), 2, "shared, not copied");
        text.detach();
        assert_eq!(std::sync::Arc::strong_count(&file), 1, "the file's text is no longer held");
        assert_eq!((text.markdown(), text.start), ("See [[dak]].\n", 21));
        assert_eq!(text.links[0].target, "dak");
    }

    #[test]
    fn web_addresses_are_http_or_https_with_a_host() {
        assert!(WebUrl::parse("https://example.org/a?b#c").is_ok());
        assert!(WebUrl::parse("http://example.org").is_ok());
        for bad in [
            "javascript:alert(1)",
            "javascript:alert(1)//",
            "example.org",
            "https://",
            "data:text/html,x",
            "https://a b",
            "ftp://x",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(Count::parse("2"), Ok(Count { min: 2, max: Some(2) }));
        assert_eq!(Count::parse("2-3"), Ok(Count { min: 2, max: Some(3) }));
        assert_eq!(Count::parse("0-9"), Ok(Count { min: 0, max: Some(9) }));
        assert_eq!(Count::parse("1+"), Ok(Count { min: 1, max: None }));
        assert_eq!(Count::parse("1+").unwrap().to_string(), "1+");
        let total = Count::parse("2").unwrap().plus(Count::parse("3-4").unwrap());
        assert_eq!(total.to_string(), "5-6");
        assert_eq!(total.plus(Count::parse("1+").unwrap()).to_string(), "6+");
        assert_eq!(Count::parse("1-2").unwrap().times(3).to_string(), "3-6");
        for bad in ["3-2", "0", "two", "", "-1", "1-", "1-2-3", " 2", "0+", "+", "1++", "1-2+"] {
            assert!(Count::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Count::parse("2-3").unwrap().to_string(), "2-3");
        assert_eq!(Count::parse("4").unwrap().to_string(), "4");
    }

    #[test]
    fn dates_in_other_forms_get_a_hint() {
        assert_eq!(Date::hint("19-09-2019").unwrap(), "write dates as 2019-09-19 (year-month-day)");
        assert_eq!(Date::hint("19.9.2019").unwrap(), "write dates as 2019-09-19 (year-month-day)");
        assert_eq!(Date::hint("\"2019-09-19\"").unwrap(), "write the date without quotes: 2019-09-19");
        assert_eq!(Date::hint("31-02-2019"), None);
        assert_eq!(Date::hint("soon"), None);
    }

    #[test]
    fn dates_check_the_calendar() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2023, 13, 1).is_err());
        assert!(Date::new(2023, 4, 31).is_err());
        assert_eq!(Date::new(2019, 9, 19).unwrap().to_string(), "2019-09-19");
    }

    #[test]
    fn partial_dates_read_write_and_sort() {
        assert_eq!(Date::partial("2019-12").unwrap().to_string(), "2019-12");
        assert_eq!(Date::partial("2019").unwrap().to_string(), "2019");
        assert!(Date::partial("2019").unwrap() < Date::partial("2019-01").unwrap());
        assert!(Date::partial("2019-12").unwrap() < Date::new(2019, 12, 5).unwrap());
        assert!(Date::new(2019, 11, 30).unwrap() < Date::partial("2019-12").unwrap());
        assert!(Date::partial("2019-13").unwrap_err().contains("month 13 does not exist"));
        assert_eq!(Date::partial("19-12-2019").unwrap_err(), "write dates as 2019-12-19 (year-month-day)");
        assert!(Date::partial("december").unwrap_err().contains("\"2019-12\""));
    }

    #[test]
    fn items_nest() {
        #[derive(Deserialize)]
        struct T {
            tasks: Vec<Item>,
        }
        let t: T =
            toml::from_str(r#"tasks = ["a", { text = "b", items = ["c", { text = "d", items = ["e"] }] }]"#)
                .unwrap();
        assert_eq!(t.tasks[0].text, "a");
        assert_eq!(t.tasks[1].items[1].items[0].text, "e");
        let err = toml::from_str::<T>(r#"tasks = [{ txt = "b" }]"#).err().unwrap();
        assert!(err.message().contains("unknown field `txt`"), "{}", err.message());
    }
}
