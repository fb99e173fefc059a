//! `seed`, `claims` and a seeded claim contradicted by a new story in the digest.

use std::path::PathBuf;
use std::time::Duration;

use crate::support::cli::{feed, smtp_email, Session};
use crate::support::http::{HttpServer, Response};
use crate::support::smtp::SmtpServer;

fn claims_json(s: &Session) -> serde_json::Value {
    s.run(&["claims", "--json"]).success().json()
}

/// Every claim of every group, flattened with its group's subject and measure.
fn flat(groups: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for g in groups.as_array().expect("claims groups") {
        for c in g["claims"].as_array().expect("claims") {
            let mut c = c.clone();
            c["subject"] = g["subject"].clone();
            c["measure"] = g["measure"].clone();
            c["unit"] = g["unit"].clone();
            out.push(c);
        }
    }
    out
}

#[test]
fn a_seeded_figure_contradicted_by_a_new_story_is_marked_in_the_digest() {
    let s = Session::new();
    s.write(
        "corpus/briefing.txt",
        "Seoul briefing on the Kursk front\n\nSouth Korean intelligence told lawmakers that about 600 North Korean soldiers have been killed in the Kursk region since the winter.\n",
    );
    let http = HttpServer::start();
    let smtp = SmtpServer::start();
    let base = http.base_url();
    let body = "The UK Ministry of Defence said that 6,000 North Korean soldiers had been killed in the fighting for the Kursk region, half of the force sent there. Officials in Seoul did not comment on the figure, and the ministry gave no breakdown of how it was reached or over what period the losses occurred.";
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><link>{base}</link><description>d</description><item><title>London puts North Korean losses at 6,000</title><link>{link}</link><guid>mod-losses</guid><pubDate>{}</pubDate><description>{body}</description></item></channel></rss>",
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

    let seeded = s
        .run(&["seed", s.path("corpus").to_str().unwrap(), "--json"])
        .success()
        .json();
    assert_eq!(seeded["documents"][0]["recorded"], true, "{seeded:#}");
    assert!(
        seeded["claims"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["value"] == 600.0)),
        "{seeded:#}"
    );

    let report = s.run(&["once", "--json"]).success().json();
    let claim = report["claims"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|c| c["value"] == 6000.0 && c["measure"] == "killed")
                .cloned()
        })
        .unwrap_or_else(|| panic!("the 6,000 claim: {report:#}"));
    assert_eq!(claim["status"], "contradicts", "{claim:#}");
    assert!(
        claim["related"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["value"] == 600.0)),
        "{claim:#}"
    );
    assert_eq!(claim["item_url"], http.url("/news/mod-losses"));

    let mail = smtp.wait_for_messages(1, Duration::from_secs(5))[0].parse();
    let text = mail.text.unwrap_or_default();
    assert!(text.contains("CONTRADICTS"), "{text}");
    assert!(
        text.contains("600") && text.contains("6,000"),
        "both figures side by side:\n{text}"
    );
    assert!(
        text.contains("briefing.txt"),
        "the stored claim's source:\n{text}"
    );
    let html = mail.html.unwrap_or_default();
    assert!(html.contains("CONTRADICTS"), "{html}");

    // The conflict is kept in the store, with who said what.
    let claims = flat(&claims_json(&s));
    let killed: Vec<_> = claims.iter().filter(|c| c["measure"] == "killed").collect();
    assert_eq!(killed.len(), 2, "{killed:#?}");
}

#[test]
fn seeding_twice_changes_nothing() {
    let s = Session::new();
    s.write("corpus/a.md", "# Sappers\n\nOfficials said 1,000 North Korean sappers would be sent to the Kursk region to clear mines.\n");
    s.config("");
    let dir = s.path("corpus");
    let first = s
        .run(&["seed", dir.to_str().unwrap(), "--json"])
        .success()
        .json();
    assert_eq!(first["documents"][0]["recorded"], true);
    let before = flat(&claims_json(&s));
    assert!(!before.is_empty());
    let second = s
        .run(&["seed", dir.to_str().unwrap(), "--json"])
        .success()
        .json();
    assert_eq!(second["documents"][0]["recorded"], false, "{second:#}");
    assert_eq!(flat(&claims_json(&s)).len(), before.len());
    // Nothing seeded is pending: no digest.
    let d = s.run(&["digest", "--json"]).success().json();
    assert_eq!(d["digest"]["status"], "empty");
}

#[test]
fn seed_without_a_folder_records_the_projects_baseline() {
    let s = Session::new();
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    s.config(&format!("seeds_dir = \"{}\"\n", seeds.display()));
    // The key must sit before any table: rewrite the config with it at the top.
    let text = std::fs::read_to_string(s.path("config/newswatch.toml")).unwrap();
    let (top, rest) = text.split_once("[schedule]").unwrap();
    let moved = rest.replace(&format!("seeds_dir = \"{}\"\n", seeds.display()), "");
    s.write(
        "config/newswatch.toml",
        &format!(
            "{top}seeds_dir = \"{}\"\n[schedule]{moved}",
            seeds.display()
        ),
    );
    s.run(&["seed"]).success();
    let claims = flat(&claims_json(&s));
    assert!(
        claims
            .iter()
            .any(|c| c["subject"] == "dprk-sappers" && c["value"] == 1000.0),
        "1,000 sappers in the baseline: {claims:#?}"
    );
    let again = s.run(&["seed", "--json"]).success().json();
    assert!(again["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["recorded"] == false));
}

/// Where the project's seed corpus is beside the checkout, the claims an analyst would note.
#[test]
fn the_seed_corpus_gives_the_figures_an_analyst_would_note() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not here", corpus.display());
        return;
    }
    let s = Session::new();
    s.config("");
    s.run(&["seed", corpus.to_str().unwrap()]).success();
    let claims = flat(&claims_json(&s));
    let has = |subject: &str, measure: &str, value: f64| {
        claims
            .iter()
            .any(|c| c["subject"] == subject && c["measure"] == measure && c["value"] == value)
    };
    assert!(has("dprk-sappers", "deployed", 1000.0), "1,000 sappers");
    assert!(has("dprk-builders", "deployed", 5000.0), "5,000 builders");
    assert!(has("dprk-troops", "killed", 6000.0), "6,000 killed");
    assert!(has("dprk-troops", "killed", 600.0), "about 600 dead");
    assert!(
        has("dprk-troops", "casualties", 4700.0),
        "about 4,700 casualties"
    );
    let six_thousand = claims
        .iter()
        .find(|c| c["measure"] == "killed" && c["value"] == 6000.0 && c["status"] == "contradicts");
    let six_hundred = claims
        .iter()
        .find(|c| c["measure"] == "killed" && c["value"] == 600.0 && c["status"] == "contradicts");
    assert!(
        six_thousand.is_some() || six_hundred.is_some(),
        "6,000 killed and about 600 dead conflict"
    );
    for c in &claims {
        let v = c["value"].as_f64().unwrap_or_default();
        assert!(
            ![2397.0, 2023.0, 2024.0, 2025.0, 2019.0, 1961.0].contains(&v),
            "a year or resolution number as a claim: {c:#}"
        );
    }
}

#[test]
fn an_invalid_watchlist_is_exit_2_with_its_line_and_nothing_is_fetched() {
    let http = HttpServer::start();
    http.route(
        "/rss.xml",
        Response::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>t</title></channel></rss>",
        ),
    );
    let s = Session::new();
    s.config(&feed(&http.url("/rss.xml"), "Wire"));
    s.write(
        "watchlists/typo.toml",
        "name = \"Typo\"\n\n[[entity]]\nid = \"x\"\nlabel = \"X\"\nalias = [\"Xavier\"]\n",
    );
    for args in [&["check"][..], &["once", "--json"][..]] {
        let r = s.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("typo.toml:6:1:"),
            "{args:?} names the line: {}",
            r.stderr
        );
        if args.contains(&"--json") {
            // With --json, one JSON document even for a failure: the error and the code.
            let doc = r.json();
            assert_eq!(doc["exit_code"], 2, "{doc}");
            assert!(
                doc["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{doc}"
            );
        } else {
            assert!(
                r.stdout.trim().is_empty(),
                "nothing on stdout: {}",
                r.stdout
            );
        }
    }
    assert_eq!(http.hits("/rss.xml"), 0, "nothing fetched");
}

#[test]
fn an_invalid_config_is_exit_2_with_one_line_per_problem() {
    let s = Session::new();
    s.write(
        "config/newswatch.toml",
        "state_dir = \"../var/state\"\nwatchlists_dir = \"../nowhere\"\n[schedule]\npoll = \"*/15 * *\"\ntimezone = \"Mars/Olympus\"\n[fetch]\ntimout_secs = 3\n[[feeds]]\nurl = \"gopher://example.org/\"\n",
    );
    let r = s.run(&["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for key in [
        "watchlists_dir",
        "schedule.poll",
        "schedule.timezone",
        "timout_secs",
        "url",
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains("newswatch.toml") && l.contains(key)),
            "a line for {key}:\n{}",
            r.stderr
        );
    }
}

/// A baseline document with no manifest entry is named by what it says of itself: its
/// source line and its date, else its headline; never its file name or the seeding time.
#[test]
fn a_baseline_documents_outlet_and_date_come_from_the_document() {
    let s = Session::new();
    s.write(
        "corpus/a1.txt",
        "Engineers reach the Kursk border\nSource: Border Gazette\n12 September 2026\n\n\
         About 1,000 North Korean sappers have been sent to the Kursk region, officials said.\n",
    );
    s.write(
        "corpus/b2.txt",
        "Kursk clearing force larger than announced, lawmaker says\n\n\
         Some 2,500 North Korean sappers are now clearing mines in the Kursk region, a lawmaker said.\n",
    );
    s.config("");
    let corpus = s.path("corpus");
    s.run(&["seed", corpus.to_str().expect("path")]).success();
    let claims = flat(&claims_json(&s));
    let dump = serde_json::to_string_pretty(&claims).unwrap_or_default();
    let dated = claims
        .iter()
        .find(|c| c["value"].as_f64() == Some(1000.0))
        .unwrap_or_else(|| panic!("the 1,000: {dump}"));
    assert_eq!(dated["source"], "Border Gazette", "{dump}");
    assert_eq!(dated["date"], "2026-09-12", "{dump}");
    let undated = claims
        .iter()
        .find(|c| c["value"].as_f64() == Some(2500.0))
        .unwrap_or_else(|| panic!("the 2,500: {dump}"));
    assert_eq!(
        undated["source"], "Kursk clearing force larger than announced, lawmaker says",
        "{dump}"
    );
    assert_eq!(undated["date"], "undated", "{dump}");
    assert!(undated["published"].is_null(), "{dump}");
    assert!(
        claims
            .iter()
            .all(|c| !c["source"].as_str().unwrap_or("").ends_with(".txt")),
        "{dump}"
    );
    let text = s.run(&["claims"]).success().stdout;
    assert!(text.contains("undated"), "{text}");
    assert!(
        text.contains("North Korean sappers"),
        "what it counts, in words: {text}"
    );
}

#[test]
fn claims_about_an_unknown_id_say_it_is_unknown() {
    let s = Session::new();
    s.config("");
    let typo = s.run(&["claims", "--entity", "krusk"]);
    assert_eq!(typo.code, 2, "{}", typo.stderr);
    assert!(
        typo.stderr.contains("krusk") && typo.stderr.contains("kursk"),
        "names the id and the known ones: {}",
        typo.stderr
    );
    // A known id with nothing stored is no error.
    let known = s.run(&["claims", "--entity", "kursk"]).success();
    assert!(
        known.stdout.contains("no claims stored"),
        "{}",
        known.stdout
    );
}
