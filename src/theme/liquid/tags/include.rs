//! `{% include file.html key="value" other=page.var %}` and `{% include_relative file %}` as
//! Jekyll 4.3 runs them:
//!
//! - the file name may be Liquid (`{% include {{ page.x }} k=v %}`), rendered first;
//! - parameters are `key="…"`, `key='…'` (backslash-escaped quotes) or `key=variable`, and are
//!   `include.key` inside the file; without parameters the file sees the surrounding `include`;
//! - `include` looks in the site's `_includes` then the theme's, `include_relative` in the
//!   folder of the page being rendered (`page.path`), even from a layout;
//! - variables assigned inside an include stay visible after it;
//! - a missing file stops the rendering with Jekyll's "Could not locate the included file …".
//!
//! Each file is parsed once and kept until it changes on disk (path, modification time, size).

use super::lenient::{LenientValue, VariableFrame};
use super::location::RenderTrace;
use super::{engine_of, literal_markup, lookup_text, tag_error};
use crate::theme::liquid::Engine;
use liquid_core::model::{Object, Scalar, ScalarCow, Value};
use liquid_core::parser::TagTokenIter;
use liquid_core::runtime::Template;
use liquid_core::{Language, ParseTag, Renderable, Result, Runtime, TagReflection, ValueView};
use ref_cast::RefCast;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Weak;

/// `include`'s (or `include_relative`'s) tag.
#[derive(Clone)]
pub struct IncludeTag {
    engine: Weak<Engine>,
    relative: bool,
    /// The name it is registered under (`include_cached`, of the jekyll-include-cache plugin,
    /// renders the same as `include`).
    name: &'static str,
}

impl IncludeTag {
    /// `include` (or `include_relative` when `relative`), reading files through `engine`.
    pub fn new(engine: Weak<Engine>, relative: bool) -> IncludeTag {
        let name = if relative {
            "include_relative"
        } else {
            "include"
        };
        IncludeTag {
            engine,
            relative,
            name,
        }
    }

    /// `include_cached` (jekyll-include-cache): an `include` whose output the plugin keeps;
    /// rendered like `include`.
    pub fn cached(engine: Weak<Engine>) -> IncludeTag {
        IncludeTag {
            engine,
            relative: false,
            name: "include_cached",
        }
    }

    /// The tag's name.
    fn name(&self) -> &'static str {
        self.name
    }
}

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        self.name()
    }
    fn description(&self) -> &str {
        "Renders another file in place, with parameters as `include.*`"
    }
}

/// A parameter's value as written.
#[derive(Debug, Clone, PartialEq)]
enum ParameterValue {
    /// A quoted string.
    Text(String),
    /// A variable (or a literal such as `3` or `true`), looked up when rendering.
    Variable(String),
}

/// Splits Jekyll's include markup into the file part and the parameters part, like
/// `IncludeTag#initialize`: a file part containing `{{ … }}` ends where the variable syntax
/// ends; otherwise at the first whitespace.
fn split_markup(markup: &str) -> (String, String) {
    let markup = markup.trim();
    if let Some((file, parameters)) = split_variable_file(markup) {
        return (file.trim().to_string(), parameters.trim().to_string());
    }
    match markup.split_once(char::is_whitespace) {
        Some((file, parameters)) => (file.to_string(), parameters.trim().to_string()),
        None => (markup.to_string(), String::new()),
    }
}

/// Jekyll's `VARIABLE_SYNTAX`:
/// `(?<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?<params>.*)`, where `(\|.*)?` runs
/// greedily to the last `}}`.
fn split_variable_file(markup: &str) -> Option<(&str, &str)> {
    static VARIABLE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?s)^(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)$",
        )
        .ok()
    });
    let captures = VARIABLE.as_ref()?.captures(markup)?;
    let variable = captures.name("variable")?.as_str();
    let parameters = captures.name("params").map_or("", |found| found.as_str());
    Some((variable, parameters))
}

/// Parses parameters as Jekyll's `VALID_SYNTAX` (each followed by whitespace or the end);
/// `None` when they do not all match (Jekyll's "Invalid syntax for include tag").
fn parse_parameters(text: &str) -> Option<Vec<(String, ParameterValue)>> {
    let mut parameters = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if key_length == 0 {
            return None;
        }
        let key = rest.get(..key_length)?.to_string();
        rest = rest
            .get(key_length..)?
            .trim_start()
            .strip_prefix('=')?
            .trim_start();
        let value;
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let body = rest.get(1..)?;
            let mut end = None;
            let mut escaped = false;
            for (offset, character) in body.char_indices() {
                if escaped {
                    escaped = false;
                } else if character == '\\' {
                    escaped = true;
                } else if character == quote {
                    end = Some(offset);
                    break;
                }
            }
            let end = end?;
            let raw = body.get(..end)?;
            let escaped_quote = format!("\\{quote}");
            value = ParameterValue::Text(raw.replace(&escaped_quote, &quote.to_string()));
            rest = body.get(end + 1..)?;
        } else {
            let length = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            if length == 0 {
                return None;
            }
            value = ParameterValue::Variable(rest.get(..length)?.to_string());
            rest = rest.get(length..)?;
        }
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            return None;
        }
        parameters.push((key, value));
        rest = rest.trim_start();
    }
    Some(parameters)
}

/// Whether Jekyll accepts `file` as an include's name (`VALID_FILENAME_CHARS`, and no `..`,
/// `//`, `./` or `/.` sequences).
fn valid_file_name(file: &str) -> bool {
    let valid_characters = !file.is_empty()
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || "/.-()+~#@".contains(c));
    let invalid_sequence = file
        .as_bytes()
        .windows(2)
        .any(|pair| pair.iter().all(|byte| *byte == b'.' || *byte == b'/'));
    valid_characters && !invalid_sequence
}

impl ParseTag for IncludeTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let (markup, token) = literal_markup(&mut arguments)?;
        let (file, parameters_text) = split_markup(&markup);
        let Some(parameters) = parse_parameters(&parameters_text) else {
            return Err(token.raise_custom_error(&format!(
                "Invalid syntax for include tag: {parameters_text}. Valid syntax: {{% {} \
                 file.ext param='value' param2='value' %}}",
                self.name()
            )));
        };
        // Jekyll sets `include` (to the parameters, possibly none) whenever the markup has a
        // parameters part: always after a Liquid file name, only with text after a plain one.
        let (file_name, has_parameters) = if split_variable_file(markup.trim()).is_some() {
            let template = Template::new(liquid_core::parser::parse(&file, options)?);
            (FileName::Liquid(template), true)
        } else {
            (FileName::Literal(file), !parameters_text.is_empty())
        };
        Ok(Box::new(Include {
            engine: self.engine.clone(),
            relative: self.relative,
            file_name,
            parameters: has_parameters.then_some(parameters),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// An include's file name: as written, or Liquid to render first.
#[derive(Debug)]
enum FileName {
    Literal(String),
    Liquid(Template),
}

/// A parsed `include` / `include_relative`.
#[derive(Debug)]
struct Include {
    engine: Weak<Engine>,
    relative: bool,
    file_name: FileName,
    /// `None` without parameters: the file then sees the surrounding `include`.
    parameters: Option<Vec<(String, ParameterValue)>>,
}

/// The value of a `key=variable` parameter (`context[variable]` in Jekyll: a literal number,
/// `true`/`false`/`nil`, or a variable path).
fn parameter_variable(runtime: &dyn Runtime, text: &str) -> Value {
    match text {
        "true" => return Value::scalar(true),
        "false" => return Value::scalar(false),
        "nil" | "null" => return Value::Nil,
        _ => {}
    }
    if let Ok(number) = text.parse::<i64>() {
        return Value::scalar(number);
    }
    if let Ok(number) = text.parse::<f64>() {
        return Value::scalar(number);
    }
    let path: Vec<ScalarCow<'_>> = text
        .split('.')
        .map(|part| Scalar::new(part.to_string()))
        .collect();
    runtime
        .try_get(&path)
        .map(|value| value.to_value())
        .unwrap_or(Value::Nil)
}

impl Include {
    /// Folders to look in: the include folders, or the page's folder for `include_relative`.
    fn folders(&self, engine: &Engine, runtime: &dyn Runtime) -> Vec<PathBuf> {
        let setup = engine.setup();
        if !self.relative {
            return setup.includes_dirs.clone();
        }
        let page_path = lookup_text(runtime, &["page", "path"]);
        let page_path = page_path.strip_suffix("/#excerpt").unwrap_or(&page_path);
        let page_file = if page_path.is_empty() {
            RenderTrace::top_file().unwrap_or_default()
        } else {
            page_path.to_string()
        };
        let folder = Path::new(&page_file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        vec![setup.site_root.join(folder)]
    }
}

/// Jekyll's message for an include found in none of `folders`.
fn not_found_message(file: &str, folders: &[PathBuf]) -> String {
    let listed: Vec<String> = folders
        .iter()
        .map(|folder| format!("{:?}", folder.to_string_lossy()))
        .collect();
    format!(
        "Could not locate the included file '{file}' in any of [{}]. Ensure it exists in one of \
         those directories and, if it is a symlink, does not point outside your site source.",
        listed.join(", ")
    )
}

impl Renderable for Include {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let engine = engine_of(&self.engine)?;
        let file = match &self.file_name {
            FileName::Literal(file) => file.clone(),
            FileName::Liquid(template) => template.render(runtime)?.trim().to_string(),
        };
        if !valid_file_name(&file) {
            let tag = if self.relative {
                "include_relative"
            } else {
                "include"
            };
            return Err(tag_error(format!(
                "Invalid syntax for include tag. File contains invalid characters or sequences: \
                 {file}. Valid syntax: {{% {tag} file.ext param='value' param2='value' %}}"
            )));
        }
        let folders = self.folders(&engine, runtime);
        let Some(path) = folders
            .iter()
            .map(|folder| folder.join(&file))
            .find(|candidate| candidate.is_file())
        else {
            return Err(tag_error(not_found_message(&file, &folders)));
        };
        let shown = engine.shown_path(&path);
        let prepared = match engine.prepare_file(&path, &shown) {
            Ok(prepared) => prepared,
            Err(problem) => {
                let message = problem.message.clone();
                RenderTrace::fail_at(super::location::FileLine {
                    file: problem.file,
                    line: problem.line,
                });
                return Err(tag_error(message));
            }
        };
        RenderTrace::note_problems(&prepared.problems);
        if !RenderTrace::enter(&shown) {
            return Err(tag_error(format!(
                "Nesting too deep: includes inside includes went {} levels deep, or {} with the \
                 blocks around them (at {shown})",
                super::location::MAX_INCLUDE_DEPTH,
                super::location::MAX_RENDER_DEPTH
            )));
        }
        let result = match &self.parameters {
            Some(parameters) => {
                let mut object = Object::new();
                for (key, value) in parameters {
                    let value = match value {
                        ParameterValue::Text(text) => Value::scalar(text.clone()),
                        ParameterValue::Variable(variable) => parameter_variable(runtime, variable),
                    };
                    object.insert(key.clone().into(), value);
                }
                let include = Value::Object(object);
                let frame =
                    VariableFrame::new(runtime, "include", LenientValue::ref_cast(&include));
                prepared.template.render_to(writer, &frame)
            }
            None => prepared.template.render_to(writer, runtime),
        };
        RenderTrace::leave(result.is_err());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_splits_like_jekyll() {
        assert_eq!(
            split_markup(" footer.html  a=\"b\" "),
            ("footer.html".into(), "a=\"b\"".into())
        );
        assert_eq!(
            split_markup("{{ page.x | append: '.html' }} a=b"),
            ("{{ page.x | append: '.html' }}".into(), "a=b".into())
        );
        assert_eq!(
            split_markup("icons/{{ name }}.svg k=v"),
            ("icons/{{ name }}.svg".into(), "k=v".into())
        );
        assert_eq!(split_markup("x.html"), ("x.html".into(), String::new()));
    }

    #[test]
    fn parameters_as_jekyll_valid_syntax() {
        assert_eq!(
            parse_parameters(r#"a="x \"q\"" b='y' c=page.title d-e=3"#),
            Some(vec![
                ("a".into(), ParameterValue::Text("x \"q\"".into())),
                ("b".into(), ParameterValue::Text("y".into())),
                ("c".into(), ParameterValue::Variable("page.title".into())),
                ("d-e".into(), ParameterValue::Variable("3".into())),
            ])
        );
        assert_eq!(parse_parameters(""), Some(vec![]));
        assert_eq!(parse_parameters("a=\"x\"b=1"), None);
        assert_eq!(parse_parameters("a"), None);
        assert_eq!(parse_parameters("a=page.tags[0]"), None);
    }

    #[test]
    fn file_names_as_jekyll_accepts_them() {
        assert!(valid_file_name("footer.html"));
        assert!(valid_file_name("icons/gh-(1)+~#@.svg"));
        assert!(!valid_file_name("../secret"));
        assert!(!valid_file_name("a//b"));
        assert!(!valid_file_name("a b.html"));
        assert!(!valid_file_name(""));
    }

    #[test]
    fn not_found_message_lists_folders_like_ruby() {
        let message = not_found_message(
            "x.html",
            &[
                PathBuf::from("/site/_includes"),
                PathBuf::from("/gem/_includes"),
            ],
        );
        assert_eq!(
            message,
            "Could not locate the included file 'x.html' in any of [\"/site/_includes\", \
             \"/gem/_includes\"]. Ensure it exists in one of those directories and, if it is a \
             symlink, does not point outside your site source."
        );
    }
}
