//! `export` and `import`: a backup taken offline or from the running daemon, restored into
//! a fresh state_dir, gives back the same claims; imports that would mix stores are refused.

use std::time::{Duration, Instant};

use crate::support::cli::{feed, file_email, Session};
use crate::support::http::{HttpServer, Response};

/// A session with a small seeded corpus of figures about the Kursk front.
fn seeded(extra: &str) -> Session {
    let s = Session::new();
    s.write(
        "corpus/briefing.txt",
        "Lawmakers briefed on the Kursk front\n\nSeoul's intelligence service told a closed \
         session that roughly 11,000 North Korean troops were moved to the Kursk region, \
         and that about 600 of them have died there.\n",
    );
    s.write(
        "corpus/ministry.md",
        "# Moscow visit\n\nShoigu flew to Pyongyang for talks; the ministry in London put the \
         North Korean dead in the Kursk region at 6,000.\n",
    );
    s.config(&format!("{}\n{extra}", file_email()));
    s.run(&["seed", s.path("corpus").to_str().unwrap()])
        .success();
    s
}

fn claims_with_state(s: &Session, state: Option<&std::path::Path>) -> serde_json::Value {
    let mut cmd = s.cmd(&["claims", "--json"]);
    if let Some(dir) = state {
        cmd.env("NEWSWATCH__STATE_DIR", dir);
    }
    let run: crate::support::cli::Run = cmd.output().unwrap().into();
    run.success().json()
}

fn import_into(s: &Session, state: &std::path::Path, file: &str) -> crate::support::cli::Run {
    s.cmd(&["import", file])
        .env("NEWSWATCH__STATE_DIR", state)
        .output()
        .unwrap()
        .into()
}

/// The record lines of one tree in an export.
fn tree_lines<'a>(export: &'a str, tree: &str) -> Vec<&'a str> {
    let tag = format!("{{\"tree\":\"{tree}\",");
    export.lines().filter(|l| l.starts_with(&tag)).collect()
}

#[test]
fn an_export_imported_into_a_fresh_state_dir_gives_the_same_claims() {
    let s = seeded("");
    let before = claims_with_state(&s, None);
    assert!(
        before.as_array().is_some_and(|g| g.len() >= 2),
        "the corpus gave claims: {before:#}"
    );

    let run = s.run(&["export", "--output", "backup.jsonl"]).success();
    assert!(run.stdout.is_empty(), "the export went to the file");
    let text = std::fs::read_to_string(s.path("backup.jsonl")).unwrap();
    let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(header["newswatch_export"], 1, "{header}");
    assert!(header["schema_version"].is_u64() && header["created_at"].is_string());
    assert!(!tree_lines(&text, "claims").is_empty(), "{text}");
    // The same export on stdout.
    let to_stdout = s.run(&["export"]).success();
    assert_eq!(
        tree_lines(&to_stdout.stdout, "claims"),
        tree_lines(&text, "claims")
    );

    let fresh = s.path("restored/state");
    let imported = import_into(&s, &fresh, "backup.jsonl").success();
    assert!(imported.stdout.contains("imported"), "{}", imported.stdout);
    assert_eq!(claims_with_state(&s, Some(&fresh)), before);
    // The seeded documents came back too: seeding again records nothing new.
    let again = s
        .cmd(&["seed", s.path("corpus").to_str().unwrap(), "--json"])
        .env("NEWSWATCH__STATE_DIR", &fresh)
        .output()
        .unwrap();
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        again["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["recorded"] == false),
        "{again:#}"
    );

    // A second import into the now filled state_dir is refused, and changes nothing.
    let refused = import_into(&s, &fresh, "backup.jsonl");
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("already holds"),
        "{}",
        refused.stderr
    );
    assert_eq!(claims_with_state(&s, Some(&fresh)), before);
}

#[test]
fn a_bad_export_is_refused_with_its_line_number_and_the_state_dir_stays_empty() {
    let s = seeded("");
    s.run(&["export", "--output", "backup.jsonl"]).success();
    let text = std::fs::read_to_string(s.path("backup.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"tree\": \"claims\", \"key\": ");
    s.write("broken.jsonl", &(lines.join("\n") + "\n"));

    let fresh = s.path("restored/state");
    let run = import_into(&s, &fresh, "broken.jsonl");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("line 4"), "{}", run.stderr);
    // Nothing was kept: the good export now goes in.
    import_into(&s, &fresh, "backup.jsonl").success();
}

fn stop(mut child: std::process::Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn while_the_daemon_runs_export_is_answered_and_import_refused() {
    let http = HttpServer::start();
    http.route("/rss.xml", Response::ok("application/rss+xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title><link>http://x/</link><description>d</description></channel></rss>"));
    let s = seeded(&feed(&http.url("/rss.xml"), "Quiet"));
    let offline = s.run(&["export"]).success().stdout;

    let child = s.spawn(&["run"]);
    let start = Instant::now();
    while !s.path("var/state/control.sock").exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let exported = s.run(&["export", "--output", "live.jsonl"]);
    let refused = s.run(&["import", "live.jsonl"]);
    stop(child);

    let exported = exported.success();
    assert!(exported.stderr.contains("exported"), "{}", exported.stderr);
    let live = std::fs::read_to_string(s.path("live.jsonl")).unwrap();
    assert_eq!(tree_lines(&live, "claims"), tree_lines(&offline, "claims"));
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("in use"), "{}", refused.stderr);
}
