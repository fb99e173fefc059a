//! Damage to sled's files, made on purpose after a clean stop: every kind is refused at
//! open (or reported by `export`) with the way back, never a panic, never a feed's error.
//!
//! sled 0.34 keeps one data file (`db/db`, a log of pages) and `db/conf`; every open after
//! the first writes a snapshot (`db/snap.*`) of the page table recovered from the log. A
//! store written by one process only ("young") has no snapshot: sled reads the whole log at
//! open. A store opened again since ("old") starts from its snapshot and reads pages from
//! the log when asked. The damage is aimed at a live page: the 4 KiB block holding the
//! newest copy of a stored item's title.

use crate::support::cli::{feed, file_email, Run, Session};
use crate::support::http::{HttpServer, Response};

const ITEMS: usize = 40;

/// A feed of `n` matching items with distinct titles and bodies (no two are copies).
fn items_feed(base: &str, prefix: &str, n: usize) -> String {
    let words = [
        "talks",
        "rail",
        "ammunition",
        "treaty",
        "labour",
        "drones",
        "grain",
        "port",
        "bridge",
        "border",
        "envoy",
        "budget",
        "shells",
        "pilots",
        "doctors",
        "tankers",
    ];
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title><link>http://example.org/</link><description>test</description>"#,
    );
    let date = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc2822();
    for i in 0..n {
        let mut seed = (i as u64 + 1) * 7919 + prefix.len() as u64 * 104_729;
        let mut body = format!(
            "Sergei Shoigu spoke about {} in the Kursk region.",
            words[i % 16]
        );
        for _ in 0..90 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(&format!(" w{}", (seed >> 33) % 5000));
        }
        s.push_str(&format!(
            "<item><title>{prefix}-{i:02} Shoigu and the {} {} of Kursk</title><link>{base}/{prefix}/{i}</link><guid>{prefix}-{i}</guid><pubDate>{date}</pubDate><description>{body}</description></item>",
            words[i % 16],
            words[(i / 16 + 3) % 16],
        ));
    }
    s.push_str("</channel></rss>");
    s
}

struct World {
    http: HttpServer,
    s: Session,
}

impl World {
    /// A session whose store holds `ITEMS` stories from one `once`, closed cleanly.
    fn new() -> World {
        let http = HttpServer::start();
        let base = http.base_url();
        let base = base.trim_end_matches('/').to_string();
        http.route(
            "/rss.xml",
            Response::ok("application/rss+xml", items_feed(&base, "first", ITEMS)),
        );
        let s = Session::new();
        s.config(&format!(
            "{}\n[fetch]\nfull_text = \"never\"\n\n{}",
            file_email(),
            feed(&http.url("/rss.xml"), "Wire")
        ));
        let run = s.run(&["once", "--json"]).success();
        let report = run.json();
        let stored = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["duplicate_of"].is_null())
            .count();
        assert_eq!(stored, ITEMS, "{report:#}");
        World { http, s }
    }

    /// Serve `n` new items: the next cycle has work to store.
    fn more_items(&self, prefix: &str, n: usize) {
        let base = self.http.base_url();
        self.http.route(
            "/rss.xml",
            Response::ok(
                "application/rss+xml",
                items_feed(base.trim_end_matches('/'), prefix, n),
            ),
        );
    }

    fn db(&self, file: &str) -> std::path::PathBuf {
        self.s.path("var/state/db").join(file)
    }

    fn has_snapshot(&self) -> bool {
        std::fs::read_dir(self.s.path("var/state/db"))
            .unwrap()
            .any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("snap.")
            })
    }

    /// Make the store "old": opened again (by `feeds`), so sled wrote its snapshot.
    fn reopen(&self) {
        self.s.run(&["feeds"]).success();
        assert!(
            self.has_snapshot(),
            "sled wrote a snapshot at the second open"
        );
    }

    /// The offsets of every copy of `text` in sled's data file, oldest first.
    fn copies(&self, text: &str) -> Vec<usize> {
        let data = std::fs::read(self.db("db")).unwrap();
        let found: Vec<usize> = data
            .windows(text.len())
            .enumerate()
            .filter(|(_, w)| *w == text.as_bytes())
            .map(|(i, _)| i)
            .collect();
        assert!(!found.is_empty(), "{text:?} is not in the data file");
        found
    }

    /// Keep sled's files as they are now, to put back with `restore`.
    fn keep(&self) -> std::path::PathBuf {
        let kept = self.s.path("kept");
        std::fs::create_dir_all(&kept).unwrap();
        for e in std::fs::read_dir(self.s.path("var/state/db")).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                std::fs::copy(e.path(), kept.join(e.file_name())).unwrap();
            }
        }
        kept
    }

    fn restore(&self, kept: &std::path::Path) {
        for e in std::fs::read_dir(kept).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), self.db(&e.file_name().to_string_lossy())).unwrap();
        }
    }

    /// 4 KiB of garbage over the block holding `offset`.
    fn garbage_at(&self, offset: usize) {
        let mut data = std::fs::read(self.db("db")).unwrap();
        let start = offset / 4096 * 4096;
        let mut x: u32 = 0x9e37_79b9;
        for b in &mut data[start..start + 4096] {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *b = x as u8;
        }
        std::fs::write(self.db("db"), data).unwrap();
    }

    fn flip_byte_at(&self, offset: usize) {
        let mut data = std::fs::read(self.db("db")).unwrap();
        data[offset] ^= 0xff;
        std::fs::write(self.db("db"), data).unwrap();
    }
}

/// A refusal a user can act on: exit 1, the way back named, no panic, nothing on stdout
/// (with `--json`, a fatal error prints no report), no feed blamed.
fn assert_refused_with_the_way_back(run: &Run, what: &str) {
    assert_eq!(
        run.code, 1,
        "{what}: exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    );
    for want in ["newswatch export", "newswatch import", "`db` folder aside"] {
        assert!(
            run.stderr.contains(want),
            "{what}: {want:?} not in:\n{}",
            run.stderr
        );
    }
    for never in ["panicked at", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(
            !run.stderr.contains(never),
            "{what}: {never:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("feed Wire: error"),
        "{what}: {}",
        run.stderr
    );
}

/// `once`, `feeds` and `export` on a damaged store: refused, refused, and an export of
/// what can be read that says what it skipped (or, when sled cannot open the files at all,
/// a refusal with the way back). Returns the export's run.
fn every_command_refuses(w: &World, what: &str) -> Run {
    let mailed = w.s.outbox().len();
    w.more_items("second", ITEMS);
    let once = w.s.run(&["once", "--json"]);
    assert_refused_with_the_way_back(&once, &format!("{what}: once"));
    // With --json: one error document, nothing else.
    assert_eq!(once.json()["exit_code"], 1, "{what}: {}", once.stdout);
    assert_eq!(
        w.s.outbox().len(),
        mailed,
        "{what}: nothing more was mailed"
    );
    let feeds = w.s.run(&["feeds"]);
    assert_refused_with_the_way_back(&feeds, &format!("{what}: feeds"));
    let export = w.s.run(&["export", "--output", "salvage.jsonl"]);
    assert_refused_with_the_way_back(&export, &format!("{what}: export"));
    export
}

#[test]
fn garbage_in_the_data_file_of_an_old_store_is_found_at_open_and_export_says_what_it_skipped() {
    let w = World::new();
    w.reopen();
    // A live page of a tree, not one sled needs to open: the first copy of an item whose
    // damage leaves a store sled opens and cannot read all of.
    let kept = w.keep();
    let readable_in_part = w.copies("first-17 Shoigu").into_iter().any(|at| {
        w.restore(&kept);
        w.garbage_at(at);
        let export = w.s.run(&["export", "--output", "probe.jsonl"]);
        export.code == 1 && export.stderr.contains("skipped: tree")
    });
    assert!(readable_in_part, "no copy of the item is on a live page");
    let export = every_command_refuses(&w, "old store, garbage");
    // The export holds what could be read and lists what it could not.
    assert!(export.stderr.contains("skipped: tree"), "{}", export.stderr);
    let text = std::fs::read_to_string(w.s.path("salvage.jsonl")).unwrap();
    let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(header["newswatch_export"], 1);
    assert!(
        text.lines().count() > 100,
        "the readable records were written: {} lines",
        text.lines().count()
    );
    // And it loads into a fresh state_dir, where the store opens again.
    let fresh = w.s.path("fresh/state");
    let import: Run =
        w.s.cmd(&["import", "salvage.jsonl"])
            .env("NEWSWATCH__STATE_DIR", &fresh)
            .output()
            .unwrap()
            .into();
    import.success();
}

#[test]
fn garbage_or_a_flipped_byte_in_a_young_store_is_refused_without_a_panic() {
    // sled reads a young store's whole log at open and stops at the first message it
    // cannot read: what was written after it is gone (or, on larger stores, sled panics).
    let w = World::new();
    assert!(!w.has_snapshot(), "opened once: no snapshot yet");
    w.garbage_at(w.copies("first-17 Shoigu")[0]);
    let once = every_command_refuses(&w, "young store, garbage");
    assert!(once.stderr.contains("missing"), "{}", once.stderr);

    let w = World::new();
    w.flip_byte_at(w.copies("first-17 Shoigu")[0]);
    every_command_refuses(&w, "young store, one flipped byte");
}

#[test]
fn a_data_file_truncated_to_half_is_refused() {
    for old in [false, true] {
        let w = World::new();
        if old {
            w.reopen();
        }
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(w.db("db"))
            .unwrap();
        let len = f.metadata().unwrap().len();
        f.set_len(len / 2).unwrap();
        drop(f);
        every_command_refuses(&w, &format!("truncated, old store: {old}"));
    }
}

#[test]
fn garbage_in_conf_is_refused_with_the_way_back() {
    let w = World::new();
    w.reopen();
    let mut conf = std::fs::read(w.db("conf")).unwrap();
    for b in conf.iter_mut().take(24) {
        *b ^= 0xa5;
    }
    std::fs::write(w.db("conf"), conf).unwrap();
    every_command_refuses(&w, "conf");
}

/// sled opening a damaged data file as an older, consistent one (what a log cut short
/// does): the store opens, with records missing. Made here by putting back sled's files
/// from before the last cycle under newswatch's newer record.
#[test]
fn a_data_file_gone_back_in_time_is_found_missing_records() {
    let w = World::new();
    let sled_files = ["db", "conf"];
    let keep = w.s.path("older");
    std::fs::create_dir_all(&keep).unwrap();
    for f in sled_files {
        std::fs::copy(w.db(f), keep.join(f)).unwrap();
    }
    w.more_items("second", 10);
    w.s.run(&["once", "--json"]).success();
    for entry in std::fs::read_dir(w.s.path("var/state/db")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    for f in sled_files {
        std::fs::copy(keep.join(f), w.db(f)).unwrap();
    }
    let export = every_command_refuses(&w, "data file gone back");
    assert!(
        export.stderr.contains("missing"),
        "the export says records are missing: {}",
        export.stderr
    );
    let once = w.s.run(&["once"]);
    assert!(
        once.stderr.contains("records are missing"),
        "{}",
        once.stderr
    );
}

/// A record the store cannot read during a cycle stops the cycle as the store's failure:
/// exit 1 with the way back and an ERROR line, never that feed's error.
#[test]
fn a_store_read_error_in_a_cycle_is_the_stores_error_not_the_feeds() {
    let w = World::new();
    w.s.run(&["export", "--output", "backup.jsonl"]).success();
    let url = w.http.url("/rss.xml");
    // The feed's state no longer decodes (as a damaged value would read).
    let text = std::fs::read_to_string(w.s.path("backup.jsonl")).unwrap();
    let tag = format!("{{\"tree\":\"feeds\",\"key\":{}", serde_json::json!(url));
    let edited: Vec<String> = text
        .lines()
        .map(|l| match l.starts_with(&tag) {
            true => format!("{tag},\"value\":{{\"url\":17}}}}"),
            false => l.to_string(),
        })
        .collect();
    assert!(edited.iter().any(|l| l.contains("\"url\":17")), "{text}");
    w.s.write("edited.jsonl", &(edited.join("\n") + "\n"));
    std::fs::rename(w.s.path("var/state"), w.s.path("var/state.aside")).unwrap();
    w.s.run(&["import", "edited.jsonl"]).success();

    w.more_items("second", ITEMS);
    let once = w.s.run(&["once", "--json"]);
    assert_refused_with_the_way_back(&once, "a record that does not decode");
    assert_eq!(once.json()["exit_code"], 1, "{}", once.stdout);
    assert!(once.stderr.contains("ERROR"), "{}", once.stderr);
    assert!(once.stderr.contains("the store failed"), "{}", once.stderr);
    assert!(!once.stderr.contains("store: "), "{}", once.stderr);
}

/// A store stopped cleanly and reopened, and one whose daemon was killed mid-way, opens.
#[test]
fn a_killed_daemon_leaves_a_store_that_opens() {
    let w = World::new();
    w.more_items("second", ITEMS);
    let mut child = w.s.spawn(&["run"]);
    let start = std::time::Instant::now();
    // The first poll runs at start; wait for its cycle to be stored.
    loop {
        let recorded = std::fs::read_to_string(w.db("newswatch-integrity")).unwrap_or_default();
        if recorded.contains("\"clean\": false") && w.s.path("var/state/control.sock").exists() {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            break;
        }
        assert!(start.elapsed().as_secs() < 20, "the daemon did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_file(w.s.path("var/state/control.sock"));
    w.s.run(&["feeds"]).success();
    w.s.run(&["once", "--json"]).success();
}

/// A young store of a few megabytes (written by one `import`): damage in the middle of its
/// log makes sled 0.34 panic at open (`serialization.rs:662`). The panic is contained: a
/// refusal with the way back, no backtrace.
#[test]
fn a_sled_panic_at_open_is_a_refusal_with_the_way_back() {
    let s = Session::new();
    s.config(&file_email());
    let mut export = String::from(
        "{\"newswatch_export\":1,\"schema_version\":4,\"created_at\":\"2026-11-01T00:00:00Z\"}\n",
    );
    let filler = "x".repeat(700);
    for i in 0..3000 {
        export.push_str(&format!(
            "{{\"tree\":\"items\",\"key\":\"item-{i:05}\",\"value\":{{\"id\":\"item-{i:05}\",\"title\":\"marker-{i:05} {filler}\"}}}}\n"
        ));
    }
    s.write("big.jsonl", &export);
    s.run(&["import", "big.jsonl"]).success();
    let db = s.path("var/state/db/db");
    let mut data = std::fs::read(&db).unwrap();
    assert!(data.len() > 2 << 20, "a few segments: {} bytes", data.len());
    // Every copy of the record: sled may hold an older one in a segment it no longer
    // reads, and which copy is live depends on timing.
    let hits: Vec<usize> = data
        .windows(12)
        .enumerate()
        .filter(|(_, w)| *w == b"marker-00500")
        .map(|(i, _)| i)
        .collect();
    assert!(!hits.is_empty());
    for at in hits {
        data[at] ^= 0xff;
    }
    std::fs::write(&db, data).unwrap();
    for cmd in [
        &["feeds"][..],
        &["once", "--json"],
        &["export", "--output", "x.jsonl"],
    ] {
        let run = s.run(cmd);
        assert_eq!(run.code, 1, "{cmd:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("sled panicked"),
            "{cmd:?}: {}",
            run.stderr
        );
        for want in ["newswatch export", "newswatch import"] {
            assert!(run.stderr.contains(want), "{cmd:?}: {}", run.stderr);
        }
        for never in ["panicked at", "stack backtrace", "RUST_BACKTRACE"] {
            assert!(!run.stderr.contains(never), "{cmd:?}: {}", run.stderr);
        }
    }
}
