//! `serve`'s incremental rebuilds give the files a fresh build gives: after each kind of
//! edit, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use mandat::incremental::{Rebuilder, Rebuilt};

type Files = BTreeMap<String, Vec<u8>>;

fn fresh(root: &Path) -> Files {
    let loaded = mandat::load(root).unwrap();
    let memory = mandat::render::Memory::default();
    match mandat::build_site(root, loaded, false, None, &memory).unwrap() {
        mandat::Built::Site(_) => memory.into_output(),
        mandat::Built::Invalid(loaded) => panic!("invalid: {:?}", loaded.diagnostics),
    }
}

/// The files of a rebuild, and whether only the edit's files were made.
fn rebuild(rebuilder: &mut Rebuilder, root: &Path) -> Option<(Files, bool)> {
    match rebuilder.rebuild(root).unwrap() {
        Rebuilt::Site { files, incremental, .. } => {
            Some((files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect(), incremental))
        }
        Rebuilt::Invalid(_) => None,
    }
}

fn assert_same(incremental: &Files, fresh: &Files, edit: &str) {
    let keys = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(incremental), keys(fresh), "{edit}: the same files");
    for (path, bytes) in fresh {
        if incremental[path] != *bytes {
            let (a, b) = (String::from_utf8_lossy(&incremental[path]), String::from_utf8_lossy(bytes));
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            let around = |s: &str| {
                s[s.floor_char_boundary(at.saturating_sub(120))
                    ..s.ceil_char_boundary((at + 120).min(s.len()))]
                    .to_owned()
            };
            panic!(
                "{edit}: {path} differs at byte {at}:\nincremental: {}\nfresh:       {}",
                around(&a),
                around(&b)
            );
        }
    }
}

fn body(root: &Path, id: &str) -> std::path::PathBuf {
    root.join("content/bodies").join(format!("{id}.md"))
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = change(text.clone());
    assert_ne!(changed, text, "{}: the edit changes the file", path.display());
    std::fs::write(path, changed).unwrap();
}

/// Puts `lines` at the end of the front matter.
fn add_to_front_matter(text: String, lines: &str) -> String {
    let end = text[3..].find("\n+++").unwrap() + 3;
    format!("{}\n{lines}{}", &text[..end], &text[end..])
}

fn title_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().find(|l| l.starts_with("title = ")).unwrap();
    line["title = ".len()..].trim_matches('"').to_owned()
}

#[test]
fn every_kind_of_edit_gives_the_files_of_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mandat::synth::write(root, 40, 3, true).unwrap();
    let ids: Vec<String> = std::fs::read_dir(root.join("content/bodies"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let (a, b, c) = (&ids[3], &ids[10], &ids[20]);
    let org = std::fs::read_dir(root.join("content/organisations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let person =
        std::fs::read_dir(root.join("content/people")).unwrap().map(|e| e.unwrap().path()).min().unwrap();
    let new = body(root, "ny-arbejdsgruppe");

    let mut rebuilder = Rebuilder::default();
    let (first, incremental) = rebuild(&mut rebuilder, root).unwrap();
    assert!(!incremental, "the first build is a full one");
    assert_same(&first, &fresh(root), "first build");

    let b_title = title_of(&body(root, b));
    let c_title = title_of(&body(root, c));
    type Change<'a> = Box<dyn Fn() + 'a>;
    let edits: Vec<(&str, bool, Change)> = vec![
        (
            "text naming another body and linking an organisation",
            true,
            Box::new(|| {
                let org_id = org.file_stem().unwrap().to_string_lossy().into_owned();
                edit(&body(root, a), |t| format!("{t}\nSamarbejder med {b_title} og [[{org_id}]].\n"))
            }),
        ),
        (
            "text: the links taken out",
            true,
            Box::new(|| {
                edit(&body(root, a), |t| {
                    let (front, text) = t.split_at(t[3..].find("\n+++").unwrap() + 7);
                    let text: String = text.replace("[[", "").replace("]]", "").replace(&*b_title, "dem");
                    format!("{front}{text}")
                })
            }),
        ),
        (
            "text naming a body whose page had no back-links from it",
            true,
            Box::new(|| edit(&body(root, a), |t| format!("{t}\nSe også {c_title}.\n"))),
        ),
        (
            "purpose, tasks and meetings",
            true,
            Box::new(|| {
                edit(&body(root, b), |t| {
                    let t = t.replacen("purpose = \"", "purpose = \"Nyt formål. ", 1);
                    let t = t.replacen("tasks = [\n", "tasks = [\n    \"En ny opgave om ældrepleje.\",\n", 1);
                    if t.contains("meetings = ") {
                        t.replacen("meetings = \"", "meetings = \"Hver uge, ", 1)
                    } else {
                        add_to_front_matter(t, "meetings = \"Hver uge\"\n")
                    }
                })
            }),
        ),
        (
            "an organisation's text",
            true,
            Box::new(|| edit(&org, |t| format!("{t}\nOrganisationen sidder i {b_title}.\n"))),
        ),
        (
            "title",
            false,
            Box::new(|| edit(&body(root, c), |t| t.replacen("title = \"", "title = \"Det nye ", 1))),
        ),
        (
            "parent",
            false,
            Box::new(|| {
                edit(&body(root, c), |t| {
                    let line = t.lines().find(|l| l.starts_with("parent = ")).unwrap().to_owned();
                    t.replacen(&line, &format!("parent = \"{}\"", ids[0]), 1)
                })
            }),
        ),
        (
            "seat",
            false,
            Box::new(|| edit(&body(root, b), |t| t.replacen("role = \"member\"", "role = \"observer\"", 1))),
        ),
        (
            "relation",
            false,
            Box::new(|| {
                edit(&body(root, b), |t| {
                    add_to_front_matter(t, &format!("\n[[relations]]\ntype = \"reports-to\"\nto = \"{a}\"\n"))
                })
            }),
        ),
        ("person", false, Box::new(|| edit(&person, |t| t.replacen("name = \"", "name = \"Dr. ", 1)))),
        (
            "add",
            false,
            Box::new(|| {
                std::fs::write(
                    &new,
                    format!("+++\ntitle = \"Ny arbejdsgruppe\"\nparent = \"{a}\"\n+++\n\nArbejder med {b_title}.\n"),
                )
                .unwrap()
            }),
        ),
        ("text of the new body", true, Box::new(|| edit(&new, |t| format!("{t}\nOg med [[{c}]].\n")))),
        ("rename", false, Box::new(|| std::fs::rename(&new, body(root, "ny-arbejdsgruppe-2")).unwrap())),
        ("delete", false, Box::new(|| std::fs::remove_file(body(root, "ny-arbejdsgruppe-2")).unwrap())),
        (
            "mandat.toml",
            false,
            Box::new(|| {
                let path = root.join("mandat.toml");
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                std::fs::write(&path, format!("{text}\ndescription = \"Et nyt websted\"\n")).unwrap()
            }),
        ),
        (
            "text after a full build",
            true,
            Box::new(|| edit(&body(root, c), |t| format!("{t}\nEt nyt afsnit.\n"))),
        ),
    ];
    for (what, expect_incremental, change) in edits {
        change();
        let (files, incremental) = rebuild(&mut rebuilder, root).unwrap_or_else(|| panic!("{what}: invalid"));
        assert_same(&files, &fresh(root), what);
        assert_eq!(incremental, expect_incremental, "{what}: built incrementally?");
    }

    // An edit that breaks the content, then one that mends it: the second is compared
    // with the last good build, not with the broken one.
    let before = std::fs::read_to_string(body(root, a)).unwrap();
    edit(&body(root, a), |t| format!("{t}\nSe [[findes-ikke]].\n"));
    assert!(rebuild(&mut rebuilder, root).is_none(), "a link to nothing is an error");
    std::fs::write(body(root, a), format!("{before}\nRettet.\n")).unwrap();
    let (files, _) = rebuild(&mut rebuilder, root).unwrap();
    assert_same(&files, &fresh(root), "after an error was mended");

    // Saving a file unchanged changes nothing.
    let (again, incremental) = rebuild(&mut rebuilder, root).unwrap();
    assert!(incremental);
    assert_same(&again, &files, "nothing changed");
}

/// What `serve` does with a watcher's events: edited content files are read alone,
/// reading raises no rebuild, anything else walks the site.
#[test]
fn watched_files_are_read_alone_and_reads_are_not_edits() {
    use mandat::incremental::Watched;
    let dir = tempfile::tempdir().unwrap();
    let root = &std::fs::canonicalize(dir.path()).unwrap();
    mandat::synth::write(root, 20, 5, false).unwrap();
    let path =
        std::fs::read_dir(root.join("content/bodies")).unwrap().map(|e| e.unwrap().path()).min().unwrap();
    let mut rebuilder = Rebuilder::default();
    rebuild(&mut rebuilder, root).unwrap();

    // The first event of a file is taken as an edit: its size and time were not known.
    let folder = root.join("content/bodies");
    assert!(
        matches!(rebuilder.sort_out(root, &[folder.clone(), path.clone()]), Watched::Files(f) if f == [path.clone()])
    );
    let Rebuilt::Site { changed, incremental, .. } =
        rebuilder.rebuild_files(root, std::slice::from_ref(&path)).unwrap()
    else {
        panic!("invalid")
    };
    assert_eq!((changed, incremental), (0, true), "read, not changed");
    assert!(matches!(rebuilder.sort_out(root, &[folder.clone(), path.clone()]), Watched::Unchanged));

    edit(&path, |t| format!("{t}\nEt nyt afsnit om [[{}]].\n", path.file_stem().unwrap().to_string_lossy()));
    let Watched::Files(files) = rebuilder.sort_out(root, std::slice::from_ref(&path)) else {
        panic!("an edit")
    };
    let Rebuilt::Site { files, changed, incremental, .. } = rebuilder.rebuild_files(root, &files).unwrap()
    else {
        panic!("invalid")
    };
    assert!(incremental && changed > 0);
    let files: Files = files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect();
    assert_same(&files, &fresh(root), "an edit seen by the watcher");

    // A new file, or `mandat.toml`, is not a file the last build read.
    let new = folder.join("ny.md");
    std::fs::write(&new, "+++\ntitle = \"Ny\"\n+++\n").unwrap();
    assert!(matches!(rebuilder.sort_out(root, &[new]), Watched::Other));
    assert!(matches!(rebuilder.sort_out(root, &[root.join("mandat.toml")]), Watched::Other));
}
