//! Parsing and lowering with room on the stack.
//!
//! Both recurse once per level of nesting, so how deep a program may nest must not
//! depend on the caller's stack (test threads have 2 MiB, a main thread 8). A caller
//! with less than [`STACK`] left gets a fresh stack segment on its own thread (stacker,
//! which pest already uses); a live session compiles on a thread that has the room
//! ([`crate::on_compile_stack`]), so its compiles need no switch. Measured on this
//! machine: a segment costs about 0.06 ms a compile (a 64 MiB map and its page faults);
//! a thread spawned per compile cost about 0.1 ms and a cold allocator arena, and one
//! thread kept per compiler still paid about 200 page faults a compile for its arena
//! (the IR is freed on the caller's thread).

use crate::{ir, lower, passes};
use kanon_lang::Diagnostic;
use std::time::{Duration, Instant};

/// Stack for parsing and lowering. The nesting limits keep a legal program well inside
/// this in a debug build.
pub(crate) const STACK: usize = 64 << 20;

/// What one front-end run needs.
pub(crate) struct Job<'a> {
    pub text: &'a str,
    pub sample_rate: f64,
    pub samples: Option<&'a kanon_samples::Library>,
    pub tempo: Option<f64>,
}

/// The IR, warnings, parse time and lowering time.
pub(crate) type Output = (ir::Program, Vec<Diagnostic>, Duration, Duration);

/// Parses and lowers `job` with at least [`STACK`] bytes of stack.
pub(crate) fn run(job: &Job<'_>) -> Result<Output, Vec<Diagnostic>> {
    stacker::maybe_grow(STACK, STACK, || work(job))
}

/// Parse, lower and dead-code elimination; the AST is dropped here too (dropping it
/// recurses as well).
fn work(job: &Job<'_>) -> Result<Output, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let ast = kanon_lang::parse(job.text).map_err(|d| vec![d])?;
    let t1 = Instant::now();
    let (ir, w) = lower_checked(&ast, job.text, job.sample_rate, job.samples, job.tempo)?;
    Ok((ir, w, t1 - t0, t1.elapsed()))
}

/// Lowering and dead-code elimination, with the IR validated after each (debug builds).
fn lower_checked(
    ast: &kanon_lang::ast::Program,
    text: &str,
    sample_rate: f64,
    samples: Option<&kanon_samples::Library>,
    tempo: Option<f64>,
) -> Result<(ir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (ir, w) = lower::lower_with_tempo(ast, text, sample_rate, samples, tempo)?;
    ir::validate::debug_check(&ir, "lowering");
    let ir = passes::dce::run(ir);
    ir::validate::debug_check(&ir, "dead-code elimination");
    Ok((ir, w))
}
