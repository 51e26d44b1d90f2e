//! What Byline remembers between runs (theme, font size, layout, panels, spelling language,
//! recent files, authors) and the controls that change it.

use std::path::PathBuf;

use super::command::ViewMode;
use crate::session::RecentFiles;

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    /// Follow the desktop.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// What Byline remembers between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Theme preference.
    pub theme: ThemeChoice,
    /// Editor font size in points.
    pub font_size: f32,
    /// Editor, preview or both.
    pub view: ViewMode,
    /// Width of the front-matter form, in points.
    pub form_width: f32,
    /// The user wants the front-matter form (it still collapses in a narrow window).
    pub is_form_wanted: bool,
    /// The user wants the outline of headings beside the editor (off until asked for: it
    /// takes the width the editor would have in a 1280-point window).
    pub is_outline_wanted: bool,
    /// The spelling language when the post has no `lang` (a Hunspell name such as `en_US`);
    /// empty: no spell checking.
    pub spelling_language: String,
    /// The Jekyll site the last export went to.
    pub last_site: Option<PathBuf>,
    /// The site shown in the site panel, shown again at the next start.
    pub open_site: Option<PathBuf>,
    /// Recently opened files, newest first.
    pub recent_files: RecentFiles,
    /// The post open last, reopened when Byline starts without a file (if it still exists).
    pub last_post: Option<PathBuf>,
    /// Where imported images go in a site (from its root; the seed's `assets/images`).
    pub images_folder: String,
    /// Author for new posts.
    pub default_author: String,
    /// Authors typed before.
    pub recent_authors: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            font_size: 14.0,
            view: ViewMode::Both,
            form_width: 380.0,
            is_form_wanted: true,
            is_outline_wanted: false,
            spelling_language: "en_US".into(),
            last_site: None,
            open_site: None,
            recent_files: RecentFiles::default(),
            last_post: None,
            images_folder: crate::image_import::DEFAULT_IMAGES_FOLDER.into(),
            default_author: String::new(),
            recent_authors: Vec::new(),
        }
    }
}

impl Settings {
    /// Applies the theme preference to the window.
    pub fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    /// The preferences in the View menu: theme, editor font size, default author. Applies a
    /// changed theme at once.
    pub fn preferences_ui(&mut self, ui: &mut egui::Ui) {
        ui.label("Theme");
        let mut theme = self.theme;
        ui.radio_value(&mut theme, ThemeChoice::System, "System");
        ui.radio_value(&mut theme, ThemeChoice::Light, "Light");
        ui.radio_value(&mut theme, ThemeChoice::Dark, "Dark");
        if theme != self.theme {
            self.theme = theme;
            self.apply_theme(ui.ctx());
        }
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label("Editor font size");
            ui.add(
                egui::DragValue::new(&mut self.font_size)
                    .range(9.0..=32.0)
                    .suffix(" pt"),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label("Spelling language");
            ui.add(
                egui::TextEdit::singleline(&mut self.spelling_language)
                    .hint_text("off")
                    .desired_width(80.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "A dictionary name such as en_US or de_DE, used when the post has no lang; empty turns spell checking off",
            );
        });
        ui.horizontal(|ui| {
            let label = ui.label("Images folder");
            ui.add(
                egui::TextEdit::singleline(&mut self.images_folder)
                    .hint_text(crate::image_import::DEFAULT_IMAGES_FOLDER)
                    .desired_width(140.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Where dropped, pasted and chosen images are copied, from the site's root",
            );
        });
        ui.horizontal(|ui| {
            let label = ui.label("Default author");
            ui.add(egui::TextEdit::singleline(&mut self.default_author).desired_width(140.0))
                .labelled_by(label.id);
        });
    }
}
