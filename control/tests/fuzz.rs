//! Garbage in, nothing bad out: random and mutated OSC datagrams and MIDI byte streams
//! through the same entry points the listener and the MIDI port use.
//!
//! A fixed-seed generator keeps every run identical, so a failure reproduces.

use kanon_control::midi::{MidiParams, BEND, GATE, NOTE, VELOCITY};
use kanon_control::osc::dispatch_packet;
use kanon_control::{Delivery, MidiCounters, OscCounters, OscStats, Update};
use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }
}

/// Every update a source may deliver is a finite number (and a positive tempo).
fn check_update(update: &Update) {
    match update {
        Update::Param { value, .. } => assert!(value.is_finite(), "{update:?}"),
        Update::Tempo { cps } => assert!(cps.is_finite() && *cps > 0.0, "{update:?}"),
        Update::Hush | Update::ResetParam { .. } => {}
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let msg = |addr: &str, args: Vec<OscType>| {
        OscPacket::Message(OscMessage {
            addr: addr.into(),
            args,
        })
    };
    let s = |t: &str| OscType::String(t.into());
    let packets = [
        msg("/param", vec![s("cutoff"), OscType::Float(500.0)]),
        msg("/param/res", vec![OscType::Double(0.5)]),
        msg("/ctrl", vec![OscType::Int(74), OscType::Float(0.5)]),
        msg("/tempo", vec![OscType::Float(0.5)]),
        msg("/hush", vec![]),
        OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((1, 2)),
            content: vec![
                msg("/param/a", vec![OscType::Long(3)]),
                OscPacket::Bundle(OscBundle {
                    timetag: OscTime::from((0, 1)),
                    content: vec![msg("/param", vec![s("b"), OscType::Int(1)])],
                }),
            ],
        }),
    ];
    packets
        .iter()
        .map(|p| rosc::encoder::encode(p).unwrap())
        .collect()
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.byte();
            }
            1 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            2 => bytes.truncate(rng.below(bytes.len() + 1)),
            3 => {
                let at = rng.below(bytes.len() + 1);
                bytes.insert(at, rng.byte());
            }
            // Type tags and sizes are where decoders break: aim at them.
            4 => {
                let tags = [
                    b'f', b'd', b'i', b'h', b's', b'b', b'[', b']', b'T', b'N', b'I', b'S',
                ];
                if let Some(at) = bytes.iter().position(|&b| b == b',') {
                    if at + 1 < bytes.len() {
                        bytes[at + 1] = tags[rng.below(tags.len())];
                    }
                }
            }
            _ => {
                // A huge or tiny length field.
                if bytes.len() >= 20 && bytes.starts_with(b"#bundle") {
                    let v = [0u32, 1, 3, 0x7FFF_FFFF, u32::MAX][rng.below(5)];
                    bytes[16..20].copy_from_slice(&v.to_be_bytes());
                }
            }
        }
    }
    bytes
}

fn accounted(s: &OscStats) -> u64 {
    s.applied
        + s.unknown_address
        + s.wrong_arg_count
        + s.wrong_type
        + s.non_finite
        + s.out_of_range
        + s.unknown_name
        + s.dropped
}

#[test]
fn osc_mutated_and_random_datagrams_never_panic_and_every_message_is_accounted_for() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let counters = OscCounters::new();
    let mut delivered = 0u64;
    let mut sink = |u: Update| {
        check_update(&u);
        delivered += 1;
        Delivery::Applied
    };
    let seeds = seeds();
    const ROUNDS: u64 = 60_000;
    for i in 0..ROUNDS {
        let bytes = if i % 4 == 0 {
            (0..rng.below(96)).map(|_| rng.byte()).collect()
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, seed)
        };
        dispatch_packet(&bytes, &counters, &mut sink);
    }
    let s = counters.snapshot();
    assert_eq!(s.packets, ROUNDS);
    assert_eq!(s.received, accounted(&s), "{s:?}");
    assert_eq!(s.applied, delivered);
    // The mutations must exercise both sides, or this test proves little.
    assert!(s.malformed > ROUNDS / 4, "{s:?}");
    assert!(s.applied > ROUNDS / 20, "{s:?}");
    assert!(
        s.wrong_type > 0 && s.wrong_arg_count > 0 && s.unknown_address > 0,
        "{s:?}"
    );
}

#[test]
fn midi_garbage_makes_only_well_formed_parameters() {
    let mut rng = Rng(7);
    for channel in [None, kanon_control::midi::Channel::from_number(3)] {
        let mut params = MidiParams::new(channel);
        let counters = MidiCounters::new();
        let mut seen = 0u64;
        let mut sink = |u: Update| {
            let Update::Param { name, value } = &u else {
                panic!("MIDI made {u:?}");
            };
            match name.as_str() {
                NOTE => assert!(value.fract() == 0.0 && (0.0..=127.0).contains(value)),
                GATE => assert!(*value == 0.0 || *value == 1.0),
                VELOCITY => assert!((1.0 / 127.0..=1.0).contains(value)),
                BEND => assert!((-1.0..=1.0).contains(value)),
                cc => {
                    let n: u8 = cc.strip_prefix("cc").unwrap().parse().unwrap();
                    assert!(n < 120 && (0.0..=1.0).contains(value), "{cc}");
                }
            }
            seen += 1;
            Delivery::Applied
        };
        for _ in 0..2_000 {
            // Biased toward status bytes so plenty of messages form.
            let chunk: Vec<u8> = (0..rng.below(64))
                .map(|_| {
                    if rng.below(3) == 0 {
                        0x80 | rng.byte()
                    } else {
                        rng.byte() & 0x7F
                    }
                })
                .collect();
            params.feed(&chunk, &counters, &mut sink);
        }
        let s = counters.snapshot();
        assert!(s.messages > 1_000, "{s:?}");
        assert_eq!(s.updates, seen);
        if channel.is_some() {
            assert!(s.other_channel > s.messages / 2, "{s:?}");
        }
    }
}

/// A keyboard player's evening, bytes as a USB-MIDI keyboard sends them: running status,
/// clock ticks between and inside messages, a sysex dump in the middle.
#[test]
fn midi_a_played_phrase_becomes_the_expected_parameters() {
    let bytes: Vec<u8> = vec![
        0xF8, 0x90, 60, 100, // C4 down
        0xF8, 64, 0xF8, 80, // E4 down (running status, clock inside the message)
        0xB0, 74, 127, // filter knob up
        0xF0, 0x43, 0x12, 0x00, 0xF7, // a sysex dump
        0x90, 64, 0, // E4 up as note-on velocity 0 (running status lost to sysex, restated)
        0xE0, 0x00, 0x60, // bend up half way
        0x80, 60, 40,   // C4 up
        0xFE, // active sensing
    ];
    let mut params = MidiParams::new(None);
    let counters = MidiCounters::new();
    let mut got = Vec::new();
    params.feed(&bytes, &counters, &mut |u: Update| {
        got.push(u);
        Delivery::Applied
    });
    let p = |name: &str, value: f64| Update::Param {
        name: name.into(),
        value,
    };
    assert_eq!(
        got,
        vec![
            p(NOTE, 60.0),
            p(VELOCITY, 100.0 / 127.0),
            p(GATE, 1.0),
            p(NOTE, 64.0),
            p(VELOCITY, 80.0 / 127.0),
            p("cc74", 1.0),
            p(NOTE, 60.0),
            p(VELOCITY, 100.0 / 127.0),
            p(BEND, 4096.0 / 8191.0),
            p(GATE, 0.0),
        ]
    );
    let s = counters.snapshot();
    assert_eq!((s.messages, s.updates, s.applied), (6, 10, 10));
}
