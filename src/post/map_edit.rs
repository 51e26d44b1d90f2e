//! Value edits that keep every untouched byte: a new map value for a block map changes only
//! the sub-keys that changed (comments, quoting like `"#333"` and other sub-keys stay), a new
//! list reuses the old items' text, and everything else is rendered YAML-1.1-safe.

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use super::list_edit::ListSpans;
use super::scalar::{QuoteStyle, block_lines, flow_value, scalar_text};
use super::text::LineEnding;
use super::yaml_block::{Entry, NewValue, replace_value, segment};

/// The new text for `entry`'s value (or for a new key when `entry` is None) going from `old`
/// to `new`, touching as few bytes as the layout allows.
pub fn value_change(
    yaml: &str,
    entry: Option<&Entry>,
    old: Option<&Value>,
    new: &Value,
    eol: LineEnding,
) -> NewValue {
    if let (Some(e), Some(old)) = (entry, old) {
        match (old, new) {
            (Value::Mapping(om), Value::Mapping(nm))
                if e.has_block && e.inline_token_is_none() && !nm.is_empty() =>
            {
                if let Some((range, text)) = edit_block_map(yaml, e, om, nm, eol) {
                    return NewValue::Splice(range, text);
                }
            }
            (Value::Sequence(old_items), Value::Sequence(new_items)) if !new_items.is_empty() => {
                // Item by item when every new item is text or an old item unchanged.
                let reusable = new_items
                    .iter()
                    .all(|v| matches!(v, Value::String(_)) || old_items.contains(v));
                let texts: Option<Vec<String>> = new_items.iter().map(scalar_text).collect();
                if reusable
                    && let Some(texts) = texts
                    && let Some(spans) = ListSpans::find(yaml, e, old)
                    && let Some((range, text)) = spans.edit(yaml, &texts, eol.as_str())
                {
                    return NewValue::Splice(range, text);
                }
            }
            _ => {}
        }
    }
    let is_block = entry.is_some_and(|e| e.has_block && e.inline_token_is_none());
    let token = entry.and_then(|e| e.inline_token(yaml));
    let style = token.map_or(QuoteStyle::Plain, QuoteStyle::of_token);
    let is_flow_map = token.is_some_and(|t| t.starts_with('{'));
    let key_indent = entry.map_or(0, |e| indent_at(yaml, e.range.start));
    let child_indent = entry.filter(|_| is_block).map_or(key_indent + 2, |e| {
        first_block_indent(yaml, e).unwrap_or(key_indent + 2)
    });
    match new {
        Value::Null => NewValue::Empty,
        Value::Mapping(m) if !m.is_empty() && !is_flow_map => {
            NewValue::Block(block_lines(new, child_indent.max(key_indent + 1)))
        }
        Value::Sequence(s) if !s.is_empty() && is_block => {
            NewValue::Block(block_lines(new, child_indent.max(key_indent)))
        }
        other => NewValue::Inline(flow_value(other, style, false)),
    }
}

/// Number of spaces at `at`.
fn indent_at(yaml: &str, at: usize) -> usize {
    yaml.get(at..)
        .map_or(0, |rest| rest.len() - rest.trim_start_matches(' ').len())
}

/// Indentation of the first content line below the key line.
fn first_block_indent(yaml: &str, entry: &Entry) -> Option<usize> {
    yaml.get(entry.key_line_end..entry.value_end)?
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start_matches(' ').len())
}

/// The replacement that turns a block map value from `old` into `new` by editing, removing
/// and appending only the sub-keys that differ. None when the sub-keys' lines cannot be found
/// (then the caller rewrites the whole value).
pub fn edit_block_map(
    yaml: &str,
    entry: &Entry,
    old: &Mapping,
    new: &Mapping,
    eol: LineEnding,
) -> Option<(Range<usize>, String)> {
    let block_start = yaml.get(entry.key_line_end..)?.find('\n')? + entry.key_line_end + 1;
    let region = block_start..entry.range.end;
    let sub = yaml.get(region.clone())?;
    let entries = segment(sub).ok()?;
    let first = entries.first()?;
    let indent = indent_at(sub, first.range.start);
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        // Merge keys and duplicates read differently from their lines: rewrite instead.
        if !seen.insert(&e.key) || e.key.as_str() == Some("<<") || !old.contains_key(&e.key) {
            return None;
        }
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for e in &entries {
        match new.get(&e.key) {
            None => edits.push((e.range.clone(), String::new())),
            Some(new_value) => {
                let old_value = old.get(&e.key)?;
                if old_value != new_value {
                    let change = value_change(sub, Some(e), Some(old_value), new_value, eol);
                    let replaced = replace_value(sub, e, &change, eol);
                    edits.push(diff_range(sub, &replaced));
                }
            }
        }
    }
    let mut appended = String::new();
    for (key, value) in new {
        if entries.iter().any(|e| &e.key == key) {
            continue;
        }
        let key_text = flow_value(key, QuoteStyle::Plain, false);
        appended.push_str(&" ".repeat(indent));
        appended.push_str(&key_text);
        appended.push(':');
        match value {
            Value::Mapping(m) if !m.is_empty() => {
                for line in block_lines(value, indent + 2) {
                    appended.push_str(eol.as_str());
                    appended.push_str(&line);
                }
            }
            Value::Null => {}
            other => {
                appended.push(' ');
                appended.push_str(&flow_value(other, QuoteStyle::Plain, false));
            }
        }
        appended.push_str(eol.as_str());
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = sub.to_string();
    if !appended.is_empty() {
        let insert_at = entries.last().map_or(out.len(), |e| e.range.end);
        let mut text = String::new();
        if !out.get(..insert_at).unwrap_or("").ends_with('\n') {
            text.push_str(eol.as_str());
        }
        text.push_str(&appended);
        edits.insert(0, (insert_at..insert_at, text));
    }
    for (range, text) in edits {
        out.get(range.clone())?;
        out.replace_range(range, &text);
    }
    Some((region, out))
}

/// The byte range of `before` that differs from `after`, with its replacement.
fn diff_range(before: &str, after: &str) -> (Range<usize>, String) {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let max_suffix = before.len().min(after.len()) - prefix;
    let suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    // Keep the range on character boundaries.
    let mut start = prefix;
    while start > 0 && !before.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = before.len() - suffix;
    while end < before.len() && !before.is_char_boundary(end) {
        end += 1;
    }
    let after_end = after.len() - (before.len() - end);
    (
        start..end,
        after.get(start..after_end).unwrap_or("").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_range_finds_the_changed_bytes() {
        assert_eq!(
            diff_range("a: 1\nb: 2\n", "a: 1\nb: 3\n"),
            (8..9, "3".into())
        );
        assert_eq!(diff_range("é1", "é2"), (2..3, "2".into()));
    }
}
