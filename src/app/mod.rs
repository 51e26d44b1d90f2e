//! The editor window: the front-matter form, the Markdown editor and the live preview, wired to
//! the post model. This file holds the app's state and lays out one frame; what commands do is
//! in `command_handling`, the per-frame journal and disk checks in `upkeep`, and menus,
//! settings, notifications, the status bar and each dialog in their own modules.

pub mod command;
mod command_handling;
pub mod dialogs;
pub mod editor;
pub mod fonts;
pub mod form;
mod images_in_post;
pub mod layout;
pub mod menu;
mod name_suggestions;
pub mod notifications;
pub mod outline;
pub mod preview;
pub mod publishing;
pub mod quick_open;
mod rename_hint;
pub mod settings;
pub mod site_panel;
pub mod spelling;
pub mod start_view;
pub mod status_bar;
pub mod system_command;
pub mod theme_preview;
mod upkeep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use command::{Command, CommandState, ViewMode};
use dialogs::{Dialog, DialogAnswer};
use editor::EditorPanel;
use egui::KeyboardShortcut;
use form::FormPanel;
use layout::{Layout, SidePanel};
use notifications::Notifications;
use outline::OutlinePanel;
use preview::PreviewPanel;
use status_bar::StatusBar;
use system_command::{Request, SystemCommand};

pub use settings::{Settings, ThemeChoice};

use crate::document::Document;
use crate::post::Post;
use crate::session::Session;

/// How the app asks for file paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileDialogs {
    /// The desktop's dialog (rfd), falling back to the in-app one when none appears.
    Native,
    /// Only the in-app path dialog (tests, and desktops without a file-dialog portal).
    InApp,
}

/// How the window starts.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// The post to open; when None, the last post if it still exists, else the start view.
    pub file: Option<PathBuf>,
    /// Which file dialogs to use.
    pub dialogs: FileDialogs,
    /// Where unsaved edits are journaled (None: not journaled).
    pub journal: Option<crate::journal::Journal>,
}

/// The Byline window.
pub struct BylineApp {
    /// The open post.
    pub doc: Document,
    /// Remembered settings.
    pub settings: Settings,
    form: FormPanel,
    editor: EditorPanel,
    preview: PreviewPanel,
    status_bar: StatusBar,
    notifications: Notifications,
    session: Session,
    /// User commands recorded this frame, run after drawing.
    commands: Vec<Command>,
    /// Internal follow-ups recorded this frame, run after the user commands.
    system_commands: Vec<SystemCommand>,
    /// Every shortcut with its command, derived once from [`Command`].
    shortcuts: Vec<(KeyboardShortcut, Command)>,
    dialog: Option<Dialog>,
    /// What the user answered in a dialog this frame, carried out after drawing.
    dialog_answer: Option<DialogAnswer>,
    file_dialogs: FileDialogs,
    /// The user already agreed to drop unsaved edits for the command about to run.
    is_discard_confirmed: bool,
    window_title: String,
    /// The start view replaces the form, editor and preview until a post is opened or begun.
    is_start_view_shown: bool,
    /// Where the sample site is copied (Byline's data folder).
    data_dir: Option<PathBuf>,
    site_panel: site_panel::SitePanel,
    quick_open: quick_open::QuickOpen,
    /// The window's context, for background threads to ask for a repaint.
    egui_ctx: egui::Context,
    outline: OutlinePanel,
    /// The side panels shown in the last frame.
    layout: Layout,
    /// The panel the user showed last: it stays when the window is too narrow for all.
    panel_priority: Option<SidePanel>,
    /// The text field that had the keyboard focus last (Edit → Cut, Copy and Paste act on it).
    last_text_focus: Option<egui::Id>,
    /// A clipboard action from the Edit menu, sent to the focused text field next frame.
    clipboard_request: Option<egui::ViewportCommand>,
    /// View → Preview in site theme: its server, address and problems.
    theme_preview: theme_preview::ThemePreview,
}

impl BylineApp {
    /// Creates the app, restoring settings and opening the start file.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> BylineApp {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        BylineApp::with_settings(&cc.egui_ctx, settings, options)
    }

    /// Creates the app on an egui context with given settings (benchmarks drive it directly).
    pub fn with_settings(
        ctx: &egui::Context,
        settings: Settings,
        options: StartOptions,
    ) -> BylineApp {
        egui_extras::install_image_loaders(ctx);
        fonts::install_fallback_fonts(ctx);
        let mut app = BylineApp {
            doc: Document::untitled(Post::from_text("")),
            form: FormPanel::default(),
            editor: EditorPanel::default(),
            settings,
            preview: PreviewPanel::default(),
            status_bar: StatusBar::default(),
            notifications: Notifications::default(),
            session: Session::new(options.journal, Instant::now()),
            commands: Vec::new(),
            system_commands: Vec::new(),
            shortcuts: Command::shortcut_table(),
            dialog: None,
            dialog_answer: None,
            file_dialogs: options.dialogs,
            is_discard_confirmed: false,
            window_title: String::new(),
            is_start_view_shown: false,
            data_dir: crate::sample::data_dir(),
            site_panel: site_panel::SitePanel::default(),
            quick_open: quick_open::QuickOpen::default(),
            egui_ctx: ctx.clone(),
            outline: OutlinePanel::default(),
            layout: Layout::default(),
            panel_priority: None,
            last_text_focus: None,
            clipboard_request: None,
            theme_preview: theme_preview::ThemePreview::default(),
        };
        app.form.recent_authors = app.settings.recent_authors.clone();
        app.editor.font_size = app.settings.font_size;
        app.editor.spelling.words_file = app.data_dir.as_deref().map(spelling::added_words_path);
        let last_post = app.settings.last_post.clone().filter(|p| p.is_file());
        match options.file.or(last_post) {
            // `byline DIR`: the site in the panel, the start view beside it until a post opens.
            Some(folder) if folder.is_dir() => {
                app.open_site(&folder);
                app.is_start_view_shown = true;
            }
            Some(file) => app.open_path(&file),
            None => app.is_start_view_shown = true,
        }
        if app.site_panel.root().is_none()
            && let Some(site) = app.settings.open_site.clone().filter(|s| s.is_dir())
        {
            app.open_site(&site);
        }
        app.offer_recovery();
        app.settings.apply_theme(ctx);
        app
    }

    /// Records a user command to run after this frame (menus, shortcuts and tests use this).
    pub fn request(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Records an internal follow-up (open this path, export with force…) to run after this
    /// frame.
    pub fn request_system(&mut self, command: SystemCommand) {
        self.system_commands.push(command);
    }

    /// The message in the status bar.
    pub fn status(&self) -> &str {
        self.notifications.status()
    }

    /// The status line and the notifications on screen.
    pub fn notifications(&self) -> &Notifications {
        &self.notifications
    }

    /// True while a dialog is waiting for an answer.
    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// True while the start view is shown instead of a post.
    pub fn is_start_view_shown(&self) -> bool {
        self.is_start_view_shown
    }

    /// Copies the sample site into `dir` instead of Byline's data folder (tests).
    pub fn set_data_dir(&mut self, dir: &Path) {
        self.data_dir = Some(dir.to_path_buf());
        self.editor.spelling.words_file = Some(spelling::added_words_path(dir));
    }

    /// The Markdown the preview shows now.
    pub fn preview_markdown(&self) -> &str {
        self.preview.shown_markdown()
    }

    /// The site panel (what it lists, for tests and benchmarks).
    pub fn site_panel(&self) -> &site_panel::SitePanel {
        &self.site_panel
    }

    /// The window title Byline shows now (with a marker when modified).
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    fn command_state(&self) -> CommandState {
        CommandState {
            can_undo: self.doc.can_undo(),
            can_redo: self.doc.can_redo(),
            is_editor_visible: self.settings.view != ViewMode::PreviewOnly,
            is_draft: self.doc.path().is_some_and(crate::site::is_draft_path),
            has_file: self.doc.path().is_some(),
            is_form_visible: self.layout.is_form_shown,
            is_preview_visible: self.layout.is_preview_shown
                || self.settings.view == ViewMode::PreviewOnly,
            is_outline_visible: self.layout.is_outline_shown,
            is_in_site: self.theme_preview.site_root().is_some(),
            can_build_with_jekyll: self.theme_preview.can_build_with_jekyll(),
        }
    }

    /// The side panels on screen in the last frame (tests check the narrow-window rules).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The editor's state (tests read the misspelled words and where text is on screen).
    pub fn editor(&self) -> &EditorPanel {
        &self.editor
    }

    /// The spelling language of the open post: its `lang`, else the setting.
    fn spelling_language(&self) -> String {
        match self.doc.post().get("lang").and_then(|v| v.as_str()) {
            Some(lang) if !lang.trim().is_empty() => lang.trim().to_string(),
            _ => self.settings.spelling_language.clone(),
        }
    }

    /// The outline's headings (tests).
    pub fn outline(&self) -> &OutlinePanel {
        &self.outline
    }

    /// Remembers the focused text field, and sends an Edit-menu clipboard action to it: the
    /// menu's click took the focus, so it is given back first.
    fn clipboard_upkeep(&mut self, ctx: &egui::Context) {
        if let Some(request) = self.clipboard_request.take() {
            if let Some(id) = self.last_text_focus {
                ctx.memory_mut(|m| m.request_focus(id));
            }
            ctx.send_viewport_cmd(request);
        }
        let focused = ctx.memory(|m| m.focused());
        if let Some(id) = focused
            && egui::text_edit::TextEditState::load(ctx, id).is_some()
        {
            self.last_text_focus = Some(id);
        }
    }

    /// Records the commands whose shortcuts were pressed, and a dropped file to open.
    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        let state = self.command_state();
        for (shortcut, command) in &self.shortcuts {
            if ctx.input_mut(|i| i.consume_shortcut(shortcut)) && command.is_enabled(&state) {
                self.commands.push(command.clone());
            }
        }
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            if crate::site::images::is_image_path(&path) {
                self.image_dropped(path);
            } else {
                self.system_commands.push(SystemCommand::OpenPath(path));
            }
        }
        self.image_pasted(ctx);
    }

    /// Draws the open dialog; an answer closes it and waits to be carried out after drawing.
    fn dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        if let Some(answer) = dialog.ui(ctx, &self.doc) {
            self.dialog = None;
            self.dialog_answer = Some(answer);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.is_modified() { "● " } else { "" };
        let title = format!("{marker}{} — Byline", self.doc.display_name());
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    /// Lays out the open post: the form, the editor, its outline and the preview, each side
    /// panel only when the user wants it and it fits beside a comfortable editor.
    fn document_ui(&mut self, ui: &mut egui::Ui) {
        let view = self.settings.view;
        let font = egui::FontId::monospace(self.settings.font_size.max(9.0));
        let char_width = ui.fonts_mut(|f| f.glyph_width(&font, 'x'));
        let editor_min_width = layout::EDITOR_MIN_COLUMNS * char_width + 24.0;
        self.layout = layout::arrange(&layout::LayoutRequest {
            available_width: ui.available_width(),
            editor_min_width,
            wants_form: self.settings.is_form_wanted,
            wants_outline: self.settings.is_outline_wanted && view != ViewMode::PreviewOnly,
            wants_preview: view == ViewMode::Both,
            priority: self.panel_priority,
        });
        let shown = self.layout;
        if shown.has_collapsed() {
            egui::Panel::top("collapsed-panels").show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.weak("Hidden to fit the window:");
                    for (command, is_collapsed) in [
                        (Command::ToggleForm, shown.is_form_collapsed),
                        (Command::ToggleOutline, shown.is_outline_collapsed),
                        (Command::TogglePreview, shown.is_preview_collapsed),
                    ] {
                        if is_collapsed && ui.small_button(command.label()).clicked() {
                            self.commands.push(command);
                        }
                    }
                });
            });
        }
        // Whatever the panels leave, the editor keeps at least its comfortable width unless
        // the user asked for a panel that does not fit.
        let room_for_panels = |ui: &egui::Ui, others: f32| {
            (ui.available_width() - editor_min_width - others).max(layout::FORM_MIN_WIDTH)
        };
        if shown.is_form_shown {
            let preview_room = if shown.is_preview_shown {
                layout::PREVIEW_MIN_WIDTH
            } else {
                0.0
            } + if shown.is_outline_shown {
                layout::OUTLINE_WIDTH
            } else {
                0.0
            };
            let max_width = room_for_panels(ui, preview_room);
            egui::Panel::left("form")
                .resizable(true)
                .default_size(self.settings.form_width.min(max_width))
                .min_size(layout::FORM_MIN_WIDTH)
                .max_size(max_width)
                .show(ui, |ui| {
                    self.form.ui(ui, &mut self.doc);
                    // Only a width the user could choose is remembered (not one a narrow
                    // window forced).
                    let width = ui.available_width().max(layout::FORM_MIN_WIDTH);
                    if width < max_width - 1.0 || width > self.settings.form_width {
                        self.settings.form_width = width;
                    }
                });
        }
        if shown.is_preview_shown {
            let outline_room = if shown.is_outline_shown {
                layout::OUTLINE_WIDTH
            } else {
                0.0
            };
            let max_width = (ui.available_width() - editor_min_width - outline_room)
                .max(layout::PREVIEW_MIN_WIDTH);
            let width = ((ui.available_width() - outline_room) / 2.0).min(max_width);
            egui::Panel::right("preview")
                .resizable(true)
                .default_size(width)
                .min_size(layout::PREVIEW_MIN_WIDTH)
                .max_size(max_width)
                .show(ui, |ui| self.preview.ui(ui));
        }
        if shown.is_outline_shown {
            egui::Panel::right("outline")
                .resizable(false)
                .exact_size(layout::OUTLINE_WIDTH)
                .show(ui, |ui| {
                    if let Some(offset) = self.outline.ui(ui, &self.doc) {
                        self.editor.go_to(offset);
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match view {
            ViewMode::PreviewOnly => self.preview.ui(ui),
            _ => self.editor.ui(ui, &mut self.doc, &mut self.commands),
        });
    }

    /// Draws one frame (called by eframe, and by tests through the harness).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_modified()
            && !self.is_discard_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.ask_before_discarding(Request::User(Command::Quit));
        }
        self.theme_preview_upkeep();
        if self.dialog.is_none() {
            self.shortcuts_ui(&ctx);
        }
        fonts::install_colour_emoji_when_ready(&ctx);
        self.clipboard_upkeep(&ctx);
        self.preview.update(&ctx, &self.doc);
        egui::Panel::top("menu").show(ui, |ui| {
            let state = self.command_state();
            let chosen = menu::menu_bar_ui(ui, &mut self.settings, &state);
            self.commands.extend(chosen.commands);
            self.system_commands.extend(chosen.system);
        });
        self.theme_preview_ui(ui);
        self.editor.font_size = self.settings.font_size;
        self.editor.spelling_language = self.spelling_language();
        egui::Panel::bottom("status").show(ui, |ui| {
            if self.is_start_view_shown {
                // No post yet: no counts, only the last message.
                ui.add(egui::Label::new(self.notifications.status()).truncate());
                return;
            }
            let is_settled = self.preview.shown_revision() == Some(self.doc.revision());
            self.status_bar
                .ui(ui, &self.doc, is_settled, self.notifications.status());
        });
        if let Some(post) = self.site_panel.show(ui, self.doc.path()) {
            self.system_commands.push(SystemCommand::OpenPath(post));
        }
        if self.is_start_view_shown {
            egui::CentralPanel::default().show(ui, |ui| {
                let chosen = start_view::start_view_ui(ui, self.settings.recent_files.paths());
                self.commands.extend(chosen.commands);
                self.system_commands.extend(chosen.system);
            });
        } else {
            self.document_ui(ui);
        }
        self.dialog_ui(&ctx);
        if let Some(post) = self.quick_open.ui(&ctx, self.site_panel.rows()) {
            self.system_commands.push(SystemCommand::OpenPath(post));
        }
        self.notifications.ui(&ctx);
        if self.form.wants_image_dialog {
            self.form.wants_image_dialog = false;
            self.ask_path(dialogs::path::PathPurpose::Image);
        }
        if let Some(path) = self.form.wants_rename.take() {
            self.system_commands.push(SystemCommand::RenameFile(path));
        }
        self.publishing_requests();
        self.run_requests(&ctx);
        self.form
            .recent_authors
            .clone_into(&mut self.settings.recent_authors);
        self.journal_upkeep(&ctx);
        self.disk_upkeep(&ctx);
        self.update_title(&ctx);
    }
}

impl eframe::App for BylineApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}

/// Byline's icon (`assets/byline-256.png`, drawn by `examples/make_sample_image.rs`) for the
/// window and the task switcher; the `.desktop` file names the same picture for the menus.
pub fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/byline-256.png"))
        .unwrap_or_default()
}

/// Opens the editor window on `file` (or the last post, or the start view) and runs until it
/// closes.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Byline")
            .with_app_id("byline")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 420.0])
            .with_drag_and_drop(true)
            .with_icon(window_icon()),
        // `fonts::install_fallback_fonts` adds the system fonts itself (the same way in tests).
        system_font_fallback: false,
        ..Default::default()
    };
    let start = StartOptions {
        file,
        dialogs: FileDialogs::Native,
        journal: crate::journal::Journal::for_user(),
    };
    match eframe::run_native(
        "byline",
        options,
        Box::new(move |cc| Ok(Box::new(BylineApp::new(cc, start)))),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("byline: could not open the window: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_icon_is_a_square_picture() {
        let icon = window_icon();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }

    #[test]
    fn the_desktop_file_starts_byline_with_its_icon() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let desktop = std::fs::read_to_string(root.join("assets/byline.desktop")).unwrap();
        let lines: Vec<&str> = desktop.lines().collect();
        assert_eq!(lines.first(), Some(&"[Desktop Entry]"));
        for line in [
            "Type=Application",
            "Exec=byline %f",
            "Icon=byline",
            "StartupWMClass=byline",
        ] {
            assert!(lines.contains(&line), "missing {line}");
        }
        assert!(root.join("assets/byline.svg").is_file());
        assert!(root.join("assets/byline-256.png").is_file());
    }
}
