//! The parts of a site's `_config.yml` that decide which posts Jekyll publishes, when and at
//! which URL, read with Jekyll 4.3's defaults for everything left out.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::post::check::{Diagnostic, Severity};

/// Jekyll's built-in permalink styles and the templates they stand for.
const PERMALINK_STYLES: &[(&str, &str)] = &[
    ("none", "/:categories/:title:output_ext"),
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    (
        "weekdate",
        "/:categories/:year/W:week/:short_day/:title:output_ext",
    ),
];

/// Files Jekyll 4.3 always leaves out, added to the site's own `exclude` list.
const DEFAULT_EXCLUDES: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// One entry of `defaults:`: front-matter values given to every file its scope matches.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultsRule {
    /// `scope.path`, when given (a prefix of the file's path, or a glob with `*`).
    pub path: Option<String>,
    /// `scope.type` (`posts`, `drafts`, `pages`...), when given.
    pub kind: Option<String>,
    /// The values it sets.
    pub values: Mapping,
}

/// What Byline reads from `_config.yml`.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// `timezone`: an IANA zone name; None uses the machine's zone, as Jekyll does.
    pub timezone: Option<String>,
    /// `permalink`: a style name (`date`, `pretty`...) or a template.
    pub permalink: String,
    /// `collections.posts.permalink`, which wins over `permalink` for posts.
    pub posts_permalink: Option<String>,
    /// `baseurl` (not part of `page.url`).
    pub baseurl: String,
    /// `future`: publish posts dated after the build.
    pub future: bool,
    /// `show_drafts`: publish `_drafts/`.
    pub show_drafts: bool,
    /// `unpublished`: publish posts with `published: false`.
    pub unpublished: bool,
    /// `defaults`, in file order.
    pub defaults: Vec<DefaultsRule>,
    /// `exclude` plus Jekyll's own excludes.
    pub exclude: Vec<String>,
    /// `include` (Jekyll's default is `.htaccess`).
    pub include: Vec<String>,
    /// Extensions Jekyll renders as Markdown (lower case, no dot).
    pub markdown_ext: Vec<String>,
    /// `theme`: a gem whose `_layouts`/`_includes` the site may use.
    pub theme: Option<String>,
    /// `remote_theme`: a theme fetched from GitHub at build time (its files are not here).
    pub remote_theme: Option<String>,
    /// `plugins` (or the older `gems`).
    pub plugins: Vec<String>,
    /// `layouts_dir`.
    pub layouts_dir: String,
    /// `includes_dir`.
    pub includes_dir: String,
    /// `collections_dir` (empty when posts sit at the root).
    pub collections_dir: String,
    /// True when `_config.yml` exists and was read.
    pub is_present: bool,
    /// Why `_config.yml` could not be read, located in the file.
    pub problem: Option<Diagnostic>,
}

impl Default for SiteConfig {
    /// Jekyll 4.3's defaults, for a site without `_config.yml`.
    fn default() -> Self {
        SiteConfig {
            timezone: None,
            permalink: "date".into(),
            posts_permalink: None,
            baseurl: String::new(),
            future: false,
            show_drafts: false,
            unpublished: false,
            defaults: Vec::new(),
            exclude: DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect(),
            include: vec![".htaccess".into()],
            markdown_ext: ["markdown", "mkdown", "mkdn", "mkd", "md"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            theme: None,
            remote_theme: None,
            plugins: Vec::new(),
            layouts_dir: "_layouts".into(),
            includes_dir: "_includes".into(),
            collections_dir: String::new(),
            is_present: false,
            problem: None,
        }
    }
}

/// A YAML 1.1 boolean as Psych (Jekyll's YAML reader) reads it: `yes`/`no`/`on`/`off` too.
pub fn psych_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => psych_bool_text(s),
        _ => None,
    }
}

/// The boolean an unquoted scalar means to Psych, if it is one (case-insensitive).
pub fn psych_bool_text(text: &str) -> Option<bool> {
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "yes" | "true" | "on" => Some(true),
        "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// A scalar as the text Ruby's `to_s` gives (numbers and booleans included).
pub fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_to_string(&tagged.value),
        _ => None,
    }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar_to_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

impl SiteConfig {
    /// Reads `_config.yml` in `root`; a missing file gives Jekyll's defaults, an unreadable
    /// one gives the defaults plus the problem.
    pub fn load(root: &Path) -> SiteConfig {
        let path = root.join("_config.yml");
        match std::fs::read_to_string(&path) {
            Ok(text) => SiteConfig::parse(&text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => SiteConfig::default(),
            Err(err) => SiteConfig {
                problem: Some(Diagnostic {
                    line: 1,
                    column: 1,
                    severity: Severity::Error,
                    message: format!("cannot read _config.yml: {err}"),
                }),
                ..SiteConfig::default()
            },
        }
    }

    /// Reads the text of a `_config.yml`.
    pub fn parse(text: &str) -> SiteConfig {
        let mut config = SiteConfig {
            is_present: true,
            ..SiteConfig::default()
        };
        let mapping = match serde_yaml::from_str::<Value>(text) {
            Ok(Value::Mapping(mapping)) => mapping,
            Ok(Value::Null) => return config,
            Ok(_) => {
                config.problem = Some(Diagnostic {
                    line: 1,
                    column: 1,
                    severity: Severity::Error,
                    message: "_config.yml is not a map of settings".into(),
                });
                return config;
            }
            Err(err) => {
                let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
                config.problem = Some(Diagnostic {
                    line,
                    column,
                    severity: Severity::Error,
                    message: format!("_config.yml does not parse: {err}"),
                });
                return config;
            }
        };
        let get = |key: &str| mapping.get(key);
        let text_of = |key: &str| get(key).and_then(scalar_to_string);
        config.timezone = text_of("timezone").filter(|s| !s.trim().is_empty());
        if let Some(permalink) = text_of("permalink") {
            config.permalink = permalink;
        }
        config.baseurl = text_of("baseurl").unwrap_or_default();
        config.future = get("future").and_then(psych_bool).unwrap_or(false);
        config.show_drafts = get("show_drafts").and_then(psych_bool).unwrap_or(false);
        config.unpublished = get("unpublished").and_then(psych_bool).unwrap_or(false);
        if let Some(Value::Mapping(collections)) = get("collections")
            && let Some(Value::Mapping(posts)) = collections.get("posts")
        {
            config.posts_permalink = posts.get("permalink").and_then(scalar_to_string);
        }
        if let Some(Value::Sequence(rules)) = get("defaults") {
            for rule in rules {
                let Some(Value::Mapping(values)) = rule.get("values") else {
                    continue;
                };
                let scope = rule.get("scope");
                config.defaults.push(DefaultsRule {
                    path: scope.and_then(|s| s.get("path")).and_then(scalar_to_string),
                    kind: scope.and_then(|s| s.get("type")).and_then(scalar_to_string),
                    values: values.clone(),
                });
            }
        }
        if get("exclude").is_some() {
            let mut exclude = string_list(get("exclude"));
            for default in DEFAULT_EXCLUDES {
                if !exclude.iter().any(|e| e == default) {
                    exclude.push((*default).to_string());
                }
            }
            config.exclude = exclude;
        }
        if get("include").is_some() {
            config.include = string_list(get("include"));
        }
        if let Some(exts) = text_of("markdown_ext") {
            config.markdown_ext = exts
                .split(',')
                .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect();
        }
        config.theme = text_of("theme").filter(|s| !s.is_empty());
        config.remote_theme = text_of("remote_theme").filter(|s| !s.is_empty());
        config.plugins = string_list(get("plugins"));
        config.plugins.extend(string_list(get("gems")));
        if let Some(dir) = text_of("layouts_dir") {
            config.layouts_dir = dir;
        }
        if let Some(dir) = text_of("includes_dir") {
            config.includes_dir = dir;
        }
        config.collections_dir = text_of("collections_dir")
            .map(|d| d.trim_matches('/').to_string())
            .unwrap_or_default();
        config
    }

    /// The URL template for posts: `collections.posts.permalink`, else the `permalink` style
    /// or template.
    pub fn post_url_template(&self) -> String {
        match &self.posts_permalink {
            Some(template) => template.clone(),
            None => style_to_template(&self.permalink),
        }
    }

    /// True when `ext` (without the dot) is rendered as Markdown.
    pub fn is_markdown_ext(&self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        self.markdown_ext.contains(&ext)
    }
}

/// The template a permalink style stands for; anything else is a template already.
pub fn style_to_template(style: &str) -> String {
    PERMALINK_STYLES
        .iter()
        .find(|(name, _)| *name == style)
        .map_or_else(|| style.to_string(), |(_, t)| (*t).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_decides_urls_and_dates() {
        let config = SiteConfig::parse(
            "timezone: Europe/Berlin\npermalink: pretty\nfuture: yes\nbaseurl: /b\nexclude: [old]\n\
             defaults:\n  - scope: {path: _posts/x, type: posts}\n    values: {layout: post}\n\
             collections:\n  posts:\n    permalink: /:title/\n",
        );
        assert_eq!(config.timezone.as_deref(), Some("Europe/Berlin"));
        assert!(config.future);
        assert_eq!(config.baseurl, "/b");
        assert_eq!(config.post_url_template(), "/:title/");
        assert!(config.exclude.contains(&"old".to_string()));
        assert!(config.exclude.contains(&"Gemfile".to_string()));
        assert_eq!(config.defaults.len(), 1);
        assert_eq!(config.defaults[0].kind.as_deref(), Some("posts"));
        let plain = SiteConfig::parse("permalink: ordinal\n");
        assert_eq!(
            plain.post_url_template(),
            "/:categories/:year/:y_day/:title:output_ext"
        );
        assert!(SiteConfig::parse("a: [\n").problem.is_some());
    }
}
