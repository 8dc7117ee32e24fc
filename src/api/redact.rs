//! `redact(text)`: the SDK's PII scanner as a function, for applications that want to clean
//! text themselves (and for measuring the scanner).

use crate::core::pii::{find_edits, redact as redact_text, Edit, Replacement, Rules, Scope};
use crate::core::text::utf16_units;
use alloc::string::String;
use alloc::vec::Vec;

/// Replaces emails, phone numbers, SSNs, card numbers, IP addresses, IBANs, wallet addresses,
/// MAC addresses and secrets in `text` with `[REDACTED_<TYPE>]` markers, strips query values
/// and fragments from URLs and reduces absolute file paths to file names. Runs in linear time.
pub fn redact(text: &str) -> String {
    redact_text(text, &Rules::default()).unwrap_or_else(|| String::from(text))
}

/// What a word of [`Redaction`] holds in place of a marker's kind for rewritten text.
pub const REWRITTEN: u32 = u32::MAX;

/// The page's view of one [`redact`]: the edits, which the page makes to its own string, so
/// the unchanged parts are neither copied back nor decoded. Kept until the next one, since its
/// words point into its rewritten texts, and its room is kept for the next one's.
#[derive(Default)]
pub struct Redaction {
    edits: Vec<Edit>,
    /// The number of edits, then five per edit: its start and end in UTF-16 code units, the
    /// index of its marker's kind ([`REWRITTEN`] for rewritten text), and the address and
    /// length in bytes of the replacement's UTF-8.
    words: Vec<u32>,
}

impl Redaction {
    /// Scans `text`, which is `units` UTF-16 code units long in the page, and answers where
    /// its words are, or `None` when nothing changes.
    pub fn scan(&mut self, text: &str, units: usize) -> Option<*const u32> {
        find_edits(text, &Rules::default(), Scope::Text, &mut self.edits);
        if self.edits.is_empty() {
            return None;
        }
        let words = &mut self.words;
        words.clear();
        words.push(self.edits.len() as u32);
        // An ASCII text's offsets are the same in bytes and UTF-16 code units.
        let ascii = units == text.len();
        let (mut counted, mut units) = (0, 0);
        for edit in &self.edits {
            for byte in [edit.start, edit.end] {
                units = if ascii {
                    byte
                } else {
                    units + utf16_units(text.as_bytes().get(counted..byte).unwrap_or_default())
                };
                counted = byte;
                words.push(units as u32);
            }
            let (kind, replacement) = match &edit.replacement {
                Replacement::Marker(kind) => (*kind as u32, kind.marker()),
                replacement => (REWRITTEN, replacement.text()),
            };
            words.push(kind);
            words.push(replacement.as_ptr() as u32);
            words.push(replacement.len() as u32);
        }
        Some(words.as_ptr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pii::Kind;

    /// The page's side: `text` (as UTF-16) with the edits that `scan` laid out made, the
    /// replacements taken from the edits the words point into.
    fn made(text: &str) -> Option<String> {
        let mut redaction = Redaction::default();
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let at = redaction.scan(text, utf16.len())?;
        assert_eq!(at, redaction.words.as_ptr());
        let words = &redaction.words;
        assert_eq!(words[0] as usize, redaction.edits.len());
        assert_eq!(words.len(), 1 + 5 * redaction.edits.len());
        let mut out = String::new();
        let mut from = 0;
        for (edit, made) in words[1..].chunks(5).zip(&redaction.edits) {
            let replacement = made.replacement.text();
            assert_eq!(
                edit[2] == REWRITTEN,
                !matches!(made.replacement, Replacement::Marker(_))
            );
            assert_eq!(edit[3], replacement.as_ptr() as u32);
            assert_eq!(edit[4] as usize, replacement.len());
            out.push_str(&String::from_utf16(&utf16[from..edit[0] as usize]).unwrap());
            out.push_str(replacement);
            from = edit[1] as usize;
        }
        out.push_str(&String::from_utf16(&utf16[from..]).unwrap());
        Some(out)
    }

    #[test]
    fn the_page_makes_the_same_text_from_the_edits() {
        for text in [
            "mail a@b.io or 555-123-4567, from 10.0.0.1",
            "é a@b.io 😀 at https://x.io/p?token=abc#f, 日本 555-123-4567 é",
            "😀😀 /home/ana/notes.txt and 4111 1111 1111 1111",
        ] {
            assert_eq!(made(text), Some(redact(text)), "{text}");
        }
    }

    #[test]
    fn a_clean_text_has_no_edits() {
        assert_eq!(made("café ✓ v1.2.3"), None);
    }

    #[test]
    fn a_marker_is_named_by_the_index_of_its_kind() {
        let mut redaction = Redaction::default();
        redaction.scan("a@b.io", 6);
        assert_eq!(redaction.words[3], Kind::Email as u32);
    }
}
