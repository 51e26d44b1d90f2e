//! Item-level edits of a list value: adding, removing, renaming or moving one item rewrites
//! only that item's own text, so every other item keeps its quoting, spacing and comments.
//!
//! A list is read into item spans (block `- a` lines, flow `[a, b]` tokens, or the words of a
//! space-separated string); an edit is planned against the old items (which new item reuses
//! which old bytes) and only the items without old bytes are rendered.

use std::ops::Range;

use serde_yaml::Value;

use super::psych;
use super::scalar::{QuoteStyle, is_plain_safe, scalar_text, string_scalar};
use super::text::strip_eol;
use super::yaml_block::{Entry, scan_token, skip_blanks};

/// One old list item and where its text is.
#[derive(Debug, Clone)]
struct Item {
    /// Whole lines of a block item (with their line ending), the token of a flow item, or the
    /// word of a space-separated string.
    chunk: Range<usize>,
    /// The scalar token inside `chunk` (equal to `chunk` for flow items and words).
    token: Range<usize>,
    /// The item as text (what the form shows and `set_list` compares).
    text: String,
}

/// How the items of a list sit in the text.
#[derive(Debug, Clone)]
enum Layout {
    /// `- a` lines below the key: `prefix` is the first item's `  - `.
    Block { prefix: String },
    /// `[a, b]`: `open` is the `[` offset, `close` the `]` offset.
    Flow { open: usize, close: usize },
    /// `a b c` inside a plain or simply quoted token.
    Words,
}

/// A list's items found in the text, ready to be edited item by item.
#[derive(Debug, Clone)]
pub struct ListSpans {
    layout: Layout,
    items: Vec<Item>,
    /// The bytes the edit may replace.
    region: Range<usize>,
}

/// Where a new list item's bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// An old item that stays where it was.
    Kept(usize),
    /// An old item moved to another place (its bytes move with it).
    Moved(usize),
    /// A new item, rendered.
    Fresh,
}

impl ListSpans {
    /// Finds the items of `entry`'s list value in `yaml`; None when the value is not a list
    /// of one-line scalars Byline can edit item by item (then the caller rewrites the value).
    /// `value` is the value as read, to cross-check the items found.
    pub fn find(yaml: &str, entry: &Entry, value: &Value) -> Option<ListSpans> {
        let spans = match (value, entry.inline_token(yaml)) {
            (Value::Sequence(_), Some(token)) if token.starts_with('[') => {
                flow_items(yaml, entry.value_start?, entry.value_end)?
            }
            (Value::Sequence(_), None) if entry.has_block => block_items(yaml, entry)?,
            (Value::String(_), Some(_)) => word_items(yaml, entry.value_start?, entry.value_end)?,
            _ => return None,
        };
        let expected: Vec<String> = match value {
            Value::Sequence(items) => items.iter().map(scalar_text).collect::<Option<_>>()?,
            Value::String(s) => s
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            _ => return None,
        };
        let found: Vec<&str> = spans.items.iter().map(|i| i.text.as_str()).collect();
        (found == expected).then_some(spans)
    }

    /// The items as text.
    pub fn texts(&self) -> Vec<String> {
        self.items.iter().map(|i| i.text.clone()).collect()
    }

    /// The replacement (a byte range of `yaml` and its new text) that turns the old items into
    /// `new`, reusing the exact bytes of every old item that is still there. None when the new
    /// items cannot be written in this layout (a word with a space in a space-separated string).
    pub fn edit(&self, yaml: &str, new: &[String], eol: &str) -> Option<(Range<usize>, String)> {
        let old: Vec<&str> = self.items.iter().map(|i| i.text.as_str()).collect();
        let sources = plan(&old, new);
        let fallback_style = self
            .items
            .iter()
            .map(|i| QuoteStyle::of_token(yaml.get(i.token.clone()).unwrap_or("")))
            .find(|s| *s != QuoteStyle::Plain)
            .unwrap_or(QuoteStyle::Double);
        let text = match &self.layout {
            Layout::Block { prefix } => {
                self.render_block(yaml, new, &sources, prefix, fallback_style, eol)
            }
            Layout::Flow { open, close } => {
                self.render_flow(yaml, new, &sources, *open, *close, fallback_style)
            }
            Layout::Words => self.render_words(yaml, new, &sources)?,
        };
        Some((self.region.clone(), text))
    }

    /// The text between old items `i` and `i + 1` (`fallback` when there is none).
    fn separator<'a>(&self, yaml: &'a str, i: usize, fallback: &'a str) -> &'a str {
        match (self.items.get(i), self.items.get(i + 1)) {
            (Some(a), Some(b)) => yaml.get(a.chunk.end..b.chunk.start).unwrap_or(fallback),
            _ => fallback,
        }
    }

    /// For each new item that has no old bytes, the quote style of the removed old item whose
    /// place it takes (a rename keeps the item's quoting), and that item's index.
    fn holes(&self, sources: &[Source]) -> Vec<Option<usize>> {
        let used: Vec<bool> = (0..self.items.len())
            .map(|i| {
                sources
                    .iter()
                    .any(|s| matches!(s, Source::Kept(k) | Source::Moved(k) if *k == i))
            })
            .collect();
        let mut result = vec![None; sources.len()];
        // Walk runs between kept items; pair the run's fresh items with the run's removed
        // old items, in order.
        let mut old_from = 0;
        let mut new_from = 0;
        let anchors: Vec<(usize, usize)> = sources
            .iter()
            .enumerate()
            .filter_map(|(j, s)| match s {
                Source::Kept(i) => Some((*i, j)),
                _ => None,
            })
            .chain(std::iter::once((self.items.len(), sources.len())))
            .collect();
        for (old_to, new_to) in anchors {
            let mut removed = (old_from..old_to).filter(|i| !used.get(*i).copied().unwrap_or(true));
            for j in new_from..new_to {
                if sources.get(j) == Some(&Source::Fresh)
                    && let Some(i) = removed.next()
                    && let Some(slot) = result.get_mut(j)
                {
                    *slot = Some(i);
                }
            }
            old_from = old_to + 1;
            new_from = new_to + 1;
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn render_block(
        &self,
        yaml: &str,
        new: &[String],
        sources: &[Source],
        prefix: &str,
        fallback_style: QuoteStyle,
        eol: &str,
    ) -> String {
        let holes = self.holes(sources);
        // Where each new item is written: before old item `i`'s place (`At(i)`), replacing a
        // removed item (`In(i)`), or after the last old item.
        let mut at_hole: Vec<Vec<usize>> = vec![Vec::new(); self.items.len()];
        let mut before_kept: Vec<Vec<usize>> = vec![Vec::new(); self.items.len() + 1];
        let mut pending: Vec<usize> = Vec::new();
        let mut last_kept: Option<usize> = None;
        for (j, source) in sources.iter().enumerate() {
            match source {
                Source::Kept(i) => {
                    // Items waiting since the previous kept item go right after it (or before
                    // this one when there is none), unless they took a removed item's place.
                    let slot = last_kept.map_or(*i, |k| k + 1);
                    if let Some(list) = before_kept.get_mut(slot) {
                        list.append(&mut pending);
                    }
                    last_kept = Some(*i);
                }
                _ => match holes.get(j).copied().flatten() {
                    Some(i) => {
                        // Earlier waiting items keep their order: they go with this one.
                        if let Some(list) = at_hole.get_mut(i) {
                            list.append(&mut pending);
                            list.push(j);
                        }
                    }
                    None => pending.push(j),
                },
            }
        }
        let tail_slot = last_kept.map_or(self.items.len(), |k| k + 1);
        if let Some(list) = before_kept.get_mut(tail_slot) {
            list.append(&mut pending);
        }
        let mut out = String::new();
        let mut cursor = self.region.start;
        let emit_new = |out: &mut String, j: usize| {
            ensure_line_end(out, eol);
            match sources.get(j) {
                Some(Source::Moved(i)) | Some(Source::Kept(i)) => {
                    if let Some(item) = self.items.get(*i) {
                        out.push_str(yaml.get(item.chunk.clone()).unwrap_or(""));
                    }
                }
                _ => {
                    let text = new.get(j).map_or("", String::as_str);
                    out.push_str(prefix);
                    out.push_str(&render_item(text, QuoteStyle::Plain, fallback_style, false));
                    out.push_str(eol);
                }
            }
        };
        for (i, item) in self.items.iter().enumerate() {
            // The gap (comment and blank lines) before each old item always stays.
            let gap_end = item.chunk.start;
            let placed_after_previous = before_kept.get(i).filter(|_| i > 0);
            if let Some(list) = placed_after_previous {
                for &j in list {
                    emit_new(&mut out, j);
                }
            }
            out.push_str(yaml.get(cursor..gap_end).unwrap_or(""));
            if i == 0
                && let Some(list) = before_kept.first()
            {
                for &j in list {
                    emit_new(&mut out, j);
                }
            }
            let kept = sources.contains(&Source::Kept(i));
            if kept {
                ensure_line_end(&mut out, eol);
                out.push_str(yaml.get(item.chunk.clone()).unwrap_or(""));
            } else if let Some(list) = at_hole.get(i) {
                for &j in list {
                    if holes.get(j).copied().flatten() == Some(i) {
                        // A rename in place: only the token changes; the dash, spacing and a
                        // trailing comment stay.
                        let style =
                            QuoteStyle::of_token(yaml.get(item.token.clone()).unwrap_or(""));
                        let text = new.get(j).map_or("", String::as_str);
                        ensure_line_end(&mut out, eol);
                        out.push_str(yaml.get(item.chunk.start..item.token.start).unwrap_or(""));
                        out.push_str(&render_item(text, style, fallback_style, false));
                        out.push_str(yaml.get(item.token.end..item.chunk.end).unwrap_or(""));
                    } else {
                        emit_new(&mut out, j);
                    }
                }
            }
            cursor = item.chunk.end;
        }
        if let Some(list) = before_kept.get(self.items.len()) {
            for &j in list {
                emit_new(&mut out, j);
            }
        }
        out.push_str(yaml.get(cursor..self.region.end).unwrap_or(""));
        // The region ended without a line ending only when the YAML did; keep it that way.
        if !yaml.get(..self.region.end).unwrap_or("").ends_with('\n') && out.ends_with('\n') {
            let trimmed = out.trim_end_matches(['\r', '\n']).len();
            out.truncate(trimmed);
        }
        out
    }

    fn render_flow(
        &self,
        yaml: &str,
        new: &[String],
        sources: &[Source],
        open: usize,
        close: usize,
        fallback_style: QuoteStyle,
    ) -> String {
        if new.is_empty() {
            return "[]".to_string();
        }
        let holes = self.holes(sources);
        let n = self.items.len();
        let separator = |i: usize| self.separator(yaml, i, ", ");
        let default_sep = if n >= 2 { separator(n - 2) } else { ", " };
        let (lead, trail) = match (self.items.first(), self.items.last()) {
            (Some(first), Some(last)) => (
                yaml.get(open + 1..first.chunk.start).unwrap_or(""),
                yaml.get(last.chunk.end..close).unwrap_or(""),
            ),
            _ => ("", ""),
        };
        let old_index = |s: &Source| match s {
            Source::Kept(i) | Source::Moved(i) => Some(*i),
            Source::Fresh => None,
        };
        let mut out = String::from("[");
        out.push_str(lead);
        let mut previous: Option<&Source> = None;
        for (j, source) in sources.iter().enumerate() {
            if let Some(prev) = previous {
                let sep = match (
                    old_index(prev),
                    old_index(source),
                    holes.get(j).copied().flatten(),
                ) {
                    (_, Some(b), _) if b > 0 => separator(b - 1),
                    (_, None, Some(h)) if h > 0 => separator(h - 1),
                    (Some(a), _, _) if a + 1 < n => separator(a),
                    _ => default_sep,
                };
                out.push_str(sep);
            }
            match old_index(source) {
                Some(i) => out.push_str(
                    self.items
                        .get(i)
                        .and_then(|item| yaml.get(item.chunk.clone()))
                        .unwrap_or(""),
                ),
                None => {
                    let style = holes
                        .get(j)
                        .copied()
                        .flatten()
                        .and_then(|h| self.items.get(h))
                        .map_or(QuoteStyle::Plain, |item| {
                            QuoteStyle::of_token(yaml.get(item.token.clone()).unwrap_or(""))
                        });
                    let text = new.get(j).map_or("", String::as_str);
                    out.push_str(&render_item(text, style, fallback_style, true));
                }
            }
            previous = Some(source);
        }
        out.push_str(trail);
        out.push(']');
        out
    }

    fn render_words(&self, yaml: &str, new: &[String], sources: &[Source]) -> Option<String> {
        if new
            .iter()
            .any(|w| w.is_empty() || w.contains(char::is_whitespace))
        {
            return None;
        }
        let token = yaml.get(self.region.clone())?;
        let quote = QuoteStyle::of_token(token);
        let n = self.items.len();
        let separator = |i: usize| self.separator(yaml, i, " ");
        let (lead, trail) = match (self.items.first(), self.items.last()) {
            (Some(first), Some(last)) => (
                yaml.get(self.region.start..first.chunk.start).unwrap_or(""),
                yaml.get(last.chunk.end..self.region.end).unwrap_or(""),
            ),
            _ => return None,
        };
        let mut out = String::from(lead);
        let mut previous: Option<Source> = None;
        for (j, source) in sources.iter().enumerate() {
            let index = match source {
                Source::Kept(i) | Source::Moved(i) => Some(*i),
                Source::Fresh => None,
            };
            if let Some(prev) = previous {
                let prev_index = match prev {
                    Source::Kept(i) | Source::Moved(i) => Some(i),
                    Source::Fresh => None,
                };
                out.push_str(match (prev_index, index) {
                    (_, Some(b)) if b > 0 => separator(b - 1),
                    (Some(a), _) if a + 1 < n => separator(a),
                    _ => " ",
                });
            }
            match index {
                Some(i) => out.push_str(
                    self.items
                        .get(i)
                        .and_then(|it| yaml.get(it.chunk.clone()))?,
                ),
                None => out.push_str(new.get(j)?),
            }
            previous = Some(*source);
        }
        out.push_str(trail);
        // The new token must still read as one string of exactly the new words.
        let read = match quote {
            QuoteStyle::Plain if is_plain_safe(&out, false) => Some(out.clone()),
            QuoteStyle::Plain => None,
            _ => psych::parse_scalar_token(&out),
        }?;
        let words: Vec<&str> = read.split(' ').filter(|w| !w.is_empty()).collect();
        (words == new).then_some(out)
    }
}

/// A new item's text: plain when YAML reads it back as the same string, else quoted in the
/// item's own style (a rename) or the list's usual quoting.
fn render_item(text: &str, style: QuoteStyle, fallback: QuoteStyle, in_flow: bool) -> String {
    match style {
        QuoteStyle::Plain if is_plain_safe(text, in_flow) => text.to_string(),
        QuoteStyle::Plain => string_scalar(text, fallback, in_flow),
        quoted => string_scalar(text, quoted, in_flow),
    }
}

fn ensure_line_end(out: &mut String, eol: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
}

/// Which old item each new item reuses: equal texts are matched in order, and the longest run
/// of matched items that keeps its old order stays in place; the others move.
fn plan(old: &[&str], new: &[String]) -> Vec<Source> {
    let mut used = vec![false; old.len()];
    let matched: Vec<Option<usize>> = new
        .iter()
        .map(|text| {
            let found = old
                .iter()
                .enumerate()
                .position(|(i, o)| !used.get(i).copied().unwrap_or(true) && o == text);
            if let Some(i) = found
                && let Some(flag) = used.get_mut(i)
            {
                *flag = true;
            }
            found
        })
        .collect();
    let stay = longest_increasing(&matched);
    matched
        .iter()
        .enumerate()
        .map(|(j, m)| match m {
            Some(i) if stay.get(j).copied().unwrap_or(false) => Source::Kept(*i),
            Some(i) => Source::Moved(*i),
            None => Source::Fresh,
        })
        .collect()
}

/// Marks the positions of a longest strictly increasing subsequence of the `Some` values
/// (patience sorting, O(n log n)).
fn longest_increasing(values: &[Option<usize>]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // positions in `values`
    let mut parent: Vec<Option<usize>> = vec![None; values.len()];
    for (pos, value) in values.iter().enumerate() {
        let Some(v) = *value else { continue };
        let at =
            tails.partition_point(|&t| values.get(t).copied().flatten().is_some_and(|tv| tv < v));
        if at > 0
            && let Some(slot) = parent.get_mut(pos)
        {
            *slot = tails.get(at - 1).copied();
        }
        if at == tails.len() {
            tails.push(pos);
        } else if let Some(slot) = tails.get_mut(at) {
            *slot = pos;
        }
    }
    let mut marks = vec![false; values.len()];
    let mut cursor = tails.last().copied();
    while let Some(pos) = cursor {
        if let Some(mark) = marks.get_mut(pos) {
            *mark = true;
        }
        cursor = parent.get(pos).copied().flatten();
    }
    marks
}

/// The items of a block list: one `- scalar` line each (comments after them allowed), with
/// comment and blank lines between items.
fn block_items(yaml: &str, entry: &Entry) -> Option<ListSpans> {
    let block_start = yaml.get(entry.key_line_end..)?.find('\n')? + entry.key_line_end + 1;
    let region = block_start..entry.range.end;
    let mut items = Vec::new();
    let mut prefix: Option<String> = None;
    let mut dash_indent = 0;
    let mut at = block_start;
    while at < region.end {
        let rest = yaml.get(at..region.end)?;
        let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest.get(..line_len)?;
        let content = strip_eol(line);
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            at += line_len;
            continue;
        }
        if !(trimmed.starts_with("- ") || trimmed == "-") {
            return None;
        }
        if prefix.is_none() {
            dash_indent = indent;
            let after_dash = trimmed.get(1..)?;
            let spaces = after_dash.len() - after_dash.trim_start_matches(' ').len();
            prefix = Some(format!(
                "{}-{}",
                " ".repeat(indent),
                " ".repeat(spaces.max(1))
            ));
        } else if indent != dash_indent {
            return None;
        }
        let content_end = at + content.len();
        let token_start = skip_blanks(yaml, at + indent + 1, content_end);
        if token_start >= content_end
            || matches!(
                yaml.as_bytes().get(token_start),
                Some(b'#' | b'&' | b'!' | b'*' | b'|' | b'>' | b'-' | b'?')
            )
        {
            return None;
        }
        let token_end = scan_token(yaml, token_start, content_end)?;
        if token_end > content_end {
            return None;
        }
        let after = yaml.get(token_end..content_end)?;
        let after_trimmed = after.trim_start_matches([' ', '\t']);
        if !(after_trimmed.is_empty()
            || (after_trimmed.starts_with('#') && after.len() > after_trimmed.len()))
        {
            return None;
        }
        let token = yaml.get(token_start..token_end)?;
        let text = psych::parse_scalar_token(token)?;
        items.push(Item {
            chunk: at..at + line_len,
            token: token_start..token_end,
            text,
        });
        at += line_len;
    }
    Some(ListSpans {
        layout: Layout::Block { prefix: prefix? },
        items,
        region,
    })
}

/// The items of a flow list `[a, 'b', "c"]`, possibly over several lines with comments.
fn flow_items(yaml: &str, open: usize, close_end: usize) -> Option<ListSpans> {
    let bytes = yaml.as_bytes();
    if bytes.get(open) != Some(&b'[') {
        return None;
    }
    let close = close_end.checked_sub(1)?;
    if bytes.get(close) != Some(&b']') {
        return None;
    }
    let skip_trivia = |mut i: usize| {
        loop {
            match bytes.get(i) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
                Some(b'#')
                    if matches!(bytes.get(i.wrapping_sub(1)), Some(b' ' | b'\t' | b'\n')) =>
                {
                    while bytes.get(i).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                _ => return i,
            }
        }
    };
    let mut items = Vec::new();
    let mut i = skip_trivia(open + 1);
    while i < close {
        let start = i;
        let end = match *bytes.get(i)? {
            b'"' | b'\'' => scan_token(yaml, i, close)?,
            b'[' | b'{' | b'&' | b'*' | b'!' | b'?' | b',' => return None,
            _ => {
                let mut e = i;
                while e < close {
                    match *bytes.get(e)? {
                        b',' | b']' | b'[' | b'{' | b'}' | b'\n' | b'\r' => break,
                        b'#' if matches!(bytes.get(e.wrapping_sub(1)), Some(b' ' | b'\t')) => break,
                        _ => e += 1,
                    }
                }
                while e > i && matches!(bytes.get(e - 1), Some(b' ' | b'\t')) {
                    e -= 1;
                }
                e
            }
        };
        if end > close || end == start {
            return None;
        }
        let token = yaml.get(start..end)?;
        let text = psych::parse_scalar_token(token)?;
        items.push(Item {
            chunk: start..end,
            token: start..end,
            text,
        });
        i = skip_trivia(end);
        match bytes.get(i) {
            Some(b',') => i = skip_trivia(i + 1),
            Some(b']') if i == close => {}
            _ => return None,
        }
    }
    Some(ListSpans {
        layout: Layout::Flow { open, close },
        items,
        region: open..close_end,
    })
}

/// The words of a space-separated string value (`tags: a b c`), inside a plain token or a
/// quoted one without escapes.
fn word_items(yaml: &str, start: usize, end: usize) -> Option<ListSpans> {
    let token = yaml.get(start..end)?;
    let (inner_start, inner_end) = match token.as_bytes().first()? {
        b'"' if !token.contains('\\') => (start + 1, end - 1),
        b'\'' if !token.get(1..token.len().saturating_sub(1))?.contains('\'') => {
            (start + 1, end - 1)
        }
        b'"' | b'\'' => return None,
        _ => (start, end),
    };
    let inner = yaml.get(inner_start..inner_end)?;
    if inner.contains(['\n', '\t', '\r']) {
        return None;
    }
    let mut items = Vec::new();
    let mut offset = 0;
    for word in inner.split(' ') {
        if !word.is_empty() {
            let at = inner_start + offset;
            items.push(Item {
                chunk: at..at + word.len(),
                token: at..at + word.len(),
                text: word.to_string(),
            });
        }
        offset += word.len() + 1;
    }
    if items.is_empty() {
        return None;
    }
    Some(ListSpans {
        layout: Layout::Words,
        items,
        region: start..end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_keeps_in_order_items_and_moves_the_rest() {
        let old = ["a", "b", "c"];
        let new: Vec<String> = ["c", "a", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            plan(&old, &new),
            vec![Source::Moved(2), Source::Kept(0), Source::Kept(1)]
        );
        let new: Vec<String> = ["a", "x", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            plan(&old, &new),
            vec![Source::Kept(0), Source::Fresh, Source::Kept(2)]
        );
    }
}
