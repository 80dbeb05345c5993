//! UI strings of one language, from the theme's `i18n/<lang>.toml`.
//!
//! Templates read them as `t.<key>`; labels for open vocabularies (kinds, roles, relation
//! types, statuses) are looked up here, falling back to the word as written so a new kind
//! still shows.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::model::Date;

#[derive(Debug, Clone, Deserialize)]
pub struct Strings {
    /// Everything, for templates.
    #[serde(flatten)]
    pub all: toml::Table,
    date: String,
    /// A month of a year: "december 2019".
    date_month: String,
    months: Vec<String>,
    /// The `[labels]` tables, by vocabulary: a large site looks a label up for every seat,
    /// and a hash lookup is cheaper than three walks down the TOML tables.
    #[serde(skip)]
    labels: FxHashMap<String, FxHashMap<String, String>>,
}

/// The label tables in a strings file.
#[derive(Debug, Clone, Copy)]
pub enum Vocabulary {
    Status,
    Kinds,
    Roles,
    Relations,
    RelationsIn,
    /// What happened in a change: added, removed, moved …
    Changes,
    /// Front-matter fields, as a change names them.
    Fields,
    /// What an entity is: body, organisation.
    Entities,
    /// In what capacity a seat is held: personal, ex-officio.
    Capacities,
    /// What a document is: kommissorium, report …
    Documents,
}

impl Vocabulary {
    fn table(self) -> &'static str {
        match self {
            Vocabulary::Status => "status",
            Vocabulary::Kinds => "kinds",
            Vocabulary::Roles => "roles",
            Vocabulary::Relations => "relations",
            Vocabulary::RelationsIn => "relations_in",
            Vocabulary::Changes => "changes",
            Vocabulary::Fields => "fields",
            Vocabulary::Entities => "entities",
            Vocabulary::Capacities => "capacities",
            Vocabulary::Documents => "documents",
        }
    }
}

impl Strings {
    pub fn parse(text: &str) -> Result<Strings, String> {
        let mut strings: Strings = toml::from_str(text).map_err(|e| e.to_string())?;
        if strings.months.len() != 12 {
            return Err(format!("`months` must list 12 months, not {}", strings.months.len()));
        }
        let tables = strings.all.get("labels").and_then(|l| l.as_table()).into_iter().flatten();
        strings.labels = tables
            .filter_map(|(name, table)| {
                let words = table.as_table()?.iter();
                Some((
                    name.clone(),
                    words.filter_map(|(w, l)| Some((w.clone(), l.as_str()?.to_owned()))).collect(),
                ))
            })
            .collect();
        Ok(strings)
    }

    /// The label of `word` in `vocabulary`, or the word itself if it has none.
    pub fn label(&self, vocabulary: Vocabulary, word: &str) -> String {
        let label = self.labels.get(vocabulary.table()).and_then(|t| t.get(word));
        label.map_or(word, String::as_str).to_owned()
    }

    /// A top-level string by its key; the key itself if the language lacks it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.all.get(key).and_then(|v| v.as_str()).unwrap_or(key)
    }

    /// The word that follows the number `n`, e.g. "organ" for 1 and "organer" for 2, from
    /// the `[plurals]` table (`key = { one = "…", other = "…" }`).
    pub fn plural(&self, key: &str, n: usize) -> String {
        let forms = self.all.get("plurals").and_then(|p| p.get(key));
        let form = forms.and_then(|f| f.get(if n == 1 { "one" } else { "other" })).and_then(|v| v.as_str());
        form.unwrap_or(key).to_owned()
    }

    /// A date the way the language writes it, e.g. "19. september 2019".
    /// A date in words at its precision: "19. september 2019", "december 2019", "2019".
    pub fn date(&self, date: Date) -> String {
        let pattern = match (date.month, date.day) {
            (Some(_), Some(_)) => &self.date,
            (Some(_), None) => &self.date_month,
            _ => "{year}",
        };
        let month = date.month.and_then(|m| self.months.get(usize::from(m).wrapping_sub(1)));
        pattern
            .replace("{day}", &date.day.map(|d| d.to_string()).unwrap_or_default())
            .replace("{month}", month.map_or("", String::as_str))
            .replace("{year}", &date.year.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Language};
    use crate::theme::Theme;

    fn strings(language: Language) -> Strings {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), &Config::default()).unwrap();
        theme.strings(language).unwrap()
    }

    fn keys(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
        for (k, v) in table {
            out.push(format!("{prefix}{k}"));
            if let Some(t) = v.as_table() {
                keys(t, &format!("{prefix}{k}."), out);
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let (mut da, mut en) = (Vec::new(), Vec::new());
        keys(&strings(Language::Da).all, "", &mut da);
        keys(&strings(Language::En).all, "", &mut en);
        assert_eq!(da, en);
    }

    #[test]
    fn known_vocabularies_have_labels_in_every_language() {
        for language in [Language::Da, Language::En] {
            let s = strings(language);
            for role in crate::model::KNOWN_ROLES {
                assert_ne!(s.label(Vocabulary::Roles, role), *role, "{role}");
            }
            for relation in crate::model::KNOWN_RELATIONS {
                assert_ne!(s.label(Vocabulary::Relations, relation), *relation);
                assert_ne!(s.label(Vocabulary::RelationsIn, relation), *relation);
            }
        }
    }

    #[test]
    fn dates_and_fallback_labels() {
        let d = Date::new(2019, 9, 19).unwrap();
        assert_eq!(strings(Language::Da).date(d), "19. september 2019");
        assert_eq!(strings(Language::En).date(d), "19 September 2019");
        assert_eq!(strings(Language::Da).date(Date::partial("2019-12").unwrap()), "december 2019");
        assert_eq!(strings(Language::En).date(Date::partial("2019-12").unwrap()), "December 2019");
        assert_eq!(strings(Language::Da).date(Date::partial("2019").unwrap()), "2019");
        assert_eq!(strings(Language::Da).label(Vocabulary::Kinds, "committee"), "Udvalg");
        assert_eq!(strings(Language::Da).label(Vocabulary::Kinds, "think-tank"), "think-tank");
    }
}
