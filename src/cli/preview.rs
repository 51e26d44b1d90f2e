//! `byline preview POST`: the post rendered through its site's theme, served on 127.0.0.1 and
//! opened in the browser; saving the file (or changing a layout, include, stylesheet or data
//! file) re-renders it, and the page reloads itself. Runs until Ctrl+C.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

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

/// How long changes of the site's files must be quiet before the site is read again.
const SITE_QUIET: Duration = Duration::from_millis(100);

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
    let server = PreviewServer::start_live(LiveOptions {
        site_root: root.clone(),
        text,
        renderer: preview_server::theme_renderer(&root, &file),
        debounce: Duration::from_millis(preview_server::DEFAULT_DEBOUNCE_MS),
        on_render: None,
    })
    .map_err(|err| err.to_string())?;
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
    watch(&server, &root, &file, snapshot.version)
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

/// True for a changed path that can change the page: not Jekyll's output, caches or hidden
/// folders (`.git`).
fn concerns_page(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    !relative.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|name| name.starts_with('.') || name == "_site")
    })
}

/// Re-renders on every change of the post's file (its text) or the site (read again), and
/// prints the problems of each new version.
fn watch(server: &PreviewServer, root: &Path, post: &Path, seen: u64) -> Result<(), String> {
    let watched = server.root().to_path_buf();
    let (send, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = send.send(event);
    })
    .map_err(|err| format!("cannot watch {}: {err}", watched.display()))?;
    watcher
        .watch(&watched, RecursiveMode::Recursive)
        .map_err(|err| format!("cannot watch {}: {err}", watched.display()))?;
    let mut debouncer = crate::site::watch::Debouncer::new(SITE_QUIET);
    let mut seen = seen;
    loop {
        let wait = debouncer
            .next_due()
            .map_or(Duration::from_millis(250), |due| {
                due.saturating_duration_since(Instant::now())
            });
        match events.recv_timeout(wait) {
            Ok(Ok(event)) => {
                if !matches!(event.kind, notify::EventKind::Access(_)) {
                    for path in event.paths {
                        if path == post {
                            // The server waits for the writes to pause itself.
                            match read_text(post) {
                                Ok(text) => server.update(text),
                                Err(message) => eprintln!("byline: {message}"),
                            }
                        } else if concerns_page(&watched, &path) {
                            debouncer.note(path, Instant::now());
                        }
                    }
                }
            }
            Ok(Err(err)) => eprintln!("byline: watching the site: {err}"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if !debouncer.take_due(Instant::now()).is_empty() {
            server.reload_site();
        }
        let snapshot = server.snapshot();
        if snapshot.version != seen {
            seen = snapshot.version;
            report_problems(root, &snapshot);
            eprintln!(
                "Re-rendered ({} problem{})",
                snapshot.problems.len(),
                if snapshot.problems.len() == 1 {
                    ""
                } else {
                    "s"
                }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_caches_and_hidden_folders_do_not_re_render() {
        let root = Path::new("/site");
        assert!(concerns_page(root, Path::new("/site/_layouts/post.html")));
        assert!(concerns_page(root, Path::new("/site/assets/main.scss")));
        assert!(!concerns_page(root, Path::new("/site/_site/index.html")));
        assert!(!concerns_page(root, Path::new("/site/.jekyll-cache/x")));
        assert!(!concerns_page(root, Path::new("/site/.git/index")));
        assert!(!concerns_page(root, Path::new("/elsewhere/a.css")));
    }
}
