//! `{% post_url 2016-05-20-name %}` and `{% link path %}`: the URL of a post or of any file of
//! the site, with `site.baseurl` in front (Jekyll 4.3 writes both through `relative_url`;
//! checked with `jekyll build`, see the tests).

use super::location::RenderTrace;
use super::{engine_of, literal_markup, relative_url, tag_error};
use crate::theme::liquid::Engine;
use liquid_core::parser::TagTokenIter;
use liquid_core::runtime::Template;
use liquid_core::{Language, ParseTag, Renderable, Result, Runtime, TagReflection};
use std::io::Write;
use std::sync::Weak;

/// `post_url`'s tag.
#[derive(Clone)]
pub struct PostUrlTag {
    engine: Weak<Engine>,
}

impl PostUrlTag {
    /// The tag, looking posts up in `engine`'s setup.
    pub fn new(engine: Weak<Engine>) -> PostUrlTag {
        PostUrlTag { engine }
    }
}

impl TagReflection for PostUrlTag {
    fn tag(&self) -> &str {
        "post_url"
    }
    fn description(&self) -> &str {
        "The URL of a post, by its file name without extension"
    }
}

/// A post named in `post_url`: its folders under `_posts` (with a trailing `/`, or empty) and
/// its `date-slug`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PostName {
    folders: String,
    date_slug: String,
}

/// Splits `name` the way Jekyll's `PostComparer` does (`^(.+/)*(\d+-\d+-\d+)-(.*)$`).
fn parse_post_name(name: &str) -> Option<PostName> {
    let name = name.strip_prefix('/').unwrap_or(name);
    let (folders, file) = match name.rfind('/') {
        Some(slash) => (name.get(..=slash)?, name.get(slash + 1..)?),
        None => ("", name),
    };
    let mut parts = file.splitn(4, '-');
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    let slug = parts.next()?;
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(year) && all_digits(month) && all_digits(day)) || slug.is_empty() {
        return None;
    }
    Some(PostName {
        folders: folders.to_string(),
        date_slug: file.to_string(),
    })
}

impl ParseTag for PostUrlTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let (markup, token) = literal_markup(&mut arguments)?;
        let original = markup.trim().to_string();
        let Some(name) = parse_post_name(&original) else {
            return Err(token.raise_custom_error(&format!(
                "Could not parse name of post \"{original}\" in tag 'post_url'. Make sure the \
                 post exists and the name is correct. '{original}' does not contain valid date \
                 and/or title."
            )));
        };
        Ok(Box::new(PostUrl {
            engine: self.engine.clone(),
            original,
            name,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// A parsed `post_url`.
struct PostUrl {
    engine: Weak<Engine>,
    original: String,
    name: PostName,
}

impl std::fmt::Debug for PostUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{% post_url {} %}}", self.original)
    }
}

impl Renderable for PostUrl {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let engine = engine_of(&self.engine)?;
        let post_urls = &engine.setup().post_urls;
        let key = format!("{}{}", self.name.folders, self.name.date_slug);
        let url = match post_urls.get(&key) {
            Some(url) => url,
            None => {
                // Jekyll's older matching (date and slug, any folder), with a deprecation
                // warning.
                let mut matching: Vec<(&String, &String)> = post_urls
                    .iter()
                    .filter(|(name, _)| {
                        name.rsplit('/').next() == Some(self.name.date_slug.as_str())
                    })
                    .collect();
                matching.sort();
                let Some(url) = matching.first().map(|(_, url)| *url) else {
                    return Err(tag_error(format!(
                        "Could not find post \"{}\" in tag 'post_url'. Make sure the post \
                         exists and the name is correct.",
                        self.original
                    )));
                };
                RenderTrace::warn(format!(
                    "A call to '{{% post_url {} %}}' did not match a post using the new matching \
                     method of checking name (path-date-slug) equality. Please make sure that \
                     you change this tag to match the post's name exactly.",
                    self.original
                ));
                url
            }
        };
        writer
            .write_all(relative_url(runtime, url).as_bytes())
            .map_err(|error| tag_error(error.to_string()))
    }
}

/// `link`'s tag.
#[derive(Clone)]
pub struct LinkTag {
    engine: Weak<Engine>,
}

impl LinkTag {
    /// The tag, looking files up in `engine`'s setup.
    pub fn new(engine: Weak<Engine>) -> LinkTag {
        LinkTag { engine }
    }
}

impl TagReflection for LinkTag {
    fn tag(&self) -> &str {
        "link"
    }
    fn description(&self) -> &str {
        "The URL of a file of the site, by its path"
    }
}

impl ParseTag for LinkTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let (markup, _token) = literal_markup(&mut arguments)?;
        // Jekyll renders the path as Liquid first (`{% link {{ page.x }} %}`).
        let path = Template::new(liquid_core::parser::parse(markup.trim(), options)?);
        Ok(Box::new(Link {
            engine: self.engine.clone(),
            path,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// A parsed `link`.
#[derive(Debug)]
struct Link {
    engine: Weak<Engine>,
    path: Template,
}

impl Renderable for Link {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let engine = engine_of(&self.engine)?;
        let path = self.path.render(runtime)?;
        let link_urls = &engine.setup().link_urls;
        let url = link_urls
            .get(&path)
            .or_else(|| link_urls.get(path.trim_start_matches('/')))
            .ok_or_else(|| {
                tag_error(format!(
                    "Could not find document '{path}' in tag 'link'. Make sure the document \
                     exists and the path is correct."
                ))
            })?;
        writer
            .write_all(relative_url(runtime, url).as_bytes())
            .map_err(|error| tag_error(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_names_split_like_jekyll() {
        assert_eq!(
            parse_post_name("2016-05-20-welcome"),
            Some(PostName {
                folders: String::new(),
                date_slug: "2016-05-20-welcome".into()
            })
        );
        assert_eq!(
            parse_post_name("/news/2017-01-02-second-post"),
            Some(PostName {
                folders: "news/".into(),
                date_slug: "2017-01-02-second-post".into()
            })
        );
        assert_eq!(parse_post_name("welcome"), None);
        assert_eq!(parse_post_name("2016-05-welcome"), None);
    }
}
