//! Watching a site's posts on disk (the `notify` crate): files added, edited, deleted or renamed
//! by another program (git pull, another editor) are reported once they have been quiet for a
//! moment, so a burst of writes to one file is read once. UI-free.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

/// How long a path must be quiet before it is reported.
pub const QUIET_MS: u64 = 150;

/// Collects changed paths and hands each out once it has been quiet for `quiet`.
#[derive(Debug)]
pub struct Debouncer {
    quiet: Duration,
    /// Each pending path with the time of its last change.
    pending: HashMap<PathBuf, Instant>,
}

impl Debouncer {
    /// A debouncer that waits `quiet` after a path's last change.
    pub fn new(quiet: Duration) -> Debouncer {
        Debouncer {
            quiet,
            pending: HashMap::new(),
        }
    }

    /// Notes a change of `path` at `at` (a later change pushes its report back).
    pub fn note(&mut self, path: PathBuf, at: Instant) {
        self.pending.insert(path, at);
    }

    /// The paths quiet since `quiet` before `now`, sorted, removed from the pending ones.
    pub fn take_due(&mut self, now: Instant) -> Vec<PathBuf> {
        let quiet = self.quiet;
        let mut due: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, last)| now.saturating_duration_since(**last) >= quiet)
            .map(|(path, _)| path.clone())
            .collect();
        for path in &due {
            self.pending.remove(path);
        }
        due.sort();
        due
    }

    /// When the next pending path falls due (None when nothing is pending).
    pub fn next_due(&self) -> Option<Instant> {
        self.pending.values().min().map(|last| *last + self.quiet)
    }
}

/// True for a path whose change can concern a post: inside a `_posts` or `_drafts` folder
/// (or one of them itself), and not in `_site`, `.git` or another hidden folder.
pub fn concerns_posts(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let names: Vec<&std::ffi::OsStr> = relative
        .components()
        .map(std::path::Component::as_os_str)
        .collect();
    let is_hidden_or_built = names.iter().any(|n| {
        n.to_str()
            .is_some_and(|n| n.starts_with('.') || n == "_site")
    });
    !is_hidden_or_built && names.iter().any(|n| *n == "_posts" || *n == "_drafts")
}

/// A site being watched.
pub struct SiteWatcher {
    root: PathBuf,
    /// Kept alive: dropping it stops the watching.
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    debouncer: Debouncer,
}

impl std::fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteWatcher")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl SiteWatcher {
    /// Starts watching every folder below `root` (canonicalized, as the events name it).
    pub fn start(root: &Path, quiet: Duration) -> notify::Result<SiteWatcher> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (send, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = send.send(event);
        })?;
        watcher.watch(&root, RecursiveMode::Recursive)?;
        Ok(SiteWatcher {
            root,
            _watcher: watcher,
            events,
            debouncer: Debouncer::new(quiet),
        })
    }

    /// The folder watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Waits up to `timeout` and returns the post paths changed and quiet since (possibly
    /// none). A watching error comes back as Err; watching goes on.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<PathBuf>, notify::Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let now = Instant::now();
            let due = self.debouncer.take_due(now);
            if !due.is_empty() || now >= deadline {
                return Ok(due);
            }
            let until = self
                .debouncer
                .next_due()
                .map_or(deadline, |d| d.min(deadline));
            match self
                .events
                .recv_timeout(until.saturating_duration_since(now))
            {
                Ok(Ok(event)) => {
                    if matches!(event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    let at = Instant::now();
                    for path in event.paths {
                        if concerns_posts(&self.root, &path) {
                            self.debouncer.note(path, at);
                        }
                    }
                }
                Ok(Err(err)) => return Err(err),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Ok(self.debouncer.take_due(now + self.debouncer.quiet));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_changes_is_reported_once_after_the_quiet_time() {
        let quiet = Duration::from_millis(100);
        let mut debouncer = Debouncer::new(quiet);
        let t0 = Instant::now();
        let a = PathBuf::from("/site/_posts/a.md");
        let b = PathBuf::from("/site/_posts/b.md");
        debouncer.note(a.clone(), t0);
        debouncer.note(a.clone(), t0 + Duration::from_millis(60));
        debouncer.note(b.clone(), t0 + Duration::from_millis(20));
        assert!(
            debouncer
                .take_due(t0 + Duration::from_millis(100))
                .is_empty()
        );
        assert_eq!(
            debouncer.next_due(),
            Some(t0 + Duration::from_millis(120)),
            "b falls due first"
        );
        assert_eq!(debouncer.take_due(t0 + Duration::from_millis(130)), [b]);
        assert_eq!(
            debouncer.take_due(t0 + Duration::from_millis(160)),
            [a],
            "a waits for its last change"
        );
        assert!(debouncer.take_due(t0 + Duration::from_secs(5)).is_empty());
        assert_eq!(debouncer.next_due(), None);
    }

    #[test]
    fn only_post_folders_concern_the_index() {
        let root = Path::new("/site");
        assert!(concerns_posts(root, Path::new("/site/_posts/a.md")));
        assert!(concerns_posts(root, Path::new("/site/blog/_drafts/x.md")));
        assert!(concerns_posts(root, Path::new("/site/_posts")));
        assert!(!concerns_posts(root, Path::new("/site/_site/_posts/a.md")));
        assert!(!concerns_posts(root, Path::new("/site/.git/_posts")));
        assert!(!concerns_posts(root, Path::new("/site/about.md")));
        assert!(!concerns_posts(root, Path::new("/elsewhere/_posts/a.md")));
    }

    #[test]
    fn a_file_written_by_another_program_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        let mut watcher = SiteWatcher::start(dir.path(), Duration::from_millis(50)).unwrap();
        let file = watcher.root().join("_posts/2025-01-01-new.md");
        std::fs::write(&file, "---\ntitle: New\n---\n").unwrap();
        std::fs::write(&file, "---\ntitle: New again\n---\n").unwrap();
        let mut reported = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while reported.is_empty() && Instant::now() < deadline {
            reported = watcher.wait(Duration::from_millis(200)).unwrap();
        }
        assert_eq!(reported, [file], "two writes, one report");
    }
}
