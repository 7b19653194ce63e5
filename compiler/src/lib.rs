//! The kanon compiler: AST → IR (history nodes, keyed state) → Cranelift block function.
//!
//! [`compile`] is the whole pipeline: parse → lower → dead-code elimination → layout →
//! codegen. Its result, [`Program`], renders blocks of any size over a state block.

pub mod builtins;
pub mod codegen;
pub mod interp;
pub mod ir;
pub mod layout;
pub mod lower;
pub mod passes;

use kanon_lang::{Diagnostic, Source};
use std::time::{Duration, Instant};

pub use layout::Layout;

/// How to compile.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Sample rate in Hz; `sr` and every frequency are folded against it.
    pub sample_rate: f64,
    /// Keep the CLIF text and the disassembly (for `kanonc dump --clif` and `--asm`).
    pub keep_clif: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sample_rate: 48_000.0,
            keep_clif: false,
        }
    }
}

/// How long each stage of a compile took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Text to AST.
    pub parse: Duration,
    /// AST to optimised IR.
    pub lower: Duration,
    /// IR to callable native code.
    pub codegen: Duration,
}

impl Timings {
    /// Text to callable code.
    pub fn total(&self) -> Duration {
        self.parse + self.lower + self.codegen
    }
}

/// A compiled program: native code, the IR it came from, and its state layout.
pub struct Program {
    /// The optimised IR.
    pub ir: ir::Program,
    /// Where each keyed piece of state lives.
    pub layout: Layout,
    /// Warnings (the program compiled anyway).
    pub warnings: Vec<Diagnostic>,
    /// Compile timings.
    pub timings: Timings,
    /// The CLIF text, if asked for.
    pub clif: Option<String>,
    /// The machine code, disassembled, if the CLIF was asked for.
    pub asm: Option<String>,
    code: codegen::Code,
}

impl Program {
    /// Output channels per frame.
    pub fn channels(&self) -> usize {
        self.ir.outputs.len()
    }

    /// The sample rate it was compiled for.
    pub fn sample_rate(&self) -> f64 {
        self.ir.sample_rate
    }

    /// A fresh state block for this program.
    pub fn initial_state(&self) -> Vec<f64> {
        self.layout.initial_state()
    }

    /// The sums of identical voices that the code runs as loops over their voices.
    pub fn banks(&self) -> Vec<passes::banks::Bank> {
        passes::banks::find(&self.ir, &self.layout, &passes::schedule::varying(&self.ir))
    }

    /// Renders `out.len() / channels` frames of interleaved output, advancing `state`.
    /// Does not allocate: safe to call on the audio thread.
    ///
    /// Panics if `state` is not this program's layout length or `out` is not a whole
    /// number of frames.
    pub fn process(&self, state: &mut [f64], out: &mut [f32]) {
        assert_eq!(
            state.len(),
            self.layout.len,
            "state block of another program"
        );
        let ch = self.channels();
        let frames = out.len().checked_div(ch).unwrap_or(0);
        assert_eq!(frames * ch, out.len(), "output is not whole frames");
        // SAFETY: the state block has this program's layout (checked above) and `out`
        // holds `frames * channels` floats.
        unsafe { (self.code.func())(state.as_mut_ptr(), out.as_mut_ptr(), frames as u64) };
    }
}

/// Compiles a program reusing Cranelift's buffers between compiles.
#[derive(Default)]
pub struct Compiler {
    codegen: codegen::Codegen,
}

impl Compiler {
    /// A compiler with fresh buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Text to callable native code. Errors come back as diagnostics to render
    /// against the same source.
    pub fn compile(&mut self, src: &Source, opts: Options) -> Result<Program, Vec<Diagnostic>> {
        check_sample_rate(opts.sample_rate)?;
        let t0 = Instant::now();
        let ast = kanon_lang::parse(&src.text).map_err(|d| vec![d])?;
        let t1 = Instant::now();
        let (ir, warnings) = lower::lower(&ast, &src.text, opts.sample_rate)?;
        let ir = passes::dce::run(ir);
        let layout = Layout::of(&ir);
        let t2 = Instant::now();
        let (code, text) = self
            .codegen
            .compile(&ir, &layout, opts.keep_clif)
            .map_err(|e| vec![Diagnostic::global(e)])?;
        let t3 = Instant::now();
        Ok(Program {
            ir,
            layout,
            warnings,
            timings: Timings {
                parse: t1 - t0,
                lower: t2 - t1,
                codegen: t3 - t2,
            },
            clif: text.as_ref().map(|t| t.0.clone()),
            asm: text.map(|t| t.1),
            code,
        })
    }
}

/// Compiles with a one-off [`Compiler`].
pub fn compile(src: &Source, opts: Options) -> Result<Program, Vec<Diagnostic>> {
    Compiler::new().compile(src, opts)
}

/// Refuses sample rates no program can run at (delay lengths are computed from it).
fn check_sample_rate(sample_rate: f64) -> Result<(), Vec<Diagnostic>> {
    if (1.0..=1_536_000.0).contains(&sample_rate) {
        return Ok(());
    }
    Err(vec![Diagnostic::global(format!(
        "a sample rate of {sample_rate} Hz is not possible"
    ))
    .with_help("use a rate such as 44100, 48000 or 96000")])
}

/// Parses and lowers only (no native code): the IR and warnings, for `dump --ir` and tests.
pub fn lower_only(
    src: &Source,
    sample_rate: f64,
) -> Result<(ir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_sample_rate(sample_rate)?;
    let ast = kanon_lang::parse(&src.text).map_err(|d| vec![d])?;
    let (ir, w) = lower::lower(&ast, &src.text, sample_rate)?;
    Ok((passes::dce::run(ir), w))
}

/// A number as the shortest text that reads back the same (`1`, `0.5`, `1e-7`).
pub fn fmt_num(v: f64) -> String {
    let s = format!("{v:?}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
