//! newswatch's extractor and the `trafilatura` crate side by side, in one process.
//!
//! extract-bench both N PAGE...     warm-up pass of each, then ours×N and trafilatura×N,
//!                                  twice, as pages per CPU second (getrusage: user + system)
//! extract-bench ours|traf N PAGE...  one extractor only (run under `/usr/bin/time -v` for
//!                                  its peak RSS)
//! extract-bench ours-json|traf-json PAGE...  one JSON line per page: {"source", "body"}
//!
//! Pages are read into memory first (untimed); `.gz` files are decompressed.
use std::io::Read;

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// newswatch as the daemon runs it: charset decoding, then extraction.
fn ours(bytes: &[u8]) -> String {
    let html = newswatch::sources::charset::decode_html(bytes, None);
    newswatch::transforms::extract::extract_article(&html, None).body
}

/// The trafilatura crate with its fallback extractors and precision focus.
fn traf(bytes: &[u8]) -> String {
    let html = String::from_utf8_lossy(bytes);
    // `Options` is non-exhaustive: set the fields on the default.
    let mut opts = trafilatura::Options::default();
    opts.enable_fallback = true;
    opts.focus = trafilatura::ExtractionFocus::FavorPrecision;
    trafilatura::extract(&html, &opts)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

type Extractor = fn(&[u8]) -> String;

fn load(path: &str) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if !path.ends_with(".gz") {
        return raw;
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    out
}

/// CPU seconds for `n` passes over the pages.
fn run(f: Extractor, pages: &[Vec<u8>], n: usize) -> f64 {
    let start = cpu_seconds();
    let mut chars = 0;
    for _ in 0..n {
        for p in pages {
            chars += f(p).len();
        }
    }
    std::hint::black_box(chars);
    cpu_seconds() - start
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: extract-bench both|ours|traf N PAGE... | ours-json|traf-json PAGE...";
    let mode = args.get(1).map(String::as_str).expect(usage);
    let pick = |m: &str| -> Extractor {
        if m.starts_with("ours") {
            ours
        } else {
            traf
        }
    };
    if mode.ends_with("-json") {
        let f = pick(mode);
        for path in &args[2..] {
            let body = f(&load(path));
            println!("{}", serde_json::json!({"source": path, "body": body}));
        }
        return;
    }
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).expect(usage);
    let pages: Vec<Vec<u8>> = args[3..].iter().map(|p| load(p)).collect();
    let count = (pages.len() * n) as f64;
    match mode {
        "both" => {
            run(ours, &pages, 1);
            run(traf, &pages, 1);
            for round in 0..2 {
                let o = run(ours, &pages, n);
                let t = run(traf, &pages, n);
                println!(
                    "round {round}: newswatch {:.1} pages/CPU s ({:.2} ms/page); \
                     trafilatura {:.1} pages/CPU s ({:.2} ms/page); ratio {:.2}",
                    count / o,
                    o * 1000.0 / count,
                    count / t,
                    t * 1000.0 / count,
                    t / o
                );
            }
        }
        "ours" | "traf" => {
            let s = run(pick(mode), &pages, n);
            println!("{mode}: {:.1} pages/CPU s", count / s);
        }
        _ => panic!("{usage}"),
    }
}
