//! The editor window: menus, the front-matter form, the Markdown editor and the live preview,
//! wired to the post model through one `Command` enum.

pub mod command;
pub mod editor;
pub mod form;
pub mod preview;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use command::{Command, CommandState, ViewMode};
use editor::EditorPanel;
use form::FormPanel;
use preview::PreviewPanel;

use crate::document::{Document, Revision};
use crate::error::Error;
use crate::markdown;
use crate::post::{Post, PostDate, template};

/// The sample post opened when no file is given.
pub const SAMPLE_POST: &str =
    "sample-posts/2025-11-30-ukraine-talks-productive-but-more-work-needed-rubio-says.md";

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    /// Follow the desktop.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// What Byline remembers between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Theme preference.
    pub theme: ThemeChoice,
    /// Editor font size in points.
    pub font_size: f32,
    /// Editor, preview or both.
    pub view: ViewMode,
    /// Width of the front-matter form, in points.
    pub form_width: f32,
    /// The Jekyll site the last export went to.
    pub last_site: Option<PathBuf>,
    /// Recently opened files, newest first.
    pub recent_files: Vec<PathBuf>,
    /// Author for new posts.
    pub default_author: String,
    /// Authors typed before.
    pub recent_authors: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            font_size: 14.0,
            view: ViewMode::Both,
            form_width: 380.0,
            last_site: None,
            recent_files: Vec::new(),
            default_author: String::new(),
            recent_authors: Vec::new(),
        }
    }
}

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
    /// The post to open; the sample post when None.
    pub file: Option<PathBuf>,
    /// Which file dialogs to use.
    pub dialogs: FileDialogs,
    /// Where unsaved edits are journaled (None: not journaled).
    pub journal: Option<crate::journal::Journal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Info,
    Error,
}

struct Notification {
    text: String,
    level: Level,
    at: Instant,
}

/// A question the app is waiting for the user to answer.
#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    /// Unsaved edits would be lost by `then`.
    UnsavedChanges { then: Command },
    /// Type a path (no native dialog available).
    PathPrompt { purpose: PathPurpose, text: String },
    /// The file changed on disk since it was opened.
    ChangedOnDisk,
    /// An export would overwrite a different post in the site.
    ConfirmOverwrite { site: PathBuf, message: String },
    /// Unsaved edits from a previous run were found in the journal.
    Recover,
    /// The open file changed on disk while it has local edits.
    ExternalChange { is_comparing: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathPurpose {
    Open,
    SaveAs,
    Image,
    ExportSite,
    ExportHtml,
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
    commands: Vec<Command>,
    dialog: Option<Dialog>,
    dialogs: FileDialogs,
    notifications: Vec<Notification>,
    status: String,
    is_close_confirmed: bool,
    window_title: String,
    stats: (Option<Revision>, markdown::Stats),
    journal: Option<crate::journal::Journal>,
    journal_id: String,
    journaled_revision: Option<Revision>,
    changed_at: (Option<Revision>, Instant),
    recovered: Vec<crate::journal::Entry>,
    disk_checked_at: Instant,
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
        install_fallback_fonts(ctx);
        let mut app = BylineApp {
            doc: Document::untitled(Post::from_text("")),
            form: FormPanel::default(),
            editor: EditorPanel::default(),
            settings,
            preview: PreviewPanel::default(),
            commands: Vec::new(),
            dialog: None,
            dialogs: options.dialogs,
            notifications: Vec::new(),
            status: String::new(),
            is_close_confirmed: false,
            window_title: String::new(),
            stats: (None, markdown::Stats::default()),
            recovered: options
                .journal
                .as_ref()
                .map(crate::journal::Journal::orphaned_entries)
                .unwrap_or_default(),
            journal: options.journal,
            journal_id: String::new(),
            journaled_revision: None,
            changed_at: (None, Instant::now()),
            disk_checked_at: Instant::now(),
        };
        app.form.recent_authors = app.settings.recent_authors.clone();
        app.editor.font_size = app.settings.font_size;
        let file = options
            .file
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE_POST));
        app.open_path(&file);
        if !app.recovered.is_empty() {
            app.dialog = Some(Dialog::Recover);
        }
        app.apply_theme(ctx);
        app
    }

    /// Records a command to run after this frame (menus, shortcuts and tests use this).
    pub fn request(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The message in the status bar.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// True while a dialog is waiting for an answer.
    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// The Markdown the preview shows now.
    pub fn preview_markdown(&self) -> &str {
        self.preview.shown_markdown()
    }

    fn notify(&mut self, level: Level, text: String) {
        self.status = text.clone();
        self.notifications.push(Notification {
            text,
            level,
            at: Instant::now(),
        });
        if self.notifications.len() > 4 {
            self.notifications.remove(0);
        }
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    fn open_path(&mut self, path: &Path) {
        match Document::open(path) {
            Ok(doc) => {
                self.forget_journal_entry();
                self.doc = doc;
                self.journal_id = crate::journal::Journal::id_for(Some(path));
                self.preview.reset();
                self.settings.recent_files.retain(|p| p != path);
                self.settings.recent_files.insert(0, path.to_path_buf());
                self.settings.recent_files.truncate(10);
                let message = match self.doc.post().front_matter().and_then(|f| f.error()) {
                    Some(err) => format!(
                        "Opened {} — front matter error at line {}: {}",
                        path.display(),
                        err.line,
                        err.message
                    ),
                    None if self.doc.post().is_front_matter_unclosed() => {
                        format!("Opened {} — {}", path.display(), Error::UnclosedFrontMatter)
                    }
                    None => format!("Opened {}", path.display()),
                };
                let level = if message.contains("error") || message.contains("never closed") {
                    Level::Error
                } else {
                    Level::Info
                };
                self.notify(level, message);
            }
            Err(err) => self.notify(Level::Error, err.to_string()),
        }
    }

    fn new_document(&mut self) {
        let author = if self.settings.default_author.is_empty() {
            crate::cli::default_author(Path::new("."))
        } else {
            self.settings.default_author.clone()
        };
        self.forget_journal_entry();
        self.doc = Document::new_post(&PostDate::now_local(), &author);
        self.journal_id = crate::journal::Journal::id_for(None);
        self.preview.reset();
        self.notify(Level::Info, "New post".into());
    }

    fn suggested_file_name(&self) -> String {
        let title = self.doc.post().text("title").unwrap_or_default();
        let date = match self.doc.post().date() {
            Some(Ok(date)) => date,
            _ => PostDate::now_local(),
        };
        template::file_name(&title, &date, false)
    }

    fn save(&mut self) -> bool {
        if self.doc.path().is_none() {
            self.ask_path(PathPurpose::SaveAs);
            return false;
        }
        match self.doc.save() {
            Ok(path) => {
                self.notify(Level::Info, format!("Saved {}", path.display()));
                true
            }
            Err(Error::ChangedOnDisk { .. }) => {
                self.dialog = Some(Dialog::ChangedOnDisk);
                false
            }
            Err(err) => {
                self.notify(Level::Error, format!("{err} — your edits are still here"));
                false
            }
        }
    }

    fn save_to(&mut self, path: &Path) {
        match self.doc.save_as(path) {
            Ok(()) => {
                self.forget_journal_entry();
                self.journal_id = crate::journal::Journal::id_for(Some(path));
                self.settings.recent_files.retain(|p| p != path);
                self.settings.recent_files.insert(0, path.to_path_buf());
                self.notify(Level::Info, format!("Saved {}", path.display()));
            }
            Err(err) => self.notify(Level::Error, format!("{err} — your edits are still here")),
        }
    }

    /// Reopens a journaled document with exactly the text that was typed, as unsaved edits.
    /// Other journal entries are left alone (they are offered again at the next start).
    fn restore(&mut self, entry: crate::journal::Entry) {
        let opened = match &entry.path {
            Some(path) if self.doc.path() == Some(path.as_path()) && !self.doc.is_modified() => {
                Ok(None)
            }
            Some(path) if path.exists() => Document::open(path).map(Some),
            _ => Ok(Some(Document::untitled(Post::from_text("")))),
        };
        match opened {
            Ok(Some(doc)) => {
                self.doc = doc;
                self.preview.reset();
            }
            Ok(None) => {}
            Err(err) => {
                // Never pour the text into whatever post is open: restore it untitled.
                self.doc = Document::untitled(Post::from_text(""));
                self.preview.reset();
                self.notify(
                    Level::Error,
                    format!("{err}; the recovered text opens as an untitled post"),
                );
            }
        }
        if let Some(path) = entry.path.as_ref().filter(|p| !p.exists()) {
            self.notify(
                Level::Error,
                format!("{} no longer exists; use Save As", path.display()),
            );
        }
        self.doc.mark_recovered(Post::from_text(&entry.text));
        self.journal_id = entry.id;
        // The entry stays on disk until the post is saved or discarded; mark it as written so
        // a save removes it and the next edit rewrites it.
        self.journaled_revision = Some(self.doc.revision());
        self.notify(Level::Info, "Restored unsaved edits".into());
    }

    /// Drops the journal entry of the current document (saved, or discarded by the user).
    fn forget_journal_entry(&mut self) {
        if let Some(journal) = &self.journal {
            journal.remove(&self.journal_id);
        }
        self.journaled_revision = None;
    }

    /// Journals unsaved edits about a second after typing pauses (well within 2 s), and drops
    /// the entry once the document is saved again.
    fn journal_ui(&mut self, ctx: &egui::Context) {
        let revision = self.doc.revision();
        if self.changed_at.0 != Some(revision) {
            self.changed_at = (Some(revision), Instant::now());
        }
        if !self.doc.is_modified() {
            if self.journaled_revision.is_some() {
                self.forget_journal_entry();
            }
            return;
        }
        if self.journaled_revision == Some(revision) {
            return;
        }
        let waited = self.changed_at.1.elapsed();
        let delay = Duration::from_millis(1000);
        if waited < delay {
            ctx.request_repaint_after(delay - waited);
            return;
        }
        let Some(journal) = &self.journal else { return };
        match journal.write(&self.journal_id, self.doc.path(), &self.doc.journal_text()) {
            Ok(()) => self.journaled_revision = Some(revision),
            Err(err) => {
                self.journaled_revision = Some(revision);
                self.notify(
                    Level::Error,
                    format!("Could not write the recovery journal: {err}"),
                );
            }
        }
    }

    /// Notices when the open file changed on disk: reloads it when there are no local edits,
    /// asks when there are.
    fn disk_check_ui(&mut self, ctx: &egui::Context) {
        let focus_gained = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(true)))
        });
        if !focus_gained && self.disk_checked_at.elapsed() < Duration::from_secs(2) {
            ctx.request_repaint_after(Duration::from_secs(2));
            return;
        }
        self.disk_checked_at = Instant::now();
        ctx.request_repaint_after(Duration::from_secs(2));
        if self.dialog.is_some() || !self.doc.is_changed_on_disk() {
            return;
        }
        if self.doc.is_missing_on_disk() && self.doc.is_deletion_noted() {
            return;
        }
        if self.doc.is_missing_on_disk() {
            self.doc.note_deleted_on_disk();
            let name = self.doc.display_name();
            self.notify(Level::Error, format!("{name} was deleted or moved on disk; your text is still here: save to write it again"));
            return;
        }
        if self.doc.is_modified() {
            self.dialog = Some(Dialog::ExternalChange {
                is_comparing: false,
            });
        } else {
            match self.doc.take_disk_version() {
                Ok(()) => self.notify(
                    Level::Info,
                    format!("Reloaded {}: it changed on disk", self.doc.display_name()),
                ),
                Err(err) => self.notify(
                    Level::Error,
                    format!(
                        "{} changed on disk and could not be read: {err}",
                        self.doc.display_name()
                    ),
                ),
            }
        }
    }

    /// Where the post lives, or would, for resolving its images when exporting.
    fn source_path(&self) -> PathBuf {
        self.doc.path().map_or_else(
            || self.start_dir().join(self.suggested_file_name()),
            Path::to_path_buf,
        )
    }

    fn export_to_site(&mut self, site: &Path, force: bool) {
        if let Err(err) = self.doc.require_written("nothing was exported") {
            self.notify(Level::Error, err.to_string());
            return;
        }
        let is_draft = self
            .doc
            .path()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .is_some_and(|n| n == "_drafts");
        match crate::export::export_post_to_site(
            self.doc.post(),
            &self.source_path(),
            site,
            is_draft,
            force,
        ) {
            Ok(exported) => {
                self.settings.last_site = Some(site.to_path_buf());
                let mut message = format!("Exported to {}", exported.path.display());
                if !exported.images.is_empty() {
                    message.push_str(&format!(
                        " with {} image(s) in {}",
                        exported.images.len(),
                        site.join("assets/images").display()
                    ));
                }
                self.notify(Level::Info, message);
                for warning in exported.warnings {
                    self.notify(Level::Error, format!("Warning: {warning}"));
                }
            }
            Err(err) if err.to_string().contains("already exists") => {
                self.dialog = Some(Dialog::ConfirmOverwrite {
                    site: site.to_path_buf(),
                    message: err.to_string(),
                });
            }
            Err(err) => self.notify(Level::Error, err.to_string()),
        }
    }

    fn export_html(&mut self, dir: &Path) {
        if let Err(err) = self.doc.require_written("nothing was exported") {
            self.notify(Level::Error, err.to_string());
            return;
        }
        match crate::export::export_post_html(self.doc.post(), &self.source_path(), dir) {
            Ok(exported) => {
                self.notify(
                    Level::Info,
                    format!("Exported HTML to {}", exported.path.display()),
                );
                for warning in exported.warnings {
                    self.notify(Level::Error, format!("Warning: {warning}"));
                }
            }
            Err(err) => self.notify(Level::Error, err.to_string()),
        }
    }

    fn start_dir(&self) -> PathBuf {
        self.doc
            .path()
            .and_then(Path::parent)
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// Asks for a path: the native dialog when there is one, else the in-app prompt.
    fn ask_path(&mut self, purpose: PathPurpose) {
        if self.dialogs == FileDialogs::Native {
            let started = Instant::now();
            let dialog = rfd::FileDialog::new().set_directory(self.start_dir());
            let chosen = match purpose {
                PathPurpose::Open => dialog
                    .add_filter("Posts", &["md", "markdown", "html"])
                    .pick_file(),
                PathPurpose::SaveAs => dialog.set_file_name(self.suggested_file_name()).save_file(),
                PathPurpose::Image => dialog
                    .add_filter("Images", &["jpg", "jpeg", "png", "gif", "webp"])
                    .pick_file(),
                PathPurpose::ExportSite => rfd::FileDialog::new()
                    .set_directory(
                        self.settings
                            .last_site
                            .clone()
                            .unwrap_or_else(|| self.start_dir()),
                    )
                    .pick_folder(),
                PathPurpose::ExportHtml => dialog.pick_folder(),
            };
            if let Some(path) = chosen {
                self.path_chosen(purpose, &path);
                return;
            }
            // A dialog that "returns" instantly never appeared (no portal): offer the prompt.
            if started.elapsed() > Duration::from_millis(300) {
                return;
            }
        }
        let text = match purpose {
            PathPurpose::SaveAs => self
                .start_dir()
                .join(self.suggested_file_name())
                .display()
                .to_string(),
            PathPurpose::ExportSite => match &self.settings.last_site {
                Some(site) => site.display().to_string(),
                None => format!("{}/", self.start_dir().display()),
            },
            _ => format!("{}/", self.start_dir().display()),
        };
        self.dialog = Some(Dialog::PathPrompt { purpose, text });
    }

    fn path_chosen(&mut self, purpose: PathPurpose, path: &Path) {
        match purpose {
            PathPurpose::Open => self.open_path(path),
            PathPurpose::SaveAs => self.save_to(path),
            PathPurpose::Image => self.form.set_image_path(&mut self.doc, path),
            PathPurpose::ExportSite => self.commands.push(Command::ExportToSiteAt {
                site: path.to_path_buf(),
                force: false,
            }),
            PathPurpose::ExportHtml => self
                .commands
                .push(Command::ExportHtmlTo(path.to_path_buf())),
        }
    }

    /// Runs one command (after the frame that recorded it).
    pub fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        if command.discards_edits() && self.doc.is_modified() && !self.is_close_confirmed {
            self.dialog = Some(Dialog::UnsavedChanges { then: command });
            return;
        }
        let is_quit = command == Command::Quit;
        match command {
            Command::New => self.new_document(),
            Command::Open => self.ask_path(PathPurpose::Open),
            Command::OpenPath(path) => self.open_path(&path),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => self.ask_path(PathPurpose::SaveAs),
            Command::SaveTo(path) => self.save_to(&path),
            Command::ExportToSite => self.ask_path(PathPurpose::ExportSite),
            Command::ExportHtml => self.ask_path(PathPurpose::ExportHtml),
            Command::ExportToSiteAt { site, force } => self.export_to_site(&site, force),
            Command::ExportHtmlTo(dir) => self.export_html(&dir),
            Command::Undo => {
                if self.doc.undo() {
                    self.status = "Undone".into();
                }
            }
            Command::Redo => {
                if self.doc.redo() {
                    self.status = "Redone".into();
                }
            }
            Command::Format(format) => self.editor.apply_format(&mut self.doc, format),
            Command::Find => self.editor.show_find(false),
            Command::Replace => self.editor.show_find(true),
            Command::View(mode) => self.settings.view = mode,
            Command::Quit => {
                self.is_close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        if !is_quit {
            self.is_close_confirmed = false;
        }
    }

    fn command_state(&self) -> CommandState {
        CommandState {
            can_undo: self.doc.can_undo(),
            can_redo: self.doc.can_redo(),
            is_editor_visible: self.settings.view != ViewMode::PreviewOnly,
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let state = self.command_state();
        for command in Command::WITH_SHORTCUTS {
            if let Some(shortcut) = command.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&shortcut))
                && command.is_enabled(&state)
            {
                self.commands.push(command.clone());
            }
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y)) {
            self.commands.push(Command::Redo);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.commands.push(Command::OpenPath(path));
        }
    }

    fn menu_item(&mut self, ui: &mut egui::Ui, command: Command) {
        let enabled = command.is_enabled(&self.command_state());
        let mut button = egui::Button::new(command.label());
        if let Some(shortcut) = command.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.commands.push(command);
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for command in [Command::New, Command::Open] {
                    self.menu_item(ui, command);
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.settings.recent_files.is_empty() {
                        ui.weak("No recent files");
                    }
                    for path in self.settings.recent_files.clone() {
                        self.menu_item(ui, Command::OpenPath(path));
                    }
                });
                ui.separator();
                for command in [Command::Save, Command::SaveAs] {
                    self.menu_item(ui, command);
                }
                ui.separator();
                for command in [Command::ExportToSite, Command::ExportHtml] {
                    self.menu_item(ui, command);
                }
                ui.separator();
                self.menu_item(ui, Command::Quit);
            });
            ui.menu_button("Edit", |ui| {
                for command in [
                    Command::Undo,
                    Command::Redo,
                    Command::Find,
                    Command::Replace,
                ] {
                    self.menu_item(ui, command);
                }
                ui.separator();
                for format in [
                    markdown::Format::Bold,
                    markdown::Format::Italic,
                    markdown::Format::Code,
                    markdown::Format::Link,
                    markdown::Format::Heading,
                ] {
                    self.menu_item(ui, Command::Format(format));
                }
            });
            ui.menu_button("View", |ui| {
                for mode in [ViewMode::Both, ViewMode::EditorOnly, ViewMode::PreviewOnly] {
                    let mut selected = self.settings.view == mode;
                    if ui
                        .toggle_value(&mut selected, Command::View(mode).label())
                        .clicked()
                    {
                        self.commands.push(Command::View(mode));
                    }
                }
                ui.separator();
                ui.label("Theme");
                let mut theme = self.settings.theme;
                ui.radio_value(&mut theme, ThemeChoice::System, "System");
                ui.radio_value(&mut theme, ThemeChoice::Light, "Light");
                ui.radio_value(&mut theme, ThemeChoice::Dark, "Dark");
                if theme != self.settings.theme {
                    self.settings.theme = theme;
                    self.apply_theme(ui.ctx());
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let label = ui.label("Editor font size");
                    ui.add(
                        egui::DragValue::new(&mut self.settings.font_size)
                            .range(9.0..=32.0)
                            .suffix(" pt"),
                    )
                    .labelled_by(label.id);
                });
                self.editor.font_size = self.settings.font_size;
                ui.horizontal(|ui| {
                    let label = ui.label("Default author");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.settings.default_author)
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                });
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        // Counting a long body costs milliseconds: recount when typing pauses (when the
        // preview catches up), not on every keystroke.
        if self.stats.0 != Some(self.doc.revision())
            && self.preview.shown_revision() == Some(self.doc.revision())
        {
            self.stats = (
                Some(self.doc.revision()),
                markdown::stats(self.doc.post().body()),
            );
        }
        let stats = self.stats.1;
        ui.horizontal(|ui| {
            ui.label(editor::counted(stats.words, "word", "words"));
            ui.separator();
            ui.label(editor::counted(stats.characters, "character", "characters"));
            ui.separator();
            ui.label(format!("{} min read", stats.reading_minutes));
            ui.separator();
            ui.label(if self.doc.is_modified() {
                "Modified"
            } else if self.doc.path().is_none() {
                "Not saved yet"
            } else {
                "Saved"
            });
            ui.separator();
            ui.add(egui::Label::new(&self.status).truncate());
        });
    }

    fn notifications_ui(&mut self, ctx: &egui::Context) {
        let lifetime = Duration::from_secs(6);
        self.notifications
            .retain(|n| n.level == Level::Error || n.at.elapsed() < lifetime);
        if self.notifications.is_empty() {
            return;
        }
        let mut dismissed = None;
        egui::Area::new(egui::Id::unique("notifications"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -40.0])
            .show(ctx, |ui| {
                for (i, n) in self.notifications.iter().enumerate() {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(420.0);
                        ui.horizontal(|ui| {
                            let color = if n.level == Level::Error {
                                ui.visuals().error_fg_color
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.add(
                                egui::Label::new(egui::RichText::new(&n.text).color(color)).wrap(),
                            );
                            if ui.small_button("Dismiss").clicked() {
                                dismissed = Some(i);
                            }
                        });
                    });
                }
            });
        if let Some(i) = dismissed {
            self.notifications.remove(i);
        }
        ctx.request_repaint_after(Duration::from_secs(1));
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.dialog.clone() else {
            return;
        };
        let mut close = false;
        match dialog {
            Dialog::UnsavedChanges { then } => {
                let modal = egui::Modal::new(egui::Id::unique("unsaved-guard")).show(ctx, |ui| {
                    ui.heading("Save changes?");
                    ui.label(format!("{} has unsaved changes.", self.doc.display_name()));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            close = true;
                            if self.save() {
                                self.is_close_confirmed = true;
                                self.commands.push(then.clone());
                            }
                        }
                        if ui.button("Don't save").clicked() {
                            close = true;
                            self.forget_journal_entry();
                            self.is_close_confirmed = true;
                            self.commands.push(then.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                // Esc (or a click beside the dialog) cancels, like the Cancel button.
                close |= modal.should_close();
                if close && matches!(self.dialog, Some(Dialog::UnsavedChanges { .. })) {
                    self.dialog = None;
                }
            }
            Dialog::PathPrompt { purpose, mut text } => {
                let mut chosen = None;
                egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
                    ui.heading(match purpose {
                        PathPurpose::Open => "Open post",
                        PathPurpose::SaveAs => "Save post as",
                        PathPurpose::Image => "Choose image",
                        PathPurpose::ExportSite => "Export to Jekyll site folder",
                        PathPurpose::ExportHtml => "Export HTML into folder",
                    });
                    let label = ui.label("Path");
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut text).desired_width(460.0))
                        .labelled_by(label.id);
                    let enter =
                        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        if ui.button("OK").clicked() || enter {
                            chosen = Some(PathBuf::from(text.trim()));
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                self.dialog = if close {
                    None
                } else {
                    Some(Dialog::PathPrompt { purpose, text })
                };
                if let Some(path) = chosen {
                    self.dialog = None;
                    if purpose == PathPurpose::SaveAs
                        && path.exists()
                        && self.doc.path() != Some(path.as_path())
                    {
                        self.notify(
                            Level::Error,
                            format!("{} already exists; choose another name", path.display()),
                        );
                        self.dialog = Some(Dialog::PathPrompt {
                            purpose,
                            text: path.display().to_string(),
                        });
                    } else {
                        self.path_chosen(purpose, &path);
                    }
                }
            }
            Dialog::ConfirmOverwrite { site, message } => {
                egui::Modal::new(egui::Id::unique("confirm-overwrite")).show(ctx, |ui| {
                    ui.heading("Overwrite the post in the site?");
                    ui.label(&message);
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite").clicked() {
                            close = true;
                            self.commands.push(Command::ExportToSiteAt {
                                site: site.clone(),
                                force: true,
                            });
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                if close {
                    self.dialog = None;
                }
            }
            Dialog::Recover => {
                let Some(entry) = self.recovered.first().cloned() else {
                    self.dialog = None;
                    return;
                };
                let mut choice = None;
                egui::Modal::new(egui::Id::unique("recover")).show(ctx, |ui| {
                    ui.heading("Recover unsaved edits?");
                    let name = entry.path.as_ref().map_or_else(
                        || "An untitled post".to_string(),
                        |p| p.display().to_string(),
                    );
                    ui.label(format!(
                        "{name} had edits that were not saved when Byline last closed."
                    ));
                    ui.label("Changes compared with the file on disk:");
                    egui::ScrollArea::vertical()
                        .max_height(260.0)
                        .show(ui, |ui| {
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(entry.diff_against_disk()).monospace(),
                                )
                                .wrap(),
                            );
                        });
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            choice = Some(true);
                        }
                        if ui.button("Discard").clicked() {
                            choice = Some(false);
                        }
                    });
                });
                if let Some(restore) = choice {
                    self.recovered.remove(0);
                    if restore {
                        self.restore(entry);
                        if !self.recovered.is_empty() {
                            let more = self.recovered.len();
                            self.notify(Level::Info, format!("{more} more recovered post(s) will be offered at the next start"));
                            self.recovered.clear();
                        }
                    } else if let Some(journal) = &self.journal {
                        journal.remove(&entry.id);
                    }
                    if self.recovered.is_empty() {
                        self.dialog = None;
                    }
                }
            }
            Dialog::ExternalChange { is_comparing } => {
                let mut choice = None;
                let mut comparing = is_comparing;
                egui::Modal::new(egui::Id::unique("external-change")).show(ctx, |ui| {
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by another program, and you have unsaved edits.",
                        self.doc.display_name()
                    ));
                    if comparing {
                        let disk = self
                            .doc
                            .path()
                            .and_then(|p| std::fs::read_to_string(p).ok())
                            .unwrap_or_default();
                        let mine = self.doc.post().to_text();
                        let diff = similar::TextDiff::from_lines(&disk, &mine)
                            .unified_diff()
                            .context_radius(1)
                            .header("on disk", "yours")
                            .to_string();
                        egui::ScrollArea::vertical()
                            .max_height(260.0)
                            .show(ui, |ui| {
                                ui.add(
                                    egui::Label::new(egui::RichText::new(diff).monospace()).wrap(),
                                );
                            });
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Keep mine").clicked() {
                            choice = Some(true);
                        }
                        if ui.button("Take theirs").clicked() {
                            choice = Some(false);
                        }
                        if !comparing && ui.button("Compare").clicked() {
                            comparing = true;
                        }
                    });
                });
                self.dialog = Some(Dialog::ExternalChange {
                    is_comparing: comparing,
                });
                match choice {
                    Some(true) => {
                        self.doc.keep_mine_over_disk();
                        self.dialog = None;
                        self.notify(
                            Level::Info,
                            "Kept your version; saving will replace the file on disk".into(),
                        );
                    }
                    Some(false) => {
                        self.dialog = None;
                        match self.doc.take_disk_version() {
                            Ok(()) => self.notify(
                                Level::Info,
                                "Took the version on disk (Undo brings yours back)".into(),
                            ),
                            Err(err) => self.notify(Level::Error, err.to_string()),
                        }
                    }
                    None => {}
                }
            }
            Dialog::ChangedOnDisk => {
                egui::Modal::new(egui::Id::unique("changed-on-disk")).show(ctx, |ui| {
                    ui.heading("The file changed on disk");
                    ui.label("Another program changed this post since you opened it. Saving would overwrite its changes.");
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite").clicked() {
                            close = true;
                            match self.doc.save_overwriting() {
                                Ok(path) => self.notify(Level::Info, format!("Saved {}", path.display())),
                                Err(err) => self.notify(Level::Error, err.to_string()),
                            }
                        }
                        if ui.button("Save As…").clicked() {
                            close = true;
                            self.commands.push(Command::SaveAs);
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                if close {
                    self.dialog = None;
                }
            }
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

    /// The window title Byline shows now (with a marker when modified).
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    /// Draws one frame (called by eframe, and by tests through the harness).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_modified()
            && !self.is_close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::UnsavedChanges {
                then: Command::Quit,
            });
        }
        if self.dialog.is_none() {
            self.shortcuts(&ctx);
        }
        self.preview.update(&ctx, &self.doc);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("form")
            .resizable(true)
            .default_size(self.settings.form_width)
            .min_size(260.0)
            .show(ui, |ui| {
                self.form.ui(ui, &mut self.doc);
                self.settings.form_width = ui.available_width().max(260.0);
            });
        let view = self.settings.view;
        if view == ViewMode::Both {
            let width = ui.available_width() / 2.0;
            egui::Panel::right("preview")
                .resizable(true)
                .default_size(width)
                .min_size(200.0)
                .show(ui, |ui| self.preview.ui(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| match view {
            ViewMode::PreviewOnly => self.preview.ui(ui),
            _ => self.editor.ui(ui, &mut self.doc, &mut self.commands),
        });
        self.dialog_ui(&ctx);
        self.notifications_ui(&ctx);
        if self.form.wants_image_dialog {
            self.form.wants_image_dialog = false;
            self.ask_path(PathPurpose::Image);
        }
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            // The panels were drawn before the commands ran: draw their outcome at once.
            ctx.request_repaint();
        }
        for command in commands {
            self.run_command(&ctx, command);
        }
        self.form
            .recent_authors
            .clone_into(&mut self.settings.recent_authors);
        self.journal_ui(&ctx);
        self.disk_check_ui(&ctx);
        self.update_title(&ctx);
    }
}

/// Adds DejaVu Sans (and Mono) after egui's own fonts, so Greek, Vietnamese, box drawing and
/// the other scripts posts are written in show as letters, not boxes, on any desktop.
pub fn install_fallback_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
    let fallback = |family| InsertFontFamily {
        family,
        priority: FontPriority::Lowest,
    };
    ctx.add_font(FontInsert::new(
        "DejaVuSans",
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
        vec![
            fallback(egui::FontFamily::Proportional),
            fallback(egui::FontFamily::Monospace),
        ],
    ));
    ctx.add_font(FontInsert::new(
        "DejaVuSansMono",
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSansMono.ttf")),
        vec![fallback(egui::FontFamily::Monospace)],
    ));
}

impl eframe::App for BylineApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}

/// Opens the editor window on `file` (or the sample post) and runs until it closes.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Byline")
            .with_app_id("byline")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 420.0])
            .with_drag_and_drop(true),
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
