//! `KEY=VALUE` assignments (the command line's `set`) read through the field registry: a text
//! field gets the text typed, a boolean field a boolean, a list field a list, and `a.b=x`
//! edits inside a map — never a silent change of type.

use serde_yaml::Value;

use super::Post;
use super::date::PostDate;
use super::psych::{self, PlainKind};
use super::registry::{self, FieldKind};
use super::scalar::scalar_text;
use crate::error::{Error, Result};

/// Sets `key` from the text `raw` typed by the user. `as_string` takes `raw` as text whatever
/// the field. Returns whether the post changed.
pub fn assign(post: &mut Post, key: &str, raw: &str, as_string: bool) -> Result<bool> {
    let invalid = |reason: String| Error::InvalidValue {
        key: key.to_string(),
        reason,
    };
    if let Some((first, _)) = key.split_once('.')
        && post.get(key).is_none()
        && !first.is_empty()
    {
        let path: Vec<&str> = key.split('.').collect();
        if path.iter().any(|p| p.is_empty()) {
            return Err(invalid("a dotted key needs a name between each `.`".into()));
        }
        let value = if as_string {
            Value::String(raw.to_string())
        } else {
            read_value(key, raw)?
        };
        return post.set_nested(&path, &value);
    }
    let kind = registry::field(key).map(|f| f.kind);
    if as_string && kind != Some(FieldKind::Date) {
        return post.set_text(key, raw);
    }
    match kind {
        Some(FieldKind::Date) => {
            if raw.trim().is_empty() {
                return post.remove(key);
            }
            let text = match serde_yaml::from_str::<Value>(raw) {
                Ok(Value::String(s)) if !as_string => s,
                _ => raw.trim().to_string(),
            };
            post.set_date(&PostDate::parse(&text)?)
        }
        Some(FieldKind::Text) => post.set_text(key, &typed_text(raw)),
        Some(FieldKind::MapOrText) => match serde_yaml::from_str::<Value>(raw) {
            Ok(map @ Value::Mapping(_)) if raw.trim_start().starts_with('{') => {
                post.set_value(key, &map)
            }
            _ => post.set_text(key, &typed_text(raw)),
        },
        Some(FieldKind::Bool) => match read_bool(raw) {
            Some(b) => post.set_bool(key, b),
            None => Err(invalid(format!(
                "`{}` is not true or false (Jekyll hides a post only for `false`)",
                raw.trim()
            ))),
        },
        Some(FieldKind::List { .. }) => {
            let items: Vec<String> = match read_value(key, raw)? {
                Value::Sequence(items) => items
                    .iter()
                    .map(|v| {
                        scalar_text(v).ok_or_else(|| {
                            invalid("list items must be single words or text".into())
                        })
                    })
                    .collect::<Result<_>>()?,
                Value::Null => Vec::new(),
                Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
                other => scalar_text(&other).into_iter().collect(),
            };
            post.set_list(key, &items)
        }
        None => {
            let value = read_value(key, raw)?;
            post.set_value(key, &value)
        }
    }
}

/// The text a user meant for a text field: a quoted YAML string is its content
/// (`title="a: b"`), anything else is exactly what was typed (`2024`, `true`, `#1`, `1e3`,
/// `Breaking: news`), so nothing becomes a number, a boolean or null.
fn typed_text(raw: &str) -> String {
    let trimmed = raw.trim();
    let is_quoted = (trimmed.starts_with('"') && trimmed.ends_with('"') && trimmed.len() >= 2)
        || (trimmed.starts_with('\'') && trimmed.ends_with('\'') && trimmed.len() >= 2);
    if is_quoted && let Ok(Value::String(s)) = serde_yaml::from_str::<Value>(trimmed) {
        return s;
    }
    raw.to_string()
}

/// A boolean as Jekyll's YAML reader would take it: `true`/`false` and the YAML 1.1 words
/// `yes`/`no`/`on`/`off`, any case.
fn read_bool(raw: &str) -> Option<bool> {
    match psych::plain_kind(raw.trim()) {
        PlainKind::Bool(b) => Some(b),
        _ => None,
    }
}

/// `raw` read as YAML (`[a, b]`, `{path: x}`, `3`), with the typed text as a string when it
/// is not valid YAML but plainly meant as text.
fn read_value(key: &str, raw: &str) -> Result<Value> {
    match psych::load(raw) {
        Ok(Value::String(s)) => Ok(match psych::plain_kind(raw.trim()) {
            PlainKind::Bool(b) => Value::Bool(b),
            _ => Value::String(s),
        }),
        Ok(value) => Ok(value),
        Err(err) => Err(Error::InvalidValue {
            key: key.to_string(),
            reason: format!(
                "{} in the value typed (use --string to set it as text)",
                super::yaml_block::strip_positions(&err.to_string())
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, key: &str, raw: &str) -> Result<String> {
        let mut post = Post::from_text(text);
        assign(&mut post, key, raw, false)?;
        Ok(post.to_text())
    }

    #[test]
    fn text_fields_take_the_text_typed() {
        for typed in [
            "2024",
            "true",
            "#1",
            "1e3",
            "yes",
            "null",
            "~",
            "Breaking: news",
            "12:30:45",
            "0o17",
            "",
        ] {
            let out = set("---\ntitle: x\n---\n", "title", typed).unwrap();
            let post = Post::from_text(&out);
            assert_eq!(
                post.get("title"),
                Some(&Value::String(typed.into())),
                "{typed}: {out}"
            );
        }
        let out = set("---\ntitle: x\n---\n", "title", "\"quoted: yes\"").unwrap();
        assert_eq!(out, "---\ntitle: \"quoted: yes\"\n---\n");
    }

    #[test]
    fn published_takes_booleans_and_refuses_other_text() {
        assert_eq!(
            set("---\npublished: true\n---\n", "published", "no").unwrap(),
            "---\npublished: false\n---\n"
        );
        assert!(matches!(
            set("---\n---\n", "published", "maybe"),
            Err(Error::InvalidValue { .. })
        ));
    }

    #[test]
    fn dotted_keys_edit_inside_a_map_or_fail() {
        let text = "---\nauthor:\n  # who\n  name: \"A\"\n  url: x\n---\n";
        assert_eq!(
            set(text, "author.name", "B").unwrap(),
            "---\nauthor:\n  # who\n  name: \"B\"\n  url: x\n---\n"
        );
        assert_eq!(
            set("---\ntitle: t\n---\n", "author.name", "B").unwrap(),
            "---\ntitle: t\nauthor:\n  name: B\n---\n"
        );
        assert!(matches!(
            set("---\nauthor: Bob\n---\n", "author.name", "B"),
            Err(Error::InvalidValue { .. })
        ));
    }

    #[test]
    fn map_values_for_image_are_block_maps() {
        let out = set(
            "---\nimage: /old.png\n---\n",
            "image",
            "{path: /a.png, alt: x}",
        )
        .unwrap();
        assert_eq!(out, "---\nimage:\n  path: /a.png\n  alt: x\n---\n");
        let out = set("---\ntitle: t\n---\n", "image", "{path: /a.png, alt: yes}").unwrap();
        assert_eq!(
            out,
            "---\ntitle: t\nimage:\n  path: /a.png\n  alt: \"yes\"\n---\n"
        );
    }

    #[test]
    fn list_fields_take_lists_or_words() {
        assert_eq!(
            set("---\ntags: [a]\n---\n", "tags", "a b").unwrap(),
            "---\ntags: [a, b]\n---\n"
        );
        assert_eq!(
            set("---\ntags: [a]\n---\n", "tags", "[a, 'c d']").unwrap(),
            "---\ntags: [a, c d]\n---\n"
        );
    }
}
