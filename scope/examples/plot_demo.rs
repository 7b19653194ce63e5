//! Renders every plot kind of a demo signal into a folder:
//! `cargo run -p kanon-scope --example plot_demo -- OUT_DIR`.
//!
//! The signal: 2 s at 48 kHz of four channels: a Lorenz attractor (o1 x, o2 y, o3 z) and,
//! on o4, a 220 Hz tone plus a rising sweep, so the spectral plots have lines to show.

use kanon_scope::{write_plot, PlotKind, PlotSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&dir)?;
    let rate = 48_000u32;
    let frames = 2 * rate as usize;
    let (mut x, mut y, mut z) = (0.1f64, 0.1f64, 0.1f64);
    let mut samples = Vec::with_capacity(frames * 3);
    for i in 0..frames + 5000 {
        let dt = 0.0005;
        let (nx, ny, nz) = (
            x + 10.0 * (y - x) * dt,
            y + (x * (28.0 - z) - y) * dt,
            z + (x * y - 8.0 / 3.0 * z) * dt,
        );
        (x, y, z) = (nx, ny, nz);
        if i < 5000 {
            continue; // settle onto the attractor
        }
        let t = (i - 5000) as f64 / rate as f64;
        let tone = 0.2 * (std::f64::consts::TAU * 220.0 * t).sin();
        let sweep = 0.1 * (std::f64::consts::TAU * 200.0 * ((t * 1.5).exp() - 1.0) / 1.5).sin();
        samples.extend([
            (x * 0.04) as f32,
            (y * 0.03) as f32,
            (z * 0.03 - 0.7) as f32,
            (tone + sweep) as f32,
        ]);
    }
    for kind in PlotKind::ALL {
        let path = std::path::Path::new(&dir).join(format!("{kind}.png"));
        let spec = PlotSpec {
            title: Some(format!("demo: {kind}")),
            ..PlotSpec::new(kind)
        };
        let start = std::time::Instant::now();
        write_plot(&path, &samples, 4, rate, &spec)?;
        println!(
            "{} in {:.0} ms",
            path.display(),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}
