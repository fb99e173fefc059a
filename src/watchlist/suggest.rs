//! Watchlist suggestions from a corpus (`newswatch seed DIR --suggest`): the people,
//! places, organisations, units and documents the texts name, with counts, as a TOML
//! draft for the user to edit. Pure: texts in, suggestions out.
//!
//! A name is a run of capitalised words (with `of`, `de`, `du`… inside: "Institute for the
//! Study of War", "Corée du Nord"), an acronym (KCNA, ООН), or a document word followed by
//! a number ("Resolution 2397", "резолюции 2397"). Runs are cut at punctuation and line
//! ends, stripped of leading function words ("The Kremlin" → "Kremlin"), and split after a
//! title ("Security Council Secretary Sergey Shoigu" → the title and the person). A single
//! word seen only at the start of sentences is not a name. Forms of one name are grouped:
//! Russian case endings, a surname with the full names that end with it, Cyrillic and
//! Latin spellings that transliterate into each other, and every document with the same
//! number.
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use super::translit::{self, is_cyrillic};
use super::WatchSet;
use crate::transforms::normalize::{is_word_char, normalize_phrase};

/// Names seen fewer times than this are left out unless the caller says otherwise.
pub const DEFAULT_MIN_COUNT: usize = 2;

/// One proposed entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: String,
    pub label: String,
    /// person | place | org | group | document | topic (a guess, for the user to check).
    pub kind: &'static str,
    /// True when the name is a title ("Security Council Secretary"), not a person.
    pub title: bool,
    /// Every form seen, with its count, most frequent first.
    pub aliases: Vec<(String, usize)>,
    /// All mentions, every form together.
    pub count: usize,
    /// In how many documents.
    pub documents: usize,
    /// The first mention with some text around it, on one line.
    pub example: String,
    /// `watchlist/entity` when the current watchlists already find this name.
    pub known: Option<String>,
    /// Forms the current watchlists do not find (only meaningful with `known`).
    pub unmatched: Vec<String>,
}

/// Every suggestion for a corpus, most mentioned first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    pub documents: usize,
    pub items: Vec<Suggestion>,
}

/// Capitalised words that start sentences and titles but are not names.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "with",
    "as",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "his",
    "her",
    "they",
    "their",
    "we",
    "our",
    "i",
    "according",
    "also",
    "however",
    "meanwhile",
    "still",
    "until",
    "during",
    "there",
    "what",
    "where",
    "why",
    "how",
    "who",
    "some",
    "many",
    "most",
    "all",
    "one",
    "two",
    "last",
    "new",
    "more",
    "other",
    "such",
    "both",
    "each",
    "no",
    "not",
    "so",
    "then",
    "thus",
    "yet",
    "photo",
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
    "dans",
    "pour",
    "par",
    "sur",
    "avec",
    "mais",
    "et",
    "ou",
    "il",
    "elle",
    "ils",
    "elles",
    "selon",
    "ce",
    "cette",
    "ces",
    "en",
    "au",
    "aux",
    "lors",
    "apres",
    "avant",
    "в",
    "во",
    "на",
    "по",
    "с",
    "со",
    "к",
    "о",
    "об",
    "из",
    "от",
    "до",
    "за",
    "для",
    "но",
    "и",
    "а",
    "он",
    "она",
    "они",
    "это",
    "этот",
    "эта",
    "эти",
    "как",
    "также",
    "при",
    "после",
    "согласно",
    "ранее",
    "мы",
    "я",
    "однако",
    "кроме",
];
/// Lower-case words that may sit inside a name, between capitalised words.
const CONNECT: &[&str] = &["of", "for", "the", "on", "de", "du", "des", "la", "le", "l"];
/// Dates: never a name, trimmed from both ends of a run.
const DATES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
/// First words of names that are places or groups, not people ("North Korean").
const NOT_PERSON_FIRST: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "central",
    "united",
    "great",
    "national",
    "democratic",
    "republic",
    "people",
    "state",
    "western",
    "eastern",
    "northern",
    "southern",
    "new",
];
/// Words that make the name before them a title: the person follows.
const TITLES: &[&str] = &[
    "president",
    "secretary",
    "minister",
    "general",
    "chief",
    "leader",
    "director",
    "head",
    "chairman",
    "ambassador",
    "colonel",
    "commander",
    "spokesman",
    "spokeswoman",
    "governor",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "premier",
    "marshal",
    "major",
    "lieutenant",
    "chancellor",
    "king",
    "pope",
    "mayor",
    "senator",
    "deputy",
    "staff",
];
/// Words that make a name a document; the ones that take a number come first.
const DOC_NUMBERED: &[&str] = &["resolution", "decree", "резолюци", "указ"];
const DOC_WORDS: &[&str] = &[
    "treaty",
    "agreement",
    "accord",
    "convention",
    "pact",
    "charter",
    "traite",
    "договор",
    "соглашени",
    "конвенци",
];
const UNIT_WORDS: &[&str] = &[
    "brigade",
    "division",
    "regiment",
    "corps",
    "battalion",
    "army",
    "fleet",
    "troops",
    "forces",
    "бригад",
    "дивизи",
    "полк",
    "корпус",
    "арми",
    "батальон",
];
const ORG_WORDS: &[&str] = &[
    "council",
    "ministry",
    "service",
    "agency",
    "institute",
    "committee",
    "party",
    "office",
    "directorate",
    "bureau",
    "government",
    "parliament",
    "assembly",
    "kremlin",
    "nations",
    "union",
    "team",
    "panel",
    "intelligence",
    "conseil",
    "ministere",
    "agence",
    "совет",
    "министерств",
    "служб",
    "агентств",
    "институт",
    "комитет",
    "кремл",
    "разведк",
];
const PLACE_WORDS: &[&str] = &[
    "region",
    "oblast",
    "province",
    "republic",
    "federation",
    "city",
    "sea",
    "river",
    "область",
    "област",
    "край",
    "республик",
    "федераци",
];
/// Lower-case words that end a place name ("Kursk region", "Курская область").
const PLACE_HEADS: &[&str] = &["region", "oblast", "province", "област", "край", "кра"];
/// Words before a place ("in Kursk", "à Pyongyang", "в Курске").
const PLACE_PREPS: &[&str] = &[
    "in",
    "to",
    "from",
    "near",
    "into",
    "across",
    "visited",
    "a",
    "au",
    "en",
    "vers",
    "в",
    "во",
    "из",
    "под",
    "около",
];
/// Russian case endings stripped to group the forms of one word (longest first).
const RU_ENDINGS: &[&str] = &[
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя",
    "ое", "ее", "ые", "ие", "ую", "юю", "ом", "ем", "ам", "ям", "ах", "ях", "ых", "их", "ым", "им",
    "а", "я", "о", "е", "и", "ы", "у", "ю", "ь", "й",
];

#[derive(Debug, Clone)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Punctuation or a line end before it: a name cannot run across.
    breaks: bool,
    /// First word of a sentence (or of a line).
    sentence_start: bool,
    /// On a line written in capitals or in Title Case (a headline): not evidence.
    headline: bool,
    /// The lower-case word before it, if directly before (for place prepositions).
    prev: Option<String>,
}

impl Tok<'_> {
    fn norm(&self) -> String {
        normalize_phrase(self.text)
    }
    fn is_cap(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
    fn is_number(&self) -> bool {
        self.text.chars().all(|c| c.is_ascii_digit())
    }
    /// "92nd", "1st", "11th": a unit's number.
    fn is_ordinal(&self) -> bool {
        let digits = self.text.chars().take_while(char::is_ascii_digit).count();
        digits > 0
            && matches!(
                &self.text[digits..],
                "st" | "nd" | "rd" | "th" | "e" | "er" | "ème"
            )
    }
}

fn word_chars(c: char) -> bool {
    is_word_char(c)
}

/// The words of `text`, with what separates them.
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out: Vec<Tok<'_>> = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut i = 0;
        let bytes_len = line.len();
        let mut sep_start = 0;
        let mut first = true;
        let mut headline = false;
        while i < bytes_len {
            let Some(c) = line[i..].chars().next() else {
                break;
            };
            if !word_chars(c) {
                i += c.len_utf8();
                continue;
            }
            // A word: letters and digits, joined by an apostrophe or hyphen between them.
            let start = i;
            let mut end = i;
            let mut chars = line[i..].char_indices().peekable();
            while let Some((j, ch)) = chars.next() {
                if word_chars(ch) {
                    end = i + j + ch.len_utf8();
                } else if matches!(ch, '\'' | '’')
                    && chars.peek().is_some_and(|&(_, n)| word_chars(n))
                    // "DPRK-Russia" is two names; "Jong-un", "nord-coréen" are one word.
                    || matches!(ch, '-' | '‑')
                        && chars
                            .peek()
                            .is_some_and(|&(_, n)| word_chars(n) && !n.is_uppercase())
                {
                    continue;
                } else {
                    break;
                }
            }
            let sep = &line[sep_start..start];
            let sentence_start = first
                || sep.contains(['.', '!', '?', ':', '…', ';', '•', '|', '—', '–'])
                    && !sep.trim_start().starts_with(',');
            let breaks = first || sep.chars().any(|c| !c.is_whitespace());
            if sentence_start {
                headline = is_headline(sentence_at(&line[start..]));
            }
            let mut word = &line[start..end];
            let mut wstart = start;
            // French elision: l'ONU, d'Ukraine → the name after the apostrophe.
            if let Some(pos) = word.find(['\'', '’']) {
                let head = &word[..pos];
                let rest = &word[pos + word[pos..].chars().next().map_or(1, char::len_utf8)..];
                if matches!(
                    head.to_lowercase().as_str(),
                    "l" | "d" | "qu" | "j" | "n" | "s" | "c"
                ) && rest.chars().next().is_some_and(char::is_uppercase)
                {
                    wstart = start + (word.len() - rest.len());
                    word = rest;
                }
            }
            let prev = out.last().filter(|_| !breaks).map(Tok::norm);
            out.push(Tok {
                text: word,
                start: line_start + wstart,
                end: line_start + end,
                breaks,
                sentence_start: sentence_start && wstart == start,
                headline,
                prev,
            });
            first = false;
            sep_start = end;
            i = end;
        }
        line_start += line.len();
    }
    out
}

/// The sentence that starts `s`: up to `.`, `?` or `!` followed by a space, or the end.
fn sentence_at(s: &str) -> &str {
    let mut prev_end = false;
    for (i, c) in s.char_indices() {
        if prev_end && c.is_whitespace() {
            return &s[..i];
        }
        prev_end = matches!(c, '.' | '?' | '!');
    }
    s
}

/// A sentence in capitals or Title Case: headlines and menus, where capitals mean nothing.
/// A sentence that ends with a full stop and has a long lower-case word is prose, however
/// many names it holds.
fn is_headline(sentence: &str) -> bool {
    let words: Vec<&str> = sentence
        .split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .collect();
    if words.len() < 3 {
        return false;
    }
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let prose = sentence.trim_end().ends_with(['.', '!', '?', '…']) && caps < words.len();
    !prose && caps * 10 >= words.len() * 7
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
}

/// The grouping key of one word: normalised, possessive dropped, Russian ending stripped.
fn word_key(word: &str) -> String {
    let n = normalize_phrase(strip_possessive(word));
    if !n.chars().any(is_cyrillic) || n.chars().count() < 5 {
        return n;
    }
    for e in RU_ENDINGS {
        if let Some(stem) = n.strip_suffix(e) {
            if stem.chars().count() >= 3 {
                return stem.to_string();
            }
        }
    }
    n
}

fn has_word(keys: &[String], list: &[&str]) -> bool {
    keys.iter().any(|k| list.iter().any(|w| k.starts_with(w)))
}

/// One mention before grouping.
struct Mention {
    key: String,
    form: String,
    start: usize,
    end: usize,
    /// Not the first word of a sentence: evidence that the capitals belong to a name.
    mid_sentence: bool,
    after_place_prep: bool,
    title: bool,
    /// Right after a title ("Secretary Sergey Shoigu"): a person.
    after_title: bool,
    kind: Option<&'static str>,
}

#[derive(Default)]
struct Group {
    forms: HashMap<String, usize>,
    count: usize,
    mid: usize,
    place_preps: usize,
    docs: BTreeSet<usize>,
    example: Option<(usize, usize, usize)>,
    words: usize,
    title: bool,
    after_title: usize,
    kind: Option<&'static str>,
}

/// A numbered document at word `i`: "Resolution 2397", "резолюции 2397", "Resolution
/// No. 2397", "Resolution (UNSC) 2397". The index of the number's word.
fn document_at(text: &str, toks: &[Tok<'_>], i: usize) -> Option<usize> {
    let k = word_key(toks.get(i)?.text);
    if !DOC_NUMBERED.iter().any(|d| k.starts_with(d)) {
        return None;
    }
    let mut j = i + 1;
    let skippable = |n: &Tok<'_>| matches!(n.norm().as_str(), "no" | "n") || is_acronym(n.text);
    if toks.get(j).is_some_and(|n| skippable(n) && !n.is_number()) {
        j += 1;
    }
    let n = toks.get(j).filter(|n| n.is_number())?;
    // Only spaces, brackets and "No." between the words.
    let plain = |a: usize, b: usize| {
        text.get(a..b).is_some_and(|sep| {
            sep.chars()
                .all(|c| c.is_whitespace() || matches!(c, '(' | ')' | '.' | '№'))
        })
    };
    (plain(toks[i].end, toks[i + 1].start) && plain(toks[j - 1].end, n.start)).then_some(j)
}

/// The mentions of one text; `lower` holds the words the corpus writes in lower case.
fn mentions(text: &str, lower: &std::collections::HashSet<String>) -> Vec<Mention> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if t.headline {
            i += 1;
            continue;
        }
        if let Some(j) = document_at(text, &toks, i) {
            let n = &toks[j];
            out.push(Mention {
                key: format!("doc:{}", n.text),
                form: collapse(&text[t.start..n.end]),
                start: t.start,
                end: n.end,
                mid_sentence: true,
                after_place_prep: false,
                title: false,
                after_title: false,
                kind: Some("document"),
            });
            i = j + 1;
            continue;
        }
        let starts_name = |t: &Tok<'_>| t.is_cap() || t.is_ordinal();
        if !starts_name(t) {
            i += 1;
            continue;
        }
        // The run of capitalised words, connectors kept only between two of them.
        let mut run = vec![i];
        let mut j = i + 1;
        while j < toks.len() && !toks[j].breaks && !toks[j].headline {
            let tj = &toks[j];
            if tj.is_cap() || tj.is_ordinal() && toks.get(j + 1).is_some_and(Tok::is_cap) {
                run.push(j);
                j += 1;
                continue;
            }
            let norm = tj.norm();
            if CONNECT.contains(&norm.as_str()) {
                let mut k = j;
                while k < toks.len()
                    && !toks[k].breaks
                    && CONNECT.contains(&toks[k].norm().as_str())
                {
                    k += 1;
                }
                if k < toks.len() && !toks[k].breaks && toks[k].is_cap() {
                    run.extend(j..=k);
                    j = k + 1;
                    continue;
                }
            }
            if PLACE_HEADS.iter().any(|h| word_key(tj.text).starts_with(h)) {
                run.push(j);
                j += 1;
            }
            break;
        }
        i = j;
        // A numbered document word at the end belongs to the document after it.
        if run.len() > 1 {
            if let Some(&last) = run.last() {
                if document_at(text, &toks, last).is_some() {
                    run.pop();
                    i = last;
                }
            }
        }
        emit_run(text, &toks, &run, lower, &mut out);
    }
    out
}

/// Trim a run of word indices, split it after a title, and push its mentions.
fn emit_run(
    text: &str,
    toks: &[Tok<'_>],
    run: &[usize],
    lower: &std::collections::HashSet<String>,
    out: &mut Vec<Mention>,
) {
    let is_in = |idx: &usize, list: &[&str]| list.contains(&toks[*idx].norm().as_str());
    // An ordinary word capitalised because it starts the sentence ("Following Ukraine's…").
    let ordinary = |idx: &usize| {
        toks[*idx].sentence_start
            && !is_acronym(toks[*idx].text)
            && lower.contains(&toks[*idx].norm())
    };
    let mut run: Vec<usize> = run.to_vec();
    while run.first().is_some_and(|i| {
        is_in(i, STOP) || is_in(i, CONNECT) || is_in(i, DATES) || run.len() > 1 && ordinary(i)
    }) {
        run.remove(0);
    }
    while run
        .last()
        .is_some_and(|i| is_in(i, CONNECT) || is_in(i, DATES))
    {
        run.pop();
    }
    if run.is_empty() {
        return;
    }
    // "Russian Security Council Secretary Sergey Shoigu": the title, then the person.
    let title_end = run
        .iter()
        .rposition(|&i| TITLES.contains(&word_key(toks[i].text).as_str()));
    if let Some(t) = title_end {
        let rest = &run[t + 1..];
        let person = !rest.is_empty()
            && rest.len() <= 3
            && rest
                .iter()
                .all(|&i| toks[i].is_cap() && !is_acronym(toks[i].text));
        if person {
            push_run(text, toks, &run[..=t], true, false, out);
            push_run(text, toks, rest, false, true, out);
            return;
        }
        if t + 1 == run.len() {
            push_run(text, toks, &run, true, false, out);
            return;
        }
    }
    push_run(text, toks, &run, false, false, out);
}

fn is_acronym(w: &str) -> bool {
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

fn push_run(
    text: &str,
    toks: &[Tok<'_>],
    run: &[usize],
    title: bool,
    after_title: bool,
    out: &mut Vec<Mention>,
) {
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
        return;
    };
    let start = toks[first].start;
    let end = toks[last].start + strip_possessive(toks[last].text).len();
    // A lone title word ("President") is not a name.
    if title && run.len() == 1 {
        return;
    }
    let key = run
        .iter()
        .map(|&i| word_key(toks[i].text))
        .collect::<Vec<_>>()
        .join(" ");
    if key.is_empty() || key.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return;
    }
    let mixed = |w: &str| w.chars().any(is_cyrillic) && w.chars().any(|c| c.is_ascii_alphabetic());
    if run.iter().any(|&i| mixed(toks[i].text)) {
        return;
    }
    let prev = toks[first].prev.as_deref().unwrap_or("");
    out.push(Mention {
        key,
        form: collapse(&text[start..end]),
        start,
        end,
        mid_sentence: !toks[first].sentence_start,
        after_place_prep: PLACE_PREPS.contains(&prev),
        title,
        after_title,
        kind: None,
    });
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Propose watchlist entries for `texts`. `known` marks what the current watchlists
/// already find; names mentioned fewer than `min_count` times are left out.
pub fn suggest(texts: &[&str], known: Option<&WatchSet>, min_count: usize) -> Suggestions {
    let lower: std::collections::HashSet<String> = texts
        .iter()
        .flat_map(|t| tokens(t))
        .filter(|t| t.text.chars().next().is_some_and(char::is_lowercase))
        .map(|t| t.norm())
        .collect();
    let mut groups: HashMap<String, Group> = HashMap::new();
    for (doc, text) in texts.iter().enumerate() {
        for m in mentions(text, &lower) {
            let g = groups.entry(m.key.clone()).or_default();
            *g.forms.entry(m.form.clone()).or_default() += 1;
            g.count += 1;
            g.mid += usize::from(m.mid_sentence);
            g.place_preps += usize::from(m.after_place_prep);
            g.docs.insert(doc);
            g.example.get_or_insert((doc, m.start, m.end));
            g.words = m.key.split(' ').count();
            g.title |= m.title;
            g.after_title += usize::from(m.after_title);
            g.kind = g.kind.or(m.kind);
        }
    }
    // One word seen only at the start of sentences is an ordinary word ("Still", "Moscow"
    // aside: a real name turns up mid-sentence too).
    // A surname that only starts sentences still counts: it joins its full name below.
    let surnames: BTreeSet<String> = groups
        .keys()
        .filter(|k| k.contains(' '))
        .filter_map(|k| k.rsplit(' ').next().map(str::to_string))
        .collect();
    groups.retain(|k, g| g.words > 1 || g.mid > 0 || g.kind.is_some() || surnames.contains(k));
    let mut keys: Vec<String> = groups.keys().cloned().collect();
    // Most mentioned first, so that merges go into the main name.
    keys.sort_by(|a, b| {
        let (ga, gb) = (&groups[a], &groups[b]);
        gb.count.cmp(&ga.count).then_with(|| a.cmp(b))
    });
    let mut merged_into: HashMap<String, String> = HashMap::new();
    // A surname alone, or another first-name spelling, joins the full name it ends.
    for k in &keys {
        let g = &groups[k];
        if g.words < 2 || g.title || g.kind.is_some() || !looks_like_person(k, g) {
            continue;
        }
        let Some(surname) = k.rsplit(' ').next() else {
            continue;
        };
        for other in &keys {
            if other == k || merged_into.contains_key(other) || merged_into.contains_key(k) {
                continue;
            }
            let og = &groups[other];
            let same_surname = other == surname && og.place_preps * 2 <= og.count
                || (og.words > 1
                    && looks_like_person(other, og)
                    && other.rsplit(' ').next() == Some(surname)
                    && og.count <= g.count);
            if same_surname && !og.title {
                merged_into.insert(other.clone(), k.clone());
            }
        }
    }
    // Cyrillic and Latin spellings of one name.
    for k in &keys {
        if merged_into.contains_key(k) || !k.chars().any(is_cyrillic) {
            continue;
        }
        let Some(form) = top_form(&groups[k]) else {
            continue;
        };
        let variants = translit::variants(&normalize_phrase(&form));
        let target = keys.iter().find(|other| {
            *other != k
                && !merged_into.contains_key(*other)
                && !other.chars().any(is_cyrillic)
                && groups[*other]
                    .forms
                    .keys()
                    .any(|f| variants.contains(&normalize_phrase(f)))
        });
        if let Some(t) = target {
            merged_into.insert(k.clone(), t.clone());
        }
    }
    let root = |k: &String| -> String {
        let mut k = k.clone();
        while let Some(next) = merged_into.get(&k) {
            k = next.clone();
        }
        k
    };
    let mut merged: Vec<(String, Group)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for k in &keys {
        let r = root(k);
        let Some(g) = groups.get(k) else { continue };
        let slot = *index.entry(r.clone()).or_insert_with(|| {
            merged.push((r.clone(), Group::default()));
            merged.len() - 1
        });
        let (_, m) = &mut merged[slot];
        for (f, n) in &g.forms {
            *m.forms.entry(f.clone()).or_default() += n;
        }
        m.count += g.count;
        m.mid += g.mid;
        m.place_preps += g.place_preps;
        m.after_title += g.after_title;
        m.docs.extend(g.docs.iter().copied());
        if *k == r {
            m.example = g.example;
            m.words = g.words;
            m.title = g.title;
            m.kind = g.kind;
        }
    }
    let mut items = Vec::new();
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    for (key, g) in merged {
        if g.count < min_count {
            continue;
        }
        let mut aliases: Vec<(String, usize)> = g.forms.into_iter().collect();
        aliases.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let label = best_label(&aliases);
        let kind = g
            .kind
            .unwrap_or_else(|| guess_kind(&key, &label, g.place_preps, g.count, g.title));
        let example = g
            .example
            .and_then(|(doc, s, e)| texts.get(doc).map(|t| context(t, s, e)))
            .unwrap_or_default();
        let (known_as, unmatched) = match known {
            Some(set) => known_entity(set, &aliases),
            None => (None, Vec::new()),
        };
        let id = unique_id(&slug(&label), &mut used_ids);
        items.push(Suggestion {
            id,
            label,
            kind,
            title: g.title,
            aliases,
            count: g.count,
            documents: g.docs.len(),
            example,
            known: known_as,
            unmatched,
        });
    }
    items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    Suggestions {
        documents: texts.len(),
        items,
    }
}

fn looks_like_person(key: &str, g: &Group) -> bool {
    let words: Vec<&str> = key.split(' ').collect();
    if g.after_title > 0 && words.len() <= 3 {
        return true;
    }
    (1..=3).contains(&words.len())
        && !words.first().is_some_and(|w| NOT_PERSON_FIRST.contains(w))
        && g.place_preps * 2 <= g.count
        && !has_word(
            &words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            &[ORG_WORDS, UNIT_WORDS, PLACE_WORDS, DOC_WORDS, DOC_NUMBERED].concat(),
        )
        && g.forms.keys().all(|f| !is_acronym(f))
}

fn top_form(g: &Group) -> Option<String> {
    g.forms
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(f, _)| f.clone())
}

/// The label: the longest of the frequent forms (the full name rather than the surname),
/// Latin script preferred.
fn best_label(aliases: &[(String, usize)]) -> String {
    let top = aliases.first().map_or(0, |a| a.1);
    aliases
        .iter()
        .filter(|(_, n)| *n * 4 >= top)
        .max_by_key(|(f, _)| {
            (
                !f.chars().any(is_cyrillic),
                f.split(' ').count().min(3),
                std::cmp::Reverse(f.len()),
            )
        })
        .map(|(f, _)| f.clone())
        .unwrap_or_default()
}

fn guess_kind(
    key: &str,
    label: &str,
    place_preps: usize,
    count: usize,
    title: bool,
) -> &'static str {
    let words: Vec<String> = key.split(' ').map(str::to_string).collect();
    if title {
        return "person";
    }
    if has_word(&words, DOC_WORDS) || has_word(&words, DOC_NUMBERED) {
        "document"
    } else if has_word(&words, UNIT_WORDS) {
        "group"
    } else if has_word(&words, ORG_WORDS) {
        "org"
    } else if has_word(&words, PLACE_WORDS) {
        "place"
    } else if is_acronym(label) {
        "org"
    } else if place_preps * 3 >= count
        || words.len() > 1 && NOT_PERSON_FIRST.contains(&words[0].as_str())
    {
        "place"
    } else if (2..=3).contains(&words.len()) {
        "person"
    } else {
        "topic"
    }
}

/// The entity of `set` that finds these forms, and the forms it does not find.
fn known_entity(set: &WatchSet, aliases: &[(String, usize)]) -> (Option<String>, Vec<String>) {
    let mut owner = None;
    let mut unmatched = Vec::new();
    for (form, _) in aliases {
        // `explain`, not `find`: a name whose entity wants context ("NIS" near "Korea")
        // is known even when the form alone does not count.
        let report = set.explain(form);
        let counted = report
            .matches
            .iter()
            .find(|m| m.start == 0 && m.end == form.len())
            .map(|m| (m.watchlist.clone(), m.entity.clone()));
        let missed = || {
            report
                .near_misses
                .iter()
                .find(|n| n.col == 1 && n.found == *form)
                .map(|n| (n.watchlist.clone(), n.entity.clone()))
        };
        match counted.or_else(missed) {
            Some((list, entity)) => {
                owner.get_or_insert(format!("{list}/{entity}"));
            }
            None => unmatched.push(form.clone()),
        }
    }
    if owner.is_none() {
        unmatched.clear();
    }
    (owner, unmatched)
}

/// Up to 40 characters either side of a mention, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let chars: Vec<char> = text[..start].chars().rev().take(40).collect();
        chars.into_iter().rev().collect()
    };
    let after: String = text[end..].chars().take(40).collect();
    let joined = format!("{before}{}{after}", &text[start..end]);
    format!("…{}…", collapse(&joined))
}

fn slug(label: &str) -> String {
    let n = normalize_phrase(label);
    let latin = if n.chars().any(is_cyrillic) {
        translit::romanize(&n)
    } else {
        n
    };
    let mut out = String::new();
    for c in latin.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "entity".to_string()
    } else {
        out
    }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for Suggestions {
    /// The draft: new entities as `[[entity]]` blocks, then, as comments, the names the
    /// current watchlists already find (with the forms they miss).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "# Watchlist draft from {} document(s), by `newswatch seed DIR --suggest`.",
            self.documents
        )?;
        writeln!(
            f,
            "# Kinds are guesses. Delete what you do not want, merge entities that are one thing,"
        )?;
        writeln!(
            f,
            "# add the French and Russian names, then save it in the watchlists folder and run"
        )?;
        writeln!(f, "# `newswatch check`. See docs/watchlists.md.")?;
        writeln!(f, "name = \"Suggested watchlist\"")?;
        let (known, new): (Vec<&Suggestion>, Vec<&Suggestion>) =
            self.items.iter().partition(|s| s.known.is_some());
        for s in &new {
            writeln!(f)?;
            writeln!(
                f,
                "# {} mention(s) in {} document(s){}, e.g. {}",
                s.count,
                s.documents,
                if s.title { "; a title" } else { "" },
                s.example
            )?;
            writeln!(f, "[[entity]]")?;
            writeln!(f, "id = {}", quoted(&s.id))?;
            writeln!(f, "label = {}", quoted(&s.label))?;
            writeln!(f, "kind = {}", quoted(s.kind))?;
            let aliases: Vec<String> = s.aliases.iter().map(|(a, _)| quoted(a)).collect();
            writeln!(f, "aliases = [{}]", aliases.join(", "))?;
            if s.aliases.len() > 1 {
                let counts: Vec<String> =
                    s.aliases.iter().map(|(a, n)| format!("{a} {n}")).collect();
                writeln!(f, "# seen: {}", counts.join(", "))?;
            }
        }
        if !known.is_empty() {
            writeln!(f)?;
            writeln!(f, "# Already in your watchlists:")?;
            for s in &known {
                let missing = if s.unmatched.is_empty() {
                    String::new()
                } else {
                    format!("; not found by it: {}", s.unmatched.join(", "))
                };
                writeln!(
                    f,
                    "#   {} ({} mention(s)) → {}{missing}",
                    s.label,
                    s.count,
                    s.known.as_deref().unwrap_or_default()
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small corpus written for these tests.
    const CORPUS: &[&str] = &[
        "Defence Minister Andrei Belousov flew to Minsk on Monday. Belousov met the Belarusian \
         army chief there. The talks, held in Minsk, covered the Western Fleet.\n\
         Officials said Belousov would return in June.",
        "Andrei Belousov spoke at the Institute for the Study of War conference. He quoted \
         Resolution 2231 twice.\nStill, nobody in Minsk commented on the 3rd Guards Brigade.",
        "Министр обороны Андрей Белоусов прибыл в Минск. Белоусова встретили в аэропорту; \
         резолюции 2231 он не упоминал. В Минске прошли переговоры.\n\
         Белоусов вернётся в июне.",
        "L'OTAN surveille Minsk. Le Conseil de sécurité de l'ONU examine la résolution 2231. \
         Andreï Belousov n'a rien dit à l'OTAN.",
    ];

    fn find<'a>(s: &'a Suggestions, label: &str) -> Option<&'a Suggestion> {
        s.items.iter().find(|i| i.label == label)
    }

    #[test]
    fn names_with_counts_kinds_and_forms() {
        let s = suggest(CORPUS, None, 2);
        let person = find(&s, "Andrei Belousov").map(|p| {
            let mut forms: Vec<&str> = p.aliases.iter().map(|(a, _)| a.as_str()).collect();
            forms.sort();
            (p.kind, p.count, p.documents, forms)
        });
        assert_eq!(
            person,
            Some((
                "person",
                8,
                4,
                vec![
                    "Andrei Belousov",
                    "Andreï Belousov",
                    "Belousov",
                    "Андрей Белоусов",
                    "Белоусов",
                    "Белоусова"
                ]
            ))
        );
        let doc = find(&s, "Resolution 2231").map(|d| (d.kind, d.count, d.aliases.len()));
        assert_eq!(doc, Some(("document", 3, 3)));
        let place = find(&s, "Minsk").map(|p| (p.kind, p.count));
        assert_eq!(place, Some(("place", 6)));
        assert_eq!(
            find(&s, "OTAN").map(|o| (o.kind, o.count)),
            Some(("org", 2))
        );
    }

    #[test]
    fn titles_are_split_from_the_person() {
        let s = suggest(CORPUS, None, 1);
        let title = find(&s, "Defence Minister").map(|t| t.title);
        assert_eq!(title, Some(true));
        assert!(find(&s, "Defence Minister Andrei Belousov").is_none());
        assert!(find(&s, "Институт").is_none());
    }

    #[test]
    fn sentence_starts_and_function_words_are_not_names() {
        let s = suggest(CORPUS, None, 1);
        for not_a_name in ["Still", "The", "Officials", "He", "Monday", "June", "Le"] {
            assert!(find(&s, not_a_name).is_none(), "{not_a_name} suggested");
        }
        let isw = find(&s, "Institute for the Study of War").map(|i| i.kind);
        assert_eq!(isw, Some("org"));
        assert!(find(&s, "Western Fleet").is_some_and(|u| u.kind == "group"));
        assert!(find(&s, "3rd Guards Brigade").is_some_and(|u| u.kind == "group"));
    }

    #[test]
    fn rare_names_fall_below_the_threshold() {
        let s = suggest(CORPUS, None, 2);
        assert!(find(&s, "Western Fleet").is_none());
        assert!(s.items.iter().all(|i| i.count >= 2));
    }

    #[test]
    fn known_names_are_marked_with_the_forms_they_miss() {
        let sources = vec![(
            std::path::PathBuf::from("defence.toml"),
            "[[entity]]\nid = \"belousov\"\naliases = [\"Belousov\", \"Белоусов\"]\n".to_string(),
        )];
        let (set, diags) = WatchSet::from_sources(&sources);
        assert!(diags.is_empty(), "{diags:?}");
        let s = suggest(CORPUS, set.as_ref(), 2);
        let b = find(&s, "Andrei Belousov");
        assert_eq!(
            b.and_then(|b| b.known.clone()).as_deref(),
            Some("defence/belousov")
        );
        // Every form ends in a known alias except none: "Andrei Belousov" holds "Belousov"
        // but not as a whole, so the full name is reported as missing.
        assert!(b.is_some_and(|b| b.unmatched.contains(&"Andrei Belousov".to_string())));
        let draft = s.to_string();
        assert!(draft.contains("# Already in your watchlists:"), "{draft}");
        assert!(draft.contains("→ defence/belousov"), "{draft}");
        assert!(!draft.contains("id = \"andrei-belousov\""), "{draft}");
    }

    #[test]
    fn the_draft_is_a_valid_watchlist() {
        let s = suggest(CORPUS, None, 2);
        let draft = s.to_string();
        assert!(draft.contains("[[entity]]\nid = \"minsk\"\nlabel = \"Minsk\"\nkind = \"place\""));
        let (set, diags) =
            WatchSet::from_sources(&[(std::path::PathBuf::from("draft.toml"), draft.clone())]);
        assert!(diags.is_empty(), "{diags:?}\n{draft}");
        let set = set.unwrap_or_default();
        assert!(set.find("Belousov in Minsk").len() == 2, "{draft}");
    }
}
