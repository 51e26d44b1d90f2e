//! Frame times of the whole Byline window, headless, for posts of 10 KB, 100 KB and 1 MB:
//! the first frame, the median frame while typing, and how long the preview takes to catch up,
//! beside a plain `TextEdit` + `CommonMarkViewer::show` of the same text in the same run.
//!
//! Then the site panel on a site of 10,000 posts: how soon the list shows and the site is read,
//! and the frame time of a keystroke in its filter, beside a plain `egui::ScrollArea` listing
//! every row under a filter field.
//!
//! Run with `cargo run --release --example frame_bench`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a benchmark: a panic is a failed run

use std::time::{Duration, Instant};

use byline::app::{BylineApp, FileDialogs, Settings, StartOptions};

/// A post of about `size` bytes: the seed post's front matter and varied Markdown paragraphs.
fn post_of_size(size: usize) -> String {
    let mut text = String::from(
        "---\nlayout: post\ntitle: \"Benchmark post\"\ndate: 2025-11-30T23:24:20\ncategories: [News]\ntags: []\n---\n\n",
    );
    let mut i = 0;
    while text.len() < size {
        match i % 5 {
            0 => text.push_str(&format!("## Section {i}\n\n")),
            1 => text.push_str("Some *emphasis*, **strong** text, `inline code` and a [link](https://example.com) in a paragraph that goes on for a while so that it wraps across more than one line of the editor and the preview.\n\n"),
            2 => text.push_str("- a list item\n- another item with `code`\n- a third item\n\n"),
            3 => text.push_str("> A quotation that is long enough to wrap in the preview pane when it is narrow.\n\n"),
            _ => text.push_str("```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n\n"),
        }
        i += 1;
    }
    text
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Row {
    first: Duration,
    typing: Duration,
    catch_up: Duration,
}

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    }
}

/// Runs one frame and returns how long it took.
fn frame(
    ctx: &egui::Context,
    events: Vec<egui::Event>,
    ui: &mut impl FnMut(&mut egui::Ui),
) -> Duration {
    let t = Instant::now();
    let mut output = ctx.run_ui(input(events), |u| ui(u));
    // Nothing paints here: the textures are dropped on purpose.
    output.textures_delta.clear();
    t.elapsed()
}

fn type_x() -> Vec<egui::Event> {
    vec![egui::Event::Text("x".into())]
}

fn byline_row(text: &str) -> Row {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.md");
    std::fs::write(&path, text).unwrap();
    let ctx = egui::Context::default();
    let start = Instant::now();
    let mut app = BylineApp::with_settings(
        &ctx,
        Settings::default(),
        StartOptions {
            file: Some(path),
            dialogs: FileDialogs::InApp,
            journal: None,
        },
    );
    let mut draw = |ui: &mut egui::Ui| app.frame_ui(ui);
    frame(&ctx, vec![], &mut draw);
    let first = start.elapsed();
    for _ in 0..3 {
        frame(&ctx, vec![], &mut draw);
    }
    let idle: Vec<Duration> = (0..10).map(|_| frame(&ctx, vec![], &mut draw)).collect();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!("idle frame, unfocused: {:.2} ms", ms(median(idle)));
    }
    ctx.memory_mut(|m| m.request_focus(byline::app::editor::body_id()));
    frame(&ctx, vec![], &mut draw);
    let focused: Vec<Duration> = (0..10).map(|_| frame(&ctx, vec![], &mut draw)).collect();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!("idle frame, focused: {:.2} ms", ms(median(focused)));
    }
    let mut frames = Vec::new();
    for _ in 0..40 {
        frames.push(frame(&ctx, type_x(), &mut draw));
    }
    // The preview catches up once typing pauses: from the last keystroke until it shows it.
    let last_key = Instant::now();
    let mut catch_up = Duration::ZERO;
    let before = app.preview_markdown().len();
    while last_key.elapsed() < Duration::from_secs(3) {
        frame(&ctx, vec![], &mut |ui: &mut egui::Ui| app.frame_ui(ui));
        if app.preview_markdown().len() != before {
            catch_up = last_key.elapsed();
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Row {
        first,
        typing: median(frames),
        catch_up,
    }
}

fn plain_row(text: &str) -> Row {
    let mut body = text.to_string();
    let mut cache = egui_commonmark::CommonMarkCache::default();
    let ctx = egui::Context::default();
    let id = egui::Id::unique("plain body");
    let mut draw = |ui: &mut egui::Ui| {
        ui.columns(2, |cols| {
            egui::ScrollArea::vertical()
                .id_salt("a")
                .show(&mut cols[0], |ui| {
                    ui.add(egui::TextEdit::multiline(&mut body).id(id).code_editor());
                });
            let shown = body.clone();
            egui::ScrollArea::vertical()
                .id_salt("b")
                .show(&mut cols[1], |ui| {
                    egui_commonmark::CommonMarkViewer::new().show(ui, &mut cache, &shown);
                });
        });
    };
    let start = Instant::now();
    frame(&ctx, vec![], &mut draw);
    let first = start.elapsed();
    ctx.memory_mut(|m| m.request_focus(id));
    frame(&ctx, vec![], &mut draw);
    let mut frames = Vec::new();
    for _ in 0..15 {
        frames.push(frame(&ctx, type_x(), &mut draw));
    }
    let typing = median(frames);
    Row {
        first,
        typing,
        catch_up: typing,
    }
}

/// A site of `count` posts with varied titles, tags and categories.
fn site_of(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(dir.path().join("_config.yml"), "title: Bench\n").unwrap();
    let words = [
        "rust", "travel", "notes", "garden", "music", "books", "cities", "trains",
    ];
    for i in 0..count {
        let (a, b) = (words[i % 8], words[(i / 8) % 8]);
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let year = 2000 + i / (28 * 12);
        let text = format!(
            "---\nlayout: post\ntitle: \"{a} and {b}, part {i}\"\ndate: {year}-{month:02}-{day:02} 10:00:00 +0000\ntags: [{a}, {b}]\ncategories: [{b}]\n---\n\nSome text about {a} and {b}.\n"
        );
        std::fs::write(
            posts.join(format!("{year}-{month:02}-{day:02}-{a}-{b}-{i}.md")),
            text,
        )
        .unwrap();
    }
    dir
}

/// Frame times of a keystroke in a filter: alternately typing letters and deleting them.
fn filter_keystrokes() -> Vec<Vec<egui::Event>> {
    let mut keys = Vec::new();
    for round in 0..4 {
        for c in ["r", "a", "i", "n"] {
            keys.push(vec![egui::Event::Text(c.into())]);
        }
        if round < 3 {
            for _ in 0..4 {
                keys.push(vec![egui::Event::Key {
                    key: egui::Key::Backspace,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: egui::Modifiers::NONE,
                }]);
            }
        }
    }
    keys
}

struct SiteRow {
    longest_loading_frame: Duration,
    listed: Duration,
    indexed: Duration,
    filter_typing: Duration,
    plain_first: Duration,
    plain_typing: Duration,
}

fn site_rows(count: usize) -> SiteRow {
    let site = site_of(count);
    let ctx = egui::Context::default();
    let start = Instant::now();
    let mut app = BylineApp::with_settings(
        &ctx,
        Settings::default(),
        StartOptions {
            file: Some(site.path().to_path_buf()),
            dialogs: FileDialogs::InApp,
            journal: None,
        },
    );
    let mut listed = None;
    let indexed;
    let mut longest_loading_frame = Duration::ZERO;
    let mut is_first = true;
    loop {
        let took = frame(&ctx, vec![], &mut |ui: &mut egui::Ui| app.frame_ui(ui));
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            eprintln!(
                "loading frame {:.1} ms, {} rows, indexed {}",
                ms(took),
                app.site_panel().rows().len(),
                app.site_panel().is_indexed()
            );
        }
        // The window's very first frame (fonts, layout) is not a loading frame.
        if !is_first {
            longest_loading_frame = longest_loading_frame.max(took);
        }
        is_first = false;
        if listed.is_none() && app.site_panel().rows().len() >= count {
            listed = Some(start.elapsed());
        }
        if app.site_panel().is_indexed() {
            indexed = start.elapsed();
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "never indexed");
        std::thread::sleep(Duration::from_millis(1));
    }
    ctx.memory_mut(|m| m.request_focus(byline::app::site_panel::filter_id()));
    frame(&ctx, vec![], &mut |ui: &mut egui::Ui| app.frame_ui(ui));
    let mut frames = Vec::new();
    for keys in filter_keystrokes() {
        frames.push(frame(&ctx, keys, &mut |ui: &mut egui::Ui| app.frame_ui(ui)));
    }
    let filter_typing = median(frames.clone());
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!(
            "filter {:?} keeps {} rows; frames {frames:?}",
            app.site_panel().filter_text(),
            app.site_panel().shown_count()
        );
    }

    // The plain way: a filter field over a ScrollArea laying out every matching row.
    let rows: Vec<String> = app
        .site_panel()
        .rows()
        .iter()
        .map(|r| format!("{} {}", r.title, r.date_text))
        .collect();
    let ctx = egui::Context::default();
    let id = egui::Id::unique("plain filter");
    let mut filter = String::new();
    let mut draw = |ui: &mut egui::Ui| {
        egui::Panel::left("plain").show(ui, |ui| {
            ui.add(egui::TextEdit::singleline(&mut filter).id(id));
            let needle = filter.to_lowercase();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for row in rows.iter().filter(|r| r.to_lowercase().contains(&needle)) {
                    ui.label(row);
                }
            });
        });
    };
    let plain_start = Instant::now();
    frame(&ctx, vec![], &mut draw);
    let plain_first = plain_start.elapsed();
    ctx.memory_mut(|m| m.request_focus(id));
    frame(&ctx, vec![], &mut draw);
    let mut frames = Vec::new();
    for keys in filter_keystrokes() {
        frames.push(frame(&ctx, keys, &mut draw));
    }
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!("plain filter {filter:?}; frames {frames:?}");
    }
    SiteRow {
        longest_loading_frame,
        listed: listed.unwrap_or(indexed),
        indexed,
        filter_typing,
        plain_first,
        plain_typing: median(frames.clone()),
    }
}

fn main() {
    println!(
        "| post | Byline first frame | Byline typing (median) | Byline preview catch-up | plain first frame | plain typing (median) | typing ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    let only_large = std::env::var_os("BENCH_ONLY_1MB").is_some();
    let only_site = std::env::var_os("BENCH_ONLY_SITE").is_some();
    for (name, size) in [("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)] {
        if only_site || (only_large && size < 1_000_000) {
            continue;
        }
        let text = post_of_size(size);
        let ours = byline_row(&text);
        let plain = plain_row(&text);
        println!(
            "| {name} | {:.1} ms | {:.2} ms | {:.0} ms | {:.1} ms | {:.2} ms | {:.1}x |",
            ms(ours.first),
            ms(ours.typing),
            ms(ours.catch_up),
            ms(plain.first),
            ms(plain.typing),
            ms(plain.typing) / ms(ours.typing).max(0.001)
        );
    }
    let count = std::env::var("BENCH_SITE_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let site = site_rows(count);
    println!();
    println!(
        "| site | list shown | site read | longest frame while reading | Byline filter keystroke (median frame) | plain ScrollArea first frame | plain filter keystroke (median frame) |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {count} posts | {:.0} ms | {:.0} ms | {:.1} ms | {:.2} ms | {:.1} ms | {:.2} ms |",
        ms(site.listed),
        ms(site.indexed),
        ms(site.longest_loading_frame),
        ms(site.filter_typing),
        ms(site.plain_first),
        ms(site.plain_typing)
    );
}
