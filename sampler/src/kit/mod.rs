//! The built-in kit: drums and a few pitched sounds synthesised by our own code at the
//! session rate, so `s "bd sn hh cp"` plays on a fresh machine with nothing downloaded.
//!
//! Every sound is bit-identical on every run and machine: the synthesis uses only IEEE
//! basic operations, our own [`crate::math`] functions and a seeded integer noise
//! generator (the tests pin a hash of the rendered bytes). What each sound is made of is
//! in docs/samples.md and on each function in [`drums`] and [`tonal`].

pub mod drums;
mod dsp;
pub mod tonal;

/// One sound of the kit.
#[derive(Clone, Copy, Debug)]
pub struct KitSound {
    /// The name `s` uses.
    pub name: &'static str,
    /// One line on what it is.
    pub about: &'static str,
    /// The level its peak is normalised to.
    pub peak: f64,
    /// The final fade to exact silence, in seconds.
    pub fade: f64,
    /// Another name for the same sound (its data is shared, not rendered twice).
    pub alias_of: Option<&'static str>,
    synth: fn(f64) -> Vec<f64>,
}

impl KitSound {
    /// Renders the sound at `sample_rate` Hz: mono, peak-normalised, ending at zero.
    pub fn render(&self, sample_rate: f64) -> Vec<f32> {
        dsp::finish((self.synth)(sample_rate), self.peak, self.fade, sample_rate)
    }
}

const fn sound(
    name: &'static str,
    about: &'static str,
    peak: f64,
    fade: f64,
    synth: fn(f64) -> Vec<f64>,
) -> KitSound {
    KitSound {
        name,
        about,
        peak,
        fade,
        alias_of: None,
        synth,
    }
}

/// `name` for the same sound as `of` (which must come earlier in [`KIT`]).
const fn alias(name: &'static str, of: &KitSound, about: &'static str) -> KitSound {
    KitSound {
        name,
        about,
        alias_of: Some(of.name),
        ..*of
    }
}

const SN: KitSound = sound(
    "sn",
    "snare (909-style two shells and noise)",
    0.8,
    0.03,
    drums::sn,
);
const RIM: KitSound = sound(
    "rim",
    "rim shot (808 resonator pair)",
    0.6,
    0.01,
    drums::rim,
);
const KEYS: KitSound = sound("keys", "piano-like keys at middle C", 0.6, 0.1, tonal::keys);

/// The kit, in listing order.
pub const KIT: &[KitSound] = &[
    sound(
        "bd",
        "bass drum (808-style sine sweep)",
        0.9,
        0.05,
        drums::bd,
    ),
    SN,
    alias("sd", &SN, "snare (the same as sn)"),
    sound(
        "hh",
        "closed hi-hat (808 square bank)",
        0.5,
        0.02,
        drums::hh,
    ),
    sound("oh", "open hi-hat (808 square bank)", 0.5, 0.1, drums::oh),
    sound(
        "cp",
        "hand clap (808 four-pulse noise)",
        0.7,
        0.05,
        drums::cp,
    ),
    RIM,
    alias("rs", &RIM, "rim shot (the same as rim)"),
    sound("lt", "low tom, 95 Hz", 0.8, 0.05, drums::lt),
    sound("mt", "mid tom, 140 Hz", 0.8, 0.05, drums::mt),
    sound("ht", "high tom, 200 Hz", 0.8, 0.05, drums::ht),
    sound(
        "cb",
        "cowbell (808 540 + 800 Hz squares)",
        0.5,
        0.05,
        drums::cb,
    ),
    sound(
        "cr",
        "crash cymbal (808 cymbal bank, noise)",
        0.45,
        0.2,
        drums::cr,
    ),
    sound(
        "pluck",
        "plucked string at middle C",
        0.7,
        0.05,
        tonal::pluck,
    ),
    sound("bass", "filtered saw bass at C2", 0.7, 0.05, tonal::bass),
    KEYS,
    alias("superpiano", &KEYS, "the same as keys (SuperDirt's name)"),
];

/// The kit sound called `name`, if any.
pub fn find(name: &str) -> Option<&'static KitSound> {
    KIT.iter().find(|s| s.name == name)
}
