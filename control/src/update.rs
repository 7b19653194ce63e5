//! What the outside world asks for, and what the session answers.
//!
//! Every source in this crate (OSC, MIDI) turns its input into [`Update`]s and hands each
//! one to a [`Sink`]: the session's side of the bargain. The sink answers with a
//! [`Delivery`], so the source can count, per kind, what happened to every update without
//! knowing anything about programs or engines: only the session knows which parameter names
//! the running program declares, and whether its queue to the audio thread had room.

use std::sync::mpsc;

/// One decoded request from a control source, ready for the session to apply.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// Set the live parameter `name` (a `param "name" default` in the program) to `value`.
    ///
    /// `value` is always finite: sources never deliver NaN or infinities.
    Param {
        /// The parameter's name, as the program spells it (`cutoff`, `midinote`, `cc74`).
        name: String,
        /// The new value.
        value: f64,
    },
    /// Forget the value set from outside for parameter `name`: the program's default
    /// applies again (`/param/reset NAME`).
    ResetParam {
        /// The parameter's name.
        name: String,
    },
    /// Set the tempo to `cps` cycles per second (always finite and greater than zero).
    Tempo {
        /// Cycles per second.
        cps: f64,
    },
    /// Silence everything now (Tidal's `hush`); what silence means is the session's call.
    Hush,
}

/// The session's answer to one [`Update`], which the source counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Accepted: queued for (or applied to) the engine.
    Applied,
    /// The running program has no parameter of that name; nothing changed.
    UnknownName,
    /// Not applied because the way to the engine was full or closed.
    Dropped,
}

/// Where a source delivers its updates; called on the source's own thread.
///
/// Listeners need it `Send + 'static` (it moves into their thread); the pure decoding
/// functions take any sink, borrowed ones included.
///
/// Implemented for closures `FnMut(Update) -> Delivery` (the usual way: look the name up,
/// push to the engine's queue, answer) and for both kinds of `std::sync::mpsc` senders
/// (which cannot know names, so they answer [`Delivery::Applied`] for everything they
/// accept).
pub trait Sink {
    /// Takes one update and says what became of it.
    fn deliver(&mut self, update: Update) -> Delivery;
}

impl<F> Sink for F
where
    F: FnMut(Update) -> Delivery,
{
    fn deliver(&mut self, update: Update) -> Delivery {
        self(update)
    }
}

impl Sink for mpsc::Sender<Update> {
    fn deliver(&mut self, update: Update) -> Delivery {
        match self.send(update) {
            Ok(()) => Delivery::Applied,
            Err(_) => Delivery::Dropped,
        }
    }
}

impl Sink for mpsc::SyncSender<Update> {
    /// Never blocks: a full channel drops the update (and says so) rather than stall the
    /// source's thread, so a stalled session cannot back up the socket.
    fn deliver(&mut self, update: Update) -> Delivery {
        match self.try_send(update) {
            Ok(()) => Delivery::Applied,
            Err(_) => Delivery::Dropped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(value: f64) -> Update {
        Update::Param {
            name: "cutoff".into(),
            value,
        }
    }

    #[test]
    fn a_closure_is_a_sink_and_its_answer_passes_through() {
        let mut seen = Vec::new();
        let mut sink = |u: Update| {
            seen.push(u);
            Delivery::UnknownName
        };
        assert_eq!(sink.deliver(param(1.0)), Delivery::UnknownName);
        assert_eq!(seen, vec![param(1.0)]);
    }

    #[test]
    fn a_sender_applies_until_its_receiver_is_gone() {
        let (mut tx, rx) = mpsc::channel();
        assert_eq!(tx.deliver(param(2.0)), Delivery::Applied);
        assert_eq!(rx.recv().unwrap(), param(2.0));
        drop(rx);
        assert_eq!(tx.deliver(param(3.0)), Delivery::Dropped);
    }

    #[test]
    fn a_full_sync_sender_drops_instead_of_blocking() {
        let (mut tx, rx) = mpsc::sync_channel(1);
        assert_eq!(tx.deliver(Update::Hush), Delivery::Applied);
        assert_eq!(tx.deliver(Update::Tempo { cps: 1.0 }), Delivery::Dropped);
        assert_eq!(rx.try_recv().unwrap(), Update::Hush);
        assert!(rx.try_recv().is_err());
    }
}
