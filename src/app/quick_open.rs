//! The quick-open box (Ctrl+P): a field focused at once, fuzzy matching over the site's post
//! titles and file names with `nucleo-matcher` (the matcher helix uses), best match first;
//! Enter opens the top match (or the one chosen with the arrows), Escape closes.

use std::path::PathBuf;

use egui::text::{CCursor, CCursorRange};
use egui::{Key, Modifiers};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::site_panel::PostRow;

/// At most this many matches are listed.
const MATCHES_SHOWN: usize = 12;

/// Indices of `rows` whose title or file name fuzzily match `query`, best first (every row,
/// in order, for an empty query), at most `limit`.
pub fn fuzzy_matches(
    matcher: &mut Matcher,
    rows: &[PostRow],
    query: &str,
    limit: usize,
) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..rows.len().min(limit)).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut buffer = Vec::new();
    let mut scored: Vec<(u32, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let title = pattern.score(Utf32Str::new(&row.title, &mut buffer), matcher);
            let name = pattern.score(Utf32Str::new(&row.file_name, &mut buffer), matcher);
            title.max(name).map(|score| (score, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, i)| i).collect()
}

/// The quick-open box's state.
pub struct QuickOpen {
    is_open: bool,
    text: String,
    /// Give the field the focus in the next frame (until it has it).
    wants_focus: bool,
    /// Position in the matches of the one Enter opens.
    selected: usize,
    matcher: Matcher,
}

impl Default for QuickOpen {
    fn default() -> Self {
        QuickOpen {
            is_open: false,
            text: String::new(),
            wants_focus: false,
            selected: 0,
            matcher: Matcher::new(Config::DEFAULT),
        }
    }
}

impl std::fmt::Debug for QuickOpen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickOpen")
            .field("is_open", &self.is_open)
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

/// Id of the quick-open field.
fn field_id() -> egui::Id {
    egui::Id::unique("quick-open-field")
}

impl QuickOpen {
    /// Opens the box, empty, with the keyboard focus in its field.
    pub fn open(&mut self) {
        self.is_open = true;
        self.text.clear();
        self.selected = 0;
        self.wants_focus = true;
    }

    /// True while the box is on screen.
    pub fn is_open(&self) -> bool {
        self.is_open
    }

    /// Draws the box over the window; returns the post to open (the box then closes).
    pub fn ui(&mut self, ctx: &egui::Context, rows: &[PostRow]) -> Option<PathBuf> {
        if !self.is_open {
            return None;
        }
        let matches = fuzzy_matches(&mut self.matcher, rows, &self.text, MATCHES_SHOWN);
        let mut chosen: Option<PathBuf> = None;
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("quick-open")).show(ctx, |ui| {
            ui.set_width(520.0_f32.min(ctx.content_rect().width() - 60.0));
            let label = ui.label("Quick open");
            let id = field_id();
            if self.wants_focus {
                ui.memory_mut(|m| m.request_focus(id));
                let mut state =
                    egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
                let end = CCursor::new(self.text.chars().count());
                state.cursor.set_char_range(Some(CCursorRange::one(end)));
                state.store(ui.ctx(), id);
            }
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.text)
                        .id(id)
                        .hint_text("post title or file name")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if response.has_focus() {
                self.wants_focus = false;
                let (down, up) = ui.input_mut(|i| {
                    (
                        i.consume_key(Modifiers::NONE, Key::ArrowDown),
                        i.consume_key(Modifiers::NONE, Key::ArrowUp),
                    )
                });
                if down {
                    self.selected = (self.selected + 1).min(matches.len().saturating_sub(1));
                }
                if up {
                    self.selected = self.selected.saturating_sub(1);
                }
            }
            if response.changed() {
                self.selected = 0;
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                chosen = matches
                    .get(self.selected)
                    .or(matches.first())
                    .and_then(|i| rows.get(*i))
                    .map(|r| r.absolute.clone());
                close = true;
            }
            if rows.is_empty() {
                ui.weak("No site is open: File → Open site…");
            } else if matches.is_empty() {
                ui.weak("No post matches");
            }
            for (position, index) in matches.iter().enumerate() {
                let Some(row) = rows.get(*index) else {
                    continue;
                };
                let text = format!("{} — {}", row.title, row.file_name);
                let width = ui.available_width();
                if ui
                    .add(
                        egui::Button::selectable(position == self.selected, text)
                            .truncate()
                            .min_size(egui::vec2(width, 0.0)),
                    )
                    .clicked()
                {
                    chosen = Some(row.absolute.clone());
                    close = true;
                }
            }
        });
        // Escape, or a click beside the box.
        if modal.should_close() {
            close = true;
        }
        if close {
            self.is_open = false;
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::index::PostFile;

    fn rows(titles: &[(&str, &str)]) -> Vec<PostRow> {
        titles
            .iter()
            .map(|(title, file)| {
                let mut row = PostRow::from_file(PostFile {
                    absolute: PathBuf::from(file),
                    relative: format!("_posts/{file}"),
                    is_draft: false,
                });
                row.title = title.to_string();
                row
            })
            .collect()
    }

    #[test]
    fn fuzzy_matching_finds_titles_and_file_names_best_first() {
        let rows = rows(&[
            ("Weekly notes", "2025-01-01-weekly.md"),
            ("Rust in production", "2025-01-02-rust-prod.md"),
            ("Trusty old tools", "2025-01-03-tools.md"),
        ]);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let found = fuzzy_matches(&mut matcher, &rows, "rstprod", 10);
        assert_eq!(found.first(), Some(&1), "{found:?}");
        let found = fuzzy_matches(&mut matcher, &rows, "TOOLS", 10);
        assert_eq!(found.first(), Some(&2));
        assert!(fuzzy_matches(&mut matcher, &rows, "zzzz", 10).is_empty());
        assert_eq!(fuzzy_matches(&mut matcher, &rows, "", 2), [0, 1]);
    }
}
