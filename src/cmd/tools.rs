//! `check`, `extract` and `match`: the tools an editor of config and watchlists uses.

use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::{load_watchlists, runtime, UsageError};
use crate::cli::ExtractFormat;
use crate::config::{Config, ConfigError};
use crate::fetch::{FetchOutcome, FetchSettings, Fetcher, Reach};
use crate::watchlist::WatchSet;

pub fn check(config_path: &Path) -> Result<ExitCode> {
    let config = match Config::load(config_path) {
        Ok(c) => c,
        Err(ConfigError::Invalid(lines)) => {
            for l in &lines {
                eprintln!("{l}");
            }
            return Err(
                UsageError::Usage(format!("{} problem(s) in the config", lines.len())).into(),
            );
        }
        Err(e) => return Err(e.into()),
    };
    for w in &config.warnings {
        eprintln!("{}: warning: {w}", config.path.display());
    }
    let watch = load_watchlists(&config.watchlists_dir)?;
    let entities: usize = watch.lists.iter().map(|l| l.entities.len()).sum();
    eprintln!(
        "{}: ok ({}, {}, {})",
        config.path.display(),
        super::count(config.feeds.len(), "feed", "feeds"),
        super::count(watch.lists.len(), "watchlist", "watchlists"),
        super::count(entities, "entity", "entities")
    );
    if let Some(url) = &config.store.url {
        // Connects (and migrates, as any start would): the password is never printed.
        let store = crate::store::postgres::PgStore::open(
            url,
            config.store.password.as_deref(),
            &config.state_dir,
        )?;
        eprintln!(
            "store: PostgreSQL at {} (schema version {})",
            store.describe(),
            store.schema_version()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ExtractLine {
    source: String,
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    lang: Option<String>,
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn read_input(
    input: &str,
    fetcher: &mut Option<Fetcher>,
    rt: &tokio::runtime::Runtime,
) -> Result<(Vec<u8>, Option<String>, Option<String>)> {
    if input.starts_with("http://") || input.starts_with("https://") {
        if fetcher.is_none() {
            *fetcher = Some(Fetcher::new(&FetchSettings::default())?);
        }
        let Some(f) = fetcher.as_ref() else {
            anyhow::bail!("no HTTP client")
        };
        match rt.block_on(f.fetch(input, None, Reach::OPERATOR)) {
            Ok(FetchOutcome::Fetched(p)) => Ok((p.body, p.content_type, Some(p.final_url))),
            Ok(FetchOutcome::NotModified) => anyhow::bail!("not modified"),
            Err(e) => Err(anyhow::anyhow!("{e}")),
        }
    } else {
        let bytes = std::fs::read(input).with_context(|| format!("reading {input}"))?;
        // Benchmarks ship pages gzipped.
        let bytes = if input.ends_with(".gz") {
            gunzip(&bytes).with_context(|| format!("decompressing {input}"))?
        } else {
            bytes
        };
        Ok((bytes, None, None))
    }
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

pub fn extract(format: ExtractFormat, inputs: &[String]) -> Result<ExitCode> {
    let rt = runtime()?;
    let mut fetcher = None;
    let mut failed = 0;
    for input in inputs {
        let result = read_input(input, &mut fetcher, &rt).map(|(bytes, ct, url)| {
            let html = crate::sources::charset::decode_html(&bytes, ct.as_deref());
            crate::transforms::extract::extract_article(&html, url.as_deref())
        });
        match (format, result) {
            (ExtractFormat::Json, Ok(a)) => println!(
                "{}",
                serde_json::to_string(&ExtractLine {
                    source: input.clone(),
                    title: a.title,
                    byline: a.byline,
                    published: a.published,
                    lang: a.lang,
                    body: Some(a.body),
                    error: None,
                })?
            ),
            (ExtractFormat::Json, Err(e)) => {
                failed += 1;
                println!(
                    "{}",
                    serde_json::to_string(&ExtractLine {
                        source: input.clone(),
                        title: None,
                        byline: None,
                        published: None,
                        lang: None,
                        body: None,
                        error: Some(format!("{e:#}")),
                    })?
                )
            }
            (ExtractFormat::Text, Ok(a)) => {
                if inputs.len() > 1 {
                    println!("==> {input} <==");
                }
                println!("{}", a.body);
            }
            (ExtractFormat::Text, Err(e)) => {
                failed += 1;
                eprintln!("newswatch: {input}: {e:#}");
            }
        }
    }
    Ok(if failed > 0 && failed == inputs.len() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn match_file(watch: &WatchSet, file: &str, json: bool) -> Result<ExitCode> {
    let text = if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading stdin")?;
        s
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let report = watch.explain(&text);
    if json {
        super::print_json(&report)?;
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `completions bash|zsh|fish`: the shell's completion script, from the clap definitions.
pub fn completions(shell: crate::cli::Shell) -> Result<ExitCode> {
    use clap::CommandFactory as _;
    use clap_complete::Shell as S;
    let shell = match shell {
        crate::cli::Shell::Bash => S::Bash,
        crate::cli::Shell::Zsh => S::Zsh,
        crate::cli::Shell::Fish => S::Fish,
    };
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(shell, &mut cmd, "newswatch", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// `man`: the man page (roff), from the clap definitions: the command, then a section per
/// subcommand so `man newswatch` documents every one.
pub fn man() -> Result<ExitCode> {
    use std::io::Write as _;
    let mut out = Vec::new();
    crate::cli::render_man(&mut out).context("rendering the man page")?;
    std::io::stdout()
        .write_all(&out)
        .context("writing the man page")?;
    Ok(ExitCode::SUCCESS)
}
