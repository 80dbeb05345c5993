//! `mandat build` end to end: pages, safety of the output folder, determinism.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{copy_dir, fixture, mandat};

fn build(root: &Path, output: &Path) -> std::process::Output {
    mandat().args(["build", "--root"]).arg(root).arg("--output").arg(output).output().unwrap()
}

fn build_ok(root: &Path, output: &Path) {
    let out = build(root, output);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())
        })
        .collect()
}

fn page(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_body_page_shows_every_field_of_its_front_matter() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), &out.path().join("site"));
    let html = page(&out.path().join("site"), "bodies/working-group/index.html");
    for expected in [
        "<title>Working Group on Everything – Test Organisation</title>",
        "(WGE)",
        "Working group",  // kind, translated
        "status-active",  // status
        ">The Board</a>", // parent (and breadcrumb)
        "<time datetime=\"2020-01-15\">15 January 2020</time>",
        "<time datetime=\"2021-02-03\">3 February 2021</time> by",
        "<time datetime=\"2022-03-04\">4 March 2022</time>",
        "CASE-42",
        ">Old Group</a> <span class=\"status\">(Superseded)</span>", // replaces
        ">City Hall</a>",                                            // secretariat
        "The WG",                                                    // alias
        "To test every field.",
        "Task one",
        "Sub-task A",
        "Deep task",
        "May decide small things",
        "Twice a year",
        ">The Towns</a>", // seat from a group
        "2 from each",
        "Directors",
        "1–3",
        "Chair",
        "Jane Doe",
        "Rotates yearly",
        "Reports to",
        "Every quarter",
        "Advised by",     // incoming relation
        ">Sub Group</a>", // child, relation source and mention
        "<h2 id=\"background\">Background</h2>",
        "<td>1</td>",     // Markdown table
        ">the board</a>", // [[board|the board]]
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
}

#[test]
fn raw_script_in_markdown_does_not_reach_the_page() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    assert!(!html.contains("alert("), "{html}");
    assert_eq!(html.matches("<script").count(), 2, "only the theme's own scripts: search and page");
    assert!(!html.contains("onclick"), "{html}");
    assert!(html.contains("<em>ok</em>"));
}

#[test]
fn an_organisation_page_lists_all_its_seats() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let city = page(out.path(), "organisations/city-hall/index.html");
    assert!(city.contains(">Working Group on Everything</a>") && city.contains("Rotates yearly"), "{city}");
    assert!(city.contains("Secretariat for"), "{city}");
    // Seats given to a group are listed for each member, saying through which group.
    let north = page(out.path(), "organisations/north-town/index.html");
    assert!(north.contains("2 from each") && north.contains("as a member of <a"), "{north}");
    assert!(north.contains(">The Towns</a>"), "{north}");
}

#[test]
fn mentions_link_and_become_back_links() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let sub = page(out.path(), "bodies/sub-group/index.html");
    assert!(
        sub.contains(
            "the <a href=\"../../bodies/working-group/index.html\">Working Group on Everything</a> by name"
        ),
        "{sub}"
    );
    let wg = page(out.path(), "bodies/working-group/index.html");
    let mentioned = wg.split("id=\"mentions\"").nth(1).expect("a mentioned-in section");
    assert!(mentioned.contains(">Sub Group</a>"), "{mentioned}");
}

#[test]
fn links_are_relative_and_the_404_page_uses_the_base_path() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let index = page(out.path(), "index.html");
    assert!(index.contains("href=\"bodies/working-group/index.html\""), "{index}");
    assert!(!index.contains("href=\"/"), "no root-relative links: {index}");
    let body = page(out.path(), "bodies/working-group/index.html");
    assert!(body.contains("href=\"../../style.css\""));
    let not_found = page(out.path(), "404.html");
    assert!(not_found.contains("href=\"/test/style.css\""), "{not_found}");
}

#[test]
fn sitemap_and_robots_use_the_base_url() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let sitemap = page(out.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/test/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/test/bodies/working-group/</loc>"), "{sitemap}");
    assert_eq!(sitemap.matches("<loc>").count(), 12, "index, 2 lists, print, 4 bodies, 4 organisations");
    assert!(page(out.path(), "robots.txt").contains("Sitemap: https://example.org/test/sitemap.xml"));
}

#[test]
fn two_builds_are_byte_identical() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), &out.path().join("a"));
    build_ok(full_site().path(), &out.path().join("b"));
    assert_eq!(snapshot(&out.path().join("a")), snapshot(&out.path().join("b")));
}

#[test]
fn a_rebuild_after_edits_equals_a_fresh_build() {
    let site = full_site();
    let output = site.path().join("public");
    build_ok(site.path(), &output);
    build_ok(site.path(), &output);
    let unchanged = build(site.path(), &output);
    let stderr = String::from_utf8_lossy(&unchanged.stderr);
    assert!(stderr.contains(" files, 0 written, 0 removed)"), "{stderr}");
    // The next build reuses an earlier one's folder: a page that goes and a page that
    // changes must come out exactly as in a fresh build.
    fs::remove_file(site.path().join("content/bodies/sub-group.md")).unwrap();
    let board = site.path().join("content/bodies/board.md");
    fs::write(&board, fs::read_to_string(&board).unwrap().replace("The Board", "The Governing Board"))
        .unwrap();
    let edited = build(site.path(), &output);
    let stderr = String::from_utf8_lossy(&edited.stderr);
    assert!(stderr.contains(" removed)") && !stderr.contains(" 0 removed)"), "{stderr}");
    assert!(!output.join("bodies/sub-group").exists());
    assert!(page(&output, "bodies/board/index.html").contains("The Governing Board"));
    let fresh = tempfile::tempdir().unwrap();
    build_ok(site.path(), &fresh.path().join("public"));
    assert_eq!(snapshot(&output), snapshot(&fresh.path().join("public")));
}

#[test]
fn a_broken_build_leaves_the_previous_output_untouched() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let output = site.path().join("public");
    build_ok(site.path(), &output);
    let before = snapshot(&output);
    fs::write(
        site.path().join("content/bodies/board.md"),
        "+++\ntitle = \"Board\"\nparent = \"nowhere\"\n+++\n",
    )
    .unwrap();
    let out = build(site.path(), &output);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("was left unchanged"), "{stderr}");
    assert_eq!(snapshot(&output), before);
}

#[test]
fn a_foreign_output_folder_is_refused_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join("notes.txt"), "my notes").unwrap();
    fs::create_dir(home.path().join("photos")).unwrap();
    let before = snapshot(home.path());
    let out = build(&fixture("full"), home.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to replace") && stderr.contains("not written by mandat"), "{stderr}");
    assert_eq!(snapshot(home.path()), before);
    assert!(home.path().join("photos").is_dir());
}

#[test]
fn works_from_any_folder_with_the_built_in_theme() {
    let elsewhere = tempfile::tempdir().unwrap();
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    let out =
        mandat().current_dir(elsewhere.path()).args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.path().join("public/index.html").is_file());
    assert!(site.path().join("public/style.css").is_file());
}

/// The head links, header and footer are made once for each depth and navigation entry
/// and shared between pages; each page must still get the ones for its own place.
#[test]
fn a_theme_makes_the_chrome_of_every_page_from_its_place() {
    let site = full_site();
    let templates = site.path().join("themes/plain/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("chrome.html"),
        "{% component site_head(@root) %}<link data-head=\"{{ root }}\">{% endcomponent site_head %}\n\
         {% component site_header(@root, @nav, @t) %}<header data-at=\"{{ root }}|{{ nav }}|{{ t.nav_bodies }}\"></header>{% endcomponent site_header %}\n\
         {% component site_footer() %}<footer>the end</footer>{% endcomponent site_footer %}\n",
    )
    .unwrap();
    let config = site.path().join("mandat.toml");
    fs::write(&config, fs::read_to_string(&config).unwrap() + "theme = \"plain\"\n").unwrap();
    let out = site.path().join("public");
    build_ok(site.path(), &out);
    for (path, at) in [
        ("index.html", "|overview"),
        ("bodies/index.html", "../|bodies"),
        ("organisations/index.html", "../|organisations"),
        ("bodies/working-group/index.html", "../../|bodies"),
        ("bodies/board/index.html", "../../|bodies"),
        ("organisations/city-hall/index.html", "../../|organisations"),
        ("print/index.html", "../|print"),
        ("404.html", "/test/|"),
    ] {
        let html = page(&out, path);
        let root = at.split('|').next().unwrap();
        assert!(html.contains(&format!("<header data-at=\"{at}|All bodies\"></header>")), "{path}: {html}");
        assert!(html.contains(&format!("<link data-head=\"{root}\">")), "{path}");
        assert!(html.contains("<footer>the end</footer>") && !html.contains("site-footer"), "{path}");
    }
}

#[test]
fn danish_is_the_default_language() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    fs::remove_file(site.path().join("mandat.toml")).unwrap();
    build_ok(site.path(), &site.path().join("public"));
    let html = page(&site.path().join("public"), "bodies/working-group/index.html");
    assert!(
        html.contains("<html lang=\"da\">") && html.contains("Sammensætning") && html.contains("2 fra hver")
    );
    assert!(!site.path().join("public/sitemap.xml").exists(), "no sitemap without base_url");
}

/// The `full` fixture outside this project's git repository, so pages have no history.
fn full_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("full"), site.path());
    site
}

#[test]
fn body_page_snapshot() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    insta::assert_snapshot!(page(out.path(), "bodies/working-group/index.html"));
}

#[test]
fn sample_diagram_snapshots() {
    let out = tempfile::tempdir().unwrap();
    build_ok(Path::new(env!("CARGO_MANIFEST_DIR")), out.path());
    insta::assert_snapshot!(
        "koordinationsgruppen_diagram",
        page(out.path(), "bodies/koordinationsgruppen/diagram.svg")
    );
    insta::assert_snapshot!(
        "sundhedsdirektoerkredsen_diagram",
        page(out.path(), "bodies/sundhedsdirektoerkredsen/diagram.svg")
    );
}

#[test]
fn every_body_has_a_diagram_and_roots_have_charts() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    for body in ["board", "old-group", "working-group", "sub-group"] {
        let svg = page(out.path(), &format!("bodies/{body}/diagram.svg"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<desc id=\"nb-desc\">"), "{svg}");
        let html = page(out.path(), &format!("bodies/{body}/index.html"));
        assert!(html.contains("<svg") && html.contains("role=\"group\""), "{body}");
    }
    let board = page(out.path(), "bodies/board/index.html");
    assert!(board.contains("id=\"sc-title\"") && out.path().join("bodies/board/chart.svg").is_file());
    assert!(!out.path().join("bodies/sub-group/chart.svg").exists(), "only top-level bodies get a chart");
    let index = page(out.path(), "index.html");
    assert!(index.contains("id=\"oc-title\"") && out.path().join("organisation.svg").is_file());
}

#[test]
fn print_page_follows_the_hierarchy_and_shows_every_field() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let html = page(out.path(), "print/index.html");
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
    let order = ["id=\"p-board\"", "id=\"p-old-group\"", "id=\"p-working-group\"", "id=\"p-sub-group\""];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    let wg = &html[at("id=\"p-working-group\"")..at("id=\"p-sub-group\"")];
    for expected in [
        "<p class=\"heading-path\">The Board</p>",
        "Working Group on Everything (WGE)",
        "Active · Working group",
        "City Hall",
        "Chair: Jane Doe, City Hall – Rotates yearly",
        "15 January 2020",
        "3 February 2021</time> by The Board",
        "4 March 2022",
        "CASE-42",
        "Old Group",
        "Twice a year",
        "The WG",
        "To test every field.",
        "The Towns</td><td class=\"count\" data-label=\"Seats\">2 from each",
        "<td data-label=\"Person\">Jane Doe</td><td data-label=\"Note\"><span class=\"detail\">Rotates yearly</span>",
        "Task one",
        "Deep task",
        "May decide small things",
        "id=\"p-working-group-background\"",
    ] {
        assert!(wg.contains(expected), "missing {expected:?} in\n{wg}");
    }
    assert!(
        html.contains("@page { size: A4 portrait;") && html.contains("@page chart { size: A4 landscape;")
    );
    assert!(html.contains("href=\"#p-working-group\""), "a table of contents");
    assert!(page(out.path(), "index.html").contains("href=\"print/index.html\""));
}

#[test]
fn diagrams_can_be_turned_off() {
    let site = full_site();
    let config = site.path().join("mandat.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}diagrams = false\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    assert!(
        !out.path().join("organisation.svg").exists()
            && !out.path().join("bodies/board/diagram.svg").exists()
    );
    assert!(!page(out.path(), "index.html").contains("<svg"));
    assert!(!page(out.path(), "bodies/working-group/index.html").contains("<svg"));
}

/// "1 body", not "1 bodies": in the terminal and on the front page, in both languages.
#[test]
fn counts_of_one_are_singular() {
    for (language, front) in [
        ("en", ["<strong>1</strong> body<", "<strong>1</strong> organisation<"]),
        ("da", ["<strong>1</strong> organ<", "<strong>1</strong> organisation<"]),
    ] {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("content/bodies")).unwrap();
        fs::create_dir_all(site.path().join("content/organisations")).unwrap();
        fs::write(site.path().join("mandat.toml"), format!("title = \"T\"\nlanguage = \"{language}\"\n"))
            .unwrap();
        fs::write(site.path().join("content/bodies/b.md"), "+++\ntitle = \"B\"\nparent = \"o\"\n+++\n")
            .unwrap();
        fs::write(site.path().join("content/organisations/o.md"), "+++\ntitle = \"O\"\n+++\n").unwrap();
        let out = build(site.path(), &site.path().join("public"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("built 1 body and 1 organisation ("), "{stderr}");
        let index = page(&site.path().join("public"), "index.html");
        for expected in front {
            assert!(index.contains(expected), "{language}: {expected} not in the front page");
        }
    }
}

/// `edit_url` links each page to its source file; the head has a description, sharing
/// tags with the page's own address, and a favicon.
#[test]
fn pages_link_their_source_and_describe_themselves() {
    let site = full_site();
    let config = site.path().join("mandat.toml");
    let toml = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("edit_url = \"https://git.example.org/site/edit/main/{{path}}\"\n{toml}"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    assert!(html.contains("<a href=\"https://git.example.org/site/edit/main/content/bodies/working-group.md\">Edit this page</a>"), "{html}");
    assert!(html.contains("<meta name=\"description\" content=\"To test every field.\">"));
    assert!(
        html.contains(
            "<meta property=\"og:url\" content=\"https://example.org/test/bodies/working-group/\">"
        )
    );
    let org = page(out.path(), "organisations/city-hall/index.html");
    assert!(org.contains("edit/main/content/organisations/city-hall.md\">Edit this page</a>"), "{org}");
    assert!(out.path().join("favicon.svg").is_file());
    let print = page(out.path(), "print/index.html");
    assert!(print.contains("data-print hidden>Print the overview</button>"));
}

/// Every word a reader sees on a Danish site is Danish: no English UI string (one that
/// differs from its Danish counterpart) appears in the text of any page of the sample.
#[test]
fn the_danish_sample_has_no_english_ui_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    build_ok(root, out.path());
    let strings = |lang: &str| -> toml::Table {
        toml::from_str(&fs::read_to_string(root.join(format!("themes/default/i18n/{lang}.toml"))).unwrap())
            .unwrap()
    };
    fn leaves(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, String>) {
        for (key, value) in table {
            match value {
                toml::Value::String(s) => _ = out.insert(format!("{prefix}{key}"), s.clone()),
                toml::Value::Table(t) => leaves(t, &format!("{prefix}{key}."), out),
                toml::Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        if let Some(s) = v.as_str() {
                            out.insert(format!("{prefix}{key}.{i}"), s.to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let (mut en, mut da) = (BTreeMap::new(), BTreeMap::new());
    leaves(&strings("en"), "", &mut en);
    leaves(&strings("da"), "", &mut da);
    // The longest piece between placeholders, if it is long enough to be telling.
    let english: Vec<(String, String)> = en
        .iter()
        .filter(|(k, v)| da.get(*k) != Some(*v))
        .filter_map(|(k, v)| {
            let piece = v.split(['{', '}']).step_by(2).max_by_key(|p| p.len())?.trim().to_owned();
            (piece.chars().count() >= 5).then(|| (k.clone(), piece))
        })
        // Words both languages have ("under", "Forum") are not English on a Danish page.
        .filter(|(_, piece)| !da.values().any(|d| d.to_lowercase().contains(&piece.to_lowercase())))
        .collect();
    assert!(english.len() > 100, "the scan covers the strings: {}", english.len());
    for (path, bytes) in snapshot(out.path()) {
        // The sitemap holds addresses for search engines, not words for readers.
        if !(path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".xml"))
            || path == "sitemap.xml"
        {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let text: String = html
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ")
            // File names (`bodies.csv`) are names, not words.
            .split_whitespace()
            .filter(|word| ![".csv", ".json", ".graphml", ".dot"].iter().any(|ext| word.contains(ext)))
            .collect::<Vec<_>>()
            .join(" ");
        for (key, piece) in &english {
            assert!(!text.contains(piece.as_str()), "{path}: English `{piece}` ({key}) on a Danish page");
        }
    }
}

/// Lists a reader can filter without JavaScript: bodies by status, then kind;
/// organisations by kind; each list with contents linking its sections.
#[test]
fn lists_are_grouped_with_contents() {
    let out = tempfile::tempdir().unwrap();
    build_ok(full_site().path(), out.path());
    let bodies = page(out.path(), "bodies/index.html");
    let active = bodies
        .find("<h2 id=\"status-active-heading\">Active <span class=\"count\">(3)</span></h2>")
        .expect("active bodies");
    let superseded = bodies.find("id=\"status-superseded-heading\"").expect("superseded bodies");
    assert!(active < superseded, "{bodies}");
    assert!(bodies.contains("<a href=\"#status-superseded\">Superseded</a> (1)"), "contents: {bodies}");
    assert!(bodies[active..superseded].contains("<h3>Working group</h3>"), "kinds within a status: {bodies}");
    let organisations = page(out.path(), "organisations/index.html");
    assert!(organisations.contains(">Municipality <span class=\"count\">(2)</span></h2>"), "{organisations}");
}

/// A megabyte-long title and a 16 KB alias, also written in texts, build at once: names
/// that long are not auto-linked (the automaton's construction is quadratic in them) and
/// diagram labels stop after a few lines. Release builds take about 0.5 s; the bound here
/// only catches a return of the quadratic time (300 s before).
#[test]
fn huge_repetitive_names_build_quickly() {
    let site = tempfile::tempdir().unwrap();
    let bodies = site.path().join("content/bodies");
    fs::create_dir_all(&bodies).unwrap();
    let (title, alias) = ("X".repeat(1_000_000), "Y".repeat(16_000));
    fs::write(
        bodies.join("a.md"),
        format!("+++\ntitle = \"{title}\"\naliases = [\"{alias}\"]\n+++\nText.\n"),
    )
    .unwrap();
    fs::write(
        bodies.join("b.md"),
        format!("+++\ntitle = \"B\"\n+++\nNames {} and {alias}.\n", &title[..20_000]),
    )
    .unwrap();
    let started = std::time::Instant::now();
    build_ok(site.path(), &site.path().join("public"));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    let svg = page(&site.path().join("public"), "bodies/a/diagram.svg");
    assert!(svg.contains("X…</tspan>"), "labels are cut after a few lines");
}

/// Two builds of one site at once (the reproduction): both succeed, one after the
/// other, and the site is whole — the same files as a build on its own.
#[test]
fn concurrent_builds_publish_a_whole_site() {
    let site = tempfile::tempdir().unwrap();
    mandat::synth::write(site.path(), 300, 5, true).unwrap();
    let out = site.path().join("public");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_mandat"))
            .args(["build", "--root"])
            .arg(site.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    assert!(a.wait_with_output().unwrap().status.success() && b.wait_with_output().unwrap().status.success());
    let together = snapshot(&out);
    assert!(together.contains_key("index.html") && together.contains_key(".mandat-output"));
    let alone = tempfile::tempdir().unwrap();
    build_ok(site.path(), &alone.path().join("public"));
    let alone = snapshot(&alone.path().join("public"));
    assert_eq!(together.keys().collect::<Vec<_>>(), alone.keys().collect::<Vec<_>>());
}

/// A hierarchy as deep as mandat allows (100 levels) and tasks nested 25 deep build:
/// nested lists are flattened in Rust, so no template recursion limit is reached (20
/// levels failed before).
#[test]
fn deep_hierarchies_and_nested_tasks_build() {
    let site = tempfile::tempdir().unwrap();
    let bodies = site.path().join("content/bodies");
    fs::create_dir_all(&bodies).unwrap();
    let mut tasks = "\"deepest\"".to_owned();
    for level in 0..25 {
        tasks = format!("{{ text = \"level {level}\", items = [{tasks}] }}");
    }
    for i in 0..100 {
        let parent = if i == 0 { String::new() } else { format!("parent = \"b{}\"\n", i - 1) };
        fs::write(
            bodies.join(format!("b{i}.md")),
            format!("+++\ntitle = \"Body {i}\"\n{parent}tasks = [{tasks}]\n+++\n"),
        )
        .unwrap();
    }
    build_ok(site.path(), &site.path().join("public"));
    let index = page(&site.path().join("public"), "index.html");
    assert_eq!(index.matches("<ul").count(), index.matches("</ul>").count());
    assert!(index.contains(">Body 99</a>"));
    let deepest = page(&site.path().join("public"), "bodies/b99/index.html");
    assert!(deepest.contains("<li>deepest</li>"));
}

/// A body that has ended is never shown as active, whatever its `status` says: `check`
/// warns, and its page, the lists and the charts show it as concluded, with both dates.
#[test]
fn ended_bodies_are_never_shown_as_active() {
    let site = full_site();
    let wg = site.path().join("content/bodies/working-group.md");
    let text = fs::read_to_string(&wg)
        .unwrap()
        .replace("status = \"active\"", "status = \"active\"\nends = 2018-12-31\nended = 2019-01-15");
    fs::write(&wg, text).unwrap();
    let (exit, report) = {
        let out = mandat().args(["check", "--format", "json", "--root"]).arg(site.path()).output().unwrap();
        (out.status.code(), serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap())
    };
    assert_eq!(exit, Some(0));
    let codes: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        codes.contains(&"ended-but-active".to_owned())
            && codes.contains(&"ends-before-established".to_owned()),
        "{codes:?}"
    );
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    assert!(html.contains("<span class=\"badge status-concluded\">Concluded</span>"), "{html}");
    assert!(!html.contains("status-active"));
    assert!(
        html.contains("Runs until</dt><dd><time datetime=\"2018-12-31\">")
            && html.contains("Ended</dt><dd><time datetime=\"2019-01-15\">")
    );
    assert!(page(out.path(), "bodies/index.html").contains("id=\"status-concluded\""));
}

/// Dates known only to the month or the year are written in quotes and shown at their
/// precision, in the site's language; an impossible month is an error with an example.
#[test]
fn partial_dates_are_shown_at_their_precision() {
    let site = full_site();
    let wg = site.path().join("content/bodies/working-group.md");
    let text = fs::read_to_string(&wg)
        .unwrap()
        .replace("status = \"active\"", "status = \"concluded\"\nended = \"2019-12\"\nends = \"2019\"");
    fs::write(&wg, &text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    assert!(html.contains("<time datetime=\"2019-12\">December 2019</time>"), "{html}");
    assert!(html.contains("<time datetime=\"2019\">2019</time>"));
    fs::write(&wg, text.replace("\"2019-12\"", "\"2019-13\"")).unwrap();
    let out = mandat().args(["check", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("month 13 does not exist: write a month as \"2019-12\""), "{stderr}");
}

/// The term of office, the legal basis (with its link) and a contact are shown in the
/// facts; a contact's address must be a web address.
#[test]
fn term_legal_basis_and_contact_are_shown() {
    let site = full_site();
    let wg = site.path().join("content/bodies/working-group.md");
    let extra = "term = \"4 years, with the council\"\nlegal_basis = { text = \"Section 17(4)\", url = \"https://example.org/law\" }\ncontact = { name = \"The secretariat\", email = \"wg@example.org\", phone = \"+45 1234 5678\" }\n";
    let text = fs::read_to_string(&wg).unwrap().replacen("+++\n", &format!("+++\n{extra}"), 1);
    fs::write(&wg, &text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    for expected in [
        "Term of office</dt><dd>4 years, with the council</dd>",
        "Legal basis</dt><dd><a href=\"https://example.org/law\">Section 17(4)</a></dd>",
        "<a href=\"mailto:wg@example.org\">wg@example.org</a>",
        "+45 1234 5678",
    ] {
        assert!(html.contains(expected), "{expected} missing");
    }
    fs::write(&wg, text.replace("https://example.org/law", "javascript:alert(1)")).unwrap();
    mandat()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not a web address"));
}

/// A former name is shown, searched and auto-linked like an alias.
#[test]
fn former_names_are_shown_searched_and_linked() {
    let site = full_site();
    let wg = site.path().join("content/bodies/working-group.md");
    let text = fs::read_to_string(&wg).unwrap().replacen(
        "+++\n",
        "+++\nformer_names = [{ title = \"Task Force Omega\", until = \"2019\" }]\n",
        1,
    );
    fs::write(&wg, text).unwrap();
    let board = site.path().join("content/bodies/board.md");
    let text = fs::read_to_string(&board).unwrap() + "\nThe Task Force Omega reported here.\n";
    fs::write(&board, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    assert!(
        html.contains(
            "Former name</dt><dd>Task Force Omega (until <time datetime=\"2019\">2019</time>)</dd>"
        ),
        "{html}"
    );
    assert!(page(out.path(), "bodies/board/index.html").contains(">Task Force Omega</a> reported"));
    let found = common::search(out.path(), "task force omega");
    assert!(found.contains(&"Working Group on Everything".to_owned()), "{found:?}");
}

/// Amendments and deliverables make a timeline on the body page, in date order with the
/// mandate's other dates (partial dates before the days within them).
#[test]
fn amendments_and_deliverables_make_a_timeline() {
    let site = full_site();
    let wg = site.path().join("content/bodies/working-group.md");
    let extra = "\n[[amendments]]\ndate = 2021-06-14\nby = \"board\"\nsummary = \"Also to review the budget\"\n\n[[deliverables]]\ntitle = \"A strategy\"\ndue = \"2021-12\"\ndelivered = 2021-11-20\nurl = \"https://example.org/strategy.pdf\"\n";
    let text = fs::read_to_string(&wg).unwrap();
    let end = text[3..].find("+++").unwrap() + 3;
    fs::write(&wg, format!("{}{extra}{}", &text[..end], &text[end..])).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let html = page(out.path(), "bodies/working-group/index.html");
    let timeline = &html[html.find("<ol class=\"timeline\">").expect("a timeline")..];
    let order: Vec<usize> = [
        "Established",
        "Approved",
        "Amended</strong> – Also to review the budget",
        "Delivered</strong> – A strategy",
        "Due</strong> – A strategy",
    ]
    .iter()
    .map(|w| timeline.find(w).unwrap_or_else(|| panic!("{w} missing: {timeline}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        timeline.contains(">The Board</a>)")
            && timeline.contains("href=\"https://example.org/strategy.pdf\"")
    );
}

/// An organisation may be set up under a body (a secretariat that belongs to a council):
/// it checks, and its page, breadcrumbs and the body's page show the link.
#[test]
fn an_organisation_may_sit_under_a_body() {
    let site = full_site();
    let hall = site.path().join("content/organisations/city-hall.md");
    let text = fs::read_to_string(&hall).unwrap().replacen("+++\n", "+++\nparent = \"board\"\n", 1);
    fs::write(&hall, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path());
    let page_html = page(out.path(), "organisations/city-hall/index.html");
    assert!(page_html.contains("href=\"../../bodies/board/index.html\""), "{page_html}");
    assert!(
        page(out.path(), "bodies/board/index.html")
            .contains("href=\"../../organisations/city-hall/index.html\"")
    );
}

/// Every seat of the sample that has a note or a nomination shows it in its row of the
/// seat table, on the body's page and on the page of each person who holds it.
#[test]
fn seat_notes_and_nominations_are_in_the_seat_tables() {
    let out = tempfile::tempdir().unwrap();
    build_ok(Path::new(env!("CARGO_MANIFEST_DIR")), out.path());
    let kl = page(out.path(), "bodies/kl-sundhedsstrategiske-gruppe/index.html");
    for note in [
        "Hvert KKR udpeger en deltager fra hver sundhedsklynge i regionen, som udgangspunkt på direktørniveau",
        "En af KL&#39;s kontorchefer for Center for Sundheds- og Socialpolitik",
        "Udpeges blandt medlemmerne for en to-årig periode",
    ] {
        let cell = format!("<td data-label=\"Bemærkning\"><span class=\"detail\">{note}</span></td>");
        assert!(kl.contains(&cell), "missing {cell:?} in\n{kl}");
    }
    let holbaek = page(out.path(), "bodies/handicapraadet-holbaek/index.html");
    assert!(holbaek.contains("<td data-label=\"Bemærkning\"><span class=\"detail\">Efter indstilling fra <a href=\"../../organisations/danske-handicaporganisationer/index.html\">"), "{holbaek}");
    let person = page(out.path(), "people/mogens-pedersen/index.html");
    assert!(person.contains("<span class=\"detail\">Udpeget af justitsministeren</span>"), "{person}");
}
