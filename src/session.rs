//! The editing session without any UI: when unsaved edits are journaled, when the disk is
//! checked for outside changes, which journal entries wait to be recovered, and the recent files.
//! The window asks this module what to do and only draws the answers.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::document::{Document, Revision};
use crate::error::Error;

use crate::journal::{Entry, Journal};

/// How long typing must pause before unsaved edits are journaled (well within two seconds, so a
/// crash loses at most the last couple of seconds of typing).
pub const JOURNAL_DELAY: Duration = Duration::from_millis(1000);

/// How often the open file is compared with the disk while the window is idle.
pub const DISK_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// How many recent files are remembered.
pub const RECENT_FILES_MAX: usize = 10;

/// Recently opened or saved files, newest first, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct RecentFiles(Vec<PathBuf>);

impl RecentFiles {
    /// Moves `path` to the front (adding it when new) and forgets the oldest beyond the limit.
    pub fn note(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
        self.0.insert(0, path.to_path_buf());
        self.0.truncate(RECENT_FILES_MAX);
    }

    /// A remembered file was renamed: it is listed under its new name, in the same place.
    pub fn renamed(&mut self, from: &Path, to: &Path) {
        self.0.retain(|p| p != to);
        match self.0.iter_mut().find(|p| p.as_path() == from) {
            Some(slot) => *slot = to.to_path_buf(),
            None => self.note(to),
        }
    }

    /// The files, newest first.
    pub fn paths(&self) -> &[PathBuf] {
        &self.0
    }

    /// True when nothing was opened yet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether the open document's text is in the journal, and which revision of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JournalState {
    /// Nothing of this document is in the journal.
    NotWritten,
    /// The text at this revision is in the journal.
    Written {
        /// The document revision that was written.
        revision: Revision,
    },
    /// A restored entry is still in the journal (it is the recovered text); it is removed
    /// when the post is saved and rewritten at the next edit.
    Restored,
}

/// What the journal did in one tick of the session.
#[derive(Debug)]
pub enum JournalTick {
    /// Nothing to do (no edits, already written, or no journal).
    Idle,
    /// Typing has not paused long enough; check again after this long.
    WaitFor(Duration),
    /// The unsaved text was written to the journal.
    Written,
    /// The document is saved again: its journal entry was removed.
    Forgotten,
    /// Writing the journal failed (it is not retried until the next edit).
    Failed(Error),
}

/// How the open file on disk relates to the document, as found by a disk check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskChange {
    /// The file is as the document last read or saved it (or the document has no file).
    Unchanged,
    /// The file disappeared and this is the first time it is noticed.
    Deleted,
    /// The file is still gone, and that was already reported.
    StillDeleted,
    /// Another program changed the file; the document has no unsaved edits.
    ChangedWithoutEdits,
    /// Another program changed the file while the document has unsaved edits.
    ChangedWithEdits,
}

impl DiskChange {
    /// Compares the document's file on disk with what the document last read or saved.
    pub fn of(doc: &Document) -> DiskChange {
        if doc.is_missing_on_disk() && doc.is_deletion_noted() {
            DiskChange::StillDeleted
        } else if doc.is_missing_on_disk() {
            DiskChange::Deleted
        } else if !doc.is_changed_on_disk() {
            DiskChange::Unchanged
        } else if doc.is_modified() {
            DiskChange::ChangedWithEdits
        } else {
            DiskChange::ChangedWithoutEdits
        }
    }
}

/// The session's timing and journal bookkeeping for the one open document.
#[derive(Debug)]
pub struct Session {
    journal: Option<Journal>,
    journal_id: String,
    journal_state: JournalState,
    /// The revision last seen by `tick_journal` and when it was first seen.
    last_change: Option<(Revision, Instant)>,
    disk_checked_at: Instant,
    recovered: VecDeque<Entry>,
}

impl Session {
    /// A session journaling into `journal` (None: edits are not journaled); entries left by
    /// processes that died are queued for recovery.
    pub fn new(journal: Option<Journal>, now: Instant) -> Session {
        let recovered = journal
            .as_ref()
            .map(Journal::orphaned_entries)
            .unwrap_or_default()
            .into();
        Session {
            journal,
            journal_id: Journal::id_for(None),
            journal_state: JournalState::NotWritten,
            last_change: None,
            disk_checked_at: now,
            recovered,
        }
    }

    /// A different document is now open (opened, new, or saved under a new name): the previous
    /// document's journal entry is dropped, and the new one journals under its own id.
    pub fn document_replaced(&mut self, path: Option<&Path>) {
        self.forget_journal_entry();
        self.journal_id = Journal::id_for(path);
    }

    /// Drops the open document's journal entry (it was saved, or its edits discarded).
    pub fn forget_journal_entry(&mut self) {
        if let Some(journal) = &self.journal {
            journal.remove(&self.journal_id);
        }
        self.journal_state = JournalState::NotWritten;
    }

    /// A recovered entry was poured into the open document: it keeps the entry's id, and the
    /// entry stays on disk until the post is saved or discarded.
    pub fn restored(&mut self, entry_id: String) {
        self.journal_id = entry_id;
        self.journal_state = JournalState::Restored;
    }

    /// Journals the document's unsaved text once typing has paused for [`JOURNAL_DELAY`], and
    /// drops the entry once the document is saved again. Call it every frame.
    pub fn tick_journal(&mut self, doc: &Document, now: Instant) -> JournalTick {
        let revision = doc.revision();
        let changed_at = match self.last_change {
            Some((seen, at)) if seen == revision => at,
            _ => {
                self.last_change = Some((revision, now));
                now
            }
        };
        if !doc.is_modified() {
            if self.journal_state == JournalState::NotWritten {
                return JournalTick::Idle;
            }
            self.forget_journal_entry();
            return JournalTick::Forgotten;
        }
        if self.journal_state == (JournalState::Written { revision }) {
            return JournalTick::Idle;
        }
        let waited = now.saturating_duration_since(changed_at);
        if waited < JOURNAL_DELAY {
            return JournalTick::WaitFor(JOURNAL_DELAY - waited);
        }
        let Some(journal) = &self.journal else {
            return JournalTick::Idle;
        };
        // Written or not, this revision is not tried again: a failing disk is reported once
        // per edit, not once per frame.
        self.journal_state = JournalState::Written { revision };
        match journal.write(&self.journal_id, doc.path(), &doc.journal_text()) {
            Ok(()) => JournalTick::Written,
            Err(err) => JournalTick::Failed(err),
        }
    }

    /// True when the open file should be compared with the disk now: every
    /// [`DISK_CHECK_INTERVAL`], and at once when the window regains focus.
    pub fn is_disk_check_due(&mut self, focus_gained: bool, now: Instant) -> bool {
        if !focus_gained
            && now.saturating_duration_since(self.disk_checked_at) < DISK_CHECK_INTERVAL
        {
            return false;
        }
        self.disk_checked_at = now;
        true
    }

    /// The next journal entry waiting for the user to restore or discard it.
    pub fn next_recovered(&self) -> Option<&Entry> {
        self.recovered.front()
    }

    /// Takes the next entry to restore it.
    pub fn take_recovered(&mut self) -> Option<Entry> {
        self.recovered.pop_front()
    }

    /// Removes the next entry from the queue and from the journal (the user discarded it).
    pub fn discard_recovered(&mut self) {
        if let Some(entry) = self.recovered.pop_front()
            && let Some(journal) = &self.journal
        {
            journal.remove(&entry.id);
        }
    }

    /// Stops offering the remaining entries in this run (only one post is open at a time);
    /// they stay in the journal and are offered at the next start. Returns how many there were.
    pub fn postpone_recovered(&mut self) -> usize {
        let count = self.recovered.len();
        self.recovered.clear();
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::EditKind;
    use crate::post::Post;

    /// Edits the body the way the window does.
    fn edit_body(doc: &mut Document, body: &str) {
        doc.apply(EditKind::Body, |post| {
            post.set_body(body);
            Ok::<bool, std::convert::Infallible>(true)
        })
        .unwrap();
    }

    fn edited_doc() -> Document {
        let mut doc = Document::untitled(Post::from_text("---\ntitle: a\n---\nbody\n"));
        edit_body(&mut doc, "body, edited\n");
        doc
    }

    #[test]
    fn a_renamed_recent_file_keeps_its_place_under_the_new_name() {
        let mut recent = RecentFiles::default();
        recent.note(Path::new("/a.md"));
        recent.note(Path::new("/b.md"));
        recent.renamed(Path::new("/a.md"), Path::new("/c.md"));
        assert_eq!(
            recent.paths(),
            [PathBuf::from("/b.md"), PathBuf::from("/c.md")]
        );
    }

    #[test]
    fn recent_files_are_unique_newest_first_and_capped() {
        let mut recent = RecentFiles::default();
        for i in 0..12 {
            recent.note(Path::new(&format!("/p/{i}.md")));
        }
        recent.note(Path::new("/p/5.md"));
        assert_eq!(recent.paths().len(), RECENT_FILES_MAX);
        assert_eq!(recent.paths()[0], Path::new("/p/5.md"));
        assert_eq!(recent.paths()[1], Path::new("/p/11.md"));
        assert_eq!(
            recent
                .paths()
                .iter()
                .filter(|p| p.ends_with("5.md"))
                .count(),
            1
        );
        assert!(!recent.paths().iter().any(|p| p.ends_with("0.md")));
    }

    #[test]
    fn recent_files_keep_the_settings_format() {
        let mut recent = RecentFiles::default();
        recent.note(Path::new("/p/a.md"));
        assert_eq!(serde_json::to_string(&recent).unwrap(), r#"["/p/a.md"]"#);
    }

    #[test]
    fn edits_are_journaled_only_after_typing_pauses_and_once() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        let start = Instant::now();
        let mut session = Session::new(Some(journal.clone()), start);
        let doc = edited_doc();
        assert!(matches!(
            session.tick_journal(&doc, start),
            JournalTick::WaitFor(d) if d == JOURNAL_DELAY
        ));
        let half = start + JOURNAL_DELAY / 2;
        assert!(matches!(
            session.tick_journal(&doc, half),
            JournalTick::WaitFor(d) if d == JOURNAL_DELAY / 2
        ));
        assert!(journal.entries().is_empty());
        let later = start + JOURNAL_DELAY;
        assert!(matches!(
            session.tick_journal(&doc, later),
            JournalTick::Written
        ));
        assert_eq!(journal.entries().len(), 1);
        assert_eq!(journal.entries()[0].text, doc.journal_text());
        assert!(matches!(
            session.tick_journal(&doc, later + JOURNAL_DELAY),
            JournalTick::Idle
        ));
    }

    #[test]
    fn a_new_edit_restarts_the_pause() {
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let mut session = Session::new(Some(Journal::at(dir.path())), start);
        let mut doc = edited_doc();
        let _ = session.tick_journal(&doc, start);
        edit_body(&mut doc, "body, edited again\n");
        let later = start + JOURNAL_DELAY;
        assert!(matches!(
            session.tick_journal(&doc, later),
            JournalTick::WaitFor(d) if d == JOURNAL_DELAY
        ));
    }

    #[test]
    fn saving_forgets_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        let start = Instant::now();
        let mut session = Session::new(Some(journal.clone()), start);
        let post = dir.path().join("p.md");
        std::fs::write(&post, "---\ntitle: a\n---\nbody\n").unwrap();
        let mut doc = Document::open(&post).unwrap();
        session.document_replaced(Some(&post));
        edit_body(&mut doc, "new\n");
        let _ = session.tick_journal(&doc, start);
        let _ = session.tick_journal(&doc, start + JOURNAL_DELAY);
        assert_eq!(journal.entries().len(), 1);
        doc.save().unwrap();
        assert!(matches!(
            session.tick_journal(&doc, start + JOURNAL_DELAY * 2),
            JournalTick::Forgotten
        ));
        assert!(journal.entries().is_empty());
        assert!(matches!(
            session.tick_journal(&doc, start + JOURNAL_DELAY * 3),
            JournalTick::Idle
        ));
    }

    #[test]
    fn without_a_journal_nothing_is_written() {
        let start = Instant::now();
        let mut session = Session::new(None, start);
        let doc = edited_doc();
        let _ = session.tick_journal(&doc, start);
        assert!(matches!(
            session.tick_journal(&doc, start + JOURNAL_DELAY),
            JournalTick::Idle
        ));
    }

    #[test]
    fn a_failed_journal_write_is_reported_once_per_revision() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the journal folder should be: every write fails.
        let blocked = dir.path().join("journal");
        std::fs::write(&blocked, "not a folder").unwrap();
        let start = Instant::now();
        let mut session = Session::new(Some(Journal::at(&blocked)), start);
        let doc = edited_doc();
        let _ = session.tick_journal(&doc, start);
        assert!(matches!(
            session.tick_journal(&doc, start + JOURNAL_DELAY),
            JournalTick::Failed(_)
        ));
        assert!(matches!(
            session.tick_journal(&doc, start + JOURNAL_DELAY * 2),
            JournalTick::Idle
        ));
    }

    #[test]
    fn a_restored_entry_is_removed_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        journal.write("untitled-1-1", None, "recovered").unwrap();
        let start = Instant::now();
        let mut session = Session::new(Some(journal.clone()), start);
        session.restored("untitled-1-1".into());
        // A saved (unmodified) document: the kept entry goes.
        let doc = Document::untitled(Post::from_text("recovered"));
        assert!(matches!(
            session.tick_journal(&doc, start),
            JournalTick::Forgotten
        ));
        assert!(journal.entries().is_empty());
    }

    #[test]
    fn disk_checks_run_every_interval_or_on_focus() {
        let start = Instant::now();
        let mut session = Session::new(None, start);
        assert!(!session.is_disk_check_due(false, start + DISK_CHECK_INTERVAL / 2));
        assert!(session.is_disk_check_due(true, start + DISK_CHECK_INTERVAL / 2));
        let next = start + DISK_CHECK_INTERVAL / 2 + DISK_CHECK_INTERVAL;
        assert!(!session.is_disk_check_due(false, next - Duration::from_millis(1)));
        assert!(session.is_disk_check_due(false, next));
    }

    #[test]
    fn disk_changes_are_classified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.md");
        std::fs::write(&path, "---\ntitle: a\n---\n").unwrap();
        let mut doc = Document::open(&path).unwrap();
        assert_eq!(DiskChange::of(&doc), DiskChange::Unchanged);
        std::fs::write(&path, "---\ntitle: theirs, longer\n---\n").unwrap();
        assert_eq!(DiskChange::of(&doc), DiskChange::ChangedWithoutEdits);
        edit_body(&mut doc, "mine\n");
        assert_eq!(DiskChange::of(&doc), DiskChange::ChangedWithEdits);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(DiskChange::of(&doc), DiskChange::Deleted);
        doc.note_deleted_on_disk();
        assert_eq!(DiskChange::of(&doc), DiskChange::StillDeleted);
        assert_eq!(
            DiskChange::of(&Document::untitled(Post::from_text(""))),
            DiskChange::Unchanged
        );
    }

    #[test]
    fn recovered_entries_are_offered_and_discarding_removes_them() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path());
        journal.write("untitled-a", None, "first").unwrap();
        journal.write("untitled-b", None, "second").unwrap();
        journal.write("untitled-c", None, "third").unwrap();
        let mut session = Session::new(Some(journal.clone()), Instant::now());
        assert!(session.next_recovered().is_some());
        session.discard_recovered();
        assert_eq!(journal.entries().len(), 2);
        let taken = session.take_recovered().unwrap();
        assert_eq!(journal.entries().len(), 2, "taking keeps the entry on disk");
        assert_eq!(session.postpone_recovered(), 1);
        assert!(session.next_recovered().is_none());
        assert_eq!(
            journal.entries().len(),
            2,
            "postponed entries stay for the next start"
        );
        assert!(journal.entries().iter().any(|e| e.id == taken.id));
    }
}
