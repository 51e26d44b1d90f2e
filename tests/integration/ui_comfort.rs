//! The comforts of writing, driven headless through egui_kittest and found through AccessKit:
//! panels that hide on command and collapse in a narrow window while the editor keeps a
//! comfortable width, the outline that jumps to a heading, File → Revert, and spell checking.

use crate::ui_support::settle;
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
    assert!(layout.is_preview_collapsed);
    assert!(
        !layout.is_outline_shown,
        "the outline is off until asked for"
    );
    assert!(editor_width(&h) >= 380.0, "editor {} px", editor_width(&h));
    // The collapsed panel is offered by name.
    h.get_by_label("Preview");
    // Asked for, the outline stays and the form collapses instead.
    h.state_mut().request(Command::ToggleOutline);
    settle(&mut h);
    let layout = h.state().layout();
    assert!(layout.is_outline_shown && layout.is_form_collapsed && layout.is_preview_collapsed);
    assert!(editor_width(&h) >= 380.0, "editor {} px", editor_width(&h));

    // At 1280 × 800 everything is there and the editor is wider still.
    let mut wide = harness(&path, [1280.0, 800.0]);
    settle(&mut wide);
    wide.state_mut().request(Command::ToggleOutline);
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

/// Runs frames until the body as it is now was spell checked (on the background thread).
fn wait_for_spelling(h: &mut Harness<'_, BylineApp>) {
    for _ in 0..200 {
        h.run_steps(1);
        if h.state().editor().is_spelling_checked(&h.state().doc) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the spell check did not finish");
}

/// Twenty misspelled words in prose, and misspellings inside code, Liquid and URLs that must
/// not be underlined.
const MISSPELLED: [&str; 20] = [
    "recieve",
    "definately",
    "seperate",
    "occured",
    "untill",
    "wierd",
    "acheive",
    "beleive",
    "accomodate",
    "concious",
    "enviroment",
    "goverment",
    "independant",
    "neccessary",
    "occassion",
    "persue",
    "publically",
    "reccomend",
    "tommorow",
    "existance",
];

fn seeded_body() -> String {
    let mut body = String::from("# Notes\n\n");
    for (i, word) in MISSPELLED.iter().enumerate() {
        body.push_str(&format!("Line {i} has the word {word} in it.\n\n"));
    }
    body.push_str("```\nlet mispeled = wrnog;\n```\n\n");
    body.push_str("Inline `codde` and {{ page.misspeled }} and {% inclde foo.html %}.\n\n");
    body.push_str("See https://example.com/misspeled/pagge for more.\n");
    body
}

#[test]
fn twenty_seeded_misspellings_are_underlined_and_code_liquid_and_urls_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let body = seeded_body();
    let path = write_post(dir.path(), &body);
    let mut h = harness(&path, [1280.0, 800.0]);
    settle(&mut h);
    wait_for_spelling(&mut h);
    let doc_body = h.state().doc.post().body().to_string();
    let underlined: Vec<String> = h
        .state()
        .editor()
        .misspelled(&h.state().doc)
        .iter()
        .map(|r| doc_body[r.clone()].to_string())
        .collect();
    assert_eq!(underlined, MISSPELLED.map(String::from).to_vec());
}

/// Right-clicks the middle of the first `word` in the body.
fn right_click_word(h: &mut Harness<'_, BylineApp>, word: &str) {
    let body = h.state().doc.post().body().to_string();
    let at = body.find(word).unwrap() + word.len() / 2;
    let pos = h.state().editor().screen_pos_of(at).unwrap();
    h.hover_at(pos);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_steps(3);
}

#[test]
fn add_to_dictionary_accepts_the_word_and_keeps_it_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "Bylinez is my word, recieve is not.\n");
    let data = dir.path().join("data");
    let mut h = harness(&path, [1280.0, 800.0]);
    h.state_mut().set_data_dir(&data);
    settle(&mut h);
    wait_for_spelling(&mut h);
    assert_eq!(h.state().editor().misspelled(&h.state().doc).len(), 2);
    right_click_word(&mut h, "Bylinez");
    h.get_by_label(byline::app::spelling::ADD_TO_DICTIONARY_LABEL)
        .click();
    settle(&mut h);
    wait_for_spelling(&mut h);
    let body = h.state().doc.post().body().to_string();
    let left: Vec<&str> = h
        .state()
        .editor()
        .misspelled(&h.state().doc)
        .iter()
        .map(|r| &body[r.clone()])
        .collect();
    assert_eq!(left, vec!["recieve"]);
    assert!(!h.state().doc.is_modified(), "adding a word edits nothing");
    let kept = std::fs::read_to_string(byline::app::spelling::added_words_path(&data)).unwrap();
    assert_eq!(kept, "Bylinez\n");
}

#[test]
fn a_post_in_a_language_without_a_dictionary_is_not_underlined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2025-01-02-un-billet.md");
    std::fs::write(
        &path,
        "---\ntitle: Un billet\nlang: xx-YY\n---\n\nrecieve definately.\n",
    )
    .unwrap();
    let mut h = harness(&path, [1280.0, 800.0]);
    settle(&mut h);
    wait_for_spelling(&mut h);
    assert!(h.state().editor().misspelled(&h.state().doc).is_empty());
}

#[test]
fn a_right_click_suggestion_replaces_the_word_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "We will recieve it.\n");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut h = harness(&path, [1280.0, 800.0]);
    settle(&mut h);
    wait_for_spelling(&mut h);
    right_click_word(&mut h, "recieve");
    h.get_by_label(byline::app::spelling::ADD_TO_DICTIONARY_LABEL);
    h.get_by_label("receive").click();
    settle(&mut h);
    assert_eq!(h.state().doc.post().body(), "\nWe will receive it.\n");
    h.state_mut().request(Command::Undo);
    settle(&mut h);
    assert_eq!(h.state().doc.post().to_text(), original);
}

#[test]
fn clicking_a_heading_in_the_outline_moves_the_cursor_there_in_a_long_post() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    let paragraph = "Some text that goes on for a while so the post gets long enough to be edited through a window of lines. ".repeat(4);
    for i in 0..30 {
        body.push_str(&format!(
            "## Section {i}\n\n```sh\n# not a heading {i}\n```\n\n"
        ));
        for _ in 0..6 {
            body.push_str(&paragraph);
            body.push_str("\n\n");
        }
    }
    assert!(body.len() > 64 * 1024);
    let path = write_post(dir.path(), &body);
    let mut h = harness(&path, [1400.0, 900.0]);
    h.state_mut().request(Command::ToggleOutline);
    settle(&mut h);
    let headings = h.state().outline().headings().len();
    assert_eq!(headings, 30, "code comments are not headings");
    h.get_by_label(&byline::app::outline::outline_entry_label("Section 28"))
        .click();
    settle(&mut h);
    let target = h.state().doc.post().body().find("## Section 28").unwrap();
    assert_eq!(h.state().editor().selection, Some(target..target));
    // The editor shows the heading: its position is laid out and on screen.
    let pos = h.state().editor().screen_pos_of(target).unwrap();
    assert!(pos.y > 0.0 && pos.y < 900.0, "heading at {pos:?}");
}

#[test]
fn revert_restores_the_disk_text_after_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_post(dir.path(), "Original text.\n");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let mut h = harness(&path, [1280.0, 800.0]);
    settle(&mut h);
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").type_text("Edited. ");
    settle(&mut h);
    assert!(h.state().doc.is_modified());

    h.state_mut().request(Command::Revert);
    settle(&mut h);
    assert!(h.state().has_dialog(), "asks before dropping the edits");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.state().doc.is_modified(), "Cancel keeps the edits");

    h.state_mut().request(Command::Revert);
    settle(&mut h);
    h.get_by_label(byline::app::dialogs::revert::REVERT_BUTTON_LABEL)
        .click();
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(h.state().doc.post().to_text(), on_disk);
    assert!(!h.state().doc.is_modified());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), on_disk);
}
