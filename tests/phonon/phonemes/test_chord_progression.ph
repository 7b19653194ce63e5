tempo: 0.5
-- Test various chord types
-- Each chord triggers multiple simultaneous voices
-- maj=3 notes, min=3 notes, dom7=4 notes, maj7=4 notes
out: s "bd*4" # note "c4'maj e4'min g4'dom7 c5'maj7" # gain 0.25
