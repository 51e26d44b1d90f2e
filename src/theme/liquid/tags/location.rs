//! Where a rendering is: which file (the page, a layout or an include) and which line, so a
//! render error can say "file:line". The `liquid` crate's render errors carry no position, so
//! the prepared text has a tiny marker tag before each line's first tag or output
//! (`{% byline_line 12 %}`, see `scan`), which records the line as it renders.
//!
//! The record is per thread (a rendering runs on one thread) and is set up by
//! [`RenderTrace::begin`] around each top-level rendering.

use crate::theme::liquid::LiquidProblem;
use liquid_core::parser::TagTokenIter;
use liquid_core::{Language, ParseTag, Renderable, Result, Runtime, TagReflection, ValueView};
use std::cell::RefCell;
use std::io::Write;

/// The name of the marker tag the scan inserts.
pub const LINE_TAG: &str = "byline_line";

/// How deep includes may nest before the rendering stops (Liquid's own limit is 100).
pub const MAX_INCLUDE_DEPTH: usize = 100;

/// How many loop iterations one rendering (a page, or one layout) may run before Byline stops
/// it: `{% for i in (1..10000000) %}` would otherwise keep the preview busy for minutes with no
/// way out. Generous for real sites: a 10 000-post archive looping over posts and their tags
/// runs well under it.
pub const MAX_LOOP_ITERATIONS: u64 = 1_000_000;

/// How deep blocks (`if`, `for`, `case`, …) and includes may be inside each other while
/// rendering. The scan keeps each file within Liquid's 100 nested blocks, but includes nest
/// files inside each other (Ruby's Liquid allows 100 files × 99 `if`s) and the `liquid` crate
/// renders recursively: 2 000 levels overflowed a 2 MiB stack and aborted Byline. Real themes
/// nest a few dozen levels.
pub const MAX_RENDER_DEPTH: usize = 400;

/// A file being rendered and the line reached in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLine {
    /// The file, as problems name it.
    pub file: String,
    /// The 1-based line of the last tag or output started.
    pub line: usize,
}

/// The files being rendered (the page or layout, then each include inside it) and, once
/// something failed, where.
#[derive(Debug, Default)]
pub struct RenderTrace {
    /// Innermost last.
    files: Vec<FileLine>,
    /// Where the first error happened (set by the innermost include that saw it fail).
    failure: Option<FileLine>,
    /// Problems met on the way that did not stop the rendering (unknown tags in includes,
    /// deprecated `post_url` names).
    notes: Vec<LiquidProblem>,
    /// Loop iterations run so far (see [`MAX_LOOP_ITERATIONS`]).
    loop_iterations: u64,
    /// Blocks being rendered inside each other (see [`MAX_RENDER_DEPTH`]).
    block_depth: usize,
}

/// One level of [`RenderTrace::deeper`]; leaving it (when dropped) gives the level back.
#[derive(Debug)]
pub struct DepthGuard {
    /// Keeps the guard from being made elsewhere.
    _private: (),
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            trace.block_depth = trace.block_depth.saturating_sub(1);
        });
    }
}

/// What a finished rendering left behind.
#[derive(Debug, Default)]
pub struct Finished {
    /// Where it failed, when it did: the innermost file and line reached.
    pub failure: Option<FileLine>,
    /// Problems that did not stop it.
    pub notes: Vec<LiquidProblem>,
}

thread_local! {
    static TRACE: RefCell<RenderTrace> = RefCell::new(RenderTrace::default());
}

impl RenderTrace {
    /// Starts tracing a top-level rendering of `file`; returns what was traced before (a
    /// rendering inside a rendering), to give back to [`RenderTrace::end`].
    pub fn begin(file: &str) -> RenderTrace {
        TRACE.with(|trace| {
            std::mem::replace(
                &mut *trace.borrow_mut(),
                RenderTrace {
                    files: vec![FileLine {
                        file: file.to_string(),
                        line: 1,
                    }],
                    failure: None,
                    notes: Vec::new(),
                    loop_iterations: 0,
                    block_depth: 0,
                },
            )
        })
    }

    /// Ends the rendering begun by [`RenderTrace::begin`]: where it failed (the innermost file
    /// and line), restoring `previous`.
    pub fn end(previous: RenderTrace) -> Finished {
        TRACE.with(|trace| {
            let finished = std::mem::replace(&mut *trace.borrow_mut(), previous);
            Finished {
                failure: finished.failure.or_else(|| finished.files.last().cloned()),
                notes: finished.notes,
            }
        })
    }

    /// Notes a problem that does not stop the rendering, at the current file and line.
    pub fn warn(message: String) {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            let at = trace.files.last().cloned().unwrap_or(FileLine {
                file: String::new(),
                line: 1,
            });
            let problem = LiquidProblem {
                file: at.file,
                line: at.line,
                message,
            };
            if !trace.notes.contains(&problem) {
                trace.notes.push(problem);
            }
        });
    }

    /// Notes `problems` (an included file's unknown tags and filters), each once.
    pub fn note_problems(problems: &[LiquidProblem]) {
        if problems.is_empty() {
            return;
        }
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            for problem in problems {
                if !trace.notes.contains(problem) {
                    trace.notes.push(problem.clone());
                }
            }
        });
    }

    /// Counts one loop iteration; false when the rendering has run more than
    /// [`MAX_LOOP_ITERATIONS`] and must stop.
    pub fn count_loop_iteration() -> bool {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            trace.loop_iterations = trace.loop_iterations.saturating_add(1);
            trace.loop_iterations <= MAX_LOOP_ITERATIONS
        })
    }

    /// Enters a block being rendered; an error (Liquid's "Nesting too deep") when blocks and
    /// includes are already [`MAX_RENDER_DEPTH`] deep.
    pub fn deeper() -> Result<DepthGuard> {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            if trace.block_depth + trace.files.len() >= MAX_RENDER_DEPTH {
                return Err(liquid_core::Error::with_msg(format!(
                    "Nesting too deep: blocks and includes inside each other went {MAX_RENDER_DEPTH} \
                     levels deep"
                )));
            }
            trace.block_depth += 1;
            Ok(DepthGuard { _private: () })
        })
    }

    /// Records the line reached in the innermost file.
    fn set_line(line: usize) {
        TRACE.with(|trace| {
            if let Some(current) = trace.borrow_mut().files.last_mut() {
                current.line = line;
            }
        });
    }

    /// Enters an included file; false (and nothing entered) when includes nest too deep.
    pub fn enter(file: &str) -> bool {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            if trace.files.len() > MAX_INCLUDE_DEPTH
                || trace.block_depth + trace.files.len() >= MAX_RENDER_DEPTH
            {
                return false;
            }
            trace.files.push(FileLine {
                file: file.to_string(),
                line: 1,
            });
            true
        })
    }

    /// Leaves the innermost included file; when it `failed`, remembers where (unless an
    /// include inside it already did).
    pub fn leave(failed: bool) {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            if failed && trace.failure.is_none() {
                trace.failure = trace.files.last().cloned();
            }
            trace.files.pop();
        });
    }

    /// Records that the rendering failed at `location` (a parse error in an include), unless a
    /// deeper failure was already recorded.
    pub fn fail_at(location: FileLine) {
        TRACE.with(|trace| {
            let mut trace = trace.borrow_mut();
            if trace.failure.is_none() {
                trace.failure = Some(location);
            }
        });
    }

    /// The innermost file being rendered and its line.
    pub fn current() -> Option<FileLine> {
        TRACE.with(|trace| trace.borrow().files.last().cloned())
    }

    /// The top-level file of the rendering (the page or layout given to `render`).
    pub fn top_file() -> Option<String> {
        TRACE.with(|trace| trace.borrow().files.first().map(|first| first.file.clone()))
    }
}

/// `{% byline_line N %}`: records line N (renders nothing).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineTag;

impl TagReflection for LineTag {
    fn tag(&self) -> &str {
        LINE_TAG
    }
    fn description(&self) -> &str {
        "Byline's line marker (inserted by the scan, renders nothing)"
    }
}

impl ParseTag for LineTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let token = arguments.expect_next("line number expected")?;
        let line = token
            .expect_literal()
            .into_result()?
            .as_scalar()
            .and_then(|scalar| scalar.to_integer())
            .and_then(|line| usize::try_from(line).ok())
            .unwrap_or(1);
        Ok(Box::new(LineMarker { line }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// A parsed line marker.
#[derive(Debug)]
struct LineMarker {
    line: usize,
}

impl Renderable for LineMarker {
    fn render_to(&self, _writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        RenderTrace::set_line(self.line);
        Ok(())
    }
}
