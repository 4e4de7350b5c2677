//! Password hashing: argon2id with the OWASP parameters, off the async threads.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// m = 19 MiB, t = 2, p = 1 (OWASP's first recommendation for argon2id).
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn params() -> Params {
    // The constants are valid argon2 parameters; `Params::new` only rejects out-of-range ones.
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).unwrap_or_else(|_| Params::default())
}

/// Runs `work` on argon2's work memory (`blocks` blocks of 1 KiB), taken from a pool and
/// given back. Allocating 19 MiB for each computation and freeing it hands the blocks to
/// the allocator, which (glibc) keeps them in per-thread arenas rather than returning
/// them: measured, a release server held 250 MB after seeding the demo accounts and grew
/// by 115 MB with each burst of sign-ins. Kept and reused, the memory is one block set
/// per computation running at once (the gate bounds those), allocated once.
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    static POOL: std::sync::Mutex<Vec<Vec<Block>>> = std::sync::Mutex::new(Vec::new());
    let pool = || {
        POOL.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let mut memory = pool().pop().unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let result = work(&mut memory[..blocks]);
    // A larger set, for a hash made with more memory than today's, is not kept.
    if memory.len() == params().block_count() {
        pool().push(memory);
    }
    result
}

/// Hashes a password into a PHC string. CPU-heavy: call through [`hash_blocking`] in async code.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let params = params();
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut output, blocks)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output)?),
    }
    .to_string())
}

pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    let hashed = bounded(move || hash(&password)).await?;
    hashed.map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// Verifies on the blocking pool, within the bound; without a stored hash, against a
/// dummy one, so that an unknown user costs as much time as a known one.
pub async fn verify_blocking(typed: &str, stored: Option<String>) -> Result<bool, Busy> {
    let typed = typed.to_owned();
    bounded(move || match stored {
        Some(hash) => verify(&typed, &hash),
        None => {
            verify(&typed, dummy_hash());
            false
        }
    })
    .await
}

/// Every argon2 computation takes 19 MiB and a core for tens of milliseconds: more of them
/// at once than there are cores only queue up and multiply the memory. So at most
/// [`Gate::running`] run at once and a few more wait; beyond that the caller is told at
/// once that the server is busy (503 with `Retry-After`), rather than 500 parallel
/// sign-ins asking for 9.5 GB.
#[derive(Debug)]
pub struct Gate {
    running: std::sync::Arc<tokio::sync::Semaphore>,
    /// Computations in the gate: running and waiting.
    admitted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    capacity: usize,
}

/// The server is at its bound of argon2 computations: try again in a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

impl Gate {
    /// `running` at once, and up to `waiting` more in line.
    pub fn new(running: usize, waiting: usize) -> Gate {
        Gate {
            running: std::sync::Arc::new(tokio::sync::Semaphore::new(running.max(1))),
            admitted: std::sync::Arc::default(),
            capacity: running.max(1) + waiting,
        }
    }

    /// One per core (at most 4), and four times as many waiting.
    fn shared() -> &'static Gate {
        static GATE: std::sync::OnceLock<Gate> = std::sync::OnceLock::new();
        GATE.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, usize::from);
            let running = cores.clamp(1, 4);
            Gate::new(running, running * 4)
        })
    }

    /// Runs `work` on the blocking pool once a place is free, or answers `Busy` at once.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        use std::sync::atomic::Ordering;
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy);
        }
        // Leaves the gate however this ends: a request dropped while it waits leaves at
        // once; one dropped while its computation runs leaves when the computation ends,
        // so that dropped requests cannot pile computations up beyond the bound.
        struct Leave(std::sync::Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for Leave {
            fn drop(&mut self) {
                self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
            }
        }
        let leave = Leave(self.admitted.clone());
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Busy)?;
        tokio::task::spawn_blocking(move || {
            let _held = (permit, leave);
            work()
        })
        .await
        .map_err(|_| Busy)
    }
}

/// Runs one argon2 computation through the server's gate.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    Gate::shared().run(work).await
}

/// Whether a stored hash was made with other parameters than today's: such a hash is
/// replaced at the next successful sign-in.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let current = [
        ("m", MEMORY_KIB.to_string()),
        ("t", ITERATIONS.to_string()),
        ("p", PARALLELISM.to_string()),
    ];
    parsed.algorithm.as_str() != "argon2id"
        || parsed.version != Some(Version::V0x13 as u32)
        || current
            .iter()
            .any(|(name, value)| parsed.params.get_str(*name) != Some(value.as_str()))
}

/// A hash to verify against when there is no account, so that an unknown username takes
/// as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("no account has this password").unwrap_or_default())
}

/// Common passwords (the most frequent 20,000 of the zxcvbn list, MIT licence, plus
/// Vietnamese favourites), lower case, one a line.
const COMMON: &str = include_str!("data/common-passwords.txt");

/// Whether the password is a common one, ignoring case.
pub fn is_common(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON.lines().filter(|l| !l.is_empty()).collect())
        .contains(password.trim().to_lowercase().as_str())
}

/// The number of passwords in the bundled list.
pub fn common_count() -> usize {
    COMMON.lines().filter(|l| !l.is_empty()).count()
}

/// Whether the password matches the stored PHC string.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .unwrap_or(Version::V0x13);
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut output = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = with_memory(params.block_count(), |blocks| {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut output, blocks)
    });
    computed.is_ok() && super::crypto::constant_time_eq(&output, expected.as_bytes())
}

/// A random password for accounts created without one: 20 characters from an alphabet
/// without look-alikes, about 115 bits.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above the largest multiple of the alphabet's size are dropped: no bias.
    let limit = 256 - 256 % ALPHABET.len();
    let mut password = String::with_capacity(20);
    let mut bytes = [0u8; 32];
    while password.len() < 20 {
        OsRng.fill_bytes(&mut bytes);
        for b in bytes.iter().map(|b| usize::from(*b)).filter(|b| *b < limit) {
            if password.len() < 20 {
                password.push(char::from(ALPHABET[b % ALPHABET.len()]));
            }
        }
    }
    password
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher;

    #[test]
    fn hashes_with_argon2id_and_the_chosen_parameters() {
        let phc = hash("một mật khẩu đủ dài").expect("hashes");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("một mật khẩu đủ dài", &phc));
        assert!(!verify("một mật khẩu khác", &phc));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn hashes_are_standard_phc_strings() {
        // What the argon2 crate's own verifier accepts, and the other way round.
        let phc = hash("một mật khẩu đủ dài").expect("hashes");
        let parsed = PasswordHash::new(&phc).expect("a PHC string");
        assert!(
            argon2::password_hash::PasswordVerifier::verify_password(
                &Argon2::default(),
                "một mật khẩu đủ dài".as_bytes(),
                &parsed
            )
            .is_ok()
        );
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"another long password", &SaltString::generate(&mut OsRng))
            .expect("hashes")
            .to_string();
        assert!(verify("another long password", &theirs));
        assert!(!verify("another long passwork", &theirs));
    }

    #[test]
    fn old_parameters_need_a_rehash() {
        let phc = hash("một mật khẩu đủ dài").expect("hashes");
        assert!(!needs_rehash(&phc));
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 3, 1, None).expect("valid"),
        );
        let salt = SaltString::generate(&mut OsRng);
        let old = weaker
            .hash_password(b"whatever password", &salt)
            .expect("hashes")
            .to_string();
        assert!(needs_rehash(&old));
        assert!(verify("whatever password", &old), "old hashes still verify");
        assert!(needs_rehash("garbage"));
    }

    #[test]
    fn knows_at_least_ten_thousand_common_passwords() {
        assert!(common_count() >= 10_000, "{}", common_count());
        assert!(is_common("password"));
        assert!(is_common("123qweasdzxc"));
        assert!(is_common("MatKhau123456"), "case is ignored");
        assert!(!is_common("một câu mật khẩu dài của tôi"));
    }

    #[test]
    fn the_gate_runs_a_bounded_number_and_refuses_the_rest_at_once() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let gate = std::sync::Arc::new(Gate::new(2, 3));
            let (release, hold) = std::sync::mpsc::channel::<()>();
            let hold = std::sync::Arc::new(std::sync::Mutex::new(hold));
            let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let now = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let mut tasks = Vec::new();
            for _ in 0..5 {
                let (gate, hold, peak, now) =
                    (gate.clone(), hold.clone(), peak.clone(), now.clone());
                tasks.push(tokio::spawn(async move {
                    gate.run(move || {
                        use std::sync::atomic::Ordering;
                        let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(at_once, Ordering::SeqCst);
                        let _ = hold.lock().map(|h| h.recv());
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                }));
            }
            // Five are in (two running, three waiting): the sixth is refused at once.
            while gate.admitted.load(std::sync::atomic::Ordering::SeqCst) < 5 {
                tokio::task::yield_now().await;
            }
            assert_eq!(gate.run(|| ()).await, Err(Busy));
            for _ in 0..5 {
                release.send(()).expect("a worker waits");
            }
            for task in tasks {
                assert_eq!(task.await.expect("joins"), Ok(()));
            }
            assert!(peak.load(std::sync::atomic::Ordering::SeqCst) <= 2);
            assert_eq!(gate.run(|| 7).await, Ok(7), "the gate is free again");
        });
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        let password = generate();
        assert_eq!(password.chars().count(), 20);
        assert_eq!(crate::model::user::password::check(&password), Ok(()));
        assert_ne!(password, generate());
    }
}
