//! Helpers shared by the integration tests: where the sample posts and the corpus are.

use std::path::{Path, PathBuf};

/// The repository's own sample posts.
pub fn sample_posts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-posts")
}

/// The shared corpus of real Jekyll posts (read-only), `../shared/corpus` beside the checkout,
/// or `$BYLINE_CORPUS`.
pub fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("BYLINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.is_dir(),
        "the post corpus is missing at {}; set BYLINE_CORPUS to its folder",
        dir.display()
    );
    dir
}

/// Every file below `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Post files of the corpus and the samples (the corpus's own README, TRICKY and MANIFEST are
/// documentation, not posts).
pub fn all_posts() -> Vec<PathBuf> {
    let mut posts: Vec<PathBuf> = files_under(&corpus_dir())
        .into_iter()
        .filter(|p| p.parent() != Some(corpus_dir().as_path()))
        .collect();
    posts.extend(files_under(&sample_posts_dir()));
    posts
}
