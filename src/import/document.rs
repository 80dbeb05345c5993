//! What every reader makes of a file: the blocks a kommissorium is written in. The mapping
//! to a draft reads only this, so a new format is a new reader and nothing else.

/// A document as a list of blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Lines a reader recognised as page furniture (letterheads and footers repeated on
    /// every page, page numbers) and left out of the blocks. A case number or a date can
    /// stand there, so the mapping may still read them.
    pub furniture: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; `level` 1 is the highest the document uses.
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph; `bold` when all of its text is bold (a heading in disguise, often).
    Paragraph {
        text: String,
        bold: bool,
    },
    List(Vec<Item>),
    /// Rows of cells, the header row first when there is one.
    Table(Vec<Vec<String>>),
}

/// A list item and the list nested under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub children: Vec<Item>,
}

impl Item {
    pub fn leaf(text: impl Into<String>) -> Item {
        Item { text: text.into(), children: Vec::new() }
    }
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph { text: text.into(), bold: false }
    }
}

/// Items from `(depth, text)` pairs in reading order, depth 0 at the top. A depth deeper
/// than one below its predecessor is taken as one below (documents skip levels).
pub fn nest(flat: Vec<(usize, String)>) -> Vec<Item> {
    fn take(flat: &[(usize, String)], at: &mut usize, depth: usize) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        while let Some((d, text)) = flat.get(*at) {
            match items.last_mut() {
                _ if *d < depth => break,
                Some(last) if *d > depth => last.children = take(flat, at, depth + 1),
                // The first item of a list may start deeper than its top: it is kept here.
                _ => {
                    items.push(Item::leaf(text.clone()));
                    *at += 1;
                }
            }
        }
        items
    }
    take(&flat, &mut 0, 0)
}

/// Whitespace collapsed to single spaces, no-break spaces and tabs included; control
/// characters (a damaged file's NULs) become spaces too, as no content file may hold them.
pub fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_follows_depth_and_survives_skipped_levels() {
        let flat =
            vec![(0, "a".to_owned()), (1, "a1".to_owned()), (3, "a1x".to_owned()), (0, "b".to_owned())];
        let items = nest(flat);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].children[0].text, "a1");
        assert_eq!(items[0].children[0].children[0].text, "a1x");
        assert_eq!(items[1].text, "b");
        // A list that starts deeper than its top still keeps every item.
        let items = nest(vec![(2, "x".to_owned()), (0, "y".to_owned())]);
        assert_eq!(items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    }
}
