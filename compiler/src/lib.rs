//! The kanon compiler: AST → IR (history nodes, keyed state) → Cranelift block function.
//!
//! [`compile`] is the whole pipeline: parse → lower → dead-code elimination → layout →
//! codegen. Its result, [`Program`], renders blocks of any size over a state block,
//! through the one block interface in [`block`].

pub mod block;
pub mod builtins;
pub mod codegen;
mod front_end;
pub mod interp;
pub mod ir;
pub mod key;
pub mod layout;
pub mod lower;
pub mod passes;
pub mod rt;
pub mod tables;

use kanon_lang::{Diagnostic, Source};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub use block::{Block, BlockIo, Resources};
pub use layout::Layout;
pub use rt::clock::ClockAnchor;

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

impl Options {
    /// The default options at another sample rate.
    pub fn at(sample_rate: f64) -> Options {
        Options {
            sample_rate,
            ..Options::default()
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
    /// The sums of identical voices the code runs as loops over their voices.
    pub banks: Vec<passes::banks::Bank>,
    /// The sample library its `s` patterns play from (kept alive as long as the program).
    pub samples: Option<Arc<kanon_samples::Library>>,
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

    /// What the program reads from outside: its sample library's table.
    pub fn resources(&self) -> Resources {
        Resources {
            samples: self
                .samples
                .as_ref()
                .map_or(std::ptr::null(), |l| l.table() as *const u8),
        }
    }

    /// Waits (up to `timeout`) until every sound the program names has loaded: an
    /// offline render hears its first events. Returns false on a timeout.
    pub fn wait_for_samples(&self, timeout: Duration) -> bool {
        self.samples.as_ref().is_none_or(|l| l.wait_idle(timeout))
    }

    /// The cycle clock's position at absolute frame `frame` in `state` (0 for a program
    /// without patterns). Allocation-free: the status line reads it every block.
    pub fn cycle(&self, state: &[f64], frame: u64) -> f64 {
        let Some(clock) = self.ir.clock else {
            return 0.0;
        };
        let at = self.layout.buffers[clock.state.index()].offset;
        let c = &state[at..at + rt::clock::LEN];
        if !rt::clock::started(c) {
            return 0.0;
        }
        rt::clock::position(c, i128::from(frame)).to_f64()
    }

    /// Anchors the cycle clock in `state` from outside (see [`ClockAnchor`]); a program
    /// without patterns has no clock and ignores it. Allocation-free: the engine calls it
    /// on the audio thread.
    pub fn anchor_clock(&self, state: &mut [f64], a: &ClockAnchor) {
        let Some(clock) = self.ir.clock else { return };
        let at = self.layout.buffers[clock.state.index()].offset;
        let Some(c) = state.get_mut(at..at + rt::clock::LEN) else {
            return;
        };
        rt::clock::anchor(
            c,
            a.frame,
            rt::clock::Pos::new(a.cycle.0.into(), a.cycle.1.into()),
            a.cps.0,
            a.cps.1,
            self.ir.sample_rate,
        );
    }

    /// A fresh state block for this program.
    pub fn initial_state(&self) -> Vec<f64> {
        self.layout.initial_state()
    }

    /// Renders one block: `b.out.len() / channels` frames of interleaved output,
    /// advancing `b.state` and writing the taps. Does not allocate: safe to call on the
    /// audio thread.
    ///
    /// Panics if the state block is not this program's, `out` is not a whole number of
    /// frames, the parameter block is too short, or the tap buffer does not fit. An
    /// empty parameter block means every parameter at its default (this allocates: the
    /// engine always passes its own block).
    pub fn process(&self, b: Block) {
        let defaults;
        let mut b = b;
        if b.params.is_empty() && self.layout.param_slots > 0 {
            // A caller with no parameter block hears every parameter at its default.
            defaults = self.ir.param_defaults();
            b = Block {
                params: &defaults,
                ..b
            };
        }
        let frames = check_block(&self.ir, &self.layout, &b);
        let mut io = b.io(frames);
        // A caller that gives no resources gets the program's own (its samples).
        let own = self.resources();
        if b.resources.samples.is_null() {
            io.resources = &own;
        }
        // SAFETY: `check_block` checked every buffer the code reads or writes against
        // this program's layout, channels, parameters and taps.
        unsafe { (self.code.func())(&io) };
    }
}

/// Checks a block against a program; returns its frame count.
fn check_block(ir: &ir::Program, layout: &Layout, b: &Block) -> usize {
    assert_eq!(b.state.len(), layout.len, "state block of another program");
    let ch = ir.outputs.len();
    let frames = b.out.len().checked_div(ch).unwrap_or(0);
    assert_eq!(frames * ch, b.out.len(), "output is not whole frames");
    assert!(
        b.params.len() >= layout.param_slots,
        "parameter block too short"
    );
    if !ir.taps.is_empty() {
        let need = frames * ir.taps.len();
        assert!(
            b.taps.as_ref().is_some_and(|t| t.len() >= need),
            "tap buffer missing or too short"
        );
    }
    frames
}

/// Compiles a program reusing Cranelift's buffers between compiles.
#[derive(Default)]
pub struct Compiler {
    codegen: codegen::Codegen,
    samples: Option<Arc<kanon_samples::Library>>,
    /// Parameter names by slot, for every program this compiler made: a name keeps its
    /// slot in the engine's parameter block across edits.
    param_names: Vec<String>,
    /// A tempo set from outside (cycles per second), in place of the file's.
    tempo: Option<f64>,
}

/// Most distinct parameter names one [`Compiler`] gives slots to (the live engine's
/// parameter block has this many).
pub const MAX_PARAMS: usize = 1024;

impl Compiler {
    /// A compiler with fresh buffers, playing `s` from the default sample library
    /// ([`default_library`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A compiler whose `s` patterns play from `library` (every program it compiles
    /// shares it: a swap that names the same sounds reloads nothing).
    pub fn with_samples(library: Arc<kanon_samples::Library>) -> Self {
        Compiler {
            samples: Some(library),
            ..Compiler::default()
        }
    }

    /// Compiles every later program at `cps` cycles per second whatever its `tempo:`
    /// line says (`None`: the file's tempo again). Values outside (0, 10000] are ignored.
    pub fn set_tempo(&mut self, cps: Option<f64>) {
        self.tempo = cps;
    }

    /// The parameter names this compiler has given slots to, by slot.
    pub fn param_names(&self) -> &[String] {
        &self.param_names
    }

    /// Moves the program's parameters to this compiler's slots for their names (a new
    /// name gets the next free slot), so a name means the same slot in every program.
    fn place_params(&mut self, mut ir: ir::Program) -> Result<ir::Program, Vec<Diagnostic>> {
        let mut to = Vec::with_capacity(ir.params.len());
        for d in &mut ir.params {
            let slot = match self.param_names.iter().position(|n| *n == d.name) {
                Some(s) => s,
                None if self.param_names.len() < MAX_PARAMS => {
                    self.param_names.push(d.name.clone());
                    self.param_names.len() - 1
                }
                None => {
                    return Err(vec![Diagnostic::global(format!(
                        "more than {MAX_PARAMS} parameter names in one session; restart kanonc to forget old ones"
                    ))])
                }
            };
            to.push(slot as u32);
            d.slot = slot as u32;
        }
        for op in &mut ir.nodes {
            if let ir::Op::Param(s) = op {
                *s = to[*s as usize];
            }
        }
        Ok(ir)
    }

    /// Text to callable native code. Errors come back as diagnostics to render
    /// against the same source.
    pub fn compile(&mut self, src: &Source, opts: Options) -> Result<Program, Vec<Diagnostic>> {
        check_sample_rate(opts.sample_rate)?;
        let library = match &self.samples {
            Some(l) => Some(l.clone()),
            // Only programs with strings can name sounds.
            None if src.text.contains('"') => Some(default_library(opts.sample_rate)),
            None => None,
        };
        let (ir, warnings, parse, lower) = front_end::run(&front_end::Job {
            text: &src.text,
            sample_rate: opts.sample_rate,
            samples: library.as_deref(),
            tempo: self.tempo,
        })?;
        let t2 = Instant::now();
        let ir = self.place_params(ir)?;
        let mut p = self.compile_ir(ir, opts.keep_clif)?;
        p.warnings = warnings;
        if !p.ir.samplers.is_empty() {
            p.samples = library;
        }
        p.timings = Timings {
            parse,
            lower,
            codegen: t2.elapsed(),
        };
        Ok(p)
    }

    /// IR to callable native code (the IR must be valid: see [`ir::validate`]). What
    /// [`Compiler::compile`] does after lowering; tests use it to reach ops the language
    /// does not write yet.
    pub fn compile_ir(
        &mut self,
        ir: ir::Program,
        keep_clif: bool,
    ) -> Result<Program, Vec<Diagnostic>> {
        ir::validate::validate(&ir)
            .map_err(|e| vec![Diagnostic::global(format!("invalid IR: {e}"))])?;
        let layout = Layout::of(&ir);
        let compiled = self
            .codegen
            .compile(&ir, &layout, keep_clif)
            .map_err(|e| vec![Diagnostic::global(e)])?;
        let text = compiled.text;
        Ok(Program {
            ir,
            layout,
            warnings: Vec::new(),
            timings: Timings::default(),
            clif: text.as_ref().map(|t| t.0.clone()),
            asm: text.map(|t| t.1),
            banks: compiled.banks,
            samples: None,
            code: compiled.code,
        })
    }
}

/// Runs `f` on a new thread with room for any compile on its own stack, so the compiles
/// it makes need no stack switch (a live session compiles on every save).
pub fn on_compile_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    // Room for the caller's own frames above the front end's.
    const MARGIN: usize = 8 << 20;
    let mut job = Some(f);
    let done = std::thread::scope(|s| {
        let job = &mut job;
        std::thread::Builder::new()
            .name("kanonc-compiles".into())
            .stack_size(front_end::STACK + MARGIN)
            .spawn_scoped(s, move || job.take().map(|f| f()))
            .ok()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    match (done.flatten(), job) {
        (Some(r), _) => r,
        // No thread to be had: here, with a stack segment per compile.
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the thread took the job and returned it"),
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
    let library = src.text.contains('"').then(|| default_library(sample_rate));
    let (ir, warnings, ..) = front_end::run(&front_end::Job {
        text: &src.text,
        sample_rate,
        samples: library.as_deref(),
        tempo: None,
    })?;
    Ok((ir, warnings))
}

/// The sample library programs play from when no other is given: `KANONC_SAMPLES`,
/// `./samples`, Dirt-Samples where SuperDirt keeps them, and the built-in kit. One per
/// sample rate for the whole process.
pub fn default_library(sample_rate: f64) -> Arc<kanon_samples::Library> {
    type Libraries = Mutex<Vec<(u32, Arc<kanon_samples::Library>)>>;
    static LIBRARIES: OnceLock<Libraries> = OnceLock::new();
    let sr = sample_rate.round().clamp(1.0, f64::from(u32::MAX)) as u32;
    let mut libs = LIBRARIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, l)) = libs.iter().find(|(r, _)| *r == sr) {
        return l.clone();
    }
    let l = Arc::new(kanon_samples::Library::open(
        kanon_samples::LibraryConfig::new(sr),
    ));
    libs.push((sr, l.clone()));
    l
}

/// A number as the shortest text that reads back the same (`1`, `0.5`, `1e-7`).
pub fn fmt_num(v: f64) -> String {
    let s = format!("{v:?}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
