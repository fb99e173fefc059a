//! Sentence splitting: byte spans of sentences, with line breaks as hard boundaries.
//!
//! A claim is read from one sentence, so the split decides what a quote is. News text
//! breaks lines after headlines and list items without a full stop, so every line break
//! ends a sentence; inside a line a full stop ends one unless it belongs to an
//! abbreviation ("U.S.", "Gen.", "No. 2397", "т. е.", "г."), an initial or a number.

/// One sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offsets into the text, trimmed of surrounding white space.
    pub start: usize,
    pub end: usize,
    /// Byte span of the paragraph the sentence belongs to; for a heading-like line this
    /// also covers the block that follows it (a headline is about the text under it).
    pub para_start: usize,
    pub para_end: usize,
    /// A short line without final punctuation: a headline or a list title.
    pub heading: bool,
}

/// Words that end with a full stop without ending the sentence (compared lower-case,
/// without the dot). Single letters are handled apart (initials, "т. е.").
const ABBREVIATIONS: &[&str] = &[
    "u.s", "u.k", "u.n", "e.g", "i.e", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "dr", "mr",
    "mrs", "ms", "no", "nos", "st", "gov", "sen", "rep", "prof", "vs", "approx", "est", "fig",
    "pp", "art", "ch", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mt", "ft", "vol", "gg", "гг", "тыс", "млн", "млрд", "ул", "им", "др", "см",
    "руб", "долл", "ген", "проф", "мм", "mme", "mlle", "env", "av", "cf", "rs", "трлн",
];

/// Split `text` into sentences.
pub fn split(text: &str) -> Vec<Sentence> {
    let lines = line_spans(text);
    let blocks = block_spans(text, &lines);
    let mut out = Vec::new();
    for (bi, &(bstart, bend, ref line_ids)) in blocks.iter().enumerate() {
        for &li in line_ids {
            let (ls, le) = lines[li];
            let heading = is_heading(&text[ls..le]);
            let (ps, pe) = if heading {
                // The heading's paragraph runs on to the end of the next block.
                let next_end = blocks.get(bi + 1).map_or(bend, |b| b.1);
                (bstart, next_end.max(bend))
            } else {
                (bstart, bend)
            };
            for (s, e) in split_line(text, ls, le) {
                out.push(Sentence {
                    start: s,
                    end: e,
                    para_start: ps,
                    para_end: pe,
                    heading,
                });
            }
        }
    }
    out
}

/// Non-empty lines as trimmed byte spans.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let (s, e) = trim_span(text, pos, pos + line.len());
        if s < e {
            out.push((s, e));
        }
        pos += line.len() + 1;
    }
    out
}

/// Blocks of consecutive lines (a blank line separates blocks): span and line ids.
fn block_spans(text: &str, lines: &[(usize, usize)]) -> Vec<(usize, usize, Vec<usize>)> {
    let mut out: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for (i, &(s, e)) in lines.iter().enumerate() {
        // Lines are trimmed, so the gap is white space: two breaks in it make a blank line.
        let new_block = prev_end.is_none_or(|pe| text[pe..s].matches('\n').count() >= 2);
        if new_block {
            out.push((s, e, vec![i]));
        } else if let Some(last) = out.last_mut() {
            last.1 = e;
            last.2.push(i);
        }
        prev_end = Some(e);
    }
    out
}

fn trim_span(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let slice = &text[s..e];
    let trimmed_start = slice.len() - slice.trim_start().len();
    s += trimmed_start;
    let slice = &text[s..e];
    e -= slice.len() - slice.trim_end().len();
    (s, e)
}

/// A short line without final punctuation reads as a headline or a list title.
fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.trim_end().chars().last().unwrap_or('.');
    words <= 16 && !matches!(last, '.' | '!' | '?' | '…' | ':' | ';' | ',')
}

/// Split one line into sentences.
fn split_line(text: &str, ls: usize, le: usize) -> Vec<(usize, usize)> {
    let line = &text[ls..le];
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (bi, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        // The run of terminators and closing quotes/brackets after them.
        let mut j = i;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
            j += 1;
        }
        while j < chars.len() && matches!(chars[j].1, '"' | '”' | '»' | '’' | '\'' | ')') {
            j += 1;
        }
        // A boundary needs white space after it (a decimal point or "U.S" has none).
        if j < chars.len() && !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        let next = chars.get(k).map(|x| x.1);
        let ends = match next {
            None => true,
            Some(n) if n.is_lowercase() => false,
            // "…оценил число горожан в 40 тыс. Школьные каникулы продлены": a figure's
            // scale word before a capitalised word (not an acronym) ends the sentence;
            // the noun a scale counts is lower-case.
            Some(n) if n.is_uppercase() && scale_word(&line[start..bi]) => {
                let word: String = chars[k..]
                    .iter()
                    .map(|x| x.1)
                    .take_while(|ch| ch.is_alphabetic())
                    .collect();
                word.chars().any(char::is_lowercase)
            }
            Some(_) => c != '.' || !is_abbreviation(&line[start..bi]),
        };
        if ends {
            let end_b = chars.get(j).map_or(line.len(), |x| x.0);
            let (s, e) = trim_span(text, ls + start, ls + end_b);
            if s < e {
                out.push((s, e));
            }
            start = chars.get(k).map_or(line.len(), |x| x.0);
        }
        i = j.max(i + 1);
    }
    let (s, e) = trim_span(text, ls + start, le);
    if s < e {
        out.push((s, e));
    }
    out
}

/// Whether the word just before a full stop (the end of `before`) is an abbreviation.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“' || c == '«')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    let chars: Vec<char> = word.chars().collect();
    // Initials ("J. Smith") and one-letter Russian abbreviations ("т. е.", "г.").
    if chars.len() == 1 && chars[0].is_alphabetic() {
        return chars[0].is_uppercase() || is_cyrillic(chars[0]);
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Whether the word before a full stop (the end of `before`) is a figure's scale ("тыс.",
/// "млн.").
fn scale_word(before: &str) -> bool {
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    matches!(word, "тыс" | "млн" | "млрд" | "трлн")
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t =
            "The U.S. State Department spoke. Gen. Kim met Dr. Lee under No. 2397 rules. Next one.";
        assert_eq!(
            texts(t),
            vec![
                "The U.S. State Department spoke.",
                "Gen. Kim met Dr. Lee under No. 2397 rules.",
                "Next one."
            ]
        );
    }

    #[test]
    fn a_scale_word_before_a_capital_ends_the_sentence() {
        let t = "Депутат оценил их число в 40 тыс. Школьные каникулы продлены. Ещё 5 тыс. человек \
                 и 2 млн. ВСУ остались.";
        assert_eq!(
            texts(t),
            vec![
                "Депутат оценил их число в 40 тыс.",
                "Школьные каникулы продлены.",
                "Ещё 5 тыс. человек и 2 млн. ВСУ остались."
            ]
        );
    }

    #[test]
    fn russian_abbreviations_and_quotes() {
        let t = "В 2014 г. Дума т. е. парламент приняла закон. «Это важно», — сказал он. Конец.";
        assert_eq!(
            texts(t),
            vec![
                "В 2014 г. Дума т. е. парламент приняла закон.",
                "«Это важно», — сказал он.",
                "Конец."
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let t = "He said: \"We sent 500 men.\" Then he left.";
        assert_eq!(
            texts(t),
            vec!["He said: \"We sent 500 men.\"", "Then he left."]
        );
    }

    #[test]
    fn line_breaks_are_hard_and_headings_reach_the_next_block() {
        let t = "Pyongyang Sends 500 Sappers\n\nThe sappers left on Monday. More follow.\n\nOther block.";
        let s = split(t);
        assert_eq!(s.len(), 4);
        assert!(s[0].heading);
        assert_eq!(
            &t[s[0].para_start..s[0].para_end],
            "Pyongyang Sends 500 Sappers\n\nThe sappers left on Monday. More follow."
        );
        assert!(!s[1].heading);
        assert_eq!(
            &t[s[1].para_start..s[1].para_end],
            "The sappers left on Monday. More follow."
        );
    }

    #[test]
    fn decimals_are_not_boundaries() {
        assert_eq!(
            texts("Trade hit $34.4 mln. It grew."),
            vec!["Trade hit $34.4 mln.", "It grew."]
        );
    }
}
