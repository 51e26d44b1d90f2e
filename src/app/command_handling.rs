//! What commands and dialog answers do: open, new, save, export, restore, and asking for paths
//! (the desktop's file dialog, or the in-app one). Runs after the frame that recorded them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::BylineApp;
use super::command::{Command, ViewMode};
use super::dialogs::changed_on_disk::{ChangedOnDiskChoice, ChangedOnDiskDialog};
use super::dialogs::confirm_overwrite::{
    ConfirmOverwriteChoice, ConfirmOverwriteDialog, OverwriteTarget,
};
use super::dialogs::external_change::ExternalChangeChoice;
use super::dialogs::path::{PathChoice, PathDialog, PathPurpose};
use super::dialogs::recover::{RecoverChoice, RecoverDialog};
use super::dialogs::revert::{RevertChoice, RevertDialog};
use super::dialogs::unsaved_changes::{UnsavedChangesChoice, UnsavedChangesDialog};
use super::dialogs::{Dialog, DialogAnswer};
use super::layout::SidePanel;
use super::notifications::Severity;
use super::system_command::{Request, SystemCommand};
use crate::document::Document;
use crate::error::Error;
use crate::journal::Entry;
use crate::path_input;
use crate::post::{Post, PostDate, template};

/// A desktop file dialog that "returns" faster than this never appeared (no portal).
const NATIVE_DIALOG_MIN: Duration = Duration::from_millis(300);

impl BylineApp {
    /// Carries out what was asked during the frame: a dialog's answer, then user commands,
    /// then follow-ups.
    pub(super) fn run_requests(&mut self, ctx: &egui::Context) {
        if let Some(answer) = self.dialog_answer.take() {
            self.answer_dialog(answer);
            ctx.request_repaint();
        }
        if !self.commands.is_empty() || !self.system_commands.is_empty() {
            // What a command changes (the saved state, a dialog) shows in the next frame at
            // once, so the window never keeps saying "Saved" over an edit.
            ctx.request_repaint();
        }
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
        for command in std::mem::take(&mut self.system_commands) {
            self.run_system_command(command);
        }
    }

    /// Asks "Save changes?" before `request` would drop unsaved edits; true when it asked (the
    /// request then waits for the answer).
    pub(super) fn ask_before_discarding(&mut self, request: Request) -> bool {
        if !request.discards_edits() || !self.doc.is_modified() || self.is_discard_confirmed {
            return false;
        }
        self.dialog = Some(Dialog::UnsavedChanges(UnsavedChangesDialog {
            then: request,
        }));
        true
    }

    /// Runs one user command (after the frame that recorded it).
    pub fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        if self.ask_before_discarding(Request::User(command.clone())) {
            return;
        }
        let is_quit = command == Command::Quit;
        match command {
            Command::New => self.new_document(),
            Command::Open => self.ask_path(PathPurpose::Open),
            Command::OpenSite => self.ask_path(PathPurpose::OpenSite),
            Command::QuickOpen => self.quick_open.open(),
            Command::ToggleSitePanel => self.site_panel.toggle(ctx.content_rect().width()),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => self.ask_path(PathPurpose::SaveAs),
            Command::ExportToSite => self.ask_path(PathPurpose::ExportSite),
            Command::ExportHtml => self.ask_path(PathPurpose::ExportHtml),
            Command::PublishDraft => self.publish_draft(),
            Command::RenameName => self.ask_rename_name(),
            Command::Undo => {
                if self.doc.undo() {
                    self.notifications.set_status("Undone");
                }
            }
            Command::Redo => {
                if self.doc.redo() {
                    self.notifications.set_status("Redone");
                }
            }
            Command::Format(format) => self.editor.apply_format(&mut self.doc, format),
            Command::Find => self.editor.show_find(false),
            Command::Replace => self.editor.show_find(true),
            Command::View(mode) => self.settings.view = mode,
            Command::ToggleForm | Command::TogglePreview | Command::ToggleOutline => {
                if let Some(panel) = command.toggled_panel() {
                    self.toggle_panel(panel);
                }
            }
            Command::Cut => self.clipboard_request = Some(egui::ViewportCommand::RequestCut),
            Command::Copy => self.clipboard_request = Some(egui::ViewportCommand::RequestCopy),
            Command::Paste => self.clipboard_request = Some(egui::ViewportCommand::RequestPaste),
            Command::Revert => {
                if self.doc.is_modified() {
                    self.dialog = Some(Dialog::Revert(RevertDialog));
                } else {
                    self.revert();
                }
            }
            Command::PreviewInSiteTheme => self.start_theme_preview(),
            Command::BuildWithJekyll => self.build_with_jekyll(),
            Command::Quit => {
                self.is_discard_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        if !is_quit {
            self.is_discard_confirmed = false;
        }
    }

    /// Runs one internal follow-up.
    pub fn run_system_command(&mut self, command: SystemCommand) {
        if self.ask_before_discarding(Request::System(command.clone())) {
            return;
        }
        match command {
            SystemCommand::OpenPath(path) => self.open_path(&path),
            SystemCommand::OpenSite(path) => self.open_site(&path),
            SystemCommand::SaveTo(path) => self.save_to(&path),
            SystemCommand::ExportToSite { site, force } => self.export_to_site(&site, force),
            SystemCommand::ExportHtmlTo { dir, force } => self.export_html(&dir, force),
            SystemCommand::SetImage(path) => self.import_image(&path),
            SystemCommand::RenameFile(path) => self.rename_file(&path),
            SystemCommand::OpenSample => self.open_sample(),
        }
        self.is_discard_confirmed = false;
    }

    /// Carries out what the user answered in a dialog (already closed).
    fn answer_dialog(&mut self, answer: DialogAnswer) {
        match answer {
            DialogAnswer::UnsavedChanges(choice, then) => {
                let go_on = match choice {
                    UnsavedChangesChoice::Save => self.save(),
                    UnsavedChangesChoice::DontSave => {
                        self.session.forget_journal_entry();
                        true
                    }
                    UnsavedChangesChoice::Cancel => false,
                };
                if go_on {
                    self.is_discard_confirmed = true;
                    match then {
                        Request::User(command) => self.commands.push(command),
                        Request::System(command) => self.system_commands.push(command),
                    }
                }
            }
            DialogAnswer::Path(purpose, PathChoice::Chosen(path)) => {
                self.path_chosen(purpose, path)
            }
            DialogAnswer::Path(_, PathChoice::Cancelled) => {}
            DialogAnswer::RenameName(choice) => self.answer_rename_name(choice),
            DialogAnswer::ImageAlt(choice) => self.answer_image_alt(choice),
            DialogAnswer::ChangedOnDisk(ChangedOnDiskChoice::Overwrite) => {
                match self.doc.save_overwriting() {
                    Ok(path) => self.saved(&path),
                    Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
                }
            }
            DialogAnswer::ChangedOnDisk(ChangedOnDiskChoice::SaveAs) => {
                self.commands.push(Command::SaveAs);
            }
            DialogAnswer::ChangedOnDisk(ChangedOnDiskChoice::Cancel) => {}
            DialogAnswer::ConfirmOverwrite(ConfirmOverwriteChoice::Overwrite(retry)) => {
                self.system_commands.push(retry);
            }
            DialogAnswer::ConfirmOverwrite(ConfirmOverwriteChoice::Cancel) => {}
            DialogAnswer::Recover(RecoverChoice::Restore) => {
                if let Some(entry) = self.session.take_recovered() {
                    self.restore(entry);
                }
                let postponed = self.session.postpone_recovered();
                if postponed > 0 {
                    self.notifications.notify(
                        Severity::Warning,
                        format!(
                            "{postponed} more recovered post(s) will be offered at the next start"
                        ),
                    );
                }
            }
            DialogAnswer::Recover(RecoverChoice::Discard) => {
                self.session.discard_recovered();
                self.offer_recovery();
            }
            DialogAnswer::Revert(RevertChoice::Revert) => self.revert(),
            DialogAnswer::Revert(RevertChoice::Cancel) => {}
            DialogAnswer::ExternalChange(ExternalChangeChoice::KeepMine) => {
                self.doc.keep_mine_over_disk();
                self.notifications.notify(
                    Severity::Info,
                    "Kept your version; saving will replace the file on disk",
                );
            }
            DialogAnswer::ExternalChange(ExternalChangeChoice::TakeTheirs) => {
                match self.doc.take_disk_version() {
                    Ok(()) => self.notifications.notify(
                        Severity::Info,
                        "Took the version on disk (Undo brings yours back)",
                    ),
                    Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
                }
            }
        }
    }

    /// Reloads the post from its file as an undoable edit (File → Revert, after confirming).
    fn revert(&mut self) {
        match self.doc.take_disk_version() {
            Ok(()) => {
                self.session.forget_journal_entry();
                self.notifications
                    .set_status("Reverted to the saved version (Undo brings your edits back)");
            }
            Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
        }
    }

    /// Hides a panel on screen, or shows it (before any other panel when the window is narrow).
    fn toggle_panel(&mut self, panel: SidePanel) {
        let is_shown = self.layout.is_shown(panel);
        match panel {
            SidePanel::Form => self.settings.is_form_wanted = !is_shown,
            SidePanel::Outline => self.settings.is_outline_wanted = !is_shown,
            SidePanel::Preview => {
                self.settings.view = if is_shown {
                    ViewMode::EditorOnly
                } else {
                    ViewMode::Both
                };
            }
        }
        self.panel_priority = if is_shown { None } else { Some(panel) };
    }

    /// Offers the next journal entry left by a crashed run, if any.
    pub(super) fn offer_recovery(&mut self) {
        if let Some(entry) = self.session.next_recovered() {
            self.dialog = Some(Dialog::Recover(RecoverDialog::new(entry)));
        }
    }

    /// Opens the post at `path` in place of the current one.
    pub(super) fn open_path(&mut self, path: &Path) {
        let doc = match Document::open(path) {
            Ok(doc) => doc,
            Err(err) => {
                self.notifications.notify(Severity::Error, err.to_string());
                return;
            }
        };
        self.doc = doc;
        self.is_start_view_shown = false;
        self.session.document_replaced(Some(path));
        self.preview.reset();
        self.settings.recent_files.note(path);
        self.settings.last_post = Some(path.to_path_buf());
        self.show_site_of(path);
        let name = path.display();
        let (severity, message) = match self.doc.post().front_matter().and_then(|f| f.error()) {
            Some(err) => (
                Severity::Warning,
                format!(
                    "Opened {name} — front matter error at line {}: {}",
                    err.line, err.message
                ),
            ),
            None if self.doc.post().is_front_matter_unclosed() => (
                Severity::Warning,
                format!("Opened {name} — {}", Error::UnclosedFrontMatter),
            ),
            None => (Severity::Info, format!("Opened {name}")),
        };
        self.notifications.notify(severity, message);
    }

    /// Copies a chosen image into the post's site (or beside the post) and points the
    /// `image` field at the copy, so the post never refers to a file outside its site.
    fn import_image(&mut self, chosen: &Path) {
        let imported = match self.doc.path() {
            Some(post_path) => {
                crate::image_import::import_image(post_path, chosen, &self.settings.images_folder)
            }
            None => Err(crate::image_import::ImportError::PostNotSaved),
        };
        match imported {
            Ok(imported) => {
                self.form
                    .set_image_reference(&mut self.doc, &imported.reference);
                if imported.is_new_copy {
                    self.notifications.notify(
                        Severity::Info,
                        format!("Copied the image to {}", imported.path.display()),
                    );
                }
            }
            Err(err) => self
                .notifications
                .notify(Severity::Error, format!("Image not set: {err}")),
        }
    }

    /// Renames the post's file to `to` (never replacing another file); the journal and the
    /// recent files follow it.
    fn rename_file(&mut self, to: &Path) {
        let Some(from) = self.doc.path().map(Path::to_path_buf) else {
            return;
        };
        match crate::rename::rename_no_clobber(&from, to) {
            Ok(()) => {
                self.doc.moved_to(to);
                self.session.document_replaced(Some(to));
                self.settings.recent_files.renamed(&from, to);
                if self.settings.last_post.as_deref() == Some(from.as_path()) {
                    self.settings.last_post = Some(to.to_path_buf());
                }
                let name = to.file_name().map_or_else(
                    || to.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                self.notifications
                    .notify(Severity::Info, format!("Renamed the file to {name}"));
            }
            Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
        }
    }

    /// Copies the embedded sample post and its header image into the sample site in Byline's
    /// data folder (keeping a copy that is already there) and opens the copy.
    fn open_sample(&mut self) {
        let Some(data_dir) = self.data_dir.clone() else {
            self.notifications.notify(
                Severity::Error,
                "Cannot try the sample: this system has no data folder for Byline",
            );
            return;
        };
        match crate::sample::install_sample(&crate::sample::sample_site_dir(&data_dir)) {
            Ok(path) => self.open_path(&path),
            Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
        }
    }

    /// Shows the site at `root` in the site panel (found from any folder inside it), and
    /// remembers it for the next start.
    pub(super) fn open_site(&mut self, folder: &Path) {
        let Some(root) = crate::site::find_root(folder).filter(|_| folder.is_dir()) else {
            self.notifications.notify(
                Severity::Error,
                format!(
                    "{} is not a Jekyll site (no _config.yml or _posts folder)",
                    folder.display()
                ),
            );
            return;
        };
        let ctx = self.egui_ctx.clone();
        self.site_panel
            .open_site(&root, move || ctx.request_repaint());
        self.notifications
            .notify(Severity::Info, format!("Opened site {}", root.display()));
        self.settings.open_site = Some(root);
    }

    /// Shows the site a just-opened post belongs to, unless it is already shown.
    fn show_site_of(&mut self, post: &Path) {
        if self.site_panel.contains(post) {
            return;
        }
        if let Some(root) = crate::site::find_root(post)
            && root.join("_posts").is_dir()
        {
            let ctx = self.egui_ctx.clone();
            self.site_panel
                .open_site(&root, move || ctx.request_repaint());
            self.settings.open_site = Some(root);
        }
    }

    /// The folder the open post belongs in (its own, or the site folder of the last post).
    fn post_folder(&self) -> PathBuf {
        path_input::post_folder(self.doc.path(), self.settings.recent_files.paths())
    }

    fn new_document(&mut self) {
        let author = if self.settings.default_author.is_empty() {
            crate::new_post::default_author(&self.post_folder())
        } else {
            self.settings.default_author.clone()
        };
        self.doc = Document::new_post(&PostDate::now_local(), &author);
        self.is_start_view_shown = false;
        self.session.document_replaced(None);
        self.preview.reset();
        self.notifications.notify(Severity::Info, "New post");
    }

    fn suggested_file_name(&self) -> String {
        let title = self.doc.post().text("title").unwrap_or_default();
        let date = match self.doc.post().date() {
            Some(Ok(date)) => date,
            _ => PostDate::now_local(),
        };
        template::file_name(&title, &date, false)
    }

    fn saved(&mut self, path: &Path) {
        self.notifications
            .notify(Severity::Info, format!("Saved {}", path.display()));
    }

    /// Saves to the post's file (asking for a name first when it has none); true when saved.
    fn save(&mut self) -> bool {
        if self.doc.path().is_none() {
            self.ask_path(PathPurpose::SaveAs);
            return false;
        }
        match self.doc.save() {
            Ok(path) => {
                self.saved(&path);
                true
            }
            Err(Error::ChangedOnDisk { .. }) => {
                self.dialog = Some(Dialog::ChangedOnDisk(ChangedOnDiskDialog));
                false
            }
            Err(err @ Error::ReadOnly { .. }) => {
                // The file is not to be written; the edits can still go to another file.
                self.notifications.notify(
                    Severity::Error,
                    format!("{err} — your edits are still here; choose where to save them"),
                );
                self.ask_path(PathPurpose::SaveAs);
                false
            }
            Err(err) => {
                self.notifications.notify(
                    Severity::Error,
                    format!("{err} — your edits are still here"),
                );
                false
            }
        }
    }

    fn save_to(&mut self, path: &Path) {
        match self.doc.save_as(path) {
            Ok(()) => {
                self.session.document_replaced(Some(path));
                self.settings.recent_files.note(path);
                self.settings.last_post = Some(path.to_path_buf());
                self.saved(path);
            }
            Err(err) => self.notifications.notify(
                Severity::Error,
                format!("{err} — your edits are still here"),
            ),
        }
    }

    /// Reopens a journaled document with exactly the text that was typed, as unsaved edits.
    /// Other journal entries are left alone (they are offered again at the next start).
    fn restore(&mut self, entry: Entry) {
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
                self.notifications.notify(
                    Severity::Error,
                    format!("{err}; the recovered text opens as an untitled post"),
                );
            }
        }
        if let Some(path) = entry.path.as_ref().filter(|p| !p.exists()) {
            self.notifications.notify(
                Severity::Warning,
                format!("{} no longer exists; use Save As", path.display()),
            );
        }
        self.is_start_view_shown = false;
        self.doc.mark_recovered(Post::from_text(&entry.text));
        self.session.restored(entry.id);
        self.notifications
            .notify(Severity::Info, "Restored unsaved edits");
    }

    /// Where the post lives, or would, for resolving its images when exporting.
    fn source_path(&self) -> PathBuf {
        self.doc.path().map_or_else(
            || self.post_folder().join(self.suggested_file_name()),
            Path::to_path_buf,
        )
    }

    fn is_draft(&self) -> bool {
        self.doc.path().is_some_and(crate::site::is_draft_path)
    }

    fn export_to_site(&mut self, site: &Path, force: bool) {
        if let Err(err) = self.doc.require_written("nothing was exported") {
            self.notifications.notify(Severity::Error, err.to_string());
            return;
        }
        let is_draft = self.is_draft();
        let source = self.source_path();
        match crate::export::export_post_to_site(self.doc.post(), &source, site, is_draft, force) {
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
                self.notifications.notify(Severity::Info, message);
                for warning in exported.warnings {
                    self.notifications
                        .notify(Severity::Warning, format!("Warning: {}", warning.message));
                }
            }
            Err(Error::TargetExists { path }) if !force => {
                self.ask_to_overwrite(OverwriteTarget::Site(site.to_path_buf()), path);
            }
            Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
        }
    }

    fn ask_to_overwrite(&mut self, target: OverwriteTarget, existing: PathBuf) {
        self.dialog = Some(Dialog::ConfirmOverwrite(ConfirmOverwriteDialog {
            target,
            existing,
        }));
    }

    fn export_html(&mut self, dir: &Path, force: bool) {
        if let Err(err) = self.doc.require_written("nothing was exported") {
            self.notifications.notify(Severity::Error, err.to_string());
            return;
        }
        let mut run = crate::export::ExportRun::new(force);
        let options = crate::export::HtmlOptions::default();
        let source = self.source_path();
        match crate::export::export_post_html_in(&mut run, self.doc.post(), &source, dir, options) {
            Ok(exported) => {
                self.notifications.notify(
                    Severity::Info,
                    format!("Exported HTML to {}", exported.path.display()),
                );
                for warning in exported.warnings {
                    self.notifications
                        .notify(Severity::Warning, format!("Warning: {}", warning.message));
                }
            }
            Err(Error::TargetExists { path }) if !force => {
                self.ask_to_overwrite(OverwriteTarget::HtmlFolder(dir.to_path_buf()), path);
            }
            Err(err) => self.notifications.notify(Severity::Error, err.to_string()),
        }
    }

    /// The folder a path dialog for `purpose` starts in.
    fn start_folder(&self, purpose: PathPurpose) -> PathBuf {
        let folder = self.post_folder();
        match purpose {
            PathPurpose::Image => path_input::image_folder(&folder),
            PathPurpose::OpenSite => self
                .settings
                .open_site
                .clone()
                .or_else(|| self.settings.last_site.clone())
                .filter(|site| site.is_dir())
                .unwrap_or(folder),
            PathPurpose::ExportSite => self
                .settings
                .last_site
                .clone()
                .filter(|site| site.is_dir())
                .unwrap_or(folder),
            PathPurpose::Open | PathPurpose::SaveAs | PathPurpose::ExportHtml => folder,
        }
    }

    /// Asks for a path: the desktop's dialog when there is one, else the in-app dialog.
    pub(super) fn ask_path(&mut self, purpose: PathPurpose) {
        let folder = self.start_folder(purpose);
        if self.file_dialogs == super::FileDialogs::Native {
            let started = Instant::now();
            let dialog = rfd::FileDialog::new().set_directory(&folder);
            let chosen = match purpose {
                PathPurpose::Open => dialog
                    .add_filter("Posts", PathPurpose::Open.extensions())
                    .pick_file(),
                PathPurpose::SaveAs => dialog.set_file_name(self.suggested_file_name()).save_file(),
                PathPurpose::Image => dialog
                    .add_filter("Images", PathPurpose::Image.extensions())
                    .pick_file(),
                PathPurpose::ExportSite | PathPurpose::ExportHtml | PathPurpose::OpenSite => {
                    dialog.pick_folder()
                }
            };
            if let Some(path) = chosen {
                self.path_chosen(purpose, path);
                return;
            }
            // A dialog that "returns" instantly never appeared (no portal): ask in the window.
            if started.elapsed() > NATIVE_DIALOG_MIN {
                return;
            }
        }
        let proposed = match purpose {
            PathPurpose::SaveAs => folder
                .join(self.suggested_file_name())
                .display()
                .to_string(),
            _ => path_input::folder_text(&folder),
        };
        let current = self.doc.path().map(Path::to_path_buf);
        self.dialog = Some(Dialog::Path(PathDialog::new(purpose, proposed, current)));
    }

    fn path_chosen(&mut self, purpose: PathPurpose, path: PathBuf) {
        self.system_commands.push(match purpose {
            PathPurpose::Open => SystemCommand::OpenPath(path),
            PathPurpose::SaveAs => SystemCommand::SaveTo(path),
            PathPurpose::Image => SystemCommand::SetImage(path),
            PathPurpose::ExportSite => SystemCommand::ExportToSite {
                site: path,
                force: false,
            },
            PathPurpose::ExportHtml => SystemCommand::ExportHtmlTo {
                dir: path,
                force: false,
            },
            PathPurpose::OpenSite => SystemCommand::OpenSite(path),
        });
    }
}
