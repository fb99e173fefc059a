//! Article extraction on arbitrary HTML.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newswatch::transforms::extract::extract_article;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let html = String::from_utf8_lossy(bytes);
    let url = (sel & 1 == 1).then_some("https://example.com/news/2024/story.html");
    let _ = extract_article(&html, url);
});
