//! Arbitrary bytes as a remote request: a JSON-RPC response (a result or an error with a
//! code), never a panic; and a request answered with an error leaves the world exactly as it
//! was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_ecs_view::World;
use playground_ecs_viewmodel::snapshot;
use playground_kinematics::{Position, Velocity};
use playground_remote::{Endpoint, JsonCodecs, RemoteHost};

struct Host(World);

impl RemoteHost for Host {
    fn world(&self) -> &World {
        &self.0
    }
    fn world_mut(&mut self) -> &mut World {
        &mut self.0
    }
}

fuzz_target!(|bytes: &[u8]| {
    let mut world = World::new();
    playground_kinematics::register(&mut world);
    world.spawn_batch(playground_kinematics::movers(3, 1));
    let before = snapshot::save(&world).expect("saving a valid world");
    let mut codecs = JsonCodecs::new();
    codecs.register::<Position>().register::<Velocity>();
    let endpoint = Endpoint::new(codecs).with_body_limit(4096);
    let mut host = Host(world);
    if let Some(response) = endpoint.handle_now(&mut host, bytes) {
        assert_eq!(response["jsonrpc"], "2.0");
        match response.get("error") {
            Some(error) => {
                assert!(error["code"].is_i64() && error["message"].is_string(), "{response}");
                assert_eq!(
                    snapshot::save(&host.0).unwrap(),
                    before,
                    "a refused request changed the world: {response}"
                );
            }
            None => assert!(response.get("result").is_some(), "{response}"),
        }
    }
});
