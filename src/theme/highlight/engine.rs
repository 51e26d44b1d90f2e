//! A small state-machine lexer in the style of Rouge's regex lexers: in each state, the first
//! rule whose pattern matches at the current position gives the token class(es) and may push,
//! pop or replace a state. Patterns are matched anchored at the position, with the text
//! around it visible to `^`, `$` and `\b`.

use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};

/// What a rule does to the state stack after its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Stay in the current state.
    Stay,
    /// Enter the named state.
    Push(&'static str),
    /// Return to the state before.
    Pop,
    /// Leave the current state for the named one.
    Replace(&'static str),
}

/// A rule as written in a lexer table.
pub struct RuleSpec {
    /// The regular expression (regex crate syntax).
    pub pattern: &'static str,
    /// One class for the whole match, or one per capture group (`""`: plain text).
    pub classes: Vec<&'static str>,
    /// The state change.
    pub next: Next,
    /// Only where a value may start (after an operator, punctuation or keyword): how `/` is
    /// told apart as a regular expression rather than division.
    pub after_operator: bool,
    /// Words that get another class when the whole match is one of them (Rouge's keyword
    /// sets): (words, class).
    pub keywords: Vec<(&'static [&'static str], &'static str)>,
}

struct Rule {
    keywords: Vec<(&'static [&'static str], &'static str)>,
    regex: Regex,
    classes: Vec<&'static str>,
    next: Next,
    after_operator: bool,
}

/// A compiled lexer.
pub struct Lexer {
    states: Vec<(&'static str, Vec<Rule>)>,
}

/// Classes after which a `/` starts a regular expression.
fn value_may_follow(class: Option<&str>) -> bool {
    match class {
        None => true,
        Some(c) => matches!(c, "o" | "p" | "k" | "kd" | "kp" | "kn" | "ow" | "nb"),
    }
}

impl Lexer {
    /// Compiles the tables; a rule whose pattern does not compile is left out (and caught by
    /// the tests).
    pub fn new(specs: Vec<(&'static str, Vec<RuleSpec>)>) -> Lexer {
        let states = specs
            .into_iter()
            .map(|(name, rules)| {
                let compiled = rules
                    .into_iter()
                    .filter_map(|spec| {
                        Regex::new(spec.pattern).ok().map(|regex| Rule {
                            keywords: spec.keywords,
                            regex,
                            classes: spec.classes,
                            next: spec.next,
                            after_operator: spec.after_operator,
                        })
                    })
                    .collect();
                (name, compiled)
            })
            .collect();
        Lexer { states }
    }

    /// How many rules failed to compile would show here: the rules kept per state.
    #[cfg(test)]
    pub fn rule_counts(&self) -> Vec<usize> {
        self.states.iter().map(|(_, rules)| rules.len()).collect()
    }

    fn state_index(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|(n, _)| *n == name)
    }

    /// `code` as (class, text) tokens; `""` is plain text.
    pub fn tokens<'c>(&self, code: &'c str) -> Vec<(&'static str, &'c str)> {
        let mut tokens: Vec<(&'static str, &'c str)> = Vec::new();
        let mut stack: Vec<usize> = vec![0];
        let mut position = 0;
        let mut last_significant: Option<&'static str> = None;
        // One capture buffer per rule, reused at every position.
        let mut buffers: Vec<Vec<Captures>> = self
            .states
            .iter()
            .map(|(_, rules)| rules.iter().map(|r| r.regex.create_captures()).collect())
            .collect();
        while position < code.len() {
            let state = stack.last().copied().unwrap_or(0);
            let rules = self
                .states
                .get(state)
                .map(|(_, r)| r.as_slice())
                .unwrap_or(&[]);
            let Some(state_buffers) = buffers.get_mut(state) else {
                break;
            };
            let mut advanced = false;
            for (rule, caps) in rules.iter().zip(state_buffers.iter_mut()) {
                if rule.after_operator && !value_may_follow(last_significant) {
                    continue;
                }
                let input = Input::new(code).range(position..).anchored(Anchored::Yes);
                rule.regex.search_captures(&input, caps);
                let Some(whole) = caps.get_match() else {
                    continue;
                };
                if whole.end() <= position {
                    continue;
                }
                let mut emit = |class: &'static str, start: usize, end: usize| {
                    if let Some(text) = code.get(start..end)
                        && !text.is_empty()
                    {
                        tokens.push((class, text));
                        if !class.is_empty() && !text.trim().is_empty() {
                            last_significant = Some(class);
                        } else if text.contains('\n') {
                            // A new line may start a new statement.
                            last_significant = None;
                        }
                    }
                };
                if rule.classes.len() <= 1 {
                    let word = code.get(whole.start()..whole.end()).unwrap_or_default();
                    let class = rule
                        .keywords
                        .iter()
                        .find(|(words, _)| words.contains(&word))
                        .map(|(_, class)| *class)
                        .unwrap_or_else(|| rule.classes.first().copied().unwrap_or(""));
                    emit(class, whole.start(), whole.end());
                } else {
                    let mut at = whole.start();
                    for (i, class) in rule.classes.iter().enumerate() {
                        if let Some(span) = caps.get_group(i + 1) {
                            if span.start > at {
                                emit("", at, span.start);
                            }
                            emit(class, span.start, span.end);
                            at = at.max(span.end);
                        }
                    }
                    if whole.end() > at {
                        emit("", at, whole.end());
                    }
                }
                position = whole.end();
                match rule.next {
                    Next::Stay => {}
                    Next::Push(name) => {
                        if let Some(i) = self.state_index(name) {
                            stack.push(i);
                        }
                    }
                    Next::Pop => {
                        if stack.len() > 1 {
                            stack.pop();
                        }
                    }
                    Next::Replace(name) => {
                        if let Some(i) = self.state_index(name) {
                            if stack.len() > 1 {
                                stack.pop();
                            }
                            stack.push(i);
                        }
                    }
                }
                advanced = true;
                break;
            }
            if !advanced {
                let width = code
                    .get(position..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                if let Some(text) = code.get(position..position + width) {
                    tokens.push(("", text));
                }
                position += width;
                if text_is_newline(code, position) && stack.len() > 1 {
                    stack.truncate(1);
                }
            }
        }
        tokens
    }
}

/// True when the character just before `position` is a newline.
fn text_is_newline(code: &str, position: usize) -> bool {
    code.get(..position)
        .is_some_and(|before| before.ends_with('\n'))
}
