//! `kanonc dump`: the AST, IR or CLIF of a program.

use super::{compile, read, report};
use std::path::Path;

pub fn run(file: &Path, ast: bool, ir: bool, clif: bool, asm: bool, sr: u32) -> Result<(), String> {
    let src = read(file)?;
    if ast || !(ir || clif || asm) {
        match kanon_lang::parse(&src.text) {
            Ok(p) => print!("{}", kanon_lang::dump_ast(&p)),
            Err(d) => {
                report(&src, &[d]);
                return Err(String::new());
            }
        }
        return Ok(());
    }
    let (_, program) = compile(file, sr, clif || asm)?;
    if ir {
        print!("{}", kanon_compiler::ir::write_program(&program.ir));
    } else if asm {
        print!("{}", program.asm.unwrap_or_default());
    } else {
        print!("{}", program.clif.unwrap_or_default());
    }
    Ok(())
}
