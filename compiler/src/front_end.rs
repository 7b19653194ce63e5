//! Parsing and lowering on a thread of their own with a large stack, kept warm between
//! compiles.
//!
//! Both recurse once per level of nesting, so how deep a program may nest must not
//! depend on the caller's stack (test threads have 2 MiB, a watcher thread may have
//! less). One thread per [`crate::Compiler`], started at its first compile and reused:
//! spawning one per compile cost about 0.1 ms, and a fresh thread's allocator arena and
//! caches made parsing and lowering slower still (measured on a 1,400-voice bank:
//! 13.8 ms a compile with a thread per compile, 11.1 ms without one).

use crate::{ir, lower, passes};
use kanon_lang::Diagnostic;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Stack for parsing and lowering. The nesting limits keep a legal program well inside
/// this in a debug build.
const STACK: usize = 64 << 20;

/// What one front-end run needs, owned so that it can cross to the thread.
pub(crate) struct Job {
    pub text: String,
    pub sample_rate: f64,
    pub samples: Option<Arc<kanon_samples::Library>>,
    pub tempo: Option<f64>,
}

/// The IR, warnings, parse time and lowering time.
pub(crate) type Output = (ir::Program, Vec<Diagnostic>, Duration, Duration);

type Task = Box<dyn FnOnce() + Send>;

/// The front-end thread (none until the first run).
#[derive(Default)]
pub(crate) struct FrontEnd {
    thread: Option<(mpsc::Sender<Task>, JoinHandle<()>)>,
}

impl FrontEnd {
    /// Parses and lowers `job` on the thread. A panic there comes back as a panic here;
    /// the thread lives on. With no thread to be had, it runs here, on whatever stack
    /// there is.
    pub fn run(&mut self, job: Job) -> Result<Output, Vec<Diagnostic>> {
        let (tx, rx) = mpsc::sync_channel(1);
        let task: Task = Box::new(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(|| work(&job))));
        });
        let task = match self.sender() {
            Some(s) => match s.send(task) {
                Ok(()) => None,
                Err(mpsc::SendError(t)) => Some(t),
            },
            None => Some(task),
        };
        if let Some(t) = task {
            self.thread = None;
            t();
        }
        match rx.recv() {
            Ok(Ok(out)) => out,
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => unreachable!("the front-end task always answers"),
        }
    }

    fn sender(&mut self) -> Option<&mpsc::Sender<Task>> {
        if self.thread.is_none() {
            let (tx, rx) = mpsc::channel::<Task>();
            let handle = std::thread::Builder::new()
                .name("kanonc-front-end".into())
                .stack_size(STACK)
                .spawn(move || {
                    for task in rx {
                        task();
                    }
                })
                .ok()?;
            self.thread = Some((tx, handle));
        }
        self.thread.as_ref().map(|(tx, _)| tx)
    }
}

impl Drop for FrontEnd {
    fn drop(&mut self) {
        if let Some((tx, handle)) = self.thread.take() {
            drop(tx);
            let _ = handle.join();
        }
    }
}

/// Parse, lower and dead-code elimination; the AST is dropped here too (dropping it
/// recurses as well).
fn work(job: &Job) -> Result<Output, Vec<Diagnostic>> {
    let t0 = Instant::now();
    let ast = kanon_lang::parse(&job.text).map_err(|d| vec![d])?;
    let t1 = Instant::now();
    let (ir, w) = lower_checked(
        &ast,
        &job.text,
        job.sample_rate,
        job.samples.as_deref(),
        job.tempo,
    )?;
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
