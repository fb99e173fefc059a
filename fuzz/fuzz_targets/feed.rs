//! Feed parsing + item processing: bytes → `parse_feed` → for each item the text the
//! matcher sees, the matches of a small fixed watchlist, and the claims read with them.
#![no_main]
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newswatch::pipeline::item_text;
use newswatch::sources::feed::parse_feed;
use newswatch::transforms::claims::extract_claims;
use newswatch::watchlist::WatchSet;
use newswatch_fuzz::{check_claims, check_matches, WATCHLIST};

fn watch() -> &'static WatchSet {
    static SET: OnceLock<WatchSet> = OnceLock::new();
    SET.get_or_init(|| {
        let (set, diags) =
            WatchSet::from_sources(&[(PathBuf::from("fuzz.toml"), WATCHLIST.to_string())]);
        assert!(diags.is_empty(), "{diags:?}");
        set.expect("the fixed watchlist compiles")
    })
}

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("application/rss+xml; charset=utf-8"),
    Some("text/xml; charset=windows-1251"),
    Some("application/atom+xml; charset=iso-8859-1"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(sel) % CONTENT_TYPES.len()];
    let Ok(feed) = parse_feed(bytes, content_type, "https://example.com/feed.xml") else {
        return;
    };
    let watch = watch();
    for item in &feed.items {
        let text = item_text(item, None);
        let matches = watch.find(&text);
        check_matches(&text, &matches);
        let claims = extract_claims(&text, &matches, item.lang.as_deref(), item.published);
        check_claims(&text, &claims);
    }
});
