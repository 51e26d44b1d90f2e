//! The sample post a new user can try: embedded in the binary with its header image, and copied
//! into a small site in Byline's data folder, so the repository's files are never opened or
//! overwritten and the copy works on any machine.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::fsio;

/// The sample post's text, as shipped.
pub const SAMPLE_POST_TEXT: &str = include_str!("../assets/sample/welcome-to-byline.md");

/// The copy's file name in the sample site's `_posts` (Jekyll's `YYYY-MM-DD-slug.md`).
pub const SAMPLE_POST_FILE_NAME: &str = "2026-01-05-welcome-to-byline.md";

/// The header image's path inside the site, as the post's `image` field names it (without the
/// leading `/`): stored as the seed post stores its image, `assets/images/<md5 of bytes>.jpg`.
pub const SAMPLE_IMAGE_SITE_PATH: &str = "assets/images/7c63f236954411c4c4c00e4f3fceea03.jpg";

/// The header image's bytes (drawn by `examples/make_sample_image.rs`).
const SAMPLE_IMAGE_BYTES: &[u8] =
    include_bytes!("../assets/images/7c63f236954411c4c4c00e4f3fceea03.jpg");

/// Byline's data folder: `$BYLINE_DATA_DIR` when set (tests), else the desktop's data folder
/// (`~/.local/share/byline` on Linux). None when the system has no home folder.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("BYLINE_DATA_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            directories::ProjectDirs::from("", "", "byline").map(|d| d.data_dir().to_path_buf())
        }
    }
}

/// The folder of the sample site inside a data folder.
pub fn sample_site_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sample-site")
}

/// Lays out the sample site in `site` (`_posts/<post>` and its header image) and returns the
/// post's path. A copy that already exists is left exactly as it is — it may hold the user's
/// edits — and only what is missing is written.
pub fn install_sample(site: &Path) -> Result<PathBuf> {
    let post = site.join("_posts").join(SAMPLE_POST_FILE_NAME);
    let image = site.join(SAMPLE_IMAGE_SITE_PATH);
    for path in [&post, &image] {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|source| crate::Error::Write {
                path: folder.to_path_buf(),
                source,
            })?;
        }
    }
    if !image.is_file() {
        fsio::write_atomic(&image, SAMPLE_IMAGE_BYTES)?;
    }
    if !post.exists() {
        fsio::write_new(&post, SAMPLE_POST_TEXT.as_bytes())?;
    }
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::Digest as _;

    #[test]
    fn the_image_is_named_by_its_md5_and_the_post_names_it() {
        let digest = format!("{:x}", md5::Md5::digest(SAMPLE_IMAGE_BYTES));
        assert_eq!(
            SAMPLE_IMAGE_SITE_PATH,
            format!("assets/images/{digest}.jpg")
        );
        let post = crate::post::Post::from_text(SAMPLE_POST_TEXT);
        assert_eq!(
            post.text("image").as_deref(),
            Some(format!("/{SAMPLE_IMAGE_SITE_PATH}").as_str())
        );
    }

    #[test]
    fn the_copy_finds_its_image_and_keeps_the_users_edits() {
        let dir = tempfile::tempdir().unwrap();
        let site = sample_site_dir(dir.path());
        let post_path = install_sample(&site).unwrap();
        assert_eq!(
            std::fs::read_to_string(&post_path).unwrap(),
            SAMPLE_POST_TEXT
        );
        let post = crate::post::Post::from_text(SAMPLE_POST_TEXT);
        let reference = post.text("image").unwrap();
        let root = crate::site::site_root(&post_path);
        assert_eq!(root, site);
        let image = crate::site::resolve_image(&root, &reference).unwrap();
        assert_eq!(std::fs::read(image).unwrap(), SAMPLE_IMAGE_BYTES);

        std::fs::write(&post_path, "edited by the user").unwrap();
        assert_eq!(install_sample(&site).unwrap(), post_path);
        assert_eq!(
            std::fs::read_to_string(&post_path).unwrap(),
            "edited by the user"
        );
    }
}
