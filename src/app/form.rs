//! The front-matter form: typed widgets for the known fields, raw YAML for the other keys, and
//! the raw block with its error when the front matter does not parse.

use std::path::{Path, PathBuf};

use chrono::{Datelike, FixedOffset, NaiveTime};

use serde_yaml::Value;

use crate::document::{
    Document, EditKind, Revision, TypedEntry, UnwrittenEdit, conform_line_endings,
};
use std::collections::BTreeMap;

use crate::post::Post;
use crate::post::date::PostDate;
use crate::post::registry::{self, FieldKind, FieldSpec, FormWidget};
use crate::post::scalar::{QuoteStyle, string_scalar};
use crate::site;

/// True when the typed row of `spec` shows `value` exactly as it is, so editing the row
/// cannot drop anything the user did not see (a map or list where a text is expected is not).
fn is_shown_in_row(spec: &FieldSpec, value: &Value) -> bool {
    let is_scalar = |v: &Value| {
        matches!(
            v,
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
        )
    };
    match spec.kind {
        FieldKind::List { .. } => match value {
            Value::Sequence(items) => items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_))),
            other => is_scalar(other),
        },
        FieldKind::Bool => matches!(value, Value::Bool(_) | Value::String(_) | Value::Null),
        FieldKind::Text | FieldKind::Date | FieldKind::MapOrText => is_scalar(value),
    }
}

/// True when `key` has a typed row of its own in the form that can show `value` whole.
fn has_row_for(key: &str, value: Option<&Value>) -> bool {
    registry::field(key).is_some_and(|spec| {
        spec.widget != FormWidget::OtherKeys && value.is_none_or(|v| is_shown_in_row(spec, v))
    })
}

/// The name under which an edit of a list field's items is noted when it cannot be written
/// (the typed-but-not-added item is noted under the field's own label).
fn list_edit_name(spec: &FieldSpec) -> String {
    format!("{} list", spec.label)
}

/// The form's name of a field with typed text that could not be written.
fn other_key_field(key: &str) -> String {
    format!("Other key `{key}`")
}

/// Field text being typed, and the problem with it when it cannot be written yet.
#[derive(Debug, Default, Clone)]
struct Field {
    text: String,
    problem: Option<String>,
}

/// The form's state: edit buffers refreshed from the document whenever it changes elsewhere.
#[derive(Default)]
pub struct FormPanel {
    /// The document state the buffers show: revision and how many typed texts are unwritten
    /// (Undo can discard those without changing the revision).
    synced_revision: Option<(Revision, usize)>,
    synced_path: Option<PathBuf>,
    /// Each registry field's row: the text being typed (text and image rows) and the problem
    /// shown under the row (every row), by key.
    fields: BTreeMap<&'static str, Field>,
    date: Option<jiff::civil::Date>,
    time: Field,
    offset: Field,
    date_problem: Option<String>,
    /// The item typed in a list row's "add" box, by key.
    new_items: BTreeMap<&'static str, String>,
    raw_yaml: Field,
    other_keys: Vec<(String, Field)>,
    /// The file name the post's title and date ask for, offered when it differs from the
    /// file's (see [`FormPanel::rename_hint`]).
    rename: super::rename_hint::RenameHint,
    /// Authors typed before, offered as suggestions.
    pub recent_authors: Vec<String>,
    /// Set when the user asked to choose an image file; the app runs the dialog.
    pub wants_image_dialog: bool,
    /// Set when the user asked to rename the file to this path; the app renames it.
    pub wants_rename: Option<PathBuf>,
    /// The Publishing section and the site's names (src/app/publishing.rs).
    pub publishing: super::publishing::Publishing,
}

/// Text of an entry of the front matter as written (key line and its value lines).
fn entry_text(post: &Post, key: &str) -> Option<String> {
    let front = post.front_matter()?;
    let entry = front.block().ok()?.entry(key)?;
    front
        .yaml()
        .get(entry.range.clone())
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
}

/// Names of the form's fields that are not registry rows but can hold unwritten text.
const TIME_FIELD: &str = "Time";
const OFFSET_FIELD: &str = "UTC offset";
const RAW_FIELD: &str = "Raw front matter";

impl FormPanel {
    fn sync(&mut self, doc: &Document) {
        if self.synced_revision == Some(sync_key(doc)) && self.synced_path.as_deref() == doc.path()
        {
            return;
        }
        if self.synced_path.as_deref() != doc.path() {
            self.rename.opened(doc);
        }
        self.synced_revision = Some(sync_key(doc));
        self.synced_path = doc.path().map(Path::to_path_buf);
        // Text the user typed that could not be written stays in its field until it is
        // written or discarded (Undo), whatever else changes.
        let unwritten: Vec<String> = doc.unwritten().map(|u| u.field.clone()).collect();
        let is_unwritten = |name: &str| unwritten.iter().any(|u| u == name);
        let kept_rows: Vec<(&'static str, Field)> = registry::form_fields()
            .filter(|spec| is_unwritten(spec.label))
            .filter_map(|spec| Some((spec.name, self.fields.get(spec.name)?.clone())))
            .collect();
        let kept_time = is_unwritten(TIME_FIELD).then(|| self.time.clone());
        let kept_offset = is_unwritten(OFFSET_FIELD).then(|| self.offset.clone());
        let kept_raw = is_unwritten(RAW_FIELD).then(|| self.raw_yaml.clone());
        let kept_other: Vec<(String, Field)> = self
            .other_keys
            .iter()
            .filter(|(k, _)| is_unwritten(&other_key_field(k)))
            .cloned()
            .collect();
        for spec in registry::form_fields() {
            if !is_unwritten(spec.label) {
                self.new_items.remove(spec.name);
            }
        }
        self.sync_from(doc.post());
        for (name, field) in kept_rows {
            self.fields.insert(name, field);
        }
        if let Some(time) = kept_time {
            self.time = time;
        }
        if let Some(offset) = kept_offset {
            self.offset = offset;
        }
        if let Some(raw) = kept_raw {
            self.raw_yaml = raw;
        }
        for (key, field) in kept_other {
            match self.other_keys.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = field,
                None => self.other_keys.push((key, field)),
            }
        }
    }

    fn sync_from(&mut self, post: &Post) {
        self.fields = registry::form_fields()
            .map(|spec| {
                let text = match spec.widget {
                    FormWidget::Image => image_path(post),
                    FormWidget::SingleLine | FormWidget::MultiLine => post.text(spec.name),
                    _ => None,
                };
                (
                    spec.name,
                    Field {
                        text: text.unwrap_or_default(),
                        problem: None,
                    },
                )
            })
            .collect();
        self.date_problem = None;
        match post.date() {
            Some(Ok(date)) => {
                self.date = jiff::civil::Date::new(
                    date.local.year() as i16,
                    date.local.month() as i8,
                    date.local.day() as i8,
                )
                .ok();
                self.time = Field {
                    text: if date.is_date_only() {
                        String::new()
                    } else {
                        date.local.time().format("%H:%M:%S").to_string()
                    },
                    problem: None,
                };
                self.offset = Field {
                    text: date.offset.map(|o| o.to_string()).unwrap_or_default(),
                    problem: None,
                };
            }
            Some(Err(err)) => {
                self.date = None;
                self.date_problem = Some(err.to_string());
            }
            None => {
                self.date = None;
                self.time = Field::default();
                self.offset = Field::default();
            }
        }
        self.raw_yaml = Field {
            text: post.front_matter_text().to_string(),
            problem: None,
        };
        self.other_keys = post
            .keys()
            .into_iter()
            .filter(|k| !has_row_for(k, post.get(k)))
            .map(|k| {
                let text = entry_text(post, &k).unwrap_or_default();
                (
                    k,
                    Field {
                        text,
                        problem: None,
                    },
                )
            })
            .collect();
    }

    /// Draws the form and applies edits to the document.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        self.sync(doc);
        let before = sync_key(doc);
        self.form_ui(ui, doc);
        // The status bar and title were drawn before this edit: show them again at once, so
        // the window never keeps saying "Saved" over an edit.
        if sync_key(doc) != before {
            ui.ctx().request_repaint();
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        egui::ScrollArea::vertical().id_salt("form-scroll").auto_shrink(false).show(ui, |ui| {
            // Jekyll's verdict on this post (src/app/publishing.rs).
            self.publishing.ui(ui, doc);
            ui.heading("Front matter");
            if let Some(error) = doc.post().front_matter().and_then(|f| f.error()).cloned() {
                self.broken_yaml_ui(ui, doc, &format!("Line {}, column {}: {}", error.line, error.column, error.message));
                return;
            }
            if doc.post().is_front_matter_unclosed() {
                self.broken_yaml_ui(ui, doc, "The front matter starts with `---` but is never closed. Add a line `---` after it in the body.");
                return;
            }
            ui.spacing_mut().item_spacing.y = 4.0;
            for spec in registry::form_fields() {
                match spec.widget {
                    FormWidget::SingleLine => self.text_row(ui, doc, spec, false),
                    FormWidget::MultiLine => self.text_row(ui, doc, spec, true),
                    FormWidget::Date => self.date_row(ui, doc, spec),
                    FormWidget::Tags => self.list_row(ui, doc, spec),
                    FormWidget::Checkbox => self.bool_row(ui, doc, spec),
                    FormWidget::Image => self.image_row(ui, doc, spec),
                    FormWidget::OtherKeys => {}
                }
                if spec.widget == FormWidget::Date {
                    self.rename_hint_ui(ui, doc);
                }
            }
            ui.add_space(8.0);
            self.other_keys_ui(ui, doc);
        });
    }

    /// The row state of a registry field.
    fn field_mut(&mut self, spec: &'static FieldSpec) -> &mut Field {
        self.fields.entry(spec.name).or_default()
    }

    /// Records the outcome of writing a field: a problem makes the typed text an unwritten
    /// edit of the document (unsaved work that Save reports), success clears it.
    fn note(
        &mut self,
        doc: &mut Document,
        field: &str,
        problem: Option<String>,
        as_typed: Option<TypedEntry>,
    ) {
        doc.set_unwritten(
            field,
            problem.map(|problem| UnwrittenEdit {
                field: field.to_string(),
                problem,
                as_typed,
            }),
        );
        self.synced_revision = Some(sync_key(doc));
    }

    fn apply_text(&mut self, doc: &mut Document, spec: &'static FieldSpec) {
        let key = spec.name;
        let value = self.field_mut(spec).text.clone();
        let result = doc.apply(EditKind::Field(key), |post| {
            if spec.widget == FormWidget::Image && matches!(post.get(key), Some(Value::Mapping(_)))
            {
                return post
                    .set_map_path_text(key, "path", &value)
                    .map_err(|e| e.to_string());
            }
            if value.is_empty() && post.get(key).is_some() && key != "title" {
                post.remove(key).map_err(|e| e.to_string())
            } else if value.is_empty() && post.get(key).is_none() {
                Ok(false)
            } else {
                post.set_text(key, &value).map_err(|e| e.to_string())
            }
        });
        let problem = result.err();
        let as_typed = problem.as_ref().map(|_| {
            typed_entry(
                doc.post(),
                key,
                &format!(
                    "{key}: {}",
                    string_scalar(&value, QuoteStyle::Double, false)
                ),
            )
        });
        self.field_mut(spec).problem = problem.clone();
        self.note(doc, spec.label, problem, as_typed);
    }

    /// Draws the label of `spec`'s row; when the value is of a kind the row cannot show
    /// whole, says so and returns None (the value is edited under Other keys).
    fn row_label(
        &self,
        ui: &mut egui::Ui,
        doc: &Document,
        spec: &FieldSpec,
    ) -> Option<egui::Response> {
        let label = field_label(ui, spec.label);
        if let Some(value) = doc
            .post()
            .get(spec.name)
            .filter(|v| !is_shown_in_row(spec, v))
        {
            not_in_row_ui(ui, value);
            ui.add_space(6.0);
            return None;
        }
        Some(label)
    }

    fn text_row(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        spec: &'static FieldSpec,
        is_multiline: bool,
    ) {
        let Some(label_response) = self.row_label(ui, doc, spec) else {
            return;
        };
        // Authors typed before are offered beside the author's field.
        let suggestions = (spec.name == "author").then(|| self.recent_authors.clone());
        let mut response = None;
        let mut picked = None;
        ui.horizontal(|ui| {
            let field = self.field_mut(spec);
            let edit = if is_multiline {
                egui::TextEdit::multiline(&mut field.text).desired_rows(3)
            } else {
                egui::TextEdit::singleline(&mut field.text)
            };
            let edit = if spec.name == "title" {
                edit.hint_text("Untitled post")
            } else {
                edit
            };
            let width = if suggestions.is_some() {
                (ui.available_width() - 90.0).max(80.0)
            } else {
                ui.available_width()
            };
            response = Some(
                ui.add(edit.desired_width(width))
                    .labelled_by(label_response.id),
            );
            if let Some(suggestions) = &suggestions {
                ui.add_enabled_ui(!suggestions.is_empty(), |ui| {
                    ui.menu_button("Recent", |ui| {
                        for suggestion in suggestions {
                            if ui.button(suggestion).clicked() {
                                picked = Some(suggestion.clone());
                            }
                        }
                    });
                });
            }
        });
        let field = self.field_mut(spec);
        if is_multiline {
            let characters = field
                .text
                .chars()
                .filter(|c| !matches!(c, '\r' | '\n'))
                .count();
            ui.weak(super::editor::counted(
                characters,
                "character",
                "characters",
            ));
        }
        if let Some(problem) = &field.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        if let Some(text) = picked {
            field.text = text;
            self.apply_text(doc, spec);
        }
        if let Some(response) = response {
            if response.changed() {
                self.apply_text(doc, spec);
            }
            let typed = self.field_mut(spec).text.trim().to_string();
            if suggestions.is_some() && response.lost_focus() && !typed.is_empty() {
                self.recent_authors.retain(|a| *a != typed);
                self.recent_authors.insert(0, typed);
                self.recent_authors.truncate(10);
            }
        }
        ui.add_space(6.0);
    }

    fn date_row(&mut self, ui: &mut egui::Ui, doc: &mut Document, spec: &'static FieldSpec) {
        if self.row_label(ui, doc, spec).is_none() {
            return;
        }
        ui.vertical(|ui| {
            if let Some(problem) = &self.date_problem {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{problem} — fix it under Other keys or pick a date"),
                );
            }
            let mut changed = false;
            let has_date = self.date.is_some() || doc.post().get("date").is_some();
            if has_date {
                ui.horizontal_wrapped(|ui| {
                    let today = jiff::Zoned::now().date();
                    let mut date = self.date.unwrap_or(today);
                    let before = date;
                    if ui
                        .small_button("◀")
                        .on_hover_text("The day before")
                        .clicked()
                    {
                        date = date.yesterday().unwrap_or(date);
                    }
                    ui.add(
                        egui_extras::DatePickerButton::new(&mut date)
                            .id_salt("post-date")
                            .show_icon(false)
                            .calendar_week(false),
                    );
                    if ui
                        .small_button("▶")
                        .on_hover_text("The day after")
                        .clicked()
                    {
                        date = date.tomorrow().unwrap_or(date);
                    }
                    if ui
                        .add_enabled(date != today, egui::Button::new("Today").small())
                        .clicked()
                    {
                        date = today;
                    }
                    if self.date.is_none() || date != before {
                        changed |= self.date.is_some() && date != before;
                        if changed {
                            self.date = Some(date);
                        }
                    }
                    let time_label = ui.label("Time");
                    changed |= ui
                        .add(
                            egui::TextEdit::singleline(&mut self.time.text)
                                .desired_width(72.0)
                                .hint_text("HH:MM:SS"),
                        )
                        .labelled_by(time_label.id)
                        .changed();
                    let offset_label = ui.label("UTC offset");
                    changed |= ui
                        .add(
                            egui::TextEdit::singleline(&mut self.offset.text)
                                .desired_width(70.0)
                                .hint_text("none"),
                        )
                        .labelled_by(offset_label.id)
                        .changed();
                });
            }
            if self.date.is_none()
                && doc.post().get("date").is_none()
                && ui.button("Add date").clicked()
            {
                self.date = Some(jiff::Zoned::now().date());
                changed = true;
            }
            if self.date.is_some()
                && self.offset.text.trim().is_empty()
                && let Some(note) = crate::site::dates::date_reading(doc.post())
                    .and_then(crate::site::dates::offsetless_date_note)
            {
                ui.weak(format!("Date with {note}."));
            }
            for problem in [&self.time.problem, &self.offset.problem]
                .into_iter()
                .flatten()
            {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            if changed {
                self.apply_date(doc);
            }
        });
        ui.add_space(6.0);
    }

    fn apply_date(&mut self, doc: &mut Document) {
        let Some(date) = self.date else { return };
        let Some(day) = chrono::NaiveDate::from_ymd_opt(
            date.year().into(),
            date.month() as u32,
            date.day() as u32,
        ) else {
            return;
        };
        let time_text = self.time.text.trim().to_string();
        let time = if time_text.is_empty() {
            Some(NaiveTime::MIN)
        } else {
            NaiveTime::parse_from_str(&time_text, "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(&time_text, "%H:%M"))
                .ok()
        };
        self.time.problem = time.is_none().then(|| {
            format!("\"{time_text}\" is not a time: it must be HH:MM or HH:MM:SS (24-hour)")
        });
        let offset_text = self.offset.text.trim().to_string();
        let offset = if offset_text.is_empty() {
            Some(None)
        } else {
            parse_offset(&offset_text).map(Some)
        };
        self.offset.problem = offset.is_none().then(|| {
            format!("\"{offset_text}\" is not a UTC offset: it must look like +01:00, -0500 or Z")
        });
        // What was typed, as the date line would read, for the journal.
        let typed_line = format!(
            "date: {} {} {}",
            day.format("%Y-%m-%d"),
            time_text,
            offset_text
        );
        let as_typed = || Some(typed_entry(doc.post(), "date", typed_line.trim_end()));
        let (time_problem, offset_problem) =
            (self.time.problem.clone(), self.offset.problem.clone());
        let splice = as_typed();
        self.note(doc, "Time", time_problem, splice.clone());
        self.note(doc, "UTC offset", offset_problem, splice);
        let (Some(time), Some(offset)) = (time, offset) else {
            return;
        };
        let current = match doc.post().date() {
            Some(Ok(current)) => current,
            _ => PostDate {
                local: day.and_time(time),
                offset,
                format: crate::post::date::DateFormat::default(),
            }
            .with_value(day.and_time(time), offset),
        };
        let mut next = current.with_value(day.and_time(time), offset);
        if time_text.is_empty() && current.is_date_only() {
            next.format.precision = crate::post::date::TimePrecision::DateOnly;
        }
        let result = doc.apply(EditKind::Field("date"), |post| post.set_date(&next));
        let problem = result.err().map(|err| err.to_string());
        self.time.problem.clone_from(&problem);
        self.note(doc, "Time", problem, None);
    }

    fn list_row(&mut self, ui: &mut egui::Ui, doc: &mut Document, spec: &'static FieldSpec) {
        let Some(label_response) = self.row_label(ui, doc, spec) else {
            return;
        };
        let key = spec.name;
        let items = doc.post().list(key);
        // One item added or removed at a time, so every other item keeps its exact bytes.
        let mut removed = None;
        let mut added = Vec::new();
        ui.horizontal_wrapped(|ui| {
            for item in &items {
                if ui
                    .button(format!("{item}  ×"))
                    .on_hover_text(format!("Remove {item}"))
                    .clicked()
                {
                    removed = Some(item.clone());
                }
            }
            let buffer = self.new_items.entry(key).or_default();
            let response = ui
                .add(
                    egui::TextEdit::singleline(buffer)
                        .desired_width(110.0)
                        .hint_text(format!("Add {}", spec.label.to_lowercase())),
                )
                .labelled_by(label_response.id);
            let submitted = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if buffer.contains(',') || submitted {
                for part in buffer.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if !items.iter().any(|i| i == part) && !added.iter().any(|a| a == part) {
                        added.push(part.to_string());
                    }
                }
                buffer.clear();
                if submitted {
                    response.request_focus();
                }
            }
        });
        // The site's names for what is typed (src/app/name_suggestions.rs).
        let typed = self.new_items.entry(key).or_default();
        if let Some(name) = super::name_suggestions::ui(ui, &self.publishing, key, typed, &items)
            && !items.contains(&name)
            && !added.contains(&name)
        {
            added.push(name);
        }
        if removed.is_some() || !added.is_empty() {
            let result = doc.apply(EditKind::Field(key), |post| {
                let mut changed = false;
                if let Some(item) = &removed {
                    changed |= post.remove_list_item(key, item)?;
                }
                for item in &added {
                    changed |= post.add_list_item(key, item)?;
                }
                Ok::<bool, crate::error::Error>(changed)
            });
            let problem = result.err().map(|err| err.to_string());
            self.note(doc, &list_edit_name(spec), problem, None);
        }
        noted_problem_ui(ui, doc, &list_edit_name(spec));
        ui.add_space(6.0);
        // An item typed but not added yet is unsaved work too.
        let typed = self
            .new_items
            .get(key)
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        let problem = (!typed.is_empty()).then(|| {
            format!(
                "\"{typed}\" is typed but not added yet: press Enter to add it, or clear the field"
            )
        });
        let noted = doc
            .unwritten()
            .find(|u| u.field == spec.label)
            .map(|u| u.problem.clone());
        if noted != problem {
            self.note(doc, spec.label, problem, None);
        }
    }

    fn image_row(&mut self, ui: &mut egui::Ui, doc: &mut Document, spec: &'static FieldSpec) {
        let label_response = field_label(ui, spec.label);
        let value = doc.post().get(spec.name).cloned();
        // A map (`path`, `lqip`, `alt`...): the path is edited here when it can be changed in
        // place; the whole map stays visible, and editable, under Other keys.
        let map_keys: Option<Vec<String>> = match &value {
            Some(Value::Mapping(map)) => Some(
                map.keys()
                    .map(crate::post::yaml_block::key_to_string)
                    .filter(|k| k != "path")
                    .collect(),
            ),
            _ => None,
        };
        if let Some(value) = value.as_ref().filter(|v| {
            let is_path_editable =
                map_keys.is_some() && doc.post().can_set_map_text("image", "path");
            !is_shown_in_row(spec, v) && !is_path_editable
        }) {
            not_in_row_ui(ui, value);
            ui.add_space(6.0);
            return;
        }
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                let width = (ui.available_width() - 80.0).max(80.0);
                let mut edit =
                    egui::TextEdit::singleline(&mut self.field_mut(spec).text).desired_width(width);
                if map_keys.is_some() {
                    edit = edit.hint_text("path");
                }
                let response = ui.add(edit).labelled_by(label_response.id);
                if response.changed() {
                    self.apply_text(doc, spec);
                }
                if ui.button("Choose…").clicked() {
                    self.wants_image_dialog = true;
                }
            });
            if let Some(keys) = &map_keys {
                ui.weak(format!(
                    "The image is a map: this is its `path`. Also set: {} (see Other keys).",
                    if keys.is_empty() {
                        "nothing else".to_string()
                    } else {
                        keys.join(", ")
                    }
                ));
            }
            let field = self.field_mut(spec);
            if let Some(problem) = &field.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            let reference = field.text.trim().to_string();
            if !reference.is_empty() {
                let root = doc
                    .path()
                    .map_or_else(|| PathBuf::from("."), site::site_root);
                match site::resolve_image(&root, &reference) {
                    Some(path) if path.is_file() => {
                        ui.add(
                            egui::Image::new(format!("file://{}", path.display()))
                                .max_height(110.0)
                                .max_width(ui.available_width())
                                .corner_radius(4.0),
                        );
                    }
                    Some(path) => {
                        ui.weak(format!("Not found: {}", path.display()));
                    }
                    None => {
                        ui.weak("Remote image (shown when published)");
                    }
                }
            }
        });
        ui.add_space(6.0);
    }

    /// Sets the image field to `reference` (a site path such as `/assets/images/….jpg`, or a
    /// path relative to the post), as if the user had typed it.
    pub fn set_image_reference(&mut self, doc: &mut Document, reference: &str) {
        let Some(spec) = registry::form_fields().find(|f| f.widget == FormWidget::Image) else {
            return;
        };
        self.field_mut(spec).text = reference.to_string();
        self.apply_text(doc, spec);
    }

    /// The offer to rename the file when its date or title changed and its name no longer
    /// matches them: a line of text with a button, under the date.
    fn rename_hint_ui(&mut self, ui: &mut egui::Ui, doc: &Document) {
        let Some(proposed) = self.rename.proposal(doc) else {
            return;
        };
        let name = proposed
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!("The file name no longer matches: {name}?"));
            if ui
                .small_button("Rename file")
                .on_hover_text(format!("Rename the file to {name}"))
                .clicked()
            {
                self.wants_rename = Some(proposed.clone());
            }
            if ui.small_button("Not now").clicked() {
                self.rename.dismiss(proposed.clone());
            }
        });
        ui.add_space(6.0);
    }

    fn bool_row(&mut self, ui: &mut egui::Ui, doc: &mut Document, spec: &'static FieldSpec) {
        let key = spec.name;
        if let Some(value) = doc.post().get(key).filter(|v| !is_shown_in_row(spec, v)) {
            field_label(ui, spec.label);
            not_in_row_ui(ui, value);
            ui.add_space(6.0);
            return;
        }
        // Jekyll's default for a missing `published` is true.
        let mut checked = doc.post().bool(key).unwrap_or(true);
        ui.horizontal(|ui| {
            if ui.checkbox(&mut checked, spec.label).changed() {
                let result = doc.apply(EditKind::Field(key), |post| post.set_bool(key, checked));
                let problem = result.err().map(|err| err.to_string());
                self.note(doc, spec.label, problem, None);
            }
        });
        if let Some(Value::String(s)) = doc.post().get(key) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                crate::post::check::published_string_message(s),
            );
        }
        noted_problem_ui(ui, doc, spec.label);
        ui.add_space(6.0);
    }

    fn other_keys_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        egui::CollapsingHeader::new(format!("Other keys ({})", self.other_keys.len()))
            .id_salt("other-keys")
            .default_open(true)
            .show(ui, |ui| {
                if self.other_keys.is_empty() {
                    ui.weak("No other keys.");
                }
                let mut edited = None;
                for (index, (key, field)) in self.other_keys.iter_mut().enumerate() {
                    let label = ui.label(egui::RichText::new(key.as_str()).small().weak());
                    let response = ui
                        .add(
                            egui::TextEdit::multiline(&mut field.text)
                                .code_editor()
                                .desired_rows(1)
                                .desired_width(f32::INFINITY)
                                .hint_text(format!("{key}: value")),
                        )
                        .labelled_by(label.id);
                    if let Some(problem) = &field.problem {
                        ui.colored_label(ui.visuals().error_fg_color, problem);
                    }
                    if response.changed() {
                        edited = Some(index);
                    }
                }
                if let Some(index) = edited
                    && let Some((key, field)) = self.other_keys.get(index).cloned()
                {
                    let result = doc.apply(EditKind::RawYaml, |post| {
                        post.set_entry_yaml(&key, &field.text)
                            .map_err(|e| e.to_string())
                    });
                    let problem = result.err();
                    let as_typed = problem.as_ref().map(|_| {
                        let eol = doc.post().line_ending().as_str();
                        typed_entry(
                            doc.post(),
                            &key,
                            &field.text.replace("\r\n", "\n").replace('\n', eol),
                        )
                    });
                    if let Some((_, slot)) = self.other_keys.get_mut(index) {
                        slot.problem.clone_from(&problem);
                    }
                    self.note(doc, &other_key_field(&key), problem, as_typed);
                }
            });
    }

    fn broken_yaml_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document, problem: &str) {
        ui.colored_label(ui.visuals().error_fg_color, problem);
        ui.label("The typed fields are off until the YAML parses. Fix it here; nothing is lost.");
        let label = ui.label("Raw front matter");
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.raw_yaml.text)
                    .code_editor()
                    .desired_rows(12)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if let Some(problem) = &self.raw_yaml.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        if response.changed() {
            if doc.post().is_front_matter_unclosed() {
                let problem = "the front matter is never closed: add a line `---` after it in the body, then edit it here".to_string();
                self.raw_yaml.problem = Some(problem.clone());
                self.note(doc, "Raw front matter", Some(problem), None);
                return;
            }
            // New lines follow the file's line ending.
            let old = doc.post().front_matter_text().to_string();
            let conformed =
                conform_line_endings(&old, &self.raw_yaml.text, doc.post().line_ending(), None);
            self.raw_yaml.text = conformed.text.clone();
            let _ = doc.apply(EditKind::RawYaml, |post| {
                post.set_front_matter_text(conformed.text);
                Ok::<bool, std::convert::Infallible>(old != post.front_matter_text())
            });
            self.raw_yaml.problem = None;
            self.note(doc, "Raw front matter", None, None);
            self.synced_revision = None;
        }
    }
}

/// Shows the problem noted for `field` in the document (an edit that could not be written),
/// under the row it belongs to.
fn noted_problem_ui(ui: &mut egui::Ui, doc: &Document, field: &str) {
    if let Some(edit) = doc.unwritten().find(|u| u.field == field) {
        ui.colored_label(ui.visuals().error_fg_color, &edit.problem);
    }
}

/// A value the typed row cannot show as it is: said plainly, and left to the raw YAML under
/// Other keys, so no row edit can overwrite what the user does not see.
fn not_in_row_ui(ui: &mut egui::Ui, value: &Value) {
    let kind = match value {
        Value::Mapping(_) => "a map",
        Value::Sequence(_) => "a list",
        Value::Tagged(_) => "a tagged value",
        _ => "a value of another kind",
    };
    ui.weak(format!(
        "This value is {kind}; edit it as YAML under Other keys."
    ));
}

/// The `image` map's `path`, or the image text when it is a plain value.
fn image_path(post: &Post) -> Option<String> {
    post.text_or_map_key("image", "path")
}

/// The front-matter entry of `key` as typed (one or more lines), for the journal.
fn typed_entry(post: &Post, key: &str, typed: &str) -> TypedEntry {
    let eol = post.line_ending().as_str();
    let mut lines = typed.to_string();
    if !lines.is_empty() && !lines.ends_with('\n') {
        lines.push_str(eol);
    }
    TypedEntry {
        key: key.to_string(),
        lines,
    }
}

/// What the form's buffers were filled from.
fn sync_key(doc: &Document) -> (Revision, usize) {
    (doc.revision(), doc.unwritten().count())
}

/// A field's name, drawn above it in small strong text.
fn field_label(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.label(egui::RichText::new(text).small().strong())
}

/// Reads `+01:00`, `+0100`, `-05`, `Z` or `UTC` as a UTC offset.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    if matches!(text, "Z" | "z" | "UTC" | "utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_in_common_forms() {
        assert_eq!(parse_offset("+01:00").unwrap().local_minus_utc(), 3600);
        assert_eq!(parse_offset("-0530").unwrap().local_minus_utc(), -19800);
        assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
        assert!(parse_offset("+25:00").is_none());
        assert!(parse_offset("1").is_none());
    }

    #[test]
    fn rows_show_only_values_they_can_show_whole() {
        let post = Post::from_text("---\ntitle: [a]\ntags: [x, {y: 1}]\nauthor: Ann\n---\n");
        let shown = |k: &str| is_shown_in_row(registry::field(k).unwrap(), post.get(k).unwrap());
        assert!(!shown("title"));
        assert!(!shown("tags"));
        assert!(shown("author"));
    }
}
