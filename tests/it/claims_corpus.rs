//! The topic corpus (tests/fixtures/claims/corpus/, format in its README): stories on
//! subjects the claims reader was not written for, fed to the binary one poll at a time,
//! the claims of each `poll --json` report scored against the labels.
//!
//! Scored through the contract only (value, value_max, status of the report's claims), as
//! an acceptance test would. `cargo test --test it claims_corpus -- --nocapture` prints the
//! figures docs/claims.md quotes; the test fails when a figure drops below its floor.
//! `CORPUS_LOG=1` prints the tuning topics' misses; the held-out topics' only with
//! `CORPUS_LOG=holdout` (reading them makes them tuning data). `CORPUS_ONLY=tune` (splits
//! or topic-name prefixes, comma-separated) runs only those topics.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

use crate::support::cli::Session;

#[derive(Debug, Deserialize)]
struct Topic {
    topic: String,
    split: String,
    watchlist: toml::Value,
    story: Vec<Story>,
}

#[derive(Debug, Deserialize)]
struct Story {
    id: String,
    lang: String,
    outlet: String,
    published: String,
    url: String,
    title: String,
    body: String,
    #[serde(default)]
    claim: Vec<Label>,
    #[serde(default)]
    not_claim: Vec<NotClaim>,
}

#[derive(Debug, Deserialize)]
struct Label {
    figure: String,
    value: f64,
    value_max: Option<f64>,
    status: String,
    /// The earlier labelled claims ("story#n") this one is judged against.
    #[serde(default)]
    compared_with: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NotClaim {
    figure: String,
}

/// What one claim the reader gave looks like to a user of the report.
#[derive(Debug, Clone)]
struct Found {
    value: f64,
    value_max: Option<f64>,
    status: String,
    quote: String,
    key: String,
    /// The stored claims it was compared with, as "value (url tail)".
    related: String,
    /// The report's claim as given, for `CORPUS_DUMP`.
    raw: Value,
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn same_max(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same(x, y),
        _ => false,
    }
}

/// The numbers written in a not-claim's figure ("2019", "12 March", "14:30", "A4").
fn figure_values(figure: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let chars: Vec<char> = figure.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() {
                digits.push(c);
            } else if matches!(c, ',' | '.') && next_digit {
                // A decimal mark when one or two digits end the number, else a separator.
                let tail = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if tail <= 2 {
                    digits.push('.');
                }
            } else if matches!(c, ' ' | '\u{a0}' | '\u{202f}') && next_digit {
            } else {
                break;
            }
            i += 1;
        }
        if let Ok(v) = digits.parse::<f64>() {
            out.push(v);
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An RSS feed carrying one story, its paragraphs as `<p>`.
fn rss(story: &Story) -> String {
    let published = chrono::DateTime::parse_from_rfc3339(&story.published)
        .map(|d| d.to_rfc2822())
        .unwrap_or_default();
    let paragraphs: String = story
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", xml_escape(&p.replace('\n', " "))))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>{outlet}</title><link>https://outlet.example/</link><description>news</description>\
         <language>{lang}</language>\
         <item><title>{title}</title><link>{url}</link><guid>{id}</guid><pubDate>{published}</pubDate>\
         <description>{body}</description></item></channel></rss>\n",
        outlet = xml_escape(&story.outlet),
        lang = story.lang,
        title = xml_escape(&story.title),
        url = xml_escape(&story.url),
        id = xml_escape(&story.id),
        body = xml_escape(&paragraphs),
    )
}

#[derive(Debug, Default, Clone)]
struct Tally {
    labels: usize,
    found: usize,
    predicted: usize,
    status_right: usize,
    not_claims: usize,
    false_on_not_claims: usize,
    /// Per gold status: (labels, found, status right).
    by_status: BTreeMap<String, (usize, usize, usize)>,
    /// CONTRADICTS given (among matched and unmatched predictions) and right.
    contradicts_given: usize,
    contradicts_given_right: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.labels += o.labels;
        self.found += o.found;
        self.predicted += o.predicted;
        self.status_right += o.status_right;
        self.not_claims += o.not_claims;
        self.false_on_not_claims += o.false_on_not_claims;
        self.contradicts_given += o.contradicts_given;
        self.contradicts_given_right += o.contradicts_given_right;
        for (k, v) in &o.by_status {
            let e = self.by_status.entry(k.clone()).or_default();
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
        }
    }

    fn recall(&self) -> f64 {
        ratio(self.found, self.labels)
    }

    fn precision(&self) -> f64 {
        ratio(self.found, self.predicted)
    }

    fn status_accuracy(&self) -> f64 {
        ratio(self.status_right, self.found)
    }

    fn contradicts_recall(&self) -> f64 {
        let (n, _, right) = self
            .by_status
            .get("contradicts")
            .copied()
            .unwrap_or_default();
        ratio(right, n)
    }

    fn contradicts_precision(&self) -> f64 {
        ratio(self.contradicts_given_right, self.contradicts_given)
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:<22} {:>4} {:>4} {:>5.3} {:>5.3} {:>5.3}   {:>3}/{:<3} {:>5.3} {:>5.3}   {}/{}",
            self.labels,
            self.found,
            self.recall(),
            self.precision(),
            self.status_accuracy(),
            self.contradicts_given_right,
            self.contradicts_given,
            self.contradicts_precision(),
            self.contradicts_recall(),
            self.false_on_not_claims,
            self.not_claims,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn fixtures_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/claims")
        .join(name)
}

/// The topics of `corpus/` (split as each file says), then the short scenarios of
/// `scenarios/`, all held out and reported apart as the split "scenario".
fn load_topics() -> Vec<Topic> {
    let mut topics = Vec::new();
    for dir in ["corpus", "scenarios"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in &paths {
            let text = std::fs::read_to_string(p).expect("read topic");
            let mut topic: Topic =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            if dir == "scenarios" {
                topic.split = "scenario".into();
            }
            if let Some(only) = corpus_only() {
                if !only
                    .iter()
                    .any(|o| *o == topic.split || topic.topic.starts_with(o))
                {
                    continue;
                }
            }
            topics.push(topic);
        }
    }
    topics
}

/// `CORPUS_ONLY=tune` (or a comma-separated list of splits and topic-name prefixes): run
/// only those topics, for a quicker look while tuning; the floors are then not checked.
fn corpus_only() -> Option<Vec<String>> {
    let only = std::env::var("CORPUS_ONLY")
        .ok()
        .filter(|s| !s.trim().is_empty())?;
    Some(only.split(',').map(|s| s.trim().to_string()).collect())
}

/// A topic's tally per story language, and the log of its mismatches.
type TopicResult = (BTreeMap<String, Tally>, String);

/// Runs one topic's stories in order; returns the tally per story language, and the
/// mismatches for the log.
fn run_topic(topic: &Topic) -> TopicResult {
    let s = Session::new();
    // The session's default watchlist is another subject's: this topic's only.
    std::fs::remove_file(s.path("watchlists/dprk-russia.toml")).expect("rm watchlist");
    s.write(
        &format!("watchlists/{}.toml", topic.topic),
        &toml::to_string(&topic.watchlist).expect("watchlist toml"),
    );
    let feed = s.path("feed.xml");
    s.config(&format!(
        "[fetch]\nfull_text = \"never\"\nbackfill_days = 3650\n\n[email]\ntransport = \"file\"\noutbox_dir = \"../var/outbox\"\nto = [\"a@example.org\"]\n\n[[feeds]]\nurl = \"file://{}\"\n",
        feed.display()
    ));
    let mut per_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut log = String::new();
    // The key each labelled claim was found under ("story#n" → key), for the log of a
    // wrong status: what the claim it should have been compared with was keyed as.
    let mut found_keys: BTreeMap<String, String> = BTreeMap::new();
    for story in &topic.story {
        std::fs::write(&feed, rss(story)).expect("write feed");
        let report = s.run(&["poll", "--json"]).success().json();
        let found: Vec<Found> = report["claims"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["item_url"].as_str() == Some(story.url.as_str()))
            .map(|c: &Value| Found {
                value: c["value"].as_f64().unwrap_or(f64::NAN),
                value_max: c["value_max"].as_f64(),
                status: c["status"].as_str().unwrap_or_default().to_string(),
                quote: c["quote"].as_str().unwrap_or_default().to_string(),
                related: c["related"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .take(3)
                    .map(|r| {
                        let url = r["item_url"].as_str().unwrap_or_default();
                        format!(
                            "{} ({})",
                            r["value"],
                            url.rsplit('/').next().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                key: format!(
                    "{}|{}|{}|{}|{}{}{} @{}",
                    c["subject"].as_str().unwrap_or_default(),
                    c["counted"].as_str().unwrap_or_default(),
                    c["measure"].as_str().unwrap_or_default(),
                    c["unit"].as_str().unwrap_or_default(),
                    c["kind"].as_str().unwrap_or_default(),
                    match (c["current"].as_bool(), c["negated"].as_bool()) {
                        (Some(true), Some(true)) => " now neg",
                        (Some(true), _) => " now",
                        (_, Some(true)) => " neg",
                        _ => "",
                    },
                    c["place"]
                        .as_str()
                        .map(|p| format!(" in:{}", p.replace(' ', "_")))
                        .unwrap_or_default(),
                    c["attributed_to"].as_str().unwrap_or("-"),
                ),
                raw: c.clone(),
            })
            .collect();
        let matched_item = report["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["url"].as_str() == Some(story.url.as_str()));
        if !matched_item {
            let _ = writeln!(log, "{}: story not kept as a matching item", story.id);
        }
        let t = per_lang.entry(story.lang.clone()).or_default();
        let mut used = vec![false; found.len()];
        t.labels += story.claim.len();
        t.predicted += found.len();
        for (n, label) in story.claim.iter().enumerate() {
            let e = t.by_status.entry(label.status.clone()).or_default();
            e.0 += 1;
            let hit = found.iter().enumerate().position(|(i, f)| {
                !used[i] && same(f.value, label.value) && same_max(f.value_max, label.value_max)
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    found_keys.insert(format!("{}#{}", story.id, n + 1), found[i].key.clone());
                    t.found += 1;
                    e.1 += 1;
                    let by = if found[i].related.is_empty() {
                        String::new()
                    } else {
                        format!("\n      by {}", found[i].related)
                    };
                    if found[i].status == label.status {
                        t.status_right += 1;
                        e.2 += 1;
                        let _ = writeln!(
                            log,
                            "{} {:?}: ok {} {}{by}",
                            story.id, label.figure, label.status, found[i].key,
                        );
                    } else {
                        let against: Vec<String> = label
                            .compared_with
                            .iter()
                            .map(|id| {
                                format!(
                                    "{id} {}",
                                    found_keys.get(id).map_or("(missed)", String::as_str)
                                )
                            })
                            .collect();
                        let _ = writeln!(
                            log,
                            "{} {:?}: status {} (want {}) {}{by}{}",
                            story.id,
                            label.figure,
                            found[i].status,
                            label.status,
                            found[i].key,
                            if against.is_empty() {
                                String::new()
                            } else {
                                format!("\n      vs {}", against.join("; "))
                            }
                        );
                    }
                    if let Some(path) = std::env::var_os("CORPUS_DUMP") {
                        // One line per found labelled claim, for studying the reader's
                        // statuses as a whole (what the labels say against what it gave).
                        let line = serde_json::json!({
                            "topic": topic.topic, "split": topic.split, "story": story.id, "n": n + 1,
                            "lang": story.lang, "published": story.published,
                            "figure": label.figure, "want": label.status,
                            "compared_with": label.compared_with
                                .iter()
                                .map(|id| found_keys.get(id).cloned().unwrap_or_default())
                                .collect::<Vec<_>>(),
                            "compared_ids": label.compared_with,
                            "got": found[i].raw,
                            "key": found[i].key,
                        });
                        let mut f = std::fs::OpenOptions::new()
                            .create(true)
                            .append(true)
                            .open(path)
                            .expect("open CORPUS_DUMP");
                        let _ = std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes());
                    }
                    if found[i].status == "contradicts" {
                        t.contradicts_given += 1;
                        if label.status == "contradicts" {
                            t.contradicts_given_right += 1;
                        }
                    }
                }
                None => {
                    let _ = writeln!(log, "{} {:?}: missed", story.id, label.figure);
                }
            }
        }
        t.not_claims += story.not_claim.len();
        for (i, f) in found.iter().enumerate() {
            if used[i] {
                continue;
            }
            if f.status == "contradicts" {
                t.contradicts_given += 1;
            }
            let on_not_claim = story
                .not_claim
                .iter()
                .any(|n| figure_values(&n.figure).iter().any(|v| same(*v, f.value)));
            if on_not_claim {
                t.false_on_not_claims += 1;
            }
            let _ = writeln!(
                log,
                "{} extra {} {}{} [{}]{}: {}",
                story.id,
                f.key,
                f.value,
                f.value_max.map(|m| format!("-{m}")).unwrap_or_default(),
                f.status,
                if on_not_claim { " (a not-claim)" } else { "" },
                f.quote.chars().take(100).collect::<String>()
            );
        }
    }
    (per_lang, log)
}

#[test]
fn the_topic_corpus_scores_above_its_floors() {
    let topics = load_topics();
    assert!(
        topics.len() >= 5,
        "the corpus has {} topics, expected at least 5",
        topics.len()
    );
    let mut by_split: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut table = String::from(
        "split/topic/lang       gold  hit  recl  prec  stat   CONTRA given  prec  recl   false/not-claims\n",
    );
    let mut logs = String::new();
    // Topics are independent (a store each): run them side by side, as many at a time as
    // there are cores (more would only starve the other tests running beside this one).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<TopicResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(t) = topics.get(i) else { break done };
                        done.push((i, run_topic(t)));
                    }
                })
            })
            .collect();
        let mut all: Vec<(usize, TopicResult)> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("topic thread"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });
    for (topic, (per_lang, log)) in topics.iter().zip(results) {
        let mut total = Tally::default();
        for (lang, t) in &per_lang {
            total.add(t);
            by_split
                .entry((topic.split.clone(), lang.clone()))
                .or_default()
                .add(t);
            by_split
                .entry((topic.split.clone(), "all".into()))
                .or_default()
                .add(t);
        }
        let _ = writeln!(
            table,
            "{}",
            total.line(&format!("{}/{}", topic.split, topic.topic))
        );
        // The held-out topics' misses stay unread unless asked for by name: reading them
        // would make them tuning data.
        if topic.split == "tune" || std::env::var("CORPUS_LOG").as_deref() == Ok("holdout") {
            let _ = writeln!(logs, "== {}\n{log}", topic.topic);
        }
    }
    for ((split, lang), t) in &by_split {
        let _ = writeln!(table, "{}", t.line(&format!("{split}/{lang}")));
    }
    let mut status_lines = String::new();
    for split in ["tune", "holdout", "scenario"] {
        if let Some(t) = by_split.get(&(split.to_string(), "all".to_string())) {
            for (status, (n, found, right)) in &t.by_status {
                let _ = writeln!(
                    status_lines,
                    "{split}/{status:<13} gold {n:>4}  found {found:>4} ({:.3})  status right {right:>4} ({:.3} of found)",
                    ratio(*found, *n),
                    ratio(*right, *found),
                );
            }
        }
    }
    println!("{table}\n{status_lines}");
    if std::env::var_os("CORPUS_LOG").is_some() {
        println!("{logs}");
    }
    let holdout = by_split
        .get(&("holdout".to_string(), "all".to_string()))
        .cloned()
        .unwrap_or_default();
    let tune = by_split
        .get(&("tune".to_string(), "all".to_string()))
        .cloned()
        .unwrap_or_default();
    let scenario = by_split
        .get(&("scenario".to_string(), "all".to_string()))
        .cloned()
        .unwrap_or_default();
    if corpus_only().is_some() {
        return;
    }
    assert!(
        holdout.labels >= 100,
        "too few held-out labels: {}",
        holdout.labels
    );
    // Floors: the figures measured when they were last raised, minus a little slack
    // (docs/claims.md has the measured figures).
    for (name, t, floor) in [
        ("tune", &tune, FLOOR_TUNE),
        ("holdout", &holdout, FLOOR_HOLDOUT),
        ("scenario", &scenario, FLOOR_SCENARIO),
    ] {
        assert!(
            t.recall() >= floor.recall,
            "{name} recall {:.3} < {}\n{table}",
            t.recall(),
            floor.recall
        );
        assert!(
            t.status_accuracy() >= floor.status,
            "{name} status accuracy {:.3} < {}\n{table}",
            t.status_accuracy(),
            floor.status
        );
        assert!(
            t.contradicts_precision() >= floor.contradicts_precision,
            "{name} CONTRADICTS precision {:.3} < {}\n{table}",
            t.contradicts_precision(),
            floor.contradicts_precision
        );
    }
}

struct Floor {
    recall: f64,
    status: f64,
    contradicts_precision: f64,
}

// Measured 2026-12-05 (docs/claims.md): tune recall 0.971, status 0.725, CONTRADICTS
// precision 0.533; held out (5 topics) 0.910, 0.656, 0.314. Tune floors raised 2026-12-06
// (round 3) after tune recall 0.953, status 0.770, CONTRADICTS precision 0.615 on ten
// topics; held out (3 topics) 0.892, 0.615, 0.316. Third session (2026-12-06): round 2's three
// topics joined the tuning set (13 topics: recall 0.938, status 0.736, CONTRADICTS
// precision 0.548) and round 3's three are held out (0.881, 0.681, 0.250); the floors are
// set on those two new sets, and the tune floors raised at the end of that session (tune
// recall 0.953, status 0.740, CONTRADICTS precision 0.615; held out 0.890, 0.674, 0.250).
// Fourth session (2026-12-06): round 4's three topics held out beside round 3's (six
// topics, 422 labels: 0.893, 0.639, 0.214 with the reader as the session found it; 0.900,
// 0.658, 0.233 at its end); tune at the end 0.957, 0.771, 0.694.
// Fifth session (2026-12-06): round 3's three topics joined the tuning set (16 topics:
// 0.945, 0.755, 0.607 at the start); round 4's three stay held out (0.901, 0.628, 0.231)
// and round 5's six join them (nine topics, 658 labels: 0.853, 0.619, 0.293 after the
// session's first changes; round 5 alone with the reader as the session found it 0.836,
// 0.617, 0.321). At the session's end: tune 0.957, 0.778, 0.667; held out 0.862, 0.637,
// 0.351.
// Sixth session (2026-12-06): rounds 4 and 5 joined the tuning set (25 topics, 1,680
// labels: 0.920, 0.726, 0.570); round 6's six topics, written blind, are held out (438
// labels: 0.900, 0.637, 0.348). At the session's end: tune 0.925, 0.737, 0.600; held out
// 0.906, 0.657, 0.375.
// Seventh session (2026-12-06): round 6 joined the tuning set (31 topics, 2,118 labels:
// 0.921, 0.721, 0.564 at the start); round 7's six topics, written blind, are held out
// (433 labels: 0.885, 0.684, 0.345 with a checkout of the commit the session started
// from). At the session's end: tune 0.941, 0.732, 0.572; held out 0.908, 0.687, 0.333.
// Eighth session (2026-12-06): round 7 joined the tuning set (37 topics, 2,551 labels:
// 0.935, 0.724, 0.531 with the commit the session started from); round 8's six topics,
// written blind, are held out (442 labels: 0.937, 0.698, 0.314 with that commit). At the
// session's end: tune 0.944, 0.737, 0.543; held out 0.937, 0.708, 0.344.
// Ninth session (2026-12-06): round 8 joined the tuning set (43 topics, 2,993 labels:
// 0.943, 0.733, 0.514 with the commit the session started from); round 9's six topics,
// written blind, are held out (434 labels: 0.924, 0.658, 0.154 with that commit). At the
// session's end: tune 0.944, 0.753, 0.528; held out 0.926, 0.687, 0.167.
// Tenth session (2026-12-06): round 9 joined the tuning set (49 topics, 3,427 labels:
// 0.942, 0.745, 0.492 with the commit the session started from); round 10's six topics,
// written blind, are held out (433 labels: 0.880, 0.685, 0.476 with that commit). At the
// session's end: tune 0.942, 0.770, 0.528; held out 0.880, 0.719, 0.517; scenarios 0.941,
// 0.827, 0.700.
// Eleventh session (2026-12-06): round 10 joined the tuning set (55 topics, 3,860 labels:
// 0.935, 0.764, 0.527 with the commit the session started from); round 11's six topics,
// written blind, are held out (439 labels: 0.911, 0.730, 0.538 with that commit). At the
// session's end: tune 0.941, 0.769, 0.529; held out 0.920, 0.733, 0.560; scenarios 0.929,
// 0.805, 0.677.
// Twelfth session (2026-12-07): round 11 joined the tuning set (61 topics, 4,299 labels:
// 0.939, 0.765, 0.532 with the commit the session started from); round 12's six topics,
// written blind, are held out (233 labels: 0.970, 0.611, 0.261 with that commit, the
// hardest round yet on status), and the held-out floors are set from them. At the
// session's end: tune 0.941, 0.776, 0.576; held out 0.970, 0.633, 0.300; scenarios 0.924,
// 0.809, 0.727.
// Thirteenth session (2026-12-07): round 12 joined the tuning set (67 topics, 4,532
// labels: 0.943, 0.768, 0.560 with the commit the session started from); round 13's six
// topics, written blind, are held out (234 labels: 0.923, 0.657, 0.444 with that commit),
// and the held-out floors are set from them. At the session's end: tune 0.942, 0.773,
// 0.575; held out 0.923, 0.662, 0.474; scenarios 0.923, 0.798, 0.675.
// Fourteenth session (2026-12-07): round 13 joined the tuning set (73 topics, 4,766
// labels: 0.941, 0.767, 0.570 with the commit the session started from); round 14's six
// topics, written blind, are held out (235 labels: 0.821, 0.689, 0.632 with that commit,
// the lowest recall of any round: two topics at 0.718), and the held-out floors are set
// from them. Six development topics written blind joined the tuning set (79 topics, 5,003
// labels). At the session's end: tune 0.951, 0.767, 0.561; held out 0.885, 0.721, 0.667;
// scenarios 0.919, 0.794, 0.659.
// Fifteenth session (2026-12-07): round 14 joined the tuning set (85 topics, 5,238
// labels: 0.948, 0.765, 0.564 with the commit the session started from); round 16's six
// topics, written blind, are held out (230 labels: 0.952, 0.639, 0.400 with that commit:
// recall the best of any round, status the second lowest), and the held-out floors are
// set from them. Twenty development scenarios (dv-01..dv-20) joined the tuning set. At
// the session's end: tune (85 topics) 0.947, 0.774, 0.624; held out 0.952, 0.653, 0.438;
// scenarios 0.921, 0.793, 0.635.
// Sixteenth session (2026-12-07): round 16 joined the tuning set (91 topics) with twenty
// more development scenarios (dv-21..dv-40): 5,967 labels, 0.945, 0.769, 0.609 with the
// commit the session started from; round 17's six topics, written blind, are held out
// (234 labels: 0.944, 0.611, 0.588 with that commit, status the lowest of any round), and
// the held-out floors are set from them; fifteen more scenarios (sc-106..sc-120, 120 in
// all): 0.922, 0.793, 0.615 with that commit; their CONTRADICTS-precision floor goes down
// to 0.58 (the fifteen new ones brought it under the old 0.62 before any change). At the
// session's end: tune 0.945, 0.772, 0.613; held out 0.944, 0.611, 0.588; scenarios 0.922,
// 0.795, 0.603.
// Seventeenth session (2026-12-07): round 17 joined the tuning set (97 topics and the 40
// development scenarios: 6,201 labels, 0.945, 0.766, 0.613 with the commit the session
// started from); round 18's six topics, written blind, are held out (233 labels: 0.918,
// 0.668, 0.706 with that commit), and the held-out floors are set from them; fifteen more
// scenarios (sc-121..sc-135, 135 in all): 0.925, 0.794, 0.582 with that commit, and their
// CONTRADICTS-precision floor goes down to 0.55.
// Eighteenth session (2026-12-07): round 18 joined the tuning set (103 topics and the 40
// development scenarios: 6,434 labels, 0.945, 0.770, 0.620 with the commit the session
// started from); round 19's six topics, written blind, are held out (240 labels: 0.912,
// 0.667, 0.643 with that commit), and the held-out floors stay where they were, under
// those; fifteen more scenarios (sc-136..sc-150, 150 in all): 0.927, 0.803, 0.605 with
// that commit.
// Nineteenth session (2026-12-07): round 19 joined the tuning set (109 topics and the 40
// development scenarios: 6,674 labels, 0.943, 0.774, 0.647 with the commit the session
// started from); round 20's six topics, written blind, are held out (234 labels: 0.889,
// 0.712, 0.667 with that commit), and the held-out recall floor goes down to 0.88 (the
// new round brought it under the old 0.90 before any change); fifteen more scenarios
// (sc-151..sc-165, 165 in all): 0.923, 0.804, 0.561 with that commit.
// Twentieth session (2026-12-07): round 20 joined the tuning set (115 topics and the 50
// development scenarios: 7,002 labels, 0.943, 0.775, 0.650 with the commit the session
// started from); round 21's six topics, written blind, are held out (235 labels: 0.915,
// 0.623, 0.762 with that commit), and the held-out status floor goes down to 0.60 (the
// new round brought it under the old 0.63 before any change); fifteen more scenarios
// (sc-166..sc-180, 180 in all): 0.923, 0.806, 0.561 with that commit.
// Twenty-first session (2026-12-08): round 21 joined the tuning set (121 topics and the 50
// development scenarios: 7,237 labels, 0.944, 0.774, 0.660 with the commit the session
// started from); round 22's six topics, written blind, are held out (229 labels: 0.917,
// 0.643, 0.400 with that commit), and the held-out CONTRADICTS precision floor goes down
// to 0.35 (the new round gave 4 right of 10 before any change); fifteen more scenarios
// (sc-181..sc-195, 195 in all): 0.922, 0.809, 0.560 with that commit.
const FLOOR_TUNE: Floor = Floor {
    recall: 0.94,
    status: 0.76,
    contradicts_precision: 0.55,
};

const FLOOR_HOLDOUT: Floor = Floor {
    recall: 0.88,
    status: 0.60,
    contradicts_precision: 0.35,
};

// Tenth session (2026-12-06): thirty short scenarios (2–4 stories each, one kind of
// sentence each: a count with no entity, any counted thing, a current level, a rival
// estimate, an increment, attribution after the figure, number words; a third on the
// seeds' subject), written blind by two helpers and held out: 357 labels, 0.941, 0.801,
// 0.533 with the commit the session started from. Eleventh session: fifteen more (sc-31 to
// sc-45, a third on the seeds' subject from less common angles), written blind by a
// helper: 518 labels in all, 0.925, 0.804, 0.655 with the commit the session started from.
// Twelfth session: fifteen more (sc-46 to sc-60, weighted to current levels, rival
// estimates and agreement within an approximation), written blind by a helper: 190
// labels, 0.911, 0.780, 0.375 with the commit the session started from; 708 in all.
// Thirteenth session: fifteen more (sc-61 to sc-75, the same weighting), written blind by
// a helper: 186 labels, 0.914, 0.759, 0.500 with the commit the session started from; 894
// in all (0.922, 0.799, 0.683). Fourteenth session: fifteen more (sc-76 to sc-90), written
// blind by a helper: 177 labels, 0.870, 0.786, 0.500 with the commit the session started
// from; 1,071 in all (0.914, 0.796, 0.659). Fifteenth session: fifteen more (sc-91 to
// sc-105), written blind by a helper: 190 labels, 0.932, 0.785, 0.500 with the commit the
// session started from; 1,261 in all (0.921, 0.792, 0.635).
const FLOOR_SCENARIO: Floor = Floor {
    recall: 0.90,
    status: 0.78,
    contradicts_precision: 0.55,
};

/// Polls one story under a one-place watchlist (`(file stem, place name)`) with a lexicon
/// file written beside the config, `extra` heading the config; returns the claim of 300.
fn claim_of_300(
    extra: &str,
    (list, place): (&str, &str),
    (lexicon_file, lexicon): (&str, &str),
    story: &Story,
) -> serde_json::Value {
    let s = Session::new();
    std::fs::remove_file(s.path("watchlists/dprk-russia.toml")).expect("rm watchlist");
    s.write(
        &format!("watchlists/{list}.toml"),
        &format!(
            "name = \"{list}\"\n[[entity]]\nid = \"{}\"\nlabel = \"{place}\"\nkind = \"place\"\naliases = [\"{place}\"]\n",
            place.to_lowercase()
        ),
    );
    s.write(&format!("config/{lexicon_file}"), lexicon);
    s.write("feed.xml", &rss(story));
    s.config(&format!(
        "{extra}\n[fetch]\nfull_text = \"never\"\nbackfill_days = 3650\n\n[email]\ntransport = \"file\"\noutbox_dir = \"../var/outbox\"\nto = [\"a@example.org\"]\n\n[[feeds]]\nurl = \"file://{}\"\n",
        s.path("feed.xml").display()
    ));
    let r = s.run(&["poll", "--json"]).success().json();
    r["claims"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["value"].as_f64() == Some(300.0)))
        .cloned()
        .unwrap_or_else(|| panic!("the 300: {r:#}"))
}

/// A subject's words missing from the lexicon are added in a file the config names, not in
/// code: the same story reads "ringed" once the file knows it.
#[test]
fn a_configured_lexicon_teaches_the_reader_new_words() {
    let lexicon = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/lexicon.toml"),
    )
    .expect("lexicon");
    let extended = format!(
        "{lexicon}\n[[predicate]]\nid = \"ringed\"\nthing = \"animals\"\n\
         en = [\"ringed\"]\nfr = [\"bagués\"]\nru = [\"окольцован*\"]\n"
    );
    let story = Story {
        id: "q-01".into(),
        lang: "en".into(),
        outlet: "Harbour Herald".into(),
        published: "2026-11-02T08:00:00Z".into(),
        url: "https://herald.example/q-01".into(),
        title: "Bird count at Portmere".into(),
        body: "Volunteers in Portmere said on Monday that about 300 gulls had been ringed \
               since the start of the survey in the harbour district, and that the count \
               would be reviewed at the end of the week."
            .into(),
        claim: Vec::new(),
        not_claim: Vec::new(),
    };
    let measure_with = |extra: &str| -> String {
        let c = claim_of_300(
            extra,
            ("port", "Portmere"),
            ("extended.toml", &extended),
            &story,
        );
        c["measure"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(
        measure_with(""),
        "",
        "the embedded lexicon does not know the word"
    );
    assert_eq!(
        measure_with("[claims]\nlexicon = \"extended.toml\"\n"),
        "ringed"
    );
    // A lexicon that does not parse is a config error naming the key and the file.
    let s = Session::new();
    s.write("config/broken.toml", "[[predicate]]\nid = 3\n");
    s.config("[claims]\nlexicon = \"broken.toml\"\n");
    let run = s.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("claims.lexicon") && run.stderr.contains("broken.toml"),
        "{}",
        run.stderr
    );
    // So is one whose `[groups]` names a role it does not define (a typo).
    let s = Session::new();
    s.write(
        "config/typo.toml",
        &lexicon.replace("default_role = \"troops\"", "default_role = \"trops\""),
    );
    s.config("[claims]\nlexicon = \"typo.toml\"\n");
    let run = s.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("claims.lexicon") && run.stderr.contains("default_role `trops`"),
        "{}",
        run.stderr
    );
}

/// The group reader's peoples, roles and measures are data too: a lexicon whose `[groups]`
/// names another people and role keys that subject's figures by them, and the shipped
/// lexicon's peoples are not in the code (without them the figure is the open reader's).
#[test]
fn a_configured_lexicon_brings_its_own_peoples_and_roles() {
    let shipped = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config/lexicon.toml"),
    )
    .expect("lexicon");
    let (open_part, _) = shipped
        .split_once("\n[groups]\n")
        .expect("the shipped lexicon has a [groups] section");
    let other = format!(
        "{open_part}\n[groups]\ndefault_role = \"archers\"\ndefault_measure = \"sent\"\n\
         generic = [\"people\"]\n\
         [[groups.role]]\nid = \"archers\"\nnouns = [\"archer*\", \"лучник*\"]\n\
         [[groups.measure]]\nid = \"sent\"\nwords = [\"sent\", \"envoy*\", \"отправ*\"]\n\
         [[groups.nationality]]\ncode = \"lilliput\"\nname = \"Lilliputian\"\n\
         word_starts = [\"lilliputian\", \"lilliputien\", \"лилипутск\"]\n"
    );
    let story = Story {
        id: "l-01".into(),
        lang: "en".into(),
        outlet: "Mildendo Gazette".into(),
        published: "2026-11-02T08:00:00Z".into(),
        url: "https://gazette.example/l-01".into(),
        title: "Archers sent to Blefuscu".into(),
        body: "The court said on Monday that 300 Lilliputian archers had been sent to the \
               Blefuscu shore to watch the fleet."
            .into(),
        claim: Vec::new(),
        not_claim: Vec::new(),
    };
    let read_with = |extra: &str| -> (String, String) {
        let c = claim_of_300(extra, ("shore", "Blefuscu"), ("other.toml", &other), &story);
        (
            c["subject"].as_str().unwrap_or_default().to_string(),
            c["measure"].as_str().unwrap_or_default().to_string(),
        )
    };
    let (subject, _) = read_with("");
    assert!(
        !subject.starts_with("lilliput"),
        "the shipped lexicon knows no Lilliputians: {subject}"
    );
    assert_eq!(
        read_with("[claims]\nlexicon = \"other.toml\"\n"),
        ("lilliput-archers".to_string(), "sent".to_string())
    );
}

/// Runs undated stories one poll each under a one-entity watchlist (Valdoria, in three
/// languages); returns every story's claims as the report gives them.
fn run_undated(stories: &[(&str, &str, &str)]) -> Vec<(String, serde_json::Value)> {
    let s = Session::new();
    std::fs::remove_file(s.path("watchlists/dprk-russia.toml")).expect("rm watchlist");
    s.write(
        "watchlists/storm.toml",
        "name = \"Valdoria\"\n[[entity]]\nid = \"valdoria\"\nlabel = \"Valdoria\"\nkind = \"place\"\naliases = [\"Valdoria\", \"Valdorie\", \"Вальдория\"]\n",
    );
    let feed = s.path("feed.xml");
    s.config(&format!(
        "[fetch]\nfull_text = \"never\"\n\n[email]\ntransport = \"file\"\noutbox_dir = \"../var/outbox\"\nto = [\"a@example.org\"]\n\n[[feeds]]\nurl = \"file://{}\"\n",
        feed.display()
    ));
    let mut out = Vec::new();
    for (id, title, body) in stories {
        let rss = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire {id}</title>\
             <link>https://wire.example/</link><description>d</description><item>\
             <title>{title}</title><link>https://wire.example/{id}</link><guid>{id}</guid>\
             <description>{body}</description></item></channel></rss>"
        );
        std::fs::write(&feed, rss).expect("feed");
        let r = s.run(&["poll", "--json"]).success().json();
        out.push((id.to_string(), r["claims"].clone()));
    }
    out
}

/// The claim of story `id` with value `v`.
fn claim_of<'a>(
    runs: &'a [(String, serde_json::Value)],
    id: &str,
    v: f64,
) -> &'a serde_json::Value {
    let (_, claims) = runs.iter().find(|r| r.0 == id).expect("story");
    claims
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["value"].as_f64().is_some_and(|x| (x - v).abs() < 1e-6))
        .unwrap_or_else(|| panic!("{id}: no claim {v}: {claims:#}"))
}

#[test]
fn running_totals_increments_ranges_and_speakers_in_three_languages() {
    let runs = run_undated(&[
        (
            "r1",
            "Паводок в Вальдории",
            "В Вальдории эвакуированы около 3 тыс. жителей, сообщил глава МЧС.",
        ),
        (
            "r2",
            "Вальдория: эвакуация продолжается",
            "По состоянию на вторник из районов Вальдории эвакуированы уже 5 тыс. жителей.",
        ),
        (
            "r3",
            "More leave Valdoria",
            "An additional 500 residents of Valdoria were evacuated overnight, officials said.",
        ),
        (
            "r4",
            "Valdorie : les secours mobilisés",
            "Entre 3 000 et 4 000 secouristes sont mobilisés en Valdorie, a indiqué le ministère.",
        ),
        (
            "r5",
            "Valdoria rescue effort grows",
            "Valdoria now has about 6,000 rescuers at work, the interior ministry said on Friday.",
        ),
    ]);
    let r1 = claim_of(&runs, "r1", 3000.0);
    assert_eq!(r1["status"], "new");
    assert_eq!(r1["approx"], "about");
    assert_eq!(r1["attributed_to"], "глава МЧС", "{r1:#}");
    assert_eq!(
        claim_of(&runs, "r2", 5000.0)["status"],
        "updates",
        "уже / по состоянию на"
    );
    let r3 = claim_of(&runs, "r3", 500.0);
    assert_eq!(r3["kind"], "increment", "{r3:#}");
    assert_ne!(
        r3["status"], "contradicts",
        "an increment is no rival total: {r3:#}"
    );
    let r4 = claim_of(&runs, "r4", 3000.0);
    assert_eq!(r4["value_max"], 4000.0);
    assert_eq!(r4["attributed_to"], "ministère", "{r4:#}");
    let r5 = claim_of(&runs, "r5", 6000.0);
    assert_eq!(r5["status"], "updates", "now, later and higher: {r5:#}");
    assert_eq!(r5["attributed_to"], "interior ministry", "{r5:#}");
}

/// Stories with no publication date, one poll each, on a subject nobody wrote rules for:
/// a figure, a later level said to be current (lower), a rival count, a restatement, a
/// French update — the statuses an analyst expects, through the contract.
#[test]
fn statuses_through_the_contract_without_dates() {
    let runs = run_undated(&[
        ("s1", "Ice storm cuts power across Valdoria", "About 1.2 million households in Valdoria were without power on Monday after the ice storm, the grid operator said."),
        ("s2", "Power slowly returns in Valdoria", "As of Wednesday, 180,000 households in Valdoria were still without power, the grid operator said."),
        ("s3", "Valdoria's capital disputes the grid figure", "The city council insists that 400,000 households in Valdoria are without power, far above the grid operator's figure."),
        ("s4", "Valdoria outage: what we know", "Some 400,000 households across Valdoria had no electricity, according to the city council."),
        ("s5", "Valdorie : le courant revient", "En Valdorie, 50 000 foyers sont désormais privés d'électricité, selon le gestionnaire du réseau."),
    ]);
    let status = |id: &str, v: f64| claim_of(&runs, id, v)["status"].clone();
    assert_eq!(status("s1", 1_200_000.0), "new");
    assert_eq!(
        status("s2", 180_000.0),
        "updates",
        "a level that fell, said current"
    );
    assert_eq!(status("s3", 400_000.0), "contradicts", "a rival count");
    assert_eq!(
        status("s4", 400_000.0),
        "corroborates",
        "the same figure again"
    );
    assert_eq!(status("s5", 50_000.0), "updates", "« désormais » in French");
}

/// One story of a feed: (guid, RFC 2822 date, title, body).
type Entry<'a> = (&'a str, &'a str, &'a str, &'a str);

const FLOOD_LATER: Entry<'static> = (
    "later",
    "Thu, 05 Nov 2026 10:00:00 GMT",
    "Valdoria flood toll rises",
    "The death toll from the floods in Valdoria has now risen to 40, officials said on Thursday.",
);

const FLOOD_FIRST: Entry<'static> = (
    "first",
    "Sun, 01 Nov 2026 10:00:00 GMT",
    "Floods hit Valdoria",
    "At least 12 people were killed by floods in Valdoria, officials said on Sunday.",
);

/// One `once --json` over feeds named `(name, entries)` (in that order in the config and
/// in each feed) under a one-place watchlist (Valdoria); returns the report. An item's URL
/// is `https://{name}.example/{guid}`.
fn one_poll(feeds: &[(&str, &[Entry])]) -> serde_json::Value {
    let s = Session::new();
    std::fs::remove_file(s.path("watchlists/dprk-russia.toml")).expect("rm watchlist");
    s.write(
        "watchlists/storm.toml",
        "name = \"Valdoria\"\n[[entity]]\nid = \"valdoria\"\nlabel = \"Valdoria\"\nkind = \"place\"\naliases = [\"Valdoria\"]\n",
    );
    let mut config = String::from(
        "[fetch]\nfull_text = \"never\"\nbackfill_days = 3650\n\n[email]\ntransport = \"file\"\noutbox_dir = \"../var/outbox\"\nto = [\"a@example.org\"]\n",
    );
    for (name, entries) in feeds {
        let items: String = entries
            .iter()
            .map(|(id, date, title, body)| {
                format!(
                    "<item><title>{title}</title><link>https://{name}.example/{id}</link>\
                     <guid>{id}</guid><pubDate>{date}</pubDate><description>{body}</description></item>"
                )
            })
            .collect();
        s.write(
            &format!("{name}.xml"),
            &format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
                 <link>https://{name}.example/</link><description>d</description>{items}</channel></rss>"
            ),
        );
        config.push_str(&format!(
            "\n[[feeds]]\nurl = \"file://{}\"\n",
            s.path(&format!("{name}.xml")).display()
        ));
    }
    s.config(&config);
    s.run(&["once", "--json"]).success().json()
}

/// The status of the claim read from `url` in a cycle report.
fn status_of(report: &serde_json::Value, url: &str) -> serde_json::Value {
    report["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["item_url"] == url)
        .unwrap_or_else(|| panic!("no claim of {url}: {report:#}"))["status"]
        .clone()
}

/// A feed lists its newest story first, as most do, and one poll reads both: the
/// stories are compared in the order they were published, so the later story's figure
/// is the update and the earlier one is new (not the other way round, nor both new).
#[test]
fn a_feed_listing_its_newest_story_first_is_read_oldest_first() {
    let r = one_poll(&[("wire", &[FLOOD_LATER, FLOOD_FIRST])]);
    assert_eq!(status_of(&r, "https://wire.example/first"), "new", "{r:#}");
    assert_eq!(
        status_of(&r, "https://wire.example/later"),
        "updates",
        "{r:#}"
    );
    let urls: Vec<&str> = r["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["url"].as_str())
        .collect();
    assert_eq!(
        urls,
        ["https://wire.example/first", "https://wire.example/later"]
    );
}

/// Two outlets, two feeds, one poll: the feed listed first carries the later story. The
/// stories are still compared in the order they were published.
#[test]
fn stories_from_several_feeds_in_one_poll_are_compared_in_publication_order() {
    let r = one_poll(&[("gazette", &[FLOOD_LATER]), ("wire", &[FLOOD_FIRST])]);
    assert_eq!(status_of(&r, "https://wire.example/first"), "new", "{r:#}");
    assert_eq!(
        status_of(&r, "https://gazette.example/later"),
        "updates",
        "{r:#}"
    );
    // The report still lists the feeds in the config's order.
    assert_eq!(r["feeds"][0]["name"], "gazette", "{r:#}");
}

/// A feed that stamps every entry with the same instant says nothing of their order: the
/// second story's figure, said to be current, is the later value, not a rival count of
/// the same moment.
#[test]
fn stories_stamped_the_same_instant_are_read_in_the_feeds_order() {
    // Two voices: at two dates three hours apart or less these would be rival counts.
    let same = "Sun, 01 Nov 2026 10:00:00 GMT";
    let r = one_poll(&[(
        "wire",
        &[
            (
                "first",
                same,
                "Floods hit Valdoria",
                "Twelve people were killed by floods in Valdoria, the interior ministry said.",
            ),
            (
                "later",
                same,
                "Valdoria flood toll rises",
                "The death toll from the floods in Valdoria has now risen to 40, the Red Cross said.",
            ),
        ],
    )]);
    assert_eq!(status_of(&r, "https://wire.example/first"), "new", "{r:#}");
    assert_eq!(
        status_of(&r, "https://wire.example/later"),
        "updates",
        "{r:#}"
    );
}
