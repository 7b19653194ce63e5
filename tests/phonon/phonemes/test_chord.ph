tempo: 1.0
-- Test chord expansion with major chord
-- Should trigger 3 simultaneous voices: C, E, G
out: s "bd" # note "c4'maj"
