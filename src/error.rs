//! The one error type of Byline's model: every failure a user can meet, worded for that user.

use std::path::PathBuf;

/// Everything that can go wrong while reading, editing or writing a post.
///
/// Each variant carries what the user needs to find and fix the problem (a path, a line, the
/// offending text), so the UI and the command line can show it without adding context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read; the OS reason is kept so the user knows whether to fix
    /// permissions, the path or the disk.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that failed.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file could not be written; the original on disk is untouched.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file that failed.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Byline edits UTF-8 only; saying where the bad byte is lets the user find it.
    #[error(
        "not valid UTF-8 (bad byte at line {line}, byte offset {offset}); Byline only edits UTF-8 text"
    )]
    InvalidUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// UTF-16 posts exist (Jekyll reads them with an `encoding` setting) but cannot be edited here.
    #[error(
        "the file is UTF-16 encoded; Byline only edits UTF-8 text (convert it first, e.g. with iconv)"
    )]
    Utf16,
    /// A NUL byte means this is not a text post at all (an image or archive given by mistake).
    #[error("binary content (NUL byte at line {line}); this is not a text post")]
    Binary {
        /// 1-based line of the first NUL byte.
        line: usize,
    },
    /// An opening `---` without a closing line: Jekyll would publish the YAML as text.
    #[error(
        "front matter opened on line 1 is never closed: add a line `---` after it (Jekyll would treat the whole file as content)"
    )]
    UnclosedFrontMatter,
    /// YAML syntax error, with the line counted in the whole file.
    #[error("{message}")]
    Yaml {
        /// 1-based line in the file.
        line: usize,
        /// 1-based column.
        column: usize,
        /// libyaml's description, without its own position suffix.
        message: String,
    },
    /// Jekyll needs a map of keys; a list or a bare scalar silently loses all metadata.
    #[error("front matter must be a map of `key: value` lines, but it is {found}")]
    NotAMap {
        /// 1-based line in the file where the YAML starts.
        line: usize,
        /// What the YAML is instead ("a list", "a string"...).
        found: &'static str,
    },
    /// A date Jekyll would reject or misread.
    #[error("invalid date `{text}`: {reason}")]
    InvalidDate {
        /// The date text as written.
        text: String,
        /// Why it is not a date.
        reason: String,
        /// Whether the text is unreadable or reads as a day or time that does not exist.
        problem: DateProblem,
    },
    /// Typed edits are refused while the YAML does not parse, so nothing half-parsed is written.
    #[error("the front matter has an error ({reason}); fix it in the raw YAML first")]
    FrontMatterInvalid {
        /// The parse problem, already located.
        reason: String,
    },
    /// A field edit that cannot be done without touching bytes the user did not edit.
    #[error("cannot set `{key}`: {reason}")]
    Edit {
        /// The key being edited.
        key: String,
        /// Why the edit was refused.
        reason: String,
    },
    /// A value given on the command line or in a field that is not the YAML it should be.
    #[error("invalid value for `{key}`: {reason}")]
    InvalidValue {
        /// The key being set.
        key: String,
        /// What is wrong with the value.
        reason: String,
    },
    /// Byline never overwrites an existing file when creating one.
    #[error("{} already exists; Byline will not overwrite it", path.display())]
    AlreadyExists {
        /// The file that is in the way.
        path: PathBuf,
    },
    /// Publishing could not be done as asked; the reason says what to fix.
    #[error("export failed: {reason}")]
    Export {
        /// What stopped the export.
        reason: String,
    },
    /// The post has problems that stop an export (no title, no date, an impossible date…);
    /// each is located in the file.
    #[error("{}", problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; "))]
    NotPublishable {
        /// The error diagnostics, in the order found.
        problems: Vec<crate::diagnostic::Diagnostic>,
    },
    /// The file on disk changed since it was opened; saving would overwrite someone's work.
    #[error("{} changed on disk since it was opened; reload it or save elsewhere", path.display())]
    ChangedOnDisk {
        /// The file that changed.
        path: PathBuf,
    },
    /// Only regular files are read or written: a FIFO would hang the program and a device
    /// would be replaced by a plain file.
    #[error("{} is {kind}, not a regular file; Byline only reads and writes regular files", path.display())]
    NotRegularFile {
        /// The path given.
        path: PathBuf,
        /// What it is instead ("a FIFO (named pipe)", "a character device"...).
        kind: &'static str,
    },
    /// A file too large to be a post or an image worth embedding; it is refused before it is
    /// read so a huge file cannot exhaust memory.
    #[error("{} is {size_bytes} bytes, over Byline's limit of {limit_bytes} bytes for {what}", path.display())]
    TooLarge {
        /// The file refused.
        path: PathBuf,
        /// Its size.
        size_bytes: u64,
        /// The limit it exceeds.
        limit_bytes: u64,
        /// What kind of file the limit is for ("a post", "an image").
        what: &'static str,
    },
    /// The file's permissions say it must not be written; the user can save elsewhere.
    #[error("{} is read-only; save it under another name, or make it writable first", path.display())]
    ReadOnly {
        /// The read-only file (after following symbolic links).
        path: PathBuf,
    },
    /// An export target already holds something else (another post, a hand-written page, or a
    /// page not written by this export); the caller decides whether to overwrite (`force`).
    #[error("{} already exists with different content", path.display())]
    TargetExists {
        /// The file that is in the way.
        path: PathBuf,
    },
}

/// What is wrong with a date, so callers can weigh it without reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// The text is not in a form Byline reads (Ruby's lenient parser may still read it).
    Unreadable,
    /// The text is well formed but names a day or time that does not exist (`2025-02-30`,
    /// `25:00`, an offset out of range): no parser accepts it.
    Impossible,
}

impl Error {
    /// Where the error points in the file (1-based line and column), for `path:line:col` output
    /// and for jumping to the problem in the editor.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Yaml { line, column, .. } => Some((*line, *column)),
            Error::InvalidUtf8 { line, .. } | Error::Binary { line } => Some((*line, 1)),
            Error::NotAMap { line, .. } => Some((*line, 1)),
            Error::UnclosedFrontMatter | Error::Utf16 => Some((1, 1)),
            _ => None,
        }
    }
}

/// Results of the model carry the model's one error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
