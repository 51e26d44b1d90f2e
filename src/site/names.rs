//! Site-wide names: the tags and categories of every post with their counts, and a rename
//! across the site that touches only the name's own text in each file (through the post
//! model's lossless list edit), written atomically.

use std::collections::HashMap;

use super::index::{Site, SitePost};

/// Tags or categories: which index field, and the front-matter keys that hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// `tags` / `tag`.
    Tags,
    /// `categories` / `category`.
    Categories,
}

impl NameKind {
    /// The names of this kind a post carries, as Jekyll computes them.
    pub fn names(self, post: &SitePost) -> &[String] {
        match self {
            NameKind::Tags => &post.tags,
            NameKind::Categories => &post.categories,
        }
    }

    /// The front-matter keys that hold them (plural first).
    pub fn keys(self) -> [&'static str; 2] {
        match self {
            NameKind::Tags => ["tags", "tag"],
            NameKind::Categories => ["categories", "category"],
        }
    }
}

/// Every name with the number of posts carrying it, most used first.
pub fn name_counts(site: &Site, kind: NameKind) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for post in &site.posts {
        for name in kind.names(post) {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(name, count)| (name.to_string(), count))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// What a site-wide rename did to one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameOutcome {
    /// Renamed (or would be, in a dry run).
    Renamed,
    /// The post carries the name, but not in its own front matter (a folder above `_posts`,
    /// or `defaults`): nothing to edit in the file.
    NotInFile,
    /// The post could not be read or edited; the message says why. The file is untouched.
    Failed(String),
}

/// Renames `old` to `new` in every post of the site that carries it, touching only the
/// name's own text; returns each post's outcome in path order. Posts whose front matter does
/// not parse but mention `old` are reported as failed and left untouched.
pub fn rename_across_site(
    site: &Site,
    kind: NameKind,
    old: &str,
    new: &str,
    dry_run: bool,
) -> Vec<(String, RenameOutcome)> {
    use rayon::prelude::*;
    let unreadable = |p: &SitePost| p.is_front_matter_unreadable;
    let mut targets: Vec<&SitePost> = site
        .posts
        .iter()
        .filter(|p| kind.names(p).iter().any(|n| n == old) || unreadable(p))
        .collect();
    targets.sort_by(|a, b| a.path.cmp(&b.path));
    targets
        .par_iter()
        .filter_map(|post| {
            let file = site.root.join(&post.path);
            let mut parsed = match crate::fsio::read_post(&file) {
                Ok(parsed) => parsed,
                Err(err) => {
                    return Some((post.path.clone(), RenameOutcome::Failed(err.to_string())));
                }
            };
            if let Err(err) = parsed.block() {
                // Only a post that mentions the name is one we could not rename.
                if !parsed.front_matter_text().contains(old) {
                    return None;
                }
                return Some((
                    post.path.clone(),
                    RenameOutcome::Failed(format!("{err}; left untouched")),
                ));
            }
            let mut changed = false;
            for key in kind.keys() {
                match parsed.rename_list_item(key, old, new) {
                    Ok(did) => changed |= did,
                    Err(err) => {
                        return Some((
                            post.path.clone(),
                            RenameOutcome::Failed(format!("`{key}`: {err}; left untouched")),
                        ));
                    }
                }
            }
            if !changed {
                return Some((post.path.clone(), RenameOutcome::NotInFile));
            }
            if !dry_run
                && let Err(err) = crate::fsio::write_atomic(&file, parsed.to_text().as_bytes())
            {
                return Some((post.path.clone(), RenameOutcome::Failed(err.to_string())));
            }
            Some((post.path.clone(), RenameOutcome::Renamed))
        })
        .collect()
}
