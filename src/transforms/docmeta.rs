//! What a plain document says of itself: its outlet (a "Source:" line, a byline with an
//! outlet, a dateline's agency) and its date (the first full date near its top), and its
//! headline. Used for baseline documents, so that a claim's source is never a file name
//! and its date never the time it was seeded. Pure: text in, values out.

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use std::sync::OnceLock;

use crate::transforms::claims::events::month_number;

/// What was found; each part may be missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    pub outlet: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub headline: Option<String>,
}

/// Lines looked at for the outlet and the date: the top of the document.
const HEAD_LINES: usize = 12;

fn source_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:source|publisher|published by|outlet|источник|издание|source\s*:|publié par|média)\s*[:：—–-]\s*(.{2,60}?)\s*$")
            .unwrap_or_else(|_| unreachable_regex())
    })
}

fn dateline() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "KYIV (Reuters) —", "Paris (AFP) -", "МОСКВА, 5 июня (ТАСС) —"
    RE.get_or_init(|| {
        Regex::new(r"^[\p{Lu}][\p{L} ,.\d-]{1,40}\((\p{Lu}[\p{L}&. ]{1,30})\)\s*[—–-]")
            .unwrap_or_else(|_| unreachable_regex())
    })
}

fn byline() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "By Jane Doe, The Daily Courier" / "By Jane Doe | Courier"
    RE.get_or_init(|| {
        Regex::new(
            r"^(?i:by|par|автор:?)\s+[\p{L}.' -]{2,40}?\s*[,|—–]\s*(\p{Lu}[\p{L}&.' -]{1,40})\s*$",
        )
        .unwrap_or_else(|_| unreachable_regex())
    })
}

/// A regex that matches nothing, for the (never taken) case of a pattern that does not
/// compile: the daemon must not panic on its own constants.
fn unreachable_regex() -> Regex {
    #[allow(clippy::unwrap_used)] // "$^" is a valid regex
    Regex::new("$^").unwrap()
}

fn iso_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap_or_else(|_| unreachable_regex())
    })
}

fn dotted_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b").unwrap_or_else(|_| unreachable_regex())
    })
}

fn day_month_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "5 June 2025", "5 juin 2025", "5 июня 2025 г."
    RE.get_or_init(|| {
        Regex::new(r"\b(\d{1,2})(?:er)?\s+(\p{L}+)\.?,?\s+(\d{4})\b")
            .unwrap_or_else(|_| unreachable_regex())
    })
}

fn month_day_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "June 5, 2025"
    RE.get_or_init(|| {
        Regex::new(r"\b(\p{L}+)\.?\s+(\d{1,2}),\s+(\d{4})\b")
            .unwrap_or_else(|_| unreachable_regex())
    })
}

fn ymd(y: &str, m: u32, d: &str) -> Option<DateTime<Utc>> {
    let y: i32 = y.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d.and_utc())
}

/// The first full date written in `line`.
fn date_in(line: &str) -> Option<DateTime<Utc>> {
    if let Some(c) = iso_date().captures(line) {
        let m: u32 = c[2].parse().ok()?;
        if let Some(d) = ymd(&c[1], m, &c[3]) {
            return Some(d);
        }
    }
    for c in day_month_year().captures_iter(line) {
        if let Some(m) = month_number(&c[2].to_lowercase()) {
            if let Some(d) = ymd(&c[3], m, &c[1]) {
                return Some(d);
            }
        }
    }
    for c in month_day_year().captures_iter(line) {
        if let Some(m) = month_number(&c[1].to_lowercase()) {
            if let Some(d) = ymd(&c[3], m, &c[2]) {
                return Some(d);
            }
        }
    }
    if let Some(c) = dotted_date().captures(line) {
        let m: u32 = c[2].parse().ok()?;
        return ymd(&c[3], m, &c[1]);
    }
    None
}

/// A line of site navigation: several capitalised words and no sentence in them
/// ("World Russia Society Opinion Science Sport").
fn navigation(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 5
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        })
        && !line.contains([',', ':', '—', '–'])
}

/// A headline: the first line of four words or more that is not navigation or page
/// furniture, at most 200 characters.
fn headline(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.split_whitespace().count() >= 4 && l.chars().count() <= 200)
        .filter(|l| !navigation(l))
        .find(|l| !l.ends_with(':'))
        .map(str::to_string)
}

/// Reads what `text` says of itself.
pub fn document_meta(text: &str) -> DocMeta {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HEAD_LINES)
        .collect();
    let outlet = head.iter().find_map(|l| {
        source_line()
            .captures(l)
            .or_else(|| byline().captures(l))
            .or_else(|| dateline().captures(l))
            .map(|c| c[1].trim().trim_end_matches(['.', ',']).to_string())
    });
    let published = head.iter().find_map(|l| date_in(l));
    DocMeta {
        outlet,
        published,
        headline: headline(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn outlets_dates_and_headlines_from_the_top_of_a_document() {
        let doc = "World Politics Society Opinion Science Sport\n\
                   Floods reach the old town as rivers rise\n\
                   Source: Riverside Courier\n\
                   12 September 2026\n\
                   Water reached the old town on Sunday.";
        let m = document_meta(doc);
        assert_eq!(m.outlet.as_deref(), Some("Riverside Courier"));
        assert_eq!(
            m.published.map(|d| (d.year(), d.month(), d.day())),
            Some((2026, 9, 12))
        );
        assert_eq!(
            m.headline.as_deref(),
            Some("Floods reach the old town as rivers rise")
        );

        let fr = "Inondations : la Vistule menace Cracovie\nPar Marie Dupont, Le Veilleur\nPublié le 3 mars 2026";
        let m = document_meta(fr);
        assert_eq!(m.outlet.as_deref(), Some("Le Veilleur"));
        assert_eq!(m.published.map(|d| (d.month(), d.day())), Some((3, 3)));

        let ru = "МОСКВА, 5 июня (ТАСС) — Паводок затопил 300 домов.";
        let m = document_meta(ru);
        assert_eq!(m.outlet.as_deref(), Some("ТАСС"));
        // A dateline without a year is no date.
        assert_eq!(m.published, None);
    }

    #[test]
    fn nothing_found_is_nothing() {
        let m = document_meta("Short.\nNo date here at all, and no outlet either, only words.");
        assert_eq!(m.outlet, None);
        assert_eq!(m.published, None);
    }
}
