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

  /** The ISO 7064 MOD 97-10 check digits of an IBAN without them. */
  const ibanCheck = (country, bban) => {
    let remainder = 0;
    for (const c of `${bban}${country}00`) {
      const value = /\d/.test(c) ? c : String(c.charCodeAt(0) - 55);
      for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
    }
    return pad(98 - remainder, 2);
  };
  const IBAN_SHAPES = [['DE', 18], ['GB', 18, 'WEST'], ['FR', 23], ['ES', 20], ['NL', 14, 'ABNA'], ['IT', 23, 'X']];
  const iban = (valid) => {
    const [country, length, letters = ''] = pick(IBAN_SHAPES);
    const bban = letters + chars(DIGITS, length - letters.length);
    const check = ibanCheck(country, bban);
    const number = `${country}${valid ? check : pad((Number(check) + int(1, 40)) % 97 + 2, 2)}${bban}`;
    return pick([number, number.replace(/(.{4})(?!$)/g, '$1 ')]);
  };
  // Addresses from BIP-173, BIP-350 and Bitcoin Core's base58 vectors (their checksums need
  // hashing the corpus does not do), and the same with one character changed.
  const WALLETS = ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i',
    '3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou', 'mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs'];
  const BAD_WALLETS = ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62j',
    '3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xov'];

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
    phoneNational: () => pick([
      `0${int(21, 99)}-${int(100, 999)}-${int(1000, 9999)}`,
      `0${int(20, 99)} ${int(1000, 9999)} ${int(1000, 9999)}`,
      `(0)${int(20, 99)} ${int(1000, 9999)} ${int(1000, 9999)}`,
      `0${int(1, 9)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)}`,
    ]),
    ssnDotted: () => pii.ssn().replaceAll('-', '.'),
    uatp: () => {
      const body = `1${chars(DIGITS, 13)}`;
      return body + luhnDigit(body);
    },
    iban: () => iban(true),
    wallet: () => pick([...WALLETS, `0x${chars('0123456789abcdefABCDEF', 40)}`]),
    mac: () => {
      const octets = Array.from({ length: 6 }, () => chars('0123456789abcdef', 2));
      return pick([octets.join(':'), octets.join('-').toUpperCase(), `${octets[0]}${octets[1]}.${octets[2]}${octets[3]}.${octets[4]}${octets[5]}`]);
    },
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
    badIban: () => iban(false),
    badWallet: () => pick(BAD_WALLETS),
    status: () => `HTTP/1.1 ${pick(['200 OK', '404 Not Found', '503 Service Unavailable'])}`,
    luhnFailing: () => {
      const body = `4${chars(DIGITS, 14)}`;
      return body + ((Number(luhnDigit(body)) + int(1, 9)) % 10);
    },
    time: () => `${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}`,
  };

  /** One record: nested fields with PII values, free text mixing both kinds, benign metadata. */
  function record() {
    const secrets = {
      email: pii.email(), phone: random() < 0.5 ? pii.phoneUs() : pii.phoneIntl(), ssn: pii.ssn(),
      card: pii.card(), ip: random() < 0.7 ? pii.ipv4() : pii.ipv6(), key: pii.apiKey(),
      national: pii.phoneNational(), dotted: pii.ssnDotted(), uatp: pii.uatp(), iban: pii.iban(),
      wallet: pii.wallet(), mac: pii.mac(),
    };
    const harmless = Object.fromEntries(Object.entries(benign).map(([kind, make]) => [kind, make()]));
    const text = [
      `${pick(WORDS)} ${harmless.order} from ${secrets.email} on ${harmless.isoDate}`,
      `call ${secrets.phone} re ${pick(WORDS)} ${harmless.uuid}, paid ${harmless.price} with ${secrets.card}`,
      `client ${secrets.ip} build ${harmless.version} commit ${harmless.hash} at ${harmless.timestamp}`,
      `ssn ${secrets.ssn}; key ${secrets.key}; due ${harmless.date}`,
      `iban ${secrets.iban} (not ${harmless.badIban}), wallet ${secrets.wallet} (not ${harmless.badWallet}), device ${secrets.mac} at ${harmless.time}`,
      `fax ${secrets.national}, tax ${secrets.dotted}, travel card ${secrets.uatp}; got ${harmless.status} for ${harmless.luhnFailing}`,
    ].join('. ');
    return {
      data: {
        contact: { primary: secrets.email, numbers: [secrets.phone] },
        payment: { instrument: secrets.card, reference: harmless.order, amount: harmless.price },
        network: { client: secrets.ip, build: harmless.version },
        identity: { national: secrets.ssn, tax: secrets.dotted },
        banking: { iban: secrets.iban, wallet: secrets.wallet, travel: secrets.uatp, fax: secrets.national },
        device: { mac: secrets.mac },
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
