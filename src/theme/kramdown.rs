//! Markdown to HTML as Jekyll's kramdown (GFM input) writes it: header ids, tables, footnotes,
//! fenced code in Rouge's wrappers, typographic quotes, attribute lists kept out of the text.
//!
//! pulldown-cmark reads the CommonMark part; the kramdown-only syntax is taken out first
//! ([`pre`]), and the events become a small tree that is written back the way kramdown's HTML
//! converter lays it out (two-space indentation, blank lines where the source had them,
//! per-item paragraph rules, footnotes at the end).

mod pre;
mod table;
pub mod typography;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::fmt::Write as _;
use typography::{QuoteChars, Typography};

/// Attributes of an element in the order kramdown writes them.
pub type Attributes = Vec<(String, String)>;

/// The `kramdown:` settings of `_config.yml` that change the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KramdownOptions {
    /// `auto_ids`: give headers an `id` made from their text (Jekyll's default: true).
    pub auto_ids: bool,
    /// `auto_id_prefix`: written before every generated header id.
    pub auto_id_prefix: String,
    /// `smart_quotes`: the characters for `'` and `"` pairs.
    pub quotes: QuoteChars,
    /// Typographic symbols (`--`, `...`, `<<`); off with `gfm_quirks: no_auto_typographic`.
    pub typographic_symbols: bool,
    /// Code blocks through Rouge (`syntax_highlighter: rouge`, the default) rather than a
    /// bare `<pre><code>`.
    pub syntax_highlighting: bool,
    /// `footnote_nr`: the number of the first footnote.
    pub footnote_number_start: u32,
    /// `hard_wrap`: every newline in a paragraph becomes `<br />`.
    pub hard_wrap: bool,
    /// `toc_levels`: the header levels a `{:toc}` list shows (Jekyll's default: 1 to 6).
    pub toc_levels: Vec<u8>,
}

impl Default for KramdownOptions {
    /// Jekyll 4.3's defaults.
    fn default() -> Self {
        KramdownOptions {
            auto_ids: true,
            auto_id_prefix: String::new(),
            quotes: QuoteChars::default(),
            typographic_symbols: true,
            syntax_highlighting: true,
            footnote_number_start: 1,
            hard_wrap: false,
            toc_levels: (1..=6).collect(),
        }
    }
}

impl KramdownOptions {
    /// The options a site's `_config.yml` (the whole parsed file) sets: its `kramdown:` map
    /// over Jekyll's defaults, and `highlighter:`. Unknown or malformed values keep the default.
    pub fn from_config(config: &serde_yaml::Value) -> KramdownOptions {
        let mut options = KramdownOptions::default();
        if let Some(highlighter) = config.get("highlighter")
            && (highlighter.is_null()
                || highlighter.as_str().is_some_and(|h| h != "rouge")
                || highlighter.as_bool() == Some(false))
        {
            options.syntax_highlighting = false;
        }
        let Some(map) = config.get("kramdown") else {
            return options;
        };
        if let Some(v) = map.get("auto_ids").and_then(serde_yaml::Value::as_bool) {
            options.auto_ids = v;
        }
        if let Some(v) = map
            .get("auto_id_prefix")
            .and_then(serde_yaml::Value::as_str)
        {
            options.auto_id_prefix = v.to_string();
        }
        if let Some(v) = map.get("smart_quotes") {
            let setting = match v {
                serde_yaml::Value::Sequence(items) => items
                    .iter()
                    .filter_map(serde_yaml::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.as_str().unwrap_or_default().to_string(),
            };
            if let Some(quotes) = QuoteChars::from_setting(&setting) {
                options.quotes = quotes;
            }
        }
        if let Some(quirks) = map.get("gfm_quirks") {
            let text = match quirks {
                serde_yaml::Value::Sequence(items) => items
                    .iter()
                    .filter_map(serde_yaml::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.as_str().unwrap_or_default().to_string(),
            };
            if text.contains("no_auto_typographic") {
                options.typographic_symbols = false;
            }
        }
        if let Some(v) = map.get("syntax_highlighter")
            && (v.is_null() || v.as_str().is_some_and(|h| h != "rouge"))
        {
            options.syntax_highlighting = false;
        }
        if let Some(v) = map.get("footnote_nr").and_then(serde_yaml::Value::as_u64) {
            options.footnote_number_start = u32::try_from(v).unwrap_or(1);
        }
        if let Some(v) = map.get("hard_wrap").and_then(serde_yaml::Value::as_bool) {
            options.hard_wrap = v;
        }
        if let Some(levels) = map.get("toc_levels").and_then(toc_levels) {
            options.toc_levels = levels;
        }
        options
    }
}

/// `toc_levels` as kramdown reads it: `2..3`, `2,3`, or a list of numbers.
fn toc_levels(value: &serde_yaml::Value) -> Option<Vec<u8>> {
    let levels: Vec<u8> = match value {
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .filter_map(serde_yaml::Value::as_u64)
            .filter_map(|n| u8::try_from(n).ok())
            .collect(),
        serde_yaml::Value::Number(n) => n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .into_iter()
            .collect(),
        serde_yaml::Value::String(text) => match text.split_once("..") {
            Some((from, to)) => {
                let from: u8 = from.trim().parse().ok()?;
                let to: u8 = to.trim().parse().ok()?;
                (from..=to).collect()
            }
            None => text
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect(),
        },
        _ => return None,
    };
    let levels: Vec<u8> = levels.into_iter().filter(|l| (1..=6).contains(l)).collect();
    (!levels.is_empty()).then_some(levels)
}

/// `markdown` as HTML, the way Jekyll's kramdown converter writes it.
pub fn to_html(markdown: &str, options: &KramdownOptions) -> String {
    let depth = nesting_depth(markdown);
    if depth <= SHALLOW_NESTING {
        return convert(markdown, options);
    }
    if depth <= MAX_NESTING {
        // The tree is built, walked and dropped recursively: deep text gets a stack sized
        // for it (reserved, not touched, until used), so it cannot overflow the caller's.
        let stack_bytes = BASE_STACK_BYTES + depth * STACK_BYTES_PER_LEVEL;
        let converted = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("byline-kramdown-deep".into())
                .stack_size(stack_bytes)
                .spawn_scoped(scope, || convert(markdown, options))
                .map(|handle| handle.join())
        });
        match converted {
            Ok(Ok(html)) => return html,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => {}
        }
    }
    // Deeper than any real text (kramdown itself runs out of stack first): shown as text.
    let mut out = String::from("<p>");
    escape_text(markdown, &mut out);
    out.push_str("</p>\n");
    out
}

/// Nesting up to this depth (block quotes, lists, emphasis, links) converts on the caller's
/// stack; a 2 MiB thread has room for it.
const SHALLOW_NESTING: usize = 32;

/// Nesting deeper than this is not converted (a 10 000-level quote needs ~650 MiB of stack).
const MAX_NESTING: usize = 10_000;

/// The stack of a thread converting deeply nested text: this much plus
/// [`STACK_BYTES_PER_LEVEL`] per level.
const BASE_STACK_BYTES: usize = 8 << 20;

/// Generous stack per nesting level of the recursive tree passes (unoptimised builds use most).
const STACK_BYTES_PER_LEVEL: usize = 64 << 10;

/// How deep pulldown-cmark's elements nest in `markdown` (it reads without recursion).
fn nesting_depth(markdown: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for event in Parser::new_ext(markdown, Options::all()) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// [`to_html`] on the current thread's stack.
fn convert(markdown: &str, options: &KramdownOptions) -> String {
    let prepared = pre::prepare(markdown);
    let typography = Typography {
        quotes: Some(options.quotes.clone()),
        symbols: options.typographic_symbols,
    };
    let mut root = build_tree(&prepared.text);
    insert_tables(&mut root, &prepared, &typography);
    attach_block_attributes(&mut root, &prepared.block_attributes, &prepared.text);
    shape_blocks(&mut root, &prepared.text);
    inline_pass(
        &mut root,
        &prepared.text,
        &typography,
        &prepared.abbreviations,
    );
    if options.auto_ids {
        let mut counters = HashMap::new();
        assign_header_ids(&mut root, &options.auto_id_prefix, &mut counters);
    }
    let mut writer = Writer {
        source: &prepared.text,
        raw_html: &prepared.raw_html,
        inline_math: &prepared.inline_math,
        options,
        footnote_defs: HashMap::new(),
        footnote_order: Vec::new(),
        toc: table_of_contents(&root, &options.toc_levels),
        out: String::with_capacity(markdown.len() * 2),
    };
    root.children.retain(|child| {
        if let Kind::FootnoteDef(name) = &child.kind {
            writer
                .footnote_defs
                .entry(name.clone())
                .or_insert_with(|| child.clone());
            false
        } else {
            true
        }
    });
    // kramdown keeps a blank line before the first block and after the last one.
    let first_start = root
        .children
        .first()
        .map_or(prepared.text.len(), |n| n.start);
    let leading = prepared.text.get(..first_start).unwrap_or_default();
    if leading.contains('\n')
        && leading
            .rsplit_once('\n')
            .is_some_and(|(lines, _)| lines.split('\n').any(|l| l.trim().is_empty()))
    {
        writer.out.push('\n');
    }
    writer.blocks(&root.children, 0);
    if let Some(last) = root.children.last()
        && blank_line_between(&prepared.text, last.end, prepared.text.len())
    {
        writer.out.push('\n');
    }
    writer.footnotes();
    writer.out
}

/// What a tree node is.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Root,
    Paragraph,
    Heading(u8),
    BlockQuote,
    List {
        ordered: bool,
    },
    Item,
    CodeBlock {
        language: Option<String>,
        code: String,
    },
    HtmlBlock(String),
    Rule,
    Table(Vec<Alignment>),
    TableHead,
    TableBody,
    TableFoot,
    TableRow,
    TableCell,
    DefinitionList,
    DefinitionTitle,
    DefinitionDetails,
    FootnoteDef(String),
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    Link {
        url: String,
        title: String,
    },
    Image {
        url: String,
        title: String,
    },
    Abbreviation {
        title: String,
    },
    /// Text; `plain` is false for an escaped character or an entity (no typography there).
    Text {
        text: String,
        plain: bool,
    },
    Code(String),
    InlineHtml(String),
    RawInline(String),
    HardBreak,
    FootnoteRef(String),
    Task(bool),
}

impl Kind {
    fn is_block(&self) -> bool {
        matches!(
            self,
            Kind::Root
                | Kind::Paragraph
                | Kind::Heading(_)
                | Kind::BlockQuote
                | Kind::List { .. }
                | Kind::Item
                | Kind::CodeBlock { .. }
                | Kind::HtmlBlock(_)
                | Kind::Rule
                | Kind::Table(_)
                | Kind::TableHead
                | Kind::TableBody
                | Kind::TableFoot
                | Kind::TableRow
                | Kind::TableCell
                | Kind::DefinitionList
                | Kind::DefinitionTitle
                | Kind::DefinitionDetails
                | Kind::FootnoteDef(_)
        )
    }
}

/// One element of the document, with its source range in the prepared text.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    kind: Kind,
    attributes: Attributes,
    children: Vec<Node>,
    start: usize,
    end: usize,
    /// A list item's paragraph written without `<p>` (kramdown's "transparent" paragraph).
    transparent: bool,
}

impl Node {
    fn new(kind: Kind, start: usize, end: usize) -> Node {
        Node {
            kind,
            attributes: Vec::new(),
            children: Vec::new(),
            start,
            end,
            transparent: false,
        }
    }
}

fn parser_options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

/// The kind a pulldown-cmark start tag opens, with its attributes.
fn kind_of(tag: Tag<'_>) -> (Kind, Attributes) {
    let mut attributes = Vec::new();
    let kind = match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } => {
            if !classes.is_empty() {
                let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                attributes.push(("class".to_string(), joined.join(" ")));
            }
            for (key, value) in attrs {
                attributes.push((
                    key.to_string(),
                    value.map(|v| v.to_string()).unwrap_or_default(),
                ));
            }
            if let Some(id) = id {
                attributes.push(("id".to_string(), id.to_string()));
            }
            Kind::Heading(level as u8)
        }
        Tag::BlockQuote(_) => Kind::BlockQuote,
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
            let word = info.split_whitespace().next().unwrap_or_default();
            let language = word.split('?').next().unwrap_or_default();
            Kind::CodeBlock {
                language: (!language.is_empty()).then(|| language.to_string()),
                code: String::new(),
            }
        }
        Tag::CodeBlock(CodeBlockKind::Indented) => Kind::CodeBlock {
            language: None,
            code: String::new(),
        },
        Tag::HtmlBlock => Kind::HtmlBlock(String::new()),
        Tag::List(start) => Kind::List {
            ordered: start.is_some(),
        },
        Tag::Item => Kind::Item,
        Tag::FootnoteDefinition(name) => Kind::FootnoteDef(name.to_string()),
        Tag::DefinitionList => Kind::DefinitionList,
        Tag::DefinitionListTitle => Kind::DefinitionTitle,
        Tag::DefinitionListDefinition => Kind::DefinitionDetails,
        Tag::Table(alignments) => Kind::Table(alignments),
        Tag::TableHead => Kind::TableHead,
        Tag::TableRow => Kind::TableRow,
        Tag::TableCell => Kind::TableCell,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strikethrough,
        Tag::Superscript => Kind::Superscript,
        Tag::Subscript => Kind::Subscript,
        Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        } => {
            let url = if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                format!("mailto:{dest_url}")
            } else {
                dest_url.to_string()
            };
            Kind::Link {
                url,
                title: title.to_string(),
            }
        }
        Tag::Image {
            dest_url, title, ..
        } => Kind::Image {
            url: dest_url.to_string(),
            title: title.to_string(),
        },
        Tag::MetadataBlock(_) => Kind::HtmlBlock(String::new()),
    };
    (kind, attributes)
}

/// Adds `child` to `parent`, joining plain text with the plain text before it.
fn push_child(parent: &mut Node, child: Node) {
    if let Kind::Text {
        text: new_text,
        plain: true,
    } = &child.kind
        && let Some(Node {
            kind: Kind::Text { text, plain: true },
            end,
            ..
        }) = parent.children.last_mut()
        && *end == child.start
    {
        text.push_str(new_text);
        *end = child.end;
        return;
    }
    parent.children.push(child);
}

/// kramdown keeps the indentation of a paragraph's later lines (CommonMark drops it): at the
/// top level all of it, in a block quote what follows the `>` and one blank. `node` is text
/// that starts a line of `paragraph`; its text gets the indentation back and its start moves
/// to join the text before.
fn keep_line_indent(paragraph: &Node, node: &mut Node, source: &str, container: Option<&Kind>) {
    if paragraph.kind != Kind::Paragraph {
        return;
    }
    let Some(Node {
        kind: Kind::Text { text, plain: true },
        end,
        ..
    }) = paragraph.children.last()
    else {
        return;
    };
    if !text.ends_with('\n') || *end > node.start {
        return;
    }
    let gap = source.get(*end..node.start).unwrap_or_default();
    let indent = match container {
        Some(Kind::Root) => gap,
        Some(Kind::BlockQuote) => {
            let after_marker = gap.rsplit_once('>').map_or(gap, |(_, rest)| rest);
            after_marker
                .strip_prefix([' ', '\t'])
                .unwrap_or(after_marker)
        }
        _ => "",
    };
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return;
    }
    if let Kind::Text { text, .. } = &mut node.kind {
        text.insert_str(0, indent);
    }
    node.start = *end;
}

/// pulldown-cmark's events as a tree.
fn build_tree(text: &str) -> Node {
    let mut stack = vec![Node::new(Kind::Root, 0, text.len())];
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let (kind, attributes) = kind_of(tag);
                let mut node = Node::new(kind, range.start, range.end);
                node.attributes = attributes;
                stack.push(node);
            }
            Event::End(end) => {
                if matches!(end, TagEnd::MetadataBlock(_)) || stack.len() < 2 {
                    stack.pop();
                    continue;
                }
                if let Some(node) = stack.pop()
                    && let Some(parent) = stack.last_mut()
                {
                    parent.children.push(node);
                }
            }
            Event::Text(t) | Event::Html(t) => {
                let Some(top) = stack.last_mut() else {
                    continue;
                };
                match &mut top.kind {
                    Kind::CodeBlock { code, .. } => code.push_str(&t),
                    Kind::HtmlBlock(html) => html.push_str(&t),
                    _ => {
                        let source = text.get(range.clone()).unwrap_or_default();
                        let plain = source == t.as_ref();
                        let mut node = Node::new(
                            Kind::Text {
                                text: t.to_string(),
                                plain,
                            },
                            range.start,
                            range.end,
                        );
                        if plain {
                            let container = stack
                                .len()
                                .checked_sub(2)
                                .and_then(|i| stack.get(i))
                                .map(|n| n.kind.clone());
                            if let Some(top) = stack.last_mut() {
                                keep_line_indent(top, &mut node, text, container.as_ref());
                            }
                        }
                        if let Some(top) = stack.last_mut() {
                            push_child(top, node);
                        }
                    }
                }
            }
            Event::Code(t) => {
                if let Some(top) = stack.last_mut() {
                    top.children
                        .push(Node::new(Kind::Code(t.to_string()), range.start, range.end));
                }
            }
            Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::new(
                        Kind::InlineHtml(t.to_string()),
                        range.start,
                        range.end,
                    ));
                }
            }
            Event::FootnoteReference(name) => {
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::new(
                        Kind::FootnoteRef(name.to_string()),
                        range.start,
                        range.end,
                    ));
                }
            }
            Event::SoftBreak => {
                if let Some(top) = stack.last_mut() {
                    // kramdown keeps a blank before the line end (two would be a break).
                    let mut start = range.start;
                    let mut line_end = "\n".to_string();
                    if let Some(previous) = top.children.last() {
                        let gap = text.get(previous.end..range.start).unwrap_or_default();
                        if !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t') {
                            line_end = format!("{gap}\n");
                            start = previous.end;
                        }
                    }
                    let node = Node::new(
                        Kind::Text {
                            text: line_end,
                            plain: true,
                        },
                        start,
                        range.end,
                    );
                    push_child(top, node);
                }
            }
            Event::HardBreak => {
                if let Some(top) = stack.last_mut() {
                    top.children
                        .push(Node::new(Kind::HardBreak, range.start, range.end));
                }
            }
            Event::Rule => {
                if let Some(top) = stack.last_mut() {
                    top.children
                        .push(Node::new(Kind::Rule, range.start, range.end));
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(top) = stack.last_mut() {
                    top.children
                        .push(Node::new(Kind::Task(checked), range.start, range.end));
                }
            }
        }
    }
    while stack.len() > 1 {
        if let Some(node) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.children.push(node);
        }
    }
    stack.pop().unwrap_or_else(|| Node::new(Kind::Root, 0, 0))
}

/// Puts the tables read by [`table::read`] where their placeholders are, each cell's text
/// read as a paragraph of its own (typography done, so the later passes leave it).
fn insert_tables(node: &mut Node, prepared: &pre::Prepared, typography: &Typography) {
    for child in &mut node.children {
        let index = match &child.kind {
            Kind::HtmlBlock(html) => pre::table_index(html),
            _ => None,
        };
        match index.and_then(|n| prepared.tables.get(n)) {
            Some(table) => {
                *child = table_node(
                    table,
                    child.start,
                    child.end,
                    typography,
                    &prepared.abbreviations,
                )
            }
            None => insert_tables(child, prepared, typography),
        }
    }
}

fn table_node(
    table: &table::Table,
    start: usize,
    end: usize,
    typography: &Typography,
    abbreviations: &[(String, String)],
) -> Node {
    let alignments = table
        .alignments
        .iter()
        .map(|a| match a {
            table::Align::Default => Alignment::None,
            table::Align::Left => Alignment::Left,
            table::Align::Center => Alignment::Center,
            table::Align::Right => Alignment::Right,
        })
        .collect();
    let mut node = Node::new(Kind::Table(alignments), start, end);
    for (section, rows) in &table.sections {
        let kind = match section {
            table::Section::Head => Kind::TableHead,
            table::Section::Body => Kind::TableBody,
            table::Section::Foot => Kind::TableFoot,
        };
        let mut section_node = Node::new(kind, start, end);
        for row in rows {
            let mut row_node = Node::new(Kind::TableRow, start, end);
            for cell in row {
                let mut cell_node = Node::new(Kind::TableCell, start, end);
                cell_node.children = inline_nodes(cell, typography, abbreviations);
                row_node.children.push(cell_node);
            }
            section_node.children.push(row_node);
        }
        node.children.push(section_node);
    }
    node
}

/// `text` read as the inline content of one paragraph, with typography applied and the text
/// marked done.
fn inline_nodes(
    text: &str,
    typography: &Typography,
    abbreviations: &[(String, String)],
) -> Vec<Node> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut tree = build_tree(text);
    shape_blocks(&mut tree, text);
    inline_pass(&mut tree, text, typography, abbreviations);
    fn done(node: &mut Node) {
        if let Kind::Text { plain, .. } = &mut node.kind {
            *plain = false;
        }
        node.children.iter_mut().for_each(done);
    }
    let mut nodes: Vec<Node> = tree
        .children
        .into_iter()
        .flat_map(|block| block.children)
        .collect();
    nodes.iter_mut().for_each(done);
    nodes
}

/// kramdown's attribute list syntax (`.class #id key="value" ref`) as attributes.
pub(crate) fn parse_attribute_list(text: &str) -> Attributes {
    let mut attributes: Attributes = Vec::new();
    let mut add = |key: &str, value: String| {
        if key.is_empty() {
            attributes.push((String::new(), value));
            return;
        }
        if key == "class" {
            if let Some((_, existing)) = attributes.iter_mut().find(|(k, _)| k == "class") {
                existing.push(' ');
                existing.push_str(&value);
                return;
            }
        } else if let Some((_, existing)) = attributes.iter_mut().find(|(k, _)| k == key) {
            *existing = value;
            return;
        }
        attributes.push((key.to_string(), value));
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let token_start = i;
        while chars
            .get(i)
            .is_some_and(|c| !c.is_whitespace() && *c != '=')
        {
            i += 1;
        }
        let token: String = chars
            .get(token_start..i)
            .unwrap_or_default()
            .iter()
            .collect();
        if chars.get(i) == Some(&'=') {
            i += 1;
            let value: String = match chars.get(i).copied() {
                Some(q @ ('"' | '\'')) => {
                    let value_start = i + 1;
                    i = value_start;
                    while chars.get(i).is_some_and(|c| *c != q) {
                        i += 1;
                    }
                    let value = chars
                        .get(value_start..i)
                        .unwrap_or_default()
                        .iter()
                        .collect();
                    i += 1;
                    value
                }
                _ => {
                    let value_start = i;
                    while chars.get(i).is_some_and(|c| !c.is_whitespace()) {
                        i += 1;
                    }
                    chars
                        .get(value_start..i)
                        .unwrap_or_default()
                        .iter()
                        .collect()
                }
            };
            add(&token, value);
        } else if token.starts_with('.') || token.starts_with('#') {
            // `.a.b#c`: each piece its own class or id.
            let mut piece = String::new();
            let mut kind = ' ';
            for c in token.chars().chain(std::iter::once('.')) {
                if c == '.' || c == '#' {
                    if !piece.is_empty() {
                        add(
                            if kind == '.' { "class" } else { "id" },
                            std::mem::take(&mut piece),
                        );
                    }
                    kind = c;
                } else {
                    piece.push(c);
                }
            }
        } else if !token.is_empty() {
            // A reference to an attribute list definition, or `toc`: kept with an empty key,
            // never written.
            add("", token);
        }
    }
    attributes
}

/// Adds `extra` to `attributes` (classes joined, others replaced).
fn merge_attributes(attributes: &mut Attributes, extra: &Attributes) {
    for (key, value) in extra {
        if let Some((_, existing)) = attributes.iter_mut().find(|(k, _)| k == key) {
            if key == "class" {
                existing.push(' ');
                existing.push_str(value);
            } else {
                existing.clone_from(value);
            }
        } else {
            attributes.push((key.clone(), value.clone()));
        }
    }
}

/// Gives each block attribute list to its block.
fn attach_block_attributes(root: &mut Node, lists: &[pre::BlockAttributes], source: &str) {
    // A block's range may run over the blank lines after it.
    let content_end = |node: &Node| {
        source
            .get(node.start..node.end)
            .map_or(node.end, |text| node.start + text.trim_end().len())
    };
    for list in lists {
        let target = match list.attach {
            pre::Attach::Previous => {
                find_block(root, &|node: &Node| content_end(node) <= list.offset, true)
            }
            pre::Attach::Next => find_block(root, &|node: &Node| node.start >= list.offset, false),
        };
        if let Some(path) = target
            && let Some(node) = node_at_mut(root, &path)
        {
            merge_attributes(&mut node.attributes, &list.attributes);
        }
    }
}

/// The path to the outermost block satisfying `fits` that ends last (`last`) or starts first.
fn find_block(root: &Node, fits: &dyn Fn(&Node) -> bool, last: bool) -> Option<Vec<usize>> {
    let mut best: Option<(usize, Vec<usize>)> = None;
    fn walk(
        node: &Node,
        path: &mut Vec<usize>,
        fits: &dyn Fn(&Node) -> bool,
        last: bool,
        best: &mut Option<(usize, Vec<usize>)>,
    ) {
        for (i, child) in node.children.iter().enumerate() {
            if !child.kind.is_block() {
                continue;
            }
            path.push(i);
            if fits(child) {
                let key = if last { child.end } else { child.start };
                let better = match best {
                    None => true,
                    Some((b, _)) => {
                        if last {
                            key > *b
                        } else {
                            key < *b
                        }
                    }
                };
                if better {
                    *best = Some((key, path.clone()));
                }
            }
            walk(child, path, fits, last, best);
            path.pop();
        }
    }
    walk(root, &mut Vec::new(), fits, last, &mut best);
    best.map(|(_, path)| path)
}

fn node_at_mut<'a>(root: &'a mut Node, path: &[usize]) -> Option<&'a mut Node> {
    let mut node = root;
    for i in path {
        node = node.children.get_mut(*i)?;
    }
    Some(node)
}

/// True when a blank line lies between the end of one block (byte offset `end`, which may
/// include the blank lines after it) and the start of the next (`start`).
fn blank_line_between(source: &str, end: usize, start: usize) -> bool {
    let Some(before) = source.get(..end.min(start)) else {
        return false;
    };
    // Back over blank lines, including a block quote's `>` lines.
    let content_end = before
        .trim_end_matches(|c: char| c.is_whitespace() || c == '>')
        .len();
    let Some(gap) = source.get(content_end..start) else {
        return false;
    };
    let mut lines: Vec<&str> = gap.split('\n').collect();
    // The first piece ends the previous block's last line; the last starts the next block's.
    lines.pop();
    if !lines.is_empty() {
        lines.remove(0);
    }
    lines.iter().any(|line| {
        line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '>' || c == '\r')
            .is_empty()
    })
}

/// Wraps the loose inline content of items and definitions in paragraphs, decides which of
/// those kramdown writes without `<p>`, and marks task lists.
fn shape_blocks(node: &mut Node, source: &str) {
    for child in &mut node.children {
        shape_blocks(child, source);
    }
    // An ATX header without text is a paragraph of its hashes in kramdown.
    if matches!(node.kind, Kind::Heading(_)) && node.children.is_empty() {
        let hashes = source.get(node.start..node.end).unwrap_or_default().trim();
        if !hashes.is_empty() && hashes.chars().all(|c| c == '#') {
            node.kind = Kind::Paragraph;
            node.attributes.clear();
            node.children.push(Node::new(
                Kind::Text {
                    text: hashes.to_string(),
                    plain: false,
                },
                node.start,
                node.end,
            ));
        }
    }
    // `***both***`: kramdown puts the emphasis inside the strong element.
    if node.kind == Kind::Emphasis
        && node.children.len() == 1
        && node
            .children
            .first()
            .is_some_and(|c| c.kind == Kind::Strong)
        && source
            .get(node.start..)
            .is_some_and(|s| s.starts_with("***") || s.starts_with("___"))
    {
        node.kind = Kind::Strong;
        if let Some(inner) = node.children.first_mut() {
            inner.kind = Kind::Emphasis;
        }
    }
    if matches!(node.kind, Kind::Item | Kind::DefinitionDetails) {
        let first_block = node
            .children
            .iter()
            .position(|c| c.kind.is_block())
            .unwrap_or(node.children.len());
        if first_block > 0 {
            let inline: Vec<Node> = node.children.drain(..first_block).collect();
            let start = inline.first().map_or(node.start, |n| n.start);
            let end = inline.last().map_or(node.start, |n| n.end);
            let mut paragraph = Node::new(Kind::Paragraph, start, end);
            paragraph.children = inline;
            node.children.insert(0, paragraph);
        }
    }
    if matches!(node.kind, Kind::List { .. } | Kind::DefinitionList) {
        let count = node.children.len();
        let next_starts: Vec<Option<usize>> = (0..count)
            .map(|i| node.children.get(i + 1).map(|n| n.start))
            .collect();
        let mut is_task_list = false;
        // kramdown writes the last item's paragraph bare only when an earlier one was.
        let mut earlier_bare = false;
        let mut previous_end: Option<usize> = None;
        for (i, item) in node.children.iter_mut().enumerate() {
            if !matches!(item.kind, Kind::Item | Kind::DefinitionDetails) {
                previous_end = Some(item.end);
                continue;
            }
            let is_last = i + 1 == count;
            let follow = match item.children.get(1) {
                Some(second) => Some(second.start),
                None if !is_last => next_starts.get(i).copied().flatten(),
                None => None,
            };
            let bare;
            let details = item.kind == Kind::DefinitionDetails;
            let blank_before =
                previous_end.is_some_and(|e| blank_line_between(source, e, item.start));
            previous_end = Some(item.end);
            if let Some(first) = item.children.first_mut() {
                if first.kind == Kind::Paragraph {
                    let blank_after =
                        follow.is_some_and(|f| blank_line_between(source, first.end, f));
                    first.transparent = if details {
                        // A definition is bare unless a blank line separates it from its term.
                        !blank_before
                    } else {
                        !blank_after && (!is_last || count == 1 || earlier_bare)
                    };
                    bare = first.transparent;
                    if matches!(first.children.first().map(|c| &c.kind), Some(Kind::Task(_))) {
                        is_task_list = true;
                    }
                } else {
                    bare = true;
                }
            } else {
                bare = true;
            }
            earlier_bare |= bare;
            if is_task_list && item.kind == Kind::Item {
                merge_attributes(
                    &mut item.attributes,
                    &vec![("class".to_string(), "task-list-item".to_string())],
                );
            }
        }
        if is_task_list {
            merge_attributes(
                &mut node.attributes,
                &vec![("class".to_string(), "task-list".to_string())],
            );
        }
    }
}

/// Typography, span attribute lists and abbreviations over every inline run.
fn inline_pass(
    node: &mut Node,
    source: &str,
    typography: &Typography,
    abbreviations: &[(String, String)],
) {
    if matches!(
        node.kind,
        Kind::CodeBlock { .. } | Kind::Code(_) | Kind::Image { .. }
    ) {
        return;
    }
    emphasis_fallback(node);
    // Span attribute lists: `*em*{: .x}`.
    let mut i = 1;
    while i < node.children.len() {
        let takes_list = node
            .children
            .get(i - 1)
            .is_some_and(|prev| !prev.kind.is_block() && !matches!(prev.kind, Kind::Text { .. }));
        let mut found: Option<(Attributes, usize)> = None;
        if let Some(Node {
            kind: Kind::Text { text, plain: true },
            ..
        }) = node.children.get(i)
            && let Some(rest) = text.strip_prefix("{:")
            && let Some(close) = rest.find('}')
            && takes_list
        {
            found = Some((
                parse_attribute_list(rest.get(..close).unwrap_or_default()),
                close + 3,
            ));
        }
        if let Some((attributes, cut)) = found {
            if let Some(prev) = node.children.get_mut(i - 1) {
                merge_attributes(&mut prev.attributes, &attributes);
            }
            if let Some(Node {
                kind: Kind::Text { text, .. },
                start,
                ..
            }) = node.children.get_mut(i)
            {
                *text = text.get(cut..).unwrap_or_default().to_string();
                *start += cut;
            }
        }
        i += 1;
    }
    let mut index = 0;
    while index < node.children.len() {
        let Some(child) = node.children.get_mut(index) else {
            break;
        };
        if let Kind::Text { text, plain: true } = &mut child.kind {
            let after = source.get(child.end..).unwrap_or_default();
            *text = typography::apply(text, after, typography);
            if !abbreviations.is_empty() {
                let pieces = split_abbreviations(text, abbreviations);
                if pieces.len() > 1 {
                    let (start, end) = (child.start, child.end);
                    let replacement: Vec<Node> = pieces
                        .into_iter()
                        .map(|(piece, title)| {
                            let text_node = Node::new(
                                Kind::Text {
                                    text: piece,
                                    plain: false,
                                },
                                start,
                                end,
                            );
                            match title {
                                Some(title) => {
                                    let mut abbr =
                                        Node::new(Kind::Abbreviation { title }, start, end);
                                    abbr.children.push(text_node);
                                    abbr
                                }
                                None => text_node,
                            }
                        })
                        .collect();
                    let added = replacement.len();
                    node.children.splice(index..=index, replacement);
                    index += added;
                    continue;
                }
            }
        } else {
            inline_pass(child, source, typography, abbreviations);
        }
        index += 1;
    }
}

/// kramdown's emphasis where CommonMark's flanking rules refused it (`**注意：**公式`): in
/// plain text, `**x**` and `*x*` whose content neither starts nor ends with a blank become
/// strong and emphasis. Underscores are left alone.
fn emphasis_fallback(node: &mut Node) {
    if matches!(node.kind, Kind::Link { .. } | Kind::Code(_)) {
        return;
    }
    let inside_strong = node.kind == Kind::Strong;
    let inside_em = node.kind == Kind::Emphasis;
    let mut i = 0;
    while i < node.children.len() {
        let Some(child) = node.children.get(i) else {
            break;
        };
        let Kind::Text { text, plain: true } = &child.kind else {
            i += 1;
            continue;
        };
        let Some((before, marker, inner, after)) = find_emphasis(text, inside_strong, inside_em)
        else {
            i += 1;
            continue;
        };
        let (start, end) = (child.start, child.end);
        let at = |offset: usize| (start + offset).min(end);
        let text_node = |t: &str, s: usize, e: usize| {
            Node::new(
                Kind::Text {
                    text: t.to_string(),
                    plain: true,
                },
                s,
                e,
            )
        };
        let inner_start = before.len() + marker.len();
        let mut span = Node::new(
            if marker == "**" {
                Kind::Strong
            } else {
                Kind::Emphasis
            },
            at(before.len()),
            at(inner_start + inner.len() + marker.len()),
        );
        span.children.push(text_node(
            inner,
            at(inner_start),
            at(inner_start + inner.len()),
        ));
        let mut replacement = Vec::new();
        if !before.is_empty() {
            replacement.push(text_node(before, start, at(before.len())));
        }
        replacement.push(span);
        let after_start = at(inner_start + inner.len() + marker.len());
        let has_after = !after.is_empty();
        if has_after {
            replacement.push(text_node(after, after_start, end));
        }
        let added = replacement.len();
        node.children.splice(i..=i, replacement);
        // Look again at the text after the new element.
        i += if has_after { added - 1 } else { added };
    }
}

/// The first `**x**` or `*x*` kramdown would read in `text`: (before, marker, inner, after).
fn find_emphasis(
    text: &str,
    inside_strong: bool,
    inside_em: bool,
) -> Option<(&str, &'static str, &str, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'*') {
            i += 1;
            continue;
        }
        let double = bytes.get(i + 1) == Some(&b'*');
        let marker: &'static str = if double { "**" } else { "*" };
        let open_end = i + marker.len();
        let allowed = if double { !inside_strong } else { !inside_em };
        let next = text.get(open_end..).and_then(|r| r.chars().next());
        if !allowed
            || next.is_none_or(char::is_whitespace)
            || (double && bytes.get(open_end) == Some(&b'*'))
        {
            i = open_end;
            continue;
        }
        let rest = text.get(open_end..)?;
        let mut search = 0;
        while let Some(found) = rest.get(search..).and_then(|r| r.find(marker)) {
            let close = search + found;
            let inner = rest.get(..close)?;
            let ends_blank = inner.chars().next_back().is_none_or(char::is_whitespace);
            let tripled = rest.as_bytes().get(close + marker.len()) == Some(&b'*');
            if !inner.is_empty()
                && !ends_blank
                && (marker != "*" || !tripled)
                && !inner.contains(marker)
            {
                let before = text.get(..i)?;
                let after = rest.get(close + marker.len()..)?;
                return Some((before, marker, inner, after));
            }
            search = close + marker.len();
        }
        i = open_end;
    }
    None
}

/// `text` cut around whole-word occurrences of the abbreviations: (piece, title if one).
fn split_abbreviations(
    text: &str,
    abbreviations: &[(String, String)],
) -> Vec<(String, Option<String>)> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut i = 0;
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    while i < text.len() {
        let mut matched = None;
        if text.is_char_boundary(i) {
            let before = text.get(..i).and_then(|s| s.chars().next_back());
            if !is_word(before) {
                for (abbr, title) in abbreviations {
                    if text.get(i..).is_some_and(|s| s.starts_with(abbr.as_str())) {
                        let after = text.get(i + abbr.len()..).and_then(|s| s.chars().next());
                        if !is_word(after) {
                            matched = Some((abbr.len(), title.clone()));
                            break;
                        }
                    }
                }
            }
        }
        if let Some((len, title)) = matched {
            if i > rest_start {
                pieces.push((
                    text.get(rest_start..i).unwrap_or_default().to_string(),
                    None,
                ));
            }
            pieces.push((
                text.get(i..i + len).unwrap_or_default().to_string(),
                Some(title),
            ));
            i += len;
            rest_start = i;
        } else {
            i += 1;
        }
    }
    if rest_start < text.len() {
        pieces.push((text.get(rest_start..).unwrap_or_default().to_string(), None));
    }
    pieces
}

/// The text kramdown makes a header id from: text, code and the characters of quotes and
/// symbols, through every span element but images.
fn raw_text(node: &Node, out: &mut String) {
    for child in &node.children {
        match &child.kind {
            Kind::Text { text, .. } => out.push_str(text),
            Kind::Code(code) => out.push_str(code),
            Kind::Image { .. } | Kind::InlineHtml(_) | Kind::RawInline(_) => {}
            _ => raw_text(child, out),
        }
    }
}

/// kramdown-parser-gfm's header id: lower case, only word characters, `-`, spaces (as `-`);
/// a repeated id gets `-1`, `-2`, …
pub fn gfm_header_id(text: &str, counters: &mut HashMap<String, usize>) -> String {
    // Ruby's `[^\p{Word}\- \t]`; the regex crate's `\w` is the same Unicode word class.
    static NON_WORD: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"[^\w\- \t]").ok());
    let lower = text.to_lowercase();
    let kept = match NON_WORD.as_ref() {
        Some(re) => re.replace_all(&lower, "").into_owned(),
        None => lower,
    };
    let mut id: String = kept
        .chars()
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect();
    let count = counters.entry(id.clone()).or_insert(0);
    if *count > 0 {
        let _ = write!(id, "-{count}");
    }
    *count += 1;
    id
}

fn assign_header_ids(node: &mut Node, prefix: &str, counters: &mut HashMap<String, usize>) {
    for child in &mut node.children {
        if let Kind::Heading(_) = child.kind {
            if !child.attributes.iter().any(|(k, _)| k == "id") {
                let mut text = String::new();
                raw_text(child, &mut text);
                let id = format!("{prefix}{}", gfm_header_id(&text, counters));
                child.attributes.push(("id".to_string(), id));
            }
        } else if child.kind.is_block() {
            assign_header_ids(child, prefix, counters);
        }
    }
}

/// kramdown's escaping of text (`&`, `<`, `>`); Rouge escapes highlighted code the same way,
/// so [`super::highlight`] uses it too.
pub(crate) fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// kramdown's escaping of attribute values (`&`, `<`, `>`, `"`).
fn escape_attribute(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn write_attributes(attributes: &Attributes, out: &mut String) {
    for (key, value) in attributes {
        if key.is_empty() {
            continue;
        }
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        escape_attribute(value, out);
        out.push('"');
    }
}

/// The text of an image's description, as its `alt`.
fn plain_text(node: &Node, out: &mut String) {
    for child in &node.children {
        match &child.kind {
            Kind::Text { text, .. } => out.push_str(text),
            Kind::Code(code) => out.push_str(code),
            _ => plain_text(child, out),
        }
    }
}

/// Inline nodes cut into lines at the newlines of their text.
fn split_lines(nodes: &[Node]) -> Vec<Vec<Node>> {
    let mut lines: Vec<Vec<Node>> = vec![Vec::new()];
    for node in nodes {
        match &node.kind {
            Kind::Text { text, plain } if text.contains('\n') => {
                for (i, piece) in text.split('\n').enumerate() {
                    if i > 0 {
                        lines.push(Vec::new());
                    }
                    if !piece.is_empty()
                        && let Some(line) = lines.last_mut()
                    {
                        let mut part = node.clone();
                        part.kind = Kind::Text {
                            text: piece.to_string(),
                            plain: *plain,
                        };
                        line.push(part);
                    }
                }
            }
            _ => {
                if let Some(line) = lines.last_mut() {
                    line.push(node.clone());
                }
            }
        }
    }
    lines.retain(|line| !line.is_empty());
    lines
}

/// kramdown's `add_syntax_highlighter_to_class_attr`: ` highlighter-rouge` after the
/// element's classes, and `language-…` first unless a class names the language already. The
/// class stays where an attribute list put it, or comes last.
fn add_highlighter_class(attributes: &mut Attributes, language: &str) {
    let existing = attributes
        .iter()
        .find(|(k, _)| k == "class")
        .map(|(_, v)| v.clone());
    let mut class = format!("{} highlighter-rouge", existing.unwrap_or_default())
        .trim_start()
        .to_string();
    if !class.split_whitespace().any(|c| c.starts_with("language-")) {
        class = format!("language-{language} {class}");
    }
    match attributes.iter_mut().find(|(k, _)| k == "class") {
        Some((_, value)) => *value = class,
        None => attributes.push(("class".to_string(), class)),
    }
}

/// Writes the tree as kramdown's HTML converter does.
struct Writer<'a> {
    source: &'a str,
    raw_html: &'a [(String, pre::RawKind)],
    inline_math: &'a [String],
    options: &'a KramdownOptions,
    footnote_defs: HashMap<String, Node>,
    /// Footnotes in the order of their first reference: (name, references so far).
    footnote_order: Vec<(String, usize)>,
    /// The headers a `{:toc}` list shows.
    toc: Vec<TocEntry>,
    out: String,
}

/// A header in kramdown's table of contents, with the headers nested under it.
#[derive(Debug, Clone)]
struct TocEntry {
    id: String,
    text: Vec<Node>,
    children: Vec<TocEntry>,
}

/// True when the block carries the attribute list reference `name` (`{:toc}`).
fn has_reference(node: &Node, name: &str) -> bool {
    node.attributes
        .iter()
        .any(|(k, v)| k.is_empty() && v == name)
}

/// The headers with an id, outside footnotes and without the class `no_toc`, nested by
/// level the way kramdown builds its table of contents.
fn table_of_contents(root: &Node, levels: &[u8]) -> Vec<TocEntry> {
    fn collect(node: &Node, levels: &[u8], out: &mut Vec<(u8, TocEntry)>) {
        for child in &node.children {
            match &child.kind {
                Kind::Heading(level) if levels.contains(level) => {
                    let id = child
                        .attributes
                        .iter()
                        .find(|(k, _)| k == "id")
                        .map(|(_, v)| v.clone());
                    let excluded = child
                        .attributes
                        .iter()
                        .any(|(k, v)| k == "class" && v.split_whitespace().any(|c| c == "no_toc"));
                    if let (Some(id), false) = (id, excluded) {
                        let text = child
                            .children
                            .iter()
                            .filter(|c| !matches!(c.kind, Kind::FootnoteRef(_)))
                            .cloned()
                            .collect();
                        out.push((
                            *level,
                            TocEntry {
                                id,
                                text,
                                children: Vec::new(),
                            },
                        ));
                    }
                }
                Kind::FootnoteDef(_) => {}
                Kind::Heading(_) => {}
                _ if child.kind.is_block() => collect(child, levels, out),
                _ => {}
            }
        }
    }
    let mut flat = Vec::new();
    collect(root, levels, &mut flat);
    // A stack of (level, entry) still open; closing an entry hands it to its parent.
    let mut stack: Vec<(u8, TocEntry)> = Vec::new();
    let mut top: Vec<TocEntry> = Vec::new();
    fn close(stack: &mut Vec<(u8, TocEntry)>, top: &mut Vec<TocEntry>) {
        if let Some((_, entry)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(entry),
                None => top.push(entry),
            }
        }
    }
    for (level, entry) in flat {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            close(&mut stack, &mut top);
        }
        stack.push((level, entry));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    top
}

impl Writer<'_> {
    fn indent(&mut self, indent: usize) {
        for _ in 0..indent {
            self.out.push(' ');
        }
    }

    /// Block children at `indent`, with a blank line where the source had one.
    fn blocks(&mut self, children: &[Node], indent: usize) {
        let mut previous_end: Option<usize> = None;
        // Blocks inside a `markdown="1"` element are one level in.
        let mut extra: usize = 0;
        for child in children {
            let raw_kind = self.raw_kind(child);
            if let Some(end) = previous_end
                && blank_line_between(self.source, end, child.start)
            {
                self.out.push('\n');
            }
            if raw_kind == Some(pre::RawKind::Close) {
                extra = extra.saturating_sub(2);
            }
            self.block(child, indent + extra);
            if raw_kind == Some(pre::RawKind::Open) {
                extra += 2;
            }
            previous_end = Some(child.end);
        }
    }

    /// What kind of kept raw HTML `node` stands for, if it is a placeholder.
    fn raw_kind(&self, node: &Node) -> Option<pre::RawKind> {
        match &node.kind {
            Kind::HtmlBlock(html) => pre::placeholder_index(html)
                .and_then(|n| self.raw_html.get(n))
                .map(|(_, kind)| *kind),
            _ => None,
        }
    }

    fn block(&mut self, node: &Node, indent: usize) {
        match &node.kind {
            Kind::Paragraph => {
                if node.transparent {
                    self.inlines(&node.children);
                } else {
                    self.indent(indent);
                    self.out.push_str("<p");
                    write_attributes(&node.attributes, &mut self.out);
                    self.out.push('>');
                    self.inlines(&node.children);
                    self.out.push_str("</p>\n");
                }
            }
            Kind::Heading(level) => {
                self.indent(indent);
                let _ = write!(self.out, "<h{level}");
                write_attributes(&node.attributes, &mut self.out);
                self.out.push('>');
                self.inlines(&node.children);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Kind::BlockQuote => self.wrapped("blockquote", node, indent),
            Kind::List { ordered } if has_reference(node, "toc") => {
                let name = if *ordered { "ol" } else { "ul" };
                self.indent(indent);
                let mut attributes = node.attributes.clone();
                merge_attributes(
                    &mut attributes,
                    &vec![("id".to_string(), "markdown-toc".to_string())],
                );
                let _ = write!(self.out, "<{name}");
                write_attributes(&attributes, &mut self.out);
                self.out.push_str(">\n");
                let entries = self.toc.clone();
                self.toc_items(&entries, name, indent + 2);
                self.indent(indent);
                let _ = writeln!(self.out, "</{name}>");
            }
            Kind::List { ordered } => {
                let name = if *ordered { "ol" } else { "ul" };
                self.indent(indent);
                let _ = write!(self.out, "<{name}");
                write_attributes(&node.attributes, &mut self.out);
                self.out.push_str(">\n");
                for item in &node.children {
                    self.item("li", item, indent + 2);
                }
                self.indent(indent);
                let _ = writeln!(self.out, "</{name}>");
            }
            Kind::Item => self.item("li", node, indent),
            Kind::DefinitionList => {
                self.indent(indent);
                self.out.push_str("<dl");
                write_attributes(&node.attributes, &mut self.out);
                self.out.push_str(">\n");
                for child in &node.children {
                    match child.kind {
                        Kind::DefinitionDetails => self.item("dd", child, indent + 2),
                        _ => {
                            // Each line of the title is a term of its own.
                            for line in split_lines(&child.children) {
                                self.indent(indent + 2);
                                self.out.push_str("<dt");
                                write_attributes(&child.attributes, &mut self.out);
                                self.out.push('>');
                                self.inlines(&line);
                                self.out.push_str("</dt>\n");
                            }
                        }
                    }
                }
                self.indent(indent);
                self.out.push_str("</dl>\n");
            }
            Kind::CodeBlock { language, code } => {
                self.code_block(node, language.as_deref(), code, indent)
            }
            Kind::HtmlBlock(html) => {
                let raw = pre::placeholder_index(html)
                    .and_then(|n| self.raw_html.get(n))
                    .map_or(html.as_str(), |(raw, _)| raw.as_str());
                let trimmed = raw.trim_end_matches(['\n', '\r']);
                if trimmed.is_empty() {
                } else if pre::starts_with_span_element(trimmed) {
                    // kramdown reads a line opening with a span element as a paragraph.
                    self.indent(indent);
                    self.out.push_str("<p>");
                    self.out.push_str(&pre::close_void_tags(trimmed.trim()));
                    self.out.push_str("</p>\n");
                } else {
                    if self
                        .raw_kind(node)
                        .is_some_and(|k| k != pre::RawKind::Whole)
                    {
                        self.indent(indent);
                    }
                    self.out.push_str(&pre::close_void_tags(trimmed));
                    self.out.push('\n');
                }
            }
            Kind::Rule => {
                self.indent(indent);
                self.out.push_str("<hr");
                write_attributes(&node.attributes, &mut self.out);
                self.out.push_str(" />\n");
            }
            Kind::Table(alignments) => self.table(node, alignments, indent),
            Kind::FootnoteDef(_) => {}
            _ => {
                // Inline content where a block was expected (kept rather than lost).
                self.indent(indent);
                self.inlines(std::slice::from_ref(node));
                self.out.push('\n');
            }
        }
    }

    /// kramdown's table of contents items: `<li><a …>text</a>` with the nested list on the
    /// same line.
    fn toc_items(&mut self, entries: &[TocEntry], name: &str, indent: usize) {
        for entry in entries {
            self.indent(indent);
            self.out.push_str("<li><a href=\"#");
            escape_attribute(&entry.id, &mut self.out);
            self.out.push_str("\" id=\"markdown-toc-");
            escape_attribute(&entry.id, &mut self.out);
            self.out.push_str("\">");
            self.inlines(&entry.text);
            self.out.push_str("</a>");
            if entry.children.is_empty() {
                self.out.push_str("</li>\n");
            } else {
                self.indent(indent + 2);
                let _ = writeln!(self.out, "<{name}>");
                self.toc_items(&entry.children, name, indent + 4);
                self.indent(indent + 2);
                let _ = writeln!(self.out, "</{name}>");
                self.indent(indent);
                self.out.push_str("</li>\n");
            }
        }
    }

    fn wrapped(&mut self, name: &str, node: &Node, indent: usize) {
        self.indent(indent);
        let _ = write!(self.out, "<{name}");
        write_attributes(&node.attributes, &mut self.out);
        self.out.push_str(">\n");
        self.blocks(&node.children, indent + 2);
        self.indent(indent);
        let _ = writeln!(self.out, "</{name}>");
    }

    /// kramdown's `convert_li` (also for `dd`).
    fn item(&mut self, name: &str, node: &Node, indent: usize) {
        self.indent(indent);
        let _ = write!(self.out, "<{name}");
        write_attributes(&node.attributes, &mut self.out);
        self.out.push('>');
        let transparent_first = node.children.first().is_some_and(|c| c.transparent);
        if node.children.is_empty() {
        } else if transparent_first {
            let mut previous_end = None;
            for (i, child) in node.children.iter().enumerate() {
                if let Some(end) = previous_end
                    && blank_line_between(self.source, end, child.start)
                {
                    self.out.push('\n');
                }
                if i == 0 {
                    self.inlines(&child.children);
                    if node.children.len() > 1 {
                        self.out.push('\n');
                    }
                } else {
                    self.block(child, indent + 2);
                }
                previous_end = Some(child.end);
            }
            if self.out.ends_with('\n') {
                self.indent(indent);
            }
        } else {
            self.out.push('\n');
            self.blocks(&node.children, indent + 2);
            self.indent(indent);
        }
        let _ = writeln!(self.out, "</{name}>");
    }

    fn code_block(&mut self, node: &Node, language: Option<&str>, code: &str, indent: usize) {
        self.indent(indent);
        let highlight =
            self.options.syntax_highlighting && language.is_none_or(super::highlight::rouge_knows);
        if highlight {
            let language = language.unwrap_or("plaintext");
            let mut attributes = node.attributes.clone();
            add_highlighter_class(&mut attributes, language);
            self.out.push_str("<div");
            write_attributes(&attributes, &mut self.out);
            self.out
                .push_str("><div class=\"highlight\"><pre class=\"highlight\"><code>");
            self.out
                .push_str(&super::highlight::highlight_code(code, language));
            self.out.push_str("</code></pre></div>");
            self.indent(indent);
            self.out.push_str("</div>\n");
        } else {
            self.out.push_str("<pre");
            write_attributes(&node.attributes, &mut self.out);
            self.out.push_str("><code");
            if let Some(language) = language {
                let _ = write!(self.out, " class=\"language-{language}\"");
            }
            self.out.push('>');
            escape_text(code, &mut self.out);
            self.out.push_str("</code></pre>\n");
        }
    }

    fn table(&mut self, node: &Node, alignments: &[Alignment], indent: usize) {
        self.indent(indent);
        self.out.push_str("<table");
        write_attributes(&node.attributes, &mut self.out);
        self.out.push_str(">\n");
        for section in &node.children {
            let (name, cell) = match section.kind {
                Kind::TableHead => ("thead", "th"),
                Kind::TableFoot => ("tfoot", "td"),
                _ => ("tbody", "td"),
            };
            self.indent(indent + 2);
            let _ = writeln!(self.out, "<{name}>");
            for row in &section.children {
                self.table_row(&row.children, cell, alignments, indent + 4);
            }
            self.indent(indent + 2);
            let _ = writeln!(self.out, "</{name}>");
        }
        self.indent(indent);
        self.out.push_str("</table>\n");
    }

    fn table_row(&mut self, cells: &[Node], name: &str, alignments: &[Alignment], indent: usize) {
        self.indent(indent);
        self.out.push_str("<tr>\n");
        for (i, cell) in cells.iter().enumerate() {
            self.indent(indent + 2);
            let _ = write!(self.out, "<{name}");
            let mut attributes = cell.attributes.clone();
            let alignment = match alignments.get(i) {
                Some(Alignment::Left) => Some("left"),
                Some(Alignment::Center) => Some("center"),
                Some(Alignment::Right) => Some("right"),
                _ => None,
            };
            if let Some(alignment) = alignment {
                attributes.push(("style".to_string(), format!("text-align: {alignment}")));
            }
            write_attributes(&attributes, &mut self.out);
            self.out.push('>');
            if cell.children.is_empty() {
                self.out.push('\u{a0}');
            } else {
                self.inlines(&cell.children);
            }
            let _ = writeln!(self.out, "</{name}>");
        }
        self.indent(indent);
        self.out.push_str("</tr>\n");
    }

    fn inlines(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.inline(node);
        }
    }

    fn span(&mut self, name: &str, node: &Node) {
        let _ = write!(self.out, "<{name}");
        write_attributes(&node.attributes, &mut self.out);
        self.out.push('>');
        self.inlines(&node.children);
        let _ = write!(self.out, "</{name}>");
    }

    fn inline(&mut self, node: &Node) {
        match &node.kind {
            Kind::Text { text, .. } => {
                if self.options.hard_wrap {
                    let mut first = true;
                    for line in text.split('\n') {
                        if !first {
                            self.out.push_str("<br />\n");
                        }
                        escape_text(line, &mut self.out);
                        first = false;
                    }
                } else {
                    escape_text(text, &mut self.out);
                }
            }
            Kind::Emphasis => self.span("em", node),
            Kind::Strong => self.span("strong", node),
            Kind::Strikethrough => self.span("del", node),
            Kind::Superscript => self.span("sup", node),
            Kind::Subscript => self.span("sub", node),
            Kind::Abbreviation { title } => {
                let mut attributes = node.attributes.clone();
                if !title.is_empty() {
                    attributes.insert(0, ("title".to_string(), title.clone()));
                }
                self.out.push_str("<abbr");
                write_attributes(&attributes, &mut self.out);
                self.out.push('>');
                self.inlines(&node.children);
                self.out.push_str("</abbr>");
            }
            Kind::Link { url, title } => {
                let mut attributes = vec![("href".to_string(), url.clone())];
                if !title.is_empty() {
                    attributes.push(("title".to_string(), title.clone()));
                }
                merge_attributes(&mut attributes, &node.attributes);
                self.out.push_str("<a");
                write_attributes(&attributes, &mut self.out);
                self.out.push('>');
                self.inlines(&node.children);
                self.out.push_str("</a>");
            }
            Kind::Image { url, title } => {
                let mut alt = String::new();
                plain_text(node, &mut alt);
                let mut attributes =
                    vec![("src".to_string(), url.clone()), ("alt".to_string(), alt)];
                if !title.is_empty() {
                    attributes.push(("title".to_string(), title.clone()));
                }
                merge_attributes(&mut attributes, &node.attributes);
                self.out.push_str("<img");
                write_attributes(&attributes, &mut self.out);
                self.out.push_str(" />");
            }
            Kind::Code(code) => {
                let mut attributes = node.attributes.clone();
                if self.options.syntax_highlighting {
                    add_highlighter_class(&mut attributes, "plaintext");
                }
                self.out.push_str("<code");
                write_attributes(&attributes, &mut self.out);
                self.out.push('>');
                escape_text(code, &mut self.out);
                self.out.push_str("</code>");
            }
            Kind::InlineHtml(html) => {
                match pre::math_index(html).and_then(|n| self.inline_math.get(n)) {
                    Some(math) => self.out.push_str(math),
                    None => self.out.push_str(&pre::close_void_tags(html)),
                }
            }
            Kind::RawInline(html) => self.out.push_str(html),
            Kind::HardBreak => {
                // kramdown takes two of the spaces before the line end; more stay as text.
                let spaces = self
                    .source
                    .get(node.start..node.end)
                    .map_or(0, |s| s.chars().take_while(|c| *c == ' ').count());
                for _ in 2..spaces.max(2) {
                    self.out.push(' ');
                }
                self.out.push_str("<br />\n");
            }
            Kind::Task(checked) => {
                self.out.push_str(
                    "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\"",
                );
                if *checked {
                    self.out.push_str(" checked=\"checked\"");
                }
                self.out.push_str(" />");
            }
            Kind::FootnoteRef(name) => self.footnote_reference(name),
            _ => {
                if node.kind.is_block() {
                    self.block(node, 0);
                } else {
                    self.inlines(&node.children);
                }
            }
        }
    }

    fn footnote_reference(&mut self, name: &str) {
        if !self.footnote_defs.contains_key(name) {
            let _ = write!(self.out, "[^{name}]");
            return;
        }
        let position = self.footnote_order.iter().position(|(n, _)| n == name);
        let (number, repeat) = match position {
            Some(i) => {
                let Some(entry) = self.footnote_order.get_mut(i) else {
                    return;
                };
                entry.1 += 1;
                (i, entry.1)
            }
            None => {
                self.footnote_order.push((name.to_string(), 0));
                (self.footnote_order.len() - 1, 0)
            }
        };
        let number = number as u32 + self.options.footnote_number_start;
        let id = if repeat > 0 {
            format!("fnref:{name}:{repeat}")
        } else {
            format!("fnref:{name}")
        };
        self.out.push_str("<sup id=\"");
        escape_attribute(&id, &mut self.out);
        self.out.push_str("\" role=\"doc-noteref\"><a href=\"#fn:");
        escape_attribute(name, &mut self.out);
        let _ = write!(
            self.out,
            "\" class=\"footnote\" rel=\"footnote\">{number}</a></sup>"
        );
    }

    /// kramdown's `footnote_content`: the notes in order of first reference, each with its
    /// back links at the end of its last paragraph.
    fn footnotes(&mut self) {
        if self.footnote_order.is_empty() {
            return;
        }
        let mut written = 0;
        let mut body = std::mem::take(&mut self.out);
        let mut i = 0;
        let mut list = String::new();
        while let Some((name, repeat)) = self.footnote_order.get(i).cloned() {
            i += 1;
            let Some(mut def) = self.footnote_defs.get(&name).cloned() else {
                continue;
            };
            let mut links = String::new();
            let append_to_last = def
                .children
                .last()
                .is_some_and(|c| c.kind == Kind::Paragraph);
            let mut href = String::new();
            escape_attribute(&name, &mut href);
            let _ = write!(
                links,
                "{}<a href=\"#fnref:{href}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>",
                if append_to_last { "\u{a0}" } else { "" }
            );
            for k in 1..=repeat {
                let _ = write!(
                    links,
                    "\u{a0}<a href=\"#fnref:{href}:{k}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;<sup>{}</sup></a>",
                    k + 1
                );
            }
            let link_node = Node::new(Kind::RawInline(links), def.end, def.end);
            match def.children.last_mut() {
                Some(last) if append_to_last => last.children.push(link_node),
                _ => {
                    let mut paragraph = Node::new(Kind::Paragraph, def.end, def.end);
                    paragraph.children.push(link_node);
                    def.children.push(paragraph);
                }
            }
            self.out = String::new();
            self.indent(4);
            self.out.push_str("<li id=\"fn:");
            escape_attribute(&name, &mut self.out);
            self.out.push_str("\" role=\"doc-endnote\">\n");
            self.blocks(&def.children, 6);
            self.out.push_str("    </li>\n");
            list.push_str(&self.out);
            written += 1;
        }
        if written > 0 {
            body.push_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol");
            if self.options.footnote_number_start != 1 {
                let _ = write!(body, " start=\"{}\"", self.options.footnote_number_start);
            }
            body.push_str(">\n");
            body.push_str(&list);
            body.push_str("  </ol>\n</div>\n");
        }
        self.out = body;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        to_html(markdown, &KramdownOptions::default())
    }

    #[test]
    fn header_ids_follow_kramdown_gfm() {
        let out = html(
            "# Same\n# Same\n## 123 Numbers!\n### Ça va? Naïve\n## Hello \"World\" -- it's...\n",
        );
        assert!(out.contains("<h1 id=\"same\">Same</h1>"), "{out}");
        assert!(out.contains("<h1 id=\"same-1\">Same</h1>"), "{out}");
        assert!(out.contains("<h2 id=\"123-numbers\">"), "{out}");
        assert!(out.contains("<h3 id=\"ça-va-naïve\">"), "{out}");
        assert!(out.contains("<h2 id=\"hello-world--its\">Hello \u{201c}World\u{201d} \u{2013} it\u{2019}s\u{2026}</h2>"), "{out}");
    }

    #[test]
    fn header_id_keeps_code_and_link_text() {
        let out = html("## `code` in [link](x) & *em*\n");
        assert!(out.contains("id=\"code-in-link--em\""), "{out}");
    }

    #[test]
    fn tight_and_loose_items_as_kramdown_decides_them() {
        assert_eq!(
            html("* a\n* b\n  * c\n* e\n"),
            "<ul>\n  <li>a</li>\n  <li>b\n    <ul>\n      <li>c</li>\n    </ul>\n  </li>\n  <li>e</li>\n</ul>\n"
        );
        assert_eq!(
            html("1. one\n2. two\n\n3. three\n"),
            "<ol>\n  <li>one</li>\n  <li>\n    <p>two</p>\n  </li>\n  <li>three</li>\n</ol>\n"
        );
    }

    #[test]
    fn blank_lines_between_blocks_are_kept() {
        assert_eq!(
            html("a\n\nb\n* c\n"),
            "<p>a</p>\n\n<p>b</p>\n<ul>\n  <li>c</li>\n</ul>\n"
        );
    }

    #[test]
    fn code_is_wrapped_as_rouge_does() {
        assert_eq!(
            html("```\na<b\n```\n"),
            "<div class=\"language-plaintext highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>a&lt;b\n</code></pre></div></div>\n"
        );
        assert!(
            html("`x`").contains("<code class=\"language-plaintext highlighter-rouge\">x</code>")
        );
    }

    #[test]
    fn task_lists_get_kramdown_classes() {
        assert_eq!(
            html("* [ ] task\n* [x] done\n"),
            "<ul class=\"task-list\">\n  <li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\" />task</li>\n  <li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\" checked=\"checked\" />done</li>\n</ul>\n"
        );
    }

    #[test]
    fn tables_carry_alignment_styles() {
        let out = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(
            out.contains("      <th style=\"text-align: left\">a</th>\n"),
            "{out}"
        );
        assert!(
            out.contains("      <td style=\"text-align: right\">2</td>\n"),
            "{out}"
        );
        assert!(out.starts_with("<table>\n  <thead>\n    <tr>\n"), "{out}");
    }

    #[test]
    fn footnotes_number_by_first_reference_with_back_links() {
        let out = html("A[^a] B[^b] A[^a].\n\n[^b]: Bee\n\n[^a]: Ay\n");
        assert!(out.contains("<sup id=\"fnref:a\" role=\"doc-noteref\"><a href=\"#fn:a\" class=\"footnote\" rel=\"footnote\">1</a></sup>"), "{out}");
        assert!(out.contains("<sup id=\"fnref:a:1\""), "{out}");
        assert!(
            out.contains("<a href=\"#fn:b\" class=\"footnote\" rel=\"footnote\">2</a>"),
            "{out}"
        );
        assert!(out.contains("<li id=\"fn:a\" role=\"doc-endnote\">\n      <p>Ay\u{a0}<a href=\"#fnref:a\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>\u{a0}<a href=\"#fnref:a:1\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;<sup>2</sup></a></p>"), "{out}");
        let a = out.find("id=\"fn:a\"").unwrap();
        let b = out.find("id=\"fn:b\"").unwrap();
        assert!(a < b);
    }

    #[test]
    fn attribute_lists_apply_and_vanish() {
        assert_eq!(
            html("Para\n{: .cls #myid}\n\n{:.blk}\nPara2\n\nSpan *em*{: .x} done\n"),
            "<p class=\"cls\" id=\"myid\">Para</p>\n\n<p class=\"blk\">Para2</p>\n\n<p>Span <em class=\"x\">em</em> done</p>\n"
        );
        assert!(html("# Head {#custom}\n").contains("<h1 id=\"custom\">Head</h1>"));
    }

    #[test]
    fn html_blocks_pass_through_and_markdown_attribute_opens_them() {
        assert_eq!(
            html("<div class=\"x\">\n*not md*\n</div>\n"),
            "<div class=\"x\">\n*not md*\n</div>\n"
        );
        let out = html("<div markdown=\"1\">\n*md*\n</div>\n");
        assert!(
            out.contains("<div>") && out.contains("<p><em>md</em></p>"),
            "{out}"
        );
        assert!(html("<!-- c -->\n\npara\n").starts_with("<!-- c -->\n"));
    }

    #[test]
    fn links_images_autolinks_and_breaks() {
        let out =
            html("[t](http://x.com \"ti\") ![i](/a.png) <http://a.com> <me@x.com>  \nnext\\\nlast");
        assert!(
            out.contains("<a href=\"http://x.com\" title=\"ti\">t</a>"),
            "{out}"
        );
        assert!(out.contains("<img src=\"/a.png\" alt=\"i\" />"), "{out}");
        assert!(
            out.contains("<a href=\"http://a.com\">http://a.com</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"mailto:me@x.com\">me@x.com</a><br />\nnext<br />\nlast"),
            "{out}"
        );
    }

    #[test]
    fn definition_lists_and_abbreviations() {
        assert_eq!(
            html("Term\n: Definition\n"),
            "<dl>\n  <dt>Term</dt>\n  <dd>Definition</dd>\n</dl>\n"
        );
        assert!(
            html("*[HTML]: Hyper Text\n\nHTML is cool\n")
                .contains("<abbr title=\"Hyper Text\">HTML</abbr> is cool")
        );
    }

    #[test]
    fn toc_lists_the_headers_nested_by_level() {
        let out = html("* TOC\n{:toc}\n\n# A\n\n## A1\n\n## Skip\n{: .no_toc}\n\n# B\n");
        assert_eq!(
            out.split("\n\n<h1").next().unwrap(),
            "<ul id=\"markdown-toc\">\n  <li><a href=\"#a\" id=\"markdown-toc-a\">A</a>    <ul>\n      <li><a href=\"#a1\" id=\"markdown-toc-a1\">A1</a></li>\n    </ul>\n  </li>\n  <li><a href=\"#b\" id=\"markdown-toc-b\">B</a></li>\n</ul>"
        );
        assert!(
            out.contains("<h2 class=\"no_toc\" id=\"skip\">Skip</h2>"),
            "{out}"
        );
    }

    #[test]
    fn math_is_written_for_mathjax() {
        assert_eq!(
            html("A $$x < 1$$ b.\n\n$$\ny = 2\n$$\n"),
            "<p>A \\(x &lt; 1\\) b.</p>\n\n\\[y = 2\\]\n"
        );
    }

    #[test]
    fn highlighter_class_goes_where_kramdown_puts_it() {
        assert!(
            html("`a`{: .filepath}")
                .contains("<code class=\"language-plaintext filepath highlighter-rouge\">a</code>")
        );
        assert!(
            html("```\nx\n```\n{: file=\"a.txt\"}\n")
                .starts_with("<div file=\"a.txt\" class=\"language-plaintext highlighter-rouge\">")
        );
        assert!(
            html("```nosuchlang\nx\n```\n")
                .starts_with("<pre><code class=\"language-nosuchlang\">x\n</code></pre>")
        );
    }

    #[test]
    fn extra_spaces_before_a_break_stay() {
        assert_eq!(html("a    \nb"), "<p>a  <br />\nb</p>\n");
    }

    #[test]
    fn liquid_in_a_link_destination_still_links() {
        assert_eq!(
            html("[a]({{ site.baseurl }}/x)"),
            "<p><a href=\"{{ site.baseurl }}/x\">a</a></p>\n"
        );
    }

    #[test]
    fn later_paragraph_lines_keep_their_indentation_as_in_kramdown() {
        assert_eq!(
            html("a \n  b\n\n* x\n  y\n\n> q\n>   r\n"),
            "<p>a \n  b</p>\n\n<ul>\n  <li>x\ny</li>\n</ul>\n\n<blockquote>\n  <p>q\n  r</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn emphasis_that_commonmark_refuses_but_kramdown_reads() {
        assert_eq!(
            html("**注意：**公式 and ** no ** and 2 * 3 * 4"),
            "<p><strong>注意：</strong>公式 and ** no ** and 2 * 3 * 4</p>\n"
        );
    }

    #[test]
    fn options_read_from_config() {
        let config: serde_yaml::Value = serde_yaml::from_str(
            "kramdown:\n  auto_ids: false\n  smart_quotes: [\"apos\", \"apos\", \"quot\", \"quot\"]\n  syntax_highlighter: null\n",
        )
        .unwrap();
        let options = KramdownOptions::from_config(&config);
        assert!(!options.auto_ids && !options.syntax_highlighting);
        assert_eq!(options.toc_levels, (1..=6).collect::<Vec<u8>>());
        let levels: serde_yaml::Value =
            serde_yaml::from_str("kramdown:\n  toc_levels: 2..3\n").unwrap();
        assert_eq!(KramdownOptions::from_config(&levels).toc_levels, vec![2, 3]);
        assert_eq!(to_html("# \"A\"", &options), "<h1>\"A\"</h1>\n");
        assert_eq!(
            to_html("```ruby\nx\n```\n", &options),
            "<pre><code class=\"language-ruby\">x\n</code></pre>\n"
        );
    }
}

#[cfg(test)]
mod deep_nesting_tests {
    use super::*;

    /// Deeply nested quotes and lists convert on a thread with a 2 MiB stack (the preview
    /// server's render worker) instead of overflowing it and aborting Byline.
    #[test]
    fn deep_nesting_converts_without_overflowing_a_small_stack() {
        let quotes = format!("{} q\n", ">".repeat(2000));
        let list: String = (0..2000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        for text in [quotes, list] {
            let html = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || to_html(&text, &KramdownOptions::default()))
                .unwrap()
                .join()
                .unwrap();
            assert!(
                html.matches("<blockquote>").count() == 2000
                    || html.matches("<ul>").count() == 2000,
                "{}",
                &html[..200]
            );
        }
    }

    #[test]
    fn absurd_nesting_is_shown_as_text() {
        let text = format!("{}q", ">".repeat(MAX_NESTING + 1));
        assert_eq!(
            to_html(&text, &KramdownOptions::default()),
            format!("<p>{}q</p>\n", "&gt;".repeat(MAX_NESTING + 1))
        );
    }
}
