//! What a feed says is hostile: its links may not read local files, and may not reach
//! internal addresses unless the feed itself was configured on one.
//!
//! "Public" here is 127.0.0.2: these tests set `fetch.internal_networks` to 127.0.0.1 and
//! ::1 only, so that a second loopback address stands for a host outside. Nothing leaves
//! 127.0.0.0/8.

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

/// Only 127.0.0.1 (and ::1, where `localhost` may also resolve) count as inside.
const INSIDE_IS_127_0_0_1: &str = "[fetch]\nfull_text = \"auto\"\n\
     internal_networks = [\"127.0.0.1/32\", \"::1/128\"]\n";

/// An RSS feed whose items say nothing the watchlist knows: only the text behind their
/// links (which `full_text = "auto"` fetches) could make them match.
fn rss(items: &[(&str, &str)]) -> String {
    let date = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    let mut out = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Desk</title>\
         <link>http://desk.example/</link><description>d</description>",
    );
    for (slug, link) in items {
        out.push_str(&format!(
            "<item><title>Weekend outlook {slug}</title><link>{link}</link><guid>{slug}</guid>\
             <pubDate>{date}</pubDate><description>Short note.</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// An article page that matches the watchlist (it names Kursk), with a marker to look for.
fn article(marker: &str) -> String {
    format!(
        "<html><head><title>Report</title></head><body><article><h1>Report {marker}</h1>\
         <p>Engineers from North Korea began clearing mines in the Kursk region this week, \
         officials said, adding that more units were expected before the end of the month.</p>\
         <p>The work follows talks between the two defence ministries, and local authorities \
         asked residents to stay away from marked fields until the clearing is complete. \
         {marker}</p></article></body></html>"
    )
}

fn item_titles(report: &serde_json::Value) -> Vec<String> {
    report["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_file_link_in_a_feed_is_never_read() {
    let s = Session::new();
    s.write("secret/notes.html", &article("CANARY-FILE"));
    let secret = format!("file://{}", s.path("secret/notes.html").display());
    let http = HttpServer::start();
    http.route(
        "/rss.xml",
        Response::ok("application/rss+xml", rss(&[("local", &secret)])),
    );
    s.config(&format!(
        "{}\n[fetch]\nfull_text = \"auto\"\n\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Desk")
    ));
    let run = s.run(&["poll", "--json"]).success();
    let r = run.json();
    assert_eq!(r["feeds"][0]["status"], "ok", "{r:#}");
    // Had the file been read, its text (which names Kursk) would have made the item match.
    assert!(item_titles(&r).is_empty(), "{r:#}");
    assert!(
        run.stderr.contains("refused") && run.stderr.contains("file://"),
        "the refusal is logged: {}",
        run.stderr
    );
    let digest = s.run(&["digest", "--dry-run"]).success();
    assert!(!digest.stdout.contains("CANARY-FILE"), "{}", digest.stdout);
}

#[test]
fn a_page_announcing_a_local_file_as_its_feed_is_refused() {
    let s = Session::new();
    let date = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    s.write(
        "secret/feed.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
             <link>http://x.example/</link><description>d</description><item>\
             <title>Sappers reach Kursk CANARY-FEED</title><link>http://x.example/a</link>\
             <guid>a</guid><pubDate>{date}</pubDate><description>North Korean sappers are \
             in Kursk.</description></item></channel></rss>"
        ),
    );
    let local_feed = format!("file://{}", s.path("secret/feed.xml").display());
    let http = HttpServer::start();
    http.route(
        "/news/",
        Response::html(format!(
            "<html><head><title>News</title><link rel=\"alternate\" \
             type=\"application/rss+xml\" href=\"{local_feed}\"></head>\
             <body><p>Latest news</p></body></html>"
        )),
    );
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/news/"), "Page")
    ));
    for _ in 0..2 {
        let run = s.run(&["poll", "--json"]).success();
        let r = run.json();
        assert_eq!(r["feeds"][0]["status"], "error", "{r:#}");
        assert!(item_titles(&r).is_empty(), "{r:#}");
        assert!(run.stderr.contains("refused"), "{}", run.stderr);
    }
    let feeds = s.run(&["feeds", "--json"]).success().json();
    assert!(feeds[0]["discovered_url"].is_null(), "{feeds:#}");
}

#[test]
fn a_feed_on_a_public_address_cannot_make_newswatch_reach_inside() {
    let inside = HttpServer::start_on("127.0.0.1");
    for path in ["/literal.html", "/named.html", "/redirected.html"] {
        inside.route(path, Response::html(article("CANARY-INSIDE")));
    }
    let public = HttpServer::start_on("127.0.0.2");
    let port = inside.addr().port();
    public.route(
        "/hop",
        Response::redirect(&format!("http://127.0.0.1:{port}/redirected.html")),
    );
    public.route("/story.html", Response::html(article("PUBLIC-STORY")));
    let literal = format!("http://127.0.0.1:{port}/literal.html");
    let named = format!("http://localhost:{port}/named.html");
    let hop = public.url("/hop");
    let story = public.url("/story.html");
    public.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            rss(&[
                ("literal", &literal),
                ("named", &named),
                ("hop", &hop),
                ("story", &story),
            ]),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{INSIDE_IS_127_0_0_1}\n{}",
        file_email(),
        feed(&public.url("/rss.xml"), "Outside")
    ));
    let run = s.run(&["poll", "--json"]).success();
    let r = run.json();
    assert_eq!(r["feeds"][0]["status"], "ok", "{r:#}");
    assert!(
        inside.requests().is_empty(),
        "an internal server was reached: {:?}",
        inside.requests()
    );
    // Article pages on the public side are fetched as before.
    assert_eq!(public.hits("/story.html"), 1);
    assert_eq!(
        item_titles(&r),
        vec!["Weekend outlook story".to_string()],
        "{r:#}"
    );
    assert!(
        run.stderr.matches("refused").count() >= 3,
        "each refusal is logged: {}",
        run.stderr
    );
}

#[test]
fn a_public_feed_that_redirects_inside_is_an_error() {
    let inside = HttpServer::start_on("127.0.0.1");
    inside.route(
        "/rss.xml",
        Response::ok("application/rss+xml", rss(&[("x", "http://x.example/x")])),
    );
    let public = HttpServer::start_on("127.0.0.2");
    public.route("/feed", Response::redirect(&inside.url("/rss.xml")));
    let s = Session::new();
    s.config(&format!(
        "{}\n{INSIDE_IS_127_0_0_1}\n{}",
        file_email(),
        feed(&public.url("/feed"), "Outside")
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    assert_eq!(r["feeds"][0]["status"], "error", "{r:#}");
    let error = r["feeds"][0]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("refused") && error.contains("127.0.0.1"),
        "{r:#}"
    );
    assert!(inside.requests().is_empty(), "{:?}", inside.requests());
}

#[test]
fn a_feed_configured_inside_may_link_inside() {
    let pages = HttpServer::start_on("127.0.0.1");
    pages.route("/inside.html", Response::html(article("INSIDE-OK")));
    let link = pages.url("/inside.html");
    let feeds = HttpServer::start_on("127.0.0.1");
    feeds.route(
        "/rss.xml",
        Response::ok("application/rss+xml", rss(&[("inside", &link)])),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{INSIDE_IS_127_0_0_1}\n{}",
        file_email(),
        feed(&feeds.url("/rss.xml"), "Intranet")
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    assert_eq!(pages.hits("/inside.html"), 1, "{r:#}");
    assert_eq!(
        item_titles(&r),
        vec!["Weekend outlook inside".to_string()],
        "{r:#}"
    );
}

#[test]
fn a_bad_internal_network_is_a_config_error_with_its_position() {
    let s = Session::new();
    s.config(&format!(
        "{}\n[fetch]\ninternal_networks = [\"10.0.0.0/8\", \"10.0.0/33\"]\n",
        file_email()
    ));
    let run = s.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("fetch.internal_networks") && run.stderr.contains("10.0.0/33"),
        "{}",
        run.stderr
    );
}
