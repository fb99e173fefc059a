//! When feeds are checked (issue 12, point 6): the daemon honours a feed's freshness
//! (`Cache-Control: max-age`, RSS `ttl`), a host's 429/503 `Retry-After`, and backs a
//! failing feed off; when every feed fails to connect nobody is penalised; `once` still
//! fetches every feed.

use std::time::Duration;

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{refused_url, HttpServer, Response};
use crate::support::process::{stop, wait_for};

fn rss(title: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title><link>http://example.org/</link><description>d</description>{extra}<item><title>Weather in {title}</title><link>http://example.org/{title}</link><guid>{title}-1</guid></item></channel></rss>"#
    )
}

fn feed_state<'a>(feeds: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    feeds
        .as_array()
        .and_then(|a| a.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| panic!("{name} in {feeds:#}"))
}

#[test]
fn the_daemon_honours_retry_after_per_host_and_freshness_and_once_fetches_everything() {
    // One host that asks to be left alone for an hour, one feed beside it on that host.
    let busy = HttpServer::start();
    busy.route(
        "/a.xml",
        Response::status(503).header("Retry-After", "3600"),
    );
    busy.route(
        "/b.xml",
        Response::ok("application/rss+xml", rss("Bravo", "")),
    );
    // Another host: a plain feed, one fresh for an hour, one with an hour's ttl.
    let other = HttpServer::start();
    other.route(
        "/c.xml",
        Response::ok("application/rss+xml", rss("Charlie", "")),
    );
    other.route(
        "/d.xml",
        Response::ok("application/rss+xml", rss("Delta", ""))
            .header("Cache-Control", "max-age=3600"),
    );
    other.route(
        "/e.xml",
        Response::ok("application/rss+xml", rss("Echo", "<ttl>60</ttl>")),
    );
    let s = Session::new();
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n\n\
             [schedule]\npoll = \"* * * * * *\"\ndigest = \"0 7 * * *\"\ntimezone = \"UTC\"\n\n\
             {}\n{}{}{}{}{}",
            file_email(),
            feed(&busy.url("/a.xml"), "Alpha"),
            feed(&busy.url("/b.xml"), "Bravo"),
            feed(&other.url("/c.xml"), "Charlie"),
            feed(&other.url("/d.xml"), "Delta"),
            feed(&other.url("/e.xml"), "Echo"),
        ),
    );
    let child = s.spawn(&["run"]);
    assert!(wait_for(Duration::from_secs(10), || s
        .path("var/state/control.sock")
        .exists()));
    // Polls every second: the plain feed is fetched again and again...
    let polled = wait_for(Duration::from_secs(30), || other.hits("/c.xml") >= 5);
    let feeds = s.run(&["feeds", "--json"]).success().json();
    let log = stop(child);
    assert!(
        polled,
        "the plain feed is polled: {}\n{log}",
        other.hits("/c.xml")
    );
    // ...the others only once.
    assert_eq!(
        busy.hits("/a.xml"),
        1,
        "503 Retry-After 3600 is honoured\n{log}"
    );
    assert!(
        busy.hits("/b.xml") <= 1,
        "the held host's other feed waits too: {}",
        busy.hits("/b.xml")
    );
    assert_eq!(other.hits("/d.xml"), 1, "max-age=3600 is honoured");
    assert_eq!(other.hits("/e.xml"), 1, "ttl 60 is honoured");
    assert!(
        feed_state(&feeds, "Alpha")["next_check"].is_string(),
        "{feeds:#}"
    );
    assert!(
        feed_state(&feeds, "Delta")["next_check"].is_string(),
        "{feeds:#}"
    );
    assert!(
        feed_state(&feeds, "Charlie")["next_check"].is_null(),
        "{feeds:#}"
    );

    // A manual run is a manual run: every feed is fetched.
    let once = s.run(&["once", "--json"]).success().json();
    assert_eq!(once["feeds"].as_array().map(Vec::len), Some(5), "{once:#}");
    assert_eq!(busy.hits("/a.xml"), 2);
    assert_eq!(other.hits("/d.xml"), 2);
}

#[test]
fn when_every_feed_fails_to_connect_no_feed_is_backed_off_but_a_lone_failure_is() {
    let s = Session::new();
    let (dead1, dead2) = (refused_url("/one.xml"), refused_url("/two.xml"));
    s.config(&format!(
        "{}\n{}{}",
        file_email(),
        feed(&dead1, "Dead One"),
        feed(&dead2, "Dead Two")
    ));
    s.run(&["once", "--json"]).success();
    let feeds = s.run(&["feeds", "--json"]).success().json();
    for name in ["Dead One", "Dead Two"] {
        let f = feed_state(&feeds, name);
        assert_eq!(f["consecutive_failures"], 1, "{f:#}");
        assert!(
            f["next_check"].is_null(),
            "network down: not backed off: {f:#}"
        );
    }

    // One feed answers, one does not: that one is the feed's problem, and backs off.
    let http = HttpServer::start();
    http.route(
        "/ok.xml",
        Response::ok("application/rss+xml", rss("Fine", "")),
    );
    s.config(&format!(
        "{}\n{}{}",
        file_email(),
        feed(&dead1, "Dead One"),
        feed(&http.url("/ok.xml"), "Fine")
    ));
    s.run(&["once", "--json"]).success();
    let feeds = s.run(&["feeds", "--json"]).success().json();
    assert!(
        feed_state(&feeds, "Dead One")["next_check"].is_string(),
        "{feeds:#}"
    );
    assert!(
        feed_state(&feeds, "Fine")["next_check"].is_null(),
        "{feeds:#}"
    );
}
