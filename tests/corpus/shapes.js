// The stack shapes of tests/corpus/capture-chromium.mjs. Every shape builds its error twice through
// the same code path: once read with V8's default formatter (`stack`), once with a formatter that
// returns V8's structured CallSites (`callsites`, callsites.js), so the two runs' frames correspond
// one to one.
// A classic, sloppy-mode script on purpose (like most bundles; direct eval works in it). The corpus
// records this file's lines and columns: rerun the capture after any edit.

/** Shapes captured while the page loads (top-level code), keyed by name: { stack, callsites }. */
const EARLY = [];

function recordEarly(name, structured, value) {
  let entry = EARLY.find((candidate) => candidate.name === name);
  if (!entry) EARLY.push((entry = { name }));
  entry[structured ? 'callsites' : 'stack'] = value;
}

// An error created by top-level code of a classic script: a frame with a location and no function.
for (const structured of [false, true]) {
  const previous = Error.prepareStackTrace;
  if (structured) Error.prepareStackTrace = formatCallSites;
  try {
    recordEarly('classic-script-top-level', structured, new Error('created by top-level code of a classic script').stack);
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** Runs `fn` and returns what it throws. */
function catchError(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error(`${fn.name} did not throw`);
}

/** Awaits `fn()` and returns its rejection. */
async function catchAsync(fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error(`${fn.name} did not reject`);
}

// ---------------------------------------------------------------------------------------------
// Plain functions, anonymous functions, methods, classes.

function plainNamed() {
  throw new Error('thrown by a plain named function');
}

function nestedInner() {
  throw new Error('thrown by the innermost of nested calls');
}
function nestedMiddle() {
  nestedInner();
}
function nestedOuter() {
  nestedMiddle();
}

function callAnonymousFunction() {
  (function () {
    throw new Error('thrown by an anonymous function expression');
  })();
}

function callAnonymousArrow() {
  (() => {
    throw new Error('thrown by an anonymous arrow function');
  })();
}

const inferredArrow = () => {
  throw new Error('thrown by an arrow function named by its variable');
};
function callInferredArrow() {
  inferredArrow();
}

const objectLiteral = {
  describe() {
    throw new Error('thrown by a method of an object literal');
  },
};
function callObjectMethod() {
  objectLiteral.describe();
}

function aliasedTarget() {
  throw new Error('thrown by a function called through a property of another name');
}
const aliasHolder = { alias: aliasedTarget };
function callAliasedMethod() {
  aliasHolder.alias();
}

class Greeter {
  constructor(fail) {
    if (fail) throw new Error('thrown by a class constructor');
  }
  greet() {
    throw new Error('thrown by a class method');
  }
  static create() {
    throw new Error('thrown by a static class method');
  }
  #secret() {
    throw new Error('thrown by a private class method');
  }
  revealSecret() {
    this.#secret();
  }
}
function callClassMethod() {
  new Greeter(false).greet();
}
function callStaticMethod() {
  Greeter.create();
}
function callPrivateMethod() {
  new Greeter(false).revealSecret();
}
function constructClass() {
  new Greeter(true);
}

function LegacyWidget() {
  throw new Error('thrown by a constructor function called with new');
}
function constructFunction() {
  new LegacyWidget();
}

class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ValidationError';
  }
}
function throwCustomError() {
  throw new ValidationError('a subclass of Error with its own name');
}

const account = {
  get balance() {
    throw new Error('thrown by a getter');
  },
  set balance(value) {
    throw new Error('thrown by a setter');
  },
};
function readGetter() {
  return account.balance;
}
function writeSetter() {
  account.balance = 1;
}

function boundTarget() {
  throw new Error('thrown by a bound function');
}
const boundFunction = boundTarget.bind({ kind: 'bound receiver' });
function callBound() {
  boundFunction();
}

function invokedWithCall(a, b) {
  throw new Error('thrown by a function invoked with call');
}
function viaCall() {
  invokedWithCall.call({ kind: 'call receiver' }, 1, 2);
}

function invokedWithApply(a, b) {
  throw new Error('thrown by a function invoked with apply');
}
function viaApply() {
  invokedWithApply.apply({ kind: 'apply receiver' }, [1, 2]);
}

function invokedWithReflectApply() {
  throw new Error('thrown by a function invoked with Reflect.apply');
}
function viaReflectApply() {
  Reflect.apply(invokedWithReflectApply, undefined, []);
}

function renamedOriginal() {
  throw new Error('thrown by a function whose name property was redefined');
}
Object.defineProperty(renamedOriginal, 'name', { value: 'renamed (with spaces) and [brackets]' });
function callRenamed() {
  renamedOriginal();
}

// ---------------------------------------------------------------------------------------------
// Callbacks of built-ins.

function viaMap() {
  [1, 2].map(function mapCallback(value) {
    throw new Error('thrown by an Array.prototype.map callback');
  });
}

function viaForEach() {
  [1, 2].forEach((value) => {
    throw new Error('thrown by an Array.prototype.forEach arrow callback');
  });
}

function viaReduce() {
  [1, 2, 3].reduce(function reduceCallback(sum, value) {
    throw new Error('thrown by an Array.prototype.reduce callback');
  }, 0);
}

function viaTimeout() {
  return new Promise((resolve) => {
    setTimeout(function timeoutCallback() {
      try {
        throw new Error('thrown by a setTimeout callback');
      } catch (error) {
        resolve(error);
      }
    }, 0);
  });
}

function viaMicrotask() {
  return new Promise((resolve) => {
    queueMicrotask(function microtaskCallback() {
      try {
        throw new Error('thrown by a queueMicrotask callback');
      } catch (error) {
        resolve(error);
      }
    });
  });
}

function rejectFromThen() {
  return Promise.resolve(1).then(function thenCallback(value) {
    throw new Error('thrown by a Promise.then callback');
  });
}

function rejectFromExecutor() {
  return new Promise(function promiseExecutor(resolve, reject) {
    throw new Error('thrown by a Promise executor');
  });
}

function dispatchToListener() {
  let caught;
  const button = document.createElement('button');
  button.addEventListener('click', function onButtonClick() {
    try {
      throw new Error('thrown by a DOM event listener');
    } catch (error) {
      caught = error;
    }
  });
  button.dispatchEvent(new Event('click'));
  return caught;
}

// ---------------------------------------------------------------------------------------------
// Async functions.

async function asyncLeaf() {
  await null;
  throw new Error('thrown by an async function after an await');
}
async function asyncMiddle() {
  await asyncLeaf();
}
async function asyncRoot() {
  await asyncMiddle();
}

class Repository {
  async load() {
    await null;
    return this.parse();
  }
  parse() {
    throw new Error('thrown by a method that an async method called after an await');
  }
}
async function loadRepository() {
  await new Repository().load();
}

async function allSucceeds() {
  await null;
  return 1;
}
async function allFails() {
  await null;
  throw new Error('thrown by one of the async functions of a Promise.all');
}
async function awaitAll() {
  await Promise.all([allSucceeds(), allFails()]);
}

async function* tickerGenerator() {
  yield 1;
  await null;
  throw new Error('thrown by an async generator after an await');
}
async function consumeAsyncGenerator() {
  for await (const tick of tickerGenerator()) void tick;
}

// ---------------------------------------------------------------------------------------------
// Evaluated code.

function directEval() {
  eval('throw new Error("thrown by code run through a direct eval")');
}

function directEvalNamedFunction() {
  eval('\n(function insideEval() {\n  throw new Error("thrown by a named function defined in eval");\n})();');
}

function nestedEval() {
  eval('eval(\'throw new Error("thrown by code run through an eval inside an eval")\')');
}

function indirectEval() {
  (0, eval)('throw new Error("thrown by code run through an indirect eval")');
}

function evalWithSourceUrl() {
  eval('throw new Error("thrown by evaluated code that names itself with sourceURL")\n//# sourceURL=named-by-source-url.js');
}

function viaNewFunction() {
  new Function('reason', 'throw new Error(reason);')('thrown by the body of a new Function');
}

// ---------------------------------------------------------------------------------------------
// Computed names, generators, proxies.

const symbolKey = Symbol('symbolKeyed');
const symbolHolder = {
  [symbolKey]() {
    throw new Error('thrown by a method whose key is a Symbol');
  },
};
function callSymbolMethod() {
  symbolHolder[symbolKey]();
}

const computedKey = ['comp', 'uted', 'Name'].join('');
const computedHolder = {
  [computedKey]() {
    throw new Error('thrown by a method whose key is computed');
  },
};
function callComputedMethod() {
  computedHolder[computedKey]();
}

function* countdown() {
  yield 2;
  throw new Error('thrown by a generator function');
}
function driveGenerator() {
  const steps = countdown();
  steps.next();
  steps.next();
}

const proxied = new Proxy(
  {},
  {
    get: function proxyGetTrap(target, key) {
      throw new Error('thrown by a Proxy get trap');
    },
  },
);
function readThroughProxy() {
  return proxied.anything;
}

// ---------------------------------------------------------------------------------------------
// Errors made by the engine, and messages that look like stack text.

function parseBadJson() {
  JSON.parse('{"unterminated": ');
}

function callUndefined() {
  const settings = {};
  settings.onReady();
}

function multiLineMessage() {
  throw new Error('line one\nline two');
}

function messageWithErrorText() {
  throw new Error('request failed: Error: upstream timed out');
}

function messageWithFrameText() {
  throw new Error('looks like a frame\n    at fakeFrame (http://example.invalid/fake.js:1:1)');
}

// ---------------------------------------------------------------------------------------------
// WebAssembly, built by hand (no toolchain).

const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const wasmName = (text) => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const wasmVec = (items) => [...uleb(items.length), ...items.flat()];
const wasmSection = (id, body) => [id, ...uleb(body.length), ...body];
const wasmBody = (code) => {
  const body = [...wasmVec([]), ...code, 0x0b];
  return [...uleb(body.length), ...body];
};
const wasmModule = (sections) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
const VOID_TYPE = [0x60, 0x00, 0x00];

/** One function, exported as `trap`, that executes `unreachable`; no name section. */
const TRAP_WASM = wasmModule([
  wasmSection(1, wasmVec([VOID_TYPE])),
  wasmSection(3, wasmVec([[0x00]])),
  wasmSection(7, wasmVec([[...wasmName('trap'), 0x00, 0x00]])),
  wasmSection(10, wasmVec([wasmBody([0x00])])),
]);

/**
 * Imports env.jsThrow (function 0); `inner` (1) calls it, `outer` (2, exported) calls `inner`.
 * A name section names the module `shapes` and the three functions.
 */
const IMPORT_WASM = wasmModule([
  wasmSection(1, wasmVec([VOID_TYPE])),
  wasmSection(2, wasmVec([[...wasmName('env'), ...wasmName('jsThrow'), 0x00, 0x00]])),
  wasmSection(3, wasmVec([[0x00], [0x00]])),
  wasmSection(7, wasmVec([[...wasmName('outer'), 0x00, 0x02]])),
  wasmSection(10, wasmVec([wasmBody([0x10, 0x00]), wasmBody([0x10, 0x01])])),
  wasmSection(0, [
    ...wasmName('name'),
    ...wasmSection(0, wasmName('shapes')),
    ...wasmSection(1, wasmVec([[0x00, ...wasmName('jsThrow')], [0x01, ...wasmName('inner')], [0x02, ...wasmName('outer')]])),
  ]),
]);

const wasm = {};

function thrownFromImport() {
  throw new Error('thrown by a JS function that wasm imported and called');
}

function callWasmTrap() {
  wasm.trap.exports.trap();
}

function callWasmCallingImport() {
  wasm.imports.exports.outer();
}

// ---------------------------------------------------------------------------------------------
// data: URL modules.

const DATA_MODULE_URL = 'data:text/javascript,export function dataModuleThrow() { throw new Error("thrown in a data: URL module"); }';
const DATA_MODULE_BASE64_URL = `data:text/javascript;base64,${btoa('export function dataModuleThrow() {\n  throw new Error("thrown in a base64 data: URL module");\n}\n')}`;

async function importDataModule() {
  const module = await import(DATA_MODULE_URL);
  module.dataModuleThrow();
}

async function importBase64DataModule() {
  const module = await import(DATA_MODULE_BASE64_URL);
  module.dataModuleThrow();
}

// ---------------------------------------------------------------------------------------------
// The shapes, in corpus order: [name, make, ...arguments]; `make(...arguments)` returns (or
// resolves to) the error.

const SHAPES = [
  ['plain-named-function', catchError, plainNamed],
  ['nested-calls', catchError, nestedOuter],
  ['anonymous-function-expression', catchError, callAnonymousFunction],
  ['anonymous-arrow-function', catchError, callAnonymousArrow],
  ['arrow-function-named-by-variable', catchError, callInferredArrow],
  ['object-literal-method', catchError, callObjectMethod],
  ['method-called-through-alias', catchError, callAliasedMethod],
  ['class-method', catchError, callClassMethod],
  ['static-class-method', catchError, callStaticMethod],
  ['private-class-method', catchError, callPrivateMethod],
  ['getter', catchError, readGetter],
  ['setter', catchError, writeSetter],
  ['class-constructor-new', catchError, constructClass],
  ['function-constructor-new', catchError, constructFunction],
  ['error-subclass', catchError, throwCustomError],
  ['bound-function', catchError, callBound],
  ['function-call', catchError, viaCall],
  ['function-apply', catchError, viaApply],
  ['reflect-apply', catchError, viaReflectApply],
  ['redefined-function-name', catchError, callRenamed],
  ['array-map-callback', catchError, viaMap],
  ['array-foreach-arrow-callback', catchError, viaForEach],
  ['array-reduce-callback', catchError, viaReduce],
  ['set-timeout-callback', viaTimeout],
  ['queue-microtask-callback', viaMicrotask],
  ['promise-then-callback', catchAsync, rejectFromThen],
  ['promise-executor', catchAsync, rejectFromExecutor],
  ['dom-event-listener', dispatchToListener],
  ['async-after-await', catchAsync, asyncRoot],
  ['async-class-method', catchAsync, loadRepository],
  ['promise-all-async-functions', catchAsync, awaitAll],
  ['async-generator', catchAsync, consumeAsyncGenerator],
  ['direct-eval', catchError, directEval],
  ['direct-eval-named-function', catchError, directEvalNamedFunction],
  ['nested-eval', catchError, nestedEval],
  ['indirect-eval', catchError, indirectEval],
  ['eval-with-source-url', catchError, evalWithSourceUrl],
  ['new-function', catchError, viaNewFunction],
  ['symbol-named-method', catchError, callSymbolMethod],
  ['computed-name-method', catchError, callComputedMethod],
  ['generator-function', catchError, driveGenerator],
  ['proxy-get-trap', catchError, readThroughProxy],
  ['json-parse-native-frame', catchError, parseBadJson],
  ['type-error-calling-undefined', catchError, callUndefined],
  ['multi-line-message', catchError, multiLineMessage],
  ['message-containing-error-text', catchError, messageWithErrorText],
  ['message-containing-frame-text', catchError, messageWithFrameText],
  ['wasm-unreachable', catchError, callWasmTrap],
  ['wasm-calls-throwing-js-import', catchError, callWasmCallingImport],
  ['data-url-module', catchAsync, importDataModule],
  ['data-url-base64-module', catchAsync, importBase64DataModule],
];

/** One run of a shape: reads the error's stack with or without the CallSite formatter. */
async function runOnce(make, args, structured) {
  const previous = Error.prepareStackTrace;
  if (structured) Error.prepareStackTrace = formatCallSites;
  try {
    const error = await make(...args);
    if (!(error instanceof Error)) throw new Error(`the shape gave ${error}, not an error`);
    return error.stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

async function captureShape(name, make, args) {
  // Both runs start from a resumed await and call runOnce from the same place, so their frames
  // (down to this function and `async main`) are the same.
  await null;
  const [stack, callsites] = [[], []];
  for (const structured of [false, true]) (structured ? callsites : stack).push(await runOnce(make, args, structured));
  return { name, stack: stack[0], callsites: callsites[0] };
}

/** Asks the worker for one run of one of its shapes. */
function askWorker(worker, name, structured) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => (event.data.failure ? reject(new Error(event.data.failure)) : resolve(event.data.stack));
    worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`));
    worker.postMessage({ name, structured });
  });
}

async function main() {
  const shapes = [];
  const failures = [];
  try {
    wasm.trap = (await WebAssembly.instantiate(TRAP_WASM)).instance;
    wasm.imports = (await WebAssembly.instantiate(IMPORT_WASM, { env: { jsThrow: thrownFromImport } })).instance;
    for (const [name, make, ...args] of SHAPES) {
      try {
        shapes.push(await captureShape(name, make, args));
      } catch (failure) {
        failures.push({ name, failure: String(failure) });
      }
    }
    const worker = new Worker('shapes-worker.js');
    for (const name of ['worker-nested-calls', 'worker-async-after-await']) {
      try {
        const stack = await askWorker(worker, name, false);
        const callsites = await askWorker(worker, name, true);
        shapes.push({ name, stack, callsites });
      } catch (failure) {
        failures.push({ name, failure: String(failure) });
      }
    }
    worker.terminate();
    for (const entry of EARLY) shapes.push(entry);
  } catch (failure) {
    failures.push({ name: '(page)', failure: String(failure && failure.stack) });
  }
  window.corpus = { shapes, failures };
  window.sdkReady = true;
}

window.addEventListener('load', main);
