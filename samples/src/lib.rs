//! Sample data for `s "bd*2 [sn cp]"`: a library of sound folders searched in order,
//! decoding and resampling on load (off the audio thread), a deterministic built-in kit,
//! and the allocation-free voice renderer the audio thread runs.
