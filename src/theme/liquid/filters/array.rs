//! Array filters as Jekyll 4.3 defines them: `where`, `where_exp`, `find`, `find_exp`,
//! `group_by`, `group_by_exp`, `sort` (by a property, nils first or last), `sample`, `push`,
//! `pop`, `shift`, `unshift`, `array_to_sentence_string`.

use super::FilterCall;
use super::ruby::{ruby_to_s, ruby_truthy, value_at};
use super::text::to_integer_value;
use liquid_core::model::{KString, KStringCow, KStringRef, Object, ScalarCow, ValueCow};
use liquid_core::runtime::{PartialStore, Registers, Renderable};
use liquid_core::{Error, Result, Runtime, Value, ValueView};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The items a filter walks: an array's items, a hash's values; `None` for anything else
/// (which Jekyll's filters return unchanged).
fn items_of(input: &dyn ValueView) -> Option<Vec<Value>> {
    if input.is_nil() {
        return None;
    }
    if let Some(array) = input.as_array() {
        return Some(array.values().map(|v| v.to_value()).collect());
    }
    if let Some(object) = input.as_object() {
        return Some(object.values().map(|v| v.to_value()).collect());
    }
    None
}

/// Jekyll's `compare_property_vs_target`.
fn property_matches(property: &Value, target: &dyn ValueView) -> bool {
    if target.is_nil() {
        return property.is_nil();
    }
    if target.is_state() {
        // `empty` or `blank`: an empty text, or anything whose items join to nothing (nil too).
        return match property.as_array() {
            Some(array) => array.values().all(|item| ruby_to_s(item).is_empty()),
            None => ruby_to_s(property).is_empty(),
        };
    }
    let target = ruby_to_s(target);
    if property.type_name() == "string" {
        return ruby_to_s(property) == target;
    }
    if let Some(array) = property.as_array() {
        return array.values().any(|item| ruby_to_s(item) == target);
    }
    !property.is_nil() && ruby_to_s(property) == target
}

fn where_args_usable(call: &FilterCall<'_>) -> bool {
    let property = call.arg(0);
    let value = call.arg(1);
    ruby_truthy(property) && value.as_array().is_none() && value.as_object().is_none()
}

/// `{{ posts | where: "category", "news" }}`.
pub(crate) fn where_filter(call: &FilterCall<'_>) -> Result<Value> {
    if !where_args_usable(call) {
        return Ok(call.input.to_value());
    }
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let property = ruby_to_s(call.arg(0));
    let kept = items
        .into_iter()
        .filter(|item| property_matches(&value_at(item, &property), call.arg(1)));
    Ok(Value::array(kept))
}

/// `{{ posts | find: "slug", "welcome" }}`.
pub(crate) fn find(call: &FilterCall<'_>) -> Result<Value> {
    if !where_args_usable(call) {
        return Ok(call.input.to_value());
    }
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let property = ruby_to_s(call.arg(0));
    Ok(items
        .into_iter()
        .find(|item| property_matches(&value_at(item, &property), call.arg(1)))
        .unwrap_or(Value::Nil))
}

fn grouped(groups: Vec<(Value, Vec<Value>)>) -> Value {
    let groups = groups.into_iter().map(|(name, items)| {
        let mut group = Object::new();
        let size = items.len() as i64;
        group.insert("name".into(), name);
        group.insert("items".into(), Value::array(items));
        group.insert("size".into(), Value::scalar(size));
        Value::Object(group)
    });
    Value::array(groups)
}

fn add_to_group(groups: &mut Vec<(Value, Vec<Value>)>, key: Value, item: Value) {
    match groups.iter_mut().find(|(name, _)| *name == key) {
        Some((_, items)) => items.push(item),
        None => groups.push((key, vec![item])),
    }
}

/// `{{ posts | group_by: "category" }}`: `[{name, items, size}]` in order of first appearance.
pub(crate) fn group_by(call: &FilterCall<'_>) -> Result<Value> {
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let property = ruby_to_s(call.arg(0));
    let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
    for item in items {
        let key = Value::scalar(ruby_to_s(&value_at(&item, &property)));
        add_to_group(&mut groups, key, item);
    }
    Ok(grouped(groups))
}

/// Ruby's `<=>` for the values sorting meets: numbers with numbers, text with text, times with
/// times; `None` for anything else.
fn ruby_compare(a: &dyn ValueView, b: &dyn ValueView) -> Option<Ordering> {
    if a.is_nil() && b.is_nil() {
        return Some(Ordering::Equal);
    }
    let numeric = |v: &dyn ValueView| {
        matches!(v.type_name(), "whole number" | "fractional number")
            .then(|| v.as_scalar().and_then(|s| s.to_float()))
            .flatten()
    };
    if let (Some(x), Some(y)) = (numeric(a), numeric(b)) {
        return x.partial_cmp(&y);
    }
    match (a.type_name(), b.type_name()) {
        ("string", "string") => Some(a.to_kstr().as_bytes().cmp(b.to_kstr().as_bytes())),
        ("date time", "date time") => {
            let x = a.as_scalar().and_then(|s| s.to_date_time())?;
            let y = b.as_scalar().and_then(|s| s.to_date_time())?;
            Some(x.cmp(&y))
        }
        ("boolean", "boolean") if a.to_kstr() == b.to_kstr() => Some(Ordering::Equal),
        _ => None,
    }
}

/// `{{ items | sort }}`, `… | sort: "title"`, `… | sort: "date", "last"`.
pub(crate) fn sort(call: &FilterCall<'_>) -> Result<Value> {
    if call.input.is_nil() {
        return Err(Error::with_msg("Cannot sort a null object."));
    }
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    if call.arg(0).is_nil() {
        let mut failure = None;
        let mut sorted = items;
        sorted.sort_by(|a, b| {
            ruby_compare(a, b).unwrap_or_else(|| {
                failure = Some(format!(
                    "comparison of {} with {} failed",
                    a.type_name(),
                    b.type_name()
                ));
                Ordering::Equal
            })
        });
        if let Some(message) = failure {
            return Err(Error::with_msg(message));
        }
        return Ok(Value::array(sorted));
    }
    let order = match call.args.get(1).map(|v| ruby_to_s(v)).as_deref() {
        None | Some("first") => -1,
        Some("last") => 1,
        Some(other) => {
            return Err(Error::with_msg(format!(
                "Invalid nils order: '{other}' is not a valid nils order. It must be 'first' or 'last'."
            )));
        }
    };
    let property = ruby_to_s(call.arg(0));
    let mut keyed: Vec<(Value, Value)> = items
        .into_iter()
        .map(|item| (value_at(&item, &property), item))
        .collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let ordering = match (a.is_nil(), b.is_nil()) {
            (false, true) => -order,
            (true, false) => order,
            _ => {
                return ruby_compare(a, b)
                    .unwrap_or_else(|| ruby_to_s(a).as_bytes().cmp(ruby_to_s(b).as_bytes()));
            }
        };
        ordering.cmp(&0)
    });
    Ok(Value::array(keyed.into_iter().map(|(_, item)| item)))
}

fn random_below(bound: usize) -> usize {
    use std::hash::{BuildHasher, Hasher};
    if bound == 0 {
        return 0;
    }
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_usize(bound);
    (hasher.finish() % bound as u64) as usize
}

/// `{{ posts | sample }}` (one item), `… | sample: 3` (an array of three).
pub(crate) fn sample(call: &FilterCall<'_>) -> Result<Value> {
    let Some(array) = call.input.as_array() else {
        return Ok(call.input.to_value());
    };
    let mut items: Vec<Value> = array.values().map(|v| v.to_value()).collect();
    let count = if call.args.is_empty() {
        1
    } else {
        to_integer_value(call.arg(0))
    };
    if count == 1 {
        if items.is_empty() {
            return Ok(Value::Nil);
        }
        let index = random_below(items.len());
        return Ok(items.swap_remove(index));
    }
    let count = usize::try_from(count.max(0)).unwrap_or(0).min(items.len());
    let mut chosen = Vec::with_capacity(count);
    for _ in 0..count {
        let index = random_below(items.len());
        chosen.push(items.swap_remove(index));
    }
    Ok(Value::array(chosen))
}

fn array_or_input(call: &FilterCall<'_>) -> std::result::Result<Vec<Value>, Value> {
    match call.input.as_array() {
        Some(array) => Ok(array.values().map(|v| v.to_value()).collect()),
        None => Err(call.input.to_value()),
    }
}

fn count_arg(call: &FilterCall<'_>) -> usize {
    if call.args.is_empty() {
        return 1;
    }
    usize::try_from(to_integer_value(call.arg(0)).max(0)).unwrap_or(0)
}

/// `{{ list | push: item }}`.
pub(crate) fn push(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match array_or_input(call) {
        Ok(mut items) => {
            items.push(call.arg(0).to_value());
            Value::array(items)
        }
        Err(input) => input,
    })
}

/// `{{ list | unshift: item }}`.
pub(crate) fn unshift(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match array_or_input(call) {
        Ok(mut items) => {
            items.insert(0, call.arg(0).to_value());
            Value::array(items)
        }
        Err(input) => input,
    })
}

/// `{{ list | pop }}`, `… | pop: 2`.
pub(crate) fn pop(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match array_or_input(call) {
        Ok(mut items) => {
            let keep = items.len().saturating_sub(count_arg(call));
            items.truncate(keep);
            Value::array(items)
        }
        Err(input) => input,
    })
}

/// `{{ list | shift }}`, `… | shift: 2`.
pub(crate) fn shift(call: &FilterCall<'_>) -> Result<Value> {
    Ok(match array_or_input(call) {
        Ok(items) => {
            let skip = count_arg(call);
            Value::array(items.into_iter().skip(skip))
        }
        Err(input) => input,
    })
}

/// `{{ tags | array_to_sentence_string }}`: `a`, `a and b`, `a, b, and c`.
pub(crate) fn array_to_sentence_string(call: &FilterCall<'_>) -> Result<Value> {
    let words: Vec<String> = match call.input.as_array() {
        Some(array) => array.values().map(ruby_to_s).collect(),
        None if call.input.is_nil() => Vec::new(),
        None => vec![ruby_to_s(call.input)],
    };
    let connector = if call.args.is_empty() {
        "and".to_string()
    } else {
        ruby_to_s(call.arg(0))
    };
    let sentence = match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} {connector} {second}"),
        [init @ .., last] => format!("{}, {connector} {last}", init.join(", ")),
    };
    Ok(Value::scalar(sentence))
}

/// A runtime layer for one item of a `*_exp` filter: the item under its variable name, and
/// the `assign` the expression's evaluation makes kept here instead of in the page.
struct ExpressionFrame<'a> {
    parent: &'a dyn Runtime,
    locals: RefCell<Object>,
}

const RESULT_VARIABLE: &str = "byline_expression_result";

impl Runtime for ExpressionFrame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        for key in self.locals.borrow().keys() {
            roots.insert(KStringCow::from(key.to_string()));
        }
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        let first = path.first()?.to_kstr();
        let locals = self.locals.borrow();
        if let Some(value) = locals.get(first.as_str()) {
            let rest = path.get(1..).unwrap_or(&[]);
            let found = liquid_core::model::try_find(value, rest)?;
            return Some(ValueCow::Owned(found.into_owned()));
        }
        drop(locals);
        self.parent.try_get(path)
    }

    /// Lenient like Jekyll's Liquid: an undefined variable or property is nil.
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        Ok(self.try_get(path).unwrap_or(ValueCow::Owned(Value::Nil)))
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.locals.borrow_mut().insert(name, val)
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

/// An expression of a `*_exp` filter, parsed once for all items.
struct ParsedExpression {
    template: liquid_core::Template,
    variable: String,
}

impl ParsedExpression {
    /// `source` wrapped so that rendering it leaves its value in [`RESULT_VARIABLE`]
    /// (`as_condition`: true or false, like `if`; else the expression's value).
    fn parse(call: &FilterCall<'_>, as_condition: bool) -> Result<ParsedExpression> {
        let Some(language) = &call.shared.expressions else {
            return Err(Error::with_msg("expression filters cannot be nested"));
        };
        let variable = ruby_to_s(call.arg(0));
        let expression = ruby_to_s(call.arg(1));
        let source = if as_condition {
            format!(
                "{{% if {expression} %}}{{% assign {RESULT_VARIABLE} = true %}}{{% else %}}{{% assign {RESULT_VARIABLE} = false %}}{{% endif %}}"
            )
        } else {
            format!("{{% assign {RESULT_VARIABLE} = {expression} %}}")
        };
        let elements = liquid_core::parser::parse(&source, language)?;
        Ok(ParsedExpression {
            template: liquid_core::Template::new(elements),
            variable,
        })
    }

    /// The expression's value with `item` under the variable's name.
    fn evaluate(&self, runtime: &dyn Runtime, item: &Value) -> Result<Value> {
        let mut locals = Object::new();
        locals.insert(self.variable.clone().into(), item.clone());
        let frame = ExpressionFrame {
            parent: runtime,
            locals: RefCell::new(locals),
        };
        let mut sink = Vec::new();
        self.template.render_to(&mut sink, &frame)?;
        let result = frame
            .locals
            .borrow()
            .get(RESULT_VARIABLE)
            .map(|v| v.to_value())
            .unwrap_or(Value::Nil);
        Ok(result)
    }
}

impl ParsedExpression {
    /// Whether the condition holds for `item`. A condition liquid cannot evaluate for an item
    /// (`nil contains "x"`, which Ruby's Liquid calls false) does not hold.
    fn holds(&self, runtime: &dyn Runtime, item: &Value) -> bool {
        self.evaluate(runtime, item)
            .is_ok_and(|value| ruby_truthy(&value))
    }
}

/// `{{ posts | where_exp: "post", "post.year > 2015" }}`.
pub(crate) fn where_exp(call: &FilterCall<'_>) -> Result<Value> {
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let expression = ParsedExpression::parse(call, true)?;
    let kept = items
        .into_iter()
        .filter(|item| expression.holds(call.runtime, item));
    Ok(Value::array(kept))
}

/// `{{ posts | find_exp: "post", "post.title contains 'Jekyll'" }}`.
pub(crate) fn find_exp(call: &FilterCall<'_>) -> Result<Value> {
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let expression = ParsedExpression::parse(call, true)?;
    Ok(items
        .into_iter()
        .find(|item| expression.holds(call.runtime, item))
        .unwrap_or(Value::Nil))
}

/// `{{ posts | group_by_exp: "post", "post.date | date: '%Y'" }}`.
pub(crate) fn group_by_exp(call: &FilterCall<'_>) -> Result<Value> {
    let Some(items) = items_of(call.input) else {
        return Ok(call.input.to_value());
    };
    let expression = ParsedExpression::parse(call, false)?;
    let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
    for item in items {
        let key = expression.evaluate(call.runtime, &item)?;
        add_to_group(&mut groups, key, item);
    }
    Ok(grouped(groups))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render, render_with};

    fn globals() -> liquid::Object {
        let site = liquid::model::object!({
            "posts": [
                {"title": "B", "n": "10", "cat": "news", "tags": ["a", "b"], "year": 2016},
                {"title": "a", "n": "9", "cat": "misc", "tags": ["b"], "year": 2015},
                {"title": "C", "cat": "news", "tags": [], "year": 2016},
                {"title": "d", "n": "05", "cat": nil, "year": "2016"},
            ],
            "words": ["b", "B", "a", "10", "9"],
            "nums": [10, 9, 2.5],
            "mixed": [1, "a"],
        });
        liquid::model::object!({ "site": site })
    }

    fn titles(items: &str) -> String {
        format!("{{% for p in {items} %}}{{{{ p.title }}}}{{% endfor %}}")
    }

    /// Jekyll 4.3.1's output for the same data (`_config.yml` values).
    #[test]
    fn array_filters_match_jekyll() {
        let globals = globals();
        let cases = [
            (
                "{% assign x = site.posts | where: \"cat\", \"news\" %}".to_string() + &titles("x"),
                "BC",
            ),
            (
                "{% assign x = site.posts | where: \"tags\", \"b\" %}".to_string() + &titles("x"),
                "Ba",
            ),
            (
                "{% assign x = site.posts | where: \"n\", 5 %}".to_string() + &titles("x"),
                "d",
            ),
            (
                "{% assign x = site.posts | where: \"year\", \"2016\" %}".to_string() + &titles("x"),
                "BCd",
            ),
            (
                "{% assign x = site.posts | where: \"cat\", nil %}".to_string() + &titles("x"),
                "d",
            ),
            (
                "{% assign f = site.posts | find: \"cat\", \"misc\" %}{{ f.title }}".to_string(),
                "a",
            ),
            (
                "{% assign x = site.posts | sort: \"n\" %}".to_string() + &titles("x"),
                "CdaB",
            ),
            (
                "{% assign x = site.posts | sort: \"n\", \"last\" %}".to_string() + &titles("x"),
                "daBC",
            ),
            (
                "{% assign x = site.posts | sort: \"title\" %}".to_string() + &titles("x"),
                "BCad",
            ),
            ("{{ site.words | sort | join: \",\" }}".to_string(), "10,9,B,a,b"),
            ("{{ site.nums | sort | join: \",\" }}".to_string(), "2.5,9,10"),
            (
                "{% assign g = site.posts | group_by: \"cat\" %}{% for x in g %}[{{ x.name }}:{{ x.size }}]{% endfor %}".to_string(),
                "[news:2][misc:1][:1]",
            ),
            (
                "{% assign g = site.posts | group_by: \"n\" %}{% for x in g %}[{{ x.name }}]{% endfor %}".to_string(),
                "[10][9][][5]",
            ),
            (
                "{% assign x = site.posts | where_exp: \"p\", \"p.year == 2016\" %}".to_string() + &titles("x"),
                "BC",
            ),
            (
                "{% assign x = site.posts | where_exp: \"p\", \"p.tags contains 'b' and p.cat == 'news'\" %}".to_string() + &titles("x"),
                "B",
            ),
            (
                "{% assign f = site.posts | find_exp: \"p\", \"p.year < 2016\" %}{{ f.title }}".to_string(),
                "a",
            ),
            (
                "{% assign g = site.posts | group_by_exp: \"p\", \"p.title | downcase\" %}{% for x in g %}[{{ x.name }}:{{ x.size }}]{% endfor %}".to_string(),
                "[b:1][a:1][c:1][d:1]",
            ),
            ("{{ site.words | push: \"z\" | join: \",\" }}".to_string(), "b,B,a,10,9,z"),
            ("{{ site.words | pop | join: \",\" }}".to_string(), "b,B,a,10"),
            ("{{ site.words | pop: 2 | join: \",\" }}".to_string(), "b,B,a"),
            ("{{ site.words | shift: 2 | join: \",\" }}".to_string(), "a,10,9"),
            ("{{ site.words | unshift: \"z\" | join: \",\" }}".to_string(), "z,b,B,a,10,9"),
            ("{{ site.words | array_to_sentence_string }}".to_string(), "b, B, a, 10, and 9"),
            ("{{ site.posts[0].tags | array_to_sentence_string: \"or\" }}".to_string(), "a or b"),
            ("{{ site.words | sample: 5 | size }}".to_string(), "5"),
            (
                "{% assign x = site.posts | where: \"tags\", empty %}".to_string() + &titles("x"),
                "Cd",
            ),
            (
                "{% assign x = site.posts | where: \"n\", blank %}".to_string() + &titles("x"),
                "C",
            ),
            (
                "{% assign x = site.posts | where: \"cat\", \"\" %}".to_string() + &titles("x"),
                "",
            ),
            (
                "{% assign g = site.posts | group_by: \"tags\" %}{% for x in g %}[{{ x.name }}]{% endfor %}".to_string(),
                "[[\"a\", \"b\"]][[\"b\"]][[]][]",
            ),
            ("{{ site.posts | map: \"title\" | jsonify }}".to_string(), "[\"B\",\"a\",\"C\",\"d\"]"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(&template, &globals), expected, "{template}");
        }
        assert!(render_with("{{ site.mixed | sort }}", &globals).is_err());
        assert!(render_with("{{ site.nothing | sort }}", &globals).is_err());
    }

    /// The archive pattern themes use: posts grouped by year, sorted by date.
    #[test]
    fn posts_with_dates_group_by_year_and_sort_by_date() {
        let date = |text: &str| {
            liquid::model::Value::scalar(liquid::model::DateTime::from_str(text).unwrap())
        };
        let mut posts = Vec::new();
        for (title, when) in [
            ("b", "2016-05-20 00:00:00 +0000"),
            ("a", "2015-01-02 00:00:00 +0000"),
            ("c", "2016-01-01 00:00:00 +0000"),
        ] {
            let mut post = liquid::Object::new();
            post.insert("title".into(), liquid::model::Value::scalar(title));
            post.insert("date".into(), date(when));
            posts.push(liquid::model::Value::Object(post));
        }
        let mut site = liquid::Object::new();
        site.insert("posts".into(), liquid::model::Value::array(posts));
        let globals = liquid::object!({ "site": site });
        let grouped = render(
            "{% assign g = site.posts | group_by_exp: \"p\", \"p.date | date: '%Y'\" %}{% for y in g %}[{{ y.name }}:{% for p in y.items %}{{ p.title }}{% endfor %}]{% endfor %}",
            &globals,
        );
        assert_eq!(grouped, "[2016:bc][2015:a]");
        let sorted = render(
            "{% assign s = site.posts | sort: \"date\" %}{% for p in s %}{{ p.title }}{% endfor %}",
            &globals,
        );
        assert_eq!(sorted, "acb");
    }
}
