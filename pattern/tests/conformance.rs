//! The conformance suite: every case in `tests/cases/*.txt` (see its README) is run and
//! its events compared with the expected lines, exactly.

use std::fs;
use std::path::Path;

use kanon_pattern::{expr, mini, text, Time};

struct Case {
    file: String,
    line: usize,
    input: Input,
    cycles: (Time, Time),
    error: Option<String>,
    expected: Vec<String>,
    same: Option<Input>,
}

enum Input {
    Mini(String),
    Expr(String),
}

fn load() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
    {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&f).unwrap();
        let mut line_no = 0;
        for block in text.split("\n\n") {
            let start = line_no + 1;
            line_no += block.lines().count() + 1;
            let mut input = None;
            let mut cycles = None;
            let mut error = None;
            let mut same = None;
            let mut expected = Vec::new();
            for l in block.lines() {
                if l.starts_with('#') || l.starts_with("from:") || l.trim().is_empty() {
                    continue;
                }
                if let Some(m) = l.strip_prefix("mini: ") {
                    input = Some(Input::Mini(m.to_string()));
                } else if l == "mini:" {
                    input = Some(Input::Mini(String::new()));
                } else if let Some(e) = l.strip_prefix("expr: ") {
                    input = Some(Input::Expr(e.to_string()));
                } else if let Some(c) = l.strip_prefix("cycles: ") {
                    cycles = Some(
                        text::parse_cycles(c).unwrap_or_else(|e| panic!("{name}:{start}: {e}")),
                    );
                } else if let Some(m) = l.strip_prefix("same: ") {
                    same = Some(Input::Mini(m.to_string()));
                } else if let Some(e) = l.strip_prefix("same-expr: ") {
                    same = Some(Input::Expr(e.to_string()));
                } else if let Some(e) = l.strip_prefix("error: ") {
                    error = Some(e.to_string());
                } else {
                    expected.push(l.to_string());
                }
            }
            let Some(input) = input else { continue };
            let cycles = cycles.unwrap_or((Time::ZERO, Time::ONE));
            cases.push(Case {
                file: name.clone(),
                line: start,
                input,
                cycles,
                error,
                expected,
                same,
            });
        }
    }
    cases
}

fn run(case: &Case) -> Result<Vec<String>, String> {
    events(&case.input, case.cycles)
}

fn events(input: &Input, (a, b): (Time, Time)) -> Result<Vec<String>, String> {
    let out = match input {
        Input::Mini(m) => mini::pattern(m)
            .map_err(|e| e.to_string())
            .and_then(|p| text::render(&p, a, b).map_err(|e| e.to_string())),
        Input::Expr(e) => expr::eval(e)
            .map_err(|e| e.to_string())
            .and_then(|p| text::render(&p, a, b).map_err(|e| e.to_string())),
    }?;
    Ok(out.lines().map(str::to_string).collect())
}

#[test]
fn every_case_gives_its_expected_events() {
    let cases = load();
    assert!(
        cases.len() > 100,
        "the suite has only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for c in &cases {
        let got = run(c);
        let want_same = c.same.as_ref().map(|s| events(s, c.cycles));
        let ok = match (&c.error, &got) {
            (None, Ok(g)) if want_same.is_some() => {
                let w = want_same.clone().and_then(Result::ok);
                w.as_ref() == Some(g) && !g.is_empty()
            }
            (Some(want), Err(e)) => e.contains(want.as_str()),
            (None, Ok(g)) => *g == c.expected,
            _ => false,
        };
        if !ok {
            let src = match &c.input {
                Input::Mini(m) => format!("mini: {m}"),
                Input::Expr(e) => format!("expr: {e}"),
            };
            failures.push(format!(
                "{}:{}: {src}\n  expected: {:?}\n  got:      {:?}",
                c.file,
                c.line,
                c.error
                    .as_ref()
                    .map(|e| vec![format!("error: {e}")])
                    .unwrap_or(c.expected.clone()),
                got
            ));
        }
    }
    eprintln!(
        "conformance: {} cases, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every mini-notation case has a known period, and its events do repeat with it.
#[test]
fn every_mini_case_has_a_period_it_keeps() {
    let mut checked = 0;
    for c in load() {
        let (Input::Mini(m), None) = (&c.input, &c.error) else {
            continue;
        };
        let p = mini::pattern(m).unwrap_or_else(|e| panic!("{}:{}: {e}", c.file, c.line));
        let Some(period) = p.period() else {
            panic!("{}:{}: `{m}` has no period", c.file, c.line);
        };
        assert!(
            period > 0 && period <= 3600,
            "{}:{}: `{m}` period {period}",
            c.file,
            c.line
        );
        assert_eq!(
            kanon_pattern::period::repeats(&p),
            Ok(true),
            "{}:{}: `{m}` does not repeat every {period} cycles",
            c.file,
            c.line
        );
        checked += 1;
    }
    assert!(checked > 100);
}
