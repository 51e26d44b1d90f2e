//! What a new post starts with, shared by the window and (once it moves here) the command line:
//! the default author.

use std::path::Path;

use serde_yaml::Value;

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
    let text = std::fs::read_to_string(config).ok()?;
    let value: Value = serde_yaml::from_str(&text).ok()?;
    let author = value.get("author")?;
    author
        .as_str()
        .or_else(|| author.get("name").and_then(Value::as_str))
        .map(str::to_string)
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
