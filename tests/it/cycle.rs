//! One cycle end to end: feeds served on 127.0.0.1 in every format, `once --json`, and the
//! email that reached a real SMTP receiver.

use std::time::Duration;

use crate::support::cli::{feed, file_email, smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::smtp::SmtpServer;

fn rfc2822(hours_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc2822()
}

fn rfc3339(hours_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc3339()
}

/// An RSS 2.0 feed whose items carry full text (so no article fetch is needed).
fn rss(base: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Peninsula Wire</title><link>http://example.org/</link><description>test</description>"#,
    );
    for (slug, title, body) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{base}/news/{slug}?utm_source=rss</link><guid isPermaLink=\"false\">pw-{slug}</guid><pubDate>{}</pubDate><description><![CDATA[<p>{body}</p>]]></description></item>",
            rfc2822(2)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

const LONG_TAIL: &str =
    " Officials gave no further detail on the schedule, and the report could not be \
independently verified. Analysts said the move fits a pattern of closer ties that began with \
the treaty signed the previous year, and that further announcements were likely in the \
coming weeks as both governments prepare new agreements on transport, trade and labour.";

fn atom(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Le Fil Coréen</title><id>urn:test:atom</id><updated>{u}</updated>
<entry><title>Choïgou de nouveau à Pyongyang</title><id>urn:test:atom:1</id><link href="{base}/fr/choigou-pyongyang"/>
<updated>{u}</updated><published>{u}</published>
<content type="html">&lt;p&gt;Le secrétaire du Conseil de sécurité russe s'est rendu en Corée du Nord pour la troisième fois.{tail}&lt;/p&gt;</content></entry>
<entry><title>Météo: un hiver doux annoncé</title><id>urn:test:atom:2</id><link href="{base}/fr/meteo"/><updated>{u}</updated>
<content type="html">&lt;p&gt;Les prévisionnistes annoncent des températures clémentes.{tail}&lt;/p&gt;</content></entry>
</feed>"#,
        u = rfc3339(3),
        tail = LONG_TAIL
    )
}

fn json_feed(base: &str) -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Восточный вестник",
        "items": [
            {"id": "vv-1", "url": format!("{base}/ru/kursk-sapery"), "title": "Саперы из КНДР прибудут в Курскую область",
             "content_text": format!("Инженерные подразделения начнут разминирование в ближайшие недели.{LONG_TAIL}"),
             "date_published": rfc3339(1)},
            {"id": "vv-2", "url": format!("{base}/ru/sport"), "title": "Футбольный клуб сменил тренера",
             "content_text": format!("Новый тренер представлен болельщикам.{LONG_TAIL}"),
             "date_published": rfc3339(1)}
        ]
    })
    .to_string()
}

fn list_page(base: &str) -> String {
    format!(
        r#"<html><body><nav><a href="/about">About us</a></nav>
<main>
<article class="teaser"><h2><a href="/pages/shoigu-rail">Shoigu promises a direct rail link to Pyongyang</a></h2></article>
<article class="teaser"><h2><a href="{base}/pages/harvest">Harvest festival opens in the valley</a></h2></article>
<article class="teaser"><h2><a href="/pages/timetable">A new railway timetable for the far east</a></h2></article>
</main><footer>© Test Gazette</footer></body></html>"#
    )
}

fn article_page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>{title}</h1><p class="byline">By A. Reporter</p>
<p>{body}</p><p>{LONG_TAIL}</p><p>{LONG_TAIL}</p></article>
<aside><h3>More on this topic</h3><ul><li><a href="/x">Kursk weather update</a></li></ul></aside>
<footer>Subscribe to our newsletter</footer></body></html>"#
    )
}

/// The servers and session of the main scenario.
struct World {
    http: HttpServer,
    smtp: SmtpServer,
    s: Session,
}

fn world() -> World {
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                base,
                &[
                    ("shoigu-visit", "Shoigu arrives in Pyongyang for talks", &format!("Russia's Security Council secretary met Kim Jong Un on Tuesday.{LONG_TAIL}")),
                    ("markets", "Markets close higher", &format!("Stocks rose across Europe.{LONG_TAIL}")),
                    ("xss", "&lt;script&gt;alert(1)&lt;/script&gt; Kursk rebuilding", &format!("North Korean builders are expected in the Kursk region.{LONG_TAIL}")),
                ],
            ),
        )
        .etag("\"rss-v1\""),
    );
    http.route(
        "/atom.xml",
        Response::ok("application/atom+xml", atom(base)),
    );
    http.route(
        "/feed.json",
        Response::ok("application/feed+json", json_feed(base)),
    );
    http.route("/list/", Response::html(list_page(base)));
    http.route(
        "/pages/shoigu-rail",
        Response::html(article_page(
            "Shoigu promises a direct rail link to Pyongyang",
            "Sergei Shoigu said trains between Moscow and the North Korean capital would run soon.",
        )),
    );
    // Matches only through its article text: the title names no watch entity.
    http.route(
        "/pages/timetable",
        Response::html(article_page(
            "A new railway timetable for the far east",
            "The timetable follows a promise by Sergei Shoigu to link Moscow and Pyongyang by train.",
        )),
    );
    http.route(
        "/pages/harvest",
        Response::html(article_page(
            "Harvest festival opens",
            "Farmers brought pumpkins to the square.",
        )),
    );
    let s = Session::new();
    let mut cfg = smtp_email(smtp.port());
    cfg.push_str("\n[fetch]\ntimeout_secs = 3\nmax_body_bytes = 200000\n\n");
    cfg.push_str(&feed(&http.url("/rss.xml"), "Peninsula Wire"));
    cfg.push_str(&feed(&http.url("/atom.xml"), "Le Fil Coréen"));
    cfg.push_str(&feed(&http.url("/feed.json"), "Vostochny Vestnik"));
    cfg.push_str(&format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"Test Gazette\"\nkind = \"html\"\nitem_selector = \"article.teaser\"\nlink_selector = \"a\"\ntitle_selector = \"h2\"\n",
        http.url("/list/")
    ));
    s.config(&cfg);
    World { http, smtp, s }
}

fn titles(report: &serde_json::Value) -> Vec<String> {
    report["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn once_matches_items_of_every_format_and_mails_one_digest() {
    let w = world();
    let run = w.s.run(&["once", "--json"]).success();
    let report = run.json();
    let feeds = report["feeds"].as_array().expect("feeds array");
    assert_eq!(feeds.len(), 4, "{report:#}");
    for f in feeds {
        assert_eq!(f["status"], "ok", "{f:#}\nstderr:\n{}", run.stderr);
    }
    let t = titles(&report);
    assert!(
        t.iter().any(|t| t.contains("Shoigu arrives")),
        "RSS item: {t:?}"
    );
    assert!(t.iter().any(|t| t.contains("Choïgou")), "Atom item: {t:?}");
    assert!(
        t.iter().any(|t| t.contains("Саперы из КНДР")),
        "JSON Feed item: {t:?}"
    );
    assert!(
        t.iter().any(|t| t.contains("rail link")),
        "HTML list page item: {t:?}"
    );
    for unrelated in ["Markets", "Météo", "Футбольный", "Harvest"] {
        assert!(
            !t.iter().any(|t| t.contains(unrelated)),
            "{unrelated} must not match: {t:?}"
        );
    }
    // The tracking parameter is gone from the item id but the item is there once.
    let shoigu: Vec<_> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"].as_str().unwrap().contains("Shoigu arrives"))
        .collect();
    assert_eq!(shoigu.len(), 1);
    assert!(shoigu[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "shoigu"));

    assert_eq!(report["digest"]["status"], "sent", "{:#}", report["digest"]);
    let mails = w.smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mails.len(), 1);
    let m = mails[0].parse();
    assert!(
        m.content_type.starts_with("multipart/alternative"),
        "{}",
        m.content_type
    );
    let html = m.html.clone().expect("an HTML part");
    let text = m.text.clone().expect("a text part");
    assert!(text.contains("Shoigu arrives in Pyongyang"), "{text}");
    assert!(
        html.contains("&lt;script&gt;"),
        "the script title must arrive escaped"
    );
    assert!(
        !html.contains("<script>"),
        "no live script in the HTML part"
    );
    assert_eq!(
        m.header("Message-ID").map(str::to_string),
        report["digest"]["message_id"].as_str().map(str::to_string)
    );

    // A second cycle: nothing new, no mail.
    let again = w.s.run(&["once", "--json"]).success().json();
    assert_eq!(
        again["items"].as_array().map(Vec::len),
        Some(0),
        "{again:#}"
    );
    assert_eq!(again["digest"]["status"], "empty");
    let rss = again["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Peninsula Wire")
        .cloned()
        .unwrap();
    assert_eq!(rss["status"], "not_modified", "ETag honoured: {rss:#}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(w.smtp.messages().len(), 1, "an empty cycle sends no mail");
    assert!(w
        .http
        .last_request("/rss.xml")
        .and_then(|r| r.header("if-none-match").map(str::to_string))
        .is_some());
}

#[test]
fn failing_feeds_are_reported_and_the_others_still_arrive() {
    let w = world();
    w.http.route(
        "/broken.xml",
        Response::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>x</title><item><title>Kursk</item></channel>",
        ),
    );
    w.http.route("/error.xml", Response::status(500));
    w.http.route(
        "/stall.xml",
        Response::ok(
            "application/rss+xml",
            rss("http://x", &[("a", "Kursk stalled", "body")]),
        )
        .stall_after(60),
    );
    w.http
        .route("/huge.xml", Response::endless("application/rss+xml"));
    let mut cfg = std::fs::read_to_string(w.s.path("config/newswatch.toml")).unwrap();
    for (p, n) in [
        ("/broken.xml", "Broken"),
        ("/error.xml", "Error"),
        ("/stall.xml", "Stall"),
        ("/huge.xml", "Huge"),
    ] {
        cfg.push_str(&feed(&w.http.url(p), n));
    }
    w.s.write("config/newswatch.toml", &cfg);
    let run = w.s.run(&["once", "--json"]).success();
    let report = run.json();
    let by_name = |n: &str| {
        report["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("no feed {n}: {report:#}"))
    };
    for n in ["Broken", "Error", "Stall", "Huge"] {
        let f = by_name(n);
        assert_eq!(f["status"], "error", "{f:#}");
        assert!(f["error"].as_str().is_some_and(|e| !e.is_empty()), "{f:#}");
    }
    assert!(by_name("Error")["error"].as_str().unwrap().contains("500"));
    assert!(
        by_name("Huge")["error"]
            .as_str()
            .unwrap()
            .contains("larger"),
        "{:#}",
        by_name("Huge")
    );
    let stall = by_name("Stall")["error"].as_str().unwrap().to_lowercase();
    assert!(
        stall.contains("timed out") || stall.contains("nothing received"),
        "{stall}"
    );
    assert_eq!(by_name("Peninsula Wire")["status"], "ok");
    assert!(titles(&report).iter().any(|t| t.contains("Shoigu arrives")));
    // The failures show in `feeds` and in the log too.
    let feeds = w.s.run(&["feeds", "--json"]).success().json();
    let error_feed = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Error")
        .cloned()
        .unwrap();
    assert_eq!(error_feed["consecutive_failures"], 1);
    assert!(
        run.stderr.contains("500"),
        "the log names the failure:\n{}",
        run.stderr
    );
    // And in the digest's footer.
    let mail = w.smtp.wait_for_messages(1, Duration::from_secs(5))[0].parse();
    assert!(
        mail.text.unwrap_or_default().contains("Error"),
        "failing feeds footer"
    );
}

#[test]
fn a_copy_under_another_url_is_a_duplicate_not_a_second_story() {
    let w = world();
    let base = w.http.base_url();
    let base = base.trim_end_matches('/');
    // The same story (same link once tracking is dropped) in a second feed.
    w.http.route(
        "/mirror.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                base,
                &[(
                    "shoigu-visit",
                    "Shoigu arrives in Pyongyang for talks (wire)",
                    &format!("Russia's Security Council secretary met Kim Jong Un.{LONG_TAIL}"),
                )],
            )
            .replace("utm_source=rss", "utm_medium=social&amp;fbclid=abc"),
        ),
    );
    let mut cfg = std::fs::read_to_string(w.s.path("config/newswatch.toml")).unwrap();
    cfg.push_str(&feed(&w.http.url("/mirror.xml"), "Mirror"));
    w.s.write("config/newswatch.toml", &cfg);
    let report = w.s.run(&["once", "--json"]).success().json();
    let copies: Vec<_> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"].as_str().unwrap().starts_with("Shoigu arrives"))
        .cloned()
        .collect();
    assert_eq!(copies.len(), 2, "{report:#}");
    let originals = copies
        .iter()
        .filter(|c| c["duplicate_of"].is_null())
        .count();
    assert_eq!(originals, 1, "exactly one first copy: {copies:#?}");
    let dup = copies
        .iter()
        .find(|c| !c["duplicate_of"].is_null())
        .unwrap();
    let orig = copies.iter().find(|c| c["duplicate_of"].is_null()).unwrap();
    assert_eq!(dup["duplicate_of"], orig["url"]);
    let text = w.smtp.wait_for_messages(1, Duration::from_secs(5))[0]
        .parse()
        .text
        .unwrap_or_default();
    assert_eq!(
        text.matches("Shoigu arrives in Pyongyang").count(),
        1,
        "the story once in the digest:\n{text}"
    );
}

#[test]
fn no_send_keeps_items_pending_and_prints_the_digest() {
    let w = world();
    let run = w.s.run(&["once", "--no-send"]).success();
    assert!(run.stdout.contains("Shoigu arrives"), "{}", run.stdout);
    assert!(w.smtp.messages().is_empty());
    let dry = w.s.run(&["digest", "--dry-run"]).success();
    assert!(
        dry.stdout.contains("Shoigu arrives"),
        "still pending: {}",
        dry.stdout
    );
    w.s.run(&["digest"]).success();
    assert_eq!(w.smtp.wait_for_messages(1, Duration::from_secs(5)).len(), 1);
    let after = w.s.run(&["digest", "--json"]).success().json();
    assert_eq!(after["digest"]["status"], "empty");
}

#[test]
fn a_refused_digest_stays_queued_and_is_resent_with_the_same_message_id() {
    let w = world();
    w.smtp.reject_data(451);
    let first = w.s.run(&["once", "--json"]).not_sent().json();
    assert_eq!(first["digest"]["status"], "queued", "{:#}", first["digest"]);
    let id = first["digest"]["message_id"].as_str().unwrap().to_string();
    // A dry run still shows every pending story, the queued digest's included.
    let dry = w.s.run(&["digest", "--dry-run"]).success();
    assert!(dry.stdout.contains("Shoigu arrives"), "{}", dry.stdout);
    w.smtp.accept();
    let second = w.s.run(&["digest", "--json"]).success().json();
    assert_eq!(second["digest"]["status"], "sent", "{second:#}");
    let mails = w.smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].parse().header("Message-ID"), Some(id.as_str()));
    // Sent once: the next digest is empty.
    let third = w.s.run(&["digest", "--json"]).success().json();
    assert_eq!(third["digest"]["status"], "empty");
}

#[test]
fn file_transport_writes_one_eml_and_an_empty_cycle_writes_none() {
    let http = HttpServer::start();
    let base = http.base_url();
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                base.trim_end_matches('/'),
                &[(
                    "k",
                    "Kursk reconstruction begins",
                    &format!("North Korean builders arrive.{LONG_TAIL}"),
                )],
            ),
        ),
    );
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Wire")
    ));
    let r = s.run(&["once", "--json"]).success().json();
    assert_eq!(r["digest"]["status"], "sent");
    assert_eq!(s.outbox().len(), 1);
    let eml = std::fs::read_to_string(&s.outbox()[0]).unwrap();
    assert!(eml.contains("multipart/alternative"));
    let r2 = s.run(&["once", "--json"]).success().json();
    assert_eq!(r2["digest"]["status"], "empty");
    assert_eq!(s.outbox().len(), 1);
}

#[test]
fn old_items_of_a_new_feed_are_marked_seen_not_reported() {
    let http = HttpServer::start();
    let base = http.base_url();
    let old = rss(
        base.trim_end_matches('/'),
        &[(
            "old",
            "Kursk archive story",
            &format!("Old news.{LONG_TAIL}"),
        )],
    )
    .replace(&rfc2822(2), &rfc2822(24 * 60));
    http.route("/rss.xml", Response::ok("application/rss+xml", old));
    let s = Session::new();
    s.config(&format!(
        "{}\n[fetch]\nbackfill_days = 3\n\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Wire")
    ));
    let r = s.run(&["once", "--json"]).success().json();
    assert_eq!(r["items"].as_array().map(Vec::len), Some(0), "{r:#}");
    assert_eq!(r["digest"]["status"], "empty");
}

#[test]
fn offline_every_feed_fails_with_its_reason_and_no_mail_is_written() {
    let s = Session::new();
    let dead = crate::support::http::refused_url("/rss.xml");
    s.config(&format!(
        "{}\n[fetch]\ntimeout_secs = 2\n\n{}{}",
        file_email(),
        feed(&dead, "Dead"),
        feed("http://newswatch-test.invalid/rss", "Nowhere")
    ));
    let run = s.run(&["once", "--json"]).success();
    let r = run.json();
    for f in r["feeds"].as_array().unwrap() {
        assert_eq!(f["status"], "error", "{f:#}");
    }
    assert_eq!(r["digest"]["status"], "empty");
    assert!(s.outbox().is_empty());
    assert!(
        run.stderr.contains("Dead") || run.stderr.contains("refused"),
        "{}",
        run.stderr
    );
}

/// Two digests in one run, the server accepts the first and hangs on the second, the
/// process is killed: the first must not be mailed again (its "sent" mark is on disk
/// before the next send begins, not at the store's next periodic flush).
#[test]
fn a_digest_the_server_accepted_is_not_sent_again_after_a_kill() {
    let w = world();
    w.smtp.reject_data(451);
    let first = w.s.run(&["once", "--json"]).not_sent().json();
    assert_eq!(first["digest"]["status"], "queued", "{:#}", first["digest"]);
    let id1 = first["digest"]["message_id"].as_str().unwrap().to_string();
    // A new story, for a second digest.
    let base = w.http.base_url();
    w.http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                base.trim_end_matches('/'),
                &[(
                    "sappers-kursk",
                    "Sappers reach the Kursk border",
                    "North Korean sappers reached the Kursk region on Monday, where they began \
                     clearing fields around three villages near the border. Local officials said \
                     the work would take several weeks and asked farmers to keep away from the \
                     marked areas; the regional governor thanked the engineers for their help and \
                     promised compensation to the families whose land cannot be sown this spring.",
                )],
            ),
        )
        .etag("\"rss-v2\""),
    );
    let polled = w.s.run(&["poll", "--json"]).success().json();
    assert!(
        polled["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|i| i["duplicate_of"].is_null())),
        "a new story: {polled:#}"
    );
    w.smtp.accept();
    w.smtp.stall_after(1);
    let mut child = w.s.spawn(&["digest"]);
    let got = w.smtp.wait_for_messages(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].parse().header("Message-ID"), Some(id1.as_str()));
    // Killed while the second digest waits for the server, well inside the store's
    // periodic flush interval (2 s).
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill");
    let _ = child.wait();
    w.smtp.stop_stalling();
    w.s.run(&["digest"]).success();
    let mails = w.smtp.wait_for_messages(2, Duration::from_secs(10));
    let ids: Vec<String> = mails
        .iter()
        .filter_map(|m| m.parse().header("Message-ID").map(str::to_string))
        .collect();
    assert_eq!(
        ids.iter().filter(|i| **i == id1).count(),
        1,
        "the accepted digest was mailed again: {ids:?}"
    );
    assert_eq!(ids.len(), 2, "{ids:?}");
}
