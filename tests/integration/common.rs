//! Helpers shared by the integration tests: where the sample posts and the corpus are.

use std::path::{Path, PathBuf};

/// The repository's own sample posts.
pub fn sample_posts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-posts")
}

/// True when the tests run in CI (`CI=true`), where `../shared` is always present, so a missing
/// folder is a failure instead of a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Says on the test output (stderr, which the harness does not capture) that a test skipped a
/// part and why.
pub fn report_skip(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A folder of `../shared` beside the checkout (`corpus`, `sites`), or the folder named by
/// `$BYLINE_SHARED_<NAME>` (`$BYLINE_CORPUS` also works for the corpus). `None` after printing
/// why when it is absent, so `cargo test` passes on a fresh clone; under `CI=true` an absent
/// folder fails the test.
pub fn shared_dir_or_skip(name: &str, test: &str) -> Option<PathBuf> {
    let variable = format!("BYLINE_SHARED_{}", name.to_ascii_uppercase());
    let dir = std::env::var_os(&variable)
        .or_else(|| {
            (name == "corpus")
                .then(|| std::env::var_os("BYLINE_CORPUS"))
                .flatten()
        })
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared")
                .join(name)
        });
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!(
        "{} is absent (other people's writing, never copied into the project; set {variable} to its folder)",
        dir.display()
    );
    assert!(!in_ci(), "CI=true but {why}");
    report_skip(test, &why);
    None
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

/// Post files of the samples, and of the corpus when it is present (the corpus's own README,
/// TRICKY and MANIFEST are documentation, not posts); also whether the corpus was there.
pub fn all_posts(test: &str) -> (Vec<PathBuf>, bool) {
    let mut posts = files_under(&sample_posts_dir());
    let corpus = shared_dir_or_skip("corpus", test);
    if let Some(corpus) = &corpus {
        posts.extend(
            files_under(corpus)
                .into_iter()
                .filter(|p| p.parent() != Some(corpus.as_path())),
        );
    }
    (posts, corpus.is_some())
}
