//! The editor window.

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the editor window on `file` (or the sample post).
pub fn run(file: Option<PathBuf>) -> ExitCode {
    eprintln!("byline: the editor window is not part of this build yet ({file:?})");
    ExitCode::FAILURE
}
