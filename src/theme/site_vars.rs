//! The `site` and `page` variables a theme's Liquid reads, built as Jekyll 4.3 builds them:
//! every `_config.yml` key over Jekyll's defaults, `site.posts` (newest first, each with its url,
//! date, id, excerpt, categories, tags and front matter with `defaults` applied), `site.pages`,
//! `site.categories`, `site.tags`, `site.data` from `_data/` and `site.time`.

use std::path::{Path, PathBuf};

use liquid::model::{DateTime, Value};
use serde_yaml::Mapping;

use crate::site::SitePost;
use crate::site::config::scalar_to_string;

/// Jekyll 4.3's `Configuration::DEFAULTS` (as `ruby -rjekyll` prints them), under the site's
/// own `_config.yml`. `source`, `destination` and the posts' permalink are filled per site.
const JEKYLL_DEFAULTS_YAML: &str = r#"
collections_dir: ""
cache_dir: .jekyll-cache
plugins_dir: _plugins
layouts_dir: _layouts
data_dir: _data
includes_dir: _includes
collections:
  posts:
    output: true
safe: false
include: [".htaccess"]
exclude: [".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"]
keep_files: [".git", ".svn"]
encoding: utf-8
markdown_ext: markdown,mkdown,mkdn,mkd,md
strict_front_matter: false
show_drafts: null
limit_posts: 0
future: false
unpublished: false
whitelist: []
plugins: []
markdown: kramdown
highlighter: rouge
lsi: false
excerpt_separator: "\n\n"
incremental: false
detach: false
port: "4000"
host: 127.0.0.1
baseurl: null
show_dir_listing: false
permalink: date
paginate_path: /page:num
timezone: null
quiet: false
verbose: false
defaults: []
liquid:
  error_mode: warn
  strict_filters: false
  strict_variables: false
kramdown:
  auto_ids: true
  toc_levels: [1, 2, 3, 4, 5, 6]
  entity_output: as_char
  smart_quotes: lsquo,rsquo,ldquo,rdquo
  input: GFM
  hard_wrap: false
  guess_lang: true
  footnote_nr: 1
  show_warnings: false
"#;

/// Jekyll's default configuration as a YAML mapping.
pub fn jekyll_defaults() -> Mapping {
    match serde_yaml::from_str::<serde_yaml::Value>(JEKYLL_DEFAULTS_YAML) {
        Ok(serde_yaml::Value::Mapping(mapping)) => mapping,
        _ => Mapping::new(),
    }
}

/// Jekyll's `Utils.deep_merge_hashes(master, other)`: maps merge key by key, anything else in
/// `other` replaces what `master` had.
pub fn deep_merge(master: &mut Mapping, other: &Mapping) {
    for (key, value) in other {
        match (master.get_mut(key), value) {
            (Some(serde_yaml::Value::Mapping(old)), serde_yaml::Value::Mapping(new)) => {
                deep_merge(old, new);
            }
            (Some(old), _) => *old = value.clone(),
            (None, _) => {
                master.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A YAML key as the text Liquid looks it up by.
fn key_text(key: &serde_yaml::Value) -> String {
    scalar_to_string(key).unwrap_or_else(|| {
        serde_yaml::to_string(key)
            .unwrap_or_default()
            .trim()
            .to_string()
    })
}

/// A YAML value as a Liquid value (numbers stay numbers, maps become objects).
pub fn yaml_to_liquid(value: &serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Nil,
        serde_yaml::Value::Bool(b) => Value::scalar(*b),
        serde_yaml::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::scalar(i),
            (None, Some(f)) => Value::scalar(f),
            _ => Value::scalar(n.to_string()),
        },
        serde_yaml::Value::String(s) => Value::scalar(s.clone()),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.iter().map(yaml_to_liquid).collect())
        }
        serde_yaml::Value::Mapping(mapping) => Value::Object(mapping_to_object(mapping)),
        serde_yaml::Value::Tagged(tagged) => yaml_to_liquid(&tagged.value),
    }
}

/// A YAML mapping as a Liquid object.
pub fn mapping_to_object(mapping: &Mapping) -> liquid::Object {
    mapping
        .iter()
        .map(|(k, v)| (key_text(k).into(), yaml_to_liquid(v)))
        .collect()
}

/// A JSON value as a Liquid value.
pub fn json_to_liquid(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::scalar(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::scalar(i),
            (None, Some(f)) => Value::scalar(f),
            _ => Value::scalar(n.to_string()),
        },
        serde_json::Value::String(s) => Value::scalar(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(json_to_liquid).collect()),
        serde_json::Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone().into(), json_to_liquid(v)))
                .collect(),
        ),
    }
}

/// A date as the Liquid date-time Jekyll's `Time` values become (shown as
/// `2016-05-20 00:00:00 +0000`, in the site's zone).
pub fn zoned_to_liquid(zoned: &jiff::Zoned) -> Value {
    let text = zoned.strftime("%Y-%m-%d %H:%M:%S %z").to_string();
    DateTime::from_str(&text).map_or(Value::scalar(text), Value::scalar)
}

/// The text of a string-like Liquid value.
pub fn value_text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::Scalar(s)) => Some(::liquid::model::ValueView::to_kstr(s).to_string()),
        _ => None,
    }
}

/// The whole configuration Jekyll renders with: its defaults, the theme gem's `_config.yml`
/// (keys Jekyll has no default for), then the site's `_config.yml`; plus `source`,
/// `destination` and the posts collection's permalink.
pub fn site_config(
    root: &Path,
    own: &Mapping,
    theme_config: Option<&Mapping>,
    posts_permalink: &str,
) -> Mapping {
    let mut merged = jekyll_defaults();
    if let Some(theme) = theme_config {
        let mut kept = theme.clone();
        kept.retain(|key, _| !merged.contains_key(key));
        deep_merge(&mut merged, &kept);
    }
    deep_merge(&mut merged, own);
    let text = |s: &str| serde_yaml::Value::String(s.to_string());
    merged.insert(text("source"), text(&root.to_string_lossy()));
    if !own.contains_key("destination") {
        merged.insert(
            text("destination"),
            text(&root.join("_site").to_string_lossy()),
        );
    }
    if let Some(serde_yaml::Value::Mapping(collections)) = merged.get_mut("collections")
        && let Some(serde_yaml::Value::Mapping(posts)) = collections.get_mut("posts")
        && !posts.contains_key("permalink")
    {
        posts.insert(text("permalink"), text(posts_permalink));
    }
    merged
}

/// One published post, read once when the site opens.
#[derive(Debug, Clone)]
pub struct PostVars {
    /// Path from the site root.
    pub path: String,
    /// `page`-like object without `next`/`previous` (`excerpt` filled in later).
    pub object: liquid::Object,
    /// The body as written (what an excerpt is cut from).
    pub body: String,
    /// The merged front matter (defaults under the post's own).
    pub data: Mapping,
}

/// Front-matter `data` of a post as Jekyll merges it: categories from its folders, then the
/// `defaults` that apply to its path, then its own front matter.
pub fn post_data(
    root: &Path,
    config: &crate::site::SiteConfig,
    post: &SitePost,
    own: &Mapping,
) -> Mapping {
    crate::site::index::merged_post_data(root, config, &post.path, own)
}

/// `page` variables of a post: Jekyll's `DocumentDrop` keys (`name`, `id`, `url`, `date`,
/// `slug`, `ext`, `collection`, …) over the merged front matter.
pub fn post_object(post: &SitePost, data: &Mapping, body: &str) -> liquid::Object {
    let mut object = mapping_to_object(data);
    let file_name = post.path.rsplit('/').next().unwrap_or(&post.path);
    let ext = crate::site::permalink::extname(file_name);
    let url = post.url.clone().unwrap_or_default();
    let file_slug = slug_of_file_name(file_name);
    let slug = data
        .get("slug")
        .and_then(scalar_to_string)
        .unwrap_or(file_slug);
    let id = {
        let trimmed = url.trim_end_matches('/');
        let folder = trimmed.rsplit_once('/').map_or("", |(dir, _)| dir);
        format!("{folder}/{slug}")
    };
    let text = |s: &str| Value::scalar(s.to_string());
    object.insert("name".into(), text(file_name));
    object.insert("id".into(), text(&id));
    object.insert("relative_path".into(), text(&post.path));
    object.insert("path".into(), text(&post.path));
    object.insert("title".into(), text(&post.title));
    object.insert(
        "categories".into(),
        Value::Array(post.categories.iter().map(|c| text(c)).collect()),
    );
    object.insert(
        "tags".into(),
        Value::Array(post.tags.iter().map(|t| text(t)).collect()),
    );
    object.insert("collection".into(), text("posts"));
    object.insert("url".into(), text(&url));
    if let Some(date) = &post.date {
        object.insert("date".into(), zoned_to_liquid(date));
    }
    object.insert("draft".into(), Value::scalar(post.is_draft));
    object.insert("slug".into(), text(&slug));
    object.insert("ext".into(), text(ext));
    object.insert("content".into(), text(body));
    object
}

/// The slug of a `YYYY-MM-DD-slug.ext` file name (or `slug.ext` for drafts).
fn slug_of_file_name(file_name: &str) -> String {
    let ext = crate::site::permalink::extname(file_name);
    let stem = file_name.strip_suffix(ext).unwrap_or(file_name);
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && stem
            .get(..10)
            .is_some_and(|d| d.chars().filter(|c| *c == '-').count() == 2)
        && bytes.get(10) == Some(&b'-');
    if dated {
        stem.get(11..).unwrap_or(stem).to_string()
    } else {
        stem.to_string()
    }
}

/// `post` without its `next`, `previous`, `content` and `output` (what Jekyll keeps of a
/// neighbour when it breaks the chain of posts).
pub fn collapsed(post: &liquid::Object) -> Value {
    let mut copy = post.clone();
    for key in ["next", "previous", "content", "output"] {
        copy.remove(key);
    }
    Value::Object(copy)
}

/// Jekyll's excerpt source: the body up to `separator`, with the Markdown link definitions
/// further down that it uses appended, and Liquid blocks cut open by the separator closed.
pub fn excerpt_source(body: &str, separator: &str) -> String {
    if separator.is_empty() {
        return String::new();
    }
    let Some((head, tail)) = body.split_once(separator) else {
        return body.to_string();
    };
    if tail.is_empty() {
        return head.to_string();
    }
    let mut head = head.to_string();
    if head.contains("{%") {
        head = close_open_liquid_blocks(head);
    }
    let mut definitions = Vec::new();
    for line in tail.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let rest = line.get(indent..).unwrap_or("");
        if let Some(close) = rest.find("]:")
            && rest.starts_with('[')
            && close > 1
            && !rest.get(1..close).unwrap_or("").contains(']')
            && rest.len() > close + 2
        {
            let label = rest.get(..=close).unwrap_or("");
            if head.contains(label) {
                definitions.push(rest.to_string());
            }
        }
    }
    if definitions.is_empty() {
        return head;
    }
    head.push_str("\n\n");
    head.push_str(&definitions.join("\n"));
    head
}

/// Liquid block tags of the standard library and Jekyll's.
const LIQUID_BLOCKS: &[&str] = &[
    "if",
    "unless",
    "case",
    "for",
    "tablerow",
    "capture",
    "comment",
    "raw",
    "highlight",
];

/// Appends `{% endX %}` for each block tag opened in `head` but not closed there.
fn close_open_liquid_blocks(mut head: String) -> String {
    let mut names = Vec::new();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("{%") {
        let after = rest.get(start + 2..).unwrap_or("");
        let after = after.strip_prefix('-').unwrap_or(after).trim_start();
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
        rest = after;
    }
    let mut closing = String::new();
    for name in names.iter().rev() {
        if !LIQUID_BLOCKS.contains(&name.as_str()) {
            continue;
        }
        let end = format!("end{name}");
        let has_end = names.contains(&end);
        if !has_end {
            closing.push_str(&format!("\n{{% {end} %}}"));
        }
    }
    head.push_str(&closing);
    head
}

/// One page of the site (a file with front matter outside `_` folders), for `site.pages`.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// The file.
    pub absolute: PathBuf,
    /// Path from the site root (or from the theme's root for a theme asset).
    pub relative: String,
    /// `page.url`.
    pub url: String,
    /// Front matter.
    pub data: Mapping,
    /// The text after the front matter.
    pub content: String,
    /// 1-based line of the first content line in the file.
    pub content_first_line: usize,
}

impl PageFile {
    /// The `page` object of this page.
    pub fn object(&self) -> liquid::Object {
        let mut object = mapping_to_object(&self.data);
        let name = self.relative.rsplit('/').next().unwrap_or(&self.relative);
        let dir = match self.relative.rsplit_once('/') {
            Some((dir, _)) => format!("/{dir}/"),
            None => "/".into(),
        };
        let text = |s: &str| Value::scalar(s.to_string());
        object.insert("name".into(), text(name));
        object.insert("path".into(), text(&self.relative));
        object.insert("dir".into(), text(&dir));
        object.insert("url".into(), text(&self.url));
        object.insert("content".into(), text(&self.content));
        object
    }
}

/// The front matter and content of `text`, when it starts with a front matter (Jekyll's
/// `---` first line); the 1-based line where the content starts.
pub fn split_front_matter(text: &str) -> Option<(Mapping, String, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n')?;
    if text.get(..first_end)?.trim_end() != "---" {
        return None;
    }
    let post = crate::post::Post::from_text(text);
    let front = post.front_matter()?;
    let data = front.block().map(|b| b.mapping.clone()).unwrap_or_default();
    let (content, skipped_lines) = jekyll_content(post.body());
    Some((
        data,
        content.to_string(),
        post.body_first_line() + skipped_lines,
    ))
}

/// The content Jekyll takes after a front matter's closing `---` line: its front-matter
/// pattern (`---\s*$\n?`) also swallows the blank lines that follow, so `body` (the text
/// after the fence line) loses its leading whitespace-only lines. Also gives how many lines
/// were dropped.
pub fn jekyll_content(body: &str) -> (&str, usize) {
    let blank_end = body.len() - body.trim_start().len();
    let leading = body.get(..blank_end).unwrap_or("");
    match leading.rfind('\n') {
        Some(last) => (
            body.get(last + 1..).unwrap_or(body),
            leading.matches('\n').count(),
        ),
        None if blank_end == body.len() => ("", 0),
        None => (body, 0),
    }
}

/// The permalink template of pages for the site's `permalink` setting (Jekyll's
/// `Page#template`): `/:path/:basename:output_ext`, or with a trailing `/` for pretty styles.
pub fn page_url(
    relative: &str,
    data: &Mapping,
    permalink_setting: &str,
    markdown_exts: &[String],
) -> String {
    if let Some(permalink) = data.get("permalink").and_then(scalar_to_string) {
        let mut url = permalink;
        if !url.starts_with('/') {
            url.insert(0, '/');
        }
        return url;
    }
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let dir = relative.rsplit_once('/').map_or("", |(dir, _)| dir);
    let ext = crate::site::permalink::extname(name);
    let basename = name.strip_suffix(ext).unwrap_or(name);
    let bare = ext.trim_start_matches('.').to_ascii_lowercase();
    let output_ext = if markdown_exts.contains(&bare) || bare == "html" || bare == "htm" {
        ".html".to_string()
    } else if bare == "scss" || bare == "sass" {
        ".css".to_string()
    } else {
        ext.to_string()
    };
    let prefix = if dir.is_empty() {
        String::from("/")
    } else {
        format!("/{dir}/")
    };
    let is_html = output_ext == ".html";
    if is_html && basename == "index" {
        return prefix;
    }
    let pretty = permalink_setting == "pretty" || permalink_setting.ends_with('/');
    if is_html && pretty {
        return format!("{prefix}{basename}/");
    }
    format!("{prefix}{basename}{output_ext}")
}

/// Every page of the site: files with front matter outside `_` folders (and in folders
/// `include:` names), in Jekyll's reading order (a folder's files, then its folders).
pub fn read_pages(root: &Path, config: &crate::site::SiteConfig, permalink: &str) -> Vec<PageFile> {
    let mut out = Vec::new();
    read_pages_in(root, "", config, permalink, &mut out);
    out
}

fn read_pages_in(
    dir: &Path,
    relative_dir: &str,
    config: &crate::site::SiteConfig,
    permalink: &str,
    out: &mut Vec<PageFile>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if relative_dir.is_empty() {
            name.clone()
        } else {
            format!("{relative_dir}/{name}")
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if relative_dir.is_empty() && (name == "_site" || name == "_posts" || name == "_drafts") {
            continue;
        }
        if !crate::site::filter::is_entry_kept(config, &name, &relative, is_dir) {
            continue;
        }
        if is_dir {
            folders.push((entry.path(), relative));
        } else {
            files.push((entry.path(), relative));
        }
    }
    files.sort();
    folders.sort();
    for (path, relative) in files {
        if let Some(page) = read_page(&path, &relative, config, permalink) {
            out.push(page);
        }
    }
    for (path, relative) in folders {
        read_pages_in(&path, &relative, config, permalink, out);
    }
}

/// One page file, when it has front matter.
pub fn read_page(
    path: &Path,
    relative: &str,
    config: &crate::site::SiteConfig,
    permalink: &str,
) -> Option<PageFile> {
    let mut head = [0u8; 4];
    let is_front = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .is_ok_and(|n| {
            n >= 4 && head.starts_with(b"---") && (head[3] == b'\n' || head[3] == b'\r')
        });
    if !is_front {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let (data, content, content_first_line) = split_front_matter(&text)?;
    let url = page_url(relative, &data, permalink, &config.markdown_ext);
    Some(PageFile {
        absolute: path.to_path_buf(),
        relative: relative.to_string(),
        url,
        data,
        content,
        content_first_line,
    })
}

/// `site.data`: every YAML, JSON, CSV and TSV file of `dir` (folders become nested objects),
/// plus problems for files that do not read.
pub fn read_data(dir: &Path, into: &mut liquid::Object, problems: &mut Vec<(PathBuf, String)>) {
    for (name, entry) in crate::walk::visible_entries(dir) {
        let path = entry.path();
        if path.is_dir() {
            let mut nested = match into.remove(name.as_str()) {
                Some(Value::Object(existing)) => existing,
                _ => liquid::Object::new(),
            };
            read_data(&path, &mut nested, problems);
            into.insert(name.into(), Value::Object(nested));
            continue;
        }
        let ext = crate::site::permalink::extname(&name).to_ascii_lowercase();
        let key = name
            .get(..name.len() - ext.len())
            .unwrap_or(&name)
            .to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push((path.clone(), "cannot read this data file".into()));
            continue;
        };
        let value = match ext.as_str() {
            ".yml" | ".yaml" => match serde_yaml::from_str::<serde_yaml::Value>(&text) {
                Ok(value) => Some(yaml_to_liquid(&value)),
                Err(err) => {
                    problems.push((path.clone(), err.to_string()));
                    None
                }
            },
            ".json" => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) => Some(json_to_liquid(&value)),
                Err(err) => {
                    problems.push((path.clone(), err.to_string()));
                    None
                }
            },
            ".csv" => Some(table_to_liquid(&text, ',')),
            ".tsv" => Some(table_to_liquid(&text, '\t')),
            _ => None,
        };
        if let Some(value) = value {
            into.insert(key.into(), value);
        }
    }
}

/// A CSV/TSV table with a header row as Jekyll reads it: a list of objects keyed by header.
fn table_to_liquid(text: &str, separator: char) -> Value {
    let rows = parse_table(text, separator);
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Value::Array(Vec::new());
    };
    Value::Array(
        rows.map(|row| {
            let mut object = liquid::Object::new();
            for (i, name) in header.iter().enumerate() {
                let cell = row.get(i).map_or(Value::Nil, |c| Value::scalar(c.clone()));
                object.insert(name.clone().into(), cell);
            }
            Value::Object(object)
        })
        .collect(),
    )
}

/// Rows of a CSV text (RFC 4180 quoting: `"a ""b"" c"`, separators and line breaks inside
/// quotes).
fn parse_table(text: &str, separator: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == separator {
            row.push(std::mem::take(&mut cell));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut cell));
            rows.push(std::mem::take(&mut row));
        } else {
            cell.push(c);
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// `site.categories` or `site.tags`: each name → its posts, newest first.
pub fn group_posts(posts: &[liquid::Object], key: &str) -> liquid::Object {
    let mut groups = liquid::Object::new();
    for post in posts {
        let Some(Value::Array(names)) = post.get(key) else {
            continue;
        };
        for name in names {
            let Some(name) = value_text(Some(name)) else {
                continue;
            };
            let entry = groups
                .entry(name)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                list.push(Value::Object(post.clone()));
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_support::write;

    #[test]
    fn config_keeps_every_key_over_jekyll_defaults() {
        let own: Mapping = serde_yaml::from_str(
            "title: Mine\nkramdown:\n  auto_ids: false\nminima:\n  skin: dark\n",
        )
        .unwrap();
        let theme: Mapping =
            serde_yaml::from_str("title: Theirs\nauthor: A\nmarkdown: other\n").unwrap();
        let merged = site_config(Path::new("/s"), &own, Some(&theme), "/:title:output_ext");
        let object = mapping_to_object(&merged);
        assert_eq!(value_text(object.get("title")).as_deref(), Some("Mine"));
        // Theme keys Jekyll has no default for come through; its defaults do not.
        assert_eq!(value_text(object.get("author")).as_deref(), Some("A"));
        assert_eq!(
            value_text(object.get("markdown")).as_deref(),
            Some("kramdown")
        );
        let Some(Value::Object(kramdown)) = object.get("kramdown") else {
            panic!("no kramdown")
        };
        assert_eq!(kramdown.get("auto_ids"), Some(&Value::scalar(false)));
        assert_eq!(
            value_text(kramdown.get("input")).as_deref(),
            Some("GFM"),
            "deep merge keeps the default keys"
        );
        assert_eq!(
            value_text(object.get("excerpt_separator")).as_deref(),
            Some("\n\n")
        );
        assert_eq!(value_text(object.get("source")).as_deref(), Some("/s"));
    }

    #[test]
    fn excerpt_takes_first_paragraph_and_its_link_definitions() {
        let body = "One [a][x] two.\n\nMore.\n\n[x]: https://x.org\n[y]: https://y.org\n";
        assert_eq!(
            excerpt_source(body, "\n\n"),
            "One [a][x] two.\n\n[x]: https://x.org"
        );
        assert_eq!(excerpt_source("Only one.", "\n\n"), "Only one.");
        assert_eq!(
            excerpt_source("{% if a %}x\n\ny{% endif %}", "\n\n"),
            "{% if a %}x\n{% endif %}"
        );
        assert_eq!(excerpt_source("a<!--more-->b", "<!--more-->"), "a");
        assert_eq!(excerpt_source("a\n\nb", ""), "");
    }

    #[test]
    fn pages_get_jekyll_urls() {
        let md = vec!["md".to_string(), "markdown".to_string()];
        let none = Mapping::new();
        assert_eq!(page_url("index.md", &none, "date", &md), "/");
        assert_eq!(page_url("404.html", &none, "date", &md), "/404.html");
        assert_eq!(page_url("blog/index.html", &none, "date", &md), "/blog/");
        assert_eq!(
            page_url("assets/css/style.scss", &none, "pretty", &md),
            "/assets/css/style.css"
        );
        assert_eq!(page_url("about.md", &none, "pretty", &md), "/about/");
        let own: Mapping = serde_yaml::from_str("permalink: /about/").unwrap();
        assert_eq!(page_url("_pages/about.md", &own, "date", &md), "/about/");
    }

    #[test]
    fn data_files_of_every_kind_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_data/nav.yml", "- title: Home\n  url: /\n");
        write(root, "_data/people.json", "{\"ann\": {\"age\": 3}}");
        write(
            root,
            "_data/table.csv",
            "name,note\nx,\"a, \"\"b\"\"\"\ny,z\n",
        );
        write(root, "_data/team/leads.yaml", "lead: Bo\n");
        let mut data = liquid::Object::new();
        let mut problems = Vec::new();
        read_data(&root.join("_data"), &mut data, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let Some(Value::Array(nav)) = data.get("nav") else {
            panic!("nav")
        };
        assert_eq!(nav.len(), 1);
        let Some(Value::Object(people)) = data.get("people") else {
            panic!("people")
        };
        assert!(people.contains_key("ann"));
        let Some(Value::Array(table)) = data.get("table") else {
            panic!("table")
        };
        let Some(Value::Object(first)) = table.first() else {
            panic!("row")
        };
        assert_eq!(value_text(first.get("note")).as_deref(), Some("a, \"b\""));
        let Some(Value::Object(team)) = data.get("team") else {
            panic!("team")
        };
        assert!(team.contains_key("leads"));
    }

    #[test]
    fn blank_lines_after_the_front_matter_are_not_content() {
        // As `jekyll build` renders a layout whose text starts with a blank line.
        assert_eq!(jekyll_content("\n<div>\n"), ("<div>\n", 1));
        assert_eq!(jekyll_content(" \n\t\n  code\n"), ("  code\n", 2));
        assert_eq!(jekyll_content("    code\n"), ("    code\n", 0));
        assert_eq!(jekyll_content("\n\n"), ("", 2));
        let (_, content, first) = split_front_matter("---\nlayout: a\n---\n\n<p>\n").unwrap();
        assert_eq!((content.as_str(), first), ("<p>\n", 5));
    }

    #[test]
    fn file_slugs_drop_the_date() {
        assert_eq!(slug_of_file_name("2016-05-20-my-post.md"), "my-post");
        assert_eq!(slug_of_file_name("idea.md"), "idea");
    }
}
