//! The lossless promise over real posts: every UTF-8 post in the corpus and the samples writes
//! back byte-identical, and a one-field edit changes only that field's lines.

use crate::common;

use byline::post::Post;
use byline::post::check::{Severity, check};

/// Parsed UTF-8 posts of the samples and (when present) the corpus, and whether the corpus was
/// there.
fn utf8_posts_and_corpus(test: &str) -> (Vec<(std::path::PathBuf, Vec<u8>, Post)>, bool) {
    let (posts, with_corpus) = common::all_posts(test);
    (parse_utf8(posts), with_corpus)
}

fn utf8_posts(test: &str) -> Vec<(std::path::PathBuf, Vec<u8>, Post)> {
    utf8_posts_and_corpus(test).0
}

fn parse_utf8(posts: Vec<std::path::PathBuf>) -> Vec<(std::path::PathBuf, Vec<u8>, Post)> {
    posts
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            Post::parse(&bytes).ok().map(|post| (path, bytes, post))
        })
        .collect()
}

#[test]
fn every_utf8_post_round_trips_byte_identical() {
    let (posts, with_corpus) = utf8_posts_and_corpus("every_utf8_post_round_trips_byte_identical");
    let least = if with_corpus { 250 } else { 5 };
    assert!(posts.len() > least, "only {} posts found", posts.len());

    for (path, bytes, post) in &posts {
        assert_eq!(
            post.to_text().as_bytes(),
            bytes.as_slice(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn only_the_utf16_file_is_not_utf8() {
    let (posts, with_corpus) = common::all_posts("only_the_utf16_file_is_not_utf8");
    let rejected: Vec<_> = posts
        .into_iter()
        .filter(|p| Post::parse(&std::fs::read(p).unwrap()).is_err())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: &[&str] = if with_corpus {
        &["test__source___encodings__Unicode16LECRLFandBOM.md"]
    } else {
        &[]
    };
    assert_eq!(rejected, expected);
}

/// Lines of `before` and `after` that differ, assuming the same number of lines.
fn diff_lines(before: &str, after: &str) -> Vec<usize> {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    assert_eq!(a.len(), b.len(), "line count changed");
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

#[test]
fn setting_the_title_changes_only_the_title_lines() {
    let mut edited = 0;
    let (posts, with_corpus) =
        utf8_posts_and_corpus("setting_the_title_changes_only_the_title_lines");
    for (path, bytes, mut post) in posts {
        let Ok(Some(block)) = post.block() else {
            continue;
        };
        let Some(entry) = block.entry("title").cloned() else {
            continue;
        };
        let yaml = post.front_matter_text().to_string();
        let title_lines = yaml[entry.range.clone()].matches('\n').count();
        post.set_text("title", "Bar edit: ✓ #1 it's \"2024\"")
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let after = post.to_text();
        let reread = Post::from_text(&after);
        assert_eq!(
            reread.text("title").as_deref(),
            Some("Bar edit: ✓ #1 it's \"2024\""),
            "{}",
            path.display()
        );
        let before = String::from_utf8(bytes).unwrap();
        if title_lines <= 1 {
            let changed = diff_lines(&before, &after);
            assert_eq!(changed, vec![entry.line + 1], "{}", path.display());
        }
        for key in post.keys().iter().filter(|k| *k != "title") {
            assert_eq!(
                reread.get(key),
                Post::from_text(&before).get(key),
                "{} {key}",
                path.display()
            );
        }
        edited += 1;
    }
    let least = if with_corpus { 200 } else { 3 };
    assert!(edited > least, "only {edited} posts edited");
}

#[test]
fn adding_and_removing_a_key_touch_one_line() {
    for (path, bytes, mut post) in utf8_posts("adding_and_removing_a_key_touch_one_line") {
        if post.block().is_err() || post.front_matter().is_none() {
            continue;
        }
        if post.block().unwrap().is_some_and(|b| b.entries.is_err()) {
            continue;
        }
        let before = String::from_utf8(bytes).unwrap();
        post.set_text("byline_test_key", "added")
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let after = post.to_text();
        assert_eq!(
            after.lines().count(),
            before.lines().count() + 1,
            "{}",
            path.display()
        );
        post.remove("byline_test_key").unwrap();
        assert_eq!(post.to_text(), before, "{}", path.display());
    }
}

#[test]
fn every_parseable_block_maps_its_entries() {
    let mut unmapped = Vec::new();
    for (path, _, post) in utf8_posts("every_parseable_block_maps_its_entries") {
        if let Ok(Some(block)) = post.block()
            && let Err(why) = &block.entries
        {
            unmapped.push(format!("{}: {why}", path.display()));
        }
    }
    assert!(unmapped.is_empty(), "{unmapped:#?}");
}

#[test]
fn the_known_broken_posts_are_reported_and_kept() {
    let Some(corpus) =
        common::shared_dir_or_skip("corpus", "the_known_broken_posts_are_reported_and_kept")
    else {
        return;
    };
    let bad = corpus.join("jekyll__jekyll/test__source___broken__bad_post.md");
    let bytes = std::fs::read(&bad).unwrap();
    let post = Post::parse(&bytes).unwrap();
    let problems = check(&post);
    assert!(
        problems.iter().any(|d| d.severity == Severity::Error),
        "{problems:?}"
    );
    assert_eq!(post.to_text().as_bytes(), bytes.as_slice());
    let homebrew = corpus.join("Homebrew__brew.sh/_posts__2016-09-21-homebrew-1.0.0.md");
    let post = Post::parse(&std::fs::read(homebrew).unwrap()).unwrap();
    assert!(
        check(&post)
            .iter()
            .any(|d| d.message.contains("duplicate key `redirect_from`"))
    );
    assert_eq!(post.text("title").as_deref(), Some("1.0.0"));
}

/// Bytes of `before` an edit removed or replaced: all but the common prefix and suffix.
fn replaced_bytes(before: &str, after: &str) -> usize {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let room = before.len().min(after.len()) - prefix;
    let suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    before.len() - prefix - suffix
}

/// Issue 9.5 over real posts: adding a tag or category only inserts bytes, and renaming one
/// replaces no more than that item's own text; every other item stays byte for byte.
#[test]
fn list_item_edits_touch_only_their_item() {
    let mut edited = 0;
    let mut failures = Vec::new();
    let (posts, with_corpus) = utf8_posts_and_corpus("list_item_edits_touch_only_their_item");
    for (path, bytes, post) in posts {
        let before = String::from_utf8(bytes).unwrap();
        for key in ["tags", "categories"] {
            if post.get(key).is_none() {
                continue;
            }
            let items = post.list(key);
            let Some(first) = items.first().cloned() else {
                continue;
            };
            let mut added = post.clone();
            let mut expected = items.clone();
            expected.push("byline-new".into());
            if added.add_list_item(key, "byline-new").is_err() {
                continue;
            }
            let after = added.to_text();
            if Post::from_text(&after).list(key) != expected {
                failures.push(format!("{}: {key}: add reads back wrong", path.display()));
            }
            if replaced_bytes(&before, &after) != 0 {
                failures.push(format!("{}: {key}: adding replaced bytes", path.display()));
            }
            let mut renamed = post.clone();
            if renamed
                .rename_list_item(key, &first, "byline-renamed")
                .is_ok()
            {
                let after = renamed.to_text();
                let limit = 2 * first.len() + 2;
                if replaced_bytes(&before, &after) > limit {
                    failures.push(format!(
                        "{}: {key}: renaming `{first}` replaced {} bytes",
                        path.display(),
                        replaced_bytes(&before, &after)
                    ));
                }
            }
            edited += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let least = if with_corpus { 100 } else { 1 };
    assert!(edited > least, "only {edited} lists edited");
}
