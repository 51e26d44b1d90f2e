//! Rename or merge a tag or category across the site: pick the name, type the new one, see
//! every file the change will touch (a dry run of the same operation as
//! `byline tags --rename`) before saying Rename.

use std::sync::Arc;

use crate::site::Site;
use crate::site::names::{NameKind, RenameOutcome, name_counts, rename_across_site};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameNameChoice {
    /// Rename `old` to `new` in every post of the site that carries it.
    Rename {
        /// Tags or categories.
        kind: NameKind,
        /// The name now.
        old: String,
        /// The name wanted (an existing one merges the two).
        new: String,
    },
    /// Nothing changes.
    Cancel,
}

/// Tags or categories, the name now and the name wanted.
type RenameKey = (NameKind, String, String);

/// The dialog's state: the site, the names typed, and the dry run for them.
pub struct RenameNameDialog {
    site: Arc<Site>,
    kind: NameKind,
    old: String,
    new: String,
    /// The dry run, for the (kind, old, new) it was computed for.
    preview: Option<(RenameKey, Vec<(String, RenameOutcome)>)>,
}

impl std::fmt::Debug for RenameNameDialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenameNameDialog")
            .field("site", &self.site.root)
            .field("kind", &self.kind)
            .field("old", &self.old)
            .field("new", &self.new)
            .finish_non_exhaustive()
    }
}

impl RenameNameDialog {
    /// A dialog over `site`, starting with tags.
    pub fn new(site: Arc<Site>) -> RenameNameDialog {
        RenameNameDialog {
            site,
            kind: NameKind::Tags,
            old: String::new(),
            new: String::new(),
            preview: None,
        }
    }

    /// The files the rename would change (a dry run), computed once per input.
    fn preview(&mut self) -> &[(String, RenameOutcome)] {
        let key = (
            self.kind,
            self.old.trim().to_string(),
            self.new.trim().to_string(),
        );
        if self.preview.as_ref().map(|(k, _)| k) != Some(&key) {
            let outcomes = if key.1.is_empty() || key.2.is_empty() || key.1 == key.2 {
                Vec::new()
            } else {
                rename_across_site(&self.site, key.0, &key.1, &key.2, true)
            };
            self.preview = Some((key, outcomes));
        }
        self.preview.as_ref().map_or(&[], |(_, p)| p.as_slice())
    }

    /// Draws the dialog; returns the choice in the frame it is made.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<RenameNameChoice> {
        let mut choice = None;
        let counts = name_counts(&self.site, self.kind);
        egui::Modal::new(egui::Id::unique("rename-name")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Rename a tag or category across the site");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.kind, NameKind::Tags, "Tags");
                ui.radio_value(&mut self.kind, NameKind::Categories, "Categories");
            });
            ui.horizontal(|ui| {
                let label = ui.label("Current name");
                ui.text_edit_singleline(&mut self.old).labelled_by(label.id);
            });
            egui::ScrollArea::vertical()
                .id_salt("rename-name-existing")
                .max_height(90.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (name, count) in &counts {
                            if ui
                                .selectable_label(self.old == *name, format!("{name} ({count})"))
                                .clicked()
                            {
                                self.old.clone_from(name);
                            }
                        }
                    });
                });
            ui.horizontal(|ui| {
                let label = ui.label("New name");
                ui.text_edit_singleline(&mut self.new).labelled_by(label.id);
            });
            let new = self.new.trim().to_string();
            if let Some((_, count)) = counts.iter().find(|(name, _)| *name == new) {
                ui.label(format!(
                    "`{new}` exists ({count} posts): the two names merge into it"
                ));
            }
            let preview = self.preview().to_vec();
            let renamed = preview
                .iter()
                .filter(|(_, o)| *o == RenameOutcome::Renamed)
                .count();
            if !self.old.trim().is_empty() && !new.is_empty() {
                ui.label(format!(
                    "Will change {renamed} {}:",
                    if renamed == 1 { "file" } else { "files" }
                ));
            }
            egui::ScrollArea::vertical()
                .id_salt("rename-name-files")
                .max_height(180.0)
                .show(ui, |ui| {
                    for (path, outcome) in &preview {
                        match outcome {
                            RenameOutcome::Renamed => {
                                ui.label(path);
                            }
                            RenameOutcome::NotInFile => {
                                ui.weak(format!(
                                    "{path}: the name comes from a folder or defaults, not the file"
                                ));
                            }
                            RenameOutcome::Failed(why) => {
                                ui.colored_label(
                                    ui.visuals().error_fg_color,
                                    format!("{path}: {why}"),
                                );
                            }
                        }
                    }
                });
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(renamed > 0, egui::Button::new("Rename"))
                    .clicked()
                {
                    choice = Some(RenameNameChoice::Rename {
                        kind: self.kind,
                        old: self.old.trim().to_string(),
                        new: new.clone(),
                    });
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(RenameNameChoice::Cancel);
                }
            });
        });
        if super::escape_pressed(ctx) {
            choice = Some(RenameNameChoice::Cancel);
        }
        choice
    }
}
