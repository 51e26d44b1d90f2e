//! The `byline` binary: parse the command line, then run a command or open the window.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = byline::cli::Cli::parse();
    match cli.command {
        Some(command) => byline::cli::run(command),
        None => byline::app::run(cli.file),
    }
}
