//! Maps a front-matter YAML block to the byte spans of its top-level entries, so edits can
//! replace exactly one entry's value and leave every other byte as it was.
//!
//! serde_yaml validates and reads values but forgets where they were; this module finds where
//! they are. The two are cross-checked on every parse: when the spans found here do not name
//! the same keys in the same order as serde_yaml reads, typed edits are refused rather than
//! guessed.

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use super::psych;
use super::text::{LineEnding, lines_with_offsets, strip_eol};
use crate::error::Error;

/// One top-level `key: value` entry and where its parts are in the YAML text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as YAML reads it (usually a string).
    pub key: Value,
    /// 0-based line of the key within the YAML block.
    pub line: usize,
    /// From the start of the key line to the end of the entry's last content line, including
    /// its line ending; comment and blank lines after the entry are not part of it.
    pub range: Range<usize>,
    /// Just after the `:` that ends the key.
    pub colon_end: usize,
    /// End of the key line's text (before its line ending).
    pub key_line_end: usize,
    /// Start of the value's first token on the key line (after spaces), if there is one;
    /// a key line with only anchors/tags or only a comment has a block value below or none.
    pub value_start: Option<usize>,
    /// True when the key line holds only anchors or tags (`key: &a`), with the value below.
    pub has_properties_only: bool,
    /// End of the value text: after the inline token, or the end of the last continuation line
    /// (before its line ending). Trailing comments on a one-line value are outside it.
    pub value_end: usize,
    /// True when indented or `- ` lines below the key line belong to the value.
    pub has_block: bool,
}

impl Entry {
    /// The key as text, for messages and lookups.
    pub fn key_text(&self) -> String {
        key_to_string(&self.key)
    }

    /// The inline value token, as written (with its quotes), when the value is on the key line.
    pub fn inline_token<'a>(&self, yaml: &'a str) -> Option<&'a str> {
        match self.value_start {
            Some(start) if !self.has_properties_only => yaml.get(start..self.value_end),
            _ => None,
        }
    }

    /// Lines that continue the value below the key line (block lists, nested maps, block scalars).
    pub fn block_text<'a>(&self, yaml: &'a str) -> Option<&'a str> {
        if self.has_block {
            yaml.get(self.key_line_end..self.value_end)
        } else {
            None
        }
    }
}

/// A key rendered as the text a user would type for it.
pub fn key_to_string(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

/// A parsed, validated front-matter block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The values as Jekyll reads them (for duplicate keys, the last one wins, as in Psych).
    pub mapping: Mapping,
    /// Entry spans, or why they could not be mapped (then typed edits are refused).
    pub entries: Result<Vec<Entry>, String>,
    /// Keys written more than once: (key, 1-based line of each occurrence within the block).
    pub duplicates: Vec<(String, Vec<usize>)>,
}

impl Block {
    /// Parses `yaml`, whose first line is line `first_line` (1-based) of the file, so errors
    /// point at the right line of the file.
    pub fn parse(yaml: &str, first_line: usize) -> Result<Block, Error> {
        let entries = segment(yaml);
        let duplicates = match &entries {
            Ok(entries) => find_duplicates(entries),
            Err(_) => Vec::new(),
        };
        // Psych keeps the last of duplicate keys at every level; so does this reader.
        let value = match serde_yaml::from_str::<psych::PsychValue>(yaml) {
            Ok(psych::PsychValue(value)) => value,
            Err(err) => {
                return Err(explain_unclosed(
                    yaml_error(&err, first_line),
                    yaml,
                    first_line,
                ));
            }
        };
        let raw = match value {
            Value::Mapping(mapping) => mapping,
            Value::Null => Mapping::new(),
            Value::Tagged(tagged) => match tagged.value {
                Value::Mapping(mapping) => mapping,
                other => return Err(not_a_map(&other, first_line)),
            },
            other => return Err(not_a_map(&other, first_line)),
        };
        let entries = entries.and_then(|entries| {
            // The last occurrence of each key, in file order, must be the keys read (linear:
            // one pass from the end with a set of keys seen).
            let mut seen = std::collections::HashSet::new();
            let mut last_keys: Vec<&Value> = entries
                .iter()
                .rev()
                .filter(|e| seen.insert(&e.key))
                .map(|e| &e.key)
                .collect();
            last_keys.reverse();
            // Psych: a later duplicate keeps the FIRST occurrence's place in the map.
            let mut first_order: Vec<&Value> = Vec::with_capacity(last_keys.len());
            let mut placed = std::collections::HashSet::new();
            for e in &entries {
                if placed.insert(&e.key) {
                    first_order.push(&e.key);
                }
            }
            let parsed_keys: Vec<&Value> = raw.keys().collect();
            if first_order == parsed_keys || last_keys == parsed_keys {
                Ok(entries)
            } else {
                Err("its layout is more complex than Byline's field editor handles".to_string())
            }
        });
        let mut mapping = Value::Mapping(raw);
        psych::apply_merges(&mut mapping);
        let mut mapping = match mapping {
            Value::Mapping(mapping) => mapping,
            _ => Mapping::new(),
        };
        if let Ok(entries) = &entries {
            read_yaml_1_1_booleans(&mut mapping, entries, yaml);
        }
        Ok(Block {
            mapping,
            entries,
            duplicates,
        })
    }

    /// The value of a top-level key, as Jekyll reads it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.mapping.get(key)
    }

    /// The span of the entry Jekyll uses for `key` (the last one, when the key is duplicated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries
            .as_ref()
            .ok()?
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }
}

/// Psych (YAML 1.1) reads a plain `yes`/`no`/`on`/`off` in any case as a boolean, where
/// serde_yaml reads a string: top-level values written that way read as Jekyll reads them
/// (`published: no` hides a post). Quoted values stay strings.
fn read_yaml_1_1_booleans(mapping: &mut Mapping, entries: &[Entry], yaml: &str) {
    for entry in entries {
        let Some(token) = entry.inline_token(yaml) else {
            continue;
        };
        if let psych::PlainKind::Bool(b) = psych::plain_kind(token)
            && let Some(value) = mapping.get_mut(&entry.key)
            && value.as_str() == Some(token)
        {
            *value = Value::Bool(b);
        }
    }
}

fn not_a_map(value: &Value, first_line: usize) -> Error {
    let found = match value {
        Value::Sequence(_) => "a list",
        Value::String(_) => "a single string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "not a map",
    };
    Error::NotAMap {
        line: first_line,
        found,
    }
}

/// Converts a serde_yaml error into one located in the file, not in the YAML block.
pub fn yaml_error(err: &serde_yaml::Error, first_line: usize) -> Error {
    let message = strip_positions(&err.to_string());
    let (line, column) = err
        .location()
        .map_or((first_line, 1), |l| (l.line() + first_line - 1, l.column()));
    Error::Yaml {
        line,
        column,
        message,
    }
}

/// Removes every `at line L column C` libyaml puts inside its messages: those count lines
/// inside the YAML text, not the file, and would contradict the file location shown beside
/// the message (`3:1: … at line 2 column 1`).
pub fn strip_positions(message: &str) -> String {
    const MARK: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + MARK.len()..).unwrap_or("");
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = after.get(digits..).unwrap_or("");
        if digits == 0 {
            out.push_str(MARK);
            rest = after;
            continue;
        }
        rest = match tail.strip_prefix(" column ") {
            Some(col) => col.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => tail,
        };
    }
    out.push_str(rest);
    out
}

/// libyaml reports an unclosed `[`, `{` or quote where the block ends, far from the cause;
/// point at the line where the unclosed value starts instead.
fn explain_unclosed(err: Error, yaml: &str, first_line: usize) -> Error {
    let Error::Yaml { line, .. } = &err else {
        return err;
    };
    let block_end_line = first_line + yaml.matches('\n').count();
    if *line < block_end_line {
        return err;
    }
    for (index, (start, text)) in lines_with_offsets(yaml).enumerate() {
        let content = strip_eol(text);
        if is_trivia(content) || indent_of(content) > 0 {
            continue;
        }
        let line_end = start + content.len();
        let Some((_, colon_end)) = parse_key(yaml, start, line_end) else {
            continue;
        };
        let at = skip_properties(yaml, skip_blanks(yaml, colon_end, line_end), line_end);
        let opener = byte_at(yaml, at);
        if matches!(opener, Some(b'"' | b'\'' | b'[' | b'{'))
            && scan_token(yaml, at, line_end).is_none()
        {
            let what = match opener {
                Some(b'[') => "this `[` list is never closed with `]`",
                Some(b'{') => "this `{` map is never closed with `}`",
                _ => "this quoted value is never closed",
            };
            return Error::Yaml {
                line: first_line + index,
                column: at - start + 1,
                message: what.to_string(),
            };
        }
    }
    err
}

fn find_duplicates(entries: &[Entry]) -> Vec<(String, Vec<usize>)> {
    let mut lines_of: std::collections::HashMap<&Value, Vec<usize>> =
        std::collections::HashMap::new();
    let mut order: Vec<&Value> = Vec::new();
    for entry in entries {
        let lines = lines_of.entry(&entry.key).or_default();
        if lines.is_empty() {
            order.push(&entry.key);
        }
        lines.push(entry.line + 1);
    }
    order
        .into_iter()
        .filter_map(|key| {
            let lines = lines_of.remove(key)?;
            (lines.len() > 1).then(|| (key_to_string(key), lines))
        })
        .collect()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_trivia(content: &str) -> bool {
    let trimmed = content.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || trimmed.starts_with('#')
}

fn is_sequence_item(trimmed: &str) -> bool {
    trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with("-\t")
}

/// Finds the top-level entries of a YAML block mapping. Fails (with a reason) on layouts it
/// does not understand: explicit `?` keys, flow mappings at the top, content before a key.
pub fn segment(yaml: &str) -> Result<Vec<Entry>, String> {
    let lines: Vec<(usize, &str)> = lines_with_offsets(yaml).collect();
    let base = lines
        .iter()
        .map(|(_, l)| strip_eol(l))
        .find(|l| !is_trivia(l))
        .map_or(0, indent_of);
    let mut entries: Vec<Entry> = Vec::new();
    let mut i = 0;
    while let Some(&(start, line)) = lines.get(i) {
        let content = strip_eol(line);
        let line_end = start + line.len();
        if is_trivia(content) {
            i += 1;
            continue;
        }
        let indent = indent_of(content);
        let trimmed = content.get(indent..).unwrap_or("");
        let current = entries.last_mut();
        if indent > base || (indent == base && is_sequence_item(trimmed)) {
            let Some(entry) = current else {
                return Err(format!("line {} is not a `key: value` line", i + 1));
            };
            let continues =
                indent > base || entry.value_start.is_none() || entry.has_properties_only;
            if !continues {
                return Err(format!("line {} continues a value unexpectedly", i + 1));
            }
            entry.has_block = true;
            entry.value_end = start + content.len();
            entry.range.end = line_end;
            i += 1;
            continue;
        }
        if indent < base {
            return Err(format!(
                "line {} is indented less than the keys above it",
                i + 1
            ));
        }
        let key_start = start + indent;
        let (key, colon_end) = parse_key(yaml, key_start, start + content.len())
            .ok_or_else(|| format!("line {} is not a `key: value` line", i + 1))?;
        let key_line_end = start + content.len();
        let mut entry = Entry {
            key,
            line: i,
            range: start..line_end,
            colon_end,
            key_line_end,
            value_start: None,
            has_properties_only: false,
            value_end: colon_end,
            has_block: false,
        };
        let after = skip_blanks(yaml, colon_end, key_line_end);
        if after < key_line_end && byte_at(yaml, after) != Some(b'#') {
            entry.value_start = Some(after);
            let token_start = skip_properties(yaml, after, key_line_end);
            if token_start >= key_line_end || byte_at(yaml, token_start) == Some(b'#') {
                entry.has_properties_only = true;
                entry.value_end = trim_end_at(yaml, after, token_start);
            } else {
                let token_end = scan_token(yaml, token_start, key_line_end)
                    .ok_or_else(|| format!("the value on line {} is never closed", i + 1))?;
                entry.value_end = token_end;
                if token_end > key_line_end {
                    // A quoted or flow value that spans lines: the entry runs to the line that
                    // closes it.
                    while let Some(&(s, l)) = lines.get(i + 1) {
                        if s >= token_end {
                            break;
                        }
                        i += 1;
                        entry.range.end = s + l.len();
                    }
                }
            }
        }
        entries.push(entry);
        i += 1;
    }
    Ok(entries)
}

fn byte_at(text: &str, at: usize) -> Option<u8> {
    text.as_bytes().get(at).copied()
}

/// Skips spaces and tabs from `at` up to `end`.
pub(crate) fn skip_blanks(text: &str, mut at: usize, end: usize) -> usize {
    while at < end && matches!(byte_at(text, at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

fn trim_end_at(text: &str, start: usize, mut end: usize) -> usize {
    while end > start && matches!(byte_at(text, end - 1), Some(b' ' | b'\t')) {
        end -= 1;
    }
    end
}

/// Skips `&anchor` and `!tag` properties before a value.
fn skip_properties(text: &str, mut at: usize, end: usize) -> usize {
    while matches!(byte_at(text, at), Some(b'&' | b'!')) {
        while at < end && !matches!(byte_at(text, at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at = skip_blanks(text, at, end);
    }
    at
}

/// Reads the key at `at` on a line ending at `end`; returns it and the offset after its `:`.
fn parse_key(text: &str, at: usize, end: usize) -> Option<(Value, usize)> {
    let first = byte_at(text, at)?;
    let key_end = match first {
        b'"' | b'\'' => {
            let close = scan_quoted(text, at, first)?;
            if close > end {
                return None;
            }
            close
        }
        b'?' | b'[' | b'{' | b'#' | b'-' | b'&' | b'*' | b'!' | b'|' | b'>' => {
            if first == b'-' && !matches!(byte_at(text, at + 1), Some(b' ' | b'\t') | None) {
                plain_key_end(text, at, end)?
            } else {
                return None;
            }
        }
        _ => plain_key_end(text, at, end)?,
    };
    let colon = skip_blanks(text, key_end, end);
    if byte_at(text, colon) != Some(b':') {
        return None;
    }
    let key_text = text.get(at..key_end)?.trim_end();
    let key = serde_yaml::from_str::<Value>(key_text).ok()?;
    Some((key, colon + 1))
}

/// End of a plain key: the first `:` followed by a blank or the end of the line.
fn plain_key_end(text: &str, at: usize, end: usize) -> Option<usize> {
    let line = text.get(at..end)?;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) {
            return Some(trim_end_at(text, at, at + i));
        }
        if b == b'#' && i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
            return None;
        }
    }
    None
}

/// End (exclusive) of the value token starting at `at`, possibly on a later line.
pub(crate) fn scan_token(text: &str, at: usize, line_end: usize) -> Option<usize> {
    match byte_at(text, at)? {
        quote @ (b'"' | b'\'') => scan_quoted(text, at, quote),
        b'[' | b'{' => scan_flow(text, at),
        _ => Some(plain_end(text, at, line_end)),
    }
}

/// End of a one-line plain (or block-scalar header, or alias) token: before ` #` or the line end.
fn plain_end(text: &str, at: usize, line_end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < line_end {
        if bytes.get(i) == Some(&b'#') && i > at && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
            break;
        }
        i += 1;
    }
    trim_end_at(text, at, i)
}

/// End (after the closing quote) of a quoted scalar starting at `at`.
fn scan_quoted(text: &str, at: usize, quote: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    while let Some(&b) = bytes.get(i) {
        if quote == b'"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// End (after the matching bracket) of a flow collection starting at `at`.
fn scan_flow(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' | b'\'' => {
                let preceded_by_indicator = i == at
                    || matches!(
                        bytes.get(i - 1),
                        Some(b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'\n')
                    );
                if preceded_by_indicator {
                    i = scan_quoted(text, i, b)?;
                    continue;
                }
            }
            b'#' if matches!(bytes.get(i.wrapping_sub(1)), Some(b' ' | b'\t' | b'\n')) => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A new value for an entry, already rendered as YAML text.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    /// A value on the key line (`key: value`).
    Inline(String),
    /// A value on lines below the key (`key:` then `  - a`), each line already indented,
    /// without line endings.
    Block(Vec<String>),
    /// No value at all (`key:`), which YAML reads as null.
    Empty,
    /// Replace exactly these bytes of the block with this text (an item-level list edit or
    /// a sub-key edit that keeps every other byte of the value).
    Splice(Range<usize>, String),
}

/// Rewrites one entry's value, leaving the key text, its spacing, a trailing comment and every
/// other byte of the block as they were.
pub fn replace_value(yaml: &str, entry: &Entry, new: &NewValue, eol: LineEnding) -> String {
    let head = |end: usize| yaml.get(..end).unwrap_or(yaml);
    let tail = |start: usize| yaml.get(start..).unwrap_or("");
    let mid = |a: usize, b: usize| yaml.get(a..b).unwrap_or("");
    let inline_value = entry.value_start.filter(|_| !entry.has_properties_only);
    match (new, inline_value) {
        (NewValue::Splice(range, text), _) => {
            format!("{}{}{}", head(range.start), text, tail(range.end))
        }
        (NewValue::Inline(text), Some(start)) => {
            format!("{}{}{}", head(start), text, tail(entry.value_end))
        }
        (NewValue::Inline(text), None) => {
            let rest_of_key_line = mid(entry.colon_end, entry.key_line_end);
            let after = if entry.has_block {
                entry.value_end
            } else {
                entry.key_line_end
            };
            if entry.has_properties_only {
                format!("{}{} {}{}", head(entry.key_line_end), "", text, tail(after))
            } else {
                format!(
                    "{} {}{}{}",
                    head(entry.colon_end),
                    text,
                    rest_of_key_line,
                    tail(after)
                )
            }
        }
        (NewValue::Block(lines), inline) => {
            let block: String = lines
                .iter()
                .map(|l| format!("{}{}", eol.as_str(), l))
                .collect();
            match inline {
                Some(_) => format!(
                    "{}{}{}",
                    head(entry.colon_end),
                    block,
                    tail(entry.value_end)
                ),
                None => {
                    let after = if entry.has_block {
                        entry.value_end
                    } else {
                        entry.key_line_end
                    };
                    format!("{}{}{}", head(entry.key_line_end), block, tail(after))
                }
            }
        }
        (NewValue::Empty, Some(start)) => {
            let start = trim_end_at(yaml, entry.colon_end, start);
            format!("{}{}", head(start), tail(entry.value_end))
        }
        (NewValue::Empty, None) => {
            if entry.has_block {
                format!("{}{}", head(entry.key_line_end), tail(entry.value_end))
            } else {
                yaml.to_string()
            }
        }
    }
}

/// Removes one entry's lines; comments and blank lines around it stay.
pub fn remove_entry(yaml: &str, entry: &Entry) -> String {
    format!(
        "{}{}",
        yaml.get(..entry.range.start).unwrap_or(""),
        yaml.get(entry.range.end..).unwrap_or("")
    )
}

/// Appends a new entry as the last line(s) of the block, in the block's line ending.
pub fn append_entry(yaml: &str, key: &str, new: &NewValue, eol: LineEnding) -> String {
    let mut out = String::with_capacity(yaml.len() + key.len() + 32);
    out.push_str(yaml);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol.as_str());
    }
    out.push_str(key);
    out.push(':');
    match new {
        NewValue::Inline(text) => {
            out.push(' ');
            out.push_str(text);
        }
        NewValue::Block(lines) => {
            for line in lines {
                out.push_str(eol.as_str());
                out.push_str(line);
            }
        }
        NewValue::Empty | NewValue::Splice(..) => {}
    }
    out.push_str(eol.as_str());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(yaml: &str) -> Vec<String> {
        segment(yaml).unwrap().iter().map(Entry::key_text).collect()
    }

    #[test]
    fn segments_simple_and_spaced_keys() {
        let yaml = "layout: post\ntitle : \"Hi: there\" # c\n\ntags:\n  - a\n  - b\n# trailing\n";
        let entries = segment(yaml).unwrap();
        assert_eq!(keys(yaml), ["layout", "title", "tags"]);
        let title = &entries[1];
        assert_eq!(title.inline_token(yaml), Some("\"Hi: there\""));
        let tags = &entries[2];
        assert!(tags.has_block);
        assert_eq!(&yaml[tags.range.clone()], "tags:\n  - a\n  - b\n");
        assert_eq!(tags.block_text(yaml), Some("\n  - a\n  - b"));
    }

    #[test]
    fn quoted_value_continuing_at_column_zero_stays_in_its_entry() {
        let yaml = "title: \"a long\nvalue here\"\nauthor: x\n";
        let entries = segment(yaml).unwrap();
        assert_eq!(keys(yaml), ["title", "author"]);
        assert_eq!(
            entries[0].inline_token(yaml),
            Some("\"a long\nvalue here\"")
        );
        let block = Block::parse(yaml, 2).unwrap();
        assert!(block.entries.is_ok());
    }

    #[test]
    fn flow_list_over_lines_and_compact_sequences() {
        let yaml = "tags: [a,\n b]\nlist:\n- x\n- y\nz: 1\n";
        assert_eq!(keys(yaml), ["tags", "list", "z"]);
        assert!(Block::parse(yaml, 2).unwrap().entries.is_ok());
    }

    #[test]
    fn block_scalar_with_blank_lines_and_comment_like_content() {
        let yaml = "header: |\n  <div>\n\n  # not a comment\n  </div>\n\nnext: 1\n";
        let entries = segment(yaml).unwrap();
        assert_eq!(keys(yaml), ["header", "next"]);
        assert_eq!(
            &yaml[entries[0].range.clone()],
            "header: |\n  <div>\n\n  # not a comment\n  </div>\n"
        );
    }

    #[test]
    fn duplicates_use_the_last_value_and_are_reported() {
        let yaml = "a: 1\nb: 2\na: 3\n";
        let block = Block::parse(yaml, 2).unwrap();
        assert_eq!(block.get("a"), Some(&Value::from(3)));
        assert_eq!(block.duplicates, vec![("a".to_string(), vec![1, 3])]);
        assert_eq!(block.entry("a").unwrap().line, 2);
    }

    #[test]
    fn errors_are_located_in_the_file() {
        let err = Block::parse("title: ok\nbad yaml: [\n", 2).unwrap_err();
        match err {
            Error::Yaml {
                line,
                column,
                message,
            } => {
                assert_eq!((line, column), (3, 11));
                assert!(
                    message.starts_with("this `[` list is never closed"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Block::parse("- a\n- b\n", 2),
            Err(Error::NotAMap {
                found: "a list",
                ..
            })
        ));
    }

    #[test]
    fn replace_keeps_comment_and_key_spacing() {
        let yaml = "title :  old # note\nx: 1\n";
        let entry = &segment(yaml).unwrap()[0];
        let out = replace_value(yaml, entry, &NewValue::Inline("new".into()), LineEnding::Lf);
        assert_eq!(out, "title :  new # note\nx: 1\n");
    }

    #[test]
    fn replace_block_list_keeps_key_line_comment() {
        let yaml = "tags: # mine\n  - a\n  - b\nx: 1\n";
        let entry = &segment(yaml).unwrap()[0];
        let out = replace_value(
            yaml,
            entry,
            &NewValue::Block(vec!["  - a".into(), "  - c".into()]),
            LineEnding::Lf,
        );
        assert_eq!(out, "tags: # mine\n  - a\n  - c\nx: 1\n");
    }

    #[test]
    fn empty_value_gets_a_value_and_remove_and_append_touch_one_line() {
        let yaml = "tags:\nx: 1\r\n";
        let entries = segment(yaml).unwrap();
        let out = replace_value(
            yaml,
            &entries[0],
            &NewValue::Inline("[a]".into()),
            LineEnding::Lf,
        );
        assert_eq!(out, "tags: [a]\nx: 1\r\n");
        assert_eq!(remove_entry(yaml, &entries[0]), "x: 1\r\n");
        assert_eq!(
            append_entry(
                "a: 1\r\n",
                "b",
                &NewValue::Inline("2".into()),
                LineEnding::CrLf
            ),
            "a: 1\r\nb: 2\r\n"
        );
    }
}
