//! The arguments of one coarse call into a core: the JS class hands its texts (strings,
//! booleans, ids, `undefined`) as one JSON array, its numbers as one array of floats, and the
//! operation's one large text (event data, a journal) as its payload, as it is, so that every
//! operation crosses the boundary in the same shape, numbers arrive exact and the large text is
//! never escaped into JSON and read back. `undefined` is `null` in the texts and NaN among the
//! numbers.

use crate::core::event::whole_number_id;
use crate::core::json_value::{parse, Value};
use alloc::string::String;
use alloc::vec::Vec;

/// One call's arguments. Its readers are out of line: every operation reads through them, and
/// inlined at each read they cost 0.25 KB gzipped more in the web and full entries.
pub struct Args<'a> {
    texts: Vec<Value<'a>>,
    numbers: &'a [f64],
    payload: Option<&'a str>,
}

impl<'a> Args<'a> {
    /// The arguments of a call; `None` when `texts` is not a JSON array.
    pub fn new(texts: &'a str, numbers: &'a [f64], payload: Option<&'a str>) -> Option<Self> {
        match parse(texts)? {
            Value::Array(texts) => Some(Args {
                texts,
                numbers,
                payload,
            }),
            _ => None,
        }
    }

    /// The payload, if the call has one.
    pub fn payload(&self) -> Option<&'a str> {
        self.payload
    }

    /// How many texts there are.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether there are no texts.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The `index`-th text, if it is a string.
    #[inline(never)]
    pub fn text(&self, index: usize) -> Option<&str> {
        self.texts.get(index).and_then(Value::as_str)
    }

    /// The `index`-th text as an owned string.
    pub fn owned(&self, index: usize) -> Option<String> {
        self.text(index).map(String::from)
    }

    /// Whether the `index`-th text is `null` or absent.
    pub fn is_null(&self, index: usize) -> bool {
        matches!(self.texts.get(index), None | Some(Value::Null))
    }

    /// Whether the `index`-th text is `true`.
    #[inline(never)]
    pub fn flag(&self, index: usize) -> bool {
        self.texts.get(index).and_then(Value::as_bool) == Some(true)
    }

    /// The `index`-th text as an id: a string, or a whole number's decimal digits.
    pub fn id(&self, index: usize) -> Option<String> {
        match self.texts.get(index)? {
            Value::String(text) => Some(String::from(text.as_ref())),
            number => whole_number_id(number.as_f64()?),
        }
    }

    /// The `index`-th number (NaN when absent).
    #[inline(never)]
    pub fn number(&self, index: usize) -> f64 {
        self.numbers.get(index).copied().unwrap_or(f64::NAN)
    }

    /// The `index`-th number, `None` when absent (NaN).
    pub fn optional_number(&self, index: usize) -> Option<f64> {
        Some(self.number(index)).filter(|n| !n.is_nan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_ids_flags_and_numbers_are_read_by_position() {
        let numbers = [1.5, f64::NAN, 1_733_000_000_123.0];
        let args = Args::new(r#"["a\"b",null,true,42,"7",1.5]"#, &numbers, Some("{}")).unwrap();
        assert_eq!(args.payload(), Some("{}"));
        assert_eq!(args.text(0), Some("a\"b"));
        assert_eq!(args.text(1), None);
        assert!(args.is_null(1) && args.is_null(9) && !args.is_null(0));
        assert!(args.flag(2) && !args.flag(0) && !args.flag(9));
        assert_eq!(args.id(3).as_deref(), Some("42"));
        assert_eq!(args.id(4).as_deref(), Some("7"));
        assert_eq!(args.id(5), None, "a fraction is no id");
        assert_eq!(args.id(1), None);
        assert_eq!(args.number(0), 1.5);
        assert_eq!(args.optional_number(1), None);
        assert_eq!(args.number(2), 1_733_000_000_123.0);
        assert!(args.number(3).is_nan());
    }

    #[test]
    fn texts_that_are_not_an_array_are_no_call() {
        assert!(Args::new("{}", &[], None).is_none());
        assert!(Args::new("[1,", &[], None).is_none());
    }
}
