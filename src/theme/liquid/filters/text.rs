//! Text filters: `xml_escape`, `markdownify`, `smartify`, `slugify`, `jsonify`,
//! `normalize_whitespace`, `number_of_words`, `to_integer`, `inspect`, and Liquid 5's
//! `strip_html` and `truncatewords` (liquid-lib's differ from Ruby Liquid's).

use super::FilterCall;
use super::ruby::{inspect as ruby_inspect, ruby_to_s, to_json};
use liquid_core::{Result, Value, ValueView};
use regex::Regex;
use std::sync::LazyLock;

fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!("the pattern is valid"))
}

/// `&`, `<`, `>`, `"` and `'` as XML entities (Ruby's `encode(xml: :attr)` without quotes).
pub(crate) fn xml_escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `{{ x | xml_escape }}`.
pub(crate) fn xml_escape(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(xml_escape_text(&ruby_to_s(call.input))))
}

static ENTITY: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);"));

/// Liquid's `escape_once`: `&`, `<`, `>`, `"`, `'` escaped, entities already there kept.
pub(crate) fn escape_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        match c {
            '&' => {
                let rest = text.get(index..).unwrap_or("");
                if ENTITY.is_match(rest) {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                }
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `markdown` through kramdown's rules, as `markdownify` gives it.
pub(crate) fn markdownify_text(
    markdown: &str,
    options: &crate::theme::kramdown::KramdownOptions,
) -> String {
    crate::theme::kramdown::to_html(markdown, options)
}

/// `{{ x | markdownify }}`.
pub(crate) fn markdownify(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(markdownify_text(
        &ruby_to_s(call.input),
        &call.shared.kramdown,
    )))
}

static STRIP_BLOCKS: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"(?s)<script.*?</script>|<!--.*?-->|<style.*?</style>"));
static STRIP_TAGS: LazyLock<Regex> = LazyLock::new(|| compiled(r"(?s)<.*?>"));

/// Liquid 5's `strip_html`: scripts, comments and styles removed, then every tag.
pub(crate) fn strip_html_text(text: &str) -> String {
    let without_blocks = STRIP_BLOCKS.replace_all(text, "");
    STRIP_TAGS.replace_all(&without_blocks, "").into_owned()
}

/// `{{ x | strip_html }}`.
pub(crate) fn strip_html(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(strip_html_text(&ruby_to_s(call.input))))
}

fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}')
}

/// Ruby's `String#split(" ", limit)` (awk style; the last field keeps the rest, possibly
/// empty).
fn ruby_split_limit(text: &str, limit: usize) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut rest = text.trim_start_matches(is_ruby_space);
    if rest.is_empty() {
        return fields;
    }
    loop {
        if fields.len() + 1 == limit {
            fields.push(rest);
            break;
        }
        let end = rest.find(is_ruby_space).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        fields.push(word);
        if after.is_empty() {
            break;
        }
        rest = after.trim_start_matches(is_ruby_space);
        if rest.is_empty() && fields.len() + 1 != limit {
            break;
        }
    }
    fields
}

/// `{{ x | truncatewords: 15, "..." }}` as Liquid 5 does it.
pub(crate) fn truncatewords(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    let text = ruby_to_s(call.input);
    let words = if call.args.is_empty() {
        15
    } else {
        to_integer_value(call.arg(0))
    };
    let words = usize::try_from(words.max(1)).unwrap_or(1);
    let ellipsis = if call.args.len() > 1 {
        ruby_to_s(call.arg(1))
    } else {
        "...".to_string()
    };
    let mut list = ruby_split_limit(&text, words.saturating_add(1));
    if list.len() <= words {
        return Ok(Value::scalar(text));
    }
    list.pop();
    Ok(Value::scalar(format!("{}{ellipsis}", list.join(" "))))
}

/// Typographic quotes, dashes and ellipses, kramdown's SmartyPants way (characters, not
/// entities; a bare `&` escaped; tags and entities left alone).
pub(crate) fn smartify_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut index = 0;
    let mut in_tag = false;
    while let Some(&c) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        if in_tag {
            out.push(c);
            if c == '>' {
                in_tag = false;
            }
            index += 1;
            continue;
        }
        match c {
            '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') => {
                in_tag = true;
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => {
                let rest: String = chars.get(index..).unwrap_or(&[]).iter().take(12).collect();
                if ENTITY.is_match(&rest) {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                }
            }
            '-' if next == Some('-') && chars.get(index + 2) == Some(&'-') => {
                out.push('\u{2014}');
                index += 3;
                continue;
            }
            '-' if next == Some('-') => {
                out.push('\u{2013}');
                index += 2;
                continue;
            }
            '.' if next == Some('.') && chars.get(index + 2) == Some(&'.') => {
                out.push('\u{2026}');
                index += 3;
                continue;
            }
            '\'' | '"' => {
                let opening = match previous {
                    None => true,
                    Some(p) => p.is_whitespace() || "([{-\u{2013}\u{2014}".contains(p),
                };
                let decade = c == '\''
                    && next.is_some_and(|n| n.is_ascii_digit())
                    && chars.get(index + 2).is_some_and(|n| n.is_ascii_digit());
                let quote = match (c, opening && !decade) {
                    ('\'', true) => '\u{2018}',
                    ('\'', false) => '\u{2019}',
                    (_, true) => '\u{201c}',
                    (_, false) => '\u{201d}',
                };
                out.push(quote);
            }
            c => out.push(c),
        }
        index += 1;
    }
    out
}

/// `{{ x | smartify }}`.
pub(crate) fn smartify(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(smartify_text(&ruby_to_s(call.input))))
}

static SLUG_DEFAULT: LazyLock<Regex> = LazyLock::new(|| compiled(r"[^\p{M}\p{L}\p{Nd}]+"));
static SLUG_RAW: LazyLock<Regex> = LazyLock::new(|| compiled(r"[ \t\r\n\x0b\x0c]+"));
static SLUG_PRETTY: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+"));
static SLUG_ASCII: LazyLock<Regex> = LazyLock::new(|| compiled(r"[^A-Za-z0-9]+"));

/// I18n's `transliterate`: Latin letters without their accents, other non-ASCII as `?`.
fn transliterate_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if ('\u{c0}'..='\u{17f}').contains(&c) {
            match deunicode::deunicode_char(c) {
                Some(ascii) if !ascii.is_empty() => out.push_str(ascii),
                _ => out.push('?'),
            }
        } else {
            out.push('?');
        }
    }
    out
}

/// Jekyll's `Utils.slugify(text, mode:)`.
pub(crate) fn slugify_text(text: &str, mode: Option<&str>) -> String {
    let mode = mode.unwrap_or("default");
    let pattern: &Regex = match mode {
        "raw" => &SLUG_RAW,
        "default" => &SLUG_DEFAULT,
        "pretty" => &SLUG_PRETTY,
        "ascii" | "latin" => &SLUG_ASCII,
        _ => return text.to_lowercase(),
    };
    let source = if mode == "latin" {
        transliterate_latin(text)
    } else {
        text.to_string()
    };
    let replaced = pattern.replace_all(&source, "-");
    // `gsub(/^-|-$/, "")`: one hyphen at the start and the end of each line.
    let trimmed: Vec<&str> = replaced
        .split('\n')
        .map(|line| {
            let line = line.strip_prefix('-').unwrap_or(line);
            line.strip_suffix('-').unwrap_or(line)
        })
        .collect();
    trimmed.join("\n").to_lowercase()
}

/// `{{ x | slugify: "pretty" }}`.
pub(crate) fn slugify(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    let mode = call
        .args
        .first()
        .filter(|m| !m.is_nil())
        .map(|m| ruby_to_s(m));
    Ok(Value::scalar(slugify_text(
        &ruby_to_s(call.input),
        mode.as_deref(),
    )))
}

/// `{{ x | jsonify }}`.
pub(crate) fn jsonify(call: &FilterCall<'_>) -> Result<Value> {
    let mut out = String::new();
    to_json(call.input, &mut out);
    Ok(Value::scalar(out))
}

/// Runs of ASCII whitespace as one space, trimmed.
pub(crate) fn normalize_whitespace_text(text: &str) -> String {
    let words: Vec<&str> = text
        .split(is_ruby_space)
        .filter(|word| !word.is_empty())
        .collect();
    let joined = words.join(" ");
    joined.trim_matches(|c| c == '\0').to_string()
}

/// `{{ x | normalize_whitespace }}`.
pub(crate) fn normalize_whitespace(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(normalize_whitespace_text(&ruby_to_s(
        call.input,
    ))))
}

static CJK: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"[\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}]"));
static NON_CJK_WORD: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"[^\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul} \t\r\n\x0b\x0c]+"));

/// `{{ x | number_of_words }}`, `… | number_of_words: "cjk"` or `"auto"`.
pub(crate) fn number_of_words(call: &FilterCall<'_>) -> Result<Value> {
    let text = ruby_to_s(call.input);
    let split_count = text.split(is_ruby_space).filter(|w| !w.is_empty()).count();
    let cjk_count = CJK.find_iter(&text).count();
    let other_words = NON_CJK_WORD.find_iter(&text).count();
    let count = match ruby_to_s(call.arg(0)).as_str() {
        "cjk" => cjk_count + other_words,
        "auto" if cjk_count > 0 => cjk_count + other_words,
        _ => split_count,
    };
    Ok(Value::scalar(count as i64))
}

/// Ruby's `to_i` of a value (`"12abc"` is 12, `"abc"` 0, `4.9` 4).
pub(crate) fn to_integer_value(value: &dyn ValueView) -> i64 {
    if let Some(scalar) = value.as_scalar() {
        if let Some(flag) = scalar.to_bool() {
            return i64::from(flag);
        }
        if value.type_name() == "fractional number" {
            return scalar.to_float().map_or(0, |f| f.trunc() as i64);
        }
    }
    let text = ruby_to_s(value);
    let text = text.trim_start_matches(is_ruby_space);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits: String = digits
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    digits.parse::<i64>().map_or(0, |n| sign * n)
}

/// `{{ x | to_integer }}`.
pub(crate) fn to_integer(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(to_integer_value(call.input)))
}

/// `{{ x | inspect }}`: Ruby's `inspect`, XML-escaped.
pub(crate) fn inspect(call: &FilterCall<'_>) -> Result<Value> {
    Ok(Value::scalar(xml_escape_text(&ruby_inspect(call.input))))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::render;

    /// The strings of the Jekyll check (site config values, since Liquid strings have no
    /// escapes).
    fn globals() -> liquid::Object {
        let site = liquid::model::object!({
            "s1": "It's \"quoted\" -- and --- ... <b>x</b> & y `code` 1980's 'single' a&amp;b \"x\".",
            "s2": "a <b>c</b> \"q\" 'a' &amp;",
            "s3": "a\u{e9}/\\ \t\u{1}\n",
            "s4": "  a \n\t b \u{a0} c \u{3000} ",
            "s5": "日本語 abc def",
            "s6": "日本語abc、テスト",
            "arr": [1, "a", nil, 1.5, true, {"k": "v"}],
            "h": {"b": [2, "x"]},
        });
        liquid::model::object!({ "site": site })
    }

    /// Jekyll 4.3.1's output for the same template.
    #[test]
    fn text_filters_match_jekyll() {
        let globals = globals();
        let cases = [
            (
                "{{ site.s1 | smartify }}",
                "It\u{2019}s \u{201c}quoted\u{201d} \u{2013} and \u{2014} \u{2026} <b>x</b> &amp; y `code` 1980\u{2019}s \u{2018}single\u{2019} a&amp;b \u{201c}x\u{201d}.",
            ),
            (
                "{{ site.s2 | xml_escape }}",
                "a &lt;b&gt;c&lt;/b&gt; &quot;q&quot; &apos;a&apos; &amp;amp;",
            ),
            ("{{ site.s3 | jsonify }}", "\"a\u{e9}/\\\\ \\t\\u0001\\n\""),
            (
                "{{ site.arr | jsonify }}",
                "[1,\"a\",null,1.5,true,{\"k\":\"v\"}]",
            ),
            // liquid's objects are hash maps: one key, so the order cannot differ.
            ("{{ site.h | jsonify }}", "{\"b\":[2,\"x\"]}"),
            (
                "{{ site.s4 | normalize_whitespace }}",
                "a b \u{a0} c \u{3000}",
            ),
            ("{{ site.s4 | number_of_words }}", "5"),
            ("{{ site.s5 | number_of_words }}", "3"),
            ("{{ site.s5 | number_of_words: \"cjk\" }}", "5"),
            ("{{ site.s5 | number_of_words: \"auto\" }}", "5"),
            ("{{ site.s6 | number_of_words: \"cjk\" }}", "7"),
            ("{{ site.s6 | number_of_words: \"auto\" }}", "7"),
            ("{{ site.s6 | number_of_words }}", "1"),
            (
                "{{ site.s2 | inspect }}",
                "&quot;a &lt;b&gt;c&lt;/b&gt; \\&quot;q\\&quot; &apos;a&apos; &amp;amp;&quot;",
            ),
            (
                "{{ site.arr | inspect }}",
                "[1, &quot;a&quot;, nil, 1.5, true, {&quot;k&quot;=&gt;&quot;v&quot;}]",
            ),
            (
                "{{ site.s3 | inspect }}",
                "&quot;a\u{e9}/\\\\ \\t\\u0001\\n&quot;",
            ),
            (
                "{{ \"12abc\" | to_integer }}|{{ true | to_integer }}|{{ false | to_integer }}|{{ \"3.7\" | to_integer }}|{{ nil | to_integer }}|{{ 4.9 | to_integer }}|{{ \"  -5\" | to_integer }}|{{ \"abc\" | to_integer }}",
                "12|1|0|3|0|4|-5|0",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &globals), expected, "{template}");
        }
    }
}
