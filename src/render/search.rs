//! The search index, chunked so that a search loads kilobytes, not the whole index: a
//! small table of shards (`search/index.js`), shards of terms with their postings
//! (`search/s/N.js`), loaded for the terms a query starts, and a file per document
//! (`search/d/N.js`, a few documents each) with what a result shows, loaded for the results on screen. Every file
//! is a script that hands its data to `window.mandatSearch`, so that search works offline
//! and opened from disk, where pages cannot `fetch` files. The theme's `search.js` reads it.
//!
//! Terms are words folded as ids are (`id::slugify`: lower case, æ→ae, ø→oe, å→aa, no
//! accents); the browser folds a query the same way and matches terms by prefix. Danish
//! makes compounds ("Sundhedsdirektørkredsen"), so the words of titles and aliases are also
//! indexed from every inner position, and "direktør" finds them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::strings::Vocabulary;
use super::{Files, Renderer};
use crate::error::Error;
use crate::graph::NodeId;
use crate::model::{Item, Text};

/// One searchable entity, as a file of `search/d/` holds it. Short keys keep the files small.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Doc {
    /// Title.
    t: String,
    /// Short name and aliases.
    a: Vec<String>,
    /// Kind, translated.
    k: String,
    /// Tasks and competences.
    w: Vec<String>,
    /// The mandate text, as plain text, shortened.
    x: String,
    /// Organisations with seats and the people in them (for bodies), groups it belongs to
    /// (for organisations); empty for people.
    m: Vec<String>,
    /// Link from the site root.
    h: String,
}

/// The mandate text kept in the index: enough to find a body by what it does.
const TEXT_CHARS: usize = 1500;

fn flatten(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        out.push(item.text.clone());
        flatten(&item.items, out);
    }
}

/// The Markdown with `[[id|label]]` links written as the words a reader sees.
fn readable(text: &Text, title: impl Fn(&str) -> String) -> String {
    let md = text.markdown();
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for link in &text.links {
        out.push_str(&md[at..link.span.start]);
        out.push_str(&link.label.clone().unwrap_or_else(|| title(&link.target)));
        at = link.span.end;
    }
    out.push_str(&md[at..]);
    out
}

/// Markdown to words: markup dropped.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = event {
            out.push_str(&t);
            out.push(' ');
        }
        if out.len() > TEXT_CHARS {
            break;
        }
    }
    let mut text: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = text.char_indices().nth(TEXT_CHARS) {
        text.truncate(cut);
    }
    text
}

/// Where a term occurs in a document, as bits of a posting; `search.js` weighs them.
mod field {
    pub const TITLE: u8 = 1;
    pub const ALIAS: u8 = 2;
    pub const MEMBER: u8 = 4;
    pub const KIND: u8 = 8;
    pub const TASK: u8 = 16;
    pub const TEXT: u8 = 32;
    /// Inside a word of the title or an alias (a part of a compound).
    pub const INNER: u8 = 64;
    /// Bits a posting keeps beside the document number.
    pub const BITS: u32 = 7;
}

/// A shard is closed once its terms and postings reach this many bytes (a term with more
/// postings than that gets a shard of its own): a query loads one or two of them.
const SHARD_BYTES: usize = 24 * 1024;

/// Documents per file of `search/d/`: a result list of twelve loads at most twelve files
/// of a few kilobytes, and a site of 30,000 documents gets 7,500 files, not 30,000.
const DOCS_PER_FILE: usize = 4;

/// Inner parts of title words shorter than this are not indexed: "sen" of every "-kredsen"
/// would match everything.
const MIN_INNER: usize = 4;

/// Words longer than this are not indexed from inside: no compound is that long, and a
/// word of a million letters would give a million terms.
const MAX_INNER_WORD: usize = 48;

/// Calls `word` with each folded word of `text`, as `id::slugify` would split it (lower
/// case ASCII letters and digits, æ→ae, ø→oe, å→aa, other letters transliterated), without
/// making a string per word.
fn fold_words(text: &str, buffer: &mut String, mut word: impl FnMut(&str)) {
    buffer.clear();
    let mut push = |c: char, buffer: &mut String| {
        if c.is_ascii_alphanumeric() {
            buffer.push(c.to_ascii_lowercase());
        } else if !buffer.is_empty() {
            word(buffer);
            buffer.clear();
        }
    };
    for c in text.chars() {
        match c {
            _ if c.is_ascii() => push(c, buffer),
            'æ' | 'Æ' => "ae".chars().for_each(|c| push(c, buffer)),
            'ø' | 'Ø' => "oe".chars().for_each(|c| push(c, buffer)),
            'å' | 'Å' => "aa".chars().for_each(|c| push(c, buffer)),
            _ => deunicode::deunicode_char(c).unwrap_or(" ").chars().for_each(|c| push(c, buffer)),
        }
    }
    push(' ', buffer);
}

impl Doc {
    /// Every term of the document with the fields it occurs in, sorted by term.
    fn terms(&self) -> Vec<(String, u8)> {
        // A word is made a string once per document, not once per occurrence.
        let mut bits: HashMap<String, u8> = HashMap::default();
        let mut add_term = |term: &str, field: u8| match bits.get_mut(term) {
            Some(b) => *b |= field,
            None => {
                bits.insert(term.to_owned(), field);
            }
        };
        let mut buffer = String::new();
        let mut add = |text: &str, field: u8| {
            fold_words(text, &mut buffer, |term| {
                if field & (field::TITLE | field::ALIAS) != 0 && term.len() <= MAX_INNER_WORD {
                    for at in 1..term.len().saturating_sub(MIN_INNER - 1) {
                        add_term(&term[at..], field::INNER);
                    }
                }
                add_term(term, field);
            })
        };
        add(&self.t, field::TITLE);
        self.a.iter().for_each(|a| add(a, field::ALIAS));
        self.m.iter().for_each(|m| add(m, field::MEMBER));
        add(&self.k, field::KIND);
        self.w.iter().for_each(|w| add(w, field::TASK));
        add(&self.x, field::TEXT);
        let mut terms: Vec<(String, u8)> = bits.into_iter().collect();
        terms.sort_unstable();
        terms
    }
}

/// The index as data: the documents in order and every term with its postings. The files
/// are written from it; `serve` keeps it between rebuilds and updates the documents an
/// edit changed, so that only the files those documents reach are written again.
#[derive(Default)]
pub struct Index {
    /// How many documents there are.
    count: usize,
    /// The documents, kept only by an index that is updated ([`Index::new`]).
    docs: Vec<Doc>,
    /// Where each document is in `docs`, by its link.
    position: HashMap<String, u32>,
    /// Every term, sorted.
    terms: Vec<String>,
    /// Each term's postings, in document order, as (document, field bits).
    postings: Vec<Vec<(u32, u8)>>,
    /// The bytes each term adds to its shard: where shards are cut.
    sizes: Vec<usize>,
    /// Each shard's first and last term, as last written.
    shards: Vec<(String, String)>,
}

/// Files of the index: path under the site root, and text.
type IndexFiles = Vec<(String, String)>;

/// A term's entry in its shard: `"term":[gap<<7|bits,…]`.
fn entry(term: &str, postings: &[(u32, u8)]) -> serde_json::Result<String> {
    let mut last = 0;
    let list: Vec<u32> = postings
        .iter()
        .map(|&(doc, bits)| {
            let gap = doc - last;
            last = doc;
            (gap << field::BITS) | u32::from(bits)
        })
        .collect();
    Ok(format!("{}:{}", serde_json::to_string(term)?, serde_json::to_string(&list)?))
}

/// Terms and their postings, made document by document in document order.
#[derive(Default)]
struct Postings {
    by_term: HashMap<String, Vec<(u32, u8)>>,
    docs: u32,
}

impl Postings {
    /// Posts the terms of `docs`, the next documents in order. Their terms are made in
    /// parallel a chunk at a time: all documents' terms at once as strings would be the
    /// largest thing in memory at 10,000 bodies.
    fn add(&mut self, docs: &[Doc]) {
        for chunk in docs.chunks(CHUNK) {
            let words: Vec<Vec<(String, u8)>> = chunk.par_iter().map(Doc::terms).collect();
            for terms in words {
                let doc = self.docs;
                self.docs += 1;
                for (term, bits) in terms {
                    match self.by_term.get_mut(term.as_str()) {
                        Some(list) => list.push((doc, bits)),
                        None => {
                            self.by_term.insert(term, vec![(doc, bits)]);
                        }
                    }
                }
            }
        }
    }
}

/// How many documents' terms are made at once; also how many documents
/// [`Index::streamed`] makes at once.
const CHUNK: usize = 512;

impl Index {
    /// The index of `docs`, in their order, keeping them to be updated.
    fn new(docs: Vec<Doc>) -> Index {
        let mut postings = Postings::default();
        postings.add(&docs);
        Index::of(postings, docs)
    }

    /// The index of the documents `chunks` make, in order, with the files of each chunk's
    /// documents handed to `put` as soon as they are made and the documents dropped:
    /// they are most of an index (50 MB at 10,000 bodies). It cannot be updated. Every
    /// chunk but the last holds a multiple of `DOCS_PER_FILE` documents.
    fn streamed(chunks: impl Iterator<Item = Vec<Doc>>, put: &Put<'_>) -> Result<Index, Error> {
        let mut postings = Postings::default();
        for docs in chunks {
            let first = postings.docs as usize / DOCS_PER_FILE;
            docs.par_chunks(DOCS_PER_FILE).enumerate().try_for_each(|(n, file)| {
                doc_file(first + n, file).map_err(json_error).and_then(|(path, text)| put(path, text))
            })?;
            postings.add(&docs);
        }
        Ok(Index::of(postings, Vec::new()))
    }

    fn of(postings: Postings, docs: Vec<Doc>) -> Index {
        let count = postings.docs as usize;
        let mut sorted: Vec<(String, Vec<(u32, u8)>)> = postings.by_term.into_iter().collect();
        sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (terms, postings) = sorted.into_iter().unzip();
        let position = docs.iter().zip(0u32..).map(|(d, n)| (d.h.clone(), n)).collect();
        Index { count, docs, position, terms, postings, sizes: Vec::new(), shards: Vec::new() }
    }

    /// Hands every file of the index to `put` (path under the site root, text) as soon
    /// as it is made: at 10,000 bodies the files are tens of megabytes, and holding them
    /// all at once would raise the build's peak memory by as much.
    fn write(&mut self, put: &Put<'_>) -> Result<(), Error> {
        // Where the shards are cut depends on every entry's size; the entries themselves
        // are made again shard by shard rather than held all at once.
        self.sizes = self
            .terms
            .par_iter()
            .zip(&self.postings)
            .map(|(term, list)| entry(term, list).map(|e| e.len() + 1))
            .collect::<serde_json::Result<_>>()
            .map_err(json_error)?;
        let cuts = self.cuts();
        let (path, text) = self.table(&cuts).map_err(json_error)?;
        put(path, text)?;
        for (n, range) in cuts.iter().enumerate() {
            let (path, text) = self.shard(n, range.clone()).map_err(json_error)?;
            put(path, text)?;
        }
        self.docs.par_chunks(DOCS_PER_FILE).enumerate().try_for_each(|(n, docs)| {
            doc_file(n, docs).map_err(json_error).and_then(|(path, text)| put(path, text))
        })?;
        self.shards = self.bounds(&cuts);
        Ok(())
    }

    /// Puts `docs` in the places of the documents with their links, and returns the files
    /// that changed and the shards there are no longer. The documents' order must not
    /// change: their titles are the same.
    fn update(&mut self, docs: Vec<Doc>) -> serde_json::Result<(IndexFiles, Vec<String>)> {
        let mut changed_terms: HashSet<String> = HashSet::default();
        let mut changed_files: HashSet<usize> = HashSet::default();
        for doc in docs {
            let Some(&at) = self.position.get(&doc.h) else { continue };
            if self.docs[at as usize] == doc {
                continue;
            }
            let old = self.docs[at as usize].terms();
            let new = doc.terms();
            for (term, _) in &old {
                if new.binary_search_by(|(t, _)| t.cmp(term)).is_err() {
                    self.unpost(term, at);
                    changed_terms.insert(term.clone());
                }
            }
            for (term, bits) in new {
                if old.binary_search(&(term.clone(), bits)).is_err() {
                    self.post(&term, at, bits);
                    changed_terms.insert(term);
                }
            }
            self.docs[at as usize] = doc;
            changed_files.insert(at as usize / DOCS_PER_FILE);
        }
        for term in &changed_terms {
            if let Ok(i) = self.terms.binary_search(term) {
                self.sizes[i] = entry(term, &self.postings[i])?.len() + 1;
            }
        }
        let cuts = self.cuts();
        let bounds = self.bounds(&cuts);
        let mut files = Vec::new();
        if bounds.len() != self.shards.len() || bounds.iter().zip(&self.shards).any(|((a, _), (b, _))| a != b)
        {
            files.push(self.table(&cuts)?);
        }
        for (n, range) in cuts.iter().enumerate() {
            let (first, last) = &bounds[n];
            let same = self.shards.get(n) == Some(&bounds[n])
                && !changed_terms.iter().any(|t| first <= t && t <= last);
            if !same {
                files.push(self.shard(n, range.clone())?);
            }
        }
        let mut changed_files: Vec<usize> = changed_files.into_iter().collect();
        changed_files.sort_unstable();
        for n in changed_files {
            let docs = &self.docs[n * DOCS_PER_FILE..((n + 1) * DOCS_PER_FILE).min(self.docs.len())];
            files.push(doc_file(n, docs)?);
        }
        let gone = (bounds.len()..self.shards.len()).map(|n| format!("search/s/{n}.js")).collect();
        self.shards = bounds;
        Ok((files, gone))
    }

    /// Adds (or changes the bits of) `doc` in the postings of `term`.
    fn post(&mut self, term: &str, doc: u32, bits: u8) {
        let i = match self.terms.binary_search_by(|t| t.as_str().cmp(term)) {
            Ok(i) => i,
            Err(i) => {
                self.terms.insert(i, term.to_owned());
                self.postings.insert(i, Vec::new());
                self.sizes.insert(i, 0);
                i
            }
        };
        let list = &mut self.postings[i];
        match list.binary_search_by_key(&doc, |&(d, _)| d) {
            Ok(at) => list[at].1 = bits,
            Err(at) => list.insert(at, (doc, bits)),
        }
    }

    /// Takes `doc` out of the postings of `term`, and the term out when no document has it.
    fn unpost(&mut self, term: &str, doc: u32) {
        let Ok(i) = self.terms.binary_search_by(|t| t.as_str().cmp(term)) else { return };
        let list = &mut self.postings[i];
        if let Ok(at) = list.binary_search_by_key(&doc, |&(d, _)| d) {
            list.remove(at);
        }
        if list.is_empty() {
            self.terms.remove(i);
            self.postings.remove(i);
            self.sizes.remove(i);
        }
    }

    /// The terms of each shard: a shard is closed once its entries reach `SHARD_BYTES`.
    fn cuts(&self) -> Vec<std::ops::Range<usize>> {
        let mut cuts = Vec::new();
        let (mut start, mut bytes) = (0, 0);
        for (i, size) in self.sizes.iter().enumerate() {
            bytes += size;
            if bytes >= SHARD_BYTES {
                cuts.push(start..i + 1);
                (start, bytes) = (i + 1, 0);
            }
        }
        if start < self.sizes.len() {
            cuts.push(start..self.sizes.len());
        }
        cuts
    }

    fn bounds(&self, cuts: &[std::ops::Range<usize>]) -> Vec<(String, String)> {
        cuts.iter().map(|r| (self.terms[r.start].clone(), self.terms[r.end - 1].clone())).collect()
    }

    /// `search/index.js`: each shard's first term, and how the documents are filed.
    fn table(&self, cuts: &[std::ops::Range<usize>]) -> serde_json::Result<(String, String)> {
        let first_terms: Vec<&str> = cuts.iter().map(|r| self.terms[r.start].as_str()).collect();
        let manifest = serde_json::json!({
            "shards": first_terms, "docs": self.count, "per_file": DOCS_PER_FILE
        });
        Ok(("search/index.js".to_owned(), format!("mandatSearch.index({manifest});\n")))
    }

    /// The file `search/s/<n>.js`: the entries of the terms in `range`.
    fn shard(&self, n: usize, range: std::ops::Range<usize>) -> serde_json::Result<(String, String)> {
        let entries: Vec<String> = range
            .into_par_iter()
            .map(|i| entry(&self.terms[i], &self.postings[i]))
            .collect::<serde_json::Result<_>>()?;
        Ok((format!("search/s/{n}.js"), format!("mandatSearch.shard({n},{{{}}});\n", entries.join(","))))
    }
}

/// The file `search/d/<n>.js`, of `docs`.
fn doc_file(n: usize, docs: &[Doc]) -> serde_json::Result<(String, String)> {
    Ok((
        format!("search/d/{n}.js"),
        format!("mandatSearch.docs({},{});\n", n * DOCS_PER_FILE, serde_json::to_string(docs)?),
    ))
}

/// Takes a file of the index: path under the site root, and text.
type Put<'p> = dyn Fn(String, String) -> Result<(), Error> + Sync + 'p;

fn json_error(e: serde_json::Error) -> Error {
    Error::Theme(e.to_string())
}

#[cfg(test)]
impl Index {
    /// Every file of the index, by path under the site root, in the order written.
    fn files(&mut self) -> Result<IndexFiles, Error> {
        let files = std::sync::Mutex::new(Vec::new());
        self.write(&|path, text| {
            files.lock().unwrap().push((path, text));
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap();
        // Entry files are written in parallel.
        files[1..].sort_by(|a, b| {
            (a.0.starts_with("search/d/"), file_number(&a.0))
                .cmp(&(b.0.starts_with("search/d/"), file_number(&b.0)))
        });
        Ok(files)
    }
}

#[cfg(test)]
fn file_number(path: &str) -> usize {
    path.rsplit('/').next().and_then(|f| f.trim_end_matches(".js").parse().ok()).unwrap_or(0)
}

/// The files of the index of `docs`, by path under the site root.
#[cfg(test)]
fn index_files(docs: Vec<Doc>) -> Result<IndexFiles, Error> {
    Index::new(docs).files()
}

impl Renderer<'_, '_> {
    /// Writes the search index under `search/`: documents in the order of their folded
    /// titles, so that equal scores list A–Z and the files do not depend on thread timing.
    /// With a `scope`, only the documents of its entities are made again, and only the
    /// files they change are written, into the index `serve` kept.
    pub(super) fn search_index(&self, out: &Files) -> Result<(), Error> {
        let kept = self.site.cache.map(|c| &c.search);
        if let Some(scope) = self.site.scope {
            let kept = kept.ok_or_else(|| Error::Theme("no search index to update".into()))?;
            let mut index = kept.lock().unwrap_or_else(|p| p.into_inner());
            let g = self.site.graph;
            let nodes: Vec<DocOf> = scope.iter().filter_map(|id| g.find(id)).map(DocOf::Entity).collect();
            let (files, gone) = index.update(self.docs(&nodes)).map_err(json_error)?;
            for path in gone {
                out.remove(&path)?;
            }
            return files.into_iter().try_for_each(|(path, text)| out.insert(path, text.into_bytes()));
        }
        let order = self.doc_order();
        let put = |path, text: String| out.insert(path, text.into_bytes());
        match kept {
            Some(kept) => {
                let mut index = Index::new(self.docs(&order));
                index.write(&put)?;
                *kept.lock().unwrap_or_else(|p| p.into_inner()) = index;
            }
            None => Index::streamed(order.chunks(CHUNK).map(|of| self.docs(of)), &put)?.write(&put)?,
        }
        Ok(())
    }

    /// What the documents are made of, in the order of their folded titles (their links
    /// where the titles fold alike).
    fn doc_order(&self) -> Vec<DocOf> {
        let g = self.site.graph;
        let linker = self.linker(0);
        let entities =
            g.nodes().map(|n| ((crate::id::slugify(g.title(n)), linker.href(n)), DocOf::Entity(n)));
        let people = g.content().people.iter().enumerate().map(|(index, p)| {
            ((crate::id::slugify(p.meta.name.get_ref()), linker.person_href(&p.id)), DocOf::Person(index))
        });
        let mut keyed: Vec<_> = entities.chain(people).collect();
        keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        keyed.into_iter().map(|(_, of)| of).collect()
    }

    fn docs(&self, of: &[DocOf]) -> Vec<Doc> {
        let linker = self.linker(0);
        let person = self.strings.label(Vocabulary::Entities, "person");
        of.par_iter()
            .map(|&of| match of {
                DocOf::Entity(n) => self.entity_doc(n, &linker),
                DocOf::Person(index) => self.person_doc(index, &linker, &person),
            })
            .collect()
    }

    /// The document of a body or organisation.
    fn entity_doc(&self, n: NodeId, linker: &super::views::Linker) -> Doc {
        let g = self.site.graph;
        let mut w = Vec::new();
        let (aliases, kind, text, members) = match (g.body(n), g.organisation(n)) {
            (Some(b), _) => {
                flatten(&b.meta.tasks, &mut w);
                flatten(&b.meta.competences, &mut w);
                if let Some(p) = &b.meta.purpose {
                    w.push(p.clone());
                }
                let holders = b.meta.members.iter().flat_map(|s| &s.person).map(|p| {
                    g.person(p.get_ref()).map_or(p.get_ref(), |person| person.meta.name.get_ref()).clone()
                });
                let members =
                    g.seats(n).into_iter().map(|(_, from)| g.title(from).to_owned()).chain(holders).collect();
                (
                    b.meta
                        .short_name
                        .iter()
                        .cloned()
                        .chain(b.meta.aliases.iter().map(|a| a.get_ref().clone()))
                        .chain(b.meta.former_names.iter().map(|f| f.title.get_ref().clone()))
                        .collect(),
                    &b.meta.kind,
                    &b.text,
                    members,
                )
            }
            (None, Some(o)) => {
                let groups = g.groups_of(n).into_iter().map(|x| g.title(x).to_owned()).collect();
                (
                    o.meta
                        .short_name
                        .iter()
                        .cloned()
                        .chain(o.meta.aliases.iter().map(|a| a.get_ref().clone()))
                        .collect(),
                    &o.meta.kind,
                    &o.text,
                    groups,
                )
            }
            (None, None) => unreachable!("every node is a body or an organisation"),
        };
        let mut m: Vec<String> = members;
        m.sort();
        m.dedup();
        Doc {
            t: g.title(n).to_owned(),
            a: aliases,
            k: kind.as_ref().map(|k| self.strings.label(Vocabulary::Kinds, k)).unwrap_or_default(),
            w,
            x: plain(&readable(text, |id| {
                g.find(id).map_or_else(|| id.to_owned(), |t| g.title(t).to_owned())
            })),
            m,
            h: linker.href(n),
        }
    }

    /// The document of a person: found by name, position and party, and by the bodies
    /// they sit in.
    fn person_doc(&self, index: usize, linker: &super::views::Linker, kind: &str) -> Doc {
        let g = self.site.graph;
        let p = &g.content().people[index];
        Doc {
            t: p.meta.name.get_ref().clone(),
            a: p.meta.party.iter().cloned().collect(),
            k: kind.to_owned(),
            w: p.meta.title.iter().cloned().collect(),
            x: plain(p.text.markdown()),
            // Not the bodies the person sits in: a search for a body would list all its
            // members after it (and index each title once per member). The body is found
            // by its members' names.
            m: Vec::new(),
            h: linker.person_href(&p.id),
        }
    }
}

/// What a document of the index is made of.
#[derive(Debug, Clone, Copy)]
enum DocOf {
    /// A body or organisation.
    Entity(NodeId),
    /// A person, by their place in the content.
    Person(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str) -> Doc {
        Doc {
            t: title.into(),
            a: vec![],
            k: "Udvalg".into(),
            w: vec![],
            x: text.into(),
            m: vec![],
            h: format!("{}/index.html", crate::id::slugify(title)),
        }
    }

    #[test]
    fn terms_are_folded_and_title_words_are_indexed_from_inside() {
        let terms = doc("Sundhedsdirektørkredsen", "Møder i Århus, café").terms();
        let bits = |term: &str| terms.iter().find(|(t, _)| t == term).map(|(_, b)| *b);
        assert_eq!(bits("sundhedsdirektoerkredsen"), Some(field::TITLE));
        assert_eq!(bits("direktoerkredsen"), Some(field::INNER));
        assert_eq!(bits("udvalg"), Some(field::KIND));
        assert_eq!(bits("moeder"), Some(field::TEXT));
        assert_eq!(bits("aarhus"), Some(field::TEXT));
        assert_eq!(bits("cafe"), Some(field::TEXT));
        // Too short to be worth a match inside a word.
        assert_eq!(bits("sen"), None);
        assert!(terms.windows(2).all(|w| w[0].0 < w[1].0), "sorted, once each");
    }

    #[test]
    fn words_are_folded_as_ids_are() {
        let text = "Sundhedsdirektørkredsen i Århus: Café Zürich, §17 stk. 4 – ÆØÅ æøå Łódź ß";
        let mut words = Vec::new();
        fold_words(text, &mut String::new(), |w| words.push(w.to_owned()));
        let slug = crate::id::slugify(text);
        assert_eq!(words, slug.split('-').collect::<Vec<_>>());
    }

    /// The postings of one term across the shards, as (document, bits).
    fn postings(files: &[(String, String)], term: &str) -> Vec<(u32, u8)> {
        let data = |text: &str| -> serde_json::Value {
            serde_json::from_str(&text[text.find('{').unwrap()..=text.rfind('}').unwrap()]).unwrap()
        };
        let shard = files.iter().filter(|(p, _)| p.starts_with("search/s/")).find_map(|(_, text)| {
            data(text)[term]
                .as_array()
                .map(|list| list.iter().map(|v| v.as_u64().unwrap() as u32).collect::<Vec<_>>())
        });
        let mut doc = 0;
        shard
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                doc += v >> field::BITS;
                (doc, (v & 0x7f) as u8)
            })
            .collect()
    }

    #[test]
    fn postings_name_documents_by_gaps_and_shards_are_listed_in_order() {
        let mut docs: Vec<Doc> =
            (0..3000).map(|i| doc(&format!("Udvalg {i}"), &format!("ord{i} fælles"))).collect();
        docs[7].a = vec!["Fælles".into()];
        let files = index_files(docs.clone()).unwrap();
        let fælles = postings(&files, "faelles");
        assert_eq!(fælles.len(), 3000);
        assert_eq!(fælles[7], (7, field::ALIAS | field::TEXT));
        assert!(fælles.iter().enumerate().all(|(i, &(d, _))| d == i as u32));
        assert_eq!(postings(&files, "ord2999"), [(2999, field::TEXT)]);
        // The table of shards names each shard's first term, in order.
        let (_, index) = &files[0];
        let index: serde_json::Value =
            serde_json::from_str(&index[index.find('{').unwrap()..=index.rfind('}').unwrap()]).unwrap();
        let firsts: Vec<&str> =
            index["shards"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(firsts.len() > 1, "{firsts:?}");
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        for (n, first) in firsts.iter().enumerate() {
            let shard = &files.iter().find(|(p, _)| *p == format!("search/s/{n}.js")).unwrap().1;
            assert!(shard.starts_with(&format!("mandatSearch.shard({n},{{\"{first}\":")), "{shard:.80}");
        }
        assert_eq!(files.iter().filter(|(p, _)| p.starts_with("search/d/")).count(), 3000 / DOCS_PER_FILE);
        assert_eq!(index_files(docs.clone()).unwrap(), files, "the same documents give the same files");
    }

    #[test]
    fn an_index_made_in_chunks_writes_the_files_of_one_made_at_once() {
        let docs: Vec<Doc> = (0..1030)
            .map(|i| doc(&format!("Udvalg {i}"), &format!("ord{i} fælles tekst{}", i % 7)))
            .collect();
        let expected: std::collections::BTreeMap<String, String> =
            index_files(docs.clone()).unwrap().into_iter().collect();
        let files = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let put = |path, text| {
            files.lock().unwrap().insert(path, text);
            Ok(())
        };
        // The last chunk is short, and does not fill its last file.
        Index::streamed(docs.chunks(CHUNK).map(<[Doc]>::to_vec), &put).unwrap().write(&put).unwrap();
        assert_eq!(files.into_inner().unwrap(), expected);
    }

    #[test]
    fn an_updated_index_writes_the_files_a_new_one_would() {
        let docs: Vec<Doc> = (0..2000)
            .map(|i| doc(&format!("Udvalg {i}"), &format!("ord{i} fælles tekst{}", i % 7)))
            .collect();
        let mut index = Index::new(docs.clone());
        let mut files: std::collections::BTreeMap<String, String> =
            index.files().unwrap().into_iter().collect();
        let mut changed = docs.clone();
        // New terms, a term gone (the only "ord5"), bits changed, and many postings gone,
        // so that shards are cut elsewhere and fewer are needed.
        changed[5].x = "helt nye ord fælles".into();
        changed[6].a = vec!["Fælles".into()];
        for d in changed.iter_mut().skip(100) {
            d.x = "fælles".into();
        }
        let (written, gone) = index.update(changed.clone()).unwrap();
        assert!(!gone.is_empty(), "the test makes shards go");
        files.extend(written);
        for path in gone {
            files.remove(&path);
        }
        let expected: std::collections::BTreeMap<String, String> =
            Index::new(changed).files().unwrap().into_iter().collect();
        assert_eq!(files, expected);
    }

    #[test]
    fn plain_text_drops_markup_and_is_bounded() {
        let md = "## Møder\n\nSe [[kl|KL]] og [[region]] og *dette*.";
        let text = Text::new(md);
        let words = plain(&readable(&text, |id| format!("Title of {id}")));
        assert_eq!(words, "Møder Se KL og Title of region og dette .");
        assert!(plain(&"ord ".repeat(2000)).chars().count() <= TEXT_CHARS);
    }
}
