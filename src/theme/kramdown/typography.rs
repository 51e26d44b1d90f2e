//! kramdown's typographic text: smart quotes (its ten ordered rules, including the one-character
//! look-behind its span scanner gives them) and the symbols `---`, `--`, `...`, `<<`, `>>`.
//!
//! The input is one run of plain text: the text between two span elements (emphasis, code,
//! links, inline HTML, escapes, entities), where kramdown's scanner starts afresh.

/// Which characters kramdown writes for `'`/`"` pairs: `smart_quotes` of the `kramdown:` map
/// (`lsquo,rsquo,ldquo,rdquo` by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteChars {
    /// Opening single quote.
    pub left_single: String,
    /// Closing single quote (also the apostrophe).
    pub right_single: String,
    /// Opening double quote.
    pub left_double: String,
    /// Closing double quote.
    pub right_double: String,
}

impl Default for QuoteChars {
    /// kramdown's default: ‘ ’ “ ”.
    fn default() -> Self {
        QuoteChars {
            left_single: "\u{2018}".to_string(),
            right_single: "\u{2019}".to_string(),
            left_double: "\u{201c}".to_string(),
            right_double: "\u{201d}".to_string(),
        }
    }
}

impl QuoteChars {
    /// Reads `lsquo,rsquo,ldquo,rdquo` (entity names or numeric codes, as kramdown accepts).
    pub fn from_setting(setting: &str) -> Option<QuoteChars> {
        let parts: Vec<String> = setting
            .split(',')
            .map(|part| entity_char(part.trim()))
            .collect::<Option<Vec<_>>>()?;
        match parts.as_slice() {
            [ls, rs, ld, rd] => Some(QuoteChars {
                left_single: ls.clone(),
                right_single: rs.clone(),
                left_double: ld.clone(),
                right_double: rd.clone(),
            }),
            _ => None,
        }
    }
}

/// The character of an entity name or code point as kramdown's `smart_quotes` option names it.
fn entity_char(name: &str) -> Option<String> {
    let known = [
        ("lsquo", '\u{2018}'),
        ("rsquo", '\u{2019}'),
        ("ldquo", '\u{201c}'),
        ("rdquo", '\u{201d}'),
        ("sbquo", '\u{201a}'),
        ("bdquo", '\u{201e}'),
        ("laquo", '\u{ab}'),
        ("raquo", '\u{bb}'),
        ("lsaquo", '\u{2039}'),
        ("rsaquo", '\u{203a}'),
        ("apos", '\''),
        ("quot", '"'),
    ];
    if let Some((_, c)) = known.iter().find(|(n, _)| *n == name) {
        return Some(c.to_string());
    }
    name.parse::<u32>()
        .ok()
        .and_then(char::from_u32)
        .map(|c| c.to_string())
}

/// What kramdown's typographic processing is allowed to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typography {
    /// The quote characters, or `None` to keep `'` and `"` as typed.
    pub quotes: Option<QuoteChars>,
    /// Replace `--`, `---`, `...`, `<<`, `>>`.
    pub symbols: bool,
}

/// Ruby's `\s` (ASCII).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}' | '\u{b}')
}

/// Ruby's `\w` (ASCII).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// kramdown's `SQ_PUNCT`.
fn is_sq_punct(c: char) -> bool {
    "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~".contains(c)
}

/// kramdown's `SQ_CLOSE`: anything but blanks, a backslash and `[{(-`.
fn is_sq_close(c: char) -> bool {
    !matches!(c, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-')
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// One piece of what a quote rule produced.
enum QuotePiece {
    Plain(char),
    Left(char),
    Right(char),
}

/// `text` with kramdown's typographic replacements. `after` is the source that follows the run
/// (kramdown's rules look ahead past the run's end, e.g. into `*emphasis*`).
pub fn apply(text: &str, after: &str, typography: &Typography) -> String {
    if typography.quotes.is_none() && !typography.symbols {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let run_len = chars.len();
    // Look-ahead context: the run, then a few characters of what follows it.
    let mut context = chars.clone();
    context.extend(after.chars().take(4));
    let at = |i: usize| context.get(i).copied();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < run_len {
        let Some(c) = at(i) else { break };
        // Span parsers tried before smart quotes consume these and restart the scan after them.
        if let Some(len) = resets_before_quotes(&context, i) {
            for k in i..(i + len).min(run_len) {
                if let Some(ch) = at(k) {
                    out.push(ch);
                }
            }
            i += len;
            continue;
        }
        if let Some(quotes) = &typography.quotes {
            let prefixed = c != '\\' && at(i + 1).is_some_and(is_quote) && i + 1 < run_len;
            if is_quote(c) || prefixed {
                let (consumed, pieces) = quote_rules(&context, i, run_len);
                if consumed > 0 {
                    for piece in pieces {
                        match piece {
                            QuotePiece::Plain(p) => out.push(p),
                            QuotePiece::Left('"') => out.push_str(&quotes.left_double),
                            QuotePiece::Left(_) => out.push_str(&quotes.left_single),
                            QuotePiece::Right('"') => out.push_str(&quotes.right_double),
                            QuotePiece::Right(_) => out.push_str(&quotes.right_single),
                        }
                    }
                    i += consumed;
                    continue;
                }
            }
        }
        if typography.symbols
            && let Some((len, replacement)) = symbol_at(&chars, i)
        {
            out.push_str(replacement);
            i += len;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Length of a span start that kramdown's parsers before `smart_quotes` (emphasis, code spans,
/// links) take at `i` and give back as text, so the following character starts afresh.
fn resets_before_quotes(context: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| context.get(k).copied();
    match at(i)? {
        '*' | '_' => {
            let c = at(i)?;
            Some(if at(i + 1) == Some(c) { 2 } else { 1 })
        }
        '`' => Some(1),
        '[' if at(i + 1) != Some('^') => Some(1),
        '!' if at(i + 1) == Some('[') => Some(2),
        '<' if at(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') => {
            Some(1)
        }
        _ => None,
    }
}

/// kramdown's `TYPOGRAPHIC_SYMS` at `i`: (characters consumed, replacement).
fn symbol_at(chars: &[char], i: usize) -> Option<(usize, &'static str)> {
    let rest = chars.get(i..)?;
    let starts = |pattern: &str| {
        let p: Vec<char> = pattern.chars().collect();
        rest.len() >= p.len() && rest.get(..p.len()) == Some(p.as_slice())
    };
    if starts("---") {
        Some((3, "\u{2014}"))
    } else if starts("--") {
        Some((2, "\u{2013}"))
    } else if starts("...") {
        Some((3, "\u{2026}"))
    } else if starts("<< ") {
        Some((3, "\u{ab}\u{a0}"))
    } else if starts(" >>") {
        Some((3, "\u{a0}\u{bb}"))
    } else if starts("<<") {
        Some((2, "\u{ab}"))
    } else if starts(">>") {
        Some((2, "\u{bb}"))
    } else {
        None
    }
}

/// kramdown's `SQ_RULES`, tried in order at `p` (the quote, or the character before it).
/// Returns how many characters of the run were consumed (0: no rule matched).
fn quote_rules(context: &[char], p: usize, run_len: usize) -> (usize, Vec<QuotePiece>) {
    use QuotePiece::{Left, Plain, Right};
    let at = |k: usize| context.get(k).copied();
    // End of the span source: Ruby's `$` (before a newline or at the very end).
    let at_line_end = |k: usize| match at(k) {
        None => true,
        Some('\n') => true,
        Some(_) => false,
    };
    let word_at = |k: usize| at(k).is_some_and(is_word);
    let c0 = at(p);
    let c1 = at(p + 1);

    if let Some(q) = c0.filter(|c| is_quote(*c)) {
        // 1: "(?=[_*]{1,2}\S)
        let marker = |k: usize| at(k).is_some_and(|c| c == '_' || c == '*');
        let non_space = |k: usize| at(k).is_some_and(|c| !is_space(c));
        if marker(p + 1) && non_space(p + 2) {
            return (1, vec![Left(q)]);
        }
        // 2: "(?=PUNCT(?!\.\.)\B)
        if let Some(n) = c1.filter(|c| is_sq_punct(*c)) {
            let dots = at(p + 2) == Some('.') && at(p + 3) == Some('.');
            let boundary = is_word(n) != word_at(p + 2);
            if !dots && !boundary {
                return (1, vec![Right(q)]);
            }
        }
    }
    // 3, 4: (\s?)"'(?=\w) and (\s?)'"(?=\w)
    let (space, q_at) = match c0 {
        Some(c) if is_space(c) => (Some(c), p + 1),
        _ => (None, p),
    };
    for (first, second) in [('"', '\''), ('\'', '"')] {
        if at(q_at) == Some(first) && at(q_at + 1) == Some(second) && word_at(q_at + 2) {
            let mut pieces: Vec<QuotePiece> = space.map(Plain).into_iter().collect();
            pieces.push(Left(first));
            pieces.push(Left(second));
            return (q_at + 2 - p, pieces);
        }
    }
    // 5: (\s?)'(?=\d\ds)
    if at(q_at) == Some('\'')
        && at(q_at + 1).is_some_and(|c| c.is_ascii_digit())
        && at(q_at + 2).is_some_and(|c| c.is_ascii_digit())
        && at(q_at + 3) == Some('s')
    {
        let mut pieces: Vec<QuotePiece> = space.map(Plain).into_iter().collect();
        pieces.push(Right('\''));
        return (q_at + 1 - p, pieces);
    }
    // 6: (\s)('|")(?=\w)
    if let (Some(s), Some(q)) = (space, at(p + 1))
        && is_quote(q)
        && word_at(p + 2)
    {
        return (2, vec![Plain(s), Left(q)]);
    }
    // 7: (SQ_CLOSE)('|")
    if let (Some(c), Some(q)) = (c0, c1)
        && is_sq_close(c)
        && is_quote(q)
        && p + 1 < run_len
    {
        return (2, vec![Plain(c), Right(q)]);
    }
    // 8: ("|')(?=\s|s\b|$)
    if let Some(q) = c0.filter(|c| is_quote(*c)) {
        let s_word_end = c1 == Some('s') && !word_at(p + 2);
        if c1.is_some_and(is_space) || s_word_end || at_line_end(p + 1) {
            return (1, vec![Right(q)]);
        }
    }
    // 9, 10: (.?)' and (.?)"
    for q in ['\'', '"'] {
        if c0 != Some(q)
            && c1 == Some(q)
            && p + 1 < run_len
            && let Some(c) = c0
        {
            return (2, vec![Plain(c), Left(q)]);
        }
        if c0 == Some(q) {
            return (1, vec![Left(q)]);
        }
    }
    (0, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smart(text: &str) -> String {
        let typography = Typography {
            quotes: Some(QuoteChars::default()),
            symbols: true,
        };
        apply(text, "\n", &typography)
    }

    #[test]
    fn quotes_open_and_close_around_words() {
        assert_eq!(smart("a \"b\" c"), "a \u{201c}b\u{201d} c");
        assert_eq!(smart("'single'"), "\u{2018}single\u{2019}");
        assert_eq!(smart("it's 90's"), "it\u{2019}s 90\u{2019}s");
        assert_eq!(smart("\"don't\""), "\u{201c}don\u{2019}t\u{201d}");
        assert_eq!(smart("'tis"), "\u{2018}tis");
    }

    #[test]
    fn decades_and_nested_quotes() {
        assert_eq!(smart("the '80s"), "the \u{2019}80s");
        assert_eq!(
            smart("He said, \"'Quoted'"),
            "He said, \u{201c}\u{2018}Quoted\u{2019}"
        );
    }

    #[test]
    fn dashes_ellipsis_and_guillemets() {
        assert_eq!(smart("a -- b --- c..."), "a \u{2013} b \u{2014} c\u{2026}");
        assert_eq!(smart("<<x>>"), "\u{ab}x\u{bb}");
        assert_eq!(smart("<< a >>"), "\u{ab}\u{a0}a\u{a0}\u{bb}");
    }

    #[test]
    fn nothing_changes_when_turned_off() {
        let off = Typography {
            quotes: None,
            symbols: false,
        };
        assert_eq!(apply("\"a\" -- b", "", &off), "\"a\" -- b");
    }

    #[test]
    fn quote_setting_reads_entity_names() {
        let chars = QuoteChars::from_setting("apos,apos,quot,quot").unwrap();
        assert_eq!(chars.left_double, "\"");
        assert!(QuoteChars::from_setting("lsquo,rsquo").is_none());
    }
}
