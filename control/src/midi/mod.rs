//! MIDI in: a keyboard and knobs as named parameters.
//!
//! Bytes go through three small pieces, each usable alone:
//!
//! 1. [`MidiParser`] turns bytes into [`MidiMessage`]s (running status, realtime bytes
//!    anywhere, sysex skipped; allocation-free, never panics).
//! 2. [`HeldNotes`] tracks held keys with last-note priority and says which one a
//!    monophonic [`Voice`] plays.
//! 3. [`MidiParams`] turns messages into [`Update::Param`]s with these names:
//!
//! | name                 | value                                                        |
//! |----------------------|--------------------------------------------------------------|
//! | `midinote`           | MIDI note number of the key played (last-note priority)      |
//! | `midigate`           | 1 while any key is held, else 0                              |
//! | `midivel`            | that key's velocity, 0..1                                    |
//! | `midibend`           | pitch wheel, −1..1, 0 at rest                                |
//! | `cc0` … `cc119`      | controller N's value, 0..1 (value / 127)                     |
//!
//! So a program can say, for example (the `param` spelling is the language's):
//!
//! ```text
//! ~pitch: mtof (param "midinote" 60)
//! out: saw ~pitch # lpf (param "cc74" 0.5 * 4000 + 200) 0.7 * param "midigate" 0
//! ```
//!
//! [`MidiInput::open`] connects a port (`--midi` in the CLI: no name takes the first input
//! port, a name takes the first port whose name contains it) and runs all of the above on
//! midir's input thread. With no MIDI service (no ALSA sequencer: containers, CI), no
//! ports or no match, it returns a [`MidiError`] for the caller to show as a warning.
//!
//! Not handled: 14-bit controllers (MSB/LSB pairs arrive as two separate `ccN`), NRPN/RPN,
//! sustain-pedal semantics (CC 64 is just `cc64`), MIDI 2.0.

mod notes;
mod params;
mod parse;
mod port;

pub use notes::{HeldNotes, Voice};
pub use params::{cc_name, cc_number, MidiParams, BEND, GATE, NOTE, VELOCITY};
pub use parse::{bend_to_unit, BadChannel, Channel, MidiMessage, MidiParser};
pub use port::{choose_port, list_input_ports, MidiError, MidiInput};

#[cfg(doc)]
use crate::Update;
