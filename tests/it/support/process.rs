//! The daemon as a child process: waiting on it, signalling it, stopping it.
use std::io::Read;
use std::process::Child;
use std::time::{Duration, Instant};

/// Polls `f` every 100 ms until it holds or `limit` passes; whether it held.
pub fn wait_for(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// `kill -SIG` the child.
pub fn signal(child: &Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill -{sig}");
}

/// SIGTERM, then its log and how long it took to exit (killed outright after 10 s).
pub fn stop_timed(mut child: Child) -> (String, Duration) {
    let start = Instant::now();
    // It may have exited already: a failed `kill` is no error here.
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    while start.elapsed() < Duration::from_secs(10) {
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let elapsed = start.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    (err, elapsed)
}

/// SIGTERM, then its log.
pub fn stop(child: Child) -> String {
    stop_timed(child).0
}
