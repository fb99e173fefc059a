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
    #[command(long_about = RUN_HELP)]
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
        /// Print the cycle report as one JSON document on stdout
        #[arg(long)]
        json: bool,
    },
    /// Build and send the digest of all pending items now
    Digest {
        /// Print the digest and keep the items pending
        #[arg(long)]
        dry_run: bool,
        /// Print what was sent (or would be) as one JSON document on stdout
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
        /// Print what was recorded as one JSON document on stdout
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
        /// Print the claim groups as one JSON document on stdout
        #[arg(long)]
        json: bool,
    },
    /// Every feed: last attempt, last success, consecutive failures, last error, items seen
    Feeds {
        /// Print the feeds as one JSON document on stdout
        #[arg(long)]
        json: bool,
    },
    /// The daemon at a glance: up or not, schedules, feeds by status, digest queue, store
    #[command(
        long_about = "The daemon at a glance: whether it runs, its last and next poll and digest, \
feeds ok / failing / never polled (the oldest failing one and since when), the digest queue \
(queued, last sent, last error), the store's size and how many items and claims it holds.\n\n\
While the daemon runs it answers over its control socket (<state_dir>/control.sock); \
otherwise the store is read directly."
    )]
    Status {
        /// Print the status as one JSON document on stdout
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
        /// text: the body of each page; json: one object per line per page
        #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        /// HTML files or http(s) URLs
        #[arg(required = true, value_name = "PATH|URL")]
        inputs: Vec<String>,
    },
    /// Run the watchlists over a text file (or - for stdin) and show what matches and why
    Match {
        /// Print the matches as one JSON document on stdout
        #[arg(long)]
        json: bool,
        /// The text to read, or - for stdin
        #[arg(value_name = "FILE|-")]
        file: String,
    },
    /// Print a shell completion script (e.g. `newswatch completions bash > /etc/bash_completion.d/newswatch`)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) generated from this command line, e.g. `newswatch man | man -l -`
    Man,
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
            | Command::Status { json }
            | Command::Digests { json }
            | Command::Prune { json }
            | Command::Match { json, .. } => *json,
            Command::Extract { format, .. } => *format == ExtractFormat::Json,
            Command::Run
            | Command::Check
            | Command::Export { .. }
            | Command::Import { .. }
            | Command::Completions { .. }
            | Command::Resend { .. }
            | Command::Man => false,
        }
    }
}

/// The shells `completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// `run --help`: what an operator needs to know about the running daemon.
const RUN_HELP: &str = "The daemon: polls the feeds on schedule.poll and sends the digest on \
schedule.digest (first poll at start).

Reload: SIGHUP (`systemctl reload newswatch`) re-reads the config file (feeds, schedules, \
email, fetch settings) and the watchlists; an edit of any file in the watchlists folder \
reloads the watchlists. An invalid config or watchlist is logged (each problem as \
path:line:col) and the running one stays in force. state_dir and [metrics] listen take \
effect at the next start.

Control socket: <state_dir>/control.sock. While the daemon holds the store, `newswatch \
feeds`, `claims`, `status` and `export` ask it there (the socket is group-accessible: members \
of the service's group can ask).

Stop: SIGTERM or SIGINT; the daemon stops within 10 s with its store flushed.

systemd: with NOTIFY_SOCKET set it sends READY=1, a one-line STATUS=, and, when \
WATCHDOG_USEC is set, WATCHDOG=1 only while its scheduler makes progress. With [metrics] \
listen set it serves Prometheus text at /metrics and /healthz.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Json,
}

/// The man page (roff): newswatch(1) with every subcommand's usage and options as sections.
pub fn render_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory as _;
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut usage = sub
            .clone()
            .bin_name(format!("newswatch {}", sub.get_name()));
        writeln!(out, ".SS {}", sub.get_name())?;
        writeln!(out, ".nf")?;
        writeln!(out, "{}", roff_escape(&usage.render_usage().to_string()))?;
        writeln!(out, ".fi")?;
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        for para in about.split("\n\n") {
            writeln!(out, ".PP\n{}", roff_escape(para))?;
        }
        for arg in sub.get_arguments() {
            if matches!(arg.get_id().as_str(), "help" | "config") {
                continue;
            }
            let name = match (arg.get_long(), arg.get_value_names()) {
                (Some(l), _) if !arg.get_action().takes_values() => format!("--{l}"),
                (Some(l), Some(v)) => format!("--{l} {}", v.join(" ")),
                (Some(l), None) => format!("--{l} {}", arg.get_id().as_str().to_uppercase()),
                (None, Some(v)) => v.join(" "),
                (None, None) => arg.get_id().as_str().to_uppercase(),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            writeln!(
                out,
                ".TP\n\\fB{}\\fR\n{}",
                roff_escape(&name),
                roff_escape(&help)
            )?;
        }
    }
    man.render_version_section(out)?;
    writeln!(
        out,
        ".SH FILES\n.TP\n/etc/newswatch/newswatch.toml\nThe config (see /usr/share/doc/newswatch/README.md)\n.TP\n/var/lib/newswatch/state/control.sock\nThe running daemon's control socket"
    )?;
    Ok(())
}

/// Text for a roff line: a backslash doubled, a leading dot or quote kept literal.
fn roff_escape(s: &str) -> String {
    s.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
