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
    /// The bytes are not a state this module wrote: `part` names what was being read (a
    /// snapshot's header, a component's name, the entity allocator), `problem` what was wrong.
    #[error("corrupt state in {part}: {problem}")]
    Corrupt {
        /// What was being read.
        part: String,
        /// What was wrong with it.
        problem: Corruption,
    },
    /// The state holds a part (a component type, a table) this module does not register.
    #[error("state holds {part}, which this module does not register")]
    UnknownPart {
        /// Its name (or id, where the state names none).
        part: String,
    },
    /// A part of the module's model has no codec, so it cannot be saved.
    #[error("{part} cannot be saved: it has no codec")]
    NotSaveable {
        /// Its name.
        part: String,
    },
    /// A part of the model was borrowed elsewhere while the state was read.
    #[error("{part} was borrowed elsewhere while the state was read")]
    Busy {
        /// Its name.
        part: String,
    },
    /// A stateless module was handed non-empty state.
    #[error("module keeps no state but was given {len} bytes")]
    UnexpectedState {
        /// Length of the bytes offered.
        len: usize,
    },
}

/// What made state bytes unreadable (see [`StateError::Corrupt`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Corruption {
    /// The bytes do not start with the expected magic number.
    #[error("bad magic: not this kind of state")]
    BadMagic,
    /// A layout number this build does not read.
    #[error("layout {found}, expected {expected}")]
    Layout {
        /// The layout this build writes.
        expected: u32,
        /// The layout stamped in the bytes.
        found: u32,
    },
    /// Bytes follow the end the header declares.
    #[error("{count} bytes after the end at byte {end}")]
    TrailingBytes {
        /// Where the state should end.
        end: usize,
        /// How many bytes follow.
        count: usize,
    },
    /// The checksum stored at `offset` does not match the bytes it covers.
    #[error("checksum mismatch at byte {offset}")]
    Checksum {
        /// Where the stored checksum is.
        offset: usize,
    },
    /// The decoder (postcard for the ECS state) refused the bytes; `detail` is its own
    /// description, kept because its error type is not the kernel's to name.
    #[error("does not decode: {detail}")]
    Undecodable {
        /// The decoder's description.
        detail: String,
    },
    /// A value could not be encoded (the encoder's description).
    #[error("does not encode: {detail}")]
    Unencodable {
        /// The encoder's description.
        detail: String,
    },
    /// Two lists that must be parallel differ in length.
    #[error("{expected} entries expected, {found} found")]
    CountMismatch {
        /// The length the other list gives.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// An entity list whose byte length is not a whole number of entities.
    #[error("entity list of {bytes} bytes")]
    EntityListLength {
        /// Its length in bytes.
        bytes: usize,
    },
    /// One entity listed twice.
    #[error("entity {entity} listed twice")]
    EntityTwice {
        /// The entity.
        entity: crate::Entity,
    },
    /// A component on an entity the state's own allocator says is not alive.
    #[error("entity {entity} is not alive")]
    EntityNotAlive {
        /// The entity.
        entity: crate::Entity,
    },
    /// An entity allocator whose free list and live count disagree with its slots.
    #[error("{dead} dead slots, {free} free, {alive} alive")]
    FreeListCounts {
        /// Slots marked dead.
        dead: usize,
        /// Entries of the free list.
        free: usize,
        /// The live count stored.
        alive: usize,
    },
    /// A free-list entry naming a live slot, a slot named before, or no slot.
    #[error("free list entry {index} is live, repeated or out of range")]
    FreeListEntry {
        /// The entry.
        index: u32,
    },
    /// A value outside the range this format allows.
    #[error("value {value} out of range")]
    OutOfRange {
        /// The value read.
        value: u64,
    },
}
