//! The open-vocabulary reader: a figure, what it counts (a noun phrase, mapped to a
//! lexicon thing or kept as its stem) and what is said of it (a lexicon predicate), for
//! any subject. The lexicon (config/lexicon.toml) holds the words; nothing here knows a
//! subject.
//!
//! A claim's comparison key is subject | thing | predicate | unit | kind | period, where
//! the thing and the predicate are lexicon ids (so "soldiers killed", "militaires tués"
//! and "военнослужащих погибли" share a key) or, for a noun no entry knows, `lang:stem`.

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::{lexicon, Hit, Lexicon};
use super::numbers::{Lang, Mention, NumUnit, Tok};

/// What the open reader makes of one figure.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenReading {
    /// The lexicon thing id, or `lang:stem` of the counted noun.
    pub thing: String,
    /// The lexicon predicate id, or "" when the clause says nothing the lexicon knows.
    pub predicate: String,
    pub unit: String,
    /// The predicate is a level at one moment (missing, without power).
    pub state: bool,
    /// Words of the clause mark the figure as the current one ("now", "désormais").
    pub current: bool,
    /// The sentence sets the figure against another one.
    pub rival: bool,
    /// Token range of the counted phrase (for an elided noun after it).
    pub phrase_end: usize,
    /// The text named no counted noun: the thing is the predicate's own ("600 dead",
    /// "6,000 killed or wounded") or the previous figure's.
    pub implicit_thing: bool,
    /// The figure counts some "of them" ("four of them seriously", "dix d'entre eux",
    /// "трое из них"): a part of the group named before.
    pub of_previous: bool,
}

/// Function words: where a counted noun phrase ends.
const STOP: &[&str] = &[
    // English
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "from",
    "by",
    "for",
    "with",
    "and",
    "or",
    "but",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "were",
    "was",
    "are",
    "is",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "can",
    "more",
    "most",
    "less",
    "fewer",
    "still",
    "now",
    "so",
    "far",
    "since",
    "during",
    "after",
    "before",
    "across",
    "into",
    "over",
    "under",
    "about",
    "around",
    "per",
    "this",
    "these",
    "those",
    "their",
    "its",
    "his",
    "her",
    "our",
    "they",
    "it",
    "he",
    "she",
    "we",
    "said",
    "says",
    "according",
    "while",
    "when",
    "where",
    "up",
    "out",
    "down",
    "off",
    "between",
    "among",
    "including",
    "against",
    "other",
    "others",
    "each",
    "all",
    "some",
    "such",
    "only",
    "also",
    "not",
    "no",
    "last",
    "this",
    "next",
    "new",
    // French
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "de",
    "d",
    "à",
    "au",
    "aux",
    "en",
    "dans",
    "sur",
    "par",
    "pour",
    "avec",
    "et",
    "ou",
    "mais",
    "que",
    "qui",
    "dont",
    "ont",
    "sont",
    "est",
    "été",
    "a",
    "ont",
    "avait",
    "avaient",
    "étaient",
    "était",
    "sera",
    "seront",
    "selon",
    "depuis",
    "contre",
    "plus",
    "moins",
    "encore",
    "toujours",
    "déjà",
    "ce",
    "cette",
    "ces",
    "leur",
    "leurs",
    "son",
    "sa",
    "ses",
    "se",
    "s",
    "y",
    "ne",
    "pas",
    "n",
    "entre",
    "parmi",
    "dont",
    "après",
    "avant",
    "vers",
    "chez",
    "lors",
    "sous",
    "autres",
    "tous",
    "toutes",
    "environ",
    "près",
    "sans",
    "without",
    "без",
    // Russian
    // "до 40 число погибших": "the number of" is no counted noun.
    "число",
    "числа",
    "количество",
    "в",
    "во",
    "на",
    "с",
    "со",
    "и",
    "или",
    "но",
    "а",
    "по",
    "из",
    "от",
    "до",
    "для",
    "за",
    "к",
    "о",
    "об",
    "у",
    "при",
    "что",
    "как",
    "который",
    "которые",
    "которых",
    "были",
    "было",
    "был",
    "была",
    "будет",
    "будут",
    "есть",
    "уже",
    "еще",
    "ещё",
    "более",
    "менее",
    "около",
    "почти",
    "свыше",
    "не",
    "это",
    "этот",
    "эти",
    "их",
    "его",
    "ее",
    "её",
    "он",
    "она",
    "они",
    "среди",
    "между",
    "после",
    "перед",
    "через",
    "под",
    "над",
    "всего",
    "лишь",
    "только",
    // Adverbs of time and addition: "четверо сейчас числятся", "12 currently in hospital".
    "сейчас",
    "теперь",
    "пока",
    "также",
    "тоже",
    "currently",
    "already",
    "again",
    "désormais",
    "actuellement",
    "maintenant",
    "également",
    "aussi",
    // Adverbs of degree before a predicate: "trois grièvement blessés", "12 seriously hurt".
    "seriously",
    "critically",
    "slightly",
    "badly",
    "grièvement",
    "gravement",
    "légèrement",
    "тяжело",
    "легко",
    // Days: "10,000 on Tuesday", "6,4 m jeudi", "в понедельник".
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "понедельник",
    "вторник",
    "среду",
    "среда",
    "четверг",
    "пятницу",
    "пятница",
    "субботу",
    "суббота",
    "воскресенье",
    "today",
    "yesterday",
    "tonight",
    "hier",
    "aujourd'hui",
    "вчера",
    "сегодня",
];

/// Determiners: "the two countries", "les deux pays" refer to things already named; the
/// number is no figure of its own.
const DEFINITE: &[&str] = &[
    "the", "these", "those", "les", "ces", "leurs", "their", "its", "эти", "этих", "тех", "те",
];

fn is_stop(w: &str) -> bool {
    STOP.contains(&w)
}

/// A word that can be part of a counted noun phrase.
fn content(w: &str) -> bool {
    w.chars().count() >= 2
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !is_stop(w)
}

fn stem(lang: Lang, w: &str) -> String {
    let (alg, tag) = match lang {
        Lang::En => (Algorithm::English, "en"),
        Lang::Fr => (Algorithm::French, "fr"),
        Lang::Ru => (Algorithm::Russian, "ru"),
    };
    format!("{tag}:{}", Stemmer::create(alg).stem(w))
}

/// French adjectives that stand before the noun they qualify.
const FR_BEFORE_NOUN: &[&str] = &[
    "nouveaux",
    "nouvelles",
    "nouvel",
    "nouveau",
    "nouvelle",
    "petits",
    "petites",
    "grands",
    "grandes",
    "gros",
    "vieux",
    "vieilles",
    "jeunes",
    "premiers",
    "premières",
    "derniers",
    "dernières",
    "seuls",
    "seules",
    "anciens",
    "anciennes",
    "principaux",
    "principales",
];

/// Russian adverbs that may stand between a figure and its noun phrase ("118 полностью
/// обезлюдевших деревень"): the phrase after them says what is counted.
const RU_ADVERBS: &[&str] = &[
    "полностью",
    "одновременно",
    "примерно",
    "приблизительно",
    "по-прежнему",
    "ежедневно",
    "соответственно",
    "частично",
    "официально",
    "фактически",
];

/// A word that cannot be the head of a counted noun phrase: a French verb of the third
/// person plural ("restent", "auraient"), a Russian reflexive verb or participle
/// ("остаются", "считаются"), an adverb or a preposition.
fn not_a_noun(w: &str, lang: Lang) -> bool {
    match lang {
        Lang::Fr => {
            matches!(w, "autour" | "si" | "derrière" | "tout" | "plus" | "moins" | "fois")
                || ["aient", "èrent", "ront", "raient"].iter().any(|e| w.ends_with(e))
                // "-ent" without the plural "s" of a noun ("accidents", "patients").
                || (w.ends_with("ent") && !w.ends_with("ment") && w.chars().count() > 5)
        }
        Lang::Ru => {
            w.ends_with("ся") || w.ends_with("сь") || w == "вместо" || RU_ADVERBS.contains(&w)
        }
        Lang::En => false,
    }
}

/// A Russian adjective or participle ending: the noun comes after it.
fn ru_adjective(w: &str) -> bool {
    const ENDS: &[&str] = &[
        "ых", "их", "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому",
        "ему", "ым", "им", "ую", "юю",
    ];
    w.chars().count() > 4 && ENDS.iter().any(|e| w.ends_with(e))
}

/// Reads `m` (a mention in `toks`, its clause `cs..ce`). `last` is the counted thing of
/// the sentence's previous figure ("5,000 troops, with 2,000 more expected").
pub fn read(
    sentence: &str,
    toks: &[Tok],
    words: &[Option<&str>],
    m: &Mention,
    (cs, ce): (usize, usize),
    lang: Lang,
    last: Option<&OpenReading>,
) -> Option<OpenReading> {
    let lex = lexicon();
    if matches!(m.unit, NumUnit::Ratio) {
        // "three times as many": a comparison, not a figure of its own.
        return None;
    }
    // "оценил число горожан, оставшихся без отопления, в 40 тыс.", "a porté le bilan,
    // selon la préfecture, à 12": a clause that is only the preposition governing the
    // figure ends the clause a parenthesis broke off; the figure is read in the sentence.
    let governed_only = cs < m.first_tok
        && (cs..m.first_tok).all(|k| {
            words
                .get(k)
                .copied()
                .flatten()
                .is_some_and(|w| GOVERNING_PREPOSITIONS.contains(&w))
        });
    let cs = if governed_only { 0 } else { cs };
    // "une centaine de patients", "1,2 million de doses", "a dozen of": the noun is after
    // the preposition.
    let after =
        if m.next_tok > m.num_tok + 1 || toks.get(m.num_tok).is_some_and(|t| t.word().is_some()) {
            match words.get(m.next_tok).copied().flatten() {
                Some("de" | "d'" | "of" | "d") => m.next_tok + 1,
                _ => m.next_tok,
            }
        } else {
            m.next_tok
        };
    // "120 of 300 seats", "124 места из 300", "12 sur 15 départements": the part counts
    // the noun after the whole, and the whole (the size of the house) is no claim here.
    let is_num = |k: usize| {
        toks.get(k)
            .is_some_and(|t| matches!(t.kind, super::numbers::TokKind::Num { .. }))
    };
    let part_of = |k: usize| {
        matches!(
            words.get(k).copied().flatten(),
            Some("of" | "из" | "sur" | "out" | "des")
        )
    };
    // "140 of its 580 departures", "12 de ses 40 camions": a possessive between (the
    // whole, "its 580 scheduled departures", is a figure of its own).
    let possessive = |k: usize| {
        matches!(
            words.get(k).copied().flatten(),
            Some("its" | "their" | "the" | "ses" | "leurs" | "his" | "her")
        )
    };
    // The whole: "of 300" right after a figure, or after a figure and its noun ("124
    // места из 300"). It is a claim of its own only when a verb of its own follows its
    // noun ("сбили 48 из 60 беспилотников, выпущенных…": 60 launched).
    let whole = m.first_tok >= 2
        && part_of(m.first_tok - 1)
        && (is_num(m.first_tok - 2)
            // "124 места из 300", "20 États membres sur 27": a noun of one or two words
            // between the part and the whole.
            || (2..=3).any(|n| {
                m.first_tok > n
                    && is_num(m.first_tok - 1 - n)
                    && (m.first_tok - n..m.first_tok - 1)
                        .all(|k| words.get(k).copied().flatten().is_some())
            }));
    // A part whose whole follows ("shot down 48 of the 60 drones launched"): the verb
    // after the whole's noun is the whole's; the part's comes before it.
    let before_whole = after;
    let after = if part_of(after) && is_num(after + 1) {
        after + 2
    } else if (part_of(after) && possessive(after + 1) && is_num(after + 2))
        || (words.get(after).copied().flatten() == Some("out")
            && words.get(after + 1).copied().flatten() == Some("of")
            && is_num(after + 2))
    {
        after + 3
    } else {
        after
    };
    // "1,900 of its staff", "1,050 of Belmaria's filling stations", "300 of the
    // protesters": the part counts the noun after the determiner.
    // A genitive ("Belmaria's", "the country's"): the word loses its 's in `words`.
    let genitive = |k: usize| {
        toks.get(k)
            .and_then(|t| sentence.get(t.start..t.end))
            .is_some_and(|w| w.ends_with("'s") || w.ends_with("’s"))
    };
    let determiner = |k: usize| {
        words.get(k).copied().flatten().is_some_and(|w| {
            possessive(k) || matches!(w, "those" | "these" | "our" | "nos" | "ces") || genitive(k)
        })
    };
    let after = if part_of(after) && determiner(after + 1) {
        let noun = after + 2 + usize::from(!genitive(after + 1) && genitive(after + 2));
        if words.get(noun).copied().flatten().is_some_and(content) {
            noun
        } else {
            after
        }
    } else {
        after
    };
    // "60 KN-23 missiles", "12 Ил-76", "60 North Korean KN-23 ballistic missiles": a
    // model's name between the figure and its noun (up to two words before it).
    let model_at = |k: usize| {
        toks.get(k).is_some_and(|t| t.word().is_some())
            && toks.get(k + 1).is_some_and(|t| t.is_sym('-') && t.glued)
            && toks
                .get(k + 2)
                .is_some_and(|t| t.glued && matches!(t.kind, super::numbers::TokKind::Num { .. }))
            && words.get(k + 3).copied().flatten().is_some_and(content)
    };
    let after = match (0..3).find(|&n| {
        model_at(after + n)
            // Modifiers, not the counted noun itself ("Два самолёта Ил-76 МЧС").
            && (after..after + n).all(|k| {
                words.get(k).copied().flatten().is_some_and(content)
                    && lex.thing_at(words, k).is_none()
            })
    }) {
        Some(n) => after + n + 3,
        None => after,
    };
    // "67-year-old", "3 a.m.", "for three days": durations, times and ages.
    let skip_dash = usize::from(toks.get(after).is_some_and(|t| t.is_sym('-') && t.glued));
    // A duration that is the quantity measured ("a median wait of 41 weeks", "six ans de
    // prison"), in its unit of time; not a time ago ("four years ago", "9 лет назад").
    let measured_time = lex
        .time_unit_at(words, after + skip_dash)
        .filter(|h| {
            // "for 48 hours", "pendant 48 heures", "в течение трёх дней", "within 72 hours":
            // a time span; "faces up to five years", "encourent jusqu'à 5 ans", "грозит до
            // 10 лет": a penalty the law allows, not one given.
            let before = |n: usize| {
                m.first_tok
                    .checked_sub(n)
                    .and_then(|k| words.get(k).copied().flatten())
            };
            let span = matches!(
                before(1),
                Some("for" | "during" | "within" | "pendant" | "durant" | "течение" | "délai")
            ) || matches!(before(2), Some("délai" | "течение"));
            let penalty = (1..=4).any(|n| {
                before(n).is_some_and(|w| {
                    matches!(
                        w,
                        "face"
                            | "faces"
                            | "facing"
                            | "carries"
                            | "maximum"
                            | "encourent"
                            | "encourt"
                            | "risque"
                            | "risquent"
                            | "грозит"
                            | "грозят"
                            | "грозило"
                            | "max"
                            | "максимальный"
                            | "максимальное"
                    )
                })
            });
            !span
                && !penalty
                && !matches!(
                    words.get(h.end).copied().flatten(),
                    Some("ago" | "назад" | "earlier")
                )
                && (lex.measures_time(words, m.first_tok.saturating_sub(10).max(cs), m.first_tok)
                    || lex.measures_time(words, h.end, (h.end + 3).min(ce)))
        })
        .map(|h| (h.entry.id.clone(), h.end));
    // A unit of the lexicon ("millimetres of rain") is read as one, whatever its words.
    // A share or a sum carries its unit ("fell 18% year on year"): a time word after it
    // is not the figure's.
    let own_unit = matches!(
        m.unit,
        NumUnit::Usd | NumUnit::Dollar(_) | NumUnit::Eur | NumUnit::Rub | NumUnit::Percent
    );
    if measured_time.is_none()
        && !own_unit
        && lex.unit_at(words, after).is_none()
        && (lex.duration_at(words, after + skip_dash) || time_or_degrees(toks, words, after))
    {
        return None;
    }
    if is_age_or_label(toks, words, m)
        || lex.says_context(words, cs, ce)
        || lex.yardstick_before(words, m.first_tok)
        || lex.size_before(words, m.first_tok)
    {
        return None;
    }
    if m.first_tok
        .checked_sub(1)
        .and_then(|k| words.get(k).copied().flatten())
        .is_some_and(|w| DEFINITE.contains(&w))
        && m.approx == crate::model::Approx::Exact
        // "the two countries", "les deux pays"; but "the 14 outbreaks", "les deux mille
        // véhicules" are figures.
        && m.value <= 12.0
        && toks.get(m.num_tok).is_some_and(|t| t.word().is_some())
    {
        return None;
    }
    // A marker anywhere in the sentence: "have climbed to 611 cases, with 23 deaths".
    let current = lex.says_current(words, 0, words.len())
        || lex.says_changed_to(words, m.first_tok)
        || super::numbers::left_only(toks, m.first_tok);
    let mut money = matches!(
        m.unit,
        NumUnit::Usd | NumUnit::Dollar(_) | NumUnit::Eur | NumUnit::Rub
    );
    let percent = matches!(m.unit, NumUnit::Percent);
    let mut unit: Option<String> = match m.unit {
        NumUnit::Usd => Some("usd".into()),
        NumUnit::Dollar(code) => Some(code.into()),
        NumUnit::Eur => Some("eur".into()),
        NumUnit::Rub => Some("rub".into()),
        NumUnit::Percent => Some("percent".into()),
        _ => None,
    };
    let mut thing: Option<String> = None;
    let mut implicit_thing = false;
    let mut predicate: Option<Hit> = None;
    let mut phrase_end = after;
    if let Some((id, end)) = &measured_time {
        unit = Some(id.clone());
        phrase_end = *end;
    }
    // "dix d'entre eux", "60 of them", "8 тыс. из них": the group is the one named before.
    // ("four of them": a number word took "of" as its noun's preposition.)
    let of_them = of_them_at(words, after).or_else(|| of_them_at(words, m.next_tok));
    if let Some(end) = of_them {
        phrase_end = end;
        if let Some(prev) = last {
            thing = Some(prev.thing.clone());
            implicit_thing = prev.implicit_thing;
        }
    }
    if !money && !percent && of_them.is_none() && measured_time.is_none() {
        // A unit of measure: "7,200 hectares (of forest)", "1,200 tonnes of food".
        if let Some(u) = lex.unit_at(words, after) {
            if lex.dimension(words, m.first_tok, u.end) {
                return None;
            }
            unit = Some(u.entry.id.clone());
            phrase_end = u.end;
            // A currency the lexicon knows ("95 million leva") is an amount of money.
            money = u.entry.currency;
            // "521.60 tenge per dollar": an exchange rate, not an amount.
            if let Some((per, end)) = rate_of(lex, words, u.end).filter(|_| money) {
                unit = Some(per);
                phrase_end = end;
                money = false;
            }
            let of = words
                .get(u.end)
                .copied()
                .flatten()
                .is_some_and(|w| matches!(w, "of" | "de" | "d'" | "d"));
            // "of forest", "de forêt"; Russian puts the genitive straight after.
            if of || lang == Lang::Ru {
                let at = if of { u.end + 1 } else { u.end };
                if let Some((t, end)) = thing_at(lex, words, at, lang) {
                    thing = Some(t);
                    phrase_end = end;
                }
            }
        } else if let Some((per, end)) = rate_of(lex, words, after) {
            // "96 pour un dollar", "600 per dollar": an exchange rate.
            unit = Some(per);
            phrase_end = end;
        } else if french_article(toks, m) && predicate_as_noun(lex, words, after).is_none() {
            // "une hausse", "une dose", "un record": an article, not a count; "un mort"
            // (a predicate standing for people) is one.
            return None;
        } else if let Some(p) = predicate_as_noun(lex, words, after)
            // A thing the lexicon knows wins over a predicate that merely starts it
            // ("rescuers", not "rescued").
            .filter(|p| lex.thing_at(words, after).is_none_or(|t| t.end < p.end))
        {
            // "600 dead", "4 morts", "85 погибших", "seven missing".
            thing = p.entry.thing.clone();
            implicit_thing = true;
            phrase_end = p.end;
            // "опознали тела девяти погибших", "выписаны уже 40 пострадавших": a verb
            // right before the figure says what became of the dead or the injured; the
            // word after it only names them.
            let governing = (m.first_tok.saturating_sub(4).max(cs)..m.first_tok)
                .rev()
                .find_map(|k| lex.predicate_at(words, k).filter(|h| h.end <= m.first_tok))
                .filter(|h| h.entry.thing == p.entry.thing && h.entry.id != p.entry.id)
                // Not another figure's verb or noun ("27 were killed and 140 injured",
                // "23 dead, 140 injured"): no number, conjunction or punctuation between.
                .filter(|h| {
                    !(h.start.saturating_sub(1)..m.first_tok).any(|k| {
                        toks.get(k)
                            .is_some_and(|t| matches!(t.kind, super::numbers::TokKind::Num { .. }))
                    }) && !(h.end..m.first_tok).any(|k| {
                        words
                            .get(k)
                            .copied()
                            .flatten()
                            .is_none_or(|w| matches!(w, "and" | "et" | "и" | "or" | "ou" | "или"))
                    })
                })
                // A tally that reaches the figure ("le bilan passe à 19 blessés", "the
                // toll rose to 19 injured") names no fate: the noun after it does.
                .filter(|h| {
                    !(h.end..m.first_tok).any(|k| words[k].is_some_and(|w| REACH.contains(&w)))
                });
            predicate = Some(governing.unwrap_or(p));
        } else if let Some((t, end)) = thing_at(lex, words, after, lang) {
            // An unknown word written with a capital is a name, not a counted noun
            // ("in 2014 Moscow…"); in English the head comes last, so a capitalised
            // modifier ("300 Lilliputian archers") leaves a counted noun.
            let head = if lang == Lang::En {
                end.saturating_sub(1).max(after)
            } else {
                after
            };
            let capital = toks
                .get(head)
                .and_then(|t| sentence.get(t.start..))
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase);
            let known = lex.thing(&t).is_some();
            // "une demande", "a new estimate": an article is no count of an unknown noun.
            let article = m.value == 1.0 && toks.get(m.num_tok).is_some_and(|t| t.word().is_some());
            if known || !(capital || article) {
                thing = Some(t);
                phrase_end = end;
            }
        }
    }
    // "a radius of 3 km", "70 km from Athens", "à 70 km d'Athènes", "в 10 км от города":
    // how far something is, not a count.
    if matches!(unit.as_deref(), Some("km" | "metres" | "cm"))
        && distance(sentence, toks, words, m, phrase_end)
    {
        return None;
    }
    // "InterRegio 1745 from Bucharest", "IR 1745 следовал": digits after a name are its
    // number, unless a counted noun the lexicon knows follows.
    if m.first_tok == m.num_tok
        && toks.get(m.num_tok).is_some_and(|t| t.word().is_none())
        && m.first_tok > 0
        && unit.is_none()
        && !money
        && !percent
        && thing.as_deref().is_none_or(|t| lex.thing(t).is_none())
        && predicate.is_none()
        && name_before(sentence, toks, m.first_tok)
        // "the Civic Union 36, with…": a list of names and their figures.
        && words.get(m.next_tok).copied().flatten().is_some()
    {
        return None;
    }
    // "in 2014 Moscow wrote…": a year unless a known thing or unit follows at once; in
    // English, where a count of thousands takes its comma, always ("the North's 2025
    // harvest"); in any language before the word for year ("в 2024 году").
    let year_word = words
        .get(m.next_tok)
        .copied()
        .flatten()
        .is_some_and(|w| matches!(w, "году" | "года" | "год" | "г" | "year" | "année"));
    if m.year_like
        && unit.is_none()
        && (lang == Lang::En
            || year_word
            || !thing
                .as_deref()
                .is_some_and(|t| lex.thing(t).is_some() || lex.predicate(t).is_some()))
    {
        return None;
    }
    // What is said of it: the nearest predicate of the clause outside the counted phrase,
    // after the figure first ("1,200 residents evacuated"), then before it ("the toll rose
    // to 85", "évacuation d'environ 1 200 habitants").
    let part_before_whole = after > before_whole
        && (before_whole..after).any(is_num)
        && words.get(before_whole).copied().flatten() != Some("out");
    if predicate.is_none() && part_before_whole {
        predicate = nearest_predicate(
            lex,
            toks,
            words,
            (cs, m.first_tok),
            m.first_tok,
            phrase_end,
            money,
        );
    }
    if whole {
        // Only a verb right after the whole's noun makes it a claim.
        let own_verb = nearest_predicate(
            lex,
            toks,
            words,
            (phrase_end, (phrase_end + 3).min(ce)),
            m.first_tok,
            phrase_end,
            money,
        );
        match own_verb {
            Some(h) if predicate.is_none() => predicate = Some(h),
            Some(_) => {}
            None => return None,
        }
    }
    if predicate.is_none() {
        predicate = nearest_predicate(lex, toks, words, (cs, ce), m.first_tok, phrase_end, money)
            // "Число погибших от жары, по официальным данным, осталось прежним — семь
            // человек", "the number of dead, officials said on Monday, is 45": the clause
            // said what it counts before the figure, however far.
            .or_else(|| number_of_predicate(lex, words, (cs, m.first_tok)));
    }
    let mut inherited: Option<String> = None;
    if thing.is_none() && !money && !percent && unit.is_none() {
        // "число северокорейских зенитных комплексов, развёрнутых в России, в 34": a
        // thing the clause names outright wins over the one a verb stands for.
        let named = if phrase_end == after {
            number_of_noun(lex, words, (cs, m.first_tok), lang)
        } else {
            None
        };
        // An elided noun: the previous figure's thing ("5,000 troops, 2,000 more").
        match (predicate, last) {
            _ if named.is_some() => thing = named,
            (Some(p), _)
                if p.entry.thing.is_some()
                    && (predicate_close(p, m, phrase_end) || reaches(words, p, m)) =>
            {
                thing = p.entry.thing.clone();
                implicit_thing = true;
            }
            // "the number of birds culled at 92,000", "le nombre de communes passe à 38",
            // "число очагов выросло до девяти": the clause names what it counts before.
            _ if phrase_end == after
                && number_of(lex, words, (cs, m.first_tok), lang).is_some() =>
            {
                thing = number_of(lex, words, (cs, m.first_tok), lang);
            }
            // "Cela porte à onze le nombre de rescapés", "bringing to 40 the number of
            // dead": the clause names what it counts right after the figure.
            _ if phrase_end == after
                && number_of(lex, words, (after, (after + 6).min(ce)), lang).is_some() =>
            {
                let span = (after, (after + 6).min(ce));
                thing = number_of(lex, words, span, lang);
                // "…, qui a porté à 3 400 le nombre de personnes évacuées": what the
                // phrase says of its thing wins over a verb farther off.
                let named = number_of_slots(words, span).find_map(|at| {
                    let (_, end) = thing_at(lex, words, at, lang)?;
                    lex.predicate_at(words, end)
                });
                if let Some(p) = named.or_else(|| number_of_predicate(lex, words, span)) {
                    predicate = Some(p);
                }
            }
            // "Of the inmates who escaped, 19 have been recaptured", "Parmi les rescapés,
            // 86 ont demandé l'asile", "Из бежавших 24 задержаны": the clause opens with
            // the group the figure is a part of.
            _ if phrase_end == after
                && group_opening(lex, words, (cs, m.first_tok), lang).is_some() =>
            {
                thing = group_opening(lex, words, (cs, m.first_tok), lang);
            }
            // "Outbreaks on commercial farms have now reached 17", "cancellations since
            // Monday now number about 2,550": a bare figure the clause's subject reached
            // counts that subject.
            _ if phrase_end == after
                && subject_reached(lex, words, (cs, m.first_tok)).is_some() =>
            {
                thing = subject_reached(lex, words, (cs, m.first_tok));
            }
            (_, Some(prev)) if phrase_end == after && m.value_max.is_none() => {
                thing = Some(prev.thing.clone());
                implicit_thing = prev.implicit_thing;
                // "…, police said; organisers put the crowd at 20,000", "… ; la direction
                // n'en compte que 1 100": past a semicolon, a second statement of the
                // previous figure's quantity says the same of it when it says nothing.
                let semicolon = toks
                    .get(prev.phrase_end.min(m.first_tok)..m.first_tok)
                    .is_some_and(|between| between.iter().any(|t| t.is_sym(';')));
                // "…, 40 000 selon les syndicats", "…, la CGT 350 000": so does a figure
                // whose source follows it, or that ends the sentence.
                let last_word = words[after..].iter().all(Option::is_none);
                if predicate.is_none() && (semicolon || last_word || source_follows(words, after)) {
                    inherited = Some(prev.predicate.clone());
                }
                // "58 millions de canards ont été vaccinés, mais le syndicat parle plutôt de
                // 51 millions, en raison de retards…": a rival's figure of the same
                // quantity, whatever verb comes after it.
                if lex.says_rival_before(words, prev.phrase_end.min(m.first_tok), m.first_tok) {
                    inherited = Some(prev.predicate.clone());
                    predicate = None;
                }
            }
            _ if phrase_end == after && crowd_before(words, (cs, m.first_tok)) => {
                thing = Some("people".to_string());
            }
            _ => {}
        }
    }
    // "homes without power" are the households without power.
    let thing = match (thing, predicate) {
        (Some(t), Some(p)) if p.entry.same_things.contains(&t) => p.entry.thing.clone(),
        (t, _) => t,
    };
    // A share is of something: "38% of dockers", or what the clause says reached it
    // ("inflation rose to 8.2%", "le chômage reste à 6,1 %", "безработица выросла до 6,5%").
    let thing = match thing {
        None if percent => share_of(lex, sentence, toks, words, m, (cs, after), lang),
        t => t,
    };
    let thing = match thing {
        Some(t) => t,
        // Money and percents count themselves; a unit of measure counts its area/weight.
        None if money || percent || unit.is_some() => String::new(),
        // A verb where the noun would stand, and nothing before says what is counted:
        // the figure is still one ("2 800 restent fermés"), keyed by that word as before.
        None if predicate.is_some() => match words.get(after).copied().flatten() {
            Some(w) if content(w) && not_a_noun(w, lang) => noun_stem(lang, w),
            // "2,550 cancellations", "2 550 annulations": a predicate's noun counts the
            // events it names, whatever the language.
            Some(w) if content(w) => match lex.predicate_at(words, after) {
                Some(h) if h.entry.thing.is_none() => h.entry.id.clone(),
                _ => return None,
            },
            _ => return None,
        },
        None => return None,
    };

    // The French article "un", "une" is a count only beside another figure ("un mort et
    // trois blessés") or when what befalls people follows ("un mort", "un pompier a été
    // blessé"); "un bilan", "une grève", "un arrêté", "une fuite" are no figure of one.
    if lang == Lang::Fr && is_french_article(toks, m) {
        // "un mort", "un blessé": a casualty noun that is the counted one and what befell it.
        let casualty = words.get(m.next_tok).copied().flatten().is_some_and(|w| {
            super::groups::groups()
                .measures
                .iter()
                .any(|x| x.nouns.any(w) || x.nouns.any(&format!("{w}s")))
        });
        // "un pompier a été blessé": people named, then what befell them.
        let befallen = !implicit_thing
            && predicate.is_some_and(|p| {
                p.entry.thing.as_deref() == Some("people") && p.start > m.next_tok
            });
        // Beside another count of something ("un mort et trois blessés", "une personne
        // tuée et sept autres blessées"), not an age, a time or a number of a text.
        let counts_something = |o: &Mention| {
            let next = o.next_tok;
            words.get(next).copied().flatten() == Some("autres")
                || lex.predicate_at(words, next).is_some()
                || lex.thing_at(words, next).is_some()
        };
        let beside_another = super::numbers::mentions(toks, lang)
            .iter()
            .any(|o| o.num_tok != m.num_tok && !is_french_article(toks, o) && counts_something(o));
        // "un bilan de 15 morts", "un total de 40": the article of the figure's name.
        let names_figure =
            words.get(m.next_tok).copied().flatten().is_some_and(|w| {
                matches!(w, "bilan" | "total" | "chiffre" | "nombre" | "décompte")
            });
        if names_figure || !(casualty || befallen || beside_another || unit.is_some()) {
            return None;
        }
    }
    let inherited_state = inherited.is_some() && last.is_some_and(|p| p.state);
    let measured = unit.is_some();
    let unit = unit.unwrap_or_else(|| {
        lex.thing(&thing)
            .map(|t| t.unit.clone().unwrap_or_else(|| t.id.clone()))
            .unwrap_or_else(|| thing.split(':').nth(1).unwrap_or(&thing).to_string())
    });
    Some(OpenReading {
        thing: thing.clone(),
        predicate: predicate
            .map(|p| match &p.entry.money {
                Some(said_of_money) if money => said_of_money.clone(),
                // What is said of people ("aid for the injured") is not said of the money,
                // nor of an area, a weight or a volume ("1.8 million hectares … the
                // dead", "40 tonnes … displaced").
                None if (money || (measured && !percent))
                    && p.entry.thing.as_deref() == Some("people") =>
                {
                    String::new()
                }
                // "Registered" and "suspected" cases are the cases counted.
                _ => lex
                    .thing(&thing)
                    .and_then(|t| t.same_predicates.iter().find(|g| g.contains(&p.entry.id)))
                    .and_then(|g| g.first())
                    .unwrap_or(&p.entry.id)
                    .clone(),
            })
            .or(inherited)
            .unwrap_or_default(),
        state: predicate.is_some_and(|p| p.entry.state) || inherited_state,
        unit,
        current,
        rival: rival_of(words, m.first_tok, current, !money && !percent && !measured),
        phrase_end,
        implicit_thing,
        of_previous: of_them.is_some(),
    })
}

/// A figure that is the bare word "un" or "une", said exactly: in French most often the
/// article.
fn is_french_article(toks: &[Tok], m: &Mention) -> bool {
    m.first_tok == m.num_tok
        && m.next_tok == m.num_tok + 1
        && m.value_max.is_none()
        && toks
            .get(m.num_tok)
            .and_then(Tok::word)
            .is_some_and(|w| matches!(w, "un" | "une"))
}

/// Whether the sentence sets the figure at `at` against another's. Another voice giving a
/// figure it calls current ("de son côté, le ministère recense désormais 120 morts") gives
/// the later count; a figure it says is wrong ("well above the ministry's") is a rival
/// one all the same. A figure set against the sentence's own earlier one ("well above
/// what it had feared", "three times the first estimate") and called current is its
/// later value. A count played down ("only 39", "лишь 600") is another voice's smaller
/// figure (`count`: not money, a share or a measure).
fn rival_of(words: &[Option<&str>], at: usize, current: bool, count: bool) -> bool {
    let lex = lexicon();
    match lex.rival_at(words, at) {
        Some(super::lexicon::Rival::Firm) => !(current && lex.says_earlier(words)),
        Some(super::lexicon::Rival::Voice) => !current,
        None => !current && count && lex.says_only_before(words, at),
    }
}

/// Words between a share and what it is a share of: verbs of change and standing, and
/// the words that bring the figure ("rose to", "stood at", "reste stable à", "выросла до").
const SHARE_LINKS: &[&str] = &[
    "ris",
    "rose",
    "fell",
    "fall",
    "stood",
    "stand",
    "reach",
    "climb",
    "drop",
    "declin",
    "increas",
    "decreas",
    "jump",
    "slow",
    "grew",
    "grow",
    "hit",
    "remain",
    "stay",
    "was",
    "were",
    "is",
    "are",
    "be",
    "put",
    "estimat",
    "edg",
    "ease",
    "eas",
    "at",
    "to",
    "by",
    "atteint",
    "rest",
    "est",
    "était",
    "pass",
    "grimp",
    "baiss",
    "augment",
    "recul",
    "stable",
    "établit",
    "élève",
    "à",
    "de",
    "вырос",
    "снизил",
    "замедлил",
    "ускорил",
    "состав",
    "достиг",
    "упал",
    "увелич",
    "сократ",
    "остал",
    "был",
    "до",
    "на",
];

/// What a share with no noun after it is of: "38% of dockers" (the noun after "of"), else
/// the nearest noun before it in its clause past the words that bring it (SHARE_LINKS),
/// time words and names, when the lexicon knows it ("inflation", "chômage").
fn share_of(
    lex: &Lexicon,
    sentence: &str,
    toks: &[Tok],
    words: &[Option<&str>],
    m: &Mention,
    (cs, after): (usize, usize),
    lang: Lang,
) -> Option<String> {
    // "a 3% pay rise", "a 12% price increase": the thing right after.
    if let Some(h) = lex.thing_at(words, after) {
        return Some(h.entry.id.clone());
    }
    if matches!(
        words.get(after).copied().flatten(),
        Some("of" | "des" | "du" | "из")
    ) {
        if let Some((t, _)) = thing_at(lex, words, after + 1, lang) {
            return Some(t);
        }
    }
    let mut k = m.first_tok;
    let mut looked = 0;
    while k > cs && looked < 8 {
        k -= 1;
        looked += 1;
        let Some(w) = words.get(k).copied().flatten() else {
            continue;
        };
        if let Some(h) = lex.thing_at(words, k) {
            return Some(h.entry.id.clone());
        }
        let link = SHARE_LINKS.iter().any(|p| w.starts_with(p));
        let capital = k > cs
            && sentence
                .get(toks[k].start..toks[k].end)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_uppercase);
        if link
            || capital
            || !content(w)
            || super::measures::time_word(w)
            || ru_month(w)
            || lex.says_current(words, k, k + 1)
        {
            continue;
        }
        // A noun the lexicon does not know: stems of whatever word stands there split one
        // quantity into many (measured), so the share stays a share of nothing.
        return None;
    }
    None
}

/// Whether the word right before token `at` is a name (capitalised, not the first word
/// of the sentence, not a word the lexicon counts).
fn name_before(sentence: &str, toks: &[Tok], at: usize) -> bool {
    let Some(k) = at.checked_sub(1) else {
        return false;
    };
    k > 0
        && toks[k].word().is_some()
        && !toks[k - 1].is_sym('.')
        && !toks[k - 1].is_sym(':')
        && sentence
            .get(toks[k].start..toks[k].end)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
}

/// A distance rather than a length counted: "a radius of 3 km", "within 10 km", "70 km
/// from Athens", "à 70 km d'Athènes", "в радиусе 10 км", "в 70 км от".
fn distance(
    sentence: &str,
    toks: &[Tok],
    words: &[Option<&str>],
    m: &Mention,
    unit_end: usize,
) -> bool {
    let word = |k: usize| words.get(k).copied().flatten();
    let radius = (m.first_tok.saturating_sub(3)..m.first_tok).any(|k| {
        word(k)
            .is_some_and(|w| matches!(w, "radius" | "rayon" | "within") || w.starts_with("радиус"))
    });
    // An altitude: "above 1,800 metres", "на высоте 2000 метров", "à une altitude de 1 500
    // m" (the approximation word "above" is the figure's own: looked for before the number
    // too). Not a height or a depth reached ("на высоту 5 км", "a depth of 620 metres"):
    // the event's own measure.
    let altitude = [m.first_tok, m.num_tok].into_iter().any(|at| {
        (at.saturating_sub(2)..at).any(|k| {
            word(k).is_some_and(|w| matches!(w, "above" | "altitude" | "dessus" | "высоте"))
        })
    });
    // "à 400 kilomètres de la capitale": where something is.
    let at = m
        .first_tok
        .checked_sub(1)
        .and_then(word)
        .is_some_and(|w| w == "à")
        && matches!(word(unit_end), Some("de" | "du" | "des"));
    let capital = |k: usize| {
        toks.get(k)
            .and_then(|t| sentence.get(t.start..t.end))
            .map(|w| w.trim_start_matches("d'").trim_start_matches("d’"))
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    // "à 70 km plus au nord": the direction after "plus".
    let unit_end = unit_end + usize::from(word(unit_end) == Some("plus"));
    let from = match word(unit_end) {
        Some("from" | "away" | "от" | "north" | "south" | "east" | "west") => true,
        Some(w) if w.starts_with("south-") || w.starts_with("north-") => true,
        Some("au" | "à") => matches!(word(unit_end + 1), Some("nord" | "sud" | "est" | "ouest")),
        // "à 400 kilomètres de là".
        Some("de") if word(unit_end + 1) == Some("là") => true,
        Some("de" | "du") => capital(unit_end + 1),
        // "d'Athènes" (its elided "d'" is dropped from the words).
        Some(_) => {
            toks.get(unit_end)
                .and_then(|t| sentence.get(t.start..t.end))
                .is_some_and(|w| w.starts_with("d'") || w.starts_with("d’"))
                && capital(unit_end)
        }
        None => false,
    };
    radius || altitude || from || at
}

/// A Russian month in any case ("в апреле", "марте"): the stem of its name.
fn ru_month(w: &str) -> bool {
    const STEMS: &[&str] = &[
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    STEMS.iter().any(|s| {
        w.strip_prefix(s)
            .is_some_and(|rest| ["", "е", "я", "ь", "а", "й", "ю"].contains(&rest))
    })
}

/// A predicate right after the figure that counts people itself ("600 dead").
fn predicate_as_noun<'l>(lex: &'l Lexicon, words: &[Option<&str>], at: usize) -> Option<Hit<'l>> {
    lex.predicate_at(words, at)
        .filter(|p| p.entry.thing.is_some())
        // "5,000 killed or wounded" reads as casualties when the lexicon says so.
        .map(|p| {
            lex.predicate_at(words, p.start)
                .filter(|q| q.end >= p.end)
                .unwrap_or(p)
        })
}

/// "un"/"une" read as one: in French the same word is the indefinite article.
fn french_article(toks: &[Tok], m: &Mention) -> bool {
    m.value == 1.0
        && m.next_tok == m.num_tok + 1
        && toks
            .get(m.num_tok)
            .and_then(Tok::word)
            .is_some_and(|w| matches!(w, "un" | "une"))
}

/// The predicate was found right by the figure, not somewhere else in the clause.
/// "The death toll from the floods in the north has risen to 19": a figure that is what
/// the clause's subject reached ("has risen to", "stands at", "a atteint", "достигло")
/// counts that subject, however long the subject is (up to a dozen words).
const REACH: &[&str] = &[
    "to",
    "at",
    "reached",
    "hit",
    "topped",
    "passed",
    "à",
    "atteint",
    "dépassé",
    "до",
    "достигло",
    "достиг",
    "достигла",
    "достигли",
    "составило",
    "составил",
    "составляет",
    "превысило",
    "превысил",
];

/// An exchange rate's "per dollar" at `at` ("pour un dollar", "за доллар", "per US
/// dollar"): the rate's unit (`per_usd`) and the word after it.
fn rate_of(lex: &Lexicon, words: &[Option<&str>], at: usize) -> Option<(String, usize)> {
    let word = |k: usize| words.get(k).copied().flatten();
    if !matches!(word(at)?, "per" | "pour" | "for" | "par" | "за") {
        return None;
    }
    let mut k = at + 1;
    if matches!(
        word(k),
        Some("un" | "une" | "one" | "a" | "один" | "одну" | "us")
    ) {
        k += 1;
    }
    if matches!(word(k), Some("us")) {
        k += 1;
    }
    let id = match word(k)? {
        "dollar" | "dollars" | "доллар" | "доллара" | "долларов" | "usd" => {
            "usd".to_string()
        }
        "euro" | "euros" | "евро" | "eur" => "eur".to_string(),
        _ => {
            let u = lex.unit_at(words, k).filter(|u| u.entry.currency)?;
            return Some((format!("per_{}", u.entry.id), u.end));
        }
    };
    Some((format!("per_{id}"), k + 1))
}

/// Whether the words at `at` name a source ("selon les syndicats", "according to the
/// organisers", "по данным профсоюзов"): a figure standing alone before them restates the
/// quantity of the figure before it ("12 000 manifestants selon la préfecture, 40 000
/// selon les syndicats").
fn source_follows(words: &[Option<&str>], at: usize) -> bool {
    super::measures::LEAD_INS.iter().any(|lead| {
        lead.split(' ')
            .enumerate()
            .all(|(n, p)| words.get(at + n).copied().flatten() == Some(p))
    })
}

/// The first and last token (its two commas) of an aside naming a source between `from`
/// and `to`: ", по оценке страховой компании «Норд-Ассюранс»,", ", selon l'assureur,",
/// ", according to the insurer,".
fn source_aside(
    toks: &[Tok],
    words: &[Option<&str>],
    from: usize,
    to: usize,
) -> Option<(usize, usize)> {
    let comma = |k: usize| toks.get(k).is_some_and(|t| t.is_sym(','));
    let open = (from..to).find(|&k| comma(k) && source_follows(words, k + 1))?;
    let close = (open + 1..to).find(|&k| comma(k))?;
    Some((open, close))
}

fn reaches(words: &[Option<&str>], p: Hit, m: &Mention) -> bool {
    let before = m
        .first_tok
        .checked_sub(1)
        .and_then(|k| words.get(k).copied().flatten());
    p.end <= m.first_tok && p.end + 12 >= m.first_tok && before.is_some_and(|w| REACH.contains(&w))
}

/// What a bare figure counts when the clause's subject reached it: a reach word right
/// before the figure ("have now reached 17", "now number about 2,550", "a atteint 17",
/// "достигло 17"; approximation words are part of the figure), and a thing the lexicon
/// knows, or a predicate standing for its thing, among the first words of the clause.
fn subject_reached(
    lex: &Lexicon,
    words: &[Option<&str>],
    (cs, first): (usize, usize),
) -> Option<String> {
    let before = first
        .checked_sub(1)
        .and_then(|k| words.get(k).copied().flatten())?;
    // "The region's population fell to 309,000", "now stands at 1,189,000", "est tombée
    // à", "сократилась до": a verb of change or standing before "to".
    let changed = matches!(before, "to" | "at" | "à" | "до")
        && first
            .checked_sub(2)
            .and_then(|k| words.get(k).copied().flatten())
            .is_some_and(|w| {
                lex.change_word(w)
                    || matches!(
                        w,
                        "fell"
                            | "rose"
                            | "dropped"
                            | "climbed"
                            | "grew"
                            | "jumped"
                            | "declined"
                            | "shrank"
                            | "stands"
                            | "stood"
                            | "tombée"
                            | "tombé"
                            | "passée"
                            | "passé"
                            | "établit"
                    )
            });
    let reach = (REACH.contains(&before)
        && before != "to"
        && before != "at"
        && before != "à"
        && before != "до")
        || changed
        || matches!(
            before,
            "number" | "numbered" | "totals" | "totalled" | "totaled"
        );
    if !reach {
        return None;
    }
    // After a verb of change, the subject stands right before the verb (auxiliaries and
    // "now" between): "the region's population fell to", "L'attente est tombée à".
    if changed {
        let mut k = first - 2;
        while k > cs
            && words.get(k - 1).copied().flatten().is_some_and(|w| {
                matches!(
                    w,
                    "has"
                        | "have"
                        | "had"
                        | "now"
                        | "is"
                        | "was"
                        | "est"
                        | "a"
                        | "s'"
                        | "se"
                        | "уже"
                )
            })
        {
            k -= 1;
        }
        // "La population de Kestrel est tombée à": past the noun's complement.
        if k >= cs + 3
            && matches!(
                words.get(k - 2).copied().flatten(),
                Some("de" | "du" | "des" | "d'" | "of")
            )
        {
            k -= 2;
        }
        return k
            .checked_sub(1)
            .filter(|&at| at >= cs)
            .and_then(|at| lex.thing_at(words, at).filter(|h| h.end == k))
            .map(|h| h.entry.id.clone());
    }
    // The subject opens the clause: its first words, past an article or a preposition.
    (cs..first.min(cs + 4)).find_map(|at| {
        lex.thing_at(words, at)
            .map(|h| h.entry.id.clone())
            .or_else(|| predicate_as_noun(lex, words, at).and_then(|p| p.entry.thing.clone()))
    })
}

/// The counted thing of a clause that opens with the group its figure is a part of
/// ("Of the inmates who escaped, 19…", "Parmi les rescapés, 86…", "Из бежавших 24…"):
/// the thing the lexicon or a predicate standing for people names right after the
/// opening words.
fn group_opening(
    lex: &Lexicon,
    words: &[Option<&str>],
    (cs, first): (usize, usize),
    lang: Lang,
) -> Option<String> {
    let word = |k: usize| words.get(k).copied().flatten();
    let opens = matches!(word(cs), Some("of" | "among" | "parmi" | "из" | "среди"));
    if !opens || first <= cs + 1 || first > cs + 8 {
        return None;
    }
    let mut k = cs + 1;
    while matches!(word(k), Some("the" | "those" | "these" | "les" | "ces")) {
        k += 1;
    }
    // "Из них", "parmi eux": a pronoun's group is the figure before (`of_them_at`).
    if k >= first
        || matches!(
            word(k),
            Some("them" | "eux" | "elles" | "них" | "которых" | "нас" | "вас")
        )
    {
        return None;
    }
    if let Some(h) = lex.thing_at(words, k) {
        return Some(h.entry.id.clone());
    }
    lex.predicate_at(words, k)
        .and_then(|p| p.entry.thing.clone())
        .or_else(|| {
            // A noun the lexicon does not know, kept by its stem ("rescapés").
            thing_at(lex, words, k, lang).map(|(t, _)| t)
        })
}

/// The token after "of them" / "d'entre eux" / "из них" standing at `at`, if one does.
pub(super) fn of_them_at(words: &[Option<&str>], at: usize) -> Option<usize> {
    let word = |k: usize| words.get(k).copied().flatten();
    match (word(at)?, word(at + 1)) {
        ("of", Some("them" | "those" | "whom"))
        | ("d'entre" | "entre", Some("eux" | "elles"))
        | ("из", Some("них" | "которых")) => Some(at + 2),
        _ => None,
    }
}

/// "Ils étaient environ 15 000 selon la police", "They were 160", "Их было 41 тыс.": a
/// figure the clause gives as the number of a pronoun's people or things, which the
/// story counted before. The pronoun and the verb stand right before the figure (its
/// approximation is the figure's), an adverb of time at most between.
pub(super) fn they_were_before(words: &[Option<&str>], (cs, first): (usize, usize)) -> bool {
    const PRONOUNS: &[&str] = &["they", "ils", "elles", "их", "они"];
    const BE: &[&str] = &[
        "were",
        "are",
        "numbered",
        "number",
        "étaient",
        "sont",
        "seraient",
        "seront",
        "было",
        "будет",
        "стало",
        "насчитывалось",
    ];
    const BETWEEN: &[&str] = &[
        "now",
        "already",
        "still",
        "déjà",
        "encore",
        "désormais",
        "уже",
        "ещё",
        "еще",
    ];
    let word = |k: usize| words.get(k).copied().flatten();
    let mut k = first;
    while k > cs && word(k - 1).is_some_and(|w| BETWEEN.contains(&w)) {
        k -= 1;
    }
    if k < cs + 2 {
        return false;
    }
    let (a, b) = (word(k - 2), word(k - 1));
    let said = |p: Option<&str>, v: Option<&str>| {
        p.is_some_and(|p| PRONOUNS.contains(&p)) && v.is_some_and(|v| BE.contains(&v))
    };
    // "ils étaient", "их было"; "было их" in Russian word order.
    said(a, b) || said(b, a)
}

/// Whether a sentence opens on the group the sentence before counted ("Of those, …",
/// "Parmi eux, …", "Из них …"): its first figure with no noun of its own is a part of it.
pub(super) fn opens_on_them(words: &[Option<&str>]) -> Option<()> {
    let word = |k: usize| words.get(k).copied().flatten();
    matches!(
        (word(0)?, word(1)),
        ("of", Some("those" | "these" | "them" | "whom"))
            | ("parmi", Some("eux" | "elles" | "ceux-ci" | "elles-ci"))
            | ("из", Some("них" | "этого" | "этих"))
    )
    .then_some(())
}

/// What the words right after a part's figure say of it ("Parmi elles, 88 | sont
/// toujours en détention"): the lexicon predicate (folded as `thing` folds it) and whether
/// it is a state.
pub(super) fn predicate_after(
    words: &[Option<&str>],
    (from, to): (usize, usize),
    thing: &str,
) -> Option<(String, bool)> {
    let lex = super::lexicon::lexicon();
    let h = (from..to.min(from + 6).min(words.len())).find_map(|k| lex.predicate_at(words, k))?;
    let id = lex
        .thing(thing)
        .and_then(|t| t.same_predicates.iter().find(|g| g.contains(&h.entry.id)))
        .and_then(|g| g.first())
        .unwrap_or(&h.entry.id)
        .clone();
    Some((id, h.entry.state))
}

fn predicate_close(p: Hit, m: &Mention, phrase_end: usize) -> bool {
    (p.start >= phrase_end && p.start <= phrase_end + 3)
        || (p.end <= m.first_tok && p.end + 5 >= m.first_tok)
}

/// Where X stands in each "the number of X" / "le nombre de X" / "число X" of `from..to`,
/// nearest first.
fn number_of_slots<'w>(
    words: &'w [Option<&str>],
    (from, to): (usize, usize),
) -> impl Iterator<Item = usize> + 'w {
    let word = move |k: usize| words.get(k).copied().flatten();
    (from..to).rev().filter_map(move |k| {
        let at = match (word(k)?, word(k + 1)) {
            ("number" | "total" | "count" | "tally" | "backlog", Some("of"))
            | ("nombre" | "total" | "décompte", Some("de" | "des" | "du")) => k + 2,
            // "le nombre d'écoles": the elided "d'" is gone from the words.
            ("nombre", Some(_)) => k + 1,
            ("число" | "количество" | "численность", _) => k + 1,
            _ => return None,
        };
        (at < to).then_some(at)
    })
}

/// The thing of "the number of X" / "le nombre de X" / "число X" nearest before token
/// `to` in `from..to`.
fn number_of(
    lex: &Lexicon,
    words: &[Option<&str>],
    span: (usize, usize),
    lang: Lang,
) -> Option<String> {
    number_of_slots(words, span).find_map(|at| {
        // "число погибших", "the number of dead": a predicate standing for its thing.
        thing_at(lex, words, at, lang)
            .map(|(t, _)| t)
            .or_else(|| predicate_as_noun(lex, words, at).and_then(|p| p.entry.thing.clone()))
    })
}

/// The thing of "the number of X" nearest before token `to` in `from..to` when the
/// lexicon names it: not what a predicate stands for, nor a noun it does not know.
fn number_of_noun(
    lex: &Lexicon,
    words: &[Option<&str>],
    span: (usize, usize),
    lang: Lang,
) -> Option<String> {
    number_of_slots(words, span).find_map(|at| {
        // "число погибших от наводнений": what a predicate counts is not the noun after it.
        let (thing, end) = thing_at(lex, words, at, lang)?;
        let through_predicate = (at..end).any(|k| lex.predicate_at(words, k).is_some());
        (!thing.contains(':') && !through_predicate).then_some(thing)
    })
}

/// "police put the crowd at 4,000", "la foule estimée à 4 000", "толпу оценили в 4 тыс.":
/// a crowd before the figure in its clause is counted in people.
fn crowd_before(words: &[Option<&str>], (from, to): (usize, usize)) -> bool {
    (from..to)
        .filter_map(|k| words.get(k).copied().flatten())
        .any(|w| {
            matches!(
                w,
                "crowd"
                    | "crowds"
                    | "turnout"
                    | "foule"
                    | "affluence"
                    | "толпа"
                    | "толпу"
                    | "толпы"
            )
        })
}

/// The predicate of "the number of dead" / "le nombre de morts" / "число погибших" nearest
/// before token `to` in `from..to`.
fn number_of_predicate<'l>(
    lex: &'l Lexicon,
    words: &[Option<&str>],
    span: (usize, usize),
) -> Option<Hit<'l>> {
    number_of_slots(words, span).find_map(|at| predicate_as_noun(lex, words, at))
}

/// The counted noun phrase at `at`: a lexicon thing (possibly after up to two modifiers,
/// "North Korean soldiers", "бездомных семей"), or the head noun of the phrase kept as its
/// stem. Returns the thing and the token after the phrase.
fn thing_at(
    lex: &Lexicon,
    words: &[Option<&str>],
    at: usize,
    lang: Lang,
) -> Option<(String, usize)> {
    // "38 other workers", "cinq autres mineurs", "ещё 12 других горняков": the noun
    // after "other".
    if words
        .get(at)
        .copied()
        .flatten()
        .is_some_and(|w| matches!(w, "other" | "autres" | "других" | "другие" | "прочих"))
    {
        return thing_at(lex, words, at + 1, lang);
    }
    // English modifiers may be joined ("ground-handling and security workers").
    let reach = if lang == Lang::En { 5 } else { 3 };
    for skip in 0..reach {
        let i = at + skip;
        if let Some(h) = lex.thing_at(words, i) {
            return Some((h.entry.id.clone(), h.end));
        }
        // Modifiers only: stop at anything that is not a content word.
        let word = words.get(i).copied().flatten();
        let joined = lang == Lang::En && skip > 0 && matches!(word, Some("and" | "or"));
        if !(joined || word.is_some_and(content)) {
            break;
        }
    }
    // "1,200 new cases", "15,000 new prison places", "12 more hospitals": the noun after
    // the adjective.
    if lang == Lang::En && matches!(words.get(at).copied().flatten(), Some("new" | "more")) {
        return thing_at(lex, words, at + 1, lang);
    }
    // No entry: the head of the phrase, by the language's word order.
    let first = words.get(at).copied().flatten().filter(|w| content(w))?;
    if lex.predicate_at(words, at).is_some() {
        return None;
    }
    // A French adjective that stands before its noun ("deux nouveaux centres", "une
    // vingtaine de petites scieries"), a Russian adverb ("118 полностью обезлюдевших
    // деревень"): the noun after it is the head.
    if (lang == Lang::Fr && FR_BEFORE_NOUN.contains(&first))
        || (lang == Lang::Ru && RU_ADVERBS.contains(&first))
    {
        return thing_at(lex, words, at + 1, lang);
    }
    // A verb or an adverb where a noun would stand ("2 800 restent fermés", "27 по-прежнему
    // остаются", "более 1 млн одновременно") counts nothing the text names.
    if not_a_noun(first, lang) {
        return None;
    }
    let mut run = vec![first];
    while run.len() < 3 {
        match words.get(at + run.len()).copied().flatten() {
            Some(w) if content(w) && lex.predicate_at(words, at + run.len()).is_none() => {
                run.push(w)
            }
            _ => break,
        }
    }
    // Russian adjectives joined before one noun ("610 тыс. нынешних и бывших пациентов"):
    // the noun after the conjunction is the head.
    if lang == Lang::Ru && run.iter().all(|w| ru_adjective(w)) {
        let next = at + run.len();
        if words
            .get(next)
            .copied()
            .flatten()
            .is_some_and(|w| matches!(w, "и" | "или"))
        {
            if let Some(found) = thing_at(lex, words, next + 1, lang) {
                return Some(found);
            }
        }
    }
    let head = match lang {
        // English puts the head last: "wooden houses", "fire fronts"; a counted noun is
        // plural ("one of five swept away" counts nothing).
        Lang::En => {
            let h = *run.last()?;
            if !h.ends_with('s') {
                return None;
            }
            h
        }
        // French puts it first: "moutons et chèvres", "fronts actifs".
        Lang::Fr => first,
        // Russian adjectives come first: "сельскохозяйственных угодий".
        Lang::Ru => run
            .iter()
            .copied()
            .find(|w| !ru_adjective(w))
            .unwrap_or(first),
    };
    let end = at + run.len();
    if lang == Lang::Ru && ru_demonym(head) {
        return Some(("people".to_string(), end));
    }
    Some((noun_stem(lang, head), end))
}

/// A Russian noun for the people of a town or a country the lexicon cannot list
/// ("кировчан", "горожан", "киевлян", "кенийцев", "карданцев"): people, counted in
/// people. Months ("месяцев"), fingers and wells end the same way and are not.
fn ru_demonym(w: &str) -> bool {
    ["чан", "жан", "лян"]
        .iter()
        .flat_map(|stem| ["", "е", "ам", "ами", "ах"].map(move |case| (stem, case)))
        .any(|(stem, case)| {
            w.strip_suffix(case)
                .and_then(|w| w.strip_suffix(stem))
                .is_some_and(|town| town.chars().count() > 2)
        })
        || (w.ends_with("цев")
            && !["месяц", "пальц", "колодц"]
                .iter()
                .any(|n| w.starts_with(n)))
}

/// The stem of a counted noun. The Russian stemmer reads a noun in "-ал" / "-ала" as a
/// past-tense verb ("21 провал", "три провала" → "прова"; "два сигнала" → "сигна"), while
/// the plural after five and more keeps the noun ("провалов" → "провал"): a noun is
/// stemmed as one, so every count of it is of one thing.
fn noun_stem(lang: Lang, w: &str) -> String {
    let stemmed = stem(lang, w);
    if lang == Lang::Ru {
        // The stemmer cuts the bare noun too ("21 провал" → "прова"): the noun keeps
        // its stem, as "провалов" does.
        let noun = if w.ends_with("ала") || w.ends_with("яла") {
            Some((&w[..w.len() - "ла".len()], &w[..w.len() - "а".len()]))
        } else if w.ends_with("ал") || w.ends_with("ял") {
            Some((&w[..w.len() - "л".len()], w))
        } else {
            None
        };
        if let Some((verb_cut, noun)) = noun {
            if stemmed.strip_prefix("ru:") == Some(verb_cut) {
                return format!("ru:{noun}");
            }
        }
    }
    stemmed
}

/// Prepositions that govern a figure ("в 40 тыс.", "à 12", "to 3,400").
const GOVERNING_PREPOSITIONS: &[&str] = &["в", "до", "à", "to", "at"];

/// What may stand between a verb and the figure it governs ("injured more than 120").
const GOVERNED_APPROX: &[&str] = &[
    "more than",
    "at least",
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "over",
    "another",
    "plus de",
    "au moins",
    "près de",
    "environ",
    "quelque",
    "около",
    "более",
    "свыше",
    "почти",
    "не менее",
    "ещё",
    "еще",
];

/// The nearest lexicon predicate of the clause outside `first_tok..phrase_end`.
fn nearest_predicate<'l>(
    lex: &'l Lexicon,
    toks: &[Tok],
    words: &[Option<&str>],
    (cs, ce): (usize, usize),
    first_tok: usize,
    phrase_end: usize,
    money: bool,
) -> Option<Hit<'l>> {
    let mut best: Option<(usize, Hit<'l>)> = None;
    // What is said only of counted things ("striking" people, households "without
    // power") says nothing of an amount of money: "ущерб экономике от забастовки … 400 млн
    // евро" is a cost, not a strike.
    let of_things_only = |h: &Hit| money && h.entry.money.is_none() && h.entry.thing.is_some();
    let reached = first_tok
        .checked_sub(1)
        .and_then(|k| words.get(k).copied().flatten())
        .is_some_and(|w| REACH.contains(&w));
    let mut i = cs;
    while i < ce.min(words.len()) {
        if (first_tok..phrase_end).contains(&i) {
            i = phrase_end;
            continue;
        }
        // "120 cases and 4 deaths": a predicate right after another figure is that
        // figure's noun.
        let other_figure = i > 0
            && !(first_tok..phrase_end).contains(&(i - 1))
            && toks
                .get(i - 1)
                .is_some_and(|t| matches!(t.kind, super::numbers::TokKind::Num { .. }));
        // "The crash killed 18 people and injured 64": a verb after this figure that
        // governs a later figure (the figure follows it, an approximation word or two
        // between) is that figure's.
        let is_num = |k: usize| {
            toks.get(k)
                .is_some_and(|t| matches!(t.kind, super::numbers::TokKind::Num { .. }))
        };
        let governs_later = |h: &Hit| {
            if h.start < phrase_end {
                return false;
            }
            let after: Vec<&str> = (h.end..(h.end + 3).min(words.len()))
                .map_while(|k| words[k])
                .collect();
            let skip = GOVERNED_APPROX
                .iter()
                .map(|p| p.split(' ').collect::<Vec<_>>())
                .find(|p| after.starts_with(p))
                .map_or(0, |p| p.len());
            is_num(h.end + skip)
        };
        if let Some(h) = lex.predicate_at(words, i).filter(|h| of_things_only(h)) {
            i = h.end;
            continue;
        }
        if let Some(h) = lex
            .predicate_at(words, i)
            .filter(|h| !other_figure && !governs_later(h))
        {
            // An aside naming a source between the noun and its figure ("Ущерб, по
            // оценке страховой компании, может превысить 2 млрд", "La facture, selon
            // l'assureur, atteint …") keeps them no farther apart.
            let aside = (h.end <= first_tok)
                .then(|| source_aside(toks, words, h.end, first_tok))
                .flatten();
            let aside_len = aside.map_or(0, |(open, close)| close + 1 - open);
            let mut dist = if h.start >= phrase_end {
                h.start - phrase_end
            } else if reached {
                // "Число заболевших … выросло до 260": what the figure reaches is its
                // subject's.
                0
            } else {
                // Before the figure weighs a little more: the verb usually follows.
                first_tok.saturating_sub(h.end).saturating_sub(aside_len) + 2
            };
            // Across punctuation is farther: "Ранены более 400 человек, разрушено 1200
            // зданий" (the second verb is the next figure's).
            let between = if h.start >= phrase_end {
                phrase_end..h.start
            } else {
                h.end..first_tok
            };
            if between
                .into_iter()
                .filter(|k| aside.is_none_or(|(open, close)| !(open..=close).contains(k)))
                .any(|k| words.get(k).is_some_and(Option::is_none))
            {
                dist += 4;
            }
            if best.is_none_or(|(d, _)| dist < d) {
                best = Some((dist, h));
            }
            i = h.end;
        } else {
            i += 1;
        }
    }
    // A verb farther than this (in words, punctuation counting four) is another clause's
    // ("246 passagers, selon la compagnie, qui s'appuie sur le nombre de billets vendus").
    const REACH_WORDS: usize = 15;
    best.filter(|(d, _)| *d <= REACH_WORDS).map(|(_, h)| h)
}

/// Ages ("aged 67", "âgé de 67 ans") and labels ("Flight 302", "Route 4", "article 5"):
/// a number right after a capitalised or label word with no counted noun after it.
fn is_age_or_label(toks: &[Tok], words: &[Option<&str>], m: &Mention) -> bool {
    // "aged 67", "aged 34 and 51": the age word may stand a few words before.
    let age_word = |w: &str| {
        matches!(
            w,
            "aged" | "age" | "âgé" | "âgée" | "âgés" | "âgées" | "ages"
        ) || w.starts_with("возраст")
    };
    let from = m.first_tok.saturating_sub(3);
    if (from..m.first_tok).any(|k| words.get(k).copied().flatten().is_some_and(age_word)) {
        return true;
    }
    // "the suspected ringleader, 38, is expected…", "Its Georgian master, 58, has been
    // charged": a bare number set off by commas right after a noun is an age.
    let comma = |k: usize| toks.get(k).is_some_and(|t| t.is_sym(','));
    if m.num_tok == m.first_tok
        && m.approx == crate::model::Approx::Exact
        && m.value_max.is_none()
        && (14.0..=110.0).contains(&m.value)
        && m.value.fract() == 0.0
        && matches!(toks[m.num_tok].kind, super::numbers::TokKind::Num { .. })
        && m.first_tok >= 2
        && comma(m.first_tok - 1)
        && comma(m.next_tok)
        && words.get(m.first_tok - 2).copied().flatten().is_some()
    {
        return true;
    }
    // A street number: "на улице Заводской, 14", "ул. Ленина, 5" (after the street's name
    // and a comma), "au 12 rue de Rivoli" (before a street word).
    let street = |w: &str| {
        matches!(
            w,
            "улица"
                | "улице"
                | "улицу"
                | "ул"
                | "проспект"
                | "проспекте"
                | "переулок"
                | "переулке"
                | "шоссе"
                | "бульвар"
                | "бульваре"
                | "площади"
                | "набережной"
        )
    };
    let street_before = m.first_tok >= 2
        && comma(m.first_tok - 1)
        && (m.first_tok.saturating_sub(5)..m.first_tok)
            .any(|k| words.get(k).copied().flatten().is_some_and(street));
    let street_after = m.value_max.is_none()
        && words
            .get(m.next_tok)
            .copied()
            .flatten()
            .is_some_and(|w| matches!(w, "rue" | "avenue" | "boulevard" | "impasse" | "allée"));
    if street_before || street_after {
        return true;
    }
    // "7 h 00", "14 h 30": the minutes of a French time.
    if m.first_tok >= 2
        && words.get(m.first_tok - 1).copied().flatten() == Some("h")
        && matches!(
            toks[m.first_tok - 2].kind,
            super::numbers::TokKind::Num { .. }
        )
    {
        return true;
    }
    // A label word glued to the number's left in the original ("No.", "№"); the second
    // half of a code ("2026-291": a range would have been read whole).
    if let Some(k) = m.first_tok.checked_sub(1) {
        if toks[k].is_sym('№') || toks[k].is_sym('#') {
            return true;
        }
        if toks[k].is_sym('-')
            && toks[k].glued
            && toks[m.first_tok].glued
            && k >= 1
            && matches!(toks[k - 1].kind, super::numbers::TokKind::Num { .. })
        {
            return true;
        }
    }
    // A code of letters and digits with no space or dash: "H5N1", "A320" (a word glued to
    // the digits' left).
    if let Some(k) = m.first_tok.checked_sub(1) {
        if m.num_tok == m.first_tok && toks[m.first_tok].glued && toks[k].word().is_some() {
            return true;
        }
    }
    // A model or a name with its number: "Ил-76", "F-16", "COVID-19", "Shahed-136" (a
    // short word or a name, a dash and the number, all glued).
    if m.first_tok >= 2 && m.num_tok == m.first_tok {
        let dash = &toks[m.first_tok - 1];
        let word = &toks[m.first_tok - 2];
        if dash.is_sym('-')
            && dash.glued
            && toks[m.first_tok].glued
            && word
                .word()
                .is_some_and(|w| word.capital || (1..=5).contains(&w.chars().count()))
        {
            return true;
        }
    }
    false
}

/// "8 a.m.", "6 p.m." and "-4 °C": a time or a temperature that the tokens split ("a",
/// ".", "m"; "°", "c"), which the lexicon's one-word duration entries cannot match.
fn time_or_degrees(toks: &[Tok], words: &[Option<&str>], after: usize) -> bool {
    let word = |k: usize| words.get(k).copied().flatten();
    let meridiem = matches!(word(after), Some("a" | "p"))
        && toks.get(after + 1).is_some_and(|t| t.is_sym('.'))
        && word(after + 2) == Some("m");
    let degrees = toks.get(after).is_some_and(|t| t.is_sym('°'));
    meridiem || degrees
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::claims::lexicon::words_of;
    use crate::transforms::claims::numbers::{mentions, tokenize};

    /// Each figure of a sentence read alone (no figure before it), with its value.
    fn read_each(text: &str, lang: Lang) -> Vec<(f64, OpenReading)> {
        let toks = tokenize(text, lang);
        let words = words_of(&toks);
        mentions(&toks, lang)
            .iter()
            .filter_map(|m| {
                read(text, &toks, &words, m, (0, toks.len()), lang, None).map(|r| (m.value, r))
            })
            .collect()
    }

    fn read_all(s: &str, lang: Lang) -> Vec<(f64, String, String)> {
        let toks = tokenize(s, lang);
        let words = words_of(&toks);
        let mut last = None;
        let mut out = Vec::new();
        for m in mentions(&toks, lang) {
            if let Some(r) = read(s, &toks, &words, &m, (0, toks.len()), lang, last.as_ref()) {
                out.push((m.value, r.thing.clone(), r.predicate.clone()));
                last = Some(r);
            }
        }
        out
    }

    /// "Три провала" (genitive singular, which the stemmer takes for a verb) and "семь
    /// провалов" count one thing.
    #[test]
    fn a_russian_noun_in_ala_counts_one_thing_after_three_and_after_seven() {
        for (few, many) in [
            (
                "Под городом зафиксированы три провала.",
                "Под городом зафиксированы семь провалов.",
            ),
            (
                "На линии работают два канала связи.",
                "На линии работают пять каналов связи.",
            ),
        ] {
            let a = read_all(few, Lang::Ru);
            let b = read_all(many, Lang::Ru);
            assert_eq!(a.len(), 1, "{few}: {a:?}");
            assert_eq!(b.len(), 1, "{many}: {b:?}");
            assert_eq!(a[0].1, b[0].1, "{few} / {many}");
        }
        // After 21 the noun stands in the nominative singular: the same thing again.
        let one = read_all("Под городом зафиксирован 21 провал.", Lang::Ru);
        let many = read_all("Под городом зафиксированы семь провалов.", Lang::Ru);
        assert_eq!(one.len(), 1, "{one:?}");
        assert_eq!(one[0].1, many[0].1);
    }

    /// No sentence of `cases` gives a claim.
    fn no_claim_in(cases: &[(&str, Lang)]) {
        for &(text, lang) in cases {
            assert!(
                read_all(text, lang).is_empty(),
                "{text}: {:?}",
                read_all(text, lang)
            );
        }
    }

    #[test]
    fn a_number_that_names_a_text_or_a_file_is_no_claim() {
        no_claim_in(&[
            (
                "Charges could be brought under article 212 of the tax code.",
                Lang::En,
            ),
            (
                "Poursuites engagées au titre de l'article 212 du code fiscal.",
                Lang::Fr,
            ),
            ("Возбуждено уголовное дело по статье 216 УК.", Lang::Ru),
            (
                "Un décret (n° 2026-291) interdit l'accès aux plages.",
                Lang::Fr,
            ),
        ]);
        // "pour sa part" names nothing: the figure after it is read.
        assert_eq!(
            read_all(
                "Le syndicat avance pour sa part 90 millions d'euros de pertes.",
                Lang::Fr
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_norm_or_a_places_yearly_visitors_is_no_claim() {
        no_claim_in(&[
            (
                "Passengers can claim up to €600 in compensation under EU rules.",
                Lang::En,
            ),
            (
                "The island, which draws about 800,000 visitors a year, fears the worst.",
                Lang::En,
            ),
            (
                "La foire, qui attire chaque année près de 30 000 visiteurs, aura lieu.",
                Lang::Fr,
            ),
            (
                "Loin des 15 litres par personne et par jour recommandés par l'OMS.",
                Lang::Fr,
            ),
            (
                "ВОЗ рекомендует не менее 15 литров воды на человека в день.",
                Lang::Ru,
            ),
        ]);
        // The event's own figure beside them is read.
        assert_eq!(
            read_all("The storm forced 800,000 visitors to leave.", Lang::En).len(),
            1
        );
    }

    #[test]
    fn the_head_of_a_counted_phrase_is_a_noun() {
        // An adjective or adverb before the noun is skipped; a verb where the noun would
        // stand leaves the thing to the figure before, or to the verb itself.
        let cases: &[(&str, Lang, f64, &str)] = &[
            (
                "Le plan prévoit deux nouveaux centres de soins.",
                Lang::Fr,
                2.0,
                "fr:centr",
            ),
            (
                "Une vingtaine de petites scieries ont fermé.",
                Lang::Fr,
                20.0,
                "fr:scier",
            ),
            (
                "Вывезено 118 полностью разрушенных вагонов.",
                Lang::Ru,
                118.0,
                "wagons",
            ),
            (
                "Уведомления получили 610 тыс. нынешних и бывших клиентов.",
                Lang::Ru,
                610_000.0,
                "customers",
            ),
            (
                "Environ 400 magasins ont rouvert, mais près de 2 800 restent fermés.",
                Lang::Fr,
                2800.0,
                "shops",
            ),
            (
                "Près de 2 800 restent fermés.",
                Lang::Fr,
                2800.0,
                "fr:restent",
            ),
        ];
        for (text, lang, value, thing) in cases {
            let got = read_all(text, *lang);
            assert!(
                got.iter().any(|(v, t, _)| v == value && t == thing),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn counted_things_and_predicates_in_three_languages() {
        let cases: &[(&str, Lang, f64, &str, &str)] = &[
            (
                "About 2,000 people were evacuated on Sunday.",
                Lang::En,
                2000.0,
                "people",
                "evacuated",
            ),
            (
                "Some 600 soldiers have died.",
                Lang::En,
                600.0,
                "troops",
                "killed",
            ),
            (
                "About 600 dead, officials said.",
                Lang::En,
                600.0,
                "people",
                "killed",
            ),
            (
                "The fire destroyed 120 homes.",
                Lang::En,
                120.0,
                "homes",
                "destroyed",
            ),
            (
                "Firefighters saved 40 wooden barns.",
                Lang::En,
                40.0,
                "en:barn",
                "rescued",
            ),
            (
                "Environ 1 200 habitants ont été évacués.",
                Lang::Fr,
                1200.0,
                "people",
                "evacuated",
            ),
            (
                "Cinq personnes ont trouvé la mort.",
                Lang::Fr,
                5.0,
                "people",
                "killed",
            ),
            (
                "Около 1200 жителей эвакуированы.",
                Lang::Ru,
                1200.0,
                "people",
                "evacuated",
            ),
            (
                "Огнем уничтожены 120 домов.",
                Lang::Ru,
                120.0,
                "homes",
                "destroyed",
            ),
        ];
        assert_rows_told(cases);
    }

    #[test]
    fn news_nouns_read_one_thing_in_three_languages() {
        // The fourth lexicon pass: nouns news counts (departures, journalists, tents,
        // tickets, warehouses, border crossings, checkpoints) are one thing id whatever
        // the language, so an English, a French and a Russian figure can be compared.
        let cases: &[(&str, Lang, f64, &str, &str)] = &[
            (
                "Rescuers brought in 30 sniffer dogs on Monday.",
                Lang::En,
                30.0,
                "dogs",
                "deployed",
            ),
            (
                "Les secours ont fait venir 30 chiens renifleurs lundi.",
                Lang::Fr,
                30.0,
                "dogs",
                "",
            ),
            (
                "В понедельник спасатели привлекли 30 служебных собак.",
                Lang::Ru,
                30.0,
                "dogs",
                "",
            ),
            (
                "Oil has now reached 40 km of coastline.",
                Lang::En,
                40.0,
                "coastline",
                "",
            ),
            (
                "Le pétrole atteint désormais 40 km de côtes.",
                Lang::Fr,
                40.0,
                "coastline",
                "",
            ),
            (
                "Нефть уже загрязнила 40 км побережья.",
                Lang::Ru,
                40.0,
                "coastline",
                "",
            ),
            (
                "Ещё четверо сейчас числятся пропавшими без вести.",
                Lang::Ru,
                4.0,
                "people",
                "missing",
            ),
            (
                "Some 200 departures were cancelled on Monday.",
                Lang::En,
                200.0,
                "departures",
                "cancelled",
            ),
            (
                "Quelque 200 départs ont été annulés lundi.",
                Lang::Fr,
                200.0,
                "departures",
                "cancelled",
            ),
            (
                "В понедельник отменены 200 вылетов.",
                Lang::Ru,
                200.0,
                "departures",
                "cancelled",
            ),
            (
                "At least 12 journalists were killed on Friday.",
                Lang::En,
                12.0,
                "journalists",
                "killed",
            ),
            (
                "Au moins 12 journalistes ont été tués vendredi.",
                Lang::Fr,
                12.0,
                "journalists",
                "killed",
            ),
            (
                "В пятницу погибли 12 журналистов.",
                Lang::Ru,
                12.0,
                "journalists",
                "killed",
            ),
            (
                "Aid agencies delivered 5,000 tents.",
                Lang::En,
                5000.0,
                "tents",
                "delivered",
            ),
            (
                "Les ONG ont livré 5 000 tentes.",
                Lang::Fr,
                5000.0,
                "tents",
                "delivered",
            ),
            (
                "В лагерь доставлено 5000 палаток.",
                Lang::Ru,
                5000.0,
                "tents",
                "delivered",
            ),
            (
                "The club sold 30,000 tickets.",
                Lang::En,
                30000.0,
                "tickets",
                "sold",
            ),
            (
                "Le club a vendu 30 000 billets.",
                Lang::Fr,
                30000.0,
                "tickets",
                "sold",
            ),
            (
                "Клуб продал 30 000 билетов.",
                Lang::Ru,
                30000.0,
                "tickets",
                "sold",
            ),
            (
                "The strikes destroyed 15 warehouses.",
                Lang::En,
                15.0,
                "warehouses",
                "destroyed",
            ),
            (
                "Les frappes ont détruit 15 entrepôts.",
                Lang::Fr,
                15.0,
                "warehouses",
                "destroyed",
            ),
            (
                "Были уничтожены 15 складов.",
                Lang::Ru,
                15.0,
                "warehouses",
                "destroyed",
            ),
            (
                "The authorities closed 3 border crossings.",
                Lang::En,
                3.0,
                "border_crossings",
                "closed",
            ),
            (
                "Les autorités ont fermé 3 points de passage.",
                Lang::Fr,
                3.0,
                "border_crossings",
                "closed",
            ),
            (
                "Власти закрыли 3 пункта пропуска.",
                Lang::Ru,
                3.0,
                "border_crossings",
                "closed",
            ),
            (
                "Officials said 40 roadblocks were destroyed.",
                Lang::En,
                40.0,
                "checkpoints",
                "destroyed",
            ),
            (
                "Quelque 40 checkpoints ont été détruits.",
                Lang::Fr,
                40.0,
                "checkpoints",
                "destroyed",
            ),
            (
                "Уничтожены 40 блокпостов.",
                Lang::Ru,
                40.0,
                "checkpoints",
                "destroyed",
            ),
        ];
        assert_rows_told(cases);
    }

    #[test]
    fn paraphrases_read_the_same_thing_and_predicate_in_three_languages() {
        // News says a predicate without its verb: "forced out of their homes", "contraints
        // de partir", "вынуждены покинуть" are all evacuated; flights axed, grounded or
        // "supprimés" are cancelled; ships detained or "arraisonnés" are seized.
        let cases: &[(&str, Lang, f64, &str, &str)] = &[
            (
                "About 3,000 residents were forced out of their homes by the floods.",
                Lang::En,
                3000.0,
                "people",
                "evacuated",
            ),
            (
                "Environ 3 000 habitants ont été contraints de partir.",
                Lang::Fr,
                3000.0,
                "people",
                "evacuated",
            ),
            (
                "Около 3000 жителей были вынуждены покинуть свои дома.",
                Lang::Ru,
                3000.0,
                "people",
                "evacuated",
            ),
            (
                "Some 350 passengers were on the train.",
                Lang::En,
                350.0,
                "people",
                "carried",
            ),
            (
                "Quelque 350 passagers se trouvaient dans le train.",
                Lang::Fr,
                350.0,
                "people",
                "carried",
            ),
            (
                "В поезде находились 350 пассажиров.",
                Lang::Ru,
                350.0,
                "people",
                "carried",
            ),
            (
                "Some 400 firefighters were on the scene overnight.",
                Lang::En,
                400.0,
                "rescuers",
                "deployed",
            ),
            (
                "Quelque 400 pompiers sont à pied d'œuvre.",
                Lang::Fr,
                400.0,
                "rescuers",
                "deployed",
            ),
            (
                "На месте трудятся около 400 пожарных.",
                Lang::Ru,
                400.0,
                "rescuers",
                "deployed",
            ),
            (
                "About 800 people spent the night in sports halls.",
                Lang::En,
                800.0,
                "people",
                "sheltered",
            ),
            (
                "Quelque 800 personnes ont passé la nuit dans des gymnases.",
                Lang::Fr,
                800.0,
                "people",
                "sheltered",
            ),
            (
                "Около 800 человек ночевали в спортзалах.",
                Lang::Ru,
                800.0,
                "people",
                "sheltered",
            ),
            (
                "About 40 people sought medical attention.",
                Lang::En,
                40.0,
                "people",
                "wounded",
            ),
            (
                "Environ 40 personnes ont consulté aux urgences.",
                Lang::Fr,
                40.0,
                "people",
                "wounded",
            ),
            (
                "Около 40 человек обратились за медпомощью.",
                Lang::Ru,
                40.0,
                "people",
                "wounded",
            ),
            (
                "The fire has cost the lives of 12 people.",
                Lang::En,
                12.0,
                "people",
                "killed",
            ),
            (
                "L'accident a coûté la vie à 12 personnes.",
                Lang::Fr,
                12.0,
                "people",
                "killed",
            ),
            (
                "Пожар забрал жизни 12 человек.",
                Lang::Ru,
                12.0,
                "people",
                "killed",
            ),
            (
                "Some 2 million customers had their personal data stolen.",
                Lang::En,
                2_000_000.0,
                "customers",
                "data_stolen",
            ),
            (
                "Les données personnelles de 2 millions de clients ont fuité.",
                Lang::Fr,
                2_000_000.0,
                "customers",
                "data_stolen",
            ),
            (
                "Произошла утечка данных 2 млн клиентов.",
                Lang::Ru,
                2_000_000.0,
                "customers",
                "data_stolen",
            ),
            (
                "About 1,500 filling stations ran dry on Sunday.",
                Lang::En,
                1500.0,
                "filling_stations",
                "without_fuel",
            ),
            (
                "Environ 1 500 stations-service étaient à sec dimanche.",
                Lang::Fr,
                1500.0,
                "filling_stations",
                "without_fuel",
            ),
            (
                "Около 1500 АЗС остались без топлива.",
                Lang::Ru,
                1500.0,
                "filling_stations",
                "without_fuel",
            ),
            (
                "The airline axed 300 flights.",
                Lang::En,
                300.0,
                "flights",
                "cancelled",
            ),
            (
                "Some 300 flights were grounded.",
                Lang::En,
                300.0,
                "flights",
                "cancelled",
            ),
            (
                "Quelque 300 vols ont été supprimés.",
                Lang::Fr,
                300.0,
                "flights",
                "cancelled",
            ),
            (
                "Отменены около 300 рейсов.",
                Lang::Ru,
                300.0,
                "flights",
                "cancelled",
            ),
            (
                "Some 300 flights were delayed.",
                Lang::En,
                300.0,
                "flights",
                "delayed",
            ),
            (
                "Iran has detained 3 tankers.",
                Lang::En,
                3.0,
                "ships",
                "seized",
            ),
            (
                "La marine a arraisonné 3 navires.",
                Lang::Fr,
                3.0,
                "ships",
                "seized",
            ),
            ("Задержаны 3 судна.", Lang::Ru, 3.0, "ships", "seized"),
        ];
        assert_rows_told(cases);
    }

    #[test]
    fn a_verb_that_governs_a_later_figure_is_not_this_ones() {
        let got = read_all(
            "The blast killed 12 miners and injured 31 on Tuesday.",
            Lang::En,
        );
        assert_eq!(got[0].0, 12.0);
        assert_eq!(got[0].2, "killed", "{got:?}");
        assert_eq!(got[1].2, "wounded", "{got:?}");
        let got = read_all(
            "L'explosion a tué 7 personnes et blessé plus de 20 autres.",
            Lang::Fr,
        );
        assert_eq!(got[0].2, "killed", "{got:?}");
        // Still: a verb right after the figure's noun is its own.
        let got = read_all("12 people were injured and 3 died.", Lang::En);
        assert_eq!(got[0].2, "wounded", "{got:?}");
        // A verb far off in another clause is not the figure's.
        let got = read_all(
            "Le train avait 246 passagers à bord, d'après la compagnie ferroviaire nationale, \
             qui s'appuie pour cela sur le nombre total de billets vendus en ligne.",
            Lang::Fr,
        );
        assert_eq!(got[0].0, 246.0);
        assert_ne!(got[0].2, "sold", "{got:?}");
    }

    /// Sentences, each with its language and figure, that must all read one thing and
    /// one predicate.
    type Told<'a> = &'a [(&'a str, Lang, f64)];

    /// Every sentence of `cases` reads its figure as its (thing, predicate); all the
    /// sentences that do not are reported together.
    fn assert_each_told(cases: &[(&str, &str, Told)]) {
        let rows: Vec<(&str, Lang, f64, &str, &str)> = cases
            .iter()
            .flat_map(|(thing, pred, sentences)| {
                sentences
                    .iter()
                    .map(move |(text, lang, value)| (*text, *lang, *value, *thing, *pred))
            })
            .collect();
        assert_rows_told(&rows);
    }

    /// Each (sentence, language, figure, thing, predicate) reads its first figure as its
    /// thing and predicate; all the sentences that do not are reported together.
    fn assert_rows_told(rows: &[(&str, Lang, f64, &str, &str)]) {
        let wrong: Vec<String> = rows
            .iter()
            .filter_map(|(text, lang, value, thing, pred)| {
                let got = read_all(text, *lang);
                (got.first().map(|g| (g.0, g.1.as_str(), g.2.as_str()))
                    != Some((*value, *thing, *pred)))
                .then(|| format!("{text}: want {thing}/{pred}, got {got:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// People who fell ill are cases; the seriously injured are in a critical state in
    /// three languages; a tally reaching a figure ("le bilan passe à 19 blessés") names
    /// no fate, the noun after the figure does.
    #[test]
    fn the_ill_are_cases_the_seriously_injured_critical_and_a_tally_no_fate() {
        assert_rows_told(&[
            (
                "Ninety-five people aboard the ship have fallen ill.",
                Lang::En,
                95.0,
                "cases",
                "infected",
            ),
            (
                "Le bilan passe à 19 blessés après le déraillement.",
                Lang::Fr,
                19.0,
                "people",
                "wounded",
            ),
            (
                "Three passengers were seriously injured in the crash.",
                Lang::En,
                3.0,
                "people",
                "critical",
            ),
            (
                "Дорожная авария: тяжело ранены четыре пассажира.",
                Lang::Ru,
                4.0,
                "people",
                "critical",
            ),
        ]);
    }

    /// Air-defence systems sent or delivered are one count, however the text words them.
    #[test]
    fn air_defence_systems_sent_or_delivered_are_one_count() {
        assert_rows_told(&[
            (
                "Russia sent North Korea eight air defence systems this year.",
                Lang::En,
                8.0,
                "systems",
                "delivered",
            ),
            (
                "Россия передала КНДР 15 зенитных ракетно-пушечных комплексов.",
                Lang::Ru,
                15.0,
                "systems",
                "delivered",
            ),
            (
                "Washington compte dix batteries antiaériennes livrées à Pyongyang.",
                Lang::Fr,
                10.0,
                "systems",
                "delivered",
            ),
        ]);
    }

    #[test]
    fn news_vocabulary_reads_one_thing_and_predicate_in_three_languages() {
        // One quantity told in English, French and Russian: the lexicon's words for it in
        // each language give one thing id and one predicate id (config/lexicon.toml).
        // (sentence, language, figure) told of one (thing, predicate).
        let cases: &[(&str, &str, Told)] = &[
            (
                "animals",
                "culled",
                &[
                    (
                        "Authorities culled 1.2 million ducks after the outbreak.",
                        Lang::En,
                        1200000.0,
                    ),
                    (
                        "Plus de 1,2 million de canards ont été abattus.",
                        Lang::Fr,
                        1200000.0,
                    ),
                    ("Уничтожено более 1,2 млн уток.", Lang::Ru, 1200000.0),
                ],
            ),
            (
                "farms",
                "quarantined",
                &[
                    ("Some 14 farms are in quarantine.", Lang::En, 14.0),
                    ("Quelque 14 élevages sont en quarantaine.", Lang::Fr, 14.0),
                    ("На карантине находятся 14 ферм.", Lang::Ru, 14.0),
                ],
            ),
            (
                "households",
                "without_water",
                &[
                    (
                        "About 12,000 homes were without water on Monday.",
                        Lang::En,
                        12000.0,
                    ),
                    (
                        "Quelque 12 000 foyers étaient privés d'eau potable lundi.",
                        Lang::Fr,
                        12000.0,
                    ),
                    ("Около 12 тыс. домов остались без воды.", Lang::Ru, 12000.0),
                ],
            ),
            (
                "households",
                "evacuated",
                &[
                    ("Some 2,000 families were evacuated.", Lang::En, 2000.0),
                    ("Quelque 2 000 familles ont été évacuées.", Lang::Fr, 2000.0),
                    ("Эвакуированы 2000 семей.", Lang::Ru, 2000.0),
                ],
            ),
            (
                "crops",
                "flooded",
                &[
                    (
                        "Around 5,000 hectares of crops were flooded.",
                        Lang::En,
                        5000.0,
                    ),
                    (
                        "Environ 5 000 hectares de cultures ont été inondés.",
                        Lang::Fr,
                        5000.0,
                    ),
                    ("Затоплены около 5 тыс. гектаров посевов.", Lang::Ru, 5000.0),
                ],
            ),
            (
                "miners",
                "killed",
                &[
                    ("Some 12 miners were killed.", Lang::En, 12.0),
                    ("Douze mineurs de fond ont été tués.", Lang::Fr, 12.0),
                    ("Погибли 12 шахтёров.", Lang::Ru, 12.0),
                ],
            ),
            (
                "migrants",
                "rescued",
                &[
                    (
                        "The coastguard rescued 120 migrants from three boats.",
                        Lang::En,
                        120.0,
                    ),
                    (
                        "Les garde-côtes ont secouru 120 migrants à bord de trois embarcations.",
                        Lang::Fr,
                        120.0,
                    ),
                    (
                        "Пограничники спасли 120 мигрантов с трех лодок.",
                        Lang::Ru,
                        120.0,
                    ),
                ],
            ),
            (
                "migrants",
                "deported",
                &[
                    ("Authorities deported 450 migrants.", Lang::En, 450.0),
                    ("Les autorités ont expulsé 450 migrants.", Lang::Fr, 450.0),
                    ("Власти депортировали 450 мигрантов.", Lang::Ru, 450.0),
                ],
            ),
            (
                "jobs",
                "cut",
                &[
                    ("The company will cut 1,200 jobs.", Lang::En, 1200.0),
                    ("Quelque 1 200 postes seront supprimés.", Lang::Fr, 1200.0),
                    ("Компания сократит 1200 рабочих мест.", Lang::Ru, 1200.0),
                ],
            ),
            (
                "companies",
                "bankrupt",
                &[
                    (
                        "At least 120 companies went bankrupt last year.",
                        Lang::En,
                        120.0,
                    ),
                    (
                        "Plus de 120 entreprises ont fait faillite.",
                        Lang::Fr,
                        120.0,
                    ),
                    ("Обанкротились более 120 компаний.", Lang::Ru, 120.0),
                ],
            ),
            (
                "flights",
                "delayed",
                &[
                    ("More than 3,000 flights were delayed.", Lang::En, 3000.0),
                    ("Plus de 3 000 vols ont été retardés.", Lang::Fr, 3000.0),
                    ("Задержаны более 3 тыс. авиарейсов.", Lang::Ru, 3000.0),
                ],
            ),
            (
                "wagons",
                "derailed",
                &[
                    ("About 15 wagons derailed.", Lang::En, 15.0),
                    ("Une quinzaine de wagons ont déraillé.", Lang::Fr, 15.0),
                    ("С рельсов сошли 15 вагонов.", Lang::Ru, 15.0),
                ],
            ),
            (
                "drugs",
                "seized",
                &[
                    ("Police seized 2 tonnes of cocaine.", Lang::En, 2.0),
                    ("La police a saisi 2 tonnes de cocaïne.", Lang::Fr, 2.0),
                    ("Полиция изъяла 2 тонны кокаина.", Lang::Ru, 2.0),
                ],
            ),
            (
                "hostages",
                "freed",
                &[
                    ("The rebels freed 50 hostages.", Lang::En, 50.0),
                    ("Les rebelles ont libéré 50 otages.", Lang::Fr, 50.0),
                    ("Боевики освободили 50 заложников.", Lang::Ru, 50.0),
                ],
            ),
            (
                "protocols",
                "counted",
                &[
                    (
                        "About 2,000 protocols have been processed.",
                        Lang::En,
                        2000.0,
                    ),
                    (
                        "Environ 2 000 procès-verbaux ont été dépouillés.",
                        Lang::Fr,
                        2000.0,
                    ),
                    ("Обработано около 2 тыс. протоколов.", Lang::Ru, 2000.0),
                ],
            ),
            (
                "voters",
                "registered",
                &[
                    ("Some 45,000 voters were registered.", Lang::En, 45000.0),
                    ("Quelque 45 000 électeurs sont inscrits.", Lang::Fr, 45000.0),
                    ("Зарегистрированы 45 тыс. избирателей.", Lang::Ru, 45000.0),
                ],
            ),
            (
                "regions",
                "on_alert",
                &[
                    ("Some 38 districts are on red alert.", Lang::En, 38.0),
                    (
                        "Quelque 38 départements sont en vigilance orange.",
                        Lang::Fr,
                        38.0,
                    ),
                    ("В режиме ЧС находятся 38 районов.", Lang::Ru, 38.0),
                ],
            ),
            (
                "trees",
                "felled",
                &[
                    ("The storm felled 10,000 trees.", Lang::En, 10000.0),
                    ("La tempête a déraciné 10 000 arbres.", Lang::Fr, 10000.0),
                    ("Буря повалила 10 тыс. деревьев.", Lang::Ru, 10000.0),
                ],
            ),
            (
                "munitions",
                "defused",
                &[
                    ("Sappers defused 2,000 munitions.", Lang::En, 2000.0),
                    (
                        "Les démineurs ont désamorcé 2 000 munitions.",
                        Lang::Fr,
                        2000.0,
                    ),
                    ("Саперы обезвредили 2 тыс. боеприпасов.", Lang::Ru, 2000.0),
                ],
            ),
            (
                "health_workers",
                "striking",
                &[
                    ("Some 4,000 doctors went on strike.", Lang::En, 4000.0),
                    ("Quelque 4 000 médecins sont en grève.", Lang::Fr, 4000.0),
                    ("Бастуют около 4 тыс. врачей.", Lang::Ru, 4000.0),
                ],
            ),
            (
                "people",
                "tested",
                &[
                    ("Some 5,000 people were tested.", Lang::En, 5000.0),
                    ("Quelque 5 000 personnes ont été testées.", Lang::Fr, 5000.0),
                    ("Протестировано 5000 человек.", Lang::Ru, 5000.0),
                ],
            ),
        ];
        assert_each_told(cases);
    }

    #[test]
    fn process_and_aftermath_words_read_one_thing_and_predicate_in_three_languages() {
        // The second pass of the lexicon: care, the dead, aid and money, moving people,
        // investigations, services back or down, and counts of events. One quantity told
        // in English, French and Russian gives one thing id and one predicate id.
        let cases: &[(&str, &str, Told)] = &[
            (
                "people",
                "treated",
                &[
                    (
                        "Some 150 people were treated for smoke inhalation.",
                        Lang::En,
                        150.0,
                    ),
                    (
                        "Quelque 150 personnes ont été prises en charge par les secours.",
                        Lang::Fr,
                        150.0,
                    ),
                    (
                        "Около 150 человек получили медицинскую помощь.",
                        Lang::Ru,
                        150.0,
                    ),
                ],
            ),
            (
                "people",
                "critical",
                &[
                    ("Some 12 people are in critical condition.", Lang::En, 12.0),
                    ("Douze personnes sont en réanimation.", Lang::Fr, 12.0),
                    ("В тяжёлом состоянии находятся 12 человек.", Lang::Ru, 12.0),
                ],
            ),
            (
                "people",
                "hospitalised",
                &[
                    ("Some 40 people were taken to hospital.", Lang::En, 40.0),
                    (
                        "Une quarantaine de personnes ont été transportées à l'hôpital.",
                        Lang::Fr,
                        40.0,
                    ),
                    ("40 человек доставлены в больницу.", Lang::Ru, 40.0),
                ],
            ),
            (
                "people",
                "identified",
                &[
                    ("Some 40 victims have been identified.", Lang::En, 40.0),
                    (
                        "Une quarantaine de victimes ont été identifiées.",
                        Lang::Fr,
                        40.0,
                    ),
                    ("Опознаны тела 40 человек.", Lang::Ru, 40.0),
                ],
            ),
            (
                "people",
                "buried",
                &[
                    (
                        "About 300 people were buried in a mass grave.",
                        Lang::En,
                        300.0,
                    ),
                    ("Environ 300 personnes ont été inhumées.", Lang::Fr, 300.0),
                    ("Похоронены около 300 человек.", Lang::Ru, 300.0),
                ],
            ),
            (
                "people",
                "bodies_recovered",
                &[
                    ("About 40 bodies have been recovered.", Lang::En, 40.0),
                    ("Une quarantaine de corps ont été repêchés.", Lang::Fr, 40.0),
                    ("Из-под завалов извлечены тела 40 человек.", Lang::Ru, 40.0),
                ],
            ),
            (
                "people",
                "found",
                &[
                    ("Some 12 people were found alive.", Lang::En, 12.0),
                    (
                        "Douze personnes ont été retrouvées vivantes.",
                        Lang::Fr,
                        12.0,
                    ),
                    ("Найдены живыми 12 человек.", Lang::Ru, 12.0),
                ],
            ),
            (
                "people",
                "missing",
                &[
                    ("Some 15 people were never found.", Lang::En, 15.0),
                    (
                        "Quinze personnes n'ont jamais été retrouvées.",
                        Lang::Fr,
                        15.0,
                    ),
                    ("15 человек так и не найдены.", Lang::Ru, 15.0),
                ],
            ),
            (
                "people",
                "carried",
                &[
                    ("The plane was carrying 150 people.", Lang::En, 150.0),
                    (
                        "Quelque 150 personnes se trouvaient à bord.",
                        Lang::Fr,
                        150.0,
                    ),
                    ("На борту находились 150 человек.", Lang::Ru, 150.0),
                ],
            ),
            (
                "people",
                "displaced",
                &[
                    ("Some 5,000 people lost their homes.", Lang::En, 5000.0),
                    (
                        "Quelque 5 000 personnes ont perdu leur logement.",
                        Lang::Fr,
                        5000.0,
                    ),
                    ("Без жилья остались 5 тыс. человек.", Lang::Ru, 5000.0),
                ],
            ),
            (
                "households",
                "received",
                &[
                    ("Some 2,000 families received aid.", Lang::En, 2000.0),
                    (
                        "Quelque 2 000 familles ont reçu une aide.",
                        Lang::Fr,
                        2000.0,
                    ),
                    ("Помощь получили 2 тыс. семей.", Lang::Ru, 2000.0),
                ],
            ),
            (
                "households",
                "compensation",
                &[
                    ("About 500 households were compensated.", Lang::En, 500.0),
                    ("Environ 500 foyers ont été indemnisés.", Lang::Fr, 500.0),
                    ("Компенсации получили около 500 семей.", Lang::Ru, 500.0),
                ],
            ),
            (
                "",
                "insured_losses",
                &[
                    ("Insured losses reached 3 billion euros.", Lang::En, 3e9),
                    (
                        "Les dommages assurés atteignent 3 milliards d'euros.",
                        Lang::Fr,
                        3e9,
                    ),
                    ("Страховые убытки составили 3 млрд евро.", Lang::Ru, 3e9),
                ],
            ),
            (
                "migrants",
                "intercepted",
                &[
                    (
                        "Some 300 migrants were intercepted off the coast.",
                        Lang::En,
                        300.0,
                    ),
                    (
                        "Quelque 300 migrants ont été interceptés en mer.",
                        Lang::Fr,
                        300.0,
                    ),
                    ("300 мигрантов были задержаны в море.", Lang::Ru, 300.0),
                ],
            ),
            (
                "asylum_claims",
                "rejected",
                &[
                    (
                        "Some 12,000 asylum claims were rejected.",
                        Lang::En,
                        12000.0,
                    ),
                    (
                        "Quelque 12 000 demandes d'asile ont été rejetées.",
                        Lang::Fr,
                        12000.0,
                    ),
                    ("Отклонены 12 тыс. заявлений на убежище.", Lang::Ru, 12000.0),
                ],
            ),
            (
                "asylum_claims",
                "accepted",
                &[
                    (
                        "Some 8,000 asylum applications were approved.",
                        Lang::En,
                        8000.0,
                    ),
                    (
                        "Quelque 8 000 demandes d'asile ont été acceptées.",
                        Lang::Fr,
                        8000.0,
                    ),
                    ("Одобрены 8 тыс. заявлений на убежище.", Lang::Ru, 8000.0),
                ],
            ),
            (
                "patients",
                "transferred",
                &[
                    (
                        "Some 30 patients were transferred to other hospitals.",
                        Lang::En,
                        30.0,
                    ),
                    (
                        "Une trentaine de patients ont été transférés vers d'autres hôpitaux.",
                        Lang::Fr,
                        30.0,
                    ),
                    ("30 пациентов переведены в другие больницы.", Lang::Ru, 30.0),
                ],
            ),
            (
                "hostages",
                "freed",
                &[
                    ("The group released 50 hostages.", Lang::En, 50.0),
                    ("Le groupe a relâché 50 otages.", Lang::Fr, 50.0),
                    ("Группировка отпустила 50 заложников.", Lang::Ru, 50.0),
                ],
            ),
            (
                "buildings",
                "inspected",
                &[
                    ("Engineers inspected 1,500 buildings.", Lang::En, 1500.0),
                    (
                        "Les experts ont inspecté 1 500 bâtiments.",
                        Lang::Fr,
                        1500.0,
                    ),
                    ("Специалисты осмотрели 1500 зданий.", Lang::Ru, 1500.0),
                ],
            ),
            (
                "homes",
                "repaired",
                &[
                    ("Some 3,000 homes have been repaired.", Lang::En, 3000.0),
                    ("Quelque 3 000 logements ont été réparés.", Lang::Fr, 3000.0),
                    ("Отремонтированы 3 тыс. домов.", Lang::Ru, 3000.0),
                ],
            ),
            (
                "schools",
                "reopened",
                &[
                    ("Some 120 schools reopened on Monday.", Lang::En, 120.0),
                    ("Quelque 120 écoles ont rouvert lundi.", Lang::Fr, 120.0),
                    ("Вновь открылись 120 школ.", Lang::Ru, 120.0),
                ],
            ),
            (
                "power_plants",
                "offline",
                &[
                    ("Some 12 power stations are out of service.", Lang::En, 12.0),
                    ("Quelque 12 centrales sont hors service.", Lang::Fr, 12.0),
                    ("Не работают 12 электростанций.", Lang::Ru, 12.0),
                ],
            ),
            (
                "trains",
                "operating",
                &[
                    ("Only 40 trains are running.", Lang::En, 40.0),
                    ("Seuls 40 trains circulent.", Lang::Fr, 40.0),
                    ("Курсируют лишь 40 поездов.", Lang::Ru, 40.0),
                ],
            ),
            (
                "jobs",
                "cut",
                &[
                    ("Some 2,000 jobs were lost.", Lang::En, 2000.0),
                    ("Quelque 2 000 emplois ont été détruits.", Lang::Fr, 2000.0),
                    ("Сокращены 2 тыс. рабочих мест.", Lang::Ru, 2000.0),
                ],
            ),
            (
                "cases",
                "infected",
                &[
                    ("Some 120 new cases were detected.", Lang::En, 120.0),
                    (
                        "Quelque 120 nouveaux cas ont été détectés.",
                        Lang::Fr,
                        120.0,
                    ),
                    ("Выявлено 120 новых случаев.", Lang::Ru, 120.0),
                ],
            ),
            (
                "incidents",
                "",
                &[
                    ("Some 20 explosions were heard.", Lang::En, 20.0),
                    (
                        "Une vingtaine d'explosions ont été entendues.",
                        Lang::Fr,
                        20.0,
                    ),
                    ("Прогремели около 20 взрывов.", Lang::Ru, 20.0),
                ],
            ),
            (
                "accidents",
                "",
                &[
                    ("Some 1,200 road accidents were reported.", Lang::En, 1200.0),
                    (
                        "Quelque 1 200 accidents de la route ont été signalés.",
                        Lang::Fr,
                        1200.0,
                    ),
                    ("Произошло около 1200 ДТП.", Lang::Ru, 1200.0),
                ],
            ),
        ];
        assert_each_told(cases);
    }

    #[test]
    fn the_number_of_a_thing_names_what_a_bare_figure_counts() {
        for (text, lang, value, thing) in [
            (
                "The number of containers shipped north has now passed 31,000.",
                Lang::En,
                31000.0,
                "containers",
            ),
            (
                "Число очагов на птицефермах выросло до девяти.",
                Lang::Ru,
                9.0,
                "fires",
            ),
            (
                "Число погибших возросло до 64, ещё более 150 человек получили ранения.",
                Lang::Ru,
                64.0,
                "people",
            ),
            // "The total of", "le total des", the elided "le nombre d'".
            (
                "Le total des billets vendus pour la finale atteint ainsi 41 400.",
                Lang::Fr,
                41400.0,
                "tickets",
            ),
            (
                "Le nombre d'écoles touchées s'établit désormais à 17.",
                Lang::Fr,
                17.0,
                "schools",
            ),
            (
                "The total of containers shipped north has now passed 31,000.",
                Lang::En,
                31000.0,
                "containers",
            ),
        ] {
            let got = read_all(text, lang);
            assert_eq!(
                got.first().map(|g| (g.0, g.1.as_str())),
                Some((value, thing)),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn the_number_of_dead_says_what_a_far_figure_counts() {
        for (text, lang) in [
            (
                "Число погибших от жары, по официальным данным, осталось прежним — семь человек.",
                Lang::Ru,
            ),
            (
                "Le nombre de morts, selon la préfecture qui s'exprimait lundi soir, s'élève à sept personnes.",
                Lang::Fr,
            ),
            (
                "The number of dead, according to figures the regional health office released late on Monday, stands at seven people.",
                Lang::En,
            ),
        ] {
            let got = read_all(text, lang);
            assert_eq!(
                got.first().map(|g| (g.0, g.1.as_str(), g.2.as_str())),
                Some((7.0, "people", "killed")),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn the_number_named_right_after_a_figure_is_what_it_counts() {
        for (text, lang, value, thing, predicate) in [
            (
                "Cela porte à onze le nombre de rescapés sortis du fond.",
                Lang::Fr,
                11.0,
                "people",
                "rescued",
            ),
            (
                "Это увеличило до 40 число погибших.",
                Lang::Ru,
                40.0,
                "people",
                "killed",
            ),
            (
                "The landslide brought to 40 the number of dead.",
                Lang::En,
                40.0,
                "people",
                "killed",
            ),
        ] {
            let got = read_all(text, lang);
            assert_eq!(
                got.first().map(|g| (g.0, g.1.as_str(), g.2.as_str())),
                Some((value, thing, predicate)),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn a_verb_before_the_dead_or_injured_says_what_became_of_them() {
        for (text, lang, value, predicate) in [
            (
                "Судебные медики уже опознали тела девяти погибших.",
                Lang::Ru,
                9.0,
                "identified",
            ),
            (
                "Из больниц выписаны уже 40 пострадавших.",
                Lang::Ru,
                40.0,
                "recovered",
            ),
            // Another figure's verb is not this one's.
            (
                "At least 27 people were killed and 140 injured.",
                Lang::En,
                140.0,
                "wounded",
            ),
            (
                "On compte 23 morts, 140 blessés.",
                Lang::Fr,
                140.0,
                "wounded",
            ),
        ] {
            let got = read_all(text, lang);
            assert!(
                got.iter().any(|g| g.0 == value && g.2 == predicate),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn a_figure_of_them_counts_the_group_named_before() {
        assert_eq!(
            read_all(
                "Moins de dix d'entre eux ont été tués par des mines.",
                Lang::Fr
            ),
            vec![(10.0, "people".to_string(), "killed".to_string())]
        );
        let got = read_all(
            "Some 5,000 miners were underground, and 1,000 of them were trapped.",
            Lang::En,
        );
        // Trapped and still missing miners are one count (the lexicon's `same_predicates`).
        assert_eq!(
            got.get(1).map(|g| (g.0, g.1.as_str(), g.2.as_str())),
            Some((1000.0, "miners", "missing")),
            "{got:?}"
        );
        // A number word ("four of them"); Russian "из них".
        for (text, lang, part, thing) in [
            (
                "Some 31 miners were injured, four of them seriously.",
                Lang::En,
                4.0,
                "miners",
            ),
            (
                "Прибыли 15 тыс. рабочих, около 8 тыс. из них — по учебным визам.",
                Lang::Ru,
                8000.0,
                "workers",
            ),
        ] {
            let got = read_all(text, lang);
            assert_eq!(
                got.get(1).map(|g| (g.0, g.1.as_str())),
                Some((part, thing)),
                "{got:?}"
            );
        }
    }

    /// "N of its / the country's / those X" counts X; a capitalised modifier in English
    /// ("Lilliputian archers") leaves the noun after it.
    #[test]
    fn a_part_of_a_determined_group_counts_the_group() {
        for (s, value, thing) in [
            (
                "Petrobel said 1,900 of its workers had joined the strike.",
                1900.0,
                "workers",
            ),
            (
                "By noon 1,050 of the country's filling stations were dry.",
                1050.0,
                "filling_stations",
            ),
            (
                "By noon 1,050 of Belmaria's filling stations were dry.",
                1050.0,
                "filling_stations",
            ),
            (
                "The court said 300 Lilliputian archers were sent.",
                300.0,
                "en:archer",
            ),
            (
                "Russia fired at least 60 KN-23 missiles at the city.",
                60.0,
                "missiles",
            ),
            (
                "Russia fired at least 60 North Korean KN-23 ballistic missiles at the city.",
                60.0,
                "missiles",
            ),
        ] {
            let got = read_all(s, Lang::En);
            assert_eq!(
                got.first().map(|g| (g.0, g.1.as_str())),
                Some((value, thing)),
                "{s}: {got:?}"
            );
        }
    }

    #[test]
    fn what_is_said_only_of_counted_things_says_nothing_of_money() {
        for (text, lang) in [
            (
                "Экспортёры оценивают ущерб экономике от забастовки докеров уже в 400 млн евро.",
                Lang::Ru,
            ),
            (
                "The damage to the economy from the dockers' strike has passed €400 million.",
                Lang::En,
            ),
            (
                "Le coût de la grève des dockers pour l'économie dépasse 400 millions d'euros.",
                Lang::Fr,
            ),
        ] {
            let got = read_all(text, lang);
            assert_eq!(
                got.first().map(|g| (g.0, g.2.as_str())),
                Some((400_000_000.0, "cost")),
                "{text}: {got:?}"
            );
        }
    }

    /// What befalls people (the dead, the displaced) is not said of an area, a weight or a
    /// volume: "погибли посевы на 1,8 млн гектаров" counts hectares of nothing said, the
    /// same quantity as "1,8 млн гектаров посевов".
    #[test]
    fn what_befalls_people_is_not_said_of_a_measure() {
        for (text, lang, unit) in [
            ("Погибли посевы на 1,8 млн гектаров.", Lang::Ru, "hectares"),
            (
                "The ship, which displaced 40,000 tonnes, sank off the coast.",
                Lang::En,
                "tonnes",
            ),
        ] {
            let got: Vec<(String, String)> = read_each(text, lang)
                .into_iter()
                .map(|(_, r)| (r.unit, r.predicate))
                .collect();
            assert_eq!(got, vec![(unit.to_string(), String::new())], "{text}");
        }
    }

    /// An aside naming a source between a cost and its figure ("Ущерб, по оценке
    /// страховой компании, может превысить 2 млрд") does not part them.
    #[test]
    fn an_aside_naming_a_source_does_not_part_a_cost_from_its_figure() {
        for (text, lang) in [
            (
                "Ущерб, по оценке страховой компании «Норд», может превысить 2 млрд евро.",
                Lang::Ru,
            ),
            (
                "La facture, selon l'assureur, pourrait atteindre 2 milliards d'euros.",
                Lang::Fr,
            ),
            (
                "The damage, according to the insurer, could exceed €2 billion.",
                Lang::En,
            ),
        ] {
            let got: Vec<(f64, String)> = read_each(text, lang)
                .into_iter()
                .map(|(v, r)| (v, r.predicate))
                .collect();
            assert_eq!(got, vec![(2e9, "cost".to_string())], "{text}");
        }
    }

    /// A revised figure is the current one: "по уточнённым данным", "selon des chiffres
    /// actualisés", "the corrected figure".
    #[test]
    fn a_revised_figure_is_current() {
        for (text, lang) in [
            (
                "Ущерб, по уточнённым данным, оценивается в 215 млн леев.",
                Lang::Ru,
            ),
            (
                "Selon des chiffres actualisés, le préjudice atteint 215 millions de lei.",
                Lang::Fr,
            ),
            (
                "The corrected figure for the losses is 215 million lei.",
                Lang::En,
            ),
        ] {
            let got: Vec<(f64, bool)> = read_each(text, lang)
                .into_iter()
                .map(|(v, r)| (v, r.current))
                .collect();
            assert_eq!(got, vec![(215e6, true)], "{text}");
        }
    }

    /// The French article is no figure of one: "une grève", "un bilan", "un arrêté"; "un
    /// mort", a casualty beside another count, and "une tonne" are.
    #[test]
    fn the_french_article_is_no_figure_of_one() {
        for text in [
            "Une grève de 48 heures est prévue à partir du 17 mars.",
            "Une manifestation est prévue samedi à Chambéry.",
            "Le syndicat avance un bilan bien plus lourd.",
            "Un arrêté préfectoral maintient l'interdiction d'accès aux plages.",
            "« Une fuite de données, c'est une fuite qui ne se referme jamais », résume Camille, 29 ans.",
            "Un arrêté préfectoral (n° 2026-291) maintient l'interdiction.",
        ] {
            assert_eq!(read_all(text, Lang::Fr), vec![], "{text}");
        }
        for (text, values) in [
            ("Le feu a fait un mort.", vec![1.0]),
            ("Le feu a fait un mort et trois blessés.", vec![1.0, 3.0]),
            (
                "Le rapport retient un bilan définitif de 15 morts.",
                vec![15.0],
            ),
            ("Ils ont ramassé une tonne de granulés.", vec![1.0]),
        ] {
            let got: Vec<f64> = read_all(text, Lang::Fr).iter().map(|r| r.0).collect();
            assert_eq!(got, values, "{text}");
        }
    }

    /// A street number is no figure ("на улице Заводской, 14", "au 12 rue de Rivoli");
    /// a count of streets, or a count after a street's name without a comma, is.
    #[test]
    fn a_street_number_is_no_figure() {
        let values = |text: &str, lang: Lang| -> Vec<f64> {
            read_all(text, lang).iter().map(|r| r.0).collect()
        };
        assert_eq!(
            values(
                "Муниципальный приют на улице Заводской, 14 рассчитан на 600 мест.",
                Lang::Ru
            ),
            vec![600.0]
        );
        assert!(values("La manifestation est partie du 12 rue de Rivoli.", Lang::Fr).is_empty());
        assert_eq!(
            values("Les 12 rues du quartier ont été fermées.", Lang::Fr),
            vec![12.0]
        );
        assert_eq!(
            values("Пожар на улице Ленина уничтожил 14 домов.", Lang::Ru),
            vec![14.0]
        );
    }

    #[test]
    fn a_currency_the_lexicon_knows_is_money() {
        for (text, lang, unit) in [
            (
                "The drought had caused 95 million leva in crop damage.",
                Lang::En,
                "bgn",
            ),
            (
                "Les pertes de l'opérateur atteindraient 45 millions de lei.",
                Lang::Fr,
                "ron",
            ),
            ("Оползень нанёс ущерб в 40 млн лари.", Lang::Ru, "gel"),
            (
                "The operator puts its losses at 2 billion rupiah.",
                Lang::En,
                "idr",
            ),
        ] {
            let toks = tokenize(text, lang);
            let words = words_of(&toks);
            let got: Vec<(String, String)> = mentions(&toks, lang)
                .iter()
                .filter_map(|m| read(text, &toks, &words, m, (0, toks.len()), lang, None))
                .map(|r| (r.unit, r.predicate))
                .collect();
            // Damage and losses said of money are a cost, not damaged things or casualties.
            assert_eq!(got, vec![(unit.to_string(), "cost".to_string())], "{text}");
        }
    }

    #[test]
    fn a_rival_marker_sets_what_follows_it_against_another_figure() {
        let rivals = |s: &str, lang: Lang| -> Vec<(f64, bool)> {
            let toks = tokenize(s, lang);
            let words = words_of(&toks);
            mentions(&toks, lang)
                .iter()
                .filter_map(|m| {
                    read(s, &toks, &words, m, (0, toks.len()), lang, None)
                        .map(|r| (m.value, r.rival))
                })
                .collect()
        };
        assert_eq!(
            rivals(
                "The ministry counts 19 dead, while the union insisted that at least 25 people had died.",
                Lang::En
            ),
            vec![(19.0, false), (25.0, true)]
        );
        assert_eq!(
            rivals(
                "Le syndicat parle plutôt de 51 millions de canards.",
                Lang::Fr
            ),
            vec![(51_000_000.0, true)]
        );
        // Another voice's figure said to be current is its later count, not a rival one;
        // a figure said to be wrong stays a rival, current or not.
        assert_eq!(
            rivals(
                "De son côté, le ministère recense désormais 120 morts.",
                Lang::Fr
            ),
            vec![(120.0, false)]
        );
        assert_eq!(
            rivals("De son côté, le ministère recense 120 morts.", Lang::Fr),
            vec![(120.0, true)]
        );
        assert_eq!(
            rivals(
                "The union now counts 2,600 strikers, well above the management's figure.",
                Lang::En
            ),
            vec![(2600.0, true)]
        );
        // "The real number" sets against another only the figure after it; "а не" sets
        // the two figures of its sentence apart, unless the text corrects its own earlier
        // figure to a current one ("теперь 6,9 тонны, а не 8,2, как сообщалось ранее").
        assert_eq!(
            rivals(
                "The guards' union said the real number of suicides was at least 33.",
                Lang::En
            ),
            vec![(33.0, true)]
        );
        assert_eq!(
            rivals(
                "The WHO now counts 720 deaths, and warns the real toll is likely higher.",
                Lang::En
            ),
            vec![(720.0, false)]
        );
        assert_eq!(
            rivals(
                "По данным федерации, речь идёт о 38 гребцах, а не о 64 спортсменах.",
                Lang::Ru
            ),
            vec![(38.0, true), (64.0, true)]
        );
        assert_eq!(
            rivals(
                "Масса изъятого кокаина теперь составляет 6,9 тонны, а не 8,2 тонны, как сообщалось ранее.",
                Lang::Ru
            )
            .first(),
            Some(&(6.9, false))
        );
        // A figure weighed against another without saying which is wrong ("nettement
        // moins", "заметно больше") is a rival one unless the text calls it current.
        assert_eq!(
            rivals(
                "Selon le fonds, 790 000 personnes sont désormais inscrites, nettement moins qu'en novembre.",
                Lang::Fr
            ),
            vec![(790_000.0, false)]
        );
        assert_eq!(
            rivals(
                "По оценке профсоюза, бастуют 1200 человек — заметно больше.",
                Lang::Ru
            ),
            vec![(1200.0, true)]
        );
        // The rival's figure with no noun counts what the figure before it counts, and is
        // said what it is said, whatever verb comes after it.
        let got = read_all(
            "L'État assure que 58 millions de canards ont été vaccinés, mais le syndicat parle \
             plutôt de 51 millions, en raison de retards de livraison.",
            Lang::Fr,
        );
        assert_eq!(got[1].0, 51_000_000.0);
        assert_eq!(
            (got[1].1.as_str(), got[1].2.as_str()),
            (got[0].1.as_str(), "vaccinated")
        );
    }

    #[test]
    fn a_length_counted_and_a_part_of_a_whole_are_read() {
        // A length of coast is a count; the whole after "sur 27" is not.
        let got = read_all("The oil has polluted 40 km of coastline.", Lang::En);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![40.0]);
        let got = read_all(
            "La liste a été adoptée par 20 États membres sur 27.",
            Lang::Fr,
        );
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![20.0]);
        // A name and its figure in a list is a figure.
        let got = read_all("The Party of Progress won 40 seats and the Civic Union 36, with others sharing the rest.", Lang::En);
        assert!(got.iter().any(|g| g.0 == 36.0), "{got:?}");
    }

    #[test]
    fn durations_ages_and_bare_numbers_are_not_read() {
        for (text, lang) in [
            ("The rain fell for three days.", Lang::En),
            ("A 67-year-old farmer drowned.", Lang::En),
            ("The river peaked at 3 a.m.", Lang::En),
            ("Il pleut depuis 48 heures.", Lang::Fr),
            ("Дожди шли 5 дней.", Lang::Ru),
            ("The score was 42.", Lang::En),
            ("Tests found the H5N1 strain on the farm.", Lang::En),
            ("Во Франции выявлен штамм H5N1.", Lang::Ru),
            // Distances, numbers of trains and wholes are not counts.
            (
                "Protection zones with a radius of 3 km were set up.",
                Lang::En,
            ),
            ("The fire broke out 70 km from Athens.", Lang::En),
            ("Le feu a pris à 40 km d'Athènes.", Lang::Fr),
            ("Зона карантина в радиусе 10 км.", Lang::Ru),
            ("Поезд IR 1745 следовал из Бухареста.", Lang::Ru),
            ("The InterRegio 1745 from Bucharest derailed.", Lang::En),
            (
                "Les camions font la navette depuis Kellport, à 400 kilomètres de la capitale.",
                Lang::Fr,
            ),
            (
                "Вкладчики получат деньги в течение 20 рабочих дней.",
                Lang::Ru,
            ),
            ("Les fonds seront versés sous 10 jours ouvrables.", Lang::Fr),
            (
                "Семьи ссылаются на статью 109 Уголовного кодекса.",
                Lang::Ru,
            ),
            ("Parliament will vote on bill 412 next week.", Lang::En),
            // The size of something the story names, not a figure of the event.
            (
                "The department, which has some 1,400 poultry farms, is on alert.",
                Lang::En,
            ),
            (
                "Le syndicat, qui représente environ 4 000 soignants, a protesté.",
                Lang::Fr,
            ),
            (
                "Профсоюз, который объединяет около 4 тыс. врачей, выступил против.",
                Lang::Ru,
            ),
        ] {
            assert!(
                read_all(text, lang).is_empty(),
                "{text}: {:?}",
                read_all(text, lang)
            );
        }
    }
}
