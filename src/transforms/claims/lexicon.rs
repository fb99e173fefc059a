//! The claims lexicon: predicates (what is said of counted things), counted things,
//! units of measure and markers, in English, French and Russian, read from a data file
//! (config/lexicon.toml, embedded). Nothing about any one subject lives in code: a new
//! subject's words go in the file.
//!
//! A pattern is one or more words; a word ending in `*` matches any word it begins.
//! Patterns are matched on the tokenizer's lower-cased words.

use std::sync::OnceLock;

use serde::Deserialize;

use super::numbers::{normalize_word, Tok};

/// The lexicon newswatch ships.
pub const DEFAULT_LEXICON: &str = include_str!("../../../config/lexicon.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    prefix: bool,
    /// Written with its full stop ("кв. км", "sq. km"): an abbreviation, which the
    /// tokenizer reads as the word and then a symbol.
    abbreviation: bool,
}

/// One pattern: a word sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<Word>);

impl Pattern {
    fn parse(s: &str) -> Option<Pattern> {
        let words: Vec<Word> = s
            .split_whitespace()
            .map(|w| {
                let prefix = w.len() > 1 && w.ends_with('*');
                let abbreviation = w.len() > 1 && w.ends_with('.');
                let word = normalize_word(w.trim_end_matches('*').trim_end_matches('.'));
                // Matched against words whose elided article is dropped: drop it here too.
                let text = strip_elision(&word).to_string();
                Word {
                    text,
                    prefix,
                    abbreviation,
                }
            })
            .filter(|w| !w.text.is_empty())
            .collect();
        (!words.is_empty()).then_some(Pattern(words))
    }

    /// How many words it spans when it matches at `words[i..]`.
    fn match_at(&self, words: &[Option<&str>], i: usize) -> Option<usize> {
        let mut at = i;
        for (k, w) in self.0.iter().enumerate() {
            let got = (*words.get(at)?)?;
            let ok = if w.prefix {
                got.starts_with(w.text.as_str())
            } else {
                got == w.text
            };
            if !ok {
                return None;
            }
            at += 1;
            // The full stop of an abbreviation inside the pattern ("кв. км").
            if w.abbreviation && k + 1 < self.0.len() && words.get(at).is_some_and(Option::is_none)
            {
                at += 1;
            }
        }
        Some(at - i)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A predicate, a thing or a unit: an id and its words in every language.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// Predicates: what a figure standing alone counts ("600 dead": people).
    pub thing: Option<String>,
    /// Predicates: a level at one moment rather than a growing total.
    pub state: bool,
    /// Things: the unit reported for them.
    pub unit: Option<String>,
    /// Predicates: other things that count as `thing` with this predicate ("homes
    /// without power" are households).
    pub same_things: Vec<String>,
    /// Things: groups of predicates that say the same of this thing, the first of a group
    /// standing for all of it ("registered", "suspected" and "infected" cases are one
    /// count; flights "delayed" and "held" are one, "cancelled" and "axed" another).
    pub same_predicates: Vec<Vec<String>>,
    /// Predicates: what the predicate says of an amount of money instead ("losses" of
    /// people are casualties, of euros a cost).
    pub money: Option<String>,
    /// Units: a currency ("leva", "lei"): an amount of money, read as the built-in
    /// currencies are (a predicate's `money` entry says what is said of it).
    pub currency: bool,
    /// Predicates: an amount given (pledged, allocated, paid as compensation): two voices
    /// giving different amounts are two gifts, not rival counts of one.
    pub gift: bool,
    patterns: Vec<Pattern>,
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    id: String,
    #[serde(default)]
    thing: Option<String>,
    #[serde(default)]
    state: bool,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    same_things: Vec<String>,
    #[serde(default)]
    same_predicates: SamePredicates,
    #[serde(default)]
    money: Option<String>,
    #[serde(default)]
    currency: bool,
    #[serde(default)]
    gift: bool,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    fr: Vec<String>,
    #[serde(default)]
    ru: Vec<String>,
}

/// `same_predicates`: one group (a list of ids) or several (a list of lists).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SamePredicates {
    One(Vec<String>),
    Many(Vec<Vec<String>>),
}

impl Default for SamePredicates {
    fn default() -> Self {
        SamePredicates::One(Vec::new())
    }
}

impl SamePredicates {
    fn groups(self) -> Vec<Vec<String>> {
        match self {
            SamePredicates::One(g) if g.is_empty() => Vec::new(),
            SamePredicates::One(g) => vec![g],
            SamePredicates::Many(gs) => gs.into_iter().filter(|g| !g.is_empty()).collect(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawMarkers {
    #[serde(default)]
    current: RawLangs,
    #[serde(default)]
    duration: RawLangs,
    #[serde(default)]
    measured_time: RawLangs,
    #[serde(default)]
    rival: RawLangs,
    #[serde(default)]
    rival_before: RawLangs,
    #[serde(default)]
    other_voice: RawLangs,
    #[serde(default)]
    other_voice_before: RawLangs,
    #[serde(default)]
    earlier: RawLangs,
    #[serde(default)]
    only_before: RawLangs,
    #[serde(default)]
    context: RawLangs,
    #[serde(default)]
    yardstick: RawLangs,
    #[serde(default)]
    size_before: RawLangs,
    #[serde(default)]
    dimension_before: RawLangs,
    #[serde(default)]
    dimension_after: RawLangs,
    #[serde(default)]
    part: RawLangs,
    #[serde(default)]
    part_after: RawLangs,
    #[serde(default)]
    figure_named: RawLangs,
    #[serde(default)]
    changed_to: RawLangs,
}

#[derive(Debug, Default, Deserialize)]
struct RawLangs {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    fr: Vec<String>,
    #[serde(default)]
    ru: Vec<String>,
}

impl RawLangs {
    fn patterns(&self) -> Vec<Pattern> {
        self.en
            .iter()
            .chain(&self.fr)
            .chain(&self.ru)
            .filter_map(|s| Pattern::parse(s))
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct RawLexicon {
    #[serde(default)]
    predicate: Vec<RawEntry>,
    #[serde(default)]
    thing: Vec<RawEntry>,
    #[serde(default)]
    unit: Vec<RawEntry>,
    #[serde(default)]
    time_unit: Vec<RawEntry>,
    #[serde(default)]
    markers: RawMarkers,
    #[serde(default)]
    groups: super::groups::RawGroups,
}

impl From<RawEntry> for Entry {
    fn from(r: RawEntry) -> Entry {
        let patterns =
            r.en.iter()
                .chain(&r.fr)
                .chain(&r.ru)
                .filter_map(|s| Pattern::parse(s))
                .collect();
        Entry {
            id: r.id,
            thing: r.thing,
            state: r.state,
            unit: r.unit,
            same_things: r.same_things,
            same_predicates: r.same_predicates.groups(),
            money: r.money,
            currency: r.currency,
            gift: r.gift,
            patterns,
        }
    }
}

/// How firmly a sentence sets its figure against another (`Lexicon::rival_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rival {
    /// The text says the figures disagree.
    Firm,
    /// The text only says another voice speaks: a rival unless the figure is said to be
    /// the current one.
    Voice,
}

/// How many words before a figure an `only_before` word may stand ("only about 600",
/// "лишь около 600 рабочих мест").
const ONLY_REACH: usize = 3;

/// The whole lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub predicates: Vec<Entry>,
    pub things: Vec<Entry>,
    pub units: Vec<Entry>,
    /// Units of time ("weeks", "mois", "лет"): a duration is a claim only when
    /// `measured_time` words say it is the quantity measured.
    pub time_units: Vec<Entry>,
    current: Vec<Pattern>,
    duration: Vec<Pattern>,
    measured_time: Vec<Pattern>,
    rival: Vec<Pattern>,
    rival_before: Vec<Pattern>,
    other_voice: Vec<Pattern>,
    other_voice_before: Vec<Pattern>,
    earlier: Vec<Pattern>,
    only_before: Vec<Pattern>,
    context: Vec<Pattern>,
    yardstick: Vec<Pattern>,
    size_before: Vec<Pattern>,
    dimension_before: Vec<Pattern>,
    dimension_after: Vec<Pattern>,
    part: Vec<Pattern>,
    part_after: Vec<Pattern>,
    figure_named: Vec<Pattern>,
    changed_to: Vec<Pattern>,
    /// The group reader's words (`[groups]`).
    pub groups: super::groups::Groups,
}

/// A lexicon entry found in a sentence: which one, and the token range of its words.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'l> {
    pub entry: &'l Entry,
    pub start: usize,
    pub end: usize,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, toml::de::Error> {
        let raw: RawLexicon = toml::from_str(text)?;
        Ok(Lexicon {
            predicates: raw.predicate.into_iter().map(Entry::from).collect(),
            things: raw.thing.into_iter().map(Entry::from).collect(),
            units: raw.unit.into_iter().map(Entry::from).collect(),
            time_units: raw.time_unit.into_iter().map(Entry::from).collect(),
            current: raw.markers.current.patterns(),
            duration: raw.markers.duration.patterns(),
            measured_time: raw.markers.measured_time.patterns(),
            rival: raw.markers.rival.patterns(),
            rival_before: raw.markers.rival_before.patterns(),
            other_voice: raw.markers.other_voice.patterns(),
            other_voice_before: raw.markers.other_voice_before.patterns(),
            earlier: raw.markers.earlier.patterns(),
            only_before: raw.markers.only_before.patterns(),
            context: raw.markers.context.patterns(),
            yardstick: raw.markers.yardstick.patterns(),
            size_before: raw.markers.size_before.patterns(),
            dimension_before: raw.markers.dimension_before.patterns(),
            dimension_after: raw.markers.dimension_after.patterns(),
            part: raw.markers.part.patterns(),
            part_after: raw.markers.part_after.patterns(),
            figure_named: raw.markers.figure_named.patterns(),
            changed_to: raw.markers.changed_to.patterns(),
            groups: raw.groups.into(),
        })
    }

    pub fn predicate(&self, id: &str) -> Option<&Entry> {
        self.predicates.iter().find(|e| e.id == id)
    }

    pub fn thing(&self, id: &str) -> Option<&Entry> {
        self.things.iter().find(|e| e.id == id)
    }

    /// The longest entry of `entries` matching at token `i`.
    fn entry_at<'l>(entries: &'l [Entry], words: &[Option<&str>], i: usize) -> Option<Hit<'l>> {
        let mut best: Option<Hit<'l>> = None;
        for e in entries {
            for p in &e.patterns {
                if let Some(n) = p.match_at(words, i) {
                    if best.is_none_or(|b| n > b.end - b.start) {
                        best = Some(Hit {
                            entry: e,
                            start: i,
                            end: i + n,
                        });
                    }
                }
            }
        }
        best
    }

    pub fn predicate_at(&self, words: &[Option<&str>], i: usize) -> Option<Hit<'_>> {
        Self::entry_at(&self.predicates, words, i)
    }

    pub fn thing_at(&self, words: &[Option<&str>], i: usize) -> Option<Hit<'_>> {
        Self::entry_at(&self.things, words, i)
    }

    pub fn unit_at(&self, words: &[Option<&str>], i: usize) -> Option<Hit<'_>> {
        Self::entry_at(&self.units, words, i)
    }

    pub fn time_unit_at(&self, words: &[Option<&str>], i: usize) -> Option<Hit<'_>> {
        Self::entry_at(&self.time_units, words, i)
    }

    /// Whether words `from..to` make a duration the quantity measured ("the median wait
    /// … 41 weeks", "six ans de prison", "запасов хватит на 66 дней").
    pub fn measures_time(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| Self::any_at(&self.measured_time, words, i).is_some())
    }

    fn any_at(patterns: &[Pattern], words: &[Option<&str>], i: usize) -> Option<usize> {
        patterns.iter().filter_map(|p| p.match_at(words, i)).max()
    }

    /// Whether words `from..to` hold a marker of a current figure ("so far", "désormais").
    pub fn says_current(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| Self::any_at(&self.current, words, i).is_some())
    }

    /// Whether the figure whose first token is `at` is the level a change brought its
    /// quantity to: "to" / "à" / "до" just before it (an approximation word between them
    /// allowed) and a verb of change (`changed_to`) at most six words before that ("cut
    /// its pay demand to 6%", "a relevé son estimation à 2 000", "увеличило помощь
    /// хозяйствам до 140 млн").
    pub fn says_changed_to(&self, words: &[Option<&str>], at: usize) -> bool {
        let to = (1..=2)
            .filter_map(|d| at.checked_sub(d))
            .take_while(|&k| words.get(k).copied().flatten().is_some())
            .find(|&k| matches!(words[k], Some("to" | "à" | "до")));
        let Some(to) = to else {
            return false;
        };
        // Words only between the verb and "to": a comma ends the clause.
        let from = (to.saturating_sub(6)..to)
            .rev()
            .take_while(|&k| words[k].is_some())
            .last()
            .unwrap_or(to);
        (from..to).any(|i| Self::any_at(&self.changed_to, words, i).is_some())
    }

    /// Whether one word is a verb or noun of change (`changed_to`: "выросло", "снижение").
    pub fn change_word(&self, w: &str) -> bool {
        Self::any_at(&self.changed_to, &[Some(w)], 0).is_some()
    }

    /// Whether a marker that sets what follows it against another figure ("the union
    /// insisted that…", "parle plutôt de", "впрочем") stands in words `from..to`.
    pub fn says_rival_before(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| {
            Self::any_at(&self.rival_before, words, i).is_some()
                || Self::any_at(&self.other_voice_before, words, i).is_some()
        })
    }

    /// How a sentence sets the figure at token `at` against another: `Firm` when it says
    /// the two disagree ("well above the ministry's", "et non", "заниж*"), `Voice` when it
    /// only says another voice speaks ("for its part", "de son côté", "однако", "the
    /// union insisted that…" before the figure).
    pub fn rival_at(&self, words: &[Option<&str>], at: usize) -> Option<Rival> {
        let any = |list: &[Pattern], to: usize| {
            (0..to.min(words.len())).any(|i| Self::any_at(list, words, i).is_some())
        };
        if any(&self.rival, words.len()) || any(&self.rival_before, at) {
            Some(Rival::Firm)
        } else if any(&self.other_voice, words.len()) || any(&self.other_voice_before, at) {
            Some(Rival::Voice)
        } else {
            None
        }
    }

    /// Whether the sentence names an earlier moment or an earlier figure of its own
    /// ("its earlier estimate", "il y a dix jours", "накануне"): a figure it sets against
    /// that one and calls current is a later value, not a rival's.
    pub fn says_earlier(&self, words: &[Option<&str>]) -> bool {
        (0..words.len()).any(|i| Self::any_at(&self.earlier, words, i).is_some())
    }

    /// Whether the few words before the figure at `at` play it down ("only 39", "seules
    /// 24 000", "лишь 600"): with a count, another voice's smaller figure.
    pub fn says_only_before(&self, words: &[Option<&str>], at: usize) -> bool {
        (at.saturating_sub(ONLY_REACH)..at.min(words.len()))
            .any(|i| Self::any_at(&self.only_before, words, i).is_some())
    }

    /// Whether words `from..to` describe a place rather than the event ("a city of …",
    /// "qui compte … habitants", "с населением").
    pub fn says_context(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| Self::any_at(&self.context, words, i).is_some())
    }

    /// Whether a clause (`from..to`) calls its figure a part of a larger one by saying
    /// where it stands alone ("In Montreal alone", "sur le seul port du Havre").
    pub fn says_part(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| Self::any_at(&self.part, words, i).is_some())
    }

    /// Whether words `from..to` call the figure after them a figure of what was counted
    /// before ("put the number at 90", "avance un chiffre plus prudent", "называют цифру").
    pub fn names_figure(&self, words: &[Option<&str>], from: usize, to: usize) -> bool {
        (from..to.min(words.len())).any(|i| Self::any_at(&self.figure_named, words, i).is_some())
    }

    /// Whether the clause (`from..to`) opens with a word that makes its figure a part of
    /// the figure before ("…, dont 12 000", "…, among them 650"), or one follows the
    /// figure ending before token `next` ("трое из них", "11,000 of them").
    pub fn part_after(&self, words: &[Option<&str>], from: usize, to: usize, next: usize) -> bool {
        [from, next, next + 1]
            .into_iter()
            .filter(|&i| i < to.min(words.len()))
            .any(|i| Self::any_at(&self.part_after, words, i).is_some())
    }

    /// Whether a yardstick pattern ends right before token `at` ("double the | 1,000").
    pub fn yardstick_before(&self, words: &[Option<&str>], at: usize) -> bool {
        Self::ends_before(&self.yardstick, words, at)
    }

    /// Where the longest yardstick ending right before token `at` starts ("contre | 650").
    pub fn yardstick_start(&self, words: &[Option<&str>], at: usize) -> Option<usize> {
        self.yardstick
            .iter()
            .filter_map(|p| {
                let i = at.checked_sub(p.len())?;
                p.match_at(words, i).map(|_| i)
            })
            .min()
    }

    /// Whether a pattern giving the size of something ends right before token `at`
    /// ("qui emploie | environ 35 000").
    pub fn size_before(&self, words: &[Option<&str>], at: usize) -> bool {
        Self::ends_before(&self.size_before, words, at)
    }

    /// Whether a measurement at token `at` (the figure's first token) with its unit
    /// ending before `after` gives the size of a thing or a distance to a place ("long de
    /// 140 mètres", "48 metres high", "150 nautical miles south-west of", "в 2 км ниже
    /// по течению"), not a figure of the event.
    pub fn dimension(&self, words: &[Option<&str>], at: usize, after: usize) -> bool {
        Self::ends_before(&self.dimension_before, words, at)
            || Self::any_at(&self.dimension_after, words, after).is_some()
    }

    fn ends_before(patterns: &[Pattern], words: &[Option<&str>], at: usize) -> bool {
        patterns.iter().any(|p| {
            at.checked_sub(p.len())
                .and_then(|i| p.match_at(words, i))
                .is_some()
        })
    }

    /// Whether the words at `i` make the figure before them a duration or a time.
    pub fn duration_at(&self, words: &[Option<&str>], i: usize) -> bool {
        Self::any_at(&self.duration, words, i).is_some()
    }
}

/// The words of a token list, None for numbers and symbols; French elided articles and
/// pronouns are dropped ("l'évacuation" is matched as "évacuation").
pub fn words_of(toks: &[Tok]) -> Vec<Option<&str>> {
    toks.iter().map(|t| t.word().map(strip_elision)).collect()
}

/// A French word without its elided article or pronoun ("l'évacuation" → "évacuation").
pub(super) fn strip_elision(w: &str) -> &str {
    ["l'", "d'", "qu'", "n'", "s'", "j'", "c'", "m'"]
        .iter()
        .find_map(|p| w.strip_prefix(p).filter(|rest| !rest.is_empty()))
        .unwrap_or(w)
}

static LEXICON: OnceLock<Lexicon> = OnceLock::new();

/// Puts `lex` in force instead of the embedded lexicon (`claims.lexicon`). Only before
/// the first claim is read: false when a lexicon is already in use.
pub fn install(lex: Lexicon) -> bool {
    LEXICON.set(lex).is_ok()
}

/// The lexicon in force: the configured one, else the embedded one.
pub fn lexicon() -> &'static Lexicon {
    LEXICON.get_or_init(|| {
        // The embedded file is tested to parse (see the tests below), so the fallback to
        // an empty lexicon is never taken in a released binary.
        Lexicon::parse(DEFAULT_LEXICON).unwrap_or_else(|_| Lexicon {
            predicates: Vec::new(),
            things: Vec::new(),
            units: Vec::new(),
            time_units: Vec::new(),
            current: Vec::new(),
            duration: Vec::new(),
            measured_time: Vec::new(),
            rival: Vec::new(),
            rival_before: Vec::new(),
            other_voice: Vec::new(),
            other_voice_before: Vec::new(),
            earlier: Vec::new(),
            only_before: Vec::new(),
            context: Vec::new(),
            yardstick: Vec::new(),
            size_before: Vec::new(),
            dimension_before: Vec::new(),
            dimension_after: Vec::new(),
            part: Vec::new(),
            part_after: Vec::new(),
            figure_named: Vec::new(),
            changed_to: Vec::new(),
            groups: Default::default(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::claims::numbers::{tokenize, Lang};

    #[test]
    fn the_embedded_lexicon_parses_and_every_entry_has_words() {
        let lex = Lexicon::parse(DEFAULT_LEXICON).expect("config/lexicon.toml parses");
        assert!(lex.predicates.len() >= 20 && lex.things.len() >= 20);
        for e in lex.predicates.iter().chain(&lex.things).chain(&lex.units) {
            assert!(!e.patterns.is_empty(), "{} has no words", e.id);
        }
        for e in &lex.predicates {
            if let Some(t) = &e.thing {
                let known = lex.thing(t).is_some() || lex.predicates.iter().any(|p| p.id == *t);
                assert!(known, "{}: unknown thing {t}", e.id);
            }
        }
        for e in &lex.things {
            for id in e.same_predicates.iter().flatten() {
                assert!(
                    lex.predicate(id).is_some(),
                    "{}: unknown predicate {id}",
                    e.id
                );
            }
        }
    }

    #[test]
    fn a_word_two_prefixes_claim_goes_to_the_entry_written_first() {
        // Ties go to the first entry in the file: these entries stand before the one whose
        // shorter prefix also begins the word ("птиц*", "животн*", "сел*", "fire*",
        // "school*", "протест*").
        let lex = lexicon();
        for (text, lang, id) in [
            ("птицефабриках", Lang::Ru, "farms"),
            ("животноводов", Lang::Ru, "farmers"),
            ("сельхозугодий", Lang::Ru, "crops"),
            ("firearms", Lang::En, "weapons"),
            ("schoolchildren", Lang::En, "children"),
        ] {
            let toks = tokenize(text, lang);
            let words = words_of(&toks);
            assert_eq!(
                lex.thing_at(&words, 0).map(|h| h.entry.id.as_str()),
                Some(id),
                "{text}"
            );
        }
        let toks = tokenize("протестировано", Lang::Ru);
        let words = words_of(&toks);
        assert_eq!(
            lex.predicate_at(&words, 0).map(|h| h.entry.id.as_str()),
            Some("tested")
        );
    }

    #[test]
    fn words_match_across_languages_and_inflections() {
        let lex = lexicon();
        for (text, lang, id) in [
            ("were killed", Lang::En, "killed"),
            ("ont trouvé la mort", Lang::Fr, "killed"),
            ("погибли", Lang::Ru, "killed"),
            ("have been evacuated", Lang::En, "evacuated"),
            ("эвакуированы", Lang::Ru, "evacuated"),
            ("sans électricité", Lang::Fr, "without_power"),
        ] {
            let toks = tokenize(text, lang);
            let words = words_of(&toks);
            let found = (0..words.len()).find_map(|i| lex.predicate_at(&words, i));
            assert_eq!(found.map(|h| h.entry.id.as_str()), Some(id), "{text}");
        }
        let toks = tokenize("soldats", Lang::Fr);
        let words = words_of(&toks);
        assert_eq!(
            lex.thing_at(&words, 0).map(|h| h.entry.id.as_str()),
            Some("troops")
        );
    }

    /// A figure a change brought the quantity to is current; a figure after "to" with no
    /// verb of change, or with a comma between, is not.
    #[test]
    fn a_level_a_change_brought_the_quantity_to() {
        let lex = lexicon();
        for (text, lang, figure, current) in [
            (
                "The union has cut its pay demand to 6%",
                Lang::En,
                "6",
                true,
            ),
            (
                "They raised the ration to about 30 litres",
                Lang::En,
                "30",
                true,
            ),
            (
                "La préfecture a relevé son estimation à 2 000 sinistrés",
                Lang::Fr,
                "2",
                true,
            ),
            (
                "Правительство увеличило помощь хозяйствам до 140 млн евро",
                Lang::Ru,
                "140",
                true,
            ),
            (
                "The army sent 300 soldiers to 12 towns",
                Lang::En,
                "12",
                false,
            ),
            ("Prices were cut, to 40 euros", Lang::En, "40", false),
            ("Ils se rendent à 12 kilomètres", Lang::Fr, "12", false),
        ] {
            let toks = tokenize(text, lang);
            let words = words_of(&toks);
            let at = toks
                .iter()
                .position(|t| text[t.start..t.end].starts_with(figure))
                .expect("figure");
            // The approximation word before the figure is the figure's first token.
            let at = if at > 0 && words[at - 1] == Some("about") {
                at - 1
            } else {
                at
            };
            assert_eq!(lex.says_changed_to(&words, at), current, "{text}");
        }
    }
}
