//! `byline preview POST`: the post rendered through its site's theme, served on 127.0.0.1 and
//! opened in the browser; saving the file (or changing a layout, include, stylesheet or data
//! file) re-renders it, and the page reloads itself. Runs until Ctrl+C.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::preview_server::{self, LiveOptions, PreviewServer, PreviewSnapshot};

/// Arguments of `byline preview`.
#[derive(Debug, clap::Args)]
pub struct PreviewArgs {
    /// The post (inside a Jekyll site).
    pub file: PathBuf,
    /// Print the address without opening a browser.
    #[arg(long)]
    pub no_browser: bool,
}

/// How long the first render may take before the address is printed anyway.
const FIRST_RENDER_WAIT: Duration = Duration::from_secs(30);

/// Runs `byline preview` until interrupted; returns only on failure.
pub fn preview_command(args: &PreviewArgs, out: &mut impl Write) -> ExitCode {
    match run(args, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("byline: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &PreviewArgs, out: &mut impl Write) -> Result<(), String> {
    let file = std::fs::canonicalize(&args.file)
        .map_err(|err| format!("{}: {err}", args.file.display()))?;
    let text = read_text(&file)?;
    let root = crate::site::find_root(&file).ok_or_else(|| {
        format!(
            "{} is not in a Jekyll site (no _config.yml or _posts folder above it)",
            file.display()
        )
    })?;
    let mut server = PreviewServer::start_live(LiveOptions {
        site_root: root.clone(),
        text,
        renderer: preview_server::theme_renderer(&root, &file),
        debounce: Duration::from_millis(preview_server::DEFAULT_DEBOUNCE_MS),
        on_render: None,
    })
    .map_err(|err| err.to_string())?;
    server
        .follow_disk(&file, true)
        .map_err(|err| format!("cannot watch {}: {err}", root.display()))?;
    server.wait_for_version_after(0, FIRST_RENDER_WAIT);
    let snapshot = server.snapshot();
    report_problems(&root, &snapshot);
    let url = snapshot.page_url.unwrap_or_else(|| server.entry_url());
    writeln!(out, "{url}").map_err(|e| e.to_string())?;
    let _ = out.flush();
    eprintln!("Serving {} — press Ctrl+C to stop", file.display());
    if !args.no_browser
        && let Err(err) = preview_server::open_in_browser(&url)
    {
        eprintln!("byline: {err}; open the address above");
    }
    watch(&server, &root, snapshot.version)
}

fn read_text(file: &Path) -> Result<String, String> {
    let bytes = crate::fsio::read_bytes(file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Prints the render's problems as `path:line:col: severity: message`.
fn report_problems(root: &Path, snapshot: &PreviewSnapshot) {
    for problem in &snapshot.problems {
        let file = if problem.file.is_empty() || Path::new(&problem.file).is_absolute() {
            problem.file.clone()
        } else {
            root.join(&problem.file).display().to_string()
        };
        eprintln!("{file}:{}", problem.diagnostic);
    }
}

/// Prints the problems of each new version until interrupted.
fn watch(server: &PreviewServer, root: &Path, seen: u64) -> Result<(), String> {
    let mut seen = seen;
    loop {
        let version = server.wait_for_version_after(seen, Duration::from_secs(60));
        if version == seen {
            continue;
        }
        seen = version;
        let snapshot = server.snapshot();
        report_problems(root, &snapshot);
        let count = snapshot.problems.len();
        eprintln!(
            "Re-rendered ({count} problem{})",
            if count == 1 { "" } else { "s" }
        );
    }
}
