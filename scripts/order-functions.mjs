// `node scripts/order-functions.mjs <file.wasm>`: renames every function of an optimised module
// (in its "name" section) so that sorting by name sorts it by the size of its body, smallest
// first, ties in their present order. `wasm-opt --reorder-functions-by-name` then lays the
// functions out in that order, in which gzip finds more of each function in the ones before it
// (0.2 to 0.3 KB less per entry than by Rust name). The module must have a name section, as
// `wasm-opt --debuginfo` writes it.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const bytes = readFileSync(file);

/** Reads an unsigned LEB128 at `at`: `[value, next]`. */
function leb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** An unsigned LEB128. */
function encode(value) {
  const out = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return out;
}

const vector = (items) => [...encode(items.length), ...items.flat()];
const sized = (content) => [...encode(content.length), ...content];

// The sections, as [id, start of content, end].
const sections = [];
for (let at = 8; at < bytes.length; ) {
  const id = bytes[at];
  const [size, start] = leb(at + 1);
  sections.push([id, start, start + size]);
  at = start + size;
}

// Functions are numbered imports first; an import entry is module, name, kind and its type.
let imported = 0;
for (const [, start] of sections.filter(([id]) => id === 2)) {
  let [count, at] = leb(start);
  while (count--) {
    for (let name = 0; name < 2; name++) {
      const [length, next] = leb(at);
      at = next + length;
    }
    const kind = bytes[at++];
    if (kind === 0) {
      imported++;
      [, at] = leb(at);
    } else if (kind === 1 || kind === 2) {
      if (kind === 1) at++; // the table's element type
      const flags = bytes[at++];
      [, at] = leb(at);
      if (flags & 1) [, at] = leb(at);
    } else if (kind === 3) at += 2;
    else if (kind === 4) [, at] = leb(at + 1);
    else throw new Error(`${file}: import of unknown kind ${kind}`);
  }
}

const sizes = [];
const code = sections.find(([id]) => id === 10);
if (!code) throw new Error(`${file}: no code section`);
let [count, at] = leb(code[1]);
while (count--) {
  const [size, start] = leb(at);
  sizes.push(size);
  at = start + size;
}

const order = sizes.map((size, index) => index).sort((a, b) => sizes[a] - sizes[b] || a - b);
const rank = new Array(sizes.length);
order.forEach((index, position) => {
  rank[index] = position;
});
const width = String(sizes.length).length;
const names = sizes.map((_, index) => {
  const name = [...Buffer.from(`f${String(rank[index]).padStart(width, '0')}`)];
  return [...encode(imported + index), ...sized(name)];
});
const nameSection = [...sized([...Buffer.from('name')]), 1, ...sized(vector(names))];

const isNameSection = ([id, start]) => {
  if (id !== 0) return false;
  const [length, next] = leb(start);
  return bytes.subarray(next, next + length).toString() === 'name';
};
if (!sections.some(isNameSection)) throw new Error(`${file}: no name section (write it with --debuginfo)`);

const parts = [bytes.subarray(0, 8)];
for (const section of sections) {
  const [id, start, end] = section;
  if (isNameSection(section)) parts.push(Buffer.from([0, ...sized(nameSection)]));
  else parts.push(Buffer.from([id, ...encode(end - start)]), bytes.subarray(start, end));
}
writeFileSync(file, Buffer.concat(parts));
