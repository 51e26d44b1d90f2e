//! Which files Jekyll reads: its entry filter (names starting with `.`, `_`, `#` or `~`, backups
//! ending in `~`, `exclude` and `include`) and the glob matching used by `exclude` and by
//! `defaults` scopes.

use super::config::SiteConfig;

/// Matches `text` against a shell glob (`*`, `?`, `[abc]`, `[!a-z]`, `\x`). With
/// `star_crosses_slash` (Ruby's `File.fnmatch?` without flags) `*` also matches `/`; without it
/// (`Dir.glob`) only `**` does.
pub fn glob_match(pattern: &str, text: &str, star_crosses_slash: bool) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    matches_from(&pattern, &text, star_crosses_slash)
}

fn tail<T>(items: &[T], from: usize) -> &[T] {
    items.get(from..).unwrap_or(&[])
}

fn matches_from(pattern: &[char], text: &[char], star_crosses_slash: bool) -> bool {
    let Some((&first, rest)) = pattern.split_first() else {
        return text.is_empty();
    };
    match first {
        '*' => {
            let double = rest.first() == Some(&'*');
            let rest = if double { tail(rest, 1) } else { rest };
            // `**/` matches zero or more whole folders.
            if double
                && rest.first() == Some(&'/')
                && matches_from(tail(rest, 1), text, star_crosses_slash)
            {
                return true;
            }
            let crosses = star_crosses_slash || double;
            for skip in 0..=text.len() {
                if matches_from(rest, tail(text, skip), star_crosses_slash) {
                    return true;
                }
                if text.get(skip) == Some(&'/') && !crosses {
                    return false;
                }
            }
            false
        }
        '?' => match text.split_first() {
            Some((&c, text_rest)) if star_crosses_slash || c != '/' => {
                matches_from(rest, text_rest, star_crosses_slash)
            }
            _ => false,
        },
        '[' => {
            let Some((&c, text_rest)) = text.split_first() else {
                return false;
            };
            let Some(close) = rest.iter().skip(1).position(|&p| p == ']').map(|i| i + 1) else {
                return c == '[' && matches_from(rest, text_rest, star_crosses_slash);
            };
            let class = rest.get(..close).unwrap_or(&[]);
            let (negated, class) = match class.split_first() {
                Some(('!' | '^', after)) => (true, after),
                _ => (false, class),
            };
            let mut found = false;
            let mut i = 0;
            while let Some(&low) = class.get(i) {
                match (class.get(i + 1), class.get(i + 2)) {
                    (Some('-'), Some(&high)) => {
                        found |= low <= c && c <= high;
                        i += 3;
                    }
                    _ => {
                        found |= low == c;
                        i += 1;
                    }
                }
            }
            found != negated && matches_from(tail(rest, close + 1), text_rest, star_crosses_slash)
        }
        '\\' if !rest.is_empty() => match text.split_first() {
            Some((&c, text_rest)) if Some(&c) == rest.first() => {
                matches_from(tail(rest, 1), text_rest, star_crosses_slash)
            }
            _ => false,
        },
        literal => match text.split_first() {
            Some((&c, text_rest)) if c == literal => {
                matches_from(rest, text_rest, star_crosses_slash)
            }
            _ => false,
        },
    }
}

/// Jekyll's `glob_include?`: a pattern matches a path (relative to the site root) when it
/// globs it, is a prefix of it, or names it as a folder with a trailing `/`.
fn pattern_includes(pattern: &str, relative: &str, is_dir: bool) -> bool {
    let pattern = pattern.trim_start_matches('/');
    let relative = relative.trim_start_matches('/');
    glob_match(pattern, relative, true)
        || relative.starts_with(pattern)
        || (is_dir && pattern == format!("{relative}/"))
}

/// Jekyll's entry filter for one entry: `entry` is the name (or path) as listed inside the
/// folder being read, `relative` the same entry's path from the site root.
pub fn is_entry_kept(config: &SiteConfig, entry: &str, relative: &str, is_dir: bool) -> bool {
    if entry.ends_with('.') {
        return false;
    }
    let basename = entry.rsplit('/').next().unwrap_or(entry);
    let included = config
        .include
        .iter()
        .any(|p| pattern_includes(p, entry, is_dir) || pattern_includes(p, basename, is_dir));
    let excluded = config
        .exclude
        .iter()
        .filter(|p| !config.include.contains(p))
        .any(|p| pattern_includes(p, relative, is_dir));
    if excluded && !included {
        return false;
    }
    if included {
        return true;
    }
    let is_special = |name: &str| name.starts_with(['.', '_', '#', '~']);
    !(is_special(entry) || is_special(basename) || entry.ends_with('~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_as_ruby_matches_them() {
        assert!(glob_match("_posts/*", "_posts/a/b.md", true));
        assert!(!glob_match("_posts/*", "_posts/a/b.md", false));
        assert!(glob_match("_posts/**/b.md", "_posts/a/b.md", false));
        assert!(glob_match("_posts/**/b.md", "_posts/b.md", false));
        assert!(glob_match("*.m[a-d]", "x.md", true));
        assert!(!glob_match("*.m[!a-d]", "x.md", true));
        assert!(glob_match("a?c", "abc", false));
    }

    #[test]
    fn special_names_are_left_out_unless_included() {
        let mut config = SiteConfig::default();
        assert!(is_entry_kept(&config, "blog", "blog", true));
        assert!(!is_entry_kept(&config, "_hidden", "_hidden", true));
        assert!(!is_entry_kept(
            &config,
            "sub/_x.md",
            "_posts/sub/_x.md",
            false
        ));
        assert!(!is_entry_kept(&config, "x.md~", "x.md~", false));
        assert!(!is_entry_kept(
            &config,
            "node_modules",
            "node_modules",
            true
        ));
        config.exclude.push("old".into());
        assert!(!is_entry_kept(&config, "old", "old", true));
        config.include.push("_hidden".into());
        assert!(is_entry_kept(&config, "_hidden", "_hidden", true));
    }
}
