//! Ruby Liquid's "blank" blocks: an `if`, `unless`, `case` or `for` whose every branch holds only
//! whitespace and tags that write nothing (`assign`, `capture`, `comment`, and such blocks
//! themselves) writes nothing at all — its whitespace is dropped. `jekyll build` wrote "" for
//! `{% if true %}\n   {% assign x = 1 %}\n{% endif %}`, where the `liquid` crate writes the
//! line breaks and spaces.

use super::location::LINE_TAG;
use liquid_core::parser::{BlockElement, TagBlock};
use liquid_core::runtime::Template;
use liquid_core::{Language, Renderable, Result};
use std::cell::Cell;

thread_local! {
    /// Whether the block parsed last (on this thread) was blank; read by the block around it.
    static LAST_BLOCK_BLANK: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Records, at the end of a block's parse, whether it was blank.
pub fn record_block_blank(blank: bool) {
    LAST_BLOCK_BLANK.with(|last| last.set(Some(blank)));
}

/// Tags that write nothing (Ruby's `blank?` is true for them).
const SILENT_TAGS: &[&str] = &["assign", "capture", "comment", LINE_TAG];

/// Blocks of Byline's own that record their blankness.
const RECORDING_BLOCKS: &[&str] = &["if", "unless", "case", "for"];

/// Whitespace as Ruby's `\s`.
fn is_ruby_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// One branch's body being parsed, remembering what makes it blank or not.
#[derive(Default)]
pub struct Body {
    elements: Vec<Box<dyn Renderable>>,
    /// Positions of the whitespace-only texts (dropped when the whole block is blank).
    whitespace: Vec<usize>,
    blank: bool,
}

impl Body {
    /// An empty body (blank until something is written).
    pub fn new() -> Body {
        Body {
            blank: true,
            ..Body::default()
        }
    }

    /// Whether everything so far writes nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.blank
    }

    /// Parses `element` (from `block`) into the body.
    pub fn push<'a>(
        &mut self,
        element: BlockElement<'a>,
        block: &mut TagBlock<'a, '_>,
        options: &Language,
    ) -> Result<()> {
        let tag_name = match &element {
            BlockElement::Raw(raw) => {
                if raw.as_str().trim_matches(is_ruby_space).is_empty() {
                    self.whitespace.push(self.elements.len());
                } else {
                    self.blank = false;
                }
                None
            }
            BlockElement::Tag(tag) => Some(tag.name().to_string()),
            BlockElement::Expression(_) | BlockElement::Invalid(_) => {
                self.blank = false;
                None
            }
        };
        LAST_BLOCK_BLANK.with(|last| last.set(None));
        let parsed = element.parse(block, options)?;
        if let Some(name) = tag_name {
            let silent = if SILENT_TAGS.contains(&name.as_str()) {
                true
            } else if RECORDING_BLOCKS.contains(&name.as_str()) {
                LAST_BLOCK_BLANK.with(|last| last.take()).unwrap_or(false)
            } else {
                false
            };
            self.blank &= silent;
        }
        self.elements.push(parsed);
        Ok(())
    }

    /// The body's template; without its whitespace when `block_blank` (the whole block, every
    /// branch, is blank).
    pub fn build(self, block_blank: bool) -> Template {
        if !block_blank {
            return Template::new(self.elements);
        }
        let whitespace = self.whitespace;
        let kept = self
            .elements
            .into_iter()
            .enumerate()
            .filter(|(position, _)| !whitespace.contains(position))
            .map(|(_, element)| element)
            .collect();
        Template::new(kept)
    }
}
