// A wasm core as the JS classes hold it: a handle into the entry's wasm, which exports the same
// few functions for every class (`open`, `call`, `patterns`, `close`). A core is closed when
// the class instance that holds it is garbage collected.

const cores = new FinalizationRegistry(({ wasm, handle }) => wasm.close(handle));

/** What a wasm core refused with, as the JS error to throw: its error strings start with `R`
 * for a RangeError or `T` for a TypeError, then the message. */
export function coreError(answer) {
  return new (answer[0] === 'R' ? RangeError : TypeError)(answer.slice(1));
}

/** Throws the error an answer carries (see `coreError`); hands back any other answer. */
export function checked(answer) {
  if (answer !== undefined && (answer[0] === 'R' || answer[0] === 'T')) throw coreError(answer);
  return answer;
}

/** Opens a core of `kind` for `owner` (closed when `owner` is collected), with its
 * constructor's texts and numbers; throws the core's TypeError or RangeError. */
export function openCore(wasm, owner, kind, texts, numbers = []) {
  const answer = wasm.open(kind, JSON.stringify(texts), numbers);
  const handle = Number(answer);
  if (!(handle > 0)) throw coreError(answer);
  const core = { wasm, handle };
  cores.register(owner, core);
  return core;
}

/** Runs the operation `op` (its number, from js/ops.js) of a core: `texts` (strings, booleans,
 * ids, `undefined`) cross as one JSON array, `numbers` as one array of floats (`undefined`
 * becomes NaN), and `payload`, the operation's one large text (event data, a journal), as it
 * is. */
export function run(core, op, texts = [], numbers = [], payload = undefined) {
  return core.wasm.call(core.handle, op, JSON.stringify(texts), numbers, payload);
}

/** `run`, for an operation that answers yes (`'1'`) or no. */
export function ask(core, op, texts, numbers) {
  return run(core, op, texts, numbers) === '1';
}

/** `run`, for an operation that answers a number (NaN for none). */
export function count(core, op, texts, numbers, payload) {
  return Number(run(core, op, texts, numbers, payload));
}

/** Hands a collector core the application's redaction function (`undefined`: none). */
export function setPatterns(core, patterns) {
  core.wasm.patterns(core.handle, patterns);
}
