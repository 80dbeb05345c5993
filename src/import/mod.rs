//! `mandat import`: a kommissorium as a secretariat has it — Word, PDF, HTML, Markdown or
//! plain text — into a draft body file that checks.
//!
//! Reading and mapping are separate: each format has a reader that makes a [`Document`]
//! (headings, paragraphs, lists, tables), and one mapping ([`map`]) turns any document
//! into a [`Draft`]. The mapping places only what the text says unambiguously and resolves
//! names only to ids that exist; what it cannot place stays in the Markdown text and is
//! listed in a comment block at the top of the file.

mod dates;
pub mod document;
mod docx;
mod html;
pub mod map;
mod markdown;
mod names;
mod pdf;
mod sections;
mod text;

use std::path::Path;

pub use document::{Block, Document, Item};
pub use map::{Draft, SeatDraft};

use crate::fmt::FmtError;
use crate::model::{Content, Date, EntityKind};

/// The formats `import` reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
    Html,
    Text,
    Markdown,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        Some(match ext.as_str() {
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            "html" | "htm" => Format::Html,
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            _ => return None,
        })
    }
}

/// The document in `bytes`; the error says what is wrong with the file, for a person.
pub fn read(format: Format, bytes: &[u8]) -> Result<Document, String> {
    match format {
        Format::Docx => docx::read(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Html => Ok(html::read(&decode(bytes))),
        Format::Text => Ok(text::read(&decode(bytes))),
        Format::Markdown => Ok(markdown::read(&decode(bytes))),
    }
}

/// Text files from Windows are often Windows-1252 rather than UTF-8; a byte-order mark
/// says which.
fn decode(bytes: &[u8]) -> String {
    let (text, _, _) = match std::str::from_utf8(bytes) {
        Ok(_) => encoding_rs::UTF_8.decode(bytes),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes),
    };
    text.into_owned()
}

/// A draft ready to write: its id, the file's text and what was placed and left.
pub struct Imported {
    pub id: String,
    pub file: String,
    pub draft: Draft,
}

/// Maps `doc` against the site's `content`. `source` is the file's name, for the comment
/// and as the title when the document states none.
pub fn import(
    doc: &Document,
    source: &str,
    content: &Content,
    parent: Option<&str>,
) -> Result<Imported, FmtError> {
    let stem = Path::new(source).file_stem().and_then(|s| s.to_str()).unwrap_or(source);
    let mut own_id = String::new();
    let draft = map::map(doc, stem, |title| {
        own_id = id_for(title, stem);
        names::Names::new(content, Some((&own_id, title)))
    });
    let front = front_matter(&draft, parent, source);
    let text = format!(
        "+++\n{front}+++\n{}",
        if draft.text.is_empty() { String::new() } else { format!("\n{}", draft.text) }
    );
    let file = crate::fmt::format(&text, EntityKind::Body)?;
    Ok(Imported { id: own_id, file, draft })
}

/// The site at `root` checked with `text` as `content/bodies/<id>.md` (in place of the file
/// of that name, if there is one), and that path: whether a draft passes `check`, and what
/// it says once it is read as the site will read it.
pub fn check_in_site(
    root: &Path,
    id: &str,
    text: &str,
) -> Result<(crate::Loaded, std::path::PathBuf), crate::error::Error> {
    let relative = Path::new("content").join("bodies").join(format!("{id}.md"));
    let mut walked = crate::walk::walk(root)?;
    walked.files.retain(|f| f.path != relative);
    walked.files.push(crate::walk::RawFile {
        path: relative.clone(),
        kind: EntityKind::Body,
        bytes: text.as_bytes().to_vec(),
    });
    walked.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((crate::check(walked), relative))
}

/// The id `mandat new` would make of the title; of the file's name when the title has no
/// letters or digits.
fn id_for(title: &str, stem: &str) -> String {
    let id = crate::id::slugify(title);
    if id.is_empty() { crate::id::slugify(stem) } else { id }
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A whole date as a TOML date, a partial one quoted.
fn date(d: Date) -> String {
    if d.day.is_some() { d.to_string() } else { quote(&d.to_string()) }
}

fn items(list: &[Item]) -> String {
    let entries: Vec<String> = list
        .iter()
        .map(|i| match i.children.is_empty() {
            true => quote(&i.text),
            false => format!("{{ text = {}, items = {} }}", quote(&i.text), items(&i.children)),
        })
        .collect();
    format!("[{}]", entries.join(", "))
}

fn front_matter(d: &Draft, parent: Option<&str>, source: &str) -> String {
    let mut out = String::new();
    let comment = |out: &mut String, line: &str| {
        for l in line.lines() {
            out.push_str(&format!("# {l}\n"));
        }
    };
    comment(&mut out, &format!("Draft made by `mandat import` from {source}."));
    comment(&mut out, "Check it against the original, then delete this comment.");
    if d.left.is_empty() {
        comment(&mut out, "Everything it found was placed; the text below the front matter is as written.");
    } else {
        comment(&mut out, "To check:");
        for left in &d.left {
            comment(&mut out, &format!("- {}", left.replace('\n', " ")));
        }
    }
    let mut key = |name: &str, value: String| out.push_str(&format!("{name} = {value}\n"));
    key("title", quote(&d.title));
    if let Some(parent) = parent {
        key("parent", quote(parent));
    }
    if let Some(x) = d.established {
        key("established", date(x));
    }
    if let Some(x) = d.approved {
        key("approved", date(x));
    }
    if let Some(x) = &d.approved_by {
        key("approved_by", quote(x));
    }
    if let Some(x) = d.revised {
        key("revised", date(x));
    }
    if let Some(x) = &d.case_ref {
        key("case_ref", quote(x));
    }
    if let Some(x) = &d.secretariat {
        key("secretariat", quote(x));
    }
    if let Some(x) = &d.purpose {
        key("purpose", quote(x));
    }
    if !d.tasks.is_empty() {
        key("tasks", items(&d.tasks));
    }
    if !d.competences.is_empty() {
        key("competences", items(&d.competences));
    }
    if let Some(x) = &d.meetings {
        key("meetings", quote(x));
    }
    for seat in &d.members {
        out.push_str(&format!(
            "\n[[members]]\nfrom = {}\ncount = {}\n",
            quote(&seat.from),
            quote(&seat.count)
        ));
        if seat.each {
            out.push_str("each = true\n");
        }
        if let Some(role) = seat.role {
            out.push_str(&format!("role = {}\n", quote(role)));
        }
        if let Some(by) = &seat.nominated_by {
            out.push_str(&format!("nominated_by = {}\n", quote(by)));
        }
    }
    for (title, due) in &d.deliverables {
        out.push_str(&format!("\n[[deliverables]]\ntitle = {}\ndue = {}\n", quote(title), date(*due)));
    }
    out
}
