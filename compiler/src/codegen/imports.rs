//! Every function generated code may call, with its signature: the transcendental
//! functions of [`super::libm`] and the runtime support of [`crate::rt`].

use super::libm;
use crate::rt;
use cranelift_codegen::ir::{types, AbiParam, Signature};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{FuncId, Linkage, Module};
use std::collections::HashMap;

/// What an argument or result is.
#[derive(Clone, Copy)]
enum Ty {
    F,
    I,
    P,
}

/// Name, address, parameters and whether it returns an f64.
fn all() -> Vec<(&'static str, *const u8, &'static [Ty], bool)> {
    use Ty::*;
    let mut v: Vec<(&'static str, *const u8, &'static [Ty], bool)> = libm::symbols()
        .into_iter()
        .map(|(name, ptr)| {
            let params: &'static [Ty] = if name == "kanon_pow" { &[F, F] } else { &[F] };
            (name, ptr, params, true)
        })
        .collect();
    v.extend([
        (
            "kanon_clock",
            rt::kanon_clock as *const u8,
            &[P, I, I, I, F][..],
            false,
        ),
        (
            "kanon_cursor_sync",
            rt::kanon_cursor_sync as *const u8,
            &[P, P, I, P][..],
            false,
        ),
        (
            "kanon_cursor_advance",
            rt::kanon_cursor_advance as *const u8,
            &[P, P, I, P, I][..],
            false,
        ),
        (
            "kanon_sampler",
            rt::kanon_sampler as *const u8,
            &[P, I, P, P, I, P, P, I, I, P, P][..],
            false,
        ),
    ]);
    v
}

/// Makes every symbol resolvable in modules built from `jb`.
pub fn register(jb: &mut JITBuilder) {
    for (name, ptr, _, _) in all() {
        jb.symbol(name, ptr);
    }
}

/// Declares every import in `module`.
pub fn declare(module: &mut JITModule) -> Result<HashMap<&'static str, FuncId>, String> {
    let ptr = module.target_config().pointer_type();
    let mut out = HashMap::new();
    for (name, _, params, returns) in all() {
        let mut sig: Signature = module.make_signature();
        for p in params {
            sig.params.push(AbiParam::new(match p {
                Ty::F => types::F64,
                Ty::I => types::I64,
                Ty::P => ptr,
            }));
        }
        if returns {
            sig.returns.push(AbiParam::new(types::F64));
        }
        let id = module
            .declare_function(name, Linkage::Import, &sig)
            .map_err(|e| e.to_string())?;
        out.insert(name, id);
    }
    Ok(out)
}
