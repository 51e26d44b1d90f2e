//! A site kept up to date in a background thread: its files listed at once, then indexed with
//! progress, then watched, each change on disk re-reading only the files it touched. The
//! window reads events from it between frames and never waits on the disk. UI-free.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, SystemTime};

use super::index::{IndexOptions, PostFile, Refreshed, Site, SitePost, post_files};
use super::watch::{QUIET_MS, SiteWatcher};

/// Runs `work` (which may use rayon) on every core but one, so the window's own thread keeps a
/// core for its frames: on two cores, reading a site at full speed made frames wait for the
/// scheduler.
pub fn in_background_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1);
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// A post with what the window needs beside the index: its file and when it last changed.
#[derive(Debug, Clone)]
pub struct LivePost {
    /// The post as Jekyll sees it.
    pub post: SitePost,
    /// The file.
    pub absolute: PathBuf,
    /// The file's modification time.
    pub modified: Option<SystemTime>,
    /// The date as a day, `YYYY-MM-DD` (empty when unknown), worked out here, not in a frame.
    pub day_text: String,
    /// Title, file name, tags and categories in lowercase, one per line: what a filter
    /// searches, built here so a window never builds 10,000 of them in one frame.
    pub filter_text: String,
}

impl LivePost {
    fn new(root: &Path, post: SitePost) -> LivePost {
        let absolute = root.join(&post.path);
        let modified = std::fs::metadata(&absolute).and_then(|m| m.modified()).ok();
        let day_text = post
            .date
            .as_ref()
            .map(|d| d.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let file_name = post.path.rsplit('/').next().unwrap_or(&post.path);
        let filter_text = [post.title.as_str(), file_name]
            .into_iter()
            .chain(post.tags.iter().map(String::as_str))
            .chain(post.categories.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n")
            .to_lowercase();
        LivePost {
            post,
            absolute,
            modified,
            day_text,
            filter_text,
        }
    }
}

/// What the background thread reports, in this order: Listed, Indexed, then any Changed.
#[derive(Debug)]
pub enum LiveEvent {
    /// The post files, found without reading them (a first list to show at once).
    Listed(Vec<PostFile>),
    /// Every post read and checked.
    Indexed(Vec<LivePost>),
    /// A post was added or changed on disk.
    Changed(Box<LivePost>),
    /// The post at this path (from the root) is gone.
    Removed(String),
    /// The site cannot be watched: changes on disk will not show until it is opened again.
    WatchFailed(String),
    /// Images no post uses and references to images that do not exist (after the index, and
    /// again after each change on disk).
    Images(super::images::ImageReport),
}

/// A site indexed and watched in a background thread; dropping it stops the thread.
#[derive(Debug)]
pub struct LiveSite {
    /// The site's root folder.
    pub root: PathBuf,
    events: Receiver<LiveEvent>,
    files_total: Arc<AtomicUsize>,
    files_read: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl LiveSite {
    /// Starts listing, indexing and watching the site at `root`.
    pub fn open(root: &Path, options: IndexOptions) -> LiveSite {
        LiveSite::open_notifying(root, options, || {})
    }

    /// [`LiveSite::open`], calling `on_event` from the background thread after each event it
    /// sends (a window asks for a repaint there, so it need not poll).
    pub fn open_notifying(
        root: &Path,
        options: IndexOptions,
        on_event: impl Fn() + Send + 'static,
    ) -> LiveSite {
        let (send, events) = mpsc::channel();
        let files_total = Arc::new(AtomicUsize::new(0));
        let files_read = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            root: root.to_path_buf(),
            options,
            events: send,
            files_total: Arc::clone(&files_total),
            files_read: Arc::clone(&files_read),
            stop: Arc::clone(&stop),
            on_event: Box::new(on_event),
        };
        std::thread::spawn(move || worker.run());
        LiveSite {
            root: root.to_path_buf(),
            events,
            files_total,
            files_read,
            stop,
        }
    }

    /// The events that arrived since the last call (never waits).
    pub fn take_events(&self) -> Vec<LiveEvent> {
        self.events.try_iter().collect()
    }

    /// Files read so far and the number to read, while indexing.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.files_read.load(Ordering::Relaxed),
            self.files_total.load(Ordering::Relaxed),
        )
    }
}

impl Drop for LiveSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

struct Worker {
    root: PathBuf,
    options: IndexOptions,
    events: Sender<LiveEvent>,
    files_total: Arc<AtomicUsize>,
    files_read: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    on_event: Box<dyn Fn() + Send>,
}

impl Worker {
    /// Sends `event` and says so; false when nobody listens any more.
    fn send(&self, event: LiveEvent) -> bool {
        let is_sent = self.events.send(event).is_ok();
        (self.on_event)();
        is_sent
    }

    fn run(self) {
        let files = post_files(&self.root);
        self.files_total.store(files.len(), Ordering::Relaxed);
        if !self.send(LiveEvent::Listed(files)) {
            return;
        }
        // Watched before the index reads the files, so nothing written meanwhile is missed
        // (and after the first list, which is not kept waiting for the watches).
        let watcher = SiteWatcher::start(&self.root, Duration::from_millis(QUIET_MS));
        let mut site =
            in_background_pool(|| Site::open_counting(&self.root, &self.options, &self.files_read));
        let posts = site
            .posts
            .iter()
            .map(|p| LivePost::new(&self.root, p.clone()))
            .collect();
        if !self.send(LiveEvent::Indexed(posts)) {
            return;
        }
        if !self.send(LiveEvent::Images(super::images::image_report(&site))) {
            return;
        }
        let mut watcher = match watcher {
            Ok(watcher) => watcher,
            Err(err) => {
                self.send(LiveEvent::WatchFailed(err.to_string()));
                return;
            }
        };
        while !self.stop.load(Ordering::Relaxed) {
            let changed = match watcher.wait(Duration::from_millis(200)) {
                Ok(changed) => changed,
                Err(err) => {
                    self.send(LiveEvent::WatchFailed(err.to_string()));
                    continue;
                }
            };
            if changed.is_empty() {
                continue;
            }
            for refreshed in site.refresh_paths(&changed) {
                let event = match refreshed {
                    Refreshed::Updated(post) => {
                        LiveEvent::Changed(Box::new(LivePost::new(&self.root, *post)))
                    }
                    Refreshed::Removed(path) => LiveEvent::Removed(path),
                };
                if !self.send(event) {
                    return;
                }
            }
            if !self.send(LiveEvent::Images(super::images::image_report(&site))) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn next_events(live: &LiveSite, mut until: impl FnMut(&LiveEvent) -> bool) -> Vec<LiveEvent> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            for event in live.take_events() {
                let done = until(&event);
                seen.push(event);
                if done {
                    return seen;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no matching event in 10 s: {seen:?}");
    }

    #[test]
    fn lists_then_indexes_then_follows_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("_posts")).unwrap();
        std::fs::write(root.join("_posts/2025-01-01-a.md"), "---\ntitle: A\n---\n").unwrap();
        let live = LiveSite::open(root, IndexOptions::default());
        let events = next_events(&live, |e| matches!(e, LiveEvent::Indexed(_)));
        assert!(matches!(&events[0], LiveEvent::Listed(files) if files.len() == 1));
        match events.last() {
            Some(LiveEvent::Indexed(posts)) => {
                assert_eq!(posts[0].post.title, "A");
                assert!(posts[0].modified.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(live.progress(), (1, 1));
        std::fs::write(root.join("_posts/2025-01-02-b.md"), "---\ntitle: B\n---\n").unwrap();
        let events = next_events(&live, |e| matches!(e, LiveEvent::Changed(_)));
        match events.last() {
            Some(LiveEvent::Changed(post)) => assert_eq!(post.post.title, "B"),
            other => panic!("{other:?}"),
        }
        std::fs::remove_file(root.join("_posts/2025-01-01-a.md")).unwrap();
        let events = next_events(&live, |e| matches!(e, LiveEvent::Removed(_)));
        assert!(
            matches!(events.last(), Some(LiveEvent::Removed(p)) if p == "_posts/2025-01-01-a.md")
        );
    }
}
