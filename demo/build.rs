//! Resolves this app's `[package.metadata.playground.app]` against the workspace's modules:
//! a system lacking a needed feature fails the build with the resolver's message.

fn main() {
    let resolution = playground_loader::check::check_app_build();
    let order = resolution.load_order.join(",");
    println!("cargo:rustc-env=PLAYGROUND_LOAD_ORDER={order}");
}
