//! Full-text search over the bodies of a site's posts: case-insensitive, line by line, in a
//! background thread that reports its progress and stops when cancelled. UI-free: the window
//! shows the progress and the hits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use rayon::prelude::*;

use crate::post::Post;

/// At most this many hits are kept (the first ones in file order).
pub const MAX_HITS: usize = 500;
/// At most this many matching lines are kept per file.
pub const MAX_HITS_PER_FILE: usize = 3;
/// A hit's line is cut to about this many characters around the match.
const SNIPPET_CHARS: usize = 100;

/// One line of a body that holds the searched text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The post's file.
    pub absolute: PathBuf,
    /// Its path from the site root, `/`-separated.
    pub relative: String,
    /// 1-based line in the file.
    pub line: usize,
    /// The line's text (trimmed, cut around the match when long).
    pub snippet: String,
}

/// A file to search: its absolute path and its path from the site root.
#[derive(Debug, Clone)]
pub struct SearchFile {
    /// The file.
    pub absolute: PathBuf,
    /// Path from the site root, `/`-separated.
    pub relative: String,
}

/// Shared between a search and whoever watches it: files done, and the cancel flag.
#[derive(Debug, Default)]
pub struct SearchProgress {
    files_done: AtomicUsize,
    is_cancelled: AtomicBool,
}

impl SearchProgress {
    /// Files searched so far.
    pub fn files_done(&self) -> usize {
        self.files_done.load(Ordering::Relaxed)
    }

    /// Asks the search to stop as soon as it can.
    pub fn cancel(&self) {
        self.is_cancelled.store(true, Ordering::Relaxed);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.is_cancelled.load(Ordering::Relaxed)
    }
}

/// The lines of `body` (starting at file line `first_line`) that contain `needle_lower`.
fn hits_in_body(body: &str, first_line: usize, needle_lower: &str) -> Vec<(usize, String)> {
    let mut hits = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let lower = line.to_lowercase();
        if let Some(at) = lower.find(needle_lower) {
            hits.push((first_line + i, snippet(line, &lower, at)));
            if hits.len() >= MAX_HITS_PER_FILE {
                break;
            }
        }
    }
    hits
}

/// The line trimmed, cut to about [`SNIPPET_CHARS`] characters around the match at byte `at`
/// of its lowercase form.
fn snippet(line: &str, lower: &str, at: usize) -> String {
    let chars_before = lower.get(..at).map_or(0, |b| b.chars().count());
    let total = line.chars().count();
    if total <= SNIPPET_CHARS {
        return line.trim().to_string();
    }
    let start = chars_before.saturating_sub(SNIPPET_CHARS / 3);
    let text: String = line.chars().skip(start).take(SNIPPET_CHARS).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text.trim());
    if start + SNIPPET_CHARS < total {
        out.push('…');
    }
    out
}

/// Searches the bodies (not the front matter) of `files` for `query`, ignoring case; counts
/// progress in `progress` and returns None when cancelled. Unreadable files are skipped.
pub fn search_bodies(
    files: &[SearchFile],
    query: &str,
    progress: &SearchProgress,
) -> Option<Vec<SearchHit>> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return Some(Vec::new());
    }
    let per_file: Vec<Vec<SearchHit>> = files
        .par_iter()
        .map(|file| {
            if progress.is_cancelled() {
                return Vec::new();
            }
            let hits = std::fs::read_to_string(&file.absolute)
                .map(|text| {
                    let post = Post::from_text(&text);
                    hits_in_body(post.body(), post.body_first_line(), &needle)
                })
                .unwrap_or_default();
            progress.files_done.fetch_add(1, Ordering::Relaxed);
            hits.into_iter()
                .map(|(line, snippet)| SearchHit {
                    absolute: file.absolute.clone(),
                    relative: file.relative.clone(),
                    line,
                    snippet,
                })
                .collect()
        })
        .collect();
    if progress.is_cancelled() {
        return None;
    }
    Some(per_file.into_iter().flatten().take(MAX_HITS).collect())
}

/// How a search ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchOutcome {
    /// Every file was searched.
    Finished(Vec<SearchHit>),
    /// Cancelled before the end.
    Cancelled,
}

/// A search running in a background thread.
#[derive(Debug)]
pub struct SearchJob {
    /// What is searched for.
    pub query: String,
    /// How many files are searched.
    pub files_total: usize,
    progress: Arc<SearchProgress>,
    result: Receiver<Option<Vec<SearchHit>>>,
}

impl SearchJob {
    /// Starts searching the bodies of `files` for `query` in a new thread.
    pub fn start(files: Vec<SearchFile>, query: &str) -> SearchJob {
        let progress = Arc::new(SearchProgress::default());
        let (send, result) = mpsc::channel();
        let shared = Arc::clone(&progress);
        let needle = query.to_string();
        let files_total = files.len();
        std::thread::spawn(move || {
            let hits = super::live::in_background_pool(|| search_bodies(&files, &needle, &shared));
            let _ = send.send(hits);
        });
        SearchJob {
            query: query.to_string(),
            files_total,
            progress,
            result,
        }
    }

    /// Files searched so far.
    pub fn files_done(&self) -> usize {
        self.progress.files_done()
    }

    /// Asks the search to stop; [`SearchJob::poll`] then says Cancelled.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The outcome once the search has ended (None while it runs).
    pub fn poll(&self) -> Option<SearchOutcome> {
        match self.result.try_recv() {
            Ok(Some(hits)) => Some(SearchOutcome::Finished(hits)),
            Ok(None) => Some(SearchOutcome::Cancelled),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(SearchOutcome::Cancelled),
        }
    }

    /// Waits for the outcome (tests and the command line).
    pub fn wait(self) -> SearchOutcome {
        match self.result.recv() {
            Ok(Some(hits)) => SearchOutcome::Finished(hits),
            _ => SearchOutcome::Cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &std::path::Path, posts: &[(&str, &str)]) -> Vec<SearchFile> {
        posts
            .iter()
            .map(|(name, text)| {
                let absolute = dir.join(name);
                std::fs::write(&absolute, text).unwrap();
                SearchFile {
                    absolute,
                    relative: format!("_posts/{name}"),
                }
            })
            .collect()
    }

    #[test]
    fn finds_body_words_ignoring_case_but_not_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(
            dir.path(),
            &[
                (
                    "a.md",
                    "---\ntitle: Zebra\n---\nNothing here.\nA ZEBRA crossing.\n",
                ),
                ("b.md", "---\ntitle: Other\n---\nno match\n"),
                ("c.md", "zebra without front matter\n"),
            ],
        );
        let hits = search_bodies(&files, "zebra", &SearchProgress::default()).unwrap();
        let found: Vec<(&str, usize)> =
            hits.iter().map(|h| (h.relative.as_str(), h.line)).collect();
        assert_eq!(found, [("_posts/a.md", 5), ("_posts/c.md", 1)]);
        assert_eq!(hits[0].snippet, "A ZEBRA crossing.");
        assert!(
            search_bodies(&files, "  ", &SearchProgress::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let line = format!("{} needle {}", "a".repeat(300), "b".repeat(300));
        let lower = line.to_lowercase();
        let cut = snippet(&line, &lower, lower.find("needle").unwrap());
        assert!(cut.contains("needle"));
        assert!(cut.starts_with('…') && cut.ends_with('…'));
        assert!(cut.chars().count() <= SNIPPET_CHARS + 2);
    }

    #[test]
    fn a_cancelled_search_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path(), &[("a.md", "word\n"), ("b.md", "word\n")]);
        let progress = SearchProgress::default();
        progress.cancel();
        assert_eq!(search_bodies(&files, "word", &progress), None);
        assert_eq!(progress.files_done(), 0);

        let job = SearchJob::start(files.clone(), "word");
        assert_eq!(job.files_total, 2);
        match job.wait() {
            SearchOutcome::Finished(hits) => assert_eq!(hits.len(), 2),
            SearchOutcome::Cancelled => panic!("not cancelled"),
        }
    }
}
