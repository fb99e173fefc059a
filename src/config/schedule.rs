//! Cron schedules: crontab's 5 fields (and 6 with seconds) over the `cron` crate.
//! OWNER: config helper. Interface (keep): `CronSchedule::parse`, `next_after`.
//!
//! The `cron` crate reads Quartz expressions: seconds first, Sunday = 1 (0 rejected), and
//! day-of-month ANDed with day-of-week. Crontab users write minute-first expressions with
//! Sunday = 0 or 7, and when both day fields are restricted crontab fires on either. So every
//! field is parsed here with crontab's rules into an explicit set, re-emitted as a Quartz
//! expression the crate cannot misread, and the OR case becomes two schedules of which the
//! earliest firing wins.
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, LocalResult, Offset, TimeZone, Utc};

#[derive(Debug, Clone)]
pub struct CronSchedule {
    /// The expression as the user wrote it.
    pub expr: String,
    /// One schedule, or two when crontab ORs day-of-month with day-of-week.
    schedules: Vec<cron::Schedule>,
    /// Whether the hour field is a wildcard: such jobs fire in both copies of a repeated
    /// (DST fall-back) hour, fixed-hour jobs only in the first, as cron daemons do.
    hour_wildcard: bool,
}

const MONTH_NAMES: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/// Quartz day names, indexed by crontab's day number (0 = Sunday).
const QUARTZ_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// One crontab field's rules: its name in messages, its range and its names.
struct FieldSpec {
    name: &'static str,
    min: u32,
    max: u32,
    /// Names for values starting at `names_from` (months from 1, days from 0).
    names: &'static [&'static str],
    names_from: u32,
}

const SECOND: FieldSpec = FieldSpec {
    name: "second",
    min: 0,
    max: 59,
    names: &[],
    names_from: 0,
};
const MINUTE: FieldSpec = FieldSpec {
    name: "minute",
    min: 0,
    max: 59,
    names: &[],
    names_from: 0,
};
const HOUR: FieldSpec = FieldSpec {
    name: "hour",
    min: 0,
    max: 23,
    names: &[],
    names_from: 0,
};
const DAY_OF_MONTH: FieldSpec = FieldSpec {
    name: "day of month",
    min: 1,
    max: 31,
    names: &[],
    names_from: 0,
};
const MONTH: FieldSpec = FieldSpec {
    name: "month",
    min: 1,
    max: 12,
    names: &MONTH_NAMES,
    names_from: 1,
};
/// 0-7: crontab accepts both 0 and 7 for Sunday.
const DAY_OF_WEEK: FieldSpec = FieldSpec {
    name: "day of week",
    min: 0,
    max: 7,
    names: &DAY_NAMES,
    names_from: 0,
};

impl FieldSpec {
    fn value(&self, text: &str) -> Result<u32, String> {
        if let Ok(n) = text.parse::<u32>() {
            if n < self.min || n > self.max {
                return Err(format!(
                    "{} {n} out of range {}-{}",
                    self.name, self.min, self.max
                ));
            }
            return Ok(n);
        }
        let lower = text.to_ascii_lowercase();
        self.names
            .iter()
            .position(|n| *n == lower)
            .map(|i| i as u32 + self.names_from)
            .ok_or_else(|| format!("{} {text:?} is not a number or a name", self.name))
    }

    /// Parse one field (`*`, `5`, `1-5`, `*/15`, `10-50/20`, `MON-FRI`, lists of these).
    fn parse(&self, field: &str) -> Result<BTreeSet<u32>, String> {
        let mut set = BTreeSet::new();
        for part in field.split(',') {
            let (range, step) = match part.split_once('/') {
                Some((r, s)) => {
                    let step = s
                        .parse::<u32>()
                        .map_err(|_| format!("{} step {s:?} is not a number", self.name))?;
                    if step == 0 {
                        return Err(format!("{} step must be at least 1", self.name));
                    }
                    (r, Some(step))
                }
                None => (part, None),
            };
            let (lo, hi) = if range == "*" {
                (self.min, self.max)
            } else if let Some((a, b)) = range.split_once('-') {
                let (a, b) = (self.value(a)?, self.value(b)?);
                if a > b {
                    return Err(format!("{} range {range} runs backwards", self.name));
                }
                (a, b)
            } else if range.is_empty() {
                return Err(format!("empty {} in {field:?}", self.name));
            } else {
                let a = self.value(range)?;
                // `5/10` means from 5 to the end of the range, every 10 (as cronie reads it).
                (a, if step.is_some() { self.max } else { a })
            };
            set.extend((lo..=hi).step_by(step.unwrap_or(1) as usize));
        }
        Ok(set)
    }

    /// The set as a Quartz field: `*` when it covers the whole range.
    fn quartz(&self, set: &BTreeSet<u32>) -> String {
        if set.len() as u32 == self.max - self.min + 1 {
            return "*".into();
        }
        join(set.iter().map(|n| n.to_string()))
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(",")
}

/// Crontab's shorthands.
fn expand_macro(expr: &str) -> Option<&'static str> {
    Some(match expr {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => return None,
    })
}

impl CronSchedule {
    /// Parse a 5-field crontab expression (or 6 fields with seconds first).
    ///
    /// The error reads `invalid cron expression "…": <why>`.
    pub fn parse(expr: &str) -> Result<CronSchedule, String> {
        let fail = |why: String| format!("invalid cron expression {expr:?}: {why}");
        let trimmed = expr.trim();
        let expanded = if trimmed.starts_with('@') {
            expand_macro(&trimmed.to_ascii_lowercase()).ok_or_else(|| {
                fail("unknown shorthand (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)".into())
            })?
        } else {
            trimmed
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        let (sec, rest) = match fields.len() {
            5 => ("0", &fields[..]),
            6 => (fields[0], &fields[1..]),
            n => {
                return Err(fail(format!(
                    "expected 5 fields (crontab) or 6 (with seconds), found {n}"
                )))
            }
        };
        let seconds = SECOND.parse(sec).map_err(&fail)?;
        let minutes = MINUTE.parse(rest[0]).map_err(&fail)?;
        let hours = HOUR.parse(rest[1]).map_err(&fail)?;
        let doms = DAY_OF_MONTH.parse(rest[2]).map_err(&fail)?;
        let months = MONTH.parse(rest[3]).map_err(&fail)?;
        let dows: BTreeSet<u32> = DAY_OF_WEEK
            .parse(rest[4])
            .map_err(&fail)?
            .into_iter()
            .map(|d| d % 7)
            .collect();

        let head = format!(
            "{} {} {}",
            SECOND.quartz(&seconds),
            MINUTE.quartz(&minutes),
            HOUR.quartz(&hours)
        );
        let month = MONTH.quartz(&months);
        let dom = DAY_OF_MONTH.quartz(&doms);
        let dow = if dows.len() == 7 {
            "*".to_string()
        } else {
            join(dows.iter().map(|d| QUARTZ_DAYS[*d as usize].to_string()))
        };
        // Crontab (vixie, cronie) treats a day field as unrestricted when it starts with `*`
        // (so `*/2` counts as a wildcard); with both restricted a day matching either fires.
        let dom_restricted = !rest[2].starts_with('*');
        let dow_restricted = !rest[4].starts_with('*');
        let quartz = if dom_restricted && dow_restricted {
            vec![
                format!("{head} {dom} {month} *"),
                format!("{head} * {month} {dow}"),
            ]
        } else {
            vec![format!("{head} {dom} {month} {dow}")]
        };
        let schedules = quartz
            .iter()
            .map(|q| cron::Schedule::from_str(q).map_err(|e| fail(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let schedule = CronSchedule {
            expr: expr.to_string(),
            schedules,
            hour_wildcard: rest[1].starts_with('*'),
        };
        // `0 0 30 2 *` parses but never fires: say so now rather than idle forever.
        let reference = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single();
        if let Some(start) = reference {
            if schedule.next_after(start, chrono_tz::UTC).is_none() {
                return Err(fail("it never fires (no such date)".into()));
            }
        }
        Ok(schedule)
    }

    /// The first time strictly after `after` that the schedule fires, read in `tz`.
    ///
    /// Daylight-saving time follows cron daemons: a local time that occurs twice (autumn)
    /// fires once, unless the hour field is a wildcard; a local time that does not exist
    /// (spring) does not fire that day.
    pub fn next_after(&self, after: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
        self.schedules
            .iter()
            .filter_map(|s| self.next_of(s, after, tz))
            .min()
    }

    fn next_of(
        &self,
        schedule: &cron::Schedule,
        after: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Option<DateTime<Utc>> {
        let first = schedule
            .after(&after.with_timezone(&tz))
            // The crate yields both copies of a repeated local time, the first of which may
            // precede `after`; a few candidates always suffice.
            .take(8)
            .map(|t| t.with_timezone(&Utc))
            .find(|t| *t > after && (self.hour_wildcard || !is_second_copy(*t, tz)))?;
        if !self.hour_wildcard {
            return Some(first);
        }
        // The crate walks local wall-clock fields, so from inside the first copy of a
        // repeated hour it never goes back to the earlier minutes of the second copy. Those
        // are found by walking the fields in the offset in force at `first` instead; a
        // candidate counts only where the zone really has that offset.
        let offset = tz.offset_from_utc_datetime(&first.naive_utc()).fix();
        let other = schedule
            .after(&after.with_timezone(&offset))
            .take(8)
            .map(|t| t.with_timezone(&Utc))
            .find(|t| *t > after && tz.offset_from_utc_datetime(&t.naive_utc()).fix() == offset);
        Some(other.map_or(first, |o| o.min(first)))
    }
}

/// Whether `t` is the later of two instants sharing one local time (a DST fall-back hour).
fn is_second_copy(t: DateTime<Utc>, tz: chrono_tz::Tz) -> bool {
    match tz.from_local_datetime(&t.with_timezone(&tz).naive_local()) {
        LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc) == t,
        _ => false,
    }
}

impl fmt::Display for CronSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expr)
    }
}

impl PartialEq for CronSchedule {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// (expression, zone, after, expected next firing) — all in UTC RFC 3339.
    const NEXT: &[(&str, &str, &str, &str)] = &[
        // Every 15 minutes, strictly after: on the boundary goes to the next one.
        (
            "*/15 * * * *",
            "UTC",
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:15:00Z",
        ),
        (
            "*/15 * * * *",
            "UTC",
            "2026-01-05T10:07:30Z",
            "2026-01-05T10:15:00Z",
        ),
        (
            "*/15 * * * *",
            "UTC",
            "2026-01-05T23:59:59Z",
            "2026-01-06T00:00:00Z",
        ),
        (
            "0 7 * * *",
            "UTC",
            "2026-01-05T07:00:00Z",
            "2026-01-06T07:00:00Z",
        ),
        (
            "0 7 * * *",
            "UTC",
            "2026-01-05T06:59:59.500Z",
            "2026-01-05T07:00:00Z",
        ),
        // Paris: UTC+1 in winter, UTC+2 in summer.
        (
            "0 7 * * *",
            "Europe/Paris",
            "2026-01-05T00:00:00Z",
            "2026-01-05T06:00:00Z",
        ),
        (
            "0 7 * * *",
            "Europe/Paris",
            "2026-07-05T00:00:00Z",
            "2026-07-05T05:00:00Z",
        ),
        // Across the spring change (29 March 2026): 07:00 local is 05:00Z that morning.
        (
            "0 7 * * *",
            "Europe/Paris",
            "2026-03-28T06:00:00Z",
            "2026-03-29T05:00:00Z",
        ),
        // Seoul has no DST: 09:00 KST = 00:00Z.
        (
            "0 9 * * *",
            "Asia/Seoul",
            "2026-06-01T01:00:00Z",
            "2026-06-02T00:00:00Z",
        ),
        // Weekdays: 2026-01-03 is a Saturday, 2026-01-04 a Sunday.
        (
            "0 8 * * MON-FRI",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-05T08:00:00Z",
        ),
        (
            "0 8 * * 1-5",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-05T08:00:00Z",
        ),
        (
            "0 8 * * 0",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-04T08:00:00Z",
        ),
        (
            "0 8 * * 7",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-04T08:00:00Z",
        ),
        (
            "0 8 * * sun",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-04T08:00:00Z",
        ),
        (
            "0 8 * * 5-7",
            "UTC",
            "2026-01-03T09:00:00Z",
            "2026-01-04T08:00:00Z",
        ),
        (
            "0 8 * * 6,0",
            "UTC",
            "2026-01-02T09:00:00Z",
            "2026-01-03T08:00:00Z",
        ),
        // OR: the 1st of the month or any Monday. 2026-01-05 is a Monday, 2026-02-01 a Sunday.
        (
            "0 0 1 * MON",
            "UTC",
            "2026-01-01T12:00:00Z",
            "2026-01-05T00:00:00Z",
        ),
        (
            "0 0 1 * MON",
            "UTC",
            "2026-01-26T12:00:00Z",
            "2026-02-01T00:00:00Z",
        ),
        // A day-of-month starting with `*` is a wildcard for crontab: AND again.
        (
            "0 0 */2 * MON",
            "UTC",
            "2026-01-01T12:00:00Z",
            "2026-01-05T00:00:00Z",
        ),
        (
            "0 0 */2 * MON",
            "UTC",
            "2026-01-05T12:00:00Z",
            "2026-01-19T00:00:00Z",
        ),
        // Months by name, lists, ranges with steps.
        (
            "30 6 15 jan,jul *",
            "UTC",
            "2026-02-01T00:00:00Z",
            "2026-07-15T06:30:00Z",
        ),
        (
            "10-50/20 * * * *",
            "UTC",
            "2026-01-05T10:31:00Z",
            "2026-01-05T10:50:00Z",
        ),
        (
            "5/20 * * * *",
            "UTC",
            "2026-01-05T10:26:00Z",
            "2026-01-05T10:45:00Z",
        ),
        // Six fields: seconds first.
        (
            "30 */5 * * * *",
            "UTC",
            "2026-01-05T10:00:30Z",
            "2026-01-05T10:05:30Z",
        ),
        (
            "@daily",
            "UTC",
            "2026-01-05T10:00:00Z",
            "2026-01-06T00:00:00Z",
        ),
        (
            "@hourly",
            "UTC",
            "2026-01-05T10:00:00Z",
            "2026-01-05T11:00:00Z",
        ),
        (
            "0 0 29 2 *",
            "UTC",
            "2026-01-01T00:00:00Z",
            "2028-02-29T00:00:00Z",
        ),
        // Spring change in Paris (29 March 2026): 02:30 local does not exist that day.
        (
            "30 2 * * *",
            "Europe/Paris",
            "2026-03-28T12:00:00Z",
            "2026-03-30T00:30:00Z",
        ),
        // Autumn change in Paris (25 October 2026): 02:30 local happens twice; a fixed-hour
        // job fires once (00:30Z), a wildcard-hour one in both copies.
        (
            "30 2 * * *",
            "Europe/Paris",
            "2026-10-25T00:00:00Z",
            "2026-10-25T00:30:00Z",
        ),
        (
            "30 2 * * *",
            "Europe/Paris",
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z",
        ),
        (
            "30 * * * *",
            "Europe/Paris",
            "2026-10-25T00:30:00Z",
            "2026-10-25T01:30:00Z",
        ),
        (
            "*/15 * * * *",
            "Europe/Paris",
            "2026-10-25T00:45:00Z",
            "2026-10-25T01:00:00Z",
        ),
    ];

    #[test]
    fn next_firing_follows_crontab() {
        for (expr, tz, after, want) in NEXT {
            let s = CronSchedule::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
            let tz: Tz = tz.parse().unwrap();
            let got = s.next_after(utc(after), tz);
            assert_eq!(got, Some(utc(want)), "{expr} in {tz} after {after}");
        }
    }

    #[test]
    fn invalid_expressions_say_why() {
        let cases: &[(&str, &str)] = &[
            (
                "*/15 * *",
                "expected 5 fields (crontab) or 6 (with seconds), found 3",
            ),
            ("0 0 0 * * * *", "found 7"),
            ("61 * * * *", "minute 61 out of range 0-59"),
            ("0 24 * * *", "hour 24 out of range 0-23"),
            ("0 0 0 * *", "day of month 0 out of range 1-31"),
            ("0 0 * 13 *", "month 13 out of range 1-12"),
            ("0 0 * * 8", "day of week 8 out of range 0-7"),
            (
                "0 0 * * FUN",
                "day of week \"FUN\" is not a number or a name",
            ),
            ("*/0 * * * *", "minute step must be at least 1"),
            ("0 5-1 * * *", "hour range 5-1 runs backwards"),
            ("0 0 30 2 *", "never fires"),
            ("@reboot", "unknown shorthand"),
            ("0 0 1,,2 * *", "empty day of month"),
        ];
        for (expr, want) in cases {
            let err = CronSchedule::parse(expr).unwrap_err();
            assert!(
                err.starts_with(&format!("invalid cron expression {expr:?}: ")),
                "{err}"
            );
            assert!(err.contains(want), "{expr}: got {err:?}, want {want:?}");
        }
    }
}
