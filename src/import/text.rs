//! Plain text — a `.txt` file, or the text layer of a PDF — into blocks. Text has no
//! markup, so the structure is read from the lines: bullets and their indentation make
//! lists, short lines that stand alone make headings, and lines that wrap are joined.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::document::{Block, Document, clean, nest};
use super::sections;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(side|page|s\.)\s*\d+(\s*(af|of|/)\s*\d+)?$|^[-–]?\s*\d{1,3}\s*[-–]?$|^\d+\s*/\s*\d+$")
        .expect("the page-number pattern is valid")
});
/// A page number at the end of a footer line: "Region Nordjylland · Side 2".
static PAGE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:side|page)\s*\d+(?:\s*(?:af|of|/)\s*\d+)?$")
        .expect("the page-suffix pattern is valid")
});
static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>\s*)(?P<marker>[-–•·*▪◦○●■□➢►]|o|\d{1,2}[.)]|[a-z][.)])\s+(?P<text>\S.*)$")
        .expect("the bullet pattern is valid")
});

/// A `.txt` file's text.
pub fn read(text: &str) -> Document {
    read_pages(&[text.to_owned()])
}

/// Text in pages (a PDF's): lines that repeat on several pages, and page numbers, are
/// page furniture and are set aside before the structure is read.
pub fn read_pages(pages: &[String]) -> Document {
    let mut lines: Vec<String> = Vec::new();
    for page in pages {
        lines.extend(page.lines().map(|l| {
            let line = l.replace(['\u{a0}', '\t', '\u{c}'], " ");
            PAGE_SUFFIX.replace(line.trim_end(), "").into_owned()
        }));
        lines.push(String::new());
    }
    let furniture: Vec<String> = furniture(&lines).into_iter().map(str::to_owned).collect();
    let mut set_aside = Vec::new();
    let kept: Vec<String> = lines
        .into_iter()
        .map(|line| {
            let key = line.trim();
            if furniture.iter().any(|f| f == key) || PAGE_NUMBER.is_match(key) {
                if !set_aside.contains(&key.to_owned()) {
                    set_aside.push(key.to_owned());
                }
                String::new()
            } else {
                line
            }
        })
        .collect();
    Document { blocks: blocks(&kept), furniture: set_aside }
}

/// Short lines that occur more than once verbatim and are no section heading: the
/// letterhead and footer a PDF repeats on every page.
fn furniture(lines: &[String]) -> Vec<&str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for line in lines {
        let key = line.trim();
        if !key.is_empty()
            && key.chars().count() <= 60
            && !key.ends_with(['.', ':'])
            && !BULLET.is_match(line)
        {
            *seen.entry(key).or_default() += 1;
        }
    }
    let mut out: Vec<&str> =
        seen.into_iter().filter(|(k, n)| *n > 1 && sections::classify(k).is_none()).map(|(k, _)| k).collect();
    out.sort_unstable();
    out
}

enum Line<'a> {
    Blank,
    Bullet { depth: usize, text: &'a str },
    Text(&'a str),
}

fn line_kind(line: &str) -> Line<'_> {
    if line.trim().is_empty() {
        return Line::Blank;
    }
    if let Some(c) = BULLET.captures(line) {
        let text = c.name("text").map_or("", |m| m.as_str());
        let marker = c.name("marker").map_or("", |m| m.as_str());
        // "1. Formål" is a numbered heading, not a list item.
        let numbered = marker.ends_with(['.', ')']);
        if !(numbered && looks_like_heading(text)) {
            let indent = c.name("indent").map_or(0, |m| m.as_str().chars().count());
            // A second-level marker ("- o Dette …") or an indented one.
            let (depth, text) = match BULLET.captures(text) {
                Some(inner) if !numbered => (1, inner.name("text").map_or(text, |m| m.as_str())),
                _ => (0, text),
            };
            return Line::Bullet {
                depth: depth + indent.div_ceil(2) + usize::from(marker == "o" || marker == "◦"),
                text,
            };
        }
    }
    Line::Text(line.trim())
}

/// A line that reads as a heading on its own: a known section heading, a line in capitals,
/// or a short line without a sentence's end.
pub fn looks_like_heading(line: &str) -> bool {
    let text = sections::strip_numbering(line);
    let words = text.split_whitespace().count();
    if words == 0
        || text.chars().count() > 80
        || text.ends_with([',', ';'])
        || (text.ends_with(':') && words > 3)
    {
        return false;
    }
    let capital = text.chars().next().is_some_and(char::is_uppercase);
    if capital && sections::classify(text).is_some() && !text.ends_with('.') {
        return true;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    if capitals && words <= 8 {
        return true;
    }
    words <= 6
        && text.chars().count() <= 60
        && capital
        && !text.ends_with(['.', ':', '!', '?'])
        && !text.contains([':', '@', '/'])
        && text.split_whitespace().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        && !text.chars().any(|c| c.is_ascii_digit())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', ':', '!', '?', ';'])
}

fn blocks(lines: &[String]) -> Vec<Block> {
    let kinds: Vec<Line> = lines.iter().map(|l| line_kind(l)).collect();
    // For each line, the first line from it on that is not blank (kinds.len() if none).
    let mut next_content = vec![kinds.len(); kinds.len()];
    for i in (0..kinds.len()).rev() {
        next_content[i] = if matches!(kinds[i], Line::Blank) {
            next_content.get(i + 1).copied().unwrap_or(kinds.len())
        } else {
            i
        };
    }
    let mut out: Vec<Block> = Vec::new();
    let mut list: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    let flush = |list: &mut Vec<(usize, String)>, out: &mut Vec<Block>| {
        if !list.is_empty() {
            out.push(Block::List(nest(std::mem::take(list))));
        }
    };
    while i < kinds.len() {
        match &kinds[i] {
            Line::Blank => i += 1,
            Line::Bullet { depth, text } => {
                list.push((*depth, clean(text)));
                i += 1;
                // A wrapped item goes on without a marker.
                while let Some(Line::Text(more)) = kinds.get(i) {
                    let last = list.last_mut().expect("an item was just pushed");
                    let lower = more.starts_with(char::is_lowercase);
                    if !lower && (ends_sentence(&last.1) || looks_like_heading(more)) {
                        break;
                    }
                    last.1 = join(&last.1, more);
                    i += 1;
                }
            }
            Line::Text(text) => {
                if looks_like_heading(text) && !continues(&out, text) {
                    flush(&mut list, &mut out);
                    out.push(Block::Heading { level: 2, text: clean(text) });
                    i += 1;
                    continue;
                }
                flush(&mut list, &mut out);
                let mut paragraph = clean(text);
                i += 1;
                while let Some(Line::Text(more)) = kinds.get(i) {
                    let wraps = !ends_sentence(&paragraph)
                        && (paragraph.chars().count() >= 60 || more.starts_with(char::is_lowercase));
                    if !wraps
                        && (looks_like_heading(more)
                            || ends_sentence(&paragraph)
                            || !more.starts_with(char::is_lowercase))
                    {
                        break;
                    }
                    paragraph = join(&paragraph, more);
                    i += 1;
                }
                // A paragraph cut by a page break goes on in lower case after a blank line.
                match out.last_mut() {
                    Some(Block::Paragraph { text, .. })
                        if !ends_sentence(text) && paragraph.starts_with(char::is_lowercase) =>
                    {
                        *text = join(text, &paragraph);
                    }
                    _ => out.push(Block::paragraph(paragraph)),
                }
            }
        }
        // Lists separated only by blank lines are one list.
        if !matches!(next_content.get(i).and_then(|&n| kinds.get(n)), Some(Line::Bullet { .. })) {
            flush(&mut list, &mut out);
        }
    }
    flush(&mut list, &mut out);
    out
}

/// Whether `text`, which looks like a heading, is rather the rest of a paragraph that a
/// page break cut ("De" | "kommunale repræsentanter …").
fn continues(out: &[Block], text: &str) -> bool {
    text.starts_with(char::is_lowercase)
        && matches!(out.last(), Some(Block::Paragraph { text: before, .. }) if !ends_sentence(before))
}

/// Two pieces of one line of text; a word hyphenated at the end of a line is kept whole
/// only when it is a compound ("social- og"), which plain text cannot tell: the hyphen stays.
fn join(a: &str, b: &str) -> String {
    format!("{} {}", a.trim_end(), clean(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. } => format!("# {text}"),
                Block::Paragraph { text, .. } => format!("p {text}"),
                Block::List(items) => format!(
                    "list {}",
                    items
                        .iter()
                        .map(|i| format!(
                            "{}[{}]",
                            i.text,
                            i.children.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("|")
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                Block::Table(rows) => format!("table {}", rows.len()),
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_nested_lists() {
        let doc = read(
            "Kommissorium for Testudvalget\n\nFormål\n\nUdvalget skal rådgive.\nOpgaver\nUdvalget skal:\n\n- tage stilling til\n - o noget under\n\n- følge op\nMøder\n",
        );
        assert_eq!(
            texts(&doc),
            [
                "# Kommissorium for Testudvalget",
                "# Formål",
                "p Udvalget skal rådgive.",
                "# Opgaver",
                "p Udvalget skal:",
                "list tage stilling til[noget under]; følge op[]",
                "# Møder",
            ]
        );
    }

    #[test]
    fn page_furniture_is_set_aside_and_broken_paragraphs_joined() {
        let page = |n| {
            format!("Dato: 12. april 2022\nwww.kl.dk\nSide {n} af 2\n\nTekst på side {n} der fortsætter og\n")
        };
        let pages = [page(1) + "\nfortsætter her på næste linje som", "slutter her.\n".to_owned() + &page(2)];
        let doc = read_pages(&pages);
        assert!(doc.furniture.contains(&"www.kl.dk".to_owned()));
        assert!(doc.furniture.contains(&"Side 2 af 2".to_owned()));
        assert!(
            texts(&doc)[0].starts_with("p Tekst på side 1 der fortsætter og fortsætter her"),
            "{:?}",
            texts(&doc)
        );
    }

    #[test]
    fn a_numbered_heading_is_no_list_item() {
        let doc =
            read("1. Formål\n\nAt rådgive.\n\n2. Opgaver\n\n1. Første opgave her.\n2. Anden opgave her.\n");
        assert_eq!(
            texts(&doc),
            [
                "# 1. Formål",
                "p At rådgive.",
                "# 2. Opgaver",
                "list Første opgave her.[]; Anden opgave her.[]"
            ]
        );
    }
}
