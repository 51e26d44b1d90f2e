//! `{% highlight lang [linenos] %}…{% endhighlight %}`: the body (Liquid is rendered inside
//! it, as in Jekyll) as Rouge's HTML in Jekyll's `<figure class="highlight">`.
//!
//! Checked with `jekyll build` (4.3.1, Rouge 3.30): the body loses its leading and trailing line
//! breaks; the language is lower-cased, `+` becomes `-` in the class
//! (`class="language-c--" data-lang="c++"`); `linenos` wraps the code in Rouge's table (gutter of
//! line numbers, each line ended by a line break).

use super::{literal_markup, tag_error};
use crate::theme::highlight::highlight_code;
use liquid_core::parser::{TagBlock, TagTokenIter};
use liquid_core::runtime::Template;
use liquid_core::{BlockReflection, Language, ParseBlock, Renderable, Result, Runtime};
use std::io::Write;

/// `highlight`'s block.
#[derive(Debug, Clone, Copy, Default)]
pub struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "Code highlighted as Rouge writes it, in Jekyll's figure"
    }
}

/// The language and whether line numbers are asked for, from `markup` as Jekyll's `SYNTAX`
/// accepts it (`lang` then options `name`, `name=value` or `name="1 2"`); `None` when invalid.
fn parse_markup(markup: &str) -> Option<(String, bool)> {
    let markup = markup.trim();
    let mut words = markup.split_whitespace();
    let language = words.next()?;
    let language_ok = language
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".+#_-".contains(c));
    if !language_ok {
        return None;
    }
    let rest = markup.get(language.len()..).unwrap_or("");
    let mut linenos = false;
    let mut remaining = rest.trim_start();
    while !remaining.is_empty() {
        let name_length = remaining
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(remaining.len());
        if name_length == 0 {
            return None;
        }
        let name = remaining.get(..name_length)?;
        remaining = remaining.get(name_length..)?;
        if let Some(value) = remaining.strip_prefix('=') {
            let value_length = if let Some(quoted) = value.strip_prefix('"') {
                let end = quoted.find('"')?;
                let numbers = quoted.get(..end)?;
                if numbers.is_empty()
                    || !numbers.split(' ').all(|number| {
                        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
                    })
                {
                    return None;
                }
                end + 2
            } else {
                let length = value
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(value.len());
                if length == 0 {
                    return None;
                }
                length
            };
            remaining = value.get(value_length..)?;
        }
        if name == "linenos" {
            linenos = true;
        }
        let trimmed = remaining.trim_start();
        if trimmed.len() == remaining.len() && !remaining.is_empty() {
            return None;
        }
        remaining = trimmed;
    }
    Some((language.to_lowercase(), linenos))
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let (markup, token) = literal_markup(&mut arguments)?;
        let Some((language, linenos)) = parse_markup(&markup) else {
            return Err(token.raise_custom_error(&format!(
                "Syntax Error in tag 'highlight' while parsing the following markup: {}. Valid \
                 syntax: highlight <lang> [linenos]",
                markup.trim()
            )));
        };
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Highlight {
            language,
            linenos,
            body,
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A parsed `highlight` block.
#[derive(Debug)]
struct Highlight {
    language: String,
    linenos: bool,
    body: Template,
}

/// `code` as Jekyll's highlight block writes it.
pub fn highlight_figure(code: &str, language: &str, linenos: bool) -> String {
    let code = code.trim_matches(['\n', '\r']);
    let highlighted = highlight_code(code, language);
    let inner = if linenos {
        let line_count = code.split('\n').count();
        let gutter: String = (1..=line_count)
            .map(|number| format!("{number}\n"))
            .collect();
        format!(
            "<table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre \
             class=\"lineno\">{gutter}</pre></td><td class=\"code\"><pre>{highlighted}\n</pre>\
             </td></tr></tbody></table>"
        )
    } else {
        highlighted
    };
    let inner = inner.strip_suffix('\n').unwrap_or(&inner);
    format!(
        "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{}\">{}</code>\
         </pre></figure>",
        language.replace('+', "-"),
        language,
        inner
    )
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let _level = super::location::RenderTrace::deeper()?;
        let code = self.body.render(runtime)?;
        writer
            .write_all(highlight_figure(&code, &self.language, self.linenos).as_bytes())
            .map_err(|error| tag_error(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_as_jekyll_accepts_it() {
        assert_eq!(parse_markup("ruby"), Some(("ruby".into(), false)));
        assert_eq!(parse_markup(" C++ linenos "), Some(("c++".into(), true)));
        assert_eq!(
            parse_markup("python linenos hl_lines=\"1 2\""),
            Some(("python".into(), true))
        );
        assert_eq!(parse_markup("ruby foo=bar"), Some(("ruby".into(), false)));
        assert_eq!(parse_markup(""), None);
        assert_eq!(parse_markup("ruby {{ x }}"), None);
        assert_eq!(parse_markup("ruby a=\"x\""), None);
    }

    #[test]
    fn figure_as_jekyll_writes_it() {
        // `jekyll build` 4.3.1 wrote, for "\nint x;\n" in `highlight C++`:
        // <figure class="highlight"><pre><code class="language-c--" data-lang="c++">…</code></pre></figure>
        let figure = highlight_figure("\nint x;\n", "c++", false);
        assert!(figure.starts_with(
            "<figure class=\"highlight\"><pre><code class=\"language-c--\" data-lang=\"c++\">"
        ));
        assert!(figure.ends_with("</code></pre></figure>"));
        assert!(!figure.contains("int x;\n"));
        // With linenos, Rouge's table: one gutter number per line, each line ended by "\n".
        let figure = highlight_figure("\n\na\nb\n\n", "text", true);
        assert!(figure.contains("<pre class=\"lineno\">1\n2\n</pre>"));
        assert!(figure.contains("<td class=\"code\"><pre>a\nb\n</pre></td>"));
        assert!(figure.ends_with("</table></code></pre></figure>"));
    }
}
