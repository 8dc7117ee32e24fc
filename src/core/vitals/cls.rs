//! Cumulative Layout Shift: the largest session window of layout shifts.
//!
//! A shift joins the current window when it comes less than 1 s after the window's previous
//! shift and less than 5 s after its first; otherwise it opens a new window. Shifts right after
//! user input (`hadRecentInput`) do not count. CLS is the largest window's total.

use alloc::vec::Vec;

/// One `layout-shift` entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// `startTime`, in milliseconds.
    pub start_time: f64,
    /// `value`.
    pub value: f64,
    /// `hadRecentInput`.
    pub had_recent_input: bool,
}

/// The running CLS computation.
#[derive(Debug, Clone, Default)]
pub struct Cls {
    window_value: f64,
    window_first: f64,
    window_last: f64,
    window_shifts: Vec<Shift>,
    value: f64,
    largest: Vec<Shift>,
}

impl Cls {
    /// Adds one shift; returns whether CLS grew.
    pub fn add(&mut self, shift: Shift) -> bool {
        if shift.had_recent_input {
            return false;
        }
        let joins = self.window_value > 0.0
            && shift.start_time - self.window_last < 1000.0
            && shift.start_time - self.window_first < 5000.0;
        if joins {
            self.window_value += shift.value;
            self.window_shifts.push(shift);
        } else {
            self.window_value = shift.value;
            self.window_first = shift.start_time;
            self.window_shifts.clear();
            self.window_shifts.push(shift);
        }
        self.window_last = shift.start_time;
        if self.window_value > self.value {
            self.value = self.window_value;
            self.largest.clone_from(&self.window_shifts);
            true
        } else {
            false
        }
    }

    /// The current CLS value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The shifts of the largest window (for attribution: the largest of them is the source).
    pub fn largest_window(&self) -> &[Shift] {
        &self.largest
    }

    /// The single largest shift of the largest window.
    pub fn largest_shift(&self) -> Option<Shift> {
        self.largest
            .iter()
            .copied()
            .fold(None, |best: Option<Shift>, s| match best {
                Some(b) if b.value >= s.value => Some(b),
                _ => Some(s),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    fn shift(start_time: f64, value: f64) -> Shift {
        Shift {
            start_time,
            value,
            had_recent_input: false,
        }
    }

    /// The definition, computed directly: split the shifts into windows and take the largest.
    fn reference(shifts: &[Shift]) -> f64 {
        let counted: Vec<&Shift> = shifts.iter().filter(|s| !s.had_recent_input).collect();
        let mut best = 0.0f64;
        let mut start = 0;
        while start < counted.len() {
            let mut end = start + 1;
            while end < counted.len()
                && counted[end].start_time - counted[end - 1].start_time < 1000.0
                && counted[end].start_time - counted[start].start_time < 5000.0
            {
                end += 1;
            }
            best = best.max(counted[start..end].iter().map(|s| s.value).sum());
            start = end;
        }
        best
    }

    #[test]
    fn windows_split_on_one_second_gaps_and_five_second_spans() {
        let mut cls = Cls::default();
        for s in [shift(0.0, 0.1), shift(900.0, 0.1), shift(2000.0, 0.05)] {
            cls.add(s);
        }
        assert!((cls.value() - 0.2).abs() < 1e-12);
        let mut long = Cls::default();
        for t in 0..12 {
            long.add(shift(f64::from(t) * 500.0, 0.01));
        }
        assert!((long.value() - 0.10).abs() < 1e-12, "{}", long.value());
    }

    #[test]
    fn shifts_after_input_do_not_count() {
        let mut cls = Cls::default();
        assert!(!cls.add(Shift {
            start_time: 0.0,
            value: 0.5,
            had_recent_input: true
        }));
        assert_eq!(cls.value(), 0.0);
    }

    #[test]
    fn matches_the_definition_on_random_shift_sequences() {
        let mut rng = Rng::from_seed([17; 32]);
        for _ in 0..2000 {
            let mut time = 0.0;
            let count = (rng.next_f64() * 40.0) as usize;
            let shifts: Vec<Shift> = (0..count)
                .map(|_| {
                    time += rng.next_f64() * 1800.0;
                    Shift {
                        start_time: time,
                        value: rng.next_f64() * 0.2,
                        had_recent_input: rng.next_f64() < 0.1,
                    }
                })
                .collect();
            let mut cls = Cls::default();
            for s in &shifts {
                cls.add(*s);
            }
            assert!(
                (cls.value() - reference(&shifts)).abs() < 1e-9,
                "{shifts:?}"
            );
            let window_total: f64 = cls.largest_window().iter().map(|s| s.value).sum();
            assert!((window_total - cls.value()).abs() < 1e-9);
        }
    }
}
