//! Frame times of the whole Byline window, headless, for posts of 10 KB, 100 KB and 1 MB:
//! the first frame, the median frame while typing, and how long the preview takes to catch up,
//! beside a plain `TextEdit` + `CommonMarkViewer::show` of the same text in the same run.
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
    let _ = ctx.run_ui(input(events), |u| ui(u));
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

fn main() {
    println!(
        "| post | Byline first frame | Byline typing (median) | Byline preview catch-up | plain first frame | plain typing (median) | typing ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    let only_large = std::env::var_os("BENCH_ONLY_1MB").is_some();
    for (name, size) in [("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)] {
        if only_large && size < 1_000_000 {
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
}
