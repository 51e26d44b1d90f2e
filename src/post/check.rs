//! Finds the problems in a post that Jekyll would reject or silently misread, each located at
//! a file line and column so the command line and the editor can point at it.

use serde_yaml::Value;

use super::Post;
use super::date::PostDate;
use crate::error::{DateProblem, Error};

pub use crate::diagnostic::{Diagnostic, Severity};

/// What `check`, export and the form say of `published` written as a string: one wording.
pub fn published_string_message(text: &str) -> String {
    format!(
        "`published: \"{text}\"` is a string, not a boolean: only `published: false` hides a post"
    )
}

/// Checks a file's bytes: encoding first, then the post's structure and fields.
pub fn check_bytes(bytes: &[u8]) -> Vec<Diagnostic> {
    match Post::parse(bytes) {
        Ok(post) => check(&post),
        Err(err) => vec![Diagnostic::from_error(&err)],
    }
}

/// Checks a post: front matter that does not parse or is not a map, duplicate keys, dates
/// Jekyll rejects, and values that do not mean what they look like.
pub fn check(post: &Post) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if post.is_front_matter_unclosed() {
        out.push(Diagnostic::from_error(&Error::UnclosedFrontMatter));
        return out;
    }
    let Some(front) = post.front_matter() else {
        let message = if post.body().starts_with("+++") {
            "TOML front matter (+++) is not read by Jekyll; Byline keeps it as body text"
        } else {
            "no front matter: Jekyll copies this file as it is instead of rendering it as a post"
        };
        out.push(Diagnostic::at(1, Severity::Warning, message.to_string()));
        return out;
    };
    if let Some(err) = front.error() {
        out.push(Diagnostic {
            line: err.line,
            column: err.column,
            severity: Severity::Error,
            message: err.message.clone(),
        });
        return out;
    }
    let Ok(block) = front.block() else {
        return out;
    };
    let line_of = |key: &str| block.entry(key).map_or(2, |e| e.line + 2);
    for (key, lines) in &block.duplicates {
        let file_lines: Vec<String> = lines.iter().map(|l| (l + 1).to_string()).collect();
        out.push(Diagnostic::at(
            lines.last().map_or(2, |l| l + 1),
            Severity::Warning,
            format!(
                "duplicate key `{key}` on lines {}; Jekyll uses the last one",
                file_lines.join(" and ")
            ),
        ));
    }
    if let Some(Err(err)) = post.date() {
        let text = post.text("date").unwrap_or_default();
        // Jekyll reads some odd forms through Ruby's lenient Time.parse; a text that starts
        // with a real calendar date is likely one of those, anything else fails the build.
        let starts_with_date = text
            .get(..10)
            .is_some_and(|prefix| PostDate::parse(prefix).is_ok());
        let is_impossible = matches!(
            err,
            Error::InvalidDate {
                problem: DateProblem::Impossible,
                ..
            }
        );
        let severity = if starts_with_date && !is_impossible {
            Severity::Warning
        } else {
            Severity::Error
        };
        out.push(Diagnostic::at(line_of("date"), severity, err.to_string()));
    }
    if let Some(Value::String(s)) = post.get("published") {
        out.push(Diagnostic::at(
            line_of("published"),
            Severity::Warning,
            published_string_message(s),
        ));
    }
    // Psych (YAML 1.1) reads plain yes/no/on/off as booleans: a text field written that way
    // shows as `true`/`false` on the site.
    for spec in super::registry::FIELDS.iter().filter(|f| f.is_text()) {
        if let Some(entry) = block.entry(spec.name)
            && let Some(token) = entry.inline_token(front.yaml())
            && let Some(Value::Bool(b)) = post.get(spec.name)
            && !matches!(token, "true" | "false")
        {
            out.push(Diagnostic::at(
                entry.line + 2,
                Severity::Warning,
                format!(
                    "Jekyll reads `{}: {token}` as the boolean {b}; quote it (\"{token}\") to keep the text",
                    spec.name
                ),
            ));
        }
    }
    // Text fields of the registry that hold a list or a map: a broken title is an error (the
    // page has no heading), other text fields a warning.
    for spec in super::registry::FIELDS
        .iter()
        .filter(|f| f.kind == super::registry::FieldKind::Text)
    {
        if let Some(value) = post.get(spec.name)
            && matches!(value, Value::Sequence(_) | Value::Mapping(_))
        {
            let severity = if spec.name == "title" {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.push(Diagnostic::at(
                line_of(spec.name),
                severity,
                format!("`{}` must be text", spec.name),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn severities(text: &str) -> Vec<(usize, Severity)> {
        check_bytes(text.as_bytes())
            .iter()
            .map(|d| (d.line, d.severity))
            .collect()
    }

    #[test]
    fn a_clean_post_has_no_problems() {
        assert!(severities("---\ntitle: a\ndate: 2025-11-30\n---\nbody").is_empty());
    }

    #[test]
    fn each_problem_is_reported_at_its_line() {
        assert_eq!(
            severities("---\ntitle: a\ndate: 2025-02-30\n---\n"),
            vec![(3, Severity::Error)]
        );
        assert_eq!(
            severities("---\ntitle: a\ndate: tomorrow\n---\n"),
            vec![(3, Severity::Error)]
        );
        assert_eq!(
            severities("---\ndate: 2023-01-29 18:30:22 2023 -0800\n---\n"),
            vec![(2, Severity::Warning)]
        );
        assert_eq!(
            severities("---\na: 1\nb: 2\na: 3\n---\n"),
            vec![(4, Severity::Warning)]
        );
        assert_eq!(
            severities("---\npublished: \"false\"\n---\n"),
            vec![(2, Severity::Warning)]
        );
        assert_eq!(severities("---\n- a\n---\n"), vec![(2, Severity::Error)]);
        // Psych reads a plain `no` as false: the post is hidden, which is no surprise to
        // report; a quoted "no" is a string that does NOT hide it.
        assert_eq!(severities("---\npublished: no\n---\n"), vec![]);
        assert_eq!(
            severities("---\npublished: \"no\"\n---\n"),
            vec![(2, Severity::Warning)]
        );
        assert_eq!(
            severities("---\ntitle: yes\n---\n"),
            vec![(2, Severity::Warning)]
        );
        assert_eq!(
            severities("---\ntitle: [a]\nslug: {a: b}\n---\n"),
            vec![(2, Severity::Error), (3, Severity::Warning)]
        );
        assert_eq!(severities("---\ntitle: x\n"), vec![(1, Severity::Error)]);
        assert_eq!(severities("no front matter"), vec![(1, Severity::Warning)]);
        assert_eq!(severities("ok\n\0"), vec![(2, Severity::Error)]);
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            yaml.push_str(&format!(
                "{}: &{} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                p = (b'a' + i - 1) as char
            ));
        }
        // 9^12 expanded nodes: reading it whole would not finish; it is refused instead (no
        // timing is asserted, the test would simply never end).
        let found = severities(&format!("---\n{yaml}---\n"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, Severity::Error);
    }
}
