//! `{% for item in collection limit:n offset:n reversed %}…{% else %}…{% endfor %}` as Ruby's
//! Liquid runs it, replacing the `liquid` crate's: the loop variable is looked up leniently
//! (`{{ post.title.foo }}` is empty, not "Unknown index"), `limit` past the end does not pad
//! with `nil`, a string is one item, a number none, and `forloop` has Liquid's keys
//! (`name`, `length`, `index`, `index0`, `rindex`, `rindex0`, `first`, `last`, `parentloop`).

use super::blank::{Body, record_block_blank};
use super::lenient::{LenientValue, lenient_find, missing};
use super::location::{MAX_LOOP_ITERATIONS, RenderTrace};
use liquid_core::model::{
    KString, KStringCow, KStringRef, Object, ScalarCow, Value, ValueCow, ValueView,
};
use liquid_core::parser::{BlockElement, TagBlock, TagTokenIter, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister, PartialStore, Registers, Template};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
};
use ref_cast::RefCast;
use std::collections::BTreeSet;
use std::io::Write;

/// `for`'s block.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }
    fn end_tag(&self) -> &str {
        "endfor"
    }
    fn description(&self) -> &str {
        "Repeats its body for each item of a collection or range"
    }
}

/// What a loop goes over.
#[derive(Debug)]
enum Collection {
    /// A variable or literal.
    Value(Expression),
    /// `(start..stop)`.
    Range(Expression, Expression),
}

/// Reads the expression after `limit`/`offset` (with its `:`).
fn attribute_value(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let variable = arguments
            .expect_next("Identifier expected.")?
            .expect_identifier()
            .into_result()?;
        arguments
            .expect_next("\"in\" expected.")?
            .expect_str("in")
            .into_result_custom_msg("\"in\" expected.")?;
        let collection_token = arguments.expect_next("Array or range expected.")?;
        let collection_text = collection_token.as_str().to_string();
        let collection = match collection_token.expect_value() {
            TryMatchToken::Matches(value) => Collection::Value(value),
            TryMatchToken::Fails(token) => match token.expect_range() {
                TryMatchToken::Matches((start, stop)) => Collection::Range(start, stop),
                TryMatchToken::Fails(token) => return Err(token.raise_error()),
            },
        };
        let mut limit = None;
        let mut offset = None;
        let mut reversed = false;
        while let Some(token) = arguments.next() {
            match token.as_str() {
                "limit" => limit = Some(attribute_value(&mut arguments)?),
                "offset" => offset = Some(attribute_value(&mut arguments)?),
                "reversed" => reversed = true,
                _ => {
                    return Err(
                        token.raise_custom_error("\"limit\", \"offset\" or \"reversed\" expected.")
                    );
                }
            }
        }
        let mut body = Body::new();
        let mut otherwise: Option<Body> = None;
        while let Some(element) = block.next()? {
            match (element, otherwise.as_mut()) {
                (BlockElement::Tag(mut tag), None) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Body::new());
                }
                (element, Some(otherwise)) => otherwise.push(element, &mut block, options)?,
                (element, None) => body.push(element, &mut block, options)?,
            }
        }
        block.assert_empty();
        let blank = body.is_blank() && otherwise.as_ref().is_none_or(Body::is_blank);
        record_block_blank(blank);
        Ok(Box::new(ForLoop {
            name: format!("{variable}-{collection_text}"),
            variable: KString::from_ref(variable),
            collection,
            limit,
            offset,
            reversed,
            body: body.build(blank),
            otherwise: otherwise.map(|otherwise| otherwise.build(blank)),
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A parsed `for`.
#[derive(Debug)]
struct ForLoop {
    /// `forloop.name` (`item-collection`).
    name: String,
    variable: KString,
    collection: Collection,
    limit: Option<Expression>,
    offset: Option<Expression>,
    reversed: bool,
    body: Template,
    otherwise: Option<Template>,
}

/// An expression's value as an integer the way Liquid's `to_integer` reads it (`nil` → none).
fn integer_of(expression: &Expression, runtime: &dyn Runtime) -> Result<Option<i64>> {
    let value = expression.evaluate(runtime)?;
    if value.is_nil() {
        return Ok(None);
    }
    value
        .as_scalar()
        .and_then(|scalar| {
            scalar
                .to_integer()
                .or_else(|| scalar.to_kstr().as_str().trim().parse::<i64>().ok())
        })
        .map(Some)
        .ok_or_else(|| Error::with_msg(format!("invalid integer: {}", value.source())))
}

/// The items of `collection` as Ruby's Liquid iterates them.
fn items_of<'v>(collection: &'v dyn ValueView) -> Vec<ValueCow<'v>> {
    if let Some(array) = collection.as_array() {
        return array.values().map(ValueCow::Borrowed).collect();
    }
    if collection.is_nil() || collection.is_state() {
        return Vec::new();
    }
    if let Some(object) = collection.as_object() {
        return object
            .iter()
            .map(|(key, value)| {
                ValueCow::Owned(Value::Array(vec![
                    Value::scalar(key.into_owned()),
                    value.to_value(),
                ]))
            })
            .collect();
    }
    // A string is one item (when not empty); numbers, booleans and dates are none.
    if collection.type_name() == "string" && !collection.to_kstr().as_str().is_empty() {
        vec![ValueCow::Borrowed(collection)]
    } else {
        Vec::new()
    }
}

/// What a loop runs over after `offset`, `limit` and `reversed`: listed items, or the numbers
/// of a range (never listed: `(1..10000000000)` would not fit in memory).
enum Items<'v> {
    /// A collection's items.
    Listed(Vec<ValueCow<'v>>),
    /// `count` numbers from `first`, going up (or down when reversed).
    Numbers {
        first: i64,
        count: u64,
        reversed: bool,
    },
}

impl Items<'_> {
    /// How many items there are.
    fn count(&self) -> u64 {
        match self {
            Items::Listed(items) => u64::try_from(items.len()).unwrap_or(u64::MAX),
            Items::Numbers { count, .. } => *count,
        }
    }

    /// The item at `position` (below `count`).
    fn item(&self, position: u64) -> ValueCow<'_> {
        match self {
            Items::Listed(items) => usize::try_from(position)
                .ok()
                .and_then(|index| items.get(index))
                .map(|item| ValueCow::Borrowed(item.as_view()))
                .unwrap_or_else(|| ValueCow::Borrowed(missing())),
            Items::Numbers {
                first,
                count,
                reversed,
            } => {
                let step = i64::try_from(position).unwrap_or(i64::MAX);
                let number = if *reversed {
                    let last = i64::try_from(count.saturating_sub(1)).unwrap_or(i64::MAX);
                    first.saturating_add(last).saturating_sub(step)
                } else {
                    first.saturating_add(step)
                };
                ValueCow::Owned(Value::scalar(number))
            }
        }
    }
}

impl ForLoop {
    /// The items this loop runs over in `runtime`.
    fn items<'r>(
        &'r self,
        runtime: &'r dyn Runtime,
        evaluated: &'r mut Option<ValueCow<'r>>,
    ) -> Result<Items<'r>> {
        let offset = match &self.offset {
            Some(offset) => integer_of(offset, runtime)?.unwrap_or(0).max(0),
            None => 0,
        };
        let limit = match &self.limit {
            Some(limit) => integer_of(limit, runtime)?.map(|limit| limit.max(0)),
            None => None,
        };
        match &self.collection {
            Collection::Value(expression) => {
                let value = evaluated.insert(expression.evaluate(runtime)?);
                let mut items = items_of(value.as_view());
                let offset = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(items.len());
                items.drain(..offset);
                if let Some(limit) = limit {
                    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                }
                if self.reversed {
                    items.reverse();
                }
                Ok(Items::Listed(items))
            }
            Collection::Range(start, stop) => {
                let start = i128::from(integer_of(start, runtime)?.unwrap_or(0));
                let stop = i128::from(integer_of(stop, runtime)?.unwrap_or(0));
                let length = (stop - start + 1).max(0);
                let offset = i128::from(offset).min(length);
                let mut count = length - offset;
                if let Some(limit) = limit {
                    count = count.min(i128::from(limit));
                }
                Ok(Items::Numbers {
                    first: i64::try_from(start + offset).unwrap_or(i64::MAX),
                    count: u64::try_from(count).unwrap_or(u64::MAX),
                    reversed: self.reversed,
                })
            }
        }
    }
}

impl Renderable for ForLoop {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let _level = super::location::RenderTrace::deeper()?;
        let mut evaluated = None;
        let items = self.items(runtime, &mut evaluated)?;
        if items.count() == 0 {
            if let Some(otherwise) = &self.otherwise {
                otherwise.render_to(writer, runtime)?;
            }
            return Ok(());
        }
        let parent_loop = runtime
            .try_get(&[ScalarCow::new("forloop")])
            .map(|value| value.to_value())
            .unwrap_or(Value::Nil);
        let length = i64::try_from(items.count()).unwrap_or(i64::MAX);
        for position in 0..items.count() {
            if !RenderTrace::count_loop_iteration() {
                return Err(Error::with_msg(format!(
                    "this page's loops ran more than {MAX_LOOP_ITERATIONS} times; Byline stopped \
                     rendering it"
                )));
            }
            let item = items.item(position);
            let index0 = i64::try_from(position).unwrap_or(i64::MAX);
            let mut forloop = Object::new();
            forloop.insert("name".into(), Value::scalar(self.name.clone()));
            forloop.insert("length".into(), Value::scalar(length));
            forloop.insert("index".into(), Value::scalar(index0 + 1));
            forloop.insert("index0".into(), Value::scalar(index0));
            forloop.insert("rindex".into(), Value::scalar(length - index0));
            forloop.insert("rindex0".into(), Value::scalar(length - index0 - 1));
            forloop.insert("first".into(), Value::scalar(index0 == 0));
            forloop.insert("last".into(), Value::scalar(index0 == length - 1));
            forloop.insert("parentloop".into(), parent_loop.clone());
            let forloop = Value::Object(forloop);
            let frame = LoopFrame {
                parent: runtime,
                variable: self.variable.as_str(),
                item: item.as_view(),
                forloop: LenientValue::ref_cast(&forloop),
            };
            self.body.render_to(writer, &frame)?;
            let interrupt = frame.registers().get_mut::<InterruptRegister>().reset();
            if interrupt == Some(Interrupt::Break) {
                break;
            }
        }
        Ok(())
    }
}

/// The frame of one iteration: the loop variable and `forloop`, looked up leniently.
struct LoopFrame<'a> {
    parent: &'a dyn Runtime,
    variable: &'a str,
    item: &'a dyn ValueView,
    forloop: &'a LenientValue,
}

impl Runtime for LoopFrame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.insert(KStringCow::from_ref(self.variable));
        roots.insert(KStringCow::from_static("forloop"));
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.get(path).ok()
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        let Some((root, rest)) = path.split_first() else {
            return Ok(ValueCow::Borrowed(missing()));
        };
        let root = root.to_kstr();
        if root.as_str() == self.variable {
            Ok(lenient_find(self.item, rest))
        } else if root.as_str() == "forloop" {
            Ok(lenient_find(self.forloop, rest))
        } else {
            self.parent.get(path)
        }
    }

    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_global(name, value)
    }

    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_index(name, value)
    }

    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}
