//! Asked when an export would replace a different post already in the site.

use std::path::PathBuf;

/// The question before an export overwrites `target` in `site`.
#[derive(Debug)]
pub struct ConfirmOverwriteDialog {
    /// The site being exported to.
    pub site: PathBuf,
    /// The post file in the site that would be replaced.
    pub target: PathBuf,
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOverwriteChoice {
    /// Export again, replacing the post in `site`.
    Overwrite {
        /// The site to export to.
        site: PathBuf,
    },
    /// Leave the site as it is.
    Cancel,
}

impl ConfirmOverwriteDialog {
    /// Draws the question.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ConfirmOverwriteChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("confirm-overwrite")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Overwrite the post in the site?");
            ui.label(format!(
                "{} already exists in the site with different content.",
                self.target.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Overwrite").clicked() {
                    choice = Some(ConfirmOverwriteChoice::Overwrite {
                        site: self.site.clone(),
                    });
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(ConfirmOverwriteChoice::Cancel);
                }
            });
        });
        if choice.is_none() && super::escape_pressed(ctx) {
            choice = Some(ConfirmOverwriteChoice::Cancel);
        }
        choice
    }
}
