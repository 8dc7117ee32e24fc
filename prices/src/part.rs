//! The parts of a call that are priced separately, each declared once with its keys in the
//! three table formats, the rate it falls back to when a table does not give one, and the
//! cost it is reported under.

/// Which figure of a [`crate::cost::Cost`] a part adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Uncached input of any modality.
    Input,
    /// Cache reads.
    CacheRead,
    /// Cache writes.
    CacheWrite,
    /// Output of any modality, reasoning included.
    Output,
}

macro_rules! parts {
    ($($part:ident: $group:ident, $own:literal, $litellm:literal, $dataset:literal, $fallback:expr;)*) => {
        /// A separately priced part of a call.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Part {
            $(
                #[doc = concat!("Priced as `", $own, "` in the SDK's own format.")]
                $part,
            )*
        }

        impl Part {
            /// Every part, in the order of a rate array.
            pub const ALL: [Part; [$(Part::$part),*].len()] = [$(Part::$part),*];

            /// The cost it is reported under.
            pub const fn group(self) -> Group {
                match self { $(Part::$part => Group::$group,)* }
            }

            /// Its key in the SDK's own format (USD per million tokens).
            pub const fn own_key(self) -> &'static str {
                match self { $(Part::$part => $own,)* }
            }

            /// Its key in LiteLLM's `model_prices_and_context_window.json` (USD per token).
            pub const fn litellm_key(self) -> &'static str {
                match self { $(Part::$part => $litellm,)* }
            }

            /// Its key in genai-prices' data (USD per million tokens).
            pub const fn dataset_key(self) -> &'static str {
                match self { $(Part::$part => $dataset,)* }
            }

            /// The part whose rate applies when a table gives none; `None` for the two rates
            /// every priced model has.
            pub const fn fallback(self) -> Option<Part> {
                match self { $(Part::$part => $fallback,)* }
            }
        }
    };
}

parts! {
    Input: Input, "input", "input_cost_per_token", "input_mtok", None;
    Output: Output, "output", "output_cost_per_token", "output_mtok", None;
    CacheRead: CacheRead, "cacheRead", "cache_read_input_token_cost", "cache_read_mtok", Some(Part::Input);
    CacheWrite5m: CacheWrite, "cacheWrite5m", "cache_creation_input_token_cost", "cache_write_mtok", Some(Part::Input);
    CacheWrite1h: CacheWrite, "cacheWrite1h", "cache_creation_input_token_cost_above_1hr", "cache_write_1h_mtok", Some(Part::CacheWrite5m);
    AudioInput: Input, "audioInput", "input_cost_per_audio_token", "input_audio_mtok", Some(Part::Input);
    AudioCacheRead: CacheRead, "audioCacheRead", "cache_read_input_audio_token_cost", "cache_audio_read_mtok", Some(Part::CacheRead);
    AudioOutput: Output, "audioOutput", "output_cost_per_audio_token", "output_audio_mtok", Some(Part::Output);
    ImageInput: Input, "imageInput", "input_cost_per_image_token", "input_image_mtok", Some(Part::Input);
    ImageOutput: Output, "imageOutput", "output_cost_per_image_token", "output_image_mtok", Some(Part::Output);
}

/// How many parts there are: the length of a rate array.
pub const PARTS: usize = Part::ALL.len();

impl Part {
    /// Its index in a rate array.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fallback_ends_at_input_or_output_and_keys_are_distinct() {
        for part in Part::ALL {
            let mut at = part;
            let mut steps = 0;
            while let Some(next) = at.fallback() {
                at = next;
                steps += 1;
                assert!(steps < PARTS, "{part:?} falls back in a loop");
            }
            assert!(matches!(at, Part::Input | Part::Output), "{part:?}");
            assert_eq!(Part::ALL[part.index()], part);
        }
        for keys in [Part::own_key, Part::litellm_key, Part::dataset_key] {
            let mut seen: std::vec::Vec<&str> = Part::ALL.iter().map(|p| keys(*p)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), PARTS);
        }
    }
}
