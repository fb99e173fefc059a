//! Time in a sentence: event dates of treaties ("signed on 19 June 2024", "ratified on
//! November 9" — the year from the article's date) and the time scope of a figure ("since
//! September", "within three months", "as of May").

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::numbers::{Tok, TokKind};
use crate::model::TimeScope;

/// Month number of a month name in English, French or Russian (any case form).
pub fn month_number(w: &str) -> Option<u32> {
    const NAMES: &[(&[&str], u32)] = &[
        (&["january", "jan", "janvier", "январ"], 1),
        (&["february", "feb", "février", "fevrier", "феврал"], 2),
        (&["march", "mar", "mars", "март"], 3),
        (&["april", "apr", "avril", "апрел"], 4),
        (&["may", "mai", "мая", "май"], 5),
        (&["june", "jun", "juin", "июн"], 6),
        (&["july", "jul", "juillet", "июл"], 7),
        (&["august", "aug", "août", "aout", "август"], 8),
        (&["september", "sep", "sept", "septembre", "сентябр"], 9),
        (&["october", "oct", "octobre", "октябр"], 10),
        (&["november", "nov", "novembre", "ноябр"], 11),
        (&["december", "dec", "décembre", "decembre", "декабр"], 12),
    ];
    NAMES.iter().find_map(|(names, n)| {
        names
            .iter()
            .any(|p| {
                if p.chars().next().is_some_and(|c| ('а'..='я').contains(&c)) {
                    w.starts_with(p)
                } else {
                    w == *p
                }
            })
            .then_some(*n)
    })
}

fn num_at(toks: &[Tok], k: usize) -> Option<(f64, usize)> {
    match toks.get(k)?.kind {
        TokKind::Num {
            value, int_digits, ..
        } if int_digits > 0 => Some((value, int_digits)),
        _ => None,
    }
}

/// A day-and-month date at token `k` ("19 June 2024", "June 19, 2024", "le 19 juin",
/// "19 июня 2024 года", "November 9"): (year if written, month, day, first and next token).
fn date_at(toks: &[Tok], k: usize) -> Option<(Option<i32>, u32, u32, usize, usize)> {
    let year_at = |j: usize| -> Option<i32> {
        num_at(toks, j)
            .filter(|(v, d)| *d == 4 && (1900.0..=2100.0).contains(v))
            .map(|(v, _)| v as i32)
    };
    let day_of = |v: f64, d: usize| (d <= 2 && (1.0..=31.0).contains(&v)).then_some(v as u32);
    // Day first: "19 June 2024", "19 июня 2024 года".
    if let Some((v, d)) = num_at(toks, k) {
        let day = day_of(v, d)?;
        let month = toks.get(k + 1).and_then(Tok::word).and_then(month_number)?;
        let year = year_at(k + 2);
        let next = if year.is_some() { k + 3 } else { k + 2 };
        return Some((year, month, day, k, next));
    }
    // Month first: "June 19, 2024", "November 9".
    let month = toks.get(k).and_then(Tok::word).and_then(month_number)?;
    let (v, d) = num_at(toks, k + 1)?;
    let day = day_of(v, d)?;
    let comma = toks.get(k + 2).is_some_and(|t| t.is_sym(','));
    let year = year_at(if comma { k + 3 } else { k + 2 });
    let next = match (year, comma) {
        (Some(_), true) => k + 4,
        (Some(_), false) => k + 3,
        _ => k + 2,
    };
    Some((year, month, day, k, next))
}

/// The year of a date written without one: the article's year, or the year before when
/// that date would fall after the article; without an article date, the latest year the
/// text named before the date.
fn infer_year(
    month: u32,
    day: u32,
    published: Option<DateTime<Utc>>,
    prior_year: Option<i32>,
) -> Option<i32> {
    if let Some(p) = published {
        let y = p.year();
        let d = NaiveDate::from_ymd_opt(y, month, day)?;
        return Some(if d > p.date_naive() { y - 1 } else { y });
    }
    prior_year
}

/// Treaty words: an event date is read only for the signing or ratification of one.
const TREATY_WORDS: &[&str] = &[
    "treaty",
    "agreement",
    "pact",
    "accord",
    "traité",
    "traite",
    "договор",
    "соглашен",
    "пакт",
    "law",
    "loi",
    "закон",
];

/// (prefix, measure) of the event verbs.
const EVENT_VERBS: &[(&str, &str)] = &[
    ("ratif", "treaty_ratified"),
    ("ратифиц", "treaty_ratified"),
    ("signed", "treaty_signed"),
    ("signing", "treaty_signed"),
    ("sign", "treaty_signed"),
    ("signé", "treaty_signed"),
    ("signe", "treaty_signed"),
    ("подпис", "treaty_signed"),
    ("conclu", "treaty_signed"),
    ("заключ", "treaty_signed"),
];

/// One event date read from a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDate {
    /// `treaty_signed` or `treaty_ratified`.
    pub measure: &'static str,
    /// The date as YYYYMMDD.
    pub value: f64,
    /// Token range of the date.
    pub first_tok: usize,
    pub next_tok: usize,
}

/// Token ranges of every day-and-month date of a sentence (they are never counts).
pub fn date_spans(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        if let Some((_, _, _, first, next)) = date_at(toks, k) {
            out.push((first, next));
            k = next;
        } else {
            k += 1;
        }
    }
    out
}

/// The signing / ratification dates a sentence states. A ratification law being signed
/// is a ratification; a sentence with no treaty word gives none (visits have dates too).
pub fn event_dates(
    toks: &[Tok],
    published: Option<DateTime<Utc>>,
    prior_year: Option<i32>,
) -> Vec<EventDate> {
    let words: Vec<&str> = toks.iter().filter_map(Tok::word).collect();
    if !words
        .iter()
        .any(|w| TREATY_WORDS.iter().any(|p| w.starts_with(p)))
    {
        return Vec::new();
    }
    // Questions, plans and denials are no record of an event.
    if words.iter().any(|w| {
        matches!(
            *w,
            "will" | "would" | "may" | "might" | "could" | "whether" | "not" | "planned" | "plans"
        )
    }) {
        return Vec::new();
    }
    let ratification = words
        .iter()
        .any(|w| w.starts_with("ratif") || w.starts_with("ратифиц"));
    let measure = if ratification {
        Some("treaty_ratified")
    } else {
        words.iter().find_map(|w| {
            EVENT_VERBS
                .iter()
                .find(|(p, _)| w.starts_with(p))
                .map(|(_, m)| *m)
        })
    };
    let Some(measure) = measure else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut year_seen = prior_year;
    let mut k = 0;
    while k < toks.len() {
        if let Some((year, month, day, first, next)) = date_at(toks, k) {
            let y = year.or_else(|| infer_year(month, day, published, year_seen));
            if let Some(y) = y {
                if NaiveDate::from_ymd_opt(y, month, day).is_some() {
                    out.push(EventDate {
                        measure,
                        value: f64::from(y as u32 * 10_000 + month * 100 + day),
                        first_tok: first,
                        next_tok: next,
                    });
                }
                year_seen = Some(y);
            }
            k = next;
        } else {
            k += 1;
        }
    }
    // One event per sentence: the last date is the one the verb governs in "talks on
    // 18 June … signed on 19 June"; with one date it is that one.
    if out.len() > 1 {
        out.drain(..out.len() - 1);
    }
    out
}

/// The latest plausible year (1900–2100) a text names, for dates written without one.
pub fn last_year_in(toks: &[Tok]) -> Option<i32> {
    toks.iter()
        .filter_map(|t| match t.kind {
            TokKind::Num {
                value,
                int_digits: 4,
                ..
            } if (1900.0..=2100.0).contains(&value) => Some(value as i32),
            _ => None,
        })
        .next_back()
}

/// Small number words for "within three months".
fn small_count(t: &Tok) -> Option<u32> {
    if let TokKind::Num {
        value, int_digits, ..
    } = t.kind
    {
        return (int_digits > 0 && value < 120.0).then_some(value as u32);
    }
    let w = t.word()?;
    let n = match w {
        "one" | "a" | "un" | "une" | "один" | "одного" => 1,
        "two" | "deux" | "два" | "двух" => 2,
        "three" | "trois" | "три" | "трех" => 3,
        "four" | "quatre" | "четыре" | "четырех" => 4,
        "five" | "cinq" | "пять" | "пяти" => 5,
        "six" | "шесть" | "шести" => 6,
        "nine" | "neuf" => 9,
        "twelve" | "douze" => 12,
        _ => return None,
    };
    Some(n)
}

/// The time scope a clause gives its figure.
pub fn time_scope(toks: &[Tok]) -> Option<TimeScope> {
    stated_scope(toks).or_else(|| window(toks).map(TimeScope::Window))
}

/// A short window the figure is counted over ("in the past 24 hours", "dans la nuit", "en
/// une semaine", "за последние сутки", "par jour"), normalised: `day`, `night`, `week`,
/// `N days`, `N weeks`, `per day`. A figure counted over a window is a flow, not the
/// running total ("12,000 fled in the past week" beside "90,000 displaced"). A bare
/// "overnight" is not one: it dates a level as often ("the toll, unchanged overnight").
fn window(toks: &[Tok]) -> Option<String> {
    let word = |k: usize| toks.get(k).and_then(Tok::word);
    // A unit of time after a count: (count, "day" | "week" | "night").
    let unit_of = |w: &str| -> Option<&'static str> {
        if w.starts_with("day")
            || w.starts_with("jour")
            || w == "journée"
            || w == "сутки"
            || w == "суток"
            || w.starts_with("дн")
            || w == "день"
        {
            Some("day")
        } else if w.starts_with("hour") || w.starts_with("heure") || w.starts_with("час") {
            Some("hour")
        } else if w.starts_with("week") || w.starts_with("semaine") || w.starts_with("недел") {
            Some("week")
        } else if w.starts_with("night") || w == "nuit" || w == "ночь" {
            Some("night")
        } else {
            None
        }
    };
    let norm = |n: u32, unit: &str| -> String {
        match unit {
            "hour" if n <= 24 => "day".to_string(),
            "hour" => format!("{} days", n.div_ceil(24)),
            _ if n <= 1 => unit.to_string(),
            u => format!("{n} {u}s"),
        }
    };
    for k in 0..toks.len() {
        let Some(w) = word(k) else { continue };
        let next = word(k + 1);
        match (w, next) {
            ("last" | "dernière", Some("night" | "week")) | ("прошлой", Some("неделе")) =>
            {
                return Some(norm(1, unit_of(next.unwrap_or_default()).unwrap_or("week")));
            }
            ("la", Some("nuit" | "semaine")) if matches!(word(k + 2), Some("dernière")) => {
                return Some(norm(1, unit_of(next.unwrap_or_default()).unwrap_or("week")));
            }
            ("dans" | "cette", Some("la" | "nuit"))
                if w == "cette" || word(k + 2) == Some("nuit") =>
            {
                return Some("night".into());
            }
            // "в день выборов" is "on election day": "в день" only closing its clause.
            ("в", Some("день")) if word(k + 2).is_some() => {}
            // "a day after the storm", "un jour plus tôt": a time, not a rate.
            ("a" | "un", Some("day" | "jour"))
                if matches!(
                    word(k + 2),
                    Some(
                        "after"
                            | "before"
                            | "later"
                            | "earlier"
                            | "ago"
                            | "après"
                            | "avant"
                            | "plus"
                    )
                ) => {}
            (
                "per" | "a" | "each" | "every" | "par" | "chaque" | "в",
                Some("day" | "jour" | "сутки" | "день"),
            ) => {
                return Some("per day".into());
            }
            _ if w == "daily" || w.starts_with("ежедневн") || w.starts_with("quotidien") => {
                return Some("per day".into());
            }
            _ => {}
        }
        // "in the past (24) hours", "over the last week", "au cours des dernières 24
        // heures", "en 24 heures", "en une semaine", "за последние сутки", "за неделю".
        let lead = matches!(
            w,
            "in" | "over" | "during" | "within" | "en" | "за" | "cours"
        );
        if !lead {
            continue;
        }
        let mut j = k + 1;
        let mut past = false;
        while let Some(x) = word(j) {
            if matches!(
                x,
                "past"
                    | "last"
                    | "previous"
                    | "dernière"
                    | "dernières"
                    | "derniers"
                    | "последние"
                    | "последнюю"
                    | "последний"
                    | "прошедшие"
                    | "прошедшую"
                    | "прошлую"
            ) {
                past = true;
            } else if !matches!(
                x,
                "the" | "de" | "des" | "la" | "les" | "d'une" | "just" | "only" | "seulement"
            ) {
                break;
            }
            j += 1;
        }
        let (n, at) = match toks.get(j).and_then(small_count) {
            Some(n) => (n, j + 1),
            None => (1, j),
        };
        let Some(unit) = word(at).and_then(unit_of) else {
            continue;
        };
        // "in a week" with no "past" is a window only with a count word or for French
        // "en"/Russian "за" ("en une semaine", "за неделю"); "in two weeks" is a date.
        let counted = at > j;
        if past || matches!(w, "en" | "за") || (counted && w != "in") {
            return Some(norm(n, unit));
        }
    }
    None
}

fn stated_scope(toks: &[Tok]) -> Option<TimeScope> {
    for k in 0..toks.len() {
        let Some(w) = toks[k].word() else { continue };
        let next = toks.get(k + 1).and_then(Tok::word);
        // "within (just) three months", "in the past six months", "over two months",
        // "в течение трех месяцев", "за три месяца", "en trois mois".
        let lead = matches!(
            w,
            "within" | "in" | "over" | "за" | "течение" | "en" | "past" | "last"
        );
        if lead {
            let mut j = k + 1;
            while toks
                .get(j)
                .and_then(Tok::word)
                .is_some_and(|x| matches!(x, "just" | "only" | "the" | "l'espace" | "de"))
            {
                j += 1;
            }
            if let (Some(n), Some(unit)) = (
                toks.get(j).and_then(small_count),
                toks.get(j + 1).and_then(Tok::word),
            ) {
                let months =
                    if unit.starts_with("month") || unit == "mois" || unit.starts_with("месяц")
                    {
                        Some(n)
                    } else if unit.starts_with("year")
                        || unit == "ans"
                        || unit == "года"
                        || unit == "лет"
                    {
                        Some(n * 12)
                    } else if unit.starts_with("week") {
                        // A few weeks is under a month; keep them apart from months.
                        None
                    } else {
                        None
                    };
                if let Some(m) = months {
                    return Some(TimeScope::WithinMonths(m));
                }
            }
        }
        // "since September", "с сентября", "depuis septembre".
        if matches!(w, "since" | "depuis" | "с") {
            if let Some(n) = next {
                if month_number(n).is_some() || n == "the" {
                    let phrase = toks[k + 1..]
                        .iter()
                        .take(3)
                        .map_while(|t| {
                            t.word().map(str::to_string).or_else(|| match t.kind {
                                TokKind::Num { value, .. } => Some(format!("{value:.0}")),
                                _ => None,
                            })
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    return Some(TimeScope::Since(phrase));
                }
            }
        }
        // "as of May", "by March", "на 1 мая", "au 1er mai".
        if (w == "as" && next == Some("of")) || w == "by" {
            let j = if w == "as" { k + 2 } else { k + 1 };
            if let Some(m) = toks
                .get(j)
                .and_then(Tok::word)
                .filter(|m| month_number(m).is_some())
            {
                return Some(TimeScope::AsOf(m.to_string()));
            }
        }
    }
    None
}

/// The period key of a scope that makes a figure a flow.
pub fn flow_period(scope: &TimeScope) -> Option<String> {
    match scope {
        TimeScope::WithinMonths(m) => Some(format!("{m} months")),
        TimeScope::Year(y) => Some(y.to_string()),
        TimeScope::Window(w) => Some(w.clone()),
        TimeScope::AsOf(_) | TimeScope::Since(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::numbers::{tokenize, Lang};
    use super::*;
    use chrono::TimeZone;

    fn dates(s: &str, lang: Lang, published: Option<DateTime<Utc>>) -> Vec<(&'static str, f64)> {
        event_dates(&tokenize(s, lang), published, None)
            .into_iter()
            .map(|e| (e.measure, e.value))
            .collect()
    }

    #[test]
    fn treaty_dates_in_three_languages() {
        let p = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).single();
        assert_eq!(
            dates(
                "The two states signed the treaty on 19 June 2024.",
                Lang::En,
                p
            ),
            vec![("treaty_signed", 20240619.0)]
        );
        assert_eq!(
            dates(
                "The Duma ratified the pact, and Putin signed the law on November 9.",
                Lang::En,
                p
            ),
            vec![("treaty_ratified", 20241109.0)],
            "a November date after a June article is last year's"
        );
        assert_eq!(
            dates(
                "Le traité a été signé le 19 juin 2024 à Pyongyang.",
                Lang::Fr,
                None
            ),
            vec![("treaty_signed", 20240619.0)]
        );
        assert_eq!(
            dates("Договор подписан 19 июня 2024 года.", Lang::Ru, None),
            vec![("treaty_signed", 20240619.0)]
        );
        assert!(dates("Shoigu visited Pyongyang on June 4.", Lang::En, p).is_empty());
        assert!(dates("A new treaty was signed in 2000.", Lang::En, p).is_empty());
        assert!(dates("The treaty will be signed on 5 May.", Lang::En, p).is_empty());
    }

    #[test]
    fn scopes() {
        let s = |t: &str| time_scope(&tokenize(t, Lang::En));
        assert_eq!(
            s("over 1,000 may have died within just three months"),
            Some(TimeScope::WithinMonths(3))
        );
        assert_eq!(
            s("10,000 deployed since September"),
            Some(TimeScope::Since("september".to_string()))
        );
        assert_eq!(
            s("600 dead as of May"),
            Some(TimeScope::AsOf("may".to_string()))
        );
        assert_eq!(s("600 dead"), None);
        let w = |t: &str, lang: Lang| time_scope(&tokenize(t, lang));
        let win = |x: &str| Some(TimeScope::Window(x.to_string()));
        assert_eq!(
            w("12,000 people fled in the past week", Lang::En),
            win("week")
        );
        assert_eq!(w("40 killed in the last 24 hours", Lang::En), win("day"));
        assert_eq!(
            w("trois drones abattus dans la nuit", Lang::Fr),
            win("night")
        );
        // "Overnight" is as often the time of a level ("unchanged overnight").
        assert_eq!(
            w("the toll, unchanged overnight, stood at 70", Lang::En),
            None
        );
        assert_eq!(
            w("over the past three days, 800 arrived", Lang::En),
            win("3 days")
        );
        assert_eq!(w("1 200 arrivées en une semaine", Lang::Fr), win("week"));
        assert_eq!(
            w("au cours des dernières 24 heures, 15 morts", Lang::Fr),
            win("day")
        );
        assert_eq!(
            w(
                "за последнюю неделю город покинули 12 тыс. человек",
                Lang::Ru
            ),
            win("week")
        );
        assert_eq!(w("за сутки сбиты 40 беспилотников", Lang::Ru), win("day"));
        assert_eq!(w("36 trains a day are cancelled", Lang::En), win("per day"));
        assert_eq!(
            w(
                "36 trains were still cancelled, a day after the storm",
                Lang::En
            ),
            None
        );
        assert_eq!(
            w("ежедневные потери в 35 млн евро", Lang::Ru),
            win("per day")
        );
        assert_eq!(w("в день выборов проголосовали 40%", Lang::Ru), None);
        assert_eq!(w("the plan will be ready in two weeks", Lang::En), None);
        assert_eq!(w("en 2023, 400 morts", Lang::Fr), None);
        assert_eq!(
            time_scope(&tokenize("за три месяца погибли 1000 военных", Lang::Ru)),
            Some(TimeScope::WithinMonths(3))
        );
    }
}
