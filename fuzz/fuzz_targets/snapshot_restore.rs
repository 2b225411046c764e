//! Arbitrary bytes restored as a world snapshot: `Ok` or a typed error, never a panic, and on
//! error the world is left exactly as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_ecs_view::World;
use playground_ecs_viewmodel::snapshot;

fuzz_target!(|bytes: &[u8]| {
    let mut world = World::new();
    playground_kinematics::register(&mut world);
    world.spawn_batch(playground_kinematics::movers(3, 1));
    let before = snapshot::save(&world).expect("saving a valid world");
    if snapshot::restore(&mut world, bytes).is_err() {
        assert_eq!(snapshot::save(&world).unwrap(), before, "a failed restore changed the world");
    }
});
