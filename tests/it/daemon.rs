//! The daemon: one process per store, queries answered while it runs, reloads, stopping.

use std::time::Duration;

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::process::{signal, stop_timed, wait_for};

fn daemon_session() -> (HttpServer, Session) {
    let http = HttpServer::start();
    http.route("/rss.xml", Response::ok("application/rss+xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title><link>http://x/</link><description>d</description></channel></rss>"));
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Quiet")
    ));
    (http, s)
}

#[test]
fn while_the_daemon_runs_queries_are_answered_and_a_second_cycle_is_refused() {
    let (_http, s) = daemon_session();
    let child = s.spawn(&["run"]);
    assert!(
        wait_for(Duration::from_secs(10), || s
            .path("var/state/control.sock")
            .exists()),
        "control socket appears"
    );
    // The first poll runs at start; wait for it to be recorded.
    let answered = wait_for(Duration::from_secs(10), || {
        let r = s.run(&["feeds", "--json"]);
        r.code == 0
            && r.stdout.contains("last_success")
            && !r.stdout.contains("\"last_success\": null")
    });
    let feeds = s.run(&["feeds", "--json"]);
    assert!(
        answered,
        "feeds answered by the daemon: {} {}",
        feeds.stdout, feeds.stderr
    );
    let claims = s.run(&["claims"]);
    assert_eq!(claims.code, 0, "{}", claims.stderr);

    let once = s.run(&["once"]);
    assert_eq!(once.code, 1, "a second cycle is refused: {}", once.stderr);
    let lines: Vec<&str> = once
        .stderr
        .lines()
        .filter(|l| l.contains("newswatch:"))
        .collect();
    assert_eq!(lines.len(), 1, "one clear line: {}", once.stderr);
    assert!(lines[0].contains("store"), "{}", lines[0]);
    // Refused with --json: the refusal as the one JSON document on stdout.
    let refused = s.run(&["once", "--json"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    let doc = refused.json();
    assert_eq!(doc["exit_code"], 1, "{doc}");
    assert!(
        doc["error"].as_str().is_some_and(|e| e.contains("store")),
        "{doc}"
    );

    let (log, elapsed) = stop_timed(child);
    assert!(
        elapsed < Duration::from_secs(10),
        "stopped within 10 s (took {elapsed:?})\n{log}"
    );
    assert!(log.contains("stopped"), "{log}");
    // The store is free again and intact.
    let feeds = s.run(&["feeds", "--json"]).success().json();
    assert!(feeds[0]["last_success"].is_string(), "{feeds:#}");
}

#[test]
fn under_systemd_it_says_ready_and_stopping() {
    let (_http, s) = daemon_session();
    let sock_path = s.path("notify.sock");
    let sock = std::os::unix::net::UnixDatagram::bind(&sock_path).expect("bind notify socket");
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let child = s
        .cmd(&["run"])
        .env("NOTIFY_SOCKET", &sock_path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    while !got.contains("READY=1") {
        let n = sock.recv(&mut buf).expect("a notify message within 10 s");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
        got.push('\n');
    }
    let (log, _) = stop_timed(child);
    while let Ok(n) = sock.recv(&mut buf) {
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
        got.push('\n');
        if got.contains("STOPPING=1") {
            break;
        }
    }
    assert!(got.contains("STATUS="), "{got}");
    assert!(got.contains("STOPPING=1"), "{got}\n{log}");
}

#[test]
fn under_a_systemd_watchdog_it_is_fed_and_status_says_the_feeds_in_one_line() {
    let (_http, s) = daemon_session();
    let sock_path = s.path("notify.sock");
    let sock = std::os::unix::net::UnixDatagram::bind(&sock_path).expect("bind notify socket");
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let child = s
        .cmd(&["run"])
        .env("NOTIFY_SOCKET", &sock_path)
        // 400 ms: fed every 200 ms while the scheduler makes progress.
        .env("WATCHDOG_USEC", "400000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    while got.matches("WATCHDOG=1").count() < 3 || !got.contains("feeds 1 ok") {
        let Ok(n) = sock.recv(&mut buf) else { break };
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
        got.push('\n');
    }
    let (log, _) = stop_timed(child);
    assert!(got.matches("WATCHDOG=1").count() >= 3, "{got}\n{log}");
    assert!(
        got.contains("feeds 1 ok, 0 failing, 0 never polled"),
        "STATUS= in one line: {got}"
    );
}

#[test]
fn watchlist_edits_are_applied_and_invalid_ones_kept_out() {
    let (_http, s) = daemon_session();
    let child = s.spawn(&["run"]);
    assert!(wait_for(Duration::from_secs(10), || s
        .path("var/state/control.sock")
        .exists()));
    // An invalid edit: logged with its line, the last good set stays.
    s.write("watchlists/extra.toml", "name = \"Extra\"\n[[entity]]\nid = \"x\"\nlabel = \"X\"\nkind = \"person\"\naliasses = [\"Xavier\"]\n");
    std::thread::sleep(Duration::from_secs(2));
    signal(&child, "HUP");
    std::thread::sleep(Duration::from_millis(800));
    // A valid edit is applied.
    s.write("watchlists/extra.toml", "name = \"Extra\"\n[[entity]]\nid = \"x\"\nlabel = \"X\"\nkind = \"person\"\naliases = [\"Xavier\"]\n");
    std::thread::sleep(Duration::from_secs(2));
    let (log, _) = stop_timed(child);
    assert!(
        log.contains("extra.toml:6:"),
        "diagnostic with its line logged:\n{log}"
    );
    assert!(log.contains("NOT reloaded"), "{log}");
    assert!(log.contains("watchlists reloaded"), "{log}");
}

#[test]
fn the_daemon_polls_and_mails_on_its_schedules() {
    let http = HttpServer::start();
    let smtp = crate::support::smtp::SmtpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let item = |slug: &str, title: &str, body: &str| {
        format!(
            "<item><title>{title}</title><link>{base}/{slug}</link><guid>{slug}</guid><pubDate>{}</pubDate>\
             <description>{body}</description></item>",
            (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822()
        )
    };
    let first_body = "Sergei Shoigu discussed the Kursk region with officials in Pyongyang on Monday, according to \
        state media, and both sides promised further meetings before the end of the year.";
    let second_body =
        "Negotiators met again on Thursday to discuss rebuilding in the Kursk region, with North \
        Korean engineers expected to arrive in the spring, a regional official told reporters.";
    let feed_doc = |items: &str| {
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><link>{base}</link><description>d</description>{items}</channel></rss>")
    };
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            feed_doc(&item("a", "Shoigu in Pyongyang again", first_body)),
        ),
    );
    let s = Session::new();
    // Six fields: every second; the digest every 3 seconds.
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n[schedule]\npoll = \"* * * * * *\"\ndigest = \"*/3 * * * * *\"\ntimezone = \"Europe/Paris\"\n\n{}\n{}",
            crate::support::cli::smtp_email(smtp.port()),
            feed(&http.url("/rss.xml"), "Wire")
        ),
    );
    let child = s.spawn(&["run"]);
    let first = smtp.wait_for_messages(1, Duration::from_secs(15));
    assert_eq!(first.len(), 1, "a digest on schedule");
    assert!(first[0]
        .parse()
        .text
        .unwrap_or_default()
        .contains("Shoigu in Pyongyang again"));
    // A new item appears: the next polls find it, the next digest carries it alone.
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            feed_doc(&format!(
                "{}{}",
                item("b", "Kursk talks continue", second_body),
                item("a", "Shoigu in Pyongyang again", first_body)
            )),
        ),
    );
    let both = smtp.wait_for_messages(2, Duration::from_secs(15));
    let (log, _) = stop_timed(child);
    assert_eq!(both.len(), 2, "a second digest for the new story\n{log}");
    let second = both[1].parse().text.unwrap_or_default();
    assert!(second.contains("Kursk talks continue"), "{second}");
    assert!(
        !second.contains("Shoigu in Pyongyang again"),
        "a story is mailed once: {second}"
    );
    assert!(
        http.hits("/rss.xml") >= 3,
        "polled on schedule: {} hits",
        http.hits("/rss.xml")
    );
}
