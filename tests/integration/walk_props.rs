//! Property test of the post-file walker over random folder trees with random symbolic links
//! (loops to `.` and `..`, links to siblings, to files, dangling ones), FIFOs and hard links:
//! it always ends, lists each real post file exactly once, and lists nothing else.

use std::collections::{BTreeSet, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

/// One thing placed in the tree: in folder number `dir` (modulo the folders made so far).
#[derive(Debug, Clone)]
enum Node {
    Folder(usize),
    Post(usize),
    Other(usize),
    LinkUp(usize, u8),
    LinkToFolder(usize, usize),
    LinkToPost(usize, usize),
    Dangling(usize),
    Fifo(usize),
    HardLink(usize, usize),
}

fn node() -> impl Strategy<Value = Node> {
    prop_oneof![
        3 => any::<usize>().prop_map(Node::Folder),
        4 => any::<usize>().prop_map(Node::Post),
        1 => any::<usize>().prop_map(Node::Other),
        2 => (any::<usize>(), 0u8..3).prop_map(|(d, up)| Node::LinkUp(d, up)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(d, t)| Node::LinkToFolder(d, t)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(d, t)| Node::LinkToPost(d, t)),
        1 => any::<usize>().prop_map(Node::Dangling),
        1 => any::<usize>().prop_map(Node::Fifo),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(d, t)| Node::HardLink(d, t)),
    ]
}

fn pick<T: Clone>(items: &[T], n: usize) -> T {
    items[n % items.len()].clone()
}

/// Builds the tree and returns the identities (device, inode) of every regular post file in it.
fn build(root: &Path, nodes: &[Node]) -> BTreeSet<(u64, u64)> {
    let mut folders: Vec<PathBuf> = vec![root.to_path_buf()];
    let mut posts: Vec<PathBuf> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        match node {
            Node::Folder(d) => {
                let path = pick(&folders, *d).join(format!("d{i}"));
                std::fs::create_dir(&path).unwrap();
                folders.push(path);
            }
            Node::Post(d) => {
                let path = pick(&folders, *d).join(format!("p{i}.md"));
                std::fs::write(&path, "---\n---\n").unwrap();
                posts.push(path);
            }
            Node::Other(d) => {
                std::fs::write(pick(&folders, *d).join(format!("o{i}.txt")), "x").unwrap()
            }
            Node::LinkUp(d, up) => {
                let target = if *up == 0 {
                    ".".to_string()
                } else {
                    vec![".."; usize::from(*up)].join("/")
                };
                std::os::unix::fs::symlink(target, pick(&folders, *d).join(format!("l{i}")))
                    .unwrap();
            }
            Node::LinkToFolder(d, t) => {
                let target = pick(&folders, *t);
                std::os::unix::fs::symlink(target, pick(&folders, *d).join(format!("f{i}")))
                    .unwrap();
            }
            Node::LinkToPost(d, t) if !posts.is_empty() => {
                let target = pick(&posts, *t);
                std::os::unix::fs::symlink(target, pick(&folders, *d).join(format!("s{i}.md")))
                    .unwrap();
            }
            Node::Dangling(d) => {
                std::os::unix::fs::symlink(
                    "/nonexistent/x.md",
                    pick(&folders, *d).join(format!("x{i}.md")),
                )
                .unwrap();
            }
            Node::Fifo(d) => {
                let path = pick(&folders, *d).join(format!("q{i}.md"));
                assert!(
                    std::process::Command::new("mkfifo")
                        .arg(&path)
                        .status()
                        .unwrap()
                        .success()
                );
            }
            Node::HardLink(d, t) if !posts.is_empty() => {
                std::fs::hard_link(
                    pick(&posts, *t),
                    pick(&folders, *d).join(format!("h{i}.md")),
                )
                .unwrap();
            }
            _ => {}
        }
    }
    posts
        .iter()
        .map(|p| {
            let m = std::fs::metadata(p).unwrap();
            (m.dev(), m.ino())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn each_real_post_file_is_listed_once(nodes in proptest::collection::vec(node(), 0..40)) {
        let dir = tempfile::tempdir().unwrap();
        // Deep enough that two `..` from the root stay inside the temp folder.
        let root = dir.path().join("a/b/root");
        std::fs::create_dir_all(&root).unwrap();
        let expected = build(&root, &nodes);
        let found = byline::walk::post_files(std::slice::from_ref(&root));
        let mut seen = HashSet::new();
        for file in &found.files {
            let m = std::fs::metadata(file).unwrap();
            prop_assert!(m.is_file(), "{} is not a regular file", file.display());
            prop_assert!(seen.insert((m.dev(), m.ino())), "{} listed twice", file.display());
        }
        // Links may lead up out of `root` (`..`), so what is found is at least every post inside.
        let found_ids: BTreeSet<(u64, u64)> = seen.into_iter().collect();
        prop_assert!(expected.is_subset(&found_ids), "missing posts: {:?}", expected.difference(&found_ids).collect::<Vec<_>>());
        for skipped in &found.skipped {
            prop_assert!(!matches!(skipped.reason, byline::walk::SkipReason::UnreadableFolder(_)), "{:?}", skipped);
        }
    }
}
