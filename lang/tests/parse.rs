use kanon_lang::{dump_ast, parse, Source};

fn ast(src: &str) -> String {
    match parse(src) {
        Ok(p) => dump_ast(&p),
        Err(d) => d.render(&Source::new("t.kn", src)),
    }
}

#[test]
fn phonon_example() {
    let src = "tempo: 0.5                       -- cycles per second (also `cps:`)
~osc: sine 440
~filtered: ~osc # lpf 1000 0.8
~delayed: ~filtered # delay 0.5
~lfo: sine 0.25
~bass: saw 55 # lpf (~lfo * 2000 + 500) 0.8
out: ~bass * 0.3 + ~delayed * 0.2
o1: ~osc * 0.1                   -- numbered channel outputs, one definition per line
o2: ~lfo * 0.1
";
    insta::assert_snapshot!(ast(src));
}

#[test]
fn pipe_goes_into_leftmost_application() {
    assert_eq!(
        ast("~fb: ~out # delay 0.1 * 0.5"),
        "~fb: ((delay ~out 0.1) * 0.5)\n"
    );
    assert_eq!(
        ast("~b: ~a * 0.5 # lpf 1000 0.8"),
        "~b: (lpf (~a * 0.5) 1000 0.8)\n"
    );
    assert_eq!(ast("~b: ~a # tanh"), "~b: (tanh ~a)\n");
    assert_eq!(
        ast("~b: sine(440) # lpf(1000, 0.8)"),
        "~b: (lpf (sine 440) 1000 0.8)\n"
    );
}

#[test]
fn precedence_loosest_first() {
    assert_eq!(
        ast("out: 1 + 2 * 3 ^ 2 ^ 3"),
        "out: (1 + (2 * (3 ^ (2 ^ 3))))\n"
    );
    assert_eq!(ast("out: -2 ^ 2"), "out: ((-2) ^ 2)\n");
    assert_eq!(
        ast("out: sine 440 * 0.5 < 3 - 1"),
        "out: (((sine 440) * 0.5) < (3 - 1))\n"
    );
    assert_eq!(ast("out: 8/3 % 2"), "out: ((8 / 3) % 2)\n");
}

#[test]
fn continuation_lines_and_comments() {
    let src = "# a Phonon-style comment\n~bass: saw 55\n    # lpf 800 0.7 -- stage one\n    # delay 0.25 // stage two\n\n// done\nout: ~bass\n";
    assert_eq!(
        ast(src),
        "~bass: (delay (lpf (saw 55) 800 0.7) 0.25)\nout: ~bass\n"
    );
}

#[test]
fn history_init_prev_sum_fn_list() {
    let src = "fn voice f: saw f # onepole 0.05
~x: ~x + 10 * (~y - ~x) * 0.005 init 0.1
~m: ~x' + mem ~x 0.1 + (sine 3)''
~bank: sum i 0..100: sine (55 * (i + 1)) * 0.01
out: [voice 110, voice 1e-3]
cps: 1
";
    insta::assert_snapshot!(ast(src));
}

#[test]
fn pipe_with_nothing_to_apply_is_an_error() {
    insta::assert_snapshot!(ast("~a: sine 1\n~b: ~a # 0.5\n"));
}

#[test]
fn syntax_error_shows_line_column_caret() {
    insta::assert_snapshot!(ast("~a: sine 440\n~b: (~a * 2\n"));
    insta::assert_snapshot!(ast("~a sine 440\n"));
    insta::assert_snapshot!(ast("out: 1 +\n"));
}
