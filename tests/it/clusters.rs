//! Story clusters, right both ways (issue 11, point 4): a recurring headline over another
//! text is not a copy; a story first read through its fetched article page is recognised
//! when its full text comes back in another feed.

use serde_json::Value;

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

fn rfc2822(hours_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc2822()
}

/// An RSS 2.0 feed of (path, title, description paragraphs, hours ago) items.
fn rss(name: &str, base: &str, items: &[(&str, &str, Vec<&str>, i64)]) -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title><link>{base}/</link><description>test</description>"#
    );
    for (path, title, paragraphs, ago) in items {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        s.push_str(&format!(
            "<item><title>{title}</title><link>{base}{path}</link><guid isPermaLink=\"true\">{base}{path}</guid><pubDate>{}</pubDate><description><![CDATA[{body}]]></description></item>",
            rfc2822(*ago)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn items(report: &Value) -> Vec<Value> {
    report["items"].as_array().cloned().unwrap_or_default()
}

fn by_url(report: &Value, url: &str) -> Value {
    items(report)
        .into_iter()
        .find(|i| i["url"] == url)
        .unwrap_or_else(|| panic!("no item {url}: {report:#}"))
}

/// A farm's recurring headline, long enough for the title tier.
const HEADLINE: &str = "Morning briefing: what we know about the Kursk deployment today";
/// The farm's boilerplate under every briefing (enough shared text that the old rule,
/// "bodies clearly disagree", did not apply).
const FARM_FOOTER: &str = "This briefing is compiled every morning by our regional desk from \
agency reports, official statements and local media in the Kursk region and in North Korea. \
It is updated through the day as new information arrives and corrections are published at \
the end of each edition.";

const DAY1: [&str; 2] = [
    "Sergei Shoigu said on Tuesday that North Korea would send a thousand deminers and several \
thousand military builders to the Kursk region after his meeting with Kim Jong Un.",
    "The deminers are to clear fields and roads in border districts fought over last year, \
while the builders will restore bridges, schools and apartment blocks near the city.",
];
const DAY2: [&str; 2] = [
    "The first trains carrying North Korean workers crossed into Russia overnight, regional \
officials in Kursk said, and the governor promised temporary housing within the month.",
    "Local residents interviewed by a state broadcaster were divided: some welcomed help with \
the reconstruction, others asked why Russian contractors had not been hired for the work.",
];
/// A light edit of day 1 (a syndicated copy under the same headline).
const DAY1_COPY: [&str; 2] = [
    "Sergei Shoigu said on Tuesday that North Korea will send one thousand deminers and several \
thousand military builders to the Kursk region after his meeting with Kim Jong Un.",
    "The deminers are to clear fields and roads in border districts fought over last year, \
while the builders will restore bridges, schools and apartment blocks near the city.",
];

#[test]
fn a_recurring_headline_over_another_text_is_a_new_story_but_a_copy_under_it_is_not() {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let with_footer = |p: [&'static str; 2]| vec![p[0], p[1], FARM_FOOTER];
    http.route(
        "/farm.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Briefing Farm",
                base,
                &[("/farm/day1", HEADLINE, with_footer(DAY1), 20)],
            ),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/farm.xml"), "Briefing Farm")
    ));
    let first = s.run(&["poll", "--json"]).success().json();
    assert!(by_url(&first, &format!("{base}/farm/day1"))["duplicate_of"].is_null());

    // Round 2: the next briefing under the same headline (another story), and a copy of
    // the first one under the same headline in another feed.
    http.route(
        "/farm.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Briefing Farm",
                base,
                &[
                    ("/farm/day2", HEADLINE, with_footer(DAY2), 1),
                    ("/farm/day1", HEADLINE, with_footer(DAY1), 20),
                ],
            ),
        ),
    );
    http.route(
        "/copies.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Copy Desk",
                base,
                &[("/copies/briefing", HEADLINE, DAY1_COPY.to_vec(), 2)],
            ),
        ),
    );
    let mut cfg = std::fs::read_to_string(s.path("config/newswatch.toml")).unwrap();
    cfg.push_str(&feed(&http.url("/copies.xml"), "Copy Desk"));
    s.write("config/newswatch.toml", &cfg);
    let second = s.run(&["poll", "--json"]).success().json();
    let day2 = by_url(&second, &format!("{base}/farm/day2"));
    assert!(
        day2["duplicate_of"].is_null(),
        "another story under the same headline is not a copy: {second:#}"
    );
    let copy = by_url(&second, &format!("{base}/copies/briefing"));
    assert_eq!(
        copy["duplicate_of"],
        format!("{base}/farm/day1"),
        "a copy under the same headline is still one: {second:#}"
    );
}

const ARTICLE: [&str; 4] = [
    "Russian Security Council Secretary Sergei Shoigu said on Tuesday that North Korea would \
send a thousand deminers and several thousand military builders to the Kursk region, after a \
meeting with Kim Jong Un in Pyongyang.",
    "The deminers are to clear fields and roads in border districts that were fought over last \
year, while the builders will restore bridges, schools and apartment blocks. Shoigu gave no date \
for their arrival and no figure for the cost of the work.",
    "Officials in Moscow called the trip a working visit, the second one to the North Korean \
capital within a fortnight, and said further agreements on transport links were being prepared.",
    "A spokesman for the regional government said temporary housing for the workers would be \
ready within a month, in buildings of two former summer camps near the city.",
];

#[test]
fn a_story_read_through_its_article_page_is_recognised_when_its_full_text_is_syndicated() {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let title = "Shoigu says North Korean deminers will go to Kursk";
    // Day 1: the feed carries a headline and a teaser; the text is on the article page.
    http.route(
        "/wire.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Peninsula Wire",
                base,
                &[(
                    "/wire/shoigu-deminers",
                    title,
                    // A standfirst, and the line a blog engine adds under every teaser.
                    vec![
                        "Moscow says Pyongyang will help rebuild the border region.",
                        "The post Shoigu says North Korean deminers will go to Kursk appeared \
                         first on Peninsula Wire.",
                    ],
                    26,
                )],
            ),
        ),
    );
    let paragraphs: String = ARTICLE.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    http.route(
        "/wire/shoigu-deminers",
        Response::html(format!(
            "<!doctype html><html><head><title>{title} | Peninsula Wire</title></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
<article><h1>{title}</h1><p class=\"byline\">By Staff Reporter</p>{paragraphs}</article>\
<footer>© Peninsula Wire</footer></body></html>"
        )),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/wire.xml"), "Peninsula Wire")
    ));
    let first = s.run(&["poll", "--json"]).success().json();
    let wire_url = format!("{base}/wire/shoigu-deminers");
    assert!(
        by_url(&first, &wire_url)["duplicate_of"].is_null(),
        "{first:#}"
    );
    assert!(
        http.hits("/wire/shoigu-deminers") >= 1,
        "the article was fetched"
    );

    // A day later another feed syndicates the full text under its own headline and URL.
    http.route(
        "/daily.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Far East Daily",
                base,
                &[(
                    "/daily/2026/11/kursk-rebuilding",
                    "Pyongyang to help rebuild Kursk, Moscow says",
                    ARTICLE.to_vec(),
                    1,
                )],
            ),
        ),
    );
    let mut cfg = std::fs::read_to_string(s.path("config/newswatch.toml")).unwrap();
    cfg.push_str(&feed(&http.url("/daily.xml"), "Far East Daily"));
    s.write("config/newswatch.toml", &cfg);
    let second = s.run(&["poll", "--json"]).success().json();
    let copy = by_url(&second, &format!("{base}/daily/2026/11/kursk-rebuilding"));
    assert_eq!(
        copy["duplicate_of"], wire_url,
        "the syndicated full text is a copy of the story read through its page: {second:#}"
    );
}
