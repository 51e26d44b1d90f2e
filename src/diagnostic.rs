//! Problems found in a post or a site — by `check`, export validation, the site rules and the
//! window alike — as one type with a severity, a location and a message, so each face shows
//! them the same way and none has to read meaning out of text.

/// How serious a problem is: errors stop Jekyll or lose data; warnings are surprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Jekyll would still build, but likely not as the writer meant.
    Warning,
    /// Jekyll would fail or publish something broken.
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a post, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and, where useful, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// An error diagnostic from a model error (located at line 1 when it has no position).
    pub fn from_error(err: &crate::Error) -> Diagnostic {
        let (line, column) = err.location().unwrap_or((1, 1));
        Diagnostic {
            line,
            column,
            severity: Severity::Error,
            message: err.to_string(),
        }
    }

    /// A diagnostic at the start of a file line: what whole-line problems (a key, a fence) use.
    pub fn at(line: usize, severity: Severity, message: String) -> Diagnostic {
        Diagnostic {
            line,
            column: 1,
            severity,
            message,
        }
    }
}

impl std::fmt::Display for Diagnostic {
    /// `line:column: severity: message`, the form the command line prints after the path.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.severity, self.message
        )
    }
}

/// Only the errors among `diagnostics`.
pub fn errors(diagnostics: &[Diagnostic]) -> impl Iterator<Item = &Diagnostic> {
    diagnostics.iter().filter(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_prints_line_column_severity_and_message() {
        let d = Diagnostic::at(3, Severity::Warning, "the date has no offset".into());
        assert_eq!(d.to_string(), "3:1: warning: the date has no offset");
        let e = Diagnostic::at(1, Severity::Error, "no title".into());
        assert_eq!(errors(&[d, e.clone()]).collect::<Vec<_>>(), [&e]);
    }
}
