//! An open post in the editor: where it lives, whether it has unsaved edits, undo/redo across
//! the whole document (form and body together), and lossless saving. No UI here.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};
use crate::fsio;
use crate::post::Post;

/// Edits closer together than this (of the same kind) undo as one step, as in most editors.
const COALESCE_WINDOW: Duration = Duration::from_millis(800);

/// Undo history is capped by total bytes so a 1 MB post cannot eat the machine's memory.
const HISTORY_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// Revisions are unique across every document of the process, so views keyed by revision can
/// never mistake a newly opened post for the one they showed before.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What part of the document an edit touched; a change of kind starts a new undo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Typing in the Markdown body.
    Body,
    /// A front-matter field (the string names the field).
    Field(&'static str),
    /// The raw YAML editor.
    RawYaml,
    /// A formatting command (bold, link...), always its own step.
    Command,
}

#[derive(Debug, Clone)]
struct Snapshot {
    post: Post,
    revision: u64,
}

/// What the file looked like on disk when it was read or last saved, so a save can tell when
/// someone else changed it in the meantime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp {
    /// Modification time.
    pub modified: Option<SystemTime>,
    /// Size in bytes.
    pub len_bytes: u64,
}

impl DiskStamp {
    /// The stamp of the file at `path` now, if it exists.
    pub fn of(path: &Path) -> Option<DiskStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(DiskStamp {
            modified: meta.modified().ok(),
            len_bytes: meta.len(),
        })
    }
}

/// An open post with its history.
#[derive(Debug, Clone)]
pub struct Document {
    /// The post as edited so far.
    pub post: Post,
    path: Option<PathBuf>,
    revision: u64,
    saved_revision: u64,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The state at the end of the current undo group (what Undo goes back to next).
    shadow: Snapshot,
    last_edit: Option<(Instant, EditKind)>,
    disk: Option<DiskStamp>,
}

impl Document {
    /// A document for a post that is not on disk yet.
    pub fn untitled(post: Post) -> Document {
        let revision = next_revision();
        let shadow = Snapshot {
            post: post.clone(),
            revision,
        };
        Document {
            post,
            path: None,
            revision,
            saved_revision: revision,
            undo: Vec::new(),
            redo: Vec::new(),
            shadow,
            last_edit: None,
            disk: None,
        }
    }

    /// Opens the post at `path`.
    pub fn open(path: &Path) -> Result<Document> {
        let post = fsio::read_post(path)?;
        let mut doc = Document::untitled(post);
        doc.path = Some(path.to_path_buf());
        doc.disk = DiskStamp::of(path);
        Ok(doc)
    }

    /// Where the document is saved, if it has been.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file name for titles and messages ("Untitled" before the first save).
    pub fn display_name(&self) -> String {
        self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "Untitled".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// True when there are edits not yet saved.
    pub fn is_modified(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// A number that changes whenever the content changes (including undo/redo), so views can
    /// tell when to refresh derived state.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Records that `self.post` was just changed by an edit of `kind`.
    pub fn record_edit(&mut self, kind: EditKind) {
        let now = Instant::now();
        let is_same_group = matches!(self.last_edit, Some((at, last)) if last == kind
            && kind != EditKind::Command
            && now.duration_since(at) < COALESCE_WINDOW);
        if !is_same_group {
            self.undo.push(self.shadow.clone());
            self.trim_history();
        }
        self.redo.clear();
        self.revision = next_revision();
        self.shadow = Snapshot {
            post: self.post.clone(),
            revision: self.revision,
        };
        self.last_edit = Some((now, kind));
    }

    fn trim_history(&mut self) {
        let mut total: usize = self.undo.iter().map(|s| s.post.len_bytes()).sum();
        while total > HISTORY_BUDGET_BYTES && self.undo.len() > 1 {
            let dropped = self.undo.remove(0);
            total -= dropped.post.len_bytes();
        }
    }

    /// True when there is an edit to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Goes back one undo step (across form and body alike).
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop() else {
            return false;
        };
        self.redo.push(self.shadow.clone());
        self.restore(previous);
        true
    }

    /// Re-applies the last undone step.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        self.undo.push(self.shadow.clone());
        self.restore(next);
        true
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.post = snapshot.post.clone();
        self.revision = snapshot.revision;
        self.shadow = snapshot;
        self.last_edit = None;
    }

    /// Saves to the document's path. Refuses (keeping the edits) when the file changed on disk
    /// since it was read, so someone else's newer work is never silently overwritten.
    pub fn save(&mut self) -> Result<PathBuf> {
        let Some(path) = self.path.clone() else {
            return Err(Error::Write {
                path: PathBuf::from("Untitled"),
                source: std::io::Error::other("the post has no file yet: use Save As"),
            });
        };
        // A file deleted meanwhile is simply written again; a changed one is not overwritten.
        if self.disk.is_some() && path.exists() && DiskStamp::of(&path) != self.disk {
            return Err(Error::ChangedOnDisk { path });
        }
        self.write_to(&path)?;
        Ok(path)
    }

    /// Saves to a new path (Save As), which becomes the document's path.
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        self.write_to(path)?;
        self.path = Some(path.to_path_buf());
        Ok(())
    }

    /// True when the file on disk is no longer the one this document read or last saved
    /// (another program or a `git pull` changed it).
    pub fn is_changed_on_disk(&self) -> bool {
        match (&self.path, &self.disk) {
            (Some(path), Some(stamp)) => DiskStamp::of(path).as_ref() != Some(stamp),
            _ => false,
        }
    }

    /// Notes that the file was deleted or moved away: a save writes it again, and a file that
    /// reappears at the path counts as changed on disk.
    pub fn note_deleted_on_disk(&mut self) {
        self.disk = Some(DiskStamp {
            modified: None,
            len_bytes: u64::MAX,
        });
    }

    /// True when a deletion was already noted (so it is reported once).
    pub fn is_deletion_noted(&self) -> bool {
        matches!(
            self.disk,
            Some(DiskStamp {
                modified: None,
                len_bytes: u64::MAX
            })
        )
    }

    /// True when the file is gone from its path (deleted, moved, or its folder removed).
    pub fn is_missing_on_disk(&self) -> bool {
        self.path.as_ref().is_some_and(|p| !p.exists())
    }

    /// Keeps this document's text over the changed file: the next save writes it without
    /// asking again.
    pub fn keep_mine_over_disk(&mut self) {
        if let Some(path) = &self.path {
            self.disk = DiskStamp::of(path);
        }
    }

    /// Replaces the text with the file's current content (taking the other program's changes)
    /// as an undoable edit.
    pub fn take_disk_version(&mut self) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let post = fsio::read_post(&path)?;
        self.post = post;
        self.record_edit(EditKind::Command);
        self.saved_revision = self.revision;
        self.disk = DiskStamp::of(&path);
        Ok(())
    }

    /// Marks the current text as unsaved (a recovered journal entry), so closing asks first.
    pub fn mark_recovered(&mut self, post: Post) {
        self.post = post;
        self.record_edit(EditKind::Command);
    }

    /// Saves even though the file changed on disk (the user chose to overwrite).
    pub fn save_overwriting(&mut self) -> Result<PathBuf> {
        self.disk = None;
        self.save()
    }

    fn write_to(&mut self, path: &Path) -> Result<()> {
        fsio::write_atomic(path, self.post.to_text().as_bytes())?;
        self.saved_revision = self.revision;
        self.disk = DiskStamp::of(path);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_cross_form_and_body() {
        let mut doc = Document::untitled(Post::from_text("---\ntitle: a\n---\nbody"));
        doc.post.set_text("title", "b").unwrap();
        doc.record_edit(EditKind::Field("title"));
        doc.post.set_body("body!");
        doc.record_edit(EditKind::Body);
        assert!(doc.is_modified());
        assert!(doc.undo());
        assert_eq!(doc.post.to_text(), "---\ntitle: b\n---\nbody");
        assert!(doc.undo());
        assert_eq!(doc.post.to_text(), "---\ntitle: a\n---\nbody");
        assert!(!doc.is_modified(), "back at the saved state");
        assert!(!doc.undo());
        assert!(doc.redo());
        assert!(doc.redo());
        assert_eq!(doc.post.to_text(), "---\ntitle: b\n---\nbody!");
    }

    #[test]
    fn typing_coalesces_into_one_step() {
        let mut doc = Document::untitled(Post::from_text("x"));
        for text in ["xa", "xab", "xabc"] {
            doc.post.set_body(text);
            doc.record_edit(EditKind::Body);
        }
        doc.undo();
        assert_eq!(doc.post.body(), "x");
    }

    #[test]
    fn save_refuses_when_the_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.md");
        std::fs::write(&path, "---\ntitle: a\n---\n").unwrap();
        let mut doc = Document::open(&path).unwrap();
        doc.post.set_text("title", "mine").unwrap();
        doc.record_edit(EditKind::Field("title"));
        std::fs::write(&path, "---\ntitle: theirs, longer\n---\n").unwrap();
        assert!(matches!(doc.save(), Err(Error::ChangedOnDisk { .. })));
        assert!(doc.is_modified());
        doc.save_overwriting().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "---\ntitle: mine\n---\n"
        );
        assert!(!doc.is_modified());
    }
}
