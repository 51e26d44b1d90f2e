//! A site's layouts as Jekyll reads them — the site's `_layouts` first, then the theme gem's
//! for names the site does not have — and the chain a page goes through (`layout:` of the
//! post, then each layout's own `layout:`, stopping at a layout already used).

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Mapping;

/// One layout file.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Its name (`post`, `blog/wide`): the path in the layouts folder without extension.
    pub name: String,
    /// The file as problems name it: from the site root, or absolute for a theme gem's.
    pub file: String,
    /// Its front matter (the `layout` variable while it renders).
    pub data: Mapping,
    /// Its text after the front matter.
    pub content: String,
    /// 1-based line of the first content line in the file.
    pub content_first_line: usize,
}

impl Layout {
    /// The layout this one sits in, when it names one.
    pub fn parent_name(&self) -> Option<String> {
        self.data
            .get("layout")
            .and_then(crate::site::config::scalar_to_string)
    }
}

/// The layouts of a site by name.
#[derive(Debug, Clone, Default)]
pub struct Layouts {
    by_name: HashMap<String, Layout>,
}

impl Layouts {
    /// Reads `site_root`'s layouts folder, then `theme_layouts` (a theme gem's `_layouts`) for
    /// the names the site lacks.
    pub fn load(site_root: &Path, layouts_dir: &str, theme_layouts: Option<&Path>) -> Layouts {
        let mut layouts = Layouts::default();
        layouts.read_folder(&site_root.join(layouts_dir), Some(site_root));
        if let Some(theme) = theme_layouts {
            layouts.read_folder(theme, None);
        }
        layouts
    }

    /// Adds every layout of `folder` whose name is not taken yet; `site_root` names files
    /// relative to it (None: absolute paths).
    fn read_folder(&mut self, folder: &Path, site_root: Option<&Path>) {
        let mut files = Vec::new();
        collect_files(folder, "", &mut files);
        for relative in files {
            let file_name = relative.rsplit('/').next().unwrap_or(&relative);
            if file_name.starts_with(['.', '_', '#', '~']) || !file_name.contains('.') {
                continue;
            }
            let name = relative
                .rsplit_once('.')
                .map_or(relative.as_str(), |(stem, _)| stem)
                .to_string();
            if self.by_name.contains_key(&name) {
                continue;
            }
            let path = folder.join(&relative);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let (data, content, content_first_line) =
                super::site_vars::split_front_matter(&text).unwrap_or((Mapping::new(), text, 1));
            let file = match site_root.and_then(|root| path.strip_prefix(root).ok()) {
                Some(rel) => rel.to_string_lossy().replace('\\', "/"),
                None => path.to_string_lossy().into_owned(),
            };
            self.by_name.insert(
                name.clone(),
                Layout {
                    name,
                    file,
                    data,
                    content,
                    content_first_line,
                },
            );
        }
    }

    /// The layout called `name`.
    pub fn get(&self, name: &str) -> Option<&Layout> {
        self.by_name.get(name)
    }

    /// True when the site has no layouts at all.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The layouts a page with `layout: first` goes through, innermost first, and the name of
    /// a layout asked for but missing (Jekyll warns and stops there).
    pub fn chain(&self, first: Option<&str>) -> (Vec<&Layout>, Option<String>) {
        let mut chain: Vec<&Layout> = Vec::new();
        let Some(first) = first else {
            return (chain, None);
        };
        if first == "none" || first.is_empty() {
            return (chain, None);
        }
        let Some(mut layout) = self.get(first) else {
            return (chain, Some(first.to_string()));
        };
        loop {
            chain.push(layout);
            let Some(parent) = layout.parent_name() else {
                break;
            };
            match self.get(&parent) {
                Some(next) if chain.iter().any(|l| l.name == next.name) => break,
                Some(next) => layout = next,
                None => return (chain, Some(parent)),
            }
        }
        (chain, None)
    }
}

/// Files below `dir` (relative, `/`-separated), names starting with `.` skipped.
fn collect_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for (name, entry) in crate::walk::visible_entries(dir) {
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.path().is_dir() {
            collect_files(&entry.path(), &relative, out);
        } else {
            out.push(relative);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_support::write;

    #[test]
    fn chain_follows_layouts_and_site_wins_over_theme() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let theme = dir.path().join("gem/_layouts");
        write(
            &root,
            "_layouts/post.html",
            "---\nlayout: base\nx: 1\n---\nPOST {{ content }}",
        );
        write(&root, "_layouts/sub/wide.html", "W");
        write(dir.path(), "gem/_layouts/base.html", "BASE {{ content }}");
        write(dir.path(), "gem/_layouts/post.html", "THEME POST");
        let layouts = Layouts::load(&root, "_layouts", Some(&theme));
        let (chain, missing) = layouts.chain(Some("post"));
        assert_eq!(missing, None);
        let names: Vec<&str> = chain.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["post", "base"]);
        assert_eq!(chain[0].file, "_layouts/post.html");
        assert_eq!(chain[0].content_first_line, 5);
        assert!(chain[1].file.ends_with("gem/_layouts/base.html"));
        assert!(layouts.get("sub/wide").is_some());
    }

    #[test]
    fn missing_and_circular_layouts_stop_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_layouts/a.html", "---\nlayout: b\n---\nA");
        write(root, "_layouts/b.html", "---\nlayout: a\n---\nB");
        write(root, "_layouts/c.html", "---\nlayout: gone\n---\nC");
        let layouts = Layouts::load(root, "_layouts", None);
        let (chain, missing) = layouts.chain(Some("a"));
        assert_eq!(chain.len(), 2);
        assert_eq!(missing, None);
        let (chain, missing) = layouts.chain(Some("c"));
        assert_eq!(chain.len(), 1);
        assert_eq!(missing.as_deref(), Some("gone"));
        let (chain, missing) = layouts.chain(Some("nowhere"));
        assert!(chain.is_empty());
        assert_eq!(missing.as_deref(), Some("nowhere"));
        assert_eq!(layouts.chain(Some("none")).1, None);
    }
}
