//! How Ruby sees Liquid values: `to_s`, truthiness, `inspect`, `to_json`, and Jekyll's property
//! lookup (`item_property`) — the semantics Jekyll's filters are written in.

use liquid_core::model::ScalarCow;
use liquid_core::{Value, ValueView};

/// Ruby's `to_s` of a value: nil is empty, a time is `2016-05-20 00:00:00 +0000`, an array or
/// a hash is its `inspect`.
pub(crate) fn ruby_to_s(value: &dyn ValueView) -> String {
    if value.is_nil() {
        return String::new();
    }
    if value.as_array().is_some() || value.as_object().is_some() {
        return inspect(value);
    }
    if value.type_name() == "fractional number"
        && let Some(float) = value.as_scalar().and_then(|s| s.to_float())
    {
        return ruby_float(float);
    }
    value.to_kstr().into_string()
}

/// Ruby's truthiness: only nil and false are false.
pub(crate) fn ruby_truthy(value: &dyn ValueView) -> bool {
    if value.is_nil() {
        return false;
    }
    !matches!(value.as_scalar().and_then(|s| s.to_bool()), Some(false))
}

/// A float as Ruby writes it: `1.0`, `2.5`, `1.0e+20`.
pub(crate) fn ruby_float(float: f64) -> String {
    if float.is_nan() {
        return "NaN".to_string();
    }
    if float.is_infinite() {
        return if float > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let magnitude = float.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        let text = format!("{float:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let text = format!("{float}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// A string in Ruby's `inspect` quoting (`"a \"b\"\n"`).
pub(crate) fn inspect_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{0b}' => out.push_str("\\v"),
            '\u{08}' => out.push_str("\\b"),
            '\u{07}' => out.push_str("\\a"),
            '\u{1b}' => out.push_str("\\e"),
            '#' if matches!(chars.peek(), Some('{' | '$' | '@')) => out.push_str("\\#"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Ruby 3.1's `inspect` of a value: `nil`, `"text"`, `[1, "a"]`, `{"k"=>"v"}`.
pub(crate) fn inspect(value: &dyn ValueView) -> String {
    if value.is_nil() {
        return "nil".to_string();
    }
    if let Some(array) = value.as_array() {
        let items: Vec<String> = array.values().map(inspect).collect();
        return format!("[{}]", items.join(", "));
    }
    if let Some(object) = value.as_object() {
        let items: Vec<String> = object
            .iter()
            .map(|(key, value)| format!("{}=>{}", inspect_string(key.as_str()), inspect(value)))
            .collect();
        return format!("{{{}}}", items.join(", "));
    }
    match value.type_name() {
        "string" => inspect_string(&value.to_kstr()),
        "fractional number" => ruby_to_s(value),
        _ => value.to_kstr().into_string(),
    }
}

/// A string as Ruby's JSON writes it (UTF-8 kept, `/` kept, control characters escaped).
pub(crate) fn json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Ruby's `to_json` of a value (Jekyll's `jsonify`): compact, keys in their order, a time as
/// its `to_s` in quotes.
pub(crate) fn to_json(value: &dyn ValueView, out: &mut String) {
    if value.is_nil() {
        out.push_str("null");
    } else if let Some(array) = value.as_array() {
        out.push('[');
        for (index, item) in array.values().enumerate() {
            if index > 0 {
                out.push(',');
            }
            to_json(item, out);
        }
        out.push(']');
    } else if let Some(object) = value.as_object() {
        out.push('{');
        for (index, (key, item)) in object.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            json_string(key.as_str(), out);
            out.push(':');
            to_json(item, out);
        }
        out.push('}');
    } else {
        match value.type_name() {
            "whole number" | "boolean" => out.push_str(&value.to_kstr()),
            "fractional number" => out.push_str(&ruby_to_s(value)),
            _ => json_string(&ruby_to_s(value), out),
        }
    }
}

/// `item`'s `property` the way Jekyll's `item_property` reads it: `a.b.c` walks nested hashes,
/// and a value that looks like a number becomes that number (so `"05"` groups as `5`).
pub(crate) fn value_at(item: &dyn ValueView, property: &str) -> Value {
    let found = if property.contains('.') {
        let mut current: Option<Value> = Some(item.to_value());
        for key in property.split('.') {
            current = current.and_then(|value| lookup(&value, key));
        }
        current
    } else {
        lookup(&item.to_value(), property)
    };
    match found {
        Some(value) => numeric_like(value),
        None => Value::Nil,
    }
}

fn lookup(value: &Value, key: &str) -> Option<Value> {
    if let Some(object) = value.as_object() {
        return object.get(key).map(|v| v.to_value());
    }
    if let Some(array) = value.as_array() {
        let index: i64 = key.parse().ok()?;
        return array
            .get(index)
            .map(|v: &dyn ValueView| v.to_value())
            .filter(|v| !v.is_nil());
    }
    None
}

/// Jekyll's `parse_sort_input`: integer-looking text as an integer, float-looking text as a
/// float, anything else unchanged.
pub(crate) fn numeric_like(value: Value) -> Value {
    let text = ruby_to_s(&value);
    let trimmed = text.trim_matches(ruby_space);
    if is_integer_like(trimmed)
        && let Ok(number) = trimmed.parse::<i64>()
    {
        return Value::scalar(number);
    }
    if is_float_like(trimmed) {
        let normalized = if trimmed.ends_with('.') {
            format!("{trimmed}0")
        } else {
            trimmed.to_string()
        };
        if let Ok(number) = normalized.parse::<f64>() {
            return Value::scalar(number);
        }
    }
    value
}

fn ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}')
}

fn is_integer_like(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_float_like(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    if let Some(fraction) = body.strip_prefix('.') {
        return !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
    }
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `site.<key>` (or any global path) from the runtime, when defined.
pub(crate) fn global_at(runtime: &dyn liquid_core::Runtime, path: &[&str]) -> Option<Value> {
    let path: Vec<ScalarCow<'_>> = path.iter().map(|key| ScalarCow::new(*key)).collect();
    runtime.try_get(&path).map(|value| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_writes_ruby_literals() {
        let value = liquid::model::value!({"a": [1, "x\"y", nil, true, 1.5]});
        assert_eq!(inspect(&value), r#"{"a"=>[1, "x\"y", nil, true, 1.5]}"#);
    }

    #[test]
    fn floats_are_written_as_ruby_does() {
        assert_eq!(ruby_float(1.0), "1.0");
        assert_eq!(ruby_float(2.5), "2.5");
        assert_eq!(ruby_float(1e20), "1.0e+20");
    }

    #[test]
    fn properties_that_look_like_numbers_become_numbers() {
        let item = liquid::model::value!({"n": "05", "f": "1.50", "t": "x5", "d": {"e": "7"}});
        assert_eq!(value_at(&item, "n"), Value::scalar(5i64));
        assert_eq!(value_at(&item, "f"), Value::scalar(1.5f64));
        assert_eq!(value_at(&item, "t"), Value::scalar("x5"));
        assert_eq!(value_at(&item, "d.e"), Value::scalar(7i64));
        assert_eq!(value_at(&item, "missing"), Value::Nil);
    }
}
