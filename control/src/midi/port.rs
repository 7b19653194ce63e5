//! Opening a MIDI input port with `midir` (ALSA sequencer on Linux, CoreMIDI, WinMM).

use std::fmt;
use std::sync::Arc;

use midir::{Ignore, MidiInput as MidirInput, MidiInputConnection};

use super::params::MidiParams;
use crate::counters::{MidiCounters, MidiStats};
use crate::Sink;

/// The client name other MIDI software shows for us.
const CLIENT_NAME: &str = "kanonc";

/// Why MIDI input could not start; the caller turns it into a warning and plays on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MidiError {
    /// The system's MIDI service could not be opened (on Linux: no ALSA sequencer,
    /// e.g. no `/dev/snd/seq` in a container or the `snd-seq` module not loaded).
    Unavailable(String),
    /// MIDI works but no input port exists (no device plugged in).
    NoPorts,
    /// No input port's name contains the text asked for.
    NoMatch {
        /// What was asked for.
        wanted: String,
        /// The input ports there are.
        available: Vec<String>,
    },
    /// The port was found but could not be connected (e.g. unplugged meanwhile).
    Connect(String),
}

impl fmt::Display for MidiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MidiError::Unavailable(why) => {
                write!(f, "MIDI is not available here ({why}); MIDI input is off")
            }
            MidiError::NoPorts => write!(f, "no MIDI input ports; MIDI input is off"),
            MidiError::NoMatch { wanted, available } => write!(
                f,
                "no MIDI input port matches `{wanted}` (there are: {}); MIDI input is off",
                available.join(", ")
            ),
            MidiError::Connect(why) => {
                write!(f, "cannot connect the MIDI input: {why}; MIDI input is off")
            }
        }
    }
}

impl std::error::Error for MidiError {}

/// The names of the MIDI input ports there are now, in system order.
pub fn list_input_ports() -> Result<Vec<String>, MidiError> {
    let input = open_client()?;
    Ok(port_names(&input))
}

/// Which port `wanted` picks from `names`: the first, or the first whose name contains
/// `wanted` (case-insensitive). Returns its index.
pub fn choose_port(names: &[String], wanted: Option<&str>) -> Result<usize, MidiError> {
    if names.is_empty() {
        return Err(MidiError::NoPorts);
    }
    let Some(wanted) = wanted else {
        return Ok(0);
    };
    let needle = wanted.to_lowercase();
    names
        .iter()
        .position(|name| name.to_lowercase().contains(&needle))
        .ok_or_else(|| MidiError::NoMatch {
            wanted: wanted.to_string(),
            available: names.to_vec(),
        })
}

/// An open MIDI input; the port closes when this is dropped.
pub struct MidiInput {
    // Kept only to keep the connection (and midir's thread) alive.
    _connection: MidiInputConnection<()>,
    port_name: String,
    counters: Arc<MidiCounters>,
}

impl MidiInput {
    /// Opens the first input port (`port: None`) or the first whose name contains `port`,
    /// and feeds everything it receives through `params` into `sink`.
    ///
    /// The sink runs on midir's input thread, once per update, in arrival order.
    pub fn open<S: Sink + Send + 'static>(
        port: Option<&str>,
        mut params: MidiParams,
        mut sink: S,
    ) -> Result<MidiInput, MidiError> {
        let input = open_client()?;
        let names = port_names(&input);
        let index = choose_port(&names, port)?;
        let ports = input.ports();
        let chosen = ports
            .get(index)
            .ok_or_else(|| MidiError::Connect("the port list changed while opening".into()))?;
        let counters = Arc::new(MidiCounters::new());
        let callback_counters = Arc::clone(&counters);
        let connection = input
            .connect(
                chosen,
                "kanonc-in",
                move |_micros, bytes, _| params.feed(bytes, &callback_counters, &mut sink),
                (),
            )
            .map_err(|e| MidiError::Connect(e.to_string()))?;
        Ok(MidiInput {
            _connection: connection,
            port_name: names[index].clone(),
            counters,
        })
    }

    /// The name of the port that was opened.
    pub fn port_name(&self) -> &str {
        &self.port_name
    }

    /// The live counters, to hand to whatever draws the status line.
    pub fn counters(&self) -> Arc<MidiCounters> {
        Arc::clone(&self.counters)
    }

    /// The counters as they are now.
    pub fn stats(&self) -> MidiStats {
        self.counters.snapshot()
    }
}

fn open_client() -> Result<MidirInput, MidiError> {
    let mut input =
        MidirInput::new(CLIENT_NAME).map_err(|e| MidiError::Unavailable(e.to_string()))?;
    // Sysex, clock and active sensing are skipped by our parser anyway; not asking for
    // them spares a callback per clock tick (24 per beat).
    input.ignore(Ignore::All);
    Ok(input)
}

fn port_names(input: &MidirInput) -> Vec<String> {
    input
        .ports()
        .iter()
        .map(|port| {
            input
                .port_name(port)
                .unwrap_or_else(|_| "(unnamed port)".into())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_name_picks_the_first_port() {
        let ports = names(&["Midi Through:0", "nanoKONTROL2:0"]);
        assert_eq!(choose_port(&ports, None), Ok(0));
    }

    #[test]
    fn a_name_picks_the_first_port_containing_it_ignoring_case() {
        let ports = names(&["Midi Through:0", "nanoKONTROL2:0", "nanoKEY2:0"]);
        assert_eq!(choose_port(&ports, Some("nano")), Ok(1));
        assert_eq!(choose_port(&ports, Some("KEY")), Ok(2));
        assert_eq!(choose_port(&ports, Some("through")), Ok(0));
    }

    #[test]
    fn no_ports_or_no_match_is_an_error_that_lists_the_ports() {
        assert_eq!(choose_port(&[], None), Err(MidiError::NoPorts));
        assert_eq!(choose_port(&[], Some("x")), Err(MidiError::NoPorts));
        let ports = names(&["Midi Through:0"]);
        let err = choose_port(&ports, Some("launchpad")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no MIDI input port matches `launchpad` (there are: Midi Through:0); MIDI input is off"
        );
    }

    /// On any machine: a port name nothing has is an error value, never a panic, whether
    /// MIDI is missing (containers, CI: no ALSA sequencer), has no ports, or has others.
    #[test]
    fn opening_a_port_that_does_not_exist_is_an_error() {
        let result = MidiInput::open(
            Some("kanonc-test: no port is called this 7f3a"),
            MidiParams::new(None),
            |_| crate::Delivery::Applied,
        );
        match result {
            Err(MidiError::Unavailable(_) | MidiError::NoPorts | MidiError::NoMatch { .. }) => {}
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(input) => panic!("opened {}", input.port_name()),
        }
    }

    #[test]
    fn listing_ports_never_panics() {
        match list_input_ports() {
            Ok(_) | Err(MidiError::Unavailable(_)) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
}
