//! Edits the form makes by text rather than by value: one key's lines replaced by raw YAML the
//! user typed, and one sub-key of a block map (the `path` of a Chirpy `image` map) changed in
//! its own quote style. Each is read back before it is kept: the edited key must hold what was
//! meant and every other key what it held, or nothing changes.

use std::ops::Range;

use serde_yaml::Value;

use super::Post;
use super::scalar::{QuoteStyle, string_scalar};
use super::yaml_block::Block;
use crate::error::{Error, Result};

fn refused(key: &str, reason: impl Into<String>) -> Error {
    Error::Edit {
        key: key.to_string(),
        reason: reason.into(),
    }
}

impl Post {
    /// Replaces the lines of `key` with raw YAML typed by the user (line breaks converted to
    /// the file's), if the whole block still parses and every other key keeps its value;
    /// otherwise says why, and nothing changes. True when the text changed.
    pub fn set_entry_yaml(&mut self, key: &str, text: &str) -> Result<bool> {
        let front = self
            .front_matter()
            .ok_or_else(|| refused(key, "the post has no front matter"))?;
        let yaml = front.yaml();
        let block = front.block().map_err(|reason| refused(key, reason))?;
        let entry = block
            .entry(key)
            .ok_or_else(|| refused(key, "the key is gone; reopen the form"))?;
        let eol = self.line_ending().as_str();
        let mut replacement = text.replace("\r\n", "\n").replace('\n', eol);
        if !replacement.is_empty() {
            replacement.push_str(eol);
        }
        let old = yaml.get(entry.range.clone()).unwrap_or("");
        if old == replacement {
            return Ok(false);
        }
        let new_yaml = format!(
            "{}{}{}",
            yaml.get(..entry.range.start).unwrap_or(""),
            replacement,
            yaml.get(entry.range.end..).unwrap_or("")
        );
        match Block::parse(&new_yaml, 2) {
            Ok(parsed) => {
                let others_kept = block
                    .mapping
                    .iter()
                    .all(|(k, v)| k.as_str() == Some(key) || parsed.mapping.get(k) == Some(v));
                if !others_kept {
                    return Err(refused(
                        key,
                        "this would change other keys; edit one key here",
                    ));
                }
                self.set_front_matter_text(new_yaml);
                Ok(true)
            }
            Err(err) => Err(refused(
                key,
                match err.location() {
                    Some((line, column)) => {
                        format!("line {line}, column {column} of the file: {err}")
                    }
                    None => err.to_string(),
                },
            )),
        }
    }

    /// Changes only the `sub` value of the block map `key` (`image:` then `  path: …`), in its
    /// quote style; refuses, changing nothing, when the map is written another way (flow
    /// style, a comment on that line, the sub-key twice) or the result would not read back with
    /// exactly that value and every other key as it was. True when the text changed.
    pub fn set_map_path_text(&mut self, key: &str, sub: &str, value: &str) -> Result<bool> {
        if self.text_or_map_key(key, sub).as_deref() == Some(value) {
            return Ok(false);
        }
        let range = self.block_map_value_range(key, sub).ok_or_else(|| {
            refused(
                key,
                format!("this map's `{sub}` cannot be edited here; edit `{key}` under Other keys"),
            )
        })?;
        let yaml = self.front_matter_text();
        let old_token = yaml.get(range.clone()).unwrap_or("");
        let token = string_scalar(value, QuoteStyle::of_token(old_token), false);
        let new_yaml = format!(
            "{}{}{}",
            yaml.get(..range.start).unwrap_or(""),
            token,
            yaml.get(range.end..).unwrap_or("")
        );
        let mut candidate = self.clone();
        candidate.set_front_matter_text(new_yaml);
        let expected = match self.get(key) {
            Some(Value::Mapping(map)) => {
                let mut map = map.clone();
                map.insert(Value::String(sub.into()), Value::String(value.to_string()));
                Value::Mapping(map)
            }
            _ => return Err(refused(key, "the value is no longer a map")),
        };
        let others_kept = self
            .keys()
            .iter()
            .all(|k| k == key || candidate.get(k) == self.get(k));
        if candidate.get(key) != Some(&expected) || !others_kept {
            return Err(refused(
                key,
                format!(
                    "`{sub}` could not be written without changing other values; edit `{key}` under Other keys"
                ),
            ));
        }
        *self = candidate;
        Ok(true)
    }

    /// True when [`Post::set_map_path_text`] can edit `sub` of the map `key` in place (a block
    /// map with that sub-key once, on a line without a comment), so the form offers the field.
    pub fn can_set_map_text(&self, key: &str, sub: &str) -> bool {
        self.block_map_value_range(key, sub).is_some()
    }

    /// Where the value token of `  sub:` inside the block map `key` is, as a byte range of the
    /// YAML (None when the map is written another way, or the line has a comment).
    fn block_map_value_range(&self, key: &str, sub: &str) -> Option<Range<usize>> {
        let front = self.front_matter()?;
        let yaml = front.yaml();
        let entry = front.block().ok()?.entry(key)?;
        let text = yaml.get(entry.range.clone())?;
        let prefix = format!("{sub}:");
        let mut at = entry.range.start;
        let mut found = None;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let indent = content.len() - content.trim_start().len();
            if indent > 0
                && let Some(rest) = content.trim_start().strip_prefix(prefix.as_str())
            {
                if found.is_some() || rest.contains(" #") {
                    return None;
                }
                let value_start = at + content.len() - rest.trim_start().len();
                found = Some(value_start..at + content.trim_end().len());
            }
            at += line.len();
        }
        found.filter(|r| r.start <= r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_key_edits_must_keep_the_key_and_parse() {
        let mut post = Post::from_text("---\ntitle: a\nheader:\n  image: x.jpg\nz: 1\n---\n");
        assert!(
            post.set_entry_yaml("header", "header:\n  image: y.jpg")
                .unwrap()
        );
        assert_eq!(
            post.to_text(),
            "---\ntitle: a\nheader:\n  image: y.jpg\nz: 1\n---\n"
        );
        assert!(post.set_entry_yaml("header", "header: [").is_err());
        assert!(
            post.set_entry_yaml("header", "header: 1\ntitle: b")
                .is_err()
        );
        assert_eq!(
            post.to_text(),
            "---\ntitle: a\nheader:\n  image: y.jpg\nz: 1\n---\n"
        );
    }

    #[test]
    fn raw_yaml_follows_the_file_line_endings() {
        let mut post = Post::from_text("---\r\nheader:\r\n  a: 1\r\n---\r\n");
        assert!(post.set_entry_yaml("header", "header:\n  a: 2").unwrap());
        assert_eq!(post.to_text(), "---\r\nheader:\r\n  a: 2\r\n---\r\n");
    }

    #[test]
    fn an_image_map_path_changes_alone_in_its_quote_style() {
        let text = "---\nimage:\n  path: '/a.png'   \n  alt: A\n---\n";
        let mut post = Post::from_text(text);
        assert_eq!(
            post.text_or_map_key("image", "path").as_deref(),
            Some("/a.png")
        );
        assert!(post.set_map_path_text("image", "path", "/b c.png").unwrap());
        assert_eq!(post.to_text(), text.replace("'/a.png'", "'/b c.png'"));
        // A flow map cannot be edited in place: refused, nothing changes.
        let mut flow = Post::from_text("---\nimage: {path: /a.png, alt: A}\n---\n");
        assert!(flow.set_map_path_text("image", "path", "/b.png").is_err());
        assert_eq!(flow.to_text(), "---\nimage: {path: /a.png, alt: A}\n---\n");
    }
}
