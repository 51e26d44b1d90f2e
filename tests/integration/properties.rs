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
