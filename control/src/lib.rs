//! The outside world turning knobs: OSC messages and MIDI bytes decoded into parameter,
//! tempo and transport updates, and the mapping from a Link session to the cycle clock.
//!
//! This crate knows nothing of programs or engines. Each source decodes its input into
//! plain [`Update`]s and hands them to a [`Sink`] that the session supplies; the sink
//! answers with a [`Delivery`] (applied, unknown name, dropped) and the source counts
//! every outcome in lock-free counters the status line can read at any time.
//!
//! | source                | thread                         | gives                         |
//! |-----------------------|--------------------------------|-------------------------------|
//! | [`OscListener`]       | its own, `kanon-osc`           | params, tempo, hush           |
//! | [`midi::MidiInput`]   | midir's input thread           | `midinote`, `midigate`, `midivel`, `midibend`, `ccN` |
//! | [`link`]              | the audio thread (per block)   | cycle position and cps        |
//!
//! Wiring, in short:
//!
//! ```no_run
//! use kanon_control::{Delivery, OscListener, Update, DEFAULT_OSC_ADDR};
//!
//! let addr = DEFAULT_OSC_ADDR; // 127.0.0.1:7770
//! let listener = OscListener::spawn(addr, |update: Update| {
//!     // Look the name up in the running program, push to the engine's queue...
//!     println!("{update:?}");
//!     Delivery::Applied
//! });
//! match listener {
//!     Ok(listener) => println!("OSC on {}: {}", listener.local_addr(), listener.stats()),
//!     Err(e) => eprintln!("warning: {e}"), // the music plays on without OSC
//! }
//! ```

#![warn(missing_docs)]

mod addr;
mod counters;
pub mod link;
pub mod midi;
pub mod osc;
mod update;

pub use addr::{DEFAULT_OSC_ADDR, DEFAULT_OSC_PORT};
pub use counters::{MidiCounters, MidiStats, OscCounters, OscReject, OscStats};
pub use osc::{ListenError, OscListener};
pub use update::{Delivery, Sink, Update};
