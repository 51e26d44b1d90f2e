//! The status bar: word, character and reading-time counts, saved state, and the last message.

use crate::document::{Document, Revision};
use crate::markdown;

use super::editor::counted;

/// The counts of one revision of the body, so a long post is not recounted every frame.
#[derive(Debug, Clone, Copy)]
struct CountedRevision {
    revision: Revision,
    stats: markdown::Stats,
}

/// The status bar and its cached counts.
#[derive(Debug, Default)]
pub struct StatusBar {
    counted: Option<CountedRevision>,
}

impl StatusBar {
    /// Draws the bar. Counting a long body costs milliseconds, so it is recounted only when
    /// `is_settled` (the preview has caught up with typing), not on every keystroke.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, is_settled: bool, status: &str) {
        let revision = doc.revision();
        if is_settled && self.counted.is_none_or(|c| c.revision != revision) {
            self.counted = Some(CountedRevision {
                revision,
                stats: markdown::stats(doc.post().body()),
            });
        }
        let stats = self.counted.map(|c| c.stats).unwrap_or_default();
        ui.horizontal(|ui| {
            ui.label(counted(stats.words, "word", "words"));
            ui.separator();
            ui.label(counted(stats.characters, "character", "characters"));
            ui.separator();
            ui.label(format!("{} min read", stats.reading_minutes));
            ui.separator();
            ui.label(if doc.is_modified() {
                "Modified"
            } else if doc.path().is_none() {
                "Not saved yet"
            } else {
                "Saved"
            });
            ui.separator();
            ui.add(egui::Label::new(status).truncate());
        });
    }
}
