//! Mini-notation errors: the offset of the offending character and what was expected,
//! compared as whole rendered reports.

use kanon_pattern::mini;

fn report(src: &str) -> String {
    match mini::parse(src).and_then(|a| mini::pattern(src).map(|_| a)) {
        Ok(_) => "ok".into(),
        Err(e) => format!("{} | {}", e.offset, e.render(src)),
    }
}

#[test]
fn errors_say_where_and_what_was_expected() {
    let cases: &[(&str, &str)] = &[
        ("bd [sn cp)", "9 | expected a step, `]`, `,` or `|`, found `)`\n  \"bd [sn cp)\"\n            ^"),
        ("bd [sn", "6 | expected a step, `]`, `,` or `|`, found the end of the pattern\n  \"bd [sn\"\n         ^"),
        ("bd <sn", "6 | expected a step, `,` or `>`, found the end of the pattern\n  \"bd <sn\"\n         ^"),
        ("bd {sn", "6 | expected a step, `,` or `}`, found the end of the pattern\n  \"bd {sn\"\n         ^"),
        ("bd )", "3 | expected a step, `,` or `|`, found `)`\n  \"bd )\"\n      ^"),
        ("bd*", "3 | expected a number or a bracket after `*`, found the end of the pattern\n  \"bd*\"\n      ^"),
        ("bd*x", "3 | expected a number or a bracket after `*`, found `x`\n  \"bd*x\"\n      ^"),
        ("bd(3)", "4 | expected `,` between the pulses and steps of `(k,n)`, found `)`\n  \"bd(3)\"\n       ^"),
        ("bd(3,8", "6 | expected `)` or `,` to end `(k,n,r)`, found the end of the pattern\n  \"bd(3,8\"\n         ^"),
        ("bd(,8)", "3 | an empty argument in `(k,n,r)`\n  \"bd(,8)\"\n      ^"),
        ("bd ? sn", "5 | expected the end of the sequence after its `?` (or write `[ … ]?`), found `s`\n  \"bd ? sn\"\n        ^"),
        ("_ bd", "0 | `_` extends the step before it, but there is none\n  \"_ bd\"\n   ^"),
        ("@2", "0 | `@` weighs the step before it, but there is none\n  \"@2\"\n   ^"),
        ("! bd", "0 | `!` repeats the step before it, but there is none\n  \"! bd\"\n   ^"),
        ("bd, sn | hh", "7 | `|` cannot be mixed with `,` at one level: put one group in `[ ]`\n  \"bd, sn | hh\"\n          ^"),
        ("bd | sn, hh", "7 | `,` cannot be mixed with `|` at one level: put one group in `[ ]`\n  \"bd | sn, hh\"\n          ^"),
        ("<a | b>", "3 | `|` is not allowed inside `< >`: put the choice in `[ ]`\n  \"<a | b>\"\n      ^"),
        ("bd@2!2", "4 | a step can be weighted (`@`, `_`) or repeated (`!`), not both\n  \"bd@2!2\"\n       ^"),
        ("bd!2@2", "4 | a step can be weighted (`@`, `_`) or repeated (`!`), not both\n  \"bd!2@2\"\n       ^"),
        ("bd:", "3 | expected an index after `bd:`\n  \"bd:\"\n      ^"),
        ("[sn]:3", "4 | `:` only follows a word (`bd:3`), with no space before it\n  \"[sn]:3\"\n       ^"),
        ("c'", "2 | expected a chord name after `'` (`c'maj`), found the end of the pattern\n  \"c'\"\n     ^"),
        ("c'maj'", "6 | expected a chord modifier after `'` (`i`, `o`, `d1` or a number), found the end of the pattern\n  \"c'maj'\"\n         ^"),
        ("c'maj'x", "6 | a chord modifier is `i`, `o`, `d` and a number, or a number\n  \"c'maj'x\"\n         ^"),
        ("bd'maj", "0 | a chord root must be a number or a note name\n  \"bd'maj\"\n   ^"),
        ("bd*1e999", "3 | `1e999` is not a finite number\n  \"bd*1e999\"\n      ^"),
        ("bd@1e99", "3 | `1e99` is too large or too fine for a weight\n  \"bd@1e99\"\n      ^"),
        ("0 .. bd", "ok"),
        ("..", "0 | `..` needs a step before it (`0 .. 3`)\n  \"..\"\n   ^"),
        ("a!99999999", "2 | `!99999999` repeats more than 65536 times\n  \"a!99999999\"\n     ^"),
        ("{a}%", "4 | expected a number or a bracket after `%`, found the end of the pattern\n  \"{a}%\"\n       ^"),
        ("{a}%x", "4 | expected a number or a bracket after `%`, found `x`\n  \"{a}%x\"\n       ^"),
        ("bd . sn ]", "8 | expected a step, `,` or `|`, found `]`\n  \"bd . sn ]\"\n           ^"),
        ("é*2", "ok"),
        ("bd $", "3 | expected a step (a word, a number, `~`, `[`, `<` or `{`), found `$`\n  \"bd $\"\n      ^"),
    ];
    for (src, want) in cases {
        assert_eq!(report(src), *want, "{src}");
    }
}
