//! Jekyll's lenient variables: an undefined variable, a missing key, a key of `nil` or of a
//! string is `nil` (renders empty, is falsy), where the `liquid` crate stops with "Unknown
//! variable" / "Unknown index".
//!
//! Values are viewed through [`LenientValue`] (a zero-cost view of a `liquid::model::Value`)
//! whose objects answer every missing key with `nil` and whose `nil` is an empty object, so
//! that even paths the `liquid` crate resolves itself (a `for` loop's variable) stay lenient.
//! [`ScopeFrame`] is the outermost runtime frame of a rendering: it keeps `assign`ed and
//! `capture`d variables (in an arena, so that they are lenient views too) and resolves every
//! path leniently.

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, KStringRef, Object, ObjectView, ScalarCow, State,
    Value, ValueCow, ValueView,
};
use liquid_core::runtime::{PartialStore, Registers};
use liquid_core::{Error, Result, Runtime};
use ref_cast::RefCast;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// A `Value` seen the Jekyll way: missing keys are `nil`, `nil` has every key (all `nil`).
#[derive(RefCast)]
#[repr(transparent)]
pub struct LenientValue(pub Value);

/// An object seen the Jekyll way (missing keys are `nil`).
#[derive(RefCast)]
#[repr(transparent)]
pub struct LenientObject(pub Object);

/// An array whose items are seen the Jekyll way.
#[derive(RefCast)]
#[repr(transparent)]
struct LenientArray(Vec<Value>);

/// What a missing variable or key is.
static MISSING: LenientValue = LenientValue(Value::Nil);

/// The `nil` every missing variable or key resolves to.
pub fn missing() -> &'static LenientValue {
    &MISSING
}

impl fmt::Debug for LenientValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for LenientObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for LenientArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The `ValueView` methods every lenient wrapper answers exactly as the value it wraps
/// (`self.0`); only how it reaches keys and items differs.
macro_rules! delegate_value_view {
    () => {
        fn as_debug(&self) -> &dyn fmt::Debug {
            &self.0
        }
        fn render(&self) -> DisplayCow<'_> {
            self.0.render()
        }
        fn source(&self) -> DisplayCow<'_> {
            self.0.source()
        }
        fn type_name(&self) -> &'static str {
            self.0.type_name()
        }
        fn query_state(&self, state: State) -> bool {
            self.0.query_state(state)
        }
        fn to_kstr(&self) -> KStringCow<'_> {
            self.0.to_kstr()
        }
    };
}

impl ValueView for LenientValue {
    delegate_value_view!();
    fn to_value(&self) -> Value {
        self.0.clone()
    }
    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        self.0.as_scalar()
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        match &self.0 {
            Value::Array(items) => Some(LenientArray::ref_cast(items)),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        match &self.0 {
            Value::Object(object) => Some(LenientObject::ref_cast(object)),
            // `nil.anything` is `nil` in Jekyll: nil answers keys as an empty object.
            Value::Nil => Some(self),
            _ => None,
        }
    }
    fn as_state(&self) -> Option<State> {
        self.0.as_state()
    }
    fn is_nil(&self) -> bool {
        self.0.is_nil()
    }
}

/// Only reached for `nil` (see [`LenientValue::as_object`]): an object without keys whose every
/// key is `nil`.
impl ObjectView for LenientValue {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        0
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(std::iter::empty())
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(std::iter::empty())
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(std::iter::empty())
    }
    fn contains_key(&self, _index: &str) -> bool {
        false
    }
    fn get<'s>(&'s self, _index: &str) -> Option<&'s dyn ValueView> {
        Some(&MISSING)
    }
}

impl ValueView for LenientObject {
    delegate_value_view!();
    fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for LenientObject {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        i64::try_from(self.0.len()).unwrap_or(i64::MAX)
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.0.keys().map(|key| KStringCow::from_ref(key.as_str())))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(
            self.0
                .values()
                .map(|value| LenientValue::ref_cast(value) as &dyn ValueView),
        )
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(self.0.iter().map(|(key, value)| {
            (
                KStringCow::from_ref(key.as_str()),
                LenientValue::ref_cast(value) as &dyn ValueView,
            )
        }))
    }
    fn contains_key(&self, index: &str) -> bool {
        self.0.contains_key(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self.0.get(index) {
            Some(value) => Some(LenientValue::ref_cast(value)),
            // `size` of an object is answered by the caller when the key is absent.
            None if index == "size" => None,
            None => Some(&MISSING),
        }
    }
}

impl ValueView for LenientArray {
    delegate_value_view!();
    fn to_value(&self) -> Value {
        Value::Array(self.0.clone())
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        Some(self)
    }
}

impl ArrayView for LenientArray {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        i64::try_from(self.0.len()).unwrap_or(i64::MAX)
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(
            self.0
                .iter()
                .map(|value| LenientValue::ref_cast(value) as &dyn ValueView),
        )
    }
    fn contains_key(&self, index: i64) -> bool {
        self.position(index).is_some()
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let position = self.position(index)?;
        self.0
            .as_slice()
            .get(position)
            .map(|value| LenientValue::ref_cast(value) as &dyn ValueView)
    }
}

impl LenientArray {
    /// The position of `index` (negative counts from the end), if inside the array.
    fn position(&self, index: i64) -> Option<usize> {
        let length = i64::try_from(self.0.len()).ok()?;
        let position = if index < 0 { length + index } else { index };
        if (0..length).contains(&position) {
            usize::try_from(position).ok()
        } else {
            None
        }
    }
}

/// Follows `path` from `value` the way Jekyll's Liquid does: arrays by number and
/// `first`/`last`/`size`, objects by key (and `size`), strings only by `size`; everything else
/// is `nil`.
pub fn lenient_find<'v>(value: &'v dyn ValueView, path: &[ScalarCow<'_>]) -> ValueCow<'v> {
    let mut current = ValueCow::Borrowed(value);
    for index in path {
        current = match current {
            ValueCow::Borrowed(view) => lenient_step(view, index),
            ValueCow::Owned(owned) => match lenient_step(&owned, index) {
                ValueCow::Borrowed(child) => ValueCow::Owned(child.to_value()),
                ValueCow::Owned(child) => ValueCow::Owned(child),
            },
        };
    }
    current
}

/// One step of [`lenient_find`].
fn lenient_step<'v>(value: &'v dyn ValueView, index: &ScalarCow<'_>) -> ValueCow<'v> {
    if let Some(array) = value.as_array() {
        if let Some(number) = index.to_integer() {
            return array
                .get(number)
                .map_or(ValueCow::Borrowed(&MISSING), ValueCow::Borrowed);
        }
        return match index.to_kstr().as_str() {
            "first" => array
                .first()
                .map_or(ValueCow::Borrowed(&MISSING), ValueCow::Borrowed),
            "last" => array
                .last()
                .map_or(ValueCow::Borrowed(&MISSING), ValueCow::Borrowed),
            "size" => ValueCow::Owned(Value::scalar(array.size())),
            _ => ValueCow::Borrowed(&MISSING),
        };
    }
    if let Some(object) = value.as_object() {
        let key = index.to_kstr();
        return match object.get(key.as_str()) {
            Some(child) => ValueCow::Borrowed(child),
            None if key.as_str() == "size" => ValueCow::Owned(Value::scalar(object.size())),
            None => ValueCow::Borrowed(&MISSING),
        };
    }
    if let Some(scalar) = value.as_scalar()
        && index.to_kstr().as_str() == "size"
    {
        let length = scalar.to_kstr().as_str().chars().count();
        return ValueCow::Owned(Value::scalar(i64::try_from(length).unwrap_or(i64::MAX)));
    }
    ValueCow::Borrowed(&MISSING)
}

/// The outermost frame of a rendering: `assign` and `capture` land here (visible to the rest of
/// the page, includes and layouts' later parts, as in Jekyll), and every variable is looked up
/// leniently.
pub struct ScopeFrame<'a> {
    /// The frame below: the `liquid` crate's frames holding the globals (as lenient views).
    parent: &'a dyn Runtime,
    /// Where assigned values live for the whole rendering (so views of them stay valid when a
    /// variable is assigned again).
    arena: &'a typed_arena::Arena<Value>,
    /// Assigned variables.
    assigned: RefCell<HashMap<KString, &'a Value>>,
}

impl<'a> ScopeFrame<'a> {
    /// A frame above `parent`, keeping assigned values in `arena`.
    pub fn new(parent: &'a dyn Runtime, arena: &'a typed_arena::Arena<Value>) -> ScopeFrame<'a> {
        ScopeFrame {
            parent,
            arena,
            assigned: RefCell::new(HashMap::new()),
        }
    }

    /// The value assigned to `name`, if any.
    fn assigned(&self, name: &str) -> Option<&'a Value> {
        self.assigned.borrow().get(name).copied()
    }
}

impl<'a> Runtime for ScopeFrame<'a> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.extend(
            self.assigned
                .borrow()
                .keys()
                .map(|key| KStringCow::from_string(key.to_string())),
        );
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.get(path).ok()
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        let Some((root, rest)) = path.split_first() else {
            return Err(Error::with_msg("Unknown variable").context("requested variable", "nil"));
        };
        let root_name = root.to_kstr();
        if let Some(value) = self.assigned(root_name.as_str()) {
            return Ok(lenient_find(LenientValue::ref_cast(value), rest));
        }
        let Some(root_value) = self.parent.try_get(std::slice::from_ref(root)) else {
            return Ok(ValueCow::Borrowed(&MISSING));
        };
        Ok(match root_value {
            ValueCow::Borrowed(view) => lenient_find(view, rest),
            ValueCow::Owned(owned) => {
                ValueCow::Owned(lenient_find(LenientValue::ref_cast(&owned), rest).to_value())
            }
        })
    }

    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        let stored: &'a Value = self.arena.alloc(value);
        self.assigned.borrow_mut().insert(name, stored).cloned()
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

/// A frame holding one variable (`include` inside an included file), looked up leniently.
pub struct VariableFrame<'a> {
    /// The frame below.
    parent: &'a dyn Runtime,
    /// The variable's name.
    name: &'static str,
    /// Its value.
    value: &'a LenientValue,
}

impl<'a> VariableFrame<'a> {
    /// `parent` with `name` set to `value` on top.
    pub fn new(
        parent: &'a dyn Runtime,
        name: &'static str,
        value: &'a LenientValue,
    ) -> VariableFrame<'a> {
        VariableFrame {
            parent,
            name,
            value,
        }
    }
}

impl Runtime for VariableFrame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.insert(KStringCow::from_static(self.name));
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.get(path).ok()
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        match path.split_first() {
            Some((root, rest)) if root.to_kstr().as_str() == self.name => {
                Ok(lenient_find(self.value, rest))
            }
            _ => self.parent.get(path),
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

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::model::Scalar;

    fn path(parts: &[&str]) -> Vec<ScalarCow<'static>> {
        parts
            .iter()
            .map(|part| Scalar::new(part.to_string()))
            .collect()
    }

    #[test]
    fn missing_keys_nil_keys_and_string_keys_are_nil() {
        let value = Value::Object(liquid::object!({
            "title": "Hello",
            "tags": ["a", "b"],
            "author": nil,
        }));
        let view = LenientValue::ref_cast(&value);
        assert!(lenient_find(view, &path(&["missing"])).is_nil());
        assert!(lenient_find(view, &path(&["missing", "deeper"])).is_nil());
        assert!(lenient_find(view, &path(&["author", "name"])).is_nil());
        assert!(lenient_find(view, &path(&["title", "foo"])).is_nil());
        assert_eq!(
            lenient_find(view, &path(&["title"])).to_kstr().as_str(),
            "Hello"
        );
        assert_eq!(
            lenient_find(view, &path(&["tags", "last"]))
                .to_kstr()
                .as_str(),
            "b"
        );
        assert_eq!(
            lenient_find(view, &path(&["tags", "size"]))
                .to_kstr()
                .as_str(),
            "2"
        );
        assert_eq!(
            lenient_find(view, &path(&["title", "size"]))
                .to_kstr()
                .as_str(),
            "5"
        );
        assert!(lenient_find(view, &path(&["tags", "nope"])).is_nil());
    }

    #[test]
    fn objects_seen_leniently_answer_missing_keys_with_nil_items_too() {
        let value = Value::Array(vec![Value::Object(liquid::object!({ "a": 1 }))]);
        let view = LenientValue::ref_cast(&value);
        let first = view
            .as_array()
            .and_then(|array| array.first())
            .and_then(|item| item.as_object())
            .and_then(|object| object.get("nothing"))
            .map(|nothing| nothing.is_nil());
        assert_eq!(first, Some(true));
    }
}
