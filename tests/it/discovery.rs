//! Pages with no feed: feed autodiscovery, and list pages read without selectors.

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

fn rss_with(base: &str, slug: &str, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Found Feed</title><link>{base}</link><description>d</description>\
         <item><title>{title}</title><link>{base}/{slug}</link><guid>{slug}</guid><pubDate>{}</pubDate>\
         <description>North Korean engineers began clearing mines in the Kursk region this week, officials said, adding that \
         more units were expected before the end of the month. The work follows talks between the two defence ministries, \
         and local authorities asked residents to stay away from marked fields until the clearing is complete. Further \
         details on the number of personnel were not given, and neither government commented on the length of the mission.</description></item></channel></rss>",
        (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822()
    )
}

#[test]
fn a_feed_url_that_is_a_page_follows_the_feed_it_announces() {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/news/",
        Response::html(
            "<html><head><title>News</title><link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/news/rss.xml\"></head><body><p>Latest news</p></body></html>",
        ),
    );
    http.route(
        "/news/rss.xml",
        Response::ok(
            "application/rss+xml",
            rss_with(base, "sappers", "Sappers start work near Kursk"),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/news/"), "Found")
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    assert_eq!(r["feeds"][0]["status"], "ok", "{r:#}");
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Sappers start work near Kursk"),
        "{r:#}"
    );
    let feeds = s.run(&["feeds", "--json"]).success().json();
    assert_eq!(
        feeds[0]["discovered_url"],
        http.url("/news/rss.xml"),
        "{feeds:#}"
    );
    // Later cycles poll the discovered feed directly.
    http.clear_requests();
    s.run(&["poll", "--json"]).success();
    assert_eq!(http.hits("/news/"), 0);
    assert_eq!(http.hits("/news/rss.xml"), 1);
}

#[test]
fn a_page_announcing_no_feed_is_a_clear_error() {
    let http = HttpServer::start();
    http.route(
        "/plain/",
        Response::html(
            "<html><head><title>Plain</title></head><body><p>Nothing here</p></body></html>",
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/plain/"), "Plain")
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    assert_eq!(r["feeds"][0]["status"], "error");
    assert!(
        r["feeds"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not a feed"),
        "{r:#}"
    );
}

#[test]
fn a_list_page_without_selectors_yields_its_article_links() {
    let http = HttpServer::start();
    http.route(
        "/world/",
        Response::html(
            r#"<html><body><header><nav><a href="/">Home</a><a href="/world/">World news section</a></nav></header>
<main>
<h2><a href="/world/2026/11/28/shoigu-returns-to-pyongyang-for-talks">Shoigu returns to Pyongyang for security talks</a></h2>
<h2><a href="/world/2026/11/28/city-marathon-route-announced">City marathon route announced for the spring</a></h2>
</main>
<footer><a href="/about/contact-the-editors-of-this-site">Contact the editors of this site</a></footer></body></html>"#,
        ),
    );
    for slug in [
        "shoigu-returns-to-pyongyang-for-talks",
        "city-marathon-route-announced",
    ] {
        http.route(
            &format!("/world/2026/11/28/{slug}"),
            Response::html(format!("<html><body><article><h1>{slug}</h1><p>Story text for {slug}. It was reported by our correspondent.</p></article></body></html>")),
        );
    }
    let s = Session::new();
    s.config(&format!(
        "{}\n[[feeds]]\nurl = \"{}\"\nname = \"World\"\nkind = \"html\"\n",
        file_email(),
        http.url("/world/")
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    assert_eq!(r["feeds"][0]["status"], "ok", "{r:#}");
    assert_eq!(
        r["feeds"][0]["items_total"], 2,
        "two article links, not the nav or footer: {r:#}"
    );
    let titles: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Shoigu returns to Pyongyang for security talks"]);
}
