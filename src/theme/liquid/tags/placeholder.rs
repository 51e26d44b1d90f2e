//! Stand-ins for what Byline cannot run — tags and filters of Jekyll plugins — so the page
//! still renders: an unknown tag shows as a visible placeholder
//! (`<span class="byline-unsupported" title="…">{% name args %}</span>`), an unknown filter
//! passes its input through unchanged (Jekyll's `strict_filters: false` does the same).

use super::literal_markup;
use crate::export::escape_html;
use liquid_core::parser::{FilterArguments, ParameterReflection, TagBlock, TagTokenIter};
use liquid_core::{
    BlockReflection, Filter, FilterReflection, Language, ParseBlock, ParseFilter, ParseTag,
    Renderable, Result, Runtime, TagReflection, Value, ValueView,
};
use std::fmt;
use std::io::Write;

/// The placeholder's HTML for `shown` (the tag's text), naming the tag in the tooltip.
fn placeholder_html(name: &str, shown: &str) -> String {
    format!(
        "<span class=\"byline-unsupported\" title=\"{}\">{}</span>",
        escape_html(&format!(
            "Byline cannot run the Liquid tag '{name}' (a Jekyll plugin); `jekyll build` would"
        )),
        escape_html(shown)
    )
}

/// The tag's text as written (`{% name args %}`).
fn tag_text(name: &str, markup: &str) -> String {
    if markup.is_empty() {
        format!("{{% {name} %}}")
    } else {
        format!("{{% {name} {markup} %}}")
    }
}

/// A simple tag Byline does not know.
#[derive(Debug, Clone)]
pub struct PlaceholderTag {
    name: String,
}

impl PlaceholderTag {
    /// A placeholder for the tag `name`.
    pub fn new(name: &str) -> PlaceholderTag {
        PlaceholderTag {
            name: name.to_string(),
        }
    }
}

impl TagReflection for PlaceholderTag {
    fn tag(&self) -> &str {
        &self.name
    }
    fn description(&self) -> &str {
        "A tag Byline cannot run, shown as a placeholder"
    }
}

impl ParseTag for PlaceholderTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let markup = literal_markup(&mut arguments)?.0;
        Ok(Box::new(Placeholder {
            html: placeholder_html(&self.name, &tag_text(&self.name, &markup)),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// A block tag Byline does not know (its body is not run).
#[derive(Debug, Clone)]
pub struct PlaceholderBlock {
    name: String,
    end: String,
}

impl PlaceholderBlock {
    /// A placeholder for the block `name` … `endname`.
    pub fn new(name: &str) -> PlaceholderBlock {
        PlaceholderBlock {
            name: name.to_string(),
            end: format!("end{name}"),
        }
    }
}

impl BlockReflection for PlaceholderBlock {
    fn start_tag(&self) -> &str {
        &self.name
    }
    fn end_tag(&self) -> &str {
        &self.end
    }
    fn description(&self) -> &str {
        "A block Byline cannot run, shown as a placeholder"
    }
}

impl ParseBlock for PlaceholderBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let markup = literal_markup(&mut arguments)?.0;
        block.escape_liquid(true)?;
        block.assert_empty();
        let shown = format!(
            "{}…{}",
            tag_text(&self.name, &markup),
            tag_text(&self.end, "")
        );
        Ok(Box::new(Placeholder {
            html: placeholder_html(&self.name, &shown),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A parsed placeholder.
#[derive(Debug)]
struct Placeholder {
    html: String,
}

impl Renderable for Placeholder {
    fn render_to(&self, writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        writer
            .write_all(self.html.as_bytes())
            .map_err(|error| liquid_core::Error::with_msg(error.to_string()))
    }
}

/// A filter Byline does not know: passes its input through.
#[derive(Debug, Clone)]
pub struct PassthroughFilter {
    name: String,
}

impl PassthroughFilter {
    /// A stand-in for the filter `name`.
    pub fn new(name: &str) -> PassthroughFilter {
        PassthroughFilter {
            name: name.to_string(),
        }
    }
}

impl FilterReflection for PassthroughFilter {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> &str {
        "A filter Byline does not know: its input is passed through"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for PassthroughFilter {
    fn parse(&self, _arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(Passthrough {
            name: self.name.clone(),
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

/// A parsed pass-through filter.
#[derive(Debug)]
struct Passthrough {
    name: String,
}

impl fmt::Display for Passthrough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl Filter for Passthrough {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        Ok(input.to_value())
    }
}
