//! Markdown helpers for the editor and preview that need no UI: syntax spans for colouring,
//! formatting commands on a selection, Liquid placeholders, block splitting and text statistics.

use std::ops::Range;

/// What a highlighted span of Markdown is, for the editor's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// Ordinary text.
    Text,
    /// A `#` heading line.
    Heading,
    /// `*em*` / `_em_`.
    Emphasis,
    /// `**strong**`.
    Strong,
    /// `` `code` `` and fenced code blocks.
    Code,
    /// `[text](url)` and `![alt](src)`.
    Link,
    /// Liquid `{% tag %}` and `{{ output }}`.
    Liquid,
    /// `>` quote markers, list markers and rules.
    Marker,
}

/// Splits `text` into coloured spans covering it completely, in order. One pass, no
/// allocation per character, so it keeps up with typing in long posts.
pub fn highlight(text: &str) -> Vec<(Range<usize>, Span)> {
    let mut spans: Vec<(Range<usize>, Span)> = Vec::new();
    let mut push = |range: Range<usize>, span: Span| {
        if range.is_empty() {
            return;
        }
        match spans.last_mut() {
            Some((last, kind)) if *kind == span && last.end == range.start => last.end = range.end,
            _ => spans.push((range, span)),
        }
    };
    let mut in_fence = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            push(start..offset, Span::Code);
            continue;
        }
        if in_fence {
            push(start..offset, Span::Code);
            continue;
        }
        if trimmed.starts_with('#') {
            push(start..offset, Span::Heading);
            continue;
        }
        let body_start = if trimmed.starts_with("> ")
            || trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
        {
            push(start..start + indent + 2, Span::Marker);
            start + indent + 2
        } else {
            start
        };
        inline_spans(text, body_start, offset, &mut push);
    }
    spans
}

fn inline_spans(text: &str, start: usize, end: usize, push: &mut impl FnMut(Range<usize>, Span)) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut plain_from = start;
    let find = |from: usize, pat: &str| {
        text.get(from..end)
            .and_then(|s| s.find(pat))
            .map(|p| from + p)
    };
    while i < end {
        let rest = text.get(i..end).unwrap_or("");
        let found: Option<(usize, Span)> = if rest.starts_with("{%") {
            find(i + 2, "%}").map(|e| (e + 2, Span::Liquid))
        } else if rest.starts_with("{{") {
            find(i + 2, "}}").map(|e| (e + 2, Span::Liquid))
        } else if rest.starts_with('`') {
            find(i + 1, "`").map(|e| (e + 1, Span::Code))
        } else if rest.starts_with("**") || rest.starts_with("__") {
            let marker = rest.get(..2).unwrap_or("**");
            find(i + 2, marker).map(|e| (e + 2, Span::Strong))
        } else if (rest.starts_with('*') || rest.starts_with('_'))
            && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace())
            && (i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric()))
        {
            let marker = rest.get(..1).unwrap_or("*");
            find(i + 1, marker).map(|e| (e + 1, Span::Emphasis))
        } else if rest.starts_with('[') || rest.starts_with("![") {
            find(i, "](")
                .and_then(|close| find(close, ")"))
                .map(|e| (e + 1, Span::Link))
        } else {
            None
        };
        match found {
            Some((stop, span)) if stop <= end => {
                push(plain_from..i, Span::Text);
                push(i..stop, span);
                i = stop;
                plain_from = stop;
            }
            _ => {
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    push(plain_from..end, Span::Text);
}

/// A formatting command applied to a selection: the new text and the new selection (byte
/// offsets), so the editor can replace its text and keep the user's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The whole new text.
    pub text: String,
    /// Where the selection should be afterwards.
    pub selection: Range<usize>,
}

/// The formatting toolbar's commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, strum::EnumIter)]
pub enum Format {
    /// `**bold**`
    #[default]
    Bold,
    /// `*italic*`
    Italic,
    /// `` `code` `` (a fenced block when the selection spans lines)
    Code,
    /// `[text](url)`
    Link,
    /// `## ` at the start of the line
    Heading,
}

/// Applies `format` to `selection` (byte offsets) in `text`. An empty selection inserts the
/// markers with the cursor between them; bold/italic/code on already-wrapped text unwraps it.
pub fn apply_format(text: &str, selection: Range<usize>, format: Format) -> Formatted {
    let start = selection.start.min(text.len());
    let end = selection.end.clamp(start, text.len());
    let (start, end) = if text.is_char_boundary(start) && text.is_char_boundary(end) {
        (start, end)
    } else {
        (text.len(), text.len())
    };
    let before = text.get(..start).unwrap_or("");
    let selected = text.get(start..end).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let wrap = |open: &str, close: &str| {
        if before.ends_with(open) && after.starts_with(close) && !selected.is_empty() {
            let text = format!(
                "{}{selected}{}",
                &before[..before.len() - open.len()],
                &after[close.len()..]
            );
            let s = start - open.len();
            return Formatted {
                text,
                selection: s..s + selected.len(),
            };
        }
        let text = format!("{before}{open}{selected}{close}{after}");
        Formatted {
            text,
            selection: start + open.len()..end + open.len(),
        }
    };
    match format {
        Format::Bold => wrap("**", "**"),
        Format::Italic => wrap("*", "*"),
        Format::Code if selected.contains('\n') => wrap("```\n", "\n```"),
        Format::Code => wrap("`", "`"),
        Format::Link => {
            let label = if selected.is_empty() {
                "link text"
            } else {
                selected
            };
            let text = format!("{before}[{label}](https://){after}");
            let url_start = start + label.len() + 3;
            Formatted {
                text,
                selection: url_start..url_start + "https://".len(),
            }
        }
        Format::Heading => {
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let text = format!("{}## {}", &text[..line_start], &text[line_start..]);
            Formatted {
                text,
                selection: start + 3..end + 3,
            }
        }
    }
}

/// `{{ '/path' | relative_url }}` (or `absolute_url`) as the site path it stands for, so the
/// preview and the site checks find the file; everything else is left as written.
pub fn expand_url_filters(text: &str) -> std::borrow::Cow<'_, str> {
    static URL_FILTER: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"\{\{-?\s*(?:'([^'{}]*)'|"([^"{}]*)")\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}"#,
        )
        .ok()
    });
    match URL_FILTER.as_ref() {
        Some(re) if text.contains("_url") => re.replace_all(text, |c: &regex::Captures<'_>| {
            c.get(1)
                .or_else(|| c.get(2))
                .map_or_else(String::new, |m| m.as_str().to_string())
        }),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// Replaces Liquid with readable placeholders for the preview: `{{ site.baseurl }}` and
/// `{{ site.url }}` (URL prefixes) vanish, other `{{ x }}` become `` `x` ``, and `{% tag %}`
/// becomes `` `[tag …]` ``. Code blocks are left as written.
pub fn liquid_placeholders(markdown: &str) -> String {
    if !markdown.contains("{{") && !markdown.contains("{%") {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push_str(line);
            continue;
        }
        let expanded = expand_url_filters(line);
        let mut rest = expanded.as_ref();
        while let Some(open) = rest.find(['{']) {
            let (head, tail) = rest.split_at(open);
            out.push_str(head);
            let close_marker = if tail.starts_with("{{") {
                "}}"
            } else if tail.starts_with("{%") {
                "%}"
            } else {
                ""
            };
            match (
                close_marker,
                tail.get(2..).and_then(|t| t.find(close_marker)),
            ) {
                ("", _) | (_, None) => {
                    out.push('{');
                    rest = tail.get(1..).unwrap_or("");
                }
                (marker, Some(len)) => {
                    let inner = tail
                        .get(2..2 + len)
                        .unwrap_or("")
                        .trim()
                        .trim_matches('-')
                        .trim();
                    let is_url_prefix = marker == "}}"
                        && matches!(
                            inner,
                            "site.baseurl" | "site.url" | "site.url }}{{ site.baseurl"
                        );
                    let in_code_span = head.matches('`').count() % 2 == 1;
                    if is_url_prefix {
                    } else if in_code_span {
                        out.push_str(&tail[..len + 4]);
                    } else if marker == "}}" {
                        out.push_str(&format!("`{inner}`"));
                    } else {
                        let inner = inner.trim();
                        out.push_str(&format!(
                            "`[{}]`",
                            if inner.len() > 60 {
                                format!("{}…", inner.chars().take(57).collect::<String>())
                            } else {
                                inner.to_string()
                            }
                        ));
                    }
                    rest = tail.get(len + 4..).unwrap_or("");
                }
            }
        }
        out.push_str(rest);
    }
    out
}

/// Splits Markdown into top-level blocks at blank lines outside code fences, each as a byte
/// range; the preview lays out only the blocks on screen.
pub fn blocks(markdown: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block_start: Option<usize> = None;
    let mut in_fence = false;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if trimmed.is_empty() && !in_fence {
            if let Some(s) = block_start.take() {
                out.push(s..start);
            }
        } else if block_start.is_none() {
            block_start = Some(start);
        }
    }
    if let Some(s) = block_start {
        out.push(s..markdown.len());
    }
    out
}

/// Words, characters and reading time of a text, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Runs of non-whitespace.
    pub words: usize,
    /// Unicode scalar values, line breaks not counted (an empty post is 0, CRLF and LF alike).
    pub characters: usize,
    /// At 200 words a minute, rounded up (0 for an empty text).
    pub reading_minutes: usize,
}

/// The Markdown extensions Byline reads everywhere it parses a body (export, HTML pages, image
/// references): tables, footnotes, strikethrough and task lists, as kramdown and GFM have them.
pub fn parser_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A unified diff of two texts by lines, with one line of context: how recovery and the
/// changed-on-disk dialog show what differs.
pub fn unified_diff(before: &str, after: &str, before_label: &str, after_label: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(1)
        .header(before_label, after_label)
        .to_string()
}

/// Counts words and characters of `text`.
pub fn stats(text: &str) -> Stats {
    let words = text.split_whitespace().count();
    Stats {
        words,
        characters: text.chars().filter(|c| !matches!(c, '\n' | '\r')).count(),
        reading_minutes: words.div_ceil(200),
    }
}

/// Byte ranges of every occurrence of `needle` in `haystack` (case-insensitive when asked).
pub fn find_all(haystack: &str, needle: &str, match_case: bool) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    if match_case {
        return haystack
            .match_indices(needle)
            .map(|(i, m)| i..i + m.len())
            .collect();
    }
    match regex::RegexBuilder::new(&regex::escape(needle))
        .case_insensitive(true)
        .build()
    {
        Ok(pattern) => pattern.find_iter(haystack).map(|m| m.range()).collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_text_in_order() {
        let text =
            "# Title\nSome **bold** and `code` with {{ site.url }} and [a](b).\n```\nfn x\n```\n";
        let spans = highlight(text);
        let mut at = 0;
        for (range, _) in &spans {
            assert_eq!(range.start, at);
            at = range.end;
        }
        assert_eq!(at, text.len());
        let kind_of = |needle: &str| {
            let pos = text.find(needle).unwrap();
            spans.iter().find(|(r, _)| r.contains(&pos)).unwrap().1
        };
        assert_eq!(kind_of("Title"), Span::Heading);
        assert_eq!(kind_of("bold"), Span::Strong);
        assert_eq!(kind_of("code`"), Span::Code);
        assert_eq!(kind_of("site.url"), Span::Liquid);
        assert_eq!(kind_of("[a]"), Span::Link);
        assert_eq!(kind_of("fn x"), Span::Code);
    }

    #[test]
    fn formatting_wraps_and_unwraps() {
        let bold = apply_format("a word here", 2..6, Format::Bold);
        assert_eq!(bold.text, "a **word** here");
        assert_eq!(&bold.text[bold.selection.clone()], "word");
        let back = apply_format(&bold.text, bold.selection, Format::Bold);
        assert_eq!(back.text, "a word here");
        let link = apply_format("see this", 4..8, Format::Link);
        assert_eq!(link.text, "see [this](https://)");
        assert_eq!(&link.text[link.selection], "https://");
        let empty = apply_format("ab", 1..1, Format::Italic);
        assert_eq!((empty.text.as_str(), empty.selection), ("a**b", 2..2));
        assert_eq!(
            apply_format("x\ny", 0..3, Format::Code).text,
            "```\nx\ny\n```"
        );
    }

    #[test]
    fn liquid_becomes_placeholders_outside_code() {
        let md = "[About]({{ site.baseurl }}/about/)\n{% include note.html x=1 %}\nHi {{ page.title }}\n```\n{{ raw }}\n```\n";
        let out = liquid_placeholders(md);
        assert_eq!(
            out,
            "[About](/about/)\n`[include note.html x=1]`\nHi `page.title`\n```\n{{ raw }}\n```\n"
        );
    }

    #[test]
    fn blocks_split_at_blank_lines_outside_fences() {
        let md = "a\nb\n\n```\nx\n\ny\n```\n\nc";
        let parts: Vec<&str> = blocks(md).into_iter().map(|r| &md[r]).collect();
        assert_eq!(parts, ["a\nb\n", "```\nx\n\ny\n```\n", "c"]);
    }

    #[test]
    fn stats_and_find() {
        assert_eq!(
            stats("one two three"),
            Stats {
                words: 3,
                characters: 13,
                reading_minutes: 1
            }
        );
        assert_eq!(find_all("Ab ab AB", "ab", false), vec![0..2, 3..5, 6..8]);
        assert_eq!(find_all("Ab ab AB", "ab", true), vec![3..5]);
    }

    #[test]
    fn url_filters_become_the_site_path() {
        assert_eq!(
            expand_url_filters(
                "![a]({{ '/assets/a.png' | relative_url }}) {{\"/b.png\"|absolute_url}}"
            ),
            "![a](/assets/a.png) /b.png"
        );
        assert_eq!(
            expand_url_filters("{{ page.url | relative_url }}"),
            "{{ page.url | relative_url }}"
        );
        assert_eq!(
            liquid_placeholders("![a]({{ '/assets/a.png' | relative_url }})\n"),
            "![a](/assets/a.png)\n"
        );
    }
}
