//! Figures kept between writes. The database counts its changes in a generation that
//! triggers raise in the same transaction as every change the figures are read from
//! (migration 16); what was read at one generation holds until the generation moves.
//!
//! Only SQLite keeps the generation (on PostgreSQL its one row would make every writer
//! queue); there `current` is `None` and figures are read afresh each time.

use super::access::View;
use super::dashboard::KeptFigures;
use super::db::Db;
use super::documents::SeenDocument;
use super::work::Outcome;
use crate::model::task::{DocumentFilter, DocumentPage};
use crate::model::time::Day;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// The generation of the database's data, where it is kept.
pub async fn current(db: &Db) -> Outcome<Option<i64>> {
    if db.backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let row = db
        .read
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT generation FROM figures_generation WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("figures_generation has no row"))?;
    Ok(Some(row.try_get("", "generation")?))
}

/// What the server keeps between writes to one database.
#[derive(Debug)]
pub struct KeptReads {
    pub dashboards: KeptFigures,
    /// A document's page by id, view and day (its rows say which tasks are overdue).
    pub documents: Kept<(i32, View, Day), Option<SeenDocument>>,
    pub document_lists: Kept<(View, DocumentFilter), DocumentPage>,
}

impl Default for KeptReads {
    fn default() -> Self {
        // A document's page holds up to 300 task rows (about 100 KB), a list page 20
        // documents: a few MB in all at most.
        KeptReads {
            dashboards: KeptFigures::default(),
            documents: Kept::new(32),
            document_lists: Kept::new(256),
        }
    }
}

/// Values read at one generation, by key; at most `capacity` of them (when full it starts
/// again empty: the keys are a few per unit and filter, so this is rare and cheap).
pub struct Kept<K, V> {
    capacity: usize,
    entries: Mutex<(i64, HashMap<K, Arc<V>>)>,
}

impl<K: Hash + Eq, V> Kept<K, V> {
    pub fn new(capacity: usize) -> Self {
        Kept {
            capacity,
            entries: Mutex::new((0, HashMap::new())),
        }
    }

    /// The value for `key` kept at `generation`, or the one `read` gives (kept when the
    /// generation is known). `generation` must be read before `read` starts: a change
    /// committed in between then moves the generation past it, and what was read can
    /// never be served as current.
    pub async fn get_or_read<F, Fut>(
        &self,
        generation: Option<i64>,
        key: K,
        read: F,
    ) -> Outcome<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Outcome<V>>,
    {
        let Some(generation) = generation else {
            return Ok(Arc::new(read().await?));
        };
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        let value = Arc::new(read().await?);
        self.put(generation, key, value.clone());
        Ok(value)
    }

    fn get(&self, generation: i64, key: &K) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.0 != generation {
            return None;
        }
        entries.1.get(key).cloned()
    }

    fn put(&self, generation: i64, key: K, value: Arc<V>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // A reader that started before the latest change may come back after others that
        // started after it: its value is then dropped, not the newer ones.
        if generation < entries.0 {
            return;
        }
        if generation > entries.0 || entries.1.len() >= self.capacity {
            entries.0 = generation;
            entries.1.clear();
        }
        entries.1.insert(key, value);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().unwrap().1.len()
    }
}

impl<K, V> std::fmt::Debug for Kept<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Reads `key` through `kept`, counting the reads.
    async fn read(
        kept: &Kept<u8, u32>,
        generation: Option<i64>,
        key: u8,
        reads: &AtomicU32,
    ) -> u32 {
        *kept
            .get_or_read(generation, key, || async {
                Ok(reads.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_value_holds_until_the_generation_moves() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, Some(3), 1, &reads).await, 1);
        assert_eq!(read(&kept, Some(3), 1, &reads).await, 1);
        assert_eq!(read(&kept, Some(3), 2, &reads).await, 2);
        // A change: everything is read again.
        assert_eq!(read(&kept, Some(4), 1, &reads).await, 3);
        assert_eq!(read(&kept, Some(4), 2, &reads).await, 4);
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn without_a_generation_nothing_is_kept() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, None, 1, &reads).await, 1);
        assert_eq!(read(&kept, None, 1, &reads).await, 2);
        assert_eq!(kept.len(), 0);
    }

    #[tokio::test]
    async fn a_late_reader_of_an_older_generation_keeps_nothing() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, Some(5), 1, &reads).await, 1);
        // Read at generation 4, finished after the value of generation 5 was kept.
        assert_eq!(read(&kept, Some(4), 2, &reads).await, 2);
        assert_eq!(read(&kept, Some(4), 1, &reads).await, 3);
        assert_eq!(read(&kept, Some(5), 1, &reads).await, 1);
        assert_eq!(kept.len(), 1);
    }

    #[tokio::test]
    async fn it_never_holds_more_than_its_capacity() {
        let (kept, reads) = (Kept::new(2), AtomicU32::new(0));
        for key in 0..5 {
            read(&kept, Some(1), key, &reads).await;
            assert!(kept.len() <= 2);
        }
        assert_eq!(read(&kept, Some(1), 4, &reads).await, 5);
    }
}
