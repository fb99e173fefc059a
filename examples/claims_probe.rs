//! Prints the claims newswatch reads in a text, one per line with its comparison key: a
//! tool for looking at the reader's work on a sentence.
//!
//! Usage: echo "TEXT" | cargo run --example claims_probe -- [LANG] [ENTITY...]
//! Each ENTITY is a word of the text matched as a watch entity of watchlist `probe`
//! (with none, the text's first word is).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a developer's tool
use std::io::Read;

use newswatch::model::EntityMatch;
use newswatch::transforms::claims::extract_claims;

fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = args.first().map(String::as_str);
    let mut words: Vec<String> = args.iter().skip(1).cloned().collect();
    if words.is_empty() {
        words.push(text.split_whitespace().next().unwrap_or("").to_string());
    }
    let mut matches = Vec::new();
    for w in &words {
        for (start, _) in text.match_indices(w.as_str()) {
            matches.push(EntityMatch {
                watchlist: "probe".into(),
                entity: w.to_lowercase(),
                alias: w.clone(),
                found: w.clone(),
                start,
                end: start + w.len(),
                kind: String::new(),
            });
        }
    }
    matches.sort_by_key(|m| m.start);
    for c in extract_claims(&text, &matches, lang, None) {
        println!(
            "{} {:?} {:?} {} now={} rival={} neg={:?} place={:?} by={:?} | {}",
            c.value,
            c.value_max,
            c.approx,
            c.key(),
            c.running_total,
            c.rival,
            c.polarity == newswatch::model::Polarity::Negative,
            c.place,
            c.attributed_to,
            c.quote.chars().take(90).collect::<String>()
        );
    }
}
