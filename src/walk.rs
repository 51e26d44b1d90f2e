//! Finding post files under folders: each real file once (symbolic-link loops and second links
//! to a folder already seen are cut), and nothing that is not a regular file.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// File extensions that hold posts when searching folders.
pub const POST_EXTENSIONS: &[&str] = &["md", "markdown", "html"];

/// Folders that hold generated or third-party files, or a Jekyll site's templates, data and
/// plugins (`_includes`, `_layouts`, `_sass`, `_data`, `_plugins`: Jekyll never renders their
/// files as pages) — never posts.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "_site",
    "node_modules",
    "vendor",
    ".jekyll-cache",
    ".sass-cache",
    "_includes",
    "_layouts",
    "_sass",
    "_data",
    "_plugins",
];

/// Why a path found while walking was not taken as a post file, so callers can say so.
#[derive(Debug)]
pub enum SkipReason {
    /// A folder that could not be listed (permissions, vanished); the OS reason is kept.
    UnreadableFolder(std::io::Error),
    /// A post-named entry that is not a regular file (FIFO, device, socket): opening it could
    /// hang or have side effects, so it is never read.
    NotRegularFile(&'static str),
    /// A symbolic link whose target does not exist.
    BrokenLink(std::io::Error),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::UnreadableFolder(err) => write!(f, "cannot read folder: {err}"),
            SkipReason::NotRegularFile(kind) => {
                write!(f, "skipped: {kind} is not a regular file")
            }
            SkipReason::BrokenLink(err) => write!(f, "skipped: broken symbolic link ({err})"),
        }
    }
}

/// A path the walk did not take, and why.
#[derive(Debug)]
pub struct Skipped {
    /// The path as found (below the folder given).
    pub path: PathBuf,
    /// Why it was not taken.
    pub reason: SkipReason,
}

/// The result of a walk: post files in a stable order, and what was skipped.
#[derive(Debug, Default)]
pub struct PostFiles {
    /// Post files, each real file once: paths given as files (as given, even if not regular,
    /// so reading them gives the user a clear error) and post files found in folders.
    pub files: Vec<PathBuf>,
    /// Folders that could not be read and entries that were not taken.
    pub skipped: Vec<Skipped>,
}

/// What a file is, in words, for messages ("a FIFO", "a character device").
pub fn file_kind_name(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// The identity of a file on disk (device and inode), so two paths to one file are seen as one.
#[cfg(unix)]
fn identity(metadata: &fs::Metadata, _path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn identity(_metadata: &fs::Metadata, path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}

#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

fn has_post_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| POST_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

struct Walker {
    seen_dirs: HashSet<Identity>,
    seen_files: HashSet<Identity>,
    out: PostFiles,
}

impl Walker {
    fn walk_dir(&mut self, dir: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                self.out.skipped.push(Skipped {
                    path: dir.to_path_buf(),
                    reason: SkipReason::UnreadableFolder(err),
                });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            // `metadata` follows links without opening anything, so FIFOs never block here.
            let metadata = match fs::metadata(&path) {
                Ok(metadata) => metadata,
                Err(err) => {
                    if has_post_extension(&path) {
                        self.out.skipped.push(Skipped {
                            path,
                            reason: SkipReason::BrokenLink(err),
                        });
                    }
                    continue;
                }
            };
            if metadata.is_dir() {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if SKIPPED_DIRS.contains(&name) {
                    continue;
                }
                if let Some(id) = identity(&metadata, &path)
                    && !self.seen_dirs.insert(id)
                {
                    continue; // a loop or a second link to a folder already walked
                }
                self.walk_dir(&path);
            } else if has_post_extension(&path) {
                if !metadata.is_file() {
                    self.out.skipped.push(Skipped {
                        path,
                        reason: SkipReason::NotRegularFile(file_kind_name(&metadata.file_type())),
                    });
                    continue;
                }
                if let Some(id) = identity(&metadata, &path)
                    && !self.seen_files.insert(id)
                {
                    continue; // the same file under a second name
                }
                self.out.files.push(path);
            }
        }
    }
}

/// The entries of `dir` in name order, each with its name, leaving out names that start with
/// `.` (hidden files, which Jekyll and Ruby's `Dir["**/*"]` skip too); empty when the folder
/// cannot be read. One listing rule for the site index and the theme's readers.
pub fn visible_entries(dir: &Path) -> Vec<(String, fs::DirEntry)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<(String, fs::DirEntry)> = entries
        .filter_map(Result::ok)
        .map(|entry| (entry.file_name().to_string_lossy().into_owned(), entry))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    entries.sort_by_key(|(_, entry)| entry.file_name());
    entries
}

/// Every post file under `paths`: a path that is a file is taken as given; a folder is searched
/// recursively (in sorted order, skipping `_site`, `.git` and the like) for `*.md`,
/// `*.markdown` and `*.html`, visiting each real folder and file once whatever symbolic links
/// point at them, and never opening anything.
pub fn post_files(paths: &[PathBuf]) -> PostFiles {
    let mut walker = Walker {
        seen_dirs: HashSet::new(),
        seen_files: HashSet::new(),
        out: PostFiles::default(),
    };
    for path in paths {
        match fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                if let Some(id) = identity(&metadata, path)
                    && !walker.seen_dirs.insert(id)
                {
                    continue;
                }
                walker.walk_dir(path);
            }
            Ok(metadata) => {
                if let Some(id) = identity(&metadata, path)
                    && !walker.seen_files.insert(id)
                {
                    continue; // given twice, or under two names
                }
                walker.out.files.push(path.clone());
            }
            // A missing file is passed on so reading it reports the OS reason.
            Err(_) => walker.out.files.push(path.clone()),
        }
    }
    walker.out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn symlink_loops_visit_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "---\n---\n").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/b.md"), "---\n---\n").unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("sub/again")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
        std::os::unix::fs::symlink("a.md", dir.path().join("link.md")).unwrap();
        let found = post_files(&[dir.path().to_path_buf()]);
        let names: Vec<_> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [PathBuf::from("a.md"), PathBuf::from("sub/b.md")]);
        assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    }

    #[test]
    fn fifos_are_skipped_without_opening() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        fs::write(dir.path().join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink("/nowhere/x.md", dir.path().join("broken.md")).unwrap();
        let found = post_files(&[dir.path().to_path_buf()]);
        assert_eq!(found.files, [dir.path().join("a.md")]);
        assert_eq!(found.skipped.len(), 2);
        assert!(matches!(found.skipped[0].reason, SkipReason::BrokenLink(_)));
        assert!(matches!(
            found.skipped[1].reason,
            SkipReason::NotRegularFile("a FIFO (named pipe)")
        ));
    }

    #[test]
    fn a_folder_given_twice_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "x").unwrap();
        let found = post_files(&[dir.path().to_path_buf(), dir.path().join(".")]);
        assert_eq!(found.files.len(), 1);
        let a = dir.path().join("a.md");
        let found = post_files(&[a.clone(), a.clone(), dir.path().to_path_buf()]);
        assert_eq!(found.files, [a]);
    }
}
