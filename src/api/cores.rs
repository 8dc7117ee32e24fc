//! The cores behind the boundary ([`crate::api::abi`]): a core of one kind is opened and gets
//! a handle, runs operations ([`Op`]), and is closed (the JS classes close theirs when they
//! are garbage collected). The JS side holds plain handles, so the boundary is the same few
//! functions however many classes an entry has.

use crate::api::args::Args;
use crate::api::collector::{thrown, CollectorCore};
use crate::api::op::Op;
use crate::core::json::write_integer;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// What every core answers to.
pub trait Core {
    /// Runs the operation `op`; `None` where it has no answer, where its arguments do not fit,
    /// or where `op` is another kind's.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String>;
}

/// The error a constructor's arguments get when they are not a JSON array (or do not fit the
/// request they came in).
pub fn bad_arguments() -> String {
    thrown(false, "arguments must be a JSON array")
}

/// A new core of `kind`, or the `R…`/`T…` error string its constructor refused with.
fn make(kind: &str, args: &Args<'_>) -> Result<Box<dyn Core>, String> {
    Ok(match kind {
        "collector" => Box::new(CollectorCore::open(args)?),
        #[cfg(feature = "web")]
        "errors" => Box::new(crate::api::errors::ErrorsCore::open(args)?),
        #[cfg(feature = "web")]
        "vitals" => Box::new(crate::api::performance::VitalsCore::open(args)?),
        #[cfg(feature = "web")]
        "health" => Box::new(crate::api::health::HealthCore::open(args)?),
        #[cfg(feature = "full")]
        "analytics" => Box::new(crate::api::analytics::AnalyticsCore::open(args)),
        #[cfg(feature = "full")]
        "llm" => Box::new(crate::api::llm::LlmCore::open(args)?),
        #[cfg(feature = "full")]
        "stream" => Box::new(crate::api::llm::StreamCore::open(args)),
        _ => return Err(thrown(false, "this entry has no such class")),
    })
}

/// One place of the table.
enum Slot {
    Open(Box<dyn Core>),
    /// Its core is running an operation.
    Busy,
    Free,
}

/// The open cores, by handle (index + 1).
#[derive(Default)]
pub struct Cores {
    slots: Vec<Slot>,
}

impl Cores {
    /// Opens a core of `kind`: its handle in decimal digits, or the constructor's `R…`/`T…`
    /// error string.
    pub fn open(&mut self, kind: &str, texts: &str, numbers: &[f64]) -> String {
        let Some(args) = Args::new(texts, numbers, None) else {
            return bad_arguments();
        };
        let core = match make(kind, &args) {
            Ok(core) => core,
            Err(error) => return error,
        };
        let index = match self.slots.iter().position(|s| matches!(s, Slot::Free)) {
            Some(index) => {
                self.slots[index] = Slot::Open(core);
                index
            }
            None => {
                self.slots.push(Slot::Open(core));
                self.slots.len() - 1
            }
        };
        let mut out = String::new();
        write_integer(&mut out, index as i64 + 1);
        out
    }

    /// The place of `handle`, if the table has one.
    fn slot(&mut self, handle: u32) -> Option<&mut Slot> {
        self.slots.get_mut((handle as usize).checked_sub(1)?)
    }

    /// Takes the core of `handle` out for one operation; `None` for a handle that is not open
    /// or whose core is already running (a call from inside a call).
    pub fn take(&mut self, handle: u32) -> Option<Box<dyn Core>> {
        let slot = self.slot(handle)?;
        match core::mem::replace(slot, Slot::Busy) {
            Slot::Open(core) => Some(core),
            other => {
                *slot = other;
                None
            }
        }
    }

    /// Puts back a core taken by [`Cores::take`], unless it was closed meanwhile.
    pub fn put_back(&mut self, handle: u32, core: Box<dyn Core>) {
        if let Some(slot @ Slot::Busy) = self.slot(handle) {
            *slot = Slot::Open(core);
        }
    }

    /// Drops the core of `handle` (at the end of its operation if one is running).
    pub fn close(&mut self, handle: u32) {
        if let Some(slot) = self.slot(handle) {
            *slot = Slot::Free;
        }
    }

    /// How many cores are open.
    #[cfg(test)]
    fn open_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| !matches!(s, Slot::Free))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(cores: &mut Cores) -> u32 {
        let answer = cores.open(
            "collector",
            r#"["{}","https://a.test/",null,false]"#,
            &[1.0],
        );
        answer
            .parse()
            .unwrap_or_else(|_| panic!("refused: {answer}"))
    }

    #[test]
    fn handles_name_open_cores_and_closed_places_are_reused() {
        let mut cores = Cores::default();
        let (a, b) = (open(&mut cores), open(&mut cores));
        assert_eq!((a, b), (1, 2));
        cores.close(a);
        assert!(cores.take(a).is_none(), "a closed handle has no core");
        assert_eq!(open(&mut cores), 1, "the free place is reused");
        assert_eq!(cores.open_count(), 2);
        assert!(cores.take(0).is_none() && cores.take(99).is_none());
        cores.close(0);
        cores.close(99);
    }

    #[test]
    fn a_running_core_is_not_lent_twice_and_closing_it_drops_it_afterwards() {
        let mut cores = Cores::default();
        let a = open(&mut cores);
        let core = cores.take(a).expect("open");
        assert!(
            cores.take(a).is_none(),
            "a call from inside a call finds nothing"
        );
        cores.close(a);
        cores.put_back(a, core);
        assert!(cores.take(a).is_none(), "closed while running: dropped");
        assert_eq!(cores.open_count(), 0);
    }

    #[test]
    fn refusals_and_unknown_kinds_are_error_strings() {
        let mut cores = Cores::default();
        let refused = cores.open(
            "collector",
            r#"["{\"samplingRate\":5}","",null,false]"#,
            &[],
        );
        assert!(refused.starts_with('R'), "{refused}");
        assert!(cores.open("nothing", "[]", &[]).starts_with('T'));
        assert!(cores.open("collector", "{}", &[]).starts_with('T'));
        assert_eq!(cores.open_count(), 0);
    }
}
