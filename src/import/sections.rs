//! The headings real kommissorier use, and what each section holds.

/// What a section of a kommissorium is about, by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Purpose,
    Tasks,
    Competences,
    Composition,
    Chair,
    Secretariat,
    Meetings,
    Approval,
    /// Background, reporting, time frame, revision … : Markdown text as written.
    Other,
}

/// Numbering before a heading's words: "1.", "2.3", "§ 3.", "A)", "III.".
pub fn strip_numbering(text: &str) -> &str {
    let t = text.trim();
    let paragraph_sign = t.starts_with('§');
    let t = t.strip_prefix('§').map_or(t, str::trim_start);
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')');
    let numbered = paragraph_sign || t[..t.len() - rest.len()].contains(['.', ')']);
    if numbered && rest.len() < t.len() && rest.starts_with(char::is_whitespace) {
        return rest.trim_start();
    }
    // A letter or a roman numeral followed by "." or ")".
    if let Some((head, rest)) = t.split_once(['.', ')'])
        && !head.is_empty()
        && head.len() <= 4
        && head.chars().all(|c| matches!(c, 'I' | 'V' | 'X') || (head.len() == 1 && c.is_ascii_alphabetic()))
        && rest.starts_with(' ')
    {
        return rest.trim_start();
    }
    t
}

/// The section a heading starts, when it is one kommissorier use.
pub fn classify(heading: &str) -> Option<Section> {
    let h = strip_numbering(heading).trim_end_matches([':', '.']).to_lowercase();
    let words = h.split_whitespace().count();
    // A heading is a few words; a sentence that mentions "opgaver" is none.
    if h.is_empty() || words > 4 {
        return None;
    }
    let has = |stems: &[&str]| stems.iter().any(|s| h.contains(s));
    Some(if has(&["opgave", "tasks"]) {
        Section::Tasks
    } else if has(&["formål", "purpose", "formaal"]) {
        Section::Purpose
    } else if has(&["kompetence", "bemyndigelse", "beføjelse", "mandat", "competence", "authority"]) {
        Section::Competences
    } else if has(&["formandskab", "formand", "ledelse", "chair"]) {
        Section::Chair
    } else if has(&["sammensætning", "medlem", "deltager", "repræsentation", "organisering", "composition"])
    {
        Section::Composition
    } else if has(&["sekretariat", "secretariat"]) {
        Section::Secretariat
    } else if has(&["møde", "arbejdsform", "forretningsorden", "tidspunkt", "meeting"]) {
        Section::Meetings
    } else if has(&["godkendelse", "approval"]) {
        Section::Approval
    } else if has(&[
        "baggrund",
        "grundlag",
        "afrapportering",
        "tidsramme",
        "tidsplan",
        "revision",
        "ikrafttræden",
        "økonomi",
        "arbejdsgrupper",
        "indledning",
        "kommunikation",
        "background",
        "reporting",
    ]) {
        Section::Other
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_as_kommissorier_write_them() {
        assert_eq!(classify("Formål"), Some(Section::Purpose));
        assert_eq!(classify("1. Formål"), Some(Section::Purpose));
        assert_eq!(classify("§ 3. Opgaver"), Some(Section::Tasks));
        assert_eq!(classify("Kompetencer og opgaver"), Some(Section::Tasks));
        assert_eq!(classify("Beslutningskompetencer"), Some(Section::Competences));
        assert_eq!(classify("SEKRETARIATSBETJENING"), Some(Section::Secretariat));
        assert_eq!(classify("Mødeform og mødekadence"), Some(Section::Meetings));
        assert_eq!(classify("Formandskab"), Some(Section::Chair));
        assert_eq!(classify("Sammensætning og møder"), Some(Section::Composition));
        assert_eq!(classify("Baggrund"), Some(Section::Other));
        assert_eq!(classify("Koordinationen mellem Implementeringsgrupperne"), None);
        assert_eq!(strip_numbering("2.1 Medlemmer"), "Medlemmer");
        assert_eq!(strip_numbering("B) Medlemmer"), "Medlemmer");
        assert_eq!(strip_numbering("2023 var et år"), "2023 var et år");
    }
}
