//! Ids: the file stems that name bodies and organisations, and so their URLs.

/// Ids are lowercase ASCII slugs: they become file names and URLs.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Makes an id from a title: Danish letters are spelled out (æ→ae, ø→oe, å→aa), other
/// letters lose their accents, everything else becomes `-`.
pub fn slugify(title: &str) -> String {
    let spelled: String = title
        .chars()
        .flat_map(|c| {
            let s: &str = match c {
                'æ' | 'Æ' => "ae",
                'ø' | 'Ø' => "oe",
                'å' | 'Å' => "aa",
                _ => return vec![c],
            };
            s.chars().collect()
        })
        .collect();
    slug::slugify(spelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("kl-sundhedsstrategiske-gruppe-2"));
        for bad in ["", "KL", "æble", "a_b", "a b", "a.b"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn slugs_spell_out_danish_letters() {
        assert_eq!(slugify("Sundhedsdirektørkredsen"), "sundhedsdirektoerkredsen");
        assert_eq!(slugify("Følgegruppe for Træning & Ålborg"), "foelgegruppe-for-traening-aalborg");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
    }
}
