//! Claims: sentences that name a watch entity and carry a counted number → `Claim`s;
//! comparison of a new claim with stored ones → new / corroborates / contradicts / updates.
//! OWNER: claims helper. Interface (keep): `extract_claims`, `compare`, `Comparison`.
//!
//! Reading goes sentence → numbers → counted noun → group, measure and qualifiers:
//! [`sentences`] splits, [`numbers`] reads figures and sets aside years, dates and
//! document numbers, [`measures`] says what a figure counts and who said it, and
//! [`compare`](mod@compare) puts a new claim next to stored ones. See docs/claims.md.
use chrono::{DateTime, Datelike, Utc};

use crate::model::{
    Approx, Claim, ClaimKind, ClaimStatus, EntityMatch, Modality, Polarity, StoredClaim, TimeScope,
};

mod compare;
pub mod events;
pub mod groups;
pub mod lexicon;
pub mod measures;
pub mod numbers;
mod open;
pub mod sentences;

pub use compare::{
    agreeing, agreement_keys, bare_figure, compare_at, cross_check, cross_check_at,
    distinctive_point, distinctive_units, interval, key_unit, kin_keys, later_level,
    neighbour_keys, plain_figure, related_keys, rival_check, rival_check_within, rival_unit_keys,
    same_count_unit, same_distinctive_figure, same_figure, same_report, seeks_level, unit_keys,
    APART, RIVAL_NEAR,
};
use measures::{Noun, Search};
use numbers::{Lang, Mention, NumUnit, Tok};

/// The `place` of a figure its clause calls a part of a larger one without naming where
/// ("among them 650", "dont 12 000"): compared as a place is (`compare::same_place`).
pub const PART_OF_WHOLE: &str = "part of a whole";

/// Read the claims of `text`. `matches` are the watch entities found in that same text
/// (byte offsets into it); `published` dates relative expressions.
pub fn extract_claims(
    text: &str,
    matches: &[EntityMatch],
    lang: Option<&str>,
    published: Option<DateTime<Utc>>,
) -> Vec<Claim> {
    let lang = Lang::detect(lang, text);
    let doc_nat = measures::document_nationality(text);
    let doc_pair = measures::document_pair(text, doc_nat);
    let lead_role = lead_role(text);
    let sents = sentences::split(text);
    let main_entity = main_entity(matches);
    // (claim, read from a heading)
    let mut out: Vec<(Claim, bool)> = Vec::new();
    // The latest year named so far: the year of a date written without one, when the
    // article has no date.
    let mut prior_year: Option<i32> = None;
    for (si, s) in sents.iter().enumerate() {
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
        // A sentence without a watch entity still gives country-level figures (trade,
        // debt, treaty dates) in a document that matched the watch: see docs/claims.md.
        let anchored = !ents.is_empty();
        if !anchored && matches.is_empty() {
            continue;
        }
        let context = if s.heading {
            &text[s.para_start..s.para_end]
        } else {
            &text[s.start..s.end]
        };
        let prev = si
            .checked_sub(1)
            .map(|p| &text[sents[p].start..sents[p].end]);
        // A short caption line after a quote names its speaker (pull-quote layout).
        let caption = sents
            .get(si + 1)
            .filter(|n| n.heading && is_caption(&text[n.start..n.end]))
            .map(|n| &text[n.start..n.end]);
        let told = out.last().map(|(c, _)| c.clone());
        let reader = SentenceReader {
            text,
            all: matches,
            start: s.start,
            end: s.end,
            context,
            lang,
            ents: &ents,
            anchored,
            published,
            doc_nat,
            doc_pair,
            lead_role,
            prev,
            last_told: told.as_ref(),
            caption,
            prior_year,
            main_entity,
        };
        out.extend(reader.read().into_iter().map(|c| (c, s.heading)));
        let toks = numbers::tokenize(&text[s.start..s.end], lang);
        if let Some(y) = events::last_year_in(&toks) {
            prior_year = Some(y);
        }
    }
    drop_restated_headings(out)
}

/// A headline's figure that the text under it restates (same key, overlapping values) is
/// dropped: the body's sentence carries the attribution and the context, and a headline
/// repeating its own article is not a second report. The body's restating sentence
/// stands where the headline's figure stood (the story's
/// figures in the order it first gives them), and a place the headline names ("à Nantes,
/// 12 000 manifestants") holds for it when it names none ("Ils étaient 12 000").
fn drop_restated_headings(all: Vec<(Claim, bool)>) -> Vec<Claim> {
    let restates = |b: &Claim, c: &Claim| {
        b.key() == c.key() && {
            let (x, y) = (interval(c), interval(b));
            x.0 <= y.1 && y.0 <= x.1
        }
    };
    // For each claim: the body claim that restates it when it is a heading's.
    let restated_by: Vec<Option<usize>> = all
        .iter()
        .map(|(c, heading)| {
            heading
                .then(|| all.iter().position(|(b, h)| !h && restates(b, c)))
                .flatten()
        })
        .collect();
    let mut moved = vec![false; all.len()];
    let mut out = Vec::with_capacity(all.len());
    for (i, (c, _)) in all.iter().enumerate() {
        match restated_by[i] {
            Some(b) if !moved[b] => {
                moved[b] = true;
                let mut body = all[b].0.clone();
                if body.place.is_none() {
                    body.place = c.place.clone();
                }
                out.push(body);
            }
            Some(_) => {}
            None if moved[i] => {}
            None => out.push(c.clone()),
        }
    }
    out
}

/// A caption: a short line of capitalised words with no figure ("Russian presidential
/// aide Yury Ushakov").
fn is_caption(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=8).contains(&words.len())
        && !line.chars().any(|c| c.is_ascii_digit())
        && words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count()
            >= 2
}

/// The role the document's lead gives to people it does not otherwise name: a story that
/// opens on reconstruction is about builders ("brigades of some thousands of people").
/// The first `[[groups.role]]` whose `lead` words the lead names.
fn lead_role(text: &str) -> Option<&'static str> {
    let lead = text
        .split("\n\n")
        .flat_map(|b| b.split('\n'))
        .find(|p| p.split_whitespace().count() >= 15)?
        .to_lowercase();
    groups::groups()
        .roles
        .iter()
        .find(|r| groups::contains_any(&lead, &r.lead))
        .map(|r| r.id.as_str())
}

struct SentenceReader<'a> {
    text: &'a str,
    /// Every watch entity found in the text: where a figure's subject is looked for when
    /// its own sentence names none.
    all: &'a [EntityMatch],
    start: usize,
    end: usize,
    /// The sentence, or for a headline its paragraph: where nationality is looked up.
    context: &'a str,
    lang: Lang,
    ents: &'a [&'a EntityMatch],
    /// A watch entity is in the sentence (or, for a headline, its paragraph).
    anchored: bool,
    published: Option<DateTime<Utc>>,
    /// The nationality a whole text is about, when it names it again and again.
    doc_nat: Option<&'static str>,
    /// The pair of countries the text is about (`[[groups.pair]]`): a treaty's subject.
    doc_pair: Option<&'static str>,
    /// The role the document's lead gives to people it does not otherwise name.
    lead_role: Option<&'static str>,
    /// The sentence before: where "the total amount" finds what it is an amount of.
    prev: Option<&'a str>,
    /// The last claim read before this sentence: what "the figure" names.
    last_told: Option<&'a Claim>,
    /// A caption line after the sentence naming its speaker.
    caption: Option<&'a str>,
    /// The latest year named before this sentence.
    prior_year: Option<i32>,
    /// The watch entity the text names most: what it is about, so no part of it.
    main_entity: &'a str,
}

impl SentenceReader<'_> {
    fn read(&self) -> Vec<Claim> {
        let s = &self.text[self.start..self.end];
        let lower = s.to_lowercase().replace('’', "'").replace('ё', "е");
        let toks = numbers::tokenize(s, self.lang);
        let mut attributions = measures::attributions(s, &toks);
        // "According to our statistics …" over a caption: the caption is the speaker.
        if let Some(cap) = self.caption {
            let first_person = attributions.is_empty()
                || attributions.iter().any(|a| {
                    let l = a.1.to_lowercase();
                    l.starts_with("our ") || l.starts_with("nos ") || l.starts_with("наш")
                });
            if first_person
                && (lower.contains(" our ")
                    || lower.starts_with("our ")
                    || lower.contains("according to our")
                    || s.contains('“')
                    || s.contains('"'))
            {
                attributions = vec![(0, cap.trim().to_string())];
            }
        }
        // A yardstick's clause ("contre 650 selon les pompiers", "а не 87, как сообщают
        // власти") has its own speaker: not the sentence's.
        let lex_words = lexicon::words_of(&toks);
        let mentions = numbers::mentions(&toks, self.lang);
        // (the figure's token, where its yardstick starts, where its clause ends)
        let yardsticks: Vec<(usize, usize, usize)> = mentions
            .iter()
            .filter_map(|m| {
                let start = lexicon::lexicon().yardstick_start(&lex_words, m.first_tok)?;
                let bound = |from: usize| {
                    (from..toks.len())
                        .find(|&k| toks[k].is_sym(',') || toks[k].is_sym(';'))
                        .unwrap_or(toks.len())
                };
                let end = bound(m.next_tok);
                // "а не 87, как сообщают власти", "et non 120, comme l'affirme le ministère".
                let end = match toks.get(end + 1).and_then(Tok::word) {
                    Some("как" | "comme" | "as") => bound(end + 1),
                    _ => end,
                };
                Some((m.num_tok, start, end))
            })
            .collect();
        let in_yardstick = |k: usize| yardsticks.iter().any(|&(_, a, b)| (a..b).contains(&k));
        let yardstick_speakers: Vec<(usize, String)> = attributions
            .iter()
            .filter(|a| in_yardstick(a.0))
            .cloned()
            .collect();
        attributions.retain(|a| !in_yardstick(a.0));
        let attributed_to = attributions.first().map(|a| a.1.clone());
        // The speaker's nationality ("selon le renseignement militaire ukrainien") is not
        // the counted group's.
        let unspoken = attributions
            .iter()
            .fold(self.context.to_string(), |c, (_, who)| {
                c.replace(who.as_str(), " ")
            });
        // Nor is the nationality of a thing ("a North Korean missile killed 12 people"):
        // then the sentence's dead are not the document's people either.
        let peoples = measures::without_things_nationality(&unspoken);
        let sentence_nat = measures::nationality(&peoples.to_lowercase());
        let things_nat =
            sentence_nat.is_none() && measures::nationality(&unspoken.to_lowercase()).is_some();
        let context_nat = sentence_nat.or(self.doc_nat);
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
        let mut last_open: Option<open::OpenReading> = None;
        let dates = events::date_spans(&toks);
        // "На 16 ноября", "as of 12 March", "au 3 mars": figures dated as current.
        // "The hail of 20 June", "la grêle du 20 juin" date an event, not the figure: "of"
        // only after "as", "du" only after a word for a report ("le bilan du 3 mars").
        let dated_now = dates.iter().any(|&(a, _)| {
            let word = |back: usize| {
                a.checked_sub(back)
                    .and_then(|k| lex_words.get(k).copied().flatten())
            };
            match word(1) {
                Some("на" | "au" | "by" | "к") => true,
                Some("of") => word(2) == Some("as"),
                Some("du") => matches!(
                    word(2),
                    Some("bilan" | "point" | "pointage" | "décompte" | "chiffres" | "données")
                ),
                _ => false,
            }
        });
        // "к 15:00", "by 3 p.m.", "à 10 heures", "as of 8 a.m.": a figure as of an hour.
        let dated_now = dated_now || timed_now(&toks, &lex_words);
        // The tokens of the last figure read as a claim ("from 17 million tonnes | to 15").
        let mut last_span: Option<(usize, usize)> = None;
        for m in mentions {
            if dates.iter().any(|(a, b)| (*a..*b).contains(&m.num_tok)) {
                continue;
            }
            // The speaker of a yardstick figure read as a claim of its own.
            let mut yardstick_speaker: Option<Option<String>> = None;
            // Its words, without the yardstick's (which keep a restated figure unread).
            let mut own_words: Option<Vec<Option<&str>>> = None;
            // "up from 40", "contre 650 selon les pompiers", "а не 87, как сообщают власти":
            // an earlier or a rival figure restated as a yardstick counts what the figure
            // before it counts, said by its own speaker if it has one.
            if let Some(&(_, start, end)) = yardsticks.iter().find(|y| y.0 == m.num_tok) {
                let who = yardstick_speakers
                    .iter()
                    .find(|a| (start..end).contains(&a.0))
                    .map(|a| a.1.clone());
                // "double the 1,000 deaths announced by the ministry": with no figure
                // before it, the yardstick's figure is read as its own speaker's claim.
                if out.is_empty() {
                    yardstick_speaker = Some(who);
                    let mut w = lex_words.clone();
                    let n = w.len();
                    w[start.min(n)..m.first_tok.min(n)].fill(None);
                    own_words = Some(w);
                } else {
                    let yardstick = out.last().and_then(|prev| restated(prev, &m, who.clone()));
                    // Set against another speaker's figure ("2 000, et non 1 500 comme
                    // l'affirme la Russie"), the figure before is a rival count of it.
                    if let (Some(y), Some(prev)) = (&yardstick, out.last_mut()) {
                        if who.is_some() && y.attributed_to != prev.attributed_to {
                            prev.rival = true;
                        }
                    }
                    out.extend(yardstick);
                    continue;
                }
            }
            let lex_words: &[Option<&str>] = own_words.as_deref().unwrap_or(&lex_words);
            // "qui emploie environ 35 000 personnes": the size of something named.
            if lexicon::lexicon().size_before(lex_words, m.first_tok) {
                continue;
            }
            // "so far" and "may have" qualify the clause they stand in, not the sentence.
            let (cs, ce) = clause_of(&toks, m.num_tok);
            let words = words_line(&toks[cs..ce]);
            // The clause's own attribution when it has one, else the nearest one before
            // it ("…, with a lawmaker estimating 4,700, including 600 deaths"), else the
            // sentence's first.
            // A source named right after the figure is its own ("12 000 selon la préfecture,
            // 40 000 selon les syndicats").
            let right_after = |a: &&(usize, String)| {
                (m.next_tok..m.next_tok + 4).contains(&a.0)
                    && toks[m.next_tok..a.0]
                        .iter()
                        .all(|t| !t.is_sym(',') && !t.is_sym(';'))
                    && toks[a.0].word().is_some_and(|w| {
                        measures::LEAD_INS
                            .iter()
                            .any(|lead| lead.split(' ').next() == Some(w))
                    })
            };
            // A gapped rival at the end of the sentence ("…, organisers at 15,000", "…;
            // the Red Cross, 450", "…, la CGT 350 000"): the name before the figure.
            let gapped = (toks[m.next_tok..].iter().all(|t| t.word().is_none()))
                .then(|| {
                    // "; the Red Cross, 450": the comma before the figure closes the name.
                    let stop = match m.first_tok.checked_sub(1) {
                        Some(k) if toks[k].is_sym(',') => k,
                        _ => m.first_tok,
                    };
                    let open = (stop.saturating_sub(6)..stop)
                        .rev()
                        .find(|&k| toks[k].is_sym(',') || toks[k].is_sym(';'))?;
                    let mut end = stop;
                    while end > open + 1
                        && (toks[end - 1].is_sym(',')
                            || matches!(toks[end - 1].word(), Some("at" | "à" | "—")))
                    {
                        end -= 1;
                    }
                    let span = &toks[open + 1..end];
                    let named = !span.is_empty()
                        && span.len() <= 4
                        && span.iter().all(|t| t.word().is_some())
                        && !span
                            .iter()
                            .any(|t| t.word().is_some_and(measures::say_verb))
                        && span.iter().all(|t| {
                            s[t.start..t.end]
                                .chars()
                                .next()
                                .is_some_and(char::is_uppercase)
                                || t.word().is_some_and(|w| {
                                    measures::source_word(w)
                                        && !matches!(w, "of" | "de" | "du" | "des")
                                        || matches!(w, "the" | "la" | "le" | "les" | "l'")
                                })
                        })
                        && !span
                            .iter()
                            .all(|t| matches!(t.word(), Some("the" | "la" | "le" | "les" | "l'")));
                    named.then(|| {
                        let name = &s[span[0].start..span[span.len() - 1].end];
                        (open, measures::strip_article(name))
                    })
                })
                .flatten();
            let attributed_to = gapped
                .as_ref()
                .map(|g| g.1.clone())
                .or_else(|| attributions.iter().find(right_after).map(|a| a.1.clone()));
            let attributed_to = attributed_to
                .or_else(|| {
                    // Of several in the clause, the one fewest commas away, before the
                    // figure first ("По данным МВД, … 12 тыс. человек, организаторы
                    // говорят о 40 тыс.": 12,000 is the ministry's, 40,000 the organisers').
                    let commas = |a: usize| {
                        let (lo, hi) = if a < m.num_tok {
                            (a, m.num_tok)
                        } else {
                            (m.num_tok, a)
                        };
                        toks[lo..hi].iter().filter(|t| t.is_sym(',')).count()
                    };
                    let before = attributions.iter().rev().find(|a| a.0 < cs);
                    attributions
                        .iter()
                        .filter(|a| (cs..ce).contains(&a.0))
                        .chain(before)
                        .min_by_key(|a| (commas(a.0), a.0 > m.num_tok))
                        .map(|a| a.1.clone())
                })
                .or_else(|| base.attributed_to.clone());
            // A scope stated for the whole sentence ("within three months") or the clause.
            let scope = events::time_scope(&toks[cs..ce]);
            // A part of a larger figure with no place of its own ("sur le seul port du
            // Havre", "трое из них", "among them 650") is set apart the way a place is.
            let place = place_of(s, &toks, (cs, ce), |a, b| {
                let (a, b) = (self.start + a, self.start + b);
                self.all
                    .iter()
                    .find(|e| e.start < b && a < e.end)
                    // Only a place is a place: "at TCG" names a company.
                    .map(|e| {
                        (e.entity != self.main_entity && (e.kind.is_empty() || e.kind == "place"))
                            .then(|| e.entity.clone())
                    })
            })
            .or_else(|| {
                lexicon::lexicon()
                    .says_part(lex_words, cs, ce)
                    .then(|| PART_OF_WHOLE.to_string())
            });
            let part_after = lexicon::lexicon().part_after(lex_words, cs, ce, m.next_tok);
            let base = Claim {
                attributed_to,
                place,
                // The first reader's own words, and the lexicon's ("désormais", "уже").
                running_total: measures::is_running_total(&words)
                    || lexicon::lexicon().says_current(lex_words, cs, ce)
                    || lexicon::lexicon().says_changed_to(lex_words, m.first_tok)
                    || numbers::left_only(&toks, m.first_tok),
                modality: measures::modality(&words),
                polarity: measures::polarity(&toks, cs, m.first_tok),
                scope,
                ..base.clone()
            };
            let claim = match m.unit {
                NumUnit::Count if self.anchored => self.count_claim(
                    &toks,
                    &m,
                    &lower,
                    (sentence_nat, things_nat),
                    &mut last_noun,
                    &base,
                ),
                NumUnit::Count => None,
                _ if self.anchored || sentence_nat.is_some() || self.doc_nat.is_some() => {
                    self.money_claim(&toks, &m, &lower, context_nat, &base)
                }
                _ => None,
            };
            let claim = claim.or_else(|| {
                let base = Claim {
                    running_total: base.running_total || dated_now,
                    ..base.clone()
                };
                self.open_claim(&toks, lex_words, &m, (cs, ce), &base, &mut last_open)
            });
            // "The energy ministry put the number at 90", "Власти называют цифру 26": a
            // bare figure called the figure of what the story counted last.
            let claim = claim.or_else(|| {
                let named = lexicon::lexicon().names_figure(
                    lex_words,
                    m.first_tok.saturating_sub(4).max(cs),
                    m.first_tok,
                );
                let told = out.last().or(self.last_told).filter(|_| named)?;
                // The speaker's own figure of that quantity, not a restatement of it.
                let c = Claim {
                    restated: false,
                    ..restated(told, &m, base.attributed_to.clone())?
                };
                Some(in_sentence(c, &base, dated_now, base.place.clone()))
            });
            // "Aqua Marquette chiffre le chantier complet à quelque 420 millions", "Ранее на
            // эти цели было выделено 60 млрд.": millions or more with nothing counted after
            // them, after money, are that money's currency again.
            let claim = claim.or_else(|| {
                let scaled = (m.num_tok + 1..m.next_tok).any(|k| {
                    lex_words
                        .get(k)
                        .copied()
                        .flatten()
                        .and_then(numbers::scale_word)
                        .is_some_and(|v| v >= 1e6)
                });
                let told = out
                    .last()
                    .or(self.last_told)
                    .filter(|t| scaled && m.unit == NumUnit::Count && compare::currency(&t.unit))?;
                let c = Claim {
                    restated: false,
                    increment: measures::is_increment(&toks, &m, m.next_tok),
                    ..restated(told, &m, base.attributed_to.clone())?
                };
                Some(in_sentence(c, &base, dated_now, base.place.clone()))
            });
            // "The arrivals bring the total for the year so far to 37,350", "bringing the
            // number working in the region to about 2,000": a bare figure the clause calls
            // its total is the current value of what the story counted last.
            let claim = claim.or_else(|| {
                let to_before = m
                    .first_tok
                    .checked_sub(1)
                    .and_then(|k| lex_words.get(k).copied().flatten())
                    .is_some_and(|w| matches!(w, "to" | "at" | "à" | "до"));
                let total_named = (cs..m.first_tok).any(|k| {
                    lex_words.get(k).copied().flatten().is_some_and(|w| {
                        matches!(
                            w,
                            "total"
                                | "number"
                                | "count"
                                | "tally"
                                | "nombre"
                                | "bilan"
                                | "число"
                                | "количество"
                        )
                    })
                });
                let told = out
                    .last()
                    .or(self.last_told)
                    .filter(|_| to_before && total_named)?;
                let c = Claim {
                    restated: false,
                    ..restated(told, &m, base.attributed_to.clone())?
                };
                let now = Claim {
                    running_total: true,
                    ..base.clone()
                };
                Some(in_sentence(c, &now, dated_now, base.place.clone()))
            });
            // "Between 2,000 and 3,000 of them have moved to Kursk": a part of what the
            // sentence before counted, when this one has counted nothing yet.
            let claim = claim.or_else(|| {
                open::of_them_at(lex_words, m.next_tok)?;
                let told = self.group_told(&out)?;
                let c = restated(told, &m, base.attributed_to.clone())?;
                Some(in_sentence(
                    c,
                    &base,
                    dated_now,
                    Some(PART_OF_WHOLE.to_string()),
                ))
            });
            // "Of those, 118,000 had been waiting more than a year", "Parmi eux, 40 …",
            // "Из них 12 …": a sentence opening on the group the one before counted.
            let claim = claim.or_else(|| {
                open::opens_on_them(lex_words)?;
                let told = self.group_told(&out)?;
                let mut c = restated(told, &m, base.attributed_to.clone())?;
                // What its own clause says of the part ("88 are still in detention").
                if let Some((said, state)) =
                    open::predicate_after(lex_words, (m.next_tok, ce), &c.role)
                {
                    c.measure = said;
                    if state {
                        c.kind = ClaimKind::Level;
                    }
                }
                Some(in_sentence(
                    c,
                    &base,
                    dated_now,
                    Some(PART_OF_WHOLE.to_string()),
                ))
            });
            // "Ils étaient environ 15 000 selon la police", "Их было 41 тыс.": the number
            // of what the story counted last, a count of people or things.
            let claim = claim.or_else(|| {
                if !open::they_were_before(lex_words, (cs, m.first_tok)) {
                    return None;
                }
                let told = out
                    .last()
                    .or(self.last_told)
                    .filter(|t| compare::count_unit(&t.unit))?;
                let c = Claim {
                    restated: false,
                    ..restated(told, &m, base.attributed_to.clone())?
                };
                Some(in_sentence(c, &base, dated_now, base.place.clone()))
            });
            let capped = measures::capped(&toks, cs, m.first_tok);
            // "…, including 600 deaths" after 4,700 casualties: a part only of a figure
            // of the same quantity before it; of another, it is the whole of its own.
            let claim = claim.map(|c| {
                // "38 personnes ont péri, dont huit employés": a group of people is a part
                // of "people" too.
                let whole_before = out.last().is_some_and(|w: &Claim| {
                    (w.role == c.role || (w.role == "people" && w.unit == c.unit))
                        && (w.measure == c.measure || c.measure.is_empty())
                });
                let place = match c.place {
                    // With no figure before it in the sentence, the whole is an earlier
                    // sentence's ("Из них эвакуированы более 3 тыс. жителей").
                    None if part_after && (whole_before || out.is_empty()) => {
                        Some(PART_OF_WHOLE.to_string())
                    }
                    p => p,
                };
                // "27 killed, and another 150 injured", "600 killed and 3,500 more
                // wounded": "more" after a figure of another quantity in the sentence adds
                // a second count, not to this one.
                let also = c.increment
                    && !c.measure.is_empty()
                    && out
                        .last()
                        .is_some_and(|w: &Claim| !w.measure.is_empty() && w.measure != c.measure);
                let kind = match c.kind {
                    ClaimKind::Increment if also => ClaimKind::RunningTotal,
                    k => k,
                };
                Claim {
                    place,
                    increment: c.increment && !also,
                    kind,
                    ..c
                }
            });
            let claim = claim.map(|c| Claim {
                approx: if capped { Approx::UpTo } else { c.approx },
                attributed_to: match &yardstick_speaker {
                    Some(Some(who)) => Some(who.clone()),
                    _ => c.attributed_to.clone(),
                },
                // A figure restated as a yardstick is no current count.
                running_total: c.running_total && yardstick_speaker.is_none(),
                ..c
            });
            // "cut its forecast from 17 million tonnes to 15 million", "с 17 млн тонн до
            // 15 млн": the second figure is the first one's quantity as it stands now, the
            // first its earlier value.
            let claim = match (claim, from_to(lex_words, last_span, &m)) {
                (Some(c), true) => {
                    let earlier = out.last_mut().filter(|p| !p.increment);
                    match earlier {
                        Some(p) => {
                            p.running_total = false;
                            Some(Claim {
                                subject: p.subject.clone(),
                                role: p.role.clone(),
                                measure: p.measure.clone(),
                                unit: p.unit.clone(),
                                kind: p.kind,
                                period: p.period.clone(),
                                place: p.place.clone(),
                                open: p.open,
                                // "до" here is "to", no bound.
                                approx: match c.approx {
                                    Approx::UpTo => Approx::Exact,
                                    a => a,
                                },
                                running_total: true,
                                ..c
                            })
                        }
                        None => Some(c),
                    }
                }
                (c, _) => c,
            };
            if claim.is_some() {
                last_span = Some((m.first_tok, m.next_tok));
            }
            out.extend(claim);
        }
        for e in events::event_dates(&toks, self.published, self.prior_year) {
            let subject = measures::document_pair(&lower, sentence_nat)
                .or(self.doc_pair)
                .or(context_nat)
                .map_or_else(|| self.nearest_entity(0), str::to_string);
            if subject.is_empty() {
                continue;
            }
            out.push(Claim {
                subject: format!("{subject}-treaty"),
                measure: e.measure.to_string(),
                value: e.value,
                unit: "date".to_string(),
                kind: ClaimKind::EventDate,
                modality: Modality::Asserted,
                ..base.clone()
            });
        }
        if self.anchored {
            for (id, v) in measures::statuses(&lower, &toks) {
                out.push(Claim {
                    subject: context_nat.map_or_else(|| self.nearest_entity(0), str::to_string),
                    measure: format!("status:{id}"),
                    value: v,
                    unit: "bool".to_string(),
                    kind: ClaimKind::Status,
                    polarity: if v >= 0.5 {
                        Polarity::Positive
                    } else {
                        Polarity::Negative
                    },
                    modality: measures::modality(&words_line(&toks)),
                    ..base.clone()
                });
            }
        }
        out
    }

    fn count_claim(
        &self,
        toks: &[Tok],
        m: &Mention,
        lower: &str,
        (sentence_nat, things_nat): (Option<&'static str>, bool),
        last_noun: &mut Option<measures::Counted>,
        base: &Claim,
    ) -> Option<Claim> {
        let found = measures::counted_noun(toks, m);
        if m.year_like && !matches!(found, Search::Found(c) if c.adjacent) {
            return None;
        }
        // "ils suivent un entraînement": the French article counts nothing unless the
        // group's noun follows it ("un soldat").
        let article = m.next_tok == m.num_tok + 1
            && toks
                .get(m.num_tok)
                .and_then(Tok::word)
                .is_some_and(|w| matches!(w, "un" | "une"));
        if article && !matches!(found, Search::Found(c) if c.adjacent) {
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
        let group = measures::group_of(counted.noun, &phrase, lower, self.lead_role);
        let own_nat = measures::nationality(&np).or(sentence_nat);
        let nat = own_nat.or(self.doc_nat);
        // Without a nationality the group is nobody's in particular: the open reader
        // reads the figure (its subject is the story's entity).
        let subject = format!("{}-{group}", nat?);
        let increment = measures::is_increment(toks, m, counted.phrase_end);
        let g = groups::groups();
        let measure = match counted.noun {
            // "6,000 killed or wounded": the lexicon's longer phrase says another measure
            // of the group ("casualties").
            Noun::Casualty(meas) => (counted.phrase_start
                ..counted.phrase_end.max(counted.phrase_start + 1))
                .find_map(|i| {
                    lexicon::lexicon()
                        .predicate_at(&lexicon::words_of(toks), i)
                        .map(|h| h.entry.id.as_str())
                        .filter(|id| *id != meas && g.measures.iter().any(|x| x.id == *id))
                })
                .and_then(|id| g.measures.iter().find(|x| x.id == id))
                .map_or(meas, |x| x.id.as_str()),
            // "5,000 workers are expected in Russia": an arrival announced.
            _ if measures::expected_near(toks, m, counted.phrase_end) => &g.default_measure,
            _ => {
                match measures::nearest_measure(toks, m, (counted.phrase_start, counted.phrase_end))
                    .or(counted.modifier)
                {
                    Some(meas) => meas,
                    // "recovered the bodies of 27 soldiers": a predicate the group reader has
                    // no measure for is the open reader's, not a default arrival.
                    None if measures::other_predicate_near(toks, m) => return None,
                    None => g
                        .role(group)
                        .and_then(|r| r.measure.as_deref())
                        .unwrap_or(&g.default_measure),
                }
            }
        };
        // The dead and wounded of a sentence that gives its nationality to a thing are
        // not the document's people ("a North Korean missile killed 12 people" in a story
        // about North Korea's arms): the open reader reads them.
        if own_nat.is_none()
            && things_nat
            && g.measures
                .iter()
                .any(|x| x.id == measure && !x.nouns.is_empty())
        {
            return None;
        }
        let unit = match counted.noun {
            Noun::Unit(u) => u,
            _ => "people",
        };
        let period = base.scope.as_ref().and_then(events::flow_period);
        let kind = if increment {
            ClaimKind::Increment
        } else if period.is_some() {
            ClaimKind::Flow
        } else if g.measures.iter().any(|x| x.id == measure && x.level) {
            ClaimKind::Level
        } else {
            ClaimKind::RunningTotal
        };
        Some(Claim {
            subject,
            role: group.to_string(),
            measure: measure.to_string(),
            value: m.value,
            value_max: m.value_max,
            approx: m.approx,
            unit: unit.to_string(),
            increment,
            kind,
            period,
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
        let (unit, mut value, mut value_max) = match m.unit {
            NumUnit::Usd => ("usd", m.value, m.value_max),
            NumUnit::Dollar(code) => (code, m.value, m.value_max),
            NumUnit::Eur => ("eur", m.value, m.value_max),
            NumUnit::Rub => ("rub", m.value, m.value_max),
            NumUnit::Percent => ("percent", m.value, m.value_max),
            NumUnit::Ratio | NumUnit::Count => ("ratio", m.value, m.value_max),
        };
        let money = !matches!(m.unit, NumUnit::Percent | NumUnit::Ratio | NumUnit::Count);
        let measure = match measures::money_measure(toks, m) {
            // A `near` measure ("written off") is said of an amount only when its words
            // stand by it ("wrote off $10 billion"); "a $5 billion debt, four fifths of it
            // written off": the $5 billion is the debt.
            Some((meas, d)) if !(money && meas.near && d > 3) => Some(meas),
            _ => None,
        }
        .or_else(|| {
            // "The total amount stood at $11 billion": the amount of what the sentence
            // before named.
            let amount = ["amount", "sum", "total", "сумма", "montant", "somme"]
                .iter()
                .any(|w| lower.contains(w));
            if !(money && amount) {
                return None;
            }
            let prev = self.prev?;
            let ptoks = numbers::tokenize(prev, self.lang);
            measures::any_money_measure(&ptoks).filter(|m| !m.near)
        })?;
        // A fall "fiftyfold" is a ratio of new to old below one.
        if unit == "ratio" && measures::says_decline(lower) && value > 0.0 {
            value = 1.0 / value;
            value_max = value_max.map(|v| 1.0 / v);
        }
        let subject = context_nat
            .or_else(|| {
                self.prev
                    .and_then(|p| measures::nationality(&p.to_lowercase()))
            })
            .map_or_else(
                || self.nearest_entity(toks[m.num_tok].start),
                str::to_string,
            );
        if subject.is_empty() {
            return None;
        }
        let period = if measure.flow {
            period_of(toks, self.published)
        } else {
            None
        };
        let forecast = matches!(base.modality, Modality::Expected | Modality::Planned);
        let kind = if forecast {
            ClaimKind::Forecast
        } else if measure.flow {
            ClaimKind::Flow
        } else {
            ClaimKind::Level
        };
        let scope = period
            .as_deref()
            .and_then(|p| p.parse::<i32>().ok())
            .map(TimeScope::Year)
            .or_else(|| base.scope.clone());
        Some(Claim {
            subject,
            measure: measure.id.clone(),
            value,
            value_max,
            approx: m.approx,
            unit: unit.to_string(),
            increment: false,
            period,
            kind,
            scope,
            ..base.clone()
        })
    }

    /// A figure read by the open-vocabulary reader ([`open`]).
    fn open_claim(
        &self,
        toks: &[Tok],
        words: &[Option<&str>],
        m: &Mention,
        clause: (usize, usize),
        base: &Claim,
        last: &mut Option<open::OpenReading>,
    ) -> Option<Claim> {
        let sentence = &self.text[self.start..self.end];
        if background_year(toks, m, self.published) {
            return None;
        }
        let r = open::read(sentence, toks, words, m, clause, self.lang, last.as_ref())?;
        // "31 officers were injured, four of them seriously": a part of the group, when
        // nothing of its own (a predicate: "13 of them critically") sets it apart.
        let part_of_previous = r.of_previous
            && last
                .as_ref()
                .is_some_and(|p| p.predicate == r.predicate || r.predicate.is_empty());
        *last = Some(r.clone());
        let at = toks.get(m.num_tok)?.start;
        let clause_bytes = (
            toks.get(clause.0).map_or(0, |t| t.start),
            toks.get(clause.1.saturating_sub(1)).map_or(0, |t| t.end),
        );
        let subject = self.open_subject(at, clause_bytes)?;
        let increment = measures::is_increment(toks, m, r.phrase_end);
        let period = base.scope.as_ref().and_then(events::flow_period);
        let forecast = matches!(base.modality, Modality::Expected | Modality::Planned);
        // A casualty figure with no counted noun ("6,000 killed or wounded") in a story
        // about a national group the first reader knows is that group's, keyed as the
        // first reader keys it, so the two readers' figures are compared with each other.
        let peoples = measures::without_things_nationality(self.context).to_lowercase();
        let nat = measures::nationality(&peoples).or_else(|| {
            // A sentence that gives its nationality to a thing keeps its dead apart.
            self.doc_nat
                .filter(|_| measures::nationality(&self.context.to_lowercase()).is_none())
        });
        let g = groups::groups();
        // The group reader's casualty measures: those with casualty nouns ("600 dead").
        let casualty = g
            .measures
            .iter()
            .any(|x| x.id == r.predicate && !x.nouns.is_empty());
        if let Some(nat) = nat.filter(|_| r.unit == "people" && r.implicit_thing && casualty) {
            return Some(Claim {
                subject: format!("{nat}-{}", g.default_role),
                role: g.default_role.clone(),
                measure: r.predicate,
                value: m.value,
                value_max: m.value_max,
                approx: m.approx,
                unit: "people".to_string(),
                increment,
                running_total: base.running_total || r.current,
                rival: r.rival,
                kind: if increment {
                    ClaimKind::Increment
                } else if period.is_some() {
                    ClaimKind::Flow
                } else {
                    ClaimKind::RunningTotal
                },
                period,
                ..base.clone()
            });
        }
        // A short window ("in the past week", "dans la nuit") makes a count a flow, but
        // not a level (a level is at a moment) nor a figure the text calls the total so
        // far ("задержанных за три дня протестов достигло 131").
        // A rate ("4,000 tonnes a day") stays one when the text calls it current.
        let period = period.filter(|_| {
            let window = matches!(&base.scope, Some(TimeScope::Window(w)) if w != "per day");
            !(window && (r.state || base.running_total || r.current))
        });
        let kind = if increment {
            ClaimKind::Increment
        } else if forecast {
            ClaimKind::Forecast
        } else if period.is_some() {
            ClaimKind::Flow
        } else if r.state {
            ClaimKind::Level
        } else {
            ClaimKind::RunningTotal
        };
        let place = base
            .place
            .clone()
            .or_else(|| part_of_previous.then(|| PART_OF_WHOLE.to_string()));
        Some(Claim {
            subject,
            place,
            role: r.thing,
            measure: r.predicate,
            value: m.value,
            value_max: m.value_max,
            approx: m.approx,
            unit: r.unit,
            increment,
            running_total: base.running_total || r.current,
            kind,
            period,
            open: true,
            rival: r.rival,
            ..base.clone()
        })
    }

    /// The group the sentence before counted, for a figure "of them" when its own sentence
    /// has counted nothing yet: some "of them" are things counted, never an amount of money.
    fn group_told(&self, out: &[Claim]) -> Option<&Claim> {
        self.last_told
            .filter(|t| out.is_empty() && !compare::currency(&t.unit))
    }

    /// Whose figure it is: the story's subject, the watchlist that made the story a match
    /// (the watchlist of the nearest entity named before the figure, else after it). A
    /// figure's own sentence often names a speaker or a place on the way ("Hydro-Québec
    /// said…", "in Ostrava"), so an entity in it is no surer a subject than the story's.
    fn open_subject(&self, at: usize, _clause: (usize, usize)) -> Option<String> {
        let at = self.start + at;
        self.all
            .iter()
            .filter(|e| e.end <= at)
            .max_by_key(|e| e.end)
            .or_else(|| {
                self.all
                    .iter()
                    .filter(|e| e.start >= at)
                    .min_by_key(|e| e.start)
            })
            .map(|e| e.watchlist.clone())
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

/// The place a figure's clause puts it in: a locative preposition ("in", "at", "dans",
/// "à", "au", "в") then, past an article, capitalised words that are not a month, a day
/// or a watch entity (a place the watchlist names is what the story is about, not a part
/// of it). Lower-case, words joined by spaces.
fn place_of(
    s: &str,
    toks: &[Tok],
    (cs, ce): (usize, usize),
    entity: impl Fn(usize, usize) -> Option<Option<String>>,
) -> Option<String> {
    const LOCATIVE: &[&str] = &["in", "at", "dans", "à", "au", "aux", "en", "в", "во"];
    const ARTICLES: &[&str] = &["the", "l", "la", "le", "les"];
    // "l'Artibonite" is one token: its article is cut off.
    let elided = |w: &str| {
        ["l'", "l’"]
            .iter()
            .find_map(|a| w.strip_prefix(a))
            .map_or(0, |rest| w.len() - rest.len())
    };
    let capital = |t: &Tok| {
        t.word()
            .is_some_and(|w| !measures::time_word(w) && w.chars().count() > 1)
            && s[t.start..t.end][elided(&s[t.start..t.end])..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    };
    for k in cs..ce {
        if !toks[k].word().is_some_and(|w| LOCATIVE.contains(&w)) {
            continue;
        }
        // "заявили в Киеве", "said in Kyiv": where it was said, not where it counts.
        if (k.saturating_sub(2)..k).any(|j| toks[j].word().is_some_and(measures::say_verb)) {
            continue;
        }
        let mut j = k + 1;
        while j < ce
            && (toks[j].word().is_some_and(|w| ARTICLES.contains(&w)) || toks[j].is_sym('\''))
        {
            j += 1;
        }
        // "livré à la Russie": "à" with an article gives to someone (a country is "en
        // Russie" where things happen, a town "à Kharkiv").
        // "в Россию", "в Курск": where to (the accusative); "в России", "в Курской
        // области": where (the prepositional).
        // Names that do not decline ("в Онтарио", "в США") say nothing either way.
        let direction = matches!(toks[k].word(), Some("в" | "во"))
            && toks.get(j).is_some_and(|t| {
                let raw = &s[t.start..t.end];
                t.word().is_some_and(|w| {
                    !["е", "и", "ой", "ей", "ом", "ем", "о"]
                        .iter()
                        .any(|e| w.ends_with(e))
                }) && raw.chars().any(char::is_lowercase)
            });
        if direction {
            continue;
        }
        let elided_article = toks.get(j).is_some_and(|t| elided(&s[t.start..t.end]) > 0);
        if toks[k].word() == Some("à") && (j > k + 1 || elided_article) {
            continue;
        }
        let first = j;
        while j < ce && capital(&toks[j]) {
            j += 1;
        }
        if j == first {
            continue;
        }
        // "at Ukrainian cities", "in French hospitals": an English adjective of
        // nationality before a plural noun, not a place's name ("in Marsabit county" is).
        let adjective = j == first + 1
            && matches!(toks[k].word(), Some("in" | "at"))
            && toks[first].word().is_some_and(|w| {
                ["ian", "ean", "ese", "ish", "ch", "ic", "man"]
                    .iter()
                    .any(|suffix| w.ends_with(suffix))
            })
            && toks.get(j).is_some_and(|t| {
                t.word()
                    .is_some_and(|w| w.chars().count() > 3 && w.ends_with('s'))
                    && s[t.start..t.end]
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase)
            });
        if adjective {
            continue;
        }
        match entity(toks[first].start, toks[j - 1].end) {
            // A watch entity other than the one the story is about: a place by its id,
            // whatever the language names it.
            Some(Some(id)) => return Some(format!("@{id}")),
            Some(None) => continue,
            // "en Pologne": a country, which another language names another way; only a
            // watch entity's id is the same in every language.
            None if toks[k].word() == Some("en") => continue,
            None => {}
        }
        {
            let words: Vec<&str> = toks[first..j]
                .iter()
                .filter_map(Tok::word)
                .map(|w| &w[elided(w)..])
                .collect();
            return Some(words.join(" "));
        }
    }
    None
}

/// Whether figure `m` is the "to" of a "from … to …" whose "from" is the figure read
/// last (`last`: its tokens): "from 17 million tonnes to 15 million", "с 40 до 52", "from
/// 1.2 million hectares to 1.8 million". Only a few words (its unit or noun) may stand
/// between the first figure and "to".
fn from_to(words: &[Option<&str>], last: Option<(usize, usize)>, m: &numbers::Mention) -> bool {
    const FROM: &[&str] = &["from", "с", "со"];
    const TO: &[&str] = &["to", "до", "à"];
    let Some((first, next)) = last else {
        return false;
    };
    let word = |k: usize| words.get(k).copied().flatten();
    // "до" may be read into the figure as an approximation ("до 15 млн").
    let to_at = if word(m.first_tok).is_some_and(|w| TO.contains(&w)) {
        m.first_tok
    } else if m.first_tok > 0 && word(m.first_tok - 1).is_some_and(|w| TO.contains(&w)) {
        m.first_tok - 1
    } else {
        return false;
    };
    // French "de … à …" is a change only after a verb of change ("est passé de 40 à 52",
    // "a révisé sa prévision de 17 à 15 millions");
    // otherwise it may be a range.
    let from = |k: usize| match word(k) {
        Some(w) if FROM.contains(&w) => true,
        Some("de") => {
            word(m.first_tok.min(to_at)) == Some("à")
                && (k.saturating_sub(4)..k)
                    .any(|j| word(j).is_some_and(|v| numbers::CHANGE_VERBS.contains(&v)))
        }
        _ => false,
    };
    first > 0
        && from(first - 1)
        && to_at >= next
        && to_at - next <= 3
        && (next..to_at).all(|k| word(k).is_some())
}

/// Whether the sentence dates its figures by an hour of the day: "к 15:00", "by 3 p.m.",
/// "à 10 heures", "as of 8 a.m." (a level or a count as of that hour).
fn timed_now(toks: &[Tok], words: &[Option<&str>]) -> bool {
    let word = |k: usize| words.get(k).copied().flatten();
    let num = |k: usize| {
        toks.get(k)
            .is_some_and(|t| matches!(t.kind, numbers::TokKind::Num { .. }))
    };
    (0..toks.len()).any(|k| {
        let lead = matches!(word(k), Some("к" | "by" | "à"))
            || (word(k) == Some("of") && k > 0 && word(k - 1) == Some("as"));
        lead && num(k + 1)
            && ((toks.get(k + 2).is_some_and(|t| t.is_sym(':')) && num(k + 3))
                || matches!(
                    word(k + 2),
                    Some("h" | "heures" | "heure" | "a" | "p" | "am" | "pm" | "ч" | "часам")
                ))
    })
}

/// The entity a text names most often (the first of equals): what the story is about.
fn main_entity(matches: &[EntityMatch]) -> &str {
    let mut best: (usize, &str) = (0, "");
    for m in matches {
        let n = matches.iter().filter(|o| o.entity == m.entity).count();
        if n > best.0 {
            best = (n, &m.entity);
        }
    }
    best.1
}

/// A claim restated from another sentence (`restated`), as this sentence says it: its
/// speaker, quote, scope, modality and polarity, and `place`.
fn in_sentence(c: Claim, base: &Claim, dated_now: bool, place: Option<String>) -> Claim {
    Claim {
        attributed_to: base.attributed_to.clone(),
        running_total: base.running_total || dated_now,
        quote: base.quote.clone(),
        quote_start: base.quote_start,
        quote_end: base.quote_end,
        place,
        scope: base.scope.clone(),
        modality: base.modality,
        polarity: base.polarity,
        ..c
    }
}

/// A yardstick's figure ("up from 40", "contre 650 selon les pompiers") as a claim of the
/// quantity the figure before it counts: the earlier or the rival value, never current.
/// None when the figure before is an increment, or a unit stands between them that is
/// not the figure's ("€3 million" after "40 %").
fn restated(prev: &Claim, m: &numbers::Mention, who: Option<String>) -> Option<Claim> {
    let fits = match m.unit {
        NumUnit::Count => prev.unit != "percent",
        NumUnit::Percent => prev.unit == "percent",
        NumUnit::Ratio => false,
        _ => compare::currency(&prev.unit),
    };
    (fits && !prev.increment && prev.kind != ClaimKind::Increment && prev.unit != "date").then(
        || Claim {
            value: m.value,
            value_max: m.value_max,
            approx: m.approx,
            attributed_to: who.or_else(|| prev.attributed_to.clone()),
            running_total: false,
            rival: false,
            restated: true,
            ..prev.clone()
        },
    )
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
        "однако",
        "however",
        "cependant",
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

/// A figure told as background, after a year two or more years before the story's: "the
/// 2010 epidemic, which killed nearly 10,000", "в 2006 году … прибыли около 31 тыс.",
/// "the 1998 ice storm caused losses of C$1.6 billion". A count since a year ("since
/// 2023", "depuis 2024", "с 2023 года") runs to now and is a claim; so is a figure
/// before the year ("close to the record set in 2007").
fn background_year(toks: &[Tok], m: &Mention, published: Option<DateTime<Utc>>) -> bool {
    let Some(now) = published.map(|p| p.year()) else {
        return false;
    };
    (0..m.first_tok.min(toks.len())).any(|k| {
        let numbers::TokKind::Num {
            value,
            int_digits: 4,
            ..
        } = toks[k].kind
        else {
            return false;
        };
        // "since 2023, when a fire at another mine killed 46": the count since is the
        // story's, the event then is background.
        let when_then = (k + 1..(k + 3).min(toks.len())).any(|j| {
            toks[j]
                .word()
                .is_some_and(|w| matches!(w, "when" | "où" | "когда"))
        });
        let since = !when_then
            && (k.saturating_sub(2)..k).any(|j| {
                toks[j]
                    .word()
                    .is_some_and(|w| matches!(w, "since" | "depuis" | "с" | "from" | "après"))
            });
        value.fract() == 0.0 && (1900.0..=f64::from(now - 2)).contains(&value) && !since
    })
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
/// What a claim counts, in words: "North Korean sappers deployed", "homes destroyed",
/// "households without power", "trade turnover". Never an internal id.
pub fn describe(c: &Claim) -> String {
    let words = |id: &str| -> String {
        // A noun no lexicon entry knows is kept as `lang:stem`: show the stem.
        let id = id.split_once(':').map_or(id, |(_, stem)| stem);
        id.replace(['_', '-'], " ")
    };
    if c.open {
        let thing = words(&c.role);
        let pred = words(&c.measure);
        let unit = words(&c.unit);
        let mut out = match (thing.is_empty(), pred.is_empty()) {
            (false, false) => format!("{thing} {pred}"),
            (false, true) => thing,
            (true, false)
                if !unit.is_empty()
                    && !matches!(c.unit.as_str(), "usd" | "eur" | "rub" | "percent") =>
            {
                format!("{unit} {pred}")
            }
            (true, false) => pred,
            (true, true) => unit,
        };
        if c.kind == ClaimKind::Increment {
            out = format!("more {out}");
        } else if c.kind == ClaimKind::Forecast {
            out.push_str(" (expected)");
        }
        return out;
    }
    // The project's first reader: subjects are `<nationality>-<group>` or entity ids.
    let subject = match c.subject.split_once('-') {
        Some((nat, group)) if !c.role.is_empty() => {
            let nat = measures::nationality_words(nat).unwrap_or(nat);
            format!("{nat} {}", group.replace('-', " "))
        }
        _ => c.subject.replace('-', " "),
    };
    let measure = c
        .measure
        .strip_prefix("status:")
        .unwrap_or(&c.measure)
        .replace('_', " ");
    if c.role.is_empty() {
        format!("{subject}: {measure}")
    } else {
        format!("{subject} {measure}")
    }
}

pub fn format_value(c: &Claim) -> String {
    if c.unit == "bool" {
        let yes = if c.value >= 0.5 { "yes" } else { "no" };
        let what = c.measure.strip_prefix("status:").unwrap_or(&c.measure);
        let what = what.split('_').next().unwrap_or(what);
        return format!("{what}: {yes}");
    }
    if c.unit == "date" {
        let d = c.value as u64;
        return format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100);
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
    // A unit of people ("2 brigades") is said with the figure.
    let suffix = if groups::groups().units.iter().any(|u| u.id == c.unit) {
        format!(" {}", c.unit)
    } else {
        String::new()
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
