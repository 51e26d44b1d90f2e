//! Reading and writing post files safely: atomic writes (temp file in the same folder, flush,
//! fsync, rename), permissions kept, and never writing over a file that is in the way.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::post::Post;

/// Reads and parses a post file; errors name the path.
pub fn read_post(path: &Path) -> Result<Post> {
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Post::parse(&bytes)
}

/// The steps of an atomic write, so tests can make each one fail and see the original intact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStep {
    /// Creating the temp file beside the target.
    Create,
    /// Writing the bytes.
    Write,
    /// Flushing and fsyncing the temp file.
    Sync,
    /// Renaming the temp file over the target.
    Rename,
}

/// The folder a file lives in ("." for a bare file name): temp files go there so the final
/// rename stays on one file system.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new one, never half a
/// file, and a failure at any step leaves the old file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// `write_atomic` with a hook called before each step; an error from the hook fails that step
/// (used by tests to inject failures).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    mut before: impl FnMut(WriteStep) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |source: std::io::Error| write_error(path, source);
    let dir = parent_dir(path);
    let permissions = fs::metadata(path).ok().map(|m| m.permissions());
    before(WriteStep::Create).map_err(fail)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".byline-tmp")
        .tempfile_in(&dir)
        .map_err(fail)?;
    before(WriteStep::Write).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    before(WriteStep::Sync).map_err(fail)?;
    temp.flush().map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temp.path(), permissions).map_err(fail)?;
    }
    before(WriteStep::Rename).map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    // Make the rename itself durable; a directory that cannot be synced is not an error.
    if let Ok(dir) = fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Writes a new file atomically, refusing when something already exists at `path`.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let fail = |source: std::io::Error| write_error(path, source);
    let dir = parent_dir(path);
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    // persist_noclobber fails instead of replacing a file created meanwhile.
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::AlreadyExists {
                path: path.to_path_buf(),
            }
        } else {
            fail(e.error)
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_at_any_step_leaves_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "original").unwrap();
        for step in [
            WriteStep::Create,
            WriteStep::Write,
            WriteStep::Sync,
            WriteStep::Rename,
        ] {
            let err = write_atomic_with(&path, b"new", |s| {
                if s == step {
                    Err(std::io::Error::other("injected"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
            assert!(err.to_string().contains("injected"), "{err}");
            assert_eq!(fs::read_to_string(&path).unwrap(), "original");
        }
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temp files must be cleaned up");
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn a_full_disk_is_reported_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "original").unwrap();
        let err = write_atomic_with(&path, b"new", |step| {
            if step == WriteStep::Write {
                Err(std::io::Error::from_raw_os_error(28))
            } else {
                Ok(())
            }
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("No space left on device") && err.contains("post.md"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "original");
    }

    #[test]
    fn a_missing_folder_is_reported_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder/post.md");
        let err = write_atomic(&path, b"new").unwrap_err().to_string();
        assert!(
            err.starts_with("cannot write") && err.contains("No such file or directory"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"y").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn write_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        write_new(&path, b"one").unwrap();
        assert!(matches!(
            write_new(&path, b"two"),
            Err(Error::AlreadyExists { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
    }
}
