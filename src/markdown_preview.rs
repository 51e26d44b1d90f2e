//! Kramdown and GFM constructs the preview's CommonMark renderer does not know, rewritten into
//! what Jekyll would show: HTML comments and kramdown attribute lists (`{: .class}`, `{:#id}`,
//! heading `{#id}`) vanish, footnote references become superscript numbers (also inside block
//! quotes, which the preview lays out apart from the definitions), and a task list shows only
//! its checkboxes. Code spans and code blocks are never touched. No UI here.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// The box shown for an open task.
pub const TASK_OPEN: &str = "☐";
/// The box shown for a done task.
pub const TASK_DONE: &str = "☑";

/// A kramdown inline or block attribute list: `{: .class}`, `{:.class}`, `{: #id key="v"}`.
static ATTRIBUTE_LIST: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[ \t]*\{:[^}\n]*\}").ok());

/// A kramdown header id at the end of a heading line: `## Title {#custom-id}`.
static HEADING_ID: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[ \t]+\{#[A-Za-z][\w:.-]*\}[ \t]*$").ok());

/// One replacement of a byte range of the source.
struct Edit {
    range: Range<usize>,
    text: String,
}

/// A top-level list being read: its items as (item range, task marker, checked).
#[derive(Default)]
struct ListInProgress {
    items: Vec<TaskItem>,
    is_all_tasks: bool,
}

struct TaskItem {
    range: Range<usize>,
    marker: Option<(Range<usize>, bool)>,
}

/// Rewrites `markdown` for the preview (see the module docs). Text without any of the
/// constructs is returned as it is, without parsing.
pub fn for_preview(markdown: &str) -> String {
    let markers = ["<!--", "{:", "{#", "[^", "[ ]", "[x]", "[X]"];
    if !markers.iter().any(|m| markdown.contains(m)) {
        return markdown.to_string();
    }
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .collect();

    // Footnotes are numbered in the order of their first reference, as kramdown does.
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for (event, _) in &events {
        if let Event::FootnoteReference(label) = event {
            let next = numbers.len() + 1;
            numbers.entry(label.to_string()).or_insert(next);
        }
    }

    let mut code: Vec<Range<usize>> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut list_depth = 0usize;
    let mut list: Option<ListInProgress> = None;
    for (event, range) in &events {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => code.push(range.clone()),
            Event::Start(Tag::HtmlBlock) => {
                let html = markdown.get(range.clone()).unwrap_or("").trim();
                if html.starts_with("<!--") && html.ends_with("-->") {
                    edits.push(Edit {
                        range: range.clone(),
                        text: String::new(),
                    });
                }
            }
            Event::InlineHtml(html) if html.starts_with("<!--") => {
                // Between two spaces, one of them goes too, so no double space is left.
                let before = markdown.get(..range.start).unwrap_or("");
                let after = markdown.get(range.end..).unwrap_or("");
                let end = if before.ends_with(' ') && after.starts_with(' ') {
                    range.end + 1
                } else {
                    range.end
                };
                edits.push(Edit {
                    range: range.start..end,
                    text: String::new(),
                });
            }
            Event::FootnoteReference(label) => {
                let number = numbers.get(label.as_ref()).copied().unwrap_or(0);
                edits.push(Edit {
                    range: range.clone(),
                    text: superscript(number),
                });
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let next = numbers.len() + 1;
                let number = *numbers.entry(label.to_string()).or_insert(next);
                let source = markdown.get(range.clone()).unwrap_or("");
                if let Some(end) = source.find("]:") {
                    edits.push(Edit {
                        range: range.start..range.start + end + 1,
                        text: format!("[^{number}]"),
                    });
                }
            }
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if list_depth == 1 {
                    list = Some(ListInProgress {
                        is_all_tasks: true,
                        ..ListInProgress::default()
                    });
                }
            }
            Event::Start(Tag::Item) if list_depth == 1 => {
                if let Some(list) = &mut list {
                    list.items.push(TaskItem {
                        range: range.clone(),
                        marker: None,
                    });
                }
            }
            Event::TaskListMarker(checked) if list_depth == 1 => {
                if let Some(item) = list.as_mut().and_then(|l| l.items.last_mut()) {
                    item.marker = Some((range.clone(), *checked));
                }
            }
            Event::End(TagEnd::List(_)) => {
                if list_depth == 1
                    && let Some(done) = list.take()
                {
                    edits.extend(task_list_edits(markdown, done));
                }
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Heading { .. }) => {
                let line = markdown.get(range.clone()).unwrap_or("");
                let line = line.split('\n').next().unwrap_or("").trim_end_matches('\r');
                if let Some(found) = HEADING_ID.as_ref().and_then(|re| re.find(line)) {
                    edits.push(Edit {
                        range: range.start + found.start()..range.start + found.end(),
                        text: String::new(),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(re) = ATTRIBUTE_LIST.as_ref() {
        for found in re.find_iter(markdown) {
            edits.push(Edit {
                range: found.range(),
                text: String::new(),
            });
        }
    }
    apply(markdown, edits, &code)
}

/// The edits that turn a top-level list with tasks into lines of checkboxes (other items keep a
/// `•`), one per line; a list with an item of more than one line is left to the renderer.
fn task_list_edits(markdown: &str, mut list: ListInProgress) -> Vec<Edit> {
    list.is_all_tasks = list.items.iter().any(|item| item.marker.is_some())
        && list.items.iter().all(|item| {
            !markdown
                .get(item.range.clone())
                .unwrap_or("")
                .trim_end()
                .contains('\n')
        });
    if !list.is_all_tasks {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let count = list.items.len();
    for (i, item) in list.items.iter().enumerate() {
        let content = markdown.get(item.range.clone()).unwrap_or("");
        let (marker_end, box_text) = match &item.marker {
            Some((marker, true)) => (marker.end, TASK_DONE),
            Some((marker, false)) => (marker.end, TASK_OPEN),
            // A plain item: its marker and the space after it.
            None => {
                let marker_len = content.find([' ', '\t']).unwrap_or(0);
                (item.range.start + marker_len, "•")
            }
        };
        edits.push(Edit {
            range: item.range.start..marker_end,
            text: box_text.to_string(),
        });
        // Tight items would run together as one paragraph: end each line with a hard break.
        let content_end = item.range.start + content.trim_end().len();
        let gap = markdown
            .get(content_end..list.items.get(i + 1).map_or(content_end, |n| n.range.start))
            .unwrap_or("");
        if i + 1 < count && gap.matches('\n').count() == 1 {
            edits.push(Edit {
                range: content_end..content_end,
                text: "\\".to_string(),
            });
        }
    }
    edits
}

/// Applies non-overlapping edits in order, skipping any that touch code.
fn apply(markdown: &str, mut edits: Vec<Edit>, code: &[Range<usize>]) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for edit in edits {
        let in_code = code.iter().any(|c| {
            edit.range.start < c.end && c.start < edit.range.end.max(edit.range.start + 1)
        });
        if edit.range.start < at || in_code {
            continue;
        }
        out.push_str(markdown.get(at..edit.range.start).unwrap_or(""));
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(markdown.get(at..).unwrap_or(""));
    out
}

/// `n` in superscript digits, as a footnote mark.
fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .filter_map(|d| d.to_digit(10).and_then(|d| DIGITS.get(d as usize)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_vanish_inline_and_as_blocks_but_not_in_code() {
        let text = "Text <!-- note --> more.\n\n<!-- A block\nover lines -->\n\nAfter `<!-- kept -->`.\n\n```html\n<!-- kept too -->\n```\n";
        let out = for_preview(text);
        assert!(!out.contains("note"), "{out}");
        assert!(!out.contains("A block"), "{out}");
        assert!(out.contains("Text more."), "{out}");
        assert!(out.contains("`<!-- kept -->`"), "{out}");
        assert!(out.contains("<!-- kept too -->"), "{out}");
    }

    #[test]
    fn attribute_lists_and_heading_ids_vanish() {
        let text = "A paragraph.\n{: .center}\n\n![Alt](/x.png){:.wide}\n\n## Heading {#custom-id}\n\nWord{: #id}.\n\n`{: .code}`\n";
        let out = for_preview(text);
        assert_eq!(
            out,
            "A paragraph.\n\n\n![Alt](/x.png)\n\n## Heading\n\nWord.\n\n`{: .code}`\n"
        );
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_also_in_block_quotes() {
        let text = "> A claim[^src].\n\nText[^a] and again[^src].\n\n[^a]: First def.\n[^src]: Source.\n\n`[^a]` in code.\n";
        let out = for_preview(text);
        assert!(out.contains("> A claim¹."), "{out}");
        assert!(out.contains("Text² and again¹."), "{out}");
        assert!(out.contains("[^2]: First def."), "{out}");
        assert!(out.contains("[^1]: Source."), "{out}");
        assert!(out.contains("`[^a]` in code."), "{out}");
        // A reference without a definition stays text, as kramdown leaves it.
        assert_eq!(for_preview("No def[^x].\n"), "No def[^x].\n");
    }

    #[test]
    fn task_lists_become_checkbox_lines_without_bullets() {
        let text = "- [ ] Write\n- [x] Pick a **title**\n- [X] Last\n\n* plain\n* [ ] mixed\n";
        let out = for_preview(text);
        assert!(
            out.starts_with("☐ Write\\\n☑ Pick a **title**\\\n"),
            "{out}"
        );
        assert!(out.contains("☑ Last"), "{out}");
        assert!(out.contains("• plain\\\n☐ mixed"), "{out}");
        let long = "- [ ] a task\n- an item\n  on two lines\n";
        assert_eq!(
            for_preview(long),
            long,
            "a list with a long item is left alone"
        );
    }

    #[test]
    fn plain_text_is_returned_unchanged() {
        let text = "# Title\n\nJust *text* with {braces} and [links](x).\n";
        assert_eq!(for_preview(text), text);
    }
}
