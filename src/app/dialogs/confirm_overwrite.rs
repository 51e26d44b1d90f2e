//! Asked when an export would replace a different file already at its target: a post in a
//! site, or an HTML page that was there before this export.

use std::path::PathBuf;

use crate::app::system_command::SystemCommand;

/// Which export asks, so the question and the retry fit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverwriteTarget {
    /// A post file in this Jekyll site.
    Site(PathBuf),
    /// An HTML page in this folder.
    HtmlFolder(PathBuf),
}

/// The question before an export overwrites `existing`.
#[derive(Debug)]
pub struct ConfirmOverwriteDialog {
    /// Where the export goes.
    pub target: OverwriteTarget,
    /// The file that would be replaced.
    pub existing: PathBuf,
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmOverwriteChoice {
    /// Export again with `force`, replacing the file: the export to run.
    Overwrite(SystemCommand),
    /// Leave the file as it is.
    Cancel,
}

impl ConfirmOverwriteDialog {
    /// The same export again, this time allowed to replace the file.
    fn forced_retry(&self) -> SystemCommand {
        match &self.target {
            OverwriteTarget::Site(site) => SystemCommand::ExportToSite {
                site: site.clone(),
                force: true,
            },
            OverwriteTarget::HtmlFolder(dir) => SystemCommand::ExportHtmlTo {
                dir: dir.clone(),
                force: true,
            },
        }
    }

    /// Draws the question.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ConfirmOverwriteChoice> {
        let mut choice = None;
        let (heading, place) = match self.target {
            OverwriteTarget::Site(_) => ("Overwrite the post in the site?", "in the site"),
            OverwriteTarget::HtmlFolder(_) => ("Overwrite the page?", "in the folder"),
        };
        egui::Modal::new(egui::Id::unique("confirm-overwrite")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading(heading);
            ui.label(format!(
                "{} already exists {place} with different content.",
                self.existing.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Overwrite").clicked() {
                    choice = Some(ConfirmOverwriteChoice::Overwrite(self.forced_retry()));
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
