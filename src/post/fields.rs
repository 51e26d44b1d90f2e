//! Typed reads and surgical writes of front-matter fields: each write changes only the lines of
//! its own entry, and is verified by reading the result back before it is accepted.

use serde_yaml::{Mapping, Value};

use super::Post;
use super::date::PostDate;
use super::list_edit::ListSpans;
use super::map_edit;
use super::registry::{self, FieldKind};
use super::scalar::{QuoteStyle, flow_value, scalar_text, string_scalar};
use super::yaml_block::{self, Block, Entry, NewValue};
use crate::error::{Error, Result};

/// How a list field is written in the file, so an edit keeps that form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `tags: [a, b]`
    Flow,
    /// `tags:` then `  - a` lines.
    Block,
    /// `tags: a b` (Jekyll splits on spaces).
    SpaceSeparated,
}

impl Post {
    /// A scalar field as text (numbers and booleans as written; None when absent or not a
    /// scalar).
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_text)
    }

    /// A map-or-text field as one text: its `sub` key when it is a map (`image: {path: …}`
    /// gives the path), else its text. The form and the preview show an image this way.
    pub fn text_or_map_key(&self, key: &str, sub: &str) -> Option<String> {
        match self.get(key)? {
            Value::Mapping(map) => map.get(sub).and_then(scalar_text),
            other => scalar_text(other),
        }
    }

    /// A list field's items (`[a, b]`, a block list, or Jekyll's space-separated string).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Value::Sequence(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            Some(other) => scalar_text(other)
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        }
    }

    /// A boolean field; None when absent or not a real boolean (the string `"false"` does not
    /// hide a post in Jekyll, so it is not reported as `false` here).
    /// `published: no` is a boolean here, as in Jekyll (Psych reads YAML 1.1 words).
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }

    /// The `date` field, parsed; None when absent.
    pub fn date(&self) -> Option<Result<PostDate>> {
        let value = self.get("date")?;
        let text = scalar_text(value)?;
        if text.is_empty() {
            return None;
        }
        Some(PostDate::parse(&text))
    }

    /// How a list field is written now (flow for a key that is absent).
    pub fn list_style(&self, key: &str) -> ListStyle {
        match (self.get(key), self.entry_info(key)) {
            (Some(Value::String(_)), _) => ListStyle::SpaceSeparated,
            (_, Some((entry, _))) if entry.has_block && entry.inline_token_is_none() => {
                ListStyle::Block
            }
            _ => ListStyle::Flow,
        }
    }

    /// Sets a text field, keeping its quote style; an unchanged value changes nothing.
    pub fn set_text(&mut self, key: &str, value: &str) -> Result<bool> {
        let expected = Value::String(value.to_string());
        if self.get(key) == Some(&expected) {
            return Ok(false);
        }
        let eol = self.line_ending();
        self.edit(key, Some(expected), |entry, yaml| {
            let token = entry.and_then(|e| e.inline_token(yaml));
            if let Some(header) = token.filter(|t| t.starts_with(['|', '>']))
                && let Some(text) = block_scalar(value, header, entry, yaml, eol.as_str())
            {
                return NewValue::Inline(text);
            }
            let style = token.map_or_else(|| registry::new_value_style(key), QuoteStyle::of_token);
            NewValue::Inline(string_scalar(value, style, false))
        })
    }

    /// Sets a boolean field (`published`), keeping the file's capitalisation of booleans.
    pub fn set_bool(&mut self, key: &str, value: bool) -> Result<bool> {
        if self.bool(key) == Some(value) {
            return Ok(false);
        }
        self.edit(key, Some(Value::Bool(value)), |entry, yaml| {
            let capitalised = entry
                .and_then(|e| e.inline_token(yaml))
                .is_some_and(|t| t.starts_with(['T', 'F']));
            let text = match (value, capitalised) {
                (true, false) => "true",
                (false, false) => "false",
                (true, true) => "True",
                (false, true) => "False",
            };
            NewValue::Inline(text.to_string())
        })
    }

    /// Sets the date, written as `date.to_text()` in the field's quote style.
    pub fn set_date(&mut self, date: &PostDate) -> Result<bool> {
        let text = date.to_text();
        if self.text("date").as_deref() == Some(text.as_str()) {
            return Ok(false);
        }
        self.edit("date", Some(Value::String(text.clone())), |entry, yaml| {
            let style = entry
                .and_then(|e| e.inline_token(yaml))
                .map_or(QuoteStyle::Plain, QuoteStyle::of_token);
            NewValue::Inline(match style {
                QuoteStyle::Plain => text.clone(),
                other => string_scalar(&text, other, false),
            })
        })
    }

    /// Writes `token` as the `date` value exactly as given (quotes included): the site's
    /// one-click date fixes (quote it, add the offset) compute the text themselves.
    pub fn set_date_token(&mut self, token: &str) -> Result<bool> {
        let expected: Value =
            serde_yaml::from_str(token).map_err(|e| crate::error::Error::Edit {
                key: "date".into(),
                reason: format!("`{token}` is not a YAML value: {e}"),
            })?;
        let current = self
            .front_matter()
            .and_then(|f| Some((f.block().ok()?.entry("date")?.clone(), f.yaml())))
            .and_then(|(entry, yaml)| entry.inline_token(yaml).map(str::to_string));
        if current.as_deref() == Some(token) {
            return Ok(false);
        }
        self.edit("date", Some(expected), |_, _| {
            NewValue::Inline(token.to_string())
        })
    }

    /// Sets a list field, keeping its form (flow, block or space-separated), its item quoting
    /// and the exact value of items that did not change.
    pub fn set_list(&mut self, key: &str, items: &[String]) -> Result<bool> {
        if self.get(key).is_some() && self.list(key) == items {
            return Ok(false);
        }
        if let Some(changed) = self.set_list_items(key, items) {
            return Ok(changed);
        }
        let style = self.list_style(key);
        let old_items: Vec<Value> = match self.get(key) {
            Some(Value::Sequence(seq)) => seq.clone(),
            _ => Vec::new(),
        };
        let values: Vec<Value> = items
            .iter()
            .map(|item| {
                old_items
                    .iter()
                    .find(|old| scalar_text(old).as_deref() == Some(item.as_str()))
                    .cloned()
                    .unwrap_or_else(|| Value::String(item.clone()))
            })
            .collect();
        let joinable = items
            .iter()
            .all(|i| !i.is_empty() && !i.contains(char::is_whitespace));
        if style == ListStyle::SpaceSeparated && joinable && !items.is_empty() {
            let joined = items.join(" ");
            return self.edit(key, Some(Value::String(joined.clone())), |entry, yaml| {
                let token_style = entry
                    .and_then(|e| e.inline_token(yaml))
                    .map_or(QuoteStyle::Plain, QuoteStyle::of_token);
                NewValue::Inline(string_scalar(&joined, token_style, false))
            });
        }
        let expected = Value::Sequence(values.clone());
        self.edit(key, Some(expected), |entry, yaml| {
            let item_style = entry.map_or(QuoteStyle::Plain, |e| first_item_style(e, yaml));
            if style == ListStyle::Block && !values.is_empty() {
                let prefix =
                    entry.map_or_else(|| "  - ".to_string(), |e| block_item_prefix(e, yaml));
                let lines = values
                    .iter()
                    .map(|v| format!("{prefix}{}", flow_value(v, item_style, false)))
                    .collect();
                return NewValue::Block(lines);
            }
            let spaced = entry
                .and_then(|e| e.inline_token(yaml))
                .is_some_and(|t| t.starts_with("[ "));
            let rendered: Vec<String> = values
                .iter()
                .map(|v| flow_value(v, item_style, true))
                .collect();
            let inner = rendered.join(", ");
            NewValue::Inline(if spaced && !inner.is_empty() {
                format!("[ {inner} ]")
            } else {
                format!("[{inner}]")
            })
        })
    }

    /// Sets any key to any YAML value (the command line's `set KEY=VALUE`), keeping the
    /// field's quote and list style where the new value allows.
    pub fn set_value(&mut self, key: &str, value: &Value) -> Result<bool> {
        if self.get(key) == Some(value) {
            return Ok(false);
        }
        match value {
            Value::String(s) => return self.set_text(key, s),
            Value::Bool(b) => return self.set_bool(key, *b),
            Value::Sequence(items) if items.iter().all(|v| matches!(v, Value::String(_))) => {
                let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
                if self.list_style(key) != ListStyle::SpaceSeparated {
                    return self.set_list(key, &texts);
                }
            }
            _ => {}
        }
        let old = self.get(key).cloned();
        let eol = self.line_ending();
        let value = value.clone();
        self.edit(key, Some(value.clone()), move |entry, yaml| {
            map_edit::value_change(yaml, entry, old.as_ref(), &value, eol)
        })
    }

    /// Sets `path` (`["author", "name"]`) inside a map value, editing only that sub-key's
    /// lines; a missing map is created. Refused when a value on the path is not a map.
    pub fn set_nested(&mut self, path: &[&str], value: &Value) -> Result<bool> {
        let Some((first, rest)) = path.split_first() else {
            return Ok(false);
        };
        if rest.is_empty() {
            return self.set_value(first, value);
        }
        let dotted = path.join(".");
        let mut root = match self.get(first) {
            None | Some(Value::Null) => Value::Mapping(Mapping::new()),
            Some(v @ Value::Mapping(_)) => v.clone(),
            Some(_) => {
                return Err(Error::InvalidValue {
                    key: dotted,
                    reason: format!(
                        "`{first}` is not a map; set `{first}` itself, or write it as a map first"
                    ),
                });
            }
        };
        let mut cursor = &mut root;
        for (i, part) in rest.iter().enumerate() {
            let Value::Mapping(map) = cursor else {
                return Err(Error::InvalidValue {
                    key: dotted,
                    reason: format!(
                        "`{}` is not a map",
                        path.get(..=i).unwrap_or(path).join(".")
                    ),
                });
            };
            let slot = map
                .entry(Value::String((*part).to_string()))
                .or_insert(Value::Null);
            if i + 1 == rest.len() {
                *slot = value.clone();
                break;
            }
            if slot.is_null() {
                *slot = Value::Mapping(Mapping::new());
            }
            cursor = slot;
        }
        self.set_value(first, &root)
    }

    /// Renames one item of a list field (`tags`, `categories`, or a space-separated string),
    /// touching only that item's own text; when `new` is already in the list, `old` is
    /// removed instead (merging the two). For a one-value text field (`category: x`) the
    /// value is renamed when it equals `old`. Returns false when `old` is not there.
    pub fn rename_list_item(&mut self, key: &str, old: &str, new: &str) -> Result<bool> {
        if old == new {
            return Ok(false);
        }
        let is_single_text = registry::field(key).is_some_and(|f| f.kind == FieldKind::Text)
            || matches!(self.get(key), Some(Value::String(s)) if registry::field(key).is_none() && s == old);
        if is_single_text {
            return if self.text(key).as_deref() == Some(old) {
                self.set_text(key, new)
            } else {
                Ok(false)
            };
        }
        let items = self.list(key);
        if !items.iter().any(|i| i == old) {
            return Ok(false);
        }
        let renamed: Vec<String> = if items.iter().any(|i| i == new) {
            items.into_iter().filter(|i| i != old).collect()
        } else {
            items
                .into_iter()
                .map(|i| if i == old { new.to_string() } else { i })
                .collect()
        };
        self.set_list(key, &renamed)
    }

    /// Adds `item` at the end of a list field unless it is there already.
    pub fn add_list_item(&mut self, key: &str, item: &str) -> Result<bool> {
        let mut items = self.list(key);
        if items.iter().any(|i| i == item) {
            return Ok(false);
        }
        items.push(item.to_string());
        self.set_list(key, &items)
    }

    /// Removes every copy of `item` from a list field.
    pub fn remove_list_item(&mut self, key: &str, item: &str) -> Result<bool> {
        let items = self.list(key);
        let kept: Vec<String> = items.iter().filter(|i| *i != item).cloned().collect();
        if kept.len() == items.len() {
            return Ok(false);
        }
        self.set_list(key, &kept)
    }

    /// The item-by-item list edit: None when the list's layout needs a whole rewrite.
    fn set_list_items(&mut self, key: &str, items: &[String]) -> Option<bool> {
        let old = self.get(key)?.clone();
        let (entry, yaml) = self.entry_info(key)?;
        let spans = ListSpans::find(yaml, entry, &old)?;
        let (range, text) = spans.edit(yaml, items, self.line_ending().as_str())?;
        let expected = match &old {
            Value::String(_) => Value::String(super::psych::parse_scalar_token(&text)?),
            Value::Sequence(old_items) => {
                let mut used = vec![false; old_items.len()];
                Value::Sequence(
                    items
                        .iter()
                        .map(|item| {
                            let found = old_items.iter().enumerate().position(|(i, v)| {
                                !used.get(i).copied().unwrap_or(true)
                                    && scalar_text(v).as_deref() == Some(item.as_str())
                            });
                            match found {
                                Some(i) => {
                                    if let Some(flag) = used.get_mut(i) {
                                        *flag = true;
                                    }
                                    old_items.get(i).cloned().unwrap_or(Value::Null)
                                }
                                None => Value::String(item.clone()),
                            }
                        })
                        .collect(),
                )
            }
            _ => return None,
        };
        self.edit(key, Some(expected), |_, _| NewValue::Splice(range, text))
            .ok()
    }

    /// Removes a key's lines; nothing else changes. Removing an absent key changes nothing.
    pub fn remove(&mut self, key: &str) -> Result<bool> {
        if self.get(key).is_none() {
            self.block()?;
            return Ok(false);
        }
        self.edit(key, None, |_, _| NewValue::Empty)
    }

    fn entry_info(&self, key: &str) -> Option<(&Entry, &str)> {
        let front = self.front_matter()?;
        let entry = front.block().ok()?.entry(key)?;
        Some((entry, front.yaml()))
    }

    /// Applies one entry edit, then reads the result back: the edited key must hold `expected`
    /// and every other key its old value, or the edit is refused and nothing changes.
    fn edit(
        &mut self,
        key: &str,
        expected: Option<Value>,
        render: impl FnOnce(Option<&Entry>, &str) -> NewValue,
    ) -> Result<bool> {
        let refuse = |reason: String| Error::Edit {
            key: key.to_string(),
            reason,
        };
        let empty = Block {
            mapping: Mapping::new(),
            entries: Ok(Vec::new()),
            duplicates: Vec::new(),
        };
        if self.front_matter().is_none() && self.is_toml_front_matter() {
            return Err(refuse(
                "the post has TOML front matter (+++), which Jekyll does not read; Byline edits YAML front matter only".into(),
            ));
        }
        let block = self.block()?.unwrap_or(&empty);
        let entries = block.entries.as_ref().map_err(|why| {
            refuse(format!(
                "Byline cannot find the lines of each key ({why}); edit it as raw YAML"
            ))
        })?;
        let yaml = self.front_matter_text().to_string();
        let eol = self.line_ending();
        let entry = block.entry(key);
        if entry.is_some_and(|e| entries.iter().filter(|other| other.key == e.key).count() > 1)
            && expected.is_none()
        {
            return Err(refuse(
                "the key is written more than once; remove the copies as raw YAML".into(),
            ));
        }
        let new_yaml = match (&expected, entry) {
            (None, Some(entry)) => yaml_block::remove_entry(&yaml, entry),
            (None, None) => return Ok(false),
            (Some(_), Some(entry)) => {
                yaml_block::replace_value(&yaml, entry, &render(Some(entry), &yaml), eol)
            }
            (Some(_), None) => {
                let key_text = string_scalar(key, QuoteStyle::Plain, false);
                let new = match render(None, &yaml) {
                    NewValue::Splice(..) => {
                        return Err(refuse("the key is not there to edit".into()));
                    }
                    other => other,
                };
                yaml_block::append_entry(&yaml, &key_text, &new, eol)
            }
        };
        let reread = Block::parse(&new_yaml, 2)
            .map_err(|e| refuse(format!("the new text would not parse: {e}")))?;
        let wanted = |k: &Value| {
            if k.as_str() == Some(key) {
                expected.clone()
            } else {
                block.mapping.get(k).cloned()
            }
        };
        let all_keys = block.mapping.keys().chain(reread.mapping.keys());
        for k in all_keys {
            let got = reread.mapping.get(k).cloned();
            if got != wanted(k) && !is_nan_pair(got.as_ref(), wanted(k).as_ref()) {
                return Err(refuse(format!(
                    "the edit would change how `{}` reads; edit it as raw YAML",
                    yaml_block::key_to_string(k)
                )));
            }
        }
        if expected.is_some() && reread.get(key).is_none() {
            return Err(refuse("the new value would not read back".into()));
        }
        self.replace_yaml(new_yaml);
        Ok(true)
    }
}

fn is_nan_pair(a: Option<&Value>, b: Option<&Value>) -> bool {
    matches!((a, b), (Some(Value::Number(x)), Some(Value::Number(y))) if x.is_nan() && y.is_nan())
}

impl Entry {
    /// True when the value has nothing but (optionally) anchors or tags on the key line.
    pub fn inline_token_is_none(&self) -> bool {
        self.value_start.is_none() || self.has_properties_only
    }
}

/// A block scalar (`|` or `>`) holding `value`, indented like the old one, with the chomping
/// indicator the value needs; None when the value cannot be written that way.
fn block_scalar(
    value: &str,
    header: &str,
    entry: Option<&Entry>,
    yaml: &str,
    eol: &str,
) -> Option<String> {
    let content = value.trim_end_matches('\n');
    let is_folded = header.starts_with('>');
    if content.is_empty()
        || content.starts_with([' ', '\t', '\n'])
        || content.chars().any(|c| c.is_control() && c != '\n')
        || content.lines().any(|l| l.ends_with([' ', '\t']))
        || (is_folded && content.contains('\n'))
    {
        return None;
    }
    let chomping = match value.len() - content.len() {
        0 => "-",
        1 => "",
        _ => return None,
    };
    let indent = entry.map_or(2, |e| block_indent(e, yaml)).max(1);
    let pad = " ".repeat(indent);
    let mut out = format!("{}{chomping}", if is_folded { '>' } else { '|' });
    for line in content.split('\n') {
        out.push_str(eol);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// Indentation of an entry's first continuation line.
fn block_indent(entry: &Entry, yaml: &str) -> usize {
    let block = yaml.get(entry.key_line_end..entry.value_end).unwrap_or("");
    block
        .lines()
        .find(|l| !l.trim().is_empty())
        .map_or(2, |l| l.len() - l.trim_start_matches(' ').len())
}

/// The `  - ` prefix of a block list's first item, so new items line up with the old.
fn block_item_prefix(entry: &Entry, yaml: &str) -> String {
    let block = yaml.get(entry.key_line_end..entry.value_end).unwrap_or("");
    block
        .lines()
        .map(str::trim_end)
        .find(|l| l.trim_start().starts_with('-'))
        .and_then(|l| {
            let dash = l.find('-')?;
            let after = l.get(dash + 1..)?;
            let spaces = after.len() - after.trim_start_matches(' ').len();
            Some(format!(
                "{}-{}",
                " ".repeat(dash),
                " ".repeat(spaces.max(1))
            ))
        })
        .unwrap_or_else(|| "  - ".to_string())
}

/// The quote style of a list's first item, so added items look like the others.
fn first_item_style(entry: &Entry, yaml: &str) -> QuoteStyle {
    let text = match entry.inline_token(yaml) {
        Some(token) => token.trim_start_matches(['[', ' ']),
        None => yaml
            .get(entry.key_line_end..entry.value_end)
            .unwrap_or("")
            .trim_start()
            .trim_start_matches('-')
            .trim_start(),
    };
    QuoteStyle::of_token(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "---\nlayout: post\ntitle: \"New: talks\"\ndate: 2025-11-30T23:24:20\nauthor: \"badely\"\ncategories: [News]\ntags: []\n# keep me\nimage: assets/images/e0066e0714f05083f642ac0efc87be23.jpg\n---\n\nBody text.\n";

    fn changed_lines(before: &str, after: &str) -> Vec<(usize, String)> {
        let a: Vec<&str> = before.lines().collect();
        let b: Vec<&str> = after.lines().collect();
        assert_eq!(a.len(), b.len(), "line count changed:\n{after}");
        a.iter()
            .zip(&b)
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .map(|(i, (_, y))| (i, y.to_string()))
            .collect()
    }

    #[test]
    fn set_title_changes_only_its_line_and_keeps_quotes() {
        let mut post = Post::from_text(SEED);
        assert!(post.set_text("title", "It's 2024: #1").unwrap());
        let out = post.to_text();
        assert_eq!(
            changed_lines(SEED, &out),
            vec![(2, "title: \"It's 2024: #1\"".to_string())]
        );
        assert_eq!(post.text("title").as_deref(), Some("It's 2024: #1"));
    }

    #[test]
    fn same_value_changes_nothing() {
        let mut post = Post::from_text(SEED);
        assert!(!post.set_text("title", "New: talks").unwrap());
        assert!(!post.set_list("categories", &["News".into()]).unwrap());
        assert_eq!(post.to_text(), SEED);
    }

    #[test]
    fn type_looking_titles_stay_strings() {
        for title in ["2024", "yes", "null", "Foo: bar", "#1", "it's", "true", "~"] {
            let mut post = Post::from_text("---\ntitle: x\n---\n");
            post.set_text("title", title).unwrap();
            let reread = Post::from_text(&post.to_text());
            assert_eq!(
                reread.get("title"),
                Some(&Value::String(title.into())),
                "{}",
                post.to_text()
            );
        }
        let mut post = Post::from_text("---\ntitle: x\n---\n");
        post.set_text("title", "it's").unwrap();
        assert_eq!(post.to_text(), "---\ntitle: it's\n---\n");
    }

    #[test]
    fn lists_keep_their_form() {
        let mut post = Post::from_text(SEED);
        post.set_list("tags", &["a".into(), "b c".into()]).unwrap();
        assert!(post.to_text().contains("\ntags: [a, b c]\n"));
        let text = "---\ntags:\n    - 'one'\n    - two\nx: 1\n---\n";
        let mut block = Post::from_text(text);
        block
            .set_list("tags", &["one".into(), "three".into()])
            .unwrap();
        assert_eq!(
            block.to_text(),
            "---\ntags:\n    - 'one'\n    - three\nx: 1\n---\n"
        );
        let mut spaced = Post::from_text("---\ntags: IE CSS\n---\n");
        spaced
            .set_list("tags", &["IE".into(), "HTML".into()])
            .unwrap();
        assert_eq!(spaced.to_text(), "---\ntags: IE HTML\n---\n");
    }

    #[test]
    fn add_and_remove_touch_one_line() {
        let mut post = Post::from_text(SEED);
        post.set_text("permalink", "/x/").unwrap();
        let out = post.to_text();
        assert_eq!(out, SEED.replace("jpg\n---", "jpg\npermalink: /x/\n---"));
        post.remove("permalink").unwrap();
        assert_eq!(post.to_text(), SEED);
        post.remove("tags").unwrap();
        assert_eq!(post.to_text(), SEED.replace("tags: []\n", ""));
    }

    #[test]
    fn date_edit_keeps_form() {
        let mut post = Post::from_text(SEED);
        let date = post.date().unwrap().unwrap();
        let moved = date.with_value(date.local + chrono::Duration::days(1), None);
        post.set_date(&moved).unwrap();
        assert!(post.to_text().contains("\ndate: 2025-12-01T23:24:20\n"));
    }

    #[test]
    fn edits_are_refused_while_yaml_is_broken() {
        let text = "---\ntitle: a\nbad: [\n---\nbody";
        let mut post = Post::from_text(text);
        assert!(matches!(
            post.set_text("title", "b"),
            Err(Error::FrontMatterInvalid { .. })
        ));
        assert_eq!(post.to_text(), text);
    }

    #[test]
    fn post_without_front_matter_gets_one() {
        let mut post = Post::from_text("Just a body\n");
        post.set_text("title", "Hello").unwrap();
        assert_eq!(post.to_text(), "---\ntitle: \"Hello\"\n---\nJust a body\n");
    }

    #[test]
    fn duplicate_key_edit_changes_the_last_one() {
        let text = "---\nhide: false\nx: 1\nhide: false\n---\n";
        let mut post = Post::from_text(text);
        post.set_bool("hide", true).unwrap();
        assert_eq!(post.to_text(), "---\nhide: false\nx: 1\nhide: true\n---\n");
    }

    #[test]
    fn block_scalar_excerpt_stays_a_block_scalar() {
        let text = "---\nexcerpt: >-\n  old text\n  here\nx: 1\n---\n";
        let mut post = Post::from_text(text);
        post.set_text("excerpt", "new text").unwrap();
        assert_eq!(post.to_text(), "---\nexcerpt: >-\n  new text\nx: 1\n---\n");
    }

    #[test]
    fn adding_a_tag_keeps_every_item_as_written() {
        // Issue 9.5: `- "2021"` and `- retrospective` must not be re-quoted.
        let text = "---\ntags:\n  - \"2021\"\n  - retrospective # mine\n  # between\n  - 'sq'\nx: 1\n---\n";
        let mut post = Post::from_text(text);
        assert!(post.add_list_item("tags", "new one").unwrap());
        assert_eq!(
            post.to_text(),
            "---\ntags:\n  - \"2021\"\n  - retrospective # mine\n  # between\n  - 'sq'\n  - new one\nx: 1\n---\n"
        );
        assert!(post.add_list_item("tags", "yes").unwrap());
        assert!(
            post.to_text().contains("  - \"yes\"\n"),
            "{}",
            post.to_text()
        );
    }

    #[test]
    fn flow_list_keeps_quotes_and_spacing() {
        // Issue 9.5: `[ruby,  'jekyll', "2021"]` keeps its quotes and spacing.
        let mut post = Post::from_text("---\ntags: [ruby,  'jekyll', \"2021\"]\n---\n");
        post.add_list_item("tags", "rust").unwrap();
        assert_eq!(
            post.to_text(),
            "---\ntags: [ruby,  'jekyll', \"2021\", rust]\n---\n"
        );
        post.remove_list_item("tags", "jekyll").unwrap();
        assert_eq!(post.to_text(), "---\ntags: [ruby,  \"2021\", rust]\n---\n");
    }

    #[test]
    fn removing_an_item_keeps_comments_of_the_others() {
        // Issue 10.4: `- b # note` and a full-line comment between items survive an edit.
        let text = "---\ntags:\n- a\n# full line\n- b # note\n- c\n---\n";
        let mut post = Post::from_text(text);
        post.remove_list_item("tags", "c").unwrap();
        assert_eq!(
            post.to_text(),
            "---\ntags:\n- a\n# full line\n- b # note\n---\n"
        );
        post.remove_list_item("tags", "a").unwrap();
        assert_eq!(post.to_text(), "---\ntags:\n# full line\n- b # note\n---\n");
    }

    #[test]
    fn rename_touches_only_the_item_and_merges_duplicates() {
        let text = "---\ntags:\n  - 'Old' # keep\n  - b\ncategories: [x,  Old, y]\nkeywords: a Old c\n---\n";
        let mut post = Post::from_text(text);
        assert!(post.rename_list_item("tags", "Old", "New").unwrap());
        assert!(post.rename_list_item("categories", "Old", "New").unwrap());
        assert!(post.rename_list_item("keywords", "Old", "New").unwrap());
        assert_eq!(
            post.to_text(),
            "---\ntags:\n  - 'New' # keep\n  - b\ncategories: [x,  New, y]\nkeywords: a New c\n---\n"
        );
        // Renaming onto an existing item merges the two.
        assert!(post.rename_list_item("tags", "b", "New").unwrap());
        assert_eq!(post.list("tags"), ["New"]);
        assert!(
            post.to_text()
                .starts_with("---\ntags:\n  - 'New' # keep\ncategories")
        );
        assert!(!post.rename_list_item("tags", "absent", "x").unwrap());
    }

    #[test]
    fn a_rename_followed_by_an_addition_keeps_the_new_order() {
        let text = "---\ntags:\n  - \"2021\"   # c3\n  # c4\n  - 'sq'\n  - plain\nx: 1\n---\n";
        let mut post = Post::from_text(text);
        let items: Vec<String> = ["2021", "sq", "new", "yes"].map(String::from).to_vec();
        post.set_list("tags", &items).unwrap();
        assert_eq!(
            post.to_text(),
            "---\ntags:\n  - \"2021\"   # c3\n  # c4\n  - 'sq'\n  - new\n  - \"yes\"\nx: 1\n---\n"
        );
        let mut flow = Post::from_text("---\ntags: [a,\n  b, # mid\n  c]\n---\n");
        flow.set_list("tags", &["a".into(), "c".into(), "d".into()])
            .unwrap();
        assert_eq!(flow.to_text(), "---\ntags: [a,\n  c, d]\n---\n");
    }

    #[test]
    fn space_separated_words_rename_in_place() {
        let mut post = Post::from_text("---\ntags: a  b c\n---\n");
        post.rename_list_item("tags", "b", "x").unwrap();
        assert_eq!(post.to_text(), "---\ntags: a  x c\n---\n");
    }

    #[test]
    fn editing_a_map_keeps_comments_and_quotes_of_other_sub_keys() {
        // Issue 10.4: `# hero` inside a block map and `"#333"` stay as written.
        let text =
            "---\nheader:\n  # hero\n  overlay_color: \"#333\"\n  overlay_image: /a.png\n---\n";
        let mut post = Post::from_text(text);
        let mut header = post.get("header").unwrap().as_mapping().unwrap().clone();
        header.insert("overlay_image".into(), "/b.png".into());
        header.insert("caption".into(), "yes".into());
        post.set_value("header", &Value::Mapping(header)).unwrap();
        assert_eq!(
            post.to_text(),
            "---\nheader:\n  # hero\n  overlay_color: \"#333\"\n  overlay_image: /b.png\n  caption: \"yes\"\n---\n"
        );
    }

    #[test]
    fn toml_front_matter_is_refused() {
        let text = "+++\ntitle = 'x'\n+++\nbody\n";
        let mut post = Post::from_text(text);
        assert!(matches!(
            post.set_text("title", "y"),
            Err(Error::Edit { .. })
        ));
        assert_eq!(post.to_text(), text);
    }

    #[test]
    fn published_no_reads_as_false_like_psych() {
        // ruby -ryaml: `published: no` → false (hides the post); `published: "no"` → "no".
        assert_eq!(
            Post::from_text("---\npublished: no\n---\n").bool("published"),
            Some(false)
        );
        assert_eq!(
            Post::from_text("---\npublished: On\n---\n").bool("published"),
            Some(true)
        );
        assert_eq!(
            Post::from_text("---\npublished: \"no\"\n---\n").bool("published"),
            None
        );
    }
}
