//! The little of a parsed JSON document the table readers need, so that the SDK (with its own
//! reader) and the collector (with serde_json) read tables with the same code.

/// A parsed JSON value.
pub trait Json: Sized {
    /// The member `key` of an object.
    fn get(&self, key: &str) -> Option<&Self>;
    /// A number's value.
    fn number(&self) -> Option<f64>;
    /// A string's text.
    fn text(&self) -> Option<&str>;
    /// Whether this is an object.
    fn is_object(&self) -> bool;
    /// An object's member at `index`, in order; `None` past the last and for anything else.
    fn member(&self, index: usize) -> Option<(&str, &Self)>;
    /// An array's items; `None` for anything else.
    fn items(&self) -> Option<&[Self]>;
}

/// An object's members, in order (none for anything else).
pub fn members<J: Json>(object: &J) -> impl Iterator<Item = (&str, &J)> {
    (0..).map_while(move |index| object.member(index))
}

/// The value at a dotted `path` of a usage object, where a step into an array of
/// `{ modality, tokenCount }` takes the entry of that modality's `tokenCount`
/// (see [`crate::usage::Field`]).
pub fn usage_field<J: Json>(usage: &J, path: &str) -> Option<f64> {
    let mut at = usage;
    for step in wasm_telemetry_rules::find::split(path, ".") {
        at = match at.items() {
            Some(items) => items
                .iter()
                .find(|item| item.get("modality").and_then(J::text) == Some(step))?
                .get("tokenCount")?,
            None => at.get(step)?,
        };
    }
    at.number()
}
