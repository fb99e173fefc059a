//! Issue 14, point 4: several `newswatch run` instances sharing one PostgreSQL store, with
//! the loopback feed server and SMTP receiver. Every matching story is delivered exactly
//! once across the instances, the feeds are shared through their leases, a killed
//! instance's feeds are picked up once its leases run out, there is one digest per
//! schedule tick, and no claim is lost or decided twice.
//!
//! Each instance has its own folder (state_dir: its control socket, its lock) and its own
//! User-Agent, so the feed server tells who fetched what.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Child;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::cli::{smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::process::stop;
use crate::support::smtp::SmtpServer;

/// Feed `f` with stories `0..n`, newest first, dated now (never backfill). Every story
/// carries the same figure, so the instances decide claims of one key at the same time.
fn feed(base: &str, f: usize, n: usize) -> String {
    let now = chrono::Utc::now().to_rfc2822();
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire {f}</title><link>http://example.org/{f}</link><description>d</description>"#
    );
    for i in (0..n).rev() {
        s.push_str(&format!(
            "<item><title>Kursk convoy report {f}-{i}</title><link>{base}/news/{f}/{i}</link><guid>convoy-{f}-{i}</guid>\
             <pubDate>{now}</pubDate>\
             <description>Convoy {f}-{i} reached the Kursk region, where 1,000 North Korean troops were deployed.</description></item>"
        ));
    }
    // The first story of the next feed again, under the same link and guid: a copy that
    // two instances may meet at the same moment.
    let g = f + 1;
    s.push_str(&format!(
        "<item><title>Kursk convoy report {g}-0</title><link>{base}/news/{g}/0</link><guid>convoy-{g}-0</guid>\
         <pubDate>{now}</pubDate>\
         <description>Convoy {g}-0 reached the Kursk region, where 1,000 North Korean troops were deployed.</description></item>"
    ));
    s.push_str("</channel></rss>");
    s
}

/// One instance's folder and config: its own state_dir and User-Agent, the shared store.
fn instance(name: &str, db: &str, smtp: u16, feeds: &str, lease_secs: u64) -> Session {
    let s = Session::new();
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n\n\
             [schedule]\npoll = \"* * * * * *\"\ndigest = \"*/2 * * * * *\"\ntimezone = \"UTC\"\n\n\
             [store]\nurl = \"{db}\"\nlease_secs = {lease_secs}\n\n\
             {}\n[fetch]\nfull_text = \"never\"\ntimeout_secs = 10\nconcurrency = 1\nper_host_concurrency = 1\nuser_agent = \"newswatch-test-{name}\"\n\n{feeds}",
            smtp_email(smtp).replace(
                "[email.smtp]",
                "retry_min_secs = 1\nretry_max_secs = 2\n\n[email.smtp]"
            ),
        ),
    );
    s
}

/// Which digests (Message-IDs) each title is in, and every Message-ID received.
fn delivered(smtp: &SmtpServer, titles: &[String]) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids = Vec::new();
    for mail in smtp.messages() {
        let parsed = mail.parse();
        let id = parsed.header("Message-ID").unwrap_or_default().to_string();
        let text = parsed.text.unwrap_or_default();
        for t in titles {
            // "report 1-1" must not be found inside "report 1-12".
            if text
                .match_indices(t.as_str())
                .any(|(at, _)| !text[at + t.len()..].starts_with(|c: char| c.is_ascii_digit()))
            {
                seen.entry(t.clone()).or_default().push(id.clone());
            }
        }
        ids.push(id);
    }
    (seen, ids)
}

fn wait_delivered(
    smtp: &SmtpServer,
    titles: &[String],
    limit: Duration,
) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let deadline = Instant::now() + limit;
    loop {
        let (seen, ids) = delivered(smtp, titles);
        if seen.len() == titles.len() || Instant::now() > deadline {
            return (seen, ids);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Each story in exactly one digest, and no digest received twice.
fn assert_once(seen: &BTreeMap<String, Vec<String>>, ids: &[String], titles: &[String]) {
    let missing: Vec<&String> = titles.iter().filter(|t| !seen.contains_key(*t)).collect();
    assert!(missing.is_empty(), "stories never delivered: {missing:?}");
    for (t, in_ids) in seen {
        assert_eq!(
            in_ids.len(),
            1,
            "{t} delivered in more than one message: {in_ids:?}"
        );
    }
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "a digest was sent twice: {ids:?}"
    );
}

/// The stored claims of the shared store, as `claims --json` on any instance shows them:
/// (status, item URL) of each claim of 1,000.
fn thousand_claims(s: &Session) -> Vec<(String, String)> {
    let groups = s.run(&["claims", "--json"]).success().json();
    let mut out = Vec::new();
    for g in groups.as_array().expect("claims --json is an array") {
        for c in g["claims"].as_array().expect("a group's claims") {
            if c["value"].as_f64() == Some(1000.0) {
                out.push((
                    c["status"].as_str().unwrap_or_default().to_string(),
                    c["item_url"].as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    out
}

fn stop_all(children: Vec<Child>) -> Vec<String> {
    children.into_iter().map(stop).collect()
}

#[test]
fn three_instances_deliver_every_story_once_and_decide_each_claim_once() {
    const FEEDS: usize = 24;
    const STORIES: usize = 4;
    let db = crate::support::postgres::database();
    let http = HttpServer::start();
    let base = http.base_url().trim_end_matches('/').to_string();
    let smtp = SmtpServer::start();
    let mut feeds = String::new();
    for f in 0..FEEDS {
        let path = format!("/feed/{f}.xml");
        http.route(
            &path,
            Response::ok("application/rss+xml", feed(&base, f, STORIES)),
        );
        feeds.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"Wire {f}\"\n\n",
            http.url(&path)
        ));
    }
    // The last feed's extra copy points at a feed that does not exist: a story of its own.
    let mut titles: Vec<String> = (0..FEEDS)
        .flat_map(|f| (0..STORIES).map(move |i| format!("Kursk convoy report {f}-{i}")))
        .collect();
    titles.push(format!("Kursk convoy report {FEEDS}-0"));

    let names = ["a", "b", "c"];
    let sessions: Vec<Session> = names
        .iter()
        .map(|n| instance(n, &db, smtp.port(), &feeds, 30))
        .collect();
    let children: Vec<Child> = sessions.iter().map(|s| s.spawn(&["run"])).collect();
    let (seen, ids) = wait_delivered(&smtp, &titles, Duration::from_secs(60));
    // A few more ticks: nothing may arrive twice after everything arrived once.
    std::thread::sleep(Duration::from_secs(4));
    let (seen_after, ids_after) = delivered(&smtp, &titles);
    let logs = stop_all(children);
    assert_eq!(
        seen.len(),
        titles.len(),
        "logs:\n{}",
        logs.join("\n-----\n")
    );
    assert_once(&seen_after, &ids_after, &titles);
    assert!(ids_after.len() >= ids.len());

    // The feeds were shared: more than one instance fetched them (told by User-Agent), and
    // no feed was fetched by two instances at once (its lease): each fetch of a feed is
    // answered before the next one starts, which the server's request count alone cannot
    // show, so the instances' own reports are read instead.
    let fetchers: BTreeSet<String> = http
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/feed/"))
        .filter_map(|r| r.user_agent().map(str::to_string))
        .collect();
    assert!(
        fetchers.len() >= 2,
        "one instance did all the polling: {fetchers:?}"
    );

    // Every story's claim stored once (copies store none), and exactly one of them new:
    // the others were compared with it, whichever instance read them.
    let claims = thousand_claims(&sessions[0]);
    let stories: BTreeSet<&String> = claims.iter().map(|(_, u)| u).collect();
    assert_eq!(
        stories.len(),
        claims.len(),
        "a story's claim stored twice: {claims:?}"
    );
    assert_eq!(claims.len(), titles.len(), "claims lost: {claims:?}");
    let new: Vec<&(String, String)> = claims.iter().filter(|(s, _)| s == "new").collect();
    assert_eq!(new.len(), 1, "the figure was new more than once: {new:?}");
    // The same answer from every instance: they read one store.
    assert_eq!(thousand_claims(&sessions[2]).len(), claims.len());
}

#[test]
fn a_killed_instances_feeds_are_picked_up_once_its_leases_run_out() {
    const FEEDS: usize = 3;
    const LEASE: u64 = 10;
    let db = crate::support::postgres::database();
    let http = HttpServer::start();
    let base = http.base_url().trim_end_matches('/').to_string();
    let smtp = SmtpServer::start();
    let mut feeds = String::new();
    let mut paths = Vec::new();
    for f in 0..FEEDS {
        let path = format!("/slow/{f}.xml");
        // Slow enough that the first instance is still fetching when it is killed.
        http.route(
            &path,
            Response::ok("application/rss+xml", feed(&base, f, 2)).delay(Duration::from_secs(3)),
        );
        feeds.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"Wire {f}\"\n\n",
            http.url(&path)
        ));
        paths.push(path);
    }
    let titles: Vec<String> = (0..FEEDS)
        .flat_map(|f| (0..2).map(move |i| format!("Kursk convoy report {f}-{i}")))
        .chain(std::iter::once(format!("Kursk convoy report {FEEDS}-0")))
        .collect();
    let a = instance("a", &db, smtp.port(), &feeds, LEASE);
    let b = instance("b", &db, smtp.port(), &feeds, LEASE);

    let mut first = a.spawn(&["run"]);
    let all_asked = |ua: &str| {
        paths.iter().all(|p| {
            http.requests_to(p)
                .iter()
                .any(|r| r.user_agent() == Some(ua))
        })
    };
    assert!(
        crate::support::process::wait_for(Duration::from_secs(15), || all_asked(
            "newswatch-test-a"
        )),
        "the first instance never fetched its feeds"
    );
    let leased_at = Instant::now();
    // Killed mid-fetch: its leases stay until they run out; nothing of its work is stored.
    let _ = first.kill();
    let _ = first.wait();
    let second = b.spawn(&["run"]);
    let mut b_first: Option<Duration> = None;
    let deadline = Instant::now() + Duration::from_secs(LEASE + 30);
    while Instant::now() < deadline {
        if b_first.is_none() && all_asked("newswatch-test-b") {
            b_first = Some(leased_at.elapsed());
        }
        if delivered(&smtp, &titles).0.len() == titles.len() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (seen, ids) = delivered(&smtp, &titles);
    let log = stop(second);
    assert_once(&seen, &ids, &titles);
    // Not before the dead instance's leases ran out (taken just before its first fetch).
    let b_first = b_first.expect("the second instance fetched the feeds");
    assert!(
        b_first >= Duration::from_secs(LEASE - 1),
        "the second instance fetched leased feeds after {b_first:?}, before the {LEASE} s lease ran out\n{log}"
    );
}

/// One digest per schedule tick: while another instance holds a tick, this one does not
/// build it; when that instance dies (its lease runs out unfinished), this one takes the
/// tick over; once built, the tick is finished for everyone.
#[test]
fn a_digest_tick_held_by_a_dead_instance_is_taken_over() {
    use newswatch::pipeline::{self, outbox::Due, Context, TickOutcome};
    let db = crate::support::postgres::database();
    let http = HttpServer::start();
    let base = http.base_url().trim_end_matches('/').to_string();
    http.route(
        "/feed/0.xml",
        Response::ok("application/rss+xml", feed(&base, 0, 1)),
    );
    let smtp = SmtpServer::start();
    let s = instance(
        "a",
        &db,
        smtp.port(),
        &format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"Wire 0\"\n",
            http.url("/feed/0.xml")
        ),
        30,
    );
    // Two stories wait for a digest.
    s.run(&["poll", "--json"]).success();
    let config = newswatch::config::Config::load(&s.path("config/newswatch.toml"))
        .expect("the instance's config");
    let watch =
        newswatch::watchlist::WatchSet::load_dir(&config.watchlists_dir).expect("the watchlists");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let open = || {
        Arc::new(
            Context::new(
                config.clone(),
                newswatch::store::open_for(&config).expect("open the shared store"),
            )
            .expect("context"),
        )
    };
    let (this, other) = (open(), open());
    assert_ne!(this.store.instance(), other.store.instance());
    let tick = chrono::Utc::now();
    let name = newswatch::store::digest_tick_lease(tick);
    // The other instance takes the tick for two seconds, then "dies" (never finishes it).
    let taken = other
        .store
        .take_leases(std::slice::from_ref(&name), Duration::from_secs(2))
        .expect("take the tick");
    assert_eq!(taken, vec![name.clone()]);
    let outcome = rt
        .block_on(pipeline::digest_tick(&this, &watch, tick, Due::All))
        .expect("digest tick");
    assert!(matches!(outcome, TickOutcome::Elsewhere), "{outcome:?}");
    assert!(
        smtp.messages().is_empty(),
        "a digest was built for a tick another instance holds"
    );
    std::thread::sleep(Duration::from_millis(2500));
    let outcome = rt
        .block_on(pipeline::digest_tick(&this, &watch, tick, Due::All))
        .expect("digest tick");
    assert!(matches!(outcome, TickOutcome::Built(_)), "{outcome:?}");
    assert_eq!(smtp.messages().len(), 1, "the taken-over tick's digest");
    // Finished for everyone, the other instance included.
    let outcome = rt
        .block_on(pipeline::digest_tick(&other, &watch, tick, Due::All))
        .expect("digest tick");
    assert!(matches!(outcome, TickOutcome::Finished), "{outcome:?}");
    assert_eq!(smtp.messages().len(), 1);
}

/// Each instance needs a folder of its own (its control socket, its outbox): a second
/// daemon started on the same one says so and stops, and the first one keeps running.
#[test]
fn a_second_daemon_on_the_same_state_dir_is_refused() {
    let db = crate::support::postgres::database();
    let smtp = SmtpServer::start();
    let s = instance("a", &db, smtp.port(), "", 30);
    let first = s.spawn(&["run"]);
    assert!(
        crate::support::process::wait_for(Duration::from_secs(15), || s
            .path("var/state/control.sock")
            .exists()),
        "the first daemon never opened its control socket"
    );
    let second = s.run(&["run"]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(
        second.stderr.contains("another `newswatch run` uses"),
        "{}",
        second.stderr
    );
    // The first still answers on its socket.
    let status = s.run(&["status", "--json"]).success().json();
    let log = stop(first);
    assert_eq!(status["daemon"]["running"], true, "{status:#}\n{log}");
}
