//! The site commands as a user runs them on temp sites: `byline site --json`, `byline tags`
//! and `categories` (counts and lossless renames), `byline publish`.

use std::path::Path;
use std::process::{Command, Output};

fn byline(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, relative: &str) -> String {
    std::fs::read_to_string(root.join(relative)).unwrap()
}

#[test]
fn site_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "_config.yml",
        "timezone: Europe/Berlin\nbaseurl: /b\n",
    );
    write(
        root,
        "_posts/2025-11-30-hello.md",
        "---\ntitle: Hello\ndate: 2025-11-30T23:24:20\ntags: [a, b]\n---\n",
    );
    write(root, "_drafts/later.md", "---\ntitle: Later\n---\n");
    let out = byline(&["site", ".", "--json"], root);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["site"]["timezone"], "Europe/Berlin");
    assert_eq!(json["site"]["baseurl"], "/b");
    let posts = json["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 2);
    let hello = posts.iter().find(|p| p["title"] == "Hello").unwrap();
    assert_eq!(hello["path"], "_posts/2025-11-30-hello.md");
    assert_eq!(hello["draft"], false);
    assert_eq!(hello["date"], "2025-12-01T00:24:20+01:00");
    assert_eq!(hello["url"], "/2025/12/01/hello.html");
    assert_eq!(hello["published"], true);
    assert_eq!(hello["why_not"], serde_json::Value::Null);
    assert_eq!(hello["categories"], serde_json::json!([]));
    assert_eq!(hello["tags"], serde_json::json!(["a", "b"]));
    let problems = hello["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["line"] == 3 && p["message"].as_str().unwrap().contains("quote it")),
        "{problems:?}"
    );
    let later = posts.iter().find(|p| p["title"] == "Later").unwrap();
    assert_eq!(later["draft"], true);
    assert_eq!(later["published"], false);
    assert_eq!(later["why_not"], "draft");
    let with_drafts = byline(&["site", ".", "--json", "--drafts"], root);
    let json: serde_json::Value = serde_json::from_slice(&with_drafts.stdout).unwrap();
    assert!(
        json["posts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["published"] == true)
    );
    let table = byline(&["site", "."], root);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("/2025/12/01/hello.html"), "{text}");
    assert!(
        text.contains("_posts/2025-11-30-hello.md:3:7: warning:"),
        "{text}"
    );
}

#[test]
fn check_inside_a_site_adds_the_site_checks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_config.yml", "title: t\n");
    write(
        root,
        "_posts/2025-01-01-a.md",
        "---\ntitle: a\n---\n{% include gone.html %}\n",
    );
    let out = byline(&["check", "_posts"], root);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("_posts/2025-01-01-a.md:4:1: error: `{% include gone.html %}`"),
        "{text}"
    );
}

#[test]
fn check_of_a_site_lists_unused_images_and_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_config.yml", "baseurl: /blog\n");
    write(root, "assets/images/used.png", "png");
    write(root, "assets/images/lonely.png", "png");
    write(
        root,
        "_posts/2025-01-01-a.md",
        "---\ntitle: a\n---\n![u]({{ '/assets/images/used.png' | relative_url }})\n![g](/assets/gone.png)\n",
    );
    let out = byline(&["check", "."], root);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("assets/images/lonely.png:1:1: warning: no post or page uses this image"),
        "{text}"
    );
    assert!(!text.contains("used.png"), "{text}");
    assert!(
        text.contains("2025-01-01-a.md:5:1: warning: image `/assets/gone.png` does not exist"),
        "{text}"
    );
}

const FLOW: &str =
    "---\ntitle: Flow # keep\ntags: [rust, \"old\", web] # trailing\n---\nold body\n";
const BLOCK: &str = "---\ntags:\n  - old   # the old one\n  - keep\ntitle: Block\n---\nbody\n";
const SPACES: &str = "---\ntags: one old two\n---\n";
const MERGE: &str = "---\ntags: [old, new]\n---\n";

#[test]
fn tags_are_counted_and_renamed_touching_only_the_tag() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_config.yml", "title: t\n");
    write(root, "_posts/2025-01-01-flow.md", FLOW);
    write(root, "_posts/2025-01-02-block.md", BLOCK);
    write(root, "_posts/2025-01-03-spaces.md", SPACES);
    write(root, "_posts/2025-01-04-merge.md", MERGE);
    write(
        root,
        "_posts/2025-01-05-other.md",
        "---\ntags: [unrelated]\n---\n",
    );
    let counts = byline(&["tags", "."], root);
    let text = String::from_utf8_lossy(&counts.stdout);
    assert!(text.starts_with("     4  old\n"), "{text}");
    assert!(text.contains("     1  unrelated\n"), "{text}");

    let dry = byline(&["tags", ".", "--rename", "old", "new", "--dry-run"], root);
    assert!(dry.status.success());
    let text = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.contains("would change _posts/2025-01-01-flow.md"),
        "{text}"
    );
    assert_eq!(read(root, "_posts/2025-01-01-flow.md"), FLOW);

    let done = byline(&["tags", ".", "--rename", "old", "new"], root);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        read(root, "_posts/2025-01-01-flow.md"),
        FLOW.replace("\"old\"", "\"new\"")
    );
    assert_eq!(
        read(root, "_posts/2025-01-02-block.md"),
        BLOCK.replace("- old   #", "- new   #")
    );
    assert_eq!(
        read(root, "_posts/2025-01-03-spaces.md"),
        SPACES.replace(" old ", " new ")
    );
    let merged = read(root, "_posts/2025-01-04-merge.md");
    assert!(merged.starts_with("---\ntags: [new]\n---\n"), "{merged}");
    assert_eq!(
        read(root, "_posts/2025-01-05-other.md"),
        "---\ntags: [unrelated]\n---\n"
    );
    let counts = byline(&["tags", "."], root);
    let text = String::from_utf8_lossy(&counts.stdout);
    assert!(
        text.starts_with("     4  new\n") && !text.contains("old"),
        "{text}"
    );
}

#[test]
fn a_post_that_cannot_be_parsed_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_config.yml", "title: t\n");
    write(root, "_posts/2025-01-01-ok.md", "---\ntags: [old]\n---\n");
    let broken = "---\ntags: [old\ntitle: x\n---\n";
    write(root, "_posts/2025-01-02-broken.md", broken);
    write(root, "blog/old/_posts/2025-01-03-folder.md", "---\n---\n");
    let out = byline(&["tags", ".", "--rename", "old", "new"], root);
    assert_eq!(out.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        errors.contains("_posts/2025-01-02-broken.md: error:"),
        "{errors}"
    );
    assert_eq!(read(root, "_posts/2025-01-02-broken.md"), broken);
    assert_eq!(
        read(root, "_posts/2025-01-01-ok.md"),
        "---\ntags: [new]\n---\n"
    );
    let categories = byline(&["categories", ".", "--rename", "old", "new"], root);
    assert_eq!(
        categories.status.code(),
        Some(1),
        "a folder category cannot be renamed"
    );
    assert!(String::from_utf8_lossy(&categories.stderr).contains("folder"));
}

#[test]
fn publish_moves_a_draft_with_its_date_and_never_clobbers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "_config.yml", "timezone: Europe/Berlin\n");
    let draft = "---\ntitle: Soon # keep\n---\nBody.\n";
    write(root, "_drafts/soon.md", draft);
    let out = byline(
        &["publish", "_drafts/soon.md", "--date", "2025-07-01 23:30"],
        root,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let published = "_posts/2025-07-01-soon.md";
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .trim_end()
            .ends_with(published)
    );
    assert!(!root.join("_drafts/soon.md").exists());
    assert_eq!(
        read(root, published),
        "---\ntitle: Soon # keep\ndate: 2025-07-01 23:30 +0200\n---\nBody.\n"
    );
    let site = byline(&["site", ".", "--json"], root);
    let json: serde_json::Value = serde_json::from_slice(&site.stdout).unwrap();
    let post = &json["posts"][0];
    assert_eq!(post["url"], "/2025/07/01/soon.html");
    assert_eq!(post["problems"], serde_json::json!([]));

    write(root, "_drafts/soon.md", draft);
    let again = byline(
        &["publish", "_drafts/soon.md", "--date", "2025-07-01 08:00"],
        root,
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(read(root, "_drafts/soon.md"), draft);
    let not_draft = byline(&["publish", published], root);
    assert_eq!(not_draft.status.code(), Some(1));
}

/// `byline check` over a whole real site reports nothing on minima and tale: their includes,
/// layouts and READMEs are not posts, and their posts are fine (no false alarm).
#[test]
fn check_over_the_real_sites_raises_no_false_alarm() {
    let Some(sites) = crate::common::shared_dir_or_skip(
        "sites",
        "check_over_the_real_sites_raises_no_false_alarm",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for name in ["minima", "tale"] {
        let copy = dir.path().join(name);
        let status = Command::new("cp")
            .arg("-r")
            .arg(sites.join(name))
            .arg(&copy)
            .status()
            .unwrap();
        assert!(status.success());
        let output = byline(&["check", "."], &copy);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: {stdout}{stderr}");
        assert_eq!(stdout, "", "{name}: no diagnostics expected");
        assert!(
            stderr.contains(": 0 errors, 0 warnings"),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("checked 0 files"), "{name}: {stderr}");
    }
}
