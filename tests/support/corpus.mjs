// A deterministic corpus of records full of PII, mixed with benign strings that look a little
// like PII (UUIDs, ISO dates, prices, order numbers, versions, short hex hashes, timestamps).
// Runs in Node and in the browser; shared by the end-to-end tests and `npm run bench`.

/** mulberry32: a small seeded PRNG, so every run sees the same corpus. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const BASE62 = UPPER + LOWER + DIGITS;
const WORDS = ['order', 'shipped', 'cart', 'checkout', 'profile', 'updated', 'review', 'invoice', 'support', 'ticket',
  'delivery', 'refund', 'account', 'settings', 'payment', 'confirmed', 'pending', 'customer', 'message', 'request'];

export function makeGenerator(seed) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (items) => items[int(0, items.length - 1)];
  const chars = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
  const pad = (n, width) => String(n).padStart(width, '0');

  const luhnDigit = (digits) => {
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return String((10 - (sum % 10)) % 10);
  };
  const group = (digits, sizes, sep) => {
    const parts = [];
    let at = 0;
    for (const size of sizes) {
      parts.push(digits.slice(at, at + size));
      at += size;
    }
    return parts.join(sep);
  };

  const pii = {
    email: () => `${chars(LOWER, int(3, 8))}${pick(['', '.', '_', '+'])}${chars(LOWER + DIGITS, int(2, 6))}@${chars(LOWER, int(3, 9))}.${pick(['com', 'org', 'io', 'co.uk', 'de', 'net'])}`,
    phoneUs: () => {
      const [a, e, n] = [int(201, 989), int(200, 999), pad(int(0, 9999), 4)];
      return pick([`(${a}) ${e}-${n}`, `${a}-${e}-${n}`, `${a}.${e}.${n}`, `+1 ${a} ${e} ${n}`, `1-${a}-${e}-${n}`]);
    },
    phoneIntl: () => pick([
      `+44 20 ${int(1000, 9999)} ${int(1000, 9999)}`,
      `+49 30 ${int(100000, 999999)}`,
      `+33 ${int(1, 9)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)}`,
      `+81-3-${int(1000, 9999)}-${int(1000, 9999)}`,
      `+${int(2, 9)}${int(10, 99)}${int(1000000, 9999999)}`,
    ]),
    ssn: () => `${pad(pick([int(1, 665), int(667, 899)]), 3)}-${pad(int(1, 99), 2)}-${pad(int(1, 9999), 4)}`,
    card: () => {
      const [prefix, length, sizes] = pick([
        ['4', 16, [4, 4, 4, 4]], [String(int(51, 55)), 16, [4, 4, 4, 4]], ['2221', 16, [4, 4, 4, 4]],
        [pick(['34', '37']), 15, [4, 6, 5]], ['6011', 16, [4, 4, 4, 4]], ['3530', 16, [4, 4, 4, 4]],
      ]);
      const body = prefix + chars(DIGITS, length - prefix.length - 1);
      const number = body + luhnDigit(body);
      return pick([number, group(number, sizes, ' '), group(number, sizes, '-')]);
    },
    ipv4: () => `${pick([int(1, 126), int(128, 223)])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
    ipv6: () => pick([
      Array.from({ length: 8 }, () => chars(HEX, 4)).join(':'),
      `2001:db8::${chars(HEX, 4)}:${chars(HEX, 3)}`,
      `fe80::${chars(HEX, 4)}:${chars(HEX, 4)}`,
    ]),
    apiKey: () => pick([
      `sk-ant-api03-${chars(BASE62, 40)}`,
      `sk-proj-${chars(BASE62, 48)}`,
      `AKIA${chars(UPPER + DIGITS, 16)}`,
      `ghp_${chars(BASE62, 36)}`,
      `xoxb-${chars(DIGITS, 12)}-${chars(DIGITS, 12)}-${chars(BASE62, 24)}`,
      `eyJ${chars(BASE62, 20)}.eyJ${chars(BASE62, 60)}.${chars(BASE62 + '-_', 43)}`,
      chars(BASE62, 40),
    ]),
  };

  const benign = {
    uuid: () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-${pick(['8', '9', 'a', 'b'])}${chars(HEX, 3)}-${chars(HEX, 12)}`,
    isoDate: () => `20${int(10, 29)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}T${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}.${pad(int(0, 999), 3)}Z`,
    date: () => `20${int(10, 29)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`,
    price: () => pick([`$${int(1, 999)}.${pad(int(0, 99), 2)}`, `€${int(1, 9)},${pad(int(0, 999), 3)}.${pad(int(0, 99), 2)}`, `${int(1, 9999)}.${pad(int(0, 99), 2)}`]),
    order: () => pick([`ORD-${int(100000, 99999999)}`, `#${int(1000000, 99999999)}`, `INV-20${int(10, 29)}-${pad(int(1, 99999), 5)}`]),
    version: () => pick([`v${int(0, 20)}.${int(0, 40)}.${int(0, 99)}`, `${int(0, 9)}.${int(0, 20)}.${int(0, 99)}-beta.${int(1, 9)}`]),
    hash: () => chars(HEX, int(7, 12)),
    timestamp: () => String(int(1600000000, 1900000000) * 1000 + int(0, 999)),
  };

  /** One record: nested fields with PII values, free text mixing both kinds, benign metadata. */
  function record() {
    const secrets = {
      email: pii.email(), phone: random() < 0.5 ? pii.phoneUs() : pii.phoneIntl(), ssn: pii.ssn(),
      card: pii.card(), ip: random() < 0.7 ? pii.ipv4() : pii.ipv6(), key: pii.apiKey(),
    };
    const harmless = Object.fromEntries(Object.entries(benign).map(([kind, make]) => [kind, make()]));
    const text = [
      `${pick(WORDS)} ${harmless.order} from ${secrets.email} on ${harmless.isoDate}`,
      `call ${secrets.phone} re ${pick(WORDS)} ${harmless.uuid}, paid ${harmless.price} with ${secrets.card}`,
      `client ${secrets.ip} build ${harmless.version} commit ${harmless.hash} at ${harmless.timestamp}`,
      `ssn ${secrets.ssn}; key ${secrets.key}; due ${harmless.date}`,
    ].join('. ');
    return {
      data: {
        contact: { primary: secrets.email, numbers: [secrets.phone] },
        payment: { instrument: secrets.card, reference: harmless.order, amount: harmless.price },
        network: { client: secrets.ip, build: harmless.version },
        identity: { national: secrets.ssn },
        integration: { credential: secrets.key, created: harmless.isoDate },
        notes: text,
        meta: { id: harmless.uuid, commit: harmless.hash, at: harmless.timestamp, day: harmless.date },
      },
      text,
      pii: Object.values(secrets),
      benign: Object.values(harmless),
    };
  }

  const PROSE = ['the', 'customer', 'asked', 'about', 'their', 'order', 'and', 'said', 'that', 'delivery', 'was',
    'late', 'again', 'so', 'we', 'offered', 'a', 'refund', 'or', 'replacement', 'which', 'they', 'accepted',
    'after', 'checking', 'with', 'support', 'team', 'please', 'review', 'this', 'ticket', 'before', 'Monday'];
  const sentence = () => {
    const words = Array.from({ length: int(8, 16) }, () => pick(PROSE)).join(' ');
    return `${words[0].toUpperCase()}${words.slice(1)}${pick(['.', '.', ',', '!', '?'])}`;
  };

  /** A prose-heavy record: about 400 bytes of sentences with one PII value and one benign
   * value among them. */
  function proseRecord() {
    const secret = pick([pii.email, pii.phoneUs, pii.phoneIntl, pii.card, pii.ipv4])();
    const harmless = pick([benign.order, benign.date, benign.price, benign.version])();
    const parts = [];
    while (parts.join(' ').length < 330) parts.push(sentence());
    parts.splice(int(1, parts.length - 1), 0, `Contact ${secret} about ${harmless}.`);
    const text = parts.join(' ');
    return { text, pii: [secret], benign: [harmless] };
  }

  return { record, proseRecord, pii, benign };
}

/** `count` records from `seed` (prose-heavy ones when `prose`), with the PII and benign
 * strings they contain. */
export function generateCorpus(seed, count, prose = false) {
  const generator = makeGenerator(seed);
  const records = Array.from({ length: count }, () => (prose ? generator.proseRecord() : generator.record()));
  return {
    records,
    pii: records.flatMap((r) => r.pii),
    benign: records.flatMap((r) => r.benign),
  };
}
