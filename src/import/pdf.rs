//! A text PDF into blocks: pdf-extract gives each page's text, which is then read as
//! plain text with the page furniture set aside.

use super::document::Document;

pub fn read(bytes: &[u8]) -> Result<Document, String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("not a PDF file (it does not start with %PDF-)".into());
    }
    // pdf-extract panics on some malformed files instead of returning an error; a bad
    // file must give an error like any other, so a panic in it is caught here, without
    // the panic message a user would take for mandat crashing.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    std::panic::set_hook(hook);
    let pages = pages
        .map_err(|_| "the PDF is damaged or uses features mandat cannot read".to_owned())?
        .map_err(|e| format!("cannot read the PDF: {e}"))?;
    let letters: usize = pages.iter().map(|p| p.chars().filter(|c| c.is_alphabetic()).count()).sum();
    if letters < 20 {
        return Err("the PDF has no text layer (a scanned document?): run it through OCR, or import \
                    the Word or text version"
            .into());
    }
    Ok(super::text::read_pages(&pages))
}
