//! Tests of the whole engine against what `jekyll build` (Debian's Jekyll 4.3.1, which runs
//! Liquid 5.4.0) wrote for the same text. Each expectation quotes what Jekyll produced in a
//! throw-away site built with `JEKYLL_NO_BUNDLER_REQUIRE=true jekyll build` (baseurl `/blog`).

use crate::theme::liquid::{JekyllLiquid, LiquidProblem, LiquidSetup};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// A temporary site with `_includes` files, a theme's `_includes`, and two posts.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["_includes", "theme/_includes", "_posts/news", "sub"] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        Site { dir }
    }

    fn write(&self, path: &str, text: &str) -> &Site {
        fs::write(self.dir.path().join(path), text).unwrap();
        self
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn setup(&self) -> LiquidSetup {
        LiquidSetup {
            site_root: self.root().to_path_buf(),
            includes_dirs: vec![
                self.root().join("_includes"),
                self.root().join("theme/_includes"),
            ],
            post_urls: HashMap::from([
                (
                    "2016-05-20-welcome".to_string(),
                    "/2016/05/20/welcome.html".to_string(),
                ),
                (
                    "news/2017-01-02-second".to_string(),
                    "/2017/01/02/second.html".to_string(),
                ),
            ]),
            link_urls: HashMap::from([
                (
                    "_posts/2016-05-20-welcome.md".to_string(),
                    "/2016/05/20/welcome.html".to_string(),
                ),
                ("sub/page.md".to_string(), "/sub/page.html".to_string()),
            ]),
            ..LiquidSetup::default()
        }
    }

    fn engine(&self) -> JekyllLiquid {
        JekyllLiquid::new(self.setup()).unwrap()
    }
}

fn globals() -> liquid::Object {
    liquid::object!({
        "site": {
            "baseurl": "/blog",
            "posts": [
                {"title": "Welcome", "url": "/2016/05/20/welcome.html", "tags": ["a"]},
                {"title": "Second", "url": "/2017/01/02/second.html"},
            ],
        },
        "page": {
            "title": "Welcome",
            "which": "greet.html",
            "path": "_posts/2016-05-20-welcome.md",
        },
    })
}

fn render(engine: &JekyllLiquid, text: &str) -> String {
    match engine.render("_posts/2016-05-20-welcome.md", text, &globals()) {
        Ok((html, _)) => html,
        Err(problem) => panic!("render failed: {problem}"),
    }
}

fn render_error(engine: &JekyllLiquid, file: &str, text: &str) -> LiquidProblem {
    match engine.render(file, text, &globals()) {
        Ok((html, _)) => panic!("expected an error, rendered {html:?}"),
        Err(problem) => problem,
    }
}

fn greet_site() -> Site {
    let site = Site::new();
    site.write(
        "_includes/greet.html",
        "[greet key={{ include.key }} other={{ include.other }} num={{ include.num }}]\
         {% assign from_include = \"set-in-include\" %}",
    )
    .write(
        "_includes/outer.html",
        "[outer before={{ include.key }}]{% include inner.html key=\"inner\" %}\
         [outer after={{ include.key }}]{% include noparams.html %}",
    )
    .write("_includes/inner.html", "[inner {{ include.key }}]")
    .write(
        "_includes/noparams.html",
        "[noparams sees={{ include.key }}]",
    );
    site
}

#[test]
fn include_parameters_and_scope_as_jekyll() {
    let site = greet_site();
    let engine = site.engine();
    // Jekyll wrote: "A[greet key=v other=Welcome num=3]B"
    assert_eq!(
        render(
            &engine,
            "A{% include greet.html key=\"v\" other=page.title num=3 %}B"
        ),
        "A[greet key=v other=Welcome num=3]B"
    );
    // Jekyll wrote: "after: [set-in-include] include-outside: []" — an include's assignments
    // stay visible after it; its `include` does not.
    assert_eq!(
        render(
            &engine,
            "{% include greet.html key=\"v\" %}after: [{{ from_include }}] include-outside: \
             [{{ include.key }}]"
        ),
        "[greet key=v other= num=]after: [set-in-include] include-outside: []"
    );
    // Jekyll wrote: "var: [greet key=dyn other= num=]"
    assert_eq!(
        render(&engine, "var: {% include {{ page.which }} key=\"dyn\" %}"),
        "var: [greet key=dyn other= num=]"
    );
    // Jekyll wrote: "[outer before=outer][inner inner]\n[outer after=outer][noparams sees=outer]"
    // (nested parameters are restored after the inner include; an include without parameters
    // sees the surrounding `include`).
    assert_eq!(
        render(&engine, "{% include outer.html key=\"outer\" %}"),
        "[outer before=outer][inner inner][outer after=outer][noparams sees=outer]"
    );
    // jekyll-include-cache's tag renders the same.
    assert_eq!(
        render(&engine, "{% include_cached inner.html key=page.title %}"),
        "[inner Welcome]"
    );
    // Quoted values keep escaped quotes unescaped.
    assert_eq!(
        render(&engine, r#"{% include inner.html key='it\'s' %}"#),
        "[inner it's]"
    );
}

#[test]
fn include_looks_in_the_site_then_the_theme() {
    let site = Site::new();
    site.write("theme/_includes/head.html", "theme head")
        .write("theme/_includes/footer.html", "theme footer")
        .write("_includes/footer.html", "site footer");
    let engine = site.engine();
    assert_eq!(
        render(&engine, "{% include head.html %}|{% include footer.html %}"),
        "theme head|site footer"
    );
}

#[test]
fn include_reads_a_changed_file_again() {
    let site = Site::new();
    site.write("_includes/x.html", "one");
    let engine = site.engine();
    assert_eq!(render(&engine, "{% include x.html %}"), "one");
    site.write("_includes/x.html", "second version");
    assert_eq!(render(&engine, "{% include x.html %}"), "second version");
}

#[test]
fn include_relative_is_relative_to_the_page_even_in_a_layout() {
    // Jekyll wrote "LR-from-posts-dir" for `{% include_relative layout-rel.txt %}` in the
    // post's layout: the folder is the page's (`page.path`), not the layout's.
    let site = Site::new();
    site.write("_posts/layout-rel.txt", "from posts")
        .write("layout-rel.txt", "from root")
        .write("sub/inc.txt", "sub inc");
    let engine = site.engine();
    let (html, _) = engine
        .render(
            "_layouts/default.html",
            "<footer>{% include_relative layout-rel.txt %}</footer>",
            &globals(),
        )
        .unwrap();
    assert_eq!(html, "<footer>from posts</footer>");
    // Jekyll refuses `..` ("Invalid syntax for include tag. File contains invalid characters
    // or sequences: ../_posts/rel.txt").
    let problem = render_error(
        &engine,
        "sub/page.md",
        "x\n{% include_relative ../_posts/layout-rel.txt %}",
    );
    assert!(
        problem
            .message
            .contains("File contains invalid characters or sequences: ../_posts/layout-rel.txt")
    );
    assert_eq!((problem.file.as_str(), problem.line), ("sub/page.md", 2));
}

#[test]
fn missing_include_says_where_jekyll_looked() {
    let site = Site::new();
    let engine = site.engine();
    let problem = render_error(
        &engine,
        "_posts/a.md",
        "one\ntwo {% include missing.html %}",
    );
    assert_eq!((problem.file.as_str(), problem.line), ("_posts/a.md", 2));
    let expected = format!(
        "Could not locate the included file 'missing.html' in any of [{:?}, {:?}]. Ensure it \
         exists in one of those directories and, if it is a symlink, does not point outside \
         your site source.",
        site.root().join("_includes").to_string_lossy(),
        site.root().join("theme/_includes").to_string_lossy()
    );
    assert!(problem.message.contains(&expected), "{}", problem.message);
}

#[test]
fn errors_inside_includes_name_the_include_and_its_line() {
    let site = Site::new();
    // Jekyll: "Liquid syntax error (…/_includes/bad.html line 2): Syntax Error in tag 'if'".
    site.write("_includes/bad.html", "line1\nline2 {% if %}\n")
        .write("_includes/deep.html", "a\nb\n{% include missing.html %}")
        .write("_includes/wrapper.html", "w\n{% include deep.html %}");
    let engine = site.engine();
    let problem = render_error(&engine, "_posts/a.md", "a\nb\n{% include bad.html %}");
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("_includes/bad.html", 2)
    );
    let problem = render_error(&engine, "_posts/a.md", "{% include wrapper.html %}");
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("_includes/deep.html", 3)
    );
    assert!(problem.message.contains("'missing.html'"));
}

#[test]
fn errors_in_the_page_have_their_line() {
    let engine = Site::new().engine();
    let problem = render_error(&engine, "_layouts/page.html", "a\nb\nc {% for %}\n");
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("_layouts/page.html", 3)
    );
    assert!(problem.message.starts_with("Liquid syntax error"));
    let problem = render_error(
        &engine,
        "_layouts/page.html",
        "a\n{% if page.title %}\n  b\n  {{ \"x\" | slice: page }}\n{% endif %}",
    );
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("_layouts/page.html", 4)
    );
}

#[test]
fn self_including_files_stop_instead_of_overflowing() {
    let site = Site::new();
    site.write("_includes/loop.html", "x{% include loop.html %}");
    let engine = site.engine();
    let problem = render_error(&engine, "_posts/a.md", "{% include loop.html %}");
    assert!(problem.message.contains("Nesting too deep"), "{problem}");
    assert_eq!(problem.file, "_includes/loop.html");
}

#[test]
fn undefined_variables_and_missing_keys_are_empty_and_falsy() {
    let engine = Site::new().engine();
    // Jekyll wrote: "undefined: [] [] [] [no]"
    assert_eq!(
        render(
            &engine,
            "undefined: [{{ page.nothing }}] [{{ nothing.at.all }}] [{{ page.title.foo }}] \
             [{% if page.nothing.deep %}yes{% else %}no{% endif %}]"
        ),
        "undefined: [] [] [] [no]"
    );
    // Inside loops and through assigned variables too.
    assert_eq!(
        render(
            &engine,
            "{% for post in site.posts %}[{{ post.title }}{{ post.missing }}\
             {{ post.author.name }}{{ post.tags.first }}]{% endfor %}"
        ),
        "[Welcomea][Second]"
    );
    assert_eq!(
        render(
            &engine,
            "{% assign posts = site.posts %}{% for p in posts %}{{ p.nothing.deeper }}\
             {{ p.title }}{% endfor %}{% assign first = site.posts.first %}{{ first.none.x }}\
             {{ first.title }}"
        ),
        "WelcomeSecondWelcome"
    );
    assert_eq!(
        render(
            &engine,
            "{% if page.nothing == nil %}nil{% endif %}{% unless page.nothing %}!{% endunless %}\
             {{ page.nothing | default: \"d\" }}{{ site.posts.size }}{{ page.title.size }}"
        ),
        "nil!d27"
    );
}

#[test]
fn unknown_filters_pass_their_input_and_are_listed() {
    let engine = Site::new().engine();
    // Jekyll wrote: "unknownfilter: [abc]"
    let (html, problems) = engine
        .render(
            "_posts/a.md",
            "x\nunknownfilter: [{{ \"abc\" | no_such_filter: 3 | upcase }}]",
            &globals(),
        )
        .unwrap();
    assert_eq!(html, "x\nunknownfilter: [ABC]");
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].file.as_str(), problems[0].line),
        ("_posts/a.md", 2)
    );
    assert!(problems[0].message.contains("'no_such_filter'"));
}

#[test]
fn unknown_tags_become_visible_placeholders() {
    let site = Site::new();
    site.write("_includes/plugin.html", "\n{% gist abc123 %}");
    let engine = site.engine();
    let (html, problems) = engine
        .render(
            "_posts/a.md",
            "a {% youtube \"x<y\" %}\n{% mermaid %}\ngraph {{ a }}\n{% endmermaid %}b\
             {% include plugin.html %}",
            &globals(),
        )
        .unwrap();
    assert!(
        html.starts_with(
            "a <span class=\"byline-unsupported\" title=\"Byline cannot run the Liquid tag \
             &#39;youtube&#39;"
        ),
        "{html}"
    );
    assert!(html.contains("\">{% youtube &quot;x&lt;y&quot; %}</span>\n"));
    assert!(html.contains(">{% mermaid %}…{% endmermaid %}</span>b"));
    assert!(html.contains(">{% gist abc123 %}</span>"));
    let located: Vec<(&str, usize)> = problems
        .iter()
        .map(|problem| (problem.file.as_str(), problem.line))
        .collect();
    assert_eq!(
        located,
        vec![
            ("_posts/a.md", 1),
            ("_posts/a.md", 2),
            ("_includes/plugin.html", 2)
        ]
    );
}

#[test]
fn post_url_and_link_add_the_baseurl() {
    let engine = Site::new().engine();
    // Jekyll wrote: "posturl: /blog/2016/05/20/welcome.html / /blog/2017/01/02/second.html"
    assert_eq!(
        render(
            &engine,
            "posturl: {% post_url 2016-05-20-welcome %} / {% post_url news/2017-01-02-second %}"
        ),
        "posturl: /blog/2016/05/20/welcome.html / /blog/2017/01/02/second.html"
    );
    // Jekyll wrote: "link: /blog/2016/05/20/welcome.html / /blog/sub/page.html"
    assert_eq!(
        render(
            &engine,
            "link: {% link _posts/2016-05-20-welcome.md %} / {% link sub/page.md %}"
        ),
        "link: /blog/2016/05/20/welcome.html / /blog/sub/page.html"
    );
    // The path is Liquid first.
    assert_eq!(
        render(
            &engine,
            "{% assign target = \"sub/page.md\" %}{% link {{ target }} %}"
        ),
        "/blog/sub/page.html"
    );
    // Jekyll: Could not find post "2010-01-01-nope" in tag 'post_url'. Make sure the post
    // exists and the name is correct.
    let problem = render_error(&engine, "_posts/a.md", "\n{% post_url 2010-01-01-nope %}");
    assert_eq!(problem.line, 2);
    assert!(problem.message.contains(
        "Could not find post \"2010-01-01-nope\" in tag 'post_url'. Make sure the post exists \
         and the name is correct."
    ));
    // Jekyll: Could not find document 'nope.md' in tag 'link'. Make sure the document exists
    // and the path is correct.
    let problem = render_error(&engine, "_posts/a.md", "{% link nope.md %}");
    assert!(problem.message.contains(
        "Could not find document 'nope.md' in tag 'link'. Make sure the document exists and \
         the path is correct."
    ));
    let problem = render_error(&engine, "_posts/a.md", "\n\n{% post_url welcome %}");
    assert_eq!(problem.line, 3);
    assert!(
        problem
            .message
            .contains("Could not parse name of post \"welcome\"")
    );
}

#[test]
fn post_url_falls_back_to_date_and_slug_with_a_warning() {
    let engine = Site::new().engine();
    let (html, problems) = engine
        .render(
            "_posts/a.md",
            "{% post_url 2017-01-02-second %}",
            &globals(),
        )
        .unwrap();
    assert_eq!(html, "/blog/2017/01/02/second.html");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("did not match a post"));
}

#[test]
fn highlight_and_raw() {
    let engine = Site::new().engine();
    // Jekyll wrote `<figure class="highlight"><pre><code class="language-text"
    // data-lang="text">T &amp; &lt;b&gt;</code></pre></figure>` for a body of
    // "{{ page.title }} & <b>" (Liquid runs inside highlight).
    assert_eq!(
        render(
            &engine,
            "{% highlight text %}\n{{ page.title }} & <b>\n{% endhighlight %}"
        ),
        "<figure class=\"highlight\"><pre><code class=\"language-text\" data-lang=\"text\">\
         Welcome &amp; &lt;b&gt;</code></pre></figure>"
    );
    // Jekyll wrote: "raw: {{ not }} {% rendered %}"
    assert_eq!(
        render(
            &engine,
            "raw: {% raw %}{{ not }} {% rendered %}{% endraw %}"
        ),
        "raw: {{ not }} {% rendered %}"
    );
}

#[test]
fn liquid_5_inline_comments_and_echo() {
    // Debian's Jekyll 4.3.1 runs Liquid 5.4; it wrote "abc E" for this text.
    let engine = Site::new().engine();
    assert_eq!(
        render(
            &engine,
            "a{% # a comment\n  # on two lines %}b{%- # dash -%} c {% echo \"e\" | upcase %}"
        ),
        "abc E"
    );
}

#[test]
fn comparing_a_string_with_a_number_stops_as_in_jekyll() {
    // Jekyll: "Liquid error (line 1): comparison of String with 1 failed".
    let engine = Site::new().engine();
    let problem = render_error(&engine, "x.md", "\n{% if \"a\" < 1 %}x{% endif %}");
    assert_eq!(problem.line, 2);
    assert!(
        problem
            .message
            .contains("comparison of String with 1 failed"),
        "{problem}"
    );
}

#[test]
fn whitespace_control_is_unchanged_by_line_markers() {
    let engine = Site::new().engine();
    let text = "a  \n  {%- if true -%}  \n b {{- page.title -}} \n\n{%- endif %}\n c";
    let plain = liquid::ParserBuilder::with_stdlib()
        .build()
        .unwrap()
        .parse(text)
        .unwrap()
        .render(&globals())
        .unwrap();
    assert_eq!(render(&engine, text), plain);
}

#[test]
fn the_engine_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) -> bool {
        true
    }
    let engine = Site::new().engine();
    assert!(shareable(&engine));
    let rendered = std::thread::scope(|scope| {
        scope
            .spawn(|| render(&engine, "{{ page.title }}"))
            .join()
            .unwrap()
    });
    assert_eq!(rendered, "Welcome");
}

#[test]
fn bad_input_never_panics() {
    let site = Site::new();
    site.write("_includes/empty.html", "");
    let engine = site.engine();
    for text in [
        "{% if %}",
        "{% for %}",
        "{{",
        "{%",
        "{% endif %}",
        "{% raw %}",
        "{% comment %}",
        "{% highlight %}{% endhighlight %}",
        "{% highlight ruby %}",
        "{% include %}",
        "{% include {{ }} %}",
        "{% include empty.html a= %}",
        "{% post_url %}",
        "{% link %}",
        "{{ page | }}",
        "{% mermaid %}{% endmermaid",
        "{{ \"x\" | }}{% assign %}",
        "{% case %}{% when %}{% endcase %}",
        "{% tablerow x in %}",
        "\u{0}{%\u{0}%}",
    ] {
        let _ = engine.render("x.md", text, &globals());
    }
}

#[test]
fn unchanged_templates_are_parsed_once() {
    let site = Site::new();
    site.write("_includes/x.html", "{{ include.a }}");
    let engine = site.engine();
    let text = "{% include x.html a=page.title %}";
    assert_eq!(render(&engine, text), "Welcome");
    let cached = engine
        .engine
        .caches
        .lock()
        .unwrap()
        .by_name
        .get("_posts/2016-05-20-welcome.md")
        .map(|(_, prepared)| std::sync::Arc::as_ptr(prepared));
    assert_eq!(render(&engine, text), "Welcome");
    let again = engine
        .engine
        .caches
        .lock()
        .unwrap()
        .by_name
        .get("_posts/2016-05-20-welcome.md")
        .map(|(_, prepared)| std::sync::Arc::as_ptr(prepared));
    assert!(cached.is_some());
    assert_eq!(cached, again);
}

#[test]
fn loop_variables_are_lenient_too() {
    // Jekyll writes nothing for a key of a string or of a missing value, in loops as anywhere.
    let engine = Site::new().engine();
    assert_eq!(
        render(
            &engine,
            "{% for post in site.posts %}[{{ post.title.foo }}]{% endfor %}\
             {% for post in site.posts %}{% for t in post.tags %}[{{ t.name }}]{% endfor %}\
             {% endfor %}{% for i in (1..2) %}[{{ i.foo }}{{ forloop.nothing }}]{% endfor %}"
        ),
        "[][][][][]"
    );
    // `limit` past the end does not add empty items (the `liquid` crate's loop did).
    assert_eq!(
        render(
            &engine,
            "{% for post in site.posts offset:1 limit:5 %}[{{ post.title }}]{% endfor %}"
        ),
        "[Second]"
    );
    // An object is iterated as [key, value] pairs.
    assert_eq!(
        render(
            &engine,
            "{% for pair in page %}{% if pair[0] == \"title\" %}{{ pair[1] }}{% endif %}{% endfor %}"
        ),
        "Welcome"
    );
}

#[test]
fn conditions_case_and_blank_blocks_as_jekyll() {
    let engine = Site::new().engine();
    // `jekyll build` wrote "F T": and/or group from the right.
    assert_eq!(
        render(
            &engine,
            "{% if false and false or true %}T{% else %}F{% endif %} \
             {% if true or false and false %}T{% else %}F{% endif %}"
        ),
        "F T"
    );
    // Jekyll wrote "nil-not-empty|ne|not-blank": nil is not empty, nothing is blank.
    assert_eq!(
        render(
            &engine,
            "{% if page.none == empty %}x{% else %}nil-not-empty{% endif %}|\
             {% if page.none != empty %}ne{% endif %}|\
             {% if \"\" == blank %}x{% else %}not-blank{% endif %}"
        ),
        "nil-not-empty|ne|not-blank"
    );
    // Jekyll wrote "abc|ok|e1x".
    assert_eq!(
        render(
            &engine,
            "{% case 1 %}{% when 1 %}a{% when 1, 2 %}b{% when 3 or 1 %}c{% else %}e{% endcase %}|\
             {% case true %}{% when \"x\" %}bad{% else %}ok{% endcase %}|\
             {% case \"x\" %}{% when \"y\" %}{% else %}e1{% when \"x\" %}x{% else %}e2{% endcase %}"
        ),
        "abc|ok|e1x"
    );
    // Jekyll wrote "[||\n  1\n|  |]": blocks holding only whitespace and silent tags write
    // nothing; others keep their whitespace.
    assert_eq!(
        render(
            &engine,
            "[{% if true %}\n   {% assign x = 1 %}\n{% endif %}|{% for i in (1..3) %}\n  \
             {% capture c %}{{ i }}{% endcapture %}\n{% endfor %}|{% if true %}\n  {{ x }}\n\
             {% endif %}|{% if true %} {% if false %}x{% endif %} {% endif %}|\
             {% if true %} {% if true %} {% endif %} {% endif %}]"
        ),
        "[||\n  1\n|  |]"
    );
}

/// Runs `work` on a thread with the 2 MiB stack of the preview's render worker (and of Rust's
/// default threads): a stack overflow there would abort the test run, not fail one test.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap()
}

fn nested_ifs(levels: usize) -> String {
    format!(
        "a\n{}x{}",
        "{% if true %}".repeat(levels),
        "{% endif %}".repeat(levels)
    )
}

#[test]
fn blocks_nest_as_deep_as_liquid_allows() {
    // Liquid 5.4 accepts 100 blocks inside each other (jekyll build wrote "x" for 99).
    let rendered = on_small_stack(|| {
        let site = Site::new();
        let engine = site.engine();
        render(&engine, &nested_ifs(100))
    });
    assert_eq!(rendered, "a\nx");
}

#[test]
fn blocks_nested_too_deep_are_a_located_problem_not_an_abort() {
    for levels in [101, 600, 5000] {
        let problem = on_small_stack(move || {
            let site = Site::new();
            let engine = site.engine();
            render_error(&engine, "_posts/a.md", &nested_ifs(levels))
        });
        // jekyll build: "Liquid Exception: Liquid error: Nesting too deep in …/_posts/…md".
        assert!(
            problem
                .message
                .starts_with("Liquid error: Nesting too deep"),
            "{problem}"
        );
        assert_eq!((problem.file.as_str(), problem.line), ("_posts/a.md", 2));
    }
    // Any block counts, and unknown (plugin) blocks too.
    let mixed = format!(
        "{}{{% unknownblock %}}x{{% endunknownblock %}}{}",
        "{% for i in (1..1) %}{% unless false %}".repeat(50),
        "{% endunless %}{% endfor %}".repeat(50)
    );
    let problem = on_small_stack(move || {
        let site = Site::new();
        let engine = site.engine();
        render_error(&engine, "_posts/a.md", &mixed)
    });
    assert!(problem.message.contains("Nesting too deep"), "{problem}");
}

#[test]
fn endless_loops_stop_with_a_located_problem() {
    let engine = Site::new().engine();
    let problem = render_error(
        &engine,
        "_posts/a.md",
        "a\n{% for i in (1..10000000) %}{% for j in (1..2) %}\n{{ j }}{% endfor %}{% endfor %}",
    );
    assert_eq!(
        problem.message,
        "Liquid error: this page's loops ran more than 1000000 times; Byline stopped rendering it"
    );
    // The loops' line (where the budget ran out: the inner loop starting again).
    assert_eq!((problem.file.as_str(), problem.line), ("_posts/a.md", 2));
    // A huge range is not listed in memory: leaving it early is quick, and its slices are right.
    assert_eq!(
        render(
            &engine,
            "{% for i in (1..999999999999999) %}{{ i }}{% if forloop.index == 3 %}{% break %}\
             {% endif %}{% endfor %}|{% for i in (-5..999999999999999) offset: 2 limit: 3 %}\
             {{ i }},{% endfor %}|{% for i in (1..5) reversed limit: 2 %}{{ i }}{% endfor %}\
             |{% for i in (1..5) offset: 9 %}{{ i }}{% else %}none{% endfor %}"
        ),
        "123|-3,-2,-1,|21|none"
    );
    // The budget is per rendering: a page that loops a lot, rendered again, still renders.
    let many = "{% for i in (1..600000) %}{% endfor %}done";
    assert_eq!(render(&engine, many), "done");
    assert_eq!(render(&engine, many), "done");
}

#[test]
fn integers_beyond_64_bits_are_a_located_problem_not_a_panic() {
    let engine = Site::new().engine();
    // jekyll build wrote "3168873852651" (a Ruby bignum); the `liquid` crate's parser panics.
    let problem = render_error(
        &engine,
        "_posts/a.md",
        "a\n{{ 99999999999999999999 | date: \"%Y\" }}",
    );
    assert_eq!((problem.file.as_str(), problem.line), ("_posts/a.md", 2));
    assert!(
        problem.message.contains("99999999999999999999"),
        "{problem}"
    );
    let problem = render_error(
        &engine,
        "_posts/a.md",
        "a\nb\n{% if x > -9223372036854775809 %}{% endif %}",
    );
    assert_eq!(problem.line, 3, "{problem}");
    // Within 64 bits or in quotes they render as in Jekyll.
    assert_eq!(
        render(
            &engine,
            "{{ 9223372036854775807 }}|{{ '99999999999999999999' }}"
        ),
        "9223372036854775807|99999999999999999999"
    );
}

#[test]
fn blocks_nested_through_includes_stop_instead_of_overflowing() {
    // Each file keeps within Liquid's 100 nested blocks, but 99 includes of 98 levels each
    // would render 9 800 levels deep: a 2 MiB stack overflowed at under 2 000.
    let problem = on_small_stack(|| {
        let site = Site::new();
        let includes = 99;
        for level in 0..includes {
            site.write(
                &format!("_includes/d{level}.html"),
                &format!(
                    "{}{{% include d{}.html %}}{}",
                    "{% for i in (1..1) %}{% if true %}".repeat(49),
                    level + 1,
                    "{% endif %}{% endfor %}".repeat(49)
                ),
            );
        }
        site.write(&format!("_includes/d{includes}.html"), "end");
        let engine = site.engine();
        render_error(&engine, "_posts/a.md", "{% include d0.html %}")
    });
    assert!(problem.message.contains("Nesting too deep"), "{problem}");
    assert!(problem.file.starts_with("_includes/d"), "{problem}");
}

#[test]
fn long_conditions_and_filter_chains_do_not_overflow_a_small_stack() {
    let rendered = on_small_stack(|| {
        let engine = Site::new().engine();
        let long_and = format!(
            "{{% if {} %}}and{{% endif %}}",
            vec!["true"; 100_000].join(" and ")
        );
        let long_or = format!(
            "{{% if {} %}}or{{% else %}}none{{% endif %}}",
            vec!["false"; 100_000].join(" or ")
        );
        let long_chain = format!("{{{{ 1{} }}}}", " | plus: 1".repeat(100_000));
        [long_and, long_or, long_chain].map(|text| render(&engine, &text))
    });
    assert_eq!(rendered, ["and", "none", "100001"]);
}

#[test]
fn blocks_nested_too_deep_inside_comments_and_raw() {
    // Ruby's Liquid parses a comment's body (so its blocks count), not a raw one's; the
    // `liquid` crate's parser recursed into 5 000 levels inside a comment and overflowed.
    let wrap = |open: &str, close: &str| format!("{open}\n{}{close}", nested_ifs(5000));
    let (comment, raw) = on_small_stack(move || {
        let engine = Site::new().engine();
        let comment = render_error(
            &engine,
            "_posts/a.md",
            &wrap("{% comment %}", "{% endcomment %}"),
        );
        let raw = render(&engine, &wrap("{% raw %}", "{% endraw %}"));
        (comment, raw)
    });
    assert!(
        comment
            .message
            .starts_with("Liquid error: Nesting too deep"),
        "{comment}"
    );
    assert_eq!(comment.line, 3);
    assert!(raw.ends_with("{% endif %}"), "{raw}");
}
