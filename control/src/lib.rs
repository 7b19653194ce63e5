//! The outside world turning knobs: OSC messages and MIDI bytes decoded into parameter,
//! tempo and transport updates, and the mapping from a Link session to the cycle clock.
