//! The site commands of the command line: `byline site` (the index as Jekyll sees it), the
//! site checks `byline check` adds, `byline tags`/`categories` and `byline publish`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value as Json, json};

use crate::post::check::Diagnostic;
use crate::site::index::date_text;
pub use crate::site::names::NameKind;
use crate::site::names::{RenameOutcome, name_counts, rename_across_site};
use crate::site::{IndexOptions, Site, SitePost, find_root};

/// Arguments of `byline site`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (or any folder or file inside it).
    pub dir: PathBuf,
    /// Print JSON: `{"site": {...}, "posts": [...]}`.
    #[arg(long)]
    pub json: bool,
    /// As `jekyll build --drafts`: drafts are published.
    #[arg(long)]
    pub drafts: bool,
    /// As `jekyll build --future`: posts dated after now are published.
    #[arg(long)]
    pub future: bool,
    /// As `jekyll build --unpublished`: posts with `published: false` are published.
    #[arg(long)]
    pub unpublished: bool,
}

fn diagnostic_json(d: &Diagnostic) -> Json {
    json!({
        "line": d.line,
        "column": d.column,
        "severity": d.severity.to_string(),
        "message": d.message,
    })
}

/// One post as JSON, in the shape `byline site --json` prints.
pub fn post_json(post: &SitePost) -> Json {
    json!({
        "path": post.path,
        "draft": post.is_draft,
        "title": post.title,
        "date": date_text(post),
        "url": post.url,
        "published": post.is_published,
        "why_not": post.why_not.map(|w| w.code()),
        "categories": post.categories,
        "tags": post.tags,
        "problems": post.problems.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}

/// The whole index as JSON.
pub fn site_json(site: &Site) -> Json {
    let problems: Vec<Json> = site
        .problems
        .iter()
        .map(|(path, d)| {
            let mut value = diagnostic_json(d);
            if let Some(object) = value.as_object_mut() {
                object.insert("path".into(), Json::String(path.clone()));
            }
            value
        })
        .collect();
    json!({
        "site": {
            "root": site.root.display().to_string(),
            "timezone": site.config.timezone,
            "time_zone_used": site.time_zone.iana_name().unwrap_or("local"),
            "permalink": site.config.post_url_template(),
            "baseurl": site.config.baseurl,
            "drafts": site.options.drafts,
            "future": site.options.future,
            "unpublished": site.options.unpublished,
            "jekyll": site.jekyll.describe(),
            "jekyll_3": site.jekyll.is_jekyll_3(),
            "plugins_not_on_github_pages": site.jekyll.plugins_not_on_pages,
            "posts": site.posts.len(),
            "published": site.posts.iter().filter(|p| p.is_published).count(),
            "problems": problems,
        },
        "posts": site.posts.iter().map(post_json).collect::<Vec<_>>(),
    })
}

/// The index as a readable table, then every problem as `path:line:col: severity: message`.
pub fn site_table(site: &Site) -> String {
    let mut out = String::new();
    out.push_str(&format!("site {}\n", site.root.display()));
    out.push_str(&format!(
        "time zone {}, permalink {}{}\n",
        site.config.timezone.clone().unwrap_or_else(|| format!(
            "(machine: {})",
            site.time_zone.iana_name().unwrap_or("local")
        )),
        site.config.post_url_template(),
        if site.config.baseurl.is_empty() {
            String::new()
        } else {
            format!(", baseurl {}", site.config.baseurl)
        }
    ));
    out.push_str(&format!("built by {}\n", site.jekyll.describe()));
    let published = site.posts.iter().filter(|p| p.is_published).count();
    out.push_str(&format!(
        "{} posts, {published} published\n\n",
        site.posts.len()
    ));
    let rows: Vec<[String; 4]> = site
        .posts
        .iter()
        .map(|p| {
            [
                p.why_not
                    .map_or_else(|| "published".to_string(), |w| w.code().to_string()),
                date_text(p).unwrap_or_else(|| "?".into()),
                p.url.clone().unwrap_or_else(|| "?".into()),
                p.path.clone(),
            ]
        })
        .collect();
    let header = [
        "STATUS".to_string(),
        "DATE".to_string(),
        "URL".to_string(),
        "PATH".to_string(),
    ];
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(rows.iter()) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let problems = problem_lines(site);
    if !problems.is_empty() {
        out.push('\n');
        for line in problems {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Every problem of the site as `path:line:col: severity: message`, paths from the root.
pub fn problem_lines(site: &Site) -> Vec<String> {
    let mut lines = Vec::new();
    for (path, d) in &site.problems {
        lines.push(format!(
            "{path}:{}:{}: {}: {}",
            d.line, d.column, d.severity, d.message
        ));
    }
    let mut posts: Vec<&SitePost> = site.posts.iter().collect();
    posts.sort_by(|a, b| a.path.cmp(&b.path));
    for post in posts {
        for d in &post.problems {
            lines.push(format!(
                "{}:{}:{}: {}: {}",
                post.path, d.line, d.column, d.severity, d.message
            ));
        }
    }
    lines
}

/// The site holding `dir`, or a message saying there is none.
pub fn open_site(dir: &Path, options: &IndexOptions) -> Result<Site, String> {
    if !dir.exists() {
        return Err(format!("{}: no such file or folder", dir.display()));
    }
    let root = find_root(dir).ok_or_else(|| {
        format!(
            "{}: not inside a Jekyll site (no _config.yml or _posts/ here or above)",
            dir.display()
        )
    })?;
    Ok(Site::open(&root, options))
}

/// `byline site`: prints the index.
pub fn site_command(args: &SiteArgs, out: &mut impl Write) -> ExitCode {
    let options = IndexOptions {
        drafts: args.drafts,
        future: args.future,
        unpublished: args.unpublished,
        now: None,
    };
    let site = match open_site(&args.dir, &options) {
        Ok(site) => site,
        Err(message) => {
            eprintln!("byline: {message}");
            return ExitCode::FAILURE;
        }
    };
    let text = if args.json {
        match serde_json::to_string_pretty(&site_json(&site)) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("byline: {err}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        site_table(&site)
    };
    if writeln!(out, "{}", text.trim_end()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Adds the site checks to `byline check` results: for each checked file inside a site, the
/// site's problems for it that the file check did not already report.
pub fn add_site_diagnostics(
    results: Vec<(PathBuf, Vec<Diagnostic>)>,
) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    let mut sites: HashMap<PathBuf, Site> = HashMap::new();
    let mut out = Vec::with_capacity(results.len());
    for (path, mut diagnostics) in results {
        if let Some(root) = find_root(&path) {
            let site = sites
                .entry(root.clone())
                .or_insert_with(|| Site::open(&root, &IndexOptions::default()));
            if let Some(relative) = site.relative_path(&path)
                && let Some(post) = site.post(&relative)
            {
                for d in &post.problems {
                    if !diagnostics
                        .iter()
                        .any(|known| known.line == d.line && known.message == d.message)
                    {
                        diagnostics.push(d.clone());
                    }
                }
                diagnostics.sort_by_key(|d| (d.line, d.column));
            }
        }
        out.push((path, diagnostics));
    }
    out
}

/// For `byline check SITE`: each site folder given (one with `_config.yml` or `_posts/`) is
/// searched for images no post or page uses, one warning line per image (references to
/// missing images are already among the posts' problems).
pub fn unused_image_lines(paths: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for dir in paths.iter().filter(|p| p.is_dir()) {
        if !(dir.join("_config.yml").is_file() || dir.join("_posts").is_dir()) {
            continue;
        }
        let site = Site::open(dir, &IndexOptions::default());
        for image in crate::site::images::image_report(&site).unused {
            out.push(format!(
                "{}:1:1: warning: no post or page uses this image",
                dir.join(&image).display()
            ));
        }
    }
    out
}

/// Arguments of `byline tags` and `byline categories`.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// The site folder (or any folder or file inside it).
    pub dir: PathBuf,
    /// Rename OLD to NEW in every post (merging into NEW where it is already there).
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub rename: Option<Vec<String>>,
    /// With --rename: print the files that would change, change nothing.
    #[arg(long, requires = "rename")]
    pub dry_run: bool,
}

/// `byline tags` / `byline categories`: counts, or a site-wide rename.
pub fn names_command(args: &NamesArgs, kind: NameKind, out: &mut impl Write) -> ExitCode {
    let site = match open_site(&args.dir, &IndexOptions::default()) {
        Ok(site) => site,
        Err(message) => {
            eprintln!("byline: {message}");
            return ExitCode::FAILURE;
        }
    };
    let Some(rename) = &args.rename else {
        for (name, count) in name_counts(&site, kind) {
            let _ = writeln!(out, "{count:>6}  {name}");
        }
        return ExitCode::SUCCESS;
    };
    let (Some(old), Some(new)) = (rename.first(), rename.get(1)) else {
        eprintln!("byline: --rename needs OLD and NEW");
        return ExitCode::FAILURE;
    };
    if new.trim().is_empty() || (kind == NameKind::Tags && new.chars().any(char::is_whitespace)) {
        eprintln!("byline: `{new}` cannot be a tag name (empty or with spaces)");
        return ExitCode::FAILURE;
    }
    let outcomes = rename_across_site(&site, kind, old, new, args.dry_run);
    let mut failed = 0;
    let mut renamed = 0;
    for (path, outcome) in &outcomes {
        match outcome {
            RenameOutcome::Renamed => {
                renamed += 1;
                let verb = if args.dry_run {
                    "would change"
                } else {
                    "changed"
                };
                let _ = writeln!(out, "{verb} {path}");
            }
            RenameOutcome::NotInFile => {
                failed += 1;
                eprintln!(
                    "{path}: `{old}` does not come from this file's front matter (a folder or `defaults`): not renamed"
                );
            }
            RenameOutcome::Failed(message) => {
                failed += 1;
                eprintln!("{path}: error: {message}");
            }
        }
    }
    eprintln!(
        "{} `{old}` → `{new}` in {renamed} posts{}",
        if args.dry_run {
            "would rename"
        } else {
            "renamed"
        },
        if failed > 0 {
            format!(", {failed} not renamed")
        } else {
            String::new()
        }
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Arguments of `byline publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The draft (a file in a `_drafts/` folder).
    pub draft: PathBuf,
    /// The publication date (default: the draft's own `date`, else now), e.g.
    /// `2025-11-30 10:00`; without an offset, the site's offset for that date is written.
    #[arg(long)]
    pub date: Option<String>,
}

/// `byline publish`.
pub fn publish_command(args: &PublishArgs, out: &mut impl Write) -> ExitCode {
    match crate::site::publish::publish_draft(&args.draft, args.date.as_deref()) {
        Ok(path) => {
            let _ = writeln!(out, "{}", path.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("byline: {message}");
            ExitCode::FAILURE
        }
    }
}
