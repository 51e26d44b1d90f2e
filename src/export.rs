//! Publishing a post: into a Jekyll site (`_posts/` or `_drafts/`, images copied under their
//! MD5 names) or as one self-contained HTML page. Plain Rust, no UI.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use md5::Digest as _;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use serde_yaml::Value;

use crate::error::{Error, Result};
use crate::fsio;
use crate::markdown;
use crate::post::template::slugify;
use crate::post::{Post, PostDate};
use crate::site;

/// File extensions treated as images when copying and embedding.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "svg", "avif"];

/// What an export wrote, and what the user should know about the post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The post or page written.
    pub path: PathBuf,
    /// Images copied into the site (new files only).
    pub images: Vec<PathBuf>,
    /// Problems that do not stop publishing but may surprise.
    pub warnings: Vec<String>,
}

/// Checks a post before publishing: errors stop the export, warnings are shown.
pub fn validate(post: &Post, now: chrono::DateTime<chrono::Local>) -> (Vec<String>, Vec<String>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Err(err) = post.block() {
        errors.push(err.to_string());
        return (errors, warnings);
    }
    if post.text("title").is_none_or(|t| t.trim().is_empty()) {
        errors.push("the post has no title".to_string());
    }
    match post.date() {
        None => errors.push("the post has no date".to_string()),
        Some(Err(err)) => errors.push(err.to_string()),
        Some(Ok(date)) => {
            if date.offset.is_none() {
                warnings.push(
                    "the date has no UTC offset: Jekyll will use the site's time zone".to_string(),
                );
            }
            let is_future = match date.offset {
                Some(offset) => date
                    .local
                    .and_local_timezone(offset)
                    .single()
                    .is_some_and(|d| d > now),
                None => date.local > now.naive_local(),
            };
            if is_future {
                warnings.push(format!(
                    "the date {} is in the future: Jekyll skips the post unless the site sets `future: true`",
                    date.to_text()
                ));
            }
        }
    }
    match post.get("published") {
        Some(Value::Bool(false)) => {
            warnings.push("`published: false`: Jekyll will not publish this post".to_string())
        }
        Some(Value::String(s)) => warnings.push(format!(
            "`published: \"{s}\"` is text, not a boolean: it does not hide the post (write `published: false`)"
        )),
        _ => {}
    }
    (errors, warnings)
}

fn export_error(reason: impl Into<String>) -> Error {
    Error::Export {
        reason: reason.into(),
    }
}

/// True for a folder Jekyll can build: it holds `_config.yml` or `_posts/`.
pub fn is_site(dir: &Path) -> bool {
    dir.join("_config.yml").is_file() || dir.join("_posts").is_dir()
}

/// A local image path (not a URL or data URI) with an image extension.
fn is_local_image(reference: &str) -> bool {
    let reference = reference.trim();
    if !site::is_local_reference(reference) {
        return false;
    }
    let path = reference.split(['?', '#']).next().unwrap_or(reference);
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Every image a post uses: front-matter values under keys about images (`image`, `teaser`,
/// nested `header.overlay_image`...), body `![](…)` and `<img src>`; local ones only.
pub fn image_references(post: &Post) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    fn walk(value: &Value, key_is_image: bool, out: &mut Vec<String>) {
        match value {
            Value::String(s) if key_is_image && is_local_image(s) => out.push(s.clone()),
            Value::Mapping(map) => {
                for (k, v) in map {
                    let name = k.as_str().unwrap_or("").to_ascii_lowercase();
                    let is_image = name.contains("image")
                        || name.contains("teaser")
                        || name == "path" && key_is_image;
                    walk(v, is_image, out);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|v| walk(v, key_is_image, out)),
            Value::Tagged(tagged) => walk(&tagged.value, key_is_image, out),
            _ => {}
        }
    }
    if let Ok(Some(block)) = post.block() {
        walk(&Value::Mapping(block.mapping.clone()), false, &mut out);
    }
    for (_, reference) in body_image_spans(post.body()) {
        if is_local_image(&reference) {
            out.push(reference);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.clone()));
    out
}

/// Byte spans of image paths in Markdown images and HTML `<img>` tags of a body, found by the
/// Markdown parser so that examples inside code are left alone.
fn body_image_spans(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let Ok(img_src) = regex::Regex::new(r#"(?i)<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']"#) else {
        return Vec::new();
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut spans = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let Some(source) = body.get(range.clone()) else {
            continue;
        };
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                // The destination as written sits after the `](` that closes the alt text.
                if let Some(open) = source.rfind("](") {
                    let after = open + 2;
                    let rest = source.get(after..).unwrap_or("");
                    let skipped = rest.len() - rest.trim_start_matches([' ', '<']).len();
                    let start = range.start + after + skipped;
                    if body.get(start..start + dest_url.len()) == Some(&*dest_url) {
                        spans.push((start..start + dest_url.len(), dest_url.to_string()));
                    }
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                for captures in img_src.captures_iter(source) {
                    if let Some(m) = captures.get(1) {
                        spans.push((
                            range.start + m.start()..range.start + m.end(),
                            m.as_str().to_string(),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    spans.sort_by_key(|(range, _)| range.start);
    spans.dedup();
    spans
}

/// The file an image reference points at, resolved as Jekyll serves it from the site root of
/// the source post (or beside the post for a relative path that is there).
fn resolve_source_image(source_post: &Path, reference: &str) -> Option<PathBuf> {
    let root = site::site_root(source_post);
    let from_root = site::resolve_image(&root, reference)?;
    if from_root.is_file() {
        return Some(from_root);
    }
    let beside = source_post
        .parent()?
        .join(reference.split(['?', '#']).next().unwrap_or(reference));
    beside.is_file().then_some(beside)
}

/// Copies an image into `site/assets/images/<md5>.<ext>` (once per content) and returns the
/// file name and whether it was new.
fn copy_image(file: &Path, site: &Path) -> Result<(String, Option<PathBuf>)> {
    let bytes = fs::read(file).map_err(|source| Error::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let digest = md5::Md5::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let ext: String = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("img")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let name = format!("{hex}.{ext}");
    let dir = site.join("assets").join("images");
    fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let target = dir.join(&name);
    if target.exists() {
        return Ok((name, None));
    }
    fsio::write_new(&target, &bytes)?;
    Ok((name, Some(target)))
}

/// Replaces whole-value occurrences of `from` in front-matter YAML with `to` (a value after
/// `key: `, `- ` or in a flow list, quoted or not), keeping the quotes around it.
fn replace_in_yaml(yaml: &str, from: &str, to: &str) -> String {
    let pattern = format!(
        r#"(?m)((?::|^\s*-|[\[,])[ \t]*["']?){}(["']?[ \t]*(?:#.*)?$|["']?[ \t]*[,\]}}])"#,
        regex::escape(from)
    );
    match regex::Regex::new(&pattern) {
        Ok(re) => re
            .replace_all(yaml, |c: &regex::Captures<'_>| {
                format!("{}{to}{}", &c[1], &c[2])
            })
            .into_owned(),
        Err(_) => yaml.to_string(),
    }
}

/// Where a post goes in a site: `_posts/YYYY-MM-DD-slug.md` or `_drafts/slug.md`; the slug
/// comes from `slug` or the title and is always a safe file name.
pub fn site_path(post: &Post, site: &Path, is_draft: bool) -> Result<PathBuf> {
    let slug_source = post
        .text("slug")
        .filter(|s| !s.trim().is_empty())
        .or_else(|| post.text("title"))
        .unwrap_or_default();
    let slug = slugify(&slug_source);
    if is_draft {
        return Ok(site.join("_drafts").join(format!("{slug}.md")));
    }
    let date: PostDate = match post.date() {
        Some(Ok(date)) => date,
        Some(Err(err)) => return Err(err),
        None => return Err(export_error("the post has no date")),
    };
    Ok(site
        .join("_posts")
        .join(format!("{}-{slug}.md", date.local.format("%Y-%m-%d"))))
}

/// Exports a post into a Jekyll site: validates, copies local images under MD5 names, points
/// the exported copy at them, and writes it atomically. The source file is never written.
/// A different existing post is not overwritten unless `force`.
pub fn export_to_site(
    source: &Path,
    site_dir: &Path,
    is_draft: bool,
    force: bool,
) -> Result<Exported> {
    let post = fsio::read_post(source)?;
    export_post_to_site(&post, source, site_dir, is_draft, force)
}

/// `export_to_site` for a post in memory (the editor's, saved or not); `source` is where it
/// lives (or would), for resolving its images.
pub fn export_post_to_site(
    post: &Post,
    source: &Path,
    site_dir: &Path,
    is_draft: bool,
    force: bool,
) -> Result<Exported> {
    if !is_site(site_dir) {
        return Err(export_error(format!(
            "{} is not a Jekyll site (no _config.yml or _posts/ folder)",
            site_dir.display()
        )));
    }
    let (errors, warnings) = validate(post, chrono::Local::now());
    if !errors.is_empty() {
        return Err(export_error(errors.join("; ")));
    }
    let target = site_path(post, site_dir, is_draft)?;
    let mut exported = post.clone();
    let mut images = Vec::new();
    let mut yaml = post.front_matter_text().to_string();
    let mut body = post.body().to_string();
    let references = image_references(post);
    let mut new_names = std::collections::HashMap::new();
    for reference in &references {
        let file = resolve_source_image(source, reference).ok_or_else(|| {
            export_error(format!(
                "image `{reference}` not found (looked in {})",
                site::site_root(source).display()
            ))
        })?;
        let (name, copied) = copy_image(&file, site_dir)?;
        images.extend(copied);
        new_names.insert(reference.clone(), name);
    }
    let mut by_length: Vec<(&String, &String)> = new_names.iter().collect();
    by_length.sort_by_key(|(reference, _)| std::cmp::Reverse(reference.len()));
    for (reference, name) in by_length {
        yaml = replace_in_yaml(&yaml, reference, &format!("assets/images/{name}"));
    }
    let mut rewritten = String::with_capacity(body.len());
    let mut last = 0;
    for (range, reference) in body_image_spans(&body) {
        if let Some(name) = new_names.get(&reference) {
            rewritten.push_str(body.get(last..range.start).unwrap_or(""));
            rewritten.push_str(&format!("/assets/images/{name}"));
            last = range.end;
        }
    }
    rewritten.push_str(body.get(last..).unwrap_or(""));
    body = rewritten;
    exported.set_front_matter_text(yaml);
    if exported.front_matter().and_then(|f| f.error()).is_some() {
        return Err(export_error(
            "rewriting image paths broke the front matter; nothing was written",
        ));
    }
    // Every local image of the front matter must now point into assets/images.
    let mut front_only = exported.clone();
    front_only.set_body(String::new());
    if let Some(left) = image_references(&front_only)
        .into_iter()
        .find(|r| !r.starts_with("assets/images/"))
    {
        return Err(export_error(format!(
            "could not rewrite the image path `{left}` in the front matter; nothing was written"
        )));
    }
    exported.set_body(body);
    let bytes = exported.to_text();
    if let Ok(existing) = fs::read(&target)
        && existing != bytes.as_bytes()
        && !force
    {
        return Err(export_error(format!(
            "{} already exists with different content; use --force to overwrite it",
            target.display()
        )));
    }
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    fsio::write_atomic(&target, bytes.as_bytes())?;
    Ok(Exported {
        path: target,
        images,
        warnings,
    })
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A local image as a `data:` URI, so the page needs no other files.
fn data_uri(file: &Path) -> Option<String> {
    let bytes = fs::read(file).ok()?;
    let ext = file.extension()?.to_str()?.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => return None,
    };
    Some(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// The post as one self-contained HTML page: header, body in the preview's Markdown dialect,
/// embedded stylesheet and images, and `<title>`, description and Open Graph tags.
pub fn render_html(source: &Path, post: &Post) -> Result<String> {
    post.block()?;
    let title = post.text("title").unwrap_or_default();
    let author = post.text("author").unwrap_or_default();
    let date = match post.date() {
        Some(Ok(date)) => Some(date),
        _ => None,
    };
    let embed = |reference: &str| -> Result<String> {
        if !is_local_image(reference) {
            return Ok(reference.to_string());
        }
        let file = resolve_source_image(source, reference)
            .ok_or_else(|| export_error(format!("image `{reference}` not found")))?;
        data_uri(&file)
            .ok_or_else(|| export_error(format!("image `{reference}` could not be embedded")))
    };
    let markdown_text = markdown::liquid_placeholders(post.body());
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let img_src = regex::Regex::new(r#"(?i)(<img\b[^>]*?\ssrc\s*=\s*["'])([^"']+)(["'])"#)
        .map_err(|e| export_error(e.to_string()))?;
    let mut failure = None;
    let events: Vec<Event<'_>> = Parser::new_ext(&markdown_text, options)
        .map(|event| match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = embed(&dest_url).unwrap_or_else(|e| {
                    failure.get_or_insert(e);
                    dest_url.to_string()
                });
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                })
            }
            Event::Html(html) | Event::InlineHtml(html) if img_src.is_match(&html) => {
                let replaced = img_src
                    .replace_all(&html, |c: &regex::Captures<'_>| {
                        let url = embed(&c[2]).unwrap_or_else(|e| {
                            failure.get_or_insert(e);
                            c[2].to_string()
                        });
                        format!("{}{}{}", &c[1], url, &c[3])
                    })
                    .into_owned();
                Event::Html(CowStr::from(replaced))
            }
            other => other,
        })
        .collect();
    if let Some(err) = failure {
        return Err(err);
    }
    let mut body_html = String::new();
    pulldown_cmark::html::push_html(&mut body_html, events.into_iter());
    let description = post
        .text("excerpt")
        .or_else(|| post.text("description"))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| first_paragraph(post.body()));
    let image = post.text("image").filter(|s| !s.trim().is_empty());
    let mut head = format!(
        "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta name=\"description\" content=\"{}\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"{}\">\n<meta property=\"og:description\" content=\"{}\">\n",
        escape_html(&title),
        escape_html(&description),
        escape_html(&title),
        escape_html(&description)
    );
    // Open Graph needs a URL that readers' apps can fetch: only a remote image qualifies.
    if let Some(image) = image.as_ref().filter(|i| i.contains("://")) {
        head.push_str(&format!(
            "<meta property=\"og:image\" content=\"{}\">\n",
            escape_html(image)
        ));
    }
    if let Some(date) = &date {
        head.push_str(&format!(
            "<meta property=\"article:published_time\" content=\"{}\">\n",
            escape_html(&date.to_text())
        ));
    }
    if !author.is_empty() {
        head.push_str(&format!(
            "<meta name=\"author\" content=\"{}\">\n",
            escape_html(&author)
        ));
    }
    head.push_str(&format!(
        "<style>\n{}</style>\n",
        include_str!("../assets/export.css")
    ));
    let mut header = String::from("<header class=\"post-header\">\n");
    if let Some(image) = &image {
        header.push_str(&format!(
            "<img class=\"header-image\" src=\"{}\" alt=\"\">\n",
            escape_html(&embed(image)?)
        ));
    }
    header.push_str(&format!("<h1>{}</h1>\n", escape_html(&title)));
    let mut meta = Vec::new();
    if let Some(date) = &date {
        let shown = if date.is_date_only() {
            date.local.format("%-d %B %Y")
        } else {
            date.local.format("%-d %B %Y, %H:%M")
        };
        meta.push(format!(
            "<time datetime=\"{}\">{}</time>",
            escape_html(&date.to_text()),
            shown
        ));
    }
    if !author.is_empty() {
        meta.push(format!("by {}", escape_html(&author)));
    }
    if !meta.is_empty() {
        header.push_str(&format!("<div class=\"meta\">{}</div>\n", meta.join(" · ")));
    }
    let tags: Vec<String> = post
        .list("categories")
        .into_iter()
        .chain(post.list("tags"))
        .collect();
    if !tags.is_empty() {
        header.push_str("<div class=\"tags\">");
        for tag in tags {
            header.push_str(&format!("<span class=\"tag\">{}</span>", escape_html(&tag)));
        }
        header.push_str("</div>\n");
    }
    header.push_str("</header>\n");
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n{head}</head>\n<body>\n<main>\n<article>\n{header}{body_html}</article>\n</main>\n</body>\n</html>\n"
    ))
}

fn first_paragraph(body: &str) -> String {
    let text = markdown::blocks(body)
        .into_iter()
        .filter_map(|r| body.get(r))
        .find(|b| {
            !b.trim_start()
                .starts_with(['#', '!', '<', '{', '`', '|', '-', '>'])
        })
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(197).collect::<String>())
    } else {
        text
    }
}

/// Writes the post as `out_dir/<slug>.html`.
pub fn export_html(source: &Path, out_dir: &Path) -> Result<Exported> {
    let post = fsio::read_post(source)?;
    export_post_html(&post, source, out_dir)
}

/// `export_html` for a post in memory; `source` is where it lives, for resolving its images.
pub fn export_post_html(post: &Post, source: &Path, out_dir: &Path) -> Result<Exported> {
    let (errors, warnings) = validate(post, chrono::Local::now());
    if let Some(err) = errors.iter().find(|e| e.contains("front matter")) {
        return Err(export_error(err.clone()));
    }
    let html = render_html(source, post)?;
    let slug = slugify(
        &post
            .text("slug")
            .filter(|s| !s.trim().is_empty())
            .or_else(|| post.text("title"))
            .unwrap_or_default(),
    );
    fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let path = out_dir.join(format!("{slug}.html"));
    fsio::write_atomic(&path, html.as_bytes())?;
    Ok(Exported {
        path,
        images: Vec::new(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_replacement_keeps_quotes_and_other_values() {
        let yaml = "image: \"a.jpg\"\nother: xa.jpg\nheader:\n  overlay_image: a.jpg\n";
        assert_eq!(
            replace_in_yaml(yaml, "a.jpg", "assets/images/h.jpg"),
            "image: \"assets/images/h.jpg\"\nother: xa.jpg\nheader:\n  overlay_image: assets/images/h.jpg\n"
        );
    }

    #[test]
    fn yaml_replacement_touches_whole_values_only() {
        let yaml = "image: cat.jpg\nteaser: my-cat.jpg\ncaption: \"cat.jpg by Bob\"\ngallery:\n  - cat.jpg # first\nlist: [cat.jpg, x]\n";
        assert_eq!(
            replace_in_yaml(yaml, "cat.jpg", "N"),
            "image: N\nteaser: my-cat.jpg\ncaption: \"cat.jpg by Bob\"\ngallery:\n  - N # first\nlist: [N, x]\n"
        );
    }

    #[test]
    fn image_examples_inside_code_are_not_images() {
        let body =
            "Use `![logo](img/logo.png)` like this:\n\n```\n![x](y.png)\n```\n\n![real](a.png)\n";
        let spans = body_image_spans(body);
        assert_eq!(spans.len(), 1);
        assert_eq!(&body[spans[0].0.clone()], "a.png");
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn image_references_find_front_matter_and_body() {
        let post = Post::from_text(
            "---\nimage: a.jpg\nheader:\n  teaser: /b.png\n  caption: c.jpg\n---\n![x](c.gif) <img src=\"d.webp\"> ![r](https://x.org/e.jpg)\n",
        );
        assert_eq!(
            image_references(&post),
            ["a.jpg", "/b.png", "c.gif", "d.webp"]
        );
    }
}
