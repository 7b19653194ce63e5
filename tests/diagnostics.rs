//! Rendered diagnostics, compared whole (naga style): the message, `file:line:col`, the
//! line, the caret and its label, and the help lines. Then the same through the CLI.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;
use std::path::PathBuf;
use std::process::Command;

/// Everything the compiler says about `text`: the errors, or the warnings if it compiled.
fn render(text: &str) -> String {
    let src = Source::new("t.kn", text);
    let diags = match compile(&src, Options::default()) {
        Ok(p) => p.warnings,
        Err(d) => d,
    };
    diags.iter().map(|d| d.render(&src)).collect()
}

#[test]
fn syntax_error_says_what_was_expected() {
    assert_eq!(
        render("~a: sine 440\n~b: (~a * 2\nout: ~b\n"),
        "error: expected `)` or an operator, found the end of the line
 --> t.kn:2:12
  |
2 | ~b: (~a * 2
  |            ^
  = help: the `(` at 2:5 is not closed
"
    );
    assert_eq!(
        render("~a: sine 440\n~b: ~a * * 2\n"),
        "error: expected an expression, found `*`
 --> t.kn:2:10
  |
2 | ~b: ~a * * 2
  |          ^
"
    );
    assert_eq!(
        render("~a sine 440\n"),
        "error: expected `:`, found `sine`
 --> t.kn:1:4
  |
1 | ~a sine 440
  |    ^^^^
"
    );
    assert_eq!(
        render("out: sine 1 +\n"),
        "error: expected an expression, found the end of the line
 --> t.kn:1:14
  |
1 | out: sine 1 +
  |              ^
"
    );
    // Windows line endings: the caret still lands at the end of the line.
    assert_eq!(
        render("~x: 1\r\nout: ~x +\r\n"),
        "error: expected an expression, found the end of the line
 --> t.kn:2:10
  |
2 | out: ~x +
  |          ^
"
    );
}

#[test]
fn a_line_that_is_not_a_definition() {
    assert_eq!(
        render("sine: 4\n"),
        "error: expected a definition (`~name: …`, `out: …`, `o1: …`, `fn …`, `tempo: …`), found `sine`
 --> t.kn:1:1
  |
1 | sine: 4
  | ^^^^
  = help: bus names start with `~`: `~sine: …`
"
    );
    assert_eq!(
        render("o1025: 1\nout: 0\n"),
        "error: there is no channel `o1025`
 --> t.kn:1:1
  |
1 | o1025: 1
  | ^^^^^^^^
  = help: channel outputs are numbered from 1 to 1024
"
    );
    assert_eq!(
        render("o0: 1\n"),
        "error: there is no channel `o0`
 --> t.kn:1:1
  |
1 | o0: 1
  | ^^
  = help: channel outputs are numbered from 1: `o1:`, `o2:`, …
"
    );
}

#[test]
fn unknown_function_suggests_the_nearest() {
    assert_eq!(
        render("~lfo: sine 1\n~x: sinee 440\nout: ~x\n"),
        "error: unknown function `sinee`
 --> t.kn:2:5
  |
2 | ~x: sinee 440
  |     ^^^^^ did you mean `sine`?
"
    );
    // User functions are suggested too.
    assert_eq!(
        render("fn voice f: saw f\nout: voise 110\n"),
        "error: unknown function `voise`
 --> t.kn:2:6
  |
2 | out: voise 110
  |      ^^^^^ did you mean `voice`?
"
    );
}

#[test]
fn unknown_bus_suggests_the_nearest() {
    assert_eq!(
        render("~lfo: sine 1\nout: sine (~lfoo * 100)\n"),
        "error: there is no bus `~lfoo`
 --> t.kn:2:12
  |
2 | out: sine (~lfoo * 100)
  |            ^^^^^ did you mean `~lfo`?
"
    );
    assert_eq!(
        render("~lfo: sine 1\nout: ~bass\n"),
        "error: there is no bus `~bass`
 --> t.kn:2:6
  |
2 | out: ~bass
  |      ^^^^^
  = help: define it on a line of its own: `~bass: …`
"
    );
}

#[test]
fn unknown_name() {
    assert_eq!(
        render("out: sine (freq * 2)\n"),
        "error: unknown name `freq`
 --> t.kn:1:12
  |
1 | out: sine (freq * 2)
  |            ^^^^
  = help: a name is a function parameter, a `sum` index, a constant (`pi`, `tau`, `sr`, `cps`) or a function; bus names start with `~`
"
    );
    assert_eq!(
        render("out: sine 440 * pii\n"),
        "error: unknown name `pii`
 --> t.kn:1:17
  |
1 | out: sine 440 * pii
  |                 ^^^ did you mean `pi`?
"
    );
    assert_eq!(
        render("~lfo: sine 1\nout: lfo\n"),
        "error: unknown name `lfo`
 --> t.kn:2:6
  |
2 | out: lfo
  |      ^^^ did you mean the bus `~lfo`?
"
    );
}

#[test]
fn wrong_number_of_arguments_shows_the_signature() {
    assert_eq!(
        render("out: lpf (saw 110)\n"),
        "error: `lpf` takes 2 to 3 arguments, but 1 was given
 --> t.kn:1:6
  |
1 | out: lpf (saw 110)
  |      ^^^^^^^^^^^^^ signature: lpf input cutoff [q=0.707]
"
    );
    assert_eq!(
        render("out: saw 110 # lpf\n"),
        "error: `lpf` takes 2 to 3 arguments, but 1 was given (counting the value piped in with `#`)
 --> t.kn:1:6
  |
1 | out: saw 110 # lpf
  |      ^^^^^^^^^^^^^ signature: lpf input cutoff [q=0.707]
"
    );
    assert_eq!(
        // (Four arguments are Phonon's echo, `fbdelay`; five are a mistake.)
        render("out: saw 110 # delay 0.1 0.5 2 1\n"),
        "error: `delay` takes 2 to 3 arguments, but 5 were given (counting the value piped in with `#`)
 --> t.kn:1:6
  |
1 | out: saw 110 # delay 0.1 0.5 2 1
  |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ signature: delay input secs [max=1]
"
    );
    assert_eq!(
        render("fn voice f: saw f\nout: voice 1 2\n"),
        "error: `voice` takes 1 argument, but 2 were given
 --> t.kn:2:6
  |
2 | out: voice 1 2
  |      ^^^^^ signature: fn voice f
"
    );
}

#[test]
fn pipe_into_a_number() {
    assert_eq!(
        render("~a: sine 1\n~b: ~a # 0.5\nout: ~b\n"),
        "error: nothing to pipe into: the right side of `#` applies no function
 --> t.kn:2:10
  |
2 | ~b: ~a # 0.5
  |          ^^^ expected a function application here, like `lpf 1000 0.8`
  = help: `a # f x y` means `f a x y`; to scale a signal write `a * 0.5`
"
    );
}

#[test]
fn indented_hash_word_is_not_a_comment() {
    assert_eq!(
        render("~a: saw 55\n    # lpf 800 0.7\n    # this is a comment\nout: ~a\n"),
        "error: unknown function `this`
 --> t.kn:3:7
  |
3 |     # this is a comment
  |       ^^^^ did you mean `tri`?
  = help: an indented `#` pipes into a function; write comments with `--` or `//`
"
    );
}

#[test]
fn defined_twice() {
    assert_eq!(
        render("~a: sine 1\n~a: sine 2\nout: ~a\n"),
        "error: `~a` is defined twice
 --> t.kn:2:1
  |
2 | ~a: sine 2
  | ^^ first defined on line 1
  = help: each bus, output and function is defined once; remove or rename one
"
    );
    assert_eq!(
        render("fn f x: x\nout: f 1\nfn f y: y\n"),
        "error: `fn f` is defined twice
 --> t.kn:3:4
  |
3 | fn f y: y
  |    ^ first defined on line 1
  = help: each bus, output and function is defined once; remove or rename one
"
    );
}

#[test]
fn recursive_functions() {
    assert_eq!(
        render("fn f x: f x\nout: f 1\n"),
        "error: `f` calls itself; functions are inlined, so they cannot recurse
 --> t.kn:1:9
  |
1 | fn f x: f x
  |         ^
  = help: for a signal that feeds back, use a bus that reads itself: `~x: ~x * 0.5 + …`
"
    );
    assert_eq!(
        render("fn f x: g x\nfn g x: f x\nout: f 1\n"),
        "error: `f` calls itself through `g`; functions are inlined, so they cannot recurse
 --> t.kn:2:9
  |
2 | fn g x: f x
  |         ^
  = help: for a signal that feeds back, use a bus that reads itself: `~x: ~x * 0.5 + …`
"
    );
}

#[test]
fn non_constant_init() {
    assert_eq!(
        render("~lfo: sine 1\n~x: ~x * 0.5 + 1 init ~lfo\nout: ~x\n"),
        "error: an initial value must be a constant
 --> t.kn:2:23
  |
2 | ~x: ~x * 0.5 + 1 init ~lfo
  |                       ^^^^ this changes while the program runs
"
    );
    assert_eq!(
        render("out: mem (sine 1) (sine 2)\n"),
        "error: the initial value of `mem` must be a constant
 --> t.kn:1:6
  |
1 | out: mem (sine 1) (sine 2)
  |      ^^^^^^^^^^^^^^^^^^^^^ signature: mem input [init=0]
"
    );
}

#[test]
fn delay_memory_of_the_whole_program_is_bounded() {
    // Each delay is within its own 300 s limit (128 MiB); the ninth passes 1 GiB in all.
    assert_eq!(
        render("out: sum i 0..20: delay (sine (100 * (i + 1))) 1 300\n"),
        "error: the delay lines of this program need 1.1 GiB, more than the 1 GiB limit: shorten the `max` or the number of delays
 --> t.kn:1:19
  |
1 | out: sum i 0..20: delay (sine (100 * (i + 1))) 1 300
  |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ signature: delay input secs [max=1]
"
    );
}

#[test]
fn sum_ranges() {
    assert_eq!(
        render("~lfo: sine 1\nout: sum i 0..~lfo: sine (i * 100)\n"),
        "error: the end of a `sum` range must be a constant
 --> t.kn:2:15
  |
2 | out: sum i 0..~lfo: sine (i * 100)
  |               ^^^^ this changes while the program runs
"
    );
    assert_eq!(
        render("out: sum i 0..2.5: i\n"),
        "error: a `sum` range runs over whole numbers
 --> t.kn:1:12
  |
1 | out: sum i 0..2.5: i
  |            ^^^^^^
  = help: write it like `sum i 0..100: …`
"
    );
    // Regression: bounds beyond i64 overflowed `hi - lo` (a panic in debug builds, an
    // endless unroll in release).
    assert_eq!(
        render("out: sum i -1e300..1e300: 1\n"),
        "error: a `sum` unrolls to at most 100000 copies, this one to 2e300
 --> t.kn:1:12
  |
1 | out: sum i -1e300..1e300: 1
  |            ^^^^^^^^^^^^^
"
    );
    // Nested sums multiply; the whole program is bounded, not just each sum.
    assert_eq!(
        render("out: sum i 0..1000: sum j 0..1000: i * j\n"),
        "error: the `sum`s of this program unroll to more than 100000 copies in all
 --> t.kn:1:27
  |
1 | out: sum i 0..1000: sum j 0..1000: i * j
  |                           ^^^^^^^
  = help: nested `sum`s multiply: 0..1000 inside 0..1000 is a million copies
"
    );
}

#[test]
fn multichannel_bus_on_a_feedback_cycle() {
    assert_eq!(
        render("~x: [~x, 1] * 0.5\nout: ~x\n"),
        "error: `~x` is on a feedback cycle and must be one channel, but it has 2
 --> t.kn:1:1
  |
1 | ~x: [~x, 1] * 0.5
  | ^^
  = help: split the channels into separate buses
"
    );
}

#[test]
fn init_off_a_cycle_is_a_warning() {
    let text = "~x: sine 1 init 0.5\nout: ~x\n";
    assert!(compile(&Source::new("t.kn", text), Options::default()).is_ok());
    assert_eq!(
        render(text),
        "warning: `init` has no effect: `~x` is not on a feedback cycle
 --> t.kn:1:17
  |
1 | ~x: sine 1 init 0.5
  |                 ^^^
  = help: only a bus that reads itself (directly or around a cycle) has a history to start
"
    );
}

#[test]
fn channel_counts_that_do_not_combine() {
    assert_eq!(
        render("out: [1, 2] + [1, 2, 3]\n"),
        "error: cannot combine 2 channels with 3 channels
 --> t.kn:1:6
  |
1 | out: [1, 2] + [1, 2, 3]
  |      ^^^^^^^^^^^^^^^^^^
  = help: multichannel values combine channel by channel, or with a single channel
"
    );
}

/// Regression: deep nesting overflowed the stack (an abort, not a panic) in the parser's
/// tree building and in lowering, from about 100 levels in a debug build.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = |open: &str, close: &str, n: usize| {
        format!("out: {}1{}\n", open.repeat(n), close.repeat(n))
    };
    let too_deep = |text: &str| {
        let r = render(text);
        assert!(
            r.starts_with("error: this expression is nested too deeply"),
            "{r}"
        );
        assert!(
            r.ends_with("= help: split it into buses (`~part: …`) and combine those\n"),
            "{r}"
        );
    };
    // Deep but allowed.
    for text in [
        deep("(", ")", 150),
        deep("[", "]", 150),
        deep("tanh(", ")", 140),
        format!("out: {}\n", vec!["1"; 190].join(" + ")),
        format!("out: 1{}\n", " # tanh".repeat(190)),
    ] {
        assert_eq!(render(&text), "", "{text}");
    }
    for text in [
        deep("(", ")", 100_000),
        deep("[", "]", 1000),
        deep("tanh (", ")", 1000),
        format!("out: {}\n", vec!["1"; 100_000].join(" + ")),
        format!("out: {}\n", vec!["2"; 1000].join("^")),
        format!("out: 1{}\n", " # tanh".repeat(1000)),
        format!("out: 1{}\n", "'".repeat(1000)),
        format!("out: {}1\n", "sum i 0..1: ".repeat(1000)),
    ] {
        too_deep(&text);
    }
    // Through functions: each body is shallow enough, their nesting is not.
    let mut text = String::new();
    let mut inner = "x".to_string();
    for k in 0..4 {
        text += &format!(
            "fn f{k} x: {}{inner}{}\n",
            "tanh(".repeat(120),
            ")".repeat(120)
        );
        inner = format!("f{k}(x)");
    }
    text += "~o: f3 1\nout: ~o\n";
    assert_eq!(
        render(&text).lines().next(),
        Some("error: this expression is nested too deeply (counting the bodies of the functions it calls)")
    );
}

/// Functions that call each other in a doubling pattern stop at a budget instead of
/// compiling (nearly) forever.
#[test]
fn exponential_inlining_is_bounded() {
    let mut text = String::from("fn f0 x: x\n");
    for k in 1..40 {
        text += &format!("fn f{k} x: f{p} x + f{p} (x + 1)\n", p = k - 1);
    }
    text += "out: f39 1\n";
    let r = render(&text);
    assert!(
        r.starts_with("error: this program expands to more than 2000000 expressions"),
        "{r}"
    );
}

// --- the command line ---

/// A file in a fresh temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let dir =
            std::env::temp_dir().join(format!("kanonc-diagnostics-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }
}

impl TempFile {
    fn path(&self) -> &str {
        self.0.to_str().expect("temporary paths are UTF-8 here")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn kanonc(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kanonc"))
        .args(args)
        .output()
        .expect("kanonc runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_check_reports_errors_with_position_and_caret() {
    let f = TempFile::new("broken.kn", "out: sine 440\n~b: sinee 3\n");
    let (code, stdout, stderr) = kanonc(&["check", f.path()]);
    assert_eq!(code, Some(1), "stdout: {stdout}\nstderr: {stderr}");
    let name = f.0.display().to_string();
    assert_eq!(
        stderr,
        format!(
            "error: unknown function `sinee`
 --> {name}:2:5
  |
2 | ~b: sinee 3
  |     ^^^^^ did you mean `sine`?
"
        )
    );
    assert_eq!(stdout, "");
}

#[test]
fn cli_check_reports_syntax_errors() {
    let f = TempFile::new("syntax.kn", "~a: sine 440\n~b: (~a * 2\n");
    let (code, _, stderr) = kanonc(&["check", f.path()]);
    assert_eq!(code, Some(1));
    let name = f.0.display().to_string();
    assert!(stderr.contains(&format!(" --> {name}:2:12\n")), "{stderr}");
    assert!(stderr.contains("\n  |            ^\n"), "{stderr}");
}

#[test]
fn cli_check_passes_a_good_file() {
    let f = TempFile::new("good.kn", "~x: ~x * 0.5 + sine 1 init 0.1\nout: ~x\n");
    let (code, stdout, stderr) = kanonc(&["check", f.path()]);
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert!(stdout.contains(": ok: 1 channel(s)"), "{stdout}");
    assert!(stdout.contains("~x reads ~x one sample late"), "{stdout}");
}

#[test]
fn cli_missing_file_is_a_clear_error() {
    for sub in ["check", "dump", "render", "bench"] {
        let mut args = vec![sub];
        if sub == "dump" {
            args.push("--ast");
        }
        args.push("/nonexistent/kanonc-test/missing.kn");
        if sub == "render" {
            args.extend(["-o", "/nonexistent/kanonc-test/out.wav"]);
        }
        let (code, stdout, stderr) = kanonc(&args);
        assert_eq!(code, Some(1), "{sub}: {stderr}");
        assert_eq!(stdout, "", "{sub}");
        assert!(
            stderr.starts_with("error: cannot read /nonexistent/kanonc-test/missing.kn: "),
            "{sub}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{sub}: {stderr}");
    }
}

#[test]
fn cli_unreadable_input_is_a_clear_error() {
    let f = TempFile::new("binary.kn", "");
    std::fs::write(&f.0, [0xff, 0xfe, 0x00]).unwrap();
    let (code, _, stderr) = kanonc(&["check", f.path()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "error: cannot read {}: stream did not contain valid UTF-8\n",
            f.0.display()
        )
    );
}

#[test]
fn run_without_a_device_renders_instead_and_alsa_stays_quiet() {
    let f = TempFile::new("tone.kn", "out: 0.3 * sine 440\n");
    let wav = f.0.with_file_name("tone.wav");
    let wav = wav.to_str().expect("UTF-8 path");
    // Card 99 does not exist: alsa-lib's default device fails (and, left alone, prints
    // eight "ALSA lib …: cannot find card '99'" lines of its own).
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanonc"))
        .args([
            "run",
            "--host",
            "alsa",
            "--or-render",
            wav,
            "--seconds",
            "0.25",
        ])
        .arg(f.path())
        .env("ALSA_CARD", "99")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kanonc runs");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            // A default device that ignores ALSA_CARD (a desktop's PipeWire) plays.
            let _ = child.kill();
            eprintln!("skipped: this machine's default ALSA device opened");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("rendering to"), "{stderr}");
    assert!(!stderr.contains("ALSA lib"), "{stderr}");
    let frames = hound::WavReader::open(wav).expect("a WAV").duration();
    assert_eq!(frames, 12_000);
}

#[test]
fn cli_check_lists_banks() {
    let f = TempFile::new(
        "banks.kn",
        "~lfo: sine 0.2\nout: 0.01 * (sum i 0..12: saw (55 + i) # onepole 0.1) + 0.01 * (sum i 0..9: tanh (sine (80 * (i + 1)))) + 0.01 * (sum i 0..9: sine (90 * (i + 1)) * ~lfo)\n",
    );
    let (code, stdout, stderr) = kanonc(&["check", f.path()]);
    assert_eq!(code, Some(0), "{stderr}");
    let listed: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("banks"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    // The third sum reads a shared bus, so it stays unrolled; tanh is a library call,
    // so that bank's voices run one per register.
    assert_eq!(
        listed,
        [
            "  12 voices like out/sum#0[0]/saw#0.phase: 10 node(s), 2 cell(s), 1 constant(s) of its own each, two per SIMD vector",
            "  9 voices like out/sum#1[0]/sine#0.phase: 6 node(s), 1 cell(s), 1 constant(s) of its own each",
        ],
        "{stdout}"
    );
}

/// An error inside a pattern string points at the offending character of the string.
#[test]
fn pattern_errors_point_into_the_string() {
    assert_eq!(
        render("tempo: 0.5\n~d: s \"bd [sn cp\"\nout: ~d\n"),
        "error: in this pattern: expected a step, `]`, `,` or `|`, found the end of the pattern\n --> t.kn:2:17\n  |\n2 | ~d: s \"bd [sn cp\"\n  |                 ^\n  = help: mini-notation is described in docs/patterns.md\n"
    );
    assert_eq!(
        render("out: sine \"110 22)0\"\n"),
        "error: in this pattern: expected a step, `,` or `|`, found `)`\n --> t.kn:1:18\n  |\n1 | out: sine \"110 22)0\"\n  |                  ^\n  = help: mini-notation is described in docs/patterns.md\n"
    );
}

/// Words that are not notes cannot be a signal; the help says how to play them.
#[test]
fn sound_names_in_a_signal_position() {
    assert_eq!(
        render("out: sine \"bd sn\"\n"),
        "error: `bd` is not a number or a note, so this pattern cannot be a signal\n --> t.kn:1:11\n  |\n1 | out: sine \"bd sn\"\n  |           ^^^^^^^\n  = help: to play sounds, write `s \"…\"` (`s \"bd\"`)\n"
    );
}

/// A sound that does not exist is a warning naming the nearest ones; the rest plays.
#[test]
fn unknown_sounds_are_warnings_with_the_nearest_names() {
    let r = render("out: s \"bdd sn\"\n");
    assert!(
        r.starts_with("warning: no sound called \"bdd\"; did you mean \"bd\"?"),
        "{r}"
    );
    assert!(!r.contains("error"), "{r}");
}

/// A pattern function without its pattern, and `$` without a function.
#[test]
fn pattern_functions_need_their_pattern() {
    assert_eq!(
        render("out: fast 2\n"),
        "error: this is a pattern function still waiting for its pattern\n --> t.kn:1:6\n  |\n1 | out: fast 2\n  |      ^^^^^^\n  = help: give it its pattern: `fast 2 \"bd sn\"` or `\"bd sn\" $ fast 2`\n"
    );
    assert!(
        render("out: \"1 2\" $ 3\n").starts_with("error: `$` needs a pattern function on one side")
    );
    assert!(render("out: \"1 2\" $ fast (sine 3)\n")
        .starts_with("error: `fast` works on patterns, and this is a signal"));
}

/// A live session compiles on a thread with the compile stack, where the front end runs
/// without switching stacks: the deepest legal programs compile there and deeper ones
/// are refused there as anywhere.
#[test]
fn deep_nesting_on_the_compile_stack() {
    let thread = kanon_compiler::on_compile_stack(|| {
        let legal = format!("out: {}1{}\n", "tanh(".repeat(140), ")".repeat(140));
        assert_eq!(render(&legal), "");
        let refused = format!("out: {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        assert!(render(&refused).starts_with("error: this expression is nested too deeply"));
        std::thread::current().name().map(str::to_string)
    });
    assert_eq!(thread.as_deref(), Some("kanonc-compiles"));
}

/// `tempo:` set again (Phonon's pattern libraries do, per section): the last applies,
/// with a warning that points at it and at the first.
#[test]
fn tempo_set_twice_is_a_warning_and_the_last_applies() {
    let text = "tempo: 1.5\n~a: s \"bd sn\"\ntempo: 2.25 -- trap\nout: ~a\n";
    assert_eq!(
        render(text),
        "warning: `tempo` is set 2 times: the last one applies
 --> t.kn:3:1
  |
3 | tempo: 2.25 -- trap
  | ^^^^^^^^^^^^^^^^^^^ this one; the first is on line 1
  = help: keep one `tempo:` line (Phonon also takes the last)
"
    );
    let p = compile(&Source::new("t.kn", text), Options::default()).unwrap();
    assert_eq!(p.ir.tempo, 2.25);
    // Once is no warning.
    assert_eq!(render("tempo: 1.5\nout: s \"bd\"\n"), "");
}

#[test]
fn an_unknown_groove_preset_lists_the_presets() {
    assert_eq!(
        render("out: s \"bd sn\" $ groove \"mcp\"\n"),
        "error: `groove` knows no preset called `mcp`
 --> t.kn:1:25
  |
1 | out: s \"bd sn\" $ groove \"mcp\"
  |                         ^^^^^ did you mean `mpc`?
  = help: the presets: mpc, hiphop, reggae, jazz, drunken
"
    );
}
