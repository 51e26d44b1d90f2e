//! Times Byline's theme rendering of a minima post beside Jekyll's incremental rebuild of the
//! same site: Byline's first render (site loaded, Sass compiled) and the median re-render after
//! an edit, then `jekyll build --incremental` after touching the same post, and the ratio.
//!
//! `cargo run --release --example theme_bench [SITE [POST]] [-n N]` — SITE defaults to
//! ../shared/sites/minima (read in place; Jekyll builds a temporary copy), POST to its
//! welcome-to-jekyll post. Nothing is asserted: this only measures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let middle = |i: usize| samples.get(i).copied().unwrap_or(f64::NAN);
    if n % 2 == 1 {
        middle(n / 2)
    } else {
        (middle((n / 2).wrapping_sub(1)) + middle(n / 2)) / 2.0
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Runs `jekyll build --incremental` on `site` into `destination`; wall time in ms and the
/// "done in N seconds" Jekyll reports (its own work, without Ruby's start-up), in ms.
fn jekyll_incremental(site: &Path, destination: &Path) -> Result<(f64, Option<f64>), String> {
    let started = Instant::now();
    let output = Command::new("jekyll")
        .args(["build", "--incremental", "-s"])
        .arg(site)
        .arg("-d")
        .arg(destination)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("TZ", "UTC")
        .output()
        .map_err(|e| format!("jekyll: {e}"))?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reported = stdout.lines().find_map(|line| {
        let rest = line.split("done in ").nth(1)?;
        rest.split_whitespace().next()?.parse::<f64>().ok()
    });
    Ok((wall_ms, reported.map(|s| s * 1000.0)))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 20usize;
    if let Some(i) = args.iter().position(|a| a == "-n") {
        runs = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(runs);
        args.drain(i..(i + 2).min(args.len()));
    }
    let original = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/sites/minima"));
    let post_relative = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "_posts/2016-05-20-welcome-to-jekyll.md".to_string());
    if !original.join(&post_relative).is_file() {
        return Err(format!("no post {post_relative} in {}", original.display()).into());
    }
    let temp = tempfile::tempdir()?;
    let site = temp.path().join("site");
    copy_tree(&original, &site)?;
    let post = site.join(&post_relative);
    let text = std::fs::read_to_string(&post)?;

    // Byline: open the site and render the post once (layouts, includes, Sass), then re-render
    // after edits, each edit a different word at the end of the body.
    let started = Instant::now();
    let theme_site = byline::theme::ThemeSite::open(&site);
    let first = theme_site.render_post(&post, &text);
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut rerender = Vec::new();
    let mut edits_shown = 0;
    for run in 0..runs {
        let edited = format!("{text}\nAn edit, number {run}.\n");
        let started = Instant::now();
        let page = theme_site.render_post(&post, &edited);
        rerender.push(started.elapsed().as_secs_f64() * 1000.0);
        edits_shown += usize::from(page.html.contains(&format!("An edit, number {run}.")));
    }
    if edits_shown != runs {
        println!("warning: only {edits_shown} of {runs} re-renders show their edit");
    }
    let byline_ms = median_ms(rerender);
    println!(
        "Byline  {post_relative}: first render incl. Sass {first_ms:.1} ms ({} bytes, {} stylesheets, {} problems); re-render after an edit, median of {runs}: {byline_ms:.2} ms",
        first.html.len(),
        first.generated.len(),
        first.problems.len()
    );

    // Jekyll: a full build to start, then incremental builds after touching the post.
    let destination = temp.path().join("_site");
    match jekyll_incremental(&site, &destination) {
        Err(why) => println!("Jekyll: not measured ({why})"),
        Ok((full_ms, _)) => {
            let jekyll_runs = runs.clamp(1, 5);
            let mut wall = Vec::new();
            let mut reported = Vec::new();
            for run in 0..jekyll_runs {
                std::fs::write(&post, format!("{text}\nAn edit, number {run}.\n"))?;
                let (wall_ms, reported_ms) = jekyll_incremental(&site, &destination)?;
                wall.push(wall_ms);
                reported.extend(reported_ms);
            }
            let wall_ms = median_ms(wall);
            let reported_ms = median_ms(reported);
            println!(
                "Jekyll  first build {full_ms:.0} ms; `jekyll build --incremental` after touching the post, median of {jekyll_runs}: {wall_ms:.0} ms wall, {reported_ms:.0} ms by Jekyll's own count"
            );
            println!(
                "Ratio   Jekyll incremental / Byline re-render: {:.0}× (wall), {:.0}× (Jekyll's count)",
                wall_ms / byline_ms,
                reported_ms / byline_ms
            );
        }
    }
    Ok(())
}
