//! What a release name (and its distribution) may be: 1 to 200 characters, none of them a
//! control character. The SDK refuses others in its configuration; the collector in the paths of
//! its release file store.

/// Most characters in a release or distribution name.
pub const MAX_RELEASE_CHARS: usize = 200;

/// Whether `name` may name a release or a distribution.
pub fn is_release_name(name: &str) -> bool {
    is_printable(name, MAX_RELEASE_CHARS)
}

/// Whether `text` has 1 to `most` characters and no control character. Characters are counted as
/// the bytes that start one: `chars().count()` costs 0.4 KB gzipped more in wasm. Inline: called
/// across crates, it would cost the SDK 0.07 KB gzipped more.
#[inline]
pub fn is_printable(text: &str, most: usize) -> bool {
    let characters = text.bytes().filter(|b| b & 0xC0 != 0x80).count();
    (1..=most).contains(&characters) && !text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_two_hundred_characters_without_control_characters() {
        assert!(is_release_name("shop@1.4.2"));
        assert!(is_release_name(&"é".repeat(200)));
        assert!(!is_release_name(&"é".repeat(201)));
        assert!(!is_release_name(""));
        assert!(!is_release_name("a\nb"));
        assert!(!is_release_name("a\u{7f}"));
    }
}
