//! Jekyll's own Liquid tags (`include`, `include_relative`, `post_url`, `link`, `highlight`),
//! placeholders for tags and filters Byline cannot run, and the machinery that makes the
//! `liquid` crate behave like Jekyll's Liquid (lenient variables, line tracking, the scan that
//! prepares a template's text).

pub mod blank;
pub mod conditions;
pub mod echo;
pub mod for_loop;
pub mod highlight;
pub mod include;
pub mod lenient;
pub mod location;
pub mod placeholder;
pub mod scan;
pub mod urls;

#[cfg(test)]
mod engine_tests;

use super::Engine;
use liquid_core::model::{Scalar, ScalarCow};
use liquid_core::parser::{TagToken, TagTokenIter};
use liquid_core::{Error, Result, Runtime, ValueView};
use std::sync::Weak;

/// `builder` with Jekyll's tags, the line marker, and `raw` (from the standard library).
pub fn register_jekyll_tags(
    builder: liquid::ParserBuilder,
    engine: &Weak<Engine>,
) -> liquid::ParserBuilder {
    builder
        .tag(include::IncludeTag::new(engine.clone(), false))
        .tag(include::IncludeTag::new(engine.clone(), true))
        .tag(include::IncludeTag::cached(engine.clone()))
        .tag(urls::PostUrlTag::new(engine.clone()))
        .tag(urls::LinkTag::new(engine.clone()))
        .block(highlight::HighlightBlock)
        .block(for_loop::ForBlock)
        .block(conditions::ConditionalBlock::IF)
        .block(conditions::ConditionalBlock::UNLESS)
        .block(conditions::CaseBlock)
        .tag(echo::EchoTag)
        .tag(location::LineTag)
}

/// The argument text of a tag whose markup the scan handed over as one literal, and the token
/// (to locate errors).
pub fn literal_markup<'a>(arguments: &mut TagTokenIter<'a>) -> Result<(String, TagToken<'a>)> {
    let token = arguments.expect_next("The tag's text is missing.")?;
    let text = token.as_str();
    let inner = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text);
    let markup = scan::decode_markup(inner);
    arguments.expect_nothing()?;
    Ok((markup, token))
}

/// The value at `path` (e.g. `["site", "baseurl"]`) as text; empty when undefined.
pub fn lookup_text(runtime: &dyn Runtime, path: &[&str]) -> String {
    let path: Vec<ScalarCow<'_>> = path
        .iter()
        .map(|part| Scalar::new(part.to_string()))
        .collect();
    runtime
        .try_get(&path)
        .filter(|value| !value.is_nil())
        .map(|value| value.to_kstr().to_string())
        .unwrap_or_default()
}

/// `url` as Jekyll's `relative_url` writes it: `site.baseurl` (without its trailing `/`) and
/// the URL, each with a leading `/`; absolute URLs are kept.
pub fn relative_url(runtime: &dyn Runtime, url: &str) -> String {
    if has_scheme(url) {
        return url.to_string();
    }
    let baseurl = lookup_text(runtime, &["site", "baseurl"]);
    let baseurl = baseurl.strip_suffix('/').unwrap_or(&baseurl);
    format!("{}{}", leading_slash(baseurl), leading_slash(url))
}

/// `part` with a leading `/` (empty stays empty), as Jekyll's `ensure_leading_slash`.
fn leading_slash(part: &str) -> String {
    if part.is_empty() || part.starts_with('/') {
        part.to_string()
    } else {
        format!("/{part}")
    }
}

/// Whether `url` starts with a URI scheme (`https:`, `mailto:`), i.e. is absolute.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut characters = scheme.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && characters.all(|rest| rest.is_ascii_alphanumeric() || "+-.".contains(rest))
}

/// An error raised by a Jekyll tag at render time.
pub fn tag_error(message: impl Into<String>) -> Error {
    Error::with_msg(message.into())
}

/// The engine behind a tag, or an error when it is gone (never while rendering).
pub fn engine_of(engine: &Weak<Engine>) -> Result<std::sync::Arc<Engine>> {
    engine
        .upgrade()
        .ok_or_else(|| tag_error("The Liquid engine was dropped during rendering."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_make_urls_absolute() {
        assert!(has_scheme("https://example.org/x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("/2016/05/20/x.html"));
        assert!(!has_scheme("2016:05"));
    }

    #[test]
    fn leading_slashes_as_jekyll() {
        assert_eq!(leading_slash(""), "");
        assert_eq!(leading_slash("blog"), "/blog");
        assert_eq!(leading_slash("/blog"), "/blog");
    }
}
