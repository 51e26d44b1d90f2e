//! A Jekyll site as Jekyll 4.3 sees it: where it is, its `_config.yml`, every post with the
//! date, URL, categories and tags Jekyll computes for it, whether it is published (and why not),
//! and the problems that would break the build or silently change what is published.
//!
//! Headless (no UI): the command line prints it and the window shows it. The index only reads.

pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod filter;
pub mod fixes;
pub mod gemfile;
pub mod images;
pub mod index;
pub mod live;
pub mod names;
pub mod permalink;
pub mod publish;
pub mod search;
pub mod watch;

use std::path::{Path, PathBuf};

pub use config::SiteConfig;
pub use gemfile::JekyllInfo;
pub use index::{IndexOptions, Site, SitePost, WhyNot, find_root};

/// The site root for a post file: the folder above `_posts` or `_drafts`, else the nearest
/// folder holding `_config.yml`, else the post's own folder.
pub fn site_root(post_path: &Path) -> PathBuf {
    let folder = post_path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    for dir in folder.ancestors() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "_posts" | "_drafts")
            && let Some(parent) = dir.parent()
        {
            return parent.to_path_buf();
        }
    }
    folder
        .ancestors()
        .find(|dir| dir.join("_config.yml").is_file())
        .map_or(folder.clone(), Path::to_path_buf)
}

/// True for a draft: a file inside a `_drafts` folder, at any depth (Jekyll 4.3 reads
/// `_drafts/old/idea.md` as a draft too), unless a nearer `_posts` folder holds it.
pub fn is_draft_path(path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .filter_map(Path::file_name)
        .find(|name| *name == "_drafts" || *name == "_posts")
        .is_some_and(|name| name == "_drafts")
}

/// True for a file inside a `_posts` or `_drafts` folder at any depth: one Jekyll reads as a
/// post (or draft) even without front matter.
pub fn is_in_post_folder(path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .filter_map(Path::file_name)
        .any(|name| name == "_posts" || name == "_drafts")
}

/// True for a reference to a file (not a URL, protocol-relative URL or data URI).
pub fn is_local_reference(reference: &str) -> bool {
    let reference = reference.trim();
    !(reference.is_empty()
        || reference.contains("://")
        || reference.starts_with("data:")
        || reference.starts_with("//"))
}

/// Resolves an image reference from front matter or the body against the site root; None for
/// remote URLs and data URIs, which need no file.
pub fn resolve_image(site_root: &Path, reference: &str) -> Option<PathBuf> {
    let reference = reference.trim();
    if !is_local_reference(reference) {
        return None;
    }
    let relative = reference.trim_start_matches('/');
    let relative = relative.split(['?', '#']).next().unwrap_or(relative);
    Some(site_root.join(relative))
}

/// What the site's unit tests share: writing a site's files into a temp folder.
#[cfg(test)]
pub(crate) mod test_support {
    use std::path::Path;

    /// Writes `text` to `root/relative`, creating its folders.
    pub fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_above_posts_or_at_config() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("blog/_posts/2025");
        std::fs::create_dir_all(&posts).unwrap();
        assert_eq!(site_root(&posts.join("a.md")), dir.path().join("blog"));
        let other = dir.path().join("site/notes");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(dir.path().join("site/_config.yml"), "title: x").unwrap();
        assert_eq!(site_root(&other.join("a.md")), dir.path().join("site"));
        let lonely = dir.path().join("lonely");
        std::fs::create_dir_all(&lonely).unwrap();
        assert_eq!(site_root(&lonely.join("a.md")), lonely);
    }

    #[test]
    fn drafts_are_files_inside_drafts_at_any_depth() {
        // Checked with `jekyll build --drafts`: both are listed in site.posts.
        assert!(is_draft_path(Path::new("/site/_drafts/idea.md")));
        assert!(is_draft_path(Path::new("/site/_drafts/old/idea.md")));
        assert!(!is_draft_path(Path::new("/site/_posts/2025-01-01-a.md")));
    }

    #[test]
    fn images_resolve_against_the_root() {
        let root = Path::new("/site");
        assert_eq!(
            resolve_image(root, "/assets/a.jpg?v=1"),
            Some(PathBuf::from("/site/assets/a.jpg"))
        );
        assert_eq!(
            resolve_image(root, "assets/a.jpg"),
            Some(PathBuf::from("/site/assets/a.jpg"))
        );
        assert_eq!(resolve_image(root, "https://x.org/a.jpg"), None);
    }
}
