// The Web Worker shapes of tests/corpus/capture-chromium.mjs (loaded by shapes.js). One message
// is one run of one shape: { name, structured }; the stack is read inside the worker, where the
// page's Error.prepareStackTrace does not reach, and posted back as { stack } or { failure }.

importScripts('callsites.js');

function workerLeaf() {
  throw new Error('thrown inside a Web Worker');
}
function workerMiddle() {
  workerLeaf();
}

async function workerAsyncLeaf() {
  await null;
  throw new Error('thrown inside a Web Worker after an await');
}
async function workerAsyncRoot() {
  await workerAsyncLeaf();
}

function nestedCallsShape() {
  try {
    workerMiddle();
  } catch (error) {
    return error;
  }
}

async function asyncAfterAwaitShape() {
  try {
    await workerAsyncRoot();
  } catch (error) {
    return error;
  }
}

const SHAPES = {
  'worker-nested-calls': nestedCallsShape,
  'worker-async-after-await': asyncAfterAwaitShape,
};

self.onmessage = async (event) => {
  const { name, structured } = event.data;
  const previous = Error.prepareStackTrace;
  if (structured) Error.prepareStackTrace = formatCallSites;
  try {
    const error = await SHAPES[name]();
    self.postMessage({ name, structured, stack: error.stack });
  } catch (failure) {
    self.postMessage({ name, structured, failure: String(failure) });
  } finally {
    Error.prepareStackTrace = previous;
  }
};
