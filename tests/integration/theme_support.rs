//! Measuring tools of the theme comparison (`theme_compare.rs`): what a reader sees of an HTML
//! page (text, headings, links, images, the `<head>` tags), the rules of a compiled stylesheet in
//! a normalised form, a small HTTP server mounted at a site's `baseurl`, headless Chromium
//! screenshots and the share of pixels two screenshots differ in.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, EndTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts, states::RawKind,
};

// ---------------------------------------------------------------------------------------------
// HTML: what a reader sees.

/// The `<head>` tags a theme's SEO plugin writes and readers' tools read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HeadFacts {
    /// `<title>`, whitespace-normalised.
    pub title: Option<String>,
    /// `<meta name="description">`.
    pub description: Option<String>,
    /// `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// Every `<meta property="og:…">`, in page order.
    pub open_graph: Vec<(String, String)>,
    /// `<link type="application/atom+xml">`'s `href`.
    pub feed: Option<String>,
}

impl HeadFacts {
    /// What differs from `expected` (Jekyll's), one line per tag.
    pub fn differences(&self, expected: &HeadFacts) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |what: &str, want: &Option<String>, got: &Option<String>| {
            if want != got {
                out.push(format!("{what}: Jekyll {want:?}, Byline {got:?}"));
            }
        };
        check("title", &expected.title, &self.title);
        check("description", &expected.description, &self.description);
        check("canonical", &expected.canonical, &self.canonical);
        check("feed link", &expected.feed, &self.feed);
        if expected.open_graph != self.open_graph {
            out.push(format!(
                "Open Graph: Jekyll {:?}, Byline {:?}",
                expected.open_graph, self.open_graph
            ));
        }
        out
    }
}

/// What a page shows and links to, read from its HTML.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    /// The visible text of `<body>` (no scripts, styles or `<noscript>`), split into words.
    pub words: Vec<String>,
    /// `h1`…`h6` as `h2 Title`, in page order.
    pub headings: Vec<String>,
    /// Every `<a href>` of the body.
    pub links: Vec<String>,
    /// Every `<img src>` of the body.
    pub images: Vec<String>,
    /// The `<head>` tags of the SEO and feed plugins.
    pub head: HeadFacts,
    /// `<link rel="stylesheet">` hrefs, in page order.
    pub stylesheets: Vec<String>,
}

/// Where the tokenizer is: text is visible outside an explicit `<head>`; a body element (or
/// `</head>`, `<body>`) ends the head the way the HTML tree builder does.
#[derive(Default, PartialEq, Eq, Clone, Copy)]
enum Place {
    #[default]
    Before,
    Head,
    Body,
}

/// Elements that stay in `<head>`; any other start tag there begins the body.
const HEAD_ELEMENTS: &[&str] = &[
    "base", "link", "meta", "noscript", "script", "style", "template", "title",
];

#[derive(Default)]
struct Collector {
    facts: PageFacts,
    place: Place,
    /// Inside a `<script>`, `<style>` and the like: text not shown.
    hidden_until: Option<String>,
    in_title: bool,
    title: String,
    heading: Option<(u8, String)>,
    body_text: String,
}

/// Elements that start a new line box: their edges separate words even without whitespace.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

fn attribute(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Collector {
    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        if tag.kind == EndTag {
            if name == "head" && self.place == Place::Head {
                self.place = Place::Body;
            }
            if self.hidden_until.as_deref() == Some(name.as_str()) {
                self.hidden_until = None;
            }
            if name == "title" && self.in_title {
                self.in_title = false;
                if self.place != Place::Body && self.facts.head.title.is_none() {
                    self.facts.head.title = Some(normalise_space(&self.title));
                }
            }
            if let Some((level, text)) = self.heading.take() {
                if name == format!("h{level}") {
                    self.facts
                        .headings
                        .push(format!("h{level} {}", normalise_space(&text)));
                } else {
                    self.heading = Some((level, text));
                }
            }
            if BLOCK_ELEMENTS.contains(&name.as_str()) {
                self.body_text.push(' ');
            }
            return TokenSinkResult::Continue;
        }
        if self.hidden_until.is_some() {
            return TokenSinkResult::Continue;
        }
        if self.place != Place::Body
            && (name == "body" || !HEAD_ELEMENTS.contains(&name.as_str()))
            && name != "html"
            && name != "head"
        {
            self.place = Place::Body;
        }
        match name.as_str() {
            "head" if self.place == Place::Before => self.place = Place::Head,
            "script" => {
                self.hidden_until = Some(name);
                return TokenSinkResult::RawData(RawKind::ScriptData);
            }
            "style" | "noscript" | "xmp" | "iframe" | "noembed" | "noframes" => {
                self.hidden_until = Some(name);
                return TokenSinkResult::RawData(RawKind::Rawtext);
            }
            "title" => {
                self.in_title = true;
                self.title.clear();
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
            "meta" => {
                let content = attribute(&tag, "content").unwrap_or_default();
                if attribute(&tag, "name").as_deref() == Some("description")
                    && self.facts.head.description.is_none()
                {
                    self.facts.head.description = Some(content);
                } else if let Some(property) = attribute(&tag, "property")
                    && property.starts_with("og:")
                {
                    self.facts.head.open_graph.push((property, content));
                }
            }
            "link" => {
                let href = attribute(&tag, "href").unwrap_or_default();
                let rel = attribute(&tag, "rel").unwrap_or_default().to_lowercase();
                let rels: Vec<&str> = rel.split_whitespace().collect();
                if rels.contains(&"canonical") && self.facts.head.canonical.is_none() {
                    self.facts.head.canonical = Some(href.clone());
                }
                if rels.contains(&"stylesheet") {
                    self.facts.stylesheets.push(href.clone());
                }
                if attribute(&tag, "type").as_deref() == Some("application/atom+xml")
                    && self.facts.head.feed.is_none()
                {
                    self.facts.head.feed = Some(href);
                }
            }
            "a" if self.place != Place::Head => {
                if let Some(href) = attribute(&tag, "href") {
                    self.facts.links.push(href);
                }
            }
            "img" if self.place != Place::Head => {
                if let Some(src) = attribute(&tag, "src") {
                    self.facts.images.push(src);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.place != Place::Head => {
                let level = name.as_bytes().get(1).map_or(1, |b| b - b'0');
                self.heading = Some((level, String::new()));
            }
            _ => {}
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            self.body_text.push(' ');
        }
        TokenSinkResult::Continue
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            self.title.push_str(text);
            return;
        }
        if self.hidden_until.is_some() || self.place == Place::Head {
            return;
        }
        self.body_text.push_str(text);
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
    }
}

struct FactSink(RefCell<Collector>);

impl TokenSink for FactSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut collector = self.0.borrow_mut();
        match token {
            TagToken(tag) => return collector.tag(tag),
            Token::CharacterTokens(text) => collector.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Reads a page's facts with html5ever's tokenizer (character references decoded, scripts and
/// styles read as raw text the way a browser does).
pub fn page_facts(html: &str) -> PageFacts {
    let tokenizer = Tokenizer::new(
        FactSink(RefCell::new(Collector::default())),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&queue) {}
    tokenizer.end();
    let mut collector = tokenizer.sink.0.into_inner();
    collector.facts.words = collector
        .body_text
        .split_whitespace()
        .map(str::to_string)
        .collect();
    collector.facts
}

/// The share of equal words of two word lists (similar's ratio: twice the words kept in order
/// over the words of both), and where they differ — the first `hunks` changes, each with a little
/// context — for the report.
pub fn word_share(expected: &[String], actual: &[String], hunks: usize) -> (f64, Vec<String>) {
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let actual: Vec<&str> = actual.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_slices(&expected, &actual);
    let ratio = if expected.is_empty() && actual.is_empty() {
        1.0
    } else {
        f64::from(diff.ratio())
    };
    let shown = |words: &[&str], range: std::ops::Range<usize>| {
        let end = range.end.min(range.start + 12);
        let mut text = words.get(range.start..end).unwrap_or_default().join(" ");
        if end < range.end {
            text.push_str(&format!(" …(+{} words)", range.end - end));
        }
        text
    };
    let changes: Vec<String> = diff
        .ops()
        .iter()
        .filter_map(|op| {
            let (tag, old, new) = op.as_tag_tuple();
            (tag != similar::DiffTag::Equal).then(|| {
                let at = old.start;
                let before = expected
                    .get(at.saturating_sub(3)..at)
                    .unwrap_or_default()
                    .join(" ");
                format!(
                    "word {at} after «{before}»: Jekyll «{}» Byline «{}»",
                    shown(&expected, old),
                    shown(&actual, new)
                )
            })
        })
        .collect();
    let mut out: Vec<String> = changes.iter().take(hunks).cloned().collect();
    if changes.len() > hunks {
        out.push(format!("… {} more changes", changes.len() - hunks));
    }
    (ratio, out)
}

/// The first difference of two lists, for the report (`None` when equal).
pub fn list_difference(what: &str, expected: &[String], actual: &[String]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let index = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    Some(format!(
        "{what} #{index}: Jekyll {:?} Byline {:?} ({} vs {})",
        expected.get(index),
        actual.get(index),
        expected.len(),
        actual.len()
    ))
}

// ---------------------------------------------------------------------------------------------
// CSS: the rules of a compiled stylesheet, normalised.
//
// Jekyll compiles with libsass (sassc), Byline with grass; their outputs differ in ways a browser
// does not see, so each rule is rewritten token by token with cssparser:
// - whitespace and comments: dropped around punctuation (`,` `>` `+` `~` `:` `;` `(` `)` `[` `]`
//   `!` `/` `=` `{` `}`), one space elsewhere (descendant combinators, value lists) — tale is
//   compiled `compressed`, minima `expanded`;
// - quotes: every string is written with double quotes, and an unquoted attribute-selector value
//   (`[type=text]`) is quoted — the two compilers keep whatever the source used, and sites mix;
// - numbers: rounded to 3 decimals without a leading or trailing zero difference (`.5` = `0.5`,
//   `33.33333%` = `33.3333333333%`): libsass rounds to 5 digits and drops leading zeros when
//   compressed, grass keeps 10 digits;
// - colours in declaration values: `#fff`, `#ffffff`, `white`, `rgb(255,255,255)` all become
//   `#ffffff`, with alpha `#rrggbbaa` (`transparent` = `rgba(0,0,0,0)` = `#00000000`) —
//   compressed libsass writes the shortest form, grass writes `transparent` as `rgba(0, 0, 0, 0)`;
// - `@charset` is not a rule (a compiler adds it when the output has non-ASCII text) and is
//   skipped.
// A rule is its at-rule context (`@media (…){`), its selector list and its declarations in order.

use cssparser::{ParseError, Parser, Token as CssToken};

#[derive(Clone, Copy, PartialEq, Eq)]
enum CssMode {
    Selector,
    Attribute,
    Value,
}

struct CssWriter {
    out: String,
    pending_space: bool,
}

const TIGHT: &str = ",>+~:;()[]!/={}";

impl CssWriter {
    fn new() -> CssWriter {
        CssWriter {
            out: String::new(),
            pending_space: false,
        }
    }

    fn push(&mut self, piece: &str) {
        if piece.is_empty() {
            return;
        }
        if self.pending_space {
            let before = self.out.chars().last();
            let after = piece.chars().next();
            let tight = |c: Option<char>| c.is_none_or(|c| TIGHT.contains(c));
            if !tight(before) && !tight(after) {
                self.out.push(' ');
            }
            self.pending_space = false;
        }
        self.out.push_str(piece);
    }
}

fn css_number(value: f32) -> String {
    let mut text = format!("{:.3}", f64::from(value));
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if text == "-0" { "0".into() } else { text }
}

fn css_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hex_colour(r: u8, g: u8, b: u8, alpha: f32) -> String {
    if alpha >= 1.0 {
        format!("#{r:02x}{g:02x}{b:02x}")
    } else {
        format!(
            "#{r:02x}{g:02x}{b:02x}{:02x}",
            (alpha * 255.0).round() as u8
        )
    }
}

/// `rgb(…)`/`rgba(…)` of plain numbers (already normalised) as the hex form.
fn rgb_colour(name: &str, arguments: &str) -> Option<String> {
    if name != "rgb" && name != "rgba" {
        return None;
    }
    let parts: Vec<f32> = arguments
        .split(',')
        .map(|p| p.parse::<f32>().ok())
        .collect::<Option<_>>()?;
    let channel = |i: usize| parts.get(i).map(|v| v.round().clamp(0.0, 255.0) as u8);
    let alpha = match parts.len() {
        3 => 1.0,
        4 => *parts.get(3)?,
        _ => return None,
    };
    Some(hex_colour(channel(0)?, channel(1)?, channel(2)?, alpha))
}

/// Writes the tokens of `parser` (to its end) normalised; in declaration blocks, top-level `;`
/// ends a declaration and goes to `declarations`.
fn write_tokens<'i>(
    parser: &mut Parser<'i>,
    mode: CssMode,
    writer: &mut CssWriter,
    mut declarations: Option<&mut Vec<String>>,
) {
    let mut after_match = false;
    while let Ok(token) = parser.next_including_whitespace().cloned() {
        let was_after_match = after_match;
        after_match = false;
        match token {
            CssToken::WhiteSpace(_) => writer.pending_space = true,
            CssToken::Comment(_) | CssToken::CDO | CssToken::CDC => {}
            CssToken::Ident(name) => {
                let lower = name.to_ascii_lowercase();
                if mode == CssMode::Attribute && was_after_match {
                    writer.push(&css_string(&name));
                } else if mode == CssMode::Value && lower == "transparent" {
                    writer.push(&hex_colour(0, 0, 0, 0.0));
                } else if mode == CssMode::Value
                    && lower != "currentcolor"
                    && let Ok((r, g, b)) = cssparser::color::parse_named_color(&lower)
                {
                    writer.push(&hex_colour(r, g, b, 1.0));
                } else {
                    writer.push(&name);
                }
            }
            CssToken::Hash(value) | CssToken::IDHash(value) => {
                match (mode, cssparser::color::parse_hash_color(value.as_bytes())) {
                    (CssMode::Value, Ok((r, g, b, a))) => writer.push(&hex_colour(r, g, b, a)),
                    _ => writer.push(&format!("#{value}")),
                }
            }
            CssToken::QuotedString(text) => writer.push(&css_string(&text)),
            CssToken::UnquotedUrl(url) => writer.push(&format!("url({})", css_string(&url))),
            CssToken::Number { value, .. } => writer.push(&css_number(value)),
            CssToken::Percentage { unit_value, .. } => {
                writer.push(&format!("{}%", css_number(unit_value * 100.0)))
            }
            CssToken::Dimension { value, unit, .. } => writer.push(&format!(
                "{}{}",
                css_number(value),
                unit.to_ascii_lowercase()
            )),
            CssToken::Delim(c) => {
                writer.push(&c.to_string());
                after_match = c == '=';
            }
            CssToken::Colon => writer.push(":"),
            CssToken::Comma => writer.push(","),
            CssToken::Semicolon => match declarations.as_deref_mut() {
                Some(list) => {
                    let declaration = std::mem::take(&mut writer.out);
                    writer.pending_space = false;
                    if !declaration.is_empty() {
                        list.push(declaration);
                    }
                }
                None => writer.push(";"),
            },
            CssToken::IncludeMatch
            | CssToken::DashMatch
            | CssToken::PrefixMatch
            | CssToken::SuffixMatch
            | CssToken::SubstringMatch => {
                writer.push(match token {
                    CssToken::IncludeMatch => "~=",
                    CssToken::DashMatch => "|=",
                    CssToken::PrefixMatch => "^=",
                    CssToken::SuffixMatch => "$=",
                    _ => "*=",
                });
                after_match = true;
            }
            CssToken::AtKeyword(name) => writer.push(&format!("@{}", name.to_ascii_lowercase())),
            CssToken::Function(name) => {
                let name = name.to_ascii_lowercase();
                let mut inner = CssWriter::new();
                nested(parser, mode, &mut inner);
                match rgb_colour(&name, &inner.out) {
                    Some(hex) if mode == CssMode::Value => writer.push(&hex),
                    _ => writer.push(&format!("{name}({})", inner.out)),
                }
            }
            CssToken::ParenthesisBlock => {
                writer.push("(");
                nested(parser, mode, writer);
                writer.push(")");
            }
            CssToken::SquareBracketBlock => {
                writer.push("[");
                let inner = if mode == CssMode::Selector {
                    CssMode::Attribute
                } else {
                    mode
                };
                nested(parser, inner, writer);
                writer.push("]");
            }
            CssToken::CurlyBracketBlock => {
                writer.push("{");
                nested(parser, mode, writer);
                writer.push("}");
            }
            CssToken::BadString(text) | CssToken::BadUrl(text) => writer.push(&text),
            CssToken::CloseParenthesis
            | CssToken::CloseSquareBracket
            | CssToken::CloseCurlyBracket => {}
        }
    }
}

fn nested(parser: &mut Parser<'_>, mode: CssMode, writer: &mut CssWriter) {
    let _ = parser.parse_nested_block(|inner| -> Result<(), ParseError<()>> {
        write_tokens(inner, mode, writer, None);
        Ok(())
    });
    writer.pending_space = false;
}

/// At-rules whose block holds rules (the others, like `@font-face`, hold declarations).
const GROUPING_AT_RULES: &[&str] = &[
    "@media",
    "@supports",
    "@document",
    "@layer",
    "@container",
    "@keyframes",
    "@-webkit-keyframes",
    "@-moz-keyframes",
    "@-o-keyframes",
];

fn collect_rules(parser: &mut Parser<'_>, context: &str, out: &mut Vec<String>) {
    let mut prelude = CssWriter::new();
    while let Ok(token) = parser.next_including_whitespace().cloned() {
        match token {
            CssToken::CurlyBracketBlock => {
                let head = std::mem::replace(&mut prelude, CssWriter::new()).out;
                let at_rule = head
                    .split(['(', ' '])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                if GROUPING_AT_RULES.contains(&at_rule.as_str()) {
                    let inner_context = format!("{context}{head}{{");
                    let _ = parser.parse_nested_block(|inner| -> Result<(), ParseError<()>> {
                        collect_rules(inner, &inner_context, out);
                        Ok(())
                    });
                } else {
                    let mut declarations = Vec::new();
                    let _ = parser.parse_nested_block(|inner| -> Result<(), ParseError<()>> {
                        let mut writer = CssWriter::new();
                        write_tokens(inner, CssMode::Value, &mut writer, Some(&mut declarations));
                        if !writer.out.is_empty() {
                            declarations.push(writer.out);
                        }
                        Ok(())
                    });
                    if !declarations.is_empty() {
                        out.push(format!("{context}{head}{{{}}}", declarations.join(";")));
                    }
                }
            }
            CssToken::Semicolon => {
                let statement = std::mem::replace(&mut prelude, CssWriter::new()).out;
                if !statement.is_empty() && !statement.starts_with("@charset") {
                    out.push(format!("{context}{statement};"));
                }
            }
            CssToken::WhiteSpace(_) => prelude.pending_space = true,
            CssToken::Comment(_) | CssToken::CDO | CssToken::CDC => {}
            CssToken::Function(name) => {
                prelude.push(&format!("{}(", name.to_ascii_lowercase()));
                nested(parser, CssMode::Selector, &mut prelude);
                prelude.push(")");
            }
            CssToken::SquareBracketBlock => {
                prelude.push("[");
                nested(parser, CssMode::Attribute, &mut prelude);
                prelude.push("]");
            }
            CssToken::ParenthesisBlock => {
                prelude.push("(");
                nested(parser, CssMode::Value, &mut prelude);
                prelude.push(")");
            }
            other => {
                // One token at a time through the same writer as blocks use.
                let text = match other {
                    CssToken::Ident(name) => name.to_string(),
                    CssToken::AtKeyword(name) => format!("@{}", name.to_ascii_lowercase()),
                    CssToken::Hash(v) | CssToken::IDHash(v) => format!("#{v}"),
                    CssToken::Delim(c) => c.to_string(),
                    CssToken::Colon => ":".into(),
                    CssToken::Comma => ",".into(),
                    CssToken::QuotedString(s) => css_string(&s),
                    CssToken::Number { value, .. } => css_number(value),
                    CssToken::Percentage { unit_value, .. } => {
                        format!("{}%", css_number(unit_value * 100.0))
                    }
                    CssToken::Dimension { value, unit, .. } => {
                        format!("{}{}", css_number(value), unit.to_ascii_lowercase())
                    }
                    CssToken::UnquotedUrl(url) => format!("url({})", css_string(&url)),
                    _ => String::new(),
                };
                prelude.push(&text);
            }
        }
    }
}

/// The rules of a stylesheet, each normalised to one line (see the notes above).
pub fn css_rules(css: &str) -> Vec<String> {
    let mut parser = Parser::new(css);
    let mut out = Vec::new();
    collect_rules(&mut parser, "", &mut out);
    out
}

/// The rules of `expected` (Jekyll's stylesheet) not found in `actual` (Byline's), each rule
/// counted as often as it occurs.
pub fn missing_rules(expected: &[String], actual: &[String]) -> Vec<String> {
    let mut available: HashMap<&str, usize> = HashMap::new();
    for rule in actual {
        *available.entry(rule.as_str()).or_default() += 1;
    }
    let mut missing = Vec::new();
    for rule in expected {
        match available.get_mut(rule.as_str()) {
            Some(count) if *count > 0 => *count -= 1,
            _ => missing.push(rule.clone()),
        }
    }
    missing
}

// ---------------------------------------------------------------------------------------------
// Serving a tree over HTTP at a site's baseurl.

/// Answers a request path (percent-decoded, without the query) with a file's bytes.
pub type Resolve = Box<dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync>;

/// A local HTTP server on 127.0.0.1 at a free port, until dropped: one thread per connection,
/// one request per connection (`Connection: close`).
///
/// Not tiny_http: its connection pool hands a new connection to a worker it counts as idle
/// before that worker has taken the previous one, and Chromium's keep-alive connections then
/// hold every worker — a page's last requests waited minutes (tiny_http 0.12, measured here).
pub struct LocalServer {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Its port.
    pub port: u16,
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "text/html; charset=utf-8",
    }
}

fn answer(
    mut stream: std::net::TcpStream,
    pages: &HashMap<String, Vec<u8>>,
    fallback: &Resolve,
) -> std::io::Result<()> {
    use std::io::{Read as _, Write as _};
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(buffer.get(..read).unwrap_or_default());
    }
    let head = String::from_utf8_lossy(&head);
    let mut request_line = head.lines().next().unwrap_or_default().split_whitespace();
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or("/");
    let raw = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned();
    let body = pages.get(&path).cloned().or_else(|| fallback(&path));
    let (status, kind, body) = match body {
        Some(bytes) => ("200 OK", content_type(&path), bytes),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Write)
}

impl LocalServer {
    /// Starts serving `pages` (exact request paths) and then whatever `fallback` finds.
    pub fn start(pages: HashMap<String, Vec<u8>>, fallback: Resolve) -> LocalServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let shared = Arc::new((pages, fallback));
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = answer(stream, &shared.0, &shared.1);
                });
            }
        });
        LocalServer {
            stop,
            thread: Some(thread),
            port,
        }
    }

    /// The full URL of a request path (`/tale/2017-03-05/pagination-post`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the stop.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The path below the mount point `baseurl` (`""` or `/tale`), without its leading `/`;
/// `None` outside it or when it climbs (`..`).
pub fn below_mount(path: &str, baseurl: &str) -> Option<String> {
    let rest = path.strip_prefix(baseurl)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let rest = rest.trim_start_matches('/');
    if rest.split('/').any(|part| part == "..") {
        return None;
    }
    Some(rest.to_string())
}

/// A file of a built site the way `jekyll serve` finds it: the path itself, `index.html` in a
/// folder, or the path plus `.html`.
pub fn built_file(root: &Path, relative: &str) -> Option<PathBuf> {
    let trimmed = relative.trim_end_matches('/');
    let mut candidates = Vec::new();
    if !relative.is_empty() && !relative.ends_with('/') {
        candidates.push(root.join(relative));
        candidates.push(root.join(format!("{relative}.html")));
    }
    candidates.push(root.join(trimmed).join("index.html"));
    candidates.into_iter().find(|p| p.is_file())
}

/// The site's own static file at `relative` (what Jekyll copies unchanged): not under a folder
/// or file starting with `_` or `.`, and without front matter.
pub fn static_file(site: &Path, relative: &str) -> Option<Vec<u8>> {
    if relative
        .split('/')
        .any(|part| part.starts_with('_') || part.starts_with('.'))
    {
        return None;
    }
    let bytes = std::fs::read(site.join(relative)).ok()?;
    (!bytes.starts_with(b"---\n") && !bytes.starts_with(b"---\r\n")).then_some(bytes)
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium.

/// The installed Chromium, if any.
pub fn find_chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

fn chromium(browser: &str, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            // Web fonts, analytics and comment widgets from other hosts fail at once on both
            // sides, so the pictures do not depend on the network.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The full-page heights (CSS px at 1280 px wide) of `paths` on `server`, measured in one
/// Chromium run by a page that loads each of them in a 1280×800 frame; how long it took.
pub fn page_heights(
    browser: &str,
    server: &LocalServer,
    measure_path: &str,
) -> (BTreeMap<String, u32>, std::time::Duration) {
    let profile = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let output = chromium(browser, profile.path())
        .args(["--window-size=1400,900", "--dump-dom"])
        .arg(server.url(measure_path))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom
        .find("<pre id=\"heights\">")
        .map(|i| i + "<pre id=\"heights\">".len());
    let Some(start) = start else {
        panic!(
            "the measuring page did not run: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let end = dom[start..].find("</pre>").unwrap() + start;
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let heights = serde_json::from_str(&json).unwrap_or_else(|e| panic!("heights {json}: {e}"));
    (heights, started.elapsed())
}

/// The page that measures `paths` (request paths) for [`page_heights`].
pub fn measuring_page(paths: &[String]) -> Vec<u8> {
    let list = serde_json::to_string(paths).unwrap();
    format!(
        r#"<!DOCTYPE html><html><body style="margin:0"><pre id="heights"></pre><script>
const paths = {list}; const heights = {{}}; let left = paths.length;
const done = () => {{ document.getElementById('heights').textContent = JSON.stringify(heights); }};
if (left === 0) done();
for (const path of paths) {{
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:1280px;height:800px;border:0;display:block';
  frame.onload = () => {{
    const d = frame.contentDocument;
    heights[path] = Math.ceil(Math.max(d.documentElement.scrollHeight, d.body ? d.body.scrollHeight : 0));
    if (--left === 0) done();
  }};
  frame.src = path;
  document.body.appendChild(frame);
}}
</script></body></html>"#
    )
    .into_bytes()
}

/// Screenshots `url` at 1280×`height` into `out` (a PNG); how long Chromium took.
pub fn screenshot(browser: &str, url: &str, height: u32, out: &Path) -> std::time::Duration {
    let profile = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let output = chromium(browser, profile.path())
        .args(["--run-all-compositor-stages-before-draw"])
        .arg(format!("--window-size=1280,{height}"))
        .arg(format!("--screenshot={}", out.display()))
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.is_file(),
        "no screenshot of {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

/// The share of pixels that differ between two screenshots: a pixel differs when a channel
/// differs by more than 8 of 255 (text anti-aliasing noise), and where the sizes differ the
/// pixels of only one picture count as differing.
pub fn differing_pixel_share(expected: &Path, actual: &Path) -> f64 {
    let a = image::open(expected).unwrap().to_rgba8();
    let b = image::open(actual).unwrap().to_rgba8();
    let width = a.width().max(b.width());
    let height = a.height().max(b.height());
    let total = u64::from(width) * u64::from(height);
    if total == 0 {
        return 0.0;
    }
    let mut differing = 0u64;
    for y in 0..height {
        for x in 0..width {
            let pa = (x < a.width() && y < a.height()).then(|| a.get_pixel(x, y));
            let pb = (x < b.width() && y < b.height()).then(|| b.get_pixel(x, y));
            let same = match (pa, pb) {
                (Some(pa), Some(pb)) => {
                    pa.0.iter()
                        .zip(pb.0.iter())
                        .all(|(ca, cb)| ca.abs_diff(*cb) <= 8)
                }
                _ => false,
            };
            if !same {
                differing += 1;
            }
        }
    }
    differing as f64 / total as f64
}

// ---------------------------------------------------------------------------------------------
// Jekyll.

/// Why `jekyll` cannot run here, if it cannot.
pub fn jekyll_missing() -> Option<String> {
    match Command::new("jekyll").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("jekyll is not installed (.ci/run installs jekyll and its plugins)".into()),
    }
}

/// Starts `jekyll build` of `source` into `destination` (UTC, no Gemfile).
pub fn spawn_jekyll_build(source: &Path, destination: &Path) -> std::process::Child {
    Command::new("jekyll")
        .args(["build", "-q", "-s"])
        .arg(source)
        .arg("-d")
        .arg(destination)
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("TZ", "UTC")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Copies a folder (a site, read in place) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn css_normalisation_hides_only_what_a_browser_does_not_see() {
    let libsass = "@charset \"UTF-8\";a>b,.c{color:#fff;margin:.5em 0}@media (min-width: 600px){html{font-size:16px}}input[type=text]{font-family:'Helvetica Neue',sans-serif}";
    let grass = "a > b, .c {\n  color: white;\n  margin: 0.5em 0;\n}\n@media (min-width: 600px) {\n  html {\n    font-size: 16px;\n  }\n}\ninput[type=\"text\"] { font-family: \"Helvetica Neue\", sans-serif; }";
    assert_eq!(css_rules(libsass), css_rules(grass));
    assert_eq!(css_rules(grass).len(), 3, "{:?}", css_rules(grass));
    assert!(missing_rules(&css_rules("a{color:red}"), &css_rules("a{color:blue}")).len() == 1);
    assert_eq!(
        css_rules("p{background:transparent;color:rgba(255,255,255,.5)}"),
        css_rules("p { background: rgba(0, 0, 0, 0); color: #ffffff80 }")
    );
    assert!(missing_rules(&css_rules("a b{x:1}"), &css_rules("a>b{x:1}")).len() == 1);
}

#[test]
fn page_facts_read_what_a_reader_sees() {
    let facts = page_facts(
        "<html><head><title> A &amp; B </title><meta name=description content=D><link rel=canonical href=/c><meta property=og:title content=T><style>p{}</style></head><body><h2>Hi <em>there</em></h2><p>one<b>two</b></p><p>three</p><script>var x = '<p>';</script><a href=/x>x</a><img src=i.png></body></html>",
    );
    assert_eq!(facts.head.title.as_deref(), Some("A & B"));
    assert_eq!(facts.head.description.as_deref(), Some("D"));
    assert_eq!(facts.head.canonical.as_deref(), Some("/c"));
    assert_eq!(facts.head.open_graph, vec![("og:title".into(), "T".into())]);
    assert_eq!(facts.headings, vec!["h2 Hi there".to_string()]);
    assert_eq!(facts.words, ["Hi", "there", "onetwo", "three", "x"]);
    assert_eq!(facts.links, ["/x"]);
    assert_eq!(facts.images, ["i.png"]);
    let (share, changes) = word_share(&facts.words, &facts.words[1..], 5);
    assert!(share < 1.0 && share > 0.8);
    assert_eq!(changes, ["word 0 after «»: Jekyll «Hi» Byline «»"]);
}
