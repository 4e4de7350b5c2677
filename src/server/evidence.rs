//! Evidence files of progress reports and indicator values: checked by their content, stored under random
//! names outside the web root, read back only through the download handler.

use super::crypto::hex;
use crate::model::Problem;
use crate::model::task::check_evidence_sizes;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where evidence files live.
#[derive(Clone, Debug)]
pub struct EvidenceStore {
    dir: PathBuf,
}

/// A file as it came with a report.
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An upload that passed the checks and is stored.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

impl EvidenceStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        EvidenceStore { dir: dir.into() }
    }

    /// The file of a storage key. Keys are 32 hex characters made here, so they can
    /// never climb out of the folder; anything else is refused.
    fn path_of(&self, key: &str) -> Option<PathBuf> {
        (key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())).then(|| self.dir.join(key))
    }

    /// Checks every upload first (count, size, type), then stores them all.
    pub async fn store_all(&self, uploads: Vec<Upload>) -> Result<Vec<StoredFile>, StoreError> {
        let uploads: Vec<Upload> = uploads
            .into_iter()
            .filter(|u| !u.bytes.is_empty() || !u.file_name.is_empty())
            .collect();
        if uploads.is_empty() {
            return Ok(Vec::new());
        }
        let sizes: Vec<u64> = uploads.iter().map(|u| u.bytes.len() as u64).collect();
        check_evidence_sizes(&sizes).map_err(StoreError::Refused)?;
        let mut checked = Vec::with_capacity(uploads.len());
        for upload in uploads {
            let content_type =
                sniff(&upload.bytes).ok_or(StoreError::Refused(Problem::ForbiddenType))?;
            checked.push((upload, content_type));
        }
        tokio::fs::create_dir_all(&self.dir)
            .await
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let mut stored = Vec::with_capacity(checked.len());
        for (upload, content_type) in checked {
            let storage_key = random_key();
            let path = self.dir.join(&storage_key);
            if let Err(error) = tokio::fs::write(&path, &upload.bytes).await {
                self.remove_all(&stored).await;
                return Err(StoreError::Io(anyhow::anyhow!(
                    "cannot write {}: {error}",
                    path.display()
                )));
            }
            stored.push(StoredFile {
                file_name: clean_name(&upload.file_name),
                content_type,
                size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
                sha256: hex(&Sha256::digest(&upload.bytes)),
                storage_key,
            });
        }
        Ok(stored)
    }

    /// `store_all`, its refusals as the field `files`' problem: for a form's handler.
    pub async fn store_evidence(
        &self,
        uploads: Vec<Upload>,
    ) -> super::work::Outcome<Vec<StoredFile>> {
        use super::work::Failure;
        self.store_all(uploads).await.map_err(|e| match e {
            StoreError::Refused(problem) => {
                Failure::App(crate::model::AppError::invalid("files", problem))
            }
            StoreError::Io(e) => Failure::Other(e),
        })
    }

    /// Removes stored files whose report or value was not saved after all.
    pub async fn remove_all(&self, files: &[StoredFile]) {
        for file in files {
            if let Some(path) = self.path_of(&file.storage_key) {
                let _ = tokio::fs::remove_file(path).await;
            }
        }
    }

    pub async fn read(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        let path = self
            .path_of(key)
            .ok_or_else(|| anyhow::anyhow!("not a storage key"))?;
        tokio::fs::read(&path)
            .await
            .with_context(|| format!("cannot read {}", path.display()))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("refused: {0:?}")]
    Refused(Problem),
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

fn random_key() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The type of a file, judged from its first bytes; `None` for anything not accepted as
/// evidence (programs, web pages, scripts, archives, images that can carry scripts).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        return Some("application/pdf");
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if starts(b"\xFF\xD8\xFF") {
        return Some("image/jpeg");
    }
    if bytes.len() > 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if starts(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        // OpenDocument names its type in an uncompressed first entry.
        if has(b"mimetypeapplication/vnd.oasis.opendocument.text") {
            return Some("application/vnd.oasis.opendocument.text");
        }
        if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
            return Some("application/vnd.oasis.opendocument.spreadsheet");
        }
        let office = has(b"[Content_Types].xml");
        if office && has(b"word/") {
            return Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }
        if office && has(b"xl/") {
            return Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        }
        if office && has(b"ppt/") {
            return Some(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            );
        }
        return None;
    }
    // Plain text (notes, CSV): valid UTF-8, no NUL, not markup a browser would run.
    let text = std::str::from_utf8(bytes).ok()?;
    let head = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase();
    let markup = head.starts_with('<') || head.contains("<script") || head.contains("<html");
    (!bytes.is_empty() && !text.contains('\0') && !markup).then_some("text/plain; charset=utf-8")
}

/// A file name fit to show and to suggest at download: the last part of whatever path the
/// browser sent, without control characters, at most 200 characters.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let cleaned: String = cleaned.chars().take(200).collect();
    if cleaned.is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(
            sniff(b"Bao cao tien do, 80%\n"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sniff(b"MZ\x90\x00 a program"), None, "an executable");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"  <svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"PK\x03\x04 some zip"), None, "a bare archive");
        assert_eq!(sniff(b"\x00\x01\x02"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_never_become_paths() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\bao-cao.pdf"), "bao-cao.pdf");
        assert_eq!(clean_name("..."), "tep-dinh-kem");
        assert_eq!(clean_name("Báo cáo\u{0} quý 3.pdf"), "Báo cáo quý 3.pdf");
        assert_eq!(clean_name(".htaccess"), "htaccess");
        assert_eq!(clean_name(""), "tep-dinh-kem");
    }

    #[test]
    fn storage_keys_cannot_escape() {
        let store = EvidenceStore::new("/srv/evidence");
        assert!(store.path_of("../../etc/passwd").is_none());
        assert!(store.path_of("0123456789abcdef0123456789abcdef").is_some());
        assert_eq!(random_key().len(), 32);
    }
}
