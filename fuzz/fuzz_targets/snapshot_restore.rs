//! Arbitrary bytes restored as a world snapshot: `Ok` or a typed error, never a panic, and on
//! error the world is left exactly as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_ecs_view::{MotionView, World};
use playground_ecs_viewmodel::motion::Motion;
use playground_ecs_viewmodel::snapshot;

fuzz_target!(|bytes: &[u8]| {
    let motion = Motion::default();
    let mut world = World::new();
    motion.spawn_movers(&mut world, 3, 1);
    let before = snapshot::save(&world).expect("saving a valid world");
    if snapshot::restore(&mut world, bytes).is_err() {
        assert_eq!(snapshot::save(&world).unwrap(), before, "a failed restore changed the world");
    }
});
