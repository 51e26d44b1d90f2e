//! Images into the post: an image file dropped on the window, or an image pasted from the
//! clipboard, is copied into the site as `assets/images/<md5 of the bytes>.<ext>` once the
//! user gave its alt text, and inserted at the body's cursor in the form that works under the
//! site's `baseurl`.

use std::path::PathBuf;

use crate::site::images::{self, ImageUrlStyle};

use super::BylineApp;
use super::dialogs::Dialog;
use super::dialogs::image_alt::{ImageAltChoice, ImageAltDialog, ImageSource};
use super::notifications::Severity;

impl BylineApp {
    /// An image file was dropped on the window: ask for its alt text.
    pub(super) fn image_dropped(&mut self, path: PathBuf) {
        self.ask_image_alt(ImageSource::File(path));
    }

    /// Takes an image pasted this frame (the clipboard held an image, not text).
    pub(super) fn image_pasted(&mut self, ctx: &egui::Context) {
        let pasted = ctx.input(|i| {
            i.events.iter().find_map(|event| match event {
                egui::Event::PasteImage(image) => Some(image.clone()),
                _ => None,
            })
        });
        let Some(image) = pasted else {
            return;
        };
        let rgba: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|pixel| pixel.to_srgba_unmultiplied())
            .collect();
        let [width, height] = image.size;
        match images::encode_png(width, height, &rgba) {
            Some(png) => self.ask_image_alt(ImageSource::Pasted {
                png,
                size_px: [width, height],
            }),
            None => self
                .notifications
                .notify(Severity::Error, "The pasted image could not be read"),
        }
    }

    fn ask_image_alt(&mut self, source: ImageSource) {
        if self.doc.path().is_none() {
            self.notifications.notify(
                Severity::Warning,
                "Save the post first: the image is copied into its site",
            );
            return;
        }
        self.dialog = Some(Dialog::ImageAlt(ImageAltDialog::new(source)));
    }

    /// Carries out the alt-text dialog's answer: copy the image, insert it at the cursor.
    pub(super) fn answer_image_alt(&mut self, choice: ImageAltChoice) {
        let ImageAltChoice::Insert(source, alt) = choice else {
            return;
        };
        let Some(post_path) = self.doc.path().map(PathBuf::from) else {
            return;
        };
        let imported = match &source {
            ImageSource::File(path) => {
                crate::image_import::import_image(&post_path, path, &self.settings.images_folder)
            }
            ImageSource::Pasted { png, .. } => {
                images::import_image_bytes(&post_path, png, "png", &self.settings.images_folder)
            }
        };
        let imported = match imported {
            Ok(imported) => imported,
            Err(err) => {
                self.notifications
                    .notify(Severity::Error, format!("Image not inserted: {err}"));
                return;
            }
        };
        self.form.publishing.refresh(&self.doc);
        let style = match self.form.publishing.site() {
            Some(site) if imported.reference.starts_with('/') => images::image_url_style(site),
            _ => ImageUrlStyle::RootRelative,
        };
        let markdown = images::image_markdown(style, &imported.reference, &alt);
        self.editor.insert_at_cursor(&mut self.doc, &markdown);
        if imported.is_new_copy {
            self.notifications.notify(
                Severity::Info,
                format!("Copied the image to {}", imported.path.display()),
            );
        }
    }
}
