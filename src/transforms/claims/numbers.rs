//! Numbers in a sentence: tokens, then number mentions with their scale, range,
//! approximation, currency, percent or multiplier, and the non-numbers (years, dates,
//! ordinals, times, phone and document numbers) set aside.

use crate::model::Approx;

/// The three languages the watchlists cover; number formats and words depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
    Ru,
}

impl Lang {
    /// From a language tag, or guessed from the text when there is none.
    pub fn detect(tag: Option<&str>, text: &str) -> Lang {
        if let Some(t) = tag {
            let t = t.to_ascii_lowercase();
            if t.starts_with("ru") {
                return Lang::Ru;
            }
            if t.starts_with("fr") {
                return Lang::Fr;
            }
            if t.starts_with("en") {
                return Lang::En;
            }
        }
        let cyr = text
            .chars()
            .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
            .count();
        let lat = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
        if cyr > lat {
            return Lang::Ru;
        }
        let lower = text.to_lowercase();
        let fr_hits = [
            " les ",
            " des ",
            " est ",
            " une ",
            " dans ",
            " selon ",
            " environ ",
            " sont ",
            " ont ",
            " à ",
            " du ",
            "é",
            "è",
            "ç",
        ]
        .iter()
        .filter(|w| lower.contains(*w))
        .count();
        if fr_hits >= 2 {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    /// Digits. `grouped` when written with thousands separators; `int_digits` counts the
    /// digits of a plain integer (4 for "2024"), 0 otherwise.
    Num {
        value: f64,
        grouped: bool,
        int_digits: usize,
    },
    /// A word, lower-cased, `’` as `'`, `ё` as `е`, a possessive `'s` dropped.
    Word(String),
    Sym(char),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub kind: TokKind,
    /// Byte offsets in the sentence.
    pub start: usize,
    pub end: usize,
    /// No white space between this token and the previous one.
    pub glued: bool,
    /// A word written with a capital first letter ("Shahed"), as a name is.
    pub capital: bool,
    /// A word of two Latin capitals or more and nothing else ("IMO", "MMSI").
    pub acronym: bool,
}

impl Tok {
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            TokKind::Word(w) => Some(w),
            _ => None,
        }
    }
    pub fn is_sym(&self, c: char) -> bool {
        self.kind == TokKind::Sym(c)
    }
}

/// Split a sentence into tokens.
pub fn tokenize(s: &str, lang: Lang) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut glued = false;
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let (value, grouped, int_digits, len) = read_number(&s[b..], lang);
            let end = b + len;
            out.push(Tok {
                kind: TokKind::Num {
                    value,
                    grouped,
                    int_digits,
                },
                start: b,
                end,
                glued,
                capital: false,
                acronym: false,
            });
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
        } else if c.is_alphabetic() {
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                let joiner = matches!(cj, '\'' | '’' | '-')
                    && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic());
                // "m³", "km²": a unit's exponent belongs to its word.
                if cj.is_alphabetic() || joiner || matches!(cj, '²' | '³') {
                    j += if joiner { 2 } else { 1 };
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(s.len(), |x| x.0);
            out.push(Tok {
                kind: TokKind::Word(normalize_word(&s[b..end])),
                start: b,
                end,
                glued,
                capital: c.is_uppercase(),
                acronym: s[b..end].chars().count() >= 2
                    && s[b..end].chars().all(|x| x.is_ascii_uppercase()),
            });
            i = j;
        } else {
            out.push(Tok {
                kind: TokKind::Sym(c),
                start: b,
                end: b + c.len_utf8(),
                glued,
                capital: false,
                acronym: false,
            });
            i += 1;
        }
        glued = true;
    }
    out
}

pub fn normalize_word(w: &str) -> String {
    let mut s = w.to_lowercase().replace('’', "'").replace('ё', "е");
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    s
}

/// Read digits at the start of `s`: value, grouped, integer digit count, byte length.
/// English groups thousands with ',' and marks decimals with '.'; French and Russian the
/// other way round; a (narrow) no-break or plain space groups thousands in all three, and
/// so does the apostrophe of Swiss usage ("3'500 saisonniers").
fn read_number(s: &str, lang: Lang) -> (f64, bool, usize, usize) {
    let (group_seps, dec_sep): (&[char], char) = match lang {
        Lang::En => (
            &[',', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '’'],
            '.',
        ),
        Lang::Fr | Lang::Ru => (
            &['.', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '’'],
            ',',
        ),
    };
    let b = s.as_bytes();
    let mut pos = 0;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut digits = s[..pos].to_string();
    let mut grouped = false;
    // South Asian grouping ("2,84,000", "1,20,50,000"): a lead of 1-2 digits, groups of
    // two, a last group of three.
    if lang == Lang::En && pos <= 2 {
        if let Some((grouped_digits, len)) = south_asian_groups(s, pos) {
            return (grouped_digits, true, 0, len);
        }
    }
    // Thousands groups: only after a lead of 1-3 digits, and exactly 3 digits each.
    if pos <= 3 {
        while let Some(sep) = s[pos..].chars().next() {
            if !group_seps.contains(&sep) {
                break;
            }
            let after = pos + sep.len_utf8();
            let grp = &s[after..];
            let n = grp.bytes().take_while(u8::is_ascii_digit).count();
            if n != 3 {
                break;
            }
            digits.push_str(&grp[..3]);
            pos = after + 3;
            grouped = true;
        }
    }
    let mut value: f64 = digits.parse().unwrap_or(0.0);
    let mut has_decimals = false;
    if s[pos..].starts_with(dec_sep) {
        let frac = &s[pos + 1..];
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        // In English "1,5" is not a number we read as 1.5; in French/Russian "1.000"
        // was taken as a group above, so a separator here is a decimal one.
        if n > 0 {
            if let Ok(f) = format!("0.{}", &frac[..n]).parse::<f64>() {
                value += f;
            }
            pos += 1 + n;
            has_decimals = true;
        }
    }
    let int_digits = if grouped || has_decimals {
        0
    } else {
        digits.len()
    };
    (value, grouped, int_digits, pos)
}

/// "2,84,000" from its lead of `lead` digits: the value and byte length, when at least
/// one group of two stands before the last group of three (and no digit or group follows).
fn south_asian_groups(s: &str, lead: usize) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut digits = s[..lead].to_string();
    let mut pos = lead;
    let mut pairs = 0;
    loop {
        if b.get(pos) != Some(&b',') {
            return None;
        }
        let n = b[pos + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        match n {
            2 => {
                digits.push_str(&s[pos + 1..pos + 3]);
                pos += 3;
                pairs += 1;
            }
            3 if pairs > 0 => {
                digits.push_str(&s[pos + 1..pos + 4]);
                pos += 4;
                // "2,84,000.5" or "2,84,000,000" is not this grouping.
                let next = b.get(pos).copied();
                if next == Some(b',') && b.get(pos + 1).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                return digits.parse().ok().map(|v| (v, pos));
            }
            _ => return None,
        }
    }
}

/// How the number is measured, from the symbols and words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumUnit {
    /// A count: its unit comes from the counted noun.
    Count,
    Usd,
    /// Another dollar, written with its country before the sign: "C$" (cad), "A$" (aud).
    Dollar(&'static str),
    Eur,
    Rub,
    Percent,
    /// "ninefold", "nine times": a ratio of new to old.
    Ratio,
}

/// One number read from a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Token range of the mention (approximation words included).
    pub first_tok: usize,
    /// Token just after the mention (its scale, currency and percent words included).
    pub next_tok: usize,
    /// Token index of the number itself.
    pub num_tok: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub approx: Approx,
    pub unit: NumUnit,
    /// A plain four-digit integer 1800-2100: a year unless a counted noun follows at once.
    pub year_like: bool,
    /// Written with "-strong" ("a 5,000-strong contingent").
    pub strong: bool,
}

const MONTHS: &[&str] = &[
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
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
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
    // Abbreviated in datelines ("SYDNEY, 8 janv.", "8 дек.").
    "janv",
    "févr",
    "fév",
    "avr",
    "juil",
    "déc",
    "янв",
    "фев",
    "февр",
    "апр",
    "авг",
    "сент",
    "окт",
    "нояб",
    "дек",
];

/// Words after which a number is an identifier, never a quantity.
const ID_WORDS: &[&str] = &[
    "resolution",
    "resolutions",
    "résolution",
    "résolutions",
    "резолюция",
    "резолюции",
    "резолюцией",
    "резолюцию",
    "резолюций",
    "unsc",
    "no",
    "nos",
    "number",
    "nr",
    "page",
    "p",
    "pp",
    "article",
    "art",
    "статья",
    "статьи",
    "статье",
    "статьей",
    "статью",
    "пункт",
    "пункта",
    "пункту",
    "alinéa",
    "arrêté",
    "règlement",
    "regulation",
    "clause",
    "рейс",
    "рейса",
    "маршрут",
    "маршрута",
    "bill",
    "law",
    "loi",
    "закон",
    "закона",
    "chapter",
    "decree",
    "section",
    "paragraph",
    "paragraphe",
    "flight",
    "route",
    "item",
    "photo",
    "aged",
    "age",
    "âgé",
    "âgés",
    "возрасте",
    "tel",
    "phone",
    "telephone",
    "téléphone",
    "тел",
    "code",
    // Rooms, lines, decrees, hotlines: "courtroom 3", "ligne 4", "décret n° 412", "по
    // номеру 1432".
    "courtroom",
    "room",
    "salle",
    "line",
    "ligne",
    "линии",
    "линия",
    "номер",
    "номеру",
    "номером",
    "numéro",
    "décret",
    "указ",
    "указа",
    "указом",
    "reactor",
    "réacteur",
    "platform",
    "quai",
    "terminal",
];

/// Words before a year ("in 2023", "since 2022", "в 2023").
const ORDINAL_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "s", "er", "re", "e", "ème", "eme", "е", "го", "й", "я", "ая", "ой",
    "м", "х", "ые",
];

fn small_number_word(w: &str) -> Option<f64> {
    let v = match w {
        "one" | "un" | "une" | "один" | "одна" | "одно" | "одного" => 1.0,
        "two" | "deux" | "два" | "две" | "двух" => 2.0,
        "three" | "trois" | "три" | "трех" => 3.0,
        "four" | "quatre" | "четыре" | "четырех" => 4.0,
        "five" | "cinq" | "пять" | "пяти" => 5.0,
        "six" | "шесть" | "шести" => 6.0,
        "seven" | "sept" | "семь" | "семи" => 7.0,
        "eight" | "huit" | "восемь" | "восьми" => 8.0,
        "nine" | "neuf" | "девять" | "девяти" => 9.0,
        "ten" | "dix" | "десять" | "десяти" => 10.0,
        "eleven" | "onze" | "одиннадцать" => 11.0,
        "twelve" | "douze" | "двенадцать" => 12.0,
        "thirteen" | "treize" => 13.0,
        "fourteen" | "quatorze" => 14.0,
        "fifteen" | "quinze" | "пятнадцать" => 15.0,
        "sixteen" | "seize" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" | "vingt" | "двадцать" => 20.0,
        "thirty" | "trente" | "тридцать" => 30.0,
        "forty" | "quarante" | "сорок" => 40.0,
        "fifty" | "cinquante" | "пятьдесят" => 50.0,
        "sixty" | "soixante" | "шестьдесят" => 60.0,
        "seventy" | "семьдесят" => 70.0,
        "eighty" | "восемьдесят" => 80.0,
        "ninety" | "девяносто" => 90.0,
        "сто" | "cent" | "cents" => 100.0,
        "двести" => 200.0,
        "триста" => 300.0,
        "пятьсот" => 500.0,
        "dozen" => 12.0,
        // Russian collective numerals: "трое погибли", "пятеро раненых".
        "двое" | "двоих" => 2.0,
        "трое" | "троих" => 3.0,
        "четверо" | "четверых" => 4.0,
        "пятеро" | "пятерых" => 5.0,
        "шестеро" | "шестерых" => 6.0,
        "семеро" | "семерых" => 7.0,
        _ => return approx_number_noun(w),
    };
    Some(v)
}

/// Nouns that name a round number approximately: "une centaine", "un millier",
/// "около сотни", "полторы тысячи".
fn approx_number_noun(w: &str) -> Option<f64> {
    let v = match w {
        "dizaine" => 10.0,
        "douzaine" => 12.0,
        "quinzaine" => 15.0,
        "vingtaine" => 20.0,
        "trentaine" => 30.0,
        "quarantaine" => 40.0,
        "cinquantaine" => 50.0,
        "soixantaine" => 60.0,
        "centaine" => 100.0,
        "millier" => 1000.0,
        "сотня" | "сотню" | "сотни" | "сотен" => 100.0,
        "десяток" | "десятка" | "десятку" | "десятков" => 10.0,
        "полторы" | "полтора" | "полутора" => 1.5,
        _ => return None,
    };
    Some(v)
}

/// Whether a word of a mention makes it approximate ("une centaine").
fn approximate_word(w: &str) -> bool {
    approx_number_noun(w).is_some_and(|v| v != 1.5)
}

/// Scale words: "thousand", "тыс", "млн", "billion", "mille"…
pub(super) fn scale_word(w: &str) -> Option<f64> {
    let v = match w {
        "thousand" | "thousands" | "k" | "тыс" | "тысяча" | "тысячу" | "тысячи" | "тысяч"
        | "mille" => 1e3,
        "million" | "millions" | "mln" | "mn" | "m" | "млн" | "миллион" | "миллиона"
        | "миллионов" => 1e6,
        // "полмиллиона", "полтысячи": half of the scale, in one word.
        "полтысячи" => 5e2,
        "полмиллиона" => 5e5,
        "полмиллиарда" => 5e8,
        "billion"
        | "billions"
        | "bn"
        | "bln"
        | "b"
        | "млрд"
        | "миллиард"
        | "миллиарда"
        | "миллиардов"
        | "milliard"
        | "milliards"
        | "md"
        | "mds"
        | "mrd" => 1e9,
        "trillion"
        | "trillions"
        | "tn"
        | "trn"
        | "трлн"
        | "триллион"
        | "триллиона"
        | "триллионов" => 1e12,
        // South Asian scales: a lakh is 100,000, a crore ten million.
        "lakh" | "lakhs" | "lac" => 1e5,
        "crore" | "crores" | "cr" => 1e7,
        _ => return None,
    };
    Some(v)
}

/// Plurals that say "many" without a number: never read as one.
fn vague_word(w: &str) -> bool {
    matches!(
        w,
        "thousands"
            | "hundreds"
            | "dozens"
            | "tens"
            | "scores"
            | "millions"
            | "several"
            | "numerous"
            | "milliers"
            | "centaines"
            | "dizaines"
            | "plusieurs"
            | "тысячи"
            | "тысяч"
            | "сотни"
            | "десятки"
            | "несколько"
            | "множество"
            | "many"
    )
}

/// A word that multiplies: "ninefold", "fiftyfold".
fn fold_word(w: &str) -> Option<f64> {
    let stem = w.strip_suffix("fold")?;
    let stem = stem.trim_end_matches('-');
    number_words_value(&[stem])
}

fn number_words_value(words: &[&str]) -> Option<f64> {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    for w in words {
        for part in w.split('-') {
            if matches!(part, "сотни" | "сотен" | "сотня" | "сотню") && current > 0.0
            {
                // "полторы сотни": a hundred times what came before.
                current *= 100.0;
                any = true;
            } else if part == "dozen" && current > 0.0 {
                // "two dozen": twelve times what came before.
                current *= 12.0;
                any = true;
            } else if matches!(part, "десятка" | "десятков" | "десяток") && current > 0.0
            {
                // "три десятка", "трех десятков": ten times what came before.
                current *= 10.0;
                any = true;
            } else if matches!(part, "half" | "demi") {
                // "half a million", "un demi-million": half of the scale that follows
                // (the article before, read as one, is no number of its own).
                current = 0.5;
                any = true;
            } else if let Some(v) = small_number_word(part) {
                current += v;
                any = true;
            } else if part == "hundred" {
                current = if current == 0.0 {
                    100.0
                } else {
                    current * 100.0
                };
                any = true;
            } else if let Some(s) = scale_word(part) {
                total += if current == 0.0 { 1.0 } else { current } * s;
                current = 0.0;
                any = true;
            } else {
                return None;
            }
        }
    }
    any.then_some(total + current)
}

/// A French word without an elided "de" ("d'un" → "un").
fn elided_de(w: &str) -> &str {
    ["d'", "d’"]
        .iter()
        .find_map(|p| w.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(w)
}

/// French number words that are other words in English ("UN sanctions", "Sept.").
fn french_only(w: &str) -> bool {
    matches!(
        w,
        "un" | "une" | "sept" | "cent" | "cents" | "neuf" | "dix" | "six" | "mille"
    )
}

/// A number written in words from token `i`: value and the token after it.
fn read_number_words(toks: &[Tok], i: usize, lang: Lang) -> Option<(f64, usize)> {
    // "près d'un million", "plus d'une centaine": the elided "de" is no part of the number.
    let word_at = |k: usize| {
        toks.get(k).and_then(Tok::word).map(|w| {
            if lang == Lang::Fr && k == i {
                elided_de(w)
            } else {
                w
            }
        })
    };
    let first = word_at(i)?;
    if lang != Lang::Fr && french_only(first) && first != "six" {
        return None;
    }
    if lang == Lang::Fr && first == "a" {
        return None;
    }
    // "96 pour un dollar", "for one dollar", "за один доллар": the other side of a rate.
    if matches!(first, "un" | "une" | "one" | "один" | "одну" | "одна")
        && i.checked_sub(1)
            .and_then(|k| toks[k].word())
            .is_some_and(|p| matches!(p, "pour" | "par" | "for" | "per" | "за"))
    {
        return None;
    }
    let mut j = i;
    let mut words: Vec<&str> = Vec::new();
    // "une centaine", "un millier", "une vingtaine": the article is no number of its own.
    if matches!(first, "un" | "une")
        && toks
            .get(i + 1)
            .and_then(Tok::word)
            .is_some_and(|n| approx_number_noun(n).is_some())
    {
        j += 1;
    }
    // "a thousand", "a hundred", "a dozen": the article stands for one.
    if matches!(first, "a" | "an") {
        let next = toks.get(i + 1)?.word()?;
        if !(next == "hundred" || next == "dozen" || scale_word(next).is_some()) {
            return None;
        }
        words.push("one");
        j += 1;
    }
    while let Some(w) = word_at(j) {
        // "two hundred and thirty"
        if w == "and"
            && words
                .last()
                .is_some_and(|p| *p == "hundred" || scale_word(p).is_some())
            && toks
                .get(j + 1)
                .and_then(Tok::word)
                .is_some_and(|n| small_number_word(n).is_some())
        {
            j += 1;
            continue;
        }
        // "half a million": the article after "half" is no number of its own.
        if matches!(w, "a" | "an")
            && words.last() == Some(&"half")
            && toks
                .get(j + 1)
                .and_then(Tok::word)
                .is_some_and(|n| scale_word(n).is_some())
        {
            j += 1;
            continue;
        }
        let half = |p: &str| {
            matches!(p, "half" | "demi")
                && toks
                    .get(j + 1)
                    .and_then(Tok::word)
                    .is_some_and(|n| matches!(n, "a" | "an") || scale_word(n).is_some())
        };
        let is_num = w.split('-').enumerate().all(|(k, p)| {
            small_number_word(p).is_some()
                || p == "hundred"
                || scale_word(p).is_some()
                // "demi-million": half of the scale glued after it.
                || (p == "demi" && k == 0 && w.contains('-'))
                || (k == 0 && half(p))
        });
        // Abbreviated scales ("m", "k", "bn") are words only after a number.
        let is_abbrev = matches!(w, "m" | "k" | "b" | "bn" | "mn" | "md" | "mds");
        if !is_num || (words.is_empty() && is_abbrev) {
            break;
        }
        // "больше тысячи", "около тысячи": after a word of approximation the genitive
        // is one thousand, not "thousands of".
        let approx_before = i
            .checked_sub(1)
            .and_then(|k| toks.get(k))
            .and_then(Tok::word)
            .is_some_and(|p| {
                matches!(
                    p,
                    "больше"
                        | "более"
                        | "около"
                        | "свыше"
                        | "почти"
                        | "менее"
                        | "меньше"
                        | "порядка"
                )
            });
        if words.is_empty()
            && scale_word(w).is_some()
            && !matches!(
                w,
                "тысяча" | "тысячу" | "mille" | "полтысячи" | "полмиллиона" | "полмиллиарда"
            )
            && !(approx_before && w == "тысячи")
        {
            // "thousands of" is vague; a bare "thousand" needs its article.
            break;
        }
        words.push(w);
        j += 1;
    }
    // "d'un pays" is "of a country": only "d'un million", "d'une centaine" are numbers.
    let elided = toks
        .get(i)
        .and_then(Tok::word)
        .is_some_and(|w| elided_de(w) != w);
    if words.is_empty() || (elided && words.len() == 1 && matches!(words[0], "un" | "une")) {
        return None;
    }
    // "Un premier groupe", "une nouvelle vague", "un autre": an article before an
    // adjective of order, not a count ("un seul mort" is one).
    let article = lang == Lang::Fr
        && matches!(words.as_slice(), ["un" | "une"])
        && toks.get(j).and_then(Tok::word).is_some_and(|n| {
            matches!(
                n,
                "premier"
                    | "première"
                    | "deuxième"
                    | "second"
                    | "seconde"
                    | "troisième"
                    | "dernier"
                    | "dernière"
                    | "nouveau"
                    | "nouvel"
                    | "nouvelle"
                    | "autre"
                    | "certain"
                    | "certaine"
            )
        });
    if article {
        return None;
    }
    // The word before a lone "one": a pronoun's ("the one South Korea gave", "that one"),
    // a none's ("No one was hurt", "ни один человек не пострадал") or a speaker's ("said
    // one protester"); "one official told reporters", "one WHO logistician said" name a
    // speaker too. None of them is a count.
    let before = i
        .checked_sub(1)
        .and_then(|k| toks.get(k))
        .and_then(Tok::word);
    let said = |w: &str| matches!(w, "said" | "says" | "told" | "added" | "explained");
    let pronoun = words == ["one"]
        && before.is_some_and(|w| {
            matches!(
                w,
                "the" | "this" | "that" | "which" | "each" | "every" | "any"
            )
        });
    let none = matches!(
        words.as_slice(),
        ["one" | "один" | "одна" | "одного" | "одно"]
    ) && before.is_some_and(|w| matches!(w, "no" | "ни"));
    let speaker = words == ["one"]
        && (before.is_some_and(said)
            || (j + 1..(j + 4).min(toks.len())).any(|k| {
                toks[k].word().is_some_and(said) && (j..k).all(|x| toks[x].word().is_some())
            }));
    if pronoun || none || speaker {
        return None;
    }
    number_words_value(&words).map(|v| (v, j))
}

/// Verbs of change before "from" / "de": what follows is an old and a new value.
pub(super) const CHANGE_VERBS: &[&str] = &[
    "rose",
    "risen",
    "rise",
    "rises",
    "rising",
    "increased",
    "grew",
    "grown",
    "fell",
    "fallen",
    "falls",
    "dropped",
    "declined",
    "climbed",
    "jumped",
    "soared",
    "surged",
    "raised",
    "cut",
    "revised",
    "lowered",
    "reduced",
    "up",
    "down",
    "passé",
    "passée",
    "passés",
    "augmenté",
    "baissé",
    "chuté",
    "grimpé",
    "relevé",
    "abaissé",
    "révisé",
];

/// A French word without the elided article glued to it ("l'article" → "article").
fn without_elision(w: &str) -> &str {
    ["l'", "d'", "l’", "d’"]
        .iter()
        .find_map(|p| w.strip_prefix(p))
        .unwrap_or(w)
}

fn prev_words(toks: &[Tok], i: usize, n: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut k = i;
    while k > 0 && out.len() < n {
        k -= 1;
        match &toks[k].kind {
            TokKind::Word(w) => out.push(w.as_str()),
            TokKind::Sym('(') | TokKind::Sym(')') | TokKind::Sym('№') | TokKind::Sym('#') => {
                if toks[k].is_sym('№') || toks[k].is_sym('#') {
                    out.push("no");
                }
            }
            // "n° 412": the French number sign.
            TokKind::Sym('°') if k > 0 && toks[k - 1].word() == Some("n") => {
                out.push("no");
                k -= 1;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// "ne compte plus que 455 000", "n'en recense plus qu'environ 210", "n'accueillait plus
/// que 460": what is left of a quantity, so its current value (French negation "ne …
/// plus que" right before the figure, whose first token is `first`).
pub fn left_only(toks: &[Tok], first: usize) -> bool {
    let word = |k: usize| toks.get(k).and_then(Tok::word);
    // "plus que 460", or "plus qu'environ 210" with the "que" glued to the figure's word.
    let plus = if word(first.wrapping_sub(1)) == Some("que") {
        first.checked_sub(2)
    } else if word(first).is_some_and(|w| w.starts_with("qu'")) {
        first.checked_sub(1)
    } else {
        None
    };
    let Some(plus) = plus.filter(|&k| word(k) == Some("plus")) else {
        return false;
    };
    (plus.saturating_sub(4)..plus)
        .filter_map(word)
        .any(|w| w == "ne" || (w.starts_with("n'") && w.len() > 2))
}

/// Approximation words before the number: (approx, index of the first approx token).
fn approx_before(toks: &[Tok], i: usize) -> (Approx, usize) {
    if i > 0 {
        if let TokKind::Sym(c) = toks[i - 1].kind {
            let a = match c {
                '~' | '≈' => Some(Approx::About),
                '>' => Some(Approx::Over),
                '≥' => Some(Approx::AtLeast),
                '<' => Some(Approx::Under),
                '≤' => Some(Approx::UpTo),
                _ => None,
            };
            if let Some(a) = a {
                return (a, i - 1);
            }
        }
    }
    let words: Vec<&str> = (i.saturating_sub(3)..i)
        .filter_map(|k| toks[k].word())
        .collect();
    // Only words directly before the number count: stop at a symbol in between.
    let contiguous = (i.saturating_sub(3)..i).all(|k| toks[k].word().is_some());
    let words: Vec<&str> = if contiguous {
        words
    } else {
        let mut v = Vec::new();
        let mut k = i;
        while k > 0 && toks[k - 1].word().is_some() && v.len() < 3 {
            k -= 1;
            v.push(toks[k].word().unwrap_or(""));
        }
        v.reverse();
        v
    };
    // "près d'un million": the number's token holds the "de" of "près de".
    let elided = usize::from(toks[i].word().is_some_and(|w| elided_de(w) != w));
    let mut words = words;
    // "qu'environ 24 000", "d'environ 5 %": the conjunction or "de" elided before the
    // approximation word is no part of it.
    if let Some(last) = words.last_mut() {
        *last = super::lexicon::strip_elision(last);
    }
    if elided == 1 {
        words.push("de");
    }
    const PHRASES: &[(&str, Approx)] = &[
        ("more than", Approx::Over),
        ("upwards of", Approx::Over),
        ("in excess of", Approx::Over),
        ("at least", Approx::AtLeast),
        ("no fewer than", Approx::AtLeast),
        ("no less than", Approx::AtLeast),
        ("not less than", Approx::AtLeast),
        ("up to", Approx::UpTo),
        ("as many as", Approx::UpTo),
        ("fewer than", Approx::Under),
        ("less than", Approx::Under),
        ("an estimated", Approx::About),
        ("close to", Approx::About),
        ("in the region of", Approx::About),
        ("of the order of", Approx::About),
        ("on the order of", Approx::About),
        ("just over", Approx::Over),
        ("just under", Approx::Under),
        ("at most", Approx::UpTo),
        ("de l'ordre de", Approx::About),
        ("autour de", Approx::About),
        ("à peu près", Approx::About),
        ("au plus", Approx::UpTo),
        ("au maximum", Approx::UpTo),
        ("au minimum", Approx::AtLeast),
        ("чуть более", Approx::Over),
        ("чуть больше", Approx::Over),
        ("чуть менее", Approx::Under),
        ("чуть меньше", Approx::Under),
        ("максимум", Approx::UpTo),
        ("минимум", Approx::AtLeast),
        ("не менее", Approx::AtLeast),
        ("как минимум", Approx::AtLeast),
        ("по меньшей мере", Approx::AtLeast),
        ("не более", Approx::UpTo),
        ("pas moins de", Approx::AtLeast),
        ("plus de", Approx::Over),
        ("au moins", Approx::AtLeast),
        ("près de", Approx::About),
        ("moins de", Approx::Under),
        ("jusqu'à", Approx::UpTo),
        ("about", Approx::About),
        ("around", Approx::About),
        ("approximately", Approx::About),
        ("approx", Approx::About),
        ("roughly", Approx::About),
        ("some", Approx::About),
        ("nearly", Approx::About),
        ("almost", Approx::About),
        ("circa", Approx::About),
        ("estimated", Approx::About),
        ("over", Approx::Over),
        ("above", Approx::Over),
        ("under", Approx::Under),
        ("below", Approx::Under),
        ("около", Approx::About),
        ("почти", Approx::About),
        ("примерно", Approx::About),
        ("приблизительно", Approx::About),
        ("порядка", Approx::About),
        // "не менее чем в 1 млрд рублей": the "в" of an estimate ("оценивает в").
        ("более чем в", Approx::Over),
        ("менее чем в", Approx::Under),
        ("более чем", Approx::Over),
        ("больше чем", Approx::Over),
        ("менее чем", Approx::Under),
        ("более", Approx::Over),
        ("свыше", Approx::Over),
        ("больше", Approx::Over),
        ("менее", Approx::Under),
        ("меньше", Approx::Under),
        ("до", Approx::UpTo),
        ("environ", Approx::About),
        ("presque", Approx::About),
        ("quelque", Approx::About),
        ("approximativement", Approx::About),
        // Verbs of exceeding right before the figure: "dépasse 120", "exceeds 120",
        // "превышает 120" (a negated one is a ceiling: measures::capped).
        ("dépasse", Approx::Over),
        ("dépassent", Approx::Over),
        ("exceeds", Approx::Over),
        ("exceeded", Approx::Over),
        ("превышает", Approx::Over),
        ("превысило", Approx::Over),
        ("превысил", Approx::Over),
        ("превысила", Approx::Over),
        ("превысили", Approx::Over),
        ("dépasserait", Approx::Over),
        ("dépasseraient", Approx::Over),
        ("dépassait", Approx::Over),
        ("dépassaient", Approx::Over),
    ];
    for (phrase, a) in PHRASES {
        let p: Vec<&str> = phrase.split(' ').collect();
        // Russian "до" after a change ("вырос в девять раз, до 34 млн", "повысил оценку
        // убытков до 2,6 млрд", "пересмотрена до 4 581 300") gives the new level, not a
        // ceiling: a verb or noun of change up to five words back in the clause.
        if *phrase == "до" && i >= 2 {
            let before = &toks[i - 2];
            // The verbs and nouns of change are the lexicon's (`markers.changed_to`).
            let lex = super::lexicon::lexicon();
            let change_word = |w: &str| matches!(w, "раз" | "раза") || lex.change_word(w);
            let change = (2..=6)
                .map_while(|d| i.checked_sub(d).and_then(|k| toks[k].word()))
                .any(change_word);
            if change || before.is_sym(',') {
                continue;
            }
        }
        if words.len() >= p.len() && words[words.len() - p.len()..] == p[..] {
            let start = (i + elided) - p.len();
            // "pas plus de 5 800", "не превышает 120 млн", "not more than 40", "не
            // меньше 25": a negated bound is the other bound, and no denial.
            // "n'ont pas produit plus de 5 800": the negation may stand before a verb.
            let negation = |k: usize| {
                toks.get(k)
                    .and_then(Tok::word)
                    .is_some_and(|w| matches!(w, "не" | "pas" | "not" | "no"))
            };
            let neg_at = [1, 2].into_iter().find(|&d| {
                start >= d
                    && negation(start - d)
                    && (1..d).all(|e| toks[start - e].word().is_some())
            });
            return match (neg_at, *a) {
                (Some(d), Approx::Over) => (Approx::UpTo, start - d),
                (Some(d), Approx::Under) => (Approx::AtLeast, start - d),
                (_, a) => (a, start),
            };
        }
    }
    // "ne dépasse pas 8 tonnes", "ne dépasserait pas 0,9": a negated verb of exceeding
    // right before the figure is a ceiling.
    if let [.., verb, "pas"] = words[..] {
        if verb.starts_with("dépass") || verb.starts_with("excéd") {
            return (Approx::UpTo, i - 2);
        }
    }
    (Approx::Exact, i)
}

pub fn is_month(w: &str) -> bool {
    MONTHS.contains(&w)
}

/// The number (digits or words) at token `i`, without scale: value, next token, whether
/// it is a plain integer of `int_digits` digits.
fn read_core(toks: &[Tok], i: usize, lang: Lang) -> Option<(f64, usize, bool, usize)> {
    match &toks[i].kind {
        TokKind::Num {
            value,
            grouped,
            int_digits,
        } => Some((*value, i + 1, *grouped, *int_digits)),
        TokKind::Word(_) => read_number_words(toks, i, lang).map(|(v, j)| (v, j, true, 0)),
        TokKind::Sym(_) => None,
    }
}

/// A scale word at `j` (optionally followed by its abbreviation dot).
fn read_scale(toks: &[Tok], j: usize) -> (f64, usize) {
    // "$1.2-million", "a 3-billion-euro plan": the scale hyphenated to the digits.
    if toks.get(j).is_some_and(|t| t.is_sym('-') && t.glued)
        && toks
            .get(j + 1)
            .is_some_and(|t| t.glued && t.word().and_then(scale_word).is_some_and(|v| v >= 1e6))
    {
        return read_scale(toks, j + 1);
    }
    let Some(w) = toks.get(j).and_then(Tok::word) else {
        return (1.0, j);
    };
    // "m", "k", "b" only count glued to the digits or after a currency sign.
    let short = matches!(w, "m" | "k" | "b");
    if short && !toks[j].glued {
        return (1.0, j);
    }
    if vague_word(w) && !matches!(w, "тысячи" | "тысяч" | "thousands" | "millions") {
        return (1.0, j);
    }
    match scale_word(w) {
        Some(s) => {
            let mut k = j + 1;
            if toks.get(k).is_some_and(|t| t.is_sym('.'))
                && matches!(
                    w,
                    "тыс" | "млн" | "млрд" | "трлн" | "mln" | "bn" | "bln" | "md" | "mds" | "cr"
                )
                && toks.get(k + 1).is_some()
            {
                k += 1;
            }
            (s, k)
        }
        None => (1.0, j),
    }
}

/// Read every number mention of a tokenised sentence.
pub fn mentions(toks: &[Tok], lang: Lang) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match read_mention(toks, i, lang) {
            Step::Mention(m) => {
                i = m.next_tok.max(i + 1);
                out.push(m);
            }
            Step::Skip(next) => i = next.max(i + 1),
        }
    }
    out
}

/// A fraction written in words at token `i`, as a percent, and how many tokens it takes:
/// "a third", "two-thirds", "a quarter", "half", "un tiers" ("d'un tiers"), "moitié",
/// "треть", "две трети", "четверть" (thirds to one decimal, as news writes them).
fn fraction_at(toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    let word = |k: usize| toks.get(k).and_then(Tok::word);
    let one = |w: &str| matches!(w, "a" | "one" | "un" | "d'un" | "одну");
    let (value, len) = match (word(i)?, word(i + 1)) {
        (w, Some("third" | "tiers")) if one(w) => (33.3, 2),
        (w, Some("quarter" | "quart")) if one(w) => (25.0, 2),
        ("two" | "deux" | "две", Some("thirds" | "tiers" | "трети")) => (66.7, 2),
        ("three" | "trois" | "три", Some("quarters" | "quarts" | "четверти")) => {
            (75.0, 2)
        }
        ("two-thirds", _) => (66.7, 1),
        ("three-quarters", _) => (75.0, 1),
        ("half" | "moitié", _) => (50.0, 1),
        ("треть", _) => (33.3, 1),
        ("четверть", _) => (25.0, 1),
        _ => return None,
    };
    Some((value, len))
}

enum Step {
    Mention(Mention),
    Skip(usize),
}

fn read_mention(toks: &[Tok], i: usize, lang: Lang) -> Step {
    let t = &toks[i];
    // Vague plurals: "thousands of", "des milliers", "тысячи" (not after a number).
    if let Some(w) = t.word() {
        // "около сотни" is about a hundred, "больше тысячи" more than a thousand;
        // "сотни людей", "тысячи людей" are many.
        let counted_hundred = matches!(w, "сотни" | "сотню" | "тысячи")
            && i > 0
            && toks[i - 1].word().is_some_and(|p| {
                matches!(
                    p,
                    "около"
                        | "почти"
                        | "более"
                        | "свыше"
                        | "примерно"
                        | "больше"
                        | "менее"
                        | "меньше"
                        | "порядка"
                )
            });
        if vague_word(w) && !counted_hundred {
            let mut j = i + 1;
            while toks.get(j).and_then(Tok::word).is_some_and(|w| {
                vague_word(w) || matches!(w, "of" | "de" | "des" | "thousand" | "hundred")
            }) {
                j += 1;
            }
            return Step::Skip(j);
        }
        if let Some(v) = fold_word(w) {
            return Step::Mention(Mention {
                first_tok: approx_before(toks, i).1,
                next_tok: i + 1,
                num_tok: i,
                value: v,
                value_max: None,
                approx: approx_before(toks, i).0,
                unit: NumUnit::Ratio,
                year_like: false,
                strong: false,
            });
        }
    }
    // "fallen by about a third", "reculé d'un quart", "сократился на треть": a change
    // told as a fraction is a share.
    if let Some((value, len)) = fraction_at(toks, i) {
        let (approx, first_tok) = approx_before(toks, i);
        let word = |k: usize| toks.get(k).and_then(Tok::word);
        // After "by" / "на", or a French verb of change ("reculé d'un tiers", "baissé de
        // moitié"): "près d'un quart du département" is a share of something, not a change.
        let before = first_tok.checked_sub(1).and_then(word);
        let french_change = |w: &str| {
            w.ends_with('é')
                || w.ends_with("ée")
                || w.ends_with("és")
                || w.ends_with("ées")
                || matches!(w, "recule" | "baisse" | "chute" | "augmente" | "diminue")
        };
        let by = match (before, word(i)) {
            (Some("by" | "на"), _) => true,
            (Some(w), Some(f)) if f.starts_with("d'") => french_change(w),
            (Some("de"), _) => first_tok
                .checked_sub(2)
                .and_then(word)
                .is_some_and(french_change),
            _ => false,
        };
        if by {
            return Step::Mention(Mention {
                first_tok,
                next_tok: i + len,
                num_tok: i,
                value,
                value_max: None,
                approx: if approx == Approx::Exact {
                    Approx::About
                } else {
                    approx
                },
                unit: NumUnit::Percent,
                year_like: false,
                strong: false,
            });
        }
    }
    let Some((mut value, mut j, grouped, int_digits)) = read_core(toks, i, lang) else {
        return Step::Skip(i + 1);
    };
    let is_digits = matches!(t.kind, TokKind::Num { .. });
    if is_digits {
        // Glued suffixes: ordinals, decades, times, compound adjectives.
        if let Some(n) = toks.get(j).filter(|n| n.glued) {
            if let Some(w) = n.word() {
                // "19th", "19th-century", "3e", "2-й"
                let head = w.split('-').next().unwrap_or(w);
                if ORDINAL_SUFFIXES.contains(&w) || ORDINAL_SUFFIXES.contains(&head) {
                    return Step::Skip(j + 1);
                }
            }
            if n.is_sym(':') && toks.get(j + 1).is_some_and(|x| x.glued) {
                return Step::Skip(j + 2);
            }
            if n.is_sym('/') && toks.get(j + 1).is_some_and(|x| x.glued) {
                // 19/06/2024 and other slashed dates.
                return Step::Skip(j + 4);
            }
        }
        // Identifiers: "Resolution 2397", "No. 2397", "aged 84", "page 3".
        let before = prev_words(toks, i, 2);
        if before
            .iter()
            .any(|w| ID_WORDS.contains(&without_elision(w)))
        {
            // "aged between 24 and 51": the second age goes with the first.
            let age = before.iter().any(|w| {
                matches!(
                    *w,
                    "aged" | "age" | "ages" | "âgé" | "âgés" | "âgées" | "возрасте"
                )
            });
            let joined = toks.get(j).is_some_and(|t| {
                t.is_sym('-')
                    || t.is_sym('–')
                    || t.word()
                        .is_some_and(|w| matches!(w, "and" | "to" | "et" | "à" | "и" | "до"))
            });
            if age
                && joined
                && toks
                    .get(j + 1)
                    .is_some_and(|t| matches!(t.kind, TokKind::Num { .. }))
            {
                return Step::Skip(j + 2);
            }
            return Step::Skip(j);
        }
        // A registry number after its acronym: "(IMO 9711436)", "MMSI 273456780". Six
        // digits or more, ungrouped, right after a word in capitals that is not a
        // currency code ("USD 250000", "CHF 250000" are amounts).
        if !grouped
            && int_digits >= 6
            && i > 0
            && toks[i - 1].acronym
            && toks[i - 1].word().is_some_and(|w| {
                // The three this reader knows itself, then the lexicon's currencies.
                !matches!(w, "usd" | "eur" | "rub")
                    && !super::lexicon::lexicon()
                        .units
                        .iter()
                        .any(|u| u.currency && u.id == w)
            })
        {
            return Step::Skip(j);
        }
        // Phone numbers: "+7 495 …", "555-1234".
        if i > 0 && toks[i - 1].is_sym('+') {
            let mut k = j;
            while toks
                .get(k)
                .is_some_and(|x| matches!(x.kind, TokKind::Num { .. }) || x.is_sym('-'))
            {
                k += 1;
            }
            return Step::Skip(k);
        }
        // A run of numbers with nothing between ("8 800 200 14 14"): a phone number or a
        // code, never a count.
        if toks
            .get(j)
            .is_some_and(|x| matches!(x.kind, TokKind::Num { .. }))
        {
            let mut k = j;
            while toks
                .get(k)
                .is_some_and(|x| matches!(x.kind, TokKind::Num { .. }))
            {
                k += 1;
            }
            return Step::Skip(k);
        }
        // Dates: a month name next to the number.
        let prev_month = before.last().is_some_and(|w| is_month(w));
        let next_month = toks.get(j).and_then(Tok::word).is_some_and(is_month);
        if (prev_month || next_month) && int_digits > 0 && int_digits <= 4 {
            return Step::Skip(j + 1);
        }
    } else if let Some(n) = toks.get(j).and_then(Tok::word) {
        // "nine times", "neuf fois", "в девять раз" read below; dates in words are rare.
        let _ = n;
    }
    let year_like = !grouped && int_digits == 4 && (1800.0..=2100.0).contains(&value);
    // A compound adjective: "5,000-ton", "84-year-old", "1950-е", unless "-strong"/"-fold".
    let mut strong = false;
    if is_digits {
        if let (Some(d), Some(w)) = (toks.get(j), toks.get(j + 1)) {
            if d.is_sym('-') && d.glued && w.glued {
                match w.word() {
                    Some("strong") => {
                        strong = true;
                        j += 2;
                    }
                    Some("fold") => {
                        let (approx, first) = approx_before(toks, i);
                        return Step::Mention(Mention {
                            first_tok: first,
                            next_tok: j + 2,
                            num_tok: i,
                            value,
                            value_max: None,
                            approx,
                            unit: NumUnit::Ratio,
                            year_like: false,
                            strong: false,
                        });
                    }
                    // "$1.2-million": the scale, read below.
                    Some(w) if scale_word(w).is_some_and(|v| v >= 1e6) => {}
                    Some(_) => return Step::Skip(j + 2),
                    None => {}
                }
            }
        }
    }
    let (approx0, mut first_tok) = approx_before(toks, i);
    let mut approx = approx0;
    // Currency before: "$", "US$", "USD", "€".
    let mut unit = NumUnit::Count;
    if i > 0 {
        let p = &toks[i - 1];
        let cur = match &p.kind {
            TokKind::Sym('$') => Some(NumUnit::Usd),
            TokKind::Sym('€') => Some(NumUnit::Eur),
            TokKind::Sym('£') => Some(NumUnit::Dollar("gbp")),
            TokKind::Sym('₽') => Some(NumUnit::Rub),
            TokKind::Sym('₴') => Some(NumUnit::Dollar("uah")),
            TokKind::Sym('₹') => Some(NumUnit::Dollar("inr")),
            TokKind::Sym('₸') => Some(NumUnit::Dollar("kzt")),
            TokKind::Sym('₦') => Some(NumUnit::Dollar("ngn")),
            TokKind::Sym('₺') => Some(NumUnit::Dollar("try")),
            TokKind::Sym('₩') => Some(NumUnit::Dollar("krw")),
            TokKind::Sym('₪') => Some(NumUnit::Dollar("ils")),
            TokKind::Sym('¥') => Some(NumUnit::Dollar("jpy")),
            TokKind::Sym('₱') => Some(NumUnit::Dollar("php")),
            TokKind::Word(w) if w == "usd" => Some(NumUnit::Usd),
            // "Rs 20,000", "Rs. 142 crore"; "R100,000" (rand) only glued to its figure.
            TokKind::Word(w) if w == "rs" => Some(NumUnit::Dollar("inr")),
            TokKind::Word(w) if w == "r" && toks[i].glued => Some(NumUnit::Dollar("zar")),
            _ => None,
        };
        // "Rs. 142 crore": the abbreviation's full stop stands before the figure.
        let (cur, p, at) = match (cur, i.checked_sub(2).map(|k| &toks[k])) {
            (None, Some(rs)) if p.is_sym('.') && rs.word() == Some("rs") => {
                (Some(NumUnit::Dollar("inr")), rs, i - 2)
            }
            (c, _) => (c, p, i - 1),
        };
        if let Some(c) = cur {
            unit = c;
            let mut sign = at;
            // "C$1.9 billion", "A$40m", "US$5": the country glued to the dollar sign.
            if p.is_sym('$') && sign > 0 && toks[sign - 1].end == p.start {
                let country = toks[sign - 1].word().and_then(|w| match w {
                    "us" => Some(NumUnit::Usd),
                    "c" | "ca" | "can" => Some(NumUnit::Dollar("cad")),
                    "a" | "au" => Some(NumUnit::Dollar("aud")),
                    "nz" => Some(NumUnit::Dollar("nzd")),
                    "hk" => Some(NumUnit::Dollar("hkd")),
                    "s" => Some(NumUnit::Dollar("sgd")),
                    _ => None,
                });
                if let Some(c) = country {
                    unit = c;
                    sign -= 1;
                }
            }
            let (a, f) = approx_before(toks, sign);
            approx = a;
            first_tok = f.min(sign);
        }
    }
    let (mut scale, mut k) = read_scale(toks, j);
    if unit != NumUnit::Count && scale == 1.0 {
        // "$34m", "$11bn": short scales right after a currency amount.
        if let Some(w) = toks.get(j).and_then(Tok::word) {
            if matches!(w, "m" | "b") {
                scale = if w == "m" { 1e6 } else { 1e9 };
                k = j + 1;
            }
        }
    }
    // Ranges: "3,000–4,000", "3-4 тыс.", "between 3,000 and 4,000", "от 3 до 4".
    let mut value_max = None;
    let before1 = prev_words(toks, first_tok, 1);
    // "rose from 40 to 52", "est passé de 40 à 52": a change from one value to another,
    // not a range.
    let before2 = prev_words(toks, first_tok, 2);
    let change = before2.len() == 2 && CHANGE_VERBS.contains(&before2[0]);
    let range_intro = !change
        && before1.first().is_some_and(|w| {
            matches!(
                *w,
                "between" | "from" | "entre" | "qu'entre" | "d'entre" | "de" | "от" | "между"
            )
        });
    if let Some(sep) = toks.get(k) {
        let is_dash = matches!(
            sep.kind,
            TokKind::Sym('–') | TokKind::Sym('—') | TokKind::Sym('-')
        );
        let is_word_sep = sep.word().is_some_and(|w| {
            (range_intro && matches!(w, "and" | "to" | "et" | "à" | "a" | "до" | "и"))
                // "2,000 to 3,000", "2 000 à 3 000": a range without "between".
                || (!change && matches!(w, "to" | "à"))
        });
        if (is_dash || is_word_sep) && k + 1 < toks.len() {
            let mut n2 = k + 1;
            // "between €180 million and €220 million", "$3-$4 billion".
            if (unit == NumUnit::Usd && toks[n2].is_sym('$'))
                || (unit == NumUnit::Eur && toks[n2].is_sym('€'))
            {
                n2 += 1;
            }
            if let Some((v2, j2, grouped2, digits2)) = read_core(toks, n2, lang) {
                let (scale2, k2) = read_scale(toks, j2);
                // "032-899-3000": a leading zero, or a third group after another dash,
                // makes a phone number or a reference, never a range.
                let leading_zero = int_digits >= 2 && value < 10f64.powi(int_digits as i32 - 1);
                let chained = toks.get(k2).is_some_and(|t| t.is_sym('-') && t.glued)
                    && toks
                        .get(k2 + 1)
                        .is_some_and(|t| matches!(t.kind, TokKind::Num { .. }));
                let chained_before = i >= 2
                    && toks[i].glued
                    && toks[i - 1].is_sym('-')
                    && toks[i - 1].glued
                    && matches!(toks[i - 2].kind, TokKind::Num { .. });
                let phone = is_dash
                    && ((!grouped && !grouped2 && int_digits >= 3 && digits2 >= 4)
                        || leading_zero
                        || chained
                        || chained_before);
                let years = year_like && digits2 == 4 && (1800.0..=2100.0).contains(&v2);
                let years2 = year_like && digits2 == 2;
                if phone || years || years2 {
                    return Step::Skip(k2);
                }
                let s1 = if scale == 1.0 { scale2 } else { scale };
                let lo = value * s1;
                let hi = v2 * scale2;
                if hi > lo {
                    value = lo;
                    scale = 1.0;
                    value_max = Some(hi);
                    k = k2;
                }
            }
        }
    }
    value *= scale;
    // Currency, percent and multipliers after the number.
    let mut m = k;
    let next_word = |idx: usize| toks.get(idx).and_then(Tok::word);
    if toks.get(m).is_some_and(|t| t.is_sym('%')) {
        unit = NumUnit::Percent;
        m += 1;
    } else if let Some(w) = next_word(m) {
        // "millions d'euros": the elided article is glued to the currency.
        let mut w = w.strip_prefix("d'").unwrap_or(w);
        let mut skip = 0;
        if matches!(w, "de" | "d'" | "us") {
            if let Some(w2) = next_word(m + 1) {
                w = w2;
                skip = 1;
            }
        }
        let after = match w {
            "percent" | "pourcent" => Some((NumUnit::Percent, 1)),
            "per" | "pour" if next_word(m + 1) == Some("cent") => Some((NumUnit::Percent, 2)),
            _ if w.starts_with("процент") => Some((NumUnit::Percent, 1)),
            "dollars" | "dollar" | "usd" | "долларов" | "доллара" | "доллар" | "долл" =>
            {
                // "dollars australiens", "dollars canadiens": the country after the word.
                let country = match next_word(m + 1 + skip) {
                    Some("australiens" | "australien") => Some("aud"),
                    Some("canadiens" | "canadien") => Some("cad"),
                    Some("néo-zélandais") => Some("nzd"),
                    Some("singapouriens" | "singapourien") => Some("sgd"),
                    Some("hongkongais") => Some("hkd"),
                    _ => None,
                };
                match country {
                    Some(c) => Some((NumUnit::Dollar(c), 2 + skip)),
                    None => Some((NumUnit::Usd, 1 + skip)),
                }
            }
            "euros" | "euro" | "евро" => Some((NumUnit::Eur, 1 + skip)),
            "rubles" | "roubles" | "рублей" | "рубля" | "руб" => {
                Some((NumUnit::Rub, 1 + skip))
            }
            "times" | "fois" | "раз" | "раза" => Some((NumUnit::Ratio, 1)),
            _ => None,
        };
        if let Some((u, n)) = after {
            if unit == NumUnit::Count || u == unit {
                unit = u;
                m += n;
            }
        }
    } else if toks.get(m).is_some_and(|t| t.is_sym('$')) {
        unit = NumUnit::Usd;
        m += 1;
    }
    // "1,000 or more", "5,000 or so".
    if approx == Approx::Exact && next_word(m) == Some("or") {
        match next_word(m + 1) {
            Some("more") => {
                approx = Approx::AtLeast;
                m += 2;
            }
            Some("so") => {
                approx = Approx::About;
                m += 2;
            }
            _ => {}
        }
    }
    // "un millier de" reads "about a thousand".
    if approx == Approx::Exact
        && toks[i..m.min(toks.len())]
            .iter()
            .filter_map(Tok::word)
            .any(approximate_word)
    {
        approx = Approx::About;
    }
    Step::Mention(Mention {
        first_tok,
        next_tok: m,
        num_tok: i,
        value,
        value_max,
        approx,
        unit,
        year_like,
        strong,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str, lang: Lang) -> Vec<(f64, Option<f64>, Approx, NumUnit)> {
        let toks = tokenize(s, lang);
        mentions(&toks, lang)
            .into_iter()
            .map(|m| (m.value, m.value_max, m.approx, m.unit))
            .collect()
    }

    #[test]
    fn approximate_number_nouns_and_compound_number_words() {
        let first = |s: &str, lang| read(s, lang).first().map(|r| (r.0, r.1, r.2));
        assert_eq!(
            first("une centaine de patients", Lang::Fr),
            Some((100.0, None, Approx::About))
        );
        assert_eq!(
            first("un millier de sacs", Lang::Fr),
            Some((1000.0, None, Approx::About))
        );
        assert_eq!(
            first("une quinzaine de personnes", Lang::Fr),
            Some((15.0, None, Approx::About))
        );
        assert_eq!(
            first("около сотни из них", Lang::Ru),
            Some((100.0, None, Approx::About))
        );
        assert_eq!(
            first("полторы тысячи грузовиков", Lang::Ru).map(|r| r.0),
            Some(1500.0)
        );
        assert_eq!(
            first("полторы сотни семей", Lang::Ru).map(|r| r.0),
            Some(150.0)
        );
        assert_eq!(first("Ещё трое погибли", Lang::Ru).map(|r| r.0), Some(3.0));
        assert_eq!(
            first("two dozen villages", Lang::En).map(|r| r.0),
            Some(24.0)
        );
        assert_eq!(
            first("Two hundred and thirty tonnes", Lang::En).map(|r| r.0),
            Some(230.0)
        );
        // Halves of a scale and Russian tens.
        for (text, lang, value) in [
            ("half a million people", Lang::En, 500_000.0),
            ("près d'un demi-million de passagers", Lang::Fr, 500_000.0),
            ("эвакуированы полмиллиона человек", Lang::Ru, 500_000.0),
            ("около трех десятков судов", Lang::Ru, 30.0),
            ("около десятка рабочих", Lang::Ru, 10.0),
        ] {
            assert_eq!(first(text, lang).map(|r| r.0), Some(value), "{text}");
        }
        assert_eq!(
            first("более чем 200 человек", Lang::Ru).map(|r| (r.0, r.2)),
            Some((200.0, Approx::Over))
        );
        // A change told as a fraction is a share; a share of something is not a change.
        for (text, lang, value) in [
            ("exports have fallen by about a third", Lang::En, Some(33.3)),
            ("down by roughly a quarter since May", Lang::En, Some(25.0)),
            ("les ventes ont reculé d'un tiers", Lang::Fr, Some(33.3)),
            ("экспорт сократился на треть", Lang::Ru, Some(33.3)),
            ("soit près d'un quart du département", Lang::Fr, None),
            ("a third of homes were damaged", Lang::En, None),
        ] {
            let got = read(text, lang);
            assert_eq!(
                got.first().map(|r| (r.0, r.3)),
                value.map(|v| (v, NumUnit::Percent)),
                "{text}"
            );
        }
        // A range after an elided "que" or "de".
        assert_eq!(
            first("estime qu'entre 150 000 et 170 000 personnes", Lang::Fr).map(|r| (r.0, r.1)),
            Some((150_000.0, Some(170_000.0)))
        );
        // A French range needs no "entre": "contre 2 000 à 3 000"; a later smaller
        // figure after "à" is no range.
        assert_eq!(
            first("contre 2 000 à 3 000 il y a dix jours", Lang::Fr).map(|r| (r.0, r.1)),
            Some((2_000.0, Some(3_000.0)))
        );
        assert_eq!(
            first("les 2 000 soldats arrivés à 3 heures", Lang::Fr).map(|r| (r.0, r.1)),
            Some((2_000.0, None))
        );
        // Labels and ages: no quantity ("courtroom 3", "décret n° 412", "по номеру 1432",
        // "aged between 24 and 51").
        assert!(read("in courtroom 3", Lang::En).is_empty());
        assert!(read("par le décret n° 412", Lang::Fr).is_empty());
        assert!(read("работает по номеру 1432", Lang::Ru).is_empty());
        assert!(read("the victims, aged between 24 and 51, were", Lang::En).is_empty());
        // An article before an adjective of order: "un premier groupe" is no count.
        assert!(read("Un premier groupe devrait arriver", Lang::Fr).is_empty());
        assert_eq!(first("un seul mort", Lang::Fr).map(|r| r.0), Some(1.0));
        // A phone number written in groups is no count.
        assert!(read("Телефон горячей линии — 8 800 200 14 14.", Lang::Ru).is_empty());
        // With dashes: a leading zero or a third group makes it no range.
        for phone in [
            "told to call 032-899-3000 for shelter",
            "call 555-12-40 now",
        ] {
            assert!(
                read(phone, Lang::En).iter().all(|r| r.1.is_none()),
                "{phone}"
            );
        }
        assert_eq!(
            read("20-30 homes burned", Lang::En).first().map(|r| r.1),
            Some(Some(30.0))
        );
        // An abbreviated month in a dateline is a date.
        assert!(read("SYDNEY, 8 janv. (AMI)", Lang::Fr).is_empty());
        assert!(read("МОСКВА, 8 дек. (РИА)", Lang::Ru).is_empty());
        // "больше тысячи" is a thousand; "тысячи людей" thousands, vague.
        assert_eq!(
            first("их было больше тысячи", Lang::Ru).map(|r| (r.0, r.2)),
            Some((1000.0, Approx::Over))
        );
        assert!(read("тысячи людей вышли", Lang::Ru).is_empty());
        // "The one Seoul gave", "that one": a pronoun, no count; "one soldier" is one.
        assert!(read("a higher figure than the one Seoul gave", Lang::En).is_empty());
        assert_eq!(
            first("one soldier was captured", Lang::En).map(|r| r.0),
            Some(1.0)
        );
        // "No one was hurt", "ни один человек не пострадал": none, not a figure of one.
        assert!(read("No one was hurt.", Lang::En).is_empty());
        assert!(read("Ни один человек не пострадал.", Lang::Ru).is_empty());
        // A speaker: "said one protester", "one WHO logistician said"; "one man died" is one.
        assert!(read("\"We are losing,\" said one protester.", Lang::En).is_empty());
        assert!(read("one WHO logistician said on Monday", Lang::En).is_empty());
        assert_eq!(first("One man has died.", Lang::En).map(|r| r.0), Some(1.0));
        assert_eq!(
            first("It claimed one life, police said.", Lang::En).map(|r| r.0),
            Some(1.0)
        );
        // "Half of the 300 homes": the figure is 300, not half of anything.
        assert_eq!(
            first("Half of the 300 homes", Lang::En).map(|r| r.0),
            Some(300.0)
        );
        // Pounds, roubles and hryvnias by their signs.
        assert_eq!(
            read("could top £200 million", Lang::En)
                .first()
                .map(|r| (r.0, r.3)),
            Some((200e6, NumUnit::Dollar("gbp")))
        );
        assert_eq!(
            read("ущерб в ₽5 млн", Lang::Ru).first().map(|r| (r.0, r.3)),
            Some((5e6, NumUnit::Rub))
        );
        assert_eq!(
            first("between €180 million and €220 million", Lang::En).map(|r| (r.0, r.1)),
            Some((180e6, Some(220e6)))
        );
        // Trillions, lakhs and crores, South Asian grouping, and the signs and
        // abbreviations of other currencies.
        assert_eq!(read("1.2 trillion tenge", Lang::En)[0].0, 1.2e12);
        assert_eq!(read("превысил 2,1 трлн рублей", Lang::Ru)[0].0, 2.1e12);
        assert_eq!(read("about 11 lakh people", Lang::En)[0].0, 1.1e6);
        assert_eq!(
            read("₹4,500 crore", Lang::En).first().map(|r| (r.0, r.3)),
            Some((4.5e10, NumUnit::Dollar("inr")))
        );
        assert_eq!(read("2,84,000 cases", Lang::En)[0].0, 284_000.0);
        assert_eq!(
            read("1,4 milliard de dollars australiens", Lang::Fr)
                .first()
                .map(|r| r.3),
            Some(NumUnit::Dollar("aud"))
        );
        assert_eq!(
            read("fines totalling $1.2-million", Lang::En)
                .first()
                .map(|r| (r.0, r.3)),
            Some((1.2e6, NumUnit::Usd))
        );
        assert_eq!(
            read("released ₱120 million", Lang::En).first().map(|r| r.3),
            Some(NumUnit::Dollar("php"))
        );
        assert_eq!(read("1,20,50,000 voters", Lang::En)[0].0, 12_050_000.0);
        assert_eq!(read("1,200,000 voters", Lang::En)[0].0, 1_200_000.0);
        assert_eq!(
            read("fined Rs. 5 lakh", Lang::En)
                .first()
                .map(|r| (r.0, r.3)),
            Some((5e5, NumUnit::Dollar("inr")))
        );
        assert_eq!(
            read("a R100,000 reward", Lang::En)
                .first()
                .map(|r| (r.0, r.3)),
            Some((1e5, NumUnit::Dollar("zar")))
        );
        assert_eq!(
            read("row R 12 of the stand", Lang::En).first().map(|r| r.3),
            Some(NumUnit::Count)
        );
        // Still vague without a number: "сотни людей", "des centaines".
        assert!(read("сотни людей", Lang::Ru).is_empty());
        assert!(read("des centaines de maisons", Lang::Fr).is_empty());
        // "19th-century" is an ordinal.
        assert!(read("the 19th-century bridge", Lang::En).is_empty());
    }

    #[test]
    fn digits_in_three_conventions() {
        assert_eq!(read("1,000 men", Lang::En)[0].0, 1000.0);
        assert_eq!(read("1 000 hommes", Lang::Fr)[0].0, 1000.0);
        assert_eq!(read("1.000 hommes", Lang::Fr)[0].0, 1000.0);
        assert_eq!(read("1,5 млрд", Lang::Ru)[0].0, 1.5e9);
        assert_eq!(
            read("$34.4 mln", Lang::En)[0],
            (34.4e6, None, Approx::Exact, NumUnit::Usd)
        );
    }

    #[test]
    fn words_ranges_and_approximations() {
        assert_eq!(read("a thousand sappers", Lang::En)[0].0, 1000.0);
        assert_eq!(read("five thousand men", Lang::En)[0].0, 5000.0);
        assert_eq!(read("пять тысяч человек", Lang::Ru)[0].0, 5000.0);
        assert_eq!(read("3,000–4,000 soldiers", Lang::En)[0].1, Some(4000.0));
        assert_eq!(
            read("between 3 and 4 thousand", Lang::En)[0],
            (3000.0, Some(4000.0), Approx::Exact, NumUnit::Count)
        );
        assert_eq!(read("~600 dead", Lang::En)[0].2, Approx::About);
        assert_eq!(read("more than 1,000 dead", Lang::En)[0].2, Approx::Over);
        assert_eq!(read("не менее 500 человек", Lang::Ru)[0].2, Approx::AtLeast);
        assert_eq!(
            read("оценивает ущерб не менее чем в 1 млрд рублей", Lang::Ru)[0].2,
            Approx::AtLeast
        );
        assert_eq!(
            read("ninefold", Lang::En)[0],
            (9.0, None, Approx::Exact, NumUnit::Ratio)
        );
        assert_eq!(read("90% written off", Lang::En)[0].3, NumUnit::Percent);
        // "до" after a verb of change is the level reached, not a ceiling.
        assert_eq!(
            read("число погибших возросло до 12", Lang::Ru)[0].2,
            Approx::Exact
        );
        assert_eq!(
            read("число жертв увеличилось до 40", Lang::Ru)[0].2,
            Approx::Exact
        );
        assert_eq!(read("до 40 человек", Lang::Ru)[0].2, Approx::UpTo);
        // The verb may stand a few words back; a word that only begins like one
        // ("разрушено") is no change.
        assert_eq!(
            read("банк повысил оценку убытков до 2,6 млрд евро", Lang::Ru)[0].2,
            Approx::Exact
        );
        assert_eq!(
            read(
                "численность населения пересмотрена до 4 581 300 человек",
                Lang::Ru
            )[0]
            .2,
            Approx::Exact
        );
        assert_eq!(read("разрушено до 40 домов", Lang::Ru)[0].2, Approx::UpTo);
        // Other approximation phrases of the three languages.
        assert_eq!(read("close to 5,000 people", Lang::En)[0].2, Approx::About);
        assert_eq!(read("just over 300 homes", Lang::En)[0].2, Approx::Over);
        assert_eq!(read("at most 40 boats", Lang::En)[0].2, Approx::UpTo);
        assert_eq!(
            read("de l'ordre de 6 millions", Lang::Fr)[0].2,
            Approx::About
        );
        assert_eq!(
            read("à peu près 300 personnes", Lang::Fr)[0].2,
            Approx::About
        );
        assert_eq!(read("au plus 12 navires", Lang::Fr)[0].2, Approx::UpTo);
        assert_eq!(read("чуть более 300 домов", Lang::Ru)[0].2, Approx::Over);
        assert_eq!(read("минимум 30 человек", Lang::Ru)[0].2, Approx::AtLeast);
        // A negated bound is the other bound.
        assert_eq!(
            read("pas plus de 5 800 tonnes", Lang::Fr)[0].2,
            Approx::UpTo
        );
        assert_eq!(read("не меньше 25 человек", Lang::Ru)[0].2, Approx::AtLeast);
        assert_eq!(read("not more than 40 tonnes", Lang::En)[0].2, Approx::UpTo);
    }

    #[test]
    fn non_quantities_are_skipped() {
        assert!(read("the 1950s", Lang::En).is_empty());
        assert!(read("the 68th Division", Lang::En).is_empty());
        assert!(read("at 18:23", Lang::En).is_empty());
        assert!(read("Resolution 2397", Lang::En).is_empty());
        assert!(read("on June 19, 2024", Lang::En)
            .iter()
            .all(|m| m.0 == 2024.0));
        assert!(read("thousands of workers", Lang::En).is_empty());
        assert!(read("a 5,000-ton ship", Lang::En).is_empty());
    }
}
