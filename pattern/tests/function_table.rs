//! The function table checks itself: each example gives its listed events, each example
//! is also a conformance case (so its events were checked against Strudel or Tidal's
//! definitions), and `docs/patterns.md` lists exactly the table.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use kanon_pattern::{docs, expr, functions, text};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_example_gives_its_events() {
    let mut wrong = Vec::new();
    for f in functions::table() {
        let (a, b) = text::parse_cycles(f.cycles).unwrap();
        let p = expr::eval(f.example).unwrap_or_else(|e| panic!("{}: {}: {e}", f.name, f.example));
        let got = text::render(&p, a, b).unwrap();
        if std::env::var_os("KANON_PRINT_TABLE").is_some() {
            println!(
                "@@{}\x1f{}\x1f{}",
                f.example,
                f.cycles,
                got.replace('\n', "\\n")
            );
        }
        if got.trim_end() != f.events.trim_end() {
            wrong.push(format!("{} ({}):\n{got}", f.name, f.example));
        }
    }
    assert!(
        wrong.is_empty(),
        "examples whose events differ:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn names_are_unique_and_examples_use_them() {
    let mut seen = BTreeSet::new();
    for f in functions::table() {
        assert!(seen.insert(f.name), "`{}` twice", f.name);
        assert!(
            f.example.contains(f.name),
            "the example of `{}` does not use it",
            f.name
        );
        assert!(
            !f.summary.is_empty() && f.summary.ends_with('.'),
            "`{}` needs a one-line summary",
            f.name
        );
    }
}

#[test]
fn every_example_is_a_conformance_case() {
    let mut cases = BTreeSet::new();
    for e in fs::read_dir(manifest().join("tests/cases")).unwrap() {
        for l in fs::read_to_string(e.unwrap().path()).unwrap().lines() {
            if let Some(x) = l.strip_prefix("expr: ") {
                cases.insert(x.to_string());
            }
        }
    }
    let missing: Vec<_> = functions::table()
        .iter()
        .filter(|f| !cases.contains(f.example))
        .map(|f| f.example)
        .collect();
    assert!(
        missing.is_empty(),
        "examples without a conformance case: {missing:?}"
    );
}

#[test]
fn every_mini_doc_example_is_a_conformance_case() {
    let mut cases = BTreeSet::new();
    for e in fs::read_dir(manifest().join("tests/cases")).unwrap() {
        let text = fs::read_to_string(e.unwrap().path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for w in lines.windows(2) {
            if let (Some(m), Some(c)) = (w[0].strip_prefix("mini: "), w[1].strip_prefix("cycles: "))
            {
                cases.insert((m.to_string(), c.to_string()));
            }
        }
    }
    for d in docs::MINI {
        assert!(
            cases.contains(&(d.example.to_string(), d.cycles.to_string())),
            "`{}` ({}) is no case",
            d.example,
            d.cycles
        );
    }
}

#[test]
fn the_docs_list_the_table() {
    let path = manifest().join("../docs/patterns.md");
    let current = fs::read_to_string(&path).unwrap_or_default();
    let wanted = docs::with_generated_sections(&current);
    if std::env::var_os("KANON_UPDATE_DOCS").is_some() {
        fs::write(&path, &wanted).unwrap();
        return;
    }
    assert!(current == wanted, "docs/patterns.md is out of date: run `KANON_UPDATE_DOCS=1 cargo test -p kanon-pattern --test function_table`");
}

#[test]
fn an_optional_parameter_is_a_number_before_the_pattern() {
    for f in functions::table() {
        if let Some((at, _)) = f.optional {
            assert!(
                at + 1 < f.params.len(),
                "{}: optional {at} is the last",
                f.name
            );
            assert!(
                matches!(f.params[at].1, functions::Param::Number),
                "{}: optional {at} is not a number",
                f.name
            );
        }
    }
}
