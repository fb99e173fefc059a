//! A user's session with the binary: a temp folder holding config/, watchlists/ and var/,
//! and a command builder around `CARGO_BIN_EXE_newswatch`.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

pub struct Session {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Run {
    /// Exit 3: done, but a digest was not accepted by the server (queued or parked).
    pub fn not_sent(self) -> Run {
        assert_eq!(
            self.code, 3,
            "exit {} (3: a digest not sent)\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// The watchlist most tests use: entities of the Russia–DPRK cooperation story.
pub const WATCHLIST: &str = r#"
name = "Russia–DPRK military cooperation"

[[entity]]
id = "shoigu"
label = "Sergei Shoigu"
kind = "person"
aliases = ["Shoigu", "Shoygu", "Choïgou", "Шойгу"]

[[entity]]
id = "kursk"
label = "Kursk region"
kind = "place"
aliases = ["Kursk", "Koursk", "Курск"]

[[entity]]
id = "dprk"
label = "North Korea"
kind = "place"
aliases = ["North Korea", "North Korean", "DPRK", "Corée du Nord", "КНДР"]
"#;

impl Session {
    pub fn new() -> Session {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("config")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("watchlists")).expect("mkdir");
        let s = Session { dir };
        s.write("watchlists/dprk-russia.toml", WATCHLIST);
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    /// Write config/newswatch.toml: `extra` is appended verbatim (e.g. [email] and [[feeds]]).
    pub fn config(&self, extra: &str) {
        let text = format!(
            r#"state_dir = "../var/state"
watchlists_dir = "../watchlists"

[schedule]
poll = "*/15 * * * *"
digest = "0 7 * * *"
timezone = "UTC"

{extra}
"#
        );
        self.write("config/newswatch.toml", &text);
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_newswatch"));
        c.arg("-c").arg(self.path("config/newswatch.toml"));
        c.args(args);
        c.current_dir(self.dir.path());
        c.env_remove("NEWSWATCH_CONFIG");
        c.env(
            "NEWSWATCH_LOG",
            std::env::var("IT_LOG").unwrap_or_else(|_| "info".into()),
        );
        // Never a proxy between the binary and the loopback servers.
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "http_proxy",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            c.env_remove(v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.cmd(args).output().expect("run newswatch").into()
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn newswatch")
    }

    /// The .eml files in the outbox, sorted.
    pub fn outbox(&self) -> Vec<PathBuf> {
        let dir = self.path("var/outbox");
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        v.sort();
        v
    }
}

pub fn smtp_email(port: u16) -> String {
    format!(
        r#"[email]
from = "newswatch <newswatch@localhost>"
to = ["analyst@example.org"]
subject_prefix = "[newswatch]"
transport = "smtp"

[email.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
"#
    )
}

pub fn file_email() -> String {
    r#"[email]
from = "newswatch <newswatch@localhost>"
to = ["analyst@example.org"]
transport = "file"
outbox_dir = "../var/outbox"
"#
    .to_string()
}

pub fn feed(url: &str, name: &str) -> String {
    format!("[[feeds]]\nurl = \"{url}\"\nname = \"{name}\"\n\n")
}
