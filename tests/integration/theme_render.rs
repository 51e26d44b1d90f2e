//! `byline render POST -o FILE.html` on a small site of Byline's own
//! (`tests/fixtures/theme-sites/basic`): the page through the site's layouts with `site`, `page`
//! and `site.data`, the compiled stylesheet beside it, no overwriting without `--force`, and
//! errors shown in the page with their file and line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme-sites/basic")
}

fn byline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(args)
        .output()
        .unwrap()
}

fn render(post: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "render",
        post.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    byline(&args)
}

/// A copy of the fixture site in a temp folder (for tests that change it).
fn copy_site(to: &Path) {
    for entry in crate::common::files_under(&fixture()) {
        let relative = entry.strip_prefix(fixture()).unwrap();
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

#[test]
fn render_writes_the_themed_page_and_its_stylesheet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out/page.html");
    let post = fixture().join("_posts/2024-03-09-second-lamp.md");
    let before = std::fs::read(&post).unwrap();
    let output = render(&post, &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    for expected in [
        "<title>A Second Lamp · Lantern Notes</title>",
        "href=\"/notes/assets/css/main.css\"",
        "<body class=\"note\">",
        "<a href=\"/notes/about/\">About</a>",
        "<article data-mood=\"restless\">",
        "<time datetime=\"2024-03-09\">",
        "<em>twice</em>",
        "<a class=\"older\" href=\"/notes/2024/03/first-lamp.html\">The First Lamp</a>",
        "Short notes written by lamplight. 2 notes, kept by lamplight.",
    ] {
        assert!(html.contains(expected), "{expected} missing in\n{html}");
    }
    assert!(!html.contains("byline-render-problems"));
    let css = std::fs::read_to_string(dir.path().join("out/assets/css/main.css")).unwrap();
    assert!(css.contains("#fdfbf7") && css.contains("#aa3311"), "{css}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("page.html") && stdout.contains("main.css"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&post).unwrap(),
        before,
        "the post is never written"
    );

    // The same page again is fine; a different file there needs --force.
    assert!(render(&post, &out, &[]).status.success());
    std::fs::write(&out, "mine").unwrap();
    let refused = render(&post, &out, &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    assert!(render(&post, &out, &["--force"]).status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("A Second Lamp")
    );
}

#[test]
fn render_defaults_give_the_layout_and_liquid_runs_in_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("first.html");
    let post = fixture().join("_posts/2024-03-01-first-lamp.md");
    let output = render(&post, &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    // `layout: post` and `mood: calm` come from `defaults`.
    assert!(html.contains("<article data-mood=\"calm\">"), "{html}");
    assert!(html.contains("Lantern Notes kept going anyway."), "{html}");
    assert!(
        html.contains("class=\"newer\" href=\"/notes/2024/03/second-lamp.html\""),
        "{html}"
    );
}

#[test]
fn render_shows_sass_and_layout_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_site(&site);
    std::fs::write(
        site.join("_sass/_palette.scss"),
        "$paper: #fdfbf7;\n$ink: darken(;\n",
    )
    .unwrap();
    let out = dir.path().join("page.html");
    let post = site.join("_posts/2024-03-09-second-lamp.md");
    let output = render(&post, &out, &[]);
    assert!(!output.status.success(), "an error exits 1");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("_sass/_palette.scss:2:"), "{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("byline-render-problems"), "{html}");
    assert!(html.contains("_sass/_palette.scss:2"), "{html}");
    assert!(
        html.contains("A Second Lamp"),
        "the page is still there: {html}"
    );
    assert!(!dir.path().join("assets/css/main.css").exists());
}

#[test]
fn render_matches_jekyll_build_byte_for_byte() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("byline");
    let posts = [
        ("2024-03-01-first-lamp.md", "2024/03/first-lamp.html"),
        ("2024-03-09-second-lamp.md", "2024/03/second-lamp.html"),
    ];
    let mut pages = Vec::new();
    for (file, url) in posts {
        let target = out.join(url);
        let output = Command::new(env!("CARGO_BIN_EXE_byline"))
            .args(["render"])
            .arg(fixture().join("_posts").join(file))
            .arg("-o")
            .arg(&target)
            .env("TZ", "UTC")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        pages.push((url, std::fs::read_to_string(&target).unwrap()));
    }
    if let Err(reason) = Command::new("jekyll").arg("--version").output() {
        let why = format!("`jekyll` cannot run ({reason})");
        assert!(!crate::common::in_ci(), "CI=true but {why}");
        crate::common::report_skip("theme_render", &why);
        return;
    }
    let copy = work.path().join("site");
    copy_site(&copy);
    let output = Command::new("jekyll")
        .args(["build", "-q"])
        .current_dir(&copy)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "jekyll build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (url, html) in pages {
        let jekyll = std::fs::read_to_string(copy.join("_site").join(url)).unwrap();
        assert_eq!(
            html, jekyll,
            "{url}: Byline (left) and Jekyll (right) differ"
        );
    }
    // The stylesheet too, but for the source-map comment Jekyll adds (Byline writes no map).
    let jekyll_css = std::fs::read_to_string(copy.join("_site/assets/css/main.css")).unwrap();
    let jekyll_css = jekyll_css
        .trim_end()
        .trim_end_matches("/*# sourceMappingURL=main.css.map */")
        .trim_end();
    let css = std::fs::read_to_string(out.join("2024/03/assets/css/main.css")).unwrap();
    assert_eq!(css.trim_end(), jekyll_css);
}
