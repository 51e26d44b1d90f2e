//! The menu bar: File, Edit and View, built from [`Command`]s (labels, shortcuts, enabled
//! state). It only records what was chosen; the app runs it after the frame.

use super::command::{Command, CommandState, ViewMode};
use super::settings::Settings;
use super::system_command::SystemCommand;
use crate::markdown::Format;

/// What the user chose in the menus this frame.
#[derive(Debug, Default)]
pub struct MenuChoices {
    /// User commands, in the order chosen.
    pub commands: Vec<Command>,
    /// Follow-ups with data (a recent file to open).
    pub system: Vec<SystemCommand>,
}

/// Draws the menu bar. Preferences in the View menu change `settings` directly.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    state: &CommandState,
) -> MenuChoices {
    let mut chosen = MenuChoices::default();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            for command in [
                Command::New,
                Command::Open,
                Command::OpenSite,
                Command::QuickOpen,
            ] {
                item(ui, command, state, &mut chosen.commands);
            }
            ui.menu_button("Open Recent", |ui| {
                if settings.recent_files.is_empty() {
                    ui.weak("No recent files");
                }
                for path in settings.recent_files.paths() {
                    if ui.button(path.display().to_string()).clicked() {
                        chosen.system.push(SystemCommand::OpenPath(path.clone()));
                    }
                }
            });
            ui.separator();
            for command in [Command::Save, Command::SaveAs, Command::Revert] {
                item(ui, command, state, &mut chosen.commands);
            }
            ui.separator();
            for command in [Command::ExportToSite, Command::ExportHtml] {
                item(ui, command, state, &mut chosen.commands);
            }
            ui.separator();
            for command in [Command::PublishDraft, Command::RenameName] {
                item(ui, command, state, &mut chosen.commands);
            }
            ui.separator();
            item(ui, Command::Quit, state, &mut chosen.commands);
        });
        ui.menu_button("Edit", |ui| {
            for command in [
                Command::Undo,
                Command::Redo,
                Command::Cut,
                Command::Copy,
                Command::Paste,
                Command::Find,
                Command::Replace,
            ] {
                let is_group_end = command == Command::Redo || command == Command::Paste;
                item(ui, command, state, &mut chosen.commands);
                if is_group_end {
                    ui.separator();
                }
            }
            ui.separator();
            for format in [
                Format::Bold,
                Format::Italic,
                Format::Code,
                Format::Link,
                Format::Heading,
            ] {
                item(ui, Command::Format(format), state, &mut chosen.commands);
            }
        });
        ui.menu_button("View", |ui| {
            for mode in [ViewMode::Both, ViewMode::EditorOnly, ViewMode::PreviewOnly] {
                let mut selected = settings.view == mode;
                if ui
                    .toggle_value(&mut selected, Command::View(mode).label())
                    .clicked()
                {
                    chosen.commands.push(Command::View(mode));
                }
            }
            ui.separator();
            item(ui, Command::ToggleSitePanel, state, &mut chosen.commands);
            for (command, is_visible) in [
                (Command::ToggleForm, state.is_form_visible),
                (Command::ToggleOutline, state.is_outline_visible),
                (Command::TogglePreview, state.is_preview_visible),
            ] {
                toggle_item(ui, command, is_visible, &mut chosen.commands);
            }
            ui.separator();
            for command in [Command::PreviewInSiteTheme, Command::BuildWithJekyll] {
                item(ui, command, state, &mut chosen.commands);
            }
            ui.separator();
            settings.preferences_ui(ui);
        });
    });
    chosen
}

/// One menu entry for `command`, with its shortcut, greyed out when it would do nothing.
fn item(ui: &mut egui::Ui, command: Command, state: &CommandState, chosen: &mut Vec<Command>) {
    let mut button = egui::Button::new(command.label());
    if let Some(shortcut) = command.shortcut_shown() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add_enabled(command.is_enabled(state), button).clicked() {
        chosen.push(command);
    }
}

/// A checked menu entry for a command that shows or hides a panel.
fn toggle_item(ui: &mut egui::Ui, command: Command, is_visible: bool, chosen: &mut Vec<Command>) {
    let mut button = egui::Button::selectable(is_visible, command.label());
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add(button).clicked() {
        chosen.push(command);
    }
}
