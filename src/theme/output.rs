//! Writing a rendered page and the stylesheets it needs: the page at the file asked for, each
//! compiled stylesheet at its site path beside it (`assets/css/style.css` next to
//! `post.html`), every file atomically, and nothing over a different existing file unless
//! forced — the rule `byline export` follows.

use std::path::{Component, Path, PathBuf};

use super::RenderedPage;
use crate::error::{Error, Result};
use crate::fsio;

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Where.
    pub path: PathBuf,
    /// What.
    pub bytes: Vec<u8>,
}

/// What a write did to each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files written (new or replaced).
    pub written: Vec<PathBuf>,
    /// Files already holding exactly these bytes, left alone.
    pub unchanged: Vec<PathBuf>,
}

/// The files `page` becomes when written to `html_file`: the page, then each stylesheet at
/// its site path from `html_file`'s folder. A site path that would leave that folder is
/// refused.
pub fn targets(page: &RenderedPage, html_file: &Path) -> Result<Vec<Target>> {
    let folder = match html_file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut out = vec![Target {
        path: html_file.to_path_buf(),
        bytes: page.html.as_bytes().to_vec(),
    }];
    for file in &page.generated {
        let relative = Path::new(&file.site_path);
        let is_inside = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !is_inside || file.site_path.is_empty() {
            return Err(Error::Export {
                reason: format!(
                    "the stylesheet path `{}` would leave the output folder",
                    file.site_path
                ),
            });
        }
        out.push(Target {
            path: folder.join(relative),
            bytes: file.text.as_bytes().to_vec(),
        });
    }
    Ok(out)
}

/// True when the regular file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fsio::read_limited(path, bytes.len() as u64, "a render target")
            .is_ok_and(|existing| existing == bytes)
}

/// True when `a` and `b` are one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes `page` to `html_file` and its stylesheets beside it. Checks every target first: a
/// different file already there is an error ([`Error::TargetExists`]) unless `force`, and the
/// post itself (`source`) is never written. Files that already hold the same bytes are left
/// alone.
pub fn write_page(
    page: &RenderedPage,
    html_file: &Path,
    source: &Path,
    force: bool,
) -> Result<Written> {
    let targets = targets(page, html_file)?;
    let mut to_write = Vec::new();
    let mut unchanged = Vec::new();
    for target in &targets {
        if same_file(&target.path, source) {
            return Err(Error::Export {
                reason: format!(
                    "{} is the post itself: Byline never writes over its source",
                    target.path.display()
                ),
            });
        }
        if std::fs::symlink_metadata(&target.path).is_err() {
            to_write.push(target);
        } else if holds(&target.path, &target.bytes) {
            unchanged.push(target.path.clone());
        } else if force {
            to_write.push(target);
        } else {
            return Err(Error::TargetExists {
                path: target.path.clone(),
            });
        }
    }
    let mut written = Vec::new();
    for target in to_write {
        if let Some(dir) = target.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        fsio::write_atomic(&target.path, &target.bytes)?;
        written.push(target.path.clone());
    }
    Ok(Written { written, unchanged })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::GeneratedFile;

    fn page(html: &str, css: &str) -> RenderedPage {
        RenderedPage {
            html: html.into(),
            url: "/a.html".into(),
            generated: vec![GeneratedFile {
                site_path: "assets/css/style.css".into(),
                text: css.into(),
            }],
            problems: Vec::new(),
        }
    }

    #[test]
    fn page_and_stylesheets_are_written_beside_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out/post.html");
        let source = dir.path().join("post.md");
        let done = write_page(&page("<p>x</p>", "a{}"), &out, &source, false).unwrap();
        assert_eq!(done.written.len(), 2);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "<p>x</p>");
        let css = dir.path().join("out/assets/css/style.css");
        assert_eq!(std::fs::read_to_string(css).unwrap(), "a{}");
        // The same again changes nothing; a different page needs force.
        let again = write_page(&page("<p>x</p>", "a{}"), &out, &source, false).unwrap();
        assert_eq!(again.unchanged.len(), 2);
        let err = write_page(&page("<p>y</p>", "a{}"), &out, &source, false).unwrap_err();
        assert!(matches!(err, Error::TargetExists { .. }));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "<p>x</p>");
        write_page(&page("<p>y</p>", "a{}"), &out, &source, true).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "<p>y</p>");
    }

    #[test]
    fn nothing_is_written_when_one_target_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("post.html");
        let css = dir.path().join("assets/css/style.css");
        std::fs::create_dir_all(css.parent().unwrap()).unwrap();
        std::fs::write(&css, "mine").unwrap();
        let err = write_page(&page("p", "a{}"), &out, Path::new("/none"), false).unwrap_err();
        assert!(matches!(err, Error::TargetExists { .. }));
        assert!(!out.exists());
        assert_eq!(std::fs::read_to_string(&css).unwrap(), "mine");
    }

    #[test]
    fn escaping_site_paths_and_the_source_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut bad = page("p", "a{}");
        bad.generated[0].site_path = "../evil.css".into();
        assert!(targets(&bad, &dir.path().join("p.html")).is_err());
        let source = dir.path().join("post.md");
        std::fs::write(&source, "text").unwrap();
        let mut plain = page("p", "");
        plain.generated.clear();
        assert!(write_page(&plain, &source, &source, true).is_err());
        assert_eq!(std::fs::read_to_string(&source).unwrap(), "text");
    }
}
