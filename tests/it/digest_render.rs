//! The digest as a mail client shows it: the real renderer's HTML for a ~20-story digest
//! (tests/fixtures/digest/twenty.json) rendered in headless Chromium at a phone's width
//! (390 px) and at the 600 px the layout is built for. Asserts no sideways scrolling and
//! every story's link present. CI installs Debian's `chromium` (.ci/run); without it this
//! test fails and says so.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newswatch::sinks::digest::{render, Digest};

const FIXTURE: &str = include_str!("../fixtures/digest/twenty.json");

pub fn fixture() -> Digest {
    serde_json::from_str(FIXTURE).expect("tests/fixtures/digest/twenty.json is a Digest")
}

fn chromium() -> PathBuf {
    for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(c).exists() {
            return PathBuf::from(c);
        }
    }
    panic!(
        "headless Chromium is needed to render the digest as a mail client would, and \
         /usr/bin/chromium is missing: `apt-get install -y --no-install-recommends chromium` \
         (.ci/run does this)"
    );
}

/// What Chromium measured of one page.
#[derive(Debug)]
pub struct Measured {
    pub inner_width: u32,
    pub scroll_width: u32,
    pub scroll_height: u32,
    /// The `href` of every link in the rendered page, as the browser resolved it.
    pub links: Vec<String>,
}

/// The script goes only into this test's copy of the page: the digest has none. It runs
/// inside the frame the digest is shown in and writes what it measured onto the host page.
const MEASURE: &str = "<script>(function(){var d=document.documentElement;\
parent.document.documentElement.setAttribute('data-nw-measure',\
'w='+window.innerWidth+';sw='+d.scrollWidth+';sh='+d.scrollHeight);\
var a=document.querySelectorAll('a[href]'),l=[];for(var i=0;i<a.length;i++){l.push(a[i].href);}\
parent.document.documentElement.setAttribute('data-nw-links',l.join(' '));\
})();</script>";

/// Render `html` in headless Chromium in a frame `width` px wide. Headless Chromium's window
/// is at least 500 px wide, so the page is shown in a same-origin `srcdoc` frame of the
/// wanted width, as a phone's mail app shows it in a view of that width.
pub fn measure(html: &str, width: u32) -> Measured {
    assert!(
        !html.contains("<script"),
        "the digest itself must carry no script"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("digest.html");
    let probe = match html.rfind("</body>") {
        Some(i) => format!("{}{MEASURE}{}", &html[..i], &html[i..]),
        None => panic!("the digest HTML has no </body>"),
    };
    let host = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>\
         <body style=\"margin:0\"><iframe width=\"{width}\" height=\"1500\" \
         style=\"border:0;display:block\" srcdoc=\"{}\"></iframe></body></html>",
        html_escape::encode_double_quoted_attribute(&probe)
    );
    std::fs::write(&page, host).expect("write the page");
    let profile = dir.path().join("profile");
    let out_path = dir.path().join("dom.html");
    let out = std::fs::File::create(&out_path).expect("dom file");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},1600", width.max(500) + 40))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let dom = std::fs::read_to_string(&out_path).expect("read the dumped DOM");
    let attr = attribute(&dom, "data-nw-measure");
    let field = |name: &str| -> u32 {
        attr.split(';')
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing in {attr}"))
    };
    Measured {
        inner_width: field("w="),
        scroll_width: field("sw="),
        scroll_height: field("sh="),
        links: attribute(&dom, "data-nw-links")
            .split_whitespace()
            .map(|l| html_escape::decode_html_entities(l).to_string())
            .collect(),
    }
}

/// The value of an attribute the probe wrote on the host page's root element.
fn attribute<'a>(dom: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let start = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in the DOM Chromium dumped: {dom:.400}"))
        + key.len();
    &dom[start..start + dom[start..].find('"').expect("attribute end")]
}

#[test]
fn digest_fits_a_phone_and_a_600px_pane_with_every_story_linked() {
    let digest = fixture();
    let rendered = render(&digest).expect("render the fixture");
    let stories: Vec<_> = digest.groups.iter().flat_map(|g| &g.stories).collect();
    assert_eq!(stories.len(), 20);
    for width in [390, 600] {
        let m = measure(&rendered.html, width);
        eprintln!(
            "digest at {width} px: scrollWidth {} scrollHeight {} (viewport {})",
            m.scroll_width, m.scroll_height, m.inner_width
        );
        assert_eq!(m.inner_width, width, "the window is not {width} px wide");
        assert!(
            m.scroll_width <= m.inner_width,
            "the digest scrolls sideways at {width} px: {} px wide",
            m.scroll_width
        );
        for s in &stories {
            assert!(
                m.links.iter().any(|l| l == &s.url),
                "{} has no link at {width} px",
                s.url
            );
        }
    }
    // Measured for docs/digest.md, not asserted: fonts differ between machines.
    let tall = measure(&rendered.html, 900);
    eprintln!(
        "digest at 900 px: scrollWidth {} scrollHeight {}",
        tall.scroll_width, tall.scroll_height
    );
}
