//! The first minutes in the window: started without a file, Byline reopens the last post or
//! shows the start view, whose "Try the sample" opens a copy of the embedded sample with its
//! header image found by the form and the preview.

use crate::ui_support::settle;
use std::path::{Path, PathBuf};
use std::time::Duration;

use byline::app::start_view::TRY_SAMPLE_LABEL;
use byline::app::{BylineApp, FileDialogs, Settings, StartOptions};
use byline::journal::Journal;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// A window started without a file, with `settings` as if remembered from the last run.
fn harness_without_file(settings: Settings, dir: &Path) -> Harness<'static, BylineApp> {
    let journal = Journal::at(&dir.join(".journal"));
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            BylineApp::with_settings(
                &cc.egui_ctx,
                settings,
                StartOptions {
                    file: None,
                    dialogs: FileDialogs::InApp,
                    journal: Some(journal),
                },
            )
        })
}

fn write_post(dir: &Path, title: &str) -> PathBuf {
    let path = dir.join("2025-01-02-a-post.md");
    std::fs::write(&path, format!("---\ntitle: {title}\n---\n\nBody.\n")).unwrap();
    path
}

#[test]
fn first_launch_shows_the_start_view_and_the_sample_opens_as_a_copy_with_its_image() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = harness_without_file(Settings::default(), dir.path());
    h.state_mut().set_data_dir(&data);
    settle(&mut h);
    assert!(h.state().is_start_view_shown());
    assert!(h.state().doc.path().is_none());
    h.get_by_label("New post");
    h.get_by_label("Open…");
    h.get_by_label("Posts you open will be listed here.");
    assert!(
        h.query_by_label("Body (Markdown)").is_none(),
        "the editor waits until a post is opened"
    );

    h.get_by_label(TRY_SAMPLE_LABEL).click();
    settle(&mut h);
    // Images load on a background thread; give the thumbnail and the header a moment.
    std::thread::sleep(Duration::from_millis(200));
    settle(&mut h);

    assert!(!h.state().is_start_view_shown());
    let opened = h.state().doc.path().unwrap().to_path_buf();
    assert!(opened.starts_with(&data), "{}", opened.display());
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        byline::sample::SAMPLE_POST_TEXT
    );
    let site = byline::site::site_root(&opened);
    assert!(site.join(byline::sample::SAMPLE_IMAGE_SITE_PATH).is_file());
    // The preview's heading, and the sample site's row in the site panel.
    assert!(h.query_all_by_label("Welcome to Byline").count() >= 1);
    assert!(
        h.state().site_panel().root().is_some(),
        "the sample site shows in the panel"
    );
    assert!(
        h.query_by_label_contains("not found").is_none()
            && h.query_by_label_contains("Not found").is_none(),
        "the sample's header image is found"
    );
    // "Opened …" is routine news: the status bar, never a notification over the text.
    assert!(
        h.state().status().starts_with("Opened "),
        "{}",
        h.state().status()
    );
    assert_eq!(h.state().notifications().shown().count(), 0);
    assert_eq!(
        h.state().settings.last_post.as_deref(),
        Some(opened.as_path())
    );
}

#[test]
fn the_last_post_reopens_when_it_still_exists() {
    let dir = tempfile::tempdir().unwrap();
    let post = write_post(dir.path(), "Where I left off");
    let settings = Settings {
        last_post: Some(post.clone()),
        ..Settings::default()
    };
    let mut h = harness_without_file(settings, dir.path());
    settle(&mut h);
    assert!(!h.state().is_start_view_shown());
    assert_eq!(h.state().doc.path(), Some(post.as_path()));
    h.get_by_label("Body (Markdown)");
}

#[test]
fn a_vanished_last_post_gives_the_start_view_listing_recent_files_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let kept = write_post(dir.path(), "Still here");
    let gone = dir.path().join("2024-05-06-deleted.md");
    let mut settings = Settings {
        last_post: Some(gone.clone()),
        ..Settings::default()
    };
    settings.recent_files.note(&kept);
    settings.recent_files.note(&gone);
    let mut h = harness_without_file(settings, dir.path());
    settle(&mut h);
    assert!(h.state().is_start_view_shown());
    assert!(h.state().notifications().shown().next().is_none());
    assert!(h.query_by_label("2024-05-06-deleted.md").is_none());
    h.get_by_label("2025-01-02-a-post.md").click();
    settle(&mut h);
    assert!(!h.state().is_start_view_shown());
    assert_eq!(h.state().doc.path(), Some(kept.as_path()));
}

#[test]
fn new_post_from_the_start_view_opens_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_without_file(Settings::default(), dir.path());
    settle(&mut h);
    h.get_by_label("New post").click();
    settle(&mut h);
    assert!(!h.state().is_start_view_shown());
    assert!(h.state().doc.path().is_none());
    h.get_by_label("Body (Markdown)");
    h.get_by_label("Untitled post");
}

/// Japanese and Arabic tags, a flag in the title and CJK in the body render with missing-glyph
/// panics on: the bundled fonts cover Latin and Arabic, the system's fonts (found on demand) the
/// CJK — on CI through `fonts-droid-fallback`, which `.ci/run` installs.
#[test]
fn every_script_renders_in_the_form_editor_and_preview() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2025-03-04-scripts.md");
    std::fs::write(
        &path,
        "---\ntitle: \"Kyiv 🇺🇦 talks\"\ntags: [日本語, \"عربي\"]\n---\n\n日本語の文章と中文、عربي، Ελληνικά.\n",
    )
    .unwrap();
    let journal = Journal::at(&dir.path().join(".journal"));
    // The colour emoji font is found in the background; wait so the first frame has it.
    let has_colour_emoji = byline::app::fonts::wait_for_colour_emoji(Duration::from_secs(20));
    if !has_colour_emoji {
        assert!(
            !crate::common::in_ci(),
            "CI installs fonts-noto-color-emoji; no colour emoji font was found"
        );
        println!("SKIPPED part of every_script_renders…: no colour emoji font on this machine");
    }
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            BylineApp::new(
                cc,
                StartOptions {
                    file: Some(path),
                    dialogs: FileDialogs::InApp,
                    journal: Some(journal),
                },
            )
        });
    settle(&mut h);
    h.get_by_label("Kyiv 🇺🇦 talks");
    h.get_by_label_contains("#日本語");
    h.get_by_label_contains("#عربي");
    h.get_by_label_contains("日本語の文章と中文");
    if has_colour_emoji {
        // The flag is drawn by the colour font: it comes right after the text font, before
        // egui's monochrome emoji font (which would draw "U" and "A" in boxes).
        let colour = byline::app::fonts::colour_emoji_font_name().unwrap();
        let families = h.ctx.fonts(|fonts| fonts.definitions().families.clone());
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            assert_eq!(families[&family].get(1), Some(&colour), "{family:?}");
        }
    }
}

/// Comments, kramdown attribute lists and footnote marks render as Jekyll would: nothing of
/// `<!-- -->`, `{: .class}` or `[^1]` reaches the screen, also in a block quote, and a task
/// list shows its boxes without bullets.
#[test]
fn the_preview_hides_comments_and_attribute_lists_and_numbers_footnotes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2025-02-02-fidelity.md");
    std::fs::write(
        &path,
        "---\ntitle: Fidelity\n---\n\nIntro with a note[^1] and <!-- hidden remark --> more.\n\n<!-- A block\ncomment -->\n\nCentred.\n{: .center}\n\n## Heading {#custom-id}\n\n> A quoted claim[^2].\n\n- [ ] Write the draft\n- [x] Pick a title\n\n[^1]: The first note.\n[^2]: The source.\n",
    )
    .unwrap();
    let journal = Journal::at(&dir.path().join(".journal"));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            BylineApp::new(
                cc,
                StartOptions {
                    file: Some(path),
                    dialogs: FileDialogs::InApp,
                    journal: Some(journal),
                },
            )
        });
    settle(&mut h);
    let shown = h.state().preview_markdown().to_string();
    for hidden in [
        "<!--",
        "hidden remark",
        "{:",
        "{#",
        "note[^1]",
        "claim[^2]",
        "[ ]",
        "[x]",
    ] {
        assert!(!shown.contains(hidden), "{hidden:?} in {shown}");
    }
    h.get_by_label("Heading");
    h.get_by_label_contains("A quoted claim²");
    h.get_by_label_contains("☐ Write the draft");
    h.get_by_label_contains("☑ Pick a title");
    for text in ["[^", "{:", "<!--", "hidden remark"] {
        assert!(
            h.query_by_label_contains(text).is_none(),
            "{text:?} on screen"
        );
    }
}
