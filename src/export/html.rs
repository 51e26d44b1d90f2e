//! The standalone HTML page of a post: the preview's Markdown dialect, the stylesheet, each
//! image embedded once, optional sanitizing of the body, and safe page names.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use pulldown_cmark::{CowStr, Event, Parser, Tag};

use super::{
    ExportRun, Exported, FileNameParts, SourceImage, TargetState, export_error, image_root,
    is_local_image, read_error, read_source_image, require_inside_of, validate,
};
use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::fsio;
use crate::markdown;
use crate::post::Post;
use crate::post::template::slugify;

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

/// The MIME type of an image extension, for `data:` URIs.
fn image_mime(extension: &str) -> Option<&'static str> {
    Some(match extension {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => return None,
    })
}

/// A one-pixel transparent GIF; an image used more than once shows its picture through a CSS
/// rule on this placeholder, so its bytes are embedded once however often it is cited.
const PLACEHOLDER_GIF_BASE64: &str = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/// The images of one HTML page: each file read once, counted by use, embedded once.
struct Embedder<'a> {
    source: &'a Path,
    root: Option<PathBuf>,
    images: Vec<SourceImage>,
    uses: Vec<usize>,
    by_reference: std::collections::HashMap<String, usize>,
}

impl<'a> Embedder<'a> {
    fn new(source: &'a Path) -> Self {
        Embedder {
            source,
            root: None,
            images: Vec::new(),
            uses: Vec::new(),
            by_reference: std::collections::HashMap::new(),
        }
    }

    /// Finds (first time) and counts one use of a local image reference.
    fn count(&mut self, reference: &str) -> Result<()> {
        if !is_local_image(reference) {
            return Ok(());
        }
        if let Some(&index) = self.by_reference.get(reference) {
            if let Some(uses) = self.uses.get_mut(index) {
                *uses += 1;
            }
            return Ok(());
        }
        let root = match &self.root {
            Some(root) => root.clone(),
            None => {
                let root = image_root(self.source)?;
                self.root = Some(root.clone());
                root
            }
        };
        let image = read_source_image(self.source, &root, reference)?;
        if image_mime(&image.extension).is_none() {
            return Err(export_error(format!(
                "image `{reference}` could not be embedded"
            )));
        }
        let index = match self.images.iter().position(|i| i.file == image.file) {
            Some(index) => index,
            None => {
                self.images.push(image);
                self.uses.push(0);
                self.images.len() - 1
            }
        };
        if let Some(uses) = self.uses.get_mut(index) {
            *uses += 1;
        }
        self.by_reference.insert(reference.to_string(), index);
        Ok(())
    }

    fn data_uri(image: &SourceImage) -> String {
        format!(
            "data:{};base64,{}",
            image_mime(&image.extension).unwrap_or("application/octet-stream"),
            base64::engine::general_purpose::STANDARD.encode(&image.bytes)
        )
    }

    fn placeholder(index: usize) -> String {
        format!("data:image/gif;byline-image={index};base64,{PLACEHOLDER_GIF_BASE64}")
    }

    /// The `src` for a reference: the data URI for an image used once, the placeholder for
    /// one used more often, the reference itself for a remote image.
    fn src(&self, reference: &str) -> String {
        match self.by_reference.get(reference) {
            Some(&index) if self.uses.get(index).copied().unwrap_or(0) > 1 => {
                Self::placeholder(index)
            }
            Some(&index) => self
                .images
                .get(index)
                .map_or_else(|| reference.to_string(), Self::data_uri),
            None => reference.to_string(),
        }
    }

    /// CSS rules that show each image used more than once, its bytes written here only.
    fn shared_css(&self) -> String {
        let mut css = String::new();
        for (index, image) in self.images.iter().enumerate() {
            if self.uses.get(index).copied().unwrap_or(0) > 1 {
                css.push_str(&format!(
                    "img[src=\"{}\"] {{ content: url(\"{}\"); }}\n",
                    Self::placeholder(index),
                    Self::data_uri(image)
                ));
            }
        }
        css
    }
}

/// How an HTML page is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Clean the body's HTML with an allow-list (ammonia): no scripts, event attributes,
    /// `javascript:` links, frames, forms or styles (for posts from someone else).
    pub sanitize: bool,
}

/// The body's HTML with everything that could run code removed, by ammonia's allow-list
/// (scripts, event attributes, `javascript:` and other unsafe URLs, frames, forms, styles),
/// keeping what Byline's Markdown produces: task-list checkboxes, footnote ids and classes,
/// and embedded images (`data:image/…` in `<img src>` only).
fn sanitize_html(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_url_schemes(["data"])
        .attribute_filter(|element, attribute, value| {
            let is_data = value
                .trim_start()
                .get(..5)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"));
            if !is_data {
                return Some(value.into());
            }
            let is_image = value
                .trim_start()
                .get(..11)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("data:image/"));
            (element == "img" && attribute == "src" && is_image).then(|| value.into())
        });
    builder.clean(html).to_string()
}

/// The post as one self-contained HTML page: header, body in the preview's Markdown dialect,
/// embedded stylesheet and images, and `<title>`, description and Open Graph tags.
pub fn render_html(source: &Path, post: &Post) -> Result<String> {
    render_html_with(source, post, HtmlOptions::default())
}

/// `render_html` with options. Front-matter values (title, author, tags, description) and
/// Markdown text are HTML-escaped; raw HTML in the body is kept as written (as Jekyll does)
/// unless `options.sanitize`. Each image is read once and its bytes embedded once.
pub fn render_html_with(source: &Path, post: &Post, options: HtmlOptions) -> Result<String> {
    post.block()?;
    // A post without a title or date in its front matter gets them from its file name, as
    // Jekyll gives them.
    let file_name = FileNameParts::of(source);
    let title = post
        .text("title")
        .filter(|t| !t.trim().is_empty())
        .or_else(|| file_name.as_ref().map(FileNameParts::title))
        .unwrap_or_default();
    let author = post.text("author").unwrap_or_default();
    let date = match post.date() {
        Some(Ok(date)) => Some(date),
        Some(Err(_)) => None,
        None => file_name.map(|parts| parts.date),
    };
    let markdown_text = markdown::liquid_placeholders(post.body());
    let markdown_options = markdown::parser_options();
    let img_src = regex::Regex::new(r#"(?i)(<img\b[^>]*?\ssrc\s*=\s*["'])([^"']+)(["'])"#)
        .map_err(|e| export_error(e.to_string()))?;
    let image = post.text("image").filter(|s| !s.trim().is_empty());
    // First pass: find, read and count every image, so each is embedded once.
    let mut embedder = Embedder::new(source);
    if let Some(image) = &image {
        embedder.count(image)?;
    }
    for event in Parser::new_ext(&markdown_text, markdown_options) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => embedder.count(&dest_url)?,
            Event::Html(html) | Event::InlineHtml(html) => {
                for captures in img_src.captures_iter(&html) {
                    if let Some(src) = captures.get(2) {
                        embedder.count(src.as_str())?;
                    }
                }
            }
            _ => {}
        }
    }
    // Raw HTML: image sources embedded.
    let rewrite_raw = |html: &str| -> String {
        img_src
            .replace_all(html, |c: &regex::Captures<'_>| {
                format!("{}{}{}", &c[1], embedder.src(&c[2]), &c[3])
            })
            .into_owned()
    };
    let events: Vec<Event<'_>> = Parser::new_ext(&markdown_text, markdown_options)
        .map(|event| match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = embedder.src(&dest_url);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                })
            }
            Event::Html(html) => Event::Html(CowStr::from(rewrite_raw(&html))),
            Event::InlineHtml(html) => Event::InlineHtml(CowStr::from(rewrite_raw(&html))),
            other => other,
        })
        .collect();
    let mut body_html = String::new();
    pulldown_cmark::html::push_html(&mut body_html, events.into_iter());
    if options.sanitize {
        body_html = sanitize_html(&body_html);
    }
    let description = post
        .text("excerpt")
        .or_else(|| post.text("description"))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| first_paragraph(post.body()));
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
        "<style>\n{}{}</style>\n",
        include_str!("../../assets/export.css"),
        embedder.shared_css()
    ));
    let mut header = String::from("<header class=\"post-header\">\n");
    if let Some(image) = &image {
        header.push_str(&format!(
            "<img class=\"header-image\" src=\"{}\" alt=\"\">\n",
            escape_html(&embedder.src(image))
        ));
    }
    header.push_str(&format!("<h1>{}</h1>\n", escape_html(&title)));
    let mut meta = Vec::new();
    if let Some(date) = &date {
        let shown = date.reader_text();
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

/// The page name for a post: its file name with `.html` (two posts never share a page, as two
/// files never share a name in one folder), or the slug of its title for a post without one.
fn page_stem(post: &Post, source: &Path) -> String {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty() && !s.starts_with('.'));
    let stem = stem.unwrap_or_else(|| slugify(&super::slug_source(post, None)));
    let mut cut = stem.len().min(200);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    stem.get(..cut).unwrap_or(&stem).to_string()
}

/// Writes the post as `out_dir/<post file name>.html`, refusing to overwrite a file that is
/// already there with different content.
pub fn export_html(source: &Path, out_dir: &Path) -> Result<Exported> {
    let post = fsio::read_post(source)?;
    export_post_html(&post, source, out_dir)
}

/// `export_html` for a post in memory; `source` is where it lives, for resolving its images
/// and naming the page.
pub fn export_post_html(post: &Post, source: &Path, out_dir: &Path) -> Result<Exported> {
    export_post_html_in(
        &mut ExportRun::new(false),
        post,
        source,
        out_dir,
        HtmlOptions::default(),
    )
}

/// `export_post_html` as part of a run of several posts (see [`ExportRun`]): a second post
/// whose file has the same name gets `name-2.html`; a file from before the run is overwritten
/// only with `run.force`; the source post itself never.
pub fn export_post_html_in(
    run: &mut ExportRun,
    post: &Post,
    source: &Path,
    out_dir: &Path,
    options: HtmlOptions,
) -> Result<Exported> {
    // A page needs only front matter that reads; a missing title or date still gives a page.
    post.block()?;
    let warnings = validate(post, chrono::Local::now())
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    let html = render_html_with(source, post, options)?;
    fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let stem = page_stem(post, source);
    let mut path = out_dir.join(format!("{stem}.html"));
    let mut number = 2;
    while run.taken_by_other(&path, source) {
        path = out_dir.join(format!("{stem}-{number}.html"));
        number += 1;
    }
    let out_real = fs::canonicalize(out_dir).map_err(|e| read_error(out_dir, e))?;
    require_inside_of(&out_real, &path, "the output folder")?;
    if run.check_target(&path, source, html.as_bytes())? == TargetState::Write {
        fsio::write_atomic(&path, html.as_bytes())?;
    }
    run.remember(&path, source);
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
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
