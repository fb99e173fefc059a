//! Recipient sets, urgent alerts and webhooks (issue 11, point 5), through the binary
//! against the loopback SMTP and HTTP servers.

use std::time::Duration;

use serde_json::Value;

use crate::support::cli::{feed, smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::smtp::SmtpServer;

fn rss(name: &str, base: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title><link>{base}/</link><description>test</description>"#
    );
    for (path, title, body) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{base}{path}</link><guid isPermaLink=\"true\">{base}{path}</guid><pubDate>{}</pubDate><description><![CDATA[<p>{body}</p>]]></description></item>",
            (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// A second watchlist with its own recipients, which sort before `email.to`'s (so its
/// digest is tried first).
const DESK: &str = r#"
name = "Kursk desk"
recipients = ["a-desk@refused.example"]

[[entity]]
id = "kursk"
label = "Kursk region"
kind = "place"
aliases = ["Kursk"]
"#;

const STORY: &str = "Sergei Shoigu said on Tuesday that North Korea would send a thousand \
deminers and several thousand military builders to the Kursk region.";

fn to_of(m: &crate::support::smtp::ReceivedMail) -> Vec<String> {
    m.to.clone()
}

#[test]
fn a_recipient_set_the_server_refuses_never_blocks_the_others() {
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/wire.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Wire",
                base,
                &[("/wire/1", "Shoigu sends deminers to Kursk", STORY)],
            ),
        ),
    );
    let s = Session::new();
    s.write("watchlists/desk.toml", DESK);
    smtp.refuse_recipient("a-desk@refused.example");
    s.config(&format!(
        "{}\n{}",
        smtp_email(smtp.port()),
        feed(&http.url("/wire.xml"), "Wire")
    ));
    let report: Value = s.run(&["once", "--json"]).not_sent().json();
    let mail = smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mail.len(), 1, "the other set got its digest: {report:#}");
    assert_eq!(to_of(&mail[0]), vec!["analyst@example.org"]);
    assert!(mail[0]
        .parse()
        .text
        .unwrap_or_default()
        .contains("Shoigu sends deminers"));
    assert_eq!(report["digest"]["status"], "queued", "{report:#}");
    assert!(
        report["digest"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("550")),
        "the refusal is reported: {report:#}"
    );

    // Still refused: the queued digest fails again, nothing is sent twice to the others.
    s.run(&["digest"]).not_sent();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(smtp.messages().len(), 1, "no second digest for the analyst");

    // Taken again: the queued digest goes out once, to its own set only.
    smtp.accept_all_recipients();
    s.run(&["digest"]).success();
    let mail = smtp.wait_for_messages(2, Duration::from_secs(5));
    assert_eq!(mail.len(), 2);
    assert_eq!(to_of(&mail[1]), vec!["a-desk@refused.example"]);
    assert!(mail[1]
        .parse()
        .text
        .unwrap_or_default()
        .contains("Shoigu sends deminers"));
    assert_ne!(
        mail[0].parse().header("Message-ID"),
        mail[1].parse().header("Message-ID")
    );
    s.run(&["digest"]).success();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(smtp.messages().len(), 2, "sent once, not again");
}

#[test]
fn a_contradiction_a_watchlist_wants_now_is_mailed_at_once_retried_and_not_new_in_the_digest() {
    let s = Session::new();
    s.write(
        "watchlists/dprk-russia.toml",
        &format!(
            "alert_now = [\"contradicts\", \"updates\"]\n{}",
            crate::support::cli::WATCHLIST
        ),
    );
    s.write(
        "corpus/briefing.txt",
        "Seoul briefing on the Kursk front\n\nSouth Korean intelligence told lawmakers that about 600 North Korean soldiers have been killed in the Kursk region since the winter.\n",
    );
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let body = "The UK Ministry of Defence said that 6,000 North Korean soldiers had been killed in the fighting for the Kursk region, half of the force sent there. Officials in Seoul did not comment on the figure, and the ministry gave no breakdown of how it was reached or over what period the losses occurred.";
    let title = "London puts North Korean losses at 6,000";
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><link>{base}</link><description>d</description><item><title>{title}</title><link>{link}</link><guid>mod-losses</guid><pubDate>{}</pubDate><description>{body}</description></item></channel></rss>",
                (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822(),
                link = http.url("/news/mod-losses"),
            ),
        ),
    );
    s.config(&format!(
        "{}\n{}",
        smtp_email(smtp.port()),
        feed(&http.url("/rss.xml"), "Wire")
    ));
    s.run(&["seed", s.path("corpus").to_str().unwrap(), "--json"])
        .success();

    // The server is down for this cycle's alert: it stays queued with its Message-ID.
    smtp.reject_data(451);
    let first: Value = s.run(&["poll", "--json"]).success().json();
    let claim = first["claims"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|c| c["value"] == 6000.0 && c["measure"] == "killed")
                .cloned()
        })
        .unwrap_or_else(|| panic!("the 6,000 claim: {first:#}"));
    assert_eq!(claim["status"], "contradicts", "{claim:#}");
    let alerts = first["alerts"].as_array().cloned().unwrap_or_default();
    assert_eq!(alerts.len(), 1, "one alert: {first:#}");
    assert_eq!(alerts[0]["status"], "queued", "{first:#}");
    assert_eq!(alerts[0]["recipients"][0], "analyst@example.org");
    let message_id = alerts[0]["message_id"].as_str().unwrap().to_string();
    assert_eq!(smtp.messages().len(), 0);

    // The next cycle (nothing new in the feed) retries it: delivered once, same id.
    smtp.accept();
    let second: Value = s.run(&["poll", "--json"]).success().json();
    assert_eq!(second["alerts"][0]["status"], "sent", "{second:#}");
    assert_eq!(second["alerts"][0]["message_id"], message_id.as_str());
    let mail = smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mail.len(), 1);
    let alert = mail[0].parse();
    assert_eq!(alert.header("Message-ID"), Some(message_id.as_str()));
    let subject = alert.header("Subject").unwrap_or_default().to_string();
    assert!(subject.contains("ALERT CONTRADICTS"), "{subject}");
    let text = alert.text.unwrap_or_default();
    assert!(text.contains("6,000") && text.contains("600"), "{text}");
    assert!(text.contains(&http.url("/news/mod-losses")), "{text}");
    let third: Value = s.run(&["poll", "--json"]).success().json();
    assert!(third.get("alerts").is_none(), "not sent again: {third:#}");

    // The digest still has the story, but not the alerted claim as new.
    s.run(&["digest"]).success();
    let mail = smtp.wait_for_messages(2, Duration::from_secs(5));
    assert_eq!(mail.len(), 2);
    let digest = mail[1].parse();
    let text = digest.text.clone().unwrap_or_default();
    assert!(text.contains(title), "{text}");
    assert!(!text.contains("CONTRADICTS"), "already alerted: {text}");
    assert_ne!(digest.header("Message-ID"), Some(message_id.as_str()));
}

#[test]
fn a_webhook_that_fails_once_is_retried_with_the_same_id_and_delivered_once() {
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/wire.xml",
        Response::ok(
            "application/rss+xml",
            rss(
                "Wire",
                base,
                &[("/wire/1", "Shoigu sends deminers to Kursk", STORY)],
            ),
        ),
    );
    http.route("/hook", Response::status(500).body("text/plain", "down"));
    let s = Session::new();
    s.write("config/hook-token", "Bearer s3cret\n");
    s.config(&format!(
        "{}\n{}[[webhooks]]\nurl = \"{}\"\nevents = [\"digest\"]\ntoken_file = \"hook-token\"\n",
        smtp_email(smtp.port()),
        feed(&http.url("/wire.xml"), "Wire"),
        http.url("/hook")
    ));
    let first: Value = s.run(&["once", "--json"]).success().json();
    assert_eq!(first["digest"]["status"], "sent", "{first:#}");
    assert_eq!(http.hits("/hook"), 1, "tried once");

    // The next cycle retries it; the server is back.
    http.route("/hook", Response::ok("application/json", "{}"));
    let second: Value = s.run(&["poll", "--json"]).success().json();
    let hooks = second["webhooks"].as_array().cloned().unwrap_or_default();
    assert_eq!(hooks.len(), 1, "{second:#}");
    assert_eq!(hooks[0]["status"], "sent", "{second:#}");
    assert_eq!(hooks[0]["recipients"][0], http.url("/hook"));
    let third: Value = s.run(&["poll", "--json"]).success().json();
    assert!(third.get("webhooks").is_none(), "delivered once: {third:#}");

    let posts = http.requests_to("/hook");
    assert_eq!(posts.len(), 2);
    let ids: Vec<&str> = posts
        .iter()
        .map(|r| r.header("x-newswatch-id").unwrap_or_default())
        .collect();
    assert!(!ids[0].is_empty());
    assert_eq!(ids[0], ids[1], "the same id on the retry");
    assert_eq!(hooks[0]["message_id"], ids[0]);
    for post in &posts {
        assert_eq!(post.method, "POST");
        assert_eq!(post.header("authorization"), Some("Bearer s3cret"));
        assert!(post
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")));
    }
    let a: Value = serde_json::from_slice(&posts[0].body).unwrap();
    let b: Value = serde_json::from_slice(&posts[1].body).unwrap();
    assert_eq!(a, b, "the same document on the retry");
    assert_eq!(a["event"], "digest");
    assert_eq!(a["id"], ids[0]);
    let story = &a["digest"]["groups"][0]["stories"][0];
    assert_eq!(story["title"], "Shoigu sends deminers to Kursk", "{a:#}");
    assert_eq!(story["url"], format!("{base}/wire/1"));
    assert!(story["claims"].is_array(), "{a:#}");
    // The email went its own way, once.
    assert_eq!(smtp.wait_for_messages(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn an_alert_is_posted_to_a_webhook_with_its_claim_and_story() {
    let s = Session::new();
    s.write(
        "watchlists/dprk-russia.toml",
        &format!(
            "alert_now = [\"contradicts\"]\n{}",
            crate::support::cli::WATCHLIST
        ),
    );
    s.write(
        "corpus/briefing.txt",
        "Seoul briefing on the Kursk front\n\nSouth Korean intelligence told lawmakers that about 600 North Korean soldiers have been killed in the Kursk region since the winter.\n",
    );
    let http = HttpServer::start();
    let base = http.base_url();
    let body = "The UK Ministry of Defence said that 6,000 North Korean soldiers had been killed in the fighting for the Kursk region, half of the force sent there. Officials in Seoul did not comment on the figure.";
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><link>{base}</link><description>d</description><item><title>Losses in Kursk</title><link>{link}</link><guid>mod-losses</guid><pubDate>{}</pubDate><description>{body}</description></item></channel></rss>",
                (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822(),
                link = http.url("/news/mod-losses"),
            ),
        ),
    );
    http.route("/hook", Response::ok("application/json", "{}"));
    s.config(&format!(
        "{}\n{}[[webhooks]]\nurl = \"{}\"\nevents = [\"alert\"]\n",
        crate::support::cli::file_email(),
        feed(&http.url("/rss.xml"), "Wire"),
        http.url("/hook")
    ));
    s.run(&["seed", s.path("corpus").to_str().unwrap(), "--json"])
        .success();
    let report: Value = s.run(&["poll", "--json"]).success().json();
    assert_eq!(report["webhooks"][0]["status"], "sent", "{report:#}");
    let posts = http.requests_to("/hook");
    assert_eq!(posts.len(), 1);
    let doc: Value = serde_json::from_slice(&posts[0].body).unwrap();
    assert_eq!(doc["event"], "alert");
    assert_eq!(doc["claims"][0]["status"], "contradicts", "{doc:#}");
    assert_eq!(doc["claims"][0]["value"], "6,000", "{doc:#}");
    assert_eq!(doc["stories"][0]["url"], http.url("/news/mod-losses"));
    // A digest does not go to an alert-only webhook.
    s.run(&["digest"]).success();
    assert_eq!(http.requests_to("/hook").len(), 1);
}
