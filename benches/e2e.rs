//! End-to-end bench: N generated feeds × 30 items served on loopback, one `once --json
//! --no-send` of the release binary against them; prints wall time, CPU time and peak RSS.
//!
//!     cargo bench --bench e2e -- [FEEDS] [PORTS]     (default 10000 feeds on 200 ports)
//!
//! Environment: E2E_EXTRA_ENV="K=V,…" adds variables to the binary's environment;
//! E2E_SERVE=1 only serves the feeds and prints the config's path (profiling by hand).
//! Several instances on one PostgreSQL store: E2E_STORE_URL=postgres://… (an empty
//! database) and E2E_INSTANCES=N start N `once` side by side, each in its own folder, and
//! time them together (the feeds are shared through their leases).
//!
//! Figures go in docs/performance.md; nothing here asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and bench code may panic on a broken setup
use std::io::Write as _;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const ITEMS: usize = 30;

fn feed_xml(n: usize) -> String {
    let mut s = String::with_capacity(40_000);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>");
    s.push_str(&format!("<title>Bench feed {n}</title><link>http://bench.example/{n}/</link><description>bench</description>"));
    let now = chrono::Utc::now();
    for i in 0..ITEMS {
        let date = (now - chrono::Duration::minutes((i * 7) as i64)).to_rfc2822();
        // One item in fifty names a watch entity and carries a figure.
        let topic = if (n * ITEMS + i).is_multiple_of(50) {
            "Sergei Shoigu said about 1,000 North Korean sappers would be sent to the Kursk region."
        } else {
            "The city council approved a new budget for road repairs and school buildings."
        };
        s.push_str(&format!(
            "<item><title>Story {n}-{i}</title><link>http://bench.example/{n}/{i}</link><guid>bench-{n}-{i}</guid><pubDate>{date}</pubDate>\
             <description>{topic} Officials spoke to reporters after the meeting, and the minutes will be published next week. \
             Residents asked questions about the timetable, the costs and the contractors; the answers were brief. \
             Observers expect further decisions in the spring, once the committee has reviewed the plans in detail. \
             A second reading is scheduled, and amendments may still change the figures presented today.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

async fn serve(listener: TcpListener, bodies: Arc<Vec<String>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let bodies = bodies.clone();
        tokio::spawn(async move {
            let (r, mut w) = stream.into_split();
            let mut lines = BufReader::new(r).lines();
            loop {
                let Ok(Some(first)) = lines.next_line().await else {
                    return;
                };
                while let Ok(Some(l)) = lines.next_line().await {
                    if l.is_empty() {
                        break;
                    }
                }
                let path = first.split_whitespace().nth(1).unwrap_or("/");
                let n: usize = path
                    .trim_start_matches("/feed/")
                    .trim_end_matches(".xml")
                    .parse()
                    .unwrap_or(0);
                let body = bodies
                    .get(n % bodies.len())
                    .map(String::as_str)
                    .unwrap_or("");
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\r\n", body.len());
                if w.write_all(head.as_bytes()).await.is_err()
                    || w.write_all(body.as_bytes()).await.is_err()
                {
                    return;
                }
            }
        });
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let feeds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let ports: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);

    // Each feed its own body (its own guids and links), generated once up front.
    let bodies: Arc<Vec<String>> = Arc::new((0..feeds).map(feed_xml).collect());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let mut addrs = Vec::new();
    for _ in 0..ports {
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0"))?;
        addrs.push(listener.local_addr()?);
        rt.spawn(serve(listener, bodies.clone()));
    }

    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("config"))?;
    std::fs::create_dir_all(dir.path().join("watchlists"))?;
    std::fs::write(
        dir.path().join("watchlists/bench.toml"),
        "name = \"Bench\"\n[[entity]]\nid = \"shoigu\"\nlabel = \"Sergei Shoigu\"\nkind = \"person\"\naliases = [\"Shoigu\", \"Шойгу\"]\n\
         [[entity]]\nid = \"kursk\"\nlabel = \"Kursk\"\nkind = \"place\"\naliases = [\"Kursk\", \"Курск\"]\n",
    )?;
    let store_url = std::env::var("E2E_STORE_URL").ok();
    let instances: usize = std::env::var("E2E_INSTANCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut cfg = std::fs::File::create(dir.path().join("config/newswatch.toml"))?;
    writeln!(cfg, "state_dir = \"../var/state\"\nwatchlists_dir = \"../watchlists\"\n\n[fetch]\ntimeout_secs = 30\nconcurrency = 64\nper_host_concurrency = 2\nfull_text = \"never\"\n\n[email]\ntransport = \"file\"\noutbox_dir = \"../var/outbox\"\n")?;
    if let Some(url) = &store_url {
        writeln!(cfg, "[store]\nurl = \"{url}\"\n")?;
    }
    for n in 0..feeds {
        let a = addrs[n % addrs.len()];
        writeln!(cfg, "[[feeds]]\nurl = \"http://{a}/feed/{n}.xml\"\n")?;
    }
    drop(cfg);

    // E2E_SERVE=1: only serve the feeds and print the config path, for profiling by hand.
    if std::env::var_os("E2E_SERVE").is_some() {
        let keep = dir.keep();
        println!(
            "serving; config: {}",
            keep.join("config/newswatch.toml").display()
        );
        std::thread::sleep(std::time::Duration::from_secs(3600));
        return Ok(());
    }
    let bin = env!("CARGO_BIN_EXE_newswatch");
    // E2E_EXTRA_ENV="K=V,K2=V2" runs the binary with extra environment (e.g. MALLOC_ARENA_MAX=2).
    let extra: Vec<(String, String)> = std::env::var("E2E_EXTRA_ENV")
        .unwrap_or_default()
        .split(',')
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    // Instance k > 0 runs from its own folder (its own state_dir) with the same config.
    let mut configs = vec![dir.path().join("config/newswatch.toml")];
    for k in 1..instances {
        let other = dir.path().join(format!("instance-{k}"));
        std::fs::create_dir_all(other.join("config"))?;
        let text = std::fs::read_to_string(&configs[0])?.replace(
            "watchlists_dir = \"../watchlists\"",
            &format!(
                "watchlists_dir = \"{}\"",
                dir.path().join("watchlists").display()
            ),
        );
        std::fs::write(other.join("config/newswatch.toml"), text)?;
        configs.push(other.join("config/newswatch.toml"));
    }
    for round in ["first cycle (all new)", "second cycle (nothing new)"] {
        let start = Instant::now();
        let children: Vec<std::process::Child> = configs
            .iter()
            .map(|config| {
                Command::new("/usr/bin/env")
                    .args([
                        "time",
                        "-f",
                        "%e s wall, %U s user, %S s sys, %M KB max RSS",
                    ])
                    .arg(bin)
                    .arg("-c")
                    .arg(config)
                    .args(["once", "--json", "--no-send"])
                    .env("NEWSWATCH_LOG", "warn")
                    .envs(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
            })
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::new();
        for child in children {
            let out = child.wait_with_output()?;
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            let ok = report["feeds"]
                .as_array()
                .map(|a| a.iter().filter(|f| f["status"] == "ok").count())
                .unwrap_or(0);
            let items = report["items"].as_array().map(Vec::len).unwrap_or(0);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let timing = stderr
                .lines()
                .rev()
                .find(|l| l.contains("max RSS"))
                .unwrap_or("(no /usr/bin/time output)")
                .to_string();
            rows.push((ok, items, timing));
        }
        let wall = start.elapsed();
        let ok: usize = rows.iter().map(|r| r.0).sum();
        let items: usize = rows.iter().map(|r| r.1).sum();
        println!(
            "{round}: {feeds} feeds × {ITEMS} items on {ports} ports, {instances} instance(s), store {}: {:.1} s, {:.0} feeds/s; {ok} feeds ok, {items} matched items",
            if store_url.is_some() { "postgresql" } else { "sled" },
            wall.as_secs_f64(),
            ok as f64 / wall.as_secs_f64().max(1e-9),
        );
        for (k, (ok, items, timing)) in rows.iter().enumerate() {
            println!("  instance {k}: {ok} feeds ok, {items} matched items; {timing}");
        }
    }
    Ok(())
}
