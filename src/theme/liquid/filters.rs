//! Jekyll's Liquid filters (`relative_url`, `absolute_url`, `date_to_xmlschema`,
//! `markdownify`, `where`, `group_by`, `jsonify`, …), as Jekyll 4.3 defines them.
//!
//! Each filter is a plain function over evaluated arguments; [`JekyllFilter`] adapts it to
//! liquid-core's `ParseFilter`/`FilterReflection`/`Filter` traits, so the forty-odd filters share
//! one argument check instead of forty derive blocks. Expectations in the tests are what
//! Jekyll 4.3.1 wrote for the same input on this machine.
//!
//! liquid-lib's `jekyll` filters are not used: its `slugify` trims and transliterates every
//! script, its `sort` fails on an empty list, its `pop`/`shift` take no count and its
//! `array_to_sentence_string` puts a comma between two items — all unlike Jekyll.
//!
//! Known differences that cannot be removed here: liquid's objects are hash maps, so
//! `jsonify` of a hash lists its keys in liquid's order, not the YAML order Jekyll keeps; Ruby's
//! `sort` is not stable, this one is (equal keys keep their order).

mod array;
mod date;
mod ruby;
mod text;
mod url;

pub(crate) use date::{jekyll_time, xmlschema};
pub(crate) use ruby::{json_string, ruby_to_s, ruby_truthy, to_json};
pub(crate) use text::{escape_once, markdownify_text, normalize_whitespace_text, strip_html_text};
pub(crate) use url::{absolute_url_text, is_absolute_url, site_string, uri_escape_text};

use super::LiquidSetup;
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{Error, Expression, Filter, FilterReflection, ParseFilter, Result, Runtime};
use liquid_core::{Value, ValueView};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;

/// What every Jekyll filter may need besides its input and arguments.
pub(crate) struct FilterShared {
    /// `markdownify`'s kramdown settings.
    pub kramdown: crate::theme::kramdown::KramdownOptions,
    /// The language `where_exp`, `find_exp` and `group_by_exp` parse their expressions in
    /// (absent inside that language itself).
    pub expressions: Option<Arc<liquid_core::Language>>,
}

/// One call of a filter: the input, the evaluated positional arguments and the runtime.
pub(crate) struct FilterCall<'a> {
    /// The value before the `|`.
    pub input: &'a dyn ValueView,
    /// The arguments after `:`, evaluated (an undefined variable is nil, as in Jekyll).
    pub args: Vec<Value>,
    /// The named arguments (`allow_false: true`), evaluated.
    pub keywords: Vec<(String, Value)>,
    /// The rendering's variables (`site`, `page`, …).
    pub runtime: &'a dyn Runtime,
    /// Settings shared by all filters of the engine.
    pub shared: &'a FilterShared,
}

impl FilterCall<'_> {
    /// The `index`th argument, nil when not given.
    pub fn arg(&self, index: usize) -> &dyn ValueView {
        self.args
            .get(index)
            .map(|value| value.as_view())
            .unwrap_or(&NIL)
    }
}

static NIL: Value = Value::Nil;

type FilterFn = fn(&FilterCall<'_>) -> Result<Value>;

/// A Jekyll filter for liquid's parser: its name, how many arguments it takes and what it does.
#[derive(Clone)]
struct JekyllFilter {
    name: &'static str,
    description: &'static str,
    arity: RangeInclusive<usize>,
    run: FilterFn,
    shared: Arc<FilterShared>,
}

impl FilterReflection for JekyllFilter {
    fn name(&self) -> &str {
        self.name
    }

    fn description(&self) -> &str {
        self.description
    }

    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }

    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for JekyllFilter {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        let FilterArguments {
            positional,
            keyword,
        } = arguments;
        let allowed = named_arguments(self.name);
        let mut keywords = Vec::new();
        for (name, expression) in keyword {
            if !allowed.contains(&name) {
                return Err(Error::with_msg(format!(
                    "{}: unexpected named argument `{name}`",
                    self.name
                )));
            }
            keywords.push((name.to_string(), expression));
        }
        let args: Vec<Expression> = positional.collect();
        if !self.arity.contains(&args.len()) {
            return Err(Error::with_msg(format!(
                "{}: wrong number of arguments (given {}, expected {})",
                self.name,
                args.len(),
                arity_text(&self.arity)
            )));
        }
        Ok(Box::new(ParsedJekyllFilter {
            name: self.name,
            args,
            keywords,
            run: self.run,
            shared: self.shared.clone(),
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

/// The named arguments a filter takes (Liquid 5's `default: x, allow_false: true`).
fn named_arguments(filter: &str) -> &'static [&'static str] {
    match filter {
        "default" => &["allow_false"],
        _ => &[],
    }
}

fn arity_text(arity: &RangeInclusive<usize>) -> String {
    if arity.start() == arity.end() {
        arity.start().to_string()
    } else {
        format!("{}..{}", arity.start(), arity.end())
    }
}

/// A Jekyll filter as it appears in one template, with its argument expressions.
struct ParsedJekyllFilter {
    name: &'static str,
    args: Vec<Expression>,
    keywords: Vec<(String, Expression)>,
    run: FilterFn,
    shared: Arc<FilterShared>,
}

impl fmt::Debug for ParsedJekyllFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedJekyllFilter")
            .field("name", &self.name)
            .field("args", &self.args)
            .field("keywords", &self.keywords)
            .finish()
    }
}

impl fmt::Display for ParsedJekyllFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        for (index, arg) in self.args.iter().enumerate() {
            let separator = if index == 0 { ": " } else { ", " };
            write!(f, "{separator}{arg}")?;
        }
        for (index, (name, arg)) in self.keywords.iter().enumerate() {
            let separator = if index == 0 && self.args.is_empty() {
                ": "
            } else {
                ", "
            };
            write!(f, "{separator}{name}: {arg}")?;
        }
        Ok(())
    }
}

impl Filter for ParsedJekyllFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let evaluate = |arg: &Expression| {
            arg.try_evaluate(runtime)
                .map(|value| value.into_owned())
                .unwrap_or(Value::Nil)
        };
        let args = self.args.iter().map(evaluate).collect();
        let keywords = self
            .keywords
            .iter()
            .map(|(name, arg)| (name.clone(), evaluate(arg)))
            .collect();
        let call = FilterCall {
            input,
            args,
            keywords,
            runtime,
            shared: &self.shared,
        };
        (self.run)(&call)
    }
}

/// Name, description, arity and function of every filter Jekyll adds (or redefines), except the
/// `*_exp` ones, which need the expression language.
fn plain_filters() -> Vec<(&'static str, &'static str, RangeInclusive<usize>, FilterFn)> {
    vec![
        (
            "relative_url",
            "The URL with the site's baseurl before it",
            0..=0,
            url::relative_url,
        ),
        (
            "absolute_url",
            "The URL with the site's url and baseurl before it",
            0..=0,
            url::absolute_url,
        ),
        (
            "strip_index",
            "The URL without a trailing /index.html",
            0..=0,
            url::strip_index,
        ),
        (
            "uri_escape",
            "Percent-encodes what a URL may not contain",
            0..=0,
            url::uri_escape,
        ),
        (
            "cgi_escape",
            "Percent-encodes for a query string",
            0..=0,
            url::cgi_escape,
        ),
        (
            "url_encode",
            "Percent-encodes as Ruby's CGI.escape (space as +)",
            0..=0,
            url::url_encode,
        ),
        (
            "xml_escape",
            "Escapes &, <, >, \" and ' for XML",
            0..=0,
            text::xml_escape,
        ),
        (
            "date",
            "Formats a date with Ruby's strftime",
            1..=1,
            date::date,
        ),
        (
            "date_to_xmlschema",
            "The date as ISO 8601",
            0..=0,
            date::date_to_xmlschema,
        ),
        (
            "date_to_rfc822",
            "The date as RFC 822",
            0..=0,
            date::date_to_rfc822,
        ),
        (
            "date_to_string",
            "The date as 07 Nov 2008",
            0..=2,
            date::date_to_string,
        ),
        (
            "date_to_long_string",
            "The date as 07 November 2008",
            0..=2,
            date::date_to_long_string,
        ),
        (
            "markdownify",
            "Markdown to HTML with kramdown's rules",
            0..=0,
            text::markdownify,
        ),
        (
            "smartify",
            "Typographic quotes and dashes",
            0..=0,
            text::smartify,
        ),
        ("slugify", "A lowercase URL slug", 0..=1, text::slugify),
        ("jsonify", "The value as JSON", 0..=0, text::jsonify),
        (
            "default",
            "The value, or the given default when nil, false or empty",
            0..=1,
            text::default,
        ),
        (
            "split",
            "Text split as Ruby's String#split splits it",
            1..=1,
            text::split,
        ),
        (
            "capitalize",
            "First letter upper-case, the rest lower-case",
            0..=0,
            text::capitalize,
        ),
        (
            "newline_to_br",
            "Each line break as <br /> and a newline",
            0..=0,
            text::newline_to_br,
        ),
        (
            "base64_encode",
            "The text in Base64",
            0..=0,
            text::base64_encode,
        ),
        (
            "base64_decode",
            "Base64 decoded",
            0..=0,
            text::base64_decode,
        ),
        (
            "base64_url_safe_encode",
            "The text in URL-safe Base64",
            0..=0,
            text::base64_url_safe_encode,
        ),
        (
            "base64_url_safe_decode",
            "URL-safe Base64 decoded",
            0..=0,
            text::base64_url_safe_decode,
        ),
        (
            "strip_html",
            "The text without tags, scripts, styles and comments",
            0..=0,
            text::strip_html,
        ),
        (
            "truncatewords",
            "The first words, then an ellipsis",
            0..=2,
            text::truncatewords,
        ),
        (
            "normalize_whitespace",
            "Runs of whitespace as one space",
            0..=0,
            text::normalize_whitespace,
        ),
        (
            "number_of_words",
            "How many words the text has",
            0..=1,
            text::number_of_words,
        ),
        (
            "to_integer",
            "The value as an integer",
            0..=0,
            text::to_integer,
        ),
        (
            "inspect",
            "The value as Ruby shows it, escaped",
            0..=0,
            text::inspect,
        ),
        (
            "array_to_sentence_string",
            "a, b, and c",
            0..=1,
            array::array_to_sentence_string,
        ),
        (
            "where",
            "Items whose property equals a value",
            2..=2,
            array::where_filter,
        ),
        (
            "find",
            "The first item whose property equals a value",
            2..=2,
            array::find,
        ),
        (
            "group_by",
            "Items grouped by a property",
            1..=1,
            array::group_by,
        ),
        (
            "sort",
            "Items sorted, by a property, nils first or last",
            0..=2,
            array::sort,
        ),
        ("sample", "Random items", 0..=1, array::sample),
        ("push", "The array with an item added", 1..=1, array::push),
        ("pop", "The array without its last items", 0..=1, array::pop),
        (
            "shift",
            "The array without its first items",
            0..=1,
            array::shift,
        ),
        (
            "unshift",
            "The array with an item in front",
            1..=1,
            array::unshift,
        ),
    ]
}

/// The filters that evaluate a Liquid expression per item.
fn expression_filters() -> Vec<(&'static str, &'static str, RangeInclusive<usize>, FilterFn)> {
    vec![
        (
            "where_exp",
            "Items for which an expression holds",
            2..=2,
            array::where_exp,
        ),
        (
            "find_exp",
            "The first item for which an expression holds",
            2..=2,
            array::find_exp,
        ),
        (
            "group_by_exp",
            "Items grouped by an expression's value",
            2..=2,
            array::group_by_exp,
        ),
    ]
}

fn make_filter(
    (name, description, arity, run): (&'static str, &'static str, RangeInclusive<usize>, FilterFn),
    shared: &Arc<FilterShared>,
) -> JekyllFilter {
    JekyllFilter {
        name,
        description,
        arity,
        run,
        shared: shared.clone(),
    }
}

/// The language `where_exp` and friends evaluate their expressions in: `if`, `assign` and the
/// standard and Jekyll filters.
fn expression_language(shared: &Arc<FilterShared>) -> liquid_core::Language {
    use liquid_lib::stdlib;
    let mut language = liquid_core::Language::empty();
    language
        .blocks
        .register("if".to_string(), Box::new(stdlib::IfBlock));
    language
        .blocks
        .register("unless".to_string(), Box::new(stdlib::UnlessBlock));
    language
        .tags
        .register("assign".to_string(), Box::new(stdlib::AssignTag));
    let standard: Vec<Box<dyn ParseFilter>> = vec![
        Box::new(stdlib::Abs),
        Box::new(stdlib::Append),
        Box::new(stdlib::AtLeast),
        Box::new(stdlib::AtMost),
        Box::new(stdlib::Capitalize),
        Box::new(stdlib::Ceil),
        Box::new(stdlib::Compact),
        Box::new(stdlib::Concat),
        Box::new(stdlib::Default),
        Box::new(stdlib::DividedBy),
        Box::new(stdlib::Downcase),
        Box::new(stdlib::Escape),
        Box::new(stdlib::EscapeOnce),
        Box::new(stdlib::First),
        Box::new(stdlib::Floor),
        Box::new(stdlib::Join),
        Box::new(stdlib::Last),
        Box::new(stdlib::Lstrip),
        Box::new(stdlib::Map),
        Box::new(stdlib::Minus),
        Box::new(stdlib::Modulo),
        Box::new(stdlib::NewlineToBr),
        Box::new(stdlib::Plus),
        Box::new(stdlib::Prepend),
        Box::new(stdlib::Remove),
        Box::new(stdlib::RemoveFirst),
        Box::new(stdlib::Replace),
        Box::new(stdlib::ReplaceFirst),
        Box::new(stdlib::Reverse),
        Box::new(stdlib::Round),
        Box::new(stdlib::Rstrip),
        Box::new(stdlib::Size),
        Box::new(stdlib::Slice),
        Box::new(stdlib::SortNatural),
        Box::new(stdlib::Split),
        Box::new(stdlib::Strip),
        Box::new(stdlib::StripHtml),
        Box::new(stdlib::StripNewlines),
        Box::new(stdlib::Times),
        Box::new(stdlib::Truncate),
        Box::new(stdlib::TruncateWords),
        Box::new(stdlib::Uniq),
        Box::new(stdlib::Upcase),
        Box::new(stdlib::UrlDecode),
        Box::new(stdlib::UrlEncode),
    ];
    for filter in standard {
        let name = filter.reflection().name().to_string();
        language.filters.register(name, filter);
    }
    for spec in plain_filters() {
        let filter = make_filter(spec, shared);
        language
            .filters
            .register(filter.name.to_string(), Box::new(filter));
    }
    language
}

/// `builder` with Jekyll's filters added (they read `site.url` and `site.baseurl` from the
/// rendering's globals).
pub fn register_filters(
    builder: liquid::ParserBuilder,
    setup: &LiquidSetup,
) -> liquid::ParserBuilder {
    let inner = Arc::new(FilterShared {
        kramdown: setup.kramdown.clone(),
        expressions: None,
    });
    let language = Arc::new(expression_language(&inner));
    let shared = Arc::new(FilterShared {
        kramdown: setup.kramdown.clone(),
        expressions: Some(language),
    });
    let mut builder = builder;
    for spec in plain_filters().into_iter().chain(expression_filters()) {
        builder = builder.filter(make_filter(spec, &shared));
    }
    builder
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Renders a template through a parser with the standard library and Jekyll's filters.

    use super::*;

    /// `template` rendered with `globals`, or the error's text.
    pub fn render_with(template: &str, globals: &liquid::Object) -> Result<String> {
        let builder = register_filters(
            liquid::ParserBuilder::with_stdlib(),
            &LiquidSetup::default(),
        );
        let parser = builder.build()?;
        parser.parse(template)?.render(globals)
    }

    /// `template` rendered with `globals`; panics on an error.
    pub fn render(template: &str, globals: &liquid::Object) -> String {
        match render_with(template, globals) {
            Ok(out) => out,
            Err(err) => panic!("{template}: {err}"),
        }
    }

    /// A `site` with `url` and `baseurl` (either left out when `None`).
    pub fn site(url: Option<&str>, baseurl: Option<&str>) -> liquid::Object {
        let mut site = liquid::Object::new();
        if let Some(url) = url {
            site.insert("url".into(), Value::scalar(url.to_string()));
        }
        if let Some(baseurl) = baseurl {
            site.insert("baseurl".into(), Value::scalar(baseurl.to_string()));
        }
        let mut globals = liquid::Object::new();
        globals.insert("site".into(), Value::Object(site));
        globals
    }
}

#[cfg(test)]
mod engine_tests {
    //! The filters inside Byline's whole Liquid engine, whose undefined values are lenient.

    use super::super::{JekyllLiquid, LiquidSetup};

    /// Jekyll 4.3.1 with an undefined input to each filter (`markdownify` left out: it is
    /// kramdown's output, tested with kramdown).
    #[test]
    fn undefined_inputs_render_as_in_jekyll() {
        let engine = JekyllLiquid::new(LiquidSetup::default()).unwrap();
        let template = "[{{ page.missing | jsonify }}|{{ page.missing | slugify }}|{{ page.missing | xml_escape }}|{{ page.missing | where: \"a\", \"b\" }}|{{ page.missing | group_by: \"a\" }}|{{ page.missing | date_to_string }}|{{ page.missing | absolute_url }}|{{ page.missing | inspect }}|{{ page.missing | smartify }}|{{ page.missing | normalize_whitespace }}|{{ page.missing | to_integer }}|{{ page.missing | uri_escape }}]";
        let globals = liquid::object!({"page": {}, "site": {}});
        let (out, problems) = engine.render("index.html", template, &globals).unwrap();
        // (Jekyll also writes `markdownify` of nothing as kramdown's "\n".)
        assert_eq!(out, "[null|||||||nil|||0|]");
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[cfg(test)]
mod hostile_input_tests {
    //! Jekyll's filters fed extreme values: each gives an output or a Liquid error, never a
    //! panic, a hang or an output out of proportion to its input.

    use super::test_support::render_with;

    #[test]
    fn extreme_values_give_an_output_or_an_error() {
        let globals = liquid::object!({
            "page": {
                "big": i64::MAX,
                "small": i64::MIN,
                "huge": 1e308,
                "tiny": -1e308,
                "nan_text": "NaN",
                "items": [{"a": 1}, {"a": "x"}, {"b": [1, 2]}, 3, "s", false],
                "deep": {"a": {"b": {"c": {"d": {"e": "f"}}}}},
            },
            "site": {"url": "http://x", "baseurl": "/b"},
        });
        let inputs = [
            "page.big",
            "page.small",
            "page.huge",
            "page.tiny",
            "page.nan_text",
            "page.items",
            "page.deep",
            "\"9999999999-01-01\"",
            "\"-999999-12-31T25:61:61+99:99\"",
            "\"\u{feff}\u{202e}é\u{0301}\"",
            "\"%\"",
        ];
        let filters = [
            "date: \"%Y %s %-999999999d %10000000Y %:::z %E %O\"",
            "date_to_xmlschema",
            "date_to_rfc822",
            "date_to_string: \"ordinal\", \"US\"",
            "date_to_long_string: \"ordinal\"",
            "slugify: \"latin\"",
            "jsonify",
            "xml_escape",
            "uri_escape",
            "cgi_escape",
            "relative_url",
            "absolute_url",
            "number_of_words: \"cjk\"",
            "array_to_sentence_string",
            "where: \"a\", 1",
            "where_exp: \"i\", \"i.a > 0\"",
            "group_by: \"a\"",
            "group_by_exp: \"i\", \"i.a | plus: 1\"",
            "sort: \"a\", \"last\"",
            "sample: 99999999999",
            "pop: -5",
            "shift: 99999999999",
            "truncatewords: -99999999999",
            "to_integer",
            "inspect",
            "base64_decode",
            "base64_url_safe_decode",
            "smartify",
            "normalize_whitespace",
            "markdownify",
        ];
        let mut rendered = 0;
        for input in inputs {
            for filter in filters {
                let template = format!("{{{{ {input} | {filter} }}}}");
                if let Ok(out) = render_with(&template, &globals) {
                    rendered += 1;
                    assert!(out.len() < 100_000, "{template} wrote {} bytes", out.len());
                }
            }
        }
        // Most combinations render; the rest are Liquid errors, as in Jekyll.
        assert!(
            rendered * 2 > inputs.len() * filters.len(),
            "{rendered} rendered"
        );
    }
}
