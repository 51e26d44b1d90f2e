//! What the window tests share: the Ctrl modifier as Linux sends it, a harness on a file or a
//! site folder, letting the preview catch up, and writing files into a temp site.

use std::path::{Path, PathBuf};
use std::time::Duration;

use byline::app::{BylineApp, FileDialogs, StartOptions};
use byline::journal::Journal;
use egui::Modifiers;
use egui_kittest::Harness;

/// A real Ctrl press on Linux sets both `ctrl` and `command`.
pub const CTRL: Modifiers = Modifiers {
    ctrl: true,
    command: true,
    ..Modifiers::NONE
};

/// The window at 1280×800 opened on `start` (a post or a site folder), with the in-app path
/// dialog and its journal in `journal` — never the user's data folder.
pub fn harness_on(start: &Path, journal: Journal) -> Harness<'static, BylineApp> {
    let start = start.to_path_buf();
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            BylineApp::new(
                cc,
                StartOptions {
                    file: Some(start),
                    dialogs: FileDialogs::InApp,
                    journal: Some(journal),
                },
            )
        })
}

/// Runs frames until the preview has caught up with the last edit.
pub fn settle(h: &mut Harness<'_, BylineApp>) {
    h.run_steps(2);
    std::thread::sleep(Duration::from_millis(120));
    h.run_steps(3);
}

/// Writes `text` to `root/relative`, creating folders; returns the path.
pub fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}
