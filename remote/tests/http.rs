//! The HTTP endpoint driven over TCP against an in-process host that serves requests between
//! its frames: changes land in the world, and every bad request is refused by code with the
//! world byte-identical.

use playground_ecs_view::{Component, EcsView, Entity, Schedule, SystemDesc, World};
use playground_ecs_viewmodel::{EcsViewModel, snapshot};
use playground_kernel::View;
use playground_kernel::sync::StdArc;
use playground_kinematics::{Position, Velocity};
use playground_registry::{BindingRegistry, Implementation};
use playground_remote::{
    Endpoint, HttpOptions, HttpServer, JsonCodecs, RemoteError, RemoteHost, ScheduleRef,
};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A component the host registers without a codec: listed, its value not shown.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Tag(u8);
playground_ecs_view::component!(Tag = "test.remote.Tag");

struct TestHost {
    world: World,
    schedule: Schedule,
    runner: EcsViewModel,
    registry: BindingRegistry,
}

impl RemoteHost for TestHost {
    fn world(&self) -> &World {
        &self.world
    }
    fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
    fn schedule(&self) -> Option<ScheduleRef<'_>> {
        Some(ScheduleRef {
            schedule: &self.schedule,
            runner: &self.runner,
        })
    }
    fn registry(&self) -> Option<&BindingRegistry> {
        Some(&self.registry)
    }
}

/// A host running frames on its own thread, serving the endpoint between them.
struct Running {
    addr: SocketAddr,
    host: Arc<Mutex<TestHost>>,
    stop: Arc<AtomicBool>,
    frames: Option<thread::JoinHandle<()>>,
    _http: HttpServer,
    movers: Vec<Entity>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.frames.take() {
            t.join().unwrap();
        }
    }
}

fn start() -> Running {
    let mut world = World::new();
    world.register_persistent::<Position>();
    world.register_persistent::<Velocity>();
    world.register_persistent::<Tag>();
    let movers = world.spawn_batch((0..3).map(|i| {
        (
            Position {
                x: i as f32,
                y: 0.0,
            },
            Velocity { x: 1.0, y: 0.5 },
        )
    }));
    world.insert(movers[0], Tag(1)).unwrap();
    let mut schedule = Schedule::new();
    schedule.add(
        SystemDesc::new("motion")
            .reads::<Velocity>()
            .writes::<Position>(),
        |_world: &World| Ok(()),
    );
    schedule.add(
        SystemDesc::new("report").reads::<Position>(),
        |_: &World| Ok(()),
    );
    let registry = BindingRegistry::new();
    registry.register_view::<dyn EcsView>().unwrap();
    let ecs: StdArc<dyn EcsView> = StdArc::new(EcsViewModel);
    registry
        .bind(Implementation::new(
            "test-ecs",
            <dyn EcsView as View>::API_VERSION,
            ecs,
        ))
        .unwrap();
    let host = Arc::new(Mutex::new(TestHost {
        world,
        schedule,
        runner: EcsViewModel,
        registry,
    }));

    let mut codecs = JsonCodecs::new();
    codecs.register::<Position>().register::<Velocity>();
    let endpoint = Endpoint::new(codecs).with_body_limit(4096);
    let http = HttpServer::start(
        endpoint.client(),
        HttpOptions::loopback("127.0.0.1:0".parse().unwrap()),
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let frames = {
        let (host, stop) = (host.clone(), stop.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::Acquire) {
                // A frame would run here; between frames, the endpoint's requests.
                endpoint.serve(&mut *host.lock().unwrap());
                thread::yield_now();
            }
        })
    };
    Running {
        addr: http.local_addr(),
        host,
        stop,
        frames: Some(frames),
        _http: http,
        movers,
    }
}

use playground_tests::http_client::exchange as http;

fn post(addr: SocketAddr, body: &[u8]) -> Value {
    let (status, body) = http(addr, "POST", "", body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

fn call(addr: SocketAddr, method: &str, params: Value) -> Value {
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let response = post(addr, request.to_string().as_bytes());
    assert_eq!(response["id"], 1);
    response
}

fn result(addr: SocketAddr, method: &str, params: Value) -> Value {
    let response = call(addr, method, params);
    assert!(response.get("error").is_none(), "{method}: {response}");
    response["result"].clone()
}

fn error_code(addr: SocketAddr, method: &str, params: Value) -> (i64, String) {
    let response = call(addr, method, params);
    let e = &response["error"];
    (
        e["code"].as_i64().unwrap(),
        e["message"].as_str().unwrap().to_owned(),
    )
}

fn saved(r: &Running) -> Vec<u8> {
    snapshot::save(&r.host.lock().unwrap().world).unwrap()
}

#[test]
fn spawn_mutate_and_query_change_and_show_the_world() {
    let r = start();
    let spawned = result(
        r.addr,
        "world.spawn_entity",
        json!({"components": {Position::NAME: {"x": 5.0, "y": 6.0}, Velocity::NAME: {"x": 0.0, "y": 0.0}}}),
    );
    let e = spawned["entity"].as_u64().unwrap();
    assert!(r.host.lock().unwrap().world.is_alive(Entity::from_bits(e)));

    let mutated = result(
        r.addr,
        "world.mutate_components",
        json!({"entity": e, "component": Position::NAME, "path": ".y", "value": -1.25}),
    );
    assert_eq!(mutated["value"], json!({"x": 5.0, "y": -1.25}));
    assert_eq!(
        *r.host
            .lock()
            .unwrap()
            .world
            .get::<Position>(Entity::from_bits(e))
            .unwrap(),
        Position { x: 5.0, y: -1.25 },
        "the world itself changed"
    );

    let rows = result(
        r.addr,
        "world.query",
        json!({"data": {"components": [Position::NAME]}, "filter": {"with": [Velocity::NAME]}}),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let row = rows.iter().find(|row| row["entity"] == e).unwrap();
    assert_eq!(
        row["components"][Position::NAME],
        json!({"x": 5.0, "y": -1.25})
    );

    // `without` and `option`: the tagged mover is left out; the others show no tag.
    let untagged = result(
        r.addr,
        "world.query",
        json!({"data": {"components": [Position::NAME], "option": [Tag::NAME]}, "filter": {"without": [Tag::NAME]}}),
    );
    let untagged = untagged.as_array().unwrap();
    assert_eq!(untagged.len(), 3);
    assert!(
        untagged
            .iter()
            .all(|row| row["entity"] != r.movers[0].to_bits())
    );

    let inserted = result(
        r.addr,
        "world.insert_components",
        json!({"entity": e, "components": {Velocity::NAME: {"x": 2.0, "y": 3.0}}}),
    );
    assert_eq!(inserted, Value::Null);
    let got = result(
        r.addr,
        "world.get_components",
        json!({"entity": e, "components": [Velocity::NAME, Tag::NAME]}),
    );
    assert_eq!(
        got["components"][Velocity::NAME],
        json!({"x": 2.0, "y": 3.0})
    );
    assert_eq!(got["errors"][Tag::NAME]["code"], -23403, "{got}");

    let removed = result(
        r.addr,
        "world.remove_components",
        json!({"entity": e, "components": [Velocity::NAME, Tag::NAME]}),
    );
    assert_eq!(removed["removed"], json!([Velocity::NAME]));
    result(r.addr, "world.despawn_entity", json!({"entity": e}));
    assert!(!r.host.lock().unwrap().world.is_alive(Entity::from_bits(e)));
    assert_eq!(result(r.addr, "world.stats", json!({}))["entities"], 3);
}

#[test]
fn a_component_without_a_json_codec_is_listed_and_its_value_says_so() {
    let r = start();
    let list = result(r.addr, "world.list_components", Value::Null);
    let tag = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == Tag::NAME)
        .unwrap()
        .clone();
    assert_eq!(tag["json"], false);
    assert_eq!(tag["count"], 1);
    let inspected = result(
        r.addr,
        "debug.inspect",
        json!({"entity": r.movers[0].to_bits()}),
    );
    let shown = inspected["components"][Tag::NAME]["$unavailable"]
        .as_str()
        .unwrap();
    assert!(shown.contains("no JSON codec"), "{shown}");
    assert_eq!(
        inspected["components"][Position::NAME],
        json!({"x": 0.0, "y": 0.0})
    );
}

#[test]
fn the_host_describes_its_methods_schedule_and_views() {
    let r = start();
    let discovered = result(r.addr, "rpc.discover", Value::Null);
    let names: Vec<&str> = discovered["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = playground_remote::METHODS.iter().map(|m| m.name).collect();
    assert_eq!(names, expected);
    for name in [
        "world.query",
        "world.mutate_components",
        "module.reload",
        "registry.views",
    ] {
        assert!(names.contains(&name), "{name}");
    }

    let schedule = result(r.addr, "schedule.list", Value::Null);
    assert_eq!(schedule["systems"][0]["name"], "motion");
    assert_eq!(schedule["systems"][0]["writes"], json!([Position::NAME]));
    assert_eq!(schedule["systems"][0]["reads"], json!([Velocity::NAME]));
    // `report` reads what `motion` writes: a later stage.
    assert_eq!(schedule["stages"], json!([["motion"], ["report"]]));

    let views = result(r.addr, "registry.views", Value::Null);
    let ecs = views
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == <dyn EcsView as View>::NAME)
        .unwrap();
    assert_eq!(ecs["bound"]["implementation"], "test-ecs");

    // A host without modules says so.
    assert_eq!(result(r.addr, "module.list", Value::Null), json!([]));
    assert_eq!(
        error_code(r.addr, "module.reload", json!({"module": "nope"})).0,
        -23411
    );
}

#[test]
fn each_bad_request_is_refused_by_code_and_leaves_the_world_as_it_was() {
    let r = start();
    let before = saved(&r);
    let alive = r.movers[1].to_bits();
    let stale = Entity::from_bits(alive).to_bits().wrapping_add(1 << 32); // the same index, another generation
    let stale_text = stale.to_string();

    let raw = |body: &[u8]| post(r.addr, body)["error"]["code"].as_i64().unwrap();
    assert_eq!(raw(b"{not json"), -32700);
    assert_eq!(
        raw(br#"[{"jsonrpc":"2.0","id":1,"method":"world.stats"}]"#),
        -32600
    );
    assert_eq!(raw(br#"{"id":1,"method":"world.stats"}"#), -32600);

    let cases: Vec<(&str, Value, i64, &str)> = vec![
        ("world.teleport", json!({}), -32601, "world.teleport"),
        (
            "world.despawn_entity",
            json!({"entity": "three"}),
            -32602,
            "entity",
        ),
        (
            "world.query",
            json!({"data": {"components": "x"}}),
            -32602,
            "sequence",
        ),
        ("world.query", json!({"colour": 1}), -32602, "colour"),
        (
            "world.query",
            json!({"data": {"components": ["no.Such"]}}),
            -23402,
            "no.Such",
        ),
        (
            "world.despawn_entity",
            json!({"entity": stale}),
            -23401,
            &stale_text,
        ),
        (
            "world.insert_components",
            json!({"entity": alive, "components": {Position::NAME: {"x": "fast"}}}),
            -23405,
            Position::NAME,
        ),
        (
            // All or nothing: the good Velocity is not inserted either.
            "world.insert_components",
            json!({"entity": alive, "components": {Velocity::NAME: {"x": 9.0, "y": 9.0}, Position::NAME: 7}}),
            -23405,
            Position::NAME,
        ),
        (
            "world.spawn_entity",
            json!({"components": {Velocity::NAME: {"x": 1.0, "y": 1.0}, Tag::NAME: 1}}),
            -23403,
            Tag::NAME,
        ),
        (
            "world.mutate_components",
            json!({"entity": alive, "component": Position::NAME, "path": "z", "value": 1.0}),
            -23406,
            "\"z\"",
        ),
        (
            "world.mutate_components",
            json!({"entity": alive, "component": Position::NAME, "path": "x", "value": "far"}),
            -23405,
            Position::NAME,
        ),
        (
            "world.remove_components",
            json!({"entity": alive, "components": [Velocity::NAME, "no.Such"]}),
            -23402,
            "no.Such",
        ),
        (
            "world.get_components",
            json!({"entity": alive, "components": [Tag::NAME], "strict": true}),
            -23403,
            Tag::NAME,
        ),
    ];
    for (method, params, code, named) in cases {
        let (got, message) = error_code(r.addr, method, params.clone());
        assert_eq!(got, code, "{method} {params}: {message}");
        assert!(
            message.contains(named),
            "{method}: {message:?} should name {named:?}"
        );
        assert_eq!(saved(&r), before, "{method} {params} changed the world");
    }

    // Over the body limit, declared or not: refused before JSON-RPC.
    let (status, body) = http(r.addr, "POST", "", &[b' '; 8192]);
    assert_eq!(status, 413);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], -32600);
    let (status, _) = http(r.addr, "GET", "", b"");
    assert_eq!(status, 405);
    assert_eq!(saved(&r), before);
}

#[test]
fn a_notification_runs_and_gets_no_response() {
    let r = start();
    let request = json!({"jsonrpc": "2.0", "method": "world.despawn_entity", "params": {"entity": r.movers[2].to_bits()}});
    let (status, body) = http(r.addr, "POST", "", request.to_string().as_bytes());
    assert_eq!((status, body.len()), (204, 0));
    assert!(!r.host.lock().unwrap().world.is_alive(r.movers[2]));
}

#[test]
fn another_address_needs_a_token_and_every_request_must_carry_it() {
    let endpoint = Endpoint::new(JsonCodecs::new());
    let open = HttpOptions::loopback("0.0.0.0:0".parse().unwrap());
    assert!(matches!(
        HttpServer::start(endpoint.client(), open),
        Err(RemoteError::TokenRequired { .. })
    ));
    let mut guarded = HttpOptions::loopback("127.0.0.1:0".parse().unwrap());
    guarded.token = Some("s3cret".into());
    let server = HttpServer::start(endpoint.client(), guarded).unwrap();
    let body = br#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#;
    let (status, _) = http(server.local_addr(), "POST", "", body);
    assert_eq!(status, 401);
    let (status, _) = http(
        server.local_addr(),
        "POST",
        "Authorization: Bearer wrong\r\n",
        body,
    );
    assert_eq!(status, 401);
    // The right token reaches the endpoint; this one is served right here.
    let addr = server.local_addr();
    let asker = thread::spawn(move || http(addr, "POST", "Authorization: Bearer s3cret\r\n", body));
    let mut host = TestHost {
        world: World::new(),
        schedule: Schedule::new(),
        runner: EcsViewModel,
        registry: BindingRegistry::new(),
    };
    while !asker.is_finished() {
        endpoint.serve(&mut host);
        thread::yield_now();
    }
    let (status, body) = asker.join().unwrap();
    assert_eq!(status, 200);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body["result"]["methods"].is_array(), "{body}");
}
