//! Turns raw content files into the model, one file at a time.
//!
//! Problems local to a file (encoding, fences, TOML syntax, unknown keys, wrong types,
//! bad counts and dates) are found here; problems between files (references, duplicates,
//! cycles) are the validate stage's. A file with a problem is left out of the content but
//! does not stop the others from being read.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, FileId, Sources, did_you_mean};
use crate::frontmatter::{self, SplitError};
use crate::id::{is_valid_id, slugify};
use crate::model::EntityKind;
use crate::model::{Body, Content, Date, Organisation, Person, Text};
use crate::walk::{RawFile, Skip, Walked};

/// The outcome of parsing: what could be read, and what could not.
#[derive(Debug, Default)]
pub struct Parsed {
    pub sources: Sources,
    pub content: Content,
    pub diagnostics: Vec<Diagnostic>,
    /// Ids of files that exist but could not be read into the model. References to them
    /// are not reported again as unknown: the file's own error says what to fix.
    pub unreadable: HashSet<String>,
}

pub fn parse(walked: Walked) -> Parsed {
    let mut parsed = Parsed::default();
    for skipped in &walked.skipped {
        let file = parsed.sources.add(&skipped.path, String::new());
        let warning = match skipped.why {
            Skip::LinkOutside => Diagnostic::warning("symlink-skipped", file, 0..0, "symbolic link skipped")
                .with_label("it does not lead to a file or folder inside the site")
                .with_help("copy the files into the site, or point the link at something inside it"),
            Skip::Hidden => {
                Diagnostic::warning("hidden-skipped", file, 0..0, "hidden file or folder skipped")
                    .with_label("names starting with `.` are not content, here or in `mandat diff`")
                    .with_help("rename it without the `.` to publish it")
            }
            Skip::Extension => {
                Diagnostic::warning("extension-skipped", file, 0..0, "file skipped: not `.md`")
                    .with_label("content files end in `.md`, in lower case")
                    .with_help("rename it to end in `.md` to publish it")
            }
        };
        parsed.diagnostics.push(warning);
    }
    // Files are independent, so they parse in parallel; each one's `FileId` is known up
    // front because `Sources` receives them in walk order below.
    let first = parsed.sources.len();
    let results: Vec<ParsedFile> =
        walked.files.into_par_iter().enumerate().map(|(i, raw)| parse_file(raw, first + i)).collect();
    // Sized exactly: a body is almost a kilobyte before its strings, and grown by
    // doubling the list would hold thousands of empty places for the whole build.
    let count = |kind: EntityKind| {
        results.iter().filter(|r| r.entity.as_ref().is_ok_and(|e| e.kind() == kind)).count()
    };
    let content = &mut parsed.content;
    content.bodies.reserve_exact(count(EntityKind::Body));
    content.organisations.reserve_exact(count(EntityKind::Organisation));
    content.people.reserve_exact(count(EntityKind::Person));
    for result in results {
        let file = parsed.sources.add(&result.path, result.text);
        debug_assert_eq!(file, result.file);
        parsed.diagnostics.extend(result.diagnostics);
        match result.entity {
            Ok(ParsedEntity::Body(b)) => parsed.content.bodies.push(*b),
            Ok(ParsedEntity::Organisation(o)) => parsed.content.organisations.push(*o),
            Ok(ParsedEntity::Person(p)) => parsed.content.people.push(*p),
            Err(id) => _ = parsed.unreadable.insert(id),
        }
    }
    parsed.content.bodies.sort_by(|a, b| a.id.cmp(&b.id));
    parsed.content.organisations.sort_by(|a, b| a.id.cmp(&b.id));
    parsed.content.people.sort_by(|a, b| a.id.cmp(&b.id));
    parsed.content.attachments = walked.attachments;
    parsed
}

pub(crate) enum ParsedEntity {
    Body(Box<Body>),
    Organisation(Box<Organisation>),
    Person(Box<Person>),
}

impl ParsedEntity {
    fn kind(&self) -> EntityKind {
        match self {
            ParsedEntity::Body(_) => EntityKind::Body,
            ParsedEntity::Organisation(_) => EntityKind::Organisation,
            ParsedEntity::Person(_) => EntityKind::Person,
        }
    }
}

/// One file's outcome: its text for `Sources`, its problems, and its entity or, if it
/// could not be read, its id.
pub(crate) struct ParsedFile {
    pub path: PathBuf,
    pub file: FileId,
    /// Shared by `Sources` and the entity's [`Text`].
    pub text: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    pub entity: Result<ParsedEntity, String>,
}

/// Reads one file into the model; `file` is its place in `Sources`.
pub(crate) fn parse_file(raw: RawFile, file: FileId) -> ParsedFile {
    let id = file_id(&raw.path);
    let mut diagnostics = Vec::new();
    let text: Arc<str> = match String::from_utf8(raw.bytes) {
        Ok(text) => text.into(),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            diagnostics.push(
                Diagnostic::error(
                    "not-utf8",
                    file,
                    0..0,
                    format!("{} is not UTF-8 text (invalid byte at offset {offset})", raw.path.display()),
                )
                .with_help("save the file with UTF-8 encoding"),
            );
            return ParsedFile { path: raw.path, file, text: "".into(), diagnostics, entity: Err(id) };
        }
    };
    if !is_valid_id(&id) {
        diagnostics.push(
            Diagnostic::error("invalid-id", file, 0..0, format!("`{id}` is not a valid id"))
                .with_label("the id is the file name without `.md`")
                .with_help(format!(
                    "ids use only a-z, 0-9 and `-`; rename the file to `{}.md`",
                    slugify(&id)
                )),
        );
    }
    let source = raw.path.to_string_lossy().replace('\\', "/");
    let entity = read_entity(&text, id, source, raw.kind, file, &mut diagnostics);
    ParsedFile { path: raw.path, file, text, diagnostics, entity }
}

fn read_entity(
    text: &Arc<str>,
    id: String,
    path: String,
    kind: EntityKind,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ParsedEntity, String> {
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(e) => {
            diagnostics.push(split_error(file, &e));
            return Err(id);
        }
    };
    let toml_end = split.toml_start + split.toml.len();
    let body_text = Text::in_file(text.clone(), split.markdown_start);
    let entity = match kind {
        EntityKind::Body => {
            deserialize(text, split.toml_start..toml_end, file, "a body", diagnostics).map(|meta| {
                ParsedEntity::Body(Box::new(Body { id: id.clone(), path, file, meta, text: body_text }))
            })
        }
        EntityKind::Organisation => {
            deserialize(text, split.toml_start..toml_end, file, "an organisation", diagnostics).map(|meta| {
                ParsedEntity::Organisation(Box::new(Organisation {
                    id: id.clone(),
                    path,
                    file,
                    meta,
                    text: body_text,
                }))
            })
        }
        EntityKind::Person => deserialize(text, split.toml_start..toml_end, file, "a person", diagnostics)
            .map(|meta| {
                ParsedEntity::Person(Box::new(Person { id: id.clone(), path, file, meta, text: body_text }))
            }),
    };
    entity.ok_or(id)
}

fn file_id(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn split_error(file: FileId, e: &SplitError) -> Diagnostic {
    match e {
        SplitError::MissingOpening(span) => Diagnostic::error(
            "missing-front-matter",
            file,
            span.clone(),
            "missing front matter",
        )
        .with_label("expected `+++` on the first line")
        .with_help(
            "start the file with a line `+++`, the TOML keys (at least `title = \"…\"`), and another `+++`",
        ),
        SplitError::MissingClosing(span) => {
            Diagnostic::error("unclosed-front-matter", file, span.clone(), "front matter is never closed")
                .with_label("opened here")
                .with_help("end the front matter with a line `+++` before the Markdown text")
        }
    }
}

/// Deserializes front matter, turning TOML and serde errors into diagnostics.
///
/// The TOML parser sees the file with everything before the front matter blanked out,
/// so every span it reports, including those kept in [`crate::model::Spanned`] values,
/// is a byte offset in the file itself.
/// `what` names the thing described, for messages: "a body", "mandat.toml".
pub(crate) fn deserialize<T: DeserializeOwned>(
    file_text: &str,
    toml: Range<usize>,
    file: FileId,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let (toml_start, toml_end) = (toml.start, toml.end);
    let blanked: String = file_text[..toml_start]
        .chars()
        .map(|c| if c == '\n' { "\n".to_owned() } else { " ".repeat(c.len_utf8()) })
        .chain(std::iter::once(file_text[toml_start..toml_end].to_owned()))
        .collect();
    let span_or_start = |span: Option<Range<usize>>| span.unwrap_or(toml_start..toml_start);
    let (mut root, syntax) = toml::de::DeTable::parse_recoverable(&blanked);
    if !syntax.is_empty() {
        for e in syntax {
            let span = span_or_start(e.span());
            let diagnostic =
                Diagnostic::error("toml-syntax", file, span.clone(), "malformed TOML in the front matter")
                    .with_label(e.message().trim_end());
            let written = blanked.get(span).unwrap_or_default();
            diagnostics.push(match Date::hint(written) {
                Some(hint) => diagnostic.with_help(hint),
                None => diagnostic,
            });
        }
        return None;
    }
    refuse_control_characters(root.get_ref(), file, diagnostics);
    // serde stops at the first problem. To report every one, the offending entry is
    // taken out of the parsed tree and the rest is read again, until it reads cleanly.
    // Each round removes an entry, so the loop ends; the cap only bounds hostile input.
    let mut taken_out: Vec<(Range<usize>, String)> = Vec::new();
    for _ in 0..MAX_PROBLEMS_PER_FILE {
        let error = match T::deserialize(toml::de::Deserializer::from(root.clone())) {
            Ok(value) => return Some(value),
            Err(e) => e,
        };
        let span = span_or_start(error.span());
        let message = error.message().trim_end();
        let missing = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`'));
        // A key that was taken out for a wrong value is not missing as well.
        let already_said =
            missing.is_some_and(|field| taken_out.iter().any(|(s, k)| *s == span && k == field));
        if !already_said {
            diagnostics.push(schema_error(message, span.clone(), key_at(&blanked, span.start), file, what));
        }
        match take_out(&mut root, &span) {
            Some(taken) => taken_out.push(taken),
            None => return None,
        }
    }
    None
}

/// Reports keys and texts holding control characters or noncharacters (U+0001, U+001B,
/// U+FFFF …): invisible when written, they make pages and diagrams ill-formed XML, and
/// a terminal would obey them. Tabs and line breaks are fine.
fn refuse_control_characters(table: &toml::de::DeTable<'_>, file: FileId, diagnostics: &mut Vec<Diagnostic>) {
    let bad = |text: &str| {
        crate::diagnostic::has_unprintable(text)
            .then(|| text.chars().find(|&c| crate::diagnostic::is_unprintable(c)))
            .flatten()
    };
    let mut report = |c: char, span: Range<usize>| {
        diagnostics.push(
            Diagnostic::error(
                "control-character",
                file,
                span,
                format!("invisible character U+{:04X} in the text", c as u32),
            )
            .with_label("control characters are not allowed in front matter")
            .with_help("delete it (it is often pasted along with text from another program)"),
        );
    };
    let mut stack: Vec<&toml::Spanned<toml::de::DeValue<'_>>> = Vec::new();
    for (key, value) in table {
        if let Some(c) = bad(key.get_ref()) {
            report(c, key.span());
        }
        stack.push(value);
    }
    while let Some(value) = stack.pop() {
        match value.get_ref() {
            toml::de::DeValue::String(text) => {
                if let Some(c) = bad(text) {
                    report(c, value.span());
                }
            }
            toml::de::DeValue::Array(items) => stack.extend(items.iter()),
            toml::de::DeValue::Table(inner) => {
                for (key, value) in inner {
                    if let Some(c) = bad(key.get_ref()) {
                        report(c, key.span());
                    }
                    stack.push(value);
                }
            }
            _ => {}
        }
    }
}

/// More than this many problems in one file's front matter are not listed one by one.
const MAX_PROBLEMS_PER_FILE: usize = 100;

/// Removes from `root` the innermost entry or list item that `span` points into, so the
/// next read gets past it. Returns the span of the table it was in and its key (empty for
/// list items); `None` if the span is the whole document (a required key is missing).
fn take_out(
    root: &mut toml::Spanned<toml::de::DeTable<'_>>,
    span: &Range<usize>,
) -> Option<(Range<usize>, String)> {
    let table_span = root.span();
    take_from_table(root.get_mut(), table_span, span)
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

// The search looks inside every table and list, not only those whose span holds the
// error: a `[[members]]` item's span is its header line, not the keys below it.
fn take_from_table(
    table: &mut toml::de::DeTable<'_>,
    table_span: Range<usize>,
    span: &Range<usize>,
) -> Option<(Range<usize>, String)> {
    let keys: Vec<_> = table.keys().cloned().collect();
    for key in keys {
        let value = table.get_mut(&key)?;
        let here = contains(&key.span(), span) || contains(&value.span(), span);
        if !contains(&key.span(), span)
            && let Some(inner) = take_from_value(value, span)
        {
            return Some(inner);
        }
        if here {
            table.remove(&key);
            return Some((table_span, key.into_inner().into_owned()));
        }
    }
    None
}

fn take_from_value(
    value: &mut toml::Spanned<toml::de::DeValue<'_>>,
    span: &Range<usize>,
) -> Option<(Range<usize>, String)> {
    let value_span = value.span();
    if value_span == *span {
        return None;
    }
    match value.get_mut() {
        toml::de::DeValue::Table(table) => take_from_table(table, value_span, span),
        toml::de::DeValue::Array(array) => {
            for index in 0..array.len() {
                if let Some(inner) = take_from_value(&mut array.as_mut()[index], span) {
                    return Some(inner);
                }
                if contains(&array[index].span(), span) {
                    let mut kept = toml::de::DeArray::new();
                    for (i, item) in array.iter().enumerate() {
                        if i != index {
                            kept.push(item.clone());
                        }
                    }
                    *array = kept;
                    return Some((value_span, String::new()));
                }
            }
            None
        }
        _ => None,
    }
}

/// The key on the line of `offset`, for naming it in messages (`count = "3-2"` → `count`).
fn key_at(toml: &str, offset: usize) -> Option<&str> {
    let line_start = toml[..offset.min(toml.len())].rfind('\n').map_or(0, |i| i + 1);
    let (key, _) = toml[line_start..offset.min(toml.len())].split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.contains(['"', '[', '{'])).then_some(key)
}

/// Explains a serde error in the words of the front-matter contract.
fn schema_error(
    message: &str,
    span: Range<usize>,
    key: Option<&str>,
    file: FileId,
    what: &str,
) -> Diagnostic {
    if let Some((name, expected)) = serde_unknown(message, "unknown field `") {
        let help = match did_you_mean(name, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys here are: {}", expected.join(", ")),
        };
        return Diagnostic::error("unknown-key", file, span, format!("unknown key `{name}`"))
            .with_label(format!("not a key of {what}"))
            .with_help(help);
    }
    if let Some((name, expected)) = serde_unknown(message, "unknown variant `") {
        let diagnostic = Diagnostic::error("unknown-value", file, span, format!("unknown value `{name}`"))
            .with_label(format!("expected one of: {}", expected.join(", ")));
        return match did_you_mean(name, expected.iter().copied()) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic,
        };
    }
    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        return Diagnostic::error("missing-key", file, span, format!("missing key `{field}`"))
            .with_label(format!("{what} needs `{field}`"))
            .with_help(format!("add a line `{field} = \"…\"` to the front matter"));
    }
    let what = key.map_or_else(
        || "invalid value in the front matter".to_owned(),
        |k| format!("invalid value for `{k}`"),
    );
    Diagnostic::error("invalid-value", file, span, what).with_label(message)
}

/// Reads serde's standard "unknown field `x`, expected one of `a`, `b`" message.
fn serde_unknown<'m>(message: &'m str, prefix: &str) -> Option<(&'m str, Vec<&'m str>)> {
    let rest = message.strip_prefix(prefix)?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect::<Vec<_>>();
    Some((name, expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_one(kind: EntityKind, name: &str, text: &str) -> Parsed {
        let folder = kind.folder();
        parse(Walked {
            files: vec![RawFile {
                path: PathBuf::from(format!("content/{folder}/{name}.md")),
                kind,
                bytes: text.as_bytes().to_vec(),
            }],
            skipped: vec![],
            attachments: vec![],
        })
    }

    fn only_error(parsed: &Parsed) -> &Diagnostic {
        assert_eq!(parsed.diagnostics.len(), 1, "{:#?}", parsed.diagnostics);
        &parsed.diagnostics[0]
    }

    #[test]
    fn reads_a_body() {
        let parsed = parse_one(
            EntityKind::Body,
            "kg",
            "+++\ntitle = \"KG\"\nparent = \"dak\"\napproved = 2019-09-19\n[[members]]\nfrom = \"rsd\"\ncount = \"2-3\"\n+++\nSee [[dak]].\n",
        );
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let body = &parsed.content.bodies[0];
        assert_eq!(body.id, "kg");
        assert_eq!(body.meta.parent.as_ref().unwrap().get_ref(), "dak");
        assert_eq!(body.meta.members[0].count.to_string(), "2-3");
        assert_eq!(body.meta.members[0].role(), "member");
        assert_eq!(body.text.links[0].target, "dak");
        assert_eq!(body.text.markdown(), "See [[dak]].\n");
    }

    #[test]
    fn unknown_key_points_at_the_key_and_suggests() {
        let text = "+++\ntitle = \"KG\"\nparnet = \"dak\"\n+++\n";
        let parsed = parse_one(EntityKind::Body, "kg", text);
        let d = only_error(&parsed);
        assert_eq!(d.code, "unknown-key");
        assert_eq!(&text[d.span.clone()], "parnet");
        assert_eq!(d.help.as_deref(), Some("did you mean `parent`?"));
    }

    #[test]
    fn unknown_status_suggests() {
        let text = "+++\ntitle = \"KG\"\nstatus = \"activ\"\n+++\n";
        let d = only_error(&parse_one(EntityKind::Body, "kg", text)).clone();
        assert_eq!(d.code, "unknown-value");
        assert_eq!(&text[d.span.clone()], "\"activ\"");
        assert_eq!(d.help.as_deref(), Some("did you mean `active`?"));
    }

    #[test]
    fn bad_count_points_at_the_value() {
        let text = "+++\ntitle = \"KG\"\n[[members]]\nfrom = \"x\"\ncount = \"3-2\"\n+++\n";
        let d = only_error(&parse_one(EntityKind::Body, "kg", text)).clone();
        assert_eq!(d.code, "invalid-value");
        assert_eq!(&text[d.span.clone()], "\"3-2\"");
        assert!(d.label.contains("backwards"), "{}", d.label);
    }

    #[test]
    fn control_characters_and_noncharacters_are_refused_wherever_they_are() {
        for bad in ["\\uFFFF", "\\u000b", "\\u0001"] {
            let text =
                format!("+++\ntitle = \"A{bad}\"\n[[members]]\nfrom = \"x\"\nnote = \"n{bad}\"\n+++\n");
            let parsed = parse_one(EntityKind::Body, "kg", &text);
            let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, ["control-character", "control-character"], "{bad}: {:#?}", parsed.diagnostics);
        }
        let fine = parse_one(
            EntityKind::Body,
            "kg",
            "+++\ntitle = \"A\\tB\"\npurpose = \"\"\"\nTwo\nlines\"\"\"\n+++\n",
        );
        assert!(fine.diagnostics.is_empty(), "{:#?}", fine.diagnostics);
    }

    #[test]
    fn invalid_id_suggests_a_slug() {
        let parsed = parse_one(EntityKind::Body, "Koordinationsgruppen Æble", "+++\ntitle = \"A\"\n+++\n");
        let d = only_error(&parsed);
        assert_eq!(d.code, "invalid-id");
        assert!(d.help.as_deref().unwrap().contains("`koordinationsgruppen-aeble.md`"));
    }

    #[test]
    fn non_utf8_is_named() {
        let parsed = parse(Walked {
            files: vec![RawFile {
                path: PathBuf::from("content/bodies/x.md"),
                kind: EntityKind::Body,
                bytes: b"+++\ntitle = \"\xff\"\n+++\n".to_vec(),
            }],
            skipped: vec![],
            attachments: vec![],
        });
        let d = only_error(&parsed);
        assert_eq!(d.code, "not-utf8");
        assert!(d.message.contains("content/bodies/x.md"));
        assert!(d.message.contains("offset 13"));
    }
}
