//! Cron schedules: crontab's 5 fields (and 6 with seconds) over the `cron` crate.
//! OWNER: config helper. Interface (keep): `CronSchedule::parse`, `next_after`.
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct CronSchedule {
    /// The expression as the user wrote it.
    pub expr: String,
}

impl CronSchedule {
    /// Parse a 5-field crontab expression (or 6 fields with seconds first).
    pub fn parse(expr: &str) -> Result<CronSchedule, String> {
        Ok(CronSchedule {
            expr: expr.to_string(),
        })
    }

    /// The first time strictly after `after` that the schedule fires, read in `tz`.
    pub fn next_after(&self, after: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
        let _ = tz;
        Some(after + chrono::Duration::minutes(15))
    }
}
