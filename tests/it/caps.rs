//! Size limits (issue 12, point 4): at most `fetch.max_items_per_feed` new entries of a
//! feed are read per cycle and at most `email.max_stories_per_digest` stories go in one
//! digest; what is held back is said, and comes in the next cycles and digests.

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

/// A feed of `n` distinct stories that all name a watched place.
fn big_feed(n: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flood</title><link>http://example.org/</link><description>d</description>"#,
    );
    for i in 0..n {
        let published = (chrono::Utc::now() - chrono::Duration::minutes(i as i64 + 1)).to_rfc2822();
        s.push_str(&format!(
            "<item><title>Kursk report number {i}</title><link>http://example.org/kursk/{i}</link><guid>flood-{i}</guid><pubDate>{published}</pubDate><description>Story {i} about the Kursk region, item {i} of the flood, each one different: {i}{i}{i}.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn count(v: &serde_json::Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

#[test]
fn a_flood_is_read_a_slice_per_cycle_and_mailed_a_capped_digest_at_a_time() {
    let http = HttpServer::start();
    http.route(
        "/flood.xml",
        Response::ok("application/rss+xml", big_feed(30)),
    );
    let s = Session::new();
    s.config(&format!(
        "{}max_stories_per_digest = 4\n\n[fetch]\nfull_text = \"never\"\nmax_items_per_feed = 10\n\n{}",
        file_email(),
        feed(&http.url("/flood.xml"), "Flood")
    ));
    let first = s.run(&["once", "--json"]).success().json();
    assert_eq!(count(&first["items"]), 10, "10 read: {first:#}");
    assert_eq!(first["feeds"][0]["items_held_back"], 20, "{first:#}");
    assert_eq!(first["digest"]["items"], 4, "{first:#}");
    let mails = s.outbox();
    assert_eq!(mails.len(), 1);
    let mail = crate::support::smtp::ReceivedMail {
        from: String::new(),
        to: Vec::new(),
        data: std::fs::read(&mails[0]).unwrap(),
    }
    .parse();
    for part in [mail.text.unwrap_or_default(), mail.html.unwrap_or_default()] {
        // The text part is wrapped: compare words.
        let words = part.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("6 more stories held back for the next digest"),
            "the digest says what waits:\n{part}"
        );
    }

    // The rest of the cycle's stories come in the next digests...
    let second = s.run(&["digest", "--json"]).success().json();
    assert_eq!(second["digest"]["items"], 4, "{second:#}");
    // ...and the rest of the feed in the next cycles, each story once.
    let mut titles: Vec<String> = Vec::new();
    for r in [&first] {
        for i in r["items"].as_array().unwrap() {
            titles.push(i["title"].as_str().unwrap().to_string());
        }
    }
    for _ in 0..2 {
        let next = s.run(&["poll", "--json"]).success().json();
        assert_eq!(count(&next["items"]), 10, "{next:#}");
        for i in next["items"].as_array().unwrap() {
            titles.push(i["title"].as_str().unwrap().to_string());
        }
    }
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 30, "every story read once: {titles:?}");
    let last = s.run(&["poll", "--json"]).success().json();
    assert_eq!(count(&last["items"]), 0, "{last:#}");
    assert_eq!(last["feeds"][0]["items_held_back"], 0);
}
