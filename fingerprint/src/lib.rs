//! # playground-fingerprint
//!
//! Used from `build.rs`. A core module's contract is fingerprinted from its sources:
//!
//! - `API_VERSION` hashes `src/view`, `src/model` and `src/engine`: what an implementation is
//!   compiled against (the engine's caches live inside model types, so their layout is part
//!   of it). A change to any refuses modules built from the old sources.
//! - `STATE_FORMAT_VERSION` hashes `src/model` only: the layout a saved state has. A change
//!   under `view/` or `engine/` alone keeps saved states readable.
//!
//! Files are hashed in sorted relative-path order, path then tokens, with FNV-1a 64, so the
//! same sources give the same numbers on every machine and in every checkout location. Only
//! the tokens count: comments, doc comments and whitespace are left out, so editing them
//! neither refuses the next reload nor makes saved states unreadable.
//! [`build_info`] adds what else must match before a library's code is trusted: the exact
//! rustc and the target triple.
//!
//! In a core module's `build.rs`, `main` calls
//! `playground_fingerprint::write_core_fingerprint("fingerprint.rs")`, and the crate includes
//! `concat!(env!("OUT_DIR"), "/fingerprint.rs")`.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x100_0000_01b3;

/// FNV-1a 64, as `playground_kernel::fnv1a_64` (this crate cannot use the kernel: the
/// kernel's own build script depends on it), continued from `hash`.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// Whether `tokens[i..]` opens a doc attribute (`#[doc ...]` or `#![doc ...]`, what doc
/// comments become when lexed), and if so how many tokens it spans.
fn doc_attribute(tokens: &[TokenTree], i: usize) -> Option<usize> {
    let is_punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    if !is_punct(tokens.get(i), '#') {
        return None;
    }
    let inner = usize::from(is_punct(tokens.get(i + 1), '!'));
    match tokens.get(i + 1 + inner) {
        Some(TokenTree::Group(g))
            if g.delimiter() == Delimiter::Bracket
                && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(id)) if id == "doc") =>
        {
            Some(2 + inner)
        }
        _ => None,
    }
}

/// Continues `hash` over `stream`'s tokens: each token's kind and text, groups with their
/// delimiters; doc attributes are skipped.
fn hash_tokens(mut hash: u64, stream: TokenStream) -> u64 {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(span) = doc_attribute(&tokens, i) {
            i += span;
            continue;
        }
        hash = match &tokens[i] {
            TokenTree::Ident(id) => fnv1a(fnv1a(hash, b"i"), id.to_string().as_bytes()),
            TokenTree::Punct(p) => {
                let joint = if p.spacing() == Spacing::Joint {
                    b'j'
                } else {
                    b'a'
                };
                fnv1a(hash, &[b'p', p.as_char() as u8, joint])
            }
            TokenTree::Literal(l) => fnv1a(fnv1a(hash, b"l"), l.to_string().as_bytes()),
            TokenTree::Group(g) => {
                let open = match g.delimiter() {
                    Delimiter::Parenthesis => b'(',
                    Delimiter::Brace => b'{',
                    Delimiter::Bracket => b'[',
                    Delimiter::None => b'_',
                };
                fnv1a(hash_tokens(fnv1a(hash, &[b'g', open]), g.stream()), b"e")
            }
        };
        i += 1;
    }
    hash
}

/// Continues `hash` over the tokens of one source file; a file that does not lex is an error
/// naming it.
fn hash_file(hash: u64, file: &Path) -> io::Result<u64> {
    let text = std::fs::read_to_string(file)?;
    let stream: TokenStream = text.parse().map_err(|e: proc_macro2::LexError| {
        io::Error::other(format!("{}: does not lex: {e}", file.display()))
    })?;
    Ok(hash_tokens(hash, stream))
}

fn rust_files_under(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // A core without a `view/` (or `model/`) folder simply contributes nothing for it.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            rust_files_under(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Hashes every `.rs` file under `root/<dir>` for each of `dirs`: sorted by path relative to
/// `root` (with `/` separators), each contributing its relative path then its tokens.
pub fn hash_sources(root: &Path, dirs: &[&str]) -> io::Result<u64> {
    let mut files = Vec::new();
    for dir in dirs {
        rust_files_under(&root.join(dir), &mut files)?;
    }
    let mut keyed = files
        .into_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, file)
        })
        .collect::<Vec<_>>();
    keyed.sort();
    keyed.iter().try_fold(FNV_OFFSET, |h, (rel, file)| {
        hash_file(fnv1a(h, rel.as_bytes()), file)
    })
}

/// The two fingerprints of a core module rooted at `crate_root` (its `src/` is hashed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoreFingerprint {
    /// Hash of `src/view`, `src/model` and `src/engine`.
    pub api_version: u64,
    /// Hash of `src/model`.
    pub state_format_version: u64,
}

impl CoreFingerprint {
    /// Fingerprints the sources under `crate_root/src`.
    pub fn of(crate_root: &Path) -> io::Result<Self> {
        let src = crate_root.join("src");
        Ok(Self {
            api_version: hash_sources(&src, &["view", "model", "engine"])?,
            state_format_version: hash_sources(&src, &["model"])?,
        })
    }
}

/// The compiler and target a crate is being built with, read inside a build script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// `rustc -vV`'s release and commit, e.g. `1.95.0 (f2c8b3a1e 2026-10-30)`.
    pub rustc: String,
    /// The target triple, e.g. `x86_64-unknown-linux-gnu`.
    pub target: String,
}

/// Reads [`BuildInfo`] from the environment cargo gives build scripts (`RUSTC`, `TARGET`).
pub fn build_info() -> io::Result<BuildInfo> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(&rustc).arg("-vV").output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!("`{rustc} -vV` failed")));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(str::trim).map(str::to_owned))
    };
    let release = field("release:").unwrap_or_else(|| "unknown".into());
    let commit = field("commit-hash:").unwrap_or_else(|| "unknown".into());
    let host = field("host:").unwrap_or_default();
    let target = std::env::var("TARGET").unwrap_or(host);
    Ok(BuildInfo {
        rustc: format!("{release} ({commit})"),
        target,
    })
}

/// Renders the constants a core module includes: `API_VERSION`, `STATE_FORMAT_VERSION`.
pub fn render_core(fp: CoreFingerprint) -> String {
    format!(
        "/// Hash of `src/view`, `src/model` and `src/engine`: the API an implementation must be built against.\n\
         pub const API_VERSION: u64 = {:#018x};\n\
         /// Hash of `src/model`: the layout of the state a snapshot carries.\n\
         pub const STATE_FORMAT_VERSION: u64 = {:#018x};\n",
        fp.api_version, fp.state_format_version
    )
}

/// Renders the constants naming the build: `RUSTC_VERSION`, `TARGET`.
pub fn render_build_info(info: &BuildInfo) -> String {
    format!(
        "/// The rustc that compiled this crate (release and commit).\n\
         pub const RUSTC_VERSION: &str = {:?};\n\
         /// The target triple this crate was compiled for.\n\
         pub const TARGET: &str = {:?};\n",
        info.rustc, info.target
    )
}

fn out_dir() -> io::Result<PathBuf> {
    std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| io::Error::other("OUT_DIR is not set: call this from build.rs"))
}

/// For a core module's `build.rs`: writes `OUT_DIR/<file>` with the core's fingerprints and
/// asks cargo to rerun when `src/view`, `src/model` or `src/engine` change.
pub fn write_core_fingerprint(file: &str) -> io::Result<CoreFingerprint> {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR")
            .ok_or_else(|| io::Error::other("CARGO_MANIFEST_DIR is not set"))?,
    );
    println!("cargo:rerun-if-changed=src/view");
    println!("cargo:rerun-if-changed=src/model");
    println!("cargo:rerun-if-changed=src/engine");
    let fp = CoreFingerprint::of(&root)?;
    std::fs::write(out_dir()?.join(file), render_core(fp))?;
    Ok(fp)
}

/// For the kernel's `build.rs`: writes `OUT_DIR/<file>` with [`BuildInfo`]'s constants.
pub fn write_build_info(file: &str) -> io::Result<BuildInfo> {
    println!("cargo:rerun-if-env-changed=RUSTC");
    let info = build_info()?;
    std::fs::write(out_dir()?.join(file), render_build_info(&info))?;
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join("src").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const BASE: &[(&str, &str)] = &[
        ("lib.rs", "pub mod model; pub mod view;"),
        ("model/mod.rs", "pub struct Position { pub x: f32 }"),
        ("model/world.rs", "pub struct World;"),
        ("view/mod.rs", "pub trait EntityView {}"),
    ];

    #[test]
    fn same_sources_give_same_numbers_in_any_location() {
        let a = CoreFingerprint::of(core(BASE).path()).unwrap();
        let b = CoreFingerprint::of(core(BASE).path()).unwrap();
        assert_eq!(a, b);
        // Creation order on disk does not matter either.
        let mut reversed = BASE.to_vec();
        reversed.reverse();
        assert_eq!(CoreFingerprint::of(core(&reversed).path()).unwrap(), a);
    }

    #[test]
    fn a_model_change_changes_both_versions() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut changed = BASE.to_vec();
        changed[1] = ("model/mod.rs", "pub struct Position { pub x: f64 }");
        let next = CoreFingerprint::of(core(&changed).path()).unwrap();
        assert_ne!(next.api_version, base.api_version);
        assert_ne!(next.state_format_version, base.state_format_version);
    }

    #[test]
    fn a_view_change_changes_only_the_api_version() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut changed = BASE.to_vec();
        changed[3] = ("view/mod.rs", "pub trait EntityView { fn spawn(&self); }");
        let next = CoreFingerprint::of(core(&changed).path()).unwrap();
        assert_ne!(next.api_version, base.api_version);
        assert_eq!(next.state_format_version, base.state_format_version);
    }

    #[test]
    fn an_engine_change_changes_only_the_api_version() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut changed = BASE.to_vec();
        changed.push(("engine/query.rs", "pub struct QueryCache;"));
        let next = CoreFingerprint::of(core(&changed).path()).unwrap();
        assert_ne!(next.api_version, base.api_version);
        assert_eq!(next.state_format_version, base.state_format_version);
    }

    #[test]
    fn comments_doc_comments_and_whitespace_do_not_count() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut edited = BASE.to_vec();
        edited[1] = (
            "model/mod.rs",
            "//! Positions.\n\n/// Where an entity is.\npub struct Position {\n    // x only for now\n    pub x: f32 /* metres */\n}\n",
        );
        edited[3] = (
            "view/mod.rs",
            "/** The entity API. */ pub   trait EntityView { }",
        );
        assert_eq!(CoreFingerprint::of(core(&edited).path()).unwrap(), base);
    }

    #[test]
    fn a_field_added_changes_both_versions() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut changed = BASE.to_vec();
        changed[1] = (
            "model/mod.rs",
            "pub struct Position { pub x: f32, pub y: f32 }",
        );
        let next = CoreFingerprint::of(core(&changed).path()).unwrap();
        assert_ne!(next.api_version, base.api_version);
        assert_ne!(next.state_format_version, base.state_format_version);
    }

    #[test]
    fn a_file_that_does_not_lex_is_named() {
        let mut broken = BASE.to_vec();
        broken[2] = ("model/world.rs", "pub struct World { \"unclosed }");
        let err = CoreFingerprint::of(core(&broken).path()).unwrap_err();
        assert!(err.to_string().contains("world.rs"), "{err}");
    }

    #[test]
    fn files_outside_view_model_and_engine_do_not_count() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut changed = BASE.to_vec();
        changed[0] = ("lib.rs", "pub mod model; pub mod view; // a comment");
        changed.push(("error.rs", "pub enum E {}"));
        assert_eq!(CoreFingerprint::of(core(&changed).path()).unwrap(), base);
    }

    #[test]
    fn moving_a_file_changes_the_fingerprint() {
        let base = CoreFingerprint::of(core(BASE).path()).unwrap();
        let mut moved = BASE.to_vec();
        moved[2] = ("model/world2.rs", "pub struct World;");
        assert_ne!(CoreFingerprint::of(core(&moved).path()).unwrap(), base);
    }

    #[test]
    fn rendered_constants_carry_the_values() {
        let text = render_core(CoreFingerprint {
            api_version: 0xabc,
            state_format_version: 0xdef,
        });
        assert!(text.contains("API_VERSION: u64 = 0x0000000000000abc"));
        assert!(text.contains("STATE_FORMAT_VERSION: u64 = 0x0000000000000def"));
        let info = render_build_info(&BuildInfo {
            rustc: "1.95.0 (abc)".into(),
            target: "x86_64-unknown-linux-gnu".into(),
        });
        assert!(info.contains(r#"RUSTC_VERSION: &str = "1.95.0 (abc)""#));
    }
}
