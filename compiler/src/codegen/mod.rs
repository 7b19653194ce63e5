//! IR → Cranelift → native block function.
//!
//! The generated function is [`BlockFn`]: `fn(io: *const BlockIo)`. It reads the state
//! block, output and frame count from [`crate::block::BlockIo`], loads every cell into an
//! SSA variable, computes loop-invariant nodes once, then runs the per-sample loop with
//! cells held in registers (Cranelift variables), writing interleaved f32 frames; after
//! the loop it stores the cells back. Delay buffers are read and written in place.
//! Nothing in the loop depends on the block size, so any split of a render into blocks
//! gives bit-identical output.
//!
//! [`Codegen::compile`] declares the module's imports and tables and finalizes the code;
//! [`translate`] shapes the function (prologue, loops, commit), [`emit`] emits one
//! sample's ops into a frame, [`bank`] rolls sums of voices into loops, two voices to a
//! vector where [`simd`] allows, and [`steady`] adds a copy of the sample loop with
//! settled cells (a delay time on its target) folded.

mod approx;
mod bank;
mod emit;
mod imports;
mod libm;
mod simd;
mod steady;
mod timed;
mod translate;

pub use crate::block::BlockFn;
use crate::ir::Program;
use crate::layout::Layout;
use crate::passes::banks::{self, Bank};
use crate::passes::schedule;
use cranelift_codegen::ir::{AbiParam, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::{settings, settings::Configurable, Context};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, DataDescription, Linkage, Module};
use std::sync::OnceLock;
use translate::{Rolled, Translator};

/// Whether a bank's voices run two to a SIMD vector (else one per register).
pub fn vectorised(bank: &Bank) -> bool {
    simd::vectorisable(&bank.template)
}

/// Native code for one program. Its memory is freed when this is dropped, so it must
/// outlive every call of its function.
pub struct Code {
    module: Option<JITModule>,
    func: BlockFn,
}

// SAFETY: the module owns finalized, immutable code pages and nothing thread-bound;
// the function may be called from any thread, and the module is freed only on drop.
unsafe impl Send for Code {}

impl Code {
    /// The block function.
    pub fn func(&self) -> BlockFn {
        self.func
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        if let Some(m) = self.module.take() {
            // SAFETY: `Code` is being dropped, so nobody can call `func` any more.
            unsafe { m.free_memory() };
        }
    }
}

/// Programs emitting more IR nodes than this (a bank's template counts once per lane,
/// see [`bank::emitted_nodes`]) get Cranelift's single-pass register allocator.
/// Measured: it compiles 2–3× faster and runs as fast or faster on large unrolled
/// programs whose state lives in memory, but 20–150% slower on small ones whose
/// recurrences live in registers (Lorenz, a swept filter, and a bank's voice loops:
/// 500 filtered voices 680 vs 300 ns/frame). Large programs are where compile time is
/// felt on every save.
const SINGLE_PASS_NODES: usize = 800;

/// The host ISA, built once per process for each register allocator.
fn isa(single_pass: bool) -> Result<OwnedTargetIsa, String> {
    static ISAS: [OnceLock<Result<OwnedTargetIsa, String>>; 2] = [OnceLock::new(), OnceLock::new()];
    ISAS[usize::from(single_pass)]
        .get_or_init(|| build_isa(single_pass))
        .clone()
}

fn build_isa(single_pass: bool) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| {
        f.set(k, v).map_err(|e| format!("cranelift flag {k}: {e}"))
    };
    // kanonc's own passes fold constants, merge common subexpressions and hoist
    // invariants, and emit nodes in a good order; Cranelift's e-graph pass would
    // re-schedule pure values to their last use and stretch live ranges across the
    // loop body, costing both compile time (5x on a 1000-oscillator bank) and speed.
    set(&mut flags, "opt_level", "none")?;
    let regalloc = if single_pass {
        "single_pass"
    } else {
        "backtracking"
    };
    set(&mut flags, "regalloc_algorithm", regalloc)?;
    set(&mut flags, "use_colocated_libcalls", "false")?;
    set(&mut flags, "is_pic", "false")?;
    set(
        &mut flags,
        "enable_verifier",
        if cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        },
    )?;
    let builder =
        cranelift_native::builder().map_err(|e| format!("this CPU is not supported: {e}"))?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| format!("cannot target this CPU: {e}"))
}

/// Reusable compilation buffers (Cranelift's contexts are cleared, not reallocated).
#[derive(Default)]
pub struct Codegen {
    ctx: Option<Context>,
    fctx: FunctionBuilderContext,
}

impl Codegen {
    /// Translates a program to CLIF, compiles it, and returns the code and the banks it
    /// rolled, plus the CLIF text and the disassembly when `want_text`.
    pub fn compile(
        &mut self,
        p: &Program,
        layout: &Layout,
        want_text: bool,
    ) -> Result<Compiled, String> {
        let varying = schedule::varying(p);
        let banks = banks::find(p, layout, &varying);
        let single_pass = bank::emitted_nodes(p, &banks) > SINGLE_PASS_NODES;
        let mut jb = JITBuilder::with_isa(isa(single_pass)?, default_libcall_names());
        imports::register(&mut jb);
        let mut module = JITModule::new(jb);
        let ptr = module.target_config().pointer_type();
        let mut ctx = self.ctx.take().unwrap_or_else(|| module.make_context());
        ctx.clear();
        ctx.func.signature.params = vec![AbiParam::new(ptr)];
        ctx.func.name = UserFuncName::user(0, 0);

        let imports = imports::declare(&mut module)?;

        let mut tables = Vec::new();
        for (i, b) in banks.iter().enumerate() {
            if b.params == 0 {
                tables.push(None);
                continue;
            }
            let id = module
                .declare_data(&format!("bank{i}"), Linkage::Local, false, false)
                .map_err(|e| e.to_string())?;
            let mut data = DataDescription::new();
            let table = if simd::vectorisable(&b.template) {
                simd::table(b)
            } else {
                b.table.clone()
            };
            let bytes: Vec<u8> = table.iter().flat_map(|v| v.to_le_bytes()).collect();
            data.define(bytes.into_boxed_slice());
            // Aligned for a voice pair's 16-byte loads.
            data.set_align(16);
            module.define_data(id, &data).map_err(|e| e.to_string())?;
            tables.push(Some(id));
        }
        // Pattern and sampler tables, as data of the module (named, so the CLIF text is
        // the same on every compile).
        let mut data = |name: String, table: &[f64]| -> Result<_, String> {
            let id = module
                .declare_data(&name, Linkage::Local, false, false)
                .map_err(|e| e.to_string())?;
            let mut d = DataDescription::new();
            let bytes: Vec<u8> = table.iter().flat_map(|v| v.to_le_bytes()).collect();
            d.define(bytes.into_boxed_slice());
            d.set_align(8);
            module.define_data(id, &d).map_err(|e| e.to_string())?;
            Ok(id)
        };
        let mut pattern_tables = Vec::new();
        for (i, pat) in p.patterns.iter().enumerate() {
            pattern_tables.push(data(format!("pattern{i}"), &pat.table)?);
        }
        let mut sampler_tables = Vec::new();
        for (i, s) in p.samplers.iter().enumerate() {
            sampler_tables.push(data(format!("sampler{i}"), &s.table)?);
        }
        {
            let mut fb = FunctionBuilder::new(&mut ctx.func, &mut self.fctx);
            let rolled = Rolled {
                varying,
                banks: &banks,
                tables,
                pattern_tables,
                sampler_tables,
            };
            let mut t = Translator::new(&mut fb, p, layout, &mut module, &imports, ptr, rolled);
            t.translate();
            fb.seal_all_blocks();
            fb.finalize(module.target_config());
        }
        let clif = want_text.then(|| ctx.func.display().to_string());
        ctx.set_disasm(want_text);
        let id = module
            .declare_function("block", Linkage::Local, &ctx.func.signature)
            .map_err(|e| e.to_string())?;
        module
            .define_function(id, &mut ctx)
            .map_err(|e| format!("code generation failed: {e:?}"))?;
        let text = clif.map(|c| {
            let asm = ctx
                .compiled_code()
                .and_then(|cc| cc.vcode.clone())
                .unwrap_or_default();
            (c, asm)
        });
        module.clear_context(&mut ctx);
        self.ctx = Some(ctx);
        module
            .finalize_definitions()
            .map_err(|e| format!("linking failed: {e}"))?;
        let raw = module.get_finalized_function(id);
        // SAFETY: the function was declared with exactly `BlockFn`'s signature.
        let func: BlockFn = unsafe { std::mem::transmute::<*const u8, BlockFn>(raw) };
        Ok(Compiled {
            code: Code {
                module: Some(module),
                func,
            },
            banks,
            text,
        })
    }
}

/// What [`Codegen::compile`] made.
pub struct Compiled {
    /// The native code.
    pub code: Code,
    /// The sums of identical voices it runs as loops over their voices.
    pub banks: Vec<Bank>,
    /// The CLIF text and the disassembly, when asked for.
    pub text: Option<(String, String)>,
}
