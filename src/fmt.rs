//! `mandat fmt`: one canonical layout for front matter, so that reviews show only real
//! changes.
//!
//! Keys go in the order of the contract, strings are double-quoted, short lists sit on
//! one line and long ones get a line per item, counts are strings. Comments stay where
//! they are (toml_edit keeps them with the key they precede) and the Markdown body is not
//! touched. A layout that would change what the file means is refused: the front matter
//! is parsed before and after and the two models must be equal.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::frontmatter;
use crate::model::EntityKind;
use crate::model::{BodyMeta, OrganisationMeta, PersonMeta};

const BODY_KEYS: &[&str] = &[
    "title",
    "short_name",
    "kind",
    "parent",
    "status",
    "mandate_published",
    "established",
    "approved",
    "approved_by",
    "revised",
    "ends",
    "ended",
    "term",
    "case_ref",
    "legal_basis",
    "replaces",
    "secretariat",
    "aliases",
    "former_names",
    "purpose",
    "tasks",
    "competences",
    "meetings",
    "contact",
    "members",
    "relations",
    "amendments",
    "deliverables",
    "documents",
];
const ORGANISATION_KEYS: &[&str] =
    &["title", "short_name", "kind", "parent", "members", "url", "aliases", "contact"];
const PERSON_KEYS: &[&str] = &["name", "title", "organisation", "party", "url", "email", "phone"];
const SEAT_KEYS: &[&str] = &[
    "from",
    "count",
    "each",
    "role",
    "capacity",
    "position",
    "nominated_by",
    "deputies",
    "person",
    "since",
    "until",
    "note",
];
const DOCUMENT_KEYS: &[&str] = &["title", "kind", "date", "url"];
const RELATION_KEYS: &[&str] = &["type", "to", "note"];
const AMENDMENT_KEYS: &[&str] = &["date", "by", "summary", "url"];
const DELIVERABLE_KEYS: &[&str] = &["title", "due", "delivered", "url"];
const ITEM_KEYS: &[&str] = &["text", "items"];
/// Lists longer than this on one line get a line per item.
const LINE: usize = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmtError {
    /// The file cannot be formatted until its front matter parses.
    Unreadable(String),
    /// Formatting would have changed the meaning: a bug, and nothing is written.
    ChangesMeaning,
}

/// The file in canonical layout (unchanged if it already is).
pub fn format(text: &str, kind: EntityKind) -> Result<String, FmtError> {
    let split = frontmatter::split(text).map_err(|_| FmtError::Unreadable("no +++ front matter".into()))?;
    let mut doc: DocumentMut =
        split.toml.parse().map_err(|e: toml_edit::TomlError| FmtError::Unreadable(e.message().to_owned()))?;
    // Only a file that reads as the contract is formatted: the meaning check below would
    // otherwise compare two failures and pass.
    if !reads(split.toml, kind) {
        return Err(FmtError::Unreadable("the front matter has problems; `mandat check` says which".into()));
    }
    let keys = match kind {
        EntityKind::Body => BODY_KEYS,
        EntityKind::Organisation => ORGANISATION_KEYS,
        EntityKind::Person => PERSON_KEYS,
    };
    let header = take_header(doc.as_table_mut());
    canonical_table(doc.as_table_mut(), keys);
    put_header(doc.as_table_mut(), &header);
    let mut position = 1;
    for (name, order) in [
        ("members", SEAT_KEYS),
        ("relations", RELATION_KEYS),
        ("amendments", AMENDMENT_KEYS),
        ("deliverables", DELIVERABLE_KEYS),
        ("documents", DOCUMENT_KEYS),
    ] {
        if let Some(Item::ArrayOfTables(tables)) = doc.get_mut(name) {
            for table in tables.iter_mut() {
                canonical_table(table, order);
                table.set_position(Some(position));
                position += 1;
            }
        }
    }
    let crlf = split.toml.contains("\r\n");
    let mut toml = doc.to_string();
    if !toml.ends_with('\n') {
        toml.push('\n');
    }
    if crlf {
        toml = toml.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let fence_end = &text[split.toml_start + split.toml.len()..split.markdown_start];
    let formatted = format!("{}{toml}{fence_end}{}", &text[..split.toml_start], split.markdown);
    if !same_meaning(split.toml, &formatted, kind) {
        return Err(FmtError::ChangesMeaning);
    }
    Ok(formatted)
}

fn reads(toml: &str, kind: EntityKind) -> bool {
    match kind {
        EntityKind::Body => toml::from_str::<BodyMeta>(toml).is_ok(),
        EntityKind::Organisation => toml::from_str::<OrganisationMeta>(toml).is_ok(),
        EntityKind::Person => toml::from_str::<PersonMeta>(toml).is_ok(),
    }
}

/// The comment at the top of the front matter, when a blank line parts it from the first
/// key: it speaks of the whole file and stays on top, whichever key comes first. Comments
/// right above a key stay with that key.
fn take_header(table: &mut Table) -> String {
    let Some(first) = table.iter().next().map(|(k, _)| k.to_owned()) else { return String::new() };
    let Some(mut key) = table.key_mut(&first) else { return String::new() };
    let prefix = key.leaf_decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
    let Some(end) = prefix.rfind("\n\n").map(|i| i + 2) else { return String::new() };
    if !prefix[..end].contains('#') {
        return String::new();
    }
    key.leaf_decor_mut().set_prefix(&prefix[end..]);
    prefix[..end].to_owned()
}

fn put_header(table: &mut Table, header: &str) {
    if header.is_empty() {
        return;
    }
    let Some(first) = table.iter().next().map(|(k, _)| k.to_owned()) else { return };
    if let Some(mut key) = table.key_mut(&first) {
        let own = key.leaf_decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
        key.leaf_decor_mut().set_prefix(format!("{header}{own}"));
    }
}

fn same_meaning(before_toml: &str, after: &str, kind: EntityKind) -> bool {
    let Ok(split) = frontmatter::split(after) else { return false };
    same_model(before_toml, split.toml, kind)
}

/// Whether both texts read as the contract, and as the same front matter.
fn same_model(a: &str, b: &str, kind: EntityKind) -> bool {
    fn same<T: serde::de::DeserializeOwned + PartialEq>(a: &str, b: &str) -> bool {
        matches!((toml::from_str::<T>(a), toml::from_str::<T>(b)), (Ok(x), Ok(y)) if x == y)
    }
    match kind {
        EntityKind::Body => same::<BodyMeta>(a, b),
        EntityKind::Organisation => same::<OrganisationMeta>(a, b),
        EntityKind::Person => same::<PersonMeta>(a, b),
    }
}

fn rank(order: &[&str], key: &str) -> usize {
    order.iter().position(|k| *k == key).unwrap_or(order.len())
}

fn canonical_table(table: &mut Table, order: &[&str]) {
    table.sort_values_by(|a, _, b, _| {
        rank(order, a.get()).cmp(&rank(order, b.get())).then_with(|| a.get().cmp(b.get()))
    });
    for (mut key, item) in table.iter_mut() {
        let name = key.get().to_owned();
        if let Item::Value(value) = item {
            key.leaf_decor_mut().set_suffix(" ");
            canonical_value(value, &name, 0);
            let suffix = value.decor().suffix().and_then(|s| s.as_str()).unwrap_or("").to_owned();
            value.decor_mut().set_prefix(" ");
            value.decor_mut().set_suffix(if suffix.contains('#') {
                format!(" {}", suffix.trim_start())
            } else {
                String::new()
            });
        }
    }
}

fn canonical_value(value: &mut Value, key: &str, depth: usize) {
    match value {
        Value::String(s) => {
            let text = s.value().clone();
            if !text.contains('\n') {
                let decor = s.decor().clone();
                *s = toml_edit::Formatted::new(text);
                *s.decor_mut() = decor;
            }
        }
        Value::Integer(i) if key == "count" => {
            let decor = i.decor().clone();
            let mut s = toml_edit::Formatted::new(i.value().to_string());
            *s.decor_mut() = decor;
            *value = Value::String(s);
        }
        Value::Array(array) => canonical_array(array, depth),
        Value::InlineTable(table) => {
            // Comments between the items of an inline table (TOML 1.1) are kept by
            // leaving its layout as written; only the values inside are made canonical.
            let commented = table.iter().any(|(k, v)| {
                let key = table.key(k).map(|k| k.leaf_decor().clone()).unwrap_or_default();
                [key.prefix(), key.suffix(), v.decor().prefix(), v.decor().suffix()]
                    .into_iter()
                    .flatten()
                    .any(|s| s.as_str().is_some_and(|s| s.contains('#')))
            }) || table.trailing().as_str().is_some_and(|s| s.contains('#'));
            if commented {
                for (k, v) in table.iter_mut() {
                    let name = k.get().to_owned();
                    canonical_value(v, &name, depth + 1);
                }
                return;
            }
            table.sort_values_by(|a, _, b, _| rank(ITEM_KEYS, a.get()).cmp(&rank(ITEM_KEYS, b.get())));
            for (mut k, v) in table.iter_mut() {
                let name = k.get().to_owned();
                k.leaf_decor_mut().set_prefix(" ");
                k.leaf_decor_mut().set_suffix(" ");
                canonical_value(v, &name, depth + 1);
                v.decor_mut().set_prefix(" ");
                v.decor_mut().set_suffix("");
            }
            table.set_trailing_comma(false);
            table.decor_mut().set_prefix(" ");
            table.set_trailing(" ");
        }
        _ => {}
    }
}

/// Short lists of plain values on one line; long lists, and lists of tables, a line each,
/// indented by how deep the list is nested.
fn canonical_array(array: &mut Array, depth: usize) {
    let (indent, closing) = ("    ".repeat(depth + 1), "    ".repeat(depth));
    for item in array.iter_mut() {
        canonical_value(item, "", depth);
    }
    let has_comments = array.iter().any(|v| {
        [v.decor().prefix(), v.decor().suffix()]
            .into_iter()
            .flatten()
            .any(|s| s.as_str().is_some_and(|s| s.contains('#')))
    }) || array.trailing().as_str().is_some_and(|s| s.contains('#'));
    let one_line: usize = array.iter().map(|v| v.to_string().trim().len() + 2).sum();
    let tables = array.iter().any(|v| matches!(v, Value::InlineTable(_) | Value::Array(_)));
    if array.is_empty() {
        // A comment in an empty list (`tasks = [ # to come ]`) keeps a line of its own.
        let trailing = array.trailing().as_str().map(|t| t.trim().to_owned()).unwrap_or_default();
        array.set_trailing(if trailing.is_empty() {
            String::new()
        } else {
            format!("\n{indent}{trailing}\n{closing}")
        });
        array.set_trailing_comma(false);
        return;
    }
    if !tables && !has_comments && one_line <= LINE {
        for (i, v) in array.iter_mut().enumerate() {
            v.decor_mut().set_prefix(if i == 0 { "" } else { " " });
            v.decor_mut().set_suffix("");
        }
        array.set_trailing("");
        array.set_trailing_comma(false);
    } else {
        for v in array.iter_mut() {
            let comment =
                v.decor().prefix().and_then(|p| p.as_str()).map(|p| p.trim().to_owned()).unwrap_or_default();
            let lead = if comment.is_empty() {
                format!("\n{indent}")
            } else {
                format!("\n{indent}{comment}\n{indent}")
            };
            v.decor_mut().set_prefix(lead);
            let suffix =
                v.decor().suffix().and_then(|p| p.as_str()).map(|p| p.trim().to_owned()).unwrap_or_default();
            v.decor_mut().set_suffix(if suffix.is_empty() { String::new() } else { format!(" {suffix}") });
        }
        let trailing = array.trailing().as_str().map(|t| t.trim().to_owned()).unwrap_or_default();
        array.set_trailing(if trailing.is_empty() {
            format!("\n{closing}")
        } else {
            format!("\n{indent}{trailing}\n{closing}")
        });
        array.set_trailing_comma(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_keys_quotes_strings_and_keeps_comments_and_markdown() {
        let text = "+++\n# The group\nkind = 'group'\ntitle = \"KG\"   # its name\ncount_of = 1\n\n[[relations]]\nto = \"x\"\ntype = \"advises\"\n\n[[members]]\nrole = 'chair'\nfrom = \"x\"\ncount = 2\n+++\n# Body\n\n  untouched  \n";
        // `count_of` is not a key of a body: fmt formats, check complains.
        let out = format(text.replace("count_of = 1\n", "").as_str(), EntityKind::Body).unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"KG\" # its name\n# The group\nkind = \"group\"\n\n[[members]]\nfrom = \"x\"\ncount = \"2\"\nrole = \"chair\"\n\n[[relations]]\ntype = \"advises\"\nto = \"x\"\n+++\n# Body\n\n  untouched  \n"
        );
        assert_eq!(format(&out, EntityKind::Body).unwrap(), out, "idempotent");
    }

    #[test]
    fn seats_documents_and_people_have_their_order() {
        let body = "+++\ntitle = \"A\"\n[[documents]]\nurl = \"a.pdf\"\nkind = \"report\"\ntitle = \"R\"\n\
                    [[members]]\nuntil = \"2021\"\nperson = [\"Ole\"]\nnominated_by = \"x\"\nfrom = \"y\"\n+++\n";
        assert_eq!(
            format(body, EntityKind::Body).unwrap(),
            "+++\ntitle = \"A\"\n[[members]]\nfrom = \"y\"\nnominated_by = \"x\"\nperson = [\"Ole\"]\nuntil = \"2021\"\n\
             [[documents]]\ntitle = \"R\"\nkind = \"report\"\nurl = \"a.pdf\"\n+++\n"
        );
        let person = "+++\nparty = \"A\"\nname = \"Ole\"\n+++\n";
        assert_eq!(format(person, EntityKind::Person).unwrap(), "+++\nname = \"Ole\"\nparty = \"A\"\n+++\n");
    }

    #[test]
    fn long_lists_get_a_line_per_item() {
        let long = format!(
            "+++\ntitle = \"A\"\ntasks = [\"{}\", \"{}\"]\naliases = [ \"x\" ,\"y\" ]\n+++\n",
            "a".repeat(60),
            "b".repeat(60)
        );
        let out = format(&long, EntityKind::Body).unwrap();
        assert!(
            out.contains(&format!(
                "tasks = [\n    \"{}\",\n    \"{}\",\n]\n",
                "a".repeat(60),
                "b".repeat(60)
            )),
            "{out}"
        );
        assert!(out.contains("aliases = [\"x\", \"y\"]\n"), "{out}");
        assert_eq!(format(&out, EntityKind::Body).unwrap(), out);
    }

    #[test]
    fn nested_lists_are_indented_by_depth() {
        let text = format!(
            "+++\ntitle = \"A\"\ntasks = [{{ text = \"t\", items = [\"{}\", \"{}\"] }}]\n+++\n",
            "a".repeat(50),
            "b".repeat(50)
        );
        let out = format(&text, EntityKind::Body).unwrap();
        let expected = format!(
            "tasks = [\n    {{ text = \"t\", items = [\n        \"{}\",\n        \"{}\",\n    ] }},\n]\n",
            "a".repeat(50),
            "b".repeat(50)
        );
        assert!(out.contains(&expected), "{out}");
        assert_eq!(format(&out, EntityKind::Body).unwrap(), out);
    }

    #[test]
    fn keeps_bom_and_crlf() {
        let text = "\u{feff}+++\r\nkind = \"g\"\r\ntitle = \"A\"\r\n+++\r\nText\r\n";
        let out = format(text, EntityKind::Body).unwrap();
        assert_eq!(out, "\u{feff}+++\r\ntitle = \"A\"\r\nkind = \"g\"\r\n+++\r\nText\r\n");
    }

    /// Every comment stays where it stood: in an empty list, between the items of an
    /// inline table, and at the top of the file above a blank line.
    #[test]
    fn comments_stay_where_they_stood() {
        let empty = format("+++\ntitle = \"A\"\ntasks = [ # to come\n]\n+++\n", EntityKind::Body).unwrap();
        assert!(empty.contains("tasks = [\n    # to come\n]\n"), "{empty}");
        assert_eq!(format(&empty, EntityKind::Body).unwrap(), empty);
        let inline = "+++\ntitle = \"A\"\ntasks = [{ text = \"t\", # the first\n  items = [\"u\"] }]\n+++\n";
        let out = format(inline, EntityKind::Body).unwrap();
        assert!(out.contains("# the first"), "{out}");
        assert_eq!(format(&out, EntityKind::Body).unwrap(), out);
        let header = "+++\n# Kommissorium for the group, kept by the secretariat\n\nkind = \"group\"\ntitle = \"A\"\n+++\n";
        let out = format(header, EntityKind::Body).unwrap();
        assert!(
            out.starts_with(
                "+++\n# Kommissorium for the group, kept by the secretariat\n\ntitle = \"A\"\nkind"
            ),
            "{out}"
        );
        assert_eq!(format(&out, EntityKind::Body).unwrap(), out);
    }

    /// A file with problems in its front matter is not formatted: `check` comes first.
    #[test]
    fn files_with_schema_problems_are_refused() {
        for bad in [
            "+++\ntitle = \"A\"\nparnet = \"x\"\n+++\n",
            "+++\ntitle = \"A\"\n[[members]]\nfrom = \"x\"\ncount = \"3-2\"\n+++\n",
        ] {
            assert!(matches!(format(bad, EntityKind::Body), Err(FmtError::Unreadable(_))), "{bad}");
        }
    }

    #[test]
    fn unreadable_front_matter_is_reported() {
        assert!(matches!(format("no fence", EntityKind::Body), Err(FmtError::Unreadable(_))));
        assert!(matches!(format("+++\ntitle = \n+++\n", EntityKind::Body), Err(FmtError::Unreadable(_))));
    }
}
