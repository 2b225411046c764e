//! The stable name hash behind every id.

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64-bit, over the UTF-8 bytes of `name`.
///
/// Chosen because it is a `const fn` in a few lines, has published test vectors, and is
/// defined on bytes (no endianness, no seed), so it is identical in every build and on every
/// platform. It is not collision-resistant against an adversary; ids are declared by code, and
/// a collision is refused where it would matter: the registry refuses a second View under a
/// taken id (`RegistryError::DuplicateView`), and a world never reaches a pool as another type
/// than it holds.
///
/// ```
/// assert_eq!(playground_kernel::fnv1a_64(""), 0xcbf2_9ce4_8422_2325);
/// ```
pub const fn fnv1a_64(name: &str) -> u64 {
    fnv1a_64_bytes(name.as_bytes())
}

/// FNV-1a, 64-bit, over `bytes`: [`fnv1a_64`] for ids derived from other ids rather than from
/// a name (a query's id from its component ids).
///
/// ```
/// assert_eq!(playground_kernel::fnv1a_64_bytes(b"a"), playground_kernel::fnv1a_64("a"));
/// ```
pub const fn fnv1a_64_bytes(bytes: &[u8]) -> u64 {
    let mut hash = FNV_OFFSET_BASIS;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::fnv1a_64;

    #[test]
    fn published_vectors_hold() {
        assert_eq!(fnv1a_64(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn kernel_names_are_pinned() {
        assert_eq!(fnv1a_64("playground.ecs.EntityView"), 0xdb63_1414_251e_488d);
        assert_eq!(fnv1a_64("playground.ecs.Position"), 0xa782_f3e7_1826_ef48);
    }

    #[test]
    fn evaluates_at_compile_time() {
        const ID: u64 = fnv1a_64("a");
        assert_eq!(ID, 0xaf63_dc4c_8601_ec8c);
    }
}
