//! The newswatch binary: parse the command line, set up logging, run one command and map
//! its outcome to the contract's exit codes (0 done, 2 bad usage/config/watchlist, 1 other).
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match newswatch::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    newswatch::logging::init();
    // `extract --format json` writes a line per page and reports each page's failure in
    // its own line: only the other JSON commands answer a failure with an error document.
    let json =
        cli.command.wants_json() && !matches!(cli.command, newswatch::cli::Command::Extract { .. });
    match newswatch::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let code = newswatch::cmd::exit_code_for(&e);
            let mut message = format!("{e:#}");
            // A store error that found damage always names the way back.
            if newswatch::store::is_damage_error(&e) && !message.contains("newswatch import") {
                message = format!("{message}; {}", newswatch::store::RECOVERY_HINT);
            }
            eprintln!("newswatch: {message}");
            if json {
                // The contract: with --json, stdout carries exactly one JSON document.
                let doc = serde_json::json!({ "error": message, "exit_code": code });
                println!("{doc}");
            }
            ExitCode::from(code)
        }
    }
}
