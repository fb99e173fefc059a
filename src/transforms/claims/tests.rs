//! Tests of claim reading and comparison: a labelled table of sentences in
//! tests/fixtures/claims/cases.toml, comparisons, and the seeds' figures retold.

use super::*;
use crate::model::{Modality, StoredClaim};
use chrono::TimeZone;
use serde::Deserialize;

/// The yes/no claim the shipped lexicon knows (`[[groups.status]]`).
const SANCTIONS: &str = "status:violates_sanctions";

const CASES: &str = include_str!("../../../tests/fixtures/claims/cases.toml");
const CASES_MORE: &str = include_str!("../../../tests/fixtures/claims/cases_more.toml");
const HOLDOUT: &str = include_str!("../../../tests/fixtures/claims/holdout.toml");
const PAIRS: &str = include_str!("../../../tests/fixtures/claims/pairs.toml");
/// Below what the held-out table reached when it was first run (value F1 0.986).
const HOLDOUT_FLOOR: f64 = 0.95;

#[derive(Debug, Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    #[serde(default)]
    lang: Option<String>,
    text: String,
    /// Substrings of `text` to mark as watch-entity matches: "alias" or "alias=id".
    entities: Vec<String>,
    #[serde(default)]
    none: bool,
    #[serde(default)]
    claims: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Num {
    I(i64),
    F(f64),
}

impl Num {
    fn f(&self) -> f64 {
        match self {
            Num::I(i) => *i as f64,
            Num::F(f) => *f,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    subject: String,
    measure: String,
    value: Num,
    #[serde(default)]
    value_max: Option<Num>,
    #[serde(default)]
    approx: Approx,
    #[serde(default = "people")]
    unit: String,
    #[serde(default)]
    increment: Option<bool>,
    #[serde(default)]
    running_total: Option<bool>,
    #[serde(default)]
    attributed_to: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    kind: Option<crate::model::ClaimKind>,
    #[serde(default)]
    period: Option<String>,
}

fn people() -> String {
    "people".to_string()
}

/// Mark every occurrence of each given alias as a match.
pub(super) fn entity_matches(text: &str, entities: &[&str]) -> Vec<EntityMatch> {
    let mut out = Vec::new();
    for e in entities {
        let (alias, id) = match e.split_once('=') {
            Some((a, i)) => (a.to_string(), i.to_string()),
            None => (e.to_string(), e.to_lowercase().replace(' ', "-")),
        };
        for (start, found) in text.match_indices(alias.as_str()) {
            out.push(EntityMatch {
                watchlist: "test".to_string(),
                entity: id.clone(),
                alias: alias.clone(),
                found: found.to_string(),
                start,
                end: start + found.len(),
                kind: String::new(),
            });
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn same_value(c: &Claim, e: &Expected) -> bool {
    close(c.value, e.value.f())
        && match (c.value_max, &e.value_max) {
            (None, None) => true,
            (Some(a), Some(b)) => close(a, b.f()),
            _ => false,
        }
}

fn full_match(c: &Claim, e: &Expected) -> bool {
    same_value(c, e)
        && c.measure == e.measure
        && c.subject == e.subject
        && c.unit == e.unit
        && c.approx == e.approx
        && e.increment.is_none_or(|i| i == c.increment)
        && e.running_total.is_none_or(|r| r == c.running_total)
        && e.attributed_to
            .as_ref()
            .is_none_or(|a| c.attributed_to.as_deref() == Some(a.as_str()))
        && e.role.as_ref().is_none_or(|r| &c.role == r)
        && e.kind.is_none_or(|k| c.kind == k)
        && e.period
            .as_ref()
            .is_none_or(|p| c.period.as_ref() == Some(p))
}

#[derive(Default)]
struct Score {
    extracted: usize,
    expected: usize,
    hit_extracted: usize,
    hit_expected: usize,
}

impl Score {
    fn add(&mut self, got: &[Claim], want: &[Expected], same: impl Fn(&Claim, &Expected) -> bool) {
        self.extracted += got.len();
        self.expected += want.len();
        self.hit_extracted += got
            .iter()
            .filter(|c| want.iter().any(|e| same(c, e)))
            .count();
        self.hit_expected += want
            .iter()
            .filter(|e| got.iter().any(|c| same(c, e)))
            .count();
    }
    fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.hit_extracted as f64 / self.extracted as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.hit_expected as f64 / self.expected as f64
        }
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The scores of a set of tables: value; value+unit; value+measure; all fields.
#[derive(Default)]
struct Scores {
    cases: usize,
    claims: usize,
    langs: std::collections::BTreeSet<String>,
    s: [Score; 4],
    failures: Vec<String>,
}

const NAMES: [&str; 4] = ["value", "value+unit", "value+measure", "all fields"];

/// Run tables of cases into one score.
fn run_tables(srcs: &[&str]) -> Scores {
    let mut out = Scores::default();
    let mut ids = std::collections::HashSet::new();
    for src in srcs {
        let table: Table = match toml::from_str(src) {
            Ok(t) => t,
            Err(e) => panic!("table: {e}"),
        };
        for case in &table.case {
            assert!(ids.insert(case.id.clone()), "duplicate case id {}", case.id);
            assert!(
                case.none == case.claims.is_empty(),
                "{}: none = true xor claims",
                case.id
            );
            out.cases += 1;
            out.claims += case.claims.len();
            out.langs.insert(case.lang.clone().unwrap_or_default());
            let ents: Vec<&str> = case.entities.iter().map(String::as_str).collect();
            let matches = entity_matches(&case.text, &ents);
            assert!(
                !matches.is_empty() || ents.is_empty(),
                "{}: no entity found in the text",
                case.id
            );
            let got = extract_claims(&case.text, &matches, case.lang.as_deref(), None);
            out.s[0].add(&got, &case.claims, same_value);
            out.s[1].add(&got, &case.claims, |c, e| {
                same_value(c, e) && c.unit == e.unit
            });
            out.s[2].add(&got, &case.claims, |c, e| {
                same_value(c, e) && c.measure == e.measure
            });
            out.s[3].add(&got, &case.claims, full_match);
            let all_full = got.len() == case.claims.len()
                && case
                    .claims
                    .iter()
                    .all(|e| got.iter().any(|c| full_match(c, e)));
            if !all_full {
                let got_s: Vec<String> = got
                    .iter()
                    .map(|c| {
                        format!(
                            "{} [{}] {} {} {:?} {:?} {} {} {:?} inc={} total={} by={:?}",
                            c.subject,
                            c.role,
                            c.measure,
                            c.value,
                            c.value_max,
                            c.approx,
                            c.unit,
                            c.kind.as_str(),
                            c.period,
                            c.increment,
                            c.running_total,
                            c.attributed_to
                        )
                    })
                    .collect();
                out.failures.push(format!("{}: got {:#?}", case.id, got_s));
            }
        }
    }
    out
}

fn report(name: &str, r: &Scores) {
    for f in &r.failures {
        println!("MISMATCH {f}");
    }
    println!(
        "{name}: {} sentences, {} labelled claims, languages {:?}",
        r.cases, r.claims, r.langs
    );
    for (n, s) in NAMES.iter().zip(&r.s) {
        println!(
            "  {n:<14} P={:.3} R={:.3} F1={:.3}",
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
}

const DEV: &[&str] = &[CASES, CASES_MORE];

/// The development tables: every trap of the brief, in three languages. The issue's
/// floors: value F1 ≥ 0.95, value+measure F1 ≥ 0.85.
#[test]
fn labelled_table_precision_and_recall() {
    let r = run_tables(DEV);
    report("development (cases.toml + cases_more.toml)", &r);
    let all = {
        let mut t = DEV.to_vec();
        t.push(HOLDOUT);
        run_tables(&t)
    };
    assert!(all.claims >= 250, "only {} labelled claims", all.claims);
    assert!(all.langs.len() >= 3, "languages {:?}", all.langs);
    assert!(r.s[0].f1() >= 0.95, "value F1 {:.3}", r.s[0].f1());
    assert!(r.s[1].f1() >= 0.95, "value+unit F1 {:.3}", r.s[1].f1());
    assert!(r.s[2].f1() >= 0.85, "value+measure F1 {:.3}", r.s[2].f1());
    assert!(r.s[3].f1() >= 0.8, "all-field F1 {:.3}", r.s[3].f1());
}

/// Sentences never used for tuning: the honest estimate, reported apart, with floors set
/// below what the first run gave.
#[test]
fn held_out_table_precision_and_recall() {
    let r = run_tables(&[HOLDOUT]);
    report("held out (holdout.toml)", &r);
    assert!(r.s[0].f1() >= HOLDOUT_FLOOR, "value F1 {:.3}", r.s[0].f1());
    assert!(r.s[2].f1() >= 0.85, "value+measure F1 {:.3}", r.s[2].f1());
}

#[derive(Debug, Deserialize)]
struct PairTable {
    pair: Vec<Pair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    id: String,
    a: String,
    b: String,
    entities: Vec<String>,
    status: ClaimStatus,
    #[serde(default)]
    source_b: Option<String>,
}

/// What the pipeline does with a new claim: compare with its key, cross-check with the
/// related keys; a cross-measure conflict is a contradiction.
fn judge(new: &Claim, source: &str, stored: &[StoredClaim]) -> ClaimStatus {
    let same: Vec<StoredClaim> = stored
        .iter()
        .filter(|s| s.claim.key() == new.key())
        .cloned()
        .collect();
    let mut status = compare(new, source, &same).status;
    let keys = related_keys(new);
    let other: Vec<StoredClaim> = stored
        .iter()
        .filter(|s| keys.contains(&s.claim.key()))
        .cloned()
        .collect();
    if cross_check(new, source, &other).status == ClaimStatus::Contradicts {
        status = ClaimStatus::Contradicts;
    }
    status
}

/// Labelled comparison pairs, read end to end from sentences: status accuracy and the
/// precision and recall of CONTRADICTS (floors 0.9 and 0.8).
#[test]
fn comparison_pairs_contradiction_precision_and_recall() {
    let table: PairTable = match toml::from_str(PAIRS) {
        Ok(t) => t,
        Err(e) => panic!("pairs: {e}"),
    };
    let (mut right, mut tp, mut predicted, mut labelled) = (0, 0, 0, 0);
    for p in &table.pair {
        let ents: Vec<&str> = p.entities.iter().map(String::as_str).collect();
        let a = extract_claims(&p.a, &entity_matches(&p.a, &ents), None, None);
        let b = extract_claims(&p.b, &entity_matches(&p.b, &ents), None, None);
        assert!(!a.is_empty(), "{}: nothing read from a", p.id);
        assert_eq!(b.len(), 1, "{}: b must give one claim: {b:#?}", p.id);
        let src_b = p.source_b.as_deref().unwrap_or("source-b");
        let stored_a: Vec<StoredClaim> = a.into_iter().map(|c| stored(c, "source-a")).collect();
        let got = judge(&b[0], src_b, &stored_a);
        if got == p.status {
            right += 1;
        } else {
            println!("PAIR {}: want {:?}, got {:?}", p.id, p.status, got);
        }
        if got == ClaimStatus::Contradicts {
            predicted += 1;
            if p.status == ClaimStatus::Contradicts {
                tp += 1;
            }
        }
        if p.status == ClaimStatus::Contradicts {
            labelled += 1;
        }
    }
    let n = table.pair.len();
    let precision = if predicted == 0 {
        1.0
    } else {
        tp as f64 / predicted as f64
    };
    let recall = if labelled == 0 {
        1.0
    } else {
        tp as f64 / labelled as f64
    };
    println!(
        "pairs.toml: {n} pairs, status accuracy {:.3}; contradiction P={precision:.3} R={recall:.3} ({tp} of {predicted} predicted, {labelled} labelled)",
        right as f64 / n as f64
    );
    assert!(n >= 30, "only {n} pairs");
    assert!(precision >= 0.9, "contradiction precision {precision:.3}");
    assert!(recall >= 0.8, "contradiction recall {recall:.3}");
}

fn claim(subject: &str, measure: &str, value: f64, approx: Approx) -> Claim {
    Claim {
        subject: subject.to_string(),
        measure: measure.to_string(),
        value,
        approx,
        unit: "people".to_string(),
        quote: format!("{subject} {measure} {value} {approx:?}"),
        ..Claim::default()
    }
}

fn stored(c: Claim, source: &str) -> StoredClaim {
    StoredClaim {
        claim: c,
        item_id: "i".to_string(),
        item_url: "https://example.org/a".to_string(),
        source: source.to_string(),
        published: None,
        first_seen: Utc
            .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
            .single()
            .unwrap_or_default(),
        status: ClaimStatus::New,
        baseline: false,
    }
}

#[test]
fn about_a_thousand_corroborates_a_thousand() {
    let old = stored(
        claim("dprk-sappers", "deployed", 1000.0, Approx::Exact),
        "a",
    );
    let new = claim("dprk-sappers", "deployed", 1000.0, Approx::About);
    let r = compare(&new, "b", &[old]);
    assert_eq!(r.status, ClaimStatus::Corroborates);
    assert_eq!(r.related, vec![0]);
}

#[test]
fn over_a_thousand_does_not_contradict_twelve_hundred() {
    let old = stored(claim("dprk-troops", "killed", 1200.0, Approx::Exact), "a");
    let new = claim("dprk-troops", "killed", 1000.0, Approx::Over);
    assert_eq!(compare(&new, "b", &[old]).status, ClaimStatus::Corroborates);
}

#[test]
fn six_hundred_dead_contradicts_six_thousand_killed() {
    let agree = stored(claim("dprk-troops", "killed", 620.0, Approx::About), "c");
    let old = stored(claim("dprk-troops", "killed", 6000.0, Approx::Exact), "a");
    let new = claim("dprk-troops", "killed", 600.0, Approx::About);
    let r = compare(&new, "b", &[agree, old]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
    assert_eq!(r.related, vec![1, 0], "the disagreeing claim comes first");
}

#[test]
fn casualties_and_deaths_are_different_keys() {
    let old = stored(
        claim("dprk-troops", "casualties", 4700.0, Approx::About),
        "a",
    );
    let new = claim("dprk-troops", "killed", 600.0, Approx::About);
    assert_ne!(new.key(), old.claim.key());
    assert_eq!(compare(&new, "b", &[old]).status, ClaimStatus::New);
}

#[test]
fn deaths_above_casualties_contradict_across_measures() {
    let casualties = claim("dprk-troops", "casualties", 4700.0, Approx::About);
    let killed = claim("dprk-troops", "killed", 6000.0, Approx::Exact);
    assert_eq!(related_keys(&killed), vec![casualties.key()]);
    assert!(related_keys(&casualties).contains(&killed.key()));
    let r = cross_check(&killed, "uk", &[stored(casualties.clone(), "seoul")]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
    let small = claim("dprk-troops", "killed", 600.0, Approx::About);
    assert_eq!(
        cross_check(&small, "x", &[stored(casualties.clone(), "seoul")]).status,
        ClaimStatus::New
    );
    // The other way round: a casualty toll below a stored death toll.
    let r = cross_check(&casualties, "seoul", &[stored(killed, "uk")]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
}

#[test]
fn an_increment_is_compared_only_with_increments() {
    let total = stored(
        claim("dprk-troops", "deployed", 10000.0, Approx::About),
        "a",
    );
    let mut inc = claim("dprk-troops", "deployed", 5000.0, Approx::Exact);
    inc.increment = true;
    assert_eq!(
        compare(&inc, "b", std::slice::from_ref(&total)).status,
        ClaimStatus::New
    );
    let mut other_inc = inc.clone();
    other_inc.value = 2000.0;
    other_inc.quote = "other".to_string();
    let r = compare(&inc, "b", &[total, stored(other_inc, "c")]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
    assert_eq!(r.related, vec![1]);
}

/// A toll marked current three hours or more after the last one is its later value (a
/// crash's dead counted at 07:00 and again at 10:15); within the hour it is a rival count
/// of the same moment.
#[test]
fn a_current_figure_hours_later_updates() {
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 10, 10, h, m, 0).single();
    let mut old = stored(claim("crash", "killed", 9.0, Approx::Exact), "a");
    old.claim.open = true;
    old.published = at(7, 0);
    let mut new = claim("crash", "killed", 12.0, Approx::Exact);
    new.open = true;
    new.running_total = true;
    assert_eq!(
        compare::compare_at(&new, "b", at(10, 15), std::slice::from_ref(&old)).status,
        ClaimStatus::Updates
    );
    assert_eq!(
        compare::compare_at(&new, "b", at(7, 40), &[old]).status,
        ClaimStatus::Contradicts
    );
}

/// A figure called current beside another of the same story ("77 dead … Police now say 19
/// of the dead were children") is compared with what earlier stories said, not with its
/// own story's figure; one the story sets against the other is still its rival.
#[test]
fn a_current_figure_is_not_the_later_count_of_its_own_storys_figure() {
    let at = Utc.with_ymd_and_hms(2026, 10, 10, 9, 0, 0).single();
    let mut dead = stored(claim("ferry", "killed", 77.0, Approx::Exact), "wire");
    dead.claim.open = true;
    dead.published = at;
    // Not so small that it is a part of the 77 by size alone (`PART_RATIO`).
    let mut children = claim("ferry", "killed", 60.0, Approx::Exact);
    children.open = true;
    children.running_total = true;
    let status = |c: &Claim| compare::compare_at(c, "wire", at, std::slice::from_ref(&dead)).status;
    assert_eq!(status(&children), ClaimStatus::New);
    // Another outlet's story at the same hour is a rival count of the same moment.
    assert_eq!(
        compare::compare_at(&children, "paper", at, std::slice::from_ref(&dead)).status,
        ClaimStatus::Contradicts
    );
    let rival = Claim {
        rival: true,
        attributed_to: Some("union".into()),
        ..children.clone()
    };
    assert_eq!(status(&rival), ClaimStatus::Contradicts);
}

/// A much smaller figure weeks after a total, with nothing setting it against that
/// total, is another quantity ("160 sheep lost in a month" after "430 killed since
/// June"); the same figure days after, or set against the total, is a rival count.
#[test]
fn a_much_smaller_figure_weeks_later_is_another_quantity() {
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 7, d, 9, 0, 0).single();
    let mut old = stored(claim("wolves", "killed", 430.0, Approx::AtLeast), "a");
    old.claim.open = true;
    old.published = day(1);
    // Over a third of it: not a part by size alone (`PART_RATIO`).
    let mut new = claim("wolves", "killed", 160.0, Approx::Exact);
    new.open = true;
    let status =
        |new: &Claim, when| compare::compare_at(new, "b", when, std::slice::from_ref(&old)).status;
    assert_eq!(status(&new, day(18)), ClaimStatus::New);
    assert_eq!(status(&new, day(3)), ClaimStatus::Contradicts);
    // Half or more of the total stays a rival count, weeks later too.
    let mut near = new.clone();
    near.value = 300.0;
    assert_eq!(status(&near, day(18)), ClaimStatus::Contradicts);
    let mut rival = new.clone();
    rival.rival = true;
    assert_eq!(status(&rival, day(18)), ClaimStatus::Contradicts);
}

/// A figure stored before and restated later ("41 deaths, the same as the ministry"), after
/// another voice gave a different one, agrees with the first: the rival is not newer news.
#[test]
fn a_figure_restated_after_a_rival_corroborates_its_first_voice() {
    let at = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).single();
    let mut first = stored(claim("cholera", "killed", 41.0, Approx::Exact), "ministry");
    first.claim.open = true;
    first.published = at(9);
    let mut rival = stored(claim("cholera", "killed", 47.0, Approx::Exact), "ngo");
    rival.claim.open = true;
    rival.claim.quote = "the NGO counted 47 deaths".to_string();
    rival.published = at(10);
    let mut again = claim("cholera", "killed", 41.0, Approx::Exact);
    again.open = true;
    again.quote = "a report listed 41 deaths".to_string();
    let r = compare::compare_at(&again, "agency", at(12), &[first.clone(), rival.clone()]);
    assert_eq!(r.status, ClaimStatus::Corroborates);
    assert_eq!(r.related.first(), Some(&0));
    // Said to be current, the very same figure after the rival is still the first
    // voice's figure again ("the toll stands at 41"): the labelled stories read it so.
    again.running_total = true;
    assert_eq!(
        compare::compare_at(&again, "agency", at(12), &[first.clone(), rival.clone()]).status,
        ClaimStatus::Corroborates
    );
    // A different current figure after the rival is the later count.
    again.value = 44.0;
    assert_eq!(
        compare::compare_at(&again, "agency", at(12), &[first, rival]).status,
        ClaimStatus::Updates
    );
}

#[test]
fn a_growing_running_total_updates() {
    let old = stored(claim("dprk-troops", "killed", 600.0, Approx::About), "a");
    let mut new = claim("dprk-troops", "killed", 1000.0, Approx::Over);
    new.running_total = true;
    assert_eq!(
        compare(&new, "b", std::slice::from_ref(&old)).status,
        ClaimStatus::Updates
    );
    // Without the marker the same figures disagree.
    new.running_total = false;
    assert_eq!(compare(&new, "b", &[old]).status, ClaimStatus::Contradicts);
}

#[test]
fn a_syndicated_copy_does_not_corroborate_itself() {
    let c = claim("dprk-builders", "deployed", 5000.0, Approx::Exact);
    let copy = stored(c.clone(), "wire");
    assert_eq!(
        compare(&c, "wire", std::slice::from_ref(&copy)).status,
        ClaimStatus::New
    );
    // The same words under another outlet's name are the same report.
    let mut reprint = c.clone();
    reprint.quote = format!("  «{}»  ", c.quote.to_uppercase());
    assert_eq!(
        compare(&reprint, "other-outlet", std::slice::from_ref(&copy)).status,
        ClaimStatus::New
    );
    // Its own words from another outlet corroborate; the same outlet again does not.
    let mut own = c.clone();
    own.quote = "Another outlet's own sentence with 5,000 builders.".to_string();
    assert_eq!(
        compare(&own, "other-outlet", std::slice::from_ref(&copy)).status,
        ClaimStatus::Corroborates
    );
    assert_eq!(compare(&own, "wire", &[copy]).status, ClaimStatus::New);
}

#[test]
fn a_denied_figure_is_not_compared() {
    let old = stored(claim("dprk-troops", "killed", 600.0, Approx::About), "a");
    let mut new = claim("dprk-troops", "killed", 6000.0, Approx::Exact);
    new.polarity = crate::model::Polarity::Negative;
    assert_eq!(compare(&new, "b", &[old]).status, ClaimStatus::New);
}

#[test]
fn kinds_and_periods_split_the_key() {
    let total = claim("dprk-troops", "killed", 600.0, Approx::About);
    let mut flow = claim("dprk-troops", "killed", 1000.0, Approx::Over);
    flow.kind = crate::model::ClaimKind::Flow;
    flow.period = Some("3 months".to_string());
    assert_ne!(total.key(), flow.key());
    assert_eq!(
        compare(&flow, "b", &[stored(total, "a")]).status,
        ClaimStatus::New
    );
}

#[test]
fn different_treaty_dates_do_not_contradict() {
    let mut a = claim(
        "dprk-russia-treaty",
        "treaty_signed",
        20240619.0,
        Approx::Exact,
    );
    a.unit = "date".to_string();
    a.kind = crate::model::ClaimKind::EventDate;
    let mut b = a.clone();
    b.quote = "b".to_string();
    assert_eq!(
        compare(&a, "x", &[stored(b.clone(), "y")]).status,
        ClaimStatus::Corroborates
    );
    b.value = 20000209.0;
    assert_eq!(compare(&a, "x", &[stored(b, "y")]).status, ClaimStatus::New);
    assert_eq!(format_value(&a), "2024-06-19");
}

#[test]
fn other_keys_and_periods_are_ignored() {
    let mut a = claim("dprk", "trade_turnover", 34.4e6, Approx::Exact);
    a.unit = "usd".to_string();
    a.period = Some("2023".to_string());
    let mut b = a.clone();
    b.value = 3.8e6;
    b.period = Some("2022".to_string());
    b.quote = "b".to_string();
    assert_eq!(compare(&a, "x", &[stored(b, "y")]).status, ClaimStatus::New);
    let other = stored(claim("dprk-troops", "deployed", 1.0, Approx::Exact), "y");
    assert_eq!(compare(&a, "x", &[other]).status, ClaimStatus::New);
}

#[test]
fn ranges_overlap_with_points_inside() {
    let mut range = claim("dprk-troops", "present", 3000.0, Approx::Exact);
    range.value_max = Some(4000.0);
    let inside = stored(claim("dprk-troops", "present", 3500.0, Approx::About), "a");
    let outside = stored(claim("dprk-troops", "present", 10000.0, Approx::About), "b");
    assert_eq!(
        compare(&range, "c", &[inside]).status,
        ClaimStatus::Corroborates
    );
    assert_eq!(
        compare(&range, "c", &[outside]).status,
        ClaimStatus::Contradicts
    );
}

#[test]
fn sanctions_status_compares_by_value() {
    let mut yes = claim("dprk", SANCTIONS, 1.0, Approx::Exact);
    yes.unit = "bool".to_string();
    let mut no = yes.clone();
    no.value = 0.0;
    no.quote = "no".to_string();
    assert_eq!(
        compare(&yes, "a", &[stored(no, "b")]).status,
        ClaimStatus::Contradicts
    );
}

#[test]
fn values_format_for_the_digest() {
    let mut c = claim("s", "killed", 600.0, Approx::About);
    assert_eq!(format_value(&c), "about 600");
    c.approx = Approx::Over;
    c.value = 1000.0;
    assert_eq!(format_value(&c), "over 1,000");
    c.approx = Approx::Exact;
    c.value = 3000.0;
    c.value_max = Some(4000.0);
    assert_eq!(format_value(&c), "3,000–4,000");
    c.value_max = None;
    c.unit = "usd".to_string();
    c.value = 34.4e6;
    assert_eq!(format_value(&c), "$34.4 million");
    c.value = 11e9;
    assert_eq!(format_value(&c), "$11 billion");
    c.unit = "percent".to_string();
    c.value = 90.0;
    assert_eq!(format_value(&c), "90%");
    c.unit = "ratio".to_string();
    c.value = 9.0;
    assert_eq!(format_value(&c), "×9");
    c.unit = "brigades".to_string();
    c.value = 2.0;
    assert_eq!(format_value(&c), "2 brigades");
    c.unit = "bool".to_string();
    c.measure = SANCTIONS.to_string();
    c.value = 1.0;
    assert_eq!(format_value(&c), "violates: yes");
    c.value = 0.0;
    assert_eq!(format_value(&c), "violates: no");
}

/// The seeds' figures in our own words: the claims an analyst would note.
#[test]
fn seed_figures_retold() {
    let text = "\
Pyongyang to Send 1,000 Sappers to Kursk

Russia's security chief said after talks in Pyongyang that a thousand North Korean deminers will travel to the Kursk region to clear mines.
He added that North Korea will also dispatch 5,000 military builders, organised in two brigades, to rebuild the Kursk region.
South Korea's spy agency reported that North Korea had already sent about 10,000 troops to Russia, with an additional 5,000 expected.
According to Seoul's intelligence, North Korean casualties stand at roughly 4,700, among them some 600 dead.
The UK Ministry of Defence claimed that 6,000 North Korean soldiers have been killed.
Western officials believe more than 1,000 North Korean soldiers died within three months of fighting.
South Korean intelligence estimates that about 15,000 North Koreans are now working in Russia.
Moscow says trade turnover with North Korea grew ninefold in 2023, to $34.4 mln.
In 2014 Russia wrote off 90% of the $11 billion Soviet-era debt owed by North Korea.
The treaty between Russia and North Korea was signed on 19 June 2024 in Pyongyang.
Moscow insists the arrival of North Korean builders does not violate UN sanctions.
Washington says hiring North Korean workers is in violation of UNSC Resolution 2397.
Page 3 of 12. North Korea news, 2025.
";
    let matches = entity_matches(
        text,
        &["North Korea=dprk", "Pyongyang=pyongyang", "Kursk=kursk"],
    );
    let claims = extract_claims(text, &matches, Some("en"), None);
    let find = |subject: &str, measure: &str, value: f64| {
        claims
            .iter()
            .find(|c| c.subject == subject && c.measure == measure && close(c.value, value))
            .unwrap_or_else(|| panic!("no {subject} {measure} {value} in {claims:#?}"))
    };
    find("dprk-sappers", "deployed", 1000.0);
    let thousand = claims
        .iter()
        .filter(|c| c.subject == "dprk-sappers" && close(c.value, 1000.0))
        .count();
    assert_eq!(
        thousand, 1,
        "the headline's 1,000 sappers is restated by the sentence under it: kept once"
    );
    let builders = find("dprk-builders", "deployed", 5000.0);
    assert_eq!(builders.modality, Modality::Planned);
    let brigades = find("dprk-builders", "deployed", 2.0);
    assert_eq!(brigades.unit, "brigades");
    let troops = find("dprk-troops", "deployed", 10000.0);
    assert_eq!(
        (troops.approx, troops.running_total, troops.increment),
        (Approx::About, true, false)
    );
    assert_eq!(
        troops.attributed_to.as_deref(),
        Some("South Korea's spy agency")
    );
    let extra = find("dprk-troops", "deployed", 5000.0);
    assert!(extra.increment);
    assert_eq!(extra.kind, crate::model::ClaimKind::Increment);
    assert_eq!(extra.modality, Modality::Expected);
    assert_ne!(
        extra.key(),
        troops.key(),
        "an increment is no rival of the total"
    );
    let cas = find("dprk-troops", "casualties", 4700.0);
    assert_eq!(cas.approx, Approx::About);
    assert_eq!(cas.attributed_to.as_deref(), Some("Seoul's intelligence"));
    let dead = find("dprk-troops", "killed", 600.0);
    assert_eq!(dead.approx, Approx::About);
    let uk = find("dprk-troops", "killed", 6000.0);
    assert_eq!(uk.attributed_to.as_deref(), Some("UK Ministry of Defence"));
    let over = find("dprk-troops", "killed", 1000.0);
    assert_eq!(
        (over.approx, over.modality),
        (Approx::Over, Modality::Asserted)
    );
    assert_eq!(over.kind, crate::model::ClaimKind::Flow);
    assert_eq!(over.period.as_deref(), Some("3 months"));
    assert_eq!(
        find("dprk-russia-treaty", "treaty_signed", 20240619.0).unit,
        "date"
    );
    let workers = find("dprk-workers", "present", 15000.0);
    assert_eq!(workers.approx, Approx::About);
    let ratio = find("dprk", "trade_turnover", 9.0);
    assert_eq!(
        (ratio.unit.as_str(), ratio.period.as_deref()),
        ("ratio", Some("2023"))
    );
    let usd = find("dprk", "trade_turnover", 34.4e6);
    assert_eq!(usd.unit, "usd");
    assert_eq!(find("dprk", "debt", 11e9).unit, "usd");
    assert_eq!(find("dprk", "written_off", 90.0).unit, "percent");
    let no = find("dprk", SANCTIONS, 0.0);
    let yes = find("dprk", SANCTIONS, 1.0);
    assert_eq!(no.key(), yes.key());

    // What an analyst would flag when these are compared in reading order.
    let as_stored = |c: &Claim, src: &str| stored(c.clone(), src);
    assert_eq!(
        compare(uk, "uk", &[as_stored(dead, "seoul")]).status,
        ClaimStatus::Contradicts
    );
    assert_eq!(
        cross_check(uk, "uk", &[as_stored(cas, "seoul")]).status,
        ClaimStatus::Contradicts
    );
    assert_eq!(
        compare(yes, "us", &[as_stored(no, "moscow")]).status,
        ClaimStatus::Contradicts
    );

    // No year, date, page number or resolution number became a claim.
    for c in &claims {
        for bad in [2014.0, 2023.0, 2024.0, 2025.0, 2397.0, 19.0, 3.0, 12.0] {
            assert!(!close(c.value, bad), "{bad} read as a claim: {c:#?}");
        }
        assert_eq!(&text[c.quote_start..c.quote_end], c.quote);
    }
    // Each figure once, and the treaty's date: nothing else.
    assert_eq!(claims.len(), 17, "{claims:#?}");
}

/// Odd input never panics: random mixes of digits, separators, scripts and quotes, with
/// matches at random character boundaries.
#[test]
fn odd_input_never_panics() {
    const PIECES: &[&str] = &[
        "1",
        "0",
        "9",
        ",",
        ".",
        " ",
        "\u{a0}",
        "\u{202f}",
        "-",
        "–",
        "$",
        "%",
        "~",
        "(",
        ")",
        "\"",
        "«",
        "»",
        "’",
        "\n",
        "\n\n",
        "North Korea",
        "КНДР",
        "тыс.",
        "млн",
        "about ",
        "thousand",
        "a ",
        "troops",
        "dead",
        "не ",
        "viole",
        "sanctions",
        "2397",
        "No.",
        "г.",
        "é",
        "ё",
        "mille",
        "between ",
        " and ",
        "до ",
        "от ",
        "fold",
        "-strong",
        ":",
        "+",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..1000 {
        let mut text = String::new();
        for _ in 0..(next() % 40) {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let a = bounds[(next() % bounds.len() as u64) as usize];
        let b = bounds[(next() % bounds.len() as u64) as usize];
        let (start, end) = (a.min(b), a.max(b));
        let m = EntityMatch {
            watchlist: "w".to_string(),
            entity: "e".to_string(),
            alias: "x".to_string(),
            found: text[start..end].to_string(),
            start,
            end,
            kind: String::new(),
        };
        for lang in [Some("en"), Some("fr"), Some("ru"), None] {
            for c in extract_claims(&text, std::slice::from_ref(&m), lang, None) {
                assert_eq!(&text[c.quote_start..c.quote_end], c.quote);
                assert!(c.value.is_finite());
                let _ = format_value(&c);
            }
        }
    }
}

/// Country-level figures need no entity in their sentence, people counts do; a pull
/// quote's caption names its speaker; the lead gives generic groups their role.
#[test]
fn document_level_rules() {
    let text = "\
Pyongyang to help rebuild the Kursk region with thousands of workers and engineers, Moscow says

North Korea will send two brigades of 4,000 people, officials in Moscow said on Friday.
Later that decade Moscow agreed to settle the debts North Korea ran up with the Soviet Union.
The total sum came to $9 billion, four fifths of which were cancelled.
Elsewhere, 3,000 soldiers were moved to the south.
\"By our count, trade rose to $20 mln in 2024\"
Deputy minister Ivan Petrov
";
    let matches = entity_matches(text, &["North Korea=dprk", "Pyongyang", "Kursk"]);
    let p = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single();
    let claims = extract_claims(text, &matches, Some("en"), p);
    let got: Vec<(String, String, String, f64)> = claims
        .iter()
        .map(|c| {
            (
                c.subject.clone(),
                c.role.clone(),
                c.measure.clone(),
                c.value,
            )
        })
        .collect();
    let has = |s: &str, r: &str, m: &str, v: f64| {
        got.iter()
            .any(|g| g.0 == s && g.1 == r && g.2 == m && close(g.3, v))
    };
    assert!(
        has("dprk-builders", "builders", "deployed", 4000.0),
        "{got:#?}"
    );
    assert!(
        has("dprk-builders", "builders", "deployed", 2.0),
        "{got:#?}"
    );
    assert!(
        has("dprk", "", "debt", 9e9),
        "the sum of the debts: {got:#?}"
    );
    let trade = claims
        .iter()
        .find(|c| c.measure == "trade_turnover" && close(c.value, 20e6))
        .unwrap_or_else(|| panic!("trade: {got:#?}"));
    assert_eq!(
        trade.attributed_to.as_deref(),
        Some("Deputy minister Ivan Petrov")
    );
    assert_eq!(trade.period.as_deref(), Some("2024"));
    // A people count whose sentence names no entity belongs to the story's subject: the
    // watchlist the story matched.
    assert!(
        got.iter()
            .any(|g| close(g.3, 3000.0) && g.0 == "test" && g.1 == "troops"),
        "a people count without an entity in its sentence: {got:#?}"
    );
    // A document that matched nothing gives nothing.
    assert!(extract_claims(text, &[], Some("en"), p).is_empty());
}

/// A casualty figure with no counted noun in a story about a national group is keyed as
/// that group's figure, like the first reader's, so the two are compared.
#[test]
fn a_nounless_casualty_figure_joins_the_national_groups_key() {
    let text = "North Korean losses at Kursk\n\n\
                About 2,000 North Korean soldiers have been killed fighting for Russia in Kursk, Kyiv said. \
                North Korea has not commented. \
                The agency now estimates about 6,000 killed or wounded among the North Korean units.";
    let matches = entity_matches(text, &["Kursk", "North Korea=dprk"]);
    let claims = extract_claims(text, &matches, Some("en"), None);
    let killed = claims
        .iter()
        .find(|c| close(c.value, 2000.0))
        .unwrap_or_else(|| panic!("{claims:#?}"));
    let casualties = claims
        .iter()
        .find(|c| close(c.value, 6000.0))
        .unwrap_or_else(|| panic!("{claims:#?}"));
    assert_eq!(killed.subject, "dprk-troops");
    assert_eq!(casualties.subject, "dprk-troops", "{casualties:#?}");
    assert_eq!(casualties.measure, "casualties");
    assert!(casualties.running_total, "'now' marks it current");
}

fn open_claim(role: &str, measure: &str, value: f64, kind: ClaimKind) -> Claim {
    Claim {
        subject: "strike".to_string(),
        role: role.to_string(),
        measure: measure.to_string(),
        value,
        unit: role.to_string(),
        kind,
        open: true,
        quote: format!("{value} {role} {measure}"),
        ..Claim::default()
    }
}

#[test]
fn a_thing_under_its_one_other_verb_agrees_or_updates_but_never_contradicts() {
    let destroyed = open_claim("schools", "destroyed", 31.0, ClaimKind::RunningTotal);
    let damaged = open_claim("schools", "damaged", 31.0, ClaimKind::RunningTotal);
    // Schools are stored under one verb only: "damaged" is compared with it.
    assert_eq!(
        super::neighbour_keys(&damaged, &[destroyed.key()]),
        vec![destroyed.key()]
    );
    // Two verbs stored for schools: no telling which one a third verb means.
    let closed = open_claim("schools", "closed", 12.0, ClaimKind::RunningTotal);
    assert!(super::neighbour_keys(&damaged, &[destroyed.key(), closed.key()]).is_empty());
    let old = stored(destroyed, "a");
    // The same figure from another outlet corroborates it.
    assert_eq!(
        super::compare(&damaged, "b", std::slice::from_ref(&old)).status,
        ClaimStatus::Corroborates
    );
    // A different figure under the other verb is not set against it...
    let other = open_claim("schools", "damaged", 45.0, ClaimKind::RunningTotal);
    assert_eq!(
        super::compare(&other, "b", std::slice::from_ref(&old)).status,
        ClaimStatus::New
    );
    // ...but a figure said to be current is its later value.
    let now = Claim {
        running_total: true,
        ..other
    };
    assert_eq!(
        super::compare(&now, "b", std::slice::from_ref(&old)).status,
        ClaimStatus::Updates
    );
}

#[test]
fn a_figure_without_predicate_is_compared_with_its_things_counts() {
    let waiting = open_claim("ships", "stuck", 44.0, ClaimKind::Level);
    let bare = open_claim("ships", "", 17.0, ClaimKind::RunningTotal);
    // Only "ships stuck" is stored for ships: the bare count and the level are one quantity.
    let keys = vec![
        bare.key(),
        "strike|containers|stuck|containers|level|".to_string(),
    ];
    assert_eq!(super::neighbour_keys(&waiting, &keys), vec![bare.key()]);
    assert_eq!(
        super::neighbour_keys(&bare, &[waiting.key()]),
        vec![waiting.key()]
    );
    // Two predicates stored for ships: a bare count is compared with both (measured on
    // the tuning topics, it is far more often one of them than neither).
    let diverted = open_claim("ships", "diverted", 31.0, ClaimKind::RunningTotal);
    assert_eq!(
        super::neighbour_keys(&bare, &[waiting.key(), diverted.key()]),
        vec![waiting.key(), diverted.key()]
    );
    // "People" with no predicate is never tied to a predicate.
    let people = open_claim("people", "", 1100.0, ClaimKind::Level);
    let striking = open_claim("people", "striking", 3000.0, ClaimKind::Level);
    assert!(super::neighbour_keys(&people, &[striking.key()]).is_empty());
    // An increment is not a total.
    let more = open_claim("ships", "stuck", 10.0, ClaimKind::Increment);
    assert!(super::neighbour_keys(&more, &[waiting.key(), bare.key()]).is_empty());
}

#[test]
fn money_with_and_without_its_one_predicate_is_one_amount() {
    let money = |measure: &str, value: f64| {
        let mut c = open_claim("", measure, value, ClaimKind::RunningTotal);
        c.unit = "usd".to_string();
        c
    };
    let ransom = money("requested", 3_000_000.0);
    let mut bare = money("", 3_500_000.0);
    bare.running_total = true;
    // Only a ransom demanded is stored in dollars: "now $3.5 million" is its later figure.
    assert_eq!(
        super::neighbour_keys(&bare, &[ransom.key()]),
        vec![ransom.key()]
    );
    assert_eq!(
        compare::compare_at(&bare, "b", None, &[stored(ransom.clone(), "a")]).status,
        ClaimStatus::Updates
    );
    // With a second predicate stored (a ransom and a recovery cost), a bare amount could
    // be either: it is compared with neither.
    let cost = money("cost", 9_000_000.0);
    assert!(super::neighbour_keys(&bare, &[ransom.key(), cost.key()]).is_empty());
    // An amount with a predicate, and amounts with none stored beside one predicate.
    assert_eq!(
        super::neighbour_keys(&ransom, &[bare.key()]),
        vec![bare.key()]
    );
    assert!(super::neighbour_keys(&ransom, &[bare.key(), cost.key()]).is_empty());
}

#[test]
fn people_and_the_one_group_stored_for_a_predicate_are_one_count() {
    let person = |role: &str, measure: &str, value: f64| {
        let mut c = open_claim(role, measure, value, ClaimKind::RunningTotal);
        c.unit = "people".to_string();
        c
    };
    let dead = person("people", "killed", 30.0);
    let miners = person("miners", "killed", 27.0);
    let rescuers = person("rescuers", "killed", 2.0);
    let miners_hurt = person("miners", "wounded", 40.0);
    // "30 killed" after "27 miners killed": the miners are the dead.
    assert_eq!(
        super::neighbour_keys(&dead, &[miners.key(), miners_hurt.key()]),
        vec![miners.key()]
    );
    assert_eq!(
        super::neighbour_keys(&miners, &[dead.key()]),
        vec![dead.key()]
    );
    assert_eq!(
        compare(&dead, "B", &[stored(miners.clone(), "A")]).status,
        ClaimStatus::Contradicts
    );
    // Well below the people, the group is among them ("40 minors" after "84 rescued"); far
    // above the group, the people include it ("31 identified" after "11 children").
    let rescued = person("people", "rescued", 84.0);
    let minors = person("children", "rescued", 40.0);
    assert_eq!(
        compare(&minors, "B", &[stored(rescued.clone(), "A")]).status,
        ClaimStatus::New
    );
    assert_eq!(
        compare(&rescued, "B", &[stored(minors, "A")]).status,
        ClaimStatus::New
    );
    // Two groups killed: "people" may be either, or both.
    assert!(super::neighbour_keys(&dead, &[miners.key(), rescuers.key()]).is_empty());
    assert!(super::neighbour_keys(&miners, &[dead.key(), rescuers.key()]).is_empty());
}

#[test]
fn the_same_quoted_source_giving_a_new_count_updates_it_whatever_outlet_carries_it() {
    let mut first = open_claim("ships", "", 17.0, ClaimKind::RunningTotal);
    first.attributed_to = Some("capitainerie".to_string());
    let mut later = open_claim("ships", "stuck", 44.0, ClaimKind::Level);
    later.attributed_to = Some("Capitainerie".to_string());
    let r = compare(&later, "Another paper", &[stored(first.clone(), "A paper")]);
    assert_eq!(r.status, ClaimStatus::Updates);
    // Another voice with no predicate on one side: too vague to contradict.
    later.attributed_to = Some("the union".to_string());
    let r = compare(&later, "Another paper", &[stored(first, "A paper")]);
    assert_eq!(r.status, ClaimStatus::New);
}

#[test]
fn money_given_by_two_voices_is_two_gifts() {
    let gift = |value: f64, who: &str| {
        let mut c = open_claim("", "pledged", value, ClaimKind::RunningTotal);
        c.unit = "eur".to_string();
        c.attributed_to = Some(who.to_string());
        c
    };
    let state = gift(10e6, "the state");
    // The EU's €25 million after the state's €10 million: another gift.
    let r = compare(&gift(25e6, "the EU"), "B", &[stored(state.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::New);
    // The state raising its own pledge updates it.
    let r = compare(&gift(25e6, "the state"), "B", &[stored(state.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::Updates);
    // A cost is not a gift: two voices, two figures, a contradiction.
    let cost = |value: f64, who: &str| {
        let mut c = gift(value, who);
        c.measure = "cost".to_string();
        c
    };
    let r = compare(
        &cost(25e6, "insurers"),
        "B",
        &[stored(cost(10e6, "the state"), "A")],
    );
    assert_eq!(r.status, ClaimStatus::Contradicts);
}

#[test]
fn a_figure_that_says_nothing_of_itself_can_only_corroborate_an_equal_one() {
    let mut cost = open_claim("", "cost", 20e6, ClaimKind::RunningTotal);
    cost.unit = "eur".to_string();
    let mut bonus = open_claim("", "pledged", 1500.0, ClaimKind::RunningTotal);
    bonus.unit = "eur".to_string();
    let mut bare = open_claim("", "", 20e6, ClaimKind::RunningTotal);
    bare.unit = "eur".to_string();
    bare.approx = Approx::About;
    let keys = super::agreement_keys(&bare, &[cost.key(), bonus.key()]);
    assert_eq!(keys, vec![cost.key(), bonus.key()]);
    let stored_claims = [stored(cost.clone(), "A"), stored(bonus, "A")];
    // About 20 million agrees with the 20 million cost, not with the 1,500 bonus.
    assert_eq!(super::agreeing(&bare, "B", &stored_claims), vec![0]);
    // The same outlet repeating itself is no corroboration.
    assert!(super::agreeing(&bare, "A", &stored_claims).is_empty());
    // A range agrees with too much to be the same figure.
    bare.value_max = Some(30e6);
    assert!(super::agreeing(&bare, "B", &stored_claims).is_empty());
    // Bare counts of people coincide too often at a round figure; a figure of two
    // significant digits or more given by another outlet is the same count.
    let mut people = open_claim("people", "", 1000.0, ClaimKind::RunningTotal);
    let evacuated = open_claim("people", "evacuated", 1000.0, ClaimKind::RunningTotal);
    assert_eq!(
        super::agreement_keys(&people, &[evacuated.key()]),
        vec![evacuated.key()]
    );
    assert!(super::agreeing(&people, "B", &[stored(evacuated.clone(), "A")]).is_empty());
    people.value = 230_000.0;
    let mut evacuated = evacuated;
    evacuated.value = 230_000.0;
    assert_eq!(
        super::agreeing(&people, "B", &[stored(evacuated, "A")]),
        vec![0]
    );
}

#[test]
fn a_smaller_figure_for_one_place_is_not_set_against_the_whole() {
    let mut whole = open_claim("households", "without_power", 1_050_000.0, ClaimKind::Level);
    whole.running_total = true;
    let mut city = open_claim("households", "without_power", 310_000.0, ClaimKind::Level);
    city.place = Some("montreal".to_string());
    let r = compare(&city, "B", &[stored(whole.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::New);
    // A figure for a place larger than the one that named none is no part of it.
    let mut province = open_claim("households", "without_power", 2_000_000.0, ClaimKind::Level);
    province.place = Some("quebec".to_string());
    let r = compare(&province, "B", &[stored(whole.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
    // Two places are two quantities.
    let mut other_city = city.clone();
    other_city.place = Some("ottawa".to_string());
    other_city.value = 150_000.0;
    let r = compare(&other_city, "B", &[stored(city.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::New);
    // A later figure the text marks current ("now 17 wounded") is the count of the whole
    // after its first placed figure, not a whole the place is part of; unmarked, it
    // stays apart.
    let mut now = open_claim("households", "without_power", 400_000.0, ClaimKind::Level);
    now.running_total = true;
    let r = compare::compare_at(&now, "B", None, &[stored(city.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::Updates);
    now.running_total = false;
    let r = compare::compare_at(&now, "B", None, &[stored(city, "A")]);
    assert_eq!(r.status, ClaimStatus::New);
}

#[test]
fn the_place_of_a_figure_is_read_from_its_clause() {
    let place = |text: &str, lang: &str| -> Vec<Option<String>> {
        let matches = entity_matches(text, &["Hydro-Québec", "Ostrava", "Poland"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.place)
            .collect()
    };
    assert_eq!(
        place(
            "In Montreal alone, Hydro-Québec counted 310,000 customers without power.",
            "en"
        ),
        vec![Some("montreal".to_string())]
    );
    assert_eq!(
        place(
            "Dans l'Artibonite, on recense 190 cas suspects à Ostrava.",
            "fr"
        ),
        vec![Some("artibonite".to_string())]
    );
    // The watch entity the story names most is what it is about, not a part of it; a
    // day is no place.
    assert_eq!(
        place(
            "In Poland, 12,000 soldiers were deployed on Monday in March.",
            "en"
        ),
        vec![None]
    );
    // Another watch entity is a place, by its id: the same in every language.
    let text = "Greece counts 14 dead. In Greece the toll is 14; in Bulgaria 5 people died.";
    let matches = entity_matches(text, &["Greece", "Bulgaria"]);
    let places: Vec<(f64, Option<String>)> = extract_claims(text, &matches, Some("en"), None)
        .into_iter()
        .map(|c| (c.value, c.place))
        .collect();
    assert!(
        places.contains(&(5.0, Some("@bulgaria".to_string()))),
        "{places:?}"
    );
    assert!(places.contains(&(14.0, None)), "{places:?}");
    let text = "La Grèce compte 14 morts. En Bulgarie, 5 personnes sont mortes.";
    let matches = entity_matches(text, &["Grèce=greece", "Bulgarie=bulgaria"]);
    let places: Vec<Option<String>> = extract_claims(text, &matches, Some("fr"), None)
        .into_iter()
        .filter(|c| c.value == 5.0)
        .map(|c| c.place)
        .collect();
    assert_eq!(places, vec![Some("@bulgaria".to_string())]);
    assert_eq!(
        place("В Чехии эвакуированы более 3 тыс. жителей Ostrava.", "ru"),
        vec![Some("чехии".to_string())]
    );
}

#[test]
fn speakers_closing_a_sentence_and_long_subjects_reaching_a_figure_are_read() {
    let read = |t: &str| -> Vec<(f64, String, String, Option<String>)> {
        let m = entity_matches(t, &["Valmont"]);
        extract_claims(t, &m, Some("en"), None)
            .into_iter()
            .map(|c| (c.value, c.role, c.measure, c.attributed_to))
            .collect()
    };
    let killed = |v: f64, by: Option<&str>| {
        vec![(
            v,
            "people".to_string(),
            "killed".to_string(),
            by.map(str::to_string),
        )]
    };
    assert_eq!(
        read("The death toll from the Valmont floods has risen to 19, the regional governor said."),
        killed(19.0, Some("regional governor"))
    );
    assert_eq!(
        read("Flooding in Valmont has killed 12 people, police said on Monday."),
        killed(12.0, Some("police"))
    );
    assert_eq!(
        read("In Valmont, 40 people died, Ukraine's military intelligence said in a statement."),
        killed(40.0, Some("Ukraine's military intelligence"))
    );
    assert_eq!(
        read("In Valmont, aid groups put the toll at nearly 200.")
            .into_iter()
            .map(|c| c.3)
            .collect::<Vec<_>>(),
        vec![Some("aid groups".to_string())]
    );
    // A clause after the verb: the speaker is still the subject of "said".
    assert_eq!(
        read("In Valmont, 40 people died, the mayor said, adding that more were missing."),
        killed(40.0, Some("mayor"))
    );
}

#[test]
fn a_figure_as_of_an_hour_is_the_current_one() {
    let current = |text: &str, lang: &str| -> Vec<bool> {
        let matches = entity_matches(text, &["Belmoria"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.running_total)
            .collect()
    };
    assert_eq!(
        current("Явка в Belmoria к 15:00 составила 36,5% избирателей.", "ru"),
        vec![true]
    );
    assert_eq!(
        current(
            "À 10 heures, 11,8 % des électeurs avaient voté en Belmoria.",
            "fr"
        ),
        vec![true]
    );
    // The hour of an event is not the date of a count.
    assert_eq!(
        current(
            "The quake struck Belmoria at 3 a.m., killing 12 people.",
            "en"
        ),
        vec![false]
    );
}

#[test]
fn a_current_count_within_an_earlier_bound_or_approximation_is_its_update() {
    // "At least 45 killed", then "now 72"; "about 3,000 evacuated", then "has reached
    // 3,400".
    for (measure, earlier, approx, later) in [
        ("killed", 45.0, Approx::AtLeast, 72.0),
        ("evacuated", 3000.0, Approx::About, 3400.0),
    ] {
        let mut first = open_claim("people", measure, earlier, ClaimKind::RunningTotal);
        first.approx = approx;
        let mut now = open_claim("people", measure, later, ClaimKind::RunningTotal);
        now.running_total = true;
        let r = compare(&now, "B", &[stored(first.clone(), "A")]);
        assert_eq!(r.status, ClaimStatus::Updates, "{measure}");
        // Not marked current: consistent with the earlier figure and near it, so it
        // corroborates; far inside a bound ("at least 45", then 72), it is neither that
        // figure nor a conflict with it.
        now.running_total = false;
        let r = compare(&now, "B", &[stored(first.clone(), "A")]);
        let far = approx == Approx::AtLeast;
        let want = if far {
            ClaimStatus::New
        } else {
            ClaimStatus::Corroborates
        };
        assert_eq!(r.status, want, "{measure}");
        if far {
            let mut near = now.clone();
            near.value = 50.0;
            let r = compare(&near, "B", &[stored(first.clone(), "A")]);
            assert_eq!(r.status, ClaimStatus::Corroborates, "{measure}");
        }
        // The same figure said again is that figure, current or not.
        let mut again = first.clone();
        again.running_total = true;
        again.quote = format!("{earlier} have now been counted");
        let r = compare(&again, "B", &[stored(first, "A")]);
        assert_eq!(r.status, ClaimStatus::Corroborates, "{measure}");
    }
}

#[test]
fn a_verb_past_a_comma_belongs_to_the_next_figure() {
    let t = "В Кории ранены более 400 человек, разрушено около 1200 зданий.";
    let got: Vec<(f64, String)> =
        extract_claims(t, &entity_matches(t, &["Кории"]), Some("ru"), None)
            .into_iter()
            .map(|c| (c.value, c.measure))
            .collect();
    assert_eq!(
        got,
        vec![
            (400.0, "wounded".to_string()),
            (1200.0, "destroyed".to_string())
        ]
    );
}

#[test]
fn an_area_with_and_without_what_it_is_of_is_one_quantity() {
    let mut fields = open_claim("ru:пол", "flooded", 25_000.0, ClaimKind::RunningTotal);
    fields.unit = "hectares".to_string();
    let mut bare = open_claim("", "flooded", 40_000.0, ClaimKind::RunningTotal);
    bare.unit = "hectares".to_string();
    assert_eq!(
        super::neighbour_keys(&bare, &[fields.key()]),
        vec![fields.key()]
    );
    // Two things stored for the area: the bare figure could be either.
    let mut forest = fields.clone();
    forest.role = "fr:forêt".to_string();
    assert!(super::neighbour_keys(&bare, &[fields.key(), forest.key()]).is_empty());
    // A forecast can corroborate a total of the same thing and predicate.
    let mut planned = open_claim("doses", "delivered", 300_000.0, ClaimKind::Forecast);
    planned.unit = "doses".to_string();
    let delivered = open_claim("doses", "delivered", 300_000.0, ClaimKind::RunningTotal);
    assert_eq!(
        super::agreement_keys(&planned, &[delivered.key()]),
        vec![delivered.key()]
    );
}

#[test]
fn killed_or_wounded_together_are_casualties() {
    for (t, lang) in [
        ("The agency now estimates about 6,000 North Korean troops killed or wounded in Kursk.", "en"),
        ("Selon Kyiv, 6 000 soldats nord-coréens ont été tués ou blessés dans la région de Koursk.", "fr"),
    ] {
        let m = entity_matches(t, &["Kursk=kursk", "Koursk=kursk"]);
        let got: Vec<(f64, String)> = extract_claims(t, &m, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.measure))
            .collect();
        assert_eq!(got, vec![(6000.0, "casualties".to_string())], "{t}");
    }
}

#[test]
fn a_predicate_after_another_figure_is_that_figures_and_a_reached_figure_is_its_subjects() {
    let read = |t: &str, lang: &str| -> Vec<(f64, String, String)> {
        let m = entity_matches(t, &["Marana", "Маране"]);
        extract_claims(t, &m, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.role, c.measure))
            .collect()
    };
    assert_eq!(
        read(
            "Officials in Marana have confirmed 120 cholera cases and 4 deaths.",
            "en"
        ),
        vec![
            (120.0, "cases".to_string(), String::new()),
            (4.0, "people".to_string(), "killed".to_string())
        ]
    );
    let ru = read(
        "Число заболевших холерой в Маране выросло до 260, умерли семь человек.",
        "ru",
    );
    assert_eq!(ru[0].0, 260.0);
    assert_eq!(ru[0].2, "infected");
}

#[test]
fn a_rival_bound_is_not_a_corroboration_of_another_bound() {
    let mut first = open_claim("people", "killed", 45.0, ClaimKind::RunningTotal);
    first.approx = Approx::AtLeast;
    let mut rival = open_claim("people", "killed", 120.0, ClaimKind::RunningTotal);
    rival.approx = Approx::Over;
    assert_eq!(
        compare(&rival, "B", &[stored(first.clone(), "A")]).status,
        ClaimStatus::Contradicts
    );
    // The same bound again from another outlet corroborates it.
    let mut again = first.clone();
    again.quote = "at least 45 died, officials said".to_string();
    assert_eq!(
        compare(&again, "B", &[stored(first, "A")]).status,
        ClaimStatus::Corroborates
    );
    // "dépasse 120" is over 120.
    let t = "Selon la Croix-Rouge, le nombre de morts à Koria dépasse 120.";
    let got = extract_claims(t, &entity_matches(t, &["Koria"]), Some("fr"), None);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].value, got[0].approx), (120.0, Approx::Over));
}

#[test]
fn a_part_of_a_whole_counts_the_wholes_noun_and_the_whole_is_no_claim() {
    for (t, lang) in [
        ("In Ruritania the ruling party won 120 of 300 seats.", "en"),
        (
            "В Руритании правящая партия получила 120 мест из 300.",
            "ru",
        ),
    ] {
        let got: Vec<(f64, String)> = extract_claims(
            t,
            &entity_matches(t, &["Ruritania", "Руритании"]),
            Some(lang),
            None,
        )
        .into_iter()
        .map(|c| (c.value, c.unit))
        .collect();
        assert_eq!(got, vec![(120.0, "seats".to_string())], "{t}");
    }
}

#[test]
fn bringing_the_toll_to_a_figure_marks_it_current() {
    let t =
        "Another 12 bodies were recovered in Valmont on Tuesday, bringing the death toll to 42.";
    let got: Vec<(f64, bool, bool)> =
        extract_claims(t, &entity_matches(t, &["Valmont"]), Some("en"), None)
            .into_iter()
            .map(|c| (c.value, c.increment, c.running_total))
            .collect();
    assert_eq!(got, vec![(12.0, true, true), (42.0, false, true)]);
}

#[test]
fn the_first_reader_knows_the_lexicons_current_words_and_its_lead_ins() {
    let t = "Les pertes nord-coréennes dans la région de Koursk atteignent désormais 4 000 hommes tués ou blessés, selon Séoul.";
    let got = extract_claims(t, &entity_matches(t, &["Koursk=kursk"]), Some("fr"), None);
    assert_eq!(got.len(), 1);
    assert!(got[0].running_total, "désormais marks the figure current");
    let t = "По оценке Пентагона, потери северокорейских войск в Курской области составили около 1 200 человек убитыми.";
    let got = extract_claims(
        t,
        &entity_matches(t, &["Курской области=kursk"]),
        Some("ru"),
        None,
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].attributed_to.as_deref(), Some("Пентагона"));
}

#[test]
fn a_model_number_is_no_figure() {
    for (t, lang) in [
        (
            "Two Il-76 planes landed in Koria with 40 tonnes of aid.",
            "en",
        ),
        (
            "Pyongyang shipped KN-23 missiles to Russia, Koria said.",
            "en",
        ),
        ("Два самолёта Ил-76 доставили в Корию 40 тонн помощи.", "ru"),
        // A name of any length with its number.
        (
            "Koria a reçu des Shahed-136 iraniens, selon les experts.",
            "fr",
        ),
    ] {
        let m = entity_matches(t, &["Koria", "Корию"]);
        let values: Vec<f64> = extract_claims(t, &m, Some(lang), None)
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert!(
            !values.contains(&76.0) && !values.contains(&23.0) && !values.contains(&136.0),
            "{t}: {values:?}"
        );
    }
}

#[test]
fn a_share_is_of_what_reached_it() {
    let read = |t: &str, lang: &str| -> Vec<(f64, String)> {
        extract_claims(
            t,
            &entity_matches(t, &["Borduria", "Bordurie", "Бордурии"]),
            Some(lang),
            None,
        )
        .into_iter()
        .map(|c| (c.value, c.role))
        .collect()
    };
    assert_eq!(
        read(
            "Inflation in Borduria rose to 8.2% in March, while unemployment stood at 6.1%.",
            "en"
        ),
        vec![
            (8.2, "inflation".to_string()),
            (6.1, "unemployment".to_string())
        ]
    );
    assert_eq!(
        read("En Bordurie, le chômage reste stable à 6,1 %.", "fr"),
        vec![(6.1, "unemployment".to_string())]
    );
    assert_eq!(
        read("Инфляция в Бордурии в апреле замедлилась до 7,4%.", "ru"),
        vec![(7.4, "inflation".to_string())]
    );
    // A noun the lexicon does not know leaves the share a share of nothing.
    assert_eq!(
        read(
            "In Borduria the ruling party's vote share fell to 31%.",
            "en"
        ),
        vec![(31.0, String::new())]
    );
}

#[test]
fn a_figure_marked_current_is_the_later_value_of_a_share_an_amount_or_a_count() {
    // A share of nothing named ("inflation … a grimpé à 87 %" after 45 %): the story's
    // share again, later.
    let mut old = open_claim("", "", 25.0, ClaimKind::RunningTotal);
    old.unit = "percent".to_string();
    let mut now = open_claim("", "", 50.0, ClaimKind::RunningTotal);
    now.unit = "percent".to_string();
    now.running_total = true;
    now.quote = "now 50%".to_string();
    assert_eq!(
        compare(&now, "B", &[stored(old.clone(), "A")]).status,
        ClaimStatus::Updates
    );
    // Not marked current, a different share says nothing of the first.
    let mut other = now.clone();
    other.running_total = false;
    assert_eq!(
        compare(&other, "B", &[stored(old.clone(), "A")]).status,
        ClaimStatus::New
    );
    // An amount of money marked current is the later value of the amount before it
    // ("has raised its aid to €8 million" after "€3 million").
    let mut aid = open_claim("", "", 3_000_000.0, ClaimKind::RunningTotal);
    aid.unit = "eur".to_string();
    let mut raised = aid.clone();
    raised.value = 8_000_000.0;
    raised.running_total = true;
    raised.quote = "has raised its aid to €8 million".to_string();
    assert_eq!(
        compare(&raised, "B", &[stored(aid, "A")]).status,
        ClaimStatus::Updates
    );
    // A count of a precise thing marked current is its later value.
    let mut ships = open_claim("ships", "", 17.0, ClaimKind::RunningTotal);
    ships.unit = "ships".to_string();
    let mut more = ships.clone();
    more.value = 44.0;
    more.running_total = true;
    more.quote = "now 44 ships".to_string();
    assert_eq!(
        compare(&more, "B", &[stored(ships, "A")]).status,
        ClaimStatus::Updates
    );
}

#[test]
fn a_figure_called_a_part_is_kept_from_the_whole() {
    let place = |text: &str, lang: &str| -> Vec<Option<String>> {
        let matches = entity_matches(text, &["Hydro-Québec", "Havre", "Montreal"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.place)
            .collect()
    };
    let part = Some(super::PART_OF_WHOLE.to_string());
    assert_eq!(
        place(
            "In Montreal alone, Hydro-Québec counted 310,000 customers without power.",
            "en"
        ),
        vec![part.clone()]
    );
    assert_eq!(
        place(
            "La CGT revendique 3 000 grévistes sur le seul port du Havre.",
            "fr"
        ),
        vec![part.clone()]
    );
    // "Of them" makes a part only next to the figure; "most of them" says nothing.
    assert_eq!(
        place(
            "Hydro-Québec counted 40,000 customers without power, most of them in rural areas.",
            "en"
        ),
        vec![None]
    );
    // A part of another quantity is the whole of its own: "including 600 deaths" after
    // 4,700 casualties; after 3,200 workers, "among them 650" is a part.
    assert_eq!(
        place(
            "Hydro-Québec put casualties at 4,700, including 600 deaths.",
            "en"
        ),
        vec![None, None]
    );
    assert_eq!(
        place(
            "Hydro-Québec had 3,200 linemen in the field, among them 650 linemen from Maine.",
            "en"
        ),
        vec![None, Some(super::PART_OF_WHOLE.to_string())]
    );
    // A new part is not set against the whole; a stored part stays comparable with a
    // later figure that names no place (it may name the part by a watch entity).
    let whole = open_claim("households", "without_power", 1_050_000.0, ClaimKind::Level);
    let mut city = open_claim("households", "without_power", 310_000.0, ClaimKind::Level);
    city.place = part;
    let r = compare(&city, "B", &[stored(whole, "A")]);
    assert_eq!(r.status, ClaimStatus::New);
    let later = open_claim("households", "without_power", 400_000.0, ClaimKind::Level);
    let r = compare(&later, "B", &[stored(city, "A")]);
    assert_eq!(r.status, ClaimStatus::Contradicts);
}

#[test]
fn suspected_registered_and_infected_cases_are_one_count() {
    let measure = |text: &str, lang: &str| -> Vec<String> {
        let matches = entity_matches(text, &["Haiti", "Гаити"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.measure)
            .collect()
    };
    let infected = vec!["infected".to_string()];
    assert_eq!(measure("Haiti has 214 suspected cases.", "en"), infected);
    assert_eq!(
        measure("В Гаити зарегистрировано 200 случаев холеры.", "ru"),
        infected
    );
    // Registered voters are no cases.
    assert_ne!(
        measure("Haiti has 3,100,000 registered voters.", "en"),
        infected
    );
}

#[test]
fn a_market_figure_is_no_claim_of_the_story() {
    let values = |text: &str, lang: &str| -> Vec<f64> {
        let matches = entity_matches(text, &["Haiti", "Prague", "CAC"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.value)
            .collect()
    };
    assert!(values(
        "Shares in the Prague utility fell 2.1% in Prague trading.",
        "en"
    )
    .is_empty());
    assert!(values(
        "Курс евро на Московской бирже составил 98,4 рубля, CAC.",
        "ru"
    )
    .is_empty());
    // A figure of the event itself is read.
    assert_eq!(
        values("The flood in Prague left 1,200 homes damaged.", "en"),
        vec![1200.0]
    );
}

#[test]
fn a_time_of_day_or_a_temperature_is_no_figure() {
    let values = |text: &str, lang: &str| -> Vec<f64> {
        let matches = entity_matches(text, &["Hydro-Québec", "ministre"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.value)
            .collect()
    };
    assert_eq!(
        values(
            "Hydro-Québec counted 310,000 customers in the dark at 8 a.m.",
            "en"
        ),
        vec![310_000.0]
    );
    assert_eq!(
        values(
            "Freezing rain had cut power to some 420,000 Hydro-Québec customers by 6 p.m.",
            "en"
        ),
        vec![420_000.0]
    );
    assert_eq!(
        values(
            "Environ 12 000 personnes se retrouvent sans abri, a indiqué le ministre, \
             qui a évoqué des températures de -4 °C la nuit.",
            "fr"
        ),
        vec![12_000.0]
    );
}

#[test]
fn a_second_statement_past_a_semicolon_counts_the_same_quantity() {
    let keys = |text: &str, lang: &str| -> Vec<String> {
        let matches = entity_matches(text, &["Kessin", "HAROPA"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.measure)
            .collect()
    };
    assert_eq!(
        keys(
            "About 6,000 people marched through Kessin on Sunday, police said; organisers put the crowd at 20,000.",
            "en"
        ),
        vec!["protested".to_string(), "protested".to_string()]
    );
}

/// Police against unions: a bare figure with its own source after it, or ending the
/// sentence, counts what the figure before it counted, and is that source's.
#[test]
fn a_rival_figure_standing_alone_counts_the_same_quantity_and_has_its_own_source() {
    let read = |text: &str| -> Vec<(String, Option<String>)> {
        let matches = entity_matches(text, &["Nantes", "Paris"]);
        extract_claims(text, &matches, Some("fr"), None)
            .into_iter()
            .map(|c| (c.measure, c.attributed_to))
            .collect()
    };
    assert_eq!(
        read("À Nantes, 12 000 manifestants selon la préfecture, 40 000 selon les syndicats."),
        vec![
            ("protested".to_string(), Some("préfecture".to_string())),
            ("protested".to_string(), Some("syndicats".to_string())),
        ]
    );
    let both = read("À Paris, la préfecture compte 62 000 manifestants, la CGT 350 000");
    assert_eq!(both.len(), 2);
    assert_eq!(both[1].0, "protested");
}

/// A crowd is counted in people ("police put the crowd at 4,000"), and a rival's figure
/// gapped at the end of the sentence is that rival's ("…, organisers at 15,000", "…; the
/// Red Cross, 450").
#[test]
fn a_crowd_counts_people_and_a_gapped_rival_speaks_for_its_figure() {
    let read = |text: &str| -> Vec<(f64, String, Option<String>)> {
        let matches = entity_matches(text, &["Kestrel"]);
        extract_claims(text, &matches, Some("en"), None)
            .into_iter()
            .map(|c| (c.value, c.unit, c.attributed_to))
            .collect()
    };
    assert_eq!(
        read("Police in Kestrel put the crowd at 4,000, organisers at 15,000."),
        vec![
            (4000.0, "people".to_string(), Some("Police".to_string())),
            (
                15000.0,
                "people".to_string(),
                Some("organisers".to_string())
            ),
        ]
    );
    let dead = read("The Kestrel ministry counted 300 dead; the Red Cross, 450.");
    assert_eq!(dead.len(), 2);
    assert_eq!(dead[1].2.as_deref(), Some("Red Cross"));
}

/// A level the clause's subject fell or rose to counts that subject ("the region's
/// population fell to 309,000", "est tombée à"); a place opening the clause is no subject.
#[test]
fn a_subject_that_changed_to_a_figure_is_what_it_counts() {
    let things = |text: &str, lang: &str| -> Vec<(f64, String)> {
        let matches = entity_matches(text, &["Kestrel"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.role))
            .collect()
    };
    assert_eq!(
        things(
            "The Kestrel region's population fell to 309,000 in the final count.",
            "en"
        ),
        vec![(309_000.0, "people".to_string())]
    );
    assert_eq!(
        things("La population de Kestrel est tombée à 309 000.", "fr"),
        vec![(309_000.0, "people".to_string())]
    );
    assert!(!things(
        "At Kestrel University Hospital the trolley count has climbed to 127.",
        "en"
    )
    .iter()
    .any(|(_, t)| t == "hospitals"));
}

/// A cubic metre is a thousand litres: never one unit with them, "m³" included.
#[test]
fn cubic_metres_are_their_own_unit() {
    let units = |text: &str, lang: &str| -> Vec<String> {
        let matches = entity_matches(text, &["Arvène", "Arvèna"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.unit)
            .collect()
    };
    assert_eq!(
        units("Le lac d'Arvène contient 800 000 m³ d'eau.", "fr"),
        vec!["cubic_metres"]
    );
    assert_eq!(
        units(
            "The Arvène lake now holds 1.2 million cubic metres of water.",
            "en"
        ),
        vec!["cubic_metres"]
    );
    assert_eq!(
        units("The Arvène tanks hold 3,000 litres of fuel.", "en"),
        vec!["litres"]
    );
}

/// A duration is a claim when it is the quantity measured (a wait, a prison term, a
/// reserve in days of use), in its unit of time; a time span, a time ago and a penalty the
/// law allows are not.
#[test]
fn a_measured_duration_is_a_claim_in_its_unit_of_time() {
    let units = |text: &str, lang: &str| -> Vec<(f64, String)> {
        let matches = entity_matches(text, &["Kestrel", "Кестреле"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.unit))
            .collect()
    };
    assert_eq!(
        units(
            "In Kestrel the median wait for a first appointment is now 41 weeks.",
            "en"
        ),
        vec![(41.0, "weeks".to_string())]
    );
    assert_eq!(
        units(
            "Le parquet de Kestrel a requis six ans de prison ferme.",
            "fr"
        ),
        vec![(6.0, "years".to_string())]
    );
    assert_eq!(
        units("В Кестреле запасов топлива хватит на 66 дней.", "ru"),
        vec![(66.0, "days".to_string())]
    );
    for (text, lang) in [
        ("Kestrel rescuers searched for three days.", "en"),
        (
            "The Kestrel bridge was last inspected four years ago.",
            "en",
        ),
        (
            "Les prévenus de Kestrel encourent jusqu'à sept ans de prison.",
            "fr",
        ),
        (
            "В Кестреле каждому из них грозит до 25 лет заключения.",
            "ru",
        ),
        (
            "Le chantier de Kestrel, suspendu pendant 48 heures, a repris.",
            "fr",
        ),
    ] {
        assert!(units(text, lang).is_empty(), "{text}");
    }
}

#[test]
fn a_total_that_has_passed_a_figure_is_current() {
    let current = |text: &str, lang: &str| -> Vec<bool> {
        let matches = entity_matches(text, &["Ахайе", "Kordofan"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.running_total)
            .collect()
    };
    assert_eq!(
        current("Площадь пожара в Ахайе превысила 10 тыс. гектаров.", "ru"),
        vec![true]
    );
    assert_eq!(
        current("Cholera cases in Kordofan have passed 2,000.", "en"),
        vec![true]
    );
}

#[test]
fn a_current_bound_the_stored_figure_keeps_agrees_with_it() {
    let stored_cases = open_claim("cases", "infected", 214.0, ClaimKind::RunningTotal);
    let mut bound = open_claim("cases", "infected", 200.0, ClaimKind::RunningTotal);
    bound.approx = Approx::Over;
    bound.running_total = true;
    let r = compare(&bound, "B", &[stored(stored_cases.clone(), "A")]);
    assert_eq!(r.status, ClaimStatus::Corroborates);
    // A bound the stored figure is below is its later value.
    bound.value = 1000.0;
    let r = compare(&bound, "B", &[stored(stored_cases, "A")]);
    assert_eq!(r.status, ClaimStatus::Updates);
}

#[test]
fn a_number_word_after_an_elided_de_is_read() {
    let read = |text: &str| -> Vec<(f64, Approx)> {
        let matches = entity_matches(text, &["Montréal"]);
        extract_claims(text, &matches, Some("fr"), None)
            .into_iter()
            .map(|c| (c.value, c.approx))
            .collect()
    };
    assert_eq!(
        read("Près d'un million de foyers étaient privés d'électricité à Montréal."),
        vec![(1_000_000.0, Approx::About)]
    );
    assert_eq!(
        read("Plus d'un million de foyers étaient privés d'électricité à Montréal."),
        vec![(1_000_000.0, Approx::Over)]
    );
    // "d'un" alone is "of a".
    assert!(read("Le courant d'un million de foyers a été coupé à Montréal, selon le directeur d'un quartier.")
        .iter()
        .all(|(v, _)| *v > 1.0));
}

#[test]
fn a_bare_figure_called_the_figure_counts_what_the_story_counted_last() {
    let read = |text: &str, lang: &str| -> Vec<(f64, String, Option<String>)> {
        extract_claims(
            text,
            &entity_matches(text, &["Kellport", "Келлпорт"]),
            Some(lang),
            None,
        )
        .into_iter()
        .map(|c| (c.value, c.key(), c.attributed_to))
        .collect()
    };
    for (text, lang) in [
        (
            "In Kellport 30 people were killed, the union said. The ministry put the toll at 26.",
            "en",
        ),
        (
            "В Келлпорте погибли 30 человек, сообщили в профсоюзе. Власти называют цифру 26.",
            "ru",
        ),
    ] {
        let got = read(text, lang);
        assert_eq!(got.len(), 2, "{text}: {got:?}");
        assert_eq!(got[1].0, 26.0, "{text}");
        assert_eq!(got[0].1, got[1].1, "{text}");
    }
    // Not the speaker of the figure before: the sentence's own, or none.
    let got = read(
        "В Келлпорте погибли 30 человек, сообщило МЧС. Власти называют цифру 26.",
        "ru",
    );
    assert_eq!(got[1].2.as_deref(), Some("Власти"));
    // Without a word that names a figure, a bare number says nothing.
    assert_eq!(
        read(
            "In Kellport 30 people were killed, the union said. It was 26.",
            "en"
        )
        .len(),
        1
    );
}

#[test]
fn a_figure_denied_for_another_is_that_others_figure_of_the_same_quantity() {
    let read = |text: &str, lang: &str| -> Vec<(f64, String, bool)> {
        let matches = entity_matches(text, &["Koursk", "Брюссел", "Kellport"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.key(), c.running_total))
            .collect()
    };
    for (text, lang, (said, other)) in [
        (
            "Pyongyang a envoyé à Koursk 2 000 démineurs, et non 1 500 comme l'affirme la Russie.",
            "fr",
            (2000.0, 1500.0),
        ),
        (
            "Пошлины затронут товары на сумму около 24 млрд евро, а не 21 млрд, как заявляют в Брюсселе.",
            "ru",
            (24e9, 21e9),
        ),
        (
            "Kellport has now cancelled 1,400 flights, up from 900 on Monday.",
            "en",
            (1400.0, 900.0),
        ),
        // The sentence's "now" is the first figure's, not the one it is set against.
        (
            "The Kellport fire service now believes 250 people were on site, not the 212 on the company's list.",
            "en",
            (250.0, 212.0),
        ),
        (
            "À Kellport, le train roulait à 85 km/h, et non à 70 km/h comme l'indique le ministère.",
            "fr",
            (85.0, 70.0),
        ),
    ] {
        let got = read(text, lang);
        assert_eq!(got.len(), 2, "{text}: {got:?}");
        assert_eq!((got[0].0, got[1].0), (said, other), "{text}");
        // The same quantity, never the current figure.
        assert_eq!(got[0].1, got[1].1, "{text}");
        assert!(!got[1].2, "{text}");
    }
    // The yardstick's own speaker is its figure's, not the sentence's: after "selon",
    // after "comme" / "как" (the verb of saying before the name), or passive ("announced
    // by Moscow", "avancés par le ministère", ending before its time).
    for (text, lang, speaker) in [
        (
            "Kellport a fermé 280 stations, contre 650 selon les pompiers.",
            "fr",
            "pompiers",
        ),
        (
            "Kellport a fermé 280 stations, et non 120 comme l'affirme la ministre.",
            "fr",
            "ministre",
        ),
        (
            "В Kellport закрыты 87 заправок, а не 110, как утверждает региональное правительство.",
            "ru",
            "региональное правительство",
        ),
        (
            "Kellport has sent 2,000 sappers, double the 1,000 announced by Moscow in June.",
            "en",
            "Moscow",
        ),
        (
            "Kellport compte 9 000 grévistes, contre 7 500 avancés par le ministère de l'Intérieur lundi.",
            "fr",
            "ministère de l'Intérieur",
        ),
    ] {
        let who: Vec<Option<String>> =
            extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None)
                .into_iter()
                .map(|c| c.attributed_to)
                .collect();
        assert_eq!(who, vec![None, Some(speaker.to_string())], "{text}");
    }
    // Set against another speaker's figure, the first figure is a rival count; set
    // against an earlier one of nobody in particular, it is not.
    let rival = |text: &str| -> Vec<bool> {
        extract_claims(text, &entity_matches(text, &["Kellport"]), Some("fr"), None)
            .into_iter()
            .map(|c| c.rival)
            .collect()
    };
    assert_eq!(
        rival("Kellport a fermé 280 stations, et non 120 comme l'affirme la ministre."),
        vec![true, false]
    );
    assert_eq!(
        rival("Kellport a fermé 280 stations, contre 120 mardi."),
        vec![false, false]
    );
    // A yardstick of another unit than the figure before it is not read as that quantity.
    let got = read(
        "In Kellport 40% of flights were cancelled, up from €3 million.",
        "en",
    );
    assert!(got.iter().all(|(v, _, _)| *v != 3e6), "{got:?}");
}

#[test]
fn every_form_of_exceeding_makes_a_lower_bound() {
    let approx = |text: &str, lang: &str| -> Vec<Approx> {
        let matches = entity_matches(text, &["Ахайе", "Koursk"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| c.approx)
            .collect()
    };
    assert_eq!(
        approx("Площадь пожара в Ахайе превысила 10 тыс. гектаров.", "ru"),
        vec![Approx::Over]
    );
    assert_eq!(
        approx(
            "Le nombre de blessés à Koursk dépasserait 2 500 soldats.",
            "fr"
        ),
        vec![Approx::Over]
    );
}

#[test]
fn more_after_a_figure_of_another_quantity_is_a_second_count() {
    let kinds = |text: &str, lang: &str| -> Vec<(f64, ClaimKind)> {
        let matches = entity_matches(text, &["Kessin", "Эль-Обейд"]);
        extract_claims(text, &matches, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.kind))
            .collect()
    };
    assert_eq!(
        kinds(
            "В Эль-Обейд погибли 9 человек, ещё 23 получили ранения.",
            "ru"
        ),
        vec![
            (9.0, ClaimKind::RunningTotal),
            (23.0, ClaimKind::RunningTotal)
        ]
    );
    // More of the same quantity is an increment.
    assert_eq!(
        kinds(
            "In Kessin 9 people were killed, and 4 more were killed later.",
            "en"
        )
        .last()
        .map(|k| k.1),
        Some(ClaimKind::Increment)
    );
}

/// A figure told as background after a year long past ("the 2010 epidemic, which killed
/// nearly 10,000") is no claim of the story; a count since a year is, and so is a figure
/// before a year it is set against.
#[test]
fn a_figure_from_years_ago_is_background() {
    let published = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).single();
    for (text, lang, background, kept) in [
        (
            "Cholera has killed 97 people in Haiti. The outbreak is far smaller than the 2010 epidemic, which killed nearly 10,000 people.",
            "en",
            10000.0,
            97.0,
        ),
        (
            "В Гаити от холеры умерли 97 человек. Для сравнения, в 2010 году холерой заболели более 800 тыс. человек.",
            "ru",
            800000.0,
            97.0,
        ),
        (
            "En Haïti, le choléra a tué 97 personnes. La tempête de 1998 avait fait 600 morts.",
            "fr",
            600.0,
            97.0,
        ),
        (
            "Haiti has recorded 4,350 cholera cases since 2022, the ministry said; the 2010 epidemic is a distant memory.",
            "en",
            -1.0,
            4350.0,
        ),
    ] {
        let ents = ["Haiti", "Гаити", "Haïti"];
        let values = values_read(text, &ents, lang, published);
        assert!(!values.contains(&background), "{text}: {values:?}");
        assert!(values.contains(&kept), "{text}: {values:?}");
        // Without a publication date nothing is dropped as background.
        if background > 0.0 {
            let undated = values_read(text, &ents, lang, None);
            assert!(undated.contains(&background), "{text}: {undated:?}");
        }
    }
}

/// The speaker's nationality ("selon le renseignement militaire ukrainien") is not the
/// counted group's: 2,000 deminers reported by Ukrainian intelligence are not Ukrainian.
#[test]
fn a_speakers_nationality_is_not_the_counted_groups() {
    let text = "Koursk : des démineurs nord-coréens sont arrivés dans la région. Selon le renseignement militaire ukrainien, 2 000 démineurs sont arrivés à Koursk.";
    let matches = entity_matches(text, &["Koursk=kursk"]);
    let claims = extract_claims(text, &matches, Some("fr"), None);
    let c = claims.iter().find(|c| c.value == 2000.0);
    assert!(
        c.is_some_and(|c| !c.subject.starts_with("ukraine")),
        "{claims:?}"
    );
}

/// A nationality is a word, not letters inside another ("Brussels" is not "russe").
#[test]
fn a_nationality_is_read_from_words_not_letters() {
    assert_eq!(measures::nationality("the brussels summit agreed"), None);
    assert_eq!(
        measures::nationality("l'armée russe a déclaré"),
        Some("russia")
    );
    assert_eq!(measures::nationality("российские военные"), Some("russia"));
}

/// "140 of its 580 departures": the part counts the noun after the whole, the whole too.
#[test]
fn a_part_of_a_possessed_whole_counts_its_noun() {
    let text = "Brussels Airport said 140 of its 580 scheduled flights had been cancelled.";
    let matches = entity_matches(text, &["Brussels"]);
    let claims = extract_claims(text, &matches, Some("en"), None);
    let part = claims.iter().find(|c| c.value == 140.0);
    assert!(
        part.is_some_and(|c| c.role == "flights" && c.measure == "cancelled"),
        "{claims:?}"
    );
}

/// Two figures of one key more than twenty times apart are two quantities (one airline's
/// losses and the industry's), unless the new one is said to be current (a level that
/// fell as power came back) and says what it counts; rival estimates ten times apart
/// still contradict.
#[test]
fn figures_far_apart_are_two_quantities() {
    let mut industry = stored(claim("outage", "cost", 250e6, Approx::Exact), "a");
    industry.claim.open = true;
    industry.claim.unit = "eur".into();
    let mut airline = claim("outage", "cost", 9e6, Approx::Exact);
    airline.open = true;
    airline.unit = "eur".into();
    assert_eq!(
        compare(&airline, "b", std::slice::from_ref(&industry)).status,
        ClaimStatus::New
    );
    let mut dark = stored(claim("storm", "without_power", 1e6, Approx::Exact), "a");
    dark.claim.open = true;
    let mut now = claim("storm", "without_power", 35_000.0, Approx::Exact);
    now.open = true;
    now.running_total = true;
    assert_eq!(
        compare(&now, "b", std::slice::from_ref(&dark)).status,
        ClaimStatus::Updates
    );
    // A current figure that says nothing of what it counts ("now €310,000") is not the
    // later value of one twenty times its size.
    let mut bare_old = stored(claim("outage", "", 9e6, Approx::Exact), "a");
    bare_old.claim.open = true;
    bare_old.claim.unit = "eur".into();
    let mut bare_now = claim("outage", "", 310_000.0, Approx::Exact);
    bare_now.open = true;
    bare_now.unit = "eur".into();
    bare_now.running_total = true;
    assert_eq!(
        compare(&bare_now, "b", std::slice::from_ref(&bare_old)).status,
        ClaimStatus::New
    );
    let seoul = stored(
        claim("dprk-troops", "killed", 600.0, Approx::About),
        "seoul",
    );
    let uk = claim("dprk-troops", "killed", 6000.0, Approx::Exact);
    assert_eq!(
        compare(&uk, "uk", &[seoul]).status,
        ClaimStatus::Contradicts
    );
}

/// A clause opening with "из них" / "dont" / "including" makes its figure a part of a
/// whole named before, in an earlier sentence when none comes before it in its own.
#[test]
fn a_part_whose_whole_is_an_earlier_sentences() {
    let text = "В Остраве пострадали 20 тыс. жителей. Из них эвакуированы более 3 тыс. человек, передаёт телевидение.";
    let matches = entity_matches(text, &["Остраве=ostrava"]);
    let claims = extract_claims(text, &matches, Some("ru"), None);
    let part = claims.iter().find(|c| c.value == 3000.0);
    assert_eq!(
        part.and_then(|c| c.place.as_deref()),
        Some(PART_OF_WHOLE),
        "{claims:?}"
    );
    // A group of people after "dont" is a part of the people before it.
    let text = "À Ostrava, 38 personnes ont péri, dont huit employés de sous-traitants.";
    let claims = extract_claims(text, &entity_matches(text, &["Ostrava"]), Some("fr"), None);
    let part = claims.iter().find(|c| c.value == 8.0);
    assert_eq!(
        part.and_then(|c| c.place.as_deref()),
        Some(PART_OF_WHOLE),
        "{claims:?}"
    );
}

/// A watch entity is a figure's place only when the watchlist calls it a place: "at TCG"
/// names a company, "in Osh" a town.
#[test]
fn only_a_place_entity_places_a_figure() {
    let text = "Kazakhstan mine blast: in Kazakhstan, rescuers have now saved 3 miners at TCG.";
    let place_with = |kind: &str| {
        let mut matches = entity_matches(text, &["Kazakhstan", "TCG"]);
        for m in &mut matches {
            if m.entity == "tcg" {
                m.kind = kind.to_string();
            }
        }
        extract_claims(text, &matches, Some("en"), None)
            .into_iter()
            .find(|c| c.value == 3.0)
            .map(|c| c.place)
    };
    assert_eq!(place_with("org"), Some(None));
    assert_eq!(place_with("place"), Some(Some("@tcg".to_string())));
}

/// No claims: a company's workforce ("qui emploie environ 35 000 personnes"), an event
/// told after "since <year>, when" ("since 2023, when a fire at another mine killed 46"),
/// an hour of the Russian morning ("в 6 утра"); the story's own figures in the same
/// sentences stay.
#[test]
fn sizes_past_events_and_hours_are_no_claims() {
    let published = Utc.with_ymd_and_hms(2026, 11, 5, 9, 0, 0).single();
    for (text, lang, gone, kept) in [
        (
            "Temirtau Coal Group, qui emploie environ 35 000 personnes, a vu son action chuter de 9 %.",
            "fr",
            35000.0,
            9.0,
        ),
        (
            "The blast killed 12 miners, the worst toll since 2023, when a fire at another mine killed 46 people.",
            "en",
            46.0,
            12.0,
        ),
        (
            "Обыски начались в 6 утра; задержаны трое сотрудников компании.",
            "ru",
            6.0,
            3.0,
        ),
    ] {
        let ents = ["Temirtau Coal Group=tcg", "miners", "компании"];
        let values = values_read(text, &ents, lang, published);
        assert!(!values.contains(&gone), "{text}: {values:?}");
        assert!(values.contains(&kept), "{text}: {values:?}");
    }
}

/// The values of the claims read in `text`, with `entities` as the watch entities.
fn values_read(
    text: &str,
    entities: &[&str],
    lang: &str,
    published: Option<chrono::DateTime<Utc>>,
) -> Vec<f64> {
    extract_claims(text, &entity_matches(text, entities), Some(lang), published)
        .iter()
        .map(|c| c.value)
        .collect()
}

/// A nationality that qualifies a thing ("a North Korean missile") is not the nationality
/// of the people the sentence counts, nor, in a story about that country, are the dead
/// of such a sentence its people; a sentence that names no nationality at all still
/// counts the story's people.
#[test]
fn the_nationality_of_a_weapon_is_not_its_victims() {
    let story = "North Korea has sent missiles to Russia. Pyongyang denies it. \
                 North Korea's ties with Moscow deepen.\n\n";
    let subjects = |sentence: &str| -> Vec<String> {
        let text = format!("{story}{sentence}");
        extract_claims(
            &text,
            &entity_matches(&text, &["Kharkiv", "Kursk"]),
            Some("en"),
            None,
        )
        .into_iter()
        .map(|c| c.subject)
        .collect()
    };
    for s in [
        "A North Korean missile killed 12 people in Kharkiv on Tuesday.",
        "Officials in Kharkiv said North Korean shells had killed 12.",
    ] {
        let got = subjects(s);
        assert!(
            !got.is_empty() && got.iter().all(|x| x != "dprk-troops"),
            "{s}: {got:?}"
        );
    }
    assert_eq!(
        subjects("About 600 North Korean soldiers were killed near Kursk."),
        ["dprk-troops"]
    );
    assert_eq!(
        subjects("Near Kursk the number of wounded exceeds 2,500, the same source said."),
        ["dprk-troops"]
    );
}

/// "Four of them" is a part of the group before it, as "60 of them" is: it is never
/// compared with the group's total; "13 of them critically" says its own predicate.
#[test]
fn some_of_them_is_a_part_of_the_group_before() {
    for (text, value) in [
        (
            "In Ostrava 31 miners were injured, four of them seriously.",
            4.0,
        ),
        (
            "In Ostrava 310 miners were injured, 60 of them seriously.",
            60.0,
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Ostrava"]), Some("en"), None);
        let part = claims.iter().find(|c| c.value == value);
        assert_eq!(
            part.and_then(|c| c.place.as_deref()),
            Some(PART_OF_WHOLE),
            "{text}: {claims:#?}"
        );
    }
}

/// A noun no lexicon entry knows is compared across languages when it is one borrowed
/// word ("départs" / "departures", "dioxyde" / "диоксид"), never with another word.
#[test]
fn a_borrowed_noun_is_one_thing_in_three_languages() {
    let open = |role: &str, unit: &str| Claim {
        subject: "outage".into(),
        role: role.into(),
        measure: "cancelled".into(),
        unit: unit.into(),
        kind: ClaimKind::RunningTotal,
        open: true,
        ..Claim::default()
    };
    let stored = |c: &Claim| vec![c.key()];
    let fr = open("fr:départ", "départ");
    for (other, same) in [
        (open("en:departur", "departur"), true),
        (open("ru:диоксид", "диоксид"), false),
        (open("en:deport", "deport"), false),
        // One language's two nouns are two things (the stemmer already joined its forms).
        (open("fr:département", "département"), false),
    ] {
        assert_eq!(
            !neighbour_keys(&fr, &stored(&other)).is_empty(),
            same,
            "{} and {}",
            fr.role,
            other.role
        );
    }
    let ru = open("ru:диоксид", "диоксид");
    assert!(!neighbour_keys(&ru, &stored(&open("fr:dioxyd", "dioxyd"))).is_empty());
}

/// Where a figure counts is a place's name after "in"/"at" in its clause, but not a
/// nationality before a plural noun ("at Ukrainian cities") nor where it was said
/// ("заявили в Киеве", "said in Kyiv").
#[test]
fn a_place_is_where_a_figure_counts_not_where_it_was_said() {
    let place = |text: &str, lang: &str| -> Option<String> {
        extract_claims(text, &entity_matches(text, &["Valdoria"]), Some(lang), None)
            .into_iter()
            .find(|c| c.value == 60.0)
            .unwrap_or_else(|| panic!("the 60 in {text}"))
            .place
    };
    assert_eq!(
        place(
            "Valdoria fired 60 missiles at Ukrainian cities on Monday.",
            "en"
        ),
        None
    );
    assert_eq!(
        place("Valdoria fired 60 missiles at Kharkiv on Monday.", "en"),
        Some("kharkiv".to_string())
    );
    assert_eq!(
        place("Valdoria fired 60 missiles in Marsabit county.", "en"),
        Some("marsabit".to_string())
    );
    assert_eq!(
        place(
            "Вальдория выпустила 60 ракет, заявили в Киеве. Valdoria",
            "ru"
        ),
        None
    );
    // Russian "в" with the accusative is where to; with the prepositional, where.
    assert_eq!(
        place("Вальдория отправила 60 ракет в Россию. Valdoria", "ru"),
        None
    );
    assert_eq!(
        place(
            "Вальдория разместила 60 ракет в Курской области. Valdoria",
            "ru"
        ),
        Some("курской".to_string())
    );
    assert_eq!(
        place("Вальдория разместила 60 ракет в Онтарио. Valdoria", "ru"),
        Some("онтарио".to_string())
    );
    // French "à" with an article gives to someone; without one it is a town.
    assert_eq!(place("Valdoria a livré 60 obus à la Russie.", "fr"), None);
    assert_eq!(
        place("Valdoria a tiré 60 obus à Kharkiv.", "fr"),
        Some("kharkiv".to_string())
    );
}

/// A figure followed by a thing the lexicon counts ("50 tanks", "50 самоходных гаубиц")
/// counts that thing, though the sentence names a people's soldiers before it.
#[test]
fn a_counted_thing_after_the_figure_is_not_the_soldiers_named_before_it() {
    for (text, lang) in [
        (
            "Along with its soldiers, North Korea sent 50 tanks to Russia.",
            "en",
        ),
        (
            "Вместе с солдатами КНДР отправила в Россию не менее 50 самоходных гаубиц.",
            "ru",
        ),
        // A unit of measure, and "fois"/"reprises" (times), are no people either.
        (
            "Les pétroliers nord-coréens ont emporté 50 barils de pétrole russe.",
            "fr",
        ),
        (
            "Les pétroliers nord-coréens ont fait escale à 50 reprises en Russie.",
            "fr",
        ),
    ] {
        let matches = entity_matches(
            text,
            &["North Korea=dprk", "КНДР=dprk", "nord-coréens=dprk"],
        );
        let claims = extract_claims(text, &matches, Some(lang), None);
        // Read as some other thing, or not at all: never as soldiers.
        if let Some(fifty) = claims.iter().find(|c| close(c.value, 50.0)) {
            assert_ne!(fifty.unit, "people", "{text}: {fifty:#?}");
            assert!(!fifty.subject.ends_with("-troops"), "{text}: {fifty:#?}");
        }
    }
    // The soldiers themselves are still the group's.
    let text = "North Korea sent 3,000 more soldiers to Russia.";
    let matches = entity_matches(text, &["North Korea=dprk"]);
    let claims = extract_claims(text, &matches, Some("en"), None);
    assert!(
        claims
            .iter()
            .any(|c| close(c.value, 3000.0) && c.subject == "dprk-troops"),
        "{claims:#?}"
    );
}

/// "Between 2,000 and 3,000 of them": a part of what the sentence before counted, kept
/// apart from that whole; an amount of money before it is no group to be part of.
#[test]
fn some_of_them_after_a_sentence_is_a_part_of_its_count() {
    let text = "About 10,000 North Korean soldiers are now in Russia, the Pentagon said. \
                Between 2,000 and 3,000 of them have moved to the Kursk region.";
    let claims = extract_claims(
        text,
        &entity_matches(text, &["Russia", "Kursk"]),
        Some("en"),
        None,
    );
    let part = claims
        .iter()
        .find(|c| close(c.value, 2000.0))
        .unwrap_or_else(|| panic!("no 2,000 in {claims:#?}"));
    assert_eq!(part.value_max, Some(3000.0));
    assert_eq!(part.unit, "people");
    assert_eq!(part.place.as_deref(), Some(PART_OF_WHOLE));
    let text = "The fund has paid out $3 million. Four of them were found guilty.";
    let claims = extract_claims(text, &entity_matches(text, &["fund"]), Some("en"), None);
    assert!(
        claims
            .iter()
            .all(|c| !close(c.value, 4.0) || c.unit != "usd"),
        "{claims:#?}"
    );
}

/// Two additions ("another 2,500 bottles seized" after "7,000 more") are two steps, not a
/// later value of one; the same addition from another outlet still agrees.
#[test]
fn an_addition_is_no_later_value_of_another() {
    let mut earlier = open_claim("bottles", "seized", 7_000.0, ClaimKind::Increment);
    earlier.increment = true;
    let mut more = open_claim("bottles", "seized", 2_500.0, ClaimKind::Increment);
    more.increment = true;
    more.running_total = true;
    let r = compare::compare_at(&more, "b", None, &[stored(earlier.clone(), "a")]);
    assert_eq!(r.status, ClaimStatus::New);
    let mut again = earlier.clone();
    again.quote = "7,000 more bottles were seized".to_string();
    let r = compare::compare_at(&again, "b", None, &[stored(earlier, "a")]);
    assert_eq!(r.status, ClaimStatus::Corroborates);
}

/// A predicate the group reader has no measure for ("recovered the bodies of 27 North
/// Korean soldiers") is read by the open reader, not defaulted to an arrival; the group
/// reader's own words ("shipped 1,500 troops") stay its own.
#[test]
fn a_predicate_the_group_reader_lacks_is_no_arrival() {
    let text = "Ukrainian troops recovered the bodies of 27 North Korean soldiers near Kursk.";
    let claims = extract_claims(text, &entity_matches(text, &["Kursk"]), Some("en"), None);
    let bodies = claims
        .iter()
        .find(|c| close(c.value, 27.0))
        .unwrap_or_else(|| panic!("no 27 in {claims:#?}"));
    assert_eq!(bodies.measure, "bodies_recovered", "{bodies:#?}");
    let text = "North Korea has shipped 1,500 soldiers to Russia.";
    let claims = extract_claims(text, &entity_matches(text, &["Russia"]), Some("en"), None);
    assert!(
        claims.iter().any(|c| close(c.value, 1500.0)
            && c.subject == "dprk-troops"
            && c.measure == "deployed"),
        "{claims:#?}"
    );
}

/// The size of a fixed thing or a distance from a place is no figure of the event; the
/// size of what the event made is.
#[test]
fn a_size_or_a_distance_is_no_claim() {
    for (text, lang) in [
        (
            "Le barrage de Tarsk, haut de 48 mètres, avait été inspecté.",
            "fr",
        ),
        (
            "Le pont de Tarsk, long d'environ 600 mètres, date de 1959.",
            "fr",
        ),
        (
            "The Tarsk tanker ran aground 40 kilometres south-west of the port.",
            "en",
        ),
        ("Пробы у Тарска взяли в 2 км ниже по течению.", "ru"),
    ] {
        let claims = extract_claims(
            text,
            &entity_matches(text, &["Tarsk", "Тарска"]),
            Some(lang),
            None,
        );
        assert!(claims.is_empty(), "{text}: {claims:#?}");
    }
    let text = "The Tarsk oil slick now stretches over 200 kilometres.";
    let claims = extract_claims(text, &entity_matches(text, &["Tarsk"]), Some("en"), None);
    assert!(claims.iter().any(|c| close(c.value, 200.0)), "{claims:#?}");
}

/// A year is no count: "the North's 2025 harvest" (English writes a count of thousands
/// with its comma), "в 2024 году".
#[test]
fn a_year_before_a_noun_is_no_count() {
    for (text, lang) in [
        ("Korea's 2025 harvest was poor.", "en"),
        (
            "Группировка, которая в 2024 году атаковала Корею, известна.",
            "ru",
        ),
    ] {
        let claims = extract_claims(
            text,
            &entity_matches(text, &["Korea", "Корею"]),
            Some(lang),
            None,
        );
        assert!(
            claims.iter().all(|c| c.value < 1800.0),
            "{text}: {claims:#?}"
        );
    }
}

/// A bound agrees with a figure near it ("more than 900", then 1,000), not with any
/// figure on its side ("more than 500", then 2,000: two estimates).
#[test]
fn a_bound_agrees_only_with_a_figure_near_it() {
    let mut bound = open_claim("shells", "delivered", 900.0, ClaimKind::RunningTotal);
    bound.approx = Approx::Over;
    let near = open_claim("shells", "delivered", 1_000.0, ClaimKind::RunningTotal);
    let r = compare::compare_at(&near, "b", None, &[stored(bound.clone(), "a")]);
    assert_eq!(r.status, ClaimStatus::Corroborates);
    let far = open_claim("shells", "delivered", 2_000.0, ClaimKind::RunningTotal);
    let r = compare::compare_at(&far, "b", None, &[stored(bound, "a")]);
    assert_eq!(r.status, ClaimStatus::New);
}

/// The pronoun of the thing counted ("n'en recense plus que 280", "их было больше
/// тысячи"): the bare figure counts what the story counted before.
#[test]
fn a_figure_of_them_counts_what_was_counted_before() {
    for (text, lang, value) in [
        (
            "À Sablon, 420 stations-service sont à sec. Le ministère n'en recense plus que 280.",
            "fr",
            280.0,
        ),
        (
            "В Сабло закрыты 400 заправок. Неделю назад их было больше тысячи.",
            "ru",
            1000.0,
        ),
    ] {
        let claims = extract_claims(
            text,
            &entity_matches(text, &["Sablon", "Сабло"]),
            Some(lang),
            None,
        );
        let first = claims.first().unwrap_or_else(|| panic!("{text}: no claim"));
        let again = claims
            .iter()
            .find(|c| close(c.value, value))
            .unwrap_or_else(|| panic!("{text}: no {value} in {claims:#?}"));
        assert_eq!(
            (&again.role, &again.unit),
            (&first.role, &first.unit),
            "{text}"
        );
    }
}

/// The French article is no count ("ils suivent un entraînement", "un premier groupe"),
/// nor a phone number written in groups; "un soldat" is one.
#[test]
fn an_article_or_a_phone_number_is_no_count() {
    let ents = ["militaires nord-coréens", "Russie"];
    for text in [
        "Près de 11 000 militaires nord-coréens sont en Russie, où ils suivent un entraînement.",
        "Près de 11 000 militaires nord-coréens sont en Russie. Un premier groupe est arrivé.",
        "Près de 11 000 militaires nord-coréens sont en Russie. Téléphone : 8 800 200 14 14.",
    ] {
        let claims = extract_claims(text, &entity_matches(text, &ents), Some("fr"), None);
        let values: Vec<f64> = claims.iter().map(|c| c.value).collect();
        assert_eq!(values, vec![11_000.0], "{text}");
    }
}

/// A clause that opens with the group its figure is a part of ("Of the inmates who
/// escaped, 19…", "Parmi les rescapés, 86…") counts that group; "из них" stays the
/// pronoun of the figure before.
#[test]
fn a_clause_opening_with_its_group_counts_that_group() {
    let text = "Of the inmates who escaped from Sarvane, 19 have now been recaptured.";
    let claims = extract_claims(text, &entity_matches(text, &["Sarvane"]), Some("en"), None);
    let c = claims
        .iter()
        .find(|c| close(c.value, 19.0))
        .unwrap_or_else(|| panic!("no 19 in {claims:#?}"));
    assert_eq!(c.role, "inmates");
    let text = "Parmi les rescapés de Gavdos, 86 ont déposé une demande d'asile.";
    let claims = extract_claims(text, &entity_matches(text, &["Gavdos"]), Some("fr"), None);
    assert!(claims.iter().any(|c| close(c.value, 86.0)), "{claims:#?}");
    let text = "В Кессине задержаны 300 человек. Из них 40 отпущены.";
    let claims = extract_claims(text, &entity_matches(text, &["Кессине"]), Some("ru"), None);
    assert!(
        claims.iter().all(|c| !c.role.contains("них")),
        "{claims:#?}"
    );
}

/// A yardstick with no figure before it in its sentence ("double the 1,000 deaths
/// announced by the ministry") is its own speaker's figure, not the sentence's speaker's;
/// an earlier estimate restated is no current count.
#[test]
fn a_lone_yardstick_figure_is_its_own_speakers() {
    let text = "The WHO says the real toll in Yemen is double the 1,000 deaths announced by the ministry in June.";
    let claims = extract_claims(text, &entity_matches(text, &["Yemen"]), Some("en"), None);
    let c = claims.iter().find(|c| c.value == 1000.0);
    assert_eq!(
        c.and_then(|c| c.attributed_to.as_deref()),
        Some("ministry"),
        "{claims:?}"
    );
    let text = "Yemen's health ministry now counts about 14,000 cholera cases, raising its earlier estimate of 9,000.";
    let claims = extract_claims(text, &entity_matches(text, &["Yemen"]), Some("en"), None);
    let earlier = claims.iter().find(|c| c.value == 9000.0);
    assert_eq!(earlier.map(|c| c.running_total), Some(false), "{claims:?}");
    let now = claims.iter().find(|c| c.value == 14000.0);
    assert_eq!(now.map(|c| c.running_total), Some(true), "{claims:?}");
}

/// "Shot down 48 of the 60 drones launched": the part's verb comes before it, the whole's
/// after its noun; both are figures, of two predicates (the issue's "launched vs shot
/// down").
#[test]
fn a_part_and_its_whole_keep_their_own_verbs() {
    for (text, lang) in [
        (
            "Air defences over Ukraine shot down 48 of the 60 drones launched overnight.",
            "en",
        ),
        (
            "Над Украиной силы ПВО сбили 48 из 60 беспилотников, выпущенных ночью.",
            "ru",
        ),
        (
            "En Ukraine, la défense aérienne a abattu 48 des 60 drones lancés cette nuit.",
            "fr",
        ),
    ] {
        let claims = extract_claims(
            text,
            &entity_matches(text, &["Ukraine", "Украиной"]),
            Some(lang),
            None,
        );
        let of = |v: f64| {
            claims
                .iter()
                .find(|c| c.value == v)
                .map(|c| (c.role.as_str(), c.measure.as_str()))
        };
        assert_eq!(
            of(48.0),
            Some(("drones", "shot_down")),
            "{text}: {claims:?}"
        );
        assert_eq!(of(60.0), Some(("drones", "launched")), "{text}: {claims:?}");
    }
    // The size of a whole with no verb of its own is no claim ("120 of 300 seats").
    let text = "In Ukraine the ruling party won 120 of 300 seats.";
    let claims = extract_claims(text, &entity_matches(text, &["Ukraine"]), Some("en"), None);
    assert!(claims.iter().all(|c| c.value != 300.0), "{claims:?}");
}

/// One value however it was written: "0.3 million" read as a product and "300,000" are
/// the same figure; a range is the same figure only as the same range.
#[test]
fn the_same_figure_is_equal_values_of_one_unit() {
    let figure = |value: f64, value_max: Option<f64>| Claim {
        subject: "s".into(),
        unit: "people".into(),
        value,
        value_max,
        ..Claim::default()
    };
    let product = (0.1 + 0.2) * 1_000_000.0;
    assert_ne!(product, 300_000.0, "the float product is not exact");
    assert!(super::same_figure(
        &figure(product, None),
        &figure(300_000.0, None)
    ));
    assert!(!super::same_figure(
        &figure(300_000.0, None),
        &figure(301_000.0, None)
    ));
    assert!(!super::same_figure(
        &figure(300_000.0, Some(400_000.0)),
        &figure(300_000.0, None)
    ));
    // A case is a person who has the disease.
    let cases = Claim {
        unit: "cases".into(),
        ..figure(574.0, None)
    };
    assert!(super::same_figure(&cases, &figure(574.0, None)));
    let tonnes = Claim {
        unit: "tonnes".into(),
        ..figure(574.0, None)
    };
    assert!(!super::same_figure(&tonnes, &figure(574.0, None)));
    assert!(super::distinctive_point(&figure(1436.0, None)));
    assert!(super::distinctive_point(&figure(46.0, None)));
    assert!(!super::distinctive_point(&figure(2000.0, None)));
    assert!(!super::distinctive_point(&figure(14.0, None)));
    // Given again under a kindred key, a figure from ten up (or any share) is that figure.
    assert!(super::plain_figure(&figure(12.0, None)));
    assert!(!super::plain_figure(&figure(3.0, None)));
    let share = Claim {
        unit: "percent".into(),
        ..figure(6.0, None)
    };
    assert!(super::plain_figure(&share));
    let added = Claim {
        increment: true,
        ..figure(120.0, None)
    };
    assert!(!super::plain_figure(&added));
}

/// "From X to Y" after a verb of change is an earlier and a current value of one quantity,
/// not a range: the second figure takes the first one's unit and thing and is current,
/// the first is not ("cut its forecast from 17 million tonnes to 15 million").
#[test]
fn from_one_value_to_another_is_a_change_not_a_range() {
    for (text, lang, entity) in [
        (
            "Kazakhstan has cut its wheat forecast from 17 million tonnes to 15 million.",
            "en",
            "Kazakhstan",
        ),
        (
            "Казахстан снизил прогноз урожая пшеницы с 17 млн тонн до 15 млн.",
            "ru",
            "Казахстан",
        ),
        (
            "Le Kazakhstan a révisé sa prévision de 17 millions de tonnes à 15 millions.",
            "fr",
            "Kazakhstan",
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &[entity]), Some(lang), None);
        let of = |v: f64| claims.iter().find(|c| c.value == v);
        let (Some(old), Some(new)) = (of(17e6), of(15e6)) else {
            panic!("{text}: {claims:?}");
        };
        assert_eq!(new.unit, "tonnes", "{text}: {claims:?}");
        assert_eq!(new.key(), old.key(), "{text}: {claims:?}");
        assert!(
            new.running_total && !old.running_total,
            "{text}: {claims:?}"
        );
        assert_eq!(new.approx, Approx::Exact, "{text}: {claims:?}");
    }
    let text = "In Yemen the death toll rose from 40 to 52 overnight.";
    let claims = extract_claims(text, &entity_matches(text, &["Yemen"]), Some("en"), None);
    assert!(claims.iter().all(|c| c.value_max.is_none()), "{claims:?}");
    // Without a verb of change it is still a range.
    let text = "In Yemen, from 2,000 to 3,000 people were displaced.";
    let claims = extract_claims(text, &entity_matches(text, &["Yemen"]), Some("en"), None);
    assert_eq!(
        claims.first().map(|c| (c.value, c.value_max)),
        Some((2000.0, Some(3000.0))),
        "{claims:?}"
    );
}

/// A bare figure the clause's subject reached counts that subject: "outbreaks … have now
/// reached 17".
#[test]
fn a_bare_figure_reached_counts_the_clauses_subject() {
    let text = "In France, outbreaks on commercial farms have now reached 17.";
    let claims = extract_claims(text, &entity_matches(text, &["France"]), Some("en"), None);
    let c = claims.iter().find(|c| c.value == 17.0);
    assert!(
        c.is_some_and(|c| !c.role.is_empty() && c.running_total),
        "{claims:?}"
    );
}

/// A figure the sentence sets against another ("five times the police estimate") is the
/// rival count of the newest figure another voice gave of the same thing, however each
/// worded its predicate; never of its own voice's, of another thing, or of a figure far
/// apart.
#[test]
fn a_figure_set_against_another_contradicts_the_newest_rival_count_of_its_thing() {
    let claim = |role: &str, measure: &str, value: f64, by: &str| Claim {
        subject: "protest".into(),
        role: role.into(),
        measure: measure.into(),
        unit: "people".into(),
        value,
        open: true,
        attributed_to: Some(by.into()),
        quote: format!("{value} {role} {measure}, {by} said"),
        ..Claim::default()
    };
    let police = claim("people", "", 8_000.0, "police");
    let schools = Claim {
        unit: "schools".into(),
        ..claim("schools", "closed", 9_000.0, "ministry")
    };
    let organisers = Claim {
        rival: true,
        ..claim("people", "protested", 40_000.0, "organisers")
    };
    let keys = [police.key(), schools.key()];
    assert_eq!(
        super::kin_keys(&organisers, &keys),
        [vec![police.key()], Vec::new()]
    );
    // Last, any key of the subject in the same unit ("claimants" against "residents who
    // joined the action"): not another unit, not a share, not a handful.
    let residents = claim("en:resid", "joined", 4_100.0, "lawyers");
    let keys = [police.key(), schools.key(), residents.key()];
    assert_eq!(
        super::unit_keys(&organisers, &keys),
        vec![police.key(), residents.key()]
    );
    let share = Claim {
        unit: "percent".into(),
        value: 40.0,
        ..organisers.clone()
    };
    assert!(super::unit_keys(&share, &keys).is_empty());
    let handful = Claim {
        value: 4.0,
        ..organisers.clone()
    };
    assert!(super::unit_keys(&handful, &keys).is_empty());
    let stored_police = stored(police.clone(), "a");
    let got = super::rival_check(&organisers, "b", std::slice::from_ref(&stored_police))
        .map(|c| (c.status, c.related));
    assert_eq!(got, Some((ClaimStatus::Contradicts, vec![0])));
    // Not set against anything: no rival look-up.
    let plain = Claim {
        rival: false,
        ..organisers.clone()
    };
    assert!(super::rival_check(&plain, "b", std::slice::from_ref(&stored_police)).is_none());
    // The same voice's earlier figure, one it agrees with, or one far apart: none.
    let own = stored(
        Claim {
            attributed_to: Some("Organisers".into()),
            ..police.clone()
        },
        "c",
    );
    assert!(super::rival_check(&organisers, "b", &[own]).is_none());
    let same = stored(claim("people", "", 40_000.0, "police"), "a");
    assert!(super::rival_check(&organisers, "b", &[same]).is_none());
    let far = stored(claim("people", "", 300.0, "police"), "a");
    assert!(super::rival_check(&organisers, "b", &[far]).is_none());
}

/// The words that set a figure against another's, in the three languages.
#[test]
fn rival_markers_in_three_languages() {
    for (text, lang) in [
        (
            "Kellport organisers said 40,000 people had marched, five times the police estimate.",
            "en",
        ),
        (
            "The coast at Kellport is retreating by 4 metres a year, double what the survey says.",
            "en",
        ),
        (
            "L'ONG compte 60 kilomètres de littoral pollué à Kellport, bien davantage que ce qu'annonce la préfecture.",
            "fr",
        ),
        (
            "À Kellport, l'inflation réelle avoisine 50 % sur un an, bien au-delà des chiffres officiels.",
            "fr",
        ),
        (
            "Полиция Kellport оценила число участников в 25 тыс. человек — втрое меньше, чем утверждают организаторы.",
            "ru",
        ),
        (
            "By its own count, the Kellport union says 9,000 workers walked out.",
            "en",
        ),
        (
            "Selon une estimation indépendante, 30 tonnes d'ammoniac se sont échappées à Kellport.",
            "fr",
        ),
        (
            "По собственным данным профсоюза, в Kellport бастуют 9 тыс. рабочих.",
            "ru",
        ),
        (
            "L'ONG affirme que plus de 12 000 enfants ont été oubliés à Kellport, soit davantage que l'estimation de l'OMS.",
            "fr",
        ),
        (
            "À Kellport, les réfugiés seraient 90 000, bien plus que le chiffre avancé par le gouvernement.",
            "fr",
        ),
        (
            "The Kellport survey counted 880 rhinos, a third fewer than the number in the official census.",
            "en",
        ),
        (
            "По итогам учёта, в Kellport обитают около 880 носорогов — заметно меньше, чем указано в официальной переписи.",
            "ru",
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert_eq!(claims.len(), 1, "{text}: {claims:?}");
        assert!(claims[0].rival, "{text}");
    }
    let text = "Kellport organisers said 40,000 people had marched on Saturday.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    assert!(claims.iter().all(|c| !c.rival), "{claims:?}");
}

/// A figure a verb of change arrives at ("have fallen to", "est redescendu à", "sont
/// tombés sous", "опустилась до") is the current value; a rate ("a day") stays a rate.
#[test]
fn a_figure_a_change_arrives_at_is_current_and_a_rate_stays_a_rate() {
    for (text, lang, flow) in [
        (
            "In Kellport, sulphur dioxide emissions have fallen to about 1,500 tonnes a day.",
            "en",
            true,
        ),
        (
            "À Kellport, le prix moyen du litre est redescendu à 2,02 euros.",
            "fr",
            false,
        ),
        (
            "À Kellport, les rejets de dioxyde de soufre sont tombés sous les 300 tonnes par jour.",
            "fr",
            true,
        ),
        (
            "В Kellport цена бензина опустилась до 1,88 евро за литр.",
            "ru",
            false,
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert_eq!(claims.len(), 1, "{text}: {claims:?}");
        assert!(claims[0].running_total, "{text}");
        assert_eq!(claims[0].kind == ClaimKind::Flow, flow, "{text}");
    }
}

/// A yardstick's figure ("down from a peak of more than 300,000") is a figure stored
/// before, again, whatever came since; or new when none agrees. Never a conflict.
#[test]
fn a_restated_yardstick_figure_corroborates_or_is_new() {
    let text = "In Kellport 40,000 households were still without power, down from a peak of more than 300,000.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    assert_eq!(claims.len(), 2, "{claims:?}");
    let peak = claims[1].clone();
    assert!(peak.restated && !peak.running_total, "{peak:?}");
    let with = |value: f64, hours: i64| {
        let mut s = stored(
            Claim {
                value,
                quote: format!("{value} households without power"),
                approx: Approx::Exact,
                restated: false,
                ..peak.clone()
            },
            "a",
        );
        s.published = Utc
            .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
            .single()
            .map(|t| t + chrono::Duration::hours(hours));
        s
    };
    // The peak was stored, then a lower level: the peak again.
    let got = compare(&peak, "b", &[with(310_000.0, 0), with(180_000.0, 24)]);
    assert_eq!(got.status, ClaimStatus::Corroborates);
    // Only the lower level stored: nothing to say of the peak.
    let got = compare(&peak, "b", &[with(180_000.0, 24)]);
    assert_eq!(got.status, ClaimStatus::New);
}

/// A figure marked current that gives the very value stored before ("the toll stands at
/// 20" after 20, then a rival 23) is that figure again; a small one (nine after eight and
/// nine) may as well be a later count.
#[test]
fn a_current_figure_at_the_very_value_stored_before_corroborates_it() {
    let at = |value: f64, hours: i64, source: &str| {
        let mut c = open_claim("people", "killed", value, ClaimKind::RunningTotal);
        c.unit = "people".into();
        let mut s = stored(c, source);
        s.published = Utc
            .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
            .single()
            .map(|t| t + chrono::Duration::hours(hours));
        s
    };
    let mut now = open_claim("people", "killed", 20.0, ClaimKind::RunningTotal);
    now.unit = "people".into();
    now.running_total = true;
    now.quote = "the toll stands at 20".into();
    let got = compare(&now, "c", &[at(20.0, 0, "a"), at(23.0, 24, "b")]);
    assert_eq!(got.status, ClaimStatus::Corroborates);
    let small = Claim {
        value: 9.0,
        quote: "the toll stands at 9".into(),
        ..now.clone()
    };
    let got = compare(&small, "c", &[at(9.0, 0, "a"), at(8.0, 24, "b")]);
    assert_ne!(got.status, ClaimStatus::Corroborates);
}

/// The first claim read in `text` under a watch entity named `entity`.
fn first_claim(text: &str, lang: &str, entity: &str) -> Claim {
    let claims = extract_claims(text, &entity_matches(text, &[entity]), Some(lang), None);
    claims.into_iter().next().expect("a claim")
}

/// A negated bound is the other bound ("pas plus de 5 800": at most), not a denial; a
/// negated verb of exceeding after its verb ("ne dépasse pas 8 tonnes") is a ceiling.
#[test]
fn a_negated_bound_is_the_other_bound_not_a_denial() {
    for (text, lang, approx) in [
        (
            "Selon Arvel, les ruchers n'ont pas produit plus de 5 800 tonnes de miel.",
            "fr",
            Approx::UpTo,
        ),
        (
            "Selon Arvel, la fuite ne dépasse pas 8 tonnes.",
            "fr",
            Approx::UpTo,
        ),
        (
            "В Арвеле ущерб не превышает 120 млн долларов.",
            "ru",
            Approx::UpTo,
        ),
        (
            "В Арвеле, по данным врачей, погибших не меньше 25.",
            "ru",
            Approx::AtLeast,
        ),
        (
            "Arvel says it lost not more than 40 tonnes.",
            "en",
            Approx::UpTo,
        ),
    ] {
        let entity = if lang == "ru" { "Арвел" } else { "Arvel" };
        let c = first_claim(text, lang, entity);
        assert_eq!(c.approx, approx, "{text}: {c:?}");
        assert_eq!(c.polarity, crate::model::Polarity::Positive, "{text}");
    }
}

/// A denial is a negation right before the figure with only words between ("did not
/// send", "n'a pas envoyé") or a verb of denying; not a negation across a dash ("has not
/// changed — 19"), nor a Russian "не" + verb, which states a count ("не хватает 1 500").
#[test]
fn only_a_negation_that_governs_the_figure_denies_it() {
    let negative = |text: &str, lang: &str, entity: &str| {
        first_claim(text, lang, entity).polarity == crate::model::Polarity::Negative
    };
    assert!(negative("Arvel did not send 5,000 troops.", "en", "Arvel"));
    assert!(negative(
        "L'Arvélie n'a jamais envoyé 5 000 soldats.",
        "fr",
        "Arvélie"
    ));
    assert!(negative(
        "Arvel denied sending 5,000 troops.",
        "en",
        "Arvel"
    ));
    assert!(!negative(
        "В Арвеле число погибших не изменилось — 19 человек.",
        "ru",
        "Арвеле"
    ));
    assert!(!negative(
        "В Арвеле не хватает около 1 500 машинистов.",
        "ru",
        "Арвеле"
    ));
    assert!(!negative(
        "The Arvel toll has not changed: 19 people died.",
        "en",
        "Arvel"
    ));
}

/// Rainfall is a figure ("160 millimetres of rain"), though millimetres alone are a
/// calibre or a reading.
#[test]
fn rainfall_in_millimetres_is_a_figure() {
    for (text, lang, entity) in [
        (
            "Stations in Arvel recorded 160 millimetres of rain in 36 hours.",
            "en",
            "Arvel",
        ),
        (
            "Il est tombé entre 160 et 190 millimètres de pluie sur l'Arvel.",
            "fr",
            "Arvel",
        ),
        ("За сутки в Арвеле выпало 310 мм осадков.", "ru", "Арвеле"),
    ] {
        let c = first_claim(text, lang, entity);
        assert_eq!(c.unit, "mm_rain", "{text}: {c:?}");
    }
    let text = "Arvel fired 300 shells of 152 mm.";
    let claims = extract_claims(text, &entity_matches(text, &["Arvel"]), Some("en"), None);
    assert!(claims.iter().all(|c| c.value != 152.0), "{claims:?}");
}

/// "Of those, 118,000 …": a sentence opening on the group the sentence before counted
/// gives a part of it, not a new quantity.
#[test]
fn a_sentence_opening_on_those_counts_a_part_of_the_figure_before() {
    let text = "Arvel seized 180,000 bottles. Of those, 32,000 have been crushed.";
    let claims = extract_claims(text, &entity_matches(text, &["Arvel"]), Some("en"), None);
    assert_eq!(claims.len(), 2, "{claims:?}");
    assert_eq!(claims[1].value, 32_000.0);
    assert_eq!(claims[1].role, claims[0].role);
    assert_eq!(claims[1].place.as_deref(), Some(PART_OF_WHOLE));
}

/// Who counts a figure gives it: a counting verb names its speaker as "said" does,
/// through a negation glued to it ("n'a compté que") and a Russian "в" before the body.
#[test]
fn a_counting_verb_names_the_figures_speaker() {
    let by = |text: &str, lang: &str, entity: &str| first_claim(text, lang, entity).attributed_to;
    assert_eq!(
        by(
            "La police n'a compté que 300 manifestants à Mirsk.",
            "fr",
            "Mirsk"
        )
        .as_deref(),
        Some("police")
    );
    assert_eq!(
        by("The union recorded 300 strikers in Mirsk.", "en", "Mirsk").as_deref(),
        Some("union")
    );
    assert_eq!(
        by(
            "В Минздраве Гаити считают, что погибли 30 человек.",
            "ru",
            "Гаити"
        )
        .as_deref(),
        Some("Минздраве Гаити")
    );
}

/// A name, an appositive describing it, then the verb: the name speaks, not the last
/// capitalised word of the appositive ("the Baltic states" is no speaker either).
#[test]
fn a_speaker_described_between_commas_is_the_name_before() {
    let by = |text: &str, lang: &str, entity: &str| first_claim(text, lang, entity).attributed_to;
    assert_eq!(
        by(
            "Brightwell, the fashion chain with 420 stores in the UK and the Baltic states, \
             said hackers had copied about 2.1 million customer records.",
            "en",
            "Brightwell"
        )
        .as_deref(),
        Some("Brightwell")
    );
    assert_eq!(
        by(
            "Le distributeur Brightwell, l'un des plus grands du pays, a annoncé que \
             6,4 millions de clients sont touchés.",
            "fr",
            "Brightwell"
        )
        .as_deref(),
        Some("Brightwell")
    );
}

/// Two figures of one sentence from two voices ("about a thousand, police said;
/// organisers put the crowd at 3,000") are two statements: the second contradicts the
/// first. The same figure in the same words is one report, whoever carries it.
#[test]
fn two_voices_in_one_sentence_are_compared() {
    let text = "Korvel marches. About a thousand people marched through Korvel on Saturday, police said; organisers put the crowd at 3,000.";
    let claims = extract_claims(text, &entity_matches(text, &["Korvel"]), Some("en"), None);
    assert_eq!(claims.len(), 2, "{claims:?}");
    assert_eq!(claims[0].key(), claims[1].key());
    let first = stored(claims[0].clone(), "a");
    assert_eq!(
        compare(&claims[1], "a", std::slice::from_ref(&first)).status,
        ClaimStatus::Contradicts
    );
    // A reprint of the first figure is that report again: nothing to compare.
    assert_eq!(compare(&claims[0], "b", &[first]).status, ClaimStatus::New);
}

/// Context figures are no claims: an altitude ("above 1,800 metres", "на высоте 2000
/// метров"), a distance "plus au nord" or "de là", an age set off by commas ("the
/// ringleader, 38, …"), a document's length ("a 64-page report"). A height reached and
/// the figures around them are.
#[test]
fn altitudes_ages_and_page_counts_are_not_claims() {
    let values = |text: &str, lang: &str, entity: &str| -> Vec<f64> {
        extract_claims(text, &entity_matches(text, &[entity]), Some(lang), None)
            .into_iter()
            .map(|c| c.value)
            .collect()
    };
    assert_eq!(
        values(
            "Forecasters expect 50 centimetres of snow in Savoie above 1,800 metres.",
            "en",
            "Savoie"
        ),
        vec![50.0]
    );
    assert_eq!(
        values(
            "В Савойе на высоте 2000 метров выпало около 1,6 м снега.",
            "ru",
            "Савойе"
        ),
        vec![1.6]
    );
    assert_eq!(
        values("Environ 2 500 réfugiés ont été transférés vers le camp de Béladjia, à 70 km plus au nord.", "fr", "Béladjia"),
        vec![2500.0]
    );
    assert_eq!(
        values("Rotterdam police arrested 12 people; the suspected ringleader, 38, is expected to go on trial in May.", "en", "Rotterdam"),
        vec![12.0]
    );
    assert_eq!(
        values(
            "Amnesty interviewed 212 inmates in Sarvane for its 64-page report.",
            "en",
            "Sarvane"
        ),
        vec![212.0]
    );
    // The height an ash column reached is the event's own measure.
    assert_eq!(
        values(
            "Столб пепла над Алваренгой поднялся на высоту от 4 до 5 км.",
            "ru",
            "Алваренгой"
        ),
        vec![4.0]
    );
}

/// "…, bringing the total to 37,350": a bare figure its clause calls the total is the
/// current value of what the story counted last.
#[test]
fn a_bare_figure_called_the_total_is_the_current_count() {
    let text = "By Sunday 35,200 migrants had reached the Canaries this year. The latest boats bring the total for the year so far to 37,350, the interior ministry said.";
    let claims = extract_claims(text, &entity_matches(text, &["Canaries"]), Some("en"), None);
    let total = claims
        .iter()
        .find(|c| c.value == 37_350.0)
        .expect("the total");
    assert!(total.running_total, "{total:?}");
    assert_eq!(total.role, claims[0].role);
    assert_eq!(total.attributed_to.as_deref(), Some("interior ministry"));
}

/// Common counted nouns of news are one thing across the three languages and their
/// synonyms (lexicon `[[thing]]`): "surgeries" and "opérations chirurgicales", "reefs",
/// "récifs" and "рифов" are one quantity each.
#[test]
fn common_counted_nouns_are_one_thing_across_languages() {
    let role = |text: &str, lang: &str, entity: &str| first_claim(text, lang, entity).role;
    let reefs = role("Divers in Arvel surveyed 300 reefs.", "en", "Arvel");
    assert_eq!(reefs, "reefs");
    assert_eq!(
        role("En Arvélie, 300 récifs ont été examinés.", "fr", "Arvélie"),
        reefs
    );
    assert_eq!(
        role("В Арвеле обследовано 300 рифов.", "ru", "Арвеле"),
        reefs
    );
    let ops = role("Arvel hospitals cancelled 4,200 surgeries.", "en", "Arvel");
    assert_eq!(
        role(
            "En Arvélie, 4 200 opérations chirurgicales ont été annulées.",
            "fr",
            "Arvélie"
        ),
        ops
    );
    assert_eq!(
        role("В Арвеле отменены 4200 операций.", "ru", "Арвеле"),
        ops
    );
}

/// A figure under a third of a stored total said to be the count so far, from another
/// voice and set against nothing, is a part of that quantity ("14 missiles in ten days" after "88 fired so far"), not a
/// rival count; nearer, or said to be a rival's, it contradicts.
#[test]
fn a_figure_far_below_the_stored_one_is_a_part_not_a_rival() {
    let at = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).single();
    let mut total = stored(claim("war", "launched", 88.0, Approx::Exact), "air force");
    total.claim.open = true;
    total.published = at(2);
    let mut part = claim("war", "launched", 14.0, Approx::Exact);
    part.open = true;
    let cmp =
        |c: &Claim| compare::compare_at(c, "intelligence", at(5), std::slice::from_ref(&total));
    assert_eq!(cmp(&part).status, ClaimStatus::New);
    part.value = 40.0;
    assert_eq!(cmp(&part).status, ClaimStatus::Contradicts);
    part.value = 14.0;
    part.rival = true;
    assert_eq!(cmp(&part).status, ClaimStatus::Contradicts);
    // An estimate far below a figure that says nothing of its time is a rival's ("about
    // 600 dead" against "6,000 killed"); an exact one is still a part.
    let mut dead = stored(claim("war", "killed", 6000.0, Approx::Exact), "ministry");
    dead.claim.open = true;
    dead.published = at(2);
    let mut seoul = claim("war", "killed", 600.0, Approx::About);
    seoul.open = true;
    let cmp = |c: &Claim| compare::compare_at(c, "agency", at(5), std::slice::from_ref(&dead));
    assert_eq!(cmp(&seoul).status, ClaimStatus::Contradicts);
    seoul.approx = Approx::Exact;
    assert_eq!(cmp(&seoul).status, ClaimStatus::New);
}

/// A bare figure (no unit, no thing: "the 110,000 claimed by the NGO") is the very same
/// value given before under any key; a figure with its own unit is not.
#[test]
fn a_bare_figure_is_the_same_value_under_any_key() {
    let mut tonnes = open_claim("", "destroyed", 110_000.0, ClaimKind::RunningTotal);
    tonnes.unit = "tonnes".to_string();
    let mut bare = open_claim("", "", 110_000.0, ClaimKind::RunningTotal);
    bare.unit = String::new();
    assert!(super::same_figure(&bare, &tonnes));
    bare.value = 110_500.0;
    assert!(!super::same_figure(&bare, &tonnes));
    let mut hectares = open_claim("", "destroyed", 110_000.0, ClaimKind::RunningTotal);
    hectares.unit = "hectares".to_string();
    assert!(!super::same_figure(&hectares, &tonnes));
}

/// "As of 12 March", "au 3 mars", "le bilan du 3 mars" date a figure as current; "the hail
/// of 20 June", "la grêle du 20 juin" date the event it counts, not the figure.
#[test]
fn a_date_marks_a_figure_current_only_as_an_as_of() {
    let current = |text: &str, lang: &str| -> bool {
        let matches = entity_matches(text, &["Valdoria"]);
        let claims = extract_claims(text, &matches, Some(lang), None);
        claims
            .iter()
            .find(|c| close(c.value, 4870.0))
            .unwrap_or_else(|| panic!("no 4,870 in {claims:#?}"))
            .running_total
    };
    for (text, lang, want) in [
        (
            "As of 12 March, 4,870 hectares of Valdoria vines were damaged.",
            "en",
            true,
        ),
        (
            "Valdoria counted 4,870 hectares of vines damaged by the hail of 20 June.",
            "en",
            false,
        ),
        (
            "Au 3 mars, 4 870 hectares de vignes étaient sinistrés en Valdoria.",
            "fr",
            true,
        ),
        (
            "En Valdoria, le bilan du 3 mars fait état de 4 870 hectares de vignes sinistrés.",
            "fr",
            true,
        ),
        (
            "En Valdoria, 4 870 hectares de vignes ont été sinistrés par la grêle du 20 juin.",
            "fr",
            false,
        ),
    ] {
        assert_eq!(current(text, lang), want, "{text}");
    }
}

/// A clause that is only the preposition governing the figure ("…, оставшихся без
/// отопления, в 40 тыс.") ends the clause a parenthesis broke off: the figure is read.
#[test]
fn a_figure_after_a_parenthesis_is_read_in_its_sentence() {
    for (text, lang) in [
        (
            "Депутат оценил число горожан Северогорска, оставшихся без отопления, в 40 тыс.",
            "ru",
        ),
        (
            "Le nombre de personnes évacuées à Northvale a été porté, selon la préfecture, à 1 200.",
            "fr",
        ),
    ] {
        let matches = entity_matches(text, &["Северогорска", "Northvale"]);
        let claims = extract_claims(text, &matches, Some(lang), None);
        assert!(
            claims
                .iter()
                .any(|c| close(c.value, 40_000.0) || close(c.value, 1_200.0)),
            "{text}: {claims:#?}"
        );
    }
}

/// One story quoting two sources for one precise thing ("11,800 candidates without a
/// place, the ministry said … the union put the figure at 27,000") sets them against each
/// other, though nothing more is said of either figure; two unattributed figures of one
/// story, or the same source twice, are not.
#[test]
fn two_sources_of_one_story_for_one_precise_thing_contradict() {
    let at = Utc.with_ymd_and_hms(2026, 9, 16, 9, 0, 0).single();
    let mut ministry = open_claim("candidates", "", 11_800.0, ClaimKind::RunningTotal);
    ministry.attributed_to = Some("ministry".into());
    let mut first = stored(ministry, "wire");
    first.published = at;
    let mut union = open_claim("candidates", "", 27_000.0, ClaimKind::RunningTotal);
    union.attributed_to = Some("student union".into());
    let status =
        |c: &Claim| compare::compare_at(c, "wire", at, std::slice::from_ref(&first)).status;
    assert_eq!(status(&union), ClaimStatus::Contradicts);
    let again = Claim {
        attributed_to: Some("Ministry".into()),
        ..union.clone()
    };
    assert_ne!(status(&again), ClaimStatus::Contradicts);
    // Two crowd counts of one story from two sources ("12,000, the police said;
    // organisers say 40,000") too; but a count of people under another key (a group, a
    // predicate) may be another crowd.
    let mut crowd = open_claim("people", "", 12_000.0, ClaimKind::RunningTotal);
    crowd.attributed_to = Some("police".into());
    let mut crowd_first = stored(crowd.clone(), "wire");
    crowd_first.published = at;
    crowd.value = 40_000.0;
    crowd.attributed_to = Some("organisers".into());
    assert_eq!(
        compare::compare_at(&crowd, "wire", at, std::slice::from_ref(&crowd_first)).status,
        ClaimStatus::Contradicts
    );
    let mut workers = open_claim("workers", "trapped", 14.0, ClaimKind::RunningTotal);
    workers.attributed_to = Some("company".into());
    let mut workers_first = stored(workers.clone(), "wire");
    workers_first.published = at;
    let mut others = open_claim("workers", "", 38.0, ClaimKind::RunningTotal);
    others.attributed_to = Some("statement".into());
    assert_ne!(
        compare::compare_at(&others, "wire", at, std::slice::from_ref(&workers_first)).status,
        ClaimStatus::Contradicts
    );
}

/// "Revendiquer" a count is claiming it, no request: "les syndicats revendiquent 5 000
/// participants" counts the marchers; and "sans" is no counted thing.
#[test]
fn a_claimed_count_is_no_request_and_without_is_no_thing() {
    let c = &first_claim(
        "Les organisateurs revendiquent 5 000 manifestants à Toulouse.",
        "fr",
        "Toulouse",
    );
    assert_ne!(c.measure, "requested", "{c:?}");
    let text = "À Lyon, 791 000 candidats ont reçu une proposition, et ils ne sont plus que \
                97 000 sans aucune réponse positive.";
    let claims = extract_claims(text, &entity_matches(text, &["Lyon"]), Some("fr"), None);
    let c = claims.iter().find(|c| c.value == 97_000.0).expect("97 000");
    assert_eq!(c.role, "candidates", "{c:?}");
}

/// Two sources in one sentence: each figure is given by the one fewest commas away,
/// before it first ("По данным МВД, … 12 тыс. человек, организаторы говорят о 40 тыс.";
/// "les organisateurs revendiquent 5 000 participants, quand la préfecture en a compté
/// 1 800"); an article alone is no source.
#[test]
fn each_figure_of_a_sentence_is_given_by_its_nearest_source() {
    let by = |t: &str, lang: &str, place: &str| -> Vec<(f64, Option<String>)> {
        let m = entity_matches(t, &[place]);
        extract_claims(t, &m, Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.attributed_to))
            .collect()
    };
    assert_eq!(
        by(
            "По данным МВД, в Белграде было 12 тыс. человек, организаторы говорят о 40 тыс.",
            "ru",
            "Белграде"
        ),
        vec![
            (12_000.0, Some("МВД".to_string())),
            (40_000.0, Some("организаторы".to_string()))
        ]
    );
    assert_eq!(
        by(
            "À Toulouse, les organisateurs revendiquent 5 000 participants, quand la \
             préfecture en a compté 1 800.",
            "fr",
            "Toulouse"
        ),
        vec![
            (5_000.0, Some("organisateurs".to_string())),
            (1_800.0, Some("préfecture".to_string()))
        ]
    );
    // "X, elle, en compte 1 350": counting them gives the figure.
    assert_eq!(
        by(
            "L'Organisation mondiale de la santé, elle, en compte 1 350 cas au Burundi.",
            "fr",
            "Burundi"
        )
        .first()
        .and_then(|c| c.1.clone())
        .as_deref(),
        Some("Organisation mondiale de la santé")
    );
    let director = Some("agency's operations director".to_string());
    assert_eq!(
        by(
            "The confirmed death toll has risen to 52, and 47 people are still missing in \
             Lingga, the agency's operations director said.",
            "en",
            "Lingga"
        ),
        vec![(52.0, director.clone()), (47.0, director)]
    );
}

#[test]
fn a_distinctive_figure_is_that_figure_again_whatever_each_story_counts_it_in() {
    let claims = open_claim("complaints", "", 11_800.0, ClaimKind::RunningTotal);
    let dossiers = open_claim("fr:dossi", "", 11_800.0, ClaimKind::RunningTotal);
    assert!(super::same_distinctive_figure(&dossiers, &claims));
    assert!(!super::same_distinctive_figure(
        &open_claim("fr:dossi", "", 11_900.0, ClaimKind::RunningTotal),
        &claims
    ));
    // A measure, an amount of money or a share is not a count of things.
    let tonnes = Claim {
        unit: "tonnes".into(),
        role: String::new(),
        ..dossiers.clone()
    };
    assert!(!super::same_distinctive_figure(&tonnes, &claims));
    let euros = Claim {
        unit: "eur".into(),
        role: String::new(),
        ..dossiers.clone()
    };
    assert!(!super::same_distinctive_figure(&euros, &claims));
    // An addition is a step, not the figure; a figure said to be current under another
    // verb is a later count that happens to equal it.
    let more = Claim {
        increment: true,
        ..dossiers.clone()
    };
    assert!(!super::same_distinctive_figure(&more, &claims));
    let now_filed = Claim {
        running_total: true,
        measure: "registered".into(),
        ..dossiers.clone()
    };
    assert!(!super::same_distinctive_figure(&now_filed, &claims));
    // Counted in one word, a current figure is that figure again under any verb.
    let now_claims = Claim {
        running_total: true,
        measure: "registered".into(),
        ..claims.clone()
    };
    assert!(super::same_distinctive_figure(&now_claims, &claims));
}

/// "Ils étaient environ 15 000 selon la police", "They were 160", "Их было около 15 тыс.":
/// a figure of a pronoun's people counts what the story counted before it; the
/// headline's place holds for the body's sentence restating its figure.
#[test]
fn a_figure_of_a_pronoun_counts_what_the_story_counted() {
    for (text, lang) in [
        (
            "À Nantes, 5 000 manifestants ont défilé jeudi. Ils étaient environ 15 000 selon la police.",
            "fr",
        ),
        (
            "In Nantes 5,000 protesters marched on Thursday. They were about 15,000, police said.",
            "en",
        ),
        (
            "В Нанте в четверг прошли 5 тыс. демонстрантов. Их было около 15 тыс., по данным полиции.",
            "ru",
        ),
    ] {
        let claims = extract_claims(
            text,
            &entity_matches(text, &["Nantes", "Нанте"]),
            Some(lang),
            None,
        );
        let first = claims.first().unwrap_or_else(|| panic!("{text}: no claim"));
        let they = claims
            .iter()
            .find(|c| close(c.value, 15_000.0))
            .unwrap_or_else(|| panic!("{text}: no 15,000 in {claims:#?}"));
        assert_eq!(they.key(), first.key(), "{text}");
        assert!(they.attributed_to.is_some(), "{text}: {they:#?}");
    }
    // No pronoun before it: no count of what came before.
    let text = "À Nantes, 5 000 manifestants ont défilé jeudi. Le cortège comptait 15 000 ballons.";
    let claims = extract_claims(text, &entity_matches(text, &["Nantes"]), Some("fr"), None);
    assert!(
        claims
            .iter()
            .all(|c| !close(c.value, 15_000.0) || c.role != claims[0].role),
        "{claims:#?}"
    );
}

/// A headline's figure restated by the body keeps the headline's place and position.
#[test]
fn a_restated_headline_figure_keeps_its_place_and_position() {
    let text =
        "Réforme des retraites : à Nantes, 12 000 manifestants, 40 000 selon les syndicats\n\n\
                Ils étaient 12 000 selon la préfecture à défiler contre la réforme des retraites.";
    let mut m = entity_matches(
        text,
        &["réforme des retraites", "Réforme des retraites", "Nantes"],
    );
    for e in &mut m {
        if e.found == "Nantes" {
            e.kind = "place".into();
        }
    }
    let claims = extract_claims(text, &m, Some("fr"), None);
    let values: Vec<f64> = claims.iter().map(|c| c.value).collect();
    assert_eq!(values, vec![12_000.0, 40_000.0], "{claims:#?}");
    assert!(
        claims[0].quote.starts_with("Ils étaient"),
        "the body's sentence: {claims:#?}"
    );
    assert_eq!(claims[0].place, claims[1].place, "{claims:#?}");
    assert!(claims[0].place.is_some(), "{claims:#?}");
}

/// Two named voices counting one precise thing and saying nothing else of it ("more than
/// 300 cold homes, the residents said"; "176 homes, the prosecutor counted") give two
/// counts of it; unnamed, or far apart, they may be two quantities.
#[test]
fn two_named_voices_close_in_value_contradict() {
    let homes = |value: f64, by: Option<&str>| Claim {
        attributed_to: by.map(str::to_string),
        ..open_claim("homes", "", value, ClaimKind::RunningTotal)
    };
    let residents = stored(homes(300.0, Some("residents")), "a");
    let status =
        |c: Claim| compare::compare_at(&c, "b", None, std::slice::from_ref(&residents)).status;
    assert_eq!(
        status(homes(176.0, Some("prosecutor"))),
        ClaimStatus::Contradicts
    );
    assert_eq!(status(homes(176.0, None)), ClaimStatus::New);
    assert_eq!(status(homes(60.0, Some("prosecutor"))), ClaimStatus::New);
    // Said of the homes ("176 homes destroyed"), the figure is a quantity of its own.
    let destroyed = Claim {
        measure: "destroyed".into(),
        ..homes(176.0, Some("prosecutor"))
    };
    assert_eq!(
        compare::compare_at(&destroyed, "b", None, std::slice::from_ref(&residents)).status,
        ClaimStatus::New
    );
}

/// "1,200 new cases", "15,000 new prison places": the English adjective stands before the
/// noun it qualifies, as "1 200 nouveaux cas" does in French.
#[test]
fn a_new_thing_is_counted_in_english_as_in_french() {
    let read = |t: &str, lang: &str| -> Vec<(f64, String)> {
        extract_claims(t, &entity_matches(t, &["Koria"]), Some(lang), None)
            .into_iter()
            .map(|c| (c.value, c.role))
            .collect()
    };
    let en = read("In Koria 1,200 new cases were confirmed on Monday.", "en");
    let fr = read(
        "En Koria, 1 200 nouveaux cas ont été confirmés lundi.",
        "fr",
    );
    assert_eq!(en, vec![(1200.0, "cases".to_string())]);
    assert_eq!(en, fr);
    let homes = read("Koria built 300 new homes last year.", "en");
    assert_eq!(homes, vec![(300.0, "homes".to_string())]);
    let more = extract_claims(
        "Koria has opened 12 more hospitals.",
        &entity_matches("Koria has opened 12 more hospitals.", &["Koria"]),
        Some("en"),
        None,
    );
    assert_eq!(more.len(), 1, "{more:#?}");
    assert_eq!(
        (more[0].role.as_str(), more[0].increment),
        ("hospitals", true)
    );
}

/// "47 foundations now laid" after "38 monopiles installed": a figure the text calls
/// current, whose wording found no stored key, is the later value of the last figure of
/// its unit from an earlier story, when near it; not a share, people or money, not one
/// far away, and not a figure of the same value.
#[test]
fn a_current_figure_near_the_last_of_its_unit_is_its_later_value() {
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).single();
    let km = |role: &str, measure: &str, value: f64| Claim {
        unit: "km".into(),
        ..open_claim(role, measure, value, ClaimKind::RunningTotal)
    };
    let at = |c: Claim, d: u32| StoredClaim {
        published: day(d),
        ..stored(c, "a")
    };
    let stored_claims = [at(km("fr:tunnel", "", 5.2), 2), at(km("", "bored", 6.8), 9)];
    let now = |c: Claim| Claim {
        running_total: true,
        ..c
    };
    let later = |c: &Claim, d: u32| {
        compare::seeks_level(c)
            .then(|| compare::later_level(c, day(d), &stored_claims))
            .flatten()
    };
    // The newest earlier figure of the unit, whatever it counted.
    assert_eq!(later(&now(km("en:tunnel", "dug", 7.5)), 20), Some(1));
    // Before the second story, the first.
    assert_eq!(later(&now(km("en:tunnel", "dug", 6.0)), 5), Some(0));
    // Not said to be current, too far, or the same value: nothing.
    assert_eq!(later(&km("en:tunnel", "dug", 7.5), 20), None);
    assert_eq!(later(&now(km("en:tunnel", "dug", 30.0)), 20), None);
    assert_eq!(later(&now(km("en:tunnel", "dug", 6.8)), 20), None);
    // People, shares and money change under too many names to be guessed this way.
    let people = Claim {
        unit: "people".into(),
        ..now(km("", "", 7.5))
    };
    assert_eq!(later(&people, 20), None);
}

/// The body that gives a figure is its speaker however the sentence names it: a plain
/// noun ("the transport authority"), a French name with its adjectives after it ("la
/// police moldave", "le renseignement militaire ukrainien"), a verb of giving a figure
/// ("gave a figure of"), an aside ("however") or a Russian adverb ("между тем") between
/// name and verb. Giving money is no saying.
#[test]
fn speakers_named_by_plain_nouns_postposed_adjectives_and_given_figures_are_read() {
    let by = |t: &str, lang: &str| -> Vec<Option<String>> {
        let m = entity_matches(t, &["Koria", "Корию", "Koria."]);
        extract_claims(t, &m, Some(lang), None)
            .into_iter()
            .map(|c| c.attributed_to)
            .collect()
    };
    let one = |s: &str| vec![Some(s.to_string())];
    assert_eq!(
        by(
            "The transport authority put the figure for Koria at 5.9 km.",
            "en"
        ),
        one("transport authority")
    );
    assert_eq!(
        by(
            "The Arctic Ice Centre gave a figure of 6.6 million square kilometres for Koria.",
            "en"
        ),
        one("Arctic Ice Centre")
    );
    assert_eq!(
        by(
            "The Federal Audit Office, however, puts the number of grants in Koria at 70,000.",
            "en"
        ),
        one("Federal Audit Office")
    );
    assert_eq!(
        by("La police moldave a recensé 300 plaintes en Koria.", "fr"),
        one("police moldave")
    );
    assert_eq!(
        by("Le renseignement militaire ukrainien maintient qu'au moins 1 300 soldats sont morts en Koria.", "fr"),
        one("renseignement militaire ukrainien")
    );
    assert_eq!(
        by(
            "Разведка между тем сообщила о 200 погибших, отправленных в Корию.",
            "ru"
        ),
        one("Разведка")
    );
    assert_eq!(
        by(
            "The union gave 500 tonnes of food to the shelters of Koria.",
            "en"
        ),
        vec![None]
    );
}

/// A death toll said to be current ("6,000 have now been killed") above a casualty toll
/// stored from weeks before is no conflict: the casualties have grown since. At the same
/// moment, or a casualty toll below an earlier death toll, it still is.
#[test]
fn a_current_part_above_an_earlier_whole_is_no_conflict() {
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).single();
    let casualties = StoredClaim {
        published: day(1),
        ..stored(
            claim("dprk-troops", "casualties", 4700.0, Approx::About),
            "seoul",
        )
    };
    let killed_now = Claim {
        running_total: true,
        ..claim("dprk-troops", "killed", 6000.0, Approx::Exact)
    };
    let check = |c: &Claim, d: u32| {
        cross_check_at(c, "uk", day(d), std::slice::from_ref(&casualties)).status
    };
    assert_eq!(check(&killed_now, 20), ClaimStatus::New);
    assert_eq!(check(&killed_now, 1), ClaimStatus::Contradicts);
    let killed = claim("dprk-troops", "killed", 6000.0, Approx::Exact);
    assert_eq!(check(&killed, 20), ClaimStatus::Contradicts);
}

/// A figure set against the sentence's own earlier one and called current ("now totalled
/// €41 million, well above its earlier estimate", "désormais… contre 2 000 il y a dix
/// jours") is a later value; set against another voice's, it is a rival's.
#[test]
fn a_current_figure_set_against_its_own_earlier_one_is_no_rival() {
    let rival = |t: &str, lang: &str| -> Vec<bool> {
        extract_claims(t, &entity_matches(t, &["Koria"]), Some(lang), None)
            .into_iter()
            .map(|c| c.rival)
            .collect()
    };
    assert_eq!(
        rival("Koria's airlines said their losses now totalled €41 million, well above their earlier estimate.", "en"),
        vec![false]
    );
    assert_eq!(
        rival("Koria's airlines said their losses now totalled €41 million, well above the ministry's figure.", "en"),
        vec![true]
    );
    assert_eq!(
        rival("Le HUR estime que 8 000 soldats se trouvent désormais en Koria, bien plus que les 2 000 comptés il y a dix jours.", "fr")
            .first()
            .copied(),
        Some(false)
    );
}

/// "only 39 turbines", "seules 24 000 poches", "лишь 600 рабочих мест": a count played
/// down is another voice's smaller figure, set against the one it answers; a share or an
/// amount of money played down ("only 5%") is not, nor a count the text calls current.
#[test]
fn a_count_played_down_is_a_rival_one() {
    let rival = |t: &str, lang: &str| -> Vec<bool> {
        extract_claims(t, &entity_matches(t, &["Koria", "Кории"]), Some(lang), None)
            .into_iter()
            .map(|c| c.rival)
            .collect()
    };
    assert_eq!(
        rival(
            "The fishermen say they counted only 39 turbines off Koria.",
            "en"
        ),
        vec![true]
    );
    assert_eq!(
        rival(
            "En Koria, seules 24 000 poches de sang seraient disponibles.",
            "fr"
        ),
        vec![true]
    );
    assert_eq!(
        rival(
            "Программа создала в Кории лишь около 600 рабочих мест.",
            "ru"
        ),
        vec![true]
    );
    assert_eq!(
        rival("Only 5% of the budget of Koria was spent.", "en"),
        vec![false]
    );
    assert_eq!(
        rival("Only 39 turbines are now standing off Koria.", "en"),
        vec![false]
    );
}

/// A unit written as an abbreviation with its full stop ("кв. км", "куб. м") is that
/// unit, as its full form is.
#[test]
fn abbreviated_units_with_a_full_stop_are_read() {
    let units = |t: &str| -> Vec<(f64, String)> {
        extract_claims(t, &entity_matches(t, &["Арктике"]), Some("ru"), None)
            .into_iter()
            .map(|c| (c.value, c.unit))
            .collect()
    };
    assert_eq!(
        units("Площадь льда в Арктике составила 8,9 млн кв. км."),
        vec![(8_900_000.0, "km2".to_string())]
    );
    assert_eq!(
        units("Площадь льда в Арктике составила 8,9 млн квадратных километров."),
        vec![(8_900_000.0, "km2".to_string())]
    );
}

/// "(IMO 9711436)": a long ungrouped number after an acronym is a registry number, not a
/// count; after a capitalised word or a currency code it is still a figure.
#[test]
fn a_registry_number_after_its_acronym_is_no_figure() {
    let values = |t: &str| -> Vec<f64> {
        extract_claims(t, &entity_matches(t, &["Koria"]), Some("en"), None)
            .into_iter()
            .map(|c| c.value)
            .collect()
    };
    assert!(values("The bulk carrier Nordic Fjell (IMO 9711436) was freed near Koria.").is_empty());
    assert_eq!(values("Some 250000 people fled Koria."), vec![250000.0]);
    assert_eq!(values("Koria was paid USD 250000 in aid."), vec![250000.0]);
}

/// Who gives a figure set against another's is the sentence's speaker, not the voice
/// named after "the figure given by" / "le chiffre avancé par" (that one gave the other
/// figure); "selon elle" names no one; "the figures released by the ministry" and "the
/// 1,000 announced by Moscow" still name theirs.
#[test]
fn the_speaker_of_a_rival_figure_is_not_whose_figure_it_contests() {
    for (text, lang, by) in [
        (
            "Le conseil municipal estime qu'environ 24 000 logements de Kellport sont desservis par le plomb, bien plus que le chiffre avancé par Aqua Kellport.",
            "fr",
            Some("conseil municipal"),
        ),
        (
            "The council's consultants put the cost of the Kellport works at $310 million, a quarter below the figure given by the utility.",
            "en",
            Some("council's consultants"),
        ),
        (
            "Selon elle, 640 000 euros ont été versés aux éleveurs de Kellport, loin des montants avancés par le ministère.",
            "fr",
            None,
        ),
        (
            "Figures released by the ministry on Monday show 300 dead in Kellport.",
            "en",
            Some("ministry"),
        ),
        (
            "The number of dead reported by the ministry rose to 300 in Kellport.",
            "en",
            Some("ministry"),
        ),
        (
            "It put the infested area around Kellport at 45,000 hectares, well short of the figure published by the FAO.",
            "en",
            None,
        ),
        (
            "The union disputes the 1,000 jobs announced by Kellport Steel.",
            "en",
            Some("Kellport Steel"),
        ),
        (
            "The coast at Kellport is retreating by 4 metres a year, double what the state's geological survey says.",
            "en",
            None,
        ),
        (
            "In Kellport, 40 people died, far more than the mayor says.",
            "en",
            None,
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert_eq!(claims.len(), 1, "{text}: {claims:?}");
        assert_eq!(claims[0].attributed_to.as_deref(), by, "{text}");
    }
}

/// An approximation word with an elided conjunction or "de" glued to it ("qu'environ",
/// "d'environ") approximates; a Swiss apostrophe groups thousands ("3'500").
#[test]
fn elided_approximations_and_swiss_thousands() {
    let text = "Le conseil estime qu'environ 24 000 logements de Kellport sont touchés.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("fr"), None);
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert_eq!(claims[0].approx, Approx::About);
    assert_eq!(claims[0].value, 24_000.0);
    let text = "À Kellport, les stations ont engagé 3'500 saisonniers cet hiver.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("fr"), None);
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert_eq!(claims[0].value, 3_500.0);
}

/// Millions with nothing counted after them, after a sum of money, are that money again
/// ("chiffre le chantier à quelque 420 millions", "было выделено 60 млрд."); a count of
/// something named stays a count of it.
#[test]
fn bare_millions_after_money_take_its_currency() {
    for (text, lang, value, unit) in [
        (
            "Le programme de Kellport coûte 150 millions de dollars. L'exploitant de Kellport chiffre le chantier complet à quelque 420 millions.",
            "fr",
            420e6,
            "usd",
        ),
        (
            "Правительство увеличило помощь аграриям Kellport до 95 млрд тенге. Ранее на эти цели в Kellport было выделено 60 млрд.",
            "ru",
            60e9,
            "kzt",
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert!(
            claims.iter().any(|c| c.value == value && c.unit == unit),
            "{text}: {claims:?}"
        );
    }
    let text = "Kellport resorts lost 60 million francs. The Kellport tourism office counted 2.1 million visitors.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    let visitors = claims
        .iter()
        .find(|c| c.value == 2.1e6)
        .expect("2.1 million read");
    assert_eq!(visitors.unit, "people", "{claims:?}");
}

/// "ne … plus que" right before a figure says what is left: the current value ("ne
/// contient plus que", "n'accueillait plus que", "n'en compte plus qu'environ"); a
/// comparison ("plus que la veille") is not.
#[test]
fn what_is_left_is_the_current_value() {
    for text in [
        "Le lac de Kellport ne contient plus que 150 000 mètres cubes d'eau.",
        "Le centre de Kellport n'accueillait plus que 460 migrants jeudi soir.",
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("fr"), None);
        assert_eq!(claims.len(), 1, "{text}: {claims:?}");
        assert!(claims[0].running_total, "{text}");
    }
    let text = "À Kellport, 300 migrants sont arrivés mardi, plus que la veille.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("fr"), None);
    assert!(claims.iter().all(|c| !c.running_total), "{claims:?}");
}

/// "число зенитных комплексов, развёрнутых …, в 34": the thing "the number of" names
/// outright is what the figure counts, not the people a verb of deploying stands for;
/// what a predicate counts ("число погибших от наводнений") stays people.
#[test]
fn the_number_of_a_named_thing_counts_that_thing() {
    let text = "Разведка оценивает число северокорейских зенитных комплексов, развёрнутых в Kellport, в 34.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("ru"), None);
    let c = claims.iter().find(|c| c.value == 34.0).expect("34 read");
    assert_eq!(c.unit, "systems", "{claims:?}");
    let text = "Число погибших от наводнений в Kellport достигло шести.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("ru"), None);
    let c = claims.iter().find(|c| c.value == 6.0).expect("six read");
    assert_eq!(
        (c.role.as_str(), c.unit.as_str()),
        ("people", "people"),
        "{claims:?}"
    );
}

/// Russian names for a town's or a country's people the lexicon cannot list count
/// people; months ("месяцев") end the same way and do not.
#[test]
fn russian_demonyms_count_people() {
    for text in [
        "На площадь в Kellport вышли 4,5 тысячи кировчан.",
        "В Kellport работают около 300 кенийцев.",
        "Правозащитники в Kellport сообщают о семерых горожанах, задержанных полицией.",
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("ru"), None);
        assert!(
            claims.iter().any(|c| c.unit == "people"),
            "{text}: {claims:?}"
        );
    }
    let text = "Зарплату в Kellport не платят уже пять месяцев.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("ru"), None);
    assert!(claims.iter().all(|c| c.unit != "people"), "{claims:?}");
}

/// A figure set against another that found nothing under its own period looks last at
/// any key of its unit whatever the period ("260 homes in the town itself, well below the
/// figure given in Warsaw" for a week's count, against the total so far), but there takes
/// for its rival only a figure within `RIVAL_NEAR` of its own.
#[test]
fn a_rival_figure_looks_last_at_its_unit_under_any_period_for_a_near_figure() {
    let claim = |value: f64, period: Option<&str>, by: &str| Claim {
        subject: "flood".into(),
        role: "homes".into(),
        measure: "damaged".into(),
        unit: "homes".into(),
        value,
        period: period.map(str::to_string),
        open: true,
        attributed_to: Some(by.into()),
        quote: format!("{value} homes damaged, {by} said"),
        ..Claim::default()
    };
    let town = Claim {
        rival: true,
        ..claim(260.0, Some("week"), "town hall")
    };
    let warsaw = claim(400.0, None, "ministry");
    let keys = [warsaw.key()];
    assert!(super::unit_keys(&town, &keys).is_empty());
    assert_eq!(super::rival_unit_keys(&town, &keys), vec![warsaw.key()]);
    let near = super::rival_check_within(
        &town,
        "b",
        &[stored(warsaw.clone(), "a")],
        super::RIVAL_NEAR,
    )
    .map(|c| c.status);
    assert_eq!(near, Some(ClaimStatus::Contradicts));
    let far = stored(claim(2_600.0, None, "ministry"), "a");
    assert!(super::rival_check_within(&town, "b", &[far], super::RIVAL_NEAR).is_none());
}

/// Centimetres, gigawatts and energy are units of their own, never read as metres or
/// megawatts; a concentration per cubic metre is one unit in the three languages.
#[test]
fn units_of_one_dimension_stay_apart() {
    for (text, lang, unit) in [
        ("In Kellport the snow lay 90 centimetres deep.", "en", "cm"),
        (
            "À Kellport, la centrale produira 2 gigawatts.",
            "fr",
            "gigawatts",
        ),
        ("В Kellport на тонну алюминия уходит 14 МВт·ч.", "ru", "mwh"),
        ("Kellport buses used 1.05 kWh per kilometre.", "en", "kwh"),
        (
            "À Kellport, la concentration a atteint 455 µg/m3.",
            "fr",
            "ug_m3",
        ),
        ("В Kellport концентрация достигла 390 мкг.", "ru", "ug_m3"),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert!(claims.iter().any(|c| c.unit == unit), "{text}: {claims:?}");
    }
}

/// A delay or a wait in minutes is a measured time like one in hours or days, in the
/// three languages; a meeting's length is not.
#[test]
fn delays_in_minutes_are_measured() {
    for (text, lang) in [
        (
            "At Kellport the average delay reached 23 minutes per flight in July.",
            "en",
        ),
        (
            "À Kellport, le retard moyen a atteint 23 minutes par vol en juillet.",
            "fr",
        ),
        (
            "В Kellport средняя задержка составила 23 минуты на рейс.",
            "ru",
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert!(
            claims
                .iter()
                .any(|c| c.value == 23.0 && c.unit == "minutes"),
            "{text}: {claims:?}"
        );
    }
    let text = "In Kellport the meeting lasted 45 minutes.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    assert!(claims.is_empty(), "{claims:?}");
}

/// A speed ("165 km/h", "120 км/ч", "130 kilomètres par heure") is a figure in a unit of
/// its own, never kilometres; a length of road flooded is kilometres.
#[test]
fn speeds_are_not_distances() {
    for (text, lang) in [
        ("In Kellport, gusts reached 165 km/h at landfall.", "en"),
        ("В Kellport порывы ветра достигнут 120 км/ч.", "ru"),
        (
            "À Kellport, des rafales à 130 kilomètres par heure sont attendues.",
            "fr",
        ),
    ] {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        assert!(
            !claims.is_empty() && claims.iter().all(|c| c.unit == "km_h"),
            "{text}: {claims:?}"
        );
    }
    let text = "In Kellport 30 km of road were flooded.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    assert!(claims.iter().any(|c| c.unit == "km"), "{claims:?}");
}

/// A share carries its unit: a time word after it ("fell 18% year on year") leaves it a
/// figure.
#[test]
fn a_share_before_a_time_word_is_read() {
    let text = "Cinema attendance in Kellport fell 18% year on year.";
    let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some("en"), None);
    assert!(
        claims
            .iter()
            .any(|c| c.value == 18.0 && c.unit == "percent"),
        "{claims:?}"
    );
}

/// Troops said to be somewhere ("are now in", "se trouvent désormais", "сейчас
/// находятся") are one count in the three languages: one key for the three stories.
#[test]
fn troops_said_to_be_somewhere_are_one_count_in_three_languages() {
    let keys: Vec<String> = [
        ("Seoul says about 50 North Korean soldiers are now in Kellport.", "en"),
        (
            "Selon Séoul, une cinquantaine de soldats nord-coréens se trouvent désormais à Kellport.",
            "fr",
        ),
        (
            "По данным Сеула, в Kellport сейчас находятся около 50 северокорейских военных.",
            "ru",
        ),
    ]
    .iter()
    .map(|(text, lang)| {
        let claims = extract_claims(text, &entity_matches(text, &["Kellport"]), Some(lang), None);
        let c = claims.iter().find(|c| c.value == 50.0).expect("50 read");
        format!("{}|{}|{}", c.role, c.measure, c.unit)
    })
    .collect();
    assert!(keys.windows(2).all(|w| w[0] == w[1]), "{keys:?}");
}

/// "The repairs will cost €90 million", then "the bill now stands at €120 million": a
/// figure said to be current is the later value of a forecast of the same quantity; one
/// the text does not call current is not compared with the forecast.
#[test]
fn a_current_figure_is_the_later_value_of_a_forecast_of_its_quantity() {
    let money = |value: f64, kind: ClaimKind| Claim {
        unit: "eur".into(),
        ..open_claim("", "cost", value, kind)
    };
    let forecast = stored(money(90e6, ClaimKind::Forecast), "ministry");
    let mut now = money(120e6, ClaimKind::RunningTotal);
    now.running_total = true;
    assert_eq!(
        super::neighbour_keys(&now, &[forecast.claim.key()]),
        vec![forecast.claim.key()]
    );
    assert_eq!(
        compare::compare(&now, "insurer", std::slice::from_ref(&forecast)).status,
        ClaimStatus::Updates
    );
    now.value = 90e6;
    assert_eq!(
        compare::compare(&now, "insurer", std::slice::from_ref(&forecast)).status,
        ClaimStatus::Corroborates
    );
    let mut unmarked = money(120e6, ClaimKind::RunningTotal);
    unmarked.running_total = false;
    assert!(super::neighbour_keys(&unmarked, &[forecast.claim.key()]).is_empty());
    assert_eq!(
        compare::compare(&unmarked, "insurer", &[forecast]).status,
        ClaimStatus::New
    );
}
