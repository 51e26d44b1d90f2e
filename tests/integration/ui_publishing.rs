//! The window's site features through AccessKit labels: the Publishing section (URL and day
//! as Jekyll computes them, one-click fixes, Publish draft), the site's names on the chips and
//! the rename-a-tag dialog, and images dropped into the post.

use crate::ui_support::{CTRL, settle, write};
use std::path::{Path, PathBuf};

use byline::app::BylineApp;
use byline::journal::Journal;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness(file: &Path) -> Harness<'static, BylineApp> {
    crate::ui_support::harness_on(file, Journal::at(&file.parent().unwrap().join(".journal")))
}

/// A site in Berlin time with two tagged posts.
fn berlin_site(root: &Path) -> PathBuf {
    let site = root.join("site");
    write(
        &site,
        "_config.yml",
        "title: Site\ntimezone: Europe/Berlin\n",
    );
    write(
        &site,
        "_posts/2025-01-01-alpha.md",
        "---\ntitle: Alpha\ntags: [rust, web]\n---\nA.\n",
    );
    write(
        &site,
        "_posts/2025-01-02-beta.md",
        "---\ntitle: Beta\ntags:\n  - Rust # capital\n  - rust\n---\nB.\n",
    );
    site
}

/// Scrolls the form to the button labelled `label`, as a user would, and clicks it.
fn press(h: &mut Harness<'_, BylineApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(6);
    h.get_by_label(label).click();
}

fn type_into(h: &mut Harness<'_, BylineApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(1);
    h.get_by_label(label).focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

#[test]
fn the_url_changes_when_the_date_changes() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let post = write(
        &site,
        "_posts/2025-03-01-talk.md",
        "---\ntitle: Talk\ndate: '2025-03-01 10:00:00 +01:00'\n---\nBody\n",
    );
    let mut h = harness(&post);
    settle(&mut h);
    h.get_by_label("Publishing");
    h.get_by_label("URL: /2025/03/01/talk.html");
    h.get_by_label_contains("Publishes on Saturday 1 March 2025 at 10:00");
    h.get_by_label("▶").click();
    settle(&mut h);
    h.get_by_label("URL: /2025/03/02/talk.html");
    h.get_by_label_contains("Publishes on Sunday 2 March 2025 at 10:00");
    // The file name still says 1 March: the rename fix is offered, and nothing was written.
    h.get_by_label("Rename the file to match the date");
    assert!(
        std::fs::read_to_string(&post)
            .unwrap()
            .contains("2025-03-01 10:00")
    );
}

#[test]
fn quote_the_date_fixes_the_utc_reading_and_undo_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let text = "---\ntitle: Late\ndate: 2025-02-28 23:30:00 # evening\n---\nBody\n";
    let post = write(&site, "_posts/2025-02-28-late.md", text);
    let mut h = harness(&post);
    settle(&mut h);
    h.get_by_label_contains("an unquoted date without offset is read as UTC");
    h.get_by_label("URL: /2025/03/01/late.html");
    press(&mut h, "Quote the date");
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("2025-02-28 23:30:00", "\"2025-02-28 23:30:00\""),
        "only the date's bytes change"
    );
    h.get_by_label("URL: /2025/02/28/late.html");
    assert!(h.query_by_label("Quote the date").is_none());
    h.key_press_modifiers(CTRL, Key::Z);
    settle(&mut h);
    assert_eq!(h.state().doc.post().to_text(), text);
    h.get_by_label("Quote the date");
}

#[test]
fn the_rename_fix_renames_the_file_and_the_document_follows() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let text = "---\ntitle: Moved\ndate: '2025-03-05 10:00:00'\n---\nBody\n";
    let post = write(&site, "_posts/2025-03-01-moved.md", text);
    let mut h = harness(&post);
    settle(&mut h);
    press(&mut h, "Rename the file to match the date");
    settle(&mut h);
    let renamed = site.join("_posts/2025-03-05-moved.md");
    assert_eq!(std::fs::read_to_string(&renamed).unwrap(), text);
    assert!(!post.exists());
    assert_eq!(h.state().doc.path(), Some(renamed.as_path()));
    assert!(h.query_by_label_contains("Rename the file").is_none());
}

#[test]
fn publish_draft_moves_it_into_posts_and_reopens_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let draft = write(
        &site,
        "_drafts/idea.md",
        "---\ntitle: Idea\ndate: '2025-03-01 10:00:00 +01:00'\n---\nBody\n",
    );
    let mut h = harness(&draft);
    settle(&mut h);
    h.get_by_label_contains("Not published: draft");
    press(&mut h, "Publish draft");
    settle(&mut h);
    let published = site.join("_posts/2025-03-01-idea.md");
    assert!(!draft.exists(), "the draft moved");
    assert!(
        std::fs::read_to_string(&published)
            .unwrap()
            .contains("title: Idea")
    );
    assert_eq!(
        std::fs::canonicalize(h.state().doc.path().unwrap()).unwrap(),
        std::fs::canonicalize(&published).unwrap()
    );
    h.get_by_label("URL: /2025/03/01/idea.html");
    assert!(h.query_by_label("Publish draft").is_none());
}

#[test]
fn tag_chips_suggest_the_sites_names_and_name_a_near_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let text = "---\ntitle: New\ntags: [web]\n---\nBody\n";
    let post = write(&site, "_posts/2025-03-01-new.md", text);
    let mut h = harness(&post);
    settle(&mut h);
    type_into(&mut h, "Tags", "Rusts");
    settle(&mut h);
    h.get_by_label_contains("The site has “rust” (2 posts)");
    type_into(&mut h, "Tags", "ru");
    settle(&mut h);
    h.get_by_label("rust (2)").click();
    settle(&mut h);
    assert_eq!(
        h.state().doc.post().to_text(),
        text.replace("[web]", "[web, rust]")
    );
}

#[test]
fn rename_a_tag_across_the_site_through_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let alpha = site.join("_posts/2025-01-01-alpha.md");
    let beta = site.join("_posts/2025-01-02-beta.md");
    let mut h = harness(&alpha);
    settle(&mut h);
    press(&mut h, "Rename tag or category…");
    settle(&mut h);
    h.get_by_label("Rename a tag or category across the site");
    type_into(&mut h, "Current name", "Rust");
    type_into(&mut h, "New name", "rustlang");
    settle(&mut h);
    h.get_by_label("Will change 1 file:");
    h.get_by_label("_posts/2025-01-02-beta.md");
    assert!(
        std::fs::read_to_string(&beta)
            .unwrap()
            .contains("Rust # capital"),
        "nothing is written before Rename"
    );
    h.get_by_label("Rename").click();
    settle(&mut h);
    assert!(!h.state().has_dialog());
    assert_eq!(
        std::fs::read_to_string(&beta).unwrap(),
        "---\ntitle: Beta\ntags:\n  - rustlang # capital\n  - rust\n---\nB.\n"
    );
    assert_eq!(
        std::fs::read_to_string(&alpha).unwrap(),
        "---\ntitle: Alpha\ntags: [rust, web]\n---\nA.\n"
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

/// A file dropped on the window, as the desktop integration hands it to egui.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn png_bytes() -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(4, 3, image::Rgb([200, 40, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

fn md5_name(bytes: &[u8], ext: &str) -> String {
    byline::image_import::imported_file_name(bytes, Path::new(&format!("x.{ext}")))
}

#[test]
fn a_dropped_image_file_lands_in_assets_images_and_at_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    write(&site, "_config.yml", "title: Site\nbaseurl: /blog\n");
    let text = "---\ntitle: Pics\n---\nFirst.\n\nSecond.\n";
    let post = write(&site, "_posts/2025-03-01-pics.md", text);
    let shot = dir.path().join("Desktop/Screen Shot.PNG");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let png = png_bytes();
    std::fs::write(&shot, &png).unwrap();
    let mut h = harness(&post);
    settle(&mut h);
    cursor_in_body(&mut h, "First.\n".len());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(shot.clone())));
    settle(&mut h);
    h.get_by_label("Insert image");
    assert!(
        !site.join("assets/images").exists(),
        "nothing is copied before the alt text is given"
    );
    h.get_by_label("Alt text").type_text("A red square");
    h.run_steps(1);
    h.get_by_label("Insert").click();
    settle(&mut h);
    assert!(!h.state().has_dialog());
    let name = md5_name(&png, "png");
    assert_eq!(
        std::fs::read(site.join("assets/images").join(&name)).unwrap(),
        png
    );
    let image = format!("![A red square]({{{{ '/assets/images/{name}' | relative_url }}}})");
    assert_eq!(
        h.state().doc.post().body(),
        format!("First.\n{image}\nSecond.\n"),
        "inserted at the cursor, in the form that works under the baseurl"
    );
    assert_eq!(
        h.state().doc.path(),
        Some(post.as_path()),
        "a dropped image never opens as the post"
    );
    assert!(
        h.state()
            .preview_markdown()
            .contains(&format!("![A red square](/assets/images/{name})")),
        "the preview shows the image by its site path: {}",
        h.state().preview_markdown()
    );
    h.key_press_modifiers(CTRL, Key::Z);
    settle(&mut h);
    assert_eq!(h.state().doc.post().to_text(), text, "one undo step");
}

#[test]
fn a_pasted_image_is_copied_under_its_md5_name_and_inserted_root_relative_without_baseurl() {
    let dir = tempfile::tempdir().unwrap();
    let site = berlin_site(dir.path());
    let post = write(
        &site,
        "_posts/2025-03-01-paste.md",
        "---\ntitle: Paste\n---\nText.\n",
    );
    let mut h = harness(&post);
    settle(&mut h);
    cursor_in_body(&mut h, "Text.".len());
    let image = egui::ColorImage::from_rgba_unmultiplied([2, 1], &[0, 0, 255, 255, 0, 255, 0, 255]);
    h.event(egui::Event::PasteImage(std::sync::Arc::new(image)));
    settle(&mut h);
    h.get_by_label_contains("the pasted image (2 × 1 pixels)");
    h.get_by_label("Alt text").type_text("Two dots");
    h.key_press(Key::Enter);
    settle(&mut h);
    let folder = site.join("assets/images");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let bytes = std::fs::read(folder.join(&names[0])).unwrap();
    assert_eq!(names[0], md5_name(&bytes, "png"));
    let decoded = image::load_from_memory(&bytes).unwrap().to_rgba8();
    assert_eq!(decoded.dimensions(), (2, 1));
    assert_eq!(
        h.state().doc.post().body(),
        format!("Text.![Two dots](/assets/images/{})\n", names[0])
    );
}
