//! Fingerprints this core module's contract (see `playground-fingerprint`): `API_VERSION`
//! hashes `src/view`, `src/model` and `src/engine`, `STATE_FORMAT_VERSION` hashes `src/model`
//! only. The
//! loader refuses a module whose numbers differ from the host's.

fn main() {
    playground_fingerprint::write_core_fingerprint("fingerprint.rs")
        .expect("fingerprint the core module's sources");
}
