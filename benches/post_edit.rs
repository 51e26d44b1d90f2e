//! Parse + one field edit + write, for a typical post and for one with a 200-line front
//! matter, beside plain baselines measured in the same run (serde_yaml parsing the same YAML,
//! and copying the text).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test code: a panic is a failed test

use std::hint::black_box;

use byline::post::Post;
use criterion::{Criterion, criterion_group, criterion_main};

const SEED: &str = include_str!(
    "../sample-posts/2025-11-30-ukraine-talks-productive-but-more-work-needed-rubio-says.md"
);

/// A post whose front matter has 200 lines: scalars, comments, lists and nested maps.
fn big_front_matter_post() -> String {
    let mut text = String::from(
        "---\nlayout: post\ntitle: \"Big front matter\"\ndate: 2025-11-30 10:00:00 +0100\n",
    );
    let mut lines = 3;
    let mut i = 0;
    while lines < 200 {
        match i % 4 {
            0 => text.push_str(&format!("key{i}: value number {i}\n")),
            1 => text.push_str(&format!("# comment {i}\nquoted{i}: \"a: b #{i}\"\n")),
            2 => text.push_str(&format!("list{i}:\n  - one\n  - two\n")),
            _ => text.push_str(&format!("map{i}:\n  a: [x, y]\n  b: 'z'\n")),
        }
        lines = text.lines().count() - 1;
        i += 1;
    }
    text.push_str("---\n\nBody.\n");
    text
}

fn front_yaml(text: &str) -> String {
    Post::from_text(text).front_matter_text().to_string()
}

fn bench(c: &mut Criterion) {
    let big = big_front_matter_post();
    for (name, text) in [
        ("typical", SEED.to_string()),
        ("front_matter_200_lines", big),
    ] {
        let yaml = front_yaml(&text);
        let mut group = c.benchmark_group(name);
        group.bench_function("byline: parse + set title + write", |b| {
            b.iter(|| {
                let mut post = Post::from_text(black_box(&text));
                post.set_text("title", "A new title: with a colon").unwrap();
                black_box(post.to_text())
            })
        });
        group.bench_function("byline: parse + write (no edit)", |b| {
            b.iter(|| black_box(Post::from_text(black_box(&text)).to_text()))
        });
        group.bench_function("baseline: serde_yaml parse of the front matter", |b| {
            b.iter(|| {
                black_box(serde_yaml::from_str::<serde_yaml::Value>(black_box(&yaml)).unwrap())
            })
        });
        group.bench_function("baseline: copy the text", |b| {
            b.iter(|| black_box(black_box(&text).clone()))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
