//! New posts: Jekyll file names, slugs and the front-matter template a new post starts from.

use super::date::PostDate;
use super::registry;
use super::scalar::string_scalar;

/// A URL- and file-safe slug: transliterated to lowercase ASCII, words joined by hyphens
/// ("Café Über Straße!" → "cafe-uber-strasse"), as Jekyll's `slugify` does for Latin text.
pub fn slugify(title: &str) -> String {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
}

/// The file name Jekyll expects: `YYYY-MM-DD-slug.md` for a post, `slug.md` for a draft.
pub fn file_name(title: &str, date: &PostDate, is_draft: bool) -> String {
    let slug = slugify(title);
    if is_draft {
        format!("{slug}.md")
    } else {
        format!("{}-{slug}.md", date.local.format("%Y-%m-%d"))
    }
}

/// The text of a new post, in the seed post's layout: `layout`, quoted `title`, `date`,
/// `author`, flow lists for categories and tags, then an empty body.
pub fn new_post_text(title: &str, date: &PostDate, author: &str, is_draft: bool) -> String {
    let mut out = String::from("---\nlayout: post\n");
    out.push_str(&format!(
        "title: {}\n",
        string_scalar(title, registry::new_value_style("title"), false)
    ));
    out.push_str(&format!("date: {}\n", date.to_text()));
    if !author.is_empty() {
        out.push_str(&format!(
            "author: {}\n",
            string_scalar(author, registry::new_value_style("author"), false)
        ));
    }
    out.push_str("categories: []\ntags: []\n");
    if is_draft {
        out.push_str("published: false\n");
    }
    out.push_str("---\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::Post;

    #[test]
    fn slugs_are_lowercase_ascii_with_hyphens() {
        assert_eq!(
            slugify("Café Über Straße: it's 2025!"),
            "cafe-uber-strasse-it-s-2025"
        );
        assert_eq!(slugify("Привет мир"), "privet-mir");
        assert_eq!(slugify("!!!"), "untitled");
    }

    #[test]
    fn template_reads_back_with_its_fields() {
        let date = PostDate::parse("2025-11-30 10:00:00 +0100").unwrap();
        let text = new_post_text("Yes: \"quoted\"", &date, "Ann", false);
        let post = Post::from_text(&text);
        assert_eq!(post.text("title").as_deref(), Some("Yes: \"quoted\""));
        assert_eq!(
            post.text("date").as_deref(),
            Some("2025-11-30 10:00:00 +0100")
        );
        assert_eq!(post.list("tags"), Vec::<String>::new());
        assert_eq!(
            file_name("Hello World", &date, false),
            "2025-11-30-hello-world.md"
        );
        assert_eq!(file_name("Hello World", &date, true), "hello-world.md");
    }
}
