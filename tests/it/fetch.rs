//! `newswatch::fetch::Fetcher` against a real HTTP server on 127.0.0.1.
use std::sync::Arc;
use std::time::Duration;

use newswatch::fetch::{
    FetchError, FetchOutcome, FetchSettings, Fetched, Fetcher, Reach, Validators,
};

use crate::support::http::{refused_url, HttpServer, Response};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test desk</title>
<item><title>Engineers arrive at the border</title><link>http://example.org/a</link></item>
</channel></rss>"#;

/// Short timeouts so the failure tests finish quickly.
fn settings() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        max_body_bytes: 64 * 1024,
        ..FetchSettings::default()
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(&settings()).expect("fetcher")
}

/// Fails the test rather than hanging it if a fetch ignores its timeout.
async fn fetch(
    fetcher: &Fetcher,
    url: &str,
    validators: Option<&Validators>,
) -> Result<FetchOutcome, FetchError> {
    let bound = fetcher.settings().timeout * 10;
    tokio::time::timeout(bound, fetcher.fetch(url, validators, Reach::OPERATOR))
        .await
        .expect("fetch returned within 10x its timeout")
}

fn fetched(outcome: Result<FetchOutcome, FetchError>) -> Fetched {
    match outcome {
        Ok(FetchOutcome::Fetched(f)) => f,
        other => panic!("expected a body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_200_gives_the_body_its_type_and_validators() {
    let srv = HttpServer::start();
    srv.route(
        "/rss.xml",
        Response::ok("application/rss+xml; charset=utf-8", RSS)
            .etag("\"v1\"")
            .last_modified("Sun, 22 Nov 2026 10:00:00 GMT"),
    );
    let url = srv.url("/rss.xml");
    let got = fetched(fetch(&fetcher(), &url, None).await);
    assert_eq!(got.body, RSS.as_bytes());
    assert_eq!(got.final_url, url);
    assert_eq!(
        got.content_type.as_deref(),
        Some("application/rss+xml; charset=utf-8")
    );
    assert_eq!(
        got.validators,
        Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Sun, 22 Nov 2026 10:00:00 GMT".into()),
        }
    );
}

#[tokio::test]
async fn stored_validators_make_a_conditional_get() {
    let srv = HttpServer::start();
    let date = "Sun, 22 Nov 2026 10:00:00 GMT";
    srv.route(
        "/etag.xml",
        Response::ok("application/rss+xml", RSS).etag("\"v1\""),
    );
    srv.route(
        "/dated.xml",
        Response::ok("application/rss+xml", RSS).last_modified(date),
    );
    let f = fetcher();

    let first = fetched(fetch(&f, &srv.url("/etag.xml"), None).await);
    let second = fetch(&f, &srv.url("/etag.xml"), Some(&first.validators)).await;
    assert!(
        matches!(second, Ok(FetchOutcome::NotModified)),
        "{second:?}"
    );
    let sent = srv.last_request("/etag.xml").unwrap();
    assert_eq!(sent.header("If-None-Match"), Some("\"v1\""));

    let by_date = Validators {
        etag: None,
        last_modified: Some(date.into()),
    };
    let answer = fetch(&f, &srv.url("/dated.xml"), Some(&by_date)).await;
    assert!(
        matches!(answer, Ok(FetchOutcome::NotModified)),
        "{answer:?}"
    );
    let sent = srv.last_request("/dated.xml").unwrap();
    assert_eq!(sent.header("If-Modified-Since"), Some(date));
}

#[tokio::test]
async fn a_changed_feed_is_fetched_again_with_its_new_validators() {
    let srv = HttpServer::start();
    srv.route(
        "/rss.xml",
        Response::ok("application/rss+xml", RSS).etag("\"v2\""),
    );
    let stale = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let got = fetched(fetch(&fetcher(), &srv.url("/rss.xml"), Some(&stale)).await);
    assert_eq!(got.validators.etag.as_deref(), Some("\"v2\""));
    assert_eq!(got.body, RSS.as_bytes());
}

#[tokio::test]
async fn error_statuses_are_reported_by_code() {
    let srv = HttpServer::start();
    srv.route("/broken", Response::status(500).body("text/plain", "boom"));
    let f = fetcher();
    let err = fetch(&f, &srv.url("/broken"), None).await.unwrap_err();
    assert_eq!(err, FetchError::Status(500));
    assert_eq!(err.to_string(), "http status 500");
    let err = fetch(&f, &srv.url("/nowhere"), None).await.unwrap_err();
    assert_eq!(err, FetchError::Status(404));
}

#[tokio::test]
async fn a_body_that_stalls_midway_times_out() {
    let srv = HttpServer::start();
    srv.route(
        "/stall.xml",
        Response::ok("application/rss+xml", vec![b'a'; 10_000]).stall_after(1_000),
    );
    let err = fetch(&fetcher(), &srv.url("/stall.xml"), None)
        .await
        .unwrap_err();
    // Cut off by the read-idle timeout (half the total), well before the hour-long stall.
    assert_eq!(err, FetchError::Stalled(Duration::from_secs(1)));
    assert_eq!(err.to_string(), "timed out: nothing received for 1s");
    assert!(err.is_timeout());
}

#[tokio::test]
async fn a_body_that_trickles_past_the_total_timeout_is_cut_off() {
    let srv = HttpServer::start();
    // Never silent for long enough to trip the read-idle timeout, but ~30 s in all.
    srv.route(
        "/trickle.xml",
        Response::ok("application/rss+xml", vec![b'a'; 10_000])
            .trickle(100, Duration::from_millis(300)),
    );
    let err = fetch(&fetcher(), &srv.url("/trickle.xml"), None)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::Timeout(Duration::from_secs(2)));
    assert_eq!(err.to_string(), "timed out after 2s");
}

#[tokio::test]
async fn a_first_byte_slower_than_the_timeout_times_out() {
    let srv = HttpServer::start();
    srv.route(
        "/late.xml",
        Response::ok("application/rss+xml", RSS).delay(Duration::from_secs(30)),
    );
    let err = fetch(&fetcher(), &srv.url("/late.xml"), None)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn a_slow_first_byte_within_the_timeout_is_fine() {
    let srv = HttpServer::start();
    srv.route(
        "/slowish.xml",
        Response::ok("application/rss+xml", RSS).delay(Duration::from_millis(200)),
    );
    let got = fetched(fetch(&fetcher(), &srv.url("/slowish.xml"), None).await);
    assert_eq!(got.body, RSS.as_bytes());
}

#[tokio::test]
async fn a_body_declared_too_large_is_refused() {
    let srv = HttpServer::start();
    srv.route(
        "/huge.xml",
        Response::ok("application/rss+xml", vec![b'a'; 200_000]),
    );
    let err = fetch(&fetcher(), &srv.url("/huge.xml"), None)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge(64 * 1024));
    assert_eq!(err.to_string(), "body larger than 65536 bytes, cut off");
}

#[tokio::test]
async fn an_endless_body_without_length_is_cut_at_the_cap() {
    let srv = HttpServer::start();
    srv.route("/endless.xml", Response::endless("application/rss+xml"));
    let err = fetch(&fetcher(), &srv.url("/endless.xml"), None)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge(64 * 1024));
}

#[tokio::test]
async fn a_chunked_body_under_the_cap_is_read_whole() {
    let srv = HttpServer::start();
    let body: Vec<u8> = (0..50_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    srv.route(
        "/chunked.xml",
        Response::ok("application/rss+xml", body.clone()).chunked(),
    );
    let got = fetched(fetch(&fetcher(), &srv.url("/chunked.xml"), None).await);
    assert_eq!(got.body, body);
}

#[tokio::test]
async fn a_gzipped_body_is_decoded_and_capped_after_decoding() {
    let srv = HttpServer::start();
    srv.route("/gz.xml", Response::ok("application/rss+xml", RSS).gzip());
    // Compresses to a few hundred bytes, far over the cap once decoded.
    srv.route(
        "/bomb.xml",
        Response::ok("application/rss+xml", vec![b'a'; 1_000_000]).gzip(),
    );
    let f = fetcher();
    let got = fetched(fetch(&f, &srv.url("/gz.xml"), None).await);
    assert_eq!(got.body, RSS.as_bytes());
    let asked = srv.last_request("/gz.xml").unwrap();
    assert!(
        asked
            .header("Accept-Encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{asked:?}"
    );
    let err = fetch(&f, &srv.url("/bomb.xml"), None).await.unwrap_err();
    assert_eq!(err, FetchError::TooLarge(64 * 1024));
}

#[tokio::test]
async fn redirects_are_followed_to_the_final_url() {
    let srv = HttpServer::start();
    let other = HttpServer::start();
    other.route("/feed.xml", Response::ok("application/rss+xml", RSS));
    srv.route("/old.xml", Response::redirect("/new.xml"));
    srv.route("/new.xml", Response::redirect(&other.url("/feed.xml")));
    let got = fetched(fetch(&fetcher(), &srv.url("/old.xml"), None).await);
    assert_eq!(got.final_url, other.url("/feed.xml"));
    assert_eq!(got.body, RSS.as_bytes());
    assert_eq!(other.hits("/feed.xml"), 1);
}

#[tokio::test]
async fn five_redirects_are_followed_and_a_sixth_is_refused() {
    let srv = HttpServer::start();
    for i in 0..6 {
        srv.route(
            &format!("/r{i}"),
            Response::redirect(&format!("/r{}", i + 1)),
        );
    }
    srv.route("/r6", Response::ok("application/rss+xml", RSS));
    let f = fetcher();
    let got = fetched(fetch(&f, &srv.url("/r1"), None).await);
    assert_eq!(got.final_url, srv.url("/r6"));
    let err = fetch(&f, &srv.url("/r0"), None).await.unwrap_err();
    assert_eq!(err, FetchError::TooManyRedirects(5));
    assert_eq!(err.to_string(), "too many redirects (more than 5)");
}

#[tokio::test]
async fn a_redirect_loop_is_an_error() {
    let srv = HttpServer::start();
    srv.route("/a", Response::redirect("/b"));
    srv.route("/b", Response::redirect("/a"));
    let err = fetch(&fetcher(), &srv.url("/a"), None).await.unwrap_err();
    assert_eq!(err, FetchError::RedirectLoop(srv.url("/a")));
    assert_eq!(srv.hits("/a"), 1, "the loop was noticed, not walked");
}

#[tokio::test]
async fn a_closed_port_is_a_refused_connection() {
    let url = refused_url("/rss.xml");
    let err = fetch(&fetcher(), &url, None).await.unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    let port = url::Url::parse(&url).unwrap().port().unwrap();
    assert_eq!(
        err.to_string(),
        format!("connection refused by 127.0.0.1:{port}")
    );
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let srv = HttpServer::start();
    let url = format!("https://{}/rss.xml", srv.addr());
    let err = fetch(&fetcher(), &url, None).await.unwrap_err();
    assert!(matches!(err, FetchError::Tls(_)), "{err:?}");
    assert!(err.to_string().starts_with("tls: "), "{err}");
}

#[tokio::test]
async fn the_user_agent_names_newswatch() {
    let srv = HttpServer::start();
    srv.route("/rss.xml", Response::ok("application/rss+xml", RSS));
    fetched(fetch(&fetcher(), &srv.url("/rss.xml"), None).await);
    let ua = srv.last_request("/rss.xml").unwrap();
    let ua = ua.user_agent().unwrap_or_default();
    assert!(ua.starts_with("newswatch/"), "{ua}");
}

#[tokio::test]
async fn no_host_gets_more_than_its_share_of_connections() {
    let a = HttpServer::start();
    let b = HttpServer::start();
    for srv in [&a, &b] {
        srv.route(
            "/slow.xml",
            Response::ok("application/rss+xml", RSS).delay(Duration::from_millis(300)),
        );
    }
    let f = Fetcher::new(&FetchSettings {
        per_host_concurrency: 2,
        concurrency: 16,
        ..settings()
    })
    .unwrap();
    let urls: Vec<String> = (0..6)
        .flat_map(|i| {
            [
                a.url(&format!("/slow.xml?{i}")),
                b.url(&format!("/slow.xml?{i}")),
            ]
        })
        .collect();
    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let f = f.clone();
            tokio::spawn(async move { f.fetch(&url, None, Reach::OPERATOR).await.map(|_| ()) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(a.max_in_flight(), 2);
    assert_eq!(b.max_in_flight(), 2);
    assert_eq!(f.hosts_in_use(), 0, "idle hosts are forgotten");
}

#[tokio::test]
async fn the_global_limit_caps_all_fetches() {
    let srv = HttpServer::start();
    srv.route(
        "/slow.xml",
        Response::ok("application/rss+xml", RSS).delay(Duration::from_millis(300)),
    );
    let f = Arc::new(
        Fetcher::new(&FetchSettings {
            per_host_concurrency: 10,
            concurrency: 3,
            ..settings()
        })
        .unwrap(),
    );
    let tasks: Vec<_> = (0..9)
        .map(|i| {
            let f = Arc::clone(&f);
            let url = srv.url(&format!("/slow.xml?{i}"));
            tokio::spawn(async move { f.fetch(&url, None, Reach::OPERATOR).await.map(|_| ()) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(srv.max_in_flight(), 3);
}

#[tokio::test]
async fn article_pages_come_back_as_bodies() {
    let srv = HttpServer::start();
    let page = "<html><body><article><p>Sappers cleared the fields.</p></article></body></html>";
    srv.route("/story.html", Response::html(page));
    let got = fetcher()
        .fetch_page(&srv.url("/story.html"), Reach::OPERATOR)
        .await
        .unwrap();
    assert_eq!(got.body, page.as_bytes());
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
}

#[tokio::test]
async fn file_urls_are_read_with_the_same_cap() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, RSS).unwrap();
    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b'a'; 100_000]).unwrap();
    let f = fetcher();

    let url = url::Url::from_file_path(&feed).unwrap().to_string();
    let got = fetched(fetch(&f, &url, None).await);
    assert_eq!(got.body, RSS.as_bytes());
    assert_eq!(got.final_url, url);
    assert_eq!(got.content_type.as_deref(), Some("application/xml"));
    assert_eq!(got.validators, Validators::default());

    let url = url::Url::from_file_path(&big).unwrap().to_string();
    let err = fetch(&f, &url, None).await.unwrap_err();
    assert_eq!(err, FetchError::TooLarge(64 * 1024));

    let missing = dir.path().join("missing.xml");
    let url = url::Url::from_file_path(&missing).unwrap().to_string();
    let err = fetch(&f, &url, None).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("file: {}: no such file", missing.display())
    );
}
