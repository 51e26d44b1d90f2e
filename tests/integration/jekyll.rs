//! The reference is Jekyll itself: small sites written here (time zones on both sides of UTC,
//! midnight, DST gaps and folds, every permalink style and placeholder, defaults, drafts,
//! future and unpublished posts, folder categories, odd file names) and copies of the real
//! sites in ../shared/sites are built by Jekyll 4.3, and `byline site --json` must agree on
//! which posts are published and on each one's URL, date (instant and offset), categories and
//! tags. The `jekyll build` runs are started together, so the test takes about as long as the
//! slowest one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site to build: its name, `_config.yml`, build flags and files.
struct TestSite {
    name: &'static str,
    config: &'static str,
    flags: &'static [&'static str],
    files: Vec<(&'static str, String)>,
}

fn fm(yaml: &str) -> String {
    format!("---\n{yaml}---\nText.\n")
}

/// Posts whose date and URL depend on the zone: the same texts in every zone site.
fn zone_posts() -> Vec<(&'static str, String)> {
    vec![
        (
            "_posts/2025-11-30-unquoted.md",
            fm("date: 2025-11-30T23:24:20\n"),
        ),
        (
            "_posts/2025-11-30-quoted.md",
            fm("date: \"2025-11-30T23:24:20\"\n"),
        ),
        (
            "_posts/2025-11-30-single.md",
            fm("date: '2025-11-30 23:24:20'\n"),
        ),
        (
            "_posts/2025-11-30-no-seconds.md",
            fm("date: 2025-11-30 23:24\n"),
        ),
        (
            "_posts/2025-11-30-fraction.md",
            fm("date: 2025-11-30 23:24:20.75\n"),
        ),
        (
            "_posts/2025-11-30-qfraction.md",
            fm("date: \"2025-11-30 23:24:20.75\"\n"),
        ),
        (
            "_posts/2025-06-30-utc-midnight.md",
            fm("date: 2025-06-30 23:59:59\n"),
        ),
        (
            "_posts/2025-07-01-local-midnight.md",
            fm("date: \"2025-07-01 00:00:00\"\n"),
        ),
        ("_posts/2025-01-01-date-only.md", fm("date: 2025-02-03\n")),
        (
            "_posts/2025-01-01-offset.md",
            fm("date: 2025-02-03 10:00:00 +0530\n"),
        ),
        (
            "_posts/2025-01-01-offset-hours.md",
            fm("date: 2025-02-03 10:00:00 -3\n"),
        ),
        (
            "_posts/2025-01-01-zulu.md",
            fm("date: 2025-02-03T10:00:00Z\n"),
        ),
        (
            "_posts/2025-01-01-quoted-offset.md",
            fm("date: \"2025-02-03 10:00 +01:00\"\n"),
        ),
        (
            "_posts/2025-03-30-gap-eu.md",
            fm("date: \"2025-03-30 02:30:00\"\n"),
        ),
        (
            "_posts/2025-10-26-fold-eu.md",
            fm("date: \"2025-10-26 02:30:00\"\n"),
        ),
        (
            "_posts/2025-03-09-gap-us.md",
            fm("date: \"2025-03-09 02:30:00\"\n"),
        ),
        (
            "_posts/2025-11-02-fold-us.md",
            fm("date: \"2025-11-02 01:30:00\"\n"),
        ),
        (
            "_posts/2022-09-11-santiago-midnight.md",
            fm("title: no date\n"),
        ),
        (
            "_posts/2025-04-06-fold-nz.md",
            fm("date: \"2025-04-06 02:30:00\"\n"),
        ),
        (
            "_posts/2025-12-31-new-year.md",
            fm("date: 2025-12-31 23:30:00\n"),
        ),
        ("_posts/2025-02-30-rollover.md", fm("title: thirtieth\n")),
    ]
}

fn sites() -> Vec<TestSite> {
    let mut berlin_files = zone_posts();
    berlin_files.extend([
        ("_posts/2025-01-01-pub-no.md", fm("published: no\n")),
        ("_posts/2025-01-01-pub-off.md", fm("published: Off\n")),
        ("_posts/2025-01-01-pub-false.md", fm("published: false\n")),
        (
            "_posts/2025-01-01-pub-string.md",
            fm("published: \"false\"\n"),
        ),
        (
            "_posts/2025-01-01-pub-quoted-no.md",
            fm("published: 'no'\n"),
        ),
        ("_posts/2025-01-01-pub-empty.md", fm("published:\n")),
        ("_posts/2025-01-01-pub-yes.md", fm("published: yes\n")),
        (
            "_posts/2025-01-01-cats.md",
            fm("category: A b\ncategories: c d\ntag: T1\ntags: [x, y]\n"),
        ),
        (
            "_posts/2025-01-02-cat-list.md",
            fm("categories: [Alpha, beta, Alpha]\ntags: one two\n"),
        ),
        (
            "_posts/2025-01-03-cat-single-list.md",
            fm("category: [x, y]\ntags: [2020, z]\n"),
        ),
        (
            "_posts/2025-01-04-num.md",
            fm("categories: 2024\ntags: 7\n"),
        ),
        (
            "blog/tech/_posts/2025-01-03-blog.md",
            fm("categories: Tech\n"),
        ),
        ("blog/_drafts/draft-in-blog.md", fm("title: x\n")),
        ("my_posts/_posts/2025-01-03-quirk.md", fm("title: q\n")),
        ("_posts/sub/2025-01-02-in-sub.md", fm("title: s\n")),
        ("_posts/sub/deeper/2025-01-02-deeper.md", fm("title: d\n")),
        ("_posts/_hidden/2025-01-02-hidden.md", fm("title: h\n")),
        ("_posts/sub/_x/2025-01-02-kept.md", fm("title: k\n")),
        ("_posts/#2025-01-02-hash.md", fm("title: h\n")),
        ("_posts/2025-01-02-backup.md~", fm("title: b\n")),
        ("old/_posts/2025-01-02-excluded.md", fm("title: e\n")),
        ("_posts/notapost.md", fm("title: n\n")),
        ("_posts/2025-1-5-Odd Name!.md", fm("")),
        ("_posts/2025-01-01-v1.2..md", fm("")),
        ("_posts/2025-01-01-text.TXT", fm("")),
        ("_posts/2025-01-01-upper.MD", fm("")),
        ("_posts/2025-01-01-café crème.md", fm("")),
        ("_posts/2025-01-01-html.html", fm("")),
        (
            "_posts/2025-01-01-no-front-matter.md",
            "Just text.\n".into(),
        ),
        (
            "_posts/2025-01-01-unclosed.md",
            "---\ntitle: never closed\n".into(),
        ),
        ("_posts/2025-01-01-broken.md", fm("title: [unclosed\n")),
        ("_posts/2099-01-01-future.md", fm("")),
        ("_posts/2025-01-05-slug.md", fm("slug: Custom Slug!\n")),
        (
            "_posts/2025-01-06-fixed.md",
            fm("permalink: /fixed/:title/\n"),
        ),
        (
            "_posts/2025-01-07-xml.md",
            fm("permalink: /feeds/:slug.xml\n"),
        ),
        ("_posts/2025-01-08-plain.md", fm("permalink: /plain-page\n")),
        ("_posts/special/2025-01-09-special.md", fm("tags: [own]\n")),
        ("_posts/hidden-default/2025-01-09-hidden-default.md", fm("")),
        (
            "_posts/hidden-default/2025-01-10-shown.md",
            fm("published: true\n"),
        ),
        ("_posts/glob/a/2025-01-11-globbed.md", fm("")),
        ("_drafts/plain-draft.md", fm("title: D\n")),
        ("_posts/prec/2025-01-13-typed.md", fm("")),
        (
            "_posts/prec/deeper/2025-01-13-deeper.md",
            fm("tags: [own]\n"),
        ),
        (
            "_posts/2025-01-12-style-in-front-matter.md",
            fm("permalink: pretty\n"),
        ),
        (
            "_posts/2025-01-12-no-categories.md",
            fm("permalink: /:categories/:title\n"),
        ),
    ]);
    let mut auckland_files = zone_posts();
    auckland_files.extend([
        ("_drafts/2025-05-05-dated-draft.md", fm("title: dd\n")),
        ("_drafts/undated-draft.md", fm("categories: [d]\n")),
        (
            "_drafts/front-date-draft.md",
            fm("date: 2025-05-06 12:00:00\n"),
        ),
        ("_posts/2099-01-01-future.md", fm("")),
        ("_posts/2025-01-01-unpublished.md", fm("published: false\n")),
        ("blog/_posts/2025-01-02-blogged.md", fm("")),
    ]);
    let mut custom_files = zone_posts();
    custom_files.extend([
        (
            "_posts/2025-01-01-Mixed Case.md",
            fm("categories: [Über Cat, über cat, Two Words]\n"),
        ),
        ("news/_posts/2021-01-03-week-edge.md", fm("")),
        ("_posts/2020-12-31-year-edge.md", fm("")),
        ("_posts/2025-01-02-path.md", fm("permalink: /p/:path/\n")),
    ]);
    vec![
        TestSite {
            name: "berlin",
            config: "timezone: Europe/Berlin\nexclude: [old]\ndefaults:\n  - scope: {path: \"\"}\n    values: {layout: post}\n  - scope: {path: _posts/special, type: posts}\n    values: {categories: [fromdefault], tags: [dt]}\n  - scope: {path: _posts/hidden-default}\n    values: {published: false}\n  - scope: {path: \"_posts/glob/*\"}\n    values: {permalink: /globbed/:title/}\n  - scope: {path: _posts/prec, type: posts}\n    values: {permalink: /typed/:title/, tags: [typed]}\n  - scope: {path: _posts/prec}\n    values: {permalink: /untyped/:title/, categories: [untyped]}\n  - scope: {path: _posts/prec/deeper}\n    values: {permalink: /deeper/:title/}\n",
            flags: &[],
            files: berlin_files,
        },
        TestSite {
            name: "auckland",
            config: "timezone: Pacific/Auckland\npermalink: pretty\n",
            flags: &["drafts", "future", "unpublished"],
            files: auckland_files,
        },
        TestSite {
            name: "los-angeles",
            config: "timezone: America/Los_Angeles\npermalink: ordinal\n",
            flags: &[],
            files: zone_posts(),
        },
        TestSite {
            name: "kolkata",
            config: "timezone: Asia/Kolkata\npermalink: weekdate\n",
            flags: &[],
            files: zone_posts(),
        },
        TestSite {
            name: "st-johns",
            config: "timezone: America/St_Johns\npermalink: none\n",
            flags: &[],
            files: zone_posts(),
        },
        TestSite {
            name: "santiago",
            config: "timezone: America/Santiago\npermalink: /:year/:month/:day/:hour/:title/\n",
            flags: &[],
            files: zone_posts(),
        },
        TestSite {
            name: "machine-zone",
            config: "collections:\n  posts:\n    permalink: \"/:categories/:slugified_categories/:year/:i_month/:i_day/:short_month/:long_month/:short_year/:w_year/:week/:w_day/:short_day/:long_day/:y_day/:hour:minute:second/:name/:slug/:title/:collection/:month_:day:output_ext\"\npermalink: pretty\n",
            flags: &[],
            files: custom_files,
        },
    ]
}

/// What Jekyll lists for each published post: url, date, categories, tags.
const LISTING: &str = "---\nlayout: null\n---\n{% for p in site.posts %}{{ p.path }}|{{ p.url }}|{{ p.date | date_to_xmlschema }}|{{ p.categories | join: \"\u{1f}\" }}|{{ p.tags | join: \"\u{1f}\" }}\n{% endfor %}";

fn jekyll_available() -> Result<(), String> {
    match Command::new("jekyll").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        _ => Err("jekyll is not installed (apt-get install jekyll ruby-jekyll-feed ruby-jekyll-seo-tag ruby-jekyll-paginate)".into()),
    }
}

fn skip_or_fail(reason: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{reason} (required under CI=true)");
    }
    eprintln!("skipped the Jekyll comparison: {reason}");
}

fn shared_sites() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/sites");
    dir.join("minima/_posts").is_dir().then_some(dir)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// (url, date, categories, tags) per path.
type Listing = BTreeMap<String, (String, String, String, String)>;

fn jekyll_listing(dest: &Path) -> Listing {
    let text = std::fs::read_to_string(dest.join("byline-listing.txt"))
        .unwrap_or_else(|e| panic!("no listing in {}: {e}", dest.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').collect();
            assert_eq!(parts.len(), 5, "{line}");
            (
                parts[0].to_string(),
                (
                    parts[1].to_string(),
                    parts[2].to_string(),
                    parts[3].to_string(),
                    parts[4].to_string(),
                ),
            )
        })
        .collect()
}

/// Byline's published posts, and the paths whose date Jekyll takes from the build time.
fn byline_listing(root: &Path, flags: &[&str]) -> (Listing, Vec<String>) {
    let mut args = vec![
        "site".to_string(),
        root.display().to_string(),
        "--json".into(),
    ];
    args.extend(flags.iter().map(|f| format!("--{f}")));
    let out = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(&args)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut listing = Listing::new();
    let mut build_time = Vec::new();
    for post in json["posts"].as_array().unwrap() {
        if post["published"] != true {
            continue;
        }
        let path = post["path"].as_str().unwrap().to_string();
        let join = |key: &str| {
            post[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join("\u{1f}")
        };
        if post["date"].is_null() {
            build_time.push(path.clone());
        }
        listing.insert(
            path,
            (
                post["url"].as_str().unwrap_or("?").to_string(),
                post["date"].as_str().unwrap_or("?").to_string(),
                join("categories"),
                join("tags"),
            ),
        );
    }
    (listing, build_time)
}

fn compare(name: &str, jekyll: &Listing, byline: &Listing, build_time: &[String]) -> Vec<String> {
    let mut differences = Vec::new();
    for path in jekyll.keys().chain(byline.keys()) {
        match (jekyll.get(path), byline.get(path)) {
            (Some(_), None) => differences.push(format!(
                "{name}: {path}: Jekyll publishes it, Byline says not"
            )),
            (None, Some(_)) => differences.push(format!(
                "{name}: {path}: Byline says published, Jekyll does not publish it"
            )),
            (Some(j), Some(b)) => {
                let (j_url, j_date, j_cats, j_tags) = j;
                let (b_url, b_date, b_cats, b_tags) = b;
                if !build_time.contains(path) {
                    if j_url != b_url {
                        differences
                            .push(format!("{name}: {path}: URL Jekyll {j_url} Byline {b_url}"));
                    }
                    if j_date != b_date {
                        differences.push(format!(
                            "{name}: {path}: date Jekyll {j_date} Byline {b_date}"
                        ));
                    }
                }
                if j_cats != b_cats {
                    differences.push(format!(
                        "{name}: {path}: categories Jekyll {j_cats:?} Byline {b_cats:?}"
                    ));
                }
                if j_tags != b_tags {
                    differences.push(format!(
                        "{name}: {path}: tags Jekyll {j_tags:?} Byline {b_tags:?}"
                    ));
                }
            }
            (None, None) => {}
        }
    }
    differences.sort();
    differences.dedup();
    differences
}

#[test]
fn byline_agrees_with_jekyll_on_what_is_published() {
    if let Err(reason) = jekyll_available() {
        skip_or_fail(&reason);
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let mut builds: Vec<(String, PathBuf, PathBuf, Vec<&str>)> = Vec::new();
    for site in sites() {
        let root = temp.path().join(site.name);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("_config.yml"), site.config).unwrap();
        for (path, text) in &site.files {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        builds.push((
            site.name.to_string(),
            root,
            temp.path().join(format!("{}-out", site.name)),
            site.flags.to_vec(),
        ));
    }
    match shared_sites() {
        Some(shared) => {
            for name in ["minima", "tale"] {
                let root = temp.path().join(name);
                copy_tree(&shared.join(name), &root);
                builds.push((
                    name.to_string(),
                    root,
                    temp.path().join(format!("{name}-out")),
                    Vec::new(),
                ));
            }
        }
        None => skip_or_fail("../shared/sites is missing: minima and tale are not compared"),
    }
    // One `jekyll build` per site, all started at once (each start costs about a second).
    let mut children = Vec::new();
    for (name, root, dest, flags) in &builds {
        std::fs::write(root.join("byline-listing.txt"), LISTING).unwrap();
        let mut command = Command::new("jekyll");
        command
            .arg("build")
            .arg("-q")
            .arg("-s")
            .arg(root)
            .arg("-d")
            .arg(dest)
            .args(flags.iter().map(|f| format!("--{f}")))
            .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
            .env("TZ", "UTC")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        children.push((name.clone(), command.spawn().unwrap()));
    }
    for (name, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "jekyll build of {name} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut differences = Vec::new();
    let mut compared = 0;
    for (name, root, dest, flags) in &builds {
        let jekyll = jekyll_listing(dest);
        let (byline, build_time) = byline_listing(root, flags);
        assert!(!jekyll.is_empty(), "{name}: Jekyll published nothing");
        compared += jekyll.len();
        differences.extend(compare(name, &jekyll, &byline, &build_time));
    }
    assert!(
        differences.is_empty(),
        "Byline and Jekyll differ:\n{}",
        differences.join("\n")
    );
    assert!(compared > 100, "only {compared} posts compared");
}

/// The site checks raise no false alarm on the two real sites.
#[test]
fn real_sites_have_no_false_alarms() {
    let Some(shared) = shared_sites() else {
        skip_or_fail("../shared/sites is missing");
        return;
    };
    for name in ["minima", "tale"] {
        let out = Command::new(env!("CARGO_BIN_EXE_byline"))
            .args(["site", "--json"])
            .arg(shared.join(name))
            .output()
            .unwrap();
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let posts = json["posts"].as_array().unwrap();
        assert!(posts.len() >= 6, "{name}: {} posts", posts.len());
        for post in posts {
            assert_eq!(
                post["problems"],
                serde_json::json!([]),
                "{name}: {}",
                post["path"]
            );
            assert_eq!(post["published"], true, "{name}: {}", post["path"]);
        }
        assert_eq!(json["site"]["problems"], serde_json::json!([]), "{name}");
    }
}

/// What Byline calls build-breaking does break `jekyll build`, and Byline says so first.
#[test]
fn build_breaking_problems_break_the_jekyll_build() {
    if let Err(reason) = jekyll_available() {
        skip_or_fail(&reason);
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let cases = [
        ("include", "{% include missing.html %}"),
        ("include-relative", "{% include_relative missing.md %}"),
        ("post-url", "{% post_url 2020-01-01-missing %}"),
        ("link", "{% link missing.md %}"),
    ];
    let mut children = Vec::new();
    for (name, body) in cases {
        let root = temp.path().join(name);
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        std::fs::write(root.join("_config.yml"), "title: t\n").unwrap();
        std::fs::write(
            root.join("_posts/2025-01-01-post.md"),
            format!("---\ntitle: t\n---\nText {body}\n"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_byline"))
            .arg("check")
            .arg(root.join("_posts/2025-01-01-post.md"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {text}");
        assert!(
            text.contains("2025-01-01-post.md:4:6: error: ") && text.contains("jekyll build fails"),
            "{name}: {text}"
        );
        let child = Command::new("jekyll")
            .args(["build", "-q", "-s"])
            .arg(&root)
            .arg("-d")
            .arg(temp.path().join(format!("{name}-out")))
            .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        children.push((name, child));
    }
    for (name, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success(), "{name}: jekyll build succeeded");
    }
}
