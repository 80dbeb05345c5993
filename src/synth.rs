//! Synthetic organisations of any size, for benchmarks and scale tests.
//!
//! Deterministic from a seed: the same `(bodies, seed)` always gives the same files, so
//! benchmark figures are comparable between runs and machines. The shape follows real
//! structures: a few roots, uneven branching, depth up to 7, seats from municipalities
//! and groups, typed relations, ~600 words of Danish-looking mandate text with headings,
//! lists and `[[id]]` cross-links.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::id::slugify;

/// One file of a generated site: path relative to the site root, and its text.
pub type SiteFile = (PathBuf, String);

const MAX_DEPTH: usize = 6;

const KINDS: &[(&str, &str)] = &[
    ("Udvalget for", "committee"),
    ("Styregruppen for", "steering-group"),
    ("Følgegruppen for", "group"),
    ("Arbejdsgruppen om", "working-group"),
    ("Koordinationsforum for", "forum"),
    ("Netværket for", "network"),
];
const TOPICS: &[&str] = &[
    "sundhed",
    "ældrepleje",
    "børn og unge",
    "genoptræning",
    "psykiatri",
    "forebyggelse",
    "økonomi",
    "digitalisering",
    "beskæftigelse",
    "socialområdet",
    "kvalitet",
    "uddannelse",
    "rehabilitering",
    "akutområdet",
    "sammenhængende forløb",
    "lægedækning",
];
const AREAS: &[&str] = &[
    "Nord",
    "Syd",
    "Øst",
    "Vest",
    "Fyn",
    "Sønderjylland",
    "Østjylland",
    "Sjælland",
    "Hovedstaden",
    "Bornholm",
    "Ærø",
    "Midtjylland",
];
const WORDS: &[&str] = &[
    "samarbejde",
    "kommunerne",
    "regionen",
    "borgere",
    "patienter",
    "indsatser",
    "aftaler",
    "opfølgning",
    "koordinering",
    "implementering",
    "sundhedsvæsenet",
    "tværsektorielle",
    "forløb",
    "kvalitet",
    "udvikling",
    "drøfte",
    "sikre",
    "understøtte",
    "løbende",
    "fælles",
    "strategiske",
    "beslutninger",
    "møder",
    "dagsorden",
    "sekretariatet",
    "formandskabet",
    "målsætninger",
    "økonomiske",
    "konsekvenser",
    "praksis",
    "sygehuse",
    "pårørende",
    "videndeling",
    "erfaringsudveksling",
    "og",
    "i",
    "for",
    "med",
    "til",
    "på",
    "af",
    "at",
    "der",
    "som",
    "den",
    "det",
    "de",
    "skal",
    "kan",
    "mellem",
    "også",
    "særligt",
    "områder",
    "tiltag",
    "grundlag",
];
const ROLES: &[&str] = &["member", "member", "member", "chair", "vice-chair", "observer"];
const RELATIONS: &[&str] = &["participates-in", "reports-to", "advises", "coordinates-with", "supports"];

const FIRST_NAMES: &[&str] =
    &["Anne", "Mette", "Jens", "Lars", "Karen", "Peter", "Hanne", "Søren", "Birgit", "Ole", "Line", "Mads"];
const LAST_NAMES: &[&str] = &[
    "Hansen",
    "Nielsen",
    "Jensen",
    "Pedersen",
    "Andersen",
    "Kristensen",
    "Larsen",
    "Sørensen",
    "Holm",
    "Berg",
];
const PARTIES: &[&str] = &["A", "V", "C", "F", "Ø", "B", "O", "I"];

/// Generates a site with `bodies` bodies from `seed`; with `people`, every seat names the
/// people who hold it (two people per body, each in a few seats). The people come from a
/// random stream of their own, so the rest of the site is the same with or without them.
pub fn generate(bodies: usize, seed: u64, people: bool) -> Vec<SiteFile> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut people_rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(1));
    // (id, name); the number keeps ids unique, the name stays as people write it.
    let person_names: Vec<(String, String)> = if people {
        (0..bodies * 2)
            .map(|i| {
                let name =
                    format!("{} {}", pick(&mut people_rng, FIRST_NAMES), pick(&mut people_rng, LAST_NAMES));
                (format!("{}-{}", slugify(&name), i + 1), name)
            })
            .collect()
    } else {
        Vec::new()
    };
    let organisations = organisations(bodies, &mut rng);
    let org_ids: Vec<&str> = organisations.iter().map(|o| o.0.as_str()).collect();

    // Titles and the parent forest first, so text can link to any body.
    let mut ids = Vec::with_capacity(bodies);
    let mut titles = Vec::with_capacity(bodies);
    let mut kinds = Vec::with_capacity(bodies);
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(bodies);
    let mut depth = Vec::with_capacity(bodies);
    let roots = (bodies / 400).max(1);
    for i in 0..bodies {
        let (prefix, kind) = KINDS[rng.usize(..KINDS.len())];
        let title = format!("{prefix} {} {} {}", pick(&mut rng, TOPICS), pick(&mut rng, AREAS), i + 1);
        ids.push(slugify(&title));
        titles.push(title);
        kinds.push(kind);
        let parent = if i < roots {
            None
        } else {
            // Uniform attachment to an earlier body gives uneven, mostly shallow trees
            // whose depth grows with the size; the cap keeps them to 7 levels.
            let mut p = rng.usize(..i);
            while depth[p] >= MAX_DEPTH {
                p = parents[p].expect("only roots lack a parent, and they are at depth 0");
            }
            Some(p)
        };
        depth.push(parent.map_or(0, |p| depth[p] + 1));
        parents.push(parent);
    }

    let mut files: Vec<SiteFile> = organisations
        .iter()
        .map(|(id, text)| (PathBuf::from(format!("content/organisations/{id}.md")), text.clone()))
        .collect();
    for i in 0..bodies {
        let mut fm = String::new();
        let _ = writeln!(fm, "+++\ntitle = \"{}\"\nkind = \"{}\"", titles[i], kinds[i]);
        if let Some(p) = parents[i] {
            let _ = writeln!(fm, "parent = \"{}\"", ids[p]);
        }
        let _ = writeln!(fm, "approved = {}-{:02}-{:02}", 2015 + rng.u16(..10), rng.u8(1..13), rng.u8(1..29));
        if let Some(p) = parents[i] {
            let _ = writeln!(fm, "approved_by = \"{}\"", ids[p]);
        }
        let _ = writeln!(fm, "secretariat = \"{}\"", pick(&mut rng, &org_ids));
        let _ = writeln!(fm, "purpose = \"{}\"", sentence(&mut rng, 25));
        list(&mut fm, "tasks", rng.usize(5..16), &mut rng);
        list(&mut fm, "competences", rng.usize(5..16), &mut rng);
        let _ = writeln!(fm, "meetings = \"{} gange om året\"", rng.usize(2..7));
        for _ in 0..rng.usize(3..11) {
            let count = match rng.u8(..3) {
                0 => format!("{}", rng.u8(1..4)),
                1 => format!("{}-{}", rng.u8(1..3), rng.u8(3..6)),
                _ => "1".to_owned(),
            };
            let _ = writeln!(
                fm,
                "\n[[members]]\nfrom = \"{}\"\ncount = \"{count}\"\nrole = \"{}\"",
                pick(&mut rng, &org_ids),
                pick(&mut rng, ROLES)
            );
            if !person_names.is_empty() {
                let filled = count.split('-').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
                let holders: Vec<String> = (0..filled)
                    .map(|_| format!("\"{}\"", person_names[people_rng.usize(..person_names.len())].0))
                    .collect();
                let _ = writeln!(fm, "person = [{}]", holders.join(", "));
            }
        }
        for _ in 0..rng.usize(..4) {
            let to = rng.usize(..bodies);
            if to != i {
                let _ = writeln!(
                    fm,
                    "\n[[relations]]\ntype = \"{}\"\nto = \"{}\"",
                    pick(&mut rng, RELATIONS),
                    ids[to]
                );
            }
        }
        fm.push_str("+++\n");
        mandate_text(&mut fm, &mut rng, &ids, &titles);
        files.push((PathBuf::from(format!("content/bodies/{}.md", ids[i])), fm));
    }
    for (id, name) in &person_names {
        files.push((
            PathBuf::from(format!("content/people/{id}.md")),
            format!(
                "+++\nname = \"{name}\"\ntitle = \"Medlem\"\norganisation = \"{}\"\nparty = \"{}\"\n+++\n",
                pick(&mut people_rng, &org_ids),
                pick(&mut people_rng, PARTIES)
            ),
        ));
    }
    files
}

/// A kommissorium of `pages` pages as plain text, for `mandat import` (its benchmark): a
/// title, an approval, six tasks and a page footer per page, seats, and a page of
/// background text each with a date that is no approval.
pub fn long_kommissorium(pages: usize) -> String {
    let mut out = String::from(
        "Kommissorium for Den lange arbejdsgruppe\n\nGodkendt af Sundhedskoordinationsudvalget den 3. marts 2024\n\nOpgaver\n\n",
    );
    for page in 0..pages {
        for task in 0..6 {
            out.push_str(&format!(
                "- Opgave {task} på side {page}: at følge op på indsatser og rådgive Region Nordjylland om dem.\n"
            ));
        }
        out.push_str(&format!("\nSide {} af {pages}\n\n", page + 1));
    }
    out.push_str("\nSammensætning\n\n- 3 repræsentanter fra Region Nordjylland\n- 2 repræsentanter fra hver kommune\n\nBaggrund\n\n");
    for page in 0..pages {
        out.push_str(&format!(
            "Afsnit {page} beskriver baggrunden. Det første møde på side {page} blev holdt den 10. april 2024. \
             Der er mange ord i denne tekst, som den slags tekster har.\n\n"
        ));
    }
    out
}

/// Writes a generated site under `root` (which must not hold another site's content).
pub fn write(root: &Path, bodies: usize, seed: u64, people: bool) -> std::io::Result<()> {
    for (path, text) in generate(bodies, seed, people) {
        let path = root.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)?;
    }
    std::fs::write(
        root.join("mandat.toml"),
        format!("title = \"Syntetisk organisation ({bodies} organer)\"\n"),
    )
}

/// Municipalities, a region, associations and a few groups of municipalities.
fn organisations(bodies: usize, rng: &mut fastrand::Rng) -> Vec<(String, String)> {
    let municipalities = (bodies / 20).clamp(10, 400);
    let mut out = Vec::new();
    let mut muni_ids = Vec::new();
    for i in 0..municipalities {
        let title = format!("{} Kommune {}", pick(rng, AREAS), i + 1);
        let id = slugify(&title);
        out.push((id.clone(), format!("+++\ntitle = \"{title}\"\nkind = \"municipality\"\n+++\n")));
        muni_ids.push(id);
    }
    for (i, chunk) in muni_ids.chunks(8).enumerate() {
        let members = chunk.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ");
        out.push((
            format!("kommunegruppe-{}", i + 1),
            format!(
                "+++\ntitle = \"Kommunegruppe {}\"\nkind = \"group\"\nmembers = [{members}]\n+++\n",
                i + 1
            ),
        ));
    }
    for (id, title, kind) in
        [("region", "Regionen", "region"), ("plo", "PLO", "association"), ("kl", "KL", "association")]
    {
        out.push((id.to_owned(), format!("+++\ntitle = \"{title}\"\nkind = \"{kind}\"\n+++\n")));
    }
    out
}

fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(..from.len())]
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(pick(rng, WORDS));
    }
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect::<String>() + ".")
}

fn list(fm: &mut String, key: &str, n: usize, rng: &mut fastrand::Rng) {
    let _ = writeln!(fm, "{key} = [");
    for i in 0..n {
        let words = rng.usize(8..20);
        let item = sentence(rng, words);
        if i % 5 == 4 {
            let _ = writeln!(
                fm,
                "    {{ text = \"{item}\", items = [\"{}\", \"{}\"] }},",
                sentence(rng, 6),
                sentence(rng, 6)
            );
        } else {
            let _ = writeln!(fm, "    \"{item}\",");
        }
    }
    fm.push_str("]\n");
}

/// About 600 words in four sections, with a list and cross-links.
fn mandate_text(out: &mut String, rng: &mut fastrand::Rng, ids: &[String], titles: &[String]) {
    for heading in ["Baggrund", "Formål", "Organisering", "Møder"] {
        let _ = writeln!(out, "\n## {heading}\n");
        for _ in 0..2 {
            let other = rng.usize(..ids.len());
            let _ = writeln!(
                out,
                "{} Se [[{}]]. {} {}\n",
                sentence(rng, 25),
                ids[other],
                sentence(rng, 20),
                sentence(rng, 20),
            );
        }
        if heading == "Organisering" {
            for _ in 0..4 {
                let _ = writeln!(out, "- {} ({})", sentence(rng, 8), titles[rng.usize(..titles.len())]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_from_the_seed() {
        assert_eq!(generate(50, 7, false), generate(50, 7, false));
        assert_ne!(generate(50, 7, false), generate(50, 8, false));
        // People change only the seats and add their files.
        let (plain, with_people) = (generate(50, 7, false), generate(50, 7, true));
        assert_eq!(with_people.len(), plain.len() + 100);
        let strip =
            |text: &str| text.lines().filter(|l| !l.starts_with("person = ")).collect::<Vec<_>>().join("\n");
        for (a, b) in plain.iter().zip(&with_people) {
            assert_eq!((&a.0, strip(&a.1)), (&b.0, strip(&b.1)));
        }
    }

    #[test]
    fn people_are_named_as_their_ids_say() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 20, 3, true).unwrap();
        let loaded = crate::load(dir.path()).unwrap();
        assert!(
            !loaded.has_errors(),
            "{}",
            crate::diagnostic::render_human(&loaded.diagnostics, &loaded.sources)
        );
        assert_eq!(loaded.content.people.len(), 40);
        for p in &loaded.content.people {
            let name = p.meta.name.get_ref();
            assert!(p.id.starts_with(&format!("{}-", crate::id::slugify(name))), "{} is {name:?}", p.id);
            assert!(name.split(' ').all(|part| FIRST_NAMES.contains(&part) || LAST_NAMES.contains(&part)));
        }
    }

    #[test]
    fn generated_sites_are_valid_and_shaped_like_real_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 400, 1, false).unwrap();
        let loaded = crate::load(dir.path()).unwrap();
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{}",
            crate::diagnostic::render_human(&loaded.diagnostics, &loaded.sources)
        );
        assert_eq!(loaded.content.bodies.len(), 400);
        let graph =
            crate::graph::OrgGraph::build(&loaded.content, &crate::mentions::Mentions::none(&loaded.content));
        let max_depth = graph.nodes().filter(|&n| graph.is_body(n)).map(|n| graph.depth(n)).max().unwrap();
        assert!((4..=MAX_DEPTH).contains(&max_depth), "depth {max_depth}");
        let words = loaded.content.bodies[0].text.markdown().split_whitespace().count();
        assert!((450..=800).contains(&words), "{words} words");
    }
}
