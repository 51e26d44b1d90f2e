//! Byline's Liquid against Jekyll's: every page of `tests/fixtures/theme-sites/liquid/probes`
//! (HTML pages, so no Markdown is involved) is rendered by `byline::theme::liquid::JekyllLiquid`
//! and by `jekyll build` on a copy of the site, and the two outputs must be equal byte for byte.
//! The probes cover `include` (parameters, Liquid file names, scope), `include_relative` from a
//! layout, `post_url` and `link` with a `baseurl`, `highlight`, `raw`, whitespace control,
//! undefined variables and an unknown filter.
//!
//! Without a `jekyll` command the comparison is skipped with a reason (it fails under
//! `CI=true`); Byline's side is rendered either way, so the probes must at least render.

use byline::theme::liquid::{JekyllLiquid, LiquidSetup};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme-sites/liquid")
}

/// The front matter (as YAML) and the body of a page.
fn split_front_matter(text: &str) -> (serde_yaml::Value, String) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("front matter end");
    let yaml = serde_yaml::from_str(&rest[..end]).expect("front matter YAML");
    (yaml, rest[end + 5..].to_string())
}

/// `site` and `page` as Jekyll gives them to these probes.
fn globals(page_path: &str, front_matter: &serde_yaml::Value) -> liquid::Object {
    let mut page = liquid::model::to_object(front_matter).unwrap_or_default();
    page.insert(
        "path".into(),
        liquid::model::Value::scalar(page_path.to_string()),
    );
    let mut globals = liquid::object!({
        "site": {
            "title": "Liquid probes",
            "baseurl": "/blog",
            "url": "https://example.org",
        },
    });
    globals.insert("page".into(), liquid::model::Value::Object(page));
    globals
}

fn setup(root: &Path) -> LiquidSetup {
    LiquidSetup {
        site_root: root.to_path_buf(),
        includes_dirs: vec![root.join("_includes")],
        post_urls: HashMap::from([
            (
                "2019-03-04-river-walk".to_string(),
                "/2019/03/04/river-walk.html".to_string(),
            ),
            (
                "news/2020-11-12-village-fair".to_string(),
                "/2020/11/12/village-fair.html".to_string(),
            ),
        ]),
        link_urls: HashMap::from([
            ("sub/notes.md".to_string(), "/sub/notes.html".to_string()),
            (
                "_posts/2019-03-04-river-walk.md".to_string(),
                "/2019/03/04/river-walk.html".to_string(),
            ),
        ]),
        ..LiquidSetup::default()
    }
}

/// Byline's rendering of every probe: name → HTML (the layout applied when there is one).
fn byline_pages(root: &Path) -> Vec<(String, String)> {
    let engine = JekyllLiquid::new(setup(root)).unwrap();
    let mut pages = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("probes"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let page_path = format!("probes/{name}");
        let (front_matter, body) = split_front_matter(&std::fs::read_to_string(&path).unwrap());
        let mut globals = globals(&page_path, &front_matter);
        let (mut html, _problems) = engine
            .render(&page_path, &body, &globals)
            .unwrap_or_else(|problem| panic!("{page_path}: {problem}"));
        if let Some(layout) = front_matter
            .get("layout")
            .and_then(|layout| layout.as_str())
        {
            let layout_path = format!("_layouts/{layout}.html");
            let layout_text = std::fs::read_to_string(root.join(&layout_path)).unwrap();
            globals.insert("content".into(), liquid::model::Value::scalar(html));
            html = engine
                .render(&layout_path, &layout_text, &globals)
                .unwrap_or_else(|problem| panic!("{layout_path}: {problem}"))
                .0;
        }
        pages.push((name, html));
    }
    pages
}

#[test]
fn probes_render_as_jekyll_renders_them() {
    let root = fixture();
    let pages = byline_pages(&root);
    assert_eq!(pages.len(), 7, "the fixture's probes");
    if let Err(reason) = Command::new("jekyll").arg("--version").output() {
        let why = format!("`jekyll` cannot run ({reason})");
        assert!(!crate::common::in_ci(), "CI=true but {why}");
        crate::common::report_skip("theme_liquid", &why);
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("site");
    copy_dir(&root, &copy);
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
    for (name, html) in pages {
        let jekyll = std::fs::read_to_string(copy.join("_site/probes").join(&name)).unwrap();
        assert_eq!(
            html, jekyll,
            "probes/{name}: Byline (left) and Jekyll (right) differ"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every Liquid file of the real sites in ../shared/sites (layouts, includes, posts, pages)
/// renders through Byline's engine without an error and without an unknown tag or filter.
#[test]
fn shared_sites_templates_render_without_problems() {
    let Some(sites) = crate::common::shared_dir_or_skip("sites", "theme_liquid shared sites")
    else {
        return;
    };
    for name in ["minima", "tale"] {
        let root = sites.join(name);
        let config: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(root.join("_config.yml")).unwrap())
                .unwrap();
        // The configuration, plus the collections Jekyll always gives (empty here).
        let mut site = liquid::model::to_object(&config).unwrap();
        for key in ["pages", "posts", "static_files", "html_pages"] {
            site.insert(key.into(), liquid::model::Value::Array(Vec::new()));
        }
        for key in ["data", "categories", "tags"] {
            site.insert(
                key.into(),
                liquid::model::Value::Object(liquid::Object::new()),
            );
        }
        let site = liquid::model::Value::Object(site);
        let engine = JekyllLiquid::new(LiquidSetup {
            site_root: root.clone(),
            includes_dirs: vec![root.join("_includes")],
            ..LiquidSetup::default()
        })
        .unwrap();
        let mut checked = 0;
        for path in crate::common::files_under(&root) {
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let liquid_file = relative.starts_with("_layouts/")
                || relative.starts_with("_includes/")
                || relative.starts_with("_posts/")
                || (!relative.contains('/') && relative.ends_with(".html"));
            if !liquid_file {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let (front_matter, body) = if text.starts_with("---\n") {
                split_front_matter(&text)
            } else {
                (serde_yaml::Value::Null, text)
            };
            let mut globals = globals(&relative, &front_matter);
            globals.insert("site".into(), site.clone());
            globals.insert("content".into(), liquid::model::Value::scalar("<p>x</p>"));
            let (_, problems) = engine
                .render(&relative, &body, &globals)
                .unwrap_or_else(|problem| panic!("{name}: {problem}"));
            assert!(problems.is_empty(), "{name}: {problems:?}");
            checked += 1;
        }
        assert!(checked > 10, "{name}: only {checked} files checked");
    }
}
