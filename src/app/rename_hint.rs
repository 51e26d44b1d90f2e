//! The quiet offer to rename a post's file when its date or title changed and the file name
//! (`YYYY-MM-DD-slug.ext` in `_posts/`) no longer matches: a hint with a button, never a modal.

use std::path::PathBuf;

use crate::document::Document;
use crate::rename::SlugSource;

/// What the hint compares against: the title and date the post had when it was opened, and
/// the proposal the user dismissed.
#[derive(Debug, Default)]
pub struct RenameHint {
    opened_with: Option<(Option<String>, Option<String>)>,
    dismissed: Option<PathBuf>,
}

/// The post's title and date as written.
fn title_and_date(doc: &Document) -> (Option<String>, Option<String>) {
    (doc.post().text("title"), doc.post().text("date"))
}

impl RenameHint {
    /// A post was opened (or saved under a new name): its title and date are the reference.
    pub fn opened(&mut self, doc: &Document) {
        self.opened_with = Some(title_and_date(doc));
        self.dismissed = None;
    }

    /// The path to offer, when the title or date changed since the post was opened and the
    /// file name no longer matches them (and the user did not dismiss this very proposal).
    pub fn proposal(&self, doc: &Document) -> Option<PathBuf> {
        let path = doc.path()?;
        let (title, date) = title_and_date(doc);
        let (opened_title, opened_date) = self.opened_with.as_ref()?;
        let slug_source = if title != *opened_title {
            SlugSource::Title
        } else if date != *opened_date {
            SlugSource::FileName
        } else {
            return None;
        };
        crate::rename::proposed_path(path, doc.post(), slug_source)
            .filter(|proposed| self.dismissed.as_ref() != Some(proposed))
    }

    /// The user said "Not now" to `proposed`; a later change of title or date offers again.
    pub fn dismiss(&mut self, proposed: PathBuf) {
        self.dismissed = Some(proposed);
    }
}
