//! Byline's own small lexers for the languages Jekyll posts show most (Ruby, Python,
//! JavaScript, HTML, CSS/SCSS/Sass, YAML, JSON, shell, console sessions, diffs, Liquid,
//! Markdown), each giving tokens Rouge's class names. They follow what Rouge 3.30 writes for
//! ordinary code closely enough for a theme's colours to land on the same words; odd corners
//! of each language may differ.

use super::engine::{Lexer, Next, RuleSpec};

const RUBY_KEYWORDS: &str = r"\b(?:alias|and|begin|break|case|class|def|defined\?|do|else|elsif|end|ensure|for|if|in|module|next|not|or|redo|rescue|retry|return|super|then|undef|unless|until|when|while|yield|__FILE__|__LINE__|__method__|BEGIN|END)\b";

fn s(pattern: &'static str, class: &'static str) -> RuleSpec {
    RuleSpec {
        pattern,
        classes: vec![class],
        next: Next::Stay,
        after_operator: false,
        keywords: Vec::new(),
    }
}

fn g(pattern: &'static str, classes: &[&'static str]) -> RuleSpec {
    RuleSpec {
        pattern,
        classes: classes.to_vec(),
        next: Next::Stay,
        after_operator: false,
        keywords: Vec::new(),
    }
}

fn push(pattern: &'static str, class: &'static str, state: &'static str) -> RuleSpec {
    RuleSpec {
        pattern,
        classes: vec![class],
        next: Next::Push(state),
        after_operator: false,
        keywords: Vec::new(),
    }
}

fn pop(pattern: &'static str, class: &'static str) -> RuleSpec {
    RuleSpec {
        pattern,
        classes: vec![class],
        next: Next::Pop,
        after_operator: false,
        keywords: Vec::new(),
    }
}

/// A rule that applies only where a value may start (after an operator, punctuation, a
/// keyword or at the start): regular expression literals.
fn value(pattern: &'static str, class: &'static str) -> RuleSpec {
    RuleSpec {
        pattern,
        classes: vec![class],
        next: Next::Stay,
        after_operator: true,
        keywords: Vec::new(),
    }
}

fn ruby_code() -> Vec<RuleSpec> {
    vec![
        s(r"(?m)^=begin\b[\s\S]*?^=end\b.*", "cm"),
        s(r"#.*", "c1"),
        s(r"\s+", ""),
        push(r#"""#, "s2", "dq"),
        s(r"'(?:\\.|[^'\\])*'", "s1"),
        s(r"%[wWiI]\[[^\]]*\]|%[wWiI]\([^)]*\)|%[wWiI]\{[^}]*\}", "sx"),
        s(r#":"(?:\\.|[^"\\])*""#, "ss"),
        s(r"\b[a-zA-Z_]\w*[?!]?:(?:\s|$)", "ss"),
        s(r":[a-zA-Z_]\w*[?!=]?", "ss"),
        value(r"/(?:\\.|[^/\\\n])+/[mixounse]*", "sr"),
        s(r"0[xX][0-9a-fA-F_]+", "mh"),
        s(r"0[bB][01_]+", "mb"),
        s(r"0[0-7_]+", "mo"),
        s(r"\d[\d_]*\.\d[\d_]*(?:[eE][+-]?\d+)?", "mf"),
        s(r"\d[\d_]*", "mi"),
        s(r"@@[a-zA-Z_]\w*", "vc"),
        s(r"@[a-zA-Z_]\w*", "vi"),
        s(r"\$[a-zA-Z_]\w*", "vg"),
        g(
            r"(def)(\s+)(self)(\.)([a-zA-Z_]\w*[?!=]?)",
            &["k", "", "nc", "o", "nf"],
        ),
        g(r"(def)(\s+)([a-zA-Z_]\w*[?!=]?)", &["k", "", "nf"]),
        g(r"(class)(\s+)([A-Z]\w*)", &["k", "", "nc"]),
        g(r"(module)(\s+)([A-Z]\w*)", &["k", "", "nn"]),
        s(RUBY_KEYWORDS, "k"),
        s(
            r"\b(?:loop|include|extend|raise|alias_method|attr|catch|throw|private|module_function|public|protected|true|false|nil|__FILE__|__LINE__)\b",
            "kp",
        ),
        s(
            r"\b(?:autoload|block_given|const_defined|eql|equal|frozen|include|instance_of|is_a|iterator|kind_of|method_defined|nil|private_method_defined|protected_method_defined|public_method_defined|respond_to|tainted)\?",
            "nb",
        ),
        s(r"\b(?:chomp|chop|exit|gsub|sub)!", "nb"),
        s(
            r"\b(?:attr_reader|attr_writer|attr_accessor|__id__|__send__|abort|ancestors|at_exit|autoload|binding|callcc|caller|catch|chomp|chop|class_eval|class_variables|clone|const_defined\?|const_get|const_missing|const_set|constants|display|dup|eval|exec|exit|extend|fail|fork|format|freeze|getc|gets|global_variables|gsub|hash|id|included_modules|inspect|instance_eval|instance_method|instance_methods|instance_variable_get|instance_variable_set|instance_variables|lambda|load|local_variables|loop|method|method_missing|methods|module_eval|name|object_id|open|p|print|printf|private_class_method|private_instance_methods|private_methods|proc|protected_instance_methods|protected_methods|public_class_method|public_instance_methods|public_methods|putc|puts|raise|rand|readline|readlines|require|require_relative|scan|select|self|send|set_trace_func|singleton_methods|sleep|split|sprintf|srand|sub|syscall|system|taint|test|throw|to_a|to_s|trace_var|trap|untaint|untrace_var|warn)\b",
            "nb",
        ),
        s(r"[A-Z]\w*", "no"),
        g(r"(\.)([a-zA-Z_]\w*[?!]?)", &["p", "nf"]),
        s(r"[a-zA-Z_]\w*[?!]?", "n"),
        s(r"::", "o"),
        s(
            r"\*\*|\|\|=|&&=|<=>|===|==|=~|!~|!=|<=|>=|<<|>>|=>|->|\+=|-=|\*=|/=|\|\||&&|\.\.\.?|[-+*/%=<>!&|^~?]",
            "o",
        ),
        s(r"[()\[\]{},;.:\\]", "p"),
    ]
}

fn ruby() -> Lexer {
    let mut interpolation = vec![pop(r"\}", "si")];
    interpolation.extend(ruby_code());
    Lexer::new(vec![
        ("root", ruby_code()),
        (
            "dq",
            vec![
                s(r#"[^"\\#]+"#, "s2"),
                s(r"\\.", "se"),
                push(r"#\{", "si", "interpolation"),
                s(r"#", "s2"),
                pop(r#"""#, "s2"),
            ],
        ),
        ("interpolation", interpolation),
    ])
}

fn python() -> Lexer {
    Lexer::new(vec![(
        "root",
        vec![
            s(r"#.*\n?", "c1"),
            s(r"\s+", ""),
            s(
                r#"(?s)[rRbBuUfF]{0,2}"""[\s\S]*?"""|[rRbBuUfF]{0,2}'''[\s\S]*?'''"#,
                "s",
            ),
            s(
                r#"[rRbBuUfF]{0,2}"(?:\\.|[^"\\\n])*"|[rRbBuUfF]{0,2}'(?:\\.|[^'\\\n])*'"#,
                "s",
            ),
            g(r"(def)(\s+)([a-zA-Z_]\w*)", &["k", "", "nf"]),
            g(r"(class)(\s+)([a-zA-Z_]\w*)", &["k", "", "nc"]),
            g(r"(import|from)(\s+)([\w.]+)", &["kn", "", "nn"]),
            s(r"\b(?:and|in|is|not|or)\b", "ow"),
            s(
                r"\b(?:assert|async|await|break|continue|del|elif|else|except|finally|for|global|if|lambda|nonlocal|pass|raise|return|try|while|with|yield|print|as)\b",
                "k",
            ),
            s(r"\b(?:True|False|None|self|cls)\b", "bp"),
            s(
                r"\b(?:abs|all|any|bool|dict|enumerate|filter|float|format|getattr|hasattr|int|isinstance|len|list|map|max|min|open|range|repr|reversed|round|set|setattr|sorted|str|sum|super|tuple|type|zip)\b",
                "nb",
            ),
            s(r"0[xX][0-9a-fA-F_]+", "mh"),
            s(r"\d[\d_]*\.\d*(?:[eE][+-]?\d+)?|\.\d+", "mf"),
            s(r"\d[\d_]*", "mi"),
            s(r"[a-zA-Z_]\w*", "n"),
            s(r"\*\*=?|//=?|==|!=|<=|>=|->|:=|[-+*/%=<>&|^~@]=?", "o"),
            s(r"[()\[\]{},;.:]", "p"),
        ],
    )])
}

fn javascript() -> Lexer {
    Lexer::new(vec![
        (
            "root",
            vec![
                s(r"//.*", "c1"),
                s(r"/\*[\s\S]*?\*/", "cm"),
                s(r"\s+", ""),
                g(r#"(")((?:\\.|[^"\\\n])*)(")"#, &["dl", "s2", "dl"]),
                g(r"(')((?:\\.|[^'\\\n])*)(')", &["dl", "s1", "dl"]),
                push(r"`", "s2", "template"),
                value(r"/(?:\\.|[^/\\\n])+/[gimsuy]*", "sr"),
                s(
                    r"\b(?:var|let|const|function|class|extends|constructor|static|get|set)\b",
                    "kd",
                ),
                s(r"\b(?:import|export|from|as|default)\b", "k"),
                s(
                    r"\b(?:async|break|case|catch|continue|debugger|delete|do|else|finally|for|if|in|instanceof|new|of|return|switch|this|throw|try|typeof|void|while|with|yield|await)\b",
                    "k",
                ),
                s(r"\b(?:true|false|null|undefined|NaN|Infinity)\b", "kc"),
                s(
                    r"\b(?:Array|Boolean|Date|Error|Function|JSON|Map|Math|Number|Object|Promise|RegExp|Set|String|Symbol|document|window|parseInt|parseFloat|setTimeout|setInterval)\b",
                    "nb",
                ),
                g(r"([a-zA-Z_$][\w$]*)(\s*)(:)(?:\s)", &["na", "", "p"]),
                s(r"0[xX][0-9a-fA-F]+", "mh"),
                s(r"\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+", "mf"),
                s(r"\d+", "mi"),
                s(r"[a-zA-Z_$][\w$]*", "nx"),
                s(
                    r"===|!==|==|!=|<=|>=|=>|&&|\|\||\?\?|\+\+|--|[-+*/%=<>&|^!~]=?",
                    "o",
                ),
                s(r"[()\[\]{},;.:?]", "p"),
            ],
        ),
        (
            "template",
            vec![
                s(r"[^`\\$]+", "s2"),
                s(r"\\.", "se"),
                push(r"\$\{", "p", "template_code"),
                s(r"\$", "s2"),
                pop(r"`", "s2"),
            ],
        ),
        (
            "template_code",
            vec![
                pop(r"\}", "p"),
                s(r"\s+", ""),
                s(r"[a-zA-Z_$][\w$]*", "nx"),
                s(r"\d+", "mi"),
                s(r"[^}\s\w$]+", "p"),
            ],
        ),
    ])
}

/// Inside an HTML tag: attributes (with their `=`), quoted values, the closing `>`.
fn html_tag_rules() -> Vec<RuleSpec> {
    vec![
        s(r"\s+", ""),
        s(r"[\w:-]+\s*=\s*", "na"),
        s(r"[\w:-]+", "na"),
        s(r#""[^"]*"|'[^']*'"#, "s"),
        pop(r"/?\s*>", "nt"),
        s(r"[^\s>]+", "s"),
    ]
}

fn html() -> Lexer {
    Lexer::new(vec![
        (
            "root",
            vec![
                s(r"<!--[\s\S]*?-->", "c"),
                s(r"(?i)<!DOCTYPE[^>]*>", "cp"),
                s(r"&\S*?;", "ni"),
                push(r"<(?:script|style)\b[ \t]*", "nt", "tag"),
                push(r"</?[a-zA-Z][\w:-]*", "nt", "tag"),
                s(r"[^<&]+", ""),
                s(r"[<&]", ""),
            ],
        ),
        ("tag", html_tag_rules()),
    ])
}

const CSS_VALUES: &[&str] = &[
    "sans-serif",
    "serif",
    "monospace",
    "inherit",
    "initial",
    "none",
    "auto",
    "bold",
    "normal",
    "italic",
    "block",
    "inline",
    "flex",
    "grid",
    "solid",
    "transparent",
    "absolute",
    "relative",
    "fixed",
    "center",
    "left",
    "right",
    "hidden",
];

const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "code",
    "div",
    "dl",
    "dt",
    "dd",
    "em",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "input",
    "label",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// CSS, SCSS and Sass share their rules; Rouge's three lexers differ in a few classes.
fn css_common(
    hex_class: &'static str,
    hash_class: &'static str,
    string_class: &'static str,
) -> Vec<RuleSpec> {
    let mut words = s(r"[a-zA-Z_][\w-]*", "n");
    words.keywords = vec![(CSS_VALUES, "nb"), (HTML_TAGS, "nt")];
    vec![
        s(r"/\*[\s\S]*?\*/", "c"),
        s(r"//.*", "c1"),
        s(r"\s+", ""),
        s(r"@[\w-]+", "k"),
        s(r"\$[\w-]+", "nv"),
        g(r"([\w-]+)(\s*)(:)(\s)", &["nl", "", "p", ""]),
        s(r#""(?:\\.|[^"\\])*""#, string_class),
        s(r"'(?:\\.|[^'\\])*'", "s1"),
        s(r"#[0-9a-fA-F]{3,8}\b", hex_class),
        s(r"-?\d+\.?\d*(?:%|[a-zA-Z]+)?|-?\.\d+(?:%|[a-zA-Z]+)?", "m"),
        s(r"::?[\w-]+(?:\([^)]*\))?", "nd"),
        s(r"\.[\w-]+", "nc"),
        s(r"#[\w-]+", hash_class),
        s(r"&", "k"),
        s(r"!important\b", "k"),
        words,
        s(r"[>+~,*=]", "o"),
        s(r"[()\[\]{};:.]", "p"),
    ]
}

fn css() -> Lexer {
    Lexer::new(vec![("root", css_common("m", "nf", "s1"))])
}

fn scss() -> Lexer {
    Lexer::new(vec![("root", css_common("mh", "nn", "s2"))])
}

fn sass() -> Lexer {
    let mut rules = vec![g(r"([\w-]+)(:)(\s)", &["nl", "p", ""]), s(r";", "err")];
    rules.extend(css_common("mh", "nn", "s"));
    Lexer::new(vec![("root", rules)])
}

fn yaml() -> Lexer {
    Lexer::new(vec![
        (
            "root",
            vec![
                s(r"(?m)^(?:---|\.\.\.)[ \t]*$", "nn"),
                s(r"#.*", "c1"),
                s(r"\s+", ""),
                g(r"(-)(\s)", &["pi", ""]),
                g(
                    r#"([^\s:#'"{}\[\],][^:\n]*?)(\s*)(:)(?:\s|$)"#,
                    &["na", "", "pi"],
                ),
                push(r"\{", "pi", "flow"),
                push(r"\[", "pi", "flow"),
                push(r#"""#, "s2", "double_quoted"),
                g(r"(')([^'\n]*')", &["s1", "s"]),
                g(
                    r"(true|false|yes|no|on|off|null|~)([ \t]+)(#.*)",
                    &["no", "", "c1"],
                ),
                g(r"(-?\d+(?:\.\d+)?)([ \t]+)(#.*)", &["m", "", "c1"]),
                s(r"(?m)(?:true|false|yes|no|on|off|null|~)[ \t]*$", "no"),
                s(r"(?m)-?\d+(?:\.\d+)?[ \t]*$", "m"),
                s(r"[|>][-+]?\d*", "pi"),
                s(r"&\w+|\*\w+", "nv"),
                s(r"!\S+", "kt"),
                s(r".+", "s"),
            ],
        ),
        (
            "double_quoted",
            vec![
                // Rouge writes the blanks of a double-quoted scalar as variables.
                s(r#"[^"\s\\]+|\\."#, "s"),
                s(r"[ \t]+", "nv"),
                s(r"\n", ""),
                pop(r#"""#, "s"),
            ],
        ),
        (
            "flow",
            vec![
                pop(r"[}\]]", "pi"),
                s(r"\s+", ""),
                s(r"[,:]", "pi"),
                s(r#""[^"]*"|'[^']*'"#, "s"),
                s(r"[^\s,:{}\[\]]+", "nv"),
            ],
        ),
    ])
}

fn json() -> Lexer {
    Lexer::new(vec![(
        "root",
        vec![
            s(r"\s+", "w"),
            g(r#"("(?:\\.|[^"\\])*")(\s*)(:)"#, &["nl", "w", "p"]),
            s(r#""(?:\\.|[^"\\])*""#, "s2"),
            s(r"-?\d+\.\d+(?:[eE][+-]?\d+)?", "mf"),
            s(r"-?\d+", "mi"),
            s(r"\b(?:true|false|null)\b", "kc"),
            s(r"[{}\[\],:]", "p"),
            s(r".", "err"),
        ],
    )])
}

/// Rouge's shell builtins (bash builtins and coreutils), with the blanks after them when a
/// word follows, as Rouge's pattern takes them.
const SHELL_BUILTINS: &str = r"\b(?:alias|bg|bind|break|builtin|caller|cd|command|compgen|complete|declare|dirs|disown|echo|enable|eval|exec|exit|export|false|fc|fg|getopts|hash|help|history|jobs|kill|let|local|logout|popd|printf|pushd|pwd|read|readonly|set|shift|shopt|source|suspend|test|time|times|trap|true|type|typeset|ulimit|umask|unalias|unset|wait|cat|tac|nl|od|base32|base64|fmt|pr|fold|head|tail|split|csplit|wc|sum|cksum|md5sum|sha1sum|sha224sum|sha256sum|sha384sum|sha512sum|sort|shuf|uniq|comm|ptx|tsort|cut|paste|join|tr|expand|unexpand|ls|dir|vdir|dircolors|cp|dd|install|mv|rm|shred|link|ln|mkdir|mkfifo|mknod|readlink|rmdir|unlink|chown|chgrp|chmod|touch|df|du|stat|sync|truncate|yes|tee|basename|dirname|pathchk|mktemp|realpath|stty|printenv|tty|id|logname|whoami|groups|users|who|date|arch|nice|nohup|sleep|su|sudo|timeout|env|chroot|uname|hostname|hostid|nproc|uptime)(?:[ \t]+\b|\b)";

fn shell_rules() -> Vec<RuleSpec> {
    vec![
        s(r"#.*", "c"),
        s(r"\\\n", ""),
        s(
            r"\b(?:if|then|else|elif|fi|for|in|do|done|while|until|case|esac|function|select|return)(?:[ \t]+\b|[ \t]*\n[ \t]*|\b)",
            "k",
        ),
        s(SHELL_BUILTINS, "nb"),
        s(r"[ \t]+", ""),
        s(r"\n", ""),
        push(r#"""#, "s2", "dq"),
        s(r"'[^']*'", "s1"),
        s(r"\$\{[^}]*\}|\$\(|\$[a-zA-Z_]\w*|\$[^\n]", "nv"),
        g(r"([a-zA-Z_]\w*)(=)", &["nv", "o"]),
        s(r"\B-{1,2}[a-zA-Z][\w-]*", "nt"),
        s(r"&&|\|\||[|&<>]+", "o"),
        s(r";", "p"),
        s(r"[\[\]{}()=]", "o"),
        s(r"\d+\b", "m"),
        s(r"[^\s$#'\x22|&;<>()\[\]{}=\\]+", ""),
        s(r".", ""),
    ]
}

fn shell() -> Lexer {
    Lexer::new(vec![
        ("root", shell_rules()),
        (
            "dq",
            vec![
                s(r#"[^"\\$]+"#, "s2"),
                s(r"\\.", "se"),
                s(r"\$\{[^}]*\}|\$[a-zA-Z_]\w*", "nv"),
                s(r"\$", "s2"),
                pop(r#"""#, "s2"),
            ],
        ),
    ])
}

fn diff() -> Lexer {
    Lexer::new(vec![(
        "root",
        vec![
            s(r"(?m)^(?:\+.*\n?)+", "gi"),
            s(r"(?m)^(?:-.*\n?)+", "gd"),
            s(r"(?m)^@@.*", "p"),
            s(r"(?m)^(?:diff|index|Index:).*", "gh"),
            s(r"(?m)^ .*\n?", ""),
            s(r"(?m)^.*\n?", "p"),
        ],
    )])
}

fn liquid() -> Lexer {
    Lexer::new(vec![
        (
            "root",
            vec![
                RuleSpec {
                    pattern: r"(\{%-?)(\s*)(raw)(\s*)(-?%\})",
                    classes: vec!["p", "w", "nt", "w", "p"],
                    next: Next::Push("raw"),
                    after_operator: false,
                    keywords: Vec::new(),
                },
                push(r"\{%-?", "p", "tag_name"),
                push(r"\{\{-?", "p", "output"),
                s(r"[^{]+", ""),
                s(r"\{", ""),
            ],
        ),
        (
            "raw",
            vec![
                RuleSpec {
                    pattern: r"(\{%-?)(\s*)(endraw)(\s*)(-?%\})",
                    classes: vec!["p", "w", "nt", "w", "p"],
                    next: Next::Pop,
                    after_operator: false,
                    keywords: Vec::new(),
                },
                s(r"[^{]+", ""),
                s(r"\{", ""),
            ],
        ),
        (
            "tag_name",
            vec![
                s(r"\s+", "w"),
                RuleSpec {
                    pattern: r"[a-zA-Z_]\w*",
                    classes: vec!["nt"],
                    next: Next::Replace("output"),
                    after_operator: false,
                    keywords: Vec::new(),
                },
            ],
        ),
        (
            "output",
            vec![
                pop(r"-?%\}|-?\}\}", "p"),
                s(r"\s+", "w"),
                s(r#""[^"]*""#, "s2"),
                s(r"'[^']*'", "s1"),
                s(r"\d+(?:\.\d+)?", "m"),
                s(r"\b(?:and|or|contains|in|with|for|reversed)\b", "ow"),
                g(r"(\|)(\s*)([a-zA-Z_]\w*)", &["p", "w", "nf"]),
                s(r"[a-zA-Z_][\w-]*", "nv"),
                s(r"==|!=|<=|>=|[<>=]", "o"),
                s(r"[.,:\[\]()|]", "p"),
                s(r".", ""),
            ],
        ),
    ])
}

fn markdown() -> Lexer {
    Lexer::new(vec![
        (
            "root",
            vec![
                s(r"(?m)^#(?:[^#\n][^\n]*)?$", "gh"),
                s(r"(?m)^#{2,6}[^\n]*", "gu"),
                s(r"(?m)^```[^\n]*\n[\s\S]*?^```", "sb"),
                s(r"`[^`\n]+`", "sb"),
                s(r"\*\*[^*\n]+\*\*|__[^_\n]+__", "gs"),
                s(r"\*[^*\s][^*\n]*\*", "ge"),
                g(
                    r#"(!?\[)([^\]\n]*)(\]\()([^)\s]*)(\s+)?("[^"\n]*")?(\))"#,
                    &["p", "nv", "p", "sx", "", "nn", "p"],
                ),
                g(r"(?m)^([ \t]*)([-*+]|\d+\.)([ \t])", &["", "p", ""]),
                s(r"(?m)^>.*", "gt"),
                s(r"&[a-zA-Z0-9#]+;", "ni"),
                push(r"</?[a-zA-Z][\w:-]*", "nt", "tag"),
                s(r"[^#`*_!\[\n>&<]+", ""),
                s(r"[\s\S]", ""),
            ],
        ),
        ("tag", html_tag_rules()),
    ])
}

/// Builds a language's lexer.
pub type LexerBuilder = fn() -> Lexer;

/// The lexer for a language name as written after a code fence, if Byline has one.
pub fn lexer_for(language: &str) -> Option<(&'static str, LexerBuilder)> {
    let entry: (&'static str, LexerBuilder) = match language {
        "ruby" | "rb" | "irb" => ("ruby", ruby),
        "python" | "py" | "python3" | "py3" => ("python", python),
        "javascript" | "js" | "jsx" | "typescript" | "ts" => ("javascript", javascript),
        "html" | "xml" | "xhtml" | "svg" => ("html", html),
        "css" => ("css", css),
        "scss" => ("scss", scss),
        "sass" => ("sass", sass),
        "yaml" | "yml" => ("yaml", yaml),
        "json" => ("json", json),
        "shell" | "sh" | "bash" | "zsh" | "ksh" => ("shell", shell),
        "diff" | "patch" | "udiff" => ("diff", diff),
        "liquid" => ("liquid", liquid),
        "markdown" | "md" | "mkd" => ("markdown", markdown),
        _ => return None,
    };
    Some(entry)
}

/// The number of rules each state of a language's table has, for the test that every
/// pattern compiles.
#[cfg(test)]
pub fn rule_spec_counts(language: &str) -> Vec<usize> {
    let specs: Vec<usize> = match lexer_for(language).map(|(name, _)| name) {
        Some("ruby") => vec![ruby_code().len(), 5, ruby_code().len() + 1],
        Some("python") => vec![17],
        Some("javascript") => vec![19, 5, 5],
        Some("html") => vec![7, 6],
        Some("css") | Some("scss") => vec![css_common("m", "nf", "s").len()],
        Some("sass") => vec![css_common("m", "nf", "s").len() + 2],
        Some("yaml") => vec![17, 4, 5],
        Some("json") => vec![8],
        Some("shell") => vec![shell_rules().len(), 5],
        Some("diff") => vec![6],
        Some("liquid") => vec![5, 3, 2, 11],
        Some("markdown") => vec![13, 6],
        _ => Vec::new(),
    };
    specs
}
