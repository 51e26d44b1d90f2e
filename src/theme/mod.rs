//! Renders an open post through its site's own theme, as `jekyll build` would write it: the
//! body's Liquid, then kramdown-style Markdown, then the layout chain with `site`, `page` and
//! `content`, plus the site's Sass compiled — all in process, from the unsaved text.
//!
//! The window's "Preview in site theme", `byline render` and `byline preview` all go through
//! [`ThemeSite`]. Nothing here imports egui.

pub mod gem_theme;
pub mod highlight;
pub mod kramdown;
pub mod layouts;
pub mod liquid;
pub mod output;
pub mod sass;
pub mod site_vars;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ::liquid::model::Value;
use serde_yaml::Mapping;

use crate::diagnostic::{Diagnostic, Severity};
use crate::site::config::scalar_to_string;
use crate::site::{IndexOptions, Site, SitePost};
use gem_theme::GemTheme;
use layouts::Layouts;
use site_vars::{PageFile, PostVars};

/// A problem met while rendering, located in the file it came from (a layout, an include, a
/// stylesheet or the post itself), so the page and the window can say "file:line".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderProblem {
    /// Path of the file from the site root, `/`-separated (or an absolute path for a theme
    /// gem's file).
    pub file: String,
    /// Where in that file, and what.
    pub diagnostic: Diagnostic,
}

impl RenderProblem {
    fn new(file: &str, line: usize, severity: Severity, message: String) -> RenderProblem {
        RenderProblem {
            file: file.to_string(),
            diagnostic: Diagnostic {
                line: line.max(1),
                column: 1,
                severity,
                message,
            },
        }
    }
}

impl std::fmt::Display for RenderProblem {
    /// `file:line:column: severity: message`, as the command line prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.diagnostic)
    }
}

/// A file the page needs that Byline produced rather than copied: a compiled stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Its path in the built site, without `baseurl` and without a leading `/`
    /// (`assets/css/style.css`).
    pub site_path: String,
    /// Its content.
    pub text: String,
}

/// One post rendered through the theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    /// The whole HTML page, links and asset URLs exactly as Jekyll writes them.
    pub html: String,
    /// `page.url` (without `baseurl`), where Jekyll would write the page.
    pub url: String,
    /// Stylesheets compiled from the site's Sass/SCSS, at their site paths.
    pub generated: Vec<GeneratedFile>,
    /// What went wrong or could not be run (shown in the page and in the window too).
    pub problems: Vec<RenderProblem>,
}

/// A site loaded for rendering: configuration, index, layouts, includes, data and compiled
/// stylesheets, kept so that re-rendering after an edit only redoes the post.
pub struct ThemeSite {
    root: PathBuf,
    index: Site,
    /// The whole configuration (Jekyll's defaults, the theme's, the site's).
    config: Mapping,
    theme: Option<GemTheme>,
    /// `theme:` names a gem that is not installed here.
    is_theme_missing: bool,
    layouts: Layouts,
    engine: Option<liquid::JekyllLiquid>,
    kramdown: kramdown::KramdownOptions,
    /// Published posts, newest first, excerpts rendered.
    posts: Vec<PostVars>,
    /// `site`, `jekyll` and the other globals every render shares; `page`, `layout` and
    /// `content` are put in for one render and taken out after.
    globals: Mutex<::liquid::Object>,
    generated: Vec<GeneratedFile>,
    /// Problems of the site itself (theme, Sass, data), shown on every page.
    site_problems: Vec<RenderProblem>,
    /// What the site's inputs looked like when it was opened (see [`ThemeSite::is_stale`]).
    inputs_fingerprint: u64,
}

/// Jekyll's version the rendering follows (`jekyll.version`, the generator tags).
pub const JEKYLL_VERSION: &str = "4.3.1";

/// True when `text` holds a Liquid tag or output (Jekyll's `has_liquid_construct?`).
fn has_liquid(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// `text` (the site's `_config.yml`) as a map (empty when it does not parse as one; the index
/// reports why).
fn parse_own_config(text: &str) -> Mapping {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Mapping(mapping)) => mapping,
        _ => Mapping::new(),
    }
}

/// The 1-based line of `key:` at the start of a line of `config_text` (1 when absent).
fn config_line(config_text: &str, key: &str) -> usize {
    config_text
        .lines()
        .position(|line| line.starts_with(&format!("{key}:")))
        .map_or(1, |i| i + 1)
}

/// Text of `key` in a map.
fn mapping_text(mapping: &Mapping, key: &str) -> Option<String> {
    mapping.get(key).and_then(scalar_to_string)
}

impl ThemeSite {
    /// Loads the site holding `root` for rendering.
    pub fn open(root: &Path) -> ThemeSite {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let index = Site::open(&root, &IndexOptions::default());
        let config_text = std::fs::read_to_string(root.join("_config.yml")).unwrap_or_default();
        let own = parse_own_config(&config_text);
        let mut site_problems = Vec::new();
        let mut is_theme_missing = false;
        let theme = match index.config.theme.as_deref() {
            Some(name) => {
                let found = gem_theme::find(&root, name);
                if found.is_none() {
                    is_theme_missing = true;
                    site_problems.push(RenderProblem::new(
                        "_config.yml",
                        config_line(&config_text, "theme"),
                        Severity::Error,
                        format!(
                            "the theme gem `{name}` is not installed on this machine (Jekyll stops with \"The {name} theme could not be found.\"); install it with `gem install {name}` or `bundle install`"
                        ),
                    ));
                }
                found
            }
            None => None,
        };
        if let Some(remote) = &index.config.remote_theme {
            site_problems.push(RenderProblem::new(
                "_config.yml",
                config_line(&config_text, "remote_theme"),
                Severity::Warning,
                format!(
                    "remote_theme `{remote}` is fetched from GitHub at build time: Byline renders with the site's own layouts only"
                ),
            ));
        }
        let theme_config = theme.as_ref().and_then(GemTheme::config);
        let config = site_vars::site_config(
            &root,
            &own,
            theme_config.as_ref(),
            &index.config.post_url_template(),
        );
        let theme_folder = |name: &str| theme.as_ref().and_then(|t| t.folder(name));
        let layouts = Layouts::load(
            &root,
            &index.config.layouts_dir,
            theme_folder("_layouts").as_deref(),
        );
        let kramdown =
            kramdown::KramdownOptions::from_config(&serde_yaml::Value::Mapping(config.clone()));

        // Posts and pages, for `site` and for `post_url`/`link`.
        let posts = read_posts(&root, &index);
        let permalink = mapping_text(&config, "permalink").unwrap_or_else(|| "date".into());
        let mut pages = site_vars::read_pages(&root, &index.config, &permalink);
        if let Some(assets) = theme_folder("assets") {
            let mut theme_pages = Vec::new();
            collect_theme_assets(
                &assets,
                "assets",
                &index.config,
                &permalink,
                &mut theme_pages,
            );
            for page in theme_pages {
                if !pages.iter().any(|p| p.relative == page.relative) {
                    pages.push(page);
                }
            }
        }

        let mut includes_dirs = vec![root.join(&index.config.includes_dir)];
        includes_dirs.extend(theme_folder("_includes"));
        let mut post_urls = HashMap::new();
        let mut link_urls = HashMap::new();
        for post in index.posts.iter().filter(|p| p.is_published) {
            let Some(url) = &post.url else { continue };
            let after_posts = post
                .path
                .split_once("_posts/")
                .map_or(post.path.as_str(), |(_, rest)| rest);
            let ext = crate::site::permalink::extname(after_posts);
            let name = after_posts.strip_suffix(ext).unwrap_or(after_posts);
            post_urls.insert(name.to_string(), url.clone());
            link_urls.insert(post.path.clone(), url.clone());
        }
        for page in &pages {
            link_urls.insert(page.relative.clone(), page.url.clone());
        }
        let setup = liquid::LiquidSetup {
            site_root: root.clone(),
            includes_dirs,
            post_urls,
            link_urls,
            kramdown: kramdown.clone(),
        };
        let engine = match liquid::JekyllLiquid::new(setup) {
            Ok(engine) => Some(engine),
            Err(problem) => {
                site_problems.push(RenderProblem::new(
                    &problem.file,
                    problem.line,
                    Severity::Error,
                    problem.message,
                ));
                None
            }
        };

        let mut site = ThemeSite {
            root: root.clone(),
            index,
            config,
            theme,
            is_theme_missing,
            layouts,
            engine,
            kramdown,
            posts,
            globals: Mutex::new(::liquid::Object::new()),
            generated: Vec::new(),
            site_problems,
            inputs_fingerprint: 0,
        };
        site.inputs_fingerprint = site.fingerprint();
        let data = site.read_site_data();
        site.set_globals(&pages, &data);
        site.render_excerpts();
        site.set_globals(&pages, &data);
        site.compile_stylesheets(&pages);
        site
    }

    /// True when a file the rendering read when the site was opened — `_config.yml`, a
    /// layout, an include, Sass, data, a post or a page with front matter — changed, appeared
    /// or went away since: the caller opens the site again (a few file stats per file, no
    /// reading).
    pub fn is_stale(&self) -> bool {
        self.fingerprint() != self.inputs_fingerprint
    }

    /// A hash of the paths, sizes and modification times of the files rendering depends on.
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let mut stat = |path: &Path| {
            path.hash(&mut hasher);
            if let Ok(meta) = std::fs::metadata(path) {
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        };
        stat(&self.root.join("_config.yml"));
        let data_dir = mapping_text(&self.config, "data_dir").unwrap_or_else(|| "_data".into());
        let mut folders = vec![
            self.root.join(&self.index.config.layouts_dir),
            self.root.join(&self.index.config.includes_dir),
            self.root.join("_sass"),
            self.root.join(data_dir),
            self.root.join("_posts"),
            self.root.join("_drafts"),
            self.root.join("assets"),
        ];
        if let Some(theme) = &self.theme {
            folders.push(theme.root.clone());
        }
        for folder in folders {
            stat_tree(&folder, &mut stat);
        }
        hasher.finish()
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The site index the rendering uses.
    pub fn index(&self) -> &Site {
        &self.index
    }

    /// The theme gem's folder, when `theme:` names one that is installed: its `assets/`
    /// files are served at `/assets/…` where the site has no file of the same path (Jekyll
    /// copies them into the built site).
    pub fn theme_root(&self) -> Option<&Path> {
        self.theme.as_ref().map(|t| t.root.as_path())
    }

    /// Stylesheets compiled when the site was opened.
    pub fn generated(&self) -> &[GeneratedFile] {
        &self.generated
    }

    /// Problems of the site itself (a missing theme gem, Sass errors, unreadable data).
    pub fn site_problems(&self) -> &[RenderProblem] {
        &self.site_problems
    }

    /// `site.data`: the site's `_data` over the theme gem's.
    fn read_site_data(&mut self) -> ::liquid::Object {
        let mut data = ::liquid::Object::new();
        let mut problems = Vec::new();
        if let Some(theme_data) = self.theme.as_ref().and_then(|t| t.folder("_data")) {
            site_vars::read_data(&theme_data, &mut data, &mut problems);
        }
        let data_dir = mapping_text(&self.config, "data_dir").unwrap_or_else(|| "_data".into());
        site_vars::read_data(&self.root.join(data_dir), &mut data, &mut problems);
        for (path, message) in problems {
            let file = path.strip_prefix(&self.root).map_or_else(
                |_| path.to_string_lossy().into_owned(),
                |p| p.to_string_lossy().replace('\\', "/"),
            );
            self.site_problems
                .push(RenderProblem::new(&file, 1, Severity::Error, message));
        }
        data
    }

    /// Builds `site` (and `jekyll`) from the configuration, posts, pages and data.
    fn set_globals(&self, pages: &[PageFile], data: &::liquid::Object) {
        let mut site = site_vars::mapping_to_object(&self.config);
        let objects: Vec<::liquid::Object> = self
            .posts
            .iter()
            .enumerate()
            .map(|(i, post)| {
                let mut object = post.object.clone();
                let newer = i.checked_sub(1).and_then(|n| self.posts.get(n));
                let older = self.posts.get(i + 1);
                object.insert(
                    "next".into(),
                    newer.map_or(Value::Nil, |p| site_vars::collapsed(&p.object)),
                );
                object.insert(
                    "previous".into(),
                    older.map_or(Value::Nil, |p| site_vars::collapsed(&p.object)),
                );
                object
            })
            .collect();
        site.insert(
            "categories".into(),
            Value::Object(site_vars::group_posts(&objects, "categories")),
        );
        site.insert(
            "tags".into(),
            Value::Object(site_vars::group_posts(&objects, "tags")),
        );
        let posts = Value::Array(objects.into_iter().map(Value::Object).collect());
        let page_objects: Vec<Value> = pages.iter().map(|p| Value::Object(p.object())).collect();
        let mut all_pages = page_objects.clone();
        if self.has_plugin("jekyll-feed") {
            let feed_path = match self.config.get("feed") {
                Some(serde_yaml::Value::Mapping(feed)) => mapping_text(feed, "path"),
                _ => None,
            }
            .unwrap_or_else(|| "feed.xml".into());
            let mut feed = ::liquid::Object::new();
            let name = feed_path
                .rsplit('/')
                .next()
                .unwrap_or(&feed_path)
                .to_string();
            feed.insert("name".into(), Value::scalar(name));
            feed.insert("path".into(), Value::scalar(feed_path.clone()));
            feed.insert("url".into(), Value::scalar(format!("/{feed_path}")));
            all_pages.push(Value::Object(feed));
        }
        let html_pages: Vec<Value> = all_pages
            .iter()
            .filter(|p| {
                let url = match p {
                    Value::Object(o) => site_vars::value_text(o.get("url")).unwrap_or_default(),
                    _ => String::new(),
                };
                url.ends_with(".html") || url.ends_with('/')
            })
            .cloned()
            .collect();
        site.insert("pages".into(), Value::Array(all_pages));
        site.insert("html_pages".into(), Value::Array(html_pages));
        site.insert("documents".into(), posts.clone());
        let mut collection = ::liquid::Object::new();
        collection.insert("label".into(), Value::scalar("posts"));
        collection.insert("output".into(), Value::scalar(true));
        collection.insert("relative_directory".into(), Value::scalar("_posts"));
        collection.insert(
            "directory".into(),
            Value::scalar(self.root.join("_posts").to_string_lossy().into_owned()),
        );
        collection.insert(
            "permalink".into(),
            Value::scalar(self.index.config.post_url_template()),
        );
        collection.insert("docs".into(), posts.clone());
        collection.insert("files".into(), Value::Array(Vec::new()));
        site.insert(
            "collections".into(),
            Value::Array(vec![Value::Object(collection)]),
        );
        site.insert("posts".into(), posts);
        site.insert("data".into(), Value::Object(data.clone()));
        site.insert("static_files".into(), Value::Array(Vec::new()));
        site.insert(
            "time".into(),
            site_vars::zoned_to_liquid(&self.index.now.to_zoned(self.index.time_zone.clone())),
        );
        let mut jekyll = ::liquid::Object::new();
        jekyll.insert("version".into(), Value::scalar(JEKYLL_VERSION));
        jekyll.insert(
            "environment".into(),
            Value::scalar(
                std::env::var("JEKYLL_ENV").unwrap_or_else(|_| "development".to_string()),
            ),
        );
        let mut globals = self.lock_globals();
        globals.clear();
        globals.insert("site".into(), Value::Object(site));
        globals.insert("jekyll".into(), Value::Object(jekyll));
        globals.insert("paginator".into(), Value::Nil);
    }

    /// True when `plugins:` lists `name`.
    fn has_plugin(&self, name: &str) -> bool {
        self.index.config.plugins.iter().any(|p| p == name)
    }

    fn lock_globals(&self) -> std::sync::MutexGuard<'_, ::liquid::Object> {
        self.globals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The excerpt separator for a post's data.
    fn excerpt_separator(&self, data: &Mapping) -> String {
        mapping_text(data, "excerpt_separator")
            .or_else(|| mapping_text(&self.config, "excerpt_separator"))
            .unwrap_or_default()
    }

    /// The HTML of a post's excerpt: its `excerpt` front matter as given, else its first
    /// paragraph through Liquid and Markdown (problems in it are the post's, shown when it
    /// is rendered itself).
    fn excerpt_html(
        &self,
        path: &str,
        data: &Mapping,
        body: &str,
        page: &::liquid::Object,
    ) -> String {
        if let Some(given) = mapping_text(data, "excerpt") {
            return given;
        }
        let separator = self.excerpt_separator(data);
        if separator.is_empty() {
            return String::new();
        }
        let mut source = site_vars::excerpt_source(body, &separator);
        let liquid_off = matches!(
            data.get("render_with_liquid"),
            Some(serde_yaml::Value::Bool(false))
        );
        if !liquid_off
            && has_liquid(&source)
            && let Some(engine) = &self.engine
        {
            let mut globals = self.lock_globals();
            let mut excerpt_page = page.clone();
            excerpt_page.remove("layout");
            excerpt_page.remove("excerpt");
            globals.insert("page".into(), Value::Object(excerpt_page));
            if let Ok((out, _)) = engine.render(path, &source, &globals) {
                source = out;
            }
            globals.remove("page");
        }
        if self.is_markdown(path) {
            kramdown::to_html(&source, &self.kramdown)
        } else {
            source
        }
    }

    /// True for a file Jekyll converts from Markdown.
    fn is_markdown(&self, path: &str) -> bool {
        let ext = crate::site::permalink::extname(path);
        self.index
            .config
            .is_markdown_ext(&ext.trim_start_matches('.').to_ascii_lowercase())
    }

    /// Renders every post's excerpt once (`site.posts[i].excerpt`).
    fn render_excerpts(&mut self) {
        let mut excerpts = Vec::with_capacity(self.posts.len());
        for post in &self.posts {
            excerpts.push(self.excerpt_html(&post.path, &post.data, &post.body, &post.object));
        }
        for (post, excerpt) in self.posts.iter_mut().zip(excerpts) {
            post.object.insert("excerpt".into(), Value::scalar(excerpt));
        }
    }

    /// Compiles every `.scss`/`.sass` page: Liquid, then Sass.
    fn compile_stylesheets(&mut self, pages: &[PageFile]) {
        let theme_sass = self.theme.as_ref().and_then(|t| t.folder("_sass"));
        let settings =
            sass::SassSettings::from_config(&self.root, &self.config, theme_sass.as_deref());
        for page in pages {
            let ext = crate::site::permalink::extname(&page.relative).to_ascii_lowercase();
            if ext != ".scss" && ext != ".sass" {
                continue;
            }
            let display = if page.absolute.starts_with(&self.root) {
                page.relative.clone()
            } else {
                page.absolute.to_string_lossy().into_owned()
            };
            let mut content = page.content.clone();
            if has_liquid(&content)
                && let Some(engine) = &self.engine
            {
                let mut globals = self.lock_globals();
                globals.insert("page".into(), Value::Object(page.object()));
                let rendered = engine.render(&display, &content, &globals);
                globals.remove("page");
                drop(globals);
                match rendered {
                    Ok((out, problems)) => {
                        content = out;
                        for problem in problems {
                            self.site_problems.push(liquid_problem(
                                &problem,
                                &display,
                                page.content_first_line,
                                Severity::Warning,
                            ));
                        }
                    }
                    Err(problem) => {
                        self.site_problems.push(liquid_problem(
                            &problem,
                            &display,
                            page.content_first_line,
                            Severity::Error,
                        ));
                        continue;
                    }
                }
            }
            match sass::compile(
                &settings,
                &self.root,
                &page.absolute,
                &content,
                page.content_first_line,
            ) {
                Ok(css) => self.generated.push(GeneratedFile {
                    site_path: page.url.trim_start_matches('/').to_string(),
                    text: css,
                }),
                Err(problem) => self.site_problems.push(RenderProblem {
                    file: problem.file,
                    diagnostic: Diagnostic {
                        line: problem.line,
                        column: problem.column,
                        severity: Severity::Error,
                        message: format!("Sass: {}", problem.message),
                    },
                }),
            }
        }
    }

    /// The post's path from the site root (its file name when it is outside the site).
    fn relative_path(&self, post_path: &Path) -> String {
        self.index.relative_path(post_path).unwrap_or_else(|| {
            post_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }

    /// Renders the post at `post_path` (a file of this site) from `post_text`, the editor's
    /// current, possibly unsaved, text.
    pub fn render_post(&self, post_path: &Path, post_text: &str) -> RenderedPage {
        let relative = self.relative_path(post_path);
        let post = crate::post::Post::from_text(post_text);
        let mut problems = self.site_problems.clone();
        let own = match post.front_matter().map(|f| (f.block(), f.error())) {
            Some((Ok(block), _)) => block.mapping.clone(),
            Some((Err(_), error)) => {
                if let Some(error) = error {
                    problems.push(RenderProblem {
                        file: relative.clone(),
                        diagnostic: Diagnostic {
                            line: error.line,
                            column: error.column,
                            severity: Severity::Error,
                            message: format!(
                                "{}: Jekyll reports a YAML exception and renders the file without its front matter",
                                error.message
                            ),
                        },
                    });
                }
                Mapping::new()
            }
            None => Mapping::new(),
        };
        let (body, skipped_lines) = if post.front_matter().is_some() {
            site_vars::jekyll_content(post.body())
        } else {
            (post.body(), 0)
        };
        let body = body.to_string();
        let body_first_line = post.body_first_line() + skipped_lines;
        let evaluated = self.index.evaluate(&relative, &post);
        let (data, mut page, url) = match &evaluated {
            Some(site_post) => {
                let data = site_vars::post_data(&self.root, &self.index.config, site_post, &own);
                let page = site_vars::post_object(site_post, &data, &body);
                (data, page, site_post.url.clone().unwrap_or_default())
            }
            None => {
                let permalink = mapping_text(&self.config, "permalink").unwrap_or_default();
                let page_file = PageFile {
                    absolute: post_path.to_path_buf(),
                    relative: relative.clone(),
                    url: String::new(),
                    data: own.clone(),
                    content: body.clone(),
                    content_first_line: body_first_line,
                };
                let url = site_vars::page_url(
                    &relative,
                    &own,
                    &permalink,
                    &self.index.config.markdown_ext,
                );
                let mut page = page_file.object();
                page.insert("url".into(), Value::scalar(url.clone()));
                (own.clone(), page, url)
            }
        };
        let position = self.posts.iter().position(|p| p.path == relative);
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| self.posts.get(i))
                .map_or(Value::Nil, |p| site_vars::collapsed(&p.object))
        };
        if evaluated.is_some() {
            page.insert(
                "next".into(),
                neighbour(position.and_then(|i| i.checked_sub(1))),
            );
            page.insert("previous".into(), neighbour(position.map(|i| i + 1)));
            let excerpt = self.excerpt_html(&relative, &data, &body, &page);
            page.insert("excerpt".into(), Value::scalar(excerpt));
        }

        let layout_name = mapping_text(&data, "layout");
        let (chain, missing) = self.layouts.chain(layout_name.as_deref());
        if let Some(missing) = &missing {
            let (file, line) = if chain.is_empty() {
                (relative.clone(), 1)
            } else {
                let last = chain.last().map_or("", |l| l.file.as_str()).to_string();
                (last, 1)
            };
            problems.push(RenderProblem::new(
                &file,
                line,
                Severity::Warning,
                format!("layout `{missing}` does not exist (Jekyll renders the page without it)"),
            ));
        }
        let Some(engine) = &self.engine else {
            return self.fallback_page(post_path, &post, url, problems);
        };
        if self.is_theme_missing && chain.is_empty() {
            return self.fallback_page(post_path, &post, url, problems);
        }

        let mut globals = self.lock_globals();
        // The post's own entry in `site.posts` shows the unsaved text too (until the render
        // ends).
        let replaced = position.and_then(|i| {
            let entry = site_post_entry(&mut globals, i)?;
            Some((i, std::mem::replace(entry, Value::Object(page.clone()))))
        });
        let mut layout_data = chain.first().map(|l| l.data.clone()).unwrap_or_default();
        globals.insert("page".into(), Value::Object(page.clone()));
        globals.insert(
            "layout".into(),
            Value::Object(site_vars::mapping_to_object(&layout_data)),
        );
        globals.insert("content".into(), Value::Nil);

        // The body: Liquid (unless turned off), then Markdown.
        let mut output = body.clone();
        let liquid_off = matches!(
            data.get("render_with_liquid"),
            Some(serde_yaml::Value::Bool(false))
        );
        if !liquid_off && has_liquid(&body) {
            match engine.render(&relative, &body, &globals) {
                Ok((out, found)) => {
                    output = out;
                    problems.extend(
                        found.iter().map(|p| {
                            liquid_problem(p, &relative, body_first_line, Severity::Warning)
                        }),
                    );
                }
                Err(problem) => {
                    problems.push(liquid_problem(
                        &problem,
                        &relative,
                        body_first_line,
                        Severity::Error,
                    ));
                }
            }
        }
        if self.is_markdown(&relative) {
            output = kramdown::to_html(&output, &self.kramdown);
        }
        page.insert("content".into(), Value::scalar(output.clone()));
        globals.insert("page".into(), Value::Object(page));

        // The layouts, innermost first; `layout` gathers their front matter, inner keys winning.
        layout_data = Mapping::new();
        for layout in &chain {
            let mut merged = layout.data.clone();
            site_vars::deep_merge(&mut merged, &layout_data);
            layout_data = merged;
            globals.insert("content".into(), Value::scalar(output.clone()));
            globals.insert(
                "layout".into(),
                Value::Object(site_vars::mapping_to_object(&layout_data)),
            );
            match engine.render(&layout.file, &layout.content, &globals) {
                Ok((out, found)) => {
                    output = out;
                    problems.extend(found.iter().map(|p| {
                        liquid_problem(
                            p,
                            &layout.file,
                            layout.content_first_line,
                            Severity::Warning,
                        )
                    }));
                }
                Err(problem) => problems.push(liquid_problem(
                    &problem,
                    &layout.file,
                    layout.content_first_line,
                    Severity::Error,
                )),
            }
        }
        for key in ["page", "layout", "content"] {
            globals.remove(key);
        }
        if let Some((i, saved)) = replaced
            && let Some(entry) = site_post_entry(&mut globals, i)
        {
            *entry = saved;
        }
        drop(globals);

        RenderedPage {
            html: with_problem_box(&output, &problems),
            url,
            generated: self.generated.clone(),
            problems,
        }
    }

    /// Byline's own page for the post (the theme could not be used), with the problems on top.
    fn fallback_page(
        &self,
        post_path: &Path,
        post: &crate::post::Post,
        url: String,
        mut problems: Vec<RenderProblem>,
    ) -> RenderedPage {
        let html = match crate::export::render_html_with(
            post_path,
            post,
            crate::export::HtmlOptions::default(),
        ) {
            Ok(html) => html,
            Err(err) => {
                problems.push(RenderProblem::new(
                    &self.relative_path(post_path),
                    1,
                    Severity::Error,
                    err.to_string(),
                ));
                format!(
                    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><pre>{}</pre></body></html>\n",
                    crate::export::escape_html(post.body())
                )
            }
        };
        problems.push(RenderProblem::new(
            "_config.yml",
            1,
            Severity::Warning,
            "shown in Byline's own page instead of the site's theme".into(),
        ));
        RenderedPage {
            html: with_problem_box(&html, &problems),
            url,
            generated: Vec::new(),
            problems,
        }
    }
}

/// `site.posts[i]` in the globals.
fn site_post_entry(globals: &mut ::liquid::Object, i: usize) -> Option<&mut Value> {
    match globals.get_mut("site")? {
        Value::Object(site) => match site.get_mut("posts")? {
            Value::Array(posts) => posts.get_mut(i),
            _ => None,
        },
        _ => None,
    }
}

/// Calls `stat` on every file below `dir` (names starting with `.` skipped), in name order.
fn stat_tree(dir: &Path, stat: &mut impl FnMut(&Path)) {
    for (_, entry) in crate::walk::visible_entries(dir) {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            stat_tree(&path, stat);
        } else {
            stat(&path);
        }
    }
}

/// Reads every published post of the index once: merged front matter, body and `page`-like
/// object (excerpts come later).
fn read_posts(root: &Path, index: &Site) -> Vec<PostVars> {
    use rayon::prelude::*;
    index
        .posts
        .par_iter()
        .filter(|p| p.is_published)
        .map(|site_post: &SitePost| {
            let text = std::fs::read(root.join(&site_post.path))
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            let post = crate::post::Post::from_text(&text);
            let own = post
                .front_matter()
                .and_then(|f| f.block().ok())
                .map(|b| b.mapping.clone())
                .unwrap_or_default();
            let data = site_vars::post_data(root, &index.config, site_post, &own);
            let body = if post.front_matter().is_some() {
                site_vars::jekyll_content(post.body()).0
            } else {
                post.body()
            }
            .to_string();
            PostVars {
                path: site_post.path.clone(),
                object: site_vars::post_object(site_post, &data, &body),
                body,
                data,
            }
        })
        .collect()
}

/// Pages with front matter in a theme gem's `assets` folder (Jekyll reads them as the site's
/// own unless the site has a file at the same path).
fn collect_theme_assets(
    dir: &Path,
    relative: &str,
    config: &crate::site::SiteConfig,
    permalink: &str,
    out: &mut Vec<PageFile>,
) {
    for (name, entry) in crate::walk::visible_entries(dir) {
        let child = format!("{relative}/{name}");
        let path = entry.path();
        if path.is_dir() {
            collect_theme_assets(&path, &child, config, permalink, out);
        } else if let Some(page) = site_vars::read_page(&path, &child, config, permalink) {
            out.push(page);
        }
    }
}

/// A Liquid problem as a render problem: lines in `file` (rendered without its front matter)
/// are moved down to the file's own lines.
fn liquid_problem(
    problem: &liquid::LiquidProblem,
    file: &str,
    content_first_line: usize,
    severity: Severity,
) -> RenderProblem {
    let line = if problem.file == file || problem.file.is_empty() {
        problem.line + content_first_line.saturating_sub(1)
    } else {
        problem.line
    };
    let file = if problem.file.is_empty() {
        file
    } else {
        problem.file.as_str()
    };
    RenderProblem::new(file, line, severity, problem.message.clone())
}

/// The id of the problem box Byline puts at the top of a page it could not render exactly.
pub const PROBLEM_BOX_ID: &str = "byline-render-problems";

/// `html` with a visible box listing `problems` right after `<body…>` (or at the top when
/// the page has no body tag); `html` unchanged when there are none.
pub fn with_problem_box(html: &str, problems: &[RenderProblem]) -> String {
    if problems.is_empty() {
        return html.to_string();
    }
    let mut items = String::new();
    for problem in problems {
        items.push_str(&format!(
            "<li style=\"margin:2px 0\"><code style=\"font:inherit;font-weight:bold\">{}:{}</code> {}: {}</li>",
            crate::export::escape_html(&problem.file),
            problem.diagnostic.line,
            problem.diagnostic.severity,
            crate::export::escape_html(&problem.diagnostic.message),
        ));
    }
    let has_error = problems
        .iter()
        .any(|p| p.diagnostic.severity == Severity::Error);
    let (border, background, ink) = if has_error {
        ("#c62828", "#fdecea", "#7f1d1d")
    } else {
        ("#b26a00", "#fff4e0", "#5f3b00")
    };
    let heading = if has_error {
        "Byline could not render this page as Jekyll would:"
    } else {
        "Byline rendered this page with warnings:"
    };
    let block = format!(
        "<div id=\"{PROBLEM_BOX_ID}\" role=\"alert\" style=\"all:initial;display:block;box-sizing:border-box;margin:0;padding:10px 16px;border:3px solid {border};background:{background};color:{ink};font:14px/1.45 system-ui,sans-serif;position:relative;z-index:2147483647\"><strong>{heading}</strong><ul style=\"margin:4px 0 0;padding-left:20px\">{items}</ul></div>"
    );
    let lower = html.to_ascii_lowercase();
    let body_end = lower.find("<body").and_then(|start| {
        lower
            .get(start..)
            .and_then(|rest| rest.find('>'))
            .map(|end| start + end + 1)
    });
    match body_end {
        Some(at) if html.is_char_boundary(at) => {
            let (before, after) = html.split_at(at);
            format!("{before}{block}{after}")
        }
        _ => format!("{block}\n{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_support::write;

    const CONFIG: &str = "title: Test Site\nbaseurl: /b\ndefaults:\n  - scope:\n      path: \"\"\n      type: posts\n    values:\n      layout: post\n      shade: grey\n";

    fn site_with_layouts(root: &Path) {
        write(root, "_config.yml", CONFIG);
        write(
            root,
            "_layouts/base.html",
            "<html><body data-kind=\"{{ layout.kind }}\" data-inner=\"{{ layout.inner }}\">{{ content }}<ul>{% for p in site.posts %}{{ p.title }};{% endfor %}</ul></body></html>",
        );
        write(
            root,
            "_layouts/post.html",
            "---\nlayout: base\nkind: post-kind\ninner: yes-inner\n---\n<h1>{{ page.title }}</h1>[{{ page.shade }}|{{ page.url }}|{{ page.id }}|{{ page.previous.title }}|{{ page.next.title }}|{{ site.data.links.first.name }}|{{ site.title }}]<div class=\"excerpt\">{{ page.excerpt }}</div>{{ content }}",
        );
        write(root, "_data/links.yml", "- name: Alpha\n");
        write(
            root,
            "_posts/2024-01-01-older.md",
            "---\ntitle: Older\n---\nOld text.\n",
        );
        write(
            root,
            "_posts/2024-02-01-middle.md",
            "---\ntitle: Middle\n---\nFirst para.\n\nSecond para.\n",
        );
        write(
            root,
            "_posts/2024-03-01-newer.md",
            "---\ntitle: Newer\n---\nNew text.\n",
        );
    }

    #[test]
    fn post_goes_through_its_layout_chain_with_site_and_page() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        let site = ThemeSite::open(root);
        let path = root.join("_posts/2024-02-01-middle.md");
        let text = "---\ntitle: Middle (edited)\n---\nFirst *para*.\n\nSecond para.\n";
        let page = site.render_post(&path, text);
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        assert_eq!(page.url, "/2024/02/01/middle.html");
        let html = &page.html;
        // The outer layout sees the inner layout's front matter through `layout`.
        assert!(
            html.starts_with("<html><body data-kind=\"post-kind\" data-inner=\"yes-inner\">"),
            "{html}"
        );
        // Defaults, the unsaved title, url, id, neighbours, data and config.
        assert!(
            html.contains("<h1>Middle (edited)</h1>[grey|/2024/02/01/middle.html|/2024/02/01/middle|Older|Newer|Alpha|Test Site]"),
            "{html}"
        );
        assert!(html.contains("<em>para</em>"), "{html}");
        // The excerpt is the first paragraph, rendered.
        let excerpt = html.split("<div class=\"excerpt\">").nth(1).unwrap();
        let excerpt = excerpt.split("</div>").next().unwrap();
        assert!(excerpt.contains("First <em>para</em>."), "{excerpt}");
        assert!(!excerpt.contains("Second"), "{excerpt}");
        assert!(!html.contains(PROBLEM_BOX_ID));
        // `site.posts` shows the unsaved title while this post renders, the saved one after.
        assert!(
            html.contains("<ul>Newer;Middle (edited);Older;</ul>"),
            "{html}"
        );
        let other = site.render_post(
            &root.join("_posts/2024-01-01-older.md"),
            "---\ntitle: Older\n---\nOld text.\n",
        );
        assert!(
            other.html.contains("<ul>Newer;Middle;Older;</ul>"),
            "{}",
            other.html
        );
    }

    #[test]
    fn liquid_can_be_turned_off_and_a_missing_layout_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        let site = ThemeSite::open(root);
        let path = root.join("_posts/2024-01-01-older.md");
        let page = site.render_post(
            &path,
            "---\nrender_with_liquid: false\n---\nKeep {{ this }}.\n",
        );
        assert!(page.html.contains("Keep {{ this }}."), "{}", page.html);
        let page = site.render_post(&path, "---\nlayout: gone\n---\nText.\n");
        assert_eq!(page.problems.len(), 1, "{:?}", page.problems);
        assert!(page.problems[0].diagnostic.message.contains("`gone`"));
        assert!(page.html.contains(PROBLEM_BOX_ID));
        assert!(page.html.contains("<p>Text.</p>"));
    }

    #[test]
    fn liquid_errors_are_located_shown_and_the_page_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        let site = ThemeSite::open(root);
        let path = root.join("_posts/2024-02-01-middle.md");
        let broken = "---\ntitle: Middle\n---\nFine line.\n\n{% if page.title %}never closed\n";
        let page = site.render_post(&path, broken);
        let problem = page
            .problems
            .iter()
            .find(|p| p.file == "_posts/2024-02-01-middle.md")
            .unwrap_or_else(|| panic!("{:?}", page.problems));
        assert_eq!(problem.diagnostic.severity, Severity::Error);
        assert!(problem.diagnostic.line >= 4, "{problem}");
        assert!(page.html.contains(PROBLEM_BOX_ID));
        // The page still renders in its layout.
        assert!(page.html.contains("<h1>Middle</h1>"), "{}", page.html);
        let fixed = site.render_post(&path, "---\ntitle: Middle\n---\nFine line.\n");
        assert!(fixed.problems.is_empty(), "{:?}", fixed.problems);
        assert!(!fixed.html.contains(PROBLEM_BOX_ID));
    }

    #[test]
    fn a_page_outside_posts_renders_with_its_own_url() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        let path = root.join("about.md");
        write(root, "about.md", "---\nlayout: base\n---\nOld.\n");
        let site = ThemeSite::open(root);
        let page = site.render_post(&path, "---\nlayout: base\npermalink: /me/\n---\n*New*.\n");
        assert_eq!(page.url, "/me/");
        assert!(page.html.contains("<em>New</em>"), "{}", page.html);
        assert!(page.html.starts_with("<html><body"), "{}", page.html);
        let page = site.render_post(&path, "---\nlayout: base\n---\nx\n");
        assert_eq!(page.url, "/about.html");
    }

    #[test]
    fn a_missing_include_in_a_layout_is_located_in_the_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        write(
            root,
            "_layouts/post.html",
            "---\nlayout: base\n---\n<h1>{{ page.title }}</h1>\n{% include nowhere.html %}\n{{ content }}",
        );
        write(
            root,
            "_includes/there.html",
            "<p>from {{ include.who }}</p>",
        );
        let site = ThemeSite::open(root);
        let path = root.join("_posts/2024-02-01-middle.md");
        let page = site.render_post(&path, "---\ntitle: Middle\n---\nBody.\n");
        let problem = page
            .problems
            .iter()
            .find(|p| p.diagnostic.message.contains("nowhere.html"))
            .unwrap_or_else(|| panic!("{:?}", page.problems));
        assert_eq!(
            (problem.file.as_str(), problem.diagnostic.line),
            ("_layouts/post.html", 5)
        );
        assert!(page.html.contains(PROBLEM_BOX_ID));
        // The body's own include works, with its parameter.
        let page = site.render_post(
            &path,
            "---\ntitle: Middle\n---\n{% include there.html who=\"me\" %}\n",
        );
        assert!(page.html.contains("<p>from me</p>"), "{}", page.html);
    }

    #[test]
    fn stylesheets_compile_after_liquid_and_sass_errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        write(root, "_sass/_base.scss", "$ink: #010203;\n");
        write(
            root,
            "assets/site.scss",
            "---\n---\n@import \"base\";\nbody { color: $ink; border-color: {{ site.border }}; }\n",
        );
        write(
            root,
            "assets/broken.scss",
            "---\n---\n\na { color: $missing; }\n",
        );
        write(root, "assets/plain.scss", "body { not: compiled; }\n");
        let mut config = CONFIG.to_string();
        config.push_str("border: \"#445566\"\n");
        write(root, "_config.yml", &config);
        let site = ThemeSite::open(root);
        let paths: Vec<&str> = site
            .generated()
            .iter()
            .map(|g| g.site_path.as_str())
            .collect();
        assert_eq!(paths, ["assets/site.css"]);
        let css = &site.generated()[0].text;
        assert!(
            css.contains("color: #010203") && css.contains("#445566"),
            "{css}"
        );
        let problem = &site.site_problems()[0];
        assert_eq!(problem.file, "assets/broken.scss");
        assert_eq!(problem.diagnostic.line, 4);
        // Every page shows the stylesheet's error.
        let page = site.render_post(&root.join("_posts/2024-01-01-older.md"), "---\n---\nx\n");
        assert!(page.html.contains("assets/broken.scss:4"), "{}", page.html);
        assert_eq!(page.generated.len(), 1);
    }

    #[test]
    fn a_theme_gem_gives_layouts_includes_sass_and_assets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let gem = "vendor/bundle/ruby/3.1.0/gems/lamp-theme-0.3.0";
        write(
            root,
            "_config.yml",
            "theme: lamp-theme\nexclude: [vendor]\n",
        );
        write(
            root,
            &format!("{gem}/_layouts/post.html"),
            "<main class=\"gem\">{{ content }}</main>",
        );
        write(root, &format!("{gem}/_sass/_gem.scss"), "$c: #0a0b0c;\n");
        write(
            root,
            &format!("{gem}/assets/theme.scss"),
            "---\n---\n@import \"gem\";\np { color: $c; }\n",
        );
        write(
            root,
            &format!("{gem}/_config.yml"),
            "tagline: From the gem\n",
        );
        write(
            root,
            "_posts/2024-01-01-a.md",
            "---\nlayout: post\n---\n{{ site.tagline }}\n",
        );
        let site = ThemeSite::open(root);
        assert!(
            site.site_problems().is_empty(),
            "{:?}",
            site.site_problems()
        );
        let page = site.render_post(
            &root.join("_posts/2024-01-01-a.md"),
            "---\nlayout: post\n---\n{{ site.tagline }}\n",
        );
        assert_eq!(
            page.html,
            "<main class=\"gem\"><p>From the gem</p>\n</main>"
        );
        let css: Vec<&GeneratedFile> = page.generated.iter().collect();
        assert_eq!(css.len(), 1);
        assert_eq!(css[0].site_path, "assets/theme.css");
        assert!(css[0].text.contains("#0a0b0c"));
    }

    #[test]
    fn a_missing_theme_gem_falls_back_to_bylines_page_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "_config.yml",
            "title: x\ntheme: byline-no-such-theme\n",
        );
        let path = root.join("_posts/2024-01-01-a.md");
        let text = "---\ntitle: Lost Theme\nlayout: post\n---\nStill readable.\n";
        write(root, "_posts/2024-01-01-a.md", text);
        let site = ThemeSite::open(root);
        let page = site.render_post(&path, text);
        assert!(page.html.contains("Still readable."), "{}", page.html);
        assert!(page.html.contains(PROBLEM_BOX_ID));
        let problem = page
            .problems
            .iter()
            .find(|p| p.diagnostic.message.contains("byline-no-such-theme"))
            .unwrap_or_else(|| panic!("{:?}", page.problems));
        assert_eq!(
            (problem.file.as_str(), problem.diagnostic.line),
            ("_config.yml", 2)
        );
    }

    #[test]
    fn a_changed_layout_makes_the_site_stale() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        site_with_layouts(root);
        let site = ThemeSite::open(root);
        assert!(!site.is_stale());
        write(
            root,
            "_layouts/post.html",
            "changed, longer than before: {{ content }}",
        );
        assert!(site.is_stale());
        let reopened = ThemeSite::open(root);
        assert!(!reopened.is_stale());
        write(root, "_includes/new.html", "x");
        assert!(reopened.is_stale());
    }

    #[test]
    fn the_problem_box_goes_right_after_the_body_tag() {
        let problem = RenderProblem::new("_layouts/a.html", 3, Severity::Error, "bad <tag>".into());
        let html = with_problem_box(
            "<html><BODY class=\"x\"><p>hi</p></body></html>",
            &[problem],
        );
        assert!(
            html.starts_with("<html><BODY class=\"x\"><div id=\"byline-render-problems\""),
            "{html}"
        );
        assert!(
            html.contains("_layouts/a.html:3</code> error: bad &lt;tag&gt;"),
            "{html}"
        );
        assert_eq!(with_problem_box("<p>x</p>", &[]), "<p>x</p>");
        assert!(
            with_problem_box(
                "<p>x</p>",
                &[RenderProblem::new("f", 1, Severity::Warning, "w".into())]
            )
            .ends_with("\n<p>x</p>")
        );
    }
}
