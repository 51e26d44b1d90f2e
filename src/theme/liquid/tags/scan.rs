//! Prepares a template's text for the `liquid` crate, keeping every line where it was:
//!
//! - tags whose arguments are not Liquid expressions in Jekyll (`include file.html k=v`,
//!   `post_url 2016-05-20-name`, `link _posts/x.md`, `highlight ruby linenos`, and tags Byline
//!   does not know) get their argument text as one quoted literal, so the `liquid` crate's
//!   grammar accepts them and the tag sees exactly what Jekyll's would;
//! - before the first tag or output of each line, a `{% byline_line N %}` marker lets a render
//!   error say which line it came from (see `location`);
//! - tags and filters that are not registered are listed, so the engine can register
//!   placeholders for them before parsing (Jekyll would run a plugin there).
//!
//! The scan reads tags the way Ruby's Liquid does: `{% … %}` ends at the first `%}`, `{{ … }}`
//! at the first `}}`; `raw` and `comment` bodies are left alone.

use super::location::LINE_TAG;
use std::collections::{HashMap, HashSet};

/// Tags whose whole argument text is handed over as one literal.
pub const MARKUP_TAGS: &[&str] = &[
    "include",
    "include_relative",
    "include_cached",
    "post_url",
    "link",
    "highlight",
];

/// Tags that continue an enclosing block (never registered on their own).
const CONTINUATION_TAGS: &[&str] = &["else", "elsif", "when"];

/// The names the parser knows.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    /// Simple tags.
    pub tags: HashSet<String>,
    /// Block tags: start tag → end tag.
    pub blocks: HashMap<String, String>,
    /// Filters.
    pub filters: HashSet<String>,
}

impl KnownNames {
    /// Whether `name` is a tag the parser handles (or the end or middle of one of its blocks).
    fn knows_tag(&self, name: &str) -> bool {
        self.tags.contains(name)
            || self.blocks.contains_key(name)
            || self.blocks.values().any(|end| end == name)
            || CONTINUATION_TAGS.contains(&name)
    }
}

/// A tag or filter the parser does not know, where it was first met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The tag's or filter's name.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// For a tag: whether it has an `end…` tag later (a block).
    pub is_block: bool,
}

/// A template prepared for parsing.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// The text to parse (same lines as the original).
    pub text: String,
    /// Tags that are not registered, in order of appearance (each name once).
    pub unknown_tags: Vec<UnknownName>,
    /// Filters that are not registered, in order of appearance (each name once).
    pub unknown_filters: Vec<UnknownName>,
    /// The line of the first block that opens inside [`MAX_BLOCK_DEPTH`] others (Liquid stops
    /// there with "Nesting too deep"; the scan stops too, so `text` is then incomplete).
    pub nesting_too_deep_line: Option<usize>,
    /// The first integer literal too large for the `liquid` crate (beyond 64 bits: its parser
    /// would panic on it; Ruby keeps it as a bignum), with its line.
    pub oversized_integer: Option<UnknownName>,
}

/// How many blocks may nest inside each other: Ruby Liquid's `Block::MAX_DEPTH` (5.4 refuses
/// the 101st nested block with "Nesting too deep"). Deeper templates would also overflow the
/// `liquid` crate's recursive parser and renderer and abort Byline.
pub const MAX_BLOCK_DEPTH: usize = 100;

/// Encodes `markup` as a Liquid string literal's content (no `"` inside).
pub fn encode_markup(markup: &str) -> String {
    markup.replace('%', "%25").replace('"', "%22")
}

/// Reverses [`encode_markup`].
pub fn decode_markup(encoded: &str) -> String {
    encoded.replace("%22", "\"").replace("%25", "%")
}

/// A `{% … %}` or `{{ … }}` found in the text.
struct Delimited<'t> {
    /// Byte offset of `{`.
    start: usize,
    /// Byte offset just past the closing delimiter.
    end: usize,
    /// Between the delimiters, without whitespace-control dashes.
    inner: &'t str,
    /// `{%-` / `{{-`.
    strip_before: bool,
    /// `-%}` / `-}}`.
    strip_after: bool,
    /// A tag (`{%`) rather than an output (`{{`).
    is_tag: bool,
}

/// Finds the next `{%`/`{{` at or after `from`, with its end; `None` when there is none (or it
/// is never closed: the parser reports that).
fn next_delimited(text: &str, from: usize) -> Option<Delimited<'_>> {
    let rest = text.get(from..)?;
    let offset = rest.find("{%").into_iter().chain(rest.find("{{")).min()?;
    let start = from + offset;
    let is_tag = text.get(start..start + 2) == Some("{%");
    let closing = if is_tag { "%}" } else { "}}" };
    let body_start = start + 2;
    let close_offset = text.get(body_start..)?.find(closing)?;
    let body_end = body_start + close_offset;
    let mut inner = text.get(body_start..body_end)?;
    let strip_before = inner.starts_with('-');
    if strip_before {
        inner = inner.get(1..).unwrap_or("");
    }
    let strip_after = inner.ends_with('-');
    if strip_after {
        inner = inner.get(..inner.len() - 1).unwrap_or("");
    }
    Some(Delimited {
        start,
        end: body_end + 2,
        inner,
        strip_before,
        strip_after,
        is_tag,
    })
}

/// The tag name at the start of a tag's inner text, and the rest (the markup).
fn split_tag(inner: &str) -> (&str, &str) {
    let trimmed = inner.trim_start();
    let name_length = trimmed
        .find(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .unwrap_or(trimmed.len());
    let (name, markup) = trimmed.split_at(name_length);
    (name, markup)
}

/// Finds the tag ending a block `name` … `end_name` that starts at `from` (nesting counted);
/// returns the end tag's start and end offsets.
fn find_block_end(text: &str, from: usize, name: &str, end_name: &str) -> Option<(usize, usize)> {
    let mut depth = 1usize;
    let mut position = from;
    while let Some(found) = next_delimited(text, position) {
        position = found.end;
        if !found.is_tag {
            continue;
        }
        let (tag_name, _) = split_tag(found.inner);
        if tag_name == end_name {
            depth -= 1;
            if depth == 0 {
                return Some((found.start, found.end));
            }
        } else if tag_name == name && name != "raw" {
            depth += 1;
        }
    }
    None
}

/// When `body` (inside `depth` blocks) opens a block beyond [`MAX_BLOCK_DEPTH`]: how many lines
/// into `body` it is.
fn too_deep_inside(body: &str, depth: usize, known: &KnownNames) -> Option<usize> {
    let mut depth = depth;
    let mut position = 0usize;
    while let Some(found) = next_delimited(body, position) {
        position = found.end;
        if !found.is_tag {
            continue;
        }
        let (name, _) = split_tag(found.inner);
        if known.blocks.contains_key(name) && name != "raw" {
            if depth >= MAX_BLOCK_DEPTH {
                return Some(count_lines(body.get(..found.start).unwrap_or("")));
            }
            depth += 1;
        } else if known.blocks.values().any(|end| end == name) {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

/// Whitespace the parser's `{%-` strips (spaces and line breaks).
fn is_strippable(character: char) -> bool {
    matches!(character, ' ' | '\n' | '\r')
}

/// Whitespace Ruby's `strip` removes (what Jekyll's `{%-` and `-%}` strip).
fn is_ruby_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// `run` without the whitespace Ruby strips but the parser would not (tabs, vertical tabs, form
/// feeds), so that a dash strips the same run as in Jekyll; line breaks stay.
fn without_tabs(run: &str) -> String {
    run.chars()
        .filter(|character| !matches!(character, '\t' | '\u{b}' | '\u{c}'))
        .collect()
}

/// `text` with the tabs removed from its leading whitespace (after a `-%}`) and/or its trailing
/// whitespace (before a `{%-`).
fn strip_tabs_at_edges(text: &str, leading: bool, trailing: bool) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\t', '\u{b}', '\u{c}']) || !(leading || trailing) {
        return std::borrow::Cow::Borrowed(text);
    }
    let start = if leading {
        text.len() - text.trim_start_matches(is_ruby_space).len()
    } else {
        0
    };
    let end = if trailing {
        text.trim_end_matches(is_ruby_space).len().max(start)
    } else {
        text.len()
    };
    let mut cleaned = without_tabs(text.get(..start).unwrap_or(""));
    cleaned.push_str(text.get(start..end).unwrap_or(""));
    cleaned.push_str(&without_tabs(text.get(end..).unwrap_or("")));
    std::borrow::Cow::Owned(cleaned)
}

/// Adds the filter names used in `expression` (after `|`, outside quotes) that `known` lacks.
fn collect_filters(
    expression: &str,
    line: usize,
    known: &KnownNames,
    unknown: &mut Vec<UnknownName>,
) {
    let mut quote: Option<char> = None;
    let mut characters = expression.char_indices().peekable();
    while let Some((_, character)) = characters.next() {
        match quote {
            Some(open) if character == open => quote = None,
            Some(_) => {}
            None if character == '"' || character == '\'' => quote = Some(character),
            None if character == '|' => {
                while characters
                    .peek()
                    .is_some_and(|(_, next)| next.is_whitespace())
                {
                    characters.next();
                }
                let mut name = String::new();
                while let Some((_, next)) = characters.peek() {
                    if next.is_ascii_alphanumeric() || *next == '_' || *next == '-' {
                        name.push(*next);
                        characters.next();
                    } else {
                        break;
                    }
                }
                if !name.is_empty()
                    && !known.filters.contains(&name)
                    && !unknown.iter().any(|seen| seen.name == name)
                {
                    unknown.push(UnknownName {
                        name,
                        line,
                        is_block: false,
                    });
                }
            }
            None => {}
        }
    }
}

/// The first integer literal in `expression` (outside quotes) that does not fit in an `i64`,
/// with its sign.
fn find_oversized_integer(expression: &str) -> Option<&str> {
    let bytes = expression.as_bytes();
    let mut quote: Option<u8> = None;
    let mut index = 0usize;
    while let Some(&byte) = bytes.get(index) {
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None if byte.is_ascii_digit() => {
                let start = index;
                while bytes.get(index).is_some_and(u8::is_ascii_digit) {
                    index += 1;
                }
                let before = start.checked_sub(1).and_then(|at| bytes.get(at)).copied();
                let before_that = start.checked_sub(2).and_then(|at| bytes.get(at)).copied();
                let after = bytes.get(index).copied();
                let after_that = bytes.get(index + 1).copied();
                // Part of a name (`a99`), a float's fraction (`1.99`) or a float (`99.5`).
                let in_name = before.is_some_and(|at| at.is_ascii_alphanumeric() || at == b'_')
                    || after.is_some_and(|at| at.is_ascii_alphanumeric() || at == b'_');
                let fraction = before == Some(b'.') && before_that != Some(b'.');
                let float = after == Some(b'.') && after_that.is_some_and(|at| at.is_ascii_digit());
                if !(in_name || fraction || float) {
                    let signed_start = if before == Some(b'-') {
                        start - 1
                    } else {
                        start
                    };
                    let literal = expression.get(signed_start..index)?;
                    if literal.parse::<i64>().is_err() {
                        return Some(literal);
                    }
                }
                continue;
            }
            None => {}
        }
        index += 1;
    }
    None
}

/// Records in `scanned` the first over-long integer literal of `expression` (at `line`).
fn note_oversized_integer(scanned: &mut Scanned, expression: &str, line: usize) {
    if scanned.oversized_integer.is_none()
        && let Some(literal) = find_oversized_integer(expression)
    {
        scanned.oversized_integer = Some(UnknownName {
            name: literal.to_string(),
            line,
            is_block: false,
        });
    }
}

/// Counts the lines `text` advances by.
fn count_lines(text: &str) -> usize {
    text.bytes().filter(|byte| *byte == b'\n').count()
}

/// Writes a tag whose markup is handed over as a literal.
fn push_literal_tag(output: &mut String, found: &Delimited<'_>, name: &str, markup: &str) {
    output.push_str(if found.strip_before { "{%-" } else { "{%" });
    output.push(' ');
    output.push_str(name);
    output.push_str(" \"");
    output.push_str(&encode_markup(markup.trim()));
    output.push_str("\" ");
    output.push_str(if found.strip_after { "-%}" } else { "%}" });
}

/// Prepares `text` for parsing (see the module's documentation).
pub fn scan(text: &str, known: &KnownNames) -> Scanned {
    let mut scanned = Scanned {
        text: String::with_capacity(text.len() + text.len() / 8),
        ..Scanned::default()
    };
    let mut position = 0usize;
    let mut line = 1usize;
    let mut marked_line = 0usize;
    let mut strip_next = false;
    // Blocks open around the current position (as Ruby's `parse_context.depth`).
    let mut block_depth = 0usize;
    while let Some(found) = next_delimited(text, position) {
        let before = strip_tabs_at_edges(
            text.get(position..found.start).unwrap_or(""),
            strip_next,
            found.strip_before,
        );
        let before = before.as_ref();
        line += count_lines(before);
        // The marker goes before the whitespace a `{%-` strips, so the stripping is unchanged.
        if line != marked_line {
            let kept = if found.strip_before {
                before.trim_end_matches(is_strippable)
            } else {
                before
            };
            scanned.text.push_str(kept);
            scanned.text.push_str(&format!("{{% {LINE_TAG} {line} %}}"));
            scanned
                .text
                .push_str(before.get(kept.len()..).unwrap_or(""));
            marked_line = line;
        } else {
            scanned.text.push_str(before);
        }
        let original = text.get(found.start..found.end).unwrap_or("");
        position = found.end;
        strip_next = found.strip_after;
        if !found.is_tag {
            collect_filters(found.inner, line, known, &mut scanned.unknown_filters);
            note_oversized_integer(&mut scanned, found.inner, line);
            scanned.text.push_str(original);
            line += count_lines(original);
            continue;
        }
        let (name, markup) = split_tag(found.inner);
        let tag_line = line;
        line += count_lines(original);
        if name != "raw" && known.blocks.contains_key(name) {
            if block_depth >= MAX_BLOCK_DEPTH {
                scanned.nesting_too_deep_line = Some(tag_line);
                return scanned;
            }
            // A comment's body is not scanned (its end tag is skipped with it).
            if name != "comment" {
                block_depth += 1;
            }
        } else if known.blocks.values().any(|end| end == name) {
            block_depth = block_depth.saturating_sub(1);
        }
        if found.inner.trim_start().starts_with('#') {
            // Liquid 5's inline comment `{% # … %}`: an empty comment keeping the lines.
            scanned.text.push_str(if found.strip_before {
                "{%- comment %}"
            } else {
                "{% comment %}"
            });
            scanned.text.push_str(&"\n".repeat(count_lines(original)));
            scanned.text.push_str(if found.strip_after {
                "{% endcomment -%}"
            } else {
                "{% endcomment %}"
            });
            continue;
        }
        // A tag that opens, continues or closes a block changes which markers run: mark the
        // next line's content again even when on the same line.
        if name == "raw" || name == "comment" {
            scanned.text.push_str(original);
            let end_name = if name == "raw" {
                "endraw"
            } else {
                "endcomment"
            };
            if let Some((_, end)) = find_block_end(text, position, name, end_name) {
                let body = text.get(position..end).unwrap_or("");
                // The parser reads the blocks inside a comment too (as Ruby's Liquid does).
                if name == "comment"
                    && let Some(too_deep) = too_deep_inside(body, block_depth + 1, known)
                {
                    scanned.nesting_too_deep_line = Some(line + too_deep);
                    return scanned;
                }
                scanned.text.push_str(body);
                line += count_lines(body);
                position = end;
            }
            marked_line = 0;
        } else if MARKUP_TAGS.contains(&name) {
            push_literal_tag(&mut scanned.text, &found, name, markup);
            if name == "highlight" {
                marked_line = 0;
            }
        } else if known.knows_tag(name) || name.is_empty() {
            collect_filters(markup, tag_line, known, &mut scanned.unknown_filters);
            note_oversized_integer(&mut scanned, markup, tag_line);
            scanned.text.push_str(original);
            if !known.tags.contains(name) {
                marked_line = 0;
            }
        } else {
            let end_name = format!("end{name}");
            let block_end = find_block_end(text, position, name, &end_name);
            if block_end.is_some() && block_depth >= MAX_BLOCK_DEPTH {
                scanned.nesting_too_deep_line = Some(tag_line);
                return scanned;
            }
            if !scanned.unknown_tags.iter().any(|seen| seen.name == name) {
                scanned.unknown_tags.push(UnknownName {
                    name: name.to_string(),
                    line: tag_line,
                    is_block: block_end.is_some(),
                });
            }
            push_literal_tag(&mut scanned.text, &found, name, markup);
            if let Some((_, end)) = block_end {
                let body = text.get(position..end).unwrap_or("");
                scanned.text.push_str(body);
                line += count_lines(body);
                position = end;
            }
            marked_line = 0;
        }
    }
    let tail = text.get(position..).unwrap_or("");
    scanned
        .text
        .push_str(&strip_tabs_at_edges(tail, strip_next, false));
    scanned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownNames {
        KnownNames {
            tags: ["assign", "include", "post_url", LINE_TAG]
                .iter()
                .map(|name| name.to_string())
                .collect(),
            blocks: [
                ("if", "endif"),
                ("raw", "endraw"),
                ("comment", "endcomment"),
            ]
            .iter()
            .map(|(start, end)| (start.to_string(), end.to_string()))
            .collect(),
            filters: ["upcase", "default"]
                .iter()
                .map(|name| name.to_string())
                .collect(),
        }
    }

    #[test]
    fn keeps_lines_and_marks_each_line_once() {
        let text = "a {{ x }} {{ y }}\nb\n{% if z %}c{% endif %}\n";
        let scanned = scan(text, &known());
        assert_eq!(count_lines(&scanned.text), count_lines(text));
        assert_eq!(
            scanned.text,
            "a {% byline_line 1 %}{{ x }} {{ y }}\nb\n{% byline_line 3 %}{% if z %}\
             c{% byline_line 3 %}{% endif %}\n"
        );
    }

    #[test]
    fn markers_go_before_whitespace_that_dash_tags_strip() {
        let scanned = scan("a  \n  {%- assign x = 1 %}", &known());
        assert_eq!(
            scanned.text,
            "a{% byline_line 2 %}  \n  {%- assign x = 1 %}"
        );
    }

    #[test]
    fn markup_tags_get_their_arguments_as_one_literal() {
        let scanned = scan(
            "{% include {{ page.x }} a=\"b%c\" -%}{% post_url news/2016-05-20-a %}",
            &known(),
        );
        assert_eq!(
            scanned.text,
            "{% byline_line 1 %}{% include \"{{ page.x }} a=%22b%25c%22\" -%}\
             {% post_url \"news/2016-05-20-a\" %}"
        );
        assert_eq!(decode_markup("a=%22b%25c%22"), "a=\"b%c\"");
    }

    #[test]
    fn raw_and_comment_bodies_are_left_alone() {
        let text = "{% raw %}{{ x | nope }}{% unknown %}{% endraw %}{% comment %}{% other %}{% endcomment %}";
        let scanned = scan(text, &known());
        assert!(scanned.unknown_tags.is_empty());
        assert!(scanned.unknown_filters.is_empty());
        assert!(
            scanned
                .text
                .contains("{% raw %}{{ x | nope }}{% unknown %}{% endraw %}")
        );
        assert!(
            scanned
                .text
                .contains("{% comment %}{% other %}{% endcomment %}")
        );
    }

    #[test]
    fn unknown_tags_blocks_and_filters_are_listed_with_their_lines() {
        let text = "x\n{% gist 123 %}\n{% mermaid %}\n{{ a }}\n{% endmermaid %}\n{{ b | upcase | shout: 'x|y' | default: c }}";
        let scanned = scan(text, &known());
        assert_eq!(
            scanned.unknown_tags,
            vec![
                UnknownName {
                    name: "gist".into(),
                    line: 2,
                    is_block: false
                },
                UnknownName {
                    name: "mermaid".into(),
                    line: 3,
                    is_block: true
                },
            ]
        );
        assert_eq!(
            scanned.unknown_filters,
            vec![UnknownName {
                name: "shout".into(),
                line: 6,
                is_block: false
            }]
        );
        // The block's body is kept as it was (no markers inside).
        assert!(
            scanned
                .text
                .contains("{% mermaid \"\" %}\n{{ a }}\n{% endmermaid %}")
        );
        assert_eq!(count_lines(&scanned.text), count_lines(text));
    }

    #[test]
    fn dashes_strip_tabs_as_ruby_does() {
        // `jekyll build` wrote "abc|x|" for this (Ruby's strip removes tabs too).
        let scanned = scan(
            "a\t \n\t{%- if true %}b{% endif -%}\t\n\tc|{{- x -}}\t|",
            &known(),
        );
        assert_eq!(
            scanned.text,
            "a{% byline_line 2 %} \n{%- if true %}b{% byline_line 2 %}{% endif -%}\n\
             c|{% byline_line 3 %}{{- x -}}|"
        );
    }

    #[test]
    fn inline_comments_become_empty_comments_on_the_same_lines() {
        let scanned = scan("a{% # one\n # two %}b{%- # x -%} c", &known());
        assert_eq!(
            scanned.text,
            "a{% byline_line 1 %}{% comment %}\n{% endcomment %}b\
             {% byline_line 2 %}{%- comment %}{% endcomment -%} c"
        );
    }

    #[test]
    fn integer_literals_beyond_64_bits_are_found() {
        assert_eq!(
            find_oversized_integer("99999999999999999999 | date: \"%Y\""),
            Some("99999999999999999999")
        );
        assert_eq!(
            find_oversized_integer("x == -9223372036854775809"),
            Some("-9223372036854775809")
        );
        assert_eq!(
            find_oversized_integer("i in (1..99999999999999999999)"),
            Some("99999999999999999999")
        );
        for fine in [
            "-9223372036854775808",
            "9223372036854775807",
            "99999999999999999999.5",
            "1.99999999999999999999",
            "a99999999999999999999",
            "'99999999999999999999'",
            "x | append: \"99999999999999999999\"",
        ] {
            assert_eq!(find_oversized_integer(fine), None, "{fine}");
        }
    }

    #[test]
    fn unclosed_delimiters_are_left_for_the_parser() {
        let scanned = scan("a {% if x ", &known());
        assert_eq!(scanned.text, "a {% if x ");
    }
}
