//! W3C Trace Context level 1: the `traceparent` header (`00-<trace id>-<parent id>-<flags>`),
//! read and written, and the `tracestate` that travels with it.

use crate::core::hex::push_hex;
use crate::core::random::Rng;
use alloc::string::String;

/// The `sampled` bit of the trace flags.
pub const SAMPLED: u8 = 0x01;

/// The longest `tracestate` passed on (the spec's 512 characters) and its most members.
pub const MAX_TRACE_STATE: usize = 512;
/// The most `tracestate` list members passed on.
pub const MAX_TRACE_STATE_MEMBERS: usize = 32;

/// Where a request or span sits in a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceContext {
    /// The trace, never all zero.
    pub trace_id: [u8; 16],
    /// The span: the parent of whatever continues from here, never all zero.
    pub span_id: [u8; 8],
    /// The trace flags; bit 0 is `sampled`.
    pub flags: u8,
}

/// The value of lower-case hex digits `text` as `N` bytes, `None` unless it is exactly that.
fn bytes<const N: usize>(text: &[u8]) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    if text.len() != N * 2 {
        return None;
    }
    for (at, byte) in bytes.iter_mut().enumerate() {
        *byte = digit(*text.get(at * 2)?)? << 4 | digit(*text.get(at * 2 + 1)?)?;
    }
    Some(bytes)
}

/// An id: [`bytes`], not all zero.
fn id<const N: usize>(text: &[u8]) -> Option<[u8; N]> {
    bytes(text).filter(|id| *id != [0u8; N])
}

/// A lower-case hex digit's value.
fn digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    }
}

impl TraceContext {
    /// A new span in a new trace, its ids drawn from `rng`, sampled or not.
    pub fn root(rng: &mut Rng, sampled: bool) -> Self {
        let mut trace_id = [0u8; 16];
        trace_id[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
        trace_id[8..].copy_from_slice(&(rng.next_u64() | 1).to_le_bytes());
        TraceContext {
            trace_id,
            span_id: span_id(rng),
            flags: if sampled { SAMPLED } else { 0 },
        }
    }

    /// A new span in this span's trace, with its flags.
    pub fn child(&self, rng: &mut Rng) -> Self {
        TraceContext {
            span_id: span_id(rng),
            ..*self
        }
    }

    /// Whether the trace is sampled.
    pub fn sampled(&self) -> bool {
        self.flags & SAMPLED != 0
    }

    /// Reads a `traceparent` value; `None` for anything the spec calls invalid (upper-case hex,
    /// all-zero ids, version `ff`, a version `00` value of other than four fields). A later
    /// version is read as `00` is, ignoring what follows its flags.
    pub fn parse(header: &str) -> Option<Self> {
        // `get`, not indexing: no bounds-check panics in the wasm.
        let text = header.trim_ascii().as_bytes();
        let at = |from: usize, to: usize| text.get(from..to).unwrap_or_default();
        if text.len() < 55 || [at(2, 3), at(35, 36), at(52, 53)] != [b"-"; 3] {
            return None;
        }
        let [version] = bytes(at(0, 2))?;
        let ends = match version {
            0 => text.len() == 55,
            0xff => false,
            _ => text.len() == 55 || text.get(55) == Some(&b'-'),
        };
        let [flags] = bytes(at(53, 55))?;
        ends.then_some(TraceContext {
            trace_id: id(at(3, 35))?,
            span_id: id(at(36, 52))?,
            flags,
        })
    }

    /// The `traceparent` value: version `00`, this span as the parent.
    pub fn traceparent(&self) -> String {
        let mut out = String::with_capacity(55);
        out.push_str("00-");
        self.trace_id.iter().for_each(|b| push_hex(&mut out, *b));
        out.push('-');
        self.span_id.iter().for_each(|b| push_hex(&mut out, *b));
        out.push('-');
        push_hex(&mut out, self.flags);
        out
    }
}

/// A span id as [`crate::core::hex::hex`] writes it (16 lower-case hex digits, not all zero).
// Out of line: its four callers share one copy (23 B gzipped in the web entry).
#[inline(never)]
pub fn read_span_id(text: &str) -> Option<[u8; 8]> {
    id(text.as_bytes())
}

/// A span id drawn from `rng`, never all zero.
fn span_id(rng: &mut Rng) -> [u8; 8] {
    (rng.next_u64() | 1 << 63).to_le_bytes()
}

/// A `tracestate` value as it is passed on: trimmed, empty members dropped, at most
/// [`MAX_TRACE_STATE_MEMBERS`] members of `key=value` and [`MAX_TRACE_STATE`] characters;
/// `None` when nothing valid is left. Members are kept whole, in order.
pub fn trace_state(header: &str) -> Option<String> {
    let mut out = String::new();
    let mut members = 0;
    for member in crate::core::find::split(header, ",") {
        let member = member.trim_ascii();
        let Some((key, value)) = crate::core::find::split_once(member, "=") else {
            continue;
        };
        let printable = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| (0x20..0x7f).contains(&b) && b != b',' && b != b'=')
        };
        let fits = out.len() + member.len() + usize::from(!out.is_empty()) <= MAX_TRACE_STATE;
        if !printable(key)
            || !printable(value.trim_ascii_end())
            || !fits
            || members == MAX_TRACE_STATE_MEMBERS
        {
            continue;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(member);
        members += 1;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn the_specs_example_reads_and_writes_back() {
        let context = TraceContext::parse(EXAMPLE).unwrap();
        assert!(context.sampled());
        assert_eq!(context.trace_id[0], 0x4b);
        assert_eq!(context.span_id[7], 0xb7);
        assert_eq!(context.traceparent(), EXAMPLE);
        assert_eq!(
            TraceContext::parse(&format!("  {EXAMPLE}\t")),
            Some(context)
        );
        let unsampled =
            TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").unwrap();
        assert!(!unsampled.sampled());
    }

    #[test]
    fn what_the_spec_calls_invalid_is_refused() {
        for bad in [
            "",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01é",
        ] {
            assert_eq!(TraceContext::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_later_version_is_read_as_version_00_is() {
        let later = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-the-future-adds";
        let context = TraceContext::parse(later).unwrap();
        assert_eq!(context.flags, 0x09);
        assert!(context.sampled());
        assert_eq!(
            TraceContext::parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            TraceContext::parse(EXAMPLE)
        );
        assert_eq!(
            TraceContext::parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"),
            None
        );
        // What is written is always version 00.
        assert!(context.traceparent().starts_with("00-4bf92f35"));
    }

    #[test]
    fn new_ids_are_never_zero_and_children_keep_the_trace_and_its_flags() {
        let mut rng = Rng::from_seed([0; 32]);
        let root = TraceContext::root(&mut rng, true);
        let child = root.child(&mut rng);
        assert_eq!((child.trace_id, child.flags), (root.trace_id, SAMPLED));
        assert_ne!(child.span_id, root.span_id);
        assert_ne!(root.trace_id, [0; 16]);
        assert_eq!(TraceContext::parse(&child.traceparent()), Some(child));
        assert!(!TraceContext::root(&mut rng, false).sampled());
        for _ in 0..1000 {
            let context = TraceContext::root(&mut rng, true);
            assert_eq!(TraceContext::parse(&context.traceparent()), Some(context));
        }
    }

    #[test]
    fn trace_state_is_passed_on_whole_members_within_the_limits() {
        assert_eq!(
            trace_state(" rojo=00f067aa0ba902b7, congo=t61rcWkgMzE ").as_deref(),
            Some("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        );
        assert_eq!(trace_state(",,a=1,, ,b=2").as_deref(), Some("a=1,b=2"));
        assert_eq!(trace_state("no-equals, =x, y=").as_deref(), None);
        let many: std::vec::Vec<String> = (0..40).map(|i| format!("k{i}=v")).collect();
        let kept = trace_state(&many.join(",")).unwrap();
        assert_eq!(kept.split(',').count(), MAX_TRACE_STATE_MEMBERS);
        let long = format!("a={},b=1", "x".repeat(600));
        assert_eq!(trace_state(&long).as_deref(), Some("b=1"));
        assert!(trace_state(&"k=v,".repeat(200)).unwrap().len() <= MAX_TRACE_STATE);
    }
}
