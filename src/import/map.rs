//! A document → a draft body. Places what the text says unambiguously: the title, dates
//! with their words (godkendt, revideret, nedsat, senest), sections by their headings,
//! seats, chair and secretariat where the organisation resolves to an id. Everything else
//! stays in the Markdown text, and what a person should look at is listed in `left`.

use std::sync::LazyLock;

use regex::Regex;

use super::dates;
use super::document::{Block, Document, Item};
use super::names::Names;
use super::sections::{Section, classify, strip_numbering};
use super::text::looks_like_heading;
use crate::model::Date;

/// What the mapping made of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub title: String,
    /// False when the document states no title and the file name stands in.
    pub title_found: bool,
    pub established: Option<Date>,
    pub approved: Option<Date>,
    pub approved_by: Option<String>,
    pub revised: Option<Date>,
    pub case_ref: Option<String>,
    pub secretariat: Option<String>,
    pub purpose: Option<String>,
    pub tasks: Vec<Item>,
    pub competences: Vec<Item>,
    pub meetings: Option<String>,
    pub members: Vec<SeatDraft>,
    pub deliverables: Vec<(String, Date)>,
    /// The Markdown text: every section that did not become keys, as written.
    pub text: String,
    /// What was placed, a line each, for the report.
    pub placed: Vec<String>,
    /// What a person must check, a line each: the comment block and the report.
    pub left: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatDraft {
    pub from: String,
    pub count: String,
    pub each: bool,
    pub role: Option<&'static str>,
    pub nominated_by: Option<String>,
    /// The words it was read from.
    pub source: String,
}

/// The title a document states: "Kommissorium for X" → "X".
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:kommissorium|commissorium|terms of reference)\s*(?:for|over|vedr\.?|vedrørende|til)?\s*[:–-]?\s*(?P<title>\S.*?)[.:]?\s*$")
        .expect("the title pattern is valid")
});
static CASE_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sags?\s*-?\s*(?:id|nr\.?|nummer)|j\.\s*nr\.?|journal\s*nr\.?|journalnummer)\s*[:.]?\s*(?P<ref>[\p{L}\d][\p{L}\d./-]*\d)")
        .expect("the case-reference pattern is valid")
});
static SEAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?:^|[\s(])
        (?P<count>\d+\s*(?:-|–|til)\s*\d+ | mindst\s+(?:\d+|en|et|to|tre|fire|fem) | \d+\s*\+? | en|et|én|ét|to|tre|fire|fem|seks|syv|otte|ni|ti)
        \s+
        (?P<noun>(?:[\p{L}-]+\s+){0,2}?[\p{L}-]*(?:repræsentant|medlem|deltager|borgmester|direktør|politiker|leder|chef|udpeget)[\p{L}-]*)
        \s+
        (?P<prep>efter\s+indstilling\s+fra|udpeget\s+af|indstillet\s+af|fra|for)
        \s+
        (?P<each>hver[te]?\s+)?
        (?P<org>[^,.;:()]{1,120})",
    )
    .expect("the seat pattern is valid")
});
/// "Region Nordjylland: 3" as a line of a composition.
static SEAT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<org>[^:]{3,80}):\s*(?P<count>\d+(?:\s*[-–]\s*\d+)?\+?)(?:\s+\S.*)?$")
        .expect("the seat-line pattern is valid")
});
/// Where a seat's organisation ends: the next seat or a clause.
static ORG_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:og\s+(?:\d|en\b|et\b|to\b|tre\b|fire\b|fem\b)|samt\b|heraf\b|som\b|der\b|hvor\b|med\b|inden\b|i\s+forhold\b)")
        .expect("the organisation-end pattern is valid")
});
static CHAIR: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^(?P<before>.*?)\b(?:er|bliver)\s+formand\b",
        r"(?i)\bformand(?:skab(?:et)?|en)?\s+(?:varetages|udpeges|stilles|leveres)\s+af\s+(?P<after>.*)$",
        r"(?i)^(?P<before>.*?)\s+(?:varetager|har)\s+formandskabet\b",
        r"(?i)^formand(?:skab)?\s*:\s*(?P<after>.*)$",
        r"(?i)\bformand(?:en)?\s+er\s+(?P<after>.*)$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("the chair patterns are valid"))
    .collect()
});
static SECRETARIAT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\b(?:sekretariat\w*|betjening\w*)\s+(?:[\p{L}'’-]+\s+){0,4}?(?:varetages|leveres|ydes|forestås|stilles|sikres)\s+af\s+(?P<after>.*)$",
        r"(?i)\b(?:sekretariatsbetjenes|betjenes)\s+af\s+(?P<after>.*)$",
        r"(?i)^(?P<before>.+?)\s+(?:varetager|leverer|yder|forestår|stiller)\s+(?:\w+\s+)?sekretariat\w*",
        r"(?i)^sekretariat\w*\s*:\s*(?P<after>.*)$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("the secretariat patterns are valid"))
    .collect()
});
static APPROVAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)godkend|vedtag|approved").expect("the approval pattern is valid"));
static REVISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:revideret|opdateret|justeret|ændret|revised|updated)\b")
        .expect("the revision pattern is valid")
});
static ESTABLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:er|blev|var)\s+(?:\w+\s+)?(?:nedsat|etableret|oprettet)\b")
        .expect("the establishment pattern is valid")
});
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:senest|frist|deadline|inden)\b").expect("the deadline pattern is valid")
});
static DELIVERABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)afrapport|rapport|aflever|betænkning|anbefaling|redegørelse|forslag|indstilling|oplæg|afslut",
    )
    .expect("the deliverable pattern is valid")
});

/// One section: its heading (none before the first) and its blocks.
struct Part {
    heading: Option<String>,
    level: u8,
    kind: Option<Section>,
    blocks: Vec<Block>,
}

/// Maps `doc`; `fallback_title` (the file's name) stands in when it states no title, and
/// `names` is made from the title (the body's own name resolves too).
pub fn map(doc: &Document, fallback_title: &str, names: impl FnOnce(&str) -> Names) -> Draft {
    let mut draft = Draft::default();
    let (title, title_blocks) = title(&doc.blocks);
    draft.title_found = title.is_some();
    draft.title = title.unwrap_or_else(|| fallback_title.to_owned());
    if !draft.title_found {
        draft.left.push(format!(
            "title: the document states none (no \"Kommissorium for …\"); \"{}\" is the file's name",
            draft.title
        ));
    }
    let names = names(&draft.title);
    let mut parts = parts(&doc.blocks, title_blocks);

    let sentences: Vec<(Option<Section>, String)> = parts
        .iter()
        .flat_map(|p| {
            p.blocks.iter().flat_map(move |b| match b {
                Block::Paragraph { text, .. } => {
                    split_sentences(text).into_iter().map(|s| (p.kind, s)).collect()
                }
                Block::Heading { text, .. } => vec![(p.kind, text.clone())],
                _ => Vec::new(),
            })
        })
        .collect();
    let mut used_dates: Vec<Date> = Vec::new();
    case_ref(&mut draft, doc, &sentences);
    approval(&mut draft, &names, &sentences, &mut used_dates);
    dated(&mut draft, &sentences, &mut used_dates);
    secretariat(&mut draft, &names, &parts);
    for part in &mut parts {
        keys(&mut draft, &names, part);
    }
    let unplaced: Vec<String> = sentences
        .iter()
        .flat_map(|(_, s)| dates::find(s).into_iter().map(move |(r, d)| (r, d, s)))
        .filter(|(_, d, _)| d.day.is_some() && !used_dates.contains(d))
        .map(|(r, d, s)| {
            format!("date {d} not placed (\"{}\"): a date in the text that is no key", excerpt(s, r.start))
        })
        .collect();
    draft.left.extend(unplaced.into_iter().take(6));
    draft.text = markdown(&parts);
    draft
}

/// The title and the blocks that state it.
fn title(blocks: &[Block]) -> (Option<String>, std::ops::Range<usize>) {
    for (i, block) in blocks.iter().enumerate().take(12) {
        let (Block::Heading { text, .. } | Block::Paragraph { text, .. }) = block else { continue };
        if let Some(c) = TITLE.captures(text)
            && text.chars().count() <= 160
        {
            let title = c["title"].trim();
            let mut chars = title.chars();
            let title =
                chars.next().map(|f| f.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default();
            if !title.is_empty() {
                return (Some(title), i..i + 1);
            }
        }
    }
    // "KOMMISSORIUM" alone, the name on the next line ("for Følgegruppen …").
    let text_of = |b: &Block| match b {
        Block::Heading { text, .. } | Block::Paragraph { text, .. } => Some(text.clone()),
        _ => None,
    };
    if let Some(i) = blocks.iter().take(12).position(|b| {
        text_of(b)
            .is_some_and(|t| matches!(t.trim().to_lowercase().as_str(), "kommissorium" | "kommissorium:"))
    }) && let Some(next) = blocks.get(i + 1).and_then(text_of)
        && next.chars().count() <= 120
        && !next.trim_end().ends_with('.')
    {
        let name = next.trim();
        let name = name.strip_prefix("for ").or_else(|| name.strip_prefix("For ")).unwrap_or(name);
        let mut chars = name.chars();
        let title: String = chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default();
        return (Some(title), i..i + 2);
    }
    // A first heading of the highest level that is no section of its own.
    match blocks.first() {
        Some(Block::Heading { level: 1, text }) if classify(text).is_none() => (Some(text.clone()), 0..1),
        _ => (None, 0..0),
    }
}

fn parts(blocks: &[Block], title: std::ops::Range<usize>) -> Vec<Part> {
    let after_title = title.end;
    let mut parts = vec![Part { heading: None, level: 2, kind: None, blocks: Vec::new() }];
    for (i, block) in blocks.iter().enumerate() {
        if title.contains(&i) {
            continue;
        }
        let heading = match block {
            // Before the title there are no sections: a letterhead, a date.
            Block::Heading { .. } if i < after_title => None,
            Block::Heading { level, text } => Some((*level, text.clone())),
            Block::Paragraph { text, bold }
                if i >= after_title && looks_like_heading(text) && (*bold || classify(text).is_some()) =>
            {
                Some((2, text.clone()))
            }
            _ => None,
        };
        match (heading, block) {
            (Some((level, text)), _) => parts.push(Part {
                kind: classify(&text),
                heading: Some(heading_text(&text)),
                level,
                blocks: Vec::new(),
            }),
            (None, Block::Heading { text, .. }) => {
                parts.last_mut().expect("one part").blocks.push(Block::paragraph(text.clone()))
            }
            (None, _) => parts.last_mut().expect("one part").blocks.push(block.clone()),
        }
    }
    parts
}

/// A heading as the Markdown text shows it: without its numbering, and in sentence case
/// when it was written in capitals.
fn heading_text(text: &str) -> String {
    let text = strip_numbering(text).trim_end_matches(':').trim();
    if text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        let lower = text.to_lowercase();
        let mut chars = lower.chars();
        return chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default();
    }
    text.to_owned()
}

/// Sentences of a paragraph: split after ".", "!" or "?" and a space before a capital,
/// but not after a short abbreviation in lower case ("m.v.", "jf.", "fx.").
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in 0..chars.len() {
        let (i, c) = chars[w];
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next_is_space = chars.get(w + 1).is_some_and(|(_, c)| c.is_whitespace());
        let then_capital = chars.get(w + 2).is_some_and(|(_, c)| c.is_uppercase());
        if !(next_is_space && then_capital) {
            continue;
        }
        // The word before, looked at no further back than an abbreviation is long, so that
        // a long run without spaces costs no more than a short one.
        let word_before: Vec<char> = chars[w.saturating_sub(5)..w]
            .iter()
            .rev()
            .map(|(_, c)| *c)
            .take_while(|c| !c.is_whitespace())
            .collect();
        let abbreviation =
            word_before.len() <= 3 && word_before.iter().all(|c| c.is_lowercase() || *c == '.');
        if !abbreviation {
            out.push(text[start..=i].trim().to_owned());
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

fn excerpt(sentence: &str, at: usize) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    let at = sentence[..at].chars().count();
    let from = at.saturating_sub(40);
    let to = (at + 30).min(chars.len());
    let mut out: String = chars[from..to].iter().collect();
    if from > 0 {
        out.insert(0, '…');
    }
    if to < chars.len() {
        out.push('…');
    }
    out
}

fn case_ref(draft: &mut Draft, doc: &Document, sentences: &[(Option<Section>, String)]) {
    let lines = doc.furniture.iter().chain(sentences.iter().map(|(_, s)| s));
    if let Some(reference) = lines.filter_map(|l| CASE_REF.captures(l)).map(|c| c["ref"].to_owned()).next() {
        draft.placed.push(format!("case_ref {reference}"));
        draft.case_ref = Some(reference);
    }
}

/// `approved` and `approved_by` from the sentence that says so ("Godkendt i X den …");
/// of several, the final approval ("endeligt godkendt"), never a guess between dates.
fn approval(draft: &mut Draft, names: &Names, sentences: &[(Option<Section>, String)], used: &mut Vec<Date>) {
    let candidates: Vec<(&str, Date, usize)> = sentences
        .iter()
        .filter_map(|(_, s)| {
            let word = APPROVAL.find(s)?;
            let (_, date) = dates::find(s).into_iter().find(|(_, d)| d.day.is_some())?;
            Some((s.as_str(), date, word.start()))
        })
        .collect();
    let chosen = match candidates.as_slice() {
        [] => return,
        [one] => Some(*one),
        many => {
            let last: Vec<_> = many.iter().filter(|(s, _, _)| s.to_lowercase().contains("endelig")).collect();
            match last.as_slice() {
                [one] => Some(**one),
                _ if many.iter().all(|(_, d, _)| *d == many[0].1) => Some(many[0]),
                _ => None,
            }
        }
    };
    let Some((sentence, date, word)) = chosen else {
        let list = candidates.iter().map(|(_, d, _)| d.to_string()).collect::<Vec<_>>().join(", ");
        draft
            .left
            .push(format!("approved: the text names several approvals ({list}); set the one that applies"));
        return;
    };
    used.extend(candidates.iter().map(|(_, d, _)| *d));
    draft.approved = Some(date);
    let by = names.find_in(sentence).into_iter().find(|f| f.start >= word).map(|f| f.id);
    match &by {
        Some(id) => draft.placed.push(format!("approved {date} by {id}")),
        None => draft.placed.push(format!("approved {date}")),
    }
    draft.approved_by = by;
}

/// `revised`, `established` and deliverables with a `due` date.
fn dated(draft: &mut Draft, sentences: &[(Option<Section>, String)], used: &mut Vec<Date>) {
    let full = |s: &str| {
        dates::find(s).into_iter().filter(|(_, d)| d.day.is_some()).map(|(_, d)| d).collect::<Vec<_>>()
    };
    let revised: Vec<Date> = sentences
        .iter()
        .filter(|(_, s)| REVISION.is_match(s) && !APPROVAL.is_match(s))
        .flat_map(|(_, s)| full(s))
        .collect();
    if let Some(latest) = revised.iter().max() {
        draft.revised = Some(*latest);
        draft.placed.push(format!("revised {latest}"));
        used.extend(revised.iter().copied());
    }
    let established: Vec<Date> =
        sentences.iter().filter(|(_, s)| ESTABLISHED.is_match(s)).flat_map(|(_, s)| full(s)).collect();
    match established.as_slice() {
        [] => {}
        [one] => {
            draft.established = Some(*one);
            draft.placed.push(format!("established {one}"));
            used.push(*one);
        }
        many if many.iter().all(|d| *d == many[0]) => {
            draft.established = Some(many[0]);
            draft.placed.push(format!("established {}", many[0]));
            used.push(many[0]);
        }
        _ => draft.left.push("established: the text names several dates; set the one that applies".into()),
    }
    for (_, s) in sentences {
        if !(DEADLINE.is_match(s) && DELIVERABLE.is_match(s)) || APPROVAL.is_match(s) {
            continue;
        }
        if let Some((_, due)) = dates::find(s).into_iter().next() {
            draft.placed.push(format!("deliverable due {due}"));
            draft.deliverables.push((s.trim_end_matches('.').to_owned(), due));
            used.push(due);
        }
    }
}

/// The secretariat from the sentence that says who provides it; not placed when the
/// sentences name different ones.
fn secretariat(draft: &mut Draft, names: &Names, parts: &[Part]) {
    let own = names.resolve(&draft.title).ok();
    let mut found: Vec<(String, String)> = Vec::new();
    for part in parts.iter().filter(|p| !matches!(p.kind, Some(Section::Tasks | Section::Competences))) {
        for block in &part.blocks {
            let Block::Paragraph { text, .. } = block else { continue };
            for sentence in split_sentences(text) {
                let id = SECRETARIAT.iter().find_map(|re| {
                    let c = re.captures(&sentence)?;
                    let phrase = c.name("after").or(c.name("before"))?.as_str();
                    names.first_in(phrase).filter(|id| Some(id.as_str()) != own)
                });
                if let Some(id) = id {
                    found.push((id, sentence.clone()));
                }
            }
        }
    }
    found.dedup_by(|a, b| a.0 == b.0);
    match found.as_slice() {
        [] => {}
        [(id, sentence)] => {
            draft.placed.push(format!("secretariat {id}"));
            if sentence.contains(" eller ") {
                draft.left.push(format!(
                    "secretariat {id}: the text gives a choice (\"{}\")",
                    excerpt(sentence, sentence.find(" eller ").unwrap_or(0))
                ));
            }
            draft.secretariat = Some(id.clone());
        }
        many => draft.left.push(format!(
            "secretariat not placed: the text names {}",
            many.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The keys a section gives, taken out of its blocks.
fn keys(draft: &mut Draft, names: &Names, part: &mut Part) {
    match part.kind {
        Some(Section::Purpose) if draft.purpose.is_none() => {
            let only_text = part.blocks.iter().all(|b| matches!(b, Block::Paragraph { .. }));
            if let (true, Some(Block::Paragraph { text, .. })) = (only_text, part.blocks.first()) {
                draft.purpose = Some(text.clone());
                draft.placed.push("purpose".into());
                part.blocks.remove(0);
            } else if !part.blocks.is_empty() {
                draft.left.push(format!(
                    "purpose: section \"{}\" holds a list; it stays in the text",
                    part.heading.as_deref().unwrap_or("")
                ));
            }
        }
        Some(Section::Meetings) if draft.meetings.is_none() => {
            if let Some(Block::Paragraph { text, .. }) = part.blocks.first() {
                draft.meetings = Some(text.clone());
                draft.placed.push("meetings".into());
                part.blocks.remove(0);
            }
        }
        Some(Section::Composition | Section::Chair) => seats(draft, names, part),
        _ => {}
    }
    let target = match part.kind {
        Some(Section::Tasks) => Some(true),
        Some(Section::Competences) => Some(false),
        _ => None,
    };
    lists_to_keys(draft, part, target);
}

/// Lists become `tasks` or `competences`: all lists of a tasks (competences) section, and
/// elsewhere a list led in by "… opgaver …:" ("kompetence … :"). A single list's items
/// are the entries; of several lists each becomes one entry under its lead-in.
fn lists_to_keys(draft: &mut Draft, part: &mut Part, section_target: Option<bool>) {
    let lead_target = |i: usize, blocks: &[Block]| -> Option<bool> {
        let Some(Block::Paragraph { text, .. }) = i.checked_sub(1).and_then(|j| blocks.get(j)) else {
            return None;
        };
        let lower = text.to_lowercase();
        if !text.trim_end().ends_with(':') {
            return None;
        }
        if lower.contains("opgave") {
            Some(true)
        } else if lower.contains("kompetence") {
            Some(false)
        } else {
            None
        }
    };
    let lists: Vec<(usize, bool)> = part
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::List(_)))
        .filter_map(|(i, _)| section_target.or_else(|| lead_target(i, &part.blocks)).map(|t| (i, t)))
        .collect();
    if lists.is_empty() {
        return;
    }
    let several = lists.len() > 1;
    let mut remove = Vec::new();
    for &(i, is_tasks) in &lists {
        let Block::List(items) = &part.blocks[i] else { continue };
        let lead = match i.checked_sub(1).map(|j| (j, &part.blocks[j])) {
            Some((j, Block::Paragraph { text, .. })) if text.trim_end().ends_with(':') => {
                Some((j, text.clone()))
            }
            _ => None,
        };
        let entries = match (&lead, several) {
            (Some((_, text)), true) => vec![Item { text: text.clone(), children: items.clone() }],
            _ => items.clone(),
        };
        let key = if is_tasks { &mut draft.tasks } else { &mut draft.competences };
        key.extend(entries);
        remove.push(i);
        remove.extend(lead.map(|(j, _)| j));
    }
    remove.sort_unstable();
    remove.dedup();
    for i in remove.into_iter().rev() {
        part.blocks.remove(i);
    }
    let (tasks, competences) = (leaves(&draft.tasks), leaves(&draft.competences));
    draft.placed.retain(|p| !p.starts_with("tasks") && !p.starts_with("competences"));
    if tasks > 0 {
        draft.placed.push(format!("tasks: {} ({tasks} in all)", draft.tasks.len()));
    }
    if competences > 0 {
        draft.placed.push(format!("competences: {} ({competences} in all)", draft.competences.len()));
    }
}

/// Items without items under them: the tasks a list holds, however it is nested.
pub fn leaves(items: &[Item]) -> usize {
    items.iter().map(|i| if i.children.is_empty() { 1 } else { leaves(&i.children) }).sum()
}

/// Seats from the composition: list items, sentences, lines and tables that name a count
/// and an organisation; the chair from the sentence that names who chairs.
fn seats(draft: &mut Draft, names: &Names, part: &mut Part) {
    let own = names.resolve(&draft.title).ok().map(str::to_owned);
    let mut placed_lists = Vec::new();
    for (i, block) in part.blocks.iter().enumerate() {
        match block {
            Block::List(items) => {
                let mut all = true;
                for item in flatten(items) {
                    all &= seat_phrases(draft, names, own.as_deref(), &item);
                }
                if all {
                    placed_lists.push(i);
                }
            }
            Block::Paragraph { text, .. } => {
                for sentence in split_sentences(text) {
                    seat_phrases(draft, names, own.as_deref(), &sentence);
                    chair(draft, names, own.as_deref(), &sentence);
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    seat_row(draft, names, row);
                }
            }
            Block::Heading { .. } => {}
        }
    }
    // A list that became seats entirely, and its lead-in, leave the text.
    for i in placed_lists.into_iter().rev() {
        part.blocks.remove(i);
        if let Some(Block::Paragraph { text, .. }) = i.checked_sub(1).and_then(|j| part.blocks.get(j))
            && text.trim_end().ends_with(':')
        {
            part.blocks.remove(i - 1);
        }
    }
}

fn flatten(items: &[Item]) -> Vec<String> {
    items.iter().flat_map(|i| std::iter::once(i.text.clone()).chain(flatten(&i.children))).collect()
}

/// The seats `phrase` names; whether it named seats and all of them were placed.
fn seat_phrases(draft: &mut Draft, names: &Names, own: Option<&str>, phrase: &str) -> bool {
    if let Some(c) = SEAT_LINE.captures(phrase.trim()) {
        let org = c["org"].trim();
        return place_seat(draft, names, phrase, org, count(&c["count"]), false, None);
    }
    let mut at = 0;
    let mut any = false;
    let mut all = true;
    while let Some(c) = SEAT.captures_at(phrase, at) {
        let org_match = c.name("org").expect("the pattern has an organisation");
        let org_text = org_match.as_str();
        let cut = ORG_END.find(org_text).map_or(org_text.len(), |m| m.start());
        let org = org_text[..cut].trim();
        at = org_match.start() + cut.max(1);
        let prep = c["prep"].to_lowercase();
        let nominated = prep.contains("indstill") || prep.starts_with("udpeget");
        let Some(n) = count(&c["count"]) else { continue };
        // "en næstformand blandt medlemmerne for en periode": no seat from anyone.
        if c["noun"].contains("blandt")
            || org.split_whitespace().next().is_some_and(|w| matches!(w, "en" | "et" | "én" | "ét"))
        {
            continue;
        }
        if own.is_some_and(|own| names.first_in(org).as_deref() == Some(own)) {
            continue;
        }
        any = true;
        let source = phrase[c.get(0).map_or(0, |m| m.start())..org_match.start() + cut].trim().to_owned();
        all &= place_seat(
            draft,
            names,
            &source,
            org,
            Some(n),
            c.name("each").is_some(),
            nominated.then_some(()),
        );
    }
    any && all
}

fn place_seat(
    draft: &mut Draft,
    names: &Names,
    source: &str,
    org: &str,
    count: Option<String>,
    each: bool,
    nominated: Option<()>,
) -> bool {
    let Some(count) = count else { return false };
    // "2 fra hver kommune": each member of the group whose name starts with the word
    // ("Kommunerne i Region Hovedstaden").
    let group = || each.then(|| names.group(org)).flatten().map(str::to_owned);
    match names.first_in(org).or_else(group) {
        Some(id) => {
            let nominated_by = nominated.map(|()| id.clone());
            draft.placed.push(format!("seat {count}{} from {id}", if each { " each" } else { "" }));
            if nominated_by.is_some() {
                draft.left.push(format!(
                    "seat \"{source}\": placed as from and nominated_by {id}; check whom the seat represents"
                ));
            }
            draft.members.push(SeatDraft {
                from: id,
                count,
                each,
                role: None,
                nominated_by,
                source: source.to_owned(),
            });
            true
        }
        None => {
            let closest = names.closest(org);
            let hint =
                if closest.is_empty() { String::new() } else { format!("; closest: {}", closest.join(", ")) };
            draft.left.push(format!(
                "seat \"{source}\" not placed: no body or organisation is called \"{org}\"{hint}"
            ));
            false
        }
    }
}

fn seat_row(draft: &mut Draft, names: &Names, row: &[String]) {
    let counted = row.iter().position(|c| count(c.trim()).is_some() && c.trim().len() <= 8);
    let Some(k) = counted else { return };
    let Some(org) =
        row.iter().enumerate().find(|(i, c)| *i != k && !c.trim().is_empty()).map(|(_, c)| c.trim())
    else {
        return;
    };
    let source = row.join(": ");
    place_seat(draft, names, &source, org, count(row[k].trim()), false, None);
}

/// A count as the contract writes it: "2", "2-3", "5+".
fn count(text: &str) -> Option<String> {
    let t = text.trim().to_lowercase();
    let word = |w: &str| -> Option<u32> {
        Some(match w {
            "en" | "et" | "én" | "ét" => 1,
            "to" => 2,
            "tre" => 3,
            "fire" => 4,
            "fem" => 5,
            "seks" => 6,
            "syv" => 7,
            "otte" => 8,
            "ni" => 9,
            "ti" => 10,
            n => n.parse().ok()?,
        })
    };
    if let Some(rest) = t.strip_prefix("mindst") {
        return word(rest.trim()).map(|n| format!("{n}+"));
    }
    if let Some(n) = t.strip_suffix('+') {
        return word(n.trim()).map(|n| format!("{n}+"));
    }
    if let Some((a, b)) = t.split_once(['-', '–']).or_else(|| t.split_once(" til ")) {
        let (a, b) = (word(a.trim())?, word(b.trim())?);
        return (a < b).then(|| format!("{a}-{b}"));
    }
    word(&t).filter(|&n| n > 0).map(|n| n.to_string())
}

/// The chair, when a sentence says who chairs ("X er formand", "formandskabet varetages af
/// X") and names one body or organisation for it.
fn chair(draft: &mut Draft, names: &Names, own: Option<&str>, sentence: &str) {
    for re in CHAIR.iter() {
        let Some(c) = re.captures(sentence) else { continue };
        let id = match (c.name("before"), c.name("after")) {
            (Some(before), _) => {
                names.find_in(before.as_str()).into_iter().map(|f| f.id).rfind(|id| Some(id.as_str()) != own)
            }
            (None, Some(after)) => names.first_in(after.as_str()).filter(|id| Some(id.as_str()) != own),
            _ => None,
        };
        match id {
            Some(id) => {
                draft.placed.push(format!("chair from {id}"));
                draft.members.push(SeatDraft {
                    from: id,
                    count: "1".into(),
                    each: false,
                    role: Some("chair"),
                    nominated_by: None,
                    source: sentence.to_owned(),
                });
            }
            None => draft
                .left
                .push(format!("chair not placed: \"{sentence}\" names no body or organisation that chairs")),
        }
        return;
    }
}

/// The sections left after the keys, as Markdown.
fn markdown(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        if part.blocks.is_empty() {
            continue;
        }
        if let Some(heading) = &part.heading {
            let hashes = "#".repeat(usize::from(part.level.clamp(2, 4)));
            out.push_str(&format!("\n{hashes} {heading}\n"));
        }
        for block in &part.blocks {
            out.push('\n');
            match block {
                Block::Paragraph { text, .. } | Block::Heading { text, .. } => {
                    out.push_str(&escape(text));
                    out.push('\n');
                }
                Block::List(items) => list(&mut out, items, 0),
                Block::Table(rows) => table(&mut out, rows),
            }
        }
    }
    out.trim_start_matches('\n').to_owned()
}

fn list(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        out.push_str(&format!("{}- {}\n", "  ".repeat(depth), escape(&item.text)));
        list(out, &item.children, depth + 1);
    }
}

fn table(out: &mut String, rows: &[Vec<String>]) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return;
    }
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> =
            (0..width).map(|k| row.get(k).map_or(String::new(), |c| escape(c).replace('|', "\\|"))).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
}

/// Text as Markdown shows it as written: characters that would start markup at the
/// beginning of a line, and wiki-link brackets, are escaped.
fn escape(text: &str) -> String {
    let mut out = text.replace("[[", "\\[\\[").replace('<', "&lt;");
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    } else if out.starts_with(['#', '>', '-', '+', '*', '|', '=']) {
        out.insert(0, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_the_contract_writes_them() {
        assert_eq!(count("2-3"), Some("2-3".into()));
        assert_eq!(count("2 til 3"), Some("2-3".into()));
        assert_eq!(count("En"), Some("1".into()));
        assert_eq!(count("mindst 5"), Some("5+".into()));
        assert_eq!(count("3+"), Some("3+".into()));
        assert_eq!(count("0"), None);
        assert_eq!(count("3-2"), None);
        assert_eq!(count("medlemmer"), None);
    }

    #[test]
    fn a_title_on_the_line_after_kommissorium() {
        let blocks = [
            Block::Heading { level: 1, text: "KOMMISSORIUM".into() },
            Block::paragraph("for Styregruppen for velfærd"),
            Block::paragraph("Tekst."),
        ];
        assert_eq!(title(&blocks), (Some("Styregruppen for velfærd".into()), 0..2));
        let blocks = [Block::paragraph("Kommissorium for Følgegruppen for ældre")];
        assert_eq!(title(&blocks), (Some("Følgegruppen for ældre".into()), 0..1));
    }

    #[test]
    fn sentences_split_at_their_ends_only() {
        assert_eq!(
            split_sentences("Godkendt den 4. oktober 2023. Jf. bilag 2 m.v. Gruppen mødes."),
            ["Godkendt den 4. oktober 2023.", "Jf. bilag 2 m.v. Gruppen mødes."]
        );
    }

    #[test]
    fn markdown_escapes_what_would_be_markup() {
        assert_eq!(escape("1. april er en dato"), "1\\. april er en dato");
        assert_eq!(escape("- ikke en liste"), "\\- ikke en liste");
        assert_eq!(escape("a [[b]] <c>"), "a \\[\\[b]] &lt;c>");
    }
}
