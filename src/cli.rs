//! The command line: one variant per command of the contract (../shared/INTERFACE.md).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "newswatch",
    version,
    about = "Watches the news for what your watchlists name, reads the claims in each story and mails a digest of what is new and what contradicts what you knew"
)]
pub struct Cli {
    /// The config file [default: $NEWSWATCH_CONFIG, else ./config/newswatch.toml if it exists, else /etc/newswatch/newswatch.toml]
    #[arg(short, long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The daemon: poll on schedule.poll, send the digest on schedule.digest
    Run,
    /// One poll cycle, then one digest of everything pending, now
    Once {
        /// Print the cycle report as one JSON document on stdout
        #[arg(long)]
        json: bool,
        /// Keep the items pending and print the digest's text instead of sending it
        #[arg(long)]
        no_send: bool,
    },
    /// One poll cycle only; matched items stay pending for the next digest
    Poll {
        #[arg(long)]
        json: bool,
    },
    /// Build and send the digest of all pending items now
    Digest {
        /// Print the digest and keep the items pending
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Digests and alerts not yet accepted by the mail server: queued (retried with backoff) or parked
    Digests {
        #[arg(long)]
        json: bool,
    },
    /// Queue a parked (or waiting) digest or alert again and send it now (same Message-ID)
    Resend {
        /// Its id, as `newswatch digests` lists it
        id: String,
    },
    /// Validate the config and every watchlist (each problem: path:line:col: message)
    Check,
    /// Record a corpus of known reporting as the baseline (claims stored, items seen, no mail)
    Seed {
        /// A folder of .txt, .html or .md documents [default: the project's seeds/ baseline]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Also write the claims read from DIR as a baseline file (what seeds/baseline.json is made with)
        #[arg(long, value_name = "PATH")]
        export: Option<PathBuf>,
        /// Print a watchlist draft of the names DIR mentions (with counts) instead of seeding
        #[arg(long, requires = "dir", conflicts_with = "export")]
        suggest: bool,
    },
    /// Stored claims with their provenance, grouped by what they are about, conflicts marked
    Claims {
        /// Only the claims about this entity (or subject) id
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every feed: last attempt, last success, consecutive failures, last error, items seen
    Feeds {
        #[arg(long)]
        json: bool,
    },
    /// Write the whole store as JSON lines (a backup `import` reads back), also while the daemon runs
    Export {
        /// Write to FILE (replaced only once the export is complete) [default: stdout]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Remove stories older than [retention] days (and sent digests); dedup keys and claims stay. The daemon does it daily
    Prune {
        #[arg(long)]
        json: bool,
    },
    /// Load an export into an empty state_dir (the daemon stopped): the way back from a damaged store
    Import {
        /// The export to read, or - for stdin
        #[arg(value_name = "FILE|-")]
        file: PathBuf,
    },
    /// The main article text of HTML pages (files or URLs)
    Extract {
        #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        #[arg(required = true, value_name = "PATH|URL")]
        inputs: Vec<String>,
    },
    /// Run the watchlists over a text file (or - for stdin) and show what matches and why
    Match {
        #[arg(long)]
        json: bool,
        #[arg(value_name = "FILE|-")]
        file: String,
    },
}

impl Command {
    /// Whether the command was asked for JSON on stdout (`--json`): then even a failure
    /// prints one JSON document there.
    pub fn wants_json(&self) -> bool {
        match self {
            Command::Once { json, .. }
            | Command::Poll { json }
            | Command::Digest { json, .. }
            | Command::Seed { json, .. }
            | Command::Claims { json, .. }
            | Command::Feeds { json }
            | Command::Digests { json }
            | Command::Prune { json }
            | Command::Match { json, .. } => *json,
            Command::Extract { format, .. } => *format == ExtractFormat::Json,
            Command::Run
            | Command::Check
            | Command::Export { .. }
            | Command::Import { .. }
            | Command::Resend { .. } => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Json,
}
