//! People and seats end to end, on `tests/fixtures/people`: a body with 16 seats, 8 named
//! holders (6 with a person file) and 2 deputies; person pages; privacy; `new --person`.

mod common;

use std::path::Path;

use common::{copy_dir, fixture, mandat};

use common::build_into_temp as build;

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file under `dir`, as (path, text); binary files as lossy text.
fn all_files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (path, String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned())
        })
        .collect()
}

const NAMES: &[&str] = &[
    "Anne Holm",
    "Jens Møller",
    "Lise Berg",
    "Karsten Vig",
    "Mona Frisk",
    "Peter Lund",
    "Sara Nørgaard",
    "Ib Krogh",
];

#[test]
fn a_body_page_names_who_holds_its_seats() {
    let out = build(&fixture("people"));
    let page = read(out.path(), "bodies/handicapraadet/index.html");
    // The chair line names the person, then whom the seat represents.
    assert!(
        page.contains(
            "<dd>Formand: <a href=\"../../people/anne-holm/index.html\">Anne Holm</a> (A), \
             <a href=\"../../organisations/byraadet/index.html\">Byrådet</a></dd>"
        ),
        "{page}"
    );
    for expected in [
        "<th scope=\"col\">Person</th>",
        // Deputies, a name without a file, nomination, personal capacity, ex officio.
        "1 + 1 suppl.",
        "<a href=\"../../people/lise-berg/index.html\">Lise Berg</a> (F), Karsten Vig",
        "Efter indstilling fra <a href=\"../../organisations/danske-handicaporganisationer/index.html\">",
        "<td data-label=\"Fra\">I personlig egenskab</td>",
        "Sara Nørgaard, <span class=\"position\">sagkyndig i tilgængelighed</span>",
        "<span class=\"detail\">Født medlem</span>",
        "Periode <time datetime=\"2022-01-01\">1. januar 2022</time>–<time datetime=\"2025-12\">december 2025</time>",
        "<td class=\"count\" data-label=\"Antal\">1+</td>",
        // 1 + 4 + 5 + 2 + 1 + 3 members; the observer is not one.
        "I alt: 16 medlemmer",
        // Documents: a file of the site and a web address.
        "<a href=\"../../files/kommissorium-handicapraadet.pdf\">Kommissorium for Handicaprådet</a> \
         <span class=\"kind\">Kommissorium, <time datetime=\"2022-03-01\">1. marts 2022</time></span>",
        "<span class=\"kind\">Rapport, <time datetime=\"2024-02\">februar 2024</time></span>",
        "<dt>Tidligere navn</dt><dd>Det Kommunale Handicapråd (indtil <time datetime=\"2014-06\">juni 2014</time>)</dd>",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    assert_eq!(
        std::fs::read(out.path().join("files/kommissorium-handicapraadet.pdf")).unwrap(),
        std::fs::read(fixture("people").join("content/files/kommissorium-handicapraadet.pdf")).unwrap()
    );
    // The diagram's box of the body names its chair in the tooltip.
    let diagram = read(out.path(), "bodies/handicapraadet/diagram.svg");
    assert!(diagram.contains("<title>Handicaprådet\nFormand: Anne Holm (A)</title>"), "{diagram}");
}

#[test]
fn people_have_pages_and_a_list() {
    let out = build(&fixture("people"));
    let page = read(out.path(), "people/anne-holm/index.html");
    assert!(page.contains("<h1>Anne Holm <span class=\"short-name\">(A)</span></h1>"), "{page}");
    assert!(page.contains("<td data-label=\"Organ\"><a href=\"../../bodies/handicapraadet/index.html\">Handicaprådet</a></td><td data-label=\"Rolle\">Formand</td><td data-label=\"Repræsenterer\"><a href=\"../../organisations/byraadet/index.html\">Byrådet</a></td>"), "{page}");
    // How each seat is held: the term, the nomination, the capacity.
    assert!(page.contains("<td data-label=\"Bemærkning\"><span class=\"detail\">Periode <time datetime=\"2022-01-01\">1. januar 2022</time>–<time datetime=\"2025-12\">december 2025</time></span></td>"), "{page}");
    let mona = read(out.path(), "people/mona-frisk/index.html");
    assert!(mona.contains("<span class=\"detail\">Efter indstilling fra <a href=\"../../organisations/danske-handicaporganisationer/index.html\">Danske Handicaporganisationer</a></span>"), "{mona}");
    let ib = read(out.path(), "people/ib-krogh/index.html");
    assert!(ib.contains("Medlem, direktør for social og sundhed"), "{ib}");
    assert!(
        ib.contains("<td data-label=\"Bemærkning\"><span class=\"detail\">Født medlem</span></td>"),
        "{ib}"
    );
    let list = read(out.path(), "people/index.html");
    let order: Vec<usize> = ["Anne Holm", "Ib Krogh", "Jens Møller", "Lise Berg", "Mona Frisk", "Peter Lund"]
        .iter()
        .map(|n| list.find(n).unwrap_or_else(|| panic!("{n} not listed")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "A–Z: {order:?}");
    assert!(
        list.contains("<li>Formand, <a href=\"../bodies/handicapraadet/index.html\">Handicaprådet</a></li>")
    );
    // Each letter of the contents leads to its own section, made one letter at a time.
    assert!(list.contains("<li><a href=\"#letter-2\">I</a></li>"), "{list}");
    assert!(list.contains("<section id=\"letter-2\" aria-labelledby=\"letter-2-heading\">\n  <h2 id=\"letter-2-heading\">I</h2>"), "{list}");
    assert_eq!(list.matches("<section id=\"letter-").count(), 6, "{list}");
    // Named people without a file get no page; every page links the list.
    assert!(!out.path().join("people/karsten-vig").exists());
    assert!(read(out.path(), "index.html").contains("<a href=\"people/index.html\">Personer</a>"));
    // An organisation's page says who fills its seats.
    let org = read(out.path(), "organisations/dh-lokalafdeling/index.html");
    assert!(org.contains("<a href=\"../../people/mona-frisk/index.html\">Mona Frisk</a>, <a href=\"../../people/peter-lund/index.html\">Peter Lund</a>"), "{org}");
    // Search finds people by name, and bodies by the names of their members.
    // The person, and the body she sits in.
    assert_eq!(common::search(out.path(), "anne holm"), ["Anne Holm", "Handicaprådet"]);
    // By position, as a prefix.
    assert_eq!(common::search(out.path(), "byrådsmedl"), ["Anne Holm", "Jens Møller", "Lise Berg"]);
    // A name written in a seat, without a person file: the body is found by it.
    assert_eq!(common::search(out.path(), "sara nørgaard"), ["Handicaprådet"]);
    // A body's name finds the body, not each of its members after it.
    assert_eq!(common::search(out.path(), "handicaprådet"), ["Handicaprådet"]);
    // Paper: the names without links.
    let print = read(out.path(), "print/index.html");
    assert!(print.contains("<dd>Formand: Anne Holm (A), Byrådet</dd>"), "{print}");
    assert!(print.contains("<td data-label=\"Person\">Jens Møller (V), Lise Berg (F), Karsten Vig</td>"));
}

/// `publish_people = false`: not one name anywhere in the output, but check still reads
/// the people.
#[test]
fn privacy_keeps_every_name_out_of_the_site() {
    let site = common::private_people_site();
    let out = build(site.path());
    let files = all_files(out.path());
    assert!(files.len() > 20);
    for (path, text) in &files {
        for name in NAMES.iter().chain(&["anne-holm", "ib-krogh", "mona-frisk"]) {
            assert!(!text.contains(name), "{name} in {path}");
        }
    }
    assert!(!out.path().join("people").exists());
    let page = read(out.path(), "bodies/handicapraadet/index.html");
    assert!(!page.contains("Personer"), "no link to a people list");
    // The post is not a name: ex-officio and personal seats still say what they are.
    assert!(page.contains("direktør for social og sundhed"));
    assert!(page.contains("I alt: 16 medlemmer"));
    // check still validates people it does not publish.
    let body = site.path().join("content/bodies/handicapraadet.md");
    let text =
        std::fs::read_to_string(&body).unwrap().replace("person = \"anne-holm\"", "person = \"anne-hom\"");
    std::fs::write(&body, text).unwrap();
    let run = mandat().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("did you mean `anne-holm`?"));
}

#[test]
fn new_person_makes_a_file_that_checks() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("people"), site.path());
    let run =
        mandat().args(["new", "--person", "Betina Svinggaard"]).current_dir(site.path()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let file = site.path().join("content/people/betina-svinggaard.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("+++\nname = \"Betina Svinggaard\"\n"), "{text}");
    let again =
        mandat().args(["new", "--person", "Betina Svinggaard"]).current_dir(site.path()).output().unwrap();
    assert!(!again.status.success(), "never overwrites");
    let check = mandat().arg("check").current_dir(site.path()).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(String::from_utf8_lossy(&check.stderr).contains("and 7 people: no problems"));
}
