//! The recovery journal: unsaved edits of every open post are copied to the user's data folder
//! shortly after typing pauses, so a crash or a killed process never loses what was typed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::fsio;

/// One journaled document: where it belongs and its whole text as typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Stable id of the document within this journal.
    pub id: String,
    /// The post's file, or None for an untitled post.
    pub path: Option<PathBuf>,
    /// The complete text (front matter and body) at the time of journaling.
    pub text: String,
    /// Seconds since the Unix epoch when it was written.
    pub saved_at_secs: u64,
    /// The Byline process that wrote it, so a running instance's entries are not offered to
    /// another one.
    #[serde(default)]
    pub pid: u32,
}

/// The largest journal entry read back (a post at its limit, escaped as JSON, fits): a FIFO or
/// a huge file dropped into the journal folder is skipped, not read.
const MAX_ENTRY_BYTES: u64 = 8 * crate::fsio::MAX_POST_BYTES;

impl Entry {
    /// What the entry changes compared with the file on disk, as unified-diff lines; for an
    /// untitled post or a missing file, every line is new.
    pub fn diff_against_disk(&self) -> String {
        let disk = self
            .path
            .as_ref()
            // Never blocks on a path that became a FIFO or a device, nor reads a huge file.
            .and_then(|p| crate::fsio::read_bytes(p).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default();
        crate::markdown::unified_diff(&disk, &self.text, "on disk", "recovered")
    }
}

/// The journal folder.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// The journal in the user's data folder (`$BYLINE_DATA_DIR` overrides it, for tests).
    pub fn for_user() -> Option<Journal> {
        let base = match std::env::var_os("BYLINE_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => directories::ProjectDirs::from("", "", "byline")?
                .data_dir()
                .to_path_buf(),
        };
        Some(Journal {
            dir: base.join("journal"),
        })
    }

    /// A journal in a given folder.
    pub fn at(dir: &Path) -> Journal {
        Journal {
            dir: dir.to_path_buf(),
        }
    }

    /// An id for a document: derived from its path, or fresh for an untitled one.
    pub fn id_for(path: Option<&Path>) -> String {
        match path {
            Some(path) => {
                let absolute = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                format!(
                    "post-{:016x}",
                    fxhash(absolute.to_string_lossy().as_bytes())
                )
            }
            None => {
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                format!("untitled-{nanos}-{}", std::process::id())
            }
        }
    }

    /// Writes (or replaces) an entry atomically.
    pub fn write(&self, id: &str, path: Option<&Path>, text: &str) -> Result<()> {
        fs::create_dir_all(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        let entry = Entry {
            id: id.to_string(),
            path: path.map(Path::to_path_buf),
            text: text.to_string(),
            saved_at_secs: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            pid: std::process::id(),
        };
        let json = serde_json::to_vec(&entry).map_err(|e| Error::Write {
            path: self.dir.join(id),
            source: std::io::Error::other(e),
        })?;
        fsio::write_atomic(&self.file(id), &json)
    }

    /// Removes an entry (after a save or a discard); a missing entry is fine.
    pub fn remove(&self, id: &str) {
        let _ = fs::remove_file(self.file(id));
    }

    /// Entries left by Byline processes that are no longer running (crashed or killed): the
    /// ones to offer for recovery.
    pub fn orphaned_entries(&self) -> Vec<Entry> {
        self.entries()
            .into_iter()
            .filter(|e| !is_other_process_alive(e.pid))
            .collect()
    }

    /// Every readable entry, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = dir
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| {
                let bytes =
                    crate::fsio::read_limited(&e.path(), MAX_ENTRY_BYTES, "a journal entry")
                        .ok()?;
                serde_json::from_slice(&bytes).ok()
            })
            .collect();
        entries.sort_by_key(|e| e.saved_at_secs);
        entries
    }

    fn file(&self, id: &str) -> PathBuf {
        let safe: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.dir.join(format!("{safe}.json"))
    }
}

/// True when `pid` is another process that is still running (Linux: `/proc/<pid>` exists).
fn is_other_process_alive(pid: u32) -> bool {
    pid != 0 && pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
}

/// A small, stable hash (FNV-1a) so a post's journal id is the same across runs.
fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        let post = dir.path().join("p.md");
        fs::write(&post, "---\ntitle: a\n---\nold\n").unwrap();
        let id = Journal::id_for(Some(&post));
        assert_eq!(id, Journal::id_for(Some(&post)), "ids are stable");
        journal
            .write(&id, Some(&post), "---\ntitle: a\n---\nnew ✓\n")
            .unwrap();
        let entries = journal.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].text, "---\ntitle: a\n---\nnew ✓\n");
        let diff = entries[0].diff_against_disk();
        assert!(diff.contains("-old") && diff.contains("+new ✓"), "{diff}");
        journal.remove(&id);
        assert!(journal.entries().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_the_journal_or_as_the_post_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        let post = dir.path().join("p.md");
        fs::write(&post, "old\n").unwrap();
        let id = Journal::id_for(Some(&post));
        journal.write(&id, Some(&post), "new\n").unwrap();
        for fifo in [dir.path().join("stray.json"), post.clone()] {
            let _ = fs::remove_file(&fifo);
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), 1, "the FIFO is skipped, the entry kept");
        assert!(entries[0].diff_against_disk().contains("+new"));
    }
}
