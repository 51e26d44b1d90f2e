//! Offered at start when the journal holds unsaved edits from a run that crashed.

use crate::journal::Entry;

/// The offer to restore one journal entry.
#[derive(Debug)]
pub struct RecoverDialog {
    /// Which post the edits belong to, for the message.
    name: String,
    /// The entry's changes against the file on disk, computed once.
    diff: String,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoverChoice {
    /// Open the edits as unsaved changes.
    Restore,
    /// Drop them from the journal.
    Discard,
}

impl RecoverDialog {
    /// The offer for `entry` (its diff is read from disk once, here).
    pub fn new(entry: &Entry) -> RecoverDialog {
        RecoverDialog {
            name: entry.path.as_ref().map_or_else(
                || "An untitled post".to_string(),
                |p| p.display().to_string(),
            ),
            diff: entry.diff_against_disk(),
        }
    }

    /// Draws the offer.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<RecoverChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Recover unsaved edits?");
            ui.label(format!(
                "{} had edits that were not saved when Byline last closed.",
                self.name
            ));
            ui.label("Changes compared with the file on disk:");
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(egui::RichText::new(&self.diff).monospace()).wrap());
                });
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    choice = Some(RecoverChoice::Restore);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(RecoverChoice::Discard);
                }
            });
        });
        choice
    }
}
