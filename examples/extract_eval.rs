//! Runs `extract_article` over HTML pages (.html or .html.gz) and prints one JSON object per
//! line, `{"source", "title", "byline", "published", "lang", "body"}` — the same lines
//! `newswatch extract --format json` prints — for /work/shared/eval/extraction/score.py.
//!
//! Usage: cargo run --release --example extract_eval -- PAGE...
#![allow(clippy::unwrap_used, clippy::expect_used)] // test and bench code may panic on a broken setup
use std::io::{Read, Write};

use newswatch::sources::charset::decode_html;
use newswatch::transforms::extract::extract_article;

fn read_page(path: &str) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let line = match read_page(&path) {
            Ok(bytes) => {
                let html = decode_html(&bytes, None);
                let article = extract_article(&html, None);
                serde_json::json!({
                    "source": path,
                    "title": article.title,
                    "byline": article.byline,
                    "published": article.published,
                    "lang": article.lang,
                    "body": article.body,
                })
            }
            Err(e) => {
                failed = true;
                serde_json::json!({ "source": path, "error": e.to_string() })
            }
        };
        if writeln!(out, "{line}").is_err() {
            return std::process::ExitCode::FAILURE;
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
