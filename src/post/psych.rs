//! Reads YAML the way Jekyll does: Jekyll loads front matter with Ruby's Psych
//! (`Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)`, YAML 1.1), which
//! differs from serde_yaml (YAML 1.2) in ways that change what a post means — `published: no`
//! hides a post, `<<` merges maps, the last of duplicate keys wins at every level.
//!
//! Every Psych fact used here was checked with `ruby -ryaml` (Ruby 3.1, Psych 4); the unit
//! tests below name each one.

use std::fmt;

use serde::de::{
    Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

use super::scalar::scalar_text;

/// How Psych reads a plain (unquoted) scalar, where that differs in kind from a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainKind {
    /// `~`, `null` in any case, or nothing.
    Null,
    /// `yes`/`no`/`on`/`off`/`true`/`false` in any case.
    Bool(bool),
    /// Integers, including YAML 1.1 forms (`017` octal, `0b101`, `1_000`, `1,000`, `12:30:45`).
    Integer,
    /// Floats (`1.5`, `1.0e+3`, `.inf`, `.nan`, `1:20.5`).
    Float,
    /// `2025-01-01` and timestamps: a Date or Time in Ruby.
    DateOrTime,
    /// `:name` — a Ruby Symbol, which Jekyll's safe_load refuses.
    Symbol,
    /// Text.
    String,
}

/// How Psych reads the plain scalar `s` (the text between the value's start and its end, as
/// written, without quotes). Mirrors Psych's `ScalarScanner#tokenize`.
pub fn plain_kind(s: &str) -> PlainKind {
    if s.is_empty() || s == "~" || s.eq_ignore_ascii_case("null") {
        return PlainKind::Null;
    }
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "yes" | "true" | "on" => return PlainKind::Bool(true),
        "no" | "false" | "off" => return PlainKind::Bool(false),
        ".inf" | "+.inf" | "-.inf" | ".nan" => return PlainKind::Float,
        _ => {}
    }
    if s.starts_with(':') && s.len() > 1 {
        return PlainKind::Symbol;
    }
    if is_date(s) || is_time(s) {
        return PlainKind::DateOrTime;
    }
    if is_sexagesimal(s, false) || is_integer(s) {
        return PlainKind::Integer;
    }
    if is_sexagesimal(s, true) || is_float(s) {
        return PlainKind::Float;
    }
    PlainKind::String
}

/// True when Psych or serde_yaml would read the plain scalar `s` as something other than the
/// string `s`, so a writer must quote it.
pub fn plain_is_not_text(s: &str) -> bool {
    plain_kind(s) != PlainKind::String
}

fn unsigned(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(ok)
}

/// Psych's INTEGER (strict and legacy forms): `0b[01_,]+`, `0[0-7_,]+`, `0x[0-9a-f_,]+`,
/// `0` or `[1-9]` followed by digits with single `_` or `,` between them.
fn is_integer(s: &str) -> bool {
    let body = unsigned(s);
    if let Some(bits) = body.strip_prefix("0b") {
        return all(bits, |b| matches!(b, b'0' | b'1' | b'_' | b','));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return all(hex, |b| b.is_ascii_hexdigit() || b == b'_' || b == b',');
    }
    if body == "0" {
        return true;
    }
    if let Some(octal) = body.strip_prefix('0') {
        return all(octal, |b| matches!(b, b'0'..=b'7' | b'_' | b','));
    }
    let bytes = body.as_bytes();
    if !matches!(bytes.first(), Some(b'1'..=b'9')) {
        return false;
    }
    let mut previous_was_separator = false;
    for &b in bytes.iter().skip(1) {
        match b {
            b'0'..=b'9' => previous_was_separator = false,
            b'_' | b',' if !previous_was_separator => previous_was_separator = true,
            _ => return false,
        }
    }
    !previous_was_separator
}

/// Psych's FLOAT: `[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?` (the exponent needs a sign
/// and a dot before it: `1e3` and `1.0e3` are strings), but not a lone `.`.
fn is_float(s: &str) -> bool {
    let body = unsigned(s);
    let Some(dot) = body.find('.') else {
        return false;
    };
    let (int_part, rest) = body.split_at(dot);
    let rest = rest.get(1..).unwrap_or("");
    let int_part_ok = int_part.is_empty()
        || (int_part.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && int_part
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'_' || b == b','));
    if !int_part_ok {
        return false;
    }
    let (fraction, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (
            rest.get(..at).unwrap_or(""),
            Some(rest.get(at + 1..).unwrap_or("")),
        ),
        None => (rest, None),
    };
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            e.len() > 1
                && e.starts_with(['-', '+'])
                && all(e.get(1..).unwrap_or(""), |b| b.is_ascii_digit())
        }
    };
    exponent_ok && (s != "." && body != ".")
}

/// Psych's base 60: `[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}`, with `\.[0-9_]*` after it for a float.
fn is_sexagesimal(s: &str, float: bool) -> bool {
    let body = unsigned(s);
    let (whole, fraction) = match body.find('.') {
        Some(at) if float => (
            body.get(..at).unwrap_or(""),
            Some(body.get(at + 1..).unwrap_or("")),
        ),
        Some(_) => return false,
        None if float => return false,
        None => (body, None),
    };
    if let Some(f) = fraction
        && !f.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let mut parts = whole.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    if !(head.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && head.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
    {
        return false;
    }
    let tail: Vec<&str> = parts.collect();
    (1..=2).contains(&tail.len())
        && tail.iter().all(|p| {
            let b = p.as_bytes();
            match b {
                [d] => d.is_ascii_digit(),
                [t, d] => matches!(*t, b'0'..=b'5') && d.is_ascii_digit(),
                _ => false,
            }
        })
}

/// `YYYY-M-D` with a real month and day (Psych's date form).
fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    y.len() == 4
        && all(y, |b| b.is_ascii_digit())
        && (1..=2).contains(&m.len())
        && all(m, |b| b.is_ascii_digit())
        && (1..=2).contains(&d.len())
        && all(d, |b| b.is_ascii_digit())
        && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && d.parse::<u32>().is_ok_and(|d| d <= 31)
}

/// A timestamp: a date, `T`/`t` or spaces, then `H:MM:SS` and more (Psych's TIME, loosely —
/// erring towards "not text" only makes a writer quote).
fn is_time(s: &str) -> bool {
    let date_len = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let Some(date) = s.get(..date_len) else {
        return false;
    };
    let rest = s
        .get(date_len..)
        .unwrap_or("")
        .trim_start_matches(['T', 't', ' ']);
    let date = date.strip_prefix('-').unwrap_or(date);
    is_date(date)
        && rest.len() >= 7
        && rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && rest.contains(':')
}

/// The text of one scalar token as written (plain or quoted), as serde_yaml reads it; None
/// when the token is not a scalar.
pub fn parse_scalar_token(token: &str) -> Option<String> {
    let value = serde_yaml::from_str::<Value>(token).ok()?;
    match value {
        Value::Sequence(_) | Value::Mapping(_) => None,
        other => scalar_text(&other),
    }
}

/// A YAML value read the way Psych keeps it: duplicate keys at any depth keep the last
/// value (in the first one's place), and `null` and `~` are one key.
#[derive(Debug, Clone, PartialEq)]
pub struct PsychValue(pub Value);

/// Reads `yaml` keeping the last of duplicate keys at every level (serde_yaml's own `Value`
/// refuses them), then applies `<<` merge keys as Psych does.
pub fn load(yaml: &str) -> Result<Value, serde_yaml::Error> {
    let PsychValue(mut value) = serde_yaml::from_str::<PsychValue>(yaml)?;
    apply_merges(&mut value);
    Ok(value)
}

impl<'de> Deserialize<'de> for PsychValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PsychVisitor).map(PsychValue)
    }
}

struct PsychVisitor;

impl<'de> Visitor<'de> for PsychVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        // Psych reads integers of any size; beyond 64 bits they are kept as their digits.
        Ok(match i64::try_from(i) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => Value::String(i.to_string()),
        })
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(match u64::try_from(u) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => Value::String(u.to_string()),
        })
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        PsychValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(PsychValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(PsychValue(key)) = map.next_key()? {
            let PsychValue(value) = map.next_value()?;
            // Psych: a later duplicate replaces the value, the key keeps its first place.
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let PsychValue(value) = contents.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// Applies `<<` merge keys at every level the way Psych does: a merged map's keys overwrite
/// keys written BEFORE the `<<` (Psych uses `Hash#merge!`), keys after it overwrite the merged
/// ones, and in a list of maps the earlier map wins.
pub fn apply_merges(value: &mut Value) {
    match value {
        Value::Sequence(items) => items.iter_mut().for_each(apply_merges),
        Value::Tagged(tagged) => apply_merges(&mut tagged.value),
        Value::Mapping(mapping) => {
            for (_, v) in mapping.iter_mut() {
                apply_merges(v);
            }
            if !mapping.contains_key("<<") {
                return;
            }
            let mut merged = Mapping::new();
            for (k, v) in std::mem::take(mapping) {
                if k.as_str() == Some("<<") {
                    match v {
                        Value::Mapping(m) => merged.extend(m),
                        Value::Sequence(items) if items.iter().all(Value::is_mapping) => {
                            let mut combined = Mapping::new();
                            for item in items.into_iter().rev() {
                                if let Value::Mapping(m) = item {
                                    combined.extend(m);
                                }
                            }
                            merged.extend(combined);
                        }
                        other => {
                            merged.insert(k, other);
                        }
                    }
                } else {
                    merged.insert(k, v);
                }
            }
            *mapping = merged;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psych_reads_yaml_1_1_words_as_booleans_in_any_case_but_not_y_or_n() {
        // ruby -ryaml: yes Yes YES yEs on ON true tRUE → true; no NO off Off false → false;
        // y Y n N → String (Psych does not follow the YAML 1.1 y/n booleans).
        for s in ["yes", "Yes", "YES", "yEs", "on", "ON", "true", "tRUE"] {
            assert_eq!(plain_kind(s), PlainKind::Bool(true), "{s}");
        }
        for s in ["no", "NO", "off", "Off", "false", "FALSE"] {
            assert_eq!(plain_kind(s), PlainKind::Bool(false), "{s}");
        }
        for s in ["y", "Y", "n", "N"] {
            assert_eq!(plain_kind(s), PlainKind::String, "{s}");
        }
    }

    #[test]
    fn psych_reads_null_in_any_case_and_tilde() {
        // ruby -ryaml: null Null NULL nUll ~ → nil.
        for s in ["null", "Null", "NULL", "nUll", "~", ""] {
            assert_eq!(plain_kind(s), PlainKind::Null, "{s}");
        }
    }

    #[test]
    fn psych_numbers_sexagesimal_octal_and_exponents() {
        // ruby -ryaml: 12:30:45 → 45045, 1:20 → 4800, 190:20:30 → 685230, 017 → 15, 0x1F → 31,
        // 0b101 → 5, 1_000 → 1000, 1,000 → 1000, +12 → 12; 12:30:60 → String.
        for s in [
            "12:30:45",
            "1:20",
            "190:20:30",
            "017",
            "0x1F",
            "0b101",
            "1_000",
            "1,000",
            "+12",
            "-0",
        ] {
            assert_eq!(plain_kind(s), PlainKind::Integer, "{s}");
        }
        // 1.5 → 1.5, 1.0e+3 → 1000.0, 1:20.5 → 4830.0, .inf -.INF .NaN → floats.
        for s in ["1.5", "1.0e+3", "1:20.5", ".inf", "-.INF", ".NaN"] {
            assert_eq!(plain_kind(s), PlainKind::Float, "{s}");
        }
        // 0o17 → "0o17", 1e3 → "1e3", 1.0e3 → "1.0e3", "." → ".", 12:30:60 → "12:30:60".
        for s in ["0o17", "1e3", "1.0e3", ".", "12:30:60", "="] {
            assert_eq!(plain_kind(s), PlainKind::String, "{s}");
        }
    }

    #[test]
    fn psych_dates_and_symbols() {
        // ruby -ryaml: 2025-01-01 → Date (Jekyll permits Date); 2025-13-01 → String;
        // :sym → Symbol, which Jekyll's safe_load refuses (Psych::DisallowedClass).
        assert_eq!(plain_kind("2025-01-01"), PlainKind::DateOrTime);
        assert_eq!(
            plain_kind("2025-11-30 10:00:00 +0100"),
            PlainKind::DateOrTime
        );
        assert_eq!(plain_kind("2025-13-01"), PlainKind::String);
        assert_eq!(plain_kind(":sym"), PlainKind::Symbol);
    }

    #[test]
    fn psych_keeps_the_last_duplicate_at_every_level_and_null_keys_are_one() {
        // ruby -ryaml: "a:\n  b: 1\n  b: 2\n" → {"a"=>{"b"=>2}}; "null: 1\n~: 2\n" → {nil=>2}.
        let v = load("a:\n  b: 1\n  b: 2\n").unwrap();
        assert_eq!(v["a"]["b"], Value::from(2));
        let v = load("null: 1\n~: 2\n").unwrap();
        assert_eq!(v.as_mapping().unwrap().len(), 1);
        assert_eq!(
            v.as_mapping().unwrap().get(Value::Null),
            Some(&Value::from(2))
        );
    }

    #[test]
    fn psych_reads_integers_beyond_64_bits() {
        // ruby -ryaml: n: 123456789012345678901234567890 → Integer; here it opens (a float).
        let v = load("n: 123456789012345678901234567890\nm: 1\n").unwrap();
        assert_eq!(
            v["n"],
            Value::String("123456789012345678901234567890".into())
        );
        assert_eq!(v["m"], Value::from(1));
    }

    #[test]
    fn psych_merge_keys_overwrite_earlier_keys_and_the_first_map_of_a_list_wins() {
        // ruby -ryaml: "a: 1\n<<: {a: 2, b: 3}\nb: 4\n" → {"a"=>2, "b"=>4};
        // "<<: [*b, {x: 9}]" with b = {x: 1, y: 2}, then y: 5 → {"x"=>1, "y"=>5}.
        let v = load("a: 1\n<<: {a: 2, b: 3}\nb: 4\n").unwrap();
        assert_eq!(v["a"], Value::from(2));
        assert_eq!(v["b"], Value::from(4));
        assert!(v.get("<<").is_none());
        let v = load("base: &b {x: 1, y: 2}\nm:\n  <<: [*b, {x: 9}]\n  y: 5\n").unwrap();
        assert_eq!(v["m"]["x"], Value::from(1));
        assert_eq!(v["m"]["y"], Value::from(5));
    }

    #[test]
    fn tagged_values_still_read() {
        let v = load("a: !foo bar\n").unwrap();
        assert!(matches!(v["a"], Value::Tagged(_)));
    }
}
