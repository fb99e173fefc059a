//! Logs through `tracing` to stderr; plain (no ANSI) under journald or when not a terminal.
use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Level from `NEWSWATCH_LOG` (or `RUST_LOG`), default `info`.
pub fn init() {
    let filter = std::env::var("NEWSWATCH_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info,sled=warn,html5ever=error,selectors=error"));
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let ansi = !journald && std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false);
    // journald timestamps every line itself.
    let result = if journald {
        builder.without_time().try_init()
    } else {
        builder.try_init()
    };
    let _ = result;
}
