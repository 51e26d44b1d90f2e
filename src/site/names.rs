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

/// The form of a name that ignores what makes `Rust`, `rust`, `r-ust`, `rust ` and `rusts`
/// look different: case, punctuation, spacing and a plural `s`.
pub fn name_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.strip_suffix('s') {
        Some(stem) if stem.chars().count() >= 2 => stem.to_string(),
        _ => key,
    }
}

/// The existing name a new one differs from only by case, punctuation, spacing or a plural
/// `s` (the most used when several do); None for a name the site already has as typed, or
/// one that is really new.
pub fn near_duplicate<'a>(
    typed: &str,
    counts: &'a [(String, usize)],
) -> Option<&'a (String, usize)> {
    let typed = typed.trim();
    if typed.is_empty() || counts.iter().any(|(name, _)| name == typed) {
        return None;
    }
    let key = name_key(typed);
    if key.is_empty() {
        return None;
    }
    counts
        .iter()
        .filter(|(name, _)| name_key(name) == key)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
}

/// Existing names for what is being typed, most used first: those that start with it or
/// contain it (ignoring case, punctuation and spacing), at most `limit`, leaving out
/// `already` (the post's own names).
pub fn suggestions<'a>(
    typed: &str,
    counts: &'a [(String, usize)],
    already: &[String],
    limit: usize,
) -> Vec<&'a (String, usize)> {
    let key: String = typed
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        return Vec::new();
    }
    let loose = |name: &str| -> String {
        name.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut found: Vec<(bool, &'a (String, usize))> = counts
        .iter()
        .filter(|(name, _)| !already.contains(name))
        .filter_map(|entry| {
            let name = loose(&entry.0);
            if name.starts_with(&key) {
                Some((true, entry))
            } else if name.contains(&key) {
                Some((false, entry))
            } else {
                None
            }
        })
        .collect();
    // Starting with it first, then by count (the input is already most used first).
    found.sort_by_key(|(starts, _)| !*starts);
    found.into_iter().take(limit).map(|(_, e)| e).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> Vec<(String, usize)> {
        vec![
            ("rust".to_string(), 12),
            ("Rust".to_string(), 3),
            ("rustlang".to_string(), 2),
            ("jekyll".to_string(), 5),
            ("static sites".to_string(), 4),
            ("news".to_string(), 1),
        ]
    }

    #[test]
    fn near_duplicates_differ_only_by_case_punctuation_spacing_or_a_plural() {
        let counts = counts();
        let named = |typed: &str| near_duplicate(typed, &counts).map(|(n, _)| n.as_str());
        assert_eq!(named("RUST"), Some("rust"), "the most used of rust/Rust");
        assert_eq!(named("rusts"), Some("rust"));
        assert_eq!(named("Jekylls"), Some("jekyll"));
        assert_eq!(named("static-site"), Some("static sites"));
        assert_eq!(named("StaticSites"), Some("static sites"));
        assert_eq!(named("rust"), None, "already a name as typed");
        assert_eq!(named("rustacean"), None, "really new");
        assert_eq!(named("new"), Some("news"), "a plural s either way");
        assert_eq!(named("--"), None);
        assert_eq!(name_key("is"), "is", "a two-letter word keeps its s");
    }

    #[test]
    fn suggestions_start_with_the_typed_text_first_and_skip_the_posts_own() {
        let counts = counts();
        let names = |typed: &str, already: &[String]| -> Vec<String> {
            suggestions(typed, &counts, already, 3)
                .into_iter()
                .map(|(n, c)| format!("{n} ({c})"))
                .collect()
        };
        assert_eq!(names("ru", &[]), ["rust (12)", "Rust (3)", "rustlang (2)"]);
        assert_eq!(
            names("ru", &["rust".to_string()]),
            ["Rust (3)", "rustlang (2)"]
        );
        assert_eq!(names("sites", &[]), ["static sites (4)"]);
        assert_eq!(names("lang", &[]), ["rustlang (2)"]);
        assert!(names("", &[]).is_empty());
        assert!(names("zzz", &[]).is_empty());
    }
}
