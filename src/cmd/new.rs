//! `mandat new "Title"`: a new body from the kommissorium skeleton; `mandat new --person
//! "Name"`: a new person.

use clap::Args;

use super::{SiteArgs, exit, report_failure};
use crate::config::Language;
use crate::diagnostic::did_you_mean;
use crate::id::slugify;

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The body's name, e.g. "Følgegruppen for ældre"; its id is made from it
    #[arg(required_unless_present = "person")]
    pub title: Option<String>,
    /// The id of the body or organisation it is set up under
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    /// committee, group, forum, network, steering-group, working-group …
    #[arg(long)]
    pub kind: Option<String>,
    /// Make a person instead, e.g. --person "Betina Svinggaard": content/people/<id>.md
    #[arg(long, value_name = "NAME", conflicts_with_all = ["title", "parent", "kind"])]
    pub person: Option<String>,
}

/// The file `mandat new --person` writes.
pub fn person_skeleton(name: &str) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        "+++\nname = {}\n\
         # title = \"…\"          # job title or position\n\
         # organisation = \"…\"   # id of the body or organisation they belong to\n\
         # party = \"…\"\n\
         # url = \"https://…\"\n\
         +++\n",
        quote(name)
    )
}

/// The section headings of a kommissorium, in the site's language.
fn sections(language: Language) -> &'static [&'static str] {
    match language {
        Language::Da => &["Baggrund", "Sammensætning", "Møder", "Sekretariatsbetjening", "Godkendelse"],
        Language::En => &["Background", "Composition", "Meetings", "Secretariat", "Approval"],
    }
}

/// The file `mandat new` writes: the front-matter skeleton and the section headings.
pub fn skeleton(title: &str, parent: Option<&str>, kind: Option<&str>, language: Language) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out = format!("+++\ntitle = {}\n", quote(title));
    if let Some(kind) = kind {
        out.push_str(&format!("kind = {}\n", quote(kind)));
    }
    if let Some(parent) = parent {
        out.push_str(&format!("parent = {}\n", quote(parent)));
    }
    out.push_str(
        "status = \"draft\"\n\
         # approved = 2025-01-31\n\
         # approved_by = \"…\"\n\
         # secretariat = \"…\"\n\
         # purpose = \"…\"\n\
         tasks = []\n\
         competences = []\n\
         # meetings = \"…\"\n\
         \n\
         # [[members]]\n\
         # from = \"…\"\n\
         # count = \"1\"\n\
         # role = \"member\"\n\
         +++\n",
    );
    for heading in sections(language) {
        out.push_str(&format!("\n## {heading}\n"));
    }
    out
}

/// `--parent` must name a body or organisation of the site.
pub(super) fn known_parent(content: &crate::model::Content, parent: &str) -> Result<(), String> {
    let known: Vec<&str> = content.entities().map(|e| e.id).collect();
    if known.contains(&parent) {
        return Ok(());
    }
    let hint = did_you_mean(parent, known.iter().copied())
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!("--parent `{parent}` is not the id of a body or organisation{hint}"))
}

pub fn run(args: &NewArgs) -> u8 {
    let loaded = match crate::load(&args.site.root) {
        Ok(loaded) => loaded,
        Err(e) => return report_failure(&e),
    };
    let (name, folder) = match (&args.person, &args.title) {
        (Some(person), _) => (person.as_str(), "people"),
        (None, Some(title)) => (title.as_str(), "bodies"),
        (None, None) => unreachable!("clap requires a title or --person"),
    };
    let id = slugify(name);
    if id.is_empty() {
        eprintln!("error: cannot make an id from {name:?}: use letters or digits in it");
        return exit::FAILURE;
    }
    if let Some(parent) = &args.parent
        && let Err(e) = known_parent(&loaded.content, parent)
    {
        eprintln!("error: {e}");
        return exit::FAILURE;
    }
    let taken =
        loaded.content.entities().any(|e| e.id == id) || loaded.content.people.iter().any(|p| p.id == id);
    let path = args.site.root.join("content").join(folder).join(format!("{id}.md"));
    if taken || path.exists() {
        eprintln!("error: {} already exists; mandat new never overwrites a file", path.display());
        return exit::FAILURE;
    }
    let text = match args.person {
        Some(_) => person_skeleton(name),
        None => skeleton(name, args.parent.as_deref(), args.kind.as_deref(), loaded.config.language),
    };
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| crate::write::write_atomically(&path, text.as_bytes(), false));
    match written {
        Ok(()) => {
            println!("{}", path.display());
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            exit::FAILURE
        }
    }
}
