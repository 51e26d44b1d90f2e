//! Byline's theme rendering measured against Jekyll itself: the real sites in ../shared/sites
//! (read in place, built from temporary copies) and the small sites of
//! tests/fixtures/theme-sites are built once each by `jekyll build`; every post is rendered by
//! `ThemeSite::render_post` and compared with Jekyll's page at the post's URL — the visible text,
//! the headings, links and images, the `<head>` tags of jekyll-seo-tag and jekyll-feed, the rules
//! of the compiled stylesheets, and the pixels of both pages in headless Chromium at 1280 px.
//!
//! Floors: ≥ 98 % of the visible words equal for every post, every compiled CSS rule present,
//! ≤ 3 % of the pixels differing, and Jekyll's title, description, canonical link, Open Graph
//! tags and feed link in each page's `<head>`. The per-post table is printed (see it with
//! `--nocapture`) and written to `$CARGO_TARGET_TMPDIR/theme-compare/report.txt`, beside the
//! screenshots and both pages of each post that differs. `BYLINE_COMPARE_SITES=rules,tale`
//! narrows a run. Time: one `jekyll build` per site (all at once), then, for each post whose
//! page is not byte-identical to Jekyll's, two Chromium runs (plus two per site for the page
//! heights), 1.5–4 s each on 2 busy cores: about 1–2 minutes for minima, tale and the fixtures.

use crate::common::{in_ci, report_skip, shared_dir_or_skip};
use crate::theme_support::{
    LocalServer, PageFacts, below_mount, built_file, copy_tree, css_rules, differing_pixel_share,
    find_chromium, jekyll_missing, list_difference, measuring_page, missing_rules, page_facts,
    page_heights, screenshot, spawn_jekyll_build, static_file, word_share,
};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

const TEST: &str = "byline_renders_posts_as_jekyll_builds_them";
const TEXT_FLOOR: f64 = 0.98;
const PIXEL_CEILING: f64 = 0.03;

/// What Jekyll says about the site and each published post: the baseurl, then path and URL.
const LISTING_PAGE: &str = "byline-compare-listing.txt";
const LISTING: &str = "---\nlayout: null\n---\nbaseurl\t{{ site.baseurl }}\n{% for p in site.posts %}{{ p.path }}\t{{ p.url }}\n{% endfor %}";

struct SiteCase {
    name: String,
    /// The site as given (read only).
    original: PathBuf,
    /// minima and tale: the head tags are a floor there.
    shared: bool,
}

fn site_cases() -> Vec<SiteCase> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme-sites");
    let mut cases: Vec<SiteCase> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("_config.yml").is_file())
        .map(|p| SiteCase {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            original: p,
            shared: false,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    // `BYLINE_COMPARE_SITES=rules,tale` narrows a run to some sites while working on them.
    let only: Option<Vec<String>> = std::env::var("BYLINE_COMPARE_SITES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    cases.retain(|c| wanted(&c.name));
    if !["minima", "tale"].iter().any(|n| wanted(n)) {
        return cases;
    }
    if let Some(shared) = shared_dir_or_skip("sites", TEST) {
        for name in ["tale", "minima"] {
            if !wanted(name) {
                continue;
            }
            cases.insert(
                0,
                SiteCase {
                    name: name.into(),
                    original: shared.join(name),
                    shared: true,
                },
            );
        }
    }
    cases
}

/// One post's measurements.
#[derive(Default)]
struct Row {
    site: String,
    post: String,
    url: String,
    words: usize,
    text_share: f64,
    text_differences: Vec<String>,
    list_differences: Vec<String>,
    head_differences: Vec<String>,
    head_floor: bool,
    css_total: usize,
    css_missing: Vec<String>,
    pixel_share: Option<f64>,
    /// HTML and compiled stylesheets byte-identical to Jekyll's (then no screenshot is taken).
    identical: bool,
    notes: Vec<String>,
}

struct Rendered {
    post: String,
    url: String,
    jekyll_html: String,
    byline: byline::theme::RenderedPage,
}

fn slug(url: &str) -> String {
    let s: String = url
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.trim_matches('-').to_string()
}

#[test]
fn byline_renders_posts_as_jekyll_builds_them() {
    if let Some(reason) = jekyll_missing() {
        assert!(!in_ci(), "CI=true but {reason}");
        report_skip(TEST, &reason);
        return;
    }
    let browser = find_chromium();
    if browser.is_none() {
        let reason = "Chromium is not installed: no pixel comparison (.ci/run installs it)";
        assert!(!in_ci(), "CI=true but {reason}");
        report_skip(TEST, reason);
    }
    let started = Instant::now();
    let temp = tempfile::tempdir().unwrap();
    let report_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("theme-compare");
    let _ = std::fs::remove_dir_all(&report_dir);
    std::fs::create_dir_all(&report_dir).unwrap();

    // One `jekyll build` per site, all started together.
    let cases = site_cases();
    let mut builds = Vec::new();
    for case in &cases {
        let source = temp.path().join("src").join(&case.name);
        copy_tree(&case.original, &source);
        std::fs::write(source.join(LISTING_PAGE), LISTING).unwrap();
        let destination = temp.path().join("out").join(&case.name);
        let child = spawn_jekyll_build(&source, &destination);
        builds.push((case, source, destination, child));
    }
    let mut sites = Vec::new();
    for (case, source, destination, child) in builds {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "jekyll build of {} failed:\n{}{}",
            case.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        sites.push((case, source, destination));
    }
    let jekyll_seconds = started.elapsed().as_secs_f64();

    let mut rows: Vec<Row> = Vec::new();
    let mut render_ms = Vec::new();
    let mut chromium_seconds = 0.0;
    let mut chromium_runs = 0;
    let mut chromium_slowest: Vec<(std::time::Duration, String)> = Vec::new();
    for (case, source, destination) in &sites {
        let listing = std::fs::read_to_string(destination.join(LISTING_PAGE)).unwrap();
        let mut lines = listing.lines().filter(|l| !l.trim().is_empty());
        let baseurl = lines
            .next()
            .and_then(|l| l.strip_prefix("baseurl\t"))
            .unwrap()
            .trim()
            .to_string();
        let posts: Vec<(String, String)> = lines
            .map(|l| {
                let (path, url) = l.split_once('\t').unwrap();
                (path.to_string(), url.to_string())
            })
            .collect();
        assert!(!posts.is_empty(), "{}: Jekyll lists no post", case.name);

        // Byline renders each post from its text, as the editor holds it.
        let open_started = Instant::now();
        let theme_site = byline::theme::ThemeSite::open(source);
        let mut rendered = Vec::new();
        for (post, url) in &posts {
            let text = std::fs::read_to_string(source.join(post)).unwrap();
            let render_started = Instant::now();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                theme_site.render_post(&source.join(post), &text)
            }));
            render_ms.push((
                format!("{}/{post}", case.name),
                render_started.elapsed().as_secs_f64() * 1000.0,
            ));
            let relative = below_mount(&format!("{baseurl}{url}"), &baseurl).unwrap();
            let page = built_file(destination, &relative)
                .unwrap_or_else(|| panic!("{}: Jekyll wrote no page at {url}", case.name));
            let jekyll_html = std::fs::read_to_string(page).unwrap();
            match result {
                Ok(byline) => rendered.push(Rendered {
                    post: post.clone(),
                    url: url.clone(),
                    jekyll_html,
                    byline,
                }),
                Err(_) => rows.push(Row {
                    site: case.name.clone(),
                    post: post.clone(),
                    url: url.clone(),
                    notes: vec!["render_post panicked".into()],
                    head_floor: true,
                    ..Row::default()
                }),
            }
        }
        let _ = open_started;

        // Stylesheets: Jekyll's compiled ones (a .css beside a .scss/.sass source with front
        // matter), by site path.
        let mut jekyll_css: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for page in &rendered {
            for href in page_facts(&page.jekyll_html).stylesheets {
                let Some(relative) = below_mount(&href, &baseurl) else {
                    continue;
                };
                if jekyll_css.contains_key(&relative) {
                    continue;
                }
                let stem = relative.trim_end_matches(".css");
                let compiled = ["scss", "sass"]
                    .iter()
                    .any(|ext| source.join(format!("{stem}.{ext}")).is_file());
                if compiled && let Ok(css) = std::fs::read_to_string(destination.join(&relative)) {
                    jekyll_css.insert(relative, css_rules(&css));
                }
            }
        }

        let site_row_start = rows.len();
        for page in &rendered {
            let jekyll = page_facts(&page.jekyll_html);
            let ours = page_facts(&page.byline.html);
            rows.push(compare_page(
                case,
                &baseurl,
                page,
                &jekyll,
                &ours,
                &jekyll_css,
            ));
        }

        // A page whose HTML and compiled stylesheets are Jekyll's bytes is drawn identically
        // (the same browser, the same static files): no screenshot needed. The others are
        // kept beside the report, with their screenshots.
        let shots = report_dir.join(&case.name);
        std::fs::create_dir_all(&shots).unwrap();
        let identical: Vec<bool> = rendered
            .iter()
            .map(|page| {
                page.byline.html == page.jekyll_html
                    && jekyll_css.keys().all(|path| {
                        page.byline.generated.iter().any(|file| {
                            file.site_path.trim_start_matches('/') == path
                                && std::fs::read(destination.join(path))
                                    .is_ok_and(|bytes| bytes == file.text.as_bytes())
                        })
                    })
            })
            .collect();
        for ((page, row), same) in rendered
            .iter()
            .zip(rows.iter_mut().skip(site_row_start))
            .zip(&identical)
        {
            row.identical = *same;
            if *same {
                row.pixel_share = Some(0.0);
            } else {
                let name = slug(&page.url);
                std::fs::write(shots.join(format!("{name}-jekyll.html")), &page.jekyll_html)
                    .unwrap();
                std::fs::write(shots.join(format!("{name}-byline.html")), &page.byline.html)
                    .unwrap();
            }
        }

        // Pixels: both trees served at the baseurl, every other post screenshot at 1280 px wide.
        if let Some(browser) = &browser
            && identical.iter().any(|same| !same)
        {
            let chromium_started = Instant::now();
            let request_paths: Vec<String> = rendered
                .iter()
                .zip(&identical)
                .filter(|(_, same)| !**same)
                .map(|(p, _)| format!("{baseurl}{}", p.url))
                .collect();
            let measure = "/__byline_measure.html".to_string();
            let mut jekyll_pages = HashMap::new();
            jekyll_pages.insert(measure.clone(), measuring_page(&request_paths));
            let jekyll_root = destination.clone();
            let jekyll_base = baseurl.clone();
            let jekyll_server = LocalServer::start(
                jekyll_pages,
                Box::new(move |path| {
                    let relative = below_mount(path, &jekyll_base)?;
                    std::fs::read(built_file(&jekyll_root, &relative)?).ok()
                }),
            );
            let mut byline_pages = HashMap::new();
            byline_pages.insert(measure.clone(), measuring_page(&request_paths));
            for page in &rendered {
                byline_pages.insert(
                    format!("{baseurl}{}", page.url),
                    page.byline.html.clone().into_bytes(),
                );
                for file in &page.byline.generated {
                    byline_pages.insert(
                        format!("{baseurl}/{}", file.site_path.trim_start_matches('/')),
                        file.text.clone().into_bytes(),
                    );
                }
            }
            let byline_root = source.clone();
            let byline_base = baseurl.clone();
            let byline_server = LocalServer::start(
                byline_pages,
                Box::new(move |path| static_file(&byline_root, &below_mount(path, &byline_base)?)),
            );
            let ((jekyll_heights, jekyll_took), (byline_heights, byline_took)) =
                std::thread::scope(|scope| {
                    let j = scope.spawn(|| page_heights(browser, &jekyll_server, &measure));
                    let b = scope.spawn(|| page_heights(browser, &byline_server, &measure));
                    (j.join().unwrap(), b.join().unwrap())
                });
            chromium_slowest.push((jekyll_took, format!("{}: heights, Jekyll", case.name)));
            chromium_slowest.push((byline_took, format!("{}: heights, Byline", case.name)));
            chromium_runs += 2;
            for ((page, row), same) in rendered
                .iter()
                .zip(rows.iter_mut().skip(site_row_start))
                .zip(&identical)
            {
                if *same {
                    continue;
                }
                let path = format!("{baseurl}{}", page.url);
                let height = jekyll_heights
                    .get(&path)
                    .copied()
                    .max(byline_heights.get(&path).copied())
                    .unwrap_or(800)
                    .clamp(200, 16000);
                let name = slug(&page.url);
                let jekyll_png = shots.join(format!("{name}-jekyll.png"));
                let byline_png = shots.join(format!("{name}-byline.png"));
                let (jekyll_took, byline_took) = std::thread::scope(|scope| {
                    let j = scope.spawn(|| {
                        screenshot(browser, &jekyll_server.url(&path), height, &jekyll_png)
                    });
                    let b = scope.spawn(|| {
                        screenshot(browser, &byline_server.url(&path), height, &byline_png)
                    });
                    (j.join().unwrap(), b.join().unwrap())
                });
                chromium_slowest.push((jekyll_took, format!("{path}: Jekyll")));
                chromium_slowest.push((byline_took, format!("{path}: Byline")));
                chromium_runs += 2;
                row.pixel_share = Some(differing_pixel_share(&jekyll_png, &byline_png));
                if jekyll_heights.get(&path) != byline_heights.get(&path) {
                    row.notes.push(format!(
                        "page height Jekyll {:?} px, Byline {:?} px",
                        jekyll_heights.get(&path),
                        byline_heights.get(&path)
                    ));
                }
            }
            chromium_seconds += chromium_started.elapsed().as_secs_f64();
        }
    }

    // The table, the details and the verdict.
    let mut table = String::new();
    writeln!(
        table,
        "{:<8} {:<58} {:>6} {:>8} {:>8} {:>7} {:>11} {:>6} {:>6}",
        "site", "post", "words", "text %", "pixel %", "head ok", "CSS missing", "lists", "bytes"
    )
    .unwrap();
    let mut failures = Vec::new();
    for row in &rows {
        let head_ok = row.head_differences.is_empty();
        writeln!(
            table,
            "{:<8} {:<58} {:>6} {:>8.2} {:>8} {:>7} {:>11} {:>6} {:>6}",
            row.site,
            row.post,
            row.words,
            row.text_share * 100.0,
            row.pixel_share
                .map_or("-".to_string(), |p| format!("{:.2}", p * 100.0)),
            if head_ok { "yes" } else { "NO" },
            format!("{}/{}", row.css_missing.len(), row.css_total),
            if row.list_differences.is_empty() {
                "same"
            } else {
                "DIFF"
            },
            if row.identical { "same" } else { "differ" },
        )
        .unwrap();
        let who = format!("{}/{}", row.site, row.post);
        if row.text_share < TEXT_FLOOR {
            failures.push(format!(
                "{who}: {:.2} % of the visible words equal (floor {:.0} %)",
                row.text_share * 100.0,
                TEXT_FLOOR * 100.0
            ));
        }
        if !row.css_missing.is_empty() {
            failures.push(format!(
                "{who}: {} of {} compiled CSS rules missing",
                row.css_missing.len(),
                row.css_total
            ));
        }
        if let Some(share) = row.pixel_share
            && share > PIXEL_CEILING
        {
            failures.push(format!(
                "{who}: {:.2} % of the pixels differ (ceiling {:.0} %)",
                share * 100.0,
                PIXEL_CEILING * 100.0
            ));
        }
        if row.head_floor && !head_ok {
            failures.push(format!("{who}: <head> differs from Jekyll's"));
        }
        if row.notes.iter().any(|n| n.contains("panicked")) {
            failures.push(format!("{who}: render_post panicked"));
        }
    }
    let mut details = String::new();
    for row in &rows {
        let mut lines = Vec::new();
        lines.extend(row.text_differences.iter().map(|t| format!("text: {t}")));
        lines.extend(row.list_differences.iter().cloned());
        lines.extend(row.head_differences.iter().map(|d| format!("head: {d}")));
        lines.extend(
            row.css_missing
                .iter()
                .take(5)
                .map(|r| format!("CSS missing: {r}")),
        );
        if row.css_missing.len() > 5 {
            lines.push(format!("CSS missing: … {} more", row.css_missing.len() - 5));
        }
        lines.extend(row.notes.iter().cloned());
        if !lines.is_empty() {
            writeln!(details, "\n{}/{} ({})", row.site, row.post, row.url).unwrap();
            for line in lines {
                writeln!(details, "  {line}").unwrap();
            }
        }
    }
    let mut timing = format!(
        "\njekyll builds (all sites at once): {jekyll_seconds:.1} s; Chromium: {chromium_runs} runs in {chromium_seconds:.1} s; whole test {:.1} s\n",
        started.elapsed().as_secs_f64()
    );
    chromium_slowest.sort_by_key(|run| std::cmp::Reverse(run.0));
    for (took, what) in chromium_slowest.iter().take(3) {
        writeln!(
            timing,
            "slow Chromium run: {what}: {:.1} s",
            took.as_secs_f64()
        )
        .unwrap();
    }
    for (post, ms) in &render_ms {
        writeln!(timing, "render {post}: {ms:.1} ms").unwrap();
    }
    let legend = "text %: share of the visible words equal (floor 98); pixel %: share of the pixels differing at 1280 px (ceiling 3; 0 without a screenshot when the bytes are the same); head ok: Jekyll's title, description, canonical link, Open Graph tags and feed link; CSS missing: rules of Jekyll's compiled stylesheets not in Byline's (must be 0); lists: headings, links and images; bytes: HTML and compiled stylesheets byte-identical to Jekyll's\n";
    let report = format!(
        "{table}{legend}\nDetails (text: the first changes; lists: the first difference):{details}{timing}"
    );
    let report_path = report_dir.join("report.txt");
    std::fs::write(&report_path, &report).unwrap();
    println!("{report}\nreport and screenshots: {}", report_dir.display());
    assert!(rows.len() >= 3, "only {} posts compared", rows.len());
    assert!(
        failures.is_empty(),
        "Byline's pages are not yet Jekyll's ({} failures; table in {}):\n{}\n\n{table}",
        failures.len(),
        report_path.display(),
        failures.join("\n")
    );
}

fn compare_page(
    case: &SiteCase,
    baseurl: &str,
    page: &Rendered,
    jekyll: &PageFacts,
    ours: &PageFacts,
    jekyll_css: &BTreeMap<String, Vec<String>>,
) -> Row {
    let (text_share, text_differences) = word_share(&jekyll.words, &ours.words, 8);
    let mut row = Row {
        site: case.name.clone(),
        post: page.post.clone(),
        url: page.url.clone(),
        words: jekyll.words.len(),
        text_share,
        text_differences,
        // The SEO and feed tags are a floor on minima and tale, and on any site whose page
        // Jekyll gave them.
        head_floor: case.shared || page.jekyll_html.contains("Jekyll SEO tag"),
        ..Row::default()
    };
    row.list_differences.extend(
        [
            list_difference("heading", &jekyll.headings, &ours.headings),
            list_difference("link", &jekyll.links, &ours.links),
            list_difference("image", &jekyll.images, &ours.images),
        ]
        .into_iter()
        .flatten(),
    );
    row.head_differences = ours.head.differences(&jekyll.head);
    if page.byline.url != page.url {
        row.notes.push(format!(
            "RenderedPage.url {:?}, Jekyll's {:?}",
            page.byline.url, page.url
        ));
    }
    for problem in &page.byline.problems {
        row.notes.push(format!(
            "problem: {}: {:?}",
            problem.file, problem.diagnostic
        ));
    }
    // Every compiled stylesheet the Jekyll page links, against Byline's file at the same path.
    for href in &jekyll.stylesheets {
        let Some(relative) = below_mount(href, baseurl) else {
            continue;
        };
        let Some(expected) = jekyll_css.get(&relative) else {
            continue;
        };
        row.css_total += expected.len();
        match page
            .byline
            .generated
            .iter()
            .find(|f| f.site_path.trim_start_matches('/') == relative)
        {
            Some(file) => row
                .css_missing
                .extend(missing_rules(expected, &css_rules(&file.text))),
            None => {
                row.notes
                    .push(format!("no generated stylesheet {relative}"));
                row.css_missing.extend(expected.iter().cloned());
            }
        }
        if !ours.stylesheets.contains(href) {
            row.notes.push(format!("the page does not link {href}"));
        }
    }
    row
}
