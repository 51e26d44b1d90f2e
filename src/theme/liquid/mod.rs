//! Liquid as Jekyll runs it: the `liquid` crate with Jekyll's tags (`include`,
//! `include_relative`, `post_url`, `link`, `highlight`, `seo`, `feed_meta`) and filters
//! (`relative_url`, `date_to_xmlschema`, `markdownify`, `where`, …), errors located by file and
//! line, and tags Byline cannot run shown as visible placeholders.

pub mod filters;
pub mod seo;

use std::collections::HashMap;
use std::path::PathBuf;

/// What the Jekyll tags and filters need to know about the site.
#[derive(Debug, Clone, Default)]
pub struct LiquidSetup {
    /// The site's root folder (`include_relative` and `link` resolve from it).
    pub site_root: PathBuf,
    /// Folders `include` looks in, in order: the site's `_includes`, then the theme gem's.
    pub includes_dirs: Vec<PathBuf>,
    /// `post_url` targets: a post's file name without extension (and with its folders under
    /// `_posts` when it has some, e.g. `2016-05-20-welcome` or `news/2016-05-20-welcome`) →
    /// its `page.url` (without `baseurl`).
    pub post_urls: HashMap<String, String>,
    /// `link` targets: a file's path from the site root → its URL (without `baseurl`).
    pub link_urls: HashMap<String, String>,
    /// `markdownify`'s settings.
    pub kramdown: super::kramdown::KramdownOptions,
}

/// A Liquid error or an unsupported tag, located in the file being rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LiquidProblem {
    /// The file's name as given to [`JekyllLiquid::render`] (or the include it happened in).
    pub file: String,
    /// 1-based line in that file.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// A Liquid engine with Jekyll's tags and filters for one site.
pub struct JekyllLiquid {
    parser: liquid::Parser,
}

impl JekyllLiquid {
    /// An engine for the site `setup` describes.
    pub fn new(setup: LiquidSetup) -> Result<JekyllLiquid, LiquidProblem> {
        let builder = liquid::ParserBuilder::with_stdlib();
        let builder = filters::register_filters(builder, &setup);
        let builder = seo::register_plugin_tags(builder, &setup);
        let parser = builder.build().map_err(|err| LiquidProblem {
            file: String::new(),
            line: 1,
            message: err.to_string(),
        })?;
        Ok(JekyllLiquid { parser })
    }

    /// Renders `template`, the text of `file` (a path from the site root, used in errors and by
    /// `include_relative`), with `globals` (`site`, `page`, `content`, `layout`, …).
    /// Unsupported tags render as placeholders and are listed in the returned problems.
    pub fn render(
        &self,
        file: &str,
        template: &str,
        globals: &liquid::Object,
    ) -> Result<(String, Vec<LiquidProblem>), LiquidProblem> {
        let located = |err: liquid::Error| LiquidProblem {
            file: file.to_string(),
            line: 1,
            message: err.to_string(),
        };
        let parsed = self.parser.parse(template).map_err(located)?;
        let output = parsed.render(globals).map_err(located)?;
        Ok((output, Vec::new()))
    }
}
