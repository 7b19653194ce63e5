//! Every plot kind for one fixed input, pinned by a hash of its decoded pixels: a change
//! to any pixel (drawing, layout, font, colours) shows up as a snapshot diff. The PNGs
//! are written to `target/tmp/plots/` to look at when a hash changes.

use kanon_scope::testing::{lorenz, Image};
use kanon_scope::{plot_png, PlotKind, PlotSpec};

const RATE: u32 = 48_000;

/// 0.5 s of a Lorenz attractor on o1..o3, with a 1 kHz tone added to o1.
fn input() -> Vec<f32> {
    let mut s = lorenz(RATE as usize / 2);
    for (f, frame) in s.chunks_exact_mut(3).enumerate() {
        let t = f as f64 / RATE as f64;
        frame[0] += (0.1 * (std::f64::consts::TAU * 1000.0 * t).sin()) as f32;
    }
    s
}

/// FNV-1a, 64 bits: small, stable, and enough to notice any changed pixel.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn every_kind_renders_the_same_pixels() {
    let samples = input();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("plots");
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = String::new();
    for kind in PlotKind::ALL {
        let spec = PlotSpec {
            title: Some(format!("kanon {kind}")),
            ..PlotSpec::new(kind)
        };
        let png = plot_png(&samples, 3, RATE, &spec).unwrap();
        std::fs::write(dir.join(format!("{kind}.png")), &png).unwrap();
        let img = Image::decode_png(&png).unwrap();
        assert_eq!(
            (img.width as u32, img.height as u32),
            (spec.width, spec.height)
        );
        // Same input, same bytes: nothing depends on time, threads or the machine's fonts.
        assert_eq!(
            plot_png(&samples, 3, RATE, &spec).unwrap(),
            png,
            "{kind} is not deterministic"
        );
        report.push_str(&format!(
            "{kind}: {}x{} rgb {:016x}\n",
            img.width,
            img.height,
            fnv1a(&img.rgb)
        ));
    }
    insta::assert_snapshot!("plot_pixel_hashes", report);
}

#[test]
fn a_plot_is_mostly_background_with_something_drawn() {
    // A guard against a hash pinned on a blank or broken image.
    let samples = input();
    for kind in PlotKind::ALL {
        let png = plot_png(&samples, 3, RATE, &PlotSpec::new(kind)).unwrap();
        let img = Image::decode_png(&png).unwrap();
        let total = img.width * img.height;
        let white = img.rgb.chunks(3).filter(|p| p == &[255, 255, 255]).count();
        let inked = total - white;
        assert!(
            inked > total / 50,
            "{kind}: only {inked} of {total} pixels drawn"
        );
        if kind != PlotKind::Spectrogram {
            assert!(
                white > total / 3,
                "{kind}: background lost ({white} of {total} white)"
            );
        }
    }
}
