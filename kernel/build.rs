//! Records the rustc and target this copy of the kernel is compiled with, so a loaded
//! module's header can be compared with the host's before any of its code is trusted.

fn main() {
    playground_fingerprint::write_build_info("build_info.rs")
        .expect("read the compiler version and target");
}
