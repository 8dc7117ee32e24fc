//! Every core behind the boundary, driven by long random sequences of operations with hostile
//! arguments: no sequence may panic a core (in the wasm build a panic traps and the instance,
//! with every event it holds, is lost), every answer of an operation that answers JSON must
//! parse, and a closed or busy handle is refused. The sequences are seeded, so a failure names
//! the seed that reproduces it; `CORE_SEQUENCES=<n>` runs more of them.

use wasm_telemetry::api::args::Args;
use wasm_telemetry::api::cores::Cores;
use wasm_telemetry::api::op::Op;
use wasm_telemetry::core::json::write_string;
use wasm_telemetry::core::json_value::parse;
use wasm_telemetry::core::random::Rng;

/// The SDK's own seeded generator, with the few draws the sequences need.
struct Draws(Rng);

impl Draws {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.0.next_u64() % 100 < percent
    }
}

include!("support/core_ops.rs");

/// Operations whose answer, when they give one, is a JSON document.
const JSON_ANSWERS: [&str; 14] = [
    "config",
    "status",
    "groups",
    "stats",
    "vitals",
    "resources",
    "aiSummary",
    "summary",
    "budgetStatus",
    "forecast",
    "takeEvents",
    "featureStats",
    "conversationStats",
    "usage",
];

/// Texts as the JS classes pass them, well-formed and not, and the values hostile pages give.
const TEXTS: [&str; 48] = [
    "",
    "x",
    "page.view",
    "error",
    "web-vital",
    "gen_ai.call",
    "span",
    "granted",
    "denied",
    "pending",
    "openai",
    "anthropic",
    "google",
    "gpt-4o",
    "claude-sonnet-4-5-20250929",
    "gemini-2.5-pro",
    "TypeError",
    "boom",
    "    at f (https://app.example/a.js:1:2)\n    at g (a.js:3:4)",
    "f@https://app.example/a.js:1:2\n@a.js line 3 > eval:1:1",
    "https://api.example/v1?token=abc#frag",
    "/relative/path",
    "javascript:alert(1)",
    "{}",
    "[]",
    "null",
    "{\"a\":1}",
    "{\"type\":\"x\",\"data\":{\"email\":\"a@b.co\"}}",
    "{\"transport\":\"custom\",\"customTransport\":true}",
    "{\"transport\":\"http\",\"endpoint\":\"/ingest\",\"maxBufferSize\":1}",
    "{\"sampling\":\"throttled\",\"maxEventsPerWindow\":1,\"throttleWindowMs\":1}",
    "{\"requireConsent\":true}",
    "{\"maxBufferSize\":1e309}",
    "{\"inputTokens\":1e308,\"outputTokens\":-1}",
    "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}",
    "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}",
    "{\"gpt-4o\":{\"input_cost_per_token\":0.0000025}}",
    "{\"name\":\"api\",\"critical\":true}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "{\"a\":",
    "\"unterminated",
    "\u{0}\u{1}\u{7f}",
    "\u{feff}\u{202e}日本語 😀",
    "\\ud800",
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "00-00000000000000000000000000000000-0000000000000000-01",
    "4111 1111 1111 1111 jane@example.com +44 20 7946 0958",
    "__proto__",
];

/// A text: one of [`TEXTS`] or of the answers so far (batch ids, journals, event JSON),
/// sometimes cut short or with a byte changed.
fn text(rng: &mut Draws, answers: &[String]) -> String {
    let mut text = if !answers.is_empty() && rng.chance(20) {
        answers[rng.below(answers.len())].clone()
    } else {
        String::from(rng.pick(&TEXTS))
    };
    if rng.chance(15) && !text.is_empty() {
        // Cut at a random place, moved back to the start of its character.
        let place = rng.below(text.len());
        let cut = (0..=place).rev().find(|at| text.is_char_boundary(*at));
        text.truncate(cut.unwrap_or(0));
    }
    if rng.chance(10) {
        let at = rng.below(text.len() + 1);
        if text.is_char_boundary(at) {
            let inserted = ['{', '}', '"', '\\', ',', ':', '\n', '0', 'é'][rng.below(9)];
            text.insert(at, inserted);
        }
    }
    if rng.chance(2) {
        text = text.repeat(1 + rng.below(2000));
    }
    text
}

/// A JSON array of texts as the classes send them: strings, booleans and `null`.
fn texts(rng: &mut Draws, answers: &[String]) -> String {
    if rng.chance(3) {
        return text(rng, answers); // not an array at all
    }
    let items: Vec<String> = (0..rng.below(9))
        .map(|_| match rng.below(8) {
            0 => String::from("null"),
            1 => String::from(if rng.chance(50) { "true" } else { "false" }),
            2 => String::from("1.5"),
            _ => {
                let mut item = String::new();
                write_string(&mut item, &text(rng, answers));
                item
            }
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Up to eight numbers, as the classes send them.
fn numbers(rng: &mut Draws) -> Vec<f64> {
    (0..rng.below(9))
        .map(|_| NUMBERS[rng.below(NUMBERS.len())])
        .collect()
}

/// One sequence: a few cores opened, then operations on them, closing and opening cores on the
/// way.
fn run_sequence(seed: u64) {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = Draws(Rng::from_seed(seed_bytes));
    let mut cores = Cores::default();
    let mut open: Vec<(u32, usize)> = Vec::new();
    let mut answers: Vec<String> = Vec::new();
    for step in 0..60 {
        if open.is_empty() || rng.chance(8) {
            let kind = rng.below(KINDS.len() + 1);
            let name = KINDS.get(kind).map_or("nonsense", |(name, _)| name);
            let answer = cores.open(name, &texts(&mut rng, &answers), &numbers(&mut rng));
            if let Ok(handle) = answer.parse::<u32>() {
                assert!(kind < KINDS.len(), "seed {seed}: opened a core of no kind");
                open.push((handle, kind));
            }
            continue;
        }
        let (handle, kind) = open[rng.below(open.len())];
        if rng.chance(3) {
            cores.close(handle);
            open.retain(|(h, _)| *h != handle);
            assert!(
                cores.take(handle).is_none(),
                "seed {seed}: a closed handle was taken"
            );
            continue;
        }
        let ops = KINDS[kind].1;
        // Now and then an operation of another kind of core, which this one does not run.
        let op = if rng.chance(3) {
            Op::ALL[rng.below(Op::ALL.len())]
        } else {
            op_named(rng.pick(ops))
        };
        let (texts, numbers) = (texts(&mut rng, &answers), numbers(&mut rng));
        let payload = rng.chance(40).then(|| text(&mut rng, &answers));
        let Some(args) = Args::new(&texts, &numbers, payload.as_deref()) else {
            continue;
        };
        let mut core = cores.take(handle).expect("an open handle is taken");
        assert!(
            cores.take(handle).is_none(),
            "seed {seed}: a busy core was taken twice"
        );
        let answer = core.call(op, &args);
        cores.put_back(handle, core);
        if let Some(answer) = answer {
            // An error the JS class throws is `R…` (RangeError) or `T…` (TypeError).
            let thrown = answer.starts_with(['R', 'T']);
            if JSON_ANSWERS.contains(&op.name()) && !answer.is_empty() && !thrown {
                assert!(
                    parse(&answer).is_some(),
                    "seed {seed}, step {step}: {op:?} answered no JSON: {answer}"
                );
            }
            if answers.len() == 16 {
                answers.remove(rng.below(16));
            }
            answers.push(answer);
        }
    }
}

#[test]
fn no_sequence_of_operations_panics_a_core_or_answers_broken_json() {
    let count = std::env::var("CORE_SEQUENCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000u64);
    for seed in 0..count {
        let run = std::panic::catch_unwind(|| run_sequence(seed));
        assert!(
            run.is_ok(),
            "the sequence of seed {seed} panicked (see above)"
        );
    }
}
