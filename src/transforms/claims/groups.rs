//! The group reader's words: nationalities, roles of people, what is said of them, money
//! measures and yes/no statuses, read from the `[groups]` section of the lexicon
//! (config/lexicon.toml). The group reader ([`measures`](super::measures)) holds only the
//! mechanics; which peoples, roles and matters it knows is data.
//!
//! Words are matched two ways, as the section's comments say: tokens (`*` ends a prefix)
//! and substrings of the lower-cased text.

use serde::Deserialize;

/// A token pattern: a whole word, or with a trailing `*` a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    text: String,
    prefix: bool,
}

impl Word {
    fn parse(s: &str) -> Word {
        let prefix = s.chars().count() > 1 && s.ends_with('*');
        Word {
            text: s.trim_end_matches('*').to_lowercase(),
            prefix,
        }
    }

    pub fn matches(&self, w: &str) -> bool {
        if self.prefix {
            w.starts_with(self.text.as_str())
        } else {
            w == self.text
        }
    }
}

/// A list of token patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words(Vec<Word>);

impl Words {
    fn parse(list: &[String]) -> Words {
        Words(list.iter().map(|s| Word::parse(s)).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn any(&self, w: &str) -> bool {
        self.0.iter().any(|p| p.matches(w))
    }

    /// Whether the text holds one of the words (its prefix, for a prefix) as a substring.
    pub fn named_in(&self, text: &str) -> bool {
        self.0.iter().any(|p| text.contains(p.text.as_str()))
    }
}

/// Whether `text` holds one of `subs`.
pub fn contains_any(text: &str, subs: &[String]) -> bool {
    subs.iter().any(|s| text.contains(s.as_str()))
}

/// A role of people ("sappers"): the nouns that name it and the cues that give it.
#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub nouns: Words,
    pub cues: Vec<String>,
    pub lead: Vec<String>,
    pub yields_to: Vec<String>,
    /// What is said of the role when nothing else is.
    pub measure: Option<String>,
}

/// Nouns for one of two or more roles, decided by the sentence.
#[derive(Debug, Clone)]
pub struct Either {
    pub nouns: Words,
    pub roles: Vec<String>,
}

/// Groups of people counted as units ("brigades").
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub nouns: Words,
}

/// What is said of a group of people.
#[derive(Debug, Clone)]
pub struct Measure {
    pub id: String,
    pub words: Words,
    /// Casualty nouns: the counted noun and the measure at once ("600 dead").
    pub nouns: Words,
    pub phrases: Vec<Vec<Word>>,
    pub level: bool,
}

/// Two measures said together that make a third ("killed or wounded").
#[derive(Debug, Clone)]
pub struct Joined {
    pub of: Vec<String>,
    pub is: String,
}

/// What is said of an amount of money or a share.
#[derive(Debug, Clone)]
pub struct Money {
    pub id: String,
    /// Token prefixes.
    pub words: Vec<String>,
    pub near: bool,
    pub flow: bool,
}

/// A people a group may belong to.
#[derive(Debug, Clone)]
pub struct Nationality {
    pub code: String,
    pub name: String,
    pub names: Vec<String>,
    pub word_starts: Vec<String>,
    pub unless_more: Vec<(String, String)>,
    pub nouns: Words,
    pub document: Vec<String>,
}

/// Two countries a text names together.
#[derive(Debug, Clone)]
pub struct Pair {
    pub code: String,
    pub first: String,
    pub first_names: Vec<String>,
    pub second_names: Vec<String>,
}

/// A yes/no claim.
#[derive(Debug, Clone)]
pub struct Status {
    pub id: String,
    pub about: Vec<String>,
    /// Token prefixes.
    pub verbs: Vec<String>,
    /// Token prefixes.
    pub near: Vec<String>,
    pub numbers: Vec<f64>,
    pub unless: Vec<String>,
}

/// The whole `[groups]` section.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    pub default_role: String,
    pub default_measure: String,
    pub generic: Words,
    pub weak: Words,
    pub other_nouns: Vec<String>,
    pub expected_after: Words,
    pub speaker_words: Vec<String>,
    pub joined_by: Vec<String>,
    pub roles: Vec<Role>,
    pub either: Vec<Either>,
    pub units: Vec<Unit>,
    pub measures: Vec<Measure>,
    pub joined: Vec<Joined>,
    pub money: Vec<Money>,
    pub nationalities: Vec<Nationality>,
    pub pairs: Vec<Pair>,
    pub statuses: Vec<Status>,
}

impl Groups {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn nationality(&self, code: &str) -> Option<&Nationality> {
        self.nationalities.iter().find(|n| n.code == code)
    }

    /// What one entry names that no entry defines (a role a noun yields to, a pair's
    /// nationality, a joined measure, the defaults), each said in a sentence: a lexicon
    /// with any is refused (`claims.lexicon`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let measure = |id: &str| self.measures.iter().any(|m| m.id == id);
        if !self.nationalities.is_empty() && self.role(&self.default_role).is_none() {
            out.push(format!(
                "[groups] default_role `{}` is no [[groups.role]] id",
                self.default_role
            ));
        }
        if !self.measures.is_empty() && !measure(&self.default_measure) {
            out.push(format!(
                "[groups] default_measure `{}` is no [[groups.measure]] id",
                self.default_measure
            ));
        }
        for r in &self.roles {
            for y in r.yields_to.iter().filter(|y| self.role(y).is_none()) {
                out.push(format!(
                    "[[groups.role]] `{}`: yields_to `{y}` is no role",
                    r.id
                ));
            }
            if let Some(m) = r.measure.as_deref().filter(|m| !measure(m)) {
                out.push(format!(
                    "[[groups.role]] `{}`: measure `{m}` is no measure",
                    r.id
                ));
            }
        }
        for e in &self.either {
            if e.roles.len() < 2 {
                out.push("[[groups.either]]: roles needs two roles or more".to_string());
            }
            for y in e.roles.iter().filter(|y| self.role(y).is_none()) {
                out.push(format!("[[groups.either]]: `{y}` is no role"));
            }
        }
        for j in &self.joined {
            if j.of.len() != 2 || !j.of.iter().all(|m| measure(m)) || !measure(&j.is) {
                out.push(format!(
                    "[[groups.joined]] `{}`: `of` must name two measures and `is` one",
                    j.is
                ));
            }
        }
        for p in self
            .pairs
            .iter()
            .filter(|p| self.nationality(&p.first).is_none())
        {
            out.push(format!(
                "[[groups.pair]] `{}`: first `{}` is no nationality code",
                p.code, p.first
            ));
        }
        out
    }

    /// The measure a token says ("died": killed), the first in order.
    pub fn measure_word(&self, w: &str) -> Option<&str> {
        self.measures
            .iter()
            .find(|m| m.words.any(w))
            .map(|m| m.id.as_str())
    }
}

fn lower(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|s| s.to_lowercase()).collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroups {
    #[serde(default)]
    default_role: String,
    #[serde(default)]
    default_measure: String,
    #[serde(default)]
    generic: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    other_nouns: Vec<String>,
    #[serde(default)]
    expected_after: Vec<String>,
    #[serde(default)]
    speaker_words: Vec<String>,
    #[serde(default)]
    joined_by: Vec<String>,
    #[serde(default)]
    role: Vec<RawRole>,
    #[serde(default)]
    either: Vec<RawEither>,
    #[serde(default)]
    unit: Vec<RawUnit>,
    #[serde(default)]
    measure: Vec<RawMeasure>,
    #[serde(default)]
    joined: Vec<RawJoined>,
    #[serde(default)]
    money: Vec<RawMoney>,
    #[serde(default)]
    nationality: Vec<RawNationality>,
    #[serde(default)]
    pair: Vec<RawPair>,
    #[serde(default)]
    status: Vec<RawStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: String,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    yields_to: Vec<String>,
    #[serde(default)]
    measure: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEither {
    nouns: Vec<String>,
    roles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: String,
    nouns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    level: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJoined {
    of: Vec<String>,
    is: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoney {
    id: String,
    words: Vec<String>,
    #[serde(default)]
    near: bool,
    #[serde(default)]
    flow: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNationality {
    code: String,
    name: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    word_starts: Vec<String>,
    #[serde(default)]
    unless_more: Vec<(String, String)>,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    document: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    code: String,
    first: String,
    first_names: Vec<String>,
    second_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    id: String,
    about: Vec<String>,
    verbs: Vec<String>,
    #[serde(default)]
    near: Vec<String>,
    #[serde(default)]
    numbers: Vec<f64>,
    #[serde(default)]
    unless: Vec<String>,
}

impl From<RawGroups> for Groups {
    fn from(r: RawGroups) -> Groups {
        Groups {
            default_role: r.default_role,
            default_measure: r.default_measure,
            generic: Words::parse(&r.generic),
            weak: Words::parse(&r.weak),
            other_nouns: lower(r.other_nouns),
            expected_after: Words::parse(&r.expected_after),
            speaker_words: lower(r.speaker_words),
            joined_by: lower(r.joined_by),
            roles: r
                .role
                .into_iter()
                .map(|x| Role {
                    id: x.id,
                    nouns: Words::parse(&x.nouns),
                    cues: lower(x.cues),
                    lead: lower(x.lead),
                    yields_to: x.yields_to,
                    measure: x.measure,
                })
                .collect(),
            either: r
                .either
                .into_iter()
                .map(|x| Either {
                    nouns: Words::parse(&x.nouns),
                    roles: x.roles,
                })
                .collect(),
            units: r
                .unit
                .into_iter()
                .map(|x| Unit {
                    id: x.id,
                    nouns: Words::parse(&x.nouns),
                })
                .collect(),
            measures: r
                .measure
                .into_iter()
                .map(|x| Measure {
                    id: x.id,
                    words: Words::parse(&x.words),
                    nouns: Words::parse(&x.nouns),
                    phrases: x
                        .phrases
                        .iter()
                        .map(|p| p.split_whitespace().map(Word::parse).collect())
                        .collect(),
                    level: x.level,
                })
                .collect(),
            joined: r
                .joined
                .into_iter()
                .map(|x| Joined { of: x.of, is: x.is })
                .collect(),
            money: r
                .money
                .into_iter()
                .map(|x| Money {
                    id: x.id,
                    words: lower(x.words),
                    near: x.near,
                    flow: x.flow,
                })
                .collect(),
            nationalities: r
                .nationality
                .into_iter()
                .map(|x| Nationality {
                    code: x.code,
                    name: x.name,
                    names: lower(x.names),
                    word_starts: lower(x.word_starts),
                    unless_more: x
                        .unless_more
                        .into_iter()
                        .map(|(a, b)| (a.to_lowercase(), b.to_lowercase()))
                        .collect(),
                    nouns: Words::parse(&x.nouns),
                    document: lower(x.document),
                })
                .collect(),
            pairs: r
                .pair
                .into_iter()
                .map(|x| Pair {
                    code: x.code,
                    first: x.first,
                    first_names: lower(x.first_names),
                    second_names: lower(x.second_names),
                })
                .collect(),
            statuses: r
                .status
                .into_iter()
                .map(|x| Status {
                    id: x.id,
                    about: lower(x.about),
                    verbs: lower(x.verbs),
                    near: lower(x.near),
                    numbers: x.numbers,
                    unless: lower(x.unless),
                })
                .collect(),
        }
    }
}

/// The group reader's words of the lexicon in use.
pub fn groups() -> &'static Groups {
    &super::lexicon::lexicon().groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::claims::lexicon::{Lexicon, DEFAULT_LEXICON};

    /// What one entry of the shipped `[groups]` names, another defines; a typo in a
    /// configured one is said.
    #[test]
    fn the_shipped_groups_name_only_what_they_define() {
        let g = Lexicon::parse(DEFAULT_LEXICON).expect("lexicon").groups;
        assert!(!g.roles.is_empty() && !g.nationalities.is_empty());
        assert_eq!(g.problems(), Vec::<String>::new());
        let typo =
            DEFAULT_LEXICON.replace("yields_to = [\"builders\"]", "yields_to = [\"bulders\"]");
        let g = Lexicon::parse(&typo).expect("lexicon").groups;
        assert_eq!(
            g.problems(),
            ["[[groups.role]] `workers`: yields_to `bulders` is no role"]
        );
    }

    #[test]
    fn words_are_whole_words_or_prefixes() {
        let w = Words::parse(&["sapper*".to_string(), "men".to_string()]);
        assert!(w.any("sappers") && w.any("men"));
        assert!(!w.any("women") && !w.any("mens"));
        assert!(w.named_in("1,000 sappers"));
    }
}
