//! Which requests carry the trace headers (`tracePropagationTargets`): by default only the
//! page's own origin, so that no third-party request gets a header that would make the browser
//! send a CORS preflight.

use crate::core::config::is_endpoint;
use alloc::string::String;

/// One string entry of `tracePropagationTargets` (RegExp entries are tested by the platform,
/// which passes the result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `https://api.example.com`: requests to exactly that origin.
    Origin(String),
    /// `https://api.example.com/v1/`: absolute URLs starting with it.
    Prefix(String),
    /// `/api/`: requests to the page's own origin whose path starts with it.
    Path(String),
}

/// What `tracePropagationTargets` holds, as its configuration error says.
pub const TARGET_RULE: &str =
    "an array of RegExps, origins or URL prefixes (https://api.example.com, https://api.example.com/v1/, /api/)";

/// The scheme and authority of an absolute `http(s)` URL, and what follows them.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let starts = |scheme: &str| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    };
    let scheme_end = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        return None;
    };
    // `get`, not indexing: a `str` index links its panic message, with Unicode tables.
    let end = url
        .bytes()
        .skip(scheme_end)
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .map_or(url.len(), |at| scheme_end + at);
    let origin = url.get(..end).filter(|_| end > scheme_end)?;
    Some((origin, url.get(end..)?))
}

/// An origin as browsers write it: lower case, without the scheme's default port.
fn normalised(origin: &str) -> String {
    let mut lower = origin.to_ascii_lowercase();
    for (scheme, port) in [("http://", ":80"), ("https://", ":443")] {
        if lower.starts_with(scheme) && lower.ends_with(port) {
            lower.truncate(lower.len() - port.len());
            break;
        }
    }
    lower
}

impl Target {
    /// Reads a string entry, one the configuration accepted (an absolute http(s) URL or a path
    /// starting with '/', without whitespace: the endpoint's rule); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        if !is_endpoint(text) {
            return None;
        }
        if text.starts_with('/') {
            return Some(Target::Path(String::from(text)));
        }
        // An accepted URL without a host (`https://?q`) is a prefix no request has.
        let Some((origin, rest)) = split_origin(text) else {
            return Some(Target::Prefix(String::from(text)));
        };
        Some(if rest.is_empty() || rest == "/" {
            Target::Origin(normalised(origin))
        } else {
            Target::Prefix(normalised(origin) + rest)
        })
    }

    /// Whether a request to absolute `url` from a page at `page_origin` matches.
    fn matches(&self, url: &str, page_origin: &str) -> bool {
        let Some((origin, rest)) = split_origin(url) else {
            return false;
        };
        let origin = normalised(origin);
        match self {
            Target::Origin(target) => origin == *target,
            Target::Prefix(prefix) => (origin + rest).starts_with(prefix.as_str()),
            Target::Path(path) => {
                origin == normalised(page_origin) && rest.starts_with(path.as_str())
            }
        }
    }
}

/// Whether a request to absolute `url` from a page at `page_origin` carries the headers:
/// with no `targets` configured, when it goes to the page's origin; otherwise when a string
/// target (read as [`Target::parse`] reads it) matches or `regexp_matched` (a RegExp target
/// matched, as the platform tested it).
pub fn propagates(
    url: &str,
    page_origin: &str,
    targets: Option<&[String]>,
    regexp_matched: bool,
) -> bool {
    match targets {
        None => Target::Origin(normalised(page_origin)).matches(url, page_origin),
        Some(targets) => {
            regexp_matched
                || targets
                    .iter()
                    .any(|t| Target::parse(t).is_some_and(|t| t.matches(url, page_origin)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://127.0.0.1:8080";

    fn targets(entries: &[&str]) -> Vec<String> {
        entries.iter().map(|e| String::from(*e)).collect()
    }

    #[test]
    fn by_default_only_the_pages_own_origin_gets_the_headers() {
        assert!(propagates("http://127.0.0.1:8080/api/x", PAGE, None, false));
        assert!(!propagates(
            "http://127.0.0.1:9090/api/x",
            PAGE,
            None,
            false
        ));
        assert!(!propagates("https://127.0.0.1:8080/", PAGE, None, false));
        assert!(!propagates(
            "https://cdn.example.com/x.js",
            PAGE,
            None,
            false
        ));
        assert!(!propagates("data:text/plain,hi", PAGE, None, false));
    }

    #[test]
    fn origins_match_exactly_and_prefixes_from_the_start() {
        let list = targets(&[
            "http://127.0.0.1:9090",
            "https://API.Example.com:443/",
            "https://example.org/v1/",
        ]);
        assert_eq!(
            Target::parse(&list[1]),
            Some(Target::Origin("https://api.example.com".into()))
        );
        assert!(propagates(
            "http://127.0.0.1:9090/anything?q=1",
            PAGE,
            Some(&list),
            false
        ));
        assert!(propagates(
            "https://api.example.com/x",
            PAGE,
            Some(&list),
            false
        ));
        assert!(propagates(
            "https://example.org/v1/items",
            PAGE,
            Some(&list),
            false
        ));
        // A longer host or another port is another origin; a shorter path is not the prefix.
        assert!(!propagates(
            "http://127.0.0.1:90901/",
            PAGE,
            Some(&list),
            false
        ));
        assert!(!propagates(
            "https://api.example.com.evil.net/",
            PAGE,
            Some(&list),
            false
        ));
        assert!(!propagates(
            "https://example.org/v2/items",
            PAGE,
            Some(&list),
            false
        ));
        // Naming targets replaces the default: the page's origin is not added.
        assert!(!propagates(
            "http://127.0.0.1:8080/api",
            PAGE,
            Some(&list),
            false
        ));
    }

    #[test]
    fn paths_match_on_the_pages_origin_and_regexps_as_the_platform_tested_them() {
        let list = targets(&["/api/"]);
        assert!(propagates(
            "http://127.0.0.1:8080/api/users",
            PAGE,
            Some(&list),
            false
        ));
        assert!(!propagates(
            "http://127.0.0.1:8080/static/app.js",
            PAGE,
            Some(&list),
            false
        ));
        assert!(!propagates(
            "http://127.0.0.1:9090/api/users",
            PAGE,
            Some(&list),
            false
        ));
        assert!(propagates(
            "https://anywhere.example/",
            PAGE,
            Some(&[]),
            true
        ));
        assert!(
            !propagates("http://127.0.0.1:8080/", PAGE, Some(&[]), false),
            "[] turns it off"
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "//cdn.example.com",
            "ftp://x",
            "https://",
            "example.com/api",
            "htéps://x",
        ] {
            assert_eq!(Target::parse(bad), None, "{bad}");
            assert!(!is_endpoint(bad), "the configuration refuses {bad}");
        }
        for good in [
            "/api/",
            "http://a.test:80",
            "https://a.test/v1/",
            "https://?q",
        ] {
            assert!(is_endpoint(good) && Target::parse(good).is_some(), "{good}");
        }
    }
}
