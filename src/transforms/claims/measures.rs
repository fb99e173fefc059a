//! The model of measures: what a number counts (the counted noun and its group), what
//! is said of it (deployed, killed, casualties…), who said it, and how firmly.
//!
//! All of it is word lists over lower-cased tokens in English, French and Russian. The
//! lists are deliberately small and explicit so a wrong reading can be traced to one entry.

use super::groups::{contains_any, groups};
use super::lexicon;
use super::numbers::{Mention, Tok, TokKind};
use crate::model::Modality;

/// What a counted noun names (the words are the lexicon's `[groups]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    /// A noun of one role ("sappers", "troops"): the role's id.
    Role(&'static str),
    /// A noun of one of several roles ("engineers"): its index in `[[groups.either]]`.
    Either(usize),
    /// "people", "personnel", "человек": the group comes from the context.
    Generic,
    /// "North Koreans", "северокорейцев": people named by nationality.
    National,
    /// "military", "военных", "militaires": a noun only when no stronger one follows.
    Weak,
    /// "dead", "casualties", "wounded", "prisoners": the noun is the measure.
    Casualty(&'static str),
    /// A unit of people ("brigades"): the unit's id.
    Unit(&'static str),
}

pub fn noun_of(w: &str) -> Option<Noun> {
    let g = groups();
    if let Some(r) = g.roles.iter().find(|r| r.nouns.any(w)) {
        return Some(Noun::Role(&r.id));
    }
    if let Some(i) = g.either.iter().position(|e| e.nouns.any(w)) {
        return Some(Noun::Either(i));
    }
    if g.weak.any(w) {
        return Some(Noun::Weak);
    }
    if g.generic.any(w) {
        return Some(Noun::Generic);
    }
    if g.nationalities.iter().any(|n| n.nouns.any(w)) {
        return Some(Noun::National);
    }
    if let Some(m) = g.measures.iter().find(|m| m.nouns.any(w)) {
        return Some(Noun::Casualty(&m.id));
    }
    g.units
        .iter()
        .find(|u| u.nouns.any(w))
        .map(|u| Noun::Unit(&u.id))
}

/// A noun of something other than people ("months", "tonnes"): short words match
/// themselves and their plural in -s, longer ones are prefixes.
fn other_noun(w: &str) -> bool {
    groups().other_nouns.iter().any(|p| {
        if p.chars().count() <= 3 {
            w == p || w.strip_suffix('s') == Some(p.as_str())
        } else {
            w.starts_with(p.as_str())
        }
    })
}

/// A counted noun found for a mention: the noun and the token range of its noun phrase.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    pub noun: Noun,
    pub phrase_start: usize,
    pub phrase_end: usize,
    /// The noun came straight after the number.
    pub adjacent: bool,
    /// A casualty word used as an adjective before the noun ("600 dead North Korean
    /// soldiers"): the measure when the sentence names no other.
    pub modifier: Option<&'static str>,
}

/// The counted noun of a mention: after it ("1,000 North Korean sappers", "5,000 of its
/// soldiers"), else just before it ("casualties at 4,700").
pub fn counted_noun(toks: &[Tok], m: &Mention) -> Search {
    let mut weak: Option<Counted> = None;
    let mut modifier: Option<&'static str> = None;
    let mut words = 0;
    let mut k = m.next_tok;
    while k < toks.len() && words < 5 {
        let t = &toks[k];
        match &t.kind {
            TokKind::Word(w) => {
                words += 1;
                if let Some(n) = noun_of(w) {
                    let c = Counted {
                        noun: n,
                        phrase_start: m.next_tok,
                        phrase_end: k + 1,
                        adjacent: k == m.next_tok,
                        modifier,
                    };
                    // "two wounded North Korean soldiers": the casualty word is an
                    // adjective when a people noun follows it.
                    if let Noun::Casualty(meas) = n {
                        if modifier.is_none() && people_noun_ahead(toks, k + 1, 5 - words) {
                            modifier = Some(meas);
                            k += 1;
                            continue;
                        }
                    }
                    if n == Noun::Weak {
                        weak.get_or_insert(c);
                    } else {
                        return Search::Found(c);
                    }
                } else if words <= 2 && {
                    let lex = lexicon::lexicon();
                    let words = lexicon::words_of(toks);
                    lex.thing_at(&words, k)
                        .is_some_and(|h| h.entry.unit.as_deref().unwrap_or(&h.entry.id) != "people")
                        // "800 000 barils", "40 hectares": a unit of measure.
                        || lex.unit_at(&words, k).is_some()
                } {
                    // "50 tanks", "50 самоходных гаубиц": a thing the lexicon counts
                    // that is not people, or a unit; the open reader reads it.
                    return weak.map_or(Search::Other, Search::Found);
                } else if other_noun(w) && words <= 2 {
                    // "three months": the number counts something that is not people.
                    return weak.map_or(Search::Other, Search::Found);
                } else if other_noun(w) || weak.is_some() {
                    // Past another noun, or past the word after a weak one: stop looking.
                    break;
                }
            }
            TokKind::Sym('-') | TokKind::Sym('\'') | TokKind::Sym('’') => {}
            _ => break,
        }
        k += 1;
    }
    if let Some(w) = weak {
        return Search::Found(w);
    }
    // Backward: the noun before the number, in the same clause ("casualties at 4,700",
    // "the casualty toll has climbed to nearly 5,000").
    let mut k = m.first_tok;
    let mut words = 0;
    while k > 0 && words < 6 {
        k -= 1;
        match &toks[k].kind {
            TokKind::Word(w) => {
                words += 1;
                if let Some(n) = noun_of(w) {
                    if !matches!(n, Noun::Weak | Noun::Unit(_)) {
                        return Search::Found(Counted {
                            noun: n,
                            phrase_start: k,
                            phrase_end: k + 1,
                            adjacent: false,
                            modifier: None,
                        });
                    }
                }
            }
            _ => break,
        }
    }
    Search::Nothing
}

/// Whether a people noun (not a casualty word) follows within `n` words, uninterrupted.
fn people_noun_ahead(toks: &[Tok], from: usize, n: usize) -> bool {
    toks.iter()
        .skip(from)
        .take(n)
        .map_while(Tok::word)
        .any(|w| noun_of(w).is_some_and(|x| !matches!(x, Noun::Casualty(_) | Noun::Weak)))
}

/// What the search for a counted noun found.
#[derive(Debug, Clone, Copy)]
pub enum Search {
    Found(Counted),
    /// The number counts something else ("three months", "a 5,000-ton ship").
    Other,
    /// No noun near it: maybe elided ("with an additional 5,000 expected").
    Nothing,
}

/// Which role of people a noun names, given its noun phrase and its sentence
/// (lower-cased), by the lexicon's `[[groups.role]]` cues.
///
/// `lead_role` is the role the document's lead gives to people it does not otherwise name:
/// it replaces the default role of a generic noun with no cue in its sentence.
pub fn group_of(
    noun: Noun,
    phrase: &str,
    sentence: &str,
    lead_role: Option<&'static str>,
) -> &'static str {
    let g = groups();
    let cued = |r: &super::groups::Role, text: &str| contains_any(text, &r.cues);
    match noun {
        Noun::Casualty(_) => &g.default_role,
        // "construction workers" are builders.
        Noun::Role(id) => g
            .role(id)
            .and_then(|r| {
                r.yields_to
                    .iter()
                    .filter_map(|y| g.role(y))
                    .find(|y| cued(y, phrase))
            })
            .map_or(id, |y| &y.id),
        // "engineers" are sappers in a sentence about demining or sappers, else builders.
        Noun::Either(i) => {
            let Some(e) = g.either.get(i) else {
                return &g.default_role;
            };
            let (last, first) = match e.roles.split_last() {
                Some(x) => x,
                None => return &g.default_role,
            };
            first
                .iter()
                .find(|id| {
                    g.role(id)
                        .is_some_and(|r| cued(r, sentence) || r.nouns.named_in(sentence))
                })
                .unwrap_or(last)
        }
        // People with no role word: a role's cue or noun in the phrase, else its cue in
        // the sentence, else the lead's role, else the default.
        Noun::Generic | Noun::National | Noun::Weak | Noun::Unit(_) => {
            if let Some(r) = g
                .roles
                .iter()
                .find(|r| cued(r, phrase) || r.nouns.named_in(phrase))
            {
                return &r.id;
            }
            if let Some(r) = g.roles.iter().find(|r| cued(r, sentence)) {
                return &r.id;
            }
            match (lead_role, noun) {
                (Some(r), Noun::Generic | Noun::Unit(_)) => r,
                _ => &g.default_role,
            }
        }
    }
}

/// The nationality a noun phrase or a sentence names, as a subject prefix: the first of
/// the lexicon's `[[groups.nationality]]` it names.
pub fn nationality(s: &str) -> Option<&'static str> {
    groups()
        .nationalities
        .iter()
        .find(|n| {
            contains_any(s, &n.names)
                // "Korean" alone means the North unless the South is named as often.
                || n.unless_more.iter().any(|(w, rival)| {
                    s.contains(w.as_str()) && s.matches(w.as_str()).count() > s.matches(rival.as_str()).count()
                })
                || n.word_starts.iter().any(|w| word_start(s, w))
        })
        .map(|n| n.code.as_str())
}

/// The nationality a whole text is about: the first whose `document` words it names
/// three times or more.
pub fn document_nationality(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    groups()
        .nationalities
        .iter()
        .find(|n| {
            !n.document.is_empty()
                && n.document
                    .iter()
                    .map(|m| lower.matches(m.as_str()).count())
                    .sum::<usize>()
                    >= 3
        })
        .map(|n| n.code.as_str())
}

/// The pair of countries a text names together (`[[groups.pair]]`): the subject of
/// the dates of what they sign.
pub fn document_pair(text: &str, nat: Option<&'static str>) -> Option<&'static str> {
    let lower = text.to_lowercase();
    groups()
        .pairs
        .iter()
        .find(|p| {
            (nat == Some(p.first.as_str()) || contains_any(&lower, &p.first_names))
                && contains_any(&lower, &p.second_names)
        })
        .map(|p| p.code.as_str())
}

/// The text without the nationality words that qualify a thing rather than people ("a
/// North Korean missile killed 12 people": the 12 are not North Korean): a nationality
/// in the one or two words right before a noun of something other than people.
pub fn without_things_nationality(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut drop = vec![false; words.len()];
    for i in 1..words.len() {
        if !other_noun(&bare(words[i])) {
            continue;
        }
        for n in [2, 1] {
            let Some(from) = i.checked_sub(n) else {
                continue;
            };
            // Adjacent words only: punctuation between ends the phrase.
            if words[from..i]
                .iter()
                .any(|w| w.ends_with([',', ';', ':', '.']))
            {
                continue;
            }
            let phrase: Vec<String> = words[from..i].iter().map(|w| bare(w)).collect();
            if nationality(&phrase.join(" ")).is_some() {
                drop[from..i].iter_mut().for_each(|d| *d = true);
                break;
            }
        }
    }
    words
        .iter()
        .zip(&drop)
        .filter(|(_, d)| !**d)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `pat` starts a word of `s` ("russe" in "l'armée russe", not in "Brussels").
fn word_start(s: &str, pat: &str) -> bool {
    s.match_indices(pat)
        .any(|(i, _)| !s[..i].chars().next_back().is_some_and(char::is_alphabetic))
}

/// The words for a nationality prefix of [`nationality`] ("North Korean").
pub fn nationality_words(code: &str) -> Option<&'static str> {
    groups().nationality(code).map(|n| n.name.as_str())
}

fn measure_word(w: &str) -> Option<&'static str> {
    groups().measure_word(w)
}

/// Clause bounds around token `i`: ';' and ':' split clauses.
fn clause(toks: &[Tok], i: usize) -> (usize, usize) {
    let is_bound = |t: &Tok| t.is_sym(';');
    let start = (0..i)
        .rev()
        .find(|&k| is_bound(&toks[k]))
        .map_or(0, |k| k + 1);
    let end = (i..toks.len())
        .find(|&k| is_bound(&toks[k]))
        .unwrap_or(toks.len());
    (start, end)
}

/// The measure nearest to the mention in its clause, skipping the mention's own phrase.
pub fn nearest_measure(toks: &[Tok], m: &Mention, skip: (usize, usize)) -> Option<&'static str> {
    let (cs, ce) = clause(toks, m.num_tok);
    let mut best: Option<(usize, &'static str)> = None;
    for k in cs..ce {
        if (m.first_tok..m.next_tok).contains(&k) || (skip.0..skip.1).contains(&k) {
            continue;
        }
        let Some(w) = toks[k].word() else { continue };
        let g = groups();
        let word = |j: usize| toks.get(j).and_then(Tok::word);
        // A phrase ending here: "at the front" is where troops are ("to the front" is
        // where they are sent), "take in 30,000 workers" an arrival.
        let phrase = g.measures.iter().find(|meas| {
            meas.phrases.iter().any(|p| {
                k + 1 >= p.len()
                    && p.iter()
                        .enumerate()
                        .all(|(j, pw)| word(k + 1 - p.len() + j).is_some_and(|x| pw.matches(x)))
            })
        });
        // "killed or wounded", "tués ou blessés", "убитыми и ранеными": both together are
        // the casualties.
        let joined = g.joined.iter().find(|jn| {
            jn.of.len() == 2
                && measure_word(w) == Some(jn.of[0].as_str())
                && word(k + 1).is_some_and(|c| g.joined_by.iter().any(|b| b == c))
                && word(k + 2).and_then(measure_word) == Some(jn.of[1].as_str())
        });
        let found = phrase
            .map(|p| p.id.as_str())
            .or(joined.map(|j| j.is.as_str()))
            .or_else(|| measure_word(w));
        if let Some(meas) = found {
            let d = k.abs_diff(m.num_tok);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, meas));
            }
        }
    }
    best.map(|b| b.1)
}

/// Whether the lexicon reads a predicate the group reader has no measure for in the
/// mention's clause, within a few words of it ("recovered the bodies of 27", "тела
/// около 300").
pub fn other_predicate_near(toks: &[Tok], m: &Mention) -> bool {
    const REACH: usize = 6;
    let (cs, ce) = clause(toks, m.num_tok);
    let words = lexicon::words_of(toks);
    let from = m.first_tok.saturating_sub(REACH).max(cs);
    let to = (m.next_tok + REACH).min(ce);
    let g = groups();
    (from..to)
        .filter(|k| !(m.first_tok..m.next_tok).contains(k))
        .filter_map(|k| lexicon::lexicon().predicate_at(&words, k))
        .any(|h| !g.measures.iter().any(|x| x.id == h.entry.id))
}

/// Whether an expectation word ("expected to follow") sits near the mention.
pub fn expected_near(toks: &[Tok], m: &Mention, phrase_end: usize) -> bool {
    let from = phrase_end.max(m.next_tok).min(toks.len());
    let end = (from + 3).min(toks.len());
    toks[from..end]
        .iter()
        .filter_map(Tok::word)
        .any(|w| groups().expected_after.any(w))
}

/// "an additional 5,000", "another 2,000", "5,000 more", "ещё 3 тыс.".
pub fn is_increment(toks: &[Tok], m: &Mention, phrase_end: usize) -> bool {
    let before = m.first_tok.saturating_sub(2)..m.first_tok;
    let inc_before = before.into_iter().filter_map(|k| toks[k].word()).any(|w| {
        matches!(
            w,
            "additional" | "another" | "further" | "extra" | "ещё" | "еще" | "encore"
        ) || w.starts_with("дополнительн")
    });
    // One word past the noun: "3 000 soldats supplémentaires".
    let after_end = (phrase_end + 1).max(m.next_tok + 1).min(toks.len());
    let inc_after = (m.next_tok..after_end)
        .filter_map(|k| toks[k].word())
        .enumerate()
        .any(|(n, w)| {
            let more = w == "more"
                && n == 0
                && toks.get(m.next_tok + 1).and_then(Tok::word) != Some("than");
            more || matches!(w, "additional" | "supplémentaires" | "supplementaires")
                || w.starts_with("дополнительн")
        });
    inc_before || inc_after
}

/// Running-total markers: "so far", "now", "already", "as of", "to date".
pub fn is_running_total(sentence_words: &str) -> bool {
    const MARKS: &[&str] = &[
        " so far ",
        " to date ",
        " as of ",
        " already ",
        " now ",
        " in total ",
        " a total of ",
        " total ",
        " until now ",
        " уже ",
        " в общей сложности ",
        " к настоящему времени ",
        " на данный момент ",
        " всего ",
        " déjà ",
        " au total ",
        " jusqu'à présent ",
        " à ce jour ",
        " en tout ",
        " at present ",
        " currently ",
        " в настоящее время ",
        " actuellement ",
    ];
    MARKS.iter().any(|m| sentence_words.contains(m))
}

/// How firmly the sentence asserts its figures.
pub fn modality(sentence_words: &str) -> Modality {
    const POSSIBLE: &[&str] = &[
        " may ",
        " might ",
        " could ",
        " possibly ",
        " likely ",
        " perhaps ",
        " возможно ",
        " может ",
        " могли ",
        " peut-être ",
        " pourrait ",
        " auraient ",
        " aurait ",
    ];
    const EXPECTED: &[&str] = &[
        " expected ",
        " ожидается ",
        " ожидают ",
        " attendus ",
        " devraient ",
        " devrait ",
    ];
    const PLANNED: &[&str] = &[
        " will ",
        " shall ",
        " would ",
        " plans ",
        " plan to ",
        " planned ",
        " set to ",
        " intends ",
        " is to ",
        " are to ",
        " будут ",
        " будет ",
        " планирует ",
        " планируется ",
        " намерен ",
        " va ",
        " vont ",
        " sera ",
        " seront ",
        " prévoit ",
    ];
    if POSSIBLE.iter().any(|w| sentence_words.contains(w)) {
        Modality::Possible
    } else if EXPECTED.iter().any(|w| sentence_words.contains(w)) {
        Modality::Expected
    } else if PLANNED.iter().any(|w| sentence_words.contains(w)) {
        Modality::Planned
    } else {
        Modality::Asserted
    }
}

/// The money measure (`[[groups.money]]`) a word begins with.
fn money_word(w: &str) -> Option<&'static super::groups::Money> {
    groups()
        .money
        .iter()
        .find(|m| m.words.iter().any(|p| w.starts_with(p.as_str())))
}

/// The first money or share measure a sentence names, if any.
pub fn any_money_measure(toks: &[Tok]) -> Option<&'static super::groups::Money> {
    toks.iter().filter_map(Tok::word).find_map(money_word)
}

/// Whether the figure at `first` is denied: a negation between the clause start and the
/// figure ("did not send 5,000", "не 6 000"), or a denial verb before it.
/// "did not exceed 48%", "n'a pas dépassé 48 %", "не превысила 48%": a negated verb of
/// exceeding before the figure makes it an upper bound, not a denial.
pub fn capped(toks: &[Tok], clause_start: usize, first: usize) -> bool {
    let from = clause_start.max(first.saturating_sub(5));
    let words: Vec<&str> = toks[from..first.min(toks.len())]
        .iter()
        .filter_map(Tok::word)
        .collect();
    let negation =
        |w: &str| matches!(w, "not" | "never" | "не" | "pas" | "jamais") || w.ends_with("n't");
    let exceed = |w: &str| {
        [
            "exceed",
            "top",
            "surpass",
            "dépass",
            "excéd",
            "превыс",
            "превзош",
        ]
        .iter()
        .any(|p| w.starts_with(p))
    };
    words
        .iter()
        .position(|w| negation(w))
        .is_some_and(|n| words[n..].iter().any(|w| exceed(w)))
}

pub fn polarity(toks: &[Tok], clause_start: usize, first: usize) -> crate::model::Polarity {
    if capped(toks, clause_start, first) {
        return crate::model::Polarity::Positive;
    }
    let first = first.min(toks.len());
    let from = clause_start.max(first.saturating_sub(5));
    // A denial word anywhere just before ("denied sending 5,000", "опроверг").
    let denial = toks[from..first].iter().filter_map(Tok::word).any(|w| {
        matches!(
            w,
            "denied" | "denies" | "deny" | "démenti" | "dément" | "démentent"
        ) || w.starts_with("отрица")
            || w.starts_with("опроверг")
    });
    // A negation close before the figure, nothing but words between ("did not send
    // 5,000", "n'a jamais envoyé 5 000"). Not across a dash or a colon ("не изменилось —
    // 19 человек"), and not Russian "не" + verb, which states a count more often than it
    // denies one ("не хватает 1 500 машинистов", "не найдены 12 рыбаков").
    let near = first.saturating_sub(3).max(from);
    let negated = (near..first).any(|k| {
        toks[k]
            .word()
            .is_some_and(|w| matches!(w, "not" | "never" | "pas" | "jamais") || w.ends_with("n't"))
            && toks[k + 1..first].iter().all(|t| t.word().is_some())
    });
    if denial || negated {
        crate::model::Polarity::Negative
    } else {
        crate::model::Polarity::Positive
    }
}

/// The money or share measure nearest to a mention, with its distance in tokens, if the
/// sentence names one.
pub fn money_measure(toks: &[Tok], m: &Mention) -> Option<(&'static super::groups::Money, usize)> {
    let mut best: Option<(usize, &'static super::groups::Money)> = None;
    for (k, t) in toks.iter().enumerate() {
        let Some(w) = t.word() else { continue };
        if let Some(meas) = money_word(w) {
            let d = k.abs_diff(m.num_tok);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, meas));
            }
        }
    }
    best.map(|b| (b.1, b.0))
}

/// Whether the sentence says the quantity fell ("plummeted fiftyfold").
pub fn says_decline(sentence: &str) -> bool {
    [
        "plummet",
        "fell",
        "fall",
        "drop",
        "decreas",
        "declin",
        "shrank",
        "сократ",
        "упал",
        "снизил",
        "chut",
        "baiss",
        "diminu",
    ]
    .iter()
    .any(|w| sentence.contains(w))
}

/// Whether a word is a verb of saying ("said", "заявили", "a indiqué"'s "indiqué").
pub fn say_verb(w: &str) -> bool {
    (SAY_VERBS.contains(&w) && w != "a")
        || POSTPOSED_VERBS.contains(&w)
        || FR_PARTICIPLES
            .iter()
            .any(|p| p.split(' ').next() == Some(w))
}

/// Verbs of giving: a verb of saying when what is given is a figure (`FIGURE_NOUNS`).
const GIVE_VERBS: &[&str] = &[
    "gave", "gives", "give", "donne", "donnent", "даёт", "дает", "дают", "дал", "дала", "дали",
];

/// Nouns that name a figure given: "gave a figure of", "donne une estimation",
/// "даёт другую оценку".
const FIGURE_NOUNS: &[&str] = &[
    "figure",
    "estimate",
    "count",
    "tally",
    "total",
    "chiffre",
    "estimation",
    "bilan",
    "décompte",
    "оценку",
    "цифру",
    "данные",
];

/// Verbs and phrases that attribute a statement to someone.
const SAY_VERBS: &[&str] = &[
    "said",
    // "aid groups put the toll at 200"
    "put",
    "puts",
    "говорят",
    "говорит",
    "says",
    "say",
    "stated",
    "states",
    "reported",
    "reports",
    "estimated",
    "estimates",
    "claimed",
    "claims",
    "believes",
    "believe",
    "assessed",
    "assesses",
    "announced",
    "told",
    "noted",
    "confirmed",
    "wrote",
    "added",
    "estimating",
    "saying",
    "сообщил",
    "сообщила",
    "сообщили",
    "заявил",
    "заявила",
    "заявили",
    "заявило",
    "заявляет",
    "заявляют",
    "сообщило",
    "сообщает",
    "сообщают",
    "считает",
    "оценивает",
    "a",
    "estime",
    "affirme",
    "rapporte",
    "annonce",
    "indique",
    // Who counts a figure gives it ("police counted 300", "la police n'a compté que 300",
    // "Власти называют цифру 26"); not "counts" / "compte" / "насчитывает", which as
    // often say what a thing has ("la ville compte 9 000 grévistes").
    "counted",
    "recorded",
    "records",
    "insists",
    "insisted",
    "maintains",
    "admits",
    "admitted",
    "acknowledged",
    "acknowledges",
    "recense",
    "recensent",
    "dénombre",
    "dénombrent",
    "évoque",
    "évoquent",
    // "les organisateurs revendiquent 5 000 participants": a count claimed.
    "revendique",
    "revendiquent",
    "avance",
    "avancent",
    "reconnaît",
    "reconnait",
    "maintient",
    "assure",
    "soutient",
    "estiment",
    "affirment",
    "évalue",
    "évaluent",
    "насчитал",
    "насчитала",
    "насчитали",
    "называет",
    "называют",
    "назвал",
    "назвала",
    "назвали",
    "назвало",
    "приводит",
    "приводят",
    "привёл",
    "привел",
    "привела",
    "привели",
    "parle",
    "parlent",
    "оценивают",
    "считают",
    "утверждает",
    "утверждают",
    "признаёт",
    "признает",
    "признают",
];

pub(super) const LEAD_INS: &[&str] = &[
    "according to",
    "по данным",
    "по словам",
    "по оценкам",
    "по оценке",
    "по подсчетам",
    "по подсчётам",
    "по мнению",
    "по информации",
    "по сведениям",
    "selon",
    "d'après",
];

/// Lower-case words that may belong to the name of a source ("the agency", "intelligence").
/// Words that join clauses, never part of a speaker's name.
const CONNECTOR_WORDS: &[&str] = &[
    "that",
    "and",
    "but",
    "while",
    "when",
    "after",
    "before",
    "since",
    "said",
    "says",
    "with",
    "however",
    "que",
    "mais",
    "et",
    "что",
    "но",
    "однако",
];

const SOURCE_WORDS: &[&str] = &[
    // Who is quoted, without a capital: "aid groups put the toll at", "police said".
    "office",
    "bureau",
    "institute",
    "committee",
    "council",
    "comité",
    "institut",
    "комитет",
    "служба",
    "ведомство",
    "groups",
    "group",
    "police",
    "governor",
    "mayor",
    "authorities",
    "army",
    "rescuers",
    "doctors",
    "union",
    "unions",
    "organisers",
    "organizers",
    "monitors",
    "observers",
    "activists",
    "witnesses",
    "prosecutors",
    "commission",
    "utility",
    "operator",
    "insurers",
    "experts",
    "autorités",
    "préfecture",
    "gendarmerie",
    "syndicat",
    "syndicats",
    "organisateurs",
    "secours",
    "pompiers",
    "mairie",
    "власти",
    "полиция",
    "губернатор",
    "мэр",
    "минздрав",
    "профсоюз",
    "организаторы",
    "спасатели",
    "врачи",
    "правозащитники",
    "активисты",
    "the",
    "of",
    "intelligence",
    "agency",
    "ministry",
    "officials",
    "official",
    "lawmaker",
    "media",
    "sources",
    "service",
    "government",
    "military",
    "correspondents",
    "analysts",
    "representative",
    "spy",
    "spokesman",
    "spokesperson",
    "de",
    "du",
    "des",
    "la",
    "le",
    "l'",
    "state",
    "for",
    "on",
    "defence",
    "defense",
    "разведка",
    "минобороны",
    "министерство",
    "обороны",
    "renseignement",
    // "L'Organisation mondiale de la santé", "l'Agence régionale de santé".
    "santé",
    // Bodies that give figures, without a capital: "the transport authority put the
    // figure at", "la fédération avance", "ассоциация приводит".
    "authority",
    "company",
    "federation",
    "association",
    "consortium",
    "centre",
    "center",
    "researchers",
    "scientists",
    "auditors",
    "regulator",
    "watchdog",
    "charity",
    "autorité",
    "fédération",
    "entreprise",
    "chercheurs",
    "компания",
    "ассоциация",
    "федерация",
    "центр",
    "институт",
    "исследователи",
    "учёные",
    "ученые",
    "эксперты",
    "ministère",
    "services",
];

/// Whether a lower-case word may stand in a speaker's name: the list above, and the
/// lexicon's `speaker_words` ("sud-coréens").
pub(super) fn source_word(w: &str) -> bool {
    SOURCE_WORDS.contains(&w) || groups().speaker_words.iter().any(|s| s == w)
}

/// A lower-case Russian word that may follow the head of a speaker's name ("потребителей"
/// in "Союз потребителей", "компании" in "Основатель компании"): a word of three letters
/// or more that is not a function word nor, by its ending, a verb.
fn ru_name_tail(w: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "что",
        "это",
        // "Украинская разведка между тем сообщила": an adverb before the verb.
        "между",
        "тем",
        "эту",
        "этот",
        "эти",
        "эта",
        "этом",
        "этого",
        "также",
        "уже",
        "ещё",
        "еще",
        "как",
        "который",
        "которая",
        "которые",
        "которое",
        "лишь",
        "только",
        "тоже",
        "всего",
        "около",
        "более",
        "менее",
        "свыше",
        "почти",
        "при",
        "для",
        "над",
        "под",
        "после",
        "перед",
        "через",
        "между",
        "против",
        "вместо",
        "однако",
        "впрочем",
        "теперь",
        "сейчас",
        "вчера",
        "сегодня",
        "ранее",
        "позже",
        "затем",
        "потом",
        "тогда",
        "тем",
        "того",
        "его",
        "её",
        "их",
        "она",
        "они",
        "оно",
        "мы",
        "вы",
        "свой",
        "своей",
        "своих",
        "свою",
        "не",
        "ни",
        "так",
        "там",
        "тут",
        "где",
        "когда",
    ];
    const VERB_ENDINGS: &[&str] = &[
        "л", "ла", "ли", "ло", "ет", "ют", "ит", "ят", "ся", "сь", "ть",
    ];
    w.chars().count() >= 3
        && w.chars().all(|c| ('а'..='я').contains(&c) || c == 'ё' || c == '-')
        && !FUNCTION_WORDS.contains(&w)
        // "по-прежнему", "по-видимому": adverbs.
        && !w.starts_with("по-")
        && !VERB_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// Pronouns standing where a speaker's name would: they say nothing about the source.
const PRONOUNS: &[&str] = &[
    "it", "he", "she", "they", "them", "him", "her", "this", "we", "i", "il", "elle", "ils",
    "elles", "lui", "eux", "он", "она", "оно", "они", "него", "неё", "нее", "них",
];

/// Asides set between a speaker's name and its verb, in commas.
const SPEAKER_ASIDES: &[&str] = &[
    "lui",
    "elle",
    "eux",
    "elles",
    "pour sa part",
    "pour leur part",
    "de son côté",
    "de leur côté",
    "quant à lui",
    "quant à elle",
    "for its part",
    "for their part",
    "in turn",
    "however",
    "cependant",
    "pourtant",
    "toutefois",
    "в свою очередь",
    "со своей стороны",
    "же",
];

/// Adverbs that open a Russian sentence before its speaker ("Ранее глава ведомства
/// заявил"), lower-cased.
const RU_OPENING_ADVERBS: &[&str] = &[
    "ранее",
    "позже",
    "также",
    "вчера",
    "сегодня",
    "затем",
    "впрочем",
    "однако",
    "теперь",
    "тем",
    "временем",
    "между",
];

/// Who the sentence says made its claims, if anyone: the first attribution in it.
pub fn attribution(s: &str, toks: &[Tok]) -> Option<String> {
    attributions(s, toks).into_iter().next().map(|a| a.1)
}

/// Every attribution of a sentence with the token index where it is made, in order:
/// a clause that carries its own ("…, with a Seoul lawmaker estimating 4,700") takes that.
pub fn attributions(s: &str, toks: &[Tok]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // "according to X", "по данным X", "selon X": the words after, to the next comma.
    for (li, _) in toks.iter().enumerate() {
        for lead in LEAD_INS {
            let parts: Vec<&str> = lead.split(' ').collect();
            let hit = parts
                .iter()
                .enumerate()
                .all(|(n, p)| toks.get(li + n).and_then(Tok::word) == Some(*p));
            if !hit {
                continue;
            }
            let first = li + parts.len();
            let mut last = first;
            while last < toks.len()
                && last < first + 6
                && !matches!(toks[last].kind, TokKind::Sym(c) if matches!(c, ',' | '.' | ';' | ':' | '—' | '('))
            {
                last += 1;
            }
            if last > first {
                let name = strip_article(&s[toks[first].start..toks[last - 1].end]);
                // "selon eux", "according to them": a pronoun says nothing of the source.
                if !name.is_empty() && !PRONOUNS.contains(&name.to_lowercase().as_str()) {
                    out.push((li, name));
                }
            }
        }
    }
    // "X said/reported/estimated": capitalised words (and source words) before the verb.
    for (vi, t) in toks.iter().enumerate() {
        let Some(w) = t.word() else { continue };
        // "n'a compté", "n'estime": the negation glued to the verb.
        let w = w.strip_prefix("n'").unwrap_or(w);
        // "L'OMS, elle, en compte 1 350": counting them is giving the figure (not "la
        // ville compte 9 000 grévistes", which says what a place has).
        let counts_them =
            matches!(w, "compte" | "comptent") && vi > 0 && toks[vi - 1].word() == Some("en");
        // "The centre gave a figure of 6.6 million", "даёт другую оценку": giving a
        // figure is saying it (not "the EU gave €5 million").
        let gives_figure = GIVE_VERBS.contains(&w)
            && toks[vi + 1..]
                .iter()
                .take(3)
                .filter_map(Tok::word)
                .any(|n| FIGURE_NOUNS.contains(&n));
        if !SAY_VERBS.contains(&w) && !counts_them && !gives_figure {
            continue;
        }
        // "the Baltic states, said", "2.1 million customer records.", "reports of 300
        // dead": a noun, not "the report states that", "the union records 300".
        if matches!(
            w,
            "states" | "records" | "reports" | "estimates" | "counts" | "claims"
        ) && !toks.get(vi + 1).is_some_and(|t| {
            matches!(t.kind, TokKind::Num { .. })
                || t.word()
                    .is_some_and(|n| !matches!(n, "and" | "of" | "from" | "or"))
        }) {
            continue;
        }
        // French "a déclaré": only with its participle.
        if w == "a"
            && !toks.get(vi + 1).and_then(Tok::word).is_some_and(|n| {
                matches!(
                    n,
                    "déclaré"
                        | "annoncé"
                        | "affirmé"
                        | "estimé"
                        | "indiqué"
                        | "compté"
                        | "recensé"
                        | "dénombré"
                        | "évalué"
                        | "reconnu"
                        | "avancé"
                        | "chiffré"
                )
            })
        {
            continue;
        }
        let mut k = vi;
        while k > 0
            && toks[k - 1].word().is_some_and(|p| {
                matches!(
                    p,
                    "has"
                        | "have"
                        | "had"
                        | "also"
                        | "later"
                        | "now"
                        | "still"
                        | "further"
                        // "la police n'a compté que 300", "n'en reconnaît que 35"
                        | "n"
                        | "n'"
                        | "ne"
                        | "en"
                        | "n'en"
                        | "y"
                        // "Минздрав по-прежнему оценивает", "МЧС также сообщило"
                        | "по-прежнему"
                        | "также"
                        | "уже"
                        | "вновь"
                        | "снова"
                        | "теперь"
                        // "Разведка между тем сообщила", "тем временем"
                        | "между"
                        | "тем"
                        | "временем"
                )
            })
        {
            k -= 1;
        }
        // "Le parquet, lui, évoque", "The union, for its part, says", "Профсоюз, в свою
        // очередь, утверждает": an aside between the name and its verb.
        if k > 0 && toks[k - 1].is_sym(',') {
            if let Some(j) = (k.saturating_sub(6)..k - 1)
                .rev()
                .find(|&j| toks[j].is_sym(','))
            {
                let aside: Vec<&str> = toks[j + 1..k - 1].iter().filter_map(Tok::word).collect();
                if aside.len() == k - 2 - j && SPEAKER_ASIDES.contains(&aside.join(" ").as_str()) {
                    k = j;
                }
            }
        }
        // "Petrobel, which runs the refinery, said": the name stands before the clause.
        if k > 0 && toks[k - 1].is_sym(',') {
            let clause = (k.saturating_sub(16)..k - 1).rev().find(|&j| {
                toks[j].is_sym(',')
                    && toks.get(j + 1).and_then(Tok::word).is_some_and(|w| {
                        matches!(
                            w,
                            "which" | "who" | "qui" | "который" | "которая" | "которое" | "которые"
                        )
                    })
            });
            // "Brightwell, the fashion chain with 420 stores in the UK, said": an
            // appositive after a capitalised name.
            let appositive = || {
                (k.saturating_sub(20)..k - 1).rev().find(|&j| {
                    toks[j].is_sym(',')
                        && j > 0
                        && toks[j - 1].word().is_some()
                        && s[toks[j - 1].start..toks[j - 1].end]
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase)
                        && toks.get(j + 1).and_then(Tok::word).is_some_and(|w| {
                            matches!(
                                w,
                                "the"
                                    | "a"
                                    | "an"
                                    | "one"
                                    | "le"
                                    | "la"
                                    | "l'"
                                    | "un"
                                    | "une"
                                    | "l'un"
                                    | "l'une"
                            )
                        })
                        && !toks[j + 1..k - 1].iter().any(|t| {
                            t.word().is_some_and(|w| {
                                SAY_VERBS.contains(&w) && !matches!(w, "states" | "records")
                            })
                        })
                })
            };
            if let Some(j) = clause.or_else(appositive) {
                k = j;
            }
        }
        // "Le renseignement militaire ukrainien maintient": up to two adjectives after
        // the source noun they qualify, met first when reading back from the verb.
        let verb_at = k;
        let after_source = |j: usize| {
            j + 2 >= verb_at
                && (1..=2).any(|d| {
                    j > d
                        // A French article before the noun: "the official toll" is
                        // no name.
                        && toks[j - d - 1].word().is_some_and(|a| {
                            matches!(a, "le" | "la" | "les" | "l'" | "du" | "des" | "de" | "d'")
                        })
                        && toks[j - d].word().is_some_and(|p| {
                            source_word(p)
                                && !matches!(
                                    p,
                                    "the" | "of" | "for" | "on" | "de" | "du" | "des" | "la" | "le" | "l'"
                                )
                        })
                        && toks[j - d + 1..=j].iter().all(|t| {
                            t.word()
                                .is_some_and(|x| x.chars().all(char::is_alphabetic))
                        })
                })
        };
        let mut name_end = toks[k].start;
        let mut first: Option<usize> = None;
        // Whether a capitalised or source word is among the words taken since the last
        // phrase skipped (a Russian name's lower-case tail needs one before it).
        let mut headed = false;
        let mut locative = false;
        let mut depth = 0;
        let mut n = 0;
        while k > 0 && n < 10 {
            k -= 1;
            let tk = &toks[k];
            match &tk.kind {
                TokKind::Sym(')') => depth += 1,
                TokKind::Sym('(') if depth > 0 => depth -= 1,
                _ if depth > 0 => {}
                TokKind::Word(lw) => {
                    // "a Seoul lawmaker in April estimating": a date between name and verb.
                    if k >= 1 && toks[k - 1].word() == Some("in") && super::numbers::is_month(lw) {
                        k -= 1;
                        if first.is_none() {
                            continue;
                        }
                        break;
                    }
                    let raw = &s[tk.start..tk.end];
                    let cap = raw.chars().next().is_some_and(char::is_uppercase);
                    // "the interior ministry", "the regional governor": up to two plain
                    // words that qualify a source noun just after them.
                    let qualifies = first.is_some_and(|f| {
                        f - k <= 2
                            && toks[f..]
                                .iter()
                                .take(3)
                                .filter_map(Tok::word)
                                .any(|w| source_word(w) && w != "the" && w != "of")
                    }) && lw.chars().all(char::is_alphabetic)
                        && !matches!(
                            lw.as_str(),
                            "a" | "an"
                                | "and"
                                | "or"
                                | "but"
                                | "that"
                                | "which"
                                | "who"
                                | "as"
                                | "in"
                                | "on"
                                | "at"
                                | "to"
                                | "for"
                                | "by"
                                | "with"
                                | "from"
                                | "said"
                                | "were"
                                | "was"
                                | "is"
                                | "are"
                                | "has"
                                | "had"
                                | "have"
                                | "work"
                                | "now"
                                | "also"
                                | "however"
                                | "однако"
                                | "но"
                                | "mais"
                                | "cependant"
                                // "… an outbreak on Monday after the national laboratory
                                // confirmed": a clause's conjunction ends the name.
                                | "after"
                                | "before"
                                | "when"
                                | "while"
                                | "since"
                                | "because"
                                | "until"
                                // "double what the survey says": the clause it opens.
                                | "what"
                        );
                    if matches!(lw.as_str(), "в" | "во")
                        && first.is_some()
                        && !headed
                        && (k == 0
                            || matches!(toks[k - 1].kind, TokKind::Sym(c) if matches!(c, ',' | ';' | ':' | '—' | '(')))
                    {
                        // "в компании говорят о двух", "В префектуре считают": the body
                        // that speaks, named by where it is.
                        locative = true;
                        break;
                    } else if cap || source_word(lw) || qualifies || after_source(k) {
                        first = Some(k);
                        headed = true;
                        n += 1;
                    } else if ru_name_tail(lw) {
                        // "Союз потребителей сообщает", "Основатель компании Марк Дельво
                        // заявил": the lower-case words after a Russian name's head.
                        first = Some(k);
                        n += 1;
                    } else if matches!(lw.as_str(), "в" | "во" | "на") && first.is_some() && !headed
                    {
                        // "Марк Дельво в интервью радио заявил": the phrase between the
                        // name and its verb is no part of the name.
                        name_end = tk.start;
                        first = None;
                        n += 1;
                    } else {
                        break;
                    }
                }
                TokKind::Sym('\'') | TokKind::Sym('’') => {}
                _ => break,
            }
        }
        let Some(mut f) = first else { continue };
        // A Russian tail with no head before it ("в компании говорят о двух") names no
        // one; an adverb opening the sentence ("Ранее глава ведомства заявил") is no part
        // of the name.
        while !locative
            && f < vi
            && toks[f].word().is_some_and(|w| {
                RU_OPENING_ADVERBS.contains(&w)
                    || (ru_name_tail(w)
                        // "организаторы говорят о 40 тыс.": a source word is a head.
                        && !source_word(w)
                        && !s[toks[f].start..toks[f].end]
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase))
            })
        {
            f += 1;
        }
        if f >= vi || toks[f].start >= name_end {
            continue;
        }
        // "Officials in Valmont said": the source noun before "in" and its place.
        if f >= 2
            && matches!(toks[f - 1].word(), Some("in" | "at" | "from" | "à" | "в"))
            && toks[f - 2]
                .word()
                .is_some_and(|w| source_word(w) && !matches!(w, "the" | "of"))
        {
            f -= 2;
            // One qualifying word before it ("health officials in Valmont").
            if f >= 1
                && toks[f - 1].word().is_some_and(|w| {
                    w.chars().all(char::is_alphabetic) && !SAY_VERBS.contains(&w) && w.len() > 3
                })
                && !toks[f - 1]
                    .word()
                    .is_some_and(|w| CONNECTOR_WORDS.contains(&w))
            {
                f -= 1;
            }
        }
        // "far fewer than the fishermen's federation says", "double what the survey
        // says", "больше, чем Сеул заявляет": the voice whose figure the sentence's own
        // is set against.
        let before_name = (f.saturating_sub(3)..f)
            .rev()
            .map(|j| toks[j].word())
            .find(|w| {
                !matches!(
                    w,
                    Some("the" | "le" | "la" | "les" | "l'" | "ne" | "l" | "n")
                )
            });
        if matches!(
            before_name,
            Some(Some("than" | "what" | "que" | "qu'" | "чем"))
        ) || toks[f..vi]
            .iter()
            .any(|t| matches!(t.word(), Some("than" | "what")))
        {
            continue;
        }
        let end = if toks[f].start < name_end {
            name_end
        } else {
            continue;
        };
        let mut name = s[toks[f].start..end].trim();
        // A date skipped above sits at the end: cut it off.
        if let Some(p) = name.find(" in ") {
            name = &name[..p];
        }
        // "The Center for Strategic Studies (CSS)": the name without its abbreviation.
        if name.ends_with(')') {
            if let Some(p) = name.rfind('(') {
                name = name[..p].trim();
            }
        }
        let name = strip_article(name);
        // A named source, or a common noun that names one ("the agency said").
        let has_cap = name.split_whitespace().any(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || (source_word(w)
                    && !matches!(
                        w,
                        "the" | "of" | "for" | "on" | "de" | "du" | "des" | "la" | "le" | "l'"
                    ))
        });
        // A pronoun says nothing about the source.
        if (has_cap || locative)
            && !name.is_empty()
            && !PRONOUNS.contains(&name.to_lowercase().as_str())
        {
            out.push((vi, name));
        }
    }
    out.extend(postposed_attributions(s, toks));
    out.extend(closing_attributions(s, toks));
    out.extend(passive_attributions(s, toks));
    out.sort_by_key(|a| a.0);
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// "the 1,000 announced by Moscow", "les 7 500 avancés par le patronat": a participle of
/// saying, "by" / "par", then who said it, to the next punctuation (six words at most).
fn passive_attributions(s: &str, toks: &[Tok]) -> Vec<(usize, String)> {
    const PARTICIPLES: &[&str] = &[
        "announced",
        "reported",
        "claimed",
        "given",
        "cited",
        "released",
        "published",
        "provided",
        "estimated",
        "annoncé",
        "annoncés",
        "annoncée",
        "annoncées",
        "avancé",
        "avancés",
        "avancée",
        "avancées",
        "donné",
        "donnés",
        "donnée",
        "données",
        "communiqué",
        "communiqués",
        "publié",
        "publiés",
        "fourni",
        "fournis",
        "cité",
        "cités",
        "estimé",
        "estimés",
    ];
    let mut out = Vec::new();
    for (pi, t) in toks.iter().enumerate() {
        if !t.word().is_some_and(|w| PARTICIPLES.contains(&w)) {
            continue;
        }
        if !matches!(toks.get(pi + 1).and_then(Tok::word), Some("by" | "par")) {
            continue;
        }
        // "well below the figure given by the utility", "well short of the figure
        // published by", "plus que le chiffre avancé par le groupe", "loin des montants
        // avancés par le ministère": what the participle follows is another figure the
        // sentence sets its own against, and who gave that one is not who gives this
        // ("the figures released by the ministry show 300 dead", "the number of dead
        // reported by the ministry" and "the 1,000 announced by Moscow" name the
        // speaker).
        let of_other_figure = toks[pi.saturating_sub(5)..pi]
            .iter()
            .rev()
            .take_while(|t| {
                t.word().is_some() || matches!(t.kind, TokKind::Sym('«' | '»' | '"' | '“' | '”'))
            })
            .filter_map(Tok::word)
            .any(|w| {
                matches!(
                    w,
                    "than"
                        | "short"
                        | "with"
                        | "from"
                        | "compared"
                        | "not"
                        | "against"
                        | "que"
                        | "qu'"
                        | "des"
                        | "du"
                        | "à"
                        | "au"
                        | "aux"
                        | "non"
                        | "contre"
                        | "below"
                        | "above"
                        | "beyond"
                        | "celui"
                        | "celle"
                        | "ceux"
                        | "celles"
                        | "чем"
                )
            });
        if of_other_figure {
            continue;
        }
        // A name: capitalised words and source words ("the interior ministry", "le
        // patronat"), a plain word only right before one of them, articles first and
        // "of" / "de" / "and" between; "by Moscow in June" ends before its time.
        let first = pi + 2;
        let strong = |k: usize| {
            toks.get(k).is_some_and(|t| {
                t.word().is_some_and(|w| {
                    !time_word(w)
                        && !matches!(
                            w,
                            "the" | "le" | "la" | "les" | "l" | "of" | "de" | "du" | "des"
                        )
                }) && (super::lexicon::strip_elision(&s[t.start..t.end])
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                    || t.word().is_some_and(source_word))
            })
        };
        let joint = |k: usize| {
            toks.get(k).and_then(Tok::word).is_some_and(|w| {
                matches!(w, "of" | "de" | "du" | "des" | "and" | "et")
                    || (k == first && matches!(w, "the" | "le" | "la" | "les" | "l"))
            })
        };
        let mut last = first;
        let mut end = first;
        while last < toks.len() && last < first + 6 {
            if strong(last) {
                last += 1;
                end = last;
            } else if joint(last) || (toks[last].word().is_some() && strong(last + 1)) {
                last += 1;
            } else {
                break;
            }
        }
        if end > first {
            let name = strip_article(&s[toks[first].start..toks[end - 1].end]);
            if !name.is_empty() {
                out.push((pi, name));
            }
        }
    }
    out
}

/// Verbs of saying that may follow the figure's clause with their subject after them:
/// "…, said the ministry", "…, a indiqué le ministère", "…, сообщил глава МЧС".
const POSTPOSED_VERBS: &[&str] = &[
    "said",
    "says",
    "reported",
    "announced",
    "added",
    "noted",
    "confirmed",
    "estimated",
    "indique",
    "précise",
    "affirme",
    "estime",
    "annonce",
    "ajoute",
    "rapporte",
    "souligne",
    "explique",
    "déclare",
    "сообщил",
    "сообщила",
    "сообщило",
    "сообщили",
    "заявил",
    "заявила",
    "заявило",
    "заявили",
    "сказал",
    "сказала",
    "отметил",
    "отметила",
    "рассказал",
    "рассказала",
    "уточнил",
    "уточнила",
    "подчеркнул",
    "признал",
    "признали",
    "пояснил",
    "утверждает",
    "утверждают",
    "заявляет",
    "заявляют",
    "сообщает",
    "сообщают",
    "считает",
    "считают",
    "affirment",
    "estiment",
    "indiquent",
    "annoncent",
    "prétend",
    "prétendent",
];

/// French compound past: the participles that make "a"/"ont" a verb of saying.
const FR_PARTICIPLES: &[&str] = &[
    "indiqué",
    "déclaré",
    "annoncé",
    "affirmé",
    "estimé",
    "précisé",
    "ajouté",
    "confirmé",
    "expliqué",
    "souligné",
    "assuré",
    "fait savoir",
    "rapporté",
];

/// Time words between a postposed verb and its subject ("said on Friday the ministry",
/// "a indiqué mardi le MSPP", "сообщил в понедельник").
pub(super) fn time_word(w: &str) -> bool {
    super::numbers::is_month(w)
        || matches!(
            w,
            "on" | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "lundi"
                | "mardi"
                | "mercredi"
                | "jeudi"
                | "vendredi"
                | "samedi"
                | "dimanche"
                | "в"
                | "во"
                | "понедельник"
                | "вторник"
                | "среду"
                | "четверг"
                | "пятницу"
                | "субботу"
                | "воскресенье"
                | "today"
                | "yesterday"
                | "hier"
                | "вчера"
                | "сегодня"
                | "soir"
                | "matin"
                | "morning"
                | "evening"
                | "night"
                | "late"
                | "earlier"
                | "this"
                | "week"
                | "утром"
                | "вечером"
        )
}

/// "…, said the interior ministry", "…, a indiqué mardi le MSPP", "…, сообщил глава МЧС":
/// a verb of saying right after a comma, its subject after it.
/// A clause that closes the sentence naming who said it, whatever words name them:
/// "…, the regional governor said.", "…, police said on Monday.", "…, local health
/// officials told reporters." — a comma, at most six words, a verb of saying, then the
/// end of the sentence (or only time words, "in a statement", "reporters").
fn closing_attributions(s: &str, toks: &[Tok]) -> Vec<(usize, String)> {
    const CLOSING_VERBS: &[&str] = &[
        "said",
        "says",
        "told",
        "reported",
        "reports",
        "estimated",
        "estimates",
        "added",
        "announced",
        "confirmed",
        "wrote",
        "stated",
    ];
    const TAIL: &[&str] = &[
        "in",
        "a",
        "statement",
        "reporters",
        "journalists",
        "the",
        "press",
        "news",
        "conference",
        "agency",
        "late",
        "earlier",
        "this",
        "week",
    ];
    let mut out = Vec::new();
    for (vi, t) in toks.iter().enumerate() {
        if !t.word().is_some_and(|w| CLOSING_VERBS.contains(&w)) {
            continue;
        }
        // Only time words and a few fixed words after the verb, up to the sentence's end.
        let tail_ok = toks[vi + 1..].iter().all(|t| match &t.kind {
            TokKind::Word(w) => time_word(w) || TAIL.contains(&w.as_str()),
            TokKind::Sym(c) => matches!(c, '.' | '!' | '"' | '»' | '”'),
            _ => false,
        });
        if !tail_ok {
            continue;
        }
        let in_name = |t: &Tok| {
            matches!(
                t.kind,
                TokKind::Word(_) | TokKind::Sym('\'') | TokKind::Sym('’')
            )
        };
        let Some(comma) = (0..vi).rev().find(|&k| !in_name(&toks[k]) || k + 8 <= vi) else {
            continue;
        };
        if !toks[comma].is_sym(',') || comma + 1 >= vi {
            continue;
        }
        // "…, more than the survey says", "…, double what the ministry reported": the
        // clause names the voice of the figure set against, not this one's.
        let compared = toks[comma + 1..vi]
            .iter()
            .filter_map(Tok::word)
            .any(|w| matches!(w, "than" | "what" | "unlike" | "contrary"));
        let name = strip_article(s[toks[comma + 1].start..toks[vi - 1].end].trim());
        let pronoun = ["it", "he", "she", "they", "we", "i", "officials"]
            .contains(&name.to_lowercase().as_str());
        if !name.is_empty() && !pronoun && !compared {
            out.push((vi, name));
        }
    }
    out
}

fn postposed_attributions(s: &str, toks: &[Tok]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (ci, t) in toks.iter().enumerate() {
        // "…, said the ministry"; "et non 120 comme l'affirme la ministre", "а не 87, как
        // утверждает правительство": the rival's speaker after "comme", "как".
        let opener = t.is_sym(',')
            || t.is_sym('—')
            || t.is_sym('–')
            || t.word().is_some_and(|w| matches!(w, "comme" | "как"));
        if !opener {
            continue;
        }
        let Some(w) = toks
            .get(ci + 1)
            .and_then(Tok::word)
            .map(super::lexicon::strip_elision)
        else {
            continue;
        };
        let mut vi = ci + 1;
        let is_verb = if matches!(w, "a" | "ont") {
            let p = toks.get(ci + 2).and_then(Tok::word).unwrap_or("");
            if FR_PARTICIPLES
                .iter()
                .any(|f| f.split(' ').next() == Some(p))
            {
                vi = ci + 2;
                true
            } else {
                false
            }
        } else {
            POSTPOSED_VERBS.contains(&w)
        };
        if !is_verb {
            continue;
        }
        let mut k = vi + 1;
        // Time words and the day of a date ("on 12 March"); a figure that is not a day
        // opens what was said ("…, said 1,900 of its staff had joined"), not a name.
        let day = |k: usize| {
            toks.get(k)
                .is_some_and(|t| matches!(t.kind, TokKind::Num { .. }))
                && (toks.get(k + 1).and_then(Tok::word).is_some_and(time_word)
                    || k.checked_sub(1)
                        .and_then(|p| toks[p].word())
                        .is_some_and(super::numbers::is_month))
        };
        while toks.get(k).and_then(Tok::word).is_some_and(time_word) || day(k) {
            k += 1;
        }
        if toks
            .get(k)
            .is_some_and(|t| matches!(t.kind, TokKind::Num { .. }))
        {
            continue;
        }
        let first = k;
        // "said that…", "a indiqué que…": the subject came before, not after.
        if toks.get(first).and_then(Tok::word).is_some_and(|w| {
            matches!(
                w,
                "that"
                    | "que"
                    | "qu'"
                    | "что"
                    | "it"
                    | "he"
                    | "she"
                    | "they"
                    | "il"
                    | "elle"
                    | "он"
                    | "она"
                    | "они"
            )
        }) {
            continue;
        }
        let mut last = first;
        while last < toks.len()
            && last < first + 7
            && !matches!(toks[last].kind, TokKind::Sym(c) if matches!(c, ',' | '.' | ';' | ':' | '—' | '(' | '«' | '"'))
        {
            // "…, said the ministry on Friday": the time words end the name.
            if last > first && toks[last].word().is_some_and(time_word) {
                break;
            }
            last += 1;
        }
        // "…, said hackers had copied 2 million records": a clause, not a name.
        let clause = toks[first..last].iter().any(|t| {
            matches!(t.kind, TokKind::Num { .. })
                || t.word().is_some_and(|w| {
                    matches!(
                        w,
                        "had" | "has" | "have" | "was" | "were" | "is" | "are" | "will" | "would"
                    )
                })
        });
        if last > first && !clause {
            let name = strip_article(&s[toks[first].start..toks[last - 1].end]);
            if !name.is_empty() {
                out.push((ci, name));
            }
        }
    }
    out
}

pub(super) fn strip_article(name: &str) -> String {
    let mut name = name.trim().trim_end_matches([',', '.']);
    // "quand la préfecture en a compté 1 800", "whereas police counted": the conjunction
    // that sets one source against another is no part of its name.
    for c in [
        "quand ",
        "alors que ",
        "tandis que ",
        "whereas ",
        "while ",
        "тогда как ",
        "а ",
    ] {
        if let Some(r) = name.strip_prefix(c) {
            name = r.trim_start();
            break;
        }
    }
    // An article alone ("The confirmed death toll"): no name.
    if matches!(
        name,
        "the" | "The" | "la" | "La" | "le" | "Le" | "les" | "Les" | "l'" | "L'"
    ) {
        return String::new();
    }
    // "В Минздраве считают": the speaker is the ministry, "at" it.
    for a in [
        "the ", "The ", "la ", "le ", "les ", "La ", "Le ", "Les ", "L'", "l'", "В ", "в ", "Во ",
        "во ",
    ] {
        if let Some(r) = name.strip_prefix(a) {
            return r.trim().to_string();
        }
    }
    name.to_string()
}

/// The yes/no claims of a sentence (`[[groups.status]]`): the status's id, and 1.0 when
/// the sentence says yes ("in violation of UN sanctions"), 0.0 when it says no
/// ("sanctions are not violated").
pub fn statuses(sentence_lower: &str, toks: &[Tok]) -> Vec<(&'static str, f64)> {
    groups()
        .statuses
        .iter()
        .filter_map(|st| status_value(st, sentence_lower, toks).map(|v| (st.id.as_str(), v)))
        .collect()
}

fn status_value(st: &super::groups::Status, sentence_lower: &str, toks: &[Tok]) -> Option<f64> {
    if !contains_any(sentence_lower, &st.about)
        || contains_any(sentence_lower, &st.unless)
        || sentence_lower.trim_end().ends_with('?')
    {
        return None;
    }
    let starts = |w: &str, list: &[String]| list.iter().any(|p| w.starts_with(p.as_str()));
    // Another instrument ("the UN Charter") is not the matter: the verb must be near the
    // matter's words, so check the window around it.
    let vi = toks
        .iter()
        .position(|t| t.word().is_some_and(|w| starts(w, &st.verbs)))?;
    let near = toks.iter().enumerate().any(|(k, t)| {
        k.abs_diff(vi) <= 8
            && (t.word().is_some_and(|w| starts(w, &st.near))
                || matches!(t.kind, TokKind::Num { value, .. } if st.numbers.contains(&value)))
    });
    if !near {
        return None;
    }
    let negated = toks[vi.saturating_sub(4)..vi]
        .iter()
        .filter_map(Tok::word)
        .any(|w| {
            matches!(
                w,
                "not"
                    | "no"
                    | "never"
                    | "neither"
                    | "nor"
                    | "without"
                    | "не"
                    | "нет"
                    | "ни"
                    | "pas"
                    | "ne"
                    | "n'"
                    | "aucun"
                    | "aucune"
                    | "sans"
            ) || w.ends_with("n't")
                || w.starts_with("n'")
        })
        || toks.get(vi + 1).and_then(Tok::word) == Some("pas");
    Some(if negated { 0.0 } else { 1.0 })
}

#[cfg(test)]
mod attribution_tests {
    use super::*;
    use crate::transforms::claims::numbers::{tokenize, Lang};

    #[test]
    fn an_aside_between_the_speaker_and_the_verb() {
        for (s, lang, who) in [
            (
                "Le parquet de Libourne, lui, évoque un préjudice de 6 millions d'euros.",
                Lang::Fr,
                "parquet de Libourne",
            ),
            (
                "The union, for its part, says 400 workers were laid off.",
                Lang::En,
                "union",
            ),
            (
                "Профсоюз бортпроводников, в свою очередь, утверждает, что уволены 600 человек.",
                Lang::Ru,
                "Профсоюз бортпроводников",
            ),
        ] {
            let toks = tokenize(s, lang);
            assert_eq!(attribution(s, &toks).as_deref(), Some(who), "{s}");
        }
    }

    #[test]
    fn a_russian_speaker_named_before_the_verb() {
        for (s, who) in [
            // A head and its lower-case genitives.
            (
                "Союз потребителей сообщает, что поступило 55 тыс. заявлений.",
                Some("Союз потребителей"),
            ),
            // The phrase between the name and the verb is no part of the name.
            (
                "Основатель компании Марк Дельво в интервью радио заявил, что долг составляет 400 млн евро.",
                Some("Основатель компании Марк Дельво"),
            ),
            // An adverb before the verb, and one opening the sentence.
            (
                "Тем временем Минздрав по-прежнему оценивает число больных в 900 человек.",
                Some("Минздрав"),
            ),
            // The body that speaks, named by where it is.
            (
                "На заводе прогремели три взрыва; в компании говорят о двух.",
                Some("компании"),
            ),
            // Lower-case words with no name before them name no one.
            ("Число погибших, как говорят, достигло 40.", None),
        ] {
            let toks = tokenize(s, Lang::Ru);
            assert_eq!(attribution(s, &toks).as_deref(), who, "{s}");
        }
    }

    #[test]
    fn the_speaker_after_the_figure_in_three_languages() {
        for (s, lang, who) in [
            (
                "About 2,000 people were evacuated, said the interior ministry on Friday.",
                Lang::En,
                "interior ministry",
            ),
            (
                "Entre 3 000 et 4 000 soldats sont déployés, a indiqué mardi le ministère.",
                Lang::Fr,
                "ministère",
            ),
            (
                "В область прибыли полторы тысячи военных, сообщил в понедельник Белоусов.",
                Lang::Ru,
                "Белоусов",
            ),
            (
                "The agency now estimates about 6,000 killed or wounded.",
                Lang::En,
                "agency",
            ),
        ] {
            let toks = tokenize(s, lang);
            assert_eq!(attribution(s, &toks).as_deref(), Some(who), "{s}");
        }
        // "said that…": the speaker came before.
        let s = "The mayor's office, said officials, counted 300 homes.";
        assert_eq!(
            attribution(s, &tokenize(s, Lang::En)).as_deref(),
            Some("officials")
        );
        // A relative clause between the speaker and the verb; a figure after ", said" is
        // what was said, never the speaker.
        for (s, who) in [
            (
                "Petrobel, which runs the refinery, said 1,900 of its staff had joined the strike.",
                Some("Petrobel"),
            ),
            (
                "Le syndicat, qui représente les pompiers, a déclaré que 300 maisons ont brûlé.",
                Some("syndicat"),
            ),
            ("The refinery closed, said 1,900 workers on strike.", None),
        ] {
            let lang = if s.contains("syndicat") {
                Lang::Fr
            } else {
                Lang::En
            };
            assert_eq!(attribution(s, &tokenize(s, lang)).as_deref(), who, "{s}");
        }
        let s = "Police said that 300 homes were destroyed.";
        assert_eq!(
            attribution(s, &tokenize(s, Lang::En)).as_deref(),
            Some("Police")
        );
    }
}
