//! Site-wide checks, each located at `path:line:col`: what breaks `jekyll build` (a missing
//! include, a `post_url` or `link` to nothing) and what silently publishes something other
//! than what was written (a missing image or layout, two posts at one URL, a date read in
//! another zone than meant, a future post that will not appear).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use regex::Regex;
use serde_yaml::{Mapping, Value};

use super::dates::{self, DateReading};
use super::index::{DateSource, Site, SitePost, WhyNot, yaml_position};
use crate::post::Post;
use crate::post::check::{Diagnostic, Severity};

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    /// `{% include name %}`: a file in `_includes/` (site or theme).
    Include,
    /// `{% include_relative path %}`: a file beside the post.
    IncludeRelative,
    /// `{% post_url name %}`: a published post.
    PostUrl,
    /// `{% link path %}`: a file of the site.
    Link,
    /// An image in the front matter or the body.
    Image,
    /// The layout in front matter or defaults.
    Layout,
}

/// A reference from a post to another file, located in the post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// What kind.
    pub kind: ReferenceKind,
    /// The name or path as written.
    pub target: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// True when `{{ site.baseurl }}` (or `relative_url`) comes right before a `post_url`.
    pub has_baseurl_before: bool,
}

static LIQUID_TAG: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\{%-?\s*(include_relative|include|post_url|link)\s+([^\s%]+)[^%]*?-?%\}").ok()
});
static RAW_BLOCK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?s)\{%-?\s*(raw|comment)\s*-?%\}.*?\{%-?\s*end(raw|comment)\s*-?%\}").ok()
});
static IMG_SRC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']"#).ok());
static BASEURL_PREFIX: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\{\{-?\s*site\.baseurl\s*-?\}\}").ok());

fn line_column(text: &str, offset: usize, first_line: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = first_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Replaces `{% raw %}…{% endraw %}` and comments by spaces (newlines kept), so their
/// examples are not taken for real tags while offsets stay right.
fn mask_raw(body: &str) -> String {
    let Some(re) = RAW_BLOCK.as_ref() else {
        return body.to_string();
    };
    let mut out = body.to_string();
    for m in re.find_iter(body) {
        let masked: String = m
            .as_str()
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        // Same byte length only for ASCII; fall back to leaving non-ASCII blocks as spaces
        // per byte so offsets stay aligned.
        let bytes_masked: String = m
            .as_str()
            .bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' })
            .collect();
        let replacement = if masked.len() == m.as_str().len() {
            masked
        } else {
            bytes_masked
        };
        out.replace_range(m.range(), &replacement);
    }
    out
}

fn image_like(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("image") || key.contains("teaser")
}

/// Every include, link, post link, image and the layout a post uses, located in its file.
pub fn collect_references(post: &Post, data: &Mapping, front_yaml: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let entry_position = |key: &str| -> (usize, usize) {
        post.block()
            .ok()
            .flatten()
            .and_then(|b| b.entry(key))
            .map_or((1, 1), |e| {
                yaml_position(front_yaml, e.value_start.unwrap_or(e.range.start))
            })
    };
    if let Some(layout) = data.get("layout").and_then(super::config::scalar_to_string)
        && !layout.is_empty()
        && layout != "none"
    {
        let (line, column) = entry_position("layout");
        out.push(Reference {
            kind: ReferenceKind::Layout,
            target: layout,
            line,
            column,
            has_baseurl_before: false,
        });
    }
    if let Ok(Some(block)) = post.block() {
        for (key, value) in &block.mapping {
            let Some(key) = key.as_str() else { continue };
            if !image_like(key) {
                continue;
            }
            let mut found = Vec::new();
            collect_strings(value, &mut found);
            let (line, column) = entry_position(key);
            for target in found {
                out.push(Reference {
                    kind: ReferenceKind::Image,
                    target,
                    line,
                    column,
                    has_baseurl_before: false,
                });
            }
        }
    }
    let body = post.body();
    let first_line = post.body_first_line();
    let masked = mask_raw(body);
    if let Some(re) = LIQUID_TAG.as_ref() {
        for c in re.captures_iter(&masked) {
            let (Some(whole), Some(tag), Some(target)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let name = target.as_str().trim_matches(['"', '\'']);
            if name.contains("{{") || name.is_empty() {
                continue;
            }
            let kind = match tag.as_str() {
                "include" => ReferenceKind::Include,
                "include_relative" => ReferenceKind::IncludeRelative,
                "post_url" => ReferenceKind::PostUrl,
                _ => ReferenceKind::Link,
            };
            let before = masked.get(..whole.start()).unwrap_or("").trim_end();
            let has_baseurl_before =
                before.ends_with("site.baseurl }}") || before.ends_with("site.baseurl}}");
            let (line, column) = line_column(&masked, whole.start(), first_line);
            out.push(Reference {
                kind,
                target: name.to_string(),
                line,
                column,
                has_baseurl_before,
            });
        }
    }
    if body.contains("![") || body.contains("<img") || body.contains("<IMG") {
        for (offset, target) in body_images(body) {
            let (line, column) = line_column(body, offset, first_line);
            out.push(Reference {
                kind: ReferenceKind::Image,
                target,
                line,
                column,
                has_baseurl_before: false,
            });
        }
    }
    out
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Mapping(map) => {
            for (k, v) in map {
                if k.as_str()
                    .is_some_and(|k| image_like(k) || k == "path" || k == "src")
                {
                    collect_strings(v, out);
                }
            }
        }
        Value::Tagged(tagged) => collect_strings(&tagged.value, out),
        _ => {}
    }
}

/// `body` with the spaces inside Liquid output tags (`{{ … }}`, on one line) removed, and for
/// each byte of the result the offset of the byte it came from.
fn compact_liquid_output(body: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut origin = Vec::with_capacity(body.len() + 1);
    let mut in_tag = false;
    for (i, ch) in body.char_indices() {
        if ch == '\n' {
            in_tag = false;
        } else if !in_tag && body.get(i..).is_some_and(|rest| rest.starts_with("{{")) {
            in_tag = true;
        } else if in_tag && (ch == ' ' || ch == '\t') {
            continue;
        }
        out.push(ch);
        origin.extend(std::iter::repeat_n(i, ch.len_utf8()));
        if in_tag && out.ends_with("}}") && !out.ends_with("{{}}") {
            in_tag = false;
        }
    }
    origin.push(body.len());
    (out, origin)
}

/// Images of a Markdown body (outside code), with their byte offsets.
fn body_images(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Jekyll runs Liquid before Markdown, so `![a]({{ site.baseurl }}/a.png)` is an image
    // there; without the spaces inside `{{ }}` it is one to the Markdown parser too.
    let (compacted, origin) = compact_liquid_output(body);
    let body = compacted.as_str();
    let original = |offset: usize| origin.get(offset).copied().unwrap_or(offset);
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push((original(range.start), dest_url.to_string()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(re) = IMG_SRC.as_ref() {
                    for c in re.captures_iter(&html) {
                        if let Some(m) = c.get(1) {
                            out.push((original(range.start + m.start()), m.as_str().to_string()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Folders where an installed theme gem may live.
fn gem_folders(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![
        PathBuf::from("/usr/share/rubygems-integration/all/gems"),
        PathBuf::from("/usr/lib/ruby/vendor_ruby/gems"),
    ];
    for base in [
        root.join("vendor/bundle/ruby"),
        PathBuf::from("/var/lib/gems"),
    ] {
        if let Ok(entries) = std::fs::read_dir(&base) {
            out.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path().join("gems")),
            );
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        let gem_home = PathBuf::from(home).join(".gem/ruby");
        if let Ok(entries) = std::fs::read_dir(&gem_home) {
            out.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path().join("gems")),
            );
        }
    }
    out
}

/// The installed folder of a theme gem, when it can be found.
pub fn theme_folder(root: &Path, theme: &str) -> Option<PathBuf> {
    for folder in gem_folders(root) {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut matches: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix(theme)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            })
            .map(|e| e.path())
            .collect();
        matches.sort();
        if let Some(last) = matches.pop() {
            return Some(last);
        }
    }
    None
}

/// True when a folder has a file whose name without extension is `stem` (which may name a
/// subfolder: `blog/post`).
fn has_stem(dir: &Path, stem: &str) -> bool {
    let (dir, stem) = match stem.rsplit_once('/') {
        Some((folder, name)) => (dir.join(folder), name),
        None => (dir.to_path_buf(), stem),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let path = e.path();
        path.is_file()
            && path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy() == stem)
    })
}

/// Where a post's local image is: None for remote URLs and Liquid that Byline does not
/// evaluate; otherwise the candidates (the root, then beside the post's folder).
pub(crate) fn image_candidates(
    site: &Site,
    post_path: &str,
    reference: &str,
) -> Option<Vec<PathBuf>> {
    let mut reference = crate::markdown::expand_url_filters(reference.trim()).into_owned();
    if let Some(re) = BASEURL_PREFIX.as_ref() {
        reference = re.replace(&reference, "").into_owned();
    }
    if reference.contains("{{")
        || reference.contains("{%")
        || !super::is_local_reference(&reference)
    {
        return None;
    }
    if reference.starts_with('#') || reference.starts_with("mailto:") || reference.is_empty() {
        return None;
    }
    let baseurl = site.config.baseurl.trim_end_matches('/');
    if !baseurl.is_empty()
        && let Some(rest) = reference.strip_prefix(baseurl)
        && rest.starts_with('/')
    {
        reference = rest.to_string();
    }
    let path = reference
        .split(['?', '#'])
        .next()
        .unwrap_or(&reference)
        .to_string();
    let decoded = percent_decode(&path);
    let mut candidates = vec![site.root.join(decoded.trim_start_matches('/'))];
    if !decoded.starts_with('/') {
        let folder = Path::new(post_path).parent().unwrap_or(Path::new(""));
        candidates.push(site.root.join(folder).join(&decoded));
    }
    Some(candidates)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

static POST_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(.+/)*(\d+-\d+-\d+)-(.*)$").ok());

/// True when a `post_url` name finds a published post, as Jekyll's matcher does.
fn post_url_finds(site: &Site, name: &str) -> bool {
    let name = name.trim_start_matches('/');
    let Some(c) = POST_NAME.as_ref().and_then(|re| re.captures(name)) else {
        return false;
    };
    let folder = c.get(1).map_or("", |m| m.as_str());
    let date = c.get(2).map_or("", |m| m.as_str());
    let slug = c.get(3).map_or("", |m| m.as_str());
    let basename = format!("{}-{}\\.[^.]+", regex::escape(date), regex::escape(slug));
    let folder = regex::escape(folder);
    let Ok(matcher) = Regex::new(&format!(
        "^_posts/{folder}{basename}|^{folder}_posts/?{basename}"
    )) else {
        return false;
    };
    let stem = format!("{date}-{slug}");
    site.posts
        .iter()
        .filter(|p| p.is_published && !p.is_draft)
        .any(|p| {
            matcher.is_match(&p.path)
                || p.path
                    .rsplit('/')
                    .next()
                    .is_some_and(|file| file.rsplit_once('.').is_some_and(|(s, _)| s == stem))
        })
        || site
            .posts
            .iter()
            .filter(|p| p.is_published && p.is_draft)
            .any(|p| matcher.is_match(&p.path))
}

fn diagnostic(line: usize, column: usize, severity: Severity, message: String) -> Diagnostic {
    Diagnostic {
        line,
        column,
        severity,
        message,
    }
}

/// What the per-post checks need from the site, computed once.
struct CheckContext {
    root: PathBuf,
    includes_dir: PathBuf,
    layouts_dir: PathBuf,
    theme_dir: Option<PathBuf>,
    theme_unknown: bool,
    is_jekyll_3: bool,
    has_baseurl: bool,
}

impl CheckContext {
    fn of(site: &Site) -> CheckContext {
        let root = site.root.clone();
        let theme_folder_found = site.config.theme.as_deref().map(|t| theme_folder(&root, t));
        CheckContext {
            includes_dir: root.join(&site.config.includes_dir),
            layouts_dir: root.join(&site.config.layouts_dir),
            theme_dir: theme_folder_found.clone().flatten(),
            theme_unknown: matches!(theme_folder_found, Some(None))
                || site.config.remote_theme.is_some(),
            is_jekyll_3: site.jekyll.is_jekyll_3(),
            has_baseurl: !site.config.baseurl.trim_matches('/').is_empty(),
            root,
        }
    }
}

/// Runs the site checks and adds their problems to each post.
pub fn check_site(site: &mut Site) {
    if let Some(name) = site.config.theme.clone()
        && theme_folder(&site.root, &name).is_none()
    {
        site.problems.push((
            "_config.yml".to_string(),
            diagnostic(
                1,
                1,
                Severity::Warning,
                format!("theme `{name}` is not installed here: includes and layouts it provides are not checked"),
            ),
        ));
    }
    if let Some(remote) = &site.config.remote_theme {
        site.problems.push((
            "_config.yml".to_string(),
            diagnostic(
                1,
                1,
                Severity::Warning,
                format!("remote_theme `{remote}` is fetched at build time: includes and layouts it provides are not checked"),
            ),
        ));
    }
    let cx = CheckContext::of(site);
    // Duplicate URLs among published posts.
    let mut by_url: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, post) in site.posts.iter().enumerate() {
        if post.is_published
            && let Some(url) = &post.url
        {
            by_url.entry(url.clone()).or_default().push(i);
        }
    }
    let mut added: Vec<Vec<Diagnostic>> = vec![Vec::new(); site.posts.len()];
    for (url, indices) in &by_url {
        if indices.len() < 2 {
            continue;
        }
        for &i in indices {
            let others: Vec<&str> = indices
                .iter()
                .filter(|&&j| j != i)
                .filter_map(|&j| site.posts.get(j).map(|p| p.path.as_str()))
                .collect();
            if let Some(list) = added.get_mut(i) {
                list.push(diagnostic(
                    1,
                    1,
                    Severity::Error,
                    format!(
                        "two posts publish at {url}: this one and {} (one overwrites the other)",
                        others.join(", ")
                    ),
                ));
            }
        }
    }

    for (i, post) in site.posts.iter().enumerate() {
        if let Some(list) = added.get_mut(i) {
            list.extend(post_checks(site, &cx, post));
        }
    }
    for (post, extra) in site.posts.iter_mut().zip(added) {
        post.problems.extend(extra);
        post.problems.sort_by_key(|d| (d.line, d.column));
    }
}

/// Runs the site checks on one post that is not (or no longer) the indexed one at its path —
/// an open document's unsaved text — against the rest of the site, adding their problems.
pub fn check_one(site: &Site, post: &mut SitePost) {
    let cx = CheckContext::of(site);
    let mut list = post_checks(site, &cx, post);
    if post.is_published
        && let Some(url) = &post.url
    {
        let others: Vec<&str> = site
            .posts
            .iter()
            .filter(|p| p.path != post.path && p.is_published && p.url.as_ref() == Some(url))
            .map(|p| p.path.as_str())
            .collect();
        if !others.is_empty() {
            list.push(diagnostic(
                1,
                1,
                Severity::Error,
                format!(
                    "two posts publish at {url}: this one and {} (one overwrites the other)",
                    others.join(", ")
                ),
            ));
        }
    }
    post.problems.extend(list);
    post.problems.sort_by_key(|d| (d.line, d.column));
}

/// The checks of one post's references and dates against the site.
fn post_checks(site: &Site, cx: &CheckContext, post: &SitePost) -> Vec<Diagnostic> {
    let CheckContext {
        root,
        includes_dir,
        layouts_dir,
        theme_dir,
        theme_unknown,
        is_jekyll_3,
        has_baseurl,
    } = cx;
    let (theme_unknown, is_jekyll_3, has_baseurl) = (*theme_unknown, *is_jekyll_3, *has_baseurl);
    let mut list = Vec::new();
    let list = &mut list;
    for reference in &post.references {
        let at =
            |severity, message| diagnostic(reference.line, reference.column, severity, message);
        match reference.kind {
            ReferenceKind::Include => {
                let found = includes_dir.join(&reference.target).is_file()
                    || theme_dir
                        .as_ref()
                        .is_some_and(|d| d.join("_includes").join(&reference.target).is_file());
                if !found && !theme_unknown {
                    list.push(at(
                        Severity::Error,
                        format!(
                            "`{{% include {} %}}`: no {}/{} in the site{}: jekyll build fails",
                            reference.target,
                            site.config.includes_dir,
                            reference.target,
                            if theme_dir.is_some() {
                                " or its theme"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
            }
            ReferenceKind::IncludeRelative => {
                let folder = Path::new(&post.path).parent().unwrap_or(Path::new(""));
                if !root.join(folder).join(&reference.target).is_file() {
                    list.push(at(
                        Severity::Error,
                        format!(
                            "`{{% include_relative {} %}}`: no such file beside the post: jekyll build fails",
                            reference.target
                        ),
                    ));
                }
            }
            ReferenceKind::PostUrl => {
                if !post_url_finds(site, &reference.target) {
                    list.push(at(
                        Severity::Error,
                        format!(
                            "`{{% post_url {} %}}`: no published post has that name: jekyll build fails",
                            reference.target
                        ),
                    ));
                }
                if has_baseurl && !is_jekyll_3 && reference.has_baseurl_before {
                    list.push(at(
                        Severity::Warning,
                        "Jekyll 4 adds the baseurl to `post_url` itself: `{{ site.baseurl }}` before it doubles it (Jekyll 3 did not add it)".into(),
                    ));
                } else if has_baseurl && is_jekyll_3 && !reference.has_baseurl_before {
                    list.push(at(
                        Severity::Warning,
                        "this site builds with Jekyll 3, whose `post_url` leaves out the baseurl: the link misses it (Jekyll 4 adds it)".into(),
                    ));
                }
            }
            ReferenceKind::Link => {
                let target = reference.target.trim_start_matches('/');
                if !root.join(target).is_file() {
                    list.push(at(
                        Severity::Error,
                        format!(
                            "`{{% link {} %}}`: no such file in the site: jekyll build fails",
                            reference.target
                        ),
                    ));
                }
            }
            ReferenceKind::Image => {
                if let Some(candidates) = image_candidates(site, &post.path, &reference.target)
                    && !candidates.iter().any(|c| c.is_file())
                {
                    list.push(at(
                        Severity::Warning,
                        format!("image `{}` does not exist in the site", reference.target),
                    ));
                }
            }
            ReferenceKind::Layout => {
                let found = has_stem(layouts_dir, &reference.target)
                    || theme_dir
                        .as_ref()
                        .is_some_and(|d| has_stem(&d.join("_layouts"), &reference.target));
                if !found && !theme_unknown {
                    list.push(at(
                        Severity::Warning,
                        format!(
                            "layout `{}` does not exist: Jekyll publishes the post without a layout",
                            reference.target
                        ),
                    ));
                }
            }
        }
    }

    // Dates: file name against the published day, and YAML's UTC reading.
    if let Some(date) = &post.date
        && matches!(
            post.date_source,
            DateSource::FrontMatter | DateSource::Defaults
        )
        && let Some(file_day) = post.file_name_day
        && date.date() != file_day
    {
        let (line, column) = post.date_position;
        list.push(diagnostic(
            line,
            column,
            Severity::Warning,
            format!(
                "the file name says {file_day} but Jekyll dates the post {}{}",
                date.date(),
                post.url
                    .as_ref()
                    .map(|u| format!(" (URL {u})"))
                    .unwrap_or_default()
            ),
        ));
    }
    if post.date_reading == Some(DateReading::UnquotedUtc)
        && site.config.timezone.is_some()
        && let Some(date) = &post.date
        && date.offset().seconds() != 0
    {
        let written = post.date_written.unwrap_or_else(|| date.datetime());
        let offset = dates::offset_text_at(written, &site.time_zone).unwrap_or_default();
        let written_text = written.strftime("%Y-%m-%d %H:%M:%S").to_string();
        let (line, column) = post.date_position;
        list.push(diagnostic(
            line,
            column,
            Severity::Warning,
            format!(
                "an unquoted date without offset is read as UTC: Jekyll publishes it at {} ({}), not at {written_text} there; to mean the site's time, quote it (`date: \"{written_text}\"`) or add the site's offset for that date (`date: {written_text} {offset}`)",
                dates::rfc3339(date),
                site.config.timezone.as_deref().unwrap_or("the site's zone"),
            ),
        ));
    }
    if !site.config.future
        && let Some(date) = &post.date
        && date.timestamp().as_second() > site.now.as_second()
        && !post.is_draft
        && post.why_not != Some(WhyNot::Unpublished)
    {
        list.push(diagnostic(
            1,
            1,
            Severity::Warning,
            format!(
                "dated in the future ({}) and the site has `future: false`: Jekyll leaves it out until a build after that time",
                dates::rfc3339(date)
            ),
        ));
    }
    std::mem::take(list)
}

#[cfg(test)]
mod tests {
    use super::super::index::IndexOptions;
    use super::*;

    use crate::site::test_support::write;

    fn problems_of(site: &Site, path: &str) -> Vec<String> {
        site.posts
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} missing"))
            .problems
            .iter()
            .map(|d| format!("{}:{}: {}: {}", d.line, d.column, d.severity, d.message))
            .collect()
    }

    #[test]
    fn each_trap_is_reported_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "_config.yml",
            "timezone: Europe/Berlin\nbaseurl: /blog\n",
        );
        write(root, "_includes/note.html", "note");
        write(root, "_layouts/post.html", "{{ content }}");
        write(root, "_layouts/blog/entry.html", "{{ content }}");
        write(
            root,
            "_posts/2025-01-07-nested.md",
            "---\nlayout: blog/entry\n---\n",
        );
        write(root, "assets/there.png", "png");
        write(root, "about.md", "about");
        write(
            root,
            "_posts/2025-01-01-refs.md",
            "---\nlayout: post\nimage: /assets/missing.png\n---\n\
             {% include note.html %}\n\
             {% include missing.html %}\n\
             {% include_relative nothing.md %}\n\
             [a]({% post_url 2025-01-02-other %}) [b]({% post_url 2024-01-01-gone %})\n\
             {% link about.md %} {% link nowhere.md %}\n\
             ![ok](/blog/assets/there.png) ![gone](/assets/gone.png)\n\
             {% raw %}{% include example.html %}{% endraw %}\n\
             ```\n![in code](/not/checked.png)\n```\n",
        );
        write(
            root,
            "_posts/2025-01-02-other.md",
            "---\nlayout: nope\n---\n",
        );
        write(
            root,
            "_posts/2025-01-03-same.md",
            "---\npermalink: /same/\n---\n",
        );
        write(
            root,
            "_posts/2025-01-04-same-too.md",
            "---\npermalink: /same/\n---\n",
        );
        write(
            root,
            "_posts/2025-11-30-utc.md",
            "---\ntitle: t\ndate: 2025-11-30 23:24:20\n---\n",
        );
        write(
            root,
            "_posts/2025-07-01-summer.md",
            "---\ndate: 2025-07-01 10:00:00\n---\n",
        );
        write(root, "_posts/2099-01-01-later.md", "---\n---\n");
        write(
            root,
            "_posts/2025-01-05-string.md",
            "---\npublished: \"false\"\n---\n",
        );
        write(
            root,
            "_posts/2025-01-06-bool.md",
            "---\npublished: no\n---\n",
        );
        let site = Site::open(
            root,
            &IndexOptions {
                now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
                ..IndexOptions::default()
            },
        );
        let refs = problems_of(&site, "_posts/2025-01-01-refs.md");
        let expected = [
            "3:8: warning: image `/assets/missing.png` does not exist",
            "6:1: error: `{% include missing.html %}`: no _includes/missing.html",
            "7:1: error: `{% include_relative nothing.md %}`",
            "8:42: error: `{% post_url 2024-01-01-gone %}`",
            "9:21: error: `{% link nowhere.md %}`",
            "10:31: warning: image `/assets/gone.png`",
        ];
        assert_eq!(refs.len(), expected.len(), "{refs:#?}");
        for (found, want) in refs.iter().zip(expected) {
            assert!(found.starts_with(want), "{found} should start with {want}");
        }
        assert_eq!(
            problems_of(&site, "_posts/2025-01-02-other.md"),
            [
                "2:9: warning: layout `nope` does not exist: Jekyll publishes the post without a layout"
            ]
        );
        for path in ["_posts/2025-01-03-same.md", "_posts/2025-01-04-same-too.md"] {
            let found = problems_of(&site, path);
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].contains("two posts publish at /same/"),
                "{found:?}"
            );
        }
        let utc = problems_of(&site, "_posts/2025-11-30-utc.md");
        assert_eq!(utc.len(), 2, "{utc:#?}");
        assert!(utc[0].starts_with(
            "3:7: warning: the file name says 2025-11-30 but Jekyll dates the post 2025-12-01"
        ));
        assert!(
            utc[1].contains("quote it (`date: \"2025-11-30 23:24:20\"`)"),
            "{utc:?}"
        );
        assert!(
            utc[1].contains("`date: 2025-11-30 23:24:20 +01:00`"),
            "{utc:?}"
        );
        let summer = problems_of(&site, "_posts/2025-07-01-summer.md");
        assert!(
            summer[0].contains("`date: 2025-07-01 10:00:00 +02:00`"),
            "{summer:?}"
        );
        let later = problems_of(&site, "_posts/2099-01-01-later.md");
        assert!(later[0].contains("future: false"), "{later:?}");
        let string = problems_of(&site, "_posts/2025-01-05-string.md");
        assert!(
            string[0].starts_with("2:1: warning: `published: \"false\"` is a string"),
            "{string:?}"
        );
        assert!(problems_of(&site, "_posts/2025-01-06-bool.md").is_empty());
        assert!(problems_of(&site, "_posts/2025-01-07-nested.md").is_empty());
    }

    #[test]
    fn includes_and_layouts_of_an_installed_theme_count() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "theme: my-theme\n");
        let gem = "vendor/bundle/ruby/3.1.0/gems/my-theme-1.2.0";
        write(root, &format!("{gem}/_includes/from-theme.html"), "x");
        write(root, &format!("{gem}/_layouts/post.html"), "x");
        write(
            root,
            "_posts/2025-01-01-a.md",
            "---\nlayout: post\n---\n{% include from-theme.html %}\n{% include nowhere.html %}\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        let found = problems_of(&site, "_posts/2025-01-01-a.md");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("5:1: error: `{% include nowhere.html %}`: no _includes/nowhere.html in the site or its theme"), "{found:?}");
        assert!(site.problems.is_empty(), "{:?}", site.problems);

        write(root, "_config.yml", "remote_theme: owner/theme\n");
        let site = Site::open(root, &IndexOptions::default());
        assert!(problems_of(&site, "_posts/2025-01-01-a.md").is_empty());
        assert_eq!(site.problems.len(), 1, "{:?}", site.problems);
    }

    #[test]
    fn post_url_baseurl_differs_between_jekyll_3_and_4() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "_config.yml",
            "baseurl: /blog\nplugins: [jekyll-feed, jekyll-archives]\n",
        );
        write(
            root,
            "Gemfile",
            "gem \"github-pages\", group: :jekyll_plugins\n",
        );
        write(
            root,
            "_posts/2025-01-01-a.md",
            "---\n---\n[x]({% post_url 2025-01-02-b %})\n",
        );
        write(
            root,
            "_posts/2025-01-02-b.md",
            "---\n---\n[x]({{ site.baseurl }}{% post_url 2025-01-01-a %})\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        let site_problems: Vec<&str> = site
            .problems
            .iter()
            .map(|(_, d)| d.message.as_str())
            .collect();
        assert_eq!(site_problems.len(), 1, "{site_problems:?}");
        assert!(site_problems[0].contains("`jekyll-archives` will not run on GitHub Pages"));
        let a = problems_of(&site, "_posts/2025-01-01-a.md");
        assert!(a[0].contains("Jekyll 3"), "{a:?}");
        assert!(problems_of(&site, "_posts/2025-01-02-b.md").is_empty());
        std::fs::remove_file(root.join("Gemfile")).unwrap();
        let site = Site::open(root, &IndexOptions::default());
        assert!(problems_of(&site, "_posts/2025-01-01-a.md").is_empty());
        let b = problems_of(&site, "_posts/2025-01-02-b.md");
        assert!(b[0].contains("doubles it"), "{b:?}");
    }
}
