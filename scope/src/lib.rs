//! Seeing the signal: a loopback HTTP + websocket server streaming output frames to a
//! browser page (waveforms, XY with phosphor persistence, rotatable XYZ), and PNG plots
//! (waveform, spectrum, spectrogram, XY, XYZ) of rendered audio.
