//! Spell checking of a post's Markdown body, without any UI: which byte ranges are misspelled
//! words (prose only — code, Liquid, URLs and HTML are never checked) and what to suggest.
//! Dictionaries are Hunspell's: the system's (`/usr/share/hunspell`) when present, and a bundled
//! en_US (SCOWL, see `assets/dictionaries/en_US-LICENSE.txt`) so it works on a fresh machine.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// The bundled en_US affix file.
const EN_US_AFF: &str = include_str!("../assets/dictionaries/en_US.aff");
/// The bundled en_US word list.
const EN_US_DIC: &str = include_str!("../assets/dictionaries/en_US.dic");

/// Where the system keeps Hunspell dictionaries, searched in order.
pub const SYSTEM_DICTIONARY_DIRS: [&str; 3] = [
    "/usr/share/hunspell",
    "/usr/share/myspell/dicts",
    "/usr/share/myspell",
];

/// Why a dictionary could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SpellError {
    /// No dictionary for the language in the searched folders (and it is not the bundled one).
    #[error("no spelling dictionary for `{language}`")]
    NoDictionary {
        /// The language asked for.
        language: String,
    },
    /// A dictionary file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The dictionary's files are not valid Hunspell.
    #[error("the spelling dictionary for `{language}` is invalid: {reason}")]
    Invalid {
        /// The language of the dictionary.
        language: String,
        /// The parser's reason.
        reason: String,
    },
}

/// Liquid outputs and tags (which may span lines).
static LIQUID: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").ok());

/// Liquid blocks whose content is code, not prose.
static LIQUID_CODE_BLOCK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?s)\{%-?\s*(raw|highlight|comment)\b.*?\{%-?\s*end(raw|highlight|comment)\s*-?%\}",
    )
    .ok()
});

/// Bare URLs, e-mail addresses and paths written in the text.
static URL_LIKE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\S+|(?:^|\s)/\S+").ok()
});

/// A Hunspell dictionary and the words the user added, with a cache of checked words (a post
/// repeats most of its words, so a long one is checked in a few milliseconds).
pub struct SpellChecker {
    language: String,
    dictionary: spellbook::Dictionary,
    added: HashSet<String>,
    checked: HashMap<String, bool>,
}

impl std::fmt::Debug for SpellChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpellChecker")
            .field("language", &self.language)
            .field("added", &self.added.len())
            .finish_non_exhaustive()
    }
}

impl SpellChecker {
    /// The bundled en_US dictionary (always available).
    pub fn bundled_en_us() -> Result<SpellChecker, SpellError> {
        SpellChecker::from_hunspell("en_US", EN_US_AFF, EN_US_DIC)
    }

    /// A checker from the text of a Hunspell `.aff` and `.dic` pair.
    pub fn from_hunspell(language: &str, aff: &str, dic: &str) -> Result<SpellChecker, SpellError> {
        let dictionary =
            spellbook::Dictionary::new(aff, dic).map_err(|err| SpellError::Invalid {
                language: language.to_string(),
                reason: err.to_string(),
            })?;
        Ok(SpellChecker {
            language: language.to_string(),
            dictionary,
            added: HashSet::new(),
            checked: HashMap::new(),
        })
    }

    /// The dictionary for `language` (a post's `lang` such as `en`, `en-GB`, `de_DE`): the
    /// system's when it has one, else the bundled en_US for English.
    pub fn for_language(language: &str) -> Result<SpellChecker, SpellError> {
        let dirs: Vec<&Path> = SYSTEM_DICTIONARY_DIRS.iter().map(Path::new).collect();
        SpellChecker::for_language_in(language, &dirs)
    }

    /// [`SpellChecker::for_language`] searching `dirs` instead of the system's folders.
    pub fn for_language_in(language: &str, dirs: &[&Path]) -> Result<SpellChecker, SpellError> {
        if let Some((name, aff, dic)) = find_dictionary(language, dirs) {
            let read = |path: &Path| {
                std::fs::read_to_string(path).map_err(|source| SpellError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            };
            return SpellChecker::from_hunspell(&name, &read(&aff)?, &read(&dic)?);
        }
        let tag = normalize_language(language);
        if tag == "en" || tag == "en_US" {
            return SpellChecker::bundled_en_us();
        }
        Err(SpellError::NoDictionary {
            language: language.to_string(),
        })
    }

    /// The dictionary's language, as its file is named (`en_US`).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// True when `word` is spelled correctly (or was added by the user).
    pub fn is_correct(&mut self, word: &str) -> bool {
        if let Some(known) = self.checked.get(word) {
            return *known;
        }
        let word = word.replace('’', "'");
        if self.added.contains(&word) {
            return true;
        }
        if let Some(known) = self.checked.get(&word) {
            return *known;
        }
        let correct = self.dictionary.check(&word);
        self.checked.insert(word, correct);
        correct
    }

    /// Spellings to offer for `word`, best first.
    pub fn suggestions(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.dictionary.suggest(&word.replace('’', "'"), &mut out);
        out
    }

    /// Accepts `word` from now on ("Add to dictionary"); keeping the list between runs is the
    /// caller's choice ([`SpellChecker::added_words`]).
    pub fn add_word(&mut self, word: &str) {
        let word = word.replace('’', "'");
        self.checked.clear();
        self.added.insert(word);
    }

    /// The words the user added, to save with the settings.
    pub fn added_words(&self) -> impl Iterator<Item = &str> {
        self.added.iter().map(String::as_str)
    }

    /// Byte ranges of the misspelled words of a Markdown body, in order. Only prose is checked:
    /// code spans and blocks, HTML, link and image targets, autolinks, bare URLs and e-mail
    /// addresses, Liquid (`{{ }}`, `{% %}`, and raw/highlight/comment blocks) are skipped, and
    /// so are words with digits or capitals after the first letter (`h264`, `iPhone`, `HTML`).
    pub fn misspelled_ranges(&mut self, markdown: &str) -> Vec<Range<usize>> {
        let skipped = skipped_ranges(markdown);
        // Words come in order, so the skipped ranges are walked once alongside them.
        let mut next_skipped = 0;
        let mut out = Vec::new();
        for segment in prose_segments(markdown) {
            let text = markdown.get(segment.clone()).unwrap_or("");
            for word in words(text) {
                let range = segment.start + word.start..segment.start + word.end;
                while skipped
                    .get(next_skipped)
                    .is_some_and(|s| s.end <= range.start)
                {
                    next_skipped += 1;
                }
                if skipped
                    .get(next_skipped)
                    .is_some_and(|s| s.start < range.end)
                {
                    continue;
                }
                let Some(word) = markdown.get(range.clone()) else {
                    continue;
                };
                if is_checkable(word) && !self.is_correct(word) {
                    out.push(range);
                }
            }
        }
        out
    }
}

/// `en-GB` → `en_GB`, `EN_us` → `en_US`.
fn normalize_language(language: &str) -> String {
    let mut parts = language.trim().split(['-', '_']);
    let lang = parts.next().unwrap_or("").to_lowercase();
    match parts.next() {
        Some(region) if !region.is_empty() => format!("{lang}_{}", region.to_uppercase()),
        _ => lang,
    }
}

/// The `.aff`/`.dic` pair for `language` in `dirs`: the exact name first, then any region of
/// the language (`de` finds `de_DE`). Returns the dictionary's name and both paths.
fn find_dictionary(language: &str, dirs: &[&Path]) -> Option<(String, PathBuf, PathBuf)> {
    let tag = normalize_language(language);
    if tag.is_empty() {
        return None;
    }
    let pair = |dir: &Path, name: &str| {
        let aff = dir.join(format!("{name}.aff"));
        let dic = dir.join(format!("{name}.dic"));
        (aff.is_file() && dic.is_file()).then(|| (name.to_string(), aff, dic))
    };
    let exact = dirs.iter().find_map(|dir| pair(dir, &tag));
    exact.or_else(|| {
        let lang = tag.split('_').next().unwrap_or("");
        dirs.iter().find_map(|dir| {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .ok()?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".dic").map(str::to_string))
                .filter(|n| n == lang || n.starts_with(&format!("{lang}_")))
                .collect();
            names.sort();
            names.iter().find_map(|name| pair(dir, name))
        })
    })
}

/// Byte ranges of the body that hold prose, as Markdown text events that are written
/// verbatim (not entities or escapes), joined when adjacent.
fn prose_segments(markdown: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut segments: Vec<Range<usize>> = Vec::new();
    let mut code_depth = 0usize;
    let mut autolink_depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink_depth += 1,
            Event::End(TagEnd::Link) => autolink_depth = autolink_depth.saturating_sub(1),
            Event::Text(text) if code_depth == 0 && autolink_depth == 0 => {
                if markdown.get(range.clone()) != Some(text.as_ref()) {
                    continue;
                }
                match segments.last_mut() {
                    Some(last) if last.end == range.start => last.end = range.end,
                    _ => segments.push(range),
                }
            }
            _ => {}
        }
    }
    segments
}

/// Liquid, Liquid code blocks and URL-like text anywhere in the body, sorted and merged so
/// they do not overlap.
fn skipped_ranges(markdown: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = [&LIQUID_CODE_BLOCK, &LIQUID, &URL_LIKE]
        .iter()
        .filter_map(|re| re.as_ref())
        .flat_map(|re| re.find_iter(markdown).map(|m| m.range()))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Byte ranges of the words in `text`: letters with inner apostrophes; hyphens and other
/// punctuation separate words.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, next)| next.is_alphabetic());
        if c.is_alphanumeric() || is_inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Words worth checking: no digits, no capitals after the first letter, more than one letter.
fn is_checkable(word: &str) -> bool {
    word.chars().count() > 1
        && !word.chars().any(|c| c.is_numeric())
        && !word.chars().skip(1).any(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker() -> SpellChecker {
        SpellChecker::bundled_en_us().unwrap()
    }

    fn misspelled(markdown: &str) -> Vec<String> {
        checker()
            .misspelled_ranges(markdown)
            .into_iter()
            .map(|r| markdown[r].to_string())
            .collect()
    }

    #[test]
    fn recieve_suggests_receive_first() {
        let mut c = checker();
        assert!(!c.is_correct("recieve"));
        assert!(c.is_correct("receive"));
        assert_eq!(
            c.suggestions("recieve").first().map(String::as_str),
            Some("receive")
        );
    }

    #[test]
    fn twenty_seeded_misspellings_are_found_and_none_in_code_liquid_or_urls() {
        // Each seeded word once in prose: a heading, paragraphs, emphasis, a quote, a list,
        // link text and image alt text.
        let prose = "# A post about recieve\n\n\
            We definately agree to seperate what occured *untill* the wierd end.\n\n\
            > Quoted: accomodate the begining, beleive the **existance**.\n\n\
            - commited items\n- the enviroment and the goverment\n\n\
            A [link that happend](https://example.com/x) and ![an independant picture](/a.jpg).\n\n\
            It is neccessary on occassion to say so publically, tommorow and truely.\n\n";
        // The same words where they must not be checked.
        let traps = "Code stays: `recieve wierd` and\n\n```\nseperate definately\n```\n\n\
            Liquid stays: {{ page.occured }} and {% include begining.html param=\"truely\" %}.\n\n\
            URLs stay: https://example.com/goverment?q=untill and www.existance.org and \
            mail@commited.example.com and <https://enviroment.example.com>, \
            [text](https://example.com/neccessary) and ![alt](/assets/tommorow.jpg).\n\n\
            {% highlight ruby %}\nhappend = independant\n{% endhighlight %}\n\n\
            <span title=\"publically\">fine</span>\n";
        let post = format!("{prose}{traps}");
        let mut found = misspelled(&post);
        found.sort();
        let mut seeded = vec![
            "recieve",
            "definately",
            "seperate",
            "occured",
            "untill",
            "wierd",
            "accomodate",
            "begining",
            "beleive",
            "existance",
            "commited",
            "enviroment",
            "goverment",
            "happend",
            "independant",
            "neccessary",
            "occassion",
            "publically",
            "tommorow",
            "truely",
        ];
        seeded.sort();
        assert_eq!(seeded.len(), 20);
        assert_eq!(found, seeded);
        // All of them in the prose part, none after it.
        let ranges = checker().misspelled_ranges(&post);
        assert!(ranges.iter().all(|r| r.end <= prose.len()), "{ranges:?}");
    }

    #[test]
    fn correct_prose_has_no_misspellings() {
        let text = "Byline's editor doesn't change a byte you didn’t edit. The **preview** \
                    shows *emphasis*, lists and well-known hyphenated words; HTML, iPhone and \
                    h264 are skipped.\n";
        assert_eq!(misspelled(text), Vec::<String>::new());
    }

    #[test]
    fn an_added_word_is_accepted() {
        let mut c = checker();
        assert_eq!(
            c.misspelled_ranges("Jekyllish prose."),
            vec![Range { start: 0, end: 9 }]
        );
        c.add_word("Jekyllish");
        assert!(c.misspelled_ranges("Jekyllish prose.").is_empty());
        assert_eq!(c.added_words().collect::<Vec<_>>(), ["Jekyllish"]);
    }

    #[test]
    fn languages_find_system_dictionaries_or_the_bundled_english() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("xx_YY.aff"), "SET UTF-8\n").unwrap();
        std::fs::write(dir.path().join("xx_YY.dic"), "2\nbonjo\nmunde\n").unwrap();
        let dirs = [dir.path()];
        let mut found = SpellChecker::for_language_in("xx", &dirs).unwrap();
        assert_eq!(found.language(), "xx_YY");
        assert!(found.is_correct("bonjo"));
        assert!(!found.is_correct("hello"));
        let english = SpellChecker::for_language_in("en-US", &dirs).unwrap();
        assert_eq!(english.language(), "en_US");
        assert!(matches!(
            SpellChecker::for_language_in("zz", &dirs),
            Err(SpellError::NoDictionary { .. })
        ));
        assert_eq!(normalize_language("en-gb"), "en_GB");
    }
}
