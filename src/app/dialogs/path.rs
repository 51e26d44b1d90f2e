//! The in-app file chooser, used where the desktop has no file-dialog portal: a path field that
//! has the keyboard focus from the start, Tab completion, and the entries of the folder being
//! typed, to click through. Enter confirms, Escape cancels.
//!
//! Written here rather than taken from a crate: of the egui file-dialog crates, only `egui_file`
//! supports egui 0.37, and it has no focus on open, no completion, no accessible labels and
//! buttons that rename files and create folders.

use std::path::{Path, PathBuf};

use egui::text::{CCursor, CCursorRange};
use egui::{Key, Modifiers};

use crate::path_input::{self, FolderEntry, PathKind};

/// Why a path is asked for; decides the title, what may be chosen and which files are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open a post.
    Open,
    /// Save the post under a new name.
    SaveAs,
    /// Choose the post's image.
    Image,
    /// Choose the Jekyll site to export into.
    ExportSite,
    /// Choose the folder for the HTML page.
    ExportHtml,
    /// Choose a Jekyll site to open in the site panel.
    OpenSite,
}

impl PathPurpose {
    /// The dialog's heading.
    pub fn title(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open post",
            PathPurpose::SaveAs => "Save post as",
            PathPurpose::Image => "Choose image",
            PathPurpose::ExportSite => "Export to Jekyll site folder",
            PathPurpose::ExportHtml => "Export HTML into folder",
            PathPurpose::OpenSite => "Open Jekyll site folder",
        }
    }

    /// What kind of path answers it.
    pub fn kind(self) -> PathKind {
        match self {
            PathPurpose::Open | PathPurpose::Image => PathKind::ExistingFile,
            PathPurpose::SaveAs => PathKind::NewFile,
            PathPurpose::ExportSite | PathPurpose::ExportHtml | PathPurpose::OpenSite => {
                PathKind::Folder
            }
        }
    }

    /// The file extensions listed (every file when empty; no files for a folder).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            PathPurpose::Open | PathPurpose::SaveAs => &["md", "markdown", "html"],
            PathPurpose::Image => &["jpg", "jpeg", "png", "gif", "webp", "svg"],
            PathPurpose::ExportSite | PathPurpose::ExportHtml | PathPurpose::OpenSite => &[],
        }
    }
}

/// What the user did with the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathChoice {
    /// This path was chosen (already checked for the purpose).
    Chosen(PathBuf),
    /// The dialog was cancelled.
    Cancelled,
}

/// The listing of one folder, read once when the typed path enters it.
#[derive(Debug)]
struct Listing {
    folder: PathBuf,
    entries: Result<Vec<FolderEntry>, String>,
}

/// The in-app path dialog.
#[derive(Debug)]
pub struct PathDialog {
    purpose: PathPurpose,
    text: String,
    /// The open post's own file (Save As may name it again).
    current: Option<PathBuf>,
    problem: Option<String>,
    /// Give the field the focus (and the cursor the end of the text) in the next frame.
    wants_focus: bool,
    /// Select these characters when the field first takes the focus (a proposed file
    /// name, to type over).
    initial_selection: Option<std::ops::Range<usize>>,
    listing: Option<Listing>,
}

/// Height of the folder listing, in points.
const LIST_HEIGHT: f32 = 200.0;

/// Id of the path field (one path dialog is open at a time).
fn field_id() -> egui::Id {
    egui::Id::unique("path-dialog-field")
}

impl PathDialog {
    /// A dialog for `purpose` starting at `proposed` (a folder ending in a separator, or a
    /// file path). `current` is the open post's file.
    pub fn new(purpose: PathPurpose, proposed: String, current: Option<PathBuf>) -> PathDialog {
        let initial_selection = match purpose.kind() {
            PathKind::NewFile => path_input::file_stem_chars(&proposed),
            PathKind::ExistingFile | PathKind::Folder => None,
        };
        PathDialog {
            purpose,
            initial_selection,
            text: proposed,
            current,
            problem: None,
            wants_focus: true,
            listing: None,
        }
    }

    /// Why the path is asked for.
    pub fn purpose(&self) -> PathPurpose {
        self.purpose
    }

    /// Draws the dialog; returns the answer in the frame it is given.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathChoice> {
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("path-dialog")).show(ctx, |ui| {
            ui.set_width(560.0_f32.min(ctx.content_rect().width() - 60.0));
            ui.heading(self.purpose.title());
            choice = self.field_ui(ui);
            if let Some(problem) = &self.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            if let Some(chosen) = self.entries_ui(ui) {
                choice = Some(chosen);
            }
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    choice = self.confirm();
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(PathChoice::Cancelled);
                }
            });
        });
        if choice.is_none() && super::escape_pressed(ctx) {
            choice = Some(PathChoice::Cancelled);
        }
        choice
    }

    /// The path field: focused at once, Tab completes, Enter confirms.
    fn field_ui(&mut self, ui: &mut egui::Ui) -> Option<PathChoice> {
        let id = field_id();
        let has_focus = ui.memory(|m| m.has_focus(id));
        if has_focus && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab)) {
            match path_input::complete(&self.text) {
                Some(completed) => {
                    self.text = completed;
                    self.problem = None;
                    self.wants_focus = true;
                }
                None => self.problem = Some("No completion: see the list below".into()),
            }
        }
        if self.wants_focus {
            ui.memory_mut(|m| m.request_focus(id));
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            let end = self.text.chars().count();
            let selected = self.initial_selection.clone().unwrap_or(end..end);
            state.cursor.set_char_range(Some(CCursorRange::two(
                CCursor::new(selected.start),
                CCursor::new(selected.end),
            )));
            state.store(ui.ctx(), id);
        }
        let label = ui.label("Path");
        let before = self.text.clone();
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.text)
                    .id(id)
                    .desired_width(f32::INFINITY)
                    // Tab completes instead of moving the focus away.
                    .event_filter(egui::EventFilter {
                        tab: true,
                        horizontal_arrows: true,
                        ..Default::default()
                    }),
            )
            .labelled_by(label.id);
        if response.has_focus() {
            // Asked again every pass until the field holds it: a modal's first pass only
            // measures its contents, and focus given then does not last.
            self.wants_focus = false;
            self.initial_selection = None;
        }
        if self.text != before {
            self.problem = None;
        }
        let enter = ui.input(|i| i.key_pressed(Key::Enter));
        let nothing_focused = ui.memory(|m| m.focused().is_none());
        if enter && (response.lost_focus() || nothing_focused) {
            return self.confirm();
        }
        None
    }

    /// The entries of the folder being typed that match the partial name after it; a click on
    /// a folder enters it, on a file picks it, a double click on a file chooses it.
    fn entries_ui(&mut self, ui: &mut egui::Ui) -> Option<PathChoice> {
        let (folder, partial) = path_input::split_typed(&self.text);
        if self.listing.as_ref().is_none_or(|l| l.folder != folder) {
            self.listing = Some(Listing {
                entries: path_input::list_folder(&folder, false).map_err(|e| e.to_string()),
                folder: folder.clone(),
            });
        }
        let listing = self.listing.as_ref()?;
        let mut picked: Option<(PathBuf, bool)> = None;
        let mut chosen_file = None;
        ui.add_space(4.0);
        ui.weak(format!("In {}", folder.display()));
        egui::Frame::group(ui.style()).show(ui, |ui| match &listing.entries {
            Err(err) => {
                ui.set_min_size(egui::vec2(ui.available_width(), LIST_HEIGHT));
                ui.weak(format!("Cannot list this folder: {err}"));
            }
            Ok(entries) => {
                let row = |ui: &mut egui::Ui, label: String| {
                    let width = ui.available_width();
                    ui.add(egui::Button::selectable(false, label).min_size(egui::vec2(width, 0.0)))
                };
                if let Some(parent) = parent_folder(&folder)
                    && row(ui, "Parent folder (..)".into()).clicked()
                {
                    picked = Some((parent, true));
                }
                // The entries matching the typed name; all of them while none does (a
                // proposed new file name), so the folder's content is always in view.
                let mut shown = path_input::matching(entries, &partial);
                if shown.is_empty() {
                    shown = entries.iter().collect();
                }
                shown.retain(|e| self.is_listed(e));
                // Only the rows on screen are laid out: a `_posts/` of thousands stays quick.
                let row_height = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical()
                    .max_height(LIST_HEIGHT)
                    .min_scrolled_height(LIST_HEIGHT)
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, shown.len(), |ui, rows| {
                        for entry in shown.get(rows).unwrap_or_default() {
                            let label = if entry.is_folder {
                                format!("{}/", entry.name)
                            } else {
                                entry.name.clone()
                            };
                            let response = row(ui, label);
                            if response.double_clicked() && !entry.is_folder {
                                chosen_file = Some(entry.path.clone());
                            } else if response.clicked() {
                                picked = Some((entry.path.clone(), entry.is_folder));
                            }
                        }
                    });
            }
        });
        if let Some((path, is_folder)) = picked {
            self.text = if is_folder {
                path_input::folder_text(&path)
            } else {
                path.display().to_string()
            };
            self.problem = None;
            self.wants_focus = true;
        }
        if let Some(path) = chosen_file {
            self.text = path.display().to_string();
            return self.confirm();
        }
        None
    }

    /// True when `entry` belongs in the list for this purpose.
    fn is_listed(&self, entry: &FolderEntry) -> bool {
        if entry.is_folder {
            return true;
        }
        if self.purpose.kind() == PathKind::Folder {
            return false;
        }
        let extensions = self.purpose.extensions();
        extensions.is_empty()
            || Path::new(&entry.name)
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.iter().any(|e| x.eq_ignore_ascii_case(e)))
    }

    /// Takes the typed path if it answers the purpose; a folder typed where a file is wanted
    /// is entered instead, and anything else wrong is said under the field.
    fn confirm(&mut self) -> Option<PathChoice> {
        let path = path_input::typed_path(&self.text);
        if self.purpose.kind() != PathKind::Folder && path.is_dir() {
            self.text = path_input::folder_text(&path);
            self.wants_focus = true;
            return None;
        }
        match path_input::check_choice(self.purpose.kind(), &path, self.current.as_deref()) {
            Ok(()) => Some(PathChoice::Chosen(path)),
            Err(problem) => {
                self.problem = Some(problem.to_string());
                self.wants_focus = true;
                None
            }
        }
    }
}

/// The folder above `folder`, if there is one.
fn parent_folder(folder: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(folder).ok()?;
    let trimmed: PathBuf = absolute.components().collect();
    trimmed.parent().map(Path::to_path_buf)
}
