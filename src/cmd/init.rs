//! `mandat init [DIR]`: a new site that checks and builds at once.

use std::path::{Path, PathBuf};

use clap::Args;

use super::exit;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the site (default: the current folder)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Start the site in a folder that already holds other files (existing site files
    /// are still never overwritten)
    #[arg(long)]
    pub force: bool,
}

const FILES: &[(&str, &str)] = &[
    (
        "mandat.toml",
        "title = \"Min organisation\"\n\
         description = \"Organer, udvalg og grupper med deres kommissorier.\"\n\
         language = \"da\"\n\
         # base_url = \"https://example.org/\"\n",
    ),
    (
        "content/organisations/eksempel-kommune.md",
        "+++\ntitle = \"Eksempel Kommune\"\nkind = \"municipality\"\n+++\nEn kommune, der har pladser i organerne.\n",
    ),
    (
        "content/bodies/styregruppen.md",
        "+++\n\
         title = \"Styregruppen\"\n\
         kind = \"steering-group\"\n\
         approved = 2025-01-15\n\
         purpose = \"Styregruppen sætter retningen for samarbejdet.\"\n\
         tasks = [\"Godkende arbejdsgruppernes kommissorier\", \"Følge op på samarbejdet\"]\n\
         meetings = \"Fire gange om året\"\n\
         \n\
         [[members]]\n\
         from = \"eksempel-kommune\"\n\
         count = \"2\"\n\
         \n\
         [[members]]\n\
         from = \"eksempel-kommune\"\n\
         role = \"chair\"\n\
         +++\n\
         ## Baggrund\n\nSkriv kommissoriets tekst her. Henvis til andre organer med [[arbejdsgruppen]].\n",
    ),
    (
        "content/bodies/arbejdsgruppen.md",
        "+++\n\
         title = \"Arbejdsgruppen\"\n\
         kind = \"working-group\"\n\
         parent = \"styregruppen\"\n\
         approved = 2025-02-01\n\
         approved_by = \"styregruppen\"\n\
         tasks = [\"Forberede sager til Styregruppen\"]\n\
         \n\
         [[members]]\n\
         from = \"eksempel-kommune\"\n\
         count = \"1-3\"\n\
         +++\n\
         ## Baggrund\n\nArbejdsgruppen er nedsat af Styregruppen.\n",
    ),
];

pub fn run(args: &InitArgs) -> u8 {
    let dir = &args.dir;
    if let Some(existing) = ["mandat.toml", "content"].iter().map(|f| dir.join(f)).find(|p| p.exists()) {
        eprintln!("error: {} already exists; mandat init only starts new sites", existing.display());
        return exit::FAILURE;
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !args.force {
        eprintln!(
            "error: {} is not empty; start the site in a new folder (`mandat init my-site`), or give --force to add it here",
            dir.display()
        );
        return exit::FAILURE;
    }
    match write_all(dir) {
        Ok(()) => {
            eprintln!("created a site in {}: try `mandat check` and `mandat build` there", dir.display());
            exit::OK
        }
        Err((path, e)) => {
            eprintln!("error: {}: {e}", path.display());
            exit::FAILURE
        }
    }
}

/// Keeps the built site out of the repository; written only where there is no `.gitignore`
/// yet, because `init` may run in an existing repository.
const GITIGNORE: &str = "# The built site and the copy of the previous one that `mandat build` reuses\n\
                         /public/\n\
                         /.public.mandat-*\n";

fn write_all(dir: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    let ignore = dir.join(".gitignore");
    let ignore = (!ignore.exists()).then_some((ignore, GITIGNORE));
    let files = FILES.iter().map(|(name, text)| (dir.join(name), *text)).chain(ignore);
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
        }
        crate::write::write_atomically(&path, text.as_bytes(), false).map_err(|e| (path.clone(), e))?;
    }
    Ok(())
}
