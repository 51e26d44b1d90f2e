//! The Markdown editor: monospace text with Markdown and Liquid colouring, a formatting
//! toolbar, and find and replace.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, CCursorRange, LayoutJob, TextFormat};

use super::command::Command;
use super::spelling::{self, Spelling};
use crate::document::{Document, EditKind, Revision, conform_line_endings};
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
    /// The match the find bar went to last (index into the find results).
    current_match: Option<usize>,
    focus_find: bool,
    select_on_next_frame: Option<SelectRequest>,
    /// The highlighted layout of the shown text: (hash of text and marks, wrap width, dark mode, job).
    highlight_cache: Option<(u64, f32, bool, LayoutJob)>,
    window: Option<Window>,
    lines: LineIndex,
    is_refocus_pending: bool,
    /// Find results for (document revision, search text, match case).
    matches: Option<(FindKey, Vec<Range<usize>>)>,
    /// Font size of the editor text, in points.
    pub font_size: f32,
    /// Spell checking as you type.
    pub spelling: Spelling,
    /// The spelling language (the post's `lang` or the setting; empty: not checked).
    pub spelling_language: String,
    /// The body's text as last laid out: its galley, where it was drawn, and where the window
    /// starts in the body (for right-clicks and tests).
    shown_galley: Option<(Arc<egui::Galley>, egui::Pos2, Range<usize>)>,
}

/// What find results were computed for: document revision, search text, match case.
type FindKey = (Revision, String, bool);

/// The editor widget's id, so tests and commands can find it.
pub fn body_id() -> egui::Id {
    egui::Id::unique("markdown-body")
}

/// The find field's id, so the find bar can keep the focus there.
pub fn find_id() -> egui::Id {
    egui::Id::unique("find-text")
}

/// The replace field's id.
fn replace_id() -> egui::Id {
    egui::Id::unique("replace-text")
}

/// Keys the find bar's fields keep for themselves: arrows move the cursor, and Esc reaches the
/// bar (which closes and returns to the body) instead of only dropping the focus.
const FIND_BAR_KEYS: egui::EventFilter = egui::EventFilter {
    horizontal_arrows: true,
    vertical_arrows: true,
    tab: false,
    escape: true,
};

/// A selection to put into the body's text widget on this frame.
#[derive(Debug, Clone)]
struct SelectRequest {
    /// Byte range in the body.
    range: Range<usize>,
    /// Move the keyboard focus into the body (not when the find field keeps it).
    is_focusing_body: bool,
    /// Scroll the selection into view.
    is_revealing: bool,
}

impl SelectRequest {
    /// Selects `range`, focuses the body and scrolls there (formatting, replace, Esc in find).
    fn focus(range: Range<usize>) -> SelectRequest {
        SelectRequest {
            range,
            is_focusing_body: true,
            is_revealing: true,
        }
    }

    /// Puts the cursor back where the user was after the widget's text was adjusted, without
    /// moving focus or scrolling.
    fn keep(range: Range<usize>) -> SelectRequest {
        SelectRequest {
            range,
            is_focusing_body: false,
            is_revealing: false,
        }
    }
}

/// "1 character", "2 characters": a count with its noun in the right number.
pub fn counted(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("{count} {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// The selection with surrounding whitespace left out, so formatting wraps the words (a
/// selection of only whitespace becomes an empty selection where it started).
fn trimmed_selection(text: &str, selection: Range<usize>) -> Range<usize> {
    let Some(selected) = text.get(selection.clone()) else {
        return selection;
    };
    let start = selection.start + (selected.len() - selected.trim_start().len());
    let end = selection.end - (selected.len() - selected.trim_end().len());
    if start >= end {
        selection.start..selection.start
    } else {
        start..end
    }
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

/// The highlighting spans cut where find results start and end: each piece with its span
/// kind and, inside a match, whether it is the current match.
fn split_at_matches(
    spans: &[(Range<usize>, Span)],
    matches: &[(Range<usize>, bool)],
) -> Vec<(Range<usize>, Span, Option<bool>)> {
    let mut out = Vec::with_capacity(spans.len() + 2 * matches.len());
    let mut found = matches.iter().peekable();
    for (range, span) in spans {
        let mut at = range.start;
        while at < range.end {
            while found.peek().is_some_and(|(m, _)| m.end <= at) {
                found.next();
            }
            let (end, flag) = match found.peek() {
                Some((m, is_current)) if m.start <= at => (m.end.min(range.end), Some(*is_current)),
                Some((m, _)) => (m.start.min(range.end), None),
                None => (range.end, None),
            };
            out.push((at..end, *span, flag));
            at = end;
        }
    }
    out
}

/// The pieces cut again where misspelled words start and end, each marked when inside one.
fn split_at_misspelled(
    pieces: &[(Range<usize>, Span, Option<bool>)],
    misspelled: &[Range<usize>],
) -> Vec<(Range<usize>, Span, Option<bool>, bool)> {
    if misspelled.is_empty() {
        return pieces
            .iter()
            .map(|(r, s, f)| (r.clone(), *s, *f, false))
            .collect();
    }
    let mut out = Vec::with_capacity(pieces.len() + 2 * misspelled.len());
    let mut words = misspelled.iter().peekable();
    for (range, span, found) in pieces {
        let mut at = range.start;
        while at < range.end {
            while words.peek().is_some_and(|w| w.end <= at) {
                words.next();
            }
            let (end, inside) = match words.peek() {
                Some(w) if w.start <= at => (w.end.min(range.end), true),
                Some(w) => (w.start.min(range.end), false),
                None => (range.end, false),
            };
            out.push((at..end, *span, *found, inside));
            at = end;
        }
    }
    out
}

impl EditorPanel {
    /// Opens the find bar (and the replace field when `with_replace`).
    pub fn show_find(&mut self, with_replace: bool) {
        self.find_visible = true;
        self.replace_visible |= with_replace;
        self.focus_find = true;
    }

    /// The misspelled words underlined in the body now, as byte ranges.
    pub fn misspelled(&self, doc: &Document) -> &[Range<usize>] {
        self.spelling.ranges_for(doc.revision())
    }

    /// True once the body as it is now was spell checked.
    pub fn is_spelling_checked(&self, doc: &Document) -> bool {
        self.spelling.is_checked(doc.revision())
    }

    /// Where the character at `offset_bytes` of the body is on screen, when it is laid out.
    pub fn screen_pos_of(&self, offset_bytes: usize) -> Option<egui::Pos2> {
        let (galley, pos, range) = self.shown_galley.as_ref()?;
        let local = offset_bytes.checked_sub(range.start)?;
        let text = galley.text();
        let rect = galley.pos_from_cursor(CCursor::new(byte_to_char(text, local)));
        Some(rect.center() + pos.to_vec2() + egui::vec2(1.0, 0.0))
    }

    /// Puts the cursor at `offset_bytes` in the body, focuses the editor and scrolls there
    /// (the outline's jump; long posts move their editing window).
    pub fn go_to(&mut self, offset_bytes: usize) {
        self.selection = Some(offset_bytes..offset_bytes);
        self.select_on_next_frame = Some(SelectRequest::focus(offset_bytes..offset_bytes));
    }

    /// Applies a formatting command to the body's selection.
    pub fn apply_format(&mut self, doc: &mut Document, format: Format) {
        let body = doc.post().body();
        let selection = self.selection.clone().unwrap_or(body.len()..body.len());
        let selection = trimmed_selection(body, selection);
        let formatted = markdown::apply_format(body, selection, format);
        let eol = doc.post().line_ending();
        let old = doc.post().body().to_string();
        let conformed = conform_line_endings(&old, &formatted.text, eol, None);
        let selection = conformed.map_offset(formatted.selection.start)
            ..conformed.map_offset(formatted.selection.end);
        let _ = doc.apply(EditKind::Command, |post| {
            post.set_body(conformed.text);
            Ok::<bool, std::convert::Infallible>(true)
        });
        self.select_on_next_frame = Some(SelectRequest::focus(selection.clone()));
        self.selection = Some(selection);
    }

    /// Inserts `text` at the body's cursor (over the selection; at the end when the body never
    /// had a cursor) as one undoable step, and puts the cursor after it (an image dropped or
    /// pasted into the post).
    pub fn insert_at_cursor(&mut self, doc: &mut Document, text: &str) {
        let old = doc.post().body().to_string();
        let selection = self
            .selection
            .clone()
            .filter(|s| {
                s.start <= s.end && old.is_char_boundary(s.start) && old.is_char_boundary(s.end)
            })
            .unwrap_or(old.len()..old.len());
        let mut new = old.clone();
        new.replace_range(selection.clone(), text);
        let conformed = conform_line_endings(&old, &new, doc.post().line_ending(), None);
        let caret = conformed.map_offset(selection.start + text.len());
        let _ = doc.apply(EditKind::Command, |post| {
            post.set_body(conformed.text);
            Ok::<bool, std::convert::Infallible>(true)
        });
        self.select_on_next_frame = Some(SelectRequest::focus(caret..caret));
        self.selection = Some(caret..caret);
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

    /// The find results for the current text, recomputed when the body or the search changes.
    fn matches(&mut self, doc: &Document) -> Vec<Range<usize>> {
        let key = (doc.revision(), self.find_text.clone(), self.match_case);
        let is_stale = self.matches.as_ref().is_none_or(|(k, _)| *k != key);
        if is_stale {
            let found = markdown::find_all(doc.post().body(), &self.find_text, self.match_case);
            // The match we went to stays current while it is still selected.
            self.current_match = self
                .selection
                .as_ref()
                .and_then(|s| found.iter().position(|m| m == s));
            self.matches = Some((key, found));
        }
        self.matches
            .as_ref()
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    /// Goes to the next match after the cursor (the first one at or after it, or the one after
    /// the current match when it is selected), or the previous one; wraps around.
    fn go_to_match(&mut self, matches: &[Range<usize>], is_forward: bool) {
        let Some(last) = matches.len().checked_sub(1) else {
            return;
        };
        let selection = self.selection.clone().unwrap_or(0..0);
        let is_on_match = matches.contains(&selection);
        let index = if is_forward {
            let from = if is_on_match {
                selection.end
            } else {
                selection.start
            };
            matches
                .iter()
                .position(|m| m.start >= from && *m != selection)
                .unwrap_or(0)
        } else {
            matches
                .iter()
                .rposition(|m| m.start < selection.start)
                .unwrap_or(last)
        };
        if let Some(found) = matches.get(index) {
            self.current_match = Some(index);
            self.selection = Some(found.clone());
            self.select_on_next_frame = Some(SelectRequest {
                range: found.clone(),
                is_focusing_body: false,
                is_revealing: true,
            });
        }
    }

    /// Closes the find bar and puts the focus back into the body, the found text selected.
    fn close_find(&mut self) {
        self.find_visible = false;
        self.replace_visible = false;
        let selection = self.selection.clone().unwrap_or(0..0);
        self.select_on_next_frame = Some(SelectRequest::focus(selection));
    }

    fn find_bar_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        if !self.find_visible {
            return;
        }
        let mut matches = self.matches(doc);
        // Enter and Shift+Enter step through the matches and Esc closes the bar, while the
        // focus stays in the find field (so Enter can never reach the body and replace text).
        if ui.memory(|m| m.has_focus(find_id()) || m.has_focus(replace_id())) {
            let is_find_focused = ui.memory(|m| m.has_focus(find_id()));
            let (previous, next, escape) = ui.input_mut(|i| {
                if is_find_focused {
                    (
                        i.count_and_consume_key(egui::Modifiers::SHIFT, egui::Key::Enter),
                        i.count_and_consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                    )
                } else {
                    (
                        0,
                        0,
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                    )
                }
            });
            for _ in 0..previous {
                self.go_to_match(&matches, false);
            }
            for _ in 0..next {
                self.go_to_match(&matches, true);
            }
            if escape {
                self.close_find();
                return;
            }
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Find text");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.find_text)
                        .id(find_id())
                        .return_key(None)
                        .event_filter(FIND_BAR_KEYS)
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
            if self.focus_find {
                response.request_focus();
                self.focus_find = false;
            }
            ui.checkbox(&mut self.match_case, "Match case");
            if response.changed() {
                matches = self.matches(doc);
            }
            let count = matches.len();
            match self.current_match.filter(|i| *i < count) {
                _ if count == 0 && self.find_text.is_empty() => {}
                _ if count == 0 => {
                    ui.weak("No matches");
                }
                Some(index) => {
                    ui.weak(format!("{} of {count}", index + 1));
                }
                None => {
                    ui.weak(counted(count, "match", "matches"));
                }
            }
            if ui
                .add_enabled(count > 0, egui::Button::new("Previous"))
                .on_hover_text("Previous match (Shift+Enter)")
                .clicked()
            {
                self.go_to_match(&matches, false);
            }
            if ui
                .add_enabled(count > 0, egui::Button::new("Next"))
                .on_hover_text("Next match (Enter)")
                .clicked()
            {
                self.go_to_match(&matches, true);
            }
            if ui.button("Close").on_hover_text("Close (Esc)").clicked() {
                self.close_find();
            }
        });
        if self.replace_visible && self.find_visible {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Replace with");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.replace_text)
                            .id(replace_id())
                            .return_key(None)
                            .event_filter(FIND_BAR_KEYS)
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                let is_enter = response.has_focus()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
                let current = self
                    .current_match
                    .and_then(|i| matches.get(i))
                    .filter(|m| self.selection.as_ref() == Some(*m))
                    .cloned();
                if (ui
                    .add_enabled(current.is_some(), egui::Button::new("Replace"))
                    .on_hover_text("Replace the selected match and go to the next")
                    .clicked()
                    || is_enter)
                    && let Some(range) = current
                {
                    self.replace_match(doc, range);
                    let after = self.matches(doc);
                    self.go_to_match(&after, true);
                }
                if ui
                    .add_enabled(
                        !matches.is_empty(),
                        egui::Button::new(format!("Replace all ({})", matches.len())),
                    )
                    .clicked()
                {
                    let replacement = self.replace_text.clone();
                    let _ = doc.apply(EditKind::Command, |post| {
                        let body = post.body();
                        let mut replaced = String::with_capacity(body.len());
                        let mut last = 0;
                        for range in &matches {
                            replaced.push_str(body.get(last..range.start).unwrap_or(""));
                            replaced.push_str(&replacement);
                            last = range.end;
                        }
                        replaced.push_str(body.get(last..).unwrap_or(""));
                        post.set_body(replaced);
                        Ok::<bool, std::convert::Infallible>(true)
                    });
                    self.current_match = None;
                }
            });
        }
    }

    /// Replaces one match with the replacement text, leaving the cursor after it.
    fn replace_match(&mut self, doc: &mut Document, range: Range<usize>) {
        let replacement = self.replace_text.clone();
        let _ = doc.apply(EditKind::Command, |post| {
            post.body_mut().replace_range(range.clone(), &replacement);
            Ok::<bool, std::convert::Infallible>(true)
        });
        let end = range.start + replacement.len();
        self.selection = Some(end..end);
        self.current_match = None;
        self.select_on_next_frame = Some(SelectRequest {
            range: end..end,
            is_focusing_body: false,
            is_revealing: true,
        });
    }

    /// Draws the toolbar, find bar and the body editor; records commands for the app.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &mut Document, commands: &mut Vec<Command>) {
        self.spelling.update(ui.ctx(), doc, &self.spelling_language);
        self.toolbar_ui(ui, commands);
        self.find_bar_ui(ui, doc);
        ui.separator();
        let font = egui::FontId::monospace(if self.font_size > 0.0 {
            self.font_size
        } else {
            13.0
        });
        if std::mem::take(&mut self.is_refocus_pending) && self.select_on_next_frame.is_none() {
            ui.memory_mut(|m| m.request_focus(body_id()));
        }
        let label = ui.label("Body (Markdown)");
        let row_height = ui.fonts_mut(|f| f.row_height(&font));
        let char_width = ui.fonts_mut(|f| f.glyph_width(&font, 'x')).max(1.0);
        let columns = ((ui.available_width() - 16.0) / char_width).max(20.0);
        if self.lines.revision != Some(doc.revision()) || self.lines.columns != columns {
            self.lines = LineIndex::new(doc.post().body(), doc.revision(), columns, row_height);
        }
        let is_windowed = doc.post().body().len() > WINDOWED_BODY_BYTES;
        // Ctrl+Home / Ctrl+End mean the start and end of the post, not of the window.
        let is_shift_held = ui.input(|i| i.modifiers.shift);
        if is_windowed && !is_shift_held && ui.memory(|m| m.has_focus(body_id())) {
            let body_len = doc.post().body().len();
            let ctrl = egui::Modifiers::CTRL;
            if ui.input_mut(|i| i.consume_key(ctrl, egui::Key::Home)) {
                self.select_on_next_frame = Some(SelectRequest::focus(0..0));
            } else if ui.input_mut(|i| i.consume_key(ctrl, egui::Key::End)) {
                self.select_on_next_frame = Some(SelectRequest::focus(body_len..body_len));
            }
        }
        let mut scroll_to = None;
        // A selection to show outside the window (find, undo...) moves the window there.
        if let Some(target) = self.select_on_next_frame.as_ref().map(|r| r.range.clone()) {
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
                    || (!is_windowed
                        && (w.first_line != 0 || w.range.end != doc.post().body().len()))
            }
        };
        if needs_rebuild {
            let (first, end) = match (&self.window, is_windowed) {
                (_, false) => (0, self.lines.count()),
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
                self.select_on_next_frame = self.selection.clone().map(SelectRequest::focus);
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
        // Find results inside the window, relative to it (the current one marked), so every
        // match is highlighted while the user types in the find field.
        let highlights: Vec<(Range<usize>, bool)> = if self.find_visible {
            let current = self
                .current_match
                .and_then(|i| self.matches.as_ref().and_then(|(_, m)| m.get(i)))
                .cloned();
            self.matches
                .as_ref()
                .map(|(_, m)| m.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|m| m.start >= window.range.start && m.end <= window.range.end)
                .map(|m| {
                    (
                        m.start - window.range.start..m.end - window.range.start,
                        Some(m) == current.as_ref(),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        // Misspelled words inside the window, relative to it.
        let misspelled: Vec<Range<usize>> = self
            .spelling
            .ranges_for(doc.revision())
            .iter()
            .filter(|m| m.start >= window.range.start && m.end <= window.range.end)
            .map(|m| m.start - window.range.start..m.end - window.range.start)
            .collect();
        let cache = &mut self.highlight_cache;
        let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, wrap_width: f32| {
            let text = buffer.as_str();
            let hash = egui::util::hash((text, font.size.to_bits(), &highlights, &misspelled));
            let dark = ui.visuals().dark_mode;
            if let Some((h, w, d, job)) = cache
                && *h == hash
                && *w == wrap_width
                && *d == dark
            {
                // egui's own galley cache answers this without laying out again, and forgets
                // its galleys whenever the font atlas is rebuilt (a font added, the atlas
                // full) — a galley kept here would then point at glyphs that are gone.
                return ui.fonts_mut(|f| f.layout_job(job.clone()));
            }
            let mut job = LayoutJob::default();
            let spans = if text.len() > HIGHLIGHT_LIMIT_BYTES {
                vec![(0..text.len(), Span::Text)]
            } else {
                markdown::highlight(text)
            };
            let pieces = split_at_matches(&spans, &highlights);
            for (range, span, found, is_misspelled) in split_at_misspelled(&pieces, &misspelled) {
                let mut format = format_for(span, ui, font.clone());
                if is_misspelled {
                    let red = if dark {
                        egui::Color32::from_rgb(255, 90, 90)
                    } else {
                        egui::Color32::from_rgb(210, 20, 20)
                    };
                    format.underline = egui::Stroke::new(1.5, red);
                }
                if let Some(is_current) = found {
                    format.background = match (is_current, dark) {
                        (true, true) => egui::Color32::from_rgb(200, 120, 0),
                        (true, false) => egui::Color32::from_rgb(255, 190, 60),
                        (false, true) => egui::Color32::from_rgb(80, 70, 20),
                        (false, false) => egui::Color32::from_rgb(255, 240, 160),
                    };
                }
                job.append(text.get(range).unwrap_or(""), 0.0, format);
            }
            job.wrap.max_width = wrap_width;
            *cache = Some((hash, wrap_width, dark, job.clone()));
            ui.fonts_mut(|f| f.layout_job(job))
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
                    // The text fills the editor down to the window's bottom edge, so a click
                    // anywhere below the last line still places the cursor.
                    .min_size(egui::vec2(0.0, (viewport.height() - above).max(0.0)))
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
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let cursor = output.galley.cursor_from_pos(pos - output.galley_pos);
            let offset = window.range.start + char_to_byte(&window.text, cursor.index.0);
            self.spelling.open_menu_at(doc, offset);
        }
        let mut word_choice = None;
        response.context_menu(|ui| {
            word_choice = self.spelling.menu_ui(ui);
            for command in [Command::Cut, Command::Copy, Command::Paste] {
                if ui.button(command.label()).clicked() {
                    commands.push(command);
                }
            }
            if word_choice.is_some() {
                ui.close();
            }
        });
        self.shown_galley = Some((
            output.galley.clone(),
            output.galley_pos,
            window.range.clone(),
        ));
        if let Some(choice) = word_choice
            && let Some(replaced) = self.spelling.apply_choice(doc, choice)
        {
            self.select_on_next_frame = Some(SelectRequest::focus(replaced.end..replaced.end));
        }
        let cursor = output.cursor_range.map(|range| {
            let chars = range.as_sorted_char_range();
            char_to_byte(&window.text, chars.start.0)..char_to_byte(&window.text, chars.end.0)
        });
        if response.changed() {
            // New line breaks follow the file's line ending (typed, pasted, or half of a
            // `\r\n` deleted), so the file never gets mixed line endings.
            let old = doc.post().body().get(window.range.clone()).unwrap_or("");
            let conformed = conform_line_endings(
                old,
                &window.text,
                doc.post().line_ending(),
                cursor.as_ref().map(|c| c.end),
            );
            let local = cursor
                .clone()
                .map(|c| conformed.map_offset(c.start)..conformed.map_offset(c.end));
            if conformed.text != window.text {
                window.text = conformed.text;
                if let Some(local) = &local {
                    self.select_on_next_frame = Some(SelectRequest::keep(
                        window.range.start + local.start..window.range.start + local.end,
                    ));
                }
            }
            let range = window.range.clone();
            let text = window.text.clone();
            let edit = spelling::edit_span(range.start, old, &text);
            let before = doc.revision();
            let _ = doc.apply(EditKind::Body, |post| {
                post.body_mut().replace_range(range, &text);
                Ok::<bool, std::convert::Infallible>(true)
            });
            window.range.end = window.range.start + window.text.len();
            window.revision = doc.revision();
            self.spelling.note_edit(edit, before, doc.revision());
            // The status bar was drawn before this edit: draw it again at once.
            ui.ctx().request_repaint();
            if let Some(local) = local {
                self.selection =
                    Some(window.range.start + local.start..window.range.start + local.end);
            }
        } else if let Some(local) = cursor
            && self.select_on_next_frame.is_none()
            && response.has_focus()
        {
            // Only a focused text widget holds a selection (egui collapses it otherwise), so
            // the selection is taken from it only while it has the focus: the find bar and the
            // toolbar keep working on the selection the user made.
            self.selection = Some(window.range.start + local.start..window.range.start + local.end);
        }
        if let Some((first, end)) = rewindow {
            if response.has_focus() && self.select_on_next_frame.is_none() {
                self.select_on_next_frame = self.selection.clone().map(SelectRequest::focus);
            }
            window = self.lines_window_after_edit(doc, first, end);
        }
        if let Some(request) = self
            .select_on_next_frame
            .take()
            .filter(|r| r.range.end <= doc.post().body().len() && r.range.start <= r.range.end)
        {
            let range = request.range.clone();
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
                if request.is_focusing_body {
                    ui.memory_mut(|m| m.request_focus(body_id()));
                    // A click on a toolbar button releases focus on the following frame: ask
                    // again then, so the user can type over the selected text.
                    self.is_refocus_pending = true;
                }
                if request.is_revealing {
                    let cursor_rect = output
                        .galley
                        .pos_from_cursor(CCursor::new(b))
                        .translate(output.galley_pos.to_vec2());
                    ui.scroll_to_rect(cursor_rect, Some(egui::Align::Center));
                }
            } else {
                self.select_on_next_frame = Some(request);
            }
        }
        self.window = Some(window);
    }

    fn lines_window_after_edit(&mut self, doc: &Document, first: usize, end: usize) -> Window {
        if self.lines.revision != Some(doc.revision()) {
            self.lines = LineIndex::new(
                doc.post().body(),
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
    revision: Revision,
}

/// Where each line of the body starts and how tall it is estimated to be when wrapped, so the
/// parts of a long body outside the window take the right space without being laid out.
#[derive(Default)]
struct LineIndex {
    revision: Option<Revision>,
    columns: f32,
    row_height: f32,
    starts: Vec<usize>,
    tops: Vec<f32>,
    len_bytes: usize,
}

impl LineIndex {
    fn new(body: &str, revision: Revision, columns: f32, row_height: f32) -> LineIndex {
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
        let body = doc.post().body();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_trims_the_selection_and_counts_read_well() {
        assert_eq!(trimmed_selection("a  b", 1..3), 1..1, "only spaces: empty");
        assert_eq!(trimmed_selection(" ab \n", 0..5), 1..3);
        assert_eq!(counted(1, "character", "characters"), "1 character");
        assert_eq!(counted(0, "character", "characters"), "0 characters");
    }

    #[test]
    fn misspelled_words_cut_pieces_without_losing_text() {
        let pieces = vec![(0..5, Span::Text, None), (5..9, Span::Strong, Some(true))];
        let cut = split_at_misspelled(&pieces, &[3..7, 100..101]);
        let covered: Vec<(Range<usize>, bool)> = cut.iter().map(|p| (p.0.clone(), p.3)).collect();
        assert_eq!(
            covered,
            vec![(0..3, false), (3..5, true), (5..7, true), (7..9, false)]
        );
    }

    #[test]
    fn match_highlights_cut_spans_without_losing_text() {
        let spans = vec![(0..4, Span::Text), (4..10, Span::Strong)];
        let pieces = split_at_matches(&spans, &[(2..6, true), (8..9, false)]);
        let covered: Vec<Range<usize>> = pieces.iter().map(|p| p.0.clone()).collect();
        assert_eq!(covered, vec![0..2, 2..4, 4..6, 6..8, 8..9, 9..10]);
        let flags: Vec<Option<bool>> = pieces.iter().map(|p| p.2).collect();
        assert_eq!(
            flags,
            vec![None, Some(true), Some(true), None, Some(false), None]
        );
    }
}
