//! Asked when the open file changed on disk while it has unsaved edits: keep mine, take
//! theirs, or compare first.

use crate::document::Document;

/// The question, and the comparison once asked for.
#[derive(Debug, Default)]
pub struct ExternalChangeDialog {
    /// The diff between the file on disk and the edited text, once Compare was clicked.
    comparison: Option<String>,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalChangeChoice {
    /// Keep the edited text; the next save replaces the file.
    KeepMine,
    /// Take the file's new content (undo brings the edits back).
    TakeTheirs,
}

impl ExternalChangeDialog {
    /// Draws the question about `doc`.
    pub fn ui(&mut self, ctx: &egui::Context, doc: &Document) -> Option<ExternalChangeChoice> {
        let mut choice = None;
        let mut wants_comparison = false;
        egui::Modal::new(egui::Id::unique("external-change")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("The file changed on disk");
            ui.label(format!(
                "{} was changed by another program, and you have unsaved edits.",
                doc.display_name()
            ));
            if let Some(diff) = &self.comparison {
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(egui::RichText::new(diff).monospace()).wrap());
                    });
            }
            ui.horizontal(|ui| {
                if ui.button("Keep mine").clicked() {
                    choice = Some(ExternalChangeChoice::KeepMine);
                }
                if ui.button("Take theirs").clicked() {
                    choice = Some(ExternalChangeChoice::TakeTheirs);
                }
                if self.comparison.is_none() && ui.button("Compare").clicked() {
                    wants_comparison = true;
                }
            });
        });
        if wants_comparison {
            self.comparison = Some(comparison(doc));
        }
        choice
    }
}

/// The unified diff from the file on disk to the edited text.
fn comparison(doc: &Document) -> String {
    let disk = doc
        .path()
        // Never blocks on a path that became a FIFO or a device, nor reads a huge file.
        .and_then(|p| crate::fsio::read_bytes(p).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    crate::markdown::unified_diff(&disk, &doc.post().to_text(), "on disk", "yours")
}
