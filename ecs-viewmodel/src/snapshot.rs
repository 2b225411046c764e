//! The world snapshot format.
//!
//! ```text
//! magic  "PGWS"                 4 bytes
//! format 1                      u32 little-endian: this layout
//! state  STATE_FORMAT_VERSION   u64 LE: hash of ecs-view's model sources
//! length                        u64 LE: body bytes
//! body                          postcard: allocator + one record per persistent pool
//! check  CRC-32 of the body      u64 LE (crc32fast: SIMD, catches burst errors)
//! ```
//!
//! Restore checks the header, the length, the checksum, then decodes into a fresh world with
//! the target's registrations and validates it (allocator invariants, every component's
//! entity alive) before it replaces the target's contents, so a corrupt, truncated or foreign
//! snapshot leaves the world exactly as it was.

use playground_ecs_view::fingerprint::STATE_FORMAT_VERSION;
use playground_ecs_view::{EcsError, Entities, Entity, World};
use playground_kernel::{ComponentId, Corruption, StateError};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 4] = b"PGWS";
const FORMAT: u32 = 1;
const HEADER: usize = 4 + 4 + 8 + 8;
const TRAILER: usize = 8;

/// A corrupt-state error about `part` of a snapshot.
fn corrupt(part: &str, problem: Corruption) -> EcsError {
    StateError::Corrupt {
        part: part.into(),
        problem,
    }
    .into()
}

/// One pool. Entity bits and component bytes are byte strings (`serde_bytes`): a length and
/// a copy, not one serde call per element.
#[derive(Serialize, Deserialize)]
struct PoolRecord {
    id: u64,
    name: String,
    /// Entity bits, 8 little-endian bytes each, in the pool's dense order.
    #[serde(with = "serde_bytes")]
    entities: Vec<u8>,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    entities: Entities,
    pools: Vec<PoolRecord>,
}

/// CRC-32 of the body: crc32fast runs at memory speed, where a byte-serial hash such as
/// FNV-1a waits on one dependent multiply per byte (`docs/results.md` gives the measured cost).
fn checksum(bytes: &[u8]) -> u64 {
    u64::from(crc32fast::hash(bytes))
}

/// Saves every entity and persistent component of `world`.
pub fn save(world: &World) -> Result<Vec<u8>, EcsError> {
    let mut pools = Vec::new();
    for pool in world.read_pools()? {
        if pool.is_empty() && !pool.is_persistent() {
            continue;
        }
        let info = pool.info();
        let (entities, bytes) = pool.save()?;
        pools.push(PoolRecord {
            id: info.id.to_bits(),
            name: info.name.to_owned(),
            entities: entities
                .iter()
                .flat_map(|e| e.to_bits().to_le_bytes())
                .collect(),
            bytes,
        });
    }
    let body = postcard::to_allocvec(&Body {
        entities: world.allocator().clone(),
        pools,
    })
    .map_err(|e| {
        corrupt(
            "snapshot body",
            Corruption::Unencodable {
                detail: e.to_string(),
            },
        )
    })?;
    let mut out = Vec::with_capacity(HEADER + body.len() + TRAILER);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&STATE_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    Ok(out)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(
        bytes[at..at + 8]
            .try_into()
            .expect("8 bytes, bounds checked by caller"),
    )
}

/// Replaces `world`'s entities and components with the snapshot's; on any error `world` is
/// unchanged.
pub fn restore(world: &mut World, bytes: &[u8]) -> Result<(), EcsError> {
    if bytes.len() < HEADER + TRAILER {
        return Err(StateError::Truncated {
            needed: HEADER + TRAILER,
            available: bytes.len(),
        }
        .into());
    }
    if &bytes[..4] != MAGIC {
        return Err(corrupt("snapshot header", Corruption::BadMagic));
    }
    let format = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(corrupt(
            "snapshot header",
            Corruption::Layout {
                expected: FORMAT,
                found: format,
            },
        ));
    }
    let state = read_u64(bytes, 8);
    if state != STATE_FORMAT_VERSION {
        return Err(StateError::FormatMismatch {
            expected: STATE_FORMAT_VERSION,
            found: state,
        }
        .into());
    }
    let len = usize::try_from(read_u64(bytes, 16)).unwrap_or(usize::MAX);
    let needed = HEADER.saturating_add(len).saturating_add(TRAILER);
    if bytes.len() < needed {
        return Err(StateError::Truncated {
            needed,
            available: bytes.len(),
        }
        .into());
    }
    if bytes.len() > needed {
        return Err(corrupt(
            "snapshot",
            Corruption::TrailingBytes {
                end: needed,
                count: bytes.len() - needed,
            },
        ));
    }
    let body = &bytes[HEADER..HEADER + len];
    if read_u64(bytes, HEADER + len) != checksum(body) {
        return Err(corrupt(
            "snapshot",
            Corruption::Checksum {
                offset: HEADER + len,
            },
        ));
    }
    let body: Body = postcard::from_bytes(body).map_err(|e| {
        corrupt(
            "snapshot body",
            Corruption::Undecodable {
                detail: e.to_string(),
            },
        )
    })?;

    let mut next = world.empty_like();
    next.set_allocator(body.entities)
        .map_err(|problem| corrupt("entity allocator", problem))?;
    for record in &body.pools {
        let id = ComponentId::from_bits(record.id);
        if record.entities.len() % 8 != 0 {
            return Err(corrupt(
                &record.name,
                Corruption::EntityListLength {
                    bytes: record.entities.len(),
                },
            ));
        }
        let entities: Vec<Entity> = record
            .entities
            .chunks_exact(8)
            .map(|b| Entity::from_bits(u64::from_le_bytes(b.try_into().expect("chunks of 8"))))
            .collect();
        if let Some(dead) = entities.iter().find(|e| !next.is_alive(**e)) {
            return Err(corrupt(
                &record.name,
                Corruption::EntityNotAlive { entity: *dead },
            ));
        }
        let pool = next
            .erased_pool_mut(id)
            .ok_or_else(|| EcsError::UnknownComponent {
                id,
                name: Some(record.name.clone()),
            })?;
        pool.load(&entities, &record.bytes)?;
    }
    world.replace_contents(next);
    Ok(())
}
