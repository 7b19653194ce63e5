//! `kanonc`: compile, check, dump, render and benchmark `.kn` programs.

use clap::{Parser, Subcommand};
use kanonc::commands::{self, render::RenderArgs};
use kanonc::live;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kanonc",
    version,
    about = "Live-coding sound: .kn signals compiled to native code"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a program to a WAV file (one channel per output).
    Render(RenderArgs),
    /// Check a program: diagnostics, where histories were placed, state keys, compile time.
    Check {
        /// The .kn file.
        file: PathBuf,
        /// Sample rate in Hz.
        #[arg(long, default_value_t = 48_000)]
        sr: u32,
    },
    /// Show what the compiler made of a program.
    Dump {
        /// The .kn file.
        file: PathBuf,
        /// The parse, fully parenthesised.
        #[arg(long, group = "what")]
        ast: bool,
        /// The IR: keyed state cells and the dataflow graph with history reads (`~sN`).
        #[arg(long, group = "what")]
        ir: bool,
        /// The Cranelift IR of the block function.
        #[arg(long, group = "what")]
        clif: bool,
        /// The machine code of the block function, disassembled.
        #[arg(long, group = "what")]
        asm: bool,
        /// Sample rate in Hz.
        #[arg(long, default_value_t = 48_000)]
        sr: u32,
    },
    /// Measure rendering speed: ns per frame and realtime factor (median of several runs).
    Bench {
        /// The .kn file.
        file: PathBuf,
        /// Seconds of audio per run.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Number of runs (the median is reported).
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Frames per block.
        #[arg(long, default_value_t = 512)]
        block: usize,
        /// Sample rate in Hz.
        #[arg(long, default_value_t = 48_000)]
        sr: u32,
    },
    /// Print the builtin reference (docs/builtins.md is this output).
    Builtins,
    /// Print the events of a mini-notation pattern (as TidalCycles' queryArc gives them).
    Pattern {
        /// The pattern, e.g. 'bd*2 [sn cp]'.
        mini: String,
        /// The cycles whose onsets to list, A..B (fractions or decimals).
        #[arg(long, default_value = "0..1", allow_hyphen_values = true)]
        cycles: String,
    },
    /// List the sounds `s` can play and where they come from.
    Samples {
        /// A folder of sounds to search first; repeatable.
        #[arg(long, value_name = "DIR")]
        samples: Vec<PathBuf>,
        /// Sample rate in Hz.
        #[arg(long, default_value_t = 48_000)]
        sr: u32,
    },
    /// Render a program and draw it as a PNG: wave, spectrum, spectrogram, xy or xyz.
    Plot(commands::plot::PlotArgs),
    /// Play a program on an audio device; every save swaps the new code in, state kept.
    Run(live::RunArgs),
    /// List audio hosts and output devices.
    Devices,
}

fn main() -> ExitCode {
    commands::restore_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(a) => commands::render::run(a),
        Command::Check { file, sr } => commands::check::run(&file, sr),
        Command::Dump {
            file,
            ast,
            ir,
            clif,
            asm,
            sr,
        } => commands::dump::run(&file, ast, ir, clif, asm, sr),
        Command::Bench {
            file,
            seconds,
            runs,
            block,
            sr,
        } => commands::bench::run(&file, seconds, runs, block, sr),
        // A session compiles on every save: on a thread with the stack for it.
        Command::Run(a) => kanon_compiler::on_compile_stack(|| live::run(a)),
        Command::Plot(a) => commands::plot::run(a),
        Command::Devices => live::device::devices(),
        Command::Pattern { mini, cycles } => commands::pattern::run(&mini, &cycles),
        Command::Samples { samples, sr } => commands::samples::run(&samples, sr),
        Command::Builtins => {
            print!("{}", kanon_compiler::builtins::reference());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            ExitCode::FAILURE
        }
    }
}
