//! `extract` and `match`: the tools an editor uses, through the binary.

use crate::support::cli::Session;
use crate::support::http::{HttpServer, Response};

const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Engineers reach the border | Test Times</title>
<meta property="article:published_time" content="2026-11-20T08:30:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Engineers reach the border</h1><p class="byline">By Jane Example</p>
<p>A column of military engineers reached the border district on Thursday, local officials said, after a journey of several days by rail and road.</p>
<p>The engineers are expected to start clearing roads and fields next week, once the weather improves and the first equipment has been unloaded.</p>
<p>Residents were told to keep away from the marked areas and to report any device they find to the police rather than touching it.</p></article>
<aside><h3>More on this topic</h3><ul><li><a href="/a">Shoigu visits the front line</a></li></ul></aside>
<footer>Subscribe to our newsletter · Cookie settings</footer></body></html>"#;

#[test]
fn extract_prints_one_json_line_per_page_and_an_error_line_for_a_bad_one() {
    let s = Session::new();
    s.config("");
    s.write("page.html", PAGE);
    let http = HttpServer::start();
    http.route("/story", Response::html(PAGE));
    let url = http.url("/story");
    let r = s
        .run(&[
            "extract",
            "--format",
            "json",
            "page.html",
            "missing.html",
            &url,
        ])
        .success();
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    for (i, source) in [(0, "page.html"), (2, url.as_str())] {
        let l = &lines[i];
        assert_eq!(l["source"], source);
        let body = l["body"].as_str().unwrap();
        assert!(
            body.contains("military engineers reached the border"),
            "{body}"
        );
        assert!(
            !body.contains("Shoigu visits"),
            "the related-story box is not the article: {body}"
        );
        assert!(!body.contains("newsletter"), "{body}");
        assert_eq!(l["lang"], "en");
        assert!(
            l["published"]
                .as_str()
                .is_some_and(|p| p.starts_with("2026-11-20")),
            "{l:#}"
        );
    }
    assert_eq!(lines[1]["source"], "missing.html");
    assert!(
        lines[1]["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{:#}",
        lines[1]
    );

    let text = s.run(&["extract", "page.html"]).success();
    assert!(
        text.stdout.contains("Residents were told"),
        "{}",
        text.stdout
    );
}

#[test]
fn match_shows_what_matched_where_and_why_not() {
    let s = Session::new();
    s.config("");
    s.write("story.txt", "Сергей Шойгу прибыл в Пхеньян.\nLater, Choïgou spoke about the Kursk region and North Korea.\n");
    let r = s.run(&["match", "--json", "story.txt"]).success().json();
    let text = serde_json::to_string(&r).unwrap();
    for entity in ["shoigu", "kursk", "dprk"] {
        assert!(
            text.contains(&format!("\"{entity}\"")),
            "{entity} found: {r:#}"
        );
    }
    let plain = s.run(&["match", "-"]);
    assert_eq!(plain.code, 0);
}

/// A Cyrillic alias written in the watchlist is that alias, not a transliteration of the
/// Latin one beside it.
#[test]
fn match_names_a_written_alias_not_a_transliteration() {
    let s = Session::new();
    s.config("");
    s.write(
        "watchlists/people.toml",
        "name = \"People\"\n[[entity]]\nid = \"shoigu\"\nlabel = \"Sergei Shoigu\"\nkind = \"person\"\naliases = [\"Shoigu\", \"Шойгу\"]\n",
    );
    s.write("story.txt", "Шойгу прибыл в Пхеньян во вторник.\n");
    let out = s.run(&["match", "story.txt"]).success().stdout;
    let line = out
        .lines()
        .find(|l| l.contains("shoigu"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("alias \"Шойгу\""), "{line}");
    assert!(!line.contains("transliterated"), "{line}");
}
