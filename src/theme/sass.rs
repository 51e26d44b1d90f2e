//! The site's Sass and SCSS compiled as jekyll-sass-converter does it: a `.scss`/`.sass` file
//! with front matter is rendered with Liquid first, then compiled by `grass` with the load
//! paths Jekyll gives (`sass.load_paths`, `sass.sass_dir` (default `_sass`), the theme gem's
//! `_sass`) and the `sass.style` asked for. Errors are located in the file they are in.

use std::path::{Path, PathBuf};

use serde_yaml::Mapping;

/// How the site's `sass:` settings compile its stylesheets.
#[derive(Debug, Clone)]
pub struct SassSettings {
    /// Folders `@import` looks in after the importing file's own folder.
    pub load_paths: Vec<PathBuf>,
    /// How the CSS is laid out.
    pub style: CssStyle,
}

/// The output styles of jekyll-sass-converter (with sassc, Jekyll 4.3's Sass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CssStyle {
    /// `compact`, Jekyll's default: one rule per line, a blank line between rules.
    Compact,
    /// `expanded` (and `nested`, written expanded): one declaration per line.
    Expanded,
    /// `compressed`: everything on one line, no spaces.
    Compressed,
}

impl SassSettings {
    /// The settings of `sass:` in the site's configuration (`site` is the merged one).
    pub fn from_config(root: &Path, site: &Mapping, theme_sass: Option<&Path>) -> SassSettings {
        let sass = match site.get("sass") {
            Some(serde_yaml::Value::Mapping(sass)) => sass.clone(),
            _ => Mapping::new(),
        };
        let text = |key: &str| {
            sass.get(key)
                .and_then(crate::site::config::scalar_to_string)
        };
        let mut load_paths = Vec::new();
        match sass.get("load_paths") {
            Some(serde_yaml::Value::Sequence(items)) => load_paths.extend(
                items
                    .iter()
                    .filter_map(crate::site::config::scalar_to_string)
                    .map(|p| root.join(p)),
            ),
            Some(other) => {
                if let Some(path) = crate::site::config::scalar_to_string(other) {
                    load_paths.push(root.join(path));
                }
            }
            None => {}
        }
        let sass_dir = text("sass_dir")
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| "_sass".to_string());
        load_paths.push(root.join(sass_dir.trim_start_matches('/')));
        if let Some(theme) = theme_sass {
            load_paths.push(theme.to_path_buf());
        }
        load_paths.retain(|p| p.is_dir());
        load_paths.dedup();
        let style = match text("style").unwrap_or_default().trim_start_matches(':') {
            "compressed" => CssStyle::Compressed,
            "expanded" | "nested" => CssStyle::Expanded,
            _ => CssStyle::Compact,
        };
        SassSettings { load_paths, style }
    }
}

/// A Sass error located in the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SassProblem {
    /// The file, from the site root (absolute for a file outside it, such as a theme gem's).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A file system that shows the stylesheet being compiled with its Liquid already rendered,
/// so its relative imports and error locations use its real path.
#[derive(Debug)]
struct RenderedOverlay<'a> {
    /// The site root (to name files in errors).
    root: &'a Path,
    path: &'a Path,
    text: &'a str,
}

impl grass::Fs for RenderedOverlay<'_> {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path == self.path || path.is_file()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            return Ok(self.text.as_bytes().to_vec());
        }
        // grass panics when reading an imported file fails or gives bytes that are not UTF-8
        // (grass 0.13.4: `unable to get raw of …`): hand it a stylesheet that fails with the
        // reason instead, placed on the line of the first bad byte, so the problem is located.
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let why = format!("{} cannot be read: {err}", display_path(self.root, path));
                return Ok(sass_error_at(1, &why));
            }
        };
        match std::str::from_utf8(&bytes) {
            Ok(_) => Ok(bytes),
            Err(err) => {
                let before = bytes.get(..err.valid_up_to()).unwrap_or_default();
                let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
                let column = 1 + before.len()
                    - before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |at| at + 1);
                let why = format!(
                    "{} is not UTF-8 text (a bad byte at line {line}, byte {column} of the line); \
                     save it as UTF-8",
                    display_path(self.root, path)
                );
                Ok(sass_error_at(line, &why))
            }
        }
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        if path == self.path {
            Ok(path.to_path_buf())
        } else {
            std::fs::canonicalize(path)
        }
    }
}

/// A stylesheet (SCSS or indented Sass) that fails with `message` at the start of `line`.
fn sass_error_at(line: usize, message: &str) -> Vec<u8> {
    let mut quoted = String::new();
    for c in message.chars() {
        match c {
            // CSS escapes: no string end, no `#{` interpolation, no escape of our own.
            '"' => quoted.push_str("\\22 "),
            '#' => quoted.push_str("\\23 "),
            '\\' => quoted.push_str("\\5c "),
            c if c.is_control() => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    format!(
        "{}@error \"{quoted}\"\n",
        "\n".repeat(line.saturating_sub(1))
    )
    .into_bytes()
}

/// The path of `file` for problems: from `root` when inside it.
fn display_path(root: &Path, file: &Path) -> String {
    match file.strip_prefix(root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => file.to_string_lossy().into_owned(),
    }
}

/// Compiles the stylesheet at `path` (in the site at `root`) whose content after the front
/// matter, Liquid rendered, is `content`; `content_first_line` is the file line it starts on.
pub fn compile(
    settings: &SassSettings,
    root: &Path,
    path: &Path,
    content: &str,
    content_first_line: usize,
) -> Result<String, SassProblem> {
    let overlay = RenderedOverlay {
        root,
        path,
        text: content,
    };
    let syntax = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sass"))
    {
        grass::InputSyntax::Sass
    } else {
        grass::InputSyntax::Scss
    };
    // Always expanded: grass's own compressed style rewrites values sassc keeps as written
    // (`transparent` → `rgba(0,0,0,0)`, `#f00` → `red`); Byline compresses the layout itself.
    let style = grass::OutputStyle::Expanded;
    let options = grass::Options::default()
        .fs(&overlay)
        .logger(&grass::NullLogger)
        .quiet(true)
        .style(style)
        .input_syntax(syntax)
        .load_paths(&settings.load_paths);
    let css = grass::from_path(path, &options).map_err(|err| {
        let fallback_file = display_path(root, path);
        match err.kind() {
            grass::ErrorKind::ParseError { message, loc, .. } => {
                let in_file = PathBuf::from(loc.file.name());
                let is_main = in_file == path;
                SassProblem {
                    file: if is_main {
                        fallback_file
                    } else {
                        display_path(root, &in_file)
                    },
                    line: loc.begin.line
                        + 1
                        + if is_main {
                            content_first_line.saturating_sub(1)
                        } else {
                            0
                        },
                    column: loc.begin.column + 1,
                    message,
                }
            }
            grass::ErrorKind::IoError(io) => SassProblem {
                file: fallback_file,
                line: 1,
                column: 1,
                message: io.to_string(),
            },
            grass::ErrorKind::FromUtf8Error(message) => SassProblem {
                file: fallback_file,
                line: 1,
                column: 1,
                message,
            },
            _ => SassProblem {
                file: fallback_file,
                line: 1,
                column: 1,
                message: "Sass error".into(),
            },
        }
    })?;
    Ok(match settings.style {
        CssStyle::Compact => compact(&css),
        CssStyle::Compressed => compressed(&css),
        CssStyle::Expanded => css,
    })
}

/// One piece of CSS text as `grass` writes it expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CssNode {
    /// `/* … */`.
    Comment(String),
    /// A declaration or an at-rule without a block (`color: red`, `@charset "UTF-8"`).
    Statement(String),
    /// A rule or an at-rule with a block.
    Block(String, Vec<CssNode>),
}

/// Reads CSS into nodes up to the end or the `}` closing the current block (strings,
/// parentheses and comments respected).
fn parse_css(chars: &[char], at: &mut usize) -> Vec<CssNode> {
    let mut nodes = Vec::new();
    let mut text = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(*at) {
        *at += 1;
        if let Some(q) = quote {
            text.push(c);
            if c == '\\' {
                if let Some(&next) = chars.get(*at) {
                    text.push(next);
                    *at += 1;
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                text.push(c);
            }
            '(' => {
                depth += 1;
                text.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                text.push(c);
            }
            '/' if depth == 0 && text.trim().is_empty() && chars.get(*at) == Some(&'*') => {
                let mut comment = String::from("/");
                while let Some(&d) = chars.get(*at) {
                    *at += 1;
                    comment.push(d);
                    if comment.len() > 3 && comment.ends_with("*/") {
                        break;
                    }
                }
                nodes.push(CssNode::Comment(comment));
                text.clear();
            }
            ';' if depth == 0 => {
                let statement = text.trim().to_string();
                if !statement.is_empty() {
                    nodes.push(CssNode::Statement(statement));
                }
                text.clear();
            }
            '{' if depth == 0 => {
                let header = text.trim().to_string();
                text.clear();
                let children = parse_css(chars, at);
                nodes.push(CssNode::Block(header, children));
            }
            '}' if depth == 0 => {
                let statement = text.trim().to_string();
                if !statement.is_empty() {
                    nodes.push(CssNode::Statement(statement));
                }
                return nodes;
            }
            _ => text.push(c),
        }
    }
    let statement = text.trim().to_string();
    if !statement.is_empty() {
        nodes.push(CssNode::Statement(statement));
    }
    nodes
}

/// A comment on one line, as sassc's compact style writes it (`/** Grid helpers */`).
fn compact_comment(comment: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, line) in comment.lines().enumerate() {
        let line = line.trim();
        let line = if i > 0 && !line.starts_with("*/") {
            line.strip_prefix('*').unwrap_or(line).trim()
        } else {
            line
        };
        if !line.is_empty() {
            parts.push(line.to_string());
        }
    }
    parts.join(" ")
}

/// A selector list or at-rule prelude on one line (`a,\nb` → `a, b`).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A block and its contents on one line.
fn compact_block(header: &str, children: &[CssNode]) -> String {
    let mut out = format!("{} {{", one_line(header));
    for child in children {
        out.push(' ');
        match child {
            CssNode::Comment(c) => out.push_str(&compact_comment(c)),
            CssNode::Statement(s) => {
                out.push_str(&one_line(s));
                out.push(';');
            }
            CssNode::Block(h, c) => out.push_str(&compact_block(h, c)),
        }
    }
    out.push_str(" }");
    out
}

/// `text` without the spaces sassc's compressed style leaves out: runs of white space become
/// one space, none around `,` (and, in selectors, around `>`, `+`, `~`); strings kept as
/// written.
fn squeeze(text: &str, is_selector: bool) -> String {
    let tight = |c: char| c == ',' || (is_selector && matches!(c, '>' | '+' | '~'));
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    for c in text.chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
            out.push(' ');
        }
        pending_space = false;
        if c == '"' || c == '\'' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

/// Nodes in sassc's `compressed` style: no comments but `/*! … */`, no spaces or last
/// semicolons, values as written.
fn compressed_nodes(nodes: &[CssNode], out: &mut String) {
    let mut first_in_block = true;
    for node in nodes {
        match node {
            CssNode::Comment(c) if c.starts_with("/*!") => out.push_str(c),
            CssNode::Comment(_) => {}
            CssNode::Statement(s) if s.starts_with("@charset") => {}
            CssNode::Statement(s) => {
                if !first_in_block && !out.ends_with(['{', '}', ';']) {
                    out.push(';');
                }
                match s.split_once(':') {
                    Some((property, value)) if !s.starts_with('@') => {
                        out.push_str(property.trim());
                        out.push(':');
                        out.push_str(&squeeze(value.trim(), false));
                    }
                    _ => out.push_str(&squeeze(s, false)),
                }
                if s.starts_with('@') {
                    out.push(';');
                }
                first_in_block = false;
            }
            CssNode::Block(header, children) => {
                if !out.is_empty() && !out.ends_with(['{', '}', ';']) {
                    out.push(';');
                }
                if header.starts_with('@') {
                    out.push_str(&one_line(header));
                } else {
                    out.push_str(&squeeze(header, true));
                }
                out.push('{');
                compressed_nodes(children, out);
                out.push('}');
                first_in_block = false;
            }
        }
    }
}

/// Expanded CSS in sassc's `compressed` style (`sass: style: compressed`).
pub fn compressed(expanded: &str) -> String {
    let chars: Vec<char> = expanded.chars().collect();
    let mut at = 0;
    let nodes = parse_css(&chars, &mut at);
    let mut out = String::new();
    compressed_nodes(&nodes, &mut out);
    out.push('\n');
    out
}

/// Expanded CSS laid out in sassc's `compact` style, Jekyll's default: each rule on one line,
/// a blank line after each rule, comments on one line right above what follows them.
pub fn compact(expanded: &str) -> String {
    let chars: Vec<char> = expanded.chars().collect();
    let mut at = 0;
    let nodes = parse_css(&chars, &mut at);
    let mut out = String::new();
    for node in &nodes {
        match node {
            CssNode::Comment(c) => {
                out.push_str(&compact_comment(c));
                out.push('\n');
            }
            CssNode::Statement(s) => {
                out.push_str(&one_line(s));
                out.push_str(";\n");
            }
            CssNode::Block(header, children) => {
                out.push_str(&compact_block(header, children));
                out.push_str("\n\n");
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_support::write;

    fn settings(root: &Path, config: &str) -> SassSettings {
        let config: Mapping = serde_yaml::from_str(config).unwrap();
        SassSettings::from_config(root, &config, None)
    }

    #[test]
    fn imports_come_from_sass_dir_and_the_file_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_sass/_colors.scss", "$ink: #123456;\n");
        write(root, "assets/_local.scss", ".local { margin: 0 }\n");
        let main = root.join("assets/main.scss");
        write(root, "assets/main.scss", "---\n---\n");
        let settings = settings(root, "title: x\n");
        let css = compile(
            &settings,
            root,
            &main,
            "@import \"colors\", \"local\";\nbody { color: $ink; }\n",
            3,
        )
        .unwrap();
        assert!(css.contains("color: #123456"), "{css}");
        assert!(css.contains(".local"), "{css}");
    }

    #[test]
    fn compressed_style_and_custom_sass_dir() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "styles/_a.scss", "a { b: c; }\n");
        let main = root.join("main.scss");
        let settings = settings(root, "sass:\n  sass_dir: styles\n  style: compressed\n");
        let css = compile(&settings, root, &main, "@import 'a';\n", 3).unwrap();
        assert_eq!(css.trim(), "a{b:c}");
    }

    #[test]
    fn compact_is_jekylls_default_style() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let main = root.join("main.scss");
        let source = "@charset \"UTF-8\";\n/**\n * Base\n */\nh1, h2 { margin: 0; padding: 0 }\nmain { display: block; /* IE 11 */ }\n@media screen and (max-width: 600px) { .w { a: b; c: url(\"x;y\"); } }\n.q::before { content: \"{;}\"; }\n";
        let css = compile(&settings(root, ""), root, &main, source, 1).unwrap();
        assert_eq!(
            css,
            "/** Base */\nh1, h2 { margin: 0; padding: 0; }\n\nmain { display: block; /* IE 11 */ }\n\n@media screen and (max-width: 600px) { .w { a: b; c: url(\"x;y\"); } }\n\n.q::before { content: \"{;}\"; }\n"
        );
        let squeezed = compile(
            &settings(root, "sass:\n  style: compressed\n"),
            root,
            &main,
            "a > b, c{ color : transparent; font: 12px/1.5 \"A  B\", serif; } @media (min-width: 600px) { d { e: #f00 } }\n/*! keep */",
            1,
        )
        .unwrap();
        assert_eq!(
            squeezed,
            "a>b,c{color:transparent;font:12px/1.5 \"A  B\",serif}@media (min-width: 600px){d{e:#f00}}/*! keep */\n"
        );
        let expanded = compile(
            &settings(root, "sass:\n  style: expanded\n"),
            root,
            &main,
            source,
            1,
        )
        .unwrap();
        assert!(expanded.contains("h1, h2 {\n  margin: 0;"), "{expanded}");
    }

    #[test]
    fn errors_are_located_in_their_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "_sass/_broken.scss", "a {\n  color: $nowhere;\n}\n");
        let main = root.join("assets/main.scss");
        let settings = settings(root, "");
        // In the main file: the line counts the front matter above the content.
        let err = compile(&settings, root, &main, "a { b: c; }\n.x { y: }\n", 4).unwrap_err();
        assert_eq!(err.file, "assets/main.scss");
        assert_eq!(err.line, 5);
        // In an imported file: its own line.
        let err = compile(&settings, root, &main, "@import 'broken';\n", 4).unwrap_err();
        assert_eq!(err.file, "_sass/_broken.scss");
        assert_eq!(err.line, 2);
        assert!(
            err.message.contains("Undefined variable"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_partial_that_is_not_utf8_is_named_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("_sass")).unwrap();
        std::fs::write(root.join("_sass/_bad.scss"), b"a { b: c }\n  \xff\xfe").unwrap();
        let main = root.join("assets/main.scss");
        let err = compile(&settings(root, ""), root, &main, "@import 'bad';\n", 3).unwrap_err();
        assert_eq!(err.file, "_sass/_bad.scss");
        assert_eq!(err.line, 2);
        assert!(
            err.message.contains("_sass/_bad.scss is not UTF-8"),
            "{err:?}"
        );
        // Indented syntax too, and a name with characters Sass strings treat specially.
        std::fs::write(root.join("_sass/_q\"#{x}.sass"), b"\xff").unwrap();
        let err = compile(
            &settings(root, ""),
            root,
            &main,
            "@import 'q\"\\#{x}';\n",
            3,
        );
        let err = err.unwrap_err();
        assert_eq!(err.line, 1, "{err:?}");
        assert!(
            err.message.contains("_q\"#{x}.sass is not UTF-8"),
            "{err:?}"
        );
    }
}
