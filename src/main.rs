use std::process::ExitCode;

/// mandat allocates many small strings while rendering; mimalloc measured 25-30 % faster
/// builds than the system allocator here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mandat::cmd::Cli::parse();
    mandat::cmd::run(cli)
}
