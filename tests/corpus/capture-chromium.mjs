// Captures real stack traces in headless Chromium and writes tests/corpus/stacks-chromium.json.
// Usage: node tests/corpus/capture-chromium.mjs
//
// shapes.html (with shapes.js and shapes-worker.js) builds one error per shape twice through the
// same code path: `stack` is the default error.stack string, `callsites` is V8's structured
// CallSite API (Error.prepareStackTrace) for the same frames, innermost first. Each `stack` is
// then parsed here with Sentry's own browser stack parser; its frames are reversed to innermost
// first (stack-text order), like tests/corpus/stacks-sentry.json. The page is served on a fixed
// port so that reruns give the same file. A summary of where Sentry's frames and the CallSites
// disagree on file, line or column is printed at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStackParser } from '@sentry/browser';
import { serveStatic } from '../../scripts/serve.mjs';
import { launchChromium, openPage, ROOT } from '../support/harness.mjs';

const PORT = 41731;
const HERE = import.meta.dirname;
const OUTPUT = join(HERE, 'stacks-chromium.json');
const sentryVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@sentry/browser/package.json'), 'utf8')).version;

/** Sentry's frames of `stack`, innermost first, with the corpus's field names. */
function sentryFrames(stack) {
  return defaultStackParser(stack)
    .reverse()
    .map((frame) => ({
      function: frame.function ?? null,
      file: frame.filename ?? null,
      line: frame.lineno ?? null,
      column: frame.colno ?? null,
    }));
}

const site = await serveStatic({ mounts: { '/': HERE }, port: PORT });
const browser = await launchChromium();
let corpus;
try {
  const page = await openPage(browser, `${site.url}/shapes.html`);
  const { shapes, failures } = await page.evaluate(() => window.corpus);
  for (const { name, failure } of failures) console.error(`could not capture ${name}: ${failure}`);
  for (const error of page.errors) console.error(`page error: ${error.stack ?? error}`);
  corpus = {
    source: `captured by tests/corpus/capture-chromium.mjs in ${browser.version()}, parsed with @sentry/browser ${sentryVersion}`,
    stacks: shapes.map(({ name, stack, callsites }) => ({
      name,
      family: 'chromium',
      stack,
      frames: sentryFrames(stack),
      callsites,
    })),
  };
} finally {
  await browser.close();
  await site.close();
}

writeFileSync(OUTPUT, `${JSON.stringify(corpus, null, 2)}\n`);

// Frame by frame, innermost first: does Sentry's parse say what V8 says? When the counts differ
// (a message line that looks like a frame), the frames are paired from the outermost end.
let agreeing = 0;
let compared = 0;
const disagreements = [];
const where = (frame) => `${frame.file}:${frame.line}:${frame.column}`;
for (const { name, frames, callsites } of corpus.stacks) {
  const extra = frames.length - callsites.length;
  if (extra !== 0) disagreements.push(`${name}: Sentry has ${frames.length} frames, V8 ${callsites.length}`);
  for (let i = 0; i < Math.max(frames.length, callsites.length); i++) {
    const ours = extra > 0 ? frames[i] : frames[i + extra];
    const truth = extra > 0 ? callsites[i - extra] : callsites[i];
    if (!ours || !truth) {
      if (ours) disagreements.push(`${name} #${i}: Sentry ${JSON.stringify(ours.function)} ${where(ours)}, no V8 frame`);
      if (truth) disagreements.push(`${name} #${i}: no Sentry frame, V8 ${truth.toString}`);
      continue;
    }
    compared++;
    if (ours.file === truth.file && ours.line === truth.line && ours.column === truth.column) {
      agreeing++;
    } else {
      disagreements.push(
        `${name} #${i}: Sentry ${JSON.stringify(ours.function)} ${where(ours)}, V8 ${JSON.stringify(truth.function)} ${where(truth)} (${truth.toString})`,
      );
    }
  }
}
console.log(`${corpus.stacks.length} shapes written to ${OUTPUT}`);
console.log(`${agreeing} of ${compared} paired frames agree on file, line and column`);
for (const line of disagreements) console.log(`  ${line}`);
