//! MIDI 1.0 bytes to channel messages, one byte at a time.
//!
//! The parser keeps a few bytes of state and never allocates, so it can sit on any thread
//! (the audio thread included) and take bytes in any chunking: from a serial line, from
//! `midir`'s per-message callback, from a file.
//!
//! - **Running status**: after a channel status byte, further data bytes reuse it
//!   (`90 3C 64 40 64` is two note-ons).
//! - **Note-on with velocity 0** is a note-off (velocity 0), as the MIDI spec says.
//! - **System realtime** bytes (`F8`–`FF`: clock, start, stop, active sensing, reset) may
//!   appear anywhere, even inside another message, and are skipped without disturbing it.
//! - **System exclusive** (`F0` … `F7`) is skipped; any status byte also ends it.
//! - **System common** (`F1`–`F6`) is skipped with its data bytes and cancels running
//!   status, as the spec says.
//! - A status byte that interrupts an unfinished message drops the unfinished one; data
//!   bytes with no status before them are dropped. Nothing panics, whatever the input.

use std::fmt;
use std::str::FromStr;

/// A MIDI channel: 1–16 as devices print it, 0–15 on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Channel(u8);

impl Channel {
    /// The channel numbered `number` (1–16), or `None` outside that range.
    pub fn from_number(number: u8) -> Option<Channel> {
        (1..=16).contains(&number).then(|| Channel(number - 1))
    }

    /// The channel a status byte's low nibble names.
    fn from_status(status: u8) -> Channel {
        Channel(status & 0x0F)
    }

    /// The channel's number, 1–16.
    pub fn number(self) -> u8 {
        self.0 + 1
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// Why a channel number could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadChannel(pub String);

impl fmt::Display for BadChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad MIDI channel `{}`: expected 1 to 16", self.0)
    }
}

impl std::error::Error for BadChannel {}

impl FromStr for Channel {
    type Err = BadChannel;

    /// Reads `1` to `16`.
    fn from_str(text: &str) -> Result<Channel, BadChannel> {
        text.trim()
            .parse::<u8>()
            .ok()
            .and_then(Channel::from_number)
            .ok_or_else(|| BadChannel(text.to_string()))
    }
}

/// One complete channel message. Data values are 0–127.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MidiMessage {
    /// A key went down (velocity 1–127; velocity 0 arrives as [`MidiMessage::NoteOff`]).
    NoteOn {
        /// Channel.
        channel: Channel,
        /// Note number (60 is middle C).
        note: u8,
        /// Strike velocity, 1–127.
        velocity: u8,
    },
    /// A key came up.
    NoteOff {
        /// Channel.
        channel: Channel,
        /// Note number.
        note: u8,
        /// Release velocity (0 when it came as a note-on with velocity 0).
        velocity: u8,
    },
    /// Aftertouch on one key.
    PolyPressure {
        /// Channel.
        channel: Channel,
        /// Note number.
        note: u8,
        /// Pressure.
        pressure: u8,
    },
    /// A controller moved (a knob, a fader, the mod wheel, a pedal).
    ControlChange {
        /// Channel.
        channel: Channel,
        /// Controller number (0–119; 120–127 are channel mode messages).
        controller: u8,
        /// Position.
        value: u8,
    },
    /// A patch was chosen.
    ProgramChange {
        /// Channel.
        channel: Channel,
        /// Program number.
        program: u8,
    },
    /// Aftertouch on the whole channel.
    ChannelPressure {
        /// Channel.
        channel: Channel,
        /// Pressure.
        pressure: u8,
    },
    /// The pitch wheel moved.
    PitchBend {
        /// Channel.
        channel: Channel,
        /// Signed 14-bit position, −8192 ..= 8191, 0 at rest (wire `LSB MSB`, centre `00 40`).
        value: i16,
    },
}

impl MidiMessage {
    /// The channel the message came on.
    pub fn channel(&self) -> Channel {
        match *self {
            MidiMessage::NoteOn { channel, .. }
            | MidiMessage::NoteOff { channel, .. }
            | MidiMessage::PolyPressure { channel, .. }
            | MidiMessage::ControlChange { channel, .. }
            | MidiMessage::ProgramChange { channel, .. }
            | MidiMessage::ChannelPressure { channel, .. }
            | MidiMessage::PitchBend { channel, .. } => channel,
        }
    }
}

/// Bends a 14-bit pitch-wheel position into −1 ..= 1, with 0 at rest.
///
/// The wheel's range is lopsided (−8192 ..= 8191), so the two halves are scaled apart
/// and both ends reach exactly ±1.
pub fn bend_to_unit(value: i16) -> f64 {
    let value = f64::from(value);
    if value < 0.0 {
        value / 8192.0
    } else {
        value / 8191.0
    }
}

/// A streaming MIDI byte parser (see the module docs for the rules).
#[derive(Clone, Debug, Default)]
pub struct MidiParser {
    /// The channel status in force (running status), or 0 for none.
    status: u8,
    /// Data bytes collected so far for the current message.
    data: [u8; 2],
    /// How many of `data` are filled.
    filled: u8,
    /// Inside a system exclusive message: data bytes are skipped.
    in_sysex: bool,
    /// Data bytes of a system common message still to skip.
    skip: u8,
}

impl MidiParser {
    /// A parser with no running status.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one byte; returns the message it completes, if any. Allocation-free.
    pub fn push(&mut self, byte: u8) -> Option<MidiMessage> {
        if byte >= 0xF8 {
            // System realtime: a single byte that may arrive between any two bytes.
            return None;
        }
        if byte >= 0x80 {
            self.status_byte(byte);
            return None;
        }
        if self.in_sysex {
            return None;
        }
        if self.skip > 0 {
            self.skip -= 1;
            return None;
        }
        if self.status == 0 {
            return None;
        }
        self.data[usize::from(self.filled)] = byte;
        self.filled += 1;
        if self.filled < data_len(self.status) {
            return None;
        }
        self.filled = 0;
        Some(self.message())
    }

    /// Takes a run of bytes, calling `each` for every message completed, in order.
    pub fn feed(&mut self, bytes: &[u8], each: &mut dyn FnMut(MidiMessage)) {
        for &byte in bytes {
            if let Some(message) = self.push(byte) {
                each(message);
            }
        }
    }

    fn status_byte(&mut self, byte: u8) {
        // Any status byte ends a sysex and drops an unfinished message.
        self.in_sysex = false;
        self.filled = 0;
        self.skip = 0;
        match byte {
            0x80..=0xEF => self.status = byte,
            0xF0 => {
                self.in_sysex = true;
                self.status = 0;
            }
            _ => {
                // System common (and a stray end-of-sysex) cancels running status.
                self.status = 0;
                self.skip = match byte {
                    0xF1 | 0xF3 => 1, // MTC quarter frame, song select
                    0xF2 => 2,        // song position
                    _ => 0,           // F4/F5 undefined, F6 tune request, F7 end of sysex
                };
            }
        }
    }

    fn message(&self) -> MidiMessage {
        let channel = Channel::from_status(self.status);
        let [a, b] = self.data;
        match self.status & 0xF0 {
            0x80 => MidiMessage::NoteOff {
                channel,
                note: a,
                velocity: b,
            },
            0x90 if b == 0 => MidiMessage::NoteOff {
                channel,
                note: a,
                velocity: 0,
            },
            0x90 => MidiMessage::NoteOn {
                channel,
                note: a,
                velocity: b,
            },
            0xA0 => MidiMessage::PolyPressure {
                channel,
                note: a,
                pressure: b,
            },
            0xB0 => MidiMessage::ControlChange {
                channel,
                controller: a,
                value: b,
            },
            0xC0 => MidiMessage::ProgramChange {
                channel,
                program: a,
            },
            0xD0 => MidiMessage::ChannelPressure {
                channel,
                pressure: a,
            },
            // 0xE0, the only channel status left.
            _ => MidiMessage::PitchBend {
                channel,
                value: ((i16::from(b) << 7) | i16::from(a)) - 8192,
            },
        }
    }
}

/// Data bytes a channel status takes.
fn data_len(status: u8) -> u8 {
    match status & 0xF0 {
        0xC0 | 0xD0 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(n: u8) -> Channel {
        Channel::from_number(n).unwrap()
    }

    fn parse(bytes: &[u8]) -> Vec<MidiMessage> {
        let mut parser = MidiParser::new();
        let mut out = Vec::new();
        parser.feed(bytes, &mut |m| out.push(m));
        out
    }

    fn on(c: u8, note: u8, velocity: u8) -> MidiMessage {
        MidiMessage::NoteOn {
            channel: ch(c),
            note,
            velocity,
        }
    }

    fn off(c: u8, note: u8, velocity: u8) -> MidiMessage {
        MidiMessage::NoteOff {
            channel: ch(c),
            note,
            velocity,
        }
    }

    fn cc(c: u8, controller: u8, value: u8) -> MidiMessage {
        MidiMessage::ControlChange {
            channel: ch(c),
            controller,
            value,
        }
    }

    #[test]
    fn channels_count_from_one() {
        assert_eq!(Channel::from_number(0), None);
        assert_eq!(Channel::from_number(17), None);
        assert_eq!(ch(1).number(), 1);
        assert_eq!(ch(16).to_string(), "16");
        assert_eq!("10".parse::<Channel>(), Ok(ch(10)));
        assert_eq!(" 3 ".parse::<Channel>(), Ok(ch(3)));
        for bad in ["0", "17", "-1", "x", "", "256"] {
            let err = bad.parse::<Channel>().unwrap_err();
            assert!(err.to_string().contains("1 to 16"), "{err}");
        }
    }

    #[test]
    fn every_channel_message() {
        assert_eq!(parse(&[0x90, 60, 100]), vec![on(1, 60, 100)]);
        assert_eq!(parse(&[0x8F, 60, 30]), vec![off(16, 60, 30)]);
        assert_eq!(
            parse(&[0xA2, 61, 5]),
            vec![MidiMessage::PolyPressure {
                channel: ch(3),
                note: 61,
                pressure: 5
            }]
        );
        assert_eq!(parse(&[0xB0, 74, 127]), vec![cc(1, 74, 127)]);
        assert_eq!(
            parse(&[0xC4, 12]),
            vec![MidiMessage::ProgramChange {
                channel: ch(5),
                program: 12
            }]
        );
        assert_eq!(
            parse(&[0xD1, 99]),
            vec![MidiMessage::ChannelPressure {
                channel: ch(2),
                pressure: 99
            }]
        );
        assert_eq!(on(7, 1, 2).channel(), ch(7));
    }

    #[test]
    fn velocity_zero_note_on_is_note_off() {
        assert_eq!(parse(&[0x93, 64, 0]), vec![off(4, 64, 0)]);
    }

    #[test]
    fn running_status_reuses_the_last_channel_status() {
        assert_eq!(
            parse(&[0x90, 60, 100, 64, 90, 60, 0, 64, 0]),
            vec![on(1, 60, 100), on(1, 64, 90), off(1, 60, 0), off(1, 64, 0)]
        );
        assert_eq!(
            parse(&[0xC0, 1, 2, 3]),
            vec![
                MidiMessage::ProgramChange {
                    channel: ch(1),
                    program: 1
                },
                MidiMessage::ProgramChange {
                    channel: ch(1),
                    program: 2
                },
                MidiMessage::ProgramChange {
                    channel: ch(1),
                    program: 3
                },
            ]
        );
        assert_eq!(
            parse(&[0xB0, 1, 10, 1, 11, 0x91, 60, 1]),
            vec![cc(1, 1, 10), cc(1, 1, 11), on(2, 60, 1)]
        );
    }

    #[test]
    fn pitch_bend_is_signed_fourteen_bits() {
        let bend = |lsb, msb| match parse(&[0xE0, lsb, msb])[..] {
            [MidiMessage::PitchBend { value, .. }] => value,
            ref other => panic!("{other:?}"),
        };
        assert_eq!(bend(0x00, 0x40), 0);
        assert_eq!(bend(0x00, 0x00), -8192);
        assert_eq!(bend(0x7F, 0x7F), 8191);
        assert_eq!(bend(0x01, 0x40), 1);
        assert_eq!(bend(0x7F, 0x3F), -1);
        assert_eq!(bend(0x00, 0x60), 4096);
        assert_eq!(bend_to_unit(0), 0.0);
        assert_eq!(bend_to_unit(-8192), -1.0);
        assert_eq!(bend_to_unit(8191), 1.0);
        assert_eq!(bend_to_unit(4096), 4096.0 / 8191.0);
    }

    #[test]
    fn realtime_bytes_anywhere_change_nothing() {
        let clean = [0x90, 60, 100, 64, 90, 0xB1, 7, 80, 0xE0, 0, 0x40];
        let expect = parse(&clean);
        assert_eq!(expect.len(), 4);
        // Insert each realtime byte at every position, and all of them at once.
        for rt in 0xF8..=0xFF {
            for at in 0..=clean.len() {
                let mut bytes = clean.to_vec();
                bytes.insert(at, rt);
                assert_eq!(parse(&bytes), expect, "{rt:02X} at {at}");
            }
        }
        let everywhere: Vec<u8> = clean.iter().flat_map(|&b| [0xF8, b, 0xFE]).collect();
        assert_eq!(parse(&everywhere), expect);
    }

    #[test]
    fn sysex_is_skipped_and_ends_at_any_status() {
        assert_eq!(
            parse(&[0xF0, 0x7E, 0x90, 0x01, 0x02, 0xF7, 0x90, 60, 1]),
            // 0x90 inside the sysex is a status byte: it ends the sysex and starts a note.
            vec![on(1, 0x01, 0x02), on(1, 60, 1)]
        );
        assert_eq!(
            parse(&[0xF0, 0x41, 0x10, 0x42, 0x12, 0x40, 0xF7, 0x90, 60, 1]),
            vec![on(1, 60, 1)]
        );
        // Realtime inside sysex does not end it.
        assert_eq!(parse(&[0xF0, 1, 0xF8, 2, 3, 0xF7]), vec![]);
        // A sysex cancels running status: data after it has no status to use.
        assert_eq!(
            parse(&[0x90, 60, 1, 0xF0, 1, 0xF7, 62, 1]),
            vec![on(1, 60, 1)]
        );
    }

    #[test]
    fn system_common_skips_its_data_and_cancels_running_status() {
        assert_eq!(parse(&[0x90, 60, 1, 0xF2, 5, 6, 62, 1]), vec![on(1, 60, 1)]);
        assert_eq!(parse(&[0xF1, 0x20, 0x90, 60, 1]), vec![on(1, 60, 1)]);
        assert_eq!(parse(&[0xF3, 4, 0xB0, 1, 2]), vec![cc(1, 1, 2)]);
        assert_eq!(parse(&[0xF6, 0x90, 60, 1]), vec![on(1, 60, 1)]);
        assert_eq!(parse(&[0x90, 60, 1, 0xF7, 62, 1]), vec![on(1, 60, 1)]);
    }

    #[test]
    fn interrupted_and_orphaned_bytes_are_dropped() {
        // A note-on cut short by a CC: the note is lost, the CC is whole.
        assert_eq!(parse(&[0x90, 60, 0xB0, 7, 100]), vec![cc(1, 7, 100)]);
        // Data with no status at all.
        assert_eq!(parse(&[1, 2, 3, 0x90, 60, 1]), vec![on(1, 60, 1)]);
        // A message split across feeds is still one message.
        let mut parser = MidiParser::new();
        let mut out = Vec::new();
        parser.feed(&[0x90], &mut |m| out.push(m));
        parser.feed(&[60], &mut |m| out.push(m));
        parser.feed(&[1, 62], &mut |m| out.push(m));
        parser.feed(&[2], &mut |m| out.push(m));
        assert_eq!(out, vec![on(1, 60, 1), on(1, 62, 2)]);
    }

    /// xorshift64*: a fixed, dependency-free source of bytes for fuzzing.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn byte(&mut self) -> u8 {
            (self.next() >> 56) as u8
        }
    }

    #[test]
    fn fuzz_garbage_never_panics_and_yields_only_valid_messages() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut parser = MidiParser::new();
        let mut count = 0usize;
        for _ in 0..2_000_000 {
            if let Some(message) = parser.push(rng.byte()) {
                count += 1;
                check_valid(&message);
            }
        }
        // Uniform bytes are half status, so messages are rare but must appear.
        assert!(count > 10_000, "{count}");
    }

    #[test]
    fn fuzz_realtime_interleaving_never_changes_the_messages() {
        let mut rng = Rng(42);
        for _ in 0..2_000 {
            // A random stream biased toward channel messages...
            let clean: Vec<u8> = (0..64)
                .map(|_| match rng.next() % 4 {
                    0 => 0x80 | (rng.byte() & 0x6F), // channel status 0x80..0xEF
                    _ => rng.byte() & 0x7F,
                })
                .collect();
            // ...and the same stream with realtime bytes sprinkled through it.
            let mut noisy = Vec::new();
            for &b in &clean {
                while rng.byte() < 86 {
                    noisy.push(0xF8 + (rng.byte() & 7));
                }
                noisy.push(b);
            }
            assert_eq!(parse(&noisy), parse(&clean));
        }
    }

    fn check_valid(message: &MidiMessage) {
        let data_ok = |b: u8| b < 0x80;
        match *message {
            MidiMessage::NoteOn { note, velocity, .. } => {
                assert!(data_ok(note) && (1..0x80).contains(&velocity))
            }
            MidiMessage::NoteOff { note, velocity, .. }
            | MidiMessage::PolyPressure {
                note,
                pressure: velocity,
                ..
            }
            | MidiMessage::ControlChange {
                controller: note,
                value: velocity,
                ..
            } => assert!(data_ok(note) && data_ok(velocity)),
            MidiMessage::ProgramChange { program: b, .. }
            | MidiMessage::ChannelPressure { pressure: b, .. } => assert!(data_ok(b)),
            MidiMessage::PitchBend { value, .. } => assert!((-8192..=8191).contains(&value)),
        }
        assert!((1..=16).contains(&message.channel().number()));
    }
}
