//! `export` and `import`: the store as JSON lines and back, the way to recover a damaged one.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::config::Config;
use crate::control::{self, Request};
use crate::store::OpenError;

/// Write the export to `output` (or stdout): read from the store, or asked of the daemon
/// when it holds the store. A file is written beside its name and renamed when complete,
/// so an interrupted export never leaves a truncated file that looks like a backup.
pub fn export(config: &Config, output: Option<&Path>) -> Result<ExitCode> {
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let written = write_export(config, &mut out).and_then(|w| {
            out.flush().context("writing the export to stdout")?;
            Ok(w)
        });
        // `newswatch export | head` is a reader that stopped early, not a failure.
        return match written {
            Err(e) if !is_broken_pipe(&e) => Err(e),
            Ok(w) if !w.skipped.is_empty() => incomplete(&w, "stdout"),
            _ => Ok(ExitCode::SUCCESS),
        };
    };
    let partial = partial_path(path);
    let written = (|| -> Result<Written> {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        let mut out = BufWriter::new(file);
        let records = write_export(config, &mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", partial.display()))?;
        file.sync_all()
            .with_context(|| format!("writing {}", partial.display()))?;
        Ok(records)
    })();
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, path)
        .with_context(|| format!("renaming {} to {}", partial.display(), path.display()))?;
    if !written.skipped.is_empty() {
        return incomplete(&written, &path.display().to_string());
    }
    eprintln!("exported {} records to {}", written.records, path.display());
    Ok(ExitCode::SUCCESS)
}

/// What an export wrote, and what it could not read.
struct Written {
    records: u64,
    skipped: Vec<String>,
}

/// An export of a damaged store: what it holds and what it lacks, then exit 1.
fn incomplete(w: &Written, to: &str) -> Result<ExitCode> {
    tracing::error!(
        skipped = w.skipped.len(),
        "the store is damaged: the export is incomplete"
    );
    eprintln!(
        "newswatch: the store is damaged: exported {} records to {to}, but not everything \
         could be read:",
        w.records
    );
    for s in &w.skipped {
        eprintln!("  skipped: {s}");
    }
    eprintln!(
        "newswatch: this export is incomplete; keep it beside your last complete one. {}",
        crate::store::RECOVERY_HINT
    );
    Ok(ExitCode::from(1))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `FILE.partial` beside `FILE`: the same file system, so the rename is atomic.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// The export into `out`: what it wrote (records are the lines after the header) and what
/// it could not read. A sled store is opened for salvage: a damaged store is exported as far
/// as it can be read, never refused. A PostgreSQL store is read straight from the database.
fn write_export(config: &Config, out: &mut dyn Write) -> Result<Written> {
    let opened = match config.store.url {
        Some(_) => crate::store::open_for(config),
        None => crate::store::open_salvage(&config.state_dir),
    };
    match opened {
        Ok(store) => {
            let stats = store.export(out)?;
            Ok(Written {
                records: stats.records,
                skipped: stats.skipped,
            })
        }
        Err(OpenError::Locked(p)) => {
            let body = control::ask(&config.state_dir, &Request::Export).map_err(|e| {
                anyhow::anyhow!(
                    "the store at {} is held by another newswatch process and its control \
                     socket did not answer: {e:#}",
                    p.display()
                )
            })?;
            out.write_all(body.as_bytes())
                .context("writing the export")?;
            Ok(Written {
                records: body.lines().count().saturating_sub(1) as u64,
                skipped: Vec::new(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Load an export (`-` for stdin) into the configured state_dir, which must hold no store
/// yet (or an empty one) and must not be in use.
pub fn import(config: &Config, file: &Path) -> Result<ExitCode> {
    let dir = &config.state_dir;
    let store = match crate::store::open_for(config) {
        Ok(s) => s,
        Err(OpenError::Locked(p)) => anyhow::bail!(
            "the store at {} is in use (is the service running?); stop it, move the state_dir \
             aside or point state_dir at an empty folder, then import",
            p.display()
        ),
        Err(e) => return Err(e.into()),
    };
    let target = match &config.store.url {
        Some(url) => crate::config::redact_url_password(url),
        None => dir.display().to_string(),
    };
    if !store.is_empty()? && config.store.url.is_some() {
        anyhow::bail!(
            "the PostgreSQL store at {target} already holds records; import only fills an \
             empty database: point [store] url at a new database and run the import again"
        );
    }
    if !store.is_empty()? {
        anyhow::bail!(
            "the state_dir {} already holds a store; import only fills an empty one: move the \
             folder aside (or set state_dir to a new folder) and run the import again",
            dir.display()
        );
    }
    let mut input: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        Box::new(BufReader::new(f))
    };
    let stats = store
        .import(&mut input)
        .with_context(|| format!("importing {}", file.display()))?;
    println!(
        "imported {} records into {}{}",
        stats.records,
        target,
        if stats.migrated {
            format!(
                " (migrated from schema {} to {})",
                stats.from_schema_version,
                crate::store::SCHEMA_VERSION
            )
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `prune`: retention now (the daemon does it once a day).
pub fn prune(config: &Config, json: bool) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let Some(before) = crate::pipeline::retention_cutoff(config, chrono::Utc::now()) else {
        eprintln!("retention.days = 0: stories are kept for ever; nothing pruned");
        if json {
            super::print_json(&crate::store::PruneStats::default())?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let stats = crate::store::contain(|| store.prune_old(before)).map_err(anyhow::Error::msg)??;
    if json {
        super::print_json(&stats)?;
    } else {
        eprintln!(
            "pruned {} and {} older than {} ({} days); dedup keys and claims kept",
            super::count(stats.items, "story", "stories"),
            super::count(stats.digests, "sent digest", "sent digests"),
            before.format("%Y-%m-%d"),
            config.retention_days
        );
    }
    Ok(ExitCode::SUCCESS)
}
