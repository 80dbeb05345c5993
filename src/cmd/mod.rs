//! The command line: one module per subcommand, each with its own arguments and `run`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diagnostic::Color;

pub mod build;
pub mod check;
pub mod diff;
pub mod export;
pub mod fmt;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub mod synth;

/// Static site generator for mandates and organisation charts.
///
/// Reads each body's kommissorium (Markdown with TOML front matter) from `content/`,
/// checks it, and publishes the organisation as a website.
#[derive(Debug, Parser)]
#[command(name = "mandat", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the content and publish the website (default output: public/)
    Build(build::BuildArgs),
    /// Validate the content and report every problem (exit 1 if any is an error)
    Check(check::CheckArgs),
    /// Show what changed in the organisation between two git revisions
    Diff(diff::DiffArgs),
    /// Write the organisation as open data: Popolo JSON, CSV, GraphML or DOT
    Export(export::ExportArgs),
    /// Put front matter in the canonical layout (--check: only report)
    Fmt(fmt::FmtArgs),
    /// Make draft bodies from kommissorier as Word, PDF, HTML, Markdown or text files
    Import(import::ImportArgs),
    /// Start a new site with an example organisation
    Init(init::InitArgs),
    /// Add a body from the kommissorium skeleton
    New(new::NewArgs),
    /// Preview the site: build, serve, rebuild on change and reload the browser
    Serve(serve::ServeArgs),
    /// Write a synthetic organisation of N bodies (for benchmarks)
    #[command(hide = true)]
    Synth(synth::SynthArgs),
}

/// Where the site is; shared by every subcommand that reads one.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's root folder (the one holding `content/` and `mandat.toml`)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// When to colour output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Exit codes, as documented in the README.
pub mod exit {
    /// Content is valid (there may be warnings).
    pub const OK: u8 = 0;
    /// Content is invalid.
    pub const INVALID: u8 = 1;
    /// Wrong usage, or the site could not be read or written.
    pub const FAILURE: u8 = 2;
}

pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
    };
    ExitCode::from(code)
}

/// "1 body", "2 bodies": a number with the English word for it, for terminal messages.
/// "23 bodies and 43 organisations", with ", 8 people" where there are people.
pub fn entities(files: crate::FileCounts) -> String {
    let bodies = plural(files.bodies, "body", "bodies");
    let organisations = plural(files.organisations, "organisation", "organisations");
    match files.people {
        0 => format!("{bodies} and {organisations}"),
        n => format!("{bodies}, {organisations} and {}", plural(n, "person", "people")),
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints a fatal error the way every subcommand does.
pub fn report_failure(error: &crate::Error) -> u8 {
    eprintln!("error: {error}");
    exit::FAILURE
}
