//! Asked when a save finds that another program changed the file since it was opened.

/// The question shown when saving would overwrite someone else's changes.
#[derive(Debug, Default)]
pub struct ChangedOnDiskDialog;

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedOnDiskChoice {
    /// Save over the other program's changes.
    Overwrite,
    /// Save under another name instead.
    SaveAs,
    /// Do not save.
    Cancel,
}

impl ChangedOnDiskDialog {
    /// Draws the question.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ChangedOnDiskChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("changed-on-disk")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("The file changed on disk");
            ui.label(
                "Another program changed this post since you opened it. \
                 Saving would overwrite its changes.",
            );
            ui.horizontal(|ui| {
                if ui.button("Overwrite").clicked() {
                    choice = Some(ChangedOnDiskChoice::Overwrite);
                }
                if ui.button("Save As…").clicked() {
                    choice = Some(ChangedOnDiskChoice::SaveAs);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(ChangedOnDiskChoice::Cancel);
                }
            });
        });
        if choice.is_none() && super::escape_pressed(ctx) {
            choice = Some(ChangedOnDiskChoice::Cancel);
        }
        choice
    }
}
