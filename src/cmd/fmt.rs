//! `mandat fmt [--check]`: put every file's front matter in the canonical layout.

use clap::Args;

use super::{SiteArgs, exit, report_failure};
use crate::fmt::{FmtError, format};

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Change nothing; list the files that are not formatted and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs) -> u8 {
    let walked = match crate::walk::walk(&args.site.root) {
        Ok(walked) => walked,
        Err(e) => return report_failure(&e),
    };
    let (mut unformatted, mut unreadable) = (0, 0);
    for file in &walked.files {
        let shown = file.path.display();
        let Ok(text) = std::str::from_utf8(&file.bytes) else {
            eprintln!("{shown}: not UTF-8; left as it is (see `mandat check`)");
            unreadable += 1;
            continue;
        };
        let formatted = match format(text, file.kind) {
            Ok(formatted) => formatted,
            Err(FmtError::Unreadable(why)) => {
                eprintln!("{shown}: cannot be formatted until it parses ({why}); see `mandat check`");
                unreadable += 1;
                continue;
            }
            Err(FmtError::ChangesMeaning) => {
                eprintln!(
                    "{shown}: formatting would change what the file means; left as it is (please report this)"
                );
                return exit::FAILURE;
            }
        };
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if args.check {
            println!("{shown}");
        } else if let Err(e) =
            crate::write::write_atomically(&args.site.root.join(&file.path), formatted.as_bytes(), true)
        {
            eprintln!("error: {shown}: {e}");
            return exit::FAILURE;
        }
    }
    match (args.check, unformatted) {
        (true, 0) => eprintln!("all {} files are formatted", walked.files.len() - unreadable),
        (true, n) => eprintln!("{n} file(s) would be reformatted by `mandat fmt`"),
        (false, n) => eprintln!("formatted {n} of {} files", walked.files.len()),
    }
    if (args.check && unformatted > 0) || unreadable > 0 { exit::INVALID } else { exit::OK }
}
