//! Claim extraction on arbitrary UTF-8 text with matches at arbitrary char boundaries.
//!
//! Input: one selector byte (language, date), one byte for the number of matches (0–15),
//! four bytes per match (two u16 picks among the text's char boundaries), then the text
//! (lossy UTF-8).
#![no_main]
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newswatch::model::EntityMatch;
use newswatch::transforms::claims::extract_claims;
use newswatch_fuzz::check_claims;

const LANGS: [Option<&str>; 5] = [None, Some("en"), Some("fr"), Some("ru"), Some("de")];

fuzz_target!(|data: &[u8]| {
    let [sel, n, rest @ ..] = data else {
        return;
    };
    let n = usize::from(n % 16).min(rest.len() / 4);
    let (picks, text) = rest.split_at(n * 4);
    let text = String::from_utf8_lossy(text);
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let matches: Vec<EntityMatch> = picks
        .chunks_exact(4)
        .enumerate()
        .map(|(k, p)| {
            let a = usize::from(u16::from_le_bytes([p[0], p[1]]));
            let b = usize::from(u16::from_le_bytes([p[2], p[3]]));
            let a = bounds[a % bounds.len()];
            let b = bounds[b % bounds.len()];
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
    let lang = LANGS[usize::from(*sel) % LANGS.len()];
    let published = (sel & 0x80 != 0)
        .then(|| Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).single())
        .flatten();
    let claims = extract_claims(&text, &matches, lang, published);
    check_claims(&text, &claims);
});
