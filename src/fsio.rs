//! Reading and writing post files safely: atomic writes (temp file in the same folder, flush,
//! fsync, rename), permissions kept, and never writing over a file that is in the way.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::post::Post;

/// The largest post Byline reads (16 MiB): far beyond any real post, small enough that a
/// multi-gigabyte file given by mistake is refused before it is read.
pub const MAX_POST_BYTES: u64 = 16 * 1024 * 1024;

/// The largest image export copies or embeds (32 MiB), checked before the image is read.
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses anything but a regular file, judged from `metadata` (taken without opening it).
fn require_regular(path: &Path, metadata: &fs::Metadata) -> Result<()> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(Error::NotRegularFile {
            path: path.to_path_buf(),
            kind: crate::walk::file_kind_name(&metadata.file_type()),
        })
    }
}

/// Reads a whole regular file of at most `limit_bytes`: FIFOs, devices and folders are refused
/// before they are opened (and the open itself never blocks), and an oversized file before it
/// is read. `what` names the kind of file in the size error ("a post", "an image").
pub fn read_limited(path: &Path, limit_bytes: u64, what: &'static str) -> Result<Vec<u8>> {
    use std::io::Read;
    let metadata = fs::metadata(path).map_err(|e| read_error(path, e))?;
    require_regular(path, &metadata)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Should the path be swapped for a FIFO after the check, opening still returns at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| read_error(path, e))?;
    let metadata = file.metadata().map_err(|e| read_error(path, e))?;
    require_regular(path, &metadata)?;
    if metadata.len() > limit_bytes {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size_bytes: metadata.len(),
            limit_bytes,
            what,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew after the check from one that fits.
    file.take(limit_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, e))?;
    if bytes.len() as u64 > limit_bytes {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size_bytes: bytes.len() as u64,
            limit_bytes,
            what,
        });
    }
    Ok(bytes)
}

/// Reads a post file's bytes, refusing non-regular files and files over [`MAX_POST_BYTES`]
/// before reading them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    read_limited(path, MAX_POST_BYTES, "a post")
}

/// Reads and parses a post file; errors name the path.
pub fn read_post(path: &Path) -> Result<Post> {
    Post::parse(&read_bytes(path)?)
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

/// Writes `bytes` to `path` safely, as one save of the user's file:
///
/// - a symbolic link is followed and the real file written (the link stays a link);
/// - anything but a regular file is refused ([`Error::NotRegularFile`]), and so is a file whose
///   permissions forbid writing ([`Error::ReadOnly`]), even for root;
/// - a file with one link is replaced atomically (temp file beside it, fsync, rename) with its
///   owner, group and mode kept, so readers see the old file or the new one, never half a file;
/// - a file with other hard links, or whose owner cannot be kept, is written in place after a
///   durable backup copy beside it (vim's `backupcopy`), so every link sees the new text and a
///   crash leaves the backup to recover from;
/// - a new file is created with the permissions the umask gives (0644 under umask 022).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// The file a save of `path` writes: the end of its symbolic links, or `path` itself when it
/// does not exist yet.
fn real_target(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|source| write_error(path, source))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Refuses to save over anything but a writable regular file.
fn require_writable(path: &Path, metadata: &fs::Metadata) -> Result<()> {
    if !metadata.is_file() {
        return Err(Error::NotRegularFile {
            path: path.to_path_buf(),
            kind: crate::walk::file_kind_name(&metadata.file_type()),
        });
    }
    // The mode bits decide, even for root, who could otherwise write anything.
    if metadata.permissions().readonly() {
        return Err(Error::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    match fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => Err(Error::ReadOnly {
            path: path.to_path_buf(),
        }),
        Err(source) => Err(write_error(path, source)),
    }
}

/// Syncs a folder so a rename or a new file in it survives a crash; a folder that cannot be
/// synced (some file systems) is not an error.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// Permissions for new files: everything the umask allows of rw-rw-rw-.
#[cfg(unix)]
fn new_file_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o666)
}

/// True when the file at `temp` could be given the owner and group of `original`.
#[cfg(unix)]
fn keep_owner(temp: &fs::File, original: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = temp.metadata() else {
        return false;
    };
    if now.uid() == original.uid() && now.gid() == original.gid() {
        return true;
    }
    std::os::unix::fs::fchown(temp, Some(original.uid()), Some(original.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_temp: &fs::File, _original: &fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn link_count(metadata: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink()
}

#[cfg(not(unix))]
fn link_count(_metadata: &fs::Metadata) -> u64 {
    1
}

/// `write_atomic` with a hook called before each step; an error from the hook fails that step
/// (used by tests to inject failures).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    mut before: impl FnMut(WriteStep) -> std::io::Result<()>,
) -> Result<()> {
    let real = real_target(path)?;
    let path = real.as_path();
    let fail = |source: std::io::Error| write_error(path, source);
    let existing = match fs::metadata(path) {
        Ok(metadata) => {
            require_writable(path, &metadata)?;
            Some(metadata)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(fail(source)),
    };
    if let Some(metadata) = &existing
        && link_count(metadata) > 1
    {
        return write_in_place(path, bytes, &mut before);
    }
    let dir = parent_dir(path);
    before(WriteStep::Create).map_err(fail)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".byline-tmp");
    #[cfg(unix)]
    builder.permissions(new_file_permissions());
    let mut temp = builder.tempfile_in(&dir).map_err(fail)?;
    before(WriteStep::Write).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    before(WriteStep::Sync).map_err(fail)?;
    temp.flush().map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    if let Some(metadata) = &existing {
        if !keep_owner(temp.as_file(), metadata) {
            // Renaming would hand the user's file to us: write in place instead, as vim does.
            drop(temp);
            return write_in_place(path, bytes, &mut before);
        }
        // After the owner: changing the owner clears set-user-ID bits.
        fs::set_permissions(temp.path(), metadata.permissions()).map_err(fail)?;
    }
    before(WriteStep::Rename).map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Writes over the file in place, keeping its inode (so hard links, owner and mode stay): a
/// durable backup copy goes beside it first and is removed once the new bytes are on disk. On
/// failure the old bytes are written back; if even that fails, the error names the backup.
fn write_in_place(
    path: &Path,
    bytes: &[u8],
    before: &mut impl FnMut(WriteStep) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |source: std::io::Error| write_error(path, source);
    let dir = parent_dir(path);
    let original = read_limited(path, u64::MAX, "a file")?;
    before(WriteStep::Create).map_err(fail)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut backup = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".byline-backup")
        .tempfile_in(&dir)
        .map_err(fail)?;
    backup.write_all(&original).map_err(fail)?;
    backup.as_file().sync_all().map_err(fail)?;
    sync_dir(&dir);
    let write = |content: &[u8],
                 before: &mut dyn FnMut(WriteStep) -> std::io::Result<()>|
     -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new().write(true).open(path)?;
        before(WriteStep::Write)?;
        file.write_all(content)?;
        file.set_len(content.len() as u64)?;
        before(WriteStep::Sync)?;
        file.sync_all()
    };
    match write(bytes, before) {
        Ok(()) => {
            drop(backup); // removes the backup file
            sync_dir(&dir);
            Ok(())
        }
        Err(err) => {
            if write(&original, &mut |_| Ok(())).is_ok() {
                return Err(fail(err));
            }
            let kept = backup.into_temp_path().keep().ok();
            let reason = match kept {
                Some(kept) => format!("{err}; the original is kept in {}", kept.display()),
                None => err.to_string(),
            };
            Err(fail(std::io::Error::new(err.kind(), reason)))
        }
    }
}

/// Writes a new file atomically, refusing when something already exists at `path` (even a
/// dangling symbolic link); the file gets the permissions the umask gives.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(Error::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let fail = |source: std::io::Error| write_error(path, source);
    let dir = parent_dir(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".byline-new.").suffix(".byline-tmp");
    #[cfg(unix)]
    builder.permissions(new_file_permissions());
    let mut temp = builder.tempfile_in(&dir).map_err(fail)?;
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
    sync_dir(&dir);
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

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_symlink_writes_the_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_are_kept_and_no_backup_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        fs::write(&a, "old text").unwrap();
        fs::hard_link(&a, &b).unwrap();
        write_atomic(&a, b"new").unwrap();
        assert_eq!(fs::read_to_string(&b).unwrap(), "new");
        assert_eq!(fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no backup left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_in_place_write_restores_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, "original").unwrap();
        fs::hard_link(&a, dir.path().join("b.md")).unwrap();
        let err = write_atomic_with(&a, b"new", |step| {
            if step == WriteStep::Sync {
                Err(std::io::Error::other("injected"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "original");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_even_for_root() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            write_atomic(&path, b"y"),
            Err(Error::ReadOnly { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_before_opening() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // Opening a FIFO for reading with no writer would block forever.
        assert!(matches!(
            read_post(&fifo),
            Err(Error::NotRegularFile {
                kind: "a FIFO (named pipe)",
                ..
            })
        ));
        assert!(matches!(
            write_atomic(&fifo, b"x"),
            Err(Error::NotRegularFile { .. })
        ));
        assert!(
            fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo_like()
        );
        let device = dir.path().join("null.md");
        std::os::unix::fs::symlink("/dev/null", &device).unwrap();
        assert!(matches!(
            write_atomic(&device, b"x"),
            Err(Error::NotRegularFile {
                kind: "a character device",
                ..
            })
        ));
        assert!(matches!(
            read_bytes(Path::new("/dev/zero")),
            Err(Error::NotRegularFile { .. })
        ));
        assert!(
            fs::symlink_metadata(&device)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    trait FifoLike {
        fn is_fifo_like(&self) -> bool;
    }

    #[cfg(unix)]
    impl FifoLike for fs::FileType {
        fn is_fifo_like(&self) -> bool {
            use std::os::unix::fs::FileTypeExt;
            self.is_fifo()
        }
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.md");
        let file = fs::File::create(&path).unwrap();
        file.set_len(MAX_POST_BYTES + 1).unwrap(); // sparse: no disk used
        let err = read_post(&path).unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    limit_bytes: MAX_POST_BYTES,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("16777216"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask() {
        // The test process's umask is what the user's shell gave it; compare with a file
        // the standard library creates, which honours it.
        let dir = tempfile::tempdir().unwrap();
        let reference = dir.path().join("reference");
        fs::write(&reference, "x").unwrap();
        let created = dir.path().join("created.md");
        write_new(&created, b"x").unwrap();
        let replaced = dir.path().join("replaced.md");
        write_atomic(&replaced, b"x").unwrap();
        assert_eq!(mode(&created), mode(&reference));
        assert_eq!(mode(&replaced), mode(&reference));
    }

    #[cfg(unix)]
    #[test]
    fn owner_and_group_are_kept() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "x").unwrap();
        let before = fs::metadata(&path).unwrap();
        // As root, give the file to another user, as when root edits a user's post.
        let given = std::os::unix::fs::chown(&path, Some(1234), Some(1234)).is_ok();
        write_atomic(&path, b"y").unwrap();
        let after = fs::metadata(&path).unwrap();
        if given {
            assert_eq!((after.uid(), after.gid()), (1234, 1234));
        } else {
            assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        }
        assert_eq!(fs::read_to_string(&path).unwrap(), "y");
    }
}
