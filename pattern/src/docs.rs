//! The generated parts of `docs/patterns.md`: the mini-notation reference and the function
//! reference, each example with the events this crate computes for it. A test keeps the
//! file equal to what these functions produce, so the docs cannot drift.

use crate::functions::{table, Function};
use crate::{expr, text};

/// One mini-notation construct for the reference.
pub struct MiniDoc {
    /// The syntax, as written in the docs.
    pub syntax: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// An example string.
    pub example: &'static str,
    /// The cycles to list (`A..B`).
    pub cycles: &'static str,
}

/// Every mini-notation construct, loosest-binding first.
pub const MINI: &[MiniDoc] = &[
    MiniDoc { syntax: "a b c", meaning: "A sequence: the steps share the cycle equally.", example: "bd sn hh", cycles: "0..1" },
    MiniDoc { syntax: "~ or -", meaning: "A rest.", example: "bd ~ sn -", cycles: "0..1" },
    MiniDoc { syntax: "[a b]", meaning: "A sub-sequence squeezed into one step.", example: "bd [sn sn]", cycles: "0..1" },
    MiniDoc { syntax: "a . b c", meaning: "Feet: `.` splits a sequence into equal groups, as if each were in `[ ]`.", example: "bd . sn sn . hh hh hh", cycles: "0..1" },
    MiniDoc { syntax: "a, b", meaning: "A stack: the sequences play together.", example: "bd sn, hh hh hh", cycles: "0..1" },
    MiniDoc { syntax: "a | b", meaning: "A random choice of one sequence per cycle (Tidal's generator, a seed per `|` group).", example: "[bd | sn | hh]", cycles: "0..4" },
    MiniDoc { syntax: "<a b>", meaning: "Alternation: one step per cycle (layers after `,` alternate together).", example: "<bd sn hh>", cycles: "0..3" },
    MiniDoc { syntax: "{a b, c d e}", meaning: "Polymeter: the layers keep their step length; the first sets the steps per cycle.", example: "{bd sn, hh hh hh}", cycles: "0..2" },
    MiniDoc { syntax: "{a b c}%n", meaning: "Polymeter with n steps per cycle (n may be patterned).", example: "{bd sn hh}%4", cycles: "0..1" },
    MiniDoc { syntax: "a*n", meaning: "Faster by n (n may be a step: `a*<2 3>`, `a*[2 3]`).", example: "bd*2 sn*<2 3>", cycles: "0..2" },
    MiniDoc { syntax: "a/n", meaning: "Slower by n: the step plays part of itself each cycle.", example: "bd/2 sn", cycles: "0..2" },
    MiniDoc { syntax: "a(k,n,r)", meaning: "Euclidean rhythm: k onsets over n steps, rotated left by r (k, n, r may be patterned; negative k gives the rests).", example: "bd(3,8,2)", cycles: "0..1" },
    MiniDoc { syntax: "a? a?p", meaning: "Degrade: drops the event when Tidal's random number at its onset is below p (0.5); each `?` has its own seed.", example: "hh*8?", cycles: "0..1" },
    MiniDoc { syntax: "a:n", meaning: "A sample index, part of the word (`s` splits it into `s` and `n`).", example: "bd:3 sn:1", cycles: "0..1" },
    MiniDoc { syntax: "a@w", meaning: "Weight: the step takes w shares of the cycle.", example: "bd@3 sn", cycles: "0..1" },
    MiniDoc { syntax: "a _ _", meaning: "Elongation: each `_` adds one share to the step before.", example: "bd _ _ sn", cycles: "0..1" },
    MiniDoc { syntax: "a!n a!", meaning: "Replication: the step n times (a bare `!`, also after a space, repeats once more).", example: "bd!3 sn ! hh", cycles: "0..1" },
    MiniDoc { syntax: "a .. b", meaning: "A range of numbers, one step each (downwards when a > b).", example: "0 .. 3", cycles: "0..1" },
    MiniDoc { syntax: "c e g, cs5 ef3", meaning: "Note names are words; they read as semitones from c5 where a number is needed.", example: "c e g", cycles: "0..1" },
    MiniDoc { syntax: "c'maj e'min7'ii", meaning: "Chords (Tidal's table), with modifiers `'i` (invert), `'o` (open), `'d1` (drop), `'5` (range).", example: "c'maj e'min7", cycles: "0..1" },
];

fn events_block(lines: &str) -> String {
    let mut out = String::from("```text\n");
    out.push_str(lines);
    if !lines.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

/// The mini-notation reference, in Markdown.
pub fn mini_reference() -> String {
    let mut out = String::new();
    for d in MINI {
        let (a, b) = text::parse_cycles(d.cycles).expect("doc cycles");
        let ev = text::events(d.example, a, b).unwrap_or_else(|e| format!("error: {e}\n"));
        out.push_str(&format!(
            "### `{}`\n\n{}\n\n`\"{}\"`, cycles {}:\n\n",
            d.syntax, d.meaning, d.example, d.cycles
        ));
        out.push_str(&events_block(&ev));
        out.push('\n');
    }
    out
}

fn signature(f: &Function) -> String {
    let mut s = f.name.to_string();
    for (n, _) in f.params {
        s.push(' ');
        s.push_str(n);
    }
    s
}

/// The function reference, in Markdown, from the function table.
pub fn function_reference() -> String {
    let mut out = String::new();
    for f in table() {
        out.push_str(&format!("### `{}`\n\n{}\n\n", signature(f), f.summary));
        if !f.params.is_empty() {
            let ps: Vec<String> = (f.params.iter().enumerate())
                .map(|(i, (n, k))| match f.optional {
                    Some((at, v)) if at == i => {
                        format!("`{n}`: {} (may be left out: {v})", k.describe())
                    }
                    _ => format!("`{n}`: {}", k.describe()),
                })
                .collect();
            out.push_str(&format!("Parameters: {}.\n\n", ps.join(", ")));
        }
        let ev = match expr::eval(f.example) {
            Ok(p) => text::parse_cycles(f.cycles)
                .ok()
                .and_then(|(a, b)| text::render(&p, a, b).ok())
                .unwrap_or_default(),
            Err(e) => format!("error: {e}\n"),
        };
        out.push_str(&format!("`{}`, cycles {}:\n\n", f.example, f.cycles));
        out.push_str(&events_block(&ev));
        out.push('\n');
    }
    out.push_str(&format!(
        "Controls (each a function of one pattern, giving a control pattern): {}.\n",
        crate::ops::controls::NAMES
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

fn replace_between(doc: &str, name: &str, body: &str) -> String {
    let start = format!("<!-- generated: {name} -->\n");
    let end = format!("<!-- end generated: {name} -->");
    match (doc.find(&start), doc.find(&end)) {
        (Some(s), Some(e)) if s < e => {
            format!("{}{}{}{}", &doc[..s + start.len()], body, "", &doc[e..])
        }
        _ => doc.to_string(),
    }
}

/// `doc` with its generated sections (between `<!-- generated: NAME -->` and
/// `<!-- end generated: NAME -->` markers) brought up to date.
pub fn with_generated_sections(doc: &str) -> String {
    let d = replace_between(doc, "mini", &mini_reference());
    replace_between(&d, "functions", &function_reference())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mini;

    #[test]
    fn every_mini_example_parses() {
        for d in MINI {
            assert!(mini::parse(d.example).is_ok(), "{}", d.example);
        }
    }

    #[test]
    fn sections_are_replaced_between_markers_only() {
        let doc = "a\n<!-- generated: mini -->\nold\n<!-- end generated: mini -->\nb\n";
        let out = with_generated_sections(doc);
        assert!(out.starts_with("a\n<!-- generated: mini -->\n### `a b c`"));
        assert!(out.ends_with("<!-- end generated: mini -->\nb\n"));
        assert!(!out.contains("old"));
    }
}
