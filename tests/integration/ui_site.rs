//! The site panel and the quick-open box, driven headless through egui_kittest and found
//! through AccessKit labels: open a temp site, filter, open posts by click and by Enter, quick
//! open with Ctrl+P, a post written on disk by another program, and the body search.

use crate::ui_support::{CTRL, write};
use std::path::Path;
use std::time::{Duration, Instant};

use byline::app::BylineApp;
use byline::journal::Journal;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// Frames are run until a condition holds, for at most this long.
const PATIENCE: Duration = Duration::from_secs(20);

/// A small site: two posts and a draft, each with its own words.
fn small_site(root: &Path) {
    write(root, "_config.yml", "title: Test site\n");
    write(
        root,
        "_posts/2025-01-01-alpha.md",
        "---\ntitle: Alpha post\ntags: [rust]\n---\nThe quick zebra jumps.\n",
    );
    write(
        root,
        "_posts/2025-02-01-beta.md",
        "---\ntitle: Beta notes\ntags: [travel]\ncategories: [trips]\n---\nTrains and boats.\n",
    );
    write(
        root,
        "_drafts/gamma.md",
        "---\ntitle: Gamma draft\n---\nNot yet.\n",
    );
}

/// The window opened on a site folder, as `byline DIR` does, journaling into `journal_dir`.
fn harness(site: &Path, journal_dir: &Path) -> Harness<'static, BylineApp> {
    crate::ui_support::harness_on(site, Journal::at(journal_dir))
}

/// Runs frames until `done` holds (panics after [`PATIENCE`]).
fn run_until(
    h: &mut Harness<'_, BylineApp>,
    what: &str,
    mut done: impl FnMut(&Harness<'_, BylineApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(start.elapsed() < PATIENCE, "waited in vain for {what}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn indexed(h: &mut Harness<'_, BylineApp>) {
    run_until(h, "the site to be read", |h| {
        h.state().site_panel().is_indexed()
    });
    h.run_steps(2);
}

fn open_file_name(h: &Harness<'_, BylineApp>) -> Option<String> {
    h.state()
        .doc
        .path()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
}

/// Types `text` into the text field labelled `label`, replacing what it held.
fn type_into(h: &mut Harness<'_, BylineApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(1);
    h.get_by_label(label).focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

#[test]
fn a_site_folder_lists_its_posts_which_filter_and_open_by_click_and_enter() {
    let site = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    small_site(site.path());
    let mut h = harness(site.path(), journal.path());
    indexed(&mut h);
    h.get_by_label("Alpha post");
    h.get_by_label("Beta notes");
    h.get_by_label("Gamma draft");
    assert!(
        h.query_by_label_contains("draft · gamma.md").is_some(),
        "the draft says so"
    );

    // Filtering over tags: only the travel post is left.
    type_into(&mut h, "Filter posts", "travel");
    assert!(h.query_by_label("Alpha post").is_none());
    assert!(h.query_by_label("Gamma draft").is_none());
    h.get_by_label("Beta notes").click();
    h.run_steps(3);
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-02-01-beta.md"));
    assert_eq!(h.state().window_title(), "2025-02-01-beta.md — Byline");

    // Enter in the filter opens the first post left.
    type_into(&mut h, "Filter posts", "gamma");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(open_file_name(&h).as_deref(), Some("gamma.md"));
    assert_eq!(h.state().window_title(), "gamma.md — Byline");
}

#[test]
fn opening_a_post_from_the_panel_asks_about_unsaved_edits() {
    let site = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    small_site(site.path());
    let mut h = harness(site.path(), journal.path());
    indexed(&mut h);
    h.get_by_label("Alpha post").click();
    h.run_steps(3);
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-01-01-alpha.md"));
    type_into(&mut h, "Author", "Someone");
    assert!(h.state().doc.is_modified());
    h.get_by_label("Beta notes").click();
    h.run_steps(3);
    h.get_by_label("Save changes?");
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-01-01-alpha.md"));
    assert!(h.state().doc.is_modified(), "Cancel keeps the edits");
}

#[test]
fn ctrl_p_quick_opens_by_fuzzy_title_with_enter() {
    let site = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    small_site(site.path());
    let mut h = harness(site.path(), journal.path());
    indexed(&mut h);
    h.key_press_modifiers(CTRL, Key::P);
    h.run_steps(3);
    assert!(
        h.get_by_label("Quick open").is_focused(),
        "the field has the focus at once"
    );
    // Typed straight away, without clicking the field.
    h.get_by_label("Quick open").type_text("btnts");
    h.run_steps(2);
    h.get_by_label_contains("Beta notes — 2025-02-01-beta.md");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.query_by_label("Quick open").is_none(), "the box closed");
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-02-01-beta.md"));

    // Escape closes it without opening anything.
    h.key_press_modifiers(CTRL, Key::P);
    h.run_steps(3);
    h.get_by_label("Quick open").type_text("alpha");
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Quick open").is_none());
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-02-01-beta.md"));
}

#[test]
fn posts_added_edited_and_deleted_on_disk_update_their_rows() {
    let site = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    small_site(site.path());
    let mut h = harness(site.path(), journal.path());
    indexed(&mut h);
    write(
        site.path(),
        "_posts/2025-03-01-delta.md",
        "---\ntitle: Delta arrives\n---\nNew.\n",
    );
    run_until(&mut h, "the added post", |h| {
        h.query_by_label("Delta arrives").is_some()
    });
    write(
        site.path(),
        "_posts/2025-01-01-alpha.md",
        "---\ntitle: Alpha renamed elsewhere\n---\n",
    );
    run_until(&mut h, "the edited title", |h| {
        h.query_by_label("Alpha renamed elsewhere").is_some()
    });
    assert!(h.query_by_label("Alpha post").is_none());
    std::fs::remove_file(site.path().join("_drafts/gamma.md")).unwrap();
    run_until(&mut h, "the deleted draft to go", |h| {
        h.query_by_label("Gamma draft").is_none()
    });
    assert_eq!(h.state().site_panel().rows().len(), 3);
}

#[test]
fn body_search_finds_a_word_and_can_be_cancelled() {
    let site = tempfile::tempdir().unwrap();
    let journal = tempfile::tempdir().unwrap();
    small_site(site.path());
    // Enough text that a search runs for a while.
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n".repeat(1000);
    for i in 0..200 {
        write(
            site.path(),
            &format!("_posts/2024-01-01-filler-{i}.md"),
            &format!("---\ntitle: Filler {i}\n---\n{paragraph}"),
        );
    }
    let mut h = harness(site.path(), journal.path());
    indexed(&mut h);
    type_into(&mut h, "Search in bodies", "zebra");
    h.get_by_label("Search").click();
    run_until(&mut h, "the search to end", |h| {
        h.query_by_label_contains("Found:").is_some()
    });
    h.run_steps(2);
    h.get_by_label("Found: 1 line in 1 post");
    h.get_by_label_contains("2025-01-01-alpha.md:5 The quick zebra jumps.")
        .click();
    h.run_steps(3);
    assert_eq!(open_file_name(&h).as_deref(), Some("2025-01-01-alpha.md"));

    // A search for a word in every filler post, cancelled while it runs.
    type_into(&mut h, "Search in bodies", "ipsum");
    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Cancel search").click();
    h.run_steps(2);
    h.get_by_label("Search cancelled");
    assert!(h.query_by_label("Cancel search").is_none());
    assert!(h.query_by_label_contains("Found:").is_none());
}

#[test]
fn file_open_site_asks_for_a_folder_and_a_post_inside_a_site_shows_it() {
    let site = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    small_site(site.path());
    let lone = write(elsewhere.path(), "lone.md", "---\ntitle: Lone\n---\n");
    let mut h = harness(&lone, &elsewhere.path().join(".journal"));
    h.run_steps(3);
    assert!(h.state().site_panel().root().is_none(), "no site around it");
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open site…").click();
    h.run_steps(3);
    h.get_by_label("Open Jekyll site folder");
    type_into(&mut h, "Path", &site.path().display().to_string());
    h.key_press(Key::Enter);
    h.run_steps(3);
    indexed(&mut h);
    h.get_by_label("Beta notes");
    assert_eq!(
        open_file_name(&h).as_deref(),
        Some("lone.md"),
        "the post stays open"
    );

    // Opening a post inside a site shows that site.
    let other = tempfile::tempdir().unwrap();
    small_site(other.path());
    let post = other.path().join("_posts/2025-01-01-alpha.md");
    let mut h = harness(&post, &elsewhere.path().join(".journal2"));
    indexed(&mut h);
    h.get_by_label("Gamma draft");
    assert_eq!(
        h.state().site_panel().root(),
        Some(std::fs::canonicalize(other.path()).unwrap().as_path())
    );
}

#[test]
fn the_panel_reports_unused_and_missing_images_and_opens_the_post_that_misses_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root, "_config.yml", "title: Images\n");
    write(
        &root,
        "_posts/2025-01-01-with-picture.md",
        "---\ntitle: With picture\n---\n![a map](/assets/images/missing-map.png)\n",
    );
    write(
        &root,
        "_posts/2025-01-02-plain.md",
        "---\ntitle: Plain\n---\nText.\n",
    );
    write(&root, "assets/images/forgotten.png", "not really a png");
    let mut h = harness(&root, dir.path());
    indexed(&mut h);
    run_until(&mut h, "the image report", |h| {
        h.query_by_label_contains("Images: 1 unused, 1 missing")
            .is_some()
    });
    h.get_by_label_contains("Images: 1 unused, 1 missing")
        .click();
    h.run_steps(3);
    h.get_by_label_contains("Unused assets/images/forgotten.png");
    h.get_by_label_contains("Missing /assets/images/missing-map.png")
        .click();
    h.run_steps(3);
    assert_eq!(
        open_file_name(&h).as_deref(),
        Some("2025-01-01-with-picture.md")
    );
}
