//! Times the site index on a large site: the shared corpus copied into a temp `_posts/` 40
//! times or more (at least 10,000 posts with dated names), indexed as `byline site` does.
//!
//! Run: `cargo run --release --example site_index [-- COPIES]` (the corpus is
//! `../shared/corpus` or `$BYLINE_CORPUS`). Prints the post count, the index time, and the time
//! of a `tags --rename` of the most used tag across the site.

use std::path::{Path, PathBuf};
use std::time::Instant;

use byline::site::names::{NameKind, RenameOutcome, name_counts, rename_across_site};
use byline::site::{IndexOptions, Site};

fn corpus_posts(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
            {
                let file = inner.path();
                let is_post = file
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "md" | "markdown" | "html"));
                if is_post {
                    out.push(file);
                }
            }
        }
    }
    out.sort();
    out
}

/// A dated post name for copy `copy` of `file` (the corpus keeps the original folder in the
/// name, `_posts__2015-04-22-title.md`).
fn dated_name(file: &Path, copy: usize, index: usize) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.rsplit("__").next().unwrap_or(&name).to_string();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "md"));
    let bytes = stem.as_bytes();
    let has_date = bytes.len() > 11
        && bytes.iter().take(10).enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if has_date {
        format!("{stem}-{copy}.{ext}")
    } else {
        let day = index % 28 + 1;
        format!("2020-01-{day:02}-{stem}-{copy}.{ext}")
    }
}

fn main() -> std::io::Result<()> {
    let corpus = std::env::var_os("BYLINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let files = corpus_posts(&corpus);
    if files.is_empty() {
        eprintln!("no corpus at {} (set BYLINE_CORPUS)", corpus.display());
        std::process::exit(2);
    }
    // 40 copies of the corpus, or as many as make 10,000 posts.
    let copies: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| 40.max(10_000usize.div_ceil(files.len())));
    let site = tempfile::tempdir()?;
    let posts = site.path().join("_posts");
    std::fs::create_dir_all(&posts)?;
    std::fs::write(site.path().join("_config.yml"), "timezone: Europe/Berlin\n")?;
    for copy in 0..copies {
        for (index, file) in files.iter().enumerate() {
            let target = posts.join(dated_name(file, copy, index));
            std::fs::copy(file, target)?;
        }
    }
    println!(
        "site {} with {} files, {} threads",
        site.path().display(),
        files.len() * copies,
        rayon::current_num_threads()
    );
    let mut best_ms = f64::MAX;
    for run in 0..3 {
        let start = Instant::now();
        let index = Site::open(site.path(), &IndexOptions::default());
        let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
        best_ms = best_ms.min(elapsed_ms);
        let published = index.posts.iter().filter(|p| p.is_published).count();
        let problems: usize = index.posts.iter().map(|p| p.problems.len()).sum();
        println!(
            "run {run}: {} posts, {published} published, {problems} problems, indexed in {elapsed_ms:.0} ms",
            index.posts.len()
        );
    }
    println!("best index time: {best_ms:.0} ms");

    // `byline tags --rename` on the same site: the index, then the most used tag renamed in
    // every post carrying it (files written atomically).
    let start = Instant::now();
    let index = Site::open(site.path(), &IndexOptions::default());
    let Some((tag, count)) = name_counts(&index, NameKind::Tags).into_iter().next() else {
        println!("no tags to rename");
        return Ok(());
    };
    let outcomes = rename_across_site(&index, NameKind::Tags, &tag, "renamed-by-bench", false);
    let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
    let renamed = outcomes
        .iter()
        .filter(|(_, o)| *o == RenameOutcome::Renamed)
        .count();
    println!(
        "tags --rename {tag:?} (on {count} posts): {renamed} renamed, {} not, in {elapsed_ms:.0} ms",
        outcomes.len() - renamed
    );
    if std::env::var_os("KEEP_SITE").is_some() {
        let kept = site.keep();
        println!("kept {}", kept.display());
    }
    Ok(())
}
