//! Dates as Jekyll's filters see them: Liquid's `date` with Ruby's `strftime` (`%-d`, `%e`,
//! `%b`, `%P`, …), `date_to_xmlschema`, `date_to_rfc822`, `date_to_string`,
//! `date_to_long_string`. Inputs are `DateTime` values or text (`2016-05-20 10:00:00 +0200`,
//! `now`, a Unix time); Jekyll shows them in the site's `timezone`.

use super::FilterCall;
use super::ruby::{global_at, ruby_to_s};
use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use liquid_core::{Error, Result, Runtime, Value, ValueView};
use std::sync::LazyLock;

/// The zone Jekyll's process runs in: the site's `timezone`, else the machine's.
fn local_zone(runtime: &dyn Runtime) -> TimeZone {
    global_at(runtime, &["site", "timezone"])
        .filter(|value| !value.is_nil())
        .and_then(|name| TimeZone::get(&ruby_to_s(&name)).ok())
        .unwrap_or_else(TimeZone::system)
}

/// A `DateTime` scalar's instant and offset.
fn date_time_parts(value: &dyn ValueView) -> Option<(Timestamp, Offset)> {
    if value.type_name() != "date time" {
        return None;
    }
    let date_time = value.as_scalar()?.to_date_time()?;
    let nanos = date_time.unix_timestamp_nanos();
    let offset = Offset::from_seconds(date_time.offset().whole_seconds()).ok()?;
    Some((Timestamp::from_nanosecond(nanos).ok()?, offset))
}

/// Liquid's `Utils.to_date`: the time a value stands for, keeping a given offset; text
/// without one is read in `local`.
fn liquid_time(value: &dyn ValueView, local: &TimeZone) -> Option<RubyTime> {
    if let Some((timestamp, offset)) = date_time_parts(value) {
        return Some(RubyTime::fixed(timestamp, offset));
    }
    if value.type_name() == "date" {
        let date = value.as_scalar()?.to_date()?;
        let civil = civil::date(date.year() as i16, date.month() as i8, date.day() as i8);
        return civil.to_zoned(local.clone()).ok().map(RubyTime::local);
    }
    if value.type_name() == "whole number" {
        let seconds = value.as_scalar()?.to_integer()?;
        return Some(RubyTime::local(
            Timestamp::from_second(seconds)
                .ok()?
                .to_zoned(local.clone()),
        ));
    }
    if value.type_name() != "string" {
        return None;
    }
    let text = value.to_kstr().to_lowercase();
    if text.is_empty() {
        return None;
    }
    if text == "now" || text == "today" {
        return Some(RubyTime::local(Timestamp::now().to_zoned(local.clone())));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text.parse().ok()?;
        return Some(RubyTime::local(
            Timestamp::from_second(seconds)
                .ok()?
                .to_zoned(local.clone()),
        ));
    }
    parse_time_text(&text, local)
}

/// Jekyll's `time(input)`: the input's time shown in the local zone (`localtime`).
pub(crate) fn jekyll_time(value: &dyn ValueView, runtime: &dyn Runtime) -> Option<RubyTime> {
    let local = local_zone(runtime);
    liquid_time(value, &local).map(|time| RubyTime::local(time.zoned.with_time_zone(local)))
}

static ISO_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?\s*$",
    )
    .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

static DAY_MONTH_YEAR: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?\s*$",
    )
    .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

static MONTH_DAY_YEAR: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?\s*$",
    )
    .unwrap_or_else(|_| unreachable!("the pattern is valid"))
});

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn month_number(name: &str) -> Option<i8> {
    let name = name.to_ascii_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| month.to_ascii_lowercase().starts_with(&name))
        .map(|index| index as i8 + 1)
}

fn zone_offset(text: &str) -> Option<Offset> {
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "z" | "utc" | "gmt") {
        return Some(Offset::UTC);
    }
    let (sign, digits) = match lower.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Ok(0), str::parse)
        .ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Ruby's `Time.parse` for the shapes dates take in front matter and templates.
pub(crate) fn parse_time_text(text: &str, local: &TimeZone) -> Option<RubyTime> {
    let number = |caps: &regex::Captures<'_>, index: usize| -> Option<i32> {
        caps.get(index).map_or(Some(0), |m| m.as_str().parse().ok())
    };
    let (year, month, day, caps) = if let Some(caps) = ISO_DATE.captures(text) {
        let year = number(&caps, 1)?;
        let month = number(&caps, 2)?;
        let day = number(&caps, 3)?;
        (year, month, day, caps)
    } else if let Some(caps) = DAY_MONTH_YEAR.captures(text) {
        let month = month_number(caps.get(2)?.as_str())?;
        (number(&caps, 3)?, i32::from(month), number(&caps, 1)?, caps)
    } else if let Some(caps) = MONTH_DAY_YEAR.captures(text) {
        let month = month_number(caps.get(1)?.as_str())?;
        (number(&caps, 3)?, i32::from(month), number(&caps, 2)?, caps)
    } else {
        return None;
    };
    let (hour_index, zone_index) = if caps.len() > 8 { (4, 8) } else { (4, 7) };
    let hour = number(&caps, hour_index)?;
    let minute = number(&caps, hour_index + 1)?;
    let second = number(&caps, hour_index + 2)?;
    let nanos = if caps.len() > 8 {
        caps.get(7).map_or(Some(0), |m| {
            let digits: String = m
                .as_str()
                .chars()
                .chain("000000000".chars())
                .take(9)
                .collect();
            digits.parse().ok()
        })?
    } else {
        0
    };
    let civil = civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    match caps.get(zone_index).and_then(|m| zone_offset(m.as_str())) {
        Some(offset) => {
            let zone = caps
                .get(zone_index)
                .map(|m| m.as_str().to_ascii_lowercase());
            let named_utc = matches!(zone.as_deref(), Some("z" | "utc" | "gmt"));
            civil.to_zoned(TimeZone::fixed(offset)).ok().map(|zoned| {
                let mut time = RubyTime::fixed(zoned.timestamp(), offset);
                if named_utc {
                    // Ruby reads `Z`, `UTC` and `GMT` as a UTC time, which `%Z` names.
                    time.zone_name = "UTC".to_string();
                }
                time
            })
        }
        None => civil.to_zoned(local.clone()).ok().map(RubyTime::local),
    }
}

fn weekday_index(zoned: &Zoned) -> usize {
    zoned.weekday().to_sunday_zero_offset() as usize
}

fn week_number(zoned: &Zoned, first_weekday_monday: bool) -> i32 {
    let yday = i32::from(zoned.day_of_year()) - 1;
    let wday = weekday_index(zoned) as i32;
    let wday = if first_weekday_monday {
        (wday + 6) % 7
    } else {
        wday
    };
    (yday + 7 - wday) / 7
}

/// How one conversion is padded.
struct Spec {
    no_pad: bool,
    space_pad: bool,
    zero_pad: bool,
    upcase: bool,
    swapcase: bool,
    colons: usize,
    width: Option<usize>,
}

fn pad_number(spec: &Spec, value: i64, default_width: usize, default_space: bool) -> String {
    let width = spec.width.unwrap_or(default_width);
    let digits = value.unsigned_abs().to_string();
    let sign = if value < 0 { "-" } else { "" };
    if spec.no_pad {
        return format!("{sign}{digits}");
    }
    let space = if spec.zero_pad {
        false
    } else {
        spec.space_pad || default_space
    };
    let fill = width.saturating_sub(digits.len() + sign.len());
    let padding: String = std::iter::repeat_n(if space { ' ' } else { '0' }, fill).collect();
    if space {
        format!("{padding}{sign}{digits}")
    } else {
        format!("{sign}{padding}{digits}")
    }
}

fn pad_text(spec: &Spec, text: &str, swap_means_lower: bool) -> String {
    let text = if spec.upcase {
        text.to_uppercase()
    } else if spec.swapcase {
        if swap_means_lower {
            text.to_lowercase()
        } else {
            text.to_uppercase()
        }
    } else {
        text.to_string()
    };
    match spec.width {
        Some(width) if !spec.no_pad && text.chars().count() < width => {
            let fill = width - text.chars().count();
            let pad = if spec.zero_pad { '0' } else { ' ' };
            let padding: String = std::iter::repeat_n(pad, fill).collect();
            format!("{padding}{text}")
        }
        _ => text,
    }
}

fn offset_text(zoned: &Zoned, spec: &Spec) -> String {
    let seconds = zoned.offset().seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match spec.colons {
        0 => format!("{sign}{hours:02}{minutes:02}"),
        1 => format!("{sign}{hours:02}:{minutes:02}"),
        _ => format!("{sign}{hours:02}:{minutes:02}:{secs:02}"),
    }
}

/// A time with the zone name Ruby's `%Z` shows: the zone's abbreviation for a local time,
/// nothing for a time with a fixed offset (as Ruby's `Time.parse("… +0200")`).
#[derive(Debug, Clone)]
pub(crate) struct RubyTime {
    /// The instant, in its zone.
    pub zoned: Zoned,
    zone_name: String,
}

impl RubyTime {
    fn local(zoned: Zoned) -> RubyTime {
        let zone_name = zoned
            .time_zone()
            .to_offset_info(zoned.timestamp())
            .abbreviation()
            .to_string();
        RubyTime { zoned, zone_name }
    }

    fn fixed(timestamp: Timestamp, offset: Offset) -> RubyTime {
        RubyTime {
            zoned: timestamp.to_zoned(TimeZone::fixed(offset)),
            zone_name: String::new(),
        }
    }
}

/// Ruby's `Time#strftime`: flags `-` `_` `0` `^` `#`, a width, `%:z`; unknown conversions
/// are written as they are.
pub(crate) fn ruby_strftime(time: &RubyTime, format: &str) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut rest = format;
    while let Some(percent) = rest.find('%') {
        let (literal, after) = rest.split_at(percent);
        out.push_str(literal);
        let chars = after.char_indices().skip(1).peekable();
        let mut spec = Spec {
            no_pad: false,
            space_pad: false,
            zero_pad: false,
            upcase: false,
            swapcase: false,
            colons: 0,
            width: None,
        };
        let mut conversion = None;
        for (index, c) in chars {
            match c {
                '-' => spec.no_pad = true,
                '_' => spec.space_pad = true,
                '0' if spec.width.is_none() => spec.zero_pad = true,
                '^' => spec.upcase = true,
                '#' => spec.swapcase = true,
                ':' => spec.colons += 1,
                '0'..='9' => {
                    let digit = c.to_digit(10).unwrap_or(0) as usize;
                    spec.width = Some(spec.width.unwrap_or(0) * 10 + digit);
                }
                _ => {
                    conversion = Some((index, c));
                    break;
                }
            }
        }
        let Some((index, c)) = conversion else {
            out.push_str(after);
            rest = "";
            break;
        };
        let end = index + c.len_utf8();
        let (whole, remaining) = after.split_at(end);
        match convert(time, c, &spec) {
            Some(text) => out.push_str(&text),
            None => out.push_str(whole),
        }
        rest = remaining;
    }
    out.push_str(rest);
    out
}

fn convert(time: &RubyTime, conversion: char, spec: &Spec) -> Option<String> {
    let zoned = &time.zoned;
    let month_name = MONTHS
        .get(zoned.month() as usize - 1)
        .copied()
        .unwrap_or("");
    let weekday_name = WEEKDAYS.get(weekday_index(zoned)).copied().unwrap_or("");
    let hour12 = match zoned.hour() % 12 {
        0 => 12,
        other => other,
    };
    let text = match conversion {
        'Y' => {
            let year = i64::from(zoned.year());
            if spec.width.is_none() && !spec.no_pad && year >= 0 {
                if year >= 1000 {
                    year.to_string()
                } else {
                    pad_number(spec, year, 4, false)
                }
            } else {
                pad_number(spec, year, 4, false)
            }
        }
        'C' => pad_number(spec, i64::from(zoned.year()).div_euclid(100), 2, false),
        'y' => pad_number(spec, i64::from(zoned.year()).rem_euclid(100), 2, false),
        'm' => pad_number(spec, i64::from(zoned.month()), 2, false),
        'B' => pad_text(spec, month_name, false),
        'b' | 'h' => pad_text(spec, month_name.get(..3).unwrap_or(""), false),
        'd' => pad_number(spec, i64::from(zoned.day()), 2, false),
        'e' => pad_number(spec, i64::from(zoned.day()), 2, true),
        'j' => pad_number(spec, i64::from(zoned.day_of_year()), 3, false),
        'H' => pad_number(spec, i64::from(zoned.hour()), 2, false),
        'k' => pad_number(spec, i64::from(zoned.hour()), 2, true),
        'I' => pad_number(spec, i64::from(hour12), 2, false),
        'l' => pad_number(spec, i64::from(hour12), 2, true),
        'P' => pad_text(spec, if zoned.hour() < 12 { "am" } else { "pm" }, false),
        'p' => pad_text(spec, if zoned.hour() < 12 { "AM" } else { "PM" }, true),
        'M' => pad_number(spec, i64::from(zoned.minute()), 2, false),
        'S' => pad_number(spec, i64::from(zoned.second()), 2, false),
        'L' | 'N' => {
            let digits = spec.width.unwrap_or(if conversion == 'L' { 3 } else { 9 });
            let nanos = format!("{:09}", zoned.subsec_nanosecond());
            let mut text: String = nanos.chars().take(digits).collect();
            while text.len() < digits {
                text.push('0');
            }
            text
        }
        'z' => offset_text(zoned, spec),
        'Z' => pad_text(spec, &time.zone_name, false),
        'A' => pad_text(spec, weekday_name, false),
        'a' => pad_text(spec, weekday_name.get(..3).unwrap_or(""), false),
        'u' => pad_number(
            spec,
            i64::from(zoned.weekday().to_monday_one_offset()),
            1,
            false,
        ),
        'w' => pad_number(spec, weekday_index(zoned) as i64, 1, false),
        'G' => pad_number(
            spec,
            i64::from(zoned.date().iso_week_date().year()),
            4,
            false,
        ),
        'g' => pad_number(
            spec,
            i64::from(zoned.date().iso_week_date().year()).rem_euclid(100),
            2,
            false,
        ),
        'V' => pad_number(
            spec,
            i64::from(zoned.date().iso_week_date().week()),
            2,
            false,
        ),
        'U' => pad_number(spec, i64::from(week_number(zoned, false)), 2, false),
        'W' => pad_number(spec, i64::from(week_number(zoned, true)), 2, false),
        's' => pad_number(spec, zoned.timestamp().as_second(), 1, false),
        'n' => "\n".to_string(),
        't' => "\t".to_string(),
        '%' => "%".to_string(),
        'c' => ruby_strftime(time, "%a %b %e %H:%M:%S %Y"),
        'D' | 'x' => ruby_strftime(time, "%m/%d/%y"),
        'F' => ruby_strftime(time, "%Y-%m-%d"),
        'X' | 'T' => ruby_strftime(time, "%H:%M:%S"),
        'r' => ruby_strftime(time, "%I:%M:%S %p"),
        'R' => ruby_strftime(time, "%H:%M"),
        'v' => ruby_strftime(time, "%e-%^b-%Y"),
        '+' => ruby_strftime(time, "%a %b %e %H:%M:%S %Z %Y"),
        _ => return None,
    };
    Some(text)
}

/// `2016-05-20T10:00:00+02:00`, as Ruby's `Time#xmlschema` writes a local time.
pub(crate) fn xmlschema(time: &RubyTime) -> String {
    ruby_strftime(time, "%Y-%m-%dT%H:%M:%S%:z")
}

fn invalid_date(input: &dyn ValueView) -> Error {
    Error::with_msg(format!(
        "Invalid Date: '{}' is not a valid datetime.",
        super::ruby::inspect(input)
    ))
}

/// The time of a `date_to_*` filter's input, or `None` for nil and empty text (which those
/// filters return unchanged).
fn filter_time(call: &FilterCall<'_>) -> Result<Option<RubyTime>> {
    if ruby_to_s(call.input).is_empty() {
        return Ok(None);
    }
    jekyll_time(call.input, call.runtime)
        .map(Some)
        .ok_or_else(|| invalid_date(call.input))
}

/// `{{ date | date: "%b %-d, %Y" }}` (Liquid's, with Ruby's `strftime`).
pub(crate) fn date(call: &FilterCall<'_>) -> Result<Value> {
    let format = ruby_to_s(call.arg(0));
    if format.is_empty() {
        return Ok(call.input.to_value());
    }
    let local = local_zone(call.runtime);
    match liquid_time(call.input, &local) {
        Some(zoned) => Ok(Value::scalar(ruby_strftime(&zoned, &format))),
        None => Ok(call.input.to_value()),
    }
}

/// `{{ date | date_to_xmlschema }}`.
pub(crate) fn date_to_xmlschema(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match filter_time(call)? {
        Some(zoned) => Value::scalar(xmlschema(&zoned)),
        None => call.input.to_value(),
    })
}

/// `{{ date | date_to_rfc822 }}`.
pub(crate) fn date_to_rfc822(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match filter_time(call)? {
        Some(zoned) => Value::scalar(ruby_strftime(&zoned, "%a, %d %b %Y %H:%M:%S %z")),
        None => call.input.to_value(),
    })
}

fn ordinal_suffix(day: i8) -> &'static str {
    if (11..=13).contains(&day) {
        return "th";
    }
    match day % 10 {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

fn stringify_date(call: &FilterCall<'_>, month: &str) -> Result<Value> {
    let Some(zoned) = filter_time(call)? else {
        return Ok(call.input.to_value());
    };
    let ordinal = ruby_to_s(call.arg(0)) == "ordinal";
    let us = ruby_to_s(call.arg(1)) == "US";
    let format = if ordinal {
        let day = zoned.zoned.day();
        let day = format!("{day}{}", ordinal_suffix(day));
        if us {
            format!("{month} {day}, %Y")
        } else {
            format!("{day} {month} %Y")
        }
    } else {
        format!("%d {month} %Y")
    };
    Ok(Value::scalar(ruby_strftime(&zoned, &format)))
}

/// `{{ date | date_to_string }}`, `… | date_to_string: "ordinal", "US"`.
pub(crate) fn date_to_string(call: &FilterCall<'_>) -> Result<Value> {
    stringify_date(call, "%b")
}

/// `{{ date | date_to_long_string }}`, `… | date_to_long_string: "ordinal", "US"`.
pub(crate) fn date_to_long_string(call: &FilterCall<'_>) -> Result<Value> {
    stringify_date(call, "%B")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render, render_with};
    use super::*;

    fn globals_with_date(text: &str) -> liquid::Object {
        let date = liquid::model::DateTime::from_str(text).unwrap();
        let mut site = liquid::Object::new();
        site.insert("timezone".into(), Value::scalar("UTC"));
        let mut page = liquid::Object::new();
        page.insert("date".into(), Value::scalar(date));
        let mut globals = liquid::Object::new();
        globals.insert("site".into(), Value::Object(site));
        globals.insert("page".into(), Value::Object(page));
        globals
    }

    /// Jekyll 4.3.1, TZ=UTC, `page.date` 2016-05-03 09:05:07 +0000.
    #[test]
    fn date_filters_match_jekyll() {
        let globals = globals_with_date("2016-05-03 09:05:07 +0000");
        let cases = [
            (
                "{{ page.date | date_to_xmlschema }}",
                "2016-05-03T09:05:07+00:00",
            ),
            (
                "{{ page.date | date_to_rfc822 }}",
                "Tue, 03 May 2016 09:05:07 +0000",
            ),
            ("{{ page.date | date_to_string }}", "03 May 2016"),
            (
                "{{ page.date | date_to_string: \"ordinal\" }}",
                "3rd May 2016",
            ),
            (
                "{{ page.date | date_to_string: \"ordinal\", \"US\" }}",
                "May 3rd, 2016",
            ),
            (
                "{{ page.date | date_to_string: \"x\", \"US\" }}",
                "03 May 2016",
            ),
            ("{{ page.date | date_to_long_string }}", "03 May 2016"),
            (
                "{{ page.date | date_to_long_string: \"ordinal\" }}",
                "3rd May 2016",
            ),
            (
                "{{ page.date | date_to_long_string: \"ordinal\", \"US\" }}",
                "May 3rd, 2016",
            ),
            ("{{ page.date | date: \"%b %-d, %Y\" }}", "May 3, 2016"),
            (
                "{{ page.date | date: \"%e|%-m|%k|%l|%P|%p|%j|%y\" }}",
                " 3|5| 9| 9|am|AM|124|16",
            ),
            (
                "{{ page.date | date: \"%^b %^A %10B|%-10d|%_m|%03e\" }}",
                "MAY TUESDAY        May|3| 5|003",
            ),
            (
                "{{ page.date | date: \"%u %w %U %W %V %G %C %s %L %N\" }}",
                "2 2 18 18 18 2016 20 1462266307 000 000000000",
            ),
            (
                "{{ page.date | date: \"%F %T %D %R %r %:z %z %Q %%\" }}",
                "2016-05-03 09:05:07 05/03/16 09:05 09:05:07 AM +00:00 +0000 %Q %",
            ),
            (
                "{{ page.date | date: \"%c|%x|%X|%v\" }}",
                "Tue May  3 09:05:07 2016|05/03/16|09:05:07| 3-MAY-2016",
            ),
            ("{{ page.date | date: \"%#p %#b\" }}", "am MAY"),
            ("{{ page.date | date: \"\" }}", "2016-05-03 09:05:07 +0000"),
            (
                "{{ page.date | date: \"%Z|%-y|%3N|%6L|%A\" }}",
                "|16|000|000000|Tuesday",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &globals), expected, "{template}");
        }
    }

    /// Jekyll 4.3.1 with text inputs, TZ=UTC.
    #[test]
    fn text_dates_match_jekyll() {
        let globals = globals_with_date("2016-05-03 09:05:07 +0000");
        let cases = [
            (
                "{{ \"2016-05-20\" | date_to_xmlschema }}",
                "2016-05-20T00:00:00+00:00",
            ),
            (
                "{{ \"2016-05-20 10:11:12 +0200\" | date_to_xmlschema }}",
                "2016-05-20T08:11:12+00:00",
            ),
            (
                "{{ \"2016-05-20 10:11:12 +0200\" | date: \"%H %z\" }}",
                "10 +0200",
            ),
            (
                "{{ \"2016-05-20T10:11:12Z\" | date_to_rfc822 }}",
                "Fri, 20 May 2016 10:11:12 +0000",
            ),
            ("{{ \"20 May 2016\" | date: \"%Y-%m-%d\" }}", "2016-05-20"),
            ("{{ \"May 21, 2016\" | date: \"%Y-%m-%d\" }}", "2016-05-21"),
            ("{{ \"1462266307\" | date: \"%Y-%m-%d\" }}", "2016-05-03"),
            ("{{ \"nonsense\" | date: \"%Y\" }}", "nonsense"),
            ("{{ nil | date_to_xmlschema }}", ""),
            ("{{ \"\" | date_to_string }}", ""),
            (
                "{{ \"2016-05-21\" | date_to_string: \"ordinal\" }}",
                "21st May 2016",
            ),
            (
                "{{ \"2016-05-12\" | date_to_string: \"ordinal\" }}",
                "12th May 2016",
            ),
            (
                "{{ \"2016-05-22\" | date_to_long_string: \"ordinal\" }}",
                "22nd May 2016",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &globals), expected, "{template}");
        }
        assert!(render_with("{{ \"nonsense\" | date_to_xmlschema }}", &globals).is_err());
        let shapes = [
            (
                "2016-05-20T10:11:12.345+02:00",
                "2016-05-20 10:11:12 +0200||345 ## 2016-05-20T08:11:12+00:00",
            ),
            (
                "Fri, 20 May 2016 10:11:12 +0200",
                "2016-05-20 10:11:12 +0200||000 ## 2016-05-20T08:11:12+00:00",
            ),
            (
                "2016/05/20",
                "2016-05-20 00:00:00 +0000|UTC|000 ## 2016-05-20T00:00:00+00:00",
            ),
            (
                "2016-05-20 10:11",
                "2016-05-20 10:11:00 +0000|UTC|000 ## 2016-05-20T10:11:00+00:00",
            ),
            (
                "20 May 2016 10:11:12 GMT",
                "2016-05-20 10:11:12 +0000|UTC|000 ## 2016-05-20T10:11:12+00:00",
            ),
            (
                "May 20, 2016",
                "2016-05-20 00:00:00 +0000|UTC|000 ## 2016-05-20T00:00:00+00:00",
            ),
            (
                "2016-5-2",
                "2016-05-02 00:00:00 +0000|UTC|000 ## 2016-05-02T00:00:00+00:00",
            ),
            (
                "2016-05-20 10:11:12 -0730",
                "2016-05-20 10:11:12 -0730||000 ## 2016-05-20T17:41:12+00:00",
            ),
            (
                "2016-05-20T10:11:12Z",
                "2016-05-20 10:11:12 +0000|UTC|000 ## 2016-05-20T10:11:12+00:00",
            ),
            (
                "December 1st, 2020",
                "2020-12-01 00:00:00 +0000|UTC|000 ## 2020-12-01T00:00:00+00:00",
            ),
            (
                "1 Dec 2020",
                "2020-12-01 00:00:00 +0000|UTC|000 ## 2020-12-01T00:00:00+00:00",
            ),
            (
                "2016-05-20 10:11:12 UTC",
                "2016-05-20 10:11:12 +0000|UTC|000 ## 2016-05-20T10:11:12+00:00",
            ),
        ];
        for (text, expected) in shapes {
            let template = format!(
                "{{{{ \"{text}\" | date: \"%Y-%m-%d %H:%M:%S %z|%Z|%L\" }}}} ## {{{{ \"{text}\" | date_to_xmlschema }}}}"
            );
            assert_eq!(render(&template, &globals), expected, "{text}");
        }
    }

    #[test]
    fn dates_are_shown_in_the_site_zone() {
        let mut globals = globals_with_date("2016-07-01 22:30:00 +0000");
        let site = globals.get_mut("site").unwrap().as_object_mut().unwrap();
        site.insert("timezone".into(), Value::scalar("Europe/Berlin"));
        assert_eq!(
            render("{{ page.date | date_to_xmlschema }}", &globals),
            "2016-07-02T00:30:00+02:00"
        );
        assert_eq!(
            render(
                "{{ \"2016-01-10 12:00:00\" | date_to_xmlschema }}",
                &globals
            ),
            "2016-01-10T12:00:00+01:00"
        );
        assert_eq!(render("{{ page.date | date: \"%H %Z\" }}", &globals), "22 ");
        assert_eq!(
            render(
                "{{ \"2016-01-10 12:00:00\" | date: \"%H %Z %z\" }}",
                &globals
            ),
            "12 CET +0100"
        );
    }
}
