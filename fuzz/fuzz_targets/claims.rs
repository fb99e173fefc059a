//! Claim extraction on arbitrary UTF-8 text with matches at arbitrary char boundaries.
#![no_main]
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newswatch::model::EntityMatch;
use newswatch::transforms::claims::extract_claims;
use newswatch_fuzz::check_claims;

const LANGS: [Option<&str>; 5] = [None, Some("en"), Some("fr"), Some("ru"), Some("de")];

fuzz_target!(|input: (u8, Vec<(u16, u16)>, String)| {
    let (sel, ranges, text) = input;
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let matches: Vec<EntityMatch> = ranges
        .iter()
        .take(16)
        .enumerate()
        .map(|(k, &(a, b))| {
            let a = bounds[usize::from(a) % bounds.len()];
            let b = bounds[usize::from(b) % bounds.len()];
            let (start, end) = (a.min(b), a.max(b));
            EntityMatch {
                watchlist: "fuzz".into(),
                entity: format!("e{}", k % 3),
                alias: text[start..end].to_string(),
                found: text[start..end].to_string(),
                start,
                end,
            }
        })
        .collect();
    let lang = LANGS[usize::from(sel) % LANGS.len()];
    let published = (sel & 0x80 != 0)
        .then(|| Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).single())
        .flatten();
    let claims = extract_claims(&text, &matches, lang, published);
    check_claims(&text, &claims);
});
