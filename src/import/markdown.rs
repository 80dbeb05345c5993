//! A `.md` file into blocks, read with pulldown-cmark.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::document::{Block, Document, clean, nest};

pub fn read(text: &str) -> Document {
    let mut blocks = Vec::new();
    let mut text_buf = String::new();
    // Whether everything in the paragraph so far is inside **…**.
    let (mut strong, mut all_strong) = (0usize, true);
    let mut list: Vec<(usize, String)> = Vec::new();
    let mut list_depth = 0usize;
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut in_heading = false;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                text_buf.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                blocks
                    .push(Block::Heading { level: level as u8, text: clean(&std::mem::take(&mut text_buf)) });
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                text_buf.clear();
                all_strong = true;
            }
            Event::End(TagEnd::Paragraph) if list_depth == 0 => {
                let text = clean(&std::mem::take(&mut text_buf));
                if !text.is_empty() {
                    blocks.push(Block::Paragraph { text, bold: all_strong });
                }
            }
            Event::Start(Tag::List(_)) => {
                if list_depth > 0 && !text_buf.trim().is_empty() {
                    list.push((list_depth - 1, clean(&std::mem::take(&mut text_buf))));
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth -= 1;
                if list_depth == 0 {
                    blocks.push(Block::List(nest(std::mem::take(&mut list))));
                }
            }
            Event::End(TagEnd::Item) if !text_buf.trim().is_empty() => {
                list.push((list_depth - 1, clean(&std::mem::take(&mut text_buf))));
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => table.push(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                if let Some(row) = table.last_mut() {
                    row.push(clean(&std::mem::take(&mut text_buf)));
                }
            }
            Event::End(TagEnd::Table) => {
                table.retain(|row| !row.is_empty());
                blocks.push(Block::Table(std::mem::take(&mut table)));
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if strong == 0 && !in_heading && !t.trim().is_empty() {
                    all_strong = false;
                }
                text_buf.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => text_buf.push(' '),
            _ => {}
        }
    }
    Document { blocks, furniture: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_markdown() {
        let doc = read(
            "# Kommissorium for X\n\n**Formål**\n\nAt rådgive.\n\n- a\n  - a1\n- b\n\n| Organisation | Antal |\n|---|---|\n| Region Nordjylland | 3 |\n",
        );
        assert_eq!(doc.blocks[0], Block::Heading { level: 1, text: "Kommissorium for X".into() });
        assert_eq!(doc.blocks[1], Block::Paragraph { text: "Formål".into(), bold: true });
        assert_eq!(doc.blocks[2], Block::Paragraph { text: "At rådgive.".into(), bold: false });
        let Block::List(items) = &doc.blocks[3] else { panic!("{:?}", doc.blocks[3]) };
        assert_eq!((items.len(), items[0].children[0].text.as_str()), (2, "a1"));
        assert_eq!(
            doc.blocks[4],
            Block::Table(vec![
                vec!["Organisation".into(), "Antal".into()],
                vec!["Region Nordjylland".into(), "3".into()]
            ])
        );
    }
}
