//! A panic inside a feed's CPU work (issue 12, point 5) is that feed's error: the feed keeps
//! its row in the report and the other feeds' stories are stored and mailed.
//!
//! The panic is injected with `NEWSWATCH_TEST_PANIC_ON_TITLE` (debug builds only; see
//! `pipeline::cycle::fault`): an entry whose title contains its text panics while it is read.

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

const BODY: &str = "North Korean engineers reached the Kursk region on Monday to clear \
    fields around three villages near the border, officials said, adding that the work would \
    take several weeks and that farmers should keep away from the marked areas meanwhile.";

fn rss(base: &str, slug: &str, title: &str) -> String {
    let published = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{slug} wire</title><link>{base}/</link><description>d</description><item><title>{title}</title><link>{base}/news/{slug}</link><guid>{slug}</guid><pubDate>{published}</pubDate><description><![CDATA[<p>{BODY}</p>]]></description></item></channel></rss>"#
    )
}

#[test]
fn a_panic_while_reading_one_feed_keeps_its_row_and_the_other_feeds_stories() {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/bad.xml",
        Response::ok(
            "application/rss+xml",
            rss(base, "bad", "Kursk sappers TRIGGER-FAULT"),
        ),
    );
    http.route(
        "/good.xml",
        Response::ok(
            "application/rss+xml",
            rss(base, "good", "Engineers reach the Kursk border"),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}{}",
        file_email(),
        feed(&http.url("/bad.xml"), "Bad Wire"),
        feed(&http.url("/good.xml"), "Good Wire")
    ));
    let run: crate::support::cli::Run = s
        .cmd(&["once", "--json"])
        .env("NEWSWATCH_TEST_PANIC_ON_TITLE", "TRIGGER-FAULT")
        .output()
        .expect("run newswatch")
        .into();
    assert_eq!(run.code, 0, "a feed's panic is not fatal: {}", run.stderr);
    let report = run.json();
    let feeds = report["feeds"].as_array().expect("feeds");
    assert_eq!(feeds.len(), 2, "one row per configured feed: {report:#}");
    assert_eq!(feeds[0]["name"], "Bad Wire");
    assert_eq!(feeds[0]["status"], "error", "{report:#}");
    let error = feeds[0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("TRIGGER-FAULT"), "names the entry: {error}");
    assert_eq!(feeds[1]["status"], "ok", "{report:#}");
    let titles: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(titles, ["Engineers reach the Kursk border"], "{report:#}");
    assert_eq!(report["digest"]["status"], "sent", "{report:#}");

    // Nothing of the failed feed was marked seen: once the fault is gone its story comes.
    let again = s.run(&["once", "--json"]).success().json();
    let titles: Vec<&str> = again["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(titles, ["Kursk sappers TRIGGER-FAULT"], "{again:#}");
}
