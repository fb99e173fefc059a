//! Shared checks for the fuzz targets: the invariants every target asserts besides "no
//! panic".
use newswatch::model::{Claim, EntityMatch};

/// A small fixed watchlist (Latin and Cyrillic aliases, transliteration on) for the
/// targets that need matches.
pub const WATCHLIST: &str = r#"
name = "Fuzz"

[[entity]]
id = "shoigu"
label = "Sergei Shoigu"
kind = "person"
aliases = ["Sergei Shoigu", "Shoigu", "Шойгу", "Сергей Шойгу"]
transliterate = true

[[entity]]
id = "dprk"
label = "North Korea"
kind = "place"
aliases = ["North Korea", "DPRK", "КНДР", "Pyongyang", "Corée du Nord"]

[[entity]]
id = "unsc-2397"
label = "UN Security Council Resolution 2397"
kind = "document"
aliases = ["Resolution 2397", "резолюция 2397", "résolution 2397"]
"#;

/// Every match is a char-boundary range of `text` whose slice is what was found.
pub fn check_matches(text: &str, matches: &[EntityMatch]) {
    for m in matches {
        assert!(
            m.start <= m.end && m.end <= text.len(),
            "match out of range: {m:?}"
        );
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "match not on char boundaries: {m:?}"
        );
    }
}

/// Every claim's quote range slices `text` and equals its quote.
pub fn check_claims(text: &str, claims: &[Claim]) {
    for c in claims {
        let slice = text.get(c.quote_start..c.quote_end);
        assert_eq!(
            slice,
            Some(c.quote.as_str()),
            "quote range {}..{} does not slice the text to the quote",
            c.quote_start,
            c.quote_end
        );
    }
}
