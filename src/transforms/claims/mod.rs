//! Claims: sentences that name a watch entity and carry a counted number → `Claim`s;
//! comparison of a new claim with stored ones → new / corroborates / contradicts / updates.
//! OWNER: claims helper. Interface (keep): `extract_claims`, `compare`, `Comparison`.
//!
//! Reading goes sentence → numbers → counted noun → group, measure and qualifiers:
//! [`sentences`] splits, [`numbers`] reads figures and sets aside years, dates and
//! document numbers, [`measures`] says what a figure counts and who said it, and
//! [`compare`](mod@compare) puts a new claim next to stored ones. See docs/claims.md.
use chrono::{DateTime, Datelike, Utc};

use crate::model::{Approx, Claim, ClaimStatus, EntityMatch, StoredClaim};

mod compare;
pub mod measures;
pub mod numbers;
pub mod sentences;

pub use compare::{cross_check, interval, related_keys};
use measures::{Noun, Search};
use numbers::{Lang, Mention, NumUnit, Tok};

/// The measure of a yes/no claim that UN sanctions on the DPRK are violated.
pub const SANCTIONS_MEASURE: &str = "status:violates_sanctions";

/// Read the claims of `text`. `matches` are the watch entities found in that same text
/// (byte offsets into it); `published` dates relative expressions.
pub fn extract_claims(
    text: &str,
    matches: &[EntityMatch],
    lang: Option<&str>,
    published: Option<DateTime<Utc>>,
) -> Vec<Claim> {
    let lang = Lang::detect(lang, text);
    let doc_nat = document_nationality(text);
    let mut out = Vec::new();
    for s in sentences::split(text) {
        let inside: Vec<&EntityMatch> = matches
            .iter()
            .filter(|m| m.start < s.end && m.end > s.start)
            .collect();
        // A headline is about the paragraph under it: a match there is enough.
        let ents: Vec<&EntityMatch> = if inside.is_empty() && s.heading {
            matches
                .iter()
                .filter(|m| m.start < s.para_end && m.end > s.para_start)
                .collect()
        } else {
            inside
        };
        if ents.is_empty() {
            continue;
        }
        let context = if s.heading {
            &text[s.para_start..s.para_end]
        } else {
            &text[s.start..s.end]
        };
        let reader = SentenceReader {
            text,
            start: s.start,
            end: s.end,
            context,
            lang,
            ents: &ents,
            published,
            doc_nat,
        };
        out.extend(reader.read());
    }
    out
}

struct SentenceReader<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// The sentence, or for a headline its paragraph: where nationality is looked up.
    context: &'a str,
    lang: Lang,
    ents: &'a [&'a EntityMatch],
    published: Option<DateTime<Utc>>,
    /// The nationality a whole text is about, when it names it again and again.
    doc_nat: Option<&'static str>,
}

impl SentenceReader<'_> {
    fn read(&self) -> Vec<Claim> {
        let s = &self.text[self.start..self.end];
        let lower = s.to_lowercase().replace('’', "'").replace('ё', "е");
        let toks = numbers::tokenize(s, self.lang);
        let attributions = measures::attributions(s, &toks);
        let attributed_to = attributions.first().map(|a| a.1.clone());
        let context_nat = measures::nationality(&self.context.to_lowercase()).or(self.doc_nat);
        let base = Claim {
            attributed_to,
            quote: s.to_string(),
            quote_start: self.start,
            quote_end: self.end,
            ..Claim::default()
        };
        let mut out = Vec::new();
        // The counted noun of the previous figure, for elided ones ("5,000 troops, with an
        // additional 2,000 expected").
        let mut last_noun: Option<measures::Counted> = None;
        for m in numbers::mentions(&toks, self.lang) {
            // "so far" and "may have" qualify the clause they stand in, not the sentence.
            let (cs, ce) = clause_of(&toks, m.num_tok);
            let words = words_line(&toks[cs..ce]);
            // The clause's own attribution when it has one, else the nearest one before
            // it ("…, with a lawmaker estimating 4,700, including 600 deaths"), else the
            // sentence's first.
            let attributed_to = attributions
                .iter()
                .find(|a| (cs..ce).contains(&a.0))
                .or_else(|| attributions.iter().rev().find(|a| a.0 < cs))
                .map(|a| a.1.clone())
                .or_else(|| base.attributed_to.clone());
            let base = Claim {
                attributed_to,
                running_total: measures::is_running_total(&words),
                modality: measures::modality(&words),
                ..base.clone()
            };
            let claim = match m.unit {
                NumUnit::Count => {
                    self.count_claim(&toks, &m, &lower, context_nat, &mut last_noun, &base)
                }
                _ => self.money_claim(&toks, &m, &lower, context_nat, &base),
            };
            out.extend(claim);
        }
        if let Some(v) = measures::sanctions_status(&lower, &toks) {
            out.push(Claim {
                subject: context_nat.map_or_else(|| self.nearest_entity(0), str::to_string),
                measure: SANCTIONS_MEASURE.to_string(),
                value: v,
                unit: "bool".to_string(),
                modality: measures::modality(&words_line(&toks)),
                ..base.clone()
            });
        }
        out
    }

    fn count_claim(
        &self,
        toks: &[Tok],
        m: &Mention,
        lower: &str,
        context_nat: Option<&'static str>,
        last_noun: &mut Option<measures::Counted>,
        base: &Claim,
    ) -> Option<Claim> {
        let found = measures::counted_noun(toks, m);
        if m.year_like && !matches!(found, Search::Found(c) if c.adjacent) {
            return None;
        }
        let s = &self.text[self.start..self.end];
        let (counted, phrase, np) = match found {
            Search::Found(c) => {
                *last_noun = Some(c);
                let np = phrase_text(s, toks, m, &c, 0).to_lowercase();
                (c, phrase_text(s, toks, m, &c, 2).to_lowercase(), np)
            }
            // An elided noun: a bare figure after a counted one shares its noun, but
            // not the words around that one.
            Search::Nothing if m.value_max.is_none() => {
                let c = (*last_noun)?;
                let first = m.first_tok.saturating_sub(1);
                let last = m.next_tok.min(toks.len()).max(first + 1);
                let p = s[toks[first].start..toks[last - 1].end].to_lowercase();
                (c, p.clone(), p)
            }
            _ => return None,
        };
        let group = measures::group_of(counted.noun, &phrase, lower);
        let nat = measures::nationality(&np).or(context_nat);
        let subject = match nat {
            Some(n) => format!("{n}-{group}"),
            None => self.nearest_entity(toks[m.num_tok].start),
        };
        let increment = measures::is_increment(toks, m, counted.phrase_end);
        let measure = match counted.noun {
            Noun::Casualty(meas) => meas,
            _ if increment && measures::expected_near(toks, m, counted.phrase_end) => "expected",
            // "5,000 workers are expected in Russia": an arrival announced.
            _ if measures::expected_near(toks, m, counted.phrase_end) => "deployed",
            _ => measures::nearest_measure(toks, m, (counted.phrase_start, counted.phrase_end))
                .or(counted.modifier)
                .unwrap_or(if group == "workers" {
                    "present"
                } else {
                    "deployed"
                }),
        };
        let unit = if counted.noun == Noun::Brigades {
            "brigades"
        } else {
            "people"
        };
        Some(Claim {
            subject,
            measure: measure.to_string(),
            value: m.value,
            value_max: m.value_max,
            approx: m.approx,
            unit: unit.to_string(),
            increment,
            ..base.clone()
        })
    }

    fn money_claim(
        &self,
        toks: &[Tok],
        m: &Mention,
        lower: &str,
        context_nat: Option<&'static str>,
        base: &Claim,
    ) -> Option<Claim> {
        let measure = measures::money_measure(toks, m)?;
        let (unit, mut value, mut value_max) = match m.unit {
            NumUnit::Usd => ("usd", m.value, m.value_max),
            NumUnit::Eur => ("eur", m.value, m.value_max),
            NumUnit::Rub => ("rub", m.value, m.value_max),
            NumUnit::Percent => ("percent", m.value, m.value_max),
            NumUnit::Ratio | NumUnit::Count => ("ratio", m.value, m.value_max),
        };
        // A fall "fiftyfold" is a ratio of new to old below one.
        if unit == "ratio" && measures::says_decline(lower) && value > 0.0 {
            value = 1.0 / value;
            value_max = value_max.map(|v| 1.0 / v);
        }
        let subject = context_nat.map_or_else(
            || self.nearest_entity(toks[m.num_tok].start),
            str::to_string,
        );
        let period = if measure == "trade_turnover" {
            period_of(toks, self.published)
        } else {
            None
        };
        Some(Claim {
            subject,
            measure: measure.to_string(),
            value,
            value_max,
            approx: m.approx,
            unit: unit.to_string(),
            increment: false,
            period,
            ..base.clone()
        })
    }

    /// The id of the matched entity nearest to `offset` (relative to the sentence).
    fn nearest_entity(&self, offset: usize) -> String {
        let at = self.start + offset;
        self.ents
            .iter()
            .min_by_key(|e| e.start.abs_diff(at).min(e.end.abs_diff(at)))
            .map(|e| e.entity.clone())
            .unwrap_or_default()
    }
}

/// The clause of a sentence holding token `i`: clauses end at ';' and at a comma before
/// a connector ("…, with an additional 5,000 expected", "…, including 600 dead").
fn clause_of(toks: &[Tok], i: usize) -> (usize, usize) {
    const CONNECTORS: &[&str] = &[
        "with",
        "while",
        "whereas",
        "but",
        "including",
        "among",
        "and",
        "avec",
        "tandis",
        "dont",
        "mais",
        "из",
        "а",
        "но",
        "в",
        "при",
    ];
    let is_bound = |k: usize| {
        toks[k].is_sym(';')
            || (toks[k].is_sym(',')
                && toks
                    .get(k + 1)
                    .and_then(Tok::word)
                    .is_some_and(|w| CONNECTORS.contains(&w)))
    };
    let start = (0..i).rev().find(|&k| is_bound(k)).map_or(0, |k| k + 1);
    let end = (i..toks.len()).find(|&k| is_bound(k)).unwrap_or(toks.len());
    (start, end)
}

/// "dprk" when the text names North Korea three times or more: then a figure with no
/// nationality of its own ("5,000 military engineers") is taken to be North Korean.
fn document_nationality(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let n: usize = [
        "north korea",
        "dprk",
        "pyongyang",
        "кндр",
        "северокоре",
        "пхеньян",
        "corée du nord",
        "nord-coré",
        "rpdc",
    ]
    .iter()
    .map(|m| lower.matches(m).count())
    .sum();
    (n >= 3).then_some("dprk")
}

/// The words of a sentence, space-separated with spaces at both ends, for phrase checks.
fn words_line(toks: &[Tok]) -> String {
    let mut s = String::from(" ");
    for t in toks {
        if let Some(w) = t.word() {
            s.push_str(w);
            s.push(' ');
        }
    }
    s
}

/// The text from the number to its counted noun (or the noun alone when it came before),
/// plus the word just before the number and `extra` words after the noun: where "North
/// Korean" or "construction" sits ("ouvriers du bâtiment", "бригады военных строителей").
fn phrase_text<'s>(
    s: &'s str,
    toks: &[Tok],
    m: &Mention,
    c: &measures::Counted,
    extra: usize,
) -> &'s str {
    let first = m.first_tok.saturating_sub(1).min(c.phrase_start);
    let last = (c.phrase_end + extra).max(m.next_tok).min(toks.len());
    if last == 0 || first >= toks.len() {
        return "";
    }
    &s[toks[first].start..toks[last - 1].end]
}

/// The year a flow figure is for: "in 2023", "в 2023 году", "en 2023", "this year".
fn period_of(toks: &[Tok], published: Option<DateTime<Utc>>) -> Option<String> {
    for (k, t) in toks.iter().enumerate() {
        if let numbers::TokKind::Num {
            value,
            int_digits: 4,
            ..
        } = t.kind
        {
            let prev = k.checked_sub(1).and_then(|p| toks[p].word());
            if (1900.0..=2100.0).contains(&value)
                && prev.is_some_and(|w| matches!(w, "in" | "for" | "en" | "в" | "за" | "of"))
            {
                return Some(format!("{value:.0}"));
            }
        }
        if let (Some(w), Some(p)) = (t.word(), published) {
            let next = toks.get(k + 1).and_then(Tok::word);
            if next == Some("year") && w == "this" {
                return Some(p.year().to_string());
            }
            if next == Some("year") && w == "last" {
                return Some((p.year() - 1).to_string());
            }
        }
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub status: ClaimStatus,
    /// Indices into the `stored` slice of the claims it was compared with, the ones that
    /// decided the status first.
    pub related: Vec<usize>,
}

/// Compare `claim` (from `source`) with the stored claims of the same key.
///
/// Stored claims of another key, and a stored copy of the same sentence from the same
/// source, are ignored. Disagreement wins over agreement; a running total above every
/// stored figure updates; an increment is compared only with increments.
pub fn compare(claim: &Claim, source: &str, stored: &[StoredClaim]) -> Comparison {
    compare::compare(claim, source, stored)
}

/// The value of a claim as the digest shows it: "about 600", "over 1,000",
/// "3,000–4,000", "$34.4 million", "90%", "×9", "violates: yes".
pub fn format_value(c: &Claim) -> String {
    if c.unit == "bool" {
        let yes = if c.value >= 0.5 { "yes" } else { "no" };
        let what = c.measure.strip_prefix("status:").unwrap_or(&c.measure);
        let what = what.split('_').next().unwrap_or(what);
        return format!("{what}: {yes}");
    }
    let prefix = match c.approx {
        Approx::Exact => "",
        Approx::About => "about ",
        Approx::Over => "over ",
        Approx::AtLeast => "at least ",
        Approx::UpTo => "up to ",
        Approx::Under => "under ",
    };
    let one = |v: f64| -> String {
        match c.unit.as_str() {
            "usd" => format!("${}", money(v)),
            "eur" => format!("€{}", money(v)),
            "rub" => format!("{} RUB", money(v)),
            "percent" => format!("{}%", plain(v)),
            "ratio" if v < 1.0 && v > 0.0 => format!("÷{}", plain(1.0 / v)),
            "ratio" => format!("×{}", plain(v)),
            _ => plain(v),
        }
    };
    let body = match c.value_max {
        Some(max) => format!("{}–{}", one(c.value), one(max)),
        None => one(c.value),
    };
    let suffix = if c.unit == "brigades" {
        " brigades"
    } else {
        ""
    };
    format!("{prefix}{body}{suffix}")
}

/// 1000 → "1,000"; 34.4 → "34.4".
fn plain(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let int = rounded.trunc() as i64;
    let frac = rounded - int as f64;
    let digits = int.abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if int < 0 {
        grouped.insert(0, '-');
    }
    if frac.abs() > 1e-9 {
        let f = format!("{:.2}", frac.abs());
        grouped.push_str(f.trim_start_matches('0').trim_end_matches('0'));
    }
    grouped
}

/// Money with a scale word: 34_400_000 → "34.4 million".
fn money(v: f64) -> String {
    if v >= 1e9 {
        format!("{} billion", plain(v / 1e9))
    } else if v >= 1e6 {
        format!("{} million", plain(v / 1e6))
    } else {
        plain(v)
    }
}

#[cfg(test)]
mod tests;
