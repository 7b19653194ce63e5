//! One file per subcommand (`kanonc run` is the live session, [`crate::live`]); shared
//! helpers here.

pub mod bench;
pub mod check;
pub mod dump;
pub mod pattern;
pub mod plot;
pub mod render;
pub mod samples;

use kanon_compiler::{Compiler, Options, Program};
use kanon_lang::{Diagnostic, Source};
use kanon_samples::{Library, LibraryConfig};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// The sample library: `--samples` folders first, then the usual search path
/// (`KANONC_SAMPLES`, `./samples`, Dirt-Samples, the built-in kit). Its warnings (a folder
/// that does not exist) are printed.
pub fn library(dirs: &[PathBuf], sr: u32) -> Arc<Library> {
    let mut cfg = LibraryConfig::new(sr);
    cfg.dirs = dirs.to_vec();
    let lib = Library::open(cfg);
    for w in lib.warnings() {
        eprintln!("warning: {w}");
    }
    Arc::new(lib)
}

/// Reads and compiles a file, printing warnings; errors are printed and become `Err("")`.
pub fn compile(file: &Path, sr: u32, keep_clif: bool) -> Result<(Source, Program), String> {
    compile_with(&mut Compiler::new(), file, sr, keep_clif)
}

/// [`compile`] with a given compiler (and so its sample library).
pub fn compile_with(
    compiler: &mut Compiler,
    file: &Path,
    sr: u32,
    keep_clif: bool,
) -> Result<(Source, Program), String> {
    let src = read(file)?;
    let opts = Options {
        sample_rate: f64::from(sr),
        keep_clif,
    };
    match compiler.compile(&src, opts) {
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
