//! The command line, run as a user runs it, on temp copies of posts.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn byline(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(args)
        .current_dir(dir)
        .env("BYLINE_AUTHOR", "Test Author")
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn copy_sample(name: &str, dir: &Path) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(common::sample_posts_dir().join(name), &to).unwrap();
    to
}

const SEED: &str = "2025-11-30-ukraine-talks-productive-but-more-work-needed-rubio-says.md";
const BROKEN: &str = "2025-11-26-broken-front-matter.md";

#[test]
fn check_reports_path_line_col_and_exits_1_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = copy_sample(BROKEN, dir.path());
    copy_sample(SEED, dir.path());
    std::fs::write(dir.path().join("notes.txt"), "---\nnot: [checked\n").unwrap();
    std::fs::create_dir(dir.path().join("_drafts")).unwrap();
    std::fs::write(
        dir.path().join("_drafts/d.markdown"),
        "---\ndate: 2025-02-30\n---\n",
    )
    .unwrap();
    let out = byline(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("./2025-11-26-broken-front-matter.md:"),
        "{text}"
    );
    assert!(lines[0].contains(": error: "), "{text}");
    assert!(
        lines[1].starts_with("./_drafts/d.markdown:2:1: error: invalid date `2025-02-30`"),
        "{text}"
    );
    let clean = byline(&["check", SEED], dir.path());
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(stdout(&clean), "");
    assert!(broken.exists());
}

#[test]
fn check_exits_0_with_only_warnings() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample("2025-11-25-dates-and-types.md", dir.path());
    let out = byline(&["check", "2025-11-25-dates-and-types.md"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains(":8:1: warning: duplicate key `redirect_from` on lines 7 and 8"),
        "{text}"
    );
    assert!(
        text.contains(":5:1: warning: `published: \"false\"` is a string"),
        "{text}"
    );
}

#[test]
fn show_json_gives_front_matter_with_dates_as_text_and_the_body() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(SEED, dir.path());
    let out = byline(&["show", SEED, "--json"], dir.path());
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["front_matter"]["date"], "2025-11-30T23:24:20");
    assert_eq!(
        json["front_matter"]["categories"],
        serde_json::json!(["News"])
    );
    assert_eq!(json["front_matter"]["tags"], serde_json::json!([]));
    let keys: Vec<&String> = json["front_matter"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "layout",
            "title",
            "date",
            "author",
            "categories",
            "tags",
            "excerpt",
            "image"
        ]
    );
    assert!(
        json["body"]
            .as_str()
            .unwrap()
            .starts_with("\nLet's dive into the details")
    );
}

#[test]
fn set_changes_only_the_given_fields_and_reads_values_as_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(SEED, dir.path());
    let before = std::fs::read_to_string(&path).unwrap();
    let out = byline(
        &["set", SEED, "tags=[a, b]", "published=false", "title=2024"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&path).unwrap();
    let expected = before
        .replace("tags: []\n", "tags: [a, b]\n")
        .replace(
            "title: \"New: Ukraine talks 'productive' but more work needed, Rubio says\"",
            // Issue 10.7: a text field takes the text typed, so `2024` stays a string.
            "title: \"2024\"",
        )
        .replace("jpg\n---\n", "jpg\npublished: false\n---\n");
    assert_eq!(after, expected);
    let as_string = byline(
        &["set", SEED, "--string", "title=2024", "author=yes"],
        dir.path(),
    );
    assert!(as_string.status.success());
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("\ntitle: \"2024\"\n"), "{after}");
    assert!(after.contains("\nauthor: \"yes\"\n"), "{after}");
    let colon = byline(&["set", SEED, "title=Breaking: news"], dir.path());
    assert!(colon.status.success());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\ntitle: \"Breaking: news\"\n")
    );
    let dates = byline(&["set", SEED, "date=2025-12-01 08:00:00 +0100"], dir.path());
    assert!(dates.status.success());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\ndate: 2025-12-01 08:00:00 +0100\n")
    );
}

#[test]
fn set_refuses_and_leaves_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = copy_sample(BROKEN, dir.path());
    let before = std::fs::read(&broken).unwrap();
    let out = byline(&["set", BROKEN, "title=Fixed"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2025-11-26-broken-front-matter.md:"), "{err}");
    assert_eq!(std::fs::read(&broken).unwrap(), before);

    let seed = copy_sample(SEED, dir.path());
    let before = std::fs::read(&seed).unwrap();
    for bad in [
        vec!["set", SEED, "tags=[a, b"],
        vec!["set", SEED, "title=ok", "date=2025-02-30"],
        vec!["set", SEED, "no-equals"],
    ] {
        let out = byline(&bad, dir.path());
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        assert_eq!(std::fs::read(&seed).unwrap(), before, "{bad:?}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "no temp files may be left behind");
}

#[test]
fn new_writes_a_dated_post_from_the_template_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("_posts")).unwrap();
    let out = byline(
        &[
            "new",
            "--title",
            "Café: Über alles!",
            "--date",
            "2025-12-01 10:00:00 +0100",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "_posts/2025-12-01-cafe-uber-alles.md");
    let text =
        std::fs::read_to_string(dir.path().join("_posts/2025-12-01-cafe-uber-alles.md")).unwrap();
    assert_eq!(
        text,
        "---\nlayout: post\ntitle: \"Café: Über alles!\"\ndate: 2025-12-01 10:00:00 +0100\nauthor: \"Test Author\"\ncategories: []\ntags: []\n---\n\n"
    );
    let again = byline(
        &[
            "new",
            "--title",
            "Café: Über alles!",
            "--date",
            "2025-12-01 10:00:00 +0100",
        ],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_posts/2025-12-01-cafe-uber-alles.md")).unwrap(),
        text
    );

    let draft = byline(
        &["new", "--title", "Draft idea", "--draft", "--dir", "."],
        dir.path(),
    );
    assert_eq!(stdout(&draft).trim(), "./draft-idea.md");
    let now = byline(&["new", "--title", "Now"], dir.path());
    let name = stdout(&now).trim().to_string();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(name, format!("_posts/{today}-now.md"));
    let post = byline::fsio::read_post(&dir.path().join(&name)).unwrap();
    let date = post.date().unwrap().unwrap();
    assert!(
        date.offset.is_some(),
        "new posts carry the local UTC offset"
    );
}

#[test]
fn show_and_check_report_unreadable_files_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.md"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let out = byline(&["show", "bin.md", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary content"));
    let missing = byline(&["check", "missing.md"], dir.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(stdout(&missing).contains("missing.md:1:1: error: cannot read missing.md"));
}

#[test]
fn a_folder_named_like_a_command_opens_as_a_site_with_a_path() {
    use clap::Parser as _;
    // `byline ./site` is the folder; `byline site DIR` stays the command.
    let cli = byline::cli::Cli::try_parse_from(["byline", "./site"]).unwrap();
    assert_eq!(cli.file, Some(PathBuf::from("./site")));
    assert!(cli.command.is_none());
    let cli = byline::cli::Cli::try_parse_from(["byline", "site", "blog"]).unwrap();
    assert!(cli.file.is_none());
    assert!(matches!(cli.command, Some(byline::cli::Command::Site(_))));
}
