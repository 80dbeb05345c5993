//! Open data end to end: `/data/` after a build and `mandat export`, on the people fixture
//! (every seat key) and the sample.

mod common;

use std::path::Path;

use common::{copy_dir, fixture, mandat};
use serde_json::Value;

use common::build_into_temp as build;

fn popolo(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("data/popolo.json")).unwrap()).unwrap()
}

fn rows(out: &Path, name: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(out.join("data").join(name)).unwrap();
    reader.records().map(Result::unwrap).collect()
}

#[test]
fn popolo_has_every_entity_seat_membership_and_person() {
    let out = build(&fixture("people"));
    let doc = popolo(out.path());
    let organizations = doc["organizations"].as_array().unwrap();
    assert_eq!(organizations.len(), 1 + 5, "every body and organisation");
    let ids: Vec<&str> = organizations.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted by id: {ids:?}");
    let council = organizations.iter().find(|o| o["id"] == "handicapraadet").unwrap();
    assert_eq!(council["classification"], "council");
    assert_eq!(council["parent_id"], "byraadet");
    assert_eq!(council["founding_date"], "2007", "partial dates stay partial");
    assert_eq!(council["other_names"][0]["name"], "Det Kommunale Handicapråd");
    assert_eq!(council["other_names"][0]["end_date"], "2014-06");
    assert_eq!(council["links"][1]["url"], "files/kommissorium-handicapraadet.pdf");
    let posts = doc["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 7, "a post per seat");
    assert_eq!(posts[0]["id"], "handicapraadet/seat-1");
    assert_eq!(posts[0]["label"], "Formand, Byrådet");
    assert_eq!(posts[0]["mandat"]["deputies"], serde_json::json!({"min": 1, "max": 1}));
    assert_eq!(posts[3]["mandat"]["capacity"], "personal");
    assert_eq!(posts[6]["mandat"]["count"], serde_json::json!({"min": 1, "max": null}));
    let memberships = doc["memberships"].as_array().unwrap();
    let chair = memberships.iter().find(|m| m["person_id"] == "anne-holm").unwrap();
    assert_eq!(chair["post_id"], "handicapraadet/seat-1");
    assert_eq!(chair["on_behalf_of_id"], "byraadet");
    assert_eq!(
        (chair["start_date"].as_str(), chair["end_date"].as_str()),
        (Some("2022-01-01"), Some("2025-12"))
    );
    let by_name = memberships.iter().find(|m| m["member"]["name"] == "Karsten Vig").unwrap();
    assert_eq!(by_name["member"]["@type"], "Person", "a name without a file");
    // Six seats represent an organisation; eight people are named.
    let of = |kind: &str| memberships.iter().filter(|m| m["member"]["@type"] == kind).count();
    assert_eq!(of("Organization"), 6);
    assert_eq!(memberships.iter().filter(|m| m["person_id"].is_string()).count() + of("Person"), 8);
    assert_eq!(doc["persons"].as_array().unwrap().len(), 6);
}

#[test]
fn csv_tables_read_back_to_the_content() {
    let out = build(&fixture("people"));
    assert_eq!(rows(out.path(), "bodies.csv").len(), 1);
    assert_eq!(rows(out.path(), "organisations.csv").len(), 5);
    assert_eq!(rows(out.path(), "people.csv").len(), 6);
    let seats = rows(out.path(), "seats.csv");
    assert_eq!(seats.len(), 7);
    assert_eq!(&seats[1][13], "Jens Møller; Lise Berg; Karsten Vig");
    assert_eq!(&seats[1][14], "jens-moeller; lise-berg");
    // Every stated edge: parent, secretariat, approved-by, the 6 seats with a `from` (not the
    // personal one), and Byrådet's parent.
    let relations = rows(out.path(), "relations.csv");
    assert_eq!(relations.len(), 1 + 1 + 1 + 6 + 1, "{relations:?}");
}

/// Commas, quotes and line breaks in a value survive the round trip.
#[test]
fn csv_quotes_what_needs_quoting() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("people"), site.path());
    let body = site.path().join("content/bodies/handicapraadet.md");
    let text = std::fs::read_to_string(&body).unwrap();
    let tricky = "Rådhuset, \"sal 2\"\nog online";
    let toml_value = toml::Value::String(tricky.to_owned()).to_string();
    std::fs::write(&body, text.replace("count = \"3\"\n", &format!("count = \"3\"\nnote = {toml_value}\n")))
        .unwrap();
    let out = build(site.path());
    let seats = rows(out.path(), "seats.csv");
    assert_eq!(&seats[5][17], tricky);
}

#[test]
fn graphml_and_dot_have_every_node_and_stated_edge() {
    let out = build(&fixture("people"));
    let graphml = std::fs::read_to_string(out.path().join("data/organisation.graphml")).unwrap();
    assert_eq!(graphml.matches("<node id=").count(), 6);
    assert_eq!(graphml.matches("<edge id=").count(), 10);
    assert!(graphml.contains("<data key=\"type\">seat</data>"));
    assert!(graphml.contains("<data key=\"count\">1+</data>"));
    let dot = std::fs::read_to_string(out.path().join("data/organisation.dot")).unwrap();
    assert!(dot.starts_with("digraph {"));
    assert_eq!(dot.matches(" -> ").count(), 10);
    assert!(dot.contains("label = \"Handicaprådet\" id = \"handicapraadet\", shape = box"));
}

#[test]
fn export_writes_what_build_publishes() {
    let root = fixture("people");
    let out = build(&root);
    let run = mandat().args(["export", "--format", "popolo", "--root"]).arg(&root).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(run.stdout, std::fs::read(out.path().join("data/popolo.json")).unwrap());
    let csv = mandat().args(["export", "--format", "csv", "--root"]).arg(&root).output().unwrap();
    assert_eq!(csv.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&csv.stderr).contains("--output DIR"));
    let dir = tempfile::tempdir().unwrap();
    let csv = mandat()
        .args(["export", "--format", "csv", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("tables"))
        .output()
        .unwrap();
    assert!(csv.status.success());
    for name in ["bodies.csv", "organisations.csv", "seats.csv", "people.csv", "relations.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join("tables").join(name)).unwrap(),
            std::fs::read(out.path().join("data").join(name)).unwrap(),
            "{name}"
        );
    }
    let file = dir.path().join("org.graphml");
    let graphml = mandat()
        .args(["export", "--format", "graphml", "--root"])
        .arg(&root)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(graphml.status.success());
    assert_eq!(
        std::fs::read(file).unwrap(),
        std::fs::read(out.path().join("data/organisation.graphml")).unwrap()
    );
}

/// With `publish_people = false` the exports have no persons and no names.
#[test]
fn exports_keep_private_people_out() {
    let site = common::private_people_site();
    let out = build(site.path());
    let doc = popolo(out.path());
    assert_eq!(doc["persons"].as_array().unwrap().len(), 0);
    assert!(doc["memberships"].as_array().unwrap().iter().all(|m| m["member"]["@type"] == "Organization"));
    assert_eq!(rows(out.path(), "people.csv").len(), 0);
}
