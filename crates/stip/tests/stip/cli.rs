//! The `stip` command as an operator uses it: demo data, accounts, tokens, and a real server on
//! a real port that stops cleanly on SIGTERM.

use crate::common::stip;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use stip_store::testing::TestDb;

fn run(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = stip(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A database URL for a fresh SQLite file that the `TestDb` removes afterwards.
async fn fresh_sqlite() -> TestDb {
    TestDb::sqlite().await
}

/// A demo of one institution (as the benchmark's import source is made) has no Horizon
/// College for the demo meeting's case, and loads all the same.
#[tokio::test]
async fn a_demo_of_one_institution_loads() {
    let db = fresh_sqlite().await;
    let (ok, out, err) = run(
        &[
            "demo",
            "--database",
            &db.url,
            "--institutions",
            "1",
            "--projects-per-institution",
            "3",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("1 instelling met 3 projecten"), "{out}");
    assert_eq!(db.store.institutions().await.unwrap().len(), 1);
}

#[tokio::test]
async fn demo_loads_the_seed_institutions_and_prints_the_accounts() {
    let db = fresh_sqlite().await;
    let (ok, out, err) = run(
        &[
            "demo",
            "--database",
            &db.url,
            "--institutions",
            "9",
            "--projects-per-institution",
            "6",
            "--seed",
            "7",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("9 instellingen met elk 6 projecten"));
    assert!(out.contains("beheer@stip.demo") && out.contains("demo-beheerder"));
    assert!(out.contains("im@horizon.demo") && out.contains("bij 25LN"));
    let institutions = db.store.institutions().await.unwrap();
    assert_eq!(institutions.len(), 9);
    for name in [
        "Graafschap College",
        "DaVinci College",
        "Koning Willem I College",
        "Friese Poort",
        "Horizon College",
        "Friesland College",
        "mboRijnland",
    ] {
        assert!(institutions.iter().any(|i| i.data.name == name), "{name}");
    }
    let all = stip_core::portfolio::ListQuery::default().parse().unwrap();
    assert_eq!(
        db.store
            .list_projects(&all, stip_core::access::ProjectScope::All)
            .await
            .unwrap()
            .total,
        54
    );
    assert_eq!(db.store.themes().await.unwrap().len(), 8);

    let (ok, _, err) = run(&["demo", "--database", &db.url], None);
    assert!(!ok, "a second demo load is refused");
    assert!(err.contains("already has data"), "{err}");
}

#[tokio::test]
async fn demo_data_is_the_same_for_the_same_seed() {
    let a = fresh_sqlite().await;
    let b = fresh_sqlite().await;
    for db in [&a, &b] {
        assert!(
            run(
                &[
                    "demo",
                    "--database",
                    &db.url,
                    "--institutions",
                    "8",
                    "--projects-per-institution",
                    "5",
                    "--seed",
                    "42"
                ],
                None
            )
            .0
        );
    }
    let all = stip_core::portfolio::ListQuery {
        sort: "title".into(),
        per_page: "200".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let scope = stip_core::access::ProjectScope::All;
    let pa: Vec<_> = a
        .store
        .list_projects(&all, scope)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.data.clone())
        .collect();
    let pb: Vec<_> = b
        .store
        .list_projects(&all, scope)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.data.clone())
        .collect();
    assert_eq!(pa.len(), 40);
    assert_eq!(pa, pb);
}

#[tokio::test]
async fn demo_loads_into_postgres_too() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (ok, out, err) = run(
        &[
            "demo",
            "--database",
            &db.url,
            "--institutions",
            "7",
            "--projects-per-institution",
            "3",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("7 instellingen met elk 3 projecten"));
    let all = stip_core::portfolio::ListQuery::default().parse().unwrap();
    assert_eq!(
        db.store
            .list_projects(&all, stip_core::access::ProjectScope::All)
            .await
            .unwrap()
            .total,
        21
    );
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_names_bad_arguments() {
    let db = fresh_sqlite().await;
    assert!(
        run(
            &[
                "demo",
                "--database",
                &db.url,
                "--institutions",
                "7",
                "--projects-per-institution",
                "1"
            ],
            None
        )
        .0
    );
    let (ok, out, err) = run(
        &[
            "user",
            "add",
            "--email",
            "Karin@Horizon.nl",
            "--name",
            "Karin den Heijer",
            "--role",
            "informatiemanager",
            "--institution",
            "25ln",
            "--password-stdin",
            "--database",
            &db.url,
        ],
        Some("een-geheim-wachtwoord\n"),
    );
    assert!(ok, "{err}");
    assert!(out.contains("Added Karin den Heijer <karin@horizon.nl> as informatiemanager"));
    let (user, hash) = db
        .store
        .user_for_login("karin@horizon.nl")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role.code(), "informatiemanager");
    assert!(hash.starts_with("$argon2id$"));

    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--email", "x@y.nl", "--name", "X", "--role", "baas"],
            "geheim-wachtwoord",
            "--role",
        ),
        (
            &[
                "--email",
                "x@y.nl",
                "--name",
                "X",
                "--role",
                "informatiemanager",
            ],
            "geheim-wachtwoord",
            "--institution",
        ),
        (
            &[
                "--email",
                "x@y.nl",
                "--name",
                "X",
                "--role",
                "lezer",
                "--institution",
                "XYZ",
            ],
            "geheim-wachtwoord",
            "--institution",
        ),
        (
            &["--email", "geen-adres", "--name", "X", "--role", "lezer"],
            "geheim-wachtwoord",
            "--email",
        ),
        (
            &["--email", "x@y.nl", "--name", "X", "--role", "lezer"],
            "kort",
            "password",
        ),
        (
            &[
                "--email",
                "karin@horizon.nl",
                "--name",
                "X",
                "--role",
                "lezer",
            ],
            "geheim-wachtwoord",
            "already exists",
        ),
    ];
    for (args, password, named) in cases {
        let mut all = vec!["user", "add", "--password-stdin", "--database", &db.url];
        all.extend_from_slice(args);
        let (ok, _, err) = run(&all, Some(password));
        assert!(!ok, "{args:?} must fail");
        assert!(
            err.contains(named),
            "{args:?}: the error names {named}: {err}"
        );
    }
}

#[tokio::test]
async fn serve_answers_on_its_port_accepts_a_created_token_and_stops_on_sigterm() {
    let db = fresh_sqlite().await;
    assert!(
        run(
            &[
                "demo",
                "--database",
                &db.url,
                "--institutions",
                "7",
                "--projects-per-institution",
                "2"
            ],
            None
        )
        .0
    );
    let (ok, token, err) = run(
        &[
            "token",
            "create",
            "--email",
            "im@horizon.demo",
            "--database",
            &db.url,
        ],
        None,
    );
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    assert!(token.starts_with("stip_"));
    let (ok, _, err) = run(
        &[
            "token",
            "create",
            "--email",
            "niemand@nergens.nl",
            "--database",
            &db.url,
        ],
        None,
    );
    assert!(!ok && err.contains("niemand@nergens.nl"));

    let mut child = stip(&["serve", "--addr", "127.0.0.1:0", "--database", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    let base = ready
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the address is printed")
        .to_string();

    let client = |path: &str, bearer: Option<&str>| {
        let base = base.clone();
        let path = path.to_string();
        let bearer = bearer.map(String::from);
        async move {
            let url = url_parts(&base);
            let mut stream = tokio::net::TcpStream::connect(&url).await.unwrap();
            let auth = bearer
                .map(|t| format!("Authorization: Bearer {t}\r\n"))
                .unwrap_or_default();
            let req =
                format!("GET {path} HTTP/1.1\r\nHost: {url}\r\n{auth}Connection: close\r\n\r\n");
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            stream.write_all(req.as_bytes()).await.unwrap();
            let mut buf = String::new();
            stream.read_to_string(&mut buf).await.unwrap();
            buf
        }
    };
    assert!(client("/healthz", None).await.starts_with("HTTP/1.1 200"));
    let api = client("/api/v1/projects?institution=25LN", Some(&token)).await;
    assert!(api.starts_with("HTTP/1.1 200"), "{api}");
    assert!(api.contains("\"total\":2"));
    assert!(
        client("/api/v1/projects", Some("stip_fout"))
            .await
            .starts_with("HTTP/1.1 401")
    );

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || {
        for _ in 0..100 {
            if let Some(s) = child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        child.kill().ok();
        None
    })
    .await
    .unwrap();
    assert!(
        status.expect("stopped within 10 s").success(),
        "a graceful stop exits 0"
    );
}

fn url_parts(base: &str) -> String {
    base.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

#[tokio::test]
async fn serve_creates_and_migrates_a_new_database_with_the_default_agenda() {
    let dir = std::env::temp_dir().join(format!("stip-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("nieuw.db").display());
    let mut child = stip(&["serve", "--addr", "127.0.0.1:0", "--database", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().contains("ready"));
    child.kill().unwrap();
    child.wait().unwrap();
    let store = stip_store::Store::connect(&url).await.unwrap();
    assert_eq!(store.themes().await.unwrap().len(), 8);
    store.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

/// A database on which `stip serve` ran once holds only the default agenda: `stip restore`
/// takes it, on both backends.
#[tokio::test]
async fn restore_takes_a_database_that_serve_started_once() {
    let source = fresh_sqlite().await;
    let (ok, _, err) = run(
        &[
            "demo",
            "--database",
            &source.url,
            "--institutions",
            "7",
            "--projects-per-institution",
            "2",
        ],
        None,
    );
    assert!(ok, "{err}");
    let file = std::env::temp_dir().join(format!("stip-cli-backup-{}.json", std::process::id()));
    let file = file.to_str().unwrap().to_string();
    let (ok, _, err) = run(
        &["backup", "--database", &source.url, "--output", &file],
        None,
    );
    assert!(ok, "{err}");

    let mut targets = vec![fresh_sqlite().await];
    targets.extend(TestDb::postgres().await);
    for target in targets {
        let mut child = stip(&["serve", "--addr", "127.0.0.1:0", "--database", &target.url])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(lines.next().unwrap().unwrap().contains("ready"));
        child.kill().unwrap();
        child.wait().unwrap();

        let (ok, said, err) = run(&["restore", "--database", &target.url, &file], None);
        assert!(ok, "{}: {said}{err}", target.url);
        let store = stip_store::Store::connect(&target.url).await.unwrap();
        assert_eq!(store.warm().await.unwrap(), 14, "the backup's projects");
        store.close().await;
    }
    std::fs::remove_file(&file).ok();
}
