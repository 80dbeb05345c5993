//! A Word `.docx` into blocks: the package is a zip (read with `zip`), the text is
//! `word/document.xml` (read with `quick-xml`).
//!
//! Headings are paragraphs whose style is a heading ("heading 1", Danish "Overskrift 1")
//! or the title; list items are paragraphs with numbering (`w:numPr`, its `w:ilvl` the
//! depth); a paragraph whose every run is bold keeps that mark for the mapping, which
//! takes a short bold line as a heading, as writers of kommissorier often do.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::document::{Block, Document, clean, nest};
use super::text::looks_like_heading;

/// A `.docx` larger than this, unpacked, is refused: a zip bomb is not a kommissorium.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a Word file (.docx): {e}"))?;
    let mut part = |name: &str| -> Result<Option<String>, String> {
        let entry = match archive.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{name}: {e}")),
        };
        let mut text = String::new();
        entry.take(MAX_UNPACKED).read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
        Ok(Some(text))
    };
    let document = part("word/document.xml")?.ok_or("not a Word document: it has no word/document.xml")?;
    let styles = part("word/styles.xml")?.map(|s| style_names(&s)).unwrap_or_default();
    body(&document, &styles).map_err(|e| format!("word/document.xml: {e}"))
}

/// Style id → style name, lower case ("Overskrift1" → "heading 1": Word keeps the
/// English name whatever the language of its interface).
fn style_names(xml: &str) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "style" => current = attr(&e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "val")) {
                        names.insert(id.clone(), name.to_lowercase());
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    names
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_owned()
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// One `w:p` as read so far.
#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    list_level: Option<usize>,
    /// Runs with text that are bold, and all runs with text.
    bold_runs: usize,
    runs: usize,
    run_bold: bool,
    run_has_text: bool,
}

fn body(xml: &str, styles: &HashMap<String, String>) -> Result<Document, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut list: Vec<(usize, String)> = Vec::new();
    let mut p: Option<Paragraph> = None;
    // Tables: rows of cells, a cell's paragraphs joined; nested tables flatten into theirs.
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event()?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e).as_str() {
                    "p" => p = Some(Paragraph::default()),
                    "pStyle" => {
                        if let Some(p) = &mut p {
                            p.style = attr(e, "val");
                        }
                    }
                    "ilvl" => {
                        if let Some(p) = &mut p {
                            p.list_level = attr(e, "val").and_then(|v| v.parse().ok()).or(Some(0));
                        }
                    }
                    "numPr" => {
                        if let Some(p) = &mut p {
                            p.list_level.get_or_insert(0);
                        }
                    }
                    "r" => {
                        if let Some(p) = &mut p {
                            p.run_bold = false;
                            p.run_has_text = false;
                        }
                    }
                    "b" => {
                        let off = attr(e, "val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
                        if let Some(p) = &mut p {
                            p.run_bold = !off;
                        }
                    }
                    "t" if !empty => in_text = true,
                    "tab" | "br" | "cr" => {
                        if let Some(p) = &mut p {
                            p.text.push(' ');
                        }
                    }
                    "tbl" if !empty => tables.push(Vec::new()),
                    "tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.push(Vec::new());
                        }
                    }
                    "tc" if !empty => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(String::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = &mut p {
                    p.text.push_str(&t.xml10_content());
                    p.run_has_text |= !t.xml10_content().trim().is_empty();
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = &mut p {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                            .unwrap_or_default()
                            .to_owned(),
                    };
                    p.text.push_str(&resolved);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "r" => {
                    if let Some(p) = &mut p
                        && p.run_has_text
                    {
                        p.runs += 1;
                        p.bold_runs += usize::from(p.run_bold);
                    }
                }
                "p" => {
                    let Some(done) = p.take() else { continue };
                    let text = clean(&done.text);
                    if text.is_empty() {
                        continue;
                    }
                    if let Some(cell) =
                        tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut())
                    {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&text);
                        continue;
                    }
                    let style = done
                        .style
                        .as_ref()
                        .map(|s| styles.get(s).cloned().unwrap_or_else(|| s.to_lowercase()));
                    let heading = style.as_deref().and_then(heading_level);
                    let bold = done.runs > 0 && done.bold_runs == done.runs;
                    // Numbering set on the paragraph, or by its style ("List Bullet 2").
                    let list_level = done.list_level.or_else(|| style.as_deref().and_then(list_level));
                    match (heading, list_level) {
                        (Some(level), _) => {
                            flush(&mut list, &mut blocks);
                            blocks.push(Block::Heading { level, text });
                        }
                        // A numbered short line is a numbered heading ("1. Formål").
                        (None, Some(_))
                            if (bold || super::sections::classify(&text).is_some())
                                && looks_like_heading(&text) =>
                        {
                            flush(&mut list, &mut blocks);
                            blocks.push(Block::Heading { level: 2, text });
                        }
                        (None, Some(depth)) => list.push((depth, text)),
                        (None, None) => {
                            flush(&mut list, &mut blocks);
                            blocks.push(Block::Paragraph { text, bold });
                        }
                    }
                }
                "tbl" => {
                    if let Some(mut table) = tables.pop() {
                        table.retain(|row| row.iter().any(|c| !c.is_empty()));
                        match tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut()) {
                            Some(cell) => {
                                let text = table.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join(" ");
                                cell.push_str(&text);
                            }
                            None => {
                                flush(&mut list, &mut blocks);
                                blocks.push(Block::Table(table));
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    flush(&mut list, &mut blocks);
    Ok(Document { blocks, furniture: Vec::new() })
}

fn flush(list: &mut Vec<(usize, String)>, blocks: &mut Vec<Block>) {
    if !list.is_empty() {
        blocks.push(Block::List(nest(std::mem::take(list))));
    }
}

/// "list bullet 2" → 1, "list paragraph" → 0 (Danish "Opstilling med punkttegn 2" too);
/// other styles are none.
fn list_level(style: &str) -> Option<usize> {
    let rest = [
        "list bullet",
        "list number",
        "list continue",
        "list paragraph",
        "opstilling med punkttegn",
        "opstilling med tal",
        "listeafsnit",
    ]
    .iter()
    .find_map(|prefix| style.strip_prefix(prefix))?;
    Some(rest.trim().parse::<usize>().map_or(0, |n| n.saturating_sub(1)))
}

/// "heading 2" → 2, "title" → 1; other styles are none.
fn heading_level(style: &str) -> Option<u8> {
    if style == "title" || style == "titel" {
        return Some(1);
    }
    let rest = style.strip_prefix("heading").or_else(|| style.strip_prefix("overskrift"))?;
    rest.trim().parse().ok().filter(|l| (1..=9).contains(l))
}
