//! The comforts of writing, driven headless through egui_kittest and found through AccessKit:
//! panels that hide on command and collapse in a narrow window while the editor keeps a
//! comfortable width, the outline that jumps to a heading, File → Revert, and spell checking.

use std::path::{Path, PathBuf};
use std::time::Duration;

use byline::app::command::Command;
use byline::app::{BylineApp, FileDialogs, Settings, StartOptions};
use byline::journal::Journal;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A window of `size` on the post at `file`, with default settings.
fn harness(file: &Path, size: [f32; 2]) -> Harness<'static, BylineApp> {
    let journal = Journal::at(&file.parent().unwrap().join(".journal"));
    let file = file.to_path_buf();
    Harness::builder().with_size(size).build_eframe(move |cc| {
        let mut app = BylineApp::with_settings(
            &cc.egui_ctx,
            Settings::default(),
            StartOptions {
                file: Some(file),
                dialogs: FileDialogs::InApp,
                journal: Some(journal),
            },
        );
        app.set_data_dir(&std::env::temp_dir().join("byline-comfort-tests-data"));
        app
    })
}

fn settle(h: &mut Harness<'_, BylineApp>) {
    h.run_steps(2);
    std::thread::sleep(Duration::from_millis(120));
    h.run_steps(3);
}

fn write_post(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("2025-01-02-a-post.md");
    std::fs::write(&path, format!("---\ntitle: A post\n---\n\n{body}")).unwrap();
    path
}

/// The editor's width on screen, in points.
fn editor_width(h: &Harness<'_, BylineApp>) -> f32 {
    h.get_by_label("Body (Markdown)").rect().width()
}

#[test]
fn at_800_by_600_the_editor_keeps_its_measure_and_panels_collapse() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "# One\n\nSome text.\n");
    let mut h = harness(&path, [800.0, 600.0]);
    settle(&mut h);
    let layout = h.state().layout();
    assert!(layout.is_form_shown, "the form fits beside the editor");
    assert!(layout.is_preview_collapsed && layout.is_outline_collapsed);
    assert!(editor_width(&h) >= 380.0, "editor {} px", editor_width(&h));
    // The collapsed panels are offered by name.
    h.get_by_label("Preview");
    h.get_by_label("Outline");

    // At 1280 × 800 everything is there and the editor is wider still.
    let mut wide = harness(&path, [1280.0, 800.0]);
    settle(&mut wide);
    let layout = wide.state().layout();
    assert!(layout.is_form_shown && layout.is_preview_shown && layout.is_outline_shown);
    assert!(editor_width(&wide) >= 380.0);
}

#[test]
fn form_and_preview_hide_and_show_by_command_and_the_choice_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "Some text.\n");
    let mut h = harness(&path, [1280.0, 800.0]);
    settle(&mut h);
    let with_everything = editor_width(&h);
    assert!(h.query_by_label("Title").is_some());

    h.state_mut().request(Command::ToggleForm);
    settle(&mut h);
    assert!(h.query_by_label("Title").is_none(), "the form is hidden");
    assert!(
        !h.state().settings.is_form_wanted,
        "the choice is remembered"
    );
    h.state_mut().request(Command::TogglePreview);
    settle(&mut h);
    assert!(!h.state().layout().is_preview_shown);
    assert!(editor_width(&h) > with_everything + 300.0);

    h.state_mut().request(Command::ToggleForm);
    h.state_mut().request(Command::TogglePreview);
    settle(&mut h);
    assert!(h.query_by_label("Title").is_some());
    assert!(h.state().layout().is_preview_shown);
    assert!(h.state().settings.is_form_wanted);

    // In a narrow window, showing the preview puts it before the form.
    let mut narrow = harness(&path, [800.0, 600.0]);
    settle(&mut narrow);
    narrow.get_by_label("Preview").click();
    settle(&mut narrow);
    let layout = narrow.state().layout();
    assert!(layout.is_preview_shown && layout.is_form_collapsed);
    assert!(editor_width(&narrow) >= 380.0);
}

#[test]
fn the_body_editor_reaches_the_bottom_of_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "Short.\n");
    let mut h = harness(&path, [800.0, 600.0]);
    settle(&mut h);
    let bottom = h.get_by_label("Body (Markdown)").rect().bottom();
    assert!(bottom > 600.0 - 60.0, "editor ends at {bottom}");
}
