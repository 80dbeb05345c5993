//! Which body or organisation a name in a kommissorium means, against the site's titles,
//! short names, aliases and former names.
//!
//! Names are compared word by word after folding (case, æ/ø/å, accents, punctuation) and a
//! light Danish stemming, so "Det Fælleskommunale Sundhedssekretariat" meets
//! "Fælleskommunalt Sundhedssekretariat", "KL's" meets "KL" and "PLO-Nordjylland" meets
//! "PLO Nordjylland". A single word in the definite form ("Regionen", "Hospitalet") means
//! the one entity whose name has that word, when there is exactly one. Nothing here
//! guesses beyond that: a name that does not resolve stays unresolved, with the closest
//! ids for a person to choose from.

use std::collections::HashMap;

use crate::model::Content;

pub struct Names {
    entries: Vec<Entry>,
    /// Stemmed name → entries with that name.
    by_key: HashMap<String, Vec<usize>>,
}

struct Entry {
    id: String,
    /// Every name, as stemmed words.
    names: Vec<Vec<String>>,
}

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: String,
    /// Byte range in the sentence.
    pub start: usize,
    pub end: usize,
}

impl Names {
    /// The bodies and organisations of `content`, and the body being imported (`own`: its
    /// id and title), which its own text names too ("Godkendt i Sundhedsdirektørkredsen").
    pub fn new(content: &Content, own: Option<(&str, &str)>) -> Names {
        let mut names = Names { entries: Vec::new(), by_key: HashMap::new() };
        for e in content.entities() {
            let all = std::iter::once(e.title.get_ref().as_str())
                .chain(e.short_name)
                .chain(e.aliases.iter().map(|a| a.get_ref().as_str()))
                .chain(e.former_names.iter().map(|f| f.title.get_ref().as_str()));
            names.add(e.id, all);
        }
        if let Some((id, title)) = own
            && !names.entries.iter().any(|e| e.id == id)
        {
            names.add(id, std::iter::once(title));
        }
        names
    }

    fn add<'a>(&mut self, id: &str, all: impl Iterator<Item = &'a str>) {
        let index = self.entries.len();
        let mut entry = Entry { id: id.to_owned(), names: Vec::new() };
        for name in all {
            let words = stems(name);
            if words.is_empty() {
                continue;
            }
            let ids = self.by_key.entry(words.join(" ")).or_default();
            if !ids.contains(&index) {
                ids.push(index);
            }
            entry.names.push(words);
        }
        self.entries.push(entry);
    }

    /// The one entity `phrase` names as a whole; `Err` with the candidates when it names
    /// several, or none.
    pub fn resolve(&self, phrase: &str) -> Result<&str, Vec<&str>> {
        let words = stems(phrase);
        if let Some(ids) = self.by_key.get(&words.join(" ")) {
            return match ids.as_slice() {
                [one] => Ok(&self.entries[*one].id),
                many => Err(many.iter().map(|&i| self.entries[i].id.as_str()).collect()),
            };
        }
        if let [word] = words.as_slice() {
            // The word as the head of a name ("Regionen": "Region Nordjylland") before the
            // word anywhere in one ("Hospitalet": "Hospitalerne i Region Hovedstaden").
            let having = |head: bool| -> Vec<&str> {
                self.entries
                    .iter()
                    .filter(|e| {
                        e.names
                            .iter()
                            .any(|n| n.len() > 1 && if head { n[0] == *word } else { n.contains(word) })
                    })
                    .map(|e| e.id.as_str())
                    .collect()
            };
            let heads = having(true);
            let having = if heads.is_empty() { having(false) } else { heads };
            return match having.as_slice() {
                [one] => Ok(one),
                _ => Err(having),
            };
        }
        // Small spelling differences: the one name within a few letters.
        let key = words.join(" ");
        let near: Vec<&str> = self
            .by_key
            .iter()
            .filter(|(k, _)| k.len() >= 6 && strsim::normalized_damerau_levenshtein(k, &key) >= 0.9)
            .flat_map(|(_, ids)| ids.iter().map(|&i| self.entries[i].id.as_str()))
            .collect();
        match near.as_slice() {
            [one] => Ok(one),
            _ => Err(near),
        }
    }

    /// Every whole name in `sentence`, longest first where names overlap, in reading order.
    pub fn find_in(&self, sentence: &str) -> Vec<Found> {
        let words = word_spans(sentence);
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (1..=8.min(words.len() - i)).rev().find_map(|len| {
                let key: Vec<String> = words[i..i + len].iter().filter_map(|(_, _, w)| stem(w)).collect();
                // A leading article is no name of its own.
                if key.is_empty() {
                    return None;
                }
                let ids = self.by_key.get(&key.join(" "))?;
                let [one] = ids.as_slice() else { return None };
                Some((len, *one))
            });
            match longest {
                Some((len, index)) => {
                    found.push(Found {
                        id: self.entries[index].id.clone(),
                        start: words[i].0,
                        end: words[i + len - 1].1,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The first entity named in `phrase`: a whole name anywhere in it, else a word in the
    /// definite form that only one entity's name has ("Hospitalet", "Regionen"). An
    /// indefinite word is part of a name it did not match ("Aalborg Kommune"), never one.
    pub fn first_in(&self, phrase: &str) -> Option<String> {
        if let Some(found) = self.find_in(phrase).into_iter().next() {
            return Some(found.id);
        }
        let words = word_spans(phrase);
        words.iter().enumerate().find_map(|(i, (_, _, word))| {
            let definite =
                ["et", "en", "erne"].iter().any(|end| word.ends_with(end)) && word.chars().count() > 4;
            let in_a_name = i > 0
                && words[i - 1].2.starts_with(char::is_uppercase)
                && word.starts_with(char::is_uppercase);
            (definite && !in_a_name).then(|| self.resolve(word).ok().map(str::to_owned)).flatten()
        })
    }

    /// The one entity with a name of several words that starts with `word` ("kommune":
    /// "Kommunerne i Region Hovedstaden"): the group a seat "from each …" is counted in.
    pub fn group(&self, word: &str) -> Option<&str> {
        let [stem] = stems(word).try_into().ok()?;
        let mut heads = self.entries.iter().filter(|e| e.names.iter().any(|n| n.len() > 1 && n[0] == stem));
        match (heads.next(), heads.next()) {
            (Some(one), None) => Some(&one.id),
            _ => None,
        }
    }

    /// Up to three ids whose names are nearest to `phrase`, nearest first.
    pub fn closest(&self, phrase: &str) -> Vec<&str> {
        let key = stems(phrase).join(" ");
        let mut scored: Vec<(f64, &str)> = self
            .entries
            .iter()
            .map(|e| {
                let best = e
                    .names
                    .iter()
                    .map(|n| {
                        // Words in common weigh by their length: "sundhedsklynge" says more
                        // than "i" or "region".
                        let shared: usize = n
                            .iter()
                            .filter(|w| w.len() >= 4 && key.split(' ').any(|k| k == w.as_str()))
                            .map(String::len)
                            .sum();
                        let bonus = 0.6 * shared as f64 / key.len().max(1) as f64;
                        strsim::normalized_levenshtein(&n.join(" "), &key) + bonus
                    })
                    .fold(0.0, f64::max);
                (best, e.id.as_str())
            })
            .filter(|(score, _)| *score >= 0.35)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, id)| id).collect()
    }
}

/// The words of `text` with their byte ranges; "KL's" is the word "KL" (the genitive
/// after an apostrophe belongs to the word before, and its range covers it).
fn word_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut words: Vec<(usize, usize, String)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let after_apostrophe =
                    words.last().is_some_and(|(_, end, _)| matches!(&text[*end..s], "'" | "’"));
                match words.last_mut() {
                    Some(last) if after_apostrophe => last.1 = i,
                    _ => words.push((s, i, text[s..i].to_owned())),
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// `name` as stemmed words without leading articles.
fn stems(name: &str) -> Vec<String> {
    word_spans(name).iter().filter_map(|(_, _, w)| stem(w)).collect::<Vec<_>>()
}

/// A word folded and stemmed; `None` for the articles "det", "den", "de", "the".
fn stem(word: &str) -> Option<String> {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' | 'ä' => folded.push_str("ae"),
            'ø' | 'ö' => folded.push_str("oe"),
            'å' => folded.push_str("aa"),
            'é' | 'è' | 'ê' => folded.push('e'),
            'á' | 'à' => folded.push('a'),
            'ü' => folded.push('u'),
            c => folded.push(c),
        }
    }
    if matches!(folded.as_str(), "det" | "den" | "de" | "the") {
        return None;
    }
    // No "-ne" alone: "kommune" must meet "kommunen" and "kommuner" at "kommun".
    const ENDINGS: &[&str] = &["erne", "ene", "ets", "ens", "et", "en", "er", "e", "s", "t"];
    for ending in ENDINGS {
        if let Some(stem) = folded.strip_suffix(ending)
            && stem.chars().count() >= 4
        {
            return Some(stem.to_owned());
        }
    }
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(entries: &[(&str, &str)]) -> Names {
        let mut names = Names { entries: Vec::new(), by_key: HashMap::new() };
        for (id, title) in entries {
            names.add(id, title.split('|'));
        }
        names
    }

    fn sample() -> Names {
        names(&[
            ("faelleskommunalt-sundhedssekretariat", "Fælleskommunalt Sundhedssekretariat"),
            ("kl", "KL|Kommunernes Landsforening"),
            ("plo-nordjylland", "PLO Nordjylland"),
            ("region-nordjylland", "Region Nordjylland"),
            ("hospitalerne", "Hospitalerne i Region Hovedstaden"),
            ("aalborg-kommune", "Aalborg Kommune"),
            ("hjoerring-kommune", "Hjørring Kommune"),
        ])
    }

    #[test]
    fn inflections_genitives_and_spelling() {
        let n = sample();
        assert_eq!(
            n.resolve("Det Fælleskommunale Sundhedssekretariat"),
            Ok("faelleskommunalt-sundhedssekretariat")
        );
        assert_eq!(n.resolve("PLO-Nordjylland"), Ok("plo-nordjylland"));
        assert_eq!(n.resolve("PLO Nordjyland"), Ok("plo-nordjylland"));
        assert_eq!(n.resolve("KL's"), Ok("kl"));
        // The one region; the one hospital name; but not one of many municipalities.
        assert_eq!(n.resolve("Regionen"), Ok("region-nordjylland"));
        assert_eq!(n.resolve("hospitalet"), Ok("hospitalerne"));
        assert_eq!(n.resolve("kommunen").unwrap_err().len(), 2);
        assert_eq!(n.resolve("Social- og Sundhedsforvaltningen"), Err(vec![]));
    }

    #[test]
    fn names_in_a_sentence() {
        let n = sample();
        let s = "En af KL's kontorchefer er formand, og Region Nordjylland deltager.";
        let found: Vec<String> = n.find_in(s).into_iter().map(|f| f.id).collect();
        assert_eq!(found, ["kl", "region-nordjylland"]);
        let f = &n.find_in(s)[1];
        assert_eq!(&s[f.start..f.end], "Region Nordjylland");
        assert_eq!(
            n.first_in("en medarbejder fra Hospitalet eller kommunen"),
            Some("hospitalerne".to_owned())
        );
        assert_eq!(n.closest("Region Nordjyllands sygehuse")[0], "region-nordjylland");
    }

    #[test]
    fn a_proper_name_that_does_not_match_is_no_generic_word() {
        let n =
            names(&[("eksempel-kommune", "Eksempel Kommune"), ("kommunerne", "Kommunerne i Nordjylland")]);
        assert_eq!(n.first_in("Aalborg Kommune"), None);
        assert_eq!(n.group("kommune"), Some("kommunerne"));
        assert_eq!(n.group("region"), None);
    }
}
