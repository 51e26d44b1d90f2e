//! Every user action in the window, with its label, shortcut and enabled state, so menus,
//! shortcuts and tests all go through one place.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::markdown::Format;

/// What the editor shows in its main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// Markdown editor only.
    EditorOnly,
    /// Preview only.
    PreviewOnly,
    /// Editor and preview side by side.
    Both,
}

/// A user action. The UI records commands while drawing; the app runs them after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A new post from the template.
    New,
    /// Open a post (file dialog).
    Open,
    /// Open this post (recent files, drag and drop, the in-app path dialog).
    OpenPath(PathBuf),
    /// Save to the post's file.
    Save,
    /// Save under a new name (file dialog).
    SaveAs,
    /// Save to this path (the in-app path dialog).
    SaveTo(PathBuf),
    /// Export the post into a Jekyll site (asks for the site, starting from the last one).
    ExportToSite,
    /// Export into this site; `force` overwrites a different post already there.
    ExportToSiteAt {
        /// The site folder.
        site: PathBuf,
        /// Overwrite after the user confirmed.
        force: bool,
    },
    /// Export the post as a standalone HTML page (asks for the folder).
    ExportHtml,
    /// Export the HTML page into this folder.
    ExportHtmlTo(PathBuf),
    /// Undo the last edit, form or body.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Apply Markdown formatting to the body's selection.
    Format(Format),
    /// Show the find bar.
    Find,
    /// Show the find-and-replace bar.
    Replace,
    /// Switch the main area's layout.
    View(ViewMode),
    /// Close the window (asks first when there are unsaved edits).
    Quit,
}

impl Command {
    /// The commands that have keyboard shortcuts, in the order they are matched (shifted
    /// shortcuts first, since egui ignores extra Shift when matching).
    pub const WITH_SHORTCUTS: &'static [Command] = &[
        Command::SaveAs,
        Command::Redo,
        Command::Format(Format::Code),
        Command::New,
        Command::Open,
        Command::Save,
        Command::Undo,
        Command::Format(Format::Bold),
        Command::Format(Format::Italic),
        Command::Format(Format::Link),
        Command::Find,
        Command::Replace,
        Command::Quit,
    ];

    /// The menu label.
    pub fn label(&self) -> String {
        match self {
            Command::New => "New".into(),
            Command::Open => "Open…".into(),
            Command::OpenPath(path) => path.display().to_string(),
            Command::Save => "Save".into(),
            Command::SaveAs => "Save As…".into(),
            Command::SaveTo(path) => format!("Save to {}", path.display()),
            Command::ExportToSite => "Export to site…".into(),
            Command::ExportToSiteAt { site, .. } => format!("Export to {}", site.display()),
            Command::ExportHtml => "Export HTML…".into(),
            Command::ExportHtmlTo(dir) => format!("Export HTML to {}", dir.display()),
            Command::Undo => "Undo".into(),
            Command::Redo => "Redo".into(),
            Command::Format(Format::Bold) => "Bold".into(),
            Command::Format(Format::Italic) => "Italic".into(),
            Command::Format(Format::Code) => "Code".into(),
            Command::Format(Format::Link) => "Link".into(),
            Command::Format(Format::Heading) => "Heading".into(),
            Command::Find => "Find".into(),
            Command::Replace => "Find and Replace".into(),
            Command::View(ViewMode::EditorOnly) => "Editor only".into(),
            Command::View(ViewMode::PreviewOnly) => "Preview only".into(),
            Command::View(ViewMode::Both) => "Editor and preview".into(),
            Command::Quit => "Quit".into(),
        }
    }

    /// The keyboard shortcut, if the command has one.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let (modifiers, key) = match self {
            Command::New => (cmd, Key::N),
            Command::Open => (cmd, Key::O),
            Command::Save => (cmd, Key::S),
            Command::SaveAs => (cmd_shift, Key::S),
            Command::Undo => (cmd, Key::Z),
            Command::Redo => (cmd_shift, Key::Z),
            Command::Format(Format::Bold) => (cmd, Key::B),
            Command::Format(Format::Italic) => (cmd, Key::I),
            Command::Format(Format::Link) => (cmd, Key::K),
            Command::Format(Format::Code) => (cmd_shift, Key::C),
            Command::Find => (cmd, Key::F),
            Command::Replace => (cmd, Key::H),
            Command::Quit => (cmd, Key::Q),
            _ => return None,
        };
        Some(KeyboardShortcut::new(modifiers, key))
    }

    /// True when the command does something in the current state.
    pub fn is_enabled(&self, state: &CommandState) -> bool {
        match self {
            Command::Undo => state.can_undo,
            Command::Redo => state.can_redo,
            Command::Format(_) | Command::Find | Command::Replace => state.is_editor_visible,
            _ => true,
        }
    }

    /// True when running the command would drop unsaved edits (so the guard asks first).
    pub fn discards_edits(&self) -> bool {
        matches!(
            self,
            Command::New | Command::Open | Command::OpenPath(_) | Command::Quit
        )
    }
}

/// What commands need to know to say whether they are enabled.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandState {
    /// Something to undo.
    pub can_undo: bool,
    /// Something to redo.
    pub can_redo: bool,
    /// The Markdown editor is on screen.
    pub is_editor_visible: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_unique_and_shifted_ones_come_first() {
        let shortcuts: Vec<KeyboardShortcut> = Command::WITH_SHORTCUTS
            .iter()
            .filter_map(Command::shortcut)
            .collect();
        assert_eq!(shortcuts.len(), Command::WITH_SHORTCUTS.len());
        for (i, a) in shortcuts.iter().enumerate() {
            for b in shortcuts.iter().skip(i + 1) {
                assert_ne!(a, b);
                // A later shortcut must not swallow an earlier shifted one.
                if a.logical_key == b.logical_key {
                    assert!(a.modifiers.shift && !b.modifiers.shift);
                }
            }
        }
    }
}
