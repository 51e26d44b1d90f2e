//! Byte-level facts about a post file: encoding checks, line endings and line/column arithmetic.

use crate::error::{Error, Result};

/// The UTF-8 byte order mark, kept when present so a save does not strip it.
pub const UTF8_BOM: &str = "\u{feff}";

/// Which line ending a file uses, so inserted lines match the lines around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// Unix `\n`.
    #[default]
    Lf,
    /// Windows `\r\n`.
    CrLf,
}

impl LineEnding {
    /// The bytes of this line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// The ending of the first line of `text` (LF when the text has a single line).
    pub fn detect(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }
}

/// Decodes a file's bytes as UTF-8 text, refusing what Byline cannot edit without loss
/// (UTF-16, binary files, invalid UTF-8) with an error that says where the problem is.
pub fn decode(bytes: &[u8]) -> Result<&str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Utf16);
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            line: line_of_offset(bytes, nul),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        line: line_of_offset(bytes, e.valid_up_to()),
        offset: e.valid_up_to(),
    })
}

/// 1-based line number of a byte offset.
pub fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

/// Splits `text` into lines that keep their line endings, with each line's start offset.
pub fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

/// A line without its `\n` or `\r\n`.
pub fn strip_eol(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_utf16_binary_and_invalid_utf8() {
        assert!(matches!(decode(&[0xFF, 0xFE, b'-', 0]), Err(Error::Utf16)));
        assert!(matches!(
            decode(b"---\n\0\n"),
            Err(Error::Binary { line: 2 })
        ));
        assert!(matches!(
            decode(b"ok\nok\n\xC3("),
            Err(Error::InvalidUtf8 { line: 3, offset: 6 })
        ));
        assert_eq!(decode("héllo".as_bytes()).unwrap(), "héllo");
    }

    #[test]
    fn line_endings_are_detected_from_the_first_line() {
        assert_eq!(LineEnding::detect("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("\n"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("abc"), LineEnding::Lf);
    }

    #[test]
    fn lines_keep_endings_and_offsets() {
        let lines: Vec<_> = lines_with_offsets("a\r\nbb\nc").collect();
        assert_eq!(lines, vec![(0, "a\r\n"), (3, "bb\n"), (6, "c")]);
        assert_eq!(strip_eol("x\r\n"), "x");
    }
}
