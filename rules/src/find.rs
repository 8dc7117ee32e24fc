//! Substring search by bytes. `str::find` and `str::contains` with a `&str` pattern link the
//! standard library's two-way searcher and its slice-error formatting (with Unicode tables),
//! about 7 KB of wasm, and a `char` pattern links its own searchers; the needles here are short
//! and ASCII, so a plain scan does.

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

/// The byte offset of the last `needle` in `haystack`.
pub fn rfind(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(haystack.len());
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .rposition(|window| window == needle)
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

/// `haystack` split around the last `needle`.
pub fn rsplit_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = rfind(haystack, needle)?;
    Some((haystack.get(..at)?, haystack.get(at + needle.len()..)?))
}

/// The pieces of `haystack` between the occurrences of `needle` (a non-empty needle).
pub fn split<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> {
    let mut rest = Some(haystack);
    core::iter::from_fn(move || {
        let text = rest?;
        match split_once(text, needle) {
            Some((piece, after)) => {
                rest = Some(after);
                Some(piece)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
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
            assert_eq!(rfind(haystack, needle), haystack.rfind(needle));
            assert_eq!(rsplit_once(haystack, needle), haystack.rsplit_once(needle));
        }
        for (haystack, needle) in [
            ("a&b&&c", "&"),
            ("", "&"),
            ("&", "&"),
            ("x", " > "),
            ("a > b", " > "),
        ] {
            let ours: std::vec::Vec<&str> = split(haystack, needle).collect();
            let theirs: std::vec::Vec<&str> = haystack.split(needle).collect();
            assert_eq!(ours, theirs, "{haystack:?}");
        }
    }
}
