//! Flush-to-zero for the rendering thread, so tiny filter tails cost nothing and the
//! offline render computes exactly what the audio thread computes.

/// While alive, denormal inputs and results are treated as zero on this thread; the
/// previous mode comes back on drop.
pub struct FlushDenormals {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    saved: u64,
}

impl FlushDenormals {
    /// Turns flush-to-zero (and denormals-are-zero on x86) on for this thread.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            let saved = get_mode();
            // FTZ (bit 15) and DAZ (bit 6) of MXCSR.
            set_mode(saved | 0x8040);
            FlushDenormals { saved }
        }
        #[cfg(target_arch = "aarch64")]
        {
            let saved = get_mode();
            // FZ, bit 24 of FPCR.
            set_mode(saved | (1 << 24));
            FlushDenormals { saved }
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        FlushDenormals {}
    }
}

impl Drop for FlushDenormals {
    fn drop(&mut self) {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        set_mode(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
fn get_mode() -> u64 {
    let mut x: u32 = 0;
    // SAFETY: stmxcsr stores the 32-bit control register to the given address.
    unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut x, options(nostack)) };
    u64::from(x)
}

#[cfg(target_arch = "x86_64")]
fn set_mode(v: u64) {
    let x = v as u32;
    // SAFETY: loads a valid MXCSR value (only mode bits were changed).
    unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &x, options(nostack, readonly)) };
}

#[cfg(target_arch = "aarch64")]
fn get_mode() -> u64 {
    let x: u64;
    // SAFETY: reads the floating-point control register.
    unsafe { std::arch::asm!("mrs {}, fpcr", out(reg) x, options(nomem, nostack)) };
    x
}

#[cfg(target_arch = "aarch64")]
fn set_mode(v: u64) {
    // SAFETY: writes back a value read from FPCR with only the FZ bit changed.
    unsafe { std::arch::asm!("msr fpcr, {}", in(reg) v, options(nomem, nostack)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denormals_flush_while_guarded() {
        let tiny = std::hint::black_box(f64::MIN_POSITIVE);
        let half = std::hint::black_box(0.5);
        assert!(tiny * half > 0.0);
        {
            let _g = FlushDenormals::new();
            assert_eq!(std::hint::black_box(tiny) * std::hint::black_box(half), 0.0);
        }
        assert!(std::hint::black_box(tiny) * std::hint::black_box(half) > 0.0);
    }
}
