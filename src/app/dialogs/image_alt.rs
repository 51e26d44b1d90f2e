//! Asked when an image is dropped on or pasted into the post: its alt text (what a reader who
//! cannot see it is told). Nothing is copied into the site until the user says Insert.

use std::path::PathBuf;

/// Where the image comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A file dropped on the window.
    File(PathBuf),
    /// An image pasted from the clipboard, as PNG bytes, with its size in pixels.
    Pasted {
        /// The PNG file's bytes.
        png: Vec<u8>,
        /// Width and height in pixels.
        size_px: [usize; 2],
    },
}

impl std::fmt::Debug for ImageSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImageSource::File(path) => f.debug_tuple("File").field(path).finish(),
            ImageSource::Pasted { png, size_px } => f
                .debug_struct("Pasted")
                .field("png_bytes", &png.len())
                .field("size_px", size_px)
                .finish(),
        }
    }
}

impl ImageSource {
    /// What the dialog calls the image.
    fn describe(&self) -> String {
        match self {
            ImageSource::File(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            ImageSource::Pasted { size_px, .. } => {
                format!("the pasted image ({} × {} pixels)", size_px[0], size_px[1])
            }
        }
    }
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageAltChoice {
    /// Copy the image into the site and insert it at the cursor with this alt text.
    Insert(ImageSource, String),
    /// Nothing is copied or inserted.
    Cancel,
}

/// The question and the alt text typed so far.
#[derive(Debug)]
pub struct ImageAltDialog {
    source: ImageSource,
    alt: String,
    is_focus_pending: bool,
}

impl ImageAltDialog {
    /// Asks for the alt text of `source`.
    pub fn new(source: ImageSource) -> ImageAltDialog {
        ImageAltDialog {
            source,
            alt: String::new(),
            is_focus_pending: true,
        }
    }

    /// Draws the dialog; returns the choice in the frame it is made.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ImageAltChoice> {
        let mut choice = None;
        let mut insert = false;
        egui::Modal::new(egui::Id::unique("image-alt")).show(ctx, |ui| {
            ui.set_max_width(super::MAX_WIDTH);
            ui.heading("Insert image");
            ui.label(format!(
                "{} is copied into the site's images folder and inserted at the cursor.",
                self.source.describe()
            ));
            let label = ui.label("Alt text");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.alt)
                        .hint_text("What the image shows, for readers who cannot see it")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.is_focus_pending) {
                response.request_focus();
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                insert = true;
            }
            ui.horizontal(|ui| {
                if ui.button("Insert").clicked() {
                    insert = true;
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(ImageAltChoice::Cancel);
                }
            });
        });
        if insert {
            choice = Some(ImageAltChoice::Insert(
                self.source.clone(),
                self.alt.trim().to_string(),
            ));
        }
        if super::escape_pressed(ctx) {
            choice = Some(ImageAltChoice::Cancel);
        }
        choice
    }
}
