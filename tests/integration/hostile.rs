//! Hostile files and folders met from the command line and export: symbolic links, hard links,
//! read-only files, FIFOs and devices, link loops, huge files, long titles, images outside the
//! site, symlinked site folders, colliding page names (issue 10).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use byline::Error;
use byline::export::{ExportRun, HtmlOptions, export_post_html_in, export_to_site};
use byline::post::Post;

const POST: &str = "---\ntitle: \"A post\"\ndate: 2025-11-30 10:00:00 +0100\n---\n\nBody.\n";

/// Runs byline in `dir`; a run that does not end within a minute is killed and fails the test
/// (a FIFO opened for reading blocks forever).
fn byline(args: &[&str], dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(args)
        .current_dir(dir)
        .env("BYLINE_AUTHOR", "Test Author")
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_or_fail(&mut child, &format!("byline {args:?}"));
    child.wait_with_output().unwrap()
}

/// Waits for a child; one still running after a minute is killed and fails the test.
fn wait_or_fail(child: &mut std::process::Child, what: &str) {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

fn png(path: &Path, shade: u8) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_pixel(8, 6, image::Rgb([shade, 90, 160]))
        .save(path)
        .unwrap();
}

#[test]
fn set_through_a_symlink_updates_the_real_post_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let real = dir.path().join("real/post.md");
    std::fs::write(&real, POST).unwrap();
    std::os::unix::fs::symlink("real/post.md", dir.path().join("link.md")).unwrap();
    let out = byline(&["set", "link.md", "title=New"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("title: \"New\"")
    );
}

#[test]
fn set_keeps_hard_links_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    std::fs::write(&a, POST).unwrap();
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::hard_link(&a, dir.path().join("b.md")).unwrap();
    let inode = std::fs::metadata(&a).unwrap().ino();
    let out = byline(&["set", "a.md", "title=Linked"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let b = std::fs::read_to_string(dir.path().join("b.md")).unwrap();
    assert!(b.contains("Linked"), "the other link sees the edit: {b}");
    let meta = std::fs::metadata(&a).unwrap();
    assert_eq!((meta.ino(), meta.nlink()), (inode, 2));
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "the backup copy is removed after a good write"
    );
}

#[test]
fn set_refuses_a_read_only_post() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.md");
    std::fs::write(&path, POST).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = byline(&["set", "ro.md", "title=X"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is read-only"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), POST);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn fifos_and_devices_are_refused_and_nothing_hangs() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.md"));
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.md")).unwrap();
    std::fs::write(dir.path().join("good.md"), POST).unwrap();
    for args in [
        &["set", "pipe.md", "title=x"][..],
        &["show", "pipe.md"],
        &["check", "pipe.md"],
        &["set", "null.md", "title=x"],
        &["show", "null.md"],
        &["export", "pipe.md", "--html", "out"],
    ] {
        let out = byline(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(all.contains("not a regular file"), "{args:?}: {all}");
    }
    let out = byline(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(0), "a FIFO in a folder is skipped");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("pipe.md:1:1: warning: skipped: a FIFO (named pipe) is not a regular file"),
        "{stdout}"
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("null.md"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link to the device is still a link"
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device_like()
    );
}

trait CharDevice {
    fn is_char_device_like(&self) -> bool;
}

impl CharDevice for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_char_device()
    }
}

#[test]
fn check_visits_each_file_once_through_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    std::fs::write(dir.path().join("posts/a.md"), POST).unwrap();
    std::fs::write(dir.path().join("posts/b.md"), POST).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("posts/self")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("posts/again")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("posts/up")).unwrap();
    let out = byline(&["check", "posts"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("checked 2 files"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn huge_files_are_refused_before_reading_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.md");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1536 * 1024 * 1024) // 1.5 GB, sparse
        .unwrap();
    for args in [
        &["show", "huge.md"][..],
        &["check", "huge.md"],
        &["set", "huge.md", "a=1"],
    ] {
        let out = byline(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            all.contains("over Byline's limit of 16777216 bytes for a post"),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn new_posts_and_exports_follow_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    png(&dir.path().join("src/pic.png"), 3);
    std::fs::create_dir_all(dir.path().join("site/_posts")).unwrap();
    std::fs::write(
        dir.path().join("src/p.md"),
        "---\ntitle: T\ndate: 2025-11-30\nimage: pic.png\n---\n",
    )
    .unwrap();
    let script = format!(
        "umask 022 && {bin} new --title 'Fresh' --date 2025-11-30 --dir . && {bin} export src/p.md --site site && {bin} export src/p.md --html html",
        bin = env!("CARGO_BIN_EXE_byline")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("BYLINE_AUTHOR", "T")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<PathBuf> = text(&out.stdout)
        .lines()
        .map(|l| dir.path().join(l))
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    for file in lines {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{}", file.display());
    }
}

#[test]
fn a_title_over_255_bytes_shortens_the_slug() {
    let dir = tempfile::tempdir().unwrap();
    let title = "Über ".repeat(80);
    let out = byline(
        &[
            "new",
            "--title",
            &title,
            "--date",
            "2025-11-30",
            "--dir",
            ".",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let created = dir.path().join(text(&out.stdout).trim());
    let name = created.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.len() <= 140 && name.starts_with("2025-11-30-uber-uber"),
        "{name}"
    );
    assert!(!name.contains("--") && name.ends_with("uber.md"), "{name}");
    std::fs::create_dir_all(dir.path().join("site/_posts")).unwrap();
    let exported = export_to_site(&created, &dir.path().join("site"), false, false).unwrap();
    assert!(exported.path.is_file());
    let html = byline(&["export", &name, "--html", "out"], dir.path());
    assert!(html.status.success(), "{}", text(&html.stderr));
}

/// A source folder and a target site in one temp folder.
fn site_pair() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("writing");
    std::fs::create_dir_all(source.join("_posts")).unwrap();
    let target = dir.path().join("blog");
    std::fs::create_dir_all(target.join("_posts")).unwrap();
    (dir, source, target)
}

#[test]
fn html_pages_of_one_run_never_share_a_file_nor_overwrite_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("one")).unwrap();
    std::fs::write(dir.path().join("a.md"), POST).unwrap();
    std::fs::write(dir.path().join("b.md"), POST).unwrap();
    std::fs::write(dir.path().join("one/a.md"), POST.replace("Body.", "Other.")).unwrap();
    let out = byline(
        &["export", "a.md", "b.md", "one/a.md", "--html", "out"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pages: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(pages, ["out/a.html", "out/b.html", "out/a-2.html"]);
    assert!(
        std::fs::read_to_string(dir.path().join("out/a-2.html"))
            .unwrap()
            .contains("Other.")
    );
    // A hand-written page is never overwritten without --force.
    std::fs::write(dir.path().join("out/index.html"), "mine").unwrap();
    std::fs::write(dir.path().join("index.md"), POST.replace("A post", "Index")).unwrap();
    let out = byline(&["export", "index.md", "--html", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("already exists with different content; use --force to overwrite it"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/index.html")).unwrap(),
        "mine"
    );
    let out = byline(
        &["export", "index.md", "--html", "out", "--force"],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(dir.path().join("out/index.html"))
            .unwrap()
            .contains("Index")
    );
    // The library's error is a kind of its own, with no command-line hint in it.
    let mut run = ExportRun::new(false);
    let post = Post::from_text(&POST.replace("Body.", "Changed."));
    let err = export_post_html_in(
        &mut run,
        &post,
        &dir.path().join("a.md"),
        &dir.path().join("out"),
        HtmlOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::TargetExists { .. }), "{err}");
    assert!(!err.to_string().contains("--force"), "{err}");
}

#[test]
fn two_posts_with_one_title_do_not_share_a_site_file() {
    let (_dir, source, target) = site_pair();
    let a = source.join("_posts/a.md");
    let b = source.join("_posts/b.md");
    std::fs::write(&a, POST).unwrap();
    std::fs::write(&b, POST.replace("Body.", "Other body.")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_byline"))
        .arg("export")
        .args([&a, &b])
        .arg("--site")
        .arg(&target)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("another post of this export already went to"),
        "{}",
        text(&out.stderr)
    );
    let written = std::fs::read_to_string(target.join("_posts/2025-11-30-a-post.md")).unwrap();
    assert_eq!(written, POST, "the first post stays");
}

#[test]
fn a_post_exported_into_its_own_site_never_writes_its_source() {
    let (_dir, source, _) = site_pair();
    let own = source.join("_posts/2025-11-30-a-post.md");
    std::fs::write(&own, POST).unwrap();
    let again = export_to_site(&own, &source, false, false).unwrap();
    assert_eq!(again.path, own);
    assert_eq!(std::fs::read_to_string(&own).unwrap(), POST);
    // With an image to rewrite, the export would change the source: refused, even with force.
    png(&source.join("assets/pic.png"), 1);
    let with_image = POST.replace("Body.", "![p](/assets/pic.png)");
    std::fs::write(&own, &with_image).unwrap();
    for force in [false, true] {
        let err = export_to_site(&own, &source, false, force)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is the post itself"), "{err}");
        assert!(!err.contains("different content"), "{err}");
        assert_eq!(std::fs::read_to_string(&own).unwrap(), with_image);
    }
    assert!(!source.join("assets/images").exists(), "no image copied");
}

#[test]
fn images_outside_the_site_are_never_read() {
    let (dir, source, target) = site_pair();
    std::fs::write(dir.path().join("secret.png"), "top secret").unwrap();
    std::fs::create_dir_all(source.join("assets")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", source.join("assets/host.png")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.png"), source.join("assets/s.png")).unwrap();
    for image in [
        "../secret.png",
        "/assets/host.png",
        "assets/s.png",
        "/../secret.png",
    ] {
        let post = source.join("_posts/p.md");
        std::fs::write(
            &post,
            format!("---\ntitle: T\ndate: 2025-11-30\n---\n![x]({image})\n"),
        )
        .unwrap();
        let err = export_to_site(&post, &target, false, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside the post's site"), "{image}: {err}");
        let html = byline(
            &["export", "p.md", "--html", "../html"],
            &source.join("_posts"),
        );
        assert_eq!(html.status.code(), Some(1), "{image}");
        assert!(!target.join("assets").exists());
        assert!(!source.join("html").exists() && !dir.path().join("html/p.html").exists());
    }
}

#[test]
fn a_symlinked_site_folder_never_leads_writes_outside() {
    let (dir, source, target) = site_pair();
    png(&source.join("assets/pic.png"), 9);
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("assets")).unwrap();
    let post = source.join("_posts/p.md");
    std::fs::write(
        &post,
        "---\ntitle: T\ndate: 2025-11-30\n---\n![x](/assets/pic.png)\n",
    )
    .unwrap();
    let err = export_to_site(&post, &target, false, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("leads outside the site"), "{err}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // A symlinked _posts/ likewise.
    std::fs::remove_file(target.join("assets")).unwrap();
    std::fs::remove_dir(target.join("_posts")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("_posts")).unwrap();
    std::fs::write(&post, POST).unwrap();
    let err = export_to_site(&post, &target, false, true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("leads outside the site"), "{err}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn an_image_cited_many_times_is_embedded_once() {
    let dir = tempfile::tempdir().unwrap();
    png(&dir.path().join("pic.png"), 7);
    let body = "![x](pic.png)\n\n<img src=\"pic.png\">\n\n".repeat(150);
    std::fs::write(
        dir.path().join("p.md"),
        format!("---\ntitle: T\ndate: 2025-11-30\nimage: pic.png\n---\n{body}"),
    )
    .unwrap();
    let out = byline(&["export", "p.md", "--html", "out"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("out/p.html")).unwrap();
    let size = std::fs::metadata(dir.path().join("pic.png")).unwrap().len() as usize;
    assert_eq!(html.matches("data:image/png;base64,").count(), 1);
    assert_eq!(html.matches("<img").count(), 301);
    assert!(html.len() < 100_000 + size * 2, "{} bytes", html.len());
}

#[test]
fn oversized_images_are_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::File::create(dir.path().join("big.png"))
        .unwrap()
        .set_len(byline::fsio::MAX_IMAGE_BYTES + 1)
        .unwrap();
    std::fs::write(
        dir.path().join("p.md"),
        "---\ntitle: T\ndate: 2025-11-30\n---\n![x](big.png)\n",
    )
    .unwrap();
    let out = byline(&["export", "p.md", "--html", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("over Byline's limit of 33554432 bytes for an image"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn percent_encoded_image_paths_are_found() {
    let (_dir, source, target) = site_pair();
    png(&source.join("assets/my cat.png"), 4);
    let post = source.join("_posts/p.md");
    std::fs::write(
        &post,
        "---\ntitle: T\ndate: 2025-11-30\nimage: /assets/my%20cat.png\n---\n![c](/assets/my%20cat.png)\n",
    )
    .unwrap();
    let exported = export_to_site(&post, &target, false, false).unwrap();
    assert_eq!(exported.images.len(), 1);
    let written = std::fs::read_to_string(&exported.path).unwrap();
    assert!(!written.contains("my%20cat"), "{written}");
}

#[test]
fn front_matter_images_get_the_leading_slash_and_only_image_keys_change() {
    let (_dir, source, target) = site_pair();
    png(&source.join("assets/pic.png"), 5);
    let text = "---\ntitle: T\ndate: 2025-11-30\nimage: assets/pic.png\ncaption: assets/pic.png\nheader:\n  teaser: assets/pic.png\n  note: assets/pic.png\ngallery_images:\n  - assets/pic.png\nalso: [assets/pic.png]\n---\n![x](assets/pic.png)\n";
    let post = source.join("_posts/p.md");
    std::fs::write(&post, text).unwrap();
    let exported = export_to_site(&post, &target, false, false).unwrap();
    let name = exported.images[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let new = format!("/assets/images/{name}");
    let expected = format!(
        "---\ntitle: T\ndate: 2025-11-30\nimage: {new}\ncaption: assets/pic.png\nheader:\n  teaser: {new}\n  note: assets/pic.png\ngallery_images:\n  - {new}\nalso: [assets/pic.png]\n---\n![x]({new})\n"
    );
    assert_eq!(std::fs::read_to_string(&exported.path).unwrap(), expected);
}

#[test]
fn a_failed_export_removes_the_images_it_copied() {
    let (_dir, source, target) = site_pair();
    png(&source.join("assets/a.png"), 1);
    png(&source.join("assets/b.png"), 2);
    let post = source.join("_posts/p.md");
    std::fs::write(
        &post,
        "---\ntitle: T\ndate: 2025-11-30\n---\n![a](/assets/a.png) ![b](/assets/b.png)\n",
    )
    .unwrap();
    // A folder where the post would go makes the final write fail.
    std::fs::create_dir_all(target.join("_posts/2025-11-30-t.md")).unwrap();
    let err = export_to_site(&post, &target, false, true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a regular file"), "{err}");
    let left = std::fs::read_dir(target.join("assets/images")).map_or(0, |d| d.count());
    assert_eq!(left, 0, "copied images removed");
}

#[test]
fn sanitize_drops_scripts_and_javascript_links() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Hi <script>alert(1)</script> <b onclick=\"steal()\">bold</b>\n\n[x](javascript:alert(2)) <a href=\"jav&#x61;script:alert(3)\">y</a> <a href=\"https://ok.example\">ok</a>\n\n<iframe src=\"https://evil.example\"></iframe>\n";
    std::fs::write(
        dir.path().join("p.md"),
        format!("---\ntitle: T\ndate: 2025-11-30\n---\n{body}"),
    )
    .unwrap();
    let plain = byline(&["export", "p.md", "--html", "plain"], dir.path());
    assert!(plain.status.success());
    let page = std::fs::read_to_string(dir.path().join("plain/p.html")).unwrap();
    assert!(
        page.contains("<script>alert(1)</script>"),
        "raw HTML is kept as written without --sanitize"
    );
    let clean = byline(
        &["export", "p.md", "--html", "clean", "--sanitize"],
        dir.path(),
    );
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    let page = std::fs::read_to_string(dir.path().join("clean/p.html")).unwrap();
    // The description meta tag holds the first paragraph as escaped text; the markup is the body.
    let lower = page[page.find("<body>").unwrap()..].to_ascii_lowercase();
    assert!(!page.to_ascii_lowercase().contains("<script"), "{page}");
    for bad in [
        "<script",
        "onclick",
        "javascript:",
        "jav&#x61;script",
        "<iframe",
    ] {
        assert!(!lower.contains(bad), "{bad} left in {page}");
    }
    assert!(
        page.contains("<b>bold</b>") && page.contains("https://ok.example"),
        "{page}"
    );
}

#[test]
fn a_page_that_is_a_link_out_of_the_output_folder_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(dir.path().join("keep.txt"), dir.path().join("out/p.html")).unwrap();
    std::fs::write(dir.path().join("p.md"), POST).unwrap();
    let out = byline(&["export", "p.md", "--html", "out", "--force"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("leads outside the output folder"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn an_html_post_exported_beside_itself_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let post = POST.replace("Body.", "<p>Hand-written HTML post.</p>");
    std::fs::write(dir.path().join("p.html"), &post).unwrap();
    for force in [&[][..], &["--force"]] {
        let mut args = vec!["export", "p.html", "--html", "."];
        args.extend_from_slice(force);
        let out = byline(&args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{force:?}");
        assert!(
            text(&out.stderr).contains("is the post itself"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("p.html")).unwrap(),
            post
        );
    }
}

#[test]
fn a_fifo_named_config_never_blocks_new() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("_config.yml"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(["new", "--title", "T", "--date", "2025-11-30", "--dir", "."])
        .current_dir(dir.path())
        .env_remove("BYLINE_AUTHOR")
        .env("XDG_CONFIG_HOME", dir.path().join(".config"))
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    wait_or_fail(&mut child, "byline new with a FIFO _config.yml");
    assert!(dir.path().join("2025-11-30-t.md").is_file());
}

#[test]
fn sanitize_keeps_what_markdown_makes_and_embedded_images() {
    let dir = tempfile::tempdir().unwrap();
    png(&dir.path().join("pic.png"), 8);
    let body = "- [x] done\n\nA note[^1].\n\n![p](pic.png) <img src=\"pic.png\">\n\n<svg><animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg> <a href=\"data:text/html,<script>alert(1)</script>\">d</a>\n\n[^1]: Footnote.\n";
    std::fs::write(
        dir.path().join("p.md"),
        format!("---\ntitle: T\ndate: 2025-11-30\n---\n{body}"),
    )
    .unwrap();
    let out = byline(
        &["export", "p.md", "--html", "out", "--sanitize"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(dir.path().join("out/p.html")).unwrap();
    let body = &page[page.find("<body>").unwrap()..];
    assert!(body.contains("type=\"checkbox\""), "{body}");
    assert!(body.contains("class=\"footnote-definition\""), "{body}");
    assert_eq!(
        body.matches("src=\"data:image/gif;byline-image=0;").count(),
        2,
        "{body}"
    );
    assert!(
        !body.contains("javascript:") && !body.contains("data:text"),
        "{body}"
    );
    assert!(!body.contains("<animate"), "{body}");
}
