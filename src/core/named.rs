//! Enums whose values have names in the JS API, declared with each variant and its name once.

/// Declares a fieldless enum from `Variant = "name"` pairs and generates, from that one list,
/// `ALL` (the variants in order), `LIST` (their names), `NAMES` (the names quoted and joined as in error messages:
/// `'a', 'b' or 'c'`), `parse` and `name`. Attributes and doc comments pass through.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $enum:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $name:literal, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $enum {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $enum {
            /// Every value, in the order of the variants.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Every name, in the order of the variants.
            pub const LIST: &'static [&'static str] = &[$($name),+];

            /// The accepted names, quoted and joined for error messages, in the order of the
            /// variants.
            pub const NAMES: &'static str = quoted_names!($($name),+);

            /// Parses a name (exactly as [`Self::name`] spells it).
            pub fn parse(name: &str) -> Option<Self> {
                // A search of the table, not a `match` on strings: one loop instead of a chain
                // of comparisons in every enum.
                let index = Self::LIST.iter().position(|known| *known == name)?;
                Some(Self::ALL[index])
            }

            /// The value's name in the JS API.
            pub fn name(self) -> &'static str {
                Self::LIST[self as usize]
            }
        }
    };
}

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`, … as one string literal.
macro_rules! quoted_names {
    ($only:literal) => {
        concat!("'", $only, "'")
    };
    ($first:literal, $last:literal) => {
        concat!("'", $first, "' or '", $last, "'")
    };
    ($first:literal, $($rest:literal),+) => {
        concat!("'", $first, "', ", quoted_names!($($rest),+))
    };
}
