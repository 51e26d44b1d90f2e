//! Liquid as Jekyll runs it: the `liquid` crate with Jekyll's tags (`include`,
//! `include_relative`, `post_url`, `link`, `highlight`, `seo`, `feed_meta`) and filters
//! (`relative_url`, `date_to_xmlschema`, `markdownify`, `where`, …), errors located by file and
//! line, and tags Byline cannot run shown as visible placeholders.
//!
//! Jekyll's Liquid is lenient where the `liquid` crate is strict: undefined variables and
//! missing keys are `nil` (see `tags::lenient`), unknown filters pass their input through, and
//! (Byline's addition) unknown tags become placeholders instead of stopping the page. Each
//! template's text is first scanned (`tags::scan`) to find those names and to mark lines;
//! parsed templates are kept (by text for pages and layouts, by modification time for
//! includes), so re-rendering after an edit only parses what changed.
//!
//! Where the `liquid` crate's tags differ from Ruby's Liquid, Byline has its own: `for`
//! (`tags::for_loop`), `if`/`unless`/`case` (`tags::conditions`), and Liquid 5's `echo` and
//! `{% # %}` (Debian's Jekyll 4.3.1 runs Liquid 5.4). Every behaviour was checked with
//! `jekyll build`: tests/integration/theme_liquid.rs renders the probes of
//! tests/fixtures/theme-sites/liquid with both and wants the same bytes.
//!
//! Hostile or broken templates stop with a located problem instead of taking Byline down: more
//! than Liquid's 100 nested blocks (`scan::MAX_BLOCK_DEPTH`, Jekyll's "Nesting too deep"),
//! blocks and includes rendered more than `location::MAX_RENDER_DEPTH` deep, loops running more
//! than `location::MAX_LOOP_ITERATIONS` times in one rendering, and integer literals beyond 64
//! bits (the `liquid` crate's parser panics on them).

pub mod filters;
pub mod seo;
pub mod tags;

use liquid_core::parser::{Language, TagTokenIter};
use liquid_core::runtime::{RuntimeBuilder, Template};
use liquid_core::{ParseTag, Renderable, Runtime, TagReflection};
use ref_cast::RefCast;
use std::collections::HashMap;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::time::SystemTime;
use tags::lenient::{LenientObject, ScopeFrame};
use tags::location::RenderTrace;
use tags::scan::{KnownNames, Scanned, scan};

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

/// A template parsed and ready to render, with what its scan found unsupported.
pub struct Prepared {
    /// The parsed template.
    template: Template,
    /// Unknown tags (rendered as placeholders) and filters (passed through) in it.
    problems: Vec<LiquidProblem>,
}

/// When an include file was read: it is parsed again when this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    length_bytes: u64,
}

/// Parsed templates kept between renderings.
#[derive(Default)]
struct Caches {
    /// Pages and layouts by the name given to `render`: their text and its parse.
    by_name: HashMap<String, (String, Arc<Prepared>)>,
    /// Included files by path.
    by_path: HashMap<PathBuf, (FileStamp, Arc<Prepared>)>,
}

/// The engine's shared state, also reached by the tags (`include` parses files through it).
pub struct Engine {
    setup: LiquidSetup,
    /// The tags, blocks and filters really implemented (not placeholders).
    known: KnownNames,
    /// The language templates are parsed with (grows placeholders as unknown names appear).
    language: RwLock<Arc<Language>>,
    caches: Mutex<Caches>,
}

/// A Liquid engine with Jekyll's tags and filters for one site.
pub struct JekyllLiquid {
    engine: Arc<Engine>,
}

/// Captures the parser's `Language` when it parses `{% byline_language %}` (the `liquid`
/// crate keeps it private; the engine parses with `liquid_core` to render templates inside
/// each other's runtime).
#[derive(Clone)]
struct LanguageProbe {
    slot: Arc<Mutex<Option<Language>>>,
}

/// The probe's tag name.
const PROBE_TAG: &str = "byline_language";

impl TagReflection for LanguageProbe {
    fn tag(&self) -> &str {
        PROBE_TAG
    }
    fn description(&self) -> &str {
        "Byline's internal probe (renders nothing)"
    }
}

impl ParseTag for LanguageProbe {
    fn parse(
        &self,
        _arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(options.clone());
        Ok(Box::new(Nothing))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// Renders nothing.
#[derive(Debug)]
struct Nothing;

impl Renderable for Nothing {
    fn render_to(
        &self,
        _writer: &mut dyn Write,
        _runtime: &dyn Runtime,
    ) -> liquid_core::Result<()> {
        Ok(())
    }
}

/// The language of the parser `setup` describes, with the Jekyll tags reaching `engine`.
fn build_language(setup: &LiquidSetup, engine: &Weak<Engine>) -> Result<Language, String> {
    let slot = Arc::new(Mutex::new(None));
    let builder = liquid::ParserBuilder::with_stdlib();
    let builder = tags::register_jekyll_tags(builder, engine);
    let builder = filters::register_filters(builder, setup);
    let builder = seo::register_plugin_tags(builder, setup);
    let builder = builder.tag(LanguageProbe { slot: slot.clone() });
    let parser = builder.build().map_err(|error| error.to_string())?;
    parser
        .parse(&format!("{{% {PROBE_TAG} %}}"))
        .map_err(|error| error.to_string())?;
    let language = slot
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .ok_or_else(|| "the Liquid parser did not give its language".to_string())?;
    Ok(language)
}

/// The names `language` implements.
fn known_names(language: &Language) -> KnownNames {
    KnownNames {
        tags: language.tags.plugin_names().map(str::to_string).collect(),
        blocks: language
            .blocks
            .plugins()
            .map(|block| {
                let reflection = block.reflection();
                (
                    reflection.start_tag().to_string(),
                    reflection.end_tag().to_string(),
                )
            })
            .collect(),
        filters: language
            .filters
            .plugin_names()
            .map(str::to_string)
            .collect(),
    }
}

/// The line and a readable message of a `liquid` error. Parse errors carry their position only
/// in their text (pest's ` --> line:column`), so the line is read from there.
fn describe_error(error: &liquid_core::Error) -> (Option<usize>, String) {
    let text = error.to_string();
    let mut line = None;
    let mut parts: Vec<String> = Vec::new();
    for raw_line in text.lines() {
        let trimmed = raw_line.trim();
        if let Some((_, position)) = trimmed.split_once("-->") {
            line = line.or_else(|| {
                position
                    .trim()
                    .split(':')
                    .next()
                    .and_then(|number| number.parse::<usize>().ok())
            });
            continue;
        }
        if trimmed.is_empty()
            || trimmed == "with:"
            || trimmed.starts_with('|')
            || trimmed
                .split_once('|')
                .is_some_and(|(number, _)| number.trim().parse::<usize>().is_ok())
            || trimmed.starts_with("available ")
        {
            continue;
        }
        let part = trimmed
            .strip_prefix("liquid:")
            .or_else(|| trimmed.strip_prefix('='))
            .unwrap_or(trimmed)
            .trim();
        if !part.is_empty() && !parts.iter().any(|seen| seen == part) {
            parts.push(part.to_string());
        }
    }
    (line, parts.join("; "))
}

impl Engine {
    /// The site's setup.
    pub fn setup(&self) -> &LiquidSetup {
        &self.setup
    }

    /// `path` as problems name it: from the site root, `/`-separated, or absolute outside it.
    pub fn shown_path(&self, path: &Path) -> String {
        match path.strip_prefix(&self.setup.site_root) {
            Ok(inside) => inside
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => path.to_string_lossy().into_owned(),
        }
    }

    /// The language to parse `scanned` with: placeholders added for its unknown names.
    fn language_for(&self, scanned: &Scanned) -> Arc<Language> {
        let current = self
            .language
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let missing_tag =
            |name: &str| current.tags.get(name).is_none() && current.blocks.get(name).is_none();
        let needs_more = scanned
            .unknown_tags
            .iter()
            .any(|tag| missing_tag(&tag.name))
            || scanned
                .unknown_filters
                .iter()
                .any(|filter| current.filters.get(&filter.name).is_none());
        if !needs_more {
            return current;
        }
        let mut language = self
            .language
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let mut grown = Language::clone(&language);
        for tag in &scanned.unknown_tags {
            if grown.tags.get(&tag.name).is_some() || grown.blocks.get(&tag.name).is_some() {
                continue;
            }
            if tag.is_block {
                grown.blocks.register(
                    tag.name.clone(),
                    Box::new(tags::placeholder::PlaceholderBlock::new(&tag.name)),
                );
            } else {
                grown.tags.register(
                    tag.name.clone(),
                    Box::new(tags::placeholder::PlaceholderTag::new(&tag.name)),
                );
            }
        }
        for filter in &scanned.unknown_filters {
            if grown.filters.get(&filter.name).is_none() {
                grown.filters.register(
                    filter.name.clone(),
                    Box::new(tags::placeholder::PassthroughFilter::new(&filter.name)),
                );
            }
        }
        let grown = Arc::new(grown);
        *language = grown.clone();
        grown
    }

    /// Scans and parses `text`, the content of `file` (as problems name it).
    fn prepare_text(&self, file: &str, text: &str) -> Result<Prepared, LiquidProblem> {
        let scanned = scan(text, &self.known);
        if let Some(line) = scanned.nesting_too_deep_line {
            return Err(LiquidProblem {
                file: file.to_string(),
                line,
                message: format!(
                    "Liquid error: Nesting too deep (this block is inside {} others, Liquid's \
                     limit; Jekyll stops with the same error)",
                    tags::scan::MAX_BLOCK_DEPTH
                ),
            });
        }
        if let Some(number) = &scanned.oversized_integer {
            return Err(LiquidProblem {
                file: file.to_string(),
                line: number.line,
                message: format!(
                    "Byline cannot use the number {} in Liquid: it is beyond the 64-bit integers \
                     Byline handles (-9223372036854775808 to 9223372036854775807); Jekyll would \
                     use it as it is",
                    number.name
                ),
            });
        }
        let language = self.language_for(&scanned);
        let mut problems = Vec::new();
        for tag in &scanned.unknown_tags {
            problems.push(LiquidProblem {
                file: file.to_string(),
                line: tag.line,
                message: format!(
                    "Byline cannot run the Liquid tag '{}' (a plugin's tag); it is shown as a \
                     placeholder",
                    tag.name
                ),
            });
        }
        for filter in &scanned.unknown_filters {
            problems.push(LiquidProblem {
                file: file.to_string(),
                line: filter.line,
                message: format!(
                    "Byline does not know the Liquid filter '{}'; its input is passed through \
                     unchanged (as Jekyll does for unknown filters)",
                    filter.name
                ),
            });
        }
        problems.sort_by_key(|problem| problem.line);
        let parsed = catch_unwind(AssertUnwindSafe(|| {
            liquid_core::parser::parse(&scanned.text, &language)
        }));
        match parsed {
            Ok(Ok(elements)) => Ok(Prepared {
                template: Template::new(elements),
                problems,
            }),
            Ok(Err(error)) => {
                let (line, message) = describe_error(&error);
                Err(LiquidProblem {
                    file: file.to_string(),
                    line: line.unwrap_or(1),
                    message: format!("Liquid syntax error: {message}"),
                })
            }
            Err(_) => Err(LiquidProblem {
                file: file.to_string(),
                line: 1,
                message: "The Liquid parser failed on this file".to_string(),
            }),
        }
    }

    /// The parse of `text` named `name`, from the cache when the text is unchanged.
    fn prepare_named(&self, name: &str, text: &str) -> Result<Arc<Prepared>, LiquidProblem> {
        {
            let caches = self.caches.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((cached_text, prepared)) = caches.by_name.get(name)
                && cached_text == text
            {
                return Ok(prepared.clone());
            }
        }
        let prepared = Arc::new(self.prepare_text(name, text)?);
        self.caches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_name
            .insert(name.to_string(), (text.to_string(), prepared.clone()));
        Ok(prepared)
    }

    /// The parse of the file at `path` (shown as `shown`), read again only when it changed on
    /// disk.
    pub fn prepare_file(&self, path: &Path, shown: &str) -> Result<Arc<Prepared>, LiquidProblem> {
        let unreadable = |error: std::io::Error| LiquidProblem {
            file: shown.to_string(),
            line: 1,
            message: format!("Could not read the included file: {error}"),
        };
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        let stamp = FileStamp {
            modified: metadata.modified().ok(),
            length_bytes: metadata.len(),
        };
        {
            let caches = self.caches.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((cached_stamp, prepared)) = caches.by_path.get(path)
                && *cached_stamp == stamp
            {
                return Ok(prepared.clone());
            }
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let text = String::from_utf8_lossy(&bytes);
        let prepared = Arc::new(self.prepare_text(shown, &text)?);
        self.caches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_path
            .insert(path.to_path_buf(), (stamp, prepared.clone()));
        Ok(prepared)
    }
}

impl JekyllLiquid {
    /// An engine for the site `setup` describes.
    pub fn new(setup: LiquidSetup) -> Result<JekyllLiquid, LiquidProblem> {
        let mut build_error = None;
        let engine = Arc::new_cyclic(|weak: &Weak<Engine>| {
            let language = match build_language(&setup, weak) {
                Ok(language) => language,
                Err(error) => {
                    build_error = Some(error);
                    Language::empty()
                }
            };
            Engine {
                known: known_names(&language),
                language: RwLock::new(Arc::new(language)),
                caches: Mutex::new(Caches::default()),
                setup,
            }
        });
        if let Some(message) = build_error {
            return Err(LiquidProblem {
                file: String::new(),
                line: 1,
                message,
            });
        }
        Ok(JekyllLiquid { engine })
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
        let prepared = self.engine.prepare_named(file, template)?;
        let previous = RenderTrace::begin(file);
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            let root = LenientObject::ref_cast(globals);
            let runtime = RuntimeBuilder::new().set_globals(root).build();
            let arena = typed_arena::Arena::new();
            let scope = ScopeFrame::new(&runtime, &arena);
            let mut output = Vec::with_capacity(template.len() * 2);
            prepared
                .template
                .render_to(&mut output, &scope)
                .map(|()| output)
        }));
        let finished = RenderTrace::end(previous);
        let location = finished.failure.unwrap_or(tags::location::FileLine {
            file: file.to_string(),
            line: 1,
        });
        match rendered {
            Ok(Ok(output)) => {
                let html = String::from_utf8(output)
                    .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
                let mut problems = prepared.problems.clone();
                for note in finished.notes {
                    if !problems.contains(&note) {
                        problems.push(note);
                    }
                }
                Ok((html, problems))
            }
            Ok(Err(error)) => {
                let (_, message) = describe_error(&error);
                Err(LiquidProblem {
                    file: location.file,
                    line: location.line,
                    message: format!("Liquid error: {message}"),
                })
            }
            Err(_) => Err(LiquidProblem {
                file: location.file,
                line: location.line,
                message: "The Liquid renderer failed here".to_string(),
            }),
        }
    }
}
