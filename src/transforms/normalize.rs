//! Text normalisation for matching: one pure function used on watchlist aliases and on
//! news texts alike, with a map from every normalised byte back to the original text.
//!
//! What it does, in order, per character cluster (a base character and the combining marks
//! that follow it): NFKC, full Unicode lower-casing, Latin diacritics folded (`Choïgou` →
//! `choigou`), `ё` → `е`, typographic quotes and apostrophes unified (`'` and `"`), every
//! dash or hyphen turned into a space (`Jong-un` = `Jong Un`), soft hyphens and zero-width
//! characters dropped, and runs of white space collapsed into one space. Thousands
//! separators inside a number are dropped (`1,000`, `1 000`, `1 000` → `1000`), so that a
//! number reads the same in English, French and Russian typography; see `group_separators`.
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A normalised text and, for each of its bytes, the byte range of the original text it
/// came from. Offsets found in `text` map back with [`Normalized::original_range`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Normalized {
    /// The byte range of the original text that produced `text[start..end]`.
    /// Both ends always fall on character boundaries of the original.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(&s) = self.starts.get(start) else {
            let last = self.ends.last().copied().unwrap_or(0);
            return (last, last);
        };
        if end <= start {
            return (s, s);
        }
        let e = self.ends.get(end - 1).copied().unwrap_or(s);
        (s, e)
    }

    /// The original byte offset where the normalised byte `pos` came from.
    pub fn original_start(&self, pos: usize) -> Option<usize> {
        self.starts.get(pos).copied()
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    fn push_space(&mut self, start: usize, end: usize) {
        // Collapse runs, and never start with a space: aliases come out trimmed at the front.
        if self.text.is_empty() || self.text.ends_with(' ') {
            return;
        }
        self.push(' ', start, end);
    }
}

/// Normalise a text for matching (see the module doc).
pub fn normalize(input: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(input.len()),
        starts: Vec::with_capacity(input.len()),
        ends: Vec::with_capacity(input.len()),
    };
    let separators = group_separators(input);
    let mut next_sep = 0;
    let mut chars = input.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = chars.next() {
        if is_invisible(c) {
            continue;
        }
        if separators.get(next_sep) == Some(&start) {
            next_sep += 1;
            continue;
        }
        let mut end = start + c.len_utf8();
        let followed_by_mark = chars.peek().is_some_and(|&(_, m)| is_mark(m));
        if c.is_ascii() && !followed_by_mark {
            // Fast path: most of a text is ASCII with nothing to compose.
            map_char(&mut out, c.to_ascii_lowercase(), start, end);
            continue;
        }
        if ('\u{0410}'..='\u{044F}').contains(&c) && !followed_by_mark {
            // Fast path for the basic Russian alphabet (А–я, not Ё/ё): NFKC leaves it alone,
            // й included, and lower case is one step away.
            let lower = if c <= '\u{042F}' {
                char::from_u32(c as u32 + 0x20).unwrap_or(c)
            } else {
                c
            };
            out.push(lower, start, end);
            continue;
        }
        cluster.clear();
        cluster.push(c);
        while let Some(&(j, m)) = chars.peek() {
            if is_mark(m) {
                cluster.push(m);
                end = j + m.len_utf8();
                chars.next();
            } else if is_invisible(m) {
                // A zero-width character inside a word must not split the cluster map.
                chars.next();
            } else {
                break;
            }
        }
        fold_cluster(&mut out, &cluster, start, end);
    }
    // A trailing space carries no meaning and would only shift a match's end.
    if out.text.ends_with(' ') {
        out.text.pop();
        out.starts.pop();
        out.ends.pop();
    }
    out
}

/// `s` without the thousands separators inside its numbers (what `normalize` drops), case
/// and everything else kept: for code that splits an alias before normalising it.
pub fn without_group_separators(s: &str) -> String {
    let seps = group_separators(s);
    s.char_indices()
        .filter(|(i, _)| seps.binary_search(i).is_err())
        .map(|(_, c)| c)
        .collect()
}

/// Byte offsets of the thousands separators inside numbers, in order: a comma, a space
/// (plain, no-break, narrow no-break or thin) or an apostrophe between a group of one to
/// three digits that starts a number and exactly three digits, repeated (`1,000,000`).
/// Not the dot: `1.500` is one and a half in English. A four-digit head is a year or a
/// resolution number, so `2024 100` and `2397, 2375` stay apart.
fn group_separators(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let starts_number = !s[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let mut pos = j;
        if starts_number && j - i <= 3 {
            while let Some(c) = s[pos..].chars().next() {
                if !matches!(c, ',' | ' ' | '\'' | '\u{00A0}' | '\u{202F}' | '\u{2009}') {
                    break;
                }
                let k = pos + c.len_utf8();
                let three = b
                    .get(k..k + 3)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                if !three || b.get(k + 3).is_some_and(u8::is_ascii_digit) {
                    break;
                }
                out.push(pos);
                pos = k + 3;
            }
        }
        i = pos;
    }
    out
}

/// A combining mark; ASCII never is one, and most text is ASCII.
fn is_mark(c: char) -> bool {
    !c.is_ascii() && is_combining_mark(c)
}

/// A letter or digit: what words are made of. ASCII and basic Cyrillic are answered
/// without the Unicode tables, which cost a search per character.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0410}'..='\u{044F}').contains(&c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// The normalised form of a short phrase (an alias, a context word), without the map.
pub fn normalize_phrase(phrase: &str) -> String {
    normalize(phrase).text
}

/// NFKD, lower-case, drop the marks that accent-insensitivity folds away, NFC again.
fn fold_cluster(out: &mut Normalized, cluster: &str, start: usize, end: usize) {
    let lowered: String = cluster.nfkd().collect::<String>().to_lowercase();
    let base = lowered.chars().next().unwrap_or(' ');
    let latin = is_latin(base);
    let kept = lowered.chars().filter(|&m| {
        if !is_combining_mark(m) {
            return true;
        }
        // Latin: every diacritic goes. Cyrillic: only ё's diaeresis (й keeps its breve).
        !(latin || (base == 'е' && m == '\u{308}'))
    });
    let composed: String = kept.collect::<String>().nfc().collect();
    for ch in composed.chars() {
        match latin_letter_fold(ch) {
            Some(s) => {
                for f in s.chars() {
                    map_char(out, f, start, end);
                }
            }
            None => map_char(out, ch, start, end),
        }
    }
}

fn map_char(out: &mut Normalized, c: char, start: usize, end: usize) {
    if c.is_whitespace() || is_dash(c) {
        out.push_space(start, end);
    } else if is_invisible(c) {
        // Dropped.
    } else {
        out.push(unify_quote(c), start, end);
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{058A}' | '\u{05BE}' | '\u{1400}' | '\u{1806}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2E17}'
                | '\u{2E1A}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{2E40}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{30A0}'
                | '\u{FE31}'
                | '\u{FE32}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
    )
}

fn unify_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        other => other,
    }
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}')
}

/// Latin letters that carry a "diacritic" NFKD does not separate.
fn latin_letter_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ħ' => "h",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_what_matching_ignores() {
        let cases = [
            ("Choïgou", "choigou"),
            ("Sergeï CHOÏGOU", "sergei choigou"),
            ("Élysée", "elysee"),
            ("Сапёр", "сапер"),
            ("Шойгу", "шойгу"),
            ("Kim Jong-un", "kim jong un"),
            ("Kim Jong – Un", "kim jong un"),
            ("North\n\n  Korea", "north korea"),
            ("de\u{00AD}min\u{200B}ers", "deminers"),
            ("Shoigu’s", "shoigu's"),
            ("«ООН»", "\"оон\""),
            ("l’ONU", "l'onu"),
            ("ﬁnal", "final"),
            ("Łódź", "lodz"),
            ("coeur œuvre", "coeur oeuvre"),
            ("  leading", "leading"),
            ("trailing  \n", "trailing"),
            ("e\u{301}te\u{301}", "ete"),
            ("ЁЛКА", "елка"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).text, want, "input {input:?}");
        }
    }

    #[test]
    fn thousands_separators_are_dropped_inside_numbers() {
        let cases = [
            ("1,000 sappers", "1000 sappers"),
            ("1 000 sappers", "1000 sappers"),
            ("1\u{00A0}000 sapeurs", "1000 sapeurs"),
            ("1\u{202F}000 сапёров", "1000 саперов"),
            ("12,500,000", "12500000"),
            ("1'000", "1000"),
            // Not a thousands group: kept apart.
            ("in 2024 100 soldiers", "in 2024 100 soldiers"),
            ("Resolutions 2397, 2375", "resolutions 2397, 2375"),
            ("1,5 million", "1,5 million"),
            ("1.500", "1.500"),
            ("5, 200", "5, 200"),
            ("12,3456", "12,3456"),
            ("A1 000", "a1 000"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).text, want, "input {input:?}");
        }
        let original = "about 1 000 sappers";
        let n = normalize(original);
        let p = n.text.find("1000").unwrap();
        let (s, e) = n.original_range(p, p + 4);
        assert_eq!(&original[s..e], "1 000");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "Le ministre Choïgou—à Pyongyang.";
        let n = normalize(original);
        let start = n.text.find("choigou").unwrap();
        let (s, e) = n.original_range(start, start + "choigou".len());
        assert_eq!(&original[s..e], "Choïgou");
        let p = n.text.find("pyongyang").unwrap();
        let (s, e) = n.original_range(p, p + "pyongyang".len());
        assert_eq!(&original[s..e], "Pyongyang");
    }

    #[test]
    fn decomposed_accents_map_to_the_whole_cluster() {
        let original = "Koure\u{301}s";
        let n = normalize(original);
        assert_eq!(n.text, "koures");
        let (s, e) = n.original_range(0, n.text.len());
        assert_eq!(&original[s..e], original);
    }
}
