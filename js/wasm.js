// The boundary of an entry's wasm module, with no generated glue: a request's numbers and
// texts are written into the module's memory and its answer is read back from there (the
// layout is described in src/api/abi.rs). Every class goes through the same five functions.
import * as op from './ops.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Texts of at most this many UTF-16 units are copied unit by unit while ASCII (see `put`). */
const SHORT_TEXT_UNITS = 128;
/** A request that surely fits in this many bytes (3 per UTF-16 unit) is written in place. */
const IN_PLACE_BYTES = 65536;

/**
 * The boundary functions of one wasm module, which work once `instantiate(module)` resolved:
 * `open(kind, texts, numbers)`, `call(handle, op, texts, numbers, payload)` (`op`: a number
 * of js/ops.js), `close(handle)`, `patterns(handle, redact)` and `redact(text)`, with the texts
 * as one JSON array.
 */
export function boundary() {
  let exports;
  /** The marker of each kind of PII that `redact` answered, by the kind's index. */
  const markers = [];
  /** The kind of an edit whose replacement is rewritten text, not a marker (`REWRITTEN` in
   * src/api/redact.rs). */
  const REWRITTEN = 0xffffffff;
  /** The application's redaction function of each collector core, by handle. */
  const patterns = new Map();
  // Views of the module's memory, made again only when it grew. Growing detaches the old
  // buffer, which leaves its views 0 bytes long: checking that is much faster than reading
  // `memory.buffer`.
  let u8 = new Uint8Array(0);
  let f64 = new Float64Array(0);
  let u32 = new Uint32Array(0);
  // A view of the memory from the inbox on, for redact().
  let inboxView = u8;
  let inboxAt = -1;
  const bytes = () => {
    if (u8.length === 0) {
      u8 = new Uint8Array(exports.memory.buffer);
      f64 = new Float64Array(exports.memory.buffer);
      u32 = new Uint32Array(exports.memory.buffer);
    }
    return u8;
  };
  /** The answer of `length` bytes (none for -1). A short ASCII one, as most are (a count, a
   * yes or no, a name), is read byte by byte, faster than through `TextDecoder`. */
  const answer = (length) => {
    if (length < 0) return undefined;
    const at = exports.answer();
    const memory = bytes();
    let text = '';
    for (let i = at; length <= 32 && i < at + length; i++) {
      if (memory[i] > 0x7f) break;
      text += String.fromCharCode(memory[i]);
    }
    return text.length === length ? text : decoder.decode(memory.subarray(at, at + length));
  };
  /** Writes `text` at `at` (room for 3 bytes per UTF-16 unit); answers its length in bytes.
   * A short ASCII text (a name, a number, the JSON of an event's data) is copied unit by unit:
   * in Chromium that takes 50 to 230 ns up to 128 units, where `encodeInto` into a view made
   * for the place takes 300 to 370 ns; beyond about 190 units `encodeInto` is faster. */
  const put = (memory, at, text) => {
    const units = text.length;
    let length = 0;
    if (units > SHORT_TEXT_UNITS) return encoder.encodeInto(text, memory.subarray(at)).written;
    while (length < units) {
      const unit = text.charCodeAt(length);
      if (unit > 0x7f) return length + encoder.encodeInto(text.slice(length), memory.subarray(at + length)).written;
      memory[at + length++] = unit;
    }
    return length;
  };
  /** Writes a request: the numbers, then every text that is not `undefined`; answers the
   * texts' lengths in bytes (-1 for `undefined`). A request that surely fits in 64 KB is
   * written in place, in room for the longest UTF-8 its texts can have (3 bytes per UTF-16
   * unit); a larger one is encoded first, so that the inbox is only as large as it is. */
  const write = (numbers, texts) => {
    let size = numbers.length * 8;
    for (const text of texts) size += (text?.length ?? 0) * 3;
    const encoded = size > IN_PLACE_BYTES ? texts.map((text) => (text === undefined ? text : encoder.encode(text))) : undefined;
    if (encoded) size = encoded.reduce((sum, text) => sum + (text?.length ?? 0), numbers.length * 8);
    let at = exports.inbox(size);
    const memory = bytes();
    f64.set(numbers, at / 8);
    at += numbers.length * 8;
    return texts.map((text, index) => {
      if (text === undefined) return -1;
      let length;
      if (encoded) {
        memory.set(encoded[index], at);
        length = encoded[index].length;
      } else length = put(memory, at, text);
      at += length;
      return length;
    });
  };
  /** The import through which a collector core has the application's patterns run. */
  const wt_patterns = (handle, at, length) => {
    const redact = patterns.get(handle);
    if (!redact) return -1;
    let text;
    try {
      text = redact(decoder.decode(bytes().subarray(at, at + length)));
    } catch {
      return -1;
    }
    return typeof text === 'string' ? write([], [text])[0] : -1;
  };
  const call = (handle, op, texts, numbers, payload) => answer(exports.call(handle, numbers.length, op, ...write(numbers, [texts, payload])));
  return {
    async instantiate(module) {
      ({ exports } = await WebAssembly.instantiate(module, { env: { wt_patterns } }));
    },
    open: (kind, texts, numbers) => answer(exports.open(numbers.length, ...write(numbers, [kind, texts]))),
    call,
    close(handle) {
      patterns.delete(handle);
      exports.close(handle);
    },
    patterns(handle, redact) {
      // A core that is closed, or running (a call from inside its own patterns), refuses.
      if (call(handle, op.patterns, '[]', [redact ? handle : 0]) === undefined) return;
      if (redact) patterns.set(handle, redact);
      else patterns.delete(handle);
    },
    // A long text that surely fits in 64 KB is encoded straight into the inbox, through a
    // view kept while the inbox stays where it is (as a rule it does): on a 400-byte text
    // this takes 1.3 to 1.5 µs where `write` took 1.7. The answer is -2 for a text left as it
    // was, or where its edits are (src/api/redact.rs): they are made to the page's own string,
    // slices of which cost less than decoding the whole text, and a marker is decoded once.
    redact: (text) => {
      const room = text.length * 3;
      let at;
      if (text.length > SHORT_TEXT_UNITS && room <= IN_PLACE_BYTES) {
        const inbox = exports.inbox(room);
        const memory = bytes();
        if (inbox !== inboxAt || inboxView.length === 0) [inboxView, inboxAt] = [memory.subarray(inbox), inbox];
        at = exports.redact(encoder.encodeInto(text, inboxView).written, text.length);
      } else at = exports.redact(...write([], [text]), text.length);
      if (at < 0) return at === -2 ? text : undefined;
      bytes();
      let out = '';
      let from = 0;
      for (let word = at / 4 + 1, end = word + 5 * u32[at / 4]; word < end; word += 5) {
        const kind = u32[word + 2];
        const replacement = markers[kind] ?? decoder.decode(u8.subarray(u32[word + 3], u32[word + 3] + u32[word + 4]));
        if (kind < REWRITTEN) markers[kind] = replacement;
        out = out + text.slice(from, u32[word]) + replacement;
        from = u32[word + 1];
      }
      out = out + text.slice(from);
      // Reading a character of a string made of pieces makes the engine copy it into one
      // (0.1 to 0.2 µs for 600 characters): a text that is kept, as redacted texts are, then
      // costs the garbage collector one object instead of three per edit.
      out.charCodeAt(0);
      return out;
    },
  };
}
