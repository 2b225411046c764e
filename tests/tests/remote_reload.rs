//! `module.reload` over HTTP against real module libraries: the new code goes live with every
//! entity kept, and a reload that fails leaves the running module's state byte-identical
//! and says which module and why.

use playground_ecs_view::{Component, Entity, World};
use playground_fixture_probe::ProbeCore;
use playground_kinematics::{Position, Velocity};
use playground_loader::{ModuleHost, StatePolicy};
use playground_remote::{
    Endpoint, HttpOptions, HttpServer, JsonCodecs, ModuleReport, ReloadReply, RemoteHost,
};
use playground_tests::http_client::exchange;
use playground_tests::{Variant, host, library};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::thread;

const MOVERS: usize = 500;

/// A host whose modules reload from a library built beforehand (the build step of a real
/// host is `ModuleBuild`; here the fixture's variants stand for edits).
struct LibHost {
    host: ModuleHost<ProbeCore>,
    next: PathBuf,
}

impl RemoteHost for LibHost {
    fn world(&self) -> &World {
        self.host.instance().world()
    }
    fn world_mut(&mut self) -> &mut World {
        self.host.instance_mut().world_mut()
    }
    fn modules(&self) -> Vec<ModuleReport> {
        vec![ModuleReport {
            header: *self.host.header(),
            retained_libraries: self.host.retained_libraries(),
            reloads: 0,
            failures: 0,
            last: None,
            reloading: false,
        }]
    }
    fn reload(&mut self, module: &str, done: ReloadReply) {
        let result = self
            .host
            .stage(&self.next)
            .map_err(Into::into)
            .and_then(|staged| self.host.commit(staged, StatePolicy::Refuse));
        match result {
            Ok(report) => done.reloaded(&report, &[module.to_owned()]),
            Err(e) => done.failed(module, &e),
        }
    }
}

/// Serves `host` on a loopback port while `client` runs, as a host between frames would.
fn serve<T: Send + 'static>(
    host: &mut LibHost,
    client: impl FnOnce(SocketAddr) -> T + Send + 'static,
) -> T {
    let mut codecs = JsonCodecs::new();
    codecs.register::<Position>().register::<Velocity>();
    let endpoint = Endpoint::new(codecs);
    let http = HttpServer::start(
        endpoint.client(),
        HttpOptions::loopback("127.0.0.1:0".parse().unwrap()),
    )
    .unwrap();
    let addr = http.local_addr();
    let asker = thread::spawn(move || client(addr));
    while !asker.is_finished() {
        endpoint.serve(host);
        thread::yield_now();
    }
    asker.join().unwrap()
}

fn call(addr: SocketAddr, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, body) = exchange(addr, "POST", "", body.to_string().as_bytes());
    assert_eq!(status, 200);
    serde_json::from_slice(&body).unwrap()
}

fn started(next: Variant) -> (LibHost, Vec<Entity>) {
    let mut host = host(&library(Variant::Fixture(""))).unwrap();
    let movers = playground_kinematics::spawn_movers(host.instance_mut().world_mut(), MOVERS, 3)
        .expect("the fixture registers the kinematics components");
    host.instance()
        .probe()
        .step(host.instance().world(), 0.25)
        .unwrap();
    let next = library(next);
    (LibHost { host, next }, movers)
}

fn all_positions() -> Value {
    json!({"data": {"components": [Position::NAME]}})
}

#[test]
fn module_reload_puts_new_code_live_and_keeps_every_entity() {
    let (mut lib_host, movers) = started(Variant::Fixture("scale-2"));
    let name = lib_host.host.header().name.as_str().to_owned();
    let (before, reloaded, after) = serve(&mut lib_host, move |addr| {
        let before = call(addr, "world.query", all_positions());
        let reloaded = call(addr, "module.reload", json!({"module": name}));
        let after = call(addr, "world.query", all_positions());
        (before, reloaded, after)
    });
    assert!(reloaded.get("error").is_none(), "{reloaded}");
    assert!(reloaded["result"]["state_bytes"].as_u64().unwrap() > 0);
    assert_eq!(before["result"].as_array().unwrap().len(), MOVERS);
    assert_eq!(
        after["result"], before["result"],
        "every entity where it was"
    );
    let probe = lib_host.host.instance().probe();
    assert_eq!(probe.scale(), 2.0, "the new code is live");
    assert_eq!(lib_host.host.instance().world().len(), MOVERS);
    assert!(lib_host.host.instance().world().is_alive(movers[0]));
}

#[test]
fn a_failed_module_reload_names_the_module_and_keeps_the_state_byte_identical() {
    let (mut lib_host, _) = started(Variant::Fixture("panic-on-restore"));
    let name = lib_host.host.header().name.as_str().to_owned();
    let saved = lib_host.host.instance().save_state().unwrap();
    let asked = name.clone();
    let response = serve(&mut lib_host, move |addr| {
        call(addr, "module.reload", json!({"module": asked}))
    });
    assert_eq!(response["error"]["code"], -23412, "{response}");
    let message = response["error"]["message"].as_str().unwrap();
    assert!(message.contains(&name), "{message}");
    assert!(message.contains("panic"), "{message}");
    assert_eq!(lib_host.host.instance().save_state().unwrap(), saved);
    assert_eq!(lib_host.host.instance().probe().scale(), 1.0);
}
