tempo: 0.5

-- Test solfège (do re mi fa sol la ti do)
out: s "bd*8" # note "do re mi fa sol la ti do"
