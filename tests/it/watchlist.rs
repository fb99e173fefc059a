//! Watchlists: diagnostics on invalid files, and the matching table run over the shipped
//! watchlists.
use std::collections::BTreeSet;
use std::path::PathBuf;

use newswatch::watchlist::WatchSet;
use serde::Deserialize;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/watchlists")
}

fn shipped() -> WatchSet {
    match WatchSet::load_dir(&repo().join("watchlists")) {
        Ok(set) => set,
        Err(diags) => {
            let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
            panic!("shipped watchlists are invalid:\n{}", lines.join("\n"));
        }
    }
}

/// The diagnostics of a fixture folder, each `file:line:col: message` relative to it.
fn diagnostics(case: &str) -> Vec<String> {
    let dir = fixtures().join(case);
    match WatchSet::load_dir(&dir) {
        Ok(_) => Vec::new(),
        Err(diags) => diags
            .iter()
            .map(|d| {
                let rel = d.path.strip_prefix(&dir).unwrap_or(&d.path);
                format!("{}:{}:{}: {}", rel.display(), d.line, d.col, d.message)
            })
            .collect(),
    }
}

#[test]
fn invalid_watchlists_are_reported_at_line_and_column() {
    let cases: &[(&str, &[&str])] = &[
        ("unknown-key", &[
            "typo.toml:2:1: unknown key `colour`; expected one of: name, recipients, entity, alert, alert_now",
            "typo.toml:4:1: entity `shoigu` is missing required key `aliases`; list the names it goes by",
            "typo.toml:6:1: unknown key `lable` in [[entity]]; did you mean `label`?",
            "typo.toml:7:1: unknown key `alias` in [[entity]]; did you mean `aliases`?",
            "typo.toml:10:1: unknown key `anyy` in [alert]; did you mean `any`?",
        ]),
        ("syntax-error", &[
            "broken.toml:1:15: TOML syntax error: invalid basic string, expected `\"`; close the text with the same quote that opens it, or escape a quote inside it as \\\"",
        ]),
        ("bad-kind", &[
            "kinds.toml:5:8: unknown kind `persn`; did you mean `person`?",
            "kinds.toml:10:8: unknown kind `city`; expected one of: person, place, org, group, document, topic",
        ]),
        ("duplicate-id", &[
            "dup.toml:8:6: duplicate entity id `kursk` (first on line 4); rename one, or merge their aliases into one entity",
        ]),
        ("alias-claimed-twice", &[
            "claimed.toml:10:25: alias `north-korea` is already claimed by entity `dprk`; an alias must name one entity: remove it from one of them",
        ]),
        ("alert-unknown-entity", &[
            "alert.toml:8:18: [alert] any names unknown entity `shoygu`; did you mean `shoigu`?",
            "alert.toml:9:9: [alert] none names unknown entity `weather`; the entities of this file are: shoigu",
        ]),
        ("short-alias", &[
            "short.toml:5:27: empty alias; write the name to look for",
            "short.toml:5:31: alias `K` is a single letter; it would match every lone `k` in a text: write the full name",
            "short.toml:5:36: empty alias; write the name to look for",
        ]),
        ("missing-keys", &[
            "missing.toml:3:1: entity is missing required key `id`; add a line such as id = \"kursk\" (lower-case letters, digits, - or _)",
            "missing.toml:7:1: entity `no-aliases` is missing required key `aliases`; list the names it goes by",
        ]),
        ("wrong-types", &[
            "types.toml:1:8: `name` must be a string, not integer; write it in double quotes: name = \"…\"",
            "types.toml:2:14: `recipients` must be an array of strings, not string; write it in brackets: recipients = [\"…\", \"…\"]",
            "types.toml:6:21: `aliases` must contain only strings; found integer: put it in double quotes",
            "types.toml:7:14: `near_words` must be a whole number, not string; write it without quotes, e.g. near_words = 12",
            "types.toml:8:17: `transliterate` must be true or false, not string; write it without quotes",
        ]),
        // Every problem of every file, in one pass.
        ("many-files", &[
            "a.toml:5:8: unknown kind `thing`; expected one of: person, place, org, group, document, topic",
            "b.toml:2:1: unknown key `nmae`; did you mean `name`?",
            "b.toml:6:12: alias `x` is a single letter; it would match every lone `x` in a text: write the full name",
        ]),
        ("bad-terms", &[
            "terms.toml:4:6: entity id `Kursk Region` must be lower-case letters, digits, `-` or `_`; did you mean `kursk-region`?",
            "terms.toml:6:20: empty `near` term; write a word or phrase, or remove it",
            "terms.toml:7:12: empty `exclude` term; write a word or phrase, or remove it",
            "terms.toml:10:8: [alert] any names unknown entity `weather`; the entities of this file are: Kursk Region",
        ]),
        ("valid", &[]),
    ];
    let mut failures = Vec::new();
    for (case, want) in cases {
        let got = diagnostics(case);
        if got != *want {
            failures.push(format!("{case}:\n  want {want:#?}\n  got  {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diagnostics_print_as_path_line_col_message() {
    let dir = fixtures().join("duplicate-id");
    let Err(diags) = WatchSet::load_dir(&dir) else {
        panic!("duplicate-id must not load");
    };
    assert_eq!(
        diags[0].to_string(),
        format!(
            "{}:8:6: duplicate entity id `kursk` (first on line 4); rename one, or merge their aliases into one entity",
            dir.join("dup.toml").display()
        )
    );
}

#[test]
fn a_folder_without_watchlists_is_a_diagnostic_on_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a watchlist").unwrap();
    std::fs::write(dir.path().join(".hidden.toml"), "name = \"editor backup\"").unwrap();
    let Err(diags) = WatchSet::load_dir(dir.path()) else {
        panic!("an empty folder must not load");
    };
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].path, dir.path());
    assert!(
        diags[0].message.contains("no watchlist files"),
        "{}",
        diags[0]
    );

    let missing = dir.path().join("nowhere");
    let Err(diags) = WatchSet::load_dir(&missing) else {
        panic!("a missing folder must not load");
    };
    assert_eq!(diags[0].path, missing);
    assert!(diags[0]
        .message
        .contains("cannot read the watchlists folder"));
}

#[test]
fn check_dir_returns_the_set_only_when_clean() {
    let (set, diags) = WatchSet::check_dir(&fixtures().join("valid"));
    assert!(diags.is_empty());
    let set = set.unwrap();
    assert_eq!(set.lists[0].id, "small");
    assert_eq!(set.entity_label("small", "sappers"), Some("Sappers"));
    assert_eq!(set.entity_label("small", "kursk"), Some("kursk"));
    let (set, diags) = WatchSet::check_dir(&fixtures().join("bad-kind"));
    assert!(set.is_none());
    assert_eq!(diags.len(), 2);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    expect_not: Vec<String>,
    #[serde(default)]
    found: Vec<String>,
    #[serde(default)]
    alerts: Vec<String>,
    #[serde(default)]
    quiet: Vec<String>,
}

fn cases() -> Vec<Case> {
    let path = repo().join("tests/fixtures/matching/cases.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str::<Cases>(&text).unwrap().cases
}

#[test]
fn matching_table() {
    let set = shipped();
    let cases = cases();
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let matches = set.find(&case.text);
        let entities: BTreeSet<&str> = matches.iter().map(|m| m.entity.as_str()).collect();
        let forms: BTreeSet<&str> = matches.iter().map(|m| m.found.as_str()).collect();
        let alerting = set.alerting(&matches);
        let mut problems = Vec::new();
        for e in &case.expect {
            if !entities.contains(e.as_str()) {
                problems.push(format!("expected {e}"));
            }
        }
        for e in &case.expect_not {
            if entities.contains(e.as_str()) {
                problems.push(format!("did not expect {e}"));
            }
        }
        for f in &case.found {
            if !forms.contains(f.as_str()) {
                problems.push(format!("expected the form {f:?}"));
            }
        }
        for l in &case.alerts {
            if !alerting.contains(l) {
                problems.push(format!("expected watchlist {l} to alert"));
            }
        }
        for l in &case.quiet {
            if alerting.contains(l) {
                problems.push(format!("expected watchlist {l} to stay quiet"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{:?}: {} (found {:?}, forms {:?}, alerting {:?})",
                case.text,
                problems.join("; "),
                entities,
                forms,
                alerting
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn match_offsets_slice_the_original_text() {
    let set = shipped();
    let mut texts: Vec<String> = cases().into_iter().map(|c| c.text).collect();
    texts.push(
        "Bref : Choïgou—à Pyongyang ; «КНДР»\u{00AD} et Sho\u{00AD}igu’s\r\nvisit to Ku\u{0301}rsk"
            .to_string(),
    );
    for text in &texts {
        for m in set.find(text) {
            assert_eq!(&text[m.start..m.end], m.found, "in {text:?}");
        }
    }
    let text = "La visite de Choïgou à Koursk.";
    let m = set.find(text);
    let shoigu = m.iter().find(|m| m.entity == "shoigu").unwrap();
    assert_eq!((shoigu.start, shoigu.end), (13, 21));
    assert_eq!(shoigu.alias, "Choïgou");
}

#[test]
fn explain_says_why_an_occurrence_did_not_count() {
    let set = shipped();
    let report = set.explain("Sappers cleared the road near the river.\nNothing else happened.");
    assert!(report.matches.is_empty());
    let miss = &report.near_misses[0];
    assert_eq!(
        (miss.entity.as_str(), miss.line, miss.col),
        ("sappers", 1, 1)
    );
    assert!(
        miss.reason
            .starts_with("Sappers: found, but no context word (North Korea, North Korean, DPRK"),
        "{}",
        miss.reason
    );
    assert!(miss.reason.ends_with("within 12 words"), "{}", miss.reason);

    let report = set.explain("New sanctions were announced.");
    let sanctions = report
        .watchlists
        .iter()
        .find(|l| l.id == "sanctions")
        .unwrap();
    assert!(!sanctions.alerts);
    assert_eq!(sanctions.reason, "rule `all` is not met: dprk not found");

    let report = set.explain("The Battle of Kursk began in July.");
    assert!(report.near_misses[0]
        .reason
        .contains("excluded phrase \"Battle of Kursk\""));
}

#[test]
fn explain_reports_positions_and_transliterations() {
    let set = shipped();
    let report = set.explain("First line.\nThen Ouchakov spoke.");
    let m = report
        .matches
        .iter()
        .find(|m| m.entity == "ushakov")
        .unwrap();
    assert_eq!((m.line, m.col), (2, 6));
    assert_eq!(m.found, "Ouchakov");
    assert_eq!(m.alias, "Ушаков");
    assert!(m.transliterated);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["matches"][0]["entity"], "ushakov");
    assert!(report
        .to_string()
        .contains("2:6  dprk-russia/ushakov  \"Ouchakov\""));
}

/// The figure in docs/watchlists.md ("Transliteration"): over the whole table, how many
/// matches came from a transliteration, and how many of those the table says are wrong.
#[test]
fn transliterated_matches_on_the_table_have_no_false_positive() {
    let set = shipped();
    let cases = cases();
    let mut transliterated = 0;
    let mut wrong = Vec::new();
    let mut negatives = 0;
    for case in &cases {
        negatives += case.expect_not.len();
        for m in set.explain(&case.text).matches {
            if !m.transliterated {
                continue;
            }
            transliterated += 1;
            if case.expect_not.contains(&m.entity) {
                wrong.push(format!("{:?} → {} via {:?}", case.text, m.entity, m.found));
            }
        }
    }
    eprintln!(
        "transliterated matches: {transliterated}, false: {} ({negatives} negative expectations in {} cases)",
        wrong.len(),
        cases.len()
    );
    // A sample worth the name: the table holds names written only in one script.
    assert!(
        transliterated >= 5,
        "only {transliterated} transliterated matches"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn check_prints_every_problem_of_every_file_with_a_hint() {
    let s = crate::support::cli::Session::new();
    for (from, to) in [
        ("many-files/a.toml", "a.toml"),
        ("many-files/b.toml", "b.toml"),
        ("unknown-key/typo.toml", "typo.toml"),
    ] {
        let text = std::fs::read_to_string(fixtures().join(from)).unwrap();
        s.write(&format!("watchlists/{to}"), &text);
    }
    s.config("");
    let run = s.run(&["check"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 2, "{all}");
    // One run reports the problems of all three files, each with its hint.
    for want in [
        "a.toml:5:8: unknown kind `thing`; expected one of: person, place, org, group, document, topic",
        "b.toml:2:1: unknown key `nmae`; did you mean `name`?",
        "b.toml:6:12: alias `x` is a single letter; it would match every lone `x` in a text",
        "typo.toml:6:1: unknown key `lable` in [[entity]]; did you mean `label`?",
        "typo.toml:10:1: unknown key `anyy` in [alert]; did you mean `any`?",
    ] {
        assert!(all.contains(want), "missing {want:?} in:\n{all}");
    }
}

#[test]
fn seed_suggest_prints_a_draft_and_records_nothing() {
    let s = crate::support::cli::Session::new();
    s.config("");
    s.write(
        "corpus/one.txt",
        "Defence Minister Andrei Belousov flew to Minsk on Monday, and Shoigu stayed home.\nOfficials in Minsk said Belousov would come back in June.\n",
    );
    s.write(
        "corpus/two.txt",
        "Андрей Белоусов прибыл в Минск. Belousov met Shoigu there.\n",
    );
    let run = s
        .run(&["seed", s.path("corpus").to_str().unwrap(), "--suggest"])
        .success();
    assert!(
        run.stdout
            .contains("id = \"andrei-belousov\"\nlabel = \"Andrei Belousov\"\nkind = \"person\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\"Андрей Белоусов\""), "{}", run.stdout);
    // Shoigu is in the session's watchlist: listed as known, not proposed again.
    assert!(
        run.stdout
            .contains("#   Shoigu (2 mention(s)) → dprk-russia/shoigu"),
        "{}",
        run.stdout
    );
    // The draft is a watchlist `check` accepts once saved.
    s.write("watchlists/draft.toml", &run.stdout);
    s.run(&["check"]).success();
    // Nothing was recorded: the store was never opened.
    assert!(!s.path("var/state").exists());
    assert_eq!(
        s.run(&["claims", "--json"]).success().json(),
        serde_json::json!([])
    );
}
