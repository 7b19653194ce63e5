//! MIDI messages to named parameters: the names a program uses to play from a keyboard.

use super::notes::{HeldNotes, Voice};
use super::parse::{bend_to_unit, Channel, MidiMessage, MidiParser};
use crate::counters::MidiCounters;
use crate::{Sink, Update};

/// Parameter name: the note number of the key the voice plays (last-note priority).
pub const NOTE: &str = "midinote";
/// Parameter name: 1 while any key is held, else 0.
pub const GATE: &str = "midigate";
/// Parameter name: the velocity of that key, 0..1 (velocity / 127).
pub const VELOCITY: &str = "midivel";
/// Parameter name: the pitch wheel, −1..1, 0 at rest.
pub const BEND: &str = "midibend";

/// The parameter name for controller `number`: `cc0` … `cc119`.
pub fn cc_name(number: u8) -> String {
    format!("cc{number}")
}

/// The controller number of a `ccN` name (`cc74` → 74), the inverse of [`cc_name`];
/// `None` for any other name, a leading zero or a number above 119.
pub fn cc_number(name: &str) -> Option<u8> {
    let digits = name.strip_prefix("cc")?;
    let ok = matches!(digits.len(), 1..=3)
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !ok {
        return None;
    }
    digits.parse::<u8>().ok().filter(|n| *n <= 119)
}

/// Bytes in, parameter updates out: a parser, the held keys and an optional channel filter.
///
/// | message                         | updates                                            |
/// |---------------------------------|----------------------------------------------------|
/// | note on / off                   | `midinote`, `midivel`, `midigate`: those that changed |
/// | control change 0–119            | `ccN` = value / 127                                |
/// | CC 120, 123–127 (all notes off, all sound off, mode changes) | releases the channel's keys |
/// | pitch bend                      | `midibend`, −1..1                                  |
/// | program change, aftertouch, CC 121–122 | nothing                                     |
///
/// On a key going down, `midinote` and `midivel` come before `midigate`, so a session that
/// applies updates in order never opens the gate on the old pitch.
///
/// Runs on the MIDI input thread: updates carry owned names, so it allocates (the parser
/// underneath does not).
#[derive(Clone, Debug)]
pub struct MidiParams {
    parser: MidiParser,
    notes: HeldNotes,
    channel: Option<Channel>,
    /// The voice as last reported, to send only what changed.
    sent: Option<Voice>,
}

impl MidiParams {
    /// Listens to `channel` only, or to all channels (omni) with `None`.
    pub fn new(channel: Option<Channel>) -> Self {
        MidiParams {
            parser: MidiParser::new(),
            notes: HeldNotes::new(),
            channel,
            sent: None,
        }
    }

    /// The channel listened to (`None`: all).
    pub fn channel(&self) -> Option<Channel> {
        self.channel
    }

    /// Parses `bytes`, delivers every resulting update to `sink` and counts it all.
    pub fn feed(&mut self, bytes: &[u8], counters: &MidiCounters, sink: &mut dyn Sink) {
        for &byte in bytes {
            let Some(message) = self.parser.push(byte) else {
                continue;
            };
            counters.record_message();
            let heard = self.handle(message, &mut |update| {
                counters.record_delivery(sink.deliver(update));
            });
            if !heard {
                counters.record_other_channel();
            }
        }
    }

    /// Turns one message into updates; returns `false` if its channel is filtered out.
    pub fn handle(&mut self, message: MidiMessage, emit: &mut dyn FnMut(Update)) -> bool {
        let channel = message.channel();
        if self.channel.is_some_and(|wanted| wanted != channel) {
            return false;
        }
        match message {
            MidiMessage::NoteOn { note, velocity, .. } => {
                self.notes.note_on(channel, note, velocity);
                self.report_voice(emit);
            }
            MidiMessage::NoteOff { note, .. } => {
                self.notes.note_off(channel, note);
                self.report_voice(emit);
            }
            MidiMessage::ControlChange {
                controller, value, ..
            } => match controller {
                0..=119 => emit(param(cc_name(controller), f64::from(value) / 127.0)),
                // All sound off, all notes off, omni off/on, mono, poly: each ends every note.
                120 | 123..=127 => {
                    self.notes.release_channel(channel);
                    self.report_voice(emit);
                }
                // Reset all controllers, local control: nothing a parameter can mirror.
                _ => {}
            },
            MidiMessage::PitchBend { value, .. } => emit(param(BEND.into(), bend_to_unit(value))),
            MidiMessage::ProgramChange { .. }
            | MidiMessage::PolyPressure { .. }
            | MidiMessage::ChannelPressure { .. } => {}
        }
        true
    }

    /// Emits the voice's fields that changed since the last report.
    fn report_voice(&mut self, emit: &mut dyn FnMut(Update)) {
        let Some(now) = self.notes.voice() else {
            return;
        };
        let before = self.sent.replace(now).map(|voice| voice_params(&voice));
        for (i, (name, value)) in voice_params(&now).into_iter().enumerate() {
            if before.is_none_or(|old| old[i].1 != value) {
                emit(param(name.into(), value));
            }
        }
    }
}

/// A voice as its three parameters, in the order they are sent (the gate last).
fn voice_params(voice: &Voice) -> [(&'static str, f64); 3] {
    [
        (NOTE, f64::from(voice.note)),
        (VELOCITY, f64::from(voice.velocity) / 127.0),
        (GATE, if voice.gate { 1.0 } else { 0.0 }),
    ]
}

fn param(name: String, value: f64) -> Update {
    Update::Param { name, value }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Delivery;

    fn run(params: &mut MidiParams, bytes: &[u8]) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        let counters = MidiCounters::new();
        let mut sink = |u: Update| {
            match u {
                Update::Param { name, value } => out.push((name, value)),
                other => panic!("MIDI made {other:?}"),
            }
            Delivery::Applied
        };
        params.feed(bytes, &counters, &mut sink);
        out
    }

    fn p(name: &str, value: f64) -> (String, f64) {
        (name.to_string(), value)
    }

    #[test]
    fn a_note_sets_pitch_and_velocity_before_the_gate() {
        let mut m = MidiParams::new(None);
        assert_eq!(
            run(&mut m, &[0x90, 60, 127]),
            vec![p(NOTE, 60.0), p(VELOCITY, 1.0), p(GATE, 1.0)]
        );
        assert_eq!(run(&mut m, &[0x80, 60, 0]), vec![p(GATE, 0.0)]);
        // The same key again: only the gate changed.
        assert_eq!(run(&mut m, &[0x90, 60, 127]), vec![p(GATE, 1.0)]);
    }

    #[test]
    fn legato_changes_pitch_without_touching_the_gate() {
        let mut m = MidiParams::new(None);
        run(&mut m, &[0x90, 60, 100]);
        assert_eq!(
            run(&mut m, &[0x90, 67, 50]),
            vec![p(NOTE, 67.0), p(VELOCITY, 50.0 / 127.0)]
        );
        // Release the top note: back to 60 at its own velocity, gate still open.
        assert_eq!(
            run(&mut m, &[0x90, 67, 0]),
            vec![p(NOTE, 60.0), p(VELOCITY, 100.0 / 127.0)]
        );
        assert_eq!(run(&mut m, &[0x80, 60, 64]), vec![p(GATE, 0.0)]);
    }

    #[test]
    fn controllers_become_cc_n_from_zero_to_one() {
        let mut m = MidiParams::new(None);
        assert_eq!(
            run(&mut m, &[0xB0, 74, 127, 74, 0, 1, 64]),
            vec![p("cc74", 1.0), p("cc74", 0.0), p("cc1", 64.0 / 127.0)]
        );
        assert_eq!(run(&mut m, &[0xB0, 119, 1]), vec![p("cc119", 1.0 / 127.0)]);
        // Reset all controllers and local control mirror nothing.
        assert_eq!(run(&mut m, &[0xB0, 121, 0, 122, 127]), vec![]);
    }

    #[test]
    fn cc_names_read_back_as_numbers() {
        for n in 0..=119u8 {
            assert_eq!(cc_number(&cc_name(n)), Some(n));
        }
        for bad in [
            "cc", "cc120", "cc074", "cc-1", "c74", "cc7a", "cutoff", "cc1000",
        ] {
            assert_eq!(cc_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn all_notes_off_closes_the_gate() {
        for mode in [120, 123, 124, 125, 126, 127] {
            let mut m = MidiParams::new(None);
            run(&mut m, &[0x90, 60, 100, 62, 100]);
            assert_eq!(
                run(&mut m, &[0xB0, mode, 0]),
                vec![p(GATE, 0.0)],
                "CC {mode}"
            );
        }
    }

    #[test]
    fn pitch_bend_in_unit_range() {
        let mut m = MidiParams::new(None);
        assert_eq!(
            run(&mut m, &[0xE0, 0, 0x40, 0, 0, 0x7F, 0x7F]),
            vec![p(BEND, 0.0), p(BEND, -1.0), p(BEND, 1.0)]
        );
    }

    #[test]
    fn other_messages_make_nothing() {
        let mut m = MidiParams::new(None);
        assert_eq!(run(&mut m, &[0xC0, 5, 0xD0, 9, 0xA0, 60, 9]), vec![]);
        // A note-off for a key never pressed says nothing: there is no voice yet.
        assert_eq!(run(&mut m, &[0x80, 60, 0]), vec![]);
    }

    #[test]
    fn a_channel_filter_ignores_and_counts_the_rest() {
        let ch = |n| Channel::from_number(n).unwrap();
        let mut m = MidiParams::new(Some(ch(2)));
        assert_eq!(m.channel(), Some(ch(2)));
        let counters = MidiCounters::new();
        let mut got = Vec::new();
        let mut sink = |u: Update| {
            got.push(u);
            Delivery::UnknownName
        };
        // Channel 1 note, channel 2 CC, channel 3 note-off, realtime clock bytes between.
        m.feed(
            &[0x90, 60, 100, 0xF8, 0xB1, 7, 127, 0xF8, 0x82, 60, 0],
            &counters,
            &mut sink,
        );
        assert_eq!(
            got,
            vec![Update::Param {
                name: "cc7".into(),
                value: 1.0
            }]
        );
        let s = counters.snapshot();
        assert_eq!(
            (s.messages, s.other_channel, s.updates, s.unknown_name),
            (3, 2, 1, 1)
        );
    }

    #[test]
    fn omni_merges_channels_into_one_voice() {
        let mut m = MidiParams::new(None);
        run(&mut m, &[0x90, 60, 100, 0x93, 64, 100]);
        assert_eq!(run(&mut m, &[0x83, 64, 0]), vec![p(NOTE, 60.0)]);
    }
}
