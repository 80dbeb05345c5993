//! Splits a content file into its `+++` TOML front matter and its Markdown body.
//!
//! Offsets are kept relative to the whole file so that TOML errors and reference spans
//! found later can be reported at the right line of the file the user edits.

use std::ops::Range;

/// The two parts of a content file, with where each starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub toml_start: usize,
    pub markdown: &'a str,
    /// Byte offset of `markdown` in the file.
    pub markdown_start: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not begin with a `+++` line. Carries the span of the first line.
    MissingOpening(Range<usize>),
    /// The opening `+++` has no closing partner. Carries the span of the opening fence.
    MissingClosing(Range<usize>),
}

const FENCE: &str = "+++";
const BOM: &str = "\u{feff}";

/// Splits `text`, accepting a UTF-8 byte order mark and CRLF line endings.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = lines_with_offsets(text, start);

    let Some((first, first_range)) = lines.next() else {
        return Err(SplitError::MissingOpening(start..start));
    };
    if first.trim_end() != FENCE {
        return Err(SplitError::MissingOpening(first_range.start..first_range.end));
    }
    let toml_start = first_range.end_with_newline;
    for (line, range) in lines {
        if line.trim_end() == FENCE {
            return Ok(Split {
                toml: &text[toml_start..range.start],
                toml_start,
                markdown: &text[range.end_with_newline..],
                markdown_start: range.end_with_newline,
            });
        }
    }
    Err(SplitError::MissingClosing(first_range.start..first_range.end))
}

struct LineRange {
    start: usize,
    end: usize,
    end_with_newline: usize,
}

/// Lines without their `\n` / `\r\n`, each with its span.
fn lines_with_offsets(text: &str, from: usize) -> impl Iterator<Item = (&str, LineRange)> {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (len, newline) = match rest.find('\n') {
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let line = rest[..len].strip_suffix('\r').unwrap_or(&rest[..len]);
        let range = LineRange { start: pos, end: pos + line.len(), end_with_newline: pos + len + newline };
        pos = range.end_with_newline;
        Some((line, range))
    })
}

impl SplitError {
    pub fn span(&self) -> Range<usize> {
        match self {
            SplitError::MissingOpening(r) | SplitError::MissingClosing(r) => r.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ntitle = \"A\"\n+++\n# Body\n").unwrap();
        assert_eq!(s.toml, "title = \"A\"\n");
        assert_eq!(s.toml_start, 4);
        assert_eq!(s.markdown, "# Body\n");
        assert_eq!(s.markdown_start, 20);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n";
        let s = split(text).unwrap();
        assert_eq!(s.toml, "title = \"A\"\r\n");
        assert_eq!(&text[s.toml_start..s.toml_start + 5], "title");
        assert_eq!(s.markdown, "Body\r\n");
    }

    #[test]
    fn empty_body_and_no_trailing_newline() {
        let s = split("+++\ntitle = \"A\"\n+++").unwrap();
        assert_eq!(s.markdown, "");
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split("title = \"A\"\n"), Err(SplitError::MissingOpening(0..11)));
        assert_eq!(split(""), Err(SplitError::MissingOpening(0..0)));
        assert_eq!(split("+++\ntitle = \"A\"\n"), Err(SplitError::MissingClosing(0..3)));
    }

    #[test]
    fn a_fence_needs_its_own_line() {
        assert!(matches!(split("+++ title\n+++\n"), Err(SplitError::MissingOpening(_))));
        assert!(matches!(split("+++\na = \"+++\"\n"), Err(SplitError::MissingClosing(_))));
    }
}
