//! Writes the seed corpora under `corpus/` (run from `fuzz/`: `cargo run --bin make-seeds`).
//! Deterministic, so the committed seeds can be regenerated.

use playground_ecs_view::World;
use playground_ecs_viewmodel::snapshot;
use std::path::Path;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn main() {
    let mut world = World::new();
    playground_kinematics::register(&mut world);
    write("snapshot_restore", "empty-world", &snapshot::save(&world).unwrap());
    world.spawn_batch(playground_kinematics::movers(4, 9));
    let four = snapshot::save(&world).unwrap();
    write("snapshot_restore", "four-movers", &four);
    write("snapshot_restore", "truncated", &four[..four.len() / 2]);
    write("snapshot_restore", "bad-magic", b"XXXX\x01\x00\x00\x00");

    write(
        "manifest_resolve",
        "app",
        b"[package]\nname = \"game\"\nversion.workspace = true\n\
          [package.metadata.playground.app]\ncores = { \"playground.ecs\" = [\"entities\"] }\n\
          systems = [\"ecs\", { name = \"math\", version = \">=1\" }]\n\
          plugins = [{ name = \"replay\", core = \"playground.ecs\", features = [\"motion\"] }]\n",
    );
    write(
        "manifest_resolve",
        "system",
        b"[package]\nname = \"sys\"\nversion = \"0.2.0\"\n[package.metadata.playground]\n\
          implements = \"math\"\nprovides = [\"a\"]\nrequires = { ecs = \"^0.1\" }\n",
    );

    write("world_ops", "spawn-insert-remove", &[0, 1, 0, 2, 2, 0, 3, 1, 5, 0, 1, 0, 4, 0, 0, 3]);
    write("world_ops", "churn", &[0, 0, 1, 0, 0, 0, 1, 1, 0, 5, 2, 1, 5, 1, 4, 0]);
    println!("seeds written under corpus/");
}
