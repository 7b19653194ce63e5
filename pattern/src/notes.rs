//! Note names and chords, as Tidal reads them (`Sound/Tidal/ParseBP.hs`, `Chords.hs`).

/// The semitone number of a note name (`c` = 0, `cs5` = 1, `ef3` = -21, `a4` = -3):
/// a letter `a`–`g`, any of `s` (sharp), `f` (flat), `n` (natural), then an optional
/// octave (default 5). `None` when `word` is not a note name.
pub fn note_number(word: &str) -> Option<i64> {
    let b = word.as_bytes();
    let base: i64 = match *b.first()? {
        b'c' => 0,
        b'd' => 2,
        b'e' => 4,
        b'f' => 5,
        b'g' => 7,
        b'a' => 9,
        b'b' => 11,
        _ => return None,
    };
    let mut i = 1;
    let mut n = base;
    while i < b.len() {
        match b[i] {
            b's' => n += 1,
            b'f' => n -= 1,
            b'n' => {}
            _ => break,
        }
        i += 1;
    }
    let octave: i64 = if i == b.len() {
        5
    } else {
        let digits = &word[i..];
        if digits.len() > 6 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()?
    };
    Some(n + (octave - 5) * 12)
}

/// Tidal's chord table: name and intervals in semitones (`Sound/Tidal/Chords.hs`).
pub const CHORDS: &[(&str, &[i64])] = &[
    ("major", &[0, 4, 7]),
    ("maj", &[0, 4, 7]),
    ("M", &[0, 4, 7]),
    ("aug", &[0, 4, 8]),
    ("plus", &[0, 4, 8]),
    ("sharp5", &[0, 4, 8]),
    ("six", &[0, 4, 7, 9]),
    ("6", &[0, 4, 7, 9]),
    ("sixNine", &[0, 4, 7, 9, 14]),
    ("six9", &[0, 4, 7, 9, 14]),
    ("sixby9", &[0, 4, 7, 9, 14]),
    ("6by9", &[0, 4, 7, 9, 14]),
    ("major7", &[0, 4, 7, 11]),
    ("maj7", &[0, 4, 7, 11]),
    ("M7", &[0, 4, 7, 11]),
    ("major9", &[0, 4, 7, 11, 14]),
    ("maj9", &[0, 4, 7, 11, 14]),
    ("M9", &[0, 4, 7, 11, 14]),
    ("add9", &[0, 4, 7, 14]),
    ("major11", &[0, 4, 7, 11, 14, 17]),
    ("maj11", &[0, 4, 7, 11, 14, 17]),
    ("M11", &[0, 4, 7, 11, 14, 17]),
    ("add11", &[0, 4, 7, 17]),
    ("major13", &[0, 4, 7, 11, 14, 21]),
    ("maj13", &[0, 4, 7, 11, 14, 21]),
    ("M13", &[0, 4, 7, 11, 14, 21]),
    ("add13", &[0, 4, 7, 21]),
    ("dom7", &[0, 4, 7, 10]),
    ("dom9", &[0, 4, 7, 14]),
    ("dom11", &[0, 4, 7, 17]),
    ("dom13", &[0, 4, 7, 21]),
    ("sevenFlat5", &[0, 4, 6, 10]),
    ("7f5", &[0, 4, 6, 10]),
    ("sevenSharp5", &[0, 4, 8, 10]),
    ("7s5", &[0, 4, 8, 10]),
    ("sevenFlat9", &[0, 4, 7, 10, 13]),
    ("7f9", &[0, 4, 7, 10, 13]),
    ("nine", &[0, 4, 7, 10, 14]),
    ("eleven", &[0, 4, 7, 10, 14, 17]),
    ("11", &[0, 4, 7, 10, 14, 17]),
    ("thirteen", &[0, 4, 7, 10, 14, 17, 21]),
    ("13", &[0, 4, 7, 10, 14, 17, 21]),
    ("minor", &[0, 3, 7]),
    ("min", &[0, 3, 7]),
    ("m", &[0, 3, 7]),
    ("diminished", &[0, 3, 6]),
    ("dim", &[0, 3, 6]),
    ("minorSharp5", &[0, 3, 8]),
    ("msharp5", &[0, 3, 8]),
    ("mS5", &[0, 3, 8]),
    ("minor6", &[0, 3, 7, 9]),
    ("min6", &[0, 3, 7, 9]),
    ("m6", &[0, 3, 7, 9]),
    ("minorSixNine", &[0, 3, 9, 7, 14]),
    ("minor69", &[0, 3, 9, 7, 14]),
    ("min69", &[0, 3, 9, 7, 14]),
    ("minSixNine", &[0, 3, 9, 7, 14]),
    ("m69", &[0, 3, 9, 7, 14]),
    ("mSixNine", &[0, 3, 9, 7, 14]),
    ("m6by9", &[0, 3, 9, 7, 14]),
    ("minor7flat5", &[0, 3, 6, 10]),
    ("minor7f5", &[0, 3, 6, 10]),
    ("min7flat5", &[0, 3, 6, 10]),
    ("min7f5", &[0, 3, 6, 10]),
    ("m7flat5", &[0, 3, 6, 10]),
    ("m7f5", &[0, 3, 6, 10]),
    ("minor7", &[0, 3, 7, 10]),
    ("min7", &[0, 3, 7, 10]),
    ("m7", &[0, 3, 7, 10]),
    ("minor7sharp5", &[0, 3, 8, 10]),
    ("minor7s5", &[0, 3, 8, 10]),
    ("min7sharp5", &[0, 3, 8, 10]),
    ("min7s5", &[0, 3, 8, 10]),
    ("m7sharp5", &[0, 3, 8, 10]),
    ("m7s5", &[0, 3, 8, 10]),
    ("minor7flat9", &[0, 3, 7, 10, 13]),
    ("minor7f9", &[0, 3, 7, 10, 13]),
    ("min7flat9", &[0, 3, 7, 10, 13]),
    ("min7f9", &[0, 3, 7, 10, 13]),
    ("m7flat9", &[0, 3, 7, 10, 13]),
    ("m7f9", &[0, 3, 7, 10, 13]),
    ("minor7sharp9", &[0, 3, 7, 10, 15]),
    ("minor7s9", &[0, 3, 7, 10, 15]),
    ("min7sharp9", &[0, 3, 7, 10, 15]),
    ("min7s9", &[0, 3, 7, 10, 15]),
    ("m7sharp9", &[0, 3, 7, 10, 15]),
    ("m7s9", &[0, 3, 7, 10, 15]),
    ("diminished7", &[0, 3, 6, 9]),
    ("dim7", &[0, 3, 6, 9]),
    ("minor9", &[0, 3, 7, 10, 14]),
    ("min9", &[0, 3, 7, 10, 14]),
    ("m9", &[0, 3, 7, 10, 14]),
    ("minor11", &[0, 3, 7, 10, 14, 17]),
    ("min11", &[0, 3, 7, 10, 14, 17]),
    ("m11", &[0, 3, 7, 10, 14, 17]),
    ("minor13", &[0, 3, 7, 10, 14, 17, 21]),
    ("min13", &[0, 3, 7, 10, 14, 17, 21]),
    ("m13", &[0, 3, 7, 10, 14, 17, 21]),
    ("minorMajor7", &[0, 3, 7, 11]),
    ("minMaj7", &[0, 3, 7, 11]),
    ("mmaj7", &[0, 3, 7, 11]),
    ("one", &[0]),
    ("1", &[0]),
    ("five", &[0, 7]),
    ("5", &[0, 7]),
    ("sus2", &[0, 2, 7]),
    ("sus4", &[0, 5, 7]),
    ("sevenSus2", &[0, 2, 7, 10]),
    ("7sus2", &[0, 2, 7, 10]),
    ("sevenSus4", &[0, 5, 7, 10]),
    ("7sus4", &[0, 5, 7, 10]),
    ("nineSus4", &[0, 5, 7, 10, 14]),
    ("ninesus4", &[0, 5, 7, 10, 14]),
    ("9sus4", &[0, 5, 7, 10, 14]),
    ("sevenFlat10", &[0, 4, 7, 10, 15]),
    ("7f10", &[0, 4, 7, 10, 15]),
    ("nineSharp5", &[0, 1, 13]),
    ("9sharp5", &[0, 1, 13]),
    ("9s5", &[0, 1, 13]),
    ("minor9sharp5", &[0, 1, 14]),
    ("minor9s5", &[0, 1, 14]),
    ("min9sharp5", &[0, 1, 14]),
    ("min9s5", &[0, 1, 14]),
    ("m9sharp5", &[0, 1, 14]),
    ("m9s5", &[0, 1, 14]),
    ("sevenSharp5flat9", &[0, 4, 8, 10, 13]),
    ("7s5f9", &[0, 4, 8, 10, 13]),
    ("minor7sharp5flat9", &[0, 3, 8, 10, 13]),
    ("m7sharp5flat9", &[0, 3, 8, 10, 13]),
    ("elevenSharp", &[0, 4, 7, 10, 14, 18]),
    ("11s", &[0, 4, 7, 10, 14, 18]),
    ("minor11sharp", &[0, 3, 7, 10, 14, 18]),
    ("m11sharp", &[0, 3, 7, 10, 14, 18]),
    ("m11s", &[0, 3, 7, 10, 14, 18]),
];

/// The intervals of a chord name; Tidal plays an unknown name as the root alone.
pub fn chord_intervals(name: &str) -> &'static [i64] {
    CHORDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
        .unwrap_or(&[0])
}

/// One chord modifier, as written after a second `'` (`c'maj'ii'o'5'd1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChordModifier {
    /// `'5`: the chord's notes stacked up by octaves until there are this many.
    Range(i64),
    /// `'d1`: the n-th note from the top dropped an octave.
    Drop(i64),
    /// `'i`: the lowest note moved up an octave.
    Invert,
    /// `'o`: open voicing (first and third notes down an octave, if over two notes).
    Open,
}

/// Reads one modifier group (`ii`, `i2`, `o`, `d1`, `5`); `None` if it is not one.
pub fn parse_modifiers(s: &str) -> Option<Vec<ChordModifier>> {
    let b = s.as_bytes();
    let digits = |t: &str| -> Option<i64> {
        if t.is_empty() || t.len() > 4 || !t.bytes().all(|c| c.is_ascii_digit()) {
            None
        } else {
            t.parse().ok()
        }
    };
    match *b.first()? {
        b'o' if b.iter().all(|&c| c == b'o') => Some(vec![ChordModifier::Open; b.len()]),
        b'd' => Some(vec![ChordModifier::Drop(digits(&s[1..])?)]),
        b'i' if b.iter().all(|&c| c == b'i') => Some(vec![ChordModifier::Invert; b.len()]),
        b'i' => Some(vec![ChordModifier::Invert; digits(&s[1..])? as usize]),
        _ => Some(vec![ChordModifier::Range(digits(s)?)]),
    }
}

/// `notes` changed by one modifier, as Tidal's `applyModifier`.
pub fn apply_modifier(m: ChordModifier, notes: &[f64]) -> Vec<f64> {
    match m {
        ChordModifier::Range(i) => {
            if notes.is_empty() {
                return Vec::new();
            }
            (0..)
                .flat_map(|o| notes.iter().map(move |n| n + 12.0 * o as f64))
                .take(i.max(0) as usize)
                .collect()
        }
        ChordModifier::Invert => match notes.split_first() {
            None => Vec::new(),
            Some((first, rest)) => rest.iter().copied().chain([first + 12.0]).collect(),
        },
        ChordModifier::Open => {
            if notes.len() > 2 {
                let mut v = vec![notes[0] - 12.0, notes[2] - 12.0, notes[1]];
                v.extend_from_slice(&notes[3..]);
                v
            } else {
                notes.to_vec()
            }
        }
        ChordModifier::Drop(i) => {
            let len = notes.len() as i64;
            if len < i || i < 1 {
                // Tidal keeps the chord when it has fewer notes than the drop asks for.
                // A drop of 0 would index past the end in Tidal; we keep the chord.
                return notes.to_vec();
            }
            let s = (len - i) as usize;
            let mut v = vec![notes[s] - 12.0];
            v.extend_from_slice(&notes[..s]);
            v.extend_from_slice(&notes[s + 1..]);
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_names_follow_tidal() {
        assert_eq!(note_number("c"), Some(0));
        assert_eq!(note_number("e"), Some(4));
        assert_eq!(note_number("cs5"), Some(1));
        assert_eq!(note_number("ef3"), Some(-21));
        assert_eq!(note_number("a4"), Some(-3));
        assert_eq!(note_number("css"), Some(2));
        assert_eq!(note_number("bn6"), Some(23));
        assert_eq!(note_number("bd"), None);
        assert_eq!(note_number("x"), None);
        assert_eq!(note_number("c99999999"), None);
    }

    #[test]
    fn modifiers_follow_tidal() {
        let maj = [0.0, 4.0, 7.0];
        assert_eq!(
            apply_modifier(ChordModifier::Range(5), &maj),
            vec![0.0, 4.0, 7.0, 12.0, 16.0]
        );
        assert_eq!(
            apply_modifier(ChordModifier::Invert, &maj),
            vec![4.0, 7.0, 12.0]
        );
        assert_eq!(
            apply_modifier(ChordModifier::Open, &maj),
            vec![-12.0, -5.0, 4.0]
        );
        assert_eq!(
            apply_modifier(ChordModifier::Drop(1), &maj),
            vec![-5.0, 0.0, 4.0]
        );
        assert_eq!(apply_modifier(ChordModifier::Drop(4), &maj), maj.to_vec());
        assert_eq!(parse_modifiers("ii"), Some(vec![ChordModifier::Invert; 2]));
        assert_eq!(parse_modifiers("i3"), Some(vec![ChordModifier::Invert; 3]));
        assert_eq!(parse_modifiers("d2"), Some(vec![ChordModifier::Drop(2)]));
        assert_eq!(parse_modifiers("8"), Some(vec![ChordModifier::Range(8)]));
        assert_eq!(parse_modifiers("x"), None);
        assert_eq!(chord_intervals("min7"), &[0, 3, 7, 10]);
        assert_eq!(chord_intervals("nope"), &[0]);
    }
}
