//! `{% if %}` / `{% elsif %}` / `{% else %}` and `{% unless %}` as Ruby's Liquid evaluates them,
//! replacing the `liquid` crate's where they differ (checked with `jekyll build`, see the
//! `conditions` probe of tests/integration/theme_liquid.rs):
//!
//! - `and` / `or` group from the right without precedence: `false and false or true` is
//!   `false and (false or true)`, false;
//! - `x == empty` is true only for an empty string, array or object (`nil == empty` is false);
//!   `x == blank` is always false (Jekyll has no `blank?`);
//! - `nil` equals only `nil`; a boolean equals only the same boolean;
//! - `<`, `>`, `<=`, `>=` with `nil` (or arrays, objects) are false; a string against a number
//!   stops the rendering ("comparison of String with 1 failed");
//! - `contains`: a substring of a string, an item of an array, a key of an object;
//! - `case`: every matching `when` renders, and an `else` when nothing before it matched.

use super::blank::{Body, record_block_blank};
use liquid_core::model::{State, ValueView};
use liquid_core::parser::{BlockElement, TagBlock, TagToken, TagTokenIter};
use liquid_core::runtime::Template;
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
};
use std::cmp::Ordering;
use std::io::Write;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    Contains,
}

/// One comparison (or a lone value, tested for truth).
#[derive(Debug)]
struct Comparison {
    left: Expression,
    compared: Option<(Operator, Expression)>,
}

/// How a comparison joins the rest of the condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joint {
    And,
    Or,
}

/// A whole condition: comparisons joined by `and` / `or`, grouped from the right.
#[derive(Debug)]
struct Condition {
    first: Comparison,
    rest: Vec<(Joint, Comparison)>,
}

/// The operator a token stands for, if any.
fn operator_of(token: &TagToken<'_>) -> Option<Operator> {
    Some(match token.as_str() {
        "==" => Operator::Equal,
        "!=" | "<>" => Operator::NotEqual,
        "<" => Operator::Less,
        ">" => Operator::Greater,
        "<=" => Operator::LessOrEqual,
        ">=" => Operator::GreaterOrEqual,
        "contains" => Operator::Contains,
        _ => return None,
    })
}

/// Parses a comparison starting at `arguments`' next token; returns it and the token after it
/// (`and` / `or`), if any.
fn parse_comparison<'a>(
    arguments: &mut TagTokenIter<'a>,
) -> Result<(Comparison, Option<TagToken<'a>>)> {
    let left = arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()?;
    let Some(next) = arguments.next() else {
        return Ok((
            Comparison {
                left,
                compared: None,
            },
            None,
        ));
    };
    let Some(operator) = operator_of(&next) else {
        return Ok((
            Comparison {
                left,
                compared: None,
            },
            Some(next),
        ));
    };
    let right = arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()?;
    Ok((
        Comparison {
            left,
            compared: Some((operator, right)),
        },
        arguments.next(),
    ))
}

/// Parses a whole condition (the rest of the tag's tokens).
fn parse_condition(arguments: &mut TagTokenIter<'_>) -> Result<Condition> {
    let (first, mut joint_token) = parse_comparison(arguments)?;
    let mut rest = Vec::new();
    while let Some(token) = joint_token {
        let joint = match token.as_str() {
            "and" => Joint::And,
            "or" => Joint::Or,
            _ => {
                return Err(token.raise_custom_error(
                    "Expected a comparison operator (==, !=, <, >, <=, >=, contains), \"and\" \
                     or \"or\".",
                ));
            }
        };
        let (comparison, next) = parse_comparison(arguments)?;
        rest.push((joint, comparison));
        joint_token = next;
    }
    Ok(Condition { first, rest })
}

/// Ruby's truth: everything but `nil` and `false`.
fn truthy(value: &dyn ValueView) -> bool {
    value.query_state(State::Truthy)
}

/// `value.empty?` in Ruby, `None` when the value has no `empty?` (nil, numbers, booleans).
fn ruby_empty(value: &dyn ValueView) -> Option<bool> {
    if value.is_nil() {
        return None;
    }
    if let Some(array) = value.as_array() {
        return Some(array.size() == 0);
    }
    if let Some(object) = value.as_object() {
        return Some(object.size() == 0);
    }
    (value.type_name() == "string").then(|| value.to_kstr().as_str().is_empty())
}

/// Whether `value` is a number.
fn is_number(value: &dyn ValueView) -> bool {
    matches!(value.type_name(), "whole number" | "fractional number")
}

/// Ruby's `==` between two values (with Liquid's `empty` and `blank`).
fn ruby_equal(left: &dyn ValueView, right: &dyn ValueView) -> bool {
    match (left.as_state(), right.as_state()) {
        (Some(State::Empty), _) => return ruby_empty(right).unwrap_or(false),
        (_, Some(State::Empty)) => return ruby_empty(left).unwrap_or(false),
        (Some(State::Blank), _) | (_, Some(State::Blank)) => return false,
        _ => {}
    }
    if left.is_nil() || right.is_nil() {
        return left.is_nil() && right.is_nil();
    }
    if let (Some(left), Some(right)) = (left.as_array(), right.as_array()) {
        return left.size() == right.size()
            && left
                .values()
                .zip(right.values())
                .all(|(left, right)| ruby_equal(left, right));
    }
    if let (Some(left), Some(right)) = (left.as_object(), right.as_object()) {
        return left.size() == right.size()
            && left.iter().all(|(key, value)| {
                right
                    .get(key.as_str())
                    .is_some_and(|other| ruby_equal(value, other))
            });
    }
    match (left.as_scalar(), right.as_scalar()) {
        (Some(left_scalar), Some(right_scalar)) => {
            let left_bool = left.type_name() == "boolean";
            let right_bool = right.type_name() == "boolean";
            if left_bool != right_bool {
                return false;
            }
            left_scalar == right_scalar
        }
        _ => false,
    }
}

/// Ruby's ordering between two values: `Ok(None)` when one side cannot be ordered (then the
/// comparison is false), an error for a string against a number.
fn ruby_order(left: &dyn ValueView, right: &dyn ValueView) -> Result<Option<Ordering>> {
    let (Some(left_scalar), Some(right_scalar)) = (left.as_scalar(), right.as_scalar()) else {
        return Ok(None);
    };
    if left.is_nil() || right.is_nil() {
        return Ok(None);
    }
    match left_scalar.partial_cmp(&right_scalar) {
        Some(ordering) => Ok(Some(ordering)),
        None if is_number(left) != is_number(right)
            && (left.type_name() == "string" || right.type_name() == "string") =>
        {
            Err(Error::with_msg(format!(
                "comparison of {} with {} failed",
                ruby_class(left),
                right.source()
            )))
        }
        None => Ok(None),
    }
}

/// The Ruby class name of a scalar, for error messages.
fn ruby_class(value: &dyn ValueView) -> &'static str {
    match value.type_name() {
        "string" => "String",
        "whole number" => "Integer",
        "fractional number" => "Float",
        "boolean" => "TrueClass",
        _ => "Object",
    }
}

/// Ruby's `include?` for `contains`.
fn ruby_contains(left: &dyn ValueView, right: &dyn ValueView) -> bool {
    if left.is_nil() || right.is_nil() {
        return false;
    }
    if let Some(array) = left.as_array() {
        return array.values().any(|item| ruby_equal(item, right));
    }
    if let Some(object) = left.as_object() {
        return object.contains_key(right.to_kstr().as_str());
    }
    if left.type_name() == "string" {
        return left.to_kstr().as_str().contains(right.to_kstr().as_str());
    }
    false
}

impl Comparison {
    fn evaluate(&self, runtime: &dyn Runtime) -> Result<bool> {
        let left = self.left.evaluate(runtime)?;
        let Some((operator, right)) = &self.compared else {
            return Ok(left.as_state().is_some() || truthy(left.as_view()));
        };
        let right = right.evaluate(runtime)?;
        let (left, right) = (left.as_view(), right.as_view());
        Ok(match operator {
            Operator::Equal => ruby_equal(left, right),
            Operator::NotEqual => !ruby_equal(left, right),
            Operator::Contains => ruby_contains(left, right),
            Operator::Less => ruby_order(left, right)? == Some(Ordering::Less),
            Operator::Greater => ruby_order(left, right)? == Some(Ordering::Greater),
            Operator::LessOrEqual => {
                matches!(
                    ruby_order(left, right)?,
                    Some(Ordering::Less | Ordering::Equal)
                )
            }
            Operator::GreaterOrEqual => matches!(
                ruby_order(left, right)?,
                Some(Ordering::Greater | Ordering::Equal)
            ),
        })
    }
}

impl Condition {
    /// Evaluates as Ruby's Liquid: `a op1 b op2 c` is `a op1 (b op2 c)`, left side first.
    /// (A loop, not recursion: a condition of 100 000 comparisons must not overflow the stack.)
    fn evaluate(&self, runtime: &dyn Runtime) -> Result<bool> {
        let mut value = self.first.evaluate(runtime)?;
        for (joint, next) in &self.rest {
            match joint {
                Joint::And if !value => return Ok(false),
                Joint::Or if value => return Ok(true),
                _ => value = next.evaluate(runtime)?,
            }
        }
        Ok(value)
    }
}

/// `if`'s and `unless`'s blocks.
#[derive(Debug, Clone, Copy)]
pub struct ConditionalBlock {
    /// `unless` (its first condition negated) rather than `if`.
    negated: bool,
}

impl ConditionalBlock {
    /// `{% if %}`.
    pub const IF: ConditionalBlock = ConditionalBlock { negated: false };
    /// `{% unless %}`.
    pub const UNLESS: ConditionalBlock = ConditionalBlock { negated: true };
}

impl BlockReflection for ConditionalBlock {
    fn start_tag(&self) -> &str {
        if self.negated { "unless" } else { "if" }
    }
    fn end_tag(&self) -> &str {
        if self.negated { "endunless" } else { "endif" }
    }
    fn description(&self) -> &str {
        "Renders its body when the condition holds (as Ruby's Liquid evaluates it)"
    }
}

impl ParseBlock for ConditionalBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let mut branches = Vec::new();
        let mut condition = parse_condition(&mut arguments)?;
        let mut body = Body::new();
        let mut otherwise: Option<Body> = None;
        while let Some(element) = block.next()? {
            match (element, otherwise.as_mut()) {
                (BlockElement::Tag(mut tag), None) if tag.name() == "elsif" => {
                    let next = parse_condition(tag.tokens())?;
                    branches.push((
                        std::mem::replace(&mut condition, next),
                        std::mem::replace(&mut body, Body::new()),
                    ));
                }
                (BlockElement::Tag(mut tag), None) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Body::new());
                }
                (element, Some(otherwise)) => otherwise.push(element, &mut block, options)?,
                (element, None) => body.push(element, &mut block, options)?,
            }
        }
        branches.push((condition, body));
        block.assert_empty();
        let blank = branches.iter().all(|(_, body)| body.is_blank())
            && otherwise.as_ref().is_none_or(Body::is_blank);
        record_block_blank(blank);
        Ok(Box::new(Conditional {
            negated: self.negated,
            branches: branches
                .into_iter()
                .map(|(condition, body)| (condition, body.build(blank)))
                .collect(),
            otherwise: otherwise.map(|otherwise| otherwise.build(blank)),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A parsed `if` / `unless`.
#[derive(Debug)]
struct Conditional {
    negated: bool,
    branches: Vec<(Condition, Template)>,
    otherwise: Option<Template>,
}

impl Renderable for Conditional {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let _level = super::location::RenderTrace::deeper()?;
        for (position, (condition, body)) in self.branches.iter().enumerate() {
            let holds = condition.evaluate(runtime)?;
            let holds = if position == 0 && self.negated {
                !holds
            } else {
                holds
            };
            if holds {
                return body.render_to(writer, runtime);
            }
        }
        match &self.otherwise {
            Some(otherwise) => otherwise.render_to(writer, runtime),
            None => Ok(()),
        }
    }
}

/// `{% case value %}{% when a, b %}…{% when c or d %}…{% else %}…{% endcase %}` as Ruby's
/// Liquid runs it: every `when` that matches renders (not only the first), and an `else`
/// renders when no `when` before it matched (`jekyll build` wrote "abc" for
/// `{% case 1 %}{% when 1 %}a{% when 1, 2 %}b{% when 3 or 1 %}c{% else %}e{% endcase %}` and
/// "e1x" for `{% case "x" %}{% when "y" %}{% else %}e1{% when "x" %}x{% else %}e2{% endcase %}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseBlock;

impl BlockReflection for CaseBlock {
    fn start_tag(&self) -> &str {
        "case"
    }
    fn end_tag(&self) -> &str {
        "endcase"
    }
    fn description(&self) -> &str {
        "Renders the branches whose values equal the case's value"
    }
}

/// One branch of a `case`.
#[derive(Debug)]
enum CaseBranch {
    /// `when` with its values.
    When(Vec<Expression>, Template),
    /// `else`.
    Else(Template),
}

/// A branch being parsed: its `when` values (`None` for `else`) and its body so far.
type OpenBranch = (Option<Vec<Expression>>, Body);

/// The values of a `when` (`a, b` or `a or b`).
fn parse_when_values(arguments: &mut TagTokenIter<'_>) -> Result<Vec<Expression>> {
    let mut values = vec![
        arguments
            .expect_next("Value expected.")?
            .expect_value()
            .into_result()?,
    ];
    while let Some(separator) = arguments.next() {
        if separator.as_str() != "," && separator.as_str() != "or" {
            return Err(separator.raise_custom_error("\"or\" or \",\" expected."));
        }
        values.push(
            arguments
                .expect_next("Value expected.")?
                .expect_value()
                .into_result()?,
        );
    }
    Ok(values)
}

impl ParseBlock for CaseBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let target = arguments
            .expect_next("Value expected.")?
            .expect_value()
            .into_result()?;
        arguments.expect_nothing()?;
        let mut open: Vec<OpenBranch> = Vec::new();
        // What comes before the first `when` or `else` is not rendered.
        let mut before_first = Body::new();
        while let Some(element) = block.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "when" => {
                    let values = parse_when_values(tag.tokens())?;
                    open.push((Some(values), Body::new()));
                }
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    open.push((None, Body::new()));
                }
                element => match open.last_mut() {
                    Some((_, body)) => body.push(element, &mut block, options)?,
                    None => before_first.push(element, &mut block, options)?,
                },
            }
        }
        block.assert_empty();
        let blank = open.iter().all(|(_, body)| body.is_blank());
        record_block_blank(blank);
        let branches = open
            .into_iter()
            .map(|(values, body)| {
                let body = body.build(blank);
                match values {
                    Some(values) => CaseBranch::When(values, body),
                    None => CaseBranch::Else(body),
                }
            })
            .collect();
        Ok(Box::new(Case { target, branches }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A parsed `case`.
#[derive(Debug)]
struct Case {
    target: Expression,
    branches: Vec<CaseBranch>,
}

impl Renderable for Case {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let _level = super::location::RenderTrace::deeper()?;
        let target = self.target.evaluate(runtime)?;
        let mut nothing_matched = true;
        for branch in &self.branches {
            match branch {
                CaseBranch::When(values, body) => {
                    let mut matched = false;
                    for value in values {
                        let value = value.evaluate(runtime)?;
                        if ruby_equal(target.as_view(), value.as_view()) {
                            matched = true;
                            break;
                        }
                    }
                    if matched {
                        nothing_matched = false;
                        body.render_to(writer, runtime)?;
                    }
                }
                CaseBranch::Else(body) => {
                    if nothing_matched {
                        body.render_to(writer, runtime)?;
                    }
                }
            }
        }
        Ok(())
    }
}
