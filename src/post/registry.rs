//! The one table of front-matter fields Byline knows: what kind of value each holds, how a
//! new value is written, and how the form shows it. The form, `set`, the preview header and
//! export read this table; adding a field is one entry here (plus, at most, one widget).

use super::scalar::QuoteStyle;

/// What kind of value a known field holds, as Jekyll uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text: whatever the user types is the string written (`title: 2024` would be a
    /// number, so it is quoted).
    Text,
    /// The post's date (`YYYY-MM-DD HH:MM:SS +hhmm`).
    Date,
    /// A list of words. `space_separated`: Jekyll also accepts one string and splits it on
    /// whitespace (`tags: a b c`).
    List {
        /// True when a single string is read as a space-separated list.
        space_separated: bool,
    },
    /// `true` / `false` (Psych also reads `yes`/`no`/`on`/`off`).
    Bool,
    /// Text, or a map of sub-fields (`image: {path: …, alt: …}`, `author: {name: …}`).
    MapOrText,
}

/// Which widget the form uses for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormWidget {
    /// One line of text.
    SingleLine,
    /// Several lines of text.
    MultiLine,
    /// Date and time pickers.
    Date,
    /// Chips with an "add" box.
    Tags,
    /// A checkbox.
    Checkbox,
    /// A path with a picker and a thumbnail.
    Image,
    /// No widget of its own: shown with the other keys as raw YAML.
    OtherKeys,
}

/// One known front-matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key as written in the front matter.
    pub name: &'static str,
    /// The form's label.
    pub label: &'static str,
    /// What the value is.
    pub kind: FieldKind,
    /// Quote style of a value written for a post that does not have the key yet (free text
    /// with punctuation is usually double-quoted in Jekyll posts).
    pub new_value_style: QuoteStyle,
    /// The form's widget.
    pub widget: FormWidget,
}

impl FieldSpec {
    /// True for fields whose value is text the user types (text, or the text form of a
    /// map-or-text field): a typed `2024`, `true`, `#1` or `1e3` is that string.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, FieldKind::Text | FieldKind::MapOrText)
    }

    /// True when a nested `key.sub=value` edit makes sense (the value may be a map).
    pub fn may_be_map(&self) -> bool {
        self.kind == FieldKind::MapOrText
    }

    /// True for list fields.
    pub fn is_list(&self) -> bool {
        matches!(self.kind, FieldKind::List { .. })
    }
}

const fn spec(
    name: &'static str,
    label: &'static str,
    kind: FieldKind,
    new_value_style: QuoteStyle,
    widget: FormWidget,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind,
        new_value_style,
        widget,
    }
}

const WORDS: FieldKind = FieldKind::List {
    space_separated: true,
};

/// Every known field, in the order the form shows them.
pub const FIELDS: &[FieldSpec] = &[
    spec(
        "title",
        "Title",
        FieldKind::Text,
        QuoteStyle::Double,
        FormWidget::SingleLine,
    ),
    spec(
        "date",
        "Date",
        FieldKind::Date,
        QuoteStyle::Plain,
        FormWidget::Date,
    ),
    spec(
        "author",
        "Author",
        FieldKind::MapOrText,
        QuoteStyle::Double,
        FormWidget::SingleLine,
    ),
    spec(
        "layout",
        "Layout",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::SingleLine,
    ),
    spec(
        "categories",
        "Categories",
        WORDS,
        QuoteStyle::Plain,
        FormWidget::Tags,
    ),
    spec(
        "category",
        "Category",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::OtherKeys,
    ),
    spec("tags", "Tags", WORDS, QuoteStyle::Plain, FormWidget::Tags),
    spec(
        "tag",
        "Tag",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::OtherKeys,
    ),
    spec(
        "excerpt",
        "Excerpt",
        FieldKind::Text,
        QuoteStyle::Double,
        FormWidget::MultiLine,
    ),
    spec(
        "description",
        "Description",
        FieldKind::Text,
        QuoteStyle::Double,
        FormWidget::SingleLine,
    ),
    spec(
        "image",
        "Image",
        FieldKind::MapOrText,
        QuoteStyle::Plain,
        FormWidget::Image,
    ),
    spec(
        "published",
        "Published",
        FieldKind::Bool,
        QuoteStyle::Plain,
        FormWidget::Checkbox,
    ),
    spec(
        "permalink",
        "Permalink",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::SingleLine,
    ),
    spec(
        "slug",
        "Slug",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::SingleLine,
    ),
    spec(
        "lang",
        "Language",
        FieldKind::Text,
        QuoteStyle::Plain,
        FormWidget::SingleLine,
    ),
];

/// The known field named `name`, if any.
pub fn field(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The fields that have a widget of their own in the form (the form lists every other key
/// under "other keys").
pub fn form_fields() -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(|f| f.widget != FormWidget::OtherKeys)
}

/// Quote style for a new value of `key` (plain for unknown keys).
pub fn new_value_style(key: &str) -> QuoteStyle {
    field(key).map_or(QuoteStyle::Plain, |f| f.new_value_style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lists_are_lists() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS.iter().skip(i + 1).all(|g| g.name != f.name),
                "{}",
                f.name
            );
        }
        assert!(field("tags").unwrap().is_list());
        assert!(field("title").unwrap().is_text());
        assert!(field("image").unwrap().may_be_map());
        assert_eq!(field("published").unwrap().kind, FieldKind::Bool);
        assert!(field("nope").is_none());
        assert_eq!(new_value_style("title"), QuoteStyle::Double);
    }
}
