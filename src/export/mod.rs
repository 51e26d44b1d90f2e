//! Publishing a post: into a Jekyll site (`_posts/` or `_drafts/`, images copied under their
//! MD5 names) or as one self-contained HTML page (`html`). Images are read only from inside
//! the post's site, writes never leave the target, and one export run never lets two posts
//! share a file or overwrite what was there before without `force`. Plain Rust, no UI.

use std::fs;
use std::path::{Path, PathBuf};

use md5::Digest as _;
use pulldown_cmark::{Event, Parser, Tag};
use serde_yaml::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};

mod html;
use crate::fsio;
use crate::post::template::slugify;
use crate::post::{Post, PostDate};
use crate::site;
pub use html::{
    HtmlOptions, escape_html, export_html, export_post_html, export_post_html_in, render_html,
    render_html_with,
};

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
    pub warnings: Vec<Diagnostic>,
}

/// What Jekyll reads from a post's file name `YYYY-MM-DD-slug.ext`: the date and the slug,
/// used when the front matter has no `date` or `title` (as Jekyll does for every post in
/// `_posts/`).
#[derive(Debug, Clone)]
pub struct FileNameParts {
    /// The date at the start of the name.
    pub date: PostDate,
    /// The rest of the name, without the extension.
    pub slug: String,
}

impl FileNameParts {
    /// The parts of `path`'s file name, when it starts with a real calendar date.
    pub fn of(path: &Path) -> Option<FileNameParts> {
        let stem = path.file_stem()?.to_str()?;
        let date_text = stem.get(..10)?;
        let slug = stem.get(11..)?;
        if stem.get(10..11) != Some("-") || slug.is_empty() {
            return None;
        }
        let date = PostDate::parse(date_text).ok()?;
        Some(FileNameParts {
            date,
            slug: slug.to_string(),
        })
    }

    /// The title Jekyll gives a post without one (see [`site::index::default_title`]).
    pub fn title(&self) -> String {
        site::index::default_title(&self.slug)
    }
}

/// Checks a post before publishing: its error diagnostics stop the export, its warnings are
/// shown with the result.
pub fn validate(post: &Post, now: chrono::DateTime<chrono::Local>) -> Vec<Diagnostic> {
    validate_with_file_name(post, None, now)
}

/// `validate` for a post whose file name gives Jekyll a date and a title when the front matter
/// has none.
pub fn validate_with_file_name(
    post: &Post,
    file_name: Option<&FileNameParts>,
    now: chrono::DateTime<chrono::Local>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let block = match post.block() {
        Ok(block) => block,
        Err(err) => return vec![Diagnostic::from_error(&err)],
    };
    // The file line of a key (the line after the opening fence when the key is missing).
    let line_of = |key: &str| {
        block
            .and_then(|b| b.entry(key))
            .map_or(2, |entry| entry.line + 2)
    };
    if post.text("title").is_none_or(|t| t.trim().is_empty()) && file_name.is_none() {
        out.push(Diagnostic::at(
            line_of("title"),
            Severity::Error,
            "the post has no title".to_string(),
        ));
    }
    match post.date() {
        None if file_name.is_some() => {}
        None => out.push(Diagnostic::at(
            2,
            Severity::Error,
            "the post has no date".to_string(),
        )),
        Some(Err(err)) => out.push(Diagnostic::at(
            line_of("date"),
            Severity::Error,
            err.to_string(),
        )),
        Some(Ok(date)) => {
            if let Some(note) = crate::site::dates::date_reading(post)
                .and_then(crate::site::dates::offsetless_date_note)
            {
                out.push(Diagnostic::at(
                    line_of("date"),
                    Severity::Warning,
                    format!("the date has {note}"),
                ));
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
                out.push(Diagnostic::at(
                    line_of("date"),
                    Severity::Warning,
                    format!(
                        "the date {} is in the future: Jekyll skips the post unless the site sets `future: true`",
                        date.to_text()
                    ),
                ));
            }
        }
    }
    if let Some(Value::Bool(false)) = post.get("published") {
        out.push(Diagnostic::at(
            line_of("published"),
            Severity::Warning,
            "`published: false`: Jekyll will not publish this post".to_string(),
        ));
    }
    // The checks `byline check` makes (a `published` string, duplicate keys…) are worded once,
    // in the checker; export shows its warnings as they are.
    for diagnostic in crate::post::check::check(post) {
        if diagnostic.severity == Severity::Warning
            && !out.iter().any(|d| d.message == diagnostic.message)
        {
            out.push(diagnostic);
        }
    }
    out
}

/// Splits validation into the warnings to show, or the error that stops the export.
fn warnings_or_refusal(diagnostics: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    let (problems, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if problems.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::NotPublishable { problems })
    }
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
    let options = crate::markdown::parser_options();
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

/// An image a post uses, found inside the allowed folder tree and read for export.
#[derive(Debug)]
struct SourceImage {
    /// The file, symbolic links resolved.
    file: PathBuf,
    /// Its bytes (at most [`fsio::MAX_IMAGE_BYTES`]).
    bytes: Vec<u8>,
    /// The lowercase extension of the reference as written, for the copy's name and MIME type.
    extension: String,
}

impl SourceImage {
    /// `<md5>.<ext>`: the same picture under any name is stored once.
    fn md5_name(&self) -> String {
        let digest = md5::Md5::digest(&self.bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let ext = if self.extension.is_empty() {
            "img"
        } else {
            &self.extension
        };
        format!("{hex}.{ext}")
    }
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder tree a post may take images from: its site, or for a post outside any site its
/// own folder, with symbolic links resolved.
fn image_root(source_post: &Path) -> Result<PathBuf> {
    let mut root = site::site_root(source_post);
    if root.as_os_str().is_empty() {
        root = PathBuf::from(".");
    }
    fs::canonicalize(&root).map_err(|source| read_error(&root, source))
}

/// The ways a reference may be written on disk: as written, and percent-decoded
/// (`my%20cat.png` is the file `my cat.png`).
fn reference_variants(reference: &str) -> Vec<String> {
    let path = reference.trim();
    let path = path.split(['?', '#']).next().unwrap_or(path).to_string();
    let mut variants = vec![path.clone()];
    if let Ok(decoded) = percent_encoding::percent_decode_str(&path).decode_utf8()
        && decoded != path
    {
        variants.push(decoded.into_owned());
    }
    variants
}

/// Finds and reads the file an image reference points at, as Jekyll serves it from the site
/// root of the source post (or beside the post for a relative path that is there). Only files
/// inside the post's site (or, outside any site, its folder tree) are read, judged after
/// symbolic links are resolved; anything else, a non-regular file or a file over
/// [`fsio::MAX_IMAGE_BYTES`] is an error.
fn read_source_image(source_post: &Path, root: &Path, reference: &str) -> Result<SourceImage> {
    let post_dir = source_post
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut candidates = Vec::new();
    for variant in reference_variants(reference) {
        candidates.push(root.join(variant.trim_start_matches('/')));
        if !variant.starts_with('/') {
            candidates.push(post_dir.join(&variant));
        }
    }
    let Some(found) = candidates.into_iter().find(|c| fs::metadata(c).is_ok()) else {
        return Err(export_error(format!(
            "image `{reference}` not found (looked in {})",
            root.display()
        )));
    };
    let file = fs::canonicalize(&found).map_err(|source| read_error(&found, source))?;
    if !file.starts_with(root) {
        return Err(export_error(format!(
            "image `{reference}` is outside the post's site ({}); Byline only exports images from inside it",
            root.display()
        )));
    }
    let bytes = fsio::read_limited(&file, fsio::MAX_IMAGE_BYTES, "an image")?;
    let extension = found
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    Ok(SourceImage {
        file,
        bytes,
        extension,
    })
}

/// Refuses a path whose nearest existing ancestor (or itself) resolves outside `site_real`, so
/// a symbolic link inside the site (`assets/`, `_posts/`) never leads a write elsewhere.
fn require_inside(site_real: &Path, path: &Path) -> Result<()> {
    require_inside_of(site_real, path, "the site")
}

/// `require_inside` for any folder Byline writes into; `what` names it in the error.
fn require_inside_of(site_real: &Path, path: &Path, what: &str) -> Result<()> {
    let existing = path
        .ancestors()
        .find(|p| fs::symlink_metadata(p).is_ok())
        .unwrap_or(path);
    let real = fs::canonicalize(existing).map_err(|source| read_error(existing, source))?;
    if real.starts_with(site_real) {
        Ok(())
    } else {
        Err(export_error(format!(
            "{} leads outside {what} (to {}); Byline never writes through it",
            existing.display(),
            real.display()
        )))
    }
}

/// True when both paths exist and are one file (the same device and inode: symbolic and hard
/// links included).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// True when both paths exist and are one file.
#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// True for a key that holds an image path (`image`, `teaser`, `overlay_image`...).
fn is_image_key(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("image") || name.contains("teaser")
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

/// The byte ranges of the front matter that hold image values: the whole value of an image
/// key (`image: …`, `teaser: …`, with everything nested under it), found by indentation, so a
/// `caption` or `description` holding the same text is never rewritten.
fn image_value_ranges(yaml: &str) -> Vec<std::ops::Range<usize>> {
    let Ok(key_line) = regex::Regex::new(
        r#"^([ \t]*)(?:-[ \t]+)?["']?([^"':#\s][^"':#]*?)["']?[ \t]*:(?:[ \t]|$)"#,
    ) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    // (column of the open image key, start of its range, whether a `- ` item at that column
    // still belongs to its value: YAML lets a block list sit at its key's indentation)
    let mut open: Option<(usize, usize, bool)> = None;
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let is_blank = content.trim().is_empty() || content.trim_start().starts_with('#');
        let is_item = content.trim_start().starts_with("- ") || content.trim() == "-";
        if let Some((open_column, start, items_at_column)) = open
            && !is_blank
            && (indent < open_column || indent == open_column && !(is_item && items_at_column))
        {
            ranges.push(start..offset);
            open = None;
        }
        if open.is_none()
            && let Some(captures) = key_line.captures(content)
            && captures.get(2).is_some_and(|k| is_image_key(k.as_str()))
        {
            // The column where the key starts (after `- ` for a key in a list item): lines
            // indented no further are its siblings, deeper ones its value.
            let rest = content.get(indent..).unwrap_or("");
            let (key_column, items_at_column) = match rest.strip_prefix('-') {
                Some(after) => (
                    indent + 1 + after.len() - after.trim_start_matches([' ', '\t']).len(),
                    false,
                ),
                None => (indent, true),
            };
            open = Some((key_column, offset, items_at_column));
        }
        offset += line.len();
    }
    if let Some((_, start, _)) = open {
        ranges.push(start..yaml.len());
    }
    ranges
}

/// Rewrites image references in the front matter, only inside the values of image keys.
fn rewrite_front_matter_images(yaml: &str, names: &[(&String, String)]) -> String {
    let mut out = String::with_capacity(yaml.len());
    let mut last = 0;
    for range in image_value_ranges(yaml) {
        out.push_str(yaml.get(last..range.start).unwrap_or(""));
        let mut part = yaml.get(range.clone()).unwrap_or("").to_string();
        for (reference, name) in names {
            part = replace_in_yaml(&part, reference, name);
        }
        out.push_str(&part);
        last = range.end;
    }
    out.push_str(yaml.get(last..).unwrap_or(""));
    out
}

/// The longest slug in a file name Byline writes (bytes): file systems allow 255-byte names,
/// and the date, extension and temp-file decorations need room.
pub const MAX_SLUG_BYTES: usize = 120;

/// A slug cut to [`MAX_SLUG_BYTES`] at a word boundary where possible, so a very long title
/// still gives a valid file name.
pub fn short_slug(slug: &str) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug.to_string();
    }
    let mut cut = MAX_SLUG_BYTES;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = slug.get(..cut).unwrap_or(slug);
    let head = match head.rfind('-') {
        Some(dash) if dash > MAX_SLUG_BYTES / 2 => head.get(..dash).unwrap_or(head),
        _ => head,
    };
    head.trim_end_matches('-').to_string()
}

/// Where a post goes in a site: `_posts/YYYY-MM-DD-slug.md` or `_drafts/slug.md`; the slug
/// comes from `slug` or the title, is always a safe file name and at most
/// [`MAX_SLUG_BYTES`] long.
pub fn site_path(post: &Post, site: &Path, is_draft: bool) -> Result<PathBuf> {
    site_path_with_file_name(post, None, site, is_draft)
}

/// `site_path` for a post whose file name gives the date and slug when the front matter has
/// no `date` or `title`.
fn site_path_with_file_name(
    post: &Post,
    file_name: Option<&FileNameParts>,
    site: &Path,
    is_draft: bool,
) -> Result<PathBuf> {
    let slug = short_slug(&slugify(&slug_source(post, file_name)));
    if is_draft {
        return Ok(site.join("_drafts").join(format!("{slug}.md")));
    }
    let date: PostDate = match (post.date(), file_name) {
        (Some(Ok(date)), _) => date,
        (Some(Err(err)), _) => return Err(err),
        (None, Some(parts)) => parts.date,
        (None, None) => return Err(export_error("the post has no date")),
    };
    Ok(site
        .join("_posts")
        .join(crate::post::template::file_name(&slug, &date, false)))
}

/// The text a post's slug is made from: its `slug`, else its `title`, else the slug of its
/// `YYYY-MM-DD-slug` file name (as Jekyll names a post without one).
pub(crate) fn slug_source(post: &Post, file_name: Option<&FileNameParts>) -> String {
    post.text("slug")
        .filter(|s| !s.trim().is_empty())
        .or_else(|| post.text("title").filter(|s| !s.trim().is_empty()))
        .or_else(|| file_name.map(|parts| parts.slug.clone()))
        .unwrap_or_default()
}

/// One export command over several posts: remembers what it wrote, so two posts of one run
/// never share a file, and a file that was there before the run is overwritten only with
/// `force`.
#[derive(Debug, Default)]
pub struct ExportRun {
    /// Overwrite files that were there before this run (never the source post itself).
    pub force: bool,
    /// Files written in this run (symbolic links resolved), and the post each came from.
    written: std::collections::HashMap<PathBuf, PathBuf>,
}

/// What to do about a target file before writing it.
#[derive(Debug, PartialEq, Eq)]
enum TargetState {
    /// Nothing is there, or this run wrote it for the same post, or `force`: write.
    Write,
    /// The same bytes are already there: nothing to write.
    Unchanged,
}

impl ExportRun {
    /// A run that overwrites files from before it only when `force` is set.
    pub fn new(force: bool) -> Self {
        ExportRun {
            force,
            written: std::collections::HashMap::new(),
        }
    }

    /// The key a target is remembered under: its folder resolved, so two spellings of one
    /// path are one file.
    fn key(target: &Path) -> PathBuf {
        match (target.parent(), target.file_name()) {
            (Some(dir), Some(name)) => fs::canonicalize(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
            .map_or_else(|_| target.to_path_buf(), |d| d.join(name)),
            _ => target.to_path_buf(),
        }
    }

    /// True when another post of this run already went to `target`.
    fn taken_by_other(&self, target: &Path, source: &Path) -> bool {
        self.written
            .get(&Self::key(target))
            .is_some_and(|from| !same_post(from, source))
    }

    /// Decides whether `bytes` may go to `target` for the post at `source`.
    fn check_target(&self, target: &Path, source: &Path, bytes: &[u8]) -> Result<TargetState> {
        if self.taken_by_other(target, source) {
            return Err(export_error(format!(
                "another post of this export already went to {}; give one of them its own slug or file name",
                target.display()
            )));
        }
        if fs::symlink_metadata(target).is_err() {
            return Ok(TargetState::Write);
        }
        if same_file(target, source) {
            if holds(target, bytes) {
                return Ok(TargetState::Unchanged);
            }
            return Err(export_error(format!(
                "{} is the post itself: exporting it there would overwrite its source, which Byline never does",
                target.display()
            )));
        }
        if holds(target, bytes) {
            return Ok(TargetState::Unchanged);
        }
        if self.force || self.written.contains_key(&Self::key(target)) {
            Ok(TargetState::Write)
        } else {
            Err(Error::TargetExists {
                path: target.to_path_buf(),
            })
        }
    }

    fn remember(&mut self, target: &Path, source: &Path) {
        self.written.insert(Self::key(target), source.to_path_buf());
    }
}

/// True when the regular file at `path` holds exactly `bytes` (read only when the sizes match,
/// so a large page is compared without a size limit getting in the way).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fsio::read_limited(path, bytes.len() as u64, "an export target")
            .is_ok_and(|existing| existing == bytes)
}

/// True when two source paths are one post (the same file, or the same path for a post not
/// saved yet).
fn same_post(a: &Path, b: &Path) -> bool {
    a == b || same_file(a, b)
}

/// Removes files this export created before it failed, so a failed export leaves nothing.
fn remove_created(files: &[PathBuf]) {
    for file in files {
        let _ = fs::remove_file(file);
    }
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
    export_post_to_site_in(&mut ExportRun::new(force), post, source, site_dir, is_draft)
}

/// `export_post_to_site` as part of a run of several posts (see [`ExportRun`]). Images are read
/// only from inside the post's site, every write stays inside the target site (symbolic links
/// resolved), and a failure removes the images this export had copied.
pub fn export_post_to_site_in(
    run: &mut ExportRun,
    post: &Post,
    source: &Path,
    site_dir: &Path,
    is_draft: bool,
) -> Result<Exported> {
    if !is_site(site_dir) {
        return Err(export_error(format!(
            "{} is not a Jekyll site (no _config.yml or _posts/ folder)",
            site_dir.display()
        )));
    }
    let file_name = FileNameParts::of(source);
    let warnings = warnings_or_refusal(validate_with_file_name(
        post,
        file_name.as_ref(),
        chrono::Local::now(),
    ))?;
    let site_real = fs::canonicalize(site_dir).map_err(|e| read_error(site_dir, e))?;
    let target = site_path_with_file_name(post, file_name.as_ref(), site_dir, is_draft)?;
    let references = image_references(post);
    let mut images: Vec<(String, SourceImage, String)> = Vec::new();
    if !references.is_empty() {
        let root = image_root(source)?;
        for reference in references {
            let image = read_source_image(source, &root, &reference)?;
            let name = image.md5_name();
            images.push((reference, image, name));
        }
    }
    let mut exported = post.clone();
    let mut by_length: Vec<(&String, String)> = images
        .iter()
        .map(|(reference, _, name)| (reference, format!("/assets/images/{name}")))
        .collect();
    by_length.sort_by_key(|(reference, _)| std::cmp::Reverse(reference.len()));
    let yaml = rewrite_front_matter_images(post.front_matter_text(), &by_length);
    let body = post.body();
    let mut rewritten = String::with_capacity(body.len());
    let mut last = 0;
    for (range, reference) in body_image_spans(body) {
        if let Some((_, _, name)) = images.iter().find(|(r, _, _)| *r == reference) {
            rewritten.push_str(body.get(last..range.start).unwrap_or(""));
            rewritten.push_str(&format!("/assets/images/{name}"));
            last = range.end;
        }
    }
    rewritten.push_str(body.get(last..).unwrap_or(""));
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
        .find(|r| !r.starts_with("/assets/images/"))
    {
        return Err(export_error(format!(
            "could not rewrite the image path `{left}` in the front matter; nothing was written"
        )));
    }
    exported.set_body(rewritten);
    let bytes = exported.to_text();
    require_inside(&site_real, &target)?;
    let state = run.check_target(&target, source, bytes.as_bytes())?;
    let mut created = Vec::new();
    if !images.is_empty() {
        let dir = site_dir.join("assets").join("images");
        require_inside(&site_real, &dir)?;
        fs::create_dir_all(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        require_inside(&site_real, &dir)?;
        for (_, image, name) in &images {
            let path = dir.join(name);
            if fs::symlink_metadata(&path).is_ok() {
                continue; // named by its content: the same picture is already there
            }
            if let Err(err) = fsio::write_new(&path, &image.bytes) {
                remove_created(&created);
                return Err(err);
            }
            created.push(path);
        }
    }
    if state == TargetState::Write {
        let written = target
            .parent()
            .map_or(Ok(()), |dir| {
                fs::create_dir_all(dir).map_err(|source| Error::Write {
                    path: dir.to_path_buf(),
                    source,
                })
            })
            .and_then(|()| require_inside(&site_real, &target))
            .and_then(|()| fsio::write_atomic(&target, bytes.as_bytes()));
        if let Err(err) = written {
            remove_created(&created);
            return Err(err);
        }
    }
    run.remember(&target, source);
    Ok(Exported {
        path: target,
        images: created,
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
    fn image_references_find_front_matter_and_body() {
        let post = Post::from_text(
            "---\nimage: a.jpg\nheader:\n  teaser: /b.png\n  caption: c.jpg\n---\n![x](c.gif) <img src=\"d.webp\"> ![r](https://x.org/e.jpg)\n",
        );
        assert_eq!(
            image_references(&post),
            ["a.jpg", "/b.png", "c.gif", "d.webp"]
        );
    }

    #[test]
    fn only_the_values_of_image_keys_are_rewritten() {
        let yaml = "image: a.png\ncaption: a.png # same text\nheader:\n  overlay_image: a.png\n  # a comment\n  note: a.png\ngallery:\n  - image_path: a.png\n    title: a.png\nteaser_images:\n\n  - a.png\n  - 'a.png'\nother: [a.png]\nheader_image:\n- a.png\n- a.png # x\nlast: a.png\n";
        let reference = "a.png".to_string();
        let names = [(&reference, "/N".to_string())];
        assert_eq!(
            rewrite_front_matter_images(yaml, &names),
            "image: /N\ncaption: a.png # same text\nheader:\n  overlay_image: /N\n  # a comment\n  note: a.png\ngallery:\n  - image_path: /N\n    title: a.png\nteaser_images:\n\n  - /N\n  - '/N'\nother: [a.png]\nheader_image:\n- /N\n- /N # x\nlast: a.png\n"
        );
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let slug = "word-".repeat(60) + "end";
        let short = short_slug(&slug);
        assert!(
            short.len() <= MAX_SLUG_BYTES && short.ends_with("word"),
            "{short}"
        );
        assert_eq!(short_slug("short-one"), "short-one");
        let unbroken = "x".repeat(300);
        assert_eq!(short_slug(&unbroken).len(), MAX_SLUG_BYTES);
    }

    #[test]
    fn percent_escapes_are_tried_decoded() {
        assert_eq!(
            reference_variants("/a/my%20cat.png?v=1"),
            ["/a/my%20cat.png", "/a/my cat.png"]
        );
        assert_eq!(reference_variants("plain.png#x"), ["plain.png"]);
    }
}
