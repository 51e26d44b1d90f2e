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
    /// Inline math (`$$…$$` inside a paragraph) as kramdown writes it for MathJax, `\(…\)`;
    /// the inline placeholder `<kramdown-math-N>` stands for `inline_math[N]`.
    pub inline_math: Vec<String>,
    /// Tables in kramdown's syntax; the placeholder block `<pre kramdown-table="N"></pre>`
    /// stands for `tables[N]`.
    pub tables: Vec<super::table::Table>,
    /// Raw HTML kept verbatim; placeholder `N` stands for `raw_html[N]`.
    pub raw_html: Vec<(String, RawKind)>,
}

/// What a kept piece of raw HTML is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// A whole HTML block, comment or `{::nomarkdown}` content.
    Whole,
    /// The opening tag of a `markdown="1"` block: what follows is Markdown, one level in.
    Open,
    /// The closing tag of a `markdown="1"` block.
    Close,
}

/// The placeholder line standing for raw HTML block `n`: an HTML block CommonMark ends on
/// the same line (a `pre` element), so the lines around it keep their own meaning.
pub fn placeholder(n: usize) -> String {
    format!("<pre kramdown-raw=\"{n}\"></pre>")
}

/// The raw HTML index of a placeholder block, if `html` is one.
pub fn placeholder_index(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix("<pre kramdown-raw=\"")?
        .strip_suffix("\"></pre>")?
        .parse()
        .ok()
}

/// The table index of a placeholder block, if `html` is one.
pub fn table_index(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix("<pre kramdown-table=\"")?
        .strip_suffix("\"></pre>")?
        .parse()
        .ok()
}

/// The inline math index of a placeholder tag, if `html` is one.
pub fn math_index(html: &str) -> Option<usize> {
    html.strip_prefix("<kramdown-math-")?
        .strip_suffix('>')?
        .parse()
        .ok()
}

/// kramdown's escaping of math text (`&`, `<`, `>`).
fn escape_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    super::escape_text(text, &mut out);
    out
}

/// A math block starting at line `start` (`$$` first on the line, after a block boundary):
/// the line where it closes, and its content.
fn math_block(lines: &[&str], start: usize) -> Option<(usize, String)> {
    let first = lines.get(start)?;
    if indent_of(first) > 3 {
        return None;
    }
    let opened = first.trim_start().strip_prefix("$$")?;
    let mut content = String::new();
    let mut piece = opened.to_string();
    for j in start..lines.len() {
        if j > start {
            piece = lines.get(j)?.to_string();
        }
        if let Some(close) = piece.find("$$") {
            let (inside, after) = piece.split_at(close);
            if !after.get(2..).unwrap_or_default().trim().is_empty() {
                return None;
            }
            content.push_str(inside);
            return Some((j, content));
        }
        content.push_str(&piece);
    }
    None
}

/// `line` with its inline `$$…$$` spans (outside code spans) replaced by placeholders.
fn replace_inline_math(line: &str, math: &mut Vec<String>) -> Option<String> {
    if !line.contains("$$") {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    let mut changed = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        if !in_code
            && let Some(after_open) = rest.strip_prefix("$$")
            && let Some(close) = after_open.find("$$")
        {
            let inside = after_open.get(..close).unwrap_or_default();
            if !inside.is_empty() && !inside.contains('`') {
                out.push_str(&format!("<kramdown-math-{}>", math.len()));
                math.push(format!("\\({}\\)", escape_math(inside.trim())));
                rest = after_open.get(close + 2..).unwrap_or_default();
                changed = true;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    changed.then_some(out)
}

/// `line` with link destinations that hold Liquid (`[a]({{ site.baseurl }}/b)`, which
/// kramdown reads as a link although it has spaces) put in angle brackets, so CommonMark
/// reads them as links too. Reference definitions (`[a]: {% post_url x %}`) likewise.
fn bracket_liquid_destinations(line: &str) -> Option<String> {
    if !line.contains("{{") && !line.contains("{%") {
        return None;
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && indent_of(line) <= 3
        && let Some(close) = trimmed.find("]:")
    {
        let label = trimmed.get(1..close).unwrap_or_default();
        let dest = trimmed.get(close + 2..).unwrap_or_default().trim();
        if !label.contains('{') && (dest.starts_with("{{") || dest.starts_with("{%")) {
            let head = line
                .get(..line.len() - trimmed.len() + close + 2)
                .unwrap_or_default();
            return Some(format!("{head} <{dest}>\n"));
        }
    }
    let mut out = String::with_capacity(line.len() + 4);
    let mut rest = line;
    let mut changed = false;
    while let Some(at) = rest.find("](") {
        let (before, from) = rest.split_at(at + 2);
        out.push_str(before);
        rest = from;
        if !(from.starts_with("{{") || from.starts_with("{%")) {
            continue;
        }
        let Some(close) = from.find(')') else { break };
        let inside = from.get(..close).unwrap_or_default();
        if inside.contains('<') || inside.contains('>') {
            continue;
        }
        let liquid_end = inside
            .rfind("}}")
            .or_else(|| inside.rfind("%}"))
            .map_or(0, |e| e + 2);
        let (dest, title) = match inside.get(liquid_end..).and_then(|tail| tail.find(" \"")) {
            Some(t) => inside.split_at(liquid_end + t),
            None => (inside, ""),
        };
        out.push('<');
        out.push_str(dest);
        out.push('>');
        out.push_str(title);
        out.push(')');
        rest = from.get(close + 1..).unwrap_or_default();
        changed = true;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Elements kramdown treats as span-level: a line starting with one is a paragraph.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "q", "rb", "rbc", "rp", "rt", "rtc",
    "ruby", "samp", "select", "small", "span", "strike", "strong", "sub", "sup", "textarea", "tt",
    "u", "var", "time", "s", "wbr",
];

/// True when `html` opens with a span-level element (`<img …>`, `<br>`, `<span>`).
pub fn starts_with_span_element(html: &str) -> bool {
    opening_tag(html.lines().next().unwrap_or_default())
        .is_some_and(|name| SPAN_ELEMENTS.contains(&name.as_str()))
}

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

/// `html` with its void elements closed the way kramdown writes them back (`<br>` →
/// `<br />`). Blocks holding `pre`, `script`, `style` or `textarea` are left as they are.
pub fn close_void_tags(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if ["<pre", "<script", "<style", "<textarea"]
        .iter()
        .any(|t| lower.contains(t))
    {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 8);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, tag_start) = rest.split_at(at);
        out.push_str(before);
        let name: String = tag_start
            .chars()
            .skip(1)
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let mut end = None;
        let mut quote: Option<char> = None;
        for (i, c) in tag_start.char_indices().skip(1) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '>' => {
                    end = Some(i);
                    break;
                }
                None if c == '<' => break,
                None => {}
            }
        }
        match end {
            Some(end) if VOID_ELEMENTS.contains(&name.as_str()) => {
                let inside = tag_start.get(..end).unwrap_or_default().trim_end();
                out.push_str(inside.trim_end_matches('/').trim_end());
                out.push_str(" />");
                rest = tag_start.get(end + 1..).unwrap_or_default();
            }
            _ => {
                out.push('<');
                rest = tag_start.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
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
        } else if let Some(after) = rest.strip_prefix(&open_pat)
            && boundary(after)
        {
            opens += 1;
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
    let mut nesting = ListNesting::default();
    let mut raw_seen = 0;
    while let Some(original) = lines.get(i).copied() {
        // The line before was kept as raw HTML: another HTML block may follow at once.
        let after_raw = prepared.raw_html.len() > raw_seen;
        raw_seen = prepared.raw_html.len();
        let reindented = if fence.is_none() {
            nesting.line(original, previous_blank)
        } else {
            None
        };
        let line = reindented.as_deref().unwrap_or(original);
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((c, n)) = fence {
            prepared.text.push_str(line);
            if let Some((c2, n2)) = fence_of(content)
                && c2 == c
                && n2 >= n
                && content.trim().chars().all(|x| x == c)
            {
                fence = None;
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
        if (previous_blank || after_raw)
            && let Some((table, end)) = super::table::read(&lines, i)
        {
            let n = prepared.tables.len();
            prepared.tables.push(table);
            if !prepared.text.is_empty() && !prepared.text.ends_with('\n') {
                prepared.text.push('\n');
            }
            prepared
                .text
                .push_str(&format!("<pre kramdown-table=\"{n}\"></pre>\n"));
            i = end;
            previous_blank = false;
            continue;
        }
        if (previous_blank || after_raw)
            && let Some((end, inside)) = math_block(&lines, i)
        {
            let block = format!("\\[{}\\]\n", escape_math(inside.trim()));
            push_raw(&mut prepared, block, RawKind::Whole);
            i = end + 1;
            previous_blank = false;
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
                push_raw(&mut prepared, raw, RawKind::Whole);
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
                push_raw(
                    &mut prepared,
                    format!("{}\n", content.trim()),
                    RawKind::Close,
                );
                markdown_blocks.pop();
                i += 1;
                previous_blank = false;
                continue;
            }
        }
        // A block-level tag starts an HTML block even right after a paragraph line.
        if (previous_blank || after_raw || !nesting.in_list())
            && let Some(name) = opening_tag(content)
            && !SPAN_ELEMENTS.contains(&name.as_str())
        {
            if let Some(stripped) = strip_markdown_attribute(content) {
                let (opens, closes) = tag_balance(content, &name);
                if opens > closes && stripped.trim_end().ends_with('>') {
                    push_raw(
                        &mut prepared,
                        format!("{}\n", stripped.trim()),
                        RawKind::Open,
                    );
                    markdown_blocks.push(name);
                    i += 1;
                    previous_blank = false;
                    continue;
                }
            } else if let Some(block_end) = html_block_end(&lines, i, &name) {
                // An element inside that asks for Markdown ends the raw part before it; its
                // own line is then read like a top-level `markdown="1"` block.
                let end = (i + 1..=block_end)
                    .find(|&j| {
                        lines.get(j).is_some_and(|l| {
                            opening_tag(l.trim_start()).is_some()
                                && strip_markdown_attribute(l.trim_end_matches(['\n', '\r']))
                                    .is_some()
                        })
                    })
                    .map_or(block_end, |j| j - 1);
                let mut raw: String = lines.get(i..=end).unwrap_or_default().concat();
                // `markdown="0"` only says "no Markdown here"; kramdown drops it.
                for attribute in [" markdown=\"0\"", " markdown='0'"] {
                    if let Some(at) = raw.find(attribute) {
                        raw.replace_range(at..at + attribute.len(), "");
                    }
                }
                push_raw(&mut prepared, raw, RawKind::Whole);
                i = end + 1;
                previous_blank = false;
                continue;
            }
        }
        previous_blank = is_blank(content);
        let linked = bracket_liquid_destinations(line);
        let line = linked.as_deref().unwrap_or(line);
        match replace_inline_math(line, &mut prepared.inline_math) {
            Some(replaced) => prepared.text.push_str(&replaced),
            None => prepared.text.push_str(line),
        }
        i += 1;
    }
    prepared
}

/// kramdown's lazy list lines: a list marker indented less than the item text above it (but
/// more than that item's marker) starts a list nested in the item, where CommonMark would end
/// the item. Such lines (and the lines of their list) get the missing indentation.
#[derive(Debug, Default)]
struct ListNesting {
    /// The last list item seen: (marker indentation, content indentation).
    item: Option<(usize, usize)>,
    /// Lines indented at least `.0` get `.1` more spaces.
    shift: Option<(usize, usize)>,
}

/// (indentation, content indentation) of a list item line.
fn list_item(line: &str) -> Option<(usize, usize)> {
    let indent = indent_of(line);
    let rest = line.get(indent..)?;
    let marker_len = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after = rest.get(digits..)?;
        if digits == 0 || digits > 9 || !(after.starts_with('.') || after.starts_with(')')) {
            return None;
        }
        digits + 1
    };
    let after = rest.get(marker_len..)?;
    let spaces = after.chars().take_while(|c| *c == ' ').count();
    if spaces == 0 || after.trim().is_empty() {
        return None;
    }
    Some((indent, indent + marker_len + spaces.min(4)))
}

impl ListNesting {
    /// True while lines may belong to a list item.
    fn in_list(&self) -> bool {
        self.item.is_some()
    }

    /// The line re-indented, when it must be.
    fn line(&mut self, line: &str, previous_blank: bool) -> Option<String> {
        if is_blank(line) {
            return None;
        }
        let indent = indent_of(line);
        let mut shifted = None;
        match self.shift {
            Some((threshold, extra)) if indent >= threshold => {
                shifted = Some(format!("{}{line}", " ".repeat(extra)));
            }
            Some(_) => self.shift = None,
            None => {}
        }
        let current = shifted.as_deref().unwrap_or(line);
        match list_item(current) {
            Some((marker, content)) => {
                if let Some((above_marker, above_content)) = self.item
                    && !previous_blank
                    && above_marker < marker
                    && marker < above_content
                {
                    let extra = above_content - marker;
                    self.shift = Some((indent, extra + self.shift.map_or(0, |s| s.1)));
                    self.item = Some((above_content, content + extra));
                    return Some(format!("{}{current}", " ".repeat(extra)));
                }
                self.item = Some((marker, content));
            }
            None => {
                if previous_blank && indent == 0 {
                    self.item = None;
                    self.shift = None;
                }
            }
        }
        shifted
    }
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
fn push_raw(prepared: &mut Prepared, raw: String, kind: RawKind) {
    let n = prepared.raw_html.len();
    prepared.raw_html.push((raw, kind));
    if !prepared.text.is_empty() && !prepared.text.ends_with('\n') {
        prepared.text.push('\n');
    }
    prepared.text.push_str(&placeholder(n));
    prepared.text.push('\n');
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
        assert_eq!(
            p.raw_html,
            vec![("<div>\n\n*raw*\n\n</div>\n".to_string(), RawKind::Whole)]
        );
        assert!(p.text.ends_with("after\n"));
    }

    #[test]
    fn markdown_attribute_opens_the_block() {
        let p = prepare("<div markdown=\"1\">\n*md*\n</div>\n");
        assert_eq!(
            p.raw_html,
            vec![
                ("<div>\n".to_string(), RawKind::Open),
                ("</div>\n".to_string(), RawKind::Close)
            ]
        );
        assert!(p.text.contains("*md*"));
    }

    #[test]
    fn lazy_list_lines_nest_as_in_kramdown() {
        let p = prepare("1. a\n2. b\n  - c\n  - d\n\nnext\n");
        assert_eq!(p.text, "1. a\n2. b\n   - c\n   - d\n\nnext\n");
        let p = prepare("* a\n  * b\n");
        assert_eq!(p.text, "* a\n  * b\n");
    }

    #[test]
    fn void_tags_are_closed() {
        assert_eq!(close_void_tags("<br>"), "<br />");
        assert_eq!(
            close_void_tags("a <img src=\"x>y\" alt=''> b <br/>"),
            "a <img src=\"x>y\" alt='' /> b <br />"
        );
        assert_eq!(close_void_tags("<pre><br></pre>"), "<pre><br></pre>");
        assert_eq!(close_void_tags("<b>x</b> 3 < 4"), "<b>x</b> 3 < 4");
    }

    #[test]
    fn math_blocks_and_inline_math_as_kramdown_writes_them() {
        let p = prepare("$$\na < b\n$$\n\nSee $$x_1$$ and `$$code$$`.\n");
        assert_eq!(
            p.raw_html,
            vec![("\\[a &lt; b\\]\n".to_string(), RawKind::Whole)]
        );
        assert_eq!(p.inline_math, vec!["\\(x_1\\)".to_string()]);
        assert!(p.text.contains("See <kramdown-math-0> and `$$code$$`."));
    }

    #[test]
    fn liquid_link_destinations_are_bracketed() {
        assert_eq!(
            bracket_liquid_destinations("See [a]({{ site.baseurl }}/x \"T\") and [b](/c).\n")
                .unwrap(),
            "See [a](<{{ site.baseurl }}/x> \"T\") and [b](/c).\n"
        );
        assert_eq!(
            bracket_liquid_destinations("[r]: {% post_url 2020-01-01-a %}\n").unwrap(),
            "[r]: <{% post_url 2020-01-01-a %}>\n"
        );
        assert!(bracket_liquid_destinations("plain {{ x }}\n").is_none());
    }

    #[test]
    fn markdown_element_inside_a_raw_block_is_opened() {
        let p = prepare("<div class=\"grid\">\n  <div markdown=\"1\">\n*md*\n  </div>\n</div>\n");
        assert_eq!(
            p.raw_html,
            vec![
                ("<div class=\"grid\">\n".to_string(), RawKind::Whole),
                ("<div>\n".to_string(), RawKind::Open),
                ("</div>\n".to_string(), RawKind::Close),
            ]
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
