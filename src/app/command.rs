//! Every user action in the window, with its label, shortcut and enabled state, so menus,
//! shortcuts and tests all go through one place.

use egui::{Key, KeyboardShortcut, Modifiers};

use strum::{EnumIter, IntoEnumIterator as _};

use crate::markdown::Format;

/// What the editor shows in its main area.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, EnumIter,
)]
pub enum ViewMode {
    /// Markdown editor only.
    EditorOnly,
    /// Preview only.
    PreviewOnly,
    /// Editor and preview side by side.
    #[default]
    Both,
}

/// A user action. The UI records commands while drawing; the app runs them after the frame.
/// Follow-ups that carry data (save to this path, export with `force`) are
/// [`SystemCommand`](super::system_command::SystemCommand)s, not user actions.
#[derive(Debug, Clone, PartialEq, EnumIter)]
pub enum Command {
    /// A new post from the template.
    New,
    /// Open a post (file dialog).
    Open,
    /// Open a Jekyll site folder in the site panel (folder dialog).
    OpenSite,
    /// Find a post of the open site by title or file name (the quick-open box).
    QuickOpen,
    /// Show or hide the site panel.
    ToggleSitePanel,
    /// Save to the post's file.
    Save,
    /// Save under a new name (file dialog).
    SaveAs,
    /// Export the post into a Jekyll site (asks for the site, starting from the last one).
    ExportToSite,
    /// Export the post as a standalone HTML page (asks for the folder).
    ExportHtml,
    /// Move the open draft into `_posts/` with its date, and open it there.
    PublishDraft,
    /// Rename or merge a tag or category across the site (a dialog lists the files first).
    RenameName,
    /// Reload the post from its file, dropping unsaved edits (asks first when modified).
    Revert,
    /// Undo the last edit, form or body.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Cut the selection of the focused text field to the clipboard.
    Cut,
    /// Copy the selection of the focused text field to the clipboard.
    Copy,
    /// Paste the clipboard into the focused text field.
    Paste,
    /// Apply Markdown formatting to the body's selection.
    Format(Format),
    /// Show the find bar.
    Find,
    /// Show the find-and-replace bar.
    Replace,
    /// Switch the main area's layout.
    View(ViewMode),
    /// Show or hide the front-matter form.
    ToggleForm,
    /// Show or hide the preview beside the editor.
    TogglePreview,
    /// Show or hide the outline of the post's headings.
    ToggleOutline,
    /// Show the post in its site's own theme in the browser, live as it is typed.
    PreviewInSiteTheme,
    /// Build the site with the local `jekyll` (on a copy, with the unsaved text) and show
    /// the exact page it writes.
    BuildWithJekyll,
    /// Close the window (asks first when there are unsaved edits).
    Quit,
}

impl Command {
    /// The menu label.
    pub fn label(&self) -> String {
        match self {
            Command::New => "New".into(),
            Command::Open => "Open…".into(),
            Command::OpenSite => "Open site…".into(),
            Command::QuickOpen => "Quick open…".into(),
            Command::ToggleSitePanel => "Site panel".into(),
            Command::Save => "Save".into(),
            Command::SaveAs => "Save As…".into(),
            Command::ExportToSite => "Export to site…".into(),
            Command::ExportHtml => "Export HTML…".into(),
            Command::PublishDraft => "Publish draft".into(),
            Command::RenameName => "Rename tag or category…".into(),
            Command::Revert => "Revert to Saved".into(),
            Command::Cut => "Cut".into(),
            Command::Copy => "Copy".into(),
            Command::Paste => "Paste".into(),
            Command::ToggleForm => "Front matter".into(),
            Command::TogglePreview => "Preview".into(),
            Command::ToggleOutline => "Outline".into(),
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
            Command::PreviewInSiteTheme => "Preview in site theme".into(),
            Command::BuildWithJekyll => "Build with Jekyll".into(),
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
            Command::QuickOpen => (cmd, Key::P),
            Command::ToggleSitePanel => (cmd_shift, Key::E),
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
            Command::ToggleForm => (cmd_shift, Key::M),
            Command::TogglePreview => (cmd_shift, Key::P),
            Command::ToggleOutline => (cmd_shift, Key::O),
            Command::PreviewInSiteTheme => (cmd_shift, Key::B),
            _ => return None,
        };
        Some(KeyboardShortcut::new(modifiers, key))
    }

    /// True when the command does something in the current state.
    pub fn is_enabled(&self, state: &CommandState) -> bool {
        match self {
            Command::Undo => state.can_undo,
            Command::PublishDraft => state.is_draft,
            Command::Redo => state.can_redo,
            Command::Format(_) | Command::Find | Command::Replace => state.is_editor_visible,
            Command::Revert => state.has_file,
            Command::PreviewInSiteTheme => state.is_in_site,
            Command::BuildWithJekyll => state.can_build_with_jekyll,
            _ => true,
        }
    }

    /// True when running the command would drop unsaved edits (so the guard asks first).
    /// Open asks only once a file was chosen (`SystemCommand::OpenPath`), not before the dialog.
    pub fn discards_edits(&self) -> bool {
        matches!(self, Command::New | Command::Quit)
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
    /// The open post is a draft (in `_drafts/`), which Publish draft moves.
    pub is_draft: bool,
    /// The post has a file (Revert has something to reload).
    pub has_file: bool,
    /// The front-matter form is on screen.
    pub is_form_visible: bool,
    /// The preview is on screen beside the editor.
    pub is_preview_visible: bool,
    /// The outline is on screen.
    pub is_outline_visible: bool,
    /// The post has a file inside a Jekyll site (the theme preview can show it).
    pub is_in_site: bool,
    /// The post is in a site and a local `jekyll` can build it.
    pub can_build_with_jekyll: bool,
}

// --- Derived lists: every command, and the shortcut table built from `shortcut()` ---

impl Command {
    /// Every command, each formatting and view choice included, in declaration order: menus,
    /// the shortcut table and tests enumerate commands from here, never from a hand-kept list.
    pub fn all() -> impl Iterator<Item = Command> {
        Command::iter().flat_map(|command| -> Vec<Command> {
            match command {
                Command::Format(_) => Format::iter().map(Command::Format).collect(),
                Command::View(_) => ViewMode::iter().map(Command::View).collect(),
                other => vec![other],
            }
        })
    }

    /// The shortcut a menu shows for the command: its own, or the one the text fields already
    /// answer to themselves (Cut, Copy and Paste arrive as clipboard events, not as keys).
    pub fn shortcut_shown(&self) -> Option<KeyboardShortcut> {
        let key = match self {
            Command::Cut => Key::X,
            Command::Copy => Key::C,
            Command::Paste => Key::V,
            _ => return self.shortcut(),
        };
        Some(KeyboardShortcut::new(Modifiers::COMMAND, key))
    }

    /// The side panel a toggle command shows or hides.
    pub fn toggled_panel(&self) -> Option<super::layout::SidePanel> {
        use super::layout::SidePanel;
        match self {
            Command::ToggleForm => Some(SidePanel::Form),
            Command::TogglePreview => Some(SidePanel::Preview),
            Command::ToggleOutline => Some(SidePanel::Outline),
            _ => None,
        }
    }

    /// A second shortcut some commands also answer to (Ctrl+Y for Redo, as on Windows).
    pub fn alternative_shortcut(&self) -> Option<KeyboardShortcut> {
        match self {
            Command::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)),
            _ => None,
        }
    }

    /// Every shortcut with its command, derived from [`Command::shortcut`] and
    /// [`Command::alternative_shortcut`], ordered so a shortcut with more modifiers is tried
    /// first (egui matches Ctrl+S when Ctrl+Shift+S is pressed).
    pub fn shortcut_table() -> Vec<(KeyboardShortcut, Command)> {
        let mut table: Vec<(KeyboardShortcut, Command)> = Command::all()
            .flat_map(|command| {
                [command.shortcut(), command.alternative_shortcut()]
                    .into_iter()
                    .flatten()
                    .map(move |shortcut| (shortcut, command.clone()))
            })
            .collect();
        table.sort_by_key(|(shortcut, _)| {
            let m = shortcut.modifiers;
            std::cmp::Reverse(u8::from(m.shift) + u8::from(m.alt))
        });
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formatting_and_view_choice_is_a_command() {
        let all: Vec<Command> = Command::all().collect();
        for format in Format::iter() {
            assert!(all.contains(&Command::Format(format)));
        }
        for mode in ViewMode::iter() {
            assert!(all.contains(&Command::View(mode)));
        }
        assert!(all.contains(&Command::Quit));
        for command in &all {
            assert!(!command.label().is_empty(), "{command:?} has no label");
        }
    }

    #[test]
    fn shortcuts_do_not_clash() {
        let table = Command::shortcut_table();
        assert!(table.len() >= 12, "the usual shortcuts are there");
        for (i, (a, command_a)) in table.iter().enumerate() {
            for (b, command_b) in table.iter().skip(i + 1) {
                assert_ne!(a, b, "{command_a:?} and {command_b:?} share a shortcut");
            }
        }
        // Pressing each shortcut runs its own command: the first entry egui would match is it.
        for (pressed, command) in &table {
            let (_, first_match) = table
                .iter()
                .find(|(s, _)| {
                    s.logical_key == pressed.logical_key
                        && pressed.modifiers.matches_logically(s.modifiers)
                })
                .unwrap();
            assert_eq!(first_match, command, "{pressed:?}");
        }
    }

    #[test]
    fn menu_shortcuts_are_the_familiar_ones() {
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        let save_as = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
        assert_eq!(Command::Save.shortcut(), Some(save));
        assert_eq!(Command::SaveAs.shortcut(), Some(save_as));
        assert!(Command::Redo.alternative_shortcut().is_some());
    }
}
