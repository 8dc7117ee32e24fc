//! Substring search by bytes. `str::find` and `str::contains` with a `&str` pattern link the
//! standard library's two-way searcher and its slice-error formatting (with Unicode tables),
//! about 7 KB of wasm; the needles here are short and ASCII, so a plain scan does.

/// The byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `haystack` split around the first `needle`.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(haystack, needle)?;
    Some((haystack.get(..at)?, haystack.get(at + needle.len()..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_like_the_standard_library() {
        for (haystack, needle) in [
            ("at fn (a.js:1:2)", " ("),
            ("/app/node_modules/x.js", "/node_modules/"),
            ("é (é", " ("),
            ("abc", "abcd"),
            ("", "x"),
            ("x", ""),
            ("aaab", "aab"),
        ] {
            assert_eq!(
                find(haystack, needle),
                haystack.find(needle),
                "{haystack} {needle}"
            );
            assert_eq!(contains(haystack, needle), haystack.contains(needle));
            assert_eq!(split_once(haystack, needle), haystack.split_once(needle));
        }
    }
}
