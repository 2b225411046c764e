//! Arbitrary text parsed as a `Cargo.toml` and, if it parses, resolved as an app against a
//! fixed catalogue plus itself: `Ok` or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_loader::manifest::parse;
use playground_loader::resolve::resolve;
use std::path::Path;

const CATALOGUE: &[&str] = &[
    "[package]\nname = \"ecs\"\nversion = \"0.1.0\"\n[package.metadata.playground]\nimplements = \"playground.ecs\"\nprovides = [\"entities\", \"motion\"]\nrequires = { math = \"^1\" }\n",
    "[package]\nname = \"math\"\nversion = \"1.2.0\"\n[package.metadata.playground]\nimplements = \"math\"\n",
];

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let path = Path::new("fuzz/Cargo.toml");
    let version = semver::Version::new(0, 1, 0);
    let Ok(app) = parse(path, text, Some(&version)) else { return };
    let mut catalogue: Vec<_> = CATALOGUE
        .iter()
        .map(|t| parse(path, t, None).expect("catalogue manifests are valid"))
        .collect();
    catalogue.push(app.clone());
    let _ = resolve(&app, &catalogue);
});
