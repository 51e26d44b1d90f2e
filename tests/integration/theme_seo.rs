//! Byline's `{% seo %}` and `{% feed_meta %}` against what jekyll-seo-tag and jekyll-feed write:
//! for every post and page of the own fixture site (`tests/fixtures/theme-sites/seo`, built
//! twice: as is, and without url, baseurl, title, author and twitter) and for every post of
//! `../shared/sites/minima` and `../shared/sites/tale`.
//!
//! Jekyll builds a copy of each site with one extra page that lists, per post and page, what
//! Jekyll decided (url, title, date, rendered excerpt); Byline then renders the two tags with
//! `site` from the configuration and `page` from the front matter plus those facts, and the
//! output must equal the block Jekyll wrote into the page's `<head>`.

use byline::theme::liquid::{JekyllLiquid, LiquidSetup};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The page Jekyll renders to tell the test what it decided for each post and page.
const FACTS_PAGE: &str = r#"---
layout: null
---
[{% for p in site.posts %}{"path": {{ p.path | jsonify }}, "url": {{ p.url | jsonify }}, "title": {{ p.title | jsonify }}, "date": {{ p.date | date: "%Y-%m-%d %H:%M:%S %z" | jsonify }}, "excerpt": {{ p.excerpt | append: "" | jsonify }}},
{% endfor %}{% for p in site.pages %}{"path": {{ p.path | jsonify }}, "url": {{ p.url | jsonify }}, "title": {{ p.title | jsonify }}, "date": null, "excerpt": null},
{% endfor %}null]
"#;

fn jekyll_available() -> Result<(), String> {
    match Command::new("jekyll").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        _ => Err(
            "jekyll is not installed (apt-get install jekyll ruby-jekyll-feed ruby-jekyll-seo-tag)"
                .into(),
        ),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".jekyll-cache" && entry.file_name() != "_site" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Jekyll's deep merge of configuration hashes (a later file's null keeps the earlier value).
fn deep_merge(base: &mut serde_yaml::Mapping, over: &serde_yaml::Mapping) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(_), serde_yaml::Value::Null) => {}
            (Some(serde_yaml::Value::Mapping(inner)), serde_yaml::Value::Mapping(over_inner)) => {
                deep_merge(inner, over_inner);
            }
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

fn read_yaml(path: &Path) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(path).unwrap();
    match serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap() {
        serde_yaml::Value::Mapping(map) => map,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        other => panic!("{}: not a mapping: {other:?}", path.display()),
    }
}

fn front_matter(path: &Path) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(path).unwrap();
    let Some(rest) = text.strip_prefix("---\n") else {
        return serde_yaml::Mapping::new();
    };
    let end = rest.find("\n---").unwrap();
    match serde_yaml::from_str::<serde_yaml::Value>(&rest[..end]).unwrap() {
        serde_yaml::Value::Mapping(map) => map,
        _ => serde_yaml::Mapping::new(),
    }
}

fn to_liquid(map: &serde_yaml::Mapping) -> liquid::Object {
    liquid::model::to_object(map).unwrap()
}

/// One site built by Jekyll, ready for comparison.
struct BuiltSite {
    name: String,
    source: PathBuf,
    dest: PathBuf,
    config: serde_yaml::Mapping,
    facts: Vec<serde_json::Value>,
    _temp: tempfile::TempDir,
}

fn build(name: &str, site: &Path, extra_config: Option<&str>) -> BuiltSite {
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("src");
    let dest = temp.path().join("out");
    copy_tree(site, &source);
    std::fs::write(source.join("byline-facts.json"), FACTS_PAGE).unwrap();
    let mut config_files = vec!["_config.yml".to_string()];
    if let Some(extra) = extra_config {
        config_files.push(extra.to_string());
    }
    let out = Command::new("jekyll")
        .arg("build")
        .arg("-q")
        .arg("--config")
        .arg(config_files.join(","))
        .arg("-d")
        .arg(&dest)
        .current_dir(&source)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jekyll build of {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut config = serde_yaml::Mapping::new();
    for file in &config_files {
        deep_merge(&mut config, &read_yaml(&source.join(file)));
    }
    let timezone = serde_yaml::Value::from("timezone");
    if !config.contains_key(&timezone) {
        config.insert(timezone, serde_yaml::Value::from("UTC"));
    }
    let authors = source.join("_data/authors.yml");
    if authors.is_file() {
        let mut data = serde_yaml::Mapping::new();
        data.insert(
            "authors".into(),
            serde_yaml::Value::Mapping(read_yaml(&authors)),
        );
        config.insert("data".into(), serde_yaml::Value::Mapping(data));
    }
    let facts_text = std::fs::read_to_string(dest.join("byline-facts.json")).unwrap();
    let facts: Vec<serde_json::Value> = serde_json::from_str::<Vec<serde_json::Value>>(&facts_text)
        .unwrap()
        .into_iter()
        .filter(|fact| !fact.is_null())
        .collect();
    BuiltSite {
        name: name.to_string(),
        source,
        dest,
        config,
        facts,
        _temp: temp,
    }
}

/// The `seo` block and the feed link in a page Jekyll wrote, if it has them.
fn jekyll_blocks(html: &str) -> Option<(String, Option<String>)> {
    let start = html.find("<!-- Begin Jekyll SEO tag")?;
    let end_marker = "<!-- End Jekyll SEO tag -->\n";
    let end = html[start..].find(end_marker)? + start + end_marker.len();
    let feed = html.find("<link type=\"application/atom+xml\"").map(|at| {
        let close = html[at..].find("/>").unwrap() + at + 2;
        html[at..close].to_string()
    });
    Some((html[start..end].to_string(), feed))
}

/// Where Jekyll wrote the page with `url` (without the site's baseurl).
fn output_file(dest: &Path, url: &str, baseurl: &str) -> PathBuf {
    let url = url.strip_prefix(baseurl).unwrap_or(url);
    let relative = url.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        dest.join(relative).join("index.html")
    } else if Path::new(relative).extension().is_none() {
        dest.join(format!("{relative}.html"))
    } else {
        dest.join(relative)
    }
}

/// Compares every page of `site` that has an SEO block; returns the pages compared and the
/// differences.
fn compare_site(site: &BuiltSite, posts_only: bool) -> (usize, Vec<String>) {
    let engine = JekyllLiquid::new(LiquidSetup::default()).unwrap();
    let site_object = to_liquid(&site.config);
    let mut compared = 0;
    let mut differences = Vec::new();
    for fact in &site.facts {
        let path = fact["path"].as_str().unwrap();
        let is_post = path.starts_with("_posts/");
        if posts_only && !is_post {
            continue;
        }
        let url = fact["url"].as_str().unwrap();
        let file = output_file(&site.dest, url, "");
        let Ok(html) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Some((expected_seo, expected_feed)) = jekyll_blocks(&html) else {
            continue;
        };
        if html.contains("rel=\"next\"") || html.contains("rel=\"prev\"") {
            continue; // a paginated index: its paginator is not built here
        }
        let mut page = to_liquid(&front_matter(&site.source.join(path)));
        page.insert("url".into(), liquid::model::Value::scalar(url.to_string()));
        page.insert(
            "path".into(),
            liquid::model::Value::scalar(path.to_string()),
        );
        if let Some(title) = fact["title"].as_str() {
            page.insert(
                "title".into(),
                liquid::model::Value::scalar(title.to_string()),
            );
        }
        if let Some(date) = fact["date"].as_str() {
            let date = liquid::model::DateTime::from_str(date).unwrap();
            page.insert("date".into(), liquid::model::Value::scalar(date));
        }
        if let Some(excerpt) = fact["excerpt"].as_str() {
            page.insert(
                "excerpt".into(),
                liquid::model::Value::scalar(excerpt.to_string()),
            );
        }
        let mut globals = liquid::Object::new();
        globals.insert(
            "site".into(),
            liquid::model::Value::Object(site_object.clone()),
        );
        globals.insert("page".into(), liquid::model::Value::Object(page));
        let (seo, _) = engine
            .render("_layouts/default.html", "{% seo %}", &globals)
            .unwrap();
        let (feed, _) = engine
            .render("_layouts/default.html", "{% feed_meta %}", &globals)
            .unwrap();
        compared += 1;
        if seo != expected_seo {
            differences.push(format!(
                "{} {path}: seo differs\n--- jekyll\n{expected_seo}\n--- byline\n{seo}",
                site.name
            ));
        }
        if let Some(expected_feed) = expected_feed
            && feed != expected_feed
        {
            differences.push(format!(
                "{} {path}: feed_meta differs\n  jekyll: {expected_feed}\n  byline: {feed}",
                site.name
            ));
        }
    }
    (compared, differences)
}

fn skip_or_fail(reason: &str) {
    assert!(!crate::common::in_ci(), "{reason} (required under CI=true)");
    crate::common::report_skip("theme_seo", reason);
}

#[test]
fn seo_and_feed_meta_match_the_plugins_on_the_fixture_site() {
    if let Err(reason) = jekyll_available() {
        skip_or_fail(&reason);
        return;
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme-sites/seo");
    let mut all_differences = Vec::new();
    for (name, extra) in [("seo", None), ("seo-bare", Some("_config_bare.yml"))] {
        let site = build(name, &fixture, extra);
        let (compared, differences) = compare_site(&site, false);
        // five posts, the about page, the home page and the untitled page
        assert_eq!(compared, 8, "{name}: pages with an SEO block compared");
        all_differences.extend(differences);
    }
    assert!(
        all_differences.is_empty(),
        "{}",
        all_differences.join("\n\n")
    );
}

#[test]
fn seo_and_feed_meta_match_the_plugins_on_minima_and_tale_posts() {
    if let Err(reason) = jekyll_available() {
        skip_or_fail(&reason);
        return;
    }
    let Some(sites) = crate::common::shared_dir_or_skip("sites", "theme_seo") else {
        return;
    };
    let mut all_differences = Vec::new();
    for (name, posts) in [("minima", 6), ("tale", 8)] {
        let site = build(name, &sites.join(name), None);
        let (compared, differences) = compare_site(&site, true);
        assert_eq!(compared, posts, "{name}: posts compared");
        all_differences.extend(differences);
    }
    assert!(
        all_differences.is_empty(),
        "{}",
        all_differences.join("\n\n")
    );
}
