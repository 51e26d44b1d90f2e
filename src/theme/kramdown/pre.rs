//! The kramdown syntax CommonMark does not know, taken out of the text before pulldown-cmark
//! reads it: block attribute lists (`{: .class #id}`), attribute list definitions,
//! abbreviation definitions (`*[HTML]: …`), extensions (`{::comment}`, `{::nomarkdown}`,
//! `{::options /}`), and HTML blocks, which kramdown ends at their closing tag (not at a blank
//! line) and opens up for Markdown when they say `markdown="1"`.

use super::Attributes;

/// Where a block attribute list applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    /// To the block just before it (no blank line between).
    Previous,
    /// To the block that follows.
    Next,
}

/// A block attribute list found on its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockAttributes {
    /// Byte offset in the prepared text where the line was.
    pub offset: usize,
    /// The attributes.
    pub attributes: Attributes,
    /// Which block gets them.
    pub attach: Attach,
}

/// The text for pulldown-cmark plus what was taken out of it.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Markdown without the kramdown-only lines; HTML blocks replaced by placeholder tags.
    pub text: String,
    /// Block attribute lists, by position.
    pub block_attributes: Vec<BlockAttributes>,
    /// Abbreviations: (text, title), in definition order.
    pub abbreviations: Vec<(String, String)>,
    /// Raw HTML kept verbatim; placeholder `N` stands for `raw_html[N]`.
    pub raw_html: Vec<String>,
}

/// The placeholder tag name standing for raw HTML block `n`.
pub fn placeholder(n: usize) -> String {
    format!("<kramdown-raw-{n}>")
}

/// The raw HTML index of a placeholder block, if `html` is one.
pub fn placeholder_index(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix("<kramdown-raw-")?
        .strip_suffix('>')?
        .parse()
        .ok()
}

/// Elements kramdown treats as span-level: a line starting with one is a paragraph.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "q", "rb", "rbc", "rp", "rt", "rtc",
    "ruby", "samp", "select", "small", "span", "strike", "strong", "sub", "sup", "textarea", "tt",
    "u", "var", "time", "s", "wbr",
];

/// Elements without a closing tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The fence (character, length) a line opens, if it does.
fn fence_of(line: &str) -> Option<(char, usize)> {
    if indent_of(line) > 3 {
        return None;
    }
    let t = line.trim_start_matches(' ');
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// `{: …}` / `{:.x}` on its own line (not `{::ext}`, not `{:/}`): the inside.
fn block_ial(line: &str) -> Option<&str> {
    if indent_of(line) > 3 {
        return None;
    }
    let inner = line.trim().strip_prefix("{:")?.strip_suffix('}')?;
    if inner.starts_with(':') || inner.starts_with('/') {
        return None;
    }
    Some(inner)
}

/// `{:name: …}`: an attribute list definition.
fn is_ald(inner: &str) -> bool {
    let name_len = inner
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_alphanumeric() || *c == '_' || (*i > 0 && *c == '-'))
        .count();
    name_len > 0
        && inner
            .get(name_len..)
            .is_some_and(|rest| rest.starts_with(':'))
}

/// `*[TEXT]: title`.
fn abbreviation(line: &str) -> Option<(String, String)> {
    if indent_of(line) > 3 {
        return None;
    }
    let rest = line.trim_start().strip_prefix("*[")?;
    let close = rest.find("]:")?;
    let name = rest.get(..close)?;
    if name.is_empty() || name.contains(']') {
        return None;
    }
    let title = rest.get(close + 2..)?.trim();
    Some((name.to_string(), title.to_string()))
}

/// The tag name a line opens with (`<div …`), lower-cased.
fn opening_tag(line: &str) -> Option<String> {
    if indent_of(line) > 3 {
        return None;
    }
    let rest = line.trim_start().strip_prefix('<')?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let first = name.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let after = rest.get(name.len()..)?.chars().next();
    match after {
        None | Some(' ' | '\t' | '>' | '/' | '\n' | '\r') => Some(name.to_ascii_lowercase()),
        Some(_) => None,
    }
}

/// Removes `markdown="…"` from an opening tag line; `Some` when it asked for Markdown inside.
fn strip_markdown_attribute(line: &str) -> Option<String> {
    for quote in ['"', '\''] {
        for value in ["1", "block", "span"] {
            let attribute = format!(" markdown={quote}{value}{quote}");
            if let Some(at) = line.find(&attribute) {
                let mut out = String::new();
                out.push_str(line.get(..at)?);
                out.push_str(line.get(at + attribute.len()..)?);
                return Some(out);
            }
        }
    }
    None
}

/// Counts opening and closing tags named `name` in `line` (case-insensitive).
fn tag_balance(line: &str, name: &str) -> (usize, usize) {
    let lower = line.to_ascii_lowercase();
    let boundary = |rest: &str| {
        rest.chars()
            .next()
            .is_none_or(|c| c == '>' || c == '/' || c.is_whitespace())
    };
    let mut opens = 0;
    let mut closes = 0;
    let open_pat = format!("<{name}");
    let close_pat = format!("</{name}");
    let mut search = lower.as_str();
    while let Some(at) = search.find('<') {
        let rest = search.get(at..).unwrap_or("");
        if let Some(after) = rest.strip_prefix(&close_pat) {
            if boundary(after) {
                closes += 1;
            }
        } else if let Some(after) = rest.strip_prefix(&open_pat) {
            if boundary(after) {
                opens += 1;
            }
        }
        search = search.get(at + 1..).unwrap_or("");
    }
    (opens, closes)
}

/// Reads the kramdown-only lines out of `markdown`.
pub fn prepare(markdown: &str) -> Prepared {
    let mut prepared = Prepared::default();
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut fence: Option<(char, usize)> = None;
    // Tag names of the `markdown="1"` blocks still open.
    let mut markdown_blocks: Vec<String> = Vec::new();
    let mut i = 0;
    let mut previous_blank = true;
    while let Some(line) = lines.get(i).copied() {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((c, n)) = fence {
            prepared.text.push_str(line);
            if let Some((c2, n2)) = fence_of(content) {
                if c2 == c && n2 >= n && content.trim().chars().all(|x| x == c) {
                    fence = None;
                }
            }
            i += 1;
            previous_blank = false;
            continue;
        }
        if let Some(open) = fence_of(content) {
            fence = Some(open);
            prepared.text.push_str(line);
            i += 1;
            previous_blank = false;
            continue;
        }
        if let Some(inner) = block_ial(content) {
            if !is_ald(inner) {
                prepared.block_attributes.push(BlockAttributes {
                    offset: prepared.text.len(),
                    attributes: super::parse_attribute_list(inner),
                    attach: if previous_blank {
                        Attach::Next
                    } else {
                        Attach::Previous
                    },
                });
            }
            i += 1;
            continue;
        }
        if let Some(abbr) = abbreviation(content) {
            prepared.abbreviations.push(abbr);
            i += 1;
            continue;
        }
        let trimmed = content.trim();
        if trimmed.starts_with("{::options") && trimmed.ends_with("/}") {
            i += 1;
            continue;
        }
        if trimmed == "{::comment}" || trimmed == "{::nomarkdown}" {
            let keep = trimmed == "{::nomarkdown}";
            let mut raw = String::new();
            let mut j = i + 1;
            while let Some(inner) = lines.get(j).copied() {
                let t = inner.trim();
                if t == "{:/}" || t == "{:/comment}" || t == "{:/nomarkdown}" {
                    break;
                }
                raw.push_str(inner);
                j += 1;
            }
            if keep {
                push_raw(&mut prepared, raw);
            }
            i = j + 1;
            previous_blank = true;
            continue;
        }
        // The closing line of an open `markdown="1"` block.
        if let Some(name) = markdown_blocks.last() {
            let closing = format!("</{name}");
            if content
                .trim_start()
                .to_ascii_lowercase()
                .starts_with(&closing)
            {
                prepared.text.push('\n');
                push_raw(&mut prepared, format!("{}\n", content.trim()));
                markdown_blocks.pop();
                i += 1;
                previous_blank = true;
                continue;
            }
        }
        if previous_blank {
            if let Some(name) = opening_tag(content) {
                if !SPAN_ELEMENTS.contains(&name.as_str()) {
                    if let Some(stripped) = strip_markdown_attribute(content) {
                        let (opens, closes) = tag_balance(content, &name);
                        if opens > closes && stripped.trim_end().ends_with('>') {
                            push_raw(&mut prepared, format!("{}\n", stripped.trim()));
                            markdown_blocks.push(name);
                            i += 1;
                            previous_blank = true;
                            continue;
                        }
                    } else if let Some(end) = html_block_end(&lines, i, &name) {
                        let raw: String = lines.get(i..=end).unwrap_or_default().concat();
                        push_raw(&mut prepared, raw);
                        i = end + 1;
                        previous_blank = true;
                        continue;
                    }
                }
            }
        }
        previous_blank = is_blank(content);
        prepared.text.push_str(line);
        i += 1;
    }
    prepared
}

/// The line where the HTML block opening at `start` with tag `name` closes.
fn html_block_end(lines: &[&str], start: usize, name: &str) -> Option<usize> {
    if VOID_ELEMENTS.contains(&name) {
        return Some(start);
    }
    let mut depth = 0usize;
    for (j, line) in lines.iter().enumerate().skip(start) {
        let (opens, closes) = tag_balance(line, name);
        depth += opens;
        if closes >= depth {
            return (depth > 0 || j > start).then_some(j);
        }
        depth -= closes;
    }
    None
}

/// Keeps `raw` verbatim behind a placeholder block.
fn push_raw(prepared: &mut Prepared, raw: String) {
    let n = prepared.raw_html.len();
    prepared.raw_html.push(raw);
    if !prepared.text.is_empty() && !prepared.text.ends_with('\n') {
        prepared.text.push('\n');
    }
    prepared.text.push_str(&placeholder(n));
    prepared.text.push_str("\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines_leave_the_text() {
        let p = prepare("Para\n{: .x}\n\n{:.y}\nNext\n{:ref: .z}\n");
        assert_eq!(p.text, "Para\n\nNext\n");
        assert_eq!(p.block_attributes.len(), 2);
        assert_eq!(p.block_attributes[0].attach, Attach::Previous);
        assert_eq!(p.block_attributes[1].attach, Attach::Next);
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let p = prepare("```\n{: .x}\n*[A]: b\n```\n");
        assert_eq!(p.text, "```\n{: .x}\n*[A]: b\n```\n");
        assert!(p.block_attributes.is_empty() && p.abbreviations.is_empty());
    }

    #[test]
    fn html_block_runs_to_its_closing_tag() {
        let p = prepare("<div>\n\n*raw*\n\n</div>\nafter\n");
        assert_eq!(p.raw_html, vec!["<div>\n\n*raw*\n\n</div>\n".to_string()]);
        assert!(p.text.ends_with("after\n"));
    }

    #[test]
    fn markdown_attribute_opens_the_block() {
        let p = prepare("<div markdown=\"1\">\n*md*\n</div>\n");
        assert_eq!(
            p.raw_html,
            vec!["<div>\n".to_string(), "</div>\n".to_string()]
        );
        assert!(p.text.contains("*md*"));
    }

    #[test]
    fn abbreviations_are_collected() {
        let p = prepare("*[HTML]: Hyper Text\n\nHTML\n");
        assert_eq!(
            p.abbreviations,
            vec![("HTML".to_string(), "Hyper Text".to_string())]
        );
    }
}
