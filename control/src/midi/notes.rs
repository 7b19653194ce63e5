//! Last-note priority: which held key a monophonic voice plays.
//!
//! Keys are kept in the order they went down. The voice plays the most recent one still
//! held; releasing it falls back to the most recent of the others, at that key's own
//! velocity (the way a mono synth trills between two held keys). With no key held the
//! gate closes, and the voice keeps the note and velocity it had, so a release tail
//! (an envelope closing after the gate) stays on pitch.

use super::parse::Channel;

/// What a monophonic voice plays now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voice {
    /// The note number sounding (or last sounding, once the gate is closed).
    pub note: u8,
    /// Its strike velocity, 1–127.
    pub velocity: u8,
    /// Whether any key is held.
    pub gate: bool,
}

/// One held key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Held {
    channel: Channel,
    note: u8,
    velocity: u8,
}

/// The keys held right now, in the order they went down.
#[derive(Clone, Debug, Default)]
pub struct HeldNotes {
    /// Oldest first; each (channel, note) at most once.
    held: Vec<Held>,
    /// The note the voice played last, kept for after the release.
    last: Option<(u8, u8)>,
}

impl HeldNotes {
    /// No keys held, no note played yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A key went down. A key already held (a repeated note-on) moves to the top with its
    /// new velocity.
    pub fn note_on(&mut self, channel: Channel, note: u8, velocity: u8) {
        self.remove(channel, note);
        self.held.push(Held {
            channel,
            note,
            velocity,
        });
        self.last = Some((note, velocity));
    }

    /// A key came up; a key that was not held changes nothing.
    pub fn note_off(&mut self, channel: Channel, note: u8) {
        self.remove(channel, note);
        if let Some(top) = self.held.last() {
            self.last = Some((top.note, top.velocity));
        }
    }

    /// Releases every key on `channel` (MIDI "all notes off" and friends).
    pub fn release_channel(&mut self, channel: Channel) {
        self.held.retain(|h| h.channel != channel);
        if let Some(top) = self.held.last() {
            self.last = Some((top.note, top.velocity));
        }
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// What the voice plays, or `None` before the first note ever.
    pub fn voice(&self) -> Option<Voice> {
        self.last.map(|(note, velocity)| Voice {
            note,
            velocity,
            gate: !self.held.is_empty(),
        })
    }

    fn remove(&mut self, channel: Channel, note: u8) {
        self.held
            .retain(|h| !(h.channel == channel && h.note == note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(n: u8) -> Channel {
        Channel::from_number(n).unwrap()
    }

    fn voice(note: u8, velocity: u8, gate: bool) -> Option<Voice> {
        Some(Voice {
            note,
            velocity,
            gate,
        })
    }

    #[test]
    fn nothing_before_the_first_note() {
        let notes = HeldNotes::new();
        assert_eq!(notes.voice(), None);
        assert!(notes.is_empty());
    }

    #[test]
    fn one_key_opens_and_closes_the_gate_and_keeps_its_pitch() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        assert_eq!(notes.voice(), voice(60, 100, true));
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), voice(60, 100, false));
    }

    #[test]
    fn releasing_the_top_note_falls_back_to_the_previous_held_one() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        notes.note_on(ch(1), 64, 80);
        notes.note_on(ch(1), 67, 60);
        assert_eq!(notes.voice(), voice(67, 60, true));
        notes.note_off(ch(1), 67);
        assert_eq!(notes.voice(), voice(64, 80, true));
        notes.note_off(ch(1), 64);
        assert_eq!(notes.voice(), voice(60, 100, true));
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), voice(60, 100, false));
    }

    #[test]
    fn releasing_a_lower_note_keeps_the_top_one() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        notes.note_on(ch(1), 64, 80);
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), voice(64, 80, true));
        // ...and the released one is not fallen back to later.
        notes.note_on(ch(1), 67, 70);
        notes.note_off(ch(1), 67);
        assert_eq!(notes.voice(), voice(64, 80, true));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn a_repeated_key_moves_to_the_top_with_its_new_velocity() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        notes.note_on(ch(1), 64, 80);
        notes.note_on(ch(1), 60, 30);
        assert_eq!(notes.voice(), voice(60, 30, true));
        assert_eq!(notes.len(), 2);
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), voice(64, 80, true));
    }

    #[test]
    fn a_stray_note_off_changes_nothing() {
        let mut notes = HeldNotes::new();
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), None);
        notes.note_on(ch(1), 60, 100);
        notes.note_off(ch(1), 61);
        notes.note_off(ch(2), 60);
        assert_eq!(notes.voice(), voice(60, 100, true));
    }

    #[test]
    fn the_same_key_on_two_channels_is_two_keys() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        notes.note_on(ch(2), 60, 50);
        notes.note_off(ch(2), 60);
        assert_eq!(notes.voice(), voice(60, 100, true));
        notes.note_off(ch(1), 60);
        assert_eq!(notes.voice(), voice(60, 100, false));
    }

    #[test]
    fn all_notes_off_releases_one_channel() {
        let mut notes = HeldNotes::new();
        notes.note_on(ch(1), 60, 100);
        notes.note_on(ch(2), 62, 90);
        notes.note_on(ch(2), 64, 80);
        notes.release_channel(ch(2));
        assert_eq!(notes.voice(), voice(60, 100, true));
        notes.release_channel(ch(1));
        assert_eq!(notes.voice(), voice(60, 100, false));
    }
}
