//! Lock-free tallies of what each source received and what became of it, for the status line.
//!
//! The source's thread bumps the counters (relaxed atomic adds: no lock, no allocation);
//! any thread may read them at any time with `snapshot()`. Every counter is exact, but a
//! snapshot reads them one after another, so one taken while messages arrive may count a
//! message as received and not yet as applied; the next one catches up. One ordering is
//! guaranteed: an OSC datagram is counted in `packets` only after all of its messages'
//! outcomes, so a snapshot showing N packets includes everything those N led to.
//!
//! For OSC every *message* (a bundle's messages counted one by one) ends in exactly one
//! outcome, so `received == applied + unknown_address + wrong_arg_count + wrong_type +
//! non_finite + out_of_range + unknown_name + dropped` once the listener is idle.
//! `malformed` counts *packets* that could not be decoded at all (so none of their
//! messages were received).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Delivery;

/// Why an OSC message was not handed to the session (or what the session answered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OscReject {
    /// The address is none of ours (`/param`, `/param/NAME`, `/ctrl`, `/tempo`, `/setcps`, `/hush`).
    UnknownAddress,
    /// The address is ours but takes a different number of arguments.
    WrongArgCount,
    /// An argument has the wrong OSC type (e.g. a string where a number belongs).
    WrongType,
    /// The value is NaN or infinite.
    NonFinite,
    /// The value is finite but meaningless (a tempo of zero or less).
    OutOfRange,
}

/// Counters for one OSC listener; shared (`Arc`) between its thread and the status line.
#[derive(Debug, Default)]
pub struct OscCounters {
    packets: AtomicU64,
    malformed: AtomicU64,
    received: AtomicU64,
    applied: AtomicU64,
    unknown_address: AtomicU64,
    wrong_arg_count: AtomicU64,
    wrong_type: AtomicU64,
    non_finite: AtomicU64,
    out_of_range: AtomicU64,
    unknown_name: AtomicU64,
    dropped: AtomicU64,
    socket_errors: AtomicU64,
}

/// A plain copy of [`OscCounters`] at one moment, for display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OscStats {
    /// Datagrams handled; each is counted after all its messages' outcomes, so a
    /// snapshot showing N packets includes everything those N packets led to.
    pub packets: u64,
    /// Datagrams that were not valid OSC (or nested bundles too deep); none of their
    /// messages count as received.
    pub malformed: u64,
    /// Messages decoded, a bundle's messages one by one.
    pub received: u64,
    /// Messages the session accepted.
    pub applied: u64,
    /// Messages to an address that is none of ours.
    pub unknown_address: u64,
    /// Messages with the wrong number of arguments for their address.
    pub wrong_arg_count: u64,
    /// Messages with an argument of the wrong type.
    pub wrong_type: u64,
    /// Messages whose value was NaN or infinite.
    pub non_finite: u64,
    /// Messages whose value was out of range (a tempo of zero or less).
    pub out_of_range: u64,
    /// Messages naming a parameter the running program does not have.
    pub unknown_name: u64,
    /// Messages the session could not take (its queue was full or closed).
    pub dropped: u64,
    /// Errors reading the socket itself (other than the listener's own wake-ups).
    pub socket_errors: u64,
}

impl OscStats {
    /// Messages received but not applied, for whatever reason.
    pub fn rejected(&self) -> u64 {
        self.received.saturating_sub(self.applied)
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn read(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

impl OscCounters {
    /// All zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one datagram as handled (call after counting its messages).
    pub fn record_packet(&self) {
        // Release pairs with the Acquire in `snapshot`: whoever reads this count also sees
        // the outcome counts bumped before it.
        self.packets.fetch_add(1, Ordering::Release);
    }

    /// Counts one datagram that was not valid OSC.
    pub fn record_malformed(&self) {
        bump(&self.malformed);
    }

    /// Counts one failed read of the socket.
    pub fn record_socket_error(&self) {
        bump(&self.socket_errors);
    }

    /// Counts one decoded message and the rejection it met before reaching the session.
    pub fn record_rejected(&self, why: OscReject) {
        bump(&self.received);
        bump(match why {
            OscReject::UnknownAddress => &self.unknown_address,
            OscReject::WrongArgCount => &self.wrong_arg_count,
            OscReject::WrongType => &self.wrong_type,
            OscReject::NonFinite => &self.non_finite,
            OscReject::OutOfRange => &self.out_of_range,
        });
    }

    /// Counts one decoded message that reached the session, with the session's answer.
    pub fn record_delivery(&self, delivery: Delivery) {
        bump(&self.received);
        bump(match delivery {
            Delivery::Applied => &self.applied,
            Delivery::UnknownName => &self.unknown_name,
            Delivery::Dropped => &self.dropped,
        });
    }

    /// Reads every counter (see the module docs on consistency).
    pub fn snapshot(&self) -> OscStats {
        OscStats {
            packets: self.packets.load(Ordering::Acquire),
            malformed: read(&self.malformed),
            received: read(&self.received),
            applied: read(&self.applied),
            unknown_address: read(&self.unknown_address),
            wrong_arg_count: read(&self.wrong_arg_count),
            wrong_type: read(&self.wrong_type),
            non_finite: read(&self.non_finite),
            out_of_range: read(&self.out_of_range),
            unknown_name: read(&self.unknown_name),
            dropped: read(&self.dropped),
            socket_errors: read(&self.socket_errors),
        }
    }
}

/// Writes `N kind` for each non-zero count, comma-separated; returns whether it wrote any.
fn write_nonzero(f: &mut fmt::Formatter<'_>, items: &[(u64, &str)]) -> Result<bool, fmt::Error> {
    let mut first = true;
    for &(n, what) in items.iter().filter(|(n, _)| *n > 0) {
        if !first {
            f.write_str(", ")?;
        }
        write!(f, "{n} {what}")?;
        first = false;
    }
    Ok(!first)
}

impl fmt::Display for OscStats {
    /// `osc 120 ok` when all is well, else `osc 118/120 ok (1 unknown name, 1 malformed)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.applied == self.received {
            write!(f, "osc {} ok", self.applied)?;
        } else {
            write!(f, "osc {}/{} ok", self.applied, self.received)?;
        }
        let problems = [
            (self.unknown_name, "unknown name"),
            (self.unknown_address, "unknown address"),
            (self.wrong_arg_count, "wrong arg count"),
            (self.wrong_type, "wrong type"),
            (self.non_finite, "non-finite"),
            (self.out_of_range, "out of range"),
            (self.dropped, "dropped"),
            (self.malformed, "malformed"),
            (self.socket_errors, "socket errors"),
        ];
        if problems.iter().any(|(n, _)| *n > 0) {
            f.write_str(" (")?;
            write_nonzero(f, &problems)?;
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// Counters for one MIDI input; shared (`Arc`) between its thread and the status line.
#[derive(Debug, Default)]
pub struct MidiCounters {
    messages: AtomicU64,
    other_channel: AtomicU64,
    updates: AtomicU64,
    applied: AtomicU64,
    unknown_name: AtomicU64,
    dropped: AtomicU64,
}

/// A plain copy of [`MidiCounters`] at one moment, for display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MidiStats {
    /// Complete channel messages parsed (realtime, sysex and system common not counted).
    pub messages: u64,
    /// Messages ignored because they came on a channel other than the one listened to.
    pub other_channel: u64,
    /// Parameter updates the messages turned into (a note-on is up to three).
    pub updates: u64,
    /// Updates the session accepted.
    pub applied: u64,
    /// Updates for names the running program does not use (a normal thing for MIDI: every
    /// knob sends its `ccN`, whether the program listens or not).
    pub unknown_name: u64,
    /// Updates the session could not take (its queue was full or closed).
    pub dropped: u64,
}

impl MidiCounters {
    /// All zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one complete channel message.
    pub fn record_message(&self) {
        bump(&self.messages);
    }

    /// Counts one message filtered out by the channel setting.
    pub fn record_other_channel(&self) {
        bump(&self.other_channel);
    }

    /// Counts one update and the session's answer to it.
    pub fn record_delivery(&self, delivery: Delivery) {
        bump(&self.updates);
        bump(match delivery {
            Delivery::Applied => &self.applied,
            Delivery::UnknownName => &self.unknown_name,
            Delivery::Dropped => &self.dropped,
        });
    }

    /// Reads every counter (see the module docs on consistency).
    pub fn snapshot(&self) -> MidiStats {
        MidiStats {
            messages: read(&self.messages),
            other_channel: read(&self.other_channel),
            updates: read(&self.updates),
            applied: read(&self.applied),
            unknown_name: read(&self.unknown_name),
            dropped: read(&self.dropped),
        }
    }
}

impl fmt::Display for MidiStats {
    /// `midi 42` or `midi 42 (3 dropped)`: unused names are normal for MIDI and not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "midi {}", self.messages)?;
        if self.dropped > 0 {
            write!(f, " ({} dropped)", self.dropped)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn each_outcome_lands_in_its_own_counter() {
        let c = OscCounters::new();
        c.record_packet();
        c.record_packet();
        c.record_malformed();
        c.record_delivery(Delivery::Applied);
        c.record_delivery(Delivery::Applied);
        c.record_delivery(Delivery::UnknownName);
        c.record_delivery(Delivery::Dropped);
        c.record_rejected(OscReject::UnknownAddress);
        c.record_rejected(OscReject::WrongArgCount);
        c.record_rejected(OscReject::WrongType);
        c.record_rejected(OscReject::NonFinite);
        c.record_rejected(OscReject::OutOfRange);
        c.record_socket_error();
        let s = c.snapshot();
        assert_eq!(
            s,
            OscStats {
                packets: 2,
                malformed: 1,
                received: 9,
                applied: 2,
                unknown_address: 1,
                wrong_arg_count: 1,
                wrong_type: 1,
                non_finite: 1,
                out_of_range: 1,
                unknown_name: 1,
                dropped: 1,
                socket_errors: 1,
            }
        );
        assert_eq!(s.rejected(), 7);
    }

    #[test]
    fn status_line_shows_only_what_went_wrong() {
        let clean = OscStats {
            received: 120,
            applied: 120,
            ..OscStats::default()
        };
        assert_eq!(clean.to_string(), "osc 120 ok");
        let rough = OscStats {
            received: 120,
            applied: 117,
            unknown_name: 2,
            non_finite: 1,
            malformed: 4,
            ..OscStats::default()
        };
        assert_eq!(
            rough.to_string(),
            "osc 117/120 ok (2 unknown name, 1 non-finite, 4 malformed)"
        );
        let midi = MidiStats {
            messages: 42,
            unknown_name: 30,
            ..MidiStats::default()
        };
        assert_eq!(midi.to_string(), "midi 42");
        let midi = MidiStats {
            messages: 42,
            dropped: 3,
            ..MidiStats::default()
        };
        assert_eq!(midi.to_string(), "midi 42 (3 dropped)");
    }

    #[test]
    fn midi_counts_messages_and_deliveries() {
        let c = MidiCounters::new();
        c.record_message();
        c.record_message();
        c.record_other_channel();
        c.record_delivery(Delivery::Applied);
        c.record_delivery(Delivery::UnknownName);
        c.record_delivery(Delivery::Dropped);
        assert_eq!(
            c.snapshot(),
            MidiStats {
                messages: 2,
                other_channel: 1,
                updates: 3,
                applied: 1,
                unknown_name: 1,
                dropped: 1,
            }
        );
    }

    #[test]
    fn counts_from_many_threads_add_up() {
        let c = Arc::new(OscCounters::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || {
                    for _ in 0..10_000 {
                        c.record_delivery(Delivery::Applied);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let s = c.snapshot();
        assert_eq!((s.received, s.applied), (40_000, 40_000));
    }
}
