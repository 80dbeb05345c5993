//! `mandat synth`: write a synthetic organisation, for benchmarks and trying mandat at scale.

use std::path::PathBuf;

use clap::Args;

use super::exit;

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder to create the site in; must not exist or be empty
    pub dir: PathBuf,
    /// Number of bodies
    #[arg(long, default_value_t = 1000)]
    pub bodies: usize,
    /// Seed: the same seed gives the same site
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Name the people in every seat (content/people/, two per body)
    #[arg(long)]
    pub people: bool,
}

pub fn run(args: &SynthArgs) -> u8 {
    let occupied = std::fs::read_dir(&args.dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        eprintln!("error: {} is not empty; synth only writes into a new or empty folder", args.dir.display());
        return exit::FAILURE;
    }
    match crate::synth::write(&args.dir, args.bodies, args.seed, args.people) {
        Ok(()) => {
            eprintln!("wrote {} bodies to {}", args.bodies, args.dir.display());
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.dir.display());
            exit::FAILURE
        }
    }
}
