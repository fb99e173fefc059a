//! Comparison of a new claim with stored ones: values as intervals whose width comes
//! from the stated approximation; overlap agrees, disjoint disagrees.

use chrono::{DateTime, Utc};

use crate::model::{Approx, Claim, ClaimKind, ClaimStatus, Polarity, StoredClaim};

use super::Comparison;

/// Relative tolerance of an exact round figure ("1,200", "1.05 million"): rounding in
/// reporting.
const EXACT_TOLERANCE: f64 = 0.02;
/// Relative tolerance of an exact figure written to its last unit ("124", "3,912",
/// "61.8%"): 124 and 120 seats are two counts.
const PRECISE_TOLERANCE: f64 = 0.005;

/// The rounding an exact figure allows: a number with two or more trailing zeros may be
/// rounded, any other is written to its last unit.
fn exact_tolerance(v: f64) -> f64 {
    let round = v.fract() == 0.0 && v.abs() >= 100.0 && (v / 100.0).fract() == 0.0;
    if round {
        EXACT_TOLERANCE
    } else {
        PRECISE_TOLERANCE
    }
}
/// Relative tolerance of "about", "around", "some".
const ABOUT_TOLERANCE: f64 = 0.15;

/// The values a claim allows, as a closed interval.
pub fn interval(c: &Claim) -> (f64, f64) {
    let v = c.value;
    if c.unit == "bool" || c.unit == "date" {
        return (v, v);
    }
    match (c.approx, c.value_max) {
        (Approx::Exact, Some(max)) | (Approx::About, Some(max)) => (v, max),
        (Approx::Exact, None) => {
            let t = exact_tolerance(v);
            (v * (1.0 - t), v * (1.0 + t))
        }
        (Approx::About, None) => (v * (1.0 - ABOUT_TOLERANCE), v * (1.0 + ABOUT_TOLERANCE)),
        (Approx::Over | Approx::AtLeast, _) => (v, f64::INFINITY),
        (Approx::UpTo | Approx::Under, Some(max)) => (0.0, max),
        (Approx::UpTo | Approx::Under, None) => (0.0, v),
    }
}

/// The figure as a point with its rounding ("at least 45" as 45 ± 2 %; a range as itself).
fn point_interval(c: &Claim) -> (f64, f64) {
    match c.value_max {
        Some(max) => (c.value, max),
        None => {
            let t = exact_tolerance(c.value);
            (c.value * (1.0 - t), c.value * (1.0 + t))
        }
    }
}

fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// How one stored claim relates to the new one, or None when they are not comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pair {
    Agrees,
    Disagrees,
    Updates,
}

/// The same report: the same figure in the same words, whoever carries them (a syndicated
/// copy, a reprint under another URL). Compared lower-case, quotes and spacing ignored.
/// Two figures of one sentence ("1,000, police said; organisers put it at 3,000") are two
/// statements, not one report.
pub fn same_report(a: &Claim, b: &Claim) -> bool {
    if !overlaps(point_interval(a), point_interval(b)) {
        return false;
    }
    let norm = |q: &str| -> String {
        q.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(&a.quote) == norm(&b.quote)
}

/// A comparison key's parts: subject | counted thing | predicate | unit | kind | period.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyParts<'a> {
    subject: &'a str,
    role: &'a str,
    measure: &'a str,
    unit: &'a str,
    kind: &'a str,
    period: &'a str,
}

impl<'a> KeyParts<'a> {
    fn parse(key: &'a str) -> Option<Self> {
        let mut it = key.split('|');
        let parts = KeyParts {
            subject: it.next()?,
            role: it.next()?,
            measure: it.next()?,
            unit: it.next()?,
            kind: it.next()?,
            period: it.next()?,
        };
        it.next().is_none().then_some(parts)
    }

    /// A running total and a level are the same count seen two ways ("44 ships waiting",
    /// "44 ships have been held up"): the wording of the verb decides the kind.
    fn kind_class(&self) -> &'a str {
        match self.kind {
            "level" => "running_total",
            k => k,
        }
    }

    /// Subject, unit, period and kind class: what must be equal for two keys to name one
    /// quantity at all.
    fn frame(&self) -> (&'a str, &'a str, &'a str, &'a str) {
        (self.subject, self.unit, self.period, self.kind_class())
    }
}

/// A counted thing that says only "people" (or nothing): it may be the same group another
/// claim names more precisely.
fn generic_thing(role: &str) -> bool {
    role.is_empty() || role == "people"
}

/// A unit of measure (hectares, tonnes, km), not a count of people, a share or money
/// (currencies are three-letter codes): "10,000 hectares" names its quantity without a
/// thing, and "hectares of fields" and "hectares" are one area.
fn measured(unit: &str) -> bool {
    !(unit.is_empty() || unit == "people" || unit == "percent" || currency(unit))
}

/// An amount of money's unit: currencies are three-letter lower-case codes ("eur", "kzt").
pub(super) fn currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_lowercase())
}

/// A key whose thing names its quantity: a thing more precise than "people", or a unit
/// of measure standing alone.
fn precise(k: &KeyParts) -> bool {
    !generic_thing(k.role) || (k.role.is_empty() && measured(k.unit))
}

/// A noun no lexicon entry knows is kept as `lang:stem`: (lang, stem).
fn unknown_noun(role: &str) -> Option<(&str, &str)> {
    role.split_once(':')
        .filter(|(lang, stem)| lang.len() == 2 && !stem.is_empty())
}

/// The skeleton of a word for matching a borrowing across English, French and Russian:
/// Latin letters without accents (Cyrillic romanised), spelling variants folded (x → ks,
/// c and q → k, y → i, ph → f, w → v, th → t, a doubled letter once).
fn skeleton(w: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let latin = crate::watchlist::translit::romanize(w);
    let plain: String = latin
        .nfd()
        .filter(|c| !is_combining_mark(*c) && c.is_alphabetic())
        .collect::<String>()
        .replace("ph", "f")
        .replace("th", "t")
        .replace("qu", "k")
        .replace('x', "ks");
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        let c = match c {
            'c' | 'q' => 'k',
            'y' => 'i',
            'w' => 'v',
            c => c,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Two unknown nouns of different languages that are one borrowed word ("départ" and
/// "departure", "dioxyde" and "диоксид"): their skeletons begin alike for five letters or
/// more, and for all of the shorter one but its last letter.
fn cognates(a: &str, b: &str) -> bool {
    let (a, b) = (skeleton(a), skeleton(b));
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 5 && common + 1 >= shorter
}

/// Keys naming the claim's thing with a borrowing of another language ("fr:départ" for
/// "en:departur"): the same subject, predicate, kind and period, each thing counted in
/// its own unit or both in one.
fn cognate_keys<'a>(own: &KeyParts, others: &[KeyParts<'a>]) -> Vec<KeyParts<'a>> {
    let Some((lang, stem)) = unknown_noun(own.role) else {
        return Vec::new();
    };
    let counted_as_itself = |k: &KeyParts, stem: &str| k.unit == stem;
    others
        .iter()
        .filter(|k| {
            (k.subject, k.measure, k.period, k.kind_class())
                == (own.subject, own.measure, own.period, own.kind_class())
        })
        .filter(|k| {
            unknown_noun(k.role).is_some_and(|(l, s)| {
                l != lang
                    && (k.unit == own.unit
                        || (counted_as_itself(k, s) && counted_as_itself(own, stem)))
                    && cognates(s, stem)
            })
        })
        .cloned()
        .collect()
}

/// Keys among `stored_keys` (the distinct keys stored under the claim's subject) that name
/// the claim's quantity in other words, so that their claims are compared with it too:
/// - the same thing and predicate read as a level in one story and a running total in
///   another;
/// - a figure with no predicate ("17 ships off Le Havre") and every predicate stored for
///   the same thing, when that thing is more than "people" or an amount of money (until
///   the sixth session only when the thing had one predicate stored: measured, the
///   figure is far more often one of them than none).
///
/// - "people" and a more precise group ("miners") with the same predicate, when that
///   group is the only one stored for the predicate. With two groups ("miners killed",
///   "rescuers killed") they are not related: the dead of a fire include its dead
///   firefighters, so the two counts differ without disagreeing.
///
/// Only open-vocabulary claims and people counts are compared this way
/// (`compare_at`).
pub fn neighbour_keys(claim: &Claim, stored_keys: &[String]) -> Vec<String> {
    let own_key = claim.key();
    let Some(own) = KeyParts::parse(&own_key) else {
        return Vec::new();
    };
    let all: Vec<KeyParts> = stored_keys
        .iter()
        .filter(|k| **k != own_key)
        .filter_map(|k| KeyParts::parse(k))
        .collect();
    let others: Vec<KeyParts> = all
        .iter()
        .filter(|k| k.frame() == own.frame())
        .cloned()
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut take = |k: &KeyParts| {
        let key = [k.subject, k.role, k.measure, k.unit, k.kind, k.period].join("|");
        if !out.contains(&key) {
            out.push(key);
        }
    };
    for k in cognate_keys(&own, &all) {
        take(&k);
    }
    for k in all.iter().filter(|k| forecast_made_good(claim, &own, k)) {
        take(k);
    }
    for k in others.iter().filter(|k| k.role == own.role) {
        let same_measure = k.measure == own.measure;
        // "People" with no predicate, or an amount of money with none, could be anything;
        // a thing of its own ("17 ships off Le Havre") is one of its stored counts.
        let no_predicate = precise(&own) && (k.measure.is_empty() || own.measure.is_empty());
        if same_measure || no_predicate {
            take(k);
        }
    }
    // "People" and the one group of people a predicate is stored for ("30 killed", "30
    // miners killed"): the same count named loosely, when no other group shares it.
    if own.unit == "people" && !own.measure.is_empty() {
        let same_predicate = || others.iter().filter(|k| k.measure == own.measure);
        // The other groups stored for the predicate.
        let mut groups: Vec<&str> = same_predicate()
            .map(|k| k.role)
            .filter(|r| !generic_thing(r) && *r != own.role)
            .collect();
        groups.sort_unstable();
        groups.dedup();
        let alone = if generic_thing(own.role) {
            groups.len() == 1
        } else {
            groups.is_empty()
        };
        if alone && !own.role.is_empty() {
            for k in same_predicate()
                .filter(|k| !k.role.is_empty() && (k.role == "people") != (own.role == "people"))
            {
                take(k);
            }
        }
    }
    // A thing of its own counted under one other predicate only ("31 schools damaged"
    // after "31 schools destroyed"): the two verbs are most likely one count read two
    // ways, when no other predicate is stored for that thing.
    if sole_predicate_thing(&own) {
        let mut predicates: Vec<&str> = others
            .iter()
            .filter(|k| k.role == own.role && !k.measure.is_empty())
            .map(|k| k.measure)
            .collect();
        predicates.sort_unstable();
        predicates.dedup();
        if predicates.len() == 1 && predicates[0] != own.measure {
            for k in others
                .iter()
                .filter(|k| k.role == own.role && k.measure == predicates[0])
            {
                take(k);
            }
        }
    }
    // An amount of money with and without a predicate ("€24 billion", "€24 billion
    // requested"), when only one predicate is stored for that currency.
    if currency(own.unit) && own.role.is_empty() {
        let mut predicates: Vec<&str> = others
            .iter()
            .filter(|k| k.role.is_empty() && !k.measure.is_empty())
            .map(|k| k.measure)
            .collect();
        if !own.measure.is_empty() {
            predicates.push(own.measure);
        }
        predicates.sort_unstable();
        predicates.dedup();
        if predicates.len() == 1 {
            for k in others
                .iter()
                .filter(|k| k.role.is_empty() && (k.measure.is_empty() != own.measure.is_empty()))
            {
                take(k);
            }
        }
    }
    // An area or a weight with and without what it is of ("40,000 hectares flooded",
    // "25,000 hectares of fields flooded"), when only one thing is stored for them.
    if measured(own.unit) && !own.measure.is_empty() {
        let mut things: Vec<&str> = others
            .iter()
            .filter(|k| k.measure == own.measure && !k.role.is_empty())
            .map(|k| k.role)
            .collect();
        if !own.role.is_empty() {
            things.push(own.role);
        }
        things.sort_unstable();
        things.dedup();
        if things.len() <= 1 {
            for k in others.iter().filter(|k| k.measure == own.measure) {
                if k.role != own.role && (k.role.is_empty() || own.role.is_empty()) {
                    take(k);
                }
            }
        }
    }
    out
}

/// A figure said to be current and a forecast of the same quantity ("the repairs will cost
/// €90 million", then "the bill now stands at €120 million"): what was foreseen, as it
/// turned out, so the current figure is its later value.
fn forecast_made_good(claim: &Claim, own: &KeyParts, other: &KeyParts) -> bool {
    claim.running_total
        && own.kind_class() == "running_total"
        && other.kind == "forecast"
        && (own.subject, own.role, own.measure, own.unit, own.period)
            == (
                other.subject,
                other.role,
                other.measure,
                other.unit,
                other.period,
            )
}

/// A key whose thing is named and is not people, with a predicate.
fn sole_predicate_thing(k: &KeyParts) -> bool {
    !generic_thing(k.role) && k.unit != "people" && !k.measure.is_empty()
}

/// Keys among `stored_keys` whose claims can only *corroborate* the claim: when one side
/// says nothing of its figure ("20 million euros", "a 3% rise") and the thing, unit and
/// subject are the same, an equal figure is most likely the same one, but a different
/// figure may be another quantity. A forecast and a total may agree this way too.
pub fn agreement_keys(claim: &Claim, stored_keys: &[String]) -> Vec<String> {
    let own_key = claim.key();
    let Some(own) = KeyParts::parse(&own_key) else {
        return Vec::new();
    };
    // "People" against "people": only one side with a predicate, and only a distinctive
    // figure (`agreeing`); counts of people coincide too often otherwise.
    let people = generic_thing(own.role) && own.unit == "people";
    fn loose<'a>(k: &KeyParts<'a>) -> &'a str {
        match k.kind_class() {
            "running_total" | "forecast" => "running_total",
            other => other,
        }
    }
    stored_keys
        .iter()
        .filter(|k| **k != own_key)
        .filter(|k| {
            KeyParts::parse(k).is_some_and(|k| {
                let role_ok = if people {
                    generic_thing(k.role)
                } else {
                    k.role == own.role
                };
                role_ok
                    && (k.subject, k.unit, k.period, loose(&k))
                        == (own.subject, own.unit, own.period, loose(&own))
                    && (k.measure.is_empty()
                        || own.measure.is_empty()
                        // A forecast and a total of the same thing and predicate.
                        || (k.measure == own.measure && k.kind_class() != own.kind_class()))
            })
        })
        .cloned()
        .collect()
}

/// The stored claims (of [`agreement_keys`]) that agree with the claim from another
/// outlet. Small counts agree by chance too often to say anything ("two", "three").
pub fn agreeing(claim: &Claim, source: &str, stored: &[StoredClaim]) -> Vec<usize> {
    if claim.unit != "percent" && claim.value < 10.0 {
        return Vec::new();
    }
    // A point figure on both sides: a range or a bound ("more than 30") agrees with too
    // much to say it is the same figure.
    let point =
        |c: &Claim| c.value_max.is_none() && matches!(c.approx, Approx::Exact | Approx::About);
    if !point(claim)
        || generic_thing(&claim.role) && claim.unit == "people" && !distinctive(claim.value)
    {
        return Vec::new();
    }
    let mine = interval(claim);
    (0..stored.len())
        .filter(|&i| {
            let s = &stored[i];
            point(&s.claim)
                && s.source != source
                && !same_report(claim, &s.claim)
                && claim.polarity != Polarity::Negative
                && s.claim.polarity != Polarity::Negative
                && claim.increment == s.claim.increment
                && overlaps(mine, interval(&s.claim))
        })
        .collect()
}

/// A figure with two significant digits or more ("230,000", "1.6 million", "46"): two
/// stories giving it for one thing are unlikely to count two things.
fn distinctive(v: f64) -> bool {
    match significant_digits(v) {
        None | Some(0) => true,
        Some(d) => d >= 2,
    }
}

/// How many significant digits a whole figure is written with ("230,000": 2, "1,436": 4,
/// 0: 0); None for a figure with a fraction ("58.9").
fn significant_digits(v: f64) -> Option<usize> {
    if (v - v.round()).abs() > f64::EPSILON {
        return None;
    }
    let mut n = v.round() as u64;
    if n == 0 {
        return Some(0);
    }
    while n.is_multiple_of(10) {
        n /= 10;
    }
    Some(n.to_string().len())
}

/// A figure precise enough that another story giving it is giving the same figure: a
/// point (exact or about), not an addition nor a denial, with three significant digits
/// ("1,436", "58.9%") or two from a hundred up ("230,000", "4,800").
pub fn distinctive_point(c: &Claim) -> bool {
    // A fraction ("58.9%") counts as three.
    let significant = significant_digits(c.value).unwrap_or(3);
    matches!(c.approx, Approx::Exact | Approx::About)
        && !c.increment
        && c.polarity != Polarity::Negative
        && c.unit != "bool"
        && c.unit != "date"
        && (significant >= 3 || (significant >= 2 && c.value >= 20.0))
}

/// A figure that, given again under a kindred key (`kin_keys`), is most likely the same
/// figure: neither an addition nor denied, not a small count (below ten, "two", "three"
/// agree by chance) unless a share.
pub fn plain_figure(c: &Claim) -> bool {
    !c.increment
        && c.polarity != Polarity::Negative
        && c.unit != "bool"
        && c.unit != "date"
        && (c.value >= 10.0 || c.unit == "percent")
}

/// The same figure: equal values and ranges of one unit, neither an addition nor denied.
/// A figure that says neither what it counts nor its unit ("the 110,000 claimed by the
/// NGO"): it may be any figure of its subject given before.
pub fn bare_figure(c: &Claim) -> bool {
    c.unit.is_empty() && c.role.is_empty()
}

/// The same figure again: equal values and ranges of one unit (a bare figure: any unit).
pub fn same_figure(claim: &Claim, other: &Claim) -> bool {
    // A bare figure is any figure of the same value.
    let bare = bare_figure(claim) && other.unit != "bool";
    (bare || same_count_unit(&claim.unit, &other.unit)) && same_value(claim, other)
}

/// A unit that counts things or people ("drones", "complaints", "people"), not a measure
/// (tonnes, km), an amount of money, a share, a rate or a length of time.
pub(super) fn count_unit(u: &str) -> bool {
    let lex = super::lexicon::lexicon();
    !(u.is_empty()
        || matches!(u, "percent" | "bool" | "date")
        || u.starts_with("per_")
        || currency(u)
        || lex.units.iter().any(|e| e.id == u)
        || lex.time_units.iter().any(|e| e.id == u))
}

/// The very distinctive figure (`distinctive_point`) another story gave of the same
/// subject, each counting what it counts in its own words ("11,800 claims", "11 800
/// dossiers"; "2 300 emplois", "2,300 workers"): a count of anything with that value is
/// that figure again. Counted in two words, not an addition, and not a figure the text
/// marks current under another verb ("now 1,200 complaints" after "1,200 evacuated").
pub fn same_distinctive_figure(claim: &Claim, other: &Claim) -> bool {
    if same_count_unit(&claim.unit, &other.unit) {
        return same_value(claim, other);
    }
    count_unit(&claim.unit)
        && count_unit(&other.unit)
        && same_value(claim, other)
        && !claim.increment
        && !(claim.running_total && claim.measure != other.measure)
}

/// Units under which a distinctive figure is looked for (`same_distinctive_figure`).
pub fn distinctive_units(a: &str, b: &str) -> bool {
    same_count_unit(a, b) || (count_unit(a) && count_unit(b))
}

/// Equal values and ranges of one subject, the other neither an addition nor denied.
fn same_value(claim: &Claim, other: &Claim) -> bool {
    // "1.6 million" and "1,600,000" are one value, whatever the float product rounds to.
    let equal = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs());
    equal(claim.value, other.value)
        && match (claim.value_max, other.value_max) {
            (Some(a), Some(b)) => equal(a, b),
            (None, None) => true,
            _ => false,
        }
        && !other.increment
        && other.polarity != Polarity::Negative
        && claim.subject == other.subject
}

/// Who gives a figure: who is quoted, else the outlet. The harbour master giving a new
/// count is the harbour master's later figure whichever paper carries it.
fn voice(outlet: &str, c: &Claim) -> String {
    match &c.attributed_to {
        Some(a) => a.to_lowercase(),
        None => format!("outlet:{outlet}"),
    }
}

/// Keys of the subject that may hold the claim's quantity worded another way, in two
/// tiers: first the same unit and thing, or one side naming no more than "people" or
/// nothing, with the same predicate or one side naming none (of any kind: a forecast, a
/// total); then the same thing under any other predicate. A figure the text sets against
/// another ("far more than the police estimate", "bien au-delà des chiffres officiels",
/// "втрое меньше, чем утверждают организаторы") looks for that other figure in both
/// (`rival_check`); the very same figure again looks in the first (`same_figure`).
pub fn kin_keys(claim: &Claim, stored_keys: &[String]) -> [Vec<String>; 2] {
    let own_key = claim.key();
    let Some(own) = KeyParts::parse(&own_key) else {
        return [Vec::new(), Vec::new()];
    };
    let others: Vec<(&String, KeyParts)> = stored_keys
        .iter()
        .filter(|k| **k != own_key)
        .filter_map(|k| KeyParts::parse(k).map(|p| (k, p)))
        .filter(|(_, k)| {
            k.subject == own.subject && k.period == own.period && same_count_unit(k.unit, own.unit)
        })
        .collect();
    let thing_fits =
        |k: &KeyParts| k.role == own.role || generic_thing(k.role) || generic_thing(own.role);
    let predicate_fits =
        |k: &KeyParts| k.measure == own.measure || k.measure.is_empty() || own.measure.is_empty();
    let first: Vec<String> = others
        .iter()
        .filter(|(_, k)| thing_fits(k) && predicate_fits(k))
        .map(|(key, _)| (*key).clone())
        .collect();
    let second: Vec<String> = others
        .iter()
        .filter(|(_, k)| !generic_thing(own.role) && k.role == own.role && !predicate_fits(k))
        .map(|(key, _)| (*key).clone())
        .collect();
    [first, second]
}

/// Keys of the subject with the claim's unit (any thing, any predicate): where a figure
/// the text sets against another ("barely half the figure the residents' lawyers gave")
/// looks last, when [`kin_keys`] found nothing: the sentence says there is a rival figure
/// of its quantity, however the other story worded it.
pub fn unit_keys(claim: &Claim, stored_keys: &[String]) -> Vec<String> {
    keys_of_unit(claim, stored_keys, false)
}

/// Keys of the subject in the claim's unit (of its period, or of any with `any_period`),
/// none for a share or a handful: a share is of too many things, and a handful agrees
/// or differs by chance.
fn keys_of_unit(claim: &Claim, stored_keys: &[String], any_period: bool) -> Vec<String> {
    if claim.unit == "percent" || claim.value < 10.0 {
        return Vec::new();
    }
    let own_key = claim.key();
    let Some(own) = KeyParts::parse(&own_key) else {
        return Vec::new();
    };
    stored_keys
        .iter()
        .filter(|k| **k != own_key)
        .filter(|k| {
            KeyParts::parse(k).is_some_and(|k| {
                k.subject == own.subject
                    && (any_period || k.period == own.period)
                    && same_count_unit(k.unit, own.unit)
            })
        })
        .cloned()
        .collect()
}

/// Keys of the subject with the claim's unit, whatever their period: where a figure the
/// text sets against another looks when every other tier found nothing ("well below the
/// figure given in Warsaw" for a week's count, against the total so far). Only figures
/// near its own are taken for its rival there ([`rival_check_within`], [`RIVAL_NEAR`]).
pub fn rival_unit_keys(claim: &Claim, stored_keys: &[String]) -> Vec<String> {
    keys_of_unit(claim, stored_keys, true)
}

/// How many times apart a figure set against another and a stored figure of its unit
/// under any key ([`rival_unit_keys`]) may be for the one to be the other's rival.
/// Measured on the tuning set: within three times, 27 of 35 such pairs were rival counts.
pub const RIVAL_NEAR: f64 = 3.0;

/// A figure the text sets against another (`Claim::rival`) against the stored claims of
/// one tier of [`kin_keys`]: the newest figure another voice gave that could be of the
/// same quantity (within [`APART`]) and place. A different figure contradicts it; None
/// when there is no such figure or it agrees.
pub fn rival_check(claim: &Claim, source: &str, stored: &[StoredClaim]) -> Option<Comparison> {
    rival_check_within(claim, source, stored, APART)
}

/// [`rival_check`] with figures at most `apart` times apart.
pub fn rival_check_within(
    claim: &Claim,
    source: &str,
    stored: &[StoredClaim],
    apart: f64,
) -> Option<Comparison> {
    if !claim.rival || claim.increment || claim.polarity == Polarity::Negative {
        return None;
    }
    let mine = voice(source, claim);
    let when = |s: &StoredClaim| s.published.unwrap_or(s.first_seen);
    let (lo, hi) = interval(claim);
    let newest = stored
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let o = &s.claim;
            let (a, b) = interval(o);
            !same_report(claim, o)
                && !o.increment
                && o.polarity != Polarity::Negative
                && voice(&s.source, o) != mine
                && same_place(claim, o)
                && a > 0.0
                && lo > 0.0
                && hi.max(b) / lo.min(a) <= apart
        })
        .max_by_key(|(_, s)| when(s))?;
    // Agreeing with a figure the sentence sets itself against says that figure was
    // mistaken for this one, not that it is this one.
    (!overlaps(interval(claim), interval(&newest.1.claim))).then(|| Comparison {
        status: ClaimStatus::Contradicts,
        related: vec![newest.0],
    })
}

/// Units that count the same things: a case of a disease is a person who has it
/// ("574 cases", "574 sick children").
pub fn same_count_unit(a: &str, b: &str) -> bool {
    let people = |u: &str| matches!(u, "people" | "cases");
    a == b || (people(a) && people(b))
}

/// The unit part of a comparison key.
pub fn key_unit(key: &str) -> Option<&str> {
    KeyParts::parse(key).map(|k| k.unit)
}

/// Whether two claims can be of one quantity: the same key, or keys [`neighbour_keys`]
/// relates (which also checks that the looser reading is the only one possible).
fn same_quantity(claim: &Claim, other: &Claim) -> bool {
    let (a, b) = (claim.key(), other.key());
    if a == b {
        return true;
    }
    let (Some(a), Some(b)) = (KeyParts::parse(&a), KeyParts::parse(&b)) else {
        return false;
    };
    if !cognate_keys(&a, std::slice::from_ref(&b)).is_empty() || forecast_made_good(claim, &a, &b) {
        return true;
    }
    let area = measured(a.unit)
        && !a.measure.is_empty()
        && a.measure == b.measure
        && (a.role.is_empty() || b.role.is_empty());
    // See `neighbour_keys`: "people" and a group with the same predicate.
    let group = a.unit == "people"
        && !a.measure.is_empty()
        && a.measure == b.measure
        && (a.role == "people") != (b.role == "people")
        && !a.role.is_empty()
        && !b.role.is_empty();
    // See `neighbour_keys`: money with and without its one predicate.
    let money = currency(a.unit)
        && a.role.is_empty()
        && b.role.is_empty()
        && (a.measure.is_empty() != b.measure.is_empty());
    // See `neighbour_keys`: a thing counted under its one other stored predicate.
    let sole = sole_predicate_thing(&a) && sole_predicate_thing(&b) && a.role == b.role;
    a.frame() == b.frame()
        && (sole || money || a.role == b.role || area || group)
        && (a.measure == b.measure
            || money
            || sole
            || ((a.measure.is_empty() || b.measure.is_empty()) && a.role == b.role && precise(&a)))
}

fn comparable(claim: &Claim, s: &StoredClaim) -> bool {
    let o = &s.claim;
    // The key holds subject, role, measure, unit, kind and period.
    if !same_quantity(claim, o) {
        return false;
    }
    // A syndicated copy is not a second voice, neither for nor against.
    if same_report(claim, o) {
        return false;
    }
    // A denied figure ("did not send 5,000") says what is not so, not what is.
    if claim.unit != "bool"
        && (claim.polarity == Polarity::Negative || o.polarity == Polarity::Negative)
    {
        return false;
    }
    // Two figures more than this many times apart are two quantities (a town's dead and
    // a war's, one airline's losses and an industry's), not two estimates of one: the
    // widest rival estimates stay within it (600 against 6,000 killed).
    let (lo, hi) = (
        claim.value.min(o.value),
        claim
            .value_max
            .unwrap_or(claim.value)
            .max(o.value_max.unwrap_or(o.value)),
    );
    // A figure said to be current may have moved that far (a level falling as power
    // comes back), when the text says what it is a figure of: a bare current figure
    // ("now 285,000 people", "€310,000") is as likely another quantity.
    if claim.unit != "bool"
        && claim.unit != "date"
        && (!claim.running_total || claim.measure.is_empty())
        && lo > 0.0
        && hi / lo > APART
    {
        return false;
    }
    // Belt and braces for claims stored before the key held these.
    claim.increment == o.increment
}

/// Below this share of a stored figure, a figure nothing sets against it is taken for a
/// part of that quantity, not a rival count of it (`compare_open`).
const PART_RATIO: f64 = 0.3;

/// Below this share of a figure published [`STALE_DAYS`] or more before it, a figure
/// nothing marks is taken for another quantity (`compare_open`).
const STALE_PART_RATIO: f64 = 0.5;

/// See [`STALE_PART_RATIO`].
const STALE_DAYS: i64 = 7;

/// Below this share of a count of people, a group's count is taken for a part of them.
const AMONG_RATIO: f64 = 0.8;

/// See [`comparable`]: how many times apart two figures of one key may be and still be
/// one quantity.
pub const APART: f64 = 20.0;

/// How many times apart two named voices' figures of one precise thing may be and still
/// be two counts of it when nothing else is said (`compare_open`).
const NAMED_RIVALS_APART: f64 = 2.0;

/// How far from its value a bound ("more than 900", "up to 500") still agrees with a figure.
const BOUND_REACH: f64 = 1.5;

fn pair(claim: &Claim, source: &str, s: &StoredClaim) -> Option<Pair> {
    let other = &s.claim;
    let a = interval(claim);
    let b = interval(other);
    if overlaps(a, b) {
        // An outlet repeating itself (a headline and its article, a follow-up) is one voice.
        (s.source != source).then_some(Pair::Agrees)
    } else if claim.kind == ClaimKind::EventDate {
        // Two dates of "a treaty signed" may be two treaties: agreement only.
        None
    } else if claim.running_total && a.0 > b.1 {
        // The new one is read now, so it is the later figure of a growing total.
        Some(Pair::Updates)
    } else {
        Some(Pair::Disagrees)
    }
}

/// An open-vocabulary claim against the stored ones of its key. A quantity may change
/// over time, so the newest stored figure matters most:
/// - agreeing with the newest (or with every figure compared) corroborates;
/// - else a figure the text marks as current ("now", "as of", "désormais", "уже") updates,
///   higher or lower;
/// - else a different figure from another voice contradicts, and the same voice giving
///   a new figure updates its own.
///
/// A figure marked current but published within [`SAME_MOMENT_HOURS`] of the newest
/// stored one is a rival count of the same moment, not a later value: it contradicts
/// (only when both stories state their publication date).
fn compare_open(
    claim: &Claim,
    source: &str,
    published: Option<DateTime<Utc>>,
    stored: &[StoredClaim],
) -> Comparison {
    // A bound agrees with a figure near it ("more than 900", then 1,000); a figure far
    // inside it ("more than 500", then 2,000) neither agrees nor conflicts with it, unless
    // the text says the figure is the later count.
    let lower = |c: &Claim| matches!(c.approx, Approx::Over | Approx::AtLeast);
    let upper = |c: &Claim| matches!(c.approx, Approx::UpTo | Approx::Under);
    let one_sided = |c: &Claim| lower(c) || upper(c);
    let far_inside = |o: &Claim| {
        one_sided(claim) != one_sided(o)
            && overlaps(interval(claim), interval(o))
            && claim.value.min(o.value) > 0.0
            && claim.value.max(o.value) / claim.value.min(o.value) > BOUND_REACH
    };
    // A figure the text calls current, beside another of the same story ("77 dead … Police
    // now say 19 of the dead were children"), is no later count nor a rival of it: the
    // story gives both at one moment. Only a figure set against the other is.
    let same_story = |s: &StoredClaim| {
        claim.running_total
            && !claim.rival
            && s.source == source
            && published.is_some()
            && s.published == published
    };
    let compared: Vec<usize> = (0..stored.len())
        .filter(|&i| comparable(claim, &stored[i]) && same_place(claim, &stored[i].claim))
        .filter(|&i| claim.running_total || !far_inside(&stored[i].claim))
        .filter(|&i| !same_story(&stored[i]))
        .collect();
    if compared.is_empty() {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    let when = |s: &StoredClaim| s.published.unwrap_or(s.first_seen);
    let mine = interval(claim);
    // A figure the text marks current agrees with a bound ("at least 45") only when it is
    // about the same figure; "now 72" after "at least 45" is the later count.
    let bound =
        |c: &Claim| !matches!(c.approx, Approx::Exact | Approx::About) || c.value_max.is_some();
    // An approximate figure ("about 3,000") and a later one said to be current ("now
    // 3,400") are two moments of the count, though the approximation would cover both.
    let about = |c: &Claim| c.approx == Approx::About && c.value_max.is_none();
    // A later bound (not a rival's) that the stored figure itself keeps.
    let kept_bound = |s: &StoredClaim| {
        bound(claim) && !bound(&s.claim) && !claim.rival && overlaps(mine, point_interval(&s.claim))
    };
    let agrees = |s: &StoredClaim| {
        overlaps(mine, interval(&s.claim))
            // Two bounds the same way ("at least 45", "more than 120") always overlap;
            // they are the same estimate only when their figures are.
            && !(((lower(claim) && lower(&s.claim)) || (upper(claim) && upper(&s.claim)))
                && !overlaps(point_interval(claim), point_interval(&s.claim)))
            // A later count, or a rival one, is the same figure only at its value ("at
            // least 45", then "now 72"); but a later bound that the stored figure itself
            // keeps ("more than 200" after 214) agrees with it.
            && !((claim.running_total || claim.rival)
                && (bound(claim) || bound(&s.claim) || about(claim) || about(&s.claim))
                && !overlaps(point_interval(claim), point_interval(&s.claim))
                && !kept_bound(s))
    };
    let newest_time = compared.iter().map(|&i| when(&stored[i])).max();
    let newest: Vec<usize> = compared
        .iter()
        .copied()
        .filter(|&i| Some(when(&stored[i])) == newest_time)
        .collect();
    let agree: Vec<usize> = compared
        .iter()
        .copied()
        .filter(|&i| agrees(&stored[i]))
        .collect();
    let disagree: Vec<usize> = compared
        .iter()
        .copied()
        .filter(|&i| !agrees(&stored[i]))
        .collect();
    let order = |first: Vec<usize>| {
        let rest: Vec<usize> = compared
            .iter()
            .copied()
            .filter(|i| !first.contains(i))
            .collect();
        let mut related = first;
        related.extend(rest);
        related
    };
    // A figure that says nothing of itself agreeing with any stored one is that one
    // again; the newest matters only for a figure that can change.
    // The very figure stored before, restated ("of the 30 dead", "down from a peak of
    // 90"), is that figure again even when a later one has come since.
    // A figure marked current is that figure again only at its very value ("keeps its
    // estimate that about 20 tonnes escaped"), and from 20 up (a toll of nine may be
    // nine again after eight as easily as the same nine).
    let restated = |i: &usize| {
        let o = &stored[*i].claim;
        (!claim.running_total
            || (claim.value >= 20.0 && same_figure(claim, o) && claim.unit == o.unit))
            && claim.approx == o.approx
            && overlaps(point_interval(claim), point_interval(o))
    };
    // A yardstick's figure ("down from a peak of 90") is a figure stored before, again,
    // or nothing known: never a later nor a rival value.
    if claim.restated {
        let status = if agree.is_empty() {
            ClaimStatus::New
        } else {
            ClaimStatus::Corroborates
        };
        return Comparison {
            related: if agree.is_empty() {
                Vec::new()
            } else {
                order(agree)
            },
            status,
        };
    }
    if !agree.is_empty()
        && (disagree.is_empty()
            || newest.iter().any(|i| agree.contains(i))
            || (claim.measure.is_empty() && !claim.running_total)
            || agree.iter().any(restated))
    {
        return Comparison {
            status: ClaimStatus::Corroborates,
            related: order(agree),
        };
    }
    // Only two stated publication dates can say "the same moment"; a story without one
    // (or a stored claim without one) is taken to be later.
    let newest_stated = compared
        .iter()
        .filter(|&&i| newest.contains(&i))
        .filter_map(|&i| stored[i].published)
        .max();
    let later = match (published, newest_stated) {
        (Some(p), Some(n)) => p - n >= chrono::Duration::hours(SAME_MOMENT_HOURS),
        _ => true,
    };
    let latest: Vec<usize> = newest
        .iter()
        .copied()
        .filter(|i| disagree.contains(i))
        .collect();
    // Nothing said of the figure ("1,500 people", no verb the lexicon knows) on either
    // side: too vague to call a different figure a conflict; a later one the text marks
    // current is a change.
    let vague =
        claim.measure.is_empty() || latest.iter().all(|&i| stored[i].claim.measure.is_empty());
    let same_voice = latest
        .iter()
        .all(|&i| voice(&stored[i].source, &stored[i].claim) == voice(source, claim));
    // A new figure for a thing more precise than "people", from the voice that gave the
    // last one, is that voice's later count even when nothing is said of it.
    let own_key = claim.key();
    let is_precise = KeyParts::parse(&own_key).is_some_and(|k| precise(&k));
    let own_later = same_voice && is_precise;
    // A figure for a precise thing set against another ("well above the ministry's") is a
    // rival count even when nothing more is said of it.
    // Two sources quoted by one story for one precise thing, or for people under one key
    // ("11,800 candidates, the ministry said … the union put the figure at 27,000";
    // "12,000 by the police's count, 40,000 say the organisers") are set against each
    // other by the story itself.
    let quoted_apart = |i: &usize| {
        let s = &stored[*i];
        s.source == source
            && published.is_some()
            && s.published == published
            && s.claim.attributed_to.is_some()
            && claim.attributed_to.is_some()
            && voice(&s.source, &s.claim) != voice(source, claim)
    };
    let rival = (claim.rival
        && (is_precise || latest.iter().all(|&i| stored[i].claim.key() == own_key)))
        || ((is_precise || claim.unit == "people")
            && !latest.is_empty()
            && latest
                .iter()
                .all(|i| quoted_apart(i) && stored[*i].claim.key() == own_key));
    // A figure marked current is the later value of the one before it, a share of
    // nothing named too ("inflation … a grimpé à 87 %", "now 50%"): a share is of the
    // story's quantity as often as an amount of money is.
    // Two named voices counting one precise thing, neither saying what befell it nor that
    // its figure is current ("176 homes without heating, the prosecutor counted" after
    // "more than 300 cold homes, the residents said"): figures that close are two counts
    // of one quantity, not two quantities.
    let named_rivals = is_precise
        && claim.measure.is_empty()
        && !currency(&claim.unit)
        && claim.attributed_to.is_some()
        && !claim.running_total
        && claim.value >= 10.0
        && !latest.is_empty()
        && latest.iter().all(|&i| {
            let o = &stored[i];
            let (lo, hi) = (
                claim.value.min(o.claim.value),
                claim.value.max(o.claim.value),
            );
            o.claim.attributed_to.is_some()
                && o.claim.measure.is_empty()
                && voice(&o.source, &o.claim) != voice(source, claim)
                && lo > 0.0
                && hi / lo <= NAMED_RIVALS_APART
        });
    let changes = (claim.running_total && later) || own_later || rival || named_rivals;
    if vague && !changes {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    // Money given by another voice ("the EU releases €25 million" after "the state
    // promised €10 million") is another gift, not a rival count of the same one.
    let gift = currency(&claim.unit)
        && super::lexicon::lexicon()
            .predicate(&claim.measure)
            .is_some_and(|p| p.gift);
    let later_total = claim.running_total && later;
    if gift && !same_voice && !claim.rival && !later_total {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    // Two additions ("another 2,500", "7,000 more") are two steps, neither the later
    // value of the other; only the very same addition agrees.
    if claim.increment && !claim.rival {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    let status = if claim.rival && !same_voice {
        ClaimStatus::Contradicts
    } else if (claim.running_total && later) || same_voice {
        ClaimStatus::Updates
    } else {
        ClaimStatus::Contradicts
    };
    // Two verbs for one thing (`sole_predicate_thing`) are enough to call a figure the
    // same one again or its later value, not to set two figures against each other.
    let other_verb = |i: &usize| {
        let m = &stored[*i].claim.measure;
        !m.is_empty() && !claim.measure.is_empty() && *m != claim.measure
    };
    // A figure under a third of a total said to be the count so far, and not set against
    // it, or an exact figure that far below any, is most often a part of it ("14 missiles
    // in the last ten days" after "88 fired so far"): another quantity. An estimate
    // against a figure that says nothing of its time stays a rival ("about 600 dead"
    // against "6,000 killed").
    let part_of = |i: &usize| {
        let (_, hi) = interval(claim);
        let (lo, _) = interval(&stored[*i].claim);
        hi.is_finite()
            && hi < PART_RATIO * lo
            && (stored[*i].claim.running_total || claim.approx == Approx::Exact)
    };
    // A group below the count of people it belongs to ("12 minors" after "84 people
    // rescued"), or people above a group stored before ("31 bodies identified" after "11
    // children identified"): the group is among the people, no conflict.
    let among = |i: &usize| {
        let o = &stored[*i].claim;
        let (group, people) = match (generic_thing(&claim.role), generic_thing(&o.role)) {
            (false, true) => (claim, o),
            (true, false) => (o, claim),
            _ => return false,
        };
        // Near figures ("27 miners killed", "30 killed") are one count read two ways.
        claim.unit == "people" && interval(group).1 < AMONG_RATIO * interval(people).0
    };
    // A figure under half of one published a week or more before it, and neither said
    // to be current nor set against it, is most often a part or another period's count
    // ("46 sheep lost in one night" after "430 killed since June"): totals grow, and a
    // rival count of the same moment comes within days.
    let stale_part = |i: &usize| {
        let s = &stored[*i];
        let (_, hi) = interval(claim);
        let (lo, _) = interval(&s.claim);
        let weeks_apart = published.is_some_and(|p| {
            p - s.published.unwrap_or(s.first_seen) >= chrono::Duration::days(STALE_DAYS)
        });
        hi.is_finite() && hi < STALE_PART_RATIO * lo && weeks_apart
    };
    if status == ClaimStatus::Contradicts
        && !claim.rival
        && latest
            .iter()
            .all(|i| part_of(i) || among(i) || stale_part(i))
    {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    if status == ClaimStatus::Contradicts && latest.iter().all(other_verb) {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    }
    Comparison {
        status,
        related: order(latest),
    }
}

/// Whether two figures can be of one place: a figure for one town and one for another
/// are two quantities; a smaller figure for a place than one that names no place may be
/// a part of that whole ("in Montreal alone, 310,000"), so it is not set against it.
fn same_place(claim: &Claim, other: &Claim) -> bool {
    let below = |part: &Claim, whole: &Claim| interval(part).1 < interval(whole).0;
    // A stored part that names no place ("dans la seule ville d'Och, 23") may be the
    // very part a later figure counts by a name the watchlist holds ("31 schools in
    // Osh"): only a new figure called a part is kept from the whole.
    let other_place = other
        .place
        .clone()
        .filter(|p| !(p == super::PART_OF_WHOLE && claim.place.is_none()));
    match (&claim.place, &other_place) {
        (Some(a), Some(b)) => a == b,
        (None, None) => true,
        // A part of a whole the text does not place is no later value of that whole
        // ("five dead, three of them poisoned" after two dead).
        (Some(a), None) if a == super::PART_OF_WHOLE => false,
        (Some(_), None) => !below(claim, other),
        // A figure the text marks current ("now 17 wounded") is the later count of the
        // whole, not a whole its earlier part belongs to.
        (None, Some(_)) => claim.running_total || !below(other, claim),
    }
}

/// How far apart (a ratio) a current figure and the last one of its unit may be for the
/// one to be the later value of the other (`later_level`).
const LEVEL_APART: f64 = 2.0;

/// Whether a current figure ("9,2 km de tunnel sont désormais creusés") whose key found
/// nothing is looked for as the later value of the last figure of its unit: only a unit
/// that names a thing (km, tonnes, turbines), not people, a share or money, whose figures
/// of one subject are most often of one quantity.
pub fn seeks_level(claim: &Claim) -> bool {
    claim.running_total
        && !claim.rival
        && !claim.increment
        && !claim.restated
        && claim.value > 0.0
        && !claim.unit.is_empty()
        && claim.unit != "people"
        && claim.unit != "percent"
        && !currency(&claim.unit)
}

/// The stored figure a current figure (`seeks_level`) is the later value of: among those
/// of its unit from earlier stories of other items, the newest, when within
/// `LEVEL_APART` of it, of another value, and of the same place. Measured on the tuning
/// topics, a current figure this near the last one of its unit is more often its later
/// value than a new quantity, whatever each story called the thing.
pub fn later_level(
    claim: &Claim,
    published: Option<DateTime<Utc>>,
    stored: &[StoredClaim],
) -> Option<usize> {
    let published = published?;
    let newest = (0..stored.len())
        .filter(|&i| {
            let s = &stored[i];
            s.published.is_some_and(|p| p < published) && s.claim.unit == claim.unit
        })
        .max_by_key(|&i| stored[i].published)?;
    let o = &stored[newest].claim;
    let (lo, hi) = (claim.value.min(o.value), claim.value.max(o.value));
    (lo > 0.0 && hi / lo <= LEVEL_APART && !same_value(claim, o) && same_place(claim, o))
        .then_some(newest)
}

/// Two reports of a changing quantity published closer than this describe the same
/// moment.
pub const SAME_MOMENT_HOURS: i64 = 3;

/// See [`super::compare`]; `published` is when the new claim's story was published.
pub fn compare_at(
    claim: &Claim,
    source: &str,
    published: Option<DateTime<Utc>>,
    stored: &[StoredClaim],
) -> Comparison {
    // People counts of the first reader change over time like any other count: one
    // time-aware comparison for both readers.
    if claim.open || claim.unit == "people" {
        return compare_open(claim, source, published, stored);
    }
    compare(claim, source, stored)
}

/// See [`super::compare`].
pub fn compare(claim: &Claim, source: &str, stored: &[StoredClaim]) -> Comparison {
    if claim.open {
        return compare_open(claim, source, None, stored);
    }
    let mut agree = Vec::new();
    let mut disagree = Vec::new();
    let mut update = Vec::new();
    let mut compared = Vec::new();
    for (i, s) in stored.iter().enumerate() {
        if !comparable(claim, s) {
            continue;
        }
        compared.push(i);
        match pair(claim, source, s) {
            Some(Pair::Agrees) => agree.push(i),
            Some(Pair::Disagrees) => disagree.push(i),
            Some(Pair::Updates) => update.push(i),
            None => {}
        }
    }
    let (status, first) = if !disagree.is_empty() {
        (ClaimStatus::Contradicts, disagree)
    } else if !agree.is_empty() {
        (ClaimStatus::Corroborates, agree)
    } else if !update.is_empty() {
        (ClaimStatus::Updates, update)
    } else {
        return Comparison {
            status: ClaimStatus::New,
            related: Vec::new(),
        };
    };
    // The deciding claims first, then the others that were compared.
    let mut related = first;
    let mut rest: Vec<usize> = compared
        .into_iter()
        .filter(|i| !related.contains(i))
        .collect();
    related.append(&mut rest);
    Comparison { status, related }
}

/// Measures that are parts of another measure of the same subject: a part can never
/// exceed its whole (the dead are among the casualties).
const PARTS: &[(&str, &str)] = &[
    ("killed", "casualties"),
    ("wounded", "casualties"),
    ("captured", "casualties"),
];

/// Keys of stored claims of other measures that [`cross_check`] wants to see.
pub fn related_keys(claim: &Claim) -> Vec<String> {
    let mut keys = Vec::new();
    for (part, whole) in PARTS {
        if claim.measure == *part {
            keys.push(claim.key_with_measure(whole));
        }
        if claim.measure == *whole {
            keys.push(claim.key_with_measure(part));
        }
    }
    keys
}

/// Cross-measure check: a death toll above a casualty toll of the same subject (or a
/// casualty toll below a stored death toll) contradicts. Returns `Contradicts` with the
/// disagreeing stored claims, else `New` (agreement across measures corroborates nothing).
pub fn cross_check(claim: &Claim, source: &str, stored_other: &[StoredClaim]) -> Comparison {
    cross_check_at(claim, source, None, stored_other)
}

/// See [`cross_check`]; `published` is when the new claim's story was published. A part
/// said to be current ("600 have now been killed") above a whole stored from an earlier
/// moment (3,000 casualties a month before) is no conflict: the whole has grown since.
pub fn cross_check_at(
    claim: &Claim,
    _source: &str,
    published: Option<DateTime<Utc>>,
    stored_other: &[StoredClaim],
) -> Comparison {
    let mut related = Vec::new();
    for (i, s) in stored_other.iter().enumerate() {
        let o = &s.claim;
        if same_report(claim, o) {
            continue;
        }
        if o.subject != claim.subject
            || o.role != claim.role
            || o.unit != claim.unit
            || o.kind != claim.kind
            || o.period != claim.period
            || o.increment
            || claim.increment
            || o.polarity == Polarity::Negative
            || claim.polarity == Polarity::Negative
        {
            continue;
        }
        let (ci, oi) = (interval(claim), interval(o));
        let part_over_whole = |part: &Claim, pi: (f64, f64), whole: &Claim, wi: (f64, f64)| {
            PARTS.contains(&(part.measure.as_str(), whole.measure.as_str())) && pi.0 > wi.1
        };
        let grown_since = claim.running_total
            && published
                .zip(s.published)
                .is_some_and(|(p, q)| p - q >= chrono::Duration::hours(SAME_MOMENT_HOURS));
        if (part_over_whole(claim, ci, o, oi) && !grown_since) || part_over_whole(o, oi, claim, ci)
        {
            related.push(i);
        }
    }
    let status = if related.is_empty() {
        ClaimStatus::New
    } else {
        ClaimStatus::Contradicts
    };
    Comparison { status, related }
}
