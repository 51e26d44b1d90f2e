//! Publishing: into temp Jekyll sites (names, drafts, images by MD5, overwrite and path rules,
//! warnings) and as standalone HTML, including a check in a real headless browser.

use std::path::{Path, PathBuf};
use std::process::Command;

use byline::export::{export_html, export_to_site, validate};
use byline::post::Post;

fn png(path: &Path, shade: u8) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_pixel(8, 6, image::Rgb([shade, 90, 160]))
        .save(path)
        .unwrap();
}

fn md5_hex(path: &Path) -> String {
    use md5::Digest as _;
    md5::Md5::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A source folder (a site of its own, where the writer keeps drafts and images) and a target site.
struct Sites {
    _dir: tempfile::TempDir,
    source_root: PathBuf,
    target: PathBuf,
}

fn sites() -> Sites {
    let dir = tempfile::tempdir().unwrap();
    let source_root = dir.path().join("writing");
    std::fs::create_dir_all(source_root.join("_posts")).unwrap();
    let target = dir.path().join("blog");
    std::fs::create_dir_all(target.join("_posts")).unwrap();
    std::fs::write(target.join("_config.yml"), "title: Blog\n").unwrap();
    Sites {
        _dir: dir,
        source_root,
        target,
    }
}

fn write_post(sites: &Sites, name: &str, text: &str) -> PathBuf {
    let path = sites.source_root.join("_posts").join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const POST: &str = "---\nlayout: post\ntitle: \"Café: Über alles\"\ndate: 2025-11-30 10:00:00 +0100\n# a comment that must survive\ntags: [a, b]\n---\n\nBody text.\n";

#[test]
fn post_goes_to_posts_with_date_and_slug_and_source_is_untouched() {
    let s = sites();
    let source = write_post(&s, "draft.md", POST);
    let exported = export_to_site(&source, &s.target, false, false).unwrap();
    assert_eq!(
        exported.path,
        s.target.join("_posts/2025-11-30-cafe-uber-alles.md")
    );
    assert_eq!(std::fs::read_to_string(&exported.path).unwrap(), POST);
    assert_eq!(std::fs::read_to_string(&source).unwrap(), POST);
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);

    let with_slug = write_post(
        &s,
        "slugged.md",
        &POST.replace("tags:", "slug: My Own Slug\ntags:"),
    );
    let exported = export_to_site(&with_slug, &s.target, false, false).unwrap();
    assert_eq!(
        exported.path,
        s.target.join("_posts/2025-11-30-my-own-slug.md")
    );

    let draft = export_to_site(&source, &s.target, true, false).unwrap();
    assert_eq!(draft.path, s.target.join("_drafts/cafe-uber-alles.md"));
}

#[test]
fn images_are_copied_by_md5_once_and_references_rewritten() {
    let s = sites();
    png(&s.source_root.join("assets/photo.png"), 10);
    png(&s.source_root.join("assets/other.png"), 200);
    let text = "---\ntitle: Pictures\ndate: 2025-11-30\nimage: assets/photo.png\nheader:\n  overlay_image: /assets/photo.png\n---\n![one](assets/photo.png) and <img src=\"/assets/other.png\" alt=\"x\"> and ![remote](https://example.com/r.jpg)\n";
    let source = write_post(&s, "p.md", text);
    let exported = export_to_site(&source, &s.target, false, false).unwrap();
    let photo = format!("{}.png", md5_hex(&s.source_root.join("assets/photo.png")));
    let other = format!("{}.png", md5_hex(&s.source_root.join("assets/other.png")));
    let mut copied: Vec<String> = std::fs::read_dir(s.target.join("assets/images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    copied.sort();
    let mut expected_names = vec![photo.clone(), other.clone()];
    expected_names.sort();
    assert_eq!(
        copied, expected_names,
        "the same image twice is stored once"
    );
    let written = std::fs::read_to_string(&exported.path).unwrap();
    let expected = text
        .replace(
            "image: assets/photo.png",
            &format!("image: /assets/images/{photo}"),
        )
        .replace(
            "overlay_image: /assets/photo.png",
            &format!("overlay_image: /assets/images/{photo}"),
        )
        .replace(
            "![one](assets/photo.png)",
            &format!("![one](/assets/images/{photo})"),
        )
        .replace(
            "src=\"/assets/other.png\"",
            &format!("src=\"/assets/images/{other}\""),
        );
    assert_eq!(written, expected);
    assert_eq!(std::fs::read_to_string(&source).unwrap(), text);
}

#[test]
fn a_missing_image_is_an_error_that_names_it_and_nothing_is_written() {
    let s = sites();
    let source = write_post(
        &s,
        "p.md",
        "---\ntitle: T\ndate: 2025-11-30\n---\n![gone](assets/missing.jpg)\n",
    );
    let err = export_to_site(&source, &s.target, false, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("assets/missing.jpg"), "{err}");
    assert_eq!(
        std::fs::read_dir(s.target.join("_posts")).unwrap().count(),
        0
    );
}

#[test]
fn a_different_existing_post_is_not_overwritten_without_force() {
    let s = sites();
    let source = write_post(&s, "p.md", POST);
    let first = export_to_site(&source, &s.target, false, false).unwrap();
    export_to_site(&source, &s.target, false, false).expect("re-exporting the same post is fine");
    std::fs::write(&source, POST.replace("Body text.", "Edited body.")).unwrap();
    let err = export_to_site(&source, &s.target, false, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&first.path).unwrap(), POST);
    export_to_site(&source, &s.target, false, true).unwrap();
    assert!(
        std::fs::read_to_string(&first.path)
            .unwrap()
            .contains("Edited body.")
    );
}

#[test]
fn paths_that_climb_out_of_the_site_stay_inside_it() {
    let s = sites();
    png(&s.source_root.parent().unwrap().join("outside.png"), 50);
    let text = "---\ntitle: Escape\nslug: ../../../evil\ndate: 2025-11-30\nimage: ../outside.png\n---\n![x](../../outside.png)\n";
    let source = write_post(&s, "p.md", text);
    let before: Vec<PathBuf> = std::fs::read_dir(s.source_root.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // Images outside the post's site are never read.
    let err = export_to_site(&source, &s.target, false, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("outside the post's site"), "{err}");
    assert!(!s.target.join("assets").exists(), "nothing copied");
    std::fs::write(
        &source,
        text.replace("image: ../outside.png\n", "")
            .replace("![x](../../outside.png)", "no image"),
    )
    .unwrap();
    let exported = export_to_site(&source, &s.target, false, false).unwrap();
    assert_eq!(exported.path, s.target.join("_posts/2025-11-30-evil.md"));
    let after: Vec<PathBuf> = std::fs::read_dir(s.source_root.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before.len(), after.len(), "nothing new beside the sites");
}

/// The messages of `validate`, split into errors and warnings.
fn validate_messages(
    post: &Post,
    now: chrono::DateTime<chrono::Local>,
) -> (Vec<String>, Vec<String>) {
    let (errors, warnings): (Vec<_>, Vec<_>) = validate(post, now)
        .into_iter()
        .partition(|d| d.severity == byline::diagnostic::Severity::Error);
    let messages =
        |ds: Vec<byline::diagnostic::Diagnostic>| ds.into_iter().map(|d| d.message).collect();
    (messages(errors), messages(warnings))
}

#[test]
fn validation_errors_and_warnings() {
    let now = chrono::Local::now();
    let (errors, _) = validate_messages(&Post::from_text("---\ndate: 2025-11-30\n---\n"), now);
    assert_eq!(errors, ["the post has no title"]);
    let (errors, _) = validate_messages(&Post::from_text("---\ntitle: T\n---\n"), now);
    assert_eq!(errors, ["the post has no date"]);
    let (errors, _) = validate_messages(
        &Post::from_text("---\ntitle: T\ndate: 2025-02-30\n---\n"),
        now,
    );
    assert!(errors[0].contains("not a day in the calendar"));
    let (errors, warnings) = validate_messages(
        &Post::from_text("---\ntitle: T\ndate: 2999-01-01 10:00\npublished: false\n---\n"),
        now,
    );
    assert!(errors.is_empty());
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("no UTC offset"));
    assert!(warnings[1].contains("future: true"));
    assert!(warnings[2].contains("will not publish"));
    let (_, warnings) = validate_messages(
        &Post::from_text(
            "---\ntitle: T\ndate: 2020-01-01 10:00 +0000\npublished: \"false\"\n---\n",
        ),
        now,
    );
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("is a string, not a boolean"),
        "the checker's wording, written once: {warnings:?}"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let s = sites();
    let source = write_post(&s, "p.md", POST);
    let plain = s.target.parent().unwrap().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let err = export_to_site(&source, &plain, false, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not a Jekyll site"), "{err}");
}

fn html_fixture(s: &Sites) -> PathBuf {
    png(&s.source_root.join("assets/photo.png"), 10);
    let text = "---\ntitle: \"<script>alert(1)</script> & Co\"\ndate: 2025-11-30 10:00:00 +0100\nauthor: Ann\ntags: [news]\nexcerpt: \"A \\\"quoted\\\" summary\"\nimage: assets/photo.png\n---\n\n## First heading\n\nText with {{ site.title }} and a [link](https://example.com).\n\n![inline](assets/photo.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~ and a note[^1].\n\n[^1]: Footnote.\n";
    write_post(s, "html.md", text)
}

#[test]
fn html_page_is_self_contained_and_escaped() {
    let s = sites();
    let source = html_fixture(&s);
    let out = s.target.parent().unwrap().join("html");
    let exported = export_html(&source, &out).unwrap();
    assert_eq!(
        exported.path.file_name().unwrap(),
        "html.html",
        "named from the post's file"
    );
    let html = std::fs::read_to_string(&exported.path).unwrap();
    assert!(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>"));
    assert!(
        !html.contains("<script>"),
        "no raw script tag from the title"
    );
    assert!(html.contains("<meta name=\"description\" content=\"A &quot;quoted&quot; summary\">"));
    assert!(html.contains("<meta property=\"og:title\""));
    assert!(html.contains("<h2>First heading</h2>"));
    assert!(
        html.contains("<table>")
            && html.contains("<del>gone</del>")
            && html.contains("type=\"checkbox\"")
            && html.contains("footnote")
    );
    assert!(
        html.contains("<code>site.title</code>"),
        "Liquid shown as in the preview"
    );
    assert_eq!(
        html.matches("data:image/png;base64,").count(),
        1,
        "the image of the header and the body embedded once"
    );
    assert_eq!(html.matches("<img").count(), 2, "{html}");
    assert!(!html.contains("assets/photo.png\""));
    assert!(html.contains("<style>"));
}

/// Opens the exported page in headless Chromium and reads back what it rendered.
#[test]
fn exported_page_renders_in_a_real_browser() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        // Written to the stderr handle directly, which the test harness does not capture, so
        // the skip shows in `cargo test` output.
        use std::io::Write as _;
        assert!(
            !crate::common::in_ci(),
            "CI=true but Chromium is not installed"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED exported_page_renders_in_a_real_browser: Chromium is not installed (.ci/run installs it)"
        );
        return;
    };
    let s = sites();
    let source = html_fixture(&s);
    let out = s.target.parent().unwrap().join("html");
    let exported = export_html(&source, &out).unwrap();
    let probe = r#"<script>window.addEventListener('load', () => {
  const imgs = [...document.images].map(i => i.complete && i.naturalWidth > 0);
  const report = {title: document.title, h1: [...document.querySelectorAll('h1')].map(h => h.textContent), h2: [...document.querySelectorAll('h2')].map(h => h.textContent), images: imgs, heights: [...document.querySelectorAll('article p img')].map(i => i.getBoundingClientRect().height)};
  const pre = document.createElement('pre'); pre.id = 'byline-report'; pre.textContent = JSON.stringify(report); document.body.appendChild(pre);
});</script>"#;
    let page = std::fs::read_to_string(&exported.path)
        .unwrap()
        .replace("</body>", &format!("{probe}</body>"));
    let probe_path = out.join("probe.html");
    std::fs::write(&probe_path, page).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", probe_path.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom
        .find("<pre id=\"byline-report\">")
        .expect("the page's script ran")
        + "<pre id=\"byline-report\">".len();
    let end = dom[start..].find("</pre>").unwrap() + start;
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["title"], "<script>alert(1)</script> & Co");
    assert_eq!(
        report["h1"],
        serde_json::json!(["<script>alert(1)</script> & Co"])
    );
    assert_eq!(report["h2"], serde_json::json!(["First heading"]));
    assert_eq!(
        report["images"],
        serde_json::json!([true, true]),
        "every image loaded"
    );
    // The inline image shares its bytes with the header image: it shows the 8×6 picture, not
    // the 1×1 placeholder it stands on.
    assert_eq!(report["heights"], serde_json::json!([6]), "{report}");
}

#[test]
fn cli_exports_each_post_and_reports_failures() {
    let s = sites();
    let good = write_post(&s, "good.md", POST);
    let bad = write_post(&s, "bad.md", "---\ntitle: No date\n---\n");
    let output = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["export"])
        .arg(&bad)
        .arg(&good)
        .arg("--site")
        .arg(&s.target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.trim(),
        s.target
            .join("_posts/2025-11-30-cafe-uber-alles.md")
            .display()
            .to_string()
    );
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("bad.md:2:1: error: the post has no date (not exported)")
    );
    let html = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["export"])
        .arg(&good)
        .arg("--html")
        .arg(s.target.join("out"))
        .output()
        .unwrap();
    assert!(html.status.success());
    assert!(s.target.join("out/good.html").is_file());
}

/// Every post of the shared real sites exports into a fresh site and as HTML: the copy is the
/// source's bytes except rewritten image paths, and the source is never written.
#[test]
fn the_shared_sites_posts_export_cleanly() {
    let Some(sites) =
        crate::common::shared_dir_or_skip("sites", "the_shared_sites_posts_export_cleanly")
    else {
        return;
    };
    let mut exported_posts = 0;
    for site in std::fs::read_dir(&sites).unwrap() {
        let site = site.unwrap().path();
        let posts = site.join("_posts");
        if !posts.is_dir() {
            continue;
        }
        let target = tempfile::tempdir().unwrap();
        std::fs::create_dir(target.path().join("_posts")).unwrap();
        let html = target.path().join("html");
        for post in crate::common::files_under(&posts) {
            let before = std::fs::read(&post).unwrap();
            let exported = export_to_site(&post, target.path(), false, false)
                .unwrap_or_else(|e| panic!("{}: {e}", post.display()));
            let written = std::fs::read(&exported.path).unwrap();
            if exported.images.is_empty()
                && !String::from_utf8_lossy(&written).contains("/assets/images/")
            {
                assert_eq!(written, before, "{}", post.display());
            }
            assert!(
                Post::parse(&written).unwrap().block().is_ok(),
                "{}",
                post.display()
            );
            let page =
                export_html(&post, &html).unwrap_or_else(|e| panic!("{}: {e}", post.display()));
            assert!(
                std::fs::read_to_string(&page.path)
                    .unwrap()
                    .ends_with("</html>\n")
            );
            assert_eq!(
                std::fs::read(&post).unwrap(),
                before,
                "the source is untouched"
            );
            exported_posts += 1;
        }
    }
    assert!(exported_posts >= 10, "only {exported_posts} posts exported");
}

#[test]
fn a_post_without_date_or_title_takes_them_from_its_file_name_as_jekyll_does() {
    let s = sites();
    let text = "---\nlayout: post\n---\nBody.\n";
    let source = write_post(&s, "2016-05-19-codeblocks-ahoy.md", text);
    let exported = export_to_site(&source, &s.target, false, false).unwrap();
    assert_eq!(
        exported.path,
        s.target.join("_posts/2016-05-19-codeblocks-ahoy.md")
    );
    assert_eq!(std::fs::read_to_string(&exported.path).unwrap(), text);
    let page = export_html(&source, &s.target.join("html")).unwrap();
    let html = std::fs::read_to_string(&page.path).unwrap();
    assert!(html.contains("<title>Codeblocks Ahoy</title>"), "{html}");
    assert!(html.contains("<time datetime=\"2016-05-19\">"), "{html}");
    // Without a dated file name, the post still needs them.
    let undated = write_post(&s, "notes.md", text);
    let err = export_to_site(&undated, &s.target, false, false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has no title") && err.contains("has no date"),
        "{err}"
    );
}
