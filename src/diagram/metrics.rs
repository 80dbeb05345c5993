//! Text widths from the theme's own font, so boxes fit their labels exactly, Danish
//! letters included, and long names wrap instead of overflowing.

/// Advance widths of the regular and the bold face of the theme's font.
#[derive(Debug, Clone)]
pub struct TextMetrics {
    regular: FaceMetrics,
    bold: FaceMetrics,
}

impl TextMetrics {
    /// From the regular and bold font files (TrueType/OpenType).
    pub fn new(regular: &[u8], bold: &[u8]) -> Result<TextMetrics, String> {
        Ok(TextMetrics { regular: FaceMetrics::from_font(regular)?, bold: FaceMetrics::from_font(bold)? })
    }

    /// The face labels are set in.
    pub fn face(&self, bold: bool) -> &FaceMetrics {
        if bold { &self.bold } else { &self.regular }
    }
}

/// Advance widths of one font face, in em.
#[derive(Debug, Clone)]
pub struct FaceMetrics {
    /// By code point up to the end of Latin Extended-A, where nearly every character of
    /// a name falls: an index, not a hash, for each of the millions of characters a large
    /// organisation's diagrams measure. The fallback where the font lacks the character.
    latin: Vec<f64>,
    /// The typographic punctuation beyond it that the font has.
    punctuation: Vec<(char, f64)>,
    /// For characters the font lacks (the browser falls back to another font).
    fallback: f64,
}

/// The end of Latin Extended-A: the characters below it are measured by index.
const LATIN_END: char = '\u{180}';

impl FaceMetrics {
    /// Reads a TrueType/OpenType font. Only the characters mandat can meet in names are
    /// measured up front; others get the average width.
    pub fn from_font(data: &[u8]) -> Result<FaceMetrics, String> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| format!("cannot read the font: {e}"))?;
        let per_em = f64::from(face.units_per_em());
        let chars = (' '..='~').chain('\u{a0}'..LATIN_END).chain("–—‘’“”…•€".chars());
        let advances: Vec<(char, f64)> = chars
            .filter_map(|c| {
                let width = face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g))?;
                Some((c, f64::from(width) / per_em))
            })
            .collect();
        if advances.is_empty() {
            return Err("the font has no Latin letters".to_owned());
        }
        let fallback = advances.iter().map(|(_, w)| w).sum::<f64>() / advances.len() as f64;
        let mut latin = vec![fallback; LATIN_END as usize];
        let mut punctuation = Vec::new();
        for (c, width) in advances {
            match latin.get_mut(c as usize) {
                Some(slot) => *slot = width,
                None => punctuation.push((c, width)),
            }
        }
        Ok(FaceMetrics { latin, punctuation, fallback })
    }

    /// Width of `text` in pixels at `size` pixels per em.
    pub fn width(&self, text: &str, size: f64) -> f64 {
        text.chars().map(|c| self.advance(c)).sum::<f64>() * size
    }

    fn advance(&self, c: char) -> f64 {
        match self.latin.get(c as usize) {
            Some(width) => *width,
            None => self.punctuation.iter().find(|(p, _)| *p == c).map_or(self.fallback, |(_, width)| *width),
        }
    }

    /// Breaks `text` into lines no wider than `max` pixels, at spaces and after hyphens.
    /// A single word wider than `max` gets a line of its own, as long as it is at most
    /// half as wide again; only longer words are broken between letters. At most
    /// `max_lines` lines: the last of a longer text ends in "…" (the full text is the
    /// box's tooltip), and the rest of it is not even looked at.
    pub fn wrap(&self, text: &str, size: f64, max: f64, max_lines: usize) -> Vec<String> {
        let hard_max = max * 1.5;
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut truncated = false;
        'words: for word in words(text) {
            if lines.len() >= max_lines {
                truncated = true;
                break;
            }
            let candidate =
                if line.is_empty() { word.trim_start().to_owned() } else { format!("{line}{word}") };
            if self.width(candidate.trim_end(), size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(line.trim_end().to_owned());
            }
            line = String::new();
            // Measured letter by letter, so a word a megabyte long costs no more than a line.
            let mut width = 0.0;
            for c in word.trim_start().chars() {
                let advance = self.width(c.encode_utf8(&mut [0; 4]), size);
                if !line.is_empty() && width + advance > hard_max {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                    if lines.len() >= max_lines {
                        truncated = true;
                        break 'words;
                    }
                }
                line.push(c);
                width += advance;
            }
        }
        if !line.trim().is_empty() {
            if lines.len() < max_lines {
                lines.push(line.trim_end().to_owned());
            } else {
                truncated = true;
            }
        }
        if truncated && let Some(last) = lines.last_mut() {
            // Room for the ellipsis: drop letters until it fits.
            while !last.is_empty() && self.width(&format!("{last}…"), size) > hard_max {
                last.pop();
            }
            last.push('…');
        }
        lines
    }
}

/// Words with the separator that precedes them (" Sønderjylland") or ends them ("Social-").
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ' ' && i > start {
            out.push(&text[start..i]);
            start = i;
        } else if c == '-' || c == '–' {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> FaceMetrics {
        crate::diagram::test_metrics().face(false).clone()
    }

    #[test]
    fn bold_is_wider() {
        let m = crate::diagram::test_metrics();
        assert!(
            m.face(true).width("Sundhedsdirektørkredsen", 14.0)
                > m.face(false).width("Sundhedsdirektørkredsen", 14.0) + 5.0
        );
    }

    #[test]
    fn measures_like_the_font() {
        let m = metrics();
        // Liberation Sans: "i" is narrow, "W" wide; Danish letters have their own widths.
        assert!(m.width("W", 10.0) > 3.0 * m.width("i", 10.0));
        assert!((m.width("æ", 10.0) - 8.89).abs() < 0.05, "{}", m.width("æ", 10.0));
        assert!((m.width("ø", 10.0) - 6.11).abs() < 0.05, "{}", m.width("ø", 10.0));
        assert_eq!(m.width("ab", 20.0), 2.0 * m.width("ab", 10.0));
    }

    #[test]
    fn punctuation_beyond_latin_has_its_own_width_and_the_rest_the_average() {
        let m = metrics();
        // Liberation Sans: an en dash is half an em, an em dash a whole one.
        assert!((m.width("–", 10.0) - 5.56).abs() < 0.05, "{}", m.width("–", 10.0));
        assert!((m.width("—", 10.0) - 10.0).abs() < 0.05, "{}", m.width("—", 10.0));
        // Characters the font lacks, in either table's range, are as wide as the average.
        let average = m.width("\u{1}", 10.0);
        assert!(average > 4.0 && average < 7.0, "{average}");
        assert_eq!(m.width("漢", 10.0), average);
        assert_eq!(m.width("→", 10.0), average);
    }

    #[test]
    fn long_names_end_in_an_ellipsis_after_the_last_line() {
        let m = metrics();
        let lines = m.wrap(&"X".repeat(1_000_000), 14.0, 150.0, 5);
        assert_eq!(lines.len(), 5);
        assert!(lines[4].ends_with('…') && lines.iter().all(|l| m.width(l, 14.0) <= 225.0), "{lines:?}");
        let words = m.wrap(&"Udvalget for sundhed ".repeat(50), 14.0, 150.0, 3);
        assert_eq!(words.len(), 3);
        assert!(words[2].ends_with('…'), "{words:?}");
        assert!(!m.wrap("Kort navn", 14.0, 150.0, 3)[0].ends_with('…'));
    }

    #[test]
    fn wraps_at_spaces_and_never_exceeds_the_width() {
        let m = metrics();
        let text = "Sundhedsklynge Sønderjylland – fagligt strategisk niveau";
        let lines = m.wrap(text, 14.0, 150.0, 10);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| m.width(l, 14.0) <= 150.0 * 1.5), "{lines:?}");
        assert_eq!(lines.join(" ").replace("  ", " "), text);
        assert_eq!(
            m.wrap("Kommunaldirektørkredsen", 14.0, 150.0, 10),
            ["Kommunaldirektørkredsen"],
            "long words stay whole"
        );
        let long = m.wrap("Sundhedsdirektørkredsensformandskabsmøde", 14.0, 100.0, 10);
        assert!(long.len() > 1 && long.iter().all(|l| m.width(l, 14.0) <= 150.0), "{long:?}");
        assert_eq!(m.wrap("Faaborg-Midtfyn Kommune", 14.0, 90.0, 10), ["Faaborg-", "Midtfyn", "Kommune"]);
    }
}
