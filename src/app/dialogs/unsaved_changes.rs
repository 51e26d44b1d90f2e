//! "Save changes?" — asked before a command would drop unsaved edits.

use crate::app::system_command::Request;

/// The guard shown before `then` runs over unsaved edits.
#[derive(Debug)]
pub struct UnsavedChangesDialog {
    /// What runs once the user saved or chose not to.
    pub then: Request,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedChangesChoice {
    /// Save, then go on.
    Save,
    /// Drop the edits and go on.
    DontSave,
    /// Go back to editing.
    Cancel,
}

impl UnsavedChangesDialog {
    /// Draws the question about the post called `name`.
    pub fn ui(&mut self, ctx: &egui::Context, name: &str) -> Option<UnsavedChangesChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved-guard")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Save changes?");
            ui.label(format!("{name} has unsaved changes."));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(UnsavedChangesChoice::Save);
                }
                if ui.button("Don't save").clicked() {
                    choice = Some(UnsavedChangesChoice::DontSave);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(UnsavedChangesChoice::Cancel);
                }
            });
        });
        if choice.is_none() && super::escape_pressed(ctx) {
            choice = Some(UnsavedChangesChoice::Cancel);
        }
        choice
    }
}
