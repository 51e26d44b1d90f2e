//! Code highlighted as Jekyll's Rouge writes it (`<span class="k">…`), so a theme's syntax
//! colours apply in Byline's rendering as they do on the published site.

mod engine;
mod lexers;

use engine::Lexer;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The language names Rouge 3.30 (Debian's, used by Jekyll 4.3.1) has a lexer for: each
/// lexer's tag and aliases, sorted (`Rouge::Lexer.all`). kramdown writes a code block in a
/// language not listed here as a bare `<pre><code class="language-x">`, without Rouge's
/// wrappers.
const ROUGE_LANGUAGES: &[&str] = &[
    "Dockerfile",
    "HAML",
    "Isabelle",
    "LaTeX",
    "OCL",
    "R",
    "S",
    "TeX",
    "abap",
    "actionscript",
    "ada",
    "apache",
    "apex",
    "apib",
    "apiblueprint",
    "applescript",
    "armasm",
    "as",
    "as3",
    "aug",
    "augeas",
    "awk",
    "bash",
    "bat",
    "batch",
    "batchfile",
    "bbcbasic",
    "behat",
    "bib",
    "bibtex",
    "biml",
    "bpf",
    "brainfuck",
    "brightscript",
    "brs",
    "bs",
    "bsdmake",
    "bsl",
    "c",
    "c#",
    "c++",
    "ceylon",
    "cfc",
    "cfscript",
    "cl",
    "clean",
    "clj",
    "cljs",
    "clojure",
    "cmake",
    "cmhg",
    "cmm",
    "coffee",
    "coffee-script",
    "coffeescript",
    "common-lisp",
    "common_lisp",
    "conf",
    "config",
    "configuration",
    "console",
    "coq",
    "cpp",
    "cr",
    "crystal",
    "cs",
    "csharp",
    "css",
    "csvs",
    "cucumber",
    "cuda",
    "cypher",
    "cython",
    "d",
    "dafny",
    "dart",
    "datastudio",
    "diff",
    "digdag",
    "django",
    "dlang",
    "docker",
    "dockerfile",
    "dosbatch",
    "dot",
    "e-mail",
    "ecl",
    "eex",
    "eiffel",
    "elisp",
    "elixir",
    "elm",
    "emacs-lisp",
    "email",
    "eml",
    "epp",
    "eps",
    "erb",
    "erl",
    "erlang",
    "eruby",
    "esc",
    "escape",
    "ex",
    "exs",
    "factor",
    "fea",
    "ff",
    "fluent",
    "fortran",
    "freefem",
    "fsharp",
    "ftl",
    "gd",
    "gdscript",
    "ghc-cmm",
    "ghc-core",
    "gherkin",
    "glsl",
    "gnumake",
    "go",
    "golang",
    "gradle",
    "graphql",
    "groovy",
    "hack",
    "haml",
    "handlebars",
    "haskell",
    "haxe",
    "hbs",
    "hcl",
    "heex",
    "hh",
    "hlsl",
    "hocon",
    "hql",
    "hs",
    "html",
    "http",
    "hx",
    "hy",
    "hylang",
    "idlang",
    "idr",
    "idris",
    "igorpro",
    "ini",
    "io",
    "irb",
    "irb_output",
    "isa",
    "isabelle",
    "isbl",
    "j",
    "janet",
    "java",
    "javascript",
    "jdn",
    "jinja",
    "jl",
    "js",
    "jsl",
    "json",
    "json-doc",
    "jsonc",
    "jsonnet",
    "jsp",
    "jsx",
    "julia",
    "kdb+",
    "kotlin",
    "ksh",
    "lasso",
    "lassoscript",
    "latex",
    "lean",
    "leex",
    "lhaskell",
    "lhs",
    "liquid",
    "lisp",
    "litcoffee",
    "literate_coffeescript",
    "literate_haskell",
    "lithaskell",
    "livescript",
    "llvm",
    "ls",
    "lua",
    "lustre",
    "lutin",
    "m",
    "m68k",
    "magik",
    "make",
    "makefile",
    "markdown",
    "mason",
    "mathematica",
    "matlab",
    "md",
    "meson",
    "mf",
    "microsoftshell",
    "minizinc",
    "mkd",
    "ml",
    "moon",
    "moonscript",
    "mosel",
    "msgtrans",
    "msshell",
    "mustache",
    "mxml",
    "nasm",
    "nes",
    "nesasm",
    "nginx",
    "nial",
    "nim",
    "nimrod",
    "nix",
    "nixos",
    "obj-c",
    "obj-c++",
    "obj-cpp",
    "obj_c",
    "obj_c++",
    "obj_cpp",
    "objc",
    "objc++",
    "objcpp",
    "objective_c",
    "objective_cpp",
    "objectivec",
    "objectivec++",
    "objectivecpp",
    "ocaml",
    "ocl",
    "openedge",
    "opentype",
    "opentype_feature_file",
    "opentypefeature",
    "pascal",
    "patch",
    "perl",
    "php",
    "php3",
    "php4",
    "php5",
    "pl",
    "plaintext",
    "plist",
    "plsql",
    "pony",
    "posh",
    "postscr",
    "postscript",
    "powershell",
    "pp",
    "praat",
    "prolog",
    "prometheus",
    "properties",
    "proto",
    "protobuf",
    "pry",
    "ps",
    "puppet",
    "py",
    "pyrex",
    "python",
    "pyx",
    "q",
    "qml",
    "r",
    "racket",
    "rb",
    "react",
    "realbasic",
    "reasonml",
    "rego",
    "rescript",
    "rhtml",
    "robot",
    "robot-framework",
    "robot_framework",
    "rs",
    "rs,ignore",
    "rs,no_run",
    "rs,should_panic",
    "ruby",
    "rust",
    "rust,ignore",
    "rust,no_run",
    "rust,should_panic",
    "s",
    "sas",
    "sass",
    "scala",
    "scheme",
    "scss",
    "sed",
    "sh",
    "shell",
    "shell-session",
    "shell_session",
    "sieve",
    "slice",
    "slim",
    "smalltalk",
    "smarty",
    "sml",
    "solidity",
    "sparql",
    "sqf",
    "sql",
    "squeak",
    "ssh",
    "st",
    "stan",
    "stata",
    "supercollider",
    "swift",
    "systemd",
    "syzlang",
    "syzprog",
    "tap",
    "tcl",
    "terminal",
    "terraform",
    "tex",
    "text",
    "tf",
    "toml",
    "ts",
    "tsx",
    "ttcn3",
    "tulip",
    "turtle",
    "twig",
    "typescript",
    "udiff",
    "unit-file",
    "vala",
    "varnish",
    "varnishconf",
    "vb",
    "vcl",
    "velocity",
    "verilog",
    "vhdl",
    "vim",
    "viml",
    "vimscript",
    "visualbasic",
    "vue",
    "vuejs",
    "winbatch",
    "wl",
    "wollok",
    "xml",
    "xojo",
    "xpath",
    "xquery",
    "yaml",
    "yang",
    "yml",
    "zig",
    "zir",
    "zsh",
];

/// True when Rouge has a lexer for `language` (as written after the fence; case matters,
/// as it does for Rouge).
pub fn rouge_knows(language: &str) -> bool {
    ROUGE_LANGUAGES.binary_search(&language).is_ok()
}

/// `code` in `language` as the HTML inside Rouge's `<code>` element: Rouge's token spans
/// (`<span class="k">def</span>`) for the languages Byline has a lexer for, Rouge's escaped
/// plain text for the others.
pub fn highlight_code(code: &str, language: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    if matches!(
        language,
        "console" | "shell-session" | "shell_session" | "terminal"
    ) {
        console(code, &mut out);
        return out;
    }
    match cached_lexer(language) {
        Some(lexer) => write_tokens(&lexer.tokens(code), &mut out),
        None => escape(code, &mut out),
    }
    out
}

/// The compiled lexer for `language`, built once per process.
fn cached_lexer(language: &str) -> Option<Arc<Lexer>> {
    type Cache = Mutex<HashMap<&'static str, Arc<Lexer>>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(|| Mutex::new(HashMap::new()));
    let (name, build) = lexers::lexer_for(language)?;
    let Ok(mut cache) = CACHE.lock() else {
        return Some(Arc::new(build()));
    };
    Some(
        cache
            .entry(name)
            .or_insert_with(|| Arc::new(build()))
            .clone(),
    )
}

/// A shell session: prompt lines (`$ `, `# `) as prompt and command, the rest as output.
fn console(code: &str, out: &mut String) {
    let shell = cached_lexer("shell");
    let mut output = String::new();
    for line in code.split_inclusive('\n') {
        // Rouge counts the indentation before the prompt as part of it.
        let indented = line.trim_start_matches(' ');
        let indent = line.len() - indented.len();
        let prompt = ["$ ", "# ", "% ", "> "]
            .iter()
            .find(|p| indented.starts_with(**p))
            .copied()
            .or_else(|| (indented.trim_end() == "$").then_some("$"));
        match prompt {
            Some(prompt) => {
                if !output.is_empty() {
                    span("go", &output, out);
                    output.clear();
                }
                let mark_len = indent + prompt.trim_end().len();
                span("gp", line.get(..mark_len).unwrap_or_default(), out);
                let after = line.get(mark_len..).unwrap_or_default();
                let command = after.trim_start_matches(' ');
                let spaces = after.len() - command.len();
                if spaces > 0 {
                    span("w", after.get(..spaces).unwrap_or_default(), out);
                }
                match &shell {
                    Some(lexer) => write_tokens(&lexer.tokens(command), out),
                    None => escape(command, out),
                }
            }
            None => output.push_str(line),
        }
    }
    if !output.is_empty() {
        span("go", &output, out);
    }
}

/// Tokens as Rouge's HTML formatter writes them: neighbours of one class joined, plain text
/// without a span.
fn write_tokens(tokens: &[(&'static str, &str)], out: &mut String) {
    let mut pending_class: &str = "";
    let mut pending = String::new();
    for (class, text) in tokens {
        if *class != pending_class && !pending.is_empty() {
            span(pending_class, &pending, out);
            pending.clear();
        }
        pending_class = class;
        pending.push_str(text);
    }
    if !pending.is_empty() {
        span(pending_class, &pending, out);
    }
}

fn span(class: &str, text: &str, out: &mut String) {
    if class.is_empty() {
        escape(text, out);
    } else {
        out.push_str("<span class=\"");
        out.push_str(class);
        out.push_str("\">");
        escape(text, out);
        out.push_str("</span>");
    }
}

// Rouge escapes `&`, `<`, `>`, the same as kramdown.
use super::kramdown::escape_text as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rouge_languages_are_sorted_for_lookup() {
        assert!(ROUGE_LANGUAGES.windows(2).all(|w| w[0] < w[1]));
        assert!(rouge_knows("ruby") && rouge_knows("plaintext") && rouge_knows("console"));
        assert!(!rouge_knows("nosuchlang") && !rouge_knows("Ruby"));
    }

    #[test]
    fn plain_code_is_escaped_like_rouge() {
        assert_eq!(
            highlight_code("a < b && \"c\"", "plaintext"),
            "a &lt; b &amp;&amp; \"c\""
        );
    }

    #[test]
    fn every_lexer_rule_compiles() {
        for language in [
            "ruby", "python", "js", "html", "css", "scss", "sass", "yaml", "json", "shell", "diff",
            "liquid", "markdown",
        ] {
            let (_, build) = lexers::lexer_for(language).unwrap();
            let lexer = build();
            let counts = lexer.rule_counts();
            let expected = lexers::rule_spec_counts(language);
            assert_eq!(counts, expected, "{language}: a rule did not compile");
        }
    }

    #[test]
    fn ruby_tokens_get_rouge_classes() {
        assert_eq!(
            highlight_code("def foo\n  @x = \"a #{b}\" # c\nend\n", "ruby"),
            "<span class=\"k\">def</span> <span class=\"nf\">foo</span>\n  <span class=\"vi\">@x</span> <span class=\"o\">=</span> <span class=\"s2\">\"a </span><span class=\"si\">#{</span><span class=\"n\">b</span><span class=\"si\">}</span><span class=\"s2\">\"</span> <span class=\"c1\"># c</span>\n<span class=\"k\">end</span>\n"
        );
    }

    #[test]
    fn diff_lines_group_as_rouge_does() {
        assert_eq!(
            highlight_code("-a\n-b\n+c\n same\n", "diff"),
            "<span class=\"gd\">-a\n-b\n</span><span class=\"gi\">+c\n</span> same\n"
        );
    }

    #[test]
    fn console_prompts_and_output() {
        assert_eq!(
            highlight_code("$ ls\nfile\n", "console"),
            "<span class=\"gp\">$</span><span class=\"w\"> </span><span class=\"nb\">ls</span>\n<span class=\"go\">file\n</span>"
        );
    }
}
