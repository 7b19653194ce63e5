//! State keys: the names by which state is matched across recompiles.
//!
//! Every piece of state (a cell or a delay buffer) has a [`Key`]: the [`Path`] of the
//! stateful call site that owns it, and a [`Slot`] naming the piece within that site.
//! This file is the only place where keys are built, printed and parsed.
//!
//! ```text
//! ~bass/lpf#0.y1              bus ~bass, first `lpf` call in its definition, slot y1
//! ~pad/voice#1/saw#0.phase    user function `voice`, second call site, then its `saw`
//! ~bank/sum#0[7]/sine#0.phase iteration 7 of the first `sum`
//! ~st/lpf#0@1.y1              channel 1 of a multichannel expansion of that call
//! o2/noise#0.seed             channel output o2
//! ~x'                         the history cell of bus ~x (its previous sample)
//! ```
//!
//! A call site's number is its index among the calls of the same name in the same
//! definition (or function body), counted left to right in the text; see
//! `lower::sites`. Keys compare and hash by their printed text, which is canonical.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Where a definition's state hangs: a bus or an output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// `~name`.
    Bus(String),
    /// `out` or `oN`.
    Output(String),
    /// The `tempo:` definition (a constant: no state of its own, but a place for keys
    /// while it is lowered).
    Tempo,
}

/// One step from a root down to a call site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The `index`-th call of `name` (a builtin or a user function); `channel` > 0 for
    /// the further channels of a multichannel expansion.
    Call {
        name: String,
        index: usize,
        channel: usize,
    },
    /// Iteration `i` of the `index`-th `sum`.
    Sum { index: usize, i: i64 },
}

/// The path of a call site: a root and the steps to it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    root: Root,
    steps: Vec<Step>,
}

/// Which piece of a call site's state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// A named slot such as `phase`, `y1`, `buf`.
    Named(String),
    /// A bus's previous sample (only directly under a bus root).
    History,
}

/// A state key: a path and a slot, with its canonical text. Shared, because a key is
/// copied into the layout and the migration tables of every program that holds it.
#[derive(Clone, Debug)]
pub struct Key(Arc<KeyData>);

#[derive(Debug)]
struct KeyData {
    path: Path,
    slot: Slot,
    text: String,
}

impl Path {
    /// The path of a definition: a bus or an output, with no steps yet.
    pub fn root(root: Root) -> Path {
        Path {
            root,
            steps: Vec::new(),
        }
    }

    /// This path extended by one step.
    pub fn then(&self, step: Step) -> Path {
        // Room for the new step up front: a clone has no spare capacity to push into.
        let mut steps = Vec::with_capacity(self.steps.len() + 1);
        steps.extend(self.steps.iter().cloned());
        steps.push(step);
        Path {
            root: self.root.clone(),
            steps,
        }
    }

    /// This path extended by the `index`-th call of `name`, channel `channel`.
    pub fn call(&self, name: &str, index: usize, channel: usize) -> Path {
        self.then(Step::Call {
            name: name.to_string(),
            index,
            channel,
        })
    }

    /// The definition this path starts from.
    pub fn root_of(&self) -> &Root {
        &self.root
    }

    /// The steps below the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

impl Key {
    /// The key of slot `slot` of the call site at `path`.
    pub fn new(path: &Path, slot: &str) -> Key {
        Key::make(path.clone(), Slot::Named(slot.to_string()))
    }

    /// The key of a bus's history cell: `~name'`.
    pub fn history(bus: &str) -> Key {
        Key::make(Path::root(Root::Bus(bus.to_string())), Slot::History)
    }

    fn make(path: Path, slot: Slot) -> Key {
        let text = format!("{path}{slot}");
        Key(Arc::new(KeyData { path, slot, text }))
    }

    /// The call site that owns the state.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// Which piece of that call site's state.
    pub fn slot(&self) -> &Slot {
        &self.0.slot
    }

    /// The printed key, e.g. `~bass/lpf#0.y1`.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// Reads a key back from its printed form.
    pub fn parse(text: &str) -> Result<Key, String> {
        let bad = |why: &str| format!("`{text}` is not a state key: {why}");
        let (body, slot) = if let Some(b) = text.strip_suffix('\'') {
            (b, Slot::History)
        } else {
            let dot = text.rfind('.').ok_or_else(|| bad("no `.slot`"))?;
            let slot = &text[dot + 1..];
            if !is_word(slot) {
                return Err(bad("the slot is not a word"));
            }
            (&text[..dot], Slot::Named(slot.to_string()))
        };
        let mut parts = body.split('/');
        let first = parts.next().unwrap_or_default();
        let root = match first.strip_prefix('~') {
            Some(b) if is_word(b) => Root::Bus(b.to_string()),
            None if first == "tempo" => Root::Tempo,
            None if first == "out"
                || first
                    .strip_prefix('o')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit())) =>
            {
                Root::Output(first.to_string())
            }
            _ => return Err(bad("it starts with neither `~bus` nor an output")),
        };
        let mut path = Path::root(root);
        for part in parts {
            path.steps
                .push(parse_step(part).ok_or_else(|| bad("a step is malformed"))?);
        }
        if slot == Slot::History && !path.steps.is_empty() {
            return Err(bad("only a bus has a history"));
        }
        let key = Key::make(path, slot);
        if key.0.text != text {
            return Err(bad("it is not in canonical form"));
        }
        Ok(key)
    }
}

/// `name#index`, `name#index@channel` or `sum#index[i]`.
fn parse_step(s: &str) -> Option<Step> {
    let (name, rest) = s.split_once('#')?;
    if !is_word(name) {
        return None;
    }
    if let Some(rest) = rest.strip_suffix(']') {
        let (index, i) = rest.split_once('[')?;
        if name != "sum" {
            return None;
        }
        return Some(Step::Sum {
            index: index.parse().ok()?,
            i: i.parse().ok()?,
        });
    }
    let (index, channel) = match rest.split_once('@') {
        Some((i, c)) => (i, c.parse().ok()?),
        None => (rest, 0),
    };
    Some(Step::Call {
        name: name.to_string(),
        index: index.parse().ok()?,
        channel,
    })
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Root::Bus(b) => write!(f, "~{b}"),
            Root::Output(o) => f.write_str(o),
            Root::Tempo => f.write_str("tempo"),
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Step::Call {
                name,
                index,
                channel: 0,
            } => write!(f, "{name}#{index}"),
            Step::Call {
                name,
                index,
                channel,
            } => write!(f, "{name}#{index}@{channel}"),
            Step::Sum { index, i } => write!(f, "sum#{index}[{i}]"),
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.root)?;
        for s in &self.steps {
            write!(f, "/{s}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Slot::Named(s) => write!(f, ".{s}"),
            Slot::History => f.write_str("'"),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.text == other.0.text
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.text.hash(h);
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.0.text.cmp(&other.0.text)
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0.text
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.0.text == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.0.text == *other
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_documented() {
        let bass = Path::root(Root::Bus("bass".into()));
        assert_eq!(
            Key::new(&bass.call("lpf", 0, 0), "y1").as_str(),
            "~bass/lpf#0.y1"
        );
        let pad = Path::root(Root::Bus("pad".into()))
            .call("voice", 1, 0)
            .call("saw", 0, 0);
        assert_eq!(Key::new(&pad, "phase").as_str(), "~pad/voice#1/saw#0.phase");
        let bank = Path::root(Root::Bus("bank".into()))
            .then(Step::Sum { index: 0, i: 7 })
            .call("sine", 0, 0);
        assert_eq!(
            Key::new(&bank, "phase").as_str(),
            "~bank/sum#0[7]/sine#0.phase"
        );
        let st = Path::root(Root::Bus("st".into())).call("lpf", 0, 1);
        assert_eq!(Key::new(&st, "y1").as_str(), "~st/lpf#0@1.y1");
        let o2 = Path::root(Root::Output("o2".into())).call("noise", 0, 0);
        assert_eq!(Key::new(&o2, "seed").as_str(), "o2/noise#0.seed");
        assert_eq!(Key::history("x").as_str(), "~x'");
    }

    #[test]
    fn parses_what_it_prints() {
        for k in [
            "~bass/lpf#0.y1",
            "~pad/voice#1/saw#0.phase",
            "~bank/sum#0[-3]/sine#0.phase",
            "~st/lpf#0@1.y1",
            "o2/noise#0.seed",
            "out/delay#0.buf",
            "~x'",
        ] {
            let key = Key::parse(k).unwrap();
            assert_eq!(key.as_str(), k);
            assert_eq!(Key::make(key.path().clone(), key.slot().clone()), key);
        }
    }

    #[test]
    fn refuses_what_is_not_a_key() {
        for k in [
            "",
            "bass/lpf#0.y1",
            "~bass/lpf.y1",
            "~bass/lpf#x.y1",
            "~bass/lpf#0",
            "~a/lpf#0'",
            "~a/lpf#00.y",
            "~a/foo#1[2].y",
            "o/x#0.y",
            "~a/b#0@0.y",
        ] {
            assert!(Key::parse(k).is_err(), "{k}");
        }
    }
}
