//! Post dates as Jekyll 4.3 reads them: YAML (Psych) turns an unquoted timestamp without an
//! offset into UTC, while quoted text, date-only values and file-name dates are read by Ruby's
//! `Time.parse` in the site's time zone; the result is shown in the site's zone, in whole
//! seconds.

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan, Zoned};
use regex::Regex;

/// How a date's text was read, which decides in which zone its clock time counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateReading {
    /// An unquoted YAML timestamp without an offset: read as UTC, then shown in the site's
    /// zone (so it may land on another day than written).
    UnquotedUtc,
    /// A timestamp with its own UTC offset.
    WithOffset,
    /// A clock time read in the site's zone (quoted text, or text YAML does not take as a
    /// timestamp).
    SiteLocal,
    /// A day without a time: midnight in the site's zone.
    DateOnly,
}

/// A date as Jekyll computes it, in the site's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDate {
    /// The instant, shown in the site's zone, whole seconds.
    pub zoned: Zoned,
    /// How the text was read.
    pub reading: DateReading,
    /// The clock time as written (without offset), for fix suggestions.
    pub written: DateTime,
}

/// Psych's timestamp (YAML 1.1 `!!timestamp`).
static PSYCH_TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.\d*)?(?:\s*(Z|[-+]\d{1,2}:?(?:\d\d)?))?$",
    )
    .ok()
});

/// The forms of `Time.parse` text Byline reads the way Ruby does.
static RUBY_TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:(Z|z|UTC|GMT)|([-+])(\d{1,2})(?::?(\d{2}))?)?\s*$",
    )
    .ok()
});

fn number(captures: &regex::Captures<'_>, index: usize) -> Option<i64> {
    captures.get(index)?.as_str().parse().ok()
}

/// A clock time the way Ruby's `Time` accepts it: day 29–31 of a shorter month rolls into the
/// next month, hour 24 and second 60 roll over; None when Ruby would refuse it.
fn ruby_clock(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
) -> Option<DateTime> {
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !(0..=24).contains(&hour)
        || !(0..=59).contains(&minute)
        || !(0..=60).contains(&second)
    {
        return None;
    }
    let first = Date::new(i16::try_from(year).ok()?, month as i8, 1).ok()?;
    let start = first.to_datetime(jiff::civil::Time::midnight());
    start
        .checked_add((day - 1).days())
        .ok()?
        .checked_add(hour.hours().minutes(minute).seconds(second))
        .ok()
}

/// The instant a clock time in `tz` stands for; a time in a DST gap moves forward by the gap
/// and a repeated time takes the later one, as Ruby's `Time.local` does.
pub fn local_to_zoned(clock: DateTime, tz: &TimeZone) -> Option<Zoned> {
    tz.to_ambiguous_zoned(clock).later().ok()
}

fn in_zone(timestamp: Timestamp, tz: &TimeZone) -> Zoned {
    timestamp.to_zoned(tz.clone())
}

/// Reads text the way `Time.parse(text).localtime` does in a process whose zone is `tz`;
/// None for text Byline cannot read the way Ruby would.
pub fn ruby_time_parse(text: &str, tz: &TimeZone) -> Option<ReadDate> {
    let re = RUBY_TIME.as_ref()?;
    let c = re.captures(text)?;
    let has_time = c.get(4).is_some();
    let clock = ruby_clock(
        number(&c, 1)?,
        number(&c, 2)?,
        number(&c, 3)?,
        number(&c, 4).unwrap_or(0),
        number(&c, 5).unwrap_or(0),
        number(&c, 6).unwrap_or(0),
    )?;
    let offset_seconds = if c.get(7).is_some() {
        Some(0)
    } else if let Some(sign) = c.get(8) {
        let hours = number(&c, 9)?;
        let minutes = number(&c, 10).unwrap_or(0);
        let seconds = hours * 3600 + minutes * 60;
        Some(if sign.as_str() == "-" {
            -seconds
        } else {
            seconds
        })
    } else {
        None
    };
    match offset_seconds {
        Some(seconds) => {
            let offset = Offset::from_seconds(i32::try_from(seconds).ok()?).ok()?;
            let timestamp = offset.to_timestamp(clock).ok()?;
            Some(ReadDate {
                zoned: in_zone(timestamp, tz),
                reading: DateReading::WithOffset,
                written: clock,
            })
        }
        None => Some(ReadDate {
            zoned: local_to_zoned(clock, tz)?,
            reading: if has_time {
                DateReading::SiteLocal
            } else {
                DateReading::DateOnly
            },
            written: clock,
        }),
    }
}

/// Reads an unquoted front-matter scalar the way Psych and then Jekyll do: a YAML timestamp
/// (UTC when it has no offset), a YAML date (midnight in the site's zone), or text for
/// `Time.parse`.
pub fn read_plain(text: &str, tz: &TimeZone) -> Option<ReadDate> {
    let text = text.trim();
    if let Some(c) = PSYCH_TIME.as_ref().and_then(|re| re.captures(text))
        && let Some(clock) = ruby_clock(
            number(&c, 1)?,
            number(&c, 2)?,
            number(&c, 3)?,
            number(&c, 4)?,
            number(&c, 5)?,
            number(&c, 6)?,
        )
    {
        let zone = c.get(7).map(|m| m.as_str());
        let offset_seconds = match zone {
            None | Some("Z") => 0,
            Some(zone) => {
                // Psych: signed hours, then minutes added away from zero ("-00:30" is +00:30).
                let (hours, minutes) = match zone.split_once(':') {
                    Some((h, m)) => (h.to_string(), m.to_string()),
                    None if zone.len() > 3 => {
                        let (h, m) = zone.split_at(zone.len() - 2);
                        (h.to_string(), m.to_string())
                    }
                    None => (zone.to_string(), "0".to_string()),
                };
                let hours: i64 = hours.parse().ok()?;
                let minutes: i64 = minutes.parse().ok()?;
                let seconds = hours * 3600;
                if seconds < 0 {
                    seconds - minutes * 60
                } else {
                    seconds + minutes * 60
                }
            }
        };
        let offset = Offset::from_seconds(i32::try_from(offset_seconds).ok()?).ok()?;
        let timestamp = offset.to_timestamp(clock).ok()?;
        return Some(ReadDate {
            zoned: in_zone(timestamp, tz),
            reading: if zone.is_none() {
                DateReading::UnquotedUtc
            } else {
                DateReading::WithOffset
            },
            written: clock,
        });
    }
    // A YAML date (`2025-11-30`) becomes a Ruby Date, and an impossible one (`2025-02-30`)
    // stays text; either way Jekyll hands its text to `Time.parse`.
    ruby_time_parse(text, tz)
}

/// Reads a front-matter `date` from its token as written (with its quotes, if any).
pub fn read_token(token: &str, tz: &TimeZone) -> Option<ReadDate> {
    let token = token.trim();
    let quoted = token
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| token.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')));
    match quoted {
        Some(inner) => ruby_time_parse(inner, tz),
        None => read_plain(token, tz),
    }
}

/// How Jekyll reads the post's `date` as written (its quotes decide as much as its text), or
/// None when the post has no date Jekyll can read.
pub fn date_reading(post: &crate::post::Post) -> Option<DateReading> {
    let front = post.front_matter()?;
    let block = front.block().ok()?;
    let token = block.entry("date")?.inline_token(front.yaml())?;
    read_token(token, &TimeZone::UTC).map(|read| read.reading)
}

/// What a writer should know about a date without a UTC offset, worded once for the form and
/// export: an unquoted timestamp is UTC to Jekyll (checked with Psych: `2025-11-30 23:24:20`
/// loads as a UTC `Time`), a quoted one, a time without seconds or a day alone is in the
/// site's zone. None for a date with an offset.
pub fn offsetless_date_note(reading: DateReading) -> Option<&'static str> {
    match reading {
        DateReading::WithOffset => None,
        DateReading::UnquotedUtc => Some(
            "no UTC offset, unquoted: Jekyll reads this time as UTC and shows it in the site's time zone (quote it, or add the offset you mean)",
        ),
        DateReading::SiteLocal | DateReading::DateOnly => {
            Some("no UTC offset: Jekyll reads it in the site's time zone (the `timezone` setting)")
        }
    }
}

/// The date as Jekyll's `date_to_xmlschema` prints it: RFC 3339 in the site's zone.
pub fn rfc3339(zoned: &Zoned) -> String {
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The site zone's UTC offset at a clock time, as `+01:00`, for fix suggestions.
pub fn offset_text_at(clock: DateTime, tz: &TimeZone) -> Option<String> {
    let zoned = local_to_zoned(clock, tz)?;
    Some(zoned.strftime("%:z").to_string())
}

/// The site's zone: `timezone` from `_config.yml`, else the machine's (as Jekyll does); an
/// unknown name is an error message.
pub fn site_zone(name: Option<&str>) -> Result<TimeZone, String> {
    match name {
        Some(name) => TimeZone::get(name)
            .map_err(|e| format!("unknown time zone `{name}` in _config.yml: {e}")),
        None => Ok(TimeZone::system()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn shown(token: &str) -> String {
        rfc3339(&read_token(token, &berlin()).unwrap().zoned)
    }

    #[test]
    fn the_offsetless_note_follows_the_quotes_as_psych_reads_them() {
        let reading = |text: &str| date_reading(&crate::post::Post::from_text(text));
        let utc = reading("---\ndate: 2025-11-30 23:24:20\n---\n");
        assert_eq!(utc, Some(DateReading::UnquotedUtc));
        assert!(offsetless_date_note(DateReading::UnquotedUtc).is_some_and(|n| n.contains("UTC")));
        let quoted = reading("---\ndate: \"2025-11-30 23:24:20\"\n---\n");
        assert_eq!(quoted, Some(DateReading::SiteLocal));
        assert_eq!(
            reading("---\ndate: 2025-11-30\n---\n"),
            Some(DateReading::DateOnly)
        );
        let with_offset = reading("---\ndate: 2025-11-30 23:24:20 +0100\n---\n");
        assert_eq!(with_offset, Some(DateReading::WithOffset));
        assert_eq!(offsetless_date_note(DateReading::WithOffset), None);
    }

    #[test]
    fn unquoted_timestamp_without_offset_is_utc() {
        assert_eq!(shown("2025-11-30T23:24:20"), "2025-12-01T00:24:20+01:00");
        assert_eq!(shown("2025-11-30 23:24:20.7"), "2025-12-01T00:24:20+01:00");
        assert_eq!(
            shown("\"2025-11-30T23:24:20\""),
            "2025-11-30T23:24:20+01:00"
        );
        assert_eq!(
            shown("'2025-11-30 23:24:20.7'"),
            "2025-11-30T23:24:20+01:00"
        );
        // Not a YAML timestamp without seconds: read in the site's zone.
        assert_eq!(shown("2025-11-30 23:24"), "2025-11-30T23:24:00+01:00");
        assert_eq!(
            read_token("2025-11-30T23:24:20", &berlin())
                .unwrap()
                .reading,
            DateReading::UnquotedUtc
        );
    }

    #[test]
    fn offsets_dates_and_dst_as_ruby_reads_them() {
        assert_eq!(
            shown("2025-02-03 10:00:00 +0530"),
            "2025-02-03T05:30:00+01:00"
        );
        assert_eq!(shown("2025-02-03 10:00:00 -3"), "2025-02-03T14:00:00+01:00");
        assert_eq!(shown("2025-02-03T10:00:00Z"), "2025-02-03T11:00:00+01:00");
        assert_eq!(shown("2025-02-03"), "2025-02-03T00:00:00+01:00");
        assert_eq!(
            shown("\"2025-03-30 02:30:00\""),
            "2025-03-30T03:30:00+02:00"
        );
        assert_eq!(
            shown("\"2025-10-26 02:30:00\""),
            "2025-10-26T02:30:00+01:00"
        );
        assert_eq!(shown("2025-02-30"), "2025-03-02T00:00:00+01:00");
        assert!(read_token("tomorrow", &berlin()).is_none());
        assert!(read_token("2025-13-01", &berlin()).is_none());
        let clock = DateTime::new(2025, 7, 1, 12, 0, 0, 0).unwrap();
        assert_eq!(offset_text_at(clock, &berlin()).as_deref(), Some("+02:00"));
    }
}
