//! "Revert to the saved version?" — asked before File → Revert drops unsaved edits.

/// The question shown before reloading a modified post from its file.
#[derive(Debug, Default)]
pub struct RevertDialog;

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevertChoice {
    /// Reload the file (the edits stay reachable with Undo).
    Revert,
    /// Keep editing.
    Cancel,
}

/// The confirming button's label, so tests can press it.
pub const REVERT_BUTTON_LABEL: &str = "Revert";

impl RevertDialog {
    /// Draws the question about the post called `name`.
    pub fn ui(&mut self, ctx: &egui::Context, name: &str) -> Option<RevertChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("revert-guard")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Revert to the saved version?");
            ui.label(format!(
                "Your unsaved changes to {name} will be replaced by the file on disk (Undo brings them back)."
            ));
            ui.horizontal(|ui| {
                if ui.button(REVERT_BUTTON_LABEL).clicked() {
                    choice = Some(RevertChoice::Revert);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(RevertChoice::Cancel);
                }
            });
        });
        if choice.is_none() && super::escape_pressed(ctx) {
            choice = Some(RevertChoice::Cancel);
        }
        choice
    }
}
