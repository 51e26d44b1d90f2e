//! The headings of a Markdown body, in order, for the editor's outline: ATX (`## Title`) and
//! setext (`Title` over `===`/`---`) headings, with code fences, indented code and Liquid
//! `raw`/`highlight`/`comment` blocks skipped (a `# comment` in a shell snippet is not a heading).
//! One pass over the lines, so a long post is scanned in about a millisecond.

/// One heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The heading's text without its markers (and without a kramdown `{#id}`).
    pub text: String,
    /// Where the heading's text line starts in the body, in bytes (where a click jumps).
    pub offset_bytes: usize,
}

/// An open code fence: its character and length (a fence closes with at least as many).
struct Fence {
    marker: char,
    len: usize,
}

/// The fence a line opens (``` or ~~~, at most three spaces in), if any.
fn fence_of(line: &str) -> Option<Fence> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = line.get(indent..)?;
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(marker).len();
    if len < 3 || (marker == '`' && rest.get(len..).is_some_and(|info| info.contains('`'))) {
        return None;
    }
    Some(Fence { marker, len })
}

/// True when `line` closes `fence`.
fn closes(line: &str, fence: &Fence) -> bool {
    fence_of(line).is_some_and(|f| f.marker == fence.marker && f.len >= fence.len)
        && line.trim().chars().all(|c| c == fence.marker)
}

/// The Liquid block tag a line opens whose content is code or hidden (`raw`, `highlight`,
/// `comment`), as the name of its end tag.
fn liquid_block_of(line: &str) -> Option<&'static str> {
    let trimmed = line.trim_start();
    let inner = trimmed
        .strip_prefix("{%")?
        .trim_start_matches('-')
        .trim_start();
    let (name, end) = [
        ("raw", "endraw"),
        ("highlight", "endhighlight"),
        ("comment", "endcomment"),
    ]
    .into_iter()
    .find(|(name, _)| {
        inner
            .strip_prefix(name)
            .is_some_and(|after| after.starts_with([' ', '-', '%']))
    })?;
    let _ = name;
    // A block opened and closed on the same line hides nothing after it.
    (!trimmed.contains(end)).then_some(end)
}

/// An ATX heading's level and text.
fn atx(line: &str) -> Option<(u8, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = line.get(indent..)?.trim_end();
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = rest.get(level..)?;
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let mut text = after.trim();
    // An optional closing sequence of #s, preceded by a space.
    let without_closing = text.trim_end_matches('#');
    if without_closing.is_empty() || without_closing.ends_with([' ', '\t']) {
        text = without_closing.trim_end();
    }
    Some((u8::try_from(level).unwrap_or(6), clean_text(text)))
}

/// The text shown for a heading: a trailing kramdown attribute list (`{#id .class}`) removed.
fn clean_text(text: &str) -> String {
    let text = text.trim();
    match text.rfind("{:").or_else(|| text.rfind("{#")) {
        Some(at) if text.ends_with('}') => text.get(..at).unwrap_or(text).trim_end().to_string(),
        _ => text.to_string(),
    }
}

/// The setext level an underline line gives the line above (1 for `===`, 2 for `---`).
fn setext_level(line: &str) -> Option<u8> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim();
    if indent > 3 || rest.is_empty() {
        return None;
    }
    if rest.chars().all(|c| c == '=') {
        Some(1)
    } else if rest.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// True when a line could be the text of a setext heading (a paragraph line, not a list item,
/// quote, table row or other block start).
fn is_paragraph_line(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim();
    indent <= 3
        && !rest.is_empty()
        && !rest.starts_with(['#', '>', '-', '*', '+', '|', '<', '{'])
        && !rest.starts_with(|c: char| c.is_ascii_digit())
        && fence_of(line).is_none()
}

/// The headings of `markdown`, in order.
pub fn headings(markdown: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut fence: Option<Fence> = None;
    let mut liquid_end: Option<&'static str> = None;
    // The previous line when it could be a setext heading's text: (offset, text).
    let mut paragraph: Option<(usize, &str)> = None;
    let mut previous_blank = true;
    let mut offset = 0;
    for raw_line in markdown.split_inclusive('\n') {
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if let Some(open) = &fence {
            if closes(line, open) {
                fence = None;
            }
            previous_blank = false;
            continue;
        }
        if let Some(end) = liquid_end {
            if line.contains(end) {
                liquid_end = None;
            }
            previous_blank = false;
            continue;
        }
        if let Some(open) = fence_of(line) {
            fence = Some(open);
            paragraph = None;
            continue;
        }
        if let Some(end) = liquid_block_of(line) {
            liquid_end = Some(end);
            paragraph = None;
            continue;
        }
        let is_blank = line.trim().is_empty();
        let is_indented_code = previous_blank && paragraph.is_none() && line.starts_with("    ");
        if is_indented_code {
            previous_blank = false;
            continue;
        }
        if let Some(level) = setext_level(line)
            && let Some((text_start, text)) = paragraph.take()
        {
            out.push(Heading {
                level,
                text: clean_text(text),
                offset_bytes: text_start,
            });
            previous_blank = false;
            continue;
        }
        if let Some((level, text)) = atx(line) {
            out.push(Heading {
                level,
                text,
                offset_bytes: start,
            });
            paragraph = None;
        } else if is_paragraph_line(line) && paragraph.is_none() && previous_blank {
            paragraph = Some((start, line));
        } else {
            // Only a paragraph's single line is taken as a setext heading's text.
            paragraph = None;
        }
        previous_blank = is_blank;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(markdown: &str) -> Vec<(u8, String)> {
        headings(markdown)
            .into_iter()
            .map(|h| (h.level, h.text))
            .collect()
    }

    #[test]
    fn atx_headings_with_levels_closing_hashes_and_ids() {
        let body =
            "# One\n\ntext\n\n## Two ##\n### Three {#three}\n#not a heading\n####### seven\n";
        assert_eq!(
            titles(body),
            vec![(1, "One".into()), (2, "Two".into()), (3, "Three".into())]
        );
        let found = headings(body);
        assert_eq!(found[1].offset_bytes, body.find("## Two").unwrap());
    }

    #[test]
    fn code_fences_indented_code_and_liquid_blocks_are_skipped() {
        let body = "## Real\n\n```sh\n# a comment\n```\n\n~~~~\n## no\n~~~\n## still code\n~~~~\n\n    # indented\n\n{% highlight bash %}\n# comment\n{% endhighlight %}\n\n# After\n";
        assert_eq!(titles(body), vec![(2, "Real".into()), (1, "After".into())]);
    }

    #[test]
    fn setext_headings_but_not_rules_or_list_items() {
        let body = "Title\n=====\n\nSub\n---\n\n---\n\n- item\n---\n";
        assert_eq!(titles(body), vec![(1, "Title".into()), (2, "Sub".into())]);
        let found = headings(body);
        assert_eq!(found[1].offset_bytes, body.find("Sub").unwrap());
    }

    #[test]
    fn crlf_and_empty_bodies() {
        assert_eq!(
            titles("# A\r\n\r\n## B\r\n"),
            vec![(1, "A".into()), (2, "B".into())]
        );
        assert!(headings("").is_empty());
    }
}
