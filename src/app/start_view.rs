//! The start view, shown when Byline starts without a post and the last one is gone: start a new
//! post, open one, reopen a recent one, or try a copy of the embedded sample post.

use std::path::{Path, PathBuf};

use super::command::Command;
use super::system_command::SystemCommand;

/// What the user chose on the start view this frame.
#[derive(Debug, Default)]
pub struct StartChoices {
    /// User commands (New, Open…).
    pub commands: Vec<Command>,
    /// Follow-ups with data (a recent file, the sample).
    pub system: Vec<SystemCommand>,
}

/// The label of the button that opens a copy of the sample post.
pub const TRY_SAMPLE_LABEL: &str = "Try the sample";

/// Draws the start view in `ui`, listing the `recent` files that still exist.
pub fn start_view_ui(ui: &mut egui::Ui, recent: &[PathBuf]) -> StartChoices {
    let mut chosen = StartChoices::default();
    egui::ScrollArea::vertical()
        .id_salt("start-view")
        .auto_shrink(false)
        .show(ui, |ui| {
            let width = ui.available_width().min(560.0);
            let margin = ((ui.available_width() - width) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(margin);
                ui.vertical(|ui| {
                    ui.set_max_width(width);
                    ui.add_space(48.0);
                    ui.label(egui::RichText::new("Byline").size(34.0).strong());
                    ui.label("Write Jekyll posts. Byline never changes a byte you did not edit.");
                    ui.add_space(24.0);
                    section(ui, "Start");
                    let button = |text: &str| {
                        egui::Button::new(egui::RichText::new(text).size(16.0))
                            .min_size(egui::vec2(180.0, 32.0))
                    };
                    ui.horizontal_wrapped(|ui| {
                        if ui.add(button("New post")).clicked() {
                            chosen.commands.push(Command::New);
                        }
                        if ui.add(button(&Command::Open.label())).clicked() {
                            chosen.commands.push(Command::Open);
                        }
                    });
                    ui.add_space(20.0);
                    section(ui, "Recent");
                    let existing: Vec<&PathBuf> = recent.iter().filter(|p| p.is_file()).collect();
                    if existing.is_empty() {
                        ui.weak("Posts you open will be listed here.");
                    }
                    for path in existing {
                        let response = ui
                            .add(egui::Button::new(file_name(path)).frame(false))
                            .on_hover_text(path.display().to_string());
                        if let Some(folder) = path.parent() {
                            ui.weak(folder.display().to_string());
                        }
                        ui.add_space(4.0);
                        if response.clicked() {
                            chosen.system.push(SystemCommand::OpenPath(path.clone()));
                        }
                    }
                    ui.add_space(20.0);
                    section(ui, "New to Byline?");
                    ui.label(
                        "Open your own copy of a short sample post, with its header image, \
                         to see the form, the editor and the preview at work.",
                    );
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        if ui.add(button(TRY_SAMPLE_LABEL)).clicked() {
                            chosen.system.push(SystemCommand::OpenSample);
                        }
                    });
                });
            });
        });
    chosen
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.label(egui::RichText::new(title).size(18.0).strong());
    ui.add_space(6.0);
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
