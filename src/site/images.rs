//! Images and a site: the Markdown a post needs for an image so it works under the site's
//! `baseurl` (a root-relative `/assets/…` path ignores it), bytes brought into the site under
//! their md5 name (a pasted image), and the report of images no post or page uses and of
//! references to images that do not exist.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::diagnostics::{ReferenceKind, image_candidates};
use super::index::Site;
use crate::image_import::{self, ImportError, ImportedImage};

/// File extensions taken for images (lower case).
pub const IMAGE_EXTENSIONS: [&str; 9] = [
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico",
];

/// True for a file whose extension is an image's.
pub fn is_image_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// How a post writes an image path so that it works under the site's `baseurl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageUrlStyle {
    /// `/assets/…`: right when the site has no baseurl.
    RootRelative,
    /// `{{ '/assets/…' | relative_url }}`: Jekyll adds the baseurl.
    RelativeUrlFilter,
    /// `{{ site.baseurl }}/assets/…`: the older habit some sites keep.
    SiteBaseurlPrefix,
}

/// The style new images get in `site`: root-relative without a baseurl; with one, the
/// site's own habit when its posts show one (the more used of the two Liquid forms), else
/// the `relative_url` filter.
pub fn image_url_style(site: &Site) -> ImageUrlStyle {
    if site.config.baseurl.trim_matches('/').is_empty() {
        return ImageUrlStyle::RootRelative;
    }
    let (mut filter, mut prefix) = (0usize, 0usize);
    for reference in site.posts.iter().flat_map(|p| &p.references) {
        if reference.kind != ReferenceKind::Image {
            continue;
        }
        let target = reference.target.replace(' ', "");
        if target.contains("|relative_url}}") || target.contains("|absolute_url}}") {
            filter += 1;
        } else if target.starts_with("{{site.baseurl}}") {
            prefix += 1;
        }
    }
    if prefix > filter {
        ImageUrlStyle::SiteBaseurlPrefix
    } else {
        ImageUrlStyle::RelativeUrlFilter
    }
}

/// The Markdown for an image at `site_path` (`/assets/images/….png`) with `alt` text, in
/// `style`. Brackets and backslashes in the alt text are escaped.
pub fn image_markdown(style: ImageUrlStyle, site_path: &str, alt: &str) -> String {
    let alt: String = alt
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .flat_map(|c| match c {
            '[' | ']' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    let url = match style {
        ImageUrlStyle::RootRelative => site_path.to_string(),
        ImageUrlStyle::RelativeUrlFilter => {
            format!(
                "{{{{ '{}' | relative_url }}}}",
                site_path.replace('\'', "%27")
            )
        }
        ImageUrlStyle::SiteBaseurlPrefix => format!("{{{{ site.baseurl }}}}{site_path}"),
    };
    format!("![{alt}]({url})")
}

/// Copies image `bytes` (a pasted image, with its format's extension `ext`) into the site of
/// the post at `post_path` as `assets/images/<md5 of the bytes>.<ext>` — reusing a file
/// with the same bytes, never replacing another one.
pub fn import_image_bytes(
    post_path: &Path,
    bytes: &[u8],
    ext: &str,
    images_folder: &str,
) -> Result<ImportedImage, ImportError> {
    let folder = image_import::images_folder_or_default(images_folder);
    let root = image_import::enclosing_site(post_path)
        .unwrap_or_else(|| post_path.parent().unwrap_or(Path::new(".")).to_path_buf());
    let is_site = image_import::enclosing_site(post_path).is_some();
    let name = image_import::imported_file_name(bytes, Path::new(&format!("pasted.{ext}")));
    let target = root.join(folder).join(&name);
    let is_new_copy = image_import::write_if_absent(&target, bytes)?;
    let reference = if is_site {
        format!("/{folder}/{name}")
    } else {
        format!("{folder}/{name}")
    };
    Ok(ImportedImage {
        path: target,
        reference,
        is_new_copy,
    })
}

/// Encodes RGBA pixels (a clipboard image) as PNG; None when the sizes do not match.
pub fn encode_png(width: usize, height: usize, rgba: &[u8]) -> Option<Vec<u8>> {
    let image = image::RgbaImage::from_raw(
        u32::try_from(width).ok()?,
        u32::try_from(height).ok()?,
        rgba.to_vec(),
    )?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(png)
}

/// A reference to an image file that is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingImage {
    /// The post, from the site root.
    pub post: String,
    /// 1-based line in the post.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The reference as written.
    pub target: String,
}

/// What the image report found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageReport {
    /// Image files (from the site root) that no post refers to and whose name no page,
    /// layout, include, style sheet or data file mentions.
    pub unused: Vec<String>,
    /// References in posts to images that do not exist.
    pub missing: Vec<MissingImage>,
}

/// Folders and files Jekyll does not publish, which hold no site images.
fn is_skipped(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "_site" | "node_modules" | "vendor" | ".jekyll-cache")
}

/// Every file under `dir` (relative paths, `/`-separated), skipping what Jekyll skips.
fn site_files(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_skipped(&name) {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            site_files(root, &path, out);
        } else if kind.is_file()
            && let Ok(relative) = path.strip_prefix(root)
        {
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((path, relative));
        }
    }
}

/// Icons browsers fetch by their well-known names, without any page referring to them.
fn is_browser_icon(relative: &str) -> bool {
    let name = relative
        .rsplit('/')
        .next()
        .unwrap_or(relative)
        .to_ascii_lowercase();
    [
        "favicon",
        "apple-touch-icon",
        "android-chrome",
        "mstile",
        "safari-pinned-tab",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

/// Text files other than posts that may name an image (pages, layouts, includes, styles,
/// data, the config).
fn is_text_file(relative: &str) -> bool {
    let ext = relative.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "md" | "markdown"
            | "html"
            | "htm"
            | "liquid"
            | "yml"
            | "yaml"
            | "json"
            | "scss"
            | "sass"
            | "css"
            | "js"
            | "xml"
            | "txt"
    )
}

/// Lists the site's images that nothing uses and the posts' references to missing images.
pub fn image_report(site: &Site) -> ImageReport {
    let mut files = Vec::new();
    site_files(&site.root, &site.root, &mut files);
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut used: HashSet<PathBuf> = HashSet::new();
    let mut missing = Vec::new();
    let post_paths: HashSet<&str> = site.posts.iter().map(|p| p.path.as_str()).collect();
    for post in &site.posts {
        for reference in &post.references {
            if reference.kind != ReferenceKind::Image {
                continue;
            }
            let Some(candidates) = image_candidates(site, &post.path, &reference.target) else {
                continue;
            };
            match candidates.iter().find(|c| c.is_file()) {
                Some(found) => {
                    used.insert(canonical(found));
                }
                None => missing.push(MissingImage {
                    post: post.path.clone(),
                    line: reference.line,
                    column: reference.column,
                    target: reference.target.clone(),
                }),
            }
        }
    }
    // Pages, layouts and styles may name an image too: its file name in their text counts
    // as a use (the report errs towards "used").
    let other_text: String = files
        .iter()
        .filter(|(_, relative)| !post_paths.contains(relative.as_str()) && is_text_file(relative))
        .filter_map(|(path, _)| std::fs::read_to_string(path).ok())
        .collect::<Vec<_>>()
        .join("\n");
    let mut unused: Vec<String> = files
        .iter()
        .filter(|(path, relative)| is_image_path(path) && !is_browser_icon(relative))
        .filter(|(path, _)| !used.contains(&canonical(path)))
        .filter(|(path, _)| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !other_text.contains(name.as_ref())
        })
        .map(|(_, relative)| relative.clone())
        .collect();
    unused.sort();
    missing.sort_by(|a, b| (&a.post, a.line, a.column).cmp(&(&b.post, b.line, b.column)));
    ImageReport { unused, missing }
}

#[cfg(test)]
mod tests {
    use super::super::index::IndexOptions;
    use super::*;

    use crate::site::test_support::write;

    #[test]
    fn the_url_style_follows_the_baseurl_and_the_sites_habit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "title: x\n");
        write(
            root,
            "_posts/2025-01-01-a.md",
            "---\n---\n![a](/assets/a.png)\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        assert_eq!(image_url_style(&site), ImageUrlStyle::RootRelative);
        write(root, "_config.yml", "baseurl: /blog\n");
        let site = Site::open(root, &IndexOptions::default());
        assert_eq!(image_url_style(&site), ImageUrlStyle::RelativeUrlFilter);
        write(
            root,
            "_posts/2025-01-02-b.md",
            "---\n---\n![b]({{ site.baseurl }}/assets/b.png)\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        assert_eq!(image_url_style(&site), ImageUrlStyle::SiteBaseurlPrefix);
        write(
            root,
            "_posts/2025-01-03-c.md",
            "---\n---\n![c]({{ '/assets/c.png' | relative_url }}) ![d]({{'/assets/d.png'|relative_url}})\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        assert_eq!(image_url_style(&site), ImageUrlStyle::RelativeUrlFilter);
    }

    #[test]
    fn image_markdown_in_each_style_escapes_the_alt_text() {
        let path = "/assets/images/ab.png";
        assert_eq!(
            image_markdown(ImageUrlStyle::RootRelative, path, "A [big] cat"),
            "![A \\[big\\] cat](/assets/images/ab.png)"
        );
        assert_eq!(
            image_markdown(ImageUrlStyle::RelativeUrlFilter, path, "cat"),
            "![cat]({{ '/assets/images/ab.png' | relative_url }})"
        );
        assert_eq!(
            image_markdown(ImageUrlStyle::SiteBaseurlPrefix, path, "two\nlines"),
            "![twolines]({{ site.baseurl }}/assets/images/ab.png)"
        );
    }

    #[test]
    fn pasted_bytes_land_under_their_md5_name_and_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "title: x\n");
        write(root, "_posts/2025-01-01-a.md", "---\n---\n");
        let post = root.join("_posts/2025-01-01-a.md");
        let png = encode_png(2, 1, &[255, 0, 0, 255, 0, 255, 0, 255]).unwrap();
        let first =
            import_image_bytes(&post, &png, "png", image_import::DEFAULT_IMAGES_FOLDER).unwrap();
        let name = image_import::imported_file_name(&png, Path::new("x.png"));
        assert_eq!(first.reference, format!("/assets/images/{name}"));
        assert_eq!(std::fs::read(&first.path).unwrap(), png);
        assert!(first.is_new_copy);
        let again =
            import_image_bytes(&post, &png, "png", image_import::DEFAULT_IMAGES_FOLDER).unwrap();
        assert!(!again.is_new_copy, "the same bytes are reused");
        std::fs::write(&first.path, b"other").unwrap();
        assert!(matches!(
            import_image_bytes(&post, &png, "png", image_import::DEFAULT_IMAGES_FOLDER),
            Err(ImportError::DifferentFileExists { .. })
        ));
        assert_eq!(std::fs::read(&first.path).unwrap(), b"other");
        assert_eq!(encode_png(3, 3, &[0; 4]), None);
    }

    #[test]
    fn the_report_lists_unused_images_and_missing_references() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_config.yml", "baseurl: /blog\n");
        write(root, "assets/images/used.png", "png");
        write(root, "assets/images/filtered.png", "png");
        write(root, "assets/images/header.jpg", "jpg");
        write(root, "assets/images/on-page.png", "png");
        write(root, "assets/images/lonely.png", "png");
        write(root, "_site/assets/images/built.png", "png");
        write(root, "favicon.ico", "ico");
        write(root, "assets/apple-touch-icon.png", "png");
        write(
            root,
            "about.md",
            "---\n---\n<img src=\"/assets/images/on-page.png\">\n",
        );
        write(
            root,
            "_posts/2025-01-01-a.md",
            "---\nimage: /assets/images/header.jpg\n---\n![u](/blog/assets/images/used.png)\n\
             ![f]({{ '/assets/images/filtered.png' | relative_url }})\n![gone](/assets/images/gone.png)\n",
        );
        let site = Site::open(root, &IndexOptions::default());
        let report = image_report(&site);
        assert_eq!(report.unused, ["assets/images/lonely.png"]);
        assert_eq!(
            report.missing,
            [MissingImage {
                post: "_posts/2025-01-01-a.md".into(),
                line: 6,
                column: 1,
                target: "/assets/images/gone.png".into(),
            }]
        );
    }

    #[test]
    fn image_paths_are_known_by_extension() {
        assert!(is_image_path(Path::new("/x/Shot.PNG")));
        assert!(is_image_path(Path::new("a.webp")));
        assert!(!is_image_path(Path::new("post.md")));
        assert!(!is_image_path(Path::new("noext")));
    }
}
