//! The `byline` command line: check, show, set and new, on the same post model as the window.

mod preview;
mod render;
mod site;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use serde_yaml::Value;

use crate::error::{Error, Result};
use crate::fsio;
use crate::post::check::{self, Diagnostic, Severity};
use crate::post::{Post, yaml_block};
use crate::walk;

/// Byline: a desktop editor for Jekyll posts that never changes a byte you did not edit.
#[derive(Debug, Parser)]
#[command(
    name = "byline",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A post to open in the editor window (when omitted: the last post, else the start view),
    /// or a site folder to show in the site panel (`./site` for a folder named like a command).
    pub file: Option<PathBuf>,
    /// What to do instead of opening the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The command-line commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check posts for problems Jekyll would reject or misread.
    ///
    /// Prints one line per problem as `path:line:col: error|warning: message`; exits 1 when
    /// any error is found.
    Check {
        /// Files or folders (folders are searched for *.md, *.markdown and *.html).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show a post's front matter and body.
    Show {
        /// The post.
        file: PathBuf,
        /// Print `{"front_matter": {…}, "body": "…"}` (dates as their text).
        #[arg(long)]
        json: bool,
    },
    /// Set front-matter fields, changing only their lines; the file is written atomically.
    Set {
        /// The post.
        file: PathBuf,
        /// `KEY=VALUE` pairs; VALUE is read as YAML (`tags=[a, b]`, `published=false`).
        #[arg(required = true, value_name = "KEY=VALUE")]
        assignments: Vec<String>,
        /// Take every VALUE as a plain string.
        #[arg(long)]
        string: bool,
    },
    /// Export posts for publishing: into a Jekyll site, or as standalone HTML pages.
    ///
    /// Prints each written path; exits 1 when any post fails (the others are still exported).
    Export {
        /// The posts to export.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A Jekyll site folder (with _config.yml or _posts/): writes _posts/YYYY-MM-DD-slug.md.
        #[arg(long, conflicts_with = "html", required_unless_present = "html")]
        site: Option<PathBuf>,
        /// A folder for standalone .html pages (images embedded).
        #[arg(long)]
        html: Option<PathBuf>,
        /// Overwrite a different file already at a target path (never the source post).
        #[arg(long)]
        force: bool,
        /// Export into the site's _drafts/ (slug.md, no date).
        #[arg(long)]
        draft: bool,
        /// HTML pages: drop scripts, event handlers and `javascript:` links from the body.
        #[arg(long, requires = "html")]
        sanitize: bool,
    },
    /// Create a new post from the template and print its path.
    New {
        /// The post's title.
        #[arg(long)]
        title: String,
        /// The date (default: now, with the local UTC offset), e.g. `2025-11-30 10:00 +0100`.
        #[arg(long)]
        date: Option<String>,
        /// Folder to write into (default: `_posts` or `_drafts` when present, else here).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Write a draft (`slug.md`, no date in the name).
        #[arg(long)]
        draft: bool,
    },
    /// Index a Jekyll site as Jekyll 4.3 sees it: each post's date, URL, categories, tags,
    /// whether it is published and why not, and the site's problems.
    Site(site::SiteArgs),
    /// List a site's tags with counts, or rename one across the site (`--rename OLD NEW`).
    Tags(site::NamesArgs),
    /// List a site's categories with counts, or rename one across the site.
    Categories(site::NamesArgs),
    /// Move a draft into `_posts/` as `YYYY-MM-DD-name.ext`, writing its date.
    Publish(site::PublishArgs),
    /// Render a post through its site's own theme (layouts, includes, Sass) into an HTML
    /// file, with the compiled stylesheets beside it at their site paths.
    Render(render::RenderArgs),
    /// Show a post in its site's own theme in the browser, from a server on 127.0.0.1 that
    /// re-renders when the post or the site changes on disk; runs until Ctrl+C.
    Preview(preview::PreviewArgs),
}

/// Runs a command-line command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match command {
        Command::Check { paths } => return check_command(&paths, &mut out),
        Command::Show { file, json } => show_command(&file, json, &mut out),
        Command::Set {
            file,
            assignments,
            string,
        } => set_command(&file, &assignments, string, &mut out),
        Command::Export {
            files,
            site,
            html,
            force,
            draft,
            sanitize,
        } => {
            let options = crate::export::HtmlOptions { sanitize };
            return export_command(
                &files,
                site.as_deref(),
                html.as_deref(),
                ExportFlags {
                    force,
                    draft,
                    options,
                },
                &mut out,
            );
        }
        Command::New {
            title,
            date,
            dir,
            draft,
        } => new_command(&title, date.as_deref(), dir.as_deref(), draft, &mut out),
        Command::Site(args) => return site::site_command(&args, &mut out),
        Command::Tags(args) => return site::names_command(&args, site::NameKind::Tags, &mut out),
        Command::Categories(args) => {
            return site::names_command(&args, site::NameKind::Categories, &mut out);
        }
        Command::Publish(args) => return site::publish_command(&args, &mut out),
        Command::Render(args) => return render::render_command(&args, &mut out),
        Command::Preview(args) => return preview::preview_command(&args, &mut out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("byline: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How `byline export` was asked to export.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportFlags {
    /// Overwrite files that were there before this export.
    pub force: bool,
    /// Export into the site's `_drafts/`.
    pub draft: bool,
    /// How HTML pages are made.
    pub options: crate::export::HtmlOptions,
}

/// `byline export`: exports each post in one run (two posts never share a file), reporting
/// warnings and failures per file.
pub fn export_command(
    files: &[PathBuf],
    site: Option<&Path>,
    html: Option<&Path>,
    flags: ExportFlags,
    out: &mut impl Write,
) -> ExitCode {
    let mut failed = 0;
    let mut run = crate::export::ExportRun::new(flags.force);
    for file in files {
        let is_draft = flags.draft || crate::site::is_draft_path(file);
        let result = fsio::read_post(file).and_then(|post| match (site, html) {
            (Some(site), _) => {
                crate::export::export_post_to_site_in(&mut run, &post, file, site, is_draft)
            }
            (None, Some(dir)) => {
                crate::export::export_post_html_in(&mut run, &post, file, dir, flags.options)
            }
            (None, None) => Err(Error::Export {
                reason: "give --site DIR or --html DIR".into(),
            }),
        });
        match result {
            Ok(exported) => {
                for warning in &exported.warnings {
                    eprintln!("{}:{warning}", file.display());
                }
                for image in &exported.images {
                    let _ = writeln!(out, "{}", image.display());
                }
                let _ = writeln!(out, "{}", exported.path.display());
            }
            Err(err @ Error::TargetExists { .. }) => {
                failed += 1;
                eprintln!(
                    "{}: error: {err}; use --force to overwrite it",
                    file.display()
                );
            }
            Err(Error::NotPublishable { problems }) => {
                failed += 1;
                for problem in problems {
                    eprintln!("{}:{problem} (not exported)", file.display());
                }
            }
            Err(err) => {
                failed += 1;
                eprintln!("{}: error: {err}", file.display());
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `byline check`: checks files in parallel and prints problems in path order.
pub fn check_command(paths: &[PathBuf], out: &mut impl Write) -> ExitCode {
    let found = walk::post_files(paths);
    let results: Vec<(PathBuf, Vec<Diagnostic>)> = found
        .files
        .into_par_iter()
        .filter_map(|path| {
            let bytes = match fsio::read_bytes(&path) {
                Ok(bytes) => bytes,
                Err(err) => return Some((path, vec![Diagnostic::from_error(&err)])),
            };
            // A file found in a folder (a README, a static page) without front matter and
            // outside `_posts`/`_drafts` is not a post: Jekyll copies it as it is, nothing to
            // check. A file named on the command line is always checked.
            // The post is parsed once, for both questions.
            let post = match Post::parse(&bytes) {
                Ok(post) => post,
                Err(err) => return Some((path, vec![Diagnostic::from_error(&err)])),
            };
            let is_static_file = post.front_matter().is_none()
                && !paths.contains(&path)
                && !crate::site::is_in_post_folder(&path);
            (!is_static_file).then(|| (path, check::check(&post)))
        })
        .collect();
    let results = site::add_site_diagnostics(results);
    let mut errors = 0;
    let mut warnings = 0;
    for skipped in &found.skipped {
        let severity = match skipped.reason {
            walk::SkipReason::UnreadableFolder(_) => {
                errors += 1;
                Severity::Error
            }
            walk::SkipReason::NotRegularFile(_) | walk::SkipReason::BrokenLink(_) => {
                warnings += 1;
                Severity::Warning
            }
        };
        let _ = writeln!(
            out,
            "{}:1:1: {severity}: {}",
            skipped.path.display(),
            skipped.reason
        );
    }
    for (path, diagnostics) in &results {
        for d in diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {}",
                path.display(),
                d.line,
                d.column,
                d.severity,
                d.message
            );
        }
    }
    for line in site::unused_image_lines(paths) {
        warnings += 1;
        let _ = writeln!(out, "{line}");
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    eprintln!(
        "checked {}: {}, {}",
        count(results.len(), "file", "files"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A post as JSON: front matter values as Jekyll reads them (dates as their text), and the body.
pub fn post_json(post: &Post) -> Result<serde_json::Value> {
    let block = post.block()?;
    let mut front = serde_json::Map::new();
    if let Some(block) = block {
        for (key, value) in &block.mapping {
            front.insert(yaml_block::key_to_string(key), yaml_to_json(value));
        }
    }
    let mut root = serde_json::Map::new();
    root.insert("front_matter".into(), serde_json::Value::Object(front));
    root.insert(
        "body".into(),
        serde_json::Value::String(post.body().to_string()),
    );
    Ok(serde_json::Value::Object(root))
}

fn yaml_to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(
                        || serde_json::Value::String(n.to_string()),
                        serde_json::Value::Number,
                    )
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => {
            serde_json::Value::Array(items.iter().map(yaml_to_json).collect())
        }
        Value::Mapping(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| (yaml_block::key_to_string(k), yaml_to_json(v)))
                .collect(),
        ),
        Value::Tagged(tagged) => yaml_to_json(&tagged.value),
    }
}

fn located(path: &Path, err: &Error) -> String {
    match err.location() {
        Some((line, column)) => format!("{}:{line}:{column}: {err}", path.display()),
        None => format!("{}: {err}", path.display()),
    }
}

fn located_front_matter(path: &Path, post: &Post, err: Error) -> String {
    match post.front_matter().and_then(|f| f.error()) {
        Some(e) => format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message),
        None => located(path, &err),
    }
}

fn show_command(path: &Path, json: bool, out: &mut impl Write) -> Result<(), String> {
    let post = fsio::read_post(path).map_err(|e| located(path, &e))?;
    let value = post_json(&post).map_err(|e| located_front_matter(path, &post, e))?;
    let text = if json {
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
    } else {
        let mut text = String::new();
        for key in post.keys() {
            let shown = post
                .get(&key)
                .map(|v| yaml_to_json(v).to_string())
                .unwrap_or_default();
            text.push_str(&format!("{key}: {shown}\n"));
        }
        text.push_str(&format!(
            "\n{} words of body\n",
            crate::markdown::stats(post.body()).words
        ));
        text
    };
    writeln!(out, "{text}").map_err(|e| e.to_string())
}

/// Applies `KEY=VALUE` assignments to a post; all or nothing. How VALUE is read depends on
/// the field registry (`crate::post::registry`): text fields take the text typed, `published`
/// takes a boolean, list fields a list or space-separated words; `a.b=x` edits inside a map.
pub fn apply_assignments(post: &mut Post, assignments: &[String], as_string: bool) -> Result<bool> {
    let mut changed = false;
    for assignment in assignments {
        let Some((key, raw)) = assignment.split_once('=') else {
            return Err(Error::InvalidValue {
                key: assignment.clone(),
                reason: "expected KEY=VALUE".into(),
            });
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::InvalidValue {
                key: assignment.clone(),
                reason: "the key is empty".into(),
            });
        }
        changed |= crate::post::assign::assign(post, key, raw, as_string)?;
    }
    Ok(changed)
}

fn set_command(
    path: &Path,
    assignments: &[String],
    as_string: bool,
    out: &mut impl Write,
) -> Result<(), String> {
    let mut post = fsio::read_post(path).map_err(|e| located(path, &e))?;
    let changed = apply_assignments(&mut post, assignments, as_string).map_err(|e| match e {
        Error::FrontMatterInvalid { .. } => located_front_matter(path, &post, e),
        other => format!("{}: {other} (file left unchanged)", path.display()),
    })?;
    if changed {
        fsio::write_atomic(path, post.to_text().as_bytes()).map_err(|e| e.to_string())?;
        writeln!(out, "updated {}", path.display()).map_err(|e| e.to_string())
    } else {
        writeln!(out, "unchanged {}", path.display()).map_err(|e| e.to_string())
    }
}

fn new_command(
    title: &str,
    date: Option<&str>,
    dir: Option<&Path>,
    is_draft: bool,
    out: &mut impl Write,
) -> Result<(), String> {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => {
            let conventional = PathBuf::from(if is_draft { "_drafts" } else { "_posts" });
            if conventional.is_dir() {
                conventional
            } else {
                PathBuf::from(".")
            }
        }
    };
    let path =
        crate::new_post::create_post(title, date, &dir, is_draft).map_err(|e| e.to_string())?;
    writeln!(out, "{}", path.display()).map_err(|e| e.to_string())
}
