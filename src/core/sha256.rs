//! SHA-256 (FIPS 180-4), for hashing user ids before they leave the page.

use crate::core::hex::hex;
use crate::core::text::concat;
use alloc::string::String;

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The SHA-256 digest of `data`, without allocating: whole blocks are read from `data`, and
/// the padded tail (one or two blocks) from a buffer on the stack.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let whole = data.len() / 64 * 64;
    let mut at = 0;
    while at < whole {
        compress(&mut state, data, at);
        at += 64;
    }
    // The tail: the rest of `data`, 0x80, zeros and the length in bits, to a multiple of 64.
    let rest = data.get(whole..).unwrap_or_default();
    let mut tail = [0u8; 128];
    for (slot, b) in tail.iter_mut().zip(rest) {
        *slot = *b;
    }
    tail[rest.len()] = 0x80;
    let tail_length = if rest.len() < 56 { 64 } else { 128 };
    let bits = (data.len() as u64).wrapping_mul(8).to_be_bytes();
    for (i, b) in bits.iter().enumerate() {
        tail[tail_length - 8 + i] = *b;
    }
    compress(&mut state, &tail, 0);
    if tail_length == 128 {
        compress(&mut state, &tail, 64);
    }
    let mut digest = [0u8; 32];
    for i in 0..32 {
        digest[i] = state[i / 4].to_be_bytes()[i % 4];
    }
    digest
}

/// One round of the compression function over the 64 bytes of `bytes` from `at`. Its loops
/// index the schedule and the state: with iterator adapters the wasm was 0.1 KB gzipped
/// larger.
#[allow(clippy::needless_range_loop)]
fn compress(state: &mut [u32; 8], bytes: &[u8], at: usize) {
    // Reads that cannot fail keep bounds-check panics (and their formatting) out of the wasm.
    let read = |i: usize| u32::from(bytes.get(at + i).copied().unwrap_or(0));
    let mut w = [0u32; 64];
    for i in 0..16 {
        w[i] = read(4 * i) << 24 | read(4 * i + 1) << 16 | read(4 * i + 2) << 8 | read(4 * i + 3);
    }
    for i in 16..64 {
        let (w15, w2) = (w[i - 15], w[i - 2]);
        let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
        let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
        w[i] = w[i - 16]
            .wrapping_add(s0)
            .wrapping_add(w[i - 7])
            .wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for i in 0..64 {
        let t1 = h
            .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
            .wrapping_add((e & f) ^ (!e & g))
            .wrapping_add(K[i])
            .wrapping_add(w[i]);
        let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22))
            .wrapping_add((a & b) ^ (a & c) ^ (b & c));
        (h, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
    }
    let worked = [a, b, c, d, e, f, g, h];
    for i in 0..8 {
        state[i] = state[i].wrapping_add(worked[i]);
    }
}

/// Lower-case hex of the digest of `salt`, a colon and `id`: what `identify` sends for a user id.
pub fn salted_id_hash(salt: &str, id: &str) -> String {
    hex(&sha256(concat(&[salt, ":", id]).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_hex(data: &[u8]) -> String {
        sha256(data)
            .iter()
            .map(|b| std::format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn matches_the_fips_180_test_vectors() {
        assert_eq!(
            digest_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            digest_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            digest_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            digest_hex(&[b'a'; 1_000_000]),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn salted_hashes_differ_by_salt_and_hide_the_id() {
        let a = salted_id_hash("app-1", "user-42");
        assert_eq!(a.len(), 64);
        assert_eq!(a, digest_hex(b"app-1:user-42"));
        assert_ne!(a, salted_id_hash("app-2", "user-42"));
        assert!(!a.contains("42"));
    }
}
