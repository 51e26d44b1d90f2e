//! "Build with Jekyll": the exact page, from a local `jekyll`, for sites Byline cannot render
//! itself (plugins in `_plugins/`, tags it does not implement). The site is copied into a
//! temporary folder (without `_site`, `.git` and `.jekyll-cache`), the unsaved text is written
//! at the post's path there, and `jekyll build` runs on the copy — the user's site is never
//! touched. Slow (seconds): callers run it off the UI thread.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::site::{IndexOptions, Site};

/// Folders never copied: Jekyll's output and caches, and version control.
const SKIPPED_FOLDERS: &[&str] = &["_site", ".git", ".jekyll-cache"];

/// Why the build gave no page.
#[derive(Debug, thiserror::Error)]
pub enum JekyllBuildError {
    /// The temporary copy could not be made.
    #[error("could not copy the site to a temporary folder ({path}): {source}")]
    Copy {
        /// The file or folder that failed.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The post is not inside the site.
    #[error("{path} is not inside the site {root}")]
    NotInSite {
        /// The post.
        path: PathBuf,
        /// The site root.
        root: PathBuf,
    },
    /// `jekyll` could not be started.
    #[error("could not run {jekyll}: {source}")]
    Spawn {
        /// The program.
        jekyll: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `jekyll build` failed; `log` holds what it printed.
    #[error("jekyll build failed:\n{log}")]
    Failed {
        /// Jekyll's output (the end of it).
        log: String,
    },
    /// Jekyll built the site but wrote no page for the post.
    #[error("Jekyll wrote no page for the post at {url}")]
    NoPage {
        /// Where Byline expected it.
        url: String,
    },
}

/// A site built by Jekyll in a temporary folder (removed when this is dropped).
#[derive(Debug)]
pub struct JekyllBuild {
    /// The temporary folder holding the copy and the output.
    pub temp: tempfile::TempDir,
    /// The output folder (`_site` of the copy).
    pub built_dir: PathBuf,
    /// The post's `page.url` (without `baseurl`).
    pub page_url: String,
    /// The site's `baseurl`.
    pub baseurl: String,
    /// What Jekyll printed.
    pub log: String,
}

/// The `jekyll` to run for the site: the site's own `bin/jekyll`, else one on `PATH`.
pub fn find_jekyll(site_root: &Path) -> Option<PathBuf> {
    let own = site_root.join("bin").join("jekyll");
    if is_executable(&own) {
        return Some(own);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("jekyll"))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// True when the site runs Ruby plugins of its own (`_plugins/*.rb`), which only Jekyll can.
pub fn has_own_plugins(site_root: &Path) -> bool {
    std::fs::read_dir(site_root.join("_plugins")).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "rb"))
    })
}

/// Copies the site at `site_root` to a temporary folder, writes `text` at `post_path`'s place
/// in the copy and runs `jekyll build` there (drafts, future and unpublished posts included,
/// so the post has a page whatever its state).
pub fn build_with_jekyll(
    jekyll: &Path,
    site_root: &Path,
    post_path: &Path,
    text: &str,
) -> Result<JekyllBuild, JekyllBuildError> {
    let root = std::fs::canonicalize(site_root).map_err(|source| JekyllBuildError::Copy {
        path: site_root.to_path_buf(),
        source,
    })?;
    let post = std::fs::canonicalize(post_path).unwrap_or_else(|_| post_path.to_path_buf());
    let relative = post
        .strip_prefix(&root)
        .map_err(|_| JekyllBuildError::NotInSite {
            path: post_path.to_path_buf(),
            root: root.clone(),
        })?
        .to_path_buf();
    let temp = tempfile::Builder::new()
        .prefix("byline-jekyll-")
        .tempdir()
        .map_err(|source| JekyllBuildError::Copy {
            path: std::env::temp_dir(),
            source,
        })?;
    let source_dir = temp.path().join("source");
    let built_dir = temp.path().join("site");
    copy_site(&root, &source_dir)?;
    let copied_post = source_dir.join(&relative);
    std::fs::write(&copied_post, text).map_err(|source| JekyllBuildError::Copy {
        path: copied_post.clone(),
        source,
    })?;
    let output = Command::new(jekyll)
        .arg("build")
        .arg("--source")
        .arg(&source_dir)
        .arg("--destination")
        .arg(&built_dir)
        .args(["--drafts", "--future", "--unpublished"])
        .current_dir(&source_dir)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .output()
        .map_err(|source| JekyllBuildError::Spawn {
            jekyll: jekyll.to_path_buf(),
            source,
        })?;
    let mut log = String::from_utf8_lossy(&output.stdout).into_owned();
    log.push_str(&String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        return Err(JekyllBuildError::Failed {
            log: last_lines(&log, 20),
        });
    }
    let options = IndexOptions {
        drafts: true,
        future: true,
        unpublished: true,
        now: None,
    };
    let site = Site::open(&source_dir, &options);
    let relative_text = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let page_url = site
        .post(&relative_text)
        .and_then(|p| p.url.clone())
        .unwrap_or_default();
    let page_file = page_file(&built_dir, &page_url);
    if page_url.is_empty() || !page_file.is_file() {
        return Err(JekyllBuildError::NoPage { url: page_url });
    }
    Ok(JekyllBuild {
        temp,
        built_dir,
        page_url,
        baseurl: site.config.baseurl.clone(),
        log,
    })
}

/// Where Jekyll writes the page at `url` inside `built_dir`.
fn page_file(built_dir: &Path, url: &str) -> PathBuf {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let mut file = built_dir.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty() && *s != "..") {
        file.push(segment);
    }
    if url.ends_with('/') {
        file.push("index.html");
    } else if !url.ends_with(".html") {
        // Jekyll adds the output extension to a URL without it (`/:year/:title`).
        file.as_mut_os_string().push(".html");
    }
    file
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .get(lines.len().saturating_sub(count)..)
        .unwrap_or_default()
        .join("\n")
}

/// Copies `from` into `to` (symbolic links stay links), leaving out [`SKIPPED_FOLDERS`].
fn copy_site(from: &Path, to: &Path) -> Result<(), JekyllBuildError> {
    let copy_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| JekyllBuildError::Copy { path, source }
    };
    std::fs::create_dir_all(to).map_err(copy_error(to))?;
    for entry in std::fs::read_dir(from).map_err(copy_error(from))? {
        let entry = entry.map_err(copy_error(from))?;
        let name = entry.file_name();
        if SKIPPED_FOLDERS.iter().any(|skipped| name == *skipped) {
            continue;
        }
        let source = entry.path();
        let target = to.join(&name);
        let kind = entry.file_type().map_err(copy_error(&source))?;
        if kind.is_symlink() {
            #[cfg(unix)]
            {
                let link = std::fs::read_link(&source).map_err(copy_error(&source))?;
                std::os::unix::fs::symlink(link, &target).map_err(copy_error(&target))?;
            }
        } else if kind.is_dir() {
            copy_site(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(copy_error(&source))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_leaves_out_output_caches_and_git() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        for file in [
            "_config.yml",
            "_posts/a.md",
            "_site/index.html",
            ".git/HEAD",
            ".jekyll-cache/x",
            "assets/a.css",
        ] {
            let path = site.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let copy = dir.path().join("copy");
        copy_site(&site, &copy).unwrap();
        assert!(copy.join("_posts/a.md").is_file());
        assert!(copy.join("assets/a.css").is_file());
        assert!(!copy.join("_site").exists());
        assert!(!copy.join(".git").exists());
        assert!(!copy.join(".jekyll-cache").exists());
    }

    #[test]
    fn pages_are_found_where_jekyll_writes_them() {
        let built = Path::new("/b");
        assert_eq!(
            page_file(built, "/2020/01/01/a.html"),
            built.join("2020/01/01/a.html")
        );
        assert_eq!(
            page_file(built, "/blog/a/"),
            built.join("blog/a/index.html")
        );
        assert_eq!(page_file(built, "/a%20b.html"), built.join("a b.html"));
        assert_eq!(
            page_file(built, "/2017-03-05/a"),
            built.join("2017-03-05/a.html")
        );
    }

    #[test]
    fn own_plugins_are_noticed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_own_plugins(dir.path()));
        std::fs::create_dir(dir.path().join("_plugins")).unwrap();
        std::fs::write(dir.path().join("_plugins/x.rb"), "").unwrap();
        assert!(has_own_plugins(dir.path()));
    }
}
