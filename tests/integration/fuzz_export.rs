//! A bounded fuzz run of the export path: random titles, slugs, dates and image references
//! (with `..`, absolute paths, URLs, odd characters, percent escapes) and hostile files (a FIFO,
//! a device, links leading out of the site, dangling links, a folder named like an image, a
//! symlinked `assets/` in the target site) never panic, never hang, never write outside the
//! target site, and never touch the source; every export that succeeds is checked, and a
//! reasonable share must succeed.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::files_under as all_files;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("assets/pic.png".to_string()),
        4 => Just("/assets/pic.png".to_string()),
        2 => Just("https://example.com/x.jpg".to_string()),
        2 => Just("assets/inside-link.png".to_string()),
        1 => Just("assets/my%20pic.png".to_string()),
        1 => Just("../outside.png".to_string()),
        1 => Just("../../../../etc/passwd.png".to_string()),
        1 => Just("/tmp/absolute.png".to_string()),
        1 => Just("assets/fifo.png".to_string()),
        1 => Just("assets/device.png".to_string()),
        1 => Just("assets/host.png".to_string()),
        1 => Just("assets/dangling.png".to_string()),
        1 => Just("assets/folder.png".to_string()),
        1 => "[a-z./]{1,20}\\.(png|jpg)",
        1 => "\\PC{1,12}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("2025-11-30".to_string()),
        2 => Just("2025-11-30 10:00:00 +0100".to_string()),
        1 => Just("2025-02-30".to_string()),
        1 => "[0-9: +-]{0,25}",
    ]
}

/// One case's input.
#[derive(Debug, Clone)]
struct Case {
    title: String,
    slug: Option<String>,
    date: String,
    image: String,
    body_image: String,
    draft: bool,
    symlinked_assets: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![3 => "[A-Za-z][A-Za-z ]{0,30}", 1 => "\\PC{0,40}"],
        proptest::option::of("\\PC{0,30}"),
        date(),
        reference(),
        reference(),
        any::<bool>(),
        proptest::bool::weighted(0.15),
    )
        .prop_map(
            |(title, slug, date, image, body_image, draft, symlinked_assets)| Case {
                title,
                slug,
                date,
                image,
                body_image,
                draft,
                symlinked_assets,
            },
        )
}

fn mkfifo(path: &Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn export_stays_inside_the_site() {
    let cases = 300;
    let site_successes = AtomicUsize::new(0);
    let html_successes = AtomicUsize::new(0);
    let runs = AtomicUsize::new(0);
    // A fixed seed: the same cases on every run, so the success shares below are stable.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&case(), |c| {
            runs.fetch_add(1, Ordering::Relaxed);
            let dir = tempfile::tempdir().unwrap();
            let source_root = dir.path().join("src");
            let assets = source_root.join("assets");
            std::fs::create_dir_all(&assets).unwrap();
            image::RgbImage::from_pixel(2, 2, image::Rgb([1, 2, 3]))
                .save(assets.join("pic.png"))
                .unwrap();
            std::fs::copy(assets.join("pic.png"), assets.join("my pic.png")).unwrap();
            std::fs::write(dir.path().join("outside.png"), "secret").unwrap();
            std::os::unix::fs::symlink("pic.png", assets.join("inside-link.png")).unwrap();
            std::os::unix::fs::symlink("/etc/hostname", assets.join("host.png")).unwrap();
            std::os::unix::fs::symlink("/dev/zero", assets.join("device.png")).unwrap();
            std::os::unix::fs::symlink("nowhere.png", assets.join("dangling.png")).unwrap();
            std::fs::create_dir(assets.join("folder.png")).unwrap();
            mkfifo(&assets.join("fifo.png"));
            std::fs::write(source_root.join("_config.yml"), "title: src\n").unwrap();
            let site = dir.path().join("site");
            std::fs::create_dir_all(site.join("_posts")).unwrap();
            let elsewhere = dir.path().join("elsewhere");
            std::fs::create_dir_all(&elsewhere).unwrap();
            if c.symlinked_assets {
                std::os::unix::fs::symlink(&elsewhere, site.join("assets")).unwrap();
            }
            let mut text = format!(
                "---\ntitle: {}\ndate: {}\nimage: {}\n",
                serde_json::to_string(&c.title).unwrap(),
                c.date,
                serde_json::to_string(&c.image).unwrap()
            );
            if let Some(slug) = &c.slug {
                text.push_str(&format!("slug: {}\n", serde_json::to_string(slug).unwrap()));
            }
            text.push_str(&format!("---\n![x]({})\n", c.body_image));
            let source = source_root.join("post.md");
            std::fs::write(&source, &text).unwrap();
            let outside = |_: ()| {
                all_files(dir.path())
                    .into_iter()
                    // Reading the FIFO would block and the device never ends.
                    .filter(|p| {
                        !p.starts_with(&site)
                            && !p.ends_with("fifo.png")
                            && !p.ends_with("device.png")
                    })
                    .map(|p| {
                        let bytes = std::fs::read(&p).ok();
                        (p, bytes)
                    })
                    .collect::<Vec<_>>()
            };
            let outside_before = outside(());
            let site_result = byline::export::export_to_site(&source, &site, c.draft, false);
            let html_result = byline::export::export_html(&source, &site.join("html"));
            prop_assert_eq!(
                &outside_before,
                &outside(()),
                "nothing written outside the site"
            );
            prop_assert_eq!(
                std::fs::read_to_string(&source).unwrap(),
                text.clone(),
                "the source is untouched"
            );
            prop_assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
            if let Ok(exported) = &site_result {
                site_successes.fetch_add(1, Ordering::Relaxed);
                prop_assert!(
                    exported.path.starts_with(&site),
                    "{}",
                    exported.path.display()
                );
                let post = byline::fsio::read_post(&exported.path).unwrap();
                prop_assert!(post.block().is_ok(), "the exported post parses");
                let source_post = byline::fsio::read_post(&source).unwrap();
                prop_assert_eq!(post.text("title"), source_post.text("title"));
                prop_assert_eq!(post.body().contains("![x]("), true);
                for image in &exported.images {
                    prop_assert!(image.starts_with(site.join("assets/images")));
                    prop_assert_eq!(
                        std::fs::read(image).unwrap(),
                        std::fs::read(assets.join("pic.png")).unwrap(),
                        "only the real picture is ever copied"
                    );
                }
            }
            if let Ok(exported) = &html_result {
                html_successes.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(exported.path.clone(), site.join("html/post.html"));
                let page = std::fs::read_to_string(&exported.path).unwrap();
                prop_assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
                prop_assert!(
                    !page.contains("c2VjcmV0"),
                    "the outside file is never embedded"
                );
            }
            for file in all_files(&site) {
                let relative = file
                    .strip_prefix(&site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                prop_assert!(
                    relative.starts_with("_posts/")
                        || relative.starts_with("_drafts/")
                        || relative.starts_with("assets/images/")
                        || relative.starts_with("html/"),
                    "{}",
                    relative
                );
            }
            Ok(())
        })
        .unwrap();
    let runs = runs.load(Ordering::Relaxed);
    let site_ok = site_successes.load(Ordering::Relaxed);
    let html_ok = html_successes.load(Ordering::Relaxed);
    {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "export fuzz: {runs} cases, {site_ok} site exports and {html_ok} HTML pages succeeded"
        );
    }
    // About a quarter of the generated posts are exportable to a site (a valid date, a title,
    // and images that exist inside the site), about a third as HTML.
    assert!(
        site_ok * 6 >= runs,
        "only {site_ok} of {runs} site exports succeeded"
    );
    assert!(
        html_ok * 5 >= runs,
        "only {html_ok} of {runs} HTML exports succeeded"
    );
}
