//! Whatever ends up in `Program::warnings` is a warning, and renders as one.

use kanon_compiler::{compile, Options};
use kanon_lang::diag::Severity;
use kanon_lang::Source;

fn warnings_of(text: &str) -> Vec<(Severity, String)> {
    let src = Source::new("t.kn", text);
    let p = compile(&src, Options::default()).expect("compiles");
    p.warnings
        .iter()
        .map(|d| (d.severity, d.render(&src)))
        .collect()
}

#[test]
fn a_program_without_output_gets_a_warning_not_an_error() {
    let w = warnings_of("~a: sine 1");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, Severity::Warning);
    assert!(w[0].1.starts_with("warning: "), "{}", w[0].1);
}

#[test]
fn init_without_a_cycle_gets_a_warning() {
    let w = warnings_of("~a: 1 init 2\nout: ~a");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, Severity::Warning);
    assert!(w[0].1.starts_with("warning: "), "{}", w[0].1);
}
