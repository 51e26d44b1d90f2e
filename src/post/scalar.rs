//! Writes values as YAML text that Jekyll (Psych, YAML 1.1) and serde_yaml read back as the
//! same value, quoting only where needed and in the style the file already uses.

use serde_yaml::Value;

use super::psych;

/// How a scalar is quoted in the file; new text for a field keeps the field's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuoteStyle {
    /// `title: Hello`
    #[default]
    Plain,
    /// `title: 'Hello'`
    Single,
    /// `title: "Hello"`
    Double,
}

impl QuoteStyle {
    /// The style of a value token as written in the file.
    pub fn of_token(token: &str) -> QuoteStyle {
        match token.as_bytes().first() {
            Some(b'"') => QuoteStyle::Double,
            Some(b'\'') => QuoteStyle::Single,
            _ => QuoteStyle::Plain,
        }
    }
}

/// Words YAML 1.1 (Jekyll's Psych) or 1.2 read as something other than a string.
const SPECIAL_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf",
];

/// True when `s` can be written without quotes and still read back as the same string,
/// in Psych and in serde_yaml alike. `in_flow` adds the restrictions of `[a, b]` lists.
pub fn is_plain_safe(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let starts_well = first.is_ascii_alphabetic()
        || matches!(
            first,
            '_' | '/' | '(' | '<' | '$' | '=' | '^' | '\\' | ';' | ')'
        )
        || (!first.is_ascii()
            && !first.is_whitespace()
            && !matches!(first, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}'));
    if !starts_well
        || s.ends_with([' ', '\t', ':'])
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(":\t")
        || s.contains("\t#")
        || s.chars()
            .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
        || SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
        || psych::plain_is_not_text(s)
    {
        return false;
    }
    matches!(serde_yaml::from_str::<Value>(s), Ok(Value::String(read)) if read == s)
}

/// `s` as a double-quoted YAML scalar, escaping only what must be escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a single-quoted YAML scalar, or None when single quotes cannot hold it.
pub fn single_quoted(s: &str) -> Option<String> {
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
    {
        return None;
    }
    Some(format!("'{}'", s.replace('\'', "''")))
}

/// A string written in the preferred style when that style can hold it, else the nearest
/// safe style (plain → double quotes; single quotes with a newline → double quotes).
pub fn string_scalar(s: &str, prefer: QuoteStyle, in_flow: bool) -> String {
    match prefer {
        QuoteStyle::Plain if is_plain_safe(s, in_flow) => s.to_string(),
        QuoteStyle::Single => single_quoted(s).unwrap_or_else(|| double_quoted(s)),
        _ => double_quoted(s),
    }
}

/// Any YAML value on one line (flow style), strings in the preferred quote style; used for
/// new keys so that adding a key adds exactly one line.
pub fn flow_value(value: &Value, prefer: QuoteStyle, in_flow: bool) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, prefer, in_flow),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(|v| flow_value(v, prefer, true)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        flow_value(k, prefer, true),
                        flow_value(v, prefer, true)
                    )
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Tagged(tagged) => format!(
            "{} {}",
            tagged.tag,
            flow_value(&tagged.value, prefer, in_flow)
        ),
    }
}

/// A map or list as block YAML lines indented by `indent` spaces (without line endings),
/// every string quoted by YAML 1.1 and 1.2 rules (`yes` is written `"yes"`).
pub fn block_lines(value: &Value, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                let key = flow_value(k, QuoteStyle::Plain, false);
                match v {
                    Value::Mapping(m) if !m.is_empty() => {
                        lines.push(format!("{pad}{key}:"));
                        lines.extend(block_lines(v, indent + 2));
                    }
                    Value::Sequence(s) if !s.is_empty() => {
                        lines.push(format!("{pad}{key}:"));
                        lines.extend(block_lines(v, indent + 2));
                    }
                    Value::Null => lines.push(format!("{pad}{key}:")),
                    other => lines.push(format!(
                        "{pad}{key}: {}",
                        flow_value(other, QuoteStyle::Plain, false)
                    )),
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                match item {
                    Value::Mapping(m) if !m.is_empty() => {
                        let inner = block_lines(item, indent + 2);
                        for (i, line) in inner.into_iter().enumerate() {
                            if i == 0 {
                                let rest = line.get(indent + 2..).unwrap_or("");
                                lines.push(format!("{pad}- {rest}"));
                            } else {
                                lines.push(line);
                            }
                        }
                    }
                    other => lines.push(format!(
                        "{pad}- {}",
                        flow_value(other, QuoteStyle::Plain, false)
                    )),
                }
            }
        }
        other => lines.push(format!(
            "{pad}{}",
            flow_value(other, QuoteStyle::Plain, false)
        )),
    }
    lines
}

/// A scalar value as the text a form field shows (strings as they are, numbers and booleans
/// as written, null as empty).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_back(text: &str) -> Value {
        serde_yaml::from_str::<Value>(&format!("k: {text}")).unwrap()["k"].clone()
    }

    #[test]
    fn strings_that_look_like_other_types_are_quoted() {
        for s in [
            "2024",
            "yes",
            "No",
            "null",
            "~",
            "Foo: bar",
            "#1",
            "true",
            "1.5",
            "12:30",
            "2025-01-01",
            "-x",
            "",
            " lead",
            "[a]",
            ".inf",
            "@me",
            "a #b",
        ] {
            let text = string_scalar(s, QuoteStyle::Plain, false);
            assert_ne!(text, s, "{s:?} must be quoted");
            assert_eq!(
                reads_back(&text),
                Value::String(s.to_string()),
                "{s:?} → {text}"
            );
        }
    }

    #[test]
    fn ordinary_strings_stay_plain_and_apostrophes_are_fine() {
        for s in [
            "it's",
            "Hello world",
            "Ünïcode title",
            "🐍 Python APIs",
            "Foo --- Bar",
            "a:b",
            "<span>x</span>",
        ] {
            assert_eq!(string_scalar(s, QuoteStyle::Plain, false), s);
            assert_eq!(reads_back(s), Value::String(s.to_string()));
        }
    }

    #[test]
    fn quoted_styles_escape_correctly() {
        let s = "He said \"hi\"\\ it's\nnew";
        for style in [QuoteStyle::Double, QuoteStyle::Single] {
            let text = string_scalar(s, style, false);
            assert_eq!(reads_back(&text), Value::String(s.into()), "{text}");
        }
        assert_eq!(string_scalar("it's", QuoteStyle::Single, false), "'it''s'");
        assert_eq!(string_scalar("x", QuoteStyle::Double, false), "\"x\"");
    }

    #[test]
    fn flow_items_quote_commas_and_brackets() {
        let v: Value = serde_yaml::from_str("[a, 'b, c', '[d]', 2024]").unwrap();
        let text = flow_value(&v, QuoteStyle::Plain, false);
        assert_eq!(text, "[a, \"b, c\", \"[d]\", 2024]");
        assert_eq!(reads_back(&text), v);
    }
}
