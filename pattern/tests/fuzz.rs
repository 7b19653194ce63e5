//! Fuzzing the mini-notation and expression readers: random and mutated strings never
//! panic, errors point inside the string (at a character boundary), and whatever parses
//! can be queried without panicking. A few thousand strings per `cargo test`; set
//! `KANON_PATTERN_FUZZ=<n>` for more.

use std::fs;
use std::panic;
use std::path::Path;

use kanon_pattern::{expr, mini, Span, Time};

/// A small xorshift generator: deterministic runs, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const PIECES: &[&str] = &[
    "bd",
    "sn",
    "hh:3",
    "c4",
    "cs5",
    "e'min7",
    "'maj",
    "0",
    "-1",
    "0.25",
    "1e3",
    "1%3",
    "~",
    "-",
    "[",
    "]",
    "<",
    ">",
    "{",
    "}",
    "}%",
    "(",
    ")",
    ",",
    "|",
    ".",
    "..",
    " ",
    " ",
    " ",
    "*",
    "/",
    "?",
    "?0.3",
    "@",
    "@3",
    "!",
    "!3",
    "_",
    ":",
    "'",
    "i",
    "o",
    "d1",
    "3",
    "8",
    "-3",
    "99999999999999999999",
    "1e308",
    "0.000000001",
    "é",
    "\u{1F600}",
    "\t",
    "\n",
    "%",
    "#",
    "^",
    "\\",
    "\"",
    "0..0",
    "(3,8,2)",
    "(-3,8)",
    "(5,0)",
    "*<2 3>",
    "/[2 3]",
    "!!",
    "__",
    "??",
    "((",
    "<<",
    "[[",
];

const EXPR_PIECES: &[&str] = &[
    "fast",
    "slow",
    "every",
    "rev",
    "jux",
    "chop",
    "striate",
    "stut",
    "echo",
    "off",
    "ply",
    "segment",
    "range",
    "run",
    "irand",
    "rand",
    "sine",
    "stack",
    "cat",
    "# gain",
    "# speed",
    "|+|",
    "|+",
    "+|",
    "+",
    "-",
    "*",
    "/",
    "<~",
    "~>",
    "$",
    ".",
    "(",
    ")",
    "[",
    "]",
    ",",
    " ",
    " ",
    "2",
    "0.25",
    "-1",
    "1/3",
    "\"bd sn\"",
    "\"<1 2>\"",
    "\"bd*2?\"",
    "s",
    "n",
    "(# speed 2)",
    "(+ 12)",
    "(fast 2)",
    "\"",
    "every'",
    "whenmod 4 2",
    "chunk 4",
    "sometimesBy 0.5",
];

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut out = Vec::new();
    for f in fs::read_dir(dir).unwrap() {
        let text = fs::read_to_string(f.unwrap().path()).unwrap();
        for l in text.lines() {
            if let Some(m) = l.strip_prefix("mini: ") {
                out.push(m.to_string());
            }
        }
    }
    out.sort();
    out
}

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = if chars.is_empty() {
            0
        } else {
            rng.below(chars.len() + 1)
        };
        match rng.below(4) {
            0 if !chars.is_empty() && at < chars.len() => {
                chars.remove(at);
            }
            1 => {
                for (i, c) in rng.pick(PIECES).chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
            2 if !chars.is_empty() && at < chars.len() => {
                let c = rng.pick(PIECES).chars().next().unwrap_or(' ');
                chars[at] = c;
            }
            _ => {
                let n = chars.len();
                if n > 1 {
                    let (a, b) = (rng.below(n), rng.below(n));
                    chars.swap(a, b);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn check_mini(s: &str) {
    let r = panic::catch_unwind(|| match mini::pattern(s) {
        Ok(p) => {
            // Any answer is fine, a panic is not; a small budget keeps huge factors quick.
            let _ = p.query_with_budget(Span::new(Time::ZERO, Time::int(2)), 20_000);
            let _ = p.query_with_budget(
                Span::new(Time::new(-1, 3).unwrap(), Time::new(1, 7).unwrap()),
                20_000,
            );
            None
        }
        Err(e) => Some(e),
    });
    match r {
        Err(_) => panic!("mini-notation {s:?} panicked"),
        Ok(Some(e)) => {
            assert!(
                e.offset <= s.len(),
                "{s:?}: error offset {} past the end ({e})",
                e.offset
            );
            assert!(
                s.is_char_boundary(e.offset),
                "{s:?}: error offset {} inside a character",
                e.offset
            );
            assert!(!e.message.is_empty());
            let _ = e.render(s);
        }
        Ok(None) => {}
    }
}

fn check_expr(s: &str) {
    let r = panic::catch_unwind(|| match expr::eval(s) {
        Ok(p) => {
            let _ = p.query_with_budget(Span::new(Time::ZERO, Time::int(2)), 20_000);
            None
        }
        Err(e) => Some(e),
    });
    match r {
        Err(_) => panic!("expression {s:?} panicked"),
        Ok(Some(e)) => assert!(
            e.offset <= s.len(),
            "{s:?}: error offset {} past the end",
            e.offset
        ),
        Ok(None) => {}
    }
}

fn iterations() -> usize {
    std::env::var("KANON_PATTERN_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

#[test]
fn mini_notation_never_panics_and_errors_point_inside() {
    // Panics are the failure we look for: keep their messages out of the log.
    panic::set_hook(Box::new(|_| {}));
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..iterations() {
        let s = if i % 3 == 0 {
            (0..1 + rng.below(12))
                .map(|_| rng.pick(PIECES))
                .collect::<String>()
        } else {
            let base = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, base)
        };
        check_mini(&s);
    }
    let _ = panic::take_hook();
}

#[test]
fn expressions_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..iterations() / 2 {
        let s = (0..1 + rng.below(10))
            .map(|_| rng.pick(EXPR_PIECES))
            .collect::<Vec<_>>()
            .join(" ");
        check_expr(&s);
    }
}

#[test]
fn known_nasty_inputs_are_errors_or_answers() {
    for s in [
        "",
        " ",
        "[",
        "]",
        "<",
        "{",
        "}%",
        "bd*",
        "bd(",
        "bd(3",
        "bd(3,",
        "bd(3,8",
        "bd(,)",
        "bd?x",
        "'",
        "c'",
        "c'maj'",
        "bd:",
        ":",
        "..",
        "0 ..",
        "_",
        "@",
        "!",
        "a!99999999",
        "bd*99999999999999999999",
        "bd*1e308",
        "bd/0",
        "bd*0.000000001",
        "bd@0",
        "bd@-1 sn",
        "0 .. 999999999",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[bd",
        "bd(99999999,100000000)",
        "bd(3,8,99999999999999999)",
        "{bd}%0",
        "{}%3",
        "<>",
        "bd . . sn",
        ". bd",
        "bd?99",
        "a|b,c",
        "a,b|c",
        "é",
        "bd\u{1F600}",
        "bd*<1e308 2>",
        "bd(1e3,8)",
        "c'maj'd0",
        "c'maj'99999",
        "1%0",
    ] {
        check_mini(s);
    }
    let deep = format!("{}bd{}", "[".repeat(200), "]".repeat(200));
    check_mini(&deep);
    assert!(mini::pattern(&deep).is_err());
}
