use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mandat::cmd::Cli::parse();
    mandat::cmd::run(cli)
}
