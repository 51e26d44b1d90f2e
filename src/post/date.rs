//! Post dates as Jekyll reads them, remembering how each was written so an edited date keeps
//! the file's form (date-only stays date-only, no offset stays no offset).

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::error::{DateProblem, Error, Result};

/// How the time of day is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimePrecision {
    /// `2025-11-30`
    DateOnly,
    /// `2025-11-30 23:24`
    Minutes,
    /// `2025-11-30 23:24:20`
    Seconds,
    /// `2025-11-30T23:24:20.000`, with this many fraction digits.
    Fraction(u8),
}

/// How the UTC offset is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetStyle {
    /// No offset: Jekyll uses the site's time zone.
    None,
    /// `Z`
    Zulu,
    /// `+0100`
    Compact,
    /// `+01:00`
    Colon,
}

/// The textual form of a date, so a changed value can be written the way the file had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateFormat {
    /// `' '` or `'T'` between date and time.
    pub separator: char,
    /// How much of the time is written.
    pub precision: TimePrecision,
    /// How the offset is written.
    pub offset_style: OffsetStyle,
    /// `2025-11-30 10:00 +0100` has a space before the offset; `…10:00+01:00` has none.
    pub is_offset_spaced: bool,
}

impl Default for DateFormat {
    /// Jekyll's documented form: `2025-11-30 23:24:20 +0100`.
    fn default() -> Self {
        DateFormat {
            separator: ' ',
            precision: TimePrecision::Seconds,
            offset_style: OffsetStyle::Compact,
            is_offset_spaced: true,
        }
    }
}

/// A post date: the local date and time as written, the offset if any, and its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostDate {
    /// Date and time as written (midnight for a date-only value).
    pub local: NaiveDateTime,
    /// UTC offset, when the text has one.
    pub offset: Option<FixedOffset>,
    /// How it was (or will be) written.
    pub format: DateFormat,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let start = self.at;
        while self.at - start < max && self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let count = self.at - start;
        if count < min {
            self.at = start;
            return None;
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        Some((text.parse().ok()?, count))
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_spaces(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
        self.at - start
    }
}

const EXPECTED: &str = "expected YYYY-MM-DD, optionally with HH:MM[:SS] and an offset like +0100";

impl PostDate {
    /// Reads a date in any form Jekyll accepts in front matter: `2025-11-30`,
    /// `2025-11-30 23:24[:20[.5]]`, `2025-11-30T23:24:20`, each optionally with `Z`, `+0100` or
    /// `+01:00`. Impossible calendar dates and times are errors that say what is wrong.
    pub fn parse(text: &str) -> Result<PostDate> {
        let trimmed = text.trim();
        let invalid_as = |problem: DateProblem, reason: &str| Error::InvalidDate {
            text: trimmed.to_string(),
            reason: reason.to_string(),
            problem,
        };
        let invalid = |reason: &str| invalid_as(DateProblem::Unreadable, reason);
        let impossible = |reason: &str| invalid_as(DateProblem::Impossible, reason);
        let mut c = Cursor {
            bytes: trimmed.as_bytes(),
            at: 0,
        };
        let (year, _) = c.digits(4, 4).ok_or_else(|| invalid(EXPECTED))?;
        let (month, day) = match (c.eat(b'-'), c.digits(1, 2), c.eat(b'-'), c.digits(1, 2)) {
            (true, Some((m, _)), true, Some((d, _))) => (m, d),
            _ => return Err(invalid(EXPECTED)),
        };
        let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
            impossible(&format!(
                "{year:04}-{month:02}-{day:02} is not a day in the calendar"
            ))
        })?;
        let mut format = DateFormat {
            separator: ' ',
            precision: TimePrecision::DateOnly,
            offset_style: OffsetStyle::None,
            is_offset_spaced: false,
        };
        let mut time = NaiveTime::MIN;
        let before_time = c.at;
        let separator = match c.peek() {
            Some(b'T' | b't') => {
                c.at += 1;
                Some('T')
            }
            Some(b' ' | b'\t') => {
                c.skip_spaces();
                Some(' ')
            }
            _ => None,
        };
        let hour = if separator.is_some() {
            c.digits(1, 2)
        } else {
            None
        };
        match hour {
            Some((hour, _)) if c.eat(b':') => {
                let (minute, _) = c.digits(2, 2).ok_or_else(|| invalid(EXPECTED))?;
                let mut second = 0;
                let mut nanos = 0;
                format.precision = TimePrecision::Minutes;
                if c.eat(b':') {
                    second = c.digits(2, 2).ok_or_else(|| invalid(EXPECTED))?.0;
                    format.precision = TimePrecision::Seconds;
                    if c.eat(b'.') {
                        let start = c.at;
                        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                            c.at += 1;
                        }
                        let digits = trimmed.get(start..c.at).unwrap_or("");
                        if digits.is_empty() {
                            return Err(invalid(EXPECTED));
                        }
                        let padded: String = digits
                            .chars()
                            .chain(std::iter::repeat('0'))
                            .take(9)
                            .collect();
                        nanos = padded.parse().map_err(|_| invalid(EXPECTED))?;
                        format.precision = TimePrecision::Fraction(digits.len().min(9) as u8);
                    }
                }
                time =
                    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or_else(|| {
                        impossible(&format!(
                            "{hour:02}:{minute:02}:{second:02} is not a time of day"
                        ))
                    })?;
                format.separator = separator.unwrap_or(' ');
            }
            _ => c.at = before_time,
        }
        let spaces = c.skip_spaces();
        let offset = match c.peek() {
            None => None,
            Some(b'Z' | b'z') if format.precision != TimePrecision::DateOnly => {
                c.at += 1;
                format.offset_style = OffsetStyle::Zulu;
                FixedOffset::east_opt(0)
            }
            Some(sign @ (b'+' | b'-')) if format.precision != TimePrecision::DateOnly => {
                c.at += 1;
                let (hours, _) = c.digits(2, 2).ok_or_else(|| invalid(EXPECTED))?;
                let colon = c.eat(b':');
                let minutes = c.digits(2, 2).map_or(0, |(m, _)| m);
                format.offset_style = if colon {
                    OffsetStyle::Colon
                } else {
                    OffsetStyle::Compact
                };
                let seconds = (hours * 3600 + minutes * 60) as i32;
                let offset = if sign == b'-' {
                    FixedOffset::west_opt(seconds)
                } else {
                    FixedOffset::east_opt(seconds)
                };
                Some(offset.ok_or_else(|| impossible("the UTC offset is out of range"))?)
            }
            Some(_) => return Err(invalid(EXPECTED)),
        };
        format.is_offset_spaced = offset.is_some() && spaces > 0;
        if c.at != trimmed.len() {
            return Err(invalid(EXPECTED));
        }
        Ok(PostDate {
            local: date.and_time(time),
            offset,
            format,
        })
    }

    /// True when the value has no time of day written.
    pub fn is_date_only(&self) -> bool {
        self.format.precision == TimePrecision::DateOnly
    }

    /// The date as a reader sees it — "30 November 2025", or "30 November 2025, 23:24" when it
    /// has a time — for the preview's header and exported pages alike.
    pub fn reader_text(&self) -> String {
        if self.is_date_only() {
            self.local.format("%-d %B %Y").to_string()
        } else {
            self.local.format("%-d %B %Y, %H:%M").to_string()
        }
    }

    /// The same date in a new value, written in this date's form; the form grows only as far
    /// as the new value needs (a time on a date-only value, an offset where there was none).
    pub fn with_value(&self, local: NaiveDateTime, offset: Option<FixedOffset>) -> PostDate {
        let mut format = self.format;
        let time = local.time();
        if format.precision == TimePrecision::DateOnly && time != NaiveTime::MIN {
            format.precision = TimePrecision::Seconds;
        }
        if format.precision == TimePrecision::Minutes && time.second() != 0 {
            format.precision = TimePrecision::Seconds;
        }
        if format.precision == TimePrecision::Seconds && time.nanosecond() != 0 {
            format.precision = TimePrecision::Fraction(3);
        }
        match (offset, format.offset_style) {
            (Some(_), OffsetStyle::None) => {
                format.offset_style = OffsetStyle::Compact;
                format.is_offset_spaced = format.separator == ' ';
                if format.precision == TimePrecision::DateOnly {
                    format.precision = TimePrecision::Seconds;
                }
            }
            (Some(o), OffsetStyle::Zulu) if o.local_minus_utc() != 0 => {
                format.offset_style = OffsetStyle::Colon;
            }
            (None, _) => format.offset_style = OffsetStyle::None,
            _ => {}
        }
        PostDate {
            local,
            offset,
            format,
        }
    }

    /// The date written in its format.
    pub fn to_text(&self) -> String {
        let f = &self.format;
        let mut out = self.local.format("%Y-%m-%d").to_string();
        let time_fmt = match f.precision {
            TimePrecision::DateOnly => None,
            TimePrecision::Minutes => Some("%H:%M".to_string()),
            TimePrecision::Seconds => Some("%H:%M:%S".to_string()),
            TimePrecision::Fraction(n) => Some(format!("%H:%M:%S%.{}f", n.clamp(1, 9))),
        };
        if let Some(time_fmt) = time_fmt {
            out.push(f.separator);
            // chrono writes `%.3f` as `.000`; other widths go through the nanosecond value.
            match f.precision {
                TimePrecision::Fraction(n) if ![3, 6, 9].contains(&n) => {
                    out.push_str(&self.local.format("%H:%M:%S").to_string());
                    let nanos = format!("{:09}", self.local.nanosecond() % 1_000_000_000);
                    out.push('.');
                    out.push_str(nanos.get(..n as usize).unwrap_or(&nanos));
                }
                _ => out.push_str(&self.local.format(&time_fmt).to_string()),
            }
        }
        if let Some(offset) = self.offset {
            if f.is_offset_spaced {
                out.push(' ');
            }
            let secs = offset.local_minus_utc();
            let sign = if secs < 0 { '-' } else { '+' };
            let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
            match f.offset_style {
                OffsetStyle::Zulu => out.push('Z'),
                OffsetStyle::Colon => out.push_str(&format!("{sign}{h:02}:{m:02}")),
                OffsetStyle::Compact | OffsetStyle::None => {
                    out.push_str(&format!("{sign}{h:02}{m:02}"))
                }
            }
        }
        out
    }

    /// A date for "now", in Jekyll's documented form with the local UTC offset.
    pub fn now_local() -> PostDate {
        let now = chrono::Local::now();
        let local = now
            .naive_local()
            .with_nanosecond(0)
            .unwrap_or(now.naive_local());
        PostDate {
            local,
            offset: Some(*now.offset()),
            format: DateFormat::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_see_the_day_and_the_time_only_when_written() {
        let day = PostDate::parse("2025-11-30").unwrap();
        assert_eq!(day.reader_text(), "30 November 2025");
        let time = PostDate::parse("2025-11-03T23:24:20+0100").unwrap();
        assert_eq!(time.reader_text(), "3 November 2025, 23:24");
    }

    #[test]
    fn every_jekyll_form_round_trips_its_text() {
        for text in [
            "2025-11-30",
            "2025-11-30 23:24:20",
            "2025-11-30T23:24:20",
            "2025-11-30 23:24:20 +0100",
            "2025-11-30 23:24:20 +01:00",
            "2025-11-30T23:24:20Z",
            "2025-11-30T23:24:20+01:00",
            "2025-11-30 23:24",
            "2025-03-11 20:00 +0330",
            "2024-02-01T08:00:00.000Z",
            "2025-11-30 23:24:20.5 -0800",
            "1863-11-19 10:18:00",
            "2010-01-09 00:00:00 +00:00",
        ] {
            let date = PostDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(date.to_text(), text);
        }
    }

    #[test]
    fn impossible_and_malformed_dates_are_errors() {
        for text in [
            "2025-02-30",
            "2025-11-30 25:00:00",
            "tomorrow",
            "2023-01-29 18:30:22 2023 -0800",
            "2025-11-30 10:00 +99",
        ] {
            assert!(PostDate::parse(text).is_err(), "{text}");
        }
        let err = PostDate::parse("2025-02-30").unwrap_err().to_string();
        assert!(err.contains("not a day in the calendar"), "{err}");
    }

    #[test]
    fn edited_value_keeps_the_form() {
        let date = PostDate::parse("2025-11-30").unwrap();
        let next = NaiveDate::from_ymd_opt(2025, 12, 1)
            .unwrap()
            .and_time(NaiveTime::MIN);
        assert_eq!(date.with_value(next, None).to_text(), "2025-12-01");
        let seed = PostDate::parse("2025-11-30T23:24:20").unwrap();
        let moved = seed.with_value(next.with_hour(9).unwrap(), None);
        assert_eq!(moved.to_text(), "2025-12-01T09:00:00");
        let with_offset = seed.with_value(next, FixedOffset::east_opt(3600));
        assert_eq!(with_offset.to_text(), "2025-12-01T00:00:00+0100");
        let single_digit_hour = PostDate::parse("2013-11-22 5:00:00 +0000").unwrap();
        assert_eq!(single_digit_hour.local.hour(), 5);
    }
}
