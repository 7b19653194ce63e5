//! `kanonc render`: a program to a WAV file.

use super::compile;
use crate::RenderArgs;
use kanon_runtime::wav;
use std::time::Instant;

pub fn run(a: RenderArgs) -> Result<(), String> {
    if !(a.seconds.is_finite() && a.seconds > 0.0) {
        return Err("error: --seconds must be a positive number".into());
    }
    if a.block == 0 {
        return Err("error: --block must be at least 1 frame".into());
    }
    let (_, program) = compile(&a.file, a.sr, false)?;
    if program.channels() == 0 {
        return Err(format!(
            "error: {} has no output to render: add `out: …` or `o1: …`",
            a.file.display()
        ));
    }
    let frames = (a.seconds * f64::from(a.sr)).round() as usize;
    let t = Instant::now();
    let samples = kanon_runtime::render(&program, frames, a.block);
    let took = t.elapsed();
    wav::write(&a.output, &samples, program.channels(), a.sr, a.format)?;
    let peak = samples.iter().fold(0f32, |m, x| m.max(x.abs()));
    eprintln!(
        "wrote {} ({} channel(s), {:.3} s at {} Hz, {:?}), peak {:.3}, rendered in {:.1} ms ({:.0}x realtime)",
        a.output.display(),
        program.channels(),
        a.seconds,
        a.sr,
        a.format,
        peak,
        took.as_secs_f64() * 1e3,
        a.seconds / took.as_secs_f64()
    );
    Ok(())
}
