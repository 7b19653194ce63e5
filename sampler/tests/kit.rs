//! The built-in kit: bit-identical everywhere (pinned hashes), and each sound has the
//! spectrum and pitch its name promises.

use kanon_samples::kit::{find, KIT};

/// FNV-1a over the bits of every sample of every kit sound, in kit order.
fn kit_hash(sample_rate: f64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for sound in KIT {
        for x in sound.render(sample_rate) {
            for b in x.to_bits().to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    h
}

#[test]
fn the_kit_is_bit_identical_on_every_run_and_machine() {
    // These hashes pin the exact bytes. The synthesis uses only IEEE basic operations
    // (no libm), so any machine gives these values; a change to the kit must update them
    // deliberately.
    assert_eq!(
        kit_hash(48_000.0),
        KIT_HASH_48K,
        "48 kHz: {:#x}",
        kit_hash(48_000.0)
    );
    assert_eq!(
        kit_hash(44_100.0),
        KIT_HASH_44K1,
        "44.1 kHz: {:#x}",
        kit_hash(44_100.0)
    );
}

const KIT_HASH_48K: u64 = 0x8b49_f57e_5ea5_b404;
const KIT_HASH_44K1: u64 = 0x73ab_df52_cb04_9cfd;

/// Power of `x` at `freq` Hz (Goertzel).
fn power(x: &[f32], freq: f64, sr: f64) -> f64 {
    let w = std::f64::consts::TAU * freq / sr;
    let c = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    for &v in x {
        let s0 = v as f64 + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    s1 * s1 + s2 * s2 - c * s1 * s2
}

/// Fraction of the power (on a 50 Hz grid up to 16 kHz) between `lo` and `hi` Hz.
fn band_fraction(x: &[f32], sr: f64, lo: f64, hi: f64) -> f64 {
    let mut total = 0.0;
    let mut band = 0.0;
    let mut f = 50.0;
    while f <= 16_000.0 {
        let p = power(x, f, sr);
        total += p;
        if f >= lo && f <= hi {
            band += p;
        }
        f += 50.0;
    }
    band / total
}

/// The strongest frequency between `lo` and `hi` Hz, in `step` Hz steps.
fn peak_frequency(x: &[f32], sr: f64, lo: f64, hi: f64, step: f64) -> f64 {
    let mut best = (0.0, lo);
    let mut f = lo;
    while f <= hi {
        let p = power(x, f, sr);
        if p > best.0 {
            best = (p, f);
        }
        f += step;
    }
    best.1
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&v| v as f64 * v as f64).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

const SR: f64 = 48_000.0;

fn sound(name: &str) -> Vec<f32> {
    find(name).unwrap().render(SR)
}

fn window(x: &[f32], from: f64, to: f64) -> &[f32] {
    let a = (from * SR) as usize;
    let b = ((to * SR) as usize).min(x.len());
    &x[a..b]
}

#[test]
fn every_sound_is_finite_normalised_decaying_and_ends_at_zero() {
    for s in KIT {
        let x = s.render(SR);
        assert!(x.iter().all(|v| v.is_finite()), "{}", s.name);
        let peak = x.iter().fold(0.0f32, |m, v| m.max(v.abs())) as f64;
        assert!((peak - s.peak).abs() < 1e-6, "{}: peak {peak}", s.name);
        assert_eq!(*x.last().unwrap(), 0.0, "{}", s.name);
        let tenth = x.len() / 10;
        assert!(
            rms(&x[x.len() - tenth..]) < rms(&x[..tenth]) / 10.0,
            "{} does not decay",
            s.name
        );
        assert!(x.len() as f64 / SR <= 3.0, "{} is long", s.name);
    }
    assert_eq!(sound("sd"), sound("sn"));
    assert_eq!(sound("superpiano"), sound("keys"));
}

#[test]
fn drums_have_the_spectrum_their_names_promise() {
    let bd = sound("bd");
    assert!(
        band_fraction(window(&bd, 0.0, 0.3), SR, 0.0, 200.0) > 0.8,
        "bd is low"
    );
    for hat in ["hh", "oh"] {
        let x = sound(hat);
        assert!(
            band_fraction(window(&x, 0.0, 0.1), SR, 5_000.0, 16_000.0) > 0.8,
            "{hat} is high"
        );
    }
    let oh = sound("oh");
    let hh = sound("hh");
    assert!(
        rms(window(&oh, 0.1, 0.2)) > 10.0 * rms(window(&hh, 0.1, 0.2)),
        "oh rings longer than hh"
    );
    let cr = sound("cr");
    assert!(
        band_fraction(window(&cr, 0.0, 0.5), SR, 2_000.0, 16_000.0) > 0.8,
        "cr is bright"
    );
    assert!(rms(window(&cr, 1.0, 1.2)) > 0.01, "cr rings on");
    let sn = sound("sn");
    let shells = band_fraction(window(&sn, 0.0, 0.15), SR, 100.0, 400.0);
    let snares = band_fraction(window(&sn, 0.0, 0.15), SR, 1_500.0, 16_000.0);
    assert!(
        shells > 0.1 && snares > 0.3,
        "sn: shells {shells}, snares {snares}"
    );
    let cp = sound("cp");
    assert!(
        band_fraction(window(&cp, 0.0, 0.2), SR, 500.0, 3_000.0) > 0.6,
        "cp is mid"
    );
    // The clap's strike: separate bursts 10 ms apart within the first 30 ms.
    let bursts: Vec<f64> = (0..6)
        .map(|k| rms(window(&cp, k as f64 * 0.005, k as f64 * 0.005 + 0.003)))
        .collect();
    assert!(
        bursts[0] > bursts[1] && bursts[2] > bursts[1] && bursts[2] > bursts[3],
        "{bursts:?}"
    );
    let cb = sound("cb");
    let w = window(&cb, 0.0, 0.3);
    let p540 = power(w, 540.0, SR);
    let p670 = power(w, 670.0, SR);
    let p800 = power(w, 800.0, SR);
    assert!(
        p540 > 20.0 * p670 && p800 > 20.0 * p670,
        "cb has its two squares"
    );
    let rim = sound("rim");
    assert!(
        rms(window(&rim, 0.05, 0.1)) < rms(window(&rim, 0.0, 0.02)) / 20.0,
        "rim is short"
    );
}

#[test]
fn toms_are_tuned_low_to_high() {
    let f = |name: &str| peak_frequency(window(&sound(name), 0.1, 0.4), SR, 50.0, 400.0, 1.0);
    let (lt, mt, ht) = (f("lt"), f("mt"), f("ht"));
    assert!(
        (lt - 95.0).abs() < 5.0 && (mt - 140.0).abs() < 5.0 && (ht - 200.0).abs() < 6.0,
        "{lt} {mt} {ht}"
    );
}

#[test]
fn pitched_sounds_play_their_note() {
    let c4 = 261.625_565_300_598_6;
    for name in ["pluck", "keys"] {
        let x = sound(name);
        let f = peak_frequency(window(&x, 0.1, 0.6), SR, c4 * 0.9, c4 * 1.1, 0.1);
        assert!((f / c4 - 1.0).abs() < 0.004, "{name}: {f} Hz");
    }
    let bass = sound("bass");
    let f = peak_frequency(window(&bass, 0.05, 0.8), SR, 55.0, 80.0, 0.05);
    assert!((f / (c4 / 4.0) - 1.0).abs() < 0.004, "bass: {f} Hz");
}
