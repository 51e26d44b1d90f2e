//! Which Jekyll builds a site, read from its `Gemfile` and `Gemfile.lock`: a `jekyll`
//! version, or the `github-pages` gem (Jekyll 3.x in safe mode, whitelisted plugins only).

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::config::SiteConfig;

/// Plugins GitHub Pages runs (the `github-pages` gem's `PLUGIN_WHITELIST`).
pub const GITHUB_PAGES_PLUGINS: &[&str] = &[
    "jekyll-coffeescript",
    "jekyll-feed",
    "jekyll-gist",
    "jekyll-github-metadata",
    "jekyll-paginate",
    "jekyll-redirect-from",
    "jekyll-seo-tag",
    "jekyll-sitemap",
    "jekyll-avatar",
    "jemoji",
    "jekyll-mentions",
    "jekyll-relative-links",
    "jekyll-optional-front-matter",
    "jekyll-readme-index",
    "jekyll-default-layout",
    "jekyll-titles-from-headings",
    "jekyll-include-cache",
];

/// Where the site says its Jekyll comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JekyllSource {
    /// The `github-pages` gem: Jekyll 3.x in safe mode with whitelisted plugins.
    GithubPages,
    /// The `jekyll` gem (with the requirement written in the Gemfile or gemspec, if any).
    Jekyll {
        /// `"~> 4.3"`, `">= 3.5, < 5.0"`...
        requirement: Option<String>,
    },
    /// No Gemfile, or one that names neither.
    Unknown,
}

/// Which Jekyll builds the site, as far as its Gemfile and Gemfile.lock say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JekyllInfo {
    /// Where Jekyll comes from.
    pub source: JekyllSource,
    /// The exact `jekyll` version in Gemfile.lock, when locked.
    pub locked_version: Option<String>,
    /// The exact `github-pages` version in Gemfile.lock, when locked.
    pub github_pages_version: Option<String>,
    /// Plugins the site uses (`plugins` in `_config.yml`, `:jekyll_plugins` gems) that GitHub
    /// Pages will not run; empty unless the site builds with `github-pages`.
    pub plugins_not_on_pages: Vec<String>,
}

static GEM_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"^\s*gem\s+["']([A-Za-z0-9_.-]+)["']((?:\s*,\s*["'][^"']*["'])*)"#).ok()
});
static GEMSPEC_JEKYLL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"add_(?:runtime_)?dependency\s*\(?\s*["']jekyll["']((?:\s*,\s*["'][^"']*["'])*)"#)
        .ok()
});
static LOCK_SPEC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^    ([A-Za-z0-9_.-]+) \(([^)]+)\)$").ok());
static QUOTED: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"["']([^"']*)["']"#).ok());

fn requirement_of(args: &str) -> Option<String> {
    let re = QUOTED.as_ref()?;
    let parts: Vec<&str> = re
        .captures_iter(args)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl JekyllInfo {
    /// Reads `Gemfile`, `Gemfile.lock` and a `*.gemspec` named by `gemspec` in `root`.
    pub fn read(root: &Path, config: &SiteConfig) -> JekyllInfo {
        let gemfile = std::fs::read_to_string(root.join("Gemfile")).unwrap_or_default();
        let lock = std::fs::read_to_string(root.join("Gemfile.lock")).unwrap_or_default();
        let mut source = JekyllSource::Unknown;
        let mut plugin_gems = Vec::new();
        let mut in_plugins_group = false;
        for line in gemfile.lines() {
            let code = line.split('#').next().unwrap_or("");
            let trimmed = code.trim();
            if trimmed.starts_with("group") && trimmed.contains(":jekyll_plugins") {
                in_plugins_group = true;
                continue;
            }
            if trimmed == "end" {
                in_plugins_group = false;
                continue;
            }
            if trimmed == "gemspec" || trimmed.starts_with("gemspec ") {
                if let JekyllSource::Unknown = source
                    && let Some(requirement) = gemspec_requirement(root)
                {
                    source = JekyllSource::Jekyll { requirement };
                }
                continue;
            }
            let Some(c) = GEM_LINE.as_ref().and_then(|re| re.captures(code)) else {
                continue;
            };
            let name = c.get(1).map_or("", |m| m.as_str());
            let args = c.get(2).map_or("", |m| m.as_str());
            match name {
                "github-pages" => source = JekyllSource::GithubPages,
                "jekyll" if source != JekyllSource::GithubPages => {
                    source = JekyllSource::Jekyll {
                        requirement: requirement_of(args),
                    }
                }
                _ if in_plugins_group || line.contains("jekyll_plugins") => {
                    plugin_gems.push(name.to_string())
                }
                _ => {}
            }
        }
        let mut locked_version = None;
        let mut github_pages_version = None;
        for line in lock.lines() {
            if let Some(c) = LOCK_SPEC.as_ref().and_then(|re| re.captures(line)) {
                let version = c.get(2).map(|m| m.as_str().to_string());
                match c.get(1).map_or("", |m| m.as_str()) {
                    "jekyll" => locked_version = version,
                    "github-pages" => github_pages_version = version,
                    _ => {}
                }
            }
        }
        if github_pages_version.is_some() {
            source = JekyllSource::GithubPages;
        }
        let mut plugins_not_on_pages = Vec::new();
        if source == JekyllSource::GithubPages {
            for plugin in config.plugins.iter().chain(&plugin_gems) {
                if !GITHUB_PAGES_PLUGINS.contains(&plugin.as_str())
                    && !plugins_not_on_pages.contains(plugin)
                {
                    plugins_not_on_pages.push(plugin.clone());
                }
            }
        }
        JekyllInfo {
            source,
            locked_version,
            github_pages_version,
            plugins_not_on_pages,
        }
    }

    /// True when the site builds with Jekyll 3.x (GitHub Pages, or a lock or requirement
    /// that says 3).
    pub fn is_jekyll_3(&self) -> bool {
        if let Some(version) = &self.locked_version {
            return version.starts_with("3.");
        }
        match &self.source {
            JekyllSource::GithubPages => true,
            JekyllSource::Jekyll {
                requirement: Some(requirement),
            } => {
                let r = requirement.trim_start_matches(['~', '>', '=', ' ']);
                r.starts_with('3') && !requirement.contains('<')
            }
            _ => false,
        }
    }

    /// One line for people: which Jekyll, safe mode, plugins GitHub Pages will not run.
    pub fn describe(&self) -> String {
        let mut text = match &self.source {
            JekyllSource::GithubPages => format!(
                "github-pages{} (Jekyll {}, safe mode, whitelisted plugins only)",
                self.github_pages_version
                    .as_ref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default(),
                self.locked_version.as_deref().unwrap_or("3.x")
            ),
            JekyllSource::Jekyll { requirement } => format!(
                "jekyll {}",
                self.locked_version
                    .clone()
                    .or_else(|| requirement.clone())
                    .unwrap_or_else(|| "(any version)".into())
            ),
            JekyllSource::Unknown => match &self.locked_version {
                Some(v) => format!("jekyll {v}"),
                None => {
                    "unknown (no Gemfile naming jekyll or github-pages); checked against Jekyll 4.3"
                        .into()
                }
            },
        };
        if !self.plugins_not_on_pages.is_empty() {
            text.push_str(&format!(
                "; GitHub Pages will not run: {}",
                self.plugins_not_on_pages.join(", ")
            ));
        }
        text
    }
}

/// The `jekyll` requirement in the site's gemspec (Gemfile `gemspec`), when it has one.
fn gemspec_requirement(root: &Path) -> Option<Option<String>> {
    let entries = std::fs::read_dir(root).ok()?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "gemspec")
            && let Ok(text) = std::fs::read_to_string(&path)
            && let Some(c) = GEMSPEC_JEKYLL.as_ref().and_then(|re| re.captures(&text))
        {
            return Some(requirement_of(c.get(1).map_or("", |m| m.as_str())));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_pages_means_jekyll_3_and_whitelisted_plugins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Gemfile"),
            "source \"https://rubygems.org\"\ngem \"github-pages\", group: :jekyll_plugins\ngroup :jekyll_plugins do\n  gem \"jekyll-archives\"\n  gem \"jekyll-feed\"\nend\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("Gemfile.lock"),
            "GEM\n  specs:\n    github-pages (228)\n    jekyll (3.9.3)\n",
        )
        .unwrap();
        let config = SiteConfig::parse("plugins: [jekyll-feed, jekyll-last-modified-at]\n");
        let info = JekyllInfo::read(dir.path(), &config);
        assert_eq!(info.source, JekyllSource::GithubPages);
        assert!(info.is_jekyll_3());
        assert_eq!(
            info.plugins_not_on_pages,
            ["jekyll-last-modified-at", "jekyll-archives"]
        );
        assert!(info.describe().contains("3.9.3"));
    }

    #[test]
    fn a_jekyll_requirement_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Gemfile"), "gem 'jekyll', '~> 4.3'\n").unwrap();
        let info = JekyllInfo::read(dir.path(), &SiteConfig::default());
        assert_eq!(
            info.source,
            JekyllSource::Jekyll {
                requirement: Some("~> 4.3".into())
            }
        );
        assert!(!info.is_jekyll_3());
    }
}
