//! Property tests: random field edits on random posts keep every untouched byte and read back
//! the new values; arbitrary bytes never panic the parser.

use byline::post::Post;
use proptest::prelude::*;

/// A value for a typed text field, including ones that look like other YAML types.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{1,20}",
        Just("2024".to_string()),
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("Foo: bar".to_string()),
        Just("#1".to_string()),
        Just("it's".to_string()),
        "\\PC{0,30}",
        "[ -~]{0,30}",
    ]
}

/// One front-matter line in one of the many ways people write them.
fn entry_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}: [a-z ]{1,10}".prop_map(|s| s.trim_end().to_string()),
        "[a-z]{1,8} : '[a-z]{0,6}'",
        "[a-z]{1,8}: \"[a-z]{0,6}\" # note",
        "[a-z]{1,8}: \\[[a-z]{1,4}, [a-z]{1,4}\\]",
        "[a-z]{1,8}:\n  - [a-z]{1,5}\n  - [a-z]{1,5}",
        "[a-z]{1,8}: \\|\n  [a-z ]{1,10}\n\n  [a-z]{1,10}",
        Just("# a comment".to_string()),
        Just(String::new()),
        "[a-z]{1,8}:\n  nested: [a-z]{1,5}",
    ]
}

fn post_text() -> impl Strategy<Value = (String, bool)> {
    (
        proptest::collection::vec(entry_line(), 0..8),
        "\\PC{0,60}",
        any::<bool>(),
    )
        .prop_map(|(lines, body, crlf)| {
            let mut text = String::from("---\n");
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
            text.push_str("---\n");
            text.push_str(&body);
            if crlf {
                (text.replace('\n', "\r\n"), crlf)
            } else {
                (text, crlf)
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn text_edits_keep_other_bytes_and_read_back((text, _crlf) in post_text(), key in prop_oneof![Just("title".to_string()), Just("excerpt".to_string()), Just("author".to_string()), "[a-z]{1,8}"], value in field_text()) {
        let mut post = Post::from_text(&text);
        prop_assume!(post.block().is_ok());
        let before_keys: Vec<(String, Option<serde_yaml::Value>)> =
            post.keys().into_iter().map(|k| { let v = post.get(&k).cloned(); (k, v) }).collect();
        match post.set_text(&key, &value) {
            Ok(_) => {
                let after = post.to_text();
                let reread = Post::from_text(&after);
                prop_assert_eq!(reread.text(&key), Some(value.clone()));
                for (k, v) in &before_keys {
                    if *k != key {
                        prop_assert_eq!(reread.get(k), v.as_ref(), "key {} changed", k);
                    }
                }
                // Everything outside the edited entry is byte-identical: the common prefix and
                // suffix cover the whole original except one contiguous span.
                let prefix = text.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
                let suffix = text.bytes().rev().zip(after.bytes().rev()).take_while(|(a, b)| a == b).count();
                let changed = text.len().saturating_sub(prefix + suffix);
                let entry_len = Post::from_text(&text).block().ok().flatten()
                    .and_then(|b| b.entry(&key).map(|e| e.range.len())).unwrap_or(0);
                prop_assert!(changed <= entry_len, "changed {} bytes outside the {}-byte entry", changed, entry_len);
            }
            Err(e) => {
                // A refused edit must leave the post untouched.
                prop_assert_eq!(post.to_text(), text.clone(), "{}", e);
            }
        }
    }

    #[test]
    fn list_edits_read_back(items in proptest::collection::vec("[a-zA-Z0-9 ,:#'\"]{1,8}", 0..5), style in 0..3usize) {
        let text = match style {
            0 => "---\ntags: [x, y]\nz: 1\n---\nbody",
            1 => "---\ntags:\n  - x\n  - y\nz: 1\n---\nbody",
            _ => "---\ntags: x y\nz: 1\n---\nbody",
        };
        let items: Vec<String> = items.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        let mut post = Post::from_text(text);
        post.set_list("tags", &items).unwrap();
        let reread = Post::from_text(&post.to_text());
        prop_assert_eq!(reread.list("tags"), items);
        prop_assert!(reread.to_text().ends_with("z: 1\n---\nbody"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(post) = Post::parse(&bytes) {
            let text = post.to_text();
            prop_assert_eq!(text.as_bytes(), bytes.as_slice());
            let _ = byline::post::check::check(&post);
        }
    }

    #[test]
    fn front_matter_like_text_never_panics_and_round_trips(lines in proptest::collection::vec("[-:#'\"\\[\\]{}|>&*! a-z\t]{0,12}", 0..10)) {
        let text = format!("---\n{}\n---\nbody", lines.join("\n"));
        let mut post = Post::from_text(&text);
        prop_assert_eq!(post.to_text(), text.clone());
        let _ = byline::post::check::check(&post);
        if post.set_text("title", "x: y").is_err() {
            prop_assert_eq!(post.to_text(), text);
        }
    }
}

/// A list item's text, including ones that need quotes in YAML.
fn item_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        Just("2021".to_string()),
        Just("yes".to_string()),
        Just("a b".to_string()),
        Just("#x".to_string()),
        Just("it's".to_string()),
        Just("c: d".to_string()),
        Just("Off".to_string()),
    ]
}

/// One list edit: 0 add, 1 remove, 2 rename, 3 move to the front.
#[derive(Debug, Clone)]
struct ListCase {
    items: Vec<(String, u8, bool)>,
    layout: u8,
    comment_lines: bool,
    crlf: bool,
    op: u8,
    at: usize,
    new_item: String,
}

fn list_case() -> impl Strategy<Value = ListCase> {
    (
        proptest::collection::vec((item_text(), 0u8..3, any::<bool>()), 1..6),
        0u8..4,
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        0usize..6,
        item_text(),
    )
        .prop_map(|(items, layout, comment_lines, crlf, op, at, new_item)| {
            let mut seen = Vec::new();
            let items = items
                .into_iter()
                .filter(|(t, _, _)| {
                    let fresh = !seen.contains(t);
                    seen.push(t.clone());
                    fresh
                })
                .collect();
            ListCase {
                items,
                layout,
                comment_lines,
                crlf,
                op,
                at,
                new_item,
            }
        })
}

/// An item written in the given style (0 plain when YAML allows, 1 single, 2 double).
fn written(text: &str, style: u8, in_flow: bool) -> String {
    use byline::post::scalar::{QuoteStyle, string_scalar};
    let style = match style {
        0 => QuoteStyle::Plain,
        1 => QuoteStyle::Single,
        _ => QuoteStyle::Double,
    };
    string_scalar(text, style, in_flow)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    /// Issue 9.5 / 10.4: an edit of one list item keeps the exact bytes of every other item
    /// (quoting, spacing, trailing comments) and every comment line, in every list style.
    #[test]
    fn list_item_edits_keep_untouched_items_byte_for_byte(case in list_case()) {
        let texts: Vec<String> = case.items.iter().map(|(t, _, _)| t.clone()).collect();
        // Each kept item's own text as written, to find again after the edit.
        let mut pieces: Vec<String> = Vec::new();
        let mut comments: Vec<String> = Vec::new();
        let mut value = String::new();
        match case.layout {
            0 | 1 => {
                let dash = if case.layout == 0 { "  - " } else { "- " };
                for (i, (t, style, note)) in case.items.iter().enumerate() {
                    if case.comment_lines && i == 1 {
                        let c = format!("  # about item {i}");
                        value.push_str(&format!("\n{c}"));
                        comments.push(c);
                    }
                    let mut line = format!("{dash}{}", written(t, *style, false));
                    if *note {
                        line.push_str(&format!(" # note {i}"));
                    }
                    value.push('\n');
                    value.push_str(&line);
                    pieces.push(line);
                }
            }
            _ => {
                let sep = if case.layout == 2 { ",  " } else { ", " };
                let items: Vec<String> = case.items.iter().map(|(t, s, _)| written(t, *s, true)).collect();
                pieces = items.clone();
                value = format!(" [{}]", items.join(sep));
            }
        }
        let mut text = format!("---\ntitle: x\ntags:{value}\nz: 1 # end\n---\nbody\n");
        if case.crlf {
            text = text.replace('\n', "\r\n");
        }
        let n = texts.len();
        let at = case.at % n;
        let mut expected = texts.clone();
        let mut untouched: Vec<usize> = (0..n).collect();
        match case.op {
            0 => {
                prop_assume!(!expected.contains(&case.new_item));
                expected.push(case.new_item.clone());
            }
            1 => {
                expected.remove(at);
                untouched.retain(|&i| i != at);
            }
            2 => {
                prop_assume!(!expected.contains(&case.new_item));
                if let Some(slot) = expected.get_mut(at) {
                    *slot = case.new_item.clone();
                }
                untouched.retain(|&i| i != at);
            }
            _ => {
                let item = expected.remove(at);
                expected.insert(0, item);
            }
        }
        let mut post = Post::from_text(&text);
        prop_assert!(post.block().is_ok(), "{}", text);
        prop_assert_eq!(post.list("tags"), texts.clone());
        post.set_list("tags", &expected).unwrap();
        let after = post.to_text();
        let reread = Post::from_text(&after);
        prop_assert_eq!(reread.list("tags"), expected.clone(), "{}", after);
        let eol = if case.crlf { "\r\n" } else { "\n" };
        prop_assert!(after.starts_with(&format!("---{eol}title: x{eol}tags:")), "{}", after);
        prop_assert!(after.ends_with(&format!("z: 1 # end{eol}---{eol}body{eol}")), "{}", after);
        for i in untouched {
            let piece = &pieces[i];
            prop_assert!(after.contains(piece.as_str()), "item {} `{}` lost in:\n{}", i, piece, after);
        }
        for c in &comments {
            prop_assert!(after.contains(c.as_str()), "comment `{}` lost in:\n{}", c, after);
        }
        // New items are quoted only when YAML needs it.
        if case.op == 0 && byline::post::scalar::is_plain_safe(&case.new_item, case.layout >= 2) {
            prop_assert!(after.contains(&format!("- {}{eol}", case.new_item)) || after.contains(&format!(" {}]", case.new_item)), "{}", after);
        }
    }
}
