//! Spell checking as you type, for the editor: the body is checked on a background thread once
//! typing pauses (never per keystroke), the results are kept per document revision and moved
//! along with the edits typed meanwhile, and a right-click on an underlined word offers
//! suggestions and "Add to dictionary" (the added words are kept in Byline's data folder).

use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::document::{Document, EditKind, Revision};
use crate::spell::SpellChecker;

/// How long typing must pause before the body is checked again.
const PAUSE: Duration = Duration::from_millis(400);

/// The file in Byline's data folder that keeps the words added to the dictionary.
const ADDED_WORDS_FILE: &str = "dictionary-words.txt";

/// The label of the context menu's entry that accepts a word.
pub const ADD_TO_DICTIONARY_LABEL: &str = "Add to dictionary";

/// A body to check, sent to the background thread.
struct Job {
    revision: Revision,
    text: String,
    language: String,
    words_file: Option<PathBuf>,
}

/// A checked body's misspelled words, sent back.
struct Checked {
    revision: Revision,
    ranges: Vec<Range<usize>>,
}

/// The checker the thread and the window share (the window asks it for suggestions).
type SharedChecker = Arc<Mutex<Option<SpellChecker>>>;

/// The word under a right-click, with what to offer for it.
#[derive(Debug, Clone)]
pub struct WordMenu {
    /// The word's bytes in the body.
    pub range: Range<usize>,
    /// The word.
    pub word: String,
    /// Spellings to offer, best first.
    pub suggestions: Vec<String>,
    /// The revision the range belongs to.
    pub revision: Revision,
}

/// What the user chose in the word's menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordChoice {
    /// Replace the word with this spelling.
    Replace(String),
    /// Accept the word from now on.
    AddToDictionary,
}

/// The spell checker's state in the editor.
#[derive(Default)]
pub struct Spelling {
    checker: SharedChecker,
    jobs: Option<Sender<Job>>,
    results: Option<Receiver<Checked>>,
    /// Misspelled words of the body at `ranges_revision`, in order.
    ranges: Vec<Range<usize>>,
    ranges_revision: Option<Revision>,
    /// The revision last sent to be checked.
    requested: Option<Revision>,
    /// The revision the thread checked last.
    checked: Option<Revision>,
    /// The revision seen last and when it was first seen (to notice a pause in typing).
    seen: Option<(Revision, Instant)>,
    /// The word menu open now.
    pub menu: Option<WordMenu>,
    /// The file keeping the words the user added (in Byline's data folder).
    pub words_file: Option<PathBuf>,
}

/// Where the added words are kept in the data folder `data_dir`.
pub fn added_words_path(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join(ADDED_WORDS_FILE)
}

/// The dictionary for `language` with the user's added words; none when the system has no
/// dictionary for it (a post in another language is not underlined word by word).
fn load_checker(language: &str, words_file: Option<&std::path::Path>) -> Option<SpellChecker> {
    let mut checker = SpellChecker::for_language(language).ok()?;
    if let Some(words) = words_file.and_then(|p| std::fs::read_to_string(p).ok()) {
        for word in words.lines().map(str::trim).filter(|w| !w.is_empty()) {
            checker.add_word(word);
        }
    }
    Some(checker)
}

/// The background checker: takes the newest body waiting, checks it, sends the ranges back.
fn run_checker(
    jobs: &Receiver<Job>,
    results: &Sender<Checked>,
    checker: &SharedChecker,
    ctx: &egui::Context,
) {
    let mut language = String::new();
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let ranges = {
            let mut guard = checker.lock().unwrap_or_else(PoisonError::into_inner);
            if guard.is_none() || language != job.language {
                *guard = load_checker(&job.language, job.words_file.as_deref());
                language.clone_from(&job.language);
            }
            guard
                .as_mut()
                .map(|c| c.misspelled_ranges(&job.text))
                .unwrap_or_default()
        };
        let sent = results.send(Checked {
            revision: job.revision,
            ranges,
        });
        if sent.is_err() {
            return;
        }
        ctx.request_repaint();
    }
}

/// The byte length of the common start of two texts, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
        .min(b.len())
}

/// The byte length of the common end of two texts (not overlapping `prefix`), at a character
/// boundary.
fn common_suffix(a: &str, b: &str, prefix: usize) -> usize {
    let max = a.len().min(b.len()) - prefix.min(a.len().min(b.len()));
    let mut len = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y || len + x.len_utf8() > max {
            break;
        }
        len += x.len_utf8();
    }
    len
}

/// Where an edit replaced bytes of the body: `removed_bytes` at `start` became
/// `inserted_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditSpan {
    /// Where the edit starts in the body, in bytes.
    pub start: usize,
    /// How many bytes it removed.
    pub removed_bytes: usize,
    /// How many bytes it put in their place.
    pub inserted_bytes: usize,
}

/// The span `old` → `new` changed, for texts that start at `offset` in the body.
pub fn edit_span(offset: usize, old: &str, new: &str) -> EditSpan {
    let prefix = common_prefix(old, new);
    let suffix = common_suffix(old, new, prefix);
    EditSpan {
        start: offset + prefix,
        removed_bytes: old.len() - suffix - prefix,
        inserted_bytes: new.len() - suffix - prefix,
    }
}

impl Spelling {
    /// The misspelled words of the body at `revision` (empty until it was checked).
    pub fn ranges_for(&self, revision: Revision) -> &[Range<usize>] {
        if self.ranges_revision == Some(revision) {
            &self.ranges
        } else {
            &[]
        }
    }

    /// True once the body at `revision` itself was checked (not only moved along with edits).
    pub fn is_checked(&self, revision: Revision) -> bool {
        self.checked == Some(revision) && self.ranges_revision == Some(revision)
    }

    /// Takes the thread's results and sends the body to be checked once typing paused (a
    /// freshly opened post included). `language` empty: no checking.
    pub fn update(&mut self, ctx: &egui::Context, doc: &Document, language: &str) {
        if language.is_empty() {
            self.ranges.clear();
            self.ranges_revision = None;
            return;
        }
        let revision = doc.revision();
        if let Some(results) = &self.results {
            while let Ok(checked) = results.try_recv() {
                if checked.revision == revision {
                    self.ranges = checked.ranges;
                    self.ranges_revision = Some(revision);
                    self.checked = Some(revision);
                }
            }
        }
        if self.requested == Some(revision) {
            return;
        }
        let now = Instant::now();
        let since = match self.seen {
            Some((seen, at)) if seen == revision => at,
            _ => {
                self.seen = Some((revision, now));
                now
            }
        };
        let waited = now.duration_since(since);
        // Also a freshly opened post waits for the pause: loading the dictionary and checking
        // a long body then never competes with the first keystrokes for the processor.
        if waited < PAUSE {
            ctx.request_repaint_after(PAUSE.saturating_sub(waited));
            return;
        }
        let jobs = self.jobs.get_or_insert_with(|| {
            let (job_tx, job_rx) = channel::<Job>();
            let (result_tx, result_rx) = channel::<Checked>();
            self.results = Some(result_rx);
            let checker = self.checker.clone();
            let ctx = ctx.clone();
            let _ = std::thread::Builder::new()
                .name("spell-check".into())
                .spawn(move || run_checker(&job_rx, &result_tx, &checker, &ctx));
            job_tx
        });
        let job = Job {
            revision,
            text: doc.post().body().to_string(),
            language: language.to_string(),
            words_file: self.words_file.clone(),
        };
        if jobs.send(job).is_ok() {
            self.requested = Some(revision);
        }
    }

    /// Moves the misspelled words along with an edit typed in the editor (see [`edit_span`]),
    /// which took the document from `before` to `after`. Words touching the edit are dropped
    /// until the next check.
    pub fn note_edit(&mut self, edit: EditSpan, before: Revision, after: Revision) {
        if self.ranges_revision != Some(before) {
            return;
        }
        let removed_end = edit.start + edit.removed_bytes;
        self.ranges
            .retain(|r| r.end < edit.start || r.start > removed_end);
        for range in &mut self.ranges {
            if range.start > removed_end {
                range.start = range.start - edit.removed_bytes + edit.inserted_bytes;
                range.end = range.end - edit.removed_bytes + edit.inserted_bytes;
            }
        }
        self.ranges_revision = Some(after);
    }

    /// Opens the word menu for a right-click at `offset` in the body, when a misspelled word is
    /// there.
    pub fn open_menu_at(&mut self, doc: &Document, offset: usize) {
        let revision = doc.revision();
        self.menu = self
            .ranges_for(revision)
            .iter()
            .find(|r| r.start <= offset && offset <= r.end)
            .cloned()
            .map(|range| {
                let word = doc
                    .post()
                    .body()
                    .get(range.clone())
                    .unwrap_or("")
                    .to_string();
                let suggestions = self
                    .checker
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .as_ref()
                    .map(|c| c.suggestions(&word))
                    .unwrap_or_default();
                WordMenu {
                    range,
                    word,
                    suggestions,
                    revision,
                }
            });
    }

    /// Draws the word menu's entries; returns what was chosen.
    pub fn menu_ui(&self, ui: &mut egui::Ui) -> Option<WordChoice> {
        let menu = self.menu.as_ref()?;
        let mut choice = None;
        if menu.suggestions.is_empty() {
            ui.weak("No suggestions");
        }
        for suggestion in menu.suggestions.iter().take(8) {
            if ui.button(suggestion).clicked() {
                choice = Some(WordChoice::Replace(suggestion.clone()));
            }
        }
        ui.separator();
        if ui.button(ADD_TO_DICTIONARY_LABEL).clicked() {
            choice = Some(WordChoice::AddToDictionary);
        }
        ui.separator();
        choice
    }

    /// Carries out a choice from the word menu: a replacement is an undoable edit of only the
    /// word's bytes; an added word is kept in the data folder and the body checked again.
    /// Returns the range of the replacing text.
    pub fn apply_choice(&mut self, doc: &mut Document, choice: WordChoice) -> Option<Range<usize>> {
        let menu = self.menu.take()?;
        if menu.revision != doc.revision() {
            return None;
        }
        match choice {
            WordChoice::Replace(spelling) => {
                let range = menu.range.clone();
                let _ = doc.apply(EditKind::Command, |post| {
                    post.body_mut().replace_range(range.clone(), &spelling);
                    Ok::<bool, std::convert::Infallible>(true)
                });
                Some(range.start..range.start + spelling.len())
            }
            WordChoice::AddToDictionary => {
                if let Some(checker) = self
                    .checker
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .as_mut()
                {
                    checker.add_word(&menu.word);
                }
                self.keep_added_word(&menu.word);
                let body = doc.post().body();
                self.ranges
                    .retain(|r| body.get(r.clone()) != Some(menu.word.as_str()));
                self.requested = None;
                self.seen = None;
                None
            }
        }
    }

    /// Appends an added word to the file in the data folder (an explicit user command).
    fn keep_added_word(&self, word: &str) {
        use std::io::Write as _;
        let Some(path) = &self.words_file else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(file, "{word}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ends_of_an_edit_stay_on_character_boundaries() {
        assert_eq!(common_prefix("abc", "abxc"), 2);
        assert_eq!(common_suffix("abc", "abxc", 2), 1);
        assert_eq!(common_prefix("é", "è"), 0);
        assert_eq!(common_suffix("aa", "aaa", 2), 0);
        let typed = edit_span(10, "a cat", "a caat");
        assert_eq!(typed.start, 14);
        assert_eq!((typed.removed_bytes, typed.inserted_bytes), (0, 1));
    }
}
