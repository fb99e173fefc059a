//! Matching speed: 10, 1,000 and 100,000 aliases compiled into one `WatchSet`, run over
//! generated English, French and Russian news text.
//!
//!     cargo bench --bench matching                  criterion, 1 MB buffer, MB/s per size
//!     cargo bench --bench matching -- plain [MB [ALIASES…]]   one timed pass over MB
//!                                                 (default 100) per alias count
//!
//! The aliases are the shipped watchlists' plus synthetic people ("Ivan Petrovsky" /
//! "Иван Петровский") built from syllable tables; the text comes from sentence templates
//! written for this bench, cut into articles of about 10 KB (matching runs per item in the
//! pipeline). Figures go in docs/performance.md ("Matching"); nothing here asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and bench code may panic on a broken setup
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use newswatch::watchlist::{Entity, WatchSet, Watchlist};

/// Alias counts measured.
const SIZES: &[usize] = &[10, 1_000, 100_000];
/// Bytes per generated article.
const ARTICLE: usize = 10_000;

const FIRST_LAT: &[&str] = &[
    "Ivan", "Pavel", "Oleg", "Dmitry", "Nikolai", "Andrei", "Boris", "Viktor", "Yegor", "Roman",
    "Anton", "Denis", "Maxim", "Igor", "Artem", "Gleb", "Semyon", "Timur", "Ruslan", "Vadim",
    "Anna", "Olga", "Irina", "Marina", "Elena", "Daria", "Polina", "Vera", "Nina", "Zoya",
];
const FIRST_CYR: &[&str] = &[
    "Иван",
    "Павел",
    "Олег",
    "Дмитрий",
    "Николай",
    "Андрей",
    "Борис",
    "Виктор",
    "Егор",
    "Роман",
    "Антон",
    "Денис",
    "Максим",
    "Игорь",
    "Артем",
    "Глеб",
    "Семен",
    "Тимур",
    "Руслан",
    "Вадим",
    "Анна",
    "Ольга",
    "Ирина",
    "Марина",
    "Елена",
    "Дарья",
    "Полина",
    "Вера",
    "Нина",
    "Зоя",
];
const ROOT_LAT: &[&str] = &[
    "Bel", "Vol", "Gor", "Dub", "Zim", "Kor", "Lis", "Mor", "Nov", "Orl", "Pet", "Ryb", "Sok",
    "Tar", "Ust", "Fil", "Khar", "Tsar", "Chern", "Shir", "Yas", "Bar", "Ved", "Grom", "Dol",
    "Zhur", "Kaz", "Lom", "Med", "Nik", "Ost", "Pol", "Ros", "Sav", "Tok", "Ugl", "Fed", "Khol",
    "Tsvet", "Shat",
];
const ROOT_CYR: &[&str] = &[
    "Бел", "Вол", "Гор", "Дуб", "Зим", "Кор", "Лис", "Мор", "Нов", "Орл", "Пет", "Рыб", "Сок",
    "Тар", "Уст", "Фил", "Хар", "Цар", "Черн", "Шир", "Яс", "Бар", "Вед", "Гром", "Дол", "Жур",
    "Каз", "Лом", "Мед", "Ник", "Ост", "Пол", "Рос", "Сав", "Ток", "Угл", "Фед", "Хол", "Цвет",
    "Шат",
];
const MID_LAT: &[&str] = &[
    "", "an", "ar", "ot", "en", "ush", "ich", "ag", "ik", "om", "un", "ed", "ya", "uk", "ol",
];
const MID_CYR: &[&str] = &[
    "", "ан", "ар", "от", "ен", "уш", "ич", "аг", "ик", "ом", "ун", "ед", "я", "ук", "ол",
];
const END_LAT: &[&str] = &[
    "ov", "ev", "in", "sky", "enko", "chuk", "ovich", "yan", "adze", "sheva",
];
const END_CYR: &[&str] = &[
    "ов", "ев", "ин", "ский", "енко", "чук", "ович", "ян", "адзе", "шева",
];

/// Surname number `i` in both scripts (6,000 distinct).
fn surname(i: usize) -> (String, String) {
    let r = i % ROOT_LAT.len();
    let m = (i / ROOT_LAT.len()) % MID_LAT.len();
    let e = (i / (ROOT_LAT.len() * MID_LAT.len())) % END_LAT.len();
    (
        format!("{}{}{}", ROOT_LAT[r], MID_LAT[m], END_LAT[e]),
        format!("{}{}{}", ROOT_CYR[r], MID_CYR[m], END_CYR[e]),
    )
}

/// Person number `i` as a (Latin, Cyrillic) full name; distinct for i < 180,000.
fn person(i: usize) -> (String, String) {
    let f = i % FIRST_LAT.len();
    let (sl, sc) = surname(i / FIRST_LAT.len());
    (
        format!("{} {sl}", FIRST_LAT[f]),
        format!("{} {sc}", FIRST_CYR[f]),
    )
}

/// A small deterministic generator (no `rand` dependency for a bench).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `{P}` a person, `{S}` a shipped name, `{N}` a number, `{C}` a Cyrillic person.
const EN: &[&str] = &[
    "{P} told reporters on Monday that {N} engineers would arrive before the end of the month.",
    "According to officials in the region, the talks with {P} lasted well into the night.",
    "The ministry said {N} people had been evacuated, and {S} was expected to comment later.",
    "Analysts doubt the figure of {N} soldiers, which no independent source has confirmed.",
    "A spokesman for {P} declined to say when the next round of negotiations would start.",
    "Local residents described long queues at the border crossing and a shortage of fuel.",
    "The committee will publish its report next week, once {P} has reviewed the draft.",
    "In a statement, {S} said cooperation would deepen across several sectors this year.",
];
const FR: &[&str] = &[
    "{P} a déclaré lundi que {N} ingénieurs arriveraient avant la fin du mois.",
    "Selon les autorités régionales, les discussions avec {P} se sont prolongées tard.",
    "Le ministère affirme que {N} personnes ont été évacuées ; {S} doit s'exprimer plus tard.",
    "Les analystes doutent du chiffre de {N} soldats, qu'aucune source indépendante ne confirme.",
    "Un porte-parole de {P} n'a pas précisé la date de la prochaine réunion.",
    "Les habitants décrivent de longues files d'attente et une pénurie de carburant.",
    "Dans un communiqué, {S} a promis d'approfondir la coopération cette année.",
];
const RU: &[&str] = &[
    "{C} заявил в понедельник, что до конца месяца прибудут {N} инженеров.",
    "По словам местных властей, переговоры с {C} затянулись до поздней ночи.",
    "В министерстве сообщили об эвакуации {N} человек; {S} выступит позже.",
    "Аналитики сомневаются в цифре {N} военных: независимые источники её не подтверждают.",
    "Представитель {C} не уточнил, когда начнётся следующий раунд переговоров.",
    "Жители рассказывают о длинных очередях на границе и нехватке топлива.",
    "В заявлении {S} говорится о расширении сотрудничества в этом году.",
];
const SHIPPED_NAMES: &[&str] = &[
    "Sergei Shoigu",
    "Choïgou",
    "Шойгу",
    "the Kursk region",
    "Курской области",
    "Pyongyang",
    "КНДР",
    "North Korean sappers",
    "Resolution 2397",
    "резолюции 2397",
    "Kim Jong Un",
    "Лавров",
    "the NIS",
    "Corée du Nord",
];

/// Which synthetic people the text names: some of those in the larger alias lists, or
/// only people in no list (so that the number of matches stays the same for every size).
#[derive(Clone, Copy)]
enum Names {
    Listed,
    Unlisted,
}

impl Names {
    fn pick(self, rng: &mut Lcg) -> usize {
        match self {
            // The 100,000-alias list holds people 0..≈50,000.
            Names::Listed => rng.next(120_000),
            Names::Unlisted => 150_000 + rng.next(30_000),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Names::Listed => "names from the lists",
            Names::Unlisted => "names in no list",
        }
    }
}

/// About `bytes` of mixed-language text, as articles of about `ARTICLE` bytes.
fn articles(bytes: usize, seed: u64, names: Names) -> Vec<String> {
    let mut rng = Lcg(seed);
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut a = String::with_capacity(ARTICLE + 400);
        while a.len() < ARTICLE {
            let table = match rng.next(3) {
                0 => EN,
                1 => FR,
                _ => RU,
            };
            let mut s = table[rng.next(table.len())].to_string();
            let (pl, pc) = person(names.pick(&mut rng));
            s = s.replace("{P}", &pl).replace("{C}", &pc);
            s = s.replace("{S}", SHIPPED_NAMES[rng.next(SHIPPED_NAMES.len())]);
            s = s.replace(
                "{N}",
                &format!("{},{:03}", 1 + rng.next(30), rng.next(1000)),
            );
            a.push_str(&s);
            a.push(if rng.next(4) == 0 { '\n' } else { ' ' });
        }
        total += a.len();
        out.push(a);
    }
    out
}

/// A set of `n` aliases: the shipped watchlists first, then synthetic people (one entity
/// per person, its Latin and Cyrillic names). For n smaller than the shipped watchlists,
/// the first n shipped aliases, one entity each.
fn watch_set(n: usize) -> WatchSet {
    let shipped = WatchSet::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("watchlists"))
        .map(|s| s.lists)
        .unwrap_or_default();
    let shipped_aliases: usize = shipped
        .iter()
        .flat_map(|l| &l.entities)
        .map(|e| e.aliases.len())
        .sum();
    let mut lists;
    let mut count;
    if n < shipped_aliases {
        let aliases: Vec<String> = shipped
            .iter()
            .flat_map(|l| &l.entities)
            .flat_map(|e| e.aliases.clone())
            .take(n)
            .collect();
        count = aliases.len();
        let entities = aliases
            .into_iter()
            .enumerate()
            .map(|(i, a)| Entity {
                id: format!("s{i}"),
                aliases: vec![a],
                near_words: 12,
                ..Entity::default()
            })
            .collect();
        lists = vec![Watchlist {
            id: "small".into(),
            name: "small".into(),
            entities,
            ..Watchlist::default()
        }];
    } else {
        count = shipped_aliases;
        lists = shipped;
        let mut entities = Vec::new();
        let mut i = 0;
        while count < n {
            let (lat, cyr) = person(i);
            let aliases = if n - count >= 2 {
                vec![lat, cyr]
            } else {
                vec![lat]
            };
            count += aliases.len();
            entities.push(Entity {
                id: format!("p{i}"),
                aliases,
                near_words: 12,
                ..Entity::default()
            });
            i += 1;
        }
        lists.push(Watchlist {
            id: "synthetic".into(),
            name: "synthetic".into(),
            entities,
            ..Watchlist::default()
        });
    }
    debug_assert_eq!(count, n);
    match WatchSet::compile(lists) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("cannot compile {n} aliases: {e}");
            std::process::exit(1);
        }
    }
}

fn matches_in(set: &WatchSet, text: &[String]) -> usize {
    text.iter().map(|a| set.find(black_box(a)).len()).sum()
}

fn criterion_run() {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4))
        .configure_from_args();
    let sets: Vec<(usize, WatchSet)> = SIZES.iter().map(|&n| (n, watch_set(n))).collect();
    for (names, group_name) in [
        (Names::Listed, "matching_listed_names"),
        (Names::Unlisted, "matching_unlisted_names"),
    ] {
        let text = articles(1_000_000, 7, names);
        let bytes: usize = text.iter().map(String::len).sum();
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Bytes(bytes as u64));
        for (n, set) in &sets {
            group.bench_function(format!("{n}_aliases"), |b| {
                b.iter(|| matches_in(set, &text))
            });
        }
        group.finish();
    }
    c.final_summary();
}

fn plain_run(mb: usize, sizes: &[usize]) {
    let sets: Vec<(usize, f64, WatchSet)> = sizes
        .iter()
        .map(|&n| {
            let t = Instant::now();
            let set = watch_set(n);
            (n, t.elapsed().as_secs_f64(), set)
        })
        .collect();
    for names in [Names::Listed, Names::Unlisted] {
        plain_pass(mb, names, &sets);
    }
}

fn plain_pass(mb: usize, names: Names, sets: &[(usize, f64, WatchSet)]) {
    let t = Instant::now();
    let text = articles(mb * 1_000_000, 11, names);
    let bytes: usize = text.iter().map(String::len).sum();
    println!(
        "\n{}: generated {:.1} MB in {} articles in {:.1} s",
        names.label(),
        bytes as f64 / 1e6,
        text.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let normalised: usize = text
        .iter()
        .map(|a| {
            newswatch::transforms::normalize::normalize(black_box(a))
                .text
                .len()
        })
        .sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "normalisation alone: {secs:.2} s, {:.1} MB/s ({normalised} bytes out)",
        bytes as f64 / 1e6 / secs
    );
    println!("aliases   compile_s   match_s   MB/s   matches");
    for (n, compile, set) in sets {
        let t = Instant::now();
        let found = matches_in(set, &text);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{n:>7}   {compile:>9.2}   {secs:>7.2}   {:>4.1}   {found}",
            bytes as f64 / 1e6 / secs
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "plain") {
        let mut numbers = args[i + 1..].iter().filter_map(|s| s.parse::<usize>().ok());
        let mb = numbers.next().unwrap_or(100);
        let sizes: Vec<usize> = numbers.collect();
        plain_run(mb, if sizes.is_empty() { SIZES } else { &sizes });
    } else {
        criterion_run();
    }
}
