//! Thousands of random and mutated programs thrown at the whole pipeline: nothing may
//! panic, and no stack may overflow. Parsing, lowering and rendering diagnostics run for
//! every program; a subset is also compiled to native code and run for a few frames
//! (NaN and infinities included).
//!
//! Deterministic: a seeded PRNG written here. `KANON_FUZZ_N=100000 KANON_FUZZ_SEED=7
//! cargo test --release --test fuzz` runs a longer campaign.

use kanon_compiler::{compile, ir, lower_only, Options};
use kanon_lang::{dump_ast, parse, Source};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// SplitMix64: small, fast, and good enough to pick tokens.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// Real programs covering every construct; the mutations start from these.
const SNIPPETS: &[&str] = &[
    // The Phonon example.
    include_str!("../examples/phonon.kn"),
    // Lorenz: a three-bus feedback cycle with inits.
    "~x: ~x + 10 * (~y - ~x) * 0.005        init 0.1
~y: ~y + (~x * (28 - ~z) - ~y) * 0.005 init 0.1
~z: ~z + (~x * ~y - 8/3 * ~z) * 0.005  init 0.1
o1: ~x * 0.05
o2: ~y * 0.05
o3: ~z * 0.03
",
    // Feedback through a delay, continuation lines, comments of every kind.
    "# a Phonon-style comment
~fb: ~out # delay 0.1 * 0.5
~out: ~input + ~fb
~input: saw 110
    # lpf (1500 + 1000 * sine 0.25) 0.8   -- stage one
    # hpf 40 0.7                          // stage two
out: ~out * 0.3 + noise * 0.01
",
    // Functions, sums, lists, memory, primes.
    "fn voice f: saw f # onepole 0.05
fn detune f d: voice (f * (1 + d)) + voice (f * (1 - d))
~pad: [voice 110, detune 220 0.01]
~bank: sum i 0..16: sine (55 * (i + 1)) * 0.01
~m: ~bank' + mem ~bank 0.1 + (sine 3)''
out: ~pad * 0.2 + ~m
cps: 1
",
    // Every builtin, call syntax and juxtaposition.
    "~t: phasor 1 * 20 - 10
~a: sin ~t + cos ~t + tan(~t) + exp(~t * 0.1) + log (abs ~t + 1) + sqrt (abs ~t)
~b: floor ~t + tanh ~t + pow 2 0.5 + min ~t 1 + max ~t (-1) + clip ~t (-0.5) 0.5
~c: wrap ~t (-1) 1 + select (~t > 0) 1 (-1) + mtof 60 * 0 + dbamp (-6)
~d: square 3 + tri 5 + noise + lag ~t 0.01 + bpf ~t 300 2 + notch ~t 500 1
~e: delay ~t (0.01 + 0.005 * sine 0.5) 0.05
out: (~a + ~b + ~c + ~d + ~e) * 0.01
",
    // Operators and precedence, comparisons, modulo, power.
    "~p: (~p + 110 / sr) % 1
~q: -~p ^ 2 ^ 0.5 * 3 / 4 - 1 + (~p < 0.5) + (~p <= 0.2) - (~p >= 0.9) * (~p == 0) + (~p != 1)
out: [~q * pi / tau, ~p # tanh, cps]
",
    // NaN and infinity everywhere, on purpose.
    "~n: 0 / 0 + log 0 + sqrt (-1) + 1e308 * 10 + tan (pi / 2)
~i: ~i * 2 + 1 init 1e300
~z: lpf ~n (0/0) (1/0) + hpf ~i 1e9 0 + delay ~n (0/0) + mem ~n (0/0)
out: [~n, ~i, ~z, pow (-8) (1/3), exp 1000, 1 % 0]
",
    // Nested functions with lists, per-channel builtins, sums of lists.
    "fn stereo x: [x, x # delay 0.01]
fn thicken x: stereo x + stereo (x # onepole 0.5)
~s: sum k 1..4: thicken (saw (110 * k)) * 0.1
~w: [sine 1, sine 2] # lpf [100, 200] 1
out: ~s + ~w
o4: noise
",
    // Patterns: strings, pattern functions, `$`, controls, sounds, triggers.
    "tempo: 0.5
~drums $ s \"bd*2 [sn cp] <hh oh>(3,8)\" # gain \"1 0.7\" # speed \"<1 2>\"
~mel: saw (\"c3 e3 <g3 b3>\" $ fast 2 $ every 3 rev) # lpf (\"400 2000\" * 2) 0.7
~t: trig \"x(5,8,2)?\"
out $ ~drums + ~mel * 0.1 * gate \"x ~ x@2\" + ~t * 0.1
",
    "bpm: 120
~a: s \"bd? sn:2 [~ cp]!\" $ jux rev # pan \"0 1\"
~b: sine (\"110 . 220 330 | 440\" + \"<0 7>\") * 0.1
out: ~a * 0.5 + ~b
",
];

/// Tokens of the language (and a few that are not), for token soup.
const TOKENS: &[&str] = &[
    "\"bd sn\"",
    "\"",
    "\"[bd",
    "\"<1 2>*3?\"",
    "\"{a b c}%4\"",
    "\"x(3,8,<1 2>)\"",
    "$",
    "fast",
    "every 2 (fast 2)",
    "s",
    "trig",
    "gate",
    "# gain 0.5",
    "rev",
    "jux",
    "bpm:",
    "~a",
    "~b",
    "~fb",
    "~x",
    "~",
    "~~",
    "out",
    "o1",
    "o2",
    "o12",
    "o0",
    "o1025",
    "o99999",
    "o4294967295",
    "o99999999999",
    "tempo",
    "cps",
    "fn",
    "sum",
    "init",
    "i",
    "x",
    "f",
    "voice",
    "sine",
    "saw",
    "square",
    "tri",
    "phasor",
    "noise",
    "lpf",
    "hpf",
    "bpf",
    "notch",
    "onepole",
    "lag",
    "mem",
    "delay",
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "sqrt",
    "abs",
    "floor",
    "tanh",
    "pow",
    "min",
    "max",
    "clip",
    "wrap",
    "select",
    "mtof",
    "dbamp",
    "pi",
    "tau",
    "sr",
    "0",
    "1",
    "2",
    "0.5",
    "440",
    "1e-3",
    "1e308",
    "1e309",
    "1e-320",
    "300",
    "100000",
    "99999999999999999999",
    "0.0000001",
    ":",
    ":",
    ":",
    "#",
    "#",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "'",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "(",
    ")",
    "(",
    ")",
    "[",
    "]",
    ",",
    "..",
    "--",
    "//",
    "\n",
    "\n",
    "\n    ",
    "\n\t",
    "\r\n",
    "\r",
    " ",
    "\t",
    "é",
    "→",
    "\u{0}",
    "\u{feff}",
    "_",
    "9a",
    "a9",
    "._",
];

/// Random bytes to insert: ASCII, control characters, multi-byte characters.
const NOISE_CHARS: &[char] = &[
    '~', ':', '#', '(', ')', '[', ']', ',', '.', '\'', '-', '/', '\n', '\r', '\t', ' ', '0', '9',
    'e', 'E', '_', 'z', '\u{0}', '\u{7f}', 'é', 'ß', '€', '→', '𝄞', '\u{200b}', '\u{feff}',
    '\u{fffd}', '😀',
];

fn token_soup(rng: &mut Rng) -> String {
    let n = 1 + rng.below(60);
    let mut s = String::new();
    if rng.chance(70) {
        s.push_str(rng.pick(&["out: ", "~a: ", "o1: ", "fn f x: ", "tempo: ", ""]));
    }
    for _ in 0..n {
        s.push_str(rng.pick(TOKENS));
        if rng.chance(60) {
            s.push(' ');
        }
    }
    s
}

/// A random mini-notation string, often well formed, sometimes not.
fn random_string(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "bd", "sn", "hh", "1", "0.5", "-2", "c4", "e", "~", "-", "[", "]", "<", ">", "{", "}",
        "%3", "*2", "/3", "*<2 3>", "(3,8)", "(3,8,2)", "(-3,8)", "?", "?0.3", ":3", "@2", "!",
        "!3", "_", ",", "|", ".", "..", "1 .. 4", "'maj", "x", "bd:2", "*", "(", ")", "*1000000",
        "/0", "%0", "@0",
    ];
    if rng.chance(75) {
        // Well formed, numbers and notes (most expressions put it in a signal position).
        return rng
            .pick(&[
                "\"1 2\"",
                "\"<110 220> [330 440]*2\"",
                "\"0 ~ 0.5 1\"",
                "\"c4 e4 <g4 b4>\"",
                "\"1(3,8,<0 2>)\"",
                "\"{1 2 3}%4\"",
                "\"1? 2?0.7 [3|4]\"",
                "\"0 .. 7\"",
                "\"1@3 2 _ 3!\"",
                "\"[1, 2] . 3 4\"",
            ])
            .to_string();
    }
    let n = rng.below(10);
    let mut s = String::from("\"");
    for _ in 0..n {
        s.push_str(rng.pick(PIECES));
        if rng.chance(60) {
            s.push(' ');
        }
    }
    s.push('"');
    s
}

/// A random, mostly well-formed expression of at most `depth` levels. Inside `fn g`
/// (`vars` holds `x`) it does not call `g`; lists (which a feedback cycle refuses) only
/// come when `vars` holds `[`.
fn expression(rng: &mut Rng, depth: usize, vars: &[&str]) -> String {
    if depth == 0 || rng.chance(25) {
        return match rng.below(8) {
            0 => rng
                .pick(&[
                    "0", "1", "0.5", "-1", "440", "1e308", "1e-320", "0/0", "1/0", "-1/0", "pi",
                    "sr", "cps",
                ])
                .to_string(),
            1 | 2 => rng.pick(&["~a", "~b", "~c", "~fb"]).to_string(),
            3 if vars.contains(&"x") => "x".to_string(),
            3 if vars.contains(&"i") => "i".to_string(),
            4 => "noise".to_string(),
            _ => format!("{}", rng.below(2000) as f64 / 7.0),
        };
    }
    let d = depth - 1;
    let sub = |rng: &mut Rng| expression(rng, d, vars);
    match rng.below(17) {
        0 => format!(
            "({} {} {})",
            sub(rng),
            rng.pick(&["+", "-", "*", "/", "%", "^", "<", ">=", "==", "!="]),
            sub(rng)
        ),
        14 => format!(
            "{} {}",
            rng.pick(&["trig", "gate", "sine", "s", ""]),
            random_string(rng)
        ),
        15 => format!(
            "({} $ {})",
            random_string(rng),
            rng.pick(&[
                "fast 2",
                "rev",
                "every 2 (slow 2)",
                "ply \"<1 2>\"",
                "degradeBy 0.3",
                "iter 4"
            ])
        ),
        1 => format!(
            "{} # {}",
            sub(rng),
            rng.pick(&[
                "tanh",
                "lpf 800 0.7",
                "delay 0.01",
                "onepole 0.1",
                "clip",
                "wrap (-1) 1"
            ])
        ),
        2 => format!("-{}", sub(rng)),
        3 => format!("({})'", sub(rng)),
        4 if vars.contains(&"[") => format!("[{}, {}]", sub(rng), sub(rng)),
        5 => {
            let mut inner = vars.to_vec();
            inner.push("i");
            format!(
                "(sum i 0..{}: {})",
                rng.below(12),
                expression(rng, d, &inner)
            )
        }
        6 => format!(
            "mem ({}) {}",
            sub(rng),
            rng.pick(&["0", "0.5", "(0/0)", "(1/0)"])
        ),
        7 => format!(
            "delay ({}) ({}) {}",
            sub(rng),
            sub(rng),
            rng.pick(&["0.01", "0.1", "1", "0"])
        ),
        8 => format!(
            "{}({})",
            rng.pick(&["sine", "saw", "square", "tri", "phasor"]),
            sub(rng)
        ),
        9 => format!(
            "{} ({}) ({}) ({})",
            rng.pick(&["lpf", "hpf", "bpf", "notch"]),
            sub(rng),
            sub(rng),
            sub(rng)
        ),
        10 => format!(
            "{} ({})",
            rng.pick(&[
                "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "floor", "tanh", "mtof", "dbamp"
            ]),
            sub(rng)
        ),
        11 => format!(
            "{} ({}) ({})",
            rng.pick(&["pow", "min", "max", "clip", "wrap", "onepole", "lag"]),
            sub(rng),
            sub(rng)
        ),
        12 => format!("select ({}) ({}) ({})", sub(rng), sub(rng), sub(rng)),
        13 if !vars.contains(&"x") => format!("g ({})", sub(rng)),
        _ => format!("tanh ({})", sub(rng)),
    }
}

/// A random program of buses, a function and outputs, mostly well-formed.
fn random_program(rng: &mut Rng) -> String {
    // Everything the expressions may name is defined (in a random order), so most of
    // these programs get through to native code.
    let mut lines = vec![format!("fn g x: {}", expression(rng, 3, &["x"]))];
    for bus in ["a", "b", "c", "fb"] {
        let mut s = format!("~{bus}: {}", expression(rng, 4, &[]));
        if rng.chance(30) {
            s += &format!(" init {}", rng.pick(&["0.1", "0/0", "1e300", "-1"]));
        }
        lines.push(s);
    }
    lines.push(format!("out: {}", expression(rng, 4, &["["])));
    if rng.chance(30) {
        lines.push(format!(
            "o{}: {}",
            1 + rng.below(4),
            expression(rng, 3, &[])
        ));
    }
    if rng.chance(10) {
        lines.push(format!(
            "tempo: {}",
            rng.pick(&["0.5", "0", "0/0", "1e308", "-1"])
        ));
    }
    for k in (1..lines.len()).rev() {
        lines.swap(k, rng.below(k + 1));
    }
    lines.join("\n") + "\n"
}

/// Char boundaries of `s`, including its end.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

/// One to four random edits of a program.
fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s = src.to_string();
    for _ in 0..1 + rng.below(4) {
        let b = boundaries(&s);
        let i = b[rng.below(b.len())];
        let j = b[rng.below(b.len())];
        let (lo, hi) = (i.min(j), i.max(j));
        // Edits of at most a few characters, mostly.
        let hi = if rng.chance(80) {
            b.iter()
                .copied()
                .filter(|&k| k >= lo)
                .nth(1 + rng.below(4))
                .unwrap_or(hi)
                .min(s.len())
        } else {
            hi
        };
        match rng.below(7) {
            0 => s.replace_range(lo..hi, ""),
            1 => {
                let piece = s[lo..hi].to_string();
                s.insert_str(hi, &piece);
            }
            2 => {
                let c = NOISE_CHARS[rng.below(NOISE_CHARS.len())];
                s.insert(lo, c);
            }
            3 => {
                let t = rng.pick(TOKENS);
                s.insert_str(lo, t);
            }
            4 => s.truncate(lo),
            5 => {
                // Swap two whitespace-separated tokens.
                let mut words: Vec<&str> = s.split(' ').collect();
                let (x, y) = (rng.below(words.len()), rng.below(words.len()));
                words.swap(x, y);
                s = words.join(" ");
            }
            _ => {
                // Swap two neighbouring characters.
                let b = boundaries(&s);
                if b.len() > 2 {
                    let k = rng.below(b.len() - 2);
                    let (x, y, z) = (b[k], b[k + 1], b[k + 2]);
                    let swapped = format!("{}{}", &s[y..z], &s[x..y]);
                    s.replace_range(x..z, &swapped);
                }
            }
        }
    }
    s
}

/// Deeply nested or very long constructs.
fn deep(rng: &mut Rng) -> String {
    // Around the limit mostly; far beyond it now and then (that costs parse time).
    let n = if rng.chance(1) {
        5000
    } else {
        [1, 10, 50, 150, 199, 200, 201, 300, 1000][rng.below(9)]
    };
    let body = match rng.below(10) {
        0 => format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        1 => format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        2 => vec!["2"; n].join("^"),
        3 => vec!["~a"; n].join(" + "),
        4 => format!("1{}", " # tanh".repeat(n)),
        5 => format!("1{}", "'".repeat(n)),
        6 => format!("{}1", "- ".repeat(n)),
        7 => format!("{}1{}", "sine(".repeat(n), ")".repeat(n)),
        8 => format!("{}1", "sum i 0..1: ".repeat(n)),
        // Unbalanced.
        _ => "(".repeat(n),
    };
    format!("~a: sine 1\nout: {body}\n")
}

/// Big `sum` ranges and huge numbers.
fn huge(rng: &mut Rng) -> String {
    // Unrolling thousands of copies takes most of a second in a debug build: rarely.
    let n = if rng.chance(2) {
        rng.pick(&["100000", "100001", "3000"])
    } else {
        rng.pick(&[
            "0",
            "-5",
            "100",
            "1e6",
            "1e18",
            "1e19",
            "1e300",
            "-1e300",
            "1e309",
            "0/0",
            "2.5",
            "9007199254740993",
        ])
    };
    let m = rng.pick(&["0", "-1e300", "1e18", "-9223372036854775808", "5"]);
    match rng.below(4) {
        0 => format!("out: sum i {m}..{n}: i * 0.0001\n"),
        1 => format!("out: sum i 0..{n}: sum j 0..{n}: i + j\n"),
        2 => format!("~a: delay (saw 1) {n} {n}\nout: ~a\n"),
        _ => format!(
            "tempo: {n}\nout: sine ({n} * cps) + mem 1 ({n})\no{}: 1\n",
            rng.below(3000)
        ),
    }
}

/// What one program did, for the summary.
#[derive(Default)]
struct Tally {
    parsed: usize,
    lowered: usize,
    compiled: usize,
}

/// Runs one program through everything it gets through. Panics propagate.
fn exercise(text: &str, full: bool, sample_rate: f64, tally: &mut Tally) {
    let src = Source::new("fuzz.kn", text);
    if let Ok(ast) = parse(text) {
        tally.parsed += 1;
        let _ = dump_ast(&ast);
    }
    match lower_only(&src, sample_rate) {
        Err(diags) => {
            for d in diags {
                let _ = d.render(&src);
            }
        }
        Ok((p, warnings)) => {
            tally.lowered += 1;
            for d in warnings {
                let _ = d.render(&src);
            }
            let _ = ir::write_program(&p);
            // The IR keeps its invariants (checked in release builds too).
            if let Err(e) = ir::validate::validate(&p) {
                panic!("invalid IR: {e}");
            }
            // Every piece of state has a key of its own.
            let mut keys: Vec<&str> = p.cells.iter().map(|c| c.key.as_str()).collect();
            keys.extend(p.buffers.iter().map(|b| b.key.as_str()));
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "a state key is used twice");
            // Keep native code and state to what a test box handles quickly.
            let state: usize = p.buffers.iter().map(|b| b.len).sum();
            if full && p.nodes.len() < 20_000 && state < (1 << 22) {
                match compile(&src, Options::default()) {
                    Ok(program) => {
                        tally.compiled += 1;
                        let out = kanon_runtime::render(&program, 64, 7);
                        assert_eq!(out.len(), 64 * program.channels());
                    }
                    Err(diags) => {
                        for d in diags {
                            let _ = d.render(&src);
                        }
                    }
                }
            }
        }
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = e.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = e.downcast_ref::<String>() {
        s.clone()
    } else {
        "(not a string)".to_string()
    }
}

#[test]
fn random_and_mutated_programs_never_panic() {
    let n: usize = std::env::var("KANON_FUZZ_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("KANON_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x006b_616e_6f6e);
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let mut failures: Vec<(String, String)> = Vec::new();
    // The snippets themselves must compile: they are the seeds of the mutations.
    for s in SNIPPETS {
        let src = Source::new("snippet.kn", *s);
        if let Err(d) = compile(&src, Options::default()) {
            panic!(
                "{s}\n{}",
                d.iter().map(|d| d.render(&src)).collect::<String>()
            );
        }
    }
    // Panics are caught and reported below with their program; keep the log quiet.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for k in 0..n {
        let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
        let text = match k % 10 {
            0..=3 => mutate(&mut rng, snippet),
            4 => {
                // Mutations of mutations drift further.
                let once = mutate(&mut rng, snippet);
                mutate(&mut rng, &once)
            }
            5 | 6 => random_program(&mut rng),
            7 => token_soup(&mut rng),
            8 => deep(&mut rng),
            _ => huge(&mut rng),
        };
        // Native code for one program in four (codegen dominates otherwise), and every
        // random program, since most of those compile.
        let full = k % 4 == 0 || matches!(k % 10, 5 | 6);
        let sample_rate = if rng.chance(3) {
            *rng.pick(&[&1.0, &0.0, &-48_000.0, &f64::NAN, &f64::INFINITY, &1e7])
        } else {
            48_000.0
        };
        let result = catch_unwind(AssertUnwindSafe(|| {
            exercise(&text, full, sample_rate, &mut tally)
        }));
        if let Err(e) = result {
            failures.push((text, panic_message(&*e)));
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {n} programs, {} parsed, {} lowered, {} compiled and run",
        tally.parsed, tally.lowered, tally.compiled
    );
    // Fuzzing that never gets past the parser tests little.
    assert!(
        tally.lowered > n / 5,
        "only {} of {n} lowered",
        tally.lowered
    );
    assert!(
        tally.compiled > n / 10,
        "only {} of {n} compiled",
        tally.compiled
    );
    if !failures.is_empty() {
        let report: String = failures
            .iter()
            .take(5)
            .map(|(text, msg)| format!("--- panicked: {msg}\n{text:?}\n"))
            .collect();
        panic!("{} of {n} programs panicked:\n{report}", failures.len());
    }
}

/// Regressions found by the fuzzer, kept as plain programs.
#[test]
fn fuzz_regressions() {
    for text in [
        // `hi - lo` of a `sum` overflowed i64.
        "out: sum i -1e300..1e300: 1\n",
        "out: sum i -9223372036854775808..1e19: 1\n",
        // Millions of output channels took minutes and gigabytes.
        "o4294967295: 1\n",
        "o1025: 1\n",
    ] {
        let src = Source::new("t.kn", text);
        assert!(compile(&src, Options::default()).is_err(), "{text}");
    }
    // A select whose condition compares a pattern read the comparison's operands where
    // the step block computed them: Cranelift's verifier (debug) or register allocator
    // (release: `EntryLivein`) refused the function. 5 of 250,000 programs, seed 11.
    for text in [
        "~b: ~b\n~fb: select (((sum i 0..6: i # wrap (-1) 1) <  \"0 .. 7\")) \
         (delay (tanh ((\"0 ~ 0.5 1\" $ degradeBy 0.3))) (delay (noise) 0.1 0.1) 0) \
         (sine \"1? 2?0.7 [3|4]\") init 0.1\nout: -~fb\n",
        "~a: select ((-0/0 >= (\"c4 e4 <g4 b4>\" $ fast 2))) (noise) (onepole (noise) 0.5)\n\
         out: ~a\n",
        "out: select (57 < (\"1@3 2 _ 3!\" $ ply \"<1 2>\")) (saw 3) 25\n",
    ] {
        let src = Source::new("t.kn", text);
        let program = compile(&src, Options::default())
            .unwrap_or_else(|d| panic!("{text}\n{}", d[0].render(&src)));
        let out = kanon_runtime::render(&program, 4096, 64);
        assert!(out.iter().all(|v| v.is_finite()), "{text}");
    }
    // `lower_only` took any sample rate: an infinite one overflowed a delay's length.
    let src = Source::new("t.kn", "out: delay (saw 1) 0.5\n");
    for sr in [f64::INFINITY, f64::NAN, 0.0, -48_000.0, 1e12] {
        let e = lower_only(&src, sr).expect_err("not a sample rate");
        assert!(e[0].message.contains("is not possible"), "{sr}");
    }
}
