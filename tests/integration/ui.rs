//! The editor window, driven headless through egui_kittest and found through AccessKit the way
//! a screen reader sees it: open, edit, preview, save, guard against lost edits.

use crate::common;
use crate::ui_support::{CTRL, settle};

use std::path::{Path, PathBuf};
use std::time::Duration;

use byline::app::BylineApp;
use byline::app::notifications::Severity;
use byline::app::system_command::SystemCommand;
use byline::journal::Journal;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

const SEED: &str = "2025-11-30-ukraine-talks-productive-but-more-work-needed-rubio-says.md";

fn copy_sample(name: &str, dir: &Path) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(common::sample_posts_dir().join(name), &to).unwrap();
    to
}

fn harness(file: &Path) -> Harness<'static, BylineApp> {
    // Each harness journals beside its post, never into the user's data folder.
    let journal = Journal::at(&file.parent().unwrap().join(".journal"));
    harness_with_journal(file, journal)
}

fn harness_with_journal(file: &Path, journal: Journal) -> Harness<'static, BylineApp> {
    crate::ui_support::harness_on(file, journal)
}

/// Replaces the whole text of the text field labelled `label` by typing, as a user would.
fn retype(h: &mut Harness<'_, BylineApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(1);
    h.get_by_label(label).focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

#[test]
fn edit_title_and_body_see_preview_then_save_only_those_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let original = std::fs::read_to_string(&path).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    assert_eq!(h.state().window_title(), format!("{SEED} — Byline"));

    retype(&mut h, "Title", "Talks resume: day two");
    let body = h.get_by_label("Body (Markdown)");
    body.click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::Home);
    h.get_by_label("Body (Markdown)")
        .type_text("## Fresh heading\n");
    settle(&mut h);

    assert!(h.state().doc.is_modified());
    assert!(
        h.state().window_title().starts_with("● "),
        "{}",
        h.state().window_title()
    );
    h.get_by_label("Talks resume: day two");
    h.get_by_label("Fresh heading");

    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert!(!h.state().doc.is_modified(), "{}", h.state().status());
    let saved = std::fs::read_to_string(&path).unwrap();
    let expected = original
        .replace(
            "title: \"New: Ukraine talks 'productive' but more work needed, Rubio says\"",
            "title: \"Talks resume: day two\"",
        )
        .replace("---\n\nLet's dive", "---\n## Fresh heading\n\nLet's dive");
    assert_eq!(saved, expected);
}

#[test]
fn close_with_unsaved_edits_asks_and_cancel_keeps_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Author", "Someone else");
    assert!(h.state().doc.is_modified());

    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
    assert!(h.state().has_dialog());
    h.get_by_label("Save changes?");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(!h.state().has_dialog());
    assert!(h.query_by_label("Save changes?").is_none());
    assert!(h.state().doc.is_modified(), "Cancel must keep the edits");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        std::fs::read_to_string(common::sample_posts_dir().join(SEED)).unwrap()
    );
}

#[test]
fn ctrl_b_makes_the_selection_bold_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let mut h = harness(&path);
    settle(&mut h);
    let body = h.get_by_label("Body (Markdown)");
    body.click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::End);
    h.get_by_label("Body (Markdown)").type_text("loud");
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    h.run_steps(1);
    h.key_press_modifiers(CTRL, Key::B);
    h.run_steps(2);
    assert!(
        h.state().doc.post().body().ends_with("**loud**"),
        "{:?}",
        &h.state().doc.post().body()[h.state().doc.post().body().len() - 30..]
    );
    h.key_press_modifiers(CTRL, Key::Z);
    h.run_steps(2);
    assert!(h.state().doc.post().body().ends_with("loud"));
    assert!(!h.state().doc.post().body().ends_with("**loud**"));
}

#[test]
fn malformed_post_opens_with_its_error_and_saves_unchanged_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample("2025-11-26-broken-front-matter.md", dir.path());
    let original = std::fs::read(&path).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.get_by_label_contains("Line 3, column 8");
    h.get_by_label("Raw front matter");
    assert!(
        h.state().status().contains("front matter error"),
        "{}",
        h.state().status()
    );
    h.state_mut().request(byline::app::command::Command::Save);
    settle(&mut h);
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn fixing_broken_yaml_in_the_raw_editor_brings_the_form_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.md");
    std::fs::write(&path, "---\ntitle: [oops\n---\nBody\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Raw front matter", "title: Fixed\n");
    settle(&mut h);
    h.get_by_label("Title");
    assert_eq!(h.state().doc.post().text("title").as_deref(), Some("Fixed"));
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Fixed\n---\nBody\n"
    );
}

#[test]
fn save_as_without_a_file_dialog_asks_for_the_path_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let mut h = harness(&path);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::N);
    settle(&mut h);
    assert_eq!(h.state().doc.path(), None);
    h.key_press_modifiers(CTRL | Modifiers::SHIFT, Key::S);
    settle(&mut h);
    h.get_by_label("Save post as");
    let target = dir.path().join("2025-12-01-new-post.md");
    retype(&mut h, "Path", &target.display().to_string());
    h.get_by_label("OK").click();
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(h.state().doc.path(), Some(target.as_path()));
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(
        written.starts_with("---\nlayout: post\ntitle: \"\"\n"),
        "{written}"
    );
    assert_eq!(written, h.state().doc.post().to_text());
}

#[test]
fn crlf_post_with_bom_opens_edits_and_keeps_its_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let name = "2025-11-28-windows-line-endings-and-bom.md";
    let path = copy_sample(name, dir.path());
    let original = std::fs::read_to_string(&path).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Title", "Still CRLF");
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        original.replace("\"Windows line endings and a BOM\"", "\"Still CRLF\"")
    );
}

/// A post of `paragraphs` numbered paragraphs, far larger than the editing window.
fn long_post_text(paragraphs: usize) -> String {
    let mut text = String::from("---\ntitle: Long\n---\n");
    for i in 0..paragraphs {
        text.push_str(&format!(
            "Paragraph {i} with some words to make the line longer than a few columns.\n\n"
        ));
    }
    text
}

/// A post far larger than the editing window: edits at the top and near the end (reached with
/// Find) land exactly where they were typed, and nothing else changes.
#[test]
fn long_post_edits_through_the_window_land_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.md");
    let mut text = long_post_text(3_500);
    text.push_str("The unique-marker sentence.\n");
    assert!(text.len() > byline::app::editor::WINDOWED_BODY_BYTES * 3);
    std::fs::write(&path, &text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);

    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::Home);
    h.get_by_label("Body (Markdown)").type_text("START ");
    h.run_steps(2);

    h.key_press_modifiers(CTRL, Key::F);
    h.run_steps(2);
    h.get_by_label("Find text").type_text("unique-marker");
    h.run_steps(1);
    h.run_steps(2);
    h.key_press(Key::Enter);
    settle(&mut h);
    h.key_press(Key::Escape);
    settle(&mut h);
    h.get_by_label("Body (Markdown)").type_text("X");
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    let expected = text
        .replace("---\nParagraph 0 ", "---\nSTART Paragraph 0 ")
        .replace("The unique-marker", "The X");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.len(), expected.len());
    assert!(
        saved == expected,
        "the saved text differs from the typed edits"
    );
}

/// Typing at the end of a long post, one key per frame as a person types, keeps every key.
#[test]
fn long_post_typing_at_the_end_keeps_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.md");
    let text = long_post_text(3_500);
    std::fs::write(&path, &text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::End);
    h.run_steps(2);
    for c in "Typed at the end.".chars() {
        h.get_by_label("Body (Markdown)").type_text(&c.to_string());
        h.run_steps(1);
    }
    settle(&mut h);
    assert!(
        h.state()
            .doc
            .post()
            .body()
            .ends_with("columns.\n\nTyped at the end."),
        "{:?}",
        &h.state().doc.post().body()[h.state().doc.post().body().len() - 60..]
    );
}

#[test]
fn export_to_site_from_the_window_asks_before_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("_posts")).unwrap();
    let path = dir.path().join("post.md");
    std::fs::write(
        &path,
        "---\ntitle: Window export\ndate: 2025-11-30 10:00:00 +0100\n---\nFirst.\n",
    )
    .unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.state_mut()
        .request(byline::app::command::Command::ExportToSite);
    settle(&mut h);
    h.get_by_label("Export to Jekyll site folder");
    retype(&mut h, "Path", &site.display().to_string());
    h.get_by_label("OK").click();
    settle(&mut h);
    let target = site.join("_posts/2025-11-30-window-export.md");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "---\ntitle: Window export\ndate: 2025-11-30 10:00:00 +0100\n---\nFirst.\n"
    );
    assert!(
        h.state().status().contains("Exported to"),
        "{}",
        h.state().status()
    );
    assert_eq!(
        h.state().settings.last_site.as_deref(),
        Some(site.as_path())
    );

    h.state_mut()
        .doc
        .apply(byline::document::EditKind::Body, |post| {
            post.set_body("Second.\n");
            Ok::<bool, std::convert::Infallible>(true)
        })
        .unwrap();
    h.state_mut().request_system(SystemCommand::ExportToSite {
        site: site.clone(),
        force: false,
    });
    settle(&mut h);
    h.get_by_label("Overwrite the post in the site?");
    assert!(
        h.query_by_label_contains("--force").is_none(),
        "the window offers a button, not the command line's hint"
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .ends_with("First.\n")
    );
    h.get_by_label("Overwrite").click();
    settle(&mut h);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .ends_with("Second.\n")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Window export\ndate: 2025-11-30 10:00:00 +0100\n---\nFirst.\n",
        "the source is only written on save"
    );
}

#[test]
fn unsaved_edits_survive_a_crash_and_are_restored_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let journal_dir = dir.path().join("journal");
    let mut h = harness_with_journal(&path, Journal::at(&journal_dir));
    settle(&mut h);
    retype(&mut h, "Title", "Crash-proof title ✓");
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::Home);
    h.get_by_label("Body (Markdown)")
        .type_text("Typed before the crash. ");
    h.run_steps(2);
    let typed = h.state().doc.post().to_text();
    std::thread::sleep(Duration::from_millis(1100));
    h.run_steps(2);
    assert_eq!(
        Journal::at(&journal_dir).entries().len(),
        1,
        "journaled within 2 s of the last keystroke"
    );
    // The process dies: no save, no clean-up.
    std::mem::forget(h);

    let mut h = harness_with_journal(&path, Journal::at(&journal_dir));
    settle(&mut h);
    h.get_by_label("Recover unsaved edits?");
    h.get_by_label_contains("+title: \"Crash-proof title ✓\"");
    h.get_by_label("Restore").click();
    settle(&mut h);
    assert_eq!(h.state().doc.post().to_text(), typed);
    assert!(h.state().doc.is_modified());
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), typed);
    assert!(
        Journal::at(&journal_dir).entries().is_empty(),
        "the entry is removed once saved"
    );
}

#[test]
fn a_file_changed_on_disk_reloads_or_asks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    std::fs::write(&path, "---\ntitle: Mine\n---\nBody\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    std::fs::write(&path, "---\ntitle: Theirs, from git pull\n---\nBody\n").unwrap();
    h.event(egui::Event::WindowFocused(true));
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().text("title").as_deref(),
        Some("Theirs, from git pull"),
        "no local edits: reloaded"
    );
    assert!(!h.state().doc.is_modified());
    assert!(
        h.state()
            .notifications()
            .shown()
            .any(|(severity, text)| severity == Severity::Warning && text.starts_with("Reloaded")),
        "a reload the user did not ask for is a warning worth seeing"
    );

    retype(&mut h, "Title", "Local edit");
    std::fs::write(&path, "---\ntitle: Theirs again, longer\n---\nBody\n").unwrap();
    h.event(egui::Event::WindowFocused(true));
    settle(&mut h);
    h.get_by_label("The file changed on disk");
    h.get_by_label("Compare").click();
    settle(&mut h);
    h.get_by_label_contains("+title: Local edit");
    h.get_by_label("Keep mine").click();
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Local edit\n---\nBody\n"
    );
}

#[test]
fn a_failed_save_keeps_the_edits_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("gone");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("p.md");
    std::fs::write(&path, "---\ntitle: A\n---\nBody\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Title", "Edited");
    std::fs::remove_dir_all(&folder).unwrap();
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert!(h.state().doc.is_modified());
    assert_eq!(
        h.state().doc.post().text("title").as_deref(),
        Some("Edited")
    );
    let status = h.state().status().to_string();
    assert!(status.contains("your edits are still here"), "{status}");
    assert!(
        h.state()
            .notifications()
            .shown()
            .any(|(severity, text)| severity == Severity::Error && text == status),
        "a failed save is an error notification"
    );
    h.get_by_label("Dismiss");
}

/// Opening another post must never let the editor's view of the previous one leak into it.
#[test]
fn opening_a_long_post_after_another_edits_the_new_one_only() {
    let dir = tempfile::tempdir().unwrap();
    let small = copy_sample(SEED, dir.path());
    let long = dir.path().join("long.md");
    let mut text = String::from("---\ntitle: Long\n---\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "Line {i} of a long post that is larger than the editing window.\n"
        ));
    }
    std::fs::write(&long, &text).unwrap();
    let mut h = harness(&small);
    settle(&mut h);
    h.state_mut()
        .request_system(SystemCommand::OpenPath(long.clone()));
    settle(&mut h);
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::Home);
    h.get_by_label("Body (Markdown)").type_text("NEW ");
    settle(&mut h);
    let expected = text.replacen("Line 0 ", "NEW Line 0 ", 1);
    assert!(
        h.state().doc.post().to_text() == expected,
        "the new post must hold only its own text plus the typed word"
    );
}

#[test]
fn dont_save_closes_without_asking_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Author", "Someone");
    let close = |h: &mut Harness<'_, BylineApp>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.run_steps(2);
    };
    close(&mut h);
    h.get_by_label("Don't save").click();
    h.run_steps(2);
    close(&mut h);
    assert!(
        !h.state().has_dialog(),
        "the guard must not come back after Don't save"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        std::fs::read_to_string(common::sample_posts_dir().join(SEED)).unwrap()
    );
}

/// The value of the in-app path dialog's field.
fn path_field(h: &Harness<'_, BylineApp>) -> String {
    h.get_by_label("Path").value().unwrap_or_default()
}

/// A small Jekyll site in `dir`: `site/_posts/` with one post and `site/_drafts/`.
fn small_site(dir: &Path) -> (PathBuf, PathBuf) {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("_posts")).unwrap();
    std::fs::create_dir_all(site.join("_drafts")).unwrap();
    std::fs::write(site.join("_config.yml"), "title: Site\n").unwrap();
    let post = site.join("_posts/2025-01-01-alpha.md");
    std::fs::write(&post, "---\ntitle: Alpha\n---\nA.\n").unwrap();
    (site, post)
}

#[test]
fn path_dialog_has_the_focus_at_once_and_enter_confirms_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let (site, post) = small_site(dir.path());
    let mut h = harness(&post);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::N);
    settle(&mut h);
    h.key_press_modifiers(CTRL | Modifiers::SHIFT, Key::S);
    h.run_steps(1);
    // Typed right away, without clicking anywhere: nothing may be lost.
    let target = site.join("_drafts/typed-at-once.md");
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text(target.display().to_string()));
    h.run_steps(2);
    h.get_by_label("Save post as");
    assert!(
        h.get_by_label("Path").is_focused(),
        "the path field has the focus"
    );
    assert_eq!(path_field(&h), target.display().to_string());
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(h.state().doc.path(), Some(target.as_path()));
    assert!(target.is_file());
}

#[test]
fn path_dialog_proposes_the_posts_folder_of_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let (site, post) = small_site(dir.path());
    let mut h = harness(&post);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::N);
    settle(&mut h);
    h.key_press_modifiers(CTRL | Modifiers::SHIFT, Key::S);
    settle(&mut h);
    let proposed = path_field(&h);
    let posts = format!("{}/", site.join("_posts").display());
    assert!(
        proposed.starts_with(&posts) && proposed.ends_with(".md"),
        "a new post is proposed in its site's _posts/: {proposed}"
    );
    // The folder's entries are listed to click.
    h.get_by_label("2025-01-01-alpha.md");
    // The proposed name is selected: typing replaces it and keeps the folder and extension.
    h.event(egui::Event::Text("my-title".into()));
    h.run_steps(2);
    assert_eq!(path_field(&h), format!("{posts}my-title.md"));
}

#[test]
fn escape_cancels_the_path_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let (_, post) = small_site(dir.path());
    let mut h = harness(&post);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::O);
    settle(&mut h);
    h.get_by_label("Open post");
    h.event(egui::Event::Text("nothing-here".into()));
    h.run_steps(1);
    h.key_press(Key::Escape);
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert!(h.query_by_label("Open post").is_none());
    assert_eq!(h.state().doc.path(), Some(post.as_path()));
}

#[test]
fn tab_completes_paths_and_the_list_browses_folders() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = small_site(dir.path());
    let other = dir.path().join("elsewhere.md");
    std::fs::write(&other, "---\ntitle: Elsewhere\n---\n").unwrap();
    let mut h = harness(&other);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::O);
    settle(&mut h);
    assert_eq!(
        path_field(&h),
        format!("{}/", dir.path().display()),
        "starts in the open post's folder"
    );
    h.event(egui::Event::Text("site/_po".into()));
    h.run_steps(1);
    h.key_press(Key::Tab);
    h.run_steps(2);
    assert_eq!(
        path_field(&h),
        format!("{}/", site.join("_posts").display())
    );
    assert!(
        h.get_by_label("Path").is_focused(),
        "Tab keeps the focus in the field"
    );
    h.key_press(Key::Tab);
    h.run_steps(2);
    let alpha = site.join("_posts/2025-01-01-alpha.md");
    assert_eq!(path_field(&h), alpha.display().to_string());

    // Browse: up to the site folder, into _posts/, and pick the post.
    h.get_by_label("Parent folder (..)").click();
    h.run_steps(2);
    assert_eq!(path_field(&h), format!("{}/", site.display()));
    h.get_by_label("_posts/").click();
    h.run_steps(2);
    h.get_by_label("2025-01-01-alpha.md").click();
    h.run_steps(2);
    assert_eq!(path_field(&h), alpha.display().to_string());
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(h.state().doc.path(), Some(alpha.as_path()));
}

#[test]
fn a_post_named_error_opens_without_an_error_notification() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("error-handling.md");
    std::fs::write(&path, "---\ntitle: Error handling in Rust\n---\nErrors.\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    assert!(
        h.state().status().starts_with("Opened "),
        "{}",
        h.state().status()
    );
    assert_eq!(
        h.state().notifications().shown().count(),
        0,
        "routine news stays in the status bar"
    );
    assert!(h.query_by_label("Dismiss").is_none());
}

#[test]
fn enter_on_a_folder_enters_it_and_save_as_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (site, post) = small_site(dir.path());
    let mut h = harness(&post);
    settle(&mut h);
    h.key_press_modifiers(CTRL | Modifiers::SHIFT, Key::S);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text(site.display().to_string()));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(h.state().has_dialog(), "a folder is entered, not saved to");
    assert_eq!(path_field(&h), format!("{}/", site.display()));
    h.event(egui::Event::Text("_posts/2025-01-01-alpha.md".into()));
    h.run_steps(1);
    h.key_press_modifiers(CTRL, Key::A);
    let other = site.join("_drafts/a-draft.md");
    std::fs::write(&other, "---\ntitle: Draft\n---\n").unwrap();
    h.event(egui::Event::Text(other.display().to_string()));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(h.state().has_dialog(), "an existing file is not replaced");
    h.get_by_label_contains("already exists; choose another name");
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "---\ntitle: Draft\n---\n"
    );
}

/// Focuses the body and puts the cursor at byte `at` of the body.
fn cursor_in_body(h: &mut Harness<'_, BylineApp>, at: usize) {
    use egui::text::{CCursor, CCursorRange};
    h.get_by_label("Body (Markdown)").focus();
    h.run_steps(1);
    let body = h.state().doc.post().body().to_string();
    let chars = body[..at].chars().count();
    let id = byline::app::editor::body_id();
    let mut state = egui::text_edit::TextEditState::load(&h.ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(CCursorRange::one(CCursor::new(chars))));
    state.store(&h.ctx, id);
    h.run_steps(1);
}

/// The text of the field labelled `label`.
fn value_of(h: &Harness<'_, BylineApp>, label: &str) -> String {
    use egui_kittest::kittest::NodeT as _;
    h.get_by_label(label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// The body's selection, in bytes.
fn body_selection(h: &Harness<'_, BylineApp>) -> std::ops::Range<usize> {
    let body = h.state().doc.post().body();
    let state =
        egui::text_edit::TextEditState::load(&h.ctx, byline::app::editor::body_id()).unwrap();
    let range = state.cursor.char_range().unwrap().as_sorted_char_range();
    let byte = |c: usize| body.char_indices().nth(c).map_or(body.len(), |(b, _)| b);
    byte(range.start.0)..byte(range.end.0)
}

#[test]
fn find_enter_goes_to_the_first_match_after_the_cursor_and_never_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    let text = "---\ntitle: Find\n---\none cat, two cat, three cat\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    cursor_in_body(&mut h, 5);
    h.key_press_modifiers(CTRL, Key::F);
    h.run_steps(2);
    h.get_by_label("Find text").type_text("cat");
    h.run_steps(2);
    h.get_by_label("3 matches");
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label("2 of 3"); // the first match after the cursor, not the one after it
    assert!(
        h.get_by_label("Find text").is_focused(),
        "focus stays in the find field"
    );
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label("3 of 3");
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label("1 of 3"); // wraps around
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run_steps(2);
    h.get_by_label("3 of 3"); // Shift+Enter goes back
    assert_eq!(h.state().doc.post().to_text(), text, "Enter never edits");
    assert!(!h.state().doc.is_modified());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        h.query_by_label("Find text").is_none(),
        "Esc closes the bar"
    );
    assert!(h.get_by_label("Body (Markdown)").is_focused());
    assert_eq!(body_selection(&h), 24..27, "the match stays selected");
    h.get_by_label("Body (Markdown)").type_text("dog");
    h.run_steps(2);
    assert_eq!(h.state().doc.post().body(), "one cat, two cat, three dog\n");
}

#[test]
fn a_map_valued_image_shows_its_path_and_an_edit_changes_only_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chirpy.md");
    let text = "---\ntitle: Chirpy\nimage:\n  path: /assets/img/a.png\n  lqip: data:image/webp;base64,AAAA\n  alt: A picture\n---\nBody\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    assert_eq!(value_of(&h, "Image"), "/assets/img/a.png");
    h.get_by_label_contains("Also set: lqip, alt");
    h.get_by_label("Other keys (1)");
    retype(&mut h, "Image", "/assets/img/b.png");
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("a.png", "b.png"),
        "only the path's bytes change"
    );
}

#[test]
fn a_list_where_a_text_is_expected_is_not_overwritten_by_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    let text = "---\ntitle: T\nauthor:\n  - Ann\n  - Bob\n---\nBody\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.get_by_label_contains("This value is a list");
    h.get_by_label("Other keys (1)");
    assert_eq!(value_of(&h, "author"), "author:\n  - Ann\n  - Bob");
}

#[test]
fn invalid_edits_are_unsaved_work_that_save_names_and_quit_guards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    let text = "---\ntitle: T\ndate: 2025-11-30 10:00:00 +0100\ntoc: true\n---\nBody\n";
    std::fs::write(&path, text).unwrap();
    let journal_dir = dir.path().join("journal");
    let mut h = harness_with_journal(&path, Journal::at(&journal_dir));
    settle(&mut h);

    retype(&mut h, "UTC offset", "+2");
    settle(&mut h);
    assert!(h.state().doc.is_modified());
    assert!(h.state().window_title().starts_with("● "));
    assert!(h.query_by_label("Saved").is_none());
    h.get_by_label("Modified");
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    let status = h.state().status().to_string();
    assert!(
        status.contains("UTC offset") && status.contains("+2"),
        "{status}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "nothing written"
    );
    retype(&mut h, "UTC offset", "+02:00");
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text.replace("+0100", "+0200")
    );
    h.get_by_label("Saved");

    retype(&mut h, "toc", "toc: [");
    settle(&mut h);
    assert!(h.state().doc.is_modified());
    std::thread::sleep(Duration::from_millis(1100));
    h.run_steps(2);
    let entries = Journal::at(&journal_dir).entries();
    assert_eq!(entries.len(), 1, "the typed text is journaled");
    assert!(entries[0].text.contains("toc: [\n"), "{}", entries[0].text);
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
    h.get_by_label("Save changes?");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(!h.state().has_dialog(), "Esc cancels the dialog");
    h.key_press_modifiers(CTRL, Key::Z);
    settle(&mut h);
    assert!(!h.state().doc.is_modified(), "Undo discards the typed text");
    assert_eq!(value_of(&h, "toc"), "toc: true");
}

#[test]
fn new_lines_in_a_crlf_post_are_crlf_in_body_form_and_paste() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.md");
    let text = "---\r\ntitle: T\r\nextra:\r\n  a: 1\r\n---\r\nLine one\r\nLine two\r\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    cursor_in_body(&mut h, "Line one".len());
    h.key_press(Key::Enter);
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").type_text("new");
    h.run_steps(1);
    h.event(egui::Event::Paste("p\nq".into()));
    h.run_steps(1);
    cursor_in_body(&mut h, "Line one\r\nnewp\r\nq\r\n".len());
    h.key_press(Key::Backspace);
    h.run_steps(2);
    assert_eq!(
        h.state().doc.post().body(),
        "Line one\r\nnewp\r\nqLine two\r\n",
        "Enter and paste insert CRLF; Backspace removes a whole CRLF"
    );
    retype(&mut h, "extra", "extra:\n  a: 2\n  b: 3");
    settle(&mut h);
    assert!(
        h.state()
            .doc
            .post()
            .to_text()
            .starts_with("---\r\ntitle: T\r\nextra:\r\n  a: 2\r\n  b: 3\r\n---\r\n"),
        "{:?}",
        h.state().doc.post().to_text()
    );
}

#[test]
fn formatting_a_whitespace_selection_never_writes_empty_markers_around_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    std::fs::write(&path, "---\ntitle: T\n---\nab   cd\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    cursor_in_body(&mut h, 2);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(1);
    h.key_press_modifiers(CTRL, Key::I);
    h.run_steps(2);
    // Only spaces selected: nothing is wrapped around them (the markers go at the cursor).
    assert_eq!(h.state().doc.post().body(), "ab**   cd\n");
    h.key_press_modifiers(CTRL, Key::Z);
    h.run_steps(2);
    // A selection with spaces around a word wraps only the word.
    let body = h.state().doc.post().body().to_string();
    assert_eq!(body, "ab   cd\n");
    cursor_in_body(&mut h, 3);
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    }
    h.run_steps(1);
    h.key_press_modifiers(CTRL, Key::B);
    h.run_steps(2);
    assert_eq!(h.state().doc.post().body(), "ab   **c**d\n");
}

#[test]
fn a_new_post_is_not_saved_yet_counts_zero_characters_and_writes_no_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let mut h = harness(&path);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::N);
    settle(&mut h);
    h.get_by_label("Not saved yet");
    assert!(h.query_by_label("Saved").is_none());
    // The status bar and the (empty) excerpt's count.
    assert_eq!(h.query_all_by_label("0 characters").count(), 2);
    h.get_by_label("0 words");
    let text = h.state().doc.post().to_text();
    assert!(!text.contains("Untitled post"), "{text}");
    assert!(
        !text.contains("categories") && !text.contains("tags"),
        "{text}"
    );
}

#[test]
fn typed_text_that_cannot_be_written_stays_in_its_field_while_the_body_is_edited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    let text = "---\ntitle: T\ndate: 2025-11-30 10:00:00 +0100\n---\nBody\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "UTC offset", "+2");
    cursor_in_body(&mut h, 4);
    h.get_by_label("Body (Markdown)").type_text("!");
    settle(&mut h);
    assert_eq!(h.state().doc.post().body(), "Body!\n");
    assert_eq!(value_of(&h, "UTC offset"), "+2", "the typed offset is kept");
    assert!(h.state().doc.is_modified());
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "nothing written"
    );
    // Undo discards the typed offset first, then undoes the body edit.
    h.key_press_modifiers(CTRL, Key::Z);
    settle(&mut h);
    assert_eq!(value_of(&h, "UTC offset"), "+01:00");
    assert_eq!(h.state().doc.post().body(), "Body!\n");
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text.replace("Body", "Body!")
    );
    h.get_by_label("Saved");
}

#[test]
fn new_lines_in_the_raw_yaml_of_a_crlf_post_are_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.md");
    std::fs::write(&path, "---\r\ntitle: [oops\r\n---\r\nBody\r\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Raw front matter", "title: Fixed\nauthor: Ann\n");
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        "---\r\ntitle: Fixed\r\nauthor: Ann\r\n---\r\nBody\r\n"
    );
}

#[test]
fn replace_with_enter_replaces_the_found_match_and_esc_returns_to_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    std::fs::write(&path, "---\ntitle: R\n---\na cat, a cat\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    cursor_in_body(&mut h, 0);
    h.key_press_modifiers(CTRL, Key::H);
    h.run_steps(2);
    h.get_by_label("Find text").type_text("cat");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    retype(&mut h, "Replace with", "dog");
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().doc.post().body(), "a dog, a cat\n");
    h.get_by_label("1 of 1"); // moved on to the next (now only) match
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Replace with").is_none());
    assert!(h.get_by_label("Body (Markdown)").is_focused());
    assert_eq!(body_selection(&h), 9..12);
}

#[test]
fn a_tag_typed_but_not_added_is_unsaved_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.md");
    let text = "---\ntitle: T\ntags: [a]\n---\nBody\n";
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.get_by_label("Tags").click();
    h.run_steps(1);
    h.get_by_label("Tags").focus();
    h.get_by_label("Tags").type_text("rust");
    settle(&mut h);
    assert!(h.state().doc.is_modified());
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert!(
        h.state().status().contains("not added yet"),
        "{}",
        h.state().status()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    h.get_by_label("Tags").focus();
    h.key_press(Key::Enter);
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text.replace("[a]", "[a, rust]")
    );
    h.get_by_label("Saved");
}

#[test]
fn export_refuses_while_typed_text_could_not_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("_posts")).unwrap();
    let path = dir.path().join("post.md");
    std::fs::write(
        &path,
        "---\ntitle: Export\ndate: 2025-11-30 10:00:00 +0100\n---\nFirst.\n",
    )
    .unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "UTC offset", "+2");
    h.state_mut().request_system(SystemCommand::ExportToSite {
        site: site.clone(),
        force: false,
    });
    settle(&mut h);
    let status = h.state().status().to_string();
    assert!(
        status.contains("UTC offset") && status.contains("nothing was exported"),
        "{status}"
    );
    assert_eq!(std::fs::read_dir(site.join("_posts")).unwrap().count(), 0);
}

#[test]
fn saving_a_read_only_post_refuses_and_offers_save_as() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.md");
    std::fs::write(&path, "---\ntitle: Locked\n---\nBody.\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    retype(&mut h, "Title", "Unlocked");
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Locked\n---\nBody.\n",
        "a read-only file is never written"
    );
    assert!(
        h.state().doc.is_modified(),
        "the edit is still unsaved work"
    );
    h.get_by_label("Save post as");
    let copy = dir.path().join("unlocked.md");
    retype(&mut h, "Path", &copy.display().to_string());
    h.get_by_label("OK").click();
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        "---\ntitle: Unlocked\n---\nBody.\n"
    );
    assert!(!h.state().doc.is_modified());
}

#[test]
fn html_export_from_the_window_asks_before_replacing_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let path = dir.path().join("page.md");
    std::fs::write(&path, "---\ntitle: Page\n---\nFirst.\n").unwrap();
    // A page that was there before: never replaced without asking.
    std::fs::write(out.join("page.html"), "hand-written").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.state_mut().request_system(SystemCommand::ExportHtmlTo {
        dir: out.clone(),
        force: false,
    });
    settle(&mut h);
    h.get_by_label("Overwrite the page?");
    assert!(h.query_by_label_contains("--force").is_none());
    assert_eq!(
        std::fs::read_to_string(out.join("page.html")).unwrap(),
        "hand-written"
    );
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(
        std::fs::read_to_string(out.join("page.html")).unwrap(),
        "hand-written"
    );
    h.state_mut().request_system(SystemCommand::ExportHtmlTo {
        dir: out.clone(),
        force: false,
    });
    settle(&mut h);
    h.get_by_label("Overwrite").click();
    settle(&mut h);
    let page = std::fs::read_to_string(out.join("page.html")).unwrap();
    assert!(page.contains("First."), "{page}");
}

/// Writes `text` to `dir/name` and opens it in a harness.
fn open_text(dir: &Path, name: &str, text: &str) -> (PathBuf, Harness<'static, BylineApp>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    (path, h)
}

#[test]
fn slug_description_and_lang_have_rows_and_a_slug_edit_changes_only_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: T\nslug: old-slug # kept\ndescription: \"Short, sweet\"\nlang: en\nx: 1\n---\nBody\n";
    let (_, mut h) = open_text(dir.path(), "p.md", text);
    assert_eq!(value_of(&h, "Slug"), "old-slug");
    assert_eq!(value_of(&h, "Description"), "Short, sweet");
    assert_eq!(value_of(&h, "Language"), "en");
    h.get_by_label("Other keys (1)");
    retype(&mut h, "Slug", "new-slug");
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("old-slug", "new-slug"),
        "only the slug's value changes"
    );
}

#[test]
fn a_text_published_value_is_reported_under_published_not_under_image() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: T\nimage: /a.png\npublished: \"false\"\npermalink: /p/\n---\nBody\n";
    let (_, h) = open_text(dir.path(), "p.md", text);
    let warning = h.get_by_label_contains("is a string, not a boolean").rect();
    let published = h.get_by_label("Published").rect();
    let permalink = h.get_by_label("Permalink").rect();
    let image = h.get_by_label("Image").rect();
    assert!(
        published.top() < warning.top() && warning.top() < permalink.top(),
        "the warning is drawn in the Published row: {published:?} {warning:?} {permalink:?}"
    );
    assert!(image.top() < published.top());
    assert_eq!(
        value_of(&h, "Image"),
        "/a.png",
        "the image row keeps its own text"
    );
}

#[test]
fn adding_and_removing_a_tag_keeps_every_other_items_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: T\ntags: [ruby,  'jekyll', \"2021\"]\ncategories:\n  - \"2021\"\n  - retrospective # yes\n---\nBody\n";
    let (_, mut h) = open_text(dir.path(), "p.md", text);
    h.get_by_label("Tags").click();
    h.run_steps(1);
    h.get_by_label("Tags").focus();
    h.get_by_label("Tags").type_text("rust");
    h.key_press(Key::Enter);
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("\"2021\"]", "\"2021\", rust]"),
        "the other tags keep their quotes and spacing"
    );
    h.get_by_label("Categories").click();
    h.run_steps(1);
    h.get_by_label("Categories").focus();
    h.get_by_label("Categories").type_text("notes");
    h.key_press(Key::Enter);
    settle(&mut h);
    let with_category = h.state().doc.post().to_text();
    assert!(
        with_category.contains("  - \"2021\"\n  - retrospective # yes\n  - notes\n"),
        "{with_category}"
    );
    h.get_by_label("jekyll  ×").click();
    settle(&mut h);
    let expected = {
        let mut post = byline::post::Post::from_text(&with_category);
        post.remove_list_item("tags", "jekyll").unwrap();
        post.to_text()
    };
    assert_eq!(h.state().doc.post().to_text(), expected);
    assert!(
        expected.contains("tags: [ruby,") && expected.contains(" \"2021\", rust]"),
        "{expected}"
    );
}

#[test]
fn date_arrows_and_today_are_lossless_undoable_edits_in_the_files_form() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: T\ndate: '2025-01-31 10:00:00 +0100' # when\n---\nBody\n";
    let (_, mut h) = open_text(dir.path(), "p.md", text);
    h.get_by_label("▶").click();
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("2025-01-31", "2025-02-01")
    );
    h.get_by_label("◀").click();
    settle(&mut h);
    h.get_by_label("◀").click();
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("2025-01-31", "2025-01-30")
    );
    h.get_by_label("Today").click();
    settle(&mut h);
    let today = jiff::Zoned::now().date().strftime("%Y-%m-%d").to_string();
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("2025-01-31", &today)
    );
    while h.state().doc.can_undo() {
        h.state_mut().doc.undo();
    }
    settle(&mut h);
    assert_eq!(h.state().doc.post().to_text(), text);

    // A date without a time stays a date without a time.
    let dated = "---\ntitle: T\ndate: 2024-03-01\n---\n";
    let (_, mut h) = open_text(dir.path(), "q.md", dated);
    h.get_by_label("◀").click();
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        "---\ntitle: T\ndate: 2024-02-29\n---\n"
    );
}

#[test]
fn choose_image_imports_it_into_the_site_and_writes_a_site_path() {
    let dir = tempfile::tempdir().unwrap();
    let (site, post) = small_site(dir.path());
    let outside = dir.path().join("Downloads/Photo.PNG");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    let mut png = Vec::new();
    image::RgbImage::from_pixel(4, 3, image::Rgb([200, 40, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(&outside, &png).unwrap();
    let mut h = harness(&post);
    settle(&mut h);
    h.get_by_label("Choose…").click();
    settle(&mut h);
    h.get_by_label("Choose image");
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text(outside.display().to_string()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().has_dialog());
    let name = byline::image_import::imported_file_name(&png, &outside);
    let reference = format!("/assets/images/{name}");
    assert_eq!(
        h.state().doc.post().to_text(),
        format!("---\ntitle: Alpha\nimage: {reference}\n---\nA.\n")
    );
    assert_eq!(
        std::fs::read(site.join("assets/images").join(&name)).unwrap(),
        png
    );
    assert_eq!(value_of(&h, "Image"), reference);
    assert!(
        h.query_by_label_contains("Not found").is_none(),
        "the thumbnail shows at once"
    );
    assert!(outside.is_file(), "the chosen file stays where it was");
}

#[test]
fn a_changed_date_offers_to_rename_the_file_and_the_rename_never_clobbers() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Alpha Beta\ndate: 2025-01-01\n---\nA.\n";
    let (old, mut h) = open_text(dir.path(), "site/_posts/2025-01-01-ab.md", text);
    assert!(
        h.query_by_label("Rename file").is_none(),
        "no hint before the date or title changes"
    );
    h.get_by_label("▶").click();
    settle(&mut h);
    // Only the date changed: the slug the writer chose stays.
    h.get_by_label_contains("2025-01-02-ab.md");
    // A file already has the name: the rename is refused and both files stay.
    let new = old.with_file_name("2025-01-02-ab.md");
    std::fs::write(&new, "someone else's").unwrap();
    h.get_by_label("Rename file").click();
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "someone else's");
    assert_eq!(std::fs::read_to_string(&old).unwrap(), text);
    assert_eq!(h.state().doc.path(), Some(old.as_path()));
    std::fs::remove_file(&new).unwrap();

    h.get_by_label("Rename file").click();
    settle(&mut h);
    assert!(!old.exists());
    assert_eq!(
        std::fs::read_to_string(&new).unwrap(),
        text,
        "renamed as it was on disk"
    );
    assert_eq!(h.state().doc.path(), Some(new.as_path()));
    assert_eq!(h.state().settings.recent_files.paths().first(), Some(&new));
    assert!(
        h.query_by_label("Rename file").is_none(),
        "the hint is gone"
    );
    // The unsaved date edit is journaled under the new path only.
    std::thread::sleep(byline::session::JOURNAL_DELAY);
    h.run_steps(2);
    let journal = Journal::at(&old.parent().unwrap().join(".journal"));
    let journaled: Vec<_> = journal
        .entries()
        .into_iter()
        .map(|e| (e.id, e.path))
        .collect();
    assert_eq!(
        journaled,
        vec![(Journal::id_for(Some(&new)), Some(new.clone()))]
    );
    h.key_press_modifiers(CTRL, Key::S);
    settle(&mut h);
    assert_eq!(
        std::fs::read_to_string(&new).unwrap(),
        text.replace("2025-01-01", "2025-01-02")
    );
    assert!(!old.exists());

    // A new title asks for the title's slug; "Not now" puts the offer away.
    retype(&mut h, "Title", "Gamma");
    settle(&mut h);
    h.get_by_label_contains("2025-01-02-gamma.md");
    h.get_by_label("Not now").click();
    settle(&mut h);
    assert!(h.query_by_label("Rename file").is_none());
    assert_eq!(h.state().doc.path(), Some(new.as_path()));
}

#[test]
fn choose_image_for_a_post_outside_any_site_keeps_it_beside_the_post() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Notes\n---\nBody\n";
    let (path, mut h) = open_text(dir.path(), "notes/p.md", text);
    let chosen = dir.path().join("pic.png");
    let mut png = Vec::new();
    image::RgbImage::from_pixel(2, 2, image::Rgb([0, 90, 200]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(&chosen, &png).unwrap();
    h.get_by_label("Choose…").click();
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::A);
    h.event(egui::Event::Text(chosen.display().to_string()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    settle(&mut h);
    let name = byline::image_import::imported_file_name(&png, &chosen);
    let reference = format!("assets/images/{name}");
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("---\nBody", &format!("image: {reference}\n---\nBody"))
    );
    assert_eq!(
        std::fs::read(path.parent().unwrap().join(&reference)).unwrap(),
        png
    );
    assert!(h.query_by_label_contains("Not found").is_none());
}

#[test]
fn a_post_without_a_title_is_previewed_with_the_title_jekyll_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("_posts/2016-05-20-welcome-to-jekyll.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "---\nlayout: post\n---\nHello.\n").unwrap();
    let mut h = harness(&path);
    settle(&mut h);
    h.run_steps(5);
    // The preview's heading (and the site panel's row): the title from the file name.
    assert!(h.query_all_by_label("Welcome To Jekyll").count() >= 1);
    assert!(h.query_by_label("Untitled post").is_none());
}
