//! A Jekyll post as an exact copy of its file's text, with typed, surgical edits of its front
//! matter: writing back an unchanged post gives the same bytes, and an edit touches only the
//! lines of the field it changes.

pub mod assign;
pub mod check;
pub mod date;
pub mod fields;
pub mod list_edit;
pub mod map_edit;
pub mod psych;
pub mod raw_edit;
pub mod registry;
pub mod scalar;
pub mod template;
pub mod text;
pub mod yaml_block;

use crate::error::{Error, Result};
pub use date::PostDate;
use text::{LineEnding, UTF8_BOM, lines_with_offsets, strip_eol};
use yaml_block::Block;

/// The front-matter block of a post: its fences and YAML exactly as written, and what the YAML
/// means (or why it could not be read).
#[derive(Debug, Clone)]
pub struct FrontMatter {
    open_fence: String,
    yaml: String,
    close_fence: String,
    parsed: Result<Block, String>,
    error: Option<ErrorSummary>,
}

/// A front-matter error kept beside the raw text (the error type itself is not `Clone`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSummary {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl FrontMatter {
    fn new(open_fence: String, yaml: String, close_fence: String) -> FrontMatter {
        let mut front = FrontMatter {
            open_fence,
            yaml,
            close_fence,
            parsed: Err(String::new()),
            error: None,
        };
        front.reparse();
        front
    }

    fn reparse(&mut self) {
        match Block::parse(&self.yaml, 2) {
            Ok(block) => {
                self.parsed = Ok(block);
                self.error = None;
            }
            Err(err) => {
                let (line, column) = err.location().unwrap_or((2, 1));
                let message = err.to_string();
                self.parsed = Err(format!("line {line}: {message}"));
                self.error = Some(ErrorSummary {
                    line,
                    column,
                    message,
                });
            }
        }
    }

    /// The YAML between the fences, exactly as in the file.
    pub fn yaml(&self) -> &str {
        &self.yaml
    }

    /// The parsed block, or why it does not parse.
    pub fn block(&self) -> Result<&Block, &str> {
        self.parsed.as_ref().map_err(String::as_str)
    }

    /// The parse error, located in the file, when the YAML does not parse.
    pub fn error(&self) -> Option<&ErrorSummary> {
        self.error.as_ref()
    }
}

/// One post file: BOM, front matter and body, each kept exactly as read.
#[derive(Debug, Clone)]
pub struct Post {
    has_bom: bool,
    front: Option<FrontMatter>,
    is_front_matter_unclosed: bool,
    body: String,
    eol: LineEnding,
}

/// True for a fence line: `---` (or `...` when closing) followed only by spaces or tabs.
fn is_fence(line: &str, allow_dots: bool) -> bool {
    let content = strip_eol(line).trim_end_matches([' ', '\t']);
    content == "---" || (allow_dots && content == "...")
}

impl Post {
    /// Reads a post from a file's bytes. Fails only for bytes that are not UTF-8 text; a post
    /// whose front matter does not parse still opens, with the error available.
    pub fn parse(bytes: &[u8]) -> Result<Post> {
        text::decode(bytes).map(Post::from_text)
    }

    /// Reads a post from text (Jekyll's rules: front matter only at the very start).
    pub fn from_text(text: &str) -> Post {
        let (has_bom, text) = match text.strip_prefix(UTF8_BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let eol = LineEnding::detect(text);
        let mut post = Post {
            has_bom,
            front: None,
            is_front_matter_unclosed: false,
            body: text.to_string(),
            eol,
        };
        let mut lines = lines_with_offsets(text);
        let Some((_, first)) = lines.next() else {
            return post;
        };
        if !first.ends_with('\n') || !is_fence(first, false) {
            return post;
        }
        for (start, line) in lines {
            if is_fence(line, true) {
                let yaml_start = first.len();
                let body_start = start + line.len();
                post.front = Some(FrontMatter::new(
                    first.to_string(),
                    text.get(yaml_start..start).unwrap_or("").to_string(),
                    line.to_string(),
                ));
                post.body = text.get(body_start..).unwrap_or("").to_string();
                return post;
            }
        }
        post.is_front_matter_unclosed = true;
        post
    }

    /// The file's text, byte-identical to what was read when nothing was edited.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.len_bytes());
        if self.has_bom {
            out.push_str(UTF8_BOM);
        }
        if let Some(front) = &self.front {
            out.push_str(&front.open_fence);
            out.push_str(&front.yaml);
            out.push_str(&front.close_fence);
        }
        out.push_str(&self.body);
        out
    }

    /// Size of the file this post writes, in bytes.
    pub fn len_bytes(&self) -> usize {
        let front = self.front.as_ref().map_or(0, |f| {
            f.open_fence.len() + f.yaml.len() + f.close_fence.len()
        });
        front + self.body.len() + if self.has_bom { UTF8_BOM.len() } else { 0 }
    }

    /// The front matter, when the file has one.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        self.front.as_ref()
    }

    /// The Markdown body: everything after the closing fence.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The body for in-place editing (the editor's text widget edits it directly, so a large
    /// post is not copied on every keystroke).
    pub fn body_mut(&mut self) -> &mut String {
        &mut self.body
    }

    /// Replaces the body; the front matter is untouched.
    pub fn set_body(&mut self, body: impl Into<String>) {
        self.body = body.into();
    }

    /// 1-based file line where the body starts, for mapping body positions to file lines.
    pub fn body_first_line(&self) -> usize {
        self.front.as_ref().map_or(1, |f| {
            2 + f.yaml.matches('\n').count() + usize::from(f.close_fence.ends_with('\n'))
        })
    }

    /// The line ending new lines get: the file's own.
    pub fn line_ending(&self) -> LineEnding {
        self.eol
    }

    /// True when the file starts with `---` that is never closed (Jekyll then publishes the
    /// would-be front matter as text).
    pub fn is_front_matter_unclosed(&self) -> bool {
        self.is_front_matter_unclosed
    }

    /// The front-matter YAML as written (empty when there is none), for the raw editor.
    pub fn front_matter_text(&self) -> &str {
        self.front.as_ref().map_or("", |f| f.yaml.as_str())
    }

    /// Replaces the whole front-matter YAML with raw text typed by the user; kept as written
    /// even when it does not parse, so nothing is lost while the user fixes it.
    pub fn set_front_matter_text(&mut self, yaml: impl Into<String>) {
        let yaml = yaml.into();
        match &mut self.front {
            Some(front) => {
                if front.yaml != yaml {
                    front.yaml = yaml;
                    front.reparse();
                }
            }
            None if yaml.is_empty() => {}
            None => {
                let fence = format!("---{}", self.eol.as_str());
                let mut yaml = yaml;
                if !yaml.ends_with('\n') {
                    yaml.push_str(self.eol.as_str());
                }
                self.front = Some(FrontMatter::new(fence.clone(), yaml, fence));
                self.is_front_matter_unclosed = false;
            }
        }
    }

    /// The parsed front matter, or the error that stops typed edits. A post without front
    /// matter reads as an empty block.
    pub fn block(&self) -> Result<Option<&Block>> {
        if self.is_front_matter_unclosed {
            return Err(Error::UnclosedFrontMatter);
        }
        match &self.front {
            None => Ok(None),
            Some(front) => match &front.parsed {
                Ok(block) => Ok(Some(block)),
                Err(reason) => Err(Error::FrontMatterInvalid {
                    reason: reason.clone(),
                }),
            },
        }
    }

    /// The front-matter value of `key`, as Jekyll reads it.
    pub fn get(&self, key: &str) -> Option<&serde_yaml::Value> {
        self.front.as_ref()?.parsed.as_ref().ok()?.get(key)
    }

    /// Top-level keys in file order (a duplicated key where it first appears, as Psych keeps
    /// it), empty when unparsed.
    pub fn keys(&self) -> Vec<String> {
        self.block()
            .ok()
            .flatten()
            .map(|b| b.mapping.keys().map(yaml_block::key_to_string).collect())
            .unwrap_or_default()
    }

    /// True when the file starts with a TOML front matter fence (`+++`), which Jekyll does not
    /// read and Byline does not edit.
    pub fn is_toml_front_matter(&self) -> bool {
        self.front.is_none()
            && self
                .body
                .lines()
                .next()
                .is_some_and(|l| l.trim_end() == "+++")
    }

    /// Installs new YAML produced by a typed edit, making a front-matter block when the post
    /// had none.
    fn replace_yaml(&mut self, yaml: String) {
        self.set_front_matter_text(yaml);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_by_jekyll_rules_and_writes_back_exactly() {
        for text in [
            "---\ntitle: a\n---\nbody\n---\nmore",
            "---  \r\ntitle: a\r\n...\t\r\nbody",
            "\u{feff}---\ntitle: a\n---\n",
            "---\n---\nEmpty YAML.",
            "no front matter\n---\n",
            "---",
            "",
            "---\nnever closed\n",
            "+++\ntitle = 'toml'\n+++\n",
        ] {
            let post = Post::from_text(text);
            assert_eq!(post.to_text(), text);
            assert_eq!(post.len_bytes(), text.len());
        }
    }

    #[test]
    fn front_matter_and_body_are_found() {
        let post = Post::from_text("---\ntitle: Foo --- Bar\n---\nBody\n---\nNot YAML: x\n");
        assert_eq!(post.front_matter_text(), "title: Foo --- Bar\n");
        assert_eq!(post.body(), "Body\n---\nNot YAML: x\n");
        assert_eq!(
            post.get("title").and_then(|v| v.as_str()),
            Some("Foo --- Bar")
        );
        assert_eq!(post.body_first_line(), 4);
        let dots = Post::from_text("---\na: 1\n...\nbody");
        assert_eq!(dots.body(), "body");
    }

    #[test]
    fn unclosed_and_invalid_front_matter_keep_their_text() {
        let unclosed = Post::from_text("---\ntitle: a\nbody\n");
        assert!(unclosed.is_front_matter_unclosed());
        assert!(matches!(unclosed.block(), Err(Error::UnclosedFrontMatter)));
        let bad = Post::from_text("---\nbad yaml: [\n---\nbody\n");
        let err = bad.front_matter().unwrap().error().unwrap();
        assert_eq!((err.line, err.column), (2, 11));
        assert!(bad.block().is_err());
        assert_eq!(bad.to_text(), "---\nbad yaml: [\n---\nbody\n");
    }
}
