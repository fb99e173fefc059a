//! Operating newswatch: `status` (offline and from the running daemon), the metrics
//! endpoint and /healthz, reloading the config on SIGHUP, completions and the man page,
//! and what `check` says of SMTP credentials.

use std::io::{Read, Write};
use std::time::Duration;

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{refused_url, HttpServer, Response};
use crate::support::process::{signal, stop, wait_for};

const QUIET_FEED: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title><link>http://x/</link><description>d</description></channel></rss>";

/// A feed of one story (`guid`, at `link`) that matches the watchlist.
fn story_feed(base: &str, guid: &str, link: &str) -> String {
    let body = "The UK Ministry of Defence said that 6,000 North Korean soldiers had been killed in the \
        fighting for the Kursk region, half of the force sent there. Officials in Seoul did not comment \
        on the figure, and the ministry gave no breakdown of how it was reached.";
    let pub_date = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><link>{base}</link><description>d</description>\
         <item><title>Losses in Kursk</title><link>{base}{link}</link><guid>{guid}</guid><pubDate>{pub_date}</pubDate><description>{body}</description></item>\
         </channel></rss>"
    )
}

/// Two feeds carrying one story (the second a syndicated copy) and one feed that fails.
fn two_copies_and_a_failure(http: &HttpServer) -> String {
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    http.route(
        "/rss.xml",
        Response::ok("application/rss+xml", story_feed(base, "a", "/a")),
    );
    http.route(
        "/mirror.xml",
        Response::ok(
            "application/rss+xml",
            story_feed(base, "m", "/a?utm_source=mirror"),
        ),
    );
    format!(
        "{}{}{}",
        feed(&http.url("/rss.xml"), "Wire"),
        feed(&http.url("/mirror.xml"), "Mirror"),
        feed(&refused_url("/down.xml"), "Down")
    )
}

/// A config with a poll every second (6 fields), so the daemon cycles while a test watches.
fn fast_config(s: &Session, extra: &str) {
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n[schedule]\npoll = \"* * * * * *\"\ndigest = \"0 7 * * *\"\ntimezone = \"UTC\"\n\n{}\n{extra}",
            file_email()
        ),
    );
}

/// A loopback port that was free a moment ago (the daemon binds it itself).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// GET `path` on 127.0.0.1:port: (status code, body).
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let code = raw.split_whitespace().nth(1)?.parse().ok()?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((code, body))
}

/// The value of a sample line `name{labels} value` in Prometheus text.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

#[test]
fn status_offline_counts_feeds_by_state_and_names_the_oldest_failing_one() {
    let http = HttpServer::start();
    let feeds = two_copies_and_a_failure(&http);
    let s = Session::new();
    s.config(&format!("{}\n{feeds}", file_email()));
    s.run(&["poll"]).success();
    let doc = s.run(&["status", "--json"]).success().json();
    assert_eq!(doc["daemon"]["running"], false, "{doc:#}");
    assert_eq!(doc["feeds"]["total"], 3, "{doc:#}");
    assert_eq!(doc["feeds"]["ok"], 2, "{doc:#}");
    assert_eq!(doc["feeds"]["failing"], 1, "{doc:#}");
    assert_eq!(doc["feeds"]["never_polled"], 0, "{doc:#}");
    assert_eq!(doc["feeds"]["oldest_failing"]["name"], "Down", "{doc:#}");
    assert!(
        doc["feeds"]["oldest_failing"]["since"].is_string(),
        "{doc:#}"
    );
    assert!(doc["poll"]["last"].is_string(), "{doc:#}");
    assert_eq!(
        doc["store"]["items"], 1,
        "one story (the copy is a duplicate): {doc:#}"
    );
    assert!(
        doc["store"]["size_bytes"].as_u64().unwrap_or(0) > 0,
        "{doc:#}"
    );
    assert_eq!(doc["store"]["claims"], 1, "{doc:#}");
    assert_eq!(doc["digest_queue"]["queued"], 0, "{doc:#}");

    let text = s.run(&["status"]).success().stdout;
    assert!(text.contains("daemon: not running"), "{text}");
    assert!(
        text.contains("2 ok, 1 failing, 0 never polled (3 feeds)"),
        "{text}"
    );
    assert!(text.contains("oldest failing: Down since"), "{text}");
    assert!(text.contains("1 item, 1 claim"), "{text}");
}

#[test]
fn status_from_the_running_daemon_says_it_runs_and_when_it_polls_next() {
    let http = HttpServer::start();
    http.route("/rss.xml", Response::ok("application/rss+xml", QUIET_FEED));
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Quiet")
    ));
    let child = s.spawn(&["run"]);
    assert!(
        wait_for(Duration::from_secs(10), || s
            .path("var/state/control.sock")
            .exists()),
        "control socket appears"
    );
    // The service's group may ask: connecting needs write permission on the socket.
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(s.path("var/state/control.sock"))
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o660, "control socket mode {mode:o}");
    let mut doc = serde_json::Value::Null;
    let answered = wait_for(Duration::from_secs(15), || {
        let r = s.run(&["status", "--json"]);
        if r.code != 0 {
            return false;
        }
        doc = r.json();
        doc["poll"]["last"].is_string()
    });
    let text = s.run(&["status"]);
    let log = stop(child);
    assert!(
        answered,
        "status answered over the control socket: {doc:#}\n{log}"
    );
    assert_eq!(doc["daemon"]["running"], true, "{doc:#}");
    assert!(doc["daemon"]["pid"].as_u64().is_some(), "{doc:#}");
    assert!(doc["poll"]["next"].is_string(), "{doc:#}");
    assert!(doc["digest"]["next"].is_string(), "{doc:#}");
    assert_eq!(doc["daemon"]["healthy"], true, "{doc:#}");
    assert_eq!(doc["feeds"]["ok"], 1, "{doc:#}");
    assert!(
        text.stdout.contains("daemon: running (pid"),
        "{}",
        text.stdout
    );
}

#[test]
fn metrics_after_a_cycle_say_what_it_found_and_healthz_is_ok() {
    let http = HttpServer::start();
    let feeds = two_copies_and_a_failure(&http);
    let s = Session::new();
    let port = free_port();
    fast_config(
        &s,
        &format!("{feeds}[metrics]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
    let child = s.spawn(&["run"]);
    let mut text = String::new();
    let scraped = wait_for(Duration::from_secs(15), || {
        match http_get(port, "/metrics") {
            Some((200, body)) => {
                text = body;
                sample(&text, "newswatch_cycles_total").is_some_and(|n| n >= 1.0)
            }
            _ => false,
        }
    });
    let health = http_get(port, "/healthz");
    let log = stop(child);
    assert!(scraped, "metrics after a cycle:\n{text}\n{log}");
    assert_eq!(
        sample(&text, "newswatch_feeds{status=\"ok\"}"),
        Some(2.0),
        "{text}"
    );
    // The feeds gauge is the last cycle's: after the first, the failing feed may wait out
    // its backoff (not polled, so counted nowhere) when a loaded machine scraped late.
    let cycles = sample(&text, "newswatch_cycles_total").unwrap_or_default();
    let errors = sample(&text, "newswatch_feeds{status=\"error\"}");
    if cycles == 1.0 {
        assert_eq!(errors, Some(1.0), "{text}");
    } else {
        assert!(errors.is_some_and(|e| e <= 1.0), "{text}");
    }
    // The first cycle found two new entries: one story, and a copy of it (counters: the
    // cycles after it found nothing new).
    assert_eq!(
        sample(&text, "newswatch_items_total{kind=\"new\"}"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "newswatch_items_total{kind=\"matched\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "newswatch_items_total{kind=\"duplicate\"}"),
        Some(1.0),
        "{text}"
    );
    // The story's one figure, read once (a copy's claims are not read again).
    assert_eq!(
        sample(&text, "newswatch_claims_total{status=\"new\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "newswatch_send_failures_total"),
        Some(0.0),
        "{text}"
    );
    assert!(
        sample(&text, "newswatch_cycle_duration_seconds_count").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(
        sample(&text, "newswatch_store_size_bytes").is_some_and(|n| n > 0.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "newswatch_digest_queue_length"),
        Some(0.0),
        "{text}"
    );
    let (code, body) = health.expect("healthz answers");
    assert_eq!(code, 200, "{body}");
}

#[test]
fn healthz_turns_unhealthy_when_no_cycle_finishes_for_two_poll_periods() {
    let http = HttpServer::start();
    // The feed answers after 30 s (under fetch.timeout_secs): the first cycle hangs.
    http.route(
        "/slow.xml",
        Response::ok("application/rss+xml", QUIET_FEED).delay(Duration::from_secs(30)),
    );
    let s = Session::new();
    let port = free_port();
    fast_config(
        &s,
        &format!(
            "{}[fetch]\ntimeout_secs = 60\n\n[metrics]\nlisten = \"127.0.0.1:{port}\"\n",
            feed(&http.url("/slow.xml"), "Slow")
        ),
    );
    let child = s.spawn(&["run"]);
    let mut last = None;
    let unhealthy = wait_for(Duration::from_secs(20), || {
        last = http_get(port, "/healthz");
        last.as_ref().is_some_and(|(code, _)| *code == 503)
    });
    let status = s.run(&["status", "--json"]);
    let log = stop(child);
    assert!(unhealthy, "healthz: {last:?}\n{log}");
    let (_, body) = last.unwrap_or_default();
    assert!(body.contains("no poll cycle finished"), "{body}");
    let doc = status.json();
    assert_eq!(doc["daemon"]["healthy"], false, "{doc:#}");
    assert_eq!(doc["daemon"]["job"], "poll", "{doc:#}");
}

#[test]
fn sighup_reloads_the_config_and_an_invalid_one_keeps_the_running_config() {
    let http = HttpServer::start();
    http.route("/a.xml", Response::ok("application/rss+xml", QUIET_FEED));
    http.route("/b.xml", Response::ok("application/rss+xml", QUIET_FEED));
    let s = Session::new();
    fast_config(&s, &feed(&http.url("/a.xml"), "A"));
    let child = s.spawn(&["run"]);
    assert!(
        wait_for(Duration::from_secs(10), || http.hits("/a.xml") >= 1),
        "first poll"
    );
    assert_eq!(http.hits("/b.xml"), 0);

    // A valid edit: feed B replaces feed A once SIGHUP says so.
    fast_config(&s, &feed(&http.url("/b.xml"), "B"));
    signal(&child, "HUP");
    let b_polled = wait_for(Duration::from_secs(10), || http.hits("/b.xml") >= 2);

    // An invalid edit: logged, and feed B is still polled every second.
    s.write(
        "config/newswatch.toml",
        "state_dir = \"../var/state\"\n[schedule]\npoll = \"every minute\"\n[[feeds]]\nurl = \"x\"\nnmae = \"B\"\n",
    );
    signal(&child, "HUP");
    std::thread::sleep(Duration::from_millis(500));
    let before = http.hits("/b.xml");
    let still_polled = wait_for(Duration::from_secs(10), || {
        http.hits("/b.xml") >= before + 2
    });
    let a_after = http.hits("/a.xml");
    std::thread::sleep(Duration::from_millis(1500));
    let log = stop(child);
    assert!(b_polled, "the reloaded config's feed is polled\n{log}");
    assert!(log.contains("config reloaded"), "{log}");
    assert!(log.contains("config NOT reloaded"), "{log}");
    assert!(
        log.contains("schedule.poll"),
        "the problem is named:\n{log}"
    );
    assert!(still_polled, "the running config stays in force\n{log}");
    assert_eq!(http.hits("/a.xml"), a_after, "feed A is no longer polled");
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line() {
    let s = Session::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = s.run(&["completions", shell]).success().stdout;
        assert!(out.contains("newswatch"), "{shell}: {out}");
        assert!(out.contains("status") && out.contains("claims"), "{shell}");
    }
    let bad = s.run(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let man = s.run(&["man"]).success().stdout;
    assert!(man.contains(".TH newswatch 1"), "{man}");
    for word in [
        "SIGHUP",
        "control.sock",
        ".SS status",
        ".SS completions",
        "--json",
    ] {
        assert!(man.contains(word), "man page names {word}");
    }
}

#[test]
fn run_help_explains_reloads_and_the_control_socket() {
    let s = Session::new();
    let help = s.run(&["run", "--help"]).success().stdout;
    for word in ["SIGHUP", "reload", "control.sock", "SIGTERM"] {
        assert!(help.contains(word), "run --help names {word}:\n{help}");
    }
    let help = s.run(&["feeds", "--help"]).success().stdout;
    assert!(help.contains("--json  "), "{help}");
    assert!(
        help.contains("JSON document"),
        "--json has help text:\n{help}"
    );
}

#[test]
fn smtp_credentials_need_tls_unless_plain_text_is_asked_for() {
    let s = Session::new();
    s.write("config/smtp.pw", "secret\n");
    let smtp = |security: &str| {
        format!(
            "[email]\nfrom = \"n <n@localhost>\"\nto = [\"a@example.org\"]\ntransport = \"smtp\"\n[email.smtp]\nhost = \"mail.example.org\"\nport = 587\n{security}username = \"bot\"\npassword_file = \"smtp.pw\"\n"
        )
    };
    s.config(&smtp(""));
    let r = s.run(&["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("email.smtp.security"), "{}", r.stderr);
    assert!(r.stderr.contains("starttls"), "{}", r.stderr);

    s.config(&smtp("security = \"none\"\n"));
    let r = s.run(&["check"]).success();
    assert!(
        r.stderr.contains("warning") && r.stderr.contains("plain text"),
        "{}",
        r.stderr
    );

    s.config(&smtp("security = \"starttls\"\n"));
    let r = s.run(&["check"]).success();
    assert!(!r.stderr.contains("plain text"), "{}", r.stderr);

    s.config(&format!(
        "{}ca_file = \"missing.pem\"\n",
        smtp("security = \"tls\"\n")
    ));
    let r = s.run(&["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("email.smtp.ca_file"), "{}", r.stderr);
}

#[test]
fn the_packaged_config_is_the_shipped_one_with_system_paths() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).expect(p);
    let (shipped, packaged) = (read("config/newswatch.toml"), read("deploy/newswatch.toml"));
    // Every line from [schedule] on is the same but the outbox path.
    let body = |t: &str| -> Vec<String> {
        t.lines()
            .skip_while(|l| !l.starts_with("[schedule]"))
            .filter(|l| !l.starts_with("outbox_dir"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        body(&shipped),
        body(&packaged),
        "deploy/newswatch.toml follows config/"
    );
    for path in [
        "state_dir = \"/var/lib/newswatch/state\"",
        "watchlists_dir = \"watchlists\"",
        "outbox_dir = \"/var/lib/newswatch/outbox\"",
    ] {
        assert!(packaged.contains(path), "{path}");
    }
}
