//! `theme::kramdown::to_html` against Jekyll's own kramdown: copies of the fixture site
//! (tests/fixtures/theme-sites/kramdown) and of ../shared/sites/{minima,tale} are built by
//! `jekyll build` with every layout replaced by `{{ content }}` and Liquid turned off in posts,
//! so each page Jekyll writes is exactly kramdown's HTML for the post's body. Byline's HTML must
//! equal it after normalising the whitespace between tags (the fixture site: byte for byte),
//! Rouge's token spans in code blocks included.

use crate::common::{in_ci, report_skip, shared_dir_or_skip};
use byline::theme::kramdown::{KramdownOptions, to_html};
use std::path::{Path, PathBuf};
use std::process::Command;

const TEST: &str = "theme_kramdown";

/// Lists each post's source path and URL (Liquid stays on for this page).
const LISTING: &str =
    "---\nlayout: null\n---\n{% for p in site.posts %}{{ p.path }}|{{ p.url }}\n{% endfor %}";

/// Turns Liquid off in posts, so their `{% … %}` reaches kramdown as text, as it reaches
/// `to_html` here.
const NO_LIQUID: &str = "defaults:\n  - scope:\n      path: \"\"\n      type: posts\n    values:\n      render_with_liquid: false\n";

fn jekyll_or_skip() -> bool {
    match Command::new("jekyll").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            assert!(!in_ci(), "jekyll is not installed (required under CI=true)");
            report_skip(TEST, "jekyll is not installed");
            false
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "_site" || name == ".jekyll-cache" || name == ".git" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `site` at `root` whose layouts only pass the content through.
fn bare_copy(site: &Path, root: &Path) {
    copy_tree(site, root);
    let layouts = root.join("_layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    for entry in std::fs::read_dir(&layouts).unwrap() {
        std::fs::write(entry.unwrap().path(), "{{ content }}").unwrap();
    }
    std::fs::write(root.join("byline-listing.txt"), LISTING).unwrap();
    std::fs::write(root.join("_byline_no_liquid.yml"), NO_LIQUID).unwrap();
}

/// Starts `jekyll build` of `root` into `dest`.
fn start_build(root: &Path, dest: &Path) -> std::process::Child {
    let config = format!(
        "{},{}",
        root.join("_config.yml").display(),
        root.join("_byline_no_liquid.yml").display()
    );
    Command::new("jekyll")
        .arg("build")
        .arg("-q")
        .arg("-s")
        .arg(root)
        .arg("-d")
        .arg(dest)
        .arg("--config")
        .arg(config)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("TZ", "UTC")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// The post's body as Jekyll hands it to kramdown: what follows the front matter's closing
/// line, without the blank lines right after it (Jekyll's `---\s*$\n?` takes them).
fn body_of(text: &str) -> &str {
    let body = after_front_matter(text);
    let blank_prefix: usize = body
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty() && line.ends_with('\n'))
        .map(str::len)
        .sum();
    &body[blank_prefix..]
}

/// What follows the front matter.
fn after_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---") else {
        return text;
    };
    let Some(first_newline) = rest.find('\n') else {
        return text;
    };
    let mut offset = 3 + first_newline + 1;
    for line in text[offset..].split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return &text[offset..];
        }
    }
    text
}

/// Whitespace between tags removed, other runs of whitespace made one space.
fn normalise(html: &str) -> String {
    let collapsed: String = html.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace("> <", "><").trim().to_string()
}

/// The file Jekyll wrote for `url`.
fn output_file(dest: &Path, url: &str) -> PathBuf {
    let relative = url.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        dest.join(relative).join("index.html")
    } else if Path::new(relative).extension().is_some() {
        dest.join(relative)
    } else {
        dest.join(format!("{relative}.html"))
    }
}

/// How a site's posts compared.
#[derive(Default)]
struct Tally {
    posts: usize,
    exact: usize,
    normalised: usize,
    differences: Vec<String>,
}

/// Compares every post Jekyll listed for the built copy at `root`/`dest`.
fn compare_site(name: &str, root: &Path, dest: &Path, options: &KramdownOptions) -> Tally {
    let listing = std::fs::read_to_string(dest.join("byline-listing.txt"))
        .unwrap_or_else(|e| panic!("{name}: no listing: {e}"));
    let mut tally = Tally::default();
    for line in listing.lines().filter(|l| !l.trim().is_empty()) {
        let (path, url) = line.split_once('|').unwrap();
        let source = std::fs::read_to_string(root.join(path)).unwrap();
        let jekyll = std::fs::read_to_string(output_file(dest, url))
            .unwrap_or_else(|e| panic!("{name}: {url}: {e}"));
        let byline = to_html(body_of(&source), options);
        tally.posts += 1;
        if byline == jekyll {
            tally.exact += 1;
        }
        let (b, j) = (normalise(&byline), normalise(&jekyll));
        if b == j {
            tally.normalised += 1;
        } else {
            let diff = similar::TextDiff::from_lines(&jekyll, &byline)
                .unified_diff()
                .context_radius(1)
                .header("jekyll", "byline")
                .to_string();
            let shown: String = diff.lines().take(60).collect::<Vec<_>>().join("\n");
            tally
                .differences
                .push(format!("{name}: {path} differs:\n{shown}"));
        }
    }
    eprintln!(
        "{TEST}: {name}: {} posts, {} byte-identical, {} equal after normalising whitespace",
        tally.posts, tally.exact, tally.normalised
    );
    tally
}

fn site_options(root: &Path) -> KramdownOptions {
    let text = std::fs::read_to_string(root.join("_config.yml")).unwrap_or_default();
    let config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or(serde_yaml::Value::Null);
    KramdownOptions::from_config(&config)
}

#[test]
fn fixture_posts_match_jekylls_kramdown() {
    if !jekyll_or_skip() {
        return;
    }
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme-sites/kramdown");
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("kramdown");
    let dest = temp.path().join("kramdown-out");
    bare_copy(&site, &root);
    let out = start_build(&root, &dest).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "jekyll build failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let tally = compare_site("fixture", &root, &dest, &site_options(&root));
    assert!(tally.posts >= 5, "Jekyll listed only {} posts", tally.posts);
    assert!(
        tally.differences.is_empty(),
        "{}",
        tally.differences.join("\n\n")
    );
    assert_eq!(
        tally.exact, tally.posts,
        "every fixture post is byte-identical to Jekyll's"
    );
}

#[test]
fn minima_and_tale_posts_match_jekylls_kramdown() {
    if !jekyll_or_skip() {
        return;
    }
    let Some(sites) = shared_dir_or_skip("sites", TEST) else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let mut builds = Vec::new();
    for name in ["minima", "tale"] {
        let root = temp.path().join(name);
        let dest = temp.path().join(format!("{name}-out"));
        bare_copy(&sites.join(name), &root);
        let child = start_build(&root, &dest);
        builds.push((name, root, dest, child));
    }
    let mut total = Tally::default();
    for (name, root, dest, child) in builds {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "jekyll build of {name} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let tally = compare_site(name, &root, &dest, &site_options(&root));
        total.posts += tally.posts;
        total.exact += tally.exact;
        total.normalised += tally.normalised;
        total.differences.extend(tally.differences);
    }
    assert!(
        total.posts >= 14,
        "Jekyll listed only {} posts",
        total.posts
    );
    assert!(
        total.differences.is_empty(),
        "{} of {} posts differ from Jekyll's kramdown after normalising whitespace:\n{}",
        total.differences.len(),
        total.posts,
        total.differences.join("\n\n")
    );
}
