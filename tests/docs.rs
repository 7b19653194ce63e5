//! The docs say what the compiler does: every ```kanon block in docs/language.md, the
//! guides to patterns, samples, envelopes and control, and README.md compiles without
//! warnings and renders finite samples, every ```kanon error block is rejected with a
//! diagnostic that renders, and docs/builtins.md is exactly what `kanonc builtins` prints.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;
use std::path::Path;

/// A quarter of a second at 48 kHz.
const FRAMES: usize = 12_000;

/// A fenced block: whether it is meant to fail, where it starts, and its text.
struct Block {
    error: bool,
    line: usize,
    text: String,
}

/// The ```kanon and ```kanon error blocks of a Markdown file. Any other info string
/// starting with `kanon` is reported, so a typo cannot hide a block from the test.
fn kanon_blocks(path: &Path) -> Vec<Block> {
    let Ok(md) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut in_other = false;
    for (i, line) in md.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        if let Some(b) = open.as_mut() {
            if fence {
                blocks.push(open.take().unwrap());
            } else {
                b.text.push_str(line);
                b.text.push('\n');
            }
            continue;
        }
        if in_other {
            in_other = !fence;
            continue;
        }
        if !fence {
            continue;
        }
        let info = line.trim_start().trim_start_matches('`').trim();
        match info {
            "kanon" | "kanon error" => {
                open = Some(Block {
                    error: info == "kanon error",
                    line: i + 1,
                    text: String::new(),
                })
            }
            other => {
                assert!(
                    !other.starts_with("kanon"),
                    "{}:{}: unknown block kind `{other}`: use ```kanon or ```kanon error",
                    path.display(),
                    i + 1
                );
                in_other = true;
            }
        }
    }
    assert!(
        open.is_none(),
        "{}: unclosed ```kanon block",
        path.display()
    );
    blocks
}

fn doc(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn check_blocks(file: &str) -> (usize, usize) {
    let path = doc(file);
    let (mut good, mut bad) = (0, 0);
    for b in kanon_blocks(&path) {
        // Blank lines in front keep diagnostics' line numbers those of the Markdown file.
        let src = Source::new(file, format!("{}{}", "\n".repeat(b.line), b.text));
        let result = compile(&src, Options::default());
        if b.error {
            bad += 1;
            let diags = match result {
                Ok(_) => panic!(
                    "{file}:{}: this ```kanon error block compiles:\n{}",
                    b.line, b.text
                ),
                Err(d) => d,
            };
            assert!(
                !diags.is_empty(),
                "{file}:{}: failed with no diagnostic",
                b.line
            );
            for d in &diags {
                assert!(!d.render(&src).is_empty());
            }
        } else {
            good += 1;
            let program = result.unwrap_or_else(|diags| {
                let text: String = diags.iter().map(|d| d.render(&src)).collect();
                panic!(
                    "{file}:{}: ```kanon block does not compile:\n{text}",
                    b.line
                )
            });
            let warnings: String = program.warnings.iter().map(|d| d.render(&src)).collect();
            assert!(
                warnings.is_empty(),
                "{file}:{}: ```kanon block has warnings:\n{warnings}",
                b.line
            );
            let out = kanon_runtime::render(&program, FRAMES, 512);
            if let Some(i) = out.iter().position(|x| !x.is_finite()) {
                panic!("{file}:{}: sample {i} is {}", b.line, out[i]);
            }
        }
    }
    (good, bad)
}

#[test]
fn language_reference_blocks_compile_or_fail_as_marked() {
    let (good, bad) = check_blocks("docs/language.md");
    // The reference is full of examples; finding few means the fences were misread.
    assert!(
        good >= 10,
        "only {good} ```kanon blocks found in docs/language.md"
    );
    assert!(
        bad >= 3,
        "only {bad} ```kanon error blocks found in docs/language.md"
    );
}

#[test]
fn pattern_guide_blocks_compile() {
    let (good, _) = check_blocks("docs/patterns.md");
    assert!(good >= 5, "only {good} ```kanon blocks in docs/patterns.md");
}

#[test]
fn samples_guide_blocks_compile() {
    check_blocks("docs/samples.md");
}

#[test]
fn envelopes_guide_blocks_compile_or_fail_as_marked() {
    let (good, bad) = check_blocks("docs/envelopes.md");
    assert!(
        good >= 4 && bad >= 1,
        "{good} and {bad} blocks in docs/envelopes.md"
    );
}

#[test]
fn control_guide_blocks_compile_or_fail_as_marked() {
    let (good, bad) = check_blocks("docs/control.md");
    assert!(
        good >= 3 && bad >= 1,
        "{good} and {bad} blocks in docs/control.md"
    );
}

#[test]
fn readme_blocks_compile_or_fail_as_marked() {
    check_blocks("README.md");
}

#[test]
fn builtin_reference_is_up_to_date() {
    let on_disk = std::fs::read_to_string(doc("docs/builtins.md")).unwrap_or_default();
    assert!(
        on_disk == kanon_compiler::builtins::reference(),
        "docs/builtins.md is out of date: run `cargo run -q -- builtins > docs/builtins.md`"
    );
}
