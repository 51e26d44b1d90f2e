//! The Markdown editor: monospace text with Markdown and Liquid colouring, a formatting
//! toolbar, and find and replace.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, CCursorRange, LayoutJob, TextFormat};

use super::command::Command;
use crate::document::{Document, EditKind};
use crate::markdown::{self, Format, Span};

/// Bodies larger than this are shown without colouring, so typing stays smooth.
const HIGHLIGHT_LIMIT_BYTES: usize = 256 * 1024;

/// The editor's state between frames.
#[derive(Default)]
pub struct EditorPanel {
    /// Last known selection in the body, as byte offsets.
    pub selection: Option<Range<usize>>,
    find_visible: bool,
    replace_visible: bool,
    find_text: String,
    replace_text: String,
    match_case: bool,
    current_match: usize,
    focus_find: bool,
    select_on_next_frame: Option<Range<usize>>,
    highlight_cache: Option<(u64, f32, bool, Arc<egui::Galley>)>,
    window: Option<Window>,
    lines: LineIndex,
    is_refocus_pending: bool,
    /// Find results for (document revision, search text, match case).
    matches: ((u64, String, bool), Vec<Range<usize>>),
    /// Font size of the editor text, in points.
    pub font_size: f32,
}

/// The editor widget's id, so tests and commands can find it.
pub fn body_id() -> egui::Id {
    egui::Id::unique("markdown-body")
}

fn char_to_byte(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

fn byte_to_char(text: &str, byte_index: usize) -> usize {
    text.get(..byte_index).map_or(0, |s| s.chars().count())
}

fn format_for(span: Span, ui: &egui::Ui, font: egui::FontId) -> TextFormat {
    let visuals = ui.visuals();
    let dark = visuals.dark_mode;
    let color = match span {
        Span::Text => visuals.text_color(),
        Span::Heading => {
            if dark {
                egui::Color32::from_rgb(120, 180, 255)
            } else {
                egui::Color32::from_rgb(20, 80, 170)
            }
        }
        Span::Strong | Span::Emphasis => visuals.strong_text_color(),
        Span::Code => {
            if dark {
                egui::Color32::from_rgb(230, 170, 110)
            } else {
                egui::Color32::from_rgb(150, 70, 10)
            }
        }
        Span::Link => {
            if dark {
                egui::Color32::from_rgb(110, 200, 190)
            } else {
                egui::Color32::from_rgb(0, 110, 120)
            }
        }
        Span::Liquid => {
            if dark {
                egui::Color32::from_rgb(200, 150, 230)
            } else {
                egui::Color32::from_rgb(120, 40, 160)
            }
        }
        Span::Marker => visuals.weak_text_color(),
    };
    TextFormat {
        font_id: font,
        color,
        italics: span == Span::Emphasis,
        underline: if span == Span::Link {
            egui::Stroke::new(0.5, color)
        } else {
            egui::Stroke::NONE
        },
        ..Default::default()
    }
}

impl EditorPanel {
    /// Opens the find bar (and the replace field when `with_replace`).
    pub fn show_find(&mut self, with_replace: bool) {
        self.find_visible = true;
        self.replace_visible |= with_replace;
        self.focus_find = true;
    }

    /// Applies a formatting command to the body's selection.
    pub fn apply_format(&mut self, doc: &mut Document, format: Format) {
        let body_len = doc.post.body().len();
        let selection = self.selection.clone().unwrap_or(body_len..body_len);
        let formatted = markdown::apply_format(doc.post.body(), selection, format);
        doc.post.set_body(formatted.text);
        doc.record_edit(EditKind::Command);
        self.select_on_next_frame = Some(formatted.selection.clone());
        self.selection = Some(formatted.selection);
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            let buttons = [
                ("B", Format::Bold, "Bold (Ctrl+B)"),
                ("I", Format::Italic, "Italic (Ctrl+I)"),
                ("Code", Format::Code, "Code (Ctrl+Shift+C)"),
                ("Link", Format::Link, "Link (Ctrl+K)"),
                ("H2", Format::Heading, "Heading"),
            ];
            for (text, format, hint) in buttons {
                let rich = match format {
                    Format::Bold => egui::RichText::new(text).strong(),
                    Format::Italic => egui::RichText::new(text).italics(),
                    Format::Code => egui::RichText::new(text).monospace(),
                    _ => egui::RichText::new(text),
                };
                if ui.button(rich).on_hover_text(hint).clicked() {
                    commands.push(Command::Format(format));
                }
            }
            ui.separator();
            if ui.button("Find").on_hover_text("Find (Ctrl+F)").clicked() {
                commands.push(Command::Find);
            }
            if ui
                .button("Replace")
                .on_hover_text("Find and replace (Ctrl+H)")
                .clicked()
            {
                commands.push(Command::Replace);
            }
        });
    }

    fn find_bar_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        if !self.find_visible {
            return;
        }
        let key = (doc.revision(), self.find_text.clone(), self.match_case);
        if self.matches.0 != key {
            self.matches = (
                key,
                markdown::find_all(doc.post.body(), &self.find_text, self.match_case),
            );
        }
        let matches = self.matches.1.clone();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Find text");
            let response = ui
                .add(egui::TextEdit::singleline(&mut self.find_text).desired_width(140.0))
                .labelled_by(label.id);
            if self.focus_find {
                response.request_focus();
                self.focus_find = false;
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.checkbox(&mut self.match_case, "Match case");
            let count = matches.len();
            if count == 0 {
                ui.weak(if self.find_text.is_empty() {
                    ""
                } else {
                    "No matches"
                });
            } else {
                ui.weak(format!(
                    "{} of {count}",
                    self.current_match.min(count - 1) + 1
                ));
            }
            let mut go = None;
            if ui
                .add_enabled(count > 0, egui::Button::new("Previous"))
                .clicked()
            {
                go = Some(
                    self.current_match
                        .checked_sub(1)
                        .unwrap_or(count.saturating_sub(1)),
                );
            }
            if ui
                .add_enabled(count > 0, egui::Button::new("Next"))
                .clicked()
                || (enter && count > 0)
            {
                go = Some((self.current_match + 1) % count.max(1));
            }
            if let Some(index) = go {
                self.current_match = index;
                if let Some(found) = matches.get(index) {
                    self.select_on_next_frame = Some(found.clone());
                }
            }
            if ui.button("Close").clicked() {
                self.find_visible = false;
                self.replace_visible = false;
            }
        });
        if self.replace_visible {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Replace with");
                ui.add(egui::TextEdit::singleline(&mut self.replace_text).desired_width(140.0))
                    .labelled_by(label.id);
                let current = matches
                    .get(self.current_match.min(matches.len().saturating_sub(1)))
                    .cloned();
                if ui
                    .add_enabled(current.is_some(), egui::Button::new("Replace"))
                    .clicked()
                    && let Some(range) = current
                {
                    doc.post
                        .body_mut()
                        .replace_range(range.clone(), &self.replace_text);
                    doc.record_edit(EditKind::Command);
                    let end = range.start + self.replace_text.len();
                    self.select_on_next_frame = Some(range.start..end);
                }
                if ui
                    .add_enabled(
                        !matches.is_empty(),
                        egui::Button::new(format!("Replace all ({})", matches.len())),
                    )
                    .clicked()
                {
                    let mut body = String::with_capacity(doc.post.body().len());
                    let mut last = 0;
                    for range in &matches {
                        body.push_str(doc.post.body().get(last..range.start).unwrap_or(""));
                        body.push_str(&self.replace_text);
                        last = range.end;
                    }
                    body.push_str(doc.post.body().get(last..).unwrap_or(""));
                    doc.post.set_body(body);
                    doc.record_edit(EditKind::Command);
                }
            });
        }
    }

    /// Draws the toolbar, find bar and the body editor; records commands for the app.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &mut Document, commands: &mut Vec<Command>) {
        self.toolbar_ui(ui, commands);
        self.find_bar_ui(ui, doc);
        ui.separator();
        let font = egui::FontId::monospace(if self.font_size > 0.0 {
            self.font_size
        } else {
            13.0
        });
        let cache = &mut self.highlight_cache;
        let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
            let text = buffer.as_str();
            let hash = egui::util::hash((text, font.size.to_bits()));
            let dark = ui.visuals().dark_mode;
            if let Some((h, w, d, galley)) = cache
                && *h == hash
                && *w == wrap_width
                && *d == dark
            {
                return galley.clone();
            }
            let mut job = LayoutJob::default();
            if text.len() > HIGHLIGHT_LIMIT_BYTES {
                job.append(text, 0.0, format_for(Span::Text, ui, font.clone()));
            } else {
                for (range, span) in markdown::highlight(text) {
                    job.append(
                        text.get(range).unwrap_or(""),
                        0.0,
                        format_for(span, ui, font.clone()),
                    );
                }
            }
            job.wrap.max_width = wrap_width;
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            *cache = Some((hash, wrap_width, dark, galley.clone()));
            galley
        };
        if std::mem::take(&mut self.is_refocus_pending) && self.select_on_next_frame.is_none() {
            ui.memory_mut(|m| m.request_focus(body_id()));
        }
        let label = ui.label("Body (Markdown)");
        let row_height = ui.fonts_mut(|f| f.row_height(&font));
        let char_width = ui.fonts_mut(|f| f.glyph_width(&font, 'x')).max(1.0);
        let columns = ((ui.available_width() - 16.0) / char_width).max(20.0);
        if self.lines.revision != Some(doc.revision()) || self.lines.columns != columns {
            self.lines = LineIndex::new(doc.post.body(), doc.revision(), columns, row_height);
        }
        let is_windowed = doc.post.body().len() > WINDOWED_BODY_BYTES;
        // Ctrl+Home / Ctrl+End mean the start and end of the post, not of the window.
        let is_shift_held = ui.input(|i| i.modifiers.shift);
        if is_windowed && !is_shift_held && ui.memory(|m| m.has_focus(body_id())) {
            let body_len = doc.post.body().len();
            let ctrl = egui::Modifiers::CTRL;
            if ui.input_mut(|i| i.consume_key(ctrl, egui::Key::Home)) {
                self.select_on_next_frame = Some(0..0);
            } else if ui.input_mut(|i| i.consume_key(ctrl, egui::Key::End)) {
                self.select_on_next_frame = Some(body_len..body_len);
            }
        }
        let mut scroll_to = None;
        // A selection to show outside the window (find, undo...) moves the window there.
        if let Some(target) = &self.select_on_next_frame {
            let outside = self
                .window
                .as_ref()
                .is_none_or(|w| target.start < w.range.start || target.end > w.range.end);
            if is_windowed && outside {
                let line = self.lines.line_of(target.start);
                self.window = Some(self.lines.window(
                    doc,
                    line.saturating_sub(WINDOW_MARGIN_LINES),
                    line + WINDOW_MARGIN_LINES,
                ));
                scroll_to = Some(self.lines.top_of(line.saturating_sub(3)));
            }
        }
        let needs_rebuild = match &self.window {
            None => true,
            Some(w) => {
                w.revision != doc.revision()
                    || (!is_windowed && (w.first_line != 0 || w.range.end != doc.post.body().len()))
            }
        };
        if needs_rebuild {
            let (first, end) = match (&self.window, is_windowed) {
                (_, false) => (0, usize::MAX),
                (Some(w), true) => (
                    w.first_line,
                    w.end_line.max(w.first_line + 2 * WINDOW_MARGIN_LINES),
                ),
                (None, true) => (0, 2 * WINDOW_MARGIN_LINES),
            };
            let old_start = self.window.as_ref().map(|w| w.range.start);
            let window = self.lines.window(doc, first, end);
            // The text widget keeps its cursor as an offset into the window: when the window
            // now starts elsewhere, put the cursor back where it was in the body.
            if old_start.is_some_and(|s| s != window.range.start)
                && self.select_on_next_frame.is_none()
                && ui.memory(|m| m.has_focus(body_id()))
            {
                self.select_on_next_frame = self.selection.clone();
            }
            self.window = Some(window);
        }
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("editor-scroll")
            .auto_shrink(false);
        if let Some(offset) = scroll_to {
            scroll = scroll.vertical_scroll_offset(offset);
        }
        let is_jumping = scroll_to.is_some();
        let Some(mut window) = self.window.take() else {
            return;
        };
        let lines = &self.lines;
        let mut rewindow = None;
        let output = scroll
            .show_viewport(ui, |ui, viewport| {
                let above = lines.top_of(window.first_line);
                let below = (lines.total_height() - lines.top_of(window.end_line)).max(0.0);
                ui.add_space(above);
                let output = egui::TextEdit::multiline(&mut window.text)
                    .id(body_id())
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(30)
                    .layouter(&mut layouter)
                    .show(ui);
                ui.add_space(below);
                // Not on the frame that jumps: the viewport here is still the old one.
                if is_windowed && !is_jumping {
                    let shown = above..above + output.response.response.rect.height();
                    let margin = viewport.height();
                    let is_near_edge = (viewport.top() < shown.start + margin
                        && window.first_line > 0)
                        || (viewport.bottom() > shown.end - margin
                            && window.end_line < lines.count());
                    if is_near_edge && !output.response.response.dragged() {
                        let top_line = lines.line_at(viewport.top());
                        let bottom_line = lines.line_at(viewport.bottom());
                        rewindow = Some((
                            top_line.saturating_sub(WINDOW_MARGIN_LINES),
                            bottom_line + WINDOW_MARGIN_LINES,
                        ));
                    }
                }
                output
            })
            .inner;
        let response = output.response.response.clone().labelled_by(label.id);
        if let Some(range) = output.cursor_range {
            let chars = range.as_sorted_char_range();
            let start = window.range.start + char_to_byte(&window.text, chars.start.0);
            let end = window.range.start + char_to_byte(&window.text, chars.end.0);
            self.selection = Some(start..end);
        }
        if response.changed() {
            doc.post
                .body_mut()
                .replace_range(window.range.clone(), &window.text);
            window.range.end = window.range.start + window.text.len();
            doc.record_edit(EditKind::Body);
            window.revision = doc.revision();
        }
        if let Some((first, end)) = rewindow {
            if response.has_focus() && self.select_on_next_frame.is_none() {
                self.select_on_next_frame = self.selection.clone();
            }
            window = self.lines_window_after_edit(doc, first, end);
        }
        if let Some(range) = self
            .select_on_next_frame
            .take()
            .filter(|r| r.end <= doc.post.body().len() && r.start <= r.end)
        {
            if range.start >= window.range.start && range.end <= window.range.end {
                let local = (range.start - window.range.start)..(range.end - window.range.start);
                let (a, b) = (
                    byte_to_char(&window.text, local.start),
                    byte_to_char(&window.text, local.end),
                );
                let mut state =
                    egui::text_edit::TextEditState::load(ui.ctx(), body_id()).unwrap_or_default();
                state
                    .cursor
                    .set_char_range(Some(CCursorRange::two(CCursor::new(a), CCursor::new(b))));
                state.store(ui.ctx(), body_id());
                ui.memory_mut(|m| m.request_focus(body_id()));
                // A click on Next or a toolbar button releases focus on the following frame:
                // ask again then, so the user can type over the found text.
                self.is_refocus_pending = true;
                let cursor_rect = output
                    .galley
                    .pos_from_cursor(CCursor::new(b))
                    .translate(output.galley_pos.to_vec2());
                ui.scroll_to_rect(cursor_rect, Some(egui::Align::Center));
            } else {
                self.select_on_next_frame = Some(range);
            }
        }
        self.window = Some(window);
    }

    fn lines_window_after_edit(&mut self, doc: &Document, first: usize, end: usize) -> Window {
        if self.lines.revision != Some(doc.revision()) {
            self.lines = LineIndex::new(
                doc.post.body(),
                doc.revision(),
                self.lines.columns,
                self.lines.row_height,
            );
        }
        self.lines.window(doc, first, end)
    }
}

/// Bodies larger than this are edited through a window of lines around the view, so a
/// keystroke lays out a few hundred lines instead of the whole post.
pub const WINDOWED_BODY_BYTES: usize = 64 * 1024;

/// Lines kept above and below the visible ones in the editing window.
const WINDOW_MARGIN_LINES: usize = 150;

/// The part of the body the text widget edits: whole lines `first_line..end_line`, without the
/// line break after the last one (that stays in the body outside the window).
struct Window {
    first_line: usize,
    end_line: usize,
    range: Range<usize>,
    text: String,
    revision: u64,
}

/// Where each line of the body starts and how tall it is estimated to be when wrapped, so the
/// parts of a long body outside the window take the right space without being laid out.
#[derive(Default)]
struct LineIndex {
    revision: Option<u64>,
    columns: f32,
    row_height: f32,
    starts: Vec<usize>,
    tops: Vec<f32>,
    len_bytes: usize,
}

impl LineIndex {
    fn new(body: &str, revision: u64, columns: f32, row_height: f32) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        let mut tops = Vec::with_capacity(starts.len() + 1);
        let mut y = 0.0;
        for (i, start) in starts.iter().enumerate() {
            tops.push(y);
            let end = starts.get(i + 1).copied().unwrap_or(body.len());
            let rows = ((end - start) as f32 / columns).ceil().max(1.0);
            y += rows * row_height;
        }
        tops.push(y);
        LineIndex {
            revision: Some(revision),
            columns,
            row_height,
            starts,
            tops,
            len_bytes: body.len(),
        }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    fn top_of(&self, line: usize) -> f32 {
        self.tops
            .get(line.min(self.count()))
            .copied()
            .unwrap_or(0.0)
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    fn line_at(&self, y: f32) -> usize {
        self.tops
            .partition_point(|&top| top <= y)
            .saturating_sub(1)
            .min(self.count().saturating_sub(1))
    }

    fn line_of(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    fn window(&self, doc: &Document, first: usize, end: usize) -> Window {
        let first = first.min(self.count().saturating_sub(1));
        let end = end.clamp(first + 1, self.count());
        let start_byte = self.starts.get(first).copied().unwrap_or(0);
        let end_byte = match self.starts.get(end) {
            Some(next) => next - 1,
            None => self.len_bytes,
        };
        let body = doc.post.body();
        let range =
            start_byte.min(body.len())..end_byte.clamp(start_byte.min(body.len()), body.len());
        Window {
            first_line: first,
            end_line: end,
            text: body.get(range.clone()).unwrap_or("").to_string(),
            range,
            revision: doc.revision(),
        }
    }
}
