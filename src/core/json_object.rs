//! JSON objects written member by member, for the JSON the core answers with: numbers exact
//! (`null` when not finite, as `JSON.stringify` writes them), and values read from the
//! application's JSON copied back as they were.

use crate::core::json::{write_integer, write_number, write_string};
use crate::core::json_value::Value;
use crate::core::text::push_ascii;
use alloc::string::String;

/// A JSON object being written.
pub struct Object {
    out: String,
    empty: bool,
}

impl Default for Object {
    fn default() -> Self {
        Self {
            out: String::from("{"),
            empty: true,
        }
    }
}

/// Appends a JSON value as it was read.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(text) => out.push_str(text),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            push_ascii(out, b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    push_ascii(out, b',');
                }
                write_value(out, item);
            }
            push_ascii(out, b']');
        }
        Value::Object(members) => {
            push_ascii(out, b'{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    push_ascii(out, b',');
                }
                write_string(out, key);
                push_ascii(out, b':');
                write_value(out, item);
            }
            push_ascii(out, b'}');
        }
    }
}

impl Object {
    /// An empty object with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        push_ascii(&mut out, b'{');
        Self { out, empty: true }
    }

    /// Starts member `key`; its value follows.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            push_ascii(&mut self.out, b',');
        }
        self.empty = false;
        write_string(&mut self.out, key);
        push_ascii(&mut self.out, b':');
        &mut self.out
    }

    /// A number member (`null` when not finite).
    pub fn number(&mut self, key: &str, value: f64) -> &mut Self {
        write_number(self.key(key), value);
        self
    }

    /// A whole-number member (counts), saturated at `i64::MAX`.
    pub fn count(&mut self, key: &str, value: u64) -> &mut Self {
        write_integer(self.key(key), value.min(i64::MAX as u64) as i64);
        self
    }

    /// A whole-number member (timestamps in ms, line numbers).
    pub fn whole(&mut self, key: &str, value: i64) -> &mut Self {
        write_integer(self.key(key), value);
        self
    }

    /// A number member, `null` when `None`.
    pub fn maybe(&mut self, key: &str, value: Option<f64>) -> &mut Self {
        write_number(self.key(key), value.unwrap_or(f64::NAN));
        self
    }

    /// A string member.
    pub fn text(&mut self, key: &str, value: &str) -> &mut Self {
        write_string(self.key(key), value);
        self
    }

    /// A string member, `null` when `None`.
    pub fn maybe_text(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(text) => self.text(key, text),
            None => self.raw(key, None),
        }
    }

    /// A boolean member.
    pub fn flag(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is JSON text already written (`null` when `None`).
    pub fn raw(&mut self, key: &str, json: Option<&str>) -> &mut Self {
        self.key(key).push_str(json.unwrap_or("null"));
        self
    }

    /// A member copied from the application's JSON.
    pub fn value(&mut self, key: &str, value: &Value) -> &mut Self {
        write_value(self.key(key), value);
        self
    }

    /// The finished text.
    pub fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.out);
        push_ascii(&mut out, b'}');
        push_ascii(&mut self.out, b'{');
        self.empty = true;
        out
    }
}

/// A JSON array of objects, `write` filling one object per item.
pub fn objects<T>(
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut Object, T),
) -> String {
    let mut list = Objects::default();
    for item in items {
        write(&mut list.object, item);
        list.next();
    }
    list.finish()
}

/// The array [`objects`] writes, out of line so that each of its callers shares it.
#[derive(Default)]
struct Objects {
    out: String,
    object: Object,
}

impl Objects {
    /// Appends the object written since the last one.
    #[inline(never)]
    fn next(&mut self) {
        self.out.push(if self.out.is_empty() { '[' } else { ',' });
        self.out.push_str(&self.object.finish());
    }

    /// The array.
    #[inline(never)]
    fn finish(mut self) -> String {
        if self.out.is_empty() {
            push_ascii(&mut self.out, b'[');
        }
        push_ascii(&mut self.out, b']');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::parse;

    #[test]
    fn members_are_written_in_order_with_null_for_missing_and_non_finite_numbers() {
        let copied = parse(r#"{"a":[1,"x",null,{"b":true}]}"#).unwrap();
        let text = Object::default()
            .number("n", 0.25)
            .number("third", 1.0 / 3.0)
            .count("c", u64::MAX)
            .number("nan", f64::NAN)
            .maybe("none", None)
            .text("s", "q\"")
            .flag("f", false)
            .raw("r", Some("[]"))
            .value("v", &copied)
            .finish();
        assert_eq!(
            text,
            r#"{"n":0.25,"third":0.3333333333333333,"c":9223372036854775807,"nan":null,"none":null,"s":"q\"","f":false,"r":[],"v":{"a":[1,"x",null,{"b":true}]}}"#
        );
    }
}
