//! JSON as the OpenAPI emitter builds it: a tree that borrows its text from the IR, keeps its
//! members in the order they were inserted, and is written out as `serde_json::to_string_pretty`
//! writes a `serde_json::Value` with `preserve_order` (two-space indentation, `": "` after a
//! key, `{}` and `[]` when empty, the same escapes). Building `serde_json::Value`s hashed every
//! key and copied every string, which was most of the document's cost.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// A JSON object: members in insertion order, as `serde_json::Map` keeps them with
/// `preserve_order`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Object<'a> {
    /// Sets a member: a new key goes last, a key already there keeps its place (as
    /// `serde_json::Map::insert` does).
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Json<'a>>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(held, _)| *held == key) {
            Some((_, held)) => *held = value,
            None => self.0.push((key, value)),
        }
    }

    /// Adds a member whose key the caller knows is not there yet.
    pub fn push(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Json<'a>>) {
        self.0.push((key.into(), value.into()));
    }

    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0
            .iter()
            .find(|(held, _)| *held == key)
            .map(|(_, value)| value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json<'a>> {
        self.0
            .iter_mut()
            .find(|(held, _)| *held == key)
            .map(|(_, value)| value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(held, _)| *held == key)
    }

    /// Removes a member as `serde_json::Map::remove` does with `preserve_order`: the last
    /// member takes its place.
    pub fn swap_remove(&mut self, key: &str) -> Option<Json<'a>> {
        let index = self.0.iter().position(|(held, _)| *held == key)?;
        Some(self.0.swap_remove(index).1)
    }

    /// The member `key`, inserted (last) by `make` when it is not there.
    pub fn entry_or_insert_with(
        &mut self,
        key: impl Into<Cow<'a, str>>,
        make: impl FnOnce() -> Json<'a>,
    ) -> &mut Json<'a> {
        let key = key.into();
        let index = match self.0.iter().position(|(held, _)| *held == key) {
            Some(index) => index,
            None => {
                self.0.push((key, make()));
                self.0.len() - 1
            }
        };
        &mut self.0[index].1
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(key, _)| key.as_ref())
    }
}

impl<'a> Json<'a> {
    /// The object this is, if it is one.
    pub fn as_object_mut(&mut self) -> Option<&mut Object<'a>> {
        match self {
            Json::Object(object) => Some(object),
            _ => None,
        }
    }

    /// Pretty-printed as `serde_json::to_string_pretty` prints the same value.
    pub fn to_pretty(&self) -> String {
        let mut out = String::with_capacity(1 << 16);
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Int(value) => {
                let _ = write!(out, "{value}");
            }
            Json::Str(text) => write_string(out, text),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    out.push_str(if index == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            Json::Object(object) if object.is_empty() => out.push_str("{}"),
            Json::Object(object) => {
                out.push('{');
                for (index, (key, value)) in object.0.iter().enumerate() {
                    out.push_str(if index == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push('}');
            }
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    super::layout::push_spaces(out, depth * 2);
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control characters as
/// `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else as it is.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    // Most strings have nothing to escape.
    if !text
        .bytes()
        .any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\')
    {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut copied = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            b'\x0c' => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[copied..index]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        copied = index + 1;
    }
    out.push_str(&text[copied..]);
    out.push('"');
}

impl<'a> From<&'a str> for Json<'a> {
    fn from(text: &'a str) -> Json<'a> {
        Json::Str(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Json<'a> {
    fn from(text: &'a String) -> Json<'a> {
        Json::Str(Cow::Borrowed(text))
    }
}

impl<'a> From<String> for Json<'a> {
    fn from(text: String) -> Json<'a> {
        Json::Str(Cow::Owned(text))
    }
}

impl<'a> From<bool> for Json<'a> {
    fn from(value: bool) -> Json<'a> {
        Json::Bool(value)
    }
}

impl<'a> From<i64> for Json<'a> {
    fn from(value: i64) -> Json<'a> {
        Json::Int(value)
    }
}

impl<'a> From<Object<'a>> for Json<'a> {
    fn from(object: Object<'a>) -> Json<'a> {
        Json::Object(object)
    }
}

impl<'a, T: Into<Json<'a>>> From<Vec<T>> for Json<'a> {
    fn from(items: Vec<T>) -> Json<'a> {
        Json::Array(items.into_iter().map(Into::into).collect())
    }
}

/// An object of the members given as `key => value` (each converted with `Into`).
macro_rules! object {
    ($($key:expr => $value:expr),* $(,)?) => {
        $crate::emit::json::Json::Object($crate::emit::json::Object::from_members(vec![
            $((::std::borrow::Cow::from($key), $crate::emit::json::Json::from($value))),*
        ]))
    };
}

/// An array of the values given (each converted with `Into`).
macro_rules! array {
    ($($value:expr),* $(,)?) => {
        $crate::emit::json::Json::Array(vec![$($crate::emit::json::Json::from($value)),*])
    };
}

pub(crate) use {array, object};

impl<'a> Object<'a> {
    /// The object of `members`, whose keys are distinct.
    pub fn from_members(members: Vec<(Cow<'a, str>, Json<'a>)>) -> Object<'a> {
        Object(members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same document built both ways prints the same, escapes and empty members included.
    #[test]
    fn prints_as_serde_json_prints_a_value() {
        let tricky =
            "quote \" backslash \\ tab \t newline \n bell \u{7} delete \u{7f} ünïcödé \u{2028}";
        let ours = object! {
            "empty object" => Object::default(),
            "empty array" => Vec::<Json<'_>>::new(),
            tricky => tricky,
            "numbers" => array![1i64, -20i64, 0i64],
            "flags" => array![true, false, Json::Null],
            "nested" => object! { "a" => array![object! {}, array![], "x"] },
        };
        let theirs = serde_json::json!({
            "empty object": {},
            "empty array": [],
            tricky: tricky,
            "numbers": [1, -20, 0],
            "flags": [true, false, null],
            "nested": { "a": [{}, [], "x"] },
        });
        assert_eq!(
            ours.to_pretty(),
            serde_json::to_string_pretty(&theirs).unwrap()
        );
    }

    /// Members keep their places as `serde_json::Map`'s do: a replaced key stays, a removed one
    /// is taken by the last.
    #[test]
    fn members_move_as_serde_json_moves_them() {
        let mut ours = Object::default();
        let mut theirs = serde_json::Map::new();
        for key in ["a", "b", "c", "d"] {
            ours.insert(key, key);
            theirs.insert(key.to_owned(), serde_json::json!(key));
        }
        ours.insert("b", "again");
        theirs.insert("b".to_owned(), serde_json::json!("again"));
        ours.swap_remove("a");
        theirs.remove("a");
        ours.insert("a", true);
        theirs.insert("a".to_owned(), serde_json::json!(true));
        assert_eq!(
            Json::Object(ours).to_pretty(),
            serde_json::to_string_pretty(&serde_json::Value::Object(theirs)).unwrap()
        );
    }
}
