//! Creating a new post, shared by the window and the command line: the default author and the
//! new file with its dated name.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::Result;
use crate::fsio;
use crate::post::PostDate;
use crate::post::template;

/// The author for new posts: `$BYLINE_AUTHOR`, else `author` in Byline's own `config.yml`, else
/// the `author` (or `author.name`) of the nearest Jekyll `_config.yml` at or above `dir`;
/// empty when none is set.
pub fn default_author(dir: &Path) -> String {
    if let Ok(author) = std::env::var("BYLINE_AUTHOR")
        && !author.trim().is_empty()
    {
        return author.trim().to_string();
    }
    if let Some(dirs) = directories::ProjectDirs::from("", "", "byline")
        && let Some(author) = author_in(&dirs.config_dir().join("config.yml"))
    {
        return author;
    }
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .find_map(|folder| author_in(&folder.join("_config.yml")))
        .unwrap_or_default()
}

/// The `author` (a string, or a map with a `name`) of a YAML config file, if it has one.
fn author_in(config: &Path) -> Option<String> {
    // Never blocks on a FIFO named like a config file, nor reads a huge one.
    let bytes = fsio::read_limited(config, fsio::MAX_POST_BYTES, "a config file").ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let value: Value = serde_yaml::from_str(&text).ok()?;
    let author = value.get("author")?;
    author
        .as_str()
        .or_else(|| author.get("name").and_then(Value::as_str))
        .map(str::to_string)
}

/// Creates a new post file named `YYYY-MM-DD-slug.md` (or `slug.md` for a draft) in `dir` and
/// returns its path; never overwrites. `date` is parsed as a post date, else now.
pub fn create_post(title: &str, date: Option<&str>, dir: &Path, is_draft: bool) -> Result<PathBuf> {
    let date = match date {
        Some(text) => PostDate::parse(text)?,
        None => PostDate::now_local(),
    };
    let author = default_author(dir);
    // A very long title gives a shortened slug, so the name stays a valid file name.
    let slug = crate::export::short_slug(&template::slugify(title));
    let path = dir.join(template::file_name(&slug, &date, is_draft));
    let text = template::new_post_text(title, &date, &author, is_draft);
    fsio::write_new(&path, text.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_config_names_the_author() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("_posts")).unwrap();
        std::fs::write(site.join("_config.yml"), "author:\n  name: Ada\n").unwrap();
        assert_eq!(author_in(&site.join("_config.yml")).as_deref(), Some("Ada"));
        assert_eq!(author_in(&site.join("missing.yml")), None);
        std::fs::write(site.join("_config.yml"), "author: Grace\n").unwrap();
        assert_eq!(
            author_in(&site.join("_config.yml")).as_deref(),
            Some("Grace")
        );
    }
}
