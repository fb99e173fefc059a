//! The mail queue (issue 12, point 2): a mail server that stalls never stops the polls,
//! a failed digest is retried with backoff by the daemon, a digest refused for good is
//! parked, listed by `digests` and sent again by `resend`, and `once`/`digest` exit 3 when
//! their digest was not sent.

use std::time::Duration;

use crate::support::cli::{smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::process::{stop_timed, wait_for};
use crate::support::smtp::SmtpServer;

const STORY: &str = "North Korean engineers reached the Kursk region on Monday to clear \
    fields around three villages near the border. Local officials said the work would take \
    several weeks and asked farmers to keep away from the marked areas; the regional governor \
    thanked the engineers and promised compensation to the families whose land cannot be sown.";

fn feed_server() -> HttpServer {
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let published = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Border Wire</title><link>{base}/</link><description>d</description><item><title>Engineers reach the Kursk border</title><link>{base}/news/engineers</link><guid>bw-engineers</guid><pubDate>{published}</pubDate><description><![CDATA[<p>{STORY}</p>]]></description></item></channel></rss>"#
            ),
        ),
    );
    http
}

/// A session polling `http`'s feed and mailing through `smtp`, on the given schedules,
/// with `extra_email` keys added to `[email]`.
fn session(
    http: &HttpServer,
    smtp: &SmtpServer,
    poll: &str,
    digest: &str,
    extra_email: &str,
) -> Session {
    let s = Session::new();
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n\n\
             [schedule]\npoll = \"{poll}\"\ndigest = \"{digest}\"\ntimezone = \"UTC\"\n\n\
             {}\n[fetch]\ntimeout_secs = 3\n\n\
             [[feeds]]\nurl = \"{}\"\nname = \"Border Wire\"\n",
            smtp_email(smtp.port())
                .replace("[email.smtp]", &format!("{extra_email}\n[email.smtp]"))
                .replace(
                    "security = \"none\"",
                    "security = \"none\"\ntimeout_secs = 120"
                ),
            http.url("/rss.xml")
        ),
    );
    s
}

#[test]
fn a_mail_server_that_stalls_does_not_stop_the_polls() {
    let http = feed_server();
    let smtp = SmtpServer::start();
    // Connections are taken and never answered: each send waits its whole 120 s timeout.
    smtp.stall();
    // A poll and a digest every second.
    let s = session(&http, &smtp, "* * * * * *", "* * * * * *", "");
    let child = s.spawn(&["run"]);
    // Asked only once the daemon holds the store (a command opening it first would keep
    // the daemon out).
    assert!(wait_for(Duration::from_secs(10), || s
        .path("var/state/control.sock")
        .exists()));
    // The digest was written to the queue and its send hangs...
    let queued = wait_for(Duration::from_secs(20), || {
        let r = s.run(&["digests", "--json"]);
        r.code == 0 && r.stdout.contains("\"digest\"") && r.stdout.contains("\"queued\"")
    });
    if !queued {
        let listed = s.run(&["digests", "--json"]);
        let (log, _) = stop_timed(child);
        panic!(
            "the daemon lists its queued digest: {} {}\n{log}",
            listed.stdout, listed.stderr
        );
    }
    // ...and the feed is still polled every second meanwhile (before the fix, the digest
    // job held the only job slot for the whole send timeout and every poll was skipped).
    let before = http.hits("/rss.xml");
    let polled = wait_for(Duration::from_secs(30), || {
        http.hits("/rss.xml") >= before + 5
    });
    let hits = http.hits("/rss.xml");
    let (log, elapsed) = stop_timed(child);
    assert!(
        polled,
        "polls went on while the mail server stalled: {before} then {hits} requests\n{log}"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "a hung send does not hold up the stop ({elapsed:?})\n{log}"
    );
    assert!(smtp.messages().is_empty());
}

#[test]
fn the_daemon_retries_a_refused_digest_after_its_backoff_without_waiting_for_the_next_digest_time()
{
    let http = feed_server();
    let smtp = SmtpServer::start();
    smtp.reject_data(451);
    // Digests at 07:00 only: any send before then is a retry from the queue.
    let s = session(
        &http,
        &smtp,
        "0 * * * *",
        "0 7 * * *",
        "retry_min_secs = 1\nretry_max_secs = 2\n",
    );
    let first = s.run(&["once", "--json"]).not_sent().json();
    assert_eq!(first["digest"]["status"], "queued", "{first:#}");
    let id = first["digest"]["message_id"].as_str().unwrap().to_string();
    // Still refusing when the daemon starts: it tries, fails, and waits its backoff.
    let child = s.spawn(&["run"]);
    assert!(wait_for(Duration::from_secs(10), || s
        .path("var/state/control.sock")
        .exists()));
    let retried = wait_for(Duration::from_secs(20), || smtp.rejected() >= 2);
    smtp.accept();
    let mails = smtp.wait_for_messages(1, Duration::from_secs(20));
    let (log, _) = stop_timed(child);
    assert!(
        retried,
        "the daemon tried again: {}\n{log}",
        smtp.rejected()
    );
    assert_eq!(mails.len(), 1, "sent once accepted:\n{log}");
    assert_eq!(mails[0].parse().header("Message-ID"), Some(id.as_str()));
    let left = s.run(&["digests", "--json"]).success().json();
    assert_eq!(left, serde_json::json!([]), "nothing left queued");
}

#[test]
fn a_digest_refused_for_good_is_parked_listed_and_sent_again_by_resend() {
    let http = feed_server();
    let smtp = SmtpServer::start();
    smtp.reject_data(554);
    let s = session(&http, &smtp, "0 * * * *", "0 7 * * *", "park_after = 2\n");

    let first = s.run(&["once", "--json"]).not_sent().json();
    assert_eq!(first["digest"]["status"], "queued", "{first:#}");
    let message_id = first["digest"]["message_id"].as_str().unwrap().to_string();
    // The second refusal in a row parks it: reported as not sent, with the way back.
    let second = s.run(&["digest", "--json"]).not_sent().json();
    assert_eq!(second["digest"]["status"], "not_sent", "{second:#}");
    let error = second["digest"]["error"].as_str().unwrap_or_default();
    assert!(error.contains("554"), "{error}");
    assert!(error.contains("newswatch resend"), "{error}");
    assert_eq!(smtp.rejected(), 2);

    // Listed as parked, with its id and error.
    let listed = s.run(&["digests", "--json"]).success().json();
    let rows = listed.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{listed:#}");
    assert_eq!(rows[0]["state"], "parked", "{listed:#}");
    assert_eq!(rows[0]["kind"], "digest");
    assert_eq!(rows[0]["stories"], 1);
    assert_eq!(rows[0]["message_id"], message_id.as_str());
    let digest_id = rows[0]["id"].as_str().unwrap().to_string();
    let text = s.run(&["digests"]).success();
    assert!(
        text.stdout.contains("PARKED") && text.stdout.contains(&digest_id),
        "{}",
        text.stdout
    );

    // Parked: a digest run no longer tries it, and its story is in no other digest.
    let third = s.run(&["digest", "--json"]).success().json();
    assert_eq!(third["digest"]["status"], "empty", "{third:#}");
    assert_eq!(smtp.rejected(), 2, "a parked digest is not retried");
    let said = s.run(&["digest"]).success();
    assert!(
        said.stderr.contains("1 message is parked"),
        "{}",
        said.stderr
    );

    // Resent by command once the server takes it: the same message, once.
    let refused = s.run(&["resend", &digest_id]);
    assert_eq!(refused.code, 3, "still refused: {}", refused.stderr);
    smtp.accept();
    s.run(&["resend", &digest_id]).success();
    let mails = smtp.wait_for_messages(1, Duration::from_secs(5));
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].parse().header("Message-ID"),
        Some(message_id.as_str())
    );
    assert_eq!(
        s.run(&["digests", "--json"]).success().json(),
        serde_json::json!([])
    );
    let again = s.run(&["resend", &digest_id]);
    assert_eq!(again.code, 1, "already sent: {}", again.stderr);
    assert!(again.stderr.contains("already sent"), "{}", again.stderr);
}
