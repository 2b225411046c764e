//! Properties of the stable ids: deterministic, total over any string, collision-free on
//! realistic name sets.

use playground_kernel::{ComponentId, ModelId, ModelType, ViewId, fnv1a_64};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

/// A straightforward FNV-1a 64 written from the specification, to check the `const fn` one.
fn reference_fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

proptest! {
    #[test]
    fn hash_is_deterministic_and_matches_the_spec(name in any::<String>()) {
        let a = ViewId::from_name(&name);
        prop_assert_eq!(a, ViewId::from_name(&name.clone()));
        prop_assert_eq!(a.to_bits(), reference_fnv1a(name.as_bytes()));
        prop_assert_eq!(ModelType::from_name(&name).to_bits(), fnv1a_64(&name));
        prop_assert_eq!(ComponentId::try_from_name(&name).is_err(), name.is_empty());
    }

    #[test]
    fn model_id_round_trips(index in any::<u32>(), generation in any::<u32>()) {
        let id = ModelId::new(index, generation);
        prop_assert_eq!((id.index(), id.generation()), (index, generation));
        prop_assert_eq!(ModelId::from_bits(id.to_bits()), id);
    }
}

/// Names shaped like the dotted names modules declare (`abc.Def_1.x9`), drawn from `seed`.
fn generated_names(seed: u64, count: usize) -> HashSet<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.";
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64*: cheap, and every seed gives a different stream.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut names = HashSet::with_capacity(count);
    while names.len() < count {
        let len = 1 + (next() % 32) as usize;
        let name: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char)
            .collect();
        names.insert(name);
    }
    names
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn no_collision_among_100_000_generated_names(seed in any::<u64>()) {
        let names = generated_names(seed, 100_000);
        let mut seen: HashMap<u64, &str> = HashMap::with_capacity(names.len());
        for name in &names {
            if let Some(other) = seen.insert(fnv1a_64(name), name) {
                prop_assert!(false, "{other:?} and {name:?} collide");
            }
        }
    }
}

/// The names a real project declares: one per component, view and model of many modules.
#[test]
fn no_collision_among_systematic_names() {
    let mut seen = HashSet::new();
    for module in 0..100 {
        for kind in ["component", "view", "model", "event", "system"] {
            for item in 0..200 {
                let name = format!("game{module}.{kind}.Item{item}");
                assert!(seen.insert(fnv1a_64(&name)), "collision at {name}");
            }
        }
    }
    assert_eq!(seen.len(), 100_000);
}
