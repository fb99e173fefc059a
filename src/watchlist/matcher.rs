//! Phrases (aliases, context words, exclusions) compiled into one Aho-Corasick automaton
//! over normalised text, with whole-word checks and inflected forms.
//!
//! Each phrase becomes a sequence of words, and each word a rule: exact (short words,
//! acronyms, numbers), a closed list of forms (Latin script: plural `-s`/`-es`, `-y` →
//! `-ies`, French `-al` → `-aux`, `-eu`/`-eau` + `x`), or a stem plus a Russian case
//! ending. The automaton is searched for the literal start of each phrase (its exact words
//! and the stem or common prefix of its first inflected word); every hit that starts on a
//! word boundary is then verified word by word. The search reports overlapping hits, so a
//! hit inside a longer word (`un` in `fun`) never hides a real match that starts after it;
//! overlaps between verified matches are resolved afterwards, leftmost-longest.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::translit::is_cyrillic;
use crate::transforms::normalize::{
    is_word_char, normalize_phrase, without_group_separators, Normalized,
};

/// Russian noun and adjective case endings (after the stem; `ё` already folded to `е`).
const RU_ENDINGS: &[&str] = &[
    "", "а", "я", "о", "е", "и", "ы", "у", "ю", "ь", "й", "ой", "ей", "ий", "ый", "ая", "яя", "ое",
    "ее", "ые", "ие", "ую", "юю", "ою", "ею", "ью", "ого", "его", "ому", "ему", "ом", "ем", "ам",
    "ям", "ах", "ях", "ов", "ев", "ым", "им", "ых", "их", "ами", "ями", "ыми", "ими", "ия", "ии",
    "ию", "ией", "ием", "иям", "иями", "иях", "ья", "ьи", "ье", "ьем", "ьей", "ьям", "ьями", "ьях",
];
/// Two-letter nominative adjective endings, stripped to find an adjective's stem.
const RU_ADJ_NOMINATIVE: &[&str] = &["ая", "яя", "ый", "ий", "ой", "ое", "ее", "ые", "ие"];
/// One-letter nominative noun endings, stripped to find a noun's stem.
const RU_NOUN_NOMINATIVE: &[char] = &['а', 'я', 'о', 'е', 'ы', 'и', 'у', 'ю', 'ь', 'й'];
/// Endings Russian writes after a hyphen on an acronym or a foreign word (`ООН-а`).
const RU_HYPHEN_ENDINGS: &[&str] = &["а", "у", "е", "ом", "ой", "ы", "ов", "ам", "ами", "ах"];
/// Words shorter than this (in characters) only match exactly.
pub const MIN_INFLECTED_LEN: usize = 4;

#[derive(Debug, Clone, PartialEq)]
enum Rule {
    Exact,
    /// Latin script: the word matches exactly one of these forms.
    Forms(Vec<String>),
    /// Cyrillic script: the stem, then any Russian case ending.
    RussianStem(String),
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// Letters and digits only: the text word is the whole alphanumeric run.
    alnum: bool,
    rule: Rule,
}

impl Word {
    /// The literal text every accepted form starts with.
    fn prefix(&self) -> &str {
        match &self.rule {
            Rule::Exact => &self.text,
            Rule::RussianStem(stem) => stem,
            Rule::Forms(forms) => common_prefix(forms),
        }
    }

    fn accepts(&self, found: &str) -> bool {
        match &self.rule {
            Rule::Exact => found == self.text,
            Rule::Forms(forms) => forms.iter().any(|f| f == found),
            Rule::RussianStem(stem) => found
                .strip_prefix(stem.as_str())
                .is_some_and(|rest| RU_ENDINGS.contains(&rest)),
        }
    }

    fn is_cyrillic(&self) -> bool {
        self.text.chars().any(is_cyrillic)
    }
}

fn common_prefix(forms: &[String]) -> &str {
    let Some(first) = forms.first() else {
        return "";
    };
    let mut len = first.len();
    for f in &forms[1..] {
        len = first
            .char_indices()
            .zip(f.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    &first[..len]
}

/// A compiled phrase: its words in order.
#[derive(Debug, Clone)]
pub struct Phrase {
    words: Vec<Word>,
}

impl Phrase {
    /// Compile `written` (as the user wrote it). `inflect = false` makes every word exact.
    /// None when nothing is left after normalisation.
    pub fn compile(written: &str, inflect: bool) -> Option<Phrase> {
        let mut words = Vec::new();
        // "1 000 sappers" is one number, as the text's "1,000 sappers" will be.
        let written = without_group_separators(written);
        let written = written.as_str();
        for token in written.split(|c: char| c.is_whitespace() || c == '-' || c == '‑') {
            let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
            // WRITTEN IN CAPITALS (NIS, KCNA, ООН) means an acronym: never inflected.
            let acronym = letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase());
            for w in normalize_phrase(token).split(' ').filter(|w| !w.is_empty()) {
                words.push(compile_word(w, inflect && !acronym));
            }
        }
        // Russian declines the last part of a name however short it is (Ким Чен Ына).
        if let [_, .., last] = words.as_mut_slice() {
            let n = last.text.chars().count();
            if inflect
                && last.rule == Rule::Exact
                && (2..MIN_INFLECTED_LEN).contains(&n)
                && last.text.chars().all(is_cyrillic)
                && !written_last_is_acronym(written)
            {
                last.rule = Rule::RussianStem(last.text.clone());
            }
        }
        if words.is_empty() {
            None
        } else {
            Some(Phrase { words })
        }
    }

    /// The literal start searched for in the automaton: the leading exact words, then the
    /// prefix of the first inflected word.
    fn pattern(&self) -> String {
        let mut p = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                p.push(' ');
            }
            p.push_str(w.prefix());
            if w.rule != Rule::Exact {
                break;
            }
        }
        p
    }

    /// Whether the phrase occurs at normalised byte `start`; its end if so.
    fn verify(&self, norm: &Normalized, original: &str, start: usize) -> Option<usize> {
        let text = norm.text.as_str();
        let mut pos = start;
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                pos = pos + text.get(pos..)?.strip_prefix(' ').map(|_| 1)?;
            }
            let rest = text.get(pos..)?;
            if w.alnum {
                let len = alnum_run(rest);
                if len == 0 || !w.accepts(&rest[..len]) {
                    return None;
                }
                pos += len;
            } else {
                if !rest.starts_with(w.text.as_str()) {
                    return None;
                }
                pos += w.text.len();
                if w.text.chars().last().is_some_and(is_word_char)
                    && text[pos..].chars().next().is_some_and(is_word_char)
                {
                    return None;
                }
            }
        }
        let last = self.words.last()?;
        Some(pos + suffix_after(text, pos, last, norm, original))
    }
}

/// Bytes of a possessive (`'s`) or a hyphenated Russian case ending (`КНДР-а`) after `pos`,
/// which belong to the form found.
fn suffix_after(text: &str, pos: usize, last: &Word, norm: &Normalized, original: &str) -> usize {
    let rest = &text[pos..];
    if !last.is_cyrillic() {
        if let Some(after) = rest.strip_prefix("'s") {
            if !after.chars().next().is_some_and(is_word_char) {
                return 2;
            }
        }
        return 0;
    }
    if let Some(after) = rest.strip_prefix(' ') {
        let len = alnum_run(after);
        let was_hyphen = norm
            .original_start(pos)
            .and_then(|o| original.get(o..))
            .and_then(|s| s.chars().next())
            .is_some_and(|c| c == '-' || c == '‐' || c == '‑');
        if was_hyphen && len > 0 && RU_HYPHEN_ENDINGS.contains(&&after[..len]) {
            return 1 + len;
        }
    }
    0
}

fn written_last_is_acronym(written: &str) -> bool {
    let last = written
        .split(|c: char| c.is_whitespace() || c == '-')
        .rfind(|t| !t.is_empty())
        .unwrap_or("");
    let letters: Vec<char> = last.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

fn alnum_run(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(s.len(), |(i, _)| i)
}

fn compile_word(w: &str, inflect: bool) -> Word {
    let alnum = w.chars().all(char::is_alphanumeric);
    let letters_only = w.chars().all(char::is_alphabetic);
    let exact = Word {
        text: w.to_string(),
        alnum,
        rule: Rule::Exact,
    };
    if !inflect || !letters_only || w.chars().count() < MIN_INFLECTED_LEN {
        return exact;
    }
    if w.chars().all(is_cyrillic) {
        return Word {
            rule: Rule::RussianStem(russian_stem(w)),
            ..exact
        };
    }
    if w.chars().all(|c| c.is_ascii_alphabetic()) {
        return Word {
            rule: Rule::Forms(latin_forms(w)),
            ..exact
        };
    }
    exact
}

/// The stem of a Russian word in the nominative: a two-letter adjective ending or a
/// one-letter noun ending removed, keeping at least three letters. Surnames in -ов/-ев/-ин
/// keep their suffix (Лавров → Лаврова, never лавра).
fn russian_stem(w: &str) -> String {
    let n = w.chars().count();
    if n >= 5 {
        if let Some(end) = RU_ADJ_NOMINATIVE.iter().find(|e| w.ends_with(*e)) {
            return w[..w.len() - end.len()].to_string();
        }
    }
    if let Some(last) = w.chars().last() {
        if n >= 4 && RU_NOUN_NOMINATIVE.contains(&last) {
            return w[..w.len() - last.len_utf8()].to_string();
        }
    }
    w.to_string()
}

/// English and French plural forms of a Latin-script word.
fn latin_forms(w: &str) -> Vec<String> {
    let mut forms = vec![w.to_string(), format!("{w}s"), format!("{w}es")];
    if let Some(base) = w.strip_suffix('y') {
        if !base.ends_with(['a', 'e', 'i', 'o', 'u']) {
            forms.push(format!("{base}ies"));
        }
    }
    if let Some(base) = w.strip_suffix("al") {
        forms.push(format!("{base}aux"));
    }
    if w.ends_with("eu") || w.ends_with("au") {
        forms.push(format!("{w}x"));
    }
    forms
}

/// What a phrase stands for: an entity's alias, one of its context words, or an exclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Alias,
    Near,
    Exclude,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub list: usize,
    pub entity: usize,
    pub role: Role,
    /// The alias or term as written in the watchlist (the source of a transliteration).
    pub written: String,
    /// True when this phrase is a generated transliteration of `written`.
    pub transliterated: bool,
}

#[derive(Debug, Clone)]
struct Candidate {
    phrase: Phrase,
    target: Target,
}

/// A verified occurrence, in normalised byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub candidate: usize,
    pub start: usize,
    pub end: usize,
}

/// The candidates that share one automaton pattern, indexed so that a hit costs the same
/// however many aliases start alike: 100,000 names such as "Ivan Petrov", "Ivan Sidorov"…
/// all share the pattern `ivan` (an inflected first word ends the literal), and verifying
/// each of them at every "Ivan" of a text would make matching time grow with the list.
#[derive(Debug, Clone, Default)]
struct Group {
    /// Phrases that end with the pattern's last word: verified one by one (few: they differ
    /// only in that word's forms).
    direct: Vec<usize>,
    /// Phrases with a word after the pattern's last word, by that word's literal prefix.
    by_next: std::collections::HashMap<String, Vec<usize>>,
    /// How many spaces the pattern has: the next word is the text's token after as many
    /// spaces plus one, counted from the hit.
    spaces: usize,
    /// The longest key of `by_next`, in bytes: the prefixes looked up never exceed it.
    longest_key: usize,
}

impl Group {
    /// The candidates worth verifying at `start` of `text`.
    fn candidates<'g>(&'g self, text: &str, start: usize) -> impl Iterator<Item = usize> + 'g {
        let mut next: Vec<&'g [usize]> = Vec::new();
        if !self.by_next.is_empty() {
            if let Some(token) = nth_token(text, start, self.spaces + 1) {
                // Every key is a literal prefix of the word it stands for, so the keys that
                // can match are prefixes of the text's token: at most a word's length of
                // look-ups, whatever the number of phrases.
                let limit = token.len().min(self.longest_key);
                for (i, c) in token.char_indices() {
                    let end = i + c.len_utf8();
                    if end > limit {
                        break;
                    }
                    if let Some(v) = self.by_next.get(&token[..end]) {
                        next.push(v);
                    }
                }
            }
        }
        self.direct
            .iter()
            .copied()
            .chain(next.into_iter().flatten().copied())
    }
}

/// The `n`-th space-separated token after `start` (0 is the one at `start`).
fn nth_token(text: &str, start: usize, n: usize) -> Option<&str> {
    let mut rest = text.get(start..)?;
    for _ in 0..n {
        let sp = rest.find(' ')?;
        rest = &rest[sp + 1..];
    }
    Some(rest.split(' ').next().unwrap_or(rest))
}

/// Every phrase of every watchlist in one automaton.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Automaton pattern id → the candidates that start with that literal.
    by_pattern: Vec<Group>,
    candidates: Vec<Candidate>,
}

/// Collects phrases, then builds the automaton once.
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    patterns: Vec<String>,
    by_pattern: Vec<Group>,
    index: std::collections::HashMap<String, usize>,
    candidates: Vec<Candidate>,
}

impl MatcherBuilder {
    pub fn add(&mut self, phrase: Phrase, target: Target) {
        let pattern = phrase.pattern();
        let spaces = pattern.matches(' ').count();
        let id = *self.index.entry(pattern.clone()).or_insert_with(|| {
            self.patterns.push(pattern);
            self.by_pattern.push(Group {
                spaces,
                ..Group::default()
            });
            self.by_pattern.len() - 1
        });
        let cand = self.candidates.len();
        let group = &mut self.by_pattern[id];
        match phrase.words.get(spaces + 1) {
            Some(next) => {
                let key = next.prefix().to_string();
                group.longest_key = group.longest_key.max(key.len());
                group.by_next.entry(key).or_default().push(cand);
            }
            None => group.direct.push(cand),
        }
        self.candidates.push(Candidate { phrase, target });
    }

    pub fn build(self) -> Result<Matcher, aho_corasick::BuildError> {
        let ac = if self.patterns.is_empty() {
            None
        } else {
            // Standard semantics: overlapping search needs it (see the module doc).
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&self.patterns)?,
            )
        };
        Ok(Matcher {
            ac,
            by_pattern: self.by_pattern,
            candidates: self.candidates,
        })
    }
}

impl Matcher {
    pub fn target(&self, candidate: usize) -> Option<&Target> {
        self.candidates.get(candidate).map(|c| &c.target)
    }

    /// Every verified occurrence of every phrase, overlapping ones included.
    pub fn hits(&self, norm: &Normalized, original: &str) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let text = norm.text.as_str();
        let mut hits = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let start = m.start();
            if text[..start].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            let Some(group) = self.by_pattern.get(m.pattern().as_usize()) else {
                continue;
            };
            for candidate in group.candidates(text, start) {
                if let Some(end) = self.candidates[candidate]
                    .phrase
                    .verify(norm, original, start)
                {
                    hits.push(Hit {
                        candidate,
                        start,
                        end,
                    });
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::normalize::normalize;

    fn finds(alias: &str, text: &str) -> Option<String> {
        let mut b = MatcherBuilder::default();
        let target = Target {
            list: 0,
            entity: 0,
            role: Role::Alias,
            written: alias.to_string(),
            transliterated: false,
        };
        b.add(Phrase::compile(alias, true)?, target);
        let m = b.build().ok()?;
        let norm = normalize(text);
        let hit = m.hits(&norm, text).into_iter().next()?;
        let (s, e) = norm.original_range(hit.start, hit.end);
        Some(text[s..e].to_string())
    }

    #[test]
    fn stems_and_forms() {
        assert_eq!(russian_stem("курская"), "курск");
        assert_eq!(russian_stem("лавров"), "лавров");
        assert_eq!(russian_stem("корея"), "коре");
        assert_eq!(russian_stem("сергей"), "серге");
        assert_eq!(russian_stem("юрий"), "юри");
        assert!(latin_forms("army").contains(&"armies".to_string()));
        assert!(latin_forms("general").contains(&"generaux".to_string()));
    }

    #[test]
    fn inflected_and_exact_forms() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("Курск", "в Курске", Some("Курске")),
            (
                "Курская область",
                "Курской  области",
                Some("Курской  области"),
            ),
            ("сапёр", "саперами", Some("саперами")),
            ("sapper", "two sapphires", None),
            ("sapper", "Sappers", Some("Sappers")),
            ("Shoigu", "Shoigu’s visit", Some("Shoigu’s")),
            ("ООН", "в ООН-е", Some("ООН-е")),
            ("ООН", "ООНовский", None),
            ("Resolution 2397", "resolution 23970", None),
            (
                "Resolution 2397",
                "Resolutions 2397",
                Some("Resolutions 2397"),
            ),
            ("ONU", "l’ONU", Some("ONU")),
            ("Putin", "Putinism", None),
            ("NIS", "NISs", None),
            ("Ким Чен Ын", "с Ким Чен Ыном", Some("Ким Чен Ыном")),
            ("Ким Чен Ын", "Ким Чен Ынчхоль", None),
            ("Ким", "Кима", None),
            // Thousands separators: the same number however it is typeset.
            ("1 000 sappers", "sent 1,000 sappers", Some("1,000 sappers")),
            (
                "1,000 sappers",
                "envoie 1 000 sapeurs et 1 000 sappers",
                Some("1 000 sappers"),
            ),
            ("1 000 sappers", "sent 1,0000 sappers", None),
        ];
        for (alias, text, want) in cases {
            assert_eq!(
                finds(alias, text).as_deref(),
                *want,
                "alias {alias:?} in {text:?}"
            );
        }
    }
}
