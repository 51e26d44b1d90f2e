//! The `{% seo %}` tag of jekyll-seo-tag 2.8 and the `{% feed_meta %}` tag of jekyll-feed
//! 0.17, which nearly every theme's `<head>` uses: the same title, description, canonical
//! link, Open Graph, Twitter and JSON-LD lines as the plugins write, from the rendering's
//! `site` and `page`.
//!
//! The rules (which value wins, what is escaped, which lines appear) were read from the
//! plugins' Ruby and checked against `jekyll build` output; the code is Byline's own.

use super::LiquidSetup;
use super::filters::{
    absolute_url_text, escape_once, is_absolute_url, jekyll_time, markdownify_text,
    normalize_whitespace_text, ruby_to_s, ruby_truthy, site_string, strip_html_text,
    uri_escape_text, xmlschema,
};
use crate::theme::kramdown::KramdownOptions;
use liquid_core::model::ScalarCow;
use liquid_core::parser::TagReflection;
use liquid_core::runtime::Renderable;
use liquid_core::{Language, ParseTag, Result, Runtime, TagTokenIter, Value, ValueView};
use std::fmt::Write as _;
use std::io::Write;

/// The jekyll-seo-tag version the output names.
const SEO_TAG_VERSION: &str = "2.8.0";
/// The Jekyll version the generator line names (the one Byline's rendering follows).
const JEKYLL_VERSION: &str = "4.3.1";

/// `builder` with the `seo` and `feed_meta` tags added.
pub fn register_plugin_tags(
    builder: liquid::ParserBuilder,
    setup: &LiquidSetup,
) -> liquid::ParserBuilder {
    builder
        .tag(SeoTagParser {
            kramdown: setup.kramdown.clone(),
        })
        .tag(FeedMetaTagParser)
}

fn write_error(err: std::io::Error) -> liquid_core::Error {
    liquid_core::Error::with_msg("could not write the rendered tag")
        .context("cause", err.to_string())
}

/// A global (`site`, `page`, `paginator`) from the runtime, nil when absent.
fn global(runtime: &dyn Runtime, name: &str) -> Value {
    runtime
        .try_get(&[ScalarCow::new(name)])
        .map(|value| value.into_owned())
        .unwrap_or(Value::Nil)
}

/// `value[key]`, nil when `value` is not a hash or has no such key.
fn field(value: &Value, key: &str) -> Value {
    value
        .as_object()
        .and_then(|object| object.get(key))
        .map(|v| v.to_value())
        .unwrap_or(Value::Nil)
}

/// Ruby's `a || b`: `a` unless it is nil or false.
fn or_else(first: Value, second: impl FnOnce() -> Value) -> Value {
    if ruby_truthy(&first) { first } else { second() }
}

/// `{% seo %}`'s parser (it keeps the kramdown settings for the title and description).
#[derive(Clone)]
struct SeoTagParser {
    kramdown: KramdownOptions,
}

impl TagReflection for SeoTagParser {
    fn tag(&self) -> &str {
        "seo"
    }

    fn description(&self) -> &str {
        "jekyll-seo-tag's title, description, canonical link, Open Graph and JSON-LD"
    }
}

impl ParseTag for SeoTagParser {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let text: Vec<String> = arguments.map(|token| token.as_str().to_string()).collect();
        // liquid splits `title=false` into three tokens; joined without spaces it reads as
        // the plugin's `@text =~ /title=false/i`.
        let text = text.concat();
        Ok(Box::new(SeoTag {
            show_title: !text.to_ascii_lowercase().contains("title=false"),
            kramdown: self.kramdown.clone(),
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// One `{% seo %}` in a template.
#[derive(Debug)]
struct SeoTag {
    show_title: bool,
    kramdown: KramdownOptions,
}

impl Renderable for SeoTag {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let facts = SeoFacts::gather(runtime, &self.kramdown);
        let html = facts.html(runtime, self.show_title);
        writer.write_all(html.as_bytes()).map_err(write_error)
    }
}

/// Who wrote the page, as jekyll-seo-tag resolves it.
#[derive(Debug, Default)]
struct Author {
    /// The author's hash (`name`, `twitter`, `url`, `type`, …).
    hash: Value,
}

impl Author {
    /// `page.author`, else the first of `page.authors`, else `site.author`; a name is looked
    /// up in `site.data.authors`.
    fn resolve(page: &Value, site: &Value) -> Author {
        let mut sources = vec![field(page, "author")];
        let authors = field(page, "authors");
        if let Some(first) = authors.as_array().and_then(|list| list.first()) {
            sources.push(first.to_value());
        }
        sources.push(field(site, "author"));
        let resolved = sources
            .into_iter()
            .find(|source| !ruby_to_s(source).is_empty());
        let hash = match resolved {
            Some(value) if value.as_object().is_some() => value,
            Some(value) if value.type_name() == "string" => {
                let name = ruby_to_s(&value);
                let mut hash = liquid::Object::new();
                hash.insert("name".into(), Value::scalar(name.clone()));
                let data = field(&field(site, "data"), "authors");
                if let Some(extra) = field(&data, &name).as_object() {
                    for (key, value) in extra.iter() {
                        hash.insert(key.to_string().into(), value.to_value());
                    }
                }
                Value::Object(hash)
            }
            _ => Value::Nil,
        };
        Author { hash }
    }

    fn get(&self, key: &str) -> Value {
        field(&self.hash, key)
    }

    /// The Twitter handle without `@` (`twitter`, else the name).
    fn twitter(&self) -> Option<String> {
        let handle = or_else(self.get("twitter"), || self.get("name"));
        (handle.type_name() == "string").then(|| {
            let text = ruby_to_s(&handle);
            text.strip_prefix('@').map(str::to_string).unwrap_or(text)
        })
    }
}

/// The page's image, as jekyll-seo-tag reads `page.image`.
#[derive(Debug)]
struct Image {
    /// Absolute, escaped URL.
    path: String,
    /// The image's hash when given as one (`height`, `width`, `alt`, …).
    hash: Value,
}

/// Everything the `seo` output is made of.
struct SeoFacts {
    site: Value,
    page: Value,
    site_title: Option<String>,
    page_title: Option<String>,
    title: Option<String>,
    description: Option<String>,
    author: Author,
    locale: String,
    canonical_url: String,
    image: Option<Image>,
    homepage_or_about: bool,
    kramdown: KramdownOptions,
}

/// jekyll-seo-tag's `format_string`: markdownify, strip_html, normalize_whitespace,
/// escape_once; `None` when nothing is left.
fn format_string(value: &Value, kramdown: &KramdownOptions) -> Option<String> {
    let html = markdownify_text(&ruby_to_s(value), kramdown);
    let text = escape_once(&normalize_whitespace_text(&strip_html_text(&html)));
    (!text.is_empty()).then_some(text)
}

fn is_homepage_or_about(url: &str) -> bool {
    let rest = match url.strip_prefix('/') {
        Some(rest) => rest,
        None => return false,
    };
    let rest = rest.strip_prefix("about/").unwrap_or(rest);
    matches!(rest, "" | "index.htm" | "index.html")
}

impl SeoFacts {
    fn gather(runtime: &dyn Runtime, kramdown: &KramdownOptions) -> SeoFacts {
        let site = global(runtime, "site");
        let page = global(runtime, "page");
        let paginator = global(runtime, "paginator");
        let fmt = |value: &Value| format_string(value, kramdown);

        let site_title = fmt(&or_else(field(&site, "title"), || field(&site, "name")));
        let site_tagline = fmt(&field(&site, "tagline"));
        let site_description = fmt(&field(&site, "description"));
        let page_title = fmt(&field(&page, "title")).or_else(|| site_title.clone());
        let mut title = match (&site_title, &page_title) {
            (Some(site_title), Some(page_title)) if page_title != site_title => {
                Some(format!("{page_title} | {site_title}"))
            }
            (Some(site_title), _) if site_description.is_some() => Some(format!(
                "{site_title} | {}",
                site_tagline
                    .clone()
                    .or_else(|| site_description.clone())
                    .unwrap_or_default()
            )),
            _ => page_title.clone().or_else(|| site_title.clone()),
        };
        if let Some(prefix) = page_number(&paginator, &site) {
            title = title.map(|title| format!("{prefix}{title}"));
        }
        let description = fmt(&or_else(field(&page, "description"), || {
            field(&page, "excerpt")
        }))
        .or_else(|| site_description.clone());
        let author = Author::resolve(&page, &site);
        let lang = or_else(field(&page, "lang"), || {
            or_else(field(&site, "lang"), || Value::scalar("en_US"))
        });
        let locale = or_else(field(&page, "locale"), || {
            or_else(field(&site, "locale"), || lang.clone())
        });
        let locale = ruby_to_s(&locale).replace('-', "_");
        let site_url = site_string(runtime, "url");
        let baseurl = site_string(runtime, "baseurl");
        let absolute = |url: &str| absolute_url_text(url, site_url.as_deref(), baseurl.as_deref());
        let canonical = ruby_to_s(&field(&page, "canonical_url"));
        let canonical_url = if canonical.is_empty() {
            let url = field(&page, "url");
            let full = if url.is_nil() {
                String::new()
            } else {
                absolute(&ruby_to_s(&url))
            };
            match full.strip_suffix("/index.html") {
                Some(stem) => format!("{stem}/"),
                None => full,
            }
        } else {
            canonical
        };
        let image = page_image(&page, &absolute);
        let homepage_or_about = is_homepage_or_about(&ruby_to_s(&field(&page, "url")));
        SeoFacts {
            site,
            page,
            site_title,
            page_title,
            title,
            description,
            author,
            locale,
            canonical_url,
            image,
            homepage_or_about,
            kramdown: kramdown.clone(),
        }
    }

    fn page_seo(&self, key: &str) -> Value {
        field(&field(&self.page, "seo"), key)
    }

    fn seo_type(&self) -> String {
        let given = self.page_seo("type");
        if ruby_truthy(&given) {
            ruby_to_s(&given)
        } else if self.homepage_or_about {
            "WebSite".to_string()
        } else if ruby_truthy(&field(&self.page, "date")) {
            "BlogPosting".to_string()
        } else {
            "WebPage".to_string()
        }
    }

    fn name(&self) -> Option<String> {
        let seo_name = self.page_seo("name");
        if ruby_truthy(&seo_name) {
            return format_string(&seo_name, &self.kramdown);
        }
        if !self.homepage_or_about {
            return None;
        }
        let social_name = field(&field(&self.site, "social"), "name");
        if ruby_truthy(&social_name) {
            return format_string(&social_name, &self.kramdown);
        }
        self.site_title.clone()
    }

    fn links(&self) -> Value {
        let links = self.page_seo("links");
        if ruby_truthy(&links) {
            return links;
        }
        if self.homepage_or_about {
            return field(&field(&self.site, "social"), "links");
        }
        Value::Nil
    }

    fn logo(&self, runtime: &dyn Runtime) -> Option<String> {
        let logo = field(&self.site, "logo");
        if !ruby_truthy(&logo) {
            return None;
        }
        let logo = ruby_to_s(&logo);
        if is_absolute_url(&logo) {
            return Some(uri_escape_text(&logo));
        }
        let site_url = site_string(runtime, "url");
        let baseurl = site_string(runtime, "baseurl");
        Some(uri_escape_text(&absolute_url_text(
            &logo,
            site_url.as_deref(),
            baseurl.as_deref(),
        )))
    }

    fn xmlschema_of(&self, runtime: &dyn Runtime, value: &Value) -> Option<String> {
        if !ruby_truthy(value) {
            return None;
        }
        if ruby_to_s(value).is_empty() {
            return Some(String::new());
        }
        jekyll_time(value, runtime).map(|time| xmlschema(&time))
    }

    /// The JSON-LD object, keys sorted as the plugin sorts them, nils left out.
    fn json_ld(&self, runtime: &dyn Runtime) -> String {
        let mut entries: Vec<(&str, String)> = Vec::new();
        let string = |text: &str| {
            let mut out = String::new();
            super::filters::json_string(text, &mut out);
            out
        };
        entries.push(("@context", string("https://schema.org")));
        let seo_type = self.seo_type();
        entries.push(("@type", string(&seo_type)));
        let author_name = self.author.get("name");
        let author_type = self.author.get("type");
        let valid_author_type = author_type.is_nil()
            || matches!(ruby_to_s(&author_type).as_str(), "Organization" | "Person");
        if ruby_truthy(&author_name) && valid_author_type {
            let kind = if author_type.is_nil() {
                "Person".to_string()
            } else {
                ruby_to_s(&author_type)
            };
            let mut author = format!("{{\"@type\":{},\"name\":", string(&kind));
            super::filters::to_json(&author_name, &mut author);
            let url = self.author.get("url");
            if ruby_truthy(&url) {
                author.push_str(",\"url\":");
                super::filters::to_json(&url, &mut author);
            }
            author.push('}');
            entries.push(("author", author));
        }
        let modified = or_else(self.page_seo("date_modified"), || {
            or_else(field(&self.page, "last_modified_at"), || {
                field(&self.page, "date")
            })
        });
        if let Some(modified) = self.xmlschema_of(runtime, &modified) {
            entries.push(("dateModified", string(&modified)));
        }
        if let Some(published) = self.xmlschema_of(runtime, &field(&self.page, "date")) {
            entries.push(("datePublished", string(&published)));
        }
        if let Some(description) = &self.description {
            entries.push(("description", string(description)));
        }
        if let Some(headline) = &self.page_title {
            entries.push(("headline", string(headline)));
        }
        if let Some(image) = &self.image {
            entries.push(("image", image_json(image)));
        }
        if matches!(seo_type.as_str(), "BlogPosting" | "CreativeWork") {
            entries.push((
                "mainEntityOfPage",
                format!(
                    "{{\"@type\":\"WebPage\",\"@id\":{}}}",
                    string(&self.canonical_url)
                ),
            ));
        }
        if let Some(name) = self.name() {
            entries.push(("name", string(&name)));
        }
        if let Some(logo) = self.logo(runtime) {
            let mut publisher = format!(
                "{{\"@type\":\"Organization\",\"logo\":{{\"@type\":\"ImageObject\",\"url\":{}}}",
                string(&logo)
            );
            if ruby_truthy(&author_name) {
                publisher.push_str(",\"name\":");
                super::filters::to_json(&author_name, &mut publisher);
            }
            publisher.push('}');
            entries.push(("publisher", publisher));
        }
        let links = self.links();
        if !links.is_nil() {
            let mut json = String::new();
            super::filters::to_json(&links, &mut json);
            entries.push(("sameAs", json));
        }
        entries.push(("url", string(&self.canonical_url)));
        let body: Vec<String> = entries
            .into_iter()
            .map(|(key, value)| format!("{}:{value}", string(key)))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    /// The tag's output, line for line as the plugin's minified template writes it.
    fn html(&self, runtime: &dyn Runtime, show_title: bool) -> String {
        let mut out = String::with_capacity(2048);
        let site = &self.site;
        let page = &self.page;
        let _ = writeln!(out, "<!-- Begin Jekyll SEO tag v{SEO_TAG_VERSION} -->");
        if let Some(title) = self.title.as_ref().filter(|_| show_title) {
            let _ = writeln!(out, "<title>{title}</title>");
        }
        let _ = writeln!(
            out,
            "<meta name=\"generator\" content=\"Jekyll v{JEKYLL_VERSION}\" />"
        );
        if let Some(page_title) = &self.page_title {
            let _ = writeln!(
                out,
                "<meta property=\"og:title\" content=\"{page_title}\" />"
            );
        }
        let author_name = self.author.get("name");
        if ruby_truthy(&author_name) {
            let _ = writeln!(
                out,
                "<meta name=\"author\" content=\"{}\" />",
                ruby_to_s(&author_name)
            );
        }
        let _ = writeln!(
            out,
            "<meta property=\"og:locale\" content=\"{}\" />",
            self.locale
        );
        if let Some(description) = &self.description {
            let _ = writeln!(
                out,
                "<meta name=\"description\" content=\"{description}\" />"
            );
            let _ = writeln!(
                out,
                "<meta property=\"og:description\" content=\"{description}\" />"
            );
        }
        if ruby_truthy(&field(site, "url")) {
            let _ = writeln!(
                out,
                "<link rel=\"canonical\" href=\"{}\" />",
                self.canonical_url
            );
            let _ = writeln!(
                out,
                "<meta property=\"og:url\" content=\"{}\" />",
                self.canonical_url
            );
        }
        if let Some(site_title) = &self.site_title {
            let _ = writeln!(
                out,
                "<meta property=\"og:site_name\" content=\"{site_title}\" />"
            );
        }
        if let Some(image) = &self.image {
            let _ = writeln!(
                out,
                "<meta property=\"og:image\" content=\"{}\" />",
                image.path
            );
            for key in ["height", "width", "alt"] {
                let value = field(&image.hash, key);
                if ruby_truthy(&value) {
                    let _ = writeln!(
                        out,
                        "<meta property=\"og:image:{key}\" content=\"{}\" />",
                        ruby_to_s(&value)
                    );
                }
            }
        }
        let date = field(page, "date");
        if ruby_truthy(&date) {
            let published = self.xmlschema_of(runtime, &date).unwrap_or_default();
            let _ = writeln!(out, "<meta property=\"og:type\" content=\"article\" />");
            let _ = writeln!(
                out,
                "<meta property=\"article:published_time\" content=\"{published}\" />"
            );
        } else {
            let _ = writeln!(out, "<meta property=\"og:type\" content=\"website\" />");
        }
        let paginator = global(runtime, "paginator");
        let site_url = site_string(runtime, "url");
        let baseurl = site_string(runtime, "baseurl");
        for (rel, page_key, path_key) in [
            ("prev", "previous_page", "previous_page_path"),
            ("next", "next_page", "next_page_path"),
        ] {
            if ruby_truthy(&field(&paginator, page_key)) {
                let path = field(&paginator, path_key);
                let href = if path.is_nil() {
                    String::new()
                } else {
                    absolute_url_text(&ruby_to_s(&path), site_url.as_deref(), baseurl.as_deref())
                };
                let _ = writeln!(out, "<link rel=\"{rel}\" href=\"{href}\" />");
            }
        }
        if let Some(image) = &self.image {
            let card = [
                field(&field(page, "twitter"), "card"),
                field(&field(site, "twitter"), "card"),
            ]
            .into_iter()
            .find(|value| !is_liquid_default(value))
            .map(|value| ruby_to_s(&value))
            .unwrap_or_else(|| "summary_large_image".to_string());
            let _ = writeln!(out, "<meta name=\"twitter:card\" content=\"{card}\" />");
            let _ = writeln!(
                out,
                "<meta property=\"twitter:image\" content=\"{}\" />",
                image.path
            );
        } else {
            let _ = writeln!(out, "<meta name=\"twitter:card\" content=\"summary\" />");
        }
        if let Some(image) = &self.image {
            let alt = field(&image.hash, "alt");
            if ruby_truthy(&alt) {
                let _ = writeln!(
                    out,
                    "<meta name=\"twitter:image:alt\" content=\"{}\" />",
                    ruby_to_s(&alt)
                );
            }
        }
        if let Some(page_title) = &self.page_title {
            let _ = writeln!(
                out,
                "<meta property=\"twitter:title\" content=\"{page_title}\" />"
            );
        }
        let twitter = field(site, "twitter");
        if ruby_truthy(&twitter) {
            let username = ruby_to_s(&field(&twitter, "username")).replace('@', "");
            let _ = writeln!(
                out,
                "<meta name=\"twitter:site\" content=\"@{username}\" />"
            );
            if let Some(creator) = self.author.twitter() {
                let _ = writeln!(
                    out,
                    "<meta name=\"twitter:creator\" content=\"@{}\" />",
                    creator.replace('@', "")
                );
            }
        }
        let facebook = field(site, "facebook");
        if ruby_truthy(&facebook) {
            for (key, line) in [
                ("admins", "<meta property=\"fb:admins\" content=\""),
                (
                    "publisher",
                    "<meta property=\"article:publisher\" content=\"",
                ),
                ("app_id", "<meta property=\"fb:app_id\" content=\""),
            ] {
                let value = field(&facebook, key);
                if ruby_truthy(&value) {
                    let _ = writeln!(out, "{line}{}\" />", liquid_output(&value));
                }
            }
        }
        let verifications = field(site, "webmaster_verifications");
        if ruby_truthy(&verifications) {
            for (key, name) in [
                ("google", "google-site-verification"),
                ("bing", "msvalidate.01"),
                ("alexa", "alexaVerifyID"),
                ("yandex", "yandex-verification"),
                ("baidu", "baidu-site-verification"),
                ("facebook", "facebook-domain-verification"),
            ] {
                let value = field(&verifications, key);
                if ruby_truthy(&value) {
                    let _ = writeln!(
                        out,
                        "<meta name=\"{name}\" content=\"{}\" />",
                        liquid_output(&value)
                    );
                }
            }
        } else {
            let google = field(site, "google_site_verification");
            if ruby_truthy(&google) {
                let _ = writeln!(
                    out,
                    "<meta name=\"google-site-verification\" content=\"{}\" />",
                    liquid_output(&google)
                );
            }
        }
        let _ = writeln!(out, "<script type=\"application/ld+json\">");
        let _ = writeln!(out, "{}</script>", self.json_ld(runtime));
        let _ = writeln!(out, "<!-- End Jekyll SEO tag -->");
        out
    }
}

/// What `{{ value }}` writes for a value (an array's items joined, nil empty).
fn liquid_output(value: &Value) -> String {
    if let Some(array) = value.as_array() {
        return array.values().map(liquid_output_view).collect();
    }
    liquid_output_view(value)
}

fn liquid_output_view(value: &dyn ValueView) -> String {
    if let Some(array) = value.as_array() {
        return array.values().map(liquid_output_view).collect();
    }
    ruby_to_s(value)
}

/// Whether Liquid's `default` filter would replace `value` (nil, false, empty text, empty
/// array or hash).
fn is_liquid_default(value: &Value) -> bool {
    value.query_state(liquid_core::model::State::DefaultValue)
}

/// "Page 2 of 5 for " on later pages of a paginated index.
fn page_number(paginator: &Value, site: &Value) -> Option<String> {
    let current = field(paginator, "page");
    let number = current.as_scalar().and_then(|s| s.to_integer())?;
    if number <= 1 {
        return None;
    }
    let total = ruby_to_s(&field(paginator, "total_pages"));
    let message = field(site, "seo_paginator_message");
    let message = if ruby_truthy(&message) {
        ruby_to_s(&message)
    } else {
        "Page %<current>s of %<total>s for ".to_string()
    };
    Some(
        message
            .replace("%<current>s", &number.to_string())
            .replace("%<total>s", &total),
    )
}

/// `page.image` (text, or a hash with `path`, `facebook` or `twitter`) as an absolute,
/// escaped URL.
fn page_image(page: &Value, absolute: &dyn Fn(&str) -> String) -> Option<Image> {
    let image = field(page, "image");
    let (raw, hash) = if image.as_object().is_some() {
        let raw = or_else(field(&image, "path"), || {
            or_else(field(&image, "facebook"), || field(&image, "twitter"))
        });
        (raw, image)
    } else if image.type_name() == "string" {
        (image, Value::Nil)
    } else {
        return None;
    };
    if !ruby_truthy(&raw) {
        return None;
    }
    let path = if raw.type_name() == "string" && !is_absolute_url(&ruby_to_s(&raw)) {
        absolute(&ruby_to_s(&raw))
    } else {
        ruby_to_s(&raw)
    };
    Some(Image {
        path: uri_escape_text(&path),
        hash,
    })
}

/// The JSON-LD `image`: the URL alone, or the image's hash with `url` and `@type`.
fn image_json(image: &Image) -> String {
    let mut out = String::new();
    let Some(hash) = image.hash.as_object() else {
        super::filters::json_string(&image.path, &mut out);
        return out;
    };
    let mut keys: Vec<String> = hash
        .keys()
        .map(|key| key.to_string())
        .filter(|key| key != "path")
        .collect();
    if keys.is_empty() {
        super::filters::json_string(&image.path, &mut out);
        return out;
    }
    // liquid's objects do not keep the YAML order the plugin follows: the keys its
    // documentation lists come in that order (height, width, alt), others after, sorted.
    let documented = ["height", "width", "alt"];
    keys.sort_by_key(|key| {
        let rank = documented
            .iter()
            .position(|known| known == key)
            .unwrap_or(documented.len());
        (rank, key.clone())
    });
    out.push('{');
    for key in &keys {
        super::filters::json_string(key, &mut out);
        out.push(':');
        let value = field(&image.hash, key);
        super::filters::to_json(&value, &mut out);
        out.push(',');
    }
    out.push_str("\"url\":");
    super::filters::json_string(&image.path, &mut out);
    out.push_str(",\"@type\":\"imageObject\"}");
    out
}

/// `{% feed_meta %}`'s parser.
#[derive(Clone)]
struct FeedMetaTagParser;

impl TagReflection for FeedMetaTagParser {
    fn tag(&self) -> &str {
        "feed_meta"
    }

    fn description(&self) -> &str {
        "jekyll-feed's link to the site's Atom feed"
    }
}

impl ParseTag for FeedMetaTagParser {
    fn parse(
        &self,
        _arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(FeedMetaTag))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// One `{% feed_meta %}` in a template.
#[derive(Debug)]
struct FeedMetaTag;

/// An XML attribute value with its quotes (Ruby's `encode(xml: :attr)`).
fn xml_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Renderable for FeedMetaTag {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let site = global(runtime, "site");
        let path = field(&field(&site, "feed"), "path");
        let path = if ruby_truthy(&path) {
            ruby_to_s(&path)
        } else {
            "feed.xml".to_string()
        };
        let site_url = site_string(runtime, "url");
        let baseurl = site_string(runtime, "baseurl");
        let href = absolute_url_text(&path, site_url.as_deref(), baseurl.as_deref());
        let mut html = format!(
            "<link type={} rel={} href={}",
            xml_attribute("application/atom+xml"),
            xml_attribute("alternate"),
            xml_attribute(&href)
        );
        let title = or_else(field(&site, "title"), || field(&site, "name"));
        if ruby_truthy(&title) {
            let _ = write!(html, " title={}", xml_attribute(&ruby_to_s(&title)));
        }
        html.push_str(" />");
        writer.write_all(html.as_bytes()).map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, globals: &liquid::Object) -> String {
        let builder = liquid::ParserBuilder::with_stdlib();
        let builder = super::super::filters::register_filters(builder, &LiquidSetup::default());
        let builder = register_plugin_tags(builder, &LiquidSetup::default());
        let parser = builder.build().unwrap();
        parser.parse(template).unwrap().render(globals).unwrap()
    }

    /// Jekyll 4.3.1 + jekyll-seo-tag 2.8.0 for a page titled "Hi" at `/` of a site titled
    /// "My & <Site>" at https://ex.com.
    #[test]
    fn seo_and_feed_meta_match_the_plugins_for_a_home_page() {
        let globals = liquid::object!({
            "site": {"title": "My & <Site>", "url": "https://ex.com"},
            "page": {"title": "Hi", "url": "/"},
        });
        let expected = "A<!-- Begin Jekyll SEO tag v2.8.0 -->
<title>Hi | My &amp;</title>
<meta name=\"generator\" content=\"Jekyll v4.3.1\" />
<meta property=\"og:title\" content=\"Hi\" />
<meta property=\"og:locale\" content=\"en_US\" />
<link rel=\"canonical\" href=\"https://ex.com/\" />
<meta property=\"og:url\" content=\"https://ex.com/\" />
<meta property=\"og:site_name\" content=\"My &amp;\" />
<meta property=\"og:type\" content=\"website\" />
<meta name=\"twitter:card\" content=\"summary\" />
<meta property=\"twitter:title\" content=\"Hi\" />
<script type=\"application/ld+json\">
{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"headline\":\"Hi\",\"name\":\"My &amp;\",\"url\":\"https://ex.com/\"}</script>
<!-- End Jekyll SEO tag -->
B<link type=\"application/atom+xml\" rel=\"alternate\" href=\"https://ex.com/feed.xml\" title=\"My &amp; &lt;Site&gt;\" />C";
        let out = render("A{% seo %}B{% feed_meta %}C", &globals);
        assert_eq!(out, expected);
        let without_title = render("{% seo title=false %}", &globals);
        assert!(!without_title.contains("<title>"));
        assert!(without_title.contains("og:title"));
    }

    /// The second page of a paginated index, shaped like the one jekyll-paginate and
    /// jekyll-seo-tag write for a site with a baseurl (`Page 2 of 2 for`, `rel="prev"`).
    #[test]
    fn later_pages_of_a_paginated_index_get_the_page_number_and_a_prev_link() {
        let globals = liquid::object!({
            "site": {
                "title": "Notes",
                "description": "About small things",
                "url": "https://ex.org",
                "baseurl": "/b",
                "author": {"name": "Ann", "url": "https://ann.example"},
            },
            "page": {"title": "Home", "url": "/page2/"},
            "paginator": {
                "page": 2,
                "total_pages": 2,
                "previous_page": 1,
                "previous_page_path": "/",
                "next_page": nil,
            },
        });
        let expected = "<!-- Begin Jekyll SEO tag v2.8.0 -->
<title>Page 2 of 2 for Home | Notes</title>
<meta name=\"generator\" content=\"Jekyll v4.3.1\" />
<meta property=\"og:title\" content=\"Home\" />
<meta name=\"author\" content=\"Ann\" />
<meta property=\"og:locale\" content=\"en_US\" />
<meta name=\"description\" content=\"About small things\" />
<meta property=\"og:description\" content=\"About small things\" />
<link rel=\"canonical\" href=\"https://ex.org/b/page2/\" />
<meta property=\"og:url\" content=\"https://ex.org/b/page2/\" />
<meta property=\"og:site_name\" content=\"Notes\" />
<meta property=\"og:type\" content=\"website\" />
<link rel=\"prev\" href=\"https://ex.org/b/\" />
<meta name=\"twitter:card\" content=\"summary\" />
<meta property=\"twitter:title\" content=\"Home\" />
<script type=\"application/ld+json\">
{\"@context\":\"https://schema.org\",\"@type\":\"WebPage\",\"author\":{\"@type\":\"Person\",\"name\":\"Ann\",\"url\":\"https://ann.example\"},\"description\":\"About small things\",\"headline\":\"Home\",\"url\":\"https://ex.org/b/page2/\"}</script>
<!-- End Jekyll SEO tag -->
";
        assert_eq!(render("{% seo %}", &globals), expected);
    }
}
