//! Every core behind the boundary, driven by the fuzzer's sequences of operations, as
//! tests/core_sequences.rs drives them with random ones. The input is records split at 0xff;
//! a record is a selector byte (an operation of the chosen core; 0xf0 and up open a core, 0xe8
//! to 0xef close one), a handle byte, a flags byte (the low three bits: how many numbers;
//! 0x40: the first text is the whole texts argument, not a JSON array; 0x80: the last text is
//! the payload) and texts split at 0x01 (`n` stands for null, `t` for true, and a text
//! starting with 0x02 for one of the answers so far). No sequence may panic a core.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wasm_telemetry::api::args::Args;
use wasm_telemetry::api::cores::Cores;
use wasm_telemetry::api::op::Op;
use wasm_telemetry::core::json::write_string;

include!("../../tests/support/core_ops.rs");

/// The texts argument of a record: a JSON array of its texts, or its first text as it is.
fn texts_of(parts: &[String], raw: bool) -> String {
    if raw {
        return parts.first().cloned().unwrap_or_default();
    }
    let mut out = String::from("[");
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        match part.as_str() {
            "n" => out.push_str("null"),
            "t" => out.push_str("true"),
            text => write_string(&mut out, text),
        }
    }
    out.push(']');
    out
}

fuzz_target!(|data: &[u8]| {
    let mut cores = Cores::default();
    let mut open: Vec<(u32, usize)> = Vec::new();
    let mut answers: Vec<String> = Vec::new();
    for record in data.split(|b| *b == 0xff).take(64) {
        let [selector, handle, flags, rest @ ..] = record else {
            continue;
        };
        let (selector, handle, flags) = (*selector as usize, *handle as usize, *flags);
        let mut parts: Vec<String> = String::from_utf8_lossy(rest)
            .split('\u{1}')
            .map(|part| match part.strip_prefix('\u{2}') {
                Some(_) if !answers.is_empty() => answers[part.len() % answers.len()].clone(),
                _ => String::from(part),
            })
            .collect();
        let payload = (flags & 0x80 != 0).then(|| parts.pop()).flatten();
        let texts = texts_of(&parts, flags & 0x40 != 0);
        let numbers: Vec<f64> = (0..usize::from(flags & 7))
            .map(|i| NUMBERS[((handle >> i) ^ (i * 7)) % NUMBERS.len()])
            .collect();
        if open.is_empty() || selector >= 0xf0 {
            let kind = selector % KINDS.len();
            if let Ok(handle) = cores.open(KINDS[kind].0, &texts, &numbers).parse() {
                open.push((handle, kind));
            }
            continue;
        }
        if selector >= 0xe8 {
            let (closed, _) = open.remove(handle % open.len());
            cores.close(closed);
            continue;
        }
        let (handle, kind) = open[handle % open.len()];
        let ops = KINDS[kind].1;
        let Some(args) = Args::new(&texts, &numbers, payload.as_deref()) else {
            continue;
        };
        let mut core = cores.take(handle).expect("an open core");
        let answer = core.call(op_named(ops[selector % ops.len()]), &args);
        cores.put_back(handle, core);
        if let Some(answer) = answer {
            if answers.len() == 16 {
                answers.remove(0);
            }
            answers.push(answer);
        }
    }
});
