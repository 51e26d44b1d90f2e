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
        ui.horizontal(|ui| {
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
        let matches = markdown::find_all(doc.post.body(), &self.find_text, self.match_case);
        ui.horizontal(|ui| {
            let label = ui.label("Find");
            let response = ui
                .add(egui::TextEdit::singleline(&mut self.find_text).desired_width(160.0))
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
            ui.horizontal(|ui| {
                let label = ui.label("Replace with");
                ui.add(egui::TextEdit::singleline(&mut self.replace_text).desired_width(160.0))
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
        let label = ui.label("Body (Markdown)");
        let output = egui::ScrollArea::vertical()
            .id_salt("editor-scroll")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::TextEdit::multiline(doc.post.body_mut())
                    .id(body_id())
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(30)
                    .layouter(&mut layouter)
                    .show(ui)
            })
            .inner;
        let response = output.response.response.clone().labelled_by(label.id);
        if let Some(range) = output.cursor_range {
            let chars = range.as_sorted_char_range();
            let body = doc.post.body();
            let start = char_to_byte(body, chars.start.0);
            let end = char_to_byte(body, chars.end.0);
            self.selection = Some(start..end);
        }
        if response.changed() {
            doc.record_edit(EditKind::Body);
        }
        if let Some(range) = self.select_on_next_frame.take() {
            let body = doc.post.body();
            let (a, b) = (
                byte_to_char(body, range.start),
                byte_to_char(body, range.end),
            );
            let mut state =
                egui::text_edit::TextEditState::load(ui.ctx(), body_id()).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(CCursorRange::two(CCursor::new(a), CCursor::new(b))));
            state.store(ui.ctx(), body_id());
            ui.memory_mut(|m| m.request_focus(body_id()));
        }
    }
}
