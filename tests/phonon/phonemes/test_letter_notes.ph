tempo: 0.5

-- Test letter-based notes (C major triad)
-- c4 = MIDI 60 = 0 semitones, e4 = 4 semitones, g4 = 7 semitones
out: s "bd*4" # note "c4 e4 g4 c5"
