//! An open post in the editor: where it lives, whether it has unsaved edits, undo/redo across
//! the whole document (form and body together), and lossless saving. No UI here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};
use crate::fsio;
use crate::post::Post;
use crate::post::text::LineEnding;

/// Edits closer together than this (of the same kind) undo as one step, as in most editors.
const COALESCE_WINDOW: Duration = Duration::from_millis(800);

/// Undo history is capped by total bytes so a 1 MB post cannot eat the machine's memory.
const HISTORY_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// Identifies one state of a document's content. Revisions are unique across every document
/// of the process, so views keyed by revision can never mistake a newly opened post for the one
/// they showed before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Revision(u64);

impl Revision {
    fn next() -> Revision {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Revision(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
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
    revision: Revision,
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

/// What the document knows about its file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DiskState {
    /// Never read from or written to a file (or the user chose to overwrite whatever is there).
    Unknown,
    /// The file as it was when last read or saved.
    Stamped(DiskStamp),
    /// The file was deleted or moved away (already reported to the user).
    Deleted,
}

/// Text the user typed into a field that could not be written into the post (invalid YAML, a
/// malformed offset...). It is unsaved work: it makes the document modified, is journaled, and
/// Save refuses until it is fixed or discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnwrittenEdit {
    /// The field's name as the form shows it ("UTC offset", "Other key `toc`").
    pub field: String,
    /// Why it could not be written.
    pub problem: String,
    /// The front-matter entry as typed, so the journal keeps exactly what was typed.
    pub as_typed: Option<TypedEntry>,
}

/// A front-matter entry as the user typed it: it replaces the entry of `key` (or is added at
/// the end of the front matter) in the text kept in the recovery journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedEntry {
    /// The top-level key the lines are for.
    pub key: String,
    /// The entry's lines, each ending with the file's line ending.
    pub lines: String,
}

/// An edited text whose new line breaks follow the file's line ending, with the offsets of the
/// edited text mapped into it (so the cursor stays where the user put it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConformedEdit {
    /// The text to store.
    pub text: String,
    /// Length of the common start kept as it was (in both texts), minus a dropped `\r`.
    kept_start_bytes: usize,
    /// Where the changed part started in the edited text.
    changed_start_bytes: usize,
    /// Conformed offset of each byte offset in the changed part of the edited text.
    changed_map: Vec<usize>,
    /// Where the unchanged end starts in the edited text, and in the conformed text.
    kept_end_at: (usize, usize),
    /// True when the first byte of the unchanged end (a `\n`) was dropped.
    is_end_break_dropped: bool,
}

impl ConformedEdit {
    /// Where byte offset `offset` of the edited text is in the conformed text.
    pub fn map_offset(&self, offset: usize) -> usize {
        let (end_new, end_conformed) = self.kept_end_at;
        if offset <= self.kept_start_bytes {
            return offset;
        }
        if offset <= end_new {
            let index = offset.saturating_sub(self.changed_start_bytes);
            return self
                .changed_map
                .get(index)
                .copied()
                .unwrap_or(end_conformed);
        }
        let past = offset - end_new;
        if self.is_end_break_dropped {
            end_conformed + past - 1
        } else {
            end_conformed + past
        }
    }
}

/// Makes the line breaks an edit inserted (typed, pasted, or made by a command) follow `eol`,
/// changing nothing outside the edit: `old` is the text before the edit, `new` after it. With
/// CRLF, deleting half of a `\r\n` deletes the whole line break, and text typed between its
/// `\r` and `\n` goes before the line break, so the file never gets mixed line endings.
/// `cursor`, when known, is where the text cursor is in `new` after the edit (the end of what
/// was typed): it tells which of two equal characters was typed.
pub fn conform_line_endings(
    old: &str,
    new: &str,
    eol: LineEnding,
    cursor: Option<usize>,
) -> ConformedEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .char_indices()
        .rev()
        .zip(new.chars().rev())
        .take_while(|((i, a), b)| a == b && old.len() - i <= max_suffix)
        .last()
        .map_or(0, |((i, _), _)| old.len() - i);
    // What was typed ends at the cursor: the kept end starts after it.
    let mut suffix = match cursor {
        Some(at) if at <= new.len() && new.is_char_boundary(at) => suffix.min(new.len() - at),
        _ => suffix,
    };
    let mut prefix = prefix;
    // Never split a `\r\n` between the kept text and the changed part.
    let mid_of = |p: usize, s: usize| new.get(p..new.len() - s).unwrap_or("");
    if new.get(..prefix).is_some_and(|t| t.ends_with('\r'))
        && mid_of(prefix, suffix).starts_with('\n')
    {
        prefix -= 1;
    }
    let old_mid_of = |p: usize, s: usize| old.get(p..old.len() - s).unwrap_or("");
    let is_kept_end_a_break = |s: usize| {
        s > 0
            && new
                .get(new.len() - s..)
                .is_some_and(|t| t.starts_with('\n'))
    };
    if is_kept_end_a_break(suffix)
        && (mid_of(prefix, suffix).ends_with('\r')
            // Typed text replacing a `\r` whose `\n` only seems kept: that `\n` is the typed
            // text's own (a pure deletion of the `\r` instead removes the whole line break).
            || (!mid_of(prefix, suffix).is_empty() && old_mid_of(prefix, suffix).ends_with('\r')))
    {
        suffix -= 1;
    }
    let new_mid = new.get(prefix..new.len() - suffix).unwrap_or("");
    let old_mid = old.get(prefix..old.len() - suffix).unwrap_or("");
    let kept_end = new.get(new.len() - suffix..).unwrap_or("");
    let mut kept_start = new.get(..prefix).unwrap_or("");
    let is_crlf = eol == LineEnding::CrLf;

    // The changed part, with every line break in `eol`.
    let mut mid = String::with_capacity(new_mid.len() + 8);
    let mut changed_map = Vec::with_capacity(new_mid.len() + 1);
    let mut chars = new_mid.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        while changed_map.len() <= i {
            changed_map.push(mid.len());
        }
        match c {
            '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => {
                // The pair is written when its `\n` comes.
            }
            '\r' | '\n' => mid.push_str(eol.as_str()),
            other => mid.push(other),
        }
    }
    let mut start_dropped = 0;
    if is_crlf {
        // A `\r` before the edit that was paired with a `\n` the edit removed or moved away.
        let was_paired = kept_start.ends_with('\r')
            && old.get(prefix..).is_some_and(|rest| rest.starts_with('\n'));
        let is_paired = format!("{mid}{kept_end}").starts_with('\n');
        if was_paired && !is_paired {
            kept_start = kept_start.get(..kept_start.len() - 1).unwrap_or("");
            start_dropped = 1;
        }
    }
    while changed_map.len() <= new_mid.len() {
        changed_map.push(mid.len());
    }
    let mut is_end_break_dropped = false;
    if is_crlf && kept_end.starts_with('\n') {
        let before_end = format!("{kept_start}{mid}");
        let was_paired = old
            .get(..old.len() - suffix)
            .is_some_and(|before| before.ends_with('\r'));
        if was_paired && !before_end.ends_with('\r') {
            if old_mid.ends_with('\r') {
                // The edit deleted the `\r` of this line break: the whole break goes.
                is_end_break_dropped = true;
            } else {
                // Text went between `\r` and `\n`: the line break follows it.
                mid.push('\r');
            }
        }
    }
    let kept_end_text = if is_end_break_dropped {
        kept_end.get(1..).unwrap_or("")
    } else {
        kept_end
    };
    let changed_start = kept_start.len();
    let changed_map = changed_map.into_iter().map(|m| changed_start + m).collect();
    let text = format!("{kept_start}{mid}{kept_end_text}");
    ConformedEdit {
        kept_end_at: (new.len() - suffix, changed_start + mid.len()),
        text,
        kept_start_bytes: prefix - start_dropped,
        changed_start_bytes: prefix,
        changed_map,
        is_end_break_dropped,
    }
}

/// An open post with its history.
#[derive(Debug, Clone)]
pub struct Document {
    post: Post,
    path: Option<PathBuf>,
    revision: Revision,
    saved_revision: Revision,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The state at the end of the current undo group (what Undo goes back to next).
    shadow: Snapshot,
    last_edit: Option<(Instant, EditKind)>,
    disk: DiskState,
    /// Typed field text not in the post yet, by field name.
    unwritten: BTreeMap<String, UnwrittenEdit>,
}

impl Document {
    /// A document for a post that is not on disk yet.
    pub fn untitled(post: Post) -> Document {
        let revision = Revision::next();
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
            disk: DiskState::Unknown,
            unwritten: BTreeMap::new(),
        }
    }

    /// A new post from the template, dated `date`: an empty title (the form shows a
    /// placeholder, which is never written as a real title) and no empty category or tag
    /// lists.
    pub fn new_post(date: &crate::post::PostDate, author: &str) -> Document {
        let text = crate::post::template::new_post_text("", date, author, false);
        let mut post = Post::from_text(&text);
        for key in ["categories", "tags"] {
            if post.get(key).is_some() && post.list(key).is_empty() {
                // Removing an entry of a template that just parsed cannot fail; if it did,
                // the empty list would simply stay.
                let _ = post.remove(key);
            }
        }
        Document::untitled(post)
    }

    /// Opens the post at `path`.
    pub fn open(path: &Path) -> Result<Document> {
        let post = fsio::read_post(path)?;
        let mut doc = Document::untitled(post);
        doc.path = Some(path.to_path_buf());
        doc.disk = Self::stamp_of(path);
        Ok(doc)
    }

    fn stamp_of(path: &Path) -> DiskState {
        DiskStamp::of(path).map_or(DiskState::Unknown, DiskState::Stamped)
    }

    /// The post as edited so far (read only: every change goes through [`Document::apply`]).
    pub fn post(&self) -> &Post {
        &self.post
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

    /// True when there are edits not yet saved, typed text that could not be written included.
    pub fn is_modified(&self) -> bool {
        self.revision != self.saved_revision || !self.unwritten.is_empty()
    }

    /// A value that changes whenever the content changes (including undo/redo and typed text
    /// that could not be written), so views can tell when to refresh derived state.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// The one way to change the post: runs `edit` on it and, when it reports a change
    /// (`Ok(true)`), records the undo step. An edit that fails or changes nothing records
    /// nothing.
    pub fn apply<E>(
        &mut self,
        kind: EditKind,
        edit: impl FnOnce(&mut Post) -> std::result::Result<bool, E>,
    ) -> std::result::Result<bool, E> {
        let changed = edit(&mut self.post)?;
        if changed {
            self.record_edit(kind);
        }
        Ok(changed)
    }

    fn record_edit(&mut self, kind: EditKind) {
        let now = Instant::now();
        let is_same_group = matches!(self.last_edit, Some((at, last)) if last == kind
            && kind != EditKind::Command
            && now.duration_since(at) < COALESCE_WINDOW);
        if !is_same_group {
            self.undo.push(self.shadow.clone());
            self.trim_history();
        }
        self.redo.clear();
        self.revision = Revision::next();
        self.shadow = Snapshot {
            post: self.post.clone(),
            revision: self.revision,
        };
        self.last_edit = Some((now, kind));
    }

    /// Notes (or, with `None`, clears) text typed into `field` that could not be written.
    pub fn set_unwritten(&mut self, field: &str, edit: Option<UnwrittenEdit>) {
        let changed = match edit {
            Some(edit) => self.unwritten.insert(field.to_string(), edit.clone()) != Some(edit),
            None => self.unwritten.remove(field).is_some(),
        };
        if changed {
            // With nothing unwritten left, the content is the post's own state again (so an
            // invalid edit fixed back to the saved value leaves the document unmodified).
            self.revision = if self.unwritten.is_empty() {
                self.shadow.revision
            } else {
                Revision::next()
            };
        }
    }

    /// Typed text that could not be written, by field.
    pub fn unwritten(&self) -> impl Iterator<Item = &UnwrittenEdit> {
        self.unwritten.values()
    }

    /// The text to keep in the recovery journal: the post with any typed text that could not
    /// be written spliced in where it was typed, so a crash loses none of it.
    pub fn journal_text(&self) -> String {
        let typed: Vec<&TypedEntry> = self
            .unwritten
            .values()
            .filter_map(|u| u.as_typed.as_ref())
            .collect();
        if typed.is_empty() {
            return self.post.to_text();
        }
        let mut yaml = self.post.front_matter_text().to_string();
        let block = self.post.front_matter().and_then(|f| f.block().ok());
        // Where each typed entry goes in the post as it is now (one per key).
        let mut splices: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
        let mut keys = std::collections::BTreeSet::new();
        for entry in typed {
            if keys.insert(entry.key.as_str()) {
                let range = block
                    .and_then(|b| b.entry(&entry.key))
                    .map_or(yaml.len()..yaml.len(), |e| e.range.clone());
                splices.push((range, entry.lines.as_str()));
            }
        }
        splices.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        // Splices apply from the end, each before the previous one.
        let mut floor = yaml.len();
        for (range, text) in splices {
            let fits = range.end <= floor && range.start <= range.end;
            if fits && yaml.is_char_boundary(range.start) && yaml.is_char_boundary(range.end) {
                yaml.replace_range(range.clone(), text);
                floor = range.start;
            }
        }
        let mut post = self.post.clone();
        post.set_front_matter_text(yaml);
        post.to_text()
    }

    fn trim_history(&mut self) {
        let mut total: usize = self.undo.iter().map(|s| s.post.len_bytes()).sum();
        while total > HISTORY_BUDGET_BYTES && self.undo.len() > 1 {
            let dropped = self.undo.remove(0);
            total -= dropped.post.len_bytes();
        }
    }

    /// True when there is an edit to undo (typed text that could not be written included).
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() || !self.unwritten.is_empty()
    }

    /// True when there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Goes back one undo step (across form and body alike). Typed text that could not be
    /// written is discarded first, as its own step.
    pub fn undo(&mut self) -> bool {
        if !self.unwritten.is_empty() {
            self.unwritten.clear();
            self.revision = self.shadow.revision;
            self.last_edit = None;
            return true;
        }
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
        self.unwritten.clear();
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
    /// since it was read, so someone else's newer work is never silently overwritten, and when
    /// typed text could not be written, so a save never claims to keep what it dropped.
    pub fn save(&mut self) -> Result<PathBuf> {
        let Some(path) = self.path.clone() else {
            return Err(Error::Write {
                path: PathBuf::from("Untitled"),
                source: std::io::Error::other("the post has no file yet: use Save As"),
            });
        };
        self.require_written("nothing was saved")?;
        // A file deleted meanwhile is simply written again; a changed one is not overwritten.
        if let DiskState::Stamped(stamp) = self.disk
            && path.exists()
            && DiskStamp::of(&path) != Some(stamp)
        {
            return Err(Error::ChangedOnDisk { path });
        }
        if self.disk == DiskState::Deleted && path.exists() {
            return Err(Error::ChangedOnDisk { path });
        }
        self.write_to(&path)?;
        Ok(path)
    }

    /// Refuses (saying which field and why) while typed text could not be written, so an
    /// action on the file (save, export) never silently leaves it out. `refused` says what did
    /// not happen ("nothing was saved").
    pub fn require_written(&self, refused: &str) -> Result<()> {
        match self.unwritten.values().next() {
            Some(edit) => Err(Error::Edit {
                key: edit.field.clone(),
                reason: format!(
                    "{}; {refused} (fix the field, or Undo to discard what was typed)",
                    edit.problem
                ),
            }),
            None => Ok(()),
        }
    }

    /// Saves to a new path (Save As), which becomes the document's path.
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        self.require_written("nothing was saved")?;
        self.write_to(path)?;
        self.path = Some(path.to_path_buf());
        Ok(())
    }

    /// The file was renamed (by Byline, see [`crate::rename`]): the document now lives at
    /// `path`, with its edits, history and disk stamp unchanged (a rename keeps the file's
    /// content and modification time).
    pub fn moved_to(&mut self, path: &Path) {
        self.path = Some(path.to_path_buf());
    }

    /// True when the file on disk is no longer the one this document read or last saved
    /// (another program or a `git pull` changed it).
    pub fn is_changed_on_disk(&self) -> bool {
        match (&self.path, &self.disk) {
            (Some(path), DiskState::Stamped(stamp)) => DiskStamp::of(path) != Some(*stamp),
            (Some(path), DiskState::Deleted) => path.exists(),
            _ => false,
        }
    }

    /// Notes that the file was deleted or moved away: a save writes it again, and a file that
    /// reappears at the path counts as changed on disk.
    pub fn note_deleted_on_disk(&mut self) {
        self.disk = DiskState::Deleted;
    }

    /// True when a deletion was already noted (so it is reported once).
    pub fn is_deletion_noted(&self) -> bool {
        self.disk == DiskState::Deleted
    }

    /// True when the file is gone from its path (deleted, moved, or its folder removed).
    pub fn is_missing_on_disk(&self) -> bool {
        self.path.as_ref().is_some_and(|p| !p.exists())
    }

    /// Keeps this document's text over the changed file: the next save writes it without
    /// asking again.
    pub fn keep_mine_over_disk(&mut self) {
        if let Some(path) = &self.path {
            self.disk = Self::stamp_of(path);
        }
    }

    /// Replaces the text with the file's current content (taking the other program's changes)
    /// as an undoable edit.
    pub fn take_disk_version(&mut self) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let post = fsio::read_post(&path)?;
        self.unwritten.clear();
        self.apply(EditKind::Command, |p| {
            *p = post;
            Ok::<bool, Error>(true)
        })?;
        self.saved_revision = self.revision;
        self.disk = Self::stamp_of(&path);
        Ok(())
    }

    /// Marks the current text as unsaved (a recovered journal entry), so closing asks first.
    pub fn mark_recovered(&mut self, post: Post) {
        // Recording the recovered text as an edit cannot fail.
        let _ = self.apply(EditKind::Command, |p| {
            *p = post;
            Ok::<bool, Error>(true)
        });
    }

    /// Saves even though the file changed on disk (the user chose to overwrite).
    pub fn save_overwriting(&mut self) -> Result<PathBuf> {
        self.disk = DiskState::Unknown;
        self.save()
    }

    fn write_to(&mut self, path: &Path) -> Result<()> {
        fsio::write_atomic(path, self.post.to_text().as_bytes())?;
        self.saved_revision = self.revision;
        self.disk = Self::stamp_of(path);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_edit(doc: &mut Document, text: &str) {
        doc.apply(EditKind::Body, |p| {
            p.set_body(text);
            Ok::<bool, Error>(true)
        })
        .unwrap();
    }

    #[test]
    fn undo_and_redo_cross_form_and_body() {
        let mut doc = Document::untitled(Post::from_text("---\ntitle: a\n---\nbody"));
        doc.apply(EditKind::Field("title"), |p| p.set_text("title", "b"))
            .unwrap();
        body_edit(&mut doc, "body!");
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
            body_edit(&mut doc, text);
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
        doc.apply(EditKind::Field("title"), |p| p.set_text("title", "mine"))
            .unwrap();
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

    #[test]
    fn an_edit_that_changes_nothing_or_fails_records_nothing() {
        let mut doc = Document::untitled(Post::from_text("---\ntitle: a\n---\n"));
        let before = doc.revision();
        assert!(
            !doc.apply(EditKind::Field("title"), |p| p.set_text("title", "a"))
                .unwrap()
        );
        assert!(
            doc.apply(EditKind::Command, |_| Err::<bool, &str>("no"))
                .is_err()
        );
        assert_eq!(doc.revision(), before);
        assert!(!doc.can_undo() && !doc.is_modified());
    }

    #[test]
    fn unwritten_text_is_a_modification_that_blocks_saving_until_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.md");
        std::fs::write(&path, "---\ntitle: a\nx: 1\n---\n").unwrap();
        let mut doc = Document::open(&path).unwrap();
        doc.set_unwritten(
            "Other key `x`",
            Some(UnwrittenEdit {
                field: "Other key `x`".into(),
                problem: "bad YAML".into(),
                as_typed: Some(TypedEntry {
                    key: "x".into(),
                    lines: "x: [\n".into(),
                }),
            }),
        );
        assert!(doc.is_modified());
        assert_eq!(doc.journal_text(), "---\ntitle: a\nx: [\n---\n");
        let err = doc.save().unwrap_err().to_string();
        assert!(
            err.contains("Other key `x`") && err.contains("bad YAML"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "---\ntitle: a\nx: 1\n---\n"
        );
        doc.apply(EditKind::Field("title"), |p| {
            p.set_text("title", "a longer title")
        })
        .unwrap();
        assert_eq!(
            doc.journal_text(),
            "---\ntitle: a longer title\nx: [\n---\n",
            "the typed entry lands where its key is now"
        );
        assert!(doc.undo(), "Undo discards the typed text first");
        assert!(doc.undo());
        assert!(!doc.is_modified());
        doc.save().unwrap();
    }

    #[test]
    fn new_posts_have_no_placeholder_title_and_no_empty_lists() {
        let date = crate::post::PostDate::parse("2025-11-30 10:00:00 +0100").unwrap();
        let doc = Document::new_post(&date, "Ann");
        let text = doc.post().to_text();
        assert!(!text.contains("Untitled"), "{text}");
        assert!(!text.contains("[]"), "{text}");
        assert_eq!(doc.post().text("title").as_deref(), Some(""));
    }

    fn typed(old: &str, new: &str) -> String {
        conform_line_endings(old, new, LineEnding::CrLf, None).text
    }

    #[test]
    fn line_breaks_follow_the_file() {
        // Enter typed at the end of a CRLF line, and a pasted LF block.
        assert_eq!(typed("a\r\nb", "a\n\r\nb"), "a\r\n\r\nb");
        assert_eq!(typed("ab", "a\nb"), "a\r\nb");
        assert_eq!(typed("x\r\n", "x\r\np\nq\r\nr\n"), "x\r\np\r\nq\r\nr\r\n");
        let lf = conform_line_endings("ab", "a1\r\n2\rb", LineEnding::Lf, None);
        assert_eq!(lf.text, "a1\n2\nb");
        // Backspace at a line start (removes the `\n`) joins the lines.
        assert_eq!(typed("a\r\nb", "a\rb"), "ab");
        // Delete before the `\r` joins them too.
        assert_eq!(typed("a\r\nb", "a\nb"), "ab");
        // Typing between `\r` and `\n` goes before the line break.
        let c = conform_line_endings("a\r\nb", "a\rX\nb", LineEnding::CrLf, None);
        assert_eq!(c.text, "aX\r\nb");
        assert_eq!(c.map_offset(3), 2, "cursor after X");
        // A lone `\r` the user did not touch stays.
        assert_eq!(typed("a\rb", "a\rXb"), "a\rXb");
        // Offsets after the edit shift with it.
        let c = conform_line_endings("ab\r\ncd", "a\nb\r\ncd", LineEnding::CrLf, None);
        assert_eq!(c.text, "a\r\nb\r\ncd");
        assert_eq!(c.map_offset(2), 3);
        assert_eq!(c.map_offset(6), 7);
        // Formatting inside the edited part keeps its selection.
        let c = conform_line_endings("a word here", "a **word** here", LineEnding::CrLf, None);
        assert_eq!((c.map_offset(4), c.map_offset(8)), (4, 8));
        // A pasted `\r\n` whose `\n` matches the text after it stays one line break.
        let lf = conform_line_endings(" x\n ", "r\r\ns\r\n ", LineEnding::Lf, None);
        assert_eq!(lf.text, "r\ns\n ");
        assert_eq!(typed("a\rb", "a\r\nb"), "a\r\nb");
        // Enter over a selection that ended with a line break: the typed `\n` is the new one.
        let c = conform_line_endings("ab \r\no", "\no", LineEnding::CrLf, Some(1));
        assert_eq!(c.text, "\r\no");
        assert_eq!(c.map_offset(1), 2);
        // Text ending in a line break typed over lines ending in `\r\n`.
        assert_eq!(typed("k: [x\r\n", "k: 1\nj: 2\n"), "k: 1\r\nj: 2\r\n");
    }
}
