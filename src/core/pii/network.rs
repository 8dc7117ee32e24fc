//! URLs (minimised), email addresses, IP addresses and MAC addresses.

use super::{
    byte, is_word, redact_with, starts_with_ignore_case, Found, Kind, Replacement, Rules, Scope,
};
use alloc::string::String;

/// Longest URL examined; longer ones are cut there (the rest is scanned as plain text).
const MAX_URL: usize = 4096;

fn ends_url(b: u8) -> bool {
    b <= b' '
        || matches!(
            b,
            b'"' | b'\'' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^' | b')' | b']'
        )
}

/// An `http(s)://` URL, rewritten to keep scheme, host and path (itself redacted) while
/// dropping credentials and the fragment and replacing query values that are not allow-listed.
pub(crate) fn url(text: &str, start: usize, rules: &Rules) -> Option<Found> {
    let bytes = text.as_bytes();
    let scheme_end = if starts_with_ignore_case(bytes, start, b"https://") {
        start + 8
    } else if starts_with_ignore_case(bytes, start, b"http://") {
        start + 7
    } else {
        return None;
    };
    // A `]` ends the URL unless it closes a `[` inside it: an IPv6 host (`http://[::1]/`), or a
    // marker this scanner wrote (`?q=[REDACTED]`), so that redacting twice changes nothing.
    let mut end = scheme_end;
    let mut open = false;
    while end < start + MAX_URL {
        match byte(bytes, end) {
            b'[' => open = true,
            b']' if open => open = false,
            b if ends_url(b) => break,
            _ => {}
        }
        end += 1;
    }
    while end > scheme_end
        && matches!(
            byte(bytes, end - 1),
            b'.' | b',' | b';' | b':' | b'!' | b'?'
        )
    {
        end -= 1;
    }
    let text = text.get(start..end)?;
    let rewritten = minimise_url(text, scheme_end - start, rules);
    let replacement = if rewritten == text {
        Replacement::Keep
    } else {
        Replacement::Text(rewritten)
    };
    Some(Found { end, replacement })
}

fn minimise_url(url: &str, authority_start: usize, rules: &Rules) -> String {
    let bytes = url.as_bytes();
    // The first `wanted` byte in `from..to` (`to` when there is none).
    let first = |wanted: u8, from: usize, to: usize| {
        (from..to)
            .find(|at| byte(bytes, *at) == wanted)
            .unwrap_or(to)
    };
    let part = |from: usize, to: usize| url.get(from..to).unwrap_or_default();
    let fragment = first(b'#', 0, url.len());
    let query = first(b'?', 0, fragment);
    let path = first(b'/', authority_start, query);
    let host = (authority_start..path)
        .rfind(|at| byte(bytes, *at) == b'@')
        .map_or(authority_start, |at| at + 1);
    let mut out = String::with_capacity(url.len());
    out.push_str(part(0, authority_start));
    push_redacted(&mut out, part(host, path), rules);
    push_redacted(&mut out, part(path, query), rules);
    if query < fragment {
        out.push('?');
        let mut pair = query + 1;
        while pair <= fragment {
            let end = first(b'&', pair, fragment);
            let equals = first(b'=', pair, end);
            let key = part(pair, equals);
            if pair > query + 1 {
                out.push('&');
            }
            push_redacted(&mut out, key, rules);
            if equals < end {
                out.push('=');
                let value = part(equals + 1, end);
                if rules
                    .allowed_query_params
                    .iter()
                    .any(|allowed| allowed == key)
                {
                    push_redacted(&mut out, value, rules);
                } else if !value.is_empty() {
                    out.push_str("[REDACTED]");
                }
            }
            pair = end + 1;
        }
    }
    out
}

fn push_redacted(out: &mut String, text: &str, rules: &Rules) {
    match redact_with(text, rules, Scope::UrlPart) {
        Some(redacted) => out.push_str(&redacted),
        None => out.push_str(text),
    }
}

fn is_local_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `local@domain.tld`: a local part of at most 64 bytes, at least two domain labels of at most
/// 63 bytes, and a top-level domain of two or more letters or an internationalised one
/// (`xn--…`).
pub(crate) fn email(bytes: &[u8], start: usize) -> Option<Found> {
    let mut at = start;
    while at < start + 64 && is_local_part(byte(bytes, at)) {
        at += 1;
    }
    if at == start || byte(bytes, at) != b'@' || byte(bytes, start) == b'.' {
        return None;
    }
    let mut end = at + 1;
    let mut labels = 0;
    let mut last_label_alpha = false;
    loop {
        let label_start = end;
        let mut alpha = true;
        while end - label_start < 63
            && (byte(bytes, end).is_ascii_alphanumeric() || byte(bytes, end) == b'-')
        {
            alpha &= byte(bytes, end).is_ascii_alphabetic();
            end += 1;
        }
        if end == label_start {
            end = label_start.saturating_sub(1).max(at + 1); // give back a trailing dot
            break;
        }
        labels += 1;
        // A top-level domain is letters, or an internationalised one in its ASCII form.
        last_label_alpha = (alpha && end - label_start >= 2)
            || (end - label_start >= 5 && starts_with_ignore_case(bytes, label_start, b"xn--"));
        if byte(bytes, end) != b'.' || end - at > 253 {
            break;
        }
        end += 1;
    }
    (labels >= 2 && last_label_alpha && !is_word(byte(bytes, end))).then_some(Found {
        end,
        replacement: Replacement::Marker(Kind::Email),
    })
}

#[inline(always)]
fn octet(bytes: &[u8], at: usize) -> Option<usize> {
    let mut end = at;
    let mut value = 0u32;
    while end < at + 3 {
        let digit = byte(bytes, end).wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value * 10 + u32::from(digit);
        end += 1;
    }
    (end > at && value <= 255).then_some(end)
}

/// What replaces an IP address: loopback addresses identify nobody and stay.
fn ip_replacement(bytes: &[u8], start: usize, end: usize) -> Replacement {
    let loopback = bytes
        .get(start..end)
        .is_some_and(|ip| ip.starts_with(b"127.") || ip == b"::1");
    if loopback {
        Replacement::Keep
    } else {
        Replacement::Marker(Kind::IpAddress)
    }
}

/// A dotted-quad IPv4 address with octets up to 255, not part of a longer number.
pub(crate) fn ipv4(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if previous == b'.' || !byte(bytes, start).is_ascii_digit() {
        return None;
    }
    let end = ipv4_end(bytes, start)?;
    let after = byte(bytes, end);
    let continues = is_word(after) || (after == b'.' && byte(bytes, end + 1).is_ascii_digit());
    (!continues).then_some(Found {
        end,
        replacement: ip_replacement(bytes, start, end),
    })
}

#[inline(always)]
fn ipv4_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = octet(bytes, start)?;
    for _ in 0..3 {
        if byte(bytes, end) != b'.' {
            return None;
        }
        end = octet(bytes, end + 1)?;
    }
    Some(end)
}

/// A MAC address: six pairs of hex digits joined by `:` or by `-` (IEEE 802), or three groups
/// of four joined by `.` (as Cisco writes them), not part of a longer sequence.
pub(crate) fn mac(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if matches!(previous, b':' | b'-' | b'.') {
        return None;
    }
    let separator = byte(bytes, start + 2);
    let (groups, width, separator) = if matches!(separator, b':' | b'-') {
        (6, 2, separator)
    } else if byte(bytes, start + 4) == b'.' {
        (3, 4, b'.')
    } else {
        return None;
    };
    let mut at = start;
    for group in 1..=groups {
        for _ in 0..width {
            if !byte(bytes, at).is_ascii_hexdigit() {
                return None;
            }
            at += 1;
        }
        if group < groups {
            if byte(bytes, at) != separator {
                return None;
            }
            at += 1;
        }
    }
    let after = byte(bytes, at);
    let continues = is_word(after)
        || (matches!(after, b':' | b'-' | b'.') && byte(bytes, at + 1).is_ascii_hexdigit());
    (!continues).then_some(Found {
        end: at,
        replacement: Replacement::Marker(Kind::Mac),
    })
}

/// An IPv6 address: eight groups of up to four hex digits, or fewer with one `::`, optionally
/// ending in a dotted IPv4 address.
pub(crate) fn ipv6(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if previous == b':' || previous == b'.' {
        return None;
    }
    // A first group has at most four hex digits before its colon.
    let first_colon = (0..5).find(|i| !byte(bytes, start + i).is_ascii_hexdigit());
    if first_colon.is_none_or(|i| byte(bytes, start + i) != b':') {
        return None;
    }
    let mut end = start;
    while end < start + 46
        && (byte(bytes, end).is_ascii_hexdigit() || matches!(byte(bytes, end), b':' | b'.'))
    {
        end += 1;
    }
    while end > start && byte(bytes, end - 1) == b'.' {
        end -= 1;
    }
    if end - start > 45 || is_word(byte(bytes, end)) || byte(bytes, end) == b':' {
        return None;
    }
    is_ipv6(bytes, start, end).then_some(Found {
        end,
        replacement: ip_replacement(bytes, start, end),
    })
}

fn is_ipv6(bytes: &[u8], start: usize, end: usize) -> bool {
    let mut groups = 0;
    let mut compressed = false;
    let mut hex_digits = 0;
    let mut at = start;
    if byte(bytes, at) == b':' {
        if byte(bytes, at + 1) != b':' {
            return false;
        }
        compressed = true;
        at += 2;
    }
    while at < end {
        let group_start = at;
        while at < end && byte(bytes, at).is_ascii_hexdigit() {
            at += 1;
        }
        let length = at - group_start;
        if byte(bytes, at) == b'.' && at < end {
            // An embedded IPv4 tail counts as two groups and must end the address.
            return ipv4_end(bytes, group_start) == Some(end)
                && groups + 2 <= if compressed { 7 } else { 8 }
                && (compressed || groups + 2 == 8);
        }
        if length == 0 || length > 4 {
            return false;
        }
        hex_digits += length;
        groups += 1;
        if at == end {
            break;
        }
        // `at` is at a colon.
        at += 1;
        if byte(bytes, at) == b':' {
            if compressed {
                return false;
            }
            compressed = true;
            at += 1;
        } else if at == end {
            return false;
        }
    }
    let count_ok = if compressed { groups <= 7 } else { groups == 8 };
    count_ok && hex_digits > 0
}

#[cfg(test)]
mod tests {
    use super::super::{clean, redact, Rules};
    use alloc::vec;

    #[test]
    fn emails_in_many_shapes() {
        for email in [
            "a@b.co",
            "john.smith@example.com",
            "x_y-z+tag@sub.mail.example.org",
            "UPPER@EXAMPLE.IO",
            "o'brien@x.io",
        ] {
            let out = clean(&["<", email, ">"].concat());
            assert!(!out.contains('@'), "{email} -> {out}");
        }
        assert_eq!(clean("write to a@b.com."), "write to [REDACTED_EMAIL].");
        // Internationalised top-level domains, in their ASCII form.
        assert_eq!(clean("a@xn--d1acufc.xn--p1ai"), "[REDACTED_EMAIL]");
        assert_eq!(clean("ana@example.XN--80ASEHDB!"), "[REDACTED_EMAIL]!");
        assert_eq!(clean("a@b.xn--"), "a@b.xn--");
    }

    #[test]
    fn things_that_are_not_emails_survive() {
        for text in [
            "@handle",
            "a@b",
            "user@localhost",
            "x@1.2",
            "foo@bar.c",
            "npm i pkg@1.2.3",
            "@scope/pkg@2.0.0",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn ipv4_addresses_but_not_versions_or_big_octets() {
        assert_eq!(clean("host 10.0.0.255 up"), "host [REDACTED_IP_ADDRESS] up");
        assert_eq!(clean("255.255.255.0"), "[REDACTED_IP_ADDRESS]");
        for text in [
            "v1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3",
            "version 10.15.7",
            "3.14159",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn ipv6_addresses_in_full_compressed_and_mapped_forms() {
        for ip in [
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "fe80::1",
            "::2",
            "2001:db8::",
            "::ffff:192.0.2.128",
            "2001:db8:0:0:1:0:0:1",
        ] {
            assert_eq!(
                clean(&["ip ", ip, " ok"].concat()),
                "ip [REDACTED_IP_ADDRESS] ok",
                "{ip}"
            );
        }
    }

    #[test]
    fn loopback_addresses_identify_nobody_and_stay() {
        for text in [
            "http://127.0.0.1:8080/x",
            "bind 127.0.0.1",
            "[::1]:3000",
            "127.1.2.3",
        ] {
            assert_eq!(clean(text), text);
        }
        assert_eq!(clean("bind 10.0.0.1"), "bind [REDACTED_IP_ADDRESS]");
    }

    #[test]
    fn macs_in_ieee_colon_and_dotted_forms_are_redacted() {
        for mac in super::super::tests::standard("mac.valid") {
            let mac = mac.as_str().expect("a string");
            assert_eq!(
                clean(&["device ", mac, "."].concat()),
                "device [REDACTED_MAC]."
            );
        }
        for text in super::super::tests::standard("mac.invalid") {
            let text = text.as_str().expect("a string");
            assert!(!clean(text).contains("[REDACTED_MAC]"), "{text}");
        }
        for text in [
            "at 12:30:45",
            "2024-01-15",
            "ab-cd-ef",
            "v1.2.3",
            "00:00:00.000",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn times_macs_and_code_are_not_ipv6() {
        assert_eq!(clean("00:1a:2b:3c:4d:5e"), "[REDACTED_MAC]");
        for text in [
            "at 12:30:45",
            "std::vector",
            "a:b:c",
            "1:2:3:4:5:6:7:8:9",
            "fe80:::1",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn urls_lose_credentials_query_values_and_fragments() {
        assert_eq!(
            clean("see https://bob:pw@shop.example/cart?id=42&token=abc#section now"),
            "see https://shop.example/cart?id=[REDACTED]&token=[REDACTED] now"
        );
        let rules = Rules {
            allowed_query_params: vec!["page".into()],
        };
        assert_eq!(
            redact("http://x.io/list?page=2&q=secret", &rules).unwrap(),
            "http://x.io/list?page=2&q=[REDACTED]"
        );
        assert_eq!(clean("https://x.io/a/b"), "https://x.io/a/b");
        assert_eq!(
            clean("(https://x.io/p?q=1)."),
            "(https://x.io/p?q=[REDACTED])."
        );
        assert_eq!(
            clean("[https://x.io/p?q=1]"),
            "[https://x.io/p?q=[REDACTED]]"
        );
        assert_eq!(
            clean("http://[2001:db8::1]:8080/a?b=1"),
            "http://[[REDACTED_IP_ADDRESS]]:8080/a?b=[REDACTED]"
        );
    }

    #[test]
    fn redacting_a_redacted_url_changes_nothing() {
        let rules = Rules {
            allowed_query_params: vec!["page".into()],
        };
        for text in [
            "https://app.example/static/app.js?v=3",
            "see https://bob:pw@shop.example/cart?id=42&page=a@b.co#x now",
            "https://api.example/users/jane@example.com/orders?q=1",
            "[https://x.io/p?q=1] and (http://[::1]/x?y=2)",
        ] {
            let once = redact(text, &rules).unwrap();
            assert_eq!(redact(&once, &rules), None, "{text} -> {once}");
        }
    }

    #[test]
    fn pii_inside_url_paths_is_redacted_too() {
        assert_eq!(
            clean("https://api.example/users/jane@example.com/orders"),
            "https://api.example/users/[REDACTED_EMAIL]/orders"
        );
        assert_eq!(
            clean("http://192.168.0.7:8080/x"),
            "http://[REDACTED_IP_ADDRESS]:8080/x"
        );
    }
}
