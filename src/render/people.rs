//! `/people/<id>/` and `/people/`: every named person and the seats they hold.
//!
//! Only people with a file in `content/people/` get pages; a name written into a seat is
//! shown where the seat is, and nowhere else.

use rayon::prelude::*;
use serde::Serialize;

use super::strings::Vocabulary;
use super::views::{
    LinkView, Linker, PeopleGroup, PersonEntry, PersonSeatView, PersonView, RoleIn, SeatView,
};
use super::{Files, Nav, PageAt, Renderer};
use crate::error::Error;
use crate::model::Person;

#[derive(Serialize)]
struct PeoplePage {
    title: String,
    groups: Vec<PeopleGroup>,
}

impl<'c> Renderer<'_, 'c> {
    /// A page per person; nothing when the site has no people (or does not publish them:
    /// then the content reaching render has none).
    pub(super) fn person_pages(&self, out: &Files) -> Result<(), Error> {
        let people = &self.graph().content().people;
        people.par_iter().with_max_len(super::PAGES_PER_JOB).enumerate().try_for_each(|(index, p)| {
            let path = format!("people/{}/index.html", p.id);
            let view = self.person(index, p, &self.linker(2));
            let description = p.meta.title.as_deref();
            out.insert(path.clone(), self.page("person.html", &path, Nav::People, description, &view)?)
        })
    }

    /// `/people/`: everyone A–Z, grouped by first letter, with the seats they hold. Each
    /// letter is rendered on its own (the `people_letter` component), side by side: as one
    /// template value the whole list took more memory than everything else on the page
    /// (115 MB of 20,000 people with their seats) and a core to itself.
    pub(super) fn people_list(&self, out: &Files) -> Result<(), Error> {
        let people = &self.graph().content().people;
        if people.is_empty() {
            return Ok(());
        }
        let mut sorted: Vec<(String, usize)> =
            people.iter().enumerate().map(|(i, p)| (sort_key(p.meta.name.get_ref()), i)).collect();
        sorted.sort();
        let mut letters: Vec<(String, Vec<usize>)> = Vec::new();
        for (key, index) in sorted {
            let letter = key.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
            match letters.last_mut() {
                Some((last, indexes)) if *last == letter => indexes.push(index),
                _ => letters.push((letter, vec![index])),
            }
        }
        let linker = self.linker(1);
        let groups = letters
            .into_par_iter()
            .with_max_len(1)
            .enumerate()
            .map(|(i, (letter, indexes))| {
                let entries: Vec<PersonEntry> =
                    indexes.iter().map(|&index| self.person_entry(index, &people[index], &linker)).collect();
                let mut args = tera::Context::new();
                args.insert("letter", &letter);
                args.insert("index", &(i + 1));
                args.insert("people", &entries);
                let section = self
                    .tera
                    .render_component("people_letter", &args, None, true)
                    .map_err(super::template_error)?;
                Ok(PeopleGroup { letter, section })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        // The page is its sections and a little more: 16 MB at 20,000 people.
        let capacity = groups.iter().map(|g| g.section.len()).sum::<usize>() + 64 * 1024;
        let page = PeoplePage { title: self.text("all_people").to_owned(), groups };
        let at = PageAt {
            template: "people.html",
            root: None,
            path: "people/index.html",
            nav: Nav::People,
            description: None,
        };
        out.insert("people/index.html".into(), self.page_at(&at, &page, capacity)?)
    }

    fn person_entry(&self, index: usize, p: &Person, linker: &Linker) -> PersonEntry {
        let g = self.graph();
        let seats = g
            .seats_held(index)
            .iter()
            .filter_map(|held| {
                let seat = g.body(held.body)?.meta.members.get(held.seat)?;
                Some(RoleIn {
                    role: self.strings.label(Vocabulary::Roles, seat.role()),
                    body: linker.link(held.body),
                })
            })
            .collect();
        PersonEntry {
            href: linker.person_href(&p.id),
            name: p.meta.name.get_ref().clone(),
            title: p.meta.title.clone(),
            party: p.meta.party.clone(),
            seats,
        }
    }

    /// A person as their page shows them.
    fn person(&self, index: usize, p: &Person, linker: &Linker) -> PersonView<'c> {
        let g = self.graph();
        let m = &p.meta;
        let seats = g
            .seats_held(index)
            .iter()
            .filter_map(|held| {
                let body = g.body(held.body)?;
                Some(PersonSeatView {
                    body: linker.link(held.body),
                    // The person's own page need not name who else holds the seat.
                    seat: SeatView {
                        people: Vec::new(),
                        ..self.seat_terms(&body.meta.members[held.seat], linker)
                    },
                })
            })
            .collect();
        PersonView {
            id: p.id.clone(),
            edit_url: self.edit_url(&p.path),
            breadcrumbs: vec![LinkView {
                title: self.text("nav_people").to_owned(),
                href: format!("{}people/index.html", linker.root),
                status: None,
            }],
            name: m.name.get_ref().clone(),
            title: m.title.clone(),
            organisation: m.organisation.as_ref().and_then(|o| g.find(o.get_ref())).map(|o| linker.link(o)),
            party: m.party.clone(),
            url: m.url.as_deref().map(str::to_owned),
            email: m.email.clone(),
            phone: m.phone.clone(),
            seats,
            text_html: self.text_html(&p.text, &[], linker, ""),
        }
    }
}

/// Names sort case-insensitively by their letters as written (first name first, as the
/// mandates write them); æ, ø and å come after z, as in the Danish alphabet.
fn sort_key(name: &str) -> String {
    name.trim().to_lowercase()
}
