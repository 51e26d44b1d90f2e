//! Finding a theme installed as a Ruby gem (`theme: minima` in `_config.yml`) where Ruby keeps
//! gems — `GEM_HOME`, `GEM_PATH`, Debian's and the user's gem folders, the site's
//! `vendor/bundle` — and, when none of those has it and Ruby is installed, by asking Ruby.

use std::path::{Path, PathBuf};

/// A theme gem found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemTheme {
    /// The gem's name as `_config.yml` gives it (lower case, trimmed, as Jekyll takes it).
    pub name: String,
    /// Its installed folder (`…/gems/minima-2.5.1`).
    pub root: PathBuf,
}

impl GemTheme {
    /// The gem's folder `name` (`_layouts`, `_includes`, `_sass`, `assets`, `_data`) when it
    /// has one.
    pub fn folder(&self, name: &str) -> Option<PathBuf> {
        let path = self.root.join(name);
        path.is_dir().then_some(path)
    }

    /// The gem's own `_config.yml`, read as a map (Jekyll merges it under the site's).
    pub fn config(&self) -> Option<serde_yaml::Mapping> {
        let path = self.root.join("_config.yml");
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(serde_yaml::Value::Mapping(mapping)) => Some(mapping),
            _ => None,
        }
    }
}

/// Folders holding installed gems (`<folder>/<name>-<version>/`), most specific first: the
/// site's bundle, `GEM_HOME`, `GEM_PATH`, the user's gems, then the system's.
pub fn gem_folders(site_root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let versioned = |base: PathBuf, out: &mut Vec<PathBuf>| {
        if let Ok(entries) = std::fs::read_dir(&base) {
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path().join("gems"))
                .collect();
            found.sort();
            out.extend(found.into_iter().rev());
        }
    };
    versioned(site_root.join("vendor/bundle/ruby"), &mut out);
    if let Some(home) = std::env::var_os("GEM_HOME") {
        out.push(PathBuf::from(home).join("gems"));
    }
    if let Some(paths) = std::env::var_os("GEM_PATH") {
        out.extend(std::env::split_paths(&paths).map(|p| p.join("gems")));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        versioned(home.join(".gem/ruby"), &mut out);
        versioned(home.join(".local/share/gem/ruby"), &mut out);
    }
    out.push(PathBuf::from("/usr/share/rubygems-integration/all/gems"));
    versioned(PathBuf::from("/usr/share/rubygems-integration"), &mut out);
    versioned(PathBuf::from("/var/lib/gems"), &mut out);
    versioned(PathBuf::from("/usr/lib/ruby/gems"), &mut out);
    versioned(PathBuf::from("/usr/local/lib/ruby/gems"), &mut out);
    out.push(PathBuf::from("/usr/lib/ruby/vendor_ruby/gems"));
    out.dedup();
    out
}

/// The version part of a gem folder's name (`minima-2.5.1` → `[2, 5, 1]`), for choosing the
/// newest; None when the name is not `name-<version>`.
fn version_of(folder_name: &str, gem: &str) -> Option<Vec<u64>> {
    let version = folder_name.strip_prefix(gem)?.strip_prefix('-')?;
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(
        version
            .split(['.', '-'])
            .map(|part| {
                part.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            })
            .collect(),
    )
}

/// The newest `name-<version>` folder in one gem folder.
fn newest_in(folder: &Path, gem: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(folder).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            version_of(&name, gem).map(|v| (v, e.path()))
        })
        .filter(|(_, path)| path.is_dir())
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, path)| path)
}

/// Finds the theme gem `name` for the site at `site_root`: in the gem folders first, then by
/// asking Ruby (`Gem::Specification.find_by_name`) when `ruby` is on the path.
pub fn find(site_root: &Path, name: &str) -> Option<GemTheme> {
    let name = name.trim().to_lowercase();
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let found = gem_folders(site_root)
        .iter()
        .find_map(|folder| newest_in(folder, &name))
        .or_else(|| ask_ruby(&name));
    found.map(|root| GemTheme {
        root: std::fs::canonicalize(&root).unwrap_or(root),
        name,
    })
}

/// The gem's folder as Ruby's own lookup gives it (None without Ruby or without the gem).
fn ask_ruby(name: &str) -> Option<PathBuf> {
    let output = std::process::Command::new("ruby")
        .args([
            "-e",
            "begin; print Gem::Specification.find_by_name(ARGV[0]).full_gem_path; rescue Exception; exit 1; end",
            name,
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    path.is_dir().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_support::write;

    #[test]
    fn newest_version_of_a_bundled_gem_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let gems = "vendor/bundle/ruby/3.1.0/gems";
        write(
            root,
            &format!("{gems}/my-theme-1.9.0/_layouts/post.html"),
            "x",
        );
        write(
            root,
            &format!("{gems}/my-theme-1.10.0/_layouts/post.html"),
            "x",
        );
        write(
            root,
            &format!("{gems}/my-theme-extra-9.0.0/_layouts/post.html"),
            "x",
        );
        let theme = find(root, " My-Theme ").unwrap();
        assert_eq!(theme.name, "my-theme");
        assert!(theme.root.ends_with("my-theme-1.10.0"), "{:?}", theme.root);
        assert!(theme.folder("_layouts").is_some());
        assert!(theme.folder("_sass").is_none());
    }

    #[test]
    fn a_missing_gem_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find(dir.path(), "no-such-theme-byline-test"), None);
        assert_eq!(find(dir.path(), "../etc"), None);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(version_of("minima-2.5.1", "minima"), Some(vec![2, 5, 1]));
        assert_eq!(version_of("minima-extra-1.0", "minima"), None);
        assert!(version_of("a-1.10.0", "a") > version_of("a-1.9.0", "a"));
    }
}
