//! The file name a post's date and title ask for (`YYYY-MM-DD-slug.ext` in `_posts/`), and a
//! rename to it that never replaces another file.

use std::path::{Path, PathBuf};

use crate::post::Post;
use crate::post::template::slugify;

/// Why a post file could not be renamed; the file is where it was in every case.
#[derive(Debug, thiserror::Error)]
pub enum RenameError {
    /// Another file already has the new name; it is never replaced.
    #[error("{path} already exists; nothing was renamed")]
    TargetExists {
        /// The file in the way.
        path: PathBuf,
    },
    /// The new name is on another device (a rename cannot move it there safely).
    #[error("{to} is on another device than {from}; nothing was renamed")]
    CrossesDevices {
        /// The file.
        from: PathBuf,
        /// The name asked for.
        to: PathBuf,
    },
    /// The file is gone or cannot be renamed.
    #[error("cannot rename {from}: {source}")]
    Io {
        /// The file.
        from: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// True for a post under a `_posts` folder, whose file name Jekyll reads its date and slug from.
pub fn is_in_posts_folder(path: &Path) -> bool {
    path.parent().is_some_and(|folder| {
        folder
            .ancestors()
            .any(|d| d.file_name() == Some("_posts".as_ref()))
    })
}

/// Which slug a dated file name gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugSource {
    /// The slug of the post's title (the title changed).
    Title,
    /// The slug already in the file name when it has one (only the date changed: a slug the
    /// writer chose by hand is kept), else the title's.
    FileName,
}

/// The slug part of a dated post file name (`2025-01-02-my-post.md` → `my-post`).
pub fn file_name_slug(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    let (date, slug) = (stem.get(..10)?, stem.get(11..)?);
    let is_date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    (is_date && stem.get(10..11) == Some("-") && !slug.is_empty()).then_some(slug)
}

/// The file name the post's date and title ask for, `YYYY-MM-DD-slug.ext` (the file's own
/// extension); None for a post outside `_posts`, without a readable date, or without a title.
pub fn dated_file_name(path: &Path, post: &Post, slug_source: SlugSource) -> Option<String> {
    if !is_in_posts_folder(path) {
        return None;
    }
    let date = post.date()?.ok()?;
    let title = post.text("title").filter(|t| !t.trim().is_empty())?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("md");
    let slug = match (slug_source, file_name_slug(path)) {
        (SlugSource::FileName, Some(slug)) => slug.to_string(),
        _ => slugify(&title),
    };
    Some(format!("{}-{slug}.{ext}", date.local.format("%Y-%m-%d")))
}

/// The path the post would have under its dated name, when that differs from its own.
pub fn proposed_path(path: &Path, post: &Post, slug_source: SlugSource) -> Option<PathBuf> {
    let name = dated_file_name(path, post, slug_source)?;
    (path.file_name().and_then(|n| n.to_str()) != Some(name.as_str()))
        .then(|| path.with_file_name(name))
}

/// Renames `from` to `to` without ever replacing a file at `to` (a hard link is made first,
/// which fails when `to` exists, then the old name is removed). Refuses across devices.
pub fn rename_no_clobber(from: &Path, to: &Path) -> Result<(), RenameError> {
    let io = |source| RenameError::Io {
        from: from.to_path_buf(),
        source,
    };
    if !from.is_file() {
        return Err(io(std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    if to.exists() {
        return Err(RenameError::TargetExists {
            path: to.to_path_buf(),
        });
    }
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).map_err(|source| {
            // Keep exactly one name: undo the link when the old name cannot go.
            let _ = std::fs::remove_file(to);
            io(source)
        }),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(RenameError::TargetExists {
                path: to.to_path_buf(),
            })
        }
        Err(err) if err.kind() == std::io::ErrorKind::CrossesDevices => {
            Err(RenameError::CrossesDevices {
                from: from.to_path_buf(),
                to: to.to_path_buf(),
            })
        }
        Err(_) => {
            // No hard links here (some network or FAT file systems): a plain rename, after
            // checking again that nothing has the name.
            if to.exists() {
                return Err(RenameError::TargetExists {
                    path: to.to_path_buf(),
                });
            }
            std::fs::rename(from, to).map_err(|err| {
                if err.kind() == std::io::ErrorKind::CrossesDevices {
                    RenameError::CrossesDevices {
                        from: from.to_path_buf(),
                        to: to.to_path_buf(),
                    }
                } else {
                    io(err)
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dated_name_comes_from_date_and_title_in_posts_only() {
        let post = Post::from_text(
            "---\ntitle: \"Talks: day two!\"\ndate: 2025-12-01 10:00:00 +0100\n---\n",
        );
        let path = Path::new("/site/_posts/2025-11-30-talks.markdown");
        assert_eq!(
            dated_file_name(path, &post, SlugSource::Title).as_deref(),
            Some("2025-12-01-talks-day-two.markdown")
        );
        assert_eq!(
            proposed_path(path, &post, SlugSource::Title),
            Some(PathBuf::from(
                "/site/_posts/2025-12-01-talks-day-two.markdown"
            ))
        );
        // Only the date changed: the file's own slug is kept.
        assert_eq!(
            proposed_path(path, &post, SlugSource::FileName),
            Some(PathBuf::from("/site/_posts/2025-12-01-talks.markdown"))
        );
        let same = Path::new("/site/_posts/2025-12-01-talks-day-two.markdown");
        assert_eq!(proposed_path(same, &post, SlugSource::Title), None);
        // A file name without a date takes the title's slug.
        let undated_name = Path::new("/site/_posts/notes.md");
        assert_eq!(
            dated_file_name(undated_name, &post, SlugSource::FileName).as_deref(),
            Some("2025-12-01-talks-day-two.md")
        );
        // Drafts and loose files have no dated name.
        let drafts = Path::new("/site/_drafts/a.md");
        assert_eq!(dated_file_name(drafts, &post, SlugSource::Title), None);
        let loose = Path::new("/notes/a.md");
        assert_eq!(dated_file_name(loose, &post, SlugSource::Title), None);
        let undated = Post::from_text("---\ntitle: a\n---\n");
        assert_eq!(dated_file_name(path, &undated, SlugSource::Title), None);
    }

    #[test]
    fn a_rename_moves_the_file_and_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.md");
        let to = dir.path().join("b.md");
        std::fs::write(&from, "post").unwrap();
        rename_no_clobber(&from, &to).unwrap();
        assert!(!from.exists());
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "post");

        std::fs::write(&from, "other").unwrap();
        let err = rename_no_clobber(&from, &to).unwrap_err();
        assert!(matches!(err, RenameError::TargetExists { .. }));
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "post");
        assert_eq!(std::fs::read_to_string(&from).unwrap(), "other");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err =
            rename_no_clobber(&dir.path().join("x.md"), &dir.path().join("y.md")).unwrap_err();
        assert!(matches!(err, RenameError::Io { .. }));
        assert!(!dir.path().join("y.md").exists());
    }

    #[cfg(unix)]
    #[test]
    fn across_devices_is_refused_without_touching_the_file() {
        // /dev/shm is a tmpfs on Linux: another device than the temp dir, usually.
        let shm = Path::new("/dev/shm");
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.md");
        std::fs::write(&from, "post").unwrap();
        let Ok(other) = tempfile::tempdir_in(shm) else {
            eprintln!("skipped: no /dev/shm to test a cross-device rename");
            return;
        };
        use std::os::unix::fs::MetadataExt as _;
        if std::fs::metadata(dir.path()).unwrap().dev()
            == std::fs::metadata(other.path()).unwrap().dev()
        {
            eprintln!("skipped: /dev/shm is on the same device as the temp dir");
            return;
        }
        let to = other.path().join("a.md");
        let err = rename_no_clobber(&from, &to).unwrap_err();
        assert!(matches!(err, RenameError::CrossesDevices { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&from).unwrap(), "post");
        assert!(!to.exists());
    }
}
