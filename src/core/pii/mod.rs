//! Pattern-based PII redaction in guaranteed linear time.
//!
//! The scanner walks the text once. Detectors start only at token boundaries and either look at
//! a bounded window (emails, phone numbers, cards, IP addresses) or at one run of token
//! characters that is never examined twice (secrets, paths, URLs), so hostile input cannot make
//! it backtrack: the work is O(n) with a small constant.

/// The table of `$of(b)` for every byte `b`, built at compile time.
macro_rules! byte_table {
    ($of:ident) => {{
        let mut table = [0; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = $of(b as u8);
            b += 1;
        }
        table
    }};
}

mod iban;
mod network;
mod numbers;
mod paths;
mod secrets;
mod wallets;

use alloc::string::String;
use alloc::vec::Vec;

/// The kinds of personal data the scanner replaces, each with its `[REDACTED_<TYPE>]` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An email address.
    Email,
    /// A phone number (US or E.164).
    Phone,
    /// A US social security number.
    Ssn,
    /// A Luhn-valid payment card number.
    CreditCard,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A secret: JWT, bearer token, known key prefix or long high-entropy token.
    ApiKey,
    /// An IBAN with a valid checksum.
    Iban,
    /// A Bitcoin or Ethereum wallet address (Bitcoin's with a valid checksum).
    Crypto,
    /// A MAC address, which identifies a device.
    Mac,
}

impl Kind {
    /// The replacement written in place of the match.
    pub fn marker(self) -> &'static str {
        match self {
            Self::Email => "[REDACTED_EMAIL]",
            Self::Phone => "[REDACTED_PHONE]",
            Self::Ssn => "[REDACTED_SSN]",
            Self::CreditCard => "[REDACTED_CREDIT_CARD]",
            Self::IpAddress => "[REDACTED_IP_ADDRESS]",
            Self::ApiKey => "[REDACTED_API_KEY]",
            Self::Iban => "[REDACTED_IBAN]",
            Self::Crypto => "[REDACTED_CRYPTO]",
            Self::Mac => "[REDACTED_MAC]",
        }
    }
}

/// What replaces a match.
pub(crate) enum Replacement {
    /// The marker of a kind of PII.
    Marker(Kind),
    /// Rewritten text (a URL without query values, a path reduced to its file name).
    Text(String),
    /// The match needs no change; the scanner skips it so it is never examined twice.
    Keep,
}

impl Replacement {
    /// The text written in place of the match (none for [`Replacement::Keep`]).
    pub(crate) fn text(&self) -> &str {
        match self {
            Self::Marker(kind) => kind.marker(),
            Self::Text(text) => text,
            Self::Keep => "",
        }
    }
}

/// A change the scanner makes: the bytes `start..end` of the text become `replacement`, never
/// [`Replacement::Keep`].
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: Replacement,
}

/// A detector's verdict: the match ends at `end` (exclusive) and is replaced by `replacement`.
pub(crate) struct Found {
    pub end: usize,
    pub replacement: Replacement,
}

impl Found {
    /// A value of `kind` whose checksum was verified (`valid`) ends at `end`; a look-alike
    /// whose checksum fails is kept whole, so its parts are not taken for other values.
    pub(crate) fn checked(end: usize, kind: Kind, valid: bool) -> Found {
        let replacement = if valid {
            Replacement::Marker(kind)
        } else {
            Replacement::Keep
        };
        Found { end, replacement }
    }
}

/// Options of one redaction pass.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Query parameters whose values survive URL minimisation (exact names).
    pub allowed_query_params: Vec<String>,
}

/// The byte at `index`, or 0 past the end (0 is a boundary for every detector). Detectors read
/// the text only through this function, so tests can count the work a scan does. Inlined at
/// its hundred call sites, which costs 0.4 KB gzipped: out of line, its cost depends on whether
/// the engine inlines it, and V8 inlines a wasm call by how often it ran before the function
/// was optimised. In a page whose first redacted strings were short and clean, as most event
/// strings are, it did not, and dense text was redacted 10 to 15% slower.
#[inline(always)]
pub(crate) fn byte(text: &[u8], index: usize) -> u8 {
    #[cfg(test)]
    tests::READS.with(|reads| reads.set(reads.get() + 1));
    text.get(index).copied().unwrap_or(0)
}

/// Whether `prefix` occurs at `start`.
#[inline(always)]
pub(crate) fn starts_with(bytes: &[u8], start: usize, prefix: &[u8]) -> bool {
    // Plain loops here and below: `all` is a call of its own at each call site.
    for (i, p) in prefix.iter().enumerate() {
        if byte(bytes, start + i) != *p {
            return false;
        }
    }
    true
}

/// Whether `prefix` occurs at `start`, ignoring ASCII case.
#[inline(always)]
pub(crate) fn starts_with_ignore_case(bytes: &[u8], start: usize, prefix: &[u8]) -> bool {
    for (i, p) in prefix.iter().enumerate() {
        if !byte(bytes, start + i).eq_ignore_ascii_case(p) {
            return false;
        }
    }
    true
}

/// True for bytes that continue a word, so a detector must not start right after them.
#[inline(always)]
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Redacts every detected piece of PII in `text`. Returns `None` when nothing changed, so the
/// common case allocates nothing.
pub fn redact(text: &str, rules: &Rules) -> Option<String> {
    redact_with(text, rules, Scope::Text)
}

/// Where a scan runs: free text, or a part of a URL (where URLs and file paths cannot start).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Text,
    UrlPart,
}

/// [`redact`] in `scope`.
pub(crate) fn redact_with(text: &str, rules: &Rules, scope: Scope) -> Option<String> {
    let mut edits = Vec::new();
    find_edits(text, rules, scope, &mut edits);
    (!edits.is_empty()).then(|| apply(text, &edits))
}

/// `text` with `edits` (in order, not overlapping) made.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        out.push_str(text.get(copied..edit.start).unwrap_or_default());
        out.push_str(edit.replacement.text());
        copied = edit.end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The changes that redact `text` in `scope`, in order, in place of those `edits` held (whose
/// room is kept for them): the scan itself.
pub(crate) fn find_edits(text: &str, rules: &Rules, scope: Scope, edits: &mut Vec<Edit>) {
    let bytes = text.as_bytes();
    edits.clear();
    // Token runs before this were examined by the run detectors.
    let mut run_checked_until = 0;
    // Where an `@` was found (`NONE`: none before `searched_until`). Emails are looked for
    // only within 64 bytes of an `@`, and the text is searched for one only that far ahead of
    // a candidate, each byte at most once.
    const NONE: usize = usize::MAX;
    let (mut at_sign, mut searched_until) = (NONE, 0);
    let mut index = 0;
    // The byte before `index` (0 at the start). The scan reads its own position directly; the
    // detectors read through `byte`.
    let mut previous = 0u8;
    while let Some(&current) = bytes.get(index) {
        let starts = STARTS.get(usize::from(current)).copied().unwrap_or(0);
        // `is_word`, written out: a call per byte in the size-optimised build.
        if starts == 0 || previous.is_ascii_alphanumeric() || previous == b'_' {
            previous = current;
            index += 1;
            continue;
        }
        if current.is_ascii_alphabetic() {
            if let Some(end) = plain_word(bytes, index) {
                previous = current;
                index = end;
                continue;
            }
        }
        if at_sign < index || (at_sign == NONE && searched_until <= index + 64) {
            let reach = (index + 65).min(bytes.len());
            let at = at_sign_before(bytes, index.max(searched_until), reach);
            (at_sign, searched_until) = if at < reach { (at, at) } else { (NONE, reach) };
        }
        let email_in_reach = at_sign != NONE && at_sign - index <= 64;
        let found = detect(
            text,
            index,
            starts,
            previous,
            rules,
            scope,
            email_in_reach,
            &mut run_checked_until,
        );
        match found {
            Some(Found {
                end,
                replacement: Replacement::Keep,
            }) if end > index => index = end,
            Some(found) if found.end > index => {
                edits.push(Edit {
                    start: index,
                    end: found.end,
                    replacement: found.replacement,
                });
                index = found.end;
            }
            _ => index += 1,
        }
        previous = bytes.get(index - 1).copied().unwrap_or(0);
    }
}

/// Letters that no detector can take when a word of them ends quietly: shorter than any key
/// or token, and not `Bearer` or `Basic`. Prose is mostly such words.
const MAX_PLAIN_WORD: usize = 12;

/// Where a plain word starting at `start` ends: a run of 1 to [`MAX_PLAIN_WORD`] ASCII letters
/// followed by a byte that continues no match (a space, a closing bracket or quote, `,;!?`, the
/// end, or a `.` followed by one of these). No detector matches at any byte of such a word,
/// so the scan passes it whole; `None` for anything else. The scan reads these bytes once, as
/// it reads its own position.
fn plain_word(bytes: &[u8], start: usize) -> Option<usize> {
    #[cfg(test)]
    if !tests::PLAIN_WORDS.with(|on| on.get()) {
        return None;
    }
    // Plain loops and matches: closures here are calls per byte in the size-optimised build.
    let end = letters_end(bytes, start);
    let length = end - start;
    let mut after = bytes.get(end).copied().unwrap_or(b' ');
    if after == b'.' {
        after = bytes.get(end + 1).copied().unwrap_or(b' ');
    }
    let ends_quietly = matches!(
        after,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b','
            | b';'
            | b'!'
            | b'?'
            | b')'
            | b']'
            | b'}'
            | b'"'
            | b'\''
    );
    let scheme = (length == 5 || length == 6) && matches!(bytes.get(start), Some(b'b' | b'B'));
    (length > 0 && length <= MAX_PLAIN_WORD && ends_quietly && !scheme).then_some(start + length)
}

/// A one in each byte of a word of eight bytes.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte of a word of eight bytes.
const HIGH_BITS: u64 = 0x80 * ONES;

/// Where the first `@` from `from` is, if it is before `reach` (else `reach`): looked for
/// eight bytes at a time, since most of the text is searched.
fn at_sign_before(bytes: &[u8], from: usize, reach: usize) -> usize {
    let mut at = from;
    while let Some(&chunk) = bytes
        .get(at..reach)
        .and_then(|rest| rest.first_chunk::<8>())
    {
        // The bytes that equal `@` become zero; the lowest high bit of `zeros` is the first
        // of them (a borrow can only mark bytes above it).
        let word = u64::from_le_bytes(chunk) ^ (u64::from(b'@') * ONES);
        let zeros = word.wrapping_sub(ONES) & !word & HIGH_BITS;
        if zeros != 0 {
            return at + zeros.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while at < reach && !matches!(bytes.get(at), Some(b'@')) {
        at += 1;
    }
    at
}

/// Where the run of ASCII letters from `start` ends, looked for eight bytes at a time: a word
/// of a few letters costs one load and one test instead of a branch per letter (and the
/// mispredicted one at its end). Runs longer than [`MAX_PLAIN_WORD`] may be cut short after it,
/// since such a word is no plain word anyway.
fn letters_end(bytes: &[u8], start: usize) -> usize {
    const CASE_BITS: u64 = 0x20 * ONES;
    const LOW_BITS: u64 = 0x7f * ONES;
    let mut end = start;
    loop {
        if end - start > MAX_PLAIN_WORD {
            return end;
        }
        let Some(&chunk) = bytes.get(end..).and_then(|rest| rest.first_chunk::<8>()) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        // Per byte, with no carry between bytes: its low seven bits in lower case, then the
        // high bit of `at_least_a` set for `a` and above, of `past_z` for past `z`; a byte
        // with its own high bit set is no ASCII letter.
        let lower = (word | CASE_BITS) & LOW_BITS;
        let at_least_a = lower + (0x80 - u64::from(b'a')) * ONES;
        let past_z = lower + (0x80 - u64::from(b'z') - 1) * ONES;
        let others = !(at_least_a & !past_z & !word) & HIGH_BITS;
        if others != 0 {
            return end + others.trailing_zeros() as usize / 8;
        }
        end += 8;
    }
    while let Some(b) = bytes.get(end) {
        if !b.is_ascii_alphabetic() {
            break;
        }
        end += 1;
    }
    end
}

/// Which detectors may start at a byte, one bit per group ([`STARTS`]). Each detector finds
/// nothing at a byte outside its group, so the scanner runs only the groups of the byte it is
/// at; a byte of no group starts nothing and is passed at once.
const URL: u8 = 1; // `http://`, `https://`
const PATH: u8 = 1 << 1; // `/`, `\`, a drive letter, `file://`
const EMAIL: u8 = 1 << 2; // the first character of a local part
const BEARER: u8 = 1 << 3; // `Bearer`, `Basic`
const IPV6: u8 = 1 << 4; // a hex digit or `:`
const NUMBER: u8 = 1 << 5; // a digit: IPv4, SSN, card
const PHONE: u8 = 1 << 6; // a digit, `+` or `(`
const TOKEN: u8 = 1 << 7; // a token run: base64 characters and `.`

/// The detector groups that may start at `b`.
const fn groups(b: u8) -> u8 {
    let mut groups = 0;
    if b == b'h' || b == b'H' {
        groups |= URL;
    }
    if b == b'/' || b == b'\\' || b.is_ascii_alphabetic() {
        groups |= PATH;
    }
    if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'-') {
        groups |= EMAIL;
    }
    if b == b'b' || b == b'B' {
        groups |= BEARER;
    }
    if b.is_ascii_hexdigit() || b == b':' {
        groups |= IPV6;
    }
    if b.is_ascii_digit() {
        groups |= NUMBER | PHONE;
    }
    if b == b'+' || b == b'(' {
        groups |= PHONE;
    }
    if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'.') {
        groups |= TOKEN;
    }
    groups
}

/// [`groups`] of every byte.
static STARTS: [u8; 256] = byte_table!(groups);

/// Returns the first match of the detectors, in order, each run only when `starts` has its
/// group.
macro_rules! first_match {
    ($starts:expr; $($group:expr => $detector:expr,)*) => {
        $(
            if $starts & $group != 0 {
                if let Some(found) = $detector {
                    return Some(found);
                }
            }
        )*
    };
}

/// The first match of the detectors that may start at `start` (their groups are `starts`), in
/// order of precedence; the token run is examined once (`run_checked_until`).
#[allow(clippy::too_many_arguments)]
fn detect(
    text: &str,
    start: usize,
    starts: u8,
    previous: u8,
    rules: &Rules,
    scope: Scope,
    email_in_reach: bool,
    run_checked_until: &mut usize,
) -> Option<Found> {
    let bytes = text.as_bytes();
    // URLs and file paths do not start inside a URL.
    let whole = if scope == Scope::Text { URL | PATH } else { 0 };
    let email = if email_in_reach { EMAIL } else { 0 };
    first_match! { starts & (whole | email | !(URL | PATH | EMAIL));
        URL => network::url(text, start, rules),
        PATH => paths::file_path(text, start, previous),
        EMAIL => network::email(bytes, start),
        BEARER => secrets::bearer(text, start),
        IPV6 => network::mac(bytes, start, previous),
        IPV6 => network::ipv6(bytes, start, previous),
        NUMBER => network::ipv4(bytes, start, previous),
        NUMBER => numbers::ssn(bytes, start, previous),
        NUMBER => numbers::credit_card(bytes, start, previous),
        PHONE => numbers::phone(bytes, start, previous),
        TOKEN => wallets::wallet_address(bytes, start),
        TOKEN => iban::iban(bytes, start),
    }
    if starts & TOKEN == 0 || start < *run_checked_until {
        return None;
    }
    let (found, run_end) = secrets::token(bytes, start);
    *run_checked_until = run_end;
    found
}

/// `text` with the default rules applied, for the detectors' tests.
#[cfg(test)]
pub(crate) fn clean(text: &str) -> String {
    redact(text, &Rules::default()).unwrap_or_else(|| text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_replaced_by_its_marker() {
        let cases = [
            (
                "mail jane.doe+tag@example.co.uk now",
                "mail [REDACTED_EMAIL] now",
            ),
            ("call (555) 123-4567 today", "call [REDACTED_PHONE] today"),
            ("call +44 20 7946 0958", "call [REDACTED_PHONE]"),
            ("ssn 123-45-6789.", "ssn [REDACTED_SSN]."),
            (
                "card 4111 1111 1111 1111 ok",
                "card [REDACTED_CREDIT_CARD] ok",
            ),
            ("from 192.168.1.20:8080", "from [REDACTED_IP_ADDRESS]:8080"),
            (
                "v6 2001:db8::8a2e:370:7334 end",
                "v6 [REDACTED_IP_ADDRESS] end",
            ),
            (
                "key sk-ant-api03-abcdefghijklmnop1234 x",
                "key [REDACTED_API_KEY] x",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input}");
        }
    }

    #[test]
    fn the_at_sign_search_finds_the_first_one_before_its_reach() {
        let text = b"abcdefgh@jklmnop@rstuvwxyz0123456789@";
        for from in 0..text.len() {
            for reach in from..=text.len() {
                let expected = (from..reach).find(|i| text[*i] == b'@').unwrap_or(reach);
                assert_eq!(
                    at_sign_before(text, from, reach),
                    expected,
                    "{from}..{reach}"
                );
            }
        }
        assert_eq!(at_sign_before("é@".as_bytes(), 0, 3), 2);
        assert_eq!(at_sign_before(&[0xc0; 20], 0, 20), 20);
    }

    #[test]
    fn text_without_pii_is_returned_untouched_without_allocating() {
        for text in [
            "",
            "page.view",
            "Checkout completed in 3 steps",
            "café ✓ 日本語",
            "v1.2.3",
        ] {
            assert_eq!(redact(text, &Rules::default()), None, "{text}");
        }
    }

    #[test]
    fn several_matches_in_one_string_are_all_replaced() {
        assert_eq!(
            clean("a@b.io, 10.0.0.1 and 078-05-1120"),
            "[REDACTED_EMAIL], [REDACTED_IP_ADDRESS] and [REDACTED_SSN]"
        );
    }

    #[test]
    fn detectors_find_nothing_at_a_byte_outside_their_group() {
        // Each suffix completes some detector's match for the right first byte.
        let suffixes = [
            "ttps://a.io/x?q=1",
            "ile:///home/ana/b/c.js",
            ":\\Users\\ana\\b.txt",
            "\\srv\\share\\b.txt",
            "home/ana/b/c.txt",
            "earer abcdefgh123",
            "asic dXNlcjpwYXNz",
            "123@example.com",
            "db8::8a2e:370:7334",
            ":1",
            "2.168.1.20",
            "23-45-6789",
            "111 1111 1111 1111",
            " 555 123 4567",
            "555) 123-4567",
            "44 20 7946 0958",
            "yJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
            "k-ant-api03-AbCdEf0123456789xyzXYZ",
            "q8Zr3Kd9XvLm2Pw7Tn4Yb6Hc1Jf5Gs0A",
            "0:1A:2B:3C:4D:5E",
            "x52908400098527886E0F7030069857D2E4169EE7",
            "AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i",
            "c1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "E89370400440532013000",
        ];
        let rules = Rules::default();
        let mut seen = [0; 13];
        for first in 0..0x80u8 {
            let groups = groups(first);
            for suffix in suffixes {
                let text = [char::from(first).encode_utf8(&mut [0; 4]), suffix].concat();
                let bytes = text.as_bytes();
                let outside = |group: u8| groups & group == 0;
                let detectors = [
                    (URL, network::url(&text, 0, &rules).is_some()),
                    (PATH, paths::file_path(&text, 0, b' ').is_some()),
                    (EMAIL, network::email(bytes, 0).is_some()),
                    (BEARER, secrets::bearer(&text, 0).is_some()),
                    (IPV6, network::ipv6(bytes, 0, b' ').is_some()),
                    (NUMBER, network::ipv4(bytes, 0, b' ').is_some()),
                    (NUMBER, numbers::ssn(bytes, 0, b' ').is_some()),
                    (NUMBER, numbers::credit_card(bytes, 0, b' ').is_some()),
                    (PHONE, numbers::phone(bytes, 0, b' ').is_some()),
                    (
                        TOKEN,
                        matches!(secrets::token(bytes, 0), (Some(_), _) | (_, 1..)),
                    ),
                    (IPV6, network::mac(bytes, 0, b' ').is_some()),
                    (TOKEN, wallets::wallet_address(bytes, 0).is_some()),
                    (TOKEN, iban::iban(bytes, 0).is_some()),
                ];
                for (index, (group, found)) in detectors.into_iter().enumerate() {
                    assert!(!(found && outside(group)), "detector {index} at {text:?}");
                    seen[index] += usize::from(found);
                }
            }
        }
        assert!(
            seen.iter().all(|n| *n > 0),
            "every detector matched: {seen:?}"
        );
    }

    #[test]
    fn passing_plain_words_whole_changes_no_result() {
        // Words, punctuation and fragments of every kind of value, joined at random: the scan
        // with plain words passed whole must give exactly what the byte-by-byte scan gives.
        let pieces = [
            "the",
            "Bearer",
            "basic",
            "order",
            "a",
            "I",
            "sk",
            "ghp",
            "xoxb",
            "AKIA",
            "eyJ",
            "http",
            "https",
            "file",
            "C",
            "home",
            "bc",
            "tb",
            "DE",
            "GB",
            "cafe",
            "dead",
            "beef",
            "ant",
            "abcdefghijkl",
            "abcdefghijklm",
            "Abcdefghijklmnopqrstuvwxyz",
            " ",
            " ",
            " ",
            ".",
            ". ",
            ",",
            ";",
            "!",
            "?",
            ")",
            "]",
            "}",
            "\"",
            "'",
            "\n",
            ":",
            "://",
            "/",
            "\\",
            "@",
            "-",
            "_",
            "+",
            "=",
            "(",
            "0",
            "1",
            "42",
            "555",
            "4111",
            "1234",
            "0x",
            "89",
            "é",
            "\t",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for _ in 0..20_000 {
            let text: String = (0..next(24)).map(|_| pieces[next(pieces.len())]).collect();
            let fast = redact(&text, &Rules::default());
            PLAIN_WORDS.with(|on| on.set(false));
            let slow = redact(&text, &Rules::default());
            PLAIN_WORDS.with(|on| on.set(true));
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn hostile_input_is_scanned_in_linear_time() {
        // Inputs that make backtracking regex engines crawl. The scanner's work, counted in
        // byte reads, must stay a small constant per input byte however long the input is.
        let shapes = [
            "a.",
            "1-",
            "a@",
            "+1 ",
            "::",
            "1.",
            "eyJ.",
            "aB3",
            "/home/",
            "x ",
            "4111 ",
            "a@b.",
            "(555) ",
            "1.1.",
            "http://a/?",
            "Bearer ",
            "sk-",
            "C:\\",
            "%",
            "a-",
            "9",
            "DE89 ",
            "DE8",
            "bc1q",
            "0x",
            "1A",
            "0a:",
            "0a0a.",
            "(0)",
            "062-",
            "a@b.xn--",
        ];
        for shape in shapes {
            let per_byte = |repeats: usize| {
                let text = shape.repeat(repeats);
                READS.with(|reads| reads.set(0));
                core::hint::black_box(redact(&text, &Rules::default()));
                READS.with(|reads| reads.get()) as f64 / text.len() as f64
            };
            let (small, large) = (per_byte(500), per_byte(20_000));
            std::println!("{shape:?}: {small:.1} -> {large:.1} reads per byte");
            assert!(large < 64.0, "{shape:?}: {large} reads per byte");
            assert!(
                large < small * 1.5 + 1.0,
                "{shape:?}: {small} then {large} reads per byte"
            );
        }
    }

    #[test]
    fn letter_runs_end_where_the_first_byte_that_is_no_ascii_letter_is() {
        let naive = |bytes: &[u8], start: usize| {
            (start..bytes.len())
                .find(|at| !bytes[*at].is_ascii_alphabetic())
                .unwrap_or(bytes.len())
        };
        // Every byte value at every place of a run of letters, with the run at every offset
        // of the text (some runs reach its end, which the eight-byte reads cannot).
        for b in 0..=255u8 {
            for place in 0..20 {
                for offset in 0..3 {
                    let mut text: std::vec::Vec<u8> = b"x ".repeat(offset);
                    text.extend(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".iter().take(20));
                    text[2 * offset + place] = b;
                    let start = 2 * offset;
                    let (fast, slow) = (letters_end(&text, start), naive(&text, start));
                    if slow - start <= MAX_PLAIN_WORD {
                        assert_eq!(fast, slow, "byte {b:#x} at {place}, offset {offset}");
                    } else {
                        assert!(fast - start > MAX_PLAIN_WORD, "byte {b:#x} at {place}");
                    }
                }
            }
        }
    }

    /// A section of `tests/corpus/pii-standards.json` (test vectors of the standards), as a
    /// list of its values.
    pub(crate) fn standard(path: &str) -> std::vec::Vec<crate::core::json_value::Value<'static>> {
        use crate::core::json_value::{parse, Value};
        let mut value = parse(include_str!("../../../tests/corpus/pii-standards.json"))
            .expect("pii-standards.json is JSON");
        for key in path.split('.') {
            value = value
                .get(key)
                .cloned()
                .unwrap_or_else(|| panic!("no {path}"));
        }
        match value {
            Value::Array(items) => items,
            _ => panic!("{path} is not a list"),
        }
    }

    std::thread_local! {
        /// Whether the scan passes plain words whole ([`plain_word`]); off, every byte is
        /// examined, which the tests compare against.
        pub(crate) static PLAIN_WORDS: core::cell::Cell<bool> = const { core::cell::Cell::new(true) };
        pub(crate) static READS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }
}
