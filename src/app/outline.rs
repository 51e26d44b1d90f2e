//! The outline beside the editor: the post's headings, indented by level; a click moves the
//! editor's cursor to the heading and scrolls there (long posts included). The headings are
//! scanned again when the text changes — at once for ordinary posts, once typing pauses for
//! long ones, so a keystroke in a long post never pays for a scan.

use std::time::{Duration, Instant};

use crate::document::{Document, Revision};
use crate::headings::{self, Heading};

/// Bodies longer than this are scanned again only once typing pauses.
const SCAN_AT_ONCE_BYTES: usize = 64 * 1024;

/// How long typing must pause before a long body is scanned again.
const PAUSE: Duration = Duration::from_millis(400);

/// The outline's state between frames.
#[derive(Default)]
pub struct OutlinePanel {
    headings: Vec<Heading>,
    scanned: Option<Revision>,
    /// The revision seen last, and when it was first seen (to notice a pause in typing).
    seen: Option<(Revision, Instant)>,
}

/// The label of the outline's heading, so tests can find the panel.
pub const OUTLINE_LABEL: &str = "Outline";

/// The accessible label of the outline's entry for a heading.
pub fn outline_entry_label(heading: &str) -> String {
    format!("Go to {heading}")
}

impl OutlinePanel {
    /// The headings listed now.
    pub fn headings(&self) -> &[Heading] {
        &self.headings
    }

    /// Scans the headings again when the text changed (long bodies once typing pauses).
    fn update(&mut self, ctx: &egui::Context, doc: &Document) {
        let revision = doc.revision();
        if self.scanned == Some(revision) {
            return;
        }
        let now = Instant::now();
        let since = match self.seen {
            Some((seen, at)) if seen == revision => at,
            _ => {
                self.seen = Some((revision, now));
                now
            }
        };
        let body = doc.post().body();
        let waited = now.duration_since(since);
        if self.scanned.is_none() || body.len() <= SCAN_AT_ONCE_BYTES || waited >= PAUSE {
            self.headings = headings::headings(body);
            self.scanned = Some(revision);
        } else {
            ctx.request_repaint_after(PAUSE.saturating_sub(waited));
        }
    }

    /// Draws the outline; returns the body offset (bytes) of a heading the user clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document) -> Option<usize> {
        self.update(ui.ctx(), doc);
        ui.strong(OUTLINE_LABEL);
        ui.separator();
        let mut clicked = None;
        if self.headings.is_empty() {
            ui.weak("No headings yet. Lines starting with # are listed here.");
        }
        let body_len = doc.post().body().len();
        let row_height = ui.spacing().interact_size.y;
        // Only the rows on screen are laid out: a long post has a thousand headings.
        egui::ScrollArea::vertical()
            .id_salt("outline-scroll")
            .auto_shrink(false)
            .show_rows(ui, row_height, self.headings.len(), |ui, rows| {
                for heading in self.headings.get(rows).unwrap_or_default() {
                    ui.horizontal(|ui| {
                        ui.set_height(row_height);
                        ui.add_space(f32::from(heading.level.saturating_sub(1)) * 10.0);
                        let text = if heading.level <= 2 {
                            egui::RichText::new(&heading.text).strong()
                        } else {
                            egui::RichText::new(&heading.text)
                        };
                        let link = egui::Button::new(text).frame(false).truncate();
                        let response = ui.add(link);
                        // Screen readers (and tests) hear where the entry goes, not a second
                        // copy of the heading the preview already shows.
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                true,
                                outline_entry_label(&heading.text),
                            )
                        });
                        if response.on_hover_text(&heading.text).clicked() {
                            clicked = Some(heading.offset_bytes.min(body_len));
                        }
                    });
                }
            });
        clicked
    }
}
