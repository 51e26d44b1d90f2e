//! View → Preview in site theme in the window: offered only for a post inside a site; running it
//! starts the server on the unsaved text, and where no browser opens the window shows the
//! address to copy. A recording opener stands in for the browser: tests never open one.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use byline::app::BylineApp;
use byline::app::theme_preview::BrowserOpener;
use byline::journal::Journal;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use crate::ui_support::{CTRL, settle, write};

/// An opener that opens nothing and says so, remembering what it was asked to open.
fn no_browser() -> (BrowserOpener, Arc<Mutex<Vec<String>>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    let opener: BrowserOpener = Arc::new(move |url: &str| {
        record.lock().unwrap().push(url.to_string());
        Err("no browser in tests".to_string())
    });
    (opener, asked)
}

fn harness(
    file: &Path,
    journal_dir: &Path,
) -> (Harness<'static, BylineApp>, Arc<Mutex<Vec<String>>>) {
    let mut h = crate::ui_support::harness_on(file, Journal::at(&journal_dir.join(".journal")));
    let (opener, asked) = no_browser();
    h.state_mut().set_browser_opener(opener);
    settle(&mut h);
    (h, asked)
}

fn is_menu_item_enabled(h: &mut Harness<'_, BylineApp>, label: &str) -> bool {
    h.get_by_label("View").click();
    h.run_steps(2);
    let enabled = !h
        .get_by_label_contains(label)
        .accesskit_node()
        .is_disabled();
    h.key_press(Key::Escape);
    h.run_steps(2);
    enabled
}

/// GET over HTTP/1.0: (status, Location or body).
fn get(address: &str, cookie: Option<&str>) -> (u16, String, Option<String>) {
    let rest = address.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    let mut request = format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let status: u16 = status.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut location = None;
    let mut cookie = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Location: ") {
            location = Some(value.to_string());
        }
        if let Some(value) = line.strip_prefix("Set-Cookie: ") {
            cookie = Some(value.split(';').next().unwrap().to_string());
        }
    }
    let mut body = String::new();
    reader.read_to_string(&mut body).unwrap();
    (status, location.unwrap_or(body), cookie)
}

#[test]
fn preview_in_site_theme_is_offered_only_for_a_post_in_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "_config.yml", "title: Site\n");
    let post = write(
        &site,
        "_posts/2025-01-01-alpha.md",
        "---\ntitle: Alpha\n---\nA.\n",
    );
    let (mut h, _) = harness(&post, dir.path());
    assert!(is_menu_item_enabled(&mut h, "Preview in site theme"));

    let elsewhere = tempfile::tempdir().unwrap();
    let lone = write(elsewhere.path(), "lone.md", "---\ntitle: Lone\n---\nB.\n");
    let (mut h, asked) = harness(&lone, elsewhere.path());
    assert!(!is_menu_item_enabled(&mut h, "Preview in site theme"));
    // The shortcut does nothing there either.
    h.key_press_modifiers(CTRL | egui::Modifiers::SHIFT, Key::B);
    h.run_steps(3);
    assert!(h.state().theme_preview().address().is_none());
    assert!(asked.lock().unwrap().is_empty());
}

#[test]
fn running_it_serves_the_unsaved_text_and_shows_the_address_to_copy() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "_config.yml", "title: Site\nbaseurl: /blog\n");
    let original = "---\ntitle: Alpha\n---\nFirst draft.\n";
    let post = write(&site, "_posts/2025-01-01-alpha.md", original);
    let (mut h, asked) = harness(&post, dir.path());
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label_contains("Preview in site theme").click();
    h.run_steps(3);

    let address = h.state().theme_preview().address().expect("a server runs");
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        std::slice::from_ref(&address),
        "the browser was asked once"
    );
    // No browser opened: the address is on screen with a Copy button, and the window says so.
    h.get_by_label(&address);
    h.get_by_label("Copy address");
    assert!(
        h.state().status().contains("no browser in tests"),
        "{}",
        h.state().status()
    );
    assert!(h.query_all_by_label_contains("copy the address").count() >= 1);

    // Typing reaches the page without saving.
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::End);
    h.get_by_label("Body (Markdown)")
        .type_text("Typed, not saved.");
    settle(&mut h);
    let (status, location, cookie) = get(&address, None);
    assert_eq!(status, 303);
    assert!(location.starts_with("/blog/"), "{location}");
    let cookie = cookie.unwrap();
    // The origin: the address without its `/KEY/`.
    let origin = address
        .trim_end_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.run_steps(1);
        let (status, page, _) = get(&format!("{origin}{location}"), Some(&cookie));
        assert_eq!(status, 200);
        if page.contains("Typed, not saved.") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the page never showed the typing: {page}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&post).unwrap(),
        original,
        "nothing was written"
    );

    // Stop ends the server.
    h.get_by_label("Stop preview").click();
    h.run_steps(3);
    assert!(h.state().theme_preview().address().is_none());
    assert!(h.query_by_label("Copy address").is_none());
}

/// Runs frames until `done` holds (the render runs on its own thread), failing after a while.
fn run_until(h: &mut Harness<'_, BylineApp>, what: &str, done: impl Fn(&BylineApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "never: {what}");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
}

#[test]
fn render_problems_show_with_file_and_line_and_go_when_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "_config.yml", "title: Site\n");
    write(
        &site,
        "_layouts/post.html",
        "<html><body>{{ content }}</body></html>\n",
    );
    let post = write(
        &site,
        "_posts/2025-01-01-alpha.md",
        "---\nlayout: post\ntitle: Alpha\n---\nLine one.\n\n{% include nope.html %}\n",
    );
    let (mut h, _) = harness(&post, dir.path());
    h.key_press_modifiers(CTRL | egui::Modifiers::SHIFT, Key::B);
    h.run_steps(2);
    assert!(h.state().theme_preview().address().is_some());
    run_until(&mut h, "the missing include is reported", |app| {
        !app.theme_preview().problems().is_empty()
    });
    let problems = h.state().theme_preview().problems();
    assert!(
        problems[0].starts_with("_posts/2025-01-01-alpha.md:7: "),
        "{problems:?}"
    );
    assert!(problems[0].contains("nope.html"), "{problems:?}");
    // In the bar, and as an error notification.
    assert!(
        h.query_all_by_label_contains("_posts/2025-01-01-alpha.md:7:")
            .count()
            >= 1
    );
    let is_notified = |app: &BylineApp| {
        app.notifications().shown().any(|(severity, text)| {
            severity == byline::app::notifications::Severity::Error && text.contains("nope.html")
        })
    };
    assert!(is_notified(h.state()));

    // Fixing the text clears the problem and takes the notification back.
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Body (Markdown)")
        .type_text("Line one, fixed.\n");
    run_until(&mut h, "the problem goes", |app| {
        app.theme_preview().problems().is_empty()
    });
    assert!(!is_notified(h.state()));
    assert!(
        h.query_all_by_label_contains("_posts/2025-01-01-alpha.md:7:")
            .count()
            == 0
    );
}

#[test]
fn opening_another_post_of_the_site_moves_the_preview_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "_config.yml", "title: Site\n");
    let alpha = write(
        &site,
        "_posts/2025-01-01-alpha.md",
        "---\ntitle: Alpha\n---\nAlpha words.\n",
    );
    let beta = write(
        &site,
        "_posts/2025-01-02-beta.md",
        "---\ntitle: Beta\n---\nBeta words.\n",
    );
    let (mut h, _) = harness(&alpha, dir.path());
    h.key_press_modifiers(CTRL | egui::Modifiers::SHIFT, Key::B);
    h.run_steps(2);
    let address = h.state().theme_preview().address().expect("a server runs");
    h.state_mut()
        .request_system(byline::app::system_command::SystemCommand::OpenPath(beta));
    settle(&mut h);
    assert_eq!(
        h.state().theme_preview().address(),
        Some(address.clone()),
        "the same address"
    );
    let (status, location, cookie) = get(&address, None);
    assert_eq!(status, 303);
    assert!(location.contains("beta"), "{location}");
    let origin = address
        .trim_end_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let (status, page, _) = get(&format!("{origin}{location}"), cookie.as_deref());
    assert_eq!(status, 200);
    assert!(page.contains("Beta words."), "{page}");

    // A post outside any site stops it.
    let elsewhere = tempfile::tempdir().unwrap();
    let lone = write(elsewhere.path(), "lone.md", "---\ntitle: Lone\n---\n");
    h.state_mut()
        .request_system(byline::app::system_command::SystemCommand::OpenPath(lone));
    settle(&mut h);
    assert!(h.state().theme_preview().address().is_none());
}

#[test]
fn build_with_jekyll_opens_the_page_jekyll_wrote_from_the_unsaved_text() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site, "_config.yml", "title: Site\n");
    write(
        &site,
        "_layouts/post.html",
        "<html><body>{{ content }}</body></html>\n",
    );
    let saved = "---\nlayout: post\ntitle: Alpha\n---\nSaved words.\n";
    let post = write(&site, "_posts/2025-01-01-alpha.md", saved);
    if byline::preview_server::jekyll_build::find_jekyll(&site).is_none() {
        assert!(!crate::common::in_ci(), "CI=true but no jekyll on PATH");
        crate::common::report_skip("build_with_jekyll (window)", "no jekyll on PATH");
        return;
    }
    let (mut h, asked) = harness(&post, dir.path());
    assert!(is_menu_item_enabled(&mut h, "Build with Jekyll"));
    h.get_by_label("Body (Markdown)").click();
    h.run_steps(1);
    h.get_by_label("Body (Markdown)").focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Body (Markdown)")
        .type_text("Unsaved words.\n");
    settle(&mut h);
    h.state_mut()
        .request(byline::app::command::Command::BuildWithJekyll);
    h.run_steps(2);
    assert!(h.state().theme_preview().is_building());
    run_until(&mut h, "Jekyll finishes", |app| {
        !app.theme_preview().is_building()
    });
    let address = h
        .state()
        .theme_preview()
        .built_address()
        .unwrap_or_else(|| panic!("no page: {}", h.state().status()));
    assert_eq!(asked.lock().unwrap().last(), Some(&address));
    h.get_by_label("Copy Jekyll's address");
    let (status, location, cookie) = get(&address, None);
    assert_eq!(status, 303);
    let origin = address
        .trim_end_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    let (status, page, _) = get(&format!("{origin}{location}"), cookie.as_deref());
    assert_eq!(status, 200);
    assert!(page.contains("<p>Unsaved words.</p>"), "{page}");
    assert_eq!(std::fs::read_to_string(&post).unwrap(), saved);
}
