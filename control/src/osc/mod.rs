//! OSC in: named parameters, tempo and hush over UDP.
//!
//! # Addresses
//!
//! | address             | arguments                           | becomes                        |
//! |---------------------|-------------------------------------|--------------------------------|
//! | `/param`            | `NAME` (`s`), `VALUE`               | [`Update::Param`]              |
//! | `/param/NAME`       | `VALUE`                             | [`Update::Param`]              |
//! | `/ctrl`             | `NAME` (`s`) or `N` (`i`), `VALUE`  | [`Update::Param`] (`N` → `ccN`)|
//! | `/tempo`, `/setcps` | `CPS`                               | [`Update::Tempo`]              |
//! | `/param/reset`      | `NAME` (`s`)                        | [`Update::ResetParam`]         |
//! | `/hush`             | none                                | [`Update::Hush`]               |
//!
//! `VALUE` and `CPS` may be any OSC number: `f` (float32), `d` (float64), `i` (int32) or
//! `h` (int64). Names must be sent as `s` (string); the rarely used `S` (symbol) type is not
//! decoded, and a packet using it counts as malformed. Addresses match literally (no OSC
//! wildcards). A bundle's messages are applied in order, at once: time tags are ignored.
//!
//! `/ctrl` is what Tidal Cycles listens for (on its port 6010): Tidal accepts a string or
//! int32 key and a float32, int32 or string value. Here a string value is a wrong type
//! (a signal cannot hold a string), and an integer key `N` names the parameter `ccN`
//! (Tidal's own name would be the digits, `"74"`, which is not a kanon identifier; `ccN`
//! is also what MIDI controller `N` is called, so a MIDI-to-OSC bridge such as Tidal's
//! `pd/midi-osc-bridge.pd`, which sends `/ctrl i f`, lands on the same names as
//! `--midi`). `/setcps` is Tidal's tempo message, accepted as an alias of `/tempo`.
//!
//! # Sending from a shell or from Python
//!
//! With liblo's `oscsend` (`oscsend HOST PORT ADDRESS TYPES VALUES...`):
//!
//! ```text
//! oscsend localhost 7770 /param sf cutoff 500
//! oscsend localhost 7770 /param/cutoff f 500
//! oscsend localhost 7770 /tempo f 0.75
//! oscsend localhost 7770 /hush
//! ```
//!
//! With `python-osc` (`pip install python-osc`):
//!
//! ```text
//! from pythonosc.udp_client import SimpleUDPClient
//! osc = SimpleUDPClient("127.0.0.1", 7770)
//! osc.send_message("/param", ["cutoff", 500.0])
//! ```
//!
//! # What is never applied
//!
//! Nothing from a packet that is not valid OSC, or whose bundles nest deeper than
//! [`MAX_BUNDLE_DEPTH`]; no message to another address, with the wrong number of
//! arguments, with a wrong type, or with a NaN or infinite value; no tempo of zero or
//! less. Each is counted by kind in [`OscCounters`](crate::OscCounters) and the listener
//! carries on: no input can crash it. UDP itself may drop datagrams when a sender bursts
//! faster than the listener reads (the kernel's receive buffer holds a few hundred).
//!
//! # Threads
//!
//! [`OscListener::spawn`] binds the socket on the caller's thread (so a busy port is an
//! error right there) and reads on its own thread, `kanon-osc`, which also runs the sink.
//! Dropping the listener stops and joins that thread.

mod decode;
mod listener;

pub use decode::{decode_message, decode_packet, dispatch_packet, Malformed, MAX_BUNDLE_DEPTH};
pub use listener::{ListenError, OscListener};

#[cfg(doc)]
use crate::Update;
