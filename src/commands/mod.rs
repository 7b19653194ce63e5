//! One file per subcommand (`kanonc run` is the live session, [`crate::live`]); shared
//! helpers here.

pub mod bench;
pub mod check;
pub mod dump;
pub mod render;

use kanon_compiler::{Compiler, Options, Program};
use kanon_lang::{Diagnostic, Source};
use std::path::Path;

/// Lets `kanonc dump … | head` end quietly instead of panicking on a closed pipe.
pub fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Reads a source file.
pub fn read(file: &Path) -> Result<Source, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("error: cannot read {}: {e}", file.display()))?;
    Ok(Source::new(file.display().to_string(), text))
}

/// Prints diagnostics against their source.
pub fn report(src: &Source, diags: &[Diagnostic]) {
    for d in diags {
        eprint!("{}", d.render(src));
    }
}

/// Reads and compiles a file, printing warnings; errors are printed and become `Err("")`.
pub fn compile(file: &Path, sr: u32, keep_clif: bool) -> Result<(Source, Program), String> {
    let src = read(file)?;
    let opts = Options {
        sample_rate: f64::from(sr),
        keep_clif,
    };
    match Compiler::new().compile(&src, opts) {
        Ok(p) => {
            report(&src, &p.warnings);
            Ok((src, p))
        }
        Err(diags) => {
            report(&src, &diags);
            Err(String::new())
        }
    }
}
