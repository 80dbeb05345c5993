//! Rules that span files: ids unique, every reference resolves, no parent cycles, and
//! warnings for combinations that are legal but probably wrong.
//!
//! Runs on whatever the parse stage could read, and collects every problem instead of
//! stopping at the first. Later stages (graph, render) may rely on a content set that
//! passed without errors: every reference resolves and parents form a forest.

use std::collections::HashSet;
use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::{Diagnostic, FileId, did_you_mean};
use crate::model::EntityKind;
use crate::model::{Content, KNOWN_RELATIONS, KNOWN_ROLES, SYNONYMS, Spanned, Status, Text};

/// Levels of the hierarchy at most. Pages show the whole path to the top and diagrams
/// every level above a body, so a much deeper chain is certainly a mistake, and one that
/// would make every page of it huge.
pub const MAX_DEPTH: usize = 100;

/// What a reference may point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Any,
    Body,
    Organisation,
    Person,
}

/// The facts about an entity that cross-file rules need.
#[derive(Debug, Clone)]
struct Entry<'c> {
    kind: EntityKind,
    file: FileId,
    title: &'c str,
    title_span: Range<usize>,
    status: Status,
    is_group: bool,
    parent: Option<&'c Spanned<String>>,
}

/// Checks `content`. `unreadable` holds ids of files that exist but failed to parse:
/// references to them are not errors of their own.
pub fn validate(content: &Content, unreadable: &HashSet<String>) -> Vec<Diagnostic> {
    let entities = content.bodies.len() + content.organisations.len() + content.people.len();
    let entries = HashMap::with_capacity_and_hasher(entities, Default::default());
    let mut v = Validator { entries, unreadable, diagnostics: Vec::new() };
    v.index(content);
    v.check_titles(content);
    v.check_references(content);
    v.check_cycles();
    v.check_suspicious(content);
    v.diagnostics
}

struct Validator<'c> {
    entries: HashMap<&'c str, Entry<'c>>,
    unreadable: &'c HashSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl<'c> Validator<'c> {
    fn index(&mut self, content: &'c Content) {
        let bodies = content.bodies.iter().map(|b| {
            (
                b.id.as_str(),
                Entry {
                    kind: EntityKind::Body,
                    file: b.file,
                    title: b.meta.title.get_ref(),
                    title_span: b.meta.title.span(),
                    status: b.meta.status,
                    is_group: false,
                    parent: b.meta.parent.as_ref(),
                },
            )
        });
        let organisations = content.organisations.iter().map(|o| {
            (
                o.id.as_str(),
                Entry {
                    kind: EntityKind::Organisation,
                    file: o.file,
                    title: o.meta.title.get_ref(),
                    title_span: o.meta.title.span(),
                    status: Status::Active,
                    is_group: o.meta.kind.as_deref() == Some("group") || !o.meta.members.is_empty(),
                    parent: o.meta.parent.as_ref(),
                },
            )
        });
        let people = content.people.iter().map(|p| {
            (
                p.id.as_str(),
                Entry {
                    kind: EntityKind::Person,
                    file: p.file,
                    title: p.meta.name.get_ref(),
                    title_span: p.meta.name.span(),
                    status: Status::Active,
                    is_group: false,
                    parent: None,
                },
            )
        });
        for (id, entry) in bodies.chain(organisations).chain(people) {
            if let Some(first) = self.entries.get(id) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        entry.file,
                        entry.title_span.clone(),
                        format!("duplicate id `{id}`"),
                    )
                    .with_label("a second file with this id")
                    .with_related(first.file, first.title_span.clone(), "first defined here")
                    .with_help(
                        "ids are unique across bodies, organisations and people: rename one of the files",
                    ),
                );
            } else {
                self.entries.insert(id, entry);
            }
        }
    }

    fn check_titles(&mut self, content: &Content) {
        for (file, title) in content.entities().map(|e| (e.file, e.title)) {
            if title.get_ref().trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::error("empty-title", file, title.span(), "the title is empty")
                        .with_label("every body and organisation needs a name")
                        .with_help("write the name as it appears in the kommissorium, e.g. `title = \"Koordinationsgruppen\"`"),
                );
            }
        }
    }

    fn check_references(&mut self, content: &'c Content) {
        for body in &content.bodies {
            let m = &body.meta;
            let f = body.file;
            if let Some(r) = &m.parent {
                self.reference(f, r, "`parent`", Expect::Any);
            }
            if let Some(r) = &m.secretariat {
                self.reference(f, r, "`secretariat`", Expect::Any);
                self.not_itself(f, &body.id, r, "its own secretariat");
            }
            if let Some(r) = &m.approved_by {
                // Approving one's own terms of reference is real: Sundhedsdirektørkredsen
                // approved its own (seed 002), so it is no mistake.
                self.reference(f, r, "`approved_by`", Expect::Any);
            }
            for r in &m.replaces {
                self.reference(f, r, "`replaces`", Expect::Body);
                self.not_itself(f, &body.id, r, "its own predecessor");
            }
            for seat in &m.members {
                if let Some(from) = &seat.from {
                    self.reference(f, from, "`members.from`", Expect::Any);
                    self.not_itself(f, &body.id, from, "a member of itself");
                }
                if let Some(by) = &seat.nominated_by {
                    self.reference(f, by, "`members.nominated_by`", Expect::Any);
                }
                for person in &seat.person {
                    // Anything that is not an id is a name, shown as written.
                    if crate::id::is_valid_id(person.get_ref()) {
                        self.reference(f, person, "`members.person`", Expect::Person);
                    }
                }
            }
            for document in &m.documents {
                self.document(f, document, &content.attachments);
            }
            for relation in &m.relations {
                self.reference(f, &relation.to, "`relations.to`", Expect::Any);
            }
            for amendment in &m.amendments {
                if let Some(by) = &amendment.by {
                    self.reference(f, by, "`amendments.by`", Expect::Any);
                }
            }
            for deliverable in &m.deliverables {
                if let (Some(delivered), Some(established)) = (&deliverable.delivered, m.established)
                    && *delivered.get_ref() < established
                {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "delivered-before-established",
                            f,
                            delivered.span(),
                            format!(
                                "delivered {} but the body was established {established}",
                                delivered.get_ref()
                            ),
                        )
                        .with_label("before the body existed")
                        .with_help("check the date, or `established`"),
                    );
                }
            }
            self.links(f, &body.text);
        }
        for org in &content.organisations {
            let m = &org.meta;
            if let Some(r) = &m.parent {
                // A secretariat may belong to a council: any entity will do.
                self.reference(org.file, r, "`parent`", Expect::Any);
            }
            for r in &m.members {
                self.reference(org.file, r, "`members`", Expect::Organisation);
                self.not_itself(org.file, &org.id, r, "a member of itself");
            }
            self.links(org.file, &org.text);
        }
        for person in &content.people {
            if let Some(r) = &person.meta.organisation {
                self.reference(person.file, r, "`organisation`", Expect::Any);
            }
            if person.meta.name.get_ref().trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::error(
                        "empty-title",
                        person.file,
                        person.meta.name.span(),
                        "the name is empty",
                    )
                    .with_label("a person's page is headed by their name")
                    .with_help("write the name as it should be shown, e.g. `name = \"Betina Svinggaard\"`"),
                );
            }
            self.links(person.file, &person.text);
        }
        self.check_group_cycles(content);
    }

    /// A reference from an entity to itself, where that makes no sense.
    fn not_itself(&mut self, file: FileId, own: &str, r: &Spanned<String>, what: &str) {
        if r.get_ref() == own {
            self.diagnostics.push(
                Diagnostic::error("self-reference", file, r.span(), format!("`{own}` is {what}"))
                    .with_label("this is the file's own id")
                    .with_help("name another body or organisation, or remove the line"),
            );
        }
    }

    /// Groups that are, through their members, members of themselves (A has B, B has A):
    /// "every municipality in the group" would never end.
    fn check_group_cycles(&mut self, content: &'c Content) {
        let groups: HashMap<&str, &crate::model::Organisation> =
            content.organisations.iter().map(|o| (o.id.as_str(), o)).collect();
        let mut done: HashSet<&str> = HashSet::new();
        for org in &content.organisations {
            // Depth first from each group, iteratively: (group, next member to look at).
            let mut path: Vec<(&str, usize)> = vec![(org.id.as_str(), 0)];
            while let Some(&mut (id, ref mut next)) = path.last_mut() {
                let Some(member) = groups.get(id).and_then(|g| g.meta.members.get(*next)) else {
                    done.insert(id);
                    path.pop();
                    continue;
                };
                *next += 1;
                let m = member.get_ref().as_str();
                if m == id || done.contains(m) || !groups.contains_key(m) {
                    continue;
                }
                let Some(pos) = path.iter().position(|(p, _)| *p == m) else {
                    path.push((m, 0));
                    continue;
                };
                // Found once: every group on it is done when the walk unwinds.
                let cycle: Vec<&str> = path[pos..].iter().map(|(p, _)| *p).collect();
                let first = groups[cycle[0]];
                let to = cycle.get(1).copied().unwrap_or(m);
                let span = first.meta.members.iter().find(|x| x.get_ref() == to).map_or(0..0, |x| x.span());
                let shown: Vec<String> = cycle.iter().chain([&m]).map(|p| format!("`{p}`")).collect();
                self.diagnostics.push(
                    Diagnostic::error(
                        "group-cycle",
                        first.file,
                        span,
                        format!("groups that are members of each other: {}", shown.join(" → ")),
                    )
                    .with_label("this member leads back to the group")
                    .with_help("a group's members are its parts: remove one of the memberships"),
                );
            }
        }
    }

    fn links(&mut self, file: FileId, text: &Text) {
        for link in &text.links {
            let span = text.start + link.target_span.start..text.start + link.target_span.end;
            let target = Spanned::new(span, link.target.clone());
            self.reference(file, &target, "the link", Expect::Any);
        }
    }

    /// Checks that `r` names an entity of the expected kind; `key` says where, for messages.
    /// A document's `url`: a web address, or a file under `content/files/`.
    fn document(&mut self, file: FileId, document: &crate::model::Document, attachments: &[String]) {
        let url = document.url.get_ref();
        let Some(path) = document.file() else {
            if let Err(why) = crate::model::WebUrl::parse(url) {
                self.diagnostics.push(
                    Diagnostic::error("bad-document-url", file, document.url.span(), why)
                        .with_label("not a web address"),
                );
            }
            return;
        };
        if attachments.binary_search_by(|a| a.as_str().cmp(path)).is_ok() {
            return;
        }
        let help = match did_you_mean(path, attachments.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None if url.contains(':') => "links to other sites start with https:// or http://".to_owned(),
            None => "put the file in `content/files/` and write its path from there, e.g. \
                     `url = \"kommissorium.pdf\"`, or give a web address starting with https://"
                .to_owned(),
        };
        self.diagnostics.push(
            Diagnostic::error(
                "bad-document-url",
                file,
                document.url.span(),
                format!("document `url = \"{url}\"` is neither a web address nor a file in `content/files/`"),
            )
            .with_label("no such file, and not https:// or http://")
            .with_help(help),
        );
    }

    fn reference(&mut self, file: FileId, r: &Spanned<String>, key: &str, expect: Expect) {
        let id = r.get_ref().as_str();
        let found = self.entries.get(id);
        let problem = match (found, expect) {
            (None, _) if self.unreadable.contains(id) => return,
            (None, Expect::Person) => Diagnostic::error(
                "unknown-person",
                file,
                r.span(),
                format!("{key} names `{id}`, which looks like an id but no person has it"),
            )
            .with_label("no file `content/people/{id}.md`".replace("{id}", id))
            .with_help(self.suggest(id, expect).unwrap_or_else(|| {
                format!(
                    "add `content/people/{id}.md` (`mandat new --person \"Name\"`), or write the name \
                     as it should be shown, e.g. \"Betina Svinggaard\""
                )
            })),
            (Some(e), Expect::Person) if e.kind != EntityKind::Person => Diagnostic::error(
                "wrong-kind",
                file,
                r.span(),
                format!("{key} must name a person, but `{id}` is {}", article(e.kind)),
            )
            .with_label("expected a person")
            .with_help("`from` says whom the seat represents; `person` who holds it"),
            (Some(e), Expect::Any | Expect::Body | Expect::Organisation) if e.kind == EntityKind::Person => {
                Diagnostic::error(
                    "wrong-kind",
                    file,
                    r.span(),
                    format!("{key} names `{id}`, which is a person"),
                )
                .with_label("expected a body or organisation")
                .with_help("people hold seats: name them with `person` in `[[members]]`")
            }
            (None, _) => {
                let help = self.suggest(id, expect);
                Diagnostic::error(
                    "unknown-reference",
                    file,
                    r.span(),
                    format!("{key} names `{id}`, which does not exist"),
                )
                .with_label(match expect {
                    Expect::Any | Expect::Person => "no body or organisation has this id",
                    Expect::Body => "no body has this id",
                    Expect::Organisation => "no organisation has this id",
                })
                .with_help_opt(help)
            }
            (Some(e), Expect::Body) if e.kind != EntityKind::Body => Diagnostic::error(
                "wrong-kind",
                file,
                r.span(),
                format!("{key} must name a body, but `{id}` is an organisation"),
            )
            .with_label("expected a body"),
            (Some(e), Expect::Organisation) if e.kind != EntityKind::Organisation => Diagnostic::error(
                "wrong-kind",
                file,
                r.span(),
                format!("{key} of an organisation must name an organisation, but `{id}` is a body"),
            )
            .with_label("expected an organisation")
            .with_help(
                "relate bodies to organisations from the body's side, with `[[members]]` or `[[relations]]`",
            ),
            _ => return,
        };
        self.diagnostics.push(problem);
    }

    /// "did you mean …": a near id, or the id of an entity whose title was written instead.
    fn suggest(&self, wrong: &str, expect: Expect) -> Option<String> {
        let fits = |e: &Entry| match expect {
            Expect::Any => e.kind != EntityKind::Person,
            Expect::Body => e.kind == EntityKind::Body,
            Expect::Organisation => e.kind == EntityKind::Organisation,
            Expect::Person => e.kind == EntityKind::Person,
        };
        let mut candidates: Vec<(&str, &Entry)> =
            self.entries.iter().map(|(k, v)| (*k, v)).filter(|(_, e)| fits(e)).collect();
        candidates.sort_by_key(|(id, _)| *id);
        if let Some((id, _)) = candidates.iter().find(|(_, e)| e.title.eq_ignore_ascii_case(wrong.trim())) {
            return Some(format!("`{wrong}` is the title of `{id}`; references use the id: `{id}`"));
        }
        did_you_mean(wrong, candidates.iter().map(|(id, _)| *id))
            .map(|near| format!("did you mean `{near}`?"))
    }

    /// Parents must form a forest. Reports each cycle once, at its smallest id.
    /// Parent cycles, and hierarchies deeper than [`MAX_DEPTH`]. Each entity is walked
    /// once: a walk up stops at the first entity an earlier walk reached.
    fn check_cycles(&mut self) {
        // People have no parent: no chain starts at one (a parent that names one is
        // reported by `check_references`).
        let mut ids: Vec<&str> =
            self.entries.iter().filter(|(_, e)| e.kind != EntityKind::Person).map(|(id, _)| *id).collect();
        ids.sort_unstable();
        // Levels from the top (1 for a root); `None` on a cycle.
        let mut depth: HashMap<&str, Option<usize>> = HashMap::default();
        for &start in &ids {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: HashMap<&str, usize> = HashMap::default();
            let mut current = Some(start);
            let mut above = Some(0);
            while let Some(id) = current {
                if let Some(&known) = depth.get(id) {
                    above = known;
                    break;
                }
                if let Some(&pos) = on_path.get(id) {
                    self.report_cycle(&path[pos..]);
                    above = None;
                    break;
                }
                on_path.insert(id, path.len());
                path.push(id);
                current = self.entries.get(id).and_then(|e| e.parent).map(|p| p.get_ref().as_str());
            }
            for id in path.into_iter().rev() {
                above = above.map(|d| d + 1);
                depth.insert(id, above);
                if above == Some(MAX_DEPTH + 1) {
                    self.report_too_deep(id);
                }
            }
        }
    }

    fn report_too_deep(&mut self, id: &'c str) {
        let entry = &self.entries[id];
        let Some(parent) = entry.parent else { return };
        self.diagnostics.push(
            Diagnostic::error(
                "too-deep",
                entry.file,
                parent.span(),
                format!("`{id}` sits more than {MAX_DEPTH} levels below the top of the organisation"),
            )
            .with_label("this parent is the one too many")
            .with_help(format!(
                "mandat shows hierarchies up to {MAX_DEPTH} levels deep; real organisations have far fewer — check for a chain of `parent`s that should branch"
            )),
        );
    }

    fn report_cycle(&mut self, cycle: &[&'c str]) {
        let smallest = cycle.iter().enumerate().min_by_key(|(_, id)| **id).map_or(0, |(i, _)| i);
        let ordered: Vec<&str> = cycle[smallest..].iter().chain(&cycle[..smallest]).copied().collect();
        let shown =
            ordered.iter().chain(ordered.first()).map(|id| format!("`{id}`")).collect::<Vec<_>>().join(" → ");
        let entry = &self.entries[ordered[0]];
        let parent = entry.parent.expect("a node on a cycle has a parent");
        let mut d = Diagnostic::error(
            "parent-cycle",
            entry.file,
            parent.span(),
            format!("parent cycle: {shown}"),
        )
        .with_label("this parent leads back here")
        .with_help(
            "a body cannot be (indirectly) its own parent: remove or change one `parent` on the cycle",
        );
        for id in &ordered[1..] {
            let e = &self.entries[id];
            if let Some(p) = e.parent {
                d = d.with_related(e.file, p.span(), format!("`{id}` has parent `{}`", p.get_ref()));
            }
        }
        self.diagnostics.push(d);
    }

    fn check_suspicious(&mut self, content: &Content) {
        for body in &content.bodies {
            let m = &body.meta;
            let f = body.file;
            if let Some(parent) = &m.parent
                && let Some(p) = self.entries.get(parent.get_ref().as_str())
                && p.kind == EntityKind::Body
                && p.status.is_ended()
                && !m.status.is_ended()
            {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "active-under-ended",
                        f,
                        parent.span(),
                        format!("this body is {} but its parent `{}` is {}", m.status.as_str(), parent.get_ref(), p.status.as_str()),
                    )
                    .with_label("parent no longer meets")
                    .with_help("move the body under the parent's successor, or mark it superseded or dissolved as well"),
                );
            }
            if let Some(ended) = &m.ended
                && !m.status.is_ended()
            {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "ended-but-active",
                        f,
                        ended.span(),
                        format!("`ended` is set, but `status` is `{}`", m.status.as_str()),
                    )
                    .with_label("the body stopped here")
                    .with_help("set `status = \"concluded\"` (or \"dissolved\", \"superseded\"): pages show it as ended either way"),
                );
            }
            if let (Some(ends), Some(established)) = (&m.ends, m.established)
                && *ends.get_ref() < established
            {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "ends-before-established",
                        f,
                        ends.span(),
                        format!("`ends` ({}) is before `established` ({established})", ends.get_ref()),
                    )
                    .with_label("the planned end comes before the start")
                    .with_help("check the two dates"),
                );
            }
            for replaced in &m.replaces {
                if let Some(r) = self.entries.get(replaced.get_ref().as_str())
                    && r.kind == EntityKind::Body
                    && !r.status.is_ended()
                {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "replaced-still-active",
                            f,
                            replaced.span(),
                            format!(
                                "`{}` is replaced by this body but is still {}",
                                replaced.get_ref(),
                                r.status.as_str()
                            ),
                        )
                        .with_related(r.file, 0..0, "its status")
                        .with_help(format!("set `status = \"superseded\"` in `{}`", replaced.get_ref())),
                    );
                }
            }
            for seat in &m.members {
                if let Some(role) = &seat.role {
                    self.known_word(f, role, KNOWN_ROLES, "unknown-role", "role");
                }
                if seat.each
                    && let Some(seat_from) = &seat.from
                    && let Some(from) = self.entries.get(seat_from.get_ref().as_str())
                    && !from.is_group
                {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "each-without-group",
                            f,
                            seat_from.span(),
                            format!(
                                "`each = true` but `{}` is not a group organisation",
                                seat_from.get_ref()
                            ),
                        )
                        .with_label("`each` counts seats per member of a group")
                        .with_help(
                            "give the organisation `kind = \"group\"` and its `members`, or remove `each`",
                        ),
                    );
                }
            }
            for relation in &m.relations {
                self.known_word(f, &relation.kind, KNOWN_RELATIONS, "unknown-relation", "relation type");
                if relation.to.get_ref() == &body.id {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "self-relation",
                            f,
                            relation.to.span(),
                            "a relation from a body to itself",
                        )
                        .with_label("this is the body's own id"),
                    );
                }
            }
        }
        for org in &content.organisations {
            if !org.meta.members.is_empty() && org.meta.kind.as_deref() != Some("group") {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "members-of-non-group",
                        org.file,
                        org.meta.title.span(),
                        "an organisation with `members` that is not `kind = \"group\"`",
                    )
                    .with_help("`members` lists who is in a group organisation: set `kind = \"group\"`"),
                );
            }
        }
        self.check_ambiguous_names(content);
    }

    fn known_word(
        &mut self,
        file: FileId,
        word: &Spanned<String>,
        known: &[&str],
        code: &'static str,
        what: &str,
    ) {
        let w = word.get_ref().as_str();
        if known.contains(&w) {
            return;
        }
        // A word the contract has in English: the page would show the raw word, untranslated.
        let lower = w.trim().to_lowercase();
        if let Some(&(_, meant)) =
            SYNONYMS.iter().find(|(synonym, meant)| *synonym == lower && known.contains(meant))
        {
            self.diagnostics.push(
                Diagnostic::error(
                    code,
                    file,
                    word.span(),
                    format!("`{w}` is written `{meant}` in the front matter"),
                )
                .with_label(format!("the {what}s are English words; pages show them in the site's language"))
                .with_help(format!("write `{meant}`")),
            );
            return;
        }
        let help = match did_you_mean(w, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known {what}s: {}", known.join(", ")),
        };
        self.diagnostics.push(
            Diagnostic::warning(code, file, word.span(), format!("unknown {what} `{w}`"))
                .with_label(format!("pages show it as written; known {what}s get labels in every language"))
                .with_help(help),
        );
    }

    /// Two entities with the same title or alias make links by name ambiguous.
    fn check_ambiguous_names(&mut self, content: &Content) {
        let mut seen: HashMap<String, (&str, FileId, Range<usize>)> = HashMap::default();
        for entity in content.entities() {
            let (id, file) = (entity.id, entity.file);
            for name in entity.names() {
                let key = name.get_ref().trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                match seen.get(&key) {
                    Some((other, other_file, other_span)) if *other != id => self.diagnostics.push(
                        Diagnostic::warning(
                            "ambiguous-name",
                            file,
                            name.span(),
                            format!("`{}` is also the name of `{other}`", name.get_ref()),
                        )
                        .with_related(*other_file, other_span.clone(), "the same name here")
                        .with_help("give one of them a more specific title or alias, so mentions link to the right page"),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(key, (id, file, name.span()));
                    }
                }
            }
        }
    }
}

fn article(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Body => "a body",
        EntityKind::Organisation => "an organisation",
        EntityKind::Person => "a person",
    }
}
