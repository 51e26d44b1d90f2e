//! A post's URL as Jekyll 4.3 builds it: the permalink template (front matter, `defaults`, or
//! the site's style), every placeholder of Jekyll's URL drop, Jekyll's slugs, escaping and
//! clean-up of the result.

use std::sync::LazyLock;

use jiff::Zoned;
use regex::Regex;

/// How `slugify` replaces characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugMode {
    /// Keeps letters, marks and digits.
    Default,
    /// Also keeps `._~!$&'()+,;=@`.
    Pretty,
}

static SLUG_DEFAULT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").ok());
static SLUG_PRETTY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+").ok());
static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r":([a-z_]+)").ok());

/// Jekyll's `Utils.slugify`: runs of other characters become one `-`, a leading and a
/// trailing `-` are dropped, lower case unless `cased`.
pub fn slugify(text: &str, mode: SlugMode, cased: bool) -> String {
    let re = match mode {
        SlugMode::Default => SLUG_DEFAULT.as_ref(),
        SlugMode::Pretty => SLUG_PRETTY.as_ref(),
    };
    let replaced = match re {
        Some(re) => re.replace_all(text, "-").into_owned(),
        None => text.to_string(),
    };
    let trimmed = replaced.strip_prefix('-').unwrap_or(&replaced);
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    if cased {
        trimmed.to_string()
    } else {
        trimmed.to_lowercase()
    }
}

/// What a post's URL is made of.
#[derive(Debug, Clone)]
pub struct UrlParts<'a> {
    /// `slug` from front matter, else the file name's title part.
    pub slug: &'a str,
    /// The file name without its extension (date included).
    pub basename_without_ext: &'a str,
    /// The path from the site root without extension, `_posts` and trailing dots removed.
    pub cleaned_path: &'a str,
    /// The post's categories, in order.
    pub categories: &'a [String],
    /// The post's date in the site's zone.
    pub date: &'a Zoned,
    /// The output extension (`.html` for Markdown).
    pub output_ext: &'a str,
}

/// The value of one placeholder; None when Jekyll's URL drop has no such key (the build fails).
fn placeholder(name: &str, parts: &UrlParts<'_>) -> Option<String> {
    let date = |format: &str| parts.date.strftime(format).to_string();
    Some(match name {
        "collection" => "posts".to_string(),
        "path" => parts.cleaned_path.to_string(),
        "name" => slugify(parts.basename_without_ext, SlugMode::Default, false),
        "title" => slugify(parts.slug, SlugMode::Pretty, true),
        "slug" => slugify(parts.slug, SlugMode::Default, false),
        "categories" => {
            let mut seen: Vec<String> = Vec::new();
            for category in parts.categories {
                let lower = category.to_lowercase();
                if !seen.contains(&lower) {
                    seen.push(lower);
                }
            }
            seen.join("/")
        }
        "slugified_categories" => {
            let mut seen: Vec<String> = Vec::new();
            for category in parts.categories {
                let slug = slugify(category, SlugMode::Default, false);
                if !seen.contains(&slug) {
                    seen.push(slug);
                }
            }
            seen.join("/")
        }
        "year" => date("%Y"),
        "month" => date("%m"),
        "day" => date("%d"),
        "hour" => date("%H"),
        "minute" => date("%M"),
        "second" => date("%S"),
        "i_day" => date("%-d"),
        "i_month" => date("%-m"),
        "short_month" => date("%b"),
        "long_month" => date("%B"),
        "short_year" => date("%y"),
        "w_year" => date("%G"),
        "week" => date("%V"),
        "w_day" => date("%u"),
        "short_day" => date("%a"),
        "long_day" => date("%A"),
        "y_day" => date("%j"),
        "output_ext" => parts.output_ext.to_string(),
        _ => return None,
    })
}

/// Jekyll's `URL.escape_path`: characters outside RFC 3986's path characters are
/// percent-encoded (`#` too).
pub fn escape_path(value: &str) -> String {
    if value.is_empty()
        || value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-'))
    {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Fills a template's placeholders; an unknown placeholder is an error, as in Jekyll.
pub fn expand(template: &str, parts: &UrlParts<'_>) -> Result<String, String> {
    let Some(re) = PLACEHOLDER.as_ref() else {
        return Ok(template.to_string());
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut last = 0;
    for captures in re.captures_iter(template) {
        let (Some(whole), Some(name)) = (captures.get(0), captures.get(1)) else {
            continue;
        };
        out.push_str(template.get(last..whole.start()).unwrap_or(""));
        let name = name.as_str();
        // `:month_:day` means `:month` then `_`.
        let (key, suffix) = match placeholder(name, parts) {
            Some(value) => (value, ""),
            None => match name.strip_suffix('_').and_then(|n| placeholder(n, parts)) {
                Some(value) => (value, "_"),
                None => {
                    return Err(format!(
                        "the permalink template `{template}` has `:{name}`, which Jekyll does not know (the build fails)"
                    ));
                }
            },
        };
        out.push_str(&escape_path(&key));
        out.push_str(suffix);
        last = whole.end();
    }
    out.push_str(template.get(last..).unwrap_or(""));
    Ok(out)
}

/// Jekyll's `URL#sanitize_url`: a leading `/`, `..` turned into `/`, `./` removed, runs of
/// `/` squeezed into one.
pub fn sanitize_url(url: &str) -> String {
    let with_slash = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(with_slash.len());
    for c in with_slash.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

/// Ruby's `File.extname` of a path (`""` for none).
pub fn extname(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    let stem = base.trim_start_matches('.');
    match stem.rfind('.') {
        Some(dot) => stem.get(dot..).unwrap_or(""),
        None => "",
    }
}

/// A post's URL (`page.url`, without `baseurl`): the front-matter (or defaults) `permalink`
/// when there is one, else the site's template.
pub fn post_url(
    permalink: Option<&str>,
    template: &str,
    parts: &UrlParts<'_>,
) -> Result<String, String> {
    let chosen = permalink.unwrap_or(template);
    expand(chosen, parts).map(|url| sanitize_url(&url))
}

/// The output extension Jekyll gives a post: the extension of a front-matter permalink that
/// names a file, else `.html` for Markdown and the file's own extension otherwise.
pub fn output_ext(permalink: Option<&str>, file_ext: &str, is_markdown: bool) -> String {
    if let Some(permalink) = permalink
        && !permalink.ends_with('/')
    {
        let ext = extname(permalink);
        if !ext.is_empty() {
            return ext.to_string();
        }
    }
    if is_markdown {
        ".html".to_string()
    } else {
        file_ext.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_jekyll_makes_them() {
        assert_eq!(slugify("Odd Name!", SlugMode::Pretty, true), "Odd-Name!");
        assert_eq!(slugify("Odd Name!", SlugMode::Default, false), "odd-name");
        assert_eq!(
            slugify("  Café crème ", SlugMode::Default, false),
            "café-crème"
        );
        assert_eq!(slugify("v1.2", SlugMode::Pretty, true), "v1.2");
    }

    #[test]
    fn templates_fill_every_placeholder() {
        let date: Zoned = "2025-01-05T09:08:07+01:00[Europe/Berlin]".parse().unwrap();
        let categories = vec!["Tech".to_string(), "A b".to_string()];
        let parts = UrlParts {
            slug: "Hello World",
            basename_without_ext: "2025-01-05-Hello World",
            cleaned_path: "/2025-01-05-Hello World",
            categories: &categories,
            date: &date,
            output_ext: ".html",
        };
        let url = |t: &str| post_url(None, t, &parts).unwrap();
        assert_eq!(
            url("/:categories/:year/:month/:day/:title:output_ext"),
            "/tech/a%20b/2025/01/05/Hello-World.html"
        );
        assert_eq!(
            url("/:year/W:week/:short_day/:slug"),
            "/2025/W01/Sun/hello-world"
        );
        assert_eq!(
            url("/:i_month/:i_day/:y_day/:short_month/:long_month"),
            "/1/5/005/Jan/January"
        );
        assert_eq!(url("/:month_:day/:hour:minute:second"), "/01_05/090807");
        assert_eq!(
            url("/:slugified_categories/:name"),
            "/tech/a-b/2025-01-05-hello-world"
        );
        assert_eq!(url(":path/"), "/2025-01-05-Hello%20World/");
        assert!(post_url(None, "/:nope", &parts).is_err());
        assert_eq!(
            post_url(Some("/fixed/"), "/:title", &parts).unwrap(),
            "/fixed/"
        );
        assert_eq!(output_ext(Some("/a/b.xml"), ".md", true), ".xml");
        assert_eq!(output_ext(None, ".TXT", false), ".TXT");
    }
}
