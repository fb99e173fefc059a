//! The digest as an email: lettre message building and the file / smtp / sendmail transports.
//! OWNER: sinks helper. Interface (keep): `Envelope`, `Mailer::{from_config, send}`.
use crate::config::EmailConfig;

/// Everything one digest email needs.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    /// Kept across retries so a resent digest is recognisably the same message.
    pub message_id: String,
    pub date: chrono::DateTime<chrono::Utc>,
    pub text: String,
    pub html: String,
}

pub struct Mailer {
    config: EmailConfig,
}

impl Mailer {
    pub fn from_config(config: &EmailConfig) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            config: config.clone(),
        })
    }

    /// Send (or write to the outbox); Ok only once the transport accepted the message.
    pub async fn send(&self, envelope: &Envelope) -> anyhow::Result<()> {
        let _ = (envelope, &self.config);
        anyhow::bail!("mail sending not written yet")
    }
}
