//! Bringing a chosen image into the post's site (or beside a post that has no site), so the
//! post refers to it by a path that works once published — never by an absolute path on this
//! machine.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use md5::{Digest as _, Md5};

use crate::site;

/// The folder, relative to the site root, that imported images are copied into (the seed
/// site's convention: `assets/images/<md5 of the bytes>.<ext>`).
pub const DEFAULT_IMAGES_FOLDER: &str = "assets/images";

/// Why an image could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The post has no file yet, so there is no site or folder to put the image in.
    #[error("save the post first: the image is copied into its site or beside it")]
    PostNotSaved,
    /// The chosen image could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The chosen file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A different file already has the imported image's name; it is never overwritten.
    #[error("{path} already exists with other content; nothing was overwritten")]
    DifferentFileExists {
        /// The file in the way.
        path: PathBuf,
    },
    /// The copy could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// Where the copy was going.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// An imported image: where it is on disk, and how the post refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedImage {
    /// The file in the site (or beside the post).
    pub path: PathBuf,
    /// The reference written into the front matter: `/assets/images/….jpg` in a site, a path
    /// relative to the post's folder otherwise.
    pub reference: String,
    /// True when the file was copied now (false: it was there already).
    pub is_new_copy: bool,
}

/// The site root holding `post_path`, or None for a post outside any Jekyll site (not under
/// `_posts`/`_drafts`, no `_config.yml` above it).
pub fn enclosing_site(post_path: &Path) -> Option<PathBuf> {
    let root = site::site_root(post_path);
    let folder = post_path.parent().unwrap_or(Path::new("."));
    (root != folder || root.join("_config.yml").is_file()).then_some(root)
}

/// Makes `chosen` usable as the header image of the post at `post_path`.
///
/// In a site, an image already inside the site is referred to where it is; any other image is
/// copied to `images_folder` (see [`images_folder_or_default`]) as `<md5 of the bytes>.<ext>`
/// and referred to as `/<images folder>/….ext`. For a post outside any site the same happens relative to the post's
/// own folder, with a relative reference. An existing file is reused when it holds the same
/// bytes and never overwritten when it does not; new files get the umask's mode.
/// The images folder to use: `folder` (a path from the site root such as `assets/img`, with
/// no `..` and no leading `/`), or the seed's `assets/images` when it is empty or unsafe.
pub fn images_folder_or_default(folder: &str) -> &str {
    let trimmed = folder.trim().trim_matches('/');
    let is_safe = !trimmed.is_empty()
        && Path::new(trimmed)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if is_safe {
        trimmed
    } else {
        DEFAULT_IMAGES_FOLDER
    }
}

pub fn import_image(
    post_path: &Path,
    chosen: &Path,
    images_folder: &str,
) -> Result<ImportedImage, ImportError> {
    let site_root = enclosing_site(post_path);
    let root = site_root
        .clone()
        .unwrap_or_else(|| post_path.parent().unwrap_or(Path::new(".")).to_path_buf());
    let is_site = site_root.is_some();
    let reference_of = |relative: &Path| {
        let text = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        if is_site { format!("/{text}") } else { text }
    };
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let canonical_chosen = chosen.canonicalize().map_err(|source| ImportError::Read {
        path: chosen.to_path_buf(),
        source,
    })?;
    if let Ok(relative) = canonical_chosen.strip_prefix(&canonical_root)
        && (!is_site || is_published_path(relative))
    {
        return Ok(ImportedImage {
            path: chosen.to_path_buf(),
            reference: reference_of(relative),
            is_new_copy: false,
        });
    }
    let bytes = std::fs::read(chosen).map_err(|source| ImportError::Read {
        path: chosen.to_path_buf(),
        source,
    })?;
    let name = imported_file_name(&bytes, chosen);
    let relative = Path::new(images_folder_or_default(images_folder)).join(&name);
    let target = root.join(&relative);
    let is_new_copy = write_if_absent(&target, &bytes)?;
    Ok(ImportedImage {
        path: target,
        reference: reference_of(&relative),
        is_new_copy,
    })
}

/// True when Jekyll copies a file at `relative` (from the site root) into the built site:
/// folders and files starting with `_` or `.` are not published, nor Jekyll's default
/// excludes (`node_modules`, `vendor`). An image there is imported rather than referred to.
fn is_published_path(relative: &Path) -> bool {
    relative.components().all(|c| match c {
        Component::Normal(part) => {
            let part = part.to_string_lossy();
            !(part.starts_with(['_', '.']) || part == "node_modules" || part == "vendor")
        }
        _ => false,
    })
}

/// `<md5 of the bytes>.<ext>`, the extension lower-cased (`jpg` when the file has none).
pub fn imported_file_name(bytes: &[u8], chosen: &Path) -> String {
    let digest = Md5::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let ext = chosen
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| !e.is_empty())
        .map_or_else(|| "jpg".to_string(), str::to_ascii_lowercase);
    format!("{hex}.{ext}")
}

/// Writes `bytes` to `target` unless it exists: the same bytes there are reused (false), other
/// bytes are an error. The file appears whole or not at all (a temporary file in the same
/// folder, linked into place without replacing anything), with the umask's mode.
pub fn write_if_absent(target: &Path, bytes: &[u8]) -> Result<bool, ImportError> {
    let write_error = |source| ImportError::Write {
        path: target.to_path_buf(),
        source,
    };
    let same_file_there = || match std::fs::read(target) {
        Ok(existing) if existing == bytes => Ok(false),
        Ok(_) => Err(ImportError::DifferentFileExists {
            path: target.to_path_buf(),
        }),
        Err(source) => Err(write_error(source)),
    };
    if target.exists() {
        return same_file_there();
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(write_error)?;
    // `create_new` files get the process umask's mode (0644 usually), unlike tempfile's 0600.
    let file_name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = folder.join(format!(".{file_name}.{}.part", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(write_error(source));
    }
    // A hard link never replaces an existing file (unlike a rename).
    let linked = std::fs::hard_link(&temp, target);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => same_file_there(),
        Err(_) => {
            // A file system without hard links: create the file itself, still never
            // replacing one.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(target)
                .map_err(|source| {
                    if source.kind() == std::io::ErrorKind::AlreadyExists {
                        ImportError::DifferentFileExists {
                            path: target.to_path_buf(),
                        }
                    } else {
                        write_error(source)
                    }
                })?;
            if let Err(source) = file.write_all(bytes).and_then(|()| file.sync_all()) {
                let _ = std::fs::remove_file(target);
                return Err(write_error(source));
            }
            Ok(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_images_folder_is_a_safe_path_inside_the_site() {
        assert_eq!(images_folder_or_default("assets/img/"), "assets/img");
        assert_eq!(images_folder_or_default("/uploads"), "uploads");
        assert_eq!(images_folder_or_default(""), DEFAULT_IMAGES_FOLDER);
        assert_eq!(
            images_folder_or_default("../outside"),
            DEFAULT_IMAGES_FOLDER
        );
        assert_eq!(images_folder_or_default("a/./b"), "a/./b".trim_matches('/'));
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("_posts")).unwrap();
        std::fs::write(site.join("_config.yml"), "title: x\n").unwrap();
        let post = site.join("_posts/2025-01-01-a.md");
        std::fs::write(&post, "---\ntitle: a\n---\n").unwrap();
        let chosen = dir.path().join("pic.png");
        std::fs::write(&chosen, b"png bytes").unwrap();
        let imported = import_image(&post, &chosen, "assets/img").unwrap();
        assert!(
            imported.reference.starts_with("/assets/img/"),
            "{}",
            imported.reference
        );
        assert!(imported.path.starts_with(site.join("assets/img")));
    }

    fn site(dir: &Path) -> PathBuf {
        let posts = dir.join("site/_posts");
        std::fs::create_dir_all(&posts).unwrap();
        posts.join("2025-01-02-a.md")
    }

    #[test]
    fn an_image_outside_the_site_is_copied_under_its_md5() {
        let dir = tempfile::tempdir().unwrap();
        let post = site(dir.path());
        let chosen = dir.path().join("Holiday Photo.JPG");
        std::fs::write(&chosen, b"jpeg bytes").unwrap();
        let imported = import_image(&post, &chosen, DEFAULT_IMAGES_FOLDER).unwrap();
        // md5("jpeg bytes")
        let name = imported_file_name(b"jpeg bytes", &chosen);
        assert_eq!(name.len(), 32 + 4);
        assert!(name.ends_with(".jpg"));
        assert_eq!(imported.reference, format!("/assets/images/{name}"));
        assert_eq!(
            imported.path,
            dir.path().join("site/assets/images").join(&name)
        );
        assert!(imported.is_new_copy);
        assert_eq!(std::fs::read(&imported.path).unwrap(), b"jpeg bytes");
        // No temporary file is left behind.
        let files: Vec<_> = std::fs::read_dir(dir.path().join("site/assets/images"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        // Importing the same bytes again reuses the copy.
        let again = import_image(&post, &chosen, DEFAULT_IMAGES_FOLDER).unwrap();
        assert_eq!(again.reference, imported.reference);
        assert!(!again.is_new_copy);
    }

    #[test]
    fn md5_names_follow_the_seed_convention() {
        assert_eq!(
            imported_file_name(b"", Path::new("x.png")),
            "d41d8cd98f00b204e9800998ecf8427e.png"
        );
    }

    #[test]
    fn a_different_file_with_the_name_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let post = site(dir.path());
        let chosen = dir.path().join("a.png");
        std::fs::write(&chosen, b"new").unwrap();
        let name = imported_file_name(b"new", &chosen);
        let images = dir.path().join("site/assets/images");
        std::fs::create_dir_all(&images).unwrap();
        std::fs::write(images.join(&name), b"something else").unwrap();
        let err = import_image(&post, &chosen, DEFAULT_IMAGES_FOLDER).unwrap_err();
        assert!(matches!(err, ImportError::DifferentFileExists { .. }));
        assert_eq!(
            std::fs::read(images.join(&name)).unwrap(),
            b"something else"
        );
    }

    #[test]
    fn an_image_inside_the_site_is_referred_to_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let post = site(dir.path());
        let images = dir.path().join("site/img");
        std::fs::create_dir_all(&images).unwrap();
        std::fs::write(images.join("a.png"), b"x").unwrap();
        let imported = import_image(&post, &images.join("a.png"), DEFAULT_IMAGES_FOLDER).unwrap();
        assert_eq!(imported.reference, "/img/a.png");
        assert!(!imported.is_new_copy);
        assert!(!dir.path().join("site/assets").exists());
        // An image in a folder Jekyll does not publish (`_site`, `.git`…) is imported.
        let built = dir.path().join("site/_site/img");
        std::fs::create_dir_all(&built).unwrap();
        std::fs::write(built.join("b.png"), b"y").unwrap();
        let imported = import_image(&post, &built.join("b.png"), DEFAULT_IMAGES_FOLDER).unwrap();
        assert!(
            imported.reference.starts_with("/assets/images/"),
            "{}",
            imported.reference
        );
        assert!(imported.is_new_copy);
    }

    #[test]
    fn a_post_outside_any_site_keeps_the_image_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        let post = notes.join("post.md");
        let chosen = dir.path().join("pic.webp");
        std::fs::write(&chosen, b"webp").unwrap();
        assert_eq!(enclosing_site(&post), None);
        let imported = import_image(&post, &chosen, DEFAULT_IMAGES_FOLDER).unwrap();
        let name = imported_file_name(b"webp", &chosen);
        assert_eq!(imported.reference, format!("assets/images/{name}"));
        assert_eq!(
            std::fs::read(notes.join(&imported.reference)).unwrap(),
            b"webp"
        );
        // An image already in the post's folder tree is referred to relatively.
        std::fs::write(notes.join("here.png"), b"h").unwrap();
        let here = import_image(&post, &notes.join("here.png"), DEFAULT_IMAGES_FOLDER).unwrap();
        assert_eq!(here.reference, "here.png");
    }

    #[cfg(unix)]
    #[test]
    fn copies_get_the_umask_mode_not_a_private_one() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let post = site(dir.path());
        let chosen = dir.path().join("a.gif");
        std::fs::write(&chosen, b"gif").unwrap();
        // What a plain new file gets under this process's umask.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        let imported = import_image(&post, &chosen, DEFAULT_IMAGES_FOLDER).unwrap();
        let mode = std::fs::metadata(&imported.path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, expected);
    }

    #[test]
    fn an_unreadable_choice_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let post = site(dir.path());
        let err = import_image(
            &post,
            &dir.path().join("missing.png"),
            DEFAULT_IMAGES_FOLDER,
        )
        .unwrap_err();
        assert!(matches!(err, ImportError::Read { .. }));
        assert!(!dir.path().join("site/assets").exists());
    }
}
