//! The wasm module's exports and its one import, as js/wasm.js uses them: numbers and bytes in
//! linear memory, with no generated glue.
//!
//! - A request is written into the inbox, which `inbox(size)` makes room for and locates: the
//!   request's numbers first (f64, 8-aligned), then the UTF-8 bytes of its texts one after
//!   another. The export is told how many numbers there are and how long each text is (-1:
//!   absent).
//! - An answer text is left in the outbox, which `answer()` locates, and its length is
//!   returned (-1: no answer). It stays there until the next export that answers.
//! - `redact` answers where the edits of its text are ([`Redaction`]), and the page makes them
//!   to its own string, or [`UNCHANGED`] for a text it leaves as it was: the unchanged parts
//!   are neither copied back nor decoded.
//! - The import `wt_patterns(id, text, length)` runs the application's redaction patterns
//!   registered under `id` on a text; it writes a changed text into the inbox and returns its
//!   length, or returns -1 when nothing changed.
//!
//! Texts are trusted to be UTF-8: only the entry's own module (js/wasm.js) reaches these
//! exports, and it writes every text with `TextEncoder`, which encodes any JS string (a lone
//! surrogate as U+FFFD) as UTF-8. Checking them again would cost the validator's 0.4 KB
//! gzipped in every entry.
//!
//! A running operation owns the request it was given, so an export called from inside an
//! import (a new request) never overwrites it.

use crate::api::args::Args;
use crate::api::cores::{bad_arguments, Core, Cores};
use crate::api::op::Op;
use crate::api::redact::Redaction;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

/// An inbox larger than this many words is released after its request instead of kept for the
/// next one, so one large journal does not hold its memory for the life of the page.
const KEPT_INBOX_WORDS: usize = 8 * 1024;

/// What the exports share between calls.
#[derive(Default)]
struct State {
    cores: Cores,
    /// Where the next request is written (words, so that its numbers are aligned).
    inbox: Vec<u64>,
    /// How many bytes of the inbox the request fills.
    inbox_size: usize,
    /// The last answer.
    outbox: String,
    /// The last `redact`'s edits.
    redaction: Redaction,
}

struct Shared(UnsafeCell<Option<State>>);
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Shared {}
static SHARED: Shared = Shared(UnsafeCell::new(None));

/// Runs `with` on the shared state. No caller holds the borrow while a core runs, since a core
/// may call the page, and the page back into these exports.
fn with<T>(with: impl FnOnce(&mut State) -> T) -> T {
    // SAFETY: one thread, and no caller keeps the borrow beyond `with`.
    with(unsafe { &mut *SHARED.0.get() }.get_or_insert_with(State::default))
}

/// Makes room for a request of `size` bytes and answers where to write it.
#[no_mangle]
pub extern "C" fn inbox(size: usize) -> *mut u8 {
    with(|state| {
        // Only new room is zeroed: a request reads no byte past its own `size`, so what an
        // earlier one left beyond it is never seen.
        let words = size.div_ceil(8);
        if state.inbox.len() < words {
            state.inbox.resize(words, 0);
        }
        state.inbox_size = size;
        state.inbox.as_mut_ptr().cast()
    })
}

/// Where the last answer starts.
#[no_mangle]
pub extern "C" fn answer() -> *const u8 {
    with(|state| state.outbox.as_ptr())
}

/// The request in the inbox, taken over by one operation.
struct Request {
    words: Vec<u64>,
    /// How many bytes of the words were written.
    size: usize,
    /// How many of the words are numbers.
    numbers: usize,
}

impl Request {
    /// Takes the inbox; a request written from inside this operation gets a new one.
    fn take(numbers: usize) -> Request {
        let (words, size) = with(|state| {
            let size = core::mem::take(&mut state.inbox_size);
            (core::mem::take(&mut state.inbox), size)
        });
        Request {
            words,
            size,
            numbers,
        }
    }

    /// The numbers, or `None` when the inbox is too short for them.
    fn numbers(&self) -> Option<&[f64]> {
        let words = self
            .words
            .get(..self.numbers)
            .filter(|_| self.numbers <= self.size / 8)?;
        // SAFETY: f64 and u64 have the same size and alignment, and every bit pattern is an f64.
        Some(unsafe { core::slice::from_raw_parts(words.as_ptr().cast(), words.len()) })
    }

    /// The texts of the given lengths after the numbers (`None` for a length of -1); `None`
    /// when they do not fit in the inbox.
    fn texts<const N: usize>(&self, lengths: [isize; N]) -> Option<[Option<&str>; N]> {
        // SAFETY: the words are initialised memory, a byte view of them is always valid, and
        // `size` is at most their length in bytes.
        let bytes: &[u8] =
            unsafe { core::slice::from_raw_parts(self.words.as_ptr().cast(), self.size) };
        let mut at = self.numbers.checked_mul(8)?;
        let mut texts = [None; N];
        for (text, length) in texts.iter_mut().zip(lengths) {
            if let Ok(length) = usize::try_from(length) {
                let end = at.checked_add(length)?;
                // SAFETY: the page writes texts with `TextEncoder`, whose output is UTF-8 (see
                // the module documentation).
                *text = Some(unsafe { core::str::from_utf8_unchecked(bytes.get(at..end)?) });
                at = end;
            }
        }
        Some(texts)
    }
}

impl Drop for Request {
    /// Gives the inbox back for the next request, unless a new one was made meanwhile or it
    /// grew large.
    fn drop(&mut self) {
        if self.words.capacity() <= KEPT_INBOX_WORDS {
            let words = core::mem::take(&mut self.words);
            with(|state| {
                if state.inbox.capacity() == 0 {
                    state.inbox = words;
                }
            });
        }
    }
}

/// Leaves `answer` in the outbox: its length, or -1 for none.
fn reply(answer: Option<String>) -> isize {
    match answer {
        Some(text) => {
            let length = text.len() as isize;
            with(|state| state.outbox = text);
            length
        }
        None => -1,
    }
}

/// Opens a core of the kind named by the first text (`collector`, and in larger entries
/// `errors`, `vitals`, `health`, `analytics`, `llm`, `stream`) with its constructor's texts (a
/// JSON array, the second text) and numbers. Answers its handle in decimal digits, or the
/// `R…`/`T…` error string to throw.
#[no_mangle]
pub extern "C" fn open(numbers: usize, kind: isize, texts: isize) -> isize {
    let request = Request::take(numbers);
    let answer = match (request.numbers(), request.texts([kind, texts])) {
        (Some(numbers), Some([Some(kind), Some(texts)])) => {
            with(|state| state.cores.open(kind, texts, numbers))
        }
        _ => bad_arguments(),
    };
    reply(Some(answer))
}

/// Runs the operation numbered `op` ([`Op::from_number`]) on the core `handle`, with its texts
/// (a JSON array, the first text), numbers and payload (the second text, if any). No answer where the
/// operation has none, where the arguments do not fit, or for a handle that is not open or
/// whose core is running (a call from inside one of its own operations).
#[no_mangle]
pub extern "C" fn call(
    handle: u32,
    numbers: usize,
    op: u32,
    texts: isize,
    payload: isize,
) -> isize {
    let request = Request::take(numbers);
    let answer = (|| {
        let [Some(texts), payload] = request.texts([texts, payload])? else {
            return None;
        };
        let args = Args::new(texts, request.numbers()?, payload)?;
        lend(handle, |core| core.call(Op::from_number(op)?, &args))?
    })();
    reply(answer)
}

/// Runs `with` on the core of `handle`, out of the table meanwhile (see [`Cores::take`]).
fn lend<T>(handle: u32, with_core: impl FnOnce(&mut dyn Core) -> T) -> Option<T> {
    let mut core = with(|state| state.cores.take(handle))?;
    let answer = with_core(core.as_mut());
    with(|state| state.cores.put_back(handle, core));
    Some(answer)
}

/// Drops the core `handle`.
#[no_mangle]
pub extern "C" fn close(handle: u32) {
    with(|state| state.cores.close(handle));
}

/// What `redact` answers for a text it leaves as it was.
pub const UNCHANGED: isize = -2;

/// The PII scanner on the request's one text, `units` UTF-16 code units long in the page:
/// the address of its edits (see [`Redaction`]), [`UNCHANGED`], or -1 when the inbox does not
/// hold the text.
#[no_mangle]
pub extern "C" fn redact(text: isize, units: usize) -> isize {
    let request = Request::take(0);
    match request.texts([text]) {
        Some([Some(text)]) => with(|state| state.redaction.scan(text, units))
            .map_or(UNCHANGED, |words| words as isize),
        _ => -1,
    }
}

extern "C" {
    /// Provided by the page (js/wasm.js); see the module documentation.
    fn wt_patterns(id: u32, text: *const u8, length: usize) -> isize;
}

/// The application's redaction patterns registered under `id`, run on `text` by the page;
/// `None` when they changed nothing.
pub fn patterns(id: u32, text: &str) -> Option<String> {
    // SAFETY: the import only reads `length` bytes at `text`.
    let length = usize::try_from(unsafe { wt_patterns(id, text.as_ptr(), text.len()) }).ok()?;
    let request = Request::take(0);
    request.texts([length as isize])?[0].map(String::from)
}
