//! Consent: whether the user allows collection, and what the SDK may do in each state.

named_enum! {
    /// The user's consent state; its name is what `getConsent()` returns.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Consent {
        /// Not asked yet (`requireConsent: true`): events wait in memory, nothing is sent or
        /// stored.
        Pending = "pending",
        /// Collection allowed.
        Granted = "granted",
        /// Collection refused: nothing is collected, and what was held is purged.
        Denied = "denied",
    }
}

impl Consent {
    /// The state at start-up: an explicit stored choice wins; otherwise a browser privacy signal
    /// (Global Privacy Control or Do-Not-Track, when respected) means denied; otherwise pending
    /// when consent is required, granted when not.
    pub fn initial(stored: Option<Consent>, require_consent: bool, privacy_signal: bool) -> Self {
        match stored {
            Some(choice @ (Self::Granted | Self::Denied)) => choice,
            _ if privacy_signal => Self::Denied,
            _ if require_consent => Self::Pending,
            _ => Self::Granted,
        }
    }

    /// Whether events may be accepted (into memory) in this state.
    pub fn accepts(self) -> bool {
        self != Self::Denied
    }

    /// Whether anything may be sent or written to storage in this state.
    pub fn allows_delivery(self) -> bool {
        self == Self::Granted
    }
}

#[cfg(test)]
mod tests {
    use super::Consent::*;
    use super::*;

    #[test]
    fn an_explicit_choice_beats_every_default() {
        for (require, signal) in [(false, false), (true, false), (false, true), (true, true)] {
            assert_eq!(Consent::initial(Some(Granted), require, signal), Granted);
            assert_eq!(Consent::initial(Some(Denied), require, signal), Denied);
        }
    }

    #[test]
    fn privacy_signals_deny_until_granted_and_requirements_wait() {
        assert_eq!(Consent::initial(None, false, true), Denied);
        assert_eq!(Consent::initial(None, true, true), Denied);
        assert_eq!(Consent::initial(None, true, false), Pending);
        assert_eq!(Consent::initial(None, false, false), Granted);
        assert_eq!(Consent::initial(Some(Pending), false, false), Granted);
    }

    #[test]
    fn what_each_state_allows() {
        assert!(Pending.accepts() && !Pending.allows_delivery());
        assert!(Granted.accepts() && Granted.allows_delivery());
        assert!(!Denied.accepts() && !Denied.allows_delivery());
        for state in [Pending, Granted, Denied] {
            assert_eq!(Consent::parse(state.name()), Some(state));
        }
        assert_eq!(Consent::parse("yes"), None);
        assert_eq!(Consent::NAMES, "'pending', 'granted' or 'denied'");
        assert_eq!(Consent::ALL, [Pending, Granted, Denied]);
    }
}
