//! Near-duplicates end to end: the same story in two feeds under other URLs and headlines
//! is one story (title tier or body fingerprint), and another story about the same event
//! is not.

use std::time::Duration;

use serde_json::Value;

use crate::support::cli::{feed, smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::smtp::SmtpServer;

fn rfc2822(hours_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc2822()
}

/// An RSS 2.0 feed of (path, title, paragraphs) items carrying their full text.
fn rss(name: &str, base: &str, items: &[(&str, &str, Vec<&str>)]) -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title><link>{base}/</link><description>test</description>"#
    );
    for (path, title, paragraphs) in items {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        s.push_str(&format!(
            "<item><title>{title}</title><link>{base}{path}</link><guid isPermaLink=\"true\">{base}{path}</guid><pubDate>{}</pubDate><description><![CDATA[{body}]]></description></item>",
            rfc2822(3)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

const P1: &str = "Russian Security Council Secretary Sergei Shoigu said on Tuesday that North \
Korea would send a thousand deminers and several thousand military builders to the Kursk \
region, after a meeting with Kim Jong Un in Pyongyang.";
const P2: &str = "The deminers are to clear fields and roads in border districts that were \
fought over last year, while the builders will restore bridges, schools and apartment blocks. \
Shoigu gave no date for their arrival and no figure for the cost of the work.";
const P3: &str = "Officials in Moscow called the trip a working visit, the second one to the \
North Korean capital within a fortnight, and said further agreements on transport links were \
being prepared.";
/// What the copy adds at the end.
const ADDED: &str = "A spokesman for the regional government said temporary housing for the \
workers would be ready within a month, in buildings of two former summer camps near the city.";

/// Another story about the same event: the same people, place and figures, its own text.
const OTHER: [&str; 2] = [
    "South Korea condemned on Wednesday the plan announced by Sergei Shoigu in Pyongyang to \
send North Korean deminers and military builders to the Kursk region, calling it a breach of \
United Nations sanctions that Russia itself voted for.",
    "A foreign ministry spokesman in Seoul said the government was consulting its allies on a \
response, and lawmakers briefed by the intelligence service said thousands of North Koreans \
were already working in Russia, many of them for the armed forces.",
];

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn items(report: &Value) -> Vec<Value> {
    report["items"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_rewritten_copy_in_another_feed_is_one_story_also_reported_by_its_source() {
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/wire.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Peninsula Wire",
                base,
                &[
                    (
                        "/wire/shoigu-deminers",
                        "Shoigu says North Korean deminers will go to Kursk",
                        vec![P1, P2, P3],
                    ),
                    (
                        "/wire/seoul-reaction",
                        "Seoul condemns plan for North Korean workers in Kursk",
                        OTHER.to_vec(),
                    ),
                ],
            ),
        ),
    );
    // The copy: another site, another URL, another headline, one paragraph more.
    http.route(
        "/daily.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Far East Daily",
                base,
                &[(
                    "/daily/2026/11/kursk-rebuilding-pyongyang-help",
                    "Pyongyang to help rebuild Kursk, Moscow says",
                    vec![P1, P2, P3, ADDED],
                )],
            ),
        ),
    );
    let s = Session::new();
    let mut cfg = smtp_email(smtp.port());
    cfg.push('\n');
    cfg.push_str(&feed(&http.url("/wire.xml"), "Peninsula Wire"));
    cfg.push_str(&feed(&http.url("/daily.xml"), "Far East Daily"));
    s.config(&cfg);

    let report = s.run(&["once", "--json"]).success().json();
    let all = items(&report);
    let wire_url = format!("{base}/wire/shoigu-deminers");
    let copy_url = format!("{base}/daily/2026/11/kursk-rebuilding-pyongyang-help");
    let by_url = |u: &str| {
        all.iter()
            .find(|i| i["url"] == u)
            .cloned()
            .unwrap_or_else(|| panic!("no item {u}: {report:#}"))
    };
    let (wire, copy) = (by_url(&wire_url), by_url(&copy_url));
    // The feeds are read concurrently: either copy may be the first one stored.
    let (first, second, second_source) = if wire["duplicate_of"].is_null() {
        (wire, copy, "Far East Daily")
    } else {
        (copy, wire, "Peninsula Wire")
    };
    assert!(first["duplicate_of"].is_null(), "{report:#}");
    assert_eq!(
        second["duplicate_of"], first["url"],
        "the copy points at the first: {report:#}"
    );
    let other = by_url(&format!("{base}/wire/seoul-reaction"));
    assert!(
        other["duplicate_of"].is_null(),
        "another story of the same event is not a copy: {report:#}"
    );
    assert!(other["entities"]
        .as_array()
        .is_some_and(|e| e.iter().any(|x| x == "shoigu")));

    let mail = smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mail.len(), 1);
    let text = flat(&mail[0].parse().text.unwrap_or_default());
    let first_title = first["title"].as_str().unwrap_or_default();
    let second_title = second["title"].as_str().unwrap_or_default();
    assert_eq!(text.matches(first_title).count(), 1, "once: {text}");
    assert!(
        !text.contains(second_title),
        "the copy is no second story: {text}"
    );
    assert!(
        text.contains(&format!("Also reported by: {second_source}")),
        "{text}"
    );
    assert!(
        text.contains("Seoul condemns plan for North Korean workers in Kursk"),
        "the other story is in the digest: {text}"
    );
}

#[test]
fn a_copy_in_a_later_cycle_under_the_same_title_is_a_duplicate() {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    // Short items (no body to fingerprint): the title tier decides.
    let title = "Shoigu arrives in Pyongyang for talks with Kim Jong Un";
    http.route(
        "/a.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Wire A",
                base,
                &[("/a/1", title, vec!["Shoigu landed on Tuesday."])],
            ),
        ),
    );
    http.route(
        "/b.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Wire B",
                base,
                &[(
                    "/b/9",
                    &format!("{title}!"),
                    vec!["Sergei Shoigu is in the North Korean capital."],
                )],
            ),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        crate::support::cli::file_email(),
        feed(&http.url("/a.xml"), "Wire A")
    ));
    let first = s.run(&["poll", "--json"]).success().json();
    assert_eq!(items(&first).len(), 1, "{first:#}");
    assert!(items(&first)[0]["duplicate_of"].is_null());
    let mut cfg = std::fs::read_to_string(s.path("config/newswatch.toml")).unwrap();
    cfg.push_str(&feed(&http.url("/b.xml"), "Wire B"));
    s.write("config/newswatch.toml", &cfg);
    let second = s.run(&["once", "--json"]).success().json();
    let copy = items(&second);
    assert_eq!(copy.len(), 1, "{second:#}");
    assert_eq!(copy[0]["duplicate_of"], format!("{base}/a/1"));
    assert_eq!(second["digest"]["items"], 1, "{second:#}");
    let eml = std::fs::read_to_string(&s.outbox()[0]).unwrap();
    assert!(eml.contains("Wire B"), "also reported by Wire B");
}
