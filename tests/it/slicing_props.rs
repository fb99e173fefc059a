//! Property tests for the byte-range slicing in claims and numbers: on arbitrary text
//! (mixed scripts, digits, thousands and decimal separators, NBSP and narrow NBSP, quotes,
//! Cyrillic) token and sentence offsets are char boundaries in order, every claim's
//! `quote_start..quote_end` slices the text to its quote, and nothing panics.
use chrono::{TimeZone, Utc};
use newswatch::model::EntityMatch;
use newswatch::transforms::claims::numbers::{tokenize, Lang};
use newswatch::transforms::claims::{extract_claims, sentences};
use proptest::prelude::*;

/// Characters that change how numbers, sentences and quotes are read.
const CHARS: &[char] = &[
    '0', '1', '2', '3', '5', '7', '9', ',', '.', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '’',
    '"', '«', '»', '“', '”', '„', '-', '–', '—', '%', '$', '€', '£', '₽', '/', ':', '(', ')', '\n',
    '!', '?', '…', '№', 'a', 'k', 'm', 'S', 'x', 'é', 'ï', 'К', 'к', 'м', 'л', 'н', 'т', 'ы', 'ё',
    'Ш', '北', '한', '😀', '\u{301}', '\u{feff}',
];

/// Words and figures that make claims likely when strung together.
const WORDS: &[&str] = &[
    "Shoigu",
    "Шойгу",
    "North Korea",
    "КНДР",
    "killed",
    "people",
    "soldiers",
    "troops",
    "million",
    "billion",
    "thousand",
    "тысяч",
    "млн",
    "человек",
    "погибли",
    "солдат",
    "morts",
    "personnes",
    "millions",
    "about",
    "at least",
    "more than",
    "около",
    "plus de",
    "said",
    "заявил",
    "a déclaré",
    "1,500",
    "1.5",
    "3 000",
    "3\u{a0}000",
    "12\u{202f}000",
    "2,5",
    "12.5%",
    "$4bn",
    "€3 млрд",
    "10 000",
    "2024",
    "1 June",
    "15 мая",
    "in",
    "the",
    "«",
    "»",
    "\"",
    ".",
    ",",
    "\n\n",
    "Resolution 2397",
    "up from",
    "to",
    "-",
];

fn mixed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(CHARS).prop_map(String::from),
        3 => prop::sample::select(WORDS).prop_map(|w| format!("{w} ")),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

fn lang() -> impl Strategy<Value = Lang> {
    prop_oneof![Just(Lang::En), Just(Lang::Fr), Just(Lang::Ru)]
}

/// Matches at arbitrary char boundaries of `text`, from pairs of indices.
fn matches_at(text: &str, picks: &[(usize, usize)]) -> Vec<EntityMatch> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    picks
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (start, end) = (a.min(b), a.max(b));
            EntityMatch {
                watchlist: "props".into(),
                entity: format!("e{}", k % 2),
                alias: text[start..end].to_string(),
                found: text[start..end].to_string(),
                start,
                end,
                kind: String::new(),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn tokens_are_in_order_on_char_boundaries(s in mixed_text(), lang in lang()) {
        let toks = tokenize(&s, lang);
        let mut prev_end = 0;
        for t in &toks {
            prop_assert!(t.start < t.end, "empty token {t:?}");
            prop_assert!(t.end <= s.len(), "token past the end {t:?}");
            prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end), "{t:?}");
            prop_assert!(t.start >= prev_end, "tokens overlap or go back: {t:?}");
            prev_end = t.end;
        }
    }

    #[test]
    fn sentences_slice_the_text(s in mixed_text()) {
        for sent in sentences::split(&s) {
            prop_assert!(s.get(sent.start..sent.end).is_some(), "sentence {}..{}", sent.start, sent.end);
            prop_assert!(s.get(sent.para_start..sent.para_end).is_some(), "paragraph {}..{}", sent.para_start, sent.para_end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn claim_quotes_slice_the_text(
        s in mixed_text(),
        picks in prop::collection::vec((any::<usize>(), any::<usize>()), 0..6),
        tag in prop::sample::select(vec![None, Some("en"), Some("fr"), Some("ru")]),
        dated in any::<bool>(),
    ) {
        let matches = matches_at(&s, &picks);
        let published = if dated { Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).single() } else { None };
        for c in extract_claims(&s, &matches, tag, published) {
            prop_assert_eq!(s.get(c.quote_start..c.quote_end), Some(c.quote.as_str()));
        }
    }
}
