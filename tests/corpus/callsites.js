// V8's structured stack (Error.prepareStackTrace returning CallSites) as plain, JSON-able
// objects, for the structured runs of tests/corpus/capture-chromium.mjs: loaded by shapes.html
// before shapes.js, and by shapes-worker.js through importScripts. A classic script, so that
// both can load it.

/** Error.prepareStackTrace for the structured run: V8's CallSites as plain, JSON-able objects. */
function formatCallSites(error, sites) {
  return sites.map(describeCallSite);
}

function describeCallSite(s) {
  const get = (read) => {
    try {
      const value = read();
      if (value === undefined) return null;
      return typeof value === 'symbol' ? String(value) : value;
    } catch (failure) {
      return `<threw ${failure}>`;
    }
  };
  return {
    function: get(() => s.getFunctionName()),
    method: get(() => s.getMethodName()),
    type: get(() => s.getTypeName?.() ?? null),
    file: get(() => s.getFileName() ?? s.getScriptNameOrSourceURL?.() ?? null),
    line: get(() => s.getLineNumber()),
    column: get(() => s.getColumnNumber()),
    native: get(() => s.isNative()),
    eval: get(() => s.isEval()),
    evalOrigin: get(() => s.getEvalOrigin?.() ?? null),
    constructor: get(() => s.isConstructor()),
    async: get(() => s.isAsync?.() ?? false),
    toString: get(() => String(s)),
  };
}
