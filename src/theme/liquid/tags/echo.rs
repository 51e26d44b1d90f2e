//! `{% echo value | filters %}` (Liquid 5, which Debian's Jekyll 4.3.1 runs): writes the value
//! like `{{ value | filters }}`.

use liquid_core::parser::TagTokenIter;
use liquid_core::{Language, ParseTag, Renderable, Result, TagReflection};

/// `echo`'s tag.
#[derive(Debug, Clone, Copy, Default)]
pub struct EchoTag;

impl TagReflection for EchoTag {
    fn tag(&self) -> &str {
        "echo"
    }
    fn description(&self) -> &str {
        "Writes a value, as {{ }} does"
    }
}

impl ParseTag for EchoTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let chain = arguments
            .expect_next("Value expected.")?
            .expect_filter_chain(options)
            .into_result()?;
        arguments.expect_nothing()?;
        Ok(Box::new(chain))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}
