//! US social security numbers, payment card numbers and phone numbers.

use super::{byte, is_word, Found, Kind, Replacement};

#[inline(always)]
fn digits(bytes: &[u8], at: usize, count: usize) -> Option<u32> {
    // A plain loop: an iterator's fold is a call of its own at each of the seven call sites.
    let mut value = 0;
    for b in (at..at + count).map(|at| byte(bytes, at)) {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

/// True when the number continues past `end` (more digits, or a separator and a digit).
#[inline(always)]
fn continues(bytes: &[u8], end: usize) -> bool {
    let after = byte(bytes, end);
    is_word(after)
        || (matches!(after, b'-' | b'.' | b',' | b' ')
            && byte(bytes, end + 1).is_ascii_digit()
            && after != b' ')
}

fn starts_number(previous: u8) -> bool {
    !matches!(
        previous,
        b'.' | b'-' | b'+' | b',' | b'/' | b':' | b'$' | b'#'
    )
}

/// `AAA-GG-SSSS` (dashes, spaces or dots) with the ranges the SSA issues: area not 000, 666
/// or 900-999, group not 00, serial not 0000.
pub(crate) fn ssn(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if !starts_number(previous) {
        return None;
    }
    let separator = byte(bytes, start + 3);
    if !matches!(separator, b'-' | b' ' | b'.') || byte(bytes, start + 6) != separator {
        return None;
    }
    let area = digits(bytes, start, 3)?;
    let group = digits(bytes, start + 4, 2)?;
    let serial = digits(bytes, start + 7, 4)?;
    let end = start + 11;
    let valid = area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    (valid && !continues(bytes, end)).then_some(Found {
        end,
        replacement: Replacement::Marker(Kind::Ssn),
    })
}

/// Luhn's checksum over the digits, last digit being the check digit.
pub(crate) fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0;
    let mut doubled = false;
    for digit in digits.iter().rev() {
        let d = u32::from(*digit) * if doubled { 2 } else { 1 };
        sum += if d > 9 { d - 9 } else { d };
        doubled = !doubled;
    }
    sum % 10 == 0
}

/// Card issuers' number ranges: how many leading digits form the prefix, the prefix's range, and
/// the card lengths issued with it.
const ISSUERS: [(u32, u32, u32, usize, usize); 25] = [
    (1, 4, 4, 13, 13), // Visa
    (1, 4, 4, 16, 16),
    (1, 4, 4, 19, 19),
    (2, 51, 55, 16, 16),         // Mastercard
    (4, 2221, 2720, 16, 16),     // Mastercard 2-series
    (2, 50, 50, 12, 19),         // Maestro
    (2, 56, 59, 12, 19),         // Maestro
    (2, 60, 60, 12, 19),         // Maestro
    (2, 63, 63, 12, 19),         // Maestro
    (2, 66, 66, 12, 19),         // Maestro
    (2, 68, 69, 12, 19),         // Maestro
    (4, 2200, 2204, 16, 19),     // Mir
    (2, 34, 34, 15, 15),         // American Express
    (2, 37, 37, 15, 15),         // American Express
    (4, 3528, 3589, 16, 19),     // JCB
    (3, 300, 305, 14, 19),       // Diners Club
    (2, 36, 36, 14, 19),         // Diners Club
    (2, 38, 39, 14, 19),         // Diners Club
    (4, 6011, 6011, 16, 19),     // Discover
    (3, 644, 649, 16, 19),       // Discover
    (2, 65, 65, 16, 19),         // Discover
    (6, 622126, 622925, 16, 19), // Discover (UnionPay co-branded)
    (2, 62, 62, 16, 19),         // UnionPay
    (2, 67, 67, 16, 19),         // Maestro (UK)
    (1, 1, 1, 15, 15),           // UATP
];

/// Whether the number starts with an issuer prefix that issues cards of this length (see
/// [`ISSUERS`]). Timestamps and most ids start elsewhere, so they are not mistaken for cards
/// even when their Luhn sum happens to fit.
fn issuer_accepts(digits: &[u8]) -> bool {
    let length = digits.len();
    ISSUERS
        .iter()
        .any(|&(width, low, high, shortest, longest)| {
            let mut prefix = 0;
            for digit in digits.iter().take(width as usize) {
                prefix = prefix * 10 + u32::from(*digit);
            }
            (low..=high).contains(&prefix) && (shortest..=longest).contains(&length)
        })
}

/// 13 to 19 digits, optionally in groups separated by single spaces or dashes, that pass the
/// Luhn check and start with a card issuer's prefix. The longest valid grouping wins.
pub(crate) fn credit_card(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if !starts_number(previous) || !byte(bytes, start).is_ascii_digit() {
        return None;
    }
    let mut number = [0u8; 19];
    let mut count = 0;
    let mut at = start;
    let mut best = None;
    loop {
        let b = byte(bytes, at);
        if b.is_ascii_digit() {
            if count == number.len() {
                break; // 20 digits or more in a row: not a card (or not only a card)
            }
            if let Some(slot) = number.get_mut(count) {
                *slot = b - b'0';
            }
            count += 1;
            at += 1;
            continue;
        }
        let group_ends = !(is_word(b) || b == b'.' && byte(bytes, at + 1).is_ascii_digit());
        let candidate = number.get(..count).unwrap_or_default();
        if group_ends && count >= 13 && luhn_valid(candidate) && issuer_accepts(candidate) {
            best = Some(at);
        }
        if matches!(b, b' ' | b'-') && byte(bytes, at + 1).is_ascii_digit() {
            at += 1;
            continue;
        }
        break;
    }
    best.map(|end| Found {
        end,
        replacement: Replacement::Marker(Kind::CreditCard),
    })
}

fn is_phone_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.')
}

/// International numbers (`+` and 8 to 15 digits in groups), US numbers (`(555) 123-4567`,
/// `555-123-4567`, `555.123.4567`, `1 555 123 4567`) and national numbers with a trunk 0
/// (`062-555-2677`, `030 1234 5678`, `(0)20 7946 0958`, `01 23 45 67 89`), never digits
/// without separators.
pub(crate) fn phone(bytes: &[u8], start: usize, previous: u8) -> Option<Found> {
    if !starts_number(previous) {
        return None;
    }
    let end = if byte(bytes, start) == b'+' {
        international(bytes, start)?
    } else {
        national(bytes, start).or_else(|| north_american(bytes, start))?
    };
    (!continues(bytes, end)).then_some(Found {
        end,
        replacement: Replacement::Marker(Kind::Phone),
    })
}

fn international(bytes: &[u8], start: usize) -> Option<usize> {
    if !matches!(byte(bytes, start + 1), b'1'..=b'9') {
        return None;
    }
    let mut at = start + 1;
    let mut count = 0;
    let mut end = at;
    let mut separators = 0;
    loop {
        let b = byte(bytes, at);
        if b.is_ascii_digit() {
            count += 1;
            if count > 15 {
                return None;
            }
            at += 1;
            end = at;
        } else if separators < 6 && (is_phone_separator(b) || b == b'(' || b == b')') {
            let next = byte(bytes, at + 1);
            let joined = next.is_ascii_digit()
                || (b != b'(' && next == b'(')
                || (b == b')' && is_phone_separator(next));
            if !joined {
                break;
            }
            separators += 1;
            at += 1;
        } else {
            break;
        }
    }
    (count >= 8).then_some(end)
}

/// A number dialled within its country: a trunk 0 and an area code not starting with 0 (or
/// `(0)` before the area code, as written after a country code), 9 to 11 digits in at least
/// three groups joined by one kind of separator; the first group of 2 to 5 digits (1 to 5
/// after `(0)`), the others 2 to 4. Dates (8 digits) and versions (a group of one) are too
/// short.
fn national(bytes: &[u8], start: usize) -> Option<usize> {
    let bracketed = super::starts_with(bytes, start, b"(0)");
    // The area code after the trunk 0 does not start with 0 (`00` dials abroad).
    if !bracketed && (byte(bytes, start) != b'0' || byte(bytes, start + 1) == b'0') {
        return None;
    }
    let mut at = start;
    if bracketed {
        at += if byte(bytes, start + 3) == b' ' { 4 } else { 3 };
    }
    let (mut digits, mut groups, mut separator) = (usize::from(bracketed), 0, 0);
    loop {
        let group_start = at;
        while byte(bytes, at).is_ascii_digit() {
            at += 1;
        }
        let width = at - group_start;
        let least = if groups == 0 && bracketed { 1 } else { 2 };
        let most = if groups > 0 { 4 } else { 5 };
        if !(least..=most).contains(&width) {
            return None;
        }
        digits += width;
        groups += 1;
        let b = byte(bytes, at);
        let joined = is_phone_separator(b) && byte(bytes, at + 1).is_ascii_digit();
        if !joined || (separator != 0 && separator != b) {
            break;
        }
        separator = b;
        at += 1;
    }
    (groups >= 3 && (9..=11).contains(&digits)).then_some(at)
}

fn north_american(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    if byte(bytes, at) == b'1' && is_phone_separator(byte(bytes, at + 1)) {
        at += 2;
    }
    if byte(bytes, at) == b'(' {
        digits(bytes, at + 1, 3)?;
        if byte(bytes, at + 4) != b')' || !matches!(byte(bytes, at + 1), b'2'..=b'9') {
            return None;
        }
        at += 5;
        if is_phone_separator(byte(bytes, at)) {
            at += 1;
        }
    } else {
        digits(bytes, at, 3)?;
        if !matches!(byte(bytes, at), b'2'..=b'9') || !is_phone_separator(byte(bytes, at + 3)) {
            return None;
        }
        at += 4;
    }
    digits(bytes, at, 3)?;
    let separator = byte(bytes, at + 3);
    if !is_phone_separator(separator) {
        return None;
    }
    digits(bytes, at + 4, 4)?;
    Some(at + 8)
}

#[cfg(test)]
mod tests {
    use super::super::clean;
    use super::luhn_valid;

    #[test]
    fn luhn_matches_known_numbers() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<alloc::vec::Vec<_>>();
        assert!(luhn_valid(&digits("4111111111111111")));
        assert!(luhn_valid(&digits("378282246310005")));
        assert!(!luhn_valid(&digits("4111111111111112")));
    }

    #[test]
    fn test_cards_of_every_major_network_are_redacted() {
        for card in [
            "4111111111111111",
            "4111-1111-1111-1111",
            "4111 1111 1111 1111",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "6200000000000005",
            "4012888888881881",
            // UATP, which starts with 1 and has 15 digits.
            "122000000000003",
            "1220 000000 00003",
        ] {
            assert_eq!(
                clean(&["pay ", card, " now"].concat()),
                "pay [REDACTED_CREDIT_CARD] now",
                "{card}"
            );
        }
    }

    #[test]
    fn numbers_that_are_not_cards_survive() {
        for text in [
            "1700000000000",
            "ts 1712345678901",
            "order 4111111111111112",
            "id 12345678901234567890",
            "4111111111111111111111",
            "price 4111.11",
            "9999999999999995",
            "2024-01-15T10:30:00Z",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn ssns_follow_issuing_rules() {
        assert_eq!(clean("ssn: 123-45-6789"), "ssn: [REDACTED_SSN]");
        assert_eq!(clean("123 45 6789"), "[REDACTED_SSN]");
        assert_eq!(clean("ssn 078.05.1123."), "ssn [REDACTED_SSN].");
        for text in [
            "078.05-1123",
            "078.05.11234",
            "1.078.05.1123",
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "2023-45-6789",
            "123-45-67890",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn phone_numbers_in_us_and_international_forms() {
        for phone in [
            "(555) 123-4567",
            "555-123-4567",
            "555.123.4567",
            "1-555-123-4567",
            "+1 555 123 4567",
            "+15551234567",
            "+44 20 7946 0958",
            "+49 (30) 901820",
            "+33 1 23 45 67 89",
            "+81-3-1234-5678",
            // National numbers, with their trunk 0.
            "062-555-2677",
            "030 1234 5678",
            "(0)20 7946 0958",
            "(0) 20 7946 0958",
            "01 23 45 67 89",
            "020.7946.0958",
            "044 668 18 00",
            "02 123 45 67",
        ] {
            assert_eq!(
                clean(&["tel ", phone, "."].concat()),
                "tel [REDACTED_PHONE].",
                "{phone}"
            );
        }
    }

    #[test]
    fn dates_prices_versions_and_counts_are_not_phones() {
        for text in [
            "2024-01-15",
            "5551234567",
            "$1,234.56",
            "1.2.3",
            "+12",
            "v10.15.7",
            "123-456-78901",
            "12:30:45",
            "0.5",
            "+1 555",
            "page 2 of 10",
            "100-200-300",
            // Look-alikes of national numbers: dates, versions, codes, mixed separators, and
            // numbers too short, too long or dialling abroad.
            "05.01.2024",
            "01-02-2024",
            "0.12.3456",
            "0123 4567 8901",
            "000-12-3456",
            "062-555 2677",
            "062-55-26",
            "0621 12345 678",
            "HTTP/1.1 404 Not Found",
            "HTTP/2 200",
        ] {
            assert_eq!(clean(text), text);
        }
    }
}
