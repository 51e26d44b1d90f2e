//! One-click fixes for a post's site problems, computed from what Jekyll computes (never from
//! a message's text): quote a date YAML would read as UTC, add the site's offset to it, or
//! rename the file so its date is the day Jekyll publishes the post. Each date fix is a
//! lossless edit of the `date` value's own bytes; the rename is a new file name.

use super::dates::{self, DateReading};
use super::index::{DateSource, Site, SitePost};
use crate::post::Post;

/// What a fix changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixEdit {
    /// Write this text as the `date` value (quotes included), every other byte kept.
    DateToken(String),
    /// Rename the file to this path from the site root (`/`-separated); never over a file.
    RenameFile(String),
}

/// Which problem a fix answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// An unquoted date without offset is read as UTC: quote it so it is the site's time.
    QuoteDate,
    /// The same problem: add the site's offset for that date instead.
    AddSiteOffset,
    /// The file name's date is not the day Jekyll publishes the post.
    RenameToDate,
}

/// A fix offered for one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Which problem it answers.
    pub kind: FixKind,
    /// The button text.
    pub label: String,
    /// What it changes.
    pub edit: FixEdit,
}

impl Fix {
    /// Applies a date fix to the post text (an undoable document edit wraps this); a rename
    /// changes nothing here (Ok(false)): the caller renames the file.
    pub fn apply_to_post(&self, post: &mut Post) -> crate::error::Result<bool> {
        match &self.edit {
            FixEdit::DateToken(token) => post.set_date_token(token),
            FixEdit::RenameFile(_) => Ok(false),
        }
    }
}

/// The `date` value as written in the post's own front matter.
fn date_token(post: &Post) -> Option<String> {
    let front = post.front_matter()?;
    let block = front.block().ok()?;
    let entry = block.entry("date")?;
    entry.inline_token(front.yaml()).map(str::to_string)
}

/// The fixes for `evaluated` (the result of [`Site::evaluate`] on `post`'s text).
pub fn fixes(site: &Site, evaluated: &SitePost, post: &Post) -> Vec<Fix> {
    let mut out = Vec::new();
    if evaluated.date_reading == Some(DateReading::UnquotedUtc)
        && evaluated.date_source == DateSource::FrontMatter
        && site.config.timezone.is_some()
        && let Some(date) = &evaluated.date
        && date.offset().seconds() != 0
        && let Some(token) = date_token(post)
    {
        let token = token.trim();
        out.push(Fix {
            kind: FixKind::QuoteDate,
            label: "Quote the date".into(),
            edit: FixEdit::DateToken(format!("\"{token}\"")),
        });
        let written = evaluated.date_written.unwrap_or_else(|| date.datetime());
        if let Some(offset) = dates::offset_text_at(written, &site.time_zone) {
            out.push(Fix {
                kind: FixKind::AddSiteOffset,
                label: format!("Add the site's offset ({offset})"),
                edit: FixEdit::DateToken(format!("{token} {offset}")),
            });
        }
    }
    if let Some(date) = &evaluated.date
        && matches!(
            evaluated.date_source,
            DateSource::FrontMatter | DateSource::Defaults
        )
        && let Some(file_day) = evaluated.file_name_day
        && date.date() != file_day
        && let Some(renamed) = renamed_for_day(&evaluated.path, date.date())
    {
        out.push(Fix {
            kind: FixKind::RenameToDate,
            label: "Rename the file to match the date".into(),
            edit: FixEdit::RenameFile(renamed),
        });
    }
    out
}

/// The path with its file name's leading `YYYY-MM-DD` replaced by `day`; None when the name
/// has no leading date.
pub fn renamed_for_day(path: &str, day: jiff::civil::Date) -> Option<String> {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (Some(folder), name),
        None => (None, path),
    };
    let mut parts = name.splitn(4, '-');
    let (year, month, rest_day) = (parts.next()?, parts.next()?, parts.next()?);
    let rest = parts.next()?;
    let is_number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !(is_number(year) && is_number(month) && is_number(rest_day)) || rest.is_empty() {
        return None;
    }
    let name = format!("{}-{rest}", day.strftime("%Y-%m-%d"));
    Some(match folder {
        Some(folder) => format!("{folder}/{name}"),
        None => name,
    })
}

#[cfg(test)]
mod tests {
    use super::super::index::IndexOptions;
    use super::*;
    use std::path::Path;

    use crate::site::test_support::write;

    fn berlin_site(root: &Path) -> Site {
        write(root, "_config.yml", "timezone: Europe/Berlin\n");
        write(
            root,
            "_posts/2025-01-01-other.md",
            "---\ntitle: Other\n---\n",
        );
        Site::open(root, &IndexOptions::default())
    }

    #[test]
    fn an_unquoted_date_gets_quote_and_offset_fixes_that_change_only_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let site = berlin_site(dir.path());
        let text = "---\ntitle: T\ndate: 2025-02-28 23:30:00 # late\n---\nBody\n";
        let post = Post::from_text(text);
        let evaluated = site.evaluate("_posts/2025-02-28-t.md", &post).unwrap();
        let found = fixes(&site, &evaluated, &post);
        let kinds: Vec<FixKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FixKind::QuoteDate,
                FixKind::AddSiteOffset,
                FixKind::RenameToDate
            ],
            "{found:?}"
        );
        let mut quoted = post.clone();
        assert!(found[0].apply_to_post(&mut quoted).unwrap());
        assert_eq!(
            quoted.to_text(),
            text.replace("2025-02-28 23:30:00", "\"2025-02-28 23:30:00\"")
        );
        let mut offset = post.clone();
        assert!(found[1].apply_to_post(&mut offset).unwrap());
        assert_eq!(
            offset.to_text(),
            text.replace("23:30:00", "23:30:00 +01:00")
        );
        // Read as UTC the post is published on 1 March 00:30 in Berlin (hence the rename
        // offer); either fix makes it 28 February 23:30 there, which clears every problem.
        for fixed in [&quoted, &offset] {
            let again = site.evaluate("_posts/2025-02-28-t.md", fixed).unwrap();
            assert!(
                fixes(&site, &again, fixed).is_empty(),
                "{:?}",
                again.problems
            );
            assert_eq!(
                again.date.unwrap().strftime("%d %H:%M").to_string(),
                "28 23:30"
            );
        }
    }

    #[test]
    fn a_file_date_other_than_the_published_day_offers_a_rename() {
        let dir = tempfile::tempdir().unwrap();
        let site = berlin_site(dir.path());
        let post = Post::from_text("---\ntitle: T\ndate: '2025-03-02 10:00:00'\n---\n");
        let evaluated = site.evaluate("_posts/2025-03-01-my-t.md", &post).unwrap();
        let found = fixes(&site, &evaluated, &post);
        assert_eq!(
            found,
            [Fix {
                kind: FixKind::RenameToDate,
                label: "Rename the file to match the date".into(),
                edit: FixEdit::RenameFile("_posts/2025-03-02-my-t.md".into()),
            }]
        );
        let mut unchanged = post.clone();
        assert!(!found[0].apply_to_post(&mut unchanged).unwrap());
    }

    #[test]
    fn no_fix_without_a_problem_or_without_a_site_zone() {
        let dir = tempfile::tempdir().unwrap();
        let site = berlin_site(dir.path());
        let post = Post::from_text("---\ntitle: T\ndate: 2025-03-01 10:00:00 +01:00\n---\n");
        let evaluated = site.evaluate("_posts/2025-03-01-t.md", &post).unwrap();
        assert!(fixes(&site, &evaluated, &post).is_empty());
        let plain = tempfile::tempdir().unwrap();
        write(plain.path(), "_config.yml", "title: x\n");
        write(plain.path(), "_posts/2025-01-01-a.md", "---\n---\n");
        let utc_site = Site::open(plain.path(), &IndexOptions::default());
        let unquoted = Post::from_text("---\ndate: 2025-03-01 10:00:00\n---\n");
        if let Some(evaluated) = utc_site.evaluate("_posts/2025-03-01-t.md", &unquoted) {
            assert!(
                fixes(&utc_site, &evaluated, &unquoted)
                    .iter()
                    .all(|f| f.kind == FixKind::RenameToDate)
            );
        }
    }

    #[test]
    fn the_renamed_path_keeps_folder_and_slug() {
        let day = jiff::civil::date(2025, 4, 9);
        assert_eq!(
            renamed_for_day("blog/_posts/2025-4-1-a-b.md", day).as_deref(),
            Some("blog/_posts/2025-04-09-a-b.md")
        );
        assert_eq!(renamed_for_day("_posts/notes.md", day), None);
        assert_eq!(
            renamed_for_day("_posts/2025-04-01-.md", day).as_deref(),
            Some("_posts/2025-04-09-.md")
        );
    }

    #[test]
    fn evaluate_follows_the_unsaved_text_and_the_rest_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = berlin_site(dir.path());
        let first = Post::from_text("---\ntitle: T\ndate: '2025-03-01 10:00:00'\n---\n");
        let at_first = site.evaluate("_posts/2025-03-01-t.md", &first).unwrap();
        assert_eq!(at_first.url.as_deref(), Some("/2025/03/01/t.html"));
        let moved = Post::from_text(
            "---\ntitle: T\ndate: '2025-03-05 10:00:00'\ncategories: [news]\n---\n",
        );
        let at_moved = site.evaluate("_posts/2025-03-01-t.md", &moved).unwrap();
        assert_eq!(at_moved.url.as_deref(), Some("/news/2025/03/05/t.html"));
        // Another post already at the URL is a duplicate; the post itself is not.
        let same = Post::from_text("---\ntitle: Other\n---\n");
        let clash = site.evaluate("_posts/2025-01-01-other.md", &same).unwrap();
        assert!(
            clash
                .problems
                .iter()
                .all(|p| !p.message.contains("two posts"))
        );
        let other = site
            .evaluate("_posts/2025-01-01-other.html", &same)
            .unwrap();
        assert!(
            other
                .problems
                .iter()
                .any(|p| p.message.contains("two posts"))
        );
        assert!(site.evaluate("about.md", &same).is_none());
        let draft = site.evaluate("_drafts/idea.md", &same).unwrap();
        assert!(draft.is_draft && !draft.is_published);
    }
}
