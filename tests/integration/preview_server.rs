//! The theme preview's server, spoken to over plain HTTP as a browser would: the key, the
//! cookie, what is refused (paths out of the site, Jekyll's hidden files, symlinks leading out),
//! static files with their types, reloading after `update`, and `byline preview`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use byline::preview_server::{LiveOptions, PreviewServer};
use byline::theme::{GeneratedFile, RenderedPage};

use crate::ui_support::write;

/// One HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET target` (written as given, not normalised) with `Host: host` and an optional
/// cookie, over HTTP/1.0 so the answer ends with the connection.
fn get_raw(port: u16, target: &str, host: &str, cookie: Option<&str>) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("GET {target} HTTP/1.0\r\nHost: {host}\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut body = Vec::new();
    reader.read_to_end(&mut body).unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

fn get(port: u16, target: &str, cookie: Option<&str>) -> Answer {
    get_raw(port, target, &format!("127.0.0.1:{port}"), cookie)
}

/// A site with `baseurl: /blog`, a stylesheet, a picture, files Jekyll never publishes, and a
/// symlink pointing out of the site. Returns (site root, the post, the secret outside).
fn site(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let root = dir.join("site");
    write(&root, "_config.yml", "title: Test\nbaseurl: /blog\n");
    let post = write(
        &root,
        "_posts/2025-01-01-hello.md",
        "---\ntitle: Hello\n---\nFirst words\n",
    );
    write(&root, "assets/site.css", "p { color: teal }\n");
    std::fs::write(root.join("assets/dot.png"), PNG_BYTES).unwrap();
    write(&root, "_includes/secret.html", "INCLUDE-SECRET");
    write(&root, ".git/config", "GIT-SECRET");
    write(&root, "Gemfile", "GEMFILE-SECRET");
    write(
        &root,
        "about.md",
        "---\ntitle: About\n---\nFRONT-MATTER-SECRET\n",
    );
    let outside = write(dir, "outside/secret.txt", "OUTSIDE-SECRET");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("assets/escape.txt")).unwrap();
    (root, post, outside)
}

/// The first bytes of a PNG file (enough for a type check and a byte comparison).
const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// A renderer standing in for the theme: the text in a page at a fixed URL, with one
/// compiled stylesheet; it panics on the text `panic`.
fn fake_renderer() -> byline::preview_server::RendererFactory {
    Box::new(|| {
        Box::new(|text: &str, _site_changed: bool| {
            assert!(text != "panic", "renderer asked to fail");
            RenderedPage {
                html: format!(
                    "<!DOCTYPE html>\n<html><head><link rel=\"stylesheet\" href=\"/blog/assets/main.css\"></head>\
                     <body><p>{text}</p></body></html>\n"
                ),
                url: "/2025/01/01/hello.html".into(),
                generated: vec![GeneratedFile {
                    site_path: "assets/main.css".into(),
                    text: "body { margin: 0 }\n".into(),
                }],
                problems: Vec::new(),
            }
        })
    })
}

fn start(root: &Path, text: &str) -> PreviewServer {
    let server = PreviewServer::start_live(LiveOptions {
        site_root: root.to_path_buf(),
        text: text.into(),
        renderer: fake_renderer(),
        debounce: Duration::from_millis(150),
        on_render: None,
    })
    .unwrap();
    server.wait_for_version_after(0, Duration::from_secs(20));
    server
}

fn cookie_of(server: &PreviewServer) -> String {
    format!("byline-preview-{}={}", server.port(), server.token())
}

#[test]
fn nothing_is_served_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let page = "/blog/2025/01/01/hello.html";
    assert_eq!(get(port, page, None).status, 403);
    assert_eq!(get(port, "/blog/assets/site.css", None).status, 403);
    assert_eq!(get(port, "/", None).status, 403);
    assert_eq!(get(port, "/_byline/version", None).status, 403);
    let wrong_key = "0123456789abcdef0123456789abcdef";
    assert_eq!(get(port, &format!("/{wrong_key}/"), None).status, 403);
    let wrong_cookie = format!("byline-preview-{port}={wrong_key}");
    assert_eq!(get(port, page, Some(&wrong_cookie)).status, 403);
    // The right cookie for another port's preview does not open this one.
    let other_port = format!("byline-preview-{}={}", port + 1, server.token());
    assert_eq!(get(port, page, Some(&other_port)).status, 403);
    // A page of another host name (DNS rebinding) is refused even with the cookie.
    let cookie = cookie_of(&server);
    assert_eq!(
        get_raw(port, page, &format!("evil.example:{port}"), Some(&cookie)).status,
        403
    );
    assert_eq!(get(port, page, Some(&cookie)).status, 200);
}

#[test]
fn the_keyed_address_sets_the_cookie_and_leads_to_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello there");
    let port = server.port();
    let entry = server.entry_url();
    let target = entry
        .strip_prefix(&format!("http://127.0.0.1:{port}"))
        .unwrap();
    let answer = get(port, target, None);
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("Location"),
        Some("/blog/2025/01/01/hello.html")
    );
    let set_cookie = answer.header("Set-Cookie").unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    assert_eq!(cookie, cookie_of(&server));
    let page = get(port, "/blog/2025/01/01/hello.html", Some(&cookie));
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains("<p>Hello there</p>"), "{html}");
    // Jekyll's HTML is kept; only the reload script is added before </body>.
    assert!(html.contains("href=\"/blog/assets/main.css\""));
    assert!(
        html.contains("<script src=\"/_byline/reload.js?v="),
        "{html}"
    );
    // The page's own address, with the key, leads there too.
    let page_url = server.snapshot().page_url.unwrap();
    assert_eq!(
        page_url,
        format!(
            "http://127.0.0.1:{port}/{}/blog/2025/01/01/hello.html",
            server.token()
        )
    );
    let keyed = get(
        port,
        page_url
            .strip_prefix(&format!("http://127.0.0.1:{port}"))
            .unwrap(),
        None,
    );
    assert_eq!(
        keyed.header("Location"),
        Some("/blog/2025/01/01/hello.html")
    );
    let script = get(port, "/_byline/reload.js", Some(&cookie));
    assert_eq!(script.status, 200);
    assert!(script.text().contains("/_byline/version"));
}

#[test]
fn static_files_and_compiled_stylesheets_come_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let cookie = cookie_of(&server);
    let css = get(port, "/blog/assets/site.css", Some(&cookie));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.text(), "p { color: teal }\n");
    let png = get(port, "/blog/assets/dot.png", Some(&cookie));
    assert_eq!(png.status, 200);
    assert_eq!(png.header("Content-Type"), Some("image/png"));
    assert_eq!(png.body, PNG_BYTES);
    assert_eq!(png.header("X-Content-Type-Options"), Some("nosniff"));
    let compiled = get(port, "/blog/assets/main.css", Some(&cookie));
    assert_eq!(compiled.status, 200);
    assert_eq!(
        compiled.header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(compiled.text(), "body { margin: 0 }\n");
    // Outside `baseurl`, Jekyll's links never point: nothing there.
    assert_eq!(get(port, "/assets/site.css", Some(&cookie)).status, 404);
}

#[test]
fn paths_out_of_the_site_and_unpublished_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, outside) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let cookie = cookie_of(&server);
    let outside_text = outside.display().to_string();
    let key = server.token().to_string();
    let attempts = [
        "/blog/../outside/secret.txt".to_string(),
        "/blog/assets/../../outside/secret.txt".into(),
        "/blog/%2e%2e/%2e%2e/outside/secret.txt".into(),
        "/blog/assets/%2E%2E%2F%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt".into(),
        "/blog/assets/..%5c..%5coutside%5csecret.txt".into(),
        "/blog//etc/passwd".into(),
        "//etc/passwd".into(),
        format!("/blog{outside_text}"),
        format!("/blog/%2F{}", outside_text.trim_start_matches('/')),
        format!("http://127.0.0.1:{port}/etc/passwd"),
        format!("/{key}/../outside/secret.txt"),
        "/blog/assets/escape.txt".into(),
        "/blog/_includes/secret.html".into(),
        "/blog/_config.yml".into(),
        "/blog/_posts/2025-01-01-hello.md".into(),
        "/blog/.git/config".into(),
        "/blog/Gemfile".into(),
        "/blog/about.md".into(),
    ];
    for target in &attempts {
        let answer = get(port, target, Some(&cookie));
        let body = answer.text();
        // A keyed path only redirects (to a path the cookie rules then judge).
        if answer.status == 303 {
            let location = answer.header("Location").unwrap();
            let followed = get(port, location, Some(&cookie));
            assert!(
                followed.status >= 400 && !followed.text().contains("SECRET"),
                "{target} -> {location}: {followed:?}"
            );
            continue;
        }
        assert!(
            answer.status == 403 || answer.status == 404 || answer.status == 400,
            "{target}: {} {body}",
            answer.status
        );
        assert!(!body.contains("SECRET"), "{target} leaked: {body}");
    }
    // A symlink that stays inside the site is followed.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("assets/site.css"), root.join("assets/alias.css"))
            .unwrap();
        assert_eq!(
            get(port, "/blog/assets/alias.css", Some(&cookie)).status,
            200
        );
    }
}

#[test]
fn an_update_changes_the_page_and_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Before");
    let port = server.port();
    let cookie = cookie_of(&server);
    let first = server.snapshot().version;
    assert!(first >= 1);
    // A reload script already waiting is answered as soon as the new version is out.
    let waiting = {
        let cookie = cookie.clone();
        std::thread::spawn(move || {
            get(
                port,
                &format!("/_byline/version?seen={first}"),
                Some(&cookie),
            )
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    server.update("Typed");
    server.update("Typed more");
    let second = server.wait_for_version_after(first, Duration::from_secs(20));
    assert!(second > first);
    let answer = waiting.join().unwrap();
    assert_eq!(answer.status, 200);
    let state: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(state["path"], "/blog/2025/01/01/hello.html");
    assert!(state["version"].as_u64().unwrap() > first);
    // The newest text wins.
    let page = get(port, "/blog/2025/01/01/hello.html", Some(&cookie)).text();
    assert!(page.contains("<p>Typed more</p>"), "{page}");
    assert!(page.contains(&format!("reload.js?v={second}")), "{page}");
    // The same text again is no new version: the page does not reload for nothing.
    server.update("Typed more");
    assert_eq!(
        server.wait_for_version_after(second, Duration::from_millis(600)),
        second
    );
}

#[test]
fn a_failing_renderer_shows_its_failure_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Fine");
    let first = server.snapshot().version;
    server.update("panic");
    let failed = server.wait_for_version_after(first, Duration::from_secs(20));
    let snapshot = server.snapshot();
    assert!(failed > first);
    assert_eq!(snapshot.problems.len(), 1, "{snapshot:?}");
    assert!(
        snapshot.problems[0]
            .diagnostic
            .message
            .contains("renderer failed")
    );
    server.update("Fixed");
    server.wait_for_version_after(failed, Duration::from_secs(20));
    let snapshot = server.snapshot();
    assert!(snapshot.problems.is_empty());
    let cookie = cookie_of(&server);
    let page = get(server.port(), "/blog/2025/01/01/hello.html", Some(&cookie)).text();
    assert!(page.contains("<p>Fixed</p>"));
}

#[test]
fn the_server_listens_only_on_127_0_0_1() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let addr = server.local_addr().unwrap();
    assert_eq!(addr.ip(), std::net::Ipv4Addr::LOCALHOST);
    // Another loopback address reaches a server bound to all addresses, not this one.
    assert!(TcpStream::connect(("127.0.0.2", server.port())).is_err());
    assert!(TcpStream::connect(("127.0.0.1", server.port())).is_ok());
}

#[test]
fn a_site_jekyll_built_is_served_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built");
    write(
        &built,
        "2025/01/01/hello.html",
        "<html><body>Built</body></html>\n",
    );
    write(&built, "assets/main.css", "a{}\n");
    let dropped = Arc::new(AtomicBool::new(false));
    struct Flag(Arc<AtomicBool>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let server = PreviewServer::start_built(
        &built,
        "/blog",
        "/2025/01/01/hello.html",
        Some(Box::new(Flag(Arc::clone(&dropped)))),
    )
    .unwrap();
    let port = server.port();
    let cookie = cookie_of(&server);
    let entry = get(port, &format!("/{}/", server.token()), None);
    assert_eq!(
        entry.header("Location"),
        Some("/blog/2025/01/01/hello.html")
    );
    let page = get(port, "/blog/2025/01/01/hello.html", Some(&cookie));
    assert_eq!(
        page.text(),
        "<html><body>Built</body></html>\n",
        "served exactly"
    );
    assert_eq!(
        get(port, "/blog/assets/main.css", Some(&cookie)).status,
        200
    );
    assert_eq!(
        get(port, "/blog/../built/assets/main.css", Some(&cookie)).status,
        404
    );
    drop(server);
    assert!(
        dropped.load(Ordering::SeqCst),
        "the temporary folder goes with the server"
    );
}

/// Kills the child when the test ends, passed or failed.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn byline_preview_serves_the_post_and_follows_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_root, post, _) = site(dir.path());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["preview", "--no-browser"])
        .arg(&post)
        .env("BROWSER", "false")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, target) = rest.split_once('/').unwrap();
    let port: u16 = port.parse().unwrap();
    let entry = get(port, &format!("/{target}"), None);
    assert_eq!(entry.status, 303, "{url}");
    let cookie = entry
        .header("Set-Cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let location = entry.header("Location").unwrap().to_string();
    assert!(location.starts_with("/blog/"), "{location}");
    let page = get(port, &location, Some(&cookie));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("First words"), "{}", page.text());
    let version = |seen: u64| -> u64 {
        let answer = get(
            port,
            &format!("/_byline/version?seen={seen}"),
            Some(&cookie),
        );
        let state: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        state["version"].as_u64().unwrap()
    };
    let first = version(0);
    std::fs::write(&post, "---\ntitle: Hello\n---\nSecond thoughts\n").unwrap();
    let mut seen = first;
    for _ in 0..5 {
        seen = version(seen);
        if get(port, &location, Some(&cookie))
            .text()
            .contains("Second thoughts")
        {
            return;
        }
    }
    panic!("the page never showed the file's new text (version {seen})");
}

#[test]
fn build_with_jekyll_serves_the_page_jekyll_writes_from_the_unsaved_text() {
    use byline::preview_server::jekyll_build;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(
        &root,
        "_config.yml",
        "title: Built\nbaseurl: /blog\npermalink: /:year/:title\n",
    );
    write(
        &root,
        "_layouts/post.html",
        "<html><head><link rel=\"stylesheet\" href=\"{{ '/assets/site.css' | relative_url }}\"></head>\
         <body><h1>{{ page.title }}</h1>{{ content }}</body></html>\n",
    );
    write(&root, "assets/site.css", "h1 { color: teal }\n");
    let saved = "---\nlayout: post\ntitle: Saved\n---\nSaved words.\n";
    let post = write(&root, "_posts/2025-01-01-hello.md", saved);
    let Some(jekyll) = jekyll_build::find_jekyll(&root) else {
        assert!(!crate::common::in_ci(), "CI=true but no jekyll on PATH");
        crate::common::report_skip("build_with_jekyll", "no jekyll on PATH");
        return;
    };
    let unsaved = "---\nlayout: post\ntitle: Unsaved\n---\nUnsaved *words*.\n";
    let build = jekyll_build::build_with_jekyll(&jekyll, &root, &post, unsaved).unwrap();
    assert_eq!(build.page_url, "/2025/hello");
    assert_eq!(
        std::fs::read_to_string(&post).unwrap(),
        saved,
        "the post is untouched"
    );
    assert!(
        !root.join("_site").exists(),
        "nothing is built inside the site"
    );
    let (built_dir, baseurl, url) = (
        build.built_dir.clone(),
        build.baseurl.clone(),
        build.page_url.clone(),
    );
    let server =
        PreviewServer::start_built(&built_dir, &baseurl, &url, Some(Box::new(build.temp))).unwrap();
    let port = server.port();
    let entry = get(port, &format!("/{}/", server.token()), None);
    assert_eq!(entry.header("Location"), Some("/blog/2025/hello"));
    let cookie = cookie_of(&server);
    let page = get(port, "/blog/2025/hello", Some(&cookie));
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains("<h1>Unsaved</h1>"), "{html}");
    assert!(html.contains("<em>words</em>"), "{html}");
    assert!(html.contains("href=\"/blog/assets/site.css\""), "{html}");
    assert_eq!(
        get(port, "/blog/assets/site.css", Some(&cookie)).status,
        200
    );
}

#[test]
fn a_change_to_the_sites_files_reloads_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (root, post, _) = site(dir.path());
    let mut server = start(&root, "Hello");
    server.follow_disk(&post, false).unwrap();
    let first = server.snapshot().version;
    std::fs::write(root.join("assets/site.css"), "p { color: navy }\n").unwrap();
    let second = server.wait_for_version_after(first, Duration::from_secs(20));
    assert!(
        second > first,
        "a stylesheet edit reloads the page even with the same HTML"
    );
    // Jekyll's output folder is not the site: writing there changes nothing.
    write(&root, "_site/index.html", "built");
    assert_eq!(
        server.wait_for_version_after(second, Duration::from_millis(800)),
        second
    );
}

#[test]
fn a_theme_gems_assets_are_served_where_the_site_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    write(
        &root,
        "_config.yml",
        "title: Test\nbaseurl: /blog\ntheme: byline-test-theme\n",
    );
    let gem = root.join("vendor/bundle/ruby/3.1.0/gems/byline-test-theme-1.0.0");
    write(&gem, "assets/theme.js", "console.log('theme');\n");
    write(&gem, "assets/site.css", "p { color: red }\n");
    write(&gem, "secret.txt", "GEM-SECRET");
    #[cfg(unix)]
    std::os::unix::fs::symlink(gem.join("secret.txt"), gem.join("assets/leak.txt")).unwrap();
    let server = start(&root, "Hello");
    let port = server.port();
    let cookie = cookie_of(&server);
    let script = get(port, "/blog/assets/theme.js", Some(&cookie));
    assert_eq!(script.status, 200);
    assert_eq!(script.text(), "console.log('theme');\n");
    assert!(
        script
            .header("Content-Type")
            .unwrap()
            .contains("javascript")
    );
    // The site's own file wins over the theme's.
    assert_eq!(
        get(port, "/blog/assets/site.css", Some(&cookie)).text(),
        "p { color: teal }\n"
    );
    for target in ["/blog/assets/leak.txt", "/blog/assets/../secret.txt"] {
        let answer = get(port, target, Some(&cookie));
        assert!(answer.status >= 400, "{target}");
        assert!(!answer.text().contains("GEM-SECRET"), "{target}");
    }
    // The bundle itself is excluded by Jekyll.
    let bundled = "/blog/vendor/bundle/ruby/3.1.0/gems/byline-test-theme-1.0.0/assets/theme.js";
    assert_eq!(get(port, bundled, Some(&cookie)).status, 404);
}

#[test]
fn another_post_takes_over_the_same_address() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "First post");
    let port = server.port();
    let cookie = cookie_of(&server);
    let first = server.snapshot().version;
    let other = write(
        &root,
        "_posts/2025-02-02-other.md",
        "---\ntitle: Other\n---\n",
    );
    let moved: byline::preview_server::RendererFactory = Box::new(|| {
        Box::new(|text: &str, _site_changed: bool| RenderedPage {
            html: format!("<html><body><p>{text}</p></body></html>\n"),
            url: "/2025/02/02/other.html".into(),
            generated: Vec::new(),
            problems: Vec::new(),
        })
    });
    server.change_post(&other, "Second post".into(), moved);
    let answer = get(
        port,
        &format!("/_byline/version?seen={first}"),
        Some(&cookie),
    );
    let state: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        state["path"], "/blog/2025/02/02/other.html",
        "the open page follows"
    );
    let page = get(port, "/blog/2025/02/02/other.html", Some(&cookie)).text();
    assert!(page.contains("<p>Second post</p>"), "{page}");
    let entry = get(port, &format!("/{}/", server.token()), None);
    assert_eq!(
        entry.header("Location"),
        Some("/blog/2025/02/02/other.html")
    );
}

/// Sends `head` (a whole request head, written as given) and reads the answer to its end.
fn send_head(port: u16, head: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn requests_other_sites_make_with_the_cookie_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let cookie = cookie_of(&server);
    let with_site = |site: &str| {
        send_head(
            port,
            &format!(
                "GET /blog/2025/01/01/hello.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
                 Cookie: {cookie}\r\nSec-Fetch-Site: {site}\r\n\r\n"
            ),
        )
        .status
    };
    // Another web site, and a page of another server on 127.0.0.1 (the same site to a
    // browser, and cookies ignore ports).
    assert_eq!(with_site("cross-site"), 403);
    assert_eq!(with_site("same-site"), 403);
    // The page itself, and the user opening the address.
    assert_eq!(with_site("same-origin"), 200);
    assert_eq!(with_site("none"), 200);
}

#[test]
fn the_keyed_address_never_leads_off_this_server() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let key = server.token().to_string();
    for (target, location) in [
        (format!("/{key}//evil.example/"), "/evil.example/"),
        (format!("/{key}/\\evil.example"), "/evil.example"),
        (
            format!("/{key}/\\/evil.example/a?b=1"),
            "/evil.example/a?b=1",
        ),
        (
            format!("/{key}/blog/assets/site.css"),
            "/blog/assets/site.css",
        ),
    ] {
        let answer = get(port, &target, None);
        assert_eq!(answer.status, 303, "{target}");
        assert_eq!(answer.header("Location"), Some(location), "{target}");
    }
}

#[test]
fn an_oversized_request_head_is_refused_and_open_connections_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _, _) = site(dir.path());
    let server = start(&root, "Hello");
    let port = server.port();
    let cookie = cookie_of(&server);
    let huge = "a".repeat(40 * 1024);
    let answer = send_head(
        port,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Huge: {huge}\r\n\r\n"),
    );
    assert_eq!(answer.status, 431);
    // Connections that send nothing: past the cap, new ones are closed unanswered at once
    // instead of each holding a thread.
    let idle: Vec<TcpStream> = (0..80)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let mut closed = 0;
    for mut stream in idle.iter().skip(70) {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Ok(0) => closed += 1,
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            other => panic!("an idle connection past the cap was kept: {other:?}"),
        }
    }
    assert_eq!(closed, 10);
    // Once they go, the page is served again.
    drop(idle);
    let page = "/blog/2025/01/01/hello.html";
    let status = (0..100)
        .map(|_| {
            let status = get(port, page, Some(&cookie)).status;
            if status != 200 {
                std::thread::sleep(Duration::from_millis(50));
            }
            status
        })
        .find(|&status| status == 200);
    assert_eq!(status, Some(200));
}
