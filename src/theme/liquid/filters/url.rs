//! `relative_url`, `absolute_url`, `strip_index`, `uri_escape`, `cgi_escape`, and the URL
//! normalisation Jekyll gets from Addressable (`Addressable::URI.parse(..).normalize`).

use super::FilterCall;
use super::ruby::{global_at, ruby_to_s};
use liquid_core::{Result, Runtime, Value, ValueView};

/// `site.<key>` as text, `None` when nil or undefined.
pub(crate) fn site_string(runtime: &dyn Runtime, key: &str) -> Option<String> {
    global_at(runtime, &["site", key])
        .filter(|value| !value.is_nil())
        .map(|value| ruby_to_s(&value))
}

/// True when `text` has a scheme (`https:`, `mailto:`), which is what Addressable calls
/// absolute; `//host/path` is not.
pub(crate) fn is_absolute_url(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    if scheme.contains(['/', '?', '#']) {
        return false;
    }
    let mut chars = scheme.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The URL a filter input stands for: an object with a `url` (a page, a post) gives its URL.
fn input_url(input: &dyn ValueView) -> String {
    if let Some(object) = input.as_object()
        && let Some(url) = object.get("url")
    {
        return ruby_to_s(url);
    }
    ruby_to_s(input)
}

fn ensure_leading_slash(text: &str) -> String {
    if text.is_empty() || text.starts_with('/') {
        text.to_string()
    } else {
        format!("/{text}")
    }
}

/// Jekyll's `relative_url` of `url` for a site with `baseurl`.
pub(crate) fn relative_url_text(url: &str, baseurl: Option<&str>) -> String {
    if is_absolute_url(url) {
        return url.to_string();
    }
    let baseurl = baseurl.unwrap_or("");
    let baseurl = baseurl.strip_suffix('/').unwrap_or(baseurl);
    let joined = format!(
        "{}{}",
        ensure_leading_slash(baseurl),
        ensure_leading_slash(url)
    );
    normalize_url(&joined)
}

/// Jekyll's `absolute_url` of `url` for a site with `url` and `baseurl`.
pub(crate) fn absolute_url_text(
    url: &str,
    site_url: Option<&str>,
    baseurl: Option<&str>,
) -> String {
    if is_absolute_url(url) {
        return url.to_string();
    }
    let relative = relative_url_text(url, baseurl);
    match site_url {
        None | Some("") => relative,
        Some(site_url) => normalize_url(&format!("{site_url}{relative}")),
    }
}

/// `{{ x | relative_url }}`.
pub(crate) fn relative_url(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    let baseurl = site_string(call.runtime, "baseurl");
    Ok(Value::scalar(relative_url_text(
        &input_url(call.input),
        baseurl.as_deref(),
    )))
}

/// `{{ x | absolute_url }}`.
pub(crate) fn absolute_url(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    let site_url = site_string(call.runtime, "url");
    let baseurl = site_string(call.runtime, "baseurl");
    Ok(Value::scalar(absolute_url_text(
        &input_url(call.input),
        site_url.as_deref(),
        baseurl.as_deref(),
    )))
}

/// `{{ x | strip_index }}`: `/a/index.html` → `/a/`.
pub(crate) fn strip_index(call: &FilterCall<'_>) -> Result<Value> {
    let text = ruby_to_s(call.input);
    if text.is_empty() {
        return Ok(call.input.to_value());
    }
    for suffix in ["/index.html", "/index.htm"] {
        if let Some(stem) = text.strip_suffix(suffix) {
            return Ok(Value::scalar(format!("{stem}/")));
        }
    }
    Ok(Value::scalar(text))
}

const UNRESERVED: &str = "-._~";
const SUB_DELIMS: &str = "!$&'()*+,;=";

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || UNRESERVED.as_bytes().contains(&byte)
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

fn push_percent(out: &mut String, byte: u8) {
    out.push_str(&format!("%{byte:02X}"));
}

/// Percent-encoding of one URL part as Addressable normalises it: `%XX` of a character in
/// `allowed` (and not in `kept_encoded`) is decoded, other escapes are upper-cased, characters
/// outside `allowed` are encoded (as UTF-8 bytes), a stray `%` becomes `%25`.
fn normalize_component(text: &str, allowed: &str, kept_encoded: &str) -> String {
    let is_allowed = |byte: u8| is_unreserved(byte) || allowed.as_bytes().contains(&byte);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let high = bytes.get(index + 1).copied().and_then(hex_value);
            let low = bytes.get(index + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                let decoded = high * 16 + low;
                if is_allowed(decoded) && !kept_encoded.as_bytes().contains(&decoded) {
                    out.push(decoded as char);
                } else {
                    push_percent(&mut out, decoded);
                }
                index += 3;
                continue;
            }
            out.push_str("%25");
        } else if byte.is_ascii() && is_allowed(byte) {
            out.push(byte as char);
        } else {
            push_percent(&mut out, byte);
        }
        index += 1;
    }
    out
}

/// RFC 3986's `remove_dot_segments`.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output: Vec<&str> = Vec::new();
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = input.get(2..).unwrap_or("");
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." {
                "/"
            } else {
                input.get(3..).unwrap_or("")
            };
            output.pop();
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input
                .get(start..)
                .and_then(|rest| rest.find('/'))
                .map_or(input.len(), |i| i + start);
            let (segment, rest) = input.split_at(end);
            output.push(segment);
            input = rest;
        }
    }
    output.concat()
}

/// `Addressable::URI.parse(url).normalize.to_s` for the URLs Jekyll builds: scheme and host
/// lower-cased, default ports dropped, dot segments removed, escapes normalised, empty query
/// and fragment dropped.
pub(crate) fn normalize_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once(':') {
        Some((scheme, rest)) if is_absolute_url(url) => (Some(scheme.to_ascii_lowercase()), rest),
        _ => (None, url),
    };
    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (before_fragment, None),
    };
    let (authority, path) = match before_query.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let (authority, path) = after.split_at(end);
            (Some(authority), path)
        }
        None => (None, before_query),
    };

    let mut out = String::with_capacity(url.len() + 8);
    if let Some(scheme) = &scheme {
        out.push_str(scheme);
        out.push(':');
    }
    if let Some(authority) = authority {
        out.push_str("//");
        out.push_str(&normalize_authority(authority, scheme.as_deref()));
    }
    let mut path = normalize_component(path, &format!("{SUB_DELIMS}:@/"), "/");
    if path.starts_with('/') || scheme.is_some() {
        path = remove_dot_segments(&path);
    }
    if path.is_empty()
        && authority.is_some()
        && matches!(scheme.as_deref(), Some("http" | "https" | "ftp" | "tftp"))
    {
        path.push('/');
    }
    out.push_str(&path);
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        let parts: Vec<String> = query
            .split('&')
            .map(|part| normalize_component(part, "!$'()*,;=:@/?+", "+"))
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(&normalize_component(
            fragment,
            &format!("{SUB_DELIMS}:@/?"),
            "",
        ));
    }
    out
}

fn normalize_authority(authority: &str, scheme: Option<&str>) -> String {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (host_port, None),
    };
    let default_port = match scheme {
        Some("http") => Some("80"),
        Some("https") => Some("443"),
        Some("ftp") => Some("21"),
        _ => None,
    };
    let mut out = String::new();
    if let Some(userinfo) = userinfo {
        out.push_str(userinfo);
        out.push('@');
    }
    out.push_str(&host.to_lowercase());
    if let Some(port) = port.filter(|p| !p.is_empty() && Some(*p) != default_port) {
        out.push(':');
        out.push_str(port);
    }
    out
}

/// Jekyll's `uri_escape` (`Addressable::URI.normalize_component`): every escape decoded, then
/// whatever is neither reserved nor unreserved encoded.
pub(crate) fn uri_escape_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let high = bytes.get(index + 1).copied().and_then(hex_value);
            let low = bytes.get(index + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                decoded.push(high * 16 + low);
                index += 3;
                continue;
            }
        }
        decoded.push(byte);
        index += 1;
    }
    let mut out = String::with_capacity(decoded.len());
    for byte in decoded {
        let reserved = b":/?#[]@".contains(&byte) || SUB_DELIMS.as_bytes().contains(&byte);
        if is_unreserved(byte) || reserved {
            out.push(byte as char);
        } else {
            push_percent(&mut out, byte);
        }
    }
    out
}

/// `{{ x | uri_escape }}`.
pub(crate) fn uri_escape(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::scalar(uri_escape_text(&ruby_to_s(call.input))))
}

/// `{{ x | cgi_escape }}` (Ruby's `CGI.escape`: space as `+`, all but `A-Za-z0-9_.-~` encoded).
pub(crate) fn cgi_escape(call: &FilterCall<'_>) -> Result<Value> {
    let text = ruby_to_s(call.input);
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte == b' ' {
            out.push('+');
        } else if is_unreserved(byte) {
            out.push(byte as char);
        } else {
            push_percent(&mut out, byte);
        }
    }
    Ok(Value::scalar(out))
}

/// `{{ x | url_encode }}`: Liquid 5's, which is Ruby's `CGI.escape` (liquid-lib's writes a
/// space as `%20` and encodes `~`).
pub(crate) fn url_encode(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Ok(Value::Nil);
    }
    cgi_escape(call)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render, site};
    use super::*;

    /// Jekyll 4.3.1 with `baseurl: /tale`, `url: https://ex.com`.
    #[test]
    fn relative_and_absolute_urls_match_jekyll() {
        let globals = site(Some("https://ex.com"), Some("/tale"));
        let cases = [
            ("{{ \"/about/\" | relative_url }}", "/tale/about/"),
            ("{{ \"about\" | relative_url }}", "/tale/about"),
            ("{{ \"\" | relative_url }}", "/tale"),
            ("{{ nil | relative_url }}", ""),
            (
                "{{ \"/a b/ü?x=1 2#f g\" | relative_url }}",
                "/tale/a%20b/%C3%BC?x=1%202#f%20g",
            ),
            (
                "{{ \"http://X.com/A/../b\" | relative_url }}",
                "http://X.com/A/../b",
            ),
            ("{{ \"/a/../b/./c\" | relative_url }}", "/tale/b/c"),
            ("{{ \"//cdn.com/x\" | relative_url }}", "/tale//cdn.com/x"),
            (
                "{{ \"/about/\" | absolute_url }}",
                "https://ex.com/tale/about/",
            ),
            ("{{ \"\" | absolute_url }}", "https://ex.com/tale"),
            ("{{ \"mailto:a@b\" | absolute_url }}", "mailto:a@b"),
            ("{{ \"/%20x%2fy\" | relative_url }}", "/tale/%20x%2Fy"),
            ("{{ \"/a%e2%82%ac\" | relative_url }}", "/tale/a%E2%82%AC"),
            ("{{ \"/[x]\" | relative_url }}", "/tale/%5Bx%5D"),
            ("{{ \"/a:b\" | relative_url }}", "/tale/a:b"),
            ("{{ \"a:b\" | relative_url }}", "a:b"),
            ("{{ 5 | relative_url }}", "/tale/5"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, &globals), expected, "{template}");
        }
    }

    #[test]
    fn sites_without_url_or_baseurl_match_jekyll() {
        let bare = site(None, None);
        assert_eq!(render("{{ \"/a/\" | absolute_url }}", &bare), "/a/");
        assert_eq!(render("{{ \"\" | relative_url }}", &bare), "");
        assert_eq!(render("{{ \"x\" | relative_url }}", &bare), "/x");
        let empty_url = site(Some(""), Some("/blog/"));
        assert_eq!(
            render("{{ \"/a/\" | absolute_url }}", &empty_url),
            "/blog/a/"
        );
        let root = site(Some("https://ex.com"), None);
        assert_eq!(
            render("{{ \"\" | absolute_url }}", &root),
            "https://ex.com/"
        );
        assert_eq!(
            render("{{ \"/\" | absolute_url }}", &root),
            "https://ex.com/"
        );
    }

    /// `Addressable::URI.parse(x).normalize.to_s` on this machine.
    #[test]
    fn normalization_matches_addressable() {
        let cases = [
            ("https://ex.com", "https://ex.com/"),
            ("HTTPS://Ex.COM:443/a", "https://ex.com/a"),
            ("http://ex.com:8080/x/", "http://ex.com:8080/x/"),
            ("/%41%7e%2F%3f", "/A~%2F%3F"),
            ("/a?b=%41&c=d e", "/a?b=A&c=d%20e"),
            ("/a#%41 b", "/a#A%20b"),
            ("/a\"b<c>", "/a%22b%3Cc%3E"),
            ("/a{b}|c\\d^e`f", "/a%7Bb%7D%7Cc%5Cd%5Ee%60f"),
            ("/a'b(c)*!", "/a'b(c)*!"),
            ("/a+b,c;d=e&f$g", "/a+b,c;d=e&f$g"),
            ("/?q=a+b/c?d", "/?q=a+b/c?d"),
            ("/a%zz", "/a%25zz"),
            ("/a/b/..", "/a/"),
            ("/a?", "/a"),
            ("/a?x#", "/a?x"),
            ("http://ex.com?x", "http://ex.com/?x"),
            ("/%2B%21%3A%40%26%3D%2C%24%27", "/+!:@&=,$'"),
            ("/?a=%2B%21%3A%40%26%3D%2C%3F%2F%23", "/?a=%2B!:@%26=,?/%23"),
            ("/#%2B%3F%23%2F", "/#+?%23/"),
            ("/#a#b", "/#a%23b"),
            ("/a/%2e%2e/b", "/b"),
            ("/%ff", "/%FF"),
            ("/a\tb", "/a%09b"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_url(input), expected, "{input}");
        }
    }

    #[test]
    fn escapes_match_jekyll() {
        assert_eq!(uri_escape_text("foo, bar \\baz?"), "foo,%20bar%20%5Cbaz?");
        assert_eq!(uri_escape_text("%20%2F%41%zz"), "%20/A%25zz");
        assert_eq!(uri_escape_text("a/b?c=d&e#f[g]"), "a/b?c=d&e#f[g]");
        assert_eq!(uri_escape_text("é'\"<>&"), "%C3%A9'%22%3C%3E&");
        let globals = liquid::Object::new();
        assert_eq!(
            render("{{ \"foo, bar \\baz?\" | cgi_escape }}", &globals),
            "foo%2C+bar+%5Cbaz%3F"
        );
        assert_eq!(render("{{ \"~*é\" | cgi_escape }}", &globals), "~%2A%C3%A9");
        assert_eq!(
            render("{{ \"a b~/c\" | url_encode }}", &globals),
            "a+b~%2Fc"
        );
        assert_eq!(
            render("{{ \"/a/index.html\" | strip_index }}", &globals),
            "/a/"
        );
    }
}
