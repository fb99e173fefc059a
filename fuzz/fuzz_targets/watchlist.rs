//! Watchlist parsing (and compiling) on arbitrary TOML text; a compiled set is run over
//! a fixed text and over its own source.
#![no_main]
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use newswatch::watchlist::WatchSet;
use newswatch_fuzz::check_matches;

const TEXT: &str = "Sergei Shoigu met Kim Jong Un in Pyongyang; Шойгу прибыл в КНДР. \
                    Resolution 2397 caps refined petroleum at 500,000 barrels.";

fuzz_target!(|src: &str| {
    let (set, diags) = WatchSet::from_sources(&[(PathBuf::from("fuzz.toml"), src.to_string())]);
    for d in &diags {
        assert!(d.line >= 1 && d.col >= 1, "diagnostic position: {d:?}");
    }
    if let Some(set) = set {
        for text in [TEXT, src] {
            let matches = set.find(text);
            check_matches(text, &matches);
            let _ = set.explain(text);
        }
    }
});
