//! The kernel's errors: each variant is a noun naming what was wrong, with the offending values.

/// Errors of id handling in the kernel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KernelError {
    /// A stable id was asked for an empty name, which would collide with every other empty name.
    #[error("empty name given for a {kind}")]
    EmptyName {
        /// Which id type was being built (`"ViewId"`, `"ModelType"`, ...).
        kind: &'static str,
    },
}

/// Errors of saving or restoring a module's state (the bytes carried across a hot reload).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// The bytes end before the value they describe does.
    #[error("state truncated: needed {needed} bytes, {available} available")]
    Truncated {
        /// Bytes the decoder needed.
        needed: usize,
        /// Bytes that were there.
        available: usize,
    },
    /// The state was written by a module with another state format.
    #[error("state format mismatch: expected {expected:#018x}, found {found:#018x}")]
    FormatMismatch {
        /// This module's `STATE_FORMAT_VERSION`.
        expected: u64,
        /// The version stamped in the bytes.
        found: u64,
    },
    /// The bytes are not a state this module wrote (bad magic, checksum, or value).
    #[error("corrupt state at byte {offset}: {reason}")]
    Corrupt {
        /// Where decoding failed.
        offset: usize,
        /// What was wrong there.
        reason: String,
    },
    /// A stateless module was handed non-empty state.
    #[error("module keeps no state but was given {len} bytes")]
    UnexpectedState {
        /// Length of the bytes offered.
        len: usize,
    },
}
