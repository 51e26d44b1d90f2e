//! kramdown's own table syntax, which every pipe table goes through (CommonMark's GFM tables
//! differ): lines holding a `|`, separator lines (`|---|:-:|`) that end the header and set the
//! alignment or start a new body, `|===` lines that start the footer, rows padded to the widest.
//! A table needs a blank line (or the start) before it and after it.

/// A column's alignment, from the header separator line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// No colon.
    Default,
    /// `:--`
    Left,
    /// `:-:`
    Center,
    /// `--:`
    Right,
}

/// Which part of the table a group of rows is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `<thead>`
    Head,
    /// `<tbody>`
    Body,
    /// `<tfoot>`
    Foot,
}

/// A table read from its lines: sections of rows of cell texts (Markdown, trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// One alignment per column.
    pub alignments: Vec<Align>,
    /// The sections in order, each with its rows.
    pub sections: Vec<(Section, Vec<Vec<String>>)>,
}

/// True when `line` has a `|` that is neither escaped nor inside a code span (kramdown's
/// `TABLE_PIPE_CHECK`, and its later check that a pipe is outside code).
fn has_pipe(line: &str) -> bool {
    let mut previous = ' ';
    let mut code_ticks: Option<usize> = None;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '`' {
            let run = chars
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|x| **x == '`')
                .count();
            code_ticks = match code_ticks {
                None => Some(run),
                Some(open) if open == run => None,
                other => other,
            };
            i += run;
            previous = '`';
            continue;
        }
        if c == '|' && code_ticks.is_none() && previous != '\\' {
            return true;
        }
        previous = c;
        i += 1;
    }
    false
}

/// kramdown's `TABLE_SEP_LINE`: only `+|: \t-`, with a `-`.
fn is_separator(line: &str) -> bool {
    line.contains('-')
        && line
            .chars()
            .all(|c| matches!(c, '+' | '|' | ':' | ' ' | '\t' | '-'))
}

/// kramdown's `TABLE_FSEP_LINE`: only `+|: \t=`, with a `=`.
fn is_footer_separator(line: &str) -> bool {
    line.contains('=')
        && line
            .chars()
            .all(|c| matches!(c, '+' | '|' | ':' | ' ' | '\t' | '='))
}

/// The alignments a separator line gives (kramdown's `TABLE_HSEP_ALIGN` scan).
fn alignments(line: &str) -> Vec<Align> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let left = chars.get(i) == Some(&':');
        let start = if left { i + 1 } else { i };
        let mut j = start;
        while chars.get(j) == Some(&'-') {
            j += 1;
        }
        if j > start {
            let right = chars.get(j) == Some(&':');
            out.push(match (left, right) {
                (false, false) => Align::Default,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (true, true) => Align::Center,
            });
            i = if right { j + 1 } else { j };
        } else {
            i += 1;
        }
    }
    out
}

/// A row's cells: split at unescaped pipes outside code spans, `\|` made `|`.
fn cells(line: &str, leading_pipe: bool) -> Vec<String> {
    let mut cells = vec![String::new()];
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut code_ticks: Option<usize> = None;
    while let Some(&c) = chars.get(i) {
        if c == '`' {
            let run = chars
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|x| **x == '`')
                .count();
            code_ticks = match code_ticks {
                None => Some(run),
                Some(open) if open == run => None,
                other => other,
            };
            if let Some(cell) = cells.last_mut() {
                cell.extend(std::iter::repeat_n('`', run));
            }
            i += run;
            continue;
        }
        if code_ticks.is_none() && c == '\\' && chars.get(i + 1) == Some(&'|') {
            if let Some(cell) = cells.last_mut() {
                cell.push('|');
            }
            i += 2;
            continue;
        }
        if code_ticks.is_none() && c == '|' {
            cells.push(String::new());
        } else if let Some(cell) = cells.last_mut() {
            cell.push(c);
        }
        i += 1;
    }
    if leading_pipe && cells.first().is_some_and(|c| c.trim().is_empty()) {
        cells.remove(0);
    }
    if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Reads a table starting at `lines[start]` (already after a block boundary). Returns the
/// table and the index of the first line after it, or `None` when kramdown would not see a
/// table there.
pub fn read(lines: &[&str], start: usize) -> Option<(Table, usize)> {
    let first = lines.get(start)?.trim_end_matches(['\n', '\r']);
    if first.len() - first.trim_start_matches(' ').len() > 3
        || first.trim().is_empty()
        || !has_pipe(first)
    {
        return None;
    }
    let leading_pipe = first.trim_start().starts_with('|');
    let mut table = Table {
        alignments: Vec::new(),
        sections: Vec::new(),
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut has_footer = false;
    let mut i = start;
    while let Some(raw) = lines.get(i) {
        let line = raw.trim_end_matches(['\n', '\r']);
        if !has_pipe(line) {
            break;
        }
        let trimmed = line.trim_end();
        if is_separator(trimmed) {
            if rows.is_empty() {
            } else if table.alignments.is_empty() && !has_footer {
                table
                    .sections
                    .push((Section::Head, std::mem::take(&mut rows)));
                table.alignments = alignments(trimmed);
                if table.alignments.is_empty() {
                    table.alignments.push(Align::Default);
                }
            } else if !has_footer {
                table
                    .sections
                    .push((Section::Body, std::mem::take(&mut rows)));
            }
        } else if is_footer_separator(trimmed) {
            if !rows.is_empty() {
                table
                    .sections
                    .push((Section::Body, std::mem::take(&mut rows)));
            }
            has_footer = true;
        } else {
            rows.push(cells(trimmed, leading_pipe));
        }
        i += 1;
    }
    // A table ends at a blank line, an attribute list line or the end.
    match lines.get(i) {
        None => {}
        Some(next) if next.trim().is_empty() || next.trim_start().starts_with("{:") => {}
        Some(_) => return None,
    }
    if !rows.is_empty() {
        let section = if has_footer {
            Section::Foot
        } else {
            Section::Body
        };
        table.sections.push((section, rows));
    }
    if !table.sections.iter().any(|(s, _)| *s == Section::Body) {
        return None;
    }
    let columns = table
        .sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(Vec::len))
        .max()
        .unwrap_or(0);
    for (_, rows) in &mut table.sections {
        for row in rows {
            row.resize(columns, String::new());
        }
    }
    table.alignments.resize(columns, Align::Default);
    Some((table, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.split_inclusive('\n').collect()
    }

    #[test]
    fn header_separator_sets_alignment() {
        let text = "| a | b | c |\n|:--|:-:|--:|\n| 1 | `x|y` | |\n";
        let (table, end) = read(&lines(text), 0).unwrap();
        assert_eq!(end, 3);
        assert_eq!(
            table.alignments,
            vec![Align::Left, Align::Center, Align::Right]
        );
        assert_eq!(
            table.sections[1].1,
            vec![vec!["1".to_string(), "`x|y`".to_string(), String::new()]]
        );
    }

    #[test]
    fn kramdown_style_rules_and_footer() {
        let text = "|---\n| A | B\n|-|-\n| 1 | 2\n|---\n| 3\n|===\n| f | g\n";
        let (table, _) = read(&lines(text), 0).unwrap();
        let kinds: Vec<Section> = table.sections.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            kinds,
            vec![Section::Head, Section::Body, Section::Body, Section::Foot]
        );
        assert_eq!(
            table.sections[2].1,
            vec![vec!["3".to_string(), String::new()]]
        );
    }

    #[test]
    fn no_table_without_a_body_or_boundary() {
        assert!(read(&lines("| a |\n|---|\n"), 0).is_none());
        assert!(read(&lines("a | b\n--|--\n1 | 2\n3\n"), 0).is_none());
        assert!(read(&lines("plain\n"), 0).is_none());
        assert!(read(&lines("a `||` b\n"), 0).is_none());
    }
}
