//! An `.html` file (a kommissorium published on a web page, or saved from Word) into
//! blocks, parsed with scraper (html5ever).

use scraper::{ElementRef, Html, node::Node};

use super::document::{Block, Document, Item, clean};

pub fn read(text: &str) -> Document {
    let html = Html::parse_document(text);
    let mut blocks = Vec::new();
    walk(html.root_element(), &mut blocks);
    Document { blocks, furniture: Vec::new() }
}

/// The blocks in `element`, in reading order. Text loose in a container (a `<div>` with
/// text and no `<p>`) is a paragraph of its own.
fn walk(element: ElementRef, out: &mut Vec<Block>) {
    let mut loose = String::new();
    for child in element.children() {
        match child.value() {
            Node::Text(t) => loose.push_str(t),
            Node::Element(_) => {
                let Some(el) = ElementRef::wrap(child) else { continue };
                let name = el.value().name();
                if matches!(
                    name,
                    "b" | "strong" | "em" | "i" | "span" | "a" | "u" | "small" | "sup" | "sub" | "font"
                ) {
                    loose.push_str(&text_of(el));
                    continue;
                }
                if name == "br" {
                    loose.push(' ');
                    continue;
                }
                flush(&mut loose, out);
                match name {
                    "script" | "style" | "nav" | "header" | "footer" | "noscript" | "template" | "head"
                    | "form" => {}
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        let level = name[1..].parse().unwrap_or(2);
                        let text = clean(&text_of(el));
                        if !text.is_empty() {
                            out.push(Block::Heading { level, text });
                        }
                    }
                    "p" => {
                        let text = clean(&text_of(el));
                        if !text.is_empty() {
                            out.push(Block::Paragraph { bold: all_bold(el), text });
                        }
                    }
                    "ul" | "ol" => out.push(Block::List(items(el))),
                    "table" => out.push(Block::Table(rows(el))),
                    _ => walk(el, out),
                }
            }
            _ => {}
        }
    }
    flush(&mut loose, out);
}

fn flush(loose: &mut String, out: &mut Vec<Block>) {
    let text = clean(loose);
    if !text.is_empty() {
        out.push(Block::paragraph(text));
    }
    loose.clear();
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<Vec<_>>().join("")
}

/// Whether every piece of text in `el` sits inside `<b>` or `<strong>`.
fn all_bold(el: ElementRef) -> bool {
    fn walk(el: ElementRef, bold: bool) -> bool {
        let bold = bold || matches!(el.value().name(), "b" | "strong");
        el.children().all(|child| match child.value() {
            Node::Text(t) => bold || t.trim().is_empty(),
            Node::Element(_) => ElementRef::wrap(child).is_none_or(|e| walk(e, bold)),
            _ => true,
        })
    }
    walk(el, false)
}

fn items(list: ElementRef) -> Vec<Item> {
    list.child_elements()
        .filter(|li| li.value().name() == "li")
        .map(|li| {
            let mut text = String::new();
            let mut children = Vec::new();
            for child in li.children() {
                match child.value() {
                    Node::Text(t) => text.push_str(t),
                    Node::Element(e) if matches!(e.name(), "ul" | "ol") => {
                        children.extend(ElementRef::wrap(child).map(items).unwrap_or_default());
                    }
                    Node::Element(_) => {
                        text.push_str(&ElementRef::wrap(child).map(text_of).unwrap_or_default())
                    }
                    _ => {}
                }
            }
            Item { text: clean(&text), children }
        })
        .collect()
}

fn rows(table: ElementRef) -> Vec<Vec<String>> {
    table
        .descendent_elements()
        .filter(|e| e.value().name() == "tr")
        .map(|tr| {
            tr.child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| clean(&text_of(c)))
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_a_web_page() {
        let doc = read(
            "<html><head><title>x</title><style>p{}</style></head><body><nav>Menu</nav>\
             <h1>Kommissorium for X</h1><p><strong>Formål</strong></p><p>At <em>rådgive</em>.</p>\
             <ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>\
             <table><tr><th>Organisation</th><th>Antal</th></tr><tr><td>Region Nordjylland</td><td>3</td></tr></table>\
             <div>Godkendt den 3. marts 2024</div></body></html>",
        );
        assert_eq!(doc.blocks[0], Block::Heading { level: 1, text: "Kommissorium for X".into() });
        assert_eq!(doc.blocks[1], Block::Paragraph { text: "Formål".into(), bold: true });
        assert_eq!(doc.blocks[2], Block::Paragraph { text: "At rådgive.".into(), bold: false });
        let Block::List(items) = &doc.blocks[3] else { panic!("{:?}", doc.blocks[3]) };
        assert_eq!((items.len(), items[0].children[0].text.as_str()), (2, "a1"));
        assert!(matches!(&doc.blocks[4], Block::Table(rows) if rows[1][0] == "Region Nordjylland"));
        assert_eq!(doc.blocks[5], Block::paragraph("Godkendt den 3. marts 2024"));
    }
}
