//! Fingerprints this core module's contract: `API_VERSION` hashes `src/view` and `src/model`,
//! `STATE_FORMAT_VERSION` hashes `src/model` only. Files are hashed in sorted path order,
//! path then contents, with FNV-1a 64, so the same sources give the same numbers on every
//! machine; a module built from other sources is refused by the loader.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn fingerprint(root: &Path, dirs: &[&str]) -> u64 {
    let mut files = Vec::new();
    for dir in dirs {
        println!("cargo:rerun-if-changed=src/{dir}");
        files_under(&root.join("src").join(dir), &mut files);
    }
    files.sort();
    files.iter().fold(0xcbf2_9ce4_8422_2325, |h, file| {
        let rel = file
            .strip_prefix(root)
            .expect("under the crate root")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read(file).expect("readable source file");
        fnv1a(fnv1a(h, rel.as_bytes()), &text)
    })
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let api = fingerprint(&root, &["view", "model"]);
    let state = fingerprint(&root, &["model"]);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("fingerprint.rs");
    std::fs::write(
        out,
        format!(
            "/// Hash of `src/view` and `src/model`: the API an implementation must be built against.\n\
             pub const API_VERSION: u64 = {api:#018x};\n\
             /// Hash of `src/model`: the layout of the state a snapshot carries.\n\
             pub const STATE_FORMAT_VERSION: u64 = {state:#018x};\n"
        ),
    )
    .expect("OUT_DIR is writable");
}
