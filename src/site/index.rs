//! The site index: every post and draft Jekyll 4.3 would read, found by Jekyll's own rules
//! (`_posts/` and `_drafts/` in the root and in any folder Jekyll reads, `YYYY-MM-DD-title.ext`
//! names, `exclude`/`include`), each with the date, URL, categories and tags Jekyll computes
//! and whether it is published. Files are read in parallel and only their front matter and the
//! references the diagnostics need are kept.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use rayon::prelude::*;
use regex::Regex;
use serde_yaml::{Mapping, Value};

use super::config::{DefaultsRule, SiteConfig, psych_bool, psych_bool_text, scalar_to_string};
use super::dates::{self, DateReading, ReadDate};
use super::diagnostics::{self, Reference};
use super::filter::{glob_match, is_entry_kept};
use super::gemfile::JekyllInfo;
use super::permalink::{self, UrlParts};
use crate::post::Post;
use crate::post::check::{Diagnostic, Severity};

/// Which of Jekyll's build flags to apply (each adds to the site's own `_config.yml` setting).
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// `--drafts`: publish `_drafts/`.
    pub drafts: bool,
    /// `--future`: publish posts dated after the build.
    pub future: bool,
    /// `--unpublished`: publish posts with `published: false`.
    pub unpublished: bool,
    /// The build time (now when None), for future posts.
    pub now: Option<Timestamp>,
}

/// Why Jekyll would not publish a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyNot {
    /// A draft, and drafts are not shown.
    Draft,
    /// Dated after the build, and `future` is off.
    Future,
    /// `published: false` (or `no`, or empty).
    Unpublished,
    /// A file in `_posts/` whose name is not `YYYY-MM-DD-title.ext`.
    NoDateInFileName,
    /// Not UTF-8 text, or unreadable: Jekyll skips it.
    Unreadable,
}

impl WhyNot {
    /// A stable short code, for JSON.
    pub fn code(self) -> &'static str {
        match self {
            WhyNot::Draft => "draft",
            WhyNot::Future => "future",
            WhyNot::Unpublished => "unpublished",
            WhyNot::NoDateInFileName => "no_date_in_file_name",
            WhyNot::Unreadable => "unreadable",
        }
    }

    /// What it means, for people.
    pub fn describe(self) -> &'static str {
        match self {
            WhyNot::Draft => "draft (shown only with --drafts)",
            WhyNot::Future => "dated in the future (shown only with --future)",
            WhyNot::Unpublished => "published: false (shown only with --unpublished)",
            WhyNot::NoDateInFileName => "no date in the file name: not a post",
            WhyNot::Unreadable => "not readable UTF-8 text: Jekyll skips it",
        }
    }
}

/// Where a post's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// The post's own `date`.
    FrontMatter,
    /// A `date` given by `defaults`.
    Defaults,
    /// The `YYYY-MM-DD` of the file name.
    FileName,
    /// A draft without a date: the file's modification time.
    FileTime,
    /// No date Jekyll could read before the build (a front matter that does not parse):
    /// Jekyll uses the build time.
    BuildTime,
}

/// One post or draft as Jekyll sees it.
#[derive(Debug, Clone)]
pub struct SitePost {
    /// Path from the site root, `/`-separated.
    pub path: String,
    /// True for a file in a `_drafts/` folder.
    pub is_draft: bool,
    /// `title`, else Jekyll's title from the file name.
    pub title: String,
    /// The date Jekyll computes, in the site's zone; None when Byline cannot tell.
    pub date: Option<Zoned>,
    /// How the date text was read (None for file times and unknown dates).
    pub date_reading: Option<DateReading>,
    /// Where the date came from.
    pub date_source: DateSource,
    /// The clock time as written in `date` (without offset), when there is one.
    pub date_written: Option<jiff::civil::DateTime>,
    /// 1-based line and column of the `date` value (1:1 when not in the front matter).
    pub date_position: (usize, usize),
    /// The date in the file name (`YYYY-MM-DD` as a day), when it has one.
    pub file_name_day: Option<jiff::civil::Date>,
    /// `page.url`, without `baseurl`; None when Byline cannot tell.
    pub url: Option<String>,
    /// True when Jekyll publishes it with the options given.
    pub is_published: bool,
    /// Why not, when not published.
    pub why_not: Option<WhyNot>,
    /// Categories: folders above `_posts`, `category`, `categories`.
    pub categories: Vec<String>,
    /// Tags: `tag` or `tags`.
    pub tags: Vec<String>,
    /// `layout`, when set (front matter or defaults).
    pub layout: Option<String>,
    /// True when Jekyll cannot read the front matter (YAML errors and the like): it then
    /// publishes the file without it.
    pub is_front_matter_unreadable: bool,
    /// Problems found in this post, located in its file.
    pub problems: Vec<Diagnostic>,
    /// Includes, links, images and the layout the post uses, for the site checks.
    pub references: Vec<Reference>,
}

/// An indexed site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's root folder.
    pub root: PathBuf,
    /// What `_config.yml` says.
    pub config: SiteConfig,
    /// The zone dates are read and shown in.
    pub time_zone: TimeZone,
    /// Which Jekyll builds the site (from `Gemfile`/`Gemfile.lock`).
    pub jekyll: JekyllInfo,
    /// Every post and draft, newest first.
    pub posts: Vec<SitePost>,
    /// Site-wide problems: (path from the root, problem).
    pub problems: Vec<(String, Diagnostic)>,
    /// The build time used for future posts.
    pub now: Timestamp,
    /// The flags applied (site settings and options together).
    pub options: IndexOptions,
}

/// The root of the site holding `path` (a file or folder): the nearest folder with
/// `_config.yml`, else the folder above a `_posts`/`_drafts` on the way, else a folder that
/// has `_posts`; None when there is no site.
pub fn find_root(path: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = if start.is_dir() {
        start.clone()
    } else {
        start.parent()?.to_path_buf()
    };
    if let Some(dir) = folder.ancestors().find(|d| d.join("_config.yml").is_file()) {
        return Some(dir.to_path_buf());
    }
    for dir in folder.ancestors() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "_posts" | "_drafts") {
            return dir.parent().map(Path::to_path_buf);
        }
        if dir.join("_posts").is_dir() {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// `YYYY-MM-DD-title.ext` (Jekyll's `DATE_FILENAME_MATCHER`, on the file name).
static DATED_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$").ok());
/// `title.ext` (Jekyll's `DATELESS_FILENAME_MATCHER`, on the file name).
static DATELESS_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(.*)(\.[^.]+)$").ok());

/// A file found in a `_posts` or `_drafts` folder.
#[derive(Debug, Clone)]
struct Candidate {
    absolute: PathBuf,
    /// From the site root, `/`-separated.
    relative: String,
    is_draft: bool,
}

fn join_relative(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Every file below `dir` (names starting with `.` skipped, as Ruby's `Dir["**/*"]` does),
/// as paths relative to `dir`.
fn files_below(dir: &Path, prefix: &str, out: &mut Vec<(PathBuf, String, bool)>) {
    for (name, entry) in crate::walk::visible_entries(dir) {
        let path = entry.path();
        let relative = join_relative(prefix, &name);
        if path.is_dir() {
            files_below(&path, &relative, out);
        } else {
            out.push((path, relative, false));
        }
    }
}

/// Jekyll's reader: `_posts`/`_drafts` of `dir`, then every folder in it that the entry
/// filter keeps.
fn discover(root: &Path, dir: &str, config: &SiteConfig, out: &mut Vec<Candidate>) {
    let absolute = if dir.is_empty() {
        root.to_path_buf()
    } else {
        root.join(dir)
    };
    for (magic, is_draft) in [("_posts", false), ("_drafts", true)] {
        let magic_dir = absolute.join(magic);
        if !magic_dir.is_dir() {
            continue;
        }
        let magic_relative = join_relative(dir, magic);
        let mut files = Vec::new();
        files_below(&magic_dir, "", &mut files);
        for (path, entry, _) in files {
            let relative = join_relative(&magic_relative, &entry);
            if is_entry_kept(config, &entry, &relative, false) {
                out.push(Candidate {
                    absolute: path,
                    relative,
                    is_draft,
                });
            }
        }
    }
    let Ok(entries) = std::fs::read_dir(&absolute) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let relative = join_relative(dir, &name);
        if name == "_site" || !is_entry_kept(config, &name, &relative, true) {
            continue;
        }
        discover(root, &relative, config, out);
    }
}

/// Jekyll's deep merge of front-matter hashes: a null never replaces a value, maps merge,
/// anything else replaces; `categories` are joined with the ones already there. Fails as
/// Jekyll does when `categories` is neither text nor a list (Ruby cannot join it).
fn merge_data(data: &mut Mapping, other: &Mapping) -> Result<(), String> {
    for (key, value) in other {
        let mut value = value.clone();
        if key.as_str() == Some("categories") {
            if !matches!(value, Value::String(_) | Value::Sequence(_) | Value::Null)
                && matches!(data.get(key), Some(Value::Sequence(_)))
            {
                return Err(
                    "`categories` must be a list or space-separated text: Jekyll cannot read this post, logs an error and publishes it without its front matter, dated at build time".into(),
                );
            }
            if let Value::String(s) = &value {
                value = Value::Sequence(
                    s.split_whitespace()
                        .map(|c| Value::String(c.to_string()))
                        .collect(),
                );
            }
            if let (Some(Value::Sequence(old)), Value::Sequence(new)) = (data.get(key), &value) {
                let mut union = old.clone();
                for item in new {
                    if !union.contains(item) {
                        union.push(item.clone());
                    }
                }
                value = Value::Sequence(union);
            }
        }
        match data.get_mut(key) {
            Some(_) if value.is_null() => {}
            Some(Value::Mapping(old)) if value.is_mapping() => {
                if let Value::Mapping(new) = &value {
                    merge_data(old, new)?;
                }
            }
            Some(old) => *old = value,
            None => {
                data.insert(key.clone(), value);
            }
        }
    }
    Ok(())
}

/// True when a `defaults` scope path applies to the post at `relative`.
fn scope_applies(root: &Path, scope: &str, relative: &str) -> bool {
    if scope.is_empty() {
        return true;
    }
    if !scope.contains('*') {
        return relative.starts_with(scope);
    }
    let pattern = scope.trim_start_matches("./");
    let mut prefix = String::new();
    for (i, component) in relative.split('/').enumerate() {
        if i > 0 {
            prefix.push('/');
        }
        prefix.push_str(component);
        if glob_match(pattern, &prefix, false) && root.join(&prefix).exists() {
            return true;
        }
    }
    false
}

/// Jekyll's `FrontmatterDefaults#all` for a post: matching sets, the longer (or typed) scope
/// winning.
fn defaults_for(root: &Path, rules: &[DefaultsRule], relative: &str) -> Mapping {
    let mut merged = Mapping::new();
    let mut winner: Option<&DefaultsRule> = None;
    for rule in rules {
        let type_applies = rule.kind.as_deref().is_none_or(|k| k == "posts");
        let path_applies = rule
            .path
            .as_deref()
            .is_none_or(|p| scope_applies(root, p, relative));
        if !(type_applies && path_applies) {
            continue;
        }
        let has_precedence = match winner {
            None => true,
            Some(old) => {
                let length = |r: &DefaultsRule| {
                    r.path
                        .as_deref()
                        .map_or(0, |p| p.trim_start_matches('/').len())
                };
                if length(rule) != length(old) {
                    length(rule) >= length(old)
                } else {
                    rule.kind.is_some() || old.kind.is_none()
                }
            }
        };
        if has_precedence {
            let _ = merge_data(&mut merged, &rule.values);
            winner = Some(rule);
        } else {
            let mut below = rule.values.clone();
            let _ = merge_data(&mut below, &merged);
            merged = below;
        }
    }
    merged
}

/// A post's front matter as its templates see it: the `defaults` that apply to its path, then
/// its own front matter over them (Jekyll's merge), for rendering it through a theme.
pub fn merged_post_data(
    root: &Path,
    config: &SiteConfig,
    relative: &str,
    own: &Mapping,
) -> Mapping {
    let mut data = defaults_for(root, &config.defaults, relative);
    let _ = merge_data(&mut data, own);
    data
}

/// Ruby's `Array(x).map(&:to_s)` for category-like values.
fn value_strings(value: Option<&Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items.iter().flat_map(|v| value_strings(Some(v))).collect(),
        Some(other) => scalar_to_string(other).into_iter().collect(),
    }
}

/// Jekyll's `pluralized_array_from_hash`: the singular key as one item when set, else the
/// plural key (a string split on spaces, or a list).
fn pluralized(data: &Mapping, singular: &str, plural: &str) -> Vec<String> {
    match data.get(singular) {
        Some(value) if !value.is_null() => value_strings(Some(value)),
        _ => match data.get(plural) {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            Some(Value::Sequence(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .flat_map(|v| value_strings(Some(v)))
                .collect(),
            _ => Vec::new(),
        },
    }
}

fn unique(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Jekyll's default title for a post without one: Ruby's `capitalize` of each `-`-separated
/// word of the file name's slug, joined by spaces (`my-first-post` → "My First Post").
pub fn default_title(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// 1-based file line and column of a byte offset in the front-matter YAML.
pub(crate) fn yaml_position(yaml: &str, offset: usize) -> (usize, usize) {
    let before = yaml.get(..offset).unwrap_or(yaml);
    let line = 2 + before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// What the reader needs from the site, shared by every post.
struct Context<'a> {
    root: &'a Path,
    config: &'a SiteConfig,
    tz: &'a TimeZone,
    now: Timestamp,
    template: String,
    show_drafts: bool,
    future: bool,
    unpublished: bool,
}

impl<'a> Context<'a> {
    /// The reading context of a site with the flags already applied (`options.now` set).
    fn of(
        root: &'a Path,
        config: &'a SiteConfig,
        tz: &'a TimeZone,
        applied: &IndexOptions,
    ) -> Context<'a> {
        Context {
            root,
            config,
            tz,
            now: applied.now.unwrap_or_else(Timestamp::now),
            template: config.post_url_template(),
            show_drafts: applied.drafts,
            future: applied.future,
            unpublished: applied.unpublished,
        }
    }
}

fn problem(line: usize, column: usize, severity: Severity, message: String) -> Diagnostic {
    Diagnostic {
        line,
        column,
        severity,
        message,
    }
}

/// Reads one candidate file into a post (None for a file in `_posts` that is not a post and
/// does not look like one, such as an image).
fn read_candidate(ctx: &Context<'_>, candidate: &Candidate) -> Option<SitePost> {
    read_candidate_as(ctx, candidate, None)
}

/// [`read_candidate`], with the file's text given (an open document's unsaved text) instead
/// of read from disk.
fn read_candidate_as(
    ctx: &Context<'_>,
    candidate: &Candidate,
    given_text: Option<&str>,
) -> Option<SitePost> {
    let file_name = candidate
        .relative
        .rsplit('/')
        .next()
        .unwrap_or(&candidate.relative);
    let dated = DATED_NAME.as_ref().and_then(|re| re.captures(file_name));
    let ext = permalink::extname(file_name).to_string();
    let bare_ext = ext.trim_start_matches('.').to_ascii_lowercase();
    let looks_like_post =
        ctx.config.is_markdown_ext(&bare_ext) || matches!(bare_ext.as_str(), "html" | "htm");
    let mut post = SitePost {
        path: candidate.relative.clone(),
        is_draft: candidate.is_draft,
        title: String::new(),
        date: None,
        date_reading: None,
        date_source: DateSource::BuildTime,
        date_written: None,
        date_position: (1, 1),
        file_name_day: None,
        url: None,
        is_published: false,
        why_not: None,
        categories: Vec::new(),
        tags: Vec::new(),
        layout: None,
        is_front_matter_unreadable: false,
        problems: Vec::new(),
        references: Vec::new(),
    };
    if candidate.is_draft && ext.is_empty() {
        // Jekyll reads only `name.ext` files from `_drafts/`.
        return None;
    }
    if !candidate.is_draft && dated.is_none() {
        if !looks_like_post {
            return None;
        }
        post.title = file_name.to_string();
        post.why_not = Some(WhyNot::NoDateInFileName);
        post.problems.push(problem(
            1,
            1,
            Severity::Warning,
            "not a post: Jekyll reads only files named YYYY-MM-DD-title.ext in _posts".into(),
        ));
        return Some(post);
    }
    let (file_date_text, name_slug) = match &dated {
        Some(c) => (
            c.get(1).map(|m| m.as_str().to_string()),
            c.get(2).map_or("", |m| m.as_str()).to_string(),
        ),
        None => (
            None,
            DATELESS_NAME
                .as_ref()
                .and_then(|re| re.captures(file_name))
                .and_then(|c| c.get(1))
                .map_or_else(|| file_name.to_string(), |m| m.as_str().to_string()),
        ),
    };
    let name_slug = name_slug.trim_end_matches('.').to_string();
    let basename_without_ext = file_name
        .strip_suffix(ext.as_str())
        .unwrap_or(file_name)
        .to_string();

    // Categories from the folders above `_posts`/`_drafts`.
    let special = if candidate.is_draft {
        "_drafts"
    } else {
        "_posts"
    };
    let folder_categories: Vec<Value> = if candidate.relative.starts_with(special) {
        Vec::new()
    } else {
        let above = candidate
            .relative
            .find(special)
            .and_then(|at| candidate.relative.get(..at))
            .unwrap_or("");
        above
            .split('/')
            .filter(|c| !c.is_empty() && *c != special && *c != file_name)
            .map(|c| Value::String(c.to_string()))
            .collect()
    };
    let mut data = Mapping::new();
    data.insert(
        Value::String("categories".into()),
        Value::Sequence(folder_categories),
    );
    let defaults = defaults_for(ctx.root, &ctx.config.defaults, &candidate.relative);
    let defaults_error = merge_data(&mut data, &defaults).err();

    let read = match given_text {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => std::fs::read(&candidate.absolute),
    };
    let text = match &read {
        Ok(bytes) => std::str::from_utf8(bytes).ok(),
        Err(_) => None,
    };
    let Some(text) = text else {
        post.title = name_slug.clone();
        post.why_not = Some(WhyNot::Unreadable);
        let message = match &read {
            Err(err) => format!("cannot read the file: {err}"),
            Ok(_) => "not UTF-8 text: Jekyll skips this file".into(),
        };
        post.problems.push(problem(1, 1, Severity::Error, message));
        return Some(post);
    };
    let parsed = Post::from_text(text);
    let mut date_token: Option<(String, usize)> = None;
    let mut published_token: Option<String> = None;
    let mut is_read_error = false;
    let mut front_yaml = "";
    match parsed.front_matter() {
        Some(front) => match front.block() {
            Ok(block) => {
                front_yaml = front.yaml();
                if let Some(entry) = block.entry("date")
                    && let Some(token) = entry.inline_token(front.yaml())
                {
                    date_token = Some((token.to_string(), entry.value_start.unwrap_or(0)));
                }
                if let Some(entry) = block.entry("published") {
                    published_token = entry.inline_token(front.yaml()).map(str::to_string);
                }
                let before = data.clone();
                if let Err(message) = merge_data(&mut data, &block.mapping) {
                    // Jekyll fails before merging anything of this front matter.
                    data = before;
                    is_read_error = true;
                    let (line, column) = block.entry("categories").map_or((1, 1), |e| {
                        yaml_position(front.yaml(), e.value_start.unwrap_or(e.range.start))
                    });
                    post.problems
                        .push(problem(line, column, Severity::Error, message));
                }
                let mut own = crate::post::check::check(&parsed);
                // `published: no` is a boolean to Psych (YAML 1.1), not the string the post
                // check takes it for.
                if let Some(entry) = block.entry("published")
                    && let Some(token) = entry.inline_token(front.yaml())
                    && psych_bool_text(token).is_some()
                {
                    own.retain(|d| d.line != entry.line + 2);
                }
                post.problems.extend(own);
            }
            Err(_) => {
                is_read_error = true;
                if let Some(err) = front.error() {
                    post.problems.push(problem(
                        err.line,
                        err.column,
                        Severity::Error,
                        format!(
                            "{}: Jekyll reports a YAML exception and publishes this file without its front matter, dated at build time",
                            err.message
                        ),
                    ));
                }
            }
        },
        // A post without front matter is still a post in Jekyll 4.3; one never closed is
        // published with the would-be front matter as text.
        None if parsed.is_front_matter_unclosed() => {
            post.problems.extend(crate::post::check::check(&parsed));
        }
        None => {}
    }
    if let Some(message) = defaults_error {
        is_read_error = true;
        post.problems.push(problem(1, 1, Severity::Error, message));
    }
    post.references = diagnostics::collect_references(&parsed, &data, front_yaml);

    // The date: front matter (or defaults), else the file name, else the file time (drafts)
    // or the build time.
    let tz = ctx.tz;
    let date_value = data.get("date").filter(|v| !v.is_null()).cloned();
    let mut date: Option<ReadDate> = None;
    if let Some(value) = &date_value {
        let from_front = date_token.is_some();
        let read = match &date_token {
            Some((token, _)) => dates::read_token(token, tz),
            None => scalar_to_string(value).and_then(|t| dates::read_plain(&t, tz)),
        };
        post.date_source = if from_front {
            DateSource::FrontMatter
        } else {
            DateSource::Defaults
        };
        if let Some((_, at)) = &date_token {
            post.date_position = yaml_position(front_yaml, *at);
        }
        match read {
            Some(read) => {
                post.date_written = Some(read.written);
                date = Some(read);
            }
            None => {
                let (line, column) = date_token
                    .as_ref()
                    .map_or((1, 1), |(_, at)| yaml_position(front_yaml, *at));
                post.problems.push(problem(
                    line,
                    column,
                    Severity::Warning,
                    format!(
                        "Byline cannot tell how Jekyll reads `date: {}` (Ruby's lenient parser may take it, or the build fails); write `YYYY-MM-DD HH:MM:SS +hh:mm`",
                        scalar_to_string(value).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    if let Some(text) = &file_date_text {
        let file_date = dates::ruby_time_parse(text, tz);
        post.file_name_day = file_date.as_ref().map(|d| d.written.date());
        if file_date.is_none() {
            post.problems.push(problem(
                1,
                1,
                Severity::Error,
                format!(
                    "the file name's date `{text}` is not a day Byline can read the way Jekyll does"
                ),
            ));
        }
        if date_value.is_none() && !is_read_error {
            date = file_date;
            post.date_source = DateSource::FileName;
        }
    }
    let mut date_zoned = date.as_ref().map(|d| d.zoned.clone());
    post.date_reading = date.as_ref().map(|d| d.reading);
    if date_value.is_none() && file_date_text.is_none() && candidate.is_draft {
        post.date_source = DateSource::FileTime;
        date_zoned = std::fs::metadata(&candidate.absolute)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok())
            .and_then(|t| Timestamp::from_second(t.as_second()).ok())
            .map(|t| t.to_zoned(tz.clone()));
    }
    if is_read_error {
        post.date_source = if candidate.is_draft {
            DateSource::FileTime
        } else {
            DateSource::BuildTime
        };
        date_zoned = None;
    }
    post.date = date_zoned.clone();
    post.is_front_matter_unreadable = is_read_error;

    // Slug, title, categories, tags (Jekyll skips these when the front matter failed).
    let slug = if is_read_error {
        None
    } else {
        match data
            .get("slug")
            .filter(|v| !matches!(v, Value::Null | Value::Bool(false)))
        {
            Some(value) => scalar_to_string(value),
            None => Some(name_slug.clone()),
        }
    };
    post.title = data
        .get("title")
        .and_then(scalar_to_string)
        .unwrap_or_else(|| default_title(&name_slug));
    if is_read_error {
        post.categories = unique(value_strings(data.get("categories")));
        post.tags = value_strings(data.get("tags"));
    } else {
        let mut categories = value_strings(data.get("categories"));
        categories.extend(pluralized(&data, "category", "categories"));
        post.categories = unique(categories);
        post.tags = pluralized(&data, "tag", "tags");
    }
    post.layout = data.get("layout").and_then(scalar_to_string);

    // Published?
    let published = match data.get("published") {
        None => true,
        Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => match &published_token {
            // From the post's own front matter: Psych reads unquoted yes/no/on/off.
            Some(token) if !token.starts_with(['"', '\'']) => psych_bool_text(s).unwrap_or(true),
            Some(_) => true,
            None => psych_bool(&Value::String(s.clone())).unwrap_or(true),
        },
        Some(_) => true,
    };
    let is_future = |now: Timestamp| {
        date_zoned
            .as_ref()
            .is_some_and(|d| d.timestamp().as_second() > now.as_second())
    };
    post.why_not = if candidate.is_draft && !ctx.show_drafts {
        Some(WhyNot::Draft)
    } else if !published && !ctx.unpublished {
        Some(WhyNot::Unpublished)
    } else if !ctx.future && is_future(ctx.now) {
        Some(WhyNot::Future)
    } else {
        None
    };
    post.is_published = post.why_not.is_none();

    // URL.
    let url_date = date_zoned
        .clone()
        .unwrap_or_else(|| ctx.now.to_zoned(tz.clone()));
    let permalink_value = data
        .get("permalink")
        .filter(|v| !matches!(v, Value::Null | Value::Bool(false)))
        .and_then(scalar_to_string);
    let output_ext = permalink::output_ext(
        permalink_value.as_deref(),
        &ext,
        ctx.config.is_markdown_ext(&bare_ext),
    );
    let without_ext = candidate
        .relative
        .strip_suffix(ext.as_str())
        .unwrap_or(&candidate.relative);
    let cleaned_path = without_ext
        .replacen("_posts", "", 1)
        .trim_end_matches('.')
        .to_string();
    let slug_for_url = slug.unwrap_or_else(|| basename_without_ext.clone());
    if date_zoned.is_some() || is_read_error || date_value.is_none() {
        let parts = UrlParts {
            slug: &slug_for_url,
            basename_without_ext: &basename_without_ext,
            cleaned_path: &cleaned_path,
            categories: &post.categories,
            date: &url_date,
            output_ext: &output_ext,
        };
        match permalink::post_url(permalink_value.as_deref(), &ctx.template, &parts) {
            Ok(url) => post.url = Some(url),
            Err(message) => post.problems.push(problem(1, 1, Severity::Error, message)),
        }
    }
    Some(post)
}

impl Site {
    /// Indexes the site at `root` (its `_config.yml`, posts and drafts). Never fails as a
    /// whole: unreadable files and settings are listed as problems.
    pub fn open(root: &Path, options: &IndexOptions) -> Site {
        Site::open_counting(root, options, &AtomicUsize::new(0))
    }

    /// [`Site::open`], adding one to `files_read` for each post file read, so a window can
    /// show the progress of a large site (the total is [`post_files`]' length).
    pub fn open_counting(root: &Path, options: &IndexOptions, files_read: &AtomicUsize) -> Site {
        let config = SiteConfig::load(root);
        let mut problems = Vec::new();
        if let Some(problem) = &config.problem {
            problems.push(("_config.yml".to_string(), problem.clone()));
        }
        let time_zone = match dates::site_zone(config.timezone.as_deref()) {
            Ok(tz) => tz,
            Err(message) => {
                problems.push((
                    "_config.yml".to_string(),
                    problem(1, 1, Severity::Error, message),
                ));
                TimeZone::UTC
            }
        };
        if !config.collections_dir.is_empty() {
            problems.push((
                "_config.yml".to_string(),
                problem(
                    1,
                    1,
                    Severity::Warning,
                    format!(
                        "collections_dir `{}`: Byline reads posts only outside it for now",
                        config.collections_dir
                    ),
                ),
            ));
        }
        let now = options.now.unwrap_or_else(Timestamp::now);
        let applied = IndexOptions {
            drafts: options.drafts || config.show_drafts,
            future: options.future || config.future,
            unpublished: options.unpublished || config.unpublished,
            now: Some(now),
        };
        let ctx = Context::of(root, &config, &time_zone, &applied);
        let mut candidates = Vec::new();
        discover(root, "", &config, &mut candidates);
        let mut posts: Vec<SitePost> = candidates
            .par_iter()
            .filter_map(|c| {
                let post = read_candidate(&ctx, c);
                files_read.fetch_add(1, Ordering::Relaxed);
                post
            })
            .collect();
        posts.sort_by(|a, b| {
            let key = |p: &SitePost| p.date.as_ref().map(Zoned::timestamp);
            key(b).cmp(&key(a)).then_with(|| b.path.cmp(&a.path))
        });
        let jekyll = JekyllInfo::read(root, &config);
        for plugin in &jekyll.plugins_not_on_pages {
            problems.push((
                "Gemfile".to_string(),
                problem(
                    1,
                    1,
                    Severity::Warning,
                    format!(
                        "the site builds with github-pages, which runs only whitelisted plugins: `{plugin}` will not run on GitHub Pages"
                    ),
                ),
            ));
        }
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            time_zone,
            jekyll,
            posts,
            problems,
            now,
            options: applied,
        };
        diagnostics::check_site(&mut site);
        site
    }

    /// One post as Jekyll would see it if its file held `post`'s text (an open document's
    /// unsaved text): date, URL, published or why not, names and every problem the site
    /// checks find, against the rest of this site as indexed. Reads nothing but what the
    /// checks look up (includes, layouts, images); None for a path Jekyll does not read as a
    /// post (outside `_posts`/`_drafts`, or not a post file).
    pub fn evaluate(&self, relative: &str, post: &Post) -> Option<SitePost> {
        let relative = relative.trim_start_matches('/');
        let in_posts = relative.split('/').any(|part| part == "_posts");
        let is_draft = super::is_draft_path(Path::new(relative));
        if !in_posts && !is_draft {
            return None;
        }
        let ctx = Context::of(&self.root, &self.config, &self.time_zone, &self.options);
        let candidate = Candidate {
            absolute: self.root.join(relative),
            relative: relative.to_string(),
            is_draft,
        };
        let mut evaluated = read_candidate_as(&ctx, &candidate, Some(&post.to_text()))?;
        diagnostics::check_one(self, &mut evaluated);
        Some(evaluated)
    }

    /// The post at a path relative to the root (`/`-separated).
    pub fn post(&self, relative: &str) -> Option<&SitePost> {
        self.posts.iter().find(|p| p.path == relative)
    }

    /// The path of `file` relative to the root, `/`-separated, when it is inside the site.
    pub fn relative_path(&self, file: &Path) -> Option<String> {
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let relative = absolute.strip_prefix(&root).ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

/// A post or draft file Jekyll reads, found without reading it (for a quick first listing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFile {
    /// The file.
    pub absolute: PathBuf,
    /// Path from the site root, `/`-separated.
    pub relative: String,
    /// True for a file in a `_drafts` folder.
    pub is_draft: bool,
}

/// Every file in the `_posts` and `_drafts` folders Jekyll reads, by its rules, without
/// reading any: a 10,000-post site lists in milliseconds, before [`Site::open`] is done.
pub fn post_files(root: &Path) -> Vec<PostFile> {
    let config = SiteConfig::load(root);
    let mut candidates = Vec::new();
    discover(root, "", &config, &mut candidates);
    candidates
        .into_iter()
        .map(|c| PostFile {
            absolute: c.absolute,
            relative: c.relative,
            is_draft: c.is_draft,
        })
        .collect()
}

/// What re-reading one path did to the index.
#[derive(Debug, Clone)]
pub enum Refreshed {
    /// The post at this path was added or read again.
    Updated(Box<SitePost>),
    /// The post at this path (from the root) is gone.
    Removed(String),
}

impl Site {
    /// The candidate for `relative` (from the root) when Jekyll would read a file there.
    fn candidate_at(&self, relative: &str) -> Option<Candidate> {
        let components: Vec<&str> = relative.split('/').collect();
        let magic_at = components
            .iter()
            .rposition(|c| *c == "_posts" || *c == "_drafts")?;
        let (above, below) = components.split_at(magic_at);
        let magic = below.first()?;
        let inside = below.get(1..).unwrap_or_default();
        if inside.is_empty() || inside.iter().any(|c| c.starts_with('.')) {
            return None;
        }
        let mut prefix = String::new();
        for name in above {
            prefix = join_relative(&prefix, name);
            if *name == "_site" || !is_entry_kept(&self.config, name, &prefix, true) {
                return None;
            }
        }
        let entry = inside.join("/");
        if !is_entry_kept(&self.config, &entry, relative, false) {
            return None;
        }
        Some(Candidate {
            absolute: self.root.join(relative),
            relative: relative.to_string(),
            is_draft: *magic == "_drafts",
        })
    }

    /// The path of `file` from the root, also for a file that no longer exists.
    fn relative_even_if_gone(&self, file: &Path) -> Option<String> {
        if let Some(relative) = self.relative_path(file) {
            return Some(relative);
        }
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let parent = file.parent()?;
        let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
        let relative = parent.join(file.file_name()?);
        let relative = relative
            .strip_prefix(&root)
            .or_else(|_| file.strip_prefix(&self.root))
            .ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// Reads these paths again (files added, edited, deleted or renamed by another program,
    /// or folders of them) and updates only their posts, without rescanning the site. The
    /// site-wide checks run for the re-read posts only. Returns what changed.
    pub fn refresh_paths(&mut self, files: &[PathBuf]) -> Vec<Refreshed> {
        let ctx = Context {
            root: &self.root,
            config: &self.config,
            tz: &self.time_zone,
            now: self.now,
            template: self.config.post_url_template(),
            show_drafts: self.options.drafts,
            future: self.options.future,
            unpublished: self.options.unpublished,
        };
        let mut read: Vec<SitePost> = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        for file in files {
            let Some(relative) = self.relative_even_if_gone(file) else {
                continue;
            };
            if file.is_dir() {
                let mut below = Vec::new();
                files_below(file, &relative, &mut below);
                for (_, inner, _) in below {
                    if let Some(candidate) = self.candidate_at(&inner) {
                        read.extend(read_candidate(&ctx, &candidate));
                    }
                }
                continue;
            }
            let folder_prefix = format!("{relative}/");
            gone.extend(
                self.posts
                    .iter()
                    .filter(|p| p.path.starts_with(&folder_prefix))
                    .map(|p| p.path.clone()),
            );
            match self.candidate_at(&relative).filter(|_| file.is_file()) {
                Some(candidate) => match read_candidate(&ctx, &candidate) {
                    Some(post) => read.push(post),
                    None => gone.push(relative),
                },
                None => gone.push(relative),
            }
        }
        let mut outcome = Vec::new();
        for relative in gone {
            if read.iter().any(|p| p.path == relative) {
                continue;
            }
            let before = self.posts.len();
            self.posts.retain(|p| p.path != relative);
            if self.posts.len() != before
                && !outcome
                    .iter()
                    .any(|o| matches!(o, Refreshed::Removed(r) if *r == relative))
            {
                outcome.push(Refreshed::Removed(relative));
            }
        }
        if read.is_empty() {
            return outcome;
        }
        let checked = self.checked_alone(read);
        for post in checked {
            match self.posts.iter_mut().find(|p| p.path == post.path) {
                Some(slot) => *slot = post.clone(),
                None => self.posts.push(post.clone()),
            }
            outcome.push(Refreshed::Updated(Box::new(post)));
        }
        self.posts.sort_by(|a, b| {
            let key = |p: &SitePost| p.date.as_ref().map(Zoned::timestamp);
            key(b).cmp(&key(a)).then_with(|| b.path.cmp(&a.path))
        });
        outcome
    }

    /// Runs the site-wide checks for `fresh` posts against the rest of the site (whose own
    /// references are not checked again).
    fn checked_alone(&self, fresh: Vec<SitePost>) -> Vec<SitePost> {
        let fresh_count = fresh.len();
        let mut posts: Vec<SitePost> = self
            .posts
            .iter()
            .filter(|p| !fresh.iter().any(|f| f.path == p.path))
            .map(|p| SitePost {
                references: Vec::new(),
                problems: Vec::new(),
                ..p.clone()
            })
            .collect();
        posts.extend(fresh);
        let mut view = Site {
            root: self.root.clone(),
            config: self.config.clone(),
            time_zone: self.time_zone.clone(),
            jekyll: self.jekyll.clone(),
            posts,
            problems: Vec::new(),
            now: self.now,
            options: self.options.clone(),
        };
        diagnostics::check_site(&mut view);
        let keep_from = view.posts.len().saturating_sub(fresh_count);
        view.posts.split_off(keep_from)
    }
}

/// The date as Jekyll prints it (`date_to_xmlschema`), for display and JSON.
pub fn date_text(post: &SitePost) -> Option<String> {
    post.date.as_ref().map(dates::rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::site::test_support::write;

    fn open(root: &Path) -> Site {
        Site::open(
            root,
            &IndexOptions {
                now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
                ..IndexOptions::default()
            },
        )
    }

    #[test]
    fn posts_are_found_and_computed_as_jekyll_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "timezone: Europe/Berlin\n");
        write(
            root,
            "_posts/2025-11-30-unq.md",
            "---\ndate: 2025-11-30T23:24:20\n---\n",
        );
        write(
            root,
            "_posts/2025-11-30-q.md",
            "---\ndate: \"2025-11-30T23:24:20\"\n---\n",
        );
        write(root, "_posts/2025-01-01-no.md", "---\npublished: no\n---\n");
        write(
            root,
            "_posts/2025-01-01-str.md",
            "---\npublished: \"no\"\n---\n",
        );
        write(
            root,
            "_posts/2025-01-01-cats.md",
            "---\ncategory: A b\ncategories: c d\ntag: T1\ntags: [x, y]\n---\n",
        );
        write(
            root,
            "blog/tech/_posts/2025-01-03-blog.md",
            "---\ncategories: Tech\n---\n",
        );
        write(root, "_posts/sub/2025-01-02-insub.md", "---\n---\n");
        write(root, "_posts/_hidden/2025-01-02-h.md", "---\n---\n");
        write(root, "_posts/notes.md", "---\n---\n");
        write(root, "_posts/2025-1-5-Odd Name!.md", "---\n---\n");
        write(root, "_posts/2099-01-01-future.md", "---\n---\n");
        write(root, "_drafts/d.md", "---\ntitle: D\n---\n");
        let site = open(root);
        let get = |p: &str| site.post(p).unwrap_or_else(|| panic!("{p} missing"));
        let unq = get("_posts/2025-11-30-unq.md");
        assert_eq!(unq.url.as_deref(), Some("/2025/12/01/unq.html"));
        assert_eq!(date_text(unq).as_deref(), Some("2025-12-01T00:24:20+01:00"));
        assert_eq!(
            get("_posts/2025-11-30-q.md").url.as_deref(),
            Some("/2025/11/30/q.html")
        );
        assert_eq!(
            get("_posts/2025-01-01-no.md").why_not,
            Some(WhyNot::Unpublished)
        );
        assert!(get("_posts/2025-01-01-str.md").is_published);
        let cats = get("_posts/2025-01-01-cats.md");
        assert_eq!(cats.categories, ["c", "d", "A b"]);
        assert_eq!(cats.tags, ["T1"]);
        assert_eq!(cats.url.as_deref(), Some("/c/d/a%20b/2025/01/01/cats.html"));
        let blog = get("blog/tech/_posts/2025-01-03-blog.md");
        assert_eq!(blog.categories, ["blog", "tech", "Tech"]);
        assert_eq!(blog.url.as_deref(), Some("/blog/tech/2025/01/03/blog.html"));
        assert!(get("_posts/sub/2025-01-02-insub.md").categories.is_empty());
        assert!(site.post("_posts/_hidden/2025-01-02-h.md").is_none());
        assert_eq!(
            get("_posts/notes.md").why_not,
            Some(WhyNot::NoDateInFileName)
        );
        assert_eq!(
            get("_posts/2025-1-5-Odd Name!.md").url.as_deref(),
            Some("/2025/01/05/Odd-Name!.html")
        );
        assert_eq!(
            get("_posts/2099-01-01-future.md").why_not,
            Some(WhyNot::Future)
        );
        assert_eq!(get("_drafts/d.md").why_not, Some(WhyNot::Draft));
    }

    #[test]
    fn defaults_apply_by_scope() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "_config.yml",
            "defaults:\n  - scope: {path: \"\"}\n    values: {permalink: /all/:title/}\n  - scope: {path: _posts/special}\n    values: {permalink: /special/:slug/, tags: [s]}\n",
        );
        write(root, "_posts/2025-01-01-a.md", "---\n---\n");
        write(root, "_posts/special/2025-01-01-b.md", "---\n---\n");
        let site = open(root);
        assert_eq!(
            site.post("_posts/2025-01-01-a.md").unwrap().url.as_deref(),
            Some("/all/a/")
        );
        let b = site.post("_posts/special/2025-01-01-b.md").unwrap();
        assert_eq!(b.url.as_deref(), Some("/special/b/"));
        assert_eq!(b.tags, ["s"]);
    }

    #[test]
    fn refreshing_one_path_matches_a_fresh_open() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "title: t\n");
        write(root, "_posts/2025-01-01-a.md", "---\ntitle: A\n---\nHi\n");
        write(
            root,
            "_posts/2025-01-02-b.md",
            "---\ntitle: B\n---\n{% include nope.html %}\n",
        );
        let mut site = open(root);
        assert_eq!(post_files(root).len(), 2);
        // Edited: a new title and a duplicate URL with the other post.
        write(
            root,
            "_posts/2025-01-01-a.md",
            "---\ntitle: A2\npermalink: /2025/01/02/b.html\n---\n",
        );
        // Added, in a draft folder; and one that Jekyll does not read.
        write(root, "_drafts/new.md", "---\ntitle: New\n---\n");
        write(root, "_posts/.hidden.md", "---\n---\n");
        let changed = site.refresh_paths(&[
            root.join("_posts/2025-01-01-a.md"),
            root.join("_drafts/new.md"),
            root.join("_posts/.hidden.md"),
        ]);
        assert_eq!(changed.len(), 2);
        let fresh = open(root);
        for path in ["_posts/2025-01-01-a.md", "_drafts/new.md"] {
            let (a, b) = (site.post(path).unwrap(), fresh.post(path).unwrap());
            assert_eq!(a.title, b.title);
            assert_eq!(a.url, b.url);
            assert_eq!(a.problems, b.problems, "{path}");
        }
        assert_eq!(site.post("_posts/2025-01-01-a.md").unwrap().title, "A2");
        assert!(
            site.post("_posts/2025-01-01-a.md")
                .unwrap()
                .problems
                .iter()
                .any(|p| p.message.contains("two posts publish"))
        );
        // Deleted, and renamed.
        std::fs::remove_file(root.join("_drafts/new.md")).unwrap();
        std::fs::rename(
            root.join("_posts/2025-01-02-b.md"),
            root.join("_posts/2025-01-03-b.md"),
        )
        .unwrap();
        let changed = site.refresh_paths(&[
            root.join("_drafts/new.md"),
            root.join("_posts/2025-01-02-b.md"),
            root.join("_posts/2025-01-03-b.md"),
        ]);
        assert_eq!(changed.len(), 3);
        assert!(site.post("_drafts/new.md").is_none());
        assert!(site.post("_posts/2025-01-02-b.md").is_none());
        let moved = site.post("_posts/2025-01-03-b.md").unwrap();
        assert_eq!(
            moved.problems,
            fresh_post(root, "_posts/2025-01-03-b.md").problems
        );
        // A deleted folder takes its posts with it.
        std::fs::remove_dir_all(root.join("_posts")).unwrap();
        site.refresh_paths(&[root.join("_posts")]);
        assert!(site.posts.is_empty(), "{:?}", site.posts);
    }

    fn fresh_post(root: &Path, path: &str) -> SitePost {
        open(root).post(path).unwrap().clone()
    }
}
