//! The modal dialogs, one type per file. Each draws itself with `ui` and returns what the user
//! chose (an enum) — it never acts on the document itself; the app carries the choice out.

pub mod changed_on_disk;
pub mod confirm_overwrite;
pub mod external_change;
pub mod image_alt;
pub mod path;
pub mod recover;
pub mod rename_name;
pub mod revert;
pub mod unsaved_changes;

use changed_on_disk::{ChangedOnDiskChoice, ChangedOnDiskDialog};
use confirm_overwrite::{ConfirmOverwriteChoice, ConfirmOverwriteDialog};
use external_change::{ExternalChangeChoice, ExternalChangeDialog};
use image_alt::{ImageAltChoice, ImageAltDialog};
use path::{PathChoice, PathDialog};
use recover::{RecoverChoice, RecoverDialog};
use rename_name::{RenameNameChoice, RenameNameDialog};
use revert::{RevertChoice, RevertDialog};
use unsaved_changes::{UnsavedChangesChoice, UnsavedChangesDialog};

use crate::document::Document;

/// The one question the app is waiting for the user to answer.
#[derive(Debug)]
pub enum Dialog {
    /// Unsaved edits would be lost by the next command.
    UnsavedChanges(UnsavedChangesDialog),
    /// Choose a path in the window (no desktop file dialog).
    Path(PathDialog),
    /// Saving would overwrite a file another program changed.
    ChangedOnDisk(ChangedOnDiskDialog),
    /// An export would overwrite a different post in the site.
    ConfirmOverwrite(ConfirmOverwriteDialog),
    /// Unsaved edits from a previous run were found in the journal.
    Recover(RecoverDialog),
    /// The open file changed on disk while it has local edits.
    ExternalChange(ExternalChangeDialog),
    /// Rename or merge a tag or category across the site.
    RenameName(RenameNameDialog),
    /// The alt text of an image dropped or pasted into the post.
    ImageAlt(ImageAltDialog),
    /// File → Revert over unsaved edits.
    Revert(RevertDialog),
}

/// A dialog's answer, with what the app needs to carry it out.
#[derive(Debug)]
pub enum DialogAnswer {
    /// The unsaved-edits guard was answered.
    UnsavedChanges(UnsavedChangesChoice, crate::app::system_command::Request),
    /// A path was chosen or the dialog cancelled.
    Path(path::PathPurpose, PathChoice),
    /// The changed-on-disk question was answered.
    ChangedOnDisk(ChangedOnDiskChoice),
    /// The export overwrite question was answered.
    ConfirmOverwrite(ConfirmOverwriteChoice),
    /// A recovered entry was restored or discarded.
    Recover(RecoverChoice),
    /// The external-change question was answered.
    ExternalChange(ExternalChangeChoice),
    /// The rename-a-name dialog was answered.
    RenameName(RenameNameChoice),
    /// The image alt-text dialog was answered.
    ImageAlt(ImageAltChoice),
    /// The revert question was answered.
    Revert(RevertChoice),
}

impl Dialog {
    /// Draws the dialog; returns the answer in the frame the user gives it.
    pub fn ui(&mut self, ctx: &egui::Context, doc: &Document) -> Option<DialogAnswer> {
        match self {
            Dialog::UnsavedChanges(dialog) => dialog
                .ui(ctx, &doc.display_name())
                .map(|choice| DialogAnswer::UnsavedChanges(choice, dialog.then.clone())),
            Dialog::Path(dialog) => dialog
                .ui(ctx)
                .map(|choice| DialogAnswer::Path(dialog.purpose(), choice)),
            Dialog::ChangedOnDisk(dialog) => dialog.ui(ctx).map(DialogAnswer::ChangedOnDisk),
            Dialog::ConfirmOverwrite(dialog) => dialog.ui(ctx).map(DialogAnswer::ConfirmOverwrite),
            Dialog::Recover(dialog) => dialog.ui(ctx).map(DialogAnswer::Recover),
            Dialog::ExternalChange(dialog) => dialog.ui(ctx, doc).map(DialogAnswer::ExternalChange),
            Dialog::RenameName(dialog) => dialog.ui(ctx).map(DialogAnswer::RenameName),
            Dialog::ImageAlt(dialog) => dialog.ui(ctx).map(DialogAnswer::ImageAlt),
            Dialog::Revert(dialog) => dialog
                .ui(ctx, &doc.display_name())
                .map(DialogAnswer::Revert),
        }
    }
}

/// Dialog text wraps at this width, in points.
const MAX_WIDTH: f32 = 520.0;

/// True (once) when Escape was pressed: every dialog treats it as Cancel.
fn escape_pressed(ctx: &egui::Context) -> bool {
    ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
}
