//! The seed corpus as its first users read it: after `seed`, `claims` shows what an
//! analyst of the five texts would note, each with its source, date and attribution.
//! Skipped where the corpus is not beside the checkout.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::cli::Session;

/// Every claim, flattened with its group's subject, role, measure, unit, kind and period.
fn flat(groups: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for g in groups.as_array().expect("claims groups") {
        for c in g["claims"].as_array().expect("claims") {
            let mut c = c.clone();
            for k in ["subject", "role", "measure", "unit", "kind", "period"] {
                c[k] = g[k].clone();
            }
            out.push(c);
        }
    }
    out
}

fn s<'a>(c: &'a Value, k: &str) -> &'a str {
    c[k].as_str().unwrap_or_default()
}

fn v(c: &Value) -> f64 {
    c["value"].as_f64().unwrap_or(f64::NAN)
}

/// A session with the project's own watchlists and seeds manifest (outlets and dates).
fn seeded_session(corpus: &std::path::Path) -> Session {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let s = Session::new();
    for entry in std::fs::read_dir(root.join("watchlists")).expect("watchlists") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "toml") {
            let name = p.file_name().and_then(|n| n.to_str()).expect("name");
            s.write(
                &format!("watchlists/{name}"),
                &std::fs::read_to_string(&p).expect("read watchlist"),
            );
        }
    }
    s.write(
        "config/newswatch.toml",
        &format!(
            "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\nseeds_dir = \"{}\"\n\n[schedule]\npoll = \"*/15 * * * *\"\ndigest = \"0 7 * * *\"\ntimezone = \"UTC\"\n",
            root.join("seeds").display()
        ),
    );
    s.run(&["seed", corpus.to_str().expect("path")]).success();
    s
}

#[test]
fn the_seeds_read_as_an_analyst_would_note_them() {
    // `NEWSWATCH_TEST_SEEDS` points at the corpus from a checkout elsewhere (a worktree).
    let corpus = std::env::var_os("NEWSWATCH_TEST_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not here", corpus.display());
        return;
    }
    let session = seeded_session(&corpus);
    let claims = flat(&session.run(&["claims", "--json"]).success().json());
    let dump = serde_json::to_string_pretty(&claims).unwrap_or_default();
    let find = |subject: &str, measure: &str, value: f64| -> Vec<&Value> {
        claims
            .iter()
            .filter(|c| {
                s(c, "subject") == subject
                    && s(c, "measure") == measure
                    && (v(c) - value).abs() < 1e-6 * value.max(1.0)
            })
            .collect()
    };
    let sources = |cs: &[&Value]| -> std::collections::BTreeSet<String> {
        cs.iter().map(|c| s(c, "source").to_string()).collect()
    };

    // Every claim with its source and date; no year, page number or resolution number.
    for c in &claims {
        assert!(!s(c, "source").is_empty(), "no source: {c:#}");
        assert!(c["published"].is_string(), "no date: {c:#}");
        let x = v(c);
        for bad in [
            1961.0, 1996.0, 2000.0, 2014.0, 2016.0, 2017.0, 2019.0, 2022.0, 2023.0, 2024.0, 2025.0,
            2397.0, 662.0, 75.0, 18.0, 23.0,
        ] {
            assert!(x != bad, "{bad} read as a claim: {c:#}");
        }
    }

    // 1,000 sappers / deminers: three texts agree.
    let sappers = find("dprk-sappers", "deployed", 1000.0);
    assert_eq!(sources(&sappers).len(), 3, "three texts: {dump}");
    assert!(sappers.iter().all(|c| s(c, "role") == "sappers"));
    assert_eq!(
        sappers
            .iter()
            .filter(|c| c["status"] == "corroborates")
            .count(),
        2,
        "the second and third corroborate: {sappers:#?}"
    );

    // 5,000 military builders in two brigades, from two texts.
    let builders = find("dprk-builders", "deployed", 5000.0);
    assert_eq!(sources(&builders).len(), 2, "{builders:#?}");
    assert!(builders.iter().all(|c| s(c, "role") == "builders"));
    assert!(builders.iter().any(|c| c["status"] == "corroborates"));
    let brigades: Vec<_> = find("dprk-builders", "deployed", 2.0)
        .into_iter()
        .filter(|c| s(c, "unit") == "brigades")
        .collect();
    assert_eq!(sources(&brigades).len(), 2, "{brigades:#?}");
    // … beside ~10,000 troops already sent and an additional 5,000 expected: no conflict
    // between them, and the 5,000 is an increment.
    let troops: Vec<_> = find("dprk-troops", "deployed", 10000.0)
        .into_iter()
        .filter(|c| c["approx"] == "about" && s(c, "kind") == "running_total")
        .collect();
    assert!(!troops.is_empty(), "about 10,000 troops sent: {dump}");
    assert!(troops
        .iter()
        .any(|c| s(c, "attributed_to").contains("National Intelligence Service")));
    let extra = find("dprk-troops", "deployed", 5000.0);
    assert_eq!(extra.len(), 1, "{extra:#?}");
    assert_eq!(extra[0]["kind"], "increment");
    assert_eq!(extra[0]["increment"], true);
    assert_eq!(extra[0]["modality"], "expected");
    for c in builders.iter().chain(&troops).chain(&extra) {
        assert_ne!(
            c["status"], "contradicts",
            "builders, troops and the increment: {c:#}"
        );
    }

    // ~4,700 casualties including ~600 dead (South Korean figures) against 6,000 killed
    // (UK Ministry of Defence); and over 1,000 dead within three months.
    let seoul_cas: Vec<_> = find("dprk-troops", "casualties", 4700.0)
        .into_iter()
        .filter(|c| s(c, "attributed_to").contains("South Korean intelligence"))
        .collect();
    assert_eq!(seoul_cas.len(), 1, "{dump}");
    assert_eq!(seoul_cas[0]["approx"], "about");
    let seoul_dead: Vec<_> = find("dprk-troops", "killed", 600.0)
        .into_iter()
        .filter(|c| s(c, "attributed_to").contains("South Korean intelligence"))
        .collect();
    assert_eq!(seoul_dead.len(), 1, "{dump}");
    assert_eq!(seoul_dead[0]["approx"], "about");
    let uk = find("dprk-troops", "killed", 6000.0);
    assert_eq!(uk.len(), 1, "{uk:#?}");
    assert!(s(uk[0], "attributed_to").contains("Ministry of Defen"));
    assert_eq!(uk[0]["status"], "contradicts", "{:#}", uk[0]);
    assert!(
        uk[0]["compared_with"].as_array().is_some_and(|r| r
            .iter()
            .any(|x| x["value"].as_f64() == Some(600.0)
                && x["relation"] == "contradicts"
                && x["date"].as_str().is_some_and(|d| d.len() == 10))),
        "the 6,000 shows the 600 it contradicts: {:#}",
        uk[0]
    );
    assert_eq!(seoul_dead[0]["status"], "contradicts");
    assert_eq!(
        seoul_cas[0]["status"], "contradicts",
        "a death toll above the casualty toll"
    );
    let within: Vec<_> = find("dprk-troops", "killed", 1000.0)
        .into_iter()
        .filter(|c| c["approx"] == "over")
        .collect();
    assert_eq!(within.len(), 1, "{dump}");
    assert_eq!(within[0]["kind"], "flow");
    assert_eq!(within[0]["period"], "3 months");
    assert_eq!(
        within[0]["status"], "new",
        "a flow is no rival of the totals"
    );

    // ~15,000 North Koreans working in Russia.
    let workers = find("dprk-workers", "present", 15000.0);
    assert_eq!(workers.len(), 1, "{dump}");
    assert_eq!(workers[0]["approx"], "about");
    assert!(s(workers[0], "attributed_to").contains("South Korean intelligence"));

    // Trade turnover up ninefold to $34.4 mln in 2023, said by Ushakov.
    for (value, unit) in [(34.4e6, "usd"), (9.0, "ratio")] {
        let t: Vec<_> = find("dprk", "trade_turnover", value)
            .into_iter()
            .filter(|c| s(c, "unit") == unit)
            .collect();
        assert_eq!(t.len(), 1, "trade {value} {unit}: {dump}");
        assert_eq!(t[0]["period"], "2023");
        assert!(s(t[0], "attributed_to").contains("Ushakov"), "{:#}", t[0]);
    }

    // $11 billion of Soviet-era debt, 90% written off.
    let debt = find("dprk", "debt", 11e9);
    assert_eq!(debt.len(), 1, "{dump}");
    assert_eq!(debt[0]["unit"], "usd");
    let off = find("dprk", "written_off", 90.0);
    assert_eq!(off.len(), 1, "{dump}");
    assert_eq!(off[0]["unit"], "percent");

    // The treaty signed on 19 June 2024 and ratified on 9 November (2024).
    let signed = find("dprk-russia-treaty", "treaty_signed", 20240619.0);
    assert_eq!(signed.len(), 1, "{dump}");
    assert_eq!(signed[0]["display"], "2024-06-19");
    let ratified = find("dprk-russia-treaty", "treaty_ratified", 20241109.0);
    assert_eq!(ratified.len(), 1, "{dump}");

    // Sanctions not violated (formally) against the deployment violating UN sanctions.
    let no = find("dprk", "status:violates_sanctions", 0.0);
    let yes = find("dprk", "status:violates_sanctions", 1.0);
    assert_eq!(no.len(), 1, "{dump}");
    assert!(sources(&yes).len() >= 2, "{yes:#?}");
    assert_eq!(no[0]["polarity"], "negative");
    assert_eq!(no[0]["status"], "contradicts");

    // The text listing shows the figures side by side with what they were compared with.
    let text = session.run(&["claims"]).success().stdout;
    for want in [
        "about 4,700",
        "about 600",
        "6,000",
        "over 1,000",
        "$34.4 million",
        "×9",
        "$11 billion",
        "90%",
        "2024-06-19",
        "2024-11-09",
        "violates: no",
        "vs 600",
    ] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
}
