//! `byline render POST -o FILE.html`: the post rendered through its site's own theme, written
//! once (for tests and scripts), with the compiled stylesheets at their site paths beside it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::theme::{ThemeSite, output};

/// Arguments of `byline render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The post (a file of a Jekyll site).
    pub post: PathBuf,
    /// The HTML file to write; compiled stylesheets go beside it at their site paths
    /// (e.g. `assets/css/style.css`).
    #[arg(short = 'o', long = "output", value_name = "FILE.html")]
    pub output: PathBuf,
    /// Overwrite different files already at the page's or a stylesheet's path.
    #[arg(long)]
    pub force: bool,
}

/// Renders and writes the page; prints each file written and each problem
/// (`file:line:col: severity: message` on stderr). Exits 1 when the page could not be
/// written or an error was found (the page, with the errors shown at its top, is still
/// written then).
pub fn render_command(args: &RenderArgs, out: &mut impl Write) -> ExitCode {
    let post = match crate::fsio::read_post(&args.post) {
        Ok(post) => post,
        Err(err) => {
            eprintln!("{}: error: {err}", args.post.display());
            return ExitCode::FAILURE;
        }
    };
    let root =
        crate::site::find_root(&args.post).unwrap_or_else(|| crate::site::site_root(&args.post));
    let site = ThemeSite::open(&root);
    let page = site.render_post(&args.post, &post.to_text());
    for problem in &page.problems {
        eprintln!("{problem}");
    }
    match output::write_page(&page, &args.output, &args.post, args.force) {
        Ok(done) => {
            for path in done.written.iter().chain(&done.unchanged) {
                let _ = writeln!(out, "{}", path.display());
            }
        }
        Err(err @ Error::TargetExists { .. }) => {
            eprintln!("byline: {err}; use --force to overwrite it");
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("byline: {err}");
            return ExitCode::FAILURE;
        }
    }
    if page
        .problems
        .iter()
        .any(|p| p.diagnostic.severity == Severity::Error)
    {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
