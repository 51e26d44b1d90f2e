//! Work done every frame besides drawing: journaling unsaved edits after typing pauses, and
//! noticing when the open file changes on disk. The timing lives in [`crate::session`]; this
//! only shows the results.

use std::time::Instant;

use super::BylineApp;
use super::dialogs::Dialog;
use super::dialogs::external_change::ExternalChangeDialog;
use super::notifications::Severity;
use crate::session::{DISK_CHECK_INTERVAL, DiskChange, JournalTick};

impl BylineApp {
    /// Journals unsaved edits about a second after typing pauses, and drops the entry once the
    /// document is saved again.
    pub(super) fn journal_upkeep(&mut self, ctx: &egui::Context) {
        match self.session.tick_journal(&self.doc, Instant::now()) {
            JournalTick::WaitFor(delay) => ctx.request_repaint_after(delay),
            JournalTick::Failed(err) => self.notifications.notify(
                Severity::Error,
                format!("Could not write the recovery journal: {err}"),
            ),
            JournalTick::Idle | JournalTick::Written | JournalTick::Forgotten => {}
        }
    }

    /// Notices when the open file changed on disk: reloads it when there are no local edits,
    /// asks when there are, and says once when it was deleted.
    pub(super) fn disk_upkeep(&mut self, ctx: &egui::Context) {
        let focus_gained = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(true)))
        });
        ctx.request_repaint_after(DISK_CHECK_INTERVAL);
        if !self.session.is_disk_check_due(focus_gained, Instant::now()) || self.dialog.is_some() {
            return;
        }
        let name = self.doc.display_name();
        match DiskChange::of(&self.doc) {
            DiskChange::Unchanged | DiskChange::StillDeleted => {}
            DiskChange::Deleted => {
                self.doc.note_deleted_on_disk();
                self.notifications.notify(
                    Severity::Error,
                    format!(
                        "{name} was deleted or moved on disk; your text is still here: \
                         save to write it again"
                    ),
                );
            }
            DiskChange::ChangedWithEdits => {
                self.dialog = Some(Dialog::ExternalChange(ExternalChangeDialog::default()));
            }
            DiskChange::ChangedWithoutEdits => match self.doc.take_disk_version() {
                Ok(()) => self.notifications.notify(
                    Severity::Warning,
                    format!("Reloaded {name}: it changed on disk"),
                ),
                Err(err) => self.notifications.notify(
                    Severity::Error,
                    format!("{name} changed on disk and could not be read: {err}"),
                ),
            },
        }
    }
}
