//! IR → Cranelift → native block function.
//!
//! The generated function is `fn(state: *mut f64, out: *mut f32, frames: u64)`. It loads
//! every cell into an SSA variable, computes loop-invariant nodes once, then runs the
//! per-sample loop with cells held in registers (Cranelift variables), writing
//! interleaved f32 frames; after the loop it stores the cells back. Delay buffers are
//! read and written in place. Nothing in the loop depends on the block size, so any
//! split of a render into blocks gives bit-identical output.

mod approx;
mod bank;
mod libm;
mod simd;

use crate::ir::{BinOp, NodeId, Op, Program, UnOp};
use crate::layout::Layout;
use crate::passes::banks::{self, Bank};
use crate::passes::schedule;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, FuncRef, InstBuilder, MemFlagsData, UserFuncName, Value,
};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::{settings, settings::Configurable, Context};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, DataDescription, DataId, FuncId, Linkage, Module};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Programs with at most this many cells keep them all in registers across the loop;
/// larger ones keep them in the state block (a load at the read, a store right after
/// the new value is known). x64 has 16 float registers: past about a dozen loop-carried
/// values the allocator spills them around every use anyway (measured: a 16-voice bank
/// ran 45 → 25 ns/frame in memory, while Lorenz's 3 cells run 1.7× faster in registers).
const MAX_REGISTER_CELLS: usize = 12;

/// Whether a bank's voices run two to a SIMD vector (else one per register).
pub fn vectorised(bank: &Bank) -> bool {
    simd::vectorisable(&bank.template)
}

/// The signature of every generated block function.
pub type BlockFn = unsafe extern "C" fn(state: *mut f64, out: *mut f32, frames: u64);

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
    /// Translates a program to CLIF, compiles it, and returns the code, plus the CLIF
    /// text and the disassembly when `want_text`.
    pub fn compile(
        &mut self,
        p: &Program,
        layout: &Layout,
        want_text: bool,
    ) -> Result<(Code, Option<(String, String)>), String> {
        let varying = schedule::varying(p);
        let banks = banks::find(p, layout, &varying);
        let single_pass = bank::emitted_nodes(p, &banks) > SINGLE_PASS_NODES;
        let mut jb = JITBuilder::with_isa(isa(single_pass)?, default_libcall_names());
        for (name, ptr) in libm::symbols() {
            jb.symbol(name, ptr);
        }
        let mut module = JITModule::new(jb);
        let ptr = module.target_config().pointer_type();
        let mut ctx = self.ctx.take().unwrap_or_else(|| module.make_context());
        ctx.clear();
        ctx.func.signature.params = vec![
            AbiParam::new(ptr),
            AbiParam::new(ptr),
            AbiParam::new(types::I64),
        ];
        ctx.func.name = UserFuncName::user(0, 0);

        let mut f64_1 = module.make_signature();
        f64_1.params.push(AbiParam::new(types::F64));
        f64_1.returns.push(AbiParam::new(types::F64));
        let mut f64_2 = f64_1.clone();
        f64_2.params.push(AbiParam::new(types::F64));
        let mut imports = HashMap::new();
        for (name, _) in libm::symbols() {
            let sig = if name == "kanon_pow" { &f64_2 } else { &f64_1 };
            let id = module
                .declare_function(name, Linkage::Import, sig)
                .map_err(|e| e.to_string())?;
            imports.insert(name, id);
        }

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
        {
            let mut fb = FunctionBuilder::new(&mut ctx.func, &mut self.fctx);
            let rolled = Rolled {
                varying,
                banks: &banks,
                tables,
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
        Ok((
            Code {
                module: Some(module),
                func,
            },
            text,
        ))
    }
}

/// Emits one program's block function; one method per kind of IR op.
struct Translator<'a, 'b> {
    fb: &'a mut FunctionBuilder<'b>,
    p: &'a Program,
    layout: &'a Layout,
    module: &'a mut JITModule,
    imports: &'a HashMap<&'static str, FuncId>,
    /// Functions imported into this function so far (only those it calls).
    calls: HashMap<&'static str, FuncRef>,
    ptr: types::Type,
    varying: Vec<bool>,
    values: Vec<Option<Value>>,
    /// Per node: a select's result as the i64 bits it was selected as.
    select_bits: Vec<Option<Value>>,
    /// Per cell: the variable holding it, or `None` when it lives in the state block.
    cells: Vec<Option<Variable>>,
    state: Value,
    /// The output buffer.
    out: Value,
    /// The banks rolled into loops (see [`crate::passes::banks`]).
    banks: &'a [Bank],
    /// Per node: computed by a bank, not by the main loop.
    in_bank: Vec<bool>,
    /// Per bank: its constants table, as data in the module.
    tables: Vec<Option<DataId>>,
    /// Per node: a multiply its only user computes inside a fused multiply-add.
    fused: Vec<bool>,
    /// The type of every float value: `f64`, or `f64x2` while emitting a vectorised
    /// bank's voices two at a time (see [`simd`]).
    ty: types::Type,
}

/// What the compile found before translating: which nodes vary per sample, the banks to
/// roll, and each bank's constants table in the module.
struct Rolled<'a> {
    varying: Vec<bool>,
    banks: &'a [Bank],
    tables: Vec<Option<DataId>>,
}

/// When the main loop stores cells that live in memory.
struct Stores {
    /// After computing node n, the cells to store.
    after: Vec<Vec<usize>>,
    /// At the end of the sample, the cells whose next value is loop-invariant.
    at_end: Vec<usize>,
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl<'a, 'b> Translator<'a, 'b> {
    fn new(
        fb: &'a mut FunctionBuilder<'b>,
        p: &'a Program,
        layout: &'a Layout,
        module: &'a mut JITModule,
        imports: &'a HashMap<&'static str, FuncId>,
        ptr: types::Type,
        rolled: Rolled<'a>,
    ) -> Self {
        let state = Value::from_u32(0); // replaced in translate()
        Translator {
            fb,
            p,
            layout,
            module,
            imports,
            calls: HashMap::new(),
            ptr,
            varying: rolled.varying,
            values: vec![None; p.nodes.len()],
            select_bits: vec![None; p.nodes.len()],
            cells: Vec::new(),
            state,
            out: state,
            banks: rolled.banks,
            in_bank: vec![false; p.nodes.len()],
            tables: rolled.tables,
            fused: fusable(p),
            ty: types::F64,
        }
    }

    fn translate(&mut self) {
        let entry = self.fb.create_block();
        let body = self.fb.create_block();
        let exit = self.fb.create_block();
        self.fb.append_block_params_for_function_params(entry);
        self.fb.append_block_param(body, types::I64);
        self.fb.switch_to_block(entry);
        let params = self.fb.block_params(entry).to_vec();
        let (state, out, frames) = (params[0], params[1], params[2]);
        self.state = state;
        self.out = out;

        let mut bank_cell = vec![false; self.p.cells.len()];
        for b in self.banks {
            for n in &b.nodes {
                self.in_bank[n.index()] = true;
            }
            for c in &b.cells {
                bank_cell[c.index()] = true;
            }
        }
        // Cells live in variables for the whole call (when there are few enough).
        let main_cells = bank_cell.iter().filter(|&&b| !b).count();
        let in_registers = main_cells <= MAX_REGISTER_CELLS;
        for (i, slot) in self.layout.cells.iter().enumerate() {
            debug_assert_eq!(slot.offset, i);
            if !in_registers || bank_cell[i] {
                self.cells.push(None);
                continue;
            }
            let var = self.fb.declare_var(types::F64);
            let v = self
                .fb
                .ins()
                .load(types::F64, flags(), state, (slot.offset * 8) as i32);
            self.fb.def_var(var, v);
            self.cells.push(Some(var));
        }
        // Loop-invariant nodes, once per block.
        for i in 0..self.p.nodes.len() {
            if !self.varying[i] && !matches!(self.p.nodes[i], Op::Const(_)) {
                self.node(NodeId(i as u32));
            }
        }
        // A cell kept in memory is stored as soon as its next value and its read (one
        // node, after CSE) have both been computed: storing later would keep thousands
        // of values live across the loop body.
        let mut stores = Stores {
            after: vec![Vec::new(); self.p.nodes.len()],
            at_end: Vec::new(),
        };
        if !in_registers {
            let mut read_at = vec![None; self.p.cells.len()];
            for (n, op) in self.p.nodes.iter().enumerate() {
                if let Op::Read(c) = op {
                    read_at[c.index()] = Some(n);
                }
            }
            for (c, cell) in self.p.cells.iter().enumerate() {
                if bank_cell[c] {
                    continue;
                }
                let next = cell.next.index();
                let at = read_at[c].map_or(next, |r| r.max(next));
                if self.varying[at] {
                    stores.after[at].push(c);
                } else {
                    stores.at_end.push(c);
                }
            }
        }

        if self.banks.is_empty() {
            // The per-sample loop.
            let zero = self.fb.ins().iconst(types::I64, 0);
            self.fb
                .ins()
                .brif(frames, body, &[BlockArg::Value(zero)], exit, &[]);
            self.fb.switch_to_block(body);
            let i = self.fb.block_params(body)[0];
            self.sample(i, in_registers, &stores);
            let one = self.fb.ins().iconst(types::I64, 1);
            self.loop_back(body, i, one, frames, exit);
        } else {
            self.chunked(frames, body, exit, in_registers, &stores);
        }

        self.fb.switch_to_block(exit);
        for (slot, var) in self.layout.cells.iter().zip(self.cells.clone()) {
            let Some(var) = var else { continue };
            let v = self.fb.use_var(var);
            self.fb
                .ins()
                .store(flags(), v, state, (slot.offset * 8) as i32);
        }
        self.fb.ins().return_(&[]);
    }

    /// One sample of the main program (every varying node outside the banks) at output
    /// frame `frame`, then the commit of its cells.
    fn sample(&mut self, frame: Value, in_registers: bool, stores: &Stores) {
        for n in 0..self.p.nodes.len() {
            if self.varying[n] && !self.in_bank[n] {
                self.node(NodeId(n as u32));
                for &c in &stores.after[n] {
                    self.store_cell(c);
                }
            }
        }
        for &c in &stores.at_end {
            self.store_cell(c);
        }
        let channels = self.p.outputs.len() as i64;
        if channels > 0 {
            let stride = self.fb.ins().iconst(types::I64, channels * 4);
            let row = self.fb.ins().imul(frame, stride);
            let row = self.cast_ptr(row);
            let base = self.fb.ins().iadd(self.out, row);
            for (ch, &o) in self.p.outputs.iter().enumerate() {
                let v = self.value(o);
                let s = self.fb.ins().fdemote(types::F32, v);
                self.fb.ins().store(flags(), s, base, (ch * 4) as i32);
            }
        }
        // Commit: every node has been computed from the old values, so the new ones can go in.
        if in_registers {
            let p = self.p;
            let owned: Vec<(Variable, NodeId)> = (0..p.cells.len())
                .filter_map(|c| Some((self.cells[c]?, p.cells[c].next)))
                .collect();
            let nexts: Vec<(Variable, Value)> = owned
                .into_iter()
                .map(|(var, next)| (var, self.value(next)))
                .collect();
            for (var, v) in nexts {
                self.fb.def_var(var, v);
            }
        }
    }

    /// Stores a memory-resident cell's next value.
    fn store_cell(&mut self, c: usize) {
        let v = self.value(self.p.cells[c].next);
        let off = (self.layout.cells[c].offset * 8) as i32;
        self.fb.ins().store(flags(), v, self.state, off);
    }

    fn cast_ptr(&mut self, v: Value) -> Value {
        if self.ptr == types::I64 {
            v
        } else {
            self.fb.ins().ireduce(self.ptr, v)
        }
    }

    /// The value of a node already emitted (constants are materialised on demand).
    fn value(&mut self, n: NodeId) -> Value {
        if let Op::Const(c) = self.p.nodes[n.index()] {
            // A constant per use: x64 folds it into the instruction as a memory operand,
            // and no register holds it across the loop.
            return simd::constant(self.fb, self.ty, c);
        }
        self.values[n.index()].expect("IR is in evaluation order")
    }

    fn node(&mut self, n: NodeId) {
        if self.fused[n.index()] {
            return;
        }
        let v = match self.p.nodes[n.index()] {
            Op::Const(_) => return,
            Op::Read(c) => match self.cells[c.index()] {
                Some(var) => self.fb.use_var(var),
                None => {
                    let off = (self.layout.cells[c.index()].offset * 8) as i32;
                    self.fb.ins().load(types::F64, flags(), self.state, off)
                }
            },
            Op::Unary(op, a) => self.unary(op, a),
            Op::Binary(op, a, b) => self.binary(op, a, b),
            Op::Select(c, a, b) => self.select(n, c, a, b),
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => self.delay(buf.index(), pos, input, samples),
        };
        self.values[n.index()] = Some(v);
    }

    fn call(&mut self, name: &'static str, args: &[Value]) -> Value {
        let f = match self.calls.get(name) {
            Some(&f) => f,
            None => {
                let f = self
                    .module
                    .declare_func_in_func(self.imports[name], self.fb.func);
                self.calls.insert(name, f);
                f
            }
        };
        let inst = self.fb.ins().call(f, args);
        self.fb.inst_results(inst)[0]
    }

    fn unary(&mut self, op: UnOp, a: NodeId) -> Value {
        let x = self.value(a);
        match op {
            UnOp::Sin => return approx::sin(self.fb, x, false),
            UnOp::Cos => return approx::sin(self.fb, x, true),
            UnOp::SinTau => return approx::sin_turns(self.fb, x),
            _ => {}
        }
        if let Some(sym) = libm::unary_symbol(op) {
            return self.call(sym, &[x]);
        }
        let ins = self.fb.ins();
        match op {
            UnOp::Neg => ins.fneg(x),
            UnOp::Abs => ins.fabs(x),
            UnOp::Floor => ins.floor(x),
            UnOp::Sqrt => ins.sqrt(x),
            UnOp::Lcg => {
                let s = ins.fcvt_to_sint_sat(types::I64, x);
                let m = self.fb.ins().iconst(types::I64, 1_664_525);
                let s = self.fb.ins().imul(s, m);
                let c = self.fb.ins().iconst(types::I64, 1_013_904_223);
                let s = self.fb.ins().iadd(s, c);
                let mask = self.fb.ins().iconst(types::I64, 0xffff_ffff);
                let s = self.fb.ins().band(s, mask);
                self.fb.ins().fcvt_from_sint(types::F64, s)
            }
            _ => unreachable!("{op:?} is a call"),
        }
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> Value {
        // x64 arithmetic reads its second operand from memory: a constant there is one
        // instruction, a constant first needs two more to load it into a register.
        let commutes = matches!(op, BinOp::Add | BinOp::Mul);
        let (a, b) = if commutes && self.p.constant(a).is_some() && self.p.constant(b).is_none() {
            (b, a)
        } else {
            (a, b)
        };
        if let Some(v) = self.fma(op, a, b) {
            return v;
        }
        let (x, y) = (self.value(a), self.value(b));
        if let Some(sym) = libm::binary_symbol(op) {
            return self.call(sym, &[x, y]);
        }
        if let Some(cc) = compare_cc(op) {
            let c = self.fb.ins().fcmp(cc, x, y);
            if self.ty.is_vector() {
                return self.mask_value(c);
            }
            let one = self.fb.ins().iconst(types::I64, 1.0f64.to_bits() as i64);
            let zero = self.fb.ins().iconst(types::I64, 0);
            let bits = self.fb.ins().select(c, one, zero);
            return self.fb.ins().bitcast(types::F64, MemFlagsData::new(), bits);
        }
        if self.ty.is_vector() && matches!(op, BinOp::Min | BinOp::Max) {
            return self.vmin_max(op, x, y);
        }
        let ins = self.fb.ins();
        match op {
            BinOp::Add => ins.fadd(x, y),
            BinOp::Sub => ins.fsub(x, y),
            BinOp::Mul => ins.fmul(x, y),
            BinOp::Div => ins.fdiv(x, y),
            BinOp::Min => ins.fmin(x, y),
            BinOp::Max => ins.fmax(x, y),
            _ => unreachable!("{op:?} handled above"),
        }
    }

    /// `op a b` as a fused multiply-add, when [`fusable`] chose it.
    fn fma(&mut self, op: BinOp, a: NodeId, b: NodeId) -> Option<Value> {
        let (m, other) = fusion(self.p, op, a, b)?;
        if !self.fused[m.index()] {
            return None;
        }
        let Op::Binary(BinOp::Mul, x, c) = self.p.op(m) else {
            return None;
        };
        let (x, c) = if self.p.constant(c).is_some() {
            (x, c)
        } else {
            (c, x)
        };
        let xv = self.value(x);
        let cv = self.value(c);
        let y = match (op, self.p.constant(other)) {
            (BinOp::Sub, Some(k)) => simd::constant(self.fb, self.ty, -k),
            _ => self.value(other),
        };
        Some(self.fb.ins().fma(xv, cv, y))
    }

    fn select(&mut self, n: NodeId, c: NodeId, a: NodeId, b: NodeId) -> Value {
        // A comparison as the condition is tested directly, not turned into 0/1 and
        // compared with 0 again.
        let t = match self.p.op(c) {
            Op::Binary(op, l, r) if compare_cc(op).is_some() => {
                let (l, r) = (self.value(l), self.value(r));
                self.fb
                    .ins()
                    .fcmp(compare_cc(op).unwrap_or(FloatCC::Equal), l, r)
            }
            _ => {
                let cv = self.value(c);
                let zero = simd::constant(self.fb, self.ty, 0.0);
                self.fb.ins().fcmp(FloatCC::NotEqual, cv, zero)
            }
        };
        if self.ty.is_vector() {
            let (x, y) = (self.value(a), self.value(b));
            return self.vselect(t, x, y);
        }
        // Branch-free: Cranelift lowers `select` on floats to a branch, which mispredicts
        // on audio-rate conditions; an integer select is a `cmov`.
        let (x, y) = (self.bits(a), self.bits(b));
        let r = self.fb.ins().select(t, x, y);
        self.select_bits[n.index()] = Some(r);
        self.fb.ins().bitcast(types::F64, MemFlagsData::new(), r)
    }

    /// A node's value as i64 bits for an integer select. Constants and other selects'
    /// results are at hand as integers, without a round trip through an xmm register.
    fn bits(&mut self, n: NodeId) -> Value {
        if let Some(c) = self.p.constant(n) {
            return self.fb.ins().iconst(types::I64, c.to_bits() as i64);
        }
        if let Some(r) = self.select_bits[n.index()] {
            return r;
        }
        let v = self.value(n);
        self.fb.ins().bitcast(types::I64, MemFlagsData::new(), v)
    }

    /// Write the input at `pos`, then read `samples` behind it with linear interpolation.
    /// `interp::delay` is the same computation step for step (it must stay bit-exact).
    fn delay(&mut self, buf: usize, pos: NodeId, input: NodeId, samples: NodeId) -> Value {
        let slot = &self.layout.buffers[buf];
        let (len, offset) = (slot.len as i64, slot.offset as i64);
        let (p, x, d) = (self.value(pos), self.value(input), self.value(samples));
        let base = self.fb.ins().iadd_imm_s(self.state, offset * 8);
        let mask = self.fb.ins().iconst(types::I64, len - 1);
        let pb = self.int_bits(p);
        let pi = self.fb.ins().band(pb, mask);
        let addr = self.offset(base, pi, 8);
        self.fb.ins().store(flags(), x, addr, 0);

        // The clamp as `hi < d ? hi : d` and `d < 0 ? 0 : d`: one minsd/maxsd each where
        // fmin/fmax are branchy sequences; the same values, NaN (passed through) included.
        let hi = self.fb.ins().f64const((len - 2) as f64);
        let below = self.fb.ins().fcmp(FloatCC::LessThan, hi, d);
        let d = self.fb.ins().select(below, hi, d);
        let lo = self.fb.ins().f64const(0.0);
        let neg = self.fb.ins().fcmp(FloatCC::LessThan, d, lo);
        let d = self.fb.ins().select(neg, lo, d);
        let di = self.fb.ins().floor(d);
        let frac = self.fb.ins().fsub(d, di);
        // Both bit patterns carry the same exponent bits, which cancel in the difference.
        let db = self.int_bits(di);
        let k0 = self.fb.ins().isub(pb, db);
        let k0 = self.fb.ins().band(k0, mask);
        let k1 = self.fb.ins().iadd_imm_s(k0, -1);
        let k1 = self.fb.ins().band(k1, mask);
        let a0 = self.offset(base, k0, 8);
        let a1 = self.offset(base, k1, 8);
        let a = self.fb.ins().load(types::F64, flags(), a0, 0);
        let b = self.fb.ins().load(types::F64, flags(), a1, 0);
        let diff = self.fb.ins().fsub(b, a);
        let step = self.fb.ins().fmul(frac, diff);
        self.fb.ins().fadd(a, step)
    }

    /// [`crate::ir::int_bits`]: two instructions where `fcvt_to_sint_sat` is a
    /// compare-and-branch sequence on x64.
    fn int_bits(&mut self, x: Value) -> Value {
        let magic = self.fb.ins().f64const(crate::ir::TWO_52);
        let t = self.fb.ins().fadd(x, magic);
        self.fb.ins().bitcast(types::I64, MemFlagsData::new(), t)
    }

    /// `base + 8·index`: x64 folds the shift into a scaled-index address.
    /// `base + index · scale`, as a pointer; a power-of-two scale is a shift, which x64
    /// folds into a scaled-index address.
    fn offset(&mut self, base: Value, index: Value, scale: i64) -> Value {
        let off = if scale > 0 && scale & (scale - 1) == 0 {
            self.fb
                .ins()
                .ishl_imm_u(index, i64::from(scale.trailing_zeros()))
        } else {
            self.fb.ins().imul_imm_s(index, scale)
        };
        let off = self.cast_ptr(off);
        self.fb.ins().iadd(base, off)
    }

    /// The end of a counted loop: `i + step`, then back to `head` with it while it is
    /// below `end`, else on to `exit`.
    fn loop_back(&mut self, head: Block, i: Value, step: Value, end: Value, exit: Block) {
        let next = self.fb.ins().iadd(i, step);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, next, end);
        self.fb
            .ins()
            .brif(more, head, &[BlockArg::Value(next)], exit, &[]);
    }
}

/// `x·2ᵏ + y` as one fused multiply-add, for an add (or a subtract of a constant) whose
/// operand is a multiply by a power of two `2ᵏ ≥ 1` used nowhere else. Such a product is
/// exact (or infinite either way), so the fused result is bit for bit the two rounded
/// operations': `saw`'s `2·p − 1` and the like cost one instruction, not two.
fn fusion(p: &Program, op: BinOp, a: NodeId, b: NodeId) -> Option<(NodeId, NodeId)> {
    let product = |n: NodeId| match p.op(n) {
        Op::Binary(BinOp::Mul, x, y) => {
            let c = p.constant(y).or(p.constant(x))?;
            let exact = c >= 1.0 && c.is_finite() && c.to_bits() & ((1 << 52) - 1) == 0;
            let variable = p.constant(x).is_none() || p.constant(y).is_none();
            (exact && variable).then_some(n)
        }
        _ => None,
    };
    match op {
        BinOp::Add => product(a)
            .map(|m| (m, b))
            .or_else(|| product(b).map(|m| (m, a))),
        BinOp::Sub if p.constant(b).is_some() => product(a).map(|m| (m, b)),
        _ => None,
    }
}

/// Per node: a multiply that [`fusion`] folds into its only user.
fn fusable(p: &Program) -> Vec<bool> {
    let mut uses = p.operand_uses();
    for n in p.roots() {
        uses[n.index()] += 1;
    }
    let mut fused = vec![false; p.nodes.len()];
    for op in &p.nodes {
        if let Op::Binary(o, a, b) = *op {
            if let Some((m, _)) = fusion(p, o, a, b) {
                if uses[m.index()] == 1 {
                    fused[m.index()] = true;
                }
            }
        }
    }
    fused
}

/// The condition code of a comparison op.
fn compare_cc(op: BinOp) -> Option<FloatCC> {
    Some(match op {
        BinOp::Lt => FloatCC::LessThan,
        BinOp::Le => FloatCC::LessThanOrEqual,
        BinOp::Gt => FloatCC::GreaterThan,
        BinOp::Ge => FloatCC::GreaterThanOrEqual,
        BinOp::Eq => FloatCC::Equal,
        BinOp::Ne => FloatCC::NotEqual,
        _ => return None,
    })
}
